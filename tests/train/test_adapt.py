"""Adaptation modes: a pretrained checkpoint into full, linear_probe, llrd, lora, keep_layers and shots."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch
from safetensors.torch import load_file, save_file

from healthfm.data import SampleDataset, load_processors, make_loader
from healthfm.errors import UsageError
from healthfm.model import ComponentSpec, FoundationModel, ModelConfig
from healthfm.schema import Batch, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import build_samples, load_task
from healthfm.train.adapt import (
    ADAPTER_CONFIG,
    ADAPTER_WEIGHTS,
    LinearProbeModel,
    LoraSpec,
    compact,
    few_shot,
    inherit_backbone,
    llrd_groups,
    load_adapter,
    merge_lora,
    prepare,
    save_injected,
)
from healthfm.train.finetune import FinetuneConfig, finetune
from healthfm.train.loop import TrainConfig, train
from healthfm.train.runs import load_run
from tests.model.conftest import tiny_config

MODALITIES = ("events", "tabular", "text")  # text frozen (its config): LoRA wraps events and tabular
TASK = "cardiac_disease"


def _tiny(epochs: int = 1, **kw: Any) -> FinetuneConfig:
    """Tiny encoders with two transformer layers each (and two fusion layers), for keep_layers."""
    cfg = tiny_config(TASK, modalities=MODALITIES)
    layers = {"hidden_dim": 16, "num_layers": 2, "num_heads": 2}
    return dataclasses.replace(
        cfg,
        encoder_options={**cfg.encoder_options, "events": layers, "tabular": layers},
        fusion_options={"num_layers": 2, "num_heads": 2},
        train=TrainConfig(epochs=epochs, batch_size=16, lr=3e-3, patience=10),
        **kw,
    )


def _elsewhere(epochs: int = 1, **kw: Any) -> FinetuneConfig:
    """A preset and d_model that fit no tiny checkpoint: with --from, the source's architecture wins."""
    train = TrainConfig(epochs=epochs, batch_size=16, lr=3e-3, patience=10)
    return FinetuneConfig(**{"task": TASK, "modalities": MODALITIES, "d_model": 64, "train": train, **kw})


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """These models are tiny: one thread is as quick alone, and several times quicker on a shared CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def source_run(cohort_store: PatientStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("adapt") / "source"  # the pretraining folder goes beside it
    finetune(cohort_store, _tiny(), out, register=False)
    return out


@pytest.fixture(scope="module")
def pretrained(source_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder in the pretraining format: best/backbone.json, encoder and fusion tensors (fresh ones, not
    the source run's) plus objective tensors that fine-tuning ignores, and the processors."""
    config = ModelConfig.from_file(source_run / "best" / "model.json")
    torch.manual_seed(123)
    state = {k: v for k, v in FoundationModel(config).state_dict().items() if not k.startswith("head.")}
    state["objectives.masked_events.decoder.weight"] = torch.randn(7, config.d_model)
    out = source_run.parent / "pretrain"
    (out / "best").mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in state.items()}, str(out / "best" / "model.safetensors"))
    backbone = {k: v for k, v in config.to_dict().items() if k in ("d_model", "encoders", "fusion")}
    (out / "best" / "backbone.json").write_text(json.dumps(backbone))
    shutil.copy(source_run / "processors.json", out / "processors.json")
    return out


@pytest.fixture(scope="module")
def adapted(
    cohort_store: PatientStore, pretrained: Path, source_run: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Path]:
    """finetune --from the pretraining folder (or the fine-tuning run, with source="run") with
    `_elsewhere(**kw)`, two epochs; each setting runs once per module."""
    done: dict[str, Path] = {}

    def run(source: str = "pretrained", **kw: Any) -> Path:
        key = json.dumps([source, kw], sort_keys=True)
        if key not in done:
            out = tmp_path_factory.mktemp("adapted") / "run"
            init_from = source_run if source == "run" else pretrained
            finetune(cohort_store, _elsewhere(2, **kw), out, init_from=init_from, register=False)
            done[key] = out
        return done[key]

    return run


def _pretrained_state(folder: Path) -> dict[str, torch.Tensor]:
    return load_file(str(folder / "best" / "model.safetensors"))


