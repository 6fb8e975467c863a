"""A fitted five-modality pipeline on the shared cohort, with tiny encoders so every test is quick."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from healthfm.data import SampleDataset, build_processors, fit_processors, make_loader
from healthfm.schema import Batch, Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, build_samples, load_task
from healthfm.train.finetune import FinetuneConfig, build_model_config

MODALITIES = ("events", "tabular", "text", "image", "signal")
TINY_PROCESSORS: dict[str, dict[str, Any]] = {
    "text": {"max_length": 32},
    "image": {"size": 32},
    "signal": {"target_rate": 50.0, "n_samples": 256},
    "events": {"max_len": 64},
}
TINY_ENCODERS: dict[str, dict[str, Any]] = {
    "events": {"hidden_dim": 16, "num_layers": 1, "num_heads": 2},
    "tabular": {"hidden_dim": 16, "num_layers": 1, "num_heads": 2},
    "text": {"num_layers": 1, "pool_stride": 8},
    "image": {"widths": (4, 8, 8, 8)},
    "signal": {"stem_channels": 8, "hidden_dim": 16, "num_layers": 1, "num_heads": 2, "patch_size": 16},
}


def tiny_config(
    task: str, fusion: str = "attention", modalities: tuple[str, ...] = MODALITIES
) -> FinetuneConfig:
    return FinetuneConfig(
        task=task,
        modalities=modalities,
        fusion=fusion,
        d_model=16,
        fusion_options={"num_layers": 1, "num_heads": 2} if fusion == "attention" else {},
        encoder_options={m: TINY_ENCODERS[m] for m in modalities},
        processor_options={m: TINY_PROCESSORS[m] for m in modalities if m in TINY_PROCESSORS},
    )


@dataclass
class Fitted:
    task: Task
    train: list[Sample]
    processors: dict[Modality, Any]
    dataset: SampleDataset
    config: FinetuneConfig

    def batch(self, n: int = 8, train: bool = False) -> Batch:
        loader = make_loader(self.dataset, self.processors, str(self.task.kind), n, train=train, seed=0)
        return next(iter(loader))

    def model_config(self, fusion: str = "attention") -> Any:
        cfg = tiny_config(self.task.name, fusion)
        return build_model_config(cfg, self.task, self.processors, self.train)


def fit(store: PatientStore, task_name: str) -> Fitted:
    task = load_task(task_name)
    train = build_samples(store, task, "train")
    cfg = tiny_config(task_name)
    procs = build_processors(
        [Modality(m) for m in MODALITIES], {Modality(m): o for m, o in TINY_PROCESSORS.items()}
    )
    fit_processors(store, train, procs, task.visible)
    ds = SampleDataset(store, train, procs, visible=task.visible)
    return Fitted(task, train, procs, ds, cfg)


@pytest.fixture(scope="session")
def fitted(cohort_store: PatientStore) -> Fitted:
    return fit(cohort_store, "cardiac_disease")


@pytest.fixture(scope="session")
def fitted_survival(cohort_store: PatientStore) -> Fitted:
    return fit(cohort_store, "time_to_mace")
