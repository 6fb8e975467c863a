"""The two serving paths over `scoring`: micro-batched, or one forward pass per request (`--plain`).

Micro-batching: requests wait in an asyncio queue; what queued while the last batch ran joins at once,
then up to `max_wait_ms` more (or until `max_batch` are there); one worker thread then prepares and runs
them together. The plain path (`micro_batching=False`) runs one forward pass per request, for comparison.

Recording: a request may bring a `Record` (its audit entry, and a review item when a clinician must
look, built from its result); the worker thread then writes the whole batch's entries in one catalog
transaction right after scoring, before any of its requests is answered: no second queue and no thread
hop between the prediction and its audit entry.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from healthfm.serve.inputs import PatientInput
from healthfm.serve.scoring import ItemCache, Scored, run_jobs
from healthfm.serve.served import ModelSlot, ServedModel
from healthfm.store.catalog import AuditRow, ReviewItem

# ---------------------------------------------------------------- the two serving paths


# what a recorded request writes once scored: (its review item or None, its audit entry)
Record = Callable[[Scored], tuple[Mapping[str, Any] | None, AuditRow]]
RecordMany = Callable[[list[tuple[Mapping[str, Any] | None, AuditRow | None]]], list[ReviewItem | None]]


@dataclass
class _Pending:
    job: PatientInput
    method: str
    future: asyncio.Future[tuple[Scored, ReviewItem | None]]
    record: Record | None = None


def run_and_record(
    served: ServedModel,
    jobs: Sequence[PatientInput],
    cache: ItemCache | None,
    methods: Sequence[str],
    records: Sequence[Record | None],
    record_many: RecordMany | None,
) -> list[tuple[Scored, ReviewItem | None] | Exception]:
    """`run_jobs`, then one write (`record_many`, e.g. `Catalog.record_reviewed`) for the entries of
    every scored job that has a `Record`. If the write fails, those jobs fail with its error: no answer
    leaves without its audit entry."""
    results = run_jobs(served, jobs, cache, methods)
    out: list[tuple[Scored, ReviewItem | None] | Exception] = [
        r if isinstance(r, Exception) else (r, None) for r in results
    ]
    todo: list[int] = []
    pairs: list[tuple[Mapping[str, Any] | None, AuditRow | None]] = []
    for i, (result, record) in enumerate(zip(results, records, strict=True)):
        if record is None or isinstance(result, Exception):
            continue
        try:
            pairs.append(record(result))
            todo.append(i)
        except Exception as exc:  # a bug building one entry fails that request only
            out[i] = exc
    if todo:
        if record_many is None:
            raise RuntimeError("a request brought a Record but the predictor has no record_many")
        try:
            items = record_many(pairs)
        except Exception as exc:  # the catalog is unavailable: those requests fail, nothing half-written
            for i in todo:
                out[i] = exc
        else:
            for i, item in zip(todo, items, strict=True):
                out[i] = (results[i], item)  # type: ignore[assignment]
    return out


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
        record_many: RecordMany | None = None,
    ) -> None:
        self.slot = slot
        self.record_many = record_many
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
        scored, _ = await self.predict_recorded(job, None, contributors)
        return scored

    async def predict_recorded(
        self, job: PatientInput, record: Record | None, contributors: str | None = None
    ) -> tuple[Scored, ReviewItem | None]:
        """The prediction and, when `record` is given, the review item written with its audit entry
        (in the batch's one catalog transaction, before this returns)."""
        method = contributors or self.contributors
        if self._closed:
            raise RuntimeError("the predictor is shut down")
        if not self.micro_batching:
            served = self.slot.current
            loop = asyncio.get_running_loop()
            (result,) = await loop.run_in_executor(
                self._pool, run_and_record, served, [job], self.cache, [method], [record], self.record_many
            )
            if self.on_batch is not None:
                self.on_batch(1)
            if isinstance(result, Exception):
                raise result
            return result
        assert self._queue is not None, "Predictor.start() was not called"
        future: asyncio.Future[tuple[Scored, ReviewItem | None]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(job, method, future, record))
        return await future

    async def _batches(self) -> None:
        assert self._queue is not None
        queue = self._queue
        loop = asyncio.get_running_loop()
        while True:
            first = await queue.get()
            pending = [first]
            # what queued while the last batch ran joins at once; then wait up to max_wait for more
            while len(pending) < self.max_batch and not queue.empty():
                pending.append(queue.get_nowait())
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
                    self._pool,
                    run_and_record,
                    served,
                    [p.job for p in live],
                    self.cache,
                    [p.method for p in live],
                    [p.record for p in live],
                    self.record_many,
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
