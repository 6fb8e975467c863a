"""`healthfm ingest`: files → readers → pseudonymous subject ids → the store, with quarantine.

Sources are split into *units* (a file, or a folder a reader takes whole, such as a FHIR Bulk Data
export). Each unit is identified by the hash of its content; a batch of units is appended in one store
transaction together with their hashes, so ingesting the same files twice adds nothing, new files
append, and an interrupted run simply reads again the units whose batch did not commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.errors import DataError, UsageError
from healthfm.ingest.base import IngestSink, QuarantineRecord, Reader, SourceEvent, merge_identifiers
from healthfm.privacy.gate import PrivacyGate
from healthfm.schema import Modality
from healthfm.store.blobs import BlobMeta, BlobStore
from healthfm.store.patient_store import PatientStore

UNIT_EVENT_SCHEMA = pa.schema(
    [
        ("subject_key", pa.string()),
        ("time", pa.timestamp("us")),
        ("code", pa.string()),
        ("numeric_value", pa.float32()),
        ("text_value", pa.large_string()),
        ("modality", pa.string()),
        ("blob", pa.string()),
    ]
)
# Companion files are read by the reader of their primary file, never on their own.
_COMPANION_SUFFIXES = (".mapping.yaml", ".healthfm.yaml")
BATCH_UNITS = 256
CHUNK_EVENTS = 100_000
COALESCE_ROWS = 65_536
BATCH_EVENTS = 2_000_000


def default_readers(*, clear_burned_in: bool = False) -> list[Reader]:
    """Every reader healthfm ships, most specific first."""
    readers: list[Reader] = []
    for module, name in (
        ("healthfm.ingest.omop", "OmopReader"),
        ("healthfm.ingest.fhir", "FhirReader"),
        ("healthfm.ingest.tables", "TableReader"),
        ("healthfm.ingest.notes", "NoteReader"),
        ("healthfm.ingest.waveforms", "WfdbReader"),
        ("healthfm.ingest.waveforms", "EdfReader"),
        ("healthfm.ingest.dicom", "DicomReader"),
    ):
        import importlib

        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):  # an optional reader whose dependency is not installed
            continue
        readers.append(cls(clear_burned_in=clear_burned_in) if name == "DicomReader" else cls())
    return readers


class SubjectResolver:
    """Source patient keys → pseudonymous subject ids; aliases (FHIR ids) follow their MRN.

    With the privacy gate, ids and stored key hashes are keyed HMACs (`PrivacyGate.subject_id`);
    without it (`--no-deid`, for data already de-identified) a plain SHA-256. Only hashes of keys
    are ever stored, never the keys themselves.

    Linking rule: a medical record number identifies the patient whatever system names it, so
    `mrn:<system>|<value>` is reduced to `mrn:<value>` — FHIR Patient.identifier, DICOM PatientID and
    a WFDB `patient_id:` then meet. (A network whose sites reuse MRN values must prefix them.)
    """

    def __init__(self, links: dict[str, int] | None = None, gate: PrivacyGate | None = None) -> None:
        self.links: dict[str, int] = dict(links or {})
        self.new_links: dict[str, int] = {}
        self.gate = gate

    @staticmethod
    def canonical(key: str) -> str:
        if key.startswith("mrn:") and "|" in key:
            return "mrn:" + key.rsplit("|", 1)[1]
        return key

    def key_hash(self, key: str) -> str:
        if self.gate is not None:
            return self.gate.key_hash(self.canonical(key))
        return hashlib.sha256(self.canonical(key).encode()).hexdigest()

    def subject_id(self, key: str) -> int:
        h = self.key_hash(key)
        linked = self.links.get(h)
        if linked is not None:
            return linked
        if self.gate is not None:
            return self.gate.subject_id(self.canonical(key))
        return int(h[:15], 16)  # < 2**60: a positive int64

    def link(self, alias: str, canonical: str) -> None:
        sid = self.subject_id(canonical)
        h = self.key_hash(alias)
        if self.links.get(h) != sid:
            self.links[h] = sid
            self.new_links[h] = sid


@dataclass
class UnitResult:
    """What reading one unit produced (returned from worker processes)."""

    path: str
    reader: str
    source_hash: str
    events: pa.Table
    links: dict[str, str]
    quarantined: list[QuarantineRecord]
    counts: Counter[str]
    identifiers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass
class IngestReport:
    run_id: str
    units: int = 0
    units_already_ingested: int = 0
    events: int = 0
    subjects: int = 0
    quarantined: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    quarantine_file: Path | None = None
    unrecognised: int = 0

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(type, read, ingested, quarantined, skipped) for the summary table."""
        kinds = sorted({k.split(":", 1)[1] for k in self.counts if ":" in k})
        return [
            (
                kind,
                self.counts[f"read:{kind}"],
                self.counts[f"ingested:{kind}"],
                self.counts[f"quarantined:{kind}"],
                self.counts[f"skipped:{kind}"],
            )
            for kind in kinds
        ]


