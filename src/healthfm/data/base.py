"""The processor contract: fitted on the train split only, saved with the model.

A processor owns one modality and follows scikit-learn's rules: parameters in `__init__`, `fit` returns
self, learned state in attributes ending in `_`. `fit` sees the training samples' visible timelines (events strictly before
the prediction time); `transform` turns one visible timeline into numpy arrays (or None when the subject
has no data of that modality before the prediction time); `collate` stacks a list of those into a
`ModalityInput` whose keys are the ones documented in `healthfm.encoders.base`.

Transforms are deterministic (the dataset may cache them); randomness (augmentation, random crops) lives
in `collate(train=True, generator=...)`. Image and signal processors read arrays through `blobs`, any
object with the `BlobStore.get` method; a missing or unreadable blob raises `DataError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.errors import UsageError
from healthfm.registry import Registry
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample
from healthfm.store.blobs import BlobMeta

if TYPE_CHECKING:
    import torch

Arrays = dict[str, np.ndarray[Any, Any]]

US_PER_DAY = 86_400_000_000
US_PER_YEAR = 365.25 * US_PER_DAY


class BlobSource(Protocol):
    """Where image and signal processors read arrays: `PatientStore.blobs` (a `BlobStore`) or a fake."""

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]: ...


class Processor(Protocol):
    name: ClassVar[str]
    modality: ClassVar[Modality]

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Processor: ...

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None: ...

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput: ...

    def encoder_options(self) -> dict[str, Any]:
        """What the matching encoder must know (vocabulary size, number of features, leads …)."""
        ...

    def state(self) -> dict[str, Any]:
        """JSON-able fitted state; `from_state` rebuilds an identical processor."""
        ...

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self: ...


# Processor classes by `name`; `load_processors` rebuilds a saved bundle through it.
PROCESSORS: Registry[type[Processor]] = Registry("processor")


def check_fitted(processor: object, attribute: str) -> None:
    if getattr(processor, attribute, None) is None:
        raise UsageError(f"{type(processor).__name__} is not fitted: call fit() on the training samples first")


def prediction_us(when: dt.datetime) -> int:
    """A prediction time as microseconds since the epoch (naive times, as the store holds them)."""
    return int(np.datetime64(when.replace(tzinfo=None) if when.tzinfo else when, "us").astype(np.int64))


def rows_before(sample: Sample, visible: PatientTimeline) -> pa.Table:
    """The visible timeline's static facts and events strictly before the prediction time.

    The task's `visible` callable already cut the timeline; checking again here means no processor can
    leak a later event whatever callable the caller passed.
    """
    table = visible.table
    if table.num_rows == 0:
        return table
    times = table.column("time")
    cutoff = pa.scalar(prediction_us(sample.prediction_time), pa.timestamp("us"))
    keep = pc.or_kleene(pc.is_null(times), pc.less(times.cast(pa.timestamp("us")), cutoff))
    return table.filter(keep)


def times_us(table: pa.Table) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Event times in microseconds and a mask of static facts (null time)."""
    col = table.column("time").cast(pa.timestamp("us"))
    static = col.is_null().to_numpy(zero_copy_only=False)
    us = col.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    return us, np.asarray(static, dtype=bool)


def column_list(table: pa.Table, name: str) -> list[Any]:
    """A column as Python objects; a missing optional column (`modality`, `blob`) reads as nulls."""
    if name not in table.column_names:
        return [None] * table.num_rows
    return table.column(name).to_pylist()  # type: ignore[no-any-return]


def modality_list(table: pa.Table) -> list[str]:
    """Each row's modality; null means structured events, as in `healthfm.schema`."""
    return [m if m is not None else Modality.EVENTS.value for m in column_list(table, "modality")]


def birth_us(table: pa.Table) -> int | None:
    """The subject's birth time (first `MEDS_BIRTH` event), or None when unknown."""
    codes = table.column("code")
    hits = pc.equal(codes, "MEDS_BIRTH")
    births = table.filter(hits).column("time").cast(pa.timestamp("us")).drop_null()
    if len(births) == 0:
        return None
    return int(births.cast(pa.int64())[0].as_py())


def subject_error_context(sample: Sample, code: str, uri: str | None) -> str:
    return f"subject {sample.subject_id}, event {code!r}, blob {uri!r}"


def float_list(values: np.ndarray[Any, Any]) -> list[float]:
    """Floats for JSON; Python's float repr round-trips exactly, so a reloaded state transforms the same."""
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]
