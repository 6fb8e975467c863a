"""Small helpers shared by the serving tests."""

from __future__ import annotations

import time
from typing import Any

import jwt

JWT_SECRET = "s" * 40


def token(sub: str = "clinician-1", scope: str = "", site: str = "*", **claims: Any) -> str:
    body = {"sub": sub, "scope": scope, "site": site, "aud": "healthfm", "exp": int(time.time()) + 300}
    body.update(claims)
    return jwt.encode(body, JWT_SECRET, algorithm="HS256")


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def outcome(response: Any) -> str:
    """The diagnostics of an OperationOutcome response (asserting it is one)."""
    body = response.json()
    assert body["resourceType"] == "OperationOutcome", body
    return str(body["issue"][0]["diagnostics"])
