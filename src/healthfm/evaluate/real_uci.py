"""UCI heart disease, external validation: train on Cleveland + Hungary, test on Switzerland + VA Long Beach.

Label: angiographic disease (num > 0). Inputs: the 13 standard variables (age, sex, cp, trestbps, chol,
fbs, restecg, thalch, exang, oldpeak, slope, ca, thal); the site is never an input. A cholesterol or
resting blood pressure of 0 is a missing value in this file (all of Switzerland's cholesterol) and is
treated as missing by every method. Validation (hyperparameters, epochs) is carved from the training
sites only, stratified by site and label; every method fits on the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
from rich.console import Console
from sklearn.metrics import roc_auc_score

from healthfm.datasets import load_uci
from healthfm.demo import UCI_INDEX_DATE, UCI_NUMERIC, pseudo_id
from healthfm.errors import DataError
from healthfm.evaluate.real import (
    HEALTHFM,
    BenchOptions,
    BenchResult,
    Index,
    MemoryStore,
    MethodResult,
    Metric,
    score_methods,
    split_indices,
    timeline_of,
)
from healthfm.evaluate.real_healthfm import fit_healthfm, tabular_setup
from healthfm.schema import BIRTH_CODE, PatientTimeline, Sample
from healthfm.tasks import Label, PredictionTime, Task, TaskKind

TRAIN_SITES = ("Cleveland", "Hungary")
TEST_SITES = ("Switzerland", "VA Long Beach")
NUMERIC = ("age", "trestbps", "chol", "thalch", "oldpeak", "ca")
CATEGORICAL = ("sex", "cp", "restecg", "fbs", "exang", "slope", "thal")
ZERO_IS_MISSING = ("chol", "trestbps")
ANGIOGRAPHY = "SNOMED/33367005"  # the work-up ends in coronary angiography: the prediction time
DISEASE = "ICD10CM/I25.10"  # > 50 % narrowing found at angiography (as the demo store codes it)
VALIDATION_FRACTION = 0.2

TASK = Task(
    name="uci_heart_disease",
    kind=TaskKind.BINARY,
    description="Angiographic coronary disease (UCI num > 0), predicted from the work-up before angiography.",
    prediction_time=PredictionTime(anchor_codes=(ANGIOGRAPHY,)),
    horizon_days=1.0,
    label=Label(codes=(DISEASE,), exclude_censored=False),
)


def value(row: dict[str, str], column: str) -> float | None:
    """A numeric UCI value, None when missing (empty, NA, or a 0 that stands for missing)."""
    text = row[column]
    if text in ("", "NA"):
        return None
    number = float(text)
    if column in ZERO_IS_MISSING and number == 0:
        return None
    return number


def answer(row: dict[str, str], column: str) -> str | None:
    text = row[column]
    return None if text in ("", "NA") else text


def uci_events(row: dict[str, str]) -> Iterator[dict[str, Any]]:
    """One UCI row as MEDS events: the work-up at the index date, angiography a minute later, and the
    diagnosis an hour later when num > 0. Categorical variables are answers (`text_value`), which the
    tabular processor turns into categorical columns with their own missing id."""
    age = float(row["age"])
    yield {"time": UCI_INDEX_DATE - dt.timedelta(days=round(age * 365.25)), "code": BIRTH_CODE}
    yield {"time": None, "code": f"GENDER/{'F' if row['sex'] == 'Female' else 'M'}"}
    for column, code in UCI_NUMERIC.items():
        number = value(row, column)
        if number is not None:
            yield {"time": UCI_INDEX_DATE, "code": code, "numeric_value": number}
    for column in CATEGORICAL[1:]:
        text = answer(row, column)
        if text is not None:
            yield {"time": UCI_INDEX_DATE, "code": f"UCI/{column}", "text_value": text}
    yield {"time": UCI_INDEX_DATE + dt.timedelta(minutes=1), "code": ANGIOGRAPHY}
    if int(row["num"]) > 0:
        yield {"time": UCI_INDEX_DATE + dt.timedelta(hours=1), "code": DISEASE}


def uci_split(rows: list[dict[str, str]], seed: int) -> dict[str, Index]:
    """Row indices: train / tuning from the training sites (stratified by site and label), test = the other
    two sites, whole."""
    sites = np.asarray([r["dataset"] for r in rows])
    unknown = sorted(set(sites) - set(TRAIN_SITES) - set(TEST_SITES))
    if unknown:
        raise DataError(f"UCI heart: unexpected site(s) {unknown}")
    labels = np.asarray([int(r["num"]) > 0 for r in rows])
    train_rows = np.flatnonzero(np.isin(sites, TRAIN_SITES))
    strata = [f"{sites[i]}/{labels[i]}" for i in train_rows]
    inner, tuning = split_indices(
        len(train_rows), [1 - VALIDATION_FRACTION, VALIDATION_FRACTION], seed, strata
    )
    return {
        "train": train_rows[inner],
        "tuning": train_rows[tuning],
        "test": np.flatnonzero(np.isin(sites, TEST_SITES)),
    }


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """The 13 variables as the baselines read them: numbers (NaN = missing) and category strings (NaN)."""
    data: dict[str, list[Any]] = {c: [] for c in (*NUMERIC, *CATEGORICAL)}
    for row in rows:
        for c in NUMERIC:
            number = value(row, c)
            data[c].append(np.nan if number is None else number)
        for c in CATEGORICAL:
            text = answer(row, c)
            data[c].append(np.nan if text is None else text)
    return pd.DataFrame({c: pd.Series(v, dtype=float if c in NUMERIC else object) for c, v in data.items()})


def _auroc(y: np.ndarray[Any, Any], score: np.ndarray[Any, Any]) -> float:
    return float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else float("nan")


def fit_logistic(
    x: dict[str, pd.DataFrame], y: dict[str, np.ndarray[Any, Any]], grid: list[float], seed: int
) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, Any], float]:
    """Median imputation + missing indicators + standardisation, one-hot categoricals (missing is its own
    category); C chosen by validation AUROC."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    best: tuple[float, float, Any] | None = None
    for c in grid:
        design = ColumnTransformer(
            [
                (
                    "numeric",
                    make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
                    list(NUMERIC),
                ),
                (
                    "categorical",
                    make_pipeline(
                        SimpleImputer(strategy="constant", fill_value="missing"),
                        OneHotEncoder(handle_unknown="ignore"),
                    ),
                    list(CATEGORICAL),
                ),
            ]
        )
        model = Pipeline(
            [("design", design), ("lr", LogisticRegression(C=c, max_iter=5000, random_state=seed))]
        )
        model.fit(x["train"], y["train"])
        tuned = _auroc(y["tuning"], model.predict_proba(x["tuning"])[:, 1])
        if best is None or tuned > best[0]:
            best = (tuned, c, model)
    assert best is not None
    model = best[2]
    preds = {k: model.predict_proba(x[k])[:, 1] for k in ("tuning", "test")}
    return preds, {"C": best[1]}, best[0]


