"""Chest radiographs whose anatomy reflects the heart (CTR, congestion, effusion), and DICOM writers for
them and for 12-lead ECG waveforms. Every UID is derived from the seed, so files are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

from healthfm.synth.ecg import FS, LEADS
from healthfm.synth.phi import Identity, utc_offset

SIZE = 256
PIXEL_MM = 1.4  # 256 px x 1.4 mm = a 36 cm detector
DX_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
ECG_12_LEAD = "1.2.840.10008.5.1.4.1.1.9.1.1"
IMPLEMENTATION_UID = "1.2.826.0.1.3680043.8.498.1"
SCPECG = {
    "I": ("5.6.3-9-1", "Lead I (Einthoven)"),
    "II": ("5.6.3-9-2", "Lead II"),
    "III": ("5.6.3-9-61", "Lead III"),
    "aVR": ("5.6.3-9-62", "Lead aVR"),
    "aVL": ("5.6.3-9-63", "Lead aVL"),
    "aVF": ("5.6.3-9-64", "Lead aVF"),
    "V1": ("5.6.3-9-3", "Lead V1"),
    "V2": ("5.6.3-9-4", "Lead V2"),
    "V3": ("5.6.3-9-5", "Lead V3"),
    "V4": ("5.6.3-9-6", "Lead V4"),
    "V5": ("5.6.3-9-7", "Lead V5"),
    "V6": ("5.6.3-9-8", "Lead V6"),
}


@dataclass(frozen=True)
class ChestState:
    ctr: float
    congestion: bool
    effusion: bool


def uid(seed: int, *parts: object) -> str:
    """A DICOM UID determined by the seed and the object it names."""
    return str(generate_uid(entropy_srcs=[str(seed), *map(str, parts)]))


def chest_radiograph(state: ChestState, rng: np.random.Generator) -> npt.NDArray[np.uint16]:
    """A 256x256 PA radiograph (12-bit, MONOCHROME2): bright tissue, dark lungs, heart by CTR."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) / SIZE
    cx = 0.5 + 0.015 * rng.standard_normal()
    img = np.full((SIZE, SIZE), 0.15)
    body = ((x - cx) / 0.47) ** 2 + ((y - 0.55) / 0.6) ** 2 < 1
    img[body] = 0.62
    half = 0.36 + 0.02 * rng.standard_normal()  # half thoracic width
    dome = 0.78 + 0.02 * rng.standard_normal()
    lungs = np.zeros_like(img, dtype=bool)
    for side in (-1, 1):
        lx = cx + side * half * 0.55
        lung = ((x - lx) / (half * 0.45)) ** 2 + ((y - 0.48) / 0.36) ** 2 < 1
        lungs |= lung & (y < dome - 0.06 * ((x - lx) / (half * 0.45)) ** 2)
    img[lungs] = 0.22
    for k in range(9):  # posterior ribs as faint arcs
        ry = 0.2 + 0.065 * k
        arc = np.abs(y - (ry + 0.08 * (x - cx) ** 2 / 0.1)) < 0.008
        img[arc & lungs] += 0.08
    spine = np.abs(x - cx) < 0.035
    img[spine & body] = np.maximum(img[spine & body], 0.7)
    heart_half = state.ctr * half  # CTR = cardiac width / thoracic width
    hx = cx + 0.25 * heart_half  # two thirds of the heart lie left of midline
    heart = ((x - hx) / heart_half) ** 2 + ((y - (dome - 0.12)) / 0.15) ** 2 < 1
    img[heart & (y < dome + 0.02)] = 0.66
    lungs &= ~heart
    mediastinum = (np.abs(x - cx) < 0.07) & (y < dome - 0.2) & (y > 0.12)
    img[mediastinum] = np.maximum(img[mediastinum], 0.6)
    if state.congestion:  # perihilar haze and interstitial lines
        hila = sum(np.exp(-(((x - (cx + s * 0.13)) / 0.09) ** 2 + ((y - 0.45) / 0.12) ** 2)) for s in (-1, 1))
        lines = 0.05 * (np.sin(x * 180 + rng.uniform(0, 6)) > 0.85) * (y > 0.55)
        img += lungs * (0.2 * hila + lines)
    if state.effusion:  # fluid layering at the bases with a lateral meniscus
        level = dome - float(rng.uniform(0.08, 0.16))
        meniscus = level - 0.25 * np.abs(x - cx) ** 2
        img[lungs & (y > meniscus)] = 0.6
    img += 0.02 * rng.standard_normal(img.shape)
    return np.asarray(np.clip(img * 4095, 0, 4095), dtype=np.uint16)


