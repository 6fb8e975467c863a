"""Discrete-time survival head: one hazard per time bin, trained with the censored likelihood.

For a subject with an event in bin j the loss is -log h_j - sum_{k<j} log(1 - h_k); for one censored in
bin j it is -sum_{k<j} log(1 - h_k) (alive through the bins before; censoring counted at the bin start,
as in Gensheimer & Narasimhan's nnet-survival). The risk score is 1 - S(horizon).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from healthfm.heads.base import Head, HeadConfig
from healthfm.registry import HEADS


@dataclass
class SurvivalConfig(HeadConfig):
    bin_edges_days: tuple[float, ...] = (0.0, 365.0, 730.0, 1095.0, 1460.0, 1825.0)

    def __post_init__(self) -> None:
        self.bin_edges_days = tuple(float(e) for e in self.bin_edges_days)
        edges = self.bin_edges_days
        if len(edges) < 2 or edges[0] != 0.0 or any(b <= a for a, b in itertools.pairwise(edges)):
            raise ValueError(f"bin_edges_days must start at 0 and increase, got {edges}")
        self.num_outputs = len(edges) - 1
        super().__post_init__()


def quantile_bin_edges(event_days: np.ndarray, n_bins: int, horizon_days: float) -> tuple[float, ...]:
    """Bin edges at quantiles of the observed event times (train split), capped by the horizon."""
    times = np.asarray(event_days, dtype=float)
    times = times[(times > 0) & (times < horizon_days)]
    if len(times) < n_bins:
        inner = np.linspace(0, horizon_days, n_bins + 1)[1:-1]
    else:
        inner = np.quantile(times, np.linspace(0, 1, n_bins + 1)[1:-1])
    edges = sorted({0.0, *np.round(inner, 1).tolist(), float(horizon_days)})
    return tuple(float(e) for e in edges)


@HEADS.register("survival")
class SurvivalHead(Head):
    name = "survival"
    config_class = SurvivalConfig
    task_kinds = ("survival",)

    def __init__(self, config: SurvivalConfig) -> None:
        super().__init__(config)
        self.cfg = config
        self.register_buffer(
            "_edges", torch.tensor(config.bin_edges_days, dtype=torch.float32), persistent=False
        )

    @property
    def edges(self) -> torch.Tensor:
        edges = self._edges
        assert isinstance(edges, torch.Tensor)
        return edges

    def bin_of(self, days: torch.Tensor) -> torch.Tensor:
        """The bin index of each time; times past the last edge fall in the last bin (as censored there)."""
        inner = self.edges[1:-1].to(days.device)
        return torch.bucketize(days.to(torch.float32), inner, right=True)

    def loss(
        self, logits: torch.Tensor, targets: torch.Tensor, event_observed: torch.Tensor | None = None
    ) -> torch.Tensor:
        if event_observed is None:
            raise ValueError("the survival head needs event_observed in the batch")
        days = targets.to(logits.dtype)
        j = self.bin_of(days)  # (B,)
        beyond = days >= self.edges[-1]  # past the horizon: alive through every bin
        event = event_observed.to(torch.bool) & ~beyond
        log_h = F.logsigmoid(logits)  # log h_k
        log_1mh = F.logsigmoid(-logits)  # log (1 - h_k)
        n = logits.shape[1]
        k = torch.arange(n, device=logits.device).unsqueeze(0)
        before = (k < j.unsqueeze(1)) | beyond.unsqueeze(1)  # bins survived
        nll = -(log_1mh * before).sum(1)
        nll = nll - torch.where(event, log_h.gather(1, j.unsqueeze(1)).squeeze(1), torch.zeros_like(nll))
        return nll

    def survival_curve(self, logits: torch.Tensor) -> torch.Tensor:
        """S at the end of each bin (B, n_bins)."""
        return torch.cumprod(torch.sigmoid(-logits), dim=1)

    def predict(self, logits: torch.Tensor) -> torch.Tensor:
        return 1.0 - self.survival_curve(logits)[:, -1]
