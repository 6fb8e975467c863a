"""Clinical notes through any Hugging Face encoder in a local folder (default: the packaged MiniLM).

The token states are mean-pooled in groups of `pool_stride` tokens to keep the fusion's sequence short,
then projected to d_model; pooled = the projected mean over all real tokens (MiniLM's sentence pooling).
When the backbone is fully frozen its outputs are cached per row in memory (never saved), so a note is
encoded once per run however many epochs see it.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Self

import torch
from torch import nn

from healthfm.encoders.base import Encoder, EncoderConfig, input_tensor
from healthfm.encoders.hf import resolve_text_model
from healthfm.errors import UsageError
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput


@dataclass(kw_only=True)
class TextConfig(EncoderConfig):
    model_dir: str | None = None  # a local Hugging Face folder; None = the packaged MiniLM
    freeze: str | int = "all"  # "all" | "none" | number of bottom layers frozen (with the embeddings)
    num_layers: int | None = None  # keep only the lower k transformer layers; None = all
    pool_stride: int = 16  # token states mean-pooled per fusion token
    cache_size: int = 4096  # rows kept by the frozen-backbone cache; 0 = no cache

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.freeze, bool) or not (
            self.freeze in ("all", "none") or (isinstance(self.freeze, int) and self.freeze >= 0)
        ):
            raise ValueError(f"freeze must be 'all', 'none' or a number of layers >= 0, got {self.freeze!r}")
        if self.num_layers is not None and self.num_layers < 1:
            raise ValueError(f"num_layers must be positive or None, got {self.num_layers}")
        if self.pool_stride < 1:
            raise ValueError(f"pool_stride must be positive, got {self.pool_stride}")
        if self.cache_size < 0:
            raise ValueError(f"cache_size must be >= 0, got {self.cache_size}")


def text_model_dir(config: TextConfig) -> Path:
    """The local folder holding the backbone and its tokenizer (the text processor loads the same one)."""
    return resolve_text_model(config.model_dir)


def _layer_list(model: nn.Module, n_layers: int) -> tuple[str, nn.ModuleList]:
    """The backbone's list of transformer layers (BERT: encoder.layer; others: the list of that length)."""
    for name, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) == n_layers:
            return name, module
    raise UsageError(f"cannot find the {n_layers} transformer layers of {type(model).__name__}")


