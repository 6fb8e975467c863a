"""The one training loop: fine-tuning now, pretraining and federated rounds later (objects passed in).

AdamW, linear warm-up + cosine decay, gradient clipping and accumulation, bf16 autocast on GPU, early
stopping on the tuning split, seeded, checkpoints (safetensors + JSON) with resume, DDP under torchrun.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sized
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self

import numpy as np
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from healthfm.configs import config_from_dict
from healthfm.errors import UsageError
from healthfm.schema import Batch, ModalityInput, ModelOutput
from healthfm.train.distributed import DistInfo, barrier, init_distributed

TRAIN_STATE = "train_state.pt"
HISTORY = "history.jsonl"


@dataclass
class TrainConfig:
    epochs: int = 20
    batch_size: int = 32
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_frac: float = 0.05
    min_lr_frac: float = 0.05  # the cosine ends at this fraction of lr
    grad_clip: float = 1.0
    accumulation: int = 1
    mixed_precision: str = "auto"  # auto = bf16 autocast on CUDA, none on CPU; or "bf16" / "none"
    patience: int = 5  # epochs without improvement on the tuning split before stopping
    seed: int = 0
    max_steps: int | None = None
    device: str | None = None  # None = CUDA when present, else CPU

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "accumulation", "patience"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.lr <= 0:
            raise ValueError(f"lr must be positive, got {self.lr}")
        if not 0 <= self.warmup_frac < 1:
            raise ValueError(f"warmup_frac must be in [0, 1), got {self.warmup_frac}")
        if self.mixed_precision not in ("auto", "bf16", "none"):
            raise ValueError(f"mixed_precision must be auto, bf16 or none, got {self.mixed_precision!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return config_from_dict(cls, data)


class Evaluator(Protocol):
    """Scores the model on the tuning split; returns metrics, one of which the loop monitors."""

    def __call__(self, model: nn.Module, device: torch.device, /) -> dict[str, float]: ...


@dataclass
class EpochRecord:
    epoch: int
    train_loss: float
    samples_per_s: float
    seconds: float
    lr: float
    tuning: dict[str, float] = field(default_factory=dict)


@dataclass
class TrainResult:
    best_epoch: int
    best_score: float
    monitor: str
    history: list[EpochRecord]
    stopped_early: bool
    seconds: float
    samples_per_s: float


class ProgressSink(Protocol):
    def start(self, epoch: int, total_batches: int) -> None: ...
    def advance(self, loss: float, samples_per_s: float) -> None: ...
    def end_epoch(self, record: EpochRecord) -> None: ...


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def batch_to(batch: Batch, device: torch.device) -> Batch:
    if device.type == "cpu":
        return batch
    nb = device.type == "cuda"
    inputs = {
        m: ModalityInput(
            {k: v.to(device, non_blocking=nb) for k, v in inp.values.items()}, inp.mask.to(device)
        )
        for m, inp in batch.inputs.items()
    }

    def move(t: torch.Tensor | None) -> torch.Tensor | None:
        return None if t is None else t.to(device, non_blocking=nb)

    return Batch(batch.subject_ids, inputs, move(batch.targets), move(batch.event_observed))


def parameter_groups(model: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """No weight decay on biases, norms and embeddings' position/type tables; frozen parameters left out."""
    decay: list[nn.Parameter] = []
    no_decay: list[nn.Parameter] = []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim < 2 or "norm" in name or name.endswith(".cls") else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def warmup_cosine(total_steps: int, warmup_frac: float, min_frac: float) -> Callable[[int], float]:
    warmup = max(1, int(total_steps * warmup_frac))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total_steps - warmup))
        return min_frac + (1 - min_frac) * 0.5 * (1 + math.cos(math.pi * progress))

    return factor


def _autocast(config: TrainConfig, device: torch.device) -> AbstractContextManager[Any]:
    mode = config.mixed_precision
    if mode == "bf16" or (mode == "auto" and device.type == "cuda"):
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return nullcontext()


