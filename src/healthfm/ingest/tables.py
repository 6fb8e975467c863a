"""CSV and Parquet tables read through a declarative mapping file (`X.csv` + `X.mapping.yaml`).

The mapping names which column is the patient, the time, the code and the values; files are
streamed in record batches and parsed column-wise, so only bad rows cost Python per row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from healthfm.errors import DataError
from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.registry import READERS
from healthfm.schema import Modality

MAPPING_SUFFIXES = (".mapping.yaml", ".healthfm.yaml")
TABLE_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq")
BATCH_ROWS = 65_536

# (code, value, unit) -> value in the code's canonical unit; raises ValueError for an unknown unit.
UnitNormaliser = Callable[[str, float, str], float]


def canonical_value(code: str, value: float, unit: str) -> float:
    """The default `UnitNormaliser`: `healthfm.ingest.units`' canonical UCUM unit per code."""
    from healthfm.ingest.units import to_canonical

    return to_canonical(code, value, unit)[0]


def _table_stem(path: Path) -> str | None:
    name = path.name
    for suffix in TABLE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None


def find_mapping(path: Path) -> Path | None:
    """The mapping file next to a table (`X.mapping.yaml` or `X.healthfm.yaml`), if there is one."""
    stem = _table_stem(path)
    if stem is None:
        return None
    for suffix in MAPPING_SUFFIXES:
        candidate = path.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class TableMapping:
    """Which columns of one table hold the patient, time, code and values.

    `namespace` prefixes patient keys (`<namespace>|<value>`, default `table:<name>`); without a
    `time_column` rows are static facts. `code_prefix` is prepended to `code_column` values;
    `static` maps a column to a code prefix (`sex: GENDER` → `GENDER/F`, once per patient).
    """

    name: str
    patient_column: str
    code_column: str | None = None
    code: str | None = None
    code_prefix: str = ""
    namespace: str = ""
    time_column: str | None = None
    time_format: str | None = None
    timezone: str = "UTC"
    numeric_value: str | None = None
    text_value: str | None = None
    unit: str | None = None
    modality: Modality = Modality.EVENTS
    static: Mapping[str, str] = field(default_factory=dict)
    source: str = "<mapping>"

    def __post_init__(self) -> None:
        def fail(key: str, problem: str) -> DataError:
            return DataError(f"{self.source}: key '{key}': {problem}")

        if not self.name:
            raise fail("name", "must not be empty")
        if not self.patient_column:
            raise fail("patient.column", "is required")
        if (self.code_column is None) == (self.code is None):
            raise fail("code", "give exactly one of 'column' or 'fixed'")
        if self.code is not None and not self.code:
            raise fail("code.fixed", "must not be empty")
        if self.code_prefix and not self.code_prefix.endswith("/"):
            object.__setattr__(self, "code_prefix", self.code_prefix + "/")
        if not self.namespace:
            object.__setattr__(self, "namespace", f"table:{self.name}")
        if self.time_column is None and self.time_format is not None:
            raise fail("time.format", "needs time.column")
        if self.time_format is not None and "%" not in self.time_format:
            raise fail(
                "time.format", f"{self.time_format!r} is not a strptime format (e.g. '%Y-%m-%d %H:%M')"
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail("time.timezone", f"unknown time zone {self.timezone!r}") from None
        for key, prefix in self.static.items():
            if not prefix or "/" in prefix:
                raise fail(f"static.{key}", f"code prefix {prefix!r} must be a non-empty word like GENDER")

    @property
    def columns(self) -> list[str]:
        """Every column the mapping reads, once, in a stable order."""
        named = [self.patient_column, self.time_column, self.code_column, self.numeric_value]
        named += [self.text_value, self.unit, *self.static]
        return list(dict.fromkeys(c for c in named if c is not None))

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], source: str = "<mapping>", name: str = "table"
    ) -> TableMapping:
        def fail(key: str, problem: str) -> DataError:
            return DataError(f"{source}: key '{key}': {problem}")

        def section(key: str) -> Mapping[str, Any]:
            value = data.get(key, {})
            if isinstance(value, str) and key in ("patient", "time"):
                return {"column": value}
            if not isinstance(value, Mapping):
                raise fail(key, f"expected a mapping, got {type(value).__name__}")
            return value

        def text(where: Mapping[str, Any], key: str, label: str) -> str | None:
            value = where.get(key)
            if value is None:
                return None
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise fail(label, f"expected a string, got {type(value).__name__}")
            return str(value)

        known = {
            "name",
            "patient",
            "time",
            "code",
            "numeric_value",
            "text_value",
            "unit",
            "modality",
            "static",
        }
        for key in data:
            if key not in known:
                raise fail(str(key), f"unknown key; known keys: {', '.join(sorted(known))}")
        for key, allowed in {
            "patient": {"column", "namespace"},
            "time": {"column", "format", "timezone"},
        }.items():
            for sub in section(key):
                if sub not in allowed:
                    raise fail(f"{key}.{sub}", f"unknown key; known keys: {', '.join(sorted(allowed))}")
        code = data.get("code")
        if code is None:
            raise fail("code", "is required (a column, or {fixed: CODE})")
        code_section = {"column": code} if isinstance(code, str) else section("code")
        for sub in code_section:
            if sub not in ("column", "fixed", "prefix"):
                raise fail(f"code.{sub}", "unknown key; known keys: column, fixed, prefix")
        patient, time = section("patient"), section("time")
        modality = text(data, "modality", "modality") or Modality.EVENTS.value
        if modality not in {m.value for m in Modality}:
            raise fail(
                "modality", f"unknown modality {modality!r}; one of {', '.join(m.value for m in Modality)}"
            )
        static = data.get("static") or {}
        if not isinstance(static, Mapping):
            raise fail("static", f"expected a mapping of column: CODE_PREFIX, got {type(static).__name__}")
        return cls(
            name=text(data, "name", "name") or name,
            patient_column=text(patient, "column", "patient.column") or "",
            namespace=text(patient, "namespace", "patient.namespace") or "",
            time_column=text(time, "column", "time.column"),
            time_format=text(time, "format", "time.format"),
            timezone=text(time, "timezone", "time.timezone") or "UTC",
            code_column=text(code_section, "column", "code.column"),
            code=text(code_section, "fixed", "code.fixed"),
            code_prefix=text(code_section, "prefix", "code.prefix") or "",
            numeric_value=text(data, "numeric_value", "numeric_value"),
            text_value=text(data, "text_value", "text_value"),
            unit=text(data, "unit", "unit"),
            modality=Modality(modality),
            static={str(k): str(v) for k, v in static.items()},
            source=source,
        )

    @classmethod
    def from_file(cls, path: str | Path) -> TableMapping:
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise DataError(f"{path}: cannot read mapping: {exc}") from None
        if not isinstance(data, Mapping):
            raise DataError(f"{path}: a mapping file holds a YAML mapping (patient:, time:, code: …)")
        stem = path.name
        for suffix in MAPPING_SUFFIXES:
            stem = stem.removesuffix(suffix)
        return cls.from_dict(data, source=str(path), name=stem)

    def to_file(self, path: str | Path) -> None:
        code: dict[str, str] = (
            {"column": self.code_column} if self.code_column else {"fixed": self.code or ""}
        )
        if self.code_prefix:
            code["prefix"] = self.code_prefix
        time = {"column": self.time_column, "format": self.time_format, "timezone": self.timezone}
        data: dict[str, Any] = {
            "name": self.name,
            "patient": {"column": self.patient_column, "namespace": self.namespace},
            "code": code,
            "time": {k: v for k, v in time.items() if v is not None} if self.time_column else None,
            "numeric_value": self.numeric_value,
            "text_value": self.text_value,
            "unit": self.unit,
            "modality": self.modality.value,
            "static": dict(self.static) or None,
        }
        text = yaml.safe_dump({k: v for k, v in data.items() if v is not None}, sort_keys=False)
        Path(path).write_text(text, encoding="utf-8")


