"""OWASP API2:2023 Broken Authentication: API keys (hashed, revocable) and JWT bearer tokens."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import jwt

from tests.serve.conftest import Served
from tests.serve.helpers import auth, bearer, outcome, token


def _predict(client: Any, sid: int, headers: dict[str, str]) -> Any:
    return client.post("/v1/predict", json={"subject": str(sid)}, headers=headers)


def test_no_or_malformed_credentials_are_rejected(served: Served, client: Any) -> None:
    sid = next(iter(served.sites.values()))[0]
    for headers in ({}, auth("nope"), auth("hfm_000000000000_" + "A" * 43), {"Authorization": "Basic abc"}):
        r = _predict(client, sid, headers)
        assert r.status_code == 401, (headers, r.text)
        assert outcome(r)
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_keys_are_stored_hashed_and_revocation_takes_effect(served: Served, client: Any) -> None:
    sid = served.sites["Cleveland"][0]
    key = served.key("Cleveland", "system/RiskAssessment.write", "patient/*.read")
    with served.catalog() as cat:
        records = cat.list_api_keys()
        assert all(key not in (r.key_hash, r.name, r.key_id) for r in records)
        record = next(r for r in records if r.key_hash == hashlib.sha256(key.encode()).hexdigest())
    assert _predict(client, sid, auth(key)).status_code == 200
    with served.catalog() as cat:
        cat.revoke_api_key(record.key_id, actor="test")
    time.sleep(2.1)  # the server caches key lookups for two seconds
    r = _predict(client, sid, auth(key))
    assert r.status_code == 401 and "revoked" in outcome(r)


def test_jwt_bearer_tokens_are_verified(served: Served, client: Any) -> None:
    sid = served.sites["Cleveland"][0]
    scope = "system/RiskAssessment.write patient/*.read"
    assert _predict(client, sid, bearer(token(scope=scope, site="Cleveland"))).status_code == 200
    bad = [
        token(scope=scope, site="Cleveland", exp=int(time.time()) - 60),  # expired
        token(scope=scope, site="Cleveland", aud="someone-else"),  # wrong audience
        jwt.encode(
            {"sub": "x", "scope": scope, "site": "*", "aud": "healthfm", "exp": int(time.time()) + 60},
            "w" * 40,
        ),
        jwt.encode(
            {"sub": "x", "scope": scope, "site": "*", "aud": "healthfm", "exp": int(time.time()) + 60},
            None,
            algorithm="none",
        ),
        token(scope=scope),  # fine, but tampered below
    ]
    head, body, sig = bad[-1].split(".")
    bad[-1] = f"{head}.{body}.{sig[:-2]}AA"
    no_site = jwt.encode(
        {"sub": "x", "scope": scope, "aud": "healthfm", "exp": int(time.time()) + 60}, "s" * 40
    )
    for tok in [*bad, no_site]:
        assert _predict(client, sid, bearer(tok)).status_code == 401, tok
