"""Continued masked-LM pretraining of the text encoder: corpus, masking, before/after, saved folder, CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from healthfm.data.text import TextProcessor, load_tokenizer
from healthfm.encoders import TextConfig, TextEncoder
from healthfm.errors import UsageError
from healthfm.pretrain.text_mlm import (
    COHORT_NOTES,
    IGNORE,
    IU_REPORTS,
    OVERALL,
    RESULT_FILE,
    MaskedTexts,
    TextMLMConfig,
    TextMLMResult,
    _Masking,
    adapt_text_encoder,
    build_corpus,
    iu_split,
)
from healthfm.schema import ModalityInput
from healthfm.store.patient_store import PatientStore

# a few dozen texts of 32 tokens: seconds on a CPU; over seeds 0-5 "after" was 0.61-0.80 of "before"
SMALL = {
    "max_texts": 32,
    "max_held_out_texts": 16,
    "max_length": 32,
    "head_epochs": 2,
    "epochs": 2,
    "batch_size": 8,
    "lr": 3e-4,
    "head_batch_tokens": 32,
}


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """A small BERT on tiny batches: one thread is as quick alone, and many times quicker on a shared CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def adapted(cohort_store: PatientStore, tmp_path_factory: pytest.TempPathFactory) -> TextMLMResult:
    return adapt_text_encoder(
        cohort_store, tmp_path_factory.mktemp("text-mlm") / "model", TextMLMConfig(**SMALL)
    )


def test_continued_pretraining_beats_the_head_only_baseline(adapted: TextMLMResult) -> None:
    assert adapted.corpus == {
        COHORT_NOTES: {"train": 32, "held_out": 16},
        IU_REPORTS: {"train": 32, "held_out": 16},
    }
    assert adapted.missing == {}
    ppl = adapted.perplexity
    assert set(ppl) == {"untrained_head", "before", "after"}
    for stage in ppl.values():
        assert set(stage) == {COHORT_NOTES, IU_REPORTS, OVERALL}
        assert all(np.isfinite(v) and v > 1 for v in stage.values())
    assert ppl["before"][OVERALL] < ppl["untrained_head"][OVERALL]  # the head learned something
    assert ppl["after"][OVERALL] < ppl["before"][OVERALL]  # and the adapted encoder beats the original
    assert (
        adapted.masked_tokens[OVERALL]
        == adapted.masked_tokens[COHORT_NOTES] + adapted.masked_tokens[IU_REPORTS]
    )
    assert len(adapted.train_loss["head"]) == 2 and len(adapted.train_loss["encoder"]) == 2
    saved = json.loads((adapted.out / RESULT_FILE).read_text())
    assert saved["perplexity"] == ppl and saved["config"] == adapted.config.to_dict()
    assert saved["source_model"] == adapted.source_model and saved["seconds"]["total"] > 0


def test_the_folder_loads_into_the_text_encoder_and_processor(adapted: TextMLMResult) -> None:
    from safetensors.torch import load_file

    folder = str(adapted.out)
    processor, original = TextProcessor(model_dir=folder, max_length=24), load_tokenizer(None)
    text = "Chest radiograph: no focal consolidation. Mild cardiomegaly."
    assert processor.tokenizer(text)["input_ids"] == original(text)["input_ids"]
    assert len(processor.tokenizer) == len(original)

    encoder = TextEncoder(TextConfig(model_dir=folder, d_model=16, pool_stride=4))
    saved = load_file(str(adapted.out / "model.safetensors"))
    word = "embeddings.word_embeddings.weight"
    assert torch.equal(
        encoder.backbone.state_dict()[word], saved[word]
    )  # the adapted weights, not a fresh init
    assert not torch.equal(saved[word], TextEncoder(TextConfig(d_model=16)).backbone.state_dict()[word])

    rows = [
        processor.tokenizer(t, truncation=True, max_length=24)["input_ids"] for t in (text, "Sinus rhythm.")
    ]
    ids, attention = torch.zeros(3, 24, dtype=torch.long), torch.zeros(3, 24, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)], attention[i, : len(row)] = torch.tensor(row), 1
    out = encoder(ModalityInput({"input_ids": ids, "attention_mask": attention}, attention.any(1)))
    assert out.tokens.shape == (3, 6, 16) and out.pooled.shape == (3, 16)
    assert torch.isfinite(out.tokens).all() and torch.isfinite(out.pooled).all()
    assert not out.pooled[2].any()  # the row without text stays empty