def _strings(frame: pl.DataFrame, column: str) -> pl.Series:
    """A column as stripped strings, with empty strings as null."""
    s = frame.get_column(column).cast(pl.String).str.strip_chars()
    return pl.select(pl.when(s != "").then(s).otherwise(None)).to_series().alias(column)


def _parse_times(frame: pl.DataFrame, mapping: TableMapping) -> tuple[list[dt.datetime | None], list[bool]]:
    """Times as naive UTC, and for each row whether a present value failed to parse."""
    assert mapping.time_column is not None
    col = frame.get_column(mapping.time_column)
    zone = ZoneInfo(mapping.timezone)
    if col.dtype == pl.Date:
        col = col.cast(pl.Datetime("us"))
    if isinstance(col.dtype, pl.Datetime):
        parsed, raw = col, None
    else:
        raw = _strings(frame, mapping.time_column)
        try:
            if mapping.time_format is not None:
                parsed = raw.str.strptime(pl.Datetime("us"), mapping.time_format, strict=False)
            else:
                parsed = raw.str.to_datetime(time_unit="us", strict=False)
        except pl.exceptions.PolarsError:  # a format polars cannot infer: parse row by row below
            parsed = pl.Series([None] * len(raw), dtype=pl.Datetime("us"))
    dtype = parsed.dtype
    assert isinstance(dtype, pl.Datetime)
    if dtype.time_zone is None:
        parsed = parsed.dt.replace_time_zone(mapping.timezone, ambiguous="earliest", non_existent="null")
    parsed = parsed.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    times: list[dt.datetime | None] = parsed.to_list()
    bad = [False] * len(times)
    if raw is not None:
        for i in (raw.is_not_null() & parsed.is_null()).arg_true().to_list():
            times[i] = _parse_one(raw[i], mapping.time_format, zone)
            bad[i] = times[i] is None
    return times, bad


