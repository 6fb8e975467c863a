"""`healthfm bench real`: healthfm against the standard methods on real data, with bootstrap intervals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)


def real_command(
    only: Annotated[
        str | None,
        typer.Option("--only", help="Comma-separated: uci,whas500,iu (default: all three)."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for real.json and the healthfm training runs.")
    ] = Path("runs/bench-real"),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the splits, models and bootstrap.")] = 0,
    quick: Annotated[
        bool,
        typer.Option(
            "--quick", help="Bounded form: a few epochs, no grids, 600 reports, 200 bootstrap resamples."
        ),
    ] = False,
    text_model: Annotated[
        Path | None,
        typer.Option(
            "--text-model",
            help="A Hugging Face folder for the report encoder, e.g. from `healthfm pretrain-text` "
            "(default: the packaged MiniLM).",
        ),
    ] = None,
    bootstrap: Annotated[
        int | None, typer.Option("--bootstrap", min=100, help="Bootstrap resamples (default 1000).")
    ] = None,
) -> None:
    """UCI heart disease (external sites), WHAS500 survival and IU chest X-ray report labelling: healthfm's
    model and the standard method of each field, fitted and tuned on the same split, scored on the same
    held-out patients with 95 % bootstrap intervals and paired differences. Writes OUT/real.json."""
    from healthfm.datasets import fetch
    from healthfm.encoders.hf import resolve_text_model
    from healthfm.evaluate.real import BenchOptions, parse_only, run_real_bench

    chosen = parse_only(only)
    if text_model is not None:
        resolve_text_model(text_model)  # a one-line error before any work when it is not a model folder
    needed = [name for bench, name in (("uci", "uci-heart"), ("iu", "iu-cxr-reports")) if bench in chosen]
    if needed:
        fetch(needed)
    options = BenchOptions(
        seed=seed,
        quick=quick,
        text_model=None if text_model is None else str(text_model),
        bootstrap=bootstrap,
    )
    run_real_bench(out_dir, chosen, options, console=out, progress_console=err)


def register(app: typer.Typer) -> None:
    """Add the `bench` command group (with `real`) to the healthfm CLI."""
    bench = typer.Typer(no_args_is_help=True, help="Benchmarks on real data.")
    bench.command("real")(real_command)
    app.add_typer(bench, name="bench")