def train(
    model: nn.Module,
    train_loader: Iterable[Batch],
    config: TrainConfig,
    *,
    out_dir: Path,
    evaluate: Evaluator | None = None,
    monitor: str = "loss",
    higher_is_better: bool = False,
    param_groups: list[dict[str, Any]] | None = None,
    resume: bool = False,
    progress: ProgressSink | None = None,
    save_best: Callable[[nn.Module, Path], None] | None = None,
    dist_info: DistInfo | None = None,
) -> TrainResult:
    """Train `model` (whose forward returns a `ModelOutput` with a loss) and keep its best weights.

    `save_best(model, folder)` writes the best model (default: `model.save(folder)` when it has one);
    the loop writes `out_dir/best/`, `out_dir/last/` (+ optimiser state for `resume`) and a history.
    """
    info = dist_info or init_distributed(config.device)
    device = info.device
    seed_everything(config.seed + info.rank)
    out_dir = Path(out_dir)
    if info.is_main:
        out_dir.mkdir(parents=True, exist_ok=True)
    model.to(device)
    net: nn.Module = model
    if info.distributed:
        net = DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
    groups = param_groups or parameter_groups(model, config.weight_decay)
    if not any(len(g["params"]) for g in groups):
        raise UsageError("nothing to train: every parameter is frozen")
    fused = device.type == "cuda"
    optimizer = torch.optim.AdamW(groups, lr=config.lr, weight_decay=config.weight_decay, fused=fused)
    n_batches = len(train_loader) if isinstance(train_loader, Sized) else 0
    steps_per_epoch = max(1, math.ceil(n_batches / config.accumulation)) if n_batches else 1
    total_steps = config.max_steps or config.epochs * steps_per_epoch
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, warmup_cosine(total_steps, config.warmup_frac, config.min_lr_frac)
    )
    saver = save_best or _default_save
    state = _State()
    if resume:
        state = _resume(model, optimizer, scheduler, out_dir, device)
    started = time.perf_counter()
    total_samples = 0
    for epoch in range(state.next_epoch, config.epochs):
        if state.step >= total_steps or state.bad_epochs >= config.patience:
            break
        set_epoch = getattr(getattr(train_loader, "sampler", None), "set_epoch", None)
        if callable(set_epoch):
            set_epoch(epoch)  # DistributedSampler: a different shuffle each epoch
        record = _run_epoch(
            net,
            model,
            train_loader,
            optimizer,
            scheduler,
            config,
            device,
            epoch,
            state,
            total_steps,
            n_batches,
            progress if info.is_main else None,
        )
        total_samples += int(record.samples_per_s * record.seconds)
        if evaluate is not None:
            model.eval()
            with torch.no_grad():
                record.tuning = evaluate(model, device)
        score = record.tuning.get(monitor, record.train_loss if monitor == "loss" else float("nan"))
        improved = not math.isnan(score) and (
            state.best_score is None
            or (score > state.best_score if higher_is_better else score < state.best_score)
        )
        if improved:
            state.best_score, state.best_epoch, state.bad_epochs = score, epoch, 0
            if info.is_main:
                saver(model, out_dir / "best")
        else:
            state.bad_epochs += 1
        state.next_epoch = epoch + 1
        state.history.append(record)
        if info.is_main:
            _checkpoint(model, optimizer, scheduler, state, out_dir, saver)
            with (out_dir / HISTORY).open("a") as fh:
                fh.write(json.dumps(dataclasses.asdict(record)) + "\n")
            if progress is not None:
                progress.end_epoch(record)
        barrier(info)
    barrier(info)
    best = out_dir / "best"
    if (best / "model.safetensors").is_file() and hasattr(model, "load_state_dict"):
        from safetensors.torch import load_file

        model.load_state_dict(load_file(str(best / "model.safetensors"), device=str(device)), strict=False)
    seconds = time.perf_counter() - started
    return TrainResult(
        best_epoch=state.best_epoch,
        best_score=float("nan") if state.best_score is None else state.best_score,
        monitor=monitor,
        history=state.history,
        stopped_early=state.bad_epochs >= config.patience and state.next_epoch < config.epochs,
        seconds=seconds,
        samples_per_s=total_samples / seconds if seconds > 0 else 0.0,
    )


