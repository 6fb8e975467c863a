"""2-D and 3-D images through MONAI networks: a ResNet or DenseNet feature map, or ViT patch tokens.

CNNs: each position of the last feature map is one token (projected to d_model, plus a learned position
embedding). ViT: MONAI's patch embedding, then healthfm's transformer; its patch tokens. Pooled = the mean
of the tokens. The CNNs use batch norm, so in training a row's output depends on its batch (absent rows are
zeros); evaluation is per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from healthfm.encoders.base import Encoder, EncoderConfig, Transformer, input_tensor
from healthfm.registry import ENCODERS
from healthfm.schema import EncoderOutput, Modality, ModalityInput

ARCHS = ("resnet", "densenet", "vit")


@dataclass(kw_only=True)
class ImageConfig(EncoderConfig):
    arch: str = "resnet"  # "resnet" | "densenet" | "vit"
    spatial_dims: int = 2
    in_channels: int = 1
    img_size: tuple[int, ...] = (128, 128)  # the processor resizes every image to this
    # resnet
    widths: tuple[int, ...] = (16, 32, 64, 128)  # channels of the four stages
    depths: tuple[int, ...] = (1, 1, 1, 1)  # blocks per stage (densenet: layers per dense block)
    stem_stride: int = 2
    max_pool: bool = True
    # densenet
    init_features: int = 64
    growth_rate: int = 32
    # vit
    patch_size: int = 16
    hidden_dim: int = 128
    num_layers: int = 4
    num_heads: int = 4
    mlp_ratio: float = 4.0
    dropout: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        self.img_size = tuple(int(s) for s in self.img_size)
        self.widths = tuple(int(w) for w in self.widths)
        self.depths = tuple(int(d) for d in self.depths)
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be one of {ARCHS}, got {self.arch!r}")
        if self.spatial_dims not in (2, 3):
            raise ValueError(f"spatial_dims must be 2 or 3, got {self.spatial_dims}")
        if len(self.img_size) != self.spatial_dims or min(self.img_size) < 1:
            raise ValueError(f"img_size {self.img_size} must hold {self.spatial_dims} positive sizes")
        if self.in_channels < 1:
            raise ValueError(f"in_channels must be positive, got {self.in_channels}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.arch == "resnet" and (len(self.widths) != 4 or len(self.depths) != 4):
            raise ValueError(f"resnet needs 4 widths and 4 depths, got {self.widths} and {self.depths}")
        if min(self.widths, default=0) < 1 or min(self.depths, default=0) < 1 or self.stem_stride < 1:
            raise ValueError("widths, depths and stem_stride must be positive")
        if self.init_features < 1 or self.growth_rate < 1:
            raise ValueError("init_features and growth_rate must be positive")
        if self.arch == "vit":
            if any(s % self.patch_size for s in self.img_size):
                raise ValueError(f"img_size {self.img_size} is not divisible by patch_size {self.patch_size}")
            if self.hidden_dim % self.num_heads:
                raise ValueError(
                    f"hidden_dim {self.hidden_dim} is not divisible by num_heads {self.num_heads}"
                )


def _resnet_stages(cfg: ImageConfig) -> nn.Sequential:
    from monai.networks.nets.resnet import ResNet  # heavy: imported when an image encoder is built

    net = ResNet(
        block="basic",
        layers=list(cfg.depths),
        block_inplanes=list(cfg.widths),
        spatial_dims=cfg.spatial_dims,
        n_input_channels=cfg.in_channels,
        conv1_t_stride=cfg.stem_stride,
        no_max_pool=not cfg.max_pool,
        feed_forward=False,
    )
    stem = nn.Sequential(net.conv1, net.bn1, net.act, *([net.maxpool] if cfg.max_pool else []))
    return nn.Sequential(stem, net.layer1, net.layer2, net.layer3, net.layer4)


def _densenet_stages(cfg: ImageConfig) -> nn.Sequential:
    from monai.networks.nets.densenet import DenseNet

    net = DenseNet(
        spatial_dims=cfg.spatial_dims,
        in_channels=cfg.in_channels,
        out_channels=1,
        init_features=cfg.init_features,
        growth_rate=cfg.growth_rate,
        block_config=cfg.depths,
        dropout_prob=cfg.dropout,
    )
    # group `features` (conv0 norm0 relu0 pool0 denseblock1 transition1 … denseblockN norm5) into stages;
    # the classifier is dropped, its leading ReLU kept
    stages: list[list[nn.Module]] = [[]]
    for name, module in net.features.named_children():
        if name.startswith("denseblock"):
            stages.append([])
        stages[-1].append(module)
    stages[-1].append(nn.ReLU())
    return nn.Sequential(*(nn.Sequential(*s) for s in stages))


@ENCODERS.register("image")
class ImageEncoder(Encoder):
    """Tokens: feature-map positions (CNN) or patches (ViT), mask all True; pooled: their mean."""

    name: ClassVar[str] = "image"
    modality: ClassVar[Modality] = Modality.IMAGE
    config_class: ClassVar[type[EncoderConfig]] = ImageConfig
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # a light ResNet-10 at 128x128: 4x4 = 16 tokens
        "small": {
            "arch": "resnet",
            "img_size": (128, 128),
            "widths": (16, 32, 64, 128),
            "depths": (1, 1, 1, 1),
        },
        # DenseNet-121 at 256x256: 8x8 = 64 tokens
        "base": {
            "arch": "densenet",
            "img_size": (256, 256),
            "depths": (6, 12, 24, 16),
            "init_features": 64,
            "growth_rate": 32,
        },
        # a small ViT at 128x128 with 16x16 patches: 64 tokens
        "vit": {
            "arch": "vit",
            "img_size": (128, 128),
            "patch_size": 16,
            "hidden_dim": 192,
            "num_layers": 4,
            "num_heads": 4,
            "mlp_ratio": 4.0,
        },
    }

    config: ImageConfig

    def __init__(self, config: EncoderConfig) -> None:
        if not isinstance(config, ImageConfig):
            raise TypeError(f"ImageEncoder needs an ImageConfig, got {type(config).__name__}")
        super().__init__(config)
        cfg = config
        if cfg.arch == "vit":
            # MONAI's ViT needs einops (not a dependency); its conv patch embedding does not, and our
            # transformer has plain Linear layers that LoRA can wrap
            from monai.networks.blocks.patchembedding import PatchEmbeddingBlock

            self.backbone: nn.Module = nn.Sequential(
                PatchEmbeddingBlock(
                    in_channels=cfg.in_channels,
                    img_size=cfg.img_size,
                    patch_size=cfg.patch_size,
                    hidden_size=cfg.hidden_dim,
                    num_heads=cfg.num_heads,
                    proj_type="conv",
                    pos_embed_type="learnable",
                    dropout_rate=cfg.dropout,
                    spatial_dims=cfg.spatial_dims,
                ),
                Transformer(cfg.hidden_dim, cfg.num_layers, cfg.num_heads, cfg.mlp_ratio, cfg.dropout),
            )
            self.out: nn.Module = (
                nn.Linear(cfg.hidden_dim, cfg.d_model) if cfg.hidden_dim != cfg.d_model else nn.Identity()
            )
        else:
            self.backbone = _resnet_stages(cfg) if cfg.arch == "resnet" else _densenet_stages(cfg)
            channels, n_tokens = self._feature_shape()
            self.out = nn.Linear(channels, cfg.d_model)
            self.position = nn.Parameter(torch.randn(1, n_tokens, cfg.d_model) * 0.02)

    @torch.no_grad()
    def _feature_shape(self) -> tuple[int, int]:
        """Channels and positions of the CNN's last feature map, from one dry run in eval mode."""
        was_training = self.backbone.training
        self.backbone.eval()
        x = torch.zeros(1, self.config.in_channels, *self.config.img_size)
        fmap = self.backbone(x)
        self.backbone.train(was_training)
        return int(fmap.shape[1]), int(fmap[0, 0].numel())

    def forward(self, inp: ModalityInput) -> EncoderOutput:
        cfg = self.config
        pixels = input_tensor(inp, "pixels", self.name)
        expected = (cfg.in_channels, *cfg.img_size)
        if tuple(pixels.shape[1:]) != expected:
            raise ValueError(
                f"image: expected pixels (B, {', '.join(map(str, expected))}), got {tuple(pixels.shape)}"
            )
        if cfg.arch == "vit":
            tokens = self.out(self.backbone(pixels))  # (B, P, D)
        else:
            fmap = self.backbone(pixels)  # (B, C, *grid)
            tokens = self.out(fmap.flatten(2).transpose(1, 2)) + self.position  # (B, T, D)
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=tokens.mean(dim=1))

    def freezable_layers(self) -> list[nn.Module]:
        """CNN: the stem then each stage; ViT: the patch embedding then each block."""
        if self.config.arch == "vit":
            embed, transformer = self.backbone.children()
            return [embed, *transformer.get_submodule("layers").children()]
        return list(self.backbone.children())
