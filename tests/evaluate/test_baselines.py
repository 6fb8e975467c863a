"""Tabularised features and the baselines of `healthfm evaluate`: no leakage, correct windows and last
values, a vocabulary from training only, baselines that find a planted signal, HAIM on real embeddings."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import torch
from lifelines import CoxPHFitter
from scipy.stats import spearmanr  # type: ignore[import-untyped]

from healthfm.data import SampleDataset, build_processors, fit_processors, make_loader
from healthfm.errors import UsageError
from healthfm.evaluate.baseline_models import cox_score_statistics
from healthfm.evaluate.baselines import (
    BaselinePrediction,
    fit_predict_haim,
    fit_predict_tabular,
    modality_embeddings,
)
from healthfm.evaluate.tabularize import Tabularizer
from healthfm.model import FoundationModel
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import build_samples, load_task
from healthfm.train.finetune import build_model_config
from healthfm.train.metrics import auroc, harrell_c, macro_auroc
from tests.conftest import make_events
from tests.model.conftest import MODALITIES, TINY_PROCESSORS, Fitted, tiny_config

os.environ.setdefault("OMP_NUM_THREADS", "1")
torch.set_num_threads(1)

T0 = dt.datetime(2020, 6, 1)


def _visible(timeline: PatientTimeline, sample: Sample) -> PatientTimeline:
    return timeline.before(sample.prediction_time)


def _table(subject_id: int, rows: list[tuple[Any, ...]]) -> pa.Table:
    """(time, code, numeric_value, text_value, modality) rows as an event table of one subject."""
    cols = list(zip(*rows, strict=True))
    return pa.table(
        {
            "subject_id": pa.array([subject_id] * len(rows), pa.int64()),
            "time": pa.array(cols[0], pa.timestamp("us")),
            "code": pa.array(cols[1], pa.string()),
            "numeric_value": pa.array(cols[2], pa.float32()),
            "text_value": pa.array(cols[3], pa.large_string()),
            "modality": pa.array(cols[4], pa.string()),
            "blob": pa.nulls(len(rows), pa.string()),
        },
        schema=EVENT_SCHEMA,
    )


class FakeStore:
    """Timelines from hand-built tables (sorted by time, static facts first, as the store keeps them)."""

    def __init__(self, tables: dict[int, pa.Table]) -> None:
        order = {sid: pc.sort_indices(t, [("time", "ascending", "at_start")]) for sid, t in tables.items()}
        self.tables = {sid: t.take(order[sid]) for sid, t in tables.items()}

    def timeline(self, subject_id: int) -> PatientTimeline:
        return PatientTimeline(subject_id, self.tables[subject_id])


def _days(n: float) -> dt.datetime:
    return T0 - dt.timedelta(days=n)


def _hand_built(subject_id: int = 1, late: bool = False) -> pa.Table:
    rows: list[tuple[Any, ...]] = [
        (None, "GENDER/F", None, None, "events"),
        (dt.datetime(1960, 6, 1), "MEDS_BIRTH", None, None, "events"),
        (_days(1000), "LOINC/2093-3", 180.0, None, "events"),
        (_days(400), "LOINC/2093-3", 200.0, None, "events"),
        (_days(100), "LOINC/2093-3", 210.0, None, "events"),
        (_days(10), "LOINC/2093-3", 190.0, None, "events"),
        (_days(5), "LOINC/2093-3", None, None, "events"),  # no value: counts, but `last` stays 190
        (_days(200), "ICD10CM/I10", None, None, "events"),
        (_days(20), "NOTE/consult", None, "Chest pain on exertion, long free text ...", "text"),
        (_days(50), "SLOPE", None, "flat", "events"),
        (_days(3), "SLOPE", None, "up", "events"),
    ]
    if late:  # after the prediction time: must never change a feature
        rows += [
            (T0, "LOINC/2093-3", 999.0, None, "events"),  # at the prediction time is not before it
            (T0 + dt.timedelta(days=1), "LOINC/2093-3", 999.0, None, "events"),
            (T0 + dt.timedelta(days=2), "ICD10CM/I10", None, None, "events"),
            (T0 + dt.timedelta(days=2), "SLOPE", None, "down", "events"),
            (T0 + dt.timedelta(days=3), "ICD10CM/I25.10", None, None, "events"),
        ]
    return _table(subject_id, rows)


# ---------------------------------------------------------------------- Tabularizer on hand-built timelines


def test_windows_counts_recency_last_values_age_and_sex() -> None:
    store = FakeStore({1: _hand_built()})
    sample = Sample(1, T0, 1)
    tab = Tabularizer(windows_days=(30.0, 365.0, None), min_subjects=1).fit(store, [sample], _visible)
    x = tab.transform(store, [sample], _visible)
    assert x.dtype == np.float32 and x.shape == (1, len(tab.feature_names_ or []))
    row = dict(zip(tab.feature_names_ or [], x[0].tolist(), strict=True))
    lab = "LOINC/2093-3"
    assert (row[f"count[30d]:{lab}"], row[f"count[365d]:{lab}"], row[f"count[all]:{lab}"]) == (2, 3, 5)
    assert row[f"days_since_last:{lab}"] == pytest.approx(5.0)
    assert row[f"last:{lab}"] == pytest.approx(190.0)  # the latest value; a later valueless event is no value
    assert (row["count[30d]:ICD10CM/I10"], row["count[all]:ICD10CM/I10"]) == (0, 1)
    assert row["days_since_last:ICD10CM/I10"] == pytest.approx(200.0)
    assert "last:ICD10CM/I10" not in row  # a code without values has no `last`
    # a note counts as an occurrence of its code; its text is never a value or an answer
    assert row["count[30d]:NOTE/consult"] == 1 and "last:NOTE/consult" not in row
    assert not any("Chest pain" in name for name in row)
    # the latest categorical answer, one-hot
    assert (row["last_is[up]:SLOPE"], row["last_is[flat]:SLOPE"]) == (1.0, 0.0)
    assert row["age_years"] == pytest.approx(60.0, abs=0.01) and row["sex_male"] == 0.0
    # birth and sex are their own features, not code columns
    assert not any(name.endswith(("MEDS_BIRTH", "GENDER/F")) for name in row)


def test_a_later_event_never_changes_the_features() -> None:
    early, late = FakeStore({1: _hand_built()}), FakeStore({1: _hand_built(late=True)})
    sample = Sample(1, T0, 1)
    tab = Tabularizer(min_subjects=1).fit(late, [sample], _visible)
    assert "ICD10CM/I25.10" not in (tab.codes_ or [])  # seen only after the prediction time
    assert tab.feature_names_ == Tabularizer(min_subjects=1).fit(early, [sample], _visible).feature_names_
    np.testing.assert_array_equal(
        tab.transform(late, [sample], _visible), tab.transform(early, [sample], _visible)
    )
    # even a careless `visible` that passes everything cannot leak a later event
    leaky = tab.transform(late, [sample], lambda timeline, _sample: timeline)
    np.testing.assert_array_equal(leaky, tab.transform(early, [sample], _visible))


def test_a_missing_value_is_nan_and_an_unseen_code_is_dropped() -> None:
    other = _table(
        2, [(_days(30), "LOINC/9999-9", 1.0, None, "events"), (_days(3), "ICD10CM/I10", None, None, "events")]
    )
    store = FakeStore({1: _hand_built(), 2: other})
    tab = Tabularizer(min_subjects=1).fit(store, [Sample(1, T0, 1)], _visible)
    x = tab.transform(store, [Sample(2, T0, 0)], _visible)
    row = dict(zip(tab.feature_names_ or [], x[0].tolist(), strict=True))
    assert np.isnan(row["last:LOINC/2093-3"]) and np.isnan(row["days_since_last:LOINC/2093-3"])
    assert row["count[all]:LOINC/2093-3"] == 0 and row["days_since_last:ICD10CM/I10"] == pytest.approx(3.0)
    assert np.isnan(row["last_is[up]:SLOPE"])  # never answered: unknown, not "no"
    assert np.isnan(row["age_years"]) and np.isnan(row["sex_male"])
    assert not any("9999-9" in name for name in row)


def test_tabularizer_refuses_bad_use() -> None:
    with pytest.raises(UsageError, match="windows_days"):
        Tabularizer(windows_days=(30.0, -1.0))
    with pytest.raises(UsageError, match="distinct"):
        Tabularizer(windows_days=(30.0, 30.0))
    with pytest.raises(UsageError, match="not fitted"):
        Tabularizer().transform(FakeStore({1: _hand_built()}), [Sample(1, T0, 1)], _visible)
    with pytest.raises(UsageError, match="at least one training sample"):
        Tabularizer().fit(FakeStore({}), [], _visible)


# ---------------------------------------------------------------------- Tabularizer on stores


def test_vocabulary_comes_from_training_samples_only(store: PatientStore) -> None:
    """A code only held-out patients have never becomes a feature, however common it is there."""
    train_ids, held_ids = list(range(1, 31)), list(range(31, 41))
    extra = pa.table(
        {
            "subject_id": pa.array(held_ids, pa.int64()),
            "time": pa.array([dt.datetime(2029, 6, 1)] * len(held_ids), pa.timestamp("us")),
            "code": pa.array(["ICD10CM/HELD.OUT"] * len(held_ids), pa.string()),
            "numeric_value": pa.array([1.0] * len(held_ids), pa.float32()),
        }
    )
    store.append(make_events(train_ids + held_ids, per_subject=6, seed=3))
    store.append(extra)
    when = dt.datetime(2030, 1, 1)
    train = [Sample(i, when, i % 2) for i in train_ids]
    held = [Sample(i, when, i % 2) for i in held_ids]
    tab = Tabularizer(min_subjects=5).fit(store, train, _visible)
    assert "ICD10CM/HELD.OUT" not in (tab.codes_ or [])
    assert not any("HELD.OUT" in name for name in tab.feature_names_ or [])
    assert tab.transform(store, held, _visible).shape == (len(held), len(tab.feature_names_ or []))
    both = Tabularizer(min_subjects=5).fit(store, train + held, _visible)
    assert "ICD10CM/HELD.OUT" in (both.codes_ or [])  # the same code is learned once it is in training


def test_events_appended_after_the_prediction_time_change_nothing(store: PatientStore) -> None:
    ids = list(range(1, 21))
    store.append(make_events(ids, per_subject=8, seed=4))
    when = dt.datetime(2040, 1, 1)
    samples = [Sample(i, when, i % 2) for i in ids]
    tab = Tabularizer(min_subjects=3).fit(store, samples, _visible)
    before = tab.transform(store, samples, _visible)
    late = pa.table(
        {
            "subject_id": pa.array(ids * 2, pa.int64()),
            "time": pa.array(
                [when] * len(ids) + [when + dt.timedelta(days=30)] * len(ids), pa.timestamp("us")
            ),
            "code": pa.array(["LOINC/2093-3"] * len(ids) + ["ICD10CM/LATE"] * len(ids), pa.string()),
            "numeric_value": pa.array([999.0] * len(ids) + [None] * len(ids), pa.float32()),
        }
    )
    store.append(late)
    assert "ICD10CM/LATE" in store.timeline(1).codes
    np.testing.assert_array_equal(tab.transform(store, samples, _visible), before)
    assert Tabularizer(min_subjects=3).fit(store, samples, _visible).feature_names_ == tab.feature_names_


def _reference_row(timeline: PatientTimeline, sample: Sample, tab: Tabularizer) -> dict[str, float]:
    """The features of one sample by a plain loop over its events (an independent implementation)."""
    out: dict[str, float] = {}
    visible = [e for e in timeline.events() if e.time is None or e.time < sample.prediction_time]
    for code in tab.codes_ or []:
        mine = [e for e in visible if e.code == code]
        ages = [
            0.0 if e.time is None else (sample.prediction_time - e.time).total_seconds() / 86400 for e in mine
        ]
        for w in tab.windows_days:
            out[f"count[{'all' if w is None else f'{w:g}d'}]:{code}"] = sum(w is None or a <= w for a in ages)
        out[f"days_since_last:{code}"] = min(ages) if ages else np.nan
        if code in (tab.numeric_codes_ or []):
            valued = [e for e in mine if e.numeric_value is not None and e.modality is Modality.EVENTS]
            out[f"last:{code}"] = valued[-1].numeric_value if valued else np.nan  # type: ignore[assignment]
    return out


def test_features_on_the_cohort_match_a_plain_loop(cohort_store: PatientStore) -> None:
    task = load_task("cardiac_disease")
    train = build_samples(cohort_store, task, "train")
    held = build_samples(cohort_store, task, "held_out") or train[:5]
    tab = Tabularizer(min_subjects=3, max_codes=10_000).fit(cohort_store, train, task.visible)
    # the vocabulary: every code at least 3 training patients have before their prediction time
    seen: Counter[str] = Counter()
    for subject in {s.subject_id for s in train}:
        codes: set[str] = set()
        for s in (s for s in train if s.subject_id == subject):
            codes.update(task.visible(cohort_store.timeline(subject), s).codes)
        seen.update(codes)
    expected = {c for c, n in seen.items() if n >= 3 and c != "MEDS_BIRTH" and not c.startswith("GENDER/")}
    assert set(tab.codes_ or []) == expected
    top = sorted(expected, key=lambda c: (-seen[c], c))[:5]  # most frequent first, capped
    assert Tabularizer(min_subjects=3, max_codes=5).fit(cohort_store, train, task.visible).codes_ == top
    x = tab.transform(cohort_store, held, task.visible)
    names = tab.feature_names_ or []
    for i, sample in enumerate(held[:8]):
        ref = _reference_row(cohort_store.timeline(sample.subject_id), sample, tab)
        got = {n: float(v) for n, v in zip(names, x[i].tolist(), strict=True) if n in ref}
        assert got.keys() == ref.keys()
        for name, value in ref.items():
            assert got[name] == pytest.approx(value, rel=1e-5, abs=1e-3, nan_ok=True), name


# ---------------------------------------------------------------------- baselines on a planted signal


def _planted(n: int = 500, seed: int = 0) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Features with constant, all-missing and partly missing columns; column 0 drives the outcome."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 12))
    x[:, 3] = 7.0  # constant
    x[:, 4] = np.nan  # never observed
    x[rng.random(n) < 0.3, 5] = np.nan
    return x, 2.5 * x[:, 0]


def _splits(a: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], ...]:
    n = len(a)
    return a[: int(n * 0.6)], a[int(n * 0.6) : int(n * 0.8)], a[int(n * 0.8) :]


def test_binary_baselines_beat_chance() -> None:
    x, signal = _planted()
    y = (np.random.default_rng(1).random(len(x)) < 1 / (1 + np.exp(-signal))).astype(int)
    (xa, xb, xc), (ya, yb, yc) = _splits(x), _splits(y)
    out = fit_predict_tabular(xa, ya, xb, yb, xc, kind="binary", seed=0)
    assert set(out) == {"logistic_regression", "lightgbm"}
    for pred in out.values():
        assert isinstance(pred, BaselinePrediction) and pred.test.shape == (len(xc),)
        assert ((pred.test >= 0) & (pred.test <= 1)).all()
        assert auroc(yc, pred.test) > 0.8, pred.name
        assert pred.metric == "auroc" and pred.tune_score > 0.8 and pred.fit_seconds > 0
    assert out["logistic_regression"].params["C"] in (0.001, 0.01, 0.1, 1.0, 10.0)
    assert out["lightgbm"].params["rounds"] >= 1


def test_binary_baselines_do_not_beat_chance_without_a_signal() -> None:
    x, _ = _planted()
    y = (np.random.default_rng(2).random(len(x)) < 0.5).astype(int)
    (xa, xb, xc), (ya, yb, yc) = _splits(x), _splits(y)
    for pred in fit_predict_tabular(xa, ya, xb, yb, xc, kind="binary").values():
        assert 0.3 < auroc(yc, pred.test) < 0.7, pred.name


def test_multiclass_and_multilabel_baselines_beat_chance() -> None:
    x, signal = _planted()
    rng = np.random.default_rng(3)
    classes = np.digitize(signal + rng.normal(size=len(x)), [-1.5, 1.5])
    labels = np.stack([signal > 0, x[:, 1] + rng.normal(size=len(x)) > 0.5, np.zeros(len(x), bool)], axis=1)
    labels = labels.astype(int)
    for kind, y in (("multiclass", classes), ("multilabel", labels)):
        (xa, xb, xc), (ya, yb, yc) = _splits(x), _splits(y)
        for pred in fit_predict_tabular(xa, ya, xb, yb, xc, kind=kind).values():
            assert pred.test.shape == (len(xc), 3)
            assert macro_auroc(yc, pred.test) > 0.8, (kind, pred.name)
            if kind == "multiclass":
                np.testing.assert_allclose(pred.test.sum(axis=1), 1.0, rtol=1e-6)
            else:  # a label never seen in training: its training rate
                np.testing.assert_array_equal(pred.test[:, 2], 0.0)


def _survival(
    n: int = 400, seed: int = 4
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    x, signal = _planted(n, seed)
    rng = np.random.default_rng(seed)
    event_time = rng.exponential(365.0, n) * np.exp(-0.6 * signal)
    censor = rng.uniform(0, 1500.0, n)
    return x, np.minimum(event_time, censor), event_time <= censor


def test_cox_ranks_like_a_direct_lifelines_fit() -> None:
    x, time_days, event = _survival()
    (xa, xb, xc), (ta, tb, tc), (ea, eb, ec) = _splits(x), _splits(time_days), _splits(event)
    out = fit_predict_tabular(
        xa, None, xb, None, xc, kind="survival", train_time=ta, train_event=ea, tune_time=tb, tune_event=eb
    )
    assert set(out) == {"cox_ph"}
    pred = out["cox_ph"]
    assert pred.metric == "c_index" and harrell_c(tc, ec, pred.test) > 0.65
    # lifelines on the same informative columns (the constant and never-observed ones dropped)
    cols = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11]
    train = pd.DataFrame(
        np.nan_to_num(xa[:, cols], nan=float(np.nanmedian(xa[:, 5]))), columns=[f"c{c}" for c in cols]
    )
    train["missing5"] = np.isnan(xa[:, 5]).astype(float)
    test = pd.DataFrame(
        np.nan_to_num(xc[:, cols], nan=float(np.nanmedian(xa[:, 5]))), columns=[f"c{c}" for c in cols]
    )
    test["missing5"] = np.isnan(xc[:, 5]).astype(float)
    direct = CoxPHFitter(penalizer=pred.params["penalizer"]).fit(
        train.assign(T=ta, E=ea.astype(int)), duration_col="T", event_col="E"
    )
    rho = spearmanr(pred.test, np.asarray(direct.predict_partial_hazard(test))).statistic
    assert rho > 0.99


def test_cox_score_screen_finds_the_driving_column() -> None:
    x, time_days, event = _survival()
    z = np.nan_to_num(x[:, [0, 1, 2, 6]])
    stats = cox_score_statistics(z, time_days, event)
    assert int(np.argmax(stats)) == 0 and stats[0] > 10 * stats[1:].max()


def test_cox_screens_many_columns_down() -> None:
    x, time_days, event = _survival()
    wide = np.hstack([x, np.random.default_rng(5).normal(size=(len(x), 90))])
    (xa, xb, xc), (ta, tb, _), (ea, eb, _) = _splits(wide), _splits(time_days), _splits(event)
    pred = fit_predict_tabular(
        xa, ta, xb, tb, xc, kind="survival", train_event=ea, tune_event=eb, max_cox_features=8
    )["cox_ph"]
    assert pred.params["features"] == 8 and pred.tune_score > 0.65


def test_tiny_splits_still_fit() -> None:
    x, signal = _planted(n=24)
    y = (signal > 0).astype(int)
    y[:2] = (0, 1)
    out = fit_predict_tabular(x[:14], y[:14], x[14:18], np.zeros(4, int), x[18:], kind="binary")
    for pred in out.values():  # one class in the tuning split: chosen by log-loss, AUROC unknown
        assert pred.test.shape == (6,) and np.isfinite(pred.test).all() and np.isnan(pred.tune_score)


def test_features_with_no_information_give_the_training_rate() -> None:
    x = np.full((12, 3), np.nan)
    x[:, 1] = 3.0  # constant; the other columns are never observed
    y = np.array([0, 1, 1, 1] * 3)
    for pred in fit_predict_tabular(x, y, x, y, x, kind="binary").values():
        np.testing.assert_allclose(pred.test, 0.75, atol=1e-3)
    cox = fit_predict_tabular(
        x, np.arange(12.0), x, np.arange(12.0), x, kind="survival", train_event=y, tune_event=y
    )
    assert cox["cox_ph"].params["features"] == 0 and np.ptp(cox["cox_ph"].test) == 0
    haim = fit_predict_haim(
        {"image": x},
        np.arange(12.0),
        {"image": x},
        np.arange(12.0),
        {"image": x},
        kind="survival",
        train_event=y,
        tune_event=y,
    )
    assert np.ptp(haim.test) == 0


def test_bad_input_is_refused_with_a_specific_message() -> None:
    x, signal = _planted(n=60)
    y = (signal > 0).astype(int)
    with pytest.raises(UsageError, match="not supported"):
        fit_predict_tabular(x, y, x, y, x, kind="ranking")
    with pytest.raises(UsageError, match=r"y_train has shape \(59,\)"):
        fit_predict_tabular(x, y[:-1], x, y, x, kind="binary")
    with pytest.raises(UsageError, match="X_test has 11 features"):
        fit_predict_tabular(x, y, x, y, x[:, :-1], kind="binary")
    with pytest.raises(UsageError, match="only class 0"):
        fit_predict_tabular(x, np.zeros(60, int), x, y, x, kind="binary")
    with pytest.raises(UsageError, match="class indices"):
        fit_predict_tabular(x, y + 0.5, x, y, x, kind="multiclass")
    with pytest.raises(UsageError, match="train_event and tune_event"):
        fit_predict_tabular(x, np.ones(60), x, np.ones(60), x, kind="survival")
    with pytest.raises(UsageError, match="no observed event"):
        fit_predict_tabular(
            x,
            np.ones(60),
            x,
            np.ones(60),
            x,
            kind="survival",
            train_event=np.zeros(60),
            tune_event=np.ones(60),
        )
    emb = {"events": x[:, :4], "image": x[:, 4:8]}
    with pytest.raises(UsageError, match="emb_test has modalities"):
        fit_predict_haim(emb, y, emb, y, {"events": x[:, :4]}, kind="binary")
    with pytest.raises(UsageError, match="different numbers of rows"):
        fit_predict_haim({"events": x[:, :4], "image": x[:10, 4:8]}, y, emb, y, emb, kind="binary")


# ---------------------------------------------------------------------- HAIM on a tiny untrained model


@pytest.fixture(scope="module")
def tiny(cohort_store: PatientStore) -> Iterator[tuple[Fitted, FoundationModel]]:
    """The tiny pipeline of tests/model/conftest.py without the text encoder (its import alone takes
    seconds); untrained."""
    task = load_task("cardiac_disease")
    train = build_samples(cohort_store, task, "train")
    modalities = tuple(m for m in MODALITIES if m != "text")
    procs = build_processors(
        [Modality(m) for m in modalities],
        {Modality(m): TINY_PROCESSORS[m] for m in modalities if m in TINY_PROCESSORS},
    )
    fit_processors(cohort_store, train, procs, task.visible)
    fitted = Fitted(
        task,
        train,
        procs,
        SampleDataset(cohort_store, train, procs, visible=task.visible),
        tiny_config(task.name, modalities=modalities),
    )
    torch.manual_seed(0)
    config = build_model_config(fitted.config, task, procs, train)
    yield fitted, FoundationModel(config)


def test_haim_on_embeddings_of_a_tiny_model(tiny: tuple[Fitted, FoundationModel]) -> None:
    fitted, model = tiny
    model.train()
    loader = make_loader(fitted.dataset, fitted.processors, str(fitted.task.kind), 16, shuffle=False)
    ids, emb = modality_embeddings(model, loader, "cpu")
    assert model.training  # the mode is restored
    n = len(fitted.dataset)
    assert ids.tolist() == [s.subject_id for s in fitted.dataset.samples]
    assert set(emb) == {m.value for m in model.modalities}
    for modality in model.modalities:
        rows = emb[modality.value]
        assert rows.shape == (n, model.config.d_model) and rows.dtype == np.float32
        absent = np.array([fitted.dataset[i].inputs[modality] is None for i in range(n)])
        np.testing.assert_array_equal(np.isnan(rows).all(axis=1), absent)
        assert np.isfinite(rows[~absent]).all()
    assert any(np.isnan(v).any() for v in emb.values())  # the cohort lacks some modalities
    y = np.array([s.label for s in fitted.dataset.samples], dtype=int)
    a, b = int(n * 0.6), int(n * 0.8)
    train, tune, test = ({m: v[lo:hi] for m, v in emb.items()} for lo, hi in ((0, a), (a, b), (b, n)))
    pred = fit_predict_haim(train, y[:a], tune, y[a:b], test, kind="binary", seed=0)
    assert pred.name == "haim_lightgbm" and pred.test.shape == (n - b,) and np.isfinite(pred.test).all()


def test_haim_handles_missing_modalities_and_survival() -> None:
    x, time_days, event = _survival(n=300)
    rng = np.random.default_rng(6)
    emb = {"events": x[:, :6].copy(), "image": rng.normal(size=(300, 8))}
    emb["events"][:, 4] = rng.normal(size=300)  # no all-NaN column inside an embedding
    emb["image"][rng.random(300) < 0.5] = np.nan  # half the patients have no image
    split = [{m: v[lo:hi] for m, v in emb.items()} for lo, hi in ((0, 180), (180, 240), (240, 300))]
    (ta, tb, tc), (ea, eb, ec) = (
        (time_days[:180], time_days[180:240], time_days[240:]),
        (event[:180], event[180:240], event[240:]),
    )
    pred = fit_predict_haim(
        split[0], ta, split[1], tb, split[2], kind="survival", train_event=ea, tune_event=eb, n_components=4
    )
    assert pred.name == "haim_cox" and pred.params["features"] <= 4
    assert harrell_c(tc, ec, pred.test) > 0.6
    y = (x[:, 0] > 0).astype(int)
    clf = fit_predict_haim(split[0], y[:180], split[1], y[180:240], split[2], kind="binary")
    assert auroc(y[240:], clf.test) > 0.8
