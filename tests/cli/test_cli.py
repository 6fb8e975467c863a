"""The command line: help, version, one-line errors with documented exit codes, store commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from healthfm.store.patient_store import PatientStore
from tests.conftest import make_events

HEALTHFM = str(Path(sys.executable).with_name("healthfm"))


def run(*args: str, store: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HEALTHFM_STORE", "HEALTHFM_CATALOG_URL")}
    env["COLUMNS"] = "200"
    env["HEALTHFM_PSEUDONYM_KEY"] = "cli-test-key-0123456789abcdef0123456789"
    if store is not None:
        env["HEALTHFM_STORE"] = str(store)
    return subprocess.run(
        [HEALTHFM, *args], capture_output=True, text=True, env=env, input=stdin, timeout=120
    )


def test_help_lists_the_commands_and_version_prints() -> None:
    res = run("--help")
    assert res.returncode == 0
    for command in ("store", "audit", "demo"):
        assert command in res.stdout
    assert run("--version").stdout.startswith("healthfm 0.")


def test_errors_are_one_line_with_their_exit_code(tmp_path: Path) -> None:
    res = run("--store", str(tmp_path / "missing"), "store", "info")
    assert res.returncode == 4
    assert "is not a healthfm store" in res.stderr and "Traceback" not in res.stderr
    res = run("store", "timeline", "not-a-number", store=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("subject_id,time,code\n1,,A\nx,,B\n")
    res = run("store", "append", str(bad), store=tmp_path / "s")
    assert res.returncode == 3
    assert "row 1: 'x'" in res.stderr
    res = run("--verbose", "--store", str(tmp_path / "missing"), "store", "info")
    assert "Traceback" in res.stderr  # --verbose shows it


def test_store_commands_end_to_end(tmp_path: Path) -> None:
    events = tmp_path / "events.parquet"
    pq.write_table(make_events(list(range(1, 11))), events)
    store = tmp_path / "store"
    res = run("store", "append", str(events), store=store)
    assert res.returncode == 0, res.stderr
    assert "appended 70 events for 10 subjects" in res.stdout
    info = run("store", "info", "--json", store=store)
    assert '"subjects": 10' in info.stdout
    assert "MEDS_BIRTH" in run("store", "timeline", "3", store=store).stdout
    assert run("erase", "--subject", "3", "--yes", store=store).returncode == 0
    assert '"subjects": 9' in run("store", "info", "--json", store=store).stdout
    verify = run("audit", "verify", store=store)
    assert verify.returncode == 0 and "intact" in verify.stdout
    log = run("audit", "log", store=store).stdout
    assert "store.append" in log and "erasure.completed" in log


def test_ingest_and_export_end_to_end(tmp_path: Path) -> None:
    from healthfm.synth.writer import SynthConfig, synthesize

    export = tmp_path / "export"
    synthesize(SynthConfig(patients=3, seed=11, out=export, workers=1), force=True)
    store = tmp_path / "store"
    sources = [str(export / "fhir"), str(export / "dicom"), str(export / "wfdb")]
    res = run("ingest", *sources, store=store)
    assert res.returncode == 0, res.stderr
    assert "3 subjects in the store, 0 record(s) quarantined" in res.stdout
    again = run("ingest", *sources, store=store)
    assert again.returncode == 0 and "0 source(s) read" in again.stdout and "0 events stored" in again.stdout
    info = run("store", "info", "--json", store=store)
    assert '"subjects": 3' in info.stdout
    with PatientStore.open(store, create=False) as opened:
        subject = int(opened.subjects()[0])
    bundle_path = tmp_path / "patient.json"
    res = run("export", "--subject", str(subject), "--out", str(bundle_path), store=store)
    assert res.returncode == 0, res.stderr
    bundle = json.loads(bundle_path.read_text())
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 5
    assert "export.subject" in run("audit", "log", store=store).stdout


def test_ingest_of_nothing_usable_fails_with_the_quarantine_named(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "broken.ndjson").write_text('{"resourceType": "Observation", "id": "x"\n')
    res = run("ingest", str(junk), store=tmp_path / "store")
    assert res.returncode == 3
    assert "nothing could be ingested" in res.stderr
    assert "quarantine" in res.stdout and "1 record(s) quarantined" in res.stdout


def test_privacy_commands(tmp_path: Path) -> None:
    import pydicom.data

    key = tmp_path / "secrets" / "k"
    assert run("privacy", "keygen", str(key)).returncode == 0
    assert run("privacy", "keygen", str(key)).returncode == 2  # never overwritten
    # without a key the gate refuses to run; --no-deid is explicit and audited
    env_less = [
        sys.executable,
        "-c",
        "import sys; from healthfm.cli import main; main(sys.argv[1:])",
    ]
    from healthfm.synth.writer import SynthConfig, synthesize

    export = tmp_path / "export"
    synthesize(SynthConfig(patients=2, seed=5, out=export, workers=1), force=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEALTHFM_")}
    res = subprocess.run(
        [*env_less, "--store", str(tmp_path / "s0"), "ingest", str(export / "wfdb")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert res.returncode == 2 and "no pseudonymisation key" in res.stderr
    res = run("ingest", str(export / "wfdb"), "--no-deid", store=tmp_path / "s1")
    assert res.returncode == 0 and "ingest.no_deid" in run("audit", "log", store=tmp_path / "s1").stdout
    store = tmp_path / "s2"
    assert run("ingest", str(export / "fhir"), "--key-file", str(key), store=store).returncode == 0
    with PatientStore.open(store, create=False) as opened:
        subject = int(opened.subjects()[0])
    assert (
        run("consent", "set", "--subject", str(subject), "--scope", "research", store=store).returncode == 0
    )
    assert "denied" in run("consent", "show", "--subject", str(subject), store=store).stdout
    res = run("erase", "--subject", str(subject), "--yes", store=store)
    assert res.returncode == 0 and "no registered model was trained on this patient" in res.stdout
    # the gate on its own
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n1.txt").write_text("Seen 03/12/2019 with Mr. John Smith (MRN 12345678), phone 216-555-0199.\n")
    res = run("deid", "notes", str(notes), str(tmp_path / "notes-out"), "--tags")
    assert res.returncode == 0, res.stderr
    scrubbed = (tmp_path / "notes-out" / "n1.txt").read_text()
    assert "John Smith" not in scrubbed and "12345678" not in scrubbed and "[NAME]" in scrubbed
    dicom_in = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent
    dicom_out = tmp_path / "dicom-out"
    res = run("deid", "dicom", str(dicom_in / "CT_small.dcm"), str(dicom_out), "--key-file", str(key))
    assert res.returncode == 0, res.stderr
    written = list(dicom_out.rglob("*.dcm"))
    assert len(written) == 1 and pydicom.dcmread(written[0]).PatientIdentityRemoved == "YES"


def test_finetune_refuses_bad_options_before_touching_the_store(tmp_path: Path) -> None:
    store = tmp_path / "none"
    for flags, needle in (
        (["--preset", "huge"], "preset must be one of"),
        (["--fusion", "concat"], "fusion must be one of"),
        (["--modalities", "events,smell"], "smell"),
    ):
        res = run(
            "--store",
            str(store),
            "finetune",
            "--task",
            "cardiac_disease",
            "--out",
            str(tmp_path / "r"),
            *flags,
        )
        assert res.returncode == 2 and needle in res.stderr and "Traceback" not in res.stderr, res.stderr
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"train": {"epochs": 3}, "bogus": 1}))
    res = run(
        "--store",
        str(store),
        "finetune",
        "--task",
        "cardiac_disease",
        "--out",
        str(tmp_path / "r"),
        "--config",
        str(cfg),
    )
    assert res.returncode == 2 and "bogus" in res.stderr
    assert not store.exists()
