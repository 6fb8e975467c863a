"""FHIR NDJSON ingestion speed: `FhirReader` (orjson, dict walking) vs `fhir.resources` models.

Synthesises a small cohort once, replicates its NDJSON (fresh ids per copy) to `--resources` lines,
then in one run: `FhirReader` into a counting sink and `fhir.resources` R4B models over the same lines,
chunk by chunk and alternating (a busy machine slows both alike); and one `FhirReader` pass over the
whole file in a child process, for its own peak RSS. Prints a table and writes JSON.

    python benchmarks/ingest_fhir_bench.py [--resources 120000] [--model-sample 1.0]
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import platform
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.ingest.base import IngestSink, SourceEvent
from healthfm.ingest.fhir import FhirReader
from healthfm.store.blobs import BlobMeta

RESULTS = Path(__file__).parent / "results" / "ingest_fhir.json"
_UUID_HEAD = re.compile(rb"\b[0-9a-f]{8}(?=-[0-9a-f]{4}-[0-9a-f]{4}-)")
_SECONDS = re.compile(rb"(T\d\d:\d\d:)\d\d")


class CountingSink(IngestSink):
    """Counts what a reader emits and keeps nothing (the reader's cost alone)."""

    def __init__(self) -> None:
        self.events = 0
        self.links = 0
        self.quarantined = 0
        self.counts: Counter[str] = Counter()

    def emit(self, event: SourceEvent) -> None:
        self.events += 1

    def put_blob(self, array: np.ndarray[Any, Any], meta: BlobMeta) -> str:
        return "blob://none"

    def link(self, alias_key: str, subject_key: str) -> None:
        self.links += 1

    def quarantine(self, source: str | Path, location: str, reason: str, excerpt: str = "") -> None:
        self.quarantined += 1

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


def make_input(work: Path, target: int, patients: int) -> Path:
    """A cohort's NDJSON replicated to at least `target` resources in one file, Patients first."""
    from healthfm.synth.writer import SynthConfig, synthesize

    cohort = work / f"cohort-{patients}"
    if not (cohort / "fhir" / "manifest.json").exists():
        synthesize(SynthConfig(patients=patients, seed=3, out=cohort, workers=1), force=True)
    manifest = json.loads((cohort / "fhir" / "manifest.json").read_text())
    files = [(o["type"], cohort / "fhir" / o["url"]) for o in manifest["output"]]
    per_copy = sum(o["count"] for o in manifest["output"])
    copies = -(-target // per_copy)
    out = work / f"replicated-v2-{copies * per_copy}.ndjson"
    if out.exists():
        return out
    tmp = out.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        for _kind, file in files:  # manifest order puts Patient first
            lines = file.read_bytes().splitlines()
            for k in range(copies):
                # fresh ids; and fresh timestamps, so that the reader's time cache gains nothing from
                # the copies (the seconds field differs for up to 60 copies)
                head, seconds = b"%08x" % k, rb"\g<1>%02d" % (k % 60)
                fh.writelines(_SECONDS.sub(seconds, _UUID_HEAD.sub(head, line)) + b"\n" for line in lines)
    tmp.rename(out)
    return out


def run_reader(path: str) -> dict[str, Any]:
    """Child process: time `FhirReader` over the file; report its own peak RSS."""
    sink = CountingSink()
    start = time.perf_counter()
    FhirReader().read(Path(path), sink)
    seconds = time.perf_counter() - start
    resources = sum(n for k, n in sink.counts.items() if k.startswith("read:"))
    return {
        "seconds": seconds,
        "resources": resources,
        "events": sink.events,
        "quarantined": sink.quarantined,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def side_by_side(path: Path, chunk_lines: int, sample: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time both parsers chunk by chunk, alternating, so that a busy machine slows both alike.

    fhir.resources parses every `1/sample`-th line of each chunk. Its model class is looked up outside
    the timing, as if each file held one type (as a Bulk Data export's files do): this favours it.
    """
    from fhir.resources.R4B import get_fhir_model_class

    folder = path.with_name(path.stem + f"-chunks{chunk_lines}")
    if not folder.is_dir():
        tmp = folder.with_suffix(".tmp")
        tmp.mkdir()
        with path.open("rb") as fh:
            for k, lines in enumerate(iter(lambda: list(itertools.islice(fh, chunk_lines)), [])):
                (tmp / f"{k:05d}.ndjson").write_bytes(b"".join(lines))
        tmp.rename(folder)
    step = max(1, round(1 / sample))
    classes: dict[str, Any] = {}
    reader = {"seconds": 0.0, "resources": 0, "events": 0, "quarantined": 0}
    models = {"seconds": 0.0, "resources": 0}
    for chunk in sorted(folder.iterdir()):
        sink = CountingSink()
        start = time.perf_counter()
        FhirReader().read(chunk, sink)
        reader["seconds"] += time.perf_counter() - start
        reader["resources"] += sum(n for k, n in sink.counts.items() if k.startswith("read:"))
        reader["events"] += sink.events
        reader["quarantined"] += sink.quarantined
        typed = []
        for line in chunk.read_bytes().splitlines()[::step]:
            kind = json.loads(line)["resourceType"]
            typed.append((classes.get(kind) or classes.setdefault(kind, get_fhir_model_class(kind)), line))
        start = time.perf_counter()
        for cls, line in typed:
            cls.model_validate_json(line)
        models["seconds"] += time.perf_counter() - start
        models["resources"] += len(typed)
    return reader, models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=120_000)
    parser.add_argument("--patients", type=int, default=40, help="cohort size before replication")
    parser.add_argument("--work", type=Path, default=Path("/tmp/healthfm-bench-fhir"))
    parser.add_argument(
        "--model-sample", type=float, default=1.0, help="share of lines fhir.resources parses"
    )
    parser.add_argument("--chunk", type=int, default=5000, help="lines per side-by-side chunk")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    path = make_input(args.work, args.resources, args.patients)
    size_mb = path.stat().st_size / 2**20
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        single = pool.apply(run_reader, (str(path),))
    reader, models = side_by_side(path, args.chunk, args.model_sample)

    reader_rate = reader["resources"] / reader["seconds"]
    model_rate = models["resources"] / models["seconds"]
    result = {
        "machine": f"{platform.node()} {platform.processor() or platform.machine()}, "
        f"{multiprocessing.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "input": {"file": str(path), "resources": single["resources"], "size_mb": round(size_mb, 1)},
        "fhir_reader": {
            "seconds": round(reader["seconds"], 2),
            "resources_per_s": round(reader_rate),
            "events": reader["events"],
            "quarantined": reader["quarantined"],
        },
        "fhir_reader_single_pass": {
            "seconds": round(single["seconds"], 2),
            "resources_per_s": round(single["resources"] / single["seconds"]),
            "peak_rss_mb": round(single["peak_rss_mb"], 1),
        },
        "fhir_resources_models": {
            "resources": models["resources"],
            "seconds": round(models["seconds"], 2),
            "resources_per_s": round(model_rate),
        },
        "speedup": round(reader_rate / model_rate, 1),
        "targets": {"resources_per_s": 30_000, "speedup": 10},
    }
    rows = [
        ("FhirReader (orjson + dicts)", reader["resources"], reader["seconds"], reader_rate),
        ("fhir.resources R4B models", models["resources"], models["seconds"], model_rate),
        (
            "FhirReader, one pass",
            single["resources"],
            single["seconds"],
            single["resources"] / single["seconds"],
        ),
    ]
    print(f"input: {single['resources']:,} resources, {size_mb:.0f} MB ({path})")
    print(f"{'parser':<28}{'resources':>12}{'seconds':>10}{'resources/s':>14}")
    for name, n, s, r in rows:
        print(f"{name:<28}{n:>12,}{s:>10.2f}{r:>14,.0f}")
    print(
        f"speedup {result['speedup']}x; reader emitted {reader['events']:,} events, "
        f"quarantined {reader['quarantined']}; one-pass peak RSS {single['peak_rss_mb']:.0f} MB"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
