"""The review queue: `GET /v1/review`, `POST /v1/review/{id}` (accept / override with a reason), the
explanation figures, and a small server-rendered page for clinicians (`/review`)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from healthfm.serve.auth import SCOPE_REVIEW, Principal
from healthfm.serve.deps import Services, ServicesDep, get_services, require
from healthfm.serve.errors import ApiError
from healthfm.serve.review import FIGURES, figures_for
from healthfm.store.catalog import CatalogError, ReviewItem

router = APIRouter(prefix="/v1/review", tags=["review"])
page = APIRouter(tags=["review page"], include_in_schema=False)
COOKIE = "healthfm_review"
ReviewerDep = Annotated[Principal, Depends(require(SCOPE_REVIEW))]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["accept", "override"]
    reason: Annotated[str | None, Field(max_length=2000)] = None

    @model_validator(mode="after")
    def _override_needs_reason(self) -> Decision:
        if self.decision == "override" and (self.reason is None or not self.reason.strip()):
            raise ValueError("an override needs a reason")
        if self.reason is not None and not self.reason.strip():
            self.reason = None
        return self


def item_json(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "created_at": item.created_at.isoformat(),
        "subject": item.subject,
        "site": item.site,
        "model": item.model,
        "version": item.version,
        "probability": item.probability,
        "risk": item.risk,
        "threshold": item.threshold,
        "reasons": item.reasons,
        "contributors": item.details.get("contributors", []),
        "prediction_time": item.details.get("prediction_time"),
        "status": item.status,
        "decided_by": item.decided_by,
        "decided_at": None if item.decided_at is None else item.decided_at.isoformat(),
        "decision_reason": item.decision_reason,
    }


def _visible_item(services: Services, principal: Principal, item_id: int) -> ReviewItem:
    item = services.catalog.review_item(item_id)
    if item is None or not principal.may_read_site(item.site):
        raise ApiError(404, f"no review item {item_id} for this credential's site")
    return item


def _sites(principal: Principal) -> list[str] | None:
    return None if principal.site == "*" else [principal.site]


async def _decide(services: Services, principal: Principal, item_id: int, decision: Decision) -> ReviewItem:
    _visible_item(services, principal, item_id)
    try:
        item = await asyncio.to_thread(
            services.catalog.decide_review,
            item_id,
            decision=decision.decision,
            by=principal.actor,
            reason=decision.reason,
        )
    except CatalogError as exc:
        raise ApiError(409, str(exc)) from None
    return item


@router.get("", summary="Review items (pending by default) of the caller's site")
async def list_items(
    services: ServicesDep,
    principal: ReviewerDep,
    status: Literal["pending", "accepted", "overridden"] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    items = await asyncio.to_thread(
        services.catalog.review_items, status=status, sites=_sites(principal), limit=limit
    )
    await services.audit.record(
        principal.actor, "serve.review.list", None, {"status": status, "n": len(items)}
    )
    return {"items": [item_json(i) for i in items]}


@router.post("/{item_id}", summary="Record a clinician's decision: accept, or override with a reason")
async def decide(
    services: ServicesDep,
    principal: ReviewerDep,
    item_id: Annotated[int, Path(ge=1, le=2**62)],
    decision: Decision,
) -> dict[str, Any]:
    return item_json(await _decide(services, principal, item_id, decision))


@router.get(
    "/{item_id}/figures/{name}",
    summary="An explanation figure of a review item (computed on first request)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def figure(
    services: ServicesDep,
    principal: ReviewerDep,
    item_id: Annotated[int, Path(ge=1, le=2**62)],
    name: Literal["modalities.png", "top_features.png", "attention.png"],
) -> Response:
    return await _figure(services, principal, item_id, name)


async def _figure(services: Services, principal: Principal, item_id: int, name: str) -> Response:
    item = _visible_item(services, principal, item_id)
    try:
        folder = await asyncio.wait_for(
            asyncio.to_thread(figures_for, services, item), services.settings.explain_timeout_s
        )
    except TimeoutError:
        raise ApiError(504, "the explanation took too long") from None
    path = folder / name
    if name not in FIGURES or not path.is_file():
        raise ApiError(404, f"review item {item_id} has no figure {name}")
    await services.audit.record(principal.actor, "serve.review.figure", item.subject, {"review_id": item_id})
    return FileResponse(path, media_type="image/png")


# ---------------------------------------------------------------- the page (cookie session, CSRF token)


def _csrf(services: Services, secret: str) -> str:
    key = bytes.fromhex(services.settings.extra["csrf_key"])
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def _page_principal(services: Services, request: Request) -> tuple[Principal, str] | None:
    secret = request.cookies.get(COOKIE)
    if not secret:
        return None
    try:
        principal = services.auth.authenticate(None, secret)
    except ApiError:
        return None
    return (principal, secret) if SCOPE_REVIEW in principal.scopes else None


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(422, "invalid form") from None
    return {k: v[0] for k, v in parsed.items()}


_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}
.case{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.bar{display:inline-block;height:.8rem;background:#c0392b}.neg{background:#2471a3}
img{max-width:30rem;margin:.3rem;border:1px solid #eee}td{padding:0 .5rem}"""


