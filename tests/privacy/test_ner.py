"""The learned PHI tagger: offsets back to the text, windows, save/load, the union with the rules, the
CLI's errors, and a tiny trained model finding a name no dictionary holds."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import torch

from healthfm.errors import DataError, UsageError
from healthfm.privacy.gate import PrivacyGate
from healthfm.privacy.ner import PhiTagger, TaggerConfig, _windows, decode
from healthfm.privacy.ner_train import (
    AnnotatedNote,
    TrainSettings,
    augment,
    read_annotated,
    token_labels,
    token_recall,
    train_tagger,
)
from healthfm.privacy.phi import PhiScrubber, PhiSpan, union_spans

HEALTHFM = str(Path(sys.executable).with_name("healthfm"))
TINY = TaggerConfig(
    num_layers=1, freeze_layers=0, max_length=24, stride=6, hidden_dim=32, char_channels=16, shape_buckets=256
)
# made-up names: in no dictionary of the rules, in a context no rule reads as a name
GIVEN = (
    "Zorblat",
    "Quenwick",
    "Travok",
    "Mirelda",
    "Ostrav",
    "Keplin",
    "Dunvar",
    "Selwyk",
    "Ambrix",
    "Yorrel",
)
FAMILY = ("Brannock", "Velthorp", "Kastrup", "Orlenz", "Pimmeroy", "Strelvik", "Thornquill", "Udderby")
TEMPLATES = (
    "{name} was reviewed in the Cardiology Clinic today.",
    "Reviewed today: {name} reports less dyspnoea on exertion.",
    "Echo booked; {name} agreed with the plan and Holter monitoring.",
    "Letter copied to {name} after the Heart Failure review.",
)


def _note(template: str, name: str) -> AnnotatedNote:
    start = template.index("{name}")
    return AnnotatedNote(template.format(name=name), ((start, start + len(name), "NAME"),))


@pytest.fixture(scope="module")
def trained() -> tuple[PhiTagger, dict[str, object]]:
    torch.manual_seed(0)
    rng = random.Random(0)
    notes = [_note(t, f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}") for _ in range(10) for t in TEMPLATES]
    settings = TrainSettings(epochs=6, batch_size=8, lr=1e-3, head_lr=3e-3, augment=0.3, val_fraction=0.1)
    return train_tagger(notes, TINY, settings)


def _normalise(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def test_offsets_map_sub_words_back_to_the_text_unicode_included(trained: tuple[PhiTagger, object]) -> None:
    tagger = trained[0]
    text = "Seen by Zoë Øster-Ås 😀 and Ｍüller-Graf, tel +41 (0)44 123-45-67;\u200b naïve — ok"
    enc = tagger.encode(text)
    pieces = tagger.tokenizer.convert_ids_to_tokens(enc.ids.tolist())
    assert len(pieces) == len(enc.offsets) > 10
    prev = 0
    for piece, (s, e) in zip(pieces, enc.offsets.tolist(), strict=True):
        assert prev <= s < e <= len(text)
        prev = e
        if piece != "[UNK]":
            assert _normalise(text[s:e]) == piece.removeprefix("##"), (piece, text[s:e])
    # labelled sub-words decode back to the exact characters of the span
    start = text.index("Zoë")
    end = text.index(" 😀")
    labels = token_labels(enc.offsets, [(start, end, "NAME")], tagger.config)
    probs = np.eye(len(tagger.config.labels), dtype=np.float32)[labels]
    spans = decode(text, probs, enc.offsets, tagger.config)
    assert [(s.text, s.category) for s in spans] == [("Zoë Øster-Ås", "NAME")]


def test_windows_cover_every_token_with_the_configured_overlap() -> None:
    size = TINY.max_length - 2
    for n in (0, 1, size - 1, size, size + 1, 57, 200):
        windows = _windows(n, TINY)
        covered = sorted({t for a, b in windows for t in range(a, b)})
        assert covered == list(range(n))
        assert all(b - a <= size for a, b in windows)
        assert all(b1 - a2 >= TINY.stride for (_, b1), (a2, _) in itertools.pairwise(windows))


def test_long_notes_are_tagged_through_windows(trained: tuple[PhiTagger, object]) -> None:
    tagger = trained[0]
    text = " ".join(t.format(name=f"{g} Brannock") for g in GIVEN for t in TEMPLATES[:2])
    probs, offsets = tagger.token_probabilities(text)
    assert len(offsets) > 8 * tagger.config.max_length  # many windows
    assert probs.shape == (len(offsets), len(tagger.config.labels))
    assert np.allclose(probs.sum(1), 1.0, atol=1e-5)
    assert np.allclose(tagger.token_probabilities(text, batch_size=3)[0], probs, atol=1e-5)
    spans = tagger.find(text)
    assert all(text[s.start : s.end] == s.text and s.probability is not None for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    found = {s.text for s in spans}
    assert sum(f"{g} Brannock" in found for g in GIVEN) >= 8  # names late in the note too


def test_save_load_round_trip_gives_identical_predictions(
    trained: tuple[PhiTagger, object], tmp_path: Path
) -> None:
    tagger = trained[0]
    folder = tagger.save(tmp_path / "tagger")
    config = json.loads((folder / "config.json").read_text())
    assert config["labels"][:3] == ["O", "B-NAME", "I-NAME"] and len(config["base_sha256"]) == 64
    loaded = PhiTagger.load(folder)
    text = "Letter copied to Mirelda Orlenz; Ostrav Kastrup was reviewed."
    assert np.array_equal(loaded.token_probabilities(text)[0], tagger.token_probabilities(text)[0])
    assert loaded.find(text) == tagger.find(text)
    from safetensors.torch import load_file

    saved = load_file(str(folder / "model.safetensors"))
    assert not any(k.startswith("backbone.embeddings.") for k in saved)  # frozen: read from the base


def test_union_never_loses_a_rule_span() -> None:
    rng = random.Random(3)
    text = "Dr. Anna Keller saw Zorblat Quenwick on 03/12/2019, tel 044 555 12 34, MRN A1234567. " * 3
    rules = PhiScrubber(mode="tag").find(text)
    assert len(rules) >= 9
    for _ in range(200):
        learned, pos = [], 0
        while pos < len(text) - 2:
            s = rng.randrange(pos, len(text) - 1)
            e = rng.randrange(s + 1, min(len(text), s + 30) + 1)
            learned.append(PhiSpan(s, e, rng.choice(("NAME", "PHONE")), text[s:e], 0.5))
            pos = e
        merged = union_spans(text, rules, learned)
        assert set(rules) <= set(merged)
        assert all(a.end <= b.start for a, b in itertools.pairwise(merged))
        assert all(s.text == text[s.start : s.end] for s in merged)

    class Everything:
        def find(self, text: str) -> list[PhiSpan]:
            return [PhiSpan(0, len(text), "NAME", text, 0.9)]

    with_tagger = PhiScrubber(mode="tag", tagger=Everything()).find(text)
    assert set(rules) <= set(with_tagger)
    assert {s.text for s in with_tagger if s.probability is not None} >= {"saw Zorblat Quenwick on"}


def test_a_trained_tagger_finds_a_name_no_dictionary_holds(
    trained: tuple[PhiTagger, dict[str, object]],
) -> None:
    tagger, report = trained
    held_out = [_note(TEMPLATES[0], "Keplin Velthorp"), _note(TEMPLATES[2], "Dunvar Strelvik")]
    rules = PhiScrubber(mode="tag")
    union = PhiScrubber(mode="tag", tagger=tagger)
    before = token_recall(held_out, rules.find)["recall"]
    after = token_recall(held_out, union.find)["recall"]
    assert before < 0.5 and after == 1.0, (before, after)
    assert report["train_notes"] and "validation" in report  # per-category recall on held-back notes
    assert "NAME" in report["validation"]["per_category"]  # type: ignore[index]


def test_augment_keeps_spans_on_their_new_values() -> None:
    text = "Pt: FLETCHER, Harold  MRN: 46230477  tel +41 44 123 45 67. Harold is 93 years old."
    spans = (
        (4, 20, "NAME"), (27, 35, "MRN"), (41, 57, "PHONE"), (59, 65, "NAME"), (69, 71, "AGE_OVER_89"),
    )  # fmt: skip
    note = AnnotatedNote(text, spans)
    assert [text[s:e] for s, e, _ in spans] == [
        "FLETCHER, Harold",
        "46230477",
        "+41 44 123 45 67",
        "Harold",
        "93",
    ]
    for seed in range(20):
        new = augment(note, random.Random(seed))
        values = [new.text[s:e] for s, e, _ in new.spans]
        assert [c for *_, c in new.spans] == [c for *_, c in spans]
        assert values[0].split(", ")[0].isupper() and values[1].isdigit() and len(values[1]) == 8
        assert values[3] == values[0].split(", ")[1]  # one person keeps one surrogate name
        assert 90 <= int(values[4]) <= 105 and new.text.endswith(" years old.")


def test_read_annotated_names_the_bad_line(tmp_path: Path) -> None:
    good = {"text": "Seen by Anna.", "spans": [{"start": 8, "end": 12, "category": "NAME"}]}
    path = tmp_path / "notes.jsonl"
    path.write_text(
        json.dumps(good)
        + "\n\n"
        + json.dumps({**good, "spans": [{"start": 8, "end": 99, "category": "NAME"}]})
    )
    with pytest.raises(DataError, match=r"notes.jsonl line 3: span 8-99"):
        read_annotated([path], TINY.categories)
    path.write_text(json.dumps({**good, "spans": [{"start": 8, "end": 12, "category": "PERSON"}]}))
    with pytest.raises(DataError, match="line 1: unknown category 'PERSON'"):
        read_annotated([path], TINY.categories)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`healthfm ARGS` in this process (the model and tokenizer stay loaded): (exit code, out, err)."""
    from healthfm.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHFM_PSEUDONYM_KEY", "cli-test-key-0123456789abcdef0123456789")
    monkeypatch.setenv("COLUMNS", "200")


