"""healthfm's side of the real-data benchmarks: the `healthfm finetune` path on an in-memory store.

Samples from a `Task` → processors fitted on the training patients → `SampleDataset` → a
`FoundationModel` built by `build_model_config` (as fine-tuning builds it) → the one training loop with
early stopping on the validation split. A small grid of training settings is chosen on validation,
exactly as the baselines' hyperparameters are.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from safetensors.torch import save_file
from torch import nn

from healthfm.data import SampleDataset, build_processors, fit_processors, make_loader
from healthfm.data.base import Processor
from healthfm.errors import DataError
from healthfm.evaluate.real import HEALTHFM, MemoryStore, MethodResult
from healthfm.model import CONFIG_FILE, WEIGHTS_FILE, FoundationModel
from healthfm.schema import Modality, ModalityInput, Sample
from healthfm.tasks import Task
from healthfm.train.finetune import FinetuneConfig, build_model_config, predict_samples, score, task_monitor
from healthfm.train.loop import EpochRecord, TrainConfig, seed_everything, train

TEXT_BACKBONE = "encoders.text.backbone."


@dataclass
class HealthfmSetup:
    """What healthfm is built from on one benchmark; `candidates` are TrainConfig/encoder overrides."""

    modalities: tuple[str, ...]
    processor_options: dict[str, dict[str, Any]]
    encoder_options: dict[str, dict[str, Any]]
    train: TrainConfig
    candidates: list[dict[str, Any]] = field(default_factory=lambda: [{}])
    head_options: dict[str, Any] = field(default_factory=dict)
    fusion_options: dict[str, Any] = field(default_factory=dict)
    survival_bins: int = 8
    d_model: int = 128


@dataclass
class HealthfmFit:
    tuning: np.ndarray[Any, Any]  # predictions on the validation split, in sample order
    test: np.ndarray[Any, Any]
    tuning_score: float
    monitor: str
    selected: dict[str, Any]
    best_epoch: int
    parameters: int
    trainable: int
    grid: list[dict[str, Any]]

    def method(self, description: str, metric: str, seconds: float, **selected: Any) -> MethodResult:
        """This fit as the bench's result row for healthfm, its tuning score reported as `metric`."""
        return MethodResult(
            HEALTHFM,
            description,
            tuning={metric: self.tuning_score},
            selected={**self.selected, "epochs": self.best_epoch, **selected},
            seconds=seconds,
        )


def tabular_setup(quick: bool, seed: int, survival_bins: int = 8) -> HealthfmSetup:
    """The tabular encoder + head on a small table: every variable kept (a code present in >= 1 % of the
    training patients becomes a feature); learning rate x encoder dropout chosen on validation."""
    grid: list[dict[str, Any]] = [
        {"lr": lr, "encoder_options": {"tabular": {"dropout": p}}}
        for lr in (3e-4, 1e-3, 3e-3)
        for p in (0.0, 0.2)
    ]
    return HealthfmSetup(
        modalities=("tabular",),
        processor_options={"tabular": {"min_frac": 0.01}},
        encoder_options={},
        train=TrainConfig(epochs=6 if quick else 80, batch_size=32, patience=10, seed=seed),
        candidates=[{}] if quick else grid,
        survival_bins=survival_bins,
    )


def monitor_of(task: Task) -> tuple[str, bool]:
    if str(task.kind) == "multilabel":
        return "macro_auroc", True
    return task_monitor(task)


class _RunBar:
    """The loop's progress sink as one rich bar per training run: epochs done and the tuning score."""

    def __init__(self, progress: Progress, label: str, epochs: int, monitor: str) -> None:
        self.progress, self.monitor = progress, monitor
        self.task: TaskID = progress.add_task(label, total=epochs, score="")

    def start(self, epoch: int, total_batches: int) -> None:
        return None

    def advance(self, loss: float, samples_per_s: float) -> None:
        return None

    def end_epoch(self, record: EpochRecord) -> None:
        value = record.tuning.get(self.monitor, float("nan"))
        self.progress.update(self.task, advance=1, score=f"{self.monitor} {value:.3f}")

    def finish(self) -> None:
        total = self.progress.tasks[self.task].total
        self.progress.update(self.task, completed=total)


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[score]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def save_without_text_backbone(model: nn.Module, folder: Path) -> None:
    """The loop's `save_best` when the text backbone is frozen: every tensor but the backbone's (it is the
    packaged model, unchanged); the loop reloads with strict=False, so the backbone and the encoder's
    feature cache stay as they are."""
    assert isinstance(model, FoundationModel)
    folder.mkdir(parents=True, exist_ok=True)
    state = {
        k: v.detach().contiguous().cpu()
        for k, v in model.state_dict().items()
        if not k.startswith(TEXT_BACKBONE)
    }
    save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt", "healthfm": "FoundationModel"})
    model.config.to_file(folder / CONFIG_FILE)


def warm_text_cache(
    model: FoundationModel,
    datasets: Sequence[SampleDataset],
    processor: Processor,
    console: Console,
    batch_size: int = 64,
) -> int:
    """Run the frozen text encoder once over every text, shortest first (least padding), filling the
    encoder's own feature cache; training and prediction then read it. Returns the texts encoded."""
    encoder = model.encoders[Modality.TEXT.value]
    arrays = [it.inputs.get(Modality.TEXT) for ds in datasets for it in (ds[i] for i in range(len(ds)))]
    present = [a for a in arrays if a is not None]
    present.sort(key=lambda a: int(a["attention_mask"].sum()))
    was = encoder.training
    encoder.eval()
    with progress_bar(console) as bar, torch.no_grad():
        task = bar.add_task("encoding texts (frozen encoder, cached)", total=len(present), score="")
        for i in range(0, len(present), batch_size):
            chunk = present[i : i + batch_size]
            inp: ModalityInput = processor.collate(chunk)
            encoder(inp)
            bar.update(task, advance=len(chunk))
    encoder.train(was)
    return len(present)


