"""Next-event prediction: cut a timeline after a random event and predict the codes recorded next.

For each row with enough history, a cut point is drawn among its events (static facts never); the
events from the cut on are hidden and the times of those kept are shifted so the timeline ends at the
cut. From the events encoder's pooled output, the model predicts the set of codes recorded at the cut's
timestamp (the next visit), scored as a cross-entropy against that set spread uniformly (a listwise
multi-label loss). This objective runs the events encoder on its own cut view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from healthfm.data.events import UNKNOWN_ID
from healthfm.encoders.base import Encoder
from healthfm.objectives.base import LossResult, Objective, ObjectiveConfig, SharedView, uniform
from healthfm.registry import OBJECTIVES
from healthfm.schema import Modality, ModalityInput


@dataclass
class NextEventConfig(ObjectiveConfig):
    min_history: int = 2  # events that must stay visible before the cut

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.min_history < 1:
            raise ValueError(f"min_history must be >= 1, got {self.min_history}")


def cut_timelines(
    inp: ModalityInput, min_history: int
) -> tuple[ModalityInput, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The cut view, the cut index per row (B,), the rows that have a cut (B,), and the hidden tokens
    sharing the cut's timestamp (B, L) — the next visit."""
    v = inp.values
    real = v["token_mask"].bool() & inp.mask.bool().unsqueeze(1)
    delta = v["delta_days"]
    event = real & (delta > 0)  # static facts sit at the prediction time (delta 0)
    history = torch.cumsum(event.long(), dim=1) - event.long()  # events strictly before each position
    previous = torch.nn.functional.pad(delta[:, :-1], (1, 0), value=-1.0)
    first_of_visit = event & (delta != previous)  # cut between visits, never inside one
    candidate = first_of_visit & (history >= min_history)
    has_cut = candidate.any(dim=1)
    score = torch.where(candidate, uniform(tuple(delta.shape), delta), torch.full_like(delta, -1.0))
    cut = score.argmax(dim=1)  # (B,)
    positions = torch.arange(delta.shape[1], device=delta.device).unsqueeze(0)
    keep = real & (positions < cut.unsqueeze(1)) & has_cut.unsqueeze(1)
    cut_delta = delta.gather(1, cut.unsqueeze(1))
    same_visit = real & (positions >= cut.unsqueeze(1)) & (delta == cut_delta) & has_cut.unsqueeze(1)
    shifted = (delta - cut_delta).clamp_min(0.0).masked_fill(~keep, 0.0)
    view = ModalityInput(
        {
            **v,
            "codes": v["codes"].masked_fill(~keep, 0),
            "values": v["values"].masked_fill(~keep, 0.0),
            "has_value": v["has_value"].bool() & keep,
            "delta_days": shifted,
            "age_years": v["age_years"].masked_fill(~keep, 0.0),
            "token_mask": keep,
        },
        inp.mask.bool() & has_cut,
    )
    return view, cut, has_cut, same_visit


@OBJECTIVES.register("next_event")
class NextEvent(Objective):
    name = "next_event"
    config_class = NextEventConfig
    modalities = (Modality.EVENTS,)
    config: NextEventConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        self.vocab = int(encoders["events"].config.vocab_size)  # type: ignore[attr-defined]
        d = d_model
        self.head = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d), nn.Linear(d, self.vocab))

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        inp = view.batch.inputs.get(Modality.EVENTS)
        if inp is None:
            return None
        cut_view, _, has_cut, same_visit = cut_timelines(inp, self.config.min_history)
        if not bool(has_cut.any()):
            return None
        codes = inp.values["codes"]
        target = torch.zeros(codes.shape[0], self.vocab, device=codes.device)
        target.scatter_add_(1, codes, (same_visit & (codes > UNKNOWN_ID)).to(target.dtype))
        target = (target > 0).to(target.dtype)
        scored = has_cut & (target.sum(1) > 0)  # the next visit holds a code of the vocabulary
        if not bool(scored.any()):
            return None
        target = target[scored]
        pooled = view.encoders["events"](cut_view).pooled[scored]
        logp = torch.log_softmax(self.head(pooled), dim=-1)
        loss = -((target * logp).sum(1) / target.sum(1).clamp_min(1.0)).mean()
        top = logp.topk(min(10, self.vocab), dim=-1).indices
        hit = target.gather(1, top).amax(1)
        return loss, {"hit_at_10": hit.mean().detach()}
