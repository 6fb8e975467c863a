"""The labelling core: numpy over event columns, shared by `Task.samples` (one timeline) and
`build_samples` (a whole shard at once, each code pattern matched once per distinct code)."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.schema import BIRTH_CODE, DEATH_CODE, PatientTimeline, Sample
from healthfm.tasks.spec import Aggregate, Occurrence, TaskKind, code_matcher

if TYPE_CHECKING:
    from healthfm.tasks.task import Task

US_PER_DAY = 86_400 * 1_000_000
_US_PER_YEAR = 365.25 * US_PER_DAY
_EPOCH = dt.datetime(1970, 1, 1)
ENCOUNTER_PREFIX = "ENCOUNTER/"

Mask = np.ndarray[Any, np.dtype[np.bool_]]
Ints = np.ndarray[Any, np.dtype[np.int64]]


class Exclusion(enum.StrEnum):
    """Why a subject (no anchor) or a prediction time produced no sample."""

    NO_ANCHOR = "no anchor event"
    DIED_BEFORE = "died before the prediction time"
    NO_BIRTH = "no birth date for the cohort's age limits"
    TOO_YOUNG = "younger than cohort.min_age_years"
    TOO_OLD = "older than cohort.max_age_years"
    LACKS_REQUIRED = "none of cohort.require_codes before the prediction time"
    HAS_EXCLUDED = "one of cohort.exclude_codes before the prediction time"
    CENSORED = "censored: follow-up ends before the label window closes"
    NO_CLASS = "no class event in the label window"
    AMBIGUOUS = "events of several classes first in the label window"
    NO_VALUE = "no value in the label window"
    EVENT_AT_PREDICTION = "event at the prediction time"
    NO_FOLLOW_UP = "no follow-up after the prediction time"


class EventColumns:
    """Events as numpy columns, grouped by subject; code patterns are matched per distinct code."""

    def __init__(self, table: pa.Table, keep: Mask | None = None) -> None:
        sids = np.asarray(table.column("subject_id").to_numpy(), np.int64)
        rows = np.arange(len(sids)) if keep is None else np.flatnonzero(keep)
        sids = sids[rows]
        if len(sids) > 1 and np.any(sids[1:] < sids[:-1]):  # store shards are sorted; be safe anyway
            order = np.argsort(sids, kind="stable")
            rows, sids = rows[order], sids[order]
        time = table.column("time")
        self.table = table
        self.rows = rows  # position of each row in `table`
        self.subject_ids = sids
        self.timed: Mask = pc.is_valid(time).to_numpy(zero_copy_only=False)[rows]
        self.times: Ints = np.asarray(pc.fill_null(pc.cast(time, pa.int64()), 0).to_numpy(), np.int64)[rows]
        codes = table.column("code")
        distinct = pc.unique(codes)
        self._codes: list[str] = distinct.to_pylist()
        self._code_ids = np.asarray(pc.index_in(codes, value_set=distinct).to_numpy(), np.int64)[rows]
        self._values: np.ndarray[Any, np.dtype[np.float64]] | None = None
        self._masks: dict[tuple[str, ...], Mask] = {}

    def __len__(self) -> int:
        return len(self.subject_ids)

    @property
    def values(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        if self._values is None:
            col = pc.cast(self.table.column("numeric_value"), pa.float64())
            self._values = np.asarray(pc.fill_null(col, np.nan).to_numpy(), np.float64)[self.rows]
        return self._values

    def mask(self, patterns: tuple[str, ...]) -> Mask:
        """Rows whose code matches one of `patterns` (exact, or a prefix ending in `*`)."""
        cached = self._masks.get(patterns)
        if cached is None:
            match = code_matcher(patterns)
            hits = np.fromiter((match.fullmatch(c) is not None for c in self._codes), bool, len(self._codes))
            cached = self._masks[patterns] = (
                hits[self._code_ids] if len(self._codes) else np.zeros(len(self), bool)
            )
        return cached

    def matching(self, patterns: tuple[str, ...], text: str | None) -> Mask:
        """Rows with one of the codes and, when `text` is given, a text_value that the regex finds."""
        mask = self.mask(patterns)
        if text is None or not mask.any():
            return mask
        where = np.flatnonzero(mask)
        values = self.table.column("text_value").take(pa.array(self.rows[where])).to_pylist()
        regex = re.compile(text)
        found = np.fromiter((v is not None and regex.search(v) is not None for v in values), bool, len(where))
        out = np.zeros(len(self), bool)
        out[where[found]] = True
        return out

    def groups(self) -> Iterator[tuple[int, int, int]]:
        """(subject_id, first row, end row) per subject."""
        if not len(self):
            return
        cuts = np.flatnonzero(np.diff(self.subject_ids)) + 1
        bounds = np.concatenate([[0], cuts, [len(self)]])
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            yield int(self.subject_ids[lo]), lo, hi


@dataclass(frozen=True)
class _Masks:
    anchor: Mask
    encounter: Mask
    birth: Mask
    death: Mask
    require: Mask
    exclude: Mask
    event: Mask  # binary / survival / regression
    classes: tuple[Mask, ...]  # multiclass / multilabel


def _masks(task: Task, cols: EventColumns) -> _Masks:
    label = task.label
    none = np.zeros(len(cols), bool)
    return _Masks(
        anchor=cols.mask(task.prediction_time.anchor_codes),
        encounter=cols.mask((ENCOUNTER_PREFIX + "*",)) if task.prediction_time.encounter_start else none,
        birth=cols.mask((BIRTH_CODE,)),
        death=cols.mask((DEATH_CODE,)),
        require=cols.mask(task.cohort.require_codes) if task.cohort.require_codes else none,
        exclude=cols.mask(task.cohort.exclude_codes) if task.cohort.exclude_codes else none,
        event=cols.matching(label.codes, label.text) if label.codes else none,
        classes=tuple(cols.matching(c.codes, c.text) if c.codes else none for c in label.classes),
    )


def label_timeline(task: Task, timeline: PatientTimeline, excluded: Counter[str] | None) -> list[Sample]:
    cols = EventColumns(timeline.table)
    return _label_subject(task, cols, _masks(task, cols), timeline.subject_id, 0, len(cols), excluded)


def label_table(
    task: Task, table: pa.Table, subject_ids: Ints, excluded: Counter[str] | None
) -> list[Sample]:
    """Samples of the subjects in `subject_ids` among the rows of `table` (a store shard)."""
    keep = np.isin(np.asarray(table.column("subject_id").to_numpy(), np.int64), subject_ids)
    if not keep.any():
        return []
    cols = EventColumns(table, keep)
    masks = _masks(task, cols)
    out: list[Sample] = []
    for sid, lo, hi in cols.groups():
        out.extend(_label_subject(task, cols, masks, sid, lo, hi, excluded))
    return out


def to_datetime(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def prediction_times(task: Task, t: Ints, timed: Mask, anchor: Mask, encounter: Mask) -> Ints:
    """Prediction times (µs) of one subject, sorted and distinct."""
    spec = task.prediction_time
    anchors = t[anchor & timed]
    if not anchors.size:
        return anchors
    if spec.occurrence is Occurrence.FIRST:
        anchors = anchors.min(keepdims=True)
    elif spec.occurrence is Occurrence.LAST:
        anchors = anchors.max(keepdims=True)
    else:
        anchors = np.unique(anchors)
    if spec.encounter_start:
        starts = np.sort(t[encounter & timed])
        if starts.size:  # the latest encounter start at or before each anchor (none: the anchor stays)
            pos = np.searchsorted(starts, anchors, side="right") - 1
            anchors = np.where(pos >= 0, starts[np.maximum(pos, 0)], anchors)
    shifted = anchors + round(spec.offset_days * US_PER_DAY)
    return shifted if shifted.size == 1 else np.unique(shifted)


def _label_subject(
    task: Task, cols: EventColumns, m: _Masks, sid: int, lo: int, hi: int, excluded: Counter[str] | None
) -> list[Sample]:
    s = slice(lo, hi)
    t, timed = cols.times[s], cols.timed[s]
    pts = prediction_times(task, t, timed, m.anchor[s], m.encounter[s])
    if not pts.size:
        if excluded is not None:
            excluded[Exclusion.NO_ANCHOR] += 1
        return []
    deaths, births = t[m.death[s] & timed], t[m.birth[s] & timed]
    death = int(deaths.min()) if deaths.size else None
    birth = int(births.min()) if births.size else None
    end = int(t[timed].max())  # follow-up ends at the last timed event, or at death
    if death is not None:
        end = min(end, death)
    out: list[Sample] = []
    for pt in pts.tolist():
        result: Sample | Exclusion
        if death is not None and death < pt:
            result = Exclusion.DIED_BEFORE
        else:
            result = _cohort(task, t, timed, m.require[s], m.exclude[s], birth, pt) or _label(
                task, cols, m, s, pt, end, sid
            )
        if isinstance(result, Sample):
            out.append(result)
        elif excluded is not None:
            excluded[result] += 1
    return out


def _cohort(
    task: Task, t: Ints, timed: Mask, require: Mask, exclude: Mask, birth: int | None, pt: int
) -> Exclusion | None:
    cohort = task.cohort
    if cohort.min_age_years is not None or cohort.max_age_years is not None:
        if birth is None:
            return Exclusion.NO_BIRTH
        age = (pt - birth) / _US_PER_YEAR
        if cohort.min_age_years is not None and age < cohort.min_age_years:
            return Exclusion.TOO_YOUNG
        if cohort.max_age_years is not None and age > cohort.max_age_years:
            return Exclusion.TOO_OLD
    known = ~timed | (t < pt)
    if cohort.require_codes and not np.any(require & known):
        return Exclusion.LACKS_REQUIRED
    if cohort.exclude_codes and np.any(exclude & known):
        return Exclusion.HAS_EXCLUDED
    return None


def _label(
    task: Task, cols: EventColumns, m: _Masks, s: slice, pt: int, end: int, sid: int
) -> Sample | Exclusion:
    label, kind = task.label, task.kind
    t, timed = cols.times[s], cols.timed[s]
    close = None if task.horizon_days is None else pt + round(task.horizon_days * US_PER_DAY)
    window = timed & (t >= pt + round(label.start_days * US_PER_DAY)) & (t <= end)
    if close is not None:
        window &= t <= close
    censored = label.exclude_censored and close is not None and end < close
    when = to_datetime(pt)

    def sample(
        value: float | int | tuple[float, ...], time: float | None = None, seen: bool | None = None
    ) -> Sample:
        return Sample(sid, when, value, event_time_days=time, event_observed=seen, task=task.name)

    if kind is TaskKind.SURVIVAL:
        hits = t[m.event[s] & window]
        if hits.size:
            first = int(hits.min())
            if first <= pt:
                return Exclusion.EVENT_AT_PREDICTION
            return sample(1.0, (first - pt) / US_PER_DAY, True)
        stop = end if close is None else min(end, close)
        if stop <= pt:
            return Exclusion.NO_FOLLOW_UP
        return sample(0.0, (stop - pt) / US_PER_DAY, False)
    if kind is TaskKind.BINARY:
        if np.any(m.event[s] & window):
            return sample(1)
        return Exclusion.CENSORED if censored else sample(0)
    if kind is TaskKind.MULTILABEL:
        flags = tuple(float(np.any(c[s] & window)) for c in m.classes)
        return Exclusion.CENSORED if censored and not all(flags) else sample(flags)
    if kind is TaskKind.MULTICLASS:
        per_class = [c[s] & window for c in m.classes]
        seen = np.logical_or.reduce(per_class)
        if seen.any():
            first = t[seen].min()
            at_first = [k for k, h in enumerate(per_class) if np.any(h & (t == first))]
            return sample(at_first[0]) if len(at_first) == 1 else Exclusion.AMBIGUOUS
        if censored:
            return Exclusion.CENSORED
        if label.default_class is None:
            return Exclusion.NO_CLASS
        return sample(task.class_names.index(label.default_class))
    # regression
    rows = m.event[s] & window & ~np.isnan(cols.values[s])
    if not rows.any():
        return Exclusion.CENSORED if censored else Exclusion.NO_VALUE
    values = cols.values[s][rows][np.argsort(t[rows], kind="stable")]
    return sample(_aggregate(values, label.aggregate))


def _aggregate(values: np.ndarray[Any, np.dtype[np.float64]], how: Aggregate) -> float:
    """`values` in time order."""
    if how is Aggregate.FIRST:
        return float(values[0])
    if how is Aggregate.LAST:
        return float(values[-1])
    if how is Aggregate.MIN:
        return float(values.min())
    if how is Aggregate.MAX:
        return float(values.max())
    return float(values.mean())
