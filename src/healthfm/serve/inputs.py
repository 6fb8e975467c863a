"""What a prediction reads: a stored patient's timeline (by pseudonym), or a posted FHIR Bundle read
through the FHIR reader and the privacy gate into an in-memory timeline (never written to the store:
predict is not ingest)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.ingest.base import MemorySink
from healthfm.ingest.fhir import FhirReader
from healthfm.ingest.pipeline import SubjectResolver
from healthfm.privacy.gate import PrivacyGate
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline
from healthfm.serve.errors import ApiError
from healthfm.store.blobs import BlobMeta

SITE_PREFIX = "SITE/"
UNKNOWN_SITE = "unknown"
MAX_BUNDLE_ENTRIES = 5000


@dataclass(frozen=True)
class PatientInput:
    """One patient to predict for: the timeline (or how to read it), where its arrays are, its site
    and the prediction time."""

    subject_id: int
    timeline: PatientTimeline | None
    blobs: Any  # a BlobSource
    site: str
    prediction_time: dt.datetime
    source: str  # "store" or "bundle"
    cache_key: tuple[Any, ...] | None  # processed inputs may be reused under this key
    load: Callable[[], PatientTimeline] | None = None  # reads the timeline when `timeline` is None

    def get_timeline(self) -> PatientTimeline:
        if self.timeline is not None:
            return self.timeline
        assert self.load is not None
        return self.load()


def store_version(store: Any) -> tuple[int, int]:
    """Changes whenever the store's events do: every write rewrites its subject index."""
    st = (Path(store.root) / ".healthfm" / "subjects.parquet").stat()
    return st.st_ino, st.st_mtime_ns


class PatientIndex:
    """(site, end of record) per (subject, store version): a repeated prediction for a stored patient
    whose processed inputs are cached reads nothing from the store."""

    def __init__(self, size: int = 65_536) -> None:
        self.size = size
        self._known: OrderedDict[tuple[int, tuple[int, int]], tuple[str, dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subject_id: int, version: tuple[int, int]) -> tuple[str, dt.datetime] | None:
        with self._lock:
            return self._known.get((subject_id, version))

    def put(self, subject_id: int, version: tuple[int, int], value: tuple[str, dt.datetime]) -> None:
        with self._lock:
            self._known[(subject_id, version)] = value
            while len(self._known) > self.size:
                self._known.popitem(last=False)


def site_of(timeline: PatientTimeline) -> str:
    """The value of the patient's `SITE/<value>` static fact ("unknown" without one)."""
    codes = timeline.table.column("code")
    static = pc.is_null(timeline.table.column("time"))
    mask = pc.and_(static, pc.fill_null(pc.starts_with(codes, SITE_PREFIX), False))
    found = timeline.table.filter(mask).column("code").to_pylist()
    return str(found[-1])[len(SITE_PREFIX) :] if found else UNKNOWN_SITE


def end_of_record(timeline: PatientTimeline) -> dt.datetime:
    """Just after the last timed event: every recorded event is visible ("now" for this record)."""
    times = timeline.table.column("time")
    latest = pc.max(times).as_py()
    if latest is None:
        return dt.datetime(1970, 1, 1)
    assert isinstance(latest, dt.datetime)
    return latest + dt.timedelta(microseconds=1)


class MemoryBlobs:
    """Arrays a Bundle carried inline (Media, attachments), held in memory for one request."""

    def __init__(self, blobs: dict[str, tuple[np.ndarray[Any, Any], BlobMeta]]) -> None:
        self._blobs = blobs

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]:
        from healthfm.errors import DataError

        try:
            return self._blobs[uri]
        except KeyError:
            raise DataError(f"blob {uri} is not in the posted Bundle") from None


def _invalid(message: str, expression: str = "Bundle") -> ApiError:
    return ApiError(422, message, expression=[expression])


def check_bundle_shape(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The structural checks the reader would otherwise quarantine silently; named in the 422."""
    if bundle.get("resourceType") != "Bundle":
        raise _invalid("resourceType must be 'Bundle'", "Bundle.resourceType")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        raise _invalid("a Bundle needs a non-empty entry list", "Bundle.entry")
    if len(entries) > MAX_BUNDLE_ENTRIES:
        raise ApiError(
            413, f"a Bundle may hold at most {MAX_BUNDLE_ENTRIES} entries", expression=["Bundle.entry"]
        )
    patients = 0
    for i, entry in enumerate(entries):
        res = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(res, dict):
            raise _invalid("entry without a resource object", f"Bundle.entry[{i}].resource")
        rtype = res.get("resourceType")
        if not isinstance(rtype, str) or not rtype:
            raise _invalid("resource without resourceType", f"Bundle.entry[{i}].resource.resourceType")
        patients += rtype == "Patient"
    if patients != 1:
        raise _invalid(f"a Bundle for a prediction holds exactly one Patient, this one holds {patients}")
    return entries


def bundle_input(
    bundle: dict[str, Any], gate: PrivacyGate, links: dict[str, int], at: dt.datetime | None
) -> PatientInput:
    """Read a Bundle through the FHIR reader and the privacy gate (pseudonym, date shift, note scrubbing).

    Any record the reader would quarantine makes the request invalid (422 naming the record and why);
    the reason passes the gate's redaction, so no identifier is echoed back."""
    check_bundle_shape(bundle)
    sink = MemorySink()
    with tempfile.TemporaryDirectory(prefix="healthfm-bundle-") as tmp:
        path = Path(tmp) / "bundle.json"
        path.write_text(json.dumps(bundle, allow_nan=False))
        FhirReader().read(path, sink)
    if sink.quarantined:
        first = sink.quarantined[0]
        more = f" (and {len(sink.quarantined) - 1} more)" if len(sink.quarantined) > 1 else ""
        where = first.location.replace("entry[", "Bundle.entry[")
        raise _invalid(f"{gate.redact(first.reason)}{more}", where)
    if not sink.events:
        raise _invalid("the Bundle holds no data a model can read")
    resolver = SubjectResolver(links, gate)
    for alias, canonical in sink.links.items():
        resolver.link(alias, canonical)
    keys = {e.subject_key for e in sink.events}
    ids = {resolver.subject_id(k) for k in keys}
    if len(ids) != 1:
        raise _invalid("the Bundle's resources are about more than one patient")
    (subject_id,) = ids
    for key, known in sink.identifiers.items():
        gate.remember(resolver.subject_id(key), known)
    cols = list(zip(*sink.events, strict=True))
    table = pa.table(
        {
            "subject_id": pa.array([subject_id] * len(sink.events), pa.int64()),
            "time": pa.array(cols[1], pa.timestamp("us")),
            "code": pa.array(cols[2], pa.string()),
            "numeric_value": pa.array(cols[3], pa.float32()),
            "text_value": pa.array(cols[4], pa.large_string()),
            "modality": pa.array([Modality(m).value for m in cols[5]], pa.string()),
            "blob": pa.array(cols[6], pa.string()),
        },
        schema=EVENT_SCHEMA,
    )
    table = gate.apply(table)
    order = pc.sort_indices(
        pa.table({"static": pc.is_valid(table.column("time")), "time": table.column("time")}),
        sort_keys=[("static", "ascending"), ("time", "ascending")],
    )
    timeline = PatientTimeline(subject_id, table.take(order))
    when = end_of_record(timeline) if at is None else at + gate.date_shift(subject_id)
    return PatientInput(
        subject_id, timeline, MemoryBlobs(sink.blobs), site_of(timeline), when, "bundle", None
    )