def _base(who: Identity, when: datetime, sop_class: str, sop_uid: str) -> Dataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(sop_class)
    meta.MediaStorageSOPInstanceUID = UID(sop_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = UID(IMPLEMENTATION_UID)
    meta.ImplementationVersionName = "HEALTHFM_SYNTH"
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    ds.StudyDate = ds.ContentDate = ds.InstanceCreationDate = when.strftime("%Y%m%d")
    ds.StudyTime = ds.ContentTime = ds.InstanceCreationTime = when.strftime("%H%M%S")
    ds.AcquisitionDateTime = when.strftime("%Y%m%d%H%M%S")
    ds.TimezoneOffsetFromUTC = utc_offset(who.place).replace(":", "")
    ds.InstitutionName = who.place.institution
    ds.InstitutionAddress = f"{who.place.city}, {who.place.country}"
    ds.ReferringPhysicianName = "^".join(reversed(who.physician.removeprefix("Dr. ").split(" ")))
    ds.PatientName = f"{who.family}^{who.given}"
    ds.PatientID = who.mrn
    ds.PatientBirthDate = who.birth_date.strftime("%Y%m%d")
    ds.PatientAddress = f"{who.street}, {who.city}"
    ds.PatientTelephoneNumbers = who.phone
    ds.StudyID = "1"
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    return ds


def _age(birth: date, when: datetime) -> str:
    years = when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))
    return f"{years:03d}Y"


DICOM_PHI_KEYWORDS = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientAddress",
    "PatientTelephoneNumbers",
    "StudyDate",
    "ContentDate",
    "InstanceCreationDate",
    "AcquisitionDateTime",
    "AccessionNumber",
    "InstitutionName",
    "InstitutionAddress",
    "ReferringPhysicianName",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
)


def _study(
    who: Identity,
    when: datetime,
    sop_class: str,
    uids: tuple[str, str, str],
    accession: str,
    modality: str,
    male: bool,
    description: str,
) -> Dataset:
    """The header every synthetic study shares; `uids` are (study, series, instance)."""
    ds = _base(who, when, sop_class, uids[2])
    ds.StudyInstanceUID, ds.SeriesInstanceUID = uids[0], uids[1]
    ds.AccessionNumber = accession
    ds.Modality = modality
    ds.PatientSex = "M" if male else "F"
    ds.PatientAge = _age(who.birth_date, when)
    ds.StudyDescription = description
    ds.Manufacturer = "healthfm synthetic"
    return ds


def write_cxr(
    path: Path,
    pixels: npt.NDArray[np.uint16],
    who: Identity,
    male: bool,
    when: datetime,
    uids: tuple[str, str, str],
    accession: str,
) -> Dataset:
    """Write a DX (for presentation) image; `uids` are (study, series, instance)."""
    ds = _study(who, when, DX_PRESENTATION, uids, accession, "DX", male, "XR CHEST PA")
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = "PA"
    ds.PresentationIntentType = "FOR PRESENTATION"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelSpacing = ds.ImagerPixelSpacing = [PIXEL_MM, PIXEL_MM]
    ds.WindowCenter, ds.WindowWidth = 2048, 4096
    ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = 0, 1, "US"
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, enforce_file_format=True)
    return ds


def write_ecg(
    path: Path,
    signal_mv: npt.NDArray[np.float64],
    who: Identity,
    male: bool,
    when: datetime,
    uids: tuple[str, str, str],
    accession: str,
) -> Dataset:
    """Write a 12-lead ECG Waveform object, samples in µV (sensitivity 1 µV)."""
    ds = _study(who, when, ECG_12_LEAD, uids, accession, "ECG", male, "ECG 12 LEAD")
    group = Dataset()
    group.MultiplexGroupTimeOffset = 0
    group.WaveformOriginality = "ORIGINAL"
    group.NumberOfWaveformChannels = len(LEADS)
    group.NumberOfWaveformSamples = signal_mv.shape[1]
    group.SamplingFrequency = FS
    group.MultiplexGroupLabel = "RHYTHM"
    group.WaveformBitsAllocated = 16
    group.WaveformSampleInterpretation = "SS"
    channels = []
    for lead in LEADS:
        code, meaning = SCPECG[lead]
        source = Dataset()
        source.CodeValue, source.CodingSchemeDesignator, source.CodeMeaning = code, "SCPECG", meaning
        units = Dataset()
        units.CodeValue, units.CodingSchemeDesignator, units.CodeMeaning = "uV", "UCUM", "microvolt"
        ch = Dataset()
        ch.ChannelSourceSequence = Sequence([source])
        ch.ChannelSensitivity = 1
        ch.ChannelSensitivityUnitsSequence = Sequence([units])
        ch.ChannelSensitivityCorrectionFactor = 1
        ch.ChannelBaseline = 0
        ch.ChannelSampleSkew = 0
        ch.WaveformBitsStored = 16
        channels.append(ch)
    group.ChannelDefinitionSequence = Sequence(channels)
    samples = (
        np.round(signal_mv.T * 1000).clip(-32767, 32767).astype("<i2")
    )  # (samples, channels), interleaved
    group.WaveformData = samples.tobytes()
    ds.WaveformSequence = Sequence([group])
    ds.save_as(path, enforce_file_format=True)
    return ds
