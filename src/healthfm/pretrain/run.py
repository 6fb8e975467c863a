"""`healthfm pretrain`: unlabelled samples → processors fitted on train → backbone + objectives → the
same training loop as fine-tuning → a run folder that `healthfm finetune --from RUN` starts from.

```
RUN/best/ and RUN/last/   model.safetensors + backbone.json + objectives.json (last/: train_state.pt)
RUN/processors.json       the fitted processors (fine-tuning from RUN reuses them)
RUN/run.json              config, data snapshot, per-objective tuning losses, retrieval, timings
RUN/history.jsonl         one line per epoch
```
Only the train split's patients train; the tuning split's monitor the loss; held-out patients are never
seen, except to measure cross-modal retrieval after training.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import torch
from torch import nn
from torch.utils.data import DistributedSampler

from healthfm.configs import config_from_dict
from healthfm.data import (
    SampleDataset,
    build_processors,
    fit_processors,
    load_processors,
    make_loader,
    save_processors,
)
from healthfm.errors import UsageError
from healthfm.model import ComponentSpec
from healthfm.objectives.base import Objective
from healthfm.pretrain.model import BackboneConfig, PretrainModel
from healthfm.pretrain.retrieval import retrieval
from healthfm.pretrain.samples import pretraining_samples
from healthfm.registry import OBJECTIVES
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.train.distributed import DistInfo, init_distributed
from healthfm.train.finetune import DEFAULT_MODALITIES, PRESET_FUSION_OPTIONS, PRESET_PROCESSOR_OPTIONS
from healthfm.train.loop import ProgressSink, TrainConfig, TrainResult, batch_to, seed_everything, train
from healthfm.train.presets import encoder_specs
from healthfm.train.runs import PROCESSORS_FILE, RUN_FILE, json_safe, snapshot

BACKBONE_MODEL_NAME = "pretrained_backbone"
TUNING_SEED = 20261128  # the tuning loss masks the same tokens every epoch


def _default_train() -> TrainConfig:
    return TrainConfig(epochs=10, lr=1e-3, patience=3)


@dataclass
class PretrainConfig:
    modalities: tuple[str, ...] = DEFAULT_MODALITIES
    objectives: dict[str, dict[str, Any]] = field(default_factory=dict)  # {} = every default one that applies
    preset: str = "small"
    d_model: int = 128
    modality_dropout: float = 0.15  # kept in the fusion config that fine-tuning inherits
    fusion_options: dict[str, Any] = field(default_factory=dict)
    encoder_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    processor_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    cuts_per_patient: int = 2
    max_subjects: int | None = None  # per split; for quick runs
    train: TrainConfig = field(default_factory=_default_train)

    def __post_init__(self) -> None:
        self.modalities = tuple(Modality(m).value for m in self.modalities)
        if not self.modalities:
            raise ValueError("pretraining needs at least one modality")
        if self.preset not in PRESET_PROCESSOR_OPTIONS:
            raise ValueError(f"preset must be one of {sorted(PRESET_PROCESSOR_OPTIONS)}, got {self.preset!r}")
        unknown = sorted(set(self.objectives) - set(OBJECTIVES.names()))
        if unknown:
            raise ValueError(f"unknown objectives {unknown}; registered: {OBJECTIVES.names()}")
        if self.cuts_per_patient < 1:
            raise ValueError(f"cuts_per_patient must be >= 1, got {self.cuts_per_patient}")

    def resolved_objectives(self) -> dict[str, dict[str, Any]]:
        """The objectives to train: those named (each must fit the modalities), else every default one
        that applies."""
        out: dict[str, dict[str, Any]] = {}
        modalities = list(self.modalities)
        for name in self.objectives or OBJECTIVES.names():
            cls = OBJECTIVES.get(name)
            assert isinstance(cls, type) and issubclass(cls, Objective)
            if not self.objectives and not cls.default:
                continue
            if cls.applies_to(modalities):
                out[name] = dict(self.objectives.get(name, {}))
            elif self.objectives:
                raise ValueError(
                    f"objective {name!r} needs modalities {[m.value for m in cls.modalities]} "
                    f"(at least {cls.min_modalities}); pretraining uses {modalities}"
                )
        if not out:
            raise ValueError(f"no objective applies to modalities {modalities}")
        return out

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["modalities"] = list(self.modalities)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        values = dict(data)
        if isinstance(values.get("train"), Mapping):
            values["train"] = TrainConfig.from_dict({**_default_train().to_dict(), **values["train"]})
        if "modalities" in values:
            values["modalities"] = tuple(values["modalities"])
        return config_from_dict(cls, values)


@dataclass
class PretrainResult:
    out: Path
    n_samples: dict[str, int]
    result: TrainResult
    tuning: dict[str, float]
    retrieval: dict[str, dict[str, float]]
    seconds: dict[str, float]
    model_version: int | None = None


def backbone_config(config: PretrainConfig, processors: Mapping[Modality, Any]) -> BackboneConfig:
    fusion = {
        "modality_dropout": config.modality_dropout,
        **PRESET_FUSION_OPTIONS.get(config.preset, {}),
        **config.fusion_options,
    }
    return BackboneConfig(
        d_model=config.d_model,
        encoders=encoder_specs(config.modalities, config.preset, processors, config.encoder_options),
        fusion=ComponentSpec("attention", fusion),
    )


def mean_losses(model: nn.Module, loader: Any, device: torch.device) -> dict[str, float]:
    """The total and per-objective losses averaged over a loader, with the same masks every call."""
    devices = [device] if device.type == "cuda" else []
    sums: dict[str, float] = {}
    n = 0
    was = model.training
    model.eval()
    with torch.random.fork_rng(devices=devices), torch.no_grad():
        torch.manual_seed(TUNING_SEED)
        for raw in loader:
            out = model(batch_to(raw, device))
            b = raw.size
            n += b
            assert out.loss is not None
            sums["loss"] = sums.get("loss", 0.0) + float(out.loss) * b
            for k, v in out.extras.items():
                sums[k] = sums.get(k, 0.0) + float(v) * b
    model.train(was)
    return {k: v / max(1, n) for k, v in sums.items()}


def pretrain(
    store: PatientStore,
    config: PretrainConfig,
    out: Path,
    *,
    resume: bool = False,
    progress: ProgressSink | None = None,
    stage: Callable[[str], None] | None = None,
    register: bool = True,
    dist_info: DistInfo | None = None,
) -> PretrainResult:
    """Pretrain the backbone with self-supervised objectives; writes the run folder `out` and registers
    the backbone in the catalog as `pretrained_backbone` with the patients it learned from (so erasing
    one of them names it)."""
    info = dist_info or init_distributed(config.train.device)
    say = stage if (stage is not None and info.is_main) else (lambda _msg: None)
    out = Path(out)
    objectives = config.resolved_objectives()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    say("collecting unlabelled samples (train, tuning and held-out splits)")
    splits = {
        s: pretraining_samples(
            store,
            s,
            cuts_per_patient=config.cuts_per_patient if s == "train" else 1,
            seed=config.train.seed,
            max_subjects=config.max_subjects,
        )
        for s in ("train", "tuning", "held_out")
    }
    for name in ("train", "tuning"):
        if not splits[name]:
            raise UsageError(f"no {name} patients with consent for training in {store.root}: is it ingested?")
    timings["samples"] = time.perf_counter() - t0
    modalities = [Modality(m) for m in config.modalities]
    t = time.perf_counter()
    processors = _processors(store, config, modalities, splits["train"], out, resume, say)
    timings["processors"] = time.perf_counter() - t
    t = time.perf_counter()
    datasets = {s: SampleDataset(store, samples, processors) for s, samples in splits.items() if samples}
    for name, ds in datasets.items():
        say(f"preparing {len(ds)} {name} samples")
        ds.materialize()
    timings["materialize"] = time.perf_counter() - t
    backbone = backbone_config(config, processors)
    seed_everything(config.train.seed)  # the initial weights depend on the seed alone
    model = PretrainModel(backbone, objectives)
    bs = config.train.batch_size
    sampler: DistributedSampler[Any] | None = (
        DistributedSampler(datasets["train"], shuffle=True, seed=config.train.seed)
        if info.distributed
        else None
    )
    train_loader = make_loader(
        datasets["train"], processors, None, bs, shuffle=sampler is None, train=True,
        seed=config.train.seed, sampler=sampler, drop_last=True,
    )  # fmt: skip
    tune_loader = make_loader(datasets["tuning"], processors, None, bs, shuffle=False, train=False)

    def evaluate(m: nn.Module, device: torch.device) -> dict[str, float]:
        return mean_losses(m, tune_loader, device)

    if info.is_main:
        out.mkdir(parents=True, exist_ok=True)
        save_processors(processors, out / PROCESSORS_FILE)
    say(
        f"pretraining {sum(p.numel() for p in model.parameters() if p.requires_grad):,} parameters "
        f"with {', '.join(objectives)} on {len(datasets['train'])} samples"
    )
    t = time.perf_counter()
    result = train(
        model, train_loader, config.train, out_dir=out, evaluate=evaluate, monitor="loss",
        higher_is_better=False, resume=resume, progress=progress, dist_info=info,
    )  # fmt: skip
    timings["train"] = time.perf_counter() - t
    tuning: dict[str, float] = {}
    found: dict[str, dict[str, float]] = {}
    version: int | None = None
    if info.is_main:
        t = time.perf_counter()
        tuning = mean_losses(model, tune_loader, info.device)
        if "held_out" in datasets:
            say("measuring cross-modal retrieval on held-out patients")
            held = make_loader(datasets["held_out"], processors, None, bs, shuffle=False, train=False)
            found = retrieval(model, held, info.device)
        timings["evaluate"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        train_subjects = sorted({s.subject_id for s in splits["train"]})
        version = _record(
            store, out, config, model, splits, result, tuning, found, timings, train_subjects, register
        )
    return PretrainResult(
        out, {k: len(v) for k, v in splits.items()}, result, tuning, found, timings, version
    )


def _processors(
    store: PatientStore,
    config: PretrainConfig,
    modalities: list[Modality],
    train_samples: list[Sample],
    out: Path,
    resume: bool,
    say: Callable[[str], None],
) -> dict[Modality, Any]:
    if resume and (out / PROCESSORS_FILE).is_file():
        return load_processors(out / PROCESSORS_FILE)
    say("fitting processors on the training split")
    preset_options = PRESET_PROCESSOR_OPTIONS.get(config.preset, {})
    options = {
        m: {**preset_options.get(m.value, {}), **config.processor_options.get(m.value, {})}
        for m in modalities
    }
    processors = build_processors(modalities, options)
    fit_processors(store, train_samples, processors)
    return processors


def _record(
    store: PatientStore,
    out: Path,
    config: PretrainConfig,
    model: PretrainModel,
    splits: Mapping[str, list[Sample]],
    result: TrainResult,
    tuning: dict[str, float],
    found: dict[str, dict[str, float]],
    timings: dict[str, float],
    train_subjects: list[int],
    register: bool,
) -> int | None:
    """run.json; the registry entry and an audit entry naming how many patients trained the backbone."""
    run = json_safe(
        {
            "kind": "pretrain",
            "config": config.to_dict(),
            "backbone": model.backbone_config.to_dict(),
            "objectives": model.objective_configs(),
            "n_samples": {k: len(v) for k, v in splits.items()},
            "parameters": sum(p.numel() for p in model.parameters()),
            "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "best_epoch": result.best_epoch,
            "samples_per_s": result.samples_per_s,
            "seconds": timings,
            "tuning": tuning,
            "retrieval": found,
            "training_subjects": train_subjects,
            "data": snapshot(store, train_subjects),
        }
    )
    (out / RUN_FILE).write_text(json.dumps(run, indent=2, allow_nan=False) + "\n")
    if not register:
        return None
    record = store.catalog.register_model(
        BACKBONE_MODEL_NAME,
        config={"backbone": run["backbone"], "objectives": run["objectives"]},
        metrics={"tuning": run["tuning"], "retrieval": run["retrieval"]},
        lineage={"training_subjects": train_subjects, "data": run["data"], "run": str(out.resolve())},
        artefact_uri=(out / "best").resolve().as_uri(),
        actor="pretrain",
    )
    store.catalog.audit(
        "pretrain",
        "model.pretrain",
        details={
            "model": BACKBONE_MODEL_NAME,
            "version": record.version,
            "run": str(out),
            "train_subjects": len(train_subjects),
            "samples": run["n_samples"],
        },
    )
    return record.version
