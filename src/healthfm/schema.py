"""The nouns every stage shares: events and timelines, samples, typed batches, model outputs.

Data flows Event/timeline → Sample (via a task) → Batch (via one collate) → ModelOutput.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:  # torch is heavy; only the model stages need it at run time
    import torch


class Modality(enum.StrEnum):
    """One kind of patient data; each has its own encoder."""

    EVENTS = "events"  # coded structured events: diagnoses, labs, medications, vitals
    TABULAR = "tabular"  # static and last-value features
    TEXT = "text"  # clinical notes and reports
    IMAGE = "image"  # DICOM images (radiographs, CT, MR …)
    SIGNAL = "signal"  # waveforms (ECG, PPG, EEG …)


# Events in MEDS v0.4 plus healthfm's two extension columns. `text_value` is a large_string
# because that is what the `meds` package's DataSchema declares.
EVENT_SCHEMA = pa.schema(
    [
        pa.field("subject_id", pa.int64(), nullable=False),
        pa.field("time", pa.timestamp("us"), nullable=True),
        pa.field("code", pa.string(), nullable=False),
        pa.field("numeric_value", pa.float32(), nullable=True),
        pa.field("text_value", pa.large_string(), nullable=True),
        pa.field("modality", pa.string(), nullable=True),
        pa.field("blob", pa.string(), nullable=True),
    ]
)
EVENT_COLUMNS: tuple[str, ...] = tuple(EVENT_SCHEMA.names)

BIRTH_CODE = "MEDS_BIRTH"
DEATH_CODE = "MEDS_DEATH"


class Event(NamedTuple):
    """One MEDS event. `time` is None for static facts; `blob` is a URI into the blob store.

    A named tuple, not a dataclass: timelines turn thousands of rows into Events, and a tuple is
    built ten times faster. Events are checked when they enter the store (`store/events.py`).
    """

    subject_id: int
    time: dt.datetime | None
    code: str
    numeric_value: float | None = None
    text_value: str | None = None
    modality: Modality = Modality.EVENTS
    blob: str | None = None


_MODALITY_OF = {m.value: m for m in Modality} | {None: Modality.EVENTS}


@dataclass(frozen=True)
class PatientTimeline:
    """All events of one subject, sorted by time (static facts first), held as columns.

    Columnar so that a model reads arrays without building one Python object per event;
    `events()` gives `Event` objects when they are wanted.
    """

    subject_id: int
    table: pa.Table

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @property
    def codes(self) -> list[str]:
        return self.table.column("code").to_pylist()  # type: ignore[no-any-return]

    @property
    def times(self) -> np.ndarray[Any, np.dtype[np.datetime64]]:
        return self.table.column("time").to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]

    @property
    def numeric_values(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        col = self.table.column("numeric_value").to_numpy(zero_copy_only=False)
        return col.astype(np.float32)  # type: ignore[no-any-return]

    def modalities(self) -> set[Modality]:
        return {Modality(m) for m in self.table.column("modality").unique().to_pylist() if m is not None}

    def before(self, when: dt.datetime) -> PatientTimeline:
        """Events strictly before `when`, plus static facts: what a model may see at prediction time."""
        import pyarrow.compute as pc

        times = self.table.column("time")
        keep = pc.or_kleene(pc.is_null(times), pc.less(times, pa.scalar(when, pa.timestamp("us"))))
        return PatientTimeline(self.subject_id, self.table.filter(keep))

    def events(self) -> Iterator[Event]:
        """The events as `Event` objects (column-wise conversion: much faster than row dicts)."""
        t = self.table
        times = t.column("time").to_numpy(zero_copy_only=False).astype("datetime64[us]").tolist()
        values = t.column("numeric_value")
        nums = (
            values.to_numpy(zero_copy_only=False).tolist() if values.null_count == 0 else values.to_pylist()
        )
        modalities = [_MODALITY_OF[m] for m in t.column("modality").to_pylist()]
        columns = zip(
            itertools.repeat(self.subject_id),
            times,
            t.column("code").to_pylist(),
            nums,
            t.column("text_value").to_pylist(),
            modalities,
            t.column("blob").to_pylist(),
        )
        return map(Event._make, columns)


@dataclass(frozen=True)
class Sample:
    """One labelled example: a subject at a prediction time, with its label(s)."""

    subject_id: int
    prediction_time: dt.datetime
    label: float | int | tuple[float, ...] | None
    # time-to-event: time from prediction to event or censoring, and whether the event was observed
    event_time_days: float | None = None
    event_observed: bool | None = None
    task: str = ""


@dataclass(frozen=True)
class ModalityInput:
    """One modality's tensors for a batch; `mask` is False where a subject lacks the modality."""

    values: Mapping[str, torch.Tensor]
    mask: torch.Tensor  # (B,) bool


@dataclass(frozen=True)
class Batch:
    """A typed batch built by the one `collate`; modules never mutate it."""

    subject_ids: torch.Tensor  # (B,) int64
    inputs: Mapping[Modality, ModalityInput]
    targets: torch.Tensor | None = None
    event_observed: torch.Tensor | None = None  # (B,) bool, time-to-event tasks only

    @property
    def size(self) -> int:
        return int(self.subject_ids.shape[0])


@dataclass(frozen=True)
class EncoderOutput:
    """What every encoder returns: tokens (B,T,D), their mask (B,T), a pooled vector (B,D)."""

    tokens: torch.Tensor
    mask: torch.Tensor
    pooled: torch.Tensor

    def __post_init__(self) -> None:
        b, t, d = self.tokens.shape
        if tuple(self.mask.shape) != (b, t):
            raise ValueError(f"mask shape {tuple(self.mask.shape)} does not match tokens ({b}, {t})")
        if tuple(self.pooled.shape) != (b, d):
            raise ValueError(f"pooled shape {tuple(self.pooled.shape)} does not match ({b}, {d})")


@dataclass(frozen=True)
class ModelOutput:
    """What the model returns; `loss` is set when targets were present."""

    logits: torch.Tensor
    loss: torch.Tensor | None = None
    embeddings: torch.Tensor | None = None
    extras: Mapping[str, torch.Tensor] = field(default_factory=dict)
