"""TextProcessor: the packaged MiniLM's own tokenizer, most recent notes newest-first, fixed length."""

from __future__ import annotations

import json

import numpy as np

from healthfm.data import Processor, TextProcessor
from healthfm.data.text import drop_header_lines, share_budget
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from tests.data.conftest import at, ev, timeline

NOTES = timeline(
    1,
    [
        ev(1, "LOINC/11488-4", text="oldest consult mentions aspirin", modality="text"),
        ev(2, "LOINC/36643-5", text="radiology report shows cardiomegaly", modality="text"),
        ev(3, "LOINC/11524-6", text="ecg report sinus rhythm", modality="text"),
        ev(4, "LOINC/11524-6", text="   ", modality="text"),  # blank notes are skipped
        ev(20, "LOINC/11488-4", text="future note about infarction", modality="text"),
    ],
)


def _decode(proc: TextProcessor, ids: np.ndarray) -> str:
    return str(proc.tokenizer.decode([int(i) for i in ids], skip_special_tokens=False))


def test_uses_the_packaged_minilm_tokenizer_with_fixed_length() -> None:
    proc = TextProcessor(max_length=32).fit([])
    assert proc.vocab_size_ == 30522 and proc.encoder_options()["vocab_size"] == 30522
    out = proc.transform(Sample(1, at(10), None), NOTES)
    assert out is not None
    assert out["input_ids"].shape == (32,) and out["input_ids"].dtype == np.int64
    assert out["attention_mask"].dtype == np.int64
    text = _decode(proc, out["input_ids"][out["attention_mask"] == 1])
    # newest first, joined by the tokenizer's separator; the future note is not visible
    assert text.index("ecg report") < text.index("radiology") < text.index("oldest consult")
    assert "[SEP]" in text and "infarction" not in text


def test_truncation_codes_and_max_notes() -> None:
    long = timeline(2, [ev(1, "LOINC/11488-4", text="word " * 1000, modality="text")])
    proc = TextProcessor(max_length=64)
    out = proc.transform(Sample(2, at(10), None), long)
    assert out is not None and out["attention_mask"].sum() == 64
    only_rad = TextProcessor(codes=["LOINC/36643-5"]).transform(Sample(1, at(10), None), NOTES)
    assert only_rad is not None
    assert "cardiomegaly" in _decode(proc, only_rad["input_ids"]) and "ecg" not in _decode(
        proc, only_rad["input_ids"]
    )
    one = TextProcessor(max_notes=1).transform(Sample(1, at(10), None), NOTES)
    assert one is not None and "radiology" not in _decode(proc, one["input_ids"])
    assert proc.transform(Sample(1, at(0.5), None), NOTES) is None


def test_collate_masks_absent_rows_and_round_trip(
    fitted: dict[Modality, Processor], cohort_store: PatientStore, all_samples: list[Sample]
) -> None:
    proc = fitted[Modality.TEXT]
    assert isinstance(proc, TextProcessor)
    back = TextProcessor.from_state(json.loads(json.dumps(proc.state())))
    s = all_samples[0]
    t = cohort_store.timeline(s.subject_id).before(s.prediction_time)
    a, b = proc.transform(s, t), back.transform(s, t)
    assert a is not None and b is not None
    np.testing.assert_array_equal(a["input_ids"], b["input_ids"])
    batch = proc.collate([a, None])
    assert tuple(batch.values["input_ids"].shape) == (2, proc.max_length)
    assert str(batch.values["input_ids"].dtype) == str(batch.values["attention_mask"].dtype) == "torch.int64"
    assert batch.mask.tolist() == [True, False] and not batch.values["attention_mask"][1].any()


def test_the_budget_is_shared_so_a_long_note_cannot_crowd_out_the_others() -> None:
    assert share_budget([5, 100, 100], 60) == [5, 27, 28]
    assert share_budget([3, 4], 50) == [3, 4]
    assert sum(share_budget([80, 10, 200, 40], 100)) == 100
    notes = timeline(
        3,
        [
            ev(
                1, "LOINC/11488-4", text="HPI: exertional chest pressure. " + "filler " * 300, modality="text"
            ),
            ev(
                2,
                "LOINC/36643-5",
                text="FINDINGS: heart size normal. " + "lungs clear " * 300,
                modality="text",
            ),
        ],
    )
    proc = TextProcessor(max_length=64)
    out = proc.transform(Sample(3, at(10), None), notes)
    assert out is not None and out["attention_mask"].sum() == 64
    text = _decode(proc, out["input_ids"])
    assert "heart size normal" in text and "exertional chest pressure" in text


def test_administrative_header_lines_are_dropped() -> None:
    note = (
        "CARDIOLOGY CLINIC NOTE\nPatient: Omer Seward\nMRN: JOZ1769\nDOB: 03/23/1967\nHPI: 53 y/o with HTN."
    )
    assert drop_header_lines(note) == "CARDIOLOGY CLINIC NOTE\n\nHPI: 53 y/o with HTN."
    kept = TextProcessor(drop_headers=False).notes(
        Sample(4, at(10), None), timeline(4, [ev(1, "LOINC/11488-4", text=note, modality="text")])
    )
    assert "Omer" in kept[0]
