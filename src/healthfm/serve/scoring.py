"""Scoring for the API: processed inputs (cached per store version, with each patient's encoder outputs
after their first pass), one batched pass of the fusion over every patient's coalitions of modalities,
calibrated risk and the per-modality contributors (occlusion or exact Shapley values)."""

from __future__ import annotations

import functools
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from healthfm.data import Item, collate
from healthfm.errors import DataError
from healthfm.explain.core import head_logits
from healthfm.schema import EncoderOutput, Modality, Sample
from healthfm.serve.inputs import PatientInput
from healthfm.serve.served import ServedModel

_SHAPLEY_ROWS = 4096  # fusion rows per chunk when computing coalitions (bounds memory)


@dataclass(frozen=True)
class Scored:
    """One prediction: the model's probability, the calibrated risk, what was present, contributors."""

    model: ServedModel
    subject_id: int
    prediction_time: Any
    probability: float
    risk: float
    present: list[Modality]
    contributors: list[tuple[str, float]]  # (modality, contribution to the probability), largest first
    method: str = "shapley"  # how contributions were computed (see `coalition_plan`)


class NoUsableDataError(DataError):
    """The patient has nothing the model reads before the prediction time."""


# ---------------------------------------------------------------- processed inputs


@dataclass(frozen=True)
class Encoded:
    """One patient's encoder outputs (a batch of one, padded as in the batch they were computed in)
    and which modalities it has (M,): the fusion's modality mask."""

    outputs: dict[Modality, EncoderOutput]
    present: torch.Tensor


@dataclass
class _Entry:
    item: Item
    encoded: Encoded | None = None  # filled after the first forward pass


class ItemCache:
    """LRU of processed inputs and, once computed, their encoder outputs. Processors and encoders are
    deterministic (the model is in eval mode), and a key names the model version, the subject, the
    prediction time and the store's version, so a hit is exactly what a miss would compute: a repeated
    prediction runs only the fusion and the head."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Item | None:
        entry = self._entry(key)
        return None if entry is None else entry.item

    def _entry(self, key: tuple[Any, ...]) -> _Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return entry

    def encoded(self, key: tuple[Any, ...] | None) -> Encoded | None:
        if key is None:
            return None
        with self._lock:
            entry = self._items.get(key)
            return None if entry is None else entry.encoded

    def put(self, key: tuple[Any, ...], item: Item) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = _Entry(item)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def put_encoded(self, key: tuple[Any, ...] | None, encoded: Encoded) -> None:
        if key is None:
            return
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                entry.encoded = encoded

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cache_key(served: ServedModel, job: PatientInput) -> tuple[Any, ...] | None:
    return None if job.cache_key is None else (served.label, *job.cache_key)


def prepare(served: ServedModel, job: PatientInput, cache: ItemCache | None) -> Item:
    """The processors over `task.visible` (nothing at or after the prediction time)."""
    key = cache_key(served, job)
    if cache is not None and key is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit
    sample = Sample(job.subject_id, job.prediction_time, None, task=served.task.name)
    visible = served.task.visible(job.get_timeline(), sample)
    inputs: dict[Modality, Any] = {}
    for m, processor in served.processors.items():
        try:
            inputs[m] = processor.transform(sample, visible, blobs=job.blobs)
        except DataError:  # as in training: an unreadable modality counts as absent
            inputs[m] = None
    if all(v is None for v in inputs.values()):
        raise NoUsableDataError(
            f"subject {job.subject_id} has no data the model reads before the prediction time"
        )
    item = Item(job.subject_id, job.prediction_time, inputs, None)
    if cache is not None and key is not None:
        cache.put(key, item)
    return item


# ---------------------------------------------------------------- scoring


CONTRIBUTOR_METHODS = ("shapley", "occlusion", "none")


@functools.lru_cache(maxsize=256)
def coalition_plan(pattern: tuple[bool, ...], method: str) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(coalitions (C, M) bool, weights (M, C) or None) for a patient whose present modalities are
    `pattern`; contributions = weights @ v(coalitions). The last coalition is every present modality
    (the prediction itself).

    "shapley": every subset of the present modalities, exact Shapley values (absent modalities are not
    players: masking them changes nothing). "occlusion": the prediction minus the prediction with one
    modality masked (p + 1 passes instead of 2^p). "none": the prediction only."""
    m = len(pattern)
    players = [k for k, on in enumerate(pattern) if on]
    p = len(players)
    if method == "none":
        return torch.tensor([pattern], dtype=torch.bool), None
    if method == "occlusion":
        rows = [[on and k != drop for k, on in enumerate(pattern)] for drop in players] + [list(pattern)]
        weights = np.zeros((m, p + 1))
        for i, k in enumerate(players):
            weights[k, p] += 1.0
            weights[k, i] -= 1.0
        return torch.tensor(rows, dtype=torch.bool), torch.tensor(weights, dtype=torch.float64)
    if method != "shapley":
        raise ValueError(f"contributors must be one of {CONTRIBUTOR_METHODS}, got {method!r}")
    subsets = list(itertools.product([False, True], repeat=p))  # all True last
    index = {sub: i for i, sub in enumerate(subsets)}
    weights = np.zeros((m, len(subsets)))
    for i, k in enumerate(players):
        for sub in subsets:
            if sub[i]:
                continue
            size = sum(sub)
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            with_i = tuple(True if j == i else v for j, v in enumerate(sub))
            weights[k, index[with_i]] += w
            weights[k, index[sub]] -= w
    rows = []
    for sub in subsets:
        row = [False] * m
        for i, k in enumerate(players):
            row[k] = sub[i]
        rows.append(row)
    return torch.tensor(rows, dtype=torch.bool), torch.tensor(weights, dtype=torch.float64)


