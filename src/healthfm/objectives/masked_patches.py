"""Masked patch reconstruction for signals and images (SimMIM-style masked autoencoding).

A share of the input's patches is set to zero (the inputs are normalised, so zero is the mean) and the
encoder's token over each masked patch reconstructs it through a small decoder; the loss is the mean
squared error over masked patches only. Unlike MAE the encoder sees the masked positions as zeros rather
than dropping them: our encoders are convolutional stems and CNNs as well as transformers, and the
same encoder must serve fine-tuning unchanged.

- signals: spans of `span` consecutive patches (one patch = one encoder token = `patch_size` samples)
  are hidden across all leads; only recorded leads count in the loss.
- images: the regions under the encoder's token grid (CNN feature map cells or ViT patches) are hidden.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from healthfm.encoders.base import Encoder
from healthfm.objectives.base import Inputs, LossResult, Objective, ObjectiveConfig, SharedView, uniform
from healthfm.registry import OBJECTIVES
from healthfm.schema import Modality, ModalityInput


@dataclass
class MaskedPatchConfig(ObjectiveConfig):
    mask_ratio: float = 0.5
    span: int = 4  # signals: consecutive patches hidden together (a masked stretch, not isolated beats)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.mask_ratio < 1:
            raise ValueError(f"mask_ratio must be in (0, 1), got {self.mask_ratio}")
        if self.span < 1:
            raise ValueError(f"span must be >= 1, got {self.span}")


def _decoder(d: int, out: int) -> nn.Module:
    return nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, out))


def _masked_mse(pred: torch.Tensor, target: torch.Tensor, selected: torch.Tensor) -> torch.Tensor:
    """Mean squared error over the selected (B,T) patches of (B,T,K) predictions."""
    err = (pred - target).pow(2).mean(-1)  # (B,T)
    return err[selected].mean()


@OBJECTIVES.register("masked_signal")
class MaskedSignal(Objective):
    name = "masked_signal"
    config_class = MaskedPatchConfig
    modalities = (Modality.SIGNAL,)
    config: MaskedPatchConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        cfg: Any = encoders["signal"].config
        self.n_leads, self.patch, self.n_patches = int(cfg.n_leads), int(cfg.patch_size), int(cfg.n_patches)
        self.decoder = _decoder(d_model, self.n_leads * self.patch)

    def corrupt(self, inputs: Inputs) -> Any:
        inp = inputs.get(Modality.SIGNAL)
        if inp is None:
            return None
        signal = inp.values["signal"]  # (B, C, N)
        b, _, n = signal.shape
        spans = -(-self.n_patches // self.config.span)
        hidden = uniform((b, spans), signal) < self.config.mask_ratio
        patches = hidden.repeat_interleave(self.config.span, dim=1)[:, : self.n_patches]  # (B, P)
        samples = patches.repeat_interleave(self.patch, dim=1)  # (B, P * patch) <= N
        samples = nn.functional.pad(samples, (0, n - samples.shape[1]))
        inputs[Modality.SIGNAL] = ModalityInput(
            {**inp.values, "signal": signal.masked_fill(samples.unsqueeze(1), 0.0)}, inp.mask
        )
        return patches, signal, inp.values["lead_mask"].bool(), inp.mask.bool()

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        if targets is None:
            return None
        patches, signal, lead_mask, rows = targets
        selected = patches & rows.unsqueeze(1)
        if not bool(selected.any()):
            return None
        b, c, _ = signal.shape
        p, k = self.n_patches, self.patch
        tokens = view.outputs[Modality.SIGNAL].tokens  # (B, P, D)
        pred = self.decoder(tokens).view(b, p, c, k)
        target = signal[..., : p * k].reshape(b, c, p, k).transpose(1, 2)  # (B, P, C, k)
        leads = lead_mask.to(pred.dtype).view(b, 1, c, 1)
        err = ((pred - target).pow(2) * leads).sum((2, 3)) / (leads.sum((2, 3)) * k).clamp_min(1.0)
        loss = err[selected].mean()
        return loss, {"mse": loss.detach()}


def _token_grid(encoder: Encoder) -> tuple[int, ...]:
    """The image encoder's token grid: ViT patches, or the CNN's last feature map (one dry run)."""
    cfg: Any = encoder.config
    if cfg.arch == "vit":
        return tuple(int(s) // int(cfg.patch_size) for s in cfg.img_size)
    backbone: nn.Module = encoder.get_submodule("backbone")
    was = backbone.training
    backbone.eval()
    with torch.no_grad():
        fmap = backbone(torch.zeros(1, cfg.in_channels, *cfg.img_size))
    backbone.train(was)
    return tuple(int(s) for s in fmap.shape[2:])


def to_regions(x: torch.Tensor, grid: tuple[int, ...], region: tuple[int, ...]) -> torch.Tensor:
    """(B, C, *S) -> (B, prod(grid), C * prod(region)), regions in the encoder's token order."""
    b, c = x.shape[:2]
    nd = len(grid)
    shape = [b, c]
    for g, r in zip(grid, region, strict=True):
        shape += [g, r]
    perm = [0, *(2 + 2 * i for i in range(nd)), 1, *(3 + 2 * i for i in range(nd))]
    return x.reshape(shape).permute(perm).reshape(b, math.prod(grid), c * math.prod(region))


@OBJECTIVES.register("masked_image")
class MaskedImage(Objective):
    name = "masked_image"
    config_class = MaskedPatchConfig
    modalities = (Modality.IMAGE,)
    config: MaskedPatchConfig

    def __init__(self, config: ObjectiveConfig, encoders: Mapping[str, Encoder], d_model: int) -> None:
        super().__init__(config, encoders, d_model)
        cfg: Any = encoders["image"].config
        size = tuple(int(s) for s in cfg.img_size)
        self.grid = _token_grid(encoders["image"])
        if any(s % g for s, g in zip(size, self.grid, strict=True)):
            raise ValueError(
                f"masked_image: image size {size} is not a multiple of the token grid {self.grid}"
            )
        self.region = tuple(s // g for s, g in zip(size, self.grid, strict=True))
        self.channels = int(cfg.in_channels)
        self.decoder = _decoder(d_model, self.channels * math.prod(self.region))

    def corrupt(self, inputs: Inputs) -> Any:
        inp = inputs.get(Modality.IMAGE)
        if inp is None:
            return None
        pixels = inp.values["pixels"]  # (B, C, *S)
        b = pixels.shape[0]
        hidden = uniform((b, *self.grid), pixels) < self.config.mask_ratio  # (B, *grid)
        full = hidden
        for dim, r in enumerate(self.region):
            full = full.repeat_interleave(r, dim=dim + 1)
        inputs[Modality.IMAGE] = ModalityInput(
            {**inp.values, "pixels": pixels.masked_fill(full.unsqueeze(1), 0.0)}, inp.mask
        )
        return hidden.reshape(b, -1), pixels, inp.mask.bool()

    def loss(self, view: SharedView, targets: Any) -> LossResult:
        if targets is None:
            return None
        hidden, pixels, rows = targets
        selected = hidden & rows.unsqueeze(1)
        if not bool(selected.any()):
            return None
        pred = self.decoder(view.outputs[Modality.IMAGE].tokens)  # (B, T, C * prod(region))
        loss = _masked_mse(pred, to_regions(pixels, self.grid, self.region), selected)
        return loss, {"mse": loss.detach()}
