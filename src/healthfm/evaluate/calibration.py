"""Post-hoc calibration (temperature scaling, isotonic regression) and decision-threshold rules.

Both are fitted on the tuning split, never on the test split; a fitted `Calibrator` is saved as JSON with
the model and reproduces its mapping exactly when loaded.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize_scalar  # type: ignore[import-untyped]
from scipy.special import expit, log_softmax, softmax  # type: ignore[import-untyped]

from healthfm.errors import UsageError
from healthfm.evaluate.metrics import (
    FloatArray,
    _as_probabilities,
    _binary_inputs,
    _class_labels,
    _logit,
    _same_length,
)

__all__ = ["CALIBRATION_METHODS", "Calibrator", "choose_threshold", "select_calibrator"]

CALIBRATION_METHODS = ("temperature", "isotonic", "none")
TEMPERATURE_BOUNDS = (0.01, 100.0)
LOG_EPS = 1e-12  # probabilities are clipped to [eps, 1 - eps] before a log or logit
MIN_TUNING_FOR_CV = 50  # below this, select_calibrator fits temperature scaling without comparing


def _calibration_inputs(prob: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, npt.NDArray[Any], int]:
    """(prob, labels, n_classes): 1-D prob is P(y=1) with 0/1 labels; 2-D is (N, K) with class indices."""
    arr = np.asarray(prob)
    if arr.ndim == 1:
        y01, p1 = _binary_inputs(y, prob)
        return p1, y01.astype(np.int64), 2
    pp = _as_probabilities(prob, ndim=2)
    if pp.shape[1] < 2:
        raise UsageError(f"prob must be 1-D (binary) or have one column per class, got shape {pp.shape}")
    yy = _class_labels(y, pp.shape[1], "y")
    _same_length(prob=pp, y=yy)
    return pp, yy, pp.shape[1]


def _log_prob(prob: FloatArray) -> FloatArray:
    return np.asarray(np.log(np.clip(prob, LOG_EPS, 1.0)), dtype=np.float64)


def _apply_temperature(prob: FloatArray, temperature: float) -> FloatArray:
    if prob.ndim == 1:
        return np.asarray(expit(_logit(prob, LOG_EPS) / temperature), dtype=np.float64)
    return np.asarray(softmax(_log_prob(prob) / temperature, axis=1), dtype=np.float64)


def _fit_temperature(prob: FloatArray, y: npt.NDArray[Any]) -> float:
    """The T minimising the negative log-likelihood of the rescaled probabilities (searched on log T)."""
    if prob.ndim == 1:
        signed = np.where(y == 1, 1.0, -1.0) * _logit(prob, LOG_EPS)

        def nll(log_t: float) -> float:
            return float(np.logaddexp(0.0, -signed / math.exp(log_t)).mean())
    else:
        logp = _log_prob(prob)
        rows = np.arange(y.size)

        def nll(log_t: float) -> float:
            return float(-log_softmax(logp / math.exp(log_t), axis=1)[rows, y].mean())

    lo, hi = (math.log(b) for b in TEMPERATURE_BOUNDS)
    result = minimize_scalar(nll, bounds=(lo, hi), method="bounded", options={"xatol": 1e-8})
    return float(math.exp(result.x))


class Calibrator:
    """Maps predicted probabilities to calibrated ones; fitted on the tuning split.

    method: "temperature" (rescale logit(p) — or log-probabilities, multiclass — by 1/T fitted by
    minimising NLL), "isotonic" (monotone step-linear map, binary only) or "none" (identity).
    Binary probabilities are 1-D P(y=1) with 0/1 labels; multiclass are (N, K) with class indices.
    """

    def __init__(self, method: str = "temperature") -> None:
        if method not in CALIBRATION_METHODS:
            raise UsageError(
                f"calibration method must be one of {', '.join(CALIBRATION_METHODS)}, got {method!r}"
            )
        self.method = method

    def fit(self, prob: npt.ArrayLike, y: npt.ArrayLike) -> Calibrator:
        pp, yy, k = _calibration_inputs(prob, y)
        self.n_classes_ = k
        self.binary_ = pp.ndim == 1
        if self.method == "temperature":
            self.temperature_ = _fit_temperature(pp, yy)
        elif self.method == "isotonic":
            if not self.binary_:
                raise UsageError(
                    "isotonic calibration is for binary tasks (1-D probabilities); use temperature"
                )
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
                pp, yy.astype(np.float64)
            )
            self.thresholds_ = np.asarray(iso.X_thresholds_, dtype=np.float64)
            self.values_ = np.asarray(iso.y_thresholds_, dtype=np.float64)
        self.oof_brier_: dict[str, float] = {}
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_classes_"):
            raise UsageError("this Calibrator is not fitted: call fit(prob, y) or load one with from_dict")

    def transform(self, prob: npt.ArrayLike) -> FloatArray:
        self._check_fitted()
        pp = _as_probabilities(prob, ndim=1 if self.binary_ else 2)
        if not self.binary_ and pp.shape[1] != self.n_classes_:
            raise UsageError(
                f"prob has {pp.shape[1]} columns; this calibrator was fitted on {self.n_classes_}"
            )
        if self.method == "temperature":
            return _apply_temperature(pp, self.temperature_)
        if self.method == "isotonic":
            return np.asarray(np.interp(pp, self.thresholds_, self.values_), dtype=np.float64)
        return pp.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe state; `Calibrator.from_dict` rebuilds an identical mapping."""
        self._check_fitted()
        out: dict[str, Any] = {"method": self.method, "n_classes": self.n_classes_, "binary": self.binary_}
        if self.method == "temperature":
            out["temperature"] = self.temperature_
        elif self.method == "isotonic":
            out["thresholds"] = self.thresholds_.tolist()
            out["values"] = self.values_.tolist()
        if self.oof_brier_:
            out["oof_brier"] = dict(self.oof_brier_)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Calibrator:
        try:
            cal = cls(str(d["method"]))
            cal.n_classes_ = int(d["n_classes"])
            cal.binary_ = bool(d["binary"])
            if cal.method == "temperature":
                cal.temperature_ = float(d["temperature"])
                if not cal.temperature_ > 0:
                    raise ValueError(f"temperature must be positive, got {cal.temperature_}")
            elif cal.method == "isotonic":
                cal.thresholds_ = np.asarray(d["thresholds"], dtype=np.float64)
                cal.values_ = np.asarray(d["values"], dtype=np.float64)
                if (
                    cal.thresholds_.ndim != 1
                    or cal.thresholds_.shape != cal.values_.shape
                    or not cal.values_.size
                ):
                    raise ValueError("thresholds and values must be equal-length non-empty lists")
            cal.oof_brier_ = {str(k): float(v) for k, v in d.get("oof_brier", {}).items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"not a saved Calibrator: {exc!r}") from None
        return cal

    def __repr__(self) -> str:
        if self.method == "temperature" and hasattr(self, "temperature_"):
            return f"Calibrator(method='temperature', temperature_={self.temperature_:.4g})"
        return f"Calibrator(method={self.method!r})"