class _BufferSink(IngestSink):
    """Collects one unit's output in columns; blobs go straight to the store's blob folder."""

    def __init__(self, blob_root: Path, source: str, gate: PrivacyGate | None = None) -> None:
        self.blobs = BlobStore(blob_root)
        self.source = source
        self.gate = gate
        self.identifiers: dict[str, dict[str, tuple[str, ...]]] = {}
        self.rows: list[SourceEvent] = []
        self.chunks: list[pa.Table] = []  # rows turned into Arrow every CHUNK_EVENTS: ~10x smaller
        self.links: dict[str, str] = {}
        self.quarantined: list[QuarantineRecord] = []
        self.counts: Counter[str] = Counter()

    def emit(self, event: SourceEvent) -> None:
        self.rows.append(event)
        if len(self.rows) >= CHUNK_EVENTS:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        cols = list(zip(*self.rows, strict=True))
        modality = [m.value if isinstance(m, Modality) else Modality(m).value for m in cols[5]]
        data = dict(zip(UNIT_EVENT_SCHEMA.names, [*cols[:5], modality, cols[6]], strict=True))
        try:
            self.chunks.append(pa.table(data, schema=UNIT_EVENT_SCHEMA))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
            raise DataError(f"{self.source}: a reader produced an event of the wrong type: {exc}") from None
        self.rows = []

    def put_blob(self, array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
        self.counts["blobs_written"] += 1  # flushed to disk once per batch, before the commit
        if self.gate is not None and meta.extra:  # DICOM UIDs in the metadata are identifiers
            gate = self.gate
            extra = {k: gate.remap_uid(v) if k.endswith("_uid") and v else v for k, v in meta.extra.items()}
            meta = dataclasses.replace(meta, extra=extra)
        return self.blobs.put(array, meta, durable=False)

    def identify(self, subject_key: str, **identifiers: tuple[str, ...]) -> None:
        merge_identifiers(self.identifiers.setdefault(subject_key, {}), identifiers)

    def link(self, alias_key: str, subject_key: str) -> None:
        self.links[alias_key] = subject_key

    def quarantine(self, source: str | Path, location: str, reason: str, excerpt: str = "") -> None:
        # Behind the gate a raw record is PHI: the quarantine keeps where and why, not the record,
        # and a value quoted in the reason (a malformed date, an unknown code) is redacted too.
        if self.gate is not None:
            reason, excerpt = self.gate.redact(reason), ""
        self.quarantined.append(QuarantineRecord(str(source), location, reason, excerpt[:2000]))

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def table(self) -> pa.Table:
        self._flush()
        if not self.chunks:
            return UNIT_EVENT_SCHEMA.empty_table()
        return pa.concat_tables(self.chunks)


def content_hash(path: Path) -> str:
    """SHA-256 of a file, or of a folder's (relative path, file hash) pairs."""
    h = hashlib.sha256()
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(path)).encode() + b"\0" + content_hash(f).encode())
        return "dir:" + h.hexdigest()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def discover(
    sources: Sequence[Path], readers: Sequence[Reader]
) -> tuple[list[tuple[Reader, Path]], list[Path]]:
    """Units to read (reader, path) and files no reader claims, in a stable order."""
    units: list[tuple[Reader, Path]] = []
    unclaimed: list[Path] = []

    def visit(path: Path) -> None:
        for reader in readers:
            if reader.claims(path):
                units.append((reader, path))
                return
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if not child.name.startswith("."):
                    visit(child)
        elif not _is_companion(path):
            unclaimed.append(path)

    for source in sources:
        if not source.exists():
            raise UsageError(f"{source}: no such file or folder")
        visit(source)
    return units, unclaimed


