"""The SQL catalog of the patient store: hash-chained audit log, consent, erasure records, model registry.

A SQLite file by default, a PostgreSQL URL (``HEALTHFM_CATALOG_URL``) for shared deployments; Alembic
migrations bring the schema to head on `Catalog.open`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, Connection, Dialect, Engine, Row

from healthfm.errors import StoreError

__all__ = [
    "ALL_SCOPES",
    "CATALOG_FILENAME",
    "CATALOG_URL_ENV",
    "GENESIS_HASH",
    "MODEL_STATUSES",
    "REVIEW_STATUSES",
    "ApiKeyRecord",
    "AuditEntry",
    "Catalog",
    "CatalogError",
    "ChainVerification",
    "ConsentRecord",
    "ErasureRecord",
    "ModelRecord",
    "ReviewItem",
    "alembic_config",
    "entry_hash",
]

CATALOG_URL_ENV = "HEALTHFM_CATALOG_URL"
CATALOG_FILENAME = "catalog.sqlite"
GENESIS_HASH = "0" * 64
ALL_SCOPES = "all"
MODEL_STATUSES = ("registered", "active", "retired")
REVIEW_STATUSES = ("pending", "accepted", "overridden")

_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_SQLITE_BUSY_TIMEOUT_S = 30
_PG_LOCK_KEY = 0x6865616C7468666D  # b"healthfm": one advisory lock serialises every catalog write
_WRITE_OPTION = "healthfm_write"
_SCOPE_RE = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
_MODEL_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")
_SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class CatalogError(StoreError):
    """The catalog cannot be opened, or a request to it is invalid."""


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class AuditEntry:
    id: int
    ts: datetime
    actor: str
    action: str
    subject: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    n_entries: int
    first_bad_id: int | None
    reason: str

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class ConsentRecord:
    id: int
    subject_id: int
    scope: str
    granted: bool
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class ErasureRecord:
    id: int
    subject_id: int
    requested_at: datetime
    completed_at: datetime
    requested_by: str
    reason: str
    events_removed: int
    blobs_removed: int


@dataclass(frozen=True)
class ModelRecord:
    id: int
    name: str
    version: int
    created_at: datetime
    status: str
    config: dict[str, Any]
    metrics: dict[str, Any]
    lineage: dict[str, Any]
    artefact_uri: str
    model_card: str


@dataclass(frozen=True)
class ApiKeyRecord:
    """An API key of the serving API: only the SHA-256 of the secret is stored, never the secret."""

    id: int
    key_id: str  # public, shown in listings and audit entries
    key_hash: str
    name: str
    site: str  # "*" for every site
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class ReviewItem:
    """A prediction waiting for (or given) a clinician's decision; `subject` is a pseudonym."""

    id: int
    created_at: datetime
    subject: str
    site: str
    model: str
    version: int
    probability: float
    risk: float
    threshold: float
    reasons: list[str]
    details: dict[str, Any]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


