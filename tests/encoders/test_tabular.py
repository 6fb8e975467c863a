"""The tabular encoder: the FT-Transformer tokeniser and its input checks."""

from __future__ import annotations

import pytest
import torch

from healthfm.encoders import TabularConfig, TabularEncoder
from healthfm.schema import ModalityInput


def _encoder(n_numeric: int = 3, cards: list[int] | None = None) -> TabularEncoder:
    torch.manual_seed(0)
    cfg = TabularConfig(
        d_model=32,
        n_numeric=n_numeric,
        categorical_cardinalities=[3, 5] if cards is None else cards,
        dropout=0.0,
    )
    return TabularEncoder(cfg).eval()


def _inp(numeric: torch.Tensor, present: torch.Tensor, categorical: torch.Tensor) -> ModalityInput:
    values = {"numeric": numeric, "numeric_present": present, "categorical": categorical}
    return ModalityInput(values=values, mask=torch.ones(numeric.shape[0], dtype=torch.bool))


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="at least one numeric or categorical"):
        TabularConfig(n_numeric=0)
    with pytest.raises(ValueError, match=r"cardinalities must be >= 2.*\[1\]"):
        TabularConfig(n_numeric=1, categorical_cardinalities=[3, 1])
    with pytest.raises(ValueError, match="n_numeric must be >= 0"):
        TabularConfig(n_numeric=-1)


def test_one_token_per_feature_all_real() -> None:
    enc = _encoder()
    out = enc(_inp(torch.randn(2, 3), torch.ones(2, 3, dtype=torch.bool), torch.tensor([[0, 4], [2, 1]])))
    assert out.tokens.shape == (2, 5, 32) and out.mask.all()


def test_missing_numeric_uses_its_own_embedding() -> None:
    enc = _encoder()
    cat = torch.tensor([[1, 2]])
    present = _inp(torch.zeros(1, 3), torch.ones(1, 3, dtype=torch.bool), cat)
    missing = _inp(torch.zeros(1, 3), torch.tensor([[True, False, True]]), cat)
    # a value of 0 and "missing" are different things
    assert not torch.allclose(enc(present).tokens[0, 1], enc(missing).tokens[0, 1])
    # categorical ids move the output too
    other = _inp(torch.zeros(1, 3), torch.ones(1, 3, dtype=torch.bool), torch.tensor([[2, 2]]))
    assert not torch.allclose(enc(present).pooled, enc(other).pooled)


@pytest.mark.parametrize(("n_numeric", "cards"), [(0, [4]), (4, [])])
def test_only_numeric_or_only_categorical(n_numeric: int, cards: list[int]) -> None:
    enc = _encoder(n_numeric, cards)
    b = 3
    inp = _inp(
        torch.randn(b, n_numeric),
        torch.ones(b, n_numeric, dtype=torch.bool),
        torch.ones(b, len(cards)).long(),
    )
    out = enc(inp)
    assert out.tokens.shape == (b, n_numeric + len(cards), 32) and torch.isfinite(out.pooled).all()


def test_input_checks() -> None:
    enc = _encoder()
    with pytest.raises(
        ValueError, match="got 2 numeric and 2 categorical columns, the encoder was built for 3 and 2"
    ):
        enc(_inp(torch.randn(1, 2), torch.ones(1, 2, dtype=torch.bool), torch.tensor([[0, 0]])))
    with pytest.raises(ValueError, match="outside its column's"):
        enc(_inp(torch.randn(1, 3), torch.ones(1, 3, dtype=torch.bool), torch.tensor([[3, 0]])))
