"""The explanation's PNG figures (matplotlib's object API on the Agg canvas: no pyplot state, safe in a
server). Each function writes one file and returns its path.

Figures are part of each patient's explanation and must stay cheap: layouts use fixed margins rather than
`tight_layout` (which draws every figure twice), and row labels are plain text artists rather than axis
ticks (each tick builds lines, labels and a grid line: most of the time a figure took).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 80
POSITIVE, NEGATIVE = "#c0392b", "#2471a3"  # raises / lowers the risk
LABEL_CHARS = 50


def _save(fig: Figure, path: Path) -> Path:
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=DPI, pil_kwargs={"compress_level": 1})  # fast PNG encoding; files stay small
    return path


def _row_labels(ax: Any, rows: Sequence[float], labels: Sequence[str], fontsize: int = 8) -> None:
    """Labels left of the axes at data heights `rows`, without y ticks."""
    ax.set_yticks([])
    for y, label in zip(rows, labels, strict=True):
        ax.text(
            -0.01, y, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=fontsize
        )


def _few_x_ticks(ax: Any) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.tick_params(axis="x", labelsize=7)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_figure(path: Path, labels: Sequence[str], values: Sequence[float], title: str, xlabel: str) -> Path:
    """Horizontal bars, largest first at the top; red raises the risk, blue lowers it."""
    height = 1.0 + 0.3 * max(1, len(labels))
    fig = Figure(figsize=(7.0, height))
    fig.subplots_adjust(left=0.46, right=0.97, top=1 - 0.45 / height, bottom=0.5 / height)
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=[POSITIVE if v > 0 else NEGATIVE for v in values])
    ax.set_ylim(-0.6, len(labels) - 0.4)
    _row_labels(ax, list(y), [_short(label) for label in labels])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    _few_x_ticks(ax)
    return _save(fig, path)


def attention_figure(path: Path, labels: Sequence[str], matrix: np.ndarray[Any, Any]) -> Path:
    size = 1.8 + 0.65 * len(labels)
    fig = Figure(figsize=(size + 0.4, size))
    fig.subplots_adjust(left=0.3, right=0.97, top=0.9, bottom=0.28)
    ax = fig.add_subplot()
    ax.imshow(matrix, cmap="viridis", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            color = "black" if matrix[i, j] > 0.6 else "white"
            ax.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center", fontsize=7, color=color)
    ax.set_title("Fusion attention: row attends to column", fontsize=9)
    return _save(fig, path)


def image_figure(path: Path, pixels: np.ndarray[Any, Any], attributions: np.ndarray[Any, Any]) -> Path:
    """The image as the model saw it, and the attributions over it (red raises, blue lowers the risk)."""
    if pixels.ndim == 3:  # a volume: the middle slice, attributions summed over depth
        pixels, attributions = pixels[pixels.shape[0] // 2], attributions.sum(0)
    fig = Figure(figsize=(6.0, 3.2))
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.02, wspace=0.05)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    left.imshow(pixels, cmap="gray")
    left.set_title("image (model input)", fontsize=9)
    # per-pixel attributions are speckled: show their sums over blocks of about 1/24 of the side
    h, w = attributions.shape
    rows, cols = np.array_split(np.arange(h), min(h, 24)), np.array_split(np.arange(w), min(w, 24))
    blocks = np.array([[attributions[np.ix_(r, c)].sum() for c in cols] for r in rows])
    bound = max(1e-12, float(np.abs(blocks).max()))
    right.imshow(pixels, cmap="gray")
    right.imshow(
        blocks,
        cmap="RdBu_r",
        norm=TwoSlopeNorm(0.0, -bound, bound),
        alpha=0.55,
        extent=(-0.5, w - 0.5, h - 0.5, -0.5),
        interpolation="bilinear",
    )
    right.set_title(f"Integrated Gradients per region (±{bound:.2g})", fontsize=9)
    for ax in (left, right):
        ax.set_axis_off()
    return _save(fig, path)


def signal_figure(
    path: Path,
    signal: np.ndarray[Any, Any],
    attributions: np.ndarray[Any, Any],
    leads: Sequence[str],
    recorded: np.ndarray[Any, Any],
    rate: float,
    bins: int = 100,
) -> Path:
    """Each lead (offset on one axis) in black over a band coloured by its attributions, summed per time
    bin (red raises, blue lowers the risk)."""
    c, n = signal.shape
    fig = Figure(figsize=(8.0, 0.7 + 0.42 * c))
    fig.subplots_adjust(
        left=0.07, right=0.98, top=1 - 0.35 / (0.7 + 0.42 * c), bottom=0.45 / (0.7 + 0.42 * c)
    )
    ax = fig.add_subplot()
    duration = n / rate
    edges = np.linspace(0, n, bins + 1).astype(int)
    band = np.add.reduceat(attributions, edges[:-1], axis=1) * recorded[:, None]  # (C, bins)
    bound = max(1e-12, float(np.abs(band).max()))
    ax.imshow(
        band,
        cmap="RdBu_r",
        norm=TwoSlopeNorm(0.0, -bound, bound),
        aspect="auto",
        extent=(0.0, duration, c - 0.5, -0.5),
        interpolation="nearest",
    )
    t = np.arange(n) / rate
    scale = 0.12  # z-scored leads: about ±3 -> ±0.36 of a row
    for i in range(c):
        if recorded[i]:
            ax.plot(t, i - scale * signal[i], color="black", lw=0.5)
    _row_labels(
        ax, list(range(c)), [lead + ("" if recorded[i] else " (none)") for i, lead in enumerate(leads)], 7
    )
    _few_x_ticks(ax)
    ax.set_xlim(0.0, duration)
    ax.set_xlabel("seconds", fontsize=8)
    ax.set_title(f"ECG with Integrated Gradients per {duration / bins:.2f} s (±{bound:.2g})", fontsize=9)
    return _save(fig, path)
