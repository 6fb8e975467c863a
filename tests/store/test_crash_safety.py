"""Killing a writer mid-append loses nothing already stored; readers see whole appends only."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import meds
import numpy as np
import pyarrow.parquet as pq
import pytest

from healthfm.store.patient_store import PatientStore
from tests.conftest import SLOW_SCALE

# Each append k adds subjects k*1000 .. k*1000+19 (10 events each) and one event to subject 0,
# so a torn append would show up as a partial batch or a wrong count for subject 0.
WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    import pyarrow as pa
    from healthfm.store.patient_store import PatientStore, StoreSettings

    store = PatientStore.open(sys.argv[1], settings=StoreSettings(max_events_per_shard=60, row_group_rows=8))
    k = int(sys.argv[2])
    while True:
        ids = [k * 1000 + i for i in range(20) for _ in range(10)] + [0]
        times = [dt.datetime(2020, 1, 1) + dt.timedelta(hours=j) for j in range(len(ids))]
        store.append(pa.table({"subject_id": ids, "time": times, "code": [f"LOINC/{k}"] * len(ids)}))
        print(f"committed {k}", flush=True)
        k += 1
    """
)
EVENTS_PER_APPEND = 201


def _check_consistent(path: Path) -> dict[int, int]:
    """Open (recovering), validate every invariant, and return {batch k: events present}."""
    store = PatientStore.open(path)
    try:
        assert not list((path / ".healthfm").glob("txn-*")), "a transaction folder survived recovery"
        index = pq.read_table(path / ".healthfm" / "subjects.parquet").to_pydict()
        shards = set(store.shards())
        assert set(index["shard"]) == shards, "index and data/ disagree"
        arrow = {p.stem + ".parquet" for p in (path / ".healthfm" / "arrow").glob("*.arrow")}
        assert arrow == shards, "the Arrow access copies and data/ disagree"
        counts: dict[int, int] = {}
        for name in shards:
            table = pq.read_table(path / "data" / name)
            meds.DataSchema.validate(table)
            for sid in np.unique(table.column("subject_id").to_numpy()).tolist():
                if sid:
                    counts[sid // 1000] = counts.get(sid // 1000, 0) + len(store.timeline(sid))
        zero = len(store.timeline(0)) if 0 in store else 0
        for k, n in counts.items():
            assert n == 200, f"append {k} is partly stored ({n} of 200 events)"
        assert zero == len(counts), f"subject 0 has {zero} events for {len(counts)} appends"
        assert store.catalog.verify_audit_chain().ok
        return counts
    finally:
        store.close()


@pytest.mark.slow
def test_killing_the_writer_at_any_point_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "store"
    PatientStore.open(path).close()
    rounds = 8 if SLOW_SCALE == "small" else 40
    rng = random.Random(7)
    next_k = 1
    committed: set[int] = set()
    for _ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(next_k)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # the writer is in its loop: kill it somewhere inside an append
        time.sleep(rng.uniform(0.0, 0.5))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        committed |= {
            int(line.split()[1]) for line in (first + out).splitlines() if line.startswith("committed")
        }
        present = _check_consistent(path)
        missing = committed - set(present)
        assert not missing, f"appends {sorted(missing)} were acknowledged but are gone"
        next_k = max([next_k, *present]) + 1
    assert len(committed) >= rounds  # the writer did real work between kills


@pytest.mark.slow
def test_concurrent_readers_see_whole_appends_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    PatientStore.open(path).close()
    appends = 8 if SLOW_SCALE == "small" else 40
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "1"], stdout=subprocess.PIPE, text=True
    )
    reader = PatientStore.open(path)
    seen = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            total = sum(b.num_rows for b in reader.scan(columns=["subject_id"]))
            assert total % EVENTS_PER_APPEND == 0, f"a scan saw a torn append ({total} events)"
            seen.add(total // EVENTS_PER_APPEND)
            if max(seen) >= appends:
                break
    finally:
        writer.kill()
        writer.communicate()
        reader.close()
    assert len(seen) >= 3, "the reader never overlapped the writer"
