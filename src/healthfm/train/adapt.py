"""How `finetune --from RUN` adapts a pretrained backbone: `--mode` full, linear_probe, llrd or lora, plus
a compact model (`keep_layers`) and few-shot training (`shots`). Every mode also runs from scratch.

With --from, the encoders and fusion are built as the source saved them (its `backbone.json` or
`model.json`), so every pretrained tensor fits. A LoRA run also writes `RUN/adapter/`: the adapter
weights and the base they apply to; `RUN/best/` holds the merged model, served like any other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from safetensors.torch import load_file, save_file
from torch import nn

from healthfm.encoders.base import Encoder
from healthfm.errors import UsageError
from healthfm.fusion.base import Fusion
from healthfm.model import CONFIG_FILE, WEIGHTS_FILE, ComponentSpec, FoundationModel, ModelConfig
from healthfm.registry import ENCODERS, FUSIONS, Registry
from healthfm.schema import Modality, Sample
from healthfm.train.loop import parameter_groups
from healthfm.train.runs import load_pretrained, pretrained_weights, source_backbone

if TYPE_CHECKING:
    from healthfm.train.finetune import FinetuneConfig

MODES = ("full", "linear_probe", "llrd", "lora")
# the attention projections: in healthfm's transformer blocks (qkv, proj) and in BERT (query, key, value)
DEFAULT_LORA_TARGETS = ("qkv", "proj", "query", "key", "value")
ADAPTER_DIR = "adapter"
ADAPTER_WEIGHTS = "adapter.safetensors"
ADAPTER_CONFIG = "adapter.json"


# ---------------------------------------------------------------- architecture and data


def inherit_backbone(
    model_config: ModelConfig, source: Path, config: FinetuneConfig, processors: Mapping[Modality, Any]
) -> ModelConfig:
    """`model_config` with the source's d_model, encoders (for the selected modalities) and fusion in
    place of the preset's. On top: what the processors dictate (vocabulary, image size: the source's own
    when its processors were reused), the run's explicit encoder/fusion options and modality dropout."""
    backbone = source_backbone(source)
    missing = [m for m in config.modalities if m not in backbone["encoders"]]
    if missing:
        raise UsageError(
            f"--from {source}: its backbone has no {missing} encoder; drop them from --modalities"
        )
    encoders = {
        m: _spec(
            ENCODERS,
            backbone["encoders"][m],
            {**processors[Modality(m)].encoder_options(), **config.encoder_options.get(m, {})},
        )
        for m in config.modalities
    }
    fusion_options = {"modality_dropout": config.modality_dropout, **config.fusion_options}
    source_fusion = backbone["fusion"]
    if str(source_fusion.get("name", "attention")) == config.fusion:
        fusion = _spec(FUSIONS, source_fusion, fusion_options)
    else:  # another fusion on the pretrained encoders (early / late baselines): built as configured
        fusion = model_config.fusion
    return dataclasses.replace(model_config, d_model=backbone["d_model"], encoders=encoders, fusion=fusion)


def _defaults(registry: Registry[object], name: str) -> dict[str, Any]:
    """Each option of a registered encoder's or fusion's config, with its default."""
    cls = registry.get(name)
    assert isinstance(cls, type) and issubclass(cls, Encoder | Fusion)
    return {f.name: f.default for f in dataclasses.fields(cls.config_class)}


def _spec(
    registry: Registry[object], saved: Mapping[str, Any], overrides: Mapping[str, Any]
) -> ComponentSpec:
    name = str(saved["name"])
    # d_model and the modalities come from the model itself, options another component lacks are dropped
    known = set(_defaults(registry, name)) - {"d_model", "modalities"}
    options = {**saved.get("config", {}), **overrides}
    return ComponentSpec(name, {k: v for k, v in options.items() if k in known})


def compact(model_config: ModelConfig, k: int) -> ModelConfig:
    """Every transformer (encoders and the attention fusion) keeps only its lower `k` layers; their
    pretrained tensors keep their names, so layers 0..k-1 still load."""
    encoders = {m: ComponentSpec(s.name, _cut(ENCODERS, s, k)) for m, s in model_config.encoders.items()}
    fusion = ComponentSpec(model_config.fusion.name, _cut(FUSIONS, model_config.fusion, k))
    return dataclasses.replace(model_config, encoders=encoders, fusion=fusion)


