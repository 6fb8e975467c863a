"""`healthfm finetune`: task → samples → processors fitted on train → model → the loop → a run folder.

A run folder holds everything a server needs to rebuild the model with no training data:
`best/` (model.safetensors + model.json), `processors.json`, `task.yaml`, `run.json` (config, data
snapshot, timings, metrics) and the held-out predictions for the evaluation step.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
import torch
from torch import nn
from torch.utils.data import DistributedSampler, Sampler, WeightedRandomSampler

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
from healthfm.heads.survival import quantile_bin_edges
from healthfm.model import ComponentSpec, FoundationModel, ModelConfig
from healthfm.registry import FUSIONS
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, build_samples, load_task
from healthfm.train.adapt import MODES, few_shot, prepare
from healthfm.train.distributed import DistInfo, init_distributed
from healthfm.train.loop import ProgressSink, TrainConfig, TrainResult, batch_to, seed_everything, train
from healthfm.train.metrics import auroc, harrell_c, macro_auroc
from healthfm.train.presets import encoder_specs
from healthfm.train.runs import (
    CALIBRATION_FILE,
    PREDICTIONS_FILE,
    PROCESSORS_FILE,
    RUN_FILE,
    TASK_FILE,
    inherited_subjects,
    json_safe,
    run_processors,
    snapshot,
    write_predictions,
)

DEFAULT_MODALITIES = ("events", "tabular", "text", "image", "signal")
GROUP_ATTRIBUTES = ("sex", "age_band", "race_ethnicity", "site")
# processor settings that go with each encoder preset (input sizes the encoders were sized for)
PRESET_PROCESSOR_OPTIONS: dict[str, dict[str, dict[str, Any]]] = {
    # small = the CPU preset: 64 note tokens, 96² images and one fusion layer keep one cold prediction
    # under 20 ms on a 2-core VM (21.3 ms with 128 tokens, 128² images and two layers; see docs/benchmarks.md)
    "small": {
        "text": {"max_length": 64},
        "image": {"size": 96},
        "signal": {"target_rate": 100.0, "n_samples": 1000},
    },
    "base": {
        "text": {"max_length": 256},
        "image": {"size": 256},
        "signal": {"target_rate": 250.0, "n_samples": 2500},
    },
}
PRESET_FUSION_OPTIONS: dict[str, dict[str, Any]] = {"small": {"num_layers": 1}, "base": {"num_layers": 2}}


@dataclass
class FinetuneConfig:
    task: str
    modalities: tuple[str, ...] = DEFAULT_MODALITIES
    preset: str = "small"
    fusion: str = "attention"
    d_model: int = 128
    modality_dropout: float = 0.15
    fusion_options: dict[str, Any] = field(default_factory=dict)
    head_options: dict[str, Any] = field(default_factory=dict)
    encoder_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # modality -> overrides
    processor_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # modality -> params
    survival_bins: int = 8
    train_fraction: float = 1.0  # label efficiency: keep this share of the training patients
    # adaptation (healthfm.train.adapt); with --from, encoders and fusion are built as the source saved
    # them, and only encoder_options / fusion_options / modality_dropout apply on top
    mode: str = "full"  # full | linear_probe (only the head trains) | llrd | lora
    llrd_decay: float = 0.75  # llrd: each layer down from the head learns at this fraction of the one above
    lora_rank: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    lora_targets: tuple[str, ...] | None = None  # Linear layer names; None = the attention projections
    keep_layers: int | None = None  # compact model: every transformer keeps its lower k layers
    shots: int | None = None  # few-shot: k training patients per class, in place of train_fraction
    # fairness mitigation: sample training patients with Kamiran–Calders reweighing weights over this
    # attribute (sex | age_band | race_ethnicity | site) crossed with the label; None = uniform
    reweight: str | None = None
    # the operating threshold shipped with the model, chosen on the tuning split (evaluate/calibration.py)
    threshold_rule: str = "youden"
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        self.modalities = tuple(Modality(m).value for m in self.modalities)
        if not self.modalities:
            raise ValueError("finetune needs at least one modality")
        if self.preset not in PRESET_PROCESSOR_OPTIONS:
            raise ValueError(f"preset must be one of {sorted(PRESET_PROCESSOR_OPTIONS)}, got {self.preset!r}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS.names()}, got {self.fusion!r}")
        if not 0 < self.train_fraction <= 1:
            raise ValueError(f"train_fraction must be in (0, 1], got {self.train_fraction}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if not 0 < self.llrd_decay <= 1:
            raise ValueError(f"llrd_decay must be in (0, 1], got {self.llrd_decay}")
        if self.lora_rank < 1 or self.lora_alpha < 1 or not 0 <= self.lora_dropout < 1:
            raise ValueError("lora_rank and lora_alpha must be >= 1 and lora_dropout in [0, 1)")
        for name in ("keep_layers", "shots"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.shots is not None and self.train_fraction < 1:
            raise ValueError("shots and train_fraction both thin the training split: give one of them")
        rule, _, level = self.threshold_rule.partition(":")
        if not (
            (rule in ("youden", "f1") and not level)
            or (rule in ("sensitivity", "specificity") and _is_fraction(level))
        ):
            raise ValueError(
                "threshold_rule must be youden, f1, sensitivity:<0..1> or specificity:<0..1>, "
                f"got {self.threshold_rule!r}"
            )
        if self.reweight is not None and self.reweight not in GROUP_ATTRIBUTES:
            raise ValueError(f"reweight must be one of {GROUP_ATTRIBUTES}, got {self.reweight!r}")

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["modalities"] = list(self.modalities)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        values = dict(data)
        if "train" in values and isinstance(values["train"], Mapping):
            values["train"] = TrainConfig.from_dict(values["train"])
        for name in ("modalities", "lora_targets"):
            if values.get(name) is not None:
                values[name] = tuple(values[name])
        return config_from_dict(cls, values)

    @classmethod
    def from_sources(
        cls, config_file: Path | None, flags: Mapping[str, Any], train_flags: Mapping[str, Any]
    ) -> Self:
        """A JSON config file (optional) with the command line's flags on top; a flag left out (None)
        keeps the file's value. Any problem is a one-line UsageError."""
        base: dict[str, Any] = {}
        if config_file is not None:
            try:
                base = dict(json.loads(Path(config_file).read_text()))
            except (OSError, json.JSONDecodeError, TypeError, ValueError) as exc:
                raise UsageError(f"cannot read --config {config_file}: {exc}") from None
        given = {k: v for k, v in flags.items() if v is not None}
        if isinstance(given.get("modalities"), str):
            given["modalities"] = tuple(m.strip() for m in given["modalities"].split(",") if m.strip())
        train = dict(base.pop("train", {})) | {k: v for k, v in train_flags.items() if v is not None}
        try:
            config = cls.from_dict(base | given | {"train": TrainConfig.from_dict(train)})
        except (ValueError, TypeError) as exc:
            raise UsageError(str(exc)) from None
        for name, mode in (("llrd_decay", "llrd"), ("lora_rank", "lora")):
            if name in given and config.mode != mode:
                raise UsageError(f"--{name.replace('_', '-')} applies to --mode {mode}, not {config.mode}")
        return config


