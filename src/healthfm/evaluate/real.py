"""`healthfm bench real`: healthfm against the standard method of each field, on real data, same split.

Three benchmarks (`real_uci.py`, `real_whas.py`, `real_iu.py`) share what lives here: real rows become
MEDS events in an in-memory patient store, a `Task` labels them, and every method is scored on the same
held-out patients with 95 % percentile bootstrap intervals (paired for differences).
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from healthfm.data.base import BlobSource
from healthfm.errors import DataError, UsageError
from healthfm.schema import EVENT_SCHEMA, Modality, PatientTimeline
from healthfm.store.blobs import BlobMeta
from healthfm.train.runs import json_safe

BENCHMARKS = ("uci", "whas500", "iu")
N_BOOTSTRAP = 1000
HEALTHFM = "healthfm"
Index = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float64]]


# ---------------------------------------------------------------- the in-memory patient store


class _NoBlobs:
    """The real tables and reports carry no images or waveforms."""

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray[Any, Any], BlobMeta]:
        raise DataError(f"blob {uri!r}: the in-memory benchmark store holds no blobs")


class MemoryStore:
    """What `SampleDataset` and `fit_processors` read from a patient store, held in memory.

    `splits` maps a split name to its subjects; `subjects("train")` is what processors may be fitted on.
    """

    def __init__(self, timelines: Mapping[int, PatientTimeline], splits: Mapping[str, Iterable[int]]) -> None:
        self._timelines = dict(timelines)
        self._splits = {k: np.asarray(sorted(v), dtype=np.int64) for k, v in splits.items()}
        unknown = {int(s) for ids in self._splits.values() for s in ids} - set(self._timelines)
        if unknown:
            raise DataError(f"{len(unknown)} split subject(s) have no timeline (first: {min(unknown)})")

    @property
    def blobs(self) -> BlobSource:
        return _NoBlobs()

    def timeline(self, subject_id: int) -> PatientTimeline:
        return self._timelines[int(subject_id)]

    def subjects(
        self, split: str | None = None, *, consent_scope: str | None = None
    ) -> np.ndarray[Any, np.dtype[np.int64]]:
        if split is None:
            return np.asarray(sorted(self._timelines), dtype=np.int64)
        return self._splits.get(split, np.zeros(0, dtype=np.int64))


def timeline_of(subject_id: int, events: Iterable[Mapping[str, Any]]) -> PatientTimeline:
    """One subject's events (dicts with MEDS columns) as a timeline: static facts first, then by time."""
    rows = [{**e, "subject_id": subject_id} for e in events]
    rows.sort(key=lambda e: (e.get("time") is not None, e.get("time") or dt.datetime.min))
    for row in rows:
        modality = row.get("modality")
        if isinstance(modality, Modality):
            row["modality"] = modality.value
    return PatientTimeline(subject_id, pa.Table.from_pylist(rows, schema=EVENT_SCHEMA))


def split_indices(
    n: int, fractions: Sequence[float], seed: int, strata: Sequence[Any] | np.ndarray[Any, Any] | None = None
) -> list[Index]:
    """Disjoint row indices in the given proportions, stratified on `strata` when given (sorted)."""
    from sklearn.model_selection import train_test_split

    if abs(sum(fractions) - 1.0) > 1e-9 or any(f <= 0 for f in fractions):
        raise UsageError(f"split fractions must be positive and sum to 1, got {list(fractions)}")
    rest = np.arange(n)
    rest_strata = None if strata is None else np.asarray(strata)
    out: list[Index] = []
    left = 1.0
    for frac in fractions[:-1]:
        take, rest, *strat = train_test_split(
            rest,
            *([] if rest_strata is None else [rest_strata]),
            train_size=frac / left,
            random_state=seed,
            stratify=rest_strata,
        )
        if rest_strata is not None:
            rest_strata = strat[1]
        out.append(np.sort(take))
        left -= frac
    out.append(np.sort(rest))
    return out


# ---------------------------------------------------------------- paired bootstrap

Metric = Callable[[Index], float]


@dataclass
class Estimate:
    value: float
    low: float
    high: float

    def text(self, digits: int = 3, signed: bool = False) -> str:
        f = f"{{:+.{digits}f}}" if signed else f"{{:.{digits}f}}"
        return f"{f.format(self.value)} [{f.format(self.low)}, {f.format(self.high)}]"

    def to_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


