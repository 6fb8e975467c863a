"""Shared fixtures: tiny event tables and throwaway stores."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from healthfm.store.patient_store import PatientStore, StoreSettings

SLOW_SCALE = os.environ.get("HEALTHFM_SLOW_SCALE", "small")


def make_events(subject_ids: list[int], per_subject: int = 5, seed: int = 0) -> pa.Table:
    """A small MEDS event table: a birth, a static sex code and timed labs for each subject."""
    rng = np.random.default_rng(seed)
    rows: dict[str, list[object]] = {"subject_id": [], "time": [], "code": [], "numeric_value": []}
    for sid in subject_ids:
        birth = dt.datetime(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 20000)))
        rows["subject_id"] += [sid, sid]
        rows["time"] += [None, birth]
        rows["code"] += ["GENDER/F" if sid % 2 else "GENDER/M", "MEDS_BIRTH"]
        rows["numeric_value"] += [None, None]
        for _ in range(per_subject):
            rows["subject_id"].append(sid)
            rows["time"].append(birth + dt.timedelta(days=int(rng.integers(6000, 20000))))
            rows["code"].append(f"LOINC/{rng.choice(['2093-3', '8480-6', '4548-4'])}")
            rows["numeric_value"].append(float(rng.normal(120, 20)))
    return pa.table(
        {
            "subject_id": pa.array(rows["subject_id"], pa.int64()),
            "time": pa.array(rows["time"], pa.timestamp("us")),
            "code": pa.array(rows["code"], pa.string()),
            "numeric_value": pa.array(rows["numeric_value"], pa.float32()),
        }
    )


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PatientStore]:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    s = PatientStore.open(store_path, settings=StoreSettings(max_events_per_shard=50, row_group_rows=16))
    yield s
    s.close()


COHORT_PATIENTS = 80


@pytest.fixture(scope="session")
def cohort_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PatientStore]:
    """A small virtual cohort (80 patients, every modality) ingested through the privacy gate.

    Shared read-only by the task, data, model and training tests; never write to it.
    """
    from healthfm.datasets import fetch
    from healthfm.ingest.pipeline import ingest
    from healthfm.privacy.gate import PrivacyGate
    from healthfm.synth.writer import SynthConfig, synthesize

    fetch()
    root = tmp_path_factory.mktemp("model-cohort")
    synthesize(SynthConfig(patients=COHORT_PATIENTS, seed=11, out=root / "export", workers=1), force=True)
    saved = os.environ.pop("HEALTHFM_CATALOG_URL", None)
    try:
        s = PatientStore.open(root / "store")
        ingest([root / "export"], s, gate=PrivacyGate(b"k" * 32))
        yield s
        s.close()
    finally:
        if saved is not None:
            os.environ["HEALTHFM_CATALOG_URL"] = saved