def _batches(store: PatientStore, run: Path, split: str = "held_out") -> list[Batch]:
    processors = load_processors(run / "processors.json")
    task = load_task(TASK)
    ds = SampleDataset(store, build_samples(store, task, split), processors, visible=task.visible)
    return list(make_loader(ds, processors, str(task.kind), 16))


def _predict(model: FoundationModel, batches: list[Batch]) -> np.ndarray[Any, Any]:
    return np.concatenate([model.predict(b).numpy() for b in batches])


def _model(pretrained: Path, mode: str = "full", **kw: Any) -> FoundationModel:
    """`prepare` alone (no training): the model a run in `mode` starts from."""
    head_config = ModelConfig.from_file(pretrained.parent / "source" / "best" / "model.json")
    processors = load_processors(pretrained / "processors.json")
    return prepare(head_config, _elsewhere(mode=mode, **kw), processors, pretrained, lambda _m: None).model


# ---------------------------------------------------------------- every mode, end to end


@pytest.mark.parametrize(
    "settings",
    [
        {"mode": "full"},
        {"mode": "linear_probe"},
        {"mode": "llrd"},
        {"mode": "lora"},
        {"mode": "full", "keep_layers": 1},
        {"mode": "llrd", "shots": 4, "source": "run"},  # from a fine-tuning run's model.json
    ],
    ids=["full", "linear_probe", "llrd", "lora", "keep_layers", "shots"],
)
def test_a_pretrained_checkpoint_loads_and_trains_in_every_mode(
    adapted: Callable[..., Path], pretrained: Path, source_run: Path, settings: dict[str, Any]
) -> None:
    out = adapted(**settings)
    source = source_run if settings.get("source") == "run" else pretrained
    run = json.loads((out / "run.json").read_text())
    model = FoundationModel.load(out / "best")  # a plain model, whatever the mode
    # the source's architecture, not the preset's: every pretrained encoder/fusion tensor fits
    assert run["model"]["d_model"] == 16 and model.config.d_model == 16
    fits = [k for k in _pretrained_state(source) if k in model.state_dict()]
    assert run["initialised_tensors"] == len(fits) > 50
    assert run["left_at_init"] == []
    assert 0 < run["trainable_parameters"] <= run["parameters"] == model.num_parameters()
    # the model served is the best epoch's: its tuning metrics are the ones recorded for that epoch
    history = [json.loads(line) for line in (out / "history.jsonl").read_text().splitlines()]
    assert len(history) == 2 and all(math.isfinite(h["train_loss"]) for h in history)
    best = history[run["best_epoch"]]["tuning"]
    assert run["metrics"]["tuning"]["loss"] == pytest.approx(best["loss"], rel=1e-5, abs=1e-6)


def test_linear_probe_trains_only_the_head(adapted: Callable[..., Path], pretrained: Path) -> None:
    out = adapted(mode="linear_probe")
    saved = load_file(str(out / "best" / "model.safetensors"))
    source = _pretrained_state(pretrained)
    backbone = [k for k in saved if not k.startswith("head.")]
    assert backbone and all(torch.equal(saved[k], source[k]) for k in backbone)
    run = json.loads((out / "run.json").read_text())
    head = sum(v.numel() for k, v in saved.items() if k.startswith("head."))
    assert run["trainable_parameters"] == head


def test_linear_probe_keeps_the_backbone_in_eval_mode(pretrained: Path) -> None:
    model = _model(pretrained, "linear_probe")
    assert isinstance(model, LinearProbeModel)
    model.train()
    assert model.head.training and not model.fusion.training
    assert not any(m.training for m in model.encoders.modules())
    assert not any(p.requires_grad for p in [*model.encoders.parameters(), *model.fusion.parameters()])


