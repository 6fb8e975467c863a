"""`PatientStore`: MEDS v0.4 event shards on disk, with a subject index, blobs and a catalog.

Layout of a store folder::

    data/000001.parquet …          MEDS shards: each subject in exactly one, sorted by time
    metadata/dataset.json          MEDS dataset metadata
    metadata/codes.parquet         every code, with its event count
    metadata/subject_splits.parquet  train / tuning / held_out by a hash of subject_id
    blobs/                          content-addressed arrays (images, waveforms)
    catalog.sqlite                  audit chain, consent, erasures, model registry
    .healthfm/                      subject index, store settings, locks, transaction journals

Writes are transactions: new files are written under `.healthfm/txn-*`, a commit record is renamed
into place, then files are renamed over the live ones. A crash before the commit record leaves the
store as it was; a crash after it is rolled forward on the next open. Readers take a shared lock
only while they open files, so a scan sees one consistent snapshot.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import itertools
import json
import os
import shutil
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from healthfm import __version__
from healthfm.errors import StoreError
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline
from healthfm.store.blobs import BlobStore
from healthfm.store.events import EventSource, check_timelines, iter_event_batches

if TYPE_CHECKING:
    from healthfm.store.catalog import Catalog

FORMAT_VERSION = 1
MEDS_VERSION = "0.4.1"
SPLITS = ("train", "tuning", "held_out")
INDEX_SCHEMA = pa.schema(
    [
        pa.field("subject_id", pa.int64(), nullable=False),
        pa.field("shard", pa.string(), nullable=False),
        pa.field("row_start", pa.int64(), nullable=False),
        pa.field("n_rows", pa.int64(), nullable=False),
    ]
)
CODES_SCHEMA = pa.schema(
    [
        pa.field("code", pa.string(), nullable=False),
        pa.field("description", pa.string()),
        pa.field("parent_codes", pa.list_(pa.string())),
        pa.field("n_events", pa.int64()),
    ]
)
SPLITS_SCHEMA = pa.schema(
    [pa.field("subject_id", pa.int64(), nullable=False), pa.field("split", pa.string(), nullable=False)]
)
SOURCES_SCHEMA = pa.schema(
    [
        pa.field("source_hash", pa.string(), nullable=False),
        pa.field("path", pa.string()),
        pa.field("reader", pa.string()),
        pa.field("events", pa.int64()),
        pa.field("quarantined", pa.int64()),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC")),
    ]
)
LINKS_SCHEMA = pa.schema(
    [pa.field("key_hash", pa.string(), nullable=False), pa.field("subject_id", pa.int64(), nullable=False)]
)
_SORT_KEYS = [("subject_id", "ascending", "at_start"), ("time", "ascending", "at_start")]

Progress = Callable[[str, int], None]
"""Called with (stage, rows) as work advances, for progress bars."""


@dataclass(frozen=True)
class StoreSettings:
    """Fixed when a store is created; kept in `.healthfm/store.json`."""

    max_events_per_shard: int = 500_000
    row_group_rows: int = 8_192
    spill_buckets: int = 64
    split_salt: str = "healthfm-splits-v1"
    split_fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
    dataset_name: str = "healthfm"

    def __post_init__(self) -> None:
        if self.max_events_per_shard < 1 or self.row_group_rows < 1 or self.spill_buckets < 1:
            raise StoreError("store settings: shard size, row group size and spill buckets must be positive")
        if len(self.split_fractions) != 3 or abs(sum(self.split_fractions) - 1.0) > 1e-9:
            raise StoreError(
                f"store settings: split_fractions must be three numbers summing to 1, got "
                f"{self.split_fractions}"
            )


@dataclass(frozen=True)
class AppendResult:
    events: int
    subjects: int
    new_subjects: int
    shards_written: int


@dataclass(frozen=True)
class EraseResult:
    subject_id: int
    events_removed: int
    blobs_removed: int


@dataclass
class StoreInfo:
    path: Path
    subjects: int
    events: int
    codes: int
    shards: int
    modalities: dict[str, int]
    splits: dict[str, int]
    blobs: int
    size_bytes: int
    extra: dict[str, Any] = field(default_factory=dict)


def assign_split(
    subject_ids: np.ndarray[Any, Any], salt: str, fractions: tuple[float, float, float]
) -> list[str]:
    """Split by a keyed hash of the id: stable however many subjects are added later."""
    cut1, cut2 = fractions[0], fractions[0] + fractions[1]
    out = []
    for sid in subject_ids.tolist():
        u = int.from_bytes(hashlib.sha256(f"{salt}:{sid}".encode()).digest()[:8], "big") / 2.0**64
        out.append(SPLITS[0] if u < cut1 else SPLITS[1] if u < cut2 else SPLITS[2])
    return out


class _ShardReader:
    """One shard opened for reading: its memory-mapped Arrow copy, or the Parquet file if none."""

    def __init__(self, root: Path, shard: str) -> None:
        arrow_path = root / ".healthfm" / "arrow" / _arrow_name(shard)
        self.table: pa.Table | None = None
        self.file: pq.ParquetFile | None = None
        try:
            self.path, self.key = arrow_path, _file_key(arrow_path)
            self.table = pa.ipc.open_file(pa.memory_map(str(arrow_path))).read_all()
        except FileNotFoundError:  # a store written before the access copy existed, or it was removed
            self.path = root / "data" / shard
            self.key = _file_key(self.path)
            self.file = pq.ParquetFile(self.path, memory_map=True)
            sizes = [self.file.metadata.row_group(i).num_rows for i in range(self.file.num_row_groups)]
            self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    def is_current(self) -> bool:
        try:
            return _file_key(self.path) == self.key
        except FileNotFoundError:
            return False

    def rows(self, start: int, n: int) -> pa.Table:
        if self.table is not None:
            return self.table.slice(start, n)
        assert self.file is not None
        first = int(np.searchsorted(self.starts, start, side="right") - 1)
        last = int(np.searchsorted(self.starts, start + n - 1, side="right") - 1)
        table = self.file.read_row_groups(list(range(first, last + 1)), use_threads=False)
        return table.slice(start - int(self.starts[first]), n)

    def read(self, columns: list[str] | None = None) -> pa.Table:
        if self.table is not None:
            return self.table.select(columns) if columns else self.table
        assert self.file is not None
        return self.file.read(columns=columns, use_threads=True)


def _file_key(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class PatientStore:
    """A folder of MEDS events, blobs and a catalog. Use `PatientStore.open(path)`."""

    def __init__(self, root: Path, settings: StoreSettings, catalog_url: str | None) -> None:
        self.root = root
        self.settings = settings
        self.blobs = BlobStore(root / "blobs")
        self._catalog_url = catalog_url
        self._catalog: Catalog | None = None
        self._index_key: tuple[int, int] | None = None
        self._index_ids = np.empty(0, np.int64)
        self._index_shard: list[str] = []
        self._index_start = np.empty(0, np.int64)
        self._index_n = np.empty(0, np.int64)
        self._readers: dict[str, _ShardReader] = {}
        self._index_path = str(root / ".healthfm" / "subjects.parquet")
        self._local = threading.local()
        self._open_fds: list[int] = []

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        settings: StoreSettings | None = None,
        catalog_url: str | None = None,
    ) -> PatientStore:
        """Open the store at `path`, creating it when missing (unless `create=False`)."""
        root = Path(path)
        meta = root / ".healthfm" / "store.json"
        if not meta.exists():
            if not create:
                raise StoreError(
                    f"{root} is not a healthfm store (no .healthfm/store.json); "
                    "create one with `healthfm store init` or PatientStore.open(path)"
                )
            if (root / "data").is_dir() and not (root / ".healthfm").exists():
                raise StoreError(
                    f"{root} holds a MEDS dataset not made by healthfm; ingest it into a "
                    "new store instead of opening it in place"
                )
            cls._create(root, settings or StoreSettings())
        saved = json.loads(meta.read_text())
        if saved.get("format_version") != FORMAT_VERSION:
            raise StoreError(
                f"{root}: store format {saved.get('format_version')} is not supported by "
                f"healthfm {__version__} (expects {FORMAT_VERSION})"
            )
        conf = saved["settings"]
        conf["split_fractions"] = tuple(conf["split_fractions"])
        store = cls(root, StoreSettings(**conf), catalog_url)
        store._recover_if_idle()
        return store

    @staticmethod
    def _create(root: Path, settings: StoreSettings) -> None:
        try:
            for sub in ("data", "metadata", "blobs", ".healthfm"):
                (root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create a store at {root}: {exc.strerror}") from None
        conf = {k: (list(v) if isinstance(v, tuple) else v) for k, v in settings.__dict__.items()}
        created_at = dt.datetime.now(dt.UTC).isoformat()
        body = {
            "format_version": FORMAT_VERSION,
            "settings": conf,
            "created_at": created_at,
            "healthfm_version": __version__,
        }
        _write_atomic(root / ".healthfm" / "store.json", json.dumps(body, indent=2).encode())
        _write_parquet_atomic(root / "metadata" / "codes.parquet", CODES_SCHEMA.empty_table())
        _write_parquet_atomic(root / "metadata" / "subject_splits.parquet", SPLITS_SCHEMA.empty_table())
        _write_parquet_atomic(root / ".healthfm" / "subjects.parquet", INDEX_SCHEMA.empty_table())
        _write_atomic(root / "metadata" / "dataset.json", _dataset_json(settings, created_at, 0))

    @property
    def catalog(self) -> Catalog:
        """The SQL catalog (SQLite in the store, or HEALTHFM_CATALOG_URL), opened on first use."""
        if self._catalog is None:
            from healthfm.store.catalog import Catalog

            self._catalog = Catalog.open(self._catalog_url, store_path=self.root)
        return self._catalog

    def close(self) -> None:
        self._readers.clear()
        for fd in self._open_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._open_fds.clear()
        self._local = threading.local()
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None

    def __enter__(self) -> PatientStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ locks

    @contextlib.contextmanager
    def _lock(self, name: str, mode: int) -> Iterator[None]:
        fd = self._lock_fd(name)
        fcntl.flock(fd, mode)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _lock_fd(self, name: str) -> int:
        # One lock file descriptor per thread and lock, kept open: flock belongs to the open file,
        # so threads must not share one, and reopening it on every read would cost more than the read.
        fds: dict[str, int] = self._local.__dict__.setdefault("fds", {})
        fd = fds.get(name)
        if fd is None:
            fd = fds[name] = os.open(self.root / ".healthfm" / name, os.O_RDWR | os.O_CREAT, 0o644)
            self._open_fds.append(fd)
        return fd

    def _writer(self) -> contextlib.AbstractContextManager[None]:
        return self._lock("write.lock", fcntl.LOCK_EX)

    def _snapshot(self, exclusive: bool = False) -> contextlib.AbstractContextManager[None]:
        return self._lock("snapshot.lock", fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)

    # ------------------------------------------------------------------ reading

    def _load_index(self) -> None:
        path = self._index_path
        st = os.stat(path)  # noqa: PTH116 - the hot path of timeline(); Path.stat costs more
        key = (st.st_ino, st.st_mtime_ns)
        if key == self._index_key:
            return
        # Every write that changes a shard rewrites the index, so an unchanged index means the
        # cached shard readers are current; a changed one means they must be checked again.
        self._readers = {k: r for k, r in self._readers.items() if r.is_current()}
        table = pq.read_table(path)
        self._index_ids = table.column("subject_id").to_numpy()
        self._index_shard = table.column("shard").to_pylist()
        self._index_start = table.column("row_start").to_numpy()
        self._index_n = table.column("n_rows").to_numpy()
        self._index_key = key

    def _reader(self, shard: str) -> _ShardReader:
        """A reader for `shard`; call under the snapshot lock after `_load_index`."""
        cached = self._readers.get(shard)
        if cached is None:
            cached = _ShardReader(self.root, shard)
            self._readers[shard] = cached
        return cached

    def subjects(
        self, split: str | None = None, *, consent_scope: str | None = None
    ) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Subject ids, sorted; only those of `split` when given.

        With `consent_scope` ("training", "evaluation", "research"), subjects whose latest decision for
        that scope (or for "all") is an opt-out are left out: datasets are built from this call, so
        consent is enforced at run time, not only at ingestion.
        """
        if split is None:
            with self._snapshot():
                self._load_index()
                ids = self._index_ids.copy()
        else:
            if split not in SPLITS:
                raise StoreError(f"unknown split {split!r}; use one of {list(SPLITS)}")
            splits = pq.read_table(self.root / "metadata" / "subject_splits.parquet")
            ids = np.sort(
                splits.filter(pc.equal(splits.column("split"), split)).column("subject_id").to_numpy()
            )
        if consent_scope is not None:
            # Building or evaluating a model is research use: a research opt-out (the usual FHIR
            # Consent scope) excludes the patient from both.
            scopes = {consent_scope} | (
                {"research"} if consent_scope in ("training", "evaluation") else set()
            )
            opted_out = set().union(*(self.catalog.subjects_without_consent(s) for s in scopes))
            if opted_out:
                ids = ids[~np.isin(ids, np.fromiter(opted_out, np.int64, len(opted_out)))]
        return ids

    def split_of(self, subject_id: int) -> str:
        return assign_split(np.array([subject_id]), self.settings.split_salt, self.settings.split_fractions)[
            0
        ]

    def __contains__(self, subject_id: object) -> bool:
        if not isinstance(subject_id, int | np.integer):
            return False
        with self._snapshot():
            self._load_index()
            i = int(np.searchsorted(self._index_ids, subject_id))
            return i < len(self._index_ids) and int(self._index_ids[i]) == int(subject_id)

    def timeline(self, subject_id: int) -> PatientTimeline:
        """All events of one subject, sorted by time, static facts first."""
        # The hot path of every data loader: the snapshot lock is taken without a context manager.
        fd = self._lock_fd("snapshot.lock")
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            self._load_index()
            ids = self._index_ids
            i = int(ids.searchsorted(subject_id))
            if i >= len(ids) or ids[i] != subject_id:
                raise StoreError(f"subject {subject_id} is not in the store at {self.root}")
            reader = self._reader(self._index_shard[i])
            table = reader.rows(int(self._index_start[i]), int(self._index_n[i]))
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return PatientTimeline(int(subject_id), table)

    def shards(self) -> list[str]:
        return sorted(p.name for p in (self.root / "data").glob("*.parquet"))

    def iter_shards(self, columns: list[str] | None = None) -> Iterator[tuple[str, pa.Table]]:
        """Each shard as a table, from one consistent snapshot of the store."""
        with self._snapshot():
            self._load_index()
            readers = [(name, self._reader(name)) for name in self.shards()]
        for name, reader in readers:
            yield name, reader.read(columns)

    def scan(self, columns: list[str] | None = None, batch_rows: int = 262_144) -> Iterator[pa.RecordBatch]:
        """Every event as record batches, shard by shard, from one snapshot."""
        for _, table in self.iter_shards(columns):
            yield from table.to_batches(max_chunksize=batch_rows)

    def num_events(self) -> int:
        with self._snapshot():
            self._load_index()
            return int(self._index_n.sum())

    def info(self) -> StoreInfo:
        with self._snapshot():
            self._load_index()
            n_subjects, n_events = len(self._index_ids), int(self._index_n.sum())
        modalities: dict[str, int] = {}
        for _, table in self.iter_shards(columns=["modality"]):
            counts = table.column("modality").value_counts()
            for item in counts.to_pylist():
                key = item["values"] or Modality.EVENTS.value
                modalities[key] = modalities.get(key, 0) + item["counts"]
        splits = pq.read_table(self.root / "metadata" / "subject_splits.parquet")
        split_counts = {s: 0 for s in SPLITS}
        for item in splits.column("split").value_counts().to_pylist():
            split_counts[item["values"]] = item["counts"]
        size = sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
        return StoreInfo(
            path=self.root,
            subjects=n_subjects,
            events=n_events,
            codes=pq.read_metadata(self.root / "metadata" / "codes.parquet").num_rows,
            shards=len(self.shards()),
            modalities=dict(sorted(modalities.items())),
            splits=split_counts,
            blobs=sum(1 for _ in self.blobs),
            size_bytes=size,
        )

    # ------------------------------------------------------------------ writing

    def append(
        self,
        events: EventSource,
        *,
        progress: Progress | None = None,
        actor: str = "healthfm",
        sources: list[dict[str, Any]] | None = None,
        links: dict[str, int] | None = None,
        dedupe: bool = False,
    ) -> AppendResult:
        """Add events (a table, frame, or iterable of batches/Events), all or nothing.

        Validation errors raise `DataError` naming the offending rows, before anything is stored.
        `sources` (ingestion ledger rows: source_hash, path, reader, events, quarantined) and `links`
        (hashed source key → subject id) are read after `events` is consumed and committed with it,
        so an interrupted ingestion never records a source whose events were not stored.
        With `dedupe`, an incoming event identical in every field to one already stored for that
        subject is dropped (re-reading a folder that gained files adds only the new events).
        """
        with self._writer():
            self._recover()
            txn = _Transaction(self.root)
            try:
                result = self._append(txn, events, progress, dedupe)
                if sources:
                    self._stage_ledger(txn, "sources.parquet", pa.Table.from_pylist(sources, SOURCES_SCHEMA))
                if links:
                    table = pa.table(
                        {"key_hash": list(links), "subject_id": list(links.values())}, schema=LINKS_SCHEMA
                    )
                    self._stage_ledger(txn, "subject_links.parquet", table, unique="key_hash")
                if result.events or sources or links:
                    details = {
                        "events": result.events,
                        "subjects": result.subjects,
                        "new_subjects": result.new_subjects,
                        "shards_written": result.shards_written,
                        "sources": len(sources or []),
                    }
                    self._commit(txn, {"kind": "append", "actor": actor, "details": details})
                else:
                    txn.abort()
            except BaseException:
                txn.abort()
                raise
        return result

    def _spill(
        self, txn: _Transaction, events: EventSource, progress: Progress | None
    ) -> tuple[list[int], int]:
        """Validate the input batch by batch and spill it to per-bucket files (subject_id mod buckets),
        so memory stays bounded; return the buckets written and the number of events."""
        nb = self.settings.spill_buckets
        writers: dict[int, tuple[pa.OSFile, pa.ipc.RecordBatchStreamWriter]] = {}
        total = 0
        try:
            for batch in iter_event_batches(events):
                buckets = batch.column("subject_id").to_numpy() % nb
                order = np.argsort(buckets, kind="stable")
                batch, sorted_buckets = batch.take(pa.array(order)), buckets[order]
                cuts = np.flatnonzero(np.diff(sorted_buckets)) + 1
                bounds = np.concatenate([[0], cuts, [len(sorted_buckets)]])
                for lo, hi in itertools.pairwise(bounds):
                    b = int(sorted_buckets[lo])
                    if b not in writers:
                        sink = pa.OSFile(str(txn.spill_path(b)), "wb")
                        writers[b] = (sink, pa.ipc.new_stream(sink, EVENT_SCHEMA))
                    writers[b][1].write_table(batch.slice(int(lo), int(hi - lo)))
                total += batch.num_rows
                if progress:
                    progress("read", batch.num_rows)
        finally:
            for sink, writer in writers.values():
                writer.close()
                sink.close()
        return sorted(writers), total

    def _append(
        self, txn: _Transaction, events: EventSource, progress: Progress | None, dedupe: bool = False
    ) -> AppendResult:
        buckets, total = self._spill(txn, events, progress)
        if total == 0:
            return AppendResult(0, 0, 0, 0)

        self._load_index()
        old_ids, old_shard = self._index_ids, np.asarray(self._index_shard, dtype=object)
        cap = self.settings.max_events_per_shard
        index_parts: list[pa.Table] = []
        touched: dict[str, list[pa.Table]] = {}
        duplicates: list[pa.Table] = []
        code_counts: list[pa.Table] = []
        new_subject_ids: list[np.ndarray[Any, Any]] = []
        n_subjects = 0
        shard_counter = txn.next_shard_number(self.shards())
        pending_new: list[pa.Table] = []
        pending_rows = 0

        def prepare(b: int) -> _Bucket:
            """Read one spilled bucket, split it into new and existing subjects, sort the new ones."""
            path = txn.spill_path(b)
            with pa.memory_map(str(path)) as src:
                table = pa.ipc.open_stream(src).read_all()
            path.unlink()
            ids = table.column("subject_id").to_numpy()
            if len(old_ids):
                pos = np.minimum(np.searchsorted(old_ids, ids), len(old_ids) - 1)
                exists = old_ids[pos] == ids
            else:
                pos, exists = np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
            existing: dict[str, pa.Table] = {}
            if exists.any():
                old_rows = table.filter(pa.array(exists))
                shard_of = old_shard[pos[exists]]
                for shard in np.unique(shard_of):
                    existing[str(shard)] = old_rows.filter(pa.array(shard_of == shard))
                table = table.filter(pa.array(~exists))
            table = table.take(pc.sort_indices(table, sort_keys=_SORT_KEYS))
            check_timelines(table)
            sids = table.column("subject_id").to_numpy()
            starts = (
                np.concatenate([[0], np.flatnonzero(np.diff(sids)) + 1, [len(sids)]]) if len(sids) else None
            )
            n_existing = len(np.unique(ids[exists])) if exists.any() else 0
            return _Bucket(
                new_rows=table,
                starts=starts,
                existing=existing,
                code_counts=pa.concat_tables([table, *existing.values()])
                .group_by("code")
                .aggregate([("code", "count")]),
                n_subjects=(len(starts) - 1 if starts is not None else 0) + n_existing,
            )

        with _Pipeline(workers=2) as pipe:

            def flush_new() -> None:
                nonlocal shard_counter, pending_rows
                if not pending_new:
                    return
                table = pa.concat_tables(pending_new)
                pending_new.clear()
                pending_rows = 0
                name = f"{shard_counter:06d}.parquet"
                shard_counter += 1
                pipe.submit_write(self._write_shard, txn, name, table)

            for bucket in pipe.map_ordered(prepare, buckets):
                code_counts.append(bucket.code_counts)
                n_subjects += bucket.n_subjects
                for shard, rows in bucket.existing.items():
                    touched.setdefault(shard, []).append(rows)
                new_rows, starts = bucket.new_rows, bucket.starts
                if starts is None:
                    continue
                new_subject_ids.append(new_rows.column("subject_id").to_numpy()[starts[:-1]])
                # cut into shards of at most `cap` events, only at subject boundaries
                n, lo = new_rows.num_rows, 0
                while lo < n:
                    room = cap - pending_rows
                    hi = int(starts[np.searchsorted(starts, lo + room, side="right") - 1])
                    if hi <= lo:  # the next subject does not fit in what is left of this shard
                        if pending_rows:
                            flush_new()
                            continue
                        hi = int(
                            starts[np.searchsorted(starts, lo, side="right")]
                        )  # one subject over the cap
                    pending_new.append(new_rows.slice(lo, hi - lo))
                    pending_rows += hi - lo
                    lo = hi
                    if pending_rows >= cap:
                        flush_new()
                if progress:
                    progress("write", n)
            flush_new()

            def merge(shard: str, parts: list[pa.Table]) -> pa.Table:
                old = self._reader(shard).read()
                new = pa.concat_tables(parts)
                if dedupe:
                    new, dropped = _drop_existing(old, new)
                    duplicates.append(dropped)  # list.append is atomic: merges run in worker threads
                merged = pa.concat_tables([old, new])
                merged = merged.take(pc.sort_indices(merged, sort_keys=_SORT_KEYS))
                check_timelines(merged)
                return merged

            for shard, parts in touched.items():
                pipe.submit_write(lambda t, s, p: self._write_shard(t, s, merge(s, p)), txn, shard, parts)
                if progress:
                    progress("write", sum(p.num_rows for p in parts))
            index_parts = pipe.results()
        if duplicates:
            dropped_all = pa.concat_tables(duplicates)
            n_duplicates = dropped_all.num_rows
            if n_duplicates:
                total -= n_duplicates
                neg = dropped_all.group_by("code").aggregate([("code", "count")])
                code_counts.append(
                    pa.table({"code": neg["code"], "code_count": pc.negate(neg["code_count"])})
                )

        # the index: old entries of untouched shards + fresh entries of every shard written
        written = {str(t.column("shard")[0]) for t in index_parts if t.num_rows}
        old_index = pq.read_table(self.root / ".healthfm" / "subjects.parquet")
        keep = pc.invert(
            pc.is_in(old_index.column("shard"), value_set=pa.array(sorted(written), pa.string()))
        )
        index = pa.concat_tables([old_index.filter(keep), *index_parts]).cast(INDEX_SCHEMA)
        index = index.sort_by("subject_id")
        txn.stage_parquet(".healthfm/subjects.parquet", index)

        new_ids = np.concatenate(new_subject_ids) if new_subject_ids else np.empty(0, np.int64)
        counts = (
            pa.concat_tables(code_counts, promote_options="permissive")
            .group_by("code")
            .aggregate([("code_count", "sum")])
        )
        code_delta = dict(zip(counts.column(0).to_pylist(), counts.column(1).to_pylist(), strict=True))
        self._stage_metadata(txn, code_delta, new_ids, removed_ids=None)
        return AppendResult(
            events=total,
            subjects=n_subjects,
            new_subjects=len(new_ids),
            shards_written=len(written),
        )

    def _stage_ledger(self, txn: _Transaction, name: str, rows: pa.Table, unique: str | None = None) -> None:
        path = self.root / ".healthfm" / name
        if path.exists():
            old = pq.read_table(path)
            if unique is not None:
                old = old.filter(pc.invert(pc.is_in(old.column(unique), value_set=rows.column(unique))))
            rows = pa.concat_tables([old, rows.cast(old.schema)])
        txn.stage_parquet(f".healthfm/{name}", rows)

    def ingested_sources(self) -> set[str]:
        """Content hashes of every source already ingested (for idempotent, resumable ingestion)."""
        path = self.root / ".healthfm" / "sources.parquet"
        if not path.exists():
            return set()
        return set(pq.read_table(path, columns=["source_hash"]).column(0).to_pylist())

    def subject_links(self) -> dict[str, int]:
        """Hashed source keys (aliases such as a FHIR Patient id) → subject id, from earlier ingestions."""
        path = self.root / ".healthfm" / "subject_links.parquet"
        if not path.exists():
            return {}
        table = pq.read_table(path)
        return dict(zip(table.column(0).to_pylist(), table.column(1).to_pylist(), strict=True))

    def _write_shard(self, txn: _Transaction, name: str, table: pa.Table) -> pa.Table:
        """Write one sorted shard (MEDS Parquet + the Arrow access copy); return its index rows."""
        txn.write_parquet(txn.staged(f"data/{name}"), table, row_group_rows=self.settings.row_group_rows)
        txn.write_arrow(txn.staged(f".healthfm/arrow/{_arrow_name(name)}"), table)
        ids = table.column("subject_id").to_numpy()
        if len(ids) == 0:
            return INDEX_SCHEMA.empty_table()
        starts = np.concatenate([[0], np.flatnonzero(np.diff(ids)) + 1])
        counts = np.diff(np.concatenate([starts, [len(ids)]]))
        return pa.table(
            {
                "subject_id": ids[starts],
                "shard": pa.array([name] * len(starts), pa.string()),
                "row_start": starts.astype(np.int64),
                "n_rows": counts.astype(np.int64),
            },
            schema=INDEX_SCHEMA,
        )

    def _stage_metadata(
        self,
        txn: _Transaction,
        code_delta: dict[str, int],
        new_ids: np.ndarray[Any, Any],
        removed_ids: np.ndarray[Any, Any] | None,
    ) -> None:
        codes = pq.read_table(self.root / "metadata" / "codes.parquet")
        counts = dict(
            zip(codes.column("code").to_pylist(), codes.column("n_events").to_pylist(), strict=True)
        )
        for code, n in code_delta.items():
            counts[code] = counts.get(code, 0) + n
        keep_codes = sorted(c for c, n in counts.items() if n > 0)
        prior = {row["code"]: row for row in codes.to_pylist()}
        txn.stage_parquet(
            "metadata/codes.parquet",
            pa.table(
                {
                    "code": keep_codes,
                    "description": [prior.get(c, {}).get("description") for c in keep_codes],
                    "parent_codes": [prior.get(c, {}).get("parent_codes") for c in keep_codes],
                    "n_events": [counts[c] for c in keep_codes],
                },
                schema=CODES_SCHEMA,
            ),
        )

        splits = pq.read_table(self.root / "metadata" / "subject_splits.parquet")
        if removed_ids is not None and len(removed_ids):
            splits = splits.filter(
                pc.invert(pc.is_in(splits.column("subject_id"), value_set=pa.array(removed_ids)))
            )
        if len(new_ids):
            new_ids = np.sort(new_ids)
            added = pa.table(
                {
                    "subject_id": new_ids,
                    "split": assign_split(new_ids, self.settings.split_salt, self.settings.split_fractions),
                },
                schema=SPLITS_SCHEMA,
            )
            splits = pa.concat_tables([splits, added]).sort_by("subject_id")
        txn.stage_parquet("metadata/subject_splits.parquet", splits.cast(SPLITS_SCHEMA))

        meta = json.loads((self.root / "metadata" / "dataset.json").read_text())
        version = int(meta.get("dataset_version", "0")) + 1
        txn.stage_bytes("metadata/dataset.json", _dataset_json(self.settings, meta["created_at"], version))

    def erase(
        self, subject_id: int, *, requested_by: str = "healthfm", reason: str = "GDPR Art. 17"
    ) -> EraseResult:
        """Remove every event and every blob of one subject (right to erasure) and record it."""
        with self._writer():
            self._recover()
            self._load_index()
            i = int(np.searchsorted(self._index_ids, subject_id))
            if i >= len(self._index_ids) or int(self._index_ids[i]) != int(subject_id):
                raise StoreError(f"subject {subject_id} is not in the store at {self.root}; nothing to erase")
            shard = str(self._index_shard[i])
            txn = _Transaction(self.root)
            try:
                table = self._reader(shard).read()
                mine = pc.equal(table.column("subject_id"), subject_id)
                removed = table.filter(mine)
                rest = table.filter(pc.invert(mine))
                blob_uris = {u for u in removed.column("blob").to_pylist() if u}
                still_used = self._blobs_referenced(exclude_shard=shard) | {
                    u for u in rest.column("blob").to_pylist() if u
                }
                doomed = sorted(blob_uris - still_used)
                old_index = pq.read_table(self.root / ".healthfm" / "subjects.parquet")
                keep = pc.not_equal(old_index.column("shard"), shard)
                parts = [old_index.filter(keep)]
                if rest.num_rows:
                    parts.append(self._write_shard(txn, shard, rest))
                else:
                    txn.stage_delete(f"data/{shard}")
                    txn.stage_delete(f".healthfm/arrow/{_arrow_name(shard)}")
                txn.stage_parquet(".healthfm/subjects.parquet", pa.concat_tables(parts).sort_by("subject_id"))
                delta = {
                    c["values"]: -c["counts"] for c in pc.value_counts(removed.column("code")).to_pylist()
                }
                self._stage_metadata(txn, delta, np.empty(0, np.int64), np.array([subject_id], np.int64))
                links_path = self.root / ".healthfm" / "subject_links.parquet"
                if links_path.exists():  # hashed source keys that led to this subject
                    links = pq.read_table(links_path)
                    keep_links = pc.not_equal(links.column("subject_id"), subject_id)
                    txn.stage_parquet(".healthfm/subject_links.parquet", links.filter(keep_links))
                for uri in doomed:
                    digest = uri.removeprefix("blob://sha256/")
                    txn.stage_delete(f"blobs/{digest[:2]}/{digest}.npy")
                    txn.stage_delete(f"blobs/{digest[:2]}/{digest}.json")
                result = EraseResult(int(subject_id), removed.num_rows, len(doomed))
                self._commit(
                    txn,
                    {
                        "kind": "erase",
                        "subject_id": int(subject_id),
                        "requested_by": requested_by,
                        "reason": reason,
                        "events_removed": result.events_removed,
                        "blobs_removed": result.blobs_removed,
                    },
                )
            except BaseException:
                txn.abort()
                raise
        return result

    def _blobs_referenced(self, exclude_shard: str) -> set[str]:
        used: set[str] = set()
        for name, table in self.iter_shards(columns=["blob"]):
            if name != exclude_shard:
                used.update(u for u in pc.unique(table.column("blob")).to_pylist() if u)
        return used

    # ------------------------------------------------------------------ transactions

    def _commit(self, txn: _Transaction, audit: dict[str, Any]) -> None:
        """Commit record first, then the catalog record, then the files (see `_recover`)."""
        txn.write_commit_record(audit)
        self._write_audit(txn, audit)
        with self._snapshot(exclusive=True):
            txn.apply()
        self._readers = {k: v for k, v in self._readers.items() if (self.root / "data" / k).exists()}

    def _write_audit(self, txn: _Transaction, audit: dict[str, Any], recovered: bool = False) -> None:
        if (txn.path / "AUDITED").exists():
            return
        if audit["kind"] == "append":
            details = {**audit["details"], **({"recovered": True} if recovered else {})}
            self.catalog.audit(audit["actor"], "store.append", details=details)
        elif audit["kind"] == "erase":
            self.catalog.record_erasure(
                audit["subject_id"],
                requested_by=audit["requested_by"],
                reason=audit["reason"] + (" (completed after a crash)" if recovered else ""),
                events_removed=audit["events_removed"],
                blobs_removed=audit["blobs_removed"],
            )
        (txn.path / "AUDITED").touch()

    def _recover(self) -> None:
        """Roll forward committed transactions and discard uncommitted ones (after a crash)."""
        journal = self.root / ".healthfm"
        for path in sorted(journal.glob("txn-*")):
            commit = path / "COMMIT"
            if not commit.exists():
                shutil.rmtree(path, ignore_errors=True)
                continue
            record = json.loads(commit.read_text())
            txn = _Transaction(self.root, path)
            txn.moves = [(str(a), str(b)) for a, b in record["moves"]]
            txn.deletes = list(record["deletes"])
            self._write_audit(txn, record["audit"], recovered=True)
            with self._snapshot(exclusive=True):
                txn.apply()

    def _recover_if_idle(self) -> None:
        """Recover on open, unless a live writer holds the lock (it recovers for itself)."""
        fd = os.open(self.root / ".healthfm" / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            try:
                self._recover()
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class _Transaction:
    """Files staged in `.healthfm/txn-<id>/` and moved into place by a commit record."""

    def __init__(self, root: Path, path: Path | None = None) -> None:
        self.root = root
        self.path = (
            path
            or root / ".healthfm" / f"txn-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        )
        self.moves: list[tuple[str, str]] = []  # (staged name, destination relative to root)
        self.deletes: list[str] = []
        self._lock = threading.Lock()  # shard writers run in worker threads
        if path is None:
            (self.path / "spill").mkdir(parents=True)
            (self.path / "out").mkdir()

    def spill_path(self, bucket: int) -> Path:
        return self.path / "spill" / f"{bucket:05d}.arrow"

    def next_shard_number(self, existing: list[str]) -> int:
        numbers = [int(n.split(".")[0]) for n in existing if n.split(".")[0].isdigit()]
        return max(numbers, default=0) + 1

    def staged(self, dest: str) -> Path:
        """Where to write the new version of `dest` (a path relative to the store root)."""
        with self._lock:
            self._counter = getattr(self, "_counter", 0) + 1
            staged = self.path / "out" / f"{self._counter:06d}-{Path(dest).name}"
            self.moves = [m for m in self.moves if m[1] != dest]
            self.moves.append((staged.name, dest))
        return staged

    @staticmethod
    def write_parquet(path: Path, table: pa.Table, row_group_rows: int | None = None) -> None:
        # Snappy: meds_reader's bundled Parquet reader has no LZ4, and zstd writes slower.
        pq.write_table(
            table,
            path,
            row_group_size=row_group_rows,
            compression="snappy",
            write_statistics=["subject_id", "time"],
        )
        _fsync(path)

    @staticmethod
    def write_arrow(path: Path, table: pa.Table) -> None:
        # Uncompressed Arrow IPC, memory-mapped by readers: a timeline is a zero-copy slice.
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=1 << 20)
        _fsync(path)

    def stage_parquet(self, dest: str, table: pa.Table, row_group_rows: int | None = None) -> None:
        self.write_parquet(self.staged(dest), table, row_group_rows)

    def stage_bytes(self, dest: str, data: bytes) -> None:
        path = self.staged(dest)
        path.write_bytes(data)
        _fsync(path)

    def stage_delete(self, dest: str) -> None:
        self.deletes.append(dest)

    def write_commit_record(self, audit: dict[str, Any]) -> None:
        record = {"moves": self.moves, "deletes": self.deletes, "audit": audit}
        _write_atomic(self.path / "COMMIT", json.dumps(record).encode())

    def apply(self) -> None:
        out = self.path / "out"
        for staged, dest in self.moves:
            src = out / staged
            if src.exists():  # already moved if we are resuming
                target = self.root / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                src.replace(target)
        for dest in self.deletes:
            with contextlib.suppress(FileNotFoundError):
                (self.root / dest).unlink()
        _fsync_dir(self.root / "data")
        shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _match_keys(table: pa.Table) -> pa.Table:
    """Every event column as a non-null join key (a null flag plus a filled value)."""
    cols: dict[str, Any] = {"subject_id": table.column("subject_id"), "code": table.column("code")}
    fills = {"time": 0, "numeric_value": 0.0, "text_value": "", "modality": "", "blob": ""}
    for name, fill in fills.items():
        col = table.column(name)
        if name == "time":
            col = pc.cast(col, pa.int64())
        cols[f"{name}_null"] = pc.is_null(col)
        cols[name] = pc.fill_null(col, fill)
    return pa.table(cols)


def _drop_existing(old: pa.Table, new: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(rows of `new` not already in `old`, rows of `new` that are), matching on every field."""
    if old.num_rows == 0 or new.num_rows == 0:
        return new, new.slice(0, 0)
    left = _match_keys(new).append_column("__row", pa.array(np.arange(new.num_rows)))
    right = _match_keys(old)
    keys = [n for n in right.column_names]
    kept = left.join(right, keys=keys, join_type="left anti", use_threads=False).column("__row")
    keep = np.zeros(new.num_rows, bool)
    keep[kept.to_numpy()] = True
    return new.filter(pa.array(keep)), new.filter(pa.array(~keep))


def _arrow_name(shard: str) -> str:
    return shard.removesuffix(".parquet") + ".arrow"


@dataclass
class _Bucket:
    """One spill bucket after `prepare`: sorted rows of new subjects, rows for existing shards."""

    new_rows: pa.Table
    starts: np.ndarray[Any, Any] | None  # subject boundaries in new_rows, with len(new_rows) last
    existing: dict[str, pa.Table]
    code_counts: pa.Table
    n_subjects: int


class _Pipeline:
    """A bounded two-stage pipeline on a small thread pool (Arrow releases the GIL while it works).

    `map_ordered` keeps at most `workers` inputs in flight; `submit_write` at most `workers`
    writes, so memory stays bounded however large the append.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="healthfm-store")
        self.writes: deque[Future[pa.Table]] = deque()
        self.done: list[pa.Table] = []

    def map_ordered(self, fn: Callable[[int], _Bucket], items: Iterable[int]) -> Iterator[_Bucket]:
        queue: deque[Future[_Bucket]] = deque()
        for item in items:
            queue.append(self.pool.submit(fn, item))
            if len(queue) > self.workers:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()

    def submit_write(self, fn: Callable[..., pa.Table], *args: Any) -> None:
        self.writes.append(self.pool.submit(fn, *args))
        while len(self.writes) > self.workers:
            self.done.append(self.writes.popleft().result())

    def results(self) -> list[pa.Table]:
        while self.writes:
            self.done.append(self.writes.popleft().result())
        return self.done

    def __enter__(self) -> _Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _dataset_json(settings: StoreSettings, created_at: str, version: int) -> bytes:
    body = {
        "dataset_name": settings.dataset_name,
        "dataset_version": str(version),
        "etl_name": "healthfm",
        "etl_version": __version__,
        "meds_version": MEDS_VERSION,
        "created_at": created_at,
        "additional_value_modality_columns": ["blob"],
        "other_extension_columns": ["modality"],
    }
    return json.dumps(body, indent=2).encode()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(path)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(data)
    _fsync(tmp)
    tmp.replace(path)


def _write_parquet_atomic(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    pq.write_table(table, tmp)
    _fsync(tmp)
    tmp.replace(path)
