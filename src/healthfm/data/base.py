"""The processor contract: fitted on the train split only, saved with the model.

A processor owns one modality and follows scikit-learn's rules: parameters in `__init__`, `fit` returns
self, learned state in attributes ending in `_`. `fit` sees the training samples' visible timelines
(events strictly before the prediction time); `transform` turns one visible timeline into numpy arrays
(or None when the subject has no data of that modality before the prediction time); `collate` stacks a
list of those into a `ModalityInput` whose keys are the ones documented in `healthfm.encoders.base`.

Transforms are deterministic (the dataset may cache them); randomness (augmentation, random crops) lives
in `collate(train=True, generator=...)`. Image and signal processors read arrays through `blobs`, any
object with the `BlobStore.get` method; a missing or unreadable blob raises `DataError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

import numpy as np
import pyarrow as pa

from healthfm.errors import UsageError
from healthfm.registry import Registry
from healthfm.schema import BIRTH_CODE, Modality, ModalityInput, PatientTimeline, Sample
from healthfm.store.blobs import BlobMeta

if TYPE_CHECKING:
    import torch

Arrays = dict[str, np.ndarray[Any, Any]]

US_PER_DAY = 86_400_000_000
US_PER_YEAR = 365.25 * US_PER_DAY


class BlobSource(Protocol):
    """Where image and signal processors read arrays: `PatientStore.blobs` (a `BlobStore`) or a fake."""

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]: ...


class StoreLike(Protocol):
    """What the dataset reads from a `PatientStore`: timelines, splits and blobs (tests pass fakes)."""

    @property
    def blobs(self) -> BlobSource: ...

    def timeline(self, subject_id: int) -> PatientTimeline: ...

    def subjects(
        self, split: str | None = None, *, consent_scope: str | None = None
    ) -> np.ndarray[Any, np.dtype[np.int64]]: ...


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
        raise UsageError(
            f"{type(processor).__name__} is not fitted: call fit() on the training samples first"
        )


def prediction_us(when: dt.datetime) -> int:
    """A prediction time as microseconds since the epoch; the store holds naive UTC times."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return int(np.datetime64(when, "us").astype(np.int64))


@dataclass(frozen=True)
class VisibleRows:
    """One sample's visible events as numpy columns: static facts first, then oldest → newest.

    Only static facts and events strictly before the prediction time are kept: the task's `visible`
    callable already cut the timeline, and checking again means no processor can leak a later event
    whatever callable the caller passed. Static facts' `time_us` is the prediction time (they hold now).
    """

    prediction_us: int
    time_us: np.ndarray[Any, np.dtype[np.int64]]
    static: np.ndarray[Any, np.dtype[np.bool_]]
    codes: np.ndarray[Any, np.dtype[np.object_]]  # str
    numeric: np.ndarray[Any, np.dtype[np.float64]]  # NaN where the event has no number
    text: np.ndarray[Any, np.dtype[np.object_]]  # str | None
    modality: np.ndarray[Any, np.dtype[np.object_]]  # a Modality value (null → "events")
    blob: np.ndarray[Any, np.dtype[np.object_]]  # str | None
    birth_us: int | None  # first MEDS_BIRTH, None when unknown

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def of(self, modality: Modality) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return self.modality == modality.value  # type: ignore[no-any-return]


_last_rows: tuple[pa.Table, int, VisibleRows] | None = None


def visible_rows(sample: Sample, visible: PatientTimeline) -> VisibleRows:
    """The rows every processor reads for one sample.

    The last result is memoised: all of a sample's processors transform the same timeline in turn.
    """
    global _last_rows
    table, cutoff = visible.table, prediction_us(sample.prediction_time)
    memo = _last_rows
    if memo is not None and memo[0] is table and memo[1] == cutoff:
        return memo[2]
    times = table.column("time").to_numpy(zero_copy_only=False).astype("datetime64[us]").view(np.int64)
    static = times == np.iinfo(np.int64).min  # NaT
    keep = static | (times < cutoff)
    order = np.flatnonzero(keep)
    order = order[np.lexsort((times[order], ~static[order]))]

    def column(name: str) -> np.ndarray[Any, Any]:
        if name not in table.column_names:
            return np.full(order.size, None, dtype=object)
        return table.column(name).to_numpy(zero_copy_only=False)[order]  # type: ignore[no-any-return]

    codes = column("code").astype(object)
    numeric = column("numeric_value")
    if numeric.dtype == object:  # an all-null column
        numeric = np.asarray([np.nan if v is None else v for v in numeric], dtype=np.float64)
    modality = np.asarray(
        [Modality.EVENTS.value if m is None else m for m in column("modality")], dtype=object
    )
    births = np.flatnonzero((codes == BIRTH_CODE) & ~static[order])
    rows = VisibleRows(
        prediction_us=cutoff,
        time_us=np.where(static[order], cutoff, times[order]),
        static=static[order],
        codes=codes,
        numeric=numeric.astype(np.float64),
        text=column("text_value").astype(object),
        modality=modality,
        blob=column("blob").astype(object),
        birth_us=int(times[order][births[0]]) if births.size else None,
    )
    _last_rows = (table, cutoff, rows)
    return rows


def subject_error_context(sample: Sample, code: str, uri: str | None) -> str:
    return f"subject {sample.subject_id}, event {code!r}, blob {uri!r}"


def float_list(values: np.ndarray[Any, Any]) -> list[float]:
    """Floats for JSON; Python's float repr round-trips exactly, so a reloaded state transforms the same."""
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]
