"""Fused multimodal views: InfoNCE between the fused [CLS] of two disjoint halves of a patient's modalities.

The contrastive objective embeds one modality at a time, so the fused [CLS] of several modalities together
(what a linear probe or the task head reads) is never trained during pretraining. Here each patient's
present modalities are split at random into two non-empty, disjoint sets (per row, per step: ECG + notes
against events + tabular + image, say), each set goes through the fusion on its own, and the two fused
[CLS] vectors are matched against the batch's other patients with a symmetric InfoNCE and a learned
temperature. To match, each half must summarise what it shares with the rest of the record: the patient's
state, not one modality's surface. Rows with fewer than two modalities are not scored.

Not among the default objectives (`default = False`): name it, e.g. `--objectives
masked_events,masked_signal,masked_image,contrastive,next_event,views`. On the virtual cohort it made
fine-tuning with 10 % of labels and the linear probe worse (docs/benchmarks.md, issue 7).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from healthfm.encoders.base import Encoder
from healthfm.objectives.base import LossResult, Objective, ObjectiveConfig, SharedView, uniform
from healthfm.objectives.contrastive import MAX_LOGIT_SCALE, info_nce
from healthfm.registry import OBJECTIVES
from healthfm.schema import Modality


@dataclass
class ViewsConfig(ObjectiveConfig):
    projection_dim: int = 128
    temperature: float = 0.1  # initial; learned

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.projection_dim < 1:
            raise ValueError(f"projection_dim must be positive, got {self.projection_dim}")
        if not 0 < self.temperature < 1:
            raise ValueError(f"temperature must be in (0, 1), got {self.temperature}")


def split_views(
    present: torch.Tensor, draws: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Two disjoint, non-empty halves of each row's present modalities.

    `present` and `draws` are (B, M): presence and uniform draws. The present modality with the smallest
    draw goes to the first half, the one with the largest to the second, every other by its draw < 0.5.
    Returns the halves (B, M) and the rows (B,) with at least two modalities; other rows get every present
    modality in both halves (so the fusion sees a normal input) and are not scored.
    """
    scored = present.sum(1) >= 2
    big = torch.where(present, draws, torch.full_like(draws, 2.0))
    small = torch.where(present, draws, torch.full_like(draws, -1.0))
    first = F.one_hot(big.argmin(1), present.shape[1]).bool()
    second = F.one_hot(small.argmax(1), present.shape[1]).bool()
    half = present & ((draws < 0.5) | first) & ~second
    a = torch.where(scored[:, None], half, present)
    b = torch.where(scored[:, None], present & ~half, present)
    return a, b, scored


@OBJECTIVES.register("views")
class Views(Objective):
    name = "views"
    config_class = ViewsConfig
    min_modalities = 2
    default = False
    config: ViewsConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        self.projection = nn.Sequential(
            nn.Linear(d_model, d_model), nn.GELU(), nn.Linear(d_model, self.config.projection_dim)
        )
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1.0 / self.config.temperature)))

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        present = view.present()
        order = [m for m in Modality if m in present]
        stacked = torch.stack([present[m] for m in order], dim=1)
        a, b, scored = split_views(stacked, uniform(tuple(stacked.shape), stacked.float()))
        if int(scored.sum()) < 2:
            return None
        outputs = {m: view.outputs[m] for m in order}
        z = []
        for half in (a, b):
            masks = {m: half[:, i] for i, m in enumerate(order)}
            pooled = view.fusion(outputs, masks).pooled
            z.append(F.normalize(self.projection(pooled[scored]), dim=-1))
        scale = self.logit_scale.clamp(max=MAX_LOGIT_SCALE).exp()
        loss = info_nce(z[0], z[1], scale)
        with torch.no_grad():
            top1 = (z[0] @ z[1].T).argmax(1) == torch.arange(z[0].shape[0], device=z[0].device)
        return loss, {"top1": top1.float().mean(), "temperature": (1.0 / scale).detach()}
