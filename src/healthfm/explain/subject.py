"""Explaining from a run folder: the subject's prediction time for the run's task, the run's cached
sanity check, the audited read (`healthfm explain --run RUN --subject ID`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from healthfm.errors import UsageError
from healthfm.explain.core import Prediction
from healthfm.explain.explanation import ExplainConfig, Explanation, explain_sample
from healthfm.explain.sanity import SanityReport, cached_sanity, model_randomisation_check
from healthfm.model import FoundationModel
from healthfm.schema import Modality, Sample
from healthfm.tasks import Task

SANITY_SAMPLES = 3  # held-out predictions the run's sanity check looks at


def parse_time(text: str) -> dt.datetime:
    """An ISO date-time; an aware one becomes naive UTC (what the store holds)."""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--time {text!r} is not an ISO date-time (e.g. 2021-03-04T09:30)") from None
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def find_sample(task: Task, store: Any, subject_id: int, when: dt.datetime | None = None) -> Sample:
    """The task's sample for this subject (the latest prediction time, or the one at `when`); a time the
    task does not give is used as asked, unlabelled."""
    excluded: Counter[str] = Counter()
    samples = task.samples(store.timeline(subject_id), excluded)
    if when is not None:
        for s in samples:
            if s.prediction_time == when:
                return s
        return Sample(subject_id, when, None)
    if not samples:
        why = "; ".join(f"{reason} ({n})" for reason, n in excluded.most_common()) or "no candidate time"
        raise UsageError(
            f"subject {subject_id} has no prediction time for task {task.name!r} ({why}); "
            "give one with --time"
        )
    return samples[-1]


def sanity_samples(run_folder: Path, task: Task, store: Any, k: int = SANITY_SAMPLES) -> list[Sample]:
    """The first `k` held-out predictions of the run that are still in the store (deterministic)."""
    from healthfm.train.runs import PREDICTIONS_FILE

    path = Path(run_folder) / PREDICTIONS_FILE
    if not path.is_file():
        return []
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["subject_id", "prediction_time"])
    out: list[Sample] = []
    for sid, when in zip(
        table.column("subject_id").to_pylist(), table.column("prediction_time").to_pylist(), strict=True
    ):
        if len(out) == k:
            break
        if sid in store:
            out.append(Sample(int(sid), when, None, task=task.name))
    return out


def run_sanity(
    run_folder: Path,
    model: FoundationModel,
    processors: Mapping[Modality, Any],
    task: Task,
    store: Any,
    *,
    fallback: Sample | None = None,
    threshold: float = 0.5,
) -> SanityReport:
    """The run's model-randomisation report, computed once and cached in RUN/explain_sanity.json."""

    def compute() -> SanityReport:
        samples = sanity_samples(run_folder, task, store) or ([fallback] if fallback is not None else [])
        if not samples:
            raise UsageError(f"{run_folder}: no held-out predictions to run the sanity check on")
        was = model.training
        model.eval()
        try:
            preds = [
                Prediction.build(
                    model,
                    processors,
                    s,
                    task.visible(store.timeline(s.subject_id), s),
                    store.blobs,
                    class_names=task.class_names,
                )
                for s in samples
            ]
            report = model_randomisation_check(preds, threshold=threshold)
        finally:
            model.train(was)
        catalog = getattr(store, "catalog", None)
        if catalog is not None:  # held-out records were read for a model-level check: one entry, no ids
            catalog.audit(
                "explain", "explain.sanity_check", details={"run": str(run_folder), "samples": len(preds)}
            )
        return report

    return cached_sanity(run_folder, compute, threshold=threshold)


def explain_subject(
    run_folder: Path,
    store: Any,
    subject_id: int,
    *,
    when: dt.datetime | None = None,
    threshold: float = 0.5,
    out_dir: Path | None = None,
    checks: bool = True,
    config: ExplainConfig | None = None,
    actor: str = "explain",
) -> Explanation:
    """Load the run, explain its prediction for the subject, audit the read (pseudonymous id only)."""
    from healthfm.train.runs import load_run

    run_folder = Path(run_folder)
    if not run_folder.is_dir():
        raise UsageError(f"--run {run_folder}: no such run folder")
    model, processors, task = load_run(run_folder)
    sample = find_sample(task, store, subject_id, when)
    # the subject's record is read from here on: audit it first, whatever follows
    store.catalog.audit(
        actor,
        "explain.subject",
        subject=str(subject_id),
        details={
            "run": str(run_folder),
            "task": task.name,
            "prediction_time": sample.prediction_time.isoformat(),
        },
    )
    cfg = config or ExplainConfig()
    sanity = (
        run_sanity(
            run_folder, model, processors, task, store, fallback=sample, threshold=cfg.sanity_threshold
        )
        if checks
        else None
    )
    explanation = explain_sample(
        model, processors, task, store, sample, threshold=threshold, checks=False, config=cfg, sanity=sanity
    )
    explanation.run = str(run_folder)
    if out_dir is not None:
        explanation.save(Path(out_dir), figures=cfg.figures)
    return explanation
