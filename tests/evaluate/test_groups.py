"""patient_groups: one row per sample, read back through the privacy gate; ages survive the date shift."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from healthfm.evaluate.groups import AGE_BANDS, patient_groups
from healthfm.privacy.gate import PrivacyGate
from healthfm.schema import EVENT_SCHEMA, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import build_samples, load_task

COHORT_KEY = b"k" * 32  # the key tests/conftest.py's cohort_store was ingested with
US_SITES = {"Cleveland", "VA_Long_Beach"}
RACE_NAMES = {
    "2106-3": "White",
    "2054-5": "Black or African American",
    "2028-9": "Asian",
    "1002-5": "American Indian or Alaska Native",
    "2076-8": "Native Hawaiian or Other Pacific Islander",
}


def _expected_race(patient: dict[str, Any]) -> str:
    parts = {e["url"].rsplit("-", 1)[-1]: e["extension"] for e in patient.get("extension", [])}
    omb = {k: [p["valueCoding"]["code"] for p in v if p["url"] == "ombCategory"] for k, v in parts.items()}
    if "2135-2" in omb.get("ethnicity", []):
        return "Hispanic or Latino"
    races = omb.get("race", [])
    return "Two or more races" if len(races) > 1 else RACE_NAMES[races[0]] if races else "unknown"


def _age(birth: dt.datetime, when: dt.datetime) -> float:
    return (when - birth) / dt.timedelta(days=365.2425)


def _band(age: float) -> str:
    return next(b for b, lo in reversed(list(zip(AGE_BANDS, (18, 45, 65, 75, 90), strict=True))) if age >= lo)


def test_cohort_groups_match_the_source_records(cohort_store: PatientStore) -> None:
    samples = build_samples(cohort_store, load_task("cardiac_disease"), None)
    groups = patient_groups(cohort_store, samples)
    assert list(groups.columns) == ["sex", "age_band", "race_ethnicity", "site"]
    assert groups.index.name == "subject_id"
    assert groups.index.tolist() == [s.subject_id for s in samples]
    assert set(groups["sex"]) <= {"female", "male"}
    assert set(groups["age_band"]) <= set(AGE_BANDS)
    assert set(groups["site"]) == {"Cleveland", "Hungary", "Switzerland", "VA_Long_Beach"}
    us = groups["site"].isin(US_SITES)
    assert (groups.loc[~us, "race_ethnicity"] == "unknown").all()  # Europe records no race (GDPR Art. 9)
    assert (groups.loc[us, "race_ethnicity"] != "unknown").all()

    # The same patients in the export, before the gate: pseudonyms and shifts recomputed with its key.
    gate = PrivacyGate(COHORT_KEY)
    export = cohort_store.root.parent / "export" / "fhir" / "Patient.ndjson"
    source = {}
    for line in export.read_text().splitlines():
        patient = json.loads(line)
        mrn = next(i["value"] for i in patient["identifier"] if i.get("type"))
        source[gate.subject_id("mrn:" + mrn)] = patient
    for sample, (sid, row) in zip(samples, groups.iterrows(), strict=True):
        patient = source[sid]
        assert row["site"] == patient["managingOrganization"]["identifier"]["value"]
        assert row["sex"] == patient["gender"]
        assert row["race_ethnicity"] == _expected_race(patient)
        unshifted = sample.prediction_time - gate.date_shift(sid)
        assert row["age_band"] == _band(_age(dt.datetime.fromisoformat(patient["birthDate"]), unshifted))


T = dt.datetime(2020, 6, 15, 9, 30)
AGES = {1: 44.99, 2: 45.01, 3: 64.995, 4: 74.99, 5: 89.5, 6: 95.0, 7: 30.0, 8: 12.0}  # 7: no birth


def _events() -> pa.Table:
    rows: list[dict[str, Any]] = []
    for sid, age in AGES.items():
        rows.append({"subject_id": sid, "time": None, "code": "GENDER/F" if sid % 2 else "GENDER/M"})
        if sid != 7:
            rows.append(
                {"subject_id": sid, "time": T - dt.timedelta(days=age * 365.2425), "code": "MEDS_BIRTH"}
            )
        rows.append({"subject_id": sid, "time": T, "code": "LOINC/8867-4", "numeric_value": 70.0})
    rows += [
        {"subject_id": 1, "time": None, "code": "RACE/2054-5"},
        {"subject_id": 1, "time": None, "code": "ETHNICITY/2186-5"},
        {"subject_id": 1, "time": None, "code": "SITE/Cleveland"},
        {"subject_id": 2, "time": None, "code": "RACE/2106-3"},
        {"subject_id": 2, "time": None, "code": "ETHNICITY/2135-2"},
        {"subject_id": 3, "time": None, "code": "RACE/2106-3"},
        {"subject_id": 3, "time": None, "code": "RACE/2028-9"},
        {"subject_id": 4, "time": None, "code": "SITE/Hungary"},
    ]
    return pa.Table.from_pylist(rows, EVENT_SCHEMA)


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PatientStore, PatientStore]]:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    raw, gated = PatientStore.open(tmp_path / "raw"), PatientStore.open(tmp_path / "gated")
    raw.append(_events())
    gated.append(PrivacyGate(COHORT_KEY).apply(_events()))
    yield raw, gated
    raw.close()
    gated.close()


def test_bands_survive_the_gate_date_shift_and_age_cap(stores: tuple[PatientStore, PatientStore]) -> None:
    raw, gated = stores
    gate = PrivacyGate(COHORT_KEY)
    order = [6, 1, 2, 3, 4, 5, 7, 8, 1]  # any order, repeats allowed
    before = patient_groups(raw, [Sample(sid, T, 0) for sid in order])
    after = patient_groups(gated, [Sample(sid, T + gate.date_shift(sid), 0) for sid in order])
    assert before.index.tolist() == after.index.tolist() == order
    assert before.equals(after)
    assert before["age_band"].tolist() == [
        "90+",  # 95: the gate moves the birth to 90 years before the last event, still 90+
        "18-44",
        "45-64",
        "45-64",
        "65-74",
        "75-89",
        "unknown",
        "0-17",
        "18-44",
    ]
    assert before.loc[1].iloc[0].to_dict() == {
        "sex": "female",
        "age_band": "18-44",
        "race_ethnicity": "Black or African American",
        "site": "Cleveland",
    }
    assert before.loc[[2, 3, 4, 5], "race_ethnicity"].tolist() == [
        "Hispanic or Latino",
        "Two or more races",
        "unknown",
        "unknown",
    ]
    assert before.loc[[4, 5], "site"].tolist() == ["Hungary", "unknown"]


def test_prediction_time_with_a_timezone_and_no_samples(stores: tuple[PatientStore, PatientStore]) -> None:
    raw, _ = stores
    aware = T.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5))) - dt.timedelta(hours=5)  # same instant
    assert patient_groups(raw, [Sample(2, aware, 0)])["age_band"].tolist() == ["45-64"]
    empty = patient_groups(raw, [])
    assert empty.empty and list(empty.columns) == ["sex", "age_band", "race_ethnicity", "site"]