def _gather(out: EncoderOutput, rows: torch.Tensor) -> EncoderOutput:
    return EncoderOutput(tokens=out.tokens[rows], mask=out.mask[rows], pooled=out.pooled[rows])


def _split(outputs: Mapping[Modality, EncoderOutput], present: torch.Tensor, i: int) -> Encoded:
    """Patient `i`'s encoder outputs, copied (not views that would keep the whole batch alive)."""
    own = {
        m: EncoderOutput(o.tokens[i : i + 1].clone(), o.mask[i : i + 1].clone(), o.pooled[i : i + 1].clone())
        for m, o in outputs.items()
    }
    return Encoded(own, present[i].clone())


def _stack(parts: Sequence[Encoded], mods: Sequence[Modality]) -> dict[Modality, EncoderOutput]:
    """One batch from per-patient outputs, padded (masked) to the longest, as `collate` pads inputs."""
    out: dict[Modality, EncoderOutput] = {}
    for m in mods:
        length = max(p.outputs[m].tokens.shape[1] for p in parts)
        tokens, masks = [], []
        for p in parts:
            pad = length - p.outputs[m].tokens.shape[1]
            tokens.append(F.pad(p.outputs[m].tokens, (0, 0, 0, pad)) if pad else p.outputs[m].tokens)
            masks.append(F.pad(p.outputs[m].mask, (0, pad), value=False) if pad else p.outputs[m].mask)
        pooled = torch.cat([p.outputs[m].pooled for p in parts])
        out[m] = EncoderOutput(tokens=torch.cat(tokens), mask=torch.cat(masks), pooled=pooled)
    return out


def encode_items(
    served: ServedModel,
    items: Sequence[Item],
    cache: ItemCache | None = None,
    keys: Sequence[tuple[Any, ...] | None] | None = None,
) -> tuple[dict[Modality, EncoderOutput], torch.Tensor]:
    """Encoder outputs for `items` (B patients) and which modalities each has (B, M): patients whose
    outputs are cached under their key are not encoded again; the others are, in one batch."""
    mods = served.model.modalities
    keys = list(keys) if keys is not None else [None] * len(items)
    parts: list[Encoded | None] = [None if cache is None else cache.encoded(k) for k in keys]
    todo = [i for i, part in enumerate(parts) if part is None]
    if todo:
        batch = collate([items[i] for i in todo], served.processors, None)
        with torch.inference_mode():
            outputs, present = served.model.encode(batch)
        flags = torch.stack([present[m] for m in mods], dim=1)  # (b, M)
        for j, i in enumerate(todo):
            parts[i] = own = _split(outputs, flags, j)
            if cache is not None:
                cache.put_encoded(keys[i], own)
    done = [part for part in parts if part is not None]
    return _stack(done, mods), torch.stack([part.present for part in done])


