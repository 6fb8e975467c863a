"""Tiny hand-built timelines for the task tests: events at day offsets from a fixed date."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from healthfm.schema import EVENT_SCHEMA, PatientTimeline

T0 = dt.datetime(2020, 1, 1, 12, 0)
BIRTH = "MEDS_BIRTH"
ANCHOR = "SNOMED/33367005"

# (day offset or None for a static fact, code, numeric value, text value)
Row = (
    tuple[float | None, str]
    | tuple[float | None, str, float | None]
    | tuple[float | None, str, float | None, str]
)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def timeline(*rows: Row, subject_id: int = 1, birth_years_before: float | None = 60.0) -> PatientTimeline:
    """`rows` plus a static sex code and (unless None) a birth `birth_years_before` years before T0."""
    events: list[tuple[float | None, str, float | None, str | None]] = [(None, "GENDER/F", None, None)]
    if birth_years_before is not None:
        events.append((-365.25 * birth_years_before, BIRTH, None, None))
    for row in rows:
        padded = (*row, None, None)
        events.append((padded[0], padded[1], padded[2], padded[3]))
    table = pa.table(
        {
            "subject_id": pa.array([subject_id] * len(events), pa.int64()),
            "time": pa.array([None if d is None else at(d) for d, *_ in events], pa.timestamp("us")),
            "code": pa.array([e[1] for e in events], pa.string()),
            "numeric_value": pa.array([e[2] for e in events], pa.float32()),
            "text_value": pa.array([e[3] for e in events], pa.large_string()),
            "modality": pa.array([None] * len(events), pa.string()),
            "blob": pa.array([None] * len(events), pa.string()),
        },
        schema=EVENT_SCHEMA,
    )
    return PatientTimeline(subject_id, table)


def with_events(tl: PatientTimeline, *rows: Row) -> PatientTimeline:
    """`tl` with more events appended (kept in time order, static facts first)."""
    extra = timeline(*rows, subject_id=tl.subject_id, birth_years_before=None).table.slice(1)
    table = pa.concat_tables([tl.table, extra])
    order = pc.sort_indices(table, sort_keys=[("time", "ascending", "at_start")])
    return PatientTimeline(tl.subject_id, table.take(order))
