"""A Gaussian copula with per-site empirical marginals, fitted to the real UCI heart-disease data.

Each variable is turned into normal scores within its site (mid-rank for ties), one correlation
matrix is estimated from pairwise-complete scores across sites, and sampling maps correlated normals
back through each site's empirical quantiles. Site differences live in the marginals, the joint
structure in the shared correlation matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]

SITES = ("Cleveland", "Hungary", "Switzerland", "VA Long Beach")
# Categorical UCI variables coded as ordinals (the order is clinical severity, so the copula's
# monotone dependence is meaningful).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "sex": ("Female", "Male"),
    "cp": ("typical angina", "atypical angina", "non-anginal", "asymptomatic"),
    "fbs": ("FALSE", "TRUE"),
    "restecg": ("normal", "st-t abnormality", "lv hypertrophy"),
    "exang": ("FALSE", "TRUE"),
    "slope": ("upsloping", "flat", "downsloping"),
    "thal": ("normal", "fixed defect", "reversable defect"),
}
VARIABLES = (
    "age",
    "sex",
    "cp",
    "trestbps",
    "chol",
    "fbs",
    "restecg",
    "thalch",
    "exang",
    "oldpeak",
    "slope",
    "ca",
    "thal",
    "num",
)
CALIBRATION_ROUNDS = 6
CALIBRATION_DRAWS = 20_000
CALIBRATION_SEED = 20240630
MIN_SITE_OBSERVED = 30  # below this many observed values a site borrows the pooled marginal


def encode(rows: list[dict[str, str]]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """UCI rows as a float matrix (NaN = missing; zero cholesterol / BP mean missing) and site codes."""
    data = np.full((len(rows), len(VARIABLES)), np.nan)
    sites = np.array([SITES.index(row["dataset"]) for row in rows], dtype=np.int64)
    for j, var in enumerate(VARIABLES):
        for i, row in enumerate(rows):
            value = row[var]
            if value == "":
                continue
            if var in CATEGORIES:
                data[i, j] = CATEGORIES[var].index(value)
            else:
                number = float(value)
                if var in ("chol", "trestbps") and number == 0:
                    continue
                data[i, j] = number
    return data, sites


@dataclass
class UciCopula:
    """Fitted copula: per-site sorted marginals, a correlation matrix and site frequencies."""

    marginals: list[list[FloatArray]]  # [site][variable] sorted observed values
    correlation: FloatArray
    site_probs: FloatArray
    missing_rate: FloatArray  # [site, variable] share missing in the real data, for realistic exports

    @classmethod
    def fit(cls, data: FloatArray, sites: npt.NDArray[np.int64]) -> UciCopula:
        n_vars = data.shape[1]
        pooled = [np.sort(data[~np.isnan(data[:, j]), j]) for j in range(n_vars)]
        marginals: list[list[FloatArray]] = []
        scores = np.full_like(data, np.nan)
        for s in range(len(SITES)):
            in_site = sites == s
            site_marg: list[FloatArray] = []
            for j in range(n_vars):
                col = data[in_site, j]
                observed = np.sort(col[~np.isnan(col)])
                marg = observed if observed.size >= MIN_SITE_OBSERVED else pooled[j]
                site_marg.append(marg)
                ok = ~np.isnan(col)
                below = np.searchsorted(marg, col[ok], side="left")
                upto = np.searchsorted(marg, col[ok], side="right")
                mid = (below + upto) / 2.0 / marg.size  # mid-rank CDF handles ties of discrete values
                idx = np.flatnonzero(in_site)[ok]
                scores[idx, j] = stats.norm.ppf(np.clip(mid, 0.5 / marg.size, 1 - 0.5 / marg.size))
            marginals.append(site_marg)
        corr = np.eye(n_vars)  # start from the normal-score correlations, then calibrate
        for a in range(n_vars):
            for b in range(a + 1, n_vars):
                both = ~np.isnan(scores[:, a]) & ~np.isnan(scores[:, b])
                if both.sum() >= 20:
                    corr[a, b] = corr[b, a] = float(np.corrcoef(scores[both, a], scores[both, b])[0, 1])
        counts = np.bincount(sites, minlength=len(SITES)).astype(np.float64)
        missing = np.array([np.isnan(data[sites == s]).mean(axis=0) for s in range(len(SITES))])
        fitted = cls(marginals, _nearest_correlation(corr), counts / counts.sum(), missing)
        fitted.calibrate(data)
        return fitted

    def calibrate(self, data: FloatArray, rounds: int = CALIBRATION_ROUNDS) -> None:
        """Adjust the normal-scale correlations until sampled rank correlations match the real ones.

        Mid-rank scores of discrete variables attenuate correlations (e.g. chest-pain type vs disease);
        a few NORTA-style fixed-point rounds undo that (Cario & Nelson 1997).
        """
        target = _spearman(data)
        rng = np.random.default_rng(CALIBRATION_SEED)
        for _ in range(rounds):
            sample, _ = self.sample(CALIBRATION_DRAWS, rng)
            gap = np.nan_to_num(target - _spearman(sample))
            np.fill_diagonal(gap, 0.0)
            self.correlation = _nearest_correlation(np.clip(self.correlation + gap, -0.95, 0.95))

    def sample(self, n: int, rng: np.random.Generator) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """`n` draws (rows in VARIABLES order) and their site codes."""
        sites = rng.choice(len(SITES), size=n, p=self.site_probs).astype(np.int64)
        z = rng.multivariate_normal(np.zeros(len(VARIABLES)), self.correlation, size=n, method="cholesky")
        u = stats.norm.cdf(z)
        out = np.empty((n, len(VARIABLES)))
        for s in range(len(SITES)):
            rows = sites == s
            for j, marg in enumerate(self.marginals[s]):
                idx = np.minimum((u[rows, j] * marg.size).astype(np.int64), marg.size - 1)
                out[rows, j] = marg[idx]
        return out, sites


def _nearest_correlation(corr: FloatArray) -> FloatArray:
    """Clip eigenvalues (pairwise estimates need not be PSD) and restore the unit diagonal."""
    sym = (corr + corr.T) / 2
    np.fill_diagonal(sym, 1.0)
    values, vectors = np.linalg.eigh(sym)
    fixed = vectors @ np.diag(np.clip(values, 1e-3, None)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    return np.asarray(fixed / np.outer(scale, scale), dtype=np.float64)


def _spearman(data: FloatArray) -> FloatArray:
    """Pairwise-complete Spearman correlations (NaN where fewer than 20 pairs)."""
    n_vars = data.shape[1]
    if not np.isnan(data).any():
        return np.asarray(np.corrcoef(stats.rankdata(data, axis=0), rowvar=False), dtype=np.float64)
    out = np.full((n_vars, n_vars), np.nan)
    for a in range(n_vars):
        out[a, a] = 1.0
        for b in range(a + 1, n_vars):
            both = ~np.isnan(data[:, a]) & ~np.isnan(data[:, b])
            if both.sum() >= 20:
                ra, rb = stats.rankdata(data[both, a]), stats.rankdata(data[both, b])
                out[a, b] = out[b, a] = float(np.corrcoef(ra, rb)[0, 1])
    return out
