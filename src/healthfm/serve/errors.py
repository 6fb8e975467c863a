"""FHIR `OperationOutcome` errors: every failure the API returns names its problem in one."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

FHIR_JSON = "application/fhir+json"

# HTTP status → FHIR issue type (http://hl7.org/fhir/issue-type)
_ISSUE_CODE = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    429: "throttled",
    503: "transient",
    504: "timeout",
}


class ApiError(Exception):
    """An error the API answers with `status` and an OperationOutcome naming the problem."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        expression: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.expression = expression or []
        self.headers = headers or {}


def operation_outcome(status: int, message: str, expression: list[str] | None = None) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "severity": "error" if status < 500 else "fatal",
        "code": _ISSUE_CODE.get(status, "exception" if status >= 500 else "invalid"),
        "diagnostics": message,
    }
    if expression:
        issue["expression"] = expression
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_response(
    status: int, message: str, expression: list[str] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        operation_outcome(status, message, expression),
        status_code=status,
        headers=headers,
        media_type=FHIR_JSON,
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


async def audit_rejection(request: Request, status: int) -> None:
    """Rejected requests are audited too (who, which route, which status; never the body)."""
    state = getattr(request.app.state, "healthfm", None)
    services = getattr(state, "services", None)
    if services is None or not services.ready:
        return
    principal = getattr(request.state, "principal", None)
    route = getattr(request.scope.get("route"), "path", None) or "unmatched"
    details = {"status": status, "route": route, "method": request.method}
    try:
        await services.audit.record(getattr(principal, "actor", "anonymous"), "serve.rejected", None, details)
    except Exception:  # the catalog is down: the error answer still goes out (readyz reports it)
        return


def install_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        await audit_rejection(request, exc.status)
        return outcome_response(exc.status, exc.message, exc.expression, exc.headers)

    async def validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        await audit_rejection(request, 422)
        errors = list(exc.errors())[:10]
        where = [_location(e.get("loc", ())) for e in errors]
        text = "; ".join(f"{w}: {e.get('msg', 'invalid')}" for w, e in zip(where, errors, strict=True))
        return outcome_response(422, f"invalid request: {text}" if text else "invalid request", where)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        await audit_rejection(request, exc.status_code)
        headers = dict(exc.headers) if exc.headers else None
        return outcome_response(exc.status_code, str(exc.detail), headers=headers)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug, never an input: the message names no patient data, the log has the traceback.
        logging.getLogger("healthfm.serve").error("internal error: %s", type(exc).__name__, exc_info=exc)
        await audit_rejection(request, 500)
        return outcome_response(500, "internal error; the request was not completed")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
