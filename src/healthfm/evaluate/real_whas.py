"""WHAS500 (Worcester Heart Attack Study, shipped inside scikit-survival): all-cause death after admission
for acute myocardial infarction, 500 patients, 215 deaths, follow-up up to 6.5 years.

One patient split, fixed seed: 70 % training (of which a fifth is the validation split) and 30 % test,
stratified by the death indicator. Inputs: the 14 standard covariates, the same for every method (the
length of stay `los` is part of the standard set although it is only known at discharge). Metrics on
the test patients: Harrell's C and Uno's C (inverse-probability-of-censoring weights fitted on the
training patients, truncated at 5 years).
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

from healthfm.demo import pseudo_id
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
from healthfm.schema import BIRTH_CODE, DEATH_CODE, Sample
from healthfm.tasks import Label, PredictionTime, Task, TaskKind

ADMISSION_DATE = dt.datetime(1997, 1, 1)  # the data carry no dates: one nominal admission date for all
ADMISSION = "WHAS/admission"
FOLLOW_UP = "WHAS/last_contact"
NUMERIC_CODES = {
    "hr": "LOINC/8867-4",  # heart rate at admission
    "sysbp": "LOINC/8480-6",  # systolic blood pressure
    "diasbp": "LOINC/8462-4",  # diastolic blood pressure
    "bmi": "LOINC/39156-5",  # body mass index
    "los": "WHAS/los",  # length of hospital stay, days
}
BINARY = ("afb", "av3", "chf", "cvd", "miord", "mitype", "sho")  # yes = 1
NUMERIC = ("age", *NUMERIC_CODES)
FRACTIONS = (0.56, 0.14, 0.30)  # train, validation (a fifth of the 70 %), test
UNO_TAU_DAYS = 1825.0

TASK = Task(
    name="whas500_death",
    kind=TaskKind.SURVIVAL,
    description="All-cause death after admission for acute myocardial infarction (WHAS500).",
    prediction_time=PredictionTime(anchor_codes=(ADMISSION,)),
    label=Label(codes=(DEATH_CODE,)),
)


def load_whas() -> tuple[pd.DataFrame, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Covariates (numbers; binary columns as 0/1), follow-up days, death indicator."""
    from sksurv.datasets import load_whas500

    x, y = load_whas500()
    frame = pd.DataFrame({c: x[c].astype(float) for c in x.columns})
    return frame, np.asarray(y["lenfol"], dtype=float), np.asarray(y["fstat"], dtype=bool)


def whas_events(row: pd.Series, days: float, died: bool) -> Iterator[dict[str, Any]]:
    """One patient: covariates recorded just before the admission (the prediction time), then death or the
    last contact `days` after admission."""
    workup = ADMISSION_DATE - dt.timedelta(minutes=1)
    yield {"time": ADMISSION_DATE - dt.timedelta(days=round(float(row["age"]) * 365.25)), "code": BIRTH_CODE}
    yield {"time": None, "code": "GENDER/F" if row["gender"] == 1 else "GENDER/M"}
    for column, code in NUMERIC_CODES.items():
        yield {"time": workup, "code": code, "numeric_value": float(row[column])}
    for column in BINARY:
        yield {"time": workup, "code": f"WHAS/{column}", "text_value": "yes" if row[column] == 1 else "no"}
    yield {"time": ADMISSION_DATE, "code": ADMISSION}
    end = ADMISSION_DATE + dt.timedelta(days=days)
    yield {"time": end, "code": DEATH_CODE if died else FOLLOW_UP}


def whas_split(died: np.ndarray[Any, Any], seed: int) -> dict[str, Index]:
    train, tuning, test = split_indices(len(died), FRACTIONS, seed, strata=died.astype(int))
    return {"train": train, "tuning": tuning, "test": test}


def harrell(time_: np.ndarray[Any, Any], event: np.ndarray[Any, Any], risk: np.ndarray[Any, Any]) -> float:
    from sksurv.metrics import concordance_index_censored

    if not event.any():
        return float("nan")
    return float(concordance_index_censored(event, time_, risk)[0])


def structured(event: np.ndarray[Any, Any], time_: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    from sksurv.util import Surv

    return Surv.from_arrays(event=event, time=time_)  # type: ignore[no-any-return]


def fit_cox(
    x: dict[str, pd.DataFrame],
    surv: dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]],
    grid: list[float],
) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, Any], float]:
    """lifelines' Cox model on standardised covariates; the ridge penalizer chosen by validation C."""
    from lifelines import CoxPHFitter

    mean, scale = x["train"].mean(), x["train"].std().replace(0, 1.0)
    z = {k: (v - mean) / scale for k, v in x.items()}
    best: tuple[float, float, Any] | None = None
    for penalizer in grid:
        frame = z["train"].assign(T=surv["train"][0], E=surv["train"][1].astype(int))
        model = CoxPHFitter(penalizer=penalizer, l1_ratio=0.0)
        model.fit(frame, duration_col="T", event_col="E")
        risk = np.asarray(model.predict_partial_hazard(z["tuning"]), dtype=float)
        tuned = harrell(*surv["tuning"], risk)
        if best is None or tuned > best[0]:
            best = (tuned, penalizer, model)
    assert best is not None
    model = best[2]
    preds = {k: np.asarray(model.predict_partial_hazard(z[k]), dtype=float) for k in ("tuning", "test")}
    return preds, {"penalizer": best[1]}, best[0]


