"""Fairness audit: planted disparities are found, fair models pass, small and unrecorded groups are handled,
and reweighing makes group and outcome independent."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
from scipy.special import expit  # type: ignore[import-untyped]
from sklearn.metrics import precision_score, recall_score, roc_auc_score

from healthfm.errors import UsageError
from healthfm.evaluate.fairness import AGE_BANDS, fairness_audit, reweighing_weights


def cohort(n: int, seed: int, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Outcomes from one risk model for everyone; `shift` adds to the male patients' reported logit."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    age = rng.choice(["18-44", "45-64", "65-74"], n)
    z = rng.normal(0, 1.5, n) - 0.5
    y = (rng.random(n) < expit(z)).astype(int)
    prob = expit(z + shift * (sex == "male"))
    groups = pd.DataFrame({"sex": sex, "age_band": age, "race_ethnicity": "unknown"})
    return y, prob, groups


def test_planted_disparity_shows_a_large_equalized_odds_difference_and_a_fair_model_a_small_one() -> None:
    y, prob, groups = cohort(1200, seed=0, shift=2.0)
    biased = fairness_audit(y, prob, 0.5, groups, min_group=50, n_boot=200)
    eod = biased.summary["sex"].equalized_odds_difference
    assert eod.value > 0.3 and eod.low > 0.2
    assert biased.summary["sex"].demographic_parity_difference.value > 0.3
    fair = fairness_audit(y, expit(np.log(prob / (1 - prob)) - 2.0 * (groups["sex"] == "male")), 0.5, groups,
                          min_group=50, n_boot=200)  # fmt: skip
    assert fair.summary["sex"].equalized_odds_difference.value < 0.1
    assert fair.summary["sex"].auroc_gap.value < 0.1


def test_group_rows_and_summary_match_sklearn_and_fairlearn() -> None:
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    y, prob, groups = cohort(800, seed=1, shift=1.0)
    report = fairness_audit(y, prob, 0.4, groups, intersections=(), min_group=50, n_boot=100)
    pred = (prob >= 0.4).astype(int)
    for row in report.rows:
        mask = (groups[row.attribute] == row.group).to_numpy()
        assert row.n == mask.sum() and row.positives == y[mask].sum()
        assert row.auroc.value == pytest.approx(roc_auc_score(y[mask], prob[mask]))
        assert row.tpr.value == pytest.approx(recall_score(y[mask], pred[mask]))
        assert row.fpr.value == pytest.approx(np.mean(pred[mask][y[mask] == 0]))
        assert row.ppv.value == pytest.approx(precision_score(y[mask], pred[mask]))
        assert row.calibration_gap.value == pytest.approx(prob[mask].mean() - y[mask].mean())
        assert row.auroc.low <= row.auroc.value <= row.auroc.high
    for attribute in ("sex", "age_band"):
        s = report.summary[attribute]
        features = groups[attribute]
        eod = equalized_odds_difference(y, pred, sensitive_features=features)
        assert s.equalized_odds_difference.value == pytest.approx(eod)
        assert s.demographic_parity_difference.value == pytest.approx(
            demographic_parity_difference(y, pred, sensitive_features=features)
        )
        # the bootstrap's own gap formula agrees with fairlearn: the CI is around the point
        assert s.equalized_odds_difference.low <= eod <= s.equalized_odds_difference.high
        aurocs = [r.auroc.value for r in report.rows if r.attribute == attribute]
        assert s.auroc_gap.value == pytest.approx(max(aurocs) - min(aurocs))


def test_small_groups_are_flagged_and_tiny_ones_left_out_of_the_summary() -> None:
    y, prob, groups = cohort(600, seed=2)
    groups.loc[:29, "sex"] = "other"
    report = fairness_audit(
        y, prob, 0.5, groups, intersections=(("sex", "age_band"),), min_group=100, n_boot=50
    )
    rows = {(r.attribute, r.group): r for r in report.rows}
    assert rows[("sex", "other")].small and not rows[("sex", "female")].small
    assert rows[("sex", "other")].n == 30
    # 30 patients: compared (at least min_compared = 20), but flagged as under min_group
    assert report.summary["sex"].groups == ["female", "male", "other"]
    assert report.summary["sex"].small_groups == ["other"]
    groups.loc[:29, "sex"] = "female"
    groups.loc[:9, "sex"] = "other"
    report = fairness_audit(y, prob, 0.5, groups, intersections=(), min_group=100, n_boot=50)
    assert report.summary["sex"].groups == ["female", "male"]  # 10 patients: left out of the gaps
    assert any("other" in note and "left out" in note for note in report.notes)
    assert ("sex & age_band", "female & 18-44") in rows


def test_unrecorded_attribute_is_skipped_and_one_class_groups_give_nan_auroc() -> None:
    y, prob, groups = cohort(300, seed=3)
    groups["site"] = np.where(np.arange(300) < 20, "clinic", "hospital")
    y[:20] = 0  # the clinic has no positives
    groups.loc[5, "sex"] = None  # missing -> "unknown"
    report = fairness_audit(y, prob, 0.5, groups, min_group=10, n_boot=50)
    assert not any(r.attribute == "race_ethnicity" for r in report.rows)
    assert any("race_ethnicity" in note and "skipped" in note for note in report.notes)
    clinic = next(r for r in report.rows if r.group == "clinic")
    assert math.isnan(clinic.auroc.value) and math.isnan(clinic.tpr.value) and clinic.fpr.value >= 0
    assert report.summary["site"].groups == ["hospital"]
    assert math.isnan(report.summary["site"].equalized_odds_difference.value)
    assert any(r.group == "unknown" and r.n == 1 for r in report.rows if r.attribute == "sex")


def test_report_serialises_to_json_and_a_frame() -> None:
    y, prob, groups = cohort(300, seed=4, shift=1.0)
    report = fairness_audit(y, prob, 0.5, groups, min_group=50, n_boot=30)
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert data["summary"]["sex"]["equalized_odds_difference"]["value"] is not None
    assert {"attribute", "group", "n", "small", "auroc"} <= set(data["rows"][0])
    frame = report.to_frame()
    assert len(frame) == len(report.rows)
    assert {"auroc", "auroc_low", "auroc_high", "calibration_gap_high", "small"} <= set(frame.columns)
    ages = frame[frame.attribute == "age_band"].group.tolist()
    assert ages == sorted(ages, key=list(AGE_BANDS).index)


def test_reweighing_makes_group_and_outcome_independent() -> None:
    rng = np.random.default_rng(5)
    groups = pd.Series(rng.choice(["a", "b", "c"], 2000, p=[0.6, 0.3, 0.1]))
    y = (rng.random(2000) < groups.map({"a": 0.1, "b": 0.4, "c": 0.7})).astype(int).to_numpy()
    groups[:40] = (
        None  # missing: "unknown", a group of its own (both outcomes occur, so every cell is filled)
    )
    w = reweighing_weights(groups, y)
    assert w.mean() == pytest.approx(1.0) and np.all(w > 0)
    labels = groups.fillna("unknown").to_numpy()
    total = w.sum()
    for g in np.unique(labels):
        for outcome in (0, 1):
            joint = w[(labels == g) & (y == outcome)].sum() / total
            assert joint == pytest.approx(w[labels == g].sum() / total * w[y == outcome].sum() / total)
    assert w[(labels == "a") & (y == 1)].mean() > 1 > w[(labels == "a") & (y == 0)].mean()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fairness_audit([0, 1], [0.2, 0.8], 0.5, pd.DataFrame({"sex": ["f"]})), "groups has 1 rows"),
        (lambda: fairness_audit([0, 1], [0.2, 0.8], 0.5, {"sex": ["f", "m"]}), "pandas DataFrame"),
        (lambda: fairness_audit([0, 1], [0.2, 1.8], 0.5, pd.DataFrame({"sex": ["f", "m"]})), "probabilities"),
        (
            lambda: fairness_audit([0, 1], [0.2, 0.8], 0.5, pd.DataFrame({"sex": ["f", "m"]}), min_group=0),
            "min_group",
        ),
        (
            lambda: fairness_audit(
                [0, 1],
                [0.2, 0.8],
                0.5,
                pd.DataFrame({"sex": ["f", "m"]}),
                intersections=("sex",),  # type: ignore[arg-type]
            ),
            "two or more column names",
        ),
        (lambda: reweighing_weights(pd.Series(["a", "b"]), [0, 1, 1]), "groups has 2 values but y has 3"),
        (lambda: reweighing_weights(pd.Series(["a", "b"]), [0, 3]), "0/1 labels"),
    ],
)
def test_bad_input_raises_usage_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=message):
        call()


def test_unknown_is_shown_but_never_compared() -> None:
    y, prob, groups = cohort(600, seed=4)
    groups["race_ethnicity"] = np.where(np.arange(600) < 300, "unknown", "White")
    groups.loc[300:449, "race_ethnicity"] = "Black or African American"
    report = fairness_audit(y, prob, 0.5, groups, intersections=(), min_group=100, n_boot=50)
    assert ("race_ethnicity", "unknown") in {(r.attribute, r.group) for r in report.rows}
    assert report.summary["race_ethnicity"].groups == ["Black or African American", "White"]
