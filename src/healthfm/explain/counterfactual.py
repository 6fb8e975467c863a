"""Counterfactuals: the smallest plausible change to modifiable risk factors that brings the risk below the
operating threshold, or the statement that none exists within the declared ranges.

Only the latest value of each factor recorded before the prediction time changes, and only towards the
usual clinical aim (lower blood pressure, cholesterol, HbA1c, BMI; a current smoker stopping) unless
`any_direction` is set. A new value reaches the model through the run's own normalisers (the events
token of that measurement and the tabular last-value feature). Single factors are tried first (every step
of the declared resolution), then pairs of the factors that lowered the risk on their own (on a coarser
grid); the size of a change is its fraction of the factor's range (a categorical change counts 0.5). The
change found is verified by editing the timeline and running the processors and the model from scratch.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import torch

from healthfm.data.quantiles import quantile_normal
from healthfm.explain.core import Prediction, expand_input
from healthfm.explain.units import latest_values
from healthfm.schema import EncoderOutput, Modality, ModalityInput, PatientTimeline


@dataclass(frozen=True)
class Modifiable:
    """A numeric risk factor a patient and clinician can change, in the store's canonical unit."""

    code: str
    name: str
    unit: str
    low: float  # the plausible range a new value must stay in
    high: float
    step: float  # search resolution
    max_change: float  # the largest plausible change from the current value
    direction: int = -1  # the usual clinical aim: -1 lower, +1 higher


@dataclass(frozen=True)
class CodeSwap:
    """A categorical risk factor recorded as a coded answer (FHIR valueCodeableConcept -> `code/answer`)."""

    prefix: str
    name: str
    from_codes: tuple[str, ...]
    to_codes: tuple[str, ...]
    cost: float = 0.5


# Clinical ranges in the store's canonical units (healthfm.ingest.units.CANONICAL).
MODIFIABLE: tuple[Modifiable, ...] = (
    Modifiable("LOINC/8480-6", "systolic blood pressure", "mmHg", 90.0, 200.0, 5.0, 40.0),
    Modifiable("LOINC/13457-7", "LDL cholesterol", "mg/dL", 40.0, 300.0, 10.0, 100.0),
    Modifiable("LOINC/2093-3", "total cholesterol", "mg/dL", 100.0, 350.0, 10.0, 120.0),
    Modifiable("LOINC/4548-4", "HbA1c", "%", 4.0, 14.0, 0.25, 3.0),
    Modifiable("LOINC/39156-5", "BMI", "kg/m2", 18.5, 50.0, 1.0, 8.0),
)
# Tobacco smoking status (LOINC 72166-2) with SNOMED answers: current -> former or never smoker.
SMOKING = CodeSwap(
    "LOINC/72166-2/",
    "smoking status",
    tuple(f"LOINC/72166-2/{c}" for c in ("449868002", "428041000124106", "77176002", "65568007")),
    ("LOINC/72166-2/8517006", "LOINC/72166-2/266919005"),
)
PAIR_VALUES = 6  # values per factor in the pair search
PAIR_FACTORS = 4  # the factors that lowered the risk most on their own enter the pair search
CHUNK = 128  # candidate rows per forward pass


@dataclass
class Change:
    code: str
    name: str
    unit: str
    current: float | str
    proposed: float | str
    cost: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Counterfactual:
    status: str  # found | none_within_ranges | already_below | no_modifiable_values | not_applicable
    threshold: float
    risk: float
    changes: list[Change] = field(default_factory=list)
    new_risk: float | None = None
    verified_risk: float | None = None  # the change applied to the timeline, processors and model rerun
    factors: list[dict[str, Any]] = field(default_factory=list)  # what was searched, best risk per factor
    candidates: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["changes"] = [c.to_dict() for c in self.changes]
        return out


@dataclass
class _Factor:
    """One factor of this patient: where its value sits in the model input and the values to try."""

    change: Modifiable | CodeSwap
    current: float | str
    candidates: list[float | str]
    event_pos: int | None  # events token of the latest value
    tab_pos: int | None  # tabular numeric column
    costs: list[float]


def _latest_code(pred: Prediction, prefix: str) -> str | None:
    codes = [str(c) for c in pred.visible.table.column("code").to_pylist()]
    times = pred.visible.table.column("time").to_pylist()
    hits = [(t, i) for i, (c, t) in enumerate(zip(codes, times, strict=True)) if c.startswith(prefix) and t]
    return codes[max(hits)[1]] if hits else None


