"""The head contract: the fused [CLS] (B,D) in, logits out; per-row losses against the batch targets."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import torch
from torch import nn

from healthfm.configs import config_from_dict


@dataclass
class HeadConfig:
    d_model: int = 128
    num_outputs: int = 1
    hidden_dim: int = 0  # 0 = a linear head; > 0 = one hidden layer
    dropout: float = 0.1

    def __post_init__(self) -> None:
        if self.d_model <= 0 or self.num_outputs <= 0:
            raise ValueError(
                f"d_model and num_outputs must be positive, got {self.d_model}, {self.num_outputs}"
            )
        if self.hidden_dim < 0:
            raise ValueError(f"hidden_dim must be >= 0, got {self.hidden_dim}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return config_from_dict(cls, {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class Head(nn.Module):
    """Base class; subclasses set `name`, `config_class`, `task_kinds` and implement `loss` / `predict`."""

    name: ClassVar[str]
    config_class: ClassVar[type[HeadConfig]] = HeadConfig
    task_kinds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: HeadConfig, out_features: int | None = None) -> None:
        super().__init__()
        self.config = config
        out = out_features or config.num_outputs
        d, h = config.d_model, config.hidden_dim
        self.net: nn.Module
        if h:
            self.net = nn.Sequential(
                nn.Dropout(config.dropout), nn.Linear(d, h), nn.GELU(), nn.Linear(h, out)
            )
        else:
            self.net = nn.Sequential(nn.Dropout(config.dropout), nn.Linear(d, out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # type: ignore[no-any-return]

    def loss(
        self, logits: torch.Tensor, targets: torch.Tensor, event_observed: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Per-row loss (B,)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def predict(self, logits: torch.Tensor) -> torch.Tensor:
        """What a user reads: probabilities, class probabilities, values, or a risk score."""
        raise NotImplementedError  # pragma: no cover - abstract
