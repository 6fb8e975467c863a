"""`healthfm <command>`: a thin map from command to typed function.

Exit codes: 0 success · 1 error · 2 bad arguments · 3 bad input data · 4 store problem ·
5 fetch/checksum problem · 70 internal error (a bug: rerun with --verbose and report it) ·
130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from healthfm import __version__
from healthfm.errors import HealthfmError, UsageError

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="healthfm: multimodal healthcare foundation models, from hospital files to an audited API.",
    pretty_exceptions_enable=False,
)
store_app = typer.Typer(no_args_is_help=True, help="Inspect and maintain the patient store.")
audit_app = typer.Typer(no_args_is_help=True, help="Read and verify the hash-chained audit log.")
app.add_typer(store_app, name="store")
app.add_typer(audit_app, name="audit")

out = Console()
err = Console(stderr=True)


@dataclass
class State:
    store: Path
    verbose: bool


def _version(value: bool) -> None:
    if value:
        out.print(f"healthfm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Annotated[
        Path,
        typer.Option("--store", envvar="HEALTHFM_STORE", help="Patient store folder.", show_default=True),
    ] = Path("healthfm-store"),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks and debug output.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = State(store=store, verbose=verbose)


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def _open_store(ctx: typer.Context, create: bool = False) -> Any:
    from healthfm.store.patient_store import PatientStore

    return PatientStore.open(_state(ctx).store, create=create)


# ---------------------------------------------------------------- store


@store_app.command("init")
def store_init(ctx: typer.Context) -> None:
    """Create an empty store at --store (nothing happens if one is there)."""
    with _open_store(ctx, create=True) as store:
        out.print(f"store ready at {store.root}")


@store_app.command("info")
def store_info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Subjects, events, codes, modalities, splits and size on disk."""
    with _open_store(ctx) as store:
        info = store.info()
    if as_json:
        body = {k: (str(v) if isinstance(v, Path) else v) for k, v in info.__dict__.items()}
        out.print_json(json.dumps(body))
        return
    table = Table(title=f"patient store {info.path}", show_header=False)
    table.add_row("subjects", f"{info.subjects:,}")
    table.add_row("events", f"{info.events:,}")
    table.add_row("codes", f"{info.codes:,}")
    table.add_row("shards", f"{info.shards:,}")
    table.add_row("modalities", ", ".join(f"{k} {v:,}" for k, v in info.modalities.items()) or "—")
    table.add_row("splits", ", ".join(f"{k} {v:,}" for k, v in info.splits.items()))
    table.add_row("blobs", f"{info.blobs:,}")
    table.add_row("size on disk", _human_bytes(info.size_bytes))
    out.print(table)


@store_app.command("append")
def store_append(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="MEDS event files (Parquet or CSV) to add.")],
) -> None:
    """Add MEDS events from Parquet/CSV files, all or nothing, with validation."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from healthfm.errors import DataError

    for f in files:
        if not f.is_file():
            raise UsageError(f"{f}: no such file")

    def batches() -> Any:
        for f in files:
            try:
                if f.suffix == ".csv":
                    yield pacsv.read_csv(f)
                else:
                    yield from pq.ParquetFile(f).iter_batches(batch_size=262_144)
            except (OSError, ValueError) as exc:
                raise DataError(f"{f}: cannot read as {f.suffix.lstrip('.') or 'parquet'}: {exc}") from None

    with _open_store(ctx, create=True) as store, _progress("appending events") as advance:
        result = store.append(batches(), progress=lambda stage, n: advance(n) if stage == "read" else None)
    out.print(
        f"appended {result.events:,} events for {result.subjects:,} subjects "
        f"({result.new_subjects:,} new) into {result.shards_written} shard(s)"
    )


@store_app.command("timeline")
def store_timeline(
    ctx: typer.Context,
    subject_id: Annotated[int, typer.Argument(help="Pseudonymous subject id.")],
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
) -> None:
    """Print one subject's events in time order."""
    with _open_store(ctx) as store:
        tl = store.timeline(subject_id)
    table = Table(title=f"subject {subject_id}: {len(tl):,} events")
    for col in ("time", "code", "numeric_value", "text_value", "modality", "blob"):
        table.add_column(col)
    for row in tl.table.slice(0, limit).to_pylist():
        text = row["text_value"]
        table.add_row(
            str(row["time"] or "static"),
            row["code"],
            "" if row["numeric_value"] is None else f"{row['numeric_value']:g}",
            "" if text is None else (text[:40] + "…" if len(text) > 40 else text),
            row["modality"] or "",
            (row["blob"] or "")[:30],
        )
    out.print(table)


