"""Contract tests parametrised over every registered encoder and its presets (timm's test_models style)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from torch import nn

import healthfm.encoders as encoders
from healthfm.encoders.base import Encoder
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput
from tests.encoders.inputs import (
    CASE_IDS,
    CASES,
    OVERRIDES,
    B,
    build,
    encoder_class,
    make_input,
    perturb_masked,
)

NAMES = ["events", "image", "signal", "tabular", "text"]


def _rows(inp: ModalityInput, index: slice) -> ModalityInput:
    return ModalityInput(values={k: v[index] for k, v in inp.values.items()}, mask=inp.mask[index])


def _check_output(enc: Encoder, out: EncoderOutput, b: int) -> None:
    d = enc.config.d_model
    assert isinstance(out, EncoderOutput)
    assert out.tokens.ndim == 3 and out.tokens.shape[0] == b and out.tokens.shape[2] == d
    assert out.tokens.shape[1] >= 1
    assert out.mask.shape == out.tokens.shape[:2] and out.mask.dtype == torch.bool
    assert out.pooled.shape == (b, d)
    assert out.tokens.dtype == out.pooled.dtype == torch.float32
    assert torch.isfinite(out.tokens).all() and torch.isfinite(out.pooled).all()


def test_every_modality_has_a_registered_encoder() -> None:
    assert ENCODERS.names() == NAMES
    for name in NAMES:
        cls = encoder_class(name)
        assert cls.name == name and cls.modality is Modality(name)
        assert issubclass(cls.config_class, encoders.EncoderConfig)
        assert {"small", "base"} <= set(cls.PRESETS)
        assert {p for n, p in CASES if n == name} == set(cls.PRESETS), "every preset has a test case"


def test_public_api_is_pinned() -> None:
    assert encoders.__all__ == [
        "Encoder",
        "EncoderConfig",
        "EventsConfig",
        "EventsEncoder",
        "ImageConfig",
        "ImageEncoder",
        "SignalConfig",
        "SignalEncoder",
        "TabularConfig",
        "TabularEncoder",
        "TextConfig",
        "TextEncoder",
        "masked_mean",
        "text_model_dir",
    ]


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_every_preset_is_a_valid_config(name: str, preset: str) -> None:
    """The real presets (not the shrunk test ones) validate, given what the processor supplies."""
    cls = encoder_class(name)
    required = {k: v for k, v in OVERRIDES[(name, preset)].items() if k in ("vocab_size", "n_numeric")}
    cfg = cls.config_class.from_dict({**cls.PRESETS[preset], **required})
    assert cfg.to_dict()["d_model"] == 128


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
def test_forward_shapes_and_finite_values(name: str, preset: str, training: bool) -> None:
    enc = build(name, preset).train(training)
    inp = make_input(enc)
    out = enc(inp)
    _check_output(enc, out, B)
    # the absent last row (zeros / nothing recorded) stays finite; where it has no real token, pooled is zero
    if not out.mask[-1].any():
        assert torch.equal(out.pooled[-1], torch.zeros_like(out.pooled[-1]))
    # tokens at masked positions carry nothing
    assert not out.tokens[~out.mask].any()


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_all_rows_absent(name: str, preset: str) -> None:
    enc = build(name, preset).eval()
    inp = make_input(enc)
    empty = ModalityInput(
        values={k: torch.zeros_like(v) for k, v in inp.values.items()}, mask=torch.zeros(B, dtype=torch.bool)
    )
    with torch.no_grad():
        _check_output(enc, enc(empty), B)


@pytest.mark.parametrize(
    ("name", "preset"), [c for c in CASES if c[0] != "image"], ids=[i for i in CASE_IDS if "image" not in i]
)
def test_masked_inputs_change_nothing(name: str, preset: str) -> None:
    enc = build(name, preset).eval()
    inp = make_input(enc)
    other = perturb_masked(inp, enc.modality)
    assert other is not None
    assert any(not torch.equal(inp.values[k], other.values[k]) for k in inp.values), "the perturbation bites"
    with torch.no_grad():
        a, b = enc(inp), enc(other)
    assert torch.equal(a.mask, b.mask)
    torch.testing.assert_close(a.tokens, b.tokens, rtol=0, atol=1e-6)
    torch.testing.assert_close(a.pooled, b.pooled, rtol=0, atol=1e-6)


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_rows_are_independent_in_eval(name: str, preset: str) -> None:
    """A row's output does not depend on the other rows of its batch (padding, absent rows, batch norm)."""
    enc = build(name, preset).eval()
    inp = make_input(enc)
    with torch.no_grad():
        full = enc(inp)
        for i in (0, 1):
            alone = enc(_rows(inp, slice(i, i + 1)))
            t = alone.tokens.shape[1]
            torch.testing.assert_close(alone.pooled[0], full.pooled[i], rtol=1e-4, atol=1e-5)
            torch.testing.assert_close(alone.tokens[0], full.tokens[i, :t], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_backward_reaches_every_trainable_parameter(name: str, preset: str) -> None:
    enc = build(name, preset).train()
    out = enc(make_input(enc))
    loss = out.pooled.square().mean() + out.tokens[out.mask].square().mean()
    loss.backward()
    trainable = [(n, p) for n, p in enc.named_parameters() if p.requires_grad]
    assert trainable
    for n, p in trainable:
        assert p.grad is not None, f"{n} got no gradient"
        assert torch.isfinite(p.grad).all(), n
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for _, p in trainable)


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_config_round_trip_rebuilds_the_same_architecture(name: str, preset: str) -> None:
    enc = build(name, preset)
    cls = type(enc)
    data = json.loads(json.dumps(enc.config.to_dict()))  # the saved form is JSON
    cfg = cls.config_class.from_dict(data)
    assert cfg == enc.config
    rebuilt = cls(cfg)
    rebuilt.load_state_dict(enc.state_dict(), strict=True)
    assert [n for n, _ in rebuilt.named_parameters()] == [n for n, _ in enc.named_parameters()]


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_save_then_load_gives_identical_outputs(name: str, preset: str, tmp_path: Path) -> None:
    enc = build(name, preset)
    # move every weight and buffer off its initial value so that loading has something to do
    enc.train()
    enc(make_input(enc, seed=3))  # batch-norm running statistics
    with torch.no_grad():
        for p in enc.parameters():
            p.add_(0.01 * torch.randn_like(p))
    enc.eval()
    inp = make_input(enc)
    with torch.no_grad():
        expected = enc(inp)

    path = tmp_path / "encoder.safetensors"
    save_file(enc.state_dict(), str(path))
    (tmp_path / "encoder.json").write_text(json.dumps(enc.config.to_dict()))
    cls = type(enc)
    loaded = cls(cls.config_class.from_dict(json.loads((tmp_path / "encoder.json").read_text())))
    loaded.load_state_dict(load_file(str(path)), strict=True)
    loaded.eval()
    with torch.no_grad():
        got = loaded(inp)
    assert torch.equal(got.mask, expected.mask)
    assert torch.equal(got.tokens, expected.tokens)
    assert torch.equal(got.pooled, expected.pooled)


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_freezable_layers_are_submodules_bottom_up(name: str, preset: str) -> None:
    enc = build(name, preset)
    layers = enc.freezable_layers()
    assert layers
    owned = {id(m) for m in enc.modules()}
    assert all(isinstance(m, nn.Module) and id(m) in owned for m in layers)
    assert len({id(m) for m in layers}) == len(layers)


