"""Late fusion baseline: the head reads each pooled embedding; the model averages the present ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import nn

from healthfm.fusion.base import Fusion, FusionConfig, FusionOutput, check_outputs
from healthfm.registry import FUSIONS
from healthfm.schema import EncoderOutput, Modality


@dataclass
class LateFusionConfig(FusionConfig):
    """No options beyond the shared ones: each modality keeps its own pooled embedding."""


@FUSIONS.register("late")
class LateFusion(Fusion):
    name = "late"
    config_class = LateFusionConfig
    late = True

    def __init__(self, config: LateFusionConfig) -> None:
        super().__init__(config)
        self.cfg = config
        self.norms = nn.ModuleList(nn.LayerNorm(config.d_model) for _ in self.modalities)

    def forward(
        self,
        outputs: Mapping[Modality, EncoderOutput],
        present: Mapping[Modality, torch.Tensor],
        *,
        return_attention: bool = False,
    ) -> FusionOutput:
        check_outputs(self.modalities, outputs, self.cfg.d_model)
        keep = self.effective_presence(present)  # (B,M)
        per = torch.stack([n(outputs[m].pooled) for n, m in zip(self.norms, self.modalities, strict=True)], 1)
        w = keep.to(per.dtype).unsqueeze(-1)
        pooled = (per * w).sum(1) / w.sum(1).clamp_min(1.0)
        return FusionOutput(pooled=pooled, per_modality=per, present=keep)
