"""`healthfm explain`: JSON and PNGs for a cohort subject, the read audited; clear errors otherwise."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from healthfm.cli import main
from healthfm.explain import EXPLANATION_FILE
from healthfm.explain.sanity import SANITY_FILE
from healthfm.store.patient_store import PatientStore
from tests.explain.conftest import Run

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store_copy(tiny_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shared cohort: the command appends to its audit log, and one test adds a subject."""
    target = tmp_path_factory.mktemp("explain-cli") / "store"
    shutil.copytree(tiny_run.store.root, target)
    return target


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())  # rich wraps long lines


def _explain(store: Path, *args: str) -> None:
    main(["--store", str(store), "explain", *args])


def test_cli_writes_json_and_figures_and_audits(
    tiny_run: Run, full_subject: int, store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = [
        "--run",
        str(tiny_run.folder),
        "--subject",
        str(full_subject),
        "--out",
        str(out),
        "--threshold",
        "0.4",
    ]
    _explain(store_copy, *args)
    printed = capsys.readouterr().out
    assert "Risk " in printed and "wrote explanation.json" in printed
    data = json.loads((out / EXPLANATION_FILE).read_text())
    assert data["subject_id"] == full_subject and data["run"] == str(tiny_run.folder)
    assert data["prediction"]["threshold"] == 0.4
    assert data["sanity"]["samples"] == 3  # the run's held-out predictions
    assert data["figures"]
    for name in data["figures"].values():
        assert (out / name).read_bytes().startswith(PNG)
    cached = tiny_run.folder / SANITY_FILE
    assert json.loads(cached.read_text())["checks"] == data["sanity"]["checks"]
    with PatientStore.open(store_copy, create=False) as store:
        entries = store.catalog.audit_entries(action="explain.subject")
        assert [e.subject for e in entries] == [str(full_subject)]
        assert entries[0].details["run"] == str(tiny_run.folder)
    # a second explanation reuses the cached check
    stamp = cached.stat().st_mtime_ns
    _explain(store_copy, *args[:4], "--out", str(tmp_path / "again"))
    assert cached.stat().st_mtime_ns == stamp


def test_cli_errors_name_the_run_or_subject(
    tiny_run: Run, full_subject: int, store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        _explain(store_copy, "--run", str(tmp_path / "nope"), "--subject", str(full_subject))
    assert exc.value.code == 2 and "no such run folder" in _err(capsys)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exc:
        _explain(store_copy, "--run", str(tmp_path / "empty"), "--subject", str(full_subject))
    assert exc.value.code == 2 and "is not a healthfm run" in _err(capsys)
    with pytest.raises(SystemExit) as exc:
        _explain(store_copy, "--run", str(tiny_run.folder), "--subject", "12345")
    assert exc.value.code == 4 and "subject 12345 is not in the store" in _err(capsys)
    # a subject with demographics only: no anchor event, no prediction time
    with PatientStore.open(store_copy, create=False) as store:
        store.append(
            pa.table(
                {
                    "subject_id": pa.array([777, 777], pa.int64()),
                    "time": pa.array([None, dt.datetime(1960, 5, 1)], pa.timestamp("us")),
                    "code": pa.array(["GENDER/F", "MEDS_BIRTH"], pa.string()),
                }
            )
        )
    with pytest.raises(SystemExit) as exc:
        _explain(store_copy, "--run", str(tiny_run.folder), "--subject", "777")
    err = _err(capsys)
    assert exc.value.code == 2 and "subject 777 has no prediction time for task 'cardiac_disease'" in err
    with pytest.raises(SystemExit) as exc:
        _explain(store_copy, "--run", str(tiny_run.folder), "--subject", "777", "--time", "soon")
    assert exc.value.code == 2 and "not an ISO date-time" in _err(capsys)
