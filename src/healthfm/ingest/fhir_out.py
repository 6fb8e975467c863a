"""FHIR R4 out: one patient's stored events as a Bundle, and a prediction as a RiskAssessment.

The Bundle is built so that `FhirReader` reads it back into the same events (the round trip is
tested); resources are plain dicts that validate against `fhir.resources` R4B models.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from healthfm.ingest.fhir import (
    BIRTH_TIME_EXTENSION,
    GENDERS,
    HEALTHFM_SYSTEM,
    MODALITY_EXTENSION,
    STATIC_EXTENSION,
    system_of,
)
from healthfm.ingest.units import canonical_unit
from healthfm.schema import BIRTH_CODE, DEATH_CODE, Event, Modality, PatientTimeline

Resource = dict[str, Any]

UCUM = "http://unitsofmeasure.org"
MODEL_SYSTEM = "https://healthfm.example.org/fhir/CodeSystem/model"
CONTRIBUTOR_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/risk-contributor"
THRESHOLD_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/risk-threshold"
_NAMESPACE = uuid.UUID("6f2b8e1c-3f0a-4d1e-9a57-1c2d3e4f5a6b")
_SEX = {v: k for k, v in GENDERS.items()}
_COMPARATORS = frozenset({"<", "<=", ">=", ">"})


def _when(t: dt.datetime) -> str:
    return t.isoformat() + "+00:00"


def _concept(code: str) -> Resource:
    """`LOINC/8867-4` as a CodeableConcept; a code without a vocabulary goes to healthfm's system."""
    vocab, sep, value = code.partition("/")
    if not sep:
        return {"coding": [{"system": HEALTHFM_SYSTEM, "code": code}]}
    return {"coding": [{"system": system_of(vocab), "code": value}]}


def _number(value: float) -> float:
    """The shortest decimal that reads back to the same float32 the store holds."""
    return float(str(np.float32(value)))


def _time_and_flags(res: Resource, field: str, e: Event) -> Resource:
    extensions = []
    if e.time is None:
        extensions.append({"url": STATIC_EXTENSION, "valueBoolean": True})
    else:
        res[field] = _when(e.time)
    if e.modality != Modality.EVENTS:
        extensions.append({"url": MODALITY_EXTENSION, "valueCode": Modality(e.modality).value})
    if extensions:
        res["extension"] = extensions
    return res


