"""FoundationModel on real batches of the virtual cohort: every fusion and head, masks, persistence."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch

from healthfm.errors import UsageError
from healthfm.model import FoundationModel, ModelConfig
from healthfm.schema import Batch, Modality, ModalityInput
from tests.model.conftest import Fitted


def _model(fitted: Fitted, fusion: str = "attention") -> FoundationModel:
    torch.manual_seed(0)
    return FoundationModel(fitted.model_config(fusion))


@pytest.mark.parametrize("fusion", ["attention", "early", "late"])
def test_forward_backward_on_a_real_batch(fitted: Fitted, fusion: str) -> None:
    model = _model(fitted, fusion).train()
    batch = fitted.batch(train=True)
    assert set(batch.inputs) == set(model.modalities)
    out = model(batch)
    assert out.logits.shape == (batch.size,)
    assert out.loss is not None and torch.isfinite(out.loss)
    out.loss.backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert all(g is None or torch.isfinite(g).all() for g in grads)
    assert sum(g is not None and bool(g.abs().sum() > 0) for g in grads) > len(grads) // 2


def test_survival_model_on_a_real_batch(fitted_survival: Fitted) -> None:
    model = FoundationModel(fitted_survival.model_config())
    batch = fitted_survival.batch(n=12, train=True)
    assert batch.event_observed is not None
    out = model(batch)
    assert out.logits.shape[0] == 12 and out.logits.shape[1] == len(model.head.config.bin_edges_days) - 1  # type: ignore[attr-defined]
    assert out.loss is not None and torch.isfinite(out.loss)
    risk = model.predict(batch)
    assert ((risk >= 0) & (risk <= 1)).all()


def _replace(batch: Batch, m: Modality, values: dict[str, torch.Tensor], mask: torch.Tensor) -> Batch:
    inputs = dict(batch.inputs)
    inputs[m] = ModalityInput(values, mask)
    return dataclasses.replace(batch, inputs=inputs)


@pytest.mark.parametrize("fusion", ["attention", "early", "late"])
def test_an_absent_modality_changes_nothing(fitted: Fitted, fusion: str) -> None:
    model = _model(fitted, fusion).eval()
    batch = fitted.batch()
    m = Modality.IMAGE
    mask = batch.inputs[m].mask.clone()
    mask[0] = False
    masked = _replace(batch, m, dict(batch.inputs[m].values), mask)
    pixels = batch.inputs[m].values["pixels"].clone()
    pixels[0] = torch.randn_like(pixels[0]) * 10
    noisy = _replace(batch, m, {"pixels": pixels}, mask)
    with torch.no_grad():
        a, b = model(masked).logits, model(noisy).logits
    torch.testing.assert_close(a[0], b[0])


def test_save_load_gives_identical_outputs(fitted: Fitted, tmp_path: Path) -> None:
    model = _model(fitted).eval()
    model.save(tmp_path / "m")
    again = FoundationModel.load(tmp_path / "m").eval()
    as_json = json.loads(json.dumps(model.config.to_dict()))
    assert ModelConfig.from_file(tmp_path / "m" / "model.json").to_dict() == as_json
    batch = fitted.batch()
    with torch.no_grad():
        torch.testing.assert_close(again(batch).logits, model(batch).logits)


def test_load_refuses_weights_of_another_model(fitted: Fitted, tmp_path: Path) -> None:
    _model(fitted).save(tmp_path / "a")
    other = dataclasses.replace(fitted.model_config(), d_model=32)
    other.to_file(tmp_path / "a" / "model.json")
    with pytest.raises(UsageError, match="do not fit"):
        FoundationModel.load(tmp_path / "a")
    with pytest.raises(UsageError, match="not a saved healthfm model"):
        FoundationModel.load(tmp_path / "nothing")


def test_attention_maps_on_request(fitted: Fitted) -> None:
    model = _model(fitted).eval()
    with torch.no_grad():
        out = model(fitted.batch(), return_attention=True)
    assert "attention_0" in out.extras
    assert out.embeddings is not None and out.embeddings.shape == (8, 16)


def test_bad_model_configs() -> None:
    with pytest.raises(ValueError, match="task_kind"):
        ModelConfig.from_dict(
            {
                "task_kind": "ranking",
                "d_model": 8,
                "encoders": {"events": {"name": "events"}},
                "fusion": {"name": "attention"},
                "head": {"name": "classification"},
            }
        )
    with pytest.raises(ValueError, match="missing 'head'"):
        ModelConfig.from_dict({"task_kind": "binary", "d_model": 8, "encoders": {}, "fusion": {"name": "x"}})
