"""`healthfm evaluate --run RUN`: metrics with CIs, baselines side by side, fairness, report, model card."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from healthfm.errors import UsageError

out = Console()
err = Console(stderr=True)


def _fmt(est: Any) -> str:
    if est is None or getattr(est, "value", None) is None:
        return "n/a"
    if est.low != est.low or est.high != est.high:  # NaN interval
        return f"{est.value:.3f}"
    return f"{est.value:.3f} [{est.low:.3f}, {est.high:.3f}]"


def evaluate_command(
    ctx: typer.Context,
    run: Annotated[Path, typer.Option("--run", help="A run folder written by `healthfm finetune`.")],
    store_dir: Annotated[
        Path | None, typer.Option("--store", help="Patient store (default: the root --store).")
    ] = None,
    baselines: Annotated[
        str,
        typer.Option(
            "--baselines",
            help="Comma-separated: tabular,haim,single_modality,fusion_variants (default: all), or none.",
        ),
    ] = "tabular,haim,single_modality,fusion_variants",
    fairness: Annotated[bool, typer.Option("--fairness/--no-fairness", help="Audit patient groups.")] = True,
    mitigation: Annotated[
        str,
        typer.Option(
            "--mitigation",
            help="Reweighing over auto (the worst attribute), sex, age_band, race_ethnicity, site, or none.",
        ),
    ] = "auto",
    variant_epochs: Annotated[
        int | None,
        typer.Option("--variant-epochs", min=1, help="Epochs of the models trained beside the run."),
    ] = None,
    n_boot: Annotated[int, typer.Option("--n-boot", min=100, help="Bootstrap resamples.")] = 1000,
    explain: Annotated[
        int, typer.Option("--explain", min=0, help="Held-out patients explained in the report.")
    ] = 3,
    label_efficiency: Annotated[
        Path | None,
        typer.Option("--label-efficiency", help="A pretrain_bench JSON to plot in the report."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
) -> None:
    """Evaluate a run on its held-out patients against baselines trained on the same split.

    Writes RUN/evaluation/ (report.html, evaluation.json, model_card.md) and stores the metrics and the
    model card with the model version in the registry.
    """
    from healthfm.evaluate.compare import EvaluateConfig
    from healthfm.evaluate.run import EVAL_DIR, evaluate_run
    from healthfm.store.patient_store import PatientStore
    from healthfm.train.progress import RichTrainProgress

    chosen = tuple(b.strip() for b in baselines.split(",") if b.strip() and b.strip() != "none")
    config = EvaluateConfig(
        n_boot=n_boot,
        seed=seed,
        baselines=chosen,
        fairness=fairness,
        mitigation=None if mitigation == "none" else mitigation,
        variant_epochs=variant_epochs,
        explain_patients=explain,
        label_efficiency=str(label_efficiency) if label_efficiency else None,
    )
    root = store_dir or Path(getattr(ctx.find_root().obj, "store", "healthfm-store"))
    if not (Path(root) / "metadata").is_dir():
        raise UsageError(f"--store {root}: no patient store there (run `healthfm ingest` first)")
    epochs = variant_epochs or _run_epochs(run)
    with PatientStore.open(Path(root)) as store, RichTrainProgress(err, epochs, "auroc") as bar:
        ev = evaluate_run(store, run, config, say=lambda msg: err.print(f"[dim]{msg}[/dim]"), progress=bar)
    table = Table(title=f"evaluate {ev.task.get('name')}: {ev.n.get('held_out')} held-out patients")
    for col in ("model", "family", ev.primary, "healthfm − this (paired)"):
        table.add_column(col, justify="left" if col in ("model", "family") else "right")
    for scored in ev.compared:
        diff = (scored.difference or {}).get("estimate")
        table.add_row(
            scored.name, scored.kind, _fmt(scored.metrics.get(ev.primary)), _fmt(diff) if diff else "—"
        )
    out.print(table)
    for target in ev.targets:
        word = "[green]met[/green]" if target["met"] else "[red]NOT met[/red]"
        out.print(f"target {word}: {target['target']}: {_fmt(target['difference'])}")
    for note in ev.notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    out.print(f"report: {run / EVAL_DIR / 'report.html'} ({ev.seconds.get('total', 0):.0f} s)")


def _run_epochs(run: Path) -> int:
    import json

    try:
        return int(json.loads((run / "run.json").read_text())["config"]["train"]["epochs"])
    except (OSError, ValueError, KeyError, TypeError):
        return 1  # evaluate_run names the problem with the run folder


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
