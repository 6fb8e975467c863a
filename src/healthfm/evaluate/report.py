"""The evaluation report: one self-contained HTML file (figures embedded as PNG) beside its JSON."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from healthfm.evaluate import figures

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:24px auto;
padding:0 16px;color:#1d2430;line-height:1.45}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #dde3ea;padding-bottom:4px;margin-top:2em}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.88em}
th,td{border:1px solid #d5dbe3;padding:4px 8px;text-align:right}th{background:#f2f5f8}
td:first-child,th:first-child{text-align:left}.met{color:#106b21;font-weight:600}
.miss{color:#a3261b;font-weight:600}
.small{color:#8a6d00}.grid{display:flex;flex-wrap:wrap;gap:12px}
.grid img{max-width:520px;border:1px solid #e3e7ec}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:6px 10px;margin:6px 0}
.sub{color:#5b6675;font-size:.92em}pre{background:#f6f8fa;padding:10px;overflow:auto;font-size:.85em}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _est(value: Any, digits: int = 3) -> str:
    """An estimate dict {value, low, high} as `0.842 [0.801, 0.880]`."""
    if isinstance(value, Mapping) and "value" in value:
        v, lo, hi = value.get("value"), value.get("low"), value.get("high")
        if v is None:
            return "n/a"
        if lo is None or hi is None:
            return f"{v:.{digits}f}"
        return f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return "n/a" if value is None else _e(value)


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _metrics_section(ev: Mapping[str, Any]) -> str:
    metrics = ev.get("metrics", {})
    rows = [[_e(k), _est(v)] for k, v in metrics.items() if isinstance(v, Mapping) and "value" in v]
    out = "<h2>Held-out metrics</h2>" + _table(["metric", "estimate [95% bootstrap CI]"], rows)
    unc = metrics.get("uncalibrated")
    if isinstance(unc, Mapping):
        out += (
            "<p class=sub>Before calibration: "
            + ", ".join(f"{_e(k)} {_est(v)}" for k, v in unc.items())
            + "</p>"
        )
    op = ev.get("operating_point") or {}
    if op:
        cal = op.get("calibrator", {})
        out += (
            f"<p class=sub>Calibration: <b>{_e(cal.get('method', 'none'))}</b> fitted on the tuning split "
            f"({_e(op.get('n'))} patients); operating threshold <b>{_est(op.get('threshold'))}</b> "
            f"({_e(op.get('rule'))}), chosen there and shipped with the model.</p>"
        )
    return out


def _comparison_section(ev: Mapping[str, Any]) -> str:
    primary = ev.get("primary_metric", "auroc")
    compared = ev.get("compared", [])
    keys = sorted({k for c in compared for k in c.get("metrics", {}) if isinstance(c["metrics"][k], Mapping)})
    keys = [primary] + [k for k in keys if k != primary and k in ("auprc", "brier", "macro_f1", "accuracy")]
    rows = []
    for c in compared:
        diff = (c.get("difference") or {}).get("estimate")
        rows.append(
            [_e(c["name"]), _e(c["kind"])]
            + [_est(c["metrics"].get(k)) for k in keys]
            + [_est(diff) if diff else "—"]
        )
    header = ["model", "family", *keys, f"healthfm − this ({primary}), paired"]
    out = "<h2>Against baselines, same held-out patients</h2>" + _table(header, rows)
    for t in ev.get("targets", []):
        cls, word = ("met", "MET") if t.get("met") else ("miss", "NOT MET")
        out += f'<p><span class="{cls}">{word}</span> — {_e(t["target"])}: {_est(t.get("difference"))}</p>'
    return out


def _pattern_section(ev: Mapping[str, Any]) -> str:
    rows = ev.get("by_missing_modality_pattern", [])
    if not rows:
        return ""
    metric = next((k for k in ("auroc", "harrell_c") if k in rows[0]), None)
    body = [[_e(r["pattern"]), str(r["n"]), _est(r.get(metric)) if metric else ""] for r in rows]
    return "<h2>By missing-modality pattern</h2>" + _table(["modalities present", "n", metric or ""], body)


def _fairness_section(ev: Mapping[str, Any]) -> str:
    fair = ev.get("fairness")
    if not fair:
        return ""
    model = fair["model"]
    rows = []
    for r in model.get("rows", []):
        flag = '<span class="small">under size threshold</span>' if r.get("small") else ""
        rows.append(
            [f"{_e(r['attribute'])} = {_e(r['group'])}", str(r["n"])]
            + [_est(r.get(k)) for k in ("auroc", "tpr", "fpr", "ppv", "calibration_gap")]
            + [flag]
        )
    out = "<h2>Fairness audit (held-out patients)</h2>"
    out += f"<p class=sub>At the operating threshold {_est(fair.get('threshold'))}.</p>"
    out += _table(["group", "n", "AUROC", "TPR", "FPR", "PPV", "calibration gap", ""], rows)
    out += (
        '<div class="grid">' + _img(figures.group_figure(model.get("rows", [])), "AUROC by group") + "</div>"
    )
    summary_rows = []
    for name, summary in fair.get("by_model", {}).items():
        for attr, s in summary.items():
            summary_rows.append(
                [_e(name), _e(attr)]
                + [
                    _est(s.get(k))
                    for k in ("equalized_odds_difference", "demographic_parity_difference", "auroc_gap")
                ]
                + [_e(", ".join(s.get("small_groups", [])))]
            )
    header = ["model", "attribute", "equalised-odds diff.", "demographic-parity diff.", "AUROC gap"]
    out += "<h3>Gaps between groups: fusion vs single modalities</h3>" + _table(
        [*header, "compared groups under 100 patients"], summary_rows
    )
    for note in model.get("notes", []):
        out += f'<p class="note">{_e(note)}</p>'
    mit = ev.get("mitigation")
    if mit:
        b, a = mit.get("before", {}), mit.get("after", {})
        out += (
            f"<h3>Mitigation: {_e(mit['method'])}</h3>"
            + _table(
                ["", "equalised-odds diff.", "demographic-parity diff.", "AUROC (all patients)"],
                [
                    [
                        "before",
                        _est(b.get("equalized_odds_difference")),
                        _est(b.get("demographic_parity_difference")),
                        _est(mit.get("auroc_before")),
                    ],
                    [
                        "after",
                        _est(a.get("equalized_odds_difference")),
                        _est(a.get("demographic_parity_difference")),
                        _est(mit.get("auroc_after")),
                    ],
                ],
            )
            + f"<p class=sub>attribute: {_e(mit['attribute'])}</p>"
        )
    return out


def _explanation_section(ev: Mapping[str, Any], folder: Path) -> str:
    items = ev.get("explanations", [])
    if not items:
        return ""
    out = "<h2>Explanations of a few held-out patients</h2>"
    for item in items:
        out += (
            f"<h3>subject {_e(item['subject_id'])}</h3><p>{_e(item.get('summary', ''))}</p><div class=grid>"
        )
        for path in (
            item.get("figures", {}).values()
            if isinstance(item.get("figures"), Mapping)
            else item.get("figures", [])
        ):
            p = Path(path)
            if not p.is_absolute():
                p = Path(item.get("folder", folder)) / p
            if p.is_file() and p.suffix == ".png":
                out += _img(p.read_bytes(), p.stem)
        out += "</div>"
    return out


def _label_efficiency_section(ev: Mapping[str, Any]) -> str:
    le = ev.get("label_efficiency")
    if not le or not le.get("curves"):
        return ""
    return (
        "<h2>Label efficiency</h2>"
        f"<p class=sub>{_e(le.get('source', ''))}</p><div class=grid>"
        + _img(figures.label_efficiency_figure(le["curves"]), "label efficiency")
        + "</div>"
    )


def render(ev: Mapping[str, Any], card: str, folder: Path) -> str:
    task = ev.get("task", {})
    primary = ev.get("primary_metric", "auroc")
    n = ev.get("n", {})
    head = (
        f"<h1>healthfm evaluation — {_e(task.get('name'))}</h1>"
        f"<p class=sub>{_e(task.get('description', ''))}</p>"
        f"<p>Run <code>{_e(ev.get('run'))}</code> · patients train {n.get('train')}, "
        f"tuning {n.get('tuning')}, "
        f"held-out {n.get('held_out')} (split by patient) · {_e(primary)} "
        f"<b>{_est(ev.get('metrics', {}).get(primary))}</b></p>"
    )
    curves = ev.get("curves", {})
    plots = ""
    if curves:
        primaries = {
            c["name"]: c["metrics"][primary]["value"]
            for c in ev.get("compared", [])
            if isinstance(c.get("metrics", {}).get(primary), Mapping)
            and c["metrics"][primary].get("value") is not None
        }
        prevalence = (ev.get("metrics", {}).get("prevalence") or {}).get("value") or 0.0
        plots = '<h2>Curves</h2><div class="grid">' + _img(
            figures.roc_figure(curves["roc"], primaries), "ROC"
        )
        plots += _img(figures.pr_figure(curves["pr"], prevalence), "PR")
        plots += _img(figures.calibration_figure(curves["reliability"]), "calibration")
        confusion = ev.get("metrics", {}).get("confusion")
        if confusion:
            plots += _img(figures.confusion_figure(confusion, ["negative", "positive"]), "confusion")
        plots += "</div>"
    notes = "".join(f'<p class="note">{_e(n_)}</p>' for n_ in ev.get("notes", []))
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>healthfm evaluation — {_e(task.get('name'))}</title><style>{STYLE}</style></head><body>"
        + head
        + notes
        + _comparison_section(ev)
        + _metrics_section(ev)
        + plots
        + _pattern_section(ev)
        + _fairness_section(ev)
        + _label_efficiency_section(ev)
        + _explanation_section(ev, folder)
        + f"<h2>Model card</h2><pre>{_e(card)}</pre>"
        + f"<p class=sub>timings (s): {_e(json.dumps(ev.get('seconds', {})))}</p></body></html>"
    )


def write_report(ev: Mapping[str, Any], card: str, folder: Path) -> Path:
    path = Path(folder) / "report.html"
    path.write_text(render(ev, card, Path(folder)))
    return path
