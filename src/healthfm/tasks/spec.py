"""The parts of a task definition: kinds, code patterns, cohort, prediction time and label rules.

Typed, frozen and checked on construction; a YAML file is only their saved form (see `Task.from_file`).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from healthfm.errors import UsageError


class TaskConfigError(UsageError, ValueError):
    """A task definition is invalid; the message names the field (and the file, when read from one)."""


class TaskKind(enum.StrEnum):
    BINARY = "binary"
    MULTICLASS = "multiclass"
    MULTILABEL = "multilabel"
    REGRESSION = "regression"
    SURVIVAL = "survival"


class Occurrence(enum.StrEnum):
    """Which anchor events give a prediction time."""

    FIRST = "first"
    LAST = "last"
    EVERY = "every"


class Aggregate(enum.StrEnum):
    """How the values found in the label window make a regression target."""

    FIRST = "first"
    LAST = "last"
    MIN = "min"
    MAX = "max"
    MEAN = "mean"


def check_codes(codes: Iterable[str], where: str, *, required: bool = True) -> tuple[str, ...]:
    """Code patterns as a tuple: exact codes (`SNOMED/33367005`) or prefixes ending in `*` (`I21*`)."""
    if isinstance(codes, str):
        raise TaskConfigError(f"{where}: expected a list of codes, got the string {codes!r}")
    out = tuple(codes)
    if required and not out:
        raise TaskConfigError(f"{where}: needs at least one code")
    for code in out:
        if not isinstance(code, str) or not code.strip("*").strip():
            raise TaskConfigError(f"{where}: {code!r} is not a code")
        if "*" in code[:-1]:
            raise TaskConfigError(f"{where}: {code!r}: '*' is only allowed at the end (a prefix match)")
    return out


def code_matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a set of code patterns: exact codes, and `*`-terminated prefixes."""
    parts = [re.escape(p[:-1]) + ".*" if p.endswith("*") else re.escape(p) for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts) or "(?!)", re.DOTALL)


def check_days(value: float | None, where: str, *, positive: bool, optional: bool = True) -> None:
    if value is None:
        if not optional:
            raise TaskConfigError(f"{where}: required")
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TaskConfigError(f"{where}: expected a finite number of days, got {value!r}")
    if positive and value <= 0:
        raise TaskConfigError(f"{where}: must be > 0, got {value}")


