"""`Task`: a typed labeler config that turns a patient timeline into labelled samples at prediction times.

Saved as YAML (`from_file` / `to_file`); only data before the prediction time, inside the
observation window, reaches a model (`visible`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
import re
import types
import typing
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from healthfm.schema import PatientTimeline, Sample
from healthfm.tasks import _labels
from healthfm.tasks.spec import (
    Aggregate,
    Cohort,
    Label,
    PredictionTime,
    TaskConfigError,
    TaskKind,
    check_days,
    set_frozen,
)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
BINARY_CLASS_NAMES = ("negative", "positive")


@dataclass(frozen=True, kw_only=True)
class Task:
    """A prediction task: who, when (prediction time), what the model may see, and the label.

    `horizon_days` closes the label window (binary, multiclass, multilabel, regression) or is the
    administrative censoring horizon (survival; None = follow to the end of the record).
    `observation_window_days` limits how far back the model may look (None = all history).
    """

    name: str
    kind: TaskKind
    description: str = ""
    class_names: tuple[str, ...] = ()
    prediction_time: PredictionTime
    observation_window_days: float | None = None
    horizon_days: float | None = None
    cohort: Cohort = field(default_factory=Cohort)
    label: Label = field(default_factory=Label)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise TaskConfigError(
                f"name: {self.name!r} must be letters, digits, '_', '.' or '-', starting with a letter/digit"
            )
        try:
            set_frozen(self, "kind", TaskKind(self.kind))
        except ValueError:
            options = ", ".join(k.value for k in TaskKind)
            raise TaskConfigError(f"kind: {self.kind!r} is not one of {options}") from None
        if not isinstance(self.description, str):
            raise TaskConfigError(f"description: expected text, got {self.description!r}")
        for name, typ in (("prediction_time", PredictionTime), ("cohort", Cohort), ("label", Label)):
            if not isinstance(getattr(self, name), typ):
                raise TaskConfigError(
                    f"{name}: expected a {typ.__name__}, got {type(getattr(self, name)).__name__}"
                )
        check_days(self.observation_window_days, "observation_window_days", positive=True)
        check_days(self.horizon_days, "horizon_days", positive=True, optional=self.kind is TaskKind.SURVIVAL)
        if self.horizon_days is not None and self.label.start_days >= self.horizon_days:
            raise TaskConfigError(
                f"label.start_days ({self.label.start_days}) must be below horizon_days ({self.horizon_days})"
            )
        self._check_label()
        set_frozen(self, "class_names", self._check_class_names())

    def _check_label(self) -> None:
        kind, label = self.kind, self.label
        by_code = kind in (TaskKind.BINARY, TaskKind.SURVIVAL, TaskKind.REGRESSION)
        if by_code:
            if not label.codes:
                raise TaskConfigError(f"label.codes: a {kind} task needs at least one label code")
            if label.classes:
                raise TaskConfigError(f"label.classes: a {kind} task takes label.codes, not classes")
        else:
            if label.codes or label.text is not None:
                raise TaskConfigError(f"label.codes: a {kind} task takes label.classes, not label.codes/text")
            least = 2 if kind is TaskKind.MULTICLASS else 1
            if len(label.classes) < least:
                raise TaskConfigError(f"label.classes: a {kind} task needs at least {least} classes")
        if label.default_class is not None and kind is not TaskKind.MULTICLASS:
            raise TaskConfigError(f"label.default_class: only multiclass tasks have one, not {kind}")
        if label.aggregate is not Aggregate.FIRST and kind is not TaskKind.REGRESSION:
            raise TaskConfigError(f"label.aggregate: only regression tasks aggregate values, not {kind}")
        if kind is TaskKind.SURVIVAL and label.start_days != 0:
            raise TaskConfigError("label.start_days: a survival task follows up from the prediction time (0)")

    def _derived_class_names(self) -> tuple[str, ...]:
        if self.kind is TaskKind.BINARY:
            return BINARY_CLASS_NAMES
        if self.kind in (TaskKind.MULTICLASS, TaskKind.MULTILABEL):
            return tuple(c.name for c in self.label.classes)
        return ()

    def _check_class_names(self) -> tuple[str, ...]:
        given: object = self.class_names
        if isinstance(given, str) or not isinstance(given, tuple | list):
            raise TaskConfigError(f"class_names: expected a list of names, got {given!r}")
        if not all(isinstance(n, str) and n for n in given):
            raise TaskConfigError(f"class_names: expected a list of non-empty names, got {given!r}")
        given = tuple(given)
        if self.kind is TaskKind.BINARY:
            if given and (len(given) != 2 or given[0] == given[1]):
                raise TaskConfigError(f"class_names: a binary task has two distinct names, got {list(given)}")
            return given or BINARY_CLASS_NAMES
        if self.kind in (TaskKind.MULTICLASS, TaskKind.MULTILABEL):
            derived = self._derived_class_names()
            if given and given != derived:
                raise TaskConfigError(
                    f"class_names: {list(given)} differ from the label classes {list(derived)}"
                )
            return derived
        if given:
            raise TaskConfigError(f"class_names: a {self.kind} task has no classes, got {list(given)}")
        return ()

    # ------------------------------------------------------------------ labelling

    @property
    def num_outputs(self) -> int:
        """Width of the model head: one logit / value / risk, or one per class."""
        if self.kind in (TaskKind.MULTICLASS, TaskKind.MULTILABEL):
            return len(self.class_names)
        return 1

    def samples(self, timeline: PatientTimeline, excluded: Counter[str] | None = None) -> list[Sample]:
        """The labelled samples of one subject (none without an anchor event), in time order.

        When `excluded` is given, it counts why candidates were left out (censored, cohort, …).
        """
        return _labels.label_timeline(self, timeline, excluded)

    __call__ = samples

    def visible(self, timeline: PatientTimeline, sample: Sample) -> PatientTimeline:
        """What a model may see for `sample`: static facts, and events strictly before the prediction
        time and inside the observation window. The only way data reaches a model."""
        if sample.subject_id != timeline.subject_id:
            raise ValueError(
                f"sample of subject {sample.subject_id} cannot be applied to subject {timeline.subject_id}"
            )
        times = timeline.table.column("time")
        end = pa.scalar(sample.prediction_time, pa.timestamp("us"))
        timed = pc.less(times, end)
        if self.observation_window_days is not None:
            start = sample.prediction_time - dt.timedelta(days=self.observation_window_days)
            timed = pc.and_kleene(timed, pc.greater_equal(times, pa.scalar(start, pa.timestamp("us"))))
        keep = pc.or_kleene(pc.is_null(times), timed)
        return PatientTimeline(timeline.subject_id, timeline.table.filter(keep))

    # ------------------------------------------------------------------ saved form

    def to_dict(self) -> dict[str, Any]:
        """Plain data (YAML/JSON ready); derived class names are left out."""
        out = _plain(self)
        if self.class_names == self._derived_class_names():
            del out["class_names"]
        return typing.cast(dict[str, Any], out)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """Build from plain data; unknown or mistyped fields raise TaskConfigError naming the field."""
        return typing.cast(Task, _build(cls, data, ""))

    def to_file(self, path: str | os.PathLike[str]) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100))
        return target

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Task:
        """Read a task from YAML; every error starts with the file name."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TaskConfigError(f"{source}: no such task file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TaskConfigError(f"{source}: cannot read: {exc}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise TaskConfigError(f"{source}: not valid YAML{where}: {problem}") from None
        if not isinstance(data, Mapping):
            raise TaskConfigError(f"{source}: expected a mapping of task fields, got {type(data).__name__}")
        try:
            return cls.from_dict(data)
        except TaskConfigError as exc:
            raise TaskConfigError(f"{source}: {exc}") from None


# ---------------------------------------------------------------------- plain data <-> dataclasses


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise TaskConfigError(f"{where or 'task'}: expected a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = [str(k) for k in data if k not in fields]
    if unknown:
        raise TaskConfigError(f"{where or 'task'}: unknown field(s) {unknown}; allowed: {list(fields)}")
    kwargs = {}
    for name, f in fields.items():
        path = f"{where}.{name}" if where else name
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise TaskConfigError(f"{path}: required")
            continue
        kwargs[name] = _convert(data[name], hints[name], path)
    return cls(**kwargs)


def _convert(value: Any, hint: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(value, inner, where)
    if origin is tuple:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise TaskConfigError(f"{where}: expected a list, got {value!r}")
        return tuple(_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), value, where)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            options = ", ".join(str(m.value) for m in hint)
            raise TaskConfigError(f"{where}: {value!r} is not one of {options}") from None
    if hint is bool:
        if not isinstance(value, bool):
            raise TaskConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TaskConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise TaskConfigError(f"{where}: expected text, got {value!r}")
        return value
    raise TypeError(f"no conversion for {hint!r}")  # a field type this module does not handle
