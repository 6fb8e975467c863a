"""Task definitions: validation with errors that name the field, YAML round trips, loading by name."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import healthfm.tasks
from healthfm.errors import UsageError
from healthfm.registry import TASKS
from healthfm.tasks import (
    Aggregate,
    Cohort,
    Label,
    LabelClass,
    Occurrence,
    PredictionTime,
    Task,
    TaskConfigError,
    TaskKind,
    load_task,
)

BUILTINS = ["cardiac_disease", "cardiac_severity", "hf_or_mace_1y", "time_to_mace"]
WHEN = PredictionTime(anchor_codes=("SNOMED/33367005",))


def one_of_each_kind() -> list[Task]:
    grades = tuple(
        LabelClass(name=n, codes=("LOINC/18745-0",), text=f"^{n}") for n in ("none", "mild", "severe")
    )
    return [
        Task(
            name="b",
            kind=TaskKind.BINARY,
            prediction_time=PredictionTime(
                anchor_codes=("ICD10CM/I21*", "X/1"),
                occurrence=Occurrence.EVERY,
                encounter_start=True,
                offset_days=-0.5,
            ),
            horizon_days=30,
            observation_window_days=365,
            cohort=Cohort(min_age_years=18, max_age_years=90, require_codes=("A",), exclude_codes=("B*",)),
            label=Label(start_days=1, codes=("ICD10CM/I50.9",), text="(?i)admit", exclude_censored=False),
            class_names=("no_hf", "hf"),
        ),
        Task(
            name="m",
            kind=TaskKind.MULTICLASS,
            prediction_time=WHEN,
            horizon_days=2,
            label=Label(classes=grades),
        ),
        Task(
            name="m2",
            kind=TaskKind.MULTICLASS,
            prediction_time=WHEN,
            horizon_days=2,
            label=Label(classes=(LabelClass(name="other"), *grades), default_class="other"),
        ),
        Task(
            name="ml",
            kind=TaskKind.MULTILABEL,
            prediction_time=WHEN,
            horizon_days=9,
            label=Label(classes=grades),
        ),
        Task(
            name="r",
            kind=TaskKind.REGRESSION,
            prediction_time=WHEN,
            horizon_days=9,
            label=Label(codes=("LOINC/10230-1",), aggregate=Aggregate.MEAN),
        ),
        Task(name="s", kind=TaskKind.SURVIVAL, prediction_time=WHEN, label=Label(codes=("MEDS_DEATH",))),
    ]


@pytest.mark.parametrize("task", one_of_each_kind(), ids=lambda t: t.name)
def test_yaml_and_dict_round_trip(task: Task, tmp_path: Path) -> None:
    assert Task.from_dict(task.to_dict()) == task
    path = task.to_file(tmp_path / "sub" / f"{task.name}.yaml")
    assert Task.from_file(path) == task
    assert load_task(path) == task and load_task(str(path)) == task
    assert hash(task) == hash(Task.from_file(path))  # frozen and hashable all the way down


@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_are_registered_and_round_trip(name: str, tmp_path: Path) -> None:
    task = load_task(name)
    assert TASKS.get(name) is task and task.name == name
    assert task.description and task.horizon_days is not None
    assert Task.from_file(task.to_file(tmp_path / "t.yaml")) == task
    assert Task.from_file(healthfm.tasks.BUILTIN_DIR / f"{name}.yaml") == task


def test_num_outputs_and_class_names() -> None:
    b, m, m2, ml, r, s = one_of_each_kind()
    assert [t.num_outputs for t in (b, m, m2, ml, r, s)] == [1, 3, 4, 3, 1, 1]
    assert b.class_names == ("no_hf", "hf") and m.class_names == ("none", "mild", "severe")
    assert m2.class_names[0] == "other" and r.class_names == () and s.class_names == ()
    assert load_task("cardiac_disease").class_names == ("negative", "positive")
    assert load_task("cardiac_severity").class_names == ("none", "mild", "moderate", "severe", "very_severe")
    assert "class_names" not in m.to_dict() and b.to_dict()["class_names"] == ["no_hf", "hf"]


def test_python_construction_normalises_lists_and_strings() -> None:
    task = Task(
        name="x",
        kind="binary",  # type: ignore[arg-type]
        prediction_time=PredictionTime(anchor_codes=["A"], occurrence="last"),  # type: ignore[arg-type]
        horizon_days=1,
        label=Label(codes=["B"]),  # type: ignore[arg-type]
    )
    assert task.kind is TaskKind.BINARY and task.prediction_time.occurrence is Occurrence.LAST
    assert task.prediction_time.anchor_codes == ("A",) and task.label.codes == ("B",)


BASE: dict[str, Any] = {
    "name": "t",
    "kind": "binary",
    "prediction_time": {"anchor_codes": ["SNOMED/33367005"]},
    "horizon_days": 365,
    "label": {"codes": ["ICD10CM/I21*"]},
}


def _with(path: str, value: Any) -> dict[str, Any]:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    *parents, key = path.split(".")
    node = data
    for p in parents:
        node = node.setdefault(p, {})
    if value is _DROP:
        del node[key]
    else:
        node[key] = value
    return data


_DROP = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("kind", "ordinal", r"kind: 'ordinal' is not one of binary, multiclass"),
        ("name", "has space", r"name: 'has space' must be"),
        ("horizon_days", "one year", r"horizon_days: expected a number, got 'one year'"),
        ("horizon_days", -1, r"horizon_days: must be > 0"),
        ("horizon_days", _DROP, r"horizon_days: required"),
        ("observation_window_days", 0, r"observation_window_days: must be > 0"),
        ("prediction_time", _DROP, r"prediction_time: required"),
        ("prediction_time.anchor_codes", [], r"prediction_time.anchor_codes: needs at least one code"),
        ("prediction_time.anchor_codes", "SNOMED/1", r"prediction_time.anchor_codes: expected a list"),
        ("prediction_time.occurrence", "all", r"prediction_time.occurrence: 'all' is not one of first, last"),
        (
            "prediction_time.encounter_start",
            "yes",
            r"prediction_time.encounter_start: expected true or false",
        ),
        ("prediction_time.when", 1, r"prediction_time: unknown field\(s\) \['when'\]; allowed"),
        ("labels", {}, r"task: unknown field\(s\) \['labels'\]"),
        ("label.codes", ["I*21"], r"label.codes: 'I\*21': '\*' is only allowed at the end"),
        ("label.codes", [], r"label.codes: a binary task needs at least one label code"),
        ("label.text", "([unclosed", r"label.text: invalid regular expression"),
        ("label.start_days", 400, r"label.start_days \(400.0\) must be below horizon_days"),
        ("label.start_days", -1, r"label.start_days: must be >= 0"),
        ("label.aggregate", "mean", r"label.aggregate: only regression tasks"),
        ("label.default_class", "x", r"label.default_class: 'x' is not one of the classes"),
        ("label.classes", [{"name": "a", "codes": ["A"]}], r"label.classes: a binary task takes label.codes"),
        ("cohort.min_age_years", 90, None),  # fine on its own …
        ("cohort.max_age_years", -3, r"cohort.max_age_years: must be >= 0"),
        ("class_names", ["a", "a"], r"class_names: a binary task has two distinct names"),
        ("label.exclude_censored", "no", r"label.exclude_censored: expected true or false"),
    ],
)
def test_bad_definitions_name_the_field(path: str, value: Any, message: str | None) -> None:
    data = _with(path, value)
    if message is None:
        Task.from_dict(data)
        return
    with pytest.raises(TaskConfigError, match=message):
        Task.from_dict(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"kind": "multiclass", "label": {"classes": [{"name": "a", "codes": ["A"]}]}},
            r"at least 2 classes",
        ),
        (
            {
                "kind": "multiclass",
                "label": {"classes": [{"name": "a", "codes": ["A"]}, {"name": "a", "codes": ["B"]}]},
            },
            r"label.classes: duplicate class name\(s\) \['a'\]",
        ),
        (
            {"kind": "multilabel", "label": {"classes": [{"name": "a"}]}},
            r"label.classes\[a\].codes: needs at least one",
        ),
        (
            {"kind": "multilabel", "label": {"classes": [{"name": "a", "text": "x"}]}},
            r"label.classes\[a\].text: needs codes",
        ),
        ({"kind": "multilabel", "label": {"codes": ["A"]}}, r"a multilabel task takes label.classes"),
        (
            {
                "kind": "multilabel",
                "class_names": ["b"],
                "label": {"classes": [{"name": "a", "codes": ["A"]}]},
            },
            r"class_names: \['b'\] differ from the label classes \['a'\]",
        ),
        ({"kind": "survival", "label": {"codes": ["A"], "start_days": 1}}, r"survival task follows up from"),
        ({"kind": "regression", "class_names": ["a"]}, r"class_names: a regression task has no classes"),
        ({"cohort": {"min_age_years": 80, "max_age_years": 18}}, r"cohort: min_age_years \(80.0\) is above"),
        ({"label": {"codes": ["A"], "classes": "x"}}, r"label.classes: expected a list, got 'x'"),
        ({"label": {"text": "x"}}, r"label.text: needs label.codes"),
    ],
)
def test_bad_combinations_name_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(TaskConfigError, match=message):
        Task.from_dict(BASE | changes)


def test_survival_needs_no_horizon_and_others_do() -> None:
    data = BASE | {"kind": "survival"}
    del data["horizon_days"]
    assert Task.from_dict(data).horizon_days is None


def test_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    where = re.escape(str(bad))
    bad.write_text(
        "name: t\nkind: binary\nprediction_time: {anchor_codes: [A]}\n"
        "horizon_days: soon\nlabel: {codes: [B]}\n"
    )
    with pytest.raises(TaskConfigError, match=rf"^{where}: horizon_days: expected a number, got 'soon'$"):
        Task.from_file(bad)
    bad.write_text("name: t\nkind: binary\nlabel: {codes: [B\n")
    with pytest.raises(TaskConfigError, match=rf"^{where}: not valid YAML \(line \d+, column \d+\)"):
        Task.from_file(bad)
    bad.write_text("- just\n- a list\n")
    with pytest.raises(TaskConfigError, match=rf"^{where}: expected a mapping of task fields, got list"):
        load_task(bad)
    with pytest.raises(TaskConfigError, match=r"missing.yaml: no such task file"):
        load_task(tmp_path / "missing.yaml")


def test_errors_are_usage_and_value_errors() -> None:
    with pytest.raises(UsageError):
        Task.from_dict(BASE | {"kind": "nope"})
    with pytest.raises(ValueError, match=r"label\.codes"):
        dataclasses.replace(Task.from_dict(BASE), label=Label())


def test_unknown_task_name_lists_the_registered_ones() -> None:
    with pytest.raises(
        UsageError, match=r"unknown task 'nope'; registered tasks: cardiac_disease, cardiac_severity"
    ):
        load_task("nope")


def test_public_api_is_pinned() -> None:
    assert sorted(healthfm.tasks.__all__) == sorted(
        [
            "BUILTIN_DIR",
            "Aggregate",
            "Cohort",
            "Exclusion",
            "Label",
            "LabelClass",
            "Occurrence",
            "PredictionTime",
            "SampleSet",
            "Task",
            "TaskConfigError",
            "TaskKind",
            "build_samples",
            "builtin_task_files",
            "label_store",
            "load_task",
            "summarize",
        ]
    )
    assert sorted(healthfm.tasks.builtin_task_files()) == BUILTINS
    assert [k.value for k in TaskKind] == ["binary", "multiclass", "multilabel", "regression", "survival"]