def _is_fraction(text: str) -> bool:
    try:
        return 0 < float(text) < 1
    except ValueError:
        return False


@dataclass
class PreparedData:
    """Samples per split, processors and materialised datasets: built once, shared by the variants
    that `healthfm evaluate` trains on the same split (single modalities, other fusions)."""

    task: Task
    splits: dict[str, list[Sample]]
    processors: dict[Modality, Any]
    datasets: dict[str, SampleDataset]
    seconds: dict[str, float]


@dataclass
class FinetuneResult:
    out: Path
    n_samples: dict[str, int]
    result: TrainResult
    metrics: dict[str, dict[str, float]]
    seconds: dict[str, float]
    model_version: int | None = None


def task_monitor(task: Task) -> tuple[str, bool]:
    return {
        "binary": ("auroc", True),
        "multiclass": ("macro_auroc", True),
        "survival": ("c_index", True),
    }.get(str(task.kind), ("loss", False))


def predict_samples(
    model: nn.Module, loader: Any, device: torch.device
) -> tuple[
    np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any] | None, np.ndarray[Any, Any], float
]:
    """(subject ids, targets, event observed or None, predictions, mean loss) over a loader, in eval mode."""
    assert isinstance(model, FoundationModel)
    model.eval()
    ids, ys, obs, preds, losses, n = [], [], [], [], 0.0, 0
    with torch.no_grad():
        for raw in loader:
            batch = batch_to(raw, device)
            out = model(batch)
            preds.append(model.head.predict(out.logits).float().cpu().numpy())
            ids.append(batch.subject_ids.cpu().numpy())
            if batch.targets is not None:
                ys.append(batch.targets.cpu().numpy())
            if batch.event_observed is not None:
                obs.append(batch.event_observed.cpu().numpy())
            if out.loss is not None:
                losses += float(out.loss) * batch.size
                n += batch.size
    cat = np.concatenate
    return (
        cat(ids) if ids else np.zeros(0, np.int64),
        cat(ys) if ys else np.zeros(0),
        cat(obs) if obs else None,
        cat(preds) if preds else np.zeros(0),
        losses / max(1, n),
    )