def _is_companion(path: Path) -> bool:
    name = path.name
    if name.endswith(_COMPANION_SUFFIXES):
        return True
    if path.suffix == ".dat" and path.with_suffix(".hea").exists():  # WFDB signal file
        return True
    if path.suffix == ".json":  # a note's sidecar (note.txt.json or note.json next to note.txt)
        stem = name.removesuffix(".json")
        return (path.parent / stem).exists() or path.with_suffix(".txt").exists()
    return name == "RECORDS"  # WFDB record list


def read_unit(
    reader: Reader, path: Path, blob_root: Path, source_hash: str, gate: PrivacyGate | None = None
) -> UnitResult:
    """Run one reader over one unit. A reader that raises has its whole unit quarantined."""
    sink = _BufferSink(blob_root, str(path), gate)
    try:
        reader.read(path, sink)
        events = sink.table()
    except Exception as exc:  # a reader bug must not stop the run or lose the unit
        sink.quarantine(path, "whole file", f"{reader.name} reader failed: {type(exc).__name__}: {exc}")
        sink.count(f"quarantined:{reader.name}")
        events = UNIT_EVENT_SCHEMA.empty_table()
    return UnitResult(
        str(path),
        reader.name,
        source_hash,
        events,
        sink.links,
        sink.quarantined,
        sink.counts,
        sink.identifiers,
    )


def _read_unit_job(args: tuple[Reader, Path, Path, str, PrivacyGate | None]) -> UnitResult:
    return read_unit(*args)


def ingest(
    sources: Sequence[Path],
    store: PatientStore,
    *,
    gate: PrivacyGate | None,
    workers: int = 1,
    strict: bool = False,
    readers: Sequence[Reader] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    actor: str = "ingest",
) -> IngestReport:
    """Ingest files and folders into `store`; see the module docstring for the guarantees.

    `gate` is the privacy gate (keyed pseudonyms, date shifts, note scrubbing); `None` means the data
    is already de-identified (`--no-deid`), which is recorded in the audit log.
    """
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    readers = list(readers) if readers is not None else default_readers()
    units, unclaimed = discover([Path(s) for s in sources], readers)
    run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    report = IngestReport(run_id=run_id)
    quarantine_dir = store.root / "quarantine"
    done = store.ingested_sources()
    resolver = SubjectResolver(store.subject_links(), gate)
    consents: list[tuple[int, dt.datetime | None, str]] = []

    todo: list[tuple[Reader, Path, str]] = []
    for reader, path in units:
        h = content_hash(path)
        if h in done:
            report.units_already_ingested += 1
        else:
            todo.append((reader, path, h))
            done.add(h)  # the same content twice in one run is read once
    quarantine: list[QuarantineRecord] = [
        QuarantineRecord(str(p), "whole file", "no reader recognises this file type") for p in unclaimed
    ]
    report.unrecognised = len(unclaimed)
    if progress:
        progress("units", 0, len(todo))

    results = _read_all(todo, store.root / "blobs", workers, gate)
    finished = 0
    while True:
        batch_sources: list[dict[str, Any]] = []
        batch_quarantine: list[QuarantineRecord] = []
        state = {"units": 0, "events": 0, "stop": False}

        def stream(
            batch_sources: list[dict[str, Any]] = batch_sources,
            batch_quarantine: list[QuarantineRecord] = batch_quarantine,
            state: dict[str, Any] = state,
        ) -> Iterator[pa.Table]:
            nonlocal finished
            pending: list[pa.Table] = []  # many small units become one table: validation is per table
            pending_rows = 0
            blobs_written = 0
            for result in results:
                for alias, canonical in result.links.items():
                    resolver.link(alias, canonical)
                blobs_written += result.counts.pop("blobs_written", 0)
                report.counts.update(result.counts)
                batch_quarantine.extend(result.quarantined)
                if strict and result.quarantined:
                    first = result.quarantined[0]
                    raise DataError(
                        f"--strict: {first.source} ({first.location}): {first.reason}"
                        + (
                            f" (and {len(result.quarantined) - 1} more)"
                            if len(result.quarantined) > 1
                            else ""
                        )
                    )
                batch_sources.append(
                    {
                        "source_hash": result.source_hash,
                        "path": result.path,
                        "reader": result.reader,
                        "events": result.events.num_rows,
                        "quarantined": len(result.quarantined),
                        "ingested_at": dt.datetime.now(dt.UTC),
                    }
                )
                finished += 1
                state["units"] += 1
                state["events"] += result.events.num_rows
                if progress:
                    progress("units", finished, len(todo))
                if result.events.num_rows:
                    table = _pseudonymise(result.events, resolver)
                    if gate is not None:
                        for key, known in result.identifiers.items():
                            gate.remember(resolver.subject_id(key), known)
                        table = gate.apply(table)
                    consents.extend(_consent_events(table))
                    pending.append(table)
                    pending_rows += result.events.num_rows
                    if pending_rows >= COALESCE_ROWS:
                        yield pa.concat_tables(pending)
                        pending, pending_rows = [], 0
                if state["units"] >= BATCH_UNITS or state["events"] >= BATCH_EVENTS:
                    break
            else:
                state["stop"] = True
            if pending:
                yield pa.concat_tables(pending)
            if blobs_written:
                os.sync()  # blobs were written without fsync; make them durable before the commit

        try:
            appended = store.append(
                stream(), sources=batch_sources, links=resolver.new_links, actor=actor, dedupe=True
            )
        finally:
            quarantine.extend(batch_quarantine)
            report.quarantine_file = (
                _write_quarantine(quarantine_dir, run_id, quarantine) or report.quarantine_file
            )
        resolver.new_links = {}
        for subject_id, when, code in consents:
            _, scope, decision = code.split("/", 2)
            store.catalog.set_consent(
                subject_id,
                scope,
                decision == "permit",
                source="FHIR Consent",
                recorded_at=when.replace(tzinfo=dt.UTC) if when else None,
                actor=actor,
            )
        consents.clear()
        report.units += state["units"]
        report.events += appended.events
        if state["stop"] or state["units"] == 0:
            break
    report.quarantined = len(quarantine)
    report.subjects = len(store.subjects())
    if gate is None:
        store.catalog.audit(actor, "ingest.no_deid", details={"run_id": run_id, "units": report.units})
    store.catalog.audit(
        actor,
        "ingest.run",
        details={
            "run_id": run_id,
            "units": report.units,
            "already_ingested": report.units_already_ingested,
            "events": report.events,
            "quarantined": report.quarantined,
        },
    )
    return report


