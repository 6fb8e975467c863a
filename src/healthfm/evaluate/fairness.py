"""Subgroup audit of a binary risk model (per-group metrics with bootstrap CIs, equalized-odds and
demographic-parity gaps) and Kamiran–Calders reweighing for the training-time mitigation."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from healthfm.errors import UsageError
from healthfm.evaluate.groups import AGE_BANDS as _BANDS
from healthfm.evaluate.groups import UNDER_18
from healthfm.evaluate.metrics import (
    NAN,
    BatchedMetrics,
    Estimate,
    FloatArray,
    _as_labels,
    _auroc_kernel,
    _binary_inputs,
    _bootstrap_batched,
    _check_threshold,
    _ratio,
)

__all__ = [
    "AGE_BANDS",
    "UNKNOWN",
    "AttributeSummary",
    "FairnessReport",
    "GroupRow",
    "fairness_audit",
    "reweighing_weights",
]

UNKNOWN = "unknown"
# Age bands in display order, as evaluate/groups.py assigns them (age at prediction time); the privacy
# gate caps recorded ages at 90, so "90+" is the last band.
AGE_BANDS = (UNDER_18, *_BANDS)
GROUP_METRICS = ("auroc", "tpr", "fpr", "ppv", "selection_rate", "calibration_gap")
INTERSECTION_SEP = " & "


@dataclass(frozen=True)
class GroupRow:
    """One subgroup: sizes and metrics at the audit threshold, each with a bootstrap CI.

    calibration_gap is mean predicted risk − observed rate (positive: the model over-predicts).
    `small` marks groups under the audit's min_group; their estimates are noisy and they are left out
    of the gap summary.
    """

    attribute: str
    group: str
    n: int
    positives: int
    auroc: Estimate
    tpr: Estimate
    fpr: Estimate
    ppv: Estimate
    selection_rate: Estimate
    calibration_gap: Estimate
    small: bool

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"attribute": self.attribute, "group": self.group, "n": self.n}
        out |= {"positives": self.positives, "small": self.small}
        out |= {m: getattr(self, m).to_dict() for m in GROUP_METRICS}
        return out


@dataclass(frozen=True)
class AttributeSummary:
    """Gaps between the compared groups of one attribute (max − min across groups).

    equalized_odds_difference is the larger of the TPR and FPR gaps, demographic_parity_difference the
    selection-rate gap — both as fairlearn.metrics defines them — and auroc_gap the AUROC gap.
    """

    attribute: str
    groups: list[str]
    equalized_odds_difference: Estimate
    demographic_parity_difference: Estimate
    auroc_gap: Estimate
    small_groups: list[str] = field(default_factory=list)  # compared, but under min_group: read with care

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "groups": list(self.groups),
            "small_groups": list(self.small_groups),
            "equalized_odds_difference": self.equalized_odds_difference.to_dict(),
            "demographic_parity_difference": self.demographic_parity_difference.to_dict(),
            "auroc_gap": self.auroc_gap.to_dict(),
        }


@dataclass
class FairnessReport:
    """Per-group rows, per-attribute gap summaries, and notes on what was skipped."""

    rows: list[GroupRow]
    summary: dict[str, AttributeSummary]
    threshold: float
    min_group: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "min_group": self.min_group,
            "rows": [r.to_dict() for r in self.rows],
            "summary": {k: v.to_dict() for k, v in self.summary.items()},
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per group; each metric as value, <metric>_low and <metric>_high columns."""
        records = []
        for r in self.rows:
            rec: dict[str, Any] = {"attribute": r.attribute, "group": r.group, "n": r.n}
            rec |= {"positives": r.positives, "small": r.small}
            for m in GROUP_METRICS:
                e = getattr(r, m)
                rec |= {m: e.value, f"{m}_low": e.low, f"{m}_high": e.high}
            records.append(rec)
        columns = ["attribute", "group", "n", "positives", "small"]
        columns += [c for m in GROUP_METRICS for c in (m, f"{m}_low", f"{m}_high")]
        return pd.DataFrame.from_records(records, columns=columns)


def _labels(values: pd.Series | npt.ArrayLike, name: str) -> npt.NDArray[np.str_]:
    """Group labels as strings; missing -> "unknown"."""
    s = pd.Series(values)
    if s.ndim != 1:
        raise UsageError(f"{name} must be one value per patient")
    out = s.astype(object).where(s.notna(), UNKNOWN).astype(str).str.strip()
    return np.asarray(out.where(out != "", UNKNOWN).to_numpy(), dtype=np.str_)


