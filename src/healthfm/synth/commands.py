"""`healthfm synth`: the CLI face of `healthfm.synth.writer.synthesize`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def synth_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the cohort's files into.")],
    patients: Annotated[int, typer.Option("--patients", help="Number of virtual patients.")] = 200,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives identical files.")
    ] = 0,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes; 0 = one per CPU, at most 4.")
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a non-empty output folder.")] = False,
) -> None:
    """Generate the virtual cardiology cohort as FHIR NDJSON, DICOM and WFDB files plus ground truth."""
    from healthfm.synth.writer import SynthConfig, default_workers, synthesize  # heavy: import on use

    config = SynthConfig(patients=patients, seed=seed, out=out, workers=workers or default_workers())
    console = Console()
    columns = (TextColumn("synth"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("patients", total=patients)
        counts = synthesize(config, force=force, progress=lambda done: bar.update(task, completed=done))
    summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    console.print(f"wrote {patients:,} patients to {out}: {summary}")


def register(app: typer.Typer) -> None:
    """Add the `synth` command to the healthfm CLI."""
    app.command("synth")(synth_command)
