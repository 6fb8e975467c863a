"""The ingestion pipeline: units, idempotency, resumption, quarantine, identity links, workers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from healthfm.errors import DataError
from healthfm.ingest import pipeline
from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.ingest.pipeline import SubjectResolver, ingest
from healthfm.store.patient_store import PatientStore


class CsvEventsReader(Reader):
    """A tiny real format for tests: `.evt` files of `key,iso-time,code,value` lines; `#link a b` lines."""

    name = "evt"

    def claims(self, path: Path) -> bool:
        return path.is_file() and path.suffix == ".evt"

    def read(self, path: Path, sink: IngestSink) -> None:
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if line.startswith("#link"):
                _, alias, key = line.split()
                sink.link(alias, key)
                continue
            if line == "BOOM":
                raise RuntimeError("reader bug")
            sink.count("read:evt")
            try:
                key, when, code, value = line.split(",")
                time = dt.datetime.fromisoformat(when) if when else None
                sink.emit(SourceEvent(key, time, code, float(value) if value else None))
                sink.count("ingested:evt")
            except ValueError as exc:
                sink.quarantine(path, f"line {i}", f"not key,time,code,value: {exc}", line)
                sink.count("quarantined:evt")


def write(folder: Path, name: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PatientStore:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    return PatientStore.open(tmp_path / "store")


def test_ingests_quarantines_and_summarises(store: PatientStore, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, "a.evt", ["mrn:1,2020-01-01T10:00:00,LOINC/8867-4,72", "mrn:1,not-a-date,LOINC/1,1"])
    write(src, "b.evt", ["mrn:2,,GENDER/F,", "mrn:2,2021-05-05T00:00:00,ICD10CM/I10,"])
    write(src, "notes.xyz", ["who knows"])
    report = ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert (report.units, report.events, report.subjects) == (2, 3, 2)
    assert report.rows() == [("evt", 4, 3, 1, 0)]
    lines = [json.loads(x) for x in report.quarantine_file.read_text().splitlines()]  # type: ignore[union-attr]
    reasons = {(Path(r["source"]).name, r["location"]): r["reason"] for r in lines}
    assert "not key,time,code,value" in reasons[("a.evt", "line 2")]
    assert reasons[("notes.xyz", "whole file")] == "no reader recognises this file type"
    assert store.catalog.audit_entries(action="ingest.run")[-1].details["quarantined"] == 2


def test_same_files_twice_add_nothing_and_new_files_append(store: PatientStore, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, "a.evt", ["mrn:1,2020-01-01T10:00:00,LOINC/8867-4,72"])
    ingest([src], store, gate=None, readers=[CsvEventsReader()])
    again = ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert (again.units, again.units_already_ingested, again.events) == (0, 1, 0)
    write(src, "b.evt", ["mrn:1,2020-02-01T10:00:00,LOINC/8867-4,80"])
    more = ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert (more.units, more.units_already_ingested, more.events) == (1, 1, 1)
    assert store.num_events() == 2


def test_an_interrupted_run_resumes_without_duplicates(
    store: PatientStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    for i in range(5):
        write(src, f"{i}.evt", [f"mrn:{i},2020-01-01T10:00:00,LOINC/8867-4,{i}"])
    monkeypatch.setattr(pipeline, "BATCH_UNITS", 2)  # commit every two files
    real_read = CsvEventsReader.read
    calls = {"n": 0}

    def dying_read(self: CsvEventsReader, path: Path, sink: IngestSink) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C while the second batch was read
        real_read(self, path, sink)

    monkeypatch.setattr(CsvEventsReader, "read", dying_read)
    with pytest.raises(KeyboardInterrupt):
        ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert store.num_events() == 2  # the first batch committed, the second did not
    monkeypatch.setattr(CsvEventsReader, "read", real_read)
    report = ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert (report.units_already_ingested, report.units) == (2, 3)
    assert store.num_events() == 5 and len(store.subjects()) == 5


def test_strict_fails_on_quarantine_and_a_crashing_reader_quarantines_its_file(
    store: PatientStore, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write(src, "bad.evt", ["mrn:1,2020-01-01T10:00:00,A,1", "BOOM"])
    report = ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert report.quarantined == 1 and report.events == 0
    assert "reader bug" in report.quarantine_file.read_text()  # type: ignore[union-attr]
    write(src, "worse.evt", ["garbage"])
    with pytest.raises(DataError, match=r"--strict: .*worse.evt \(line 1\)"):
        ingest([src], store, gate=None, readers=[CsvEventsReader()], strict=True)
    assert store.num_events() == 0


def test_aliases_and_mrn_systems_meet_in_one_subject(store: PatientStore, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(
        src,
        "a.evt",
        [
            "#link fhir:Patient/abc mrn:https://h.example/mrn|M123",
            "fhir:Patient/abc,2020-01-01T10:00:00,LOINC/8867-4,72",
            "mrn:dicom|M123,2020-01-02T10:00:00,DICOM/DX,",
        ],
    )
    ingest([src], store, gate=None, readers=[CsvEventsReader()])
    assert len(store.subjects()) == 1
    sid = int(store.subjects()[0])
    assert sid == SubjectResolver().subject_id("mrn:M123")
    # the alias is remembered (as a hash) for files ingested later
    write(tmp_path / "later", "b.evt", ["fhir:Patient/abc,2020-03-01T10:00:00,LOINC/8867-4,70"])
    ingest([tmp_path / "later"], store, gate=None, readers=[CsvEventsReader()])
    assert len(store.subjects()) == 1 and len(store.timeline(sid)) == 3
    assert "abc" not in (store.root / ".healthfm" / "subject_links.parquet").read_bytes().decode("latin-1")


def test_workers_give_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    src = tmp_path / "src"
    for i in range(6):
        write(src, f"{i}.evt", [f"mrn:{i % 3},2020-01-0{i + 1}T10:00:00,LOINC/8867-4,{i}"])
    stores = []
    for workers in (1, 2):
        s = PatientStore.open(tmp_path / f"store{workers}")
        ingest([src], s, gate=None, readers=[CsvEventsReader()], workers=workers)
        stores.append({int(sid): s.timeline(int(sid)).codes for sid in s.subjects()})
        s.close()
    assert stores[0] == stores[1] and len(stores[0]) == 3
