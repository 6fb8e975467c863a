"""The image encoder: MONAI ResNet / DenseNet / ViT in 2-D and 3-D."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from healthfm.encoders import ImageConfig, ImageEncoder
from healthfm.schema import ModalityInput

TINY_3D: dict[str, dict[str, Any]] = {
    "resnet": {"arch": "resnet", "widths": (4, 8, 8, 16)},
    "densenet": {"arch": "densenet", "depths": (1, 1), "growth_rate": 4, "init_features": 8},
    "vit": {"arch": "vit", "patch_size": 8, "hidden_dim": 16, "num_layers": 1, "num_heads": 2},
}


def _inp(pixels: torch.Tensor) -> ModalityInput:
    return ModalityInput(values={"pixels": pixels}, mask=torch.ones(pixels.shape[0], dtype=torch.bool))


@pytest.mark.parametrize("arch", sorted(TINY_3D))
def test_3d_volumes(arch: str) -> None:
    enc = ImageEncoder(ImageConfig(d_model=24, spatial_dims=3, img_size=(16, 32, 32), **TINY_3D[arch]))
    out = enc(_inp(torch.randn(2, 1, 16, 32, 32)))
    assert out.tokens.shape[0] == 2 and out.tokens.shape[2] == 24 and torch.isfinite(out.tokens).all()
    if arch == "vit":
        assert out.tokens.shape[1] == 2 * 4 * 4
    out.pooled.sum().backward()


def test_preset_token_counts() -> None:
    assert ImageEncoder.from_preset("small").position.shape[1] == 16  # 128x128 -> 4x4
    vit = ImageConfig.from_dict(ImageEncoder.PRESETS["vit"])
    assert vit.img_size == (128, 128) and (128 // vit.patch_size) ** 2 == 64


def test_wrong_size_is_refused() -> None:
    enc = ImageEncoder(ImageConfig(img_size=(64, 64)))
    with pytest.raises(ValueError, match=r"expected pixels \(B, 1, 64, 64\), got \(1, 1, 32, 32\)"):
        enc(_inp(torch.randn(1, 1, 32, 32)))


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"arch": "unet"}, "arch must be one of"),
        ({"spatial_dims": 1, "img_size": (64,)}, "spatial_dims must be 2 or 3"),
        ({"img_size": (64, 64, 64)}, "must hold 2 positive sizes"),
        ({"widths": (8, 16, 32)}, "resnet needs 4 widths and 4 depths"),
        ({"arch": "vit", "img_size": (60, 60)}, "not divisible by patch_size"),
    ],
)
def test_bad_options(options: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ImageConfig(**options)


def test_json_lists_become_tuples() -> None:
    cfg = ImageConfig.from_dict({"img_size": [64, 64], "widths": [8, 8, 8, 8], "depths": [1, 1, 1, 1]})
    assert cfg.img_size == (64, 64) and cfg == ImageConfig(
        img_size=(64, 64), widths=(8,) * 4, depths=(1,) * 4
    )


def test_freezable_layers_are_stages() -> None:
    assert len(ImageEncoder(ImageConfig(img_size=(64, 64))).freezable_layers()) == 5  # stem + 4 stages
    dense = ImageEncoder(ImageConfig(arch="densenet", img_size=(64, 64), depths=(1, 1, 1), growth_rate=4))
    assert len(dense.freezable_layers()) == 4  # stem + 3 dense blocks
    vit = ImageEncoder(ImageConfig(arch="vit", img_size=(32, 32), hidden_dim=16, num_layers=3, num_heads=2))
    assert len(vit.freezable_layers()) == 4  # patch embedding + 3 blocks
