"""Labelling a whole store: one pass over its shards, consent and split enforced by the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from healthfm.schema import Sample
from healthfm.tasks import _labels
from healthfm.tasks.spec import TaskKind
from healthfm.tasks.task import Task

if TYPE_CHECKING:
    from healthfm.store.patient_store import PatientStore


def _columns(task: Task) -> list[str]:
    """Only the columns the task reads: note texts are large, and most tasks never look at them."""
    columns = ["subject_id", "time", "code"]
    if task.kind is TaskKind.REGRESSION:
        columns.append("numeric_value")
    if task.label.text is not None or any(c.text is not None for c in task.label.classes):
        columns.append("text_value")
    return columns


@dataclass
class SampleSet:
    """The samples of one task over a store, with the subjects considered and why candidates were left out.

    `excluded` counts subjects for "no anchor event", prediction times for every other reason.
    """

    task: Task
    samples: list[Sample]
    subjects: int
    excluded: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        """Counts for reports and the CLI: prevalence, class counts, events and censoring, value range."""
        return summarize(self.task, self.samples) | {
            "subjects": self.subjects,
            "excluded": dict(self.excluded.most_common()),
        }


def label_store(
    store: PatientStore,
    task: Task,
    split: str | None,
    *,
    consent_scope: str | None = "training",
    progress: Callable[[int, int], None] | None = None,
) -> SampleSet:
    """Label every subject of `split` (all when None) whose consent covers `consent_scope`.

    Works shard by shard on whole columns (code patterns are matched once per distinct code), so a
    store of thousands of patients takes seconds. `progress(done, total)` counts subjects.
    """
    wanted = np.asarray(store.subjects(split, consent_scope=consent_scope), np.int64)
    excluded: Counter[str] = Counter()
    samples: list[Sample] = []
    done = 0
    if progress is not None:
        progress(0, len(wanted))
    if len(wanted):
        for _, table in store.iter_shards(columns=_columns(task)):
            samples.extend(_labels.label_table(task, table, wanted, excluded))
            if progress is not None:
                ids = np.unique(np.asarray(table.column("subject_id").to_numpy(), np.int64))
                done += int(np.isin(ids, wanted).sum())
                progress(done, len(wanted))
    samples.sort(key=lambda s: (s.subject_id, s.prediction_time))
    return SampleSet(task=task, samples=samples, subjects=len(wanted), excluded=excluded)


def build_samples(
    store: PatientStore,
    task: Task,
    split: str | None,
    *,
    consent_scope: str | None = "training",
    progress: Callable[[int, int], None] | None = None,
) -> list[Sample]:
    """The labelled samples of `task` over `split` of `store`, sorted by subject and prediction time."""
    return label_store(store, task, split, consent_scope=consent_scope, progress=progress).samples


def summarize(task: Task, samples: Sequence[Sample]) -> dict[str, Any]:
    """Sample counts by label: prevalence (binary), per class (multiclass / multilabel), events and
    censoring (survival), value distribution (regression)."""
    n = len(samples)
    out: dict[str, Any] = {"task": task.name, "kind": task.kind.value, "samples": n}
    out["subjects_with_samples"] = len({s.subject_id for s in samples})
    if not n:
        return out
    if task.kind is TaskKind.BINARY:
        positives = sum(int(s.label == 1) for s in samples)
        out |= {"positives": positives, "prevalence": positives / n}
    elif task.kind is TaskKind.MULTICLASS:
        counts = Counter(int(s.label) for s in samples if isinstance(s.label, int))
        out["class_counts"] = {name: counts.get(i, 0) for i, name in enumerate(task.class_names)}
    elif task.kind is TaskKind.MULTILABEL:
        labels = np.array([s.label for s in samples], np.float64).reshape(n, len(task.class_names))
        out["class_counts"] = dict(
            zip(task.class_names, labels.sum(axis=0).astype(int).tolist(), strict=True)
        )
    elif task.kind is TaskKind.SURVIVAL:
        events = sum(bool(s.event_observed) for s in samples)
        times = np.array([s.event_time_days for s in samples], np.float64)
        out |= {
            "events": events,
            "censored": n - events,
            "event_rate": events / n,
            "median_follow_up_days": float(np.median(times)),
        }
    else:
        values = np.array([s.label for s in samples], np.float64)
        out |= {
            "mean": float(values.mean()),
            "std": float(values.std()),
            "min": float(values.min()),
            "max": float(values.max()),
        }
    return out
