"""Cross-modal retrieval with the contrastive objective's embeddings: recall@k against chance.

For a pair (query modality → key modality), every held-out patient with both is a query; the answer is
the same patient's key among all of them. Chance recall@k is k / N.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from healthfm.objectives.contrastive import Contrastive
from healthfm.pretrain.model import PretrainModel
from healthfm.schema import Batch, Modality
from healthfm.train.loop import batch_to

KS = (1, 5, 10)


def recall_at_k(
    query: np.ndarray[Any, Any], keys: np.ndarray[Any, Any], ks: Sequence[int] = KS
) -> dict[str, float]:
    """Row i of `query` should find row i of `keys` (both L2-normalised)."""
    n = len(query)
    out: dict[str, float] = {"n": float(n)}
    if n == 0:
        return out
    sims = query @ keys.T
    # rank of the true key: how many keys score strictly higher than it
    rank = (sims > np.diag(sims)[:, None]).sum(axis=1)
    for k in ks:
        out[f"recall@{k}"] = float(np.mean(rank < k))
        out[f"chance@{k}"] = min(1.0, k / n)
    out["median_rank"] = float(np.median(rank) + 1)
    return out


@torch.no_grad()
def retrieval(
    model: PretrainModel,
    batches: Iterable[Batch],
    device: torch.device,
    pairs: Sequence[tuple[str, str]] = (("signal", "text"), ("image", "text")),
) -> dict[str, dict[str, float]]:
    """recall@1/5/10 per `query->key` pair, on uncorrupted inputs, in eval mode."""
    objective = model.objectives["contrastive"] if "contrastive" in model.objectives else None  # noqa: SIM401
    if not isinstance(objective, Contrastive):
        return {}
    usable = [
        (Modality(a), Modality(b))
        for a, b in pairs
        if a in objective.projection and b in objective.projection
    ]
    if not usable:
        return {}
    wanted = sorted({m for p in usable for m in p}, key=lambda m: m.value)
    was = model.training
    model.eval()
    z: dict[Modality, list[np.ndarray[Any, Any]]] = {m: [] for m in wanted}
    has: dict[Modality, list[np.ndarray[Any, Any]]] = {m: [] for m in wanted}
    try:
        for raw in batches:
            batch = batch_to(raw, device)
            outputs = model.encode(batch.inputs)
            present = {m: batch.inputs[m].mask.bool() for m in model.modalities}
            emb = objective.embed(model.fusion, outputs, present, wanted)
            for m in wanted:
                z[m].append(emb[m].float().cpu().numpy())
                has[m].append(present[m].cpu().numpy())
    finally:
        model.train(was)
    out = {}
    for a, b in usable:
        za, zb = np.concatenate(z[a]), np.concatenate(z[b])
        both = np.concatenate(has[a]) & np.concatenate(has[b])
        out[f"{a.value}->{b.value}"] = recall_at_k(za[both], zb[both])
    return out
