"""Determinism, bad arguments, output-folder safety, and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import typer
from scipy import stats
from typer.testing import CliRunner

from healthfm.datasets.commands import register as register_data
from healthfm.datasets.loaders import load_uci
from healthfm.errors import UsageError
from healthfm.synth.commands import register as register_synth
from healthfm.synth.copula import VARIABLES, UciCopula, encode
from healthfm.synth.writer import SynthConfig, prepare_out, synthesize
from tests.synth.conftest import N_PATIENTS, SEED


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_whatever_the_workers(cohort: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    synthesize(SynthConfig(patients=N_PATIENTS, seed=SEED, out=again, workers=2))
    first, second = _tree(cohort), _tree(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_another_seed_gives_other_patients(cohort: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    synthesize(SynthConfig(patients=3, seed=SEED + 1, out=other))
    assert (other / "fhir" / "Patient.ndjson").read_bytes()[:400] != (
        cohort / "fhir" / "Patient.ndjson"
    ).read_bytes()[:400]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"patients": 0}, "--patients"),
        ({"patients": -5}, "--patients"),
        ({"seed": -1}, "--seed"),
        ({"workers": 0}, "--workers"),
    ],
)
def test_bad_arguments_give_clear_errors(tmp_path: Path, kwargs: dict[str, int], message: str) -> None:
    args = {"patients": 5, "seed": 0, "out": tmp_path, "workers": 1} | kwargs
    with pytest.raises(UsageError, match=message):
        SynthConfig(**args)  # type: ignore[arg-type]


def test_non_empty_out_is_not_overwritten_without_force(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty; pass --force"):
        prepare_out(tmp_path, force=False)
    (tmp_path / "fhir").mkdir()
    (tmp_path / "fhir" / "old.ndjson").write_text("old")
    prepare_out(tmp_path, force=True)
    assert (tmp_path / "keep.txt").read_text() == "mine"  # --force clears only synth's own folders
    assert not (tmp_path / "fhir" / "old.ndjson").exists()


def test_unwritable_out_gives_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match=r"cannot write there|not a folder"):
        prepare_out(blocker / "sub", force=False)
    with pytest.raises(UsageError, match="not a folder"):
        prepare_out(blocker, force=False)


def test_cli_registers_commands_and_reports_usage_errors(tmp_path: Path) -> None:
    app = typer.Typer()
    register_data(app)
    register_synth(app)
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--patients", "0", "--out", str(tmp_path / "x")])
    assert isinstance(result.exception, UsageError)
    result = runner.invoke(app, ["data", "fetch", "--dataset", "nope"])
    assert isinstance(result.exception, UsageError)
    result = runner.invoke(app, ["synth", "--patients", "2", "--seed", "1", "--out", str(tmp_path / "y")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "y" / "fhir" / "manifest.json").is_file()


def test_copula_keeps_marginals_and_joint_structure() -> None:
    data, sites = encode(load_uci())
    copula = UciCopula.fit(data, sites)
    assert np.all(np.linalg.eigvalsh(copula.correlation) > 0)
    sample, _ = copula.sample(3000, np.random.default_rng(0))
    age = VARIABLES.index("age")
    assert abs(sample[:, age].mean() - np.nanmean(data[:, age])) < 1.0
    for a, b in [("age", "num"), ("cp", "num"), ("thalch", "age"), ("exang", "oldpeak")]:
        i, j = VARIABLES.index(a), VARIABLES.index(b)
        both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
        real = stats.spearmanr(data[both, i], data[both, j])[0]
        assert abs(stats.spearmanr(sample[:, i], sample[:, j])[0] - real) < 0.08, (a, b)