def _cut(registry: Registry[object], spec: ComponentSpec, k: int) -> dict[str, Any]:
    defaults = _defaults(registry, spec.name)
    config = dict(spec.config)
    if "num_layers" not in defaults or (
        spec.name == "image" and config.get("arch", defaults["arch"]) != "vit"
    ):
        return config  # no transformer layers (early/late fusion, the image CNNs)
    n = config.get("num_layers", defaults["num_layers"])
    config["num_layers"] = min(k, n if n is not None else _text_depth(config))
    if isinstance(config.get("freeze"), int):  # the text encoder's frozen bottom layers
        config["freeze"] = min(config["freeze"], config["num_layers"])
    return config


def _text_depth(config: Mapping[str, Any]) -> int:
    """All the layers of the text encoder's Hugging Face model (its num_layers=None)."""
    from transformers import AutoConfig

    from healthfm.encoders.text import TextConfig, text_model_dir

    folder = text_model_dir(TextConfig(model_dir=config.get("model_dir")))
    return int(AutoConfig.from_pretrained(str(folder), local_files_only=True).num_hidden_layers)


def few_shot(samples: Sequence[Sample], k: int, seed: int, kind: str) -> list[Sample]:
    """All the samples of `k` patients per class, drawn with `seed` (a patient's class: its first label)."""
    if kind not in ("binary", "multiclass"):
        raise UsageError(f"shots needs a binary or multiclass task, not a {kind} one; use train_fraction")
    first: dict[int, int] = {}
    for s in sorted(samples, key=lambda s: s.prediction_time):
        first.setdefault(s.subject_id, int(s.label))  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)
    keep: set[int] = set()
    for c in sorted(set(first.values())):
        patients = sorted(p for p, label in first.items() if label == c)
        keep |= {int(p) for p in rng.choice(patients, min(k, len(patients)), replace=False)}
    return [s for s in samples if s.subject_id in keep]


# ---------------------------------------------------------------- modes


class LinearProbeModel(FoundationModel):
    """Encoders and fusion frozen and kept in eval mode while the head trains, so no dropout, modality
    dropout or batch-norm statistics move under the probe. Saves as a plain `FoundationModel`."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__(config)
        self.encoders.requires_grad_(False)
        self.fusion.requires_grad_(False)

    def train(self, mode: bool = True) -> Self:
        super().train(mode)
        self.encoders.eval()
        self.fusion.eval()
        return self


def llrd_groups(model: FoundationModel, lr: float, decay: float, weight_decay: float) -> list[dict[str, Any]]:
    """Optimiser groups at lr × decay^depth, depth counted down from the top: head and fusion 0, each
    encoder's layers 1, 2, … top-down, its other parameters (embeddings, stems, output projection) deepest.
    The loop's no-weight-decay rule (biases, norms) is kept; frozen parameters are left out."""
    depth: dict[int, int] = {}
    for encoder in model.encoders.values():
        assert isinstance(encoder, Encoder)
        layers = encoder.freezable_layers()
        depth |= {id(p): len(layers) + 1 for p in encoder.parameters()}
        for d, layer in enumerate(reversed(layers), start=1):
            depth |= {id(p): d for p in layer.parameters()}
    groups: list[dict[str, Any]] = []
    for base in parameter_groups(model, weight_decay):
        by_depth: dict[int, list[nn.Parameter]] = {}
        for p in base["params"]:
            by_depth.setdefault(depth.get(id(p), 0), []).append(p)
        groups += [{**base, "params": ps, "lr": lr * decay**d, "depth": d} for d, ps in by_depth.items()]
    return sorted(groups, key=lambda g: int(g["depth"]))


