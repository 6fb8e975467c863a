"""Training the PHI tagger on annotated notes: JSONL of {"text", "spans": [{"start", "end", "category"}]}
(the span reports `healthfm deid notes` writes have that form, so corrected reports can be trained on).

Notes are split into train and validation by a hash of their text. Each epoch re-renders a share of the
training notes with random surrogates (made-up names, other digits, other phone punctuation), so the
tagger learns contexts and shapes rather than the names and numbers of its training set.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from healthfm.errors import DataError, UsageError
from healthfm.privacy.ner import PhiTagger, TaggerConfig

__all__ = ["AnnotatedNote", "TrainSettings", "augment", "read_annotated", "token_recall", "train_tagger"]


@dataclass(frozen=True)
class AnnotatedNote:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, category), sorted, non-overlapping


@dataclass(kw_only=True)
class TrainSettings:
    epochs: int = 3
    batch_size: int = 16  # windows per step
    lr: float = 5e-5  # fine-tuned base-model layers
    head_lr: float = 1e-3  # char-CNN, shape embeddings, mixer, output layer
    warmup_frac: float = 0.06
    weight_decay: float = 0.01
    augment: float = 0.5  # share of training notes re-rendered with random surrogates each epoch
    val_fraction: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch_size must be >= 1")
        if self.lr <= 0 or self.head_lr <= 0:
            raise ValueError("lr and head_lr must be positive")
        for name in ("warmup_frac", "augment", "val_fraction"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), got {getattr(self, name)}")


# --- data -----------------------------------------------------------------------------------------


def read_annotated(paths: Iterable[Path], categories: Sequence[str]) -> list[AnnotatedNote]:
    """Notes from JSONL files; a bad line is a DataError naming the file and line."""
    notes = []
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
                spans = sorted(
                    (int(s["start"]), int(s["end"]), str(s["category"])) for s in item.get("spans", [])
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{path} line {i}: not a {{text, spans}} record ({exc})") from None
            prev = 0
            for start, end, cat in spans:
                if cat not in categories:
                    raise DataError(f"{path} line {i}: unknown category {cat!r}; known: {list(categories)}")
                if not prev <= start < end <= len(text):
                    raise DataError(f"{path} line {i}: span {start}-{end} overlaps or lies outside the text")
                prev = end
            notes.append(AnnotatedNote(text, tuple(spans)))
    return notes


def split_notes(
    notes: Sequence[AnnotatedNote], val_fraction: float
) -> tuple[list[AnnotatedNote], list[AnnotatedNote]]:
    """(train, validation), decided per note by a hash of its text (stable whatever the file order)."""
    train: list[AnnotatedNote] = []
    val: list[AnnotatedNote] = []
    for note in notes:
        h = int.from_bytes(hashlib.blake2b(note.text.encode(), digest_size=8).digest(), "big")
        (val if h / 2**64 < val_fraction else train).append(note)
    return train, val


# --- augmentation ---------------------------------------------------------------------------------

_ONSETS = (
    "", "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kh", "kr", "l", "m", "n", "p", "pr",
    "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z", "zh",
)  # fmt: skip
_VOWELS = (
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "u", "ai", "au", "ei", "ia", "ie", "io", "oa", "ou", "y",
    "ä", "é", "ö", "ü",
)  # fmt: skip
_CODAS = ("", "", "", "", "", "", "n", "r", "s", "l", "m", "k", "t", "nd", "rt", "sk", "ck", "ll", "nn", "ss")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ID_KINDS = frozenset(
    (
        "PHONE",
        "FAX",
        "SSN",
        "MRN",
        "ACCOUNT",
        "LICENSE",
        "DEVICE_ID",
        "VEHICLE_ID",
        "HEALTH_PLAN",
        "OTHER_ID",
        "ZIP",
    )
)


def _made_up_name(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 2, 3, 3))
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
    return word[:1].upper() + word[1:]


def _same_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like.islower():
        return word.lower()
    return word


def _reshape(text: str, rng: random.Random) -> str:
    """Every digit and letter replaced by a random one of the same kind and case."""
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str(rng.randrange(10)))
        elif ch.isascii() and ch.isalpha():
            c = chr(ord("a") + rng.randrange(26))
            out.append(c.upper() if ch.isupper() else c)
        else:
            out.append(ch)
    return "".join(out)


def _phone(text: str, rng: random.Random) -> str:
    """The same number of digits, grouped and punctuated another way, sometimes with a country code."""
    digits = "".join(str(rng.randrange(10)) for ch in text if ch.isdigit())
    groups, i = [], 0
    while i < len(digits):
        n = rng.choice((2, 2, 3, 3, 4))
        groups.append(digits[i : i + n])
        i += n
    sep = rng.choice((" ", " ", "-", ".", "/", ""))
    body = sep.join(groups) if sep else " ".join(groups) if rng.random() < 0.5 else digits
    prefix = rng.choice(("", "", "", f"+{rng.randint(1, 99)} ", f"+{rng.randint(1, 99)} (0)", "00"))
    return prefix + body


def augment(note: AnnotatedNote, rng: random.Random) -> AnnotatedNote:
    """`note` with its PHI replaced by random surrogates of the same category (spans follow)."""
    names: dict[str, str] = {}
    values: dict[str, str] = {}

    def name_word(m: re.Match[str]) -> str:
        word = m.group()
        key = word.lower()
        if len(word) < 2:
            return word
        if key not in names:
            names[key] = _made_up_name(rng)
        return _same_case(names[key], word)

    def replace(value: str, category: str) -> str:
        if category == "NAME":
            return _WORD.sub(name_word, value)
        if value in values:
            return values[value]
        if category in ("PHONE", "FAX") and rng.random() < 0.5:
            new = _phone(value, rng)
        elif category in _ID_KINDS:
            new = _reshape(value, rng)
        elif category == "ADDRESS":  # house numbers and postcodes; the words carry the address's shape
            new = re.sub(r"\d", lambda _: str(rng.randrange(10)), value)
        elif category == "EMAIL":
            local, _, domain = value.partition("@")
            new = f"{_reshape(local, rng)}@{domain}"
        elif category == "AGE_OVER_89" and value.isdigit():
            new = str(rng.randint(90, 105))
        else:
            new = value
        values[value] = new
        return new

    text, spans, out, pos = note.text, [], [], 0
    length = 0
    for start, end, cat in note.spans:
        out.append(text[pos:start])
        length += start - pos
        new = replace(text[start:end], cat) or text[start:end]
        spans.append((length, length + len(new), cat))
        out.append(new)
        length += len(new)
        pos = end
    out.append(text[pos:])
    return AnnotatedNote("".join(out), tuple(spans))


# --- labels and scoring ---------------------------------------------------------------------------


def token_labels(
    offsets: np.ndarray, spans: Sequence[tuple[int, int, str]], config: TaggerConfig
) -> np.ndarray:
    """Per sub-word token: 0 (O), or B-/I- of the span it overlaps (B on the span's first token)."""
    labels = np.zeros(len(offsets), dtype=np.int64)
    index = {c: k for k, c in enumerate(config.categories)}
    for start, end, cat in spans:
        hit = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
        if len(hit):
            labels[hit] = 2 + 2 * index[cat]  # I-
            labels[hit[0]] = 1 + 2 * index[cat]  # B-
    return labels


_TOKEN = re.compile(r"[^\W_]+")  # the benchmark's unit: a PHI token counts only when fully covered


def token_recall(notes: Sequence[AnnotatedNote], find: Callable[[str], Any]) -> dict[str, Any]:
    """Token recall per category and overall, and token precision, of `find(text) -> spans`."""
    hit: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    predicted = predicted_true = 0
    for note in notes:
        covered = bytearray(len(note.text))
        for s in find(note.text):
            covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        gold = bytearray(len(note.text))
        for start, end, cat in note.spans:
            gold[start:end] = b"\x01" * (end - start)
            for tok in _TOKEN.finditer(note.text, start, end):
                total[cat] += 1
                hit[cat] += all(covered[tok.start() : tok.end()])
        for tok in _TOKEN.finditer(note.text):
            if any(covered[tok.start() : tok.end()]):
                predicted += 1
                predicted_true += any(gold[tok.start() : tok.end()])
    n = sum(total.values())
    return {
        "notes": len(notes),
        "phi_tokens": n,
        "recall": sum(hit.values()) / max(n, 1),
        "precision": predicted_true / max(predicted, 1),
        "per_category": {c: {"tokens": total[c], "recall": hit[c] / total[c]} for c in sorted(total)},
    }


# --- training -------------------------------------------------------------------------------------


def _examples(tagger: PhiTagger, notes: Sequence[AnnotatedNote]) -> list[dict[str, np.ndarray]]:
    pieces = []
    for note in notes:
        enc = tagger.encode(note.text)
        pieces += tagger.pieces(enc, token_labels(enc.offsets, note.spans, tagger.config))
    return pieces


def _batches(pieces: list[dict[str, np.ndarray]], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar lengths (sorted inside pools of 8 batches) to waste little padding."""
    order = list(range(len(pieces)))
    rng.shuffle(order)
    batches = []
    pool = 8 * size
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda j: len(pieces[j]["input_ids"]))
        batches += [chunk[k : k + size] for k in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def train_tagger(
    notes: Sequence[AnnotatedNote],
    config: TaggerConfig,
    settings: TrainSettings,
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[PhiTagger, dict[str, Any]]:
    """Fine-tune a tagger on `notes` (split by note); returns it and a report with validation recall."""
    train, val = split_notes(notes, settings.val_fraction)
    if not train:
        raise UsageError("no training notes left after the validation split")
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    tagger = PhiTagger(config)
    model = tagger.model
    backbone = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("backbone.")]
    head = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("backbone.")]
    optimizer = torch.optim.AdamW(
        [{"params": backbone, "lr": settings.lr}, {"params": head, "lr": settings.head_lr}],
        weight_decay=settings.weight_decay,
    )
    steps_per_epoch = math.ceil(len(_examples(tagger, train)) / settings.batch_size)
    total_steps = steps_per_epoch * settings.epochs
    warmup = max(1, int(settings.warmup_frac * total_steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / max(1, total_steps - warmup)))
    )
    t0 = time.perf_counter()
    step, losses = 0, []
    model.train()
    for _ in range(settings.epochs):
        epoch_notes = [augment(n, rng) if rng.random() < settings.augment else n for n in train]
        pieces = _examples(tagger, epoch_notes)
        for batch_ids in _batches(pieces, settings.batch_size, rng):
            out = model(tagger.collate([pieces[i] for i in batch_ids]))
            assert out.loss is not None
            optimizer.zero_grad(set_to_none=True)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(backbone + head, 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            losses.append(out.loss.item())
            if progress is not None:
                progress(step, max(step, total_steps), float(np.mean(losses[-50:])))
    model.eval()
    seconds = time.perf_counter() - t0
    report: dict[str, Any] = {
        "train_notes": len(train),
        "validation_notes": len(val),
        "steps": step,
        "train_seconds": round(seconds, 1),
        "final_loss": float(np.mean(losses[-50:])) if losses else None,
        "settings": {k: v for k, v in vars(settings).items()},
    }
    if val:
        t1 = time.perf_counter()
        report["validation"] = token_recall(val, tagger.find)
        report["validation"]["notes_per_s"] = len(val) / (time.perf_counter() - t1)
    return tagger, report
