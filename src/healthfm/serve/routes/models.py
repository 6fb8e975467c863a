"""`GET /v1/models` (registered versions, which one is served) and `POST /v1/models/{name}/activate`
(hot swap: the new version is loaded beside the old, then one reference changes)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from healthfm.errors import HealthfmError
from healthfm.serve.auth import SCOPE_ADMIN, Principal
from healthfm.serve.deps import PrincipalDep, ServicesDep, require
from healthfm.serve.errors import ApiError
from healthfm.serve.served import load_served
from healthfm.store.catalog import CatalogError

router = APIRouter(prefix="/v1/models", tags=["models"])


class Activate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Annotated[int, Field(ge=1, le=10**9)]


@router.get("", summary="Registered model versions and the one being served")
async def list_models(services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    served = services.slot.current
    records = await asyncio.to_thread(services.catalog.list_models, served.name)
    await services.audit.record(principal.actor, "serve.models.list", None, {"model": served.name})
    return {
        "serving": {"name": served.name, "version": served.version, "threshold": served.threshold},
        "models": [
            {
                "name": r.name,
                "version": r.version,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "metrics": r.metrics,
                "serving": r.version == served.version,
            }
            for r in records
        ],
    }


@router.post("/{name}/activate", summary="Serve another registered version of the model (hot swap)")
async def activate(
    services: ServicesDep,
    principal: Annotated[Principal, Depends(require(SCOPE_ADMIN))],
    name: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")],
    body: Activate,
) -> dict[str, Any]:
    current = services.slot.current
    if name != current.name:
        raise ApiError(404, f"this server serves model {current.name!r}, not {name!r}")
    try:
        record = await asyncio.to_thread(services.catalog.get_model, name, body.version)
    except CatalogError as exc:
        raise ApiError(404, str(exc)) from None
    try:
        served = await asyncio.to_thread(load_served, record)
    except HealthfmError as exc:
        raise ApiError(409, f"cannot serve {name}@{body.version}: {exc}") from None
    await asyncio.to_thread(
        services.catalog.set_model_status, name, body.version, "active", actor=principal.actor
    )
    old = services.slot.swap(served)
    await asyncio.to_thread(services.serving.write, name, body.version)  # the other workers follow
    await services.audit.record(
        principal.actor,
        "serve.models.activate",
        None,
        {"model": name, "from": old.version, "to": served.version},
    )
    return {"serving": {"name": served.name, "version": served.version, "threshold": served.threshold}}
