"""ASGI middleware: the body size limit (413, also for chunked bodies), request metrics, in-flight
counting for a graceful drain."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from healthfm.serve.errors import FHIR_JSON, operation_outcome
from healthfm.serve.metrics import Metrics


class _TooLargeError(Exception):
    pass


async def _send_413(send: Send, limit: int) -> None:
    import json

    body = json.dumps(operation_outcome(413, f"request body larger than {limit} bytes")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", FHIR_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await _send_413(send, self.max_bytes)
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLargeError
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except _TooLargeError:
            if not started:
                await _send_413(send, self.max_bytes)


class RequestMetrics:
    """Counts and times every request by its route template (never the raw path: ids stay out)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, state: Any) -> None:
        self.app = app
        self.metrics = metrics
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.in_flight.inc()
        self.state.in_flight += 1
        try:
            await self.app(scope, receive, capture)
        finally:
            self.state.in_flight -= 1
            self.metrics.in_flight.dec()
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope.get("method", ""), template, str(status)).inc()
            self.metrics.latency.labels(template).observe(time.perf_counter() - start)
