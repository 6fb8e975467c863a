"""DICOM de-identification against PS3.15 Table E.1-1, over every file pydicom and pydicom-data ship."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file, get_testdata_files
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from healthfm.privacy.annex_e import TABLE_E1_1, lookup
from healthfm.privacy.dicom_cli import deid_dicom_tree
from healthfm.privacy.dicom_deid import (
    DUMMY_VALUES,
    DeidOptions,
    DeidResult,
    DicomDeidentifier,
    resolve_action,
    write_dataset,
)

SECRET = b"test-secret"
PSEUDONYM = "PSEUDO-0001"
SHIFT = dt.timedelta(days=-100)
SAFE_PRIVATE = frozenset({(0x0009, 0x1001)})
OPTIONS = DeidOptions(private_tag_safelist=SAFE_PRIVATE)
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1"
SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7"
CORPUS = sorted(p for p in get_testdata_files() if Path(p).is_file())
# PatientName/ID become the pseudonym; TM under "C" with whole-day shifts keeps its time of day.
SET_BY_DEIDENTIFIER = {0x00100010, 0x00100020}


def _elements(ds: Dataset) -> Iterator[pydicom.DataElement]:
    """Every data element of `ds`, sequences included."""
    for elem in ds:
        yield elem
        if elem.VR == "SQ":
            for item in elem.value or ():
                yield from _elements(item)


def _testdata(name: str) -> str:
    path = get_testdata_file(name)
    assert isinstance(path, str)
    return path


def _read(path: str) -> Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom's test corpus is deliberately malformed in places
        return pydicom.dcmread(path)


def _value_strings(value: object) -> set[str]:
    if value is None or value in ("", b""):
        return set()
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return {str(v) for v in value if str(v)}
    return {str(value)}


def check_against_table(original: Dataset, result: DeidResult, options: DeidOptions) -> None:
    """Table E.1-1 holds: X gone, D/Z/C/U values changed, private tags only as safelisted."""
    out = result.dataset
    assert out is not None
    originals: dict[int, set[str]] = {}
    for elem in _elements(original):
        if elem.VR != "SQ" and not elem.tag.is_private:
            originals.setdefault(int(elem.tag), set()).update(_value_strings(elem.value))
    for elem in _elements(out):
        tag = int(elem.tag)
        if elem.tag.is_private:
            group, element = elem.tag.group, elem.tag.element
            creators = {(g, e >> 8) for g, e in options.private_tag_safelist}
            assert (group, element) in options.private_tag_safelist or (group, element) in creators, elem.tag
            continue
        row = lookup(tag)
        if row is None:
            continue
        action = resolve_action(row, options)
        assert action != "X", f"{row.name} {elem.tag} should have been removed"
        if action == "K" or elem.VR == "SQ" or tag in SET_BY_DEIDENTIFIER:
            continue
        if action == "C" and elem.VR == "TM":
            continue
        kept = _value_strings(elem.value) & originals.get(tag, set())
        kept.discard(str(DUMMY_VALUES.get(elem.VR)))
        assert not kept, f"{row.name} {elem.tag} ({action}) kept its original value"
    assert out.PatientIdentityRemoved == "YES"
    assert out.PatientName == PSEUDONYM and out.PatientID == PSEUDONYM
    assert "113100" in {item.CodeValue for item in out.DeidentificationMethodCodeSequence}


@pytest.fixture(scope="module")
def deidentifier() -> DicomDeidentifier:
    return DicomDeidentifier(secret=SECRET, options=OPTIONS)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: Path(p).name)
def test_every_testdata_file_meets_the_profile(path: str, deidentifier: DicomDeidentifier) -> None:
    try:
        original = _read(path)
    except Exception as exc:
        pytest.skip(f"unreadable by pydicom: {type(exc).__name__}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the corpus's malformed values warn as they are converted
        result = deidentifier.deidentify(original, pseudonym=PSEUDONYM, date_shift=SHIFT)
        if result.dataset is None:
            assert result.held_back and result.held_back.startswith("may carry burned-in text")
            return
        check_against_table(original, result, OPTIONS)
        buffer = io.BytesIO()
        write_dataset(result.dataset, buffer)
        back = pydicom.dcmread(io.BytesIO(buffer.getvalue()), force=True)
    assert back.PatientIdentityRemoved == "YES"
    assert back.PatientName == PSEUDONYM
    if "SOPInstanceUID" in original:
        assert back.SOPInstanceUID == deidentifier.new_uid(str(original.SOPInstanceUID))


def test_corpus_outcomes_are_accounted_for(deidentifier: DicomDeidentifier) -> None:
    """Most shipped files are DICOM; each is written, held back with a reason, or unreadable."""
    outcomes = {"written": 0, "held": 0, "unreadable": 0}
    study_map: dict[str, set[str]] = {}
    for path in CORPUS:
        try:
            original = _read(path)
        except Exception:
            outcomes["unreadable"] += 1
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = deidentifier.deidentify(original, pseudonym=PSEUDONYM, date_shift=SHIFT)
            outcomes["written" if result.dataset is not None else "held"] += 1
            if result.dataset is not None and original.get("StudyInstanceUID"):
                new_uid = str(result.dataset.StudyInstanceUID)
                study_map.setdefault(str(original.StudyInstanceUID), set()).add(new_uid)
    assert outcomes["written"] > 100 and outcomes["held"] > 10
    assert all(len(new) == 1 for new in study_map.values())  # one study UID -> one new UID, across files
    assert len(study_map) < outcomes["written"]  # the corpus has studies spanning several files


# -- synthetic datasets ----------------------------------------------------------------------------------


def _image(
    modality: str = "CT", sop_class: str = CT_IMAGE, frames: int = 1, burned_in: str | None = None
) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = "1.2.3.4.5"
    ds.SeriesInstanceUID = "1.2.3.4.5.6"
    ds.Modality = modality
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "MRN12345"
    ds.StudyDate = "20200115"
    ds.StudyTime = "101500"
    if burned_in is not None:
        ds.BurnedInAnnotation = burned_in
    arr = np.arange(frames * 8 * 10, dtype=np.uint8).reshape(frames, 8, 10) + 10
    ds.set_pixel_data(arr if frames > 1 else arr[0], "MONOCHROME2", 8, generate_instance_uid=False)
    return ds


def test_dates_shift_by_the_offset_and_keep_intervals() -> None:
    ds = _image()
    ds.SeriesDate = "20200120"
    ds.AcquisitionDateTime = "20200120101530.5+0100"
    ds.PatientBirthDate = "19500301"
    ds.ContentDate = "20200201"
    result = DicomDeidentifier(secret=SECRET).deidentify(
        ds, pseudonym=PSEUDONYM, date_shift=dt.timedelta(days=-30)
    )
    out = result.dataset
    assert out is not None
    assert out.StudyDate == "20191216"
    assert out.SeriesDate == "20191221"
    assert out.AcquisitionDateTime == "20191221101530.5+0100"
    assert out.PatientBirthDate == "19500130"
    assert out.StudyTime == "101500"  # whole-day shift keeps the time of day
    day = dt.datetime.strptime
    for a, b in [("StudyDate", "SeriesDate"), ("PatientBirthDate", "ContentDate")]:
        before = day(ds[a].value, "%Y%m%d") - day(ds[b].value, "%Y%m%d")
        after = day(out[a].value, "%Y%m%d") - day(out[b].value, "%Y%m%d")
        assert before == after
    assert out.LongitudinalTemporalInformationModified == "MODIFIED"
    assert "113107" in {item.CodeValue for item in out.DeidentificationMethodCodeSequence}
    assert ds.StudyDate == "20200115" and ds.PatientName == "Doe^Jane"  # the input is untouched


def test_without_the_dates_option_dates_are_removed_or_dummied() -> None:
    ds = _image()
    ds.PatientBirthDate = "19500301"
    ds.SeriesDate = "20200120"
    options = DeidOptions(retain_longitudinal_modified_dates=False)
    out = DicomDeidentifier(secret=SECRET, options=options).deidentify(
        ds, pseudonym=PSEUDONYM, date_shift=SHIFT
    )
    assert out.dataset is not None
    assert out.dataset.PatientBirthDate in ("", None)
    assert out.dataset.StudyDate in ("", None)
    assert out.dataset.SeriesDate == DUMMY_VALUES["DA"]
    assert out.dataset.LongitudinalTemporalInformationModified == "REMOVED"


def test_partial_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="whole number of days"):
        DicomDeidentifier(secret=SECRET).deidentify(_image(), pseudonym="p", date_shift=dt.timedelta(hours=5))


def test_patient_characteristics_option_caps_age() -> None:
    ds = _image()
    ds.PatientAge = "095Y"
    ds.PatientSex = "F"
    ds.PatientWeight = 70
    kept = DicomDeidentifier(secret=SECRET, options=DeidOptions(retain_patient_characteristics=True))
    out = kept.deidentify(ds, pseudonym="p", date_shift=SHIFT).dataset
    assert out is not None and out.PatientAge == "090Y" and out.PatientSex == "F" and out.PatientWeight == 70
    removed = DicomDeidentifier(secret=SECRET).deidentify(ds, pseudonym="p", date_shift=SHIFT).dataset
    assert removed is not None and "PatientAge" not in removed and "PatientWeight" not in removed
    assert removed.PatientSex in ("", None)


@pytest.mark.parametrize(
    ("modality", "sop_class", "burned_in", "held"),
    [
        ("CT", CT_IMAGE, None, False),
        ("CT", CT_IMAGE, "YES", True),
        ("OT", SC_IMAGE, "NO", True),
        ("US", US_IMAGE, "NO", True),
        ("OT", CT_IMAGE, None, True),
        ("OT", CT_IMAGE, "NO", False),
        ("SC", CT_IMAGE, None, True),
    ],
)
def test_burned_in_text_rules(modality: str, sop_class: str, burned_in: str | None, held: bool) -> None:
    ds = _image(modality, sop_class, burned_in=burned_in)
    result = DicomDeidentifier(secret=SECRET).deidentify(ds, pseudonym="p", date_shift=SHIFT)
    assert (result.dataset is None) == held
    assert (result.held_back is not None) == held
    if held:
        assert "Doe" not in str(result.held_back) and "MRN" not in str(result.held_back)
        cleared = DicomDeidentifier(secret=SECRET, options=DeidOptions(clear_burned_in=True))
        out = cleared.deidentify(ds, pseudonym="p", date_shift=SHIFT).dataset
        assert out is not None
        assert any("user" in m for m in out.DeidentificationMethod)


def test_mask_blacks_out_regions_in_every_frame() -> None:
    ds = _image("US", US_IMAGE, frames=3)
    options = DeidOptions(mask_regions=((0, 0, 2, 10), (5, 7, 8, 10)))
    result = DicomDeidentifier(secret=SECRET, options=options).deidentify(ds, pseudonym="p", date_shift=SHIFT)
    assert result.dataset is not None and result.held_back is None
    buffer = io.BytesIO()
    write_dataset(result.dataset, buffer)
    back = pydicom.dcmread(io.BytesIO(buffer.getvalue()))
    pixels, before = back.pixel_array, ds.pixel_array
    low = before.min()
    assert (pixels[:, 0:2, :] == low).all() and (pixels[:, 5:8, 7:10] == low).all()
    assert (pixels[:, 2:5, :] == before[:, 2:5, :]).all()
    assert "113101" in {item.CodeValue for item in back.DeidentificationMethodCodeSequence}
    assert any("masked" in m for m in back.DeidentificationMethod)


def test_mask_on_a_compressed_secondary_capture() -> None:
    ds = _read(_testdata("SC_rgb_jpeg_dcmtk.dcm"))
    options = DeidOptions(mask_regions=((0, 0, 10, 20),))
    out = DicomDeidentifier(secret=SECRET, options=options).deidentify(ds, pseudonym="p", date_shift=SHIFT)
    assert out.dataset is not None
    assert not out.dataset.file_meta.TransferSyntaxUID.is_compressed
    assert out.dataset.PhotometricInterpretation == "RGB"
    assert (out.dataset.pixel_array[0:10, 0:20] == out.dataset.pixel_array.min()).all()


def test_mask_region_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="mask region"):
        DeidOptions(mask_regions=((5, 0, 2, 10),))


def test_private_tags_removed_except_safelist() -> None:
    ds = _image()
    block = ds.private_block(0x0009, "ACME 1.0", create=True)
    block.add_new(0x01, "LO", "safe value")
    block.add_new(0x02, "LO", "Jane Doe's secret")
    other = ds.private_block(0x0011, "OTHER", create=True)
    other.add_new(0x10, "LO", "gone")
    out = DicomDeidentifier(secret=SECRET, options=OPTIONS).deidentify(ds, pseudonym="p", date_shift=SHIFT)
    assert out.dataset is not None
    private = {(e.tag.group, e.tag.element) for e in out.dataset if e.tag.is_private}
    assert private == {(0x0009, 0x0010), (0x0009, 0x1001)}
    assert out.actions["X-private"] == 3
    assert any(item.CodeValue == "113111" for item in out.dataset.DeidentificationMethodCodeSequence)


def test_sequences_are_walked() -> None:
    ds = _image()
    ref = Dataset()
    ref.ReferencedSOPClassUID = CT_IMAGE
    ref.ReferencedSOPInstanceUID = "1.2.3.4.5.6.7"
    ref.OperatorsName = "Smith^John"  # X/Z/D nested
    ref.PatientAddress = "1 Main St"  # X nested
    ds.SourceImageSequence = Sequence([ref])
    ds.RequestAttributesSequence = Sequence([Dataset()])
    ds.RequestAttributesSequence[0].ScheduledProcedureStepID = "SPS1"
    deid = DicomDeidentifier(secret=SECRET)
    result = deid.deidentify(ds, pseudonym=PSEUDONYM, date_shift=SHIFT)
    check_against_table(ds, result, DeidOptions())
    out = result.dataset
    assert out is not None
    item = out.SourceImageSequence[0]
    assert item.ReferencedSOPInstanceUID == deid.new_uid("1.2.3.4.5.6.7")
    assert item.ReferencedSOPClassUID == CT_IMAGE  # class UIDs are not in the table
    assert "PatientAddress" not in item
    assert "RequestAttributesSequence" not in out


def test_ct_series_uids_are_consistent_across_files_and_runs(tmp_path: Path) -> None:
    base = _read(_testdata("CT_small.dcm"))
    series: list[Dataset] = []
    for index in range(3):
        ds = copy.deepcopy(base)
        ds.SOPInstanceUID = f"1.2.826.0.1.3680043.2.1125.1.{index}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = index + 1
        if index:
            ref = Dataset()
            ref.ReferencedSOPClassUID = ds.SOPClassUID
            ref.ReferencedSOPInstanceUID = series[0].SOPInstanceUID
            ds.ReferencedImageSequence = Sequence([ref])
        series.append(ds)
    first, second = DicomDeidentifier(secret=SECRET), DicomDeidentifier(secret=SECRET)
    outs = [first.deidentify(ds, pseudonym="p", date_shift=SHIFT).dataset for ds in series]
    again = second.deidentify(series[2], pseudonym="p", date_shift=SHIFT).dataset
    assert all(o is not None for o in outs) and again is not None
    done = [o for o in outs if o is not None]
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"):
        new = {str(o[keyword].value) for o in done}
        assert len(new) == 1 and str(base[keyword].value) not in new
        assert new == {str(again[keyword].value)}
    assert len({o.SOPInstanceUID for o in done}) == 3
    assert all(o.SOPInstanceUID.startswith("2.25.") and len(o.SOPInstanceUID) <= 64 for o in done)
    assert done[2].ReferencedImageSequence[0].ReferencedSOPInstanceUID == done[0].SOPInstanceUID
    assert done[0].file_meta.MediaStorageSOPInstanceUID == done[0].SOPInstanceUID
    assert again.SOPInstanceUID == done[2].SOPInstanceUID
    other = DicomDeidentifier(secret=b"another key").deidentify(series[0], pseudonym="p", date_shift=SHIFT)
    assert other.dataset is not None and other.dataset.StudyInstanceUID != done[0].StudyInstanceUID


def test_deidentify_file_writes_a_readable_file(tmp_path: Path) -> None:
    src = Path(_testdata("CT_small.dcm"))
    dst = tmp_path / "out" / "x.dcm"
    result = DicomDeidentifier(secret=SECRET).deidentify_file(src, dst, pseudonym="p", date_shift=SHIFT)
    assert result.dataset is not None and dst.exists()
    assert pydicom.dcmread(dst).PatientIdentityRemoved == "YES"


def test_table_has_the_core_rows() -> None:
    assert len(TABLE_E1_1) > 600
    assert TABLE_E1_1[0x00100010].basic == "Z"  # Patient's Name
    assert TABLE_E1_1[0x0020000D].basic == "U"  # Study Instance UID
    assert TABLE_E1_1[0x00100030].dates == "C"  # Patient's Birth Date under Modified Dates
    assert TABLE_E1_1[0x00081140].basic == "X/Z/U*"  # Referenced Image Sequence
    assert lookup(0x60024000) is not None and lookup(0x50101234) is not None  # repeating groups


def test_tree_cli_writes_renamed_files_and_a_phi_free_hold_back_log(tmp_path: Path) -> None:
    src = tmp_path / "in" / "Doe^Jane"
    src.mkdir(parents=True)
    ct = _image()
    write_dataset(ct, src / "Doe_Jane_ct.dcm")
    write_dataset(_image("US", US_IMAGE), src / "Doe_Jane_us.dcm")
    (src / "notes.txt").write_text("not dicom")
    seen: list[tuple[int, int]] = []
    counts = deid_dicom_tree(
        tmp_path / "in",
        tmp_path / "out",
        secret=SECRET,
        options=DeidOptions(),
        pseudonym_for=lambda ds: "P-" + str(len(str(ds.PatientID))),
        shift_for=lambda pseudonym: SHIFT,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert counts["written"] == 1 and counts["held_back"] == 1 and counts["not_dicom"] == 1
    assert seen[-1] == (3, 3)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    names = " ".join(str(p.relative_to(tmp_path / "out")) for p in files)
    assert "Doe" not in names and "Jane" not in names
    dcm = [p for p in files if p.suffix == ".dcm"]
    assert len(dcm) == 1 and dcm[0].stem == str(pydicom.dcmread(dcm[0]).SOPInstanceUID)
    log = (tmp_path / "out" / "held_back.jsonl").read_text()
    assert "Doe" not in log and "Jane" not in log
    assert json.loads(log.splitlines()[0])["reason"].startswith("may carry burned-in text")
