"""Metrics and bootstrap intervals checked against scikit-learn, scikit-survival and lifelines."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.optimize import minimize  # type: ignore[import-untyped]
from scipy.special import expit, logit  # type: ignore[import-untyped]
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize

from healthfm.errors import UsageError
from healthfm.evaluate import metrics as M


def binary_data(
    n: int, seed: int = 0, signal: float = 1.5, ties: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and calibrated probabilities from a logistic model with a normal score."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n) * signal - 0.3
    p = expit(z)
    y = (rng.random(n) < p).astype(int)
    return y, (np.round(p, 2) if ties else p)


# --------------------------------------------------------------------------- plain metrics


@pytest.mark.parametrize("ties", [False, True])
def test_binary_metrics_match_sklearn(ties: bool) -> None:
    y, p = binary_data(300, seed=1, ties=ties)
    assert M.auroc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert M.average_precision(y, p) == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert M.brier(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-12)


def test_kernels_on_resamples_match_sklearn_on_resampled_rows() -> None:
    """The weighted (count) form of each metric equals the metric on the explicitly resampled rows."""
    y, p = binary_data(80, seed=2, ties=True)
    fast = M.bootstrap(M.auroc, y, p, n_boot=100, seed=7)
    slow = M.bootstrap(lambda a, b: roc_auc_score(a, b), y, p, n_boot=100, seed=7)
    assert (fast.value, fast.low, fast.high) == pytest.approx((slow.value, slow.low, slow.high), abs=1e-12)
    fast = M.bootstrap(M.average_precision, y, p, n_boot=100, seed=7)
    slow = M.bootstrap(lambda a, b: average_precision_score(a, b), y, p, n_boot=100, seed=7)
    assert (fast.value, fast.low, fast.high) == pytest.approx((slow.value, slow.low, slow.high), abs=1e-12)


def test_perfect_and_random_classifiers() -> None:
    y, _ = binary_data(400, seed=3)
    perfect = M.binary_metrics(y, y * 0.8 + 0.1, threshold=0.5, n_boot=200)
    assert perfect["auroc"].value == 1.0 and perfect["auroc"].low == 1.0
    assert perfect["auprc"].value == pytest.approx(1.0)
    assert perfect["sensitivity"].value == 1.0 and perfect["specificity"].value == 1.0
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 2000)
    noise = M.binary_metrics(y, rng.random(2000), threshold=0.5, n_boot=200)
    assert noise["auroc"].low < 0.5 < noise["auroc"].high
    assert noise["auprc"].value == pytest.approx(y.mean(), abs=0.03)


def test_threshold_metrics_match_sklearn() -> None:
    y, p = binary_data(500, seed=5)
    r = M.binary_metrics(y, p, threshold=0.4, n_boot=50)
    pred = (p >= 0.4).astype(int)
    tn, fp, fn, _ = confusion_matrix(y, pred).ravel()
    assert r["sensitivity"].value == pytest.approx(recall_score(y, pred))
    assert r["ppv"].value == pytest.approx(precision_score(y, pred))
    assert r["f1"].value == pytest.approx(f1_score(y, pred))
    assert r["specificity"].value == pytest.approx(tn / (tn + fp))
    assert r["npv"].value == pytest.approx(tn / (tn + fn))
    assert r["prevalence"].value == pytest.approx(y.mean())
    assert list(r) == [
        "auroc", "auprc", "f1", "sensitivity", "specificity", "ppv", "npv",
        "brier", "ece", "calibration_slope", "calibration_intercept", "prevalence",
    ]  # fmt: skip


def test_calibration_slope_and_intercept_match_direct_likelihood_fits() -> None:
    y, p = binary_data(600, seed=6)
    p_over = expit(2.0 * logit(p) + 0.5)  # overconfident and too high
    z = logit(p_over)

    def nll(params: np.ndarray, slope_free: bool) -> float:
        eta = params[0] + (params[1] if slope_free else 1.0) * z
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    joint = minimize(nll, [0.0, 1.0], args=(True,), method="BFGS", options={"gtol": 1e-10}).x
    offset = minimize(nll, [0.0, 1.0], args=(False,), method="BFGS", options={"gtol": 1e-10}).x
    assert M.calibration_slope(y, p_over) == pytest.approx(joint[1], abs=1e-5)
    assert M.calibration_intercept(y, p_over) == pytest.approx(offset[0], abs=1e-5)
    assert M.calibration_slope(y, p_over) == pytest.approx(0.5, abs=0.15)
    assert M.calibration_intercept(y, p_over) < -0.2
    calibrated = M.binary_metrics(y, p, 0.5, n_boot=200)
    assert calibrated["calibration_slope"].low < 1.0 < calibrated["calibration_slope"].high
    assert calibrated["calibration_intercept"].low < 0.0 < calibrated["calibration_intercept"].high


def test_ece_small_when_calibrated_large_when_not() -> None:
    y, p = binary_data(20000, seed=7)
    assert M.ece(y, p) < 0.02
    assert M.ece(y, np.clip(p + 0.25, 0, 1)) > 0.15
    curve = M.reliability(y, p, bins=10)
    counts = np.array(curve["count"])
    assert counts.sum() == y.size
    gaps = np.abs(np.array(curve["observed"]) - np.array(curve["mean_predicted"]))
    assert float((gaps * counts).sum() / counts.sum()) == pytest.approx(M.ece(y, p))
    assert np.all(np.array(curve["bin_lower"]) < np.array(curve["mean_predicted"]) + 1e-12)


def test_roc_and_pr_points_are_small_monotone_and_json_safe() -> None:
    y, p = binary_data(5000, seed=8)
    roc, pr = M.roc_points(y, p), M.pr_points(y, p)
    assert len(roc["fpr"]) <= 200 and len(pr["recall"]) <= 200
    assert roc["fpr"][0] == 0.0 and roc["tpr"][-1] == 1.0 and roc["thresholds"][0] is None
    assert np.all(np.diff(np.array(roc["fpr"], float)) >= 0) and np.all(
        np.diff(np.array(pr["recall"], float)) >= 0
    )
    assert pr["recall"][0] == 0.0 and pr["recall"][-1] == 1.0 and pr["thresholds"][0] is None
    json.dumps([roc, pr], allow_nan=False)


# --------------------------------------------------------------------------- bootstrap


def test_ci_contains_point_and_narrows_with_more_patients() -> None:
    widths = []
    for n in (150, 3000):
        y, p = binary_data(n, seed=9)
        est = M.bootstrap(M.auroc, y, p, n_boot=300, seed=0)
        assert est.low <= est.value <= est.high
        assert est.n == n and est.n_resamples == 300
        widths.append(est.high - est.low)
    assert widths[1] < widths[0] / 2.5


def test_undefined_resamples_are_skipped_and_too_many_give_nan_ci() -> None:
    y = np.zeros(40, int)
    y[:2] = 1  # a resample misses both positives ~ (38/40)^40 ≈ 13% of the time
    p = np.linspace(0, 1, 40)
    est = M.bootstrap(M.auroc, y, p, n_boot=400, seed=1)
    assert 250 < est.n_resamples < 400 and not math.isnan(est.low)
    ids = np.arange(40)  # a resample holds ~25 distinct patients; this metric needs 28

    def needs_28(rows: np.ndarray) -> float:
        return float(rows.mean()) if np.unique(rows).size >= 28 else math.nan

    est = M.bootstrap(needs_28, ids, n_boot=200, seed=1)
    assert 0 < est.n_resamples < 100 and math.isnan(est.low) and math.isnan(est.high)
    assert est.value == pytest.approx(19.5) and str(est) == "19.500 [CI n/a]"
    assert math.isnan(M.auroc(np.zeros(5), np.linspace(0, 1, 5)))


def test_generic_metric_undefined_on_resamples_is_skipped_without_warnings() -> None:
    """sklearn's UndefinedMetricWarning on a degenerate resample marks it undefined, not an error."""
    y = np.r_[np.ones(3), np.zeros(27)].astype(int)
    p = np.linspace(0, 1, 30)
    est = M.bootstrap(lambda a, b: precision_score(a, (b > 0.95).astype(int)), y, p, n_boot=100, seed=0)
    assert 0 < est.n_resamples < 100


