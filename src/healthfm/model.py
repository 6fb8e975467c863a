"""`FoundationModel`: one encoder per modality, a fusion, a head; built from a config alone.

A saved model is a folder: `model.safetensors` (weights) + `model.json` (this config). The fitted
processors and the task are saved beside it by the training run, so a server can rebuild the whole
pipeline with no training data at hand.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import torch
from safetensors.torch import load_file, save_file
from torch import nn

import healthfm.encoders
import healthfm.fusion
import healthfm.heads  # noqa: F401
from healthfm.encoders.base import Encoder
from healthfm.errors import UsageError
from healthfm.fusion.base import Fusion, FusionOutput
from healthfm.heads.base import Head
from healthfm.registry import ENCODERS, FUSIONS, HEADS
from healthfm.schema import Batch, EncoderOutput, Modality, ModelOutput

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "model.json"
TASK_KINDS = ("binary", "multiclass", "multilabel", "regression", "survival")


@dataclass
class ComponentSpec:
    """A registered component by name plus its config as a plain dict."""

    name: str
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class ModelConfig:
    task_kind: str
    d_model: int
    encoders: dict[str, ComponentSpec]  # modality value -> encoder
    fusion: ComponentSpec
    head: ComponentSpec

    def __post_init__(self) -> None:
        if self.task_kind not in TASK_KINDS:
            raise ValueError(f"task_kind must be one of {TASK_KINDS}, got {self.task_kind!r}")
        if not self.encoders:
            raise ValueError("a model needs at least one encoder")
        for m in self.encoders:
            Modality(m)  # raises on an unknown modality

    @property
    def modalities(self) -> list[Modality]:
        return [Modality(m) for m in self.encoders]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        def spec(d: Mapping[str, Any]) -> ComponentSpec:
            return ComponentSpec(str(d["name"]), dict(d.get("config", {})))

        try:
            return cls(
                task_kind=str(data["task_kind"]),
                d_model=int(data["d_model"]),
                encoders={str(m): spec(e) for m, e in data["encoders"].items()},
                fusion=spec(data["fusion"]),
                head=spec(data["head"]),
            )
        except KeyError as exc:
            raise ValueError(f"model config is missing {exc.args[0]!r}") from None

    def to_file(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_file(cls, path: Path) -> Self:
        try:
            return cls.from_dict(json.loads(Path(path).read_text()))
        except (OSError, json.JSONDecodeError, ValueError) as exc:
            raise UsageError(f"cannot read the model config {path}: {exc}") from None


def _repeat(t: torch.Tensor, m: int) -> torch.Tensor:
    """(B,...) -> (B*M,...), each row repeated M times consecutively."""
    b = t.shape[0]
    return t.unsqueeze(1).expand(b, m, *t.shape[1:]).reshape(b * m, *t.shape[1:])


def build_encoders(specs: Mapping[str, ComponentSpec], d_model: int) -> nn.ModuleDict:
    """One registered encoder per modality, each at width `d_model` (shared by the pretraining model)."""
    encoders: dict[str, Encoder] = {}
    for m, spec in specs.items():
        cls = ENCODERS.get(spec.name)
        assert isinstance(cls, type) and issubclass(cls, Encoder)
        encoders[m] = cls(cls.config_class.from_dict({**spec.config, "d_model": d_model}))
    return nn.ModuleDict(encoders)


def build_fusion(spec: ComponentSpec, d_model: int, modalities: list[str]) -> Fusion:
    fusion_cls = FUSIONS.get(spec.name)
    assert isinstance(fusion_cls, type) and issubclass(fusion_cls, Fusion)
    return fusion_cls(
        fusion_cls.config_class.from_dict({**spec.config, "d_model": d_model, "modalities": modalities})
    )


class FoundationModel(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.encoders = build_encoders(config.encoders, config.d_model)
        self.fusion: Fusion = build_fusion(config.fusion, config.d_model, list(config.encoders))
        head_cls = HEADS.get(config.head.name)
        assert isinstance(head_cls, type) and issubclass(head_cls, Head)
        if config.task_kind not in head_cls.task_kinds:
            raise ValueError(f"head {config.head.name!r} does not serve {config.task_kind!r} tasks")
        self.head: Head = head_cls(
            head_cls.config_class.from_dict({**config.head.config, "d_model": config.d_model})
        )

    @property
    def modalities(self) -> list[Modality]:
        return self.config.modalities

    def encode(self, batch: Batch) -> tuple[dict[Modality, EncoderOutput], dict[Modality, torch.Tensor]]:
        outputs: dict[Modality, EncoderOutput] = {}
        present: dict[Modality, torch.Tensor] = {}
        for m in self.modalities:
            if m not in batch.inputs:
                raise KeyError(
                    f"the batch has no {m.value!r} input; the model was built with {self.config.encoders}"
                )
            inp = batch.inputs[m]
            outputs[m] = self.encoders[m.value](inp)
            present[m] = inp.mask
        return outputs, present

    def fuse(self, batch: Batch, *, return_attention: bool = False) -> FusionOutput:
        outputs, present = self.encode(batch)
        fused: FusionOutput = self.fusion(outputs, present, return_attention=return_attention)
        return fused

    def forward(self, batch: Batch, *, return_attention: bool = False) -> ModelOutput:
        fused = self.fuse(batch, return_attention=return_attention)
        extras: dict[str, torch.Tensor] = {}
        if self.fusion.late:
            assert fused.per_modality is not None and fused.present is not None
            b, m, d = fused.per_modality.shape
            per = self.head(fused.per_modality.reshape(b * m, d))
            per = per.reshape(b, m, *per.shape[1:])  # (B,M,...)
            w = fused.present.to(per.dtype).reshape(b, m, *([1] * (per.dim() - 2)))
            logits = (per * w).sum(1) / w.sum(1).clamp_min(1.0)
            extras["per_modality_logits"] = per
        else:
            logits = self.head(fused.pooled)
        for i, a in enumerate(fused.attention):
            extras[f"attention_{i}"] = a
        loss = None
        if batch.targets is not None:
            if self.fusion.late:
                # each modality's head learns on its own; the prediction averages the present ones
                b, m = fused.present.shape  # type: ignore[union-attr]
                obs = _repeat(batch.event_observed, m) if batch.event_observed is not None else None
                per_loss = self.head.loss(per.reshape(b * m, *per.shape[2:]), _repeat(batch.targets, m), obs)
                per_loss = per_loss.view(b, m)
                mask = fused.present.to(per_loss.dtype)  # type: ignore[union-attr]
                loss = (per_loss * mask).sum() / mask.sum().clamp_min(1.0)
            else:
                loss = self.head.loss(logits, batch.targets, batch.event_observed).mean()
        return ModelOutput(logits=logits, loss=loss, embeddings=fused.pooled, extras=extras)

    @torch.inference_mode()
    def predict(self, batch: Batch) -> torch.Tensor:
        was = self.training
        self.eval()
        try:
            return self.head.predict(self.forward(batch).logits)
        finally:
            self.train(was)

    # ---------------------------------------------------------------- persistence

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().contiguous().cpu() for k, v in self.state_dict().items()}
        save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt", "healthfm": "FoundationModel"})
        self.config.to_file(folder / CONFIG_FILE)

    @classmethod
    def load(cls, folder: Path, *, map_location: str | torch.device = "cpu") -> FoundationModel:
        folder = Path(folder)
        for name in (CONFIG_FILE, WEIGHTS_FILE):
            if not (folder / name).is_file():
                raise UsageError(f"{folder} is not a saved healthfm model (no {name})")
        model = cls(ModelConfig.from_file(folder / CONFIG_FILE))
        state = load_file(str(folder / WEIGHTS_FILE), device=str(map_location))
        try:
            missing, unexpected = model.load_state_dict(state, strict=False)
        except RuntimeError as exc:  # shapes differ
            first = str(exc).split("\n\t")[1:2] or [str(exc)]
            raise UsageError(
                f"weights in {folder / WEIGHTS_FILE} do not fit its config: {first[0]}"
            ) from None
        if missing or unexpected:
            raise UsageError(
                f"weights in {folder / WEIGHTS_FILE} do not fit its config: "
                f"missing {sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}"
            )
        return model

    def num_parameters(self, trainable_only: bool = False) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)
