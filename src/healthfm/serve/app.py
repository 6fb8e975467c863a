"""`create_app(settings)`: the FastAPI application; everything is built in its lifespan, nothing at
import time. Shutdown drains: readiness turns false, queued predictions finish, audit entries commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from healthfm.serve.audit import AuditWriter
from healthfm.serve.auth import Authenticator
from healthfm.serve.deps import AppState, Services
from healthfm.serve.errors import install_handlers
from healthfm.serve.metrics import Metrics
from healthfm.serve.middleware import BodyLimit, RequestMetrics
from healthfm.serve.predictor import Predictor
from healthfm.serve.routes import health, models, predict, review
from healthfm.serve.served import ModelSlot, find_record, load_served
from healthfm.serve.settings import SETTINGS_ENV, ServeSettings
from healthfm.serve.shared import BUCKETS_FILE, ServingVersion, SharedRateLimiter, make_shared_dir

log = logging.getLogger("healthfm.serve")


def build_services(settings: ServeSettings, metrics: Metrics) -> Services:
    """Open the store and catalog, load the model, set up auth (blocking; run at startup)."""
    import torch

    from healthfm.privacy.gate import PrivacyGate, load_key
    from healthfm.store.catalog import Catalog
    from healthfm.store.patient_store import PatientStore

    torch.set_num_threads(int(settings.extra.get("torch_threads", 1)))
    store = PatientStore.open(settings.store, create=False)
    catalog = (
        Catalog.open(settings.catalog_url, store_path=settings.store)
        if settings.catalog_url
        else store.catalog
    )
    shared = Path(settings.extra["shared_dir"])
    serving = ServingVersion(shared)
    chosen = serving.changed()  # another worker's choice (an activation since the server started)
    if chosen is not None and chosen[0] == settings.model:
        record = find_record(catalog, *chosen)
    else:
        record = find_record(catalog, settings.model, settings.version)
        serving.write(record.name, record.version)
    slot = ModelSlot(load_served(record))
    gate = None
    if settings.pseudonym_key_file is not None:
        gate = PrivacyGate(load_key(settings.pseudonym_key_file))
    predictor = Predictor(
        slot,
        micro_batching=settings.micro_batching,
        max_batch=settings.max_batch,
        max_wait_ms=settings.max_wait_ms,
        cache_size=settings.item_cache,
        contributors=settings.contributors,
        on_batch=metrics.batch_size.observe,
        record_many=catalog.record_reviewed,  # a batch's audit entries and review items: one write
    )
    auth = Authenticator(
        catalog,
        jwt_secret=settings.jwt_secret,
        jwt_public_key_file=settings.jwt_public_key_file,
        jwt_issuer=settings.jwt_issuer,
        jwt_audience=settings.jwt_audience,
    )
    return Services(
        settings=settings,
        catalog=catalog,
        store=store,
        slot=slot,
        predictor=predictor,
        audit=AuditWriter(catalog, settings.audit_flush_ms),
        auth=auth,
        limiter=SharedRateLimiter(shared / BUCKETS_FILE, settings.rate_per_minute, settings.rate_burst),
        metrics=metrics,
        gate=gate,
        serving=serving,
    )


async def follow_serving(services: Services, every_s: float = 1.0) -> None:
    """Serve the version another worker activated (`POST /v1/models/{name}/activate` answers in one
    worker; the others follow within a second of its swap)."""
    while True:
        await asyncio.sleep(every_s)
        chosen = services.serving.changed()
        current = services.slot.current
        if chosen is None or chosen == (current.name, current.version):
            continue
        try:
            record = await asyncio.to_thread(find_record, services.catalog, *chosen)
            services.slot.swap(await asyncio.to_thread(load_served, record))
        except Exception:  # keep serving the current version; the next change is tried again
            log.exception("could not switch to %s@%s", *chosen)
            continue
        await services.audit.record(
            "serve",
            "serve.models.follow",
            None,
            {"model": chosen[0], "from": current.version, "to": chosen[1]},
        )


def create_app(settings: ServeSettings) -> FastAPI:
    """The API for `settings` (see docs/serving.md)."""
    state = AppState()
    metrics = Metrics()
    own_dir = "shared_dir" not in settings.extra  # one process: this app makes (and removes) its folder
    # the review page's form tokens: one key for every worker (the parent sets it for several)
    settings = settings.with_(extra={"csrf_key": secrets.token_hex(32), **settings.extra})

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        nonlocal settings
        if own_dir:  # made when the app starts, not when it is built (an app never started leaves none)
            settings = settings.with_(extra={**settings.extra, "shared_dir": str(make_shared_dir())})
        try:
            services = await asyncio.to_thread(build_services, settings, metrics)
        except BaseException:
            if own_dir:
                shutil.rmtree(settings.extra["shared_dir"], ignore_errors=True)
            raise
        services.predictor.start()
        services.audit.start()
        await services.audit.record(
            "serve",
            "serve.start",
            None,
            {"model": services.slot.current.label, "micro_batching": settings.micro_batching},
        )
        services.ready = True
        state.services = services
        follower = asyncio.get_running_loop().create_task(follow_serving(services))
        log.info("serving %s", services.slot.current.label)
        try:
            yield
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
            services.draining = True
            for _ in range(int(settings.drain_timeout_s * 100)):
                if state.in_flight == 0:
                    break
                await asyncio.sleep(0.01)
            await services.predictor.drain(settings.drain_timeout_s)
            await services.audit.record("serve", "serve.stop", None, {"model": services.slot.current.label})
            await services.audit.close()
            services.ready = False
            services.store.close()
            services.catalog.close()
            services.limiter.close()
            metrics.close()
            if own_dir:
                shutil.rmtree(settings.extra["shared_dir"], ignore_errors=True)

    app = FastAPI(
        title="healthfm clinical API",
        version="1",
        summary="Audited FHIR risk predictions with human review",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.healthfm = state
    install_handlers(app)
    for router in (predict.router, models.router, review.router, health.router):
        app.include_router(router)
    app.include_router(review.page, include_in_schema=False)  # the HTML page: documented in docs/serving.md
    app.add_middleware(RequestMetrics, metrics=metrics, state=state)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """The factory each worker of `healthfm serve --workers N` calls (settings from its environment)."""
    return create_app(ServeSettings.from_json(os.environ[SETTINGS_ENV]))