def _brier_any(prob: FloatArray, y: npt.NDArray[Any]) -> float:
    """Binary Brier, or the multiclass Σ_k (p_k − 1[y=k])² averaged over patients."""
    if prob.ndim == 1:
        return float(np.mean((prob - y) ** 2))
    return float(np.mean(((prob - np.eye(prob.shape[1])[y]) ** 2).sum(axis=1)))


def select_calibrator(
    prob_tune: npt.ArrayLike, y_tune: npt.ArrayLike, *, n_splits: int = 5, seed: int = 0
) -> Calibrator:
    """Pick and fit a calibrator on the tuning split.

    Rule: with at least MIN_TUNING_FOR_CV (50) patients, "none", "temperature" and (binary only)
    "isotonic" are compared by out-of-fold Brier score over stratified k-fold cross-validation
    (k = n_splits, fewer if a class is rarer); the lowest wins, ties going to the simpler method, so
    "none" is kept unless a calibrator helps. Smaller tuning sets (or a class seen once) get temperature
    scaling, whose single parameter is safe to fit on few patients. The winner is refitted on the whole
    tuning split; the out-of-fold scores are kept in `oof_brier_`.
    """
    from sklearn.model_selection import StratifiedKFold

    pp, yy, _ = _calibration_inputs(prob_tune, y_tune)
    if np.unique(yy).size < 2:
        raise UsageError("y_tune holds one class only: calibration needs both outcomes")
    smallest = int(np.bincount(yy)[np.bincount(yy) > 0].min())
    if yy.size < MIN_TUNING_FOR_CV or smallest < 2:
        return Calibrator("temperature").fit(pp, yy)
    methods = ["none", "temperature"] + (["isotonic"] if pp.ndim == 1 else [])
    oof = {m: np.empty_like(pp) for m in methods}
    folds = StratifiedKFold(n_splits=min(n_splits, smallest), shuffle=True, random_state=seed)
    for train, held in folds.split(np.zeros(yy.size), yy):
        for m in methods:
            oof[m][held] = Calibrator(m).fit(pp[train], yy[train]).transform(pp[held])
    scores = {m: _brier_any(oof[m], yy) for m in methods}
    best = min(methods, key=lambda m: (scores[m], methods.index(m)))
    cal = Calibrator(best).fit(pp, yy)
    cal.oof_brier_ = scores
    return cal