def _read_all(
    todo: list[tuple[Reader, Path, str]], blob_root: Path, workers: int, gate: PrivacyGate | None
) -> Iterator[UnitResult]:
    """Read units in order, in up to `workers` processes, with a bounded number in flight."""
    if workers == 1 or len(todo) <= 1:
        for reader, path, h in todo:
            yield read_unit(reader, path, blob_root, h, gate)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        queue: deque[Future[UnitResult]] = deque()
        for reader, path, h in todo:
            queue.append(pool.submit(_read_unit_job, (reader, path, blob_root, h, gate)))
            if len(queue) >= 2 * workers:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()


def _consent_events(events: pa.Table) -> list[tuple[int, dt.datetime | None, str]]:
    """(subject, time, code) of the `CONSENT/<scope>/<permit|deny>` events a reader emitted."""
    code = events.column("code")
    mask = pc.fill_null(pc.starts_with(code, "CONSENT/"), False)
    if not pc.any(mask).as_py():
        return []
    rows = events.filter(mask).select(["subject_id", "time", "code"]).to_pylist()
    return [
        (r["subject_id"], r["time"], r["code"])
        for r in rows
        if r["code"].count("/") == 2 and r["code"].rsplit("/", 1)[1] in ("permit", "deny")
    ]


def _pseudonymise(events: pa.Table, resolver: SubjectResolver) -> pa.Table:
    keys = events.column("subject_key")
    uniq = pc.unique(keys)
    ids = pa.array([resolver.subject_id(k) for k in uniq.to_pylist()], pa.int64())
    subject_id = pc.take(ids, pc.index_in(keys, value_set=uniq))
    return events.drop_columns(["subject_key"]).add_column(0, "subject_id", subject_id)


def _write_quarantine(folder: Path, run_id: str, records: list[QuarantineRecord]) -> Path | None:
    if not records:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.jsonl"
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.__dict__, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path
