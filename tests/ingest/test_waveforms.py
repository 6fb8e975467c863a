"""WFDB and EDF readers: lead names, units in mV, resampling, quarantine of bad records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from healthfm.datasets import fetch
from healthfm.ingest.base import MemorySink
from healthfm.ingest.waveforms import EdfReader, WfdbReader, normalise_lead_name, waveform_code
from healthfm.schema import Modality
from healthfm.synth.writer import SynthConfig, synthesize

LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")


def _write_record(
    folder: Path,
    name: str,
    digital: np.ndarray,
    *,
    gain: float = 1000.0,
    units: str = "mV",
    leads: tuple[str, ...] = LEADS,
    fs: int = 500,
    comments: tuple[str, ...] = ("patient_id: P7",),
) -> Path:
    """A format-16 WFDB record; `digital` is (samples, leads) int16, -32768 meaning a missing sample."""
    digital = digital.astype("<i2")
    (folder / f"{name}.dat").write_bytes(digital.tobytes())
    lines = [f"{name} {len(leads)} {fs} {digital.shape[0]} 08:30:00 05/03/2021"]
    for k, lead in enumerate(leads):
        checksum = int(digital[:, k].astype(np.int64).sum() % 65536)
        lines.append(f"{name}.dat 16 {gain}(0)/{units} 16 0 {digital[0, k]} {checksum} 0 {lead}")
    lines += [f"# {c}" for c in comments]
    header = folder / f"{name}.hea"
    header.write_text("\n".join(lines) + "\n")
    return header


def _sine(samples: int, leads: int, fs: float, amplitude: float) -> np.ndarray:
    t = np.arange(samples) / fs
    return np.stack([amplitude * np.sin(2 * np.pi * (1 + k) * t) for k in range(leads)], axis=1)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Lead I (Einthoven)", "I"),
        ("Lead II", "II"),
        ("III", "III"),
        ("Lead aVR (Goldberger)", "aVR"),
        ("avl", "aVL"),
        ("AVF", "aVF"),
        ("ECG V1", "V1"),
        ("EKG V6-REF", "V6"),
        ("MDC_ECG_LEAD_V3", "V3"),
        ("v4", "V4"),
        ("Pleth", "Pleth"),
    ],
)
def test_lead_names_normalised(label: str, name: str) -> None:
    assert normalise_lead_name(label) == name


def test_waveform_code() -> None:
    assert waveform_code(LEADS) == "ECG/12LEAD"
    assert waveform_code(("II",)) == "ECG/1LEAD"
    assert waveform_code(("Pleth", "II")) == "WAVEFORM/2CH"


def test_wfdb_record_in_millivolts_resampled(tmp_path: Path) -> None:
    signal_mv = _sine(1000, 12, 250, 1.5)
    header = _write_record(tmp_path, "r1", np.round(signal_mv * 1000), fs=250)
    sink = MemorySink()
    reader = WfdbReader(target_rate=500.0)
    assert reader.claims(header)
    reader.read(header, sink)
    assert not sink.quarantined
    (event,) = sink.events
    assert event.subject_key == "mrn:wfdb|P7" and event.time == dt.datetime(2021, 3, 5, 8, 30)
    assert event.code == "ECG/12LEAD" and event.modality is Modality.SIGNAL
    (signal, meta), *_ = sink.blobs.values()
    assert signal.shape == (12, 2000) and signal.dtype == np.float32
    assert meta.sampling_rate == 500.0 and meta.units == "mV" and meta.lead_names == LEADS
    np.testing.assert_allclose(signal[:, ::2][:, 50:-50], signal_mv.T[:, 50:-50], atol=0.02)


def test_wfdb_microvolts_converted(tmp_path: Path) -> None:
    signal_mv = _sine(500, 12, 500, 2.0)
    header = _write_record(tmp_path, "r2", np.round(signal_mv * 1000), gain=1.0, units="uV")
    sink = MemorySink()
    WfdbReader(target_rate=None).read(header, sink)
    (signal, meta), *_ = sink.blobs.values()
    assert meta.units == "mV" and meta.sampling_rate == 500.0
    np.testing.assert_allclose(signal, signal_mv.T, atol=1e-3)


def test_wfdb_nan_samples_quarantined(tmp_path: Path) -> None:
    digital = np.round(_sine(500, 12, 500, 1.0) * 1000)
    digital[100:110, 3] = -32768  # WFDB format 16's missing-sample value
    header = _write_record(tmp_path, "r3", digital)
    sink = MemorySink()
    WfdbReader().read(header, sink)
    (record,) = sink.quarantined
    assert "NaN" in record.reason and not sink.events


def test_wfdb_bad_header_and_missing_patient_quarantined(tmp_path: Path) -> None:
    bad = tmp_path / "bad.hea"
    bad.write_text("this is not a header\n")
    nobody = _write_record(tmp_path, "r4", np.zeros((100, 12)), comments=("age: 50",))
    sink = MemorySink()
    for header in (bad, nobody):
        WfdbReader().read(header, sink)
    assert [q.source for q in sink.quarantined] == [str(bad), str(nobody)]
    assert "patient_id" in sink.quarantined[1].reason and not sink.events


def test_edf_written_and_read_back(tmp_path: Path) -> None:
    pyedflib = pytest.importorskip("pyedflib")
    fs, seconds = 250, 4
    signal_uv = _sine(fs * seconds, 12, fs, 1500.0)
    path = tmp_path / "ecg.edf"
    labels = [f"ECG {lead}" for lead in LEADS] + ["SpO2"]
    with pyedflib.EdfWriter(str(path), len(labels), file_type=pyedflib.FILETYPE_EDFPLUS) as edf:
        headers = []
        for label in labels:
            voltage = label != "SpO2"
            headers.append(
                {
                    "label": label,
                    "dimension": "uV" if voltage else "%",
                    "sample_frequency": fs,
                    "physical_min": -5000.0 if voltage else 0.0,
                    "physical_max": 5000.0 if voltage else 100.0,
                    "digital_min": -32768,
                    "digital_max": 32767,
                }
            )
        edf.setSignalHeaders(headers)
        edf.setPatientCode("P42")
        edf.setStartdatetime(dt.datetime(2022, 6, 1, 12, 0, 0))
        edf.writeSamples([np.ascontiguousarray(s) for s in signal_uv.T] + [np.full(fs * seconds, 97.0)])
    sink = MemorySink()
    reader = EdfReader(target_rate=500.0)
    assert reader.claims(path)
    reader.read(path, sink)
    assert not sink.quarantined
    (event,) = sink.events
    assert event.subject_key == "mrn:edf|P42" and event.time == dt.datetime(2022, 6, 1, 12, 0)
    assert event.code == "ECG/12LEAD"
    (signal, meta), *_ = sink.blobs.values()
    assert meta.lead_names == LEADS and meta.units == "mV" and meta.sampling_rate == 500.0
    assert signal.shape == (12, 2 * fs * seconds)
    assert meta.extra["dropped_channels"] == ["SpO2"] and sink.counts["skipped:edf-channel"] == 1
    np.testing.assert_allclose(signal[:, ::2][:, 50:-50], signal_uv.T[:, 50:-50] / 1000, atol=0.02)


def test_edf_garbage_quarantined(tmp_path: Path) -> None:
    pytest.importorskip("pyedflib")
    path = tmp_path / "bad.edf"
    path.write_bytes(b"0       " + b"x" * 300)
    sink = MemorySink()
    EdfReader().read(path, sink)
    (record,) = sink.quarantined
    assert record.reason.startswith("unreadable EDF")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch()
    out = tmp_path_factory.mktemp("cohort")
    synthesize(SynthConfig(patients=8, seed=3, out=out, workers=1), force=True)
    return out


def test_synth_cohort_wfdb_ingests_without_quarantine(cohort: Path) -> None:
    headers = sorted((cohort / "wfdb").glob("*.hea"))
    assert headers
    sink = MemorySink()
    reader = WfdbReader()
    for header in headers:
        reader.read(header, sink)
    assert not sink.quarantined
    assert sink.counts["ingested:wfdb"] == len(headers)
    assert all(e.subject_key.startswith("mrn:wfdb|") and e.code == "ECG/12LEAD" for e in sink.events)
    for signal, meta in sink.blobs.values():
        assert signal.shape[0] == 12 and meta.sampling_rate == 500.0
        assert 0.1 < float(np.abs(signal).max()) < 10
