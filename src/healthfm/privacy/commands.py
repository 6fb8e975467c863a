"""`healthfm deid notes|dicom IN OUT`: the privacy gate on its own, for users who only need that."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from healthfm.errors import UsageError
from healthfm.privacy.gate import PrivacyGate, load_key


def _gate(key_file: Path | None, required: bool, ner_model: Path | None = None) -> PrivacyGate | None:
    try:
        key = load_key(key_file)
    except UsageError:
        if required:
            raise
        return None
    return PrivacyGate(key, ner_model=ner_model)


def deid_notes_tree(
    src: Path, dst: Path, *, tags: bool, key_file: Path | None, ner_model: Path | None = None
) -> dict[str, int]:
    """Scrub every `.txt` note under `src` into `dst` (same layout) with a span report beside each.

    Surrogates (the default) need the key: dates in all notes of one run move by the same shift, so
    intervals between notes survive. The span reports hold categories and offsets, never the PHI.
    `ner_model` adds a trained PHI tagger's spans to the rules' (`healthfm deid train-ner`).
    """
    from healthfm.privacy.phi import PhiScrubber

    if not src.exists():
        raise UsageError(f"{src}: no such file or folder")
    if tags:
        gate = _gate(key_file, required=False)
        tagger = None
        if ner_model is not None:
            from healthfm.privacy.ner import PhiTagger

            tagger = PhiTagger.load(ner_model)
        scrubber = PhiScrubber(mode="tag", tagger=tagger)
    else:
        gate = _gate(key_file, required=True, ner_model=ner_model)
        assert gate is not None
        scrubber = gate.scrubber
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*.txt") if p.is_file())
    if not files:
        raise UsageError(f"{src}: no .txt notes found")
    shift = gate.date_shift(0) if gate is not None and not tags else dt.timedelta(0)
    counts = {"notes": 0, "spans": 0}
    for path in files:
        rel = path.name if src.is_file() else str(path.relative_to(src))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        result = scrubber.scrub(text, date_shift=shift, surrogate_key="deid-notes")
        out = dst / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(result.text, encoding="utf-8")
        report: list[dict[str, Any]] = [
            {"start": s.start, "end": s.end, "category": s.category} for s in result.spans
        ]
        out.with_name(out.name + ".spans.json").write_text(json.dumps(report))
        counts["notes"] += 1
        counts["spans"] += len(result.spans)
    return counts


def deid_dicom_files(src: Path, dst: Path, *, key_file: Path | None, clear_burned_in: bool) -> dict[str, int]:
    """De-identify every DICOM file under `src` into `dst`; pseudonyms and shifts match `healthfm ingest`."""
    from healthfm.privacy.dicom_cli import deid_dicom_tree
    from healthfm.privacy.dicom_deid import DeidOptions

    if not src.exists():
        raise UsageError(f"{src}: no such file or folder")
    gate = _gate(key_file, required=True)
    assert gate is not None

    def pseudonym_for(ds: Any) -> str:
        patient = str(ds.get("PatientID", "") or "").strip()
        return str(gate.subject_id(f"mrn:{patient}")) if patient else "anonymous"

    def shift_for(pseudonym: str) -> Any:
        return gate.date_shift(int(pseudonym)) if pseudonym.isdigit() else gate.date_shift(0)

    secret = gate.derived_secret("dicom-uids")
    return deid_dicom_tree(
        src,
        dst,
        secret=secret,
        options=DeidOptions(clear_burned_in=clear_burned_in),
        pseudonym_for=pseudonym_for,
        shift_for=shift_for,
    )


def train_ner(
    data: list[Path],
    out: Path,
    *,
    epochs: int = 3,
    val_fraction: float = 0.1,
    threshold: float = 0.3,
    seed: int = 0,
    description: str = "",
    progress: Callable[[int, int, float], None] | None = None,
) -> dict[str, Any]:
    """Train a PHI tagger on annotated notes (JSONL of {text, spans: [{start, end, category}]}) into
    `out`: the model, its config (labels, base model sha256, training data) and `training.json` (the
    validation notes' recall per category). Returns that report."""
    import hashlib

    from healthfm.privacy.ner import NER_CATEGORIES, TaggerConfig
    from healthfm.privacy.ner_train import TrainSettings, read_annotated, train_tagger

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder; choose a new one")
    if not data:
        raise UsageError("give at least one JSONL file of annotated notes")
    notes = read_annotated(data, NER_CATEGORIES)
    if not notes:
        raise UsageError("the JSONL files hold no notes")
    files = [
        f"{p.name} ({sum(1 for line in p.read_text(encoding='utf-8').splitlines() if line.strip())} notes, "
        f"sha256 {hashlib.sha256(p.read_bytes()).hexdigest()[:16]})"
        for p in data
    ]
    try:
        config = TaggerConfig(
            threshold=threshold, training_data="; ".join([*filter(None, [description]), *files])
        )
        settings = TrainSettings(epochs=epochs, val_fraction=val_fraction, seed=seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    tagger, report = train_tagger(notes, config, settings, progress=progress)
    tagger.save(out)
    report = {"training_data": config.training_data, **report}
    (out / "training.json").write_text(json.dumps(report, indent=2) + "\n")
    return report