def test_held_out_masking_is_fixed_and_follows_bert() -> None:
    tokenizer = load_tokenizer(None)
    masking = _Masking(tokenizer, 0.15)
    rng = np.random.default_rng(0)
    rows = [
        [101, *rng.integers(1000, 29000, size=int(rng.integers(3, 60))).tolist(), 102] for _ in range(400)
    ]
    first, again = MaskedTexts.fixed(rows, masking, seed=7), MaskedTexts.fixed(rows, masking, seed=7)
    for a, b in zip(
        (first.inputs, first.attention, first.labels),
        (again.inputs, again.attention, again.labels),
        strict=True,
    ):
        assert torch.equal(a, b)
    assert not torch.equal(MaskedTexts.fixed(rows, masking, seed=8).labels, first.labels)

    picked = first.labels != IGNORE
    real = first.attention.bool() & ~torch.isin(first.labels.where(picked, first.inputs), masking.special_ids)
    assert (picked & ~real).sum() == 0  # never [CLS], [SEP] or padding
    assert picked.any(1).all()  # every text has a token to predict
    assert 0.14 < picked.sum() / real.sum() < 0.19
    shown = first.inputs[picked]
    masked = (shown == masking.mask_id).float().mean()
    kept = (shown == first.labels[picked]).float().mean()
    assert 0.76 < masked < 0.84 and 0.07 < kept < 0.13
    assert torch.equal(first.inputs[~picked], first.labels.where(picked, first.inputs)[~picked])


def test_corpus_takes_train_and_held_out_patients_with_their_consent(cohort_store: PatientStore) -> None:
    calls: list[tuple[Any, ...]] = []

    class Recording:
        root = cohort_store.root

        def subjects(self, split: str | None = None, *, consent_scope: str | None = None) -> Any:
            calls.append((split, consent_scope))
            return cohort_store.subjects(split, consent_scope=consent_scope)

        def iter_shards(self, columns: list[str] | None = None) -> Any:
            return cohort_store.iter_shards(columns)

    corpus = build_corpus(Recording(), TextMLMConfig(iu_reports=False))  # type: ignore[arg-type]
    assert calls == [("train", "training"), ("held_out", "evaluation")]
    notes = corpus.texts[COHORT_NOTES]
    assert notes["train"] and notes["held_out"] and IU_REPORTS in corpus.missing
    assert not any("MRN:" in text for text in notes["train"])  # header lines dropped, as the processor does
    capped = build_corpus(cohort_store, TextMLMConfig(max_texts=5, max_held_out_texts=3, seed=1))
    assert capped.sizes() == {
        COHORT_NOTES: {"train": 5, "held_out": 3},
        IU_REPORTS: {"train": 5, "held_out": 3},
    }
    assert set(capped.texts[COHORT_NOTES]["train"]) <= set(notes["train"])
    assert (
        build_corpus(cohort_store, TextMLMConfig(max_texts=5, seed=1)).texts[COHORT_NOTES]["train"]
        == (capped.texts[COHORT_NOTES]["train"])
    )

    splits = [iu_split(f"CXR{i}") for i in range(4000)]
    assert splits == [iu_split(f"CXR{i}") for i in range(4000)]
    assert 0.77 < splits.count("train") / len(splits) < 0.83


def test_bad_inputs_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHFM_DATA", str(tmp_path / "empty-cache"))
    with pytest.raises(UsageError, match=r"no patient store given.*iu_reports: not fetched"):
        adapt_text_encoder(None, tmp_path / "a", TextMLMConfig(**SMALL))
    with pytest.raises(UsageError, match=r"no patient store given.*--no-iu"):
        adapt_text_encoder(None, tmp_path / "a", TextMLMConfig(iu_reports=False))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        adapt_text_encoder(None, blocker)
    with pytest.raises(UsageError, match="not empty"):
        adapt_text_encoder(None, tmp_path)
    with pytest.raises(ValueError, match="mask_prob"):
        TextMLMConfig(mask_prob=1.5)
    with pytest.raises(ValueError, match="unknown option"):
        TextMLMConfig.from_dict({"epochs": 1, "lr_max": 1.0})


def test_config_round_trips_through_a_file(tmp_path: Path) -> None:
    config = TextMLMConfig(**SMALL, iu_reports=False, device="cpu")
    config.to_file(tmp_path / "c.json")
    assert TextMLMConfig.from_file(tmp_path / "c.json") == config


def test_cli_runs_end_to_end(
    cohort_store: PatientStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from healthfm.cli import main

    out = tmp_path / "cli-model"
    args = [
        "pretrain-text",
        "--store",
        str(cohort_store.root),
        "--out",
        str(out),
        "--no-iu",
        "--max-texts",
        "8",
    ]
    args += [
        "--max-held-out",
        "4",
        "--max-length",
        "16",
        "--epochs",
        "1",
        "--head-epochs",
        "1",
        "--batch-size",
        "8",
    ]
    main(args)
    printed = capsys.readouterr().out
    assert "held-out masked-token perplexity" in printed and "overall" in printed
    saved = json.loads((out / RESULT_FILE).read_text())
    assert saved["corpus"] == {COHORT_NOTES: {"train": 8, "held_out": 4}}
    assert saved["missing"] == {IU_REPORTS: "left out (--no-iu)"}
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        main(["pretrain-text", "--store", str(cohort_store.root), "--out", str(blocker)])
    assert exit_info.value.code == 2 and "is a file" in " ".join(capsys.readouterr().err.split())
