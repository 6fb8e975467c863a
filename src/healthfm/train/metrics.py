"""The few metrics the training loop monitors on the tuning split (full evaluation lives in `evaluate/`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import rankdata  # type: ignore[import-untyped]


def auroc(y: np.ndarray[Any, Any], score: np.ndarray[Any, Any]) -> float:
    """Area under the ROC curve by the rank-sum formula (ties get average ranks); NaN with one class."""
    y = np.asarray(y).astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(np.asarray(score, dtype=float))
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def macro_auroc(y: np.ndarray[Any, Any], prob: np.ndarray[Any, Any]) -> float:
    """One-vs-rest AUROC averaged over classes that occur (multiclass: y are indices; multilabel: 0/1)."""
    y = np.asarray(y)
    onehot = np.eye(prob.shape[1])[y.astype(int)] if y.ndim == 1 else y
    scores = [auroc(onehot[:, k], prob[:, k]) for k in range(prob.shape[1])]
    valid = [s for s in scores if not np.isnan(s)]
    return float(np.mean(valid)) if valid else float("nan")


def harrell_c(time: np.ndarray[Any, Any], event: np.ndarray[Any, Any], risk: np.ndarray[Any, Any]) -> float:
    """Harrell's concordance: among comparable pairs (the earlier time is an event), how often the earlier
    one has the higher risk; risk ties count one half."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event).astype(bool)
    r = np.asarray(risk, dtype=float)
    concordant = 0.0
    comparable = 0
    for i in np.flatnonzero(e):
        later = t > t[i]
        n = int(later.sum())
        if n == 0:
            continue
        comparable += n
        concordant += float((r[i] > r[later]).sum()) + 0.5 * float((r[i] == r[later]).sum())
    return concordant / comparable if comparable else float("nan")
