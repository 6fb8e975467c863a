"""Turning what a caller hands `append` into validated MEDS event batches.

Every error names the offending rows (their position in the input, counted from 0) and field,
and is raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.errors import DataError
from healthfm.schema import BIRTH_CODE, DEATH_CODE, EVENT_COLUMNS, EVENT_SCHEMA, Event, Modality

EventSource: TypeAlias = Any
"""A table, a record batch, a pandas/polars frame, or an iterable of any of those, of Events or of dicts."""

BATCH_ROWS = 262_144
_MODALITIES = {m.value for m in Modality}
_MAX_SHOWN = 5
# Post-mortem events (autopsy reports, late results) are real; a year after death is not.
_AFTER_DEATH_TOLERANCE = dt.timedelta(days=365)


def iter_event_batches(source: EventSource, *, batch_rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """Yield validated tables in EVENT_SCHEMA, in input order, at most `batch_rows` rows each."""
    offset = 0
    for raw in _iter_raw(source, batch_rows):
        table = validate_events(raw, row_offset=offset)
        offset += table.num_rows
        if table.num_rows:
            yield table


def _iter_raw(source: EventSource, batch_rows: int) -> Iterator[pa.Table]:
    if isinstance(source, pa.Table | pa.RecordBatch) or _is_frame(source):
        table = _to_table(source)
        for batch in table.to_batches(max_chunksize=batch_rows):
            yield pa.Table.from_batches([batch])
        return
    if not isinstance(source, Iterable) or isinstance(source, str | bytes | Mapping):
        raise DataError(
            f"cannot read events from a {type(source).__name__}; pass a pyarrow Table, a pandas/polars "
            "DataFrame, or an iterable of Events, dicts or tables"
        )
    pending: list[Mapping[str, Any]] = []
    for item in source:
        if isinstance(item, Event | Mapping):
            pending.append(_event_to_dict(item) if isinstance(item, Event) else item)
            if len(pending) >= batch_rows:
                yield _rows_to_table(pending)
                pending = []
        else:
            if pending:
                yield _rows_to_table(pending)
                pending = []
            yield from _iter_raw(item, batch_rows)
    if pending:
        yield _rows_to_table(pending)


def _is_frame(obj: object) -> bool:
    module = type(obj).__module__
    return module.split(".")[0] in ("pandas", "polars") and hasattr(obj, "columns")


def _to_table(obj: Any) -> pa.Table:
    if isinstance(obj, pa.Table):
        return obj
    if isinstance(obj, pa.RecordBatch):
        return pa.Table.from_batches([obj])
    if type(obj).__module__.split(".")[0] == "polars":
        return obj.to_arrow()
    return pa.Table.from_pandas(obj, preserve_index=False)


def _event_to_dict(event: Event) -> dict[str, Any]:
    row = event._asdict()
    row["modality"] = Modality(event.modality).value
    return row


def _rows_to_table(rows: list[Mapping[str, Any]]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in EVENT_COLUMNS}
    for i, row in enumerate(rows):
        unknown = set(row) - set(EVENT_COLUMNS)
        if unknown:
            raise DataError(
                f"event row {i}: unknown field(s) {sorted(unknown)}; allowed: {list(EVENT_COLUMNS)}"
            )
        for name in EVENT_COLUMNS:
            columns[name].append(row.get(name))
    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pa.array(values, type=EVENT_SCHEMA.field(name).type, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            bad = _first_bad_values(values, EVENT_SCHEMA.field(name).type)
            raise DataError(
                f"field {name!r} has values that are not {EVENT_SCHEMA.field(name).type}: {bad}"
            ) from None
    return pa.table(arrays)


def _first_bad_values(values: list[Any], typ: pa.DataType) -> str:
    bad = []
    for i, v in enumerate(values):
        try:
            pa.array([v], type=typ, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            bad.append(f"row {i}: {v!r}")
            if len(bad) >= _MAX_SHOWN:
                break
    return "; ".join(bad)


def validate_events(raw: pa.Table, *, row_offset: int = 0) -> pa.Table:
    """Cast `raw` to EVENT_SCHEMA and check every row; raise DataError naming offending rows."""
    names = set(raw.column_names)
    missing = [c for c in ("subject_id", "code") if c not in names]
    if missing:
        raise DataError(f"events lack required column(s) {missing}; got {sorted(names)}")
    if "time" not in names:
        raise DataError("events lack the 'time' column (use null for static facts)")
    extra = names - set(EVENT_COLUMNS)
    if extra:
        raise DataError(f"events have unknown column(s) {sorted(extra)}; allowed: {list(EVENT_COLUMNS)}")

    columns = []
    for field in EVENT_SCHEMA:
        if field.name in names:
            columns.append(_cast_column(raw.column(field.name), field, row_offset))
        else:
            columns.append(pa.nulls(raw.num_rows, field.type))
    table = pa.Table.from_arrays(columns, names=list(EVENT_COLUMNS))

    # Each check takes a whole-column fast path and only looks for offending rows when it fails.
    n = table.num_rows
    if table.column("subject_id").null_count:
        _require(pc.is_valid(table.column("subject_id")), table, row_offset, "subject_id is missing (null)")
    code = table.column("code")
    if code.null_count or (n and pc.min(pc.utf8_length(code)).as_py() == 0):
        _require(
            pc.and_kleene(pc.is_valid(code), pc.greater(pc.utf8_length(pc.fill_null(code, "")), 0)),
            table,
            row_offset,
            "code is missing or empty",
        )
    values = table.column("numeric_value")
    if values.null_count < n and not pc.all(pc.is_finite(values)).as_py():
        _require(
            pc.or_kleene(pc.is_null(values), pc.is_finite(values)),
            table,
            row_offset,
            "numeric_value is NaN or infinite (use null for a missing value)",
        )
    modality = table.column("modality")
    if modality.null_count == n:
        modality = pa.repeat(pa.scalar(Modality.EVENTS.value), n) if n else modality
    else:
        modality = pc.fill_null(modality, Modality.EVENTS.value)
        _require(
            pc.is_in(modality, value_set=pa.array(sorted(_MODALITIES))),
            table,
            row_offset,
            f"modality is not one of {sorted(_MODALITIES)}",
        )
    blob = table.column("blob")
    if blob.null_count < n:
        _require(
            pc.or_kleene(pc.is_null(blob), pc.starts_with(pc.fill_null(blob, ""), "blob://")),
            table,
            row_offset,
            "blob is not a blob store URI (blob://sha256/…)",
        )
    table = table.set_column(5, EVENT_SCHEMA.field("modality"), modality)
    return table.cast(EVENT_SCHEMA)


def _cast_column(column: pa.ChunkedArray, field: pa.Field, row_offset: int) -> pa.ChunkedArray:
    if column.type == field.type:
        return column
    if field.name == "time" and pa.types.is_timestamp(column.type) and column.type.tz is not None:
        # Timezone-aware input: MEDS times are naive; store them as UTC wall time.
        column = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
    try:
        return pc.cast(column, field.type, safe=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        values = column.to_pylist()
        bad = []
        for i, v in enumerate(values):
            try:
                pc.cast(pa.array([v], type=column.type), field.type, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                bad.append(f"row {row_offset + i}: {v!r}")
                if len(bad) >= _MAX_SHOWN:
                    break
        detail = "; ".join(bad) if bad else f"column type {column.type}"
        raise DataError(f"field {field.name!r} must be {field.type}: {detail}") from None


def _require(ok: pa.ChunkedArray | pa.Array, table: pa.Table, row_offset: int, what: str) -> None:
    ok_np = np.asarray(pc.fill_null(ok, False).to_numpy(zero_copy_only=False), dtype=bool)
    if ok_np.all():
        return
    rows = np.flatnonzero(~ok_np)
    raise DataError(_describe_rows(table, rows, row_offset, what))


def _describe_rows(table: pa.Table, rows: np.ndarray[Any, Any], row_offset: int | None, what: str) -> str:
    shown = []
    for r in rows[:_MAX_SHOWN]:
        rec = table.slice(int(r), 1).to_pylist()[0]
        brief = {k: str(rec[k]) for k in ("subject_id", "time", "code") if k in rec}
        where = f"row {row_offset + int(r)} " if row_offset is not None else ""
        shown.append(f"{where}{brief}")
    more = f" (and {len(rows) - _MAX_SHOWN} more)" if len(rows) > _MAX_SHOWN else ""
    return f"{len(rows)} event(s) rejected, {what}: " + "; ".join(shown) + more


def check_timelines(table: pa.Table) -> None:
    """Reject non-monotonic timelines: events before the subject's birth or long after death.

    `table` holds whole subjects (all their events), as the store sees them at commit time.
    """
    times = table.column("time")
    code = table.column("code")
    subjects = table.column("subject_id")
    births = table.filter(pc.and_kleene(pc.equal(code, BIRTH_CODE), pc.is_valid(times)))
    deaths = table.filter(pc.and_kleene(pc.equal(code, DEATH_CODE), pc.is_valid(times)))
    for anchor, op, what, slack in (
        (births, pc.less, "dated before the subject's birth (MEDS_BIRTH)", dt.timedelta(0)),
        (
            deaths,
            pc.greater,
            "dated more than a year after the subject's death (MEDS_DEATH)",
            _AFTER_DEATH_TOLERANCE,
        ),
    ):
        if anchor.num_rows == 0:
            continue
        agg = anchor.group_by("subject_id").aggregate([("time", "min" if op is pc.less else "max")])
        ref = dict(zip(agg.column(0).to_pylist(), agg.column(1).to_pylist(), strict=True))
        ref_ids = pa.array(list(ref), pa.int64())
        ref_times = pa.array([t + slack if op is pc.greater else t for t in ref.values()], pa.timestamp("us"))
        idx = pc.index_in(subjects, value_set=ref_ids)
        limit = pc.take(ref_times, pc.fill_null(idx, 0))
        bad = pc.and_kleene(pc.and_kleene(pc.is_valid(idx), pc.is_valid(times)), op(times, limit))
        bad_np = np.asarray(pc.fill_null(bad, False).to_numpy(zero_copy_only=False), dtype=bool)
        if bad_np.any():
            rows = np.flatnonzero(bad_np)
            raise DataError(_describe_rows(table, rows, None, what))
