"""The shared nouns and the registries."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
import torch

import healthfm
from healthfm.registry import ENCODERS, Registry
from healthfm.schema import EVENT_SCHEMA, EncoderOutput, Event, Modality, PatientTimeline


def test_registry_refuses_duplicates_and_names_what_it_knows() -> None:
    reg: Registry[type] = Registry("widget")

    @reg.register("a")
    class A:
        pass

    assert reg.get("a") is A and "a" in reg and list(reg) == ["a"]
    with pytest.raises(KeyError, match="already registered"):
        reg.register("a")(A)
    with pytest.raises(KeyError, match="unknown widget 'b'; registered: a"):
        reg.get("b")
    assert ENCODERS.kind == "encoder"


def test_encoder_output_checks_shapes() -> None:
    EncoderOutput(torch.zeros(2, 3, 4), torch.ones(2, 3, dtype=torch.bool), torch.zeros(2, 4))
    with pytest.raises(ValueError, match="mask shape"):
        EncoderOutput(torch.zeros(2, 3, 4), torch.ones(2, 4, dtype=torch.bool), torch.zeros(2, 4))
    with pytest.raises(ValueError, match="pooled shape"):
        EncoderOutput(torch.zeros(2, 3, 4), torch.ones(2, 3, dtype=torch.bool), torch.zeros(2, 5))


def test_timeline_cuts_at_prediction_time() -> None:
    t0 = dt.datetime(2020, 1, 1)
    table = pa.table(
        {
            "subject_id": [1, 1, 1],
            "time": [None, t0, t0 + dt.timedelta(days=1)],
            "code": ["GENDER/F", "LOINC/1", "ICD10CM/I50.9"],
            "numeric_value": [None, 1.0, None],
            "text_value": [None, None, None],
            "modality": ["events", "events", "events"],
            "blob": [None, None, None],
        },
        schema=EVENT_SCHEMA,
    )
    tl = PatientTimeline(1, table)
    assert tl.before(t0 + dt.timedelta(hours=1)).codes == ["GENDER/F", "LOINC/1"]
    assert [e.code for e in tl.events()] == tl.codes
    assert tl.modalities() == {Modality.EVENTS}
    assert Event(1, None, "GENDER/F").modality is Modality.EVENTS


def test_public_api_is_pinned() -> None:
    assert healthfm.__all__ == ["__version__"]
    assert healthfm.__version__.count(".") == 2
