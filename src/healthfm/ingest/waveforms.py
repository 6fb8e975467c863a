"""Waveform readers: WFDB records and EDF/EDF+ files into leads × samples blobs in mV.

Lead names are normalised (`I, II, III, aVR, aVL, aVF, V1…V6`) by `normalise_lead_name`, which the
DICOM ECG path shares; every record is resampled to `target_rate` when one is set.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.schema import Modality
from healthfm.store.blobs import BlobMeta

FloatArray = np.ndarray[Any, np.dtype[np.float32]]

ECG_LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
_CANONICAL = {name.upper(): name for name in ECG_LEADS}
_CANONICAL.update({f"V{i}": f"V{i}" for i in (7, 8, 9)})
_CANONICAL.update({f"V{i}R": f"V{i}R" for i in range(1, 7)})
_NOISE = re.compile(r"\(.*?\)|\b(?:lead|leads|ecg|ekg|mdc_ecg_lead_|signal)\b|[-_\s:.]+", re.IGNORECASE)
_MDC = re.compile(r"^MDC_ECG_LEAD_", re.IGNORECASE)

# Factor that turns a value in the unit into mV; keys are lower-cased unit spellings.
_TO_MV = {
    "mv": 1.0,
    "millivolt": 1.0,
    "uv": 1e-3,
    "µv": 1e-3,
    "μv": 1e-3,
    "microvolt": 1e-3,
    "v": 1e3,
    "volt": 1e3,
    "nv": 1e-6,
    "nanovolt": 1e-6,
}


def normalise_lead_name(label: str) -> str:
    """`"Lead I (Einthoven)"` → `"I"`, `"ECG V1"` → `"V1"`, `"avr"` → `"aVR"`; unknown labels are kept."""
    stripped = label.strip()
    key = _NOISE.sub("", _MDC.sub("", stripped)).upper()
    if key.endswith("REF") and key[:-3] in _CANONICAL:  # EDF montages: "V1-REF"
        key = key[:-3]
    return _CANONICAL.get(key, stripped)


def millivolt_factor(unit: str) -> float | None:
    """How many mV one `unit` is (`"uV"` → 0.001), or None for a non-voltage unit."""
    return _TO_MV.get(unit.strip().lower().replace("[", "").replace("]", ""))


def waveform_code(lead_names: tuple[str, ...]) -> str:
    """`ECG/12LEAD` when every channel is an ECG lead, else `WAVEFORM/<n>CH`."""
    n = len(lead_names)
    if n and all(name in _CANONICAL.values() for name in lead_names):
        return f"ECG/{n}LEAD"
    return f"WAVEFORM/{n}CH"


def resample(signal: FloatArray, rate: float, target_rate: float | None) -> tuple[FloatArray, float]:
    """Resample leads × samples from `rate` to `target_rate` (polyphase); returns the array and its rate."""
    if target_rate is None or abs(rate - target_rate) < 1e-9:
        return signal.astype(np.float32, copy=False), rate
    from scipy.signal import resample_poly  # type: ignore[import-untyped]

    ratio = Fraction(target_rate / rate).limit_denominator(1000)
    out = resample_poly(signal, ratio.numerator, ratio.denominator, axis=1)
    return np.asarray(out, dtype=np.float32), float(target_rate)


class WfdbReader(Reader):
    """A WFDB record, named by its `.hea` header; `# patient_id: X` names the patient (`mrn:wfdb|X`)."""

    name: ClassVar[str] = "wfdb"

    def __init__(self, target_rate: float | None = 500.0) -> None:
        self.target_rate = target_rate

    def claims(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() == ".hea"

    def read(self, path: Path, sink: IngestSink) -> None:
        sink.count("read:wfdb")
        try:
            record = _read_wfdb(path)
        except Exception as exc:  # wfdb raises bare ValueError/IndexError/OSError on bad headers and data
            sink.quarantine(
                path, "header", f"unreadable WFDB record: {type(exc).__name__}: {exc}", _head(path)
            )
            return
        try:
            self._emit(path, record, sink)
        except Exception as exc:  # a header wfdb accepted but whose fields do not add up
            sink.quarantine(path, "header", f"inconsistent WFDB record: {type(exc).__name__}: {exc}")

    def _emit(self, path: Path, record: Any, sink: IngestSink) -> None:
        patient = _patient_id(record.comments or [])
        if patient is None:
            sink.quarantine(path, "header comments", "no '# patient_id: …' comment; cannot link to a patient")
            return
        signal = record.p_signal
        if signal is None or signal.ndim != 2 or signal.shape[0] == 0:
            sink.quarantine(path, "signal", "record holds no samples")
            return
        units = [str(u) for u in (record.units or ["mV"] * signal.shape[1])]
        factors = [millivolt_factor(u) for u in units]
        bad_units = sorted({u for u, f in zip(units, factors, strict=True) if f is None})
        if bad_units:
            sink.quarantine(path, "header units", f"non-voltage units {bad_units}; expected mV, uV or V")
            return
        data = signal.T.astype(np.float64) * np.asarray(factors, dtype=np.float64)[:, None]
        time = None
        if record.base_date is not None:
            time = dt.datetime.combine(record.base_date, record.base_time or dt.time())
            offset = _comment(record.comments or [], ("utc_offset", "utc offset", "timezone"))
            if offset is not None:  # the header clock is local time; MEDS times are UTC
                try:
                    time = time.replace(tzinfo=dt.datetime.strptime(offset, "%z").tzinfo)
                    time = time.astimezone(dt.UTC).replace(tzinfo=None)
                except ValueError:
                    sink.quarantine(path, "header comments", f"utc_offset {offset!r} is not like +01:00")
                    return
        leads = tuple(normalise_lead_name(str(n)) for n in record.sig_name)
        _emit_waveform(
            sink,
            path,
            "wfdb",
            f"mrn:wfdb|{patient}",
            time,
            data,
            float(record.fs),
            leads,
            self.target_rate,
            {"record": str(record.record_name)},
        )


class EdfReader(Reader):
    """An EDF/EDF+ file; voltage channels become one blob in mV, the EDF+ patient code names the patient."""

    name: ClassVar[str] = "edf"

    def __init__(self, target_rate: float | None = 500.0) -> None:
        self.target_rate = target_rate

    def claims(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in (".edf", ".edf+", ".bdf")

    def read(self, path: Path, sink: IngestSink) -> None:
        sink.count("read:edf")
        try:
            import pyedflib  # type: ignore[import-not-found,unused-ignore]  # optional dependency
        except ImportError:
            sink.quarantine(path, "file", "EDF needs pyedflib (pip install pyedflib)")
            return
        try:
            with pyedflib.EdfReader(str(path)) as edf:
                header = edf.getHeader()
                labels = [str(s) for s in edf.getSignalLabels()]
                rates = [float(edf.getSampleFrequency(i)) for i in range(len(labels))]
                dims = [str(edf.getPhysicalDimension(i)) for i in range(len(labels))]
                keep = [i for i, d in enumerate(dims) if millivolt_factor(d) is not None]
                channels = [np.asarray(edf.readSignal(i), dtype=np.float64) for i in keep]
                start = edf.getStartdatetime()
        except Exception as exc:  # pyedflib raises OSError with its own message for bad headers
            sink.quarantine(path, "header", f"unreadable EDF file: {type(exc).__name__}: {exc}", _head(path))
            return
        patient = str(header.get("patientcode") or "").strip() or _edf_patient(str(header.get("patient", "")))
        if not patient:
            sink.quarantine(path, "header", "no patient code in the EDF header; cannot link to a patient")
            return
        if not keep:
            sink.quarantine(path, "header", f"no voltage channels (physical dimensions {sorted(set(dims))})")
            return
        dropped = [labels[i] for i in range(len(labels)) if i not in keep]
        if dropped:
            sink.count("skipped:edf-channel", len(dropped))
        kept_rates = {rates[i] for i in keep}
        if len(kept_rates) > 1 and self.target_rate is None:
            sink.quarantine(path, "header", f"channels sampled at {sorted(kept_rates)} Hz and no target_rate")
            return
        rows = []
        for i, chan in zip(keep, channels, strict=True):
            scaled = chan * (millivolt_factor(dims[i]) or 1.0)
            rows.append(resample(scaled[None, :].astype(np.float32), rates[i], self.target_rate)[0][0])
        length = min(len(r) for r in rows)
        data = np.stack([r[:length] for r in rows])
        rate = self.target_rate if self.target_rate is not None else rates[keep[0]]
        leads = tuple(normalise_lead_name(labels[i]) for i in keep)
        extra = {"dropped_channels": dropped} if dropped else {}
        _emit_waveform(sink, path, "edf", f"mrn:edf|{patient}", start, data, rate, leads, None, extra)


def _emit_waveform(
    sink: IngestSink,
    path: Path,
    source: str,
    subject_key: str,
    time: dt.datetime | None,
    data: np.ndarray[Any, Any],
    rate: float,
    leads: tuple[str, ...],
    target_rate: float | None,
    extra: dict[str, Any],
) -> None:
    """Check, resample and store one leads × samples array in mV, then emit its event."""
    if not np.isfinite(data).all():
        bad = int((~np.isfinite(data)).sum())
        sink.quarantine(path, "signal", f"{bad} NaN or infinite samples of {data.size}")
        return
    if rate <= 0:
        sink.quarantine(path, "header", f"sampling rate {rate} Hz is not positive")
        return
    signal, out_rate = resample(data.astype(np.float32), rate, target_rate)
    meta = BlobMeta(
        kind="waveform",
        sampling_rate=out_rate,
        lead_names=leads,
        units="mV",
        modality="ECG" if waveform_code(leads).startswith("ECG/") else None,
        extra={"source_rate": rate, **extra},
    )
    uri = sink.put_blob(signal, meta)
    sink.emit(
        SourceEvent(subject_key, _naive_utc(time), waveform_code(leads), modality=Modality.SIGNAL, blob=uri)
    )
    sink.count(f"ingested:{source}")


def _naive_utc(time: dt.datetime | None) -> dt.datetime | None:
    if time is None or time.tzinfo is None:
        return time
    return time.astimezone(dt.UTC).replace(tzinfo=None)


def _read_wfdb(path: Path) -> Any:
    from healthfm.synth.ecg import quiet_wfdb

    with quiet_wfdb() as wfdb:
        return wfdb.rdrecord(str(path.with_suffix("")), physical=True)


def _patient_id(comments: list[str]) -> str | None:
    return _comment(comments, ("patient_id", "patient id", "patientid"))


def _comment(comments: list[str], keys: tuple[str, ...]) -> str | None:
    """The value of the first `key: value` header comment whose key is one of `keys`."""
    for line in comments:
        key, sep, value = str(line).partition(":")
        if sep and key.strip().lower() in keys and value.strip():
            return value.strip()
    return None


def _edf_patient(field: str) -> str:
    """Plain EDF puts free text in the patient field; EDF+ starts it with the code, or X when unknown."""
    first = field.strip().split(" ")[0] if field.strip() else ""
    return "" if first in ("", "X") else first


def _head(path: Path, n: int = 400) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(n).decode("latin-1")
    except OSError:
        return ""