@dataclass(frozen=True)
class LoraSpec:
    """LoRA adapters on `targets`: Linear layers named under `FoundationModel.encoders`."""

    rank: int
    alpha: int
    dropout: float
    targets: tuple[str, ...]

    @classmethod
    def find(
        cls, model: FoundationModel, names: Sequence[str], rank: int, alpha: int, dropout: float
    ) -> Self:
        """Targets: the Linear layers inside the encoders' layers (`freezable_layers`) called one of `names`
        that the encoder's own config leaves trainable (a frozen text backbone gets no adapters)."""
        wanted = set(names)
        full_name = {id(module): name for name, module in model.encoders.named_modules()}
        targets = [
            full_name[id(module)]
            for encoder in model.encoders.values()
            if isinstance(encoder, Encoder)
            for layer in encoder.freezable_layers()
            for module in layer.modules()
            if isinstance(module, nn.Linear)
            and full_name[id(module)].rpartition(".")[2] in wanted
            and module.weight.requires_grad
        ]
        if not targets:
            raise UsageError(
                f"--mode lora: no trainable Linear layer named {sorted(wanted)} inside the encoders' layers "
                f"({', '.join(model.encoders)}); set lora_targets, or unfreeze the text encoder"
            )
        return cls(rank, alpha, dropout, tuple(targets))

    def inject(self, model: FoundationModel) -> None:
        """Wrap the targets with adapters (B = 0: the model's outputs are unchanged) and freeze every other
        encoder weight; the fusion and the head stay as they were (trainable)."""
        from peft import LoraConfig, inject_adapter_in_model

        config = LoraConfig(
            r=self.rank, lora_alpha=self.alpha, lora_dropout=self.dropout, target_modules=list(self.targets)
        )
        inject_adapter_in_model(config, model.encoders)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "targets": list(self.targets)}


def _plain(name: str) -> str:
    """A tensor's name in the plain model (peft moves a wrapped layer's weights under `base_layer`)."""
    return name.replace(".base_layer.", ".")


def merge_lora(model: FoundationModel) -> FoundationModel:
    """A plain `FoundationModel` (on the CPU) whose targets hold W + B·A·alpha/rank."""
    from peft.tuners.lora import Linear as LoraLinear

    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    for name, module in model.encoders.named_modules():
        if isinstance(module, LoraLinear):
            state[f"encoders.{name}.base_layer.weight"] += module.get_delta_weight("default").detach().cpu()
    plain = FoundationModel(model.config)
    plain.load_state_dict({_plain(k): v for k, v in state.items() if ".lora_" not in k})
    return plain


def save_injected(model: nn.Module, folder: Path) -> None:
    """The loop's `save_best` under LoRA: the adapter-injected state, names and all, which the loop loads
    back into the same injected model (at the end, and on --resume); `finish` then merges best/."""
    assert isinstance(model, FoundationModel)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    save_file(
        state, str(folder / WEIGHTS_FILE), metadata={"format": "pt", "healthfm": "FoundationModel+LoRA"}
    )
    model.config.to_file(folder / CONFIG_FILE)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def save_adapter(
    model: FoundationModel, folder: Path, lora: LoraSpec, base: Path | None, loaded: Sequence[str]
) -> None:
    """`adapter.safetensors`: every tensor but the frozen ones taken from the base (so LoRA weights, fusion,
    head, buffers); `adapter.json`: the model config, the LoRA settings and the base weights they need."""
    frozen = {_plain(n) for n, p in model.named_parameters() if not p.requires_grad}
    from_base = sorted(set(loaded) & frozen)
    tensors = {
        k: v.detach().contiguous().cpu() for k, v in model.state_dict().items() if _plain(k) not in from_base
    }
    folder.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(folder / ADAPTER_WEIGHTS), metadata={"format": "pt", "healthfm": "LoRA adapter"})
    meta = {
        "base": str(base.resolve()) if base is not None else None,
        "base_sha256": _sha256(base) if base is not None else None,
        "lora": lora.to_dict(),
        "from_base": from_base,
        "model": model.config.to_dict(),
    }
    (folder / ADAPTER_CONFIG).write_text(json.dumps(meta, indent=2) + "\n")


