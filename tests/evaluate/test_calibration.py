"""Calibrators recover known miscalibration, survive a JSON round trip, and thresholds meet their rules."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import expit, softmax  # type: ignore[import-untyped]
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import log_loss

from healthfm.errors import UsageError
from healthfm.evaluate.calibration import Calibrator, choose_threshold, select_calibrator


def overconfident(n: int, temperature: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """y ~ Bernoulli(sigmoid(z)) while the model reports sigmoid(z · temperature)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 1.5, n)
    y = (rng.random(n) < expit(z)).astype(int)
    return y, expit(z * temperature)


def roundtrip(cal: Calibrator) -> Calibrator:
    return Calibrator.from_dict(json.loads(json.dumps(cal.to_dict())))


def test_temperature_scaling_recovers_a_known_temperature_and_lowers_nll() -> None:
    y, p = overconfident(20000, temperature=2.0, seed=0)
    cal = Calibrator("temperature").fit(p, y)
    assert cal.temperature_ == pytest.approx(2.0, rel=0.05)
    assert log_loss(y, cal.transform(p)) < log_loss(y, p) - 0.01
    y, p = overconfident(20000, temperature=0.5, seed=1)  # underconfident
    assert Calibrator("temperature").fit(p, y).temperature_ == pytest.approx(0.5, rel=0.05)


def test_multiclass_temperature_recovers_a_known_temperature() -> None:
    rng = np.random.default_rng(2)
    logits = rng.normal(0, 1.5, (20000, 3))
    truth = softmax(logits, axis=1)
    y = (rng.random((truth.shape[0], 1)) > truth.cumsum(axis=1)).sum(axis=1)  # y ~ Categorical(truth)
    reported = softmax(logits * 3.0, axis=1)
    cal = Calibrator("temperature").fit(reported, y)
    assert cal.temperature_ == pytest.approx(3.0, rel=0.05)
    out = cal.transform(reported)
    assert np.allclose(out, softmax(logits * 3.0 / cal.temperature_, axis=1), atol=1e-9)
    assert np.abs(out - truth).max() < 0.05
    assert np.array_equal(roundtrip(cal).transform(reported), out)


def test_isotonic_matches_sklearn_and_round_trips_exactly() -> None:
    y, p = overconfident(500, temperature=2.5, seed=3)
    cal = Calibrator("isotonic").fit(p, y)
    reference = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(p, y)
    grid = np.linspace(0, 1, 1001)
    assert np.allclose(cal.transform(grid), reference.predict(grid), atol=1e-12)
    assert np.all(np.diff(cal.transform(grid)) >= 0)
    assert np.array_equal(roundtrip(cal).transform(grid), cal.transform(grid))
    assert np.array_equal(roundtrip(cal).transform(p), cal.transform(p))


@pytest.mark.parametrize("method", ["temperature", "none"])
def test_round_trip_reproduces_transform_exactly(method: str) -> None:
    y, p = overconfident(300, temperature=1.7, seed=4)
    cal = Calibrator(method).fit(p, y)
    again = roundtrip(cal)
    assert np.array_equal(again.transform(p), cal.transform(p))
    if method == "none":
        assert np.array_equal(cal.transform(p), p)


def test_select_calibrator_fixes_miscalibration_and_leaves_calibrated_models() -> None:
    y, p = overconfident(1500, temperature=2.5, seed=5)
    y_test, p_test = overconfident(5000, temperature=2.5, seed=6)
    chosen = select_calibrator(p, y)
    assert chosen.method in ("temperature", "isotonic")
    assert set(chosen.oof_brier_) == {"none", "temperature", "isotonic"}
    assert chosen.oof_brier_[chosen.method] == min(chosen.oof_brier_.values())

    def brier(q: np.ndarray) -> float:
        return float(np.mean((q - y_test) ** 2))

    assert brier(chosen.transform(p_test)) < brier(p_test) - 0.005
    assert roundtrip(chosen).oof_brier_ == chosen.oof_brier_

    y, p = overconfident(1500, temperature=1.0, seed=7)
    calm = select_calibrator(p, y)
    if calm.method == "temperature":  # a calibrated model may only be nudged
        assert calm.temperature_ == pytest.approx(1.0, abs=0.15)
    assert calm.method != "isotonic" or calm.oof_brier_["isotonic"] < calm.oof_brier_["none"]


def test_small_tuning_sets_get_temperature_scaling() -> None:
    y, p = overconfident(40, temperature=2.0, seed=8)
    cal = select_calibrator(p, y)
    assert cal.method == "temperature" and cal.oof_brier_ == {}


def test_thresholds_meet_their_rules_and_are_optimal() -> None:
    y, p = overconfident(400, temperature=1.0, seed=9)
    p = np.round(p, 2)  # ties
    candidates = np.unique(p)

    def rates(t: float) -> tuple[float, float, float]:
        pred = p >= t
        tp, fp = np.sum(pred & (y == 1)), np.sum(pred & (y == 0))
        fn = np.sum(~pred & (y == 1))
        return tp / y.sum(), 1 - fp / (y.size - y.sum()), 2 * tp / (2 * tp + fp + fn)

    youden = choose_threshold(y, p, "youden")
    assert sum(rates(youden)[:2]) == pytest.approx(max(sum(rates(t)[:2]) for t in candidates))
    f1 = choose_threshold(y, p, "f1")
    assert rates(f1)[2] == pytest.approx(max(rates(t)[2] for t in candidates))
    sens = choose_threshold(y, p, "sensitivity:0.9")
    assert rates(sens)[0] >= 0.9
    assert all(rates(t)[0] < 0.9 for t in candidates if t > sens)  # the highest such threshold
    spec = choose_threshold(y, p, "specificity:0.9")
    assert rates(spec)[1] >= 0.9
    assert all(rates(t)[1] < 0.9 for t in candidates if t < spec)  # the lowest such threshold
    assert choose_threshold(y, p, "specificity:1.0") > p[y == 0].max()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Calibrator("platt"), "calibration method must be one of"),
        (lambda: Calibrator().transform([0.2]), "not fitted"),
        (
            lambda: Calibrator("isotonic").fit(np.full((4, 2), 0.5), [0, 1, 0, 1]),
            "isotonic calibration is for binary",
        ),
        (lambda: Calibrator().fit([0.2, 0.4], [0, 1, 1]), "lengths differ"),
        (lambda: Calibrator().fit([0.2, 1.4], [0, 1]), "probabilities"),
        (lambda: Calibrator().fit([0.2, 0.4], [0, 1]).transform(np.full((2, 2), 0.5)), "1-dimensional"),
        (lambda: Calibrator.from_dict({"method": "temperature"}), "not a saved Calibrator"),
        (lambda: choose_threshold([0, 1], [0.2, 0.4], "sensitivity:1.5"), "threshold rule must be"),
        (lambda: choose_threshold([0, 1], [0.2, 0.4], "accuracy"), "threshold rule must be"),
        (lambda: choose_threshold([1, 1], [0.2, 0.4]), "both classes"),
        (lambda: select_calibrator([0.2] * 60, [1] * 60), "one class only"),
    ],
)
def test_bad_input_raises_usage_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=message):
        call()
