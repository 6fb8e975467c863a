"""Samples → items (one processor output per modality) → typed `Batch`es through the one `collate`.

A blob that cannot be read never stops training and is never dropped silently: the item lacks that
modality (its mask is False) and `SampleDataset.problems` records which subject, event and blob failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler, get_worker_info

from healthfm.data.base import Arrays, Processor, StoreLike
from healthfm.data.bundle import Visible, default_visible
from healthfm.errors import DataError, UsageError
from healthfm.schema import Batch, Modality, Sample

TASK_KINDS = ("binary", "multiclass", "multilabel", "regression", "survival")


class Item(NamedTuple):
    """One sample's processed inputs (None = modality absent) and its targets."""

    subject_id: int
    prediction_time: dt.datetime
    inputs: Mapping[Modality, Arrays | None]
    label: float | int | tuple[float, ...] | None
    event_time_days: float | None = None
    event_observed: bool | None = None


@dataclass(frozen=True)
class Problem:
    """Why one sample lacks one modality although it has data for it."""

    index: int
    subject_id: int
    prediction_time: dt.datetime
    modality: Modality
    reason: str


class SampleDataset(Dataset[Item]):
    """Items built from `visible(store.timeline(subject), sample)` by each processor.

    Transforms are deterministic, so with `cache=True` each item is computed once and kept in memory
    (augmentation and random crops happen in `collate`). With a DataLoader using worker processes, call
    `materialize()` first: each worker holds its own copy of the cache and of `problems`.
    """

    def __init__(
        self,
        store: StoreLike,
        samples: Sequence[Sample],
        processors: Mapping[Modality, Processor],
        visible: Visible = default_visible,
        cache: bool = True,
    ) -> None:
        self.store = store
        self.samples = list(samples)
        self.processors = dict(processors)
        self.visible = visible
        self.cache = cache
        self.problems: list[Problem] = []
        self._items: list[Item | None] = [None] * len(self.samples)
        self._reported: set[tuple[int, Modality]] = set()

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> Item:
        i = range(len(self.samples))[index]
        cached = self._items[i]
        if cached is not None:
            return cached
        item = self._build(i)
        if self.cache:
            self._items[i] = item
        return item

    def _build(self, i: int) -> Item:
        sample = self.samples[i]
        visible = self.visible(self.store.timeline(sample.subject_id), sample)
        blobs = self.store.blobs
        inputs: dict[Modality, Arrays | None] = {}
        for modality, processor in self.processors.items():
            try:
                inputs[modality] = processor.transform(sample, visible, blobs=blobs)
            except DataError as exc:
                inputs[modality] = None
                if (i, modality) not in self._reported:
                    self._reported.add((i, modality))
                    self.problems.append(
                        Problem(i, sample.subject_id, sample.prediction_time, modality, str(exc))
                    )
        return Item(
            subject_id=sample.subject_id,
            prediction_time=sample.prediction_time,
            inputs=inputs,
            label=sample.label,
            event_time_days=sample.event_time_days,
            event_observed=sample.event_observed,
        )

    def materialize(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Compute (and, with `cache`, keep) every item; `progress(done, total)` after each one."""
        total = len(self.samples)
        for i in range(total):
            self[i]
            if progress is not None:
                progress(i + 1, total)

    def coverage(self) -> dict[Modality, int]:
        """How many items have each modality (computes the items that are not cached yet)."""
        counts = dict.fromkeys(self.processors, 0)
        for i in range(len(self)):
            for modality, arrays in self[i].inputs.items():
                counts[modality] += arrays is not None
        return counts


def collate(
    items: Sequence[Item],
    processors: Mapping[Modality, Processor],
    task_kind: str | None,
    *,
    train: bool = False,
    generator: torch.Generator | None = None,
) -> Batch:
    """Stack items into a `Batch` with one `ModalityInput` (and its (B,) mask) for every processor.

    Targets by `task_kind`: binary float32 (B,), multiclass int64 (B,), multilabel float32 (B, K),
    regression float32 (B,), survival float32 (B,) event/censoring time in days with
    `Batch.event_observed` bool (B,). `task_kind=None`, or items without labels, give no targets.
    """
    if not items:
        raise UsageError("collate needs at least one item")
    inputs = {
        modality: processor.collate(
            [it.inputs.get(modality) for it in items], train=train, generator=generator
        )
        for modality, processor in processors.items()
    }
    targets, observed = _targets(items, task_kind)
    return Batch(
        subject_ids=torch.tensor([it.subject_id for it in items], dtype=torch.int64),
        inputs=inputs,
        targets=targets,
        event_observed=observed,
    )


def _targets(items: Sequence[Item], task_kind: str | None) -> tuple[torch.Tensor | None, torch.Tensor | None]:
    if task_kind is None:
        return None, None
    if task_kind not in TASK_KINDS:
        raise UsageError(f"unknown task kind {task_kind!r}; use one of {list(TASK_KINDS)}")
    if task_kind == "survival":
        missing = [it.subject_id for it in items if it.event_time_days is None or it.event_observed is None]
        if missing:
            raise UsageError(
                f"survival samples need event_time_days and event_observed (subject {missing[0]})"
            )
        times = torch.tensor([float(it.event_time_days or 0.0) for it in items], dtype=torch.float32)
        return times, torch.tensor([bool(it.event_observed) for it in items], dtype=torch.bool)
    labels = [it.label for it in items]
    if all(label is None for label in labels):
        return None, None
    unlabelled = [it.subject_id for it in items if it.label is None]
    if unlabelled:
        raise UsageError(
            f"a batch mixes labelled and unlabelled samples (subject {unlabelled[0]} has no label)"
        )
    try:
        if task_kind == "multilabel":
            rows = np.asarray([np.asarray(label, dtype=np.float32).reshape(-1) for label in labels])
            if rows.ndim != 2:
                raise ValueError("multilabel labels must all have the same length")
            return torch.from_numpy(rows.astype(np.float32)), None
        flat = [_scalar(label) for label in labels]
        if task_kind == "multiclass":
            return torch.tensor([int(v) for v in flat], dtype=torch.int64), None
        return torch.tensor(flat, dtype=torch.float32), None
    except (TypeError, ValueError) as exc:
        raise UsageError(f"labels do not fit task kind {task_kind!r}: {exc}") from None


def _scalar(label: Any) -> float:
    if isinstance(label, tuple | list):
        if len(label) != 1:
            raise ValueError(f"expected one value, got {len(label)}")
        label = label[0]
    return float(label)


class BatchCollator:
    """`collate` bound to processors and a task kind, with its own augmentation generator.

    The generator is seeded from `seed`, or in a DataLoader worker from the worker's seed (which the
    loader derives from its own seeded generator), so runs repeat and workers draw different crops.
    """

    def __init__(
        self, processors: Mapping[Modality, Processor], task_kind: str | None, *, train: bool, seed: int
    ) -> None:
        self.processors = dict(processors)
        self.task_kind = task_kind
        self.train = train
        self.seed = seed
        self._generator: torch.Generator | None = None
        self._worker: int | None = None

    def __call__(self, items: Sequence[Item]) -> Batch:
        info = get_worker_info()
        worker = None if info is None else info.id
        if self._generator is None or worker != self._worker:
            seed = self.seed if info is None else info.seed
            self._generator, self._worker = torch.Generator().manual_seed(seed), worker
        return collate(items, self.processors, self.task_kind, train=self.train, generator=self._generator)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_generator": None, "_worker": None}


def make_loader(
    dataset: SampleDataset,
    processors: Mapping[Modality, Processor],
    task_kind: str | None,
    batch_size: int,
    shuffle: bool = False,
    train: bool = False,
    seed: int = 0,
    sampler: Sampler[int] | None = None,
    num_workers: int = 0,
    drop_last: bool = False,
) -> DataLoader[Item]:
    """A DataLoader of `Batch`es. With a `sampler` (e.g. `DistributedSampler`), it does the shuffling."""
    if batch_size < 1:
        raise UsageError(f"batch_size must be >= 1, got {batch_size}")
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle if sampler is None else False,
        sampler=sampler,
        num_workers=num_workers,
        collate_fn=BatchCollator(processors, task_kind, train=train, seed=seed),
        drop_last=drop_last,
        generator=generator,
        persistent_workers=num_workers > 0,
    )
