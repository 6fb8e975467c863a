"""Clinical notes → token ids with the text encoder's own tokenizer (a local Hugging Face folder).

The most recent notes before the prediction time are joined newest-first with the tokenizer's separator
and padded to a fixed `max_length`, so one sample always gives the same ids (and the encoder's cache
key is stable). The token budget is shared fairly: a short note (an ECG line) keeps all its tokens and
what it leaves goes to the longer ones, so one long radiology report cannot crowd the consult note out.
Administrative header lines (patient, MRN, dates, provider, contact …) are dropped first: after the
privacy gate they hold surrogates, never clinical content, and they would fill the budget.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import torch

from healthfm.data.base import PROCESSORS, Arrays, BlobSource, visible_rows
from healthfm.encoders.hf import resolve_text_model
from healthfm.errors import UsageError
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase


HEADER_LINE = re.compile(
    r"^[ \t]*(?:patient(?: name)?|name|mrn|medical record(?: number)?|dob|date of birth|date of service|"
    r"exam date|date|accession(?: number)?|provider|attending|physician|referring(?: physician)?|contact|"
    r"phone|address|ssn|account(?: number)?)[ \t]*:.*$",
    re.IGNORECASE | re.MULTILINE,
)


def drop_header_lines(text: str) -> str:
    """The note without administrative `Key: value` header lines; a line's other content is kept."""
    return re.sub(r"\n{3,}", "\n\n", HEADER_LINE.sub("", text)).strip()


def share_budget(lengths: Sequence[int], budget: int) -> list[int]:
    """Tokens per note: every note gets an equal share; what short notes leave goes to the long ones."""
    take = [0] * len(lengths)
    left, order = budget, sorted(range(len(lengths)), key=lambda i: lengths[i])
    for rank, i in enumerate(order):
        share = left // (len(lengths) - rank)
        take[i] = min(lengths[i], share)
        left -= take[i]
    return take


@functools.lru_cache(maxsize=4)
def load_tokenizer(model_dir: str | None) -> PreTrainedTokenizerBase:
    """The tokenizer of a local model folder (None = the packaged MiniLM); loaded once per process."""
    from transformers import AutoTokenizer

    # fast tokenizers warn (and may deadlock) when a DataLoader forks after they ran threaded
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    folder = resolve_text_model(model_dir)
    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


@PROCESSORS.register("text")
class TextProcessor:
    """Notes → `input_ids`, `attention_mask` (int64, padded to `max_length`).

    Parameters:
        model_dir: local Hugging Face model folder of the text encoder; None = the packaged MiniLM.
        max_length: tokens per sample, special tokens included.
        codes: note codes to take (e.g. ["LOINC/36643-5"]); None = every text event.
        max_notes: how many of the most recent notes to join.
        drop_headers: drop administrative header lines (patient, MRN, dates, provider, contact …).

    Nothing is learned; `fit` records the tokenizer's vocabulary size so a saved bundle can check it.
    """

    name: ClassVar[str] = "text"
    modality: ClassVar[Modality] = Modality.TEXT

    def __init__(
        self,
        model_dir: str | None = None,
        max_length: int = 256,
        codes: Sequence[str] | None = None,
        max_notes: int = 4,
        drop_headers: bool = True,
    ) -> None:
        if max_length < 8:
            raise UsageError(f"TextProcessor: max_length must be >= 8, got {max_length}")
        if max_notes < 1:
            raise UsageError(f"TextProcessor: max_notes must be >= 1, got {max_notes}")
        self.model_dir = None if model_dir is None else str(model_dir)
        self.max_length = max_length
        self.codes = None if codes is None else tuple(codes)
        self.max_notes = max_notes
        self.drop_headers = drop_headers
        self.vocab_size_: int | None = None

    @property
    def tokenizer(self) -> PreTrainedTokenizerBase:
        return load_tokenizer(self.model_dir)

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Self:
        self.vocab_size_ = len(self.tokenizer)
        return self

    def notes(self, sample: Sample, visible: PatientTimeline) -> list[str]:
        """The notes this processor reads for one sample, newest first."""
        rows = visible_rows(sample, visible)
        notes = np.flatnonzero(rows.of(Modality.TEXT))[::-1]  # newest first; undated notes last
        picked: list[str] = []
        for i in notes.tolist():
            text = rows.text[i]
            if not text or not text.strip() or (self.codes is not None and rows.codes[i] not in self.codes):
                continue
            text = drop_header_lines(text) if self.drop_headers else text.strip()
            if not text:
                continue
            picked.append(text)
            if len(picked) == self.max_notes:
                break
        return picked

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None:
        notes = self.notes(sample, visible)
        if not notes:
            return None
        tok = self.tokenizer
        pieces = [tok(n, add_special_tokens=False, return_attention_mask=False)["input_ids"] for n in notes]
        cls_id, sep_id = tok.cls_token_id, tok.sep_token_id
        if cls_id is None or sep_id is None:
            raise UsageError(f"TextProcessor: the tokenizer of {self.model_dir} has no [CLS]/[SEP] tokens")
        budget = self.max_length - 1 - len(pieces)  # [CLS] + one [SEP] after each note
        if budget < len(pieces):
            pieces = pieces[: max(1, (self.max_length - 1) // 2)]
            budget = self.max_length - 1 - len(pieces)
        ids = [cls_id]
        for piece, n in zip(pieces, share_budget([len(p) for p in pieces], budget), strict=True):
            ids += [*piece[:n], sep_id]
        out = np.full(self.max_length, tok.pad_token_id or 0, dtype=np.int64)
        out[: len(ids)] = ids
        mask = np.zeros(self.max_length, dtype=np.int64)
        mask[: len(ids)] = 1
        return {"input_ids": out, "attention_mask": mask}

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput:
        ids = np.zeros((len(items), self.max_length), dtype=np.int64)
        attention = np.zeros((len(items), self.max_length), dtype=np.int64)
        for row, item in enumerate(items):
            if item is not None:
                ids[row], attention[row] = item["input_ids"], item["attention_mask"]
        return ModalityInput(
            values={"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(attention)},
            mask=torch.tensor([it is not None for it in items], dtype=torch.bool),
        )

    def encoder_options(self) -> dict[str, Any]:
        return {"model_dir": self.model_dir, "vocab_size": len(self.tokenizer), "max_length": self.max_length}

    def state(self) -> dict[str, Any]:
        return {
            "params": {
                "model_dir": self.model_dir,
                "max_length": self.max_length,
                "codes": None if self.codes is None else list(self.codes),
                "max_notes": self.max_notes,
                "drop_headers": self.drop_headers,
            },
            "vocab_size": self.vocab_size_,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        proc = cls(**state["params"])
        proc.vocab_size_ = state.get("vocab_size")
        if proc.vocab_size_ is not None and len(proc.tokenizer) != proc.vocab_size_:
            raise UsageError(
                f"TextProcessor: the tokenizer at {proc.model_dir or 'the default model'} has "
                f"{len(proc.tokenizer)} tokens, but the saved processor was fitted with {proc.vocab_size_}"
            )
        return proc
