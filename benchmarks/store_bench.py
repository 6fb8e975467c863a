"""Patient store benchmark: append throughput and peak memory, per-subject access, full scan —
side by side with `meds_reader` (C++) on the same data, in one run.

    python benchmarks/store_bench.py --subjects 10000 --events 10000000

Prints a table and writes benchmarks/results/store.json. Targets (issue 2): append ≥ 1M events/s
with peak RSS ≤ 1 GB; timeline p50 ≤ 10 ms, p99 ≤ 50 ms; scan ≥ 5M events/s; per-subject access
within 2× of meds_reader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_store_data import generate  # noqa: E402

APPEND_CHILD = r"""
import json, resource, sys, time
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pathlib import Path
from healthfm.store.patient_store import PatientStore

inp, store_path = Path(sys.argv[1]), sys.argv[2]
def batches():
    for f in sorted(inp.glob("*.parquet")):
        yield from pq.ParquetFile(f).iter_batches(batch_size=262_144)
store = PatientStore.open(store_path)
t = time.perf_counter()
result = store.append(batches())
elapsed = time.perf_counter() - t
store.close()
print(json.dumps({"seconds": elapsed, "events": result.events,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


def bench_healthfm(inp: Path, store_dir: Path, probe: np.ndarray) -> dict[str, Any]:
    from healthfm.store.patient_store import PatientStore

    if store_dir.exists():
        shutil.rmtree(store_dir)
    out = subprocess.run(
        [sys.executable, "-c", APPEND_CHILD, str(inp), str(store_dir)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "HEALTHFM_CATALOG_URL": f"sqlite:///{store_dir}.catalog.sqlite"},
    )
    append = json.loads(out.stdout.strip().splitlines()[-1])
    store = PatientStore.open(store_dir)
    # warm: the index is loaded and every shard opened once, as meds_reader's database is open
    for _ in store.iter_shards(columns=["subject_id"]):
        pass
    lat, lat_py = [], []
    n_ev = 0
    for sid in probe:
        t = time.perf_counter()
        tl = store.timeline(int(sid))
        lat.append(time.perf_counter() - t)
        n_ev += len(tl)
    for sid in probe:  # every event as a Python object with its fields
        t = time.perf_counter()
        rows = [(e.time, e.code, e.numeric_value) for e in store.timeline(int(sid)).events()]
        lat_py.append(time.perf_counter() - t)
        assert rows
    t = time.perf_counter()
    scanned = 0
    for batch in store.scan(columns=["time", "code", "numeric_value"]):  # touch every value
        pc.max(batch.column(0))
        pc.sum(pc.binary_length(batch.column(1)))
        pc.sum(batch.column(2))
        scanned += batch.num_rows
    scan_s = time.perf_counter() - t
    store.close()
    return {
        "append_seconds": append["seconds"],
        "append_events_per_s": append["events"] / append["seconds"],
        "append_peak_rss_mb": append["peak_rss_mb"],
        "timeline_p50_ms": percentile_ms(lat, 50),
        "timeline_p99_ms": percentile_ms(lat, 99),
        "timeline_mean_events": n_ev / len(probe),
        "python_p50_ms": percentile_ms(lat_py, 50),
        "python_p99_ms": percentile_ms(lat_py, 99),
        "scan_events_per_s": scanned / scan_s,
        "scan_events": scanned,
    }


def bench_meds_reader(store_dir: Path, probe: np.ndarray, threads: int) -> dict[str, Any]:
    import meds_reader

    db_dir = store_dir.with_name(store_dir.name + "-meds_reader")
    if db_dir.exists():
        shutil.rmtree(db_dir)
    # meds_reader reads MEDS: our store folder is one (data/ + metadata/)
    t = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("meds_reader_convert")),
            str(store_dir),
            str(db_dir),
            "--num_threads",
            str(threads),
        ],
        check=True,
        capture_output=True,
    )
    convert_s = time.perf_counter() - t
    db = meds_reader.SubjectDatabase(str(db_dir))
    len(db[int(probe[0])].events)
    lat, lat_py = [], []
    for sid in probe:
        t = time.perf_counter()
        events = db[int(sid)].events
        len(events)
        lat.append(time.perf_counter() - t)
    for sid in probe:
        t = time.perf_counter()
        rows = [(e.time, e.code, e.numeric_value) for e in db[int(sid)].events]
        lat_py.append(time.perf_counter() - t)
        assert rows
    t = time.perf_counter()
    scanned = 0
    for sid in db:  # touch every value through its Python API
        for e in db[sid].events:
            e.time, e.code, e.numeric_value  # noqa: B018
            scanned += 1
    scan_s = time.perf_counter() - t
    return {
        "convert_seconds": convert_s,
        "timeline_p50_ms": percentile_ms(lat, 50),
        "timeline_p99_ms": percentile_ms(lat, 99),
        "python_p50_ms": percentile_ms(lat_py, 50),
        "python_p99_ms": percentile_ms(lat_py, 99),
        "scan_events_per_s": scanned / scan_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--probe", type=int, default=2_000, help="subjects sampled for per-subject latency")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hfm-store-bench"))
    parser.add_argument("--json", type=Path, default=HERE / "results" / "store.json")
    args = parser.parse_args()

    inp = args.workdir / "input"
    t = time.perf_counter()
    n_input = generate(args.subjects, args.events, inp)
    print(f"generated {n_input:,} events for {args.subjects:,} subjects in {time.perf_counter() - t:.1f}s")
    ids = np.unique(pq.read_table(inp / "observation.parquet", columns=["subject_id"]).column(0).to_numpy())
    probe = np.random.default_rng(1).choice(ids, size=min(args.probe, len(ids)), replace=False)

    ours = bench_healthfm(inp, args.workdir / "store", probe)
    theirs = bench_meds_reader(args.workdir / "store", probe, threads=os.cpu_count() or 1)

    rows = [
        ("append (events/s)", f"{ours['append_events_per_s']:,.0f}", "—", "≥ 1,000,000"),
        ("append peak RSS (MB)", f"{ours['append_peak_rss_mb']:,.0f}", "—", "≤ 1,024"),
        ("meds_reader_convert (s)", "—", f"{theirs['convert_seconds']:.1f}", ""),
        (
            "per-subject p50 (ms)",
            f"{ours['timeline_p50_ms']:.3f}",
            f"{theirs['timeline_p50_ms']:.3f}",
            "≤ 10",
        ),
        (
            "per-subject p99 (ms)",
            f"{ours['timeline_p99_ms']:.3f}",
            f"{theirs['timeline_p99_ms']:.3f}",
            "≤ 50",
        ),
        (
            "per-subject → Python p50 (ms)",
            f"{ours['python_p50_ms']:.3f}",
            f"{theirs['python_p50_ms']:.3f}",
            "",
        ),
        (
            "per-subject → Python p99 (ms)",
            f"{ours['python_p99_ms']:.3f}",
            f"{theirs['python_p99_ms']:.3f}",
            "",
        ),
        (
            "full scan (events/s)",
            f"{ours['scan_events_per_s']:,.0f}",
            f"{theirs['scan_events_per_s']:,.0f}",
            "≥ 5,000,000",
        ),
    ]
    ratio_p50 = ours["timeline_p50_ms"] / theirs["timeline_p50_ms"]
    ratio_p99 = ours["timeline_p99_ms"] / theirs["timeline_p99_ms"]
    ratio_py = ours["python_p50_ms"] / theirs["python_p50_ms"]
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("metric", "healthfm", "meds_reader", "target")
    width = [max(w, len(h)) for w, h in zip(width, head, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(head, width, strict=True)))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
    print(
        f"per-subject ratio healthfm / meds_reader: p50 {ratio_p50:.1f}×, p99 {ratio_p99:.1f}× (aim ≤ 2×); "
        f"to Python objects p50 {ratio_py:.2f}×"
    )

    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "subjects": args.subjects,
        "events": ours["scan_events"],
        "healthfm": ours,
        "meds_reader": theirs,
        "ratio_p50": ratio_p50,
        "ratio_p99": ratio_p99,
        "ratio_python_p50": ratio_py,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
