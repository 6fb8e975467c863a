"""`POST /v1/predict`: a stored patient (pseudonym) or a FHIR Bundle → a FHIR RiskAssessment."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from healthfm.errors import DataError, StoreError
from healthfm.serve.auth import SCOPE_PREDICT, SCOPE_READ_PATIENTS, Principal
from healthfm.serve.deps import Services, ServicesDep, require
from healthfm.serve.errors import FHIR_JSON, ApiError
from healthfm.serve.fhir import to_risk_assessment
from healthfm.serve.inputs import (
    UNKNOWN_SITE,
    PatientInput,
    bundle_input,
    end_of_record,
    site_of,
    store_version,
)
from healthfm.serve.review import review_enqueued, review_request
from healthfm.serve.scoring import Scored
from healthfm.store.catalog import AuditRow

router = APIRouter(prefix="/v1", tags=["predict"])


class PatientRef(BaseModel):
    """A patient already in the store, by pseudonym."""

    model_config = ConfigDict(extra="forbid")
    subject: Annotated[str, Field(pattern=r"^[0-9]{1,19}$", description="The patient's pseudonym.")]


class FhirBundle(BaseModel):
    """A FHIR R4 Bundle holding one Patient and their resources."""

    model_config = ConfigDict(extra="allow")
    resourceType: Literal["Bundle"]  # noqa: N815 - the FHIR field name
    entry: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=5000)]


NOT_FOUND = "no such patient for this credential's site"


def _naive_utc(when: dt.datetime | None) -> dt.datetime | None:
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def _stored_input(
    services: Services, principal: Principal, subject: str, at: dt.datetime | None
) -> PatientInput:
    principal.require(SCOPE_READ_PATIENTS)
    sid = int(subject)
    if sid >= 2**63:
        raise ApiError(404, NOT_FOUND, expression=["subject"])
    store = services.store
    version = store_version(store)
    known = services.patients.get(sid, version)
    timeline = None
    if known is None:
        try:
            timeline = store.timeline(sid)
        except StoreError:
            raise ApiError(404, NOT_FOUND, expression=["subject"]) from None
        known = (site_of(timeline), end_of_record(timeline))
        services.patients.put(sid, version, known)
    site, end = known
    if not principal.may_read_site(site):
        raise ApiError(404, NOT_FOUND, expression=["subject"])  # the same answer: no existence oracle
    when = end if at is None else at
    return PatientInput(
        sid, timeline, store.blobs, site, when, "store", (sid, when, version), lambda: store.timeline(sid)
    )


def _bundle_input(
    services: Services, principal: Principal, bundle: dict[str, Any], at: dt.datetime | None
) -> PatientInput:
    if services.gate is None:
        raise ApiError(501, "this server has no pseudonymisation key: it cannot take FHIR Bundles")
    job = bundle_input(bundle, services.gate, services.store.subject_links(), at)
    if job.site == UNKNOWN_SITE and principal.site != "*":
        job = dataclasses.replace(job, site=principal.site)
    if not principal.may_read_site(job.site):
        raise ApiError(403, "this credential may not submit patients of another site")
    return job


async def _explain(services: Services, scored: Scored, job: PatientInput) -> dict[str, Any]:
    from healthfm.evaluate.run import raw_threshold
    from healthfm.explain import ExplainConfig, explain_sample
    from healthfm.schema import Sample
    from healthfm.serve.review import OneTimeline

    served = scored.model
    operating = None
    if served.calibrator is not None:
        operating = {"calibrator": served.calibrator.to_dict(), "threshold": served.threshold}
    sample = Sample(job.subject_id, job.prediction_time, None, task=served.task.name)
    store_like = OneTimeline(
        job.get_timeline(), job.blobs, services.store.root if job.source == "store" else None
    )

    def run() -> dict[str, Any]:
        model, lock = served.explainer()
        with lock:
            expl = explain_sample(
                model,
                served.processors,
                served.task,
                store_like,
                sample,
                threshold=raw_threshold(operating),
                checks=False,
                config=ExplainConfig(figures=False),
            )
        out: dict[str, Any] = expl.to_dict()
        return out

    try:
        return await asyncio.wait_for(asyncio.to_thread(run), services.settings.explain_timeout_s)
    except TimeoutError:
        raise ApiError(504, "the full explanation took too long; retry without explain=full") from None


@router.post(
    "/predict",
    summary="Predict for a stored patient (pseudonym) or a FHIR Bundle; returns a FHIR RiskAssessment",
    responses={
        200: {"content": {FHIR_JSON: {}}, "description": "A FHIR RiskAssessment"},
        401: {"description": "No or bad credentials (OperationOutcome)"},
        403: {"description": "Missing scope or another site's patient (OperationOutcome)"},
        404: {"description": "No such patient for this site (OperationOutcome)"},
        413: {"description": "Body too large (OperationOutcome)"},
        422: {"description": "Invalid FHIR or request (OperationOutcome)"},
        429: {"description": "Rate limit (OperationOutcome)"},
        504: {"description": "Timed out (OperationOutcome)"},
    },
)
async def predict(
    request: Request,
    services: ServicesDep,
    principal: Annotated[Principal, Depends(require(SCOPE_PREDICT))],
    body: Annotated[PatientRef | FhirBundle, Body()],
    explain: Annotated[
        Literal["full"] | None, Query(description="`full` adds the full explanation (slow, ~1-2 s)")
    ] = None,
    at: Annotated[
        dt.datetime | None,
        Query(description="Prediction time (default: the end of the record: everything recorded so far)"),
    ] = None,
    contributors: Annotated[
        Literal["occlusion", "shapley", "none"] | None,
        Query(description="Per-modality contributions: occlusion (default), exact Shapley values, or none"),
    ] = None,
) -> Response:
    at = _naive_utc(at)
    if isinstance(body, PatientRef):
        job = _stored_input(services, principal, body.subject, at)
    else:
        bundle = body.model_dump(by_alias=True)
        job = await asyncio.to_thread(_bundle_input, services, principal, bundle, at)

    def record(scored: Scored) -> tuple[dict[str, Any] | None, AuditRow]:
        """The request's audit entry and, when a clinician must look, its review item."""
        entry = (
            principal.actor,
            "serve.predict",
            str(job.subject_id),
            {
                "model": scored.model.name,
                "version": scored.model.version,
                "source": job.source,
                "site": job.site,
                "risk": round(scored.risk, 6),
                "explain": explain or "",
            },
        )
        return review_request(services, principal, scored, job), entry

    # without a full explanation the prediction's entries are written with its batch (one catalog
    # transaction per batch); a full explanation is audited once it is done
    recorded = record if explain != "full" else None
    try:
        scored, item = await asyncio.wait_for(
            services.predictor.predict_recorded(job, recorded, contributors),
            services.settings.request_timeout_s,
        )
    except TimeoutError:
        raise ApiError(504, "the prediction took too long; retry later") from None
    except DataError as exc:
        raise ApiError(
            422, str(exc).replace(str(job.subject_id), "the patient"), expression=["subject"]
        ) from None
    explanation = None
    if recorded is None:
        explanation = await _explain(services, scored, job)
        review, entry = record(scored)
        item = await services.audit.record_reviewed(entry, review)
    if item is not None:
        await review_enqueued(services, item, job)
    resource = to_risk_assessment(scored, review_id=None if item is None else item.id)
    if explanation is not None:
        resource["contained"] = [
            {
                "resourceType": "Basic",
                "id": "explanation",
                "code": {"text": "healthfm explanation"},
                "extension": [
                    {
                        "url": "https://healthfm.example.org/fhir/StructureDefinition/explanation",
                        "valueString": json.dumps(explanation),
                    }
                ],
            }
        ]
    services.metrics.predictions.labels(scored.model.label, job.source).inc()
    return Response(orjson.dumps(resource), media_type=FHIR_JSON)
