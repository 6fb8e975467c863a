"""One patient's explanation: Integrated Gradients per modality in clinical units, modality Shapley values,
fusion attention, a counterfactual, sanity checks and a plain-language summary; JSON plus PNG figures.

`explain_sample` is what the report and the API server call with a loaded model (`subject.py` does it
from a run folder).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthfm.errors import UsageError
from healthfm.explain import figures
from healthfm.explain.attention import AttentionMap, attention_map
from healthfm.explain.core import Prediction, Target, modality_name
from healthfm.explain.counterfactual import Counterfactual, counterfactual
from healthfm.explain.integrated import IGConfig, integrated_gradients
from healthfm.explain.sanity import SanityReport, model_randomisation_check
from healthfm.explain.shapley import ModalityShapley, modality_shapley
from healthfm.explain.summary import summary_text
from healthfm.explain.units import ModalityAttribution, group
from healthfm.model import FoundationModel
from healthfm.schema import Modality, Sample
from healthfm.tasks import Task

EXPLANATION_FILE = "explanation.json"
FORMAT = "healthfm.explanation"
VERSION = 1


@dataclass(frozen=True)
class ExplainConfig:
    ig: IGConfig = field(default_factory=IGConfig)
    top_k: int = 10  # clinical units listed per modality
    any_direction: bool = False  # counterfactuals may also move factors away from the clinical aim
    include_flagged: bool = False  # keep explainers the sanity check flagged
    sanity_threshold: float = 0.5  # Spearman correlation above which an explainer is flagged
    class_index: int | None = None  # multiclass / multilabel: the class explained (default: most likely)
    figures: bool = True


@dataclass
class Explanation:
    subject_id: int
    prediction_time: dt.datetime
    task: str
    target: Target
    risk: float
    logit: float
    threshold: float
    present: list[Modality]
    absent: list[Modality]
    attributions: dict[Modality, ModalityAttribution]
    contributions: ModalityShapley | None
    attention: AttentionMap | None
    counterfactual: Counterfactual | None
    sanity: SanityReport | None
    disabled: dict[str, str]
    summary: str
    timings: dict[str, float]
    notes: list[str] = field(default_factory=list)
    run: str | None = None
    top_k: int = 10
    figures: dict[str, Path] = field(default_factory=dict)
    prediction: Prediction | None = field(default=None, repr=False, compare=False)  # for the figures

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: plain numbers and strings (non-finite numbers become null)."""
        from healthfm.train.runs import json_safe

        data = {
            "format": FORMAT,
            "version": VERSION,
            "subject_id": self.subject_id,
            "prediction_time": self.prediction_time.isoformat(),
            "task": self.task,
            "run": self.run,
            "prediction": {
                "risk": self.risk,
                "threshold": self.threshold,
                "above_threshold": self.risk >= self.threshold,
                "explained_output": self.target.description,
                "explained_value": self.logit,
                "task_kind": self.target.kind,
            },
            "modalities": {
                "present": [m.value for m in self.present],
                "absent": [m.value for m in self.absent],
            },
            "summary": self.summary,
            "attributions": {m.value: a.to_dict(self.top_k) for m, a in self.attributions.items()},
            "modality_contributions": None if self.contributions is None else self.contributions.to_dict(),
            "attention": None if self.attention is None else self.attention.to_dict(),
            "counterfactual": None if self.counterfactual is None else self.counterfactual.to_dict(),
            "sanity": None if self.sanity is None else self.sanity.to_dict(),
            "disabled": self.disabled,
            "notes": self.notes,
            "figures": {k: p.name for k, p in self.figures.items()},
            "timings_s": self.timings,
        }
        out: dict[str, Any] = json_safe(data)
        return out

    def save(self, out_dir: Path, *, figures: bool = True) -> Path:
        """Write the figures (when asked and the prediction is at hand) and explanation.json; its path."""
        out_dir.mkdir(parents=True, exist_ok=True)
        if figures and self.prediction is not None:
            t = time.perf_counter()
            self.figures = write_figures(self, self.prediction, out_dir)
            self.timings["figures"] = round(time.perf_counter() - t, 4)
        path = out_dir / EXPLANATION_FILE
        path.write_text(json.dumps(self.to_dict(), indent=1, allow_nan=False, default=str) + "\n")
        return path


