"""Pretraining step throughput through the one training loop, on CPU and on a GPU, same script.

Two steps, because a GPU machine may lack the patient store:

    # here: cut real pretraining batches from the benchmark store's train split (and its pretraining run)
    python benchmarks/pretrain_throughput.py make --store runs/bench/store \
        --run runs/bench/pretrain/pretrain --out runs/bench/throughput
    # anywhere: time `healthfm.train.loop.train` over those batches (fp32, and bf16 autocast on CUDA)
    python benchmarks/pretrain_throughput.py time --batches runs/bench/throughput --device cuda

The timed model is the pretraining run's backbone (events, tabular, image, signal) with every objective
that applies; the text encoder is left out because the packaged MiniLM does not travel to a GPU machine
(in pretraining its frozen backbone is cached after the first epoch, so it costs little per step).
Data loading is excluded: the batches are already collated tensors. Prints a table, writes JSON to
benchmarks/results/pretrain_throughput_<device>.json (or --json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
MODALITIES = ("events", "tabular", "image", "signal")


def make(args: argparse.Namespace) -> None:
    from healthfm.data import SampleDataset, load_processors, make_loader
    from healthfm.pretrain.samples import pretraining_samples
    from healthfm.schema import Modality
    from healthfm.store.patient_store import PatientStore

    processors = {
        m: p for m, p in load_processors(args.run / "processors.json").items() if m.value in MODALITIES
    }
    store = PatientStore.open(args.store, create=False)
    samples = pretraining_samples(store, "train", cuts_per_patient=1)[: args.n_batches * args.batch_size]
    ds = SampleDataset(store, samples, processors)
    batches = list(make_loader(ds, processors, None, args.batch_size, shuffle=False))
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(batches, args.out / "batches.pt")
    backbone = json.loads((args.run / "best" / "backbone.json").read_text())
    backbone["encoders"] = {m: e for m, e in backbone["encoders"].items() if m in MODALITIES}
    backbone["fusion"]["config"].pop("modalities", None)
    (args.out / "backbone.json").write_text(json.dumps(backbone, indent=2))
    size = (args.out / "batches.pt").stat().st_size / 1e6
    print(
        f"{len(batches)} batches of {args.batch_size} "
        f"({[m.value for m in Modality if m in processors]}), {size:.1f} MB"
    )


def time_loop(args: argparse.Namespace) -> None:
    import healthfm.objectives  # noqa: F401
    from healthfm.objectives.base import Objective
    from healthfm.pretrain.model import BackboneConfig, PretrainModel
    from healthfm.registry import OBJECTIVES
    from healthfm.train.loop import TrainConfig, train

    batches = torch.load(args.batches / "batches.pt", weights_only=False)
    backbone = BackboneConfig.from_dict(json.loads((args.batches / "backbone.json").read_text()))
    names = []
    for name in OBJECTIVES.names():
        cls = OBJECTIVES.get(name)
        assert isinstance(cls, type) and issubclass(cls, Objective)
        if cls.applies_to(list(backbone.encoders)):
            names.append(name)
    device = torch.device(args.device)
    precisions = ["none", "bf16"] if device.type == "cuda" else ["none"]
    rows = []
    for precision in precisions:
        torch.manual_seed(0)
        model = PretrainModel(backbone, {n: {} for n in names})
        loader = batches * args.repeat
        config = TrainConfig(
            epochs=args.epochs, batch_size=batches[0].size, lr=1e-3, mixed_precision=precision,
            device=args.device, patience=args.epochs,
        )  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            result = train(model, loader, config, out_dir=Path(tmp))
            wall = time.perf_counter() - t
        per_epoch = [r.samples_per_s for r in result.history]
        rows.append(
            {
                "precision": precision,
                "samples_per_s_first_epoch": per_epoch[0],
                "samples_per_s_steady": max(per_epoch[1:] or per_epoch),
                "final_loss": result.history[-1].train_loss,
                "loss_finite": all(torch.isfinite(torch.tensor(r.train_loss)) for r in result.history),
                "wall_s": wall,
                "peak_gpu_mb": torch.cuda.max_memory_allocated() / 1e6 if device.type == "cuda" else None,
            }
        )
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu"
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {name}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads",
        "date": dt.date.today().isoformat(),
        "device": args.device,
        "batch_size": batches[0].size,
        "steps_per_epoch": len(batches) * args.repeat,
        "epochs": args.epochs,
        "modalities": list(backbone.encoders),
        "objectives": names,
        "parameters": sum(p.numel() for p in PretrainModel(backbone, {n: {} for n in names}).parameters()),
        "runs": rows,
    }
    out = args.json or ROOT / "benchmarks" / "results" / f"pretrain_throughput_{device.type}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(report["machine"])
    print(f"{'precision':>9} {'first epoch':>12} {'steady':>10} {'final loss':>11}")
    for r in rows:
        print(
            f"{r['precision']:>9} {r['samples_per_s_first_epoch']:>10.1f}/s "
            f"{r['samples_per_s_steady']:>8.1f}/s {r['final_loss']:>11.4f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("make")
    mk.add_argument("--store", type=Path, default=ROOT / "runs" / "bench" / "store")
    mk.add_argument("--run", type=Path, default=ROOT / "runs" / "bench" / "pretrain" / "pretrain")
    mk.add_argument("--out", type=Path, default=ROOT / "runs" / "bench" / "throughput")
    mk.add_argument("--n-batches", type=int, default=4)
    mk.add_argument("--batch-size", type=int, default=64)
    tm = sub.add_parser("time")
    tm.add_argument("--batches", type=Path, default=ROOT / "runs" / "bench" / "throughput")
    tm.add_argument("--device", default="cpu")
    tm.add_argument("--epochs", type=int, default=3)
    tm.add_argument("--repeat", type=int, default=2, help="passes over the batches per epoch")
    tm.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    make(args) if args.command == "make" else time_loop(args)


if __name__ == "__main__":
    main()
