"""NoteReader: a text file plus its JSON sidecar, and every way a note is quarantined."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from healthfm.ingest.base import MemorySink
from healthfm.ingest.notes import NoteReader, is_note_sidecar
from healthfm.schema import Modality


def note(
    folder: Path, meta: object, text: bytes = b"Chest pain, resolved.", sidecar: str = ".txt.json"
) -> Path:
    path = folder / "n.txt"
    path.write_bytes(text)
    (folder / ("n" + sidecar)).write_text(json.dumps(meta), encoding="utf-8")
    return path


def read(path: Path) -> MemorySink:
    sink = MemorySink()
    NoteReader().read(path, sink)
    return sink


def test_note_with_mrn_and_offset(tmp_path: Path) -> None:
    meta = {"patient": {"system": "urn:hosp", "value": 42}, "time": "2024-03-01T10:00:00+02:00"}
    path = note(tmp_path, meta)
    assert NoteReader().claims(path) and is_note_sidecar(tmp_path / "n.txt.json")
    [event] = read(path).events
    assert event.subject_key == "mrn:urn:hosp|42" and event.time == dt.datetime(2024, 3, 1, 8)
    assert event.code == "LOINC/11506-3" and event.modality is Modality.TEXT
    assert event.text_value == "Chest pain, resolved."


def test_plain_json_sidecar_type_and_encoding(tmp_path: Path) -> None:
    meta = {"patient": "fhir:Patient/7", "time": "2024-03-01", "type": "18842-5", "encoding": "latin-1"}
    path = note(tmp_path, meta, "Befund: unauffällig".encode("latin-1"), sidecar=".json")
    assert is_note_sidecar(tmp_path / "n.json")
    sink = read(path)
    [event] = sink.events
    assert event.code == "LOINC/18842-5" and event.text_value == "Befund: unauffällig"
    assert sink.counts == {"read:note": 1, "ingested:note": 1}


def test_claims_needs_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "lonely.txt"
    path.write_text("x", encoding="utf-8")
    assert not NoteReader().claims(path)
    sink = read(path)
    assert sink.quarantined[0].location == "sidecar" and "lonely.txt.json" in sink.quarantined[0].reason


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        ({"time": "2024-01-01"}, "patient"),
        ({"patient": "12345", "time": "2024-01-01"}, "patient"),
        ({"patient": {"system": "s"}, "time": "2024-01-01"}, "patient"),
        ({"patient": "mrn:s|1"}, "time"),
        ({"patient": "mrn:s|1", "time": "yesterday"}, "time"),
        ({"patient": "mrn:s|1", "time": "2024-01-01", "type": 5}, "type"),
        ({"patient": "mrn:s|1", "time": "2024-01-01", "encoding": "klingon"}, "encoding"),
        (["not", "an", "object"], "(root)"),
    ],
)
def test_invalid_sidecar_names_field(tmp_path: Path, meta: object, field: str) -> None:
    sink = read(note(tmp_path, meta))
    [record] = sink.quarantined
    assert record.source.endswith("n.txt.json") and record.location == f"field {field}"
    assert f"sidecar field '{field}'" in record.reason and not sink.events


def test_malformed_sidecar_json(tmp_path: Path) -> None:
    path = note(tmp_path, {})
    (tmp_path / "n.txt.json").write_text("{broken", encoding="utf-8")
    assert "unreadable sidecar" in read(path).quarantined[0].reason


def test_encoding_error_and_empty_note(tmp_path: Path) -> None:
    meta = {"patient": "mrn:s|1", "time": "2024-01-01T00:00:00"}
    [record] = read(note(tmp_path, meta, b"ok \xff\xfe bad")).quarantined
    assert record.location == "offset 3" and "not valid utf-8" in record.reason
    [record] = read(note(tmp_path, meta, b"  \n")).quarantined
    assert record.reason == "empty note"
