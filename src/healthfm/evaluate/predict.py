"""Predictions of one model on one split, with what `evaluate` needs beside the scores: which
modalities each patient had, and survival curves for time-to-event heads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from healthfm.data import SampleDataset, make_loader
from healthfm.model import FoundationModel
from healthfm.schema import Modality
from healthfm.train.loop import batch_to

Array = np.ndarray[Any, Any]


@dataclass
class Predictions:
    """Aligned with the split's samples: `pred` is the head's prediction (probability, class
    probabilities, value or risk); `present` (N, M) says which of `modalities` each patient had."""

    subject_ids: Array
    y: Array
    observed: Array | None
    pred: Array
    present: Array
    modalities: tuple[str, ...]
    survival: Array | None = None  # (N, bins + 1): S(t) at the head's bin edges (S(0) = 1)
    bin_edges_days: Array | None = None

    def pattern(self) -> list[str]:
        """Each patient's modality pattern, e.g. "events+tabular+text"."""
        return [
            "+".join(m for m, p in zip(self.modalities, row, strict=True) if p) or "none"
            for row in self.present
        ]

    def survival_at(self, times: Sequence[float]) -> Array:
        """S(t) at `times` (days), a step function of the head's bins: (N, len(times))."""
        if self.survival is None or self.bin_edges_days is None:
            raise ValueError("these predictions carry no survival curves")
        idx = np.searchsorted(self.bin_edges_days, np.asarray(times, dtype=float), side="right") - 1
        idx = np.clip(idx, 0, self.survival.shape[1] - 1)
        return np.asarray(self.survival[:, idx])


def predict(
    model: FoundationModel,
    dataset: SampleDataset,
    processors: Mapping[Modality, Any],
    task_kind: str,
    *,
    batch_size: int = 64,
    device: torch.device | None = None,
) -> Predictions:
    """Run `model` over `dataset` in eval mode (only its own modalities' processors are collated)."""
    device = device or torch.device("cpu")
    model = model.to(device).eval()
    own = {m: processors[m] for m in model.modalities if m in processors}
    loader = make_loader(dataset, own, task_kind, batch_size, shuffle=False, train=False, seed=0)
    names = tuple(m.value for m in model.modalities)
    ids, ys, obs, preds, present, curves = [], [], [], [], [], []
    survival_head = hasattr(model.head, "survival_curve")
    with torch.no_grad():
        for raw in loader:
            batch = batch_to(raw, device)
            out = model(batch)
            preds.append(model.head.predict(out.logits).float().cpu().numpy())
            ids.append(batch.subject_ids.cpu().numpy())
            if batch.targets is not None:
                ys.append(batch.targets.cpu().numpy())
            if batch.event_observed is not None:
                obs.append(batch.event_observed.cpu().numpy())
            present.append(
                np.stack(
                    [
                        batch.inputs[m].mask.cpu().numpy()
                        if m in batch.inputs
                        else np.zeros(batch.size, dtype=bool)
                        for m in model.modalities
                    ],
                    axis=1,
                )
            )
            if survival_head:
                curve = model.head.survival_curve(out.logits).float().cpu().numpy()  # type: ignore[operator]
                curves.append(np.concatenate([np.ones((len(curve), 1), np.float32), curve], axis=1))
    edges = None
    if survival_head:
        edges = np.asarray(model.head.edges.cpu().numpy(), dtype=float)  # type: ignore[operator]
    return Predictions(
        subject_ids=np.concatenate(ids),
        y=np.concatenate(ys) if ys else np.zeros(0),
        observed=np.concatenate(obs).astype(bool) if obs else None,
        pred=np.concatenate(preds),
        present=np.concatenate(present).astype(bool),
        modalities=names,
        survival=np.concatenate(curves) if curves else None,
        bin_edges_days=edges,
    )
