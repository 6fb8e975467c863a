"""Readers for the fetched datasets: plain Python and numpy records, no pandas."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from healthfm.datasets.catalog import IU_CXR_REPORTS, MITBIH_208, UCI_HEART
from healthfm.datasets.fetch import ensure
from healthfm.errors import DataError

UCI_COLUMNS = (
    "age",
    "sex",
    "dataset",
    "cp",
    "trestbps",
    "chol",
    "fbs",
    "restecg",
    "thalch",
    "exang",
    "oldpeak",
    "slope",
    "ca",
    "thal",
    "num",
)


def load_uci(home: Path | None = None) -> list[dict[str, str]]:
    """The 920 UCI heart-disease rows as strings; empty string means missing."""
    path = ensure(UCI_HEART.name, home)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or any(col not in rows[0] for col in UCI_COLUMNS):
        raise DataError(f"{path}: expected columns {', '.join(UCI_COLUMNS)}")
    return [{col: row[col].strip() for col in UCI_COLUMNS} for row in rows]


@dataclass(frozen=True)
class RadiologyReport:
    """One real IU chest X-ray report with its MeSH finding tags."""

    uid: str
    indication: str
    comparison: str
    findings: str
    impression: str
    mesh: tuple[str, ...]


def load_iu_reports(home: Path | None = None) -> list[RadiologyReport]:
    """The IU reports that have both findings and impression, in file-name order."""
    folder = ensure(IU_CXR_REPORTS.name, home) / "ecgen-radiology"
    reports = []
    for path in sorted(folder.glob("*.xml"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        root = ET.parse(path).getroot()
        sections = {
            (node.get("Label") or "").upper(): (node.text or "").strip() for node in root.iter("AbstractText")
        }
        mesh = tuple((node.text or "").strip() for node in root.iter("major"))
        uid_node = root.find("uId")
        uid = uid_node.get("id", path.stem) if uid_node is not None else path.stem
        if sections.get("FINDINGS") and sections.get("IMPRESSION"):
            reports.append(
                RadiologyReport(
                    uid=uid or path.stem,
                    indication=sections.get("INDICATION", ""),
                    comparison=sections.get("COMPARISON", ""),
                    findings=sections["FINDINGS"],
                    impression=sections["IMPRESSION"],
                    mesh=mesh,
                )
            )
    return reports


MITBIH_FS = 360.0


def load_mitbih_excerpt(home: Path | None = None) -> npt.NDArray[np.float64]:
    """Record 208 lead MLII in millivolts at 360 Hz (the scaling scipy.datasets.electrocardiogram uses)."""
    path = ensure(MITBIH_208.name, home)
    with np.load(path) as archive:
        raw = archive["ecg"].astype(np.float64)
    return np.asarray((raw - 1024.0) / 200.0, dtype=np.float64)