def lightgbm_frame(x: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Categoricals as pandas categories with the training levels (unseen or missing -> NaN)."""
    out = x.copy()
    for c in CATEGORICAL:
        out[c] = pd.Categorical(x[c], categories=categories[c])
    return out


def fit_lightgbm(
    x: dict[str, pd.DataFrame], y: dict[str, np.ndarray[Any, Any]], grid: list[dict[str, Any]], seed: int
) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, Any], float]:
    """Native missing values and categoricals; trees early-stopped on validation, grid chosen on it."""
    import lightgbm as lgb

    categories = {c: sorted(x["train"][c].dropna().unique().tolist()) for c in CATEGORICAL}
    frames = {k: lightgbm_frame(v, categories) for k, v in x.items()}
    best: tuple[float, dict[str, Any], Any] | None = None
    for params in grid:
        model = lgb.LGBMClassifier(
            n_estimators=2000, random_state=seed, n_jobs=1, verbose=-1, subsample_freq=0, **params
        )
        model.fit(
            frames["train"],
            y["train"],
            eval_X=(frames["tuning"],),
            eval_y=(y["tuning"],),
            eval_metric="auc",
            callbacks=[lgb.early_stopping(100, verbose=False)],
        )
        tuned = _auroc(y["tuning"], np.asarray(model.predict_proba(frames["tuning"]))[:, 1])
        if best is None or tuned > best[0]:
            best = (tuned, {**params, "n_estimators": int(model.best_iteration_)}, model)
    assert best is not None
    model = best[2]
    preds = {k: np.asarray(model.predict_proba(frames[k]))[:, 1] for k in ("tuning", "test")}
    return preds, best[1], best[0]


def samples_of(timelines: dict[int, PatientTimeline]) -> dict[int, Sample]:
    out = {}
    for sid, timeline in timelines.items():
        found = TASK.samples(timeline)
        if len(found) != 1:
            raise DataError(f"UCI subject {sid}: the task gave {len(found)} samples, expected 1")
        out[sid] = found[0]
    return out


def run(out: Path, options: BenchOptions, console: Console) -> BenchResult:
    rows = load_uci()
    parts = uci_split(rows, options.seed)
    ids = [pseudo_id("uci-heart", str(i)) for i in range(len(rows))]
    labels = np.asarray([int(r["num"]) > 0 for r in rows], dtype=int)
    timelines = {sid: timeline_of(sid, uci_events(row)) for sid, row in zip(ids, rows, strict=True)}
    samples = samples_of(timelines)
    wrong = [i for i, sid in enumerate(ids) if samples[sid].label != labels[i]]
    if wrong:
        raise DataError(
            f"UCI: the task's label differs from num > 0 for {len(wrong)} rows (first: row {wrong[0]})"
        )
    store = MemoryStore(timelines, {k: [ids[i] for i in v] for k, v in parts.items()})
    splits = {k: [samples[ids[i]] for i in v] for k, v in parts.items()}
    y = {k: labels[v] for k, v in parts.items()}
    methods: list[MethodResult] = []
    tests: dict[str, np.ndarray[Any, Any]] = {}

    t = time.perf_counter()
    fit = fit_healthfm(
        store, TASK, splits, tabular_setup(options.quick, options.seed), out / HEALTHFM, console
    )
    methods.append(
        fit.method("healthfm (tabular encoder + classification head)", "auroc", time.perf_counter() - t)
    )
    tests[HEALTHFM] = fit.test

    x = {k: frame([rows[i] for i in v]) for k, v in parts.items()}
    t = time.perf_counter()
    c_grid = [0.1, 1.0] if options.quick else [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]
    preds, chosen, tuned = fit_logistic(x, y, c_grid, options.seed)
    methods.append(
        MethodResult("logistic", "logistic regression", {}, {"auroc": tuned}, chosen, time.perf_counter() - t)
    )
    tests["logistic"] = preds["test"]

    t = time.perf_counter()
    lgb_grid = (
        [{"num_leaves": 8, "learning_rate": 0.1, "min_child_samples": 20}]
        if options.quick
        else [
            {"num_leaves": leaves, "learning_rate": lr, "min_child_samples": m}
            for leaves in (2, 4, 8, 16)
            for lr in (0.03, 0.1)
            for m in (5, 10, 30)
        ]
    )
    preds, chosen, tuned = fit_lightgbm(x, y, lgb_grid, options.seed)
    methods.append(
        MethodResult("lightgbm", "LightGBM", {}, {"auroc": tuned}, chosen, time.perf_counter() - t)
    )
    tests["lightgbm"] = preds["test"]

    y_test = y["test"]
    test_sites = np.asarray([rows[i]["dataset"] for i in parts["test"]])
    per_site = {
        site: {
            "patients": int((test_sites == site).sum()),
            "positives": int(y_test[test_sites == site].sum()),
            "auroc": {
                name: _auroc(y_test[test_sites == site], p[test_sites == site]) for name, p in tests.items()
            },
        }
        for site in TEST_SITES
    }

    def auroc_of(pred: np.ndarray[Any, Any]) -> Metric:
        return lambda idx: _auroc(y_test[idx], pred[idx])

    return score_methods(
        "uci",
        "UCI heart disease — external validation "
        "(train Cleveland + Hungary, test Switzerland + VA Long Beach)",
        methods,
        {name: {"auroc": auroc_of(pred)} for name, pred in tests.items()},
        len(y_test),
        {k: len(v) for k, v in parts.items()},
        {
            "split": "by site: train and validation (80/20, stratified by site and label) from Cleveland + "
            "Hungary; test = every Switzerland and VA Long Beach patient",
            "label": "num > 0",
            "inputs": "13 variables; site excluded; chol = 0 and trestbps = 0 read as missing",
            "positives": {k: int(v.sum()) for k, v in y.items()},
            "per_test_site": per_site,
            "healthfm_grid": fit.grid,
            "healthfm_parameters": fit.parameters,
        },
        options.n_boot,
        options.seed,
    )
