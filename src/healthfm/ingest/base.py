"""What every reader shares: the events it emits, the sink it writes to, the quarantine.

A reader turns files into `SourceEvent`s keyed by the patient's *source* identifier (an MRN, a FHIR
Patient id); the pipeline maps those keys to pseudonymous subject ids and stores the events. A
record a reader cannot use goes to quarantine with its file, location and reason — never dropped.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np

from healthfm.schema import Modality
from healthfm.store.blobs import BlobMeta, BlobStore


class SourceEvent(NamedTuple):
    """An event before pseudonymisation: `subject_key` is the source's patient identifier.

    A named tuple because readers build millions of them (ten times cheaper than a dataclass).

    Keys carry their namespace: `mrn:<system>|<value>` for medical record numbers (FHIR
    Patient.identifier of type MR, DICOM PatientID, a WFDB `patient_id:` comment), `fhir:Patient/<id>`
    for a FHIR resource id. `time` is naive UTC; None for static facts.
    """

    subject_key: str
    time: dt.datetime | None
    code: str
    numeric_value: float | None = None
    text_value: str | None = None
    modality: Modality = Modality.EVENTS
    blob: str | None = None


@dataclass(frozen=True)
class QuarantineRecord:
    """A record that could not be ingested, with where it was and why."""

    source: str  # the file
    location: str  # "line 17", "offset 2048", "tag (0028,0010)", "row 5"
    reason: str
    excerpt: str = ""  # the raw record, truncated; may hold PHI, so it stays in the quarantine folder


class IngestSink(ABC):
    """Where readers write: events, blobs, identity links, quarantine and counters."""

    @abstractmethod
    def emit(self, event: SourceEvent) -> None: ...

    @abstractmethod
    def put_blob(self, array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
        """Store an array (image, waveform) and return its `blob://` URI."""

    @abstractmethod
    def link(self, alias_key: str, subject_key: str) -> None:
        """Say that two source keys name one patient (e.g. a FHIR Patient id and its MRN)."""

    @abstractmethod
    def quarantine(self, source: str | Path, location: str, reason: str, excerpt: str = "") -> None: ...

    @abstractmethod
    def count(self, key: str, n: int = 1) -> None:
        """Count something for the run summary: `read:Observation`, `skipped:Immunization` …"""

    def identify(self, subject_key: str, **identifiers: tuple[str, ...]) -> None:  # noqa: B027
        """What the source says identifies the patient (names, mrns, addresses, phones, emails, other).

        The privacy gate scrubs these from the patient's notes; they are held in memory for the run
        only and never stored. A sink without a gate ignores them.
        """


def merge_identifiers(known: dict[str, tuple[str, ...]], new: Mapping[str, tuple[str, ...]]) -> None:
    """Add identifiers of one patient to those already known, keeping order and dropping repeats."""
    for kind, values in new.items():
        known[kind] = tuple(dict.fromkeys((*known.get(kind, ()), *values)))


class Reader(ABC):
    """One source format. `claims` picks the files it reads; `read` streams them into a sink."""

    name: ClassVar[str]

    @abstractmethod
    def claims(self, path: Path) -> bool:
        """Whether this reader reads `path` (a file, or a folder it treats as one unit)."""

    @abstractmethod
    def read(self, path: Path, sink: IngestSink) -> None:
        """Emit every event of `path`; quarantine what cannot be used; never raise on bad records."""


@dataclass
class MemorySink(IngestSink):
    """An in-memory sink for tests and for readers used as a library."""

    blob_root: Path | None = None
    events: list[SourceEvent] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    blobs: dict[str, tuple[np.ndarray[Any, Any], BlobMeta]] = field(default_factory=dict)
    identifiers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def emit(self, event: SourceEvent) -> None:
        self.events.append(event)

    def put_blob(self, array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
        if self.blob_root is not None:
            uri = BlobStore(self.blob_root).put(array, meta)
        else:
            import hashlib

            uri = "blob://sha256/" + hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
        self.blobs[uri] = (array, meta)
        return uri

    def link(self, alias_key: str, subject_key: str) -> None:
        self.links[alias_key] = subject_key

    def quarantine(self, source: str | Path, location: str, reason: str, excerpt: str = "") -> None:
        self.quarantined.append(QuarantineRecord(str(source), location, reason, excerpt[:2000]))

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def identify(self, subject_key: str, **identifiers: tuple[str, ...]) -> None:
        merge_identifiers(self.identifiers.setdefault(subject_key, {}), identifiers)
