"""The fairness part of `evaluate`: the run's model per patient group, fusion vs single modalities,
and one mitigation (reweighing in training) compared before and after on the same patients."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.evaluate.compare import EvaluateConfig
from healthfm.evaluate.predict import Predictions
from healthfm.evaluate.variants import Variant, train_variant
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import GROUP_ATTRIBUTES, FinetuneConfig, PreparedData
from healthfm.train.loop import ProgressSink

Array = np.ndarray[Any, Any]
INTERSECTIONS = (("sex", "age_band"), ("sex", "race_ethnicity"))
VARIANT_BOOT = 200  # resamples for the variants' group metrics (their summaries carry no CI)


def fairness_section(
    store: PatientStore,
    run: Path,
    ft: FinetuneConfig,
    data: PreparedData,
    init_from: Path | None,
    held: Predictions,
    prob: Array,
    threshold: float,
    variants: list[Variant],
    config: EvaluateConfig,
    progress: ProgressSink | None,
    say: Callable[[str], None],
    notes: list[str],
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(fairness, mitigation) sections of the evaluation; both JSON-ready."""
    from healthfm.evaluate.fairness import fairness_audit
    from healthfm.evaluate.groups import patient_groups

    say("fairness audit by sex, age band, race/ethnicity, site and their intersections")
    groups = patient_groups(store, data.splits["held_out"])
    report = fairness_audit(
        held.y,
        prob,
        threshold,
        groups,
        intersections=INTERSECTIONS,
        min_group=config.min_group,
        n_boot=config.n_boot,
        seed=config.seed,
    )
    fairness: dict[str, Any] = {"model": report.to_dict(), "threshold": threshold}
    by_model = {"healthfm (this run)": report.to_dict()["summary"]}
    for v in variants:
        assert v.held_out is not None and v.tuning is not None
        cut = _threshold(v.tuning, ft.threshold_rule)
        audit = fairness_audit(
            v.held_out.y,
            v.held_out.pred,
            cut,
            groups,
            intersections=(),
            min_group=config.min_group,
            n_boot=VARIANT_BOOT,
            seed=config.seed,
        )
        by_model[v.name] = audit.to_dict()["summary"]
    fairness["by_model"] = by_model
    mitigation = None
    attribute = _mitigation_attribute(config.mitigation, report.to_dict()["summary"], notes)
    if attribute is not None:
        mitigation = _mitigate(
            store, run, ft, data, init_from, held, report, groups, attribute, config, progress, say
        )
    return fairness, mitigation


def _threshold(tuning: Predictions, rule: str) -> float:
    from healthfm.evaluate.calibration import choose_threshold

    return float(choose_threshold(tuning.y, tuning.pred, rule))


def _mitigation_attribute(choice: str | None, summary: dict[str, Any], notes: list[str]) -> str | None:
    """The attribute to reweigh: the one asked for, or (auto) the one with the largest equalised-odds
    difference among the attributes the cohort records."""
    if choice is None:
        return None
    if choice != "auto":
        if choice not in GROUP_ATTRIBUTES:
            notes.append(f"mitigation {choice!r} skipped: choose one of {GROUP_ATTRIBUTES}")
            return None
        return choice
    scored = {
        a: float(s["equalized_odds_difference"]["value"])
        for a, s in summary.items()
        if a in GROUP_ATTRIBUTES and (s.get("equalized_odds_difference") or {}).get("value") is not None
    }
    if not scored:
        notes.append("no group attribute recorded for the held-out patients: mitigation skipped")
        return None
    return max(scored, key=lambda a: scored[a])


def _mitigate(
    store: PatientStore,
    run: Path,
    ft: FinetuneConfig,
    data: PreparedData,
    init_from: Path | None,
    held: Predictions,
    before: Any,
    groups: Any,
    attribute: str,
    config: EvaluateConfig,
    progress: ProgressSink | None,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Retrain the run's recipe with reweighing over `attribute` × label; audit it the same way."""
    from healthfm.evaluate import metrics as M
    from healthfm.evaluate.fairness import fairness_audit

    epochs = config.variant_epochs or ft.train.epochs
    cfg = dataclasses.replace(ft, reweight=attribute, train=dataclasses.replace(ft.train, epochs=epochs))
    variant = train_variant(
        store,
        run,
        f"reweighed_{attribute}",
        "mitigation",
        cfg,
        data,
        init_from=init_from,
        progress=progress,
        say=say,
    )
    assert variant.held_out is not None and variant.tuning is not None
    cut = _threshold(variant.tuning, ft.threshold_rule)
    after = fairness_audit(
        variant.held_out.y,
        variant.held_out.pred,
        cut,
        groups,
        intersections=(),
        min_group=config.min_group,
        n_boot=config.n_boot,
        seed=config.seed,
    )
    b_sum, a_sum = (
        before.to_dict()["summary"].get(attribute, {}),
        after.to_dict()["summary"].get(attribute, {}),
    )
    return {
        "method": "reweighing (Kamiran & Calders 2012): training patients sampled with weights "
        "P(A)P(Y)/P(A,Y) over the attribute × label",
        "attribute": attribute,
        "variant": variant.name,
        "reused": variant.reused,
        "before": b_sum,
        "after": a_sum,
        "auroc_before": M.bootstrap(M.auroc, held.y, held.pred, n_boot=config.n_boot, seed=config.seed),
        "auroc_after": M.bootstrap(
            M.auroc, variant.held_out.y, variant.held_out.pred, n_boot=config.n_boot, seed=config.seed
        ),
        "groups_after": [r for r in after.to_dict()["rows"] if r.get("attribute") == attribute],
    }
