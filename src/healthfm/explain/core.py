"""One prediction held still for explaining: its one-row batch, the encoder outputs computed once, and the
output being explained (which logit), so every explainer runs fusion-only passes where it can.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from healthfm.data import collate
from healthfm.data.base import BlobSource
from healthfm.data.dataset import Item
from healthfm.errors import DataError, UsageError
from healthfm.fusion.base import FusionOutput
from healthfm.model import FoundationModel
from healthfm.schema import Batch, EncoderOutput, Modality, ModalityInput, PatientTimeline, Sample

# How the explanation names each modality to a clinician.
MODALITY_NAMES: dict[Modality, str] = {
    Modality.EVENTS: "coded history",
    Modality.TABULAR: "latest values",
    Modality.TEXT: "notes",
    Modality.IMAGE: "image",
    Modality.SIGNAL: "ECG",
}


def modality_name(modality: Modality) -> str:
    return MODALITY_NAMES.get(modality, modality.value)


@dataclass(frozen=True)
class Target:
    """The model output an explanation is about.

    `score` is what attributions add up to (a logit); `risk` is what the clinician reads (a probability,
    or the predicted value for regression).
    """

    kind: str
    index: int | None  # the class for multiclass / multilabel models
    description: str

    def score(self, model: FoundationModel, logits: torch.Tensor) -> torch.Tensor:
        """(B,) the explained logit."""
        if self.kind == "survival":
            p = model.head.predict(logits).clamp(1e-6, 1 - 1e-6)
            return torch.log(p) - torch.log1p(-p)
        return logits if self.index is None else logits[:, self.index]

    def risk(self, model: FoundationModel, logits: torch.Tensor) -> torch.Tensor:
        """(B,) the prediction as the clinician reads it."""
        pred = model.head.predict(logits)
        return pred if self.index is None else pred[:, self.index]


def choose_target(
    model: FoundationModel, logits: torch.Tensor, class_names: Sequence[str], index: int | None
) -> Target:
    """Binary: the positive-class logit. Multiclass / multilabel: the given class, else the most likely one.
    Survival: the log-odds of the predicted risk at the horizon. Regression: the output before rescaling."""
    kind = model.config.task_kind
    if kind == "binary":
        name = class_names[1] if len(class_names) == 2 else "positive"
        return Target(kind, None, f"logit of P({name}), the binary head's output")
    if kind in ("multiclass", "multilabel"):
        n = int(logits.shape[-1])
        k = int(model.head.predict(logits)[0].argmax()) if index is None else index
        if not 0 <= k < n:
            raise UsageError(f"class index {k} is outside the model's {n} outputs")
        name = class_names[k] if k < len(class_names) else str(k)
        how = "softmax logit" if kind == "multiclass" else "sigmoid logit"
        return Target(kind, k, f"{how} of class {name!r} (output {k})")
    if kind == "survival":
        return Target(kind, None, "log-odds of the predicted risk of the event by the horizon")
    return Target(kind, None, "the regression output before rescaling to the label's units")


def head_logits(model: FoundationModel, fused: FusionOutput) -> torch.Tensor:
    """The head applied to a fusion output, as `FoundationModel.forward` does (late fusion: the mean of the
    present modalities' logits)."""
    if not model.fusion.late:
        out: torch.Tensor = model.head(fused.pooled)
        return out
    assert fused.per_modality is not None and fused.present is not None
    b, m, d = fused.per_modality.shape
    per = model.head(fused.per_modality.reshape(b * m, d))
    per = per.reshape(b, m, *per.shape[1:])
    w = fused.present.to(per.dtype).reshape(b, m, *([1] * (per.dim() - 2)))
    mean: torch.Tensor = (per * w).sum(1) / w.sum(1).clamp_min(1.0)
    return mean


def expand_output(out: EncoderOutput, n: int) -> EncoderOutput:
    """A one-row encoder output viewed as `n` identical rows (no copy)."""
    return EncoderOutput(
        tokens=out.tokens.expand(n, -1, -1),
        mask=out.mask.expand(n, -1),
        pooled=out.pooled.expand(n, -1),
    )


def expand_input(inp: ModalityInput, n: int) -> ModalityInput:
    """A one-row modality input repeated `n` times (a copy: callers may edit rows)."""
    return ModalityInput(
        values={k: v.expand(n, *v.shape[1:]).clone() for k, v in inp.values.items()},
        mask=inp.mask.expand(n).clone(),
    )


@contextlib.contextmanager
def gradients_through_text(model: FoundationModel) -> Iterator[None]:
    """Let gradients pass a frozen text backbone (it otherwise runs under no_grad from its cache).

    Only `requires_grad` flags change, and they are restored; attributions take gradients with respect to
    inputs and layers, never accumulate them on parameters.
    """
    text = dict(model.encoders.items()).get(Modality.TEXT.value)
    backbone = getattr(text, "backbone", None)
    if not isinstance(backbone, torch.nn.Module):
        yield
        return
    saved = [(p, p.requires_grad) for p in backbone.parameters()]
    backbone.requires_grad_(True)
    try:
        yield
    finally:
        for p, flag in saved:
            p.requires_grad_(flag)


class Prediction:
    """One sample's prediction prepared for explaining, in evaluation mode.

    Holds the one-row `batch`, each modality's encoder output (computed once, without gradients) and the
    explained `target`. `present` lists the modalities this subject has.
    """

    def __init__(
        self,
        model: FoundationModel,
        processors: Mapping[Modality, Any],
        sample: Sample,
        visible: PatientTimeline,
        batch: Batch,
        target: Target | None = None,
        class_names: Sequence[str] = (),
        class_index: int | None = None,
    ) -> None:
        self.model = model
        self.processors = dict(processors)
        self.sample = sample
        self.visible = visible
        self.batch = batch
        self.class_names = tuple(class_names)
        self.present = [m for m in model.modalities if bool(batch.inputs[m].mask[0])]
        self.problems: list[str] = []  # data the processors could not read (that modality is absent)
        with torch.no_grad():
            self.outputs, _ = model.encode(batch)
            logits = head_logits(model, model.fusion(self.outputs, self.presence(1)))
        self.target = target or choose_target(model, logits, self.class_names, class_index)
        self.logit = float(self.target.score(model, logits)[0])
        self.risk = float(self.target.risk(model, logits)[0])

    @classmethod
    def build(
        cls,
        model: FoundationModel,
        processors: Mapping[Modality, Any],
        sample: Sample,
        visible: PatientTimeline,
        blobs: BlobSource | None,
        *,
        class_names: Sequence[str] = (),
        class_index: int | None = None,
    ) -> Prediction:
        """Run the processors on the visible timeline (events strictly before the prediction time)."""
        inputs: dict[Modality, Any] = {}
        problems: list[str] = []
        for m in model.modalities:
            if m not in processors:
                raise UsageError(f"the run's processors have no {m.value!r} processor for its model")
            try:
                inputs[m] = processors[m].transform(sample, visible, blobs=blobs)
            except DataError as exc:  # as in training and serving: the modality counts as absent
                inputs[m] = None
                problems.append(f"{m.value} left out: {exc}")
        item = Item(sample.subject_id, sample.prediction_time, inputs, None)
        batch = collate([item], {m: processors[m] for m in model.modalities}, None)
        if not any(bool(batch.inputs[m].mask[0]) for m in model.modalities):
            raise DataError(
                f"subject {sample.subject_id} has no data the model reads before {sample.prediction_time}"
            )
        pred = cls(
            model, processors, sample, visible, batch, class_names=class_names, class_index=class_index
        )
        pred.problems = problems
        return pred

    def with_model(self, model: FoundationModel) -> Prediction:
        """The same inputs and explained output under another model (a randomised copy, for sanity checks)."""
        return Prediction(
            model, self.processors, self.sample, self.visible, self.batch, self.target, self.class_names
        )

    def presence(self, n: int, only: Sequence[Modality] | None = None) -> dict[Modality, torch.Tensor]:
        """(n,) presence per model modality: the subject's own, restricted to `only` when given."""
        keep = self.present if only is None else [m for m in only if m in self.present]
        return {m: torch.full((n,), m in keep, dtype=torch.bool) for m in self.model.modalities}

    def fuse(
        self, outputs: Mapping[Modality, EncoderOutput], present: Mapping[Modality, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(score, risk), each (B,), from encoder outputs and per-row presence."""
        logits = head_logits(self.model, self.model.fusion(outputs, present))
        return self.target.score(self.model, logits), self.target.risk(self.model, logits)

    def outputs_with(
        self, replaced: Mapping[Modality, EncoderOutput], n: int
    ) -> dict[Modality, EncoderOutput]:
        """The cached outputs as `n` rows, with some modalities' outputs replaced (already `n` rows)."""
        return {m: replaced[m] if m in replaced else expand_output(o, n) for m, o in self.outputs.items()}