def _sorted_groups(values: npt.NDArray[np.str_]) -> list[str]:
    """Alphabetical, age bands in age order, "unknown" last (also within intersections)."""

    def key(group: str) -> list[tuple[bool, int, str]]:
        parts = group.split(INTERSECTION_SEP)
        return [(p == UNKNOWN, AGE_BANDS.index(p) if p in AGE_BANDS else -1, p) for p in parts]

    return sorted(set(values.tolist()), key=key)


def _group_kernel(y: FloatArray, prob: FloatArray, pred: FloatArray) -> BatchedMetrics:
    """GROUP_METRICS of one group from its patients' (B, n_group) resampling weights."""
    auroc = _auroc_kernel(y, prob)
    cells = np.stack([y * pred, (1 - y) * pred, y, 1 - y, pred, prob - y], axis=1)

    def metrics(w: FloatArray) -> dict[str, FloatArray]:
        tp, fp, pos, neg, called, excess = (w @ cells).T
        size = w.sum(axis=1)
        return {
            "auroc": auroc(w),
            "tpr": _ratio(tp, pos),
            "fpr": _ratio(fp, neg),
            "ppv": _ratio(tp, called),
            "selection_rate": _ratio(called, size),
            "calibration_gap": _ratio(excess, size),
        }

    return metrics


def _range(values: FloatArray) -> FloatArray:
    """max − min across columns per row, over defined values; NaN with fewer than two."""
    ok = np.isfinite(values)
    hi = np.where(ok, values, -np.inf).max(axis=1)
    lo = np.where(ok, values, np.inf).min(axis=1)
    return np.where(ok.sum(axis=1) >= 2, hi - lo, NAN)


def _attributes(
    groups: pd.DataFrame, intersections: Sequence[tuple[str, ...]], notes: list[str]
) -> list[tuple[str, npt.NDArray[np.str_]]]:
    columns = {str(c): _labels(groups[c], f"groups[{c!r}]") for c in groups.columns}
    usable = {}
    for name, values in columns.items():
        if (values == UNKNOWN).all():
            notes.append(f"{name}: not recorded for any patient (all '{UNKNOWN}'), skipped")
        else:
            usable[name] = values
    out = list(usable.items())
    for combo in intersections:
        named: object = combo
        if (
            not isinstance(named, tuple | list)
            or len(named) < 2
            or not all(isinstance(c, str) for c in named)
        ):
            raise UsageError(f"each intersection must be a tuple of two or more column names, got {combo!r}")
        missing = [c for c in combo if c not in usable]
        if missing:
            notes.append(
                f"intersection {INTERSECTION_SEP.join(combo)} skipped: no usable column {', '.join(missing)}"
            )
            continue
        joined = usable[combo[0]].astype(object)
        for c in combo[1:]:
            joined = joined + INTERSECTION_SEP + usable[c].astype(object)
        out.append((INTERSECTION_SEP.join(combo), np.asarray(joined, dtype=np.str_)))
    return out


