"""The fitters behind `evaluate.baselines`: linear models, LightGBM and Cox PH, each with its
hyper-parameters chosen on the tuning split (LightGBM also stops early on it)."""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from healthfm.train.metrics import auroc, harrell_c, macro_auroc

Array = np.ndarray[Any, Any]
Predictor = Callable[[Array], Array]

KINDS = ("binary", "multiclass", "multilabel", "regression", "survival")
LOGISTIC_C_GRID = (0.001, 0.01, 0.1, 1.0, 10.0)  # strongest regularisation first: ties keep the simpler
RIDGE_ALPHA_GRID = (1000.0, 100.0, 10.0, 1.0, 0.1)
LIGHTGBM_GRID = ((7, 0.05), (31, 0.05), (7, 0.1), (31, 0.1))  # (num_leaves, learning_rate)
COX_PENALIZER_GRID = (10.0, 1.0, 0.1, 0.01)
MAX_ROUNDS = 1000
EARLY_STOPPING_ROUNDS = 50


@dataclass(frozen=True)
class BaselinePrediction:
    """One baseline's predictions on the tuning and test splits.

    Binary: P(positive) (N,); multiclass / multilabel: probabilities (N, K); regression: values (N,);
    survival: a risk score (N,), higher = earlier event. `params` are those chosen on the tuning split,
    where the baseline scored `tune_score` by `metric`.
    """

    name: str
    tune: Array
    test: Array
    params: dict[str, Any] = field(default_factory=dict)
    fit_seconds: float = 0.0
    tune_score: float = math.nan
    metric: str = ""


@dataclass(frozen=True)
class Target:
    """Validated targets of the training and tuning splits."""

    kind: str
    train: Array  # binary / multiclass labels, multilabel (N, K), regression values, survival times
    tune: Array
    n_classes: int = 0
    train_event: Array | None = None
    tune_event: Array | None = None


# ---------------------------------------------------------------------- scoring on the tuning split


def _log_loss(y: Array, p: Array) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    if p.ndim == 2 and y.ndim == 1:  # multiclass
        return float(-np.mean(np.log(p[np.arange(len(y)), y])))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def selection_score(target: Target, pred: Array) -> tuple[float, float, str]:
    """(selection score, tie-break, metric name); higher is better. A score the tuning split cannot
    give (one class only) falls back to the log-loss."""
    y = target.tune
    if target.kind == "survival":
        assert target.tune_event is not None
        primary, metric, tie = harrell_c(y, target.tune_event, pred), "c_index", 0.0
    elif target.kind == "regression":
        primary, metric, tie = -float(np.sqrt(np.mean((pred - y) ** 2))), "neg_rmse", 0.0
    else:
        primary = auroc(y, pred) if target.kind == "binary" else macro_auroc(y, pred)
        metric, tie = ("auroc" if target.kind == "binary" else "macro_auroc"), -_log_loss(y, pred)
    return (primary if math.isfinite(primary) else -math.inf), tie, metric


# ---------------------------------------------------------------------- linear models


class LinearInputs:
    """Imputation (training medians, or means), missing-value indicators and standardisation, fitted on
    the training split.

    Columns with fewer than two distinct training values are dropped. An indicator is kept for each
    column that is sometimes (not always) missing in training, one per distinct pattern of missingness
    (a code's `last` and `days_since_last`, or one modality's embedding, go missing together).
    """

    def __init__(self, x: Array, fill: str = "median") -> None:
        observed = np.isfinite(x)
        n_obs = observed.sum(axis=0)
        some = np.flatnonzero(n_obs > 0)
        self.fill = np.zeros(x.shape[1])
        varied = np.zeros(x.shape[1], bool)
        if some.size:
            cols = x[:, some]
            self.fill[some] = np.nanmedian(cols, axis=0) if fill == "median" else np.nanmean(cols, axis=0)
            varied[some] = np.nanmax(cols, axis=0) > np.nanmin(cols, axis=0)
        self.values = np.flatnonzero(varied)
        partly = np.flatnonzero((n_obs > 0) & (n_obs < x.shape[0]))
        _, first = np.unique(~observed[:, partly].T, axis=0, return_index=True)
        self.indicators = partly[np.sort(first)]
        z = self._raw(x)
        self.mean = z.mean(axis=0)
        std = z.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)

    def _raw(self, x: Array) -> Array:
        values = x[:, self.values]
        values = np.where(np.isnan(values), self.fill[self.values], values)
        return np.hstack([values, np.isnan(x[:, self.indicators]).astype(np.float64)])

    @property
    def width(self) -> int:
        return int(self.values.size + self.indicators.size)

    def __call__(self, x: Array) -> Array:
        if self.width == 0:  # nothing informative: one zero column, so a model fits its intercept only
            return np.zeros((x.shape[0], 1))
        return (self._raw(x) - self.mean) / self.std  # type: ignore[no-any-return]