def code_names(store: Any) -> dict[str, str]:
    """Code descriptions from the store's MEDS metadata/codes.parquet, where it has any."""
    root = getattr(store, "root", None)
    path = Path(root) / "metadata" / "codes.parquet" if root is not None else None
    if path is None or not path.is_file():
        return {}
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["code", "description"])
    return {
        c: d
        for c, d in zip(
            table.column("code").to_pylist(), table.column("description").to_pylist(), strict=True
        )
        if d
    }


def _timed(timings: dict[str, float], name: str, t0: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - t0, 4)
    return now


def explain_sample(
    model: FoundationModel,
    processors: Mapping[Modality, Any],
    task: Task,
    store: Any,
    sample: Sample,
    *,
    threshold: float = 0.5,
    out_dir: Path | None = None,
    checks: bool = True,
    config: ExplainConfig | None = None,
    sanity: SanityReport | None = None,
) -> Explanation:
    """Explain the model's prediction for `sample`, seeing only `task.visible` data (nothing from the
    prediction time on). With `out_dir`, writes explanation.json and the figures there.

    `sanity`: a model-randomisation report (e.g. the run's cached one); when None and `checks` is set, the
    check runs on this sample. Explainers it flags are left out unless `config.include_flagged`.
    """
    cfg = config or ExplainConfig()
    if not 0.0 < threshold < 1.0 and str(task.kind) != "regression":
        raise UsageError(f"threshold must be in (0, 1), got {threshold}")
    was_training = model.training
    model.eval()
    try:
        return _explain(model, processors, task, store, sample, threshold, out_dir, checks, cfg, sanity)
    finally:
        model.train(was_training)


def _explain(
    model: FoundationModel,
    processors: Mapping[Modality, Any],
    task: Task,
    store: Any,
    sample: Sample,
    threshold: float,
    out_dir: Path | None,
    checks: bool,
    cfg: ExplainConfig,
    sanity: SanityReport | None,
) -> Explanation:
    timings: dict[str, float] = {}
    start = t = time.perf_counter()
    visible = task.visible(store.timeline(sample.subject_id), sample)
    pred = Prediction.build(
        model,
        processors,
        sample,
        visible,
        store.blobs,
        class_names=task.class_names,
        class_index=cfg.class_index,
    )
    t = _timed(timings, "prepare", t)
    if sanity is None and checks:
        sanity = model_randomisation_check([pred], threshold=cfg.sanity_threshold)
        t = _timed(timings, "sanity_check", t)
    flagged = set() if sanity is None or cfg.include_flagged else sanity.flagged()
    disabled = {
        name: f"flagged by the model-randomisation check (Spearman {sanity.checks[name].spearman:.2f} "
        f"> {sanity.threshold}): its attributions hardly depend on the trained weights"
        for name in sorted(flagged)
        if sanity is not None
    }
    names = code_names(store)
    attributions: dict[Modality, ModalityAttribution] = {}
    for m in pred.present:
        if f"integrated_gradients/{m.value}" in flagged:
            continue
        attributions[m] = group(pred, integrated_gradients(pred, m, cfg.ig), names)
        t = _timed(timings, f"integrated_gradients/{m.value}", t)
    contributions = None if "modality_shapley" in flagged else modality_shapley(pred)
    t = _timed(timings, "modality_shapley", t)
    attention = None if "attention" in flagged else attention_map(pred)
    t = _timed(timings, "attention", t)
    cf = counterfactual(pred, threshold, any_direction=cfg.any_direction, blobs=store.blobs)
    t = _timed(timings, "counterfactual", t)
    notes = [
        f"{a.modality.value}: Integrated Gradients did not converge within {cfg.ig.max_steps} steps "
        f"(completeness error {a.raw.relative_error:.1%})"
        for a in attributions.values()
        if not a.raw.converged
    ]
    if contributions is not None and contributions.efficiency_error > 1e-6:
        notes.append(f"modality Shapley values miss efficiency by {contributions.efficiency_error:.2e}")
    notes += pred.problems
    if sample.label is None and sample.task == "":
        notes.append("prediction time given by the caller, not by the task's labeler")
    explanation = Explanation(
        subject_id=sample.subject_id,
        prediction_time=sample.prediction_time,
        task=task.name,
        target=pred.target,
        risk=pred.risk,
        logit=pred.logit,
        threshold=threshold,
        present=list(pred.present),
        absent=[m for m in model.modalities if m not in pred.present],
        attributions=attributions,
        contributions=contributions,
        attention=attention,
        counterfactual=cf,
        sanity=sanity,
        disabled=disabled,
        summary=summary_text(
            pred.risk,
            threshold,
            str(task.kind),
            contributions,
            attributions,
            cf,
            None if pred.target.index is None else task.class_names[pred.target.index],
        ),
        timings=timings,
        notes=notes,
        top_k=cfg.top_k,
        prediction=pred,
    )
    timings["explain_total"] = round(time.perf_counter() - start, 4)
    if out_dir is not None:
        explanation.save(Path(out_dir), figures=cfg.figures)
    return explanation


