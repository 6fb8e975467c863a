"""The fusion contract: per-modality `EncoderOutput`s in, one fused representation out.

Fusion never sees raw modality tensors. `present[m]` (B,) says which rows have modality `m`; a missing
modality's tokens are masked out, never zero-filled into the fused representation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import torch
from torch import nn

from healthfm.configs import config_from_dict
from healthfm.schema import EncoderOutput, Modality


@dataclass
class FusionConfig:
    """Base of every fusion's typed config."""

    d_model: int = 128
    modalities: tuple[str, ...] = ()
    modality_dropout: float = 0.0  # training only: the chance that a present modality is hidden

    def __post_init__(self) -> None:
        self.modalities = tuple(Modality(m).value for m in self.modalities)
        if not self.modalities:
            raise ValueError("fusion needs at least one modality")
        if self.d_model <= 0:
            raise ValueError(f"d_model must be positive, got {self.d_model}")
        if not 0.0 <= self.modality_dropout < 1.0:
            raise ValueError(f"modality_dropout must be in [0, 1), got {self.modality_dropout}")

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["modalities"] = list(self.modalities)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        values = dict(data)
        if "modalities" in values:
            values["modalities"] = tuple(values["modalities"])
        return config_from_dict(cls, values)


@dataclass(frozen=True)
class FusionOutput:
    """`pooled` (B,D) feeds the head. Late fusion also fills `per_modality` (B,M,D) + `present` (B,M)
    so the model can apply the head to each modality and average over the present ones."""

    pooled: torch.Tensor
    tokens: torch.Tensor | None = None  # (B,T,D) fused tokens after [CLS] (attention fusion)
    token_mask: torch.Tensor | None = None  # (B,T)
    per_modality: torch.Tensor | None = None  # (B,M,D)
    present: torch.Tensor | None = None  # (B,M) bool
    attention: list[torch.Tensor] = field(default_factory=list)  # per layer (B,T+1,T+1), when asked


class Fusion(nn.Module):
    """Base class; subclasses set `name`, `config_class` and implement `forward`."""

    name: ClassVar[str]
    config_class: ClassVar[type[FusionConfig]] = FusionConfig
    late: ClassVar[bool] = False

    def __init__(self, config: FusionConfig) -> None:
        super().__init__()
        self.config = config
        self.modalities: list[Modality] = [Modality(m) for m in config.modalities]

    def forward(
        self,
        outputs: Mapping[Modality, EncoderOutput],
        present: Mapping[Modality, torch.Tensor],
        *,
        return_attention: bool = False,
    ) -> FusionOutput:  # pragma: no cover - abstract
        raise NotImplementedError

    def pooled(
        self, outputs: Mapping[Modality, EncoderOutput], present: Mapping[Modality, torch.Tensor]
    ) -> FusionOutput:
        """What the head reads (`pooled`, and `per_modality` + `present` for late fusion); a fusion may
        skip the rest (attention fusion's last block computes only the [CLS] position). Serving uses it."""
        out: FusionOutput = self(outputs, present)
        return out

    def effective_presence(self, present: Mapping[Modality, torch.Tensor]) -> torch.Tensor:
        """(B,M) bool presence after modality dropout (training only); a row keeps at least one modality."""
        first = next(iter(present.values()))
        cols = [
            present[m].to(torch.bool) if m in present else torch.zeros_like(first, dtype=torch.bool)
            for m in self.modalities
        ]
        keep = torch.stack(cols, dim=1)  # (B,M)
        p = self.config.modality_dropout
        if self.training and p > 0:
            dropped = keep & (torch.rand(keep.shape, device=keep.device) < p)
            candidate = keep & ~dropped
            # a row that would lose every modality keeps what it had
            empty = ~candidate.any(dim=1, keepdim=True)
            keep = torch.where(empty, keep, candidate)
        return keep


def check_outputs(modalities: Sequence[Modality], outputs: Mapping[Modality, EncoderOutput], d: int) -> None:
    for m in modalities:
        if m not in outputs:
            raise KeyError(f"fusion expects modality {m.value!r}; got {[k.value for k in outputs]}")
        if outputs[m].tokens.shape[-1] != d:
            raise ValueError(
                f"{m.value} tokens have width {outputs[m].tokens.shape[-1]}, fusion d_model is {d}"
            )
