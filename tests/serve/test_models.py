"""`GET /v1/models` and the hot swap of `POST /v1/models/{name}/activate` (no failed request during it)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.serve.conftest import MODEL, Served
from tests.serve.helpers import auth


def test_models_lists_versions_and_the_one_served(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write")
    r = client.get("/v1/models", headers=auth(key))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["serving"]["name"] == MODEL
    assert [m["version"] for m in body["models"]] == [1, 2]
    assert sum(m["serving"] for m in body["models"]) == 1


def test_hot_swap_fails_no_request(served: Served, client: Any, two_sites: tuple[str, str]) -> None:
    site = two_sites[0]
    key = served.key(site, "system/RiskAssessment.write", "patient/*.read")
    admin = served.key("*", "admin")
    subjects = served.sites[site][:8]

    def call(i: int) -> tuple[int, str]:
        r = client.post("/v1/predict", json={"subject": str(subjects[i % len(subjects)])}, headers=auth(key))
        version = r.json()["method"]["coding"][0]["version"] if r.status_code == 200 else ""
        return r.status_code, version

    with ThreadPoolExecutor(4) as pool:
        first = [pool.submit(call, i) for i in range(24)]
        swap = client.post(f"/v1/models/{MODEL}/activate", json={"version": 2}, headers=auth(admin))
        second = [pool.submit(call, i) for i in range(24)]
        results = [f.result() for f in first + second]
    assert swap.status_code == 200, swap.text
    assert swap.json()["serving"]["version"] == 2
    assert all(status == 200 for status, _ in results), results
    assert results[-1][1] == "2"
    with served.catalog() as cat:
        assert cat.get_model(MODEL, 2).status == "active"
        assert cat.get_model(MODEL, 1).status == "registered"
        assert cat.audit_entries(action="serve.models.activate")[-1].details == {
            "model": MODEL,
            "from": 1,
            "to": 2,
        }
    back = client.post(f"/v1/models/{MODEL}/activate", json={"version": 1}, headers=auth(admin))
    assert back.status_code == 200


def test_activate_unknown_version_or_model(served: Served, client: Any) -> None:
    admin = served.key("*", "admin")
    assert (
        client.post(f"/v1/models/{MODEL}/activate", json={"version": 9}, headers=auth(admin)).status_code
        == 404
    )
    assert (
        client.post("/v1/models/other/activate", json={"version": 1}, headers=auth(admin)).status_code == 404
    )