def _parse_one(value: str, fmt: str | None, zone: ZoneInfo) -> dt.datetime | None:
    """One time the vectorised pass could not parse (mixed formats or offsets), or None."""
    try:
        t = dt.datetime.strptime(value, fmt) if fmt else dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=zone)
    return t.astimezone(dt.UTC).replace(tzinfo=None)


@READERS.register("tables")
class TableReader(Reader):
    """CSV / Parquet tables described by a mapping file next to them, or by one given mapping.

    `normalise_unit` (code, value, unit) → value in the canonical unit, raising ValueError for an
    unknown unit (default: `units.to_canonical`); with None values keep their unit, counted `unit-unchecked:`.
    """

    name: ClassVar[str] = "tables"

    def __init__(
        self,
        mapping: TableMapping | None = None,
        normalise_unit: UnitNormaliser | None = canonical_value,
        batch_rows: int = BATCH_ROWS,
    ) -> None:
        self.mapping = mapping
        self.normalise_unit = normalise_unit
        self.batch_rows = batch_rows

    def claims(self, path: Path) -> bool:
        if not path.is_file() or _table_stem(path) is None:
            return False
        return self.mapping is not None or find_mapping(path) is not None

    def read(self, path: Path, sink: IngestSink) -> None:
        mapping = self.mapping
        if mapping is None:
            mapping_file = find_mapping(path)
            if mapping_file is None:
                sink.quarantine(path, "file", "no mapping file (X.mapping.yaml) next to the table")
                return
            try:
                mapping = TableMapping.from_file(mapping_file)
            except DataError as exc:
                sink.quarantine(path, "mapping", str(exc))
                return
        row = 0
        seen_static: set[tuple[str, str]] = set()
        try:
            for batch in self._batches(path, mapping):
                frame = pl.from_arrow(pa.Table.from_batches([batch]))
                assert isinstance(frame, pl.DataFrame)
                self._read_frame(frame, row, path, mapping, sink, seen_static)
                row += len(frame)
        except DataError as exc:
            sink.quarantine(path, "header", str(exc))
        except (OSError, pa.ArrowException) as exc:  # unreadable file, or a malformed CSV block
            where = f"row {row + 1}" if row else "file"
            sink.quarantine(path, where, f"cannot read table from here on: {exc}")

    def _batches(self, path: Path, mapping: TableMapping) -> Iterator[pa.RecordBatch]:
        columns = mapping.columns
        if path.name.lower().endswith((".parquet", ".pq")):
            file = pq.ParquetFile(path)
            _check_columns(file.schema_arrow.names, columns, mapping, path)
            yield from file.iter_batches(batch_size=self.batch_rows, columns=columns)
            return
        header = pacsv.open_csv(path).schema.names
        _check_columns(header, columns, mapping, path)
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 22),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types={c: pa.string() for c in columns}
            ),
        )
        yield from reader

    def _read_frame(
        self,
        frame: pl.DataFrame,
        offset: int,
        path: Path,
        mapping: TableMapping,
        sink: IngestSink,
        seen_static: set[tuple[str, str]],
    ) -> None:
        n = len(frame)
        table = mapping.name
        sink.count(f"read:{table}", n)
        reasons: list[str | None] = [None] * n

        def flag(mask: pl.Series, reason: str) -> None:
            for i in mask.arg_true().to_list():
                reasons[i] = reasons[i] or reason

        patients = _strings(frame, mapping.patient_column)
        flag(patients.is_null(), f"missing patient ({mapping.patient_column})")
        times: list[dt.datetime | None] = [None] * n
        if mapping.time_column is not None:
            times, bad_time = _parse_times(frame, mapping)
            flag(pl.Series(bad_time, dtype=pl.Boolean), f"unparseable time ({mapping.time_column})")
            missing = [t is None and not b for t, b in zip(times, bad_time, strict=True)]
            flag(pl.Series(missing, dtype=pl.Boolean), f"missing time ({mapping.time_column})")
        codes: list[str | None]
        if mapping.code_column is not None:
            raw_codes = _strings(frame, mapping.code_column)
            flag(raw_codes.is_null(), f"missing code ({mapping.code_column})")
            codes = (
                (mapping.code_prefix + raw_codes).to_list() if mapping.code_prefix else raw_codes.to_list()
            )
        else:
            codes = [mapping.code] * n
        values: list[float | None] = [None] * n
        if mapping.numeric_value is not None:
            col = frame.get_column(mapping.numeric_value)
            raw = _strings(frame, mapping.numeric_value) if col.dtype == pl.String else col
            numbers = raw.cast(pl.Float64, strict=False)
            flag(raw.is_not_null() & numbers.is_null(), f"non-numeric value ({mapping.numeric_value})")
            flag(numbers.is_nan() | numbers.is_infinite(), f"non-finite value ({mapping.numeric_value})")
            values = numbers.to_list()
        texts: list[str | None] = [None] * n
        if mapping.text_value is not None:
            texts = _strings(frame, mapping.text_value).to_list()
        units: list[str | None] = _strings(frame, mapping.unit).to_list() if mapping.unit else [None] * n
        statics = {col: _strings(frame, col).to_list() for col in mapping.static}

        ingested = unchecked = 0
        keys = patients.to_list()
        for i in range(n):
            if reasons[i] is None and values[i] is not None and units[i] is not None:
                if self.normalise_unit is None:
                    unchecked += 1
                else:
                    try:
                        values[i] = self.normalise_unit(str(codes[i]), float(values[i] or 0.0), str(units[i]))
                    except ValueError as exc:
                        reasons[i] = f"unknown unit {units[i]!r} for {codes[i]}: {exc}"
            if reasons[i] is not None:
                excerpt = json.dumps({c: _jsonable(frame.get_column(c)[i]) for c in frame.columns})
                sink.quarantine(path, f"row {offset + i + 1}", str(reasons[i]), excerpt)
                continue
            key = f"{mapping.namespace}|{keys[i]}"
            for column, prefix in mapping.static.items():
                value = statics[column][i]
                if value is not None and (key, column) not in seen_static:
                    seen_static.add((key, column))
                    sink.emit(SourceEvent(key, None, f"{prefix}/{value}"))
            sink.emit(SourceEvent(key, times[i], str(codes[i]), values[i], texts[i], mapping.modality))
            ingested += 1
        sink.count(f"ingested:{table}", ingested)
        if unchecked:
            sink.count(f"unit-unchecked:{table}", unchecked)


def _check_columns(present: list[str], wanted: list[str], mapping: TableMapping, path: Path) -> None:
    missing = [c for c in wanted if c not in present]
    if missing:
        raise DataError(
            f"{path.name}: columns {missing} named in {mapping.source} are not in the table "
            f"(it has {', '.join(present)})"
        )


def _jsonable(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
