"""Regression head: the target is standardised with the training mean and scale kept in the config."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from healthfm.heads.base import Head, HeadConfig
from healthfm.registry import HEADS


@dataclass
class RegressionConfig(HeadConfig):
    target_mean: float = 0.0
    target_scale: float = 1.0
    huber_delta: float = 1.0  # in standardised units; robust to outlying values

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.target_scale <= 0:
            raise ValueError(f"target_scale must be positive, got {self.target_scale}")


@HEADS.register("regression")
class RegressionHead(Head):
    name = "regression"
    config_class = RegressionConfig
    task_kinds = ("regression",)

    def __init__(self, config: RegressionConfig) -> None:
        super().__init__(config)
        self.cfg = config

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)  # type: ignore[no-any-return]

    def loss(
        self, logits: torch.Tensor, targets: torch.Tensor, event_observed: torch.Tensor | None = None
    ) -> torch.Tensor:
        z = (targets.to(logits.dtype) - self.cfg.target_mean) / self.cfg.target_scale
        return F.huber_loss(logits, z, reduction="none", delta=self.cfg.huber_delta)

    def predict(self, logits: torch.Tensor) -> torch.Tensor:
        return logits * self.cfg.target_scale + self.cfg.target_mean