# ---------------------------------------------------------------- audit


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Recompute the audit hash chain; exit 4 if any row was altered, removed or forged."""
    from healthfm.errors import StoreError

    with _open_store(ctx) as store:
        check = store.catalog.verify_audit_chain()
    if not check.ok:
        raise StoreError(f"audit chain broken at entry {check.first_bad_id}: {check.reason}")
    out.print(f"audit chain intact: {check.n_entries:,} entries")


@audit_app.command("log")
def audit_log(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Most recent entries to show.")] = 20,
) -> None:
    """Show the most recent audit entries."""
    with _open_store(ctx) as store:
        entries = store.catalog.audit_entries()
    table = Table(title="audit log")
    for col in ("id", "time (UTC)", "actor", "action", "subject", "details"):
        table.add_column(col)
    for e in entries[-limit:]:
        details = json.dumps(e.details, sort_keys=True)
        table.add_row(
            str(e.id), e.ts.isoformat(timespec="seconds"), e.actor, e.action, e.subject or "", details[:60]
        )
    out.print(table)


# ---------------------------------------------------------------- ingest / export


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    sources: Annotated[
        list[Path], typer.Argument(help="Files and folders: FHIR, DICOM, WFDB/EDF, notes, tables, OMOP.")
    ],
    workers: Annotated[int, typer.Option("--workers", help="Reader processes.")] = 1,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on the first quarantined record.")] = False,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Pseudonymisation key (else $HEALTHFM_PSEUDONYM_KEY_FILE / _KEY)."),
    ] = None,
    no_deid: Annotated[
        bool,
        typer.Option(
            "--no-deid", help="Skip the privacy gate: only for data already de-identified (audited)."
        ),
    ] = False,
    clear_burned_in: Annotated[
        bool,
        typer.Option("--clear-burned-in", help="I checked: these DICOM images carry no burned-in text."),
    ] = False,
    ner_model: Annotated[
        Path | None,
        typer.Option("--ner-model", help="A PHI tagger folder (deid train-ner) the note scrubber adds."),
    ] = None,
) -> None:
    """Read hospital files into the store; bad records go to quarantine with their reason.

    Ingesting the same files again adds nothing; an interrupted run can simply be run again.
    Exits non-zero when nothing could be ingested (or, with --strict, on any quarantine).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from healthfm.errors import DataError
    from healthfm.ingest.pipeline import default_readers, ingest
    from healthfm.privacy.gate import PrivacyGate, load_key

    if no_deid and ner_model is not None:
        raise UsageError("--ner-model is part of the privacy gate, which --no-deid skips")
    gate = None if no_deid else PrivacyGate(load_key(key_file), ner_model=ner_model)

    with _open_store(ctx, create=True) as store:
        columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, disable=not err.is_terminal) as bar:
            task = bar.add_task("units", total=None)
            report = ingest(
                sources,
                store,
                gate=gate,
                readers=default_readers(clear_burned_in=clear_burned_in),
                workers=workers,
                strict=strict,
                progress=lambda _stage, done, total: bar.update(task, completed=done, total=total),
            )
    table = Table(title=f"ingest run {report.run_id}")
    for col in ("type", "read", "ingested", "quarantined", "skipped"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for kind, read, ingested, quarantined, skipped in report.rows():
        table.add_row(kind, f"{read:,}", f"{ingested:,}", f"{quarantined:,}", f"{skipped:,}")
    out.print(table)
    out.print(
        f"{report.units:,} source(s) read, {report.units_already_ingested:,} already ingested, "
        f"{report.events:,} events stored, {report.subjects:,} subjects in the store, "
        f"{report.quarantined:,} record(s) quarantined"
        + (f" → {report.quarantine_file}" if report.quarantine_file else "")
    )
    if report.events == 0 and report.units > 0:
        raise DataError("nothing could be ingested; see the quarantine file for the reasons")


@app.command("export")
def export_command(
    ctx: typer.Context,
    subject_id: Annotated[int, typer.Option("--subject", help="Pseudonymous subject id.")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the FHIR Bundle (JSON).")],
) -> None:
    """Write all stored data of one patient as a FHIR R4 Bundle (right of access and portability)."""
    from healthfm.ingest.fhir_out import timeline_to_bundle

    with _open_store(ctx) as store:
        bundle = timeline_to_bundle(store.timeline(subject_id))
        store.catalog.audit(
            "cli", "export.subject", subject=str(subject_id), details={"format": "fhir-bundle"}
        )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(bundle, indent=1))
    out.print(f"wrote {len(bundle.get('entry', [])):,} resources of subject {subject_id} to {out_file}")


# ---------------------------------------------------------------- privacy and rights

privacy_app = typer.Typer(no_args_is_help=True, help="Pseudonymisation keys.")
consent_app = typer.Typer(no_args_is_help=True, help="Record and show patients' consent decisions.")
deid_app = typer.Typer(no_args_is_help=True, help="Run the de-identification gate on its own.")
app.add_typer(privacy_app, name="privacy")
app.add_typer(consent_app, name="consent")
app.add_typer(deid_app, name="deid")


@privacy_app.command("keygen")
def privacy_keygen(
    path: Annotated[Path, typer.Argument(help="Where to write the key: keep it away from the store.")],
) -> None:
    """Create a random 256-bit pseudonymisation key (mode 600); never overwrites an existing key."""
    from healthfm.privacy.gate import KEY_FILE_ENV, generate_key

    generate_key(path)
    out.print(f"wrote a new key to {path}; use it with --key-file {path} or {KEY_FILE_ENV}={path}")


@consent_app.command("set")
def consent_set(
    ctx: typer.Context,
    subject_id: Annotated[int, typer.Option("--subject", help="Pseudonymous subject id.")],
    scope: Annotated[str, typer.Option("--scope", help="research, training, evaluation, or all.")] = "all",
    deny: Annotated[bool, typer.Option("--deny/--grant", help="Opt out (default) or opt back in.")] = True,
    source: Annotated[str, typer.Option("--source", help="Where the decision came from.")] = "cli",
) -> None:
    """Record a consent decision; opted-out patients are left out of training and evaluation data."""
    with _open_store(ctx) as store:
        if subject_id not in store:
            from healthfm.errors import StoreError

            raise StoreError(f"subject {subject_id} is not in the store at {store.root}")
        store.catalog.set_consent(subject_id, scope, not deny, source=source, actor="cli")
    out.print(f"subject {subject_id}: {scope} {'denied' if deny else 'granted'}")


@consent_app.command("show")
def consent_show(
    ctx: typer.Context,
    subject_id: Annotated[int, typer.Option("--subject", help="Pseudonymous subject id.")],
) -> None:
    """Every consent decision recorded for one subject, oldest first."""
    with _open_store(ctx) as store:
        history = store.catalog.consent_history(subject_id)
    table = Table(title=f"consent of subject {subject_id}")
    for col in ("recorded (UTC)", "scope", "decision", "source"):
        table.add_column(col)
    for rec in history:
        table.add_row(str(rec.recorded_at), rec.scope, "granted" if rec.granted else "denied", rec.source)
    out.print(table if history else f"no consent decision recorded for subject {subject_id}")


@app.command("erase")
def erase_command(
    ctx: typer.Context,
    subject_id: Annotated[int, typer.Option("--subject", help="Pseudonymous subject id to erase.")],
    reason: Annotated[str, typer.Option(help="Why (recorded in the catalog).")] = "GDPR Art. 17 request",
    requested_by: Annotated[str, typer.Option(help="Who asked (recorded).")] = "cli",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Right to erasure: remove every trace of one patient and list the models trained on them."""
    if not yes and not typer.confirm(f"Erase subject {subject_id} permanently?"):
        raise typer.Exit(1)
    with _open_store(ctx) as store:
        result = store.erase(subject_id, requested_by=requested_by, reason=reason)
        models = store.catalog.models_trained_on(subject_id)
    out.print(
        f"erased subject {subject_id}: {result.events_removed:,} events and "
        f"{result.blobs_removed:,} blobs removed"
    )
    if models:
        listed = ", ".join(f"{m.name}@{m.version}" for m in models)
        out.print(f"models whose training data included this patient (retrain or retire them): {listed}")
    else:
        out.print("no registered model was trained on this patient")


@deid_app.command("notes")
def deid_notes(
    src: Annotated[Path, typer.Argument(help="A text file or a folder of .txt notes.")],
    dst: Annotated[Path, typer.Argument(help="Output folder for the scrubbed notes.")],
    tags: Annotated[
        bool, typer.Option("--tags", help="Replace PHI with [CATEGORY] tags, not surrogates.")
    ] = False,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="Key for surrogates and date shifts.")
    ] = None,
    ner_model: Annotated[
        Path | None,
        typer.Option(
            "--ner-model", help="A PHI tagger folder (deid train-ner): its spans add to the rules'."
        ),
    ] = None,
) -> None:
    """Scrub PHI from plain-text notes (the 18 HIPAA identifier kinds); writes a span report per note."""
    from healthfm.privacy.commands import deid_notes_tree

    counts = deid_notes_tree(src, dst, tags=tags, key_file=key_file, ner_model=ner_model)
    out.print(f"scrubbed {counts['notes']:,} note(s), {counts['spans']:,} PHI span(s) → {dst}")


@deid_app.command("train-ner")
def deid_train_ner(
    data: Annotated[
        list[Path],
        typer.Argument(help='JSONL of annotated notes: {"text", "spans": [{"start", "end", "category"}]}.'),
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="The tagger folder to write (new or empty).")],
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the training notes.")] = 3,
    val_fraction: Annotated[
        float, typer.Option("--val-fraction", help="Share of notes held out for validation.")
    ] = 0.1,
    threshold: Annotated[
        float, typer.Option("--threshold", help="P(PHI) from which a token is PHI (low = recall first).")
    ] = 0.3,
    description: Annotated[
        str, typer.Option("--description", help="What the notes are, recorded in the tagger's config.")
    ] = "",
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Train the learned PHI tagger (MiniLM + character features) that `--ner-model` adds to the rules.

    Runs on CPU; the base model comes from the installed package, nothing is downloaded. Notes are split
    by note into training and validation; the validation recall per category is printed and saved.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from healthfm.privacy.commands import train_ner

    columns = (
        TextColumn("train-ner"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[loss]}"),
    )
    with Progress(*columns, console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("steps", total=None, loss="")
        report = train_ner(
            data,
            out_dir,
            epochs=epochs,
            val_fraction=val_fraction,
            threshold=threshold,
            seed=seed,
            description=description,
            progress=lambda done, total, loss: bar.update(
                task, completed=done, total=total, loss=f"loss {loss:.4f}"
            ),
        )
    val = report.get("validation")
    out.print(f"trained on {report['train_notes']:,} notes in {report['train_seconds']:.0f} s → {out_dir}")
    if val:
        out.print(
            f"validation: {val['notes']:,} notes, token recall {val['recall']:.4f}, "
            f"precision {val['precision']:.4f} (the tagger alone)"
        )
        table = Table()
        for col in ("category", "tokens", "recall"):
            table.add_column(col, justify="left" if col == "category" else "right")
        for cat, row in val["per_category"].items():
            table.add_row(cat, f"{row['tokens']:,}", f"{row['recall']:.4f}")
        out.print(table)


@deid_app.command("dicom")
def deid_dicom(
    src: Annotated[Path, typer.Argument(help="A DICOM file or folder.")],
    dst: Annotated[Path, typer.Argument(help="Output folder for de-identified files.")],
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="Key for pseudonyms, UIDs, date shifts.")
    ] = None,
    clear_burned_in: Annotated[
        bool, typer.Option("--clear-burned-in", help="I checked: these images carry no burned-in text.")
    ] = False,
) -> None:
    """PS3.15 Basic Application Level Confidentiality Profile (+ Retain Longitudinal, Modified Dates)."""
    from healthfm.privacy.commands import deid_dicom_files

    counts = deid_dicom_files(src, dst, key_file=key_file, clear_burned_in=clear_burned_in)
    out.print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" → {dst}")


# ---------------------------------------------------------------- demo


@app.command("finetune")
def finetune_command(
    ctx: typer.Context,
    task: Annotated[str, typer.Option("--task", help="A built-in task name or a task YAML file.")],
    out_dir: Annotated[Path, typer.Option("--out", help="The run folder to write.")],
    from_run: Annotated[
        Path | None, typer.Option("--from", help="Initialise from a saved model or run (pretrained weights).")
    ] = None,
    modalities: Annotated[
        str | None,
        typer.Option(
            "--modalities", help="Comma-separated: events,tabular,text,image,signal (default: all)."
        ),
    ] = None,
    preset: Annotated[
        str | None, typer.Option("--preset", help="Encoder size: small (default) or base.")
    ] = None,
    fusion: Annotated[
        str | None, typer.Option("--fusion", help="attention (default), early or late.")
    ] = None,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Default 20.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Default 32.")] = None,
    lr: Annotated[float | None, typer.Option("--lr", min=0.0, help="Default 0.001.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Default 0.")] = None,
    device: Annotated[
        str | None, typer.Option("--device", help="cpu, cuda, cuda:1 (default: automatic).")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option("--mode", help="Adaptation: full (default), linear_probe, llrd or lora."),
    ] = None,
    keep_layers: Annotated[
        int | None,
        typer.Option("--keep-layers", help="Compact model: keep each transformer's lower k layers."),
    ] = None,
    shots: Annotated[
        int | None, typer.Option("--shots", help="Few-shot: k training patients per class.")
    ] = None,
    llrd_decay: Annotated[
        float | None,
        typer.Option("--llrd-decay", help="--mode llrd: lr factor per layer down (default 0.75)."),
    ] = None,
    lora_rank: Annotated[
        int | None, typer.Option("--lora-rank", help="--mode lora: rank (default 8).")
    ] = None,
    reweight: Annotated[
        str | None,
        typer.Option(
            "--reweight",
            help="Fairness mitigation: reweighing over sex, age_band, race_ethnicity or site × label.",
        ),
    ] = None,
    threshold_rule: Annotated[
        str | None,
        typer.Option(
            "--threshold-rule",
            help="Operating threshold chosen on the tuning split: youden (default), f1, sensitivity:0.9 …",
        ),
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="A JSON FinetuneConfig; flags given here override it.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the run in --out from its last epoch.")
    ] = False,
) -> None:
    """Fine-tune the multimodal model on a task; writes a run folder and registers the model.

    With --from, the encoders and fusion are those of the pretrained run; --mode says what trains
    (lora also writes RUN/adapter/). Runs unchanged under `torchrun --nproc-per-node N` (DDP: gloo on CPU,
    NCCL on GPU).
    """
    from healthfm.train.distributed import init_distributed, shutdown
    from healthfm.train.finetune import FinetuneConfig, finetune, task_monitor
    from healthfm.train.progress import RichTrainProgress

    config = FinetuneConfig.from_sources(
        config_file,
        {
            "task": task,
            "preset": preset,
            "fusion": fusion,
            "modalities": modalities,
            "mode": mode,
            "keep_layers": keep_layers,
            "shots": shots,
            "llrd_decay": llrd_decay,
            "lora_rank": lora_rank,
            "reweight": reweight,
            "threshold_rule": threshold_rule,
        },
        {"epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed, "device": device},
    )
    epochs_total = config.train.epochs
    info = init_distributed(config.train.device)
    try:
        with _open_store(ctx) as store:
            from healthfm.tasks import load_task

            monitor, _ = task_monitor(load_task(task))
            with RichTrainProgress(err, epochs_total, monitor) as progress:
                result = finetune(
                    store,
                    config,
                    out_dir,
                    init_from=from_run,
                    resume=resume,
                    progress=progress,
                    stage=lambda msg: err.print(f"[dim]{msg}[/dim]"),
                    dist_info=info,
                )
    finally:
        shutdown(info)
    if not info.is_main:
        return
    table = Table(title=f"finetune {task} -> {out_dir}")
    table.add_column("split")
    keys = sorted({k for m in result.metrics.values() for k in m})
    for k in keys:
        table.add_column(k, justify="right")
    for split, metrics in result.metrics.items():
        table.add_row(split, *(f"{metrics.get(k, float('nan')):.4f}" for k in keys))
    out.print(table)
    version = f", registered as {task} v{result.model_version}" if result.model_version else ""
    out.print(
        f"best epoch {result.result.best_epoch + 1} "
        f"({result.result.monitor} {result.result.best_score:.4f}), "
        f"{result.seconds.get('total', 0):.0f} s{version}; run folder {out_dir}"
    )


@app.command("demo")
def demo(
    ctx: typer.Context,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where the demo writes its store and report.")
    ] = Path("runs/demo"),
) -> None:
    """Run what exists end to end on the embedded default and say what it did."""
    from healthfm.demo import run_demo

    run_demo(out_dir, console=out)


# ---------------------------------------------------------------- plumbing


def _progress(description: str) -> Any:
    from contextlib import contextmanager

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar() -> Any:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=not err.is_terminal,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task(description, total=None)
            yield lambda n: progress.advance(task, n)

    return bar()


def _human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.1f} {unit}" if unit != "B" else f"{n} B"
        size /= 1024
    return f"{n} B"


def _register_plugins() -> None:
    """Commands defined next to their stage register themselves here."""
    import importlib

    for module in (
        "healthfm.datasets.commands",
        "healthfm.synth.commands",
        "healthfm.tasks.commands",
        "healthfm.pretrain.commands",
        "healthfm.pretrain.text_commands",
        "healthfm.evaluate.commands",
        "healthfm.evaluate.real_commands",
        "healthfm.explain.commands",
        "healthfm.serve.commands",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and exc.name.startswith("healthfm"):
                continue
            raise
        mod.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one-line errors, a traceback only with --verbose."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args or "--verbose" in args or os.environ.get("HEALTHFM_VERBOSE") == "1"
    try:
        _register_plugins()
        app(args=args, standalone_mode=False)
    except HealthfmError as exc:
        if verbose:
            traceback.print_exc()
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:
        show = getattr(exc, "show", None)
        if isinstance(exc, typer.TyperException) and callable(show):  # bad arguments: typer's own message
            show()
            sys.exit(int(getattr(exc, "exit_code", 2)))
        if verbose:
            traceback.print_exc()
        err.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc} — "
            "rerun with --verbose for the traceback",
            highlight=False,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
