"""EventsProcessor: vocabulary fitted on train only, unknown bucket, quantile values, most recent tokens."""

from __future__ import annotations

import json

import numpy as np
import pytest

from healthfm.data import EventsProcessor, Processor
from healthfm.data.events import UNKNOWN_ID
from healthfm.errors import UsageError
from healthfm.schema import Modality, PatientTimeline, Sample
from healthfm.store.patient_store import PatientStore
from tests.data.conftest import at, ev, timeline


def _subject(sid: int, extra: list[str] | None = None, sbp: float = 120.0) -> PatientTimeline:
    rows = [
        ev(None, "GENDER/F"),
        ev(-365.25 * 50, "MEDS_BIRTH"),
        ev(1, "ICD10CM/I10"),
        ev(2, "LOINC/8480-6", sbp),
        ev(3, "LOINC/11488-4", text="note", modality="text"),
    ]
    rows += [ev(4, code) for code in extra or []]
    return timeline(sid, rows)


def _items(timelines: list[PatientTimeline], day: float = 10) -> list[tuple[Sample, PatientTimeline]]:
    return [(Sample(t.subject_id, at(day), None), t) for t in timelines]


def test_vocabulary_comes_from_train_only_with_cutoff_and_unknown_bucket() -> None:
    train = [_subject(i, ["RXNORM/1191"] if i < 3 else ["RXNORM/6809"] if i == 3 else []) for i in range(6)]
    held_out = _subject(99, ["ICD10CM/ONLY_HELD_OUT"])
    proc = EventsProcessor(min_count=2).fit(_items(train))
    assert proc.vocab_ is not None
    assert "RXNORM/1191" in proc.vocab_  # 3 subjects
    assert "RXNORM/6809" not in proc.vocab_  # 1 subject < min_count
    assert "ICD10CM/ONLY_HELD_OUT" not in proc.vocab_
    assert "LOINC/11488-4" in proc.vocab_  # notes enter as plain code tokens
    out = proc.transform(Sample(99, at(10), None), held_out)
    assert out is not None
    assert out["codes"][-1] == UNKNOWN_ID
    assert proc.code_id("RXNORM/6809") == UNKNOWN_ID
    assert out["codes"].min() >= 1 and out["codes"].max() < proc.vocab_size
    assert proc.encoder_options() == {"vocab_size": len(proc.vocab_) + 2, "max_len": 256}


def test_a_subject_with_many_samples_counts_once() -> None:
    one = _subject(1, ["RXNORM/1191"])
    items = [(Sample(1, at(day), None), one) for day in (5, 6, 7, 8)]
    proc = EventsProcessor(min_count=2).fit(items + _items([_subject(2)]))
    assert proc.vocab_ is not None and "RXNORM/1191" not in proc.vocab_


def test_quantile_values_center_train_median_and_mark_has_value() -> None:
    values = np.linspace(80, 200, 41)
    train = [_subject(i, sbp=float(v)) for i, v in enumerate(values)]
    proc = EventsProcessor(min_count=1).fit(_items(train))
    probe = timeline(
        500,
        [
            ev(1, "LOINC/8480-6", float(np.median(values))),
            ev(2, "LOINC/8480-6", 80.0),
            ev(3, "LOINC/8480-6", 1e6),
            ev(4, "UNSEEN/CODE", 5.0),
            ev(5, "ICD10CM/I10"),
        ],
    )
    out = proc.transform(Sample(500, at(10), None), probe)
    assert out is not None
    assert abs(out["values"][0]) < 0.05
    assert out["values"][1] < -2.5 and 2.5 < out["values"][2] <= 3.1  # clipped tails
    assert out["has_value"].tolist() == [True, True, True, False, False]
    assert out["values"][3:].tolist() == [0.0, 0.0]


def test_max_len_keeps_static_facts_and_the_most_recent_events() -> None:
    rows = [ev(None, "GENDER/M"), ev(-20000, "MEDS_BIRTH")] + [ev(d, f"CODE/{d}") for d in range(1, 30)]
    t = timeline(1, rows)
    proc = EventsProcessor(max_len=6, min_count=1).fit(_items([t], day=100))
    out = proc.transform(Sample(1, at(100), None), t)
    assert out is not None
    kept = [proc.vocab_[i - 2] for i in out["codes"]]  # type: ignore[index]
    assert kept == ["GENDER/M", "CODE/25", "CODE/26", "CODE/27", "CODE/28", "CODE/29"]
    # static facts hold at prediction time; the rest are days before it, oldest first
    assert out["delta_days"].tolist() == [0.0, 75.0, 74.0, 73.0, 72.0, 71.0]
    np.testing.assert_allclose(out["age_years"][1], (20000 + 25) / 365.25, rtol=1e-5)
    np.testing.assert_allclose(out["age_years"][0], (20000 + 100) / 365.25, rtol=1e-5)
    assert out["token_mask"].all()


def test_no_birth_gives_age_zero_and_empty_timeline_gives_none() -> None:
    t = timeline(1, [ev(1, "ICD10CM/I10")])
    proc = EventsProcessor(min_count=1).fit(_items([t]))
    out = proc.transform(Sample(1, at(10), None), t)
    assert out is not None and out["age_years"].tolist() == [0.0]
    assert proc.transform(Sample(1, at(0), None), t) is None


def test_only_events_modality_when_asked() -> None:
    t = _subject(1)
    proc = EventsProcessor(min_count=1, include_other_modalities=False).fit(_items([t]))
    assert proc.vocab_ is not None and "LOINC/11488-4" not in proc.vocab_


def test_cohort_shapes_dtypes_and_collate(
    fitted: dict[Modality, Processor], cohort_store: PatientStore, all_samples: list[Sample]
) -> None:
    proc = fitted[Modality.EVENTS]
    items = [
        proc.transform(s, cohort_store.timeline(s.subject_id).before(s.prediction_time))
        for s in all_samples[:6]
    ]
    batch = proc.collate([*items, None])
    lengths = [it["codes"].shape[0] for it in items if it is not None]
    dtypes = {"codes": "int64", "values": "float32", "has_value": "bool"}
    dtypes |= {"delta_days": "float32", "age_years": "float32", "token_mask": "bool"}
    for key, dtype in dtypes.items():
        assert tuple(batch.values[key].shape) == (7, max(lengths)), key
        assert str(batch.values[key].dtype) == f"torch.{dtype}", key
    assert batch.mask.tolist() == [True] * 6 + [False]
    assert not batch.values["token_mask"][6].any() and not batch.values["codes"][6].any()
    assert batch.values["token_mask"].sum(1)[:6].tolist() == lengths
    assert (batch.values["delta_days"] >= 0).all() and (batch.values["codes"] >= 0).all()
    assert np.isfinite(batch.values["values"].numpy()).all()


def test_state_round_trip_is_identical(
    fitted: dict[Modality, Processor], cohort_store: PatientStore, all_samples: list[Sample]
) -> None:
    proc = fitted[Modality.EVENTS]
    back = EventsProcessor.from_state(json.loads(json.dumps(proc.state())))
    for s in all_samples[:10]:
        t = cohort_store.timeline(s.subject_id).before(s.prediction_time)
        a, b = proc.transform(s, t), back.transform(s, t)
        assert a is not None and b is not None
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])


def test_unfitted_and_bad_params_raise() -> None:
    with pytest.raises(UsageError, match="not fitted"):
        EventsProcessor().transform(Sample(1, at(1), None), _subject(1))
    with pytest.raises(UsageError, match="max_len"):
        EventsProcessor(max_len=0)
