"""DICOM de-identification: the PS3.15 Annex E Basic Application Level Confidentiality Profile, table-driven,
with the Retain Longitudinal Temporal Information (Modified Dates), Patient Characteristics, Device Identity
and Safe Private options, and a hold-back rule for images that may carry burned-in text."""

from __future__ import annotations

import copy
import datetime
import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pydicom
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from healthfm.privacy.annex_e import ProfileRow, lookup

__all__ = [
    "CID_7050",
    "DUMMY_VALUES",
    "DeidOptions",
    "DeidResult",
    "DicomDeidentifier",
    "resolve_action",
]

# PS3.16 CID 7050 "De-identification Method": code value -> code meaning (coding scheme DCM).
CID_7050 = {
    "113100": "Basic Application Confidentiality Profile",
    "113101": "Clean Pixel Data Option",
    "113107": "Retain Longitudinal Temporal Information Modified Dates Option",
    "113108": "Retain Patient Characteristics Option",
    "113109": "Retain Device Identity Option",
    "113111": "Retain Safe Private Option",
}

# How a compound action resolves for a present attribute. PS3.15 E.1.1 reads X/Z as "X unless Z is needed
# for IOD conformance" (Type 2 vs 3), X/D, Z/D, X/Z/D likewise (D for Type 1). Without per-IOD module tables
# we take the choice that conforms in every IOD and removes the value as surely: Z for X/Z, a dummy (D) else.
# X/Z/U* sequences are kept with every UID inside replaced, so references stay consistent within a study.
_COMPOUND = {"X/Z": "Z", "X/D": "D", "Z/D": "D", "X/Z/D": "D", "X/Z/U*": "U"}

# Dummy values by VR for D (and C on non-temporal attributes). UI is replaced by a keyed UID instead.
DUMMY_VALUES: dict[str, Any] = {
    "AE": "ANONYMOUS",
    "AS": "000D",
    "CS": "ANONYMOUS",
    "DA": "19000101",
    "DT": "19000101000000",
    "TM": "000000",
    "DS": "0",
    "IS": "0",
    "LO": "ANONYMIZED",
    "LT": "ANONYMIZED",
    "PN": "ANONYMIZED",
    "SH": "ANONYMIZED",
    "ST": "ANONYMIZED",
    "UC": "ANONYMIZED",
    "UT": "ANONYMIZED",
    "UR": "",
    "FL": 0.0,
    "FD": 0.0,
    "SL": 0,
    "SS": 0,
    "SV": 0,
    "UL": 0,
    "US": 0,
    "UV": 0,
    "AT": None,
}
_FREE_TEXT_VRS = frozenset({"PN", "LT", "ST", "UT"})
_PIXEL_TAGS = (0x7FE00010, 0x7FE00008, 0x7FE00009)

_SECONDARY_CAPTURE = frozenset(
    {
        "1.2.840.10008.5.1.4.1.1.7",
        "1.2.840.10008.5.1.4.1.1.7.1",
        "1.2.840.10008.5.1.4.1.1.7.2",
        "1.2.840.10008.5.1.4.1.1.7.3",
        "1.2.840.10008.5.1.4.1.1.7.4",
    }
)
_ULTRASOUND = frozenset(
    {
        "1.2.840.10008.5.1.4.1.1.3",  # retired multi-frame
        "1.2.840.10008.5.1.4.1.1.3.1",
        "1.2.840.10008.5.1.4.1.1.6",  # retired
        "1.2.840.10008.5.1.4.1.1.6.1",
        "1.2.840.10008.5.1.4.1.1.6.2",
        "1.2.840.10008.5.1.4.1.1.6.3",
    }
)
_DT_RE = re.compile(r"^(\d{8})(.*)$")


@dataclass(frozen=True)
class DeidOptions:
    """Which PS3.15 options apply, the private tags to keep, and how burned-in text is handled."""

    retain_longitudinal_modified_dates: bool = True
    retain_patient_characteristics: bool = False
    retain_device_identity: bool = False
    private_tag_safelist: frozenset[tuple[int, int]] = frozenset()
    clear_burned_in: bool = False  # the user confirms the images carry no burned-in text
    mask_regions: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), end exclusive

    def __post_init__(self) -> None:
        for region in self.mask_regions:
            r0, c0, r1, c1 = region
            if not (0 <= r0 < r1 and 0 <= c0 < c1):
                raise ValueError(f"mask region {region} must satisfy 0 <= row0 < row1 and 0 <= col0 < col1")
        for group, element in self.private_tag_safelist:
            if group % 2 == 0 or not 0 <= element <= 0xFFFF:
                raise ValueError(f"safelisted tag ({group:04X},{element:04X}) is not a private tag")


