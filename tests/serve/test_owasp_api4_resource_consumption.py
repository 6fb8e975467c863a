"""OWASP API4:2023 Unrestricted Resource Consumption: body size (413, also chunked), Bundle entries,
per-credential rate limits (429), time limits (504)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient

from healthfm.serve import create_app
from tests.serve.conftest import Served
from tests.serve.helpers import auth, outcome


def test_a_large_body_is_refused_with_413(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write")
    big = (
        b'{"resourceType": "Bundle", "entry": ['
        + b'{"resource": {"resourceType": "Basic"}},' * 80_000
        + b"{}]}"
    )
    r = client.post("/v1/predict", content=big, headers={**auth(key), "content-type": "application/json"})
    assert r.status_code == 413 and outcome(r)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"resourceType": "Bundle", "entry": ['
        for _ in range(80_000):
            yield b'{"resource": {"resourceType": "Basic"}},'
        yield b"{}]}"

    r = client.post(
        "/v1/predict", content=chunks(), headers={**auth(key), "content-type": "application/json"}
    )
    assert r.status_code == 413


def test_rate_limit_per_credential(served: Served) -> None:
    with TestClient(create_app(served.settings(rate_per_minute=6, rate_burst=3))) as c:
        a = served.key("*", "system/RiskAssessment.write")
        b = served.key("*", "system/RiskAssessment.write")
        codes = [c.get("/v1/models", headers=auth(a)).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        limited = c.get("/v1/models", headers=auth(a))
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert c.get("/v1/models", headers=auth(b)).status_code == 200  # per credential


def test_a_prediction_past_its_time_limit_is_504(served: Served) -> None:
    with TestClient(create_app(served.settings(request_timeout_s=1e-6))) as c:
        key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
        sid = served.sites["Cleveland"][0]
        r = c.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
        assert r.status_code == 504 and "too long" in outcome(r)
        assert c.get("/readyz").status_code == 200  # the server is fine afterwards