def test_llrd_learning_rates_fall_by_depth(pretrained: Path) -> None:
    model = _model(pretrained, "llrd")
    groups = llrd_groups(model, lr=1.0, decay=0.5, weight_decay=0.1)
    lr_of = {id(p): (g["lr"], g["weight_decay"]) for g in groups for p in g["params"]}
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    assert len(lr_of) == sum(len(g["params"]) for g in groups) == len(trainable)  # each once

    def lr(name: str) -> float:
        return float(lr_of[id(trainable[name])][0])

    assert {lr(n) for n in trainable if n.startswith("head.")} == {1.0}
    assert lr("fusion.blocks.1.attn.in_proj_weight") == lr("fusion.blocks.0.ffn.0.weight") == 1.0
    for encoder in ("events", "tabular"):
        top, bottom = (f"encoders.{encoder}.transformer.layers.{i}.qkv.weight" for i in (1, 0))
        assert (lr(top), lr(bottom)) == (0.5, 0.25)
    # the remaining parameters (embeddings, output projection) are the deepest
    deepest = [n for n in trainable if n.startswith("encoders.events.") and ".layers." not in n]
    assert deepest and {lr(n) for n in deepest} == {0.125}
    # no weight decay on biases and norms, as in the loop's own groups
    assert lr_of[id(trainable["encoders.events.transformer.layers.0.qkv.bias"])][1] == 0.0
    assert lr_of[id(trainable["encoders.events.transformer.layers.0.qkv.weight"])][1] == 0.1
    assert groups[0]["lr"] == 1.0  # the loop reports the first group's lr


# ---------------------------------------------------------------- LoRA


def test_lora_trains_a_small_fraction(pretrained: Path) -> None:
    model = _model(pretrained, "lora", lora_rank=2)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    encoder_trainable = {n for n in trainable if n.startswith("encoders.")}
    assert encoder_trainable and all(".lora_" in n for n in encoder_trainable)
    assert {n for n in trainable if not n.startswith("encoders.")} == {
        n for n, _ in model.named_parameters() if n.startswith(("head.", "fusion."))
    }
    assert model.num_parameters(trainable_only=True) < 0.01 * model.num_parameters()
    # the adapters sit on the attention projections only; the frozen text backbone gets none
    wrapped = {n.split(".lora_")[0].rpartition(".")[2] for n in encoder_trainable}
    assert wrapped == {"qkv", "proj"}


def test_lora_adapter_saves_apart_and_reproduces_the_merged_model(
    adapted: Callable[..., Path], pretrained: Path, source_run: Path, cohort_store: PatientStore
) -> None:
    out = adapted(mode="lora")
    adapter = out / "adapter"
    meta = json.loads((adapter / ADAPTER_CONFIG).read_text())
    assert meta["base"] == str((pretrained / "best" / "model.safetensors").resolve())
    tensors = load_file(str(adapter / ADAPTER_WEIGHTS))
    assert any(".lora_B." in k and v.abs().sum() > 0 for k, v in tensors.items())  # the adapters learnt
    assert not any(k.startswith("encoders.text.backbone.") for k in tensors)  # frozen: the base's
    backbone_bytes = (pretrained / "best" / "model.safetensors").stat().st_size
    assert (adapter / ADAPTER_WEIGHTS).stat().st_size < backbone_bytes / 20
    # base + adapter == the merged best/, which load_run serves like any other model
    batches = _batches(cohort_store, out)
    merged = _predict(load_run(out)[0], batches)
    np.testing.assert_allclose(_predict(load_adapter(pretrained, adapter), batches), merged, atol=1e-5)
    saved = pq.read_table(out / "predictions_held_out.parquet").column("prediction").to_numpy()
    np.testing.assert_allclose(merged, saved, atol=1e-5)
    with pytest.raises(UsageError, match="not the base"):
        load_adapter(source_run, adapter)


def test_lora_on_an_unfrozen_text_model_wraps_query_key_value(pretrained: Path) -> None:
    text = {"num_layers": 1, "pool_stride": 8, "freeze": "none"}
    model = _model(pretrained, encoder_options={"text": text})
    lora = LoraSpec.find(model, ("qkv", "proj", "query", "key", "value"), rank=2, alpha=4, dropout=0.0)
    in_text = {t.rpartition(".")[2] for t in lora.targets if t.startswith("text.")}
    assert in_text == {"query", "key", "value"}  # not the encoder's own output `proj`
    lora.inject(model)
    for name, p in model.named_parameters():
        if ".lora_B." in name:
            torch.nn.init.normal_(p, std=0.1)  # as if trained
    merged = merge_lora(model)
    x = torch.randn(3, 384)  # MiniLM's width
    layer = "encoders.text.backbone.encoder.layer.0.attention.self.query"
    with torch.no_grad():
        expected, got = model.get_submodule(layer)(x), merged.get_submodule(layer)(x)
        base = model.get_submodule(f"{layer}.base_layer")(x)
    assert not torch.allclose(expected, base)  # the adapter counts
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)


