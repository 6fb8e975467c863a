"""A tiny pretraining setup on the shared cohort: unlabelled samples, fitted processors, a backbone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from healthfm.data import SampleDataset, build_processors, fit_processors, make_loader
from healthfm.pretrain.model import BackboneConfig
from healthfm.pretrain.run import PretrainConfig, backbone_config
from healthfm.pretrain.samples import pretraining_samples
from healthfm.schema import Batch, Modality
from healthfm.store.patient_store import PatientStore
from healthfm.train.loop import TrainConfig
from tests.model.conftest import MODALITIES, TINY_ENCODERS, TINY_PROCESSORS


def tiny_pretrain_config(epochs: int = 1, **kw: Any) -> PretrainConfig:
    return PretrainConfig(
        modalities=MODALITIES,
        d_model=16,
        fusion_options={"num_layers": 1, "num_heads": 2},
        encoder_options=TINY_ENCODERS,
        processor_options=TINY_PROCESSORS,
        train=TrainConfig(epochs=epochs, batch_size=16, lr=3e-3, patience=10),
        **kw,
    )


@dataclass
class TinyPretrain:
    backbone: BackboneConfig
    batches: list[Batch]
    processors: dict[Modality, Any]


@pytest.fixture(scope="session")
def tiny_pretrain(cohort_store: PatientStore) -> TinyPretrain:
    samples = pretraining_samples(cohort_store, "train", cuts_per_patient=2, seed=0)[:48]
    modalities = [Modality(m) for m in MODALITIES]
    processors = build_processors(modalities, TINY_PROCESSORS)
    fit_processors(cohort_store, samples, processors)
    ds = SampleDataset(cohort_store, samples, processors)
    ds.materialize()
    batches = list(make_loader(ds, processors, None, 16, shuffle=False))
    return TinyPretrain(backbone_config(tiny_pretrain_config(), processors), batches, processors)
