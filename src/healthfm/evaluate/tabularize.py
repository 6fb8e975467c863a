"""`Tabularizer`: each sample's visible events as one row of counts, recency and last values per code.

The input of the tabular baselines of `healthfm evaluate` (`evaluate/baselines.py`). The vocabulary is
learned on training samples only, and only the events `visible(timeline, sample)` returns are read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.data.base import US_PER_DAY, US_PER_YEAR, check_fitted, prediction_us
from healthfm.errors import UsageError
from healthfm.schema import BIRTH_CODE, Modality, PatientTimeline, Sample

Visible = Callable[[PatientTimeline, Sample], PatientTimeline]
Array = np.ndarray[Any, Any]

AGE_FEATURE = "age_years"
SEX_FEATURE = "sex_male"
SEX_PREFIX = "GENDER/"
_MALE = frozenset({"GENDER/M", "GENDER/MALE"})
_FEMALE = frozenset({"GENDER/F", "GENDER/FEMALE"})
_MAX_ANSWER_CHARS = 64  # a categorical answer ("flat"), not free text
_NOT_CODED = pa.array([Modality.TEXT.value, Modality.IMAGE.value, Modality.SIGNAL.value])
_COLUMNS = pa.schema(
    [
        pa.field("time", pa.timestamp("us")),
        pa.field("code", pa.string()),
        pa.field("numeric_value", pa.float32()),
        pa.field("text_value", pa.large_string()),
        pa.field("modality", pa.string()),
    ]
)
_NAT = np.iinfo(np.int64).min


class TimelineSource(Protocol):
    """Where timelines come from: a `PatientStore`, or a fake in tests."""

    def timeline(self, subject_id: int) -> PatientTimeline: ...


def _window_name(days: float | None) -> str:
    return "all" if days is None else f"{days:g}d"


@dataclass(frozen=True)
class _Rows:
    """The visible events of many samples, one entry per event (static facts happen at prediction time)."""

    n_samples: int
    sample: Array  # (E,) int64 index into the samples
    subject: Array  # (S,) int64 subject of each sample
    prediction_us: Array  # (S,) int64
    time_us: Array  # (E,) int64
    code: pa.ChunkedArray  # (E,) string
    numeric: Array  # (E,) float64; NaN when absent or on a text / image / signal event
    answered: Array  # (E,) bool: a short categorical answer in text_value on a coded event
    text: pa.ChunkedArray  # (E,) large_string

    def age_days(self) -> Array:
        return (self.prediction_us[self.sample] - self.time_us) / US_PER_DAY


def _as_columns(table: pa.Table) -> pa.Table:
    """The columns the tabularizer reads, with fixed types (zero-copy for a store's timeline)."""
    names = table.schema.names
    columns = [
        (
            table.column(f.name)
            if table.schema.field(f.name).type == f.type
            else table.column(f.name).cast(f.type)
        )
        if f.name in names
        else pa.nulls(table.num_rows, f.type)
        for f in _COLUMNS
    ]
    return pa.Table.from_arrays(columns, schema=_COLUMNS)


def _gather(store: TimelineSource, samples: Sequence[Sample], visible: Visible) -> _Rows:
    """One pass over the samples' visible timelines (each subject's timeline read once in a row)."""
    tables: list[pa.Table] = []
    last_subject, timeline = None, None
    for sample in samples:
        if sample.subject_id != last_subject or timeline is None:
            timeline, last_subject = store.timeline(sample.subject_id), sample.subject_id
        tables.append(_as_columns(visible(timeline, sample).table))
    table = pa.concat_tables(tables) if tables else _COLUMNS.empty_table()
    lengths = np.fromiter((t.num_rows for t in tables), np.int64, len(tables))
    sample_index = np.repeat(np.arange(len(samples), dtype=np.int64), lengths)
    cutoff = np.fromiter((prediction_us(s.prediction_time) for s in samples), np.int64, len(samples))
    times = pc.fill_null(pc.cast(table.column("time"), pa.int64()), _NAT).to_numpy()
    static = times == _NAT
    # The visible callable already cut the timeline; checking again means a careless callable cannot
    # leak a later event into the features.
    keep = static | (times < cutoff[sample_index])
    if not keep.all():
        table, sample_index, times, static = table.filter(keep), sample_index[keep], times[keep], static[keep]
    times = np.where(static, cutoff[sample_index], times)
    modality = pc.fill_null(table.column("modality"), Modality.EVENTS.value)
    coded = pc.invert(pc.is_in(modality, value_set=_NOT_CODED)).to_numpy(zero_copy_only=False)
    numeric = pc.fill_null(table.column("numeric_value").cast(pa.float64()), math.nan).to_numpy()
    numeric = np.where(coded, numeric, np.nan)
    text = table.column("text_value")
    lengths_text = pc.fill_null(pc.utf8_length(text), 0).to_numpy()
    answered = coded & (lengths_text > 0) & (lengths_text <= _MAX_ANSWER_CHARS)
    return _Rows(
        n_samples=len(samples),
        sample=sample_index,
        subject=np.fromiter((s.subject_id for s in samples), np.int64, len(samples)),
        prediction_us=cutoff,
        time_us=times,
        code=table.column("code"),
        numeric=numeric,
        answered=answered,
        text=text,
    )


def _subjects_per_key(subject: Array, key: Array, n_keys: int) -> Array:
    """How many distinct subjects have each key (keys are ints in [0, n_keys))."""
    if key.size == 0:
        return np.zeros(n_keys, np.int64)
    _, subject_rank = np.unique(subject, return_inverse=True)
    pairs = np.unique(subject_rank.astype(np.int64) * n_keys + key)
    return np.bincount(pairs % n_keys, minlength=n_keys)


def _latest(group: Array, time: Array) -> Array:
    """Index of the latest entry of each group (ties: the later one in timeline order)."""
    order = np.lexsort((time, group))
    last = np.ones(order.size, bool)
    last[:-1] = group[order][1:] != group[order][:-1]
    return order[last]


def _code_index(codes: pa.ChunkedArray, vocabulary: Sequence[str]) -> Array:
    found = pc.index_in(codes, value_set=pa.array(list(vocabulary), pa.string()))
    return pc.fill_null(found, -1).to_numpy().astype(np.int64)  # type: ignore[no-any-return]


class Tabularizer:
    """Counts per time window, days since last and last value per frequent code, plus age and sex.

    Parameters:
        windows_days: look-back windows for the counts (None = all history).
        min_subjects: a code becomes a feature when at least this many training subjects have it before
            their prediction time (likewise a numeric code's `last`, and a categorical answer).
        max_codes: the most frequent codes kept.
        max_answers: categorical answers kept per code (a short `text_value` on a coded event).

    Text, image and signal events count as occurrences of their code only.
    """

    def __init__(
        self,
        windows_days: Sequence[float | None] = (30.0, 365.0, None),
        min_subjects: int = 5,
        max_codes: int = 500,
        max_answers: int = 16,
    ) -> None:
        windows = tuple(windows_days)
        for w in windows:
            if w is not None and (isinstance(w, bool) or not math.isfinite(w) or w <= 0):
                raise UsageError(f"Tabularizer: windows_days must be positive numbers or None, got {w!r}")
        if not windows or len(set(windows)) != len(windows):
            raise UsageError(f"Tabularizer: windows_days must be distinct and not empty, got {windows}")
        if min_subjects < 1 or max_codes < 1 or max_answers < 0:
            raise UsageError(
                "Tabularizer: min_subjects and max_codes must be >= 1 and max_answers >= 0, got "
                f"{min_subjects}, {max_codes}, {max_answers}"
            )
        self.windows_days = windows
        self.min_subjects = min_subjects
        self.max_codes = max_codes
        self.max_answers = max_answers
        self.codes_: list[str] | None = None
        self.numeric_codes_: list[str] | None = None
        self.answers_: dict[str, list[str]] | None = None
        self.feature_names_: list[str] | None = None

    def fit(self, store: TimelineSource, samples: Sequence[Sample], visible: Visible) -> Self:
        """Learn the vocabulary from the visible timelines of the training `samples`."""
        if not samples:
            raise UsageError("Tabularizer.fit needs at least one training sample")
        return self._fit_rows(_gather(store, samples, visible))

    def _fit_rows(self, rows: _Rows) -> Self:
        encoded = pc.dictionary_encode(rows.code).combine_chunks()
        names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        index = encoded.indices.to_numpy().astype(np.int64)
        subject = rows.subject[rows.sample]
        counts = _subjects_per_key(subject, index, len(names))
        own_features = np.array([c == BIRTH_CODE or c.startswith(SEX_PREFIX) for c in names], bool)
        frequent = np.flatnonzero((counts >= self.min_subjects) & ~own_features)
        frequent = frequent[np.lexsort((names[frequent], -counts[frequent]))][: self.max_codes]
        self.codes_ = [str(c) for c in names[frequent]]
        valued = np.isfinite(rows.numeric)
        with_values = _subjects_per_key(subject[valued], index[valued], len(names))
        self.numeric_codes_ = [str(names[i]) for i in frequent if with_values[i] >= self.min_subjects]
        self.answers_ = self._fit_answers(rows, subject)
        self.feature_names_ = self._names()
        return self

    def _fit_answers(self, rows: _Rows, subject: Array) -> dict[str, list[str]]:
        assert self.codes_ is not None
        answered = np.flatnonzero(rows.answered)
        if answered.size == 0 or self.max_answers == 0:
            return {}
        pairs = pa.table({"code": rows.code.take(answered), "text": rows.text.take(answered)})
        keys = pc.binary_join_element_wise(
            pairs.column("code"), pairs.column("text").cast(pa.string()), "\x1f"
        )
        encoded = pc.dictionary_encode(keys).combine_chunks()
        counts = _subjects_per_key(
            subject[answered], encoded.indices.to_numpy().astype(np.int64), len(encoded.dictionary)
        )
        out: dict[str, list[tuple[int, str]]] = {}
        known = set(self.codes_)
        for key, n in zip(encoded.dictionary.to_pylist(), counts.tolist(), strict=True):
            code, _, answer = key.partition("\x1f")
            if n >= self.min_subjects and code in known:
                out.setdefault(code, []).append((-n, answer))
        return {
            code: [a for _, a in sorted(out[code])[: self.max_answers]] for code in self.codes_ if code in out
        }

    def _names(self) -> list[str]:
        assert self.codes_ is not None and self.numeric_codes_ is not None and self.answers_ is not None
        names = [f"count[{_window_name(w)}]:{c}" for w in self.windows_days for c in self.codes_]
        names += [f"days_since_last:{c}" for c in self.codes_]
        names += [f"last:{c}" for c in self.numeric_codes_]
        names += [f"last_is[{a}]:{c}" for c, answers in self.answers_.items() for a in answers]
        return [*names, AGE_FEATURE, SEX_FEATURE]

    def transform(self, store: TimelineSource, samples: Sequence[Sample], visible: Visible) -> Array:
        """(n_samples, n_features) float32, NaN where a value is missing (never seen, or unknown)."""
        check_fitted(self, "feature_names_")
        return self._transform_rows(_gather(store, samples, visible))

    def _transform_rows(self, rows: _Rows) -> Array:
        assert self.codes_ is not None and self.numeric_codes_ is not None and self.answers_ is not None
        assert self.feature_names_ is not None
        n, v = rows.n_samples, len(self.codes_)
        x = np.full((n, len(self.feature_names_)), np.nan, np.float32)
        col = 0
        code = _code_index(rows.code, self.codes_)
        known = code >= 0
        s, c, age = rows.sample[known], code[known], rows.age_days()[known]
        for w in self.windows_days:
            inside = age <= w if w is not None else np.ones(age.shape, bool)
            counts = np.bincount(s[inside] * v + c[inside], minlength=n * v).reshape(n, v)
            x[:, col : col + v] = counts
            col += v
        since = np.full(n * v, np.inf)
        np.minimum.at(since, s * v + c, age)
        x[:, col : col + v] = np.where(np.isinf(since), np.nan, since).reshape(n, v)
        col += v
        numeric = _code_index(rows.code, self.numeric_codes_)
        valued = np.flatnonzero((numeric >= 0) & np.isfinite(rows.numeric))
        if valued.size:
            latest = valued[
                _latest(
                    rows.sample[valued] * len(self.numeric_codes_) + numeric[valued], rows.time_us[valued]
                )
            ]
            x[rows.sample[latest], col + numeric[latest]] = rows.numeric[latest]
        col += len(self.numeric_codes_)
        col = self._transform_answers(rows, x, col)
        x[:, col] = self._age(rows)
        x[:, col + 1] = self._sex(rows)
        return x

    def _transform_answers(self, rows: _Rows, x: Array, col: int) -> int:
        assert self.answers_ is not None
        codes = list(self.answers_)
        if not codes:
            return col
        code = _code_index(rows.code, codes)
        answered = np.flatnonzero((code >= 0) & rows.answered)
        offsets = np.cumsum([0] + [len(self.answers_[c]) for c in codes])
        latest = answered[
            _latest(rows.sample[answered] * len(codes) + code[answered], rows.time_us[answered])
        ]
        texts = rows.text.take(latest).to_pylist()
        for i, k, text in zip(rows.sample[latest].tolist(), code[latest].tolist(), texts, strict=True):
            choices = self.answers_[codes[k]]
            block = slice(col + offsets[k], col + offsets[k + 1])
            x[i, block] = 0.0  # answered: every known answer is absent unless it is this one
            if text in choices:
                x[i, col + offsets[k] + choices.index(text)] = 1.0
        return col + int(offsets[-1])

    @staticmethod
    def _age(rows: _Rows) -> Array:
        out = np.full(rows.n_samples, np.nan)
        births = np.flatnonzero(pc.equal(rows.code, BIRTH_CODE).to_numpy(zero_copy_only=False))
        if births.size:
            # the first birth of each sample: latest by negated time
            first = births[_latest(rows.sample[births], -rows.time_us[births])]
            out[rows.sample[first]] = (
                rows.prediction_us[rows.sample[first]] - rows.time_us[first]
            ) / US_PER_YEAR
        return out

    @staticmethod
    def _sex(rows: _Rows) -> Array:
        out = np.full(rows.n_samples, np.nan)
        sexes = np.flatnonzero(pc.starts_with(rows.code, SEX_PREFIX).to_numpy(zero_copy_only=False))
        if sexes.size:
            latest = sexes[_latest(rows.sample[sexes], rows.time_us[sexes])]
            codes = rows.code.take(latest).to_pylist()
            value = [1.0 if c.upper() in _MALE else 0.0 if c.upper() in _FEMALE else np.nan for c in codes]
            out[rows.sample[latest]] = value
        return out

    def fit_transform(self, store: TimelineSource, samples: Sequence[Sample], visible: Visible) -> Array:
        """`fit` then `transform` on the same samples, reading their timelines once."""
        if not samples:
            raise UsageError("Tabularizer.fit needs at least one training sample")
        rows = _gather(store, samples, visible)
        return self._fit_rows(rows)._transform_rows(rows)
