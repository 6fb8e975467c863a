"""`healthfm evaluate --run RUN`: the run's model and its baselines on the same held-out patients,
with bootstrap confidence intervals, calibration, a fairness audit and a missing-modality breakdown.

Writes `RUN/evaluation/` (evaluation.json, report.html, model_card.md, figures) and stores the metrics
and the model card with the model version in the registry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.errors import UsageError
from healthfm.evaluate.audit import fairness_section
from healthfm.evaluate.compare import (
    EvaluateConfig,
    Scored,
    baselines,
    difference,
    score_variant,
    targets,
    train_variants,
)
from healthfm.evaluate.predict import Predictions, predict
from healthfm.evaluate.variants import Variant
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import FinetuneConfig, PreparedData, prepare_data, ship_calibration
from healthfm.train.loop import ProgressSink
from healthfm.train.runs import CALIBRATION_FILE, RUN_FILE, json_safe, load_run

EVAL_DIR = "evaluation"
EVALUATION_FILE = "evaluation.json"
PRIMARY = {
    "binary": "auroc",
    "multiclass": "macro_auroc",
    "multilabel": "macro_auroc",
    "survival": "harrell_c",
}
MIN_PATTERN = 10  # missing-modality patterns with fewer held-out patients are pooled as "other"
Array = np.ndarray[Any, Any]
Say = Callable[[str], None]


@dataclass
class Evaluation:
    run: Path
    task: dict[str, Any]
    model: dict[str, Any]
    primary: str
    n: dict[str, int]
    metrics: dict[str, Any]
    operating_point: dict[str, Any] | None
    by_pattern: list[dict[str, Any]]
    compared: list[Scored]
    targets: list[dict[str, Any]]
    fairness: dict[str, Any] | None
    mitigation: dict[str, Any] | None
    curves: dict[str, Any]
    explanations: list[dict[str, Any]]
    seconds: dict[str, float]
    notes: list[str]
    label_efficiency: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "run": str(self.run),
            "task": self.task,
            "model": self.model,
            "primary_metric": self.primary,
            "n": self.n,
            "metrics": self.metrics,
            "operating_point": self.operating_point,
            "by_missing_modality_pattern": self.by_pattern,
            "compared": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "metrics": s.metrics,
                    "difference": s.difference,
                    **s.details,
                }
                for s in self.compared
            ],
            "targets": self.targets,
            "fairness": self.fairness,
            "mitigation": self.mitigation,
            "curves": self.curves,
            "explanations": self.explanations,
            "label_efficiency": self.label_efficiency,
            "seconds": self.seconds,
            "notes": self.notes,
        }
        return dict(json_safe(_plain(out)))


def _plain(value: Any) -> Any:
    """Estimates and numpy values → JSON-ready structures."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return _plain(value.to_dict())
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def evaluate_run(
    store: PatientStore,
    run: Path,
    config: EvaluateConfig | None = None,
    *,
    say: Say = lambda _msg: None,
    progress: ProgressSink | None = None,
    record: bool = True,
    data: PreparedData | None = None,
) -> Evaluation:
    """Evaluate a fine-tuning run on its held-out patients (see the module docstring).

    `data`: the run's own prepared split (e.g. from the `finetune` call that made it), to skip
    building it again; it must come from the same store and config."""

    config = config or EvaluateConfig()
    run = Path(run)
    if not (run / RUN_FILE).is_file():
        raise UsageError(f"--run {run}: not a finished healthfm run (no {RUN_FILE}); run `healthfm finetune`")
    seconds: dict[str, float] = {}
    notes: list[str] = []
    t0 = time.perf_counter()
    saved = json.loads((run / RUN_FILE).read_text())
    ft = FinetuneConfig.from_dict(saved["config"])
    init_from = Path(saved["initialised_from"]) if saved.get("initialised_from") else None
    if init_from is not None and not init_from.exists():
        notes.append(f"the run's pretrained source {init_from} is gone: variants train from scratch")
        init_from = None
    model, _processors, task = load_run(run)
    kind = str(task.kind)
    if data is None:
        say(f"rebuilding the run's split for {task.name} ({kind})")
        data = prepare_data(store, ft, run, resume=True, say=say)
    seconds["data"] = time.perf_counter() - t0

    t = time.perf_counter()
    tuning = predict(model, data.datasets["tuning"], data.processors, kind)
    held = predict(model, data.datasets["held_out"], data.processors, kind)
    seconds["predict"] = time.perf_counter() - t
    operating = _operating_point(run, task, tuning, ft.threshold_rule)
    prob = _calibrated(operating, held.pred)
    threshold = float(operating["threshold"]) if operating and "threshold" in operating else 0.5

    t = time.perf_counter()
    say(f"metrics with {config.n_boot} bootstrap resamples on {len(held.y)} held-out patients")
    metrics = _metrics(kind, data, held, prob, threshold, config, notes)
    primary = PRIMARY.get(kind, "loss")
    by_pattern = _by_pattern(kind, held, config)
    seconds["metrics"] = time.perf_counter() - t

    model_scored = Scored("healthfm (this run)", "model", _score_of(kind, held, prob), metrics)
    compared = [model_scored]
    variants: list[Variant] = []
    if kind in ("binary", "survival", "multiclass"):
        t = time.perf_counter()
        compared += baselines(store, task, data, model, init_from, held, config, notes, say)
        seconds["baselines"] = time.perf_counter() - t
        t = time.perf_counter()
        variants = train_variants(store, run, ft, data, init_from, held, config, progress, say)
        for v in variants:
            assert v.held_out is not None
            compared.append(score_variant(kind, v, data, config))
        seconds["variants"] = time.perf_counter() - t
    else:
        notes.append(f"baselines are implemented for binary, multiclass and survival tasks, not {kind}")
    for scored in compared[1:]:
        scored.difference = difference(kind, held, model_scored.held_out, scored.held_out, config)
    goals = targets(kind, compared, primary)

    fairness = mitigation = None
    if config.fairness and kind == "binary":
        t = time.perf_counter()
        fairness, mitigation = fairness_section(
            store, run, ft, data, init_from, held, prob, threshold, variants, config, progress, say, notes
        )
        seconds["fairness"] = time.perf_counter() - t
    curves = _curves(kind, held, prob, compared)
    t = time.perf_counter()
    explanations = _explanations(
        store, run, model, task, data, prob, threshold, operating, config, say, notes
    )
    seconds["explanations"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - t0
    evaluation = Evaluation(
        run=run,
        task=task.to_dict(),
        model={
            "config": saved.get("model"),
            "initialised_from": saved.get("initialised_from"),
            "parameters": saved.get("parameters"),
            "mode": ft.mode,
            "training": saved.get("n_samples"),
            "data": saved.get("data"),
        },
        primary=primary,
        n={name: len(samples) for name, samples in data.splits.items()},
        metrics=metrics,
        operating_point=operating,
        by_pattern=by_pattern,
        compared=compared,
        targets=goals,
        fairness=fairness,
        mitigation=mitigation,
        curves=curves,
        explanations=explanations,
        seconds=seconds,
        notes=notes,
        label_efficiency=_label_efficiency(config.label_efficiency, notes),
    )
    _write(store, run, evaluation, saved, record, say)
    return evaluation


# ------------------------------------------------------------------ calibration and metrics


def _operating_point(run: Path, task: Any, tuning: Predictions, rule: str) -> dict[str, Any] | None:
    path = run / CALIBRATION_FILE
    if path.is_file():
        loaded: dict[str, Any] = json.loads(path.read_text())
        return loaded
    return ship_calibration(task, tuning.y, tuning.pred, run, rule)


def _calibrated(operating: dict[str, Any] | None, pred: Array) -> Array:
    from healthfm.evaluate.calibration import Calibrator

    if not operating or "calibrator" not in operating:
        return pred
    return np.asarray(Calibrator.from_dict(operating["calibrator"]).transform(pred))


def raw_threshold(operating: dict[str, Any] | None) -> float:
    """The operating threshold on the model's own (uncalibrated) output scale: the smallest raw
    probability whose calibrated value reaches the shipped threshold (calibrators are monotone)."""
    from healthfm.evaluate.calibration import Calibrator

    if not operating or "threshold" not in operating:
        return 0.5
    grid = np.linspace(0.0, 1.0, 20001)
    calibrated = Calibrator.from_dict(operating["calibrator"]).transform(grid)
    reached = np.flatnonzero(calibrated >= float(operating["threshold"]))
    return float(np.clip(grid[reached[0]] if len(reached) else 1.0, 1e-4, 1 - 1e-4))


def _score_of(kind: str, pred: Predictions, prob: Array) -> Array:
    """The scores the comparisons rank: the model's own (calibration would tie them, see `_metrics`)."""
    return prob if kind == "multiclass" else pred.pred


def _metrics(
    kind: str,
    data: PreparedData,
    held: Predictions,
    prob: Array,
    threshold: float,
    config: EvaluateConfig,
    notes: list[str],
) -> dict[str, Any]:
    from healthfm.evaluate import metrics as M

    b, seed = config.n_boot, config.seed
    if kind == "binary":
        found = M.binary_metrics(held.y, prob, threshold, n_boot=b, seed=seed)
        notes.extend(found.notes)
        out: dict[str, Any] = dict(found)
        # discrimination on the model's own scores: a step-wise (isotonic) calibrator ties scores and
        # would lower AUROC and AUPRC without changing the ranking the model learned
        out["auroc"] = M.bootstrap(M.auroc, held.y, held.pred, n_boot=b, seed=seed)
        out["auprc"] = M.bootstrap(M.average_precision, held.y, held.pred, n_boot=b, seed=seed)
        raw = M.binary_metrics(held.y, held.pred, threshold, n_boot=b, seed=seed)
        out["uncalibrated"] = {
            k: raw[k] for k in ("brier", "ece", "calibration_slope", "calibration_intercept")
        }
        out["confusion"] = M.confusion(held.y.astype(int), (prob >= threshold).astype(int), 2).tolist()
        return out
    if kind == "multiclass":
        found = M.multiclass_metrics(held.y.astype(int), prob, n_boot=b, seed=seed)
        notes.extend(found.notes)
        out = dict(found)
        k = prob.shape[1]
        out["confusion"] = M.confusion(held.y.astype(int), prob.argmax(1), k).tolist()
        return out
    if kind == "multilabel":
        found = M.multilabel_metrics(held.y, held.pred, 0.5, n_boot=b, seed=seed)
        notes.extend(found.notes)
        return dict(found)
    if kind == "survival":
        assert held.observed is not None
        train_t, train_e = _train_survival(data)
        times = _horizons(train_t, train_e, held)
        surv = held.survival_at(times) if held.survival is not None else None
        found = M.survival_metrics(
            train_t,
            train_e,
            held.y,
            held.observed,
            held.pred,
            times=times,
            survival=surv,
            n_boot=b,
            seed=seed,
        )
        notes.extend(found.notes)
        out = dict(found)
        out["times_days"] = list(times)
        return out
    notes.append(f"no metrics with intervals for {kind} tasks yet: see run.json")
    return {}


def _train_survival(data: PreparedData) -> tuple[Array, Array]:
    samples = data.splits["train"]
    return (
        np.array([float(s.event_time_days or 0.0) for s in samples]),
        np.array([bool(s.event_observed) for s in samples]),
    )


def _horizons(train_t: Array, train_e: Array, held: Predictions) -> list[float]:
    """Evaluation times: the 25th, 50th and 75th percentiles of the held-out event times, kept inside
    the follow-up of both splits (where the censoring estimate is defined)."""
    assert held.observed is not None
    events = held.y[held.observed]
    if len(events) < 4:
        return []
    limit = min(float(np.max(train_t)), float(np.max(held.y)))
    times = sorted({round(float(q), 1) for q in np.percentile(events, [25, 50, 75]) if 0 < q < limit})
    return times


def _by_pattern(kind: str, held: Predictions, config: EvaluateConfig) -> list[dict[str, Any]]:
    """The primary metric per missing-modality pattern (which modalities each patient had)."""
    from healthfm.evaluate import metrics as M

    patterns = np.array(held.pattern())
    names, counts = np.unique(patterns, return_counts=True)
    small = set(names[counts < MIN_PATTERN])
    patterns = np.where(np.isin(patterns, list(small)), "other (patterns under 10 patients)", patterns)
    rows = []
    for name in sorted(set(patterns), key=lambda p: -int(np.sum(patterns == p))):
        idx = patterns == name
        row: dict[str, Any] = {"pattern": str(name), "n": int(idx.sum())}
        if kind == "binary":
            row["positives"] = int(held.y[idx].sum())
            row["auroc"] = M.bootstrap(
                M.auroc, held.y[idx], held.pred[idx], n_boot=config.n_boot, seed=config.seed
            )
        elif kind == "survival" and held.observed is not None:
            row["events"] = int(held.observed[idx].sum())
            row["harrell_c"] = M.bootstrap(
                M.harrell_c,
                held.y[idx],
                held.observed[idx],
                held.pred[idx],
                n_boot=config.n_boot,
                seed=config.seed,
            )
        rows.append(row)
    return rows


# ------------------------------------------------------------------ curves, explanations, outputs


def _curves(kind: str, held: Predictions, prob: Array, compared: list[Scored]) -> dict[str, Any]:
    """Points for the report's ROC, PR and calibration plots (binary tasks)."""
    from healthfm.evaluate import metrics as M

    if kind != "binary" or len(np.unique(held.y)) < 2:
        return {}
    return {
        "roc": {s.name: M.roc_points(held.y, s.held_out) for s in compared},
        "pr": {s.name: M.pr_points(held.y, s.held_out) for s in compared},
        "reliability": {
            "calibrated": M.reliability(held.y, prob),
            "uncalibrated": M.reliability(held.y, held.pred),
        },
    }


def _explanations(
    store: PatientStore,
    run: Path,
    model: Any,
    task: Any,
    data: PreparedData,
    prob: Array,
    threshold: float,
    operating: dict[str, Any] | None,
    config: EvaluateConfig,
    say: Say,
    notes: list[str],
) -> list[dict[str, Any]]:
    """Explain a few held-out patients: the highest risk, the lowest and the one nearest the threshold."""
    if config.explain_patients < 1 or str(task.kind) != "binary" or len(prob) == 0:
        return []
    from healthfm.explain import explain_sample, run_sanity

    raw = raw_threshold(operating)  # the explainer reads the model's own output
    sanity = run_sanity(run, model, data.processors, task, store, threshold=raw)  # once per run, cached
    order = np.argsort(prob)
    picks = [int(order[-1]), int(np.argmin(np.abs(prob - threshold))), int(order[0])]
    chosen = list(dict.fromkeys(picks))[: config.explain_patients]
    out = []
    for i in chosen:
        sample = data.splits["held_out"][i]
        say(f"explaining held-out subject {sample.subject_id} (risk {prob[i]:.2f})")
        folder = run / EVAL_DIR / "explanations" / str(sample.subject_id)
        try:
            explanation = explain_sample(
                model, data.processors, task, store, sample, threshold=raw, out_dir=folder, sanity=sanity
            )
        except Exception as exc:  # an explanation failing must not lose the evaluation
            notes.append(f"explanation of subject {sample.subject_id} failed: {type(exc).__name__}: {exc}")
            continue
        out.append({"subject_id": sample.subject_id, "folder": str(folder), **explanation.to_dict()})
    return out


def _write(
    store: PatientStore, run: Path, evaluation: Evaluation, saved: dict[str, Any], record: bool, say: Say
) -> None:
    from healthfm.evaluate.model_card import model_card
    from healthfm.evaluate.report import write_report

    folder = run / EVAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    data = evaluation.to_dict()
    (folder / EVALUATION_FILE).write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
    card = model_card(data, saved)
    (folder / "model_card.md").write_text(card)
    report = write_report(data, card, folder)
    say(f"report: {report}")
    store.catalog.audit(
        "evaluate",
        "model.evaluate",
        details={
            "run": str(run),
            "task": evaluation.task.get("name"),
            "held_out": evaluation.n.get("held_out"),
        },
    )
    if not record:
        return
    version = _registered_version(store, run, str(evaluation.task.get("name")))
    if version is None:
        say("this run is not in the model registry: report written, registry untouched")
        return
    headline = {
        "evaluation": {
            "primary_metric": evaluation.primary,
            "held_out": {k: v for k, v in data["metrics"].items() if isinstance(v, dict) and "value" in v},
            "targets": data["targets"],
            "report": str((folder / "report.html").resolve()),
        }
    }
    store.catalog.record_evaluation(
        str(evaluation.task.get("name")), version, metrics=headline, model_card=card, actor="evaluate"
    )
    say(f"stored the metrics and model card with {evaluation.task.get('name')} v{version}")


def _label_efficiency(path: str | None, notes: list[str]) -> dict[str, Any] | None:
    """The label-efficiency curves of a `benchmarks/pretrain_bench.py` JSON, with where they came from."""
    if path is None:
        return None
    try:
        saved = json.loads(Path(path).read_text())
        curves = saved["label_efficiency"]
    except (OSError, ValueError, KeyError) as exc:
        notes.append(f"label efficiency not shown: cannot read {path}: {exc!r}")
        return None
    source = (
        f"From {path}: {saved.get('task')} on a {saved.get('store_patients')}-patient store, "
        f"{saved.get('held_out_patients')} held-out patients, {saved.get('machine')}, {saved.get('date')}."
    )
    return {"source": source, "curves": curves}


def _registered_version(store: PatientStore, run: Path, name: str) -> int | None:
    target = str(run.resolve())
    found = [m.version for m in store.catalog.list_models() if m.lineage.get("run") == target]
    return max(found) if found else None
