"""Predictions: processed inputs (cached per store version), one batched forward pass per micro-batch,
calibrated risk and modality Shapley values as the top contributors.

Micro-batching: requests wait in an asyncio queue for up to `max_wait_ms` (or until `max_batch` are
there); one worker thread then prepares and runs them together. The plain path (`micro_batching=False`)
runs one forward pass per request, for comparison.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from healthfm.data import Item, collate
from healthfm.errors import DataError
from healthfm.explain.core import head_logits
from healthfm.schema import EncoderOutput, Modality, Sample
from healthfm.serve.inputs import PatientInput
from healthfm.serve.served import ModelSlot, ServedModel

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


class ItemCache:
    """LRU of processed inputs. Processors are deterministic, and a key names the model version, the
    subject, the prediction time and the store's version, so a hit is exactly what a miss would compute."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Item] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Item | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return item

    def put(self, key: tuple[Any, ...], item: Item) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def prepare(served: ServedModel, job: PatientInput, cache: ItemCache | None) -> Item:
    """The processors over `task.visible` (nothing at or after the prediction time)."""
    key = None if job.cache_key is None else (served.label, *job.cache_key)
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


def score_items(
    served: ServedModel, items: Sequence[Item], contributors: str | Sequence[str] = "shapley"
) -> list[Scored]:
    """One batched pass: encoders once, then the fusion over each patient's coalitions of modalities
    (see `coalition_plan`), all patients' coalitions in one batch."""
    model, mods = served.model, served.model.modalities
    batch = collate(list(items), served.processors, None)
    present = torch.stack([batch.inputs[m].mask for m in mods], dim=1)  # (B, M)
    methods = [contributors] * len(items) if isinstance(contributors, str) else list(contributors)
    plans = [coalition_plan(tuple(bool(v) for v in present[i]), methods[i]) for i in range(len(items))]
    sizes = [len(c) for c, _ in plans]
    owner = torch.repeat_interleave(torch.arange(len(items)), torch.tensor(sizes))  # coalition row → patient
    masks = torch.cat([c for c, _ in plans])  # (sum C, M)
    probs = torch.empty(len(owner), dtype=torch.float64)
    with torch.inference_mode():
        outputs, _ = model.encode(batch)
        for start in range(0, len(owner), _SHAPLEY_ROWS):
            rows = slice(start, min(len(owner), start + _SHAPLEY_ROWS))
            outs = {m: _gather(o, owner[rows]) for m, o in outputs.items()}
            mask = masks[rows]
            fused = model.fusion(outs, {m: mask[:, k] for k, m in enumerate(mods)})
            logits = head_logits(model, fused).reshape(rows.stop - rows.start, -1)[:, 0]
            probs[rows] = torch.sigmoid(logits.double())
    out: list[Scored] = []
    offset = 0
    full = np.empty(len(items))
    values = []
    for i, (_, weights) in enumerate(plans):
        v = probs[offset : offset + sizes[i]]
        offset += sizes[i]
        full[i] = float(v[-1])
        values.append(None if weights is None else (weights @ v).numpy())
    risks = np.asarray(served.calibrate(full), dtype=np.float64).reshape(-1)
    for i, item in enumerate(items):
        here = [m for k, m in enumerate(mods) if bool(present[i, k])]
        phi = values[i]
        contrib = (
            []
            if phi is None
            else sorted(
                ((m.value, float(phi[k])) for k, m in enumerate(mods) if bool(present[i, k])),
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
        for i, scored in zip(where, score_items(served, items, [methods[i] for i in where]), strict=True):
            results[i] = scored
    return results


# ---------------------------------------------------------------- the two serving paths


@dataclass
class _Pending:
    job: PatientInput
    method: str
    future: asyncio.Future[Scored]


class Predictor:
    """Scores `PatientInput`s with the slot's current model, micro-batched or one at a time."""

    def __init__(
        self,
        slot: ModelSlot,
        *,
        micro_batching: bool,
        max_batch: int,
        max_wait_ms: float,
        cache_size: int,
        contributors: str,
        on_batch: Any = None,
    ) -> None:
        self.slot = slot
        self.micro_batching = micro_batching
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self.cache = ItemCache(cache_size)
        self.contributors = contributors
        self.on_batch = on_batch  # called with each batch size (metrics)
        self._queue: asyncio.Queue[_Pending] | None = None
        self._worker: asyncio.Task[None] | None = None
        # one thread runs the model: torch is told to use one thread per process, and a second
        # forward pass at the same time would only contend for the same cores
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthfm-predict")
        self._closed = False

    def start(self) -> None:
        if self.micro_batching and self._worker is None:
            self._queue = asyncio.Queue()
            self._worker = asyncio.get_running_loop().create_task(self._batches())

    async def predict(self, job: PatientInput, contributors: str | None = None) -> Scored:
        method = contributors or self.contributors
        if self._closed:
            raise RuntimeError("the predictor is shut down")
        if not self.micro_batching:
            served = self.slot.current
            loop = asyncio.get_running_loop()
            (result,) = await loop.run_in_executor(self._pool, run_jobs, served, [job], self.cache, [method])
            if self.on_batch is not None:
                self.on_batch(1)
            if isinstance(result, Exception):
                raise result
            return result
        assert self._queue is not None, "Predictor.start() was not called"
        future: asyncio.Future[Scored] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(job, method, future))
        return await future

    async def _batches(self) -> None:
        assert self._queue is not None
        queue = self._queue
        loop = asyncio.get_running_loop()
        while True:
            first = await queue.get()
            pending = [first]
            deadline = time.monotonic() + self.max_wait
            while len(pending) < self.max_batch:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    pending.append(await asyncio.wait_for(queue.get(), timeout))
                except TimeoutError:
                    break
            live = [p for p in pending if not p.future.done()]  # a timed-out request is not computed
            if not live:
                continue
            served = self.slot.current  # one model per batch: a swap takes effect at the next batch
            try:
                results = await loop.run_in_executor(
                    self._pool, run_jobs, served, [p.job for p in live], self.cache, [p.method for p in live]
                )
            except Exception as exc:  # a bug in the batch: every request of it fails, the loop goes on
                results = [exc] * len(live)
            if self.on_batch is not None:
                self.on_batch(len(live))
            for p, result in zip(live, results, strict=True):
                if p.future.done():
                    continue
                if isinstance(result, Exception):
                    p.future.set_exception(result)
                else:
                    p.future.set_result(result)

    def queued(self) -> int:
        return 0 if self._queue is None else self._queue.qsize()

    async def drain(self, timeout: float) -> None:
        """Finish what is queued, then stop the worker."""
        self._closed = True
        if self._queue is not None:
            end = time.monotonic() + timeout
            while self._queue.qsize() and time.monotonic() < end:
                await asyncio.sleep(0.01)
        if self._worker is not None:
            await asyncio.sleep(self.max_wait * 2)
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        self._pool.shutdown(wait=True)


def prediction_present(scored: Scored) -> Mapping[str, bool]:
    return {m.value: m in scored.present for m in scored.model.model.modalities}