def _html(title: str, body: str) -> HTMLResponse:
    text = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(
        text,
        headers={
            "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; form-action 'self'",
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        },
    )


def _case(item: ReviewItem, csrf: str) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(str(m))}</td><td>{v:+.3f}</td><td><span class='bar{'' if v >= 0 else ' neg'}' "
        f"style='width:{min(300, abs(v) * 600):.0f}px'></span></td></tr>"
        for m, v in item.details.get("contributors", [])
    )
    figs = "".join(
        f"<img alt='{e(f)}' loading='lazy' src='/review/figures/{item.id}/{f}'>" for f in FIGURES[:2]
    )
    reasons = "".join(f"<li>{e(r)}</li>" for r in item.reasons)
    return (
        f"<div class='case' id='case-{item.id}'><h2>Case {item.id}: patient {e(item.subject)}</h2>"
        f"<p>Model {e(item.model)} v{item.version} · risk <b>{item.risk:.3f}</b> (threshold "
        f"{item.threshold:.3f}) · site {e(item.site)} · "
        f"{e(item.created_at.isoformat(timespec='seconds'))}</p>"
        f"<ul>{reasons}</ul><table>{rows}</table><div>{figs}</div>"
        f"<form method='post' action='/review/{item.id}/decide'>"
        f"<input type='hidden' name='csrf' value='{csrf}'>"
        f"<button name='decision' value='accept' class='accept'>Accept</button> "
        f"<input name='reason' placeholder='reason (required to override)' maxlength='2000' size='40'> "
        f"<button name='decision' value='override' class='override'>Override</button></form></div>"
    )


@page.get("/review")
async def review_page(request: Request) -> HTMLResponse:
    services = await get_services(request)
    found = _page_principal(services, request)
    if found is None:
        return _html(
            "healthfm review — sign in",
            "<form method='post' action='/review/login'><label>API key with the review scope "
            "<input type='password' name='key' autocomplete='off' size='60'></label> "
            "<button type='submit'>Sign in</button></form>",
        )
    principal, secret = found
    items = await asyncio.to_thread(services.catalog.review_items, status="pending", sites=_sites(principal))
    await services.audit.record(principal.actor, "serve.review.page", None, {"pending": len(items)})
    csrf = _csrf(services, secret)
    body = f"<p>{len(items)} case(s) waiting for review · signed in as {html.escape(principal.actor)}</p>"
    body += "".join(_case(i, csrf) for i in items) or "<p class='empty'>No pending cases.</p>"
    return _html("healthfm review queue", body)


@page.post("/review/login")
async def review_login(request: Request) -> Response:
    services = await get_services(request)
    form = await _form(request)
    secret = form.get("key", "")
    try:
        principal = services.auth.authenticate(None, secret)
    except ApiError:
        principal = None
    await services.audit.record(
        principal.actor if principal else "anonymous",
        "serve.review.login",
        None,
        {"ok": principal is not None},
    )
    if principal is None or SCOPE_REVIEW not in principal.scopes:
        return _html(
            "healthfm review — sign in failed",
            "<p>Invalid key or no review scope.</p><a href='/review'>Back</a>",
        )
    response = RedirectResponse("/review", status_code=303)
    response.set_cookie(
        COOKIE, secret, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/review"
    )
    return response


@page.post("/review/{item_id}/decide")
async def review_decide(request: Request, item_id: int) -> Response:
    services = await get_services(request)
    found = _page_principal(services, request)
    if found is None:
        return RedirectResponse("/review", status_code=303)
    principal, secret = found
    form = await _form(request)
    if not hmac.compare_digest(form.get("csrf", ""), _csrf(services, secret)):
        raise ApiError(403, "invalid form token")
    try:
        decision = Decision(decision=form.get("decision", ""), reason=form.get("reason") or None)  # type: ignore[arg-type]
    except ValueError as exc:
        return _html(
            "healthfm review — not recorded", f"<p>{html.escape(str(exc))}</p><a href='/review'>Back</a>"
        )
    await _decide(services, principal, item_id, decision)
    return RedirectResponse("/review", status_code=303)


@page.get("/review/figures/{item_id}/{name}")
async def review_figure(request: Request, item_id: int, name: str) -> Response:
    services = await get_services(request)
    found = _page_principal(services, request)
    if found is None or name not in FIGURES:
        raise ApiError(404, "no such figure")
    return await _figure(services, found[0], item_id, name)
