"""FhirReader on hand-written resources and the virtual cohort; FHIR out and its round trip."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from healthfm.datasets import fetch
from healthfm.ingest.base import MemorySink, SourceEvent
from healthfm.ingest.fhir import NULL_FLAVOR, FhirReader, parse_time
from healthfm.ingest.fhir_out import risk_assessment, timeline_to_bundle
from healthfm.ingest.units import UnitError, to_canonical
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline
from healthfm.synth.writer import SynthConfig, synthesize

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
PID = "p1"
MR_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": PID,
    "identifier": [
        {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "123-45-6789"},
        {"type": MR_TYPE, "system": "https://h.example.org/mrn", "value": "M1"},
    ],
    "gender": "female",
    "birthDate": "1960-05-04",
    "deceasedDateTime": "2020-01-02T10:00:00+02:00",
}
MRN_KEY = "mrn:https://h.example.org/mrn|M1"
SUBJECT = f"fhir:Patient/{PID}"


def obs(rid: str, code: str, **value: Any) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": f"Patient/{PID}"},
        "effectiveDateTime": "2019-03-01T08:00:00-05:00",
    }
    res.update(value)
    return res


def qty(value: float, unit: str) -> dict[str, Any]:
    return {"valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}


def read_lines(tmp_path: Path, lines: list[Any], *, tail: str = "\n") -> MemorySink:
    path = tmp_path / "data.ndjson"
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + tail
    path.write_text(text, encoding="utf-8")
    sink = MemorySink()
    FhirReader().read(path, sink)
    return sink


def reasons(sink: MemorySink) -> list[str]:
    return [q.reason for q in sink.quarantined]


# ---------------------------------------------------------------------- hand-written resources


def test_patient_demographics_and_link(tmp_path: Path) -> None:
    sink = read_lines(tmp_path, [PATIENT])
    assert sink.links == {SUBJECT: MRN_KEY}
    assert set(sink.events) == {
        SourceEvent(MRN_KEY, None, "GENDER/F"),
        SourceEvent(MRN_KEY, dt.datetime(1960, 5, 4), "MEDS_BIRTH"),
        SourceEvent(MRN_KEY, dt.datetime(2020, 1, 2, 8), "MEDS_DEATH"),
    }
    assert sink.counts["read:Patient"] == sink.counts["ingested:Patient"] == 1


CDC = "urn:oid:2.16.840.1.113883.6.238"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-"


def us_core(kind: str, *codes: str, text: str = "as recorded") -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"url": "ombCategory", "valueCoding": {"system": CDC, "code": c}} for c in codes
    ]
    return {"url": US_CORE + kind, "extension": [*parts, {"url": "text", "valueString": text}]}


def test_patient_race_ethnicity_and_site(tmp_path: Path) -> None:
    patient = PATIENT | {
        "extension": [
            {"url": "http://example.org/other", "valueString": "kept out"},
            us_core("race", "2106-3", "2054-5"),
            us_core("ethnicity", "2186-5"),
        ],
        "managingOrganization": {
            "identifier": {"system": "urn:healthfm:synth:site", "value": "VA Long Beach"},
            "display": "VA Medical Center Long Beach",
        },
    }
    sink = read_lines(tmp_path, [patient])
    static = {e.code for e in sink.events if e.time is None}
    assert static == {"GENDER/F", "RACE/2106-3", "RACE/2054-5", "ETHNICITY/2186-5", "SITE/VA_Long_Beach"}
    assert sink.quarantined == []


def test_patient_without_race_or_site_codes_gives_none(tmp_path: Path) -> None:
    declined = {"url": "ombCategory", "valueCoding": {"system": NULL_FLAVOR, "code": "ASKU"}}
    detailed_only = {"url": "detailed", "valueCoding": {"system": CDC, "code": "2131-1"}}
    patients = [
        PATIENT | {"managingOrganization": {"display": "St. Elsewhere Hospital"}},  # a name is not a code
        PATIENT
        | {
            "id": "p2",
            "identifier": [],
            "extension": [
                {"url": US_CORE + "race", "extension": [declined, detailed_only]},
                {"url": US_CORE + "ethnicity", "extension": [{"url": "text", "valueString": "?"}]},
            ],
            "managingOrganization": {"reference": "Organization/o1"},
        },
    ]
    sink = read_lines(tmp_path, patients)
    assert sink.quarantined == []
    assert not [e for e in sink.events if e.code.startswith(("RACE/", "ETHNICITY/", "SITE/"))]
    assert sink.counts["ingested:Patient"] == 2


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        ({"extension": [us_core("race", "2131-1")]}, "2131-1 is not an OMB category"),
        ({"extension": [us_core("ethnicity", "2106-3")]}, "2106-3 is not an OMB category"),
        ({"extension": [{"url": US_CORE + "race", "valueString": "White"}]}, "no list of sub-extensions"),
        ({"extension": [{"url": US_CORE + "race", "extension": [{"url": "ombCategory"}]}]}, "valueCoding"),
        ({"managingOrganization": {"identifier": [{"value": "x"}]}}, "not an Identifier"),
        ({"managingOrganization": "Organization/o1"}, "not a Reference"),
    ],
)
def test_malformed_race_or_site_is_quarantined_and_the_patient_kept(
    tmp_path: Path, part: dict[str, Any], reason: str
) -> None:
    sink = read_lines(tmp_path, [PATIENT | part])
    assert len(sink.quarantined) == 1
    q = sink.quarantined[0]
    assert reason in q.reason and q.reason.startswith("Patient.") and q.location.startswith("line 1 ")
    assert sink.counts["ingested:Patient"] == 1 and sink.links == {SUBJECT: MRN_KEY}
    assert {e.code for e in sink.events} == {"GENDER/F", "MEDS_BIRTH", "MEDS_DEATH"}


def test_observation_values_components_and_time(tmp_path: Path) -> None:
    bp = obs(
        "bp",
        "85354-9",
        component=[
            {"code": {"coding": [{"system": LOINC, "code": "8480-6"}]}, **qty(120, "mm[Hg]")},
            {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]}, **qty(10.666, "kPa")},
        ],
    )
    coded = obs(
        "smoke",
        "72166-2",
        valueCodeableConcept={"coding": [{"system": "http://snomed.info/sct", "code": "8517006"}]},
    )
    text = obs("txt", "8601-7", valueString="normal")
    period = obs("per", "8867-4", **qty(61, "/min"))
    del period["effectiveDateTime"]
    period["effectivePeriod"] = {"start": "2019-03-02", "end": "2019-03-03"}
    issued = obs("iss", "8867-4", **qty(62, "{beats}/min"))
    del issued["effectiveDateTime"]
    issued["issued"] = "2019-03-04T00:00:00Z"
    sink = read_lines(tmp_path, [bp, coded, text, period, issued])
    assert sink.quarantined == []
    by_code = {e.code: e for e in sink.events}
    t = dt.datetime(2019, 3, 1, 13)
    assert by_code["LOINC/8480-6"] == SourceEvent(SUBJECT, t, "LOINC/8480-6", 120.0)
    assert by_code["LOINC/8462-4"].numeric_value == pytest.approx(80.0, abs=0.01)
    assert "LOINC/85354-9" not in by_code  # the panel itself carries no value
    assert "LOINC/72166-2/8517006" in by_code
    assert by_code["LOINC/8601-7"].text_value == "normal"
    hr = sorted((e.time, e.numeric_value) for e in sink.events if e.code == "LOINC/8867-4")
    assert hr == [(dt.datetime(2019, 3, 2), 61.0), (dt.datetime(2019, 3, 4), 62.0)]


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        ("LOINC/2345-7", 5.5, "mmol/L", 99.09),  # glucose
        ("LOINC/2093-3", 5.0, "mmol/l", 193.35),  # cholesterol, lower-case spelling
        ("LOINC/2571-8", 1.7, "mmol/L", 150.57),  # triglycerides
        ("LOINC/2160-0", 88.4, "umol/L", 1.0),  # creatinine
        ("LOINC/89579-7", 0.014, "ng/mL", 14.0),  # troponin
        ("LOINC/33762-6", 125.0, "ng/L", 125.0),  # NT-proBNP, pg/mL == ng/L
        ("LOINC/4548-4", 48.0, "mmol/mol", 6.542),  # HbA1c IFCC -> NGSP
        ("LOINC/29463-7", 154.0, "lb", 69.853),
        ("LOINC/8302-2", 70.0, "[in_i]", 177.8),
        ("LOINC/8310-5", 98.6, "[degF]", 37.0),
        ("LOINC/8480-6", 16.0, "kPa", 120.01),
        ("LOCAL/x", 3.0, "furlong", 3.0),  # no canonical unit: kept as given
    ],
)
def test_unit_normalisation(code: str, value: float, unit: str, expected: float) -> None:
    assert to_canonical(code, value, unit)[0] == pytest.approx(expected, rel=2e-3)


def test_unknown_unit_is_quarantined(tmp_path: Path) -> None:
    with pytest.raises(UnitError):
        to_canonical("LOINC/2345-7", 5.0, "furlong")
    sink = read_lines(
        tmp_path, [obs("g", "2345-7", **qty(5, "furlong")), obs("h", "2345-7", **qty(90, "mg/dL"))]
    )
    assert len(sink.events) == 1
    assert len(sink.quarantined) == 1 and "unknown unit 'furlong'" in sink.quarantined[0].reason
    assert sink.counts["quarantined:Observation"] == 1


def test_edge_cases_are_quarantined_with_a_reason(tmp_path: Path) -> None:
    no_time = obs("nt", "8867-4", **qty(60, "/min"))
    del no_time["effectiveDateTime"]
    bad_date = obs("bd", "8867-4", **qty(60, "/min"), effectiveDateTime="2019-02-30T10:00:00Z")
    no_patient = obs("np", "8867-4", **qty(60, "/min"))
    del no_patient["subject"]
    no_type = {"id": "x", "code": {}}
    dup = obs("ok", "8867-4", **qty(60, "/min"))
    extension = obs(
        "ext", "8867-4", **qty(70, "/min"), extension=[{"url": "http://x.org/e", "valueString": "y"}]
    )
    truncated = json.dumps(obs("trunc", "8867-4", **qty(60, "/min")))[:-20]
    sink = read_lines(
        tmp_path,
        [no_time, bad_date, no_patient, no_type, "{not json", dup, dup, extension, truncated],
        tail="",
    )
    got = {q.location: q.reason for q in sink.quarantined}
    assert "no effective time" in got["line 1"]
    assert "invalid date" in got["line 2"]
    assert "no patient" in got["line 3"]
    assert got["line 4"] == "resource without resourceType"
    assert got["line 5"].startswith("malformed JSON")
    assert got["line 7"] == "duplicated id Observation/ok"
    assert got["line 9"] == "truncated final line"
    assert len(sink.quarantined) == 7
    assert [e.numeric_value for e in sink.events] == [60.0, 70.0]  # the first copy, and the extended one
    assert all(q.excerpt for q in sink.quarantined)


@pytest.mark.parametrize(
    "broken",
    [
        {"code": "not-a-concept"},
        {"subject": "Patient/p1"},
        {"valueQuantity": {"value": "12", "unit": "/min"}},
        {"component": [{"code": None}]},
        {"id": ["x"]},
        {"effectiveDateTime": 20190301},
        {"code": {"text": "no coding"}},
        {"subject": {"reference": "Group/g1"}},
        {"valueQuantity": {"value": 90}, "code": {"coding": [{"system": LOINC, "code": "2345-7"}]}},
    ],
)
def test_wrong_shapes_are_quarantined_not_raised(tmp_path: Path, broken: dict[str, Any]) -> None:
    sink = read_lines(tmp_path, [obs("o", "8867-4", **qty(60, "/min")) | broken])
    assert sink.events == []
    assert len(sink.quarantined) == 1 and sink.quarantined[0].reason.startswith("Observation")


def test_gzip_export_folder_and_missing_file(tmp_path: Path) -> None:
    import gzip

    folder = tmp_path / "export"
    folder.mkdir()
    with gzip.open(folder / "Observation.ndjson.gz", "wt") as fh:
        fh.write(json.dumps(obs("o", "8867-4", **qty(60, "/min"))) + "\n")
    (folder / "Patient.ndjson").write_text(json.dumps(PATIENT) + "\n")
    manifest = {
        "output": [
            {"type": "Observation", "url": "https://x.org/files/Observation.ndjson.gz"},
            {"type": "Condition", "url": "Condition.ndjson"},
            {"type": "Patient", "url": "Patient.ndjson"},
        ]
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    reader, sink = FhirReader(), MemorySink()
    assert reader.claims(folder)
    reader.read(folder, sink)
    assert reasons(sink) == ["listed file Condition.ndjson is missing"]
    assert sink.links == {SUBJECT: MRN_KEY}
    assert SourceEvent(SUBJECT, dt.datetime(2019, 3, 1, 13), "LOINC/8867-4", 60.0) in sink.events


def test_entered_in_error_is_skipped_and_identifier_subjects(tmp_path: Path) -> None:
    wrong = obs("w", "8867-4", **qty(60, "/min"), status="entered-in-error")
    by_mrn = obs("m", "8867-4", **qty(61, "/min"), subject={"identifier": {"system": "s", "value": "M9"}})
    wrapped = base64.b64encode(b"x" * 100).decode()
    doc = {
        "resourceType": "DocumentReference",
        "id": "d",
        "subject": {"reference": "https://ehr.example.org/fhir/Patient/p1/_history/3"},
        "date": "2019-01-01T00:00:00Z",
        "content": [{"attachment": {"data": wrapped[:76] + "\n" + wrapped[76:]}}],
    }
    sink = read_lines(tmp_path, [wrong, by_mrn, doc])
    assert sink.quarantined == []
    assert sink.counts["skipped:Observation"] == 1
    assert SourceEvent("mrn:s|M9", dt.datetime(2019, 3, 1, 13), "LOINC/8867-4", 61.0) in sink.events
    assert (
        SourceEvent(SUBJECT, dt.datetime(2019, 1, 1), "DOCUMENT/note", None, "x" * 100, Modality.TEXT)
        in sink.events
    )


def test_unmapped_types_are_counted_not_errors(tmp_path: Path) -> None:
    sink = read_lines(
        tmp_path, [{"resourceType": "Organization", "id": "o"}, {"resourceType": "Goal", "id": "g"}]
    )
    assert sink.quarantined == [] and sink.events == []
    assert sink.counts["skipped:Organization"] == sink.counts["skipped:Goal"] == 1


def _med(rid: str, **medication: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "active",
        "intent": "order",
        "subject": {"reference": f"Patient/{PID}"},
        "authoredOn": "2019-01-01",
        **medication,
    }


def test_references_contained_relative_and_forward(tmp_path: Path) -> None:
    rx = {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361"}]}
    contained = _med(
        "c",
        contained=[{"resourceType": "Medication", "id": "m0", "code": rx}],
        medicationReference={"reference": "#m0"},
    )
    relative = _med("r", medicationReference={"reference": "Medication/m1"})  # defined later in the file
    missing = _med("x", medicationReference={"reference": "Medication/nope"})
    medication = {"resourceType": "Medication", "id": "m1", "code": rx}
    sink = read_lines(tmp_path, [contained, relative, missing, medication])
    assert sorted(e.code for e in sink.events) == ["RXNORM/197361", "RXNORM/197361"]
    assert reasons(sink) == ["MedicationRequest: unresolved medication Medication/nope"]
    assert sink.counts["read:MedicationRequest"] == 3
    assert sink.counts["ingested:MedicationRequest"] == 2
    assert sink.counts["quarantined:MedicationRequest"] == 1


def test_bundle_with_urn_uuid_references(tmp_path: Path) -> None:
    patient = {k: v for k, v in PATIENT.items() if k != "id"}
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111",
                "resource": _med(
                    "mr", medicationReference={"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"}
                )
                | {"subject": {"reference": "urn:uuid:33333333-3333-4333-8333-333333333333"}},
            },
            {
                "fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222",
                "resource": {
                    "resourceType": "Medication",
                    "code": {
                        "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1191"}]
                    },
                },
            },
            {"fullUrl": "urn:uuid:33333333-3333-4333-8333-333333333333", "resource": patient},
            {
                "fullUrl": "urn:uuid:44444444-4444-4444-8444-444444444444",
                "resource": {
                    "resourceType": "Condition",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I50.9"}]},
                    "subject": {"reference": "urn:uuid:33333333-3333-4333-8333-333333333333"},
                    "onsetDateTime": "2018-07",
                },
            },
        ],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    reader, sink = FhirReader(), MemorySink()
    assert reader.claims(path)
    reader.read(path, sink)
    assert sink.quarantined == []
    key = "fhir:Patient/33333333-3333-4333-8333-333333333333"
    assert sink.links == {key: MRN_KEY}
    assert SourceEvent(key, dt.datetime(2019, 1, 1), "RXNORM/1191") in sink.events
    assert SourceEvent(key, dt.datetime(2018, 7, 1), "ICD10CM/I50.9") in sink.events


def test_notes_reports_imaging_consent_and_more(tmp_path: Path) -> None:
    note = "Patient well.\nNo chest pain."
    b64 = base64.b64encode(note.encode()).decode()
    ref = {"reference": f"Patient/{PID}"}
    resources = [
        {
            "resourceType": "DocumentReference",
            "id": "d",
            "status": "current",
            "type": {"coding": [{"system": LOINC, "code": "11506-3"}]},
            "subject": ref,
            "date": "2019-01-01T12:00:00Z",
            "content": [{"attachment": {"contentType": "text/plain", "data": b64}}],
        },
        {
            "resourceType": "DocumentReference",
            "id": "d2",
            "status": "current",
            "subject": ref,
            "date": "2019-01-01T12:00:00Z",
            "content": [{"attachment": {"contentType": "text/plain", "url": "note.txt"}}],
        },
        {
            "resourceType": "DiagnosticReport",
            "id": "r",
            "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "18748-4"}]},
            "subject": ref,
            "issued": "2019-01-02T00:00:00Z",
            "presentedForm": [{"contentType": "text/plain", "data": b64}],
        },
        {
            "resourceType": "ImagingStudy",
            "id": "i",
            "status": "available",
            "identifier": [{"system": "urn:dicom:uid", "value": "urn:oid:1.2.3.4"}],
            "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "DX"}],
            "subject": ref,
            "started": "2019-01-03T00:00:00Z",
        },
        {
            "resourceType": "Consent",
            "id": "c",
            "status": "active",
            "scope": {"coding": [{"code": "research"}]},
            "patient": ref,
            "dateTime": "2018-01-01",
            "provision": {"type": "deny"},
        },
        {
            "resourceType": "Encounter",
            "id": "e",
            "status": "finished",
            "class": {"code": "IMP"},
            "subject": ref,
            "period": {"start": "2019-01-01T00:00:00Z", "end": "2019-01-05T00:00:00Z"},
        },
        {
            "resourceType": "Procedure",
            "id": "pr",
            "status": "completed",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "40701008"}]},
            "subject": ref,
            "performedPeriod": {"start": "2019-01-02T00:00:00Z"},
        },
        {
            "resourceType": "AllergyIntolerance",
            "id": "a",
            "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "7980"}]},
            "patient": ref,
            "recordedDate": "2010-01-01",
        },
        {
            "resourceType": "Immunization",
            "id": "im",
            "status": "completed",
            "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "208"}]},
            "patient": ref,
            "occurrenceDateTime": "2021-01-01",
        },
        {
            "resourceType": "MedicationStatement",
            "id": "ms",
            "status": "active",
            "medicationCodeableConcept": {
                "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "6918"}]
            },
            "subject": ref,
            "effectivePeriod": {"start": "2019-02-01"},
        },
    ]
    (tmp_path / "note.txt").write_text("from a file")
    sink = read_lines(tmp_path, resources)
    assert sink.quarantined == []
    got = {(e.code, e.text_value, e.modality) for e in sink.events}
    assert ("LOINC/11506-3", note, Modality.TEXT) in got
    assert ("DOCUMENT/note", "from a file", Modality.TEXT) in got
    assert ("LOINC/18748-4", note, Modality.TEXT) in got
    assert ("IMAGING_STUDY/DX", "1.2.3.4", Modality.IMAGE) in got
    codes = Counter(e.code for e in sink.events)
    for code in (
        "CONSENT/research/deny",
        "ENCOUNTER/IMP",
        "ENCOUNTER_END/IMP",
        "SNOMED/40701008",
        "ALLERGY/RXNORM/7980",
        "CVX/208",
        "RXNORM/6918",
    ):
        assert codes[code] == 1, code


def test_parse_time() -> None:
    assert parse_time("2019") == dt.datetime(2019, 1, 1)
    assert parse_time("2019-07") == dt.datetime(2019, 7, 1)
    assert parse_time("2019-07-04T23:30:00-01:00") == dt.datetime(2019, 7, 5, 0, 30)
    assert parse_time("2019-07-04T23:30:00.25Z") == dt.datetime(2019, 7, 4, 23, 30, 0, 250000)


# ---------------------------------------------------------------------- the virtual cohort


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch()
    out = tmp_path_factory.mktemp("fhir_cohort")
    synthesize(SynthConfig(patients=5, seed=11, out=out, workers=1), force=True)
    return out


@pytest.fixture(scope="module")
def cohort_sink(cohort: Path) -> MemorySink:
    reader, sink = FhirReader(), MemorySink()
    assert reader.claims(cohort / "fhir")
    reader.read(cohort / "fhir", sink)
    return sink


def test_cohort_ingests_without_quarantine(cohort: Path, cohort_sink: MemorySink) -> None:
    sink = cohort_sink
    assert sink.quarantined == []
    manifest = json.loads((cohort / "fhir" / "manifest.json").read_text())
    for out in manifest["output"]:
        assert sink.counts[f"read:{out['type']}"] == out["count"]
        assert sink.counts[f"ingested:{out['type']}"] == out["count"]
    assert len(sink.links) == 5
    assert {e.subject_key for e in sink.events} <= set(sink.links) | set(sink.links.values())
    assert any(e.modality == Modality.TEXT for e in sink.events)
    assert any(e.modality == Modality.IMAGE and e.text_value for e in sink.events)


def test_cohort_patients_carry_site_and_race_only_at_us_sites(cohort_sink: MemorySink) -> None:
    static: dict[str, set[str]] = {}
    for e in cohort_sink.events:
        if e.time is None and e.code.startswith(("SITE/", "RACE/", "ETHNICITY/")):
            static.setdefault(e.subject_key, set()).add(e.code)
    assert len(static) == 5
    for codes in static.values():
        (site,) = (c for c in codes if c.startswith("SITE/"))
        assert site in {"SITE/Cleveland", "SITE/Hungary", "SITE/Switzerland", "SITE/VA_Long_Beach"}
        us = site in {"SITE/Cleveland", "SITE/VA_Long_Beach"}
        assert len([c for c in codes if c.startswith("ETHNICITY/")]) == us
        assert any(c.startswith("RACE/") for c in codes) <= us  # "Other Race" alone has no OMB category


def _timeline(subject_id: int, events: list[SourceEvent]) -> PatientTimeline:
    ordered = sorted(events, key=lambda e: (e.time is not None, e.time or dt.datetime.min, e.code))
    cols = {
        "subject_id": [subject_id] * len(ordered),
        "time": [e.time for e in ordered],
        "code": [e.code for e in ordered],
        "numeric_value": [e.numeric_value for e in ordered],
        "text_value": [e.text_value for e in ordered],
        "modality": [Modality(e.modality).value for e in ordered],
        "blob": [e.blob for e in ordered],
    }
    return PatientTimeline(subject_id, pa.table(cols, schema=EVENT_SCHEMA))


def _content(timeline: PatientTimeline) -> Counter[tuple[Any, ...]]:
    return Counter(
        (e.time, e.code, e.numeric_value, e.text_value, e.modality, e.blob) for e in timeline.events()
    )


def test_round_trip_export_then_reingest(tmp_path: Path, cohort_sink: MemorySink) -> None:
    from fhir.resources.R4B.bundle import Bundle

    links = cohort_sink.links
    by_patient: dict[str, list[SourceEvent]] = {}
    for e in cohort_sink.events:
        by_patient.setdefault(links.get(e.subject_key, e.subject_key), []).append(e)
    extra = [
        SourceEvent("k", dt.datetime(2020, 1, 1, 10, 30), "CONSENT/research/permit"),
        SourceEvent("k", None, "MEDS_DEATH"),
        SourceEvent("k", None, "STATIC/flag", 1.0),
        SourceEvent("k", dt.datetime(2020, 1, 2), "LOINC/2345-7", 5.25, "<"),
        SourceEvent("k", dt.datetime(2020, 1, 3), "CXR", None, "1.2.3", Modality.IMAGE, "blob://sha256/ab"),
        SourceEvent("k", dt.datetime(2020, 1, 4), "ENCOUNTER_END/AMB"),
        SourceEvent("k", dt.datetime(2020, 1, 4), "CVX/208"),
        SourceEvent("k", dt.datetime(2020, 1, 5), "ALLERGY/RXNORM/7980"),
        SourceEvent("k", dt.datetime(2020, 1, 6), "NOTE/x", None, "text", Modality.TEXT),
        SourceEvent("k", dt.datetime(2020, 1, 7), "SIG", None, None, Modality.SIGNAL, "blob://sha256/cd"),
    ]
    for n, events in enumerate([*by_patient.values(), extra]):
        timeline = _timeline(1000 + n, events)
        bundle = timeline_to_bundle(timeline)
        Bundle.model_validate(bundle)
        path = tmp_path / f"export-{n}.json"
        path.write_text(json.dumps(bundle))
        sink = MemorySink()
        FhirReader().read(path, sink)
        assert sink.quarantined == []
        assert {e.subject_key for e in sink.events} == {f"fhir:Patient/{1000 + n}"}
        assert _content(_timeline(1000 + n, sink.events)) == _content(timeline)


def test_risk_assessment_validates() -> None:
    from fhir.resources.R4B.riskassessment import RiskAssessment

    res = risk_assessment(
        "Patient/123",
        0.82,
        model="hf-risk",
        version="1.0.0",
        threshold=0.5,
        basis=["Observation/a", "Condition/b"],
        contributors=[("LOINC/33762-6", 0.31), ("AGE", -0.05)],
        occurrence=dt.datetime(2024, 6, 30, 12),
    )
    model = RiskAssessment.model_validate(res)
    assert float(model.prediction[0].probabilityDecimal) == pytest.approx(0.82)
    assert res["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "high"
    with pytest.raises(ValueError, match="probability"):
        risk_assessment(
            "Patient/1",
            1.5,
            model="m",
            version="v",
            threshold=0.5,
            basis=[],
            contributors=[],
            occurrence=dt.datetime(2024, 1, 1),
        )
