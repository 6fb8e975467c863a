"""`pretrain` end to end: the run folder, what it trained on, reload, and fine-tuning from it."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from healthfm.pretrain.model import PretrainModel
from healthfm.pretrain.run import pretrain
from healthfm.pretrain.samples import pretraining_samples
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import build_samples, load_task
from healthfm.train.finetune import finetune
from healthfm.train.loop import TrainConfig
from tests.model.conftest import tiny_config
from tests.pretrain.conftest import tiny_pretrain_config


@pytest.fixture(scope="module")
def writable_store(cohort_store: PatientStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the shared cohort that pretraining may audit into."""
    root = tmp_path_factory.mktemp("pretrain-store") / "store"
    shutil.copytree(cohort_store.root, root)
    saved = os.environ.pop("HEALTHFM_CATALOG_URL", None)
    try:
        yield root
    finally:
        if saved is not None:
            os.environ["HEALTHFM_CATALOG_URL"] = saved


@pytest.fixture(scope="module")
def pretrained(writable_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("pretrain-run") / "run"
    with PatientStore.open(writable_store) as store:
        result = pretrain(store, tiny_pretrain_config(epochs=2), out)
    return out, result


def test_samples_cover_consenting_train_patients_only(cohort_store: PatientStore) -> None:
    samples = pretraining_samples(cohort_store, "train", cuts_per_patient=3, seed=1)
    train = set(cohort_store.subjects("train", consent_scope="training").tolist())
    assert {s.subject_id for s in samples} == train
    assert all(s.label is None for s in samples)
    per_subject: dict[int, int] = {}
    for s in samples:
        per_subject[s.subject_id] = per_subject.get(s.subject_id, 0) + 1
    assert max(per_subject.values()) == 3
    again = pretraining_samples(cohort_store, "train", cuts_per_patient=3, seed=1)
    assert again == samples  # seeded cut points


def test_pretrain_writes_a_run_that_reloads(pretrained: tuple[Path, object], writable_store: Path) -> None:
    out, _ = pretrained
    for name in ("run.json", "processors.json", "history.jsonl"):
        assert (out / name).is_file(), name
    for name in ("model.safetensors", "backbone.json", "objectives.json"):
        assert (out / "best" / name).is_file(), name
    run = json.loads((out / "run.json").read_text())
    assert run["kind"] == "pretrain"
    assert set(run["objectives"]) == {
        "masked_events",
        "masked_signal",
        "masked_image",
        "contrastive",
        "next_event",
    }
    assert {"masked_events/loss", "contrastive/loss"} <= set(run["tuning"])
    with PatientStore.open(writable_store) as store:
        trained_on = set(run["training_subjects"])
        assert trained_on <= set(store.subjects("train").tolist())
        assert not trained_on & set(store.subjects("held_out").tolist())
        entries = store.catalog.audit_entries(action="model.pretrain")
        assert [e.details["train_subjects"] for e in entries] == [len(trained_on)]
        # erasing a patient the backbone learned from names it
        names = {m.name for m in store.catalog.models_trained_on(min(trained_on))}
        assert "pretrained_backbone" in names
    assert set(run["retrieval"]) == {"signal->text", "image->text"}
    model = PretrainModel.load(out / "best")
    saved = load_file(str(out / "best" / "model.safetensors"))
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, saved[name]), name


def test_finetune_from_a_pretrained_run_takes_its_encoders_and_fusion(
    pretrained: tuple[Path, object], writable_store: Path, tmp_path: Path
) -> None:
    out, _ = pretrained
    cfg = dataclasses.replace(
        tiny_config("cardiac_disease"), train=TrainConfig(epochs=1, batch_size=16, lr=3e-3)
    )
    with PatientStore.open(writable_store) as store:
        result = finetune(store, cfg, tmp_path / "ft", init_from=out)
        run = json.loads((tmp_path / "ft" / "run.json").read_text())
        pretrained_on = set(json.loads((out / "run.json").read_text())["training_subjects"])
        # the fine-tuned model carries what the backbone learned: erasing a patient seen only in
        # pretraining names it too
        assert set(run["training_subjects"]) >= pretrained_on
        own = {s.subject_id for s in build_samples(store, load_task("cardiac_disease"), "train")}
        assert run["inherited_training_subjects"] == len(pretrained_on - own)
        for subject in pretrained_on:
            named = {(m.name, m.version) for m in store.catalog.models_trained_on(subject)}
            assert ("cardiac_disease", result.model_version) in named
    backbone = [
        k for k in load_file(str(out / "best" / "model.safetensors")) if not k.startswith("objectives.")
    ]
    assert run["initialised_tensors"] == len(backbone)
    assert json.loads((tmp_path / "ft" / "processors.json").read_text()) == json.loads(
        (out / "processors.json").read_text()
    )


def test_pretrain_command_line(writable_store: Path, tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    cfg = tmp_path / "cfg.json"
    config = dataclasses.asdict(tiny_pretrain_config(epochs=1))
    config["modalities"] = ["events", "signal"]
    cfg.write_text(json.dumps(config))
    out = tmp_path / "r"
    res = run("pretrain", "--store", str(writable_store), "--out", str(out), "--config", str(cfg),
              "--objectives", "masked_events,masked_signal:0.5")  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    assert "masked_events" in res.stdout and "masked_signal" in res.stdout
    saved = json.loads((out / "run.json").read_text())
    assert saved["objectives"]["masked_signal"]["weight"] == 0.5
    assert set(saved["objectives"]) == {"masked_events", "masked_signal"}
    for args, message in [
        (("--objectives", "telepathy"), "telepathy"),
        (("--objectives", "masked_image"), "needs modalities"),
        (("--objectives", "masked_events:lots"), "not a number"),
    ]:
        res = run("pretrain", "--store", str(writable_store), "--out", str(tmp_path / "x"),
                  "--config", str(cfg), *args)  # fmt: skip
        assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr, res.stderr
    res = run("pretrain", "--store", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x"))
    assert res.returncode == 2 and "no patient store" in res.stderr


@pytest.mark.slow
def test_pretrain_runs_under_torchrun_with_two_processes(writable_store: Path, tmp_path: Path) -> None:
    """The same command under DDP (gloo): every parameter joins each step, so no rank waits on a
    gradient another rank never computed, and only rank 0 writes the run."""
    import subprocess
    import sys

    cfg = tmp_path / "cfg.json"
    config = dataclasses.asdict(tiny_pretrain_config(epochs=1))
    config["modalities"] = ["events", "tabular", "signal"]
    cfg.write_text(json.dumps(config))
    out = tmp_path / "ddp"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("HEALTHFM_STORE", "HEALTHFM_CATALOG_URL")},
        "OMP_NUM_THREADS": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
         "-m", "healthfm", "--store", str(writable_store), "pretrain", "--out", str(out),
         "--config", str(cfg)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    run = json.loads((out / "run.json").read_text())
    assert set(run["objectives"]) == {"masked_events", "masked_signal", "contrastive", "next_event"}
    assert (out / "best" / "model.safetensors").is_file()
    assert proc.stdout.count("pretrain ->") == 1  # one summary: rank 0's
