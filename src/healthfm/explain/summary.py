"""A short plain-language summary, filled from the numbers of an explanation (template text, no model)."""

from __future__ import annotations

from collections.abc import Mapping

from healthfm.explain.core import modality_name
from healthfm.explain.counterfactual import Counterfactual
from healthfm.explain.shapley import ModalityShapley
from healthfm.explain.units import ModalityAttribution
from healthfm.schema import Modality

TOP_MODALITIES = 3
TOP_FEATURES = 3
NEGLIGIBLE = 0.01  # logits: a modality whose largest unit moves the output less is not described


def _signed(x: float, digits: int = 2) -> str:
    return f"{x:+.{digits}f}".replace("-", "−")


def _number(x: float | str) -> str:
    return x if isinstance(x, str) else f"{x:.4g}"


def _features(attr: ModalityAttribution) -> str:
    parts = []
    for f in attr.features[:TOP_FEATURES]:
        if attr.modality is Modality.TEXT:
            parts.append(f"'{f.name}' ({_signed(f.attribution)})")
        elif attr.modality is Modality.IMAGE:
            parts.append(f"{f.name} ({_signed(f.attribution)})")
        else:
            value = f" {f.value}" if f.value and f.value not in ("present", "recorded") else ""
            name = f.name.split(" (")[0] if "(" in f.name else f.name
            parts.append(f"{name}{value} ({_signed(f.attribution)})")
    return ", ".join(parts)


def counterfactual_sentence(cf: Counterfactual) -> str:
    if cf.status == "found":
        changes = " and ".join(
            f"{c.name} from {_number(c.current)} to {_number(c.proposed)}{' ' + c.unit if c.unit else ''}"
            for c in cf.changes
        )
        risk = cf.verified_risk if cf.verified_risk is not None else cf.new_risk
        assert risk is not None
        shown = f"{risk:.2f}" if round(risk, 2) < round(cf.threshold, 2) else f"{risk:.3f}"
        return f"Changing {changes} would bring the risk to {shown}, below the threshold {cf.threshold:.2f}."
    if cf.status == "none_within_ranges":
        return (
            f"No change of one or two modifiable risk factors within their clinical ranges brings the risk "
            f"below {cf.threshold:.2f}."
        )
    if cf.status == "no_modifiable_values":
        return "No modifiable risk factor (blood pressure, cholesterol, HbA1c, BMI, smoking) is recorded."
    return ""


def summary_text(
    risk: float,
    threshold: float,
    kind: str,
    contributions: ModalityShapley | None,
    attributions: Mapping[Modality, ModalityAttribution],
    counterfactual: Counterfactual | None,
    outcome: str | None = None,
) -> str:
    """`outcome`: the class explained, for multiclass and multilabel models."""
    if kind == "regression":
        sentences = [f"Predicted value {risk:.3g}."]
    else:
        side = "above" if risk >= threshold else "below"
        what = "Risk" if outcome is None else f"Probability of {outcome!r}"
        sentences = [f"{what} {risk:.2f} (threshold {threshold:.2f}): {side} the threshold."]
    if contributions is not None and contributions.modalities:
        ranked = sorted(contributions.modalities, key=lambda m: -abs(contributions.risk[m]))
        parts = [f"{modality_name(m)} ({_signed(contributions.risk[m])})" for m in ranked[:TOP_MODALITIES]]
        sentences.append(
            f"Largest contributions: {', '.join(parts)} (risk points; without any data the model says "
            f"{contributions.f_none[0]:.2f})."
        )
        order = [m for m in ranked if m in attributions] + [m for m in attributions if m not in ranked]
    else:
        order = list(attributions)
    for m in order:
        attr = attributions[m]
        if not attr.features or abs(attr.features[0].attribution) < NEGLIGIBLE:
            continue
        if m is Modality.SIGNAL:
            lead = attr.features[0]
            segments = attr.extra.get("top_segments") or []
            where = (
                f", most around {segments[0]['start_s']:.1f}–{segments[0]['end_s']:.1f} s" if segments else ""
            )
            sentences.append(
                f"Within the ECG: strongest in {lead.name} ({_signed(lead.attribution)}){where}."
            )
            continue
        sentences.append(f"Within the {modality_name(m)}: {_features(attr)}.")
    if any(attributions):
        sentences.append("Feature attributions are in logits of the explained output.")
    if counterfactual is not None:
        text = counterfactual_sentence(counterfactual)
        if text:
            sentences.append(text)
    return " ".join(sentences)
