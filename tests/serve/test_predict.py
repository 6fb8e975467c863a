"""`POST /v1/predict`: RiskAssessment content, calibration, contributors, Bundles, prediction time, audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
import torch

from healthfm.explain import modality_shapley
from healthfm.explain.core import Prediction
from healthfm.ingest.fhir_out import timeline_to_bundle
from healthfm.schema import Sample
from healthfm.serve.fhir import PROBABILITY_EXTENSION
from healthfm.serve.served import find_record, load_served
from tests.serve.conftest import MODEL, Served
from tests.serve.helpers import auth


def _ext(resource: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in resource["extension"] if e["url"] == url]


def _contributors(resource: dict[str, Any]) -> dict[str, float]:
    out = {}
    for e in resource["extension"]:
        if e["url"].endswith("risk-contributor"):
            parts = {p["url"]: p for p in e["extension"]}
            out[parts["feature"]["valueString"]] = parts["attribution"]["valueDecimal"]
    return out


@pytest.fixture(scope="module")
def site_key(served: Served, two_sites: tuple[str, str]) -> tuple[str, str]:
    return two_sites[0], served.key(two_sites[0])


def test_risk_assessment_is_valid_fhir_with_calibrated_risk_and_exact_contributors(
    served: Served, client: Any, site_key: tuple[str, str]
) -> None:
    from fhir.resources.R4B.riskassessment import RiskAssessment

    site, key = site_key
    sid = served.sites[site][0]
    r = client.post(
        "/v1/predict", params={"contributors": "shapley"}, json={"subject": str(sid)}, headers=auth(key)
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    body = r.json()
    RiskAssessment.model_validate(body)
    assert body["subject"]["reference"] == f"Patient/{sid}"
    assert body["method"]["coding"][0]["version"] == "1"
    # the same computation by hand: task.visible at the end of the record, processors, model, calibrator
    with served.catalog() as cat:
        model = load_served(find_record(cat, MODEL, 1))
    timeline = served.store.timeline(sid)
    when = max(t for t in timeline.table.column("time").to_pylist() if t is not None) + dt.timedelta(
        microseconds=1
    )
    sample = Sample(sid, when, None)
    pred = Prediction.build(
        model.model, model.processors, sample, model.task.visible(timeline, sample), served.store.blobs
    )
    prob = float(_ext(body, PROBABILITY_EXTENSION)[0]["valueDecimal"])
    assert prob == pytest.approx(pred.risk, abs=1e-5)
    risk = body["prediction"][0]["probabilityDecimal"]
    assert risk == pytest.approx(float(np.asarray(model.calibrate(np.array([pred.risk])))[0]), abs=1e-5)
    threshold = _ext(body, "https://healthfm.example.org/fhir/StructureDefinition/risk-threshold")
    assert threshold[0]["valueDecimal"] == pytest.approx(model.threshold, abs=1e-6)
    # contributors: exactly the explain module's modality Shapley values (one batch of coalitions)
    reference = modality_shapley(pred)
    got = _contributors(body)
    assert set(got) == {m.value for m in reference.modalities}
    for m in reference.modalities:
        assert got[m.value] == pytest.approx(reference.risk[m], abs=1e-5)
    assert [b["display"].split(":")[0] for b in body["basis"]] == [m.value for m in pred.present]
    # the default: occlusion effects, f(all present) - f(all present but m), from the same fusion
    r = client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
    occlusion = _contributors(r.json())
    assert set(occlusion) == {m.value for m in pred.present}
    with torch.no_grad():
        for m in pred.present:
            others = [o for o in pred.present if o != m]
            _, without = pred.fuse(pred.outputs_with({}, 1), pred.presence(1, only=others))
            assert occlusion[m.value] == pytest.approx(pred.risk - float(without[0]), abs=1e-5)


def test_prediction_time_hides_later_events(served: Served, client: Any, site_key: tuple[str, str]) -> None:
    site, key = site_key
    sid = served.sites[site][1]
    times = sorted(t for t in served.store.timeline(sid).table.column("time").to_pylist() if t is not None)
    early = times[len(times) // 2]
    r1 = client.post(
        "/v1/predict", params={"at": early.isoformat()}, json={"subject": str(sid)}, headers=auth(key)
    )
    r2 = client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
    assert r1.status_code == r2.status_code == 200
    assert r1.json()["occurrenceDateTime"].startswith(early.isoformat()[:19])
    with served.catalog() as cat:
        model = load_served(find_record(cat, MODEL, 1))
    timeline = served.store.timeline(sid)
    sample = Sample(sid, early, None)
    visible = model.task.visible(timeline, sample)
    assert all(t is None or t < early for t in visible.table.column("time").to_pylist())
    pred = Prediction.build(model.model, model.processors, sample, visible, served.store.blobs)
    prob = _ext(r1.json(), PROBABILITY_EXTENSION)[0]["valueDecimal"]
    assert prob == pytest.approx(pred.risk, abs=1e-5)


def test_a_bundle_is_predicted_through_the_privacy_gate_and_not_stored(
    served: Served, client: Any, site_key: tuple[str, str]
) -> None:
    site, key = site_key
    sid = served.sites[site][2]
    bundle = timeline_to_bundle(served.store.timeline(sid), patient_id="source-patient-17")
    events_before = served.store.num_events()
    r = client.post("/v1/predict", json=bundle, headers=auth(key))
    assert r.status_code == 200, r.text
    body = r.json()
    subject = body["subject"]["reference"].removeprefix("Patient/")
    # the posted id is replaced by the gate's keyed pseudonym, never echoed
    assert "source-patient-17" not in r.text
    assert subject.isdigit() and int(subject) != sid
    assert served.store.num_events() == events_before  # predict is not ingest
    with served.catalog() as cat:
        entries = cat.audit_entries(action="serve.predict")
    assert entries[-1].subject == subject and entries[-1].details["source"] == "bundle"
    assert "source-patient-17" not in json.dumps([e.details for e in entries])


def test_full_explanation_on_request(served: Served, client: Any, site_key: tuple[str, str]) -> None:
    site, key = site_key
    sid = served.sites[site][3]
    r = client.post("/v1/predict", params={"explain": "full"}, json={"subject": str(sid)}, headers=auth(key))
    assert r.status_code == 200, r.text
    (basic,) = r.json()["contained"]
    explanation = json.loads(basic["extension"][0]["valueString"])
    assert explanation["subject_id"] == sid
    assert explanation["attributions"] and explanation["modality_contributions"]


def test_every_request_is_audited_by_pseudonym(
    served: Served, client: Any, site_key: tuple[str, str]
) -> None:
    site, key = site_key
    sid = served.sites[site][4]
    with served.catalog() as cat:
        before = len(cat.audit_entries())
    assert client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key)).status_code == 200
    assert client.post("/v1/predict", json={"subject": "1"}, headers=auth(key)).status_code == 404
    assert client.post("/v1/predict", json={"subject": str(sid)}).status_code == 401
    with served.catalog() as cat:
        new = cat.audit_entries()[before:]
        assert cat.verify_audit_chain().ok
    actions = [e.action for e in new]
    assert actions.count("serve.predict") == 1
    assert actions.count("serve.rejected") == 2
    assert {e.details.get("status") for e in new if e.action == "serve.rejected"} == {401, 404}
    assert all(key not in json.dumps(e.details) for e in new)


def test_cached_encoder_outputs_give_the_same_scores(served: Served, monkeypatch: Any) -> None:
    from healthfm.serve.inputs import PatientInput, end_of_record
    from healthfm.serve.scoring import ItemCache, run_jobs

    with served.catalog() as cat:
        model = load_served(find_record(cat, MODEL, 1))
    jobs = []
    for sid in [s for ids in served.sites.values() for s in ids][:6]:
        timeline = served.store.timeline(sid)
        when = end_of_record(timeline)
        jobs.append(PatientInput(sid, timeline, served.store.blobs, "x", when, "store", (sid, when, 0)))
    methods = ["occlusion", "shapley", "none", "occlusion", "shapley", "occlusion"]
    fresh = run_jobs(model, jobs, None, methods)
    cache = ItemCache(64)
    run_jobs(model, jobs[:2], cache, methods[:2])  # two patients encoded and cached
    encoded = []
    original = model.model.encode
    monkeypatch.setattr(
        model.model, "encode", lambda batch: encoded.append(len(batch.subject_ids)) or original(batch)
    )
    mixed = run_jobs(model, jobs, cache, methods)  # the two from the cache, four encoded
    assert encoded == [4]
    again = run_jobs(model, jobs[::-1], cache, methods[::-1])  # every one cached, other batch order
    assert encoded == [4]
    for a, b, c in zip(fresh, mixed, again[::-1], strict=True):
        assert not isinstance(a, Exception) and not isinstance(b, Exception) and not isinstance(c, Exception)
        assert b.probability == pytest.approx(a.probability, abs=1e-6)
        assert c.probability == pytest.approx(a.probability, abs=1e-6)
        assert dict(b.contributors) == pytest.approx(dict(a.contributors), abs=1e-6)
        assert dict(c.contributors) == pytest.approx(dict(a.contributors), abs=1e-6)


def _jobs(served: Served, n: int) -> list[Any]:
    from healthfm.serve.inputs import PatientInput, end_of_record

    jobs = []
    for sid in [s for ids in served.sites.values() for s in ids][:n]:
        timeline = served.store.timeline(sid)
        when = end_of_record(timeline)
        jobs.append(PatientInput(sid, timeline, served.store.blobs, "x", when, "store", (sid, when, 0)))
    return jobs


def test_a_batch_writes_its_audit_entries_in_one_transaction_and_a_failed_write_fails_them(
    served: Served,
) -> None:
    from healthfm.serve.predictor import run_and_record

    with served.catalog() as cat:
        model = load_served(find_record(cat, MODEL, 1))
    jobs = _jobs(served, 4)
    writes: list[int] = []

    def record_many(pairs: list[Any]) -> list[Any]:
        writes.append(len(pairs))
        return [f"item {p[1][2]}" if p[0] is not None else None for p in pairs]

    def record(scored: Any) -> tuple[Any, Any]:
        review = {"risk": scored.risk} if scored.subject_id == jobs[1].subject_id else None
        return review, ("test", "serve.predict", str(scored.subject_id), {"risk": scored.risk})

    records = [record, record, None, record]  # the third request is not recorded here
    out = run_and_record(model, jobs, None, ["none"] * 4, records, record_many)
    assert writes == [3]  # one write for the batch's three recorded requests
    assert [o[1] for o in out] == [None, f"item {jobs[1].subject_id}", None, None]  # type: ignore[index]
    assert [o[0].subject_id for o in out] == [j.subject_id for j in jobs]  # type: ignore[index]

    def broken(pairs: list[Any]) -> list[Any]:
        raise OSError("catalog unavailable")

    failed = run_and_record(model, jobs, None, ["none"] * 4, records, broken)
    assert [isinstance(o, OSError) for o in failed] == [True, True, False, True]  # no answer unaudited


def test_requests_queued_while_a_batch_runs_join_the_next_one_without_waiting(served: Served) -> None:
    import asyncio

    from healthfm.serve.predictor import Predictor
    from healthfm.serve.served import ModelSlot

    with served.catalog() as cat:
        slot = ModelSlot(load_served(find_record(cat, MODEL, 1)))
    jobs = _jobs(served, 6)
    sizes: list[int] = []

    async def main() -> list[Any]:
        predictor = Predictor(
            slot,
            micro_batching=True,
            max_batch=32,
            max_wait_ms=0.0,  # no waiting: only what is already queued batches together
            cache_size=0,
            contributors="none",
            on_batch=sizes.append,
        )
        predictor.start()
        try:
            return await asyncio.gather(*(predictor.predict(job) for job in jobs))
        finally:
            await predictor.drain(5.0)

    scored = asyncio.run(main())
    assert [s.subject_id for s in scored] == [j.subject_id for j in jobs]
    assert sizes == [6]
