"""`healthfm demo` runs end to end on the embedded default and reports what it did."""

from __future__ import annotations

import json
import re
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
    # a second run reuses every finished stage: nothing is synthesised, ingested or erased again
    manifest = (tmp_path / "export" / "fhir" / "manifest.json").stat().st_mtime_ns
    with (tmp_path / "log2.txt").open("w") as log:
        again = demo.run_demo(tmp_path, console=Console(file=log))
    assert (tmp_path / "export" / "fhir" / "manifest.json").stat().st_mtime_ns == manifest
    assert again["erased_subject"] == summary["erased_subject"]
    assert again["subjects"] == summary["subjects"] and again["events"] == summary["events"]
    assert again["audit_chain_ok"]
    assert again["stage_seconds"]["synth"] == 0 and again["stage_seconds"]["ingest"] == 0
    assert summary["stage_seconds"]["synth"] > 0


@pytest.mark.slow
def test_no_patient_name_or_mrn_leaves_the_gate_in_a_demo_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEALTHFM_CATALOG_URL", raising=False)
    monkeypatch.setattr(demo, "DEMO_PATIENTS", 12)
    with (tmp_path / "log.txt").open("w") as log:
        demo.run_demo(tmp_path, console=Console(file=log, width=200))
    # Globally: no MRN and no full name anywhere. (A single given or family name can legitimately
    # appear as another patient's surrogate, drawn from the same name lists; so single names are
    # checked per patient, against that patient's own notes, below.)
    needles: set[bytes] = set()
    people = []
    for line in (tmp_path / "export" / "fhir" / "Patient.ndjson").read_text().splitlines():
        res = json.loads(line)
        name = res["name"][0]
        mrn = next(i["value"] for i in res["identifier"])
        people.append((mrn, [name["family"], *name["given"]]))
        needles |= {" ".join([*name["given"], name["family"]]).encode(), mrn.encode()}
    outputs = [
        p for p in tmp_path.rglob("*") if p.is_file() and "export" not in p.relative_to(tmp_path).parts
    ]
    assert any(p.name == "log.txt" for p in outputs) and any(p.suffix == ".arrow" for p in outputs)
    for path in outputs:
        data = path.read_bytes()
        leaked = sorted(n.decode() for n in needles if n in data)
        assert not leaked, f"{path.relative_to(tmp_path)} holds {leaked}"
    from healthfm.privacy.gate import PrivacyGate, load_key

    gate = PrivacyGate(load_key(tmp_path / "secrets" / "pseudonym.key"))
    with PatientStore.open(tmp_path / "store", create=False) as store:
        for mrn, names in people:
            sid = gate.subject_id(f"mrn:{mrn}")
            if sid not in store:
                continue  # the demo erased one subject
            texts = [t for t in store.timeline(sid).table.column("text_value").to_pylist() if t]
            own = [n for n in names if any(re.search(rf"\b{re.escape(n)}\b", t) for t in texts)]
            assert not own, f"subject {sid}'s own notes still name them"
