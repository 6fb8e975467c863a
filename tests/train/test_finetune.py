"""`finetune` end to end: run folder, registry and audit, reload, resume, and learning beyond chance."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch

from healthfm.data import SampleDataset, make_loader
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import build_samples
from healthfm.train.finetune import FinetuneConfig, finetune, predict_samples
from healthfm.train.loop import TrainConfig
from healthfm.train.runs import load_run
from tests.conftest import SLOW_SCALE
from tests.model.conftest import tiny_config


def _config(task: str, epochs: int, **kw: object) -> FinetuneConfig:
    cfg = tiny_config(task)
    return dataclasses.replace(
        cfg, train=TrainConfig(epochs=epochs, batch_size=16, lr=3e-3, patience=10), **kw
    )


def test_finetune_writes_a_rebuildable_run(cohort_store: PatientStore, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = finetune(cohort_store, _config("cardiac_disease", 2), out, register=False)
    for name in ("run.json", "processors.json", "task.yaml", "history.jsonl", "predictions_held_out.parquet"):
        assert (out / name).is_file(), name
    assert (out / "best" / "model.safetensors").is_file() and (out / "last" / "train_state.pt").is_file()
    run = json.loads((out / "run.json").read_text())
    assert run["n_samples"]["train"] == result.n_samples["train"] > 0
    assert set(run["metrics"]) == {"tuning", "held_out"}
    # the run folder alone rebuilds model, processors and task: same predictions as the saved ones
    model, processors, task = load_run(out)
    samples = build_samples(cohort_store, task, "held_out")
    ds = SampleDataset(cohort_store, samples, processors, visible=task.visible)
    loader = make_loader(ds, processors, str(task.kind), 16)
    ids, _, _, pred, _ = predict_samples(model, loader, torch.device("cpu"))
    saved = pq.read_table(out / "predictions_held_out.parquet").to_pydict()
    assert ids.tolist() == saved["subject_id"]
    np.testing.assert_allclose(pred, saved["prediction"], rtol=1e-5, atol=1e-6)


def test_resume_continues_from_the_last_epoch(cohort_store: PatientStore, tmp_path: Path) -> None:
    out = tmp_path / "run"
    finetune(
        cohort_store, _config("cardiac_disease", 1, modalities=("events", "tabular")), out, register=False
    )
    result = finetune(
        cohort_store,
        _config("cardiac_disease", 3, modalities=("events", "tabular")),
        out,
        resume=True,
        register=False,
    )
    assert [r.epoch for r in result.result.history] == [0, 1, 2]
    assert len((out / "history.jsonl").read_text().splitlines()) == 3


def test_survival_task_finetunes(cohort_store: PatientStore, tmp_path: Path) -> None:
    result = finetune(
        cohort_store,
        _config("time_to_mace", 1, modalities=("events", "tabular")),
        tmp_path / "s",
        register=False,
    )
    assert "c_index" in result.metrics["held_out"]


@pytest.fixture(scope="module")
def bigger_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PatientStore]:
    from healthfm.datasets import fetch
    from healthfm.ingest.pipeline import ingest
    from healthfm.privacy.gate import PrivacyGate
    from healthfm.synth.writer import SynthConfig, synthesize

    fetch()
    n = 240 if SLOW_SCALE == "small" else 1000
    root = tmp_path_factory.mktemp("finetune-cohort")
    synthesize(SynthConfig(patients=n, seed=5, out=root / "export", workers=1), force=True)
    saved = os.environ.pop("HEALTHFM_CATALOG_URL", None)
    try:
        store = PatientStore.open(root / "store")
        ingest([root / "export" / d for d in ("fhir", "dicom", "wfdb")], store, gate=PrivacyGate(b"e" * 32))
        yield store
        store.close()
    finally:
        if saved is not None:
            os.environ["HEALTHFM_CATALOG_URL"] = saved


@pytest.mark.slow
def test_learns_beyond_chance_on_held_out_patients(bigger_store: PatientStore, tmp_path: Path) -> None:
    cfg = dataclasses.replace(_config("cardiac_disease", 8, modalities=("events", "tabular")), d_model=32)
    result = finetune(bigger_store, cfg, tmp_path / "run")
    held_out = result.metrics["held_out"]
    assert held_out["n"] >= 15
    assert held_out["auroc"] > 0.65, held_out
    # registered with its lineage, and the training audited
    record = bigger_store.catalog.get_model("cardiac_disease")
    trained_on = set(record.lineage["training_subjects"])
    assert trained_on and trained_on <= set(bigger_store.subjects("train").tolist())
    assert not trained_on & set(bigger_store.subjects("held_out").tolist())
    actions = [e.action for e in bigger_store.catalog.audit_entries(action="model.train")]
    assert actions == ["model.train"]


@pytest.mark.slow
def test_finetune_command_line(bigger_store: PatientStore, tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    store = str(bigger_store.root)
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"train": {"epochs": 1, "lr": 0.002}, "d_model": 32}))
    out = str(tmp_path / "r")
    res = run("--store", store, "finetune", "--task", "cardiac_disease", "--out", out,
              "--modalities", "events,tabular", "--config", str(cfg), "--lr", "0.003")  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    assert "held_out" in res.stdout and "registered as cardiac_disease v" in res.stdout
    saved = json.loads((tmp_path / "r" / "run.json").read_text())["config"]
    # the file's values stand unless a flag is given: epochs and d_model from the file, lr from the flag
    assert (saved["train"]["epochs"], saved["d_model"], saved["train"]["lr"]) == (1, 32, 0.003)
    res = run("--store", store, "finetune", "--task", "no_such_task", "--out", str(tmp_path / "x"))
    assert res.returncode == 2 and "cardiac_disease" in res.stderr and "Traceback" not in res.stderr
    res = run(
        "--store",
        store,
        "finetune",
        "--task",
        "cardiac_disease",
        "--out",
        str(tmp_path / "y"),
        "--modalities",
        "events,smell",
    )
    assert res.returncode == 2 and "smell" in res.stderr and "Traceback" not in res.stderr


def test_initialising_from_a_run_reuses_its_processors(cohort_store: PatientStore, tmp_path: Path) -> None:
    first = tmp_path / "first"
    finetune(
        cohort_store, _config("cardiac_disease", 1, modalities=("events", "tabular")), first, register=False
    )
    second = tmp_path / "second"
    result = finetune(
        cohort_store,
        _config("hf_or_mace_1y", 1, modalities=("events", "tabular")),
        second,
        init_from=first / "best",
        register=False,
    )
    # the vocabulary and normalisers the weights were trained with, not a refit on another task's samples
    assert (second / "processors.json").read_text() == (first / "processors.json").read_text()
    run = json.loads((second / "run.json").read_text())
    assert run["initialised_tensors"] > 0 and result.n_samples["train"] > 0