def test_paired_difference_self_is_zero_and_better_model_is_above_zero() -> None:
    y, p = binary_data(400, seed=10)
    same = M.paired_difference(M.auroc, y, p, p, n_boot=200)
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)
    noisy = expit(logit(p) + np.random.default_rng(0).normal(0, 2.5, p.size))
    better = M.paired_difference(M.auroc, y, p, noisy, n_boot=300)
    assert better.low > 0
    better = M.paired_difference(M.auroc, y, p, noisy, n_boot=60)
    generic = M.paired_difference(lambda a, b: roc_auc_score(a, b), y, p, noisy, n_boot=60)
    assert (generic.value, generic.low, generic.high) == pytest.approx(
        (better.value, better.low, better.high)
    )


def test_all_binary_metrics_share_resamples_with_bootstrap() -> None:
    y, p = binary_data(200, seed=11)
    full = M.binary_metrics(y, p, 0.5, n_boot=150, seed=3)
    assert full["auroc"] == M.bootstrap(M.auroc, y, p, n_boot=150, seed=3)
    assert full["brier"] == M.bootstrap(M.brier, y, p, n_boot=150, seed=3)
    assert full["calibration_slope"] == M.bootstrap(M.calibration_slope, y, p, n_boot=150, seed=3)
    for est in full.values():
        assert est.low <= est.value <= est.high


