"""End-to-end `healthfm ingest` into a store: FHIR resources/s and peak RSS; DICOM images/s with
`--workers 1` and `--workers 2` side by side on the same files.

    python benchmarks/ingest_pipeline_bench.py [--resources 1000000] [--dicom-patients 400]

Each run is a fresh `healthfm ingest` child process into an empty store; its peak RSS is sampled
every 20 ms (psutil). Prints a table and writes benchmarks/results/ingest_pipeline.json.
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

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest_fhir_bench import make_input  # noqa: E402

HEALTHFM = str(Path(sys.executable).with_name("healthfm"))


def run_ingest(sources: list[Path], store: Path, workers: int) -> dict[str, Any]:
    if store.exists():
        shutil.rmtree(store)
    env = {k: v for k, v in os.environ.items() if k != "HEALTHFM_CATALOG_URL"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [HEALTHFM, "--store", str(store), "ingest", *map(str, sources), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            peak = max(peak, rss)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    out, errs = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"healthfm ingest failed ({child.returncode}): {errs[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20, "stdout_tail": out.strip().splitlines()[-2:]}


def count_resources(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def dicom_input(work: Path, patients: int) -> Path:
    from healthfm.synth.writer import SynthConfig, synthesize

    cohort = work / f"cohort-dicom-{patients}"
    if not (cohort / "dicom").is_dir():
        synthesize(SynthConfig(patients=patients, seed=5, out=cohort, workers=2), force=True)
    return cohort / "dicom"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--dicom-patients", type=int, default=400)
    parser.add_argument("--work", type=Path, default=Path("/tmp/healthfm-bench-fhir"))
    parser.add_argument("--json", type=Path, default=HERE / "results" / "ingest_pipeline.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    ndjson = make_input(args.work, args.resources, patients=40)
    folder = args.work / "fhir-export"
    folder.mkdir(exist_ok=True)
    target = folder / "Bundle.ndjson"
    if not target.exists():
        target.symlink_to(ndjson)
    n_resources = count_resources(ndjson)
    fhir = run_ingest([target], args.work / "store-fhir", workers=1)
    fhir["resources"] = n_resources
    fhir["resources_per_s"] = n_resources / fhir["seconds"]

    dicom = dicom_input(args.work, args.dicom_patients)
    n_images = sum(1 for _ in dicom.glob("*.dcm"))
    by_workers = {}
    for workers in (1, 2):
        r = run_ingest([dicom], args.work / f"store-dicom-{workers}", workers=workers)
        r["images_per_s"] = n_images / r["seconds"]
        by_workers[workers] = r

    rows = [
        ("FHIR NDJSON → store (resources/s)", f"{fhir['resources_per_s']:,.0f}", "≥ 30,000 (reader alone)"),
        ("FHIR peak RSS (MB)", f"{fhir['peak_rss_mb']:,.0f}", "≤ 1,024"),
        (f"DICOM {n_images} files, 1 worker (images/s)", f"{by_workers[1]['images_per_s']:,.1f}", "≥ 100"),
        (f"DICOM {n_images} files, 2 workers (images/s)", f"{by_workers[2]['images_per_s']:,.1f}", ""),
        (
            "DICOM scaling 2 / 1 workers",
            f"{by_workers[2]['images_per_s'] / by_workers[1]['images_per_s']:.2f}×",
            "",
        ),
    ]
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
    print(f"FHIR input: {n_resources:,} resources; {fhir['stdout_tail'][-1] if fhir['stdout_tail'] else ''}")
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "fhir": fhir,
        "dicom": {"images": n_images, "workers_1": by_workers[1], "workers_2": by_workers[2]},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
