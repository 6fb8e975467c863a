"""Tiny encoders and batches for the encoder tests: every case is cheap on a CPU."""

from __future__ import annotations

import copy
import functools
from typing import Any

import torch

import healthfm.encoders  # noqa: F401  (fills the registry)
from healthfm.encoders.base import Encoder
from healthfm.registry import ENCODERS
from healthfm.schema import Modality, ModalityInput

B = 4  # rows per batch; the last row is always absent (all zeros / all masked)

# what a processor would pass (encoder_options) plus shrinking overrides that keep each preset's character
OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("events", "small"): {"vocab_size": 40, "max_len": 32},
    ("events", "base"): {"vocab_size": 40, "max_len": 32, "num_layers": 2},
    ("tabular", "small"): {"n_numeric": 5, "categorical_cardinalities": [3, 4, 6]},
    ("tabular", "base"): {"n_numeric": 5, "categorical_cardinalities": [3, 4, 6], "num_layers": 1},
    ("text", "small"): {},
    ("text", "base"): {},
    ("image", "small"): {"img_size": (64, 64)},
    ("image", "base"): {"img_size": (64, 64), "depths": (2, 2, 2, 2), "growth_rate": 8, "init_features": 16},
    ("image", "vit"): {"img_size": (32, 32), "patch_size": 8, "hidden_dim": 32, "num_layers": 2},
    ("signal", "small"): {"n_leads": 3, "n_samples": 256},
    ("signal", "base"): {"n_leads": 3, "n_samples": 400, "num_layers": 2},
}
CASES = sorted(OVERRIDES)
CASE_IDS = [f"{name}-{preset}" for name, preset in CASES]


def encoder_class(name: str) -> type[Encoder]:
    cls = ENCODERS.get(name)
    assert isinstance(cls, type) and issubclass(cls, Encoder)
    return cls


@functools.cache
def _prototype(name: str, preset: str) -> Encoder:
    torch.manual_seed(0)
    return encoder_class(name).from_preset(preset, d_model=48, **OVERRIDES[(name, preset)])


def build(name: str, preset: str) -> Encoder:
    """A fresh copy of the (seeded, built once) encoder for this case."""
    return copy.deepcopy(_prototype(name, preset))


def make_input(enc: Encoder, seed: int = 0, b: int = B) -> ModalityInput:
    """A realistic batch for `enc`: real rows with some masked tokens/leads, the last row absent."""
    g = torch.Generator().manual_seed(seed)
    cfg: Any = enc.config
    absent = torch.zeros(b, dtype=torch.bool)
    absent[-1] = True
    present = ~absent
    values: dict[str, torch.Tensor]
    if enc.modality is Modality.EVENTS:
        length = 12
        n = torch.randint(3, length + 1, (b,), generator=g)
        mask = (torch.arange(length)[None, :] < n[:, None]) & present[:, None]
        values = {
            "codes": torch.randint(1, cfg.vocab_size, (b, length), generator=g) * mask,
            "values": torch.randn(b, length, generator=g) * mask,
            "has_value": (torch.rand(b, length, generator=g) < 0.5) & mask,
            "delta_days": torch.rand(b, length, generator=g) * 900 * mask,
            "age_years": (30 + torch.rand(b, length, generator=g) * 50) * mask,
            "token_mask": mask,
        }
    elif enc.modality is Modality.TABULAR:
        f, c = cfg.n_numeric, len(cfg.categorical_cardinalities)
        numeric_present = (torch.rand(b, f, generator=g) < 0.7) & present[:, None]
        cards = torch.tensor(cfg.categorical_cardinalities)
        values = {
            "numeric": torch.randn(b, f, generator=g) * numeric_present,
            "numeric_present": numeric_present,
            "categorical": (torch.rand(b, c, generator=g) * cards).long() * present[:, None],
        }
    elif enc.modality is Modality.TEXT:
        length = 16
        n = torch.tensor([16, 9, 5, 0, 12, 3][:b] + [7] * max(0, b - 6))
        n[-1] = 0
        mask = torch.arange(length)[None, :] < n[:, None]
        ids = torch.randint(1000, 20000, (b, length), generator=g)
        ids[:, 0] = 101  # [CLS]
        values = {"input_ids": ids * mask, "attention_mask": mask.long()}
    elif enc.modality is Modality.IMAGE:
        shape = (b, cfg.in_channels, *cfg.img_size)
        values = {"pixels": torch.randn(shape, generator=g) * present.view(b, *[1] * (len(shape) - 1))}
    elif enc.modality is Modality.SIGNAL:
        lead_mask = (torch.rand(b, cfg.n_leads, generator=g) < 0.7) & present[:, None]
        lead_mask[0, 0] = True
        signal = torch.randn(b, cfg.n_leads, cfg.n_samples, generator=g) * lead_mask[..., None]
        values = {"signal": signal, "lead_mask": lead_mask}
    else:  # pragma: no cover
        raise AssertionError(enc.modality)
    return ModalityInput(values=values, mask=present)


def perturb_masked(inp: ModalityInput, modality: Modality, seed: int = 1) -> ModalityInput | None:
    """The same batch with different values wherever the token-level mask says "absent"; None if none."""
    g = torch.Generator().manual_seed(seed)
    v = dict(inp.values)

    def noise(t: torch.Tensor, where: torch.Tensor, scale: float = 5.0) -> torch.Tensor:
        return torch.where(where, torch.randn(t.shape, generator=g) * scale, t)

    if modality is Modality.EVENTS:
        off = ~v["token_mask"]
        v["codes"] = torch.where(off, torch.randint(1, 30, off.shape, generator=g), v["codes"])
        v["values"] = noise(v["values"], off)
        v["has_value"] = v["has_value"] | off
        v["delta_days"] = noise(v["delta_days"], off, scale=500.0).abs()
        v["age_years"] = noise(v["age_years"], off, scale=50.0).abs()
    elif modality is Modality.TABULAR:
        v["numeric"] = noise(v["numeric"], ~v["numeric_present"])
    elif modality is Modality.TEXT:
        off = v["attention_mask"] == 0
        v["input_ids"] = torch.where(off, torch.randint(1000, 20000, off.shape, generator=g), v["input_ids"])
    elif modality is Modality.SIGNAL:
        v["signal"] = noise(v["signal"], ~v["lead_mask"][..., None].expand_as(v["signal"]))
    else:
        return None
    return ModalityInput(values=v, mask=inp.mask)
