"""Attributions grouped into what a clinician reads: codes and lab values, features with their values, words
of the notes, regions of the image, time segments of each ECG lead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from healthfm.data.base import US_PER_YEAR, visible_rows
from healthfm.data.events import UNKNOWN_ID
from healthfm.data.tabular import AGE_FEATURE, SEX_FEATURE
from healthfm.explain.codes import CODE_NAMES
from healthfm.explain.core import Prediction
from healthfm.explain.integrated import RawAttribution
from healthfm.ingest.units import CANONICAL
from healthfm.schema import Modality

IMAGE_GRID = 8  # the image map in the JSON: IMAGE_GRID x IMAGE_GRID regions
SIGNAL_BINS = 50  # the saliency trace per lead in the JSON: this many time bins
_WORD = re.compile(r"\w", re.UNICODE)


def code_label(code: str, names: dict[str, str] | None = None) -> str:
    name = (names or {}).get(code) or CODE_NAMES.get(code)
    if not name or name == code:
        return code
    return f"{name} ({code})" if "/" in code else name


def format_value(code: str, value: float) -> str:
    unit = CANONICAL.get(code, "").replace("[", "").replace("]", "")
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return f"{text} {unit}".strip()


@dataclass
class Feature:
    """One clinical unit with its attribution (in logits of the explained output)."""

    name: str
    attribution: float
    value: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "attribution": self.attribution, "value": self.value, **self.detail}


@dataclass
class ModalityAttribution:
    """A modality's attributions: the raw ones, the clinical units (largest |attribution| first), extras
    (image regions, lead traces, words in reading order)."""

    raw: RawAttribution
    features: list[Feature]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def modality(self) -> Modality:
        return self.raw.modality

    def to_dict(self, top_k: int = 10) -> dict[str, Any]:
        return {
            "method": self.raw.method,
            "baseline": self.raw.baseline,
            "completeness": self.raw.completeness(),
            "total": float(self.raw.values.sum()),
            "top": [f.to_dict() for f in self.features[:top_k]],
            **self.extra,
        }


def latest_values(pred: Prediction) -> dict[str, tuple[float, dt.datetime]]:
    """The latest numeric value of each code before the prediction time, with its time."""
    rows = visible_rows(pred.sample, pred.visible)
    out: dict[str, tuple[float, dt.datetime]] = {}
    events = np.flatnonzero(rows.of(Modality.EVENTS) & ~rows.static & np.isfinite(rows.numeric))
    for i in events.tolist():  # oldest -> newest: the last assignment is the latest value
        when = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(rows.time_us[i]))
        out[str(rows.codes[i])] = (float(f"{rows.numeric[i]:.6g}"), when)  # float32 noise off
    return out


def _sorted(features: list[Feature]) -> list[Feature]:
    return sorted(features, key=lambda f: -abs(f.attribution))


def group_events(pred: Prediction, raw: RawAttribution, names: dict[str, str]) -> ModalityAttribution:
    """Per code (all its events summed) and per event (code, days before the prediction, value)."""
    proc = pred.processors[Modality.EVENTS]
    inp = pred.batch.inputs[Modality.EVENTS].values
    ids = inp["codes"][0].numpy()
    n = int(inp["token_mask"][0].sum())
    rows = visible_rows(pred.sample, pred.visible)
    kept = np.arange(len(rows)) if proc.include_other_modalities else np.flatnonzero(rows.of(Modality.EVENTS))
    # the processor's choice: static facts first, then the most recent events (checked below)
    n_static = int(rows.static[kept].sum())
    keep = np.concatenate(
        [kept[: min(n_static, n)], kept[max(kept.size - (n - min(n_static, n)), n_static) :]]
    )
    codes = [str(c) for c in rows.codes[keep]] if keep.size == n else []
    if [proc.code_id(c) for c in codes] != ids[:n].tolist():  # fall back to the vocabulary alone
        vocab = proc.vocab_ or []
        codes = ["(code outside the vocabulary)" if i == UNKNOWN_ID else vocab[i - 2] for i in ids[:n]]
        keep = np.zeros(0, dtype=np.int64)
    values = raw.values[:n]
    per_code: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    events: list[Feature] = []
    latest = latest_values(pred)
    for j, code in enumerate(codes):
        per_code[code] += float(values[j])
        counts[code] += 1
        detail: dict[str, Any] = {"code": code, "days_before": round(float(inp["delta_days"][0, j]), 1)}
        value = None
        if keep.size and np.isfinite(rows.numeric[keep[j]]):
            value = format_value(code, float(rows.numeric[keep[j]]))
        events.append(Feature(code_label(code, names), float(values[j]), value, detail))
    features = [
        Feature(
            code_label(c, names),
            a,
            format_value(c, latest[c][0]) if c in latest else None,
            {"code": c, "events": counts[c]},
        )
        for c, a in per_code.items()
    ]
    return ModalityAttribution(
        raw, _sorted(features), {"top_events": [e.to_dict() for e in _sorted(events)[:10]]}
    )


def group_tabular(pred: Prediction, raw: RawAttribution, names: dict[str, str]) -> ModalityAttribution:
    """Per feature, with the value the model read (last value in clinical units, or the category)."""
    proc = pred.processors[Modality.TABULAR]
    inp = pred.batch.inputs[Modality.TABULAR].values
    feature_names = proc.feature_names
    latest = latest_values(pred)
    present = inp["numeric_present"][0].numpy()
    categorical = inp["categorical"][0].numpy()
    features: list[Feature] = []
    for j, code in enumerate(feature_names["numeric"]):
        if not present[j]:
            value = "missing"
        elif code == AGE_FEATURE:
            rows = visible_rows(pred.sample, pred.visible)
            age = None if rows.birth_us is None else (rows.prediction_us - rows.birth_us) / US_PER_YEAR
            value = "unknown" if age is None else f"{age:.0f} years"
        else:
            value = format_value(code, latest[code][0]) if code in latest else "recorded"
        features.append(Feature(code_label(code, names), float(raw.values[j]), value, {"code": code}))
    offset = len(feature_names["numeric"])
    answers = list((proc.categorical_codes_ or {}).values())
    n_flags = len(proc.flag_codes_ or [])
    for j, code in enumerate(feature_names["categorical"]):
        cid = int(categorical[j])
        if cid == 0:
            value = "missing"
        elif cid == 1:
            value = "unknown category"
        elif code == SEX_FEATURE:
            value = (proc.sex_categories_ or [])[cid - 2]
        elif j <= n_flags:
            value = "present" if cid == 3 else "absent"
        else:
            value = answers[j - 1 - n_flags][cid - 2]
        features.append(
            Feature(code_label(code, names), float(raw.values[offset + j]), value, {"code": code})
        )
    return ModalityAttribution(raw, _sorted(features))


def note_words(tokens: list[str], scores: np.ndarray[Any, Any]) -> list[Feature]:
    """WordPiece tokens merged into words (a '##' piece joins the word before it), in reading order."""
    words: list[Feature] = []
    note = 0
    for i, piece in enumerate(tokens):
        if piece in ("[CLS]", "[PAD]", "<s>", "<pad>"):
            continue
        if piece in ("[SEP]", "</s>"):
            note += 1
            continue
        if piece.startswith("##") and words and words[-1].detail["note"] == note:
            words[-1].name += piece[2:]
            words[-1].attribution += float(scores[i])
            continue
        words.append(Feature(piece, float(scores[i]), None, {"note": note, "position": i}))
    return words


def group_text(pred: Prediction, raw: RawAttribution) -> ModalityAttribution:
    """Per word; `top` merges a word's occurrences (case-folded), `words` keeps every occurrence in order."""
    ids = pred.batch.inputs[Modality.TEXT].values["input_ids"][0]
    attention = pred.batch.inputs[Modality.TEXT].values["attention_mask"][0]
    n = int(attention.sum())
    tokens = pred.processors[Modality.TEXT].tokenizer.convert_ids_to_tokens(ids[:n].tolist())
    words = note_words(list(tokens), raw.values)
    merged: dict[str, Feature] = {}
    for w in words:
        if not _WORD.search(w.name):  # punctuation keeps its attribution in `words` only
            continue
        key = w.name.casefold()
        if key in merged:
            merged[key].attribution += w.attribution
            merged[key].detail["occurrences"] += 1
        else:
            merged[key] = Feature(w.name, w.attribution, None, {"occurrences": 1})
    extra = {
        "words": [{"word": w.name, "attribution": w.attribution, "note": w.detail["note"]} for w in words]
    }
    return ModalityAttribution(raw, _sorted(list(merged.values())), extra)


