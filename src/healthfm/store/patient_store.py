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
import uuid
from collections.abc import Callable, Iterator
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
    """An open shard file with its row-group boundaries, for per-subject reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ino = path.stat().st_ino
        self.file = pq.ParquetFile(path, memory_map=True)
        sizes = [self.file.metadata.row_group(i).num_rows for i in range(self.file.num_row_groups)]
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    def rows(self, start: int, n: int) -> pa.Table:
        first = int(np.searchsorted(self.starts, start, side="right") - 1)
        last = int(np.searchsorted(self.starts, start + n - 1, side="right") - 1)
        table = self.file.read_row_groups(list(range(first, last + 1)), use_threads=False)
        return table.slice(start - int(self.starts[first]), n)


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
        self._index_shard = np.empty(0, object)
        self._index_start = np.empty(0, np.int64)
        self._index_n = np.empty(0, np.int64)
        self._readers: dict[str, _ShardReader] = {}

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
        fd = os.open(self.root / ".healthfm" / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, mode)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _writer(self) -> contextlib.AbstractContextManager[None]:
        return self._lock("write.lock", fcntl.LOCK_EX)

    def _snapshot(self, exclusive: bool = False) -> contextlib.AbstractContextManager[None]:
        return self._lock("snapshot.lock", fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)

    # ------------------------------------------------------------------ reading

    def _load_index(self) -> None:
        path = self.root / ".healthfm" / "subjects.parquet"
        st = path.stat()
        key = (st.st_ino, st.st_mtime_ns)
        if key == self._index_key:
            return
        table = pq.read_table(path)
        self._index_ids = table.column("subject_id").to_numpy()
        self._index_shard = np.asarray(table.column("shard").to_pylist(), dtype=object)
        self._index_start = table.column("row_start").to_numpy()
        self._index_n = table.column("n_rows").to_numpy()
        self._index_key = key

    def _reader(self, shard: str) -> _ShardReader:
        path = self.root / "data" / shard
        cached = self._readers.get(shard)
        if cached is None or cached.ino != path.stat().st_ino:
            cached = _ShardReader(path)
            self._readers[shard] = cached
        return cached

    def subjects(self, split: str | None = None) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Subject ids, sorted; only those of `split` when given."""
        if split is None:
            with self._snapshot():
                self._load_index()
                return self._index_ids.copy()
        if split not in SPLITS:
            raise StoreError(f"unknown split {split!r}; use one of {list(SPLITS)}")
        splits = pq.read_table(self.root / "metadata" / "subject_splits.parquet")
        ids = splits.filter(pc.equal(splits.column("split"), split)).column("subject_id").to_numpy()
        return np.sort(ids)

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
        with self._snapshot():
            self._load_index()
            i = int(np.searchsorted(self._index_ids, subject_id))
            if i >= len(self._index_ids) or int(self._index_ids[i]) != int(subject_id):
                raise StoreError(f"subject {subject_id} is not in the store at {self.root}")
            reader = self._reader(str(self._index_shard[i]))
            table = reader.rows(int(self._index_start[i]), int(self._index_n[i]))
        return PatientTimeline(int(subject_id), table)

    def shards(self) -> list[str]:
        return sorted(p.name for p in (self.root / "data").glob("*.parquet"))

    def iter_shards(self, columns: list[str] | None = None) -> Iterator[tuple[str, pa.Table]]:
        """Each shard as a table, from one consistent snapshot of the store."""
        with self._snapshot():
            files = [
                (name, pq.ParquetFile(self.root / "data" / name, memory_map=True)) for name in self.shards()
            ]
        for name, pf in files:
            yield name, pf.read(columns=columns)

    def scan(self, columns: list[str] | None = None, batch_rows: int = 262_144) -> Iterator[pa.RecordBatch]:
        """Every event as record batches, shard by shard, from one snapshot."""
        with self._snapshot():
            files = [pq.ParquetFile(self.root / "data" / name, memory_map=True) for name in self.shards()]
        for pf in files:
            yield from pf.read(columns=columns, use_threads=True).to_batches(max_chunksize=batch_rows)

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
        self, events: EventSource, *, progress: Progress | None = None, actor: str = "healthfm"
    ) -> AppendResult:
        """Add events (a table, frame, or iterable of batches/Events), all or nothing.

        Validation errors raise `DataError` naming the offending rows, before anything is stored.
        """
        with self._writer():
            self._recover()
            txn = _Transaction(self.root)
            try:
                result = self._append(txn, events, progress)
                if result.events:
                    details = {
                        "events": result.events,
                        "subjects": result.subjects,
                        "new_subjects": result.new_subjects,
                        "shards_written": result.shards_written,
                    }
                    self._commit(txn, {"kind": "append", "actor": actor, "details": details})
                else:
                    txn.abort()
            except BaseException:
                txn.abort()
                raise
        return result

    def _append(self, txn: _Transaction, events: EventSource, progress: Progress | None) -> AppendResult:
        nb = self.settings.spill_buckets
        writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
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
                        writers[b] = pa.ipc.new_stream(sink, EVENT_SCHEMA)
                    writers[b].write_table(batch.slice(int(lo), int(hi - lo)))
                total += batch.num_rows
                if progress:
                    progress("read", batch.num_rows)
        finally:
            for w in writers.values():
                w.close()
        if total == 0:
            return AppendResult(0, 0, 0, 0)

        self._load_index()
        old_ids, old_shard = self._index_ids, self._index_shard
        index_parts: list[pa.Table] = []
        touched: dict[str, list[pa.Table]] = {}
        code_counts: list[pa.Table] = []
        new_subject_ids: list[np.ndarray[Any, Any]] = []
        n_subjects = 0
        shard_counter = txn.next_shard_number(self.shards())
        pending_new: list[pa.Table] = []
        pending_rows = 0

        def flush_new() -> None:
            nonlocal shard_counter, pending_rows
            if not pending_new:
                return
            table = pa.concat_tables(pending_new)
            pending_new.clear()
            pending_rows = 0
            name = f"{shard_counter:06d}.parquet"
            shard_counter += 1
            index_parts.append(self._write_shard(txn, name, table))

        for b in sorted(writers):
            with pa.memory_map(str(txn.spill_path(b))) as src:
                table = pa.ipc.open_stream(src).read_all()
            txn.spill_path(b).unlink()
            code_counts.append(table.group_by("code").aggregate([("code", "count")]))
            ids = table.column("subject_id").to_numpy()
            pos = np.searchsorted(old_ids, ids)
            pos_c = np.minimum(pos, max(len(old_ids) - 1, 0))
            exists = (
                (len(old_ids) > 0) & (old_ids[pos_c] == ids) if len(old_ids) else np.zeros(len(ids), bool)
            )
            uniq = np.unique(ids)
            n_subjects += len(uniq)
            if exists.any():
                old_rows = table.filter(pa.array(exists))
                shard_of = old_shard[pos_c[exists]]
                for shard in np.unique(shard_of):
                    touched.setdefault(str(shard), []).append(old_rows.filter(pa.array(shard_of == shard)))
            new_rows = table.filter(pa.array(~exists)) if exists.any() else table
            if new_rows.num_rows == 0:
                continue
            new_rows = new_rows.take(pc.sort_indices(new_rows, sort_keys=_SORT_KEYS))
            check_timelines(new_rows)
            new_subject_ids.append(np.unique(new_rows.column("subject_id").to_numpy()))
            # cut into shards of at most `cap` events, only at subject boundaries
            sids = new_rows.column("subject_id").to_numpy()
            starts = np.concatenate([[0], np.flatnonzero(np.diff(sids)) + 1, [len(sids)]])
            cap = self.settings.max_events_per_shard
            lo = 0
            while lo < len(sids):
                room = cap - pending_rows
                hi = int(starts[np.searchsorted(starts, lo + room, side="right") - 1])
                if hi <= lo:  # the next subject does not fit in what is left of this shard
                    if pending_rows:
                        flush_new()
                        continue
                    hi = int(starts[np.searchsorted(starts, lo, side="right")])  # one subject over the cap
                pending_new.append(new_rows.slice(lo, hi - lo))
                pending_rows += hi - lo
                lo = hi
                if pending_rows >= cap:
                    flush_new()
            if progress:
                progress("write", new_rows.num_rows)
        flush_new()

        existing_subjects = 0
        for shard, parts in touched.items():
            old = self._reader(shard).file.read()
            merged = pa.concat_tables([old, *parts])
            merged = merged.take(pc.sort_indices(merged, sort_keys=_SORT_KEYS))
            check_timelines(merged)
            index_parts.append(self._write_shard(txn, shard, merged))
            existing_subjects += len(np.unique(pa.concat_tables(parts).column("subject_id").to_numpy()))
            if progress:
                progress("write", sum(p.num_rows for p in parts))

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
        counts = pa.concat_tables(code_counts).group_by("code").aggregate([("code_count", "sum")])
        code_delta = dict(zip(counts.column(0).to_pylist(), counts.column(1).to_pylist(), strict=True))
        self._stage_metadata(txn, code_delta, new_ids, removed_ids=None)
        return AppendResult(
            events=total,
            subjects=n_subjects,
            new_subjects=len(new_ids),
            shards_written=len(written),
        )

    def _write_shard(self, txn: _Transaction, name: str, table: pa.Table) -> pa.Table:
        """Stage one sorted shard; return its index rows."""
        txn.stage_parquet(f"data/{name}", table, row_group_rows=self.settings.row_group_rows)
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
                table = self._reader(shard).file.read()
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
                txn.stage_parquet(".healthfm/subjects.parquet", pa.concat_tables(parts).sort_by("subject_id"))
                delta = {
                    c["values"]: -c["counts"] for c in pc.value_counts(removed.column("code")).to_pylist()
                }
                self._stage_metadata(txn, delta, np.empty(0, np.int64), np.array([subject_id], np.int64))
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
        if path is None:
            (self.path / "spill").mkdir(parents=True)
            (self.path / "out").mkdir()

    def spill_path(self, bucket: int) -> Path:
        return self.path / "spill" / f"{bucket:05d}.arrow"

    def next_shard_number(self, existing: list[str]) -> int:
        numbers = [int(n.split(".")[0]) for n in existing if n.split(".")[0].isdigit()]
        return max(numbers, default=0) + 1

    def _staged(self, dest: str) -> Path:
        staged = self.path / "out" / f"{len(self.moves):06d}-{Path(dest).name}"
        self.moves = [m for m in self.moves if m[1] != dest]
        self.moves.append((staged.name, dest))
        return staged

    def stage_parquet(self, dest: str, table: pa.Table, row_group_rows: int | None = None) -> None:
        path = self._staged(dest)
        pq.write_table(
            table,
            path,
            row_group_size=row_group_rows,
            compression="snappy",
            write_statistics=["subject_id", "time"],
        )
        _fsync(path)

    def stage_bytes(self, dest: str, data: bytes) -> None:
        path = self._staged(dest)
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
