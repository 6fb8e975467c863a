"""Labelling hand-built timelines: every DSL feature and edge case, and what a model may see."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pyarrow.compute as pc
import pytest

from healthfm.schema import Sample
from healthfm.tasks import (
    Aggregate,
    Cohort,
    Exclusion,
    Label,
    LabelClass,
    Occurrence,
    PredictionTime,
    Task,
    TaskKind,
    load_task,
)
from tests.tasks.timelines import ANCHOR, at, timeline, with_events

WHEN = PredictionTime(anchor_codes=(ANCHOR,))


MI = ("ICD10CM/I21*",)


def binary(**changes: object) -> Task:
    """A binary task; censored subjects count as negatives unless a test asks otherwise."""
    base = Task(
        name="b",
        kind=TaskKind.BINARY,
        prediction_time=WHEN,
        horizon_days=10,
        label=Label(codes=MI, exclude_censored=False),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def survival(horizon: float | None = 100, codes: tuple[str, ...] = ("ICD10CM/I21*",)) -> Task:
    return Task(
        name="s", kind=TaskKind.SURVIVAL, prediction_time=WHEN, horizon_days=horizon, label=Label(codes=codes)
    )


def run(task: Task, *rows: tuple) -> tuple[list[Sample], Counter[str]]:  # type: ignore[type-arg]
    excluded: Counter[str] = Counter()
    return task.samples(timeline(*rows), excluded), excluded


# ---------------------------------------------------------------- prediction time


def test_no_anchor_gives_no_samples() -> None:
    samples, excluded = run(binary(), (1, "ICD10CM/I21.4"), (2, "LOINC/1"))
    assert samples == [] and excluded == Counter({Exclusion.NO_ANCHOR: 1})
    assert binary().samples(timeline()) == []
    static_anchor, _ = run(binary(), (None, ANCHOR))  # a static fact has no time: no prediction time
    assert static_anchor == []


@pytest.mark.parametrize(
    ("occurrence", "days"),
    [(Occurrence.FIRST, [5]), (Occurrence.LAST, [40]), (Occurrence.EVERY, [5, 20, 40])],
)
def test_occurrence_and_offset(occurrence: Occurrence, days: list[float]) -> None:
    rows = [(40, ANCHOR), (5, ANCHOR), (20, ANCHOR), (20, ANCHOR), (100, "LOINC/1")]
    task = binary(prediction_time=PredictionTime(anchor_codes=(ANCHOR,), occurrence=occurrence))
    assert [s.prediction_time for s in run(task, *rows)[0]] == [at(d) for d in days]
    shifted = binary(
        prediction_time=PredictionTime(anchor_codes=(ANCHOR,), occurrence=occurrence, offset_days=1.5)
    )
    assert [s.prediction_time for s in run(shifted, *rows)[0]] == [at(d + 1.5) for d in days]
    assert all(s.task == "b" and s.subject_id == 1 for s in run(task, *rows)[0])


def test_encounter_start_moves_back_to_the_latest_encounter_at_or_before_the_anchor() -> None:
    task = binary(prediction_time=PredictionTime(anchor_codes=(ANCHOR,), encounter_start=True))
    rows = [
        (0, "ENCOUNTER/AMB"),
        (0.1, "ENCOUNTER_END/AMB"),
        (7, "ENCOUNTER/AMB"),
        (7.02, ANCHOR),
        (7.03, "ENCOUNTER_END/AMB"),
        (7.04, "ENCOUNTER/IMP"),  # after the anchor: not its encounter
    ]
    assert [s.prediction_time for s in run(task, *rows)[0]] == [at(7)]
    same_time = [(3, "ENCOUNTER/AMB"), (3, ANCHOR)]
    assert [s.prediction_time for s in run(task, *same_time)[0]] == [at(3)]
    only_ends = [(2, "ENCOUNTER_END/AMB"), (3, ANCHOR)]  # ENCOUNTER_END is not an encounter start
    assert [s.prediction_time for s in run(task, *only_ends)[0]] == [at(3)]
    every = binary(
        prediction_time=PredictionTime(
            anchor_codes=(ANCHOR,), occurrence=Occurrence.EVERY, encounter_start=True, offset_days=1
        )
    )
    rows = [
        (0, "ENCOUNTER/AMB"),
        (0.1, ANCHOR),
        (0.2, ANCHOR),
        (9, "ENCOUNTER/AMB"),
        (9.5, ANCHOR),
        (30, "X"),
    ]
    assert [s.prediction_time for s in run(every, *rows)[0]] == [at(1), at(10)]


def test_codes_match_exactly_or_by_a_star_prefix() -> None:
    for code, hit in [("ICD10CM/I21.4", 1), ("ICD10CM/I21", 1), ("ICD10CM/I2", 0), ("ICD10CM/I22.0", 0)]:
        samples, _ = run(binary(), (0, ANCHOR), (1, code), (30, "LOINC/1"))
        assert samples[0].label == hit, code
    exact = binary(label=Label(codes=("ICD10CM/I21",)))
    assert run(exact, (0, ANCHOR), (1, "ICD10CM/I21.4"), (30, "X"))[0][0].label == 0
    assert run(exact, (0, ANCHOR), (1, "ICD10CM/I21"), (30, "X"))[0][0].label == 1
    anchored = binary(prediction_time=PredictionTime(anchor_codes=("SNOMED/3336*",)))
    assert [s.prediction_time for s in run(anchored, (4, "SNOMED/33367005"), (30, "X"))[0]] == [at(4)]
    dots = binary(prediction_time=PredictionTime(anchor_codes=("A.B",)))  # '.' is literal, not a wildcard
    assert run(dots, (4, "AxB"), (30, "X"))[0] == []


# ---------------------------------------------------------------- cohort


def test_cohort_age_limits() -> None:
    task = binary(cohort=Cohort(min_age_years=18, max_age_years=65))
    rows = ((0, ANCHOR), (30, "X"))
    assert run(task, *rows)[0][0].label == 0  # 60 years old
    assert run(task, *rows)[1] == Counter()
    for years, reason in [(10, Exclusion.TOO_YOUNG), (70, Exclusion.TOO_OLD), (None, Exclusion.NO_BIRTH)]:
        excluded: Counter[str] = Counter()
        assert task.samples(timeline(*rows, birth_years_before=years), excluded) == []
        assert excluded == Counter({reason: 1})


def test_cohort_codes_count_when_static_or_before_the_prediction_time() -> None:
    task = binary(cohort=Cohort(require_codes=("ICD10CM/E11*", "GENDER/M"), exclude_codes=("ICD10CM/I25.2",)))
    assert run(task, (-100, "ICD10CM/E11.9"), (0, ANCHOR), (30, "X"))[0][0].label == 0
    _, excluded = run(task, (0, ANCHOR), (0, "ICD10CM/E11.9"), (30, "X"))  # at the prediction time: too late
    assert excluded == Counter({Exclusion.LACKS_REQUIRED: 1})
    assert run(task, (None, "GENDER/M"), (0, ANCHOR), (30, "X"))[0][0].label == 0  # static fact counts
    _, excluded = run(task, (None, "GENDER/M"), (-1, "ICD10CM/I25.2"), (0, ANCHOR), (30, "X"))
    assert excluded == Counter({Exclusion.HAS_EXCLUDED: 1})
    assert run(task, (None, "GENDER/M"), (1, "ICD10CM/I25.2"), (0, ANCHOR), (30, "X"))[0][0].label == 0


def test_no_prediction_after_death() -> None:
    task = binary(prediction_time=PredictionTime(anchor_codes=(ANCHOR,), offset_days=5))
    samples, excluded = run(task, (0, ANCHOR), (2, "MEDS_DEATH"))
    assert samples == [] and excluded == Counter({Exclusion.DIED_BEFORE: 1})


# ---------------------------------------------------------------- binary and censoring


def test_binary_window_bounds_are_inclusive() -> None:
    task = binary(label=Label(start_days=1, codes=MI), horizon_days=10)
    for day, label in [(0.5, 0), (1, 1), (10, 1), (10.001, 0), (-1, 0)]:
        samples, _ = run(task, (0, ANCHOR), (day, "ICD10CM/I21.4"), (30, "X"))
        assert samples[0].label == label, day
        assert samples[0].event_time_days is None and samples[0].event_observed is None
    assert type(samples[0].label) is int


def test_binary_censoring_excludes_short_follow_up_without_the_event() -> None:
    task = binary(horizon_days=365, label=Label(codes=MI))
    samples, excluded = run(task, (0, ANCHOR), (200, "LOINC/1"))  # data end at day 200 < 365
    assert samples == [] and excluded == Counter({Exclusion.CENSORED: 1})
    assert run(task, (0, ANCHOR), (100, "ICD10CM/I21.4"))[0][0].label == 1  # the event itself is known
    assert run(task, (0, ANCHOR), (365, "LOINC/1"))[0][0].label == 0  # followed to the window end
    lenient = binary(horizon_days=365, label=Label(codes=MI, exclude_censored=False))
    assert run(lenient, (0, ANCHOR), (200, "LOINC/1"))[0][0].label == 0


def test_death_ends_follow_up() -> None:
    task = binary(horizon_days=365, label=Label(codes=MI))
    # death inside the window, not a label code: censored, even with events recorded after it
    samples, excluded = run(task, (0, ANCHOR), (100, "MEDS_DEATH"), (400, "LOINC/1"), (200, "ICD10CM/I21.4"))
    assert samples == [] and excluded == Counter({Exclusion.CENSORED: 1})
    with_death = binary(horizon_days=365, label=Label(codes=("ICD10CM/I21*", "MEDS_DEATH")))
    assert run(with_death, (0, ANCHOR), (100, "MEDS_DEATH"))[0][0].label == 1


# ---------------------------------------------------------------- survival


def test_survival_event_observed() -> None:
    samples, _ = run(survival(), (0, ANCHOR), (12.5, "ICD10CM/I21.4"), (20, "ICD10CM/I21.4"), (500, "X"))
    (s,) = samples
    assert (s.label, s.event_time_days, s.event_observed) == (1.0, 12.5, True)


def test_survival_censored_at_last_event_horizon_or_death() -> None:
    at_last, _ = run(survival(), (0, ANCHOR), (40, "LOINC/1"))
    assert (at_last[0].label, at_last[0].event_time_days, at_last[0].event_observed) == (0.0, 40.0, False)
    at_horizon, _ = run(survival(), (0, ANCHOR), (150, "ICD10CM/I21.4"), (300, "LOINC/1"))
    assert (at_horizon[0].event_time_days, at_horizon[0].event_observed) == (100.0, False)
    unbounded, _ = run(survival(horizon=None), (0, ANCHOR), (150, "ICD10CM/I21.4"), (300, "LOINC/1"))
    assert (unbounded[0].event_time_days, unbounded[0].event_observed) == (150.0, True)
    at_death, _ = run(survival(), (0, ANCHOR), (30, "MEDS_DEATH"), (60, "ICD10CM/I21.4"), (90, "X"))
    assert (at_death[0].event_time_days, at_death[0].event_observed) == (30.0, False)
    death_event, _ = run(survival(codes=("ICD10CM/I21*", "MEDS_DEATH")), (0, ANCHOR), (30, "MEDS_DEATH"))
    assert (death_event[0].event_time_days, death_event[0].event_observed) == (30.0, True)


def test_survival_needs_time_after_the_prediction_time() -> None:
    samples, excluded = run(survival(), (0, ANCHOR), (0, "ICD10CM/I21.4"), (50, "X"))
    assert samples == [] and excluded == Counter({Exclusion.EVENT_AT_PREDICTION: 1})
    samples, excluded = run(survival(), (-5, "X"), (0, ANCHOR))
    assert samples == [] and excluded == Counter({Exclusion.NO_FOLLOW_UP: 1})
    early = survival()
    # an event before the prediction time is history, not the outcome
    samples, _ = run(early, (-5, "ICD10CM/I21.4"), (0, ANCHOR), (50, "X"))
    assert (samples[0].event_observed, samples[0].event_time_days) == (False, 50.0)


# ---------------------------------------------------------------- multiclass, multilabel, regression

REPORT = "LOINC/18745-0"
GRADES = ["No significant", "Mild", "Moderate", "Severe", "Very severe"]


@pytest.mark.parametrize("grade", range(5))
def test_severity_grade_from_report_text(grade: int) -> None:
    task = load_task("cardiac_severity")
    text = f"{GRADES[grade]} obstructive coronary artery disease. 2 major vessel(s) with >50% stenosis."
    rows = [(0, "ENCOUNTER/AMB"), (0.02, ANCHOR), (0.04, REPORT, None, text)]
    samples, excluded = run(task, *rows)
    assert [s.label for s in samples] == [grade] and excluded == Counter()
    assert samples[0].prediction_time == at(0) and type(samples[0].label) is int


def test_multiclass_unmatched_ambiguous_and_default() -> None:
    task = load_task("cardiac_severity")
    rows = [(0, ANCHOR), (0.04, REPORT, None, "Study not diagnostic.")]
    assert run(task, *rows) == ([], Counter({Exclusion.NO_CLASS: 1}))
    classes = (
        LabelClass(name="none"),
        LabelClass(name="mi", codes=("ICD10CM/I21*",)),
        LabelClass(name="stroke", codes=("ICD10CM/I63*",)),
    )
    task = Task(
        name="first_event",
        kind=TaskKind.MULTICLASS,
        prediction_time=WHEN,
        horizon_days=100,
        label=Label(classes=classes, default_class="none"),
    )
    assert run(task, (0, ANCHOR), (5, "ICD10CM/I63.9"), (6, "ICD10CM/I21.4"))[0][0].label == 2  # first wins
    assert run(task, (0, ANCHOR), (200, "X"))[0][0].label == 0  # nothing: the default class
    assert run(task, (0, ANCHOR), (50, "X"))[1] == Counter({Exclusion.CENSORED: 1})
    both = run(task, (0, ANCHOR), (5, "ICD10CM/I63.9"), (5, "ICD10CM/I21.4"), (200, "X"))
    assert both == ([], Counter({Exclusion.AMBIGUOUS: 1}))


def test_multilabel_one_flag_per_class() -> None:
    classes = (
        LabelClass(name="mi", codes=("ICD10CM/I21*",)),
        LabelClass(name="stroke", codes=("ICD10CM/I63*",)),
        LabelClass(name="hf", codes=("ICD10CM/I50.9",)),
    )
    task = Task(
        name="ml",
        kind=TaskKind.MULTILABEL,
        prediction_time=WHEN,
        horizon_days=100,
        label=Label(classes=classes),
    )
    samples, _ = run(task, (0, ANCHOR), (5, "ICD10CM/I63.9"), (9, "ICD10CM/I50.9"), (120, "X"))
    assert samples[0].label == (0.0, 1.0, 1.0)
    assert run(task, (0, ANCHOR), (50, "ICD10CM/I21.4"))[1] == Counter({Exclusion.CENSORED: 1})


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [
        (Aggregate.FIRST, 35.0),
        (Aggregate.LAST, 55.0),
        (Aggregate.MIN, 30.0),
        (Aggregate.MAX, 55.0),
        (Aggregate.MEAN, 40.0),
    ],
)
def test_regression_aggregates_values_in_the_window(aggregate: Aggregate, expected: float) -> None:
    task = Task(
        name="lvef",
        kind=TaskKind.REGRESSION,
        prediction_time=WHEN,
        horizon_days=30,
        label=Label(codes=("LOINC/10230-1",), aggregate=aggregate),
    )
    rows = [
        (-1, "LOINC/10230-1", 70.0),  # before: not the target
        (0, ANCHOR),
        (9, "LOINC/10230-1", 30.0),
        (2, "LOINC/10230-1", 35.0),
        (5, "LOINC/10230-1", None),  # no value: ignored
        (20, "LOINC/10230-1", 55.0),
        (31, "LOINC/10230-1", 90.0),  # after the window
    ]
    samples, _ = run(task, *rows)
    assert samples[0].label == pytest.approx(expected) and type(samples[0].label) is float
    assert run(task, (0, ANCHOR), (40, "X")) == ([], Counter({Exclusion.NO_VALUE: 1}))
    assert run(task, (0, ANCHOR), (10, "X")) == ([], Counter({Exclusion.CENSORED: 1}))


# ---------------------------------------------------------------- what a model may see


def test_visible_is_strictly_before_the_prediction_time_plus_static_facts() -> None:
    task = binary(observation_window_days=30)
    tl = timeline(
        (-400, "OLD"),
        (-30, "EDGE"),
        (-29, "RECENT"),
        (0, ANCHOR),
        (0, "SAME_TIME"),
        (3, "ICD10CM/I21.4"),
        (40, "X"),
    )
    (sample,) = task.samples(tl)
    seen = task.visible(tl, sample)
    assert seen.codes == ["GENDER/F", "EDGE", "RECENT"]
    everything = dataclasses.replace(task, observation_window_days=None)
    assert everything.visible(tl, sample).codes == ["GENDER/F", "MEDS_BIRTH", "OLD", "EDGE", "RECENT"]
    assert len(tl) == 9  # the input is not changed
    with pytest.raises(ValueError, match="cannot be applied to subject 2"):
        task.visible(timeline(subject_id=2), sample)


def test_future_events_do_not_change_what_is_visible() -> None:
    task = dataclasses.replace(load_task("hf_or_mace_1y"), observation_window_days=400)
    tl = timeline(
        (-500, "LOINC/2160-0", 1.1),
        (-10, "ENCOUNTER/AMB"),
        (-10, "ECG/12LEAD"),
        (0, "ENCOUNTER/AMB"),
        (0.02, ANCHOR),
        (0.05, REPORT, None, "Mild obstructive coronary artery disease."),
        (400, "LOINC/8480-6", 120.0),
    )
    (before,) = task.samples(tl)
    grown = with_events(
        tl, (1.0, "ICD10CM/I21.4"), (1.0, "MEDS_DEATH"), (2, "ENCOUNTER/IMP"), (90, "ICD10CM/I50.9")
    )
    (after,) = task.samples(grown)
    assert before.prediction_time == after.prediction_time == at(1)
    assert (before.label, after.label) == (0, 1)
    assert task.visible(grown, after).table.equals(task.visible(tl, before).table)
    assert "LOINC/2160-0" not in task.visible(tl, before).codes  # older than 400 days


def test_a_task_is_a_plain_callable() -> None:
    tl = timeline((0, ANCHOR), (1, "ICD10CM/I21.4"))
    assert binary()(tl) == binary().samples(tl)
    assert pc.sum(pc.is_null(tl.table.column("time"))).as_py() == 1
