"""The model card (Mitchell et al. 2019) and the TRIPOD+AI items (Collins et al., BMJ 2024) that a run
and its evaluation can fill, as Markdown; stored with the model version in the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _est(value: Any) -> str:
    if isinstance(value, Mapping) and value.get("value") is not None:
        lo, hi = value.get("low"), value.get("high")
        ci = f" (95% CI {lo:.3f}–{hi:.3f})" if lo is not None and hi is not None else ""
        return f"{value['value']:.3f}{ci}"
    return "n/a"


def _limitations(ev: Mapping[str, Any]) -> list[str]:
    out = []
    for t in ev.get("targets", []):
        if not t.get("met"):
            out.append(f"Target not met: {t['target']} — difference {_est(t.get('difference'))}.")
    fair = ev.get("fairness") or {}
    rows = fair.get("model", {}).get("rows", [])
    small = [f"{r['attribute']}={r['group']} (n={r['n']})" for r in rows if r.get("small")]
    if small:
        out.append(
            "Groups under the size threshold, whose estimates are unreliable: "
            + ", ".join(small[:12])
            + (" …" if len(small) > 12 else "")
        )
    out.extend(fair.get("model", {}).get("notes", []))
    out.extend(ev.get("notes", []))
    data = (ev.get("model") or {}).get("data") or {}
    out.append(
        "Evaluated on held-out patients of the same store (internal validation); performance at another "
        "hospital is unknown until measured there."
        + (f" Store snapshot: {data.get('subjects')} subjects." if data else "")
    )
    return out


def model_card(ev: Mapping[str, Any], run: Mapping[str, Any]) -> str:
    """Markdown model card for one evaluated run (`ev` = evaluation.json, `run` = run.json)."""
    task = ev.get("task", {})
    model = ev.get("model", {})
    cfg = model.get("config") or {}
    metrics = ev.get("metrics", {})
    n = ev.get("n", {})
    primary = ev.get("primary_metric", "auroc")
    op = ev.get("operating_point") or {}
    encoders = ", ".join(sorted((cfg.get("encoders") or {}).keys()))
    fusion = (cfg.get("fusion") or {}).get("name", "attention")
    lines = [
        f"# Model card — {task.get('name')}",
        "",
        "## Model details",
        f"- healthfm foundation model: encoders for {encoders}; {fusion} fusion; "
        f"{(cfg.get('head') or {}).get('name', '')} head; {model.get('parameters') or 'n/a'} parameters.",
        f"- Adaptation: {model.get('mode')}; initialised from: {model.get('initialised_from') or 'scratch'}.",
        f"- Run folder: `{ev.get('run')}`; task kind {task.get('kind')}.",
        "",
        "## Intended use",
        f"- {task.get('description', '').strip()}",
        "- Decision support for clinicians, never an autonomous decision: predictions above the operating "
        "threshold or of low confidence go to human review (GDPR Art. 22, EU AI Act Art. 14).",
        "- Out of scope: patients outside the task's cohort definition, other care settings, and any use "
        "before local validation.",
        "",
        "## Data",
        f"- Patients (split by patient): train {n.get('train')}, tuning {n.get('tuning')}, "
        f"held-out {n.get('held_out')}; opted-out patients excluded at run time.",
        f"- Prediction time: {task.get('prediction_time')}; label: {task.get('label')}.",
        "",
        "## Metrics (held-out patients, 1,000-sample bootstrap 95% CIs)",
    ]
    for key, value in metrics.items():
        if isinstance(value, Mapping) and "value" in value:
            lines.append(f"- {key}: {_est(value)}")
    if op:
        lines.append(
            f"- Calibration: {op.get('calibrator', {}).get('method')} on the tuning split; operating "
            f"threshold {float(op.get('threshold', float('nan'))):.3f} ({op.get('rule')})."
        )
    lines += ["", "## Compared with", ""]
    for c in ev.get("compared", [])[1:]:
        diff = (c.get("difference") or {}).get("estimate")
        lines.append(
            f"- {c['name']} ({c['kind']}): {primary} {_est(c['metrics'].get(primary))}; "
            f"healthfm − this {_est(diff)}"
        )
    lines += ["", "## Subgroups", ""]
    fair = ev.get("fairness") or {}
    for attr, s in (fair.get("model", {}).get("summary") or {}).items():
        lines.append(
            f"- {attr}: equalised-odds difference {_est(s.get('equalized_odds_difference'))}, "
            f"demographic-parity difference {_est(s.get('demographic_parity_difference'))}, "
            f"AUROC gap {_est(s.get('auroc_gap'))}"
        )
    mit = ev.get("mitigation")
    if mit:
        lines.append(
            f"- Mitigation tried: reweighing over {mit['attribute']}: equalised-odds difference "
            f"{_est(mit['before'].get('equalized_odds_difference'))} → "
            f"{_est(mit['after'].get('equalized_odds_difference'))}; AUROC {_est(mit.get('auroc_before'))} → "
            f"{_est(mit.get('auroc_after'))}."
        )
    lines += ["", "## Limitations", ""] + [f"- {x}" for x in _limitations(ev)]
    lines += ["", "## TRIPOD+AI items this run fills", ""] + [f"- {x}" for x in tripod_items(ev, run)]
    return "\n".join(lines) + "\n"


def tripod_items(ev: Mapping[str, Any], run: Mapping[str, Any]) -> list[str]:
    """The TRIPOD+AI checklist items the run and its evaluation can answer, with where the answer is."""
    task = ev.get("task", {})
    data = run.get("data") or {}
    digest = str(data.get("train_subjects_sha256", ""))[:12]
    return [
        f"5a/5b Data source and dates: MEDS patient store snapshot ({data.get('subjects')} subjects, "
        f"{data.get('events')} events; train-subject hash {digest}…).",
        f"6a Participants: task {task.get('name')} cohort {task.get('cohort')}.",
        f"7a Outcome and timing: label {task.get('label')}, horizon {task.get('horizon_days')} days.",
        "8a Predictors: every modality visible before the prediction time (`task.visible`); recorded "
        "sex, race/ethnicity and site codes are among the structured inputs.",
        f"9 Sample size: {ev.get('n')}.",
        "10 Missing data: missing modalities masked in the fusion (trained with modality dropout); "
        "performance per missing-modality pattern reported.",
        "12a–c Analysis: model config, seed and training history in run.json / history.jsonl; "
        "calibration and threshold fitted on the tuning split.",
        "12e/14 Performance measures with 95% bootstrap CIs, against baselines on the same split.",
        "14c Fairness: performance per sex, age band, race/ethnicity and site with CIs.",
        "18 Model updating / availability: registry version with lineage and training-subject pseudonyms.",
    ]