def paired_bootstrap(
    n: int, metrics: Mapping[str, Metric], n_boot: int, seed: int, pairs: Sequence[tuple[str, str]] = ()
) -> tuple[dict[str, Estimate], dict[tuple[str, str], Estimate]]:
    """95 % percentile intervals over `n_boot` resamples of the n test rows (patients or reports).

    Every method is scored on the same resamples, so `pairs` (a, b) give the interval of a − b; a
    resample on which a metric is undefined (one class only) is skipped for every method.
    """
    rng = np.random.default_rng(seed)
    full = np.arange(n)
    names = list(metrics)
    draws = np.full((n_boot, len(names)), np.nan)
    for b in range(n_boot):
        idx = rng.integers(0, n, n)
        draws[b] = [metrics[name](idx) for name in names]
    ok = np.isfinite(draws).all(axis=1)
    if ok.sum() < n_boot // 2:
        raise DataError(f"the metric is undefined on {n_boot - int(ok.sum())} of {n_boot} resamples")
    kept = draws[ok]

    def estimate(point: float, values: Floats) -> Estimate:
        low, high = np.percentile(values, [2.5, 97.5])
        return Estimate(float(point), float(low), float(high))

    points = {name: metrics[name](full) for name in names}
    single = {name: estimate(points[name], kept[:, j]) for j, name in enumerate(names)}
    col = {name: j for j, name in enumerate(names)}
    diffs = {(a, b): estimate(points[a] - points[b], kept[:, col[a]] - kept[:, col[b]]) for a, b in pairs}
    return single, diffs


# ---------------------------------------------------------------- results


@dataclass
class MethodResult:
    """One method on one benchmark: its metrics on the test split and how it was chosen."""

    name: str
    label: str  # shown in tables and verdicts
    metrics: dict[str, Estimate] = field(default_factory=dict)
    tuning: dict[str, float] = field(default_factory=dict)  # the validation score(s) it was chosen by
    selected: dict[str, Any] = field(default_factory=dict)  # the hyperparameters chosen on validation
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
            "tuning": self.tuning,
            "selected": self.selected,
            "seconds": round(self.seconds, 1),
        }


@dataclass
class BenchResult:
    name: str
    title: str
    metrics: tuple[str, ...]  # the first is the headline
    methods: list[MethodResult]
    differences: dict[str, dict[str, Estimate]]  # "healthfm - <baseline>" -> metric -> estimate
    n: dict[str, int]  # patients (or reports) per split
    protocol: dict[str, Any]
    verdicts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def method(self, name: str) -> MethodResult:
        for m in self.methods:
            if m.name == name:
                return m
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "metrics": list(self.metrics),
            "n": self.n,
            "protocol": self.protocol,
            "methods": {m.name: m.to_dict() for m in self.methods},
            "differences": {
                k: {metric: e.to_dict() for metric, e in v.items()} for k, v in self.differences.items()
            },
            "verdicts": self.verdicts,
            "seconds": round(self.seconds, 1),
        }


def score_methods(
    name: str,
    title: str,
    methods: list[MethodResult],
    metric_fns: Mapping[str, Mapping[str, Metric]],  # method -> metric -> f(idx)
    n_test: int,
    n: dict[str, int],
    protocol: dict[str, Any],
    n_boot: int,
    seed: int,
) -> BenchResult:
    """Bootstrap every method's metrics and healthfm − each baseline; write the verdicts."""
    metric_names = tuple(next(iter(metric_fns.values())))
    baselines = [m.name for m in methods if m.name != HEALTHFM]
    differences: dict[str, dict[str, Estimate]] = {f"{HEALTHFM} - {b}": {} for b in baselines}
    for k, metric in enumerate(metric_names):
        fns = {m: metric_fns[m][metric] for m in metric_fns}
        single, diffs = paired_bootstrap(
            n_test, fns, n_boot, seed + k, pairs=[(HEALTHFM, b) for b in baselines]
        )
        for m in methods:
            m.metrics[metric] = single[m.name]
        for b in baselines:
            differences[f"{HEALTHFM} - {b}"][metric] = diffs[(HEALTHFM, b)]
    result = BenchResult(name, title, metric_names, methods, differences, n, protocol)
    result.verdicts = verdicts(result)
    return result


