"""Modality Shapley values (exact, efficient, equal to full masked passes) and fusion attention maps."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from healthfm.explain import attention_map, modality_shapley
from healthfm.explain.core import Prediction
from healthfm.explain.shapley import coalitions, modality_shapley_by_forward, shapley_values
from healthfm.model import ComponentSpec, FoundationModel
from healthfm.schema import Batch, Modality, ModalityInput
from tests.explain.conftest import Run


def test_shapley_values_of_a_known_game() -> None:
    players = [Modality.EVENTS, Modality.TEXT, Modality.IMAGE]
    # v(S) = |S|^2 + 2 [image in S]: symmetric part 3 each, plus image's own 2
    value = {s: len(s) ** 2 + 2.0 * (Modality.IMAGE in s) for s in coalitions(players)}
    phi = shapley_values(players, value)
    assert phi[Modality.EVENTS] == pytest.approx(3.0)
    assert phi[Modality.TEXT] == pytest.approx(3.0)
    assert phi[Modality.IMAGE] == pytest.approx(5.0)
    assert len(coalitions(players)) == 8


def test_efficiency_and_the_cls_only_prediction(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    values = modality_shapley(pred)
    assert values.modalities == pred.present and values.coalitions == 2 ** len(pred.present)
    assert sum(values.risk.values()) == pytest.approx(values.f_all[0] - values.f_none[0], abs=1e-9)
    assert sum(values.logit.values()) == pytest.approx(values.f_all[1] - values.f_none[1], abs=1e-9)
    assert values.efficiency_error < 1e-9
    assert values.f_all[0] == pytest.approx(pred.risk, abs=1e-6)
    # f(none): a new Batch with every modality's mask False, through the whole model
    hidden = {
        m: ModalityInput(inp.values, torch.zeros_like(inp.mask)) for m, inp in pred.batch.inputs.items()
    }
    with torch.no_grad():
        logits = tiny_run.model(Batch(pred.batch.subject_ids, hidden)).logits
    assert values.f_none[0] == pytest.approx(float(torch.sigmoid(logits[0])), abs=1e-6)


def test_fast_path_equals_one_full_pass_per_coalition(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    masks = {m: inp.mask.clone() for m, inp in pred.batch.inputs.items()}
    fast, slow = modality_shapley(pred), modality_shapley_by_forward(pred)
    for m in pred.present:
        assert fast.risk[m] == pytest.approx(slow.risk[m], abs=1e-5)
        assert fast.logit[m] == pytest.approx(slow.logit[m], abs=1e-4)
    assert all(torch.equal(masks[m], inp.mask) for m, inp in pred.batch.inputs.items())  # never mutated
    data = fast.to_dict()
    assert set(data["values"]) == {m.value for m in pred.present}


def test_attention_rows_sum_to_one(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    found = attention_map(pred)
    assert found is not None
    assert found.groups == ["[CLS]", *(m.value for m in tiny_run.model.modalities)]
    assert len(found.layers) == 1  # the tiny config's one fusion layer
    for matrix in [*found.layers, found.mean]:
        assert matrix.shape == (len(found.groups), len(found.groups))
        np.testing.assert_allclose(matrix.sum(1), 1.0, atol=1e-5)
        assert (matrix >= 0).all()
    data = found.to_dict()
    assert sum(data["cls_attention"].values()) == pytest.approx(1.0, abs=1e-5)


def test_attention_leaves_absent_modalities_out(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    inputs = dict(pred.batch.inputs)
    inputs[Modality.TEXT] = ModalityInput(inputs[Modality.TEXT].values, torch.tensor([False]))
    fewer = Prediction(
        pred.model, pred.processors, pred.sample, pred.visible, Batch(pred.batch.subject_ids, inputs)
    )
    found = attention_map(fewer)
    assert found is not None and "text" not in found.groups
    np.testing.assert_allclose(found.mean.sum(1), 1.0, atol=1e-5)


def test_late_fusion_has_no_attention_but_shapley_works(tiny_run: Run, full_subject: int) -> None:
    config = dataclasses.replace(tiny_run.model.config, fusion=ComponentSpec("late", {}))
    torch.manual_seed(0)
    model = FoundationModel(config).eval()
    pred = tiny_run.prediction(full_subject).with_model(model)
    with torch.no_grad():
        assert pred.logit == pytest.approx(float(model(pred.batch).logits[0]), abs=1e-5)
    assert attention_map(pred) is None
    values = modality_shapley(pred)
    assert values.efficiency_error < 1e-9
    assert values.f_none[0] == pytest.approx(0.5)  # late fusion with nothing present averages no logits