@dataclass(frozen=True)
class DeidResult:
    """The de-identified dataset, or None with the reason it was held back; counts of actions taken."""

    dataset: Dataset | None
    held_back: str | None
    actions: Counter[str] = field(default_factory=Counter)


def resolve_action(row: ProfileRow, options: DeidOptions) -> str:
    """The single action (D, Z, X, K, C or U) that applies to a present attribute under the options."""
    if options.retain_longitudinal_modified_dates and row.dates is not None:
        return row.dates
    if options.retain_patient_characteristics and row.chars is not None:
        return row.chars
    if options.retain_device_identity and row.device is not None:
        return row.device
    return _COMPOUND.get(row.basic, row.basic)


class DicomDeidentifier:
    """Applies Table E.1-1 to datasets; UIDs map through HMAC(secret) so they agree across files and runs."""

    def __init__(self, *, secret: bytes, options: DeidOptions = DeidOptions()) -> None:
        if not secret:
            raise ValueError("secret must be non-empty")
        self._secret = secret
        self.options = options
        self._uids: dict[str, str] = {}

    def new_uid(self, uid: str) -> str:
        """The replacement for a UID: 2.25.<first 128 bits of HMAC-SHA256(secret, uid)>."""
        uid = uid.strip("\x00 ")
        if not uid:
            return uid
        if uid not in self._uids:
            digest = hmac.new(self._secret, uid.encode("ascii", "replace"), hashlib.sha256).digest()
            self._uids[uid] = "2.25." + str(int.from_bytes(digest[:16], "big"))
        return self._uids[uid]

    def deidentify(self, ds: Dataset, *, pseudonym: str, date_shift: datetime.timedelta) -> DeidResult:
        """A de-identified copy of `ds` (the input is not modified); `date_shift` must be whole days."""
        if date_shift % datetime.timedelta(days=1):
            raise ValueError("date_shift must be a whole number of days so that times stay consistent")
        actions: Counter[str] = Counter()
        reason = burned_in_risk(ds)
        masked = False
        if reason is not None and not self.options.clear_burned_in:
            if not self.options.mask_regions:
                return DeidResult(None, f"may carry burned-in text: {reason}", actions)
            ds = copy.deepcopy(ds)
            failure = _mask_pixels(ds, self.options.mask_regions)
            if failure is not None:
                return DeidResult(None, f"may carry burned-in text: {reason}; {failure}", actions)
            masked = True
            actions["mask"] += 1
        else:
            ds = copy.deepcopy(ds)

        self._walk(ds, date_shift.days, actions, in_dummy_sequence=False)
        if ds.file_meta is not None:
            self._clean_file_meta(ds.file_meta, actions)
        self._mark(ds, pseudonym, masked=masked, cleared=reason is not None and not masked)
        return DeidResult(ds, None, actions)

    def deidentify_file(
        self, src: Path, dst: Path, *, pseudonym: str, date_shift: datetime.timedelta
    ) -> DeidResult:
        """De-identify `src` and write it to `dst` (nothing is written when the file is held back)."""
        result = self.deidentify(pydicom.dcmread(src), pseudonym=pseudonym, date_shift=date_shift)
        if result.dataset is not None:
            dst.parent.mkdir(parents=True, exist_ok=True)
            write_dataset(result.dataset, dst)
        return result

    # -- the table walk ---------------------------------------------------------------------------------

    def _walk(self, ds: Dataset, days: int, actions: Counter[str], *, in_dummy_sequence: bool) -> None:
        private_keep = self._private_keep(ds)
        for elem in list(ds):
            tag = int(elem.tag)
            if elem.tag.is_private:
                if tag in private_keep:
                    actions["K-private"] += 1
                    if elem.VR == "SQ":
                        self._walk_items(elem, days, actions, in_dummy_sequence)
                else:
                    del ds[elem.tag]
                    actions["X-private"] += 1
                continue
            if elem.tag.element == 0x0000:  # group length, recomputed on write if needed
                del ds[elem.tag]
                continue
            row = lookup(tag)
            if row is None:
                self._unlisted(ds, elem, days, actions, in_dummy_sequence)
                continue
            action = resolve_action(row, self.options)
            actions[action] += 1
            self._apply(ds, elem, action, days, actions, in_dummy_sequence)

    def _walk_items(self, elem: DataElement, days: int, actions: Counter[str], in_dummy: bool) -> None:
        for item in elem.value or ():
            self._walk(item, days, actions, in_dummy_sequence=in_dummy)

    def _unlisted(
        self, ds: Dataset, elem: DataElement, days: int, actions: Counter[str], in_dummy_sequence: bool
    ) -> None:
        """Attributes not in the table are kept, apart from dates (shifted) and text inside D sequences."""
        if elem.VR == "SQ":
            self._walk_items(elem, days, actions, in_dummy_sequence)
        elif elem.VR in ("DA", "DT") and self.options.retain_longitudinal_modified_dates:
            elem.value = _map_values(elem.value, lambda v: _shift(v, elem.VR, days))
            actions["C"] += 1
        elif in_dummy_sequence and elem.VR in _FREE_TEXT_VRS and elem.value not in (None, ""):
            elem.value = DUMMY_VALUES[elem.VR]
            actions["D"] += 1

    def _apply(
        self,
        ds: Dataset,
        elem: DataElement,
        action: str,
        days: int,
        actions: Counter[str],
        in_dummy_sequence: bool,
    ) -> None:
        vr = elem.VR
        if action == "X":
            del ds[elem.tag]
        elif action == "K":
            if vr == "SQ":
                self._walk_items(elem, days, actions, in_dummy_sequence)
        elif action == "Z":
            elem.value = Sequence() if vr == "SQ" else None
        elif vr == "SQ":  # D, U or C on a sequence: keep the items, de-identified; D also blanks free text
            self._walk_items(elem, days, actions, in_dummy_sequence or action == "D")
        elif vr == "UI":  # D, U and C all replace a UID with its keyed counterpart
            elem.value = _map_values(elem.value, self.new_uid)
        elif action == "C" and vr in ("DA", "DT"):
            elem.value = _map_values(elem.value, lambda v: _shift(v, vr, days))
        elif action == "C" and vr == "TM":
            pass  # whole-day shifts leave times of day unchanged
        elif elem.value not in (None, "", b""):  # D, or C/U on an unexpected VR
            elem.value = _dummy(vr)

    def _private_keep(self, ds: Dataset) -> set[int]:
        """Tags of safelisted private elements present in `ds`, with their private creator elements."""
        keep: set[int] = set()
        for group, element in self.options.private_tag_safelist:
            tag = (group << 16) | element
            if tag in ds:
                keep.add(tag)
                if element >= 0x1000:
                    keep.add((group << 16) | (element >> 8))
        return keep

    def _clean_file_meta(self, meta: FileMetaDataset, actions: Counter[str]) -> None:
        if "MediaStorageSOPInstanceUID" in meta:
            meta.MediaStorageSOPInstanceUID = UID(self.new_uid(str(meta.MediaStorageSOPInstanceUID)))
            actions["U"] += 1
        for tag in (0x00020016, 0x00020017, 0x00020018):  # source, sending and receiving AE titles
            if tag in meta:
                del meta[tag]
                actions["X"] += 1

    def _mark(self, ds: Dataset, pseudonym: str, *, masked: bool, cleared: bool) -> None:
        """Pseudonym, Patient Identity Removed, De-identification Method and its code sequence."""
        opts = self.options
        ds.PatientName = pseudonym
        ds.PatientID = pseudonym
        if opts.retain_patient_characteristics and "PatientAge" in ds:
            ds.PatientAge = _cap_age(str(ds.PatientAge or ""))
        ds.PatientIdentityRemoved = "YES"
        ds.LongitudinalTemporalInformationModified = (
            "MODIFIED" if opts.retain_longitudinal_modified_dates else "REMOVED"
        )
        codes = ["113100"]
        methods = ["PS3.15 E.1 Basic Application Confidentiality Profile"]
        if opts.retain_longitudinal_modified_dates:
            codes.append("113107")
            methods.append("Retain Longitudinal Temporal Info Modified Dates")
        if opts.retain_patient_characteristics:
            codes.append("113108")
            methods.append("Retain Patient Characteristics (age > 89 as 090Y)")
        if opts.retain_device_identity:
            codes.append("113109")
            methods.append("Retain Device Identity")
        if opts.private_tag_safelist:
            codes.append("113111")
            methods.append("Retain Safe Private (site safelist)")
        if masked:
            codes.append("113101")
            methods.append("Burned-in text regions masked (healthfm)")
        elif cleared:
            methods.append("Burned-in text cleared by user attestation")
        ds.DeidentificationMethod = methods
        items = []
        for code in codes:
            item = Dataset()
            item.CodeValue = code
            item.CodingSchemeDesignator = "DCM"
            item.CodeMeaning = CID_7050[code]
            items.append(item)
        ds.DeidentificationMethodCodeSequence = Sequence(items)


