"""The dependencies of every route, in one place: the app's services and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from healthfm.privacy.gate import PrivacyGate
from healthfm.serve.audit import AuditWriter
from healthfm.serve.auth import Authenticator, Principal
from healthfm.serve.errors import ApiError
from healthfm.serve.inputs import PatientIndex
from healthfm.serve.metrics import Metrics
from healthfm.serve.predictor import Predictor
from healthfm.serve.served import ModelSlot
from healthfm.serve.settings import ServeSettings
from healthfm.serve.shared import ServingVersion, SharedRateLimiter
from healthfm.store.catalog import Catalog
from healthfm.store.patient_store import PatientStore


@dataclass
class Services:
    """Everything a request may use; built by `create_app`'s lifespan, closed at shutdown."""

    settings: ServeSettings
    catalog: Catalog
    store: PatientStore
    slot: ModelSlot
    predictor: Predictor
    audit: AuditWriter
    auth: Authenticator
    limiter: SharedRateLimiter
    metrics: Metrics
    gate: PrivacyGate | None
    serving: ServingVersion
    patients: PatientIndex = field(default_factory=PatientIndex)
    ready: bool = False
    draining: bool = False
    in_flight: int = 0
    background: set[Any] = field(default_factory=set)


class AppState:
    """Mutable per-app state the middleware sees before the lifespan has built the services."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.in_flight = 0


api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key issued by `healthfm serve keys issue`."
)
bearer = HTTPBearer(auto_error=False, description="An OAuth2 JWT with SMART-style scopes and a site claim.")


async def get_services(request: Request) -> Services:
    state: AppState = request.app.state.healthfm
    if state.services is None or not state.services.ready:
        raise ApiError(503, "the server is starting or shutting down", headers={"Retry-After": "1"})
    return state.services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_principal(
    request: Request,
    services: ServicesDep,
    key: Annotated[str | None, Depends(api_key_header)],
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    authorization = f"Bearer {token.credentials}" if token is not None else None
    principal = services.auth.authenticate(authorization, key)
    request.state.principal = principal
    wait = services.limiter.take(principal.actor)
    if wait > 0:
        raise ApiError(
            429, "rate limit exceeded for this credential", headers={"Retry-After": str(max(1, round(wait)))}
        )
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(scope: str) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency: the caller, who must hold `scope` (403 otherwise)."""

    async def check(principal: PrincipalDep) -> Principal:
        principal.require(scope)
        return principal

    return check
