"""A tiny five-modality model fine-tuned on the shared 80-patient cohort, and predictions to explain."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from healthfm.explain import Prediction, find_sample
from healthfm.model import FoundationModel
from healthfm.schema import Modality
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task
from healthfm.train.finetune import finetune
from healthfm.train.loop import TrainConfig
from healthfm.train.runs import load_run
from tests.model.conftest import tiny_config

torch.set_num_threads(1)


@dataclasses.dataclass
class Run:
    folder: Path
    model: FoundationModel
    processors: dict[Modality, Any]
    task: Task
    store: PatientStore

    def prediction(self, subject_id: int) -> Prediction:
        sample = find_sample(self.task, self.store, subject_id)
        visible = self.task.visible(self.store.timeline(subject_id), sample)
        return Prediction.build(
            self.model, self.processors, sample, visible, self.store.blobs, class_names=self.task.class_names
        )


@pytest.fixture(scope="session")
def tiny_run(cohort_store: PatientStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """cardiac_disease, every modality, tiny encoders, 3 epochs (a few seconds on one thread)."""
    out = tmp_path_factory.mktemp("explain-run") / "run"
    config = dataclasses.replace(
        tiny_config("cardiac_disease"), train=TrainConfig(epochs=3, batch_size=16, lr=3e-3, patience=10)
    )
    finetune(cohort_store, config, out, register=False)
    model, processors, task = load_run(out)
    model.eval()
    yield Run(out, model, processors, task, cohort_store)


@pytest.fixture(scope="session")
def full_subject(tiny_run: Run) -> int:
    """A subject with a prediction time and every modality before it."""
    for sid in tiny_run.store.subjects():
        try:
            pred = tiny_run.prediction(int(sid))
        except Exception:  # no prediction time for this task
            continue
        if len(pred.present) == len(tiny_run.model.modalities):
            return int(sid)
    raise AssertionError("the cohort has no subject with every modality at a prediction time")