def write_dataset(ds: Dataset, dst: Path | BinaryIO) -> None:
    """Write `ds` as a DICOM file, filling in the file meta information a bare dataset lacks."""
    meta = ds.file_meta if ds.file_meta is not None else FileMetaDataset()
    if "TransferSyntaxUID" not in meta:
        implicit, little = ds.original_encoding
        if implicit is None:
            implicit, little = False, True
        meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
        )
    ds.file_meta = meta
    # A dataset without SOP Class/Instance UIDs cannot be a conformant file; it is written bare, as it came.
    complete = bool(ds.get("SOPClassUID")) and bool(ds.get("SOPInstanceUID"))
    ds.save_as(dst, enforce_file_format=complete)


def burned_in_risk(ds: Dataset) -> str | None:
    """Why the pixel data may carry burned-in text, or None."""
    if not any(tag in ds for tag in _PIXEL_TAGS):
        return None
    annotation = str(ds.get("BurnedInAnnotation", "") or "").strip().upper()
    sop_class = str(ds.get("SOPClassUID", "") or "").strip()
    modality = str(ds.get("Modality", "") or "").strip().upper()
    if annotation == "YES":
        return "Burned In Annotation is YES"
    if sop_class in _SECONDARY_CAPTURE:
        return "secondary capture SOP class"
    if modality in ("US", "IVUS") or sop_class in _ULTRASOUND:
        return "ultrasound image"
    if modality in ("OT", "SC") and annotation != "NO":
        return f"modality {modality} without Burned In Annotation NO"
    return None


