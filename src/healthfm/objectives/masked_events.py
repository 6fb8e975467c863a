"""Masked event modelling: hide a share of a timeline's events and predict their codes and values.

A hidden event keeps its time and the patient's age (the model knows *when* something happened) but its
code becomes the unknown id and its value is dropped; the events encoder's output at that position
predicts the code (cross-entropy over the vocabulary) and, where the event had one, its normalised value
(mean squared error). Events whose code is outside the vocabulary are never targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch.nn.functional as F
from torch import nn

from healthfm.data.events import UNKNOWN_ID
from healthfm.encoders.base import Encoder
from healthfm.encoders.events import VALUE_CLIP
from healthfm.objectives.base import Inputs, LossResult, Objective, ObjectiveConfig, SharedView, uniform
from healthfm.registry import OBJECTIVES
from healthfm.schema import Modality, ModalityInput


@dataclass
class MaskedEventsConfig(ObjectiveConfig):
    mask_prob: float = 0.15
    value_weight: float = 1.0  # weight of the value regression next to the code cross-entropy

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.mask_prob < 1:
            raise ValueError(f"mask_prob must be in (0, 1), got {self.mask_prob}")
        if self.value_weight < 0:
            raise ValueError(f"value_weight must be >= 0, got {self.value_weight}")


@OBJECTIVES.register("masked_events")
class MaskedEvents(Objective):
    name = "masked_events"
    config_class = MaskedEventsConfig
    modalities = (Modality.EVENTS,)
    config: MaskedEventsConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        vocab = int(encoders["events"].config.vocab_size)  # type: ignore[attr-defined]
        d = d_model
        self.code_head = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d), nn.Linear(d, vocab))
        self.value_head = nn.Linear(d, 1)

    def corrupt(self, inputs: Inputs) -> Any:
        inp = inputs.get(Modality.EVENTS)
        if inp is None:
            return None
        v = inp.values
        codes = v["codes"]
        real = v["token_mask"].bool() & inp.mask.bool().unsqueeze(1) & (codes > UNKNOWN_ID)
        chosen = real & (uniform(tuple(codes.shape), codes) < self.config.mask_prob)
        has_value = v["has_value"].bool()
        inputs[Modality.EVENTS] = ModalityInput(
            {
                **v,
                "codes": codes.masked_fill(chosen, UNKNOWN_ID),
                "values": v["values"].masked_fill(chosen, 0.0),
                "has_value": has_value & ~chosen,
            },
            inp.mask,
        )
        return chosen, codes, v["values"], has_value

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        if targets is None:
            return None
        chosen, codes, values, has_value = targets
        if not bool(chosen.any()):
            return None
        tokens = view.outputs[Modality.EVENTS].tokens[chosen]  # (N, D)
        logits = self.code_head(tokens)
        truth = codes[chosen]
        loss = F.cross_entropy(logits, truth)
        metrics = {"code_accuracy": (logits.argmax(-1) == truth).float().mean().detach()}
        valued = has_value[chosen]
        if bool(valued.any()) and self.config.value_weight > 0:
            target = values[chosen][valued].clamp(-VALUE_CLIP, VALUE_CLIP)
            mse = F.mse_loss(self.value_head(tokens[valued]).squeeze(-1), target)
            loss = loss + self.config.value_weight * mse
            metrics["value_mse"] = mse.detach()
        return loss, metrics
