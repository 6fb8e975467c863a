"""The Python API: a full explanation as JSON and figures, nothing after the prediction time seen."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import healthfm.explain
from healthfm.errors import UsageError
from healthfm.explain import EXPLANATION_FILE, explain_sample, find_sample
from healthfm.explain.subject import parse_time
from healthfm.schema import Modality, PatientTimeline
from tests.explain.conftest import Run

PNG = b"\x89PNG\r\n\x1a\n"


def test_public_api_is_pinned() -> None:
    assert healthfm.explain.__all__ == [
        "BASELINES",
        "EXPLANATION_FILE",
        "MODIFIABLE",
        "AttentionMap",
        "Counterfactual",
        "ExplainConfig",
        "Explanation",
        "IGConfig",
        "ModalityAttribution",
        "ModalityShapley",
        "Modifiable",
        "Prediction",
        "RawAttribution",
        "SanityReport",
        "Target",
        "attention_map",
        "counterfactual",
        "explain_sample",
        "explain_subject",
        "find_sample",
        "integrated_gradients",
        "modality_shapley",
        "model_randomisation_check",
        "randomised_copy",
        "run_sanity",
    ]


def test_full_explanation_as_json_and_figures(tiny_run: Run, full_subject: int, tmp_path: Path) -> None:
    run = tiny_run
    sample = find_sample(run.task, run.store, full_subject)
    expl = explain_sample(
        run.model, run.processors, run.task, run.store, sample, threshold=0.3, out_dir=tmp_path
    )
    data = json.loads((tmp_path / EXPLANATION_FILE).read_text())
    assert data == json.loads(json.dumps(expl.to_dict(), allow_nan=False))
    assert data["subject_id"] == full_subject and data["task"] == "cardiac_disease"
    assert data["prediction"]["threshold"] == 0.3 and "logit" in data["prediction"]["explained_output"]
    assert set(data["attributions"]) == {m.value for m in Modality}
    for name, attr in data["attributions"].items():
        assert attr["completeness"]["tolerance_met"], name
        assert attr["top"] and attr["baseline"]
    assert data["attributions"]["text"]["words"]
    assert len(data["attributions"]["image"]["grid"]) == 8
    assert set(data["attributions"]["signal"]["traces"])  # recorded leads
    assert data["modality_contributions"]["efficiency_error"] < 1e-9
    assert data["sanity"]["checks"]  # computed on this sample (no run folder given)
    assert data["summary"].startswith(f"Risk {expl.risk:.2f} (threshold 0.30)")
    figures = data["figures"]
    assert {"modalities", "top_features", "image", "ecg"} <= set(figures) | set(expl.disabled)
    for name in figures.values():
        assert (tmp_path / name).read_bytes().startswith(PNG)


class _LateEvents:
    """A store whose timelines gain events after the prediction time (a note, a lab, an image)."""

    def __init__(self, store: Any, when: dt.datetime) -> None:
        self.store, self.when, self.blobs, self.root = store, when, store.blobs, None

    def timeline(self, subject_id: int) -> PatientTimeline:
        table = self.store.timeline(subject_id).table
        late = pa.table(
            {
                "subject_id": pa.array([subject_id] * 3, pa.int64()),
                "time": pa.array([self.when + dt.timedelta(hours=h) for h in (0, 1, 2)], pa.timestamp("us")),
                "code": pa.array(["LOINC/13457-7", "LOINC/39156-5", "NOTE/1"], pa.string()),
                "numeric_value": pa.array([400.0, 60.0, None], pa.float32()),
                "text_value": pa.array([None, None, "severe angina, urgent angiography"], pa.large_string()),
                "modality": pa.array([None, None, "text"], pa.string()),
                "blob": pa.array([None, None, None], pa.string()),
            }
        )
        return PatientTimeline(subject_id, pa.concat_tables([table, late.cast(table.schema)]))


def test_nothing_after_the_prediction_time_is_seen(tiny_run: Run, full_subject: int) -> None:
    run = tiny_run
    sample = find_sample(run.task, run.store, full_subject)
    kwargs: dict[str, Any] = {"checks": False}
    base = explain_sample(run.model, run.processors, run.task, run.store, sample, **kwargs)
    later = explain_sample(
        run.model, run.processors, run.task, _LateEvents(run.store, sample.prediction_time), sample, **kwargs
    )
    assert later.risk == base.risk
    for m in base.attributions:
        np.testing.assert_array_equal(later.attributions[m].raw.values, base.attributions[m].raw.values)


def test_find_sample_and_times(tiny_run: Run, full_subject: int) -> None:
    run = tiny_run
    task_sample = find_sample(run.task, run.store, full_subject)
    assert task_sample.label is not None
    assert find_sample(run.task, run.store, full_subject, task_sample.prediction_time) == task_sample
    asked = task_sample.prediction_time - dt.timedelta(days=1)
    own = find_sample(run.task, run.store, full_subject, asked)
    assert (own.prediction_time, own.label) == (asked, None)
    expl = explain_sample(run.model, run.processors, run.task, run.store, own, checks=False)
    assert any("given by the caller" in n for n in expl.notes)
    assert parse_time("2020-01-02T03:04:00+02:00") == dt.datetime(2020, 1, 2, 1, 4)
    with pytest.raises(UsageError, match="not an ISO date-time"):
        parse_time("yesterday")


class _NoAnchor:
    """A store whose timelines lack the task's anchor event (no angiography: no prediction time)."""

    def __init__(self, store: Any, codes: tuple[str, ...]) -> None:
        self.store, self.codes, self.blobs, self.root = store, codes, store.blobs, None

    def timeline(self, subject_id: int) -> PatientTimeline:
        import pyarrow.compute as pc

        table = self.store.timeline(subject_id).table
        return PatientTimeline(
            subject_id, table.filter(pc.invert(pc.is_in(table.column("code"), pa.array(self.codes))))
        )


def test_a_subject_without_a_prediction_time_is_a_clear_error(tiny_run: Run, full_subject: int) -> None:
    run = tiny_run
    store = _NoAnchor(run.store, run.task.prediction_time.anchor_codes)
    with pytest.raises(
        UsageError,
        match=rf"subject {full_subject} has no prediction time for task 'cardiac_disease' \(no anchor event",
    ):
        find_sample(run.task, store, full_subject)
