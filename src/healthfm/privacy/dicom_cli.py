"""De-identify a folder tree of DICOM files (the body of `healthfm deid dicom IN OUT`)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pydicom
from pydicom.errors import InvalidDicomError

from healthfm.privacy.dicom_deid import DeidOptions, DicomDeidentifier, write_dataset

__all__ = ["HELD_BACK_FILE", "deid_dicom_tree"]

HELD_BACK_FILE = "held_back.jsonl"


def deid_dicom_tree(
    src: Path,
    dst: Path,
    *,
    secret: bytes,
    options: DeidOptions,
    pseudonym_for: Callable[[pydicom.Dataset], str],
    shift_for: Callable[[str], datetime.timedelta],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """De-identify every DICOM file under `src` into `dst` and count what happened.

    Folder names and file names may carry PHI, so each folder is renamed to a keyed hash of its name (the
    grouping of files is kept) and each file is named by its new SOP Instance UID. Held-back and failed files
    are listed in `dst/held_back.jsonl` by keyed hash of their relative path, with the reason only.
    `shift_for` receives the pseudonym returned by `pseudonym_for`.
    """
    deidentifier = DicomDeidentifier(secret=secret, options=options)
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
    counts: Counter[str] = Counter(files=len(files), written=0, held_back=0, not_dicom=0, failed=0)
    dst.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    with (dst / HELD_BACK_FILE).open("a", encoding="utf-8") as held_log:
        for index, path in enumerate(files, start=1):
            rel = Path(path.name) if path == src else path.relative_to(src)
            try:
                ds = pydicom.dcmread(path)
            except (InvalidDicomError, EOFError, OSError, ValueError):
                counts["not_dicom"] += 1
            else:
                reason = _deid_one(ds, rel, dst, deidentifier, secret, pseudonym_for, shift_for, written)
                if reason is None:
                    counts["written"] += 1
                else:
                    counts["held_back" if not reason.startswith("error") else "failed"] += 1
                    row = {"source": _keyed(secret, rel.as_posix()), "reason": reason}
                    held_log.write(json.dumps(row) + "\n")
            if progress is not None:
                progress(index, len(files))
    counts["duplicates"] = counts["written"] - len(written)
    return dict(counts)


def _deid_one(
    ds: pydicom.Dataset,
    rel: Path,
    dst: Path,
    deidentifier: DicomDeidentifier,
    secret: bytes,
    pseudonym_for: Callable[[pydicom.Dataset], str],
    shift_for: Callable[[str], datetime.timedelta],
    written: set[Path],
) -> str | None:
    """Write one de-identified file; return the reason when it is held back or fails."""
    try:
        pseudonym = pseudonym_for(ds)
        result = deidentifier.deidentify(ds, pseudonym=pseudonym, date_shift=shift_for(pseudonym))
        if result.dataset is None:
            return result.held_back or "held back"
        out = result.dataset
        name = str(out.get("SOPInstanceUID", "") or "") or _keyed(secret, rel.as_posix())
        folder = dst.joinpath(*(_keyed(secret, part) for part in rel.parent.parts))
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.dcm"
        write_dataset(out, target)
        written.add(target)
    except Exception as exc:  # one bad file must not stop a tree; messages may carry PHI, so log the type
        return f"error: {type(exc).__name__}"
    return None


def _keyed(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
