"""TableReader: mapping files, streaming CSV / Parquet, and every quarantine reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from healthfm.errors import DataError
from healthfm.ingest.base import MemorySink
from healthfm.ingest.tables import TableMapping, TableReader
from healthfm.schema import Modality

MAPPING = """
patient: {column: mrn, namespace: "mrn:HOSP"}
time: {column: taken, timezone: Europe/Berlin}
code: {column: test, prefix: LOINC}
numeric_value: result
text_value: comment
unit: unit
static: {sex: GENDER}
"""

CSV = """mrn,taken,test,result,unit,sex,comment
1,2024-01-02 10:00,2160-0,1.1,mg/dL,F,ok
1,2024-01-02T10:00:00+00:00,2160-0,2,mg/dL,F,
2,2024-01-02 10:00,2160-0,abc,mg/dL,M,
,2024-01-02 10:00,2160-0,1,mg/dL,M,
3,notatime,2160-0,1,mg/dL,M,
4,,2160-0,1,mg/dL,M,
5,2024-01-03 10:00,,1,mg/dL,F,
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_mapping_file(tmp_path: Path) -> None:
    table = write(tmp_path, "labs.csv", CSV)
    write(tmp_path, "labs.mapping.yaml", MAPPING)
    reader, sink = TableReader(normalise_unit=None), MemorySink()
    assert reader.claims(table)
    reader.read(table, sink)
    assert sink.events[0].code == "GENDER/F" and sink.events[0].time is None
    first, second = sink.events[1], sink.events[2]
    assert first.subject_key == "mrn:HOSP|1" and first.code == "LOINC/2160-0"
    assert first.time == dt.datetime(2024, 1, 2, 9, 0)  # Berlin → UTC
    assert first.numeric_value == pytest.approx(1.1) and first.text_value == "ok"
    assert second.time == dt.datetime(2024, 1, 2, 10, 0)  # explicit offset wins over the zone
    assert len(sink.events) == 3  # one GENDER per patient, not per row
    reasons = {q.location: q.reason for q in sink.quarantined}
    assert reasons == {
        "row 3": "non-numeric value (result)",
        "row 4": "missing patient (mrn)",
        "row 5": "unparseable time (taken)",
        "row 6": "missing time (taken)",
        "row 7": "missing code (test)",
    }
    assert '"result": "abc"' in sink.quarantined[0].excerpt
    assert sink.counts["read:labs"] == 7 and sink.counts["ingested:labs"] == 2
    assert sink.counts["unit-unchecked:labs"] == 2


def test_unit_normaliser_converts_and_quarantines(tmp_path: Path) -> None:
    table = write(tmp_path, "t.csv", "id,code,v,u\n1,A,1,g\n2,A,1,furlong\n")
    write(
        tmp_path,
        "t.healthfm.yaml",
        "patient: id\ncode: {column: code, prefix: X/}\nnumeric_value: v\nunit: u\n",
    )

    def grams(code: str, value: float, unit: str) -> float:
        if unit != "g":
            raise ValueError("not grams")
        return value * 1000

    sink = MemorySink()
    TableReader(normalise_unit=grams).read(table, sink)
    assert [(e.subject_key, e.code, e.time, e.numeric_value) for e in sink.events] == [
        ("table:t|1", "X/A", None, 1000.0)
    ]
    assert sink.quarantined[0].location == "row 2" and "unknown unit 'furlong'" in sink.quarantined[0].reason


def test_parquet_fixed_code_and_batches(tmp_path: Path) -> None:
    times = pa.array([dt.datetime(2024, 1, 1, 8), None, dt.datetime(2024, 1, 3)], pa.timestamp("us", "UTC"))
    data = pa.table({"pid": [1, 2, 3], "at": times, "hr": [60.0, 70.0, float("nan")]})
    path = tmp_path / "vitals.parquet"
    pq.write_table(data, path)
    write(
        tmp_path,
        "vitals.mapping.yaml",
        "patient: pid\ntime: at\ncode: {fixed: LOINC/8867-4}\nnumeric_value: hr\n",
    )
    sink = MemorySink()
    TableReader(batch_rows=1).read(path, sink)
    assert [(e.subject_key, e.time, e.code) for e in sink.events] == [
        ("table:vitals|1", dt.datetime(2024, 1, 1, 8), "LOINC/8867-4")
    ]
    assert [(q.location, q.reason) for q in sink.quarantined] == [
        ("row 2", "missing time (at)"),
        ("row 3", "non-finite value (hr)"),
    ]


