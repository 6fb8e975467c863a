"""OWASP API3:2023 Broken Object Property Level Authorization: no mass assignment (unknown properties
are refused), and responses carry pseudonyms, never source identifiers."""

from __future__ import annotations

import json
from typing import Any

from healthfm.ingest.fhir_out import timeline_to_bundle
from tests.serve.conftest import Served
from tests.serve.helpers import auth


def test_unknown_properties_are_refused(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write", "review", "admin")
    r = client.post("/v1/predict", json={"subject": "1", "site": "*"}, headers=auth(key))
    assert r.status_code == 422
    r = client.post("/v1/review/1", json={"decision": "accept", "decided_by": "someone"}, headers=auth(key))
    assert r.status_code == 422
    r = client.post(
        "/v1/models/cardiac_disease/activate", json={"version": 1, "status": "retired"}, headers=auth(key)
    )
    assert r.status_code == 422


def test_responses_carry_no_source_identifiers(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write", "review")
    bundle = timeline_to_bundle(served.store.timeline(served.sites["Cleveland"][6]), patient_id="P-0001")
    bundle["entry"][0]["resource"]["identifier"] = [
        {"type": {"coding": [{"code": "MR"}]}, "system": "urn:mrn", "value": "MRN-778899"}
    ]
    bundle["entry"][0]["resource"]["name"] = [{"family": "Quixotez", "given": ["Amadeo"]}]
    r = client.post("/v1/predict", json=bundle, headers=auth(key))
    assert r.status_code == 200, r.text
    listing = client.get("/v1/review", headers=auth(key)).text
    with served.catalog() as cat:
        audit = json.dumps([(e.subject, e.details) for e in cat.audit_entries()])
        reviews = json.dumps([i.details for i in cat.review_items()])
    for secret in ("MRN-778899", "Quixotez", "Amadeo", "P-0001"):
        for text in (r.text, listing, audit, reviews):
            assert secret not in text