def write_figures(expl: Explanation, pred: Prediction, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path] = {}
    if expl.contributions is not None and expl.contributions.modalities:
        c = expl.contributions
        ranked = sorted(c.modalities, key=lambda m: -abs(c.risk[m]))
        found["modalities"] = figures.bar_figure(
            out_dir / "modalities.png",
            [modality_name(m) for m in ranked],
            [c.risk[m] for m in ranked],
            f"Modality contributions (Shapley): {c.f_none[0]:.2f} → {c.f_all[0]:.2f}",
            "change in risk",
        )
    if expl.attention is not None:
        labels = [g if g == "[CLS]" else modality_name(Modality(g)) for g in expl.attention.groups]
        found["attention"] = figures.attention_figure(out_dir / "attention.png", labels, expl.attention.mean)
    units = [
        (
            f"{f.name.split(' (')[0]}" + (f" = {f.value}" if f.value else "") + f" · {modality_name(m)}",
            f.attribution,
        )
        for m, a in expl.attributions.items()
        if m in (Modality.EVENTS, Modality.TABULAR, Modality.TEXT)
        for f in a.features[: expl.top_k]
    ]
    units = sorted(units, key=lambda u: -abs(u[1]))[:12]
    if units:
        found["top_features"] = figures.bar_figure(
            out_dir / "top_features.png",
            [u[0] for u in units],
            [u[1] for u in units],
            "Largest attributions (Integrated Gradients)",
            f"contribution to the {pred.target.kind} logit",
        )
    if Modality.IMAGE in expl.attributions:
        pixels = pred.batch.inputs[Modality.IMAGE].values["pixels"][0, 0].numpy()
        found["image"] = figures.image_figure(
            out_dir / "image.png", pixels, expl.attributions[Modality.IMAGE].raw.values
        )
    if Modality.SIGNAL in expl.attributions:
        values = pred.batch.inputs[Modality.SIGNAL].values
        proc = pred.processors[Modality.SIGNAL]
        found["ecg"] = figures.signal_figure(
            out_dir / "ecg.png",
            values["signal"][0].numpy(),
            expl.attributions[Modality.SIGNAL].raw.values,
            list(proc.leads),
            values["lead_mask"][0].numpy().astype(bool),
            float(proc.target_rate),
        )
    return found