def test_time_format_and_text_modality(tmp_path: Path) -> None:
    table = write(tmp_path, "n.csv", "id,when,body\n7,03/02/2024 14:30,hello\n8,2024-02-03,x\n")
    mapping = TableMapping(
        name="n",
        patient_column="id",
        time_column="when",
        time_format="%d/%m/%Y %H:%M",
        code="NOTE/free",
        text_value="body",
        modality=Modality.TEXT,
    )
    reader, sink = TableReader(mapping), MemorySink()
    assert reader.claims(table)  # a given mapping claims any table
    reader.read(table, sink)
    assert sink.events[0].time == dt.datetime(2024, 2, 3, 14, 30)
    assert sink.events[0].modality is Modality.TEXT and sink.events[0].text_value == "hello"
    assert sink.quarantined[0].reason == "unparseable time (when)"


def test_claims_needs_a_mapping(tmp_path: Path) -> None:
    table = write(tmp_path, "x.csv", "a\n1\n")
    assert not TableReader().claims(table)
    assert not TableReader().claims(write(tmp_path, "x.txt", "a"))


def test_missing_column_and_broken_mapping_are_quarantined(tmp_path: Path) -> None:
    table = write(tmp_path, "a.csv", "id,code\n1,x\n")
    write(tmp_path, "a.mapping.yaml", "patient: id\ncode: code\nnumeric_value: value\n")
    sink = MemorySink()
    TableReader().read(table, sink)
    assert sink.quarantined[0].location == "header" and "['value']" in sink.quarantined[0].reason
    write(tmp_path, "a.mapping.yaml", "patient: id\ncode: code\ncolour: red\n")
    sink = MemorySink()
    TableReader().read(table, sink)
    assert sink.quarantined[0].location == "mapping" and "key 'colour'" in sink.quarantined[0].reason
    assert not sink.events


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("code: c\n", "patient.column"),
        ("patient: p\n", "code"),
        ("patient: p\ncode: {column: c, fixed: X/1}\n", "code"),
        ("patient: p\ncode: c\ntime: {column: t, timezone: Mars/Olympus}\n", "time.timezone"),
        ("patient: p\ncode: c\ntime: {column: t, format: yyyy-mm-dd}\n", "time.format"),
        ("patient: p\ncode: c\nmodality: smell\n", "modality"),
        ("patient: p\ncode: c\nstatic: {sex: GENDER/X}\n", "static.sex"),
        ("patient: {col: p}\ncode: c\n", "patient.col"),
        ("patient: p\ncode: c\nnumeric_value: [a, b]\n", "numeric_value"),
        ("patient: [p]\ncode: c\n", "patient"),
    ],
)
def test_mapping_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, "m.mapping.yaml", text)
    with pytest.raises(DataError, match=f"m.mapping.yaml: key '{key}'"):
        TableMapping.from_file(path)


def test_mapping_file_must_be_yaml_mapping(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="YAML mapping"):
        TableMapping.from_file(write(tmp_path, "m.mapping.yaml", "- a\n"))
    with pytest.raises(DataError, match="cannot read mapping"):
        TableMapping.from_file(write(tmp_path, "m.mapping.yaml", "a: [\n"))


def test_mapping_round_trip(tmp_path: Path) -> None:
    mapping = TableMapping.from_dict(
        {
            "patient": {"column": "p", "namespace": "mrn:S"},
            "time": "t",
            "code": {"column": "c", "prefix": "ICD10CM"},
            "static": {"sex": "GENDER"},
        },
        name="dx",
    )
    assert mapping.code_prefix == "ICD10CM/" and mapping.columns == ["p", "t", "c", "sex"]
    mapping.to_file(tmp_path / "dx.mapping.yaml")
    again = TableMapping.from_file(tmp_path / "dx.mapping.yaml")
    assert again == TableMapping(**{**vars(mapping), "source": str(tmp_path / "dx.mapping.yaml")})
    assert (again.namespace, again.time_column, dict(again.static)) == ("mrn:S", "t", {"sex": "GENDER"})