def set_frozen(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass in its `__post_init__`."""
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, kw_only=True)
class Cohort:
    """Who is eligible at a prediction time. Codes count when static or timed before the prediction time."""

    min_age_years: float | None = None
    max_age_years: float | None = None
    require_codes: tuple[str, ...] = ()  # at least one of these
    exclude_codes: tuple[str, ...] = ()  # none of these

    def __post_init__(self) -> None:
        for name in ("min_age_years", "max_age_years"):
            value = getattr(self, name)
            check_days(value, f"cohort.{name}", positive=False)
            if value is not None and value < 0:
                raise TaskConfigError(f"cohort.{name}: must be >= 0, got {value}")
        low, high = self.min_age_years, self.max_age_years
        if low is not None and high is not None and low > high:
            raise TaskConfigError(f"cohort: min_age_years ({low}) is above max_age_years ({high})")
        set_frozen(
            self, "require_codes", check_codes(self.require_codes, "cohort.require_codes", required=False)
        )
        set_frozen(
            self, "exclude_codes", check_codes(self.exclude_codes, "cohort.exclude_codes", required=False)
        )


@dataclass(frozen=True, kw_only=True)
class PredictionTime:
    """When a prediction is made: an anchor event, optionally moved back to its encounter's start, plus
    an offset.

    With `encounter_start`, the anchor moves to the latest `ENCOUNTER/...` event at or before it, so
    nothing recorded during that encounter (the anchor included) is visible.
    """

    anchor_codes: tuple[str, ...]
    occurrence: Occurrence = Occurrence.FIRST
    encounter_start: bool = False
    offset_days: float = 0.0

    def __post_init__(self) -> None:
        set_frozen(self, "anchor_codes", check_codes(self.anchor_codes, "prediction_time.anchor_codes"))
        try:
            set_frozen(self, "occurrence", Occurrence(self.occurrence))
        except ValueError:
            options = ", ".join(o.value for o in Occurrence)
            raise TaskConfigError(
                f"prediction_time.occurrence: {self.occurrence!r} is not one of {options}"
            ) from None
        if not isinstance(self.encounter_start, bool):
            raise TaskConfigError(
                f"prediction_time.encounter_start: expected true or false, got {self.encounter_start!r}"
            )
        check_days(self.offset_days, "prediction_time.offset_days", positive=False, optional=False)


@dataclass(frozen=True, kw_only=True)
class LabelClass:
    """One class: an event with one of `codes` and, if `text` is set, a text_value in which that regular
    expression is found (Python `re.search`: anchor it with `^` to match from the start).

    A multiclass task's `default_class` may have no codes: it is the label when no class event occurs.
    """

    name: str
    codes: tuple[str, ...] = ()
    text: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TaskConfigError(f"label.classes: class name {self.name!r} is empty or not a string")
        set_frozen(
            self, "codes", check_codes(self.codes, f"label.classes[{self.name}].codes", required=False)
        )
        check_regex(self.text, f"label.classes[{self.name}].text")
        if self.text is not None and not self.codes:
            raise TaskConfigError(f"label.classes[{self.name}].text: needs codes whose text it reads")


def check_regex(text: str | None, where: str) -> None:
    if text is None:
        return
    if not isinstance(text, str) or not text:
        raise TaskConfigError(f"{where}: expected a regular expression, got {text!r}")
    try:
        re.compile(text)
    except re.error as exc:
        raise TaskConfigError(f"{where}: invalid regular expression {text!r}: {exc}") from None


@dataclass(frozen=True, kw_only=True)
class Label:
    """What the label window must contain. The window is [prediction time + start_days, + horizon_days].

    binary: positive if any event matches `codes` (and `text`); survival: the first such event;
    regression: `aggregate` of the numeric values of such events; multiclass / multilabel: `classes`.
    `exclude_censored`: a subject whose follow-up ends (last timed event, or death) before the window
    closes, without the event, is left out instead of being labelled negative.
    """

    start_days: float = 0.0
    codes: tuple[str, ...] = ()
    text: str | None = None
    classes: tuple[LabelClass, ...] = ()
    default_class: str | None = None
    aggregate: Aggregate = Aggregate.FIRST
    exclude_censored: bool = True

    def __post_init__(self) -> None:
        check_days(self.start_days, "label.start_days", positive=False, optional=False)
        if self.start_days < 0:
            raise TaskConfigError(
                f"label.start_days: must be >= 0 (the window opens at or after the prediction time), "
                f"got {self.start_days}"
            )
        set_frozen(self, "codes", check_codes(self.codes, "label.codes", required=False))
        check_regex(self.text, "label.text")
        if self.text is not None and not self.codes:
            raise TaskConfigError("label.text: needs label.codes whose text it reads")
        classes = tuple(self.classes)
        for c in classes:
            if not isinstance(c, LabelClass):
                raise TaskConfigError(f"label.classes: expected LabelClass entries, got {type(c).__name__}")
        names = [c.name for c in classes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise TaskConfigError(f"label.classes: duplicate class name(s) {dupes}")
        set_frozen(self, "classes", classes)
        if self.default_class is not None and self.default_class not in names:
            raise TaskConfigError(
                f"label.default_class: {self.default_class!r} is not one of the classes {names}"
            )
        for c in classes:
            if not c.codes and c.name != self.default_class:
                raise TaskConfigError(f"label.classes[{c.name}].codes: needs at least one code")
        try:
            set_frozen(self, "aggregate", Aggregate(self.aggregate))
        except ValueError:
            options = ", ".join(a.value for a in Aggregate)
            raise TaskConfigError(f"label.aggregate: {self.aggregate!r} is not one of {options}") from None
        if not isinstance(self.exclude_censored, bool):
            raise TaskConfigError(
                f"label.exclude_censored: expected true or false, got {self.exclude_censored!r}"
            )
