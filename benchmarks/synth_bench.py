"""Time `healthfm synth`: patients per second and output size; prints a table, writes results/synth.json.

Usage: python benchmarks/synth_bench.py [--patients 2000] [--workers 2] [--seed 0]
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

from healthfm.datasets import fetch
from healthfm.synth.writer import SynthConfig, synthesize

TARGET_SECONDS = 180.0  # issue 3: 2,000 patients in <= 3 minutes on the 2-core machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "synth.json")
    args = parser.parse_args()
    fetch()
    with tempfile.TemporaryDirectory(prefix="healthfm-synth-bench-") as tmp:
        out = Path(tmp) / "cohort"
        start = time.perf_counter()
        counts = synthesize(SynthConfig(args.patients, args.seed, out, args.workers))
        seconds = time.perf_counter() - start
        files = [p for p in out.rglob("*") if p.is_file()]
        size_mb = sum(p.stat().st_size for p in files) / 1e6
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "patients": args.patients,
        "workers": args.workers,
        "seconds": round(seconds, 1),
        "patients_per_second": round(args.patients / seconds, 1),
        "target_seconds_for_2000": TARGET_SECONDS,
        "projected_seconds_for_2000": round(seconds * 2000 / args.patients, 1),
        "files": len(files),
        "output_mb": round(size_mb, 1),
        "counts": counts,
    }
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
