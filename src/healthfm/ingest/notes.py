"""Plain-text clinical notes: `note.txt` with a JSON sidecar (`note.txt.json` or `note.json`).

The sidecar names the patient (a key, or an MRN system and value), the time, and optionally the
document type (a LOINC code, progress note by default) and the text encoding.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.registry import READERS
from healthfm.schema import Modality

DEFAULT_NOTE_TYPE = "LOINC/11506-3"  # progress note
NOTE_SUFFIXES = (".txt",)


def find_sidecar(note: Path) -> Path | None:
    """The sidecar of a note: `note.txt.json` first, then `note.json`."""
    for candidate in (note.with_name(note.name + ".json"), note.with_suffix(".json")):
        if candidate.is_file():
            return candidate
    return None


def is_note_sidecar(path: Path) -> bool:
    """Whether a JSON file is a note's sidecar (so that a JSON reader such as FHIR leaves it alone)."""
    if path.suffix.lower() != ".json":
        return False
    stem = path.with_suffix("")
    return (stem.suffix.lower() in NOTE_SUFFIXES and stem.is_file()) or any(
        path.with_suffix(s).is_file() for s in NOTE_SUFFIXES
    )


class _SidecarError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"sidecar field '{field}': {problem}")
        self.field = field


def _patient_key(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        key = value.strip()
        if ":" not in key:
            raise _SidecarError("patient", f"key {key!r} needs a namespace, e.g. 'mrn:<system>|<value>'")
        return key
    if isinstance(value, dict):
        system, mrn = value.get("system"), value.get("value")
        if isinstance(system, str) and system and isinstance(mrn, str | int) and str(mrn):
            return f"mrn:{system}|{mrn}"
        raise _SidecarError("patient", "an MRN object needs non-empty 'system' and 'value'")
    raise _SidecarError("patient", "missing; give a key ('mrn:<system>|<value>') or {system, value}")


def _time(value: Any) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise _SidecarError("time", "missing; give an ISO 8601 date-time")
    try:
        t = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _SidecarError("time", f"{value!r} is not an ISO 8601 date-time") from None
    return t if t.tzinfo is None else t.astimezone(dt.UTC).replace(tzinfo=None)


def _note_type(value: Any) -> str:
    if value is None:
        return DEFAULT_NOTE_TYPE
    if not isinstance(value, str) or not value.strip():
        raise _SidecarError("type", "must be a code such as 'LOINC/18842-5'")
    code = value.strip()
    return code if "/" in code else f"LOINC/{code}"


@READERS.register("notes")
class NoteReader(Reader):
    """One `.txt` note with its JSON sidecar → one text event (naive UTC time, modality text)."""

    name: ClassVar[str] = "notes"

    def claims(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in NOTE_SUFFIXES and find_sidecar(path) is not None

    def read(self, path: Path, sink: IngestSink) -> None:
        sink.count("read:note")
        sidecar = find_sidecar(path)
        if sidecar is None:
            sink.quarantine(path, "sidecar", f"no sidecar: expected {path.name}.json or {path.stem}.json")
            return
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            sink.quarantine(sidecar, "sidecar", f"unreadable sidecar: {exc}")
            return
        try:
            if not isinstance(meta, dict):
                raise _SidecarError("(root)", "expected a JSON object")
            key, time, code = (
                _patient_key(meta.get("patient")),
                _time(meta.get("time")),
                _note_type(meta.get("type")),
            )
            encoding = meta.get("encoding", "utf-8")
            if not isinstance(encoding, str):
                raise _SidecarError("encoding", "must be a codec name such as 'latin-1'")
            try:
                "".encode(encoding)
            except LookupError:
                raise _SidecarError("encoding", f"unknown codec {encoding!r}") from None
        except _SidecarError as exc:
            sink.quarantine(sidecar, f"field {exc.field}", str(exc), json.dumps(meta)[:500])
            return
        try:
            raw = path.read_bytes()
        except OSError as exc:
            sink.quarantine(path, "file", f"unreadable note: {exc}")
            return
        try:
            text = raw.decode(
                "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
            )
        except UnicodeDecodeError as exc:
            sink.quarantine(
                path, f"offset {exc.start}", f"not valid {encoding}: {exc.reason}", repr(raw[:200])
            )
            return
        if not text.strip():
            sink.quarantine(path, "file", "empty note")
            return
        sink.emit(SourceEvent(key, time, code, text_value=text, modality=Modality.TEXT))
        sink.count("ingested:note")
