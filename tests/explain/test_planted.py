"""Data randomisation (Adebayo et al. 2018): with the label planted in one lab value, the explanation must
point at that lab; a model trained on permuted labels must not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
import torch

from healthfm.data import SampleDataset, build_processors, fit_processors, make_loader
from healthfm.explain import integrated_gradients
from healthfm.explain.core import Prediction
from healthfm.explain.units import group
from healthfm.model import FoundationModel
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, build_samples
from healthfm.train.finetune import build_model_config
from tests.model.conftest import tiny_config

PLANTED = "LOINC/13457-7"  # LDL: the label follows it
NOISE = ("LOINC/8480-6", "LOINC/4548-4", "LOINC/2160-0", "LOINC/2085-9")
SUBJECTS = 160
TASK = Task.from_dict(
    {
        "name": "planted",
        "kind": "binary",
        "prediction_time": {"anchor_codes": ["SNOMED/33367005"]},
        "horizon_days": 2.0,
        "label": {"codes": ["ICD10CM/I25.1*"]},
    }
)


def _events(seed: int) -> tuple[pa.Table, dict[int, int]]:
    rng = np.random.default_rng(seed)
    rows: dict[str, list[Any]] = {"subject_id": [], "time": [], "code": [], "numeric_value": []}
    labels: dict[int, int] = {}

    def add(sid: int, when: dt.datetime | None, code: str, value: float | None = None) -> None:
        rows["subject_id"].append(sid)
        rows["time"].append(when)
        rows["code"].append(code)
        rows["numeric_value"].append(value)

    for sid in range(1, SUBJECTS + 1):
        birth = dt.datetime(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 7000)))
        anchor = dt.datetime(2020, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        label = int(rng.random() < 0.5)
        labels[sid] = label
        add(sid, None, "GENDER/F" if rng.random() < 0.5 else "GENDER/M")
        add(sid, birth, "MEDS_BIRTH")
        for k in range(2):
            when = anchor - dt.timedelta(days=30 * (k + 1))
            add(sid, when, PLANTED, float(rng.normal(190 if label else 100, 12)))
            for code in NOISE:
                add(sid, when, code, float(rng.normal(100, 20)))
        add(sid, anchor, "SNOMED/33367005")
        if label:
            add(sid, anchor + dt.timedelta(hours=6), "ICD10CM/I25.10")
        add(sid, anchor + dt.timedelta(days=30), "ENCOUNTER/AMB")  # follow-up: negatives are not censored
    table = pa.table(
        {
            "subject_id": pa.array(rows["subject_id"], pa.int64()),
            "time": pa.array(rows["time"], pa.timestamp("us")),
            "code": pa.array(rows["code"], pa.string()),
            "numeric_value": pa.array(rows["numeric_value"], pa.float32()),
        }
    )
    return table, labels


@pytest.fixture(scope="module")
def planted_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = PatientStore.open(tmp_path_factory.mktemp("planted") / "store", catalog_url="sqlite://")
    store.append(_events(seed=3)[0])
    yield store
    store.close()


def _train(store: PatientStore, samples: list[Sample]) -> tuple[FoundationModel, dict[Modality, Any]]:
    modalities = (Modality.EVENTS, Modality.TABULAR)
    processors = build_processors(modalities, {Modality.EVENTS: {"max_len": 32, "min_count": 1}})
    fit_processors(store, samples, processors, TASK.visible, require_train_split=False)
    config = tiny_config("planted", modalities=tuple(m.value for m in modalities))
    torch.manual_seed(0)
    model = FoundationModel(build_model_config(config, TASK, processors, samples))
    loader = make_loader(
        SampleDataset(store, samples, processors, visible=TASK.visible),
        processors,
        "binary",
        32,
        shuffle=True,
        train=True,
    )
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(12):
        for batch in loader:
            loss = model(batch).loss
            assert loss is not None
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return model.eval(), processors


def _planted_share(
    store: PatientStore, model: FoundationModel, processors: dict[Modality, Any], samples: list[Sample]
) -> tuple[float, float]:
    """Over the samples: how often the planted lab is the top unit of the whole explanation (codes of the
    events and features of the table together), and its mean share of the total |attribution|."""
    top, shares = [], []
    for sample in samples:
        visible = TASK.visible(store.timeline(sample.subject_id), sample)
        pred = Prediction.build(model, processors, sample, visible, store.blobs, class_names=TASK.class_names)
        units = [
            (f.detail["code"], abs(f.attribution))
            for m in (Modality.TABULAR, Modality.EVENTS)
            for f in group(pred, integrated_gradients(pred, m), {}).features
        ]
        units.sort(key=lambda u: -u[1])
        top.append(units[0][0] == PLANTED)
        shares.append(sum(a for c, a in units if c == PLANTED) / sum(a for _, a in units))
    return float(np.mean(top)), float(np.mean(shares))


def test_explanations_follow_the_planted_label_and_not_permuted_ones(planted_store: PatientStore) -> None:
    samples = build_samples(planted_store, TASK, None, consent_scope=None)
    assert len(samples) == SUBJECTS and 0.3 < np.mean([s.label for s in samples]) < 0.7
    fitted, processors = _train(planted_store, samples)
    # positives: for a negative the all-missing baseline already predicts "negative", so IG has little to
    # attribute and the ranking is noise (Integrated Gradients explains F(x) - F(baseline))
    explained = [s for s in samples if s.label == 1][:8]
    top, share = _planted_share(planted_store, fitted, processors, explained)
    rng = np.random.default_rng(0)
    labels = rng.permutation([s.label for s in samples])
    permuted = [
        Sample(s.subject_id, s.prediction_time, int(y), task=s.task)
        for s, y in zip(samples, labels, strict=True)
    ]
    noise_model, noise_processors = _train(planted_store, permuted)
    top_noise, share_noise = _planted_share(planted_store, noise_model, noise_processors, explained)
    print(
        f"planted top-1 {top:.2f} share {share:.2f}; permuted top-1 {top_noise:.2f} share {share_noise:.2f}"
    )
    assert top >= 0.9 and share >= 0.5
    # the permuted model's explanation does not single the planted lab out (its values are bimodal, so
    # some attribution mass follows them even without any signal)
    assert share_noise < share / 2 and top_noise <= top - 0.25
