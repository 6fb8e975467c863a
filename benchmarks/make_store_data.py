"""Generate a MEDS-shaped event export for the store benchmark: N subjects, about M events.

Events come as Parquet files (a hospital export), subjects interleaved across files the way an
extract by resource type would be, codes drawn Zipf-like from a realistic vocabulary mix.

    python benchmarks/make_store_data.py --subjects 10000 --events 10000000 --out /tmp/hfm-bench-input
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

VOCABS = [("LOINC", 800, 0.45), ("ICD10CM", 2500, 0.2), ("RXNORM", 1200, 0.2), ("SNOMED", 500, 0.15)]
FILES = ("observation", "condition", "medication", "procedure")


def code_vocabulary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, probs, numeric = [], [], []
    for vocab, n, share in VOCABS:
        ranks = np.arange(1, n + 1)
        p = 1.0 / ranks**1.1
        probs.append(share * p / p.sum())
        codes.extend(f"{vocab}/{rng.integers(10_000, 99_999)}-{i}" for i in range(n))
        numeric.append(np.full(n, vocab == "LOINC"))
    return np.array(codes, dtype=object), np.concatenate(probs), np.concatenate(numeric)


def generate(n_subjects: int, n_events: int, out: Path, seed: int = 0, batch_subjects: int = 500) -> int:
    rng = np.random.default_rng(seed)
    codes, probs, numeric = code_vocabulary(rng)
    subject_ids = rng.choice(2**40, size=n_subjects, replace=False).astype(np.int64)
    # events per subject: log-normal around the mean, as real timelines are heavy-tailed
    raw = rng.lognormal(mean=0.0, sigma=0.8, size=n_subjects)
    per_subject = np.maximum(5, np.round(raw / raw.sum() * n_events)).astype(np.int64)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    writers = {name: pq.ParquetWriter(out / f"{name}.parquet", _schema()) for name in FILES}
    total = 0
    t0 = np.datetime64("2010-01-01T00:00:00", "us")
    span_us = np.int64(12 * 365 * 86400 * 10**6)
    for lo in range(0, n_subjects, batch_subjects):
        ids = subject_ids[lo : lo + batch_subjects]
        counts = per_subject[lo : lo + batch_subjects]
        sid = np.repeat(ids, counts)
        n = len(sid)
        code_idx = rng.choice(len(codes), size=n, p=probs)
        times = t0 + rng.integers(0, span_us, size=n).astype("timedelta64[us]")
        values = np.where(numeric[code_idx], rng.normal(100, 25, size=n), np.nan).astype(np.float32)
        table = pa.table(
            {
                "subject_id": sid,
                "time": pa.array(times, pa.timestamp("us")),
                "code": pa.array(codes[code_idx], pa.string()),
                "numeric_value": pa.array(values, pa.float32(), from_pandas=True),
            }
        )
        # births: one static-ish anchor per subject, before every other event
        births = pa.table(
            {
                "subject_id": ids,
                "time": pa.array(
                    np.full(len(ids), np.datetime64("1950-01-01T00:00:00", "us")), pa.timestamp("us")
                ),
                "code": pa.array(["MEDS_BIRTH"] * len(ids), pa.string()),
                "numeric_value": pa.nulls(len(ids), pa.float32()),
            }
        )
        # route each event to the export file of its vocabulary, so subjects interleave across files
        vocab_of = np.searchsorted(np.cumsum([v[1] for v in VOCABS]), code_idx, side="right")
        for k, name in enumerate(FILES):
            writers[name].write_table(table.filter(pa.array(vocab_of == k)))
        writers["observation"].write_table(births)
        total += n + len(ids)
    for w in writers.values():
        w.close()
    return total


def _schema() -> pa.Schema:
    return pa.schema(
        [
            ("subject_id", pa.int64()),
            ("time", pa.timestamp("us")),
            ("code", pa.string()),
            ("numeric_value", pa.float32()),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/hfm-bench-input"))
    args = parser.parse_args()
    t = time.perf_counter()
    n = generate(args.subjects, args.events, args.out, args.seed)
    print(
        f"wrote {n:,} events for {args.subjects:,} subjects to {args.out} in {time.perf_counter() - t:.1f}s"
    )


if __name__ == "__main__":
    main()