def test_a_missing_or_damaged_ner_model_is_a_clear_error(
    trained: tuple[PhiTagger, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n1.txt").write_text("Seen by Dr. Anna Keller.\n")
    missing = tmp_path / "no-such-model"
    res = subprocess.run(  # the real command line, once: one line, exit code 2, no traceback
        [HEALTHFM, "deid", "notes", str(notes), str(tmp_path / "out"), "--tags", "--ner-model", str(missing)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert res.returncode == 2 and f"NER model folder {missing} does not exist" in res.stderr
    assert "Traceback" not in res.stderr
    damaged = trained[0].save(tmp_path / "damaged")
    (damaged / "model.safetensors").write_bytes(b"not a safetensors file")
    code, _, err = _cli(
        capsys, "deid", "notes", str(notes), str(tmp_path / "out"), "--ner-model", str(damaged)
    )
    assert code == 2 and f"NER model folder {damaged}: cannot read model.safetensors" in err.replace("\n", "")
    assert not (tmp_path / "out").exists()
    (damaged / "config.json").write_text("{not json")
    with pytest.raises(UsageError, match=f"NER model folder {damaged}: cannot read config.json"):
        PrivacyGate(b"k" * 32, ner_model=damaged)
    code, _, err = _cli(
        capsys, "--store", str(tmp_path / "s"), "ingest", str(notes), "--ner-model", str(missing)
    )
    assert code == 2 and "does not exist" in err and not (tmp_path / "s").exists()


def test_train_ner_then_deid_notes_with_the_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "train.jsonl"
    rng = random.Random(1)
    rows = [_note(t, f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}") for t in TEMPLATES for _ in range(2)]
    data.write_text(
        "".join(
            json.dumps(
                {"text": n.text, "spans": [{"start": s, "end": e, "category": c} for s, e, c in n.spans]}
            )
            + "\n"
            for n in rows
        )
    )
    model = tmp_path / "tagger"
    code, out, err = _cli(
        capsys, "deid", "train-ner", str(data), "--out", str(model), "--epochs", "1", "--val-fraction", "0.3"
    )
    assert code == 0, err
    assert "trained on" in out and "validation:" in out and (model / "training.json").is_file()
    config = json.loads((model / "config.json").read_text())
    assert "train.jsonl (8 notes, sha256" in config["training_data"]
    code, _, err = _cli(capsys, "deid", "train-ner", str(data), "--out", str(model))
    assert code == 2 and "is not an empty folder" in err
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n1.txt").write_text("Seen 03/12/2019 with Mr. John Smith, phone 216-555-0199.\n")
    code, _, err = _cli(
        capsys, "deid", "notes", str(notes), str(tmp_path / "out"), "--tags", "--ner-model", str(model)
    )
    assert code == 0, err
    scrubbed = (tmp_path / "out" / "n1.txt").read_text()
    assert "John Smith" not in scrubbed and "216-555-0199" not in scrubbed


def test_the_gate_scrubs_with_the_tagger_and_pickles_without_it(
    trained: tuple[PhiTagger, object], tmp_path: Path
) -> None:
    import pickle

    folder = trained[0].save(tmp_path / "tagger")
    gate = PrivacyGate(b"k" * 32, ner_model=folder)
    assert isinstance(gate.scrubber.tagger, PhiTagger)
    blob = pickle.dumps(gate)  # what reader processes receive per unit
    assert len(blob) < 100_000
    again = pickle.loads(blob)
    assert isinstance(again.scrubber.tagger, PhiTagger)  # rebuilt on first use
    text = "Ostrav Kastrup was reviewed in the Cardiology Clinic today."
    assert "Ostrav" not in gate.scrubber.scrub(text, surrogate_key="1").text
    assert PrivacyGate(b"k" * 32).scrubber.tagger is None
