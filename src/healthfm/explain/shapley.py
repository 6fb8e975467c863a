"""Exact Shapley values of the present modalities, masking modalities in the fusion.

A coalition S is the prediction with only S's modalities present (the others masked, as modality dropout
taught the model); the empty coalition is the [CLS]-only prediction. With at most five modalities there
are at most 32 coalitions: they run as one batch of fusion-only passes over the encoder outputs computed
once per patient. Efficiency (the values add up to f(all) - f(none)) is checked, not assumed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from healthfm.explain.core import Prediction, modality_name
from healthfm.schema import Batch, Modality, ModalityInput


@dataclass
class ModalityShapley:
    """Shapley values per present modality, on the risk scale and on the logit scale."""

    modalities: list[Modality]
    risk: dict[Modality, float]
    logit: dict[Modality, float]
    f_all: tuple[float, float]  # (risk, logit) with every present modality
    f_none: tuple[float, float]  # (risk, logit) of the [CLS]-only prediction
    efficiency_error: float  # |sum of risk values - (f_all - f_none)|
    coalitions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "exact Shapley values over subsets of the present modalities (masked in the fusion)",
            "values": {
                m.value: {"name": modality_name(m), "risk": self.risk[m], "logit": self.logit[m]}
                for m in self.modalities
            },
            "risk_all": self.f_all[0],
            "risk_none": self.f_none[0],
            "logit_all": self.f_all[1],
            "logit_none": self.f_none[1],
            "efficiency_error": self.efficiency_error,
            "coalitions": self.coalitions,
        }

    def vector(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.asarray([self.logit[m] for m in self.modalities], dtype=np.float64)


def coalitions(players: Sequence[Modality]) -> list[tuple[Modality, ...]]:
    return [c for r in range(len(players) + 1) for c in itertools.combinations(players, r)]


def shapley_values(
    players: Sequence[Modality], value: dict[tuple[Modality, ...], float]
) -> dict[Modality, float]:
    """phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))."""
    n = len(players)
    order = {m: k for k, m in enumerate(players)}
    out: dict[Modality, float] = {}
    for m in players:
        others = [p for p in players if p != m]
        total = 0.0
        for r in range(n):
            weight = math.factorial(r) * math.factorial(n - r - 1) / math.factorial(n)
            for s in itertools.combinations(others, r):
                with_m = tuple(sorted((*s, m), key=order.__getitem__))
                total += weight * (value[with_m] - value[s])
        out[m] = total
    return out


def _from_values(players: list[Modality], risk: list[float], logit: list[float]) -> ModalityShapley:
    subsets = coalitions(players)
    v_risk = dict(zip(subsets, risk, strict=True))
    v_logit = dict(zip(subsets, logit, strict=True))
    phi_risk = shapley_values(players, v_risk)
    phi_logit = shapley_values(players, v_logit)
    full, empty = tuple(players), ()
    error = abs(sum(phi_risk.values()) - (v_risk[full] - v_risk[empty]))
    return ModalityShapley(
        players,
        phi_risk,
        phi_logit,
        (v_risk[full], v_logit[full]),
        (v_risk[empty], v_logit[empty]),
        error,
        len(subsets),
    )


def modality_shapley(pred: Prediction) -> ModalityShapley:
    """Every coalition in one batch of fusion passes over the cached encoder outputs."""
    players = list(pred.present)
    subsets = coalitions(players)
    n = len(subsets)
    present = {m: torch.tensor([m in s for s in subsets], dtype=torch.bool) for m in pred.model.modalities}
    with torch.no_grad():
        score, risk = pred.fuse(pred.outputs_with({}, n), present)
    return _from_values(players, risk.double().tolist(), score.double().tolist())


def modality_shapley_by_forward(pred: Prediction) -> ModalityShapley:
    """The same values from one full model pass per coalition, each on a new Batch whose masks hide the
    modalities outside it: the slow reference the fast path is checked against (tests, benchmark)."""
    players = list(pred.present)
    risk, logit = [], []
    model = pred.model
    for s in coalitions(players):
        inputs = {
            m: ModalityInput(values=inp.values, mask=inp.mask & torch.tensor([m in s]))
            for m, inp in pred.batch.inputs.items()
        }
        with torch.no_grad():
            logits = model(Batch(subject_ids=pred.batch.subject_ids, inputs=inputs)).logits
        risk.append(float(pred.target.risk(model, logits)[0]))
        logit.append(float(pred.target.score(model, logits)[0]))
    return _from_values(players, risk, logit)
