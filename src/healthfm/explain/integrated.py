"""Integrated Gradients (captum) on each present modality's input, the other modalities held at their values.

Continuous inputs (image pixels, ECG samples) take plain Integrated Gradients; discrete inputs (event codes,
tabular features, note word pieces) take Layer Integrated Gradients on their embedding layer. Completeness
is checked on every run: the attributions must add up to F(input) - F(baseline) within `tolerance` of
|F(input) - F(baseline)|, or of `scale_floor` when a modality moves the logit by less than that (a 1 %
bound on a near-zero difference would chase rounding noise); the number of steps doubles until they do,
up to `max_steps`, and a result that still misses says so (`converged` False). The relative error is
reported either way. Only the explained modality's encoder runs per step: the others' encoder
outputs are computed once and reused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import torch
from torch import nn

from healthfm.errors import UsageError
from healthfm.explain.core import Prediction, gradients_through_text
from healthfm.schema import Modality, ModalityInput

# What each modality's input is compared against; F(baseline) is the model with only that modality swapped.
BASELINES: dict[Modality, str] = {
    Modality.EVENTS: "every event's code replaced by the padding token and its value removed "
    "(times and ages kept)",
    Modality.TABULAR: "every feature missing (numeric: the learned 'missing' embedding; categorical: id 0)",
    Modality.TEXT: "every word piece replaced by [PAD] ([CLS] and [SEP] kept)",
    Modality.IMAGE: "an all-zero image (the mean intensity after z-scoring)",
    Modality.SIGNAL: "flat leads at zero (each lead's mean after normalisation), same leads recorded",
}


@dataclass(frozen=True)
class IGConfig:
    tolerance: float = 0.01  # relative completeness error accepted
    scale_floor: float = 0.1  # logits: below this |F(x) - F(baseline)|, the error is measured against it
    start_steps: int = 8
    max_steps: int = 256
    internal_batch_size: int = 64  # interpolation steps per forward pass

    def __post_init__(self) -> None:
        if not 0 < self.tolerance < 1:
            raise UsageError(f"tolerance must be in (0, 1), got {self.tolerance}")
        if self.scale_floor <= 0:
            raise UsageError(f"scale_floor must be positive, got {self.scale_floor}")
        if not 2 <= self.start_steps <= self.max_steps:
            raise UsageError(f"need 2 <= start_steps <= max_steps, got {self.start_steps}, {self.max_steps}")
        if self.internal_batch_size < 1:
            raise UsageError(f"internal_batch_size must be >= 1, got {self.internal_batch_size}")


@dataclass
class RawAttribution:
    """One modality's attributions on its input units, before grouping into clinical units.

    Shapes: events (L,) per token, tabular (F+C,) per feature, text (L,) per word piece, image (H, W)
    (or (D, H, W)) per pixel, signal (C, N) per lead and sample.
    """

    modality: Modality
    values: np.ndarray[Any, np.dtype[np.float64]]
    method: str
    baseline: str
    steps: int
    f_input: float
    f_baseline: float
    delta: float  # sum(values) - (f_input - f_baseline)
    relative_error: float
    converged: bool

    def completeness(self) -> dict[str, Any]:
        return {
            "f_input": self.f_input,
            "f_baseline": self.f_baseline,
            "sum_of_attributions": float(self.values.sum()),
            "relative_error": self.relative_error,
            "absolute_error": abs(self.delta),
            "tolerance_met": self.converged,
            "steps": self.steps,
        }


@dataclass
class _Spec:
    forward: Callable[..., torch.Tensor]
    inputs: tuple[torch.Tensor, ...]
    baselines: tuple[torch.Tensor, ...]
    extra: tuple[torch.Tensor, ...]  # additional forward arguments (not attributed)
    layer: nn.Module | None
    layer_name: str
    reduce: Callable[[torch.Tensor], np.ndarray[Any, np.dtype[np.float64]]]


def _forward(pred: Prediction, m: Modality, keys: tuple[str, ...]) -> Callable[..., torch.Tensor]:
    """F as a function of modality `m`'s tensors (in `keys` order): its encoder, then the fusion with the
    other modalities' cached outputs, then the explained logit."""
    encoder = pred.model.encoders[m.value]

    def f(*tensors: torch.Tensor) -> torch.Tensor:
        n = int(tensors[0].shape[0])
        inp = ModalityInput(
            values=dict(zip(keys, tensors, strict=True)), mask=torch.ones(n, dtype=torch.bool)
        )
        score, _ = pred.fuse(pred.outputs_with({m: encoder(inp)}, n), pred.presence(n))
        return score

    return f


def _per_token(length: int) -> Callable[[torch.Tensor], np.ndarray[Any, np.dtype[np.float64]]]:
    """(1, n, H) layer attributions -> (length,) per token, zeros after the n tokens the encoder kept."""

    def reduce(attr: torch.Tensor) -> np.ndarray[Any, np.dtype[np.float64]]:
        per = attr.detach().double().sum(-1)[0].numpy()
        out = np.zeros(length, dtype=np.float64)
        out[: per.shape[0]] = per
        return out

    return reduce


