"""TabularProcessor: last values, age, sex, presence flags and categorical answers, fitted on train."""

from __future__ import annotations

import json

import numpy as np

from healthfm.data import Processor, TabularProcessor
from healthfm.data.tabular import ABSENT, MISSING, PRESENT, UNKNOWN
from healthfm.schema import Modality, PatientTimeline, Sample
from healthfm.store.patient_store import PatientStore
from tests.data.conftest import at, ev, timeline


def _subject(
    sid: int, sbp: float, sex: str = "GENDER/F", dx: bool = False, slope: str = "flat"
) -> PatientTimeline:
    rows = [
        ev(None, sex),
        ev(-365.25 * (40 + sid), "MEDS_BIRTH"),
        ev(1, "LOINC/8480-6", sbp - 30),
        ev(2, "LOINC/8480-6", sbp),  # the last value is the feature
        ev(3, "cardiology-local/st-slope", text=slope),
    ]
    if dx:
        rows.append(ev(4, "ICD10CM/I10"))
    return timeline(sid, rows)


def _fit(timelines: list[PatientTimeline], **params: object) -> TabularProcessor:
    return TabularProcessor(**params).fit([(Sample(t.subject_id, at(10), None), t) for t in timelines])  # type: ignore[arg-type]


def test_features_and_categories_come_from_train() -> None:
    train = [
        _subject(i, 100 + 2 * i, dx=i % 2 == 0, sex="GENDER/M" if i < 5 else "GENDER/F") for i in range(21)
    ]
    proc = _fit(train, min_frac=0.2)
    names = proc.feature_names
    assert names["numeric"] == ["LOINC/8480-6", "age_years"]
    assert names["categorical"] == ["sex", "ICD10CM/I10", "cardiology-local/st-slope"]
    opts = proc.encoder_options()
    assert opts["n_numeric"] == 2 and opts["categorical_cardinalities"] == [4, 4, 3]
    assert opts["feature_names"] == names

    out = proc.transform(Sample(10, at(10), None), train[10])
    assert out is not None
    assert abs(out["numeric"][0]) < 0.05  # the train median of the last values maps near 0
    assert out["numeric_present"].tolist() == [True, True]
    assert out["categorical"].tolist() == [2 + ["GENDER/F", "GENDER/M"].index("GENDER/F"), PRESENT, 2]


def test_missing_unknown_and_absent() -> None:
    train = [_subject(i, 120, dx=True) for i in range(5)]
    proc = _fit(train, min_frac=0.5)
    new = timeline(
        99,
        [ev(None, "GENDER/X"), ev(3, "cardiology-local/st-slope", text="never seen")],
    )
    out = proc.transform(Sample(99, at(10), None), new)
    assert out is not None
    assert out["numeric"].tolist() == [0.0, 0.0] and out["numeric_present"].tolist() == [False, False]
    assert out["categorical"].tolist() == [UNKNOWN, ABSENT, UNKNOWN]
    bare = timeline(98, [ev(1, "SOMETHING/ELSE")])
    out = proc.transform(Sample(98, at(10), None), bare)
    assert out is not None and out["categorical"].tolist() == [MISSING, ABSENT, MISSING]
    assert proc.transform(Sample(98, at(0), None), bare) is None


def test_only_values_before_the_prediction_time() -> None:
    t = _subject(1, 150)
    proc = _fit([_subject(i, 100 + 10 * i) for i in range(10)], min_frac=0.1)
    early = proc.transform(Sample(1, at(1.5), None), t)
    late = proc.transform(Sample(1, at(10), None), t)
    assert early is not None and late is not None
    assert early["numeric"][0] < late["numeric"][0]  # 120 then 150
    assert early["categorical"][-1] == MISSING  # the st-slope answer came later


def test_cohort_keys_dtypes_and_round_trip(
    fitted: dict[Modality, Processor], cohort_store: PatientStore, all_samples: list[Sample]
) -> None:
    proc = fitted[Modality.TABULAR]
    assert isinstance(proc, TabularProcessor)
    back = TabularProcessor.from_state(json.loads(json.dumps(proc.state())))
    visible = [cohort_store.timeline(s.subject_id).before(s.prediction_time) for s in all_samples[:8]]
    items = [proc.transform(s, t) for s, t in zip(all_samples[:8], visible, strict=True)]
    for s, t, a in zip(all_samples[:8], visible, items, strict=True):
        b = back.transform(s, t)
        assert a is not None and b is not None
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    batch = proc.collate([None, *items])
    f, c = len(proc.feature_names["numeric"]), len(proc.feature_names["categorical"])
    assert tuple(batch.values["numeric"].shape) == (9, f) and batch.values["numeric"].dtype.is_floating_point
    assert str(batch.values["numeric_present"].dtype) == "torch.bool"
    assert (
        tuple(batch.values["categorical"].shape) == (9, c)
        and str(batch.values["categorical"].dtype) == "torch.int64"
    )
    assert batch.mask.tolist() == [False] + [True] * 8
    assert not batch.values["categorical"][0].any() and not batch.values["numeric"][0].any()
    cards = np.asarray(proc.categorical_cardinalities())
    assert (batch.values["categorical"].numpy() < cards).all()
    assert "age_years" in proc.feature_names["numeric"] and "sex" in proc.feature_names["categorical"]
