"""`healthfm demo` runs end to end on the embedded default and reports what it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from healthfm import demo
from healthfm.store.patient_store import PatientStore


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    monkeypatch.setattr(demo, "DEMO_PATIENTS", 12)
    with (tmp_path / "log.txt").open("w") as log:
        summary = demo.run_demo(tmp_path, console=Console(file=log))
    assert summary["audit_chain_ok"]
    assert json.loads((tmp_path / "summary.json").read_text())["subjects"] == summary["subjects"]
    assert (tmp_path / "export" / "fhir" / "manifest.json").exists()
    with PatientStore.open(tmp_path / "store", create=False) as store:
        assert store.info().subjects == summary["subjects"] > 4000  # 920 UCI + 3,419 IU + 1 ECG − 1 erased
        assert summary["erased_subject"] not in store
        assert store.info().modalities.keys() == {"events", "image", "signal", "text"}
    assert summary["ingest"]["quarantined"] == 0 and summary["ingest"]["subjects"] == 12
    assert list(tmp_path.glob("subject-*.fhir.json"))
