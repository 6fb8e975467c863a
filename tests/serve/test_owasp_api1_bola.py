"""OWASP API1:2023 Broken Object Level Authorization: a key for one site cannot read another site's
patients nor their review items; the answer does not even say whether the patient exists."""

from __future__ import annotations

from typing import Any

from tests.serve.conftest import Served
from tests.serve.helpers import auth, bearer, outcome, token


def test_a_site_key_cannot_read_another_sites_patient(
    served: Served, client: Any, two_sites: tuple[str, str]
) -> None:
    a, b = two_sites
    key_a = served.key(a, "system/RiskAssessment.write", "patient/*.read")
    own, other = served.sites[a][0], served.sites[b][0]
    assert client.post("/v1/predict", json={"subject": str(own)}, headers=auth(key_a)).status_code == 200
    denied = client.post("/v1/predict", json={"subject": str(other)}, headers=auth(key_a))
    missing = client.post("/v1/predict", json={"subject": "12345"}, headers=auth(key_a))
    assert denied.status_code == missing.status_code == 404
    assert outcome(denied) == outcome(missing)  # no existence oracle
    tok = token(scope="system/RiskAssessment.write patient/*.read", site=a)
    assert client.post("/v1/predict", json={"subject": str(other)}, headers=bearer(tok)).status_code == 404
    every = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    assert client.post("/v1/predict", json={"subject": str(other)}, headers=auth(every)).status_code == 200


def test_a_bundle_of_another_sites_patient_is_refused(
    served: Served, client: Any, two_sites: tuple[str, str]
) -> None:
    from healthfm.ingest.fhir_out import timeline_to_bundle

    a, b = two_sites
    key_a = served.key(a, "system/RiskAssessment.write")
    bundle = timeline_to_bundle(served.store.timeline(served.sites[b][1]))
    r = client.post("/v1/predict", json=bundle, headers=auth(key_a))
    assert r.status_code == 403, r.text


def test_review_items_are_scoped_to_the_site(served: Served, client: Any, two_sites: tuple[str, str]) -> None:
    a, b = two_sites
    writer = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    with served.catalog() as cat:
        item = cat.enqueue_review(
            subject=str(served.sites[b][2]),
            site=b,
            model="cardiac_disease",
            version=1,
            probability=0.9,
            risk=0.9,
            threshold=0.5,
            reasons=["test"],
            details={},
        )
    assert writer
    reviewer_a = served.key(a, "review")
    listed = client.get("/v1/review", headers=auth(reviewer_a)).json()["items"]
    assert all(i["site"] == a for i in listed)
    r = client.post(f"/v1/review/{item.id}", json={"decision": "accept"}, headers=auth(reviewer_a))
    assert r.status_code == 404
    with served.catalog() as cat:
        assert cat.review_item(item.id).status == "pending"  # type: ignore[union-attr]
    reviewer_b = served.key(b, "review")
    assert (
        client.post(
            f"/v1/review/{item.id}", json={"decision": "accept"}, headers=auth(reviewer_b)
        ).status_code
        == 200
    )
