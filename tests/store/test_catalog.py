"""The SQL catalog on SQLite and PostgreSQL: migrations, audit chain, consent, erasures, model registry."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from healthfm.store.catalog import (
    CATALOG_URL_ENV,
    GENESIS_HASH,
    Catalog,
    CatalogError,
    alembic_config,
    entry_hash,
    metadata,
)

PG_ENV = "HEALTHFM_TEST_POSTGRES_URL"
_pg_unreachable: str | None = None  # remembered so an unreachable server costs one timeout, not one per test


@dataclass
class Backend:
    name: str
    url: str  # the real URL, password included

    def execute(self, *statements: str, params: dict[str, Any] | None = None) -> None:
        """Run SQL behind the catalog's back (e.g. to tamper with the audit log)."""
        engine = sa.create_engine(self.url)
        try:
            with engine.begin() as conn:
                for statement in statements:
                    conn.execute(sa.text(statement), params or {})
        finally:
            engine.dispose()

    def drop_audit_triggers(self) -> None:
        if self.name == "sqlite":
            self.execute("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")
        else:
            self.execute(
                "DROP TRIGGER audit_log_no_update ON audit_log",
                "DROP TRIGGER audit_log_no_delete ON audit_log",
            )


def _postgres_backend() -> Iterator[Backend]:
    global _pg_unreachable
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f'{PG_ENV} is not set (start a server: eval "$(bash scripts/pg-test-server.sh start)")')
    if _pg_unreachable:
        pytest.skip(_pg_unreachable)
    admin = sa.create_engine(base, connect_args={"connect_timeout": 5})
    schema = f"test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _pg_unreachable = f"PostgreSQL at {sa.make_url(base)!r} is unreachable: {exc.orig}"
        pytest.skip(_pg_unreachable)
    # A fresh schema per test, first on the search path: tests stay independent.
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield Backend("postgres", url.render_as_string(hide_password=False))
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    else:
        yield from _postgres_backend()


@pytest.fixture
def catalog(backend: Backend) -> Iterator[Catalog]:
    with Catalog.open(backend.url) as cat:
        yield cat


# ---------------------------------------------------------------- opening and migrations


def test_open_migrates_a_fresh_database_to_head_and_reopens_idempotently(backend: Backend) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with Catalog.open(backend.url) as cat:
        assert cat.schema_version() == head
        cat.audit("tester", "first")
    with Catalog.open(backend.url) as cat:  # second open: nothing to migrate, data kept
        assert cat.schema_version() == head
        assert [e.action for e in cat.audit_entries()] == ["first"]
    engine = sa.create_engine(backend.url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"audit_log", "consent", "erasures", "models", "alembic_version"} <= tables


def test_migrations_match_the_table_definitions(catalog: Catalog, backend: Backend) -> None:
    engine = sa.create_engine(backend.url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_catalog_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CATALOG_URL_ENV, raising=False)
    with pytest.raises(CatalogError, match="no catalog location"):
        Catalog.open()
    with Catalog.open(store_path=tmp_path / "store") as cat:
        assert cat.url.endswith("store/catalog.sqlite")
    monkeypatch.setenv(CATALOG_URL_ENV, f"sqlite:///{tmp_path / 'env.sqlite'}")
    with Catalog.open(store_path=tmp_path / "store") as cat:
        assert cat.url.endswith("env.sqlite")
    with Catalog.open(f"sqlite:///{tmp_path / 'arg.sqlite'}", store_path=tmp_path / "store") as cat:
        assert cat.url.endswith("arg.sqlite")
    with pytest.raises(CatalogError, match="unsupported catalog database 'mysql'"):
        Catalog.open("mysql://user@host/db")


def test_sqlite_catalog_uses_wal(tmp_path: Path) -> None:
    with Catalog.open(store_path=tmp_path):
        pass
    conn = sqlite3.connect(tmp_path / "catalog.sqlite")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_password_is_masked(catalog: Catalog, backend: Backend) -> None:
    password = sa.make_url(backend.url).password
    if password:
        assert str(password) not in catalog.url
        assert str(password) not in repr(catalog)
        assert "***" in catalog.url


def test_unreachable_database_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match=r"cannot open the catalog at postgresql\+psycopg://u:\*\*\*@"):
        Catalog.open("postgresql://u:secret@127.0.0.1:1/nothing?connect_timeout=2")


