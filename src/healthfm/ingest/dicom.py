"""DICOM files and folders into image blobs (2-D, multi-frame, 3-D volumes) and ECG waveform blobs.

A folder is grouped by StudyInstanceUID/SeriesInstanceUID; one series of single-frame slices that share
an orientation becomes one (z, y, x) volume. Pixel values are rescaled to float32 modality units.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.ingest.waveforms import millivolt_factor, normalise_lead_name, resample, waveform_code
from healthfm.schema import Modality
from healthfm.store.blobs import BlobMeta

_SERIES_PROBE_FILES = 64
_PIXEL_TAGS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
_SUFFIXES = (".dcm", ".dicom", ".ima")
_HEADER_TAGS = [
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "NumberOfFrames",
    "ImagePositionPatient",
    "ImageOrientationPatient",
    "InstanceNumber",
    "Rows",
    "Columns",
    "SamplesPerPixel",
]


class DicomReader(Reader):
    """DICOM Part 10 files, or folders of them; `target_rate` resamples ECG waveforms (None keeps them)."""

    name: ClassVar[str] = "dicom"

    def __init__(self, target_rate: float | None = 500.0, *, clear_burned_in: bool = False) -> None:
        self.target_rate = target_rate
        # Images that may carry burned-in text (PS3.15: Burned In Annotation YES, secondary capture,
        # ultrasound) are held back unless the user has checked them.
        self.clear_burned_in = clear_burned_in

    def claims(self, path: Path) -> bool:
        """A DICOM file; or a folder, only when it holds a series of several files to assemble.

        A folder of unrelated images (one file per series, as most radiograph and ECG exports are)
        is left to be read file by file, so `--workers` spreads it and new files add alone. Only the
        first files are looked at (a series folder shows itself at once); a large mixed folder whose
        series files come late is read file by file, its slices stored as 2-D images.
        """
        if path.is_dir():
            return _holds_multi_file_series(path)
        return _is_dicom_file(path)

    def read(self, path: Path, sink: IngestSink) -> None:
        # pydicom warns on many repairable quirks (wrong VR, odd padding); count them, do not let a
        # warnings-as-errors filter turn a readable file into a crash.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self._read(path, sink)
        if caught:
            sink.count("warning:dicom", len(caught))

    def _read(self, path: Path, sink: IngestSink) -> None:
        if path.is_file():
            sink.count("read:dicom")
            ds = _dcmread(path, sink)
            if ds is not None:
                self._guarded(path, ds, sink)
            return
        for group in _group_series(sorted(p for p in path.rglob("*") if p.is_file()), sink):
            if len(group) > 1 and self._read_volume(group, sink):
                continue
            for header in group:
                ds = _dcmread(header.path, sink)
                if ds is not None:
                    self._guarded(header.path, ds, sink)

    def _guarded(self, path: Path, ds: Any, sink: IngestSink) -> None:
        """`_read_instance`, with any surprise from a malformed element quarantined instead of raised."""
        try:
            self._read_instance(path, ds, sink)
        except Exception as exc:  # lazily converted elements (IS, DS, sequences) raise on bad values
            sink.quarantine(path, "dataset", f"malformed element: {_why(exc)}")

    def _read_instance(self, path: Path, ds: Any, sink: IngestSink) -> None:
        """One file: an image (2-D, multi-frame or RGB) or a waveform."""
        subject = _subject_key(ds)
        if subject is None:
            sink.quarantine(path, "tag (0010,0020)", "no PatientID; cannot link to a patient", _excerpt(ds))
            return
        name = str(ds.get("PatientName", "") or "").replace("^", " ").strip()
        sink.identify(subject, names=(name,) if name else (), mrns=(str(ds.PatientID),))
        if not self.clear_burned_in:
            from healthfm.privacy.dicom_deid import burned_in_risk

            risk = burned_in_risk(ds)
            if risk is not None:
                sink.quarantine(
                    path,
                    "pixel data",
                    f"held back: {risk}; the image may carry burned-in text — check it and ingest with "
                    "--clear-burned-in",
                )
                return
        if not any(tag in ds for tag in _PIXEL_TAGS):
            if "WaveformSequence" in ds:
                self._read_waveform(path, ds, subject, sink)
                return
            sink.quarantine(path, "dataset", f"no pixel data and no waveform ({_sop_name(ds)})", _excerpt(ds))
            return
        try:
            image, spacing, extra = _decode_image(ds)
        except _UnsupportedSyntaxError as exc:
            sink.quarantine(path, "tag (0002,0010)", str(exc), _excerpt(ds))
            return
        except Exception as exc:  # decoders raise ValueError/RuntimeError/KeyError on corrupt data
            sink.quarantine(path, "tag (7FE0,0010)", f"cannot decode pixel data: {_why(exc)}", _excerpt(ds))
            return
        _emit_image(sink, ds, subject, image, spacing, {**extra, "n_files": 1})
        sink.count("ingested:dicom")

    def _read_volume(self, files: list[_Header], sink: IngestSink) -> bool:
        """Stack one series' single-frame slices into (z, y, x); False when they do not form a volume."""
        geometry = _volume_order(files)
        if geometry is None:
            return False
        ordered, z_spacing = geometry
        datasets = []
        for header in ordered:
            ds = _dcmread(header.path, None)
            if ds is None:
                return False  # the files go through one by one, which quarantines the bad one
            datasets.append(ds)
        first = datasets[0]
        subject = _subject_key(first)
        if subject is None or any(not any(t in ds for t in _PIXEL_TAGS) for ds in datasets):
            return False
        try:
            slices = [_decode_image(ds) for ds in datasets]
        except Exception:  # one bad slice: fall back to per-file handling, which quarantines it
            return False
        if any(s[0].ndim != 2 for s in slices) or len({s[0].shape for s in slices}) != 1:
            return False
        volume = np.stack([s[0] for s in slices])
        yx = slices[0][1]
        spacing = (z_spacing, *yx) if yx is not None and z_spacing is not None else None
        _emit_image(sink, first, subject, volume, spacing, {**slices[0][2], "n_files": len(ordered)})
        sink.count("ingested:dicom", len(ordered))
        return True

    def _read_waveform(self, path: Path, ds: Any, subject: str, sink: IngestSink) -> None:
        groups = list(ds.WaveformSequence)
        index = next(
            (i for i, g in enumerate(groups) if "RHYTHM" in str(g.get("MultiplexGroupLabel", "")).upper()), 0
        )
        if len(groups) > 1:
            sink.count("skipped:dicom-waveform-group", len(groups) - 1)  # e.g. the MEDIAN beats
        try:
            data, rate, leads, units = _multiplex(groups[index])
        except ValueError as exc:
            sink.quarantine(path, f"WaveformSequence[{index}]", str(exc), _excerpt(ds))
            return
        if not np.isfinite(data).all():
            sink.quarantine(path, f"WaveformSequence[{index}]", "NaN or infinite samples", _excerpt(ds))
            return
        signal, out_rate = resample(data, rate, self.target_rate)
        meta = BlobMeta(
            kind="waveform",
            sampling_rate=out_rate,
            lead_names=leads,
            units=units,
            modality=str(ds.get("Modality", "")) or None,
            extra={"source_rate": rate, **_uids(ds)},
        )
        uri = sink.put_blob(signal, meta)
        code = waveform_code(leads) if units == "mV" else f"DICOM/{ds.get('Modality', 'WAVEFORM')}"
        time = _acquisition_time(ds)
        sink.emit(SourceEvent(subject, time, code, modality=Modality.SIGNAL, blob=uri))
        _emit_study(sink, ds, subject, time)
        sink.count("ingested:dicom")