def _group_mean(states: torch.Tensor, mask: torch.Tensor, stride: int) -> torch.Tensor:
    """(R, L, H) states, (R, L) mask -> (R, ceil(L / stride), H) masked means per group of `stride` tokens."""
    r, length, h = states.shape
    groups = -(-length // stride)
    pad = groups * stride - length
    w = nn.functional.pad(mask.to(states.dtype), (0, pad)).view(r, groups, stride, 1)
    s = nn.functional.pad(states, (0, 0, 0, pad)).view(r, groups, stride, h)
    return (s * w).sum(2) / w.sum(2).clamp_min(1.0)


@ENCODERS.register("text")
class TextEncoder(Encoder):
    """Tokens: one per group of `pool_stride` tokens (masked where the group has no real token)."""

    name: ClassVar[str] = "text"
    modality: ClassVar[Modality] = Modality.TEXT
    config_class: ClassVar[type[EncoderConfig]] = TextConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # MiniLM's first layer only (CPU latency), frozen and cached; 128 tokens -> 8 fusion tokens
        "small": {"model_dir": None, "freeze": "all", "num_layers": 1, "pool_stride": 16, "cache_size": 8192},
        # all six layers, the top two fine-tuned
        "base": {"model_dir": None, "freeze": 4, "num_layers": None, "pool_stride": 8, "cache_size": 0},
    }

    config: TextConfig

    def __init__(self, config: EncoderConfig) -> None:
        if not isinstance(config, TextConfig):
            raise TypeError(f"TextEncoder needs a TextConfig, got {type(config).__name__}")
        super().__init__(config)
        folder = text_model_dir(config)
        from transformers import AutoModel  # heavy: imported when a text encoder is built
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # healthfm shows its own progress; no per-load weight bars
        backbone = AutoModel.from_pretrained(str(folder), local_files_only=True)
        if getattr(backbone, "pooler", None) is not None:
            backbone.pooler = None  # unused: we pool ourselves
        n_layers = int(backbone.config.num_hidden_layers)
        parent, layers = _layer_list(backbone, n_layers)
        if config.num_layers is not None:
            if config.num_layers > n_layers:
                raise UsageError(
                    f"text: num_layers {config.num_layers} exceeds the model's {n_layers} layers"
                )
            layers = layers[: config.num_layers]
            owner, _, attr = parent.rpartition(".")
            setattr(backbone.get_submodule(owner) if owner else backbone, attr, layers)
            backbone.config.num_hidden_layers = config.num_layers
        self.backbone = backbone
        self._layers = list(layers)  # a plain list: the backbone owns (and saves) them
        self._freeze(config.freeze)
        self.proj = nn.Linear(int(backbone.config.hidden_size), config.d_model)
        self._cache: OrderedDict[bytes, torch.Tensor] = OrderedDict()
        self._cache_weights: tuple[int, ...] = ()
        self.train(self.training)  # from_pretrained returns the backbone in eval mode

    def _freeze(self, freeze: str | int) -> None:
        n = len(self._layers) if freeze == "all" else 0 if freeze == "none" else int(freeze)
        if n > len(self._layers):
            raise UsageError(f"text: freeze={n} layers but the backbone keeps {len(self._layers)}")
        if n == len(self._layers):
            self.backbone.requires_grad_(False)
        elif n > 0:  # the embeddings and the bottom n layers
            self.backbone.requires_grad_(False)
            for layer in self._layers[n:]:
                layer.requires_grad_(True)

    def backbone_frozen(self) -> bool:
        return not any(p.requires_grad for p in self.backbone.parameters())

    def train(self, mode: bool = True) -> Self:
        super().train(mode)
        if self.backbone_frozen():  # a frozen backbone never drops out: its features (and cache) are fixed
            self.backbone.eval()
        return self

    def freezable_layers(self) -> list[nn.Module]:
        return list(self._layers)

    def _encode(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """Rows with >= 1 real token -> (R, 1 + groups, H): the sentence mean, then the group means."""
        states = self.backbone(input_ids=ids, attention_mask=attention).last_hidden_state  # (R, L, H)
        w = attention.to(states.dtype).unsqueeze(-1)
        sentence = (states * w).sum(1) / w.sum(1).clamp_min(1.0)
        groups = _group_mean(states, attention, self.config.pool_stride)
        return torch.cat([sentence.unsqueeze(1), groups], dim=1)

    def _cached_encode(
        self, ids: torch.Tensor, attention: torch.Tensor, lengths: list[int]
    ) -> list[torch.Tensor]:
        """Per row, (1 + ceil(length / stride), H) from the cache, computing the rows it lacks."""
        # any change to the weights (load_state_dict, an optimiser step, .to()) bumps a tensor version
        weights = tuple(v for p in self.backbone.parameters() for v in (id(p), p._version))
        if weights != self._cache_weights:
            self._cache.clear()
            self._cache_weights = weights
        keys = [
            hashlib.blake2b(
                ids[i, :n].cpu().numpy().tobytes() + attention[i, :n].cpu().numpy().tobytes(), digest_size=16
            ).digest()
            for i, n in enumerate(lengths)
        ]
        missing = [i for i, k in enumerate(keys) if k not in self._cache]
        if missing:
            n = max(lengths[i] for i in missing)
            rows = torch.tensor(missing, device=ids.device)
            with torch.no_grad():
                out = self._encode(ids[rows, :n], attention[rows, :n]).float().cpu()
            for j, i in enumerate(missing):
                self._cache[keys[i]] = out[j, : 1 + -(-lengths[i] // self.config.pool_stride)].clone()
        results = []
        for k in keys:
            self._cache.move_to_end(k)
            results.append(self._cache[k])
        while len(self._cache) > self.config.cache_size:
            self._cache.popitem(last=False)
        return results

    def forward(self, inp: ModalityInput) -> EncoderOutput:
        ids = input_tensor(inp, "input_ids", self.name).long()
        attention = input_tensor(inp, "attention_mask", self.name).long()
        b, length = ids.shape
        stride = self.config.pool_stride
        groups = -(-length // stride)
        valid = attention.bool()
        group_mask = nn.functional.pad(valid, (0, groups * stride - length)).view(b, groups, stride).any(-1)
        # trailing padding is dropped before the backbone; rows without text are never encoded
        positions = torch.arange(1, length + 1, device=ids.device)
        lengths = (valid * positions).amax(dim=1).tolist() if length else [0] * b
        present = [i for i, n in enumerate(lengths) if n > 0]

        h = int(self.backbone.config.hidden_size)
        feats = torch.zeros(b, 1 + groups, h, device=ids.device, dtype=self.proj.weight.dtype)
        if present:
            frozen = self.backbone_frozen()
            if frozen and self.config.cache_size > 0:
                rows = self._cached_encode(ids[present], attention[present], [lengths[i] for i in present])
                for i, row in zip(present, rows, strict=True):
                    feats[i, : row.shape[0]] = row.to(feats)
            else:
                self._cache.clear()  # trainable weights would make it stale
                n = max(lengths)
                index = torch.tensor(present, device=ids.device)
                with torch.set_grad_enabled(torch.is_grad_enabled() and not frozen):
                    out = self._encode(ids[index, :n], attention[index, :n])  # (R, 1 + g, H)
                feats = feats.index_copy(
                    0, index, nn.functional.pad(out, (0, 0, 0, 1 + groups - out.shape[1])).to(feats.dtype)
                )

        has_text = torch.tensor([n > 0 for n in lengths], device=ids.device)
        tokens = self.proj(feats[:, 1:]) * group_mask.unsqueeze(-1).to(feats.dtype)  # (B, G, D)
        pooled = self.proj(feats[:, 0]) * has_text.unsqueeze(-1).to(feats.dtype)  # (B, D)
        return EncoderOutput(tokens=tokens, mask=group_mask, pooled=pooled)
