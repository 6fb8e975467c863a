"""Fine-tuning benchmark (issue 6): the default model on 2,000 virtual patients, on this machine.

    python benchmarks/train_bench.py [--store runs/bench/store] [--patients 2000] [--epochs 10]

Measures, in one run: end-to-end `finetune` wall time and its phases, training samples/s, peak RSS,
held-out AUROC; inference latency per patient (model only, and timeline → processors → model); parameter
count and checkpoint size per preset. Baseline on the same split, same run: logistic regression on the
tabular processor's features (what a team would build first). Targets: fine-tune ≤ 5 min, inference
p50 ≤ 20 ms per patient. Prints a table and writes benchmarks/results/train.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def ensure_store(store: Path, patients: int) -> None:
    if (store / ".healthfm" / "store.json").exists():
        return
    export = store.parent / "export"
    cli = [sys.executable, "-m", "healthfm"]
    subprocess.run(
        [*cli, "synth", "--patients", str(patients), "--seed", "1", "--out", str(export), "--force"],
        check=True,
    )
    env = {**os.environ, "HEALTHFM_PSEUDONYM_KEY": "ab" * 32}
    subprocess.run(
        [*cli, "--store", str(store), "ingest", *(str(export / d) for d in ("fhir", "dicom", "wfdb"))],
        check=True,
        env=env,
    )


def percentiles(samples: list[float]) -> dict[str, float]:
    a = np.array(samples) * 1000
    return {"p50_ms": float(np.percentile(a, 50)), "p95_ms": float(np.percentile(a, 95))}


def inference_latency(run: Path, store: Any, n: int) -> dict[str, Any]:
    from healthfm.data import collate
    from healthfm.data.dataset import Item
    from healthfm.tasks import build_samples
    from healthfm.train.runs import load_run

    model, processors, task = load_run(run)
    model.eval()
    samples = build_samples(store, task, "held_out")[:n]
    model_only: list[float] = []
    end_to_end: list[float] = []
    warm: list[float] = []
    with torch.inference_mode():
        for i, s in enumerate(samples):
            t0 = time.perf_counter()
            visible = task.visible(store.timeline(s.subject_id), s)
            arrays = {m: p.transform(s, visible, blobs=store.blobs) for m, p in processors.items()}
            item = Item(s.subject_id, s.prediction_time, arrays, s.label)
            batch = collate([item], processors, None)
            t1 = time.perf_counter()
            model(batch)
            t2 = time.perf_counter()
            model(batch)  # again: the patient's notes are now encoded (the frozen text encoder's cache)
            t3 = time.perf_counter()
            if i >= 5:  # the first calls warm allocators
                model_only.append(t2 - t1)
                end_to_end.append(t2 - t0)
                warm.append(t3 - t2)
    return {
        "patients": len(model_only),
        "model_only": percentiles(model_only),
        "model_only_notes_encoded": percentiles(warm),
        "end_to_end": percentiles(end_to_end),
    }


def preset_sizes(run: Path) -> list[dict[str, Any]]:
    from healthfm.model import FoundationModel
    from healthfm.train.finetune import FinetuneConfig, build_model_config
    from healthfm.train.runs import load_run

    _, processors, task = load_run(run)
    rows = []
    for preset in ("small", "base"):
        cfg = FinetuneConfig(task=task.name, preset=preset)
        model = FoundationModel(build_model_config(cfg, task, processors, []))
        with tempfile.TemporaryDirectory() as tmp:
            model.save(Path(tmp))
            size = (Path(tmp) / "model.safetensors").stat().st_size
        rows.append(
            {
                "preset": preset,
                "parameters": model.num_parameters(),
                "trainable": model.num_parameters(trainable_only=True),
                "checkpoint_mb": size / 2**20,
            }
        )
    return rows


def logistic_baseline(run: Path, store: Any) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    from healthfm.data import SampleDataset
    from healthfm.schema import Modality
    from healthfm.tasks import build_samples
    from healthfm.train.metrics import auroc
    from healthfm.train.runs import load_run

    _, processors, task = load_run(run)
    tab = {Modality.TABULAR: processors[Modality.TABULAR]}

    def features(split: str) -> tuple[np.ndarray, np.ndarray]:
        samples = build_samples(store, task, split)
        ds = SampleDataset(store, samples, tab, visible=task.visible)
        rows = []
        for item in (ds[i] for i in range(len(ds))):
            a = item.inputs[Modality.TABULAR]
            assert a is not None
            rows.append(
                np.concatenate(
                    [a["numeric"], a["numeric_present"], np.eye(20)[np.minimum(a["categorical"], 19)].ravel()]
                )
            )
        return np.array(rows), np.array([s.label for s in samples], dtype=float)

    xtr, ytr = features("train")
    xte, yte = features("held_out")
    t0 = time.perf_counter()
    clf = LogisticRegression(max_iter=2000, C=0.1).fit(xtr, ytr)
    fit_s = time.perf_counter() - t0
    lat = []
    for row in xte[:100]:
        t = time.perf_counter()
        clf.predict_proba(row[None])
        lat.append(time.perf_counter() - t)
    return {
        "fit_s": fit_s,
        "auroc_held_out": auroc(yte, clf.predict_proba(xte)[:, 1]),
        "inference": percentiles(lat),
        "features": int(xtr.shape[1]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "runs" / "bench" / "store")
    ap.add_argument("--patients", type=int, default=2000)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--task", default="cardiac_disease")
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "bench" / "train_bench")
    ap.add_argument("--latency-patients", type=int, default=105)
    ap.add_argument("--latency-only", action="store_true", help="measure inference of --out and print JSON")
    args = ap.parse_args()
    if args.latency_only:
        from healthfm.store.patient_store import PatientStore

        with PatientStore.open(args.store, create=False) as store:
            print(json.dumps(inference_latency(args.out, store, args.latency_patients)))
        return
    ensure_store(args.store, args.patients)

    import shutil

    from healthfm.store.patient_store import PatientStore
    from healthfm.train.finetune import FinetuneConfig, finetune
    from healthfm.train.loop import TrainConfig

    shutil.rmtree(args.out, ignore_errors=True)
    store = PatientStore.open(args.store, create=False)
    config = FinetuneConfig(task=args.task, train=TrainConfig(epochs=args.epochs))
    t0 = time.perf_counter()
    result = finetune(store, config, args.out, register=False, stage=lambda m: print(f"  {m}", flush=True))
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # latency in a fresh process that only loads the run, as a server would (not one that just trained)
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--store",
            str(args.store),
            "--out",
            str(args.out),
            "--latency-only",
            "--latency-patients",
            str(args.latency_patients),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    latency = json.loads(child.stdout.strip().splitlines()[-1])
    sizes = preset_sizes(args.out)
    baseline = logistic_baseline(args.out, store)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads",
        "date": dt.date.today().isoformat(),
        "task": args.task,
        "patients": store.info().subjects,
        "samples": result.n_samples,
        "epochs_run": len(result.result.history),
        "best_epoch": result.result.best_epoch + 1,
        "finetune_wall_s": wall,
        "phases_s": result.seconds,
        "train_samples_per_s": result.result.samples_per_s,
        "epoch_samples_per_s": [round(r.samples_per_s, 1) for r in result.result.history],
        "peak_rss_mb": peak_mb,
        "auroc": {k: v.get("auroc") for k, v in result.metrics.items()},
        "inference": latency,
        "presets": sizes,
        "baseline_logistic_tabular": baseline,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "train.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{'measure':44s} {'value':>14s}")
    rows = [
        ("fine-tune wall time, s (target <= 300)", f"{wall:.0f}"),
        (
            "  samples / processors / materialize, s",
            " / ".join(f"{result.seconds[k]:.0f}" for k in ("samples", "processors", "materialize")),
        ),
        ("  training, s (epochs run)", f"{result.seconds['train']:.0f} ({len(result.result.history)})"),
        ("training samples/s", f"{result.result.samples_per_s:.0f}"),
        ("peak RSS, MB", f"{peak_mb:.0f}"),
        ("held-out AUROC (healthfm)", f"{result.metrics['held_out'].get('auroc', float('nan')):.3f}"),
        ("held-out AUROC (logistic, tabular)", f"{baseline['auroc_held_out']:.3f}"),
        ("inference p50 ms, model only (target <= 20)", f"{latency['model_only']['p50_ms']:.1f}"),
        (
            "inference p50 ms, model, notes already encoded",
            f"{latency['model_only_notes_encoded']['p50_ms']:.1f}",
        ),
        ("inference p50 ms, timeline -> prediction", f"{latency['end_to_end']['p50_ms']:.1f}"),
        ("inference p95 ms, timeline -> prediction", f"{latency['end_to_end']['p95_ms']:.1f}"),
        ("logistic baseline inference p50 ms", f"{baseline['inference']['p50_ms']:.2f}"),
    ]
    rows += [
        (
            f"{s['preset']}: parameters (trainable) / checkpoint MB",
            f"{s['parameters'] / 1e6:.1f}M ({s['trainable'] / 1e6:.2f}M) / {s['checkpoint_mb']:.0f}",
        )
        for s in sizes
    ]
    for name, value in rows:
        print(f"{name:44s} {value:>14s}")
    print(f"\nwrote {RESULTS / 'train.json'}")


if __name__ == "__main__":
    main()
