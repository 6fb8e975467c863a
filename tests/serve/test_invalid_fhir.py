"""Invalid FHIR → 422 with an OperationOutcome naming the problem; never a 500."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from healthfm.ingest.fhir_out import timeline_to_bundle
from tests.serve.conftest import Served
from tests.serve.helpers import auth, outcome


@pytest.fixture(scope="module")
def bundle(served: Served) -> dict[str, Any]:
    return timeline_to_bundle(served.store.timeline(served.sites["Cleveland"][5]))


def _obs_index(bundle: dict[str, Any]) -> int:
    return next(
        i
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == "Observation" and "effectiveDateTime" in e["resource"]
    )


def test_invalid_bundles_name_their_problem(served: Served, client: Any, bundle: dict[str, Any]) -> None:
    key = served.key("*", "system/RiskAssessment.write")
    i = _obs_index(bundle)
    bad_date = copy.deepcopy(bundle)
    bad_date["entry"][i]["resource"]["effectiveDateTime"] = "2021-02-30T10:00:00Z"
    no_resource = copy.deepcopy(bundle)
    no_resource["entry"][i] = {"fullUrl": "urn:uuid:x"}
    two_patients = copy.deepcopy(bundle)
    two_patients["entry"].append(copy.deepcopy(bundle["entry"][0]))
    two_patients["entry"][-1]["resource"]["id"] = "another"
    no_type = copy.deepcopy(bundle)
    del no_type["entry"][i]["resource"]["resourceType"]
    cases = {
        "bad date": (bad_date, f"Bundle.entry[{i}]"),
        "no resource": (no_resource, f"Bundle.entry[{i}].resource"),
        "two patients": (two_patients, "Bundle"),
        "no resourceType": (no_type, f"Bundle.entry[{i}].resource.resourceType"),
        "not a bundle": ({"resourceType": "Patient", "id": "x"}, None),
        "empty bundle": ({"resourceType": "Bundle", "entry": []}, None),
    }
    for name, (body, where) in cases.items():
        r = client.post("/v1/predict", json=body, headers=auth(key))
        assert r.status_code == 422, (name, r.text)
        text = outcome(r)
        assert text, name
        if where is not None:
            assert where in r.json()["issue"][0]["expression"], (name, r.json())
    assert "2021-02-30" not in client.post("/v1/predict", json=bad_date, headers=auth(key)).text


def test_not_json_is_422(served: Served, client: Any) -> None:
    key = served.key("*", "system/RiskAssessment.write")
    for raw in (b"{", b"\xff\xfe", b"[]", b"null", b'{"subject": 12}', b'{"subject": "1", "extra": 1}'):
        r = client.post("/v1/predict", content=raw, headers={**auth(key), "content-type": "application/json"})
        assert r.status_code == 422, (raw, r.text)
        assert outcome(r)
