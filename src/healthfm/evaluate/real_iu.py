"""IU chest X-ray reports: which findings a report describes, as multilabel classification over its MeSH
major headings (the heading before the first '/': "Opacity/lung/base/left" counts as Opacity).

Input, the same for every method: the FINDINGS and IMPRESSION sections (the indication is left out). The
MeSH tags were assigned by human indexers from the report, so this is report labelling, the standard
task; the tags themselves never reach a model. Split by report (one report per patient in this
collection): 70 % train, 10 % validation, 20 % test. The label set is the most frequent headings of the
*training* reports ("No Indexing" excluded) with at least `MIN_POSITIVES` training positives. Per-label
decision thresholds (max F1) are chosen on validation for every method.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from scipy.stats import rankdata  # type: ignore[import-untyped]

from healthfm.datasets import RadiologyReport, load_iu_reports
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
from healthfm.evaluate.real_healthfm import HealthfmSetup, fit_healthfm
from healthfm.schema import Modality, Sample
from healthfm.tasks import Label, LabelClass, PredictionTime, Task, TaskKind
from healthfm.train.loop import TrainConfig

REPORT_CODE = "LOINC/36643-5"  # XR Chest 2 Views report
REPORT_DATE = dt.datetime(2013, 1, 1)  # the reports carry no dates
FRACTIONS = (0.7, 0.1, 0.2)
TOP_K = 10
MIN_POSITIVES = 50
NOT_A_FINDING = ("No Indexing",)
QUICK_REPORTS = 600  # --quick: a random subset of the reports and the 5 most frequent headings
QUICK_TOP_K = 5


def heading(tag: str) -> str:
    return tag.split("/")[0].strip()


def mesh_code(name: str) -> str:
    return "MESH/" + name.replace(" ", "_")


def report_text(report: RadiologyReport) -> str:
    return f"FINDINGS: {report.findings}\nIMPRESSION: {report.impression}"


def headings(report: RadiologyReport) -> set[str]:
    return {heading(t) for t in report.mesh if heading(t) and heading(t) not in NOT_A_FINDING}


def label_vocabulary(reports: Sequence[RadiologyReport], k: int, min_positives: int) -> list[str]:
    """The k most frequent headings among `reports` (the training split) with >= min_positives each."""
    counts = Counter(h for r in reports for h in headings(r))
    ranked = sorted(counts, key=lambda h: (-counts[h], h))
    return [h for h in ranked if counts[h] >= min_positives][:k]


def make_task(labels: Sequence[str]) -> Task:
    return Task(
        name="iu_cxr_findings",
        kind=TaskKind.MULTILABEL,
        description="MeSH major headings of an IU chest X-ray report, read from its findings and impression.",
        # the report is visible one minute after it is written; its MeSH tags follow an hour later
        prediction_time=PredictionTime(anchor_codes=(REPORT_CODE,), offset_days=1 / 1440),
        horizon_days=1.0,
        label=Label(
            classes=tuple(LabelClass(name=h, codes=(mesh_code(h),)) for h in labels), exclude_censored=False
        ),
    )


def report_events(report: RadiologyReport) -> Iterator[dict[str, Any]]:
    yield {
        "time": REPORT_DATE,
        "code": REPORT_CODE,
        "text_value": report_text(report),
        "modality": Modality.TEXT,
    }
    for name in sorted(headings(report)):
        yield {"time": REPORT_DATE + dt.timedelta(hours=1), "code": mesh_code(name)}


def iu_split(n: int, seed: int) -> dict[str, Index]:
    train, tuning, test = split_indices(n, FRACTIONS, seed)
    return {"train": train, "tuning": tuning, "test": test}


def f1_thresholds(y: np.ndarray[Any, Any], score: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Per label, the score threshold (predict positive at >= it) with the best F1 on (y, score)."""
    out = np.empty(y.shape[1])
    for j in range(y.shape[1]):
        order = np.argsort(-score[:, j], kind="stable")
        s, t = score[order, j], y[order, j].astype(float)
        tp = np.cumsum(t)
        fp = np.cumsum(1 - t)
        f1 = 2 * tp / (tp + fp + t.sum())  # predict the top i+1 as positive
        last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
        f1 = np.where(last, f1, -1.0)
        out[j] = s[int(np.argmax(f1))]
    return out


