"""healthfm against the standard method of each field on real data (issue 8): `healthfm bench real`.

UCI heart disease validated on two unseen sites (vs logistic regression and LightGBM), WHAS500 survival
(vs Cox and a random survival forest) and IU chest X-ray report labelling (vs TF-IDF + logistic
regression); the same splits and the same validation protocol for every method; 1,000-resample bootstrap
intervals, paired for differences. Prints the tables and writes benchmarks/results/real.json (the run
folders stay under --out).

    python benchmarks/real_bench.py [--only uci,whas500,iu] [--seed 0] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
from rich.console import Console

from healthfm.datasets import fetch
from healthfm.evaluate.real import BenchOptions, parse_only, run_real_bench
from healthfm.train.runs import json_safe

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "real.json"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=None, help="comma-separated: uci,whas500,iu")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "bench-real")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--text-model", default=None, help="a `healthfm pretrain-text` folder")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    fetch(["uci-heart", "iu-cxr-reports"])
    started = time.perf_counter()
    report = run_real_bench(
        args.out,
        parse_only(args.only),
        BenchOptions(seed=args.seed, quick=args.quick, text_model=args.text_model),
        console=Console(),
    )
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(json_safe(report), indent=2) + "\n")
    print(f"wrote {RESULTS} ({report['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
