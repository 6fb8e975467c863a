"""Content-addressed array store for images and waveforms.

A blob is an `.npy` file named by the SHA-256 of its bytes, dtype, shape and metadata, with a JSON
sidecar; writing the same array twice stores it once. Writes go to a temporary file first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.errors import DataError, StoreError

URI_PREFIX = "blob://sha256/"


@dataclass(frozen=True)
class BlobMeta:
    """What a model needs to read an array: its kind, geometry and units."""

    kind: str  # "image" or "waveform"
    shape: tuple[int, ...] = ()
    dtype: str = ""
    spacing: tuple[float, ...] | None = None  # images: mm per pixel/voxel, array axis order
    modality: str | None = None  # DICOM modality (CR, DX, CT, MR, ECG …)
    sampling_rate: float | None = None  # waveforms: Hz
    lead_names: tuple[str, ...] | None = None  # waveforms: one per row (leads × samples)
    units: str | None = None  # waveforms: e.g. "mV"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in ("image", "waveform"):
            raise DataError(f"blob kind must be 'image' or 'waveform', got {self.kind!r}")
        if self.kind == "waveform" and (self.sampling_rate is None or self.sampling_rate <= 0):
            raise DataError("a waveform blob needs a positive sampling_rate (Hz)")

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BlobMeta:
        def tup(v: Any) -> Any:
            return tuple(v) if v is not None else None

        return cls(
            kind=data["kind"],
            shape=tuple(data.get("shape", ())),
            dtype=data.get("dtype", ""),
            spacing=tup(data.get("spacing")),
            modality=data.get("modality"),
            sampling_rate=data.get("sampling_rate"),
            lead_names=tup(data.get("lead_names")),
            units=data.get("units"),
            extra=dict(data.get("extra", {})),
        )


class BlobStore:
    """Arrays under `root/ab/abcdef….npy` with `….json` metadata."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, array: np.ndarray[Any, Any], meta: BlobMeta, *, durable: bool = True) -> str:
        """Store `array` (if not already there) and return its URI.

        `durable=False` skips the per-file fsync; the caller must then flush (e.g. `os.sync()`)
        before it commits events that refer to the blob — ingestion does, once per batch.
        """
        array = np.ascontiguousarray(array)
        if array.dtype == object:
            raise DataError("blob arrays must have a numeric dtype, not object")
        if meta.kind == "waveform" and array.ndim != 2:
            raise DataError(f"a waveform blob must be 2-D (leads × samples), got shape {array.shape}")
        if meta.lead_names is not None and meta.kind == "waveform" and len(meta.lead_names) != array.shape[0]:
            raise DataError(f"{len(meta.lead_names)} lead names for {array.shape[0]} leads")
        full = BlobMeta(**{**asdict(meta), "shape": tuple(array.shape), "dtype": array.dtype.str})
        digest = _digest(array, full)
        path = self._path(digest)
        if path.exists() and path.with_suffix(".json").exists():
            return URI_PREFIX + digest
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path.with_suffix(".json"), json.dumps(full.to_json(), sort_keys=True).encode(), durable)
        with _atomic_file(path, durable) as fh:
            np.save(fh, array, allow_pickle=False)
        return URI_PREFIX + digest

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]:
        path = self._path(_digest_of(uri))
        if not path.exists():
            raise StoreError(f"blob {uri} is not in the blob store at {self.root}")
        array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        return array, self.meta(uri)

    def meta(self, uri: str) -> BlobMeta:
        path = self._path(_digest_of(uri)).with_suffix(".json")
        try:
            return BlobMeta.from_json(json.loads(path.read_text()))
        except FileNotFoundError:
            raise StoreError(f"blob {uri} has no metadata in {self.root}") from None

    def __contains__(self, uri: object) -> bool:
        return isinstance(uri, str) and uri.startswith(URI_PREFIX) and self._path(_digest_of(uri)).exists()

    def delete(self, uri: str) -> bool:
        path = self._path(_digest_of(uri))
        existed = path.exists()
        for p in (path, path.with_suffix(".json")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        return existed

    def __iter__(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for path in sorted(self.root.glob("*/*.npy")):
            yield URI_PREFIX + path.stem

    def size_bytes(self) -> int:
        return (
            sum(p.stat().st_size for p in self.root.glob("*/*") if p.is_file()) if self.root.exists() else 0
        )

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.npy"


def _digest(array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
    h = hashlib.sha256()
    described = {k: v for k, v in meta.to_json().items()}
    h.update(json.dumps(described, sort_keys=True).encode())
    h.update(array.tobytes() if not array.flags.c_contiguous else array.data)
    return h.hexdigest()


def _digest_of(uri: str) -> str:
    digest = uri.removeprefix(URI_PREFIX)
    if (
        not uri.startswith(URI_PREFIX)
        or len(digest) != 64
        or not all(c in "0123456789abcdef" for c in digest)
    ):
        raise DataError(f"not a blob store URI: {uri!r} (expected {URI_PREFIX}<64 hex digits>)")
    return digest


@contextlib.contextmanager
def _atomic_file(path: Path, durable: bool = True) -> Iterator[Any]:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise


def _atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    with _atomic_file(path, durable) as fh:
        fh.write(data)