def group_image(pred: Prediction, raw: RawAttribution) -> ModalityAttribution:
    """Sums over an IMAGE_GRID x IMAGE_GRID grid of regions (rows top down); volumes summed over depth."""
    amap = raw.values if raw.values.ndim == 2 else raw.values.sum(0)
    h, w = amap.shape
    rows = np.array_split(np.arange(h), IMAGE_GRID)
    cols = np.array_split(np.arange(w), IMAGE_GRID)
    grid = [[float(amap[np.ix_(r, c)].sum()) for c in cols] for r in rows]
    features = [
        Feature(f"region row {i + 1}, column {j + 1}", grid[i][j], None, {"row": i, "column": j})
        for i in range(IMAGE_GRID)
        for j in range(IMAGE_GRID)
    ]
    positive = float(amap[amap > 0].sum())
    extra = {
        "grid": grid,
        "grid_size": IMAGE_GRID,
        "positive": positive,
        "negative": float(amap.sum()) - positive,
    }
    return ModalityAttribution(raw, _sorted(features), extra)


def group_signal(pred: Prediction, raw: RawAttribution) -> ModalityAttribution:
    """Per lead (its total) and per lead and time bin (the saliency trace)."""
    proc = pred.processors[Modality.SIGNAL]
    lead_mask = pred.batch.inputs[Modality.SIGNAL].values["lead_mask"][0].numpy()
    leads = list(proc.leads)
    rate = float(proc.target_rate)
    c, n = raw.values.shape
    edges = np.linspace(0, n, SIGNAL_BINS + 1).astype(int)
    traces = np.add.reduceat(raw.values, edges[:-1], axis=1)  # (C, bins)
    features = [
        Feature(
            f"lead {leads[i]}",
            float(raw.values[i].sum()),
            None if lead_mask[i] else "not recorded",
            {"lead": leads[i]},
        )
        for i in range(c)
    ]
    segments = [
        Feature(
            f"lead {leads[i]}, {edges[b] / rate:.2f}-{edges[b + 1] / rate:.2f} s",
            float(traces[i, b]),
            None,
            {"lead": leads[i], "start_s": edges[b] / rate, "end_s": edges[b + 1] / rate},
        )
        for i in range(c)
        for b in range(SIGNAL_BINS)
        if lead_mask[i]
    ]
    extra = {
        "sampling_rate": rate,
        "bin_edges_s": (edges / rate).tolist(),
        "traces": {leads[i]: traces[i].tolist() for i in range(c) if lead_mask[i]},
        "top_segments": [s.to_dict() for s in _sorted(segments)[:10]],
    }
    return ModalityAttribution(raw, _sorted(features), extra)


def group(pred: Prediction, raw: RawAttribution, names: dict[str, str]) -> ModalityAttribution:
    m = raw.modality
    if m is Modality.EVENTS:
        return group_events(pred, raw, names)
    if m is Modality.TABULAR:
        return group_tabular(pred, raw, names)
    if m is Modality.TEXT:
        return group_text(pred, raw)
    if m is Modality.IMAGE:
        return group_image(pred, raw)
    return group_signal(pred, raw)
