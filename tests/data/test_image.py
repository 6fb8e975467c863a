"""ImageProcessor: latest image, resize, intensity normalisation, augmentation in training only."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from healthfm.data import ImageProcessor
from healthfm.errors import DataError
from healthfm.schema import Sample
from healthfm.store.blobs import BlobMeta, BlobStore
from tests.data.conftest import FakeBlobs, at, ev, timeline

DX = BlobMeta(kind="image", spacing=(1.4, 1.4), modality="DX")


def _radiograph(seed: int = 0, shape: tuple[int, ...] = (256, 256)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = rng.normal(1500, 300, size=shape).astype(np.float32)
    img[..., :10, :20] = 40000.0  # burnt-in label: clipped away by the percentile window
    return img


def _blobs() -> FakeBlobs:
    blobs = FakeBlobs()
    blobs.add("img://old", _radiograph(1), DX)
    blobs.add("img://new", _radiograph(2), DX)
    blobs.add("img://future", _radiograph(3), DX)
    blobs.add("img://ct", _radiograph(4, (40, 64, 64)), BlobMeta(kind="image", modality="CT"))
    return blobs


TL = timeline(
    7,
    [
        ev(1, "DICOM/DX", text="CHEST", modality="image", blob="img://old"),
        ev(2, "DICOM/DX", text="CHEST", modality="image", blob="img://new"),
        ev(2, "IMAGING_STUDY/DX", text="1.2.3", modality="image"),  # no blob: not an image to read
        ev(3, "DICOM/CT", modality="image", blob="img://ct"),
        ev(30, "DICOM/DX", modality="image", blob="img://future"),
    ],
)


def test_latest_image_resized_and_normalised() -> None:
    proc = ImageProcessor(size=64, codes=["DICOM/DX"])
    out = proc.transform(Sample(7, at(10), None), TL, blobs=_blobs())
    assert out is not None
    pixels = out["pixels"]
    assert pixels.shape == (1, 64, 64) and pixels.dtype == np.float32
    assert abs(float(pixels.mean())) < 1e-4 and abs(float(pixels.std()) - 1) < 1e-3
    assert float(pixels.max()) < 5  # the burnt-in label was clipped
    expected = proc.prepare(_radiograph(2))  # the most recent DX before the prediction time
    np.testing.assert_array_equal(pixels, expected)
    assert proc.transform(Sample(7, at(0.5), None), TL, blobs=_blobs()) is None


def test_three_dimensional_volumes() -> None:
    proc = ImageProcessor(size=(16, 32, 32), spatial_dims=3, codes=["DICOM/CT"])
    out = proc.transform(Sample(7, at(10), None), TL, blobs=_blobs())
    assert out is not None and out["pixels"].shape == (1, 16, 32, 32)
    batch = proc.collate([out, None], train=True, generator=torch.Generator().manual_seed(0))
    assert tuple(batch.values["pixels"].shape) == (2, 1, 16, 32, 32)
    assert proc.encoder_options() == {"in_channels": 1, "spatial_dims": 3, "img_size": (16, 32, 32)}


def test_wrong_shape_and_unreadable_blobs_raise_data_error_naming_subject_code_and_uri(
    tmp_path: Path,
) -> None:
    # a 2-D processor meeting the CT volume
    with pytest.raises(DataError, match=r"subject 7.*'DICOM/CT'.*img://ct.*not a 2-D image"):
        ImageProcessor(size=32).transform(Sample(7, at(10), None), TL, blobs=_blobs())
    broken = _blobs()
    broken.broken.add("img://new")
    with pytest.raises(DataError, match=r"subject 7.*'DICOM/DX'.*img://new.*unreadable"):
        ImageProcessor(codes=["DICOM/DX"]).transform(Sample(7, at(10), None), TL, blobs=broken)
    # a damaged file in a real blob store
    store = BlobStore(tmp_path)
    uri = store.put(_radiograph(), DX)
    next(tmp_path.glob("*/*.npy")).write_bytes(b"not an npy file")
    tl = timeline(8, [ev(1, "DICOM/DX", modality="image", blob=uri)])
    with pytest.raises(DataError, match=rf"subject 8.*DICOM/DX.*{uri}"):
        ImageProcessor().transform(Sample(8, at(2), None), tl, blobs=store)


def test_augmentation_only_in_training_and_reproducible() -> None:
    proc = ImageProcessor(size=48, codes=["DICOM/DX"])
    item = proc.transform(Sample(7, at(10), None), TL, blobs=_blobs())
    items = [item, None, item]
    plain = proc.collate(items)
    np.testing.assert_array_equal(plain.values["pixels"][0].numpy(), item["pixels"])  # type: ignore[index]
    assert plain.mask.tolist() == [True, False, True] and not plain.values["pixels"][1].any()
    a = proc.collate(items, train=True, generator=torch.Generator().manual_seed(3))
    b = proc.collate(items, train=True, generator=torch.Generator().manual_seed(3))
    c = proc.collate(items, train=True, generator=torch.Generator().manual_seed(4))
    assert torch.equal(a.values["pixels"], b.values["pixels"])
    assert not torch.equal(a.values["pixels"], plain.values["pixels"])
    assert not torch.equal(a.values["pixels"], c.values["pixels"])
    assert not torch.equal(a.values["pixels"][0], a.values["pixels"][2])  # each image its own draw
    assert not a.values["pixels"][1].any()  # absent rows stay zero
    off = ImageProcessor(size=48, codes=["DICOM/DX"], augment=False)
    assert torch.equal(off.collate(items, train=True).values["pixels"], plain.values["pixels"])


def test_state_round_trip() -> None:
    proc = ImageProcessor(size=(40, 50), codes=["DICOM/DX"], clip_percentiles=(1, 99)).fit([])
    back = ImageProcessor.from_state(json.loads(json.dumps(proc.state())))
    a = proc.transform(Sample(7, at(10), None), TL, blobs=_blobs())
    b = back.transform(Sample(7, at(10), None), TL, blobs=_blobs())
    assert a is not None and b is not None and a["pixels"].shape == (1, 40, 50)
    np.testing.assert_array_equal(a["pixels"], b["pixels"])
