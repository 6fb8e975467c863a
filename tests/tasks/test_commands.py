"""`healthfm task list|show|samples`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from healthfm.errors import UsageError
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, load_task
from healthfm.tasks.commands import register, task_app

runner = CliRunner()


def test_list_names_every_builtin() -> None:
    result = runner.invoke(task_app, ["list"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for name in ("cardiac_disease", "cardiac_severity", "hf_or_mace_1y", "time_to_mace"):
        assert name in result.output


def test_show_prints_yaml_that_loads_back(tmp_path: Path) -> None:
    result = runner.invoke(task_app, ["show", "cardiac_severity"])
    assert result.exit_code == 0, result.output
    assert Task.from_dict(yaml.safe_load(result.output)) == load_task("cardiac_severity")
    path = tmp_path / "mine.yaml"
    path.write_text(result.output.replace("name: cardiac_severity", "name: mine"))
    shown = runner.invoke(task_app, ["show", str(path)])
    assert shown.exit_code == 0 and "name: mine" in shown.output


def test_unknown_task_is_a_usage_error() -> None:
    result = runner.invoke(task_app, ["show", "nope"])
    assert isinstance(result.exception, UsageError) and "registered tasks: cardiac_disease" in str(
        result.exception
    )


def test_samples_reports_counts_and_exclusions(cohort_store: PatientStore) -> None:
    store = str(cohort_store.root)
    result = runner.invoke(
        task_app, ["samples", "--store", store, "--task", "hf_or_mace_1y"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "positives" in result.output and "censored: follow-up ends" in result.output
    result = runner.invoke(
        task_app, ["samples", "--store", store, "--task", "time_to_mace", "--split", "train", "--json"]
    )
    summary = json.loads(result.output)
    assert summary["kind"] == "survival" and summary["events"] + summary["censored"] == summary["samples"]
    result = runner.invoke(
        task_app, ["samples", "--store", store, "--task", "cardiac_severity"], terminal_width=200
    )
    assert "very_severe" in result.output


def test_register_adds_the_task_group() -> None:
    app = typer.Typer()

    @app.command()
    def other() -> None:
        pass

    register(app)
    result = runner.invoke(app, ["task", "list"])
    assert result.exit_code == 0 and "cardiac_disease" in result.output
