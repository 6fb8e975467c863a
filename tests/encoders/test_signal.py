"""The signal encoder: patching, lead masks and lead dropout."""

from __future__ import annotations

import pytest
import torch

from healthfm.encoders import SignalConfig, SignalEncoder
from healthfm.schema import ModalityInput


def _inp(signal: torch.Tensor, lead_mask: torch.Tensor) -> ModalityInput:
    return ModalityInput(values={"signal": signal, "lead_mask": lead_mask}, mask=lead_mask.any(1))


def test_presets_keep_the_token_count_small() -> None:
    small = SignalConfig.from_dict(SignalEncoder.PRESETS["small"])
    assert (small.n_leads, small.n_samples, small.n_patches) == (12, 1000, 62)
    base = SignalConfig.from_dict(SignalEncoder.PRESETS["base"])
    assert (base.n_samples, base.n_patches) == (2500, 125)


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="multiple of stem_stride"):
        SignalConfig(patch_size=10, stem_stride=4)
    with pytest.raises(ValueError, match="shorter than one patch"):
        SignalConfig(n_samples=8, patch_size=16)
    with pytest.raises(ValueError, match="lead_dropout must be in"):
        SignalConfig(lead_dropout=1.0)


@pytest.mark.parametrize("n_samples", [256, 250, 1000])
def test_tokens_are_patches(n_samples: int) -> None:
    cfg = SignalConfig(d_model=32, n_leads=2, n_samples=n_samples, hidden_dim=32, num_layers=1)
    out = SignalEncoder(cfg)(_inp(torch.randn(2, 2, n_samples), torch.ones(2, 2, dtype=torch.bool)))
    assert out.tokens.shape == (2, cfg.n_patches, 32) and out.mask.all()


def test_wrong_shape_is_refused() -> None:
    enc = SignalEncoder(SignalConfig(n_leads=2, n_samples=256))
    with pytest.raises(ValueError, match=r"expected \(B, 2, 256\) \(leads x samples\), got \(1, 2, 300\)"):
        enc(_inp(torch.randn(1, 2, 300), torch.ones(1, 2, dtype=torch.bool)))


def test_a_missing_lead_differs_from_a_flat_one() -> None:
    enc = SignalEncoder(SignalConfig(d_model=32, n_leads=2, n_samples=256, hidden_dim=32)).eval()
    x = torch.randn(1, 2, 256)
    x[:, 1] = 0
    flat = enc(_inp(x, torch.tensor([[True, True]])))
    missing = enc(_inp(x, torch.tensor([[True, False]])))
    assert not torch.allclose(flat.pooled, missing.pooled)


def test_lead_dropout_never_hides_every_lead() -> None:
    torch.manual_seed(0)
    cfg = SignalConfig(d_model=32, n_leads=3, n_samples=256, hidden_dim=32, dropout=0.0, lead_dropout=0.9)
    enc = SignalEncoder(cfg)
    inp = _inp(torch.randn(8, 3, 256), torch.tensor([[True, False, False]] * 8))
    with torch.no_grad():
        train = enc.train()(inp).pooled
        evaluation = enc.eval()(inp).pooled
    torch.testing.assert_close(train, evaluation)  # the only recorded lead is always kept
    several = _inp(torch.randn(64, 3, 256), torch.ones(64, 3, dtype=torch.bool))
    with torch.no_grad():
        assert not torch.allclose(enc.train()(several).pooled, enc.eval()(several).pooled)
