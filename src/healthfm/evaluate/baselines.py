"""Baselines fitted on the model's own split: logistic regression and LightGBM on tabularised features,
Cox proportional hazards for time-to-event, and HAIM (LightGBM on concatenated per-modality embeddings).

Hyper-parameters are chosen on the tuning split (and LightGBM stops early on it); the test split is
only predicted. Features come from `evaluate.tabularize.Tabularizer` or `modality_embeddings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from healthfm.errors import UsageError
from healthfm.evaluate.baseline_models import (
    KINDS,
    Array,
    BaselinePrediction,
    LinearInputs,
    Target,
    cox,
    lightgbm,
    linear,
)

if TYPE_CHECKING:
    import torch

    from healthfm.model import FoundationModel

__all__ = [
    "KINDS",
    "BaselinePrediction",
    "fit_predict_haim",
    "fit_predict_tabular",
    "modality_embeddings",
]

# ---------------------------------------------------------------------- checking the inputs


def _matrix(x: Any, name: str, width: int | None = None) -> Array:
    try:
        out = np.array(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"baselines: {name} must be a numeric matrix") from None
    if out.ndim != 2:
        raise UsageError(f"baselines: {name} must be 2-D (samples, features), got shape {out.shape}")
    if out.shape[0] == 0:
        raise UsageError(f"baselines: {name} has no rows")
    if width is not None and out.shape[1] != width:
        raise UsageError(f"baselines: {name} has {out.shape[1]} features, the training split {width}")
    out[~np.isfinite(out)] = np.nan  # ±inf is as unknown as a missing value
    return out


def _vector(y: Any, name: str, rows: int) -> Array:
    out = np.asarray(y, dtype=np.float64)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.ndim != 1 or out.shape[0] != rows:
        raise UsageError(f"baselines: {name} has shape {out.shape}, expected ({rows},) to match the features")
    if not np.isfinite(out).all():
        raise UsageError(f"baselines: {name} has missing or infinite values")
    return out


def _targets(
    kind: str,
    y_train: Any,
    y_tune: Any,
    rows: tuple[int, int],
    survival: tuple[Any, Any, Any, Any],
    n_classes: int | None,
) -> Target:
    if kind not in KINDS:
        raise UsageError(f"baselines: task kind {kind!r} is not supported; use one of {list(KINDS)}")
    if kind == "survival":
        train_time, train_event, tune_time, tune_event = survival
        if train_event is None or tune_event is None:
            raise UsageError("baselines: survival needs train_event and tune_event (event observed or not)")
        times = [
            _vector(t if t is not None else y, f"{s}_time", n)
            for t, y, s, n in ((train_time, y_train, "train", rows[0]), (tune_time, y_tune, "tune", rows[1]))
        ]
        events = [
            _vector(e, f"{s}_event", n).astype(bool)
            for e, s, n in ((train_event, "train", rows[0]), (tune_event, "tune", rows[1]))
        ]
        if any((t < 0).any() for t in times):
            raise UsageError("baselines: survival times must be >= 0 days")
        if not events[0].any():
            raise UsageError("baselines: the training split has no observed event; Cox PH cannot be fitted")
        return Target(kind, times[0], times[1], 0, events[0], events[1])
    if kind == "multilabel":
        train, tune = (np.asarray(y, dtype=np.float64) for y in (y_train, y_tune))
        for y, name, n in ((train, "y_train", rows[0]), (tune, "y_tune", rows[1])):
            if y.ndim != 2 or y.shape[0] != n or not np.isin(y, (0.0, 1.0)).all():
                raise UsageError(f"baselines: {name} must be 0/1 of shape ({n}, classes), got {y.shape}")
        if train.shape[1] != tune.shape[1]:
            raise UsageError(f"baselines: y_train has {train.shape[1]} labels, y_tune {tune.shape[1]}")
        return Target(kind, train, tune, train.shape[1])
    train, tune = _vector(y_train, "y_train", rows[0]), _vector(y_tune, "y_tune", rows[1])
    if kind == "regression":
        return Target(kind, train, tune)
    if not all(np.array_equal(y, np.round(y)) and (y >= 0).all() for y in (train, tune)):
        raise UsageError(f"baselines: {kind} labels must be class indices 0, 1, …")
    k = 2 if kind == "binary" else int(n_classes or max(train.max(), tune.max()) + 1)
    if max(train.max(), tune.max()) >= k:
        raise UsageError(
            f"baselines: labels go up to {int(max(train.max(), tune.max()))}, beyond {k} classes"
        )
    if len(np.unique(train)) < 2:
        raise UsageError(
            f"baselines: the training split has only class {int(train[0])}; a classifier needs two"
        )
    return Target(kind, train.astype(np.int64), tune.astype(np.int64), k)


# ---------------------------------------------------------------------- public API


def fit_predict_tabular(
    x_train: Any,
    y_train: Any,
    x_tune: Any,
    y_tune: Any,
    x_test: Any,
    *,
    kind: str,
    seed: int = 0,
    train_time: Any = None,
    train_event: Any = None,
    tune_time: Any = None,
    tune_event: Any = None,
    n_classes: int | None = None,
    max_cox_features: int = 64,
) -> dict[str, BaselinePrediction]:
    """The tabular baselines of a task kind, by name.

    binary / multiclass / multilabel: "logistic_regression" (median imputation, missing indicators,
    standardisation, L2 with C chosen on tuning AUROC) and "lightgbm" (native missing values, early
    stopping on the tuning split, leaves and learning rate chosen on tuning AUROC); multilabel is one
    model per label. regression: "ridge" and "lightgbm" (tuning RMSE). survival: "cox_ph" (times from
    `train_time` / `tune_time`, else `y_train` / `y_tune`; events from `train_event` / `tune_event`).
    """
    x_train = _matrix(x_train, "X_train")
    x_tune = _matrix(x_tune, "X_tune", x_train.shape[1])
    x_test = _matrix(x_test, "X_test", x_train.shape[1])
    target = _targets(
        kind,
        y_train,
        y_tune,
        (x_train.shape[0], x_tune.shape[0]),
        (train_time, train_event, tune_time, tune_event),
        n_classes,
    )
    if kind == "survival":
        prep = LinearInputs(x_train)
        return {"cox_ph": cox("cox_ph", prep(x_train), target, prep(x_tune), prep(x_test), max_cox_features)}
    return {
        ("ridge" if kind == "regression" else "logistic_regression"): linear(
            x_train, target, x_tune, x_test, seed
        ),
        "lightgbm": lightgbm("lightgbm", x_train, target, x_tune, x_test, seed),
    }


def modality_embeddings(
    model: FoundationModel, loader: Any, device: torch.device | str
) -> tuple[Array, dict[str, Array]]:
    """Subject ids (N,) and, per modality of the model, its encoder's pooled output (N, D) float32, NaN
    in the rows of patients without that modality. Eval mode, no gradients; the mode is restored."""
    import torch

    from healthfm.train.loop import batch_to

    device = torch.device(device)
    ids: list[Array] = []
    pooled: dict[str, list[Array]] = {m.value: [] for m in model.modalities}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for raw in loader:
                batch = batch_to(raw, device)
                outputs, present = model.encode(batch)
                for modality, output in outputs.items():
                    rows = output.pooled.float().cpu().numpy().astype(np.float32)
                    rows[~present[modality].cpu().numpy().astype(bool)] = np.nan
                    pooled[modality.value].append(rows)
                ids.append(batch.subject_ids.cpu().numpy())
    finally:
        model.train(was_training)
    width = {m.value: int(model.config.d_model) for m in model.modalities}
    out = {m: np.concatenate(v) if v else np.zeros((0, width[m]), np.float32) for m, v in pooled.items()}
    return (np.concatenate(ids) if ids else np.zeros(0, np.int64)), out


def _concat_embeddings(embeddings: Mapping[str, Any], name: str, modalities: list[str] | None) -> Array:
    if not isinstance(embeddings, Mapping) or not embeddings:
        raise UsageError(f"baselines: {name} must be a non-empty mapping of modality to (N, D) embeddings")
    if modalities is not None and sorted(embeddings) != modalities:
        raise UsageError(
            f"baselines: {name} has modalities {sorted(embeddings)}, the training split {modalities}"
        )
    parts = [_matrix_allow_nan(embeddings[m], f"{name}[{m!r}]") for m in sorted(embeddings)]
    if len({p.shape[0] for p in parts}) != 1:
        raise UsageError(f"baselines: the modalities of {name} have different numbers of rows")
    return np.hstack(parts)


def _matrix_allow_nan(x: Any, name: str) -> Array:
    out = np.array(x, dtype=np.float64)
    if out.ndim != 2 or out.shape[0] == 0:
        raise UsageError(f"baselines: {name} must be a non-empty (N, D) matrix, got shape {out.shape}")
    return out


def fit_predict_haim(
    emb_train: Mapping[str, Any],
    y_train: Any,
    emb_tune: Mapping[str, Any],
    y_tune: Any,
    emb_test: Mapping[str, Any],
    *,
    kind: str,
    seed: int = 0,
    train_time: Any = None,
    train_event: Any = None,
    tune_time: Any = None,
    tune_event: Any = None,
    n_classes: int | None = None,
    n_components: int = 16,
) -> BaselinePrediction:
    """HAIM (Soenksen et al., npj Digit Med 2022): per-modality embeddings concatenated (NaN for a
    missing modality), a gradient-boosted tree model on top ("haim_lightgbm", early stopping on the
    tuning split). Survival: Cox PH on the first `n_components` principal components of the
    concatenation, missing values filled with training means ("haim_cox").
    """
    modalities = sorted(emb_train) if isinstance(emb_train, Mapping) else None
    x_train = _concat_embeddings(emb_train, "emb_train", None)
    x_tune = _concat_embeddings(emb_tune, "emb_tune", modalities)
    x_test = _concat_embeddings(emb_test, "emb_test", modalities)
    for x, name in ((x_tune, "emb_tune"), (x_test, "emb_test")):
        if x.shape[1] != x_train.shape[1]:
            raise UsageError(
                f"baselines: {name} has {x.shape[1]} embedding columns, emb_train {x_train.shape[1]}"
            )
    target = _targets(
        kind,
        y_train,
        y_tune,
        (x_train.shape[0], x_tune.shape[0]),
        (train_time, train_event, tune_time, tune_event),
        n_classes,
    )
    if kind != "survival":
        return lightgbm("haim_lightgbm", x_train, target, x_tune, x_test, seed)
    from sklearn.decomposition import PCA

    prep = LinearInputs(x_train, fill="mean")  # one presence column per missing modality, too
    z_train = prep(x_train)
    k = max(1, min(n_components, prep.width, z_train.shape[0] - 1))
    project: Callable[[Array], Array] = lambda z: z  # noqa: E731  (nothing informative: one zero column)
    if prep.width > 0:
        project = PCA(n_components=k, random_state=seed).fit(z_train).transform
    return cox("haim_cox", project(z_train), target, project(prep(x_tune)), project(prep(x_test)), k)
