"""Cross-modal contrastive alignment: InfoNCE between one patient's modalities in the shared space.

Each modality is embedded on its own *through the fusion* (only that modality's tokens unmasked; the
fused [CLS]), then projected and L2-normalised, so pretraining trains the fusion as well as the encoders
and places every modality in one latent space. For each pair of modalities (ECG ↔ note, image ↔
note, events ↔ everything: by default every pair), the rows that have both are matched against each
other with a symmetric InfoNCE (CLIP) loss and a learned temperature. The same embeddings serve
cross-modal retrieval (`embed`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from healthfm.encoders.base import Encoder
from healthfm.objectives.base import LossResult, Objective, ObjectiveConfig, SharedView
from healthfm.registry import OBJECTIVES
from healthfm.schema import EncoderOutput, Modality

MAX_LOGIT_SCALE = math.log(100.0)  # CLIP's clamp: a temperature never below 0.01


@dataclass
class ContrastiveConfig(ObjectiveConfig):
    pairs: list[list[str]] | None = None  # e.g. [["signal", "text"], ["image", "text"]]; None = every pair
    projection_dim: int = 128
    temperature: float = 0.07  # initial; learned

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.pairs is not None:
            self.pairs = [[Modality(a).value, Modality(b).value] for a, b in self.pairs]
            if any(a == b for a, b in self.pairs):
                raise ValueError("contrastive pairs need two different modalities")
        if self.projection_dim < 1:
            raise ValueError(f"projection_dim must be positive, got {self.projection_dim}")
        if not 0 < self.temperature < 1:
            raise ValueError(f"temperature must be in (0, 1), got {self.temperature}")


def info_nce(a: torch.Tensor, b: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE over matched rows of normalised (N, P) embeddings."""
    logits = scale * a @ b.T
    target = torch.arange(a.shape[0], device=a.device)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


@OBJECTIVES.register("contrastive")
class Contrastive(Objective):
    name = "contrastive"
    config_class = ContrastiveConfig
    min_modalities = 2
    config: ContrastiveConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        names = list(encoders)
        pairs = self.config.pairs or [list(p) for p in itertools.combinations(names, 2)]
        unknown = sorted({m for p in pairs for m in p} - set(names))
        if unknown:
            raise ValueError(f"contrastive pairs name {unknown}, which the model does not have ({names})")
        self.pairs = [(Modality(a), Modality(b)) for a, b in pairs]
        used = sorted({m.value for p in self.pairs for m in p})
        self.projection = nn.ModuleDict({m: nn.Linear(d_model, config.projection_dim) for m in used})  # type: ignore[attr-defined]
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1.0 / self.config.temperature)))

    def embed(
        self,
        fusion: nn.Module,
        outputs: Mapping[Modality, EncoderOutput],
        present: Mapping[Modality, torch.Tensor],
        modalities: list[Modality] | None = None,
    ) -> dict[Modality, torch.Tensor]:
        """Per modality: the normalised (B, P) embedding of that modality alone through the fusion."""
        out: dict[Modality, torch.Tensor] = {}
        for m in modalities or [Modality(k) for k in self.projection]:
            pooled = fusion({m: outputs[m]}, {m: present[m]}).pooled
            out[m] = F.normalize(self.projection[m.value](pooled), dim=-1)
        return out

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        present = view.present()
        wanted = [m for m in (Modality(k) for k in self.projection) if bool(present[m].any())]
        z = self.embed(view.fusion, view.outputs, present, wanted)
        scale = self.logit_scale.clamp(max=MAX_LOGIT_SCALE).exp()
        losses, metrics = [], {}
        for a, b in self.pairs:
            if a not in z or b not in z:
                continue
            rows = present[a] & present[b]
            if int(rows.sum()) < 2:
                continue
            losses.append(info_nce(z[a][rows], z[b][rows], scale))
            with torch.no_grad():
                top1 = (z[a][rows] @ z[b][rows].T).argmax(1) == torch.arange(
                    int(rows.sum()), device=rows.device
                )
                metrics[f"{a.value}_{b.value}_top1"] = top1.float().mean()
        if not losses:
            return None
        metrics["temperature"] = (1.0 / scale).detach()
        return torch.stack(losses).mean(), metrics