def score(
    task: Task,
    y: np.ndarray[Any, Any],
    observed: np.ndarray[Any, Any] | None,
    pred: np.ndarray[Any, Any],
    loss: float,
) -> dict[str, float]:
    out = {"loss": loss, "n": float(len(y))}
    kind = str(task.kind)
    if kind == "binary":
        out["auroc"] = auroc(y, pred)
        out["prevalence"] = float(np.mean(y)) if len(y) else float("nan")
    elif kind in ("multiclass", "multilabel"):
        out["macro_auroc"] = macro_auroc(y, pred)
    elif kind == "survival":
        assert observed is not None
        out["c_index"] = harrell_c(y, observed, pred)
        out["events"] = float(np.sum(observed))
    elif kind == "regression":
        out["mae"] = float(np.mean(np.abs(pred - y))) if len(y) else float("nan")
    return out


def _subsample(samples: list[Sample], fraction: float, seed: int) -> list[Sample]:
    if fraction >= 1:
        return samples
    subjects = np.unique([s.subject_id for s in samples])
    rng = np.random.default_rng(seed)
    keep = set(rng.choice(subjects, max(1, round(len(subjects) * fraction)), replace=False).tolist())
    return [s for s in samples if s.subject_id in keep]


def build_model_config(
    config: FinetuneConfig, task: Task, processors: Mapping[Modality, Any], train_samples: Sequence[Sample]
) -> ModelConfig:
    encoders = encoder_specs(config.modalities, config.preset, processors, config.encoder_options)
    fusion = {
        "modality_dropout": config.modality_dropout,
        **PRESET_FUSION_OPTIONS.get(config.preset, {}),
        **config.fusion_options,
    }
    if config.fusion != "attention":
        fusion = {k: v for k, v in fusion.items() if k in ("modality_dropout", "hidden_dim", "dropout")}
    kind = str(task.kind)
    head: dict[str, Any] = dict(config.head_options)
    if kind in ("binary", "multiclass", "multilabel"):
        head_name = "classification"
        head |= {"kind": kind, "num_outputs": task.num_outputs}
    elif kind == "regression":
        head_name = "regression"
        values = np.array([float(s.label) for s in train_samples if s.label is not None])  # type: ignore[arg-type]
        head |= {"target_mean": float(values.mean()), "target_scale": float(values.std() or 1.0)}
    else:
        head_name = "survival"
        days = np.array([s.event_time_days for s in train_samples if s.event_observed], dtype=float)
        horizon = float(task.horizon_days or (max(s.event_time_days or 0 for s in train_samples) + 1))
        head |= {"bin_edges_days": list(quantile_bin_edges(days, config.survival_bins, horizon))}
    return ModelConfig(
        task_kind=kind,
        d_model=config.d_model,
        encoders=encoders,
        fusion=ComponentSpec(config.fusion, fusion),
        head=ComponentSpec(head_name, head),
    )