def _factors(pred: Prediction, any_direction: bool) -> list[_Factor]:
    events = pred.processors.get(Modality.EVENTS) if Modality.EVENTS in pred.present else None
    tabular = pred.processors.get(Modality.TABULAR) if Modality.TABULAR in pred.present else None
    ids = pred.batch.inputs[Modality.EVENTS].values["codes"][0] if events is not None else None
    has_value = pred.batch.inputs[Modality.EVENTS].values["has_value"][0] if events is not None else None
    latest = latest_values(pred)
    found: list[_Factor] = []
    for f in MODIFIABLE:
        if f.code not in latest:
            continue
        v0 = latest[f.code][0]
        event_pos = tab_pos = None
        if (
            events is not None
            and ids is not None
            and has_value is not None
            and f.code in (events.quantiles_ or {})
        ):
            hits = ((ids == events.code_id(f.code)) & has_value).nonzero().flatten()
            event_pos = int(hits[-1]) if hits.numel() else None
        if tabular is not None and f.code in (tabular.numeric_codes_ or []):
            tab_pos = (tabular.numeric_codes_ or []).index(f.code)
        if event_pos is None and tab_pos is None:
            continue  # the model never reads this value
        values: list[float] = []
        for sign in (f.direction, -f.direction) if any_direction else (f.direction,):
            k = 1
            while abs(k * f.step) <= f.max_change + 1e-9:
                v = v0 + sign * k * f.step
                if not f.low <= v <= f.high:
                    break
                values.append(round(v, 6))
                k += 1
        span = f.high - f.low
        found.append(_Factor(f, v0, list(values), event_pos, tab_pos, [abs(v - v0) / span for v in values]))
    if events is not None and ids is not None:
        current = _latest_code(pred, SMOKING.prefix)
        if current in SMOKING.from_codes:
            options: list[float | str] = [c for c in SMOKING.to_codes if events.code_id(c) > 1]
            hits = (ids == events.code_id(current)).nonzero().flatten()
            if options and hits.numel():
                found.append(
                    _Factor(SMOKING, current, options, int(hits[-1]), None, [SMOKING.cost] * len(options))
                )
    return found


def _edited_inputs(
    pred: Prediction, rows: Sequence[Sequence[tuple[_Factor, float | str]]]
) -> dict[Modality, ModalityInput]:
    """Events and tabular inputs with one row per candidate (a list of (factor, new value))."""
    n = len(rows)
    out: dict[Modality, ModalityInput] = {}
    for m in (Modality.EVENTS, Modality.TABULAR):
        if m in pred.present:
            out[m] = expand_input(pred.batch.inputs[m], n)
    events, tabular = pred.processors.get(Modality.EVENTS), pred.processors.get(Modality.TABULAR)
    for r, row in enumerate(rows):
        for factor, value in row:
            code = factor.change.code if isinstance(factor.change, Modifiable) else None
            if isinstance(value, str):  # a code swap: the token's code changes
                assert events is not None and factor.event_pos is not None
                out[Modality.EVENTS].values["codes"][r, factor.event_pos] = events.code_id(value)
                continue
            assert code is not None
            if factor.event_pos is not None and events is not None:
                q = events.quantiles_[code]
                out[Modality.EVENTS].values["values"][r, factor.event_pos] = float(
                    quantile_normal(np.asarray([value]), q)[0]
                )
            if factor.tab_pos is not None and tabular is not None:
                q = tabular.quantiles_[factor.tab_pos]
                out[Modality.TABULAR].values["numeric"][r, factor.tab_pos] = float(
                    quantile_normal(np.asarray([value]), q)[0]
                )
    return out


def _risks(pred: Prediction, rows: Sequence[Sequence[tuple[_Factor, float | str]]]) -> np.ndarray[Any, Any]:
    risks = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        inputs = _edited_inputs(pred, chunk)
        with torch.no_grad():
            replaced: dict[Modality, EncoderOutput] = {
                m: pred.model.encoders[m.value](inp) for m, inp in inputs.items()
            }
            _, risk = pred.fuse(pred.outputs_with(replaced, len(chunk)), pred.presence(len(chunk)))
        risks.append(risk.double().numpy())
    return np.concatenate(risks) if risks else np.zeros(0)


def _change(factor: _Factor, value: float | str, cost: float) -> Change:
    c = factor.change
    if isinstance(c, Modifiable):
        return Change(c.code, c.name, c.unit, factor.current, value, cost)
    return Change(c.prefix.rstrip("/"), c.name, "", factor.current, value, cost)