def constant(value: Array | float) -> Predictor:
    return lambda z: np.broadcast_to(np.asarray(value, np.float64), (z.shape[0], *np.shape(value))).copy()


def _linear_one(z: Array, y: Array, target: Target, strength: float, seed: int) -> tuple[Predictor, bool]:
    """One linear model (C for logistic, alpha for ridge) and whether its solver converged."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression, Ridge

    if target.kind == "regression":
        ridge = Ridge(alpha=strength).fit(z, y)
        return ridge.predict, True
    classes = np.unique(y)
    if classes.size < 2:  # a multilabel label that never (or always) occurs in training
        return constant(float(classes[0]) if classes.size else 0.0), True
    model = LogisticRegression(C=strength, max_iter=1000, random_state=seed)
    with warnings.catch_warnings():
        # convergence is read from n_iter_ below and reported in params, not raised
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(z, y)
    converged = bool(np.all(model.n_iter_ < model.max_iter))
    if target.kind != "multiclass":
        return (lambda a: model.predict_proba(a)[:, 1]), converged

    def predict(a: Array) -> Array:
        out = np.zeros((a.shape[0], target.n_classes))
        out[:, model.classes_.astype(int)] = model.predict_proba(a)  # classes absent in training stay 0
        return out

    return predict, converged


def _per_label(
    fit_one: Callable[[Array, Array], tuple[Predictor, Any]], target: Target
) -> tuple[Predictor, list[Any]]:
    """Multilabel as one-vs-rest: one model per label column (given its training and tuning labels);
    other kinds: one model."""
    if target.kind != "multilabel":
        predictor, info = fit_one(target.train, target.tune)
        return predictor, [info]
    fitted = [fit_one(target.train[:, k], target.tune[:, k]) for k in range(target.n_classes)]
    return (lambda a: np.stack([p(a) for p, _ in fitted], axis=1)), [info for _, info in fitted]


def _choose(
    name: str,
    target: Target,
    grid: list[dict[str, Any]],
    fit: Callable[[dict[str, Any]], tuple[Predictor, dict[str, Any]]],
    x_tune: Array,
    x_test: Array,
) -> BaselinePrediction:
    """Fit every grid point, keep the best on the tuning split, predict the test split with it."""
    start = time.perf_counter()
    best: tuple[tuple[float, float], Predictor, Array, dict[str, Any], float, str] | None = None
    for point in grid:
        predictor, extra = fit(point)
        tune = predictor(x_tune)
        primary, tie, metric = selection_score(target, tune)
        if best is None or (primary, tie) > best[0]:
            best = ((primary, tie), predictor, tune, point | extra, primary, metric)
    assert best is not None
    _, predictor, tune, params, value, metric = best
    test = predictor(x_test)
    seconds = time.perf_counter() - start
    return BaselinePrediction(
        name, tune, test, params, seconds, value if math.isfinite(value) else math.nan, metric
    )


def linear(x_train: Array, target: Target, x_tune: Array, x_test: Array, seed: int) -> BaselinePrediction:
    prep = LinearInputs(x_train)
    z_train, z_tune, z_test = prep(x_train), prep(x_tune), prep(x_test)
    regression = target.kind == "regression"
    name, key, values = (
        ("ridge", "alpha", RIDGE_ALPHA_GRID) if regression else ("logistic_regression", "C", LOGISTIC_C_GRID)
    )

    def fit(point: dict[str, Any]) -> tuple[Predictor, dict[str, Any]]:
        predictor, converged = _per_label(
            lambda y, _: _linear_one(z_train, y, target, point[key], seed), target
        )
        return predictor, {"converged": all(converged), "features": prep.width}

    return _choose(name, target, [{key: v} for v in values], fit, z_tune, z_test)


# ---------------------------------------------------------------------- LightGBM


def _lightgbm_one(
    x: Array, y: Array, x_tune: Array, y_tune: Array, target: Target, params: dict[str, Any]
) -> tuple[Predictor, int]:
    import lightgbm as lgb

    classes = np.unique(y)
    if target.kind == "multilabel" and classes.size < 2:
        return constant(float(classes[0]) if classes.size else 0.0), 0
    train = lgb.Dataset(x, label=y, params={"verbose": -1}, free_raw_data=False)
    tune = lgb.Dataset(x_tune, label=y_tune, reference=train)
    booster = lgb.train(
        params,
        train,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[tune],
        callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, first_metric_only=True, verbose=False)],
    )
    rounds = int(booster.best_iteration or booster.current_iteration())
    return (lambda a: np.asarray(booster.predict(a, num_iteration=rounds), np.float64)), rounds


def lightgbm(
    name: str, x_train: Array, target: Target, x_tune: Array, x_test: Array, seed: int
) -> BaselinePrediction:
    objective, metric = {
        "binary": ("binary", "binary_logloss"),
        "multilabel": ("binary", "binary_logloss"),
        "multiclass": ("multiclass", "multi_logloss"),
        "regression": ("regression", "l2"),
    }[target.kind]
    base: dict[str, Any] = {
        "objective": objective,
        "metric": metric,
        "min_data_in_leaf": max(2, min(20, x_train.shape[0] // 10)),
        "lambda_l2": 1.0,
        "feature_fraction": 0.8,
        "seed": seed,
        "num_threads": 1,
        "deterministic": True,
        "force_col_wise": True,
        "verbose": -1,
    }
    if target.kind == "multiclass":
        base["num_class"] = target.n_classes

    def fit(point: dict[str, Any]) -> tuple[Predictor, dict[str, Any]]:
        params = base | point
        predictor, rounds = _per_label(
            lambda y, y_tune: _lightgbm_one(x_train, y, x_tune, y_tune, target, params), target
        )
        return predictor, {"rounds": rounds if target.kind == "multilabel" else rounds[0]}

    grid = [{"num_leaves": leaves, "learning_rate": rate} for leaves, rate in LIGHTGBM_GRID]
    return _choose(name, target, grid, fit, x_tune, x_test)


# ---------------------------------------------------------------------- Cox proportional hazards


def _near_constant(z: Array, share: float = 0.99) -> Array:
    """Columns whose most common value covers at least `share` of the rows (the median is that value
    whenever it covers more than half)."""
    return (z == np.median(z, axis=0)).mean(axis=0) >= share  # type: ignore[no-any-return]


def cox_score_statistics(z: Array, time_days: Array, event: Array) -> Array:
    """Per column, the score (log-rank) test statistic of a one-feature Cox model at beta = 0 (Breslow
    ties): a fast univariate screen of many columns."""
    order = np.argsort(-time_days, kind="stable")
    zs, ts, es = z[order], time_days[order], event[order].astype(bool)
    at_risk = np.searchsorted(-ts, -ts, side="right") - 1  # last row of each row's risk set
    n = (np.arange(len(ts)) + 1.0)[at_risk][es][:, None]
    s1 = np.cumsum(zs, axis=0)[at_risk][es]
    s2 = np.cumsum(zs**2, axis=0)[at_risk][es]
    mean = s1 / n
    score = (zs[es] - mean).sum(axis=0)
    information = np.clip(s2 / n - mean**2, 0.0, None).sum(axis=0)
    return np.where(information > 1e-12, score**2 / np.maximum(information, 1e-12), 0.0)


def cox(
    name: str, z_train: Array, target: Target, z_tune: Array, z_test: Array, max_features: int
) -> BaselinePrediction:
    """Cox PH (lifelines) on standardised columns: near-constant ones dropped, the `max_features` with
    the largest score statistic kept; the penalizer chosen by Harrell's C on the tuning split."""
    import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    train_event = target.train_event
    assert train_event is not None
    keep = np.flatnonzero(~_near_constant(z_train))
    if keep.size > max_features:
        stats = cox_score_statistics(z_train[:, keep], target.train, train_event)
        keep = np.sort(keep[np.argsort(-stats, kind="stable")[:max_features]])
    columns = [f"x{j}" for j in range(keep.size)]

    def frame(z: Array) -> pd.DataFrame:
        return pd.DataFrame(z[:, keep], columns=columns)

    def fit(point: dict[str, Any]) -> tuple[Predictor, dict[str, Any]]:
        extra: dict[str, Any] = {"features": int(keep.size), "converged": True}
        if keep.size == 0:
            return constant(0.0), extra | {"note": "no informative feature: every risk is equal"}
        data = frame(z_train).assign(duration=target.train, event=train_event.astype(int))
        fitter = CoxPHFitter(penalizer=point["penalizer"])
        with warnings.catch_warnings(record=True) as caught:
            # lifelines warns about low variance and failed convergence: reported in params, not raised
            warnings.simplefilter("always", ConvergenceWarning)
            try:
                fitter.fit(data, duration_col="duration", event_col="event")
            except ConvergenceError as exc:
                return constant(0.0), extra | {"converged": False, "note": f"did not converge: {exc}"}
        notes = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
        for w in caught:  # anything else goes on as it came
            if not issubclass(w.category, ConvergenceWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if notes:
            extra["converged"] = not any("failed to converge" in n for n in notes)
            extra["warnings"] = [n.split(".")[0] for n in notes]
        risk = lambda z: np.asarray(fitter.predict_partial_hazard(frame(z)), np.float64)  # noqa: E731
        return risk, extra

    grid = [{"penalizer": p} for p in COX_PENALIZER_GRID]
    return _choose(name, target, grid, fit, z_tune, z_test)