def load_adapter(base_folder: Path | None, adapter_folder: Path) -> FoundationModel:
    """The merged model from a base (model or run folder; None when the adapter was trained from scratch)
    and an adapter folder: the same predictions as the LoRA run's best/."""
    adapter_folder = Path(adapter_folder)
    try:
        meta = json.loads((adapter_folder / ADAPTER_CONFIG).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"{adapter_folder} is not a healthfm adapter: {exc}") from None
    model = FoundationModel(ModelConfig.from_dict(meta["model"]))
    from_base = set(meta["from_base"])
    if from_base:
        if base_folder is None:
            raise UsageError(f"the adapter in {adapter_folder} needs its base model ({meta['base']})")
        weights = pretrained_weights(Path(base_folder))
        if meta["base_sha256"] and _sha256(weights) != meta["base_sha256"]:
            raise UsageError(f"{weights} is not the base the adapter in {adapter_folder} was trained on")
        if from_base - set(load_pretrained(model, Path(base_folder))):
            raise UsageError(f"{weights} lacks tensors the adapter in {adapter_folder} needs")
    lora = meta["lora"]
    LoraSpec(lora["rank"], lora["alpha"], lora["dropout"], tuple(lora["targets"])).inject(model)
    missing, unexpected = model.load_state_dict(
        load_file(str(adapter_folder / ADAPTER_WEIGHTS)), strict=False
    )
    uncovered = sorted(k for k in missing if _plain(k) not in from_base)
    if unexpected or uncovered:
        raise UsageError(
            f"the adapter in {adapter_folder} does not fit its model: "
            f"missing {uncovered[:5]}, unexpected {sorted(unexpected)[:5]}"
        )
    return merge_lora(model)


# ---------------------------------------------------------------- one call for finetune


@dataclass
class Adaptation:
    """A model ready for the loop in the chosen mode, what the loop needs for it, and the finishing step."""

    model: FoundationModel
    loaded: list[str] = field(default_factory=list)  # tensors copied from --from
    left_at_init: list[str] | None = None  # with --from: encoder and fusion tensors it did not hold
    param_groups: list[dict[str, Any]] | None = None  # None = the loop's (every trainable tensor, one lr)
    save_best: Callable[[nn.Module, Path], None] | None = None
    lora: LoraSpec | None = None
    base: Path | None = None  # the pretrained weights file

    def finish(self, out: Path) -> FoundationModel:
        """After training: the model to evaluate and serve. LoRA turns the run's best/ (written injected)
        into `adapter/` and a merged plain model; run again (after --resume), it changes nothing merged."""
        if self.lora is None:
            return self.model
        best = out / "best"
        if (best / WEIGHTS_FILE).is_file():
            state = load_file(str(best / WEIGHTS_FILE))
            if not any(".lora_" in k for k in state):
                return FoundationModel.load(best)
            self.model.load_state_dict(state)
        save_adapter(self.model, out / ADAPTER_DIR, self.lora, self.base, self.loaded)
        merged = merge_lora(self.model)
        merged.save(best)
        return merged


def prepare(
    model_config: ModelConfig,
    config: FinetuneConfig,
    processors: Mapping[Modality, Any],
    init_from: Path | None,
    say: Callable[[str], None],
) -> Adaptation:
    """Build the model for `config.mode` (the source's backbone with --from, cut to keep_layers), load the
    pretrained tensors and set up what trains."""
    if init_from is not None:
        model_config = inherit_backbone(model_config, init_from, config, processors)
    if config.keep_layers is not None:
        model_config = compact(model_config, config.keep_layers)
    model = (LinearProbeModel if config.mode == "linear_probe" else FoundationModel)(model_config)
    adaptation = Adaptation(model)
    if init_from is not None:
        adaptation.loaded = load_pretrained(model, init_from)
        adaptation.base = pretrained_weights(init_from)
        loaded = set(adaptation.loaded)
        adaptation.left_at_init = [
            k for k in model.state_dict() if k not in loaded and not k.startswith("head.")
        ]
        say(f"initialised {len(loaded)} tensors from {init_from}")
        if adaptation.left_at_init:
            say(f"{len(adaptation.left_at_init)} tensors start from scratch: {adaptation.left_at_init[:3]} …")
    elif config.mode in ("linear_probe", "lora"):
        frozen = (
            "encoders and fusion" if config.mode == "linear_probe" else "encoder weights under the adapters"
        )
        say(f"--mode {config.mode} without --from: the backbone is random, and its {frozen} stay frozen")
    if config.mode == "llrd":
        adaptation.param_groups = llrd_groups(
            model, config.train.lr, config.llrd_decay, config.train.weight_decay
        )
    elif config.mode == "lora":
        targets = config.lora_targets or DEFAULT_LORA_TARGETS
        lora = LoraSpec.find(model, targets, config.lora_rank, config.lora_alpha, config.lora_dropout)
        lora.inject(model)
        adaptation.lora, adaptation.save_best = lora, save_injected
    return adaptation