def macro_f1(y: np.ndarray[Any, Any], predicted: np.ndarray[Any, Any]) -> float:
    tp = (y * predicted).sum(0)
    fp = ((1 - y) * predicted).sum(0)
    fn = (y * (1 - predicted)).sum(0)
    denominator = 2 * tp + fp + fn
    if np.any(denominator == 0):
        return float("nan")
    return float(np.mean(2 * tp / denominator))


def macro_auroc(y: np.ndarray[Any, Any], score: np.ndarray[Any, Any]) -> float:
    values = []
    for j in range(y.shape[1]):
        pos = y[:, j].astype(bool)
        n_pos, n_neg = int(pos.sum()), int((~pos).sum())
        if n_pos == 0 or n_neg == 0:
            return float("nan")
        ranks = rankdata(score[:, j])
        values.append((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
    return float(np.mean(values))


def fit_tfidf(
    texts: dict[str, list[str]], y: dict[str, np.ndarray[Any, Any]], grid: list[float], seed: int
) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, Any], float]:
    """TF-IDF of word 1–2 grams (fitted on the training reports) + one logistic regression per label,
    each label's C chosen by its validation AUROC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = {"train": vectorizer.fit_transform(texts["train"])}
    x.update({k: vectorizer.transform(texts[k]) for k in ("tuning", "test")})
    preds = {k: np.zeros((len(texts[k]), y["train"].shape[1])) for k in ("tuning", "test")}
    chosen: list[float] = []
    for j in range(y["train"].shape[1]):
        best: tuple[float, float, Any] | None = None
        for c in grid:
            model = LogisticRegression(C=c, max_iter=5000, solver="liblinear", random_state=seed)
            model.fit(x["train"], y["train"][:, j])
            tuned = macro_auroc(y["tuning"][:, j : j + 1], model.predict_proba(x["tuning"])[:, 1:])
            if best is None or tuned > best[0] or np.isnan(best[0]):
                best = (tuned, c, model)
        assert best is not None
        chosen.append(best[1])
        for k in preds:
            preds[k][:, j] = best[2].predict_proba(x[k])[:, 1]
    return (
        preds,
        {"C per label": chosen, "features": len(vectorizer.vocabulary_)},
        macro_auroc(y["tuning"], preds["tuning"]),
    )


def healthfm_setup(options: BenchOptions) -> HealthfmSetup:
    text_model = options.text_model
    return HealthfmSetup(
        modalities=("text",),
        # 256 tokens: the longest findings + impression is ~210 MiniLM tokens, so nothing is cut
        processor_options={"text": {"model_dir": text_model, "max_length": 256, "codes": [REPORT_CODE]}},
        encoder_options={
            "text": {
                "model_dir": text_model,
                # frozen and cached: fine-tuning MiniLM costs ~3x its forward pass per epoch, which on two
                # CPU cores is ~7 min per epoch of the training reports; the quick form keeps one layer
                "freeze": "all",
                "num_layers": 1 if options.quick else None,
                # 4-token groups, 64 fusion tokens: keeps words like "no" next to what they negate;
                # chosen over 16 / 32 tokens by validation macro-AUROC in a development run (0.992 vs 0.986)
                "pool_stride": 4,
                "cache_size": 16384,
            }
        },
        fusion_options={"max_tokens_per_modality": 64},
        train=TrainConfig(epochs=4 if options.quick else 60, batch_size=32, patience=8, seed=options.seed),
        candidates=[{}] if options.quick else [{"lr": 1e-3}],
    )


def run(out: Path, options: BenchOptions, console: Console) -> BenchResult:
    reports = load_iu_reports()
    if options.quick:
        keep = np.sort(np.random.default_rng(options.seed).choice(len(reports), QUICK_REPORTS, replace=False))
        reports = [reports[i] for i in keep]
    parts = iu_split(len(reports), options.seed)
    min_positives = MIN_POSITIVES * len(reports) // 3000 if options.quick else MIN_POSITIVES
    labels = label_vocabulary(
        [reports[i] for i in parts["train"]], QUICK_TOP_K if options.quick else TOP_K, min_positives
    )
    if len(labels) < 2:
        raise DataError(
            f"IU reports: only {len(labels)} heading(s) with >= {min_positives} training positives"
        )
    task = make_task(labels)
    ids = [pseudo_id("iu-cxr", r.uid) for r in reports]
    if len(set(ids)) != len(ids):
        raise DataError("IU reports: two reports share a uid")
    timelines = {sid: timeline_of(sid, report_events(r)) for sid, r in zip(ids, reports, strict=True)}
    truth = np.asarray([[float(h in headings(r)) for h in labels] for r in reports])
    samples: dict[int, Sample] = {}
    for i, sid in enumerate(ids):
        found = task.samples(timelines[sid])
        if len(found) != 1 or not np.array_equal(np.asarray(found[0].label, dtype=float), truth[i]):
            raise DataError(f"IU report {reports[i].uid}: the task's labels differ from its MeSH headings")
        samples[sid] = found[0]
    store = MemoryStore(timelines, {k: [ids[i] for i in v] for k, v in parts.items()})
    splits = {k: [samples[ids[i]] for i in v] for k, v in parts.items()}
    y = {k: truth[v] for k, v in parts.items()}
    methods: list[MethodResult] = []
    scores: dict[str, dict[str, np.ndarray[Any, Any]]] = {}

    t = time.perf_counter()
    fit = fit_healthfm(store, task, splits, healthfm_setup(options), out / HEALTHFM, console)
    layers = "1 layer" if options.quick else "6 layers"
    description = f"healthfm (MiniLM {layers}, frozen + cached; fusion + multilabel head trained)"
    seconds = time.perf_counter() - t
    methods.append(fit.method(description, "macro_auroc", seconds, **{"trainable parameters": fit.trainable}))
    scores[HEALTHFM] = {"tuning": fit.tuning, "test": fit.test}

    t = time.perf_counter()
    texts = {k: [report_text(reports[i]) for i in v] for k, v in parts.items()}
    preds, chosen, tuned = fit_tfidf(
        texts, y, [1.0, 10.0] if options.quick else [0.1, 1.0, 10.0, 100.0, 1000.0], options.seed
    )
    methods.append(
        MethodResult(
            "tfidf_logistic",
            "TF-IDF (1–2 grams) + logistic regression",
            {},
            {"macro_auroc": tuned},
            chosen,
            time.perf_counter() - t,
        )
    )
    scores["tfidf_logistic"] = preds

    y_test = y["test"]
    per_label: dict[str, dict[str, float]] = {}

    def metrics_of(name: str, pred: dict[str, np.ndarray[Any, Any]]) -> dict[str, Metric]:
        thresholds = f1_thresholds(y["tuning"], pred["tuning"])
        hard = (pred["test"] >= thresholds).astype(float)
        per_label[name] = {
            h: float(2 * (y_test[:, j] * hard[:, j]).sum() / max(1.0, y_test[:, j].sum() + hard[:, j].sum()))
            for j, h in enumerate(labels)
        }
        return {
            "macro_f1": lambda idx: macro_f1(y_test[idx], hard[idx]),
            "macro_auroc": lambda idx: macro_auroc(y_test[idx], pred["test"][idx]),
        }

    fns = {name: metrics_of(name, pred) for name, pred in scores.items()}
    return score_methods(
        "iu",
        "IU chest X-ray reports — MeSH finding headings from findings + impression (split by report)",
        methods,
        fns,
        len(y_test),
        {k: len(v) for k, v in parts.items()},
        {
            "split": f"by report, seed {options.seed}: "
            + " / ".join(f"{f:.0%}" for f in FRACTIONS)
            + " train / validation / test",
            "input": "FINDINGS + IMPRESSION sections (indication left out), the same text for every method",
            "labels": {h: {k: int(v[:, j].sum()) for k, v in y.items()} for j, h in enumerate(labels)},
            "thresholds": "per label, max F1 on the validation split, for every method",
            "test_f1_per_label": per_label,
            "reports": len(reports),
            "healthfm_grid": fit.grid,
        },
        options.n_boot,
        options.seed,
    )
