"""Early fusion baseline: concatenate the pooled embeddings (zeros plus a presence flag when absent) + MLP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import nn

from healthfm.fusion.base import Fusion, FusionConfig, FusionOutput, check_outputs
from healthfm.registry import FUSIONS
from healthfm.schema import EncoderOutput, Modality


@dataclass
class EarlyFusionConfig(FusionConfig):
    hidden_dim: int = 256
    dropout: float = 0.1


@FUSIONS.register("early")
class EarlyFusion(Fusion):
    name = "early"
    config_class = EarlyFusionConfig

    def __init__(self, config: EarlyFusionConfig) -> None:
        super().__init__(config)
        m, d = len(self.modalities), config.d_model
        self.cfg = config
        self.mlp = nn.Sequential(
            nn.Linear(m * d + m, config.hidden_dim),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.hidden_dim, d),
            nn.LayerNorm(d),
        )

    def forward(
        self,
        outputs: Mapping[Modality, EncoderOutput],
        present: Mapping[Modality, torch.Tensor],
        *,
        return_attention: bool = False,
    ) -> FusionOutput:
        check_outputs(self.modalities, outputs, self.cfg.d_model)
        keep = self.effective_presence(present)  # (B,M)
        # an absent modality contributes an explicit flag, not a fake embedding
        pooled = [outputs[m].pooled * keep[:, i : i + 1] for i, m in enumerate(self.modalities)]
        x = torch.cat([*pooled, keep.to(pooled[0].dtype)], dim=1)
        return FusionOutput(pooled=self.mlp(x))
