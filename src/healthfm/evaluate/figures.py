"""The evaluation report's figures (matplotlib, Agg), returned as PNG bytes so the HTML can embed them."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def roc_figure(roc: Mapping[str, Mapping[str, list[float]]], metrics: Mapping[str, float]) -> bytes:
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    for name, pts in roc.items():
        label = f"{name} ({metrics[name]:.3f})" if name in metrics else name
        ax.plot(pts["fpr"], pts["tpr"], lw=2.2 if "this run" in name else 1.0, label=label)
    ax.plot([0, 1], [0, 1], ls=":", c="grey", lw=0.8)
    ax.set(xlabel="1 − specificity (FPR)", ylabel="sensitivity (TPR)", title="ROC, held-out patients")
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def pr_figure(pr: Mapping[str, Mapping[str, list[float]]], prevalence: float) -> bytes:
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    for name, pts in pr.items():
        ax.plot(pts["recall"], pts["precision"], lw=2.2 if "this run" in name else 1.0, label=name)
    ax.axhline(prevalence, ls=":", c="grey", lw=0.8, label=f"prevalence {prevalence:.2f}")
    ax.set(xlabel="recall", ylabel="precision", title="Precision–recall, held-out patients", ylim=(0, 1.02))
    ax.legend(fontsize=7, loc="lower left")
    return _png(fig)


def calibration_figure(reliability: Mapping[str, Mapping[str, list[float]]]) -> bytes:
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.plot([0, 1], [0, 1], ls=":", c="grey", lw=0.8, label="perfect")
    for name, r in reliability.items():
        pred, obs = r.get("mean_predicted", []), r.get("observed", [])
        ax.plot(pred, obs, marker="o", lw=1.5, label=name)
    ax.set(xlabel="mean predicted risk", ylabel="observed fraction", title="Calibration (10 bins)")
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.legend(fontsize=8, loc="upper left")
    return _png(fig)


def confusion_figure(matrix: list[list[int]], labels: list[str]) -> bytes:
    fig, ax = plt.subplots(figsize=(3.8, 3.4))
    ax.imshow(matrix, cmap="Blues")
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=11)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set(xlabel="predicted", ylabel="true", title="Confusion at the operating threshold")
    return _png(fig)


def group_figure(rows: list[Mapping[str, Any]], metric: str = "auroc") -> bytes:
    """Per-group metric with its CI (one row per attribute=group); small groups drawn hollow."""
    shown = [r for r in rows if isinstance(r.get(metric), Mapping) and r[metric].get("value") is not None]
    fig, ax = plt.subplots(figsize=(6.4, max(2.4, 0.28 * len(shown) + 0.8)))
    for i, r in enumerate(shown):
        est = r[metric]
        lo, hi = est.get("low"), est.get("high")
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [i, i], c="tab:blue", lw=1.4)
        ax.plot(
            est["value"],
            i,
            "o",
            c="tab:blue",
            mfc="white" if r.get("small") else "tab:blue",
        )
    ax.set_yticks(
        range(len(shown)), [f"{r['attribute']} = {r['group']} (n={r['n']})" for r in shown], fontsize=7
    )
    ax.invert_yaxis()
    ax.set(
        xlabel=f"{metric.upper()} (95% CI); hollow: group under the size threshold", title="By patient group"
    )
    return _png(fig)


def label_efficiency_figure(curves: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> bytes:
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    for name, points in curves.items():
        xs = sorted(points, key=float)
        ys = [points[x]["auroc"] for x in xs]
        lo = [points[x]["ci"][0] for x in xs]
        hi = [points[x]["ci"][1] for x in xs]
        fx = [100 * float(x) for x in xs]
        ax.plot(fx, ys, marker="o", label=name.replace("_", " "))
        ax.fill_between(fx, lo, hi, alpha=0.12)
    ax.set_xscale("log")
    ax.set(xlabel="% of training labels", ylabel="held-out AUROC", title="Label efficiency")
    ax.legend(fontsize=8)
    return _png(fig)
