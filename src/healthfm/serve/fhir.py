"""The prediction as a FHIR R4 `RiskAssessment`: calibrated risk, the model's own probability, version,
operating threshold, basis (the inputs present) and the top contributors."""

from __future__ import annotations

from typing import Any

from healthfm.ingest.fhir_out import risk_assessment
from healthfm.serve.scoring import Scored

PROBABILITY_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/model-probability"
REVIEW_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/human-review"
MODALITY_NAMES = {
    "events": "coded events (diagnoses, labs, medications, vitals)",
    "tabular": "tabular features",
    "text": "clinical notes",
    "image": "images",
    "signal": "waveforms",
}


_METHODS = {
    "shapley": "contributors are exact modality Shapley values on the model probability.",
    "occlusion": "contributors are occlusion effects: the model probability minus the probability with "
    "that modality masked.",
    "none": "contributors were not computed.",
}


def to_risk_assessment(scored: Scored, *, top: int = 5, review_id: int | None = None) -> dict[str, Any]:
    served = scored.model
    res = risk_assessment(
        f"Patient/{scored.subject_id}",
        min(1.0, max(0.0, scored.risk)),
        model=served.name,
        version=str(served.version),
        threshold=min(1.0, max(0.0, served.threshold)),
        basis=[],
        contributors=scored.contributors[:top],
        occurrence=scored.prediction_time,
    )
    res["basis"] = [
        {"display": f"{m.value}: {MODALITY_NAMES.get(m.value, m.value)} recorded before the prediction time"}
        for m in scored.present
    ]
    absent = [m.value for m in served.model.modalities if m not in scored.present]
    res["note"] = [
        {
            "text": (
                f"Calibrated risk (probabilityDecimal) from model probability {scored.probability:.4f}; "
                f"inputs present: {', '.join(m.value for m in scored.present)}"
                + (f"; absent: {', '.join(absent)}" if absent else "")
                + "; "
                + _METHODS[scored.method]
            )
        }
    ]
    res["extension"].append({"url": PROBABILITY_EXTENSION, "valueDecimal": round(scored.probability, 6)})
    if review_id is not None:
        res["status"] = "preliminary"  # final once a clinician has accepted it
        res["extension"].append(
            {
                "url": REVIEW_EXTENSION,
                "extension": [
                    {"url": "id", "valueString": str(review_id)},
                    {"url": "status", "valueCode": "pending"},
                ],
            }
        )
    return res
