"""OmopReader on a tiny CDM written here: CSV folder, Parquet, DuckDB file, with and without concepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healthfm.ingest.base import MemorySink
from healthfm.ingest.omop import OmopReader

duckdb = pytest.importorskip("duckdb")

TABLES = {
    "person": "person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime\n"
    "1,8507,1950,3,,\n2,8532,1960,,,1960-05-06 07:08:00\n,8507,1970,,,\n3,8532,,,,\n",
    "visit_occurrence": "visit_occurrence_id,person_id,visit_concept_id,visit_start_date,"
    "visit_start_datetime\n"
    "10,1,9201,2020-01-01,2020-01-01 08:00:00\n",
    "condition_occurrence": "condition_occurrence_id,person_id,condition_concept_id,condition_start_date,"
    "condition_source_value\n20,1,320128,2020-01-02,I10\n21,1,0,2020-01-02,X99\n22,1,0,2020-01-02,\n"
    "23,1,320128,not-a-date,I10\n24,,320128,2020-01-02,I10\n",
    "drug_exposure": "drug_exposure_id,person_id,drug_concept_id,drug_exposure_start_date\n"
    "30,2,1503297,2020-02-01\n",
    "measurement": "measurement_id,person_id,measurement_concept_id,measurement_date,value_as_number,"
    "unit_source_value,value_as_concept_id\n40,1,3004410,2020-01-03,7.1,%,\n41,1,3004410,2020-01-03,high,%,\n"
    "42,1,3004410,,5,%,\n43,2,3004410,2020-01-03,,,45884084\n",
    "observation": "observation_id,person_id,observation_concept_id,observation_date,value_as_string\n"
    "50,2,4275495,2020-03-01,smoker\n",
    "procedure_occurrence": "procedure_occurrence_id,person_id,procedure_concept_id,procedure_date\n"
    "60,2,4336464,2020-04-01\n",
    "death": "person_id,death_date,cause_concept_id\n2,2021-01-01,320128\n",
}
CONCEPTS = (
    "concept_id,concept_name,vocabulary_id,concept_code\n320128,Hypertension,SNOMED,38341003\n"
    "3004410,HbA1c,LOINC,4548-4\n1503297,Metformin,RxNorm,6809\n9201,Inpatient,Visit,IP\n"
    "45884084,Positive,LOINC,LA6576-8\n8507,MALE,Gender,M\n"
)


def write_cdm(folder: Path, concepts: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TABLES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    if concepts:
        (folder / "concept.csv").write_text(CONCEPTS, encoding="utf-8")
    return folder


def write_duckdb(path: Path, csv_folder: Path) -> Path:
    con = duckdb.connect(str(path))
    for file in csv_folder.glob("*.csv"):
        con.execute(f"CREATE TABLE {file.stem} AS SELECT * FROM read_csv('{file}', header = true)")
    con.close()
    return path


def read(path: Path) -> MemorySink:
    reader, sink = OmopReader(normalise_unit=None), MemorySink()
    assert reader.claims(path)
    reader.read(path, sink)
    return sink


def codes(sink: MemorySink, key: str) -> list[str]:
    return [e.code for e in sink.events if e.subject_key == key]


def check_mapped(sink: MemorySink) -> None:
    p1, p2 = "omop:person/1", "omop:person/2"
    assert codes(sink, p1) == [
        "MEDS_BIRTH",
        "GENDER/M",
        "VISIT/IP",
        "SNOMED/38341003",
        "condition_occurrence/X99",
        "OMOP/0",
        "LOINC/4548-4",
    ]
    assert codes(sink, p2) == [
        "MEDS_BIRTH",
        "GENDER/F",
        "RXNORM/6809",
        "LOINC/4548-4",
        "OMOP/4275495",
        "OMOP/4336464",
        "MEDS_DEATH",
        "SNOMED/38341003",
    ]
    by_code = {(e.subject_key, e.code): e for e in sink.events}
    assert by_code[(p1, "MEDS_BIRTH")].time == dt.datetime(1950, 3, 1)
    assert by_code[(p2, "MEDS_BIRTH")].time == dt.datetime(1960, 5, 6, 7, 8)
    assert by_code[(p1, "VISIT/IP")].time == dt.datetime(2020, 1, 1, 8)
    assert by_code[(p1, "LOINC/4548-4")].numeric_value == pytest.approx(7.1)
    assert by_code[(p2, "LOINC/4548-4")].text_value == "LOINC/LA6576-8"
    assert by_code[(p2, "OMOP/4275495")].text_value == "smoker"
    assert by_code[(p2, "MEDS_DEATH")].time == dt.datetime(2021, 1, 1)
    reasons = sorted((q.location, q.reason) for q in sink.quarantined)
    assert reasons == [
        ("condition_occurrence_id 23", "unparseable condition_start_date"),
        ("condition_occurrence_id 24", "missing or non-integer person_id"),
        ("measurement_id 41", "non-numeric value_as_number"),
        ("measurement_id 42", "missing measurement_date"),
        ("person row 3", "missing or non-integer person_id"),
        ("person row 4", "missing year_of_birth"),
    ]
    assert sink.counts["read:condition_occurrence"] == 5 and sink.counts["ingested:condition_occurrence"] == 3
    assert sink.counts["unmapped:condition_occurrence"] == 2
    assert sink.counts["read:person"] == 4 and sink.counts["ingested:person"] == 2
    assert sink.counts["unit-unchecked:measurement"] == 1


def test_csv_folder_with_concepts(tmp_path: Path) -> None:
    check_mapped(read(write_cdm(tmp_path / "cdm")))


def test_duckdb_file(tmp_path: Path) -> None:
    db = write_duckdb(tmp_path / "cdm.duckdb", write_cdm(tmp_path / "cdm"))
    check_mapped(read(db))


def test_parquet_folder(tmp_path: Path) -> None:
    csv = write_cdm(tmp_path / "csv")
    out = tmp_path / "pq"
    out.mkdir()
    for file in csv.glob("*.csv"):
        duckdb.execute(
            f"COPY (SELECT * FROM read_csv('{file}', header = true)) TO '{out / file.stem}.parquet'"
        )
    check_mapped(read(out))


def test_without_concept_table_keeps_omop_ids(tmp_path: Path) -> None:
    sink = read(write_cdm(tmp_path / "cdm", concepts=False))
    assert codes(sink, "omop:person/1") == [
        "MEDS_BIRTH",
        "GENDER/M",
        "OMOP/9201",
        "OMOP/320128",
        "condition_occurrence/X99",
        "OMOP/0",
        "OMOP/3004410",
    ]


def test_unit_normaliser_and_claims(tmp_path: Path) -> None:
    folder = write_cdm(tmp_path / "cdm")

    def reject(code: str, value: float, unit: str) -> float:
        raise ValueError("no")

    sink = MemorySink()
    OmopReader(normalise_unit=reject).read(folder, sink)
    assert any(q.location == "measurement_id 40" and "unknown unit '%'" in q.reason for q in sink.quarantined)
    assert not OmopReader().claims(tmp_path)  # no person table
    assert not OmopReader().claims(folder / "person.csv")


def test_unreadable_duckdb_is_quarantined(tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database")
    sink = MemorySink()
    OmopReader().read(bad, sink)
    assert sink.quarantined[0].location == "file" and not sink.events
