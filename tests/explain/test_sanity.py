"""Model-randomisation sanity check: a broken explainer is flagged, a working one passes, results cached."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from healthfm.explain import SanityReport, explain_sample, integrated_gradients, model_randomisation_check
from healthfm.explain.core import Prediction
from healthfm.explain.sanity import SANITY_FILE, SanityCheck, cached_sanity, randomised_copy, spearman
from healthfm.schema import Modality
from tests.explain.conftest import Run


def _input_copy(pred: Prediction) -> dict[str, np.ndarray[Any, Any]]:
    """A broken explainer: it returns the input itself and never looks at the model."""
    values = pred.batch.inputs[Modality.TABULAR].values
    return {"broken": (values["numeric"] * values["numeric_present"]).numpy().ravel()}


def _tabular_ig(pred: Prediction) -> dict[str, np.ndarray[Any, Any]]:
    return {"ig_tabular": integrated_gradients(pred, Modality.TABULAR, steps=16).values}


def test_spearman() -> None:
    a = np.arange(10.0)
    assert spearman(a, a**3) == pytest.approx(1.0)
    assert spearman(a, -a) == pytest.approx(-1.0)
    assert spearman(a, np.zeros(10)) == 0.0  # nothing to rank against


def test_randomised_copy_redraws_every_weight(tiny_run: Run) -> None:
    model = tiny_run.model
    before = {k: v.clone() for k, v in model.state_dict().items()}
    clone = randomised_copy(model, seed=1)
    for name, p in clone.named_parameters():
        assert not torch.equal(p, dict(model.named_parameters())[name]), name
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())  # the original is untouched
    assert not clone.training


def test_broken_explainer_is_flagged_and_a_working_one_passes(tiny_run: Run, full_subject: int) -> None:
    subjects = [full_subject, *(int(s) for s in tiny_run.store.subjects()[:40])]
    preds = []
    for sid in dict.fromkeys(subjects):
        try:
            preds.append(tiny_run.prediction(sid))
        except Exception:  # no prediction time for this task
            continue
        if len(preds) == 3:
            break
    report = model_randomisation_check(preds, {"broken": _input_copy, "ig": _tabular_ig}, threshold=0.5)
    assert report.checks["broken"].spearman == pytest.approx(1.0)
    assert report.flagged() == {"broken"}
    assert report.checks["ig_tabular"].spearman < 0.5
    assert report.checks["ig_tabular"].n_values == sum(
        p.batch.inputs[Modality.TABULAR].values["numeric"].shape[1]
        + p.batch.inputs[Modality.TABULAR].values["categorical"].shape[1]
        for p in preds
    )
    again = SanityReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert (
        again.flagged() == {"broken"}
        and again.checks["ig_tabular"].n_values == report.checks["ig_tabular"].n_values
    )


def test_flagged_explainers_are_left_out_unless_asked(tiny_run: Run, full_subject: int) -> None:
    sample = tiny_run.prediction(full_subject).sample
    report = SanityReport(0.5, {"modality_shapley": SanityCheck("modality_shapley", 0.9, True, 5)}, 1)
    run = tiny_run
    left_out = explain_sample(run.model, run.processors, run.task, run.store, sample, sanity=report)
    assert left_out.contributions is None and "modality_shapley" in left_out.disabled
    assert left_out.to_dict()["sanity"]["flagged"] == ["modality_shapley"]
    from healthfm.explain import ExplainConfig

    kept = explain_sample(
        run.model,
        run.processors,
        run.task,
        run.store,
        sample,
        sanity=report,
        config=ExplainConfig(include_flagged=True),
    )
    assert kept.contributions is not None and kept.disabled == {}


def test_the_check_is_cached_per_run_and_redone_for_new_weights(tmp_path: Path) -> None:
    (tmp_path / "best").mkdir()
    weights = tmp_path / "best" / "model.safetensors"
    weights.write_bytes(b"weights")
    calls = []

    def compute() -> SanityReport:
        calls.append(1)
        return SanityReport(0.5, {"ig": SanityCheck("ig", 0.1, False, 3)}, 1)

    first = cached_sanity(tmp_path, compute)
    second = cached_sanity(tmp_path, compute)
    assert len(calls) == 1 and (tmp_path / SANITY_FILE).is_file()
    assert second.to_dict() == first.to_dict()
    os.utime(weights, ns=(1, 1))  # new weights
    cached_sanity(tmp_path, compute)
    assert len(calls) == 2
    cached_sanity(tmp_path, compute, threshold=0.7)  # another threshold is another check
    assert len(calls) == 3
