"""The privacy gate on the ingestion path, consent at run time, erasure without a trace."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from healthfm.errors import UsageError
from healthfm.ingest.pipeline import ingest
from healthfm.privacy.gate import KEY_ENV, KEY_FILE_ENV, PrivacyGate, generate_key, load_key
from healthfm.store.patient_store import PatientStore

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from healthfm.synth.writer import SynthConfig, synthesize

    out = tmp_path_factory.mktemp("cohort") / "export"
    synthesize(SynthConfig(patients=4, seed=21, out=out, workers=1), force=True)
    return out


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PatientStore:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    return PatientStore.open(tmp_path / "store")


def _sources(cohort: Path) -> list[Path]:
    return [cohort / "fhir", cohort / "dicom", cohort / "wfdb"]


def _identities(cohort: Path) -> list[dict[str, object]]:
    people = []
    for line in (cohort / "fhir" / "Patient.ndjson").read_text().splitlines():
        res = json.loads(line)
        name = res["name"][0]
        people.append(
            {
                "names": [name["family"], *name["given"]],
                "mrn": next(i["value"] for i in res["identifier"]),
                "id": res["id"],
            }
        )
    return people


def test_keys_are_required_kept_private_and_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    with pytest.raises(UsageError, match="no pseudonymisation key"):
        load_key()
    path = generate_key(tmp_path / "keys" / "k")
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(load_key(path)) == 64
    with pytest.raises(UsageError, match="never overwritten"):
        generate_key(path)
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(UsageError, match="too short"):
        load_key()


def test_pseudonyms_and_shifts_are_keyed_and_stable() -> None:
    a, b = PrivacyGate(KEY), PrivacyGate(KEY[::-1])
    assert a.subject_id("mrn:X1") == PrivacyGate(KEY).subject_id("mrn:X1") != b.subject_id("mrn:X1")
    shifts = [a.date_shift(s) for s in range(200)]
    assert all(s.days % 7 == 0 and s != dt.timedelta(0) and abs(s.days) <= 364 for s in shifts)
    assert len(set(shifts)) > 50  # spread, not one constant
    assert a.remap_uid("1.2.3") == a.remap_uid("urn:oid:1.2.3") != b.remap_uid("1.2.3")
    from healthfm.privacy.dicom_deid import DicomDeidentifier

    assert DicomDeidentifier(secret=a.derived_secret("dicom-uids")).new_uid("1.2.3") == a.remap_uid("1.2.3")


def test_gate_shifts_every_modality_alike_and_scrubs_identifiers(cohort: Path, store: PatientStore) -> None:
    gate = PrivacyGate(KEY)
    report = ingest(_sources(cohort), store, gate=gate)
    assert report.quarantined == 0 and report.subjects == 4
    people = _identities(cohort)
    ids = {gate.subject_id(f"mrn:{p['mrn']}") for p in people}
    assert set(store.subjects().tolist()) == ids  # keyed pseudonyms of the MRNs, FHIR/DICOM/WFDB linked
    # one FHIR Observation: its stored time is the source time plus the patient's shift
    obs = json.loads((cohort / "fhir" / "Observation.ndjson").read_text().splitlines()[0])
    patient = next(p for p in people if obs["subject"]["reference"] == f"Patient/{p['id']}")
    sid = gate.subject_id(f"mrn:{patient['mrn']}")
    source_time = dt.datetime.fromisoformat(obs["effectiveDateTime"]).astimezone(dt.UTC).replace(tzinfo=None)
    stored = store.timeline(sid).table.to_pylist()
    code = "LOINC/" + obs["code"]["coding"][0]["code"]
    times = {r["time"] for r in stored if r["code"].startswith(code) or r["code"].startswith("LOINC/")}
    assert source_time + gate.date_shift(sid) in times
    # images and their FHIR ImagingStudy still meet, with remapped UIDs
    for s in ids:
        rows = store.timeline(s).table.to_pylist()
        studies = {r["text_value"] for r in rows if r["code"].startswith("IMAGING_STUDY/")}
        images = {r["text_value"] for r in rows if r["code"] == "DICOM/StudyInstanceUID"}
        assert images <= studies and all(u.startswith("2.25.") for u in studies)
    # no patient's name or MRN anywhere in the store's files
    needles = {str(n).encode() for p in people for n in [*p["names"], p["mrn"]] if len(str(n)) > 3}  # type: ignore[union-attr]
    for path in store.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found = [n for n in needles if n in data]
            assert not found, f"{path.relative_to(store.root)} holds {found}"
    notes = [
        r["text_value"] for s in ids for r in store.timeline(s).table.to_pylist() if r["modality"] == "text"
    ]
    assert notes and all(str(n) not in note for note in notes for p in people for n in p["names"])  # type: ignore[union-attr]


def test_ages_over_89_are_grouped_and_quarantine_keeps_no_phi(tmp_path: Path, store: PatientStore) -> None:
    src = tmp_path / "fhir"
    src.mkdir()
    patient = {
        "resourceType": "Patient",
        "id": "old",
        "birthDate": "1910-05-05",
        "gender": "female",
        "identifier": [{"system": "urn:mrn", "value": "OLD123"}],
        "name": [{"family": "Oldfield"}],
    }
    obs = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "subject": {"reference": "Patient/old"},
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "effectiveDateTime": "2020-01-01T10:00:00Z",
        "valueQuantity": {"value": 70, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"},
    }
    bad_gender = {
        "resourceType": "Patient",
        "id": "odd",
        "gender": "Oldfield",
        "identifier": [{"value": "ODD1"}],
    }
    lines = [
        json.dumps(patient),
        json.dumps(obs),
        json.dumps(bad_gender),
        '{"resourceType": "Oldfield OLD123',
    ]
    (src / "a.ndjson").write_text("\n".join(lines) + "\n")
    gate = PrivacyGate(KEY)
    report = ingest([src], store, gate=gate)
    sid = gate.subject_id("mrn:OLD123")
    rows = {r["code"]: r["time"] for r in store.timeline(sid).table.to_pylist()}
    age_years = (rows["LOINC/8867-4"] - rows["MEDS_BIRTH"]).days / 365.2425
    assert 89.9 < age_years <= 90.01
    assert report.quarantined == 2  # an invalid gender, a broken line: reasons kept, values redacted
    kept = report.quarantine_file.read_text()  # type: ignore[union-attr]
    assert "unknown gender" in kept and "Oldfield" not in kept and "OLD123" not in kept


def test_no_deid_is_audited(cohort: Path, store: PatientStore) -> None:
    ingest([cohort / "wfdb"], store, gate=None)
    assert store.catalog.audit_entries(action="ingest.no_deid")


def test_fhir_consent_opt_out_leaves_training_data_at_run_time(tmp_path: Path, store: PatientStore) -> None:
    src = tmp_path / "fhir"
    src.mkdir()
    lines = []
    for i, mrn in enumerate(("A1", "B2")):
        lines.append(
            {
                "resourceType": "Patient",
                "id": f"p{i}",
                "gender": "male",
                "birthDate": "1960-01-01",
                "identifier": [{"system": "urn:mrn", "value": mrn}],
            }
        )
    lines.append(
        {
            "resourceType": "Consent",
            "id": "c1",
            "status": "active",
            "patient": {"reference": "Patient/p1"},
            "scope": {"coding": [{"code": "research"}]},
            "dateTime": "2021-01-01",
            "provision": {"type": "deny"},
        }
    )
    (src / "x.ndjson").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    gate = PrivacyGate(KEY)
    ingest([src], store, gate=gate)
    a, b = gate.subject_id("mrn:A1"), gate.subject_id("mrn:B2")
    assert set(store.subjects().tolist()) == {a, b}
    assert set(store.subjects(consent_scope="training").tolist()) == {a}
    assert set(store.subjects(consent_scope="evaluation").tolist()) == {a}
    store.catalog.set_consent(b, "research", True, source="test")  # opted back in
    assert set(store.subjects(consent_scope="training").tolist()) == {a, b}


def test_erasure_leaves_no_trace_and_names_the_models(cohort: Path, store: PatientStore) -> None:
    gate = PrivacyGate(KEY)
    ingest(_sources(cohort), store, gate=gate)
    victim = int(store.subjects()[0])
    blobs = {r["blob"] for r in store.timeline(victim).table.to_pylist() if r["blob"]}
    assert blobs
    store.catalog.register_model(
        "cardiac", config={}, lineage={"training_subjects": store.subjects().tolist()}
    )
    store.erase(victim, requested_by="dpo", reason="test")
    assert [m.name for m in store.catalog.models_trained_on(victim)] == ["cardiac"]
    assert not any(uri in store.blobs for uri in blobs)
    # no table in the store mentions the subject any more (catalog erasure records aside, by design)
    for path in list(store.root.rglob("*.parquet")) + list(store.root.rglob("*.arrow")):
        if "txn-" in str(path):
            continue
        table = pq.read_table(path) if path.suffix == ".parquet" else _arrow(path)
        for name in table.column_names:
            if name == "subject_id":
                assert victim not in set(table.column(name).to_pylist()), path
    raw = victim.to_bytes(8, "little")
    for path in store.root.rglob("*.arrow"):
        assert raw not in path.read_bytes(), path
    assert np.isin(victim, store.subjects(), invert=True)


def _arrow(path: Path):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    with pa.memory_map(str(path)) as src:
        return pa.ipc.open_file(src).read_all()


def test_notes_carry_no_base64_leftovers(cohort: Path) -> None:
    # guard for the test above: the synth notes really name their patients in the source files
    people = _identities(cohort)
    docs = (cohort / "fhir" / "DocumentReference.ndjson").read_text().splitlines()
    texts = [base64.b64decode(json.loads(d)["content"][0]["attachment"]["data"]).decode() for d in docs]
    assert any(str(n) in t for t in texts for p in people for n in p["names"])  # type: ignore[union-attr]
