"""`healthfm pretrain-text`: the CLI face of `healthfm.pretrain.text_mlm.adapt_text_encoder`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from healthfm.errors import UsageError
from healthfm.train.loop import EpochRecord
from healthfm.train.progress import RichTrainProgress

out = Console()
err = Console(stderr=True)


class _Progress(RichTrainProgress):
    """Epoch lines that say which phase ran (head-only first), without the tuning split fine-tuning has."""

    def __init__(self, console: Console, head_epochs: int, epochs: int) -> None:
        super().__init__(console, head_epochs + epochs, "loss")
        self.head_epochs = head_epochs

    def end_epoch(self, record: EpochRecord) -> None:
        head = record.epoch < self.head_epochs
        rate = (
            f"{record.samples_per_s:,.0f} masked tokens/s" if head else f"{record.samples_per_s:.1f} texts/s"
        )
        self.console.print(
            f"epoch {record.epoch + 1}/{self.epochs} ({'head only' if head else 'whole encoder'}): "
            f"train loss {record.train_loss:.4f}, {rate}, {record.seconds:.1f} s"
        )


def pretrain_text_command(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the adapted Hugging Face model.")],
    store_path: Annotated[
        Path | None,
        typer.Option("--store", help="Patient store whose notes to learn from (default: healthfm --store)."),
    ] = None,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Whole-encoder epochs (1).")] = None,
    head_epochs: Annotated[
        int | None, typer.Option("--head-epochs", min=1, help="Head-only epochs on the frozen encoder (10).")
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Texts per batch (32).")
    ] = None,
    max_length: Annotated[
        int | None, typer.Option("--max-length", min=8, help="Tokens per text; longer ones are cut (128).")
    ] = None,
    max_texts: Annotated[
        int | None, typer.Option("--max-texts", min=1, help="Training texts per source (default: all).")
    ] = None,
    max_held_out: Annotated[
        int | None, typer.Option("--max-held-out", min=1, help="Held-out texts per source (default: all).")
    ] = None,
    no_iu: Annotated[
        bool, typer.Option("--no-iu", help="Leave out the IU chest X-ray reports (notes only).")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Default 0.")] = None,
    device: Annotated[
        str | None, typer.Option("--device", help="cpu, cuda, cuda:1 (default: automatic).")
    ] = None,
    model_dir: Annotated[
        str | None, typer.Option("--model", help="The local BERT folder to adapt (default: packaged MiniLM).")
    ] = None,
) -> None:
    """Continue masked-language-model pretraining of the text encoder on the store's clinical notes and the
    IU chest X-ray reports; report held-out perplexity before (original encoder, trained head) and after.

    OUT is a Hugging Face folder that the text encoder loads (encoder option model_dir=OUT), with
    OUT/text_mlm.json. Without --store, the root --store is used when it holds a store; else IU reports only.
    """
    from healthfm.pretrain.text_mlm import STAGES, TextMLMConfig, adapt_text_encoder
    from healthfm.store.patient_store import PatientStore

    given: dict[str, Any] = {
        "epochs": epochs,
        "head_epochs": head_epochs,
        "batch_size": batch_size,
        "max_length": max_length,
        "max_texts": max_texts,
        "max_held_out_texts": max_held_out,
        "seed": seed,
        "device": device,
        "model_dir": model_dir,
    }
    try:
        config = TextMLMConfig.from_dict(
            {k: v for k, v in given.items() if v is not None} | {"iu_reports": not no_iu}
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    root = store_path if store_path is not None else _root_store(ctx)
    if root is not None and store_path is None and not (root / ".healthfm" / "store.json").is_file():
        err.print(f"no patient store at {escape(str(root))}: the clinical notes are left out")
        root = None
    store = None if root is None else PatientStore.open(root, create=False)
    try:
        with _Progress(err, config.head_epochs, config.epochs) as progress:
            result = adapt_text_encoder(
                store,
                out_dir,
                config,
                progress=progress,
                stage=lambda m: err.print(f"[dim]{escape(m)}[/dim]"),
            )
    finally:
        if store is not None:
            store.close()
    table = Table(title=f"held-out masked-token perplexity, {escape(str(out_dir))}")
    for col in ("source", "train texts", "held-out texts", "masked tokens", *STAGES):
        table.add_column(col.replace("_", " "), justify="left" if col == "source" else "right")
    for source in result.perplexity["after"]:
        sizes = result.corpus.get(source) or {
            split: sum(s[split] for s in result.corpus.values()) for split in ("train", "held_out")
        }
        table.add_row(
            source.replace("_", " "),
            f"{sizes['train']:,}",
            f"{sizes['held_out']:,}",
            f"{result.masked_tokens[source]:,}",
            *(f"{result.perplexity[stage][source]:.1f}" for stage in STAGES),
        )
    out.print(table)
    out.print(
        f"before: original encoder + trained head; after: encoder continued-pretrained. "
        f"{result.seconds['total']:.0f} s on {result.device}; model folder {escape(str(out_dir))}"
    )


def _root_store(ctx: typer.Context) -> Path | None:
    """The root command's --store when this command is mounted under `healthfm`."""
    store: Any = getattr(ctx.find_root().obj, "store", None)
    return None if store is None else Path(store)


def register(app: typer.Typer) -> None:
    """Add `pretrain-text` to the healthfm CLI."""
    app.command("pretrain-text")(pretrain_text_command)
