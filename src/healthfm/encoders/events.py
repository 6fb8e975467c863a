"""Coded events encoder: a pre-LN transformer over (code, value, time, age) tokens.

Each token embeds its code, its normalised value (when it has one), the time before the prediction
(learned Fourier features of log1p(days)) and the patient's age at the event. Pooled = masked mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from healthfm.encoders.base import Encoder, EncoderConfig, Transformer, input_tensor, masked_mean
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput

VALUE_CLIP = 10.0  # normalised values beyond ±10 are outliers; clipping keeps the embedding bounded
AGE_SCALE = 100.0  # years -> about [0, 1.2]


@dataclass(kw_only=True)
class EventsConfig(EncoderConfig):
    vocab_size: int  # from the events processor; 0 = padding, 1 = unknown
    max_len: int = 256  # the most tokens per row the processor may send
    hidden_dim: int = 128  # transformer width; projected to d_model when different
    num_layers: int = 2
    num_heads: int = 4
    mlp_ratio: float = 2.0
    dropout: float = 0.1
    time_frequencies: int = 16  # learned Fourier frequencies for the time and age embeddings

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.vocab_size < 2:
            raise ValueError(f"vocab_size must be >= 2 (0 = padding, 1 = unknown), got {self.vocab_size}")
        if self.max_len < 1:
            raise ValueError(f"max_len must be positive, got {self.max_len}")
        if self.hidden_dim < 1 or self.num_layers < 1 or self.num_heads < 1:
            raise ValueError("hidden_dim, num_layers and num_heads must be positive")
        if self.hidden_dim % self.num_heads:
            raise ValueError(f"hidden_dim {self.hidden_dim} is not divisible by num_heads {self.num_heads}")
        if self.mlp_ratio <= 0:
            raise ValueError(f"mlp_ratio must be positive, got {self.mlp_ratio}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.time_frequencies < 1:
            raise ValueError(f"time_frequencies must be positive, got {self.time_frequencies}")


class FourierEmbedding(nn.Module):
    """A scalar per token (B,L) -> (B,L,D): [sin 2πxw, cos 2πxw] with learned frequencies w, then a Linear."""

    def __init__(self, frequencies: int, dim: int, scale: float = 1.0) -> None:
        super().__init__()
        self.frequencies = nn.Parameter(torch.randn(frequencies) * scale)
        self.proj = nn.Linear(2 * frequencies, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        angles = 2 * math.pi * x.unsqueeze(-1) * self.frequencies  # (B, L, F)
        out: torch.Tensor = self.proj(torch.cat([angles.sin(), angles.cos()], dim=-1))
        return out


@ENCODERS.register("events")
class EventsEncoder(Encoder):
    """Tokens: one per event (mask = token_mask, zeros at masked positions); pooled: their masked mean.

    Freezable layers: the transformer blocks (the embeddings sit below them).
    """

    name: ClassVar[str] = "events"
    modality: ClassVar[Modality] = Modality.EVENTS
    config_class: ClassVar[type[EncoderConfig]] = EventsConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        "small": {
            "max_len": 256,
            "hidden_dim": 64,
            "num_layers": 2,
            "num_heads": 4,
            "mlp_ratio": 2.0,
            "dropout": 0.0,  # on CPU dropout masks cost a quarter of a step; weight decay regularises
        },
        "base": {"max_len": 512, "hidden_dim": 256, "num_layers": 4, "num_heads": 8, "mlp_ratio": 4.0},
    }

    config: EventsConfig

    def __init__(self, config: EncoderConfig) -> None:
        if not isinstance(config, EventsConfig):
            raise TypeError(f"EventsEncoder needs an EventsConfig, got {type(config).__name__}")
        super().__init__(config)
        h = config.hidden_dim
        self.code = nn.Embedding(config.vocab_size, h, padding_idx=0)
        self.value_weight = nn.Parameter(torch.randn(h) * 0.02)
        self.value_bias = nn.Parameter(torch.zeros(h))
        self.time = FourierEmbedding(config.time_frequencies, h)
        self.age = FourierEmbedding(config.time_frequencies, h, scale=2.0)
        self.drop = nn.Dropout(config.dropout)
        self.transformer = Transformer(
            h, config.num_layers, config.num_heads, config.mlp_ratio, config.dropout
        )
        self.out = nn.Linear(h, config.d_model) if h != config.d_model else nn.Identity()

    def forward(self, inp: ModalityInput) -> EncoderOutput:
        full_mask = input_tensor(inp, "token_mask", self.name).bool()
        length = full_mask.shape[1]
        if not 1 <= length <= self.config.max_len:
            raise ValueError(f"events: {length} tokens per row; expected 1 to max_len {self.config.max_len}")
        # columns after the batch's last real token are padding everywhere: skip them, pad the output back
        real_columns = full_mask.any(dim=0).nonzero()
        n = int(real_columns.max()) + 1 if real_columns.numel() else 1
        mask = full_mask[:, :n]
        codes = input_tensor(inp, "codes", self.name)[:, :n].masked_fill(~mask, 0)
        if int(codes.min()) < 0 or int(codes.max()) >= self.config.vocab_size:
            raise ValueError(
                f"events: code ids must be in [0, {self.config.vocab_size}); got [{int(codes.min())}, "
                f"{int(codes.max())}] (does vocab_size match the processor's vocabulary?)"
            )
        values = input_tensor(inp, "values", self.name)[:, :n]
        has_value = input_tensor(inp, "has_value", self.name)[:, :n].bool()
        delta_days = input_tensor(inp, "delta_days", self.name)[:, :n]
        age_years = input_tensor(inp, "age_years", self.name)[:, :n]

        gate = (has_value & mask).unsqueeze(-1).to(values.dtype)  # (B, n, 1)
        value = values.clamp(-VALUE_CLIP, VALUE_CLIP).masked_fill(~mask, 0.0).unsqueeze(-1)
        time = torch.log1p(delta_days.clamp_min(0.0)).masked_fill(~mask, 0.0)
        age = (age_years / AGE_SCALE).masked_fill(~mask, 0.0)
        x = (
            self.code(codes)
            + gate * (value * self.value_weight + self.value_bias)
            + self.time(time)
            + self.age(age)
        )  # (B, n, H)
        x = self.transformer(self.drop(x), mask)
        tokens = self.out(x) * mask.unsqueeze(-1).to(x.dtype)  # (B, n, D)
        pooled = masked_mean(tokens, mask)
        if n < length:
            tokens = nn.functional.pad(tokens, (0, 0, 0, length - n))
        return EncoderOutput(tokens=tokens, mask=full_mask, pooled=pooled)

    def freezable_layers(self) -> list[nn.Module]:
        return list(self.transformer.layers)
