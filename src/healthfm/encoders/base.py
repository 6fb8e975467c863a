"""The encoder contract: one `nn.Module` per modality that turns a `ModalityInput` into `EncoderOutput`.

Tensor keys per modality (what the processors in `healthfm.data` produce; B = batch, L = tokens):

- EVENTS   codes (B,L) int64 (0 = padding, 1 = unknown), values (B,L) float32 (normalised numeric value,
           0 where none), has_value (B,L) bool, delta_days (B,L) float32 (days before the prediction
           time, >= 0), age_years (B,L) float32, token_mask (B,L) bool (True = real token).
- TABULAR  numeric (B,F) float32 (normalised, 0 where missing), numeric_present (B,F) bool,
           categorical (B,C) int64 (0 = missing, 1 = unknown, per-column ids).
- TEXT     input_ids (B,L) int64, attention_mask (B,L) int64 (the text model's own tokenizer).
- IMAGE    pixels (B,1,H,W) float32 (2-D) or (B,1,D,H,W) (3-D), intensity-normalised.
- SIGNAL   signal (B,C,N) float32 (leads x samples, per-lead normalised), lead_mask (B,C) bool
           (True = lead recorded).

`ModalityInput.mask` (B,) is False for rows that lack the modality: their tensors hold zeros and the
fusion masks their tokens out, so an encoder must simply not crash or produce NaN on them. Inside one row,
an encoder must respect its token-level masks: changing a masked token's inputs changes nothing.

Every encoder file holds a typed `Config` dataclass (subclass of `EncoderConfig`), the module and its
named presets; the module is registered in `healthfm.registry.ENCODERS` under `name`, and
`cls(cls.config_class.from_dict(enc.config.to_dict()))` rebuilds the same architecture.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import torch
from torch import nn

from healthfm.configs import config_from_dict
from healthfm.schema import EncoderOutput, Modality, ModalityInput


@dataclass
class EncoderConfig:
    """Base of every encoder's typed config; subclasses add their fields and validate in __post_init__."""

    d_model: int = 128

    def __post_init__(self) -> None:
        if self.d_model <= 0:
            raise ValueError(f"d_model must be positive, got {self.d_model}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return config_from_dict(cls, data)


class Encoder(nn.Module):
    """Base class. Subclasses set `name`, `modality`, `config_class`, `PRESETS` and implement `forward`."""

    name: ClassVar[str]
    modality: ClassVar[Modality]
    config_class: ClassVar[type[EncoderConfig]] = EncoderConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config

    def forward(self, inp: ModalityInput) -> EncoderOutput:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def from_preset(cls, preset: str, **overrides: Any) -> Self:
        if preset not in cls.PRESETS:
            raise KeyError(f"encoder {cls.name!r} has no preset {preset!r}; presets: {sorted(cls.PRESETS)}")
        return cls(cls.config_class.from_dict({**cls.PRESETS[preset], **overrides}))

    def freezable_layers(self) -> list[nn.Module]:
        """The encoder's layers bottom-up (for layer-wise LR decay and truncation); may be empty."""
        return []


def masked_mean(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of `tokens` (B,T,D) over positions where `mask` (B,T) is True; zeros for empty rows."""
    w = mask.to(tokens.dtype).unsqueeze(-1)
    return (tokens * w).sum(1) / w.sum(1).clamp_min(1.0)


def input_tensor(inp: ModalityInput, key: str, encoder: str) -> torch.Tensor:
    """`inp.values[key]`, or a KeyError that names the encoder and the keys it was given."""
    try:
        return inp.values[key]
    except KeyError:
        raise KeyError(f"the {encoder} encoder needs input {key!r}; got {sorted(inp.values)}") from None


class TransformerBlock(nn.Module):
    """Pre-LN self-attention plus a GELU MLP; plain Linear layers so that LoRA can wrap them."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, dropout: float = 0.0) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"width {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        hidden = max(1, round(dim * mlp_ratio))
        self.mlp = nn.Sequential(
            nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, dim)
        )
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        """`x` (B,T,D); `attn_mask` (B,1,1,T) bool, True = a key that may be attended."""
        b, t, d = x.shape
        qkv = self.qkv(self.norm1(x)).view(b, t, 3, self.num_heads, d // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, H, T, Dh)
        # no attention dropout: on CPU it costs a (B,H,T,T) random draw and blocks the fused kernel
        a = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        x = x + self.drop(self.proj(a.transpose(1, 2).reshape(b, t, d)))
        out: torch.Tensor = x + self.drop(self.mlp(self.norm2(x)))
        return out


class Transformer(nn.Module):
    """A stack of pre-LN blocks with a final LayerNorm and a key-padding mask that never yields NaN."""

    def __init__(
        self, dim: int, num_layers: int, num_heads: int, mlp_ratio: float = 4.0, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TransformerBlock(dim, num_heads, mlp_ratio, dropout) for _ in range(num_layers)
        )
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """`x` (B,T,D), `mask` (B,T) bool (True = real). Outputs at masked positions are meaningless."""
        attn_mask = None
        if mask is not None and not bool(mask.all()):
            # a row with no real token would softmax over nothing (NaN): let it attend to position 0;
            # its outputs are masked by the caller
            safe = mask.clone()
            safe[:, 0] |= ~mask.any(dim=1)
            attn_mask = safe[:, None, None, :]
        for layer in self.layers:
            x = layer(x, attn_mask)
        out: torch.Tensor = self.norm(x)
        return out
