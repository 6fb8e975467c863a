"""The human review queue: who enters it, `GET /v1/review`, `POST /v1/review/{id}` (accept / override
with a reason, once), figures, and the server-rendered page driven in headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from healthfm.serve import create_app
from tests.serve.cdp import CHROMIUM, Browser
from tests.serve.conftest import Served
from tests.serve.helpers import auth, outcome


def _predict_into_review(served: Served, client: Any, site: str, n: int) -> list[int]:
    key = served.key(site, "system/RiskAssessment.write", "patient/*.read")
    ids = []
    for sid in served.sites[site][-n:]:
        r = client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
        assert r.status_code == 200, r.text
        ext = [e for e in r.json()["extension"] if e["url"].endswith("human-review")]
        if ext:
            assert r.json()["status"] == "preliminary"
            ids.append(int(ext[0]["extension"][0]["valueString"]))
    return ids


@pytest.fixture(scope="module")
def client(served: Served) -> Iterator[Any]:
    """Every prediction enters the queue (risk at or above 0)."""
    from fastapi.testclient import TestClient

    with TestClient(create_app(served.settings(review_risk_above=0.0))) as c:
        yield c


def test_reasons_follow_the_settings(served: Served) -> None:
    from fastapi.testclient import TestClient

    with TestClient(create_app(served.settings(review_risk_above=1.0, review_margin=0.0))) as c:
        ids = _predict_into_review(served, c, "Cleveland", 2)
    assert ids == []  # nothing is high risk or uncertain under these settings


def test_uncertain_or_high_risk_predictions_are_reviewed(served: Served, client: Any) -> None:
    ids = _predict_into_review(served, client, "Switzerland", 3)
    assert len(ids) == 3  # review_risk_above=0: every prediction is reviewed here
    reviewer = served.key("Switzerland", "review")
    items = client.get("/v1/review", headers=auth(reviewer)).json()["items"]
    by_id = {i["id"]: i for i in items}
    for item_id in ids:
        item = by_id[item_id]
        assert item["status"] == "pending" and item["reasons"]
        assert any("review threshold 0.0" in r for r in item["reasons"])
    r = client.post(f"/v1/review/{ids[0]}", json={"decision": "override"}, headers=auth(reviewer))
    assert r.status_code == 422 and "reason" in outcome(r)
    r = client.post(
        f"/v1/review/{ids[0]}",
        json={"decision": "override", "reason": "recent normal angiogram"},
        headers=auth(reviewer),
    )
    assert r.status_code == 200 and r.json()["status"] == "overridden"
    again = client.post(f"/v1/review/{ids[0]}", json={"decision": "accept"}, headers=auth(reviewer))
    assert again.status_code == 409
    with served.catalog() as cat:
        entry = cat.audit_entries(action="review.decided")[-1]
        assert entry.details == {
            "review_id": ids[0],
            "decision": "override",
            "reason": "recent normal angiogram",
        }
        assert entry.actor.startswith("key:")


def test_figures_of_a_review_item(served: Served, client: Any) -> None:
    ids = _predict_into_review(served, client, "VA_Long_Beach", 1)
    reviewer = served.key("VA_Long_Beach", "review")
    r = client.get(f"/v1/review/{ids[0]}/figures/modalities.png", headers=auth(reviewer))
    assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/v1/review/{ids[0]}/figures/x.png", headers=auth(reviewer)).status_code == 422


@pytest.fixture
def live_server(served: Served) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(served.settings(review_risk_above=0.0)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
def test_review_page_in_headless_chromium(served: Served, client: Any, live_server: str) -> None:
    ids = _predict_into_review(served, client, "Hungary", 2)
    assert len(ids) == 2
    key = served.key("Hungary", "review")
    browser = Browser()
    try:
        browser.goto(f"{live_server}/review")
        assert browser.evaluate("document.title").endswith("sign in")
        browser.evaluate(
            f"document.querySelector('input[name=key]').value = {key!r};"
            "document.querySelector('form').submit(); true"
        )
        browser.wait_for("document.querySelectorAll('.case').length > 0")
        shown = browser.evaluate("Array.from(document.querySelectorAll('.case')).map(e => e.id)")
        assert {f"case-{i}" for i in ids} <= set(shown)
        # the explanation figures load (computed on first view)
        browser.wait_for(
            f"Array.from(document.querySelectorAll('#case-{ids[0]} img'))"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=60,
        )
        browser.evaluate(f"document.querySelector('#case-{ids[0]} button.accept').click(); true")
        browser.wait_for(f"document.readyState === 'complete' && !document.querySelector('#case-{ids[0]}')")
        browser.evaluate(
            f"document.querySelector('#case-{ids[1]} input[name=reason]').value = 'known artefact';"
            f"document.querySelector('#case-{ids[1]} button.override').click(); true"
        )
        browser.wait_for(f"document.readyState === 'complete' && !document.querySelector('#case-{ids[1]}')")
    finally:
        browser.close()
    with served.catalog() as cat:
        first, second = cat.review_item(ids[0]), cat.review_item(ids[1])
    assert first is not None and first.status == "accepted" and first.decided_by is not None
    assert second is not None and second.status == "overridden" and second.decision_reason == "known artefact"