def fit_healthfm(
    store: MemoryStore,
    task: Task,
    splits: Mapping[str, list[Sample]],
    setup: HealthfmSetup,
    out: Path,
    console: Console,
) -> HealthfmFit:
    """Train one model per candidate (each early-stopped on `tuning`), keep the best on `tuning`, and
    return its predictions on `tuning` and `test`."""
    modalities = [Modality(m) for m in setup.modalities]
    processors = build_processors(modalities, {Modality(m): o for m, o in setup.processor_options.items()})
    fit_processors(store, splits["train"], processors, visible=task.visible)
    datasets = {
        name: SampleDataset(store, samples, processors, visible=task.visible)
        for name, samples in splits.items()
    }
    for name, ds in datasets.items():
        ds.materialize()
        if ds.problems:
            raise DataError(f"{name}: {len(ds.problems)} sample(s) lost a modality: {ds.problems[0].reason}")
    kind = str(task.kind)
    monitor, higher = monitor_of(task)
    text_frozen = Modality.TEXT in modalities and setup.encoder_options.get("text", {}).get("freeze") == "all"
    best: HealthfmFit | None = None
    grid: list[dict[str, Any]] = []
    for k, candidate in enumerate(setup.candidates):
        train_values = {key: v for key, v in candidate.items() if key in TrainConfig.__dataclass_fields__}
        encoder_overrides = candidate.get("encoder_options", {})
        tc = TrainConfig.from_dict({**setup.train.to_dict(), **train_values})
        config = FinetuneConfig(
            task=task.name,
            modalities=setup.modalities,
            preset="small",
            fusion="attention",
            d_model=setup.d_model,
            modality_dropout=0.0,  # one modality: nothing to drop
            encoder_options={
                m: {**setup.encoder_options.get(m, {}), **encoder_overrides.get(m, {})}
                for m in setup.modalities
            },
            head_options=setup.head_options,
            fusion_options=setup.fusion_options,
            survival_bins=setup.survival_bins,
            train=tc,
        )
        model_config = build_model_config(config, task, processors, splits["train"])
        seed_everything(tc.seed)  # the initial weights depend on the seed alone
        model = FoundationModel(model_config)
        if text_frozen:
            warm_text_cache(model, list(datasets.values()), processors[Modality.TEXT], console)
        loaders = {
            name: make_loader(
                ds, processors, kind, tc.batch_size, shuffle=name == "train", train=name == "train"
            )
            for name, ds in datasets.items()
        }
        tuning_loader = loaders["tuning"]

        def evaluate(m: nn.Module, device: torch.device, loader: Any = tuning_loader) -> dict[str, float]:
            _, y, obs, pred, loss = predict_samples(m, loader, device)
            return score(task, y, obs, pred, loss)

        label = ", ".join(f"{key}={v}" for key, v in _flat(candidate).items()) or "defaults"
        run_dir = out / f"candidate-{k}"
        shutil.rmtree(run_dir, ignore_errors=True)  # a rerun starts fresh (the loop appends its history)
        t0 = time.perf_counter()
        with progress_bar(console) as bar:
            sink = _RunBar(bar, f"{HEALTHFM} {label}", tc.epochs, monitor)
            result = train(
                model,
                loaders["train"],
                tc,
                out_dir=run_dir,
                evaluate=evaluate,
                monitor=monitor,
                higher_is_better=higher,
                progress=sink,
                save_best=save_without_text_backbone if text_frozen else None,
            )
            sink.finish()
        device = next(model.parameters()).device
        preds = {}
        for name in ("tuning", "test"):
            ids, _, _, pred, _ = predict_samples(model, loaders[name], device)
            expected = [s.subject_id for s in splits[name]]
            if ids.tolist() != expected:
                raise DataError(f"healthfm predictions for {name} are not in sample order")
            preds[name] = pred
        row = {**_flat(candidate), monitor: result.best_score, "best_epoch": result.best_epoch + 1}
        row["seconds"] = round(time.perf_counter() - t0, 1)
        grid.append(row)
        console.print(
            f"  healthfm {label}: validation {monitor} {result.best_score:.4f} "
            f"(epoch {result.best_epoch + 1}, {row['seconds']:.0f} s)",
            highlight=False,
        )
        better = best is None or (
            result.best_score > best.tuning_score if higher else result.best_score < best.tuning_score
        )
        if better:
            best = HealthfmFit(
                tuning=preds["tuning"],
                test=preds["test"],
                tuning_score=result.best_score,
                monitor=monitor,
                selected=_flat(candidate),
                best_epoch=result.best_epoch + 1,
                parameters=model.num_parameters(),
                trainable=model.num_parameters(trainable_only=True),
                grid=grid,
            )
    assert best is not None
    return best


def _flat(candidate: Mapping[str, Any]) -> dict[str, Any]:
    """A candidate as flat names: encoder options become "tabular.dropout" and the like."""
    out: dict[str, Any] = {}
    for key, value in candidate.items():
        if key == "encoder_options":
            for modality, options in value.items():
                for name, v in options.items():
                    out[f"{modality}.{name}"] = v
        else:
            out[key] = value
    return out