def score_items(
    served: ServedModel,
    items: Sequence[Item],
    contributors: str | Sequence[str] = "shapley",
    cache: ItemCache | None = None,
    keys: Sequence[tuple[Any, ...] | None] | None = None,
) -> list[Scored]:
    """One batched pass: encoders once (or their cached outputs), then the fusion over each patient's
    coalitions of modalities (see `coalition_plan`), all patients' coalitions in one batch."""
    model, mods = served.model, served.model.modalities
    outputs, present = encode_items(served, items, cache, keys)  # present: (B, M)
    methods = [contributors] * len(items) if isinstance(contributors, str) else list(contributors)
    flags: list[list[bool]] = present.tolist()  # Python values: no per-element tensor indexing below
    plans = [coalition_plan(tuple(flags[i]), methods[i]) for i in range(len(items))]
    sizes = [len(c) for c, _ in plans]
    owner = torch.repeat_interleave(torch.arange(len(items)), torch.tensor(sizes))  # coalition row → patient
    masks = torch.cat([c for c, _ in plans])  # (sum C, M)
    probs = torch.empty(len(owner), dtype=torch.float64)
    with torch.inference_mode():
        for start in range(0, len(owner), _SHAPLEY_ROWS):
            rows = slice(start, min(len(owner), start + _SHAPLEY_ROWS))
            outs = {m: _gather(o, owner[rows]) for m, o in outputs.items()}
            mask = masks[rows]
            fused = model.fusion.pooled(outs, {m: mask[:, k] for k, m in enumerate(mods)})
            logits = head_logits(model, fused).reshape(rows.stop - rows.start, -1)[:, 0]
            probs[rows] = torch.sigmoid(logits.double())
    out: list[Scored] = []
    offset = 0
    full = np.empty(len(items))
    values = []
    probs_np = probs.numpy()
    for i, (_, weights) in enumerate(plans):
        v = probs_np[offset : offset + sizes[i]]
        offset += sizes[i]
        full[i] = v[-1]
        values.append(None if weights is None else weights.numpy() @ v)
    risks = np.asarray(served.calibrate(full), dtype=np.float64).reshape(-1)
    for i, item in enumerate(items):
        here = [m for k, m in enumerate(mods) if flags[i][k]]
        phi = values[i]
        contrib = (
            []
            if phi is None
            else sorted(
                ((m.value, float(phi[k])) for k, m in enumerate(mods) if flags[i][k]),
                key=lambda kv: -abs(kv[1]),
            )
        )
        out.append(
            Scored(
                served, item.subject_id, item.prediction_time, float(full[i]), float(risks[i]), here, contrib
            )
        )
    return out


def run_jobs(
    served: ServedModel, jobs: Sequence[PatientInput], cache: ItemCache | None, methods: Sequence[str]
) -> list[Scored | Exception]:
    """Prepare every job (a failure stays with its job) and score the good ones together."""
    results: list[Scored | Exception] = []
    items: list[Item] = []
    where: list[int] = []
    for i, job in enumerate(jobs):
        try:
            items.append(prepare(served, job, cache))
            where.append(i)
            results.append(NoUsableDataError("not scored"))
        except DataError as exc:
            results.append(exc)
    if items:
        keys = [cache_key(served, jobs[i]) for i in where]
        scored = score_items(served, items, [methods[i] for i in where], cache, keys)
        for i, one in zip(where, scored, strict=True):
            results[i] = one
    return results