# ---------------------------------------------------------------- audit chain


def _fill(cat: Catalog, n: int = 5) -> None:
    for i in range(n):
        cat.audit("tester", f"action.{i}", subject=f"p{i % 2}", details={"i": i, "b": [1, 2], "a": "x"})


def test_audit_chain_links_and_verifies(catalog: Catalog) -> None:
    assert catalog.verify_audit_chain().ok
    _fill(catalog)
    entries = catalog.audit_entries()
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.ts >= before.ts
    for e in entries:
        assert e.ts.tzinfo is UTC
        assert e.hash == entry_hash(e.prev_hash, e.id, e.ts, e.actor, e.action, e.subject, e.details)
    result = catalog.verify_audit_chain()
    assert (result.ok, result.n_entries, result.first_bad_id) == (True, 5, None)

    assert [e.id for e in catalog.audit_entries(subject="p1")] == [2, 4]
    assert [e.id for e in catalog.audit_entries(action="action.3")] == [4]
    assert [e.id for e in catalog.audit_entries(limit=2)] == [4, 5]


def test_audit_details_are_canonical_json(catalog: Catalog, backend: Backend) -> None:
    entry = catalog.audit("tester", "x", details={"b": 1, "a": {"d": 2.5, "c": None}})
    assert entry.details == {"a": {"c": None, "d": 2.5}, "b": 1}
    engine = sa.create_engine(backend.url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT details FROM audit_log")).scalar_one()
    finally:
        engine.dispose()
    assert stored == '{"a":{"c":null,"d":2.5},"b":1}'
    with pytest.raises(CatalogError, match="JSON-serialisable"):
        catalog.audit("tester", "x", details={"when": datetime.now(UTC)})
    with pytest.raises(CatalogError, match="JSON-serialisable"):
        catalog.audit("tester", "x", details={"v": float("nan")})
    with pytest.raises(CatalogError, match="actor"):
        catalog.audit("", "x")
    assert catalog.verify_audit_chain().n_entries == 1


def _swap_ids(backend: Backend) -> None:
    backend.execute(
        "UPDATE audit_log SET id = -3 WHERE id = 3",
        "UPDATE audit_log SET id = 3 WHERE id = 4",
        "UPDATE audit_log SET id = 4 WHERE id = -3",
    )


def _edit_and_rehash(backend: Backend, catalog: Catalog) -> None:
    # A careful forger recomputes the edited entry's hash; the next entry's prev_hash still gives it away.
    e = catalog.audit_entries()[2]
    details = {**e.details, "i": 99}
    forged = entry_hash(e.prev_hash, e.id, e.ts, e.actor, e.action, e.subject, details)
    backend.execute(
        "UPDATE audit_log SET details = :d, hash = :h WHERE id = 3",
        params={"d": json.dumps(details, sort_keys=True, separators=(",", ":")), "h": forged},
    )


def _forge_append(backend: Backend, catalog: Catalog) -> None:
    last = catalog.audit_entries()[-1]
    backend.execute(
        "INSERT INTO audit_log (id, ts, actor, action, subject, details, prev_hash, hash) "
        "VALUES (6, :ts, 'intruder', 'forged', NULL, '{}', :prev, :h)",
        params={"ts": last.ts.replace(tzinfo=None) + timedelta(seconds=1), "prev": last.hash, "h": "f" * 64},
    )


def _set_details(row_id: int, text: str) -> Any:
    return lambda b, c: b.execute(
        f"UPDATE audit_log SET details = :d WHERE id = {row_id}", params={"d": text}
    )


TAMPERINGS = {
    "edit_details": (_set_details(3, '{"i":99}'), 3),
    "non_canonical_details": (_set_details(3, '{"a": "x", "b": [1, 2], "i": 2}'), 3),
    "edit_actor": (lambda b, c: b.execute("UPDATE audit_log SET actor = 'someone' WHERE id = 2"), 2),
    "delete_middle": (lambda b, c: b.execute("DELETE FROM audit_log WHERE id = 3"), 4),
    "delete_first": (lambda b, c: b.execute("DELETE FROM audit_log WHERE id = 1"), 2),
    "reorder": (lambda b, c: _swap_ids(b), 3),
    "edit_and_rehash": (_edit_and_rehash, 4),
    "forge_append": (_forge_append, 6),
}


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_tampering_is_detected(catalog: Catalog, backend: Backend, tampering: str) -> None:
    _fill(catalog)
    tamper, first_bad_id = TAMPERINGS[tampering]
    backend.drop_audit_triggers()
    tamper(backend, catalog)
    result = catalog.verify_audit_chain()
    assert not result.ok
    assert result.first_bad_id == first_bad_id, result.reason
    assert result.reason


def test_triggers_make_the_audit_log_append_only(catalog: Catalog, backend: Backend) -> None:
    _fill(catalog, 2)
    statements = ["UPDATE audit_log SET actor = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 2"]
    if backend.name == "postgres":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(sa.exc.DBAPIError, match="audit_log is append-only"):
            backend.execute(statement)
    assert catalog.verify_audit_chain().n_entries == 2


def _append_many(url: str, worker: int, n: int, ready: Any) -> None:
    with Catalog.open(url) as cat:
        ready.wait(30)  # both processes have opened (and raced to migrate) before either appends
        for i in range(n):
            cat.audit(f"worker-{worker}", "concurrent", details={"i": i})


def test_concurrent_appends_from_two_processes_keep_one_chain(backend: Backend) -> None:
    # Both processes also race to create and migrate the fresh database.
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(2)
    procs = [ctx.Process(target=_append_many, args=(backend.url, w, 50, ready)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Catalog.open(backend.url) as catalog:
        result = catalog.verify_audit_chain()
        assert (result.ok, result.n_entries) == (True, 100), result.reason
        actors = [e.actor for e in catalog.audit_entries(action="concurrent")]
    assert actors.count("worker-0") == actors.count("worker-1") == 50


# ---------------------------------------------------------------- consent


def test_consent_latest_decision_wins_and_history_is_kept(catalog: Catalog) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    assert catalog.consent(7, "research") is None
    catalog.set_consent(7, "research", True, "intake form", recorded_at=t0)
    catalog.set_consent(7, "research", False, "withdrawal letter", recorded_at=t0 + timedelta(days=30))
    # Backfilled older record: recorded_at decides, not insertion order.
    catalog.set_consent(7, "research", True, "scanned archive", recorded_at=t0 - timedelta(days=30))
    catalog.set_consent(8, "research", True, "intake form", recorded_at=t0)
    catalog.set_consent(9, "research", False, "intake form", recorded_at=t0)
    catalog.set_consent(9, "research", True, "renewed", recorded_at=t0 + timedelta(days=1))

    assert catalog.consent(7, "research") is False
    assert catalog.consent(8, "research") is True
    assert catalog.consent(9, "research") is True
    assert catalog.consent(7, "training") is None
    assert catalog.subjects_without_consent("research") == {7}

    history = catalog.consent_history(7)
    assert [r.source for r in history] == ["scanned archive", "intake form", "withdrawal letter"]
    assert all(r.recorded_at.tzinfo is UTC for r in history)

    audit = catalog.audit_entries(action="consent.set", subject="7")
    assert len(audit) == 3
    assert all(set(e.details) == {"consent_id", "scope", "granted"} for e in audit)
    assert catalog.verify_audit_chain().ok


def test_consent_for_all_scopes(catalog: Catalog) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    catalog.set_consent(1, "training", True, "form", recorded_at=t0)
    catalog.set_consent(1, "all", False, "withdrawal", recorded_at=t0 + timedelta(days=1))
    catalog.set_consent(2, "all", False, "withdrawal", recorded_at=t0)
    catalog.set_consent(2, "research", True, "renewed for research", recorded_at=t0 + timedelta(days=1))
    assert catalog.consent(1, "training") is False
    assert catalog.subjects_without_consent("training") == {1, 2}
    assert catalog.subjects_without_consent("research") == {1}
    assert catalog.subjects_without_consent("all") == {1, 2}


def test_consent_rejects_bad_input(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="timezone-aware"):
        catalog.set_consent(1, "research", True, "form", recorded_at=datetime(2024, 1, 1))
    with pytest.raises(CatalogError, match="scope"):
        catalog.set_consent(1, "Research Use", True, "form")
    with pytest.raises(CatalogError, match="subject_id"):
        catalog.set_consent("MRN-123", "research", True, "form")  # type: ignore[arg-type]
    assert catalog.audit_entries() == []


# ---------------------------------------------------------------- erasures


def test_erasure_is_recorded_with_an_audit_entry(catalog: Catalog) -> None:
    asked = datetime.now(UTC) - timedelta(days=2)
    record = catalog.record_erasure(
        42,
        requested_by="dpo",
        reason="GDPR art. 17 request",
        events_removed=120,
        blobs_removed=3,
        requested_at=asked,
    )
    assert (record.subject_id, record.events_removed, record.blobs_removed) == (42, 120, 3)
    assert record.requested_at == asked
    assert record.completed_at >= record.requested_at
    assert catalog.erasures() == [record]
    assert catalog.erasures(subject_id=41) == []

    (entry,) = catalog.audit_entries(action="erasure.completed")
    assert (entry.actor, entry.subject) == ("dpo", "42")
    assert entry.details == {"erasure_id": record.id, "events_removed": 120, "blobs_removed": 3}

    with pytest.raises(CatalogError, match="events_removed"):
        catalog.record_erasure(1, requested_by="dpo", reason="r", events_removed=-1, blobs_removed=0)
    with pytest.raises(CatalogError, match="in the future"):
        catalog.record_erasure(
            1,
            requested_by="dpo",
            reason="r",
            events_removed=0,
            blobs_removed=0,
            requested_at=datetime.now(UTC) + timedelta(days=1),
        )
    assert len(catalog.erasures()) == 1


# ---------------------------------------------------------------- model registry


def test_model_registry_versions_and_lookup(catalog: Catalog) -> None:
    v1 = catalog.register_model("risk", config={"hidden_dim": 64}, lineage={"snapshot": "abc"})
    v2 = catalog.register_model(
        "risk",
        config={"hidden_dim": 128},
        metrics={"auroc": 0.81},
        artefact_uri="file:///m/2",
        model_card="# v2",
    )
    assert (v1.version, v2.version) == (1, 2)
    assert v2.status == "registered"
    assert catalog.register_model("risk", config={}, version=5).version == 5
    assert catalog.register_model("risk", config={}).version == 6
    catalog.register_model("coder", config={})

    assert catalog.get_model("risk").version == 6
    got = catalog.get_model("risk", 2)
    assert got == v2
    assert got.metrics == {"auroc": 0.81}
    assert got.created_at.tzinfo is UTC
    assert [(m.name, m.version) for m in catalog.list_models()] == [
        ("coder", 1),
        ("risk", 1),
        ("risk", 2),
        ("risk", 5),
        ("risk", 6),
    ]
    assert [m.version for m in catalog.list_models("risk")] == [1, 2, 5, 6]
    assert len(catalog.audit_entries(action="model.registered")) == 5


def test_model_registry_errors(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="no models are registered"):
        catalog.get_model("risk")
    catalog.register_model("risk", config={})
    catalog.register_model("coder", config={})
    with pytest.raises(
        CatalogError, match=r"no model named 'riks' in the catalog; registered models: 'coder', 'risk'"
    ):
        catalog.get_model("riks")
    with pytest.raises(CatalogError, match=r"model 'risk' has no version 3; versions: 1"):
        catalog.get_model("risk", 3)
    with pytest.raises(
        CatalogError, match=r"model 'risk' version 1 already exists; versions: 1; next free: 2"
    ):
        catalog.register_model("risk", config={}, version=1)
    with pytest.raises(CatalogError, match="model name"):
        catalog.register_model("bad name/..", config={})
    assert len(catalog.list_models()) == 2


def test_model_status(catalog: Catalog) -> None:
    for _ in range(3):
        catalog.register_model("risk", config={})
    assert catalog.set_model_status("risk", 1, "active").status == "active"
    assert catalog.set_model_status("risk", 2, "active").status == "active"
    assert catalog.get_model("risk", 1).status == "registered"  # one active version per name
    assert catalog.set_model_status("risk", 1, "retired").status == "retired"
    with pytest.raises(CatalogError, match="must be one of"):
        catalog.set_model_status("risk", 1, "deleted")
    with pytest.raises(CatalogError, match="has no version 9"):
        catalog.set_model_status("risk", 9, "active")
    changes = catalog.audit_entries(action="model.status")
    assert [c.details["to"] for c in changes] == ["active", "active", "retired"]
    assert changes[1].details["demoted"] == [1]
    assert catalog.verify_audit_chain().ok
