"""OMOP CDM v5.4 — a DuckDB file, or a folder of CSV / Parquet tables — into MEDS events.

DuckDB does the parsing and the concept joins; Python only walks the result rows. Concept ids
become `<vocabulary>/<concept_code>` when a `concept` table is present, `OMOP/<id>` otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.ingest.tables import UnitNormaliser, canonical_value
from healthfm.registry import READERS
from healthfm.schema import BIRTH_CODE, DEATH_CODE

if TYPE_CHECKING:  # duckdb is imported when a CDM is read, so the package imports without it
    import duckdb

GENDERS = {8507: "M", 8532: "F"}
BATCH_ROWS = 65_536
_TABLE_FILES = (".csv", ".parquet")


@dataclass(frozen=True)
class CdmTable:
    """Where one clinical CDM table keeps its concept, time and values."""

    name: str
    id_column: str | None
    concept: str
    source_value: str
    date: str
    datetime: str
    number: str | None = None
    string: str | None = None
    value_concept: str | None = None
    unit_concept: str | None = None
    unit_source: str | None = None


EVENT_TABLES = (
    CdmTable(
        "visit_occurrence",
        "visit_occurrence_id",
        "visit_concept_id",
        "visit_source_value",
        "visit_start_date",
        "visit_start_datetime",
    ),
    CdmTable(
        "condition_occurrence",
        "condition_occurrence_id",
        "condition_concept_id",
        "condition_source_value",
        "condition_start_date",
        "condition_start_datetime",
    ),
    CdmTable(
        "drug_exposure",
        "drug_exposure_id",
        "drug_concept_id",
        "drug_source_value",
        "drug_exposure_start_date",
        "drug_exposure_start_datetime",
    ),
    CdmTable(
        "measurement",
        "measurement_id",
        "measurement_concept_id",
        "measurement_source_value",
        "measurement_date",
        "measurement_datetime",
        number="value_as_number",
        value_concept="value_as_concept_id",
        unit_concept="unit_concept_id",
        unit_source="unit_source_value",
    ),
    CdmTable(
        "observation",
        "observation_id",
        "observation_concept_id",
        "observation_source_value",
        "observation_date",
        "observation_datetime",
        number="value_as_number",
        string="value_as_string",
        value_concept="value_as_concept_id",
        unit_concept="unit_concept_id",
        unit_source="unit_source_value",
    ),
    CdmTable(
        "procedure_occurrence",
        "procedure_occurrence_id",
        "procedure_concept_id",
        "procedure_source_value",
        "procedure_date",
        "procedure_datetime",
    ),
    CdmTable("death", None, "cause_concept_id", "cause_source_value", "death_date", "death_datetime"),
)
CDM_TABLES = ("person", *(t.name for t in EVENT_TABLES))


def vocabulary_prefix(vocabulary_id: str) -> str:
    """`RxNorm` → `RXNORM`, `RxNorm Extension` → `RXNORM_EXTENSION`, `ICD10CM` → `ICD10CM`."""
    return vocabulary_id.strip().upper().replace(" ", "_")


def _table_files(folder: Path) -> dict[str, Path]:
    """CDM tables in a folder by lower-case name (`PERSON.csv` and `person.parquet` both count)."""
    found: dict[str, Path] = {}
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() in _TABLE_FILES:
            found.setdefault(file.stem.lower(), file)
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Cdm:
    """A DuckDB connection with every CDM table found, by lower-case name, and its columns."""

    def __init__(self, path: Path) -> None:
        import duckdb

        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")  # TIMESTAMPTZ → naive UTC on cast
        self.tables: dict[str, str] = {}
        if path.is_dir():
            for name, file in _table_files(path).items():
                literal = "'" + str(file).replace("'", "''") + "'"
                if file.suffix.lower() == ".csv":
                    self.tables[name] = f"read_csv({literal}, header = true, all_varchar = true)"
                else:
                    self.tables[name] = f"read_parquet({literal})"
        else:
            self.con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS cdm (READ_ONLY)")
            rows = self.con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = 'cdm' "
                "ORDER BY table_schema <> 'main', table_schema"
            ).fetchall()
            for schema, table in rows:
                self.tables.setdefault(str(table).lower(), f"cdm.{_quote(schema)}.{_quote(table)}")
        self.columns = {name: self._columns(ref) for name, ref in self.tables.items()}
        if "concept" in self.tables:
            concept = self.column_ref("concept")
            self.con.execute(
                "CREATE TEMP TABLE _concept AS SELECT DISTINCT ON (id) * FROM (SELECT "
                f"TRY_CAST({concept('concept_id')} AS BIGINT) AS id, "
                f"CAST({concept('vocabulary_id')} AS VARCHAR) AS vocabulary, "
                f"CAST({concept('concept_code')} AS VARCHAR) AS code FROM {self.tables['concept']}) "
                "WHERE id IS NOT NULL"
            )

    def _columns(self, ref: str) -> dict[str, str]:
        description = self.con.execute(f"SELECT * FROM {ref} LIMIT 0").description or []
        return {str(d[0]).lower(): str(d[0]) for d in description}

    def column_ref(self, table: str, alias: str = "") -> Any:
        """A function from a CDM column name to its SQL reference, or NULL when the table lacks it."""
        columns = self.columns[table]

        def ref(name: str | None) -> str:
            if name is None or name not in columns:
                return "NULL"
            return f"{alias}.{_quote(columns[name])}" if alias else _quote(columns[name])

        return ref

    def rows(self, sql: str) -> Iterator[dict[str, Any]]:
        reader: Any = self.con.sql(sql).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            yield from batch.to_pylist()

    def close(self) -> None:
        self.con.close()


@READERS.register("omop")
class OmopReader(Reader):
    """OMOP CDM v5.4 from a `.duckdb` file or a folder holding `person.csv|parquet` and its peers.

    Subjects are keyed `omop:person/<person_id>`. `normalise_unit` is as for `TableReader`.
    """

    name: ClassVar[str] = "omop"

    def __init__(self, normalise_unit: UnitNormaliser | None = canonical_value) -> None:
        self.normalise_unit = normalise_unit

    def claims(self, path: Path) -> bool:
        if path.is_dir():
            return "person" in _table_files(path)
        return path.is_file() and path.suffix.lower() == ".duckdb"

    def read(self, path: Path, sink: IngestSink) -> None:
        try:
            cdm = _Cdm(path)
        except ImportError:
            sink.quarantine(path, "file", "reading OMOP needs the duckdb package: pip install duckdb")
            return
        except Exception as exc:  # duckdb raises its own hierarchy for unreadable files
            sink.quarantine(path, "file", f"cannot open OMOP CDM: {exc}")
            return
        try:
            if "person" not in cdm.tables:
                sink.quarantine(path, "file", "no person table: not an OMOP CDM")
                return
            for table in ("person", *(t.name for t in EVENT_TABLES)):
                if table not in cdm.tables:
                    continue
                try:
                    if table == "person":
                        self._read_person(cdm, path, sink)
                    else:
                        spec = next(t for t in EVENT_TABLES if t.name == table)
                        self._read_events(cdm, spec, path, sink)
                except Exception as exc:  # an unreadable table (bad CSV, wrong type) must not stop the others
                    sink.quarantine(path, table, f"cannot read table {table}: {exc}")
        finally:
            cdm.close()

    def _read_person(self, cdm: _Cdm, path: Path, sink: IngestSink) -> None:
        p = cdm.column_ref("person", "p")
        has_concept = "concept" in cdm.tables
        sql = (
            f"SELECT CAST({p('person_id')} AS VARCHAR) AS person, "
            f"TRY_CAST({p('gender_concept_id')} AS BIGINT) AS gender, "
            f"{'g.code' if has_concept else 'NULL'} AS gender_code, "
            f"CAST({p('year_of_birth')} AS VARCHAR) AS year_raw, "
            f"TRY_CAST({p('year_of_birth')} AS INTEGER) AS year, "
            f"TRY_CAST({p('month_of_birth')} AS INTEGER) AS month, "
            f"TRY_CAST({p('day_of_birth')} AS INTEGER) AS day, "
            f"CAST({p('birth_datetime')} AS VARCHAR) AS birth_raw, "
            f"TRY_CAST({p('birth_datetime')} AS TIMESTAMP) AS birth "
            f"FROM {cdm.tables['person']} AS p"
        )
        if has_concept:
            sql += f" LEFT JOIN _concept AS g ON g.id = TRY_CAST({p('gender_concept_id')} AS BIGINT)"
        n = ingested = 0
        for n, row in enumerate(cdm.rows(sql), start=1):
            reason, birth = _birth(row)
            if not _integer(row["person"]):
                reason = "missing or non-integer person_id"
            if reason is not None:
                sink.quarantine(path, f"person row {n}", reason, _excerpt(row))
                continue
            key = f"omop:person/{int(row['person'])}"
            sink.emit(SourceEvent(key, birth, BIRTH_CODE))
            gender = GENDERS.get(row["gender"]) or row["gender_code"]
            if gender:
                sink.emit(SourceEvent(key, None, f"GENDER/{gender}"))
            elif row["gender"]:
                sink.emit(SourceEvent(key, None, f"OMOP/{row['gender']}"))
            else:
                sink.count("unmapped:person")
            ingested += 1
        sink.count("read:person", n)
        sink.count("ingested:person", ingested)

    def _read_events(self, cdm: _Cdm, spec: CdmTable, path: Path, sink: IngestSink) -> None:
        t = cdm.column_ref(spec.name, "t")
        has_concept = "concept" in cdm.tables
        joins = ""
        selects = [
            f"CAST({t(spec.id_column)} AS VARCHAR) AS id",
            f"CAST({t('person_id')} AS VARCHAR) AS person",
            f"CAST({t(spec.concept)} AS VARCHAR) AS concept_raw",
            f"TRY_CAST({t(spec.concept)} AS BIGINT) AS concept",
            f"CAST({t(spec.source_value)} AS VARCHAR) AS source_value",
            f"CAST({t(spec.datetime)} AS VARCHAR) AS datetime_raw",
            f"CAST({t(spec.date)} AS VARCHAR) AS date_raw",
            f"COALESCE(TRY_CAST({t(spec.datetime)} AS TIMESTAMP), "
            f"TRY_CAST({t(spec.date)} AS TIMESTAMP)) AS time",
            f"CAST({t(spec.number)} AS VARCHAR) AS number_raw",
            f"TRY_CAST({t(spec.number)} AS DOUBLE) AS number",
            f"CAST({t(spec.string)} AS VARCHAR) AS string",
            f"TRY_CAST({t(spec.value_concept)} AS BIGINT) AS value_concept",
            f"CAST({t(spec.unit_source)} AS VARCHAR) AS unit_source",
        ]
        for alias, column in (("c", spec.concept), ("v", spec.value_concept), ("u", spec.unit_concept)):
            if has_concept:
                selects += [f"{alias}.vocabulary AS {alias}_vocabulary", f"{alias}.code AS {alias}_code"]
                joins += f" LEFT JOIN _concept AS {alias} ON {alias}.id = TRY_CAST({t(column)} AS BIGINT)"
            else:
                selects += [f"NULL AS {alias}_vocabulary", f"NULL AS {alias}_code"]
        sql = f"SELECT {', '.join(selects)} FROM {cdm.tables[spec.name]} AS t{joins}"
        n = ingested = unmapped = unchecked = 0
        for n, row in enumerate(cdm.rows(sql), start=1):
            location = f"{spec.id_column} {row['id']}" if row["id"] else f"{spec.name} row {n}"
            reason = _event_problem(row, spec)
            if reason is not None:
                sink.quarantine(path, location, reason, _excerpt(row))
                continue
            key = f"omop:person/{int(row['person'])}"
            code = _code(row["concept"], row["c_vocabulary"], row["c_code"])
            if spec.name == "death":
                sink.emit(SourceEvent(key, row["time"], DEATH_CODE))
                if row["concept"]:  # a cause of death, when one is recorded
                    sink.emit(SourceEvent(key, row["time"], code or f"OMOP/{row['concept']}"))
                ingested += 1
                continue
            if code is None:
                unmapped += 1
                code = f"{spec.name}/{row['source_value']}" if row["source_value"] else "OMOP/0"
            value: float | None = row["number"]
            text: str | None = row["string"]
            if text is None and row["value_concept"]:
                text = _code(row["value_concept"], row["v_vocabulary"], row["v_code"])
            unit = row["u_code"] or row["unit_source"]
            if value is not None and unit:
                if self.normalise_unit is None:
                    unchecked += 1
                else:
                    try:
                        value = self.normalise_unit(code, value, unit)
                    except ValueError as exc:
                        sink.quarantine(
                            path, location, f"unknown unit {unit!r} for {code}: {exc}", _excerpt(row)
                        )
                        continue
            sink.emit(SourceEvent(key, row["time"], code, value, text))
            ingested += 1
        sink.count(f"read:{spec.name}", n)
        sink.count(f"ingested:{spec.name}", ingested)
        if unmapped:
            sink.count(f"unmapped:{spec.name}", unmapped)
        if unchecked:
            sink.count(f"unit-unchecked:{spec.name}", unchecked)


def _code(concept: int | None, vocabulary: str | None, code: str | None) -> str | None:
    """The vocabulary code of a concept; `OMOP/<id>` when unknown; None for concept 0 or none."""
    if not concept:
        return None
    if vocabulary and code:
        return f"{vocabulary_prefix(vocabulary)}/{code}"
    return f"OMOP/{concept}"


def _integer(text: str | None) -> bool:
    return text is not None and text.strip().lstrip("-").isdigit()


def _birth(row: dict[str, Any]) -> tuple[str | None, dt.datetime | None]:
    """The birth time from birth_datetime, else year/month/day (month and day default to 1)."""
    if row["birth"] is not None:
        return None, row["birth"]
    if row["birth_raw"] is not None and row["year"] is None:
        return "unparseable birth_datetime", None
    if row["year"] is None:
        return ("non-integer year_of_birth" if row["year_raw"] else "missing year_of_birth"), None
    try:
        return None, dt.datetime(row["year"], row["month"] or 1, row["day"] or 1)
    except ValueError:
        return f"invalid birth date {row['year']}-{row['month']}-{row['day']}", None


def _event_problem(row: dict[str, Any], spec: CdmTable) -> str | None:
    if not _integer(row["person"]):
        return "missing or non-integer person_id"
    if row["time"] is None and (row["datetime_raw"] or row["date_raw"]):
        return f"unparseable {spec.datetime if row['datetime_raw'] else spec.date}"
    if row["time"] is None:
        return f"missing {spec.date}"
    if row["concept_raw"] is not None and row["concept"] is None:
        return f"non-integer {spec.concept}"
    if row["number_raw"] is not None and row["number"] is None:
        return f"non-numeric {spec.number}"
    if row["number"] is not None and row["number"] != row["number"]:
        return f"NaN {spec.number}"
    return None


def _excerpt(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if v is not None}, default=str)
