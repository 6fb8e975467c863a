"""Contract tests over every registered fusion: shapes, masks respected, dropout, gradients, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

import healthfm.fusion  # noqa: F401
from healthfm.fusion.base import Fusion
from healthfm.registry import FUSIONS
from healthfm.schema import EncoderOutput, Modality

D = 16
MODS = [Modality.EVENTS, Modality.TEXT, Modality.SIGNAL]


def _build(name: str, **extra: object) -> Fusion:
    cls = FUSIONS.get(name)
    assert isinstance(cls, type) and issubclass(cls, Fusion)
    cfg = cls.config_class.from_dict(
        {"d_model": D, "modalities": [m.value for m in MODS]}
        | ({"num_heads": 2, "dropout": 0.0, "max_tokens_per_modality": 4} if name == "attention" else {})
        | ({"dropout": 0.0} if name == "early" else {})
        | extra
    )
    return cls(cfg).eval()


def _outputs(b: int = 3, seed: int = 0) -> tuple[dict[Modality, EncoderOutput], dict[Modality, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    outs, present = {}, {}
    for i, m in enumerate(MODS):
        t = 3 + 2 * i  # text: 5 tokens, signal: 7 (> max_tokens_per_modality: gets pooled down)
        tokens = torch.randn(b, t, D, generator=g)
        mask = torch.ones(b, t, dtype=torch.bool)
        mask[0, -1] = False
        outs[m] = EncoderOutput(tokens, mask, tokens[:, :2].mean(1))
        present[m] = torch.ones(b, dtype=torch.bool)
    present[Modality.TEXT][1] = False  # row 1 has no text
    return outs, present


@pytest.fixture(params=FUSIONS.names())
def fusion(request: pytest.FixtureRequest) -> Fusion:
    return _build(request.param)


def test_shapes_and_finite(fusion: Fusion) -> None:
    outs, present = _outputs()
    fused = fusion(outs, present)
    assert fused.pooled.shape == (3, D)
    assert torch.isfinite(fused.pooled).all()


def test_pooled_alone_is_the_full_forward_pooled(fusion: Fusion) -> None:
    """`pooled()` (serving: attention fusion skips the last block's non-[CLS] rows) equals the forward's
    `pooled` without gradients, with absent modalities and masked tokens; with gradients it is the
    forward itself."""
    outs, present = _outputs(b=4, seed=3)
    present[Modality.SIGNAL][2] = False
    with torch.no_grad():
        full = fusion(outs, present)
        alone = fusion.pooled(outs, present)
    assert torch.allclose(alone.pooled, full.pooled, atol=1e-5)
    if fusion.late:
        assert alone.per_modality is not None and torch.allclose(alone.per_modality, full.per_modality)
    assert torch.equal(fusion.pooled(outs, present).pooled, fusion(outs, present).pooled)  # grad on


def test_absent_modality_is_ignored(fusion: Fusion) -> None:
    outs, present = _outputs()
    base = fusion(outs, present).pooled
    text = outs[Modality.TEXT]
    noisy = text.tokens.clone()
    g = torch.Generator().manual_seed(9)
    # random, not a constant shift: LayerNorm would remove a constant
    noisy[:2] += 10 * torch.randn(noisy[:2].shape, generator=g)
    pooled = text.pooled.clone()
    pooled[:2] += 10 * torch.randn(pooled[:2].shape, generator=g)
    outs[Modality.TEXT] = EncoderOutput(noisy, text.mask, pooled)
    changed = fusion(outs, present).pooled
    torch.testing.assert_close(changed[1], base[1])
    assert not torch.allclose(changed[0], base[0])  # a present modality does matter


def test_masked_tokens_are_ignored() -> None:
    fusion = _build("attention")
    outs, present = _outputs()
    base = fusion(outs, present).pooled
    ev = outs[Modality.EVENTS]
    tokens = ev.tokens.clone()
    tokens[0, -1] = 1e3  # masked position
    outs[Modality.EVENTS] = EncoderOutput(tokens, ev.mask, ev.pooled)
    torch.testing.assert_close(fusion(outs, present).pooled, base)


def test_a_row_without_any_modality_stays_finite(fusion: Fusion) -> None:
    outs, present = _outputs()
    for m in MODS:
        present[m][2] = False
    assert torch.isfinite(fusion(outs, present).pooled).all()


def test_modality_dropout_only_in_training_and_keeps_one() -> None:
    fusion = _build("attention", modality_dropout=0.9)
    present = {m: torch.ones(200, dtype=torch.bool) for m in MODS}
    fusion.train()
    keep = fusion.effective_presence(present)
    assert keep.any(1).all()
    assert (keep.sum(1) < len(MODS)).any()
    fusion.eval()
    assert fusion.effective_presence(present).all()


def test_backward_reaches_every_parameter(fusion: Fusion) -> None:
    fusion.train()
    outs, present = _outputs()
    fusion(outs, present).pooled.square().sum().backward()
    for name, p in fusion.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name


def test_config_round_trip_and_save_load(fusion: Fusion, tmp_path: Path) -> None:
    cls = type(fusion)
    again = cls(cls.config_class.from_dict(fusion.config.to_dict())).eval()
    save_file({k: v.contiguous() for k, v in fusion.state_dict().items()}, str(tmp_path / "f.safetensors"))
    again.load_state_dict(load_file(str(tmp_path / "f.safetensors")))
    outs, present = _outputs(seed=3)
    torch.testing.assert_close(again(outs, present).pooled, fusion(outs, present).pooled)


def test_attention_maps_cover_cls_and_tokens() -> None:
    fusion = _build("attention")
    outs, present = _outputs()
    fused = fusion(outs, present, return_attention=True)
    t = 1 + sum(min(o.tokens.shape[1], 4) for o in outs.values())
    assert len(fused.attention) == 2 and fused.attention[0].shape == (3, t, t)
    assert len(fusion.token_modalities(outs)) == t - 1  # type: ignore[attr-defined]
    # nothing attends to a masked token
    assert fused.attention[0][0, :, 1 + 2].abs().max() == 0  # events token 3 of row 0 is masked


def test_bad_configs_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="divisible"):
        _build("attention", num_heads=3)
    with pytest.raises(ValueError, match="unknown option"):
        _build("early", width=3)
    with pytest.raises(ValueError, match="modality_dropout"):
        _build("late", modality_dropout=1.5)