def test_lora_training_ends_on_the_best_epoch(
    pretrained: Path, cohort_store: PatientStore, tmp_path: Path
) -> None:
    """The loop reloads best/ with strict=False at the end: under LoRA it must restore the adapters."""
    model = _model(pretrained, "lora")
    batches = _batches(cohort_store, pretrained, "train")[:2]
    snapshots: list[dict[str, torch.Tensor]] = []

    def evaluate(m: torch.nn.Module, _device: torch.device) -> dict[str, float]:
        snapshots.append({k: v.clone() for k, v in m.state_dict().items()})
        return {"score": 3.0 - len(snapshots)}  # the first epoch is the best

    cfg = TrainConfig(epochs=3, batch_size=16, lr=1e-2, patience=10, warmup_frac=0.0)
    train(model, batches, cfg, out_dir=tmp_path, evaluate=evaluate, monitor="score", higher_is_better=True,
          save_best=save_injected)  # fmt: skip
    final = model.state_dict()
    changed = [k for k in final if ".lora_" in k and not torch.equal(snapshots[0][k], snapshots[2][k])]
    assert changed, "the adapters should move between epochs"
    assert all(torch.equal(final[k], snapshots[0][k]) for k in final)


# ---------------------------------------------------------------- compact and few-shot


def test_keep_layers_shrinks_the_model_and_loads_the_lower_layers(pretrained: Path) -> None:
    full, small = _model(pretrained), _model(pretrained, keep_layers=1)
    assert small.num_parameters() < full.num_parameters()
    state = small.state_dict()
    assert not [k for k in state if ".layers.1." in k or ".blocks.1." in k]
    source = _pretrained_state(pretrained)
    lower = [k for k in state if ".layers.0." in k or ".blocks.0." in k]
    assert lower and all(torch.equal(state[k], source[k]) for k in lower)
    assert all(torch.equal(v, source[k]) for k, v in state.items() if not k.startswith("head."))


def test_compact_cuts_every_transformer_it_can() -> None:
    config = ModelConfig(
        task_kind="binary",
        d_model=16,
        encoders={
            "events": ComponentSpec("events", {"num_layers": 4}),
            "text": ComponentSpec("text", {"num_layers": None, "freeze": 4}),
            "image": ComponentSpec("image", {"arch": "vit", "num_layers": 4}),
            "signal": ComponentSpec("signal", {}),  # the config's default (2) counts
        },
        fusion=ComponentSpec("attention", {"num_layers": 3}),
        head=ComponentSpec("classification", {"kind": "binary", "num_outputs": 1}),
    )
    cut = compact(config, 2)
    assert cut.encoders["events"].config["num_layers"] == 2
    assert cut.encoders["text"].config == {"num_layers": 2, "freeze": 2}  # MiniLM has 6
    assert cut.encoders["image"].config["num_layers"] == 2
    assert cut.encoders["signal"].config["num_layers"] == 2
    assert cut.fusion.config["num_layers"] == 2
    assert compact(config, 9).encoders["text"].config["num_layers"] == 6
    resnet = dataclasses.replace(config, encoders={"image": ComponentSpec("image", {"arch": "resnet"})})
    assert compact(resnet, 1).encoders["image"].config == {"arch": "resnet"}
    early = dataclasses.replace(config, fusion=ComponentSpec("early", {}))
    assert compact(early, 1).fusion.config == {}


def _sample(subject: int, label: int) -> Sample:
    import datetime as dt

    return Sample(subject, dt.datetime(2020, 1, 1) + dt.timedelta(days=subject), label)


