"""`healthfm pretrain`: self-supervised pretraining of the multimodal backbone on a patient store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from healthfm.errors import UsageError

out = Console()
err = Console(stderr=True)


def parse_objectives(text: str) -> dict[str, dict[str, Any]]:
    """`masked_events,contrastive:0.5` -> {"masked_events": {}, "contrastive": {"weight": 0.5}}."""
    found: dict[str, dict[str, Any]] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, weight = part.partition(":")
        options: dict[str, Any] = {}
        if weight:
            try:
                options["weight"] = float(weight)
            except ValueError:
                raise UsageError(f"--objectives: weight {weight!r} of {name!r} is not a number") from None
        found[name.strip()] = options
    if not found:
        raise UsageError("--objectives: name at least one objective")
    return found


def _config(config_file: Path | None, flags: dict[str, Any], train_flags: dict[str, Any]) -> Any:
    from healthfm.pretrain.run import PretrainConfig

    base: dict[str, Any] = {}
    if config_file is not None:
        try:
            base = dict(json.loads(Path(config_file).read_text()))
        except (OSError, json.JSONDecodeError, TypeError, ValueError) as exc:
            raise UsageError(f"cannot read --config {config_file}: {exc}") from None
    given = {k: v for k, v in flags.items() if v is not None}
    if isinstance(given.get("modalities"), str):
        given["modalities"] = tuple(m.strip() for m in given["modalities"].split(",") if m.strip())
    if isinstance(given.get("objectives"), str):
        given["objectives"] = parse_objectives(given["objectives"])
    train = dict(base.pop("train", {})) | {k: v for k, v in train_flags.items() if v is not None}
    try:
        return PretrainConfig.from_dict(base | given | {"train": train})
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None


def pretrain_command(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="The run folder to write.")],
    store_dir: Annotated[
        Path | None, typer.Option("--store", help="Patient store (default: the root --store).")
    ] = None,
    objectives: Annotated[
        str | None,
        typer.Option(
            "--objectives",
            help="Comma-separated, with optional weights: masked_events,masked_signal,masked_image,"
            "contrastive:0.5,next_event,views (default: every one the modalities allow, except the "
            "opt-in views).",
        ),
    ] = None,
    modalities: Annotated[
        str | None, typer.Option("--modalities", help="Comma-separated (default: all five).")
    ] = None,
    preset: Annotated[str | None, typer.Option("--preset", help="small (default) or base.")] = None,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Default 10.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Default 32.")] = None,
    lr: Annotated[float | None, typer.Option("--lr", min=0.0, help="Default 0.001.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Default 0.")] = None,
    device: Annotated[
        str | None, typer.Option("--device", help="cpu, cuda, cuda:1 (default: automatic).")
    ] = None,
    max_subjects: Annotated[
        int | None, typer.Option("--max-subjects", min=1, help="Use at most this many patients per split.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="A JSON PretrainConfig; flags given here override it.")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --out.")] = False,
) -> None:
    """Pretrain the backbone self-supervised on every consenting patient of the train split.

    Fine-tune from it with `healthfm finetune --from RUN`. Runs unchanged under `torchrun`.
    """
    from healthfm.pretrain.run import pretrain
    from healthfm.store.patient_store import PatientStore
    from healthfm.train.distributed import init_distributed, shutdown
    from healthfm.train.progress import RichTrainProgress

    config = _config(
        config_file,
        {"objectives": objectives, "modalities": modalities, "preset": preset, "max_subjects": max_subjects},
        {"epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed, "device": device},
    )
    try:
        config.resolved_objectives()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    root = store_dir or Path(getattr(ctx.find_root().obj, "store", "healthfm-store"))
    if not (Path(root) / "metadata").is_dir():
        raise UsageError(f"--store {root}: no patient store there (run `healthfm ingest` first)")
    info = init_distributed(config.train.device)
    try:
        with (
            PatientStore.open(Path(root)) as store,
            RichTrainProgress(
                err, config.train.epochs, "loss", show=lambda k: k == "loss" or k.endswith("/loss")
            ) as bar,
        ):
            result = pretrain(
                store,
                config,
                out_dir,
                resume=resume,
                progress=bar,
                stage=lambda msg: err.print(f"[dim]{msg}[/dim]"),
                dist_info=info,
            )
    finally:
        shutdown(info)
    if not info.is_main:
        return
    table = Table(title=f"pretrain -> {out_dir} (tuning split)")
    table.add_column("objective")
    table.add_column("loss", justify="right")
    for key, value in sorted(result.tuning.items()):
        if key.endswith("/loss"):
            table.add_row(key.removesuffix("/loss"), f"{value:.4f}")
    table.add_row("total", f"{result.tuning.get('loss', float('nan')):.4f}")
    out.print(table)
    for pair, found in result.retrieval.items():
        if not found.get("n"):
            continue
        out.print(
            f"retrieval {pair} on {int(found['n'])} held-out patients: "
            + ", ".join(
                f"recall@{k} {found[f'recall@{k}']:.3f} (chance {found[f'chance@{k}']:.3f})"
                for k in (1, 5, 10)
            )
        )
    out.print(
        f"best epoch {result.result.best_epoch + 1}, {result.seconds.get('total', 0):.0f} s, "
        f"{result.result.samples_per_s:.1f} samples/s; run folder {out_dir}"
    )


def register(app: typer.Typer) -> None:
    app.command("pretrain")(pretrain_command)
