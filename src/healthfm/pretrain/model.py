"""`PretrainModel`: the foundation model's encoders and fusion with self-supervised objectives on top.

Its weights are named like a `FoundationModel`'s (`encoders.<modality>.…`, `fusion.…`) so that
`healthfm finetune --from RUN` copies them by name; the objectives' own layers sit under
`objectives.<name>.…` and are left behind. A saved pretraining model is a folder:
`model.safetensors` + `backbone.json` (d_model, encoders, fusion: the same keys as a `ModelConfig`)
+ `objectives.json`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, cast

import torch
import torch.distributed as dist
from safetensors.torch import load_file, save_file
from torch import nn

import healthfm.objectives  # noqa: F401  (registers the objectives)
from healthfm.errors import UsageError
from healthfm.fusion.base import Fusion
from healthfm.model import WEIGHTS_FILE, ComponentSpec, build_encoders, build_fusion
from healthfm.objectives.base import Objective, SharedView
from healthfm.registry import OBJECTIVES
from healthfm.schema import Batch, EncoderOutput, Modality, ModelOutput

BACKBONE_FILE = "backbone.json"
OBJECTIVES_FILE = "objectives.json"


@dataclass
class BackboneConfig:
    """The encoders and fusion of a model, without a task head."""

    d_model: int
    encoders: dict[str, ComponentSpec]
    fusion: ComponentSpec

    def __post_init__(self) -> None:
        if not self.encoders:
            raise ValueError("a backbone needs at least one encoder")
        for m in self.encoders:
            Modality(m)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        def spec(d: Mapping[str, Any]) -> ComponentSpec:
            return ComponentSpec(str(d["name"]), dict(d.get("config", {})))

        try:
            return cls(
                d_model=int(data["d_model"]),
                encoders={str(m): spec(e) for m, e in data["encoders"].items()},
                fusion=spec(data["fusion"]),
            )
        except KeyError as exc:
            raise ValueError(f"backbone config is missing {exc.args[0]!r}") from None


def build_objectives(
    specs: Mapping[str, Mapping[str, Any]], encoders: nn.ModuleDict, d_model: int
) -> nn.ModuleDict:
    objectives: dict[str, Objective] = {}
    for name, options in specs.items():
        cls = OBJECTIVES.get(name)
        assert isinstance(cls, type) and issubclass(cls, Objective)
        objectives[name] = cls(cls.config_class.from_dict(options), dict(encoders.items()), d_model)  # type: ignore[arg-type]
    return nn.ModuleDict(objectives)


class PretrainModel(nn.Module):
    """forward(batch) -> ModelOutput whose loss is the weighted sum of the objectives' losses; each
    objective's loss and metrics are in `extras` as `<objective>/<metric>`."""

    def __init__(self, backbone: BackboneConfig, objectives: Mapping[str, Mapping[str, Any]]) -> None:
        super().__init__()
        if not objectives:
            raise ValueError("pretraining needs at least one objective")
        self.backbone_config = backbone
        self.encoders = build_encoders(backbone.encoders, backbone.d_model)
        self.fusion: Fusion = build_fusion(backbone.fusion, backbone.d_model, list(backbone.encoders))
        self.objectives = build_objectives(objectives, self.encoders, backbone.d_model)

    @property
    def modalities(self) -> list[Modality]:
        return [Modality(m) for m in self.backbone_config.encoders]

    def named_objectives(self) -> list[tuple[str, Objective]]:
        return [(name, cast(Objective, obj)) for name, obj in self.objectives.items()]

    def objective_configs(self) -> dict[str, dict[str, Any]]:
        return {name: obj.config.to_dict() for name, obj in self.named_objectives()}

    def encode(self, inputs: Mapping[Modality, Any]) -> dict[Modality, EncoderOutput]:
        missing = [m.value for m in self.modalities if m not in inputs]
        if missing:
            raise KeyError(f"the batch has no {missing} input; the model was built with {self.modalities}")
        return {m: cast(EncoderOutput, self.encoders[m.value](inputs[m])) for m in self.modalities}

    def forward(self, batch: Batch) -> ModelOutput:
        inputs = dict(batch.inputs)
        targets = {name: obj.corrupt(inputs) for name, obj in self.named_objectives()}
        view = SharedView(batch, inputs, self.encode(inputs), self.encoders, self.fusion)
        total: torch.Tensor | None = None
        extras: dict[str, torch.Tensor] = {}
        for name, obj in self.named_objectives():
            result = obj.loss(view, targets[name])
            if result is None:
                continue
            loss, metrics = result
            extras[f"{name}/loss"] = loss.detach()
            extras |= {f"{name}/{k}": v for k, v in metrics.items()}
            weighted = obj.config.weight * loss
            total = weighted if total is None else total + weighted
        if total is None or (dist.is_available() and dist.is_initialized()):
            # every trainable parameter joins the graph: DDP all-reduces the same set on every rank
            # even when a batch holds nothing for some objective
            anchor = sum((p.sum() for p in self.parameters() if p.requires_grad), torch.zeros(()))
            total = anchor * 0.0 if total is None else total + anchor * 0.0
        return ModelOutput(logits=total.detach().reshape(1), loss=total, extras=extras)

    # ---------------------------------------------------------------- persistence

    def backbone_state(self) -> dict[str, torch.Tensor]:
        return {k: v for k, v in self.state_dict().items() if not k.startswith("objectives.")}

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().contiguous().cpu() for k, v in self.state_dict().items()}
        save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt", "healthfm": "PretrainModel"})
        (folder / BACKBONE_FILE).write_text(json.dumps(self.backbone_config.to_dict(), indent=2) + "\n")
        (folder / OBJECTIVES_FILE).write_text(json.dumps(self.objective_configs(), indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path, *, map_location: str | torch.device = "cpu") -> PretrainModel:
        folder = Path(folder)
        for name in (BACKBONE_FILE, OBJECTIVES_FILE, WEIGHTS_FILE):
            if not (folder / name).is_file():
                raise UsageError(f"{folder} is not a saved healthfm pretraining model (no {name})")
        try:
            backbone = BackboneConfig.from_dict(json.loads((folder / BACKBONE_FILE).read_text()))
            objectives = json.loads((folder / OBJECTIVES_FILE).read_text())
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read the pretraining model in {folder}: {exc}") from None
        model = cls(backbone, objectives)
        try:
            model.load_state_dict(load_file(str(folder / WEIGHTS_FILE), device=str(map_location)))
        except RuntimeError as exc:
            raise UsageError(f"weights in {folder / WEIGHTS_FILE} do not fit its config: {exc}") from None
        return model
