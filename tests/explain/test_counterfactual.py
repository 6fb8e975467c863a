"""Counterfactuals: below the threshold with values inside the declared ranges, verified from scratch, or a
statement that none exists."""

from __future__ import annotations

import pytest

from healthfm.explain import MODIFIABLE, counterfactual
from healthfm.explain.units import latest_values
from healthfm.ingest.units import CANONICAL
from tests.explain.conftest import Run


def test_declared_ranges_are_in_the_stores_units() -> None:
    for f in MODIFIABLE:
        assert f.unit == CANONICAL[f.code].replace("[", "").replace("]", ""), f.code
        assert f.low < f.high and 0 < f.step <= f.max_change
        assert f.direction in (-1, 1)


def test_found_change_lowers_the_risk_within_the_ranges(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    latest = latest_values(pred)
    assert any(f.code in latest for f in MODIFIABLE)
    assert all(when < pred.sample.prediction_time for _, when in latest.values())
    # just below the current risk: any change that lowers it qualifies, in either direction
    threshold = pred.risk - 1e-6
    found = counterfactual(pred, threshold, any_direction=True, blobs=tiny_run.store.blobs)
    assert found.status == "found", found.factors
    assert 1 <= len(found.changes) <= 2
    assert found.new_risk is not None and found.new_risk < threshold
    # the change written into the timeline, run through the processors and the model from scratch
    assert found.verified_risk == pytest.approx(found.new_risk, abs=1e-4)
    ranges = {f.code: f for f in MODIFIABLE}
    for change in found.changes:
        f = ranges[change.code]
        assert isinstance(change.proposed, float) and isinstance(change.current, float)
        assert change.current == latest[change.code][0]
        assert f.low <= change.proposed <= f.high
        assert abs(change.proposed - change.current) <= f.max_change + 1e-9
        assert change.cost == pytest.approx(abs(change.proposed - change.current) / (f.high - f.low))
    assert found.to_dict()["changes"][0]["name"]


def test_no_change_within_the_ranges_is_said_so(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    found = counterfactual(pred, 1e-9, blobs=tiny_run.store.blobs)
    assert found.status == "none_within_ranges"
    assert found.changes == [] and found.new_risk is None and found.candidates > 0


def test_a_risk_already_below_needs_no_change(tiny_run: Run, full_subject: int) -> None:
    pred = tiny_run.prediction(full_subject)
    found = counterfactual(pred, min(0.999999, pred.risk + 1e-3), blobs=tiny_run.store.blobs)
    assert found.status == "already_below" and found.changes == []