def fairness_audit(
    y: npt.ArrayLike,
    prob: npt.ArrayLike,
    threshold: float,
    groups: pd.DataFrame,
    *,
    intersections: Sequence[tuple[str, ...]] = (("sex", "age_band"),),
    min_group: int = 100,
    min_compared: int = 20,
    n_boot: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> FairnessReport:
    """Audit a binary model across the attributes (columns of `groups`) and their `intersections`.

    `groups` has one row per patient (aligned with y and prob) and string values, missing = "unknown";
    a column that is entirely "unknown" is skipped with a note. Predictions are prob >= threshold.
    Every group gets metrics with bootstrap CIs (NaN AUROC when it lacks an outcome class); the gap
    summary compares the groups of at least `min_compared` patients that hold both outcome classes, and
    names those under `min_group` (flagged: their gaps are noisy) in `small_groups`. The
    equalized-odds and demographic-parity point values come from fairlearn.metrics; their CIs, like all
    others, from resampling all patients jointly so the gaps' CIs reflect the groups' dependence.
    """
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    yy, pp = _binary_inputs(y, prob)
    t = _check_threshold(threshold)
    if not isinstance(groups, pd.DataFrame):
        raise UsageError(
            f"groups must be a pandas DataFrame (one row per patient), got {type(groups).__name__}"
        )
    if len(groups) != yy.size:
        raise UsageError(f"groups has {len(groups)} rows but y has {yy.size} patients")
    if int(min_group) != min_group or min_group < 1:
        raise UsageError(f"min_group must be a positive integer, got {min_group!r}")
    notes: list[str] = []
    attributes = _attributes(groups, intersections, notes)
    pred = (pp >= t).astype(np.float64)

    plan: list[tuple[str, str, npt.NDArray[np.intp], bool]] = []  # attribute, group, patients, compared
    for a, values in attributes:
        for g in _sorted_groups(values):
            idx = np.flatnonzero(values == g)
            pos = int(yy[idx].sum())
            known = UNKNOWN not in g.split(INTERSECTION_SEP)  # "unknown": shown, never compared
            plan.append(
                (a, g, idx, known and idx.size >= min(min_compared, min_group) and 0 < pos < idx.size)
            )
    group_fns = [_group_kernel(yy[idx], pp[idx], pred[idx]) for _, _, idx, _ in plan]

    def fn(w: FloatArray) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {}
        for j, (_, _, idx, _) in enumerate(plan):
            out |= {f"{j}/{m}": v for m, v in group_fns[j](w[:, idx]).items()}
        for a, _ in attributes:
            compared = [j for j, row in enumerate(plan) if row[0] == a and row[3]]

            def gap(metric: str, compared: list[int] = compared) -> FloatArray:
                if not compared:
                    return np.full(w.shape[0], NAN)
                return _range(np.stack([out[f"{j}/{metric}"] for j in compared], axis=1))

            out[f"{a}/eod"] = np.maximum(gap("tpr"), gap("fpr"))
            out[f"{a}/dpd"] = gap("selection_rate")
            out[f"{a}/auroc_gap"] = gap("auroc")
        return out

    est = _bootstrap_batched(fn, yy.size, n_boot=n_boot, seed=seed, alpha=alpha)
    rows = []
    for j, (a, g, idx, _) in enumerate(plan):
        metrics = {m: est[f"{j}/{m}"] for m in GROUP_METRICS}
        rows.append(
            GroupRow(a, g, int(idx.size), int(yy[idx].sum()), small=bool(idx.size < min_group), **metrics)
        )

    summary = {}
    for a, values in attributes:
        compared = [g for (attr, g, _, ok) in plan if attr == a and ok]
        left_out = [g for (attr, g, _, ok) in plan if attr == a and not ok]
        if left_out:
            notes.append(
                f"{a}: {', '.join(left_out)} left out of the gap summary "
                f"(unrecorded, fewer than {min(min_compared, min_group)} patients or one outcome class)"
            )
        eod, dpd = est[f"{a}/eod"], est[f"{a}/dpd"]
        if len(compared) >= 2:
            mask = np.isin(values, compared)
            kw = {"sensitive_features": values[mask]}
            eod = dataclasses.replace(eod, value=float(equalized_odds_difference(yy[mask], pred[mask], **kw)))
            dpd = dataclasses.replace(
                dpd, value=float(demographic_parity_difference(yy[mask], pred[mask], **kw))
            )
        else:
            notes.append(f"{a}: fewer than two groups to compare, no gap summary")
        small = [g for (attr, g, idx, ok) in plan if attr == a and ok and idx.size < min_group]
        summary[a] = AttributeSummary(a, compared, eod, dpd, est[f"{a}/auroc_gap"], small)
    return FairnessReport(rows, summary, t, int(min_group), notes)


def reweighing_weights(groups: pd.Series | npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
    """Kamiran & Calders reweighing: w(a, y) = P(A=a)·P(Y=y) / P(A=a, Y=y), normalised to mean 1.

    Weighted by these, group membership and outcome are independent (missing groups count as "unknown").
    """
    labels = _labels(groups, "groups")
    yy = _as_labels(y)
    if labels.size != yy.size:
        raise UsageError(f"groups has {labels.size} values but y has {yy.size}")
    codes = pd.factorize(pd.Series(labels))[0]
    cell = codes * 2 + yy.astype(np.int64)
    n = float(yy.size)
    p_a = np.bincount(codes) / n
    p_y = np.bincount(yy.astype(np.int64), minlength=2) / n
    p_ay = np.bincount(cell) / n
    w = p_a[codes] * p_y[yy.astype(np.int64)] / p_ay[cell]
    return np.asarray(w / w.mean(), dtype=np.float64)