def test_few_shot_keeps_k_patients_per_class() -> None:
    samples = [_sample(i, i % 3) for i in range(60)]
    kept = few_shot(samples, 4, seed=1, kind="multiclass")
    per_class = {c: {s.subject_id for s in kept if s.label == c} for c in range(3)}
    assert [len(p) for p in per_class.values()] == [4, 4, 4]
    assert kept == few_shot(samples, 4, seed=1, kind="multiclass")
    assert kept != few_shot(samples, 4, seed=2, kind="multiclass")
    assert len(few_shot(samples, 50, seed=1, kind="multiclass")) == 60  # a short class keeps all it has
    with pytest.raises(UsageError, match="binary or multiclass"):
        few_shot(samples, 4, seed=1, kind="survival")


def test_shots_through_finetune(adapted: Callable[..., Path]) -> None:
    run = json.loads((adapted(mode="llrd", shots=4, source="run") / "run.json").read_text())
    assert run["n_samples"]["train"] == 8  # one sample per patient, two classes


# ---------------------------------------------------------------- from scratch, and what is refused


@pytest.mark.parametrize("mode", ["linear_probe", "lora"])
def test_frozen_modes_from_scratch_warn_and_still_work(
    cohort_store: PatientStore, tmp_path: Path, mode: str
) -> None:
    said: list[str] = []
    out = tmp_path / "run"
    finetune(cohort_store, _tiny(mode=mode), out, register=False, stage=said.append)
    assert any("without --from" in m and "random" in m for m in said)
    run = json.loads((out / "run.json").read_text())
    assert run["left_at_init"] is None and run["initialised_tensors"] == 0
    if mode == "lora":  # no base: the adapter holds every tensor it needs
        batches = _batches(cohort_store, out)
        merged = _predict(FoundationModel.load(out / "best"), batches)
        np.testing.assert_allclose(_predict(load_adapter(None, out / "adapter"), batches), merged, atol=1e-5)


@pytest.mark.parametrize(
    ("file", "flags", "message"),
    [
        ({"train_fraction": 0.5}, {"shots": 4}, "shots and train_fraction"),
        ({}, {"mode": "full", "lora_rank": 4}, "--lora-rank applies to --mode lora"),
        ({"mode": "lora"}, {"llrd_decay": 0.5}, "--llrd-decay applies to --mode llrd"),
        ({}, {"mode": "prompt"}, "mode must be one of"),
        ({}, {"keep_layers": 0}, "keep_layers must be >= 1"),
        ({}, {"shots": 0}, "shots must be >= 1"),
        ({"mode": "llrd"}, {"llrd_decay": 1.5}, "llrd_decay must be in"),
        ({"mode": "lora", "lora_dropout": 1.0}, {}, "lora_dropout"),
    ],
)
def test_bad_combinations_are_one_line_usage_errors(
    tmp_path: Path, file: dict[str, Any], flags: dict[str, Any], message: str
) -> None:
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(file))
    with pytest.raises(UsageError, match=message) as info:
        FinetuneConfig.from_sources(path, {"task": TASK, **flags}, {})
    assert "\n" not in str(info.value)


def test_modalities_the_source_lacks_are_refused(
    pretrained: Path, source_run: Path, cohort_store: PatientStore, tmp_path: Path
) -> None:
    head = ModelConfig.from_file(source_run / "best" / "model.json")
    with pytest.raises(UsageError, match=r"no \['signal'\] encoder"):
        inherit_backbone(head, pretrained, _elsewhere(modalities=("events", "signal")), {})
    with pytest.raises(UsageError, match="signal"):
        finetune(cohort_store, _elsewhere(modalities=("events", "signal")), tmp_path / "r",
                 init_from=pretrained, register=False)  # fmt: skip


def test_lora_without_targets_is_refused(pretrained: Path) -> None:
    with pytest.raises(UsageError, match="no trainable Linear layer"):
        _model(pretrained, "lora", lora_targets=("nothing_by_this_name",))


@pytest.mark.slow
def test_finetune_command_line_refuses_a_bad_combination(tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    res = run("--store", str(tmp_path / "s"), "finetune", "--task", TASK, "--out", str(tmp_path / "r"),
              "--mode", "lora", "--llrd-decay", "0.5")  # fmt: skip
    assert res.returncode == 2 and "--llrd-decay applies to --mode llrd" in res.stderr
    assert "Traceback" not in res.stderr
