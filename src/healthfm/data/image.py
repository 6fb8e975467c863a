"""The most recent image before the prediction time → a fixed-size, intensity-normalised array.

Transform (deterministic): resize (bilinear with antialiasing in 2-D, trilinear in 3-D), percentile
clip, z-score. Augmentation (small shift, scale, rotation and intensity jitter; no flips, since anatomy is
lateralised) happens only in `collate(train=True)`, drawn from the generator passed in.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import torch
import torch.nn.functional as F

from healthfm.data.base import (
    PROCESSORS,
    Arrays,
    BlobSource,
    subject_error_context,
    visible_rows,
)
from healthfm.errors import DataError, HealthfmError, UsageError
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample


def latest_blob(
    sample: Sample, visible: PatientTimeline, modality: Modality, codes: tuple[str, ...] | None
) -> tuple[str, str] | None:
    """(code, blob uri) of the most recent event of `modality` with a blob, before the prediction time."""
    rows = visible_rows(sample, visible)
    for i in np.flatnonzero(rows.of(modality))[::-1].tolist():
        code, uri = rows.codes[i], rows.blob[i]
        if uri and (codes is None or code in codes):
            return str(code), str(uri)
    return None


def read_blob(
    blobs: BlobSource | None, sample: Sample, code: str, uri: str, kind: str
) -> tuple[np.ndarray[Any, Any], Any]:
    """The blob's array and metadata; any failure becomes a DataError naming subject, event and blob."""
    if blobs is None:
        raise UsageError(f"{kind} processors need blobs=<a BlobStore> to read {uri}")
    try:
        array, meta = blobs.get(uri)
    except (HealthfmError, OSError, ValueError, KeyError) as exc:
        raise DataError(f"{subject_error_context(sample, code, uri)}: unreadable blob: {exc}") from exc
    expected = "image" if kind == "image" else "waveform"
    if getattr(meta, "kind", None) != expected:
        raise DataError(
            f"{subject_error_context(sample, code, uri)}: blob kind {meta.kind!r}, not {expected!r}"
        )
    return np.asarray(array), meta


@functools.lru_cache(maxsize=8)
def _base_grid(shape: tuple[int, ...]) -> tuple[np.ndarray[Any, np.dtype[np.float32]], ...]:
    """Pixel-centre coordinates in [-1, 1] (align_corners=False), flattened, in grid order (x, y[, z])."""
    axes = [((np.arange(n, dtype=np.float32) * 2 + 1) / n - 1) for n in shape]
    mesh = np.meshgrid(*axes, indexing="ij")
    return tuple(m.reshape(1, -1).astype(np.float32) for m in reversed(mesh))


def _affine_grid(theta: np.ndarray[Any, Any], shape: tuple[int, ...]) -> torch.Tensor:
    """`F.affine_grid(theta, (N, 1, *shape), align_corners=False)`, computed in numpy.

    Equal to torch's to float precision, but several times faster on a busy CPU (torch's version
    spreads a small matrix product over threads).
    """
    coords = _base_grid(shape)
    k = len(shape)
    grid = np.empty((theta.shape[0], coords[0].shape[1], k), dtype=np.float32)
    for row in range(k):
        grid[..., row] = theta[:, row, k, None]
        for col in range(k):
            grid[..., row] += theta[:, row, col, None] * coords[col]
    return torch.from_numpy(grid).reshape(theta.shape[0], *shape, k)


