"""Continued masked-LM pretraining of the text encoder: held-out perplexity before and after, on this machine.

    python benchmarks/text_mlm_bench.py [--store runs/bench/store] [--max-texts 600] [--threads 1]

Runs `adapt_text_encoder` on the store's clinical notes (train split; held-out split for scoring) plus the
real IU chest X-ray reports (80/20 by report id), with training texts capped per source so that it takes
about ten minutes on a 2-core CPU. "Before" = the original MiniLM, frozen, with a trained MLM head; "after"
= that head and the whole encoder continued-pretrained. Prints a table and writes
benchmarks/results/text_mlm.json (settings, corpus sizes, perplexities, timings, machine and its load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "runs" / "bench" / "store")
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "bench" / "text_mlm")
    ap.add_argument("--max-texts", type=int, default=600, help="training texts per source")
    ap.add_argument("--max-held-out", type=int, default=200, help="held-out texts per source")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--head-epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default=None)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's own)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    from healthfm.datasets.fetch import fetch
    from healthfm.pretrain.text_mlm import STAGES, TextMLMConfig, adapt_text_encoder
    from healthfm.store.patient_store import PatientStore

    if not (args.store / ".healthfm" / "store.json").is_file():
        raise SystemExit(f"no store at {args.store}: run benchmarks/train_bench.py first, or pass --store")
    fetch(["iu-cxr-reports"])  # cached after the first run
    config = TextMLMConfig(
        max_length=args.max_length,
        epochs=args.epochs,
        head_epochs=args.head_epochs,
        max_texts=args.max_texts,
        max_held_out_texts=args.max_held_out,
        seed=args.seed,
        device=args.device,
    )
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    with PatientStore.open(args.store, create=False) as store:
        patients = store.info().subjects
        result = adapt_text_encoder(store, args.out, config, stage=lambda m: print(f"  {m}", flush=True))
    wall = time.perf_counter() - t0
    ppl = result.perplexity
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads",
        "load_average_1min": {"start": load_before[0], "end": os.getloadavg()[0]},
        "date": dt.date.today().isoformat(),
        "store": str(args.store),
        "patients": patients,
        "wall_s": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "after_over_before": {s: ppl["after"][s] / ppl["before"][s] for s in ppl["after"]},
        **{k: v for k, v in result.to_dict().items() if k != "out"},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "text_mlm.json").write_text(json.dumps(report, indent=2) + "\n")

    print(f"\n{'source':14s} {'train':>6s} {'held-out':>8s} {'masked':>7s}", end="")
    print("".join(f" {s:>15s}" for s in STAGES), f" {'after/before':>12s}")
    for source in ppl["after"]:
        sizes = result.corpus.get(source) or {
            split: sum(c[split] for c in result.corpus.values()) for split in ("train", "held_out")
        }
        print(
            f"{source:14s} {sizes['train']:6,d} {sizes['held_out']:8,d} {result.masked_tokens[source]:7,d}",
            end="",
        )
        print(
            "".join(f" {ppl[s][source]:15.1f}" for s in STAGES),
            f" {report['after_over_before'][source]:12.3f}",
        )
    seconds = ", ".join(f"{k} {v:.0f}" for k, v in result.seconds.items())
    print(f"\nseconds: {seconds}; wall {wall:.0f} s on {report['machine']}")
    print(f"wrote {RESULTS / 'text_mlm.json'}")


if __name__ == "__main__":
    main()
