"""`healthfm evaluate` end to end on a small virtual cohort: metrics with intervals, baselines and
variants on the same held-out patients, fairness with a mitigation, report, model card, registry."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from healthfm.evaluate.compare import EvaluateConfig
from healthfm.evaluate.run import EVAL_DIR, Evaluation, evaluate_run
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import finetune
from healthfm.train.loop import TrainConfig
from tests.model.conftest import tiny_config

PATIENTS = 160


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PatientStore, Path, Evaluation]]:
    from healthfm.datasets import fetch
    from healthfm.ingest.pipeline import ingest
    from healthfm.privacy.gate import PrivacyGate
    from healthfm.synth.writer import SynthConfig, synthesize

    torch.set_num_threads(1)
    fetch()
    root = tmp_path_factory.mktemp("evaluate-cohort")
    synthesize(SynthConfig(patients=PATIENTS, seed=21, out=root / "export", workers=1), force=True)
    saved = os.environ.pop("HEALTHFM_CATALOG_URL", None)
    try:
        store = PatientStore.open(root / "store")
        ingest([root / "export" / d for d in ("fhir", "dicom", "wfdb")], store, gate=PrivacyGate(b"v" * 32))
        cfg = dataclasses.replace(
            tiny_config("cardiac_disease"), train=TrainConfig(epochs=2, batch_size=16, lr=3e-3, patience=5)
        )
        run = root / "run"
        finetune(store, cfg, run)
        config = EvaluateConfig(
            n_boot=100, variant_epochs=1, explain_patients=1, min_group=5, mitigation="sex"
        )
        yield store, run, evaluate_run(store, run, config)
        store.close()
    finally:
        if saved is not None:
            os.environ["HEALTHFM_CATALOG_URL"] = saved


def _inside(est: Any) -> bool:
    return bool(est.low <= est.value <= est.high)


def test_held_out_metrics_carry_bootstrap_intervals(evaluated: tuple[PatientStore, Path, Evaluation]) -> None:
    _, run, ev = evaluated
    for key in ("auroc", "auprc", "sensitivity", "specificity", "brier", "ece", "calibration_slope"):
        assert key in ev.metrics, key
    assert _inside(ev.metrics["auroc"]) and ev.metrics["auroc"].n == ev.n["held_out"]
    assert ev.operating_point is not None and 0 < ev.operating_point["threshold"] < 1
    shipped = json.loads((run / "calibration.json").read_text())
    assert shipped["fitted_on"] == "tuning" and shipped["calibrator"]["method"] in ("none", "temperature")
    confusion = ev.metrics["confusion"]
    assert sum(map(sum, confusion)) == ev.n["held_out"]
    assert sum(r["n"] for r in ev.by_pattern) == ev.n["held_out"]


def test_baselines_and_variants_are_scored_on_the_same_patients(
    evaluated: tuple[PatientStore, Path, Evaluation],
) -> None:
    _, run, ev = evaluated
    names = {s.name for s in ev.compared}
    assert {"logistic_regression", "lightgbm", "haim_gbm", "early_fusion", "late_fusion"} <= names
    assert {f"only_{m}" for m in ("events", "tabular", "text", "image", "signal")} <= names
    for scored in ev.compared:
        assert len(scored.held_out) == ev.n["held_out"], scored.name
        if scored.kind != "model":
            diff = scored.difference
            assert diff is not None and diff["metric"] == "auroc"
            assert diff["estimate"].low <= diff["estimate"].value <= diff["estimate"].high
    assert {t["versus"] for t in ev.targets} >= {"haim_gbm"}
    assert (run / "variants" / "only_events" / "best" / "model.safetensors").is_file()


def test_fairness_audit_and_mitigation(evaluated: tuple[PatientStore, Path, Evaluation]) -> None:
    _, run, ev = evaluated
    assert ev.fairness is not None
    rows = ev.fairness["model"]["rows"]
    assert {r["attribute"] for r in rows} >= {"sex", "age_band", "site"}
    assert all(r["small"] == (r["n"] < 5) for r in rows)
    assert "only_events" in ev.fairness["by_model"]
    assert ev.mitigation is not None and ev.mitigation["variant"].startswith("reweighed_")
    assert (run / "variants" / ev.mitigation["variant"] / "run.json").is_file()


def test_report_model_card_and_registry(evaluated: tuple[PatientStore, Path, Evaluation]) -> None:
    store, run, ev = evaluated
    folder = run / EVAL_DIR
    saved = json.loads((folder / "evaluation.json").read_text())  # strict JSON: no NaN
    assert saved["metrics"]["auroc"]["value"] == pytest.approx(ev.metrics["auroc"].value)
    html = (folder / "report.html").read_text()
    for part in ("Against baselines", "Fairness audit", "Model card", "data:image/png;base64", "Calibration"):
        assert part in html, part
    card = (folder / "model_card.md").read_text()
    for part in ("## Intended use", "## Metrics", "## Subgroups", "## Limitations", "TRIPOD+AI"):
        assert part in card, part
    record = store.catalog.get_model("cardiac_disease")
    assert record.model_card == card and "evaluation" in record.metrics and "held_out" in record.metrics
    actions = [e.action for e in store.catalog.audit_entries()]
    assert "model.evaluate" in actions and "model.evaluated" in actions
    assert store.catalog.verify_audit_chain().ok
    assert ev.explanations and (Path(ev.explanations[0]["folder"]) / "explanation.json").is_file()


def test_a_second_evaluation_reuses_the_trained_variants(
    evaluated: tuple[PatientStore, Path, Evaluation],
) -> None:
    store, run, _ = evaluated
    config = EvaluateConfig(
        n_boot=100, variant_epochs=1, baselines=("single_modality",), fairness=False, explain_patients=0
    )
    again = evaluate_run(store, run, config, record=False)
    variants = [s for s in again.compared if s.kind == "single_modality"]
    assert variants and all(s.details["reused"] for s in variants)


def test_command_line(evaluated: tuple[PatientStore, Path, Evaluation], tmp_path: Path) -> None:
    from tests.cli.test_cli import run as cli

    store, run, _ = evaluated
    res = cli("--store", str(store.root), "evaluate", "--run", str(run), "--baselines", "tabular",
              "--no-fairness", "--explain", "0", "--n-boot", "100")  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    assert "logistic_regression" in res.stdout and "report.html" in res.stdout
    res = cli("--store", str(store.root), "evaluate", "--run", str(tmp_path))
    assert (
        res.returncode != 0 and "not a finished healthfm run" in res.stderr and "Traceback" not in res.stderr
    )
    res = cli("--store", str(store.root), "evaluate", "--run", str(run), "--baselines", "xgboost")
    assert res.returncode != 0 and "xgboost" in res.stderr and "Traceback" not in res.stderr


def test_no_patient_name_or_mrn_in_the_evaluation_outputs(
    evaluated: tuple[PatientStore, Path, Evaluation],
) -> None:
    """The report shows words from the notes (explanations): the gate must have scrubbed them."""
    _, run, _ = evaluated
    export = run.parent / "export" / "fhir" / "Patient.ndjson"
    needles: set[bytes] = set()
    for line in export.read_text().splitlines():
        res = json.loads(line)
        name = res["name"][0]
        needles.add(" ".join([*name["given"], name["family"]]).encode())
        needles |= {i["value"].encode() for i in res["identifier"] if len(i["value"]) >= 6}
    outputs = [p for p in (run / EVAL_DIR).rglob("*") if p.is_file()]
    assert any(p.name == "report.html" for p in outputs)
    for path in outputs:
        data = path.read_bytes()
        leaked = sorted(n.decode() for n in needles if n in data)
        assert not leaked, f"{path.relative_to(run)} holds {leaked}"


@pytest.mark.parametrize("task", ["time_to_mace", "cardiac_severity"])
def test_time_to_event_and_multiclass_runs_evaluate(
    evaluated: tuple[PatientStore, Path, Evaluation], tmp_path: Path, task: str
) -> None:
    store = evaluated[0]
    cfg = dataclasses.replace(tiny_config(task), train=TrainConfig(epochs=1, batch_size=16, lr=3e-3))
    finetune(store, cfg, tmp_path / "run", register=False)
    config = EvaluateConfig(n_boot=100, baselines=("tabular", "haim"), explain_patients=0, fairness=False)
    ev = evaluate_run(store, tmp_path / "run", config, record=False)
    primary = "harrell_c" if task == "time_to_mace" else "macro_auroc"
    assert ev.primary == primary and primary in ev.metrics
    assert _inside(ev.metrics[primary])
    families = {s.kind for s in ev.compared}
    assert {"model", "tabular", "haim"} <= families
    for scored in ev.compared[1:]:
        assert scored.difference is not None and scored.difference["metric"] == primary
    assert (tmp_path / "run" / EVAL_DIR / "report.html").is_file()
