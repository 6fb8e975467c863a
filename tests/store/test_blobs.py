"""The content-addressed blob store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from healthfm.errors import DataError, StoreError
from healthfm.store.blobs import BlobMeta, BlobStore


def _ecg() -> tuple[np.ndarray, BlobMeta]:
    wave = np.random.default_rng(0).normal(size=(12, 5000)).astype(np.float32)
    leads = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
    return wave, BlobMeta(kind="waveform", sampling_rate=500.0, lead_names=leads, units="mV")


def test_round_trip_keeps_array_and_metadata(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    wave, meta = _ecg()
    uri = blobs.put(wave, meta)
    back, back_meta = blobs.get(uri)
    np.testing.assert_array_equal(back, wave)
    assert back_meta.sampling_rate == 500.0 and back_meta.lead_names == meta.lead_names
    assert back_meta.shape == (12, 5000) and back_meta.units == "mV"
    image = np.arange(64 * 64, dtype=np.int16).reshape(64, 64)
    img_uri = blobs.put(image, BlobMeta(kind="image", spacing=(0.7, 0.7), modality="DX"))
    assert blobs.get(img_uri, mmap=True)[1].spacing == (0.7, 0.7)
    assert sorted(blobs) == sorted([uri, img_uri])


def test_same_array_twice_is_stored_once(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    wave, meta = _ecg()
    assert blobs.put(wave, meta) == blobs.put(wave.copy(), meta)
    assert len(list(tmp_path.glob("*/*.npy"))) == 1
    # the same samples at another sampling rate are another recording
    other = BlobMeta(kind="waveform", sampling_rate=250.0, lead_names=meta.lead_names, units="mV")
    assert blobs.put(wave, other) != blobs.put(wave, meta)


def test_bad_blobs_are_refused(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    wave, meta = _ecg()
    with pytest.raises(DataError, match="positive sampling_rate"):
        BlobMeta(kind="waveform")
    with pytest.raises(DataError, match="2-D"):
        blobs.put(wave[0], meta)
    with pytest.raises(DataError, match="12 lead names for 3 leads"):
        blobs.put(wave[:3], meta)
    with pytest.raises(DataError, match="not a blob store URI"):
        blobs.get("s3://bucket/key")
    with pytest.raises(StoreError, match="is not in the blob store"):
        blobs.get("blob://sha256/" + "0" * 64)
    assert not list(tmp_path.rglob("*.tmp*"))


def test_delete(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    uri = blobs.put(*_ecg())
    assert blobs.delete(uri) and uri not in blobs and not blobs.delete(uri)