@PROCESSORS.register("image")
class ImageProcessor:
    """Image blobs → `pixels` (1, H, W) or (1, D, H, W) float32.

    Parameters:
        size: output size, one int for every axis or one per axis ((H, W) or (D, H, W)).
        spatial_dims: 2 (radiographs) or 3 (CT/MR volumes).
        codes: image event codes to take (e.g. ["DICOM/DX"]); None = any image event with a blob.
        clip_percentiles: intensity window before the z-score (robust to burnt-in text and metal).
        augment: apply augmentation in `collate(train=True)`.
        max_shift: largest shift, as a fraction of the image side.
        max_scale: largest relative zoom in or out.
        max_rotation_deg: largest in-plane rotation.
        intensity_jitter: largest relative gain and additive offset (in z-score units).
    """

    name: ClassVar[str] = "image"
    modality: ClassVar[Modality] = Modality.IMAGE

    def __init__(
        self,
        size: int | Sequence[int] = 128,
        spatial_dims: int = 2,
        codes: Sequence[str] | None = None,
        clip_percentiles: Sequence[float] = (0.5, 99.5),
        augment: bool = True,
        max_shift: float = 0.05,
        max_scale: float = 0.1,
        max_rotation_deg: float = 5.0,
        intensity_jitter: float = 0.1,
    ) -> None:
        if spatial_dims not in (2, 3):
            raise UsageError(f"ImageProcessor: spatial_dims must be 2 or 3, got {spatial_dims}")
        shape = (size,) * spatial_dims if isinstance(size, int) else tuple(int(s) for s in size)
        if len(shape) != spatial_dims or min(shape) < 4:
            raise UsageError(f"ImageProcessor: size {size} does not give {spatial_dims} sides of >= 4 pixels")
        lo, hi = (float(p) for p in clip_percentiles)
        if not 0.0 <= lo < hi <= 100.0:
            raise UsageError(
                f"ImageProcessor: clip_percentiles must satisfy 0 <= lo < hi <= 100, got {lo, hi}"
            )
        self.size = size if isinstance(size, int) else list(shape)
        self.spatial_dims = spatial_dims
        self.codes = None if codes is None else tuple(codes)
        self.clip_percentiles = (lo, hi)
        self.augment = augment
        self.max_shift = max_shift
        self.max_scale = max_scale
        self.max_rotation_deg = max_rotation_deg
        self.intensity_jitter = intensity_jitter
        self.n_fit_present_: int | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Output size per spatial axis: (H, W) or (D, H, W)."""
        size = self.size
        return (size,) * self.spatial_dims if isinstance(size, int) else tuple(size)

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Self:
        # nothing is learned (normalisation is per image); count how many training samples have an image
        self.n_fit_present_ = sum(
            latest_blob(s, tl, self.modality, self.codes) is not None for s, tl in items
        )
        return self

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None:
        found = latest_blob(sample, visible, self.modality, self.codes)
        if found is None:
            return None
        code, uri = found
        array, _ = read_blob(blobs, sample, code, uri, "image")
        try:
            return {"pixels": self.prepare(array)}
        except ValueError as exc:
            raise DataError(f"{subject_error_context(sample, code, uri)}: {exc}") from None

    def prepare(self, array: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One image array → (1, *shape) float32: resize, clip, z-score. Raises ValueError on a bad shape."""
        if not np.issubdtype(array.dtype, np.number):
            raise ValueError(f"image dtype {array.dtype} is not numeric")
        img = np.asarray(array, dtype=np.float32)
        if self.spatial_dims == 2 and img.ndim == 3 and img.shape[-1] in (3, 4) and img.shape[0] > 4:
            img = img[..., :3].mean(axis=-1)  # RGB(A) → grey
        img = img.squeeze() if img.ndim > self.spatial_dims else img
        if img.ndim != self.spatial_dims or min(img.shape) < 2:
            raise ValueError(f"shape {tuple(array.shape)} is not a {self.spatial_dims}-D image")
        finite = np.isfinite(img)
        if not finite.any():
            raise ValueError("the image has no finite pixel")
        if not finite.all():
            img = np.where(finite, img, np.median(img[finite])).astype(np.float32)
        t = torch.from_numpy(np.ascontiguousarray(img))[None, None]
        if self.spatial_dims == 2:
            t = F.interpolate(t, size=self.shape, mode="bilinear", antialias=True, align_corners=False)
        else:
            t = F.interpolate(t, size=self.shape, mode="trilinear", align_corners=False)
        out = t[0].numpy()
        lo, hi = np.percentile(out, self.clip_percentiles)  # after resizing: fewer pixels to sort
        out = np.clip(out, lo, hi)
        std = float(out.std())
        out = (out - out.mean()) / std if std > 1e-6 else np.zeros_like(out)
        return out.astype(np.float32, copy=False)

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput:
        stacked = np.zeros((len(items), 1, *self.shape), dtype=np.float32)
        for row, item in enumerate(items):
            if item is not None:
                stacked[row] = item["pixels"]
        pixels = torch.from_numpy(stacked)
        present = torch.tensor([it is not None for it in items], dtype=torch.bool)
        rows = torch.nonzero(present).flatten()
        if train and self.augment and rows.numel():
            if rows.numel() == len(items):
                pixels = self.random_augment(pixels, generator)
            else:
                pixels[rows] = self.random_augment(pixels[rows], generator)
        return ModalityInput(values={"pixels": pixels}, mask=present)

    def random_augment(self, x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
        """Random affine (shift, scale, in-plane rotation) and intensity jitter of a (N, 1, *shape) batch."""
        n = x.shape[0]

        def uniform() -> torch.Tensor:  # U(-1, 1), one per image
            return torch.rand(n, generator=generator) * 2 - 1

        scale = 1 + self.max_scale * uniform()
        angle = math.radians(self.max_rotation_deg) * uniform()
        cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
        k = self.spatial_dims
        theta = torch.zeros(n, k, k + 1)
        # grid axes are (x = width, y = height[, z = depth]); rotate in the x-y plane
        theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = cos, -sin, sin, cos
        if k == 3:
            theta[:, 2, 2] = 1 / scale
        for axis in range(k):
            theta[:, axis, k] = 2 * self.max_shift * uniform()  # grid coordinates span [-1, 1]
        grid = _affine_grid(theta.numpy(), tuple(x.shape[2:]))
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        view = (n,) + (1,) * (x.dim() - 1)
        gain = 1 + self.intensity_jitter * uniform()
        offset = self.intensity_jitter * uniform()
        return out.mul_(gain.view(view)).add_(offset.view(view))

    def encoder_options(self) -> dict[str, Any]:
        return {"in_channels": 1, "spatial_dims": self.spatial_dims, "img_size": self.shape}

    def state(self) -> dict[str, Any]:
        return {
            "params": {
                "size": self.size,
                "spatial_dims": self.spatial_dims,
                "codes": None if self.codes is None else list(self.codes),
                "clip_percentiles": list(self.clip_percentiles),
                "augment": self.augment,
                "max_shift": self.max_shift,
                "max_scale": self.max_scale,
                "max_rotation_deg": self.max_rotation_deg,
                "intensity_jitter": self.intensity_jitter,
            },
            "n_fit_present": self.n_fit_present_,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        proc = cls(**state["params"])
        proc.n_fit_present_ = state.get("n_fit_present")
        return proc
