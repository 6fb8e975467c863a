"""Validate the virtual cohort against real data: tables, JSON, figures, and a section of docs/cohort.md.

1. Two-sample KS (continuous) / chi-square (categorical) of every UCI variable: real vs synthetic.
2. Per-modality AUROC of the index diagnosis (angiographic CAD) from the exported files alone.
3. ECG intervals and amplitudes (neurokit2 delineation) vs MIT-BIH 208 and pydicom's 12-lead ECG.
4. PHI ground truth vs the files.

Usage: python benchmarks/validate_cohort.py [--patients 600] [--seed 0] [--workers 2]
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import re
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from scipy import stats
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from healthfm.datasets import fetch, load_mitbih_excerpt, load_uci
from healthfm.synth.copula import CATEGORIES, SITES, VARIABLES, encode
from healthfm.synth.ecg import FS, LEADS, quiet_wfdb
from healthfm.synth.writer import SynthConfig, synthesize

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "cohort.md"
FIGURES = ROOT / "docs" / "figures"
CONTINUOUS = ("age", "trestbps", "chol", "thalch", "oldpeak")
START, END = "<!-- validation:start -->", "<!-- validation:end -->"


def synthetic_uci(truth: list[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    rows = []
    for t in truth:
        row = []
        for var in VARIABLES:
            value = t[f"uci_{'male' if var == 'sex' else var}"]
            if value in ("True", "False"):  # sex (male), fbs, exang
                row.append(float(value == "True"))
            elif var in CATEGORIES:
                row.append(float(CATEGORIES[var].index(value)))
            else:
                row.append(float(value))
        rows.append(row)
    return np.array(rows), np.array([SITES.index(t["site"]) for t in truth])


def uci_tests(
    real: np.ndarray, real_sites: np.ndarray, syn: np.ndarray, syn_sites: np.ndarray
) -> list[dict[str, Any]]:
    """Compare each variable where the real data observed it, synthetic rows subsampled to that site mix."""
    rng = np.random.default_rng(0)
    out = []
    for j, var in enumerate(VARIABLES):
        ok = ~np.isnan(real[:, j])
        wanted = np.array([ok[real_sites == s].sum() for s in range(len(SITES))], dtype=float)
        pools = [np.flatnonzero(syn_sites == s) for s in range(len(SITES))]
        # the largest subsample, drawn without replacement, whose site mix matches the real observations
        scale = min(p.size / w for p, w in zip(pools, wanted, strict=True) if w > 0)
        picked = [
            rng.choice(p, size=int(w * scale), replace=False) for p, w in zip(pools, wanted, strict=True)
        ]
        synthetic = syn[np.concatenate(picked), j]
        observed = real[ok, j]
        if var in CONTINUOUS:
            stat, p = stats.ks_2samp(observed, synthetic)
            test = "KS"
        else:
            levels = np.union1d(observed, synthetic)
            table = np.array(
                [[np.sum(observed == v) for v in levels], [np.sum(synthetic == v) for v in levels]]
            )
            stat, p, _, _ = stats.chi2_contingency(table)
            test = "chi2"
        out.append(
            {
                "variable": var,
                "test": test,
                "statistic": round(float(stat), 3),
                "p": round(float(p), 3),
                "real_mean": round(float(observed.mean()), 2),
                "synthetic_mean": round(float(synthetic.mean()), 2),
            }
        )
    return out


def _ndjson(path: Path) -> list[dict[str, Any]]:
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def modality_features(out: Path, n: int) -> dict[str, Any]:
    """Per-patient features read only from the exported files (never ground truth)."""
    patients = {r["id"]: k for k, r in enumerate(_ndjson(out / "fhir" / "Patient.ndjson"))}
    enc_index: dict[str, str] = {}
    first_cp: dict[int, tuple[str, str]] = {}
    for e in _ndjson(out / "fhir" / "Encounter.ndjson"):
        k = patients[e["subject"]["reference"].split("/")[1]]
        is_chest_pain = e["reasonCode"][0]["coding"][0]["code"] == "R07.9"
        if is_chest_pain and (k not in first_cp or e["period"]["start"] < first_cp[k][1]):
            first_cp[k] = (e["id"], e["period"]["start"])
    for k, (eid, _) in first_cp.items():
        enc_index[eid] = str(k)
    codes: dict[str, int] = {}
    tab: dict[int, dict[int, float]] = {}
    for o in _ndjson(out / "fhir" / "Observation.ndjson"):
        eid = o["encounter"]["reference"].split("/")[1]
        if eid not in enc_index:
            continue
        k = int(enc_index[eid])
        if "component" in o:
            items = [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"]) for c in o["component"]]
        elif "valueQuantity" in o:
            items = [(o["code"]["coding"][0]["code"], o["valueQuantity"]["value"])]
        elif "valueBoolean" in o:
            items = [(o["code"]["coding"][0]["code"], float(o["valueBoolean"]))]
        else:
            items = [(o["code"]["coding"][0]["code"] + ":" + o["valueString"], 1.0)]
        for code, value in items:
            tab.setdefault(k, {})[codes.setdefault(code, len(codes))] = float(value)
    pats = _ndjson(out / "fhir" / "Patient.ndjson")
    x_tab = np.full((n, len(codes) + 2), np.nan)
    for k, p in enumerate(pats):
        x_tab[k, -2] = p["gender"] == "male"
        if k in first_cp:
            x_tab[k, -1] = int(first_cp[k][1][:4]) - int(p["birthDate"][:4])
        for c, v in tab.get(k, {}).items():
            x_tab[k, c] = v
    notes: dict[int, str] = {}
    for d in _ndjson(out / "fhir" / "DocumentReference.ndjson"):
        eid = d["context"]["encounter"][0]["reference"].split("/")[1]
        if eid in enc_index:
            notes[int(enc_index[eid])] = base64.b64decode(d["content"][0]["attachment"]["data"]).decode()
    mods = _ndjson(out / "ground_truth" / "modalities.jsonl")  # only to find which file belongs to whom
    first_file: dict[tuple[str, int], tuple[int, str]] = {}
    for m in mods:
        key = (m["kind"], m["patient"])
        if key not in first_file or m["encounter"] > first_file[key][0]:
            first_file[key] = (m["encounter"], m["file"])
    return {"tabular": x_tab, "notes": notes, "files": {k: v[1] for k, v in first_file.items()}}


def _read_ecg(out: Path, rel: str) -> np.ndarray:
    if rel.endswith(".dcm"):
        return np.asarray(pydicom.dcmread(out / rel).waveform_array(0), dtype=np.float64).T / 1000.0
    with quiet_wfdb() as wfdb:
        return np.asarray(wfdb.rdrecord(str(out / rel[:-4])).p_signal.T, dtype=np.float64)


def ecg_features(sig: np.ndarray) -> np.ndarray:
    """Median beat per lead around R peaks of lead II, 20 points per lead, plus RR irregularity."""
    r = _r_peaks(sig[1], FS)
    beats = [sig[:, p - 100 : p + 250] for p in r if p - 100 >= 0 and p + 250 <= sig.shape[1]]
    med = np.median(np.stack(beats), axis=0) if beats else np.zeros((len(LEADS), 350))
    med = med - med[:, :20].mean(axis=1, keepdims=True)
    rr = np.diff(r) / FS if len(r) > 2 else np.array([1.0, 1.0])
    return np.concatenate([med[:, ::17].ravel(), [rr.std() / rr.mean(), 60 / rr.mean()]])


def _r_peaks(lead: np.ndarray, fs: float) -> np.ndarray:
    import neurokit2 as nk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, info = nk.ecg_peaks(nk.ecg_clean(lead, sampling_rate=int(fs)), sampling_rate=int(fs))
    return np.asarray(info["ECG_R_Peaks"], dtype=np.int64)


def cv_auroc(x: Any, y: np.ndarray, text: bool = False) -> float:
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    if text:
        model = make_pipeline(
            TfidfVectorizer(min_df=2, ngram_range=(1, 2)), LogisticRegression(C=1.0, max_iter=2000)
        )
    else:
        model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    scores = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(y, scores))


def modality_aurocs(out: Path, truth: list[dict[str, str]]) -> list[dict[str, Any]]:
    n = len(truth)
    y = np.array([int(t["label_cad"]) for t in truth])
    f = modality_features(out, n)
    rows = []
    x = f["tabular"]
    x = np.where(np.isnan(x), np.nanmedian(x, axis=0), x)
    x = np.nan_to_num(np.hstack([x, np.isnan(f["tabular"]).astype(float)]))
    rows.append({"modality": "FHIR index-visit observations", "patients": n, "auroc": cv_auroc(x, y)})
    have = sorted(f["notes"])
    rows.append(
        {
            "modality": "index clinic note (TF-IDF)",
            "patients": len(have),
            "auroc": cv_auroc([f["notes"][k] for k in have], y[have], text=True),
        }
    )
    ecg_keys = sorted(k for (kind, k) in f["files"] if kind == "ecg")
    xe = np.stack([ecg_features(_read_ecg(out, f["files"][("ecg", k)])) for k in ecg_keys])
    rows.append(
        {
            "modality": "12-lead ECG (median beats)",
            "patients": len(ecg_keys),
            "auroc": cv_auroc(xe, y[ecg_keys]),
        }
    )
    cxr_keys = sorted(k for (kind, k) in f["files"] if kind == "cxr")
    xi = []
    for k in cxr_keys:
        px = pydicom.dcmread(out / f["files"][("cxr", k)]).pixel_array.astype(np.float64)
        xi.append(px.reshape(16, 16, 16, 16).mean(axis=(1, 3)).ravel())
    rows.append(
        {
            "modality": "chest radiograph (16x16 pixels)",
            "patients": len(cxr_keys),
            "auroc": cv_auroc(np.stack(xi), y[cxr_keys]),
        }
    )
    for row in rows:
        row["auroc"] = round(row["auroc"], 3)
    return rows


def intervals(lead: np.ndarray, fs: float) -> dict[str, list[float]]:
    """RR, QRS duration, QT (ms) and R amplitude (mV) from neurokit2's DWT delineation."""
    import neurokit2 as nk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clean = nk.ecg_clean(lead, sampling_rate=int(fs))
        _, info = nk.ecg_peaks(clean, sampling_rate=int(fs))
        r = np.asarray(info["ECG_R_Peaks"])
        try:
            _, w = nk.ecg_delineate(clean, r, sampling_rate=int(fs), method="dwt")
        except Exception:  # delineation fails on some noisy strips: report what was measured
            return {"rr": list(np.diff(r) / fs * 1000), "qrs": [], "qt": [], "r_amp": list(clean[r])}
    on, off, toff = (
        np.asarray(w[k], dtype=float) for k in ("ECG_R_Onsets", "ECG_R_Offsets", "ECG_T_Offsets")
    )
    m = min(len(on), len(off), len(toff))
    qrs = (off[:m] - on[:m]) / fs * 1000
    qt = (toff[:m] - on[:m]) / fs * 1000
    return {
        "rr": list(np.diff(r) / fs * 1000),
        "qrs": list(qrs[np.isfinite(qrs) & (qrs > 0)]),
        "qt": list(qt[np.isfinite(qt) & (qt > 0)]),
        "r_amp": list(lead[r] - np.median(lead)),
    }


