"""Fixtures for the data tests: samples over the shared cohort, hand-built timelines, fake blobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from healthfm.data import Processor, build_processors, fit_processors
from healthfm.errors import StoreError
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline, Sample
from healthfm.store.blobs import BlobMeta
from healthfm.store.patient_store import PatientStore

ECG_LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
T0 = dt.datetime(2020, 1, 1)

Row = tuple[dt.datetime | None, str, float | None, str | None, str | None, str | None]


def timeline(subject_id: int, rows: Sequence[Row]) -> PatientTimeline:
    """A hand-built timeline; rows are (time, code, numeric_value, text_value, modality, blob)."""
    cols = list(zip(*rows, strict=True)) if rows else [[]] * 6
    table = pa.table(
        {
            "subject_id": pa.array([subject_id] * len(rows), pa.int64()),
            "time": pa.array(cols[0], pa.timestamp("us")),
            "code": pa.array(cols[1], pa.string()),
            "numeric_value": pa.array(cols[2], pa.float32()),
            "text_value": pa.array(cols[3], pa.large_string()),
            "modality": pa.array(cols[4], pa.string()),
            "blob": pa.array(cols[5], pa.string()),
        },
        schema=EVENT_SCHEMA,
    )
    return PatientTimeline(subject_id, table)


def ev(
    days: float | None,
    code: str,
    value: float | None = None,
    text: str | None = None,
    modality: str = "events",
    blob: str | None = None,
) -> Row:
    """One row `days` after T0 (None = a static fact)."""
    return (None if days is None else T0 + dt.timedelta(days=days), code, value, text, modality, blob)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


class FakeBlobs:
    """An in-memory blob source; `broken` URIs raise like a damaged file."""

    def __init__(self) -> None:
        self.arrays: dict[str, tuple[np.ndarray[Any, Any], BlobMeta]] = {}
        self.broken: set[str] = set()

    def add(self, uri: str, array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
        self.arrays[uri] = (array, meta)
        return uri

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]:
        if uri in self.broken or uri not in self.arrays:
            raise StoreError(f"blob {uri} is not in the blob store")
        return self.arrays[uri]


class FakeStore:
    """Timelines and blobs in memory, with a train split (every subject unless told)."""

    def __init__(self, timelines: Sequence[PatientTimeline], train: Sequence[int] | None = None) -> None:
        self.timelines = {t.subject_id: t for t in timelines}
        self.train = sorted(self.timelines) if train is None else sorted(train)
        self.blobs = FakeBlobs()

    def timeline(self, subject_id: int) -> PatientTimeline:
        return self.timelines[subject_id]

    def subjects(self, split: str | None = None, *, consent_scope: str | None = None) -> np.ndarray[Any, Any]:
        ids = sorted(self.timelines) if split is None else (self.train if split == "train" else [])
        return np.asarray(ids, dtype=np.int64)


def ecg_meta(rate: float = 500.0, leads: Sequence[str] | None = ECG_LEADS) -> BlobMeta:
    return BlobMeta(
        kind="waveform", sampling_rate=rate, lead_names=None if leads is None else tuple(leads), units="mV"
    )


def last_time_samples(store: PatientStore, ids: Sequence[int] | np.ndarray[Any, Any]) -> list[Sample]:
    """One sample per subject, one second after its last timed event: everything is visible."""
    out = []
    for sid in ids:
        times = store.timeline(int(sid)).times
        last = times[~np.isnat(times)].max().astype("datetime64[us]").item()
        out.append(Sample(int(sid), last + dt.timedelta(seconds=1), int(sid) % 2, task="test"))
    return out


def first_code_samples(
    store: PatientStore, ids: Sequence[int] | np.ndarray[Any, Any], code: str
) -> list[Sample]:
    """One sample per subject at the time of its first `code` event (subjects without it are skipped)."""
    out = []
    for sid in ids:
        table = store.timeline(int(sid)).table
        times = [
            t
            for c, t in zip(table.column("code").to_pylist(), table.column("time").to_pylist(), strict=True)
            if c == code
        ]
        if times:
            out.append(Sample(int(sid), times[0], 1.0, task="test"))
    return out


@pytest.fixture(scope="session")
def train_samples(cohort_store: PatientStore) -> list[Sample]:
    return last_time_samples(cohort_store, cohort_store.subjects("train"))


@pytest.fixture(scope="session")
def all_samples(cohort_store: PatientStore) -> list[Sample]:
    return last_time_samples(cohort_store, cohort_store.subjects())


@pytest.fixture(scope="session")
def fitted(cohort_store: PatientStore, train_samples: list[Sample]) -> dict[Modality, Processor]:
    """Every processor with its defaults, fitted on the cohort's train split. Never mutate."""
    return fit_processors(cohort_store, train_samples, build_processors(list(Modality)))
