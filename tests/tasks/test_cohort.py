"""The built-in tasks on the virtual cohort: sane labels, store-wide labelling, and no leakage."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import numpy as np
import pyarrow.compute as pc
import pytest

from healthfm.registry import TASKS
from healthfm.schema import PatientTimeline
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, TaskKind, build_samples, label_store, load_task
from tests.tasks.timelines import with_events

BUILTINS = ["cardiac_disease", "cardiac_severity", "hf_or_mace_1y", "time_to_mace"]
ANGIOGRAPHY, CATH_REPORT, CAD = "SNOMED/33367005", "LOINC/18745-0", "ICD10CM/I25.10"


@pytest.fixture(scope="module")
def labelled(cohort_store: PatientStore) -> dict[str, list]:  # type: ignore[type-arg]
    return {name: build_samples(cohort_store, load_task(name), None) for name in BUILTINS}


def test_every_builtin_is_registered_and_labels_the_cohort(labelled: dict[str, list]) -> None:  # type: ignore[type-arg]
    assert set(BUILTINS) <= set(TASKS.names())
    for name, samples in labelled.items():
        assert len(samples) >= 50, name  # of 80 patients, a few opted out or censored
        assert all(s.task == name for s in samples)
        assert len({s.subject_id for s in samples}) == len(samples)  # one prediction time each


def test_prevalences_are_sane(cohort_store: PatientStore) -> None:
    disease = label_store(cohort_store, load_task("cardiac_disease"), None).summary()
    assert 0.35 < disease["prevalence"] < 0.75  # UCI: 55 % with angiographic disease
    severity = label_store(cohort_store, load_task("cardiac_severity"), None).summary()
    counts = severity["class_counts"]
    assert sum(counts.values()) == severity["samples"] and sum(c > 0 for c in counts.values()) >= 4
    assert counts["none"] == max(counts.values()) and counts["very_severe"] < counts["mild"]
    outcome = label_store(cohort_store, load_task("hf_or_mace_1y"), None)
    assert 0.01 < outcome.summary()["prevalence"] < 0.3
    assert outcome.excluded["censored: follow-up ends before the label window closes"] > 0
    survival = label_store(cohort_store, load_task("time_to_mace"), None).summary()
    assert survival["events"] >= 5 and survival["censored"] > survival["events"]
    assert 100 < survival["median_follow_up_days"] <= 1826.25


def test_severity_agrees_with_disease(labelled: dict[str, list]) -> None:  # type: ignore[type-arg]
    grade = {s.subject_id: s.label for s in labelled["cardiac_severity"]}
    disease = {s.subject_id: s.label for s in labelled["cardiac_disease"]}
    assert grade.keys() == disease.keys()
    assert all(disease[sid] == int(grade[sid] > 0) for sid in grade)


def test_survival_samples_are_well_formed(labelled: dict[str, list]) -> None:  # type: ignore[type-arg]
    for s in labelled["time_to_mace"]:
        assert 0 < s.event_time_days <= 1826.25
        assert s.label == float(s.event_observed) and isinstance(s.event_observed, bool)


def test_build_samples_equals_labelling_each_timeline(cohort_store: PatientStore) -> None:
    ids = cohort_store.subjects("train", consent_scope="training")
    for name in BUILTINS:
        task = load_task(name)
        one_by_one = [s for sid in ids for s in task.samples(cohort_store.timeline(int(sid)))]
        assert build_samples(cohort_store, task, "train") == one_by_one


def test_split_consent_and_progress(cohort_store: PatientStore) -> None:
    task = load_task("cardiac_disease")
    calls: list[tuple[int, int]] = []
    train = build_samples(
        cohort_store, task, "train", progress=lambda done, total: calls.append((done, total))
    )
    train_ids = set(cohort_store.subjects("train").tolist())
    assert {s.subject_id for s in train} <= train_ids
    total = len(cohort_store.subjects("train", consent_scope="training"))
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    everyone = {s.subject_id for s in build_samples(cohort_store, task, None, consent_scope=None)}
    consented = {s.subject_id for s in build_samples(cohort_store, task, None)}
    opted_out = set(cohort_store.subjects().tolist()) - set(
        cohort_store.subjects(consent_scope="training").tolist()
    )
    assert opted_out and not (consented & opted_out) and opted_out <= everyone


# ---------------------------------------------------------------- leakage


def _label_codes(task: Task) -> tuple[str, ...]:
    return task.label.codes + tuple(code for c in task.label.classes for code in c.codes)


def _matches(codes: list[str], patterns: tuple[str, ...]) -> np.ndarray:
    return np.array(
        [any(c == p or (p.endswith("*") and c.startswith(p[:-1])) for p in patterns) for c in codes], bool
    )


LEAKAGE_TASKS = [*BUILTINS, "hf_or_mace_1y+window"]


def _task(name: str) -> Task:
    if name.endswith("+window"):
        return dataclasses.replace(load_task(name.removesuffix("+window")), observation_window_days=365)
    return load_task(name)


@pytest.mark.parametrize("name", LEAKAGE_TASKS)
def test_no_leakage(cohort_store: PatientStore, name: str) -> None:
    """Nothing at or after the prediction time, nothing older than the window, no label event visible."""
    task = _task(name)
    samples = build_samples(cohort_store, task, None, consent_scope=None)
    assert samples
    for sample in samples:
        full = cohort_store.timeline(sample.subject_id)
        seen = task.visible(full, sample)
        times = seen.table.column("time")
        timed = pc.drop_null(times).to_pylist()
        assert all(t < sample.prediction_time for t in timed)
        if task.observation_window_days is not None:
            oldest = sample.prediction_time - dt.timedelta(days=task.observation_window_days)
            assert all(t >= oldest for t in timed)
        assert seen.table.num_rows == full.before(sample.prediction_time).table.num_rows - _too_old(
            task, full, sample
        )
        # the events that make the label are after the prediction time, so none of them is visible
        close = sample.prediction_time + dt.timedelta(days=task.horizon_days or 1e5)
        full_times = full.table.column("time").to_pylist()
        in_window = np.array([t is not None and sample.prediction_time <= t <= close for t in full_times])
        label_rows = in_window & _matches(full.codes, _label_codes(task))
        visible_keys = set(zip(times.to_pylist(), seen.codes, strict=True))
        assert not any((full_times[i], full.codes[i]) in visible_keys for i in np.flatnonzero(label_rows))


def _too_old(task: Task, full: PatientTimeline, sample: object) -> int:
    if task.observation_window_days is None:
        return 0
    pt = sample.prediction_time  # type: ignore[attr-defined]
    oldest = pt - dt.timedelta(days=task.observation_window_days)
    return sum(t is not None and t < oldest for t in full.table.column("time").to_pylist())


@pytest.mark.parametrize("name", ["cardiac_disease", "cardiac_severity"])
def test_index_diagnosis_tasks_see_the_work_up_but_not_the_angiography(
    cohort_store: PatientStore, name: str
) -> None:
    task = load_task(name)
    seen_counts: Counter[str] = Counter()
    samples = build_samples(cohort_store, task, None)
    for sample in samples:
        codes = set(task.visible(cohort_store.timeline(sample.subject_id), sample).codes)
        assert not codes & {ANGIOGRAPHY, CATH_REPORT, CAD}
        seen_counts.update(codes & {"ECG/12LEAD", "DICOM/DX", "LOINC/11488-4", "LOINC/8480-6"})
    # the index visit is visible: most patients have an ECG, a consult note, blood pressure
    assert seen_counts["LOINC/8480-6"] > 0.8 * len(samples)
    assert seen_counts["ECG/12LEAD"] > 0.5 * len(samples) and seen_counts["LOINC/11488-4"] > 0.5 * len(
        samples
    )


def test_outcome_tasks_see_the_completed_work_up(cohort_store: PatientStore) -> None:
    task = load_task("hf_or_mace_1y")
    for sample in build_samples(cohort_store, task, None):
        codes = set(task.visible(cohort_store.timeline(sample.subject_id), sample).codes)
        assert {ANGIOGRAPHY, CATH_REPORT} <= codes


@pytest.mark.parametrize("name", LEAKAGE_TASKS)
def test_appending_the_future_does_not_change_what_is_visible(cohort_store: PatientStore, name: str) -> None:
    task = _task(name)
    outcome = _label_codes(task)[0].rstrip("*")
    for sample in build_samples(cohort_store, task, "train")[:15]:
        tl = cohort_store.timeline(sample.subject_id)
        days = (sample.prediction_time - dt.datetime(2020, 1, 1, 12)).total_seconds() / 86_400
        future = [(days, "ENCOUNTER/IMP"), (days, ANGIOGRAPHY), (days + 0.5, outcome), (days + 40, outcome)]
        grown = with_events(tl, *future, (days + 0.5, ANGIOGRAPHY), (days + 40, "ENCOUNTER/IMP"))
        (again,) = task.samples(grown)
        assert again.prediction_time == sample.prediction_time
        assert task.visible(grown, sample).table.equals(task.visible(tl, sample).table)
        if task.kind is TaskKind.SURVIVAL:  # the appended events are what the label reads
            assert again.event_observed and again.event_time_days is not None and again.event_time_days <= 0.5
        elif task.kind is TaskKind.BINARY:
            assert again.label == 1
