"""`healthfm task list|show|samples`: the registered tasks, their definitions, and their labels on a store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from healthfm.errors import UsageError
from healthfm.registry import TASKS
from healthfm.tasks.build import label_store
from healthfm.tasks.load import load_task
from healthfm.tasks.task import Task

task_app = typer.Typer(no_args_is_help=True, help="Prediction tasks: list, show, and label a store.")
out = Console()
err = Console(stderr=True)


def _window(task: Task) -> str:
    if task.horizon_days is None:
        return "to the end of the record"
    return f"[{task.label.start_days:g}, {task.horizon_days:g}] days"


def _prediction_time(task: Task) -> str:
    spec = task.prediction_time
    when = f"{spec.occurrence} {', '.join(spec.anchor_codes)}"
    if spec.encounter_start:
        when += " (encounter start)"
    if spec.offset_days:
        when += f" {spec.offset_days:+g} d"
    return when


@task_app.command("list")
def list_tasks() -> None:
    """The registered tasks (built-in and plugins)."""
    table = Table(title="tasks")
    table.add_column("name", no_wrap=True)
    for col in ("kind", "outputs", "prediction time", "label window"):
        table.add_column(col)
    for name in TASKS.names():
        task = TASKS.get(name)
        if not isinstance(task, Task):
            continue
        table.add_row(
            name, task.kind.value, str(task.num_outputs), escape(_prediction_time(task)), _window(task)
        )
    out.print(table)
    out.print("`healthfm task show NAME` prints a task's description and full definition.")


@task_app.command("show")
def show_task(
    name: Annotated[str, typer.Argument(help="A registered task name or a task YAML file.")],
) -> None:
    """Print a task's full definition as YAML (the format `--task FILE.yaml` reads)."""
    task = load_task(name)
    typer.echo(yaml.safe_dump(task.to_dict(), sort_keys=False, allow_unicode=True, width=100), nl=False)


@task_app.command("samples")
def task_samples(
    ctx: typer.Context,
    task_name: Annotated[str, typer.Option("--task", help="A registered task name or a task YAML file.")],
    store_path: Annotated[
        Path | None, typer.Option("--store", help="Patient store folder (default: healthfm --store).")
    ] = None,
    split: Annotated[
        str | None, typer.Option("--split", help="train, tuning or held_out (default: all subjects).")
    ] = None,
    consent_scope: Annotated[
        str, typer.Option("--consent-scope", help="Leave out subjects who opted out of this use.")
    ] = "training",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Label a store with a task: sample counts, labels, and why candidates were left out."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from healthfm.store.patient_store import PatientStore

    task = load_task(task_name)
    root = store_path if store_path is not None else _default_store(ctx)
    columns = (TextColumn(f"labelling {task.name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        PatientStore.open(root, create=False) as store,
        Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar,
    ):
        job = bar.add_task("subjects", total=None)
        result = label_store(
            store,
            task,
            split,
            consent_scope=consent_scope or None,
            progress=lambda done, total: bar.update(job, completed=done, total=total),
        )
    summary = result.summary()
    if as_json:
        out.print_json(json.dumps(summary))
        return
    out.print(_summary_table(task, summary, split))


def _default_store(ctx: typer.Context) -> Path:
    """The root command's --store when this app is mounted under `healthfm`, else the usual default."""
    state = ctx.find_root().obj
    store = getattr(state, "store", None)
    if store is None:
        return Path("healthfm-store")
    if not isinstance(store, Path | str):
        raise UsageError("--store: expected a folder")
    return Path(store)


def _summary_table(task: Task, summary: dict[str, Any], split: str | None) -> Table:
    table = Table(
        title=f"task {task.name} ({task.kind.value}) on {split or 'all subjects'}", show_header=False
    )
    table.add_row("subjects considered", f"{summary['subjects']:,}")
    table.add_row("samples", f"{summary['samples']:,} ({summary['subjects_with_samples']:,} subjects)")
    if "prevalence" in summary:
        table.add_row("positives", f"{summary['positives']:,} ({summary['prevalence']:.1%})")
    if "class_counts" in summary:
        n = max(summary["samples"], 1)
        for name, count in summary["class_counts"].items():
            table.add_row(f"  {name}", f"{count:,} ({count / n:.1%})")
    if "events" in summary:
        table.add_row("events", f"{summary['events']:,} ({summary['event_rate']:.1%})")
        table.add_row("censored", f"{summary['censored']:,}")
        table.add_row("median time (days)", f"{summary['median_follow_up_days']:.0f}")
    if "mean" in summary:
        table.add_row("value", f"mean {summary['mean']:.4g} ± {summary['std']:.3g}")
        table.add_row("range", f"{summary['min']:.4g} to {summary['max']:.4g}")
    excluded = summary["excluded"]
    table.add_row("excluded", f"{sum(excluded.values()):,}" if excluded else "none")
    for reason, count in excluded.items():
        table.add_row(f"  {escape(reason)}", f"{count:,}")
    return table


def register(app: typer.Typer) -> None:
    """Add the `task` command group to the healthfm CLI."""
    app.add_typer(task_app, name="task")