def test_estimate_formatting_and_json() -> None:
    est = M.Estimate(0.8421, 0.8013, 0.8799, 100, 1000)
    assert str(est) == "0.842 [0.801, 0.880]"
    undefined = M.Estimate(math.nan, math.nan, math.nan, 10)
    assert str(undefined) == "n/a" and undefined.to_dict()["value"] is None
    result = M.binary_metrics(*binary_data(50, seed=12), 0.5, n_boot=20)
    json.dumps(result.to_dict(), allow_nan=False)


# --------------------------------------------------------------------------- multiclass and multilabel


def multiclass_data(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    prob = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    return y, prob


def test_multiclass_metrics_match_sklearn() -> None:
    y, prob = multiclass_data(300, 4, seed=13)
    r = M.multiclass_metrics(y, prob, n_boot=100)
    onehot = label_binarize(y, classes=range(4))
    pred = prob.argmax(1)
    assert r["macro_auroc"].value == pytest.approx(roc_auc_score(y, prob, multi_class="ovr", average="macro"))
    assert r["micro_auroc"].value == pytest.approx(roc_auc_score(onehot, prob, average="micro"))
    assert r["macro_auprc"].value == pytest.approx(average_precision_score(onehot, prob, average="macro"))
    assert r["accuracy"].value == pytest.approx(np.mean(pred == y))
    assert r["macro_f1"].value == pytest.approx(f1_score(y, pred, average="macro"))
    assert r["micro_f1"].value == pytest.approx(f1_score(y, pred, average="micro"))
    assert r["brier"].value == pytest.approx(np.mean(((prob - onehot) ** 2).sum(1)))
    assert M.macro_auroc(y, prob) == pytest.approx(r["macro_auroc"].value)
    assert all(e.low <= e.value <= e.high for e in r.values())


def test_multilabel_metrics_match_sklearn() -> None:
    rng = np.random.default_rng(14)
    y = (rng.random((250, 3)) < [0.2, 0.5, 0.05]).astype(int)
    prob = np.clip(0.25 * y + rng.random((250, 3)) * 0.75, 0, 1)
    thresholds = np.array([0.5, 0.4, 0.6])
    r = M.multilabel_metrics(y, prob, thresholds, n_boot=100, labels=["a", "b", "c"])
    pred = (prob >= thresholds).astype(int)
    assert r["macro_auroc"].value == pytest.approx(roc_auc_score(y, prob, average="macro"))
    assert r["micro_auroc"].value == pytest.approx(roc_auc_score(y, prob, average="micro"))
    assert r["macro_auprc"].value == pytest.approx(average_precision_score(y, prob, average="macro"))
    assert r["micro_auprc"].value == pytest.approx(average_precision_score(y, prob, average="micro"))
    assert r["macro_f1"].value == pytest.approx(f1_score(y, pred, average="macro", zero_division=np.nan))
    assert r["micro_f1"].value == pytest.approx(f1_score(y, pred, average="micro"))
    for j, name in enumerate("abc"):
        assert r[f"auroc/{name}"].value == pytest.approx(roc_auc_score(y[:, j], prob[:, j]))
    assert M.macro_auroc(y, prob) == pytest.approx(r["macro_auroc"].value)


def test_label_with_one_class_is_left_out_with_a_note() -> None:
    rng = np.random.default_rng(15)
    y = np.c_[rng.integers(0, 2, 100), np.zeros(100, int)]
    prob = rng.random((100, 2))
    r = M.multilabel_metrics(y, prob, 0.5, n_boot=50)
    assert math.isnan(r["auroc/1"].value)
    assert r["macro_auroc"].value == pytest.approx(r["auroc/0"].value)
    assert any("label 1" in note for note in r.notes)


def test_confusion_matches_sklearn() -> None:
    y, prob = multiclass_data(200, 3, seed=16)
    pred = prob.argmax(1)
    assert np.array_equal(M.confusion(y, pred, 3), confusion_matrix(y, pred, labels=range(3)))


# --------------------------------------------------------------------------- survival


@pytest.fixture(scope="module")
def whas() -> dict[str, np.ndarray]:
    """WHAS500 split 300/200 with a Cox model's risk and survival at four horizons; the longest
    follow-up is put in training so scikit-survival's own functions accept the test set."""
    from sksurv.datasets import load_whas500
    from sksurv.linear_model import CoxPHSurvivalAnalysis

    x, y = load_whas500()
    x = x[["age", "bmi", "hr", "sysbp", "diasbp"]].astype(float).to_numpy()
    longest = int(np.argmax(y["lenfol"]))
    perm = np.random.default_rng(0).permutation(len(y))
    perm = np.r_[longest, perm[perm != longest]]
    train, test = perm[:300], perm[300:]
    cox = CoxPHSurvivalAnalysis().fit(x[train], y[train])
    times = np.array([180.0, 365.0, 730.0, 1095.0])
    surv = np.array([fn(times) for fn in cox.predict_survival_function(x[test])])
    return {
        "y_train": y[train],
        "y_test": y[test],
        "risk": cox.predict(x[test]),
        "times": times,
        "surv": surv,
    }


def test_survival_metrics_match_sksurv_and_lifelines(whas: dict[str, np.ndarray]) -> None:
    from lifelines.utils import concordance_index
    from sksurv.metrics import (
        concordance_index_censored,
        concordance_index_ipcw,
        cumulative_dynamic_auc,
        integrated_brier_score,
    )

    tr, te, risk, times = whas["y_train"], whas["y_test"], whas["risk"], whas["times"]
    r = M.survival_metrics(
        tr["lenfol"], tr["fstat"], te["lenfol"], te["fstat"], risk,
        times=list(times), survival=whas["surv"], n_boot=200,
    )  # fmt: skip
    harrell = concordance_index_censored(te["fstat"], te["lenfol"], risk)[0]
    assert r["harrell_c"].value == pytest.approx(harrell, abs=1e-12)
    assert r["harrell_c"].value == pytest.approx(
        concordance_index(te["lenfol"], -risk, te["fstat"]), abs=1e-12
    )
    assert M.harrell_c(te["lenfol"], te["fstat"], risk) == pytest.approx(harrell, abs=1e-12)
    uno = concordance_index_ipcw(tr, te, risk, tau=times.max())[0]
    assert r["uno_c"].value == pytest.approx(uno, abs=1e-12)
    per_time, mean_auc = cumulative_dynamic_auc(tr, te, risk, times)
    assert r["td_auc"].value == pytest.approx(mean_auc, abs=1e-12)
    for t, auc in zip(times, per_time, strict=True):
        assert r[f"td_auc@{t:g}"].value == pytest.approx(auc, abs=1e-12)
    assert r["integrated_brier"].value == pytest.approx(
        integrated_brier_score(tr, te, whas["surv"], times), abs=1e-12
    )
    assert r.notes == []
    for est in r.values():
        assert est.low <= est.value <= est.high and est.n_resamples == 200


def test_survival_times_outside_follow_up_are_dropped_with_a_note(whas: dict[str, np.ndarray]) -> None:
    tr, te = whas["y_train"], whas["y_test"]
    r = M.survival_metrics(
        tr["lenfol"], tr["fstat"], te["lenfol"], te["fstat"], whas["risk"],
        times=[365.0, 99999.0], n_boot=50,
    )  # fmt: skip
    assert "td_auc@365" in r and "td_auc@99999" not in r and "integrated_brier" not in r
    assert any("99999" in note for note in r.notes)
    empty = M.survival_metrics(
        tr["lenfol"], tr["fstat"], te["lenfol"], te["fstat"], whas["risk"], times=[], n_boot=20
    )
    assert not math.isnan(empty["harrell_c"].value) and math.isnan(empty["uno_c"].value) and empty.notes


def test_bootstrap_of_harrell_c_is_vectorised_and_matches_the_generic_path(
    whas: dict[str, np.ndarray],
) -> None:
    from sksurv.metrics import concordance_index_censored

    te, risk = whas["y_test"][:60], whas["risk"][:60]

    def reference(time: np.ndarray, event: np.ndarray, score: np.ndarray) -> float:
        return float(concordance_index_censored(event.astype(bool), time, score)[0])

    fast = M.bootstrap(M.harrell_c, te["lenfol"], te["fstat"], risk, n_boot=40, seed=2)
    slow = M.bootstrap(reference, te["lenfol"], te["fstat"], risk, n_boot=40, seed=2)
    assert (fast.value, fast.low, fast.high) == pytest.approx((slow.value, slow.low, slow.high), abs=1e-12)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: M.auroc([0, 1, 1], [0.1, 0.2]), "lengths differ"),
        (lambda: M.auroc([0, 2, 1], [0.1, 0.2, 0.3]), "0/1 labels; found 2 at position 1"),
        (lambda: M.auroc([0, 1, 1], [0.1, 1.2, 0.3]), r"probabilities in \[0, 1\]; found 1.2 at position 1"),
        (lambda: M.brier([0, 1], [0.1, math.nan]), "probabilities"),
        (lambda: M.auroc(["a", "b"], [0.1, 0.2]), "y must be numeric"),
        (lambda: M.binary_metrics([0, 1], [0.1, 0.2], threshold=1.5), r"threshold must be in \[0, 1\]"),
        (lambda: M.bootstrap(M.auroc, [0, 1], [0.1, 0.2], n_boot=-1), "n_boot"),
        (lambda: M.bootstrap(M.auroc, [0, 1, 1], [0.1, 0.2, 0.3], [1, 2, 3]), r"takes \(y, prob\)"),
        (lambda: M.multiclass_metrics([0, 1], [[0.5, 0.6], [0.2, 0.8]]), "row 0 sums to 1.1"),
        (
            lambda: M.multiclass_metrics([0, 3], [[0.5, 0.5], [0.2, 0.8]]),
            "class indices 0..1; found 3 at position 1",
        ),
        (lambda: M.multilabel_metrics([[0, 1]], [[0.2, 0.3, 0.4]], 0.5), "same shape"),
        (lambda: M.confusion([0, 1], [0, 1], 0), "n_classes"),
        (lambda: M.harrell_c([1.0, -2.0], [1, 0], [0.1, 0.2]), "time must be non-negative"),
        (
            lambda: M.survival_metrics([1.0, 2.0], [0, 0], [1.0, 2.0], [1, 0], [0.1, 0.2], times=[1.5]),
            "train_event holds no events",
        ),
    ],
)
def test_bad_input_raises_usage_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=message):
        call()
