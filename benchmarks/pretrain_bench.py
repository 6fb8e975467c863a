"""Does self-supervised pretraining pay? Label efficiency, adaptation modes, transfer and retrieval.

On the 2,000-patient benchmark store (`runs/bench/store`, built by train_bench.py), in one run:

1. `pretrain` on the train split's patients (no labels; held-out patients never seen), its throughput;
2. label efficiency on `cardiac_disease`: held-out AUROC with 1,000-sample bootstrap CIs at 1, 5, 10, 25
   and 100 % of the training patients, for pretrained + fine-tune, pretrained + linear probe, the same
   model from scratch, and LightGBM on tabularised features (code counts, last values, the tabular
   processor's features) of the same patients; the paired difference pretrained − scratch with its CI;
3. adaptation modes at 10 % and 100 %: LoRA, and a compact model (lower layer of every transformer)
   with its size and one-patient latency;
4. transfer to `time_to_mace` (not a pretraining target): C-index, scratch vs pretrained;
5. cross-modal retrieval recall@k on held-out patients (from the pretraining run).

With `--seeds 0,1,2` every label-efficiency cell is repeated per seed (the seed draws the subsampled
training patients, the initial weights and the batch order; pretrained and scratch runs of one seed see
the same patients): a cell reports the mean AUROC over seeds, its spread (SD over seeds) and a 95 %
bootstrap CI of that mean (held-out patients resampled, the same resamples for every seed), and the
paired differences compare seed means.

Every run folder is kept under --out; a second invocation reuses finished runs (delete to redo).
Prints tables and writes benchmarks/results/pretrain.json plus docs/figures/label_efficiency.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
FIGURE = ROOT / "docs" / "figures" / "label_efficiency.png"
B = 1000  # bootstrap resamples


def bootstrap(metric: Any, *arrays: np.ndarray, seed: int = 0) -> tuple[float, float, float]:
    """Point estimate and 95 % percentile interval over resampled rows (one row per patient)."""
    rng = np.random.default_rng(seed)
    n = len(arrays[0])
    point = metric(*arrays)
    stats = []
    for _ in range(B):
        idx = rng.integers(0, n, n)
        value = metric(*(a[idx] for a in arrays))
        if np.isfinite(value):
            stats.append(value)
    lo, hi = np.percentile(stats, [2.5, 97.5]) if stats else (math.nan, math.nan)
    return float(point), float(lo), float(hi)


def held_out(run: Path) -> dict[str, np.ndarray]:
    table = pq.read_table(run / "predictions_held_out.parquet").to_pydict()
    out = {k: np.asarray(v) for k, v in table.items() if k != "prediction_time"}
    return out


def epochs_for(n_train: int, batch_size: int) -> int:
    """At least ~60 optimiser steps at every label fraction (8 to 30 epochs): small fractions are not
    starved of updates, and all variants at one fraction share the schedule."""
    steps = max(1, math.ceil(n_train / batch_size))
    return int(min(30, max(8, math.ceil(60 / steps))))


def finetune_run(
    store: Any, out: Path, task: str, fraction: float, n_train: int, seed: int = 0, **kw: Any
) -> Path:
    from healthfm.train.finetune import FinetuneConfig, finetune
    from healthfm.train.loop import TrainConfig

    if (out / "run.json").is_file():
        return out
    init_from = kw.pop("init_from", None)
    lr = kw.pop("lr", 1e-3)
    epochs = epochs_for(max(1, round(n_train * fraction)), 32)
    config = FinetuneConfig(
        task=task,
        train_fraction=fraction,
        train=TrainConfig(epochs=epochs, batch_size=32, lr=lr, patience=5, seed=seed),
        **kw,
    )
    t = time.perf_counter()
    finetune(store, config, out, init_from=init_from, register=False)
    print(f"  {out.name}: {time.perf_counter() - t:.0f} s", flush=True)
    return out


def lightgbm_baseline(
    store: Any, processors: dict[Any, Any], task_name: str, fraction: float, seed: int = 0
) -> np.ndarray:
    """LightGBM on code counts + last values (events processor) + tabular features, same patients."""
    import lightgbm as lgb

    from healthfm.data import SampleDataset
    from healthfm.schema import Modality
    from healthfm.tasks import build_samples, load_task
    from healthfm.train.finetune import _subsample

    task = load_task(task_name)
    events, tab = processors[Modality.EVENTS], processors[Modality.TABULAR]
    vocab = events.vocab_size

    def features(samples: list[Any]) -> np.ndarray:
        ds = SampleDataset(
            store, samples, {Modality.EVENTS: events, Modality.TABULAR: tab}, visible=task.visible
        )
        rows = []
        for i in range(len(ds)):
            item = ds[i]
            ev, tb = item.inputs.get(Modality.EVENTS), item.inputs.get(Modality.TABULAR)
            counts, last = np.zeros(vocab), np.full(vocab, np.nan)
            if ev is not None:
                np.add.at(counts, ev["codes"], 1)
                valued = ev["has_value"]
                last[ev["codes"][valued]] = ev["values"][valued]  # time order: the last write wins
            t = (
                np.concatenate([tb["numeric"], np.where(tb["numeric_present"], 1.0, 0.0), tb["categorical"]])
                if tb is not None
                else np.zeros(0)
            )
            rows.append(np.concatenate([counts[2:], last[2:], t]))
        width = max(len(r) for r in rows)
        return np.stack([np.pad(r, (0, width - len(r)), constant_values=np.nan) for r in rows])

    splits = {s: build_samples(store, task, s) for s in ("train", "tuning", "held_out")}
    splits["train"] = _subsample(splits["train"], fraction, seed)  # the patients finetune picks
    x = {s: features(v) for s, v in splits.items()}
    y = {s: np.array([float(v.label) for v in samples]) for s, samples in splits.items()}
    n = len(y["train"])
    model = lgb.LGBMClassifier(
        n_estimators=400,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=max(2, min(20, n // 10)),
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.5,
        reg_lambda=1.0,
        verbose=-1,
        random_state=seed,
    )
    model.fit(
        x["train"],
        y["train"],
        eval_X=(x["tuning"],),
        eval_y=(y["tuning"],),
        eval_metric="auc",
        callbacks=[lgb.early_stopping(30, verbose=False)],
    )
    return model.predict_proba(x["held_out"])[:, 1]


def latency_ms(run: Path, store: Any, n: int = 60) -> float:
    """p50 of one-patient predictions (warm, in this process) for a run's best model."""
    from healthfm.data import SampleDataset, collate
    from healthfm.tasks import build_samples
    from healthfm.train.runs import load_run

    model, processors, task = load_run(run)
    model.eval()
    samples = build_samples(store, task, "held_out")[:n]
    ds = SampleDataset(store, samples, processors, visible=task.visible)
    items = [ds[i] for i in range(len(ds))]
    times = []
    for item in items:
        t = time.perf_counter()
        model.predict(collate([item], processors, None))
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times[5:]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "runs" / "bench" / "store")
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "bench" / "pretrain")
    ap.add_argument("--pretrain-epochs", type=int, default=6)
    ap.add_argument("--fractions", default="0.01,0.05,0.1,0.25,1.0")
    ap.add_argument("--task", default="cardiac_disease")
    ap.add_argument("--transfer-task", default="time_to_mace")
    ap.add_argument(
        "--variants",
        default="pretrained_finetune,pretrained_linear_probe,scratch",
        help="label-efficiency variants to run (LightGBM always runs)",
    )
    ap.add_argument("--skip-extras", action="store_true", help="skip adaptation modes and transfer")
    ap.add_argument("--seeds", default="0", help="comma-separated seeds per label-efficiency cell")
    ap.add_argument(
        "--objectives",
        default="",
        help="pretraining objectives, as `healthfm pretrain --objectives`",
    )
    ap.add_argument("--tag", default="", help="suffix of the results JSON (no plot is drawn when given)")
    args = ap.parse_args()

    from healthfm.data import load_processors
    from healthfm.pretrain.commands import parse_objectives
    from healthfm.pretrain.run import PretrainConfig, pretrain
    from healthfm.store.patient_store import PatientStore
    from healthfm.tasks import build_samples, load_task
    from healthfm.train.loop import TrainConfig
    from healthfm.train.metrics import auroc, harrell_c
    from healthfm.train.runs import load_run

    if not (args.store / "metadata").is_dir():
        raise SystemExit(f"no store at {args.store}: run benchmarks/train_bench.py first (it builds it)")
    store = PatientStore.open(args.store, create=False)
    pre = args.out / "pretrain"
    t0 = time.perf_counter()
    if not (pre / "run.json").is_file():
        print("pretraining", flush=True)
        pretrain(
            store,
            PretrainConfig(
                train=TrainConfig(epochs=args.pretrain_epochs, lr=1e-3, patience=3),
                objectives=parse_objectives(args.objectives) if args.objectives else {},
            ),
            pre,
            stage=lambda m: print(f"  {m}", flush=True),
        )
    pre_run = json.loads((pre / "run.json").read_text())
    n_train = len(build_samples(store, load_task(args.task), "train"))
    fractions = [float(f) for f in args.fractions.split(",")]

    # ---- label efficiency (one column of predictions per seed)
    seeds = [int(x) for x in args.seeds.split(",")]
    curves: dict[str, dict[str, Any]] = {}
    preds: dict[tuple[str, float], list[np.ndarray]] = {}
    y_true: np.ndarray | None = None
    processors = load_processors(pre / "processors.json")
    variants = {
        "pretrained_finetune": {"init_from": pre},
        "pretrained_linear_probe": {"init_from": pre, "mode": "linear_probe", "lr": 3e-3},
        "scratch": {},
    }
    variants = {k: v for k, v in variants.items() if k in args.variants.split(",")}
    for f in fractions:
        print(f"label fraction {f:.0%}", flush=True)
        for seed in seeds:
            suffix = "" if seed == 0 else f"_s{seed}"
            for name, kw in variants.items():
                out = args.out / f"{name}_{f}{suffix}"
                run = finetune_run(store, out, args.task, f, n_train, seed=seed, **dict(kw))
                h = held_out(run)
                y_true = h["label"] if y_true is None else y_true
                assert np.array_equal(y_true, h["label"]), "held-out rows differ between runs"
                preds.setdefault((name, f), []).append(h["prediction"])
            t = time.perf_counter()
            preds.setdefault(("lightgbm", f), []).append(
                lightgbm_baseline(store, processors, args.task, f, seed=seed)
            )
            print(f"  lightgbm_{f}{suffix}: {time.perf_counter() - t:.0f} s", flush=True)
    assert y_true is not None

    def seed_mean(y: np.ndarray, p: np.ndarray) -> float:
        """Mean over seeds (columns) of the AUROC on these patients (rows)."""
        return float(np.mean([auroc(y, p[:, k]) for k in range(p.shape[1])]))

    def mean_diff(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
        return seed_mean(y, a) - seed_mean(y, b)

    stacked = {key: np.stack(columns, axis=1) for key, columns in preds.items()}
    for (name, f), p in stacked.items():
        point, lo, hi = bootstrap(seed_mean, y_true, p)
        per_seed = [auroc(y_true, p[:, k]) for k in range(p.shape[1])]
        curves.setdefault(name, {})[str(f)] = {
            "auroc": point,
            "ci": [lo, hi],
            "per_seed": per_seed,
            "sd_over_seeds": float(np.std(per_seed, ddof=1)) if len(per_seed) > 1 else 0.0,
        }
    paired = {}
    for f in fractions if {"pretrained_finetune", "scratch"} <= set(variants) else []:
        d = bootstrap(mean_diff, y_true, stacked[("pretrained_finetune", f)], stacked[("scratch", f)])
        paired[str(f)] = {"pretrained_minus_scratch": d[0], "ci": [d[1], d[2]]}
    target = None
    if 0.1 in fractions and 1.0 in fractions and {"pretrained_finetune", "scratch"} <= set(variants):
        g = bootstrap(mean_diff, y_true, stacked[("pretrained_finetune", 0.1)], stacked[("scratch", 1.0)])
        target = {"pretrained_10pct_minus_scratch_100pct": g[0], "ci": [g[1], g[2]], "met": g[0] >= 0}

    # ---- adaptation modes: LoRA and a compact model
    modes: dict[str, Any] = {}
    for f in () if args.skip_extras else (0.1, 1.0):
        for name, kw in {
            "lora": {"init_from": pre, "mode": "lora"},
            "compact_1_layer": {"init_from": pre, "keep_layers": 1},
        }.items():
            if name == "compact_1_layer" and f != 1.0:
                continue
            run = finetune_run(store, args.out / f"{name}_{f}", args.task, f, n_train, **dict(kw))
            h = held_out(run)
            point, lo, hi = bootstrap(auroc, h["label"], h["prediction"])
            info = json.loads((run / "run.json").read_text())
            modes[f"{name}_{f}"] = {
                "auroc": point,
                "ci": [lo, hi],
                "parameters": info["parameters"],
                "trainable_parameters": info["trainable_parameters"],
            }
    for name in () if args.skip_extras else ("pretrained_finetune_1.0", "compact_1_layer_1.0"):
        run = args.out / name
        model, _, _ = load_run(run)
        modes.setdefault(name, {})
        modes[name] |= {
            "parameters": model.num_parameters(),
            "size_mb": (run / "best" / "model.safetensors").stat().st_size / 1e6,
            "latency_p50_ms": latency_ms(run, store),
        }
        if name == "pretrained_finetune_1.0":
            modes[name] |= curves["pretrained_finetune"]["1.0"]

    # ---- transfer to a task not used in pretraining
    transfer = {}
    n_surv = len(build_samples(store, load_task(args.transfer_task), "train"))
    for f in () if args.skip_extras else (0.1, 1.0):
        for name, kw in {"scratch": {}, "pretrained_finetune": {"init_from": pre}}.items():
            run = finetune_run(
                store, args.out / f"transfer_{name}_{f}", args.transfer_task, f, n_surv, **dict(kw)
            )
            h = held_out(run)
            point, lo, hi = bootstrap(harrell_c, h["label"], h["event_observed"], h["prediction"])
            transfer[f"{name}_{f}"] = {"c_index": point, "ci": [lo, hi]}

    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads",
        "date": dt.date.today().isoformat(),
        "store_patients": store.info().subjects,
        "task": args.task,
        "held_out_patients": len(y_true),
        "seeds": seeds,
        "train_samples_100pct": n_train,
        "pretrain": {
            "epochs": pre_run["config"]["train"]["epochs"],
            "best_epoch": pre_run["best_epoch"] + 1,
            "samples": pre_run["n_samples"],
            "samples_per_s": pre_run["samples_per_s"],
            "seconds": pre_run["seconds"],
            "tuning_losses": pre_run["tuning"],
            "trainable_parameters": pre_run["trainable_parameters"],
        },
        "label_efficiency": curves,
        "paired_pretrained_minus_scratch": paired,
        "target_pretrained_10pct_vs_scratch_100pct": target,
        "adaptation_modes": modes,
        "transfer": {"task": args.transfer_task, **transfer},
        "retrieval_held_out": pre_run["retrieval"],
        "wall_s": time.perf_counter() - t0,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"pretrain{args.tag}.json").write_text(json.dumps(report, indent=2) + "\n")
    if not args.tag:
        plot(curves, fractions)

    print(
        f"\nheld-out AUROC on {args.task} ({len(y_true)} patients), mean over seeds {seeds} "
        "± SD over seeds [95 % bootstrap CI of the mean]"
    )
    print(f"{'labels':>7} " + " ".join(f"{n:>36}" for n in curves))
    for f in fractions:
        cells = [curves[n][str(f)] for n in curves]
        print(
            f"{f:>7.0%} "
            + " ".join(
                f"{c['auroc']:.3f} ±{c['sd_over_seeds']:.3f} [{c['ci'][0]:.3f}, {c['ci'][1]:.3f}]".rjust(36)
                for c in cells
            )
        )
    for f, d in paired.items():
        print(
            f"pretrained − scratch at {float(f):.0%}: {d['pretrained_minus_scratch']:+.3f} "
            f"[{d['ci'][0]:+.3f}, {d['ci'][1]:+.3f}]"
        )
    if target:
        print(
            "target (pretrained at 10 % ≥ scratch at 100 %): "
            f"{target['pretrained_10pct_minus_scratch_100pct']:+.3f} "
            f"[{target['ci'][0]:+.3f}, {target['ci'][1]:+.3f}] -> {'met' if target['met'] else 'NOT met'}"
        )
    for name, m in modes.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in m.items()))
    for name, m in transfer.items():
        print(
            f"transfer {args.transfer_task} {name}: C-index {m['c_index']:.3f} "
            f"[{m['ci'][0]:.3f}, {m['ci'][1]:.3f}]"
        )
    for pair, r in pre_run["retrieval"].items():
        print(
            f"retrieval {pair} (n={int(r['n'])}): "
            + ", ".join(f"R@{k} {r[f'recall@{k}']:.3f} (chance {r[f'chance@{k}']:.3f})" for k in (1, 5, 10))
        )
    print(f"pretraining: {pre_run['samples_per_s']:.1f} samples/s; wall {report['wall_s']:.0f} s")


def plot(curves: dict[str, dict[str, Any]], fractions: list[float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    for name, points in curves.items():
        xs = [f * 100 for f in fractions]
        ys = [points[str(f)]["auroc"] for f in fractions]
        lo = [points[str(f)]["ci"][0] for f in fractions]
        hi = [points[str(f)]["ci"][1] for f in fractions]
        ax.plot(xs, ys, marker="o", label=name.replace("_", " "))
        ax.fill_between(xs, lo, hi, alpha=0.12)
    ax.set_xscale("log")
    ax.set_xticks([f * 100 for f in fractions], [f"{f:.0%}" for f in fractions])
    ax.set_xlabel("training labels used (patients)")
    ax.set_ylabel("held-out AUROC (95 % CI)")
    ax.set_title("cardiac_disease: label efficiency")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(FIGURE)


if __name__ == "__main__":
    main()