def finetune(
    store: PatientStore,
    config: FinetuneConfig,
    out: Path,
    *,
    init_from: Path | None = None,
    resume: bool = False,
    progress: ProgressSink | None = None,
    stage: Callable[[str], None] | None = None,
    register: bool = True,
    dist_info: DistInfo | None = None,
    data: PreparedData | None = None,
) -> FinetuneResult:
    """Fine-tune on `config.task`; writes the run folder `out` and registers the model in the catalog.

    `data` (from `prepare_data`) skips building samples, processors and datasets again."""
    info = dist_info or init_distributed(config.train.device)
    say = stage if (stage is not None and info.is_main) else (lambda _msg: None)
    out = Path(out)
    if init_from is not None and not Path(init_from).exists():
        raise UsageError(f"--from {init_from}: no such model or run folder")
    t0 = time.perf_counter()
    if data is None:
        data = prepare_data(store, config, out, init_from=init_from, resume=resume, say=say)
    missing = [m for m in config.modalities if Modality(m) not in data.processors]
    if missing:
        raise UsageError(f"the prepared data has no processors for {missing}")
    task, splits, datasets = data.task, data.splits, data.datasets
    processors = {Modality(m): data.processors[Modality(m)] for m in config.modalities}
    timings = dict(data.seconds)
    base_config = build_model_config(config, task, processors, splits["train"])
    seed_everything(config.train.seed)  # the initial weights depend on the seed alone, not on the process
    adaptation = prepare(base_config, config, processors, Path(init_from) if init_from else None, say)
    model, model_config = adaptation.model, adaptation.model.config
    kind = str(task.kind)
    sampler: Sampler[int] | None = (
        DistributedSampler(datasets["train"], shuffle=True, seed=config.train.seed)
        if info.distributed
        else None
    )
    if config.reweight is not None:
        if info.distributed:
            raise UsageError("--reweight is not supported under torchrun yet: train on one process")
        sampler = _reweighing_sampler(store, splits["train"], config.reweight, config.train.seed)
        say(f"sampling training patients with reweighing weights over {config.reweight} × label")
    bs = config.train.batch_size
    train_loader = make_loader(
        datasets["train"],
        processors,
        kind,
        bs,
        shuffle=sampler is None,
        train=True,
        seed=config.train.seed,
        sampler=sampler,
    )
    tune_loader = make_loader(datasets["tuning"], processors, kind, bs, shuffle=False, train=False, seed=0)
    monitor, higher = task_monitor(task)

    def evaluate(m: nn.Module, device: torch.device) -> dict[str, float]:
        _, y, obs, pred, loss = predict_samples(m, tune_loader, device)
        return score(task, y, obs, pred, loss)

    if info.is_main:
        out.mkdir(parents=True, exist_ok=True)
        save_processors(processors, out / PROCESSORS_FILE)
        task.to_file(out / TASK_FILE)
    trainable = model.num_parameters(trainable_only=True)
    say(f"training {trainable:,} parameters ({config.mode}) on {len(datasets['train'])} samples")
    t = time.perf_counter()
    result = train(
        model,
        train_loader,
        config.train,
        out_dir=out,
        evaluate=evaluate,
        monitor=monitor,
        higher_is_better=higher,
        param_groups=adaptation.param_groups,
        resume=resume,
        progress=progress,
        save_best=adaptation.save_best,
        dist_info=info,
    )
    timings["train"] = time.perf_counter() - t
    metrics: dict[str, dict[str, float]] = {}
    version: int | None = None
    if info.is_main:
        model = adaptation.finish(out).to(info.device)
        t = time.perf_counter()
        operating: dict[str, Any] | None = None
        for name in ("tuning", "held_out"):
            loader = make_loader(datasets[name], processors, kind, bs, shuffle=False, train=False, seed=0)
            ids, y, obs, pred, loss = predict_samples(model, loader, info.device)
            metrics[name] = score(task, y, obs, pred, loss)
            if name == "tuning":
                operating = ship_calibration(task, y, pred, out, config.threshold_rule)
            else:
                write_predictions(out / PREDICTIONS_FILE, splits[name], ids, y, obs, pred)
        timings["evaluate"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        run = {
            "config": config.to_dict(),
            "model": model_config.to_dict(),
            "task": task.to_dict(),
            "n_samples": {k: len(v) for k, v in splits.items()},
            "initialised_from": str(init_from) if init_from else None,
            "initialised_tensors": len(adaptation.loaded),
            "left_at_init": adaptation.left_at_init,
            "parameters": model.num_parameters(),
            "trainable_parameters": trainable,
            "best_epoch": result.best_epoch,
            "monitor": {result.monitor: result.best_score},
            "samples_per_s": result.samples_per_s,
            "seconds": timings,
            "metrics": metrics,
            "operating_point": operating,
            "problems": sum(len(ds.problems) for ds in datasets.values()),
        }
        own = sorted({s.subject_id for s in splits["train"]})
        inherited = inherited_subjects(Path(init_from)) if init_from is not None else []
        version = _record_run(store, task, out, run, own, inherited, register)
    return FinetuneResult(out, {k: len(v) for k, v in splits.items()}, result, metrics, timings, version)


def prepare_data(
    store: PatientStore,
    config: FinetuneConfig,
    out: Path,
    *,
    init_from: Path | None = None,
    resume: bool = False,
    say: Callable[[str], None] = lambda _msg: None,
) -> PreparedData:
    """Samples per split (consent enforced), processors (fitted on train, or the `--from` run's) and
    the materialised datasets."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    task = load_task(config.task)
    say(f"building samples for task {task.name} ({task.kind})")
    splits = _splits(store, task, config)
    timings["samples"] = time.perf_counter() - t0
    modalities = [Modality(m) for m in config.modalities]
    t = time.perf_counter()
    processors = _processors(store, config, task, modalities, splits["train"], out, init_from, resume, say)
    timings["processors"] = time.perf_counter() - t
    t = time.perf_counter()
    datasets = {
        s: SampleDataset(store, samples, processors, visible=task.visible) for s, samples in splits.items()
    }
    for name, ds in datasets.items():
        say(f"preparing {len(ds)} {name} samples")
        ds.materialize()
    timings["materialize"] = time.perf_counter() - t
    return PreparedData(task, splits, processors, datasets, timings)


def ship_calibration(
    task: Task, y: np.ndarray[Any, Any], pred: np.ndarray[Any, Any], out: Path, rule: str
) -> dict[str, Any] | None:
    """Fit the calibrator and choose the operating threshold on the tuning split; write
    `RUN/calibration.json`, which ships with the model (the server and `evaluate` read it)."""
    from healthfm.evaluate.calibration import choose_threshold, select_calibrator

    kind = str(task.kind)
    if kind not in ("binary", "multiclass") or len(np.unique(y)) < 2:
        return None
    calibrator = select_calibrator(pred, y)
    shipped: dict[str, Any] = {"fitted_on": "tuning", "n": len(y), "calibrator": calibrator.to_dict()}
    if kind == "binary":
        shipped |= {"threshold": choose_threshold(y, calibrator.transform(pred), rule), "rule": rule}
    (out / CALIBRATION_FILE).write_text(json.dumps(json_safe(shipped), indent=2) + "\n")
    return shipped


def _reweighing_sampler(
    store: PatientStore, samples: list[Sample], attribute: str, seed: int
) -> WeightedRandomSampler:
    """Kamiran–Calders reweighing as weighted sampling (with replacement, one epoch = n draws)."""
    from healthfm.evaluate.fairness import reweighing_weights
    from healthfm.evaluate.groups import patient_groups

    groups = patient_groups(store, samples)
    labels = np.array([float(np.asarray(s.label).ravel()[0]) for s in samples])
    weights = reweighing_weights(groups[attribute], labels)
    return WeightedRandomSampler(
        [float(w) for w in weights],
        num_samples=len(samples),
        replacement=True,
        generator=torch.Generator().manual_seed(seed),
    )


def _splits(store: PatientStore, task: Task, config: FinetuneConfig) -> dict[str, list[Sample]]:
    """Samples per split (consent for training enforced), the training share subsampled by patient
    (`train_fraction`, or `shots` patients per class)."""
    splits = {
        s: build_samples(store, task, s, consent_scope="training") for s in ("train", "tuning", "held_out")
    }
    if config.shots is not None:
        splits["train"] = few_shot(splits["train"], config.shots, config.train.seed, str(task.kind))
    else:
        splits["train"] = _subsample(splits["train"], config.train_fraction, config.train.seed)
    for name, samples in splits.items():
        if not samples:
            raise UsageError(
                f"task {task.name} has no {name} samples in {store.root}: is the cohort ingested?"
            )
    return splits


def _processors(
    store: PatientStore,
    config: FinetuneConfig,
    task: Task,
    modalities: list[Modality],
    train_samples: list[Sample],
    out: Path,
    init_from: Path | None,
    resume: bool,
    say: Callable[[str], None],
) -> dict[Modality, Any]:
    """The run's own processors on resume, the pretrained run's with --from, else fitted on train."""
    inherited = run_processors(Path(init_from)) if init_from is not None else None
    if resume and (out / PROCESSORS_FILE).is_file():
        processors = load_processors(out / PROCESSORS_FILE)
    elif inherited is not None:
        # pretrained weights only mean something with the vocabulary and normalisers they were trained
        # with: a refitted vocabulary could give the same size with codes in other rows
        loaded_processors = load_processors(inherited)
        missing = [m.value for m in modalities if m not in loaded_processors]
        if missing:
            raise UsageError(
                f"--from {init_from}: its processors have no {missing}; drop them from --modalities"
            )
        processors = {m: loaded_processors[m] for m in modalities}
        say(f"using the processors of {inherited.parent} (fitted with the pretrained weights)")
    else:
        say("fitting processors on the training split")
        preset_options = PRESET_PROCESSOR_OPTIONS.get(config.preset, {})
        options = {
            m: {**preset_options.get(m.value, {}), **config.processor_options.get(m.value, {})}
            for m in modalities
        }
        processors = build_processors(modalities, options)
        fit_processors(store, train_samples, processors, task.visible)
    return processors


def _record_run(
    store: PatientStore,
    task: Task,
    out: Path,
    run: dict[str, Any],
    own_subjects: list[int],
    inherited: list[int],
    register: bool,
) -> int | None:
    """Write run.json; register the model with its training subjects (its own and those of the weights
    it started from) and audit the training."""
    train_subjects = sorted(set(own_subjects) | set(inherited))
    run = json_safe(
        {
            **run,
            "data": snapshot(store, own_subjects),
            "training_subjects": train_subjects,
            "inherited_training_subjects": len(set(inherited) - set(own_subjects)),
        }
    )
    (out / RUN_FILE).write_text(json.dumps(run, indent=2, default=str, allow_nan=False) + "\n")
    if not register:
        return None
    record = store.catalog.register_model(
        task.name,
        config=run["model"],
        metrics=run["metrics"],
        lineage={
            "training_subjects": train_subjects,
            "task": task.name,
            "data": run["data"],
            "run": str(out.resolve()),
        },
        artefact_uri=(out / "best").resolve().as_uri(),
        actor="finetune",
    )
    store.catalog.audit(
        "finetune",
        "model.train",
        details={
            "model": task.name,
            "version": record.version,
            "run": str(out),
            "train_subjects": len(own_subjects),
            "inherited_subjects": len(inherited),
            "samples": run["n_samples"],
        },
    )
    return record.version
