"""12-lead resting ECGs (10 s, 500 Hz) shaped by the patient's state, written as WFDB records.

Beats follow the ECGSYN wave model (McSharry 2003; neurokit2's `ecg_simulate`): P, Q, R, S and T are
Gaussian bumps placed relative to each R peak, with per-lead amplitudes. Limb leads are derived from
I and II by Einthoven's and Goldberger's laws, so the 12 leads are mutually consistent. The full
ECGSYN ODE takes ~1.8 s per 12-lead record, too slow for the cohort's speed target, so its wave
model is evaluated in closed form; noise (baseline wander, powerline, EMG) comes from neurokit2.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FS = 500
SECONDS = 10
LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
FloatArray = npt.NDArray[np.float64]

# Normal amplitudes (mV) of P, Q, R, S, T for the independent leads I, II, V1-V6.
NORMAL = {
    "I": (0.08, -0.05, 0.70, -0.10, 0.20),
    "II": (0.12, -0.08, 1.10, -0.20, 0.30),
    "V1": (0.06, 0.00, 0.25, -1.00, 0.10),
    "V2": (0.07, 0.00, 0.55, -1.40, 0.45),
    "V3": (0.07, 0.00, 0.85, -0.90, 0.45),
    "V4": (0.07, -0.05, 1.30, -0.50, 0.40),
    "V5": (0.07, -0.07, 1.20, -0.25, 0.30),
    "V6": (0.07, -0.07, 0.90, -0.10, 0.25),
}
N_NOISE_SOURCES = 3  # electrode and muscle noise shared across leads, mixed per lead
INDEPENDENT = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")


@dataclass(frozen=True)
class EcgState:
    """What the ECG should show."""

    heart_rate: float
    atrial_fibrillation: bool
    st_depression_mv: float
    lvh: bool
    q_wave_territory: str  # none / inferior / anterior


def _amplitudes(state: EcgState, rng: np.random.Generator) -> dict[str, list[float]]:
    amp = {lead: [a * (1 + 0.12 * rng.standard_normal()) for a in NORMAL[lead]] for lead in INDEPENDENT}
    if state.atrial_fibrillation:
        for lead in INDEPENDENT:
            amp[lead][0] = 0.0
    if state.lvh:  # Sokolow-Lyon SV1 + RV5 > 3.5 mV, with lateral strain T inversion
        factor = float(rng.uniform(1.7, 2.1))
        for lead in ("V1", "V2"):
            amp[lead][3] *= factor
        for lead in ("V5", "V6", "I"):
            amp[lead][2] *= factor
            amp[lead][4] = -abs(amp[lead][4]) * 0.8
    if state.q_wave_territory == "inferior":  # pathological Q >= 40 ms in II, III, aVF
        amp["II"][1], amp["I"][1] = -0.35, 0.05
        amp["II"][2] *= 0.6
    elif state.q_wave_territory == "anterior":  # QS complexes in V1-V4
        for lead in ("V1", "V2", "V3", "V4"):
            amp[lead][1], amp[lead][2] = -0.5, 0.05
    return amp


def _rr_intervals(state: EcgState, rng: np.random.Generator) -> FloatArray:
    mean_rr = 60.0 / state.heart_rate
    n = int(SECONDS / mean_rr) + 4
    if state.atrial_fibrillation:  # irregularly irregular: independent RR draws, CV ~ 0.2
        return np.clip(rng.normal(mean_rr, 0.2 * mean_rr, n), 0.3, 2.0)
    phase = rng.uniform(0, 2 * math.pi)
    resp = 0.03 * mean_rr * np.sin(2 * math.pi * 0.25 * np.cumsum(np.full(n, mean_rr)) + phase)
    return np.asarray(mean_rr + resp + rng.normal(0, 0.01 * mean_rr, n), dtype=np.float64)


def simulate(state: EcgState, rng: np.random.Generator) -> FloatArray:
    """A (12, 5000) array in millivolts."""
    t = np.arange(SECONDS * FS) / FS
    amp = _amplitudes(state, rng)
    rr = _rr_intervals(state, rng)
    peaks = float(rng.uniform(0.1, 0.6)) + np.concatenate([[0.0], np.cumsum(rr[:-1])])
    qt = 0.41 * math.sqrt(60.0 / state.heart_rate) * float(rng.uniform(0.95, 1.05))  # Bazett, QTc ~410 ms
    offsets = (-0.16, -0.022, 0.0, 0.022, qt - 0.07)
    widths = (0.022, 0.008, 0.009, 0.009, 0.045)
    signals: dict[str, FloatArray] = {lead: np.zeros_like(t) for lead in INDEPENDENT}
    for peak in peaks:
        window = (t > peak - 0.35) & (t < peak + qt + 0.15)
        tw = t[window] - peak
        bumps = [np.exp(-0.5 * ((tw - o) / w) ** 2) for o, w in zip(offsets, widths, strict=True)]
        q_wide = np.exp(-0.5 * ((tw + 0.03) / 0.015) ** 2)  # pathological Q is >= 40 ms wide
        st = np.clip((tw - 0.05) / 0.03, 0, 1) * np.clip((qt - 0.1 - tw) / 0.05, 0, 1)
        for lead in INDEPENDENT:
            a = amp[lead]
            wave = sum(ai * b for ai, b in zip(a, bumps, strict=True))
            if a[1] <= -0.3:
                wave = wave - a[1] * bumps[1] + a[1] * q_wide
            if state.st_depression_mv > 0 and lead in ("I", "II", "V4", "V5", "V6"):
                wave = wave - state.st_depression_mv * st
            signals[lead][window] += wave
    if state.atrial_fibrillation:  # fibrillatory waves, 4-8 Hz, largest in V1 and II
        f = float(rng.uniform(4, 8))
        fwave = 0.05 * np.sin(2 * math.pi * f * t + rng.uniform(0, 6.3)) * (1 + 0.3 * np.sin(0.7 * t))
        signals["V1"] += fwave
        signals["II"] += 0.6 * fwave
    i, ii = signals["I"], signals["II"]
    limb = {"I": i, "II": ii, "III": ii - i, "aVR": -(i + ii) / 2, "aVL": i - ii / 2, "aVF": ii - i / 2}
    clean = np.stack([limb[lead] if lead in limb else signals[lead] for lead in LEADS])
    return clean + _noise(rng)


def _noise(rng: np.random.Generator) -> FloatArray:
    import neurokit2 as nk  # type: ignore[import-untyped]

    seeds = rng.integers(0, 2**31 - 1, size=N_NOISE_SOURCES)
    sources = np.empty((N_NOISE_SOURCES, SECONDS * FS))
    with warnings.catch_warnings():
        # neurokit2 warns when a requested noise band exceeds what the signal length resolves
        warnings.simplefilter("ignore")
        for k, seed in enumerate(seeds):
            sources[k] = nk.signal_distort(
                np.zeros(SECONDS * FS),
                sampling_rate=FS,
                noise_amplitude=0.015,
                noise_frequency=[0.25, 8, 40],
                powerline_amplitude=0.005,
                powerline_frequency=60,
                random_state=int(seed),
                silent=True,
            )
    mixing = rng.normal(0, 1 / math.sqrt(N_NOISE_SOURCES), size=(len(LEADS), N_NOISE_SOURCES))
    return np.asarray(
        mixing @ sources + rng.normal(0, 0.004, size=(len(LEADS), SECONDS * FS)), dtype=np.float64
    )


@contextmanager
def quiet_wfdb() -> Iterator[Any]:
    """The wfdb module, with the pandas 3 `inplace` deprecation warnings wfdb 4.3 raises silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword", category=DeprecationWarning)
        import wfdb  # type: ignore[import-untyped]

        yield wfdb


def write_wfdb(
    signal: FloatArray, folder: Path, record: str, comments: list[str], base: tuple[str, str]
) -> None:
    """Write `record`.hea/.dat in WFDB format 16 at 1 µV resolution; `base` is (dd/mm/yyyy, hh:mm:ss).

    Written directly (the format is two lines of spec) because wfdb.wrsamp spends ~0.15 s per record in
    pandas bookkeeping; tests check the files read back with wfdb.rdrecord.
    """
    digital = np.round(signal.T * 1000).clip(-32767, 32767).astype("<i2")  # (samples, leads), interleaved
    (folder / f"{record}.dat").write_bytes(digital.tobytes())
    checksums = digital.astype(np.int64).sum(axis=0) % 65536
    lines = [f"{record} {len(LEADS)} {FS} {digital.shape[0]} {base[1]} {base[0]}"]
    for k, lead in enumerate(LEADS):
        lines.append(f"{record}.dat 16 1000.0(0)/mV 16 0 {digital[0, k]} {checksums[k]} 0 {lead}")
    lines.extend(f"# {c}" for c in comments)
    (folder / f"{record}.hea").write_text("\n".join(lines) + "\n", encoding="ascii")