def _spec(pred: Prediction, m: Modality) -> _Spec:
    values = pred.batch.inputs[m].values
    encoder = pred.model.encoders[m.value]
    if m is Modality.EVENTS:
        keys: tuple[str, ...] = ("codes", "values", "has_value", "delta_days", "age_years", "token_mask")
        inputs = tuple(values[k] for k in keys)
        base = dict(zip(keys, inputs, strict=True))
        base |= {
            "codes": torch.zeros_like(base["codes"]),
            "values": torch.zeros_like(base["values"]),
            "has_value": torch.zeros_like(base["has_value"]),
        }
        return _Spec(
            _forward(pred, m, keys),
            inputs,
            tuple(base[k] for k in keys),
            (),
            encoder.get_submodule("drop"),  # its output is the summed token embedding
            "the events encoder's token embeddings (code + value + time + age)",
            _per_token(int(values["codes"].shape[1])),
        )
    if m is Modality.TABULAR:
        keys = ("numeric", "numeric_present", "categorical")
        inputs = tuple(values[k] for k in keys)
        baselines = tuple(torch.zeros_like(t) for t in inputs)
        return _Spec(
            _forward(pred, m, keys),
            inputs,
            baselines,
            (),
            encoder.get_submodule("tokenizer"),
            "the tabular encoder's feature tokens",
            _per_token(int(inputs[0].shape[1] + inputs[2].shape[1])),
        )
    if m is Modality.TEXT:
        keys = ("input_ids", "attention_mask")
        ids, attention = values["input_ids"], values["attention_mask"]
        tok = pred.processors[Modality.TEXT].tokenizer
        special = torch.tensor([i for i in (tok.cls_token_id, tok.sep_token_id) if i is not None])
        keep = torch.isin(ids, special) | (attention == 0)
        pad = torch.full_like(ids, int(tok.pad_token_id or 0))
        embeddings = cast(Any, encoder.get_submodule("backbone")).get_input_embeddings()
        return _Spec(
            _forward(pred, m, keys),
            (ids, attention),
            (torch.where(keep, ids, pad), attention),
            (),
            embeddings,
            "the text model's word-piece embeddings",
            _per_token(int(ids.shape[1])),
        )
    if m is Modality.IMAGE:
        pixels = values["pixels"]
        return _Spec(
            _forward(pred, m, ("pixels",)),
            (pixels,),
            (torch.zeros_like(pixels),),
            (),
            None,
            "",
            lambda attr: attr.detach().double()[0, 0].numpy(),
        )
    if m is Modality.SIGNAL:
        signal = values["signal"]
        return _Spec(
            _forward(pred, m, ("signal", "lead_mask")),
            (signal,),
            (torch.zeros_like(signal),),
            (values["lead_mask"],),
            None,
            "",
            lambda attr: attr.detach().double()[0].numpy(),
        )
    raise UsageError(f"no Integrated Gradients set-up for modality {m.value!r}")


def integrated_gradients(
    pred: Prediction, modality: Modality, config: IGConfig | None = None, *, steps: int | None = None
) -> RawAttribution:
    """Attributions of the explained logit to `modality`'s input; `steps` fixes the step count."""
    from captum.attr import IntegratedGradients, LayerIntegratedGradients

    cfg = config or IGConfig()
    if modality not in pred.present:
        raise UsageError(f"subject {pred.sample.subject_id} has no {modality.value} input to attribute")
    spec = _spec(pred, modality)
    method: Any
    if spec.layer is None:
        method = IntegratedGradients(spec.forward)
        label = "IntegratedGradients on the input"
    else:
        method = LayerIntegratedGradients(spec.forward, spec.layer)
        label = f"LayerIntegratedGradients on {spec.layer_name}"
    n = steps or cfg.start_steps
    with gradients_through_text(pred.model) if modality is Modality.TEXT else contextlib.nullcontext():
        f_in = pred.logit  # F(input) is the prediction itself
        with torch.no_grad():
            f_base = float(spec.forward(*spec.baselines, *spec.extra)[0])
        while True:
            attr = method.attribute(
                spec.inputs if len(spec.inputs) > 1 else spec.inputs[0],
                baselines=spec.baselines if len(spec.baselines) > 1 else spec.baselines[0],
                additional_forward_args=spec.extra or None,
                n_steps=n,
                internal_batch_size=min(n, cfg.internal_batch_size),
            )
            if isinstance(attr, tuple | list):
                attr = attr[0]
            values = spec.reduce(attr)
            delta = float(values.sum()) - (f_in - f_base)
            rel = abs(delta) / max(abs(f_in - f_base), 1e-12)
            ok = abs(delta) <= cfg.tolerance * max(abs(f_in - f_base), cfg.scale_floor)
            if ok or steps is not None or n >= cfg.max_steps:
                break
            n = min(2 * n, cfg.max_steps)
    return RawAttribution(
        modality=modality,
        values=values,
        method=label,
        baseline=BASELINES[modality],
        steps=n,
        f_input=f_in,
        f_baseline=f_base,
        delta=delta,
        relative_error=rel,
        converged=ok,
    )
