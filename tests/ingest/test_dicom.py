"""DicomReader: every pydicom test file ingests or quarantines, pixels rescale, series stack into volumes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file, get_testdata_files
from pydicom.pixels.decoders.base import get_decoder
from pydicom.uid import generate_uid

from healthfm.datasets import fetch
from healthfm.ingest.base import MemorySink
from healthfm.ingest.dicom import DicomReader
from healthfm.schema import Modality
from healthfm.synth.writer import SynthConfig, synthesize

TEST_FILES = sorted(get_testdata_files())  # pydicom's own, plus pydicom-data's when installed


def _id(path: str) -> str:
    return "/".join(Path(path).parts[-2:])


def _testfile(name: str) -> Path:
    path = get_testdata_file(name)
    assert path is not None, name
    return Path(path)


def _with_patient(name: str, tmp_path: Path, **changes: object) -> Path:
    """A copy of a pydicom test file with a PatientID (and other changes), so it is not quarantined."""
    ds = pydicom.dcmread(_testfile(name))
    ds.PatientID = "P1"
    for key, value in changes.items():
        setattr(ds, key, value)
    out = tmp_path / name
    ds.save_as(out)
    return out


@pytest.mark.parametrize("path", TEST_FILES, ids=_id)
def test_every_test_file_is_ingested_or_quarantined(path: str) -> None:
    sink = MemorySink()
    DicomReader().read(Path(path), sink)
    assert sink.events or sink.quarantined, f"{path} vanished without a trace: {dict(sink.counts)}"
    assert all(q.reason for q in sink.quarantined)
    for array, meta in sink.blobs.values():
        assert array.dtype != object and array.size > 0
        if meta.kind == "image" and meta.spacing is not None:
            spatial = array.ndim - (1 if array.ndim >= 3 and array.shape[-1] in (3, 4) else 0)
            assert len(meta.spacing) == spatial, (array.shape, meta.spacing)


DECODED = [
    ("CT_small.dcm", "1.2.840.10008.1.2.1"),
    ("MR_small_bigendian.dcm", "1.2.840.10008.1.2.2"),
    ("MR_small_implicit.dcm", "1.2.840.10008.1.2"),
    ("SC_rgb_jpeg_dcmtk.dcm", "1.2.840.10008.1.2.4.50"),
    ("JPGExtended.dcm", "1.2.840.10008.1.2.4.51"),
    ("JPEG-LL.dcm", "1.2.840.10008.1.2.4.70"),
    ("MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80"),
    ("MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90"),
    ("JPEG2000.dcm", "1.2.840.10008.1.2.4.91"),
    ("MR_small_RLE.dcm", "1.2.840.10008.1.2.5"),
]


@pytest.mark.parametrize(("name", "syntax"), DECODED, ids=[s for _, s in DECODED])
def test_transfer_syntax_decodes_or_names_the_missing_plugin(name: str, syntax: str) -> None:
    path = _testfile(name)
    assert str(pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID) == syntax
    sink = MemorySink()
    DicomReader(clear_burned_in=True).read(path, sink)
    if get_decoder(syntax).is_available:
        assert not sink.quarantined, sink.quarantined
        assert sink.counts["ingested:dicom"] == 1
        (array, meta), *_ = sink.blobs.values()
        assert np.isfinite(array.astype(np.float64)).all() and meta.kind == "image"
    else:
        (record,) = sink.quarantined
        assert syntax in record.reason and "pip install" in record.reason


def test_rescale_slope_intercept_applied() -> None:
    path = _testfile("CT_small.dcm")
    raw = pydicom.dcmread(path).pixel_array
    sink = MemorySink()
    DicomReader().read(path, sink)
    (array, meta), *_ = sink.blobs.values()
    assert array.dtype == np.float32
    np.testing.assert_array_equal(array, raw.astype(np.float32) - 1024.0)  # slope 1, intercept -1024
    assert meta.modality == "CT" and meta.spacing == pytest.approx((0.661468, 0.661468))
    image = next(e for e in sink.events if e.blob)
    assert image.code == "DICOM/CT" and image.modality is Modality.IMAGE
    assert image.subject_key == "mrn:dicom|1CT1"
    study = next(e for e in sink.events if e.code == "DICOM/StudyInstanceUID")
    assert study.text_value == str(pydicom.dcmread(path).StudyInstanceUID)


def test_issuer_of_patient_id_names_the_system(tmp_path: Path) -> None:
    path = _with_patient("CT_small.dcm", tmp_path, IssuerOfPatientID="https://usz.example.org/mrn")
    sink = MemorySink()
    DicomReader().read(path, sink)
    assert {e.subject_key for e in sink.events} == {"mrn:https://usz.example.org/mrn|P1"}


def test_monochrome1_is_inverted(tmp_path: Path) -> None:
    mono2, mono1 = MemorySink(), MemorySink()
    DicomReader().read(_with_patient("MR_small.dcm", tmp_path), mono2)
    other = tmp_path / "mono1"
    other.mkdir()
    DicomReader().read(_with_patient("MR_small.dcm", other, PhotometricInterpretation="MONOCHROME1"), mono1)
    (a2, _), *_ = mono2.blobs.values()
    (a1, m1), *_ = mono1.blobs.values()
    ds = pydicom.dcmread(_testfile("MR_small.dcm"))
    assert m1.extra["inverted"] is True
    top = -1 if ds.PixelRepresentation == 1 else 2**ds.BitsStored - 1  # signed: min + max == -1
    np.testing.assert_array_equal(a1, top - a2)


def test_multi_frame_keeps_frames(tmp_path: Path) -> None:
    sink = MemorySink()
    DicomReader().read(_with_patient("emri_small.dcm", tmp_path), sink)
    (array, meta), *_ = sink.blobs.values()
    assert array.shape == (10, 64, 64) and array.dtype == np.float32
    assert meta.spacing is None or len(meta.spacing) == 3


def test_rgb_kept_channels_last() -> None:
    sink = MemorySink()
    DicomReader(clear_burned_in=True).read(_testfile("SC_rgb.dcm"), sink)
    (array, _), *_ = sink.blobs.values()
    assert array.shape == (100, 100, 3)


def test_series_folder_becomes_one_sorted_volume(tmp_path: Path) -> None:
    base = pydicom.dcmread(_testfile("CT_small.dcm"))
    series = generate_uid()
    z_positions = [10.0, 2.5, 7.5, 5.0]  # written out of order on purpose
    for i, z in enumerate(z_positions):
        ds = pydicom.dcmread(_testfile("CT_small.dcm"))
        ds.SeriesInstanceUID = series
        ds.SOPInstanceUID = generate_uid()
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [0.0, 0.0, z]
        ds.InstanceNumber = i + 1
        ds.RescaleIntercept = -z  # mark each slice so the order can be checked
        ds.save_as(tmp_path / f"slice{i}.dcm")
    reader = DicomReader()
    assert reader.claims(tmp_path)
    sink = MemorySink()
    reader.read(tmp_path, sink)
    assert not sink.quarantined
    (volume, meta), *_ = sink.blobs.values()
    assert volume.shape == (4, 128, 128)
    assert meta.spacing == pytest.approx((2.5, 0.661468, 0.661468))
    raw = base.pixel_array.astype(np.float32)
    for k, z in enumerate(sorted(z_positions)):
        np.testing.assert_array_equal(volume[k], raw - z)
    assert sink.counts["ingested:dicom"] == 4 and len([e for e in sink.events if e.blob]) == 1


def test_a_folder_of_unrelated_images_is_read_file_by_file(tmp_path: Path) -> None:
    for i in range(3):  # three radiographs, each its own series, as exports usually are
        ds = pydicom.dcmread(_testfile("CT_small.dcm"))
        ds.SeriesInstanceUID = generate_uid()
        ds.save_as(tmp_path / f"image{i}.dcm")
    reader = DicomReader()
    assert not reader.claims(tmp_path)  # so the pipeline makes one unit per file
    assert all(reader.claims(p) for p in tmp_path.iterdir())


def test_waveform_ecg_gives_twelve_named_leads_in_millivolts() -> None:
    sink = MemorySink()
    DicomReader(target_rate=None).read(_testfile("waveform_ecg.dcm"), sink)
    assert not sink.quarantined
    (signal, meta), *_ = sink.blobs.values()
    assert meta.lead_names == ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
    assert meta.units == "mV" and meta.sampling_rate == 1000.0 and meta.kind == "waveform"
    assert signal.shape == (12, 10000) and signal.dtype == np.float32
    assert 0.05 < float(np.abs(signal).max()) < 10  # an ECG in mV, not µV
    event = next(e for e in sink.events if e.blob)
    assert event.code == "ECG/12LEAD" and event.modality is Modality.SIGNAL


def test_waveform_resampled_to_target_rate() -> None:
    sink = MemorySink()
    DicomReader(target_rate=500.0).read(_testfile("waveform_ecg.dcm"), sink)
    (signal, meta), *_ = sink.blobs.values()
    assert signal.shape == (12, 5000) and meta.sampling_rate == 500.0


def test_truncated_and_text_files_are_quarantined(tmp_path: Path) -> None:
    data = _testfile("CT_small.dcm").read_bytes()
    truncated = tmp_path / "truncated.dcm"
    truncated.write_bytes(data[: len(data) // 2])
    text = tmp_path / "notes.dcm"
    text.write_text("this is not DICOM\n")
    for path in (truncated, text):
        sink = MemorySink()
        DicomReader().read(path, sink)
        (record,) = sink.quarantined
        assert record.source == str(path) and record.reason
        assert not sink.events


def test_files_without_pixels_name_their_kind(tmp_path: Path) -> None:
    sink = MemorySink()
    DicomReader().read(_testfile("rtplan.dcm"), sink)
    (record,) = sink.quarantined
    assert "no pixel data" in record.reason and "RT Plan" in record.reason


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch()
    out = tmp_path_factory.mktemp("cohort")
    synthesize(SynthConfig(patients=8, seed=3, out=out, workers=1), force=True)
    return out


def test_synth_cohort_dicom_ingests_without_quarantine(cohort: Path, tmp_path: Path) -> None:
    files = sorted((cohort / "dicom").glob("*.dcm"))
    assert files
    sink = MemorySink(blob_root=tmp_path / "blobs")
    DicomReader().read(cohort / "dicom", sink)
    assert not sink.quarantined
    assert sink.counts["ingested:dicom"] == len(files)
    assert all(e.subject_key.startswith("mrn:dicom|") for e in sink.events)
    codes = {e.code for e in sink.events if e.blob}
    assert codes <= {"DICOM/DX", "ECG/12LEAD"} and "DICOM/DX" in codes


def test_single_file_and_folder_agree(cohort: Path, tmp_path: Path) -> None:
    one = sorted((cohort / "dicom").glob("CXR_*.dcm"))[0]
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(one, folder / one.name)
    by_file, by_folder = MemorySink(), MemorySink()
    DicomReader().read(one, by_file)
    DicomReader().read(folder, by_folder)
    assert [e.blob for e in by_file.events] == [e.blob for e in by_folder.events]


def test_images_that_may_carry_burned_in_text_are_held_back_unless_cleared() -> None:
    held = MemorySink()
    DicomReader().read(_testfile("SC_rgb.dcm"), held)  # secondary capture
    assert not held.blobs and "burned-in text" in held.quarantined[0].reason
    assert "--clear-burned-in" in held.quarantined[0].reason
    cleared = MemorySink()
    DicomReader(clear_burned_in=True).read(_testfile("SC_rgb.dcm"), cleared)
    assert cleared.blobs and not cleared.quarantined
