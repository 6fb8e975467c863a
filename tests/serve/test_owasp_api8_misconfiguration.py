"""OWASP API8:2023 Security Misconfiguration: no interactive docs, no CORS, no server banner, errors
without internals, a locked-down review page, loopback by default."""

from __future__ import annotations

import inspect
from typing import Any

from healthfm.serve.commands import serve_command
from tests.serve.conftest import Served
from tests.serve.helpers import auth


def test_no_docs_ui_no_cors_no_banner(client: Any) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    r = client.options(
        "/v1/predict", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in r.headers
    r = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert "server" not in {k.lower() for k in r.headers} or "uvicorn" not in r.headers.get("server", "")


def test_errors_reveal_no_internals(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    for r in (
        client.post("/v1/predict", content=b"{", headers={**auth(key), "content-type": "application/json"}),
        client.post("/v1/predict", json={"subject": "9" * 19}, headers=auth(key)),
        client.get("/nowhere"),
    ):
        assert r.status_code < 500
        text = r.text
        assert "Traceback" not in text and 'File "' not in text and "sqlalchemy" not in text.lower()
        assert r.json()["resourceType"] == "OperationOutcome"


def test_review_page_headers(client: Any) -> None:
    r = client.get("/review")
    assert r.status_code == 200
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"


def test_the_session_cookie_is_httponly_and_strict(served: Served, client: Any) -> None:
    key = served.key("*", "review")
    r = client.post(
        "/review/login",
        content=f"key={key}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/review" in cookie


def test_a_decision_from_the_page_needs_its_form_token(served: Served, client: Any) -> None:
    key = served.key("*", "review")
    client.cookies.set("healthfm_review", key, path="/review")
    try:
        r = client.post(
            "/review/1/decide",
            content=b"decision=accept&csrf=forged",
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
    finally:
        client.cookies.clear()
    assert r.status_code == 403


def test_loopback_by_default() -> None:
    host = inspect.signature(serve_command).parameters["host"].default
    assert host == "127.0.0.1"