def _parse_rule(rule: str) -> tuple[str, float]:
    name, _, target = rule.partition(":")
    if name in ("youden", "f1") and not target:
        return name, math.nan
    if name in ("sensitivity", "specificity") and target:
        try:
            value = float(target)
        except ValueError:
            value = math.nan
        if 0.0 < value <= 1.0:
            return name, value
    raise UsageError(
        "threshold rule must be 'youden', 'f1', 'sensitivity:<x>' or 'specificity:<x>' with 0 < x <= 1; "
        f"got {rule!r}"
    )


def choose_threshold(y: npt.ArrayLike, prob: npt.ArrayLike, rule: str = "youden") -> float:
    """A decision threshold (predict positive when prob >= threshold) chosen on the tuning split.

    Rules: "youden" maximises sensitivity + specificity − 1; "f1" maximises F1; "sensitivity:0.9" is
    the highest threshold with sensitivity >= 0.9; "specificity:0.9" the lowest with specificity >= 0.9
    (the most sensitive such threshold). Ties go to the higher threshold. The caller picks it on the
    tuning split and applies it unchanged to the test split. The result is one of the tuning
    probabilities, or just above the largest when only "nothing positive" meets a specificity target.
    """
    name, target = _parse_rule(rule)
    yy, pp = _binary_inputs(y, prob)
    if yy.min() == yy.max():
        raise UsageError("choose_threshold needs both classes in y")
    order = np.argsort(-pp, kind="stable")
    s, ys = pp[order], yy[order]
    last = np.r_[s[1:] != s[:-1], True]  # end of each tie group: candidate thresholds, descending
    tp = np.cumsum(ys)[last]
    fp = np.cumsum(1 - ys)[last]
    cand = s[last]
    pos, neg = yy.sum(), yy.size - yy.sum()
    sens, spec = tp / pos, 1 - fp / neg
    if name == "youden":
        return float(cand[int(np.argmax(sens + spec - 1))])  # argmax takes the first (highest) on ties
    if name == "f1":
        return float(cand[int(np.argmax(2 * tp / (2 * tp + fp + (pos - tp))))])
    if name == "sensitivity":
        return float(cand[int(np.flatnonzero(sens >= target - 1e-12)[0])])
    ok = np.flatnonzero(spec >= target - 1e-12)
    if ok.size:
        return float(cand[int(ok[-1])])
    return float(np.nextafter(cand[0], math.inf))  # every patient negative: specificity 1
