"""The most recent waveform before the prediction time → resampled, band-passed, per-lead normalised leads.

Transform (deterministic): pick the requested leads by name (missing ones are zeros with `lead_mask`
False), resample to `target_rate` (polyphase), zero-phase Butterworth band-pass (removes baseline wander
and mains noise), normalise each lead. `collate` cuts `n_samples`: a random window in training, the
centre otherwise, and may drop random leads in training.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, ClassVar, Self

import numpy as np
import torch
from scipy.signal import butter, resample_poly, sosfiltfilt  # type: ignore[import-untyped]

from healthfm.data.base import PROCESSORS, Arrays, BlobSource, subject_error_context
from healthfm.data.image import latest_blob, read_blob
from healthfm.errors import DataError, UsageError
from healthfm.ingest.waveforms import ECG_LEADS, normalise_lead_name
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample

NORMALISATIONS = ("zscore", "robust", "none")
# The transform keeps at most this many crop lengths of a long record (centred), so random crops have
# room to move while a 24-hour Holter does not fill memory.
_STORED_CROPS = 4


@functools.lru_cache(maxsize=32)
def _band_filter(rate: float, low: float, high: float, order: int) -> np.ndarray[Any, Any]:
    nyquist = rate / 2
    if high >= 0.95 * nyquist:  # resample_poly already low-passed at the new Nyquist rate
        return butter(order, low, btype="highpass", fs=rate, output="sos")  # type: ignore[no-any-return]
    return butter(order, [low, high], btype="bandpass", fs=rate, output="sos")  # type: ignore[no-any-return]


def _key(name: str) -> str:
    return normalise_lead_name(name).casefold()


@PROCESSORS.register("signal")
class SignalProcessor:
    """Waveform blobs → `signal` (C, N) float32 and `lead_mask` (C,) bool.

    Parameters:
        target_rate: sampling rate after resampling (Hz).
        n_samples: crop length in samples at `target_rate` (default 10 s at 100 Hz).
        leads: output leads in order, matched to the blob's lead names case-insensitively (after the
            ingest's lead-name normalisation); default the standard 12 ECG leads.
        band: band-pass edges in Hz, or None for no filter; the upper edge is dropped when it lies at
            or above 95 % of the new Nyquist rate.
        filter_order: Butterworth order (applied forwards and backwards: zero phase).
        normalize: "zscore" (per lead per record), "robust" (median / IQR) or "none".
        codes: waveform event codes to take (e.g. ["ECG/12LEAD"]); None = any signal event with a blob.
        lead_dropout: in training, the chance of hiding each recorded lead (at least one stays).

    A lead is masked when the blob lacks it or it is flat or non-finite. A blob without lead names is
    read as `leads` in order when it has exactly that many rows.
    """

    name: ClassVar[str] = "signal"
    modality: ClassVar[Modality] = Modality.SIGNAL

    def __init__(
        self,
        target_rate: float = 100.0,
        n_samples: int = 1000,
        leads: Sequence[str] = ECG_LEADS,
        band: Sequence[float] | None = (0.5, 40.0),
        filter_order: int = 4,
        normalize: str = "zscore",
        codes: Sequence[str] | None = None,
        lead_dropout: float = 0.0,
    ) -> None:
        if target_rate <= 0 or n_samples < 8:
            raise UsageError(
                f"SignalProcessor: need target_rate > 0 and n_samples >= 8, got {target_rate}, {n_samples}"
            )
        if not leads:
            raise UsageError("SignalProcessor: leads must name at least one lead")
        if band is not None and not 0 < band[0] < band[1]:
            raise UsageError(f"SignalProcessor: band must be (low, high) with 0 < low < high, got {band}")
        if band is not None and band[0] >= 0.95 * target_rate / 2:
            raise UsageError(
                f"SignalProcessor: band low edge {band[0]} Hz is above the Nyquist rate of {target_rate} Hz"
            )
        if normalize not in NORMALISATIONS:
            raise UsageError(f"SignalProcessor: normalize must be one of {NORMALISATIONS}, got {normalize!r}")
        if not 0.0 <= lead_dropout < 1.0:
            raise UsageError(f"SignalProcessor: lead_dropout must lie in [0, 1), got {lead_dropout}")
        self.target_rate = float(target_rate)
        self.n_samples = int(n_samples)
        self.leads = tuple(leads)
        self.band = None if band is None else (float(band[0]), float(band[1]))
        self.filter_order = filter_order
        self.normalize = normalize
        self.codes = None if codes is None else tuple(codes)
        self.lead_dropout = lead_dropout
        self.n_fit_present_: int | None = None

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Self:
        # nothing is learned (normalisation is per record); count how many training samples have a waveform
        self.n_fit_present_ = sum(
            latest_blob(s, tl, self.modality, self.codes) is not None for s, tl in items
        )
        return self

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None:
        found = latest_blob(sample, visible, self.modality, self.codes)
        if found is None:
            return None
        code, uri = found
        array, meta = read_blob(blobs, sample, code, uri, "signal")
        try:
            signal, mask = self.prepare(array, float(meta.sampling_rate), meta.lead_names)
        except ValueError as exc:
            raise DataError(f"{subject_error_context(sample, code, uri)}: {exc}") from None
        return {"signal": signal, "lead_mask": mask}

    def prepare(
        self, array: np.ndarray[Any, Any], rate: float, lead_names: Sequence[str] | None
    ) -> tuple[np.ndarray[Any, np.dtype[np.float32]], np.ndarray[Any, np.dtype[np.bool_]]]:
        """Leads × samples at `rate` → (C, N) float32 at `target_rate` and the (C,) lead mask."""
        if array.ndim != 2 or array.shape[1] < 2 or not np.issubdtype(array.dtype, np.number):
            raise ValueError(f"shape {tuple(array.shape)} ({array.dtype}) is not leads × samples")
        if lead_names is None:
            if array.shape[0] != len(self.leads):
                raise ValueError(
                    f"{array.shape[0]} unnamed leads; expected {len(self.leads)} ({', '.join(self.leads)})"
                )
            lead_names = self.leads
        if len(lead_names) != array.shape[0]:
            raise ValueError(f"{len(lead_names)} lead names for {array.shape[0]} leads")
        rows = {_key(name): i for i, name in reversed(list(enumerate(lead_names)))}
        picked = [rows.get(_key(lead)) for lead in self.leads]
        if all(i is None for i in picked):
            raise ValueError(
                f"none of the leads {', '.join(self.leads)} is in the record ({', '.join(lead_names)})"
            )
        x = np.zeros((len(self.leads), array.shape[1]), dtype=np.float64)
        mask = np.zeros(len(self.leads), dtype=bool)
        for out, i in enumerate(picked):
            if i is not None:
                x[out], mask[out] = array[i], True
        finite = np.isfinite(x)
        mask &= finite.any(axis=1)
        x = np.where(finite, x, 0.0)

        ratio = Fraction(self.target_rate / rate).limit_denominator(1000)
        if ratio != 1:
            x = resample_poly(x, ratio.numerator, ratio.denominator, axis=1)
        if self.band is not None:
            sos = _band_filter(self.target_rate, self.band[0], self.band[1], self.filter_order)
            padlen = min(3 * (2 * len(sos) + 1), x.shape[1] - 1)
            x = sosfiltfilt(sos, x, axis=1, padlen=padlen)
        keep = _STORED_CROPS * self.n_samples
        if x.shape[1] > keep:
            start = (x.shape[1] - keep) // 2
            x = x[:, start : start + keep]
        spread = x.std(axis=1)
        mask &= spread > 1e-6 * max(1.0, float(np.abs(x).max()))
        if self.normalize == "zscore":
            x = (x - x.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)[:, None]
        elif self.normalize == "robust":
            q25, median, q75 = np.percentile(x, [25, 50, 75], axis=1, keepdims=True)
            iqr = q75 - q25
            x = (x - median) / np.where(iqr > 0, iqr / 1.349, 1.0)  # IQR of a standard normal is 1.349
        x[~mask] = 0.0
        return x.astype(np.float32), mask

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput:
        n, c = self.n_samples, len(self.leads)
        signal = torch.zeros((len(items), c, n), dtype=torch.float32)
        lead_mask = torch.zeros((len(items), c), dtype=torch.bool)
        for row, item in enumerate(items):
            if item is None:
                continue
            x = torch.from_numpy(item["signal"])
            length = x.shape[1]
            if length > n:
                slack = length - n
                start = int(torch.randint(0, slack + 1, (1,), generator=generator)) if train else slack // 2
                x = x[:, start : start + n]
            signal[row, :, : x.shape[1]] = x  # short records are zero-padded at the end
            lead_mask[row] = torch.from_numpy(item["lead_mask"])
        if train and self.lead_dropout > 0:
            drop = (torch.rand((len(items), c), generator=generator) < self.lead_dropout) & lead_mask
            # never hide every recorded lead of a row
            drop &= ~(drop.sum(1, keepdim=True) == lead_mask.sum(1, keepdim=True))
            lead_mask &= ~drop
            signal[drop] = 0.0
        present = torch.tensor([it is not None for it in items], dtype=torch.bool)
        return ModalityInput(values={"signal": signal, "lead_mask": lead_mask}, mask=present)

    def encoder_options(self) -> dict[str, Any]:
        return {
            "n_leads": len(self.leads),
            "lead_names": list(self.leads),
            "n_samples": self.n_samples,
            "sampling_rate": self.target_rate,
        }

    def state(self) -> dict[str, Any]:
        return {
            "params": {
                "target_rate": self.target_rate,
                "n_samples": self.n_samples,
                "leads": list(self.leads),
                "band": None if self.band is None else list(self.band),
                "filter_order": self.filter_order,
                "normalize": self.normalize,
                "codes": None if self.codes is None else list(self.codes),
                "lead_dropout": self.lead_dropout,
            },
            "n_fit_present": self.n_fit_present_,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        proc = cls(**state["params"])
        proc.n_fit_present_ = state.get("n_fit_present")
        return proc