def verdicts(result: BenchResult) -> list[str]:
    """One line per metric: healthfm against the baseline with the best test estimate (the hardest
    comparison for healthfm), then the other baselines in brief."""
    lines = []
    ours = result.method(HEALTHFM)
    baselines = [m for m in result.methods if m.name != HEALTHFM]
    for metric in result.metrics:
        ranked = sorted(baselines, key=lambda m: -m.metrics[metric].value)
        parts = []
        for i, base in enumerate(ranked):
            diff = result.differences[f"{HEALTHFM} - {base.name}"][metric]
            if diff.low > 0:
                word = f"wins by {diff.value:.3f}"
            elif diff.high < 0:
                word = f"loses by {-diff.value:.3f}"
            else:
                word = f"no clear difference ({diff.value:+.3f})"
            ci = f"[{diff.low:+.3f}, {diff.high:+.3f}]"
            if i == 0:
                parts.append(
                    f"{metric}: {HEALTHFM} {ours.metrics[metric].text()} vs {base.label} "
                    f"{base.metrics[metric].text()}: {word} {ci}"
                )
            else:
                parts.append(f"vs {base.label}: {word} {ci}")
        lines.append("; ".join(parts))
    return lines


def print_result(result: BenchResult, console: Console) -> None:
    split = ", ".join(f"{k} {v:,}" for k, v in result.n.items())
    table = Table(title=f"{result.title}\n({split})", title_justify="left")
    table.add_column("method")
    for metric in result.metrics:
        table.add_column(f"{metric} [95 % CI]", justify="right")
    table.add_column("chosen on validation")
    table.add_column("s", justify="right")
    for m in result.methods:
        chosen = ", ".join(f"{k}={v}" for k, v in m.selected.items())
        cells = [m.metrics[metric].text() for metric in result.metrics]
        table.add_row(m.label, *cells, chosen, f"{m.seconds:.0f}")
    for key, diffs in result.differences.items():
        table.add_row(
            f"[dim]{key.replace(' - ', ' − ')}[/dim]",
            *(f"[dim]{diffs[metric].text(signed=True)}[/dim]" for metric in result.metrics),
            "[dim]paired difference[/dim]",
            "",
        )
    console.print(table)
    for line in result.verdicts:
        console.print(f"  [bold]verdict[/bold] {line}", highlight=False)


# ---------------------------------------------------------------- the bench


@dataclass
class BenchOptions:
    seed: int = 0
    quick: bool = False  # bounded: few epochs, no grids, a subset of reports, 200 resamples
    text_model: str | None = None  # a continued-pretraining folder from `healthfm pretrain-text`
    bootstrap: int | None = None  # resamples; None = 1,000 (200 with quick)

    def __post_init__(self) -> None:
        if self.bootstrap is not None and self.bootstrap < 100:
            raise UsageError(f"bootstrap resamples must be >= 100, got {self.bootstrap}")

    @property
    def n_boot(self) -> int:
        if self.bootstrap is not None:
            return self.bootstrap
        return 200 if self.quick else N_BOOTSTRAP


def parse_only(text: str | None) -> tuple[str, ...]:
    if not text:
        return BENCHMARKS
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [c for c in chosen if c not in BENCHMARKS]
    if unknown or not chosen:
        bad = unknown[0] if unknown else text
        raise UsageError(f"--only: unknown benchmark {bad!r}; choose from {', '.join(BENCHMARKS)}")
    return chosen


def run_real_bench(
    out: Path,
    only: Sequence[str] = BENCHMARKS,
    options: BenchOptions | None = None,
    console: Console | None = None,
    progress_console: Console | None = None,
) -> dict[str, Any]:
    """Run the chosen benchmarks, print a table per benchmark and write `out/real.json`.

    Tables and verdicts go to `console`; progress bars and per-run lines to `progress_console`.
    """
    from healthfm.evaluate import real_iu, real_uci, real_whas

    options = options or BenchOptions()
    console = console or Console()
    log = progress_console or console
    runners: dict[str, Callable[[Path, BenchOptions, Console], BenchResult]] = {
        "uci": real_uci.run,
        "whas500": real_whas.run,
        "iu": real_iu.run,
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for name in only:
        console.rule(f"[bold]{name}")
        t = time.perf_counter()
        result = runners[name](out / name, options, log)
        result.seconds = time.perf_counter() - t
        print_result(result, console)
        results[name] = result.to_dict()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "seed": options.seed,
        "quick": options.quick,
        "bootstrap_resamples": options.n_boot,
        "text_model": options.text_model,
        "benchmarks": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    path = out / "real.json"
    path.write_text(json.dumps(json_safe(report), indent=2) + "\n")
    console.print(f"total {report['seconds']:.0f} s; wrote {path}")
    return report


def machine() -> dict[str, Any]:
    import os

    import torch

    return {
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpus": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
    }
