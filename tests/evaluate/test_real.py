"""`healthfm bench real`: the splits on the real data, the label vocabulary, the metrics, and the --quick
command end to end (real data, bounded)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import typer
from sklearn.metrics import f1_score, roc_auc_score
from typer.testing import CliRunner

from healthfm.datasets import fetch, load_iu_reports, load_uci
from healthfm.demo import pseudo_id
from healthfm.evaluate import real_commands, real_iu, real_uci, real_whas
from healthfm.evaluate.real import paired_bootstrap, split_indices, timeline_of

os.environ.setdefault("OMP_NUM_THREADS", "1")
torch.set_num_threads(1)


@pytest.fixture(scope="module", autouse=True)
def _datasets() -> None:
    fetch(["uci-heart", "iu-cxr-reports"])


def test_uci_split_holds_out_whole_sites() -> None:
    rows = load_uci()
    parts = real_uci.uci_split(rows, seed=0)
    sites = np.asarray([r["dataset"] for r in rows])
    assert set(sites[parts["test"]]) == set(real_uci.TEST_SITES)
    assert set(sites[parts["train"]]) | set(sites[parts["tuning"]]) <= set(real_uci.TRAIN_SITES)
    # every test-site patient is in the test split and none is anywhere else
    assert sorted(parts["test"].tolist()) == np.flatnonzero(np.isin(sites, real_uci.TEST_SITES)).tolist()
    ids = {k: {pseudo_id("uci-heart", str(i)) for i in v} for k, v in parts.items()}
    assert not (ids["test"] & (ids["train"] | ids["tuning"])) and not ids["train"] & ids["tuning"]
    assert sum(len(v) for v in parts.values()) == len(rows)
    # validation is stratified by site and label
    labels = np.asarray([int(r["num"]) > 0 for r in rows])
    for site in real_uci.TRAIN_SITES:
        rates = [labels[v][sites[v] == site].mean() for v in (parts["train"], parts["tuning"])]
        assert abs(rates[0] - rates[1]) < 0.05


def test_uci_events_hide_the_label_and_read_zero_as_missing() -> None:
    rows = load_uci()
    swiss = next(i for i, r in enumerate(rows) if r["dataset"] == "Switzerland" and r["chol"] in ("0", "0.0"))
    sick = next(i for i, r in enumerate(rows) if int(r["num"]) > 0)
    for i in (swiss, sick):
        timeline = timeline_of(i + 1, real_uci.uci_events(rows[i]))
        (sample,) = real_uci.TASK.samples(timeline)
        assert sample.label == int(int(rows[i]["num"]) > 0)
        seen = real_uci.TASK.visible(timeline, sample).codes
        assert real_uci.DISEASE not in seen and real_uci.ANGIOGRAPHY not in seen
    swiss_codes = timeline_of(1, real_uci.uci_events(rows[swiss])).codes
    assert real_uci.UCI_NUMERIC["chol"] not in swiss_codes
    assert np.isnan(real_uci.frame([rows[swiss]])["chol"].iloc[0])


def test_whas_split_is_by_patient_and_stratified() -> None:
    x, days, died = real_whas.load_whas()
    parts = real_whas.whas_split(died, seed=0)
    assert [len(parts[k]) for k in ("train", "tuning", "test")] == [280, 70, 150]
    everyone = np.concatenate(list(parts.values()))
    assert len(np.unique(everyone)) == len(everyone) == len(days)
    for v in parts.values():
        assert abs(died[v].mean() - died.mean()) < 0.02
    i = int(np.flatnonzero(died)[0])
    (sample,) = real_whas.TASK.samples(timeline_of(7, real_whas.whas_events(x.iloc[i], days[i], True)))
    assert sample.event_observed and sample.event_time_days == pytest.approx(days[i])


def test_iu_split_is_by_report_and_labels_come_from_training_reports() -> None:
    reports = load_iu_reports()
    parts = real_iu.iu_split(len(reports), seed=0)
    uids = {k: {reports[i].uid for i in v} for k, v in parts.items()}
    assert not (uids["train"] & uids["tuning"]) and not (uids["train"] | uids["tuning"]) & uids["test"]
    assert [len(v) for v in parts.values()] == [round(len(reports) * f) for f in real_iu.FRACTIONS]
    train = [reports[i] for i in parts["train"]]
    labels = real_iu.label_vocabulary(train, real_iu.TOP_K, real_iu.MIN_POSITIVES)
    counts = Counter(t.split("/")[0] for r in train for t in {x.split("/")[0] for x in r.mesh})
    del counts["No Indexing"]
    expected = [h for h, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 50][:10]
    assert labels == expected and len(labels) == 10
    assert "normal" in labels and "Cardiomegaly" in labels
    report = next(r for r in train if "Cardiomegaly" in {t.split("/")[0] for t in r.mesh})
    (sample,) = real_iu.make_task(labels).samples(timeline_of(3, real_iu.report_events(report)))
    assert sample.label is not None and sample.label[labels.index("Cardiomegaly")] == 1.0


def test_thresholds_and_metrics_match_their_definitions() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random((200, 3)) < 0.3).astype(float)
    score = y * 0.4 + rng.random((200, 3))
    thresholds = real_iu.f1_thresholds(y, score)
    for j in range(3):
        best = max(f1_score(y[:, j], score[:, j] >= t) for t in np.unique(score[:, j]))
        assert f1_score(y[:, j], score[:, j] >= thresholds[j]) == pytest.approx(best)
    hard = (score >= thresholds).astype(float)
    assert real_iu.macro_f1(y, hard) == pytest.approx(f1_score(y, hard, average="macro"))
    assert real_iu.macro_auroc(y, score) == pytest.approx(roc_auc_score(y, score, average="macro"))


def test_paired_bootstrap_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.4
    good, bad = y + rng.normal(0, 0.5, 300), y + rng.normal(0, 2.0, 300)

    def auroc(pred: np.ndarray[Any, Any]) -> Any:
        return lambda idx: roc_auc_score(y[idx], pred[idx])

    single, diffs = paired_bootstrap(300, {"good": auroc(good), "bad": auroc(bad)}, 200, 0, [("good", "bad")])
    for est in (*single.values(), *diffs.values()):
        assert est.low <= est.value <= est.high
    assert diffs[("good", "bad")].low > 0
    parts = split_indices(100, [0.5, 0.3, 0.2], 0, strata=[i % 2 for i in range(100)])
    assert [len(p) for p in parts] == [50, 30, 20]


def test_quick_command_runs_end_to_end_on_real_data(tmp_path: Path) -> None:
    app = typer.Typer()
    real_commands.register(app)
    result = CliRunner().invoke(app, ["bench", "real", "--quick", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "real.json").read_text())
    assert set(report["benchmarks"]) == {"uci", "whas500", "iu"}
    for bench in report["benchmarks"].values():
        for method in bench["methods"].values():
            for est in method["metrics"].values():
                assert est["low"] <= est["value"] <= est["high"]
        for diffs in bench["differences"].values():
            for est in diffs.values():
                assert est["low"] <= est["value"] <= est["high"]
        assert bench["verdicts"]
    uci = report["benchmarks"]["uci"]
    assert uci["n"]["test"] == 323
    # healthfm's tabular model ranks the unseen sites' patients better than chance
    assert uci["methods"]["healthfm"]["metrics"]["auroc"]["low"] > 0.5
    assert "verdict" in result.output
