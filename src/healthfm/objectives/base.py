"""The objective contract: self-supervised losses over the shared encoders and fusion.

Pretraining runs one corrupted view of each batch through the encoders: every objective first
`corrupt`s its own modality's inputs (masking events, signal patches, image regions) and keeps what it
hid as its targets; the encoders run once on the corrupted view; then each objective scores the outputs
(`loss`). Objectives that need a view of their own (next-event prediction cuts the timeline) run the
encoder they need themselves. The losses are summed with each objective's `weight`.

Every objective is registered in `healthfm.registry.OBJECTIVES` under its `name`, with a typed config.
Its own layers (prediction heads, decoders, projections) live under `objectives.<name>.` in the saved
weights, which fine-tuning ignores: only encoders and fusion carry over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

import torch
from torch import nn

from healthfm.configs import config_from_dict
from healthfm.encoders.base import Encoder
from healthfm.schema import Batch, EncoderOutput, Modality, ModalityInput

if TYPE_CHECKING:
    from healthfm.fusion.base import Fusion

Inputs = dict[Modality, ModalityInput]


@dataclass
class ObjectiveConfig:
    """Base of every objective's typed config."""

    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError(f"weight must be >= 0, got {self.weight}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return config_from_dict(cls, dict(data))


@dataclass(frozen=True)
class SharedView:
    """The batch as given, the corrupted inputs, and the encoders' outputs on them."""

    batch: Batch
    inputs: Inputs
    outputs: Mapping[Modality, EncoderOutput]
    encoders: nn.ModuleDict
    fusion: Fusion

    def present(self) -> dict[Modality, torch.Tensor]:
        return {m: inp.mask.bool() for m, inp in self.inputs.items() if m in self.outputs}


# a loss and metrics to log (detached scalars); None when the batch holds nothing this objective scores
LossResult = tuple[torch.Tensor, dict[str, torch.Tensor]] | None


class Objective(nn.Module):
    """Base class: subclasses set `name`, `config_class`, `modalities` and implement `loss`."""

    name: ClassVar[str]
    config_class: ClassVar[type[ObjectiveConfig]] = ObjectiveConfig
    modalities: ClassVar[tuple[Modality, ...]] = ()  # needs every one of these
    min_modalities: ClassVar[int] = 1  # contrastive: at least two of the backbone's modalities
    default: ClassVar[bool] = True  # trained when no objectives are named

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__()
        self.config = config
        self.d_model = d_model
        missing = [m.value for m in self.modalities if m.value not in encoders]
        if missing or len(encoders) < self.min_modalities:
            raise ValueError(
                f"objective {self.name!r} needs modalities {[m.value for m in self.modalities]} "
                f"(at least {self.min_modalities}); the model has {sorted(encoders)}"
            )

    @classmethod
    def applies_to(cls, modalities: list[str]) -> bool:
        return all(m.value in modalities for m in cls.modalities) and len(modalities) >= cls.min_modalities

    def corrupt(self, inputs: Inputs) -> Any:
        """Replace this objective's modality in `inputs` with a corrupted copy; return the targets."""
        return None

    def loss(self, view: SharedView, targets: Any) -> LossResult:  # pragma: no cover - abstract
        raise NotImplementedError


def uniform(shape: tuple[int, ...], like: torch.Tensor) -> torch.Tensor:
    """Uniform [0, 1) draws on `like`'s device from torch's global generator (seeded by the loop)."""
    return torch.rand(shape, device=like.device)
