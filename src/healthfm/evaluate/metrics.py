"""Metrics with percentile-bootstrap confidence intervals: binary, multiclass, multilabel and survival.

A bootstrap resample is a row of counts (how often each patient was drawn), so each metric here is
written over a (B, n) weight matrix and one vectorised pass scores a whole block of resamples.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit  # type: ignore[import-untyped]

from healthfm.errors import UsageError

__all__ = [
    "Estimate",
    "MetricSet",
    "auroc",
    "average_precision",
    "binary_metrics",
    "bootstrap",
    "brier",
    "calibration_intercept",
    "calibration_slope",
    "confusion",
    "ece",
    "harrell_c",
    "macro_auroc",
    "multiclass_metrics",
    "multilabel_metrics",
    "paired_difference",
    "pr_points",
    "reliability",
    "roc_points",
    "survival_metrics",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Kernel = Callable[[FloatArray], FloatArray]  # (B, n) resampling weights -> (B,) metric values
BatchedMetrics = Callable[[FloatArray], dict[str, FloatArray]]  # (B, n) weights -> named (B,) values

MAX_CELLS = 1_000_000  # weight-matrix cells held at once; bounds memory for large cohorts
PROB_EPS = 1e-7  # probabilities are clipped to [eps, 1 - eps] before a logit
SURVIVAL_TIED_TOL = 1e-8  # risk scores closer than this tie, as in scikit-survival
SURVIVAL_PAIR_BUDGET = 4e9  # resamples x patients x events before survival resamples are reduced
NAN = math.nan


def _json_float(x: float) -> float | None:
    return None if math.isnan(x) or math.isinf(x) else float(x)


@dataclass(frozen=True)
class Estimate:
    """A point estimate on all patients with a percentile bootstrap interval.

    `n` is the number of patients; `n_resamples` the resamples on which the metric was defined.
    """

    value: float
    low: float
    high: float
    n: int
    n_resamples: int = 0

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "value": _json_float(self.value),
            "low": _json_float(self.low),
            "high": _json_float(self.high),
            "n": self.n,
            "n_resamples": self.n_resamples,
        }

    def __str__(self) -> str:
        if math.isnan(self.value):
            return "n/a"
        if math.isnan(self.low) or math.isnan(self.high):
            return f"{self.value:.3f} [CI n/a]"
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


class MetricSet(dict[str, Estimate]):
    """Named estimates, plus `notes` on anything left out or adjusted (shown in reports)."""

    def __init__(self, estimates: Mapping[str, Estimate] | None = None, notes: Sequence[str] = ()) -> None:
        super().__init__(estimates or {})
        self.notes = list(notes)

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": {k: v.to_dict() for k, v in self.items()}, "notes": list(self.notes)}


# --------------------------------------------------------------------------- input checks


def _array(x: object, name: str, dtype: type = float) -> npt.NDArray[Any]:
    try:
        return np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{name} must be numeric: {exc}") from None


def _first_bad(mask: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> str:
    """The first offending value and where it is, for error messages."""
    where = tuple(int(i) for i in np.argwhere(mask)[0])
    at = f"position {where[0]}" if len(where) == 1 else f"row {where[0]}, column {where[1]}"
    return f"{float(values[where]):g} at {at}"


def _as_labels(y: object, name: str = "y", ndim: int = 1) -> FloatArray:
    """0/1 labels as floats."""
    arr = _array(y, name)
    if arr.ndim != ndim:
        raise UsageError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise UsageError(f"{name} is empty")
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        raise UsageError(f"{name} must hold 0/1 labels; found {_first_bad(bad, arr)}")
    return arr


def _as_probabilities(p: object, name: str = "prob", ndim: int = 1) -> FloatArray:
    arr = _array(p, name)
    if arr.ndim != ndim:
        raise UsageError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise UsageError(f"{name} is empty")
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        raise UsageError(f"{name} must be probabilities in [0, 1]; found {_first_bad(bad, arr)}")
    return arr


def _as_finite(x: object, name: str, ndim: int = 1) -> FloatArray:
    arr = _array(x, name)
    if arr.ndim != ndim:
        raise UsageError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise UsageError(f"{name} is empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise UsageError(f"{name} must be finite; found {_first_bad(bad, arr)}")
    return arr


def _same_length(**arrays: npt.NDArray[Any]) -> int:
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise UsageError(f"inputs must have one row per patient; lengths differ: {shown}")
    return next(iter(lengths.values()))


def _binary_inputs(y: object, prob: object) -> tuple[FloatArray, FloatArray]:
    yy, pp = _as_labels(y), _as_probabilities(prob)
    _same_length(y=yy, prob=pp)
    return yy, pp


def _check_threshold(threshold: float, name: str = "threshold") -> float:
    t = float(threshold)
    if not 0.0 <= t <= 1.0:
        raise UsageError(f"{name} must be in [0, 1], got {threshold!r}")
    return t


def _check_resampling(n_boot: int, alpha: float) -> None:
    if int(n_boot) != n_boot or n_boot < 0:
        raise UsageError(f"n_boot must be a non-negative integer, got {n_boot!r}")
    if not 0.0 < alpha < 1.0:
        raise UsageError(f"alpha must be in (0, 1), got {alpha!r}")


# --------------------------------------------------------------------------- resampling engine


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den, NaN where den is 0 (an undefined metric on that resample)."""
    out = np.full(np.shape(num), NAN)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _index_chunks(n: int, n_boot: int, seed: int) -> Iterator[IntArray]:
    """Blocks of resampled row indices, (b, n) each; the stream depends only on (n, n_boot, seed)."""
    rng = np.random.default_rng(seed)
    per_block = max(1, MAX_CELLS // n)
    done = 0
    while done < n_boot:
        b = min(per_block, n_boot - done)
        yield rng.integers(0, n, size=(b, n))
        done += b


def _counts(idx: IntArray, n: int) -> FloatArray:
    """Index rows (b, n) -> how often each patient was drawn (b, n)."""
    b = idx.shape[0]
    flat = (idx + (np.arange(b) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=b * n).reshape(b, n).astype(np.float64)


def _summarise(value: float, draws: FloatArray, n: int, n_boot: int, alpha: float) -> Estimate:
    """Percentile interval over the resamples where the metric is defined; NaN if fewer than half are."""
    ok = draws[np.isfinite(draws)]
    if n_boot == 0 or ok.size < 0.5 * n_boot or math.isnan(value):
        return Estimate(value, NAN, NAN, n, int(ok.size))
    low, high = np.quantile(ok, [alpha / 2, 1 - alpha / 2])
    return Estimate(value, float(low), float(high), n, int(ok.size))


def _bootstrap_batched(
    fn: BatchedMetrics, n: int, *, n_boot: int, seed: int, alpha: float, width: int = 1
) -> dict[str, Estimate]:
    """Point estimates (all weights 1) and bootstrap intervals of every metric `fn` returns.

    `width` is the per-patient fan-out of `fn`'s intermediates (e.g. K for flattened one-vs-rest),
    used to evaluate a block of resamples in pieces that fit MAX_CELLS.
    """
    _check_resampling(n_boot, alpha)
    point = {k: float(v[0]) for k, v in fn(np.ones((1, n))).items()}
    draws: dict[str, list[FloatArray]] = {k: [] for k in point}
    step = max(1, MAX_CELLS // (n * max(1, width)))
    for idx in _index_chunks(n, n_boot, seed):
        weights = _counts(idx, n)
        for start in range(0, weights.shape[0], step):
            for k, v in fn(weights[start : start + step]).items():
                draws[k].append(v)
    return {
        k: _summarise(point[k], np.concatenate(draws[k]) if draws[k] else np.empty(0), n, n_boot, alpha)
        for k in point
    }


# --------------------------------------------------------------------------- weighted kernels


def _grouped(values: FloatArray, starts: IntArray | None) -> FloatArray:
    """Sum sorted columns within tie groups (None: no ties)."""
    return values if starts is None else np.add.reduceat(values, starts, axis=1)


def _tie_starts(sorted_score: FloatArray, tied_tol: float) -> IntArray | None:
    starts = np.flatnonzero(np.r_[True, np.abs(np.diff(sorted_score)) > tied_tol])
    return None if starts.size == sorted_score.size else starts


def _auc_kernel(
    score: FloatArray,
    pos: FloatArray,
    neg: FloatArray,
    tied_tol: float = 0.0,
    patient: IntArray | None = None,
) -> Kernel:
    """Weighted Mann–Whitney AUC, P(score_pos > score_neg) + ½ P(tie).

    Entry i weighs w[patient[i]] · pos[i] as a positive and w[patient[i]] · neg[i] as a negative
    (`patient` maps flattened entries to patients; default one entry per patient).
    """
    order = np.argsort(score, kind="stable")
    starts = _tie_starts(score[order], tied_tol)
    take = order if patient is None else patient[order]
    pos_s, neg_s = pos[order], neg[order]

    def auc(w: FloatArray) -> FloatArray:
        wo = w[:, take]
        p, q = _grouped(wo * pos_s, starts), _grouped(wo * neg_s, starts)  # (B, groups)
        below = np.cumsum(q, axis=1) - q
        num = np.einsum("bg,bg->b", p, below + 0.5 * q)
        return _ratio(num, p.sum(axis=1) * q.sum(axis=1))

    return auc


def _ap_kernel(score: FloatArray, pos: FloatArray, patient: IntArray | None = None) -> Kernel:
    """Weighted average precision, Σ over thresholds of ΔRecall x Precision (scikit-learn's definition)."""
    order = np.argsort(-score, kind="stable")
    starts = _tie_starts(score[order], 0.0)
    take = order if patient is None else patient[order]
    pos_s = pos[order]

    def ap(w: FloatArray) -> FloatArray:
        wo = w[:, take]
        tp_g, all_g = _grouped(wo * pos_s, starts), _grouped(wo, starts)
        tp, called = np.cumsum(tp_g, axis=1), np.cumsum(all_g, axis=1)
        precision = np.zeros_like(tp)
        np.divide(tp, called, out=precision, where=called > 0)  # tp_g is 0 wherever called is 0
        return _ratio(np.einsum("bg,bg->b", tp_g, precision), tp_g.sum(axis=1))

    return ap


def _wmean(w: FloatArray, v: FloatArray) -> FloatArray:
    return _ratio(w @ v, w.sum(axis=1))


def _logit(p: FloatArray, eps: float = PROB_EPS) -> FloatArray:
    q = np.clip(p, eps, 1 - eps)
    return np.asarray(np.log(q) - np.log1p(-q), dtype=np.float64)


def _auroc_kernel(y: FloatArray, prob: FloatArray) -> Kernel:
    return _auc_kernel(prob, y, 1 - y)


def _ap_binary_kernel(y: FloatArray, prob: FloatArray) -> Kernel:
    return _ap_kernel(prob, y)


def _brier_kernel(y: FloatArray, prob: FloatArray) -> Kernel:
    sq = (prob - y) ** 2
    return lambda w: _wmean(w, sq)


def _bin_index(prob: FloatArray, bins: int) -> IntArray:
    if int(bins) != bins or bins < 1:
        raise UsageError(f"bins must be a positive integer, got {bins!r}")
    return np.minimum((prob * bins).astype(np.int64), bins - 1)


def _ece_kernel(y: FloatArray, prob: FloatArray, bins: int = 10) -> Kernel:
    onehot = np.eye(bins)[_bin_index(prob, bins)]  # (n, bins)
    gap = onehot * (y - prob)[:, None]
    # sum_b (n_b/N)|ȳ_b − p̄_b| = sum_b |Σ_b (y − p)| / N
    return lambda w: _ratio(np.abs(w @ gap).sum(axis=1), w.sum(axis=1))


def _recalibration_fit(
    w: FloatArray,
    y: FloatArray,
    z: FloatArray,
    free_slope: bool,
    start: tuple[float, float],
    max_iter: int = 50,
) -> tuple[FloatArray, FloatArray]:
    """Weighted logistic fit  logit P(y=1) = a + b·z  per row of w by Newton's method (b fixed at 1
    unless `free_slope`). Rows that do not converge (a single class, perfect separation) give NaN."""
    rows = w.shape[0]
    a, b = np.full(rows, start[0]), np.full(rows, start[1])
    out_a, out_b = np.full(rows, NAN), np.full(rows, NAN)
    active = np.arange(rows)
    for _ in range(max_iter):
        wa = w[active]
        mu = expit(a[active, None] + b[active, None] * z)
        r, h = wa * (y - mu), wa * mu * (1 - mu)
        g0, h00 = r.sum(axis=1), h.sum(axis=1)
        if free_slope:
            g1, h01, h11 = r @ z, h @ z, h @ (z * z)
            det = h00 * h11 - h01 * h01
            ok = (h00 > 0) & (det > 1e-12 * h00 * h11)
            safe = np.where(ok, det, 1.0)
            da, db = (
                np.where(ok, (h11 * g0 - h01 * g1) / safe, 0.0),
                np.where(ok, (h00 * g1 - h01 * g0) / safe, 0.0),
            )
        else:
            ok = h00 > 0
            da, db = np.where(ok, g0 / np.where(ok, h00, 1.0), 0.0), np.zeros(active.size)
        a[active] += da
        b[active] += db
        done = ok & (np.abs(da) + np.abs(db) < 1e-9 * (1 + np.abs(a[active]) + np.abs(b[active])))
        out_a[active[done]], out_b[active[done]] = a[active[done]], b[active[done]]
        active = active[ok & ~done & np.isfinite(a[active] + b[active])]
        if active.size == 0:
            break
    return out_a, out_b


def _slope_kernel(y: FloatArray, prob: FloatArray) -> Kernel:
    """Slope b of the joint logistic recalibration fit  logit P(y=1) = a + b·logit(p)."""
    z = _logit(prob)
    a0, b0 = _recalibration_fit(np.ones((1, y.size)), y, z, True, (0.0, 1.0))
    start = (float(a0[0]), float(b0[0])) if np.isfinite(b0[0]) else (0.0, 1.0)  # warm start for resamples
    return lambda w: _recalibration_fit(w, y, z, True, start)[1]


def _intercept_kernel(y: FloatArray, prob: FloatArray) -> Kernel:
    """Calibration-in-the-large: a in  logit P(y=1) = a + logit(p), the slope fixed at 1."""
    z = _logit(prob)
    a0, _ = _recalibration_fit(np.ones((1, y.size)), y, z, False, (0.0, 1.0))
    start = (float(a0[0]), 1.0) if np.isfinite(a0[0]) else (0.0, 1.0)
    return lambda w: _recalibration_fit(w, y, z, False, start)[0]


def _threshold_kernel(y: FloatArray, prob: FloatArray, threshold: float) -> BatchedMetrics:
    pred = (prob >= threshold).astype(np.float64)
    cells = np.stack([y * pred, (1 - y) * pred, y * (1 - pred), (1 - y) * (1 - pred)], axis=1)  # TP FP FN TN

    def stats(w: FloatArray) -> dict[str, FloatArray]:
        tp, fp, fn, tn = (w @ cells).T
        return {
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "sensitivity": _ratio(tp, tp + fn),
            "specificity": _ratio(tn, tn + fp),
            "ppv": _ratio(tp, tp + fp),
            "npv": _ratio(tn, tn + fn),
        }

    return stats


# --------------------------------------------------------------------------- plain binary metrics


Factory = Callable[..., Kernel]  # raw metric arguments -> kernel over resampling weights
_KERNELS: dict[Callable[..., float], Factory] = {}  # plain metric -> its vectorised form, for `bootstrap`


def _binary_factory(make: Callable[[FloatArray, FloatArray], Kernel], name: str) -> Factory:
    def factory(*arrays: npt.ArrayLike) -> Kernel:
        if len(arrays) != 2:
            raise UsageError(f"{name} takes (y, prob), got {len(arrays)} arrays")
        return make(*_binary_inputs(arrays[0], arrays[1]))

    return factory


def _point(kernel: Kernel, n: int) -> float:
    return float(kernel(np.ones((1, n)))[0])


def auroc(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """Area under the ROC curve (ties count ½); NaN when y holds one class."""
    return _point(_KERNELS[auroc](y, prob), len(np.asarray(y)))


def average_precision(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """Average precision (area under the precision–recall curve, step-wise); NaN without positives."""
    return _point(_KERNELS[average_precision](y, prob), len(np.asarray(y)))


def brier(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """Mean squared error of the predicted probability."""
    return _point(_KERNELS[brier](y, prob), len(np.asarray(y)))


def ece(y: npt.ArrayLike, prob: npt.ArrayLike, bins: int = 10) -> float:
    """Expected calibration error: equal-width bins on [0, 1], |observed − predicted| weighted by bin size."""
    yy, pp = _binary_inputs(y, prob)
    return _point(_ece_kernel(yy, pp, bins), yy.size)


def calibration_slope(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """Slope of the logistic fit of y on logit(prob) with a free intercept; 1 is ideal, < 1 overconfident."""
    return _point(_KERNELS[calibration_slope](y, prob), len(np.asarray(y)))


def calibration_intercept(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """Calibration-in-the-large: intercept of the logistic fit of y with logit(prob) as offset (slope 1).

    0 is ideal; negative means the model over-predicts risk on average.
    """
    return _point(_KERNELS[calibration_intercept](y, prob), len(np.asarray(y)))


_KERNELS |= {
    auroc: _binary_factory(_auroc_kernel, "auroc"),
    average_precision: _binary_factory(_ap_binary_kernel, "average_precision"),
    brier: _binary_factory(_brier_kernel, "brier"),
    ece: _binary_factory(_ece_kernel, "ece"),
    calibration_slope: _binary_factory(_slope_kernel, "calibration_slope"),
    calibration_intercept: _binary_factory(_intercept_kernel, "calibration_intercept"),
}


# --------------------------------------------------------------------------- generic bootstrap


def _call_metric(metric: Callable[..., float], arrays: Sequence[npt.NDArray[Any]], resample: bool) -> float:
    """Undefined results -> NaN: UndefinedMetricWarning, division by zero, and ValueError on a resample."""
    from sklearn.exceptions import UndefinedMetricWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return float(metric(*arrays))
        except (UndefinedMetricWarning, RuntimeWarning, ZeroDivisionError):
            return NAN
        except ValueError:
            if resample:
                return NAN
            raise


def _generic_draws(
    metric: Callable[..., float], arrays: Sequence[npt.NDArray[Any]], n: int, n_boot: int, seed: int
) -> FloatArray:
    draws = [
        _call_metric(metric, [a[row] for a in arrays], resample=True)
        for idx in _index_chunks(n, n_boot, seed)
        for row in idx
    ]
    return np.asarray(draws, dtype=np.float64)


def _rows(arrays: Sequence[npt.ArrayLike]) -> tuple[list[npt.NDArray[Any]], int]:
    if not arrays:
        raise UsageError("bootstrap needs at least one array")
    arrs = [np.asarray(a) for a in arrays]
    if any(a.ndim == 0 for a in arrs):
        raise UsageError("bootstrap arrays must have one row per patient, got a scalar")
    n = _same_length(**{f"array {i}": a for i, a in enumerate(arrs)})
    if n == 0:
        raise UsageError("bootstrap arrays are empty")
    return arrs, n


def bootstrap(
    metric: Callable[..., float],
    *arrays: npt.ArrayLike,
    n_boot: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> Estimate:
    """`metric(*arrays)` on all rows, with a percentile CI over `n_boot` resamples of rows (patients).

    Resamples where the metric is undefined are skipped; fewer than half defined gives a NaN interval.
    The plain metrics of this module (auroc, average_precision, brier, ece, calibration_slope,
    calibration_intercept, macro_auroc, harrell_c) take a vectorised path; any other callable is called
    once per resample (its UndefinedMetricWarning or ValueError on a resample marks it undefined there).
    """
    _check_resampling(n_boot, alpha)
    arrs, n = _rows(arrays)
    factory = _KERNELS.get(metric)
    if factory is not None:
        kernel = factory(*arrs)
        return _bootstrap_batched(lambda w: {"m": kernel(w)}, n, n_boot=n_boot, seed=seed, alpha=alpha)["m"]
    value = _call_metric(metric, arrs, resample=False)
    return _summarise(value, _generic_draws(metric, arrs, n, n_boot, seed), n, n_boot, alpha)


def paired_difference(
    metric: Callable[..., float],
    y: npt.ArrayLike,
    score_a: npt.ArrayLike,
    score_b: npt.ArrayLike,
    n_boot: int = 1000,
    seed: int = 0,
    *,
    alpha: float = 0.05,
) -> Estimate:
    """metric(y, a) − metric(y, b) by a paired bootstrap: both models scored on the same resampled patients.

    A CI above zero supports "model A beats model B" on this metric.
    """
    _check_resampling(n_boot, alpha)
    (yy, a, b), n = _rows([y, score_a, score_b])
    factory = _KERNELS.get(metric)
    if factory is not None:
        ka, kb = factory(yy, a), factory(yy, b)
        fn: BatchedMetrics = lambda w: {"d": ka(w) - kb(w)}  # noqa: E731
        return _bootstrap_batched(fn, n, n_boot=n_boot, seed=seed, alpha=alpha)["d"]

    def diff(yv: npt.NDArray[Any], av: npt.NDArray[Any], bv: npt.NDArray[Any]) -> float:
        return float(metric(yv, av)) - float(metric(yv, bv))

    value = _call_metric(diff, [yy, a, b], resample=False)
    return _summarise(value, _generic_draws(diff, [yy, a, b], n, n_boot, seed), n, n_boot, alpha)


# --------------------------------------------------------------------------- binary task


def binary_metrics(
    y: npt.ArrayLike,
    prob: npt.ArrayLike,
    threshold: float,
    n_boot: int = 1000,
    seed: int = 0,
    *,
    alpha: float = 0.05,
    bins: int = 10,
) -> MetricSet:
    """Discrimination, threshold and calibration metrics of a binary risk score, with bootstrap CIs.

    Threshold metrics predict positive when prob >= threshold. `calibration_slope` is from the joint
    logistic fit of y on logit(prob); `calibration_intercept` is calibration-in-the-large (slope fixed
    at 1). All metrics share the same resamples.
    """
    yy, pp = _binary_inputs(y, prob)
    t = _check_threshold(threshold)
    single: dict[str, Kernel] = {
        "auroc": _auroc_kernel(yy, pp),
        "auprc": _ap_binary_kernel(yy, pp),
        "brier": _brier_kernel(yy, pp),
        "ece": _ece_kernel(yy, pp, bins),
        "calibration_slope": _slope_kernel(yy, pp),
        "calibration_intercept": _intercept_kernel(yy, pp),
        "prevalence": lambda w: _wmean(w, yy),
    }
    by_threshold = _threshold_kernel(yy, pp, t)

    def fn(w: FloatArray) -> dict[str, FloatArray]:
        return {**{k: f(w) for k, f in single.items()}, **by_threshold(w)}

    est = _bootstrap_batched(fn, yy.size, n_boot=n_boot, seed=seed, alpha=alpha)
    order = ["auroc", "auprc", "f1", "sensitivity", "specificity", "ppv", "npv", "brier", "ece"]
    order += ["calibration_slope", "calibration_intercept", "prevalence"]
    notes = []
    if yy.min() == yy.max():
        notes.append(
            f"y holds only {'positives' if yy[0] else 'negatives'}: discrimination metrics are undefined"
        )
    return MetricSet({k: est[k] for k in order}, notes)


def reliability(y: npt.ArrayLike, prob: npt.ArrayLike, bins: int = 10) -> dict[str, list[float]]:
    """Calibration-plot data per non-empty equal-width bin: edges, mean predicted, observed rate, count."""
    yy, pp = _binary_inputs(y, prob)
    idx = _bin_index(pp, bins)
    count = np.bincount(idx, minlength=bins).astype(np.float64)
    keep = count > 0
    predicted = np.bincount(idx, weights=pp, minlength=bins)[keep] / count[keep]
    observed = np.bincount(idx, weights=yy, minlength=bins)[keep] / count[keep]
    edges = np.linspace(0.0, 1.0, bins + 1)
    return {
        "bin_lower": edges[:-1][keep].tolist(),
        "bin_upper": edges[1:][keep].tolist(),
        "mean_predicted": predicted.tolist(),
        "observed": observed.tolist(),
        "count": count[keep].tolist(),
    }


def _subsample(length: int, max_points: int) -> IntArray:
    if max_points < 2:
        raise UsageError(f"max_points must be at least 2, got {max_points}")
    if length <= max_points:
        return np.arange(length)
    return np.unique(np.round(np.linspace(0, length - 1, max_points)).astype(np.int64))


def _both_classes(y: FloatArray, what: str) -> None:
    if y.min() == y.max():
        raise UsageError(f"{what} needs both classes in y; got only {'positives' if y[0] else 'negatives'}")


def _finite_or_none(values: FloatArray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in values]


def roc_points(y: npt.ArrayLike, prob: npt.ArrayLike, max_points: int = 200) -> dict[str, list[float | None]]:
    """ROC curve for plotting: fpr, tpr and thresholds (None for the 'nothing positive' start point)."""
    from sklearn.metrics import roc_curve

    yy, pp = _binary_inputs(y, prob)
    _both_classes(yy, "roc_points")
    fpr, tpr, thr = roc_curve(yy.astype(np.int64), pp, drop_intermediate=True)
    keep = _subsample(len(fpr), max_points)
    return {"fpr": fpr[keep].tolist(), "tpr": tpr[keep].tolist(), "thresholds": _finite_or_none(thr[keep])}


def pr_points(y: npt.ArrayLike, prob: npt.ArrayLike, max_points: int = 200) -> dict[str, list[float | None]]:
    """Precision–recall curve for plotting, recall ascending; the recall-0 start point has threshold None."""
    from sklearn.metrics import precision_recall_curve

    yy, pp = _binary_inputs(y, prob)
    _both_classes(yy, "pr_points")
    precision, recall, thr = precision_recall_curve(yy.astype(np.int64), pp, drop_intermediate=True)
    thr_full = np.r_[thr, NAN][::-1]
    precision, recall = precision[::-1], recall[::-1]
    keep = _subsample(len(recall), max_points)
    return {
        "recall": recall[keep].tolist(),
        "precision": precision[keep].tolist(),
        "thresholds": _finite_or_none(thr_full[keep]),
    }


# --------------------------------------------------------------------------- multiclass and multilabel


def confusion(y: npt.ArrayLike, pred_labels: npt.ArrayLike, n_classes: int) -> IntArray:
    """Counts, rows = true class, columns = predicted class."""
    if int(n_classes) != n_classes or n_classes < 1:
        raise UsageError(f"n_classes must be a positive integer, got {n_classes!r}")
    yy = _class_labels(y, int(n_classes), "y")
    pred = _class_labels(pred_labels, int(n_classes), "pred_labels")
    _same_length(y=yy, pred_labels=pred)
    k = int(n_classes)
    return np.bincount(yy * k + pred, minlength=k * k).reshape(k, k).astype(np.int64)


def _class_labels(y: object, n_classes: int, name: str) -> IntArray:
    arr = _as_finite(y, name)
    bad = (arr != np.round(arr)) | (arr < 0) | (arr >= n_classes)
    if bad.any():
        raise UsageError(f"{name} must hold class indices 0..{n_classes - 1}; found {_first_bad(bad, arr)}")
    return arr.astype(np.int64)


def _nanmean_rows(values: FloatArray) -> FloatArray:
    """Mean over columns that are defined, per row; NaN where none is."""
    ok = np.isfinite(values)
    return _ratio(np.where(ok, values, 0.0).sum(axis=1), ok.sum(axis=1).astype(np.float64))


def _f1_kernel(truth: FloatArray, pred: FloatArray) -> BatchedMetrics:
    """Per-column F1 of (n, K) 0/1 truth and predictions; macro skips undefined columns (no TP, FP or FN)."""
    tp_m, fp_m, fn_m = truth * pred, (1 - truth) * pred, truth * (1 - pred)

    def f1(w: FloatArray) -> dict[str, FloatArray]:
        tp, fp, fn = w @ tp_m, w @ fp_m, w @ fn_m  # (B, K)
        per = _ratio(2 * tp, 2 * tp + fp + fn)
        tps, fps, fns = tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1)
        return {"macro_f1": _nanmean_rows(per), "micro_f1": _ratio(2 * tps, 2 * tps + fps + fns)}

    return f1


def _per_column_kernels(
    truth: FloatArray, prob: FloatArray, columns: Sequence[int]
) -> tuple[list[Kernel], list[Kernel]]:
    aucs = [_auroc_kernel(truth[:, k], prob[:, k]) for k in columns]
    aps = [_ap_binary_kernel(truth[:, k], prob[:, k]) for k in columns]
    return aucs, aps


def _micro_kernels(truth: FloatArray, prob: FloatArray) -> tuple[Kernel, Kernel]:
    """AUROC and AUPRC over all (patient, column) entries pooled; each entry keeps its patient's weight."""
    flat_t, flat_p = truth.ravel(), prob.ravel()
    patient = np.repeat(np.arange(truth.shape[0]), truth.shape[1])  # ravel is patient-major
    return _auc_kernel(flat_p, flat_t, 1 - flat_t, patient=patient), _ap_kernel(
        flat_p, flat_t, patient=patient
    )


def _stack_mean(kernels: Sequence[Kernel], w: FloatArray) -> FloatArray:
    if not kernels:
        return np.full(w.shape[0], NAN)
    return _nanmean_rows(np.stack([f(w) for f in kernels], axis=1))


def _macro_auroc_factory(*arrays: npt.ArrayLike) -> Kernel:
    if len(arrays) != 2:
        raise UsageError(f"macro_auroc takes (y, prob), got {len(arrays)} arrays")
    pp = _as_probabilities(arrays[1], ndim=2)
    n, k = pp.shape
    y_arr = np.asarray(arrays[0])
    truth = _as_labels(y_arr, ndim=2) if y_arr.ndim == 2 else np.eye(k)[_class_labels(y_arr, k, "y")]
    if truth.shape != pp.shape:
        raise UsageError(f"y and prob do not match: {y_arr.shape} labels for prob of shape {pp.shape}")
    aucs = [_auroc_kernel(truth[:, c], pp[:, c]) for c in range(k) if 0 < truth[:, c].sum() < n]
    return lambda w: _stack_mean(aucs, w)


def macro_auroc(y: npt.ArrayLike, prob: npt.ArrayLike) -> float:
    """One-vs-rest AUROC of each column of prob (N, K), averaged over the columns with both outcomes.

    y is class indices (N,) for multiclass or 0/1 labels (N, K) for multilabel.
    """
    return _point(_macro_auroc_factory(y, prob), len(np.asarray(y)))


_KERNELS[macro_auroc] = _macro_auroc_factory


def multiclass_metrics(
    y: npt.ArrayLike, prob: npt.ArrayLike, n_boot: int = 1000, seed: int = 0, *, alpha: float = 0.05
) -> MetricSet:
    """One-of-K metrics from class probabilities (N, K) whose rows sum to 1.

    macro AUROC/AUPRC are one-vs-rest means over the classes defined on the data (or resample);
    predictions are the argmax; brier is the multiclass Brier score, mean of Σ_k (p_k − 1[y=k])² (0..2).
    """
    pp = _as_probabilities(prob, ndim=2)
    n, k = pp.shape
    if k < 2:
        raise UsageError(f"prob must have one column per class (at least 2), got shape {pp.shape}")
    row_sums = pp.sum(axis=1)
    bad = np.abs(row_sums - 1) > 1e-3
    if bad.any():
        raise UsageError(
            f"each row of prob must sum to 1; row {int(np.flatnonzero(bad)[0])} sums to "
            f"{row_sums[bad][0]:.4f}"
        )
    yy = _class_labels(y, k, "y")
    _same_length(y=yy, prob=pp)
    onehot = np.eye(k)[yy]
    present = [c for c in range(k) if 0 < onehot[:, c].sum() < n]
    notes = [
        f"class {c} is absent (or is every patient): left out of macro averages"
        for c in range(k)
        if c not in present
    ]
    aucs, aps = _per_column_kernels(onehot, pp, present)
    micro_auc, _ = _micro_kernels(onehot, pp)
    pred_hot = np.eye(k)[np.argmax(pp, axis=1)]
    f1 = _f1_kernel(onehot, pred_hot)
    correct = (pred_hot * onehot).sum(axis=1)
    sq = ((pp - onehot) ** 2).sum(axis=1)

    def fn(w: FloatArray) -> dict[str, FloatArray]:
        return {
            "macro_auroc": _stack_mean(aucs, w),
            "micro_auroc": micro_auc(w),
            "macro_auprc": _stack_mean(aps, w),
            "accuracy": _wmean(w, correct),
            **f1(w),
            "brier": _wmean(w, sq),
        }

    est = _bootstrap_batched(fn, n, n_boot=n_boot, seed=seed, alpha=alpha, width=k)
    return MetricSet(est, notes)


def multilabel_metrics(
    y: npt.ArrayLike,
    prob: npt.ArrayLike,
    thresholds: float | npt.ArrayLike,
    n_boot: int = 1000,
    seed: int = 0,
    *,
    labels: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> MetricSet:
    """Metrics of K independent 0/1 labels: macro/micro AUROC, AUPRC and F1, and `auroc/<label>` per label.

    A label is predicted when prob >= its threshold. Labels undefined on the data or a resample (one
    class only; for F1 no TP, FP or FN) are left out of macro averages.
    """
    yy = _as_labels(y, ndim=2)
    pp = _as_probabilities(prob, ndim=2)
    if yy.shape != pp.shape:
        raise UsageError(
            f"y and prob must have the same shape (patients, labels); got {yy.shape} and {pp.shape}"
        )
    n, k = yy.shape
    thr = _array(thresholds, "thresholds")
    if thr.ndim not in (0, 1) or (thr.ndim == 1 and thr.shape != (k,)):
        raise UsageError(f"thresholds must be a number or one per label ({k}), got shape {thr.shape}")
    for t in np.atleast_1d(thr):
        _check_threshold(float(t), "each threshold")
    names = [str(i) for i in range(k)] if labels is None else [str(s) for s in labels]
    if len(names) != k or len(set(names)) != k:
        raise UsageError(f"labels must be {k} distinct names, got {list(names)}")
    defined = [c for c in range(k) if 0 < yy[:, c].sum() < n]
    notes = [
        f"label {names[c]} has one class only: AUROC/AUPRC undefined, left out of macro averages"
        for c in range(k)
        if c not in defined
    ]
    aucs, aps = _per_column_kernels(yy, pp, range(k))
    micro_auc, micro_ap = _micro_kernels(yy, pp)
    f1 = _f1_kernel(yy, (pp >= thr).astype(np.float64))

    def fn(w: FloatArray) -> dict[str, FloatArray]:
        per = np.stack([f(w) for f in aucs], axis=1)  # (B, K)
        out = {
            "macro_auroc": _nanmean_rows(per[:, defined]),
            "micro_auroc": micro_auc(w),
            "macro_auprc": _stack_mean([aps[c] for c in defined], w),
            "micro_auprc": micro_ap(w),
            **f1(w),
        }
        out.update({f"auroc/{names[c]}": per[:, c] for c in range(k)})
        return out

    est = _bootstrap_batched(fn, n, n_boot=n_boot, seed=seed, alpha=alpha, width=k)
    return MetricSet(est, notes)


# --------------------------------------------------------------------------- survival


def _surv_inputs(
    time: object, event: object, name: str, require_event: bool
) -> tuple[FloatArray, FloatArray]:
    tt = _as_finite(time, f"{name}time")
    if (tt < 0).any():
        raise UsageError(f"{name}time must be non-negative (days); found {_first_bad(tt < 0, tt)}")
    ee = _as_labels(event, f"{name}event")
    _same_length(**{f"{name}time": tt, f"{name}event": ee})
    if require_event and ee.sum() == 0:
        raise UsageError(f"{name}event holds no events: the censoring distribution needs at least one")
    return tt, ee


def _weighted_km(time: FloatArray, event: FloatArray, at: FloatArray) -> Callable[[FloatArray], FloatArray]:
    """Kaplan–Meier S(t) of the (weighted) test patients at `at`, (B, len(at))."""
    order = np.argsort(time, kind="stable")
    s = time[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    col = np.searchsorted(s[starts], at, side="right") - 1  # >= 0: times start at the earliest follow-up

    def km(w: FloatArray) -> FloatArray:
        d = np.add.reduceat((w * event)[:, order], starts, axis=1)
        total = np.add.reduceat(w[:, order], starts, axis=1)
        at_risk = np.cumsum(total[:, ::-1], axis=1)[:, ::-1]
        factor = 1 - np.where(at_risk > 0, _ratio(d, at_risk), 0.0)
        return np.asarray(np.cumprod(factor, axis=1)[:, col], dtype=np.float64)

    return km


def _pairwise_kernel(
    time: FloatArray, event: FloatArray, risk: FloatArray, uno_weight: FloatArray | None
) -> BatchedMetrics:
    """Harrell's and Uno's C as bilinear forms in the resample weights, over blocks of events.

    Pair (i, j) is comparable when i has an event and j outlived i (or was censored at i's time);
    it is concordant when risk_i > risk_j, and counts ½ when the risks tie (scikit-survival's rules).
    """
    events = np.flatnonzero(event == 1)
    n = time.size
    block = max(1, MAX_CELLS // (4 * n))

    def cindex(w: FloatArray) -> dict[str, FloatArray]:
        num_h, den_h = np.zeros(w.shape[0]), np.zeros(w.shape[0])
        num_u, den_u = np.zeros(w.shape[0]), np.zeros(w.shape[0])
        for start in range(0, events.size, block):
            rows = events[start : start + block]
            ti, tj = time[rows, None], time[None, :]
            comparable = (tj > ti) | ((tj == ti) & (event[None, :] == 0))
            diff = risk[rows, None] - risk[None, :]
            credit = np.where(np.abs(diff) <= SURVIVAL_TIED_TOL, 0.5, (diff > 0).astype(np.float64))
            conc = w @ (comparable * credit).T  # (B, rows)
            comp = w @ comparable.T.astype(np.float64)
            wi = w[:, rows]
            num_h += (wi * conc).sum(axis=1)
            den_h += (wi * comp).sum(axis=1)
            if uno_weight is not None:
                wu = wi * uno_weight[rows]
                num_u += (wu * conc).sum(axis=1)
                den_u += (wu * comp).sum(axis=1)
        out = {"harrell_c": _ratio(num_h, den_h)}
        return out if uno_weight is None else out | {"uno_c": _ratio(num_u, den_u)}

    return cindex


def _harrell_factory(*arrays: npt.ArrayLike) -> Kernel:
    if len(arrays) != 3:
        raise UsageError(f"harrell_c takes (time, event, risk), got {len(arrays)} arrays")
    tt, ee = _surv_inputs(arrays[0], arrays[1], "", require_event=False)
    rr = _as_finite(arrays[2], "risk")
    _same_length(time=tt, event=ee, risk=rr)
    pairs = _pairwise_kernel(tt, ee, rr, None)
    return lambda w: pairs(w)["harrell_c"]


def harrell_c(time: npt.ArrayLike, event: npt.ArrayLike, risk: npt.ArrayLike) -> float:
    """Harrell's concordance of a risk score (higher = earlier event), as scikit-survival computes it;
    NaN without comparable pairs."""
    return _point(_harrell_factory(time, event, risk), len(np.asarray(time)))


_KERNELS[harrell_c] = _harrell_factory


def _censoring(train_time: FloatArray, train_event: FloatArray) -> Callable[[FloatArray], FloatArray]:
    """G(t) = P(censoring time > t), the training Kaplan–Meier of censoring (scikit-survival's estimator)."""
    from sksurv.nonparametric import CensoringDistributionEstimator
    from sksurv.util import Surv

    cens = CensoringDistributionEstimator().fit(Surv.from_arrays(train_event.astype(bool), train_time))
    last = float(train_time.max())

    def g(t: FloatArray) -> FloatArray:
        out = np.zeros(t.shape)  # beyond the training follow-up G is unknown: treated as 0 (unusable)
        inside = t <= last
        if inside.any():
            out[inside] = cens.predict_proba(t[inside])
        return out

    return g


def survival_metrics(
    train_time: npt.ArrayLike,
    train_event: npt.ArrayLike,
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    risk: npt.ArrayLike,
    *,
    times: Sequence[float],
    survival: npt.ArrayLike | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> MetricSet:
    """Survival discrimination and calibration of a risk score (higher = earlier event), times in days.

    Keys: harrell_c; uno_c (IPCW weights from the training censoring distribution, tau = the largest
    usable time); td_auc (cumulative/dynamic AUC averaged over the usable times, weighted by the test
    Kaplan–Meier as scikit-survival does) and `td_auc@<t>`; with `survival` (S(t) per patient at
    `times`, shape (N, len(times))) also `brier@<t>` and integrated_brier (needs two usable times).

    These equal scikit-survival's concordance_index_censored, concordance_index_ipcw,
    cumulative_dynamic_auc and integrated_brier_score. Usable times lie in [first, last) test follow-up
    and where the training censoring survival is positive; others are dropped with a note. The
    bootstrap resamples test patients with the censoring distribution held fixed; C-index work grows
    as patients x events per resample, so past SURVIVAL_PAIR_BUDGET the resample count is reduced
    (noted). For 200 patients and 1,000 resamples it runs in well under a second.
    """
    tr_t, tr_e = _surv_inputs(train_time, train_event, "train_", require_event=True)
    tt, ee = _surv_inputs(time, event, "", require_event=False)
    rr = _as_finite(risk, "risk")
    n = _same_length(time=tt, event=ee, risk=rr)
    req = _as_finite(list(times), "times") if len(times) else np.empty(0)
    if np.unique(req).size != req.size:
        raise UsageError(f"times must be distinct, got {req.tolist()}")
    order = np.argsort(req)
    req = req[order]
    surv: FloatArray | None = None
    if survival is not None:
        shape = np.shape(survival)
        if shape != (n, req.size):
            raise UsageError(
                f"survival must have shape (patients, len(times)) = {(n, req.size)}, got {shape}"
            )
        surv = _as_probabilities(survival, "survival", ndim=2)[:, order] if req.size else np.empty((n, 0))
    _check_resampling(n_boot, alpha)
    notes = []
    if ee.sum() == 0:
        notes.append("no events among the test patients: survival metrics are undefined")

    g = _censoring(tr_t, tr_e)
    usable = (req >= tt.min()) & (req < tt.max()) & (g(req) > 0)
    if not usable.all():
        notes.append(
            f"times {req[~usable].tolist()} dropped: outside test follow-up [{tt.min():g}, {tt.max():g}) "
            "or past the training censoring distribution"
        )
    t_ok = req[usable]
    tau = float(t_ok.max()) if t_ok.size else math.inf
    if not t_ok.size:
        notes.append(
            "no usable evaluation times: uno_c is undefined; td_auc and Brier scores are not computed"
        )

    inv_g = np.zeros(n)  # 1/G(T_i) for events early enough to matter
    early = (ee == 1) & (tt <= (t_ok.max() if t_ok.size else -math.inf))
    inv_g[early] = 1.0 / g(tt[early])
    uno_w = np.where(tt < tau, inv_g, 0.0) ** 2 if t_ok.size else np.zeros(n)

    kernels: list[BatchedMetrics] = [_pairwise_kernel(tt, ee, rr, uno_w)]
    if t_ok.size:
        kernels.append(_td_auc_kernel(tt, ee, rr, inv_g, t_ok))
        if surv is not None:
            kernels.append(_brier_kernel_surv(tt, ee, surv[:, usable], inv_g, t_ok, 1.0 / g(t_ok)))
    if surv is not None and t_ok.size < 2:
        notes.append("integrated_brier needs at least two usable times")

    n_events = int(ee.sum())
    n_eff = n_boot
    if n_boot * n * n_events > SURVIVAL_PAIR_BUDGET:
        n_eff = min(n_boot, max(200, int(SURVIVAL_PAIR_BUDGET / (n * n_events))))
        notes.append(
            f"survival bootstrap uses {n_eff} resamples (of {n_boot}) to bound the pairwise C-index work"
        )

    def fn(w: FloatArray) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {}
        for k in kernels:
            out.update(k(w))
        return out

    est = _bootstrap_batched(fn, n, n_boot=n_eff, seed=seed, alpha=alpha, width=max(4, t_ok.size))
    return MetricSet(est, notes)


def _td_auc_kernel(
    time: FloatArray, event: FloatArray, risk: FloatArray, inv_g: FloatArray, at: FloatArray
) -> BatchedMetrics:
    """Cumulative/dynamic AUC(t): cases died by t (IPCW-weighted), controls still at risk after t."""
    aucs = [
        _auc_kernel(
            risk, np.where((time <= t) & (event == 1), inv_g, 0.0), (time > t) * 1.0, SURVIVAL_TIED_TOL
        )
        for t in at
    ]
    km = _weighted_km(time, event, at)

    def td(w: FloatArray) -> dict[str, FloatArray]:
        scores = np.stack([auc(w) for auc in aucs], axis=1)
        out = {f"td_auc@{t:g}": scores[:, i] for i, t in enumerate(at)}
        if at.size == 1:
            out["td_auc"] = scores[:, 0]
        else:
            s = km(w)
            drop = -np.diff(np.c_[np.ones(w.shape[0]), s], axis=1)
            out["td_auc"] = _ratio((scores * drop).sum(axis=1), 1 - s[:, -1])
        return {"td_auc": out.pop("td_auc"), **out}

    return td


def _brier_kernel_surv(
    time: FloatArray,
    event: FloatArray,
    surv: FloatArray,
    inv_g: FloatArray,
    at: FloatArray,
    inv_g_t: FloatArray,
) -> BatchedMetrics:
    """Graf's IPCW Brier score at each time, and its trapezoid integral over the times."""
    case = (time[:, None] <= at[None, :]) & (event[:, None] == 1)
    control = time[:, None] > at[None, :]
    terms = surv**2 * case * inv_g[:, None] + (1 - surv) ** 2 * control * inv_g_t[None, :]  # (n, T)

    def bs(w: FloatArray) -> dict[str, FloatArray]:
        per = _ratio(w @ terms, w.sum(axis=1)[:, None] * np.ones((1, at.size)))
        out = {f"brier@{t:g}": per[:, i] for i, t in enumerate(at)}
        if at.size >= 2:
            out = {"integrated_brier": np.trapezoid(per, at, axis=1) / (at[-1] - at[0]), **out}
        return out

    return bs
