"""Predictions: processed inputs (cached per store version), one batched forward pass per micro-batch,
calibrated risk and modality Shapley values as the top contributors.

Micro-batching: requests wait in an asyncio queue for up to `max_wait_ms` (or until `max_batch` are
there); one worker thread then prepares and runs them together. The plain path (`micro_batching=False`)
runs one forward pass per request, for comparison.
"""

from __future__ import annotations

import asyncio
import contextlib
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
    contributors: list[tuple[str, float]]  # (modality, Shapley value on the probability), largest first


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
    visible = served.task.visible(job.timeline, sample)
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


def shapley_matrix(m: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(coalitions (C, m) bool, weights (m, C)): phi = weights @ v(coalitions), exact Shapley values.

    Every model modality is a player; one the patient lacks is a null player (masking it changes
    nothing), so its value is 0 and the others' equal those over the present modalities alone."""
    subsets = list(itertools.product([False, True], repeat=m))
    index = {s: i for i, s in enumerate(subsets)}
    weights = np.zeros((m, len(subsets)))
    for i in range(m):
        for s in subsets:
            if s[i]:
                continue
            size = sum(s)
            w = math.factorial(size) * math.factorial(m - size - 1) / math.factorial(m)
            with_i = tuple(True if k == i else v for k, v in enumerate(s))
            weights[i, index[with_i]] += w
            weights[i, index[s]] -= w
    return torch.tensor(subsets, dtype=torch.bool), torch.tensor(weights, dtype=torch.float64)


def _repeat(out: EncoderOutput, n: int) -> EncoderOutput:
    return EncoderOutput(
        tokens=out.tokens.repeat_interleave(n, 0),
        mask=out.mask.repeat_interleave(n, 0),
        pooled=out.pooled.repeat_interleave(n, 0),
    )


def _select(out: EncoderOutput, rows: slice) -> EncoderOutput:
    return EncoderOutput(tokens=out.tokens[rows], mask=out.mask[rows], pooled=out.pooled[rows])


def score_items(served: ServedModel, items: Sequence[Item], contributors: bool) -> list[Scored]:
    """One batched pass: encoders once, then the fusion over every coalition of modalities (the full
    coalition is the prediction itself)."""
    model, mods = served.model, served.model.modalities
    batch = collate(list(items), served.processors, None)
    present = torch.stack([batch.inputs[m].mask for m in mods], dim=1)  # (B, M)
    with torch.no_grad():
        outputs, _ = model.encode(batch)
        if contributors:
            subsets, weights = shapley_matrix(len(mods))
        else:
            subsets, weights = torch.ones((1, len(mods)), dtype=torch.bool), None
        c = len(subsets)
        b = len(items)
        keep = present.unsqueeze(1) & subsets.unsqueeze(0)  # (B, C, M)
        probs = torch.empty(b * c, dtype=torch.float64)
        per_chunk = max(1, _SHAPLEY_ROWS // c)
        for start in range(0, b, per_chunk):
            rows = slice(start, min(b, start + per_chunk))
            n = rows.stop - rows.start
            outs = {m: _repeat(_select(o, rows), c) for m, o in outputs.items()}
            mask = keep[rows].reshape(n * c, len(mods))
            fused = model.fusion(outs, {m: mask[:, k] for k, m in enumerate(mods)})
            logits = head_logits(model, fused).reshape(n * c, -1)[:, 0]
            probs[start * c : rows.stop * c] = torch.sigmoid(logits.double())
    values = probs.reshape(b, c)
    full = values[:, -1].numpy()  # the last coalition has every modality
    risks = np.asarray(served.calibrate(full), dtype=np.float64).reshape(-1)
    phi = (values @ weights.T).numpy() if weights is not None else None
    out: list[Scored] = []
    for i, item in enumerate(items):
        here = [m for k, m in enumerate(mods) if bool(present[i, k])]
        contrib: list[tuple[str, float]] = []
        if phi is not None:
            contrib = sorted(
                ((m.value, float(phi[i, k])) for k, m in enumerate(mods) if bool(present[i, k])),
                key=lambda kv: -abs(kv[1]),
            )
        out.append(
            Scored(
                served, item.subject_id, item.prediction_time, float(full[i]), float(risks[i]), here, contrib
            )
        )
    return out


def run_jobs(
    served: ServedModel, jobs: Sequence[PatientInput], cache: ItemCache | None, contributors: bool
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
        for i, scored in zip(where, score_items(served, items, contributors), strict=True):
            results[i] = scored
    return results


# ---------------------------------------------------------------- the two serving paths


@dataclass
class _Pending:
    job: PatientInput
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
        contributors: bool,
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

    async def predict(self, job: PatientInput) -> Scored:
        if self._closed:
            raise RuntimeError("the predictor is shut down")
        if not self.micro_batching:
            served = self.slot.current
            loop = asyncio.get_running_loop()
            (result,) = await loop.run_in_executor(
                self._pool, run_jobs, served, [job], self.cache, self.contributors
            )
            if self.on_batch is not None:
                self.on_batch(1)
            if isinstance(result, Exception):
                raise result
            return result
        assert self._queue is not None, "Predictor.start() was not called"
        future: asyncio.Future[Scored] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(job, future))
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
                    self._pool, run_jobs, served, [p.job for p in live], self.cache, self.contributors
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