class _BundleBuilder:
    def __init__(self, subject_id: int, patient_id: str) -> None:
        self.subject_id = subject_id
        self.patient_id = patient_id
        self.patient: Resource = {"resourceType": "Patient", "id": patient_id}
        self.resources: list[Resource] = []
        self.subject = {"reference": f"Patient/{patient_id}"}

    def add(self, res: Resource) -> None:
        res["id"] = str(uuid.uuid5(_NAMESPACE, f"{self.patient_id}/{len(self.resources)}"))
        self.resources.append(res)

    def demographic(self, e: Event) -> bool:
        """Put a demographic event on the Patient; False when it is not one (or is a repeat)."""
        p = self.patient
        if e.code.startswith("GENDER/") and e.time is None and "gender" not in p:
            sex = _SEX.get(e.code[7:])
            if sex is not None and e.numeric_value is None and e.text_value is None:
                p["gender"] = sex
                return True
        plain = e.numeric_value is None and e.text_value is None and e.blob is None
        if e.code == BIRTH_CODE and e.time is not None and "birthDate" not in p and plain:
            p["birthDate"] = e.time.date().isoformat()
            if e.time.time() != dt.time(0):
                ext = {"url": BIRTH_TIME_EXTENSION, "valueDateTime": _when(e.time)}
                p["_birthDate"] = {"extension": [ext]}
            return True
        if e.code == DEATH_CODE and plain and not any(k.startswith("deceased") for k in p):
            if e.time is None:
                p["deceasedBoolean"] = True
            else:
                p["deceasedDateTime"] = _when(e.time)
            return True
        return False

    def encounters(self, events: list[Event]) -> None:
        """Pair each ENCOUNTER_END with the latest open start of its class; unpaired halves stand alone."""
        open_starts: dict[str, list[Resource]] = defaultdict(list)
        for e in sorted(events, key=lambda e: (e.time, e.code.startswith("ENCOUNTER_END/"))):
            assert e.time is not None
            kind, _, cls = e.code.partition("/")
            if kind == "ENCOUNTER":
                res = self._encounter(cls, {"start": _when(e.time)})
                open_starts[cls].append(res)
            elif open_starts[cls]:
                open_starts[cls].pop()["period"]["end"] = _when(e.time)
            else:
                self._encounter(cls, {"end": _when(e.time)})

    def _encounter(self, cls: str, period: Resource) -> Resource:
        res: Resource = {
            "resourceType": "Encounter",
            "status": "finished" if "end" in period else "unknown",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls},
            "subject": self.subject,
            "period": period,
        }
        self.add(res)
        return res

    def event(self, e: Event) -> None:
        """One event as the resource `FhirReader` maps back to it."""
        vocab = e.code.partition("/")[0]
        bare = e.numeric_value is None and e.text_value is None and e.blob is None
        plain = bare and e.time is not None and e.modality == Modality.EVENTS
        t = _when(e.time) if e.time is not None else ""
        if e.blob is not None and e.numeric_value is None:
            self._media(e)
        elif plain and vocab == "ICD10CM":
            self.add(
                {
                    "resourceType": "Condition",
                    "code": _concept(e.code),
                    "subject": self.subject,
                    "onsetDateTime": t,
                    "recordedDate": t,
                }
            )
        elif plain and vocab == "RXNORM":
            self.add(
                {
                    "resourceType": "MedicationRequest",
                    "status": "active",
                    "intent": "order",
                    "medicationCodeableConcept": _concept(e.code),
                    "subject": self.subject,
                    "authoredOn": t,
                }
            )
        elif plain and vocab == "CVX":
            self.add(
                {
                    "resourceType": "Immunization",
                    "status": "completed",
                    "vaccineCode": _concept(e.code),
                    "patient": self.subject,
                    "occurrenceDateTime": t,
                }
            )
        elif plain and vocab == "ALLERGY":
            self.add(
                {
                    "resourceType": "AllergyIntolerance",
                    "code": _concept(e.code[8:]),
                    "patient": self.subject,
                    "onsetDateTime": t,
                }
            )
        elif bare and vocab == "CONSENT" and e.code.count("/") == 2 and e.code.endswith(("/permit", "/deny")):
            self._consent(e)
        elif (
            e.modality == Modality.IMAGE
            and e.time is not None
            and e.numeric_value is None
            and e.code.startswith("IMAGING_STUDY/")
        ):
            self._imaging_study(e)
        elif e.modality == Modality.TEXT and e.text_value is not None and e.numeric_value is None:
            self._document(e)
        else:
            self._observation(e)

    def _media(self, e: Event) -> None:
        res: Resource = {
            "resourceType": "Media",
            "status": "completed",
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/media-type",
                        "code": "image" if e.modality == Modality.IMAGE else "video",
                    }
                ]
            },
            "modality": _concept(e.code),
            "subject": self.subject,
            "content": {"url": e.blob},
        }
        if e.text_value is not None:
            res["content"]["title"] = e.text_value
        self.add(_time_and_flags(res, "createdDateTime", e))

    def _consent(self, e: Event) -> None:
        _, scope, decision = e.code.split("/")
        res: Resource = {
            "resourceType": "Consent",
            "status": "active",
            "scope": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": scope}]
            },
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
            "patient": self.subject,
            "policyRule": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                        "code": "OPTIN" if decision == "permit" else "OPTOUT",
                    }
                ]
            },
            "provision": {"type": decision},
        }
        if e.time is not None:
            res["dateTime"] = _when(e.time)
        self.add(res)

    def _imaging_study(self, e: Event) -> None:
        assert e.time is not None
        res: Resource = {
            "resourceType": "ImagingStudy",
            "status": "available",
            "modality": [{"system": system_of("DCM"), "code": e.code.partition("/")[2]}],
            "subject": self.subject,
            "started": _when(e.time),
        }
        if e.text_value is not None:
            res["identifier"] = [{"system": "urn:dicom:uid", "value": "urn:oid:" + e.text_value}]
        self.add(res)

    def _document(self, e: Event) -> None:
        assert e.text_value is not None
        data = base64.b64encode(e.text_value.encode("utf-8")).decode("ascii")
        res: Resource = {
            "resourceType": "DocumentReference",
            "status": "current",
            "type": _concept(e.code),
            "subject": self.subject,
            "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": data}}],
        }
        self.add(_time_and_flags(res, "date", e))

    def _observation(self, e: Event) -> None:
        res: Resource = {
            "resourceType": "Observation",
            "status": "final",
            "code": _concept(e.code),
            "subject": self.subject,
        }
        if e.numeric_value is not None:
            q: Resource = {"value": _number(e.numeric_value)}
            unit = canonical_unit(e.code)
            if unit is not None:
                q |= {"unit": unit, "system": UCUM, "code": unit}
            if e.text_value in _COMPARATORS:
                q["comparator"] = e.text_value
            res["valueQuantity"] = q
        elif e.text_value is not None:
            res["valueString"] = e.text_value
        self.add(_time_and_flags(res, "effectiveDateTime", e))


