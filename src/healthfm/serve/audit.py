"""Every request is audited before its response leaves: entries are committed in groups (one catalog
transaction, one fsync, for all the requests that arrived within a few milliseconds). Review items go
through the same single writer, so concurrent requests never wait on each other's catalog locks."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from healthfm.store.catalog import Catalog, ReviewItem

Entry = tuple[str, str, str | None, Mapping[str, Any] | None]


@dataclass
class _Waiting:
    entry: Entry | None
    future: asyncio.Future[Any]
    review: Mapping[str, Any] | None = None


class AuditWriter:
    """`await record(...)` returns once the entry is in the hash chain (group commit)."""

    def __init__(self, catalog: Catalog, flush_ms: float, max_group: int = 256) -> None:
        self.catalog = catalog
        self.flush = flush_ms / 1000.0
        self.max_group = max_group
        self._queue: asyncio.Queue[_Waiting] | None = None
        self._task: asyncio.Task[None] | None = None
        self.committed = 0

    def start(self) -> None:
        self._queue = asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def record(
        self, actor: str, action: str, subject: str | None = None, details: Mapping[str, Any] | None = None
    ) -> None:
        if self._queue is None:  # not started (tests calling handlers directly): write at once
            await asyncio.to_thread(self.catalog.audit, actor, action, subject, details)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Waiting((actor, action, subject, details), future))
        await future

    async def record_reviewed(self, entry: Entry, review: Mapping[str, Any] | None) -> ReviewItem | None:
        """The request's review item (when given) and its audit entry, which gains the item's
        `review_id`: one write, grouped with the other requests' (`Catalog.record_reviewed`)."""
        if self._queue is None:
            (item,) = await asyncio.to_thread(self.catalog.record_reviewed, [(review, entry)])
            return item
        future: asyncio.Future[ReviewItem | None] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Waiting(entry, future, review))
        return await future

    def _write(self, group: list[_Waiting]) -> list[Any]:
        return self.catalog.record_reviewed([(w.review, w.entry) for w in group])

    async def _run(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            group = [await queue.get()]
            if self.flush > 0:
                await asyncio.sleep(self.flush)
            while not queue.empty() and len(group) < self.max_group:
                group.append(queue.get_nowait())
            try:
                results = await asyncio.to_thread(self._write, group)
            except Exception as exc:  # catalog unavailable: those requests fail, none answered unaudited
                for w in group:
                    if not w.future.done():
                        w.future.set_exception(exc)
                continue
            self.committed += len(group)
            for w, result in zip(group, results, strict=True):
                if not w.future.done():
                    w.future.set_result(result)

    async def close(self) -> None:
        if self._queue is not None:
            for _ in range(500):
                if self._queue.empty():
                    break
                await asyncio.sleep(0.01)
        if self._task is not None:
            await asyncio.sleep(self.flush * 2 + 0.01)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
