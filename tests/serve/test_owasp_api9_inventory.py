"""OWASP API9:2023 Improper Inventory Management: the OpenAPI schema lists every API route, every route
is documented in docs/serving.md, and the version is in the path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from healthfm.serve import create_app
from tests.serve.conftest import Served

DOCS = Path(__file__).resolve().parents[2] / "docs" / "serving.md"
PAGE_ROUTES = {"/review", "/review/login", "/review/{item_id}/decide", "/review/figures/{item_id}/{name}"}


def _routes(routes: Any) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (kept as wrappers by newer FastAPI versions)."""
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        inner = getattr(r, "original_router", None) or getattr(r, "router", None)
        if inner is not None and hasattr(inner, "routes"):
            out += _routes(inner.routes)
    return out


def test_every_route_is_in_the_schema_or_the_page(served: Served, client: Any) -> None:
    app = create_app(served.settings())
    routes = {r.path for r in _routes(app.routes)}
    documented = set(client.get("/openapi.json").json()["paths"])
    assert routes - documented == PAGE_ROUTES
    assert {p for p in documented if p.startswith("/v1/")} == {
        "/v1/predict",
        "/v1/models",
        "/v1/models/{name}/activate",
        "/v1/review",
        "/v1/review/{item_id}",
        "/v1/review/{item_id}/figures/{name}",
    }
    assert documented - {p for p in documented if p.startswith("/v1/")} == {"/healthz", "/readyz", "/metrics"}


def test_docs_name_every_route() -> None:
    text = DOCS.read_text()
    for path in [
        "/v1/predict",
        "/v1/models",
        "/v1/models/{name}/activate",
        "/v1/review",
        "/v1/review/{id}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/review",
    ]:
        assert f"`{path}" in text or f"{path}`" in text, path