def timeline_to_bundle(timeline: PatientTimeline, *, patient_id: str | None = None) -> dict[str, Any]:
    """All events of one patient as a FHIR R4 `collection` Bundle; the Patient's id is the pseudonym.

    Lost on the way (not representable): a numeric value on a blob event, and a text value beside a
    numeric one unless it is a comparator (`<`, `>=` …).
    """
    pid = patient_id or str(timeline.subject_id)
    builder = _BundleBuilder(timeline.subject_id, pid)
    encounters: list[Event] = []
    for e in timeline.events():
        if builder.demographic(e):
            continue
        kind = e.code.partition("/")[0]
        if (
            kind in ("ENCOUNTER", "ENCOUNTER_END")
            and e.time is not None
            and e.code.count("/") == 1
            and e.numeric_value is None
            and e.text_value is None
            and e.blob is None
            and e.modality == Modality.EVENTS
        ):
            encounters.append(e)
        else:
            builder.event(e)
    builder.encounters(encounters)
    entries = [builder.patient, *builder.resources]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"bundle/{pid}")),
        "type": "collection",
        "timestamp": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "entry": [{"fullUrl": _full_url(r), "resource": r} for r in entries],
    }


def _full_url(res: Resource) -> str:
    rid = str(res["id"])
    if res["resourceType"] == "Patient":  # its id is the pseudonym, not a UUID
        rid = str(uuid.uuid5(_NAMESPACE, "patient/" + rid))
    return "urn:uuid:" + rid


def risk_assessment(
    subject_ref: str,
    probability: float,
    *,
    model: str,
    version: str,
    threshold: float,
    basis: Sequence[str],
    contributors: Sequence[tuple[str, float]],
    occurrence: dt.datetime,
) -> dict[str, Any]:
    """A prediction as a FHIR R4 `RiskAssessment`.

    `subject_ref` is a reference such as `Patient/123`; `basis` are references to the resources the
    model saw; `contributors` are (feature, attribution) pairs, most important first; a naive
    `occurrence` is UTC.
    """
    if not 0.0 <= probability <= 1.0 or probability != probability:
        raise ValueError(f"probability must be in [0, 1], got {probability}")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    if "/" not in subject_ref:
        raise ValueError(f"subject_ref must be a reference such as Patient/123, got {subject_ref!r}")
    when = occurrence if occurrence.tzinfo is None else occurrence.astimezone(dt.UTC).replace(tzinfo=None)
    high = probability >= threshold
    res: Resource = {
        "resourceType": "RiskAssessment",
        "id": str(uuid.uuid5(_NAMESPACE, f"risk/{subject_ref}/{model}/{version}/{when.isoformat()}")),
        "status": "final",
        "method": {"coding": [{"system": MODEL_SYSTEM, "code": model, "version": version}], "text": model},
        "subject": {"reference": subject_ref},
        "occurrenceDateTime": _when(when),
        "prediction": [
            {
                "probabilityDecimal": round(float(probability), 6),
                "qualitativeRisk": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/risk-probability",
                            "code": "high" if high else "low",
                        }
                    ]
                },
                "rationale": (
                    f"{model} {version}: probability {probability:.3f} "
                    f"{'at or above' if high else 'below'} threshold {threshold:.3f}"
                ),
            }
        ],
        "extension": [{"url": THRESHOLD_EXTENSION, "valueDecimal": round(float(threshold), 6)}],
    }
    if basis:
        res["basis"] = [{"reference": ref} for ref in basis]
    for feature, weight in contributors:
        res["extension"].append(
            {
                "url": CONTRIBUTOR_EXTENSION,
                "extension": [
                    {"url": "feature", "valueString": feature},
                    {"url": "attribution", "valueDecimal": round(float(weight), 6)},
                ],
            }
        )
    return res
