"""Static and last-value features: an FT-Transformer tokeniser (one token per feature), a small transformer.

A numeric feature i becomes value * w_i + b_i, or a learned "missing" embedding m_i when it is absent;
a categorical column becomes its own embedding (id 0 = missing, 1 = unknown). Missing is encoded, not
masked, so every feature token is real. Pooled = the output of a learned [CLS] token.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import torch
from torch import nn

from healthfm.encoders.base import Encoder, EncoderConfig, Transformer, input_tensor
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput

VALUE_CLIP = 10.0  # normalised values beyond ±10 are outliers


@dataclass(kw_only=True)
class TabularConfig(EncoderConfig):
    n_numeric: int  # from the tabular processor
    categorical_cardinalities: list[int] = field(default_factory=list)  # each counts 0 = missing, 1 = unknown
    hidden_dim: int = 128
    num_layers: int = 2
    num_heads: int = 4
    mlp_ratio: float = 2.0
    dropout: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        self.categorical_cardinalities = [int(c) for c in self.categorical_cardinalities]
        if self.n_numeric < 0:
            raise ValueError(f"n_numeric must be >= 0, got {self.n_numeric}")
        bad = [c for c in self.categorical_cardinalities if c < 2]
        if bad:
            raise ValueError(f"categorical cardinalities must be >= 2 (0 = missing, 1 = unknown), got {bad}")
        if self.n_numeric + len(self.categorical_cardinalities) == 0:
            raise ValueError("the tabular encoder needs at least one numeric or categorical feature")
        if self.hidden_dim < 1 or self.num_layers < 1 or self.num_heads < 1:
            raise ValueError("hidden_dim, num_layers and num_heads must be positive")
        if self.hidden_dim % self.num_heads:
            raise ValueError(f"hidden_dim {self.hidden_dim} is not divisible by num_heads {self.num_heads}")
        if self.mlp_ratio <= 0:
            raise ValueError(f"mlp_ratio must be positive, got {self.mlp_ratio}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


class FeatureTokenizer(nn.Module):
    """(numeric (B,F), present (B,F), categorical (B,C)) -> one token per feature (B, F+C, H)."""

    offsets: torch.Tensor
    cardinalities: torch.Tensor

    def __init__(self, n_numeric: int, cardinalities: list[int], dim: int) -> None:
        super().__init__()
        bound = 1 / math.sqrt(dim)  # the FT-Transformer initialisation
        self.numeric_weight = nn.Parameter(torch.empty(n_numeric, dim).uniform_(-bound, bound))
        self.numeric_bias = nn.Parameter(torch.empty(n_numeric, dim).uniform_(-bound, bound))
        self.numeric_missing = nn.Parameter(torch.empty(n_numeric, dim).uniform_(-bound, bound))
        self.categorical = nn.Embedding(max(1, sum(cardinalities)), dim)
        nn.init.uniform_(self.categorical.weight, -bound, bound)
        self.categorical_bias = nn.Parameter(torch.empty(len(cardinalities), dim).uniform_(-bound, bound))
        offsets = torch.tensor([0, *cardinalities[:-1]], dtype=torch.long).cumsum(0)[: len(cardinalities)]
        self.register_buffer("offsets", offsets, persistent=False)  # derived from the config
        self.register_buffer("cardinalities", torch.tensor(cardinalities, dtype=torch.long), persistent=False)

    def forward(
        self, numeric: torch.Tensor, present: torch.Tensor, categorical: torch.Tensor
    ) -> torch.Tensor:
        value = numeric.clamp(-VALUE_CLIP, VALUE_CLIP).masked_fill(~present, 0.0).unsqueeze(-1)  # (B, F, 1)
        num = torch.where(
            present.unsqueeze(-1), value * self.numeric_weight + self.numeric_bias, self.numeric_missing
        )
        cat = self.categorical(categorical + self.offsets) + self.categorical_bias  # (B, C, H)
        return torch.cat([num, cat], dim=1)


@ENCODERS.register("tabular")
class TabularEncoder(Encoder):
    """Tokens: one per feature, numeric first (mask all True); pooled: the [CLS] output."""

    name: ClassVar[str] = "tabular"
    modality: ClassVar[Modality] = Modality.TABULAR
    config_class: ClassVar[type[EncoderConfig]] = TabularConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        "small": {"hidden_dim": 64, "num_layers": 2, "num_heads": 4, "mlp_ratio": 2.0, "dropout": 0.0},
        "base": {"hidden_dim": 192, "num_layers": 3, "num_heads": 8, "mlp_ratio": 4.0 / 3.0},
    }

    config: TabularConfig

    def __init__(self, config: EncoderConfig) -> None:
        if not isinstance(config, TabularConfig):
            raise TypeError(f"TabularEncoder needs a TabularConfig, got {type(config).__name__}")
        super().__init__(config)
        h = config.hidden_dim
        self.tokenizer = FeatureTokenizer(config.n_numeric, config.categorical_cardinalities, h)
        self.cls = nn.Parameter(torch.randn(1, 1, h) * 0.02)
        self.drop = nn.Dropout(config.dropout)
        self.transformer = Transformer(
            h, config.num_layers, config.num_heads, config.mlp_ratio, config.dropout
        )
        self.out = nn.Linear(h, config.d_model) if h != config.d_model else nn.Identity()

    def forward(self, inp: ModalityInput) -> EncoderOutput:
        cfg = self.config
        numeric = input_tensor(inp, "numeric", self.name)
        present = input_tensor(inp, "numeric_present", self.name).bool()
        categorical = input_tensor(inp, "categorical", self.name).long()
        if numeric.shape[1] != cfg.n_numeric or categorical.shape[1] != len(cfg.categorical_cardinalities):
            raise ValueError(
                f"tabular: got {numeric.shape[1]} numeric and {categorical.shape[1]} categorical columns, "
                f"the encoder was built for {cfg.n_numeric} and {len(cfg.categorical_cardinalities)}"
            )
        if categorical.numel() and bool(
            ((categorical < 0) | (categorical >= self.tokenizer.cardinalities)).any()
        ):
            raise ValueError("tabular: a categorical id is outside its column's [0, cardinality) range")
        x = self.tokenizer(numeric, present, categorical)  # (B, T, H)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = self.out(self.transformer(self.drop(x)))  # (B, 1 + T, D)
        tokens = x[:, 1:]
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=x[:, 0])

    def freezable_layers(self) -> list[nn.Module]:
        return list(self.transformer.layers)