# ---------------------------------------------------------------- tables (created by the migrations)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive UTC text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = _utc(value, "datetime")
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=False),
    sa.Column("ts", UTCDateTime(), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(200), nullable=False),
    sa.Column("subject", sa.String(200), nullable=True, index=True),
    sa.Column("details", sa.Text(), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("prev_hash", name="uq_audit_log_prev_hash"),
    sa.Index("ix_audit_log_action", "action"),
)
consent_table = sa.Table(
    "consent",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("subject_id", sa.BigInteger(), nullable=False),
    sa.Column("scope", sa.String(64), nullable=False, index=True),
    sa.Column("granted", sa.Boolean(), nullable=False),
    sa.Column("source", sa.Text(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.Index("ix_consent_subject_scope", "subject_id", "scope", "recorded_at"),
)
erasures_table = sa.Table(
    "erasures",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("subject_id", sa.BigInteger(), nullable=False, index=True),
    sa.Column("requested_at", UTCDateTime(), nullable=False),
    sa.Column("completed_at", UTCDateTime(), nullable=False),
    sa.Column("requested_by", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("events_removed", sa.BigInteger(), nullable=False),
    sa.Column("blobs_removed", sa.BigInteger(), nullable=False),
)
models_table = sa.Table(
    "models",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("config", sa.Text(), nullable=False),
    sa.Column("metrics", sa.Text(), nullable=False),
    sa.Column("lineage", sa.Text(), nullable=False),
    sa.Column("artefact_uri", sa.Text(), nullable=False),
    sa.Column("model_card", sa.Text(), nullable=False),
    sa.UniqueConstraint("name", "version", name="uq_models_name_version"),
    sa.CheckConstraint("status IN ('registered', 'active', 'retired')", name="ck_models_status"),
    sa.CheckConstraint("version >= 1", name="ck_models_version"),
)


api_keys_table = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("key_id", sa.String(32), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("site", sa.String(64), nullable=False),
    sa.Column("scopes", sa.Text(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("revoked_at", UTCDateTime(), nullable=True),
    sa.UniqueConstraint("key_id", name="uq_api_keys_key_id"),
    sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
)
review_table = sa.Table(
    "review_queue",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("site", sa.String(64), nullable=False),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("probability", sa.Float(), nullable=False),
    sa.Column("risk", sa.Float(), nullable=False),
    sa.Column("threshold", sa.Float(), nullable=False),
    sa.Column("reasons", sa.Text(), nullable=False),
    sa.Column("details", sa.Text(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("decided_by", sa.String(200), nullable=True),
    sa.Column("decided_at", UTCDateTime(), nullable=True),
    sa.Column("decision_reason", sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'overridden')", name="ck_review_queue_status"),
    sa.Index("ix_review_queue_status", "status", "id"),
)


# ---------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise CatalogError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _canonical_json(value: Any, name: str) -> str:
    """Sorted keys, no spaces, ASCII only: one text per value, so hashes are reproducible."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CatalogError(f"{name} must be JSON-serialisable (str keys, finite numbers): {exc}") from exc


def _json_object(value: Mapping[str, Any] | None, name: str) -> str:
    if value is None:
        return "{}"
    if not isinstance(value, Mapping):
        raise CatalogError(f"{name} must be a mapping, got {type(value).__name__}")
    return _canonical_json(dict(value), name)


def _text(value: str, name: str, *, max_len: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{name} must be a non-empty string, got {value!r}")
    if len(value) > max_len:
        raise CatalogError(f"{name} is longer than {max_len} characters")
    return value


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CatalogError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def _subject_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
        raise CatalogError(f"subject_id must be an int64 pseudonym, got {value!r}")
    return value


def _scope(value: str) -> str:
    if not isinstance(value, str) or not _SCOPE_RE.fullmatch(value):
        raise CatalogError(
            f"consent scope must be a lowercase word such as 'research' or 'all', got {value!r}"
        )
    return value


def _model_name(value: str) -> str:
    if not isinstance(value, str) or not _MODEL_NAME_RE.fullmatch(value):
        raise CatalogError(
            f"model name must be 1-200 characters of letters, digits, '.', '_' or '-', got {value!r}"
        )
    return value


def entry_hash(
    prev_hash: str, id: int, ts: datetime, actor: str, action: str, subject: str | None, details: Any
) -> str:
    """sha256(prev_hash || canonical JSON of [id, ts iso, actor, action, subject, details])."""
    payload = _canonical_json(
        [id, ts.astimezone(UTC).isoformat(timespec="microseconds"), actor, action, subject, details], "entry"
    )
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _audit_entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        ts=row.ts,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _consent_record(row: Row[Any]) -> ConsentRecord:
    return ConsentRecord(
        id=row.id,
        subject_id=row.subject_id,
        scope=row.scope,
        granted=bool(row.granted),
        source=row.source,
        recorded_at=row.recorded_at,
    )


def _erasure_record(row: Row[Any]) -> ErasureRecord:
    return ErasureRecord(
        id=row.id,
        subject_id=row.subject_id,
        requested_at=row.requested_at,
        completed_at=row.completed_at,
        requested_by=row.requested_by,
        reason=row.reason,
        events_removed=row.events_removed,
        blobs_removed=row.blobs_removed,
    )


def _model_record(row: Row[Any]) -> ModelRecord:
    return ModelRecord(
        id=row.id,
        name=row.name,
        version=row.version,
        created_at=row.created_at,
        status=row.status,
        config=json.loads(row.config),
        metrics=json.loads(row.metrics),
        lineage=json.loads(row.lineage),
        artefact_uri=row.artefact_uri,
        model_card=row.model_card,
    )


def _api_key_record(row: Row[Any]) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id,
        key_id=row.key_id,
        key_hash=row.key_hash,
        name=row.name,
        site=row.site,
        scopes=tuple(row.scopes.split()),
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


def _review_item(row: Row[Any]) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        created_at=row.created_at,
        subject=row.subject,
        site=row.site,
        model=row.model,
        version=row.version,
        probability=row.probability,
        risk=row.risk,
        threshold=row.threshold,
        reasons=json.loads(row.reasons),
        details=json.loads(row.details),
        status=row.status,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
    )


def _chain_problem(row: Row[Any], expected_id: int, expected_prev: str) -> str | None:
    """Why this entry breaks the chain, or None when it is intact."""
    if row.id != expected_id:
        missing = (
            f"entry {expected_id} is"
            if row.id == expected_id + 1
            else f"entries {expected_id}..{row.id - 1} are"
        )
        return f"{missing} missing before entry {row.id} (deleted?)"
    if row.prev_hash != expected_prev:
        return "prev_hash does not match the previous entry's hash (entry deleted, reordered or inserted)"
    try:
        details = json.loads(row.details)
    except ValueError:
        return "details are not valid JSON (entry edited)"
    if _canonical_json(details, "details") != row.details:
        return "details are not in canonical form (entry edited)"
    if entry_hash(row.prev_hash, row.id, row.ts, row.actor, row.action, row.subject, details) != row.hash:
        return "hash does not match the entry's contents (entry edited or forged)"
    return None


# ---------------------------------------------------------------- engine and migrations


def _resolve_url(url: str | None, store_path: Path | None) -> URL:
    if url is None:
        url = os.environ.get(CATALOG_URL_ENV) or None
    if url is None:
        if store_path is None:
            raise CatalogError(f"no catalog location: pass a URL, set {CATALOG_URL_ENV}, or give store_path")
        store_path = Path(store_path)
        store_path.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(store_path / CATALOG_FILENAME))
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise CatalogError(f"invalid catalog URL: {exc}") from None
    # A bare postgresql:// would pick psycopg2, which healthfm does not install.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in _SUPPORTED_BACKENDS:
        raise CatalogError(
            f"unsupported catalog database {parsed.get_backend_name()!r}; use sqlite:/// or postgresql+psycopg://"
        )
    return parsed


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not emit BEGIN itself; `_sqlite_on_begin` does, choosing IMMEDIATE for writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_S * 1000}")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _set_wal(cursor: Any) -> None:
    # Switching a fresh file to WAL needs an exclusive lock, and SQLite reports "database is locked" at
    # once there instead of waiting on busy_timeout; so wait here, within the same budget.
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


@contextmanager
def _sqlite_sidecar_lock(url: URL, purpose: str) -> Iterator[None]:
    """An exclusive `flock` on `<database>.<purpose>.lock` across threads and processes (no-op for other
    databases). "open" serializes creating and migrating the file; "write" queues writers, waking the
    next one the moment the lock is free (SQLite's own busy handler retries after sleeps of up to
    100 ms each, e.g. between the API server's workers)."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        yield
        return
    fd = os.open(f"{database}.{purpose}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sqlite_on_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue instead of forking the audit chain.
    immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_S})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def _write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the catalog's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: advisory lock)."""
    with _sqlite_sidecar_lock(engine.url, "write"), engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
            yield conn


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """The Alembic configuration of the catalog, built in code (no alembic.ini)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(_MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade_to_head(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    with _write_transaction(engine) as conn:
        command.upgrade(alembic_config(conn), "head")


# ---------------------------------------------------------------- the catalog


class Catalog:
    """The catalog of one patient store. Every mutation writes its audit entry in the same transaction."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self.url: str = url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str | None = None, *, store_path: Path | None = None) -> Catalog:
        """Open (creating and migrating to head) the catalog at `url`, else $HEALTHFM_CATALOG_URL, else
        `<store_path>/catalog.sqlite`."""
        resolved = _resolve_url(url, store_path)
        masked = resolved.render_as_string(hide_password=True)
        engine = _create_engine(resolved)
        try:
            with _sqlite_sidecar_lock(resolved, "open"):
                _upgrade_to_head(engine)
        except OSError as exc:
            engine.dispose()
            raise CatalogError(f"cannot lock the catalog at {masked}: {exc}") from None
        except CommandError as exc:
            engine.dispose()
            raise CatalogError(f"cannot migrate the catalog at {masked}: {exc}") from None
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
            raise CatalogError(f"cannot open the catalog at {masked}: {detail}") from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, resolved)

    def __repr__(self) -> str:
        return f"Catalog({self.url!r})"

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            yield conn

    def schema_version(self) -> str:
        """The Alembic revision the database is at."""
        with self._read() as conn:
            return MigrationContext.configure(conn).get_current_revision() or ""

    # ------------------------------------------------------------ audit log

    def audit(
        self, actor: str, action: str, subject: str | None = None, details: Mapping[str, Any] | None = None
    ) -> AuditEntry:
        """Append one entry to the hash chain. `subject` is a pseudonym, never a raw identifier."""
        with _write_transaction(self._engine) as conn:
            return self._append_audit(conn, actor, action, subject, details)

    def _append_audit(
        self,
        conn: Connection,
        actor: str,
        action: str,
        subject: str | None,
        details: Mapping[str, Any] | None,
    ) -> AuditEntry:
        _text(actor, "actor")
        _text(action, "action")
        if subject is not None:
            _text(subject, "subject")
        details_text = _json_object(details, "details")
        parsed = json.loads(details_text)
        last = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
        ).first()
        entry_id, prev_hash = (1, GENESIS_HASH) if last is None else (last.id + 1, last.hash)
        ts = _now()
        digest = entry_hash(prev_hash, entry_id, ts, actor, action, subject, parsed)
        conn.execute(
            audit_log.insert().values(
                id=entry_id,
                ts=ts,
                actor=actor,
                action=action,
                subject=subject,
                details=details_text,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        return AuditEntry(entry_id, ts, actor, action, subject, parsed, prev_hash, digest)

    def audit_entries(
        self, *, subject: str | None = None, action: str | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        """Entries in chain order; with `limit`, the most recent `limit` of them."""
        query = sa.select(audit_log)
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        if action is not None:
            query = query.where(audit_log.c.action == action)
        if limit is not None:
            query = query.order_by(audit_log.c.id.desc()).limit(_count(limit, "limit"))
        else:
            query = query.order_by(audit_log.c.id)
        with self._read() as conn:
            entries = [_audit_entry(row) for row in conn.execute(query)]
        return entries[::-1] if limit is not None else entries

    def verify_audit_chain(self) -> ChainVerification:
        """Recompute every hash; report the first entry that was edited, forged, reordered or follows a gap.

        Removing entries from the end of the log cannot be detected from the log alone: compare
        `n_entries` and the last hash with a copy kept elsewhere for that.
        """
        expected_id, expected_prev = 1, GENESIS_HASH
        query = sa.select(audit_log).order_by(audit_log.c.id).execution_options(yield_per=1000)
        with self._read() as conn:
            result = conn.execute(query)
            try:
                for row in result:
                    problem = _chain_problem(row, expected_id, expected_prev)
                    if problem is not None:
                        bad_id: int = row.id
                        break
                    expected_id, expected_prev = row.id + 1, row.hash
                else:
                    n = expected_id - 1
                    return ChainVerification(
                        True, n, None, f"{n} entries verified" if n else "audit log is empty"
                    )
            finally:
                result.close()
            n_entries = conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()
        return ChainVerification(False, n_entries, bad_id, problem)

    # ------------------------------------------------------------ consent

    def set_consent(
        self,
        subject_id: int,
        scope: str,
        granted: bool,
        source: str,
        recorded_at: datetime | None = None,
        *,
        actor: str = "healthfm",
    ) -> ConsentRecord:
        """Record a consent decision; the latest one per (subject, scope) wins and the history is kept."""
        _subject_id(subject_id)
        _scope(scope)
        if not isinstance(granted, bool):
            raise CatalogError(f"granted must be True or False, got {granted!r}")
        _text(source, "source", max_len=10_000)
        at = _now() if recorded_at is None else _utc(recorded_at, "recorded_at")
        values = {"subject_id": subject_id, "scope": scope, "granted": granted, "source": source}
        with _write_transaction(self._engine) as conn:
            insert = consent_table.insert().values(recorded_at=at, **values).returning(consent_table.c.id)
            record_id = int(conn.execute(insert).scalar_one())
            self._append_audit(
                conn,
                actor,
                "consent.set",
                str(subject_id),
                {"consent_id": record_id, "scope": scope, "granted": granted},
            )
        return ConsentRecord(record_id, subject_id, scope, granted, source, at)

    def _latest_consent(self, scope: str) -> sa.Select[Any]:
        # A decision for "all" counts for every scope: the latest of (scope, "all") wins.
        ranked = (
            sa.select(
                consent_table.c.subject_id,
                consent_table.c.granted,
                sa.func.row_number()
                .over(
                    partition_by=consent_table.c.subject_id,
                    order_by=(consent_table.c.recorded_at.desc(), consent_table.c.id.desc()),
                )
                .label("rank"),
            )
            .where(consent_table.c.scope.in_(sorted({_scope(scope), ALL_SCOPES})))
            .subquery()
        )
        return sa.select(ranked.c.subject_id, ranked.c.granted).where(ranked.c.rank == 1)

    def consent(self, subject_id: int, scope: str) -> bool | None:
        """The subject's latest decision for `scope` (or "all"); None when there is none."""
        query = self._latest_consent(scope)
        query = query.where(query.selected_columns.subject_id == _subject_id(subject_id))
        with self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else bool(row.granted)

    def consent_history(self, subject_id: int) -> list[ConsentRecord]:
        query = (
            sa.select(consent_table)
            .where(consent_table.c.subject_id == _subject_id(subject_id))
            .order_by(consent_table.c.recorded_at, consent_table.c.id)
        )
        with self._read() as conn:
            return [_consent_record(row) for row in conn.execute(query)]

    def subjects_without_consent(self, scope: str) -> set[int]:
        """Subjects whose latest decision for `scope` (or "all") is a refusal."""
        query = self._latest_consent(scope)
        query = query.where(query.selected_columns.granted == sa.false())
        with self._read() as conn:
            return {int(row.subject_id) for row in conn.execute(query)}

    # ------------------------------------------------------------ erasures

    def record_erasure(
        self,
        subject_id: int,
        *,
        requested_by: str,
        reason: str,
        events_removed: int,
        blobs_removed: int,
        requested_at: datetime | None = None,
    ) -> ErasureRecord:
        """Record a completed erasure (now). Holds the pseudonymous subject id only; `reason` must not
        quote identifiers."""
        _subject_id(subject_id)
        _text(requested_by, "requested_by")
        _text(reason, "reason", max_len=2000)
        _count(events_removed, "events_removed")
        _count(blobs_removed, "blobs_removed")
        completed_at = _now()
        requested = completed_at if requested_at is None else _utc(requested_at, "requested_at")
        if requested > completed_at:
            raise CatalogError(f"requested_at {requested.isoformat()} is in the future")
        with _write_transaction(self._engine) as conn:
            result = conn.execute(
                erasures_table.insert()
                .values(
                    subject_id=subject_id,
                    requested_at=requested,
                    completed_at=completed_at,
                    requested_by=requested_by,
                    reason=reason,
                    events_removed=events_removed,
                    blobs_removed=blobs_removed,
                )
                .returning(erasures_table.c.id)
            )
            record_id = int(result.scalar_one())
            self._append_audit(
                conn,
                requested_by,
                "erasure.completed",
                str(subject_id),
                {"erasure_id": record_id, "events_removed": events_removed, "blobs_removed": blobs_removed},
            )
        return ErasureRecord(
            record_id,
            subject_id,
            requested,
            completed_at,
            requested_by,
            reason,
            events_removed,
            blobs_removed,
        )

    def erasures(self, subject_id: int | None = None) -> list[ErasureRecord]:
        query = sa.select(erasures_table).order_by(erasures_table.c.id)
        if subject_id is not None:
            query = query.where(erasures_table.c.subject_id == _subject_id(subject_id))
        with self._read() as conn:
            return [_erasure_record(row) for row in conn.execute(query)]

    # ------------------------------------------------------------ model registry

    def register_model(
        self,
        name: str,
        *,
        config: Mapping[str, Any],
        metrics: Mapping[str, Any] | None = None,
        lineage: Mapping[str, Any] | None = None,
        artefact_uri: str = "",
        model_card: str = "",
        version: int | None = None,
        actor: str = "healthfm",
    ) -> ModelRecord:
        """Register a model version (the next free one when `version` is None) with status "registered"."""
        _model_name(name)
        if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
            raise CatalogError(f"model version must be an integer >= 1, got {version!r}")
        texts = {
            "config": _json_object(config, "config"),
            "metrics": _json_object(metrics, "metrics"),
            "lineage": _json_object(lineage, "lineage"),
        }
        if not isinstance(artefact_uri, str) or not isinstance(model_card, str):
            raise CatalogError("artefact_uri and model_card must be strings")
        created_at = _now()
        with _write_transaction(self._engine) as conn:
            existing = self._versions(conn, name)
            if version is None:
                version = max(existing, default=0) + 1
            elif version in existing:
                raise CatalogError(
                    f"model {name!r} version {version} already exists; "
                    f"versions: {_join(existing)}; next free: {max(existing) + 1}"
                )
            try:
                result = conn.execute(
                    models_table.insert()
                    .values(
                        name=name,
                        version=version,
                        created_at=created_at,
                        status="registered",
                        artefact_uri=artefact_uri,
                        model_card=model_card,
                        **texts,
                    )
                    .returning(models_table.c.id)
                )
            except sa.exc.IntegrityError as exc:
                raise CatalogError(f"cannot register model {name!r} version {version}: {exc.orig}") from None
            record_id = int(result.scalar_one())
            self._append_audit(
                conn, actor, "model.registered", None, {"name": name, "version": version, "uri": artefact_uri}
            )
        return ModelRecord(
            record_id,
            name,
            version,
            created_at,
            "registered",
            json.loads(texts["config"]),
            json.loads(texts["metrics"]),
            json.loads(texts["lineage"]),
            artefact_uri,
            model_card,
        )

    @staticmethod
    def _versions(conn: Connection, name: str) -> list[int]:
        query = sa.select(models_table.c.version).where(models_table.c.name == name).order_by("version")
        return [int(v) for v in conn.execute(query).scalars()]

    def _missing_model(self, conn: Connection, name: str, version: int | None) -> CatalogError:
        versions = self._versions(conn, name)
        if versions:
            return CatalogError(f"model {name!r} has no version {version}; versions: {_join(versions)}")
        names = conn.execute(
            sa.select(models_table.c.name).distinct().order_by(models_table.c.name)
        ).scalars()
        known = ", ".join(repr(n) for n in names)
        return CatalogError(
            f"no model named {name!r} in the catalog; "
            + (f"registered models: {known}" if known else "no models are registered")
        )

    def get_model(self, name: str, version: int | None = None) -> ModelRecord:
        """One model version; the highest version when `version` is None."""
        query = sa.select(models_table).where(models_table.c.name == name)
        if version is None:
            query = query.order_by(models_table.c.version.desc()).limit(1)
        else:
            query = query.where(models_table.c.version == version)
        with self._read() as conn:
            row = conn.execute(query).first()
            if row is None:
                raise self._missing_model(conn, name, version)
        return _model_record(row)

    def list_models(self, name: str | None = None) -> list[ModelRecord]:
        query = sa.select(models_table).order_by(models_table.c.name, models_table.c.version)
        if name is not None:
            query = query.where(models_table.c.name == name)
        with self._read() as conn:
            return [_model_record(row) for row in conn.execute(query)]

    def models_trained_on(self, subject_id: int) -> list[ModelRecord]:
        """Model versions whose lineage lists `subject_id` among their training subjects.

        Every training run records the pseudonyms it trained on (`lineage["training_subjects"]`), so
        an erasure can name the models that still carry what they learned from that patient.
        """
        return [
            m
            for m in self.list_models()
            if int(subject_id) in {int(s) for s in m.lineage.get("training_subjects", ())}
        ]

    def record_evaluation(
        self,
        name: str,
        version: int,
        *,
        metrics: Mapping[str, Any],
        model_card: str,
        actor: str = "healthfm",
    ) -> ModelRecord:
        """Store an evaluation with its model version: the metrics (merged under their keys, so the
        training metrics stay) and the model card (replaced). Audited as `model.evaluated`."""
        if not isinstance(model_card, str):
            raise CatalogError("model_card must be a string")
        where = (models_table.c.name == name) & (models_table.c.version == version)
        with _write_transaction(self._engine) as conn:
            row = conn.execute(sa.select(models_table).where(where)).first()
            if row is None:
                raise self._missing_model(conn, name, version)
            merged = {**json.loads(row.metrics or "{}"), **dict(metrics)}
            conn.execute(
                models_table.update()
                .where(where)
                .values(metrics=_json_object(merged, "metrics"), model_card=model_card)
            )
            card_sha = hashlib.sha256(model_card.encode()).hexdigest()
            self._append_audit(
                conn,
                actor,
                "model.evaluated",
                None,
                {"name": name, "version": version, "metrics": sorted(metrics), "model_card_sha256": card_sha},
            )
            updated = conn.execute(sa.select(models_table).where(where)).one()
        return _model_record(updated)

    def set_model_status(
        self, name: str, version: int, status: str, *, actor: str = "healthfm"
    ) -> ModelRecord:
        """Move a version to "registered", "active" or "retired". At most one version per name is active:
        activating one moves the previously active version back to "registered"."""
        if status not in MODEL_STATUSES:
            raise CatalogError(f"model status must be one of {', '.join(MODEL_STATUSES)}; got {status!r}")
        where = (models_table.c.name == name) & (models_table.c.version == version)
        with _write_transaction(self._engine) as conn:
            row = conn.execute(sa.select(models_table).where(where)).first()
            if row is None:
                raise self._missing_model(conn, name, version)
            demoted: list[int] = []
            if status == "active":
                others = (models_table.c.name == name) & (models_table.c.status == "active")
                others = others & (models_table.c.version != version)
                demoted = [
                    int(v) for v in conn.execute(sa.select(models_table.c.version).where(others)).scalars()
                ]
                conn.execute(models_table.update().where(others).values(status="registered"))
            conn.execute(models_table.update().where(where).values(status=status))
            details: dict[str, Any] = {"name": name, "version": version, "from": row.status, "to": status}
            if demoted:
                details["demoted"] = demoted
            self._append_audit(conn, actor, "model.status", None, details)
            updated = conn.execute(sa.select(models_table).where(where)).one()
        return _model_record(updated)

    # ------------------------------------------------------------ audit in groups

    def audit_many(
        self, entries: list[tuple[str, str, str | None, Mapping[str, Any] | None]]
    ) -> list[AuditEntry]:
        """Append several (actor, action, subject, details) entries in one transaction: all or none.

        The API server commits its request entries in groups this way (one fsync, one insert)."""
        with _write_transaction(self._engine) as conn:
            return self._append_audit_many(conn, entries)

    def _append_audit_many(
        self, conn: Connection, entries: list[tuple[str, str, str | None, Mapping[str, Any] | None]]
    ) -> list[AuditEntry]:
        """The entries chained in memory from the last one, inserted with one executemany."""
        if not entries:
            return []
        last = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
        ).first()
        entry_id, prev_hash = (1, GENESIS_HASH) if last is None else (last.id + 1, last.hash)
        rows, out = [], []
        for actor, action, subject, details in entries:
            _text(actor, "actor")
            _text(action, "action")
            if subject is not None:
                _text(subject, "subject")
            details_text = _json_object(details, "details")
            parsed = json.loads(details_text)
            ts = _now()
            digest = entry_hash(prev_hash, entry_id, ts, actor, action, subject, parsed)
            rows.append(
                {
                    "id": entry_id,
                    "ts": ts,
                    "actor": actor,
                    "action": action,
                    "subject": subject,
                    "details": details_text,
                    "prev_hash": prev_hash,
                    "hash": digest,
                }
            )
            out.append(AuditEntry(entry_id, ts, actor, action, subject, parsed, prev_hash, digest))
            entry_id, prev_hash = entry_id + 1, digest
        conn.execute(audit_log.insert(), rows)
        return out

    # ------------------------------------------------------------ API keys (serving)

    def add_api_key(
        self, key_id: str, key_hash: str, *, name: str, site: str, scopes: list[str], actor: str = "healthfm"
    ) -> ApiKeyRecord:
        """Store a new API key by the SHA-256 of its secret (the secret itself is never stored)."""
        _text(key_id, "key_id", max_len=32)
        if not isinstance(key_hash, str) or not re.fullmatch(r"[0-9a-f]{64}", key_hash):
            raise CatalogError("key_hash must be a SHA-256 hex digest")
        _text(name, "name")
        _text(site, "site", max_len=64)
        if not scopes or not all(isinstance(s, str) and s and " " not in s for s in scopes):
            raise CatalogError(f"scopes must be a non-empty list of words, got {scopes!r}")
        created_at = _now()
        with _write_transaction(self._engine) as conn:
            try:
                result = conn.execute(
                    api_keys_table.insert()
                    .values(
                        key_id=key_id,
                        key_hash=key_hash,
                        name=name,
                        site=site,
                        scopes=" ".join(scopes),
                        created_at=created_at,
                        created_by=actor,
                    )
                    .returning(api_keys_table.c.id)
                )
            except sa.exc.IntegrityError:
                raise CatalogError(f"an API key with id {key_id!r} (or the same secret) exists") from None
            record_id = int(result.scalar_one())
            self._append_audit(
                conn, actor, "apikey.issued", None, {"key_id": key_id, "site": site, "scopes": list(scopes)}
            )
        return ApiKeyRecord(record_id, key_id, key_hash, name, site, tuple(scopes), created_at, actor, None)

    def api_key(self, key_hash: str) -> ApiKeyRecord | None:
        """The key whose secret hashes to `key_hash` (revoked or not), or None."""
        with self._read() as conn:
            row = conn.execute(sa.select(api_keys_table).where(api_keys_table.c.key_hash == key_hash)).first()
        return None if row is None else _api_key_record(row)

    def list_api_keys(self) -> list[ApiKeyRecord]:
        with self._read() as conn:
            return [_api_key_record(r) for r in conn.execute(sa.select(api_keys_table).order_by("id"))]

    def revoke_api_key(self, key_id: str, *, actor: str = "healthfm") -> ApiKeyRecord:
        """Revoke a key now (idempotent: a revoked key keeps its first revocation time)."""
        where = api_keys_table.c.key_id == key_id
        with _write_transaction(self._engine) as conn:
            row = conn.execute(sa.select(api_keys_table).where(where)).first()
            if row is None:
                raise CatalogError(f"no API key with id {key_id!r}")
            if row.revoked_at is None:
                conn.execute(api_keys_table.update().where(where).values(revoked_at=_now()))
                self._append_audit(conn, actor, "apikey.revoked", None, {"key_id": key_id})
            updated = conn.execute(sa.select(api_keys_table).where(where)).one()
        return _api_key_record(updated)

    # ------------------------------------------------------------ human review queue (serving)

    def enqueue_review(
        self,
        *,
        subject: str,
        site: str,
        model: str,
        version: int,
        probability: float,
        risk: float,
        threshold: float,
        reasons: list[str],
        details: Mapping[str, Any],
        actor: str = "healthfm",
    ) -> ReviewItem:
        """Put a prediction in the review queue (status "pending"); `subject` is a pseudonym."""
        (item,) = self.enqueue_reviews(
            [
                {
                    "subject": subject,
                    "site": site,
                    "model": model,
                    "version": version,
                    "probability": probability,
                    "risk": risk,
                    "threshold": threshold,
                    "reasons": reasons,
                    "details": details,
                    "actor": actor,
                }
            ]
        )
        return item

    def enqueue_reviews(self, items: list[Mapping[str, Any]]) -> list[ReviewItem]:
        """Several `enqueue_review` calls (same keys) in one transaction, each with its audit entry."""
        return [
            item
            for item in self.record_reviewed(list(zip(items, [None] * len(items), strict=True)))
            if item is not None
        ]

    def record_reviewed(
        self, pairs: list[tuple[Mapping[str, Any] | None, AuditRow | None]]
    ) -> list[ReviewItem | None]:
        """One transaction for several requests: each pair's review item (when given: queued, with its
        `review.enqueued` audit entry), then its own audit entry, whose details gain the new item's
        `review_id`. The API server commits its predictions this way: one write per group of requests."""
        prepared = [None if it is None else _review_values(it) for it, _ in pairs]
        rows = [values for values, _, _ in filter(None, prepared)]
        out: list[ReviewItem | None] = []
        with _write_transaction(self._engine) as conn:
            ids: list[int] = []
            if rows:
                insert = review_table.insert().returning(review_table.c.id, sort_by_parameter_order=True)
                ids = [int(r.id) for r in conn.execute(insert, rows)]
            created = iter(ids)
            audits: list[AuditRow] = []
            for ready, (_, entry) in zip(prepared, pairs, strict=True):
                item_id = None
                if ready is not None:
                    values, actor, reasons = ready
                    item_id = next(created)
                    about = {"review_id": item_id, "model": values["model"], "version": values["version"]}
                    audits.append(
                        (actor, "review.enqueued", values["subject"], {**about, "reasons": reasons})
                    )
                    out.append(_review_item_from(item_id, values, reasons))
                else:
                    out.append(None)
                if entry is not None:
                    actor, action, subject, details = entry
                    if item_id is not None:
                        details = {**(details or {}), "review_id": item_id}
                    audits.append((actor, action, subject, details))
            self._append_audit_many(conn, audits)
        return out

    def review_items(
        self, *, status: str | None = None, sites: list[str] | None = None, limit: int | None = None
    ) -> list[ReviewItem]:
        """Review items, oldest first; only those of `sites` when given."""
        query = sa.select(review_table).order_by(review_table.c.id)
        if status is not None:
            if status not in REVIEW_STATUSES:
                raise CatalogError(f"review status must be one of {', '.join(REVIEW_STATUSES)}")
            query = query.where(review_table.c.status == status)
        if sites is not None:
            query = query.where(review_table.c.site.in_(sites))
        if limit is not None:
            query = query.limit(_count(limit, "limit"))
        with self._read() as conn:
            return [_review_item(r) for r in conn.execute(query)]

    def review_item(self, item_id: int) -> ReviewItem | None:
        with self._read() as conn:
            row = conn.execute(sa.select(review_table).where(review_table.c.id == item_id)).first()
        return None if row is None else _review_item(row)

    def count_reviews(self, status: str = "pending") -> int:
        query = sa.select(sa.func.count()).select_from(review_table).where(review_table.c.status == status)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def decide_review(self, item_id: int, *, decision: str, by: str, reason: str | None = None) -> ReviewItem:
        """Record a clinician's decision ("accept", or "override" with a reason) once; audited in the
        same transaction as `review.decided`. A decided item cannot be decided again."""
        if decision not in ("accept", "override"):
            raise CatalogError(f"decision must be 'accept' or 'override', got {decision!r}")
        _text(by, "by")
        if decision == "override" and (reason is None or not reason.strip()):
            raise CatalogError("an override needs a reason")
        if reason is not None:
            _text(reason, "reason", max_len=2000)
        where = review_table.c.id == item_id
        with _write_transaction(self._engine) as conn:
            row = conn.execute(sa.select(review_table).where(where)).first()
            if row is None:
                raise CatalogError(f"no review item {item_id}")
            if row.status != "pending":
                raise CatalogError(f"review item {item_id} was already decided ({row.status})")
            status = "accepted" if decision == "accept" else "overridden"
            conn.execute(
                review_table.update()
                .where(where)
                .values(status=status, decided_by=by, decided_at=_now(), decision_reason=reason)
            )
            self._append_audit(
                conn,
                by,
                "review.decided",
                row.subject,
                {"review_id": item_id, "decision": decision, "reason": reason},
            )
            updated = conn.execute(sa.select(review_table).where(where)).one()
        return _review_item(updated)


def _join(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


AuditRow = tuple[str, str, str | None, Mapping[str, Any] | None]  # (actor, action, subject, details)


def _review_values(it: Mapping[str, Any]) -> tuple[dict[str, Any], str, list[str]]:
    """A review item's row (validated), its actor and reasons."""
    _text(it["subject"], "subject")
    _text(it["site"], "site", max_len=64)
    _model_name(it["model"])
    numbers = {k: it[k] for k in ("probability", "risk", "threshold")}
    for key, value in numbers.items():
        if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
            raise CatalogError(f"{key} must be a number in [0, 1], got {value!r}")
    values = {
        "created_at": _now(),
        "subject": it["subject"],
        "site": it["site"],
        "model": it["model"],
        "version": int(it["version"]),
        **{k: float(v) for k, v in numbers.items()},
        "reasons": _canonical_json(list(it["reasons"]), "reasons"),
        "details": _json_object(it["details"], "details"),
        "status": "pending",
    }
    return values, str(it.get("actor", "healthfm")), list(it["reasons"])


def _review_item_from(item_id: int, values: Mapping[str, Any], reasons: list[str]) -> ReviewItem:
    return ReviewItem(
        id=item_id,
        created_at=values["created_at"],
        subject=values["subject"],
        site=values["site"],
        model=values["model"],
        version=values["version"],
        probability=values["probability"],
        risk=values["risk"],
        threshold=values["threshold"],
        reasons=reasons,
        details=json.loads(values["details"]),
        status="pending",
        decided_by=None,
        decided_at=None,
        decision_reason=None,
    )
