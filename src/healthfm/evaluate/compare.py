"""What `evaluate` compares the run's model with, on the same held-out patients: baselines on
tabularised features, the HAIM-style GBM on per-modality embeddings, and the models trained beside the
run (single modalities, early and late fusion); paired bootstrap differences and the issue's targets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.errors import UsageError
from healthfm.evaluate.predict import Predictions
from healthfm.evaluate.variants import Variant, plan_variants, train_variant
from healthfm.schema import Modality
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import FinetuneConfig, PreparedData
from healthfm.train.loop import ProgressSink

Array = np.ndarray[Any, Any]
Say = Callable[[str], None]


BASELINES = ("tabular", "haim", "single_modality", "fusion_variants")


@dataclass
class EvaluateConfig:
    n_boot: int = 1000
    seed: int = 0
    baselines: tuple[str, ...] = BASELINES
    fairness: bool = True
    # reweighing mitigation: an attribute, "auto" (the one with the largest equalised-odds difference)
    # or None (skip); binary tasks only
    mitigation: str | None = "auto"
    variant_epochs: int | None = None  # None: the run's own number of epochs
    explain_patients: int = 3
    min_group: int = 100
    label_efficiency: str | None = None  # a pretrain_bench JSON whose curves the report plots

    def __post_init__(self) -> None:
        unknown = sorted(set(self.baselines) - set(BASELINES))
        if unknown:
            raise UsageError(f"unknown baselines {unknown}; choose from {', '.join(BASELINES)}")
        if self.n_boot < 100:
            raise UsageError(f"n_boot must be >= 100 for a usable interval, got {self.n_boot}")


@dataclass
class Scored:
    """One model's held-out predictions with its metrics and its paired difference to the run's model."""

    name: str
    kind: str  # model | tabular | haim | single_modality | fusion | mitigation
    held_out: Array  # the score the primary metric reads (probability, risk)
    metrics: dict[str, Any]
    difference: dict[str, Any] | None = None  # the run's model minus this one, on the primary metric
    details: dict[str, Any] = field(default_factory=dict)


def baselines(
    store: PatientStore,
    task: Any,
    data: PreparedData,
    model: Any,
    init_from: Path | None,
    held: Predictions,
    config: EvaluateConfig,
    notes: list[str],
    say: Say,
) -> list[Scored]:
    import torch

    from healthfm.evaluate.baselines import fit_predict_haim, fit_predict_tabular, modality_embeddings
    from healthfm.evaluate.tabularize import Tabularizer

    kind = str(task.kind)
    splits = data.splits
    labels = {name: _labels(kind, samples) for name, samples in splits.items()}
    survival: dict[str, Any] = _survival_arrays(splits) if kind == "survival" else {}
    out: list[Scored] = []
    if "tabular" in config.baselines:
        say("baselines on tabularised features (counts and last values per code over time windows)")
        tab = Tabularizer()
        x = {"train": tab.fit_transform(store, splits["train"], task.visible)}
        x |= {name: tab.transform(store, splits[name], task.visible) for name in ("tuning", "held_out")}
        fitted = fit_predict_tabular(
            x["train"],
            labels["train"],
            x["tuning"],
            labels["tuning"],
            x["held_out"],
            kind=kind,
            seed=config.seed,
            **survival,
        )
        for name, pred in fitted.items():
            out.append(
                _score_baseline(
                    kind,
                    name,
                    "tabular",
                    held,
                    pred.test,
                    data,
                    config,
                    {"features": len(tab.feature_names_ or [])},
                )
            )
            out[-1].details["hyperparameters"] = pred.params
    if "haim" in config.baselines and len(model.modalities) > 1:
        source = (
            "the pretrained encoders (frozen)" if init_from else "this run's fine-tuned encoders (frozen)"
        )
        say(f"HAIM-style GBM on concatenated per-modality embeddings from {source}")
        encoder_model = _embedding_model(model, init_from)
        emb = {}
        for name in ("train", "tuning", "held_out"):
            _ids, by_modality = modality_embeddings(
                encoder_model, _loader(data, name, model, kind), torch.device("cpu")
            )
            emb[name] = by_modality
        try:
            pred = fit_predict_haim(
                emb["train"],
                labels["train"],
                emb["tuning"],
                labels["tuning"],
                emb["held_out"],
                kind=kind,
                seed=config.seed,
                **survival,
            )
        except UsageError as exc:
            notes.append(f"HAIM baseline skipped: {exc}")
        else:
            out.append(
                _score_baseline(
                    kind, "haim_gbm", "haim", held, pred.test, data, config, {"embeddings": source}
                )
            )
    return out


def _embedding_model(model: Any, init_from: Path | None) -> Any:
    """The run's model with its encoders replaced by the pretrained ones when it started from a
    pretraining run (HAIM embeds with frozen, pretrained extractors)."""
    if init_from is None:
        return model
    import copy

    from healthfm.train.runs import load_pretrained

    pretrained = copy.deepcopy(model)
    load_pretrained(pretrained, init_from)
    return pretrained


def _loader(data: PreparedData, split: str, model: Any, kind: str) -> Any:
    from healthfm.data import make_loader

    own = {m: data.processors[m] for m in model.modalities}
    return make_loader(data.datasets[split], own, kind, 64, shuffle=False, train=False, seed=0)


def _labels(kind: str, samples: Sequence[Any]) -> Array:
    if kind == "survival":
        return np.array([float(s.event_time_days or 0.0) for s in samples])
    if kind == "multilabel":
        return np.array([list(s.label) for s in samples], dtype=float)
    return np.array([s.label for s in samples], dtype=float if kind == "binary" else int)


def _survival_arrays(splits: dict[str, list[Any]]) -> dict[str, Array]:
    def arrays(name: str) -> tuple[Array, Array]:
        samples = splits[name]
        return (
            np.array([float(s.event_time_days or 0.0) for s in samples]),
            np.array([bool(s.event_observed) for s in samples]),
        )

    (tt, te), (ut, ue) = arrays("train"), arrays("tuning")
    return {"train_time": tt, "train_event": te, "tune_time": ut, "tune_event": ue}


def _score_baseline(
    kind: str,
    name: str,
    family: str,
    held: Predictions,
    test_pred: Array,
    data: PreparedData,
    config: EvaluateConfig,
    details: dict[str, Any],
) -> Scored:
    return Scored(
        name,
        family,
        np.asarray(test_pred),
        quick_metrics(kind, held, np.asarray(test_pred), data, config),
        details=details,
    )


def quick_metrics(
    kind: str, held: Predictions, score: Array, data: PreparedData, config: EvaluateConfig
) -> dict[str, Any]:
    """The headline metrics of a compared model (the full set is reported for the run's model)."""
    from healthfm.evaluate import metrics as M

    b, s = config.n_boot, config.seed
    if kind == "binary":
        return {
            "auroc": M.bootstrap(M.auroc, held.y, score, n_boot=b, seed=s),
            "auprc": M.bootstrap(M.average_precision, held.y, score, n_boot=b, seed=s),
            "brier": M.bootstrap(M.brier, held.y, score, n_boot=b, seed=s),
        }
    if kind == "multiclass":
        full = M.multiclass_metrics(held.y.astype(int), score, n_boot=b, seed=s)
        return {k: full[k] for k in ("macro_auroc", "accuracy", "macro_f1") if k in full}
    assert held.observed is not None
    return {"harrell_c": M.bootstrap(M.harrell_c, held.y, held.observed, score, n_boot=b, seed=s)}


def train_variants(
    store: PatientStore,
    run: Path,
    ft: FinetuneConfig,
    data: PreparedData,
    init_from: Path | None,
    held: Predictions,
    config: EvaluateConfig,
    progress: ProgressSink | None,
    say: Say,
) -> list[Variant]:
    available = {Modality(m) for m, col in zip(held.modalities, held.present.T, strict=True) if col.any()}
    planned = plan_variants(ft, config.baselines, epochs=config.variant_epochs, available=available)
    return [
        train_variant(store, run, name, kind, cfg, data, init_from=init_from, progress=progress, say=say)
        for name, kind, cfg in planned
    ]


def score_variant(kind: str, v: Variant, data: PreparedData, config: EvaluateConfig) -> Scored:
    assert v.held_out is not None and v.tuning is not None
    score = v.held_out.pred
    details = {"modalities": list(v.config.modalities), "fusion": v.config.fusion, "reused": v.reused}
    return Scored(
        v.name, v.kind, score, quick_metrics(kind, v.held_out, score, data, config), details=details
    )


def difference(
    kind: str, held: Predictions, ours: Array, theirs: Array, config: EvaluateConfig
) -> dict[str, Any]:
    from healthfm.evaluate import metrics as M

    b, s = config.n_boot, config.seed
    if kind == "binary":
        est = M.paired_difference(M.auroc, held.y, ours, theirs, n_boot=b, seed=s)
        return {"metric": "auroc", "estimate": est}
    if kind == "survival":
        assert held.observed is not None
        obs = held.observed

        def c_index(time: Array, score: Array, event: Array = obs) -> float:
            return float(M.harrell_c(time, event, score))

        est = M.paired_difference(c_index, held.y, ours, theirs, n_boot=b, seed=s)
        return {"metric": "harrell_c", "estimate": est}
    est = M.paired_difference(M.macro_auroc, held.y.astype(int), ours, theirs, n_boot=b, seed=s)
    return {"metric": "macro_auroc", "estimate": est}


def targets(kind: str, compared: list[Scored], primary: str) -> list[dict[str, Any]]:
    """Issue 8's target: the fused model beats the best single-modality model and the HAIM-style GBM,
    the bootstrap CI of each paired difference above zero."""
    targets = []
    singles = [s for s in compared if s.kind == "single_modality"]
    best_single = max(singles, key=lambda s: _value(s.metrics.get(primary)), default=None)
    for label, scored in (
        ("best single-modality model", best_single),
        ("HAIM-style GBM", _named(compared, "haim")),
    ):
        if scored is None or scored.difference is None:
            continue
        est = scored.difference["estimate"]
        targets.append(
            {
                "target": f"healthfm {primary} > {label} ({scored.name}), paired-difference CI above 0",
                "versus": scored.name,
                "difference": est,
                "met": bool(np.isfinite(est.low) and est.low > 0),
            }
        )
    return targets


def _named(compared: list[Scored], kind: str) -> Scored | None:
    return next((s for s in compared if s.kind == kind), None)


def _value(estimate: Any) -> float:
    return float(getattr(estimate, "value", float("-inf")))
