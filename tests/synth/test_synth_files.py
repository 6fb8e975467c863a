"""The synthesised files are standard: FHIR R4B, DICOM, WFDB; PHI ground truth matches them."""

from __future__ import annotations

import base64
import csv
import json
import re
from pathlib import Path
from typing import Any

import pydicom
import pytest
from fhir.resources.R4B import get_fhir_model_class

from healthfm.synth.ecg import FS, LEADS, quiet_wfdb
from tests.synth.conftest import N_PATIENTS


def _ndjson(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_manifest_lists_every_ndjson_file_with_its_count(cohort: Path) -> None:
    manifest = json.loads((cohort / "fhir" / "manifest.json").read_text())
    listed = {item["url"]: item["count"] for item in manifest["output"]}
    on_disk = {p.name for p in (cohort / "fhir").glob("*.ndjson")}
    assert set(listed) == on_disk
    for name, count in listed.items():
        assert len(_ndjson(cohort / "fhir" / name)) == count
    assert {"Patient", "Encounter", "Observation", "Condition", "MedicationRequest", "DocumentReference"} <= {
        item["type"] for item in manifest["output"]
    }


def test_every_fhir_resource_validates_as_r4b(cohort: Path) -> None:
    n = 0
    for path in sorted((cohort / "fhir").glob("*.ndjson")):
        for resource in _ndjson(path):
            assert resource["resourceType"] == path.stem
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            n += 1
    assert n > N_PATIENTS * 10


def test_observations_carry_loinc_and_ucum(cohort: Path) -> None:
    codes = set()
    for obs in _ndjson(cohort / "fhir" / "Observation.ndjson"):
        coding = obs["code"]["coding"][0]
        codes.add(coding["code"])
        quantity = obs.get("valueQuantity")
        if quantity and coding["system"] == "http://loinc.org":
            assert quantity["system"] == "http://unitsofmeasure.org"
    assert {"8867-4", "85354-9", "2160-0", "89579-7", "33762-6"} <= codes


def test_every_dicom_reads(cohort: Path) -> None:
    files = sorted((cohort / "dicom").glob("*.dcm"))
    assert files
    for path in files:
        ds = pydicom.dcmread(path)
        assert ds.PatientID and ds.StudyInstanceUID
        if ds.Modality == "DX":
            assert ds.pixel_array.shape == (256, 256)
        else:
            assert ds.Modality == "ECG"
            assert ds.waveform_array(0).shape == (FS * 10, len(LEADS))


def test_every_wfdb_record_reads(cohort: Path) -> None:
    records = (cohort / "wfdb" / "RECORDS").read_text().split()
    assert records
    with quiet_wfdb() as wfdb:
        for record in records:
            rec = wfdb.rdrecord(str(cohort / "wfdb" / record))
            assert rec.fs == FS and rec.p_signal.shape == (FS * 10, len(LEADS))
            assert list(rec.sig_name) == list(LEADS)
            assert 0.2 < abs(rec.p_signal).max() < 10  # millivolts


def _resource_index(cohort: Path) -> dict[str, dict[str, Any]]:
    index = {}
    for path in (cohort / "fhir").glob("*.ndjson"):
        for res in _ndjson(path):
            index[f"{res['resourceType']}/{res['id']}"] = res
    return index


def _at(resource: dict[str, Any], path: str) -> Any:
    value: Any = resource
    for key, idx in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        value = value[key]
        if idx:
            value = value[int(idx)]
    return value


def test_phi_ground_truth_matches_the_files(cohort: Path) -> None:
    resources = _resource_index(cohort)
    items = _ndjson(cohort / "ground_truth" / "phi.jsonl")
    tags = {item["tag"] for item in items}
    assert {"NAME", "MRN", "DATE", "PHONE", "ADDRESS", "DOCTOR"} <= tags
    headers: dict[str, str] = {}
    datasets: dict[str, Any] = {}
    for item in items:
        if "resource" in item:
            value = _at(resources[item["resource"]], item["path"])
            if "start" in item:
                text = base64.b64decode(value).decode("utf-8")
                assert text[item["start"] : item["end"]] == item["value"]
            else:
                assert value == item["value"]
        elif "keyword" in item:
            ds = datasets.setdefault(item["file"], pydicom.dcmread(cohort / item["file"]))
            assert str(ds[item["keyword"]].value) == item["value"]
        else:
            header = headers.setdefault(item["file"], (cohort / item["file"]).read_text())
            assert item["value"] in header


def test_ground_truth_is_separate_and_complete(cohort: Path) -> None:
    with (cohort / "ground_truth" / "patients.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == N_PATIENTS
    assert {"label_cad", "death_days", "mace_days", "hf_hosp_days", "follow_up_days", "latent_lvef"} <= set(
        rows[0]
    )
    for row in rows:
        assert int(row["follow_up_days"]) >= 0
    fhir_text = "".join(p.read_text() for p in (cohort / "fhir").glob("*.ndjson"))
    assert "latent" not in fhir_text and "label_cad" not in fhir_text


@pytest.mark.parametrize("kind", ["cxr", "ecg"])
def test_modalities_are_missing_for_some_patients(cohort: Path, kind: str) -> None:
    items = [m for m in _ndjson(cohort / "ground_truth" / "modalities.jsonl") if m["kind"] == kind]
    with_kind = {m["patient"] for m in items}
    assert 0 < len(with_kind) <= N_PATIENTS