def _verify(pred: Prediction, changes: Sequence[tuple[_Factor, float | str]], blobs: Any) -> float:
    """The risk with the changed values written into the timeline and everything rerun."""
    table = pred.visible.table
    codes = table.column("code")
    numeric = table.column("numeric_value").to_pylist()
    code_list = codes.to_pylist()
    times = table.column("time").to_pylist()
    for factor, value in changes:
        c = factor.change
        prefix = c.code if isinstance(c, Modifiable) else str(factor.current)
        hits = [
            (t, i)
            for i, (code, t) in enumerate(zip(code_list, times, strict=True))
            if code == prefix and t is not None and (isinstance(value, str) or numeric[i] is not None)
        ]
        i = max(hits)[1]
        if isinstance(value, str):
            code_list[i] = value
        else:
            numeric[i] = value
    edited = table.set_column(table.schema.get_field_index("code"), "code", pa.array(code_list, pa.string()))
    edited = edited.set_column(
        edited.schema.get_field_index("numeric_value"), "numeric_value", pa.array(numeric, pa.float32())
    )
    again = Prediction.build(
        pred.model,
        pred.processors,
        pred.sample,
        PatientTimeline(pred.visible.subject_id, edited),
        blobs,
        class_names=pred.class_names,
        class_index=pred.target.index,
    )
    return again.risk


def counterfactual(
    pred: Prediction, threshold: float = 0.5, *, any_direction: bool = False, blobs: Any = None
) -> Counterfactual:
    result = Counterfactual(status="found", threshold=threshold, risk=pred.risk)
    if pred.target.kind == "regression":
        result.status = "not_applicable"
        return result
    if pred.risk < threshold:
        result.status = "already_below"
        return result
    factors = _factors(pred, any_direction)
    if not factors:
        result.status = "no_modifiable_values"
        return result
    singles = [(f, v, cost) for f in factors for v, cost in zip(f.candidates, f.costs, strict=True)]
    risks = _risks(pred, [[(f, v)] for f, v, _ in singles])
    result.candidates = len(singles)
    for f in factors:
        idx = [k for k, (g, _, _) in enumerate(singles) if g is f]
        best = min(idx, key=lambda k: risks[k]) if idx else None
        result.factors.append(
            {
                "name": f.change.name,
                "current": f.current,
                "values_tried": len(idx),
                "lowest_risk": None if best is None else float(risks[best]),
                "at_value": None if best is None else singles[best][1],
            }
        )
    hits = [k for k in range(len(singles)) if risks[k] < threshold]
    if hits:
        k = min(hits, key=lambda k: (singles[k][2], risks[k]))
        f, v, cost = singles[k]
        result.changes, result.new_risk = [_change(f, v, cost)], float(risks[k])
        result.verified_risk = _verify(pred, [(f, v)], blobs)
        return result
    lowest = {id(f): r["lowest_risk"] for f, r in zip(factors, result.factors, strict=True)}
    helpful = sorted(
        (f for f in factors if lowest[id(f)] is not None and lowest[id(f)] < pred.risk),
        key=lambda f: lowest[id(f)],
    )[:PAIR_FACTORS]
    pairs: list[tuple[tuple[_Factor, float | str, float], tuple[_Factor, float | str, float]]] = []
    for f, g in itertools.combinations(helpful, 2):
        pick_f, pick_g = _spread(f), _spread(g)
        pairs += [
            ((f, f.candidates[i], f.costs[i]), (g, g.candidates[j], g.costs[j]))
            for i in pick_f
            for j in pick_g
        ]
    risks = _risks(pred, [[(a[0], a[1]), (b[0], b[1])] for a, b in pairs])
    result.candidates += len(pairs)
    hits = [k for k in range(len(pairs)) if risks[k] < threshold]
    if not hits:
        result.status = "none_within_ranges"
        return result
    k = min(hits, key=lambda k: (pairs[k][0][2] + pairs[k][1][2], risks[k]))
    a, b = pairs[k]
    result.changes = [_change(a[0], a[1], a[2]), _change(b[0], b[1], b[2])]
    result.new_risk = float(risks[k])
    result.verified_risk = _verify(pred, [(a[0], a[1]), (b[0], b[1])], blobs)
    return result


def _spread(f: _Factor) -> list[int]:
    """Up to PAIR_VALUES candidate indices spread from the smallest change to the largest."""
    n = len(f.candidates)
    if n <= PAIR_VALUES:
        return list(range(n))
    return sorted({round(x) for x in np.linspace(0, n - 1, PAIR_VALUES)})
