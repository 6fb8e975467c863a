"""SignalProcessor: resample, band-pass, lead selection by name, crops and lead dropout."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from healthfm.data import SignalProcessor
from healthfm.errors import DataError
from healthfm.schema import Sample
from tests.data.conftest import ECG_LEADS, FakeBlobs, Row, at, ecg_meta, ev, timeline


def _wave(seconds: float = 10, rate: float = 500, leads: int = 12, seed: int = 0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(seed)
    beats = np.sin(2 * np.pi * 1.2 * t) ** 15  # a spiky 72 bpm rhythm
    return np.stack([(1 + 0.1 * i) * beats + 0.02 * rng.normal(size=t.size) for i in range(leads)]).astype(
        np.float32
    )


def _one(uri: str, days: float = 1, code: str = "ECG/12LEAD") -> list[Row]:
    return [ev(days, code, modality="signal", blob=uri)]


def _transform(proc: SignalProcessor, blobs: FakeBlobs, uri: str) -> dict[str, np.ndarray]:
    out = proc.transform(Sample(5, at(10), None), timeline(5, _one(uri)), blobs=blobs)
    assert out is not None
    return out


def test_resample_length_and_default_leads() -> None:
    blobs = FakeBlobs()
    blobs.add("ecg://a", _wave(), ecg_meta())
    out = _transform(SignalProcessor(), blobs, "ecg://a")
    assert out["signal"].shape == (12, 1000) and out["signal"].dtype == np.float32
    assert out["lead_mask"].dtype == np.bool_ and out["lead_mask"].all()
    np.testing.assert_allclose(out["signal"].mean(1), 0, atol=1e-4)
    np.testing.assert_allclose(out["signal"].std(1), 1, atol=1e-3)
    out = _transform(SignalProcessor(target_rate=250, n_samples=2500), blobs, "ecg://a")
    assert out["signal"].shape == (12, 2500)
    robust = _transform(SignalProcessor(normalize="robust"), blobs, "ecg://a")
    assert np.isfinite(robust["signal"]).all()
    assert SignalProcessor().encoder_options() == {
        "n_leads": 12,
        "lead_names": list(ECG_LEADS),
        "n_samples": 1000,
        "sampling_rate": 100.0,
    }


def test_lead_subset_by_name_and_missing_leads_masked() -> None:
    blobs = FakeBlobs()
    limb = _wave(leads=3)
    limb[2] = np.nan  # a lead that was not recorded
    blobs.add("ecg://limb", limb, ecg_meta(leads=("lead i", "II", "iii")))
    proc = SignalProcessor(leads=("II", "I", "III", "V1"))
    out = _transform(proc, blobs, "ecg://limb")
    assert out["signal"].shape == (4, 1000)
    assert out["lead_mask"].tolist() == [True, True, False, False]
    assert not out["signal"][2:].any()
    # "II" was the second row of the blob: it is the first output lead
    assert (
        np.corrcoef(
            out["signal"][0], _transform(SignalProcessor(leads=("II",)), blobs, "ecg://limb")["signal"][0]
        )[0, 1]
        > 0.999
    )


def test_unnamed_leads_and_bad_blobs() -> None:
    blobs = FakeBlobs()
    blobs.add("ecg://unnamed", _wave(), ecg_meta(leads=None))
    assert _transform(SignalProcessor(), blobs, "ecg://unnamed")["lead_mask"].all()
    blobs.add("ecg://unnamed3", _wave(leads=3), ecg_meta(leads=None))
    blobs.add("ecg://flat", np.zeros((12, 5000), np.float32), ecg_meta())
    blobs.add("ecg://other", _wave(leads=2), ecg_meta(leads=("PLETH", "RESP")))
    blobs.add("ecg://1d", np.zeros((12, 1), np.float32), ecg_meta())
    for uri, message in [
        ("ecg://unnamed3", "3 unnamed leads"),
        ("ecg://other", "none of the leads"),
        ("ecg://1d", "not leads × samples"),
        ("ecg://missing", "unreadable"),
    ]:
        with pytest.raises(DataError, match=rf"subject 5, event 'ECG/12LEAD', blob '{uri}': .*{message}"):
            _transform(SignalProcessor(), blobs, uri)
    assert not _transform(SignalProcessor(), blobs, "ecg://flat")["lead_mask"].any()


def test_band_pass_removes_baseline_wander() -> None:
    rate, seconds = 500, 30
    t = np.arange(rate * seconds) / rate
    wander = 2.0 * np.sin(2 * np.pi * 0.1 * t)
    qrs = 0.5 * np.sin(2 * np.pi * 10 * t)
    blobs = FakeBlobs()
    blobs.add("ecg://w", np.tile(wander + qrs, (12, 1)).astype(np.float32), ecg_meta())
    out = _transform(SignalProcessor(normalize="none", n_samples=3000), blobs, "ecg://w")["signal"][0]
    tt = np.arange(out.size) / 100
    mid = slice(500, 2500)  # away from the filter's edge effects

    def amplitude(freq: float) -> float:
        s, c = np.sin(2 * np.pi * freq * tt[mid]), np.cos(2 * np.pi * freq * tt[mid])
        return float(2 * np.hypot(out[mid] @ s, out[mid] @ c) / s.size)

    assert amplitude(0.1) < 0.05 * 2.0  # wander attenuated more than 20-fold
    assert abs(amplitude(10.0) - 0.5) < 0.05  # the signal band passes
    unfiltered = _transform(SignalProcessor(normalize="none", band=None, n_samples=3000), blobs, "ecg://w")
    assert np.ptp(unfiltered["signal"][0]) > 4


def test_crops_random_in_training_centred_otherwise_and_lead_dropout() -> None:
    blobs = FakeBlobs()
    blobs.add("ecg://long", _wave(seconds=30), ecg_meta())
    proc = SignalProcessor(n_samples=1000, lead_dropout=0.5)
    item = _transform(proc, blobs, "ecg://long")
    assert item["signal"].shape == (12, 3000)  # kept whole; collate cuts the window
    plain = proc.collate([item, None])
    assert tuple(plain.values["signal"].shape) == (2, 12, 1000)
    np.testing.assert_array_equal(plain.values["signal"][0].numpy(), item["signal"][:, 1000:2000])
    assert plain.values["lead_mask"][0].all() and not plain.values["lead_mask"][1].any()
    assert plain.mask.tolist() == [True, False]
    a = proc.collate([item] * 4, train=True, generator=torch.Generator().manual_seed(1))
    b = proc.collate([item] * 4, train=True, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a.values["signal"], b.values["signal"]) and torch.equal(
        a.values["lead_mask"], b.values["lead_mask"]
    )
    assert not torch.equal(a.values["signal"][:, 0], plain.values["signal"][:1, 0].expand(4, -1))
    mask = a.values["lead_mask"]
    assert not mask.all() and (mask.sum(1) >= 1).all()
    assert not a.values["signal"][~mask].any()  # dropped leads are zeros


def test_short_records_are_zero_padded_and_state_round_trip() -> None:
    blobs = FakeBlobs()
    blobs.add("ecg://short", _wave(seconds=5), ecg_meta())
    proc = SignalProcessor(n_samples=1000, leads=("V6", "I"), band=(1.0, 30.0)).fit([])
    item = _transform(proc, blobs, "ecg://short")
    batch = proc.collate([item])
    assert (
        tuple(batch.values["signal"].shape) == (1, 2, 1000) and not batch.values["signal"][0, :, 500:].any()
    )
    back = SignalProcessor.from_state(json.loads(json.dumps(proc.state())))
    np.testing.assert_array_equal(_transform(back, blobs, "ecg://short")["signal"], item["signal"])
