"""Model-randomisation sanity check (Adebayo et al., 2018): re-initialise a copy of the model and compare
each explainer's attributions with the trained model's by Spearman rank correlation. An explainer whose
attributions barely change (correlation above the threshold) describes the input, not what the model
learned: it is flagged, and explanations leave it out unless asked to keep it.

The check costs several explanations, so it runs once per run folder and is kept in
`RUN/explain_sanity.json`, keyed by the weights file's size and modification time.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy.stats import rankdata  # type: ignore[import-untyped]
from torch import nn

from healthfm.explain.attention import attention_map
from healthfm.explain.core import Prediction
from healthfm.explain.integrated import integrated_gradients
from healthfm.explain.shapley import modality_shapley
from healthfm.model import WEIGHTS_FILE, FoundationModel
from healthfm.registry import EXPLAINERS

log = logging.getLogger(__name__)

SANITY_FILE = "explain_sanity.json"
SANITY_VERSION = 1
SANITY_STEPS = 16  # fixed Integrated Gradients steps inside the check (both models alike)

# An explainer maps a prediction to named attribution vectors (one per thing it explains).
Explainer = Callable[[Prediction], dict[str, np.ndarray[Any, Any]]]


def _integrated_gradients(pred: Prediction) -> dict[str, np.ndarray[Any, Any]]:
    return {
        f"integrated_gradients/{m.value}": integrated_gradients(pred, m, steps=SANITY_STEPS).values.ravel()
        for m in pred.present
    }


def _shapley(pred: Prediction) -> dict[str, np.ndarray[Any, Any]]:
    return {"modality_shapley": modality_shapley(pred).vector()}


def _attention(pred: Prediction) -> dict[str, np.ndarray[Any, Any]]:
    found = attention_map(pred)
    return {} if found is None else {"attention": found.mean.ravel()}


EXPLAINERS.register("integrated_gradients")(_integrated_gradients)
EXPLAINERS.register("modality_shapley")(_shapley)
EXPLAINERS.register("attention")(_attention)


def default_explainers() -> dict[str, Explainer]:
    return {name: EXPLAINERS.get(name) for name in ("integrated_gradients", "modality_shapley", "attention")}  # type: ignore[misc]


def spearman(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Spearman's rank correlation; 0 when either side is constant (no ranking to agree with)."""
    ra, rb = rankdata(np.asarray(a, dtype=np.float64)), rankdata(np.asarray(b, dtype=np.float64))
    if ra.size < 2 or np.ptp(ra) == 0 or np.ptp(rb) == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def randomised_copy(model: FoundationModel, seed: int = 0) -> FoundationModel:
    """A copy of the model with every weight re-drawn: each module's own initialiser where it has one
    (Linear, Conv, Embedding, LayerNorm, BatchNorm …), N(0, 0.02) for every other parameter."""
    clone = copy.deepcopy(model)
    reset: set[int] = set()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for module in clone.modules():
            init = getattr(module, "reset_parameters", None)
            if callable(init) and not isinstance(module, nn.MultiheadAttention):
                init()
                reset.update(id(p) for p in module.parameters(recurse=False))
        with torch.no_grad():
            for p in clone.parameters():
                if id(p) not in reset:
                    p.normal_(0.0, 0.02)
    return clone.eval()


@dataclass
class SanityCheck:
    explainer: str
    spearman: float
    flagged: bool
    n_values: int

    def to_dict(self) -> dict[str, Any]:
        return {"spearman": self.spearman, "flagged": self.flagged, "n_values": self.n_values}


@dataclass
class SanityReport:
    threshold: float
    checks: dict[str, SanityCheck]
    samples: int
    key: dict[str, Any] = field(default_factory=dict)  # the weights checked (size, mtime)
    created: str = ""

    def flagged(self) -> set[str]:
        return {name for name, c in self.checks.items() if c.flagged}

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": SANITY_VERSION,
            "method": "model randomisation (Adebayo et al. 2018): Spearman correlation of attributions "
            "between the trained model and a copy with re-initialised weights",
            "threshold": self.threshold,
            "samples": self.samples,
            "key": self.key,
            "created": self.created,
            "checks": {name: c.to_dict() for name, c in sorted(self.checks.items())},
            "flagged": sorted(self.flagged()),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SanityReport:
        checks = {
            name: SanityCheck(name, float(c["spearman"]), bool(c["flagged"]), int(c["n_values"]))
            for name, c in data["checks"].items()
        }
        return cls(
            float(data["threshold"]),
            checks,
            int(data["samples"]),
            dict(data.get("key", {})),
            str(data.get("created", "")),
        )


def model_randomisation_check(
    preds: Sequence[Prediction],
    explainers: Mapping[str, Explainer] | None = None,
    *,
    threshold: float = 0.5,
    seed: int = 0,
) -> SanityReport:
    """Compare each explainer on `preds` under the trained model and under one randomised copy."""
    if not preds:
        raise ValueError("the sanity check needs at least one prediction")
    chosen = dict(explainers or default_explainers())
    random_model = randomised_copy(preds[0].model, seed)
    trained: dict[str, list[np.ndarray[Any, Any]]] = {}
    shuffled: dict[str, list[np.ndarray[Any, Any]]] = {}
    for pred in preds:
        other = pred.with_model(random_model)
        for explain in chosen.values():
            a, b = explain(pred), explain(other)
            for key in a.keys() & b.keys():
                if a[key].shape == b[key].shape:
                    trained.setdefault(key, []).append(np.ravel(a[key]))
                    shuffled.setdefault(key, []).append(np.ravel(b[key]))
    checks = {}
    for key in trained:
        x, y = np.concatenate(trained[key]), np.concatenate(shuffled[key])
        rho = spearman(x, y)
        checks[key] = SanityCheck(key, rho, rho > threshold, int(x.size))
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return SanityReport(threshold, checks, len(preds), created=created)


def weights_key(run_folder: Path) -> dict[str, Any]:
    weights = Path(run_folder) / "best" / WEIGHTS_FILE
    st = weights.stat()
    return {"weights": str(weights.name), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def cached_sanity(
    run_folder: Path, compute: Callable[[], SanityReport], *, threshold: float = 0.5
) -> SanityReport:
    """The run's saved report when it matches its weights and threshold, else `compute()`, saved.

    A run folder that cannot be written (read-only) still gets the report; it is then recomputed per call.
    """
    path = Path(run_folder) / SANITY_FILE
    key = weights_key(run_folder)
    if path.is_file():
        try:
            saved = json.loads(path.read_text())
            if (
                saved.get("version") == SANITY_VERSION
                and saved.get("key") == key
                and saved.get("threshold") == threshold
            ):
                return SanityReport.from_dict(saved)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
    report = compute()
    report.key = key
    try:
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(report.to_dict(), indent=1, allow_nan=False) + "\n")
        tmp.replace(path)
    except OSError as exc:
        log.warning("cannot cache the sanity check in %s: %s", path, exc)
    return report