def _mask_pixels(ds: Dataset, regions: Iterable[tuple[int, int, int, int]]) -> str | None:
    """Set each region to the image minimum in every frame and store the pixels uncompressed."""
    try:
        arr = np.array(ds.pixel_array, copy=True)
    except Exception as exc:  # decoders raise many types; report the kind only
        return f"pixel data could not be decoded for masking ({type(exc).__name__})"
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    view = arr if frames > 1 else arr[np.newaxis]  # (F, R, C[, S])
    low = arr.min()
    for r0, c0, r1, c1 in regions:
        view[:, r0:r1, c0:c1, ...] = low
    photometric = str(ds.PhotometricInterpretation)
    if photometric.startswith("YBR") and int(ds.get("SamplesPerPixel", 1)) == 3:
        photometric = "RGB"  # pixel_array converts YCbCr to RGB by default
    ds.set_pixel_data(arr, photometric, int(ds.BitsStored), generate_instance_uid=False)
    return None


def _map_values(value: Any, fn: Any) -> Any:
    if isinstance(value, (MultiValue, list, tuple)):
        return [fn(str(v)) for v in value]
    if value is None or value == "":
        return value
    return fn(str(value))


def _shift(value: str, vr: str, days: int) -> str:
    """Shift a DA or DT value by whole days; a value that cannot be parsed is emptied."""
    value = value.strip()
    match = _DT_RE.match(value)
    if match is None:
        return ""
    try:
        day = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
        shifted = day + datetime.timedelta(days=days)
    except (ValueError, OverflowError):
        return ""
    rest = match.group(2) if vr == "DT" else ""
    if vr == "DA" and match.group(2):
        return ""  # a range or garbage, not a single date
    return shifted.strftime("%Y%m%d").zfill(8) + rest


def _dummy(vr: str) -> Any:
    if vr in DUMMY_VALUES:
        return DUMMY_VALUES[vr]
    if vr in ("OB", "OW", "OD", "OF", "OL", "OV", "UN"):
        return b""
    return None


def _cap_age(age: str) -> str:
    """Ages over 89 years are reported as 090Y (HIPAA Safe Harbor)."""
    if len(age) == 4 and age[:3].isdigit() and age[3] == "Y" and int(age[:3]) > 89:
        return "090Y"
    return age