@pytest.mark.parametrize("name", NAMES)
def test_bad_options_give_a_clear_error(name: str) -> None:
    cls = encoder_class(name)
    case = next(c for c in CASES if c[0] == name)
    good = {**cls.PRESETS[case[1]], **OVERRIDES[case]}
    with pytest.raises(ValueError, match="unknown option"):
        cls.config_class.from_dict({**good, "hiden_dim": 3})
    with pytest.raises(ValueError, match="d_model must be positive"):
        cls.config_class.from_dict({**good, "d_model": 0})
    fields = {f.name for f in dataclasses.fields(cls.config_class)}
    if "num_heads" in fields and "hidden_dim" in fields:
        with pytest.raises(ValueError, match="not divisible by num_heads"):
            cls.config_class.from_dict(
                {**good, "arch": "vit", "hidden_dim": 30, "num_heads": 4}
                if name == "image"
                else {**good, "hidden_dim": 30, "num_heads": 4}
            )


@pytest.mark.parametrize(("name", "preset"), CASES, ids=CASE_IDS)
def test_missing_input_key_is_named(name: str, preset: str) -> None:
    enc = build(name, preset)
    inp = make_input(enc)
    key = sorted(inp.values)[0]
    broken = ModalityInput(values={k: v for k, v in inp.values.items() if k != key}, mask=inp.mask)
    with pytest.raises(KeyError, match=f"needs input '{key}'"):
        enc(broken)
