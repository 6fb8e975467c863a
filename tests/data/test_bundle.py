"""build_processors / save_processors / load_processors, and the pinned public API."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import healthfm.data as data
from healthfm.data import (
    PROCESSORS,
    EventsProcessor,
    ImageProcessor,
    Processor,
    build_processors,
    load_processors,
    processors_from_state,
    processors_state,
    save_processors,
)
from healthfm.errors import UsageError
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore


def test_public_api_is_pinned() -> None:
    assert sorted(data.__all__) == sorted(
        [
            "DEFAULT_PROCESSORS",
            "PROCESSORS",
            "TASK_KINDS",
            "Arrays",
            "BatchCollator",
            "BlobSource",
            "EventsProcessor",
            "ImageProcessor",
            "Item",
            "Problem",
            "Processor",
            "SampleDataset",
            "SignalProcessor",
            "StoreLike",
            "TabularProcessor",
            "TextProcessor",
            "build_processors",
            "collate",
            "default_visible",
            "fit_processors",
            "load_processors",
            "make_loader",
            "processors_from_state",
            "processors_state",
            "save_processors",
        ]
    )
    assert PROCESSORS.names() == ["events", "image", "signal", "tabular", "text"]


def test_build_with_options_and_refuse_bad_ones() -> None:
    procs = build_processors([Modality.IMAGE, Modality.EVENTS], {Modality.EVENTS: {"max_len": 32}})
    assert list(procs) == [Modality.IMAGE, Modality.EVENTS]
    assert isinstance(procs[Modality.EVENTS], EventsProcessor) and procs[Modality.EVENTS].max_len == 32
    assert isinstance(procs[Modality.IMAGE], ImageProcessor)
    with pytest.raises(UsageError, match=r"EventsProcessor.*max_lenght"):
        build_processors([Modality.EVENTS], {Modality.EVENTS: {"max_lenght": 3}})
    with pytest.raises(UsageError, match="not built"):
        build_processors([Modality.EVENTS], {Modality.TEXT: {}})
    with pytest.raises(UsageError, match="twice"):
        build_processors([Modality.EVENTS, Modality.EVENTS])


def test_save_and_load_rebuild_identical_transforms(
    tmp_path: Path, cohort_store: PatientStore, all_samples: list[Sample], fitted: dict[Modality, Processor]
) -> None:
    path = save_processors(fitted, tmp_path / "model" / "processors.json")
    raw = json.loads(path.read_text())
    assert raw["format"] == "healthfm.processors" and [p["name"] for p in raw["processors"]] == [
        "events",
        "tabular",
        "text",
        "image",
        "signal",
    ]
    loaded = load_processors(path)
    assert list(loaded) == list(fitted)
    for m in fitted:
        assert loaded[m].encoder_options() == fitted[m].encoder_options()
        assert loaded[m].state() == fitted[m].state()
    for s in all_samples[:12]:
        visible = cohort_store.timeline(s.subject_id).before(s.prediction_time)
        for m in fitted:
            a = fitted[m].transform(s, visible, blobs=cohort_store.blobs)
            b = loaded[m].transform(s, visible, blobs=cohort_store.blobs)
            assert (a is None) == (b is None)
            if a is not None and b is not None:
                assert sorted(a) == sorted(b)
                for key in a:
                    np.testing.assert_array_equal(a[key], b[key], err_msg=f"{m}/{key}")
    assert processors_state(processors_from_state(raw)) == raw


def test_load_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read processors"):
        load_processors(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(UsageError, match="not a saved processor bundle"):
        load_processors(bad)
    bad.write_text(json.dumps({"format": "healthfm.processors", "version": 99, "processors": []}))
    with pytest.raises(UsageError, match="version 99"):
        load_processors(bad)
