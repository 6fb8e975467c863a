"""FHIR R4 resources for one patient, as a hospital's Bulk Data `$export` would hold them."""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from healthfm.synth.cohort import Encounter, Patient
from healthfm.synth.phi import UTC_OFFSETS, Identity, Span
from healthfm.synth.race import RaceEthnicity

Resource = dict[str, Any]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
DCM = "http://dicom.nema.org/resources/ontology/DCM"
LOCAL = "https://healthfm.example.org/fhir/CodeSystem/cardiology-local"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SITE_SYSTEM = "urn:healthfm:synth:site"  # managingOrganization.identifier: a stable code per UCI site
TZ = UTC_OFFSETS

# key -> (LOINC, display, UCUM unit, category)
OBSERVATIONS = {
    "heart_rate": ("8867-4", "Heart rate", "/min", "vital-signs"),
    "bmi": ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "vital-signs"),
    "troponin": (
        "89579-7",
        "Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method",
        "ng/L",
        "laboratory",
    ),
    "ntprobnp": (
        "33762-6",
        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma",
        "pg/mL",
        "laboratory",
    ),
    "cholesterol": ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory"),
    "ldl": (
        "13457-7",
        "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
        "mg/dL",
        "laboratory",
    ),
    "hdl": ("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory"),
    "triglycerides": ("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory"),
    "hba1c": ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory"),
    "glucose": ("1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory"),
    "creatinine": ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory"),
    "lvef": ("10230-1", "Left ventricular Ejection fraction", "%", "imaging"),
}
CONDITIONS = {
    "hypertension": ("I10", "Essential (primary) hypertension"),
    "diabetes": ("E11.9", "Type 2 diabetes mellitus without complications"),
    "dyslipidemia": ("E78.5", "Hyperlipidemia, unspecified"),
    "prior_mi": ("I25.2", "Old myocardial infarction"),
    "af": ("I48.91", "Unspecified atrial fibrillation"),
    "HFrEF": ("I50.22", "Chronic systolic (congestive) heart failure"),
    "HFpEF": ("I50.32", "Chronic diastolic (congestive) heart failure"),
    "ckd": ("N18.30", "Chronic kidney disease, stage 3 unspecified"),
    "obesity": ("E66.9", "Obesity, unspecified"),
    "angina": ("I20.9", "Angina pectoris, unspecified"),
    "cad": ("I25.10", "Atherosclerotic heart disease of native coronary artery without angina pectoris"),
    "hf": ("I50.9", "Heart failure, unspecified"),
    "MI": ("I21.4", "Non-ST elevation (NSTEMI) myocardial infarction"),
    "stroke": ("I63.9", "Cerebral infarction, unspecified"),
}
REASONS = {
    "Z00.00": "General adult medical examination",
    "R07.9": "Chest pain, unspecified",
    "Z09": "Follow-up examination",
    "I50.9": "Heart failure, unspecified",
    "I21.4": "NSTEMI",
    "I63.9": "Cerebral infarction, unspecified",
}
MEDICATIONS = {
    "aspirin": ("1191", "aspirin"),
    "atorvastatin": ("83367", "atorvastatin"),
    "metoprolol": ("6918", "metoprolol"),
    "lisinopril": ("29046", "lisinopril"),
    "amlodipine": ("17767", "amlodipine"),
    "metformin": ("6809", "metformin"),
    "furosemide": ("4603", "furosemide"),
    "apixaban": ("1364430", "apixaban"),
    "nitroglycerin": ("4917", "nitroglycerin"),
    "carvedilol": ("20352", "carvedilol"),
    "spironolactone": ("9997", "spironolactone"),
}
PROCEDURES = {
    "echo": ("40701008", "Echocardiography"),
    "stress": ("76746007", "Cardiovascular stress testing"),
    "angiography": ("33367005", "Angiography of coronary artery"),
    "pci": ("415070008", "Percutaneous coronary intervention"),
    "ecg": ("29303009", "Electrocardiographic procedure"),
    "cxr": ("399208008", "Plain chest X-ray"),
}