def fit_rsf(
    x: dict[str, pd.DataFrame],
    surv: dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]],
    grid: list[dict[str, Any]],
    n_estimators: int,
    seed: int,
) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, Any], float]:
    from sksurv.ensemble import RandomSurvivalForest

    arrays = {k: v.to_numpy(dtype=float) for k, v in x.items()}
    best: tuple[float, dict[str, Any], Any] | None = None
    for params in grid:
        model = RandomSurvivalForest(n_estimators=n_estimators, random_state=seed, n_jobs=1, **params)
        model.fit(arrays["train"], structured(surv["train"][1], surv["train"][0]))
        tuned = harrell(*surv["tuning"], model.predict(arrays["tuning"]))
        if best is None or tuned > best[0]:
            best = (tuned, params, model)
    assert best is not None
    model = best[2]
    preds = {k: np.asarray(model.predict(arrays[k]), dtype=float) for k in ("tuning", "test")}
    return preds, {**best[1], "n_estimators": n_estimators}, best[0]


def run(out: Path, options: BenchOptions, console: Console) -> BenchResult:
    x_all, days, died = load_whas()
    parts = whas_split(died, options.seed)
    ids = [pseudo_id("whas500", str(i)) for i in range(len(days))]
    timelines = {
        sid: timeline_of(sid, whas_events(x_all.iloc[i], float(days[i]), bool(died[i])))
        for i, sid in enumerate(ids)
    }
    samples: dict[int, Sample] = {}
    for i, sid in enumerate(ids):
        found = TASK.samples(timelines[sid])
        if (
            len(found) != 1
            or found[0].event_observed != died[i]
            or abs((found[0].event_time_days or 0) - days[i]) > 1e-6
        ):
            raise DataError(f"WHAS500 patient {i}: the task's label differs from (lenfol, fstat)")
        samples[sid] = found[0]
    store = MemoryStore(timelines, {k: [ids[i] for i in v] for k, v in parts.items()})
    splits = {k: [samples[ids[i]] for i in v] for k, v in parts.items()}
    surv = {k: (days[v], died[v]) for k, v in parts.items()}
    methods: list[MethodResult] = []
    tests: dict[str, np.ndarray[Any, Any]] = {}

    t = time.perf_counter()
    fit = fit_healthfm(
        store, TASK, splits, tabular_setup(options.quick, options.seed), out / HEALTHFM, console
    )
    methods.append(
        fit.method(
            "healthfm (tabular encoder + discrete-time survival head)", "harrell_c", time.perf_counter() - t
        )
    )
    tests[HEALTHFM] = fit.test

    x = {k: x_all.iloc[v].reset_index(drop=True) for k, v in parts.items()}
    t = time.perf_counter()
    cox_grid = [0.01, 0.1] if options.quick else [0.001, 0.01, 0.1, 1.0, 10.0]
    preds, chosen, tuned = fit_cox(x, surv, cox_grid)
    methods.append(
        MethodResult("cox", "Cox PH (lifelines)", {}, {"harrell_c": tuned}, chosen, time.perf_counter() - t)
    )
    tests["cox"] = preds["test"]

    t = time.perf_counter()
    rsf_grid = (
        [{"min_samples_leaf": 10, "max_features": "sqrt"}]
        if options.quick
        else [{"min_samples_leaf": m, "max_features": f} for m in (1, 3, 10, 20) for f in ("sqrt", 0.5)]
    )
    preds, chosen, tuned = fit_rsf(x, surv, rsf_grid, 50 if options.quick else 300, options.seed)
    methods.append(
        MethodResult(
            "rsf", "random survival forest", {}, {"harrell_c": tuned}, chosen, time.perf_counter() - t
        )
    )
    tests["rsf"] = preds["test"]

    t_test, e_test = surv["test"]
    train_surv = structured(
        died[np.concatenate([parts["train"], parts["tuning"]])],
        days[np.concatenate([parts["train"], parts["tuning"]])],
    )

    def metrics_of(risk: np.ndarray[Any, Any]) -> dict[str, Metric]:
        from sksurv.metrics import concordance_index_ipcw

        def uno(idx: Index) -> float:
            if not e_test[idx].any():
                return float("nan")
            test = structured(e_test[idx], t_test[idx])
            return float(concordance_index_ipcw(train_surv, test, risk[idx], tau=UNO_TAU_DAYS)[0])

        return {"harrell_c": lambda idx: harrell(t_test[idx], e_test[idx], risk[idx]), "uno_c": uno}

    return score_methods(
        "whas500",
        "WHAS500 — all-cause death after myocardial infarction (patient split 70/30, stratified by death)",
        methods,
        {name: metrics_of(risk) for name, risk in tests.items()},
        len(t_test),
        {k: len(v) for k, v in parts.items()},
        {
            "split": f"one patient split, seed {options.seed}: train {FRACTIONS[0]:.0%}, validation "
            f"{FRACTIONS[1]:.0%}, test {FRACTIONS[2]:.0%}, stratified by the death indicator",
            "deaths": {k: int(v[1].sum()) for k, v in surv.items()},
            "uno_tau_days": UNO_TAU_DAYS,
            "inputs": "the 14 WHAS500 covariates (los included, as in the standard analyses)",
            "healthfm_grid": fit.grid,
            "healthfm_parameters": fit.parameters,
        },
        options.n_boot,
        options.seed,
    )