@dataclass
class _State:
    next_epoch: int = 0
    step: int = 0
    best_score: float | None = None
    best_epoch: int = -1
    bad_epochs: int = 0
    history: list[EpochRecord] = field(default_factory=list)


def _run_epoch(
    net: nn.Module,
    model: nn.Module,
    loader: Iterable[Batch],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LambdaLR,
    config: TrainConfig,
    device: torch.device,
    epoch: int,
    state: _State,
    total_steps: int,
    n_batches: int,
    progress: ProgressSink | None,
) -> EpochRecord:
    net.train()
    if progress is not None:
        progress.start(epoch, n_batches)
    t0 = time.perf_counter()
    seen, loss_sum, n_loss = 0, 0.0, 0
    optimizer.zero_grad(set_to_none=True)
    for i, raw in enumerate(loader):
        batch = batch_to(raw, device)
        last_of_group = (i + 1) % config.accumulation == 0 or (n_batches and i + 1 == n_batches)
        sync: AbstractContextManager[Any] = nullcontext()
        if isinstance(net, DistributedDataParallel) and not last_of_group:
            sync = net.no_sync()  # accumulate locally; all-reduce once per optimiser step
        with sync:
            with _autocast(config, device):
                out: ModelOutput = net(batch)
            if out.loss is None:
                raise UsageError("the model returned no loss: the batches carry no targets")
            if not torch.isfinite(out.loss):
                raise UsageError(f"the training loss became {out.loss.item()} at epoch {epoch}, batch {i}")
            (out.loss / config.accumulation).backward()  # type: ignore[no-untyped-call]
        if last_of_group:
            if config.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state.step += 1
        seen += batch.size
        loss_sum += float(out.loss.detach()) * batch.size
        n_loss += batch.size
        if progress is not None:
            progress.advance(loss_sum / max(1, n_loss), seen / max(1e-9, time.perf_counter() - t0))
        if state.step >= total_steps:
            break
    seconds = time.perf_counter() - t0
    return EpochRecord(
        epoch=epoch,
        train_loss=loss_sum / max(1, n_loss),
        samples_per_s=seen / max(1e-9, seconds),
        seconds=seconds,
        lr=float(scheduler.get_last_lr()[0]),
    )


def _default_save(model: nn.Module, folder: Path) -> None:
    save = getattr(model, "save", None)
    if not callable(save):
        raise UsageError(f"{type(model).__name__} has no save(folder); pass save_best=")
    save(folder)


def _checkpoint(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LambdaLR,
    state: _State,
    out_dir: Path,
    saver: Callable[[nn.Module, Path], None],
) -> None:
    last = out_dir / "last"
    saver(model, last)
    payload = {
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "state": {k: v for k, v in dataclasses.asdict(state).items() if k != "history"},
        "history": [dataclasses.asdict(r) for r in state.history],
        "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "python": random.getstate()},
    }
    tmp = last / (TRAIN_STATE + ".tmp")
    torch.save(payload, tmp)
    tmp.replace(last / TRAIN_STATE)


def _resume(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LambdaLR,
    out_dir: Path,
    device: torch.device,
) -> _State:
    from safetensors.torch import load_file

    last = out_dir / "last"
    if not (last / TRAIN_STATE).is_file():
        raise UsageError(f"nothing to resume in {out_dir}: no last/{TRAIN_STATE}")
    model.load_state_dict(load_file(str(last / "model.safetensors"), device=str(device)), strict=False)
    payload = torch.load(last / TRAIN_STATE, map_location=device, weights_only=False)
    optimizer.load_state_dict(payload["optimizer"])
    scheduler.load_state_dict(payload["scheduler"])
    torch.set_rng_state(payload["rng"]["torch"].cpu())
    np.random.set_state(payload["rng"]["numpy"])
    random.setstate(payload["rng"]["python"])
    s = payload["state"]
    history = [EpochRecord(**r) for r in payload["history"]]
    return _State(s["next_epoch"], s["step"], s["best_score"], s["best_epoch"], s["bad_epochs"], history)
