"""Integrated Gradients: completeness on every modality, the cached path equal to the model's forward."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from healthfm.explain import IGConfig, integrated_gradients
from healthfm.explain.core import Prediction
from healthfm.schema import Modality
from tests.explain.conftest import Run


def test_cached_fusion_path_matches_the_model(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    with torch.no_grad():
        logits = tiny_run.model(pred.batch).logits
    assert pred.logit == pytest.approx(float(logits[0]), abs=1e-5)
    assert pred.risk == pytest.approx(float(torch.sigmoid(logits[0])), abs=1e-6)
    assert "logit" in pred.target.description


@pytest.mark.parametrize("modality", list(Modality))
def test_completeness_within_one_percent(tiny_run: Run, full_subject: int, modality: Modality) -> None:
    pred = tiny_run.prediction(full_subject)
    config = IGConfig()
    raw = integrated_gradients(pred, modality, config)
    gap = raw.f_input - raw.f_baseline
    assert raw.converged, raw.completeness()
    assert abs(raw.values.sum() - gap) <= 0.01 * max(abs(gap), config.scale_floor)
    assert raw.relative_error == pytest.approx(abs(raw.values.sum() - gap) / max(abs(gap), 1e-12))
    # F(input) is the model's own logit; F(baseline) differs from it only through this modality
    assert raw.f_input == pytest.approx(pred.logit, abs=1e-5)
    assert np.isfinite(raw.values).all()
    assert raw.baseline and raw.method


def test_too_few_steps_is_reported_not_hidden(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    raw = integrated_gradients(pred, Modality.TABULAR, IGConfig(tolerance=1e-9, start_steps=2, max_steps=4))
    assert raw.steps == 4
    assert not raw.converged
    assert raw.relative_error > 0


def test_a_missing_modality_cannot_be_attributed(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    inputs = dict(pred.batch.inputs)
    inputs[Modality.IMAGE] = type(inputs[Modality.IMAGE])(
        inputs[Modality.IMAGE].values, torch.tensor([False])
    )
    batch = type(pred.batch)(pred.batch.subject_ids, inputs)
    without = Prediction(pred.model, pred.processors, pred.sample, pred.visible, batch)
    assert Modality.IMAGE not in without.present
    from healthfm.errors import UsageError

    with pytest.raises(UsageError, match="no image input"):
        integrated_gradients(without, Modality.IMAGE)
