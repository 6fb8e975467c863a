"""`GET /healthz` (alive), `GET /readyz` (model loaded, catalog reachable, not draining), `GET /metrics`."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from healthfm.serve.auth import SCOPE_METRICS, Principal
from healthfm.serve.deps import AppState, ServicesDep, require
from healthfm.serve.errors import ApiError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: a model is loaded and the catalog answers")
async def readyz(request: Request) -> dict[str, Any]:
    state: AppState = request.app.state.healthfm
    services = state.services
    if services is None or not services.ready or services.draining:
        raise ApiError(503, "not ready", headers={"Retry-After": "1"})
    try:
        services.catalog.schema_version()
    except Exception:
        raise ApiError(503, "the catalog does not answer", headers={"Retry-After": "1"}) from None
    return {"status": "ready", "model": services.slot.current.label}


@router.get(
    "/metrics",
    summary="Prometheus metrics (requests, latency histogram, queue lengths)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def metrics(
    services: ServicesDep, _: Annotated[Principal, Depends(require(SCOPE_METRICS))]
) -> Response:
    services.metrics.predict_queue.set(services.predictor.queued())
    services.metrics.review_pending.set(await asyncio.to_thread(services.catalog.count_reviews))
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
