"""OWASP API5:2023 Broken Function Level Authorization: each function needs its scope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.serve.conftest import MODEL, Served
from tests.serve.helpers import auth, bearer, token


@pytest.mark.parametrize(
    ("method", "path", "body", "scope"),
    [
        ("post", "/v1/predict", {"subject": "1"}, "system/RiskAssessment.write"),
        ("post", f"/v1/models/{MODEL}/activate", {"version": 1}, "admin"),
        ("get", "/v1/review", None, "review"),
        ("post", "/v1/review/1", {"decision": "accept"}, "review"),
        ("get", "/metrics", None, "metrics"),
    ],
)
def test_each_function_requires_its_scope(
    served: Served, client: Any, method: str, path: str, body: Any, scope: str
) -> None:
    others = [
        s
        for s in ("system/RiskAssessment.write", "patient/*.read", "review", "admin", "metrics")
        if s != scope
    ]
    key = served.key("*", *others)
    kwargs = {"json": body} if body is not None else {}
    r = getattr(client, method)(path, headers=auth(key), **kwargs)
    assert r.status_code == 403, r.text
    assert scope in r.json()["issue"][0]["diagnostics"]
    r = getattr(client, method)(path, headers=bearer(token(scope=" ".join(others))), **kwargs)
    assert r.status_code == 403


def test_reading_stored_patients_needs_the_read_scope(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write")
    sid = served.sites["Cleveland"][0]
    r = client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
    assert r.status_code == 403 and "patient/*.read" in r.text
