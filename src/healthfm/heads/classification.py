"""Classification heads: binary (one logit), multiclass (softmax), multilabel (one sigmoid per label)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from healthfm.heads.base import Head, HeadConfig
from healthfm.registry import HEADS


@dataclass
class ClassificationConfig(HeadConfig):
    kind: str = "binary"  # binary | multiclass | multilabel
    pos_weight: float = 1.0  # binary only: weight of positive rows in the loss

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in ("binary", "multiclass", "multilabel"):
            raise ValueError(
                f"classification kind must be binary, multiclass or multilabel, got {self.kind!r}"
            )
        if self.kind == "binary" and self.num_outputs != 1:
            raise ValueError(f"a binary head has one output, got num_outputs={self.num_outputs}")
        if self.kind == "multiclass" and self.num_outputs < 2:
            raise ValueError("a multiclass head needs num_outputs >= 2")
        if self.pos_weight <= 0:
            raise ValueError(f"pos_weight must be positive, got {self.pos_weight}")


@HEADS.register("classification")
class ClassificationHead(Head):
    name = "classification"
    config_class = ClassificationConfig
    task_kinds = ("binary", "multiclass", "multilabel")

    def __init__(self, config: ClassificationConfig) -> None:
        super().__init__(config)
        self.cfg = config

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.net(x)
        return out.squeeze(-1) if self.cfg.kind == "binary" else out  # type: ignore[no-any-return]

    def loss(
        self, logits: torch.Tensor, targets: torch.Tensor, event_observed: torch.Tensor | None = None
    ) -> torch.Tensor:
        if self.cfg.kind == "multiclass":
            return F.cross_entropy(logits, targets.long(), reduction="none")
        weight = torch.tensor(self.cfg.pos_weight, dtype=logits.dtype, device=logits.device)
        loss = F.binary_cross_entropy_with_logits(
            logits, targets.to(logits.dtype), reduction="none", pos_weight=weight
        )
        return loss if self.cfg.kind == "binary" else loss.mean(-1)

    def predict(self, logits: torch.Tensor) -> torch.Tensor:
        return torch.softmax(logits, -1) if self.cfg.kind == "multiclass" else torch.sigmoid(logits)
