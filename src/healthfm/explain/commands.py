"""`healthfm explain`: one prediction of a run's model on one subject, explained (JSON + PNG figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from healthfm.errors import UsageError

out = Console()
err = Console(stderr=True)


def explain_command(
    ctx: typer.Context,
    run: Annotated[Path, typer.Option("--run", help="The run folder written by `healthfm finetune`.")],
    subject: Annotated[int, typer.Option("--subject", help="Pseudonymous subject id.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write explanation.json and the figures.")
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--time", help="Explain the prediction at this ISO time (default: the task's time)."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Operating threshold on the risk (e.g. the calibrated one).")
    ] = 0.5,
    store_dir: Annotated[
        Path | None, typer.Option("--store", help="Patient store (default: the root --store).")
    ] = None,
    include_flagged: Annotated[
        bool,
        typer.Option("--include-flagged", help="Keep explainers the model-randomisation check flagged."),
    ] = False,
    no_checks: Annotated[
        bool, typer.Option("--no-checks", help="Skip the model-randomisation sanity check.")
    ] = False,
    any_direction: Annotated[
        bool,
        typer.Option(
            "--any-direction", help="Counterfactuals may move risk factors away from the clinical aim."
        ),
    ] = False,
) -> None:
    """Explain one prediction: Integrated Gradients per modality, modality Shapley values, fusion attention,
    a counterfactual and a plain-language summary. Audits the read in the store's catalog."""
    from healthfm.explain.explanation import ExplainConfig
    from healthfm.explain.subject import explain_subject, parse_time
    from healthfm.store.patient_store import PatientStore

    root = store_dir or Path(getattr(ctx.find_root().obj, "store", "healthfm-store"))
    if not (Path(root) / "metadata").is_dir():
        raise UsageError(f"--store {root}: no patient store there (run `healthfm ingest` first)")
    target = out_dir or Path(f"explanation-{subject}")
    config = ExplainConfig(include_flagged=include_flagged, any_direction=any_direction)
    with PatientStore.open(Path(root), create=False) as store:
        explanation = explain_subject(
            run,
            store,
            subject,
            when=None if when is None else parse_time(when),
            threshold=threshold,
            out_dir=target,
            checks=not no_checks,
            config=config,
        )
    out.print(explanation.summary, highlight=False)
    if explanation.disabled:
        out.print(f"[yellow]left out:[/yellow] {', '.join(explanation.disabled)}", highlight=False)
    for note in explanation.notes:
        out.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    files = ", ".join(["explanation.json", *(p.name for p in explanation.figures.values())])
    seconds = explanation.timings.get("explain_total", 0.0) + explanation.timings.get("figures", 0.0)
    out.print(f"wrote {files} to {target} ({seconds:.2f} s)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_command)
