"""Multi-lead waveforms (ECG …): a strided 1-D convolutional stem cuts the signal into patches; a transformer.

Missing leads: the signal is multiplied by `lead_mask` before the stem and the mask itself is appended as
one constant input channel per lead, so the stem knows which leads are absent (a flat line is not the same
as no lead). In training, `lead_dropout` also hides random recorded leads (never all of them) so that every
lead subset is seen. Changing a masked lead's samples changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from healthfm.encoders.base import Encoder, EncoderConfig, Transformer, input_tensor
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput


@dataclass(kw_only=True)
class SignalConfig(EncoderConfig):
    n_leads: int = 12
    n_samples: int = 1000  # input length after the processor's resampling (10 s at 100 Hz)
    patch_size: int = 16  # samples per token: the stem's total stride
    stem_stride: int = 4  # stride of the first stem convolution; the second covers patch_size // stem_stride
    stem_channels: int = 64
    hidden_dim: int = 128
    num_layers: int = 2
    num_heads: int = 4
    mlp_ratio: float = 2.0
    dropout: float = 0.1
    lead_dropout: float = 0.1  # training only: chance to hide each recorded lead

    @property
    def n_patches(self) -> int:
        return -(-self.n_samples // self.stem_stride) // (self.patch_size // self.stem_stride)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_leads < 1:
            raise ValueError(f"n_leads must be positive, got {self.n_leads}")
        if self.stem_stride < 1 or self.patch_size % self.stem_stride:
            raise ValueError(
                f"patch_size {self.patch_size} must be a positive multiple of stem_stride {self.stem_stride}"
            )
        if self.n_samples < self.patch_size:
            raise ValueError(f"n_samples {self.n_samples} is shorter than one patch ({self.patch_size})")
        if self.stem_channels < 1 or self.hidden_dim < 1 or self.num_layers < 1 or self.num_heads < 1:
            raise ValueError("stem_channels, hidden_dim, num_layers and num_heads must be positive")
        if self.hidden_dim % self.num_heads:
            raise ValueError(f"hidden_dim {self.hidden_dim} is not divisible by num_heads {self.num_heads}")
        if self.mlp_ratio <= 0:
            raise ValueError(f"mlp_ratio must be positive, got {self.mlp_ratio}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if not 0.0 <= self.lead_dropout < 1.0:
            raise ValueError(f"lead_dropout must be in [0, 1), got {self.lead_dropout}")


class ConvStem(nn.Module):
    """(B, 2C, N) -> (B, N // patch_size, H): a strided conv, GELU, then a non-overlapping conv per patch."""

    def __init__(self, in_channels: int, stem_channels: int, dim: int, stride: int, patch_size: int) -> None:
        super().__init__()
        rest = patch_size // stride
        self.conv1 = nn.Conv1d(
            in_channels, stem_channels, kernel_size=2 * stride + 1, stride=stride, padding=stride
        )
        self.act = nn.GELU()
        self.conv2 = nn.Conv1d(stem_channels, dim, kernel_size=rest, stride=rest)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv2(self.act(self.conv1(x)))  # (B, H, P)
        out: torch.Tensor = self.norm(x.transpose(1, 2))
        return out


@ENCODERS.register("signal")
class SignalEncoder(Encoder):
    """Tokens: one per patch (mask all True); pooled: their mean."""

    name: ClassVar[str] = "signal"
    modality: ClassVar[Modality] = Modality.SIGNAL
    config_class: ClassVar[type[EncoderConfig]] = SignalConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # 10 s at 100 Hz -> 62 patches of 160 ms
        "small": {
            "n_samples": 1000,
            "patch_size": 16,
            "stem_stride": 4,
            "stem_channels": 64,
            "hidden_dim": 128,
            "num_layers": 2,
            "num_heads": 4,
            "mlp_ratio": 2.0,
            "dropout": 0.0,
        },
        # 10 s at 250 Hz -> 125 patches of 80 ms
        "base": {
            "n_samples": 2500,
            "patch_size": 20,
            "stem_stride": 5,
            "stem_channels": 128,
            "hidden_dim": 256,
            "num_layers": 4,
            "num_heads": 8,
            "mlp_ratio": 4.0,
        },
    }

    config: SignalConfig

    def __init__(self, config: EncoderConfig) -> None:
        if not isinstance(config, SignalConfig):
            raise TypeError(f"SignalEncoder needs a SignalConfig, got {type(config).__name__}")
        super().__init__(config)
        h = config.hidden_dim
        self.stem = ConvStem(
            2 * config.n_leads, config.stem_channels, h, config.stem_stride, config.patch_size
        )
        self.position = nn.Parameter(torch.randn(1, config.n_patches, h) * 0.02)
        self.drop = nn.Dropout(config.dropout)
        self.transformer = Transformer(
            h, config.num_layers, config.num_heads, config.mlp_ratio, config.dropout
        )
        self.out = nn.Linear(h, config.d_model) if h != config.d_model else nn.Identity()

    def forward(self, inp: ModalityInput) -> EncoderOutput:
        cfg = self.config
        signal = input_tensor(inp, "signal", self.name)
        lead_mask = input_tensor(inp, "lead_mask", self.name).bool()
        if tuple(signal.shape[1:]) != (cfg.n_leads, cfg.n_samples):
            raise ValueError(
                f"signal: expected (B, {cfg.n_leads}, {cfg.n_samples}) (leads x samples), "
                f"got {tuple(signal.shape)}"
            )
        if self.training and cfg.lead_dropout > 0:
            kept = lead_mask & (torch.rand(lead_mask.shape, device=lead_mask.device) >= cfg.lead_dropout)
            lead_mask = torch.where(kept.any(dim=1, keepdim=True), kept, lead_mask)  # never hide every lead
        m = lead_mask.unsqueeze(-1)  # (B, C, 1)
        x = torch.cat(
            [signal.masked_fill(~m, 0.0), m.to(signal.dtype).expand_as(signal)], dim=1
        )  # (B, 2C, N)
        x = self.transformer(self.drop(self.stem(x) + self.position))  # (B, P, H)
        tokens = self.out(x)
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=tokens.mean(dim=1))

    def freezable_layers(self) -> list[nn.Module]:
        return list(self.transformer.layers)
