"""Quantile normalisation: a value → its position in the training distribution → a standard normal score.

Robust to skew, outliers and units (creatinine in mg/dL and µmol/L rank the same), as in scikit-learn's
`QuantileTransformer(output_distribution="normal")`; the train median maps to 0.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from scipy.special import ndtri  # type: ignore[import-untyped]

# Positions are clipped to [P_EPS, 1 - P_EPS], so scores stay within about ±3.09.
P_EPS = 1e-3


def fit_quantiles(values: np.ndarray[Any, Any], n_quantiles: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n_quantiles` evenly spaced quantiles of the finite `values` (fewer when there are fewer values)."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.zeros(0, dtype=np.float64)
    k = max(2, min(n_quantiles, finite.size))
    return np.quantile(finite, np.linspace(0.0, 1.0, k))


@functools.lru_cache(maxsize=64)
def _levels(n: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    levels = np.linspace(0.0, 1.0, n)
    levels.flags.writeable = False
    return levels


def quantile_normal(
    values: np.ndarray[Any, Any], quantiles: np.ndarray[Any, Any]
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Map `values` to standard normal scores through the empirical CDF given by `quantiles`.

    Ties (a lab reported at a few discrete values) take the middle of their CDF range: interpolating
    upwards and downwards and averaging, as scikit-learn does.
    """
    x = np.asarray(values, dtype=np.float64)
    if quantiles.size == 0:
        return np.zeros(x.shape, dtype=np.float32)
    levels = _levels(quantiles.size)
    up = np.interp(x, quantiles, levels)
    down = -np.interp(-x, -quantiles[::-1], -levels[::-1])
    p = np.clip(0.5 * (up + down), P_EPS, 1.0 - P_EPS)
    out = ndtri(p).astype(np.float32)
    out[~np.isfinite(x)] = 0.0
    return out  # type: ignore[no-any-return]