@dataclass(frozen=True)
class _Header:
    path: Path
    study: str
    series: str
    frames: int
    position: tuple[float, ...] | None
    orientation: tuple[float, ...] | None
    instance: int
    shape: tuple[int, int, int]


class _UnsupportedSyntaxError(Exception):
    """A transfer syntax no installed pydicom plugin decodes."""


def _holds_multi_file_series(folder: Path) -> bool:
    import pydicom

    seen: set[str] = set()
    candidates = (p for p in sorted(folder.iterdir()) if p.is_file() and _is_dicom_file(p))
    for p in itertools.islice(candidates, _SERIES_PROBE_FILES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the reader counts header quirks when it reads the file
                ds = pydicom.dcmread(
                    p, stop_before_pixels=True, specific_tags=["SeriesInstanceUID"], force=True
                )
        except Exception:  # unreadable here: the reader quarantines it when it reads the file
            continue
        series = str(ds.get("SeriesInstanceUID", "") or "")
        if series and series in seen:
            return True
        seen.add(series)
    return False


def _is_dicom_file(path: Path) -> bool:
    if path.suffix.lower() in _SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(132)[128:132] == b"DICM"
    except OSError:
        return False


def _dcmread(path: Path, sink: IngestSink | None, **kwargs: Any) -> Any:
    """The dataset, or None after quarantining the file (when a sink is given)."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        return pydicom.dcmread(path, **kwargs)
    except InvalidDicomError as exc:
        ds = _read_without_meta(path, **kwargs) if path.suffix.lower() in _SUFFIXES else None
        if ds is not None:
            return ds
        if sink is not None:
            sink.quarantine(path, "offset 128", f"not a DICOM file: {exc}", _head(path))
    except Exception as exc:  # truncated or corrupt files raise EOFError, struct.error, ValueError …
        if sink is not None:
            sink.quarantine(path, "file", f"unreadable DICOM: {_why(exc)}", _head(path))
    return None


def _read_without_meta(path: Path, **kwargs: Any) -> Any:
    """A bare dataset without preamble and File Meta (old ACR-NEMA style files named .dcm), or None."""
    import pydicom
    from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

    try:
        ds = pydicom.dcmread(path, force=True, **kwargs)
    except Exception:  # anything that is not a dataset even when forced
        return None
    if "SOPClassUID" not in ds:
        return None
    implicit, little = getattr(ds, "original_encoding", (True, True))
    syntax = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
    ds.file_meta.TransferSyntaxUID = syntax
    return ds


def _group_series(files: list[Path], sink: IngestSink) -> list[list[_Header]]:
    """Headers of a folder's DICOM files, grouped by (study, series) in a stable order."""
    groups: dict[tuple[str, str], list[_Header]] = defaultdict(list)
    for path in files:
        if path.name.upper() != "DICOMDIR" and not _is_dicom_file(path):
            sink.count("skipped:non-dicom-file")
            continue
        sink.count("read:dicom")
        ds = _dcmread(path, sink, stop_before_pixels=True, specific_tags=_HEADER_TAGS)
        if ds is None:
            continue
        try:
            header = _header(path, ds)
        except Exception as exc:  # a malformed UID or geometry element
            sink.quarantine(path, "dataset", f"malformed header element: {_why(exc)}")
            continue
        groups[(header.study, header.series)].append(header)
    return [groups[k] for k in sorted(groups)]


def _header(path: Path, ds: Any) -> _Header:
    return _Header(
        path=path,
        study=str(ds.get("StudyInstanceUID", "")),
        series=str(ds.get("SeriesInstanceUID", "")) or str(path),
        frames=_int(ds.get("NumberOfFrames"), 1),
        position=_floats(ds.get("ImagePositionPatient"), 3),
        orientation=_floats(ds.get("ImageOrientationPatient"), 6),
        instance=_int(ds.get("InstanceNumber"), 0),
        shape=(_int(ds.get("Rows"), 0), _int(ds.get("Columns"), 0), _int(ds.get("SamplesPerPixel"), 1)),
    )


def _volume_order(files: list[_Header]) -> tuple[list[_Header], float | None] | None:
    """Slices sorted along the normal with their z spacing (mm), or None when they are not one volume."""
    first = files[0]
    if any(h.frames != 1 or h.shape != first.shape or h.shape[2] != 1 for h in files):
        return None
    if all(h.position is not None and h.orientation is not None for h in files):
        orientation = np.asarray(first.orientation)
        if any(
            not np.allclose(np.asarray(h.orientation, dtype=float), orientation, atol=1e-4) for h in files
        ):
            return None
        normal = np.cross(orientation[:3], orientation[3:])
        along = [float(np.dot(normal, h.position or ())) for h in files]
        order = np.argsort(along, kind="stable")
        gaps = np.diff(np.asarray(along)[order])
        if (gaps < 1e-3).any():  # two slices at one position: echoes or time points, not a volume
            return None
        return [files[i] for i in order], float(np.median(gaps))
    if len({h.instance for h in files}) == len(files) and all(h.instance for h in files):
        return sorted(files, key=lambda h: h.instance), None
    return None


def _decode_image(ds: Any) -> tuple[np.ndarray[Any, Any], tuple[float, ...] | None, dict[str, Any]]:
    """Pixels as float32 modality values (grey) or as decoded (RGB), with (y, x) or (z, y, x) spacing."""
    _check_transfer_syntax(ds)
    arr = ds.pixel_array
    photometric = str(ds.get("PhotometricInterpretation", "")).upper()
    frames = _int(ds.get("NumberOfFrames"), 1)
    extra: dict[str, Any] = {"photometric": photometric, "transfer_syntax": _ts(ds)}
    if photometric == "PALETTE COLOR":
        from pydicom.pixels.processing import apply_color_lut

        arr = apply_color_lut(arr, ds)
        photometric = "RGB"
    if int(ds.get("SamplesPerPixel", 1)) == 1 and photometric != "RGB":
        if photometric == "MONOCHROME1":
            arr = _invert(arr, ds)
            extra["inverted"] = True
        arr = _rescale(arr, ds, frames)
    yx = _pixel_spacing(ds)
    spacing: tuple[float, ...] | None = yx
    if frames > 1:
        z = _frame_spacing(ds)
        spacing = (z, *yx) if z is not None and yx is not None else None
        if spacing is None and yx is not None:
            extra["pixel_spacing"] = list(yx)  # the frame axis is time or unknown
    return arr, spacing, extra


def _check_transfer_syntax(ds: Any) -> None:
    from pydicom.pixels.decoders.base import get_decoder

    uid = _ts(ds)
    if not uid or "PixelData" not in ds:
        return
    try:
        decoder = get_decoder(uid)
    except NotImplementedError:
        raise _UnsupportedSyntaxError(
            f"transfer syntax {uid} ({_uid_name(uid)}) has no pixel decoder in pydicom"
        ) from None
    if not decoder.is_available:
        needs = "; ".join(decoder.missing_dependencies) or "a plugin"
        hint = _PLUGIN_HINT.get(uid, "pylibjpeg-libjpeg or python-gdcm")
        raise _UnsupportedSyntaxError(
            f"transfer syntax {uid} {_uid_name(uid)} needs a decoder plugin (pip install {hint}); {needs}"
        )


_PLUGIN_HINT = {
    "1.2.840.10008.1.2.4.50": "pillow",
    "1.2.840.10008.1.2.4.51": "pylibjpeg-libjpeg",
    "1.2.840.10008.1.2.4.57": "pylibjpeg-libjpeg",
    "1.2.840.10008.1.2.4.70": "pylibjpeg-libjpeg",
    "1.2.840.10008.1.2.4.80": "pylibjpeg-libjpeg",
    "1.2.840.10008.1.2.4.81": "pylibjpeg-libjpeg",
    "1.2.840.10008.1.2.4.90": "pylibjpeg-openjpeg",
    "1.2.840.10008.1.2.4.91": "pylibjpeg-openjpeg",
    "1.2.840.10008.1.2.4.201": "pylibjpeg-openjpeg",
    "1.2.840.10008.1.2.4.202": "pylibjpeg-openjpeg",
    "1.2.840.10008.1.2.4.203": "pylibjpeg-openjpeg",
    "1.2.840.10008.1.2.5": "pylibjpeg-rle",
}


def _invert(arr: np.ndarray[Any, Any], ds: Any) -> np.ndarray[Any, Any]:
    """MONOCHROME1 shows low values bright; flip within the stored range so high means bright."""
    bits = _int(ds.get("BitsStored"), arr.dtype.itemsize * 8)
    if int(ds.get("PixelRepresentation", 0)) == 1:
        return np.asarray(-1 - arr.astype(np.int64))  # maps [-2^(b-1), 2^(b-1)-1] onto itself
    return np.asarray((2**bits - 1) - arr.astype(np.int64))


def _rescale(arr: np.ndarray[Any, Any], ds: Any, frames: int) -> np.ndarray[Any, Any]:
    """Apply the Modality LUT or RescaleSlope/Intercept, including enhanced multi-frame functional groups."""
    if "ModalityLUTSequence" in ds:
        from pydicom.pixels.processing import apply_modality_lut

        return np.asarray(apply_modality_lut(arr, ds), dtype=np.float32)
    out = arr.astype(np.float32)
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if frames > 1 and per_frame is not None and len(per_frame) == frames:
        shared = _transform(ds.get("SharedFunctionalGroupsSequence"))
        for i, item in enumerate(per_frame):
            slope, intercept = _transform([item]) or shared or (1.0, 0.0)
            out[i] = out[i] * slope + intercept
        return out
    slope, intercept = _transform(ds.get("SharedFunctionalGroupsSequence")) or (1.0, 0.0)
    if "RescaleSlope" in ds or "RescaleIntercept" in ds:
        slope = float(ds.get("RescaleSlope", 1.0) or 1.0)
        intercept = float(ds.get("RescaleIntercept", 0.0) or 0.0)
    if slope != 1.0 or intercept != 0.0:
        out = out * np.float32(slope) + np.float32(intercept)
    return out


def _transform(groups: Any) -> tuple[float, float] | None:
    for item in groups or ():
        for pvt in item.get("PixelValueTransformationSequence", ()) or ():
            if "RescaleSlope" in pvt or "RescaleIntercept" in pvt:
                return float(pvt.get("RescaleSlope", 1.0)), float(pvt.get("RescaleIntercept", 0.0))
    return None


def _pixel_spacing(ds: Any) -> tuple[float, float] | None:
    for tag in ("PixelSpacing", "ImagerPixelSpacing"):
        values = _floats(ds.get(tag), 2)
        if values is not None:
            return values[0], values[1]
    for item in ds.get("SharedFunctionalGroupsSequence", ()) or ():
        for pm in item.get("PixelMeasuresSequence", ()) or ():
            values = _floats(pm.get("PixelSpacing"), 2)
            if values is not None:
                return values[0], values[1]
    return None


def _frame_spacing(ds: Any) -> float | None:
    for source in (
        ds,
        *[
            pm
            for g in ds.get("SharedFunctionalGroupsSequence", ()) or ()
            for pm in g.get("PixelMeasuresSequence", ()) or ()
        ],
    ):
        for tag in ("SpacingBetweenSlices", "SliceThickness"):
            value = _floats(source.get(tag), 1)
            if value is not None and value[0] > 0:
                return value[0]
    return None


def _multiplex(group: Any) -> tuple[np.ndarray[Any, Any], float, tuple[str, ...], str]:
    """One multiplex group as leads × samples (float), its rate, lead names and unit ("mV" if voltage)."""
    from pydicom.waveforms.numpy_handler import WAVEFORM_DTYPES

    try:
        channels = int(group.NumberOfWaveformChannels)
        samples = int(group.NumberOfWaveformSamples)
        bits = int(group.WaveformBitsAllocated)
        kind = str(group.WaveformSampleInterpretation)
        rate = float(group.SamplingFrequency)
        raw = bytes(group.WaveformData)
    except AttributeError as exc:
        raise ValueError(f"incomplete multiplex group: {exc}") from None
    dtype = WAVEFORM_DTYPES.get((bits, kind))
    if dtype is None:
        raise ValueError(f"unsupported waveform encoding: {bits} bits, interpretation {kind}")
    need = channels * samples * np.dtype(dtype).itemsize
    if len(raw) < need:
        raise ValueError(f"WaveformData holds {len(raw)} bytes, {need} expected")
    data = np.frombuffer(raw[:need], dtype=dtype).reshape(samples, channels).T.astype(np.float64)
    definitions = list(group.get("ChannelDefinitionSequence", ()) or ())
    if len(definitions) != channels:
        raise ValueError(f"{len(definitions)} channel definitions for {channels} channels")
    leads, factors, units = [], [], set()
    for i, ch in enumerate(definitions):
        source = (ch.get("ChannelSourceSequence") or [None])[0]
        label = str(source.get("CodeMeaning", "")) if source is not None else ""
        leads.append(normalise_lead_name(label or str(ch.get("ChannelLabel", f"ch{i + 1}"))))
        unit_item = (ch.get("ChannelSensitivityUnitsSequence") or [None])[0]
        unit = str(unit_item.get("CodeValue", "")) if unit_item is not None else ""
        sensitivity = float(ch.get("ChannelSensitivity", 1.0) or 1.0)
        correction = float(ch.get("ChannelSensitivityCorrectionFactor", 1.0) or 1.0)
        baseline = float(ch.get("ChannelBaseline", 0.0) or 0.0)
        data[i] = data[i] * sensitivity * correction + baseline
        factor = millivolt_factor(unit) if unit else None
        factors.append(factor if factor is not None else 1.0)
        units.add("mV" if factor is not None else unit)
    if len(units) > 1:
        raise ValueError(f"channels in mixed units {sorted(units)}")
    data *= np.asarray(factors)[:, None]
    if rate <= 0:
        raise ValueError(f"SamplingFrequency {rate} is not positive")
    return data.astype(np.float32), rate, tuple(leads), units.pop() if units else "mV"


def _emit_image(
    sink: IngestSink,
    ds: Any,
    subject: str,
    image: np.ndarray[Any, Any],
    spacing: tuple[float, ...] | None,
    extra: dict[str, Any],
) -> None:
    modality = str(ds.get("Modality", "") or "OT")
    body_part = str(ds.get("BodyPartExamined", "") or "") or None
    meta = BlobMeta(
        kind="image",
        spacing=spacing,
        modality=modality,
        extra={**extra, **_uids(ds), **({"body_part": body_part} if body_part else {})},
    )
    uri = sink.put_blob(image, meta)
    time = _acquisition_time(ds)
    sink.emit(
        SourceEvent(
            subject, time, f"DICOM/{modality}", text_value=body_part, modality=Modality.IMAGE, blob=uri
        )
    )
    _emit_study(sink, ds, subject, time)


def _emit_study(sink: IngestSink, ds: Any, subject: str, time: dt.datetime | None) -> None:
    """The study UID as its own event, so a FHIR ImagingStudy (identifier urn:oid:<uid>) can be joined."""
    study = str(ds.get("StudyInstanceUID", ""))
    if study:
        sink.emit(SourceEvent(subject, time, "DICOM/StudyInstanceUID", text_value=study))


def _uids(ds: Any) -> dict[str, str]:
    return {
        "study_uid": str(ds.get("StudyInstanceUID", "")),
        "series_uid": str(ds.get("SeriesInstanceUID", "")),
        "sop_class": _uid_name(str(ds.get("SOPClassUID", ""))),
    }


def _subject_key(ds: Any) -> str | None:
    patient = str(ds.get("PatientID", "") or "").strip()
    if not patient:
        return None
    issuer = str(ds.get("IssuerOfPatientID", "") or "").strip()
    return f"mrn:{issuer or 'dicom'}|{patient}"


def _acquisition_time(ds: Any) -> dt.datetime | None:
    """AcquisitionDateTime, else Study/Series/Content/Acquisition date + time; naive UTC."""
    from pydicom.valuerep import DA, DT, TM

    offset = _utc_offset(str(ds.get("TimezoneOffsetFromUTC", "") or ""))
    try:
        if ds.get("AcquisitionDateTime"):
            stamp: dt.datetime = DT(str(ds.AcquisitionDateTime))
            return _to_utc(stamp, offset)
        for date_tag, time_tag in (
            ("StudyDate", "StudyTime"),
            ("SeriesDate", "SeriesTime"),
            ("AcquisitionDate", "AcquisitionTime"),
            ("ContentDate", "ContentTime"),
        ):
            if ds.get(date_tag):
                day = DA(str(ds.get(date_tag)))
                clock = TM(str(ds.get(time_tag))) if ds.get(time_tag) else dt.time()
                return _to_utc(dt.datetime.combine(day, clock), offset)
    except (ValueError, TypeError):
        return None
    return None


def _utc_offset(text: str) -> dt.timedelta | None:
    if len(text) == 5 and text[0] in "+-" and text[1:].isdigit():
        sign = 1 if text[0] == "+" else -1
        return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:]))
    return None