def ecg_comparison(out: Path, files: Sequence[str]) -> list[dict[str, Any]]:
    sources: dict[str, list[dict[str, list[float]]]] = {
        "synthetic lead II": [],
        "MIT-BIH 208 MLII": [],
        "pydicom waveform_ecg.dcm lead II": [],
    }
    for rel in files:
        sources["synthetic lead II"].append(intervals(_read_ecg(out, rel)[1], FS))
    mit = load_mitbih_excerpt()
    for a in range(0, mit.size - 3600, 3600):
        sources["MIT-BIH 208 MLII"].append(intervals(mit[a : a + 3600], 360.0))
    ds = pydicom.dcmread(get_testdata_file("waveform_ecg.dcm"))
    real12 = ds.waveform_array(0).T / 1000.0
    sources["pydicom waveform_ecg.dcm lead II"].append(
        intervals(real12[1], float(ds.WaveformSequence[0].SamplingFrequency))
    )
    rows = []
    for name, parts in sources.items():
        row: dict[str, Any] = {"source": name, "strips": len(parts)}
        for key in ("rr", "qrs", "qt", "r_amp"):
            values = np.concatenate([np.asarray(p[key], dtype=float) for p in parts])
            values = values[np.isfinite(values)]
            q = np.percentile(values, [25, 50, 75]) if values.size else [np.nan] * 3
            digits = 2 if key == "r_amp" else 0
            row[key] = f"{q[1]:.{digits}f} [{q[0]:.{digits}f}-{q[2]:.{digits}f}]"
        rows.append(row)
    return rows


