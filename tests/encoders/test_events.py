"""The events encoder: embeddings, masking and its input checks."""

from __future__ import annotations

import pytest
import torch

from healthfm.encoders import EventsConfig, EventsEncoder
from healthfm.schema import ModalityInput
from tests.encoders.inputs import make_input


def _encoder(**options: object) -> EventsEncoder:
    torch.manual_seed(0)
    return EventsEncoder(EventsConfig(**{"d_model": 32, "vocab_size": 20, "hidden_dim": 32, **options}))  # type: ignore[arg-type]


def _replace(inp: ModalityInput, **values: torch.Tensor) -> ModalityInput:
    return ModalityInput(values={**inp.values, **values}, mask=inp.mask)


def test_required_and_bad_options() -> None:
    with pytest.raises(TypeError, match="vocab_size"):
        EventsConfig()  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="vocab_size must be >= 2"):
        EventsConfig(vocab_size=1)
    with pytest.raises(ValueError, match="dropout must be in"):
        EventsConfig(vocab_size=10, dropout=1.0)
    with pytest.raises(ValueError, match="max_len must be positive"):
        EventsConfig(vocab_size=10, max_len=0)


def test_input_checks_name_the_problem() -> None:
    enc = _encoder(max_len=8)
    inp = make_input(enc)  # 12 tokens per row
    with pytest.raises(ValueError, match="12 tokens per row; expected 1 to max_len 8"):
        enc(inp)
    enc = _encoder()
    inp = make_input(enc)
    codes = inp.values["codes"].clone()
    codes[0, 0] = 20
    with pytest.raises(ValueError, match=r"code ids must be in \[0, 20\).*vocab_size"):
        enc(_replace(inp, codes=codes))


def test_every_input_moves_the_output() -> None:
    enc = _encoder(dropout=0.0).eval()
    inp = make_input(enc)
    base = enc(inp).pooled
    real = inp.values["token_mask"]
    for key, new in {
        "codes": torch.where(real, (inp.values["codes"] % 18) + 2, 0),
        "values": inp.values["values"] + 1.0,
        "delta_days": inp.values["delta_days"] + 30.0,
        "age_years": inp.values["age_years"] + 5.0,
    }.items():
        changed = enc(_replace(inp, **{key: new})).pooled
        assert not torch.allclose(changed[:3], base[:3]), key
    # a value is only read where has_value is set
    no_values = _replace(inp, has_value=torch.zeros_like(real))
    moved = _replace(no_values, values=inp.values["values"] + 3.0)
    torch.testing.assert_close(enc(no_values).pooled, enc(moved).pooled, rtol=0, atol=0)


def test_masked_positions_are_zero_and_pooled_is_their_mean() -> None:
    enc = _encoder().eval()
    inp = make_input(enc)
    out = enc(inp)
    mask = inp.values["token_mask"]
    assert torch.equal(out.mask, mask)
    assert not out.tokens[~mask].any()
    expected = out.tokens[0, mask[0]].mean(0)
    torch.testing.assert_close(out.pooled[0], expected)
    assert not out.pooled[-1].any()  # the absent row


def test_trailing_padding_is_skipped_but_kept_in_the_output() -> None:
    enc = _encoder().eval()
    inp = make_input(enc)
    wide = ModalityInput(
        values={k: torch.nn.functional.pad(v, (0, 20)) for k, v in inp.values.items()}, mask=inp.mask
    )
    a, b = enc(inp), enc(wide)
    assert b.tokens.shape[1] == 32 and torch.equal(b.mask[:, :12], a.mask) and not b.mask[:, 12:].any()
    torch.testing.assert_close(b.tokens[:, :12], a.tokens, rtol=0, atol=1e-6)
    torch.testing.assert_close(b.pooled, a.pooled, rtol=0, atol=1e-6)
    assert not b.tokens[:, 12:].any()


def test_hidden_width_is_projected_to_d_model() -> None:
    enc = _encoder(hidden_dim=16, num_heads=2)
    out = enc(make_input(enc))
    assert out.tokens.shape[-1] == 32 and isinstance(enc.out, torch.nn.Linear)
    assert isinstance(_encoder().out, torch.nn.Identity)