def _to_utc(stamp: dt.datetime, offset: dt.timedelta | None) -> dt.datetime:
    if stamp.tzinfo is not None:
        return stamp.astimezone(dt.UTC).replace(tzinfo=None)
    naive = dt.datetime(*stamp.timetuple()[:6], stamp.microsecond)  # drop pydicom's DT subclass
    return naive - offset if offset is not None else naive


def _ts(ds: Any) -> str:
    meta = getattr(ds, "file_meta", None)
    return str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""


def _uid_name(uid: str) -> str:
    from pydicom.uid import UID

    return UID(uid).name if uid else "no SOP class"


def _sop_name(ds: Any) -> str:
    meta = getattr(ds, "file_meta", None)
    uid = str(
        ds.get("SOPClassUID", "") or (meta.get("MediaStorageSOPClassUID", "") if meta is not None else "")
    )
    return _uid_name(uid)


def _floats(value: Any, n: int) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        items = list(value) if not isinstance(value, str | bytes) and hasattr(value, "__iter__") else [value]
        out = tuple(float(v) for v in items)
    except (TypeError, ValueError):
        return None
    return out if len(out) == n and all(np.isfinite(out)) else None


def _int(value: Any, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _excerpt(ds: Any) -> str:
    return f"SOPClass={_sop_name(ds)} Modality={ds.get('Modality', '')} TransferSyntax={_ts(ds)}"


def _head(path: Path, n: int = 200) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(n).decode("latin-1")
    except OSError:
        return ""