def phi_check(out: Path) -> dict[str, int]:
    items = _ndjson(out / "ground_truth" / "phi.jsonl")
    resources = {}
    for path in (out / "fhir").glob("*.ndjson"):
        for r in _ndjson(path):
            resources[f"{r['resourceType']}/{r['id']}"] = r
    bad = 0
    cache: dict[str, Any] = {}
    for it in items:
        if "resource" in it:
            value: Any = resources[it["resource"]]
            for key, idx in re.findall(r"(\w+)(?:\[(\d+)\])?", it["path"]):
                value = value[key][int(idx)] if idx else value[key]
            if "start" in it:
                value = base64.b64decode(value).decode()[it["start"] : it["end"]]
            bad += value != it["value"]
        elif "keyword" in it:
            ds = cache.setdefault(it["file"], pydicom.dcmread(out / it["file"], stop_before_pixels=True))
            bad += str(ds[it["keyword"]].value) != it["value"]
        else:
            bad += it["value"] not in (out / it["file"]).read_text()
    return {"phi_items": len(items), "mismatches": int(bad)}


def figures(
    out: Path,
    real: np.ndarray,
    syn: np.ndarray,
    files: dict[tuple[str, int], str],
    truth: list[dict[str, str]],
) -> None:
    FIGURES.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, len(CONTINUOUS), figsize=(16, 3))
    for ax, var in zip(axes, CONTINUOUS, strict=True):
        j = VARIABLES.index(var)
        r = real[~np.isnan(real[:, j]), j]
        ax.hist([r, syn[:, j]], bins=20, density=True, label=["real UCI", "synthetic"])
        ax.set_title(var)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(FIGURES / "cohort_marginals.png", dpi=80)
    plt.close(fig)
    ecg_file = next(v for (kind, _), v in sorted(files.items()) if kind == "ecg")
    sig = _read_ecg(out, ecg_file)
    fig, axes = plt.subplots(12, 1, figsize=(10, 12), sharex=True)
    for k, ax in enumerate(axes):
        ax.plot(np.arange(sig.shape[1]) / FS, sig[k], lw=0.6)
        ax.set_ylabel(LEADS[k], rotation=0)
    fig.tight_layout()
    fig.savefig(FIGURES / "cohort_ecg.png", dpi=70)
    plt.close(fig)
    by_state = {}
    for m in _ndjson(out / "ground_truth" / "modalities.jsonl"):
        if m["kind"] == "cxr":
            by_state.setdefault(m["finding_category"], m["file"])
    fig, axes = plt.subplots(1, len(by_state), figsize=(3 * len(by_state), 3.2))
    for ax, (cat, rel) in zip(np.atleast_1d(axes), sorted(by_state.items()), strict=True):
        ax.imshow(pydicom.dcmread(out / rel).pixel_array, cmap="gray")
        ax.set_title(cat, fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(FIGURES / "cohort_cxr.png", dpi=80)
    plt.close(fig)


def markdown(result: dict[str, Any]) -> str:
    lines = [
        START,
        "",
        f"Run: `python benchmarks/validate_cohort.py --patients {result['patients']} "
        f"--seed {result['seed']}` on {result['machine']}, {result['date']}.",
        "",
        "**UCI variables, real vs synthetic** "
        "(synthetic rows subsampled to the site mix where the real variable was observed):",
        "",
        "| variable | test | statistic | p | real mean | synthetic mean |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['variable']} | {r['test']} | {r['statistic']} | {r['p']} | {r['real_mean']} "
        f"| {r['synthetic_mean']} |"
        for r in result["uci"]
    ]
    lines += [
        "",
        "**Index diagnosis (angiographic CAD) from each modality alone** (5-fold CV, logistic regression):",
        "",
        "| modality | patients | AUROC |",
        "|---|---|---|",
    ]
    lines += [f"| {r['modality']} | {r['patients']} | {r['auroc']} |" for r in result["auroc"]]
    lines += [
        "",
        "**ECG intervals**, median [IQR], neurokit2 DWT delineation (RR, QRS, QT in ms; R amplitude in mV):",
        "",
        "| source | strips | RR | QRS | QT | R amplitude |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['source']} | {r['strips']} | {r['rr']} | {r['qrs']} | {r['qt']} | {r['r_amp']} |"
        for r in result["ecg"]
    ]
    lines += [
        "",
        f"**PHI ground truth**: {result['phi']['phi_items']} items checked against the files, "
        f"{result['phi']['mismatches']} mismatches.",
        "",
        "![marginals](figures/cohort_marginals.png)",
        "",
        "![ecg](figures/cohort_ecg.png)",
        "",
        "![cxr](figures/cohort_cxr.png)",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ecg-strips", type=int, default=60)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "validate_cohort.json")
    args = parser.parse_args()
    import datetime as dt
    import os
    import platform

    fetch()
    real, real_sites = encode(load_uci())
    with tempfile.TemporaryDirectory(prefix="healthfm-validate-") as tmp:
        out = Path(tmp) / "cohort"
        synthesize(SynthConfig(args.patients, args.seed, out, args.workers))
        with (out / "ground_truth" / "patients.csv").open() as handle:
            truth = list(csv.DictReader(handle))
        syn, syn_sites = synthetic_uci(truth)
        files = modality_features(out, len(truth))["files"]
        ecg_files = [v for (kind, _), v in sorted(files.items()) if kind == "ecg"][: args.ecg_strips]
        result = {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "patients": args.patients,
            "seed": args.seed,
            "uci": uci_tests(real, real_sites, syn, syn_sites),
            "auroc": modality_aurocs(out, truth),
            "ecg": ecg_comparison(out, ecg_files),
            "phi": phi_check(out),
        }
        figures(out, real, syn, files, truth)
    for section in ("uci", "auroc", "ecg"):
        rows = result[section]
        keys = list(rows[0])
        print(" | ".join(keys))
        for r in rows:
            print(" | ".join(str(r[k]) for k in keys))
        print()
    print(result["phi"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    text = DOC.read_text() if DOC.exists() else f"# The virtual cohort\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + markdown(result) + tail)


if __name__ == "__main__":
    main()