def rid(seed: int, *parts: object) -> str:
    """A resource id (UUID) determined by the seed and what it names."""
    digest = hashlib.sha256("/".join(map(str, (seed, *parts))).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


@dataclass
class PhiNote:
    """A PHI item inside a FHIR resource: where it is and what it is."""

    resource: str
    path: str
    tag: str
    value: str
    start: int | None = None
    end: int | None = None


@dataclass
class FhirPatient:
    """Builds one patient's resources; `resources[type]` keeps insertion order for byte-stable output."""

    seed: int
    patient: Patient
    who: Identity
    resources: dict[str, list[Resource]] = field(default_factory=dict)
    phi: list[PhiNote] = field(default_factory=list)
    race: RaceEthnicity | None = None  # None: the site records no race or ethnicity

    @property
    def pid(self) -> str:
        return rid(self.seed, "Patient", self.patient.index)

    def when(self, moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + TZ[self.patient.site]

    def add(self, resource: Resource) -> Resource:
        self.resources.setdefault(str(resource["resourceType"]), []).append(resource)
        return resource

    def ref(self) -> dict[str, str]:
        return {"reference": f"Patient/{self.pid}"}

    def patient_resource(self) -> None:
        p, who = self.patient, self.who
        ident = [
            {
                "use": "usual",
                "type": concept(
                    "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"
                ),
                "system": f"https://{who.place.mrn_prefix.lower()}.example.org/mrn",
                "value": who.mrn,
            }
        ]
        if who.ssn:
            ident.append({"system": "http://hl7.org/fhir/sid/us-ssn", "value": who.ssn})
        res: Resource = {
            "resourceType": "Patient",
            "id": self.pid,
            **({"extension": self.race.extensions()} if self.race else {}),
            "identifier": ident,
            "name": [{"use": "official", "family": who.family, "given": [who.given]}],
            "telecom": [
                {"system": "phone", "value": who.phone, "use": "home"},
                {"system": "email", "value": who.email},
            ],
            "gender": "male" if p.uci.male else "female",
            "birthDate": who.birth_date.isoformat(),
            "address": [
                {
                    "use": "home",
                    "line": [who.street],
                    "city": who.city,
                    "postalCode": who.postal_code,
                    "country": who.country,
                    **({"state": who.state} if who.state else {}),
                }
            ],
            "managingOrganization": {
                # the UCI site name, spelled as the demo's SITE/ codes are (spaces → underscores)
                "identifier": {"system": SITE_SYSTEM, "value": p.site.replace(" ", "_")},
                "display": who.place.institution,
            },
        }
        if p.outcomes.death_days is not None:
            res["deceasedDateTime"] = self.when(p.index_date + timedelta(days=p.outcomes.death_days, hours=3))
        self.add(res)
        rref = f"Patient/{self.pid}"
        for path, tag, value in [
            ("identifier[0].value", "MRN", who.mrn),
            ("name[0].family", "NAME", who.family),
            ("name[0].given[0]", "NAME", who.given),
            ("telecom[0].value", "PHONE", who.phone),
            ("telecom[1].value", "EMAIL", who.email),
            ("birthDate", "DATE", who.birth_date.isoformat()),
            ("address[0].line[0]", "ADDRESS", who.street),
            ("address[0].city", "ADDRESS", who.city),
            ("address[0].postalCode", "ADDRESS", who.postal_code),
        ]:
            self.phi.append(PhiNote(rref, path, tag, value))
        if "deceasedDateTime" in res:
            self.phi.append(PhiNote(rref, "deceasedDateTime", "DATE", res["deceasedDateTime"]))
        if who.ssn:
            self.phi.append(PhiNote(rref, "identifier[1].value", "SSN", who.ssn))
        if p.opted_out:
            self.add(
                {
                    "resourceType": "Consent",
                    "id": rid(self.seed, "Consent", p.index),
                    "status": "active",
                    "scope": concept(
                        "http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"
                    ),
                    "category": [concept(LOINC, "59284-0", "Patient Consent")],
                    "patient": self.ref(),
                    "dateTime": self.when(p.index_date - timedelta(days=400)),
                    "policyRule": concept(
                        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT", "opt-out"
                    ),
                    "provision": {"type": "deny"},
                }
            )

    def encounter(self, k: int, enc: Encounter) -> str:
        eid = rid(self.seed, "Encounter", self.patient.index, k)
        end = enc.start + (timedelta(days=enc.days) if enc.days else timedelta(minutes=40))
        self.add(
            {
                "resourceType": "Encounter",
                "id": eid,
                "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": enc.kind},
                "subject": self.ref(),
                "period": {"start": self.when(enc.start), "end": self.when(end)},
                "reasonCode": [concept(ICD10, enc.reason, REASONS.get(enc.reason, enc.reason))],
                "serviceProvider": {"display": self.who.place.institution},
            }
        )
        return eid

    def observation(self, eid: str, key: str, k: int, n: int, moment: datetime, value: float) -> None:
        loinc, display, unit, category = OBSERVATIONS[key]
        self.add(
            self._obs(
                eid,
                f"{k}/{n}",
                moment,
                category,
                concept(LOINC, loinc, display),
                {"valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}},
            )
        )

    def blood_pressure(self, eid: str, k: int, moment: datetime, sbp: float, dbp: float) -> None:
        def comp(code: str, display: str, value: float) -> dict[str, Any]:
            return {
                "code": concept(LOINC, code, display),
                "valueQuantity": {"value": value, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]"},
            }

        self.add(
            self._obs(
                eid,
                f"{k}/bp",
                moment,
                "vital-signs",
                concept(LOINC, "85354-9", "Blood pressure panel"),
                {
                    "component": [
                        comp("8480-6", "Systolic blood pressure", sbp),
                        comp("8462-4", "Diastolic blood pressure", dbp),
                    ]
                },
            )
        )

    def local_observation(
        self, eid: str, k: int, key: str, display: str, moment: datetime, value: Resource
    ) -> None:
        self.add(self._obs(eid, f"{k}/{key}", moment, "procedure", concept(LOCAL, key, display), value))

    def _obs(
        self, eid: str, tag: str, moment: datetime, category: str, code: Resource, value: Resource
    ) -> Resource:
        return {
            "resourceType": "Observation",
            "id": rid(self.seed, "Observation", self.patient.index, tag),
            "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": category}]}],
            "code": code,
            "subject": self.ref(),
            "encounter": {"reference": f"Encounter/{eid}"},
            "effectiveDateTime": self.when(moment),
            **value,
        }

    def condition(self, eid: str, k: int, key: str, moment: datetime) -> None:
        code, display = CONDITIONS[key]
        self.add(
            {
                "resourceType": "Condition",
                "id": rid(self.seed, "Condition", self.patient.index, k, key),
                "clinicalStatus": concept(
                    "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"
                ),
                "verificationStatus": concept(
                    "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"
                ),
                "category": [
                    concept(
                        "http://terminology.hl7.org/CodeSystem/condition-category",
                        "encounter-diagnosis",
                        "Encounter Diagnosis",
                    )
                ],
                "code": concept(ICD10, code, display),
                "subject": self.ref(),
                "encounter": {"reference": f"Encounter/{eid}"},
                "onsetDateTime": self.when(moment),
                "recordedDate": self.when(moment),
            }
        )

    def medication(self, eid: str, k: int, name: str, moment: datetime) -> None:
        code, display = MEDICATIONS[name]
        self.add(
            {
                "resourceType": "MedicationRequest",
                "id": rid(self.seed, "MedicationRequest", self.patient.index, k, name),
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": concept(RXNORM, code, display),
                "subject": self.ref(),
                "encounter": {"reference": f"Encounter/{eid}"},
                "authoredOn": self.when(moment),
                "dosageInstruction": [{"text": "as directed"}],
            }
        )

    def procedure(self, eid: str, k: int, key: str, moment: datetime) -> None:
        code, display = PROCEDURES[key]
        self.add(
            {
                "resourceType": "Procedure",
                "id": rid(self.seed, "Procedure", self.patient.index, k, key),
                "status": "completed",
                "code": concept(SNOMED, code, display),
                "subject": self.ref(),
                "encounter": {"reference": f"Encounter/{eid}"},
                "performedDateTime": self.when(moment),
            }
        )

    def report(
        self,
        eid: str,
        tag: str,
        code: Resource,
        moment: datetime,
        conclusion: str | None = None,
        text: str | None = None,
        spans: list[Span] | None = None,
        study: str | None = None,
    ) -> None:
        """A DiagnosticReport; `text` goes into presentedForm as base64 text/plain."""
        res: Resource = {
            "resourceType": "DiagnosticReport",
            "id": rid(self.seed, "DiagnosticReport", self.patient.index, tag),
            "status": "final",
            "code": code,
            "subject": self.ref(),
            "encounter": {"reference": f"Encounter/{eid}"},
            "effectiveDateTime": self.when(moment),
            "issued": self.when(moment + timedelta(hours=2)),
        }
        if study:
            res["imagingStudy"] = [{"reference": f"ImagingStudy/{study}"}]
        if conclusion:
            res["conclusion"] = conclusion
        if text is not None:
            res["presentedForm"] = [{"contentType": "text/plain", "data": _b64(text)}]
            self._text_phi(f"DiagnosticReport/{res['id']}", "presentedForm[0].data", spans or [])
        self.add(res)

    def imaging_study(
        self,
        eid: str,
        tag: str,
        moment: datetime,
        modality: str,
        uids: tuple[str, str, str],
        sop_class: str,
        description: str,
    ) -> str:
        sid = rid(self.seed, "ImagingStudy", self.patient.index, tag)
        mod = {"system": DCM, "code": modality}
        self.add(
            {
                "resourceType": "ImagingStudy",
                "id": sid,
                "status": "available",
                "identifier": [{"system": "urn:dicom:uid", "value": f"urn:oid:{uids[0]}"}],
                "modality": [mod],
                "subject": self.ref(),
                "encounter": {"reference": f"Encounter/{eid}"},
                "started": self.when(moment),
                "numberOfSeries": 1,
                "numberOfInstances": 1,
                "description": description,
                "series": [
                    {
                        "uid": uids[1],
                        "number": 1,
                        "modality": mod,
                        "numberOfInstances": 1,
                        "instance": [
                            {
                                "uid": uids[2],
                                "number": 1,
                                "sopClass": {"system": "urn:ietf:rfc:3986", "code": f"urn:oid:{sop_class}"},
                            }
                        ],
                    }
                ],
            }
        )
        return sid

    def document(
        self, eid: str, tag: str, loinc: tuple[str, str], moment: datetime, text: str, spans: list[Span]
    ) -> None:
        did = rid(self.seed, "DocumentReference", self.patient.index, tag)
        self.add(
            {
                "resourceType": "DocumentReference",
                "id": did,
                "status": "current",
                "type": concept(LOINC, *loinc),
                "subject": self.ref(),
                "date": self.when(moment),
                "content": [
                    {"attachment": {"contentType": "text/plain", "data": _b64(text), "title": loinc[1]}}
                ],
                "context": {
                    "encounter": [{"reference": f"Encounter/{eid}"}],
                    "period": {"start": self.when(moment)},
                },
            }
        )
        self._text_phi(f"DocumentReference/{did}", "content[0].attachment.data", spans)

    def _text_phi(self, resource: str, path: str, spans: list[Span]) -> None:
        self.phi.extend(PhiNote(resource, path, s.tag, s.text, s.start, s.end) for s in spans)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
