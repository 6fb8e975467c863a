"""The patient store: round trip, MEDS validity, splits, erase, bad input, recovery."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import meds
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from healthfm.errors import DataError, StoreError
from healthfm.schema import Event, Modality
from healthfm.store.blobs import BlobMeta
from healthfm.store.events import iter_event_batches
from healthfm.store.patient_store import PatientStore, StoreSettings, assign_split
from tests.conftest import make_events


def _sorted_rows(table: pa.Table) -> list[tuple[object, ...]]:
    rows = table.select(["subject_id", "time", "code", "numeric_value"]).to_pylist()
    return sorted(
        (r["subject_id"], r["time"] or dt.datetime.min, r["code"], r["numeric_value"]) for r in rows
    )


def _all_events(store: PatientStore) -> pa.Table:
    return pa.concat_tables(t for _, t in store.iter_shards())


def test_round_trip_keeps_every_event_and_sorts_each_timeline(store: PatientStore) -> None:
    events = make_events(list(range(1, 21)), per_subject=7)
    result = store.append(events)
    assert (result.events, result.subjects, result.new_subjects) == (events.num_rows, 20, 20)
    assert _sorted_rows(_all_events(store)) == _sorted_rows(events)
    for sid in range(1, 21):
        tl = store.timeline(sid)
        assert len(tl) == 9
        times = tl.table.column("time").to_pylist()
        assert times[0] is None  # static facts first
        timed = [t for t in times if t is not None]
        assert timed == sorted(timed)
        assert tl.codes[1] == "MEDS_BIRTH"


def test_each_subject_lives_in_exactly_one_contiguous_shard(store: PatientStore) -> None:
    store.append(make_events(list(range(100)), per_subject=4))
    for _, table in store.iter_shards():  # new subjects fill shards up to the cap, cut between subjects
        assert table.num_rows <= 50
    store.append(make_events(list(range(50, 150)), per_subject=2, seed=1))  # half are existing subjects
    assert len(store.shards()) > 3  # the tiny shard cap forced several shards
    seen: dict[int, str] = {}
    for name, table in store.iter_shards():
        ids = table.column("subject_id").to_numpy()
        runs = ids[np.concatenate([[True], ids[1:] != ids[:-1]])]
        assert len(runs) == len(set(runs.tolist())), f"a subject is split within {name}"
        for sid in runs.tolist():
            assert sid not in seen, f"subject {sid} in {seen.get(sid)} and {name}"
            seen[sid] = name
    assert len(seen) == 150
    assert len(store.timeline(60)) == 6 + 4


def test_output_validates_against_the_meds_package(store: PatientStore) -> None:
    store.append(make_events(list(range(30))))
    for name, table in store.iter_shards():
        meds.DataSchema.validate(pq.read_table(store.root / "data" / name))  # raises when invalid
        assert table.num_rows
    root = store.root
    meds.CodeMetadataSchema.validate(pq.read_table(root / meds.code_metadata_filepath))
    meds.SubjectSplitSchema.validate(pq.read_table(root / meds.subject_splits_filepath))
    metadata = json.loads((root / meds.dataset_metadata_filepath).read_text())
    meds.DatasetMetadataSchema.validate(metadata)
    assert metadata["meds_version"] == "0.4.1"
    codes = pq.read_table(root / meds.code_metadata_filepath)
    assert set(codes.column("code").to_pylist()) == set(_all_events(store).column("code").to_pylist())
    assert sum(codes.column("n_events").to_pylist()) == store.num_events()


def test_meds_reader_reads_the_store_as_written(store: PatientStore, tmp_path: Path) -> None:
    meds_reader = pytest.importorskip("meds_reader")
    store.append(make_events(list(range(12))))
    db_path = tmp_path / "meds_reader_db"
    convert = Path(sys.executable).with_name("meds_reader_convert")
    subprocess.run(
        [str(convert), str(store.root), str(db_path), "--num_threads", "1"], check=True, capture_output=True
    )
    db = meds_reader.SubjectDatabase(str(db_path))
    assert sorted(db) == list(range(12))
    for sid in (0, 5, 11):
        ours = store.timeline(sid)
        theirs = db[sid].events
        assert [e.code for e in theirs] == ours.codes


def test_splits_are_stable_when_data_is_added(store: PatientStore) -> None:
    store.append(make_events(list(range(200))))
    before = {s: set(store.subjects(s).tolist()) for s in ("train", "tuning", "held_out")}
    store.append(make_events(list(range(200, 600)), seed=3))
    after = {s: set(store.subjects(s).tolist()) for s in ("train", "tuning", "held_out")}
    for split in before:
        assert before[split] <= after[split]
    assert sum(len(v) for v in after.values()) == 600
    assert not (after["train"] & after["held_out"])
    # the split is a function of the id alone: another store agrees
    ids = np.arange(600)
    assert assign_split(ids, "healthfm-splits-v1", (0.8, 0.1, 0.1)) == [store.split_of(int(i)) for i in ids]
    assert 0.7 < len(after["train"]) / 600 < 0.9


def test_accepts_events_dicts_and_frames(store: PatientStore) -> None:
    import pandas as pd
    import polars as pl

    when = dt.datetime(2020, 5, 1, 8, 30)
    store.append([Event(1, when, "ICD10CM/I50.9"), {"subject_id": 1, "time": None, "code": "GENDER/F"}])
    store.append(
        pd.DataFrame({"subject_id": [2], "time": [when], "code": ["LOINC/8867-4"], "numeric_value": [72.0]})
    )
    store.append(pl.DataFrame({"subject_id": [3], "time": [when], "code": ["RXNORM/197361"]}))
    assert store.timeline(1).codes == ["GENDER/F", "ICD10CM/I50.9"]
    assert float(store.timeline(2).numeric_values[0]) == 72.0
    assert store.timeline(3).modalities() == {Modality.EVENTS}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"subject_id": [1, None], "time": [None, None], "code": ["A", "B"]}, "row 1"),
        ({"subject_id": [1, 2], "time": [None, None], "code": ["A", ""]}, "code is missing or empty"),
        ({"subject_id": ["7", "x"], "time": [None, None], "code": ["A", "B"]}, "row 1: 'x'"),
        ({"subject_id": [1], "code": ["A"]}, "'time'"),
        ({"time": [None], "code": ["A"]}, "subject_id"),
        (
            {
                "subject_id": [1, 1],
                "time": [None, None],
                "code": ["A", "B"],
                "numeric_value": [1.0, float("inf")],
            },
            "NaN or infinite",
        ),
        ({"subject_id": [1], "time": [None], "code": ["A"], "modality": ["xray"]}, "modality"),
        ({"subject_id": [1], "time": [None], "code": ["A"], "blob": ["/etc/passwd"]}, "blob store URI"),
        ({"subject_id": [1], "time": [None], "code": ["A"], "colour": ["red"]}, "unknown column"),
    ],
)
def test_bad_events_are_rejected_with_the_offending_rows(
    store: PatientStore, bad: dict[str, list[object]], message: str
) -> None:
    store.append(make_events([1, 2]))
    before = _sorted_rows(_all_events(store))
    files_before = sorted(p.name for p in store.root.rglob("*") if p.is_file())
    with pytest.raises(DataError, match=message):
        store.append(pa.table(bad))
    assert _sorted_rows(_all_events(store)) == before
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) == files_before


def test_non_monotonic_timelines_are_rejected(store: PatientStore) -> None:
    birth = dt.datetime(1980, 1, 1)
    bad = pa.table(
        {
            "subject_id": [5, 5, 5],
            "time": [birth, dt.datetime(1979, 6, 1), dt.datetime(2000, 1, 1)],
            "code": ["MEDS_BIRTH", "ICD10CM/I10", "ICD10CM/E11.9"],
        }
    )
    with pytest.raises(DataError, match=r"before the subject's birth.*ICD10CM/I10"):
        store.append(bad)
    dead = pa.table(
        {
            "subject_id": [6, 6],
            "time": [dt.datetime(2001, 1, 1), dt.datetime(2004, 1, 1)],
            "code": ["MEDS_DEATH", "LOINC/2093-3"],
        }
    )
    with pytest.raises(DataError, match="after the subject's death"):
        store.append(dead)
    assert store.num_events() == 0


def test_a_bad_batch_late_in_a_stream_leaves_nothing_behind(store: PatientStore) -> None:
    store.append(make_events([1]))

    def stream():  # type: ignore[no-untyped-def]
        yield make_events(list(range(10, 40)))
        yield pa.table(
            {"subject_id": [99], "time": [None], "code": [None]},
            schema=pa.schema(
                [("subject_id", pa.int64()), ("time", pa.timestamp("us")), ("code", pa.string())]
            ),
        )

    with pytest.raises(DataError, match="row 210 "):  # counted from the start of the stream
        store.append(stream())
    assert store.subjects().tolist() == [1]
    assert not list((store.root / ".healthfm").glob("txn-*"))


def test_erase_removes_events_and_unshared_blobs_and_records_it(store: PatientStore) -> None:
    wave = np.sin(np.linspace(0, 20, 500, dtype=np.float32))[None, :].repeat(2, axis=0)
    meta = BlobMeta(kind="waveform", sampling_rate=500.0, lead_names=("I", "II"), units="mV")
    own = store.blobs.put(wave, meta)
    shared = store.blobs.put(wave * 2, meta)
    when = dt.datetime(2021, 3, 1)
    store.append(make_events([1, 2, 3]))
    store.append(
        pa.table(
            {
                "subject_id": [1, 1, 2],
                "time": [when, when, when],
                "code": ["ECG/12LEAD", "ECG/12LEAD", "ECG/12LEAD"],
                "modality": ["signal"] * 3,
                "blob": [own, shared, shared],
            }
        )
    )
    assert store.timeline(1).modalities() == {Modality.EVENTS, Modality.SIGNAL}
    result = store.erase(1, requested_by="dpo", reason="test erasure")
    assert (result.events_removed, result.blobs_removed) == (9, 1)
    assert 1 not in store and 1 not in store.subjects().tolist()
    assert own not in store.blobs and shared in store.blobs
    with pytest.raises(StoreError, match="subject 1 is not in the store"):
        store.timeline(1)
    assert 1 not in pq.read_table(store.root / meds.subject_splits_filepath).column("subject_id").to_pylist()
    assert pc.sum(pc.equal(_all_events(store).column("subject_id"), 1)).as_py() in (None, 0)
    records = store.catalog.erasures()
    assert [(r.subject_id, r.events_removed, r.blobs_removed) for r in records] == [(1, 9, 1)]
    assert store.catalog.verify_audit_chain().ok
    with pytest.raises(StoreError, match="nothing to erase"):
        store.erase(1)


def test_appends_are_audited(store: PatientStore) -> None:
    store.append(make_events([1, 2]))
    entries = store.catalog.audit_entries(action="store.append")
    assert len(entries) == 1 and entries[0].details["events"] == 14


def test_uncommitted_transaction_is_rolled_back_and_committed_one_rolled_forward(store_path: Path) -> None:
    store = PatientStore.open(store_path)
    store.append(make_events([1, 2]))
    # a writer that died before its commit record: its staging folder must vanish, data unchanged
    junk = store_path / ".healthfm" / "txn-20000101T000000000000-dead"
    (junk / "out").mkdir(parents=True)
    (junk / "out" / "000000-000099.parquet").write_bytes(b"half a shard")
    # a writer that died after its commit record but before moving files: roll forward
    done = store_path / ".healthfm" / "txn-20000101T000000000001-done"
    (done / "out").mkdir(parents=True)
    extra = make_events([7])
    extra = next(iter_event_batches(extra))
    pq.write_table(extra, done / "out" / "000000-000050.parquet")
    index = pq.read_table(store_path / ".healthfm" / "subjects.parquet")
    index = pa.concat_tables(
        [
            index,
            pa.table(
                {
                    "subject_id": [7],
                    "shard": ["000050.parquet"],
                    "row_start": [0],
                    "n_rows": [extra.num_rows],
                },
                schema=index.schema,
            ),
        ]
    )
    pq.write_table(index, done / "out" / "000001-subjects.parquet")
    (done / "COMMIT").write_text(
        json.dumps(
            {
                "moves": [
                    ["000000-000050.parquet", "data/000050.parquet"],
                    ["000001-subjects.parquet", ".healthfm/subjects.parquet"],
                ],
                "deletes": [],
                "audit": {"kind": "append", "actor": "test", "details": {"events": extra.num_rows}},
            }
        )
    )
    store.close()
    reopened = PatientStore.open(store_path)
    assert not list((store_path / ".healthfm").glob("txn-*"))
    assert not (store_path / "data" / "000099.parquet").exists()
    assert len(reopened.timeline(7)) == extra.num_rows
    assert len(reopened.timeline(1)) == 7
    recovered = reopened.catalog.audit_entries(action="store.append")[-1]
    assert recovered.details == {"events": extra.num_rows, "recovered": True}
    reopened.close()


def test_open_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a healthfm store"):
        PatientStore.open(tmp_path / "nothing", create=False)
    meds_dir = tmp_path / "meds"
    (meds_dir / "data").mkdir(parents=True)
    with pytest.raises(StoreError, match="MEDS dataset not made by healthfm"):
        PatientStore.open(meds_dir)
    with pytest.raises(StoreError, match="split_fractions"):
        StoreSettings(split_fractions=(0.5, 0.5, 0.5))


def test_info_counts_what_is_there(store: PatientStore) -> None:
    store.append(make_events(list(range(10)), per_subject=3))
    info = store.info()
    assert (info.subjects, info.events, info.codes) == (10, 50, 6)
    assert info.modalities == {"events": 50}
    assert sum(info.splits.values()) == 10
    assert info.size_bytes > 0


def test_scan_sees_every_event_once(store: PatientStore) -> None:
    store.append(make_events(list(range(40))))
    assert sum(b.num_rows for b in store.scan()) == store.num_events() == 40 * 7
    assert sum(b.num_rows for b in store.scan(columns=["code"], batch_rows=16)) == 280


def test_reads_fall_back_to_parquet_when_the_access_copy_is_missing(store: PatientStore) -> None:
    store.append(make_events(list(range(30))))
    expected = {sid: store.timeline(sid).table for sid in range(30)}
    for copy in (store.root / ".healthfm" / "arrow").glob("*.arrow"):
        copy.unlink()
    for sid, table in expected.items():
        assert store.timeline(sid).table.equals(table)
    assert sum(b.num_rows for b in store.scan()) == 30 * 7


def test_dedupe_drops_events_already_stored_but_keeps_new_ones(store: PatientStore) -> None:
    first = make_events(list(range(10)))
    store.append(first)
    codes_before = pq.read_table(store.root / meds.code_metadata_filepath).to_pylist()
    again = store.append(first, dedupe=True)
    assert again.events == 0 and store.num_events() == first.num_rows
    assert pq.read_table(store.root / meds.code_metadata_filepath).to_pylist() == codes_before
    when = dt.datetime(2022, 2, 2)
    extra = pa.table(
        {
            "subject_id": [3, 3, 3],
            "time": [when, when, when],
            "code": ["LOINC/2093-3", "LOINC/2093-3", "LOINC/2093-3"],
            "numeric_value": pa.array([0.0, None, 5.0], pa.float32()),  # 0.0 and null are different
        }
    )
    mixed = pa.concat_tables([first.slice(0, 20), extra.cast(first.schema)])
    result = store.append(mixed, dedupe=True)
    assert result.events == 3 and store.num_events() == first.num_rows + 3
    assert store.append(extra, dedupe=True).events == 0
