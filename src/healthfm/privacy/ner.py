"""A learned PHI tagger: MiniLM token states plus character and word-shape features, BIO-tagged over the
18 textual HIPAA kinds. `PhiScrubber(tagger=...)` unions its spans with the rules' spans.

The tagger lives in a local folder (`config.json` + `model.safetensors`); only the layers it fine-tuned
and its head are saved: the frozen bottom of the base model is loaded from the base folder, whose
sha256 must match the one recorded at training time. Nothing is ever downloaded.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import torch
from torch import nn

from healthfm.configs import config_from_dict
from healthfm.encoders.hf import resolve_text_model
from healthfm.errors import UsageError
from healthfm.privacy.phi import PhiSpan

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

__all__ = ["NER_CATEGORIES", "PhiTagger", "TaggerBatch", "TaggerConfig", "TaggerOutput"]

# The textual HIPAA kinds (phi.CATEGORIES without BIOMETRIC and PHOTO, which never appear as text).
NER_CATEGORIES = (
    "NAME", "DATE", "AGE_OVER_89", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "ACCOUNT", "LICENSE", "ADDRESS",
    "ZIP", "URL", "IP", "DEVICE_ID", "VEHICLE_ID", "HEALTH_PLAN", "OTHER_ID",
)  # fmt: skip
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
IGNORE = -100  # label of special and padding tokens


@dataclass(kw_only=True)
class TaggerConfig:
    base_model: str | None = None  # a local Hugging Face folder; None = the packaged MiniLM
    base_sha256: str = ""  # of the base model's weights; set when the tagger is built, checked on load
    categories: tuple[str, ...] = NER_CATEGORIES
    max_length: int = 256  # sub-word tokens per window, [CLS] and [SEP] included
    stride: int = 64  # tokens shared by consecutive windows of a long note
    num_layers: int | None = None  # keep only the lower k transformer layers; None = all
    freeze_layers: int = 3  # the embeddings and this many bottom layers stay as the base model has them
    chunk_chars: int = 24  # characters of the surrounding whitespace-delimited chunk the char-CNN sees
    char_dim: int = 32
    char_channels: int = 64
    shape_buckets: int = 4096
    shape_dim: int = 32
    hidden_dim: int = 256
    threshold: float = 0.3  # a token is PHI when P(not O) >= threshold: recall before precision
    training_data: str = ""  # what the tagger was trained on, in words

    def __post_init__(self) -> None:
        self.categories = tuple(self.categories)
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError(f"categories must be distinct and non-empty, got {self.categories}")
        if self.max_length < 8:
            raise ValueError(f"max_length must be >= 8, got {self.max_length}")
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"stride must be in [0, max_length - 2), got {self.stride}")
        if self.num_layers is not None and self.num_layers < 1:
            raise ValueError(f"num_layers must be positive or None, got {self.num_layers}")
        if self.freeze_layers < 0:
            raise ValueError(f"freeze_layers must be >= 0, got {self.freeze_layers}")
        for name in ("chunk_chars", "char_dim", "char_channels", "shape_buckets", "shape_dim", "hidden_dim"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if not 0 < self.threshold < 1:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")

    @property
    def labels(self) -> tuple[str, ...]:
        """ "O", then B- and I- of each category in order (label 1 + 2k is B-category k)."""
        return ("O", *(f"{p}-{c}" for c in self.categories for p in "BI"))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return config_from_dict(cls, data)

    def to_file(self, path: Path) -> None:
        Path(path).write_text(json.dumps({**self.to_dict(), "labels": list(self.labels)}, indent=2) + "\n")

    @classmethod
    def from_file(cls, path: Path) -> Self:
        data = json.loads(Path(path).read_text())
        labels = data.pop("labels", None)
        config = cls.from_dict(data)
        if labels is not None and tuple(labels) != config.labels:
            raise ValueError("its labels do not match its categories")
        return config


# --- character and shape features -------------------------------------------------------------------

_CHAR_UPPER, _CHAR_LOWER, _CHAR_DIGIT, _CHAR_OTHER = 256, 257, 258, 259  # outside Latin-1, by class
N_CHAR_IDS = 260  # 0 = padding


def _char_id(ch: str) -> int:
    o = ord(ch)
    if 0 < o < 256:
        return o
    if ch.isupper():
        return _CHAR_UPPER
    if ch.isalpha():
        return _CHAR_LOWER
    return _CHAR_DIGIT if ch.isdigit() else _CHAR_OTHER


def _shape(text: str, run_cap: int, length_cap: int) -> str:
    """ "Müller-Graf" -> "Xxxx-Xxxx" (run_cap 4); "+41 (0)44" -> "+dd (d)dd": case, digits, punctuation."""
    out: list[str] = []
    prev, run = "", 0
    for ch in text:
        c = (
            "X"
            if ch.isupper()
            else "x"
            if ch.isalpha()
            else "d"
            if ch.isdigit()
            else ch
            if ch.isascii()
            else "?"
        )
        run = run + 1 if c == prev else 1
        prev = c
        if run <= run_cap:
            out.append(c)
            if len(out) >= length_cap:
                break
    return "".join(out)


def _bucket(shape: str, buckets: int) -> int:
    return 1 + zlib.crc32(shape.encode()) % (buckets - 1)  # 0 = no token (special, padding)


@dataclass(frozen=True)
class EncodedText:
    """One text's sub-word tokens (no special tokens) with their offsets and per-token features."""

    ids: np.ndarray  # (T,) int64
    offsets: np.ndarray  # (T, 2) int64, character offsets into the text
    chars: np.ndarray  # (T, C) int64 character ids of the token's chunk window
    inside: np.ndarray  # (T, C) int64, 1 where the window's character belongs to the token
    token_shape: np.ndarray  # (T,) int64
    chunk_shape: np.ndarray  # (T,) int64


def _encode(text: str, tokenizer: PreTrainedTokenizerBase, config: TaggerConfig) -> EncodedText:
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids = np.asarray(enc["input_ids"], dtype=np.int64)
    offsets = np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    t, width = len(ids), config.chunk_chars
    chunk_start = np.zeros(t, dtype=np.int64)
    chunk_end = np.zeros(t, dtype=np.int64)
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    k = 0
    token_shape = np.zeros(t, dtype=np.int64)
    chunk_shape = np.zeros(t, dtype=np.int64)
    for i, (s, e) in enumerate(offsets.tolist()):
        while k + 1 < len(chunks) and chunks[k][1] <= s:
            k += 1
        cs, ce = chunks[k] if chunks and chunks[k][0] <= s < chunks[k][1] else (s, e)
        chunk_start[i], chunk_end[i] = cs, ce
        token_shape[i] = _bucket("t" + _shape(text[s:e], 4, 16), config.shape_buckets)
        chunk_shape[i] = _bucket("c" + _shape(text[cs:ce], 3, 20), config.shape_buckets)
    # the chunk's characters in a window of `width` centred on the token when the chunk is longer
    lo = offsets[:, 0] - np.maximum(width - (offsets[:, 1] - offsets[:, 0]), 0) // 2
    lo = np.clip(np.minimum(lo, chunk_end - width), chunk_start, None)
    idx = lo[:, None] + np.arange(width)[None, :]
    valid = idx < chunk_end[:, None]
    codes = np.fromiter((_char_id(ch) for ch in text), dtype=np.int64, count=len(text))
    codes = np.concatenate([codes, np.zeros(width, dtype=np.int64)])
    chars = np.where(valid, codes[np.minimum(idx, len(codes) - 1)], 0)
    inside = (valid & (idx >= offsets[:, :1]) & (idx < offsets[:, 1:])).astype(np.int64)
    return EncodedText(ids, offsets, chars, inside, token_shape, chunk_shape)


def _windows(n_tokens: int, config: TaggerConfig) -> list[tuple[int, int]]:
    """[start, end) token ranges of at most max_length - 2 tokens, overlapping by `stride`."""
    size = config.max_length - 2
    if n_tokens <= size:
        return [(0, n_tokens)]
    step = size - config.stride
    starts = [*range(0, n_tokens - size, step), n_tokens - size]
    return [(s, s + size) for s in starts]


# --- the model ------------------------------------------------------------------------------------


@dataclass
class TaggerBatch:
    """B windows of L tokens ([CLS] ... [SEP], padded); C characters per token."""

    input_ids: torch.Tensor  # (B, L) int64
    attention_mask: torch.Tensor  # (B, L) int64
    chars: torch.Tensor  # (B, L, C) int64
    inside: torch.Tensor  # (B, L, C) int64
    token_shape: torch.Tensor  # (B, L) int64
    chunk_shape: torch.Tensor  # (B, L) int64
    labels: torch.Tensor | None = None  # (B, L) int64, IGNORE on special and padding tokens


@dataclass
class TaggerOutput:
    logits: torch.Tensor  # (B, L, n_labels)
    loss: torch.Tensor | None = None


def collate(pieces: Sequence[dict[str, np.ndarray]], pad_id: int) -> TaggerBatch:
    """Windows (each a dict of per-token arrays, special tokens included) -> one padded batch."""
    length = max(len(p["input_ids"]) for p in pieces)

    def stack(key: str, fill: int) -> torch.Tensor:
        first = pieces[0][key]
        out = np.full((len(pieces), length, *first.shape[1:]), fill, dtype=np.int64)
        for i, p in enumerate(pieces):
            out[i, : len(p[key])] = p[key]
        return torch.from_numpy(out)

    return TaggerBatch(
        input_ids=stack("input_ids", pad_id),
        attention_mask=stack("attention_mask", 0),
        chars=stack("chars", 0),
        inside=stack("inside", 0),
        token_shape=stack("token_shape", 0),
        chunk_shape=stack("chunk_shape", 0),
        labels=stack("labels", IGNORE) if "labels" in pieces[0] else None,
    )


def window_pieces(
    enc: EncodedText, config: TaggerConfig, cls_id: int, sep_id: int, labels: np.ndarray | None = None
) -> list[dict[str, np.ndarray]]:
    """One dict of arrays per window, [CLS] and [SEP] added (their features are zeros)."""
    pieces = []
    for a, b in _windows(len(enc.ids), config):

        def wrap(x: np.ndarray, special: int, a: int = a, b: int = b) -> np.ndarray:
            pad = np.full((1, *x.shape[1:]), special, dtype=np.int64)
            return np.concatenate([pad, x[a:b], pad])

        piece = {
            "input_ids": np.concatenate([[cls_id], enc.ids[a:b], [sep_id]]).astype(np.int64),
            "attention_mask": np.ones(b - a + 2, dtype=np.int64),
            "chars": wrap(enc.chars, 0),
            "inside": wrap(enc.inside, 0),
            "token_shape": wrap(enc.token_shape, 0),
            "chunk_shape": wrap(enc.chunk_shape, 0),
        }
        if labels is not None:
            piece["labels"] = wrap(labels, IGNORE)
        pieces.append(piece)
    return pieces


class CharFeatures(nn.Module):
    """A char-CNN over each token's chunk (its whitespace-delimited word), marking the token's own
    characters: sees "+41 (0)44" or "BE-77812" whole although the tokenizer splits them."""

    def __init__(self, config: TaggerConfig) -> None:
        super().__init__()
        self.chars = nn.Embedding(N_CHAR_IDS, config.char_dim, padding_idx=0)
        self.inside = nn.Embedding(2, config.char_dim)
        self.conv = nn.Conv1d(config.char_dim, config.char_channels, kernel_size=3, padding=1)

    def forward(self, chars: torch.Tensor, inside: torch.Tensor) -> torch.Tensor:
        b, length, c = chars.shape
        x = (self.chars(chars) + self.inside(inside)).view(b * length, c, -1).transpose(1, 2)  # (BL, D, C)
        h = torch.relu(self.conv(x)) * (chars.view(b * length, 1, c) > 0)  # (BL, K, C), padding zeroed
        return h.amax(dim=2).view(b, length, -1)  # (B, L, K)


def _layer_list(model: nn.Module, n_layers: int) -> tuple[str, nn.ModuleList]:
    for name, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) == n_layers:
            return name, module
    raise UsageError(f"cannot find the {n_layers} transformer layers of {type(model).__name__}")


class PhiTaggerModel(nn.Module):
    """Base-model token states ⊕ char-CNN ⊕ shape embeddings -> a small conv mixer -> BIO logits."""

    def __init__(self, config: TaggerConfig, folder: Path) -> None:
        super().__init__()
        from transformers import AutoModel  # heavy: imported when a tagger is built
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        backbone = AutoModel.from_pretrained(str(folder), local_files_only=True)
        if getattr(backbone, "pooler", None) is not None:
            backbone.pooler = None
        n_layers = int(backbone.config.num_hidden_layers)
        parent, layers = _layer_list(backbone, n_layers)
        keep = config.num_layers or n_layers
        if keep > n_layers:
            raise UsageError(f"tagger: num_layers {keep} exceeds the base model's {n_layers} layers")
        if keep < n_layers:
            layers = layers[:keep]
            owner, _, attr = parent.rpartition(".")
            setattr(backbone.get_submodule(owner) if owner else backbone, attr, layers)
            backbone.config.num_hidden_layers = keep
        if config.freeze_layers > keep:
            raise UsageError(f"tagger: freeze_layers {config.freeze_layers} exceeds the {keep} layers kept")
        self.backbone = backbone
        self.backbone.requires_grad_(False)
        for layer in list(layers)[config.freeze_layers :]:
            layer.requires_grad_(True)
        hidden = int(backbone.config.hidden_size)
        self.char = CharFeatures(config)
        self.token_shape = nn.Embedding(config.shape_buckets, config.shape_dim, padding_idx=0)
        self.chunk_shape = nn.Embedding(config.shape_buckets, config.shape_dim, padding_idx=0)
        self.fuse = nn.Linear(hidden + config.char_channels + 2 * config.shape_dim, config.hidden_dim)
        self.mix = nn.Conv1d(config.hidden_dim, config.hidden_dim, kernel_size=5, padding=2)
        self.out = nn.Linear(config.hidden_dim, len(config.labels))
        self.train(self.training)

    def forward(self, batch: TaggerBatch) -> TaggerOutput:
        states = self.backbone(input_ids=batch.input_ids, attention_mask=batch.attention_mask)
        feats = torch.cat(
            [
                states.last_hidden_state,  # (B, L, H)
                self.char(batch.chars, batch.inside),  # (B, L, K)
                self.token_shape(batch.token_shape),  # (B, L, S)
                self.chunk_shape(batch.chunk_shape),
            ],
            dim=-1,
        )
        mask = batch.attention_mask.unsqueeze(-1).to(feats.dtype)
        h = nn.functional.gelu(self.fuse(feats)) * mask  # (B, L, D)
        h = h + nn.functional.gelu(self.mix(h.transpose(1, 2))).transpose(1, 2) * mask
        logits = self.out(h)
        loss = None
        if batch.labels is not None:
            loss = nn.functional.cross_entropy(
                logits.flatten(0, 1), batch.labels.flatten(), ignore_index=IGNORE
            )
        return TaggerOutput(logits, loss)

    def saved_state(self) -> dict[str, torch.Tensor]:
        """What a tagger folder holds: every tensor outside the frozen part of the base model."""
        trainable = {n for n, p in self.named_parameters() if p.requires_grad}
        return {
            k: v.detach().contiguous()
            for k, v in self.state_dict().items()
            if not k.startswith("backbone.") or k in trainable
        }


# --- the tagger -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _weights_sha256(folder: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with (Path(folder) / _weights_name(Path(folder))).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _weights_name(folder: Path) -> str:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            return name
    raise UsageError(f"base model {folder} has no model.safetensors or pytorch_model.bin")


def base_sha256(folder: Path) -> str:
    """sha256 of a base model folder's weights file (cached per path, size and mtime)."""
    stat = (folder / _weights_name(folder)).stat()
    return _weights_sha256(str(folder), stat.st_size, stat.st_mtime_ns)


class PhiTagger:
    """Finds PHI spans with a token-classification model; `find` maps sub-word predictions back to
    character spans of the text and handles notes of any length by overlapping windows."""

    def __init__(self, config: TaggerConfig) -> None:
        from healthfm.data.text import load_tokenizer

        folder = resolve_text_model(config.base_model)
        digest = base_sha256(folder)
        if config.base_sha256 and config.base_sha256 != digest:
            raise UsageError(
                f"the tagger was trained on a base model with sha256 {config.base_sha256[:12]}…, but "
                f"{folder} holds {digest[:12]}…: use the same base model (or retrain)"
            )
        self.config = dataclasses.replace(config, base_sha256=digest)
        self.tokenizer = load_tokenizer(config.base_model)
        self.model = PhiTaggerModel(self.config, folder)
        self.model.eval()

    # --- persistence

    def save(self, folder: Path) -> Path:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        save_file(self.model.saved_state(), str(folder / WEIGHTS_FILE))
        self.config.to_file(folder / CONFIG_FILE)
        return folder

    @classmethod
    def load(cls, folder: Path) -> Self:
        """A tagger from its folder; a missing or damaged folder is a UsageError naming it."""
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        folder = Path(folder)
        if not folder.is_dir():
            raise UsageError(f"NER model folder {folder} does not exist")
        for name in (CONFIG_FILE, WEIGHTS_FILE):
            if not (folder / name).is_file():
                raise UsageError(
                    f"NER model folder {folder} has no {name} (train one with healthfm deid train-ner)"
                )
        try:
            config = TaggerConfig.from_file(folder / CONFIG_FILE)
        except (OSError, ValueError, TypeError) as exc:
            raise UsageError(f"NER model folder {folder}: cannot read {CONFIG_FILE}: {exc}") from None
        tagger = cls(config)
        try:
            state = load_file(str(folder / WEIGHTS_FILE))
        except (OSError, SafetensorError) as exc:
            raise UsageError(f"NER model folder {folder}: cannot read {WEIGHTS_FILE}: {exc}") from None
        expected = tagger.model.saved_state()
        if set(state) != set(expected) or any(state[k].shape != v.shape for k, v in expected.items()):
            raise UsageError(f"NER model folder {folder}: {WEIGHTS_FILE} does not match {CONFIG_FILE}")
        tagger.model.load_state_dict(state, strict=False)
        return tagger

    # --- prediction

    def encode(self, text: str) -> EncodedText:
        return _encode(text, self.tokenizer, self.config)

    def pieces(self, enc: EncodedText, labels: np.ndarray | None = None) -> list[dict[str, np.ndarray]]:
        cls_id, sep_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        assert isinstance(cls_id, int) and isinstance(sep_id, int)
        return window_pieces(enc, self.config, cls_id, sep_id, labels)

    def collate(self, pieces: Sequence[dict[str, np.ndarray]]) -> TaggerBatch:
        pad = self.tokenizer.pad_token_id
        return collate(pieces, pad if isinstance(pad, int) else 0)

    @torch.no_grad()
    def token_probabilities(self, text: str, batch_size: int = 16) -> tuple[np.ndarray, np.ndarray]:
        """(T, n_labels) label probabilities per sub-word token (windows averaged), (T, 2) offsets."""
        enc = self.encode(text)
        n_labels = len(self.config.labels)
        if len(enc.ids) == 0:
            return np.zeros((0, n_labels), dtype=np.float32), enc.offsets
        pieces = self.pieces(enc)
        was_training = self.model.training
        self.model.eval()
        try:
            probs = [
                torch.softmax(self.model(self.collate(pieces[i : i + batch_size])).logits.float(), dim=-1)
                for i in range(0, len(pieces), batch_size)
            ]
        finally:
            self.model.train(was_training)
        total = np.zeros((len(enc.ids), n_labels), dtype=np.float32)
        count = np.zeros((len(enc.ids), 1), dtype=np.float32)
        windows = _windows(len(enc.ids), self.config)
        for w, (a, b) in enumerate(windows):
            total[a:b] += probs[w // batch_size][w % batch_size, 1 : 1 + b - a].numpy()
            count[a:b] += 1
        return total / count, enc.offsets

    def find(self, text: str) -> list[PhiSpan]:
        """PHI spans (sorted, non-overlapping) with the tagger's probability that they are PHI."""
        probs, offsets = self.token_probabilities(text)
        return decode(text, probs, offsets, self.config)


def _word_ids(text: str, offsets: np.ndarray) -> np.ndarray:
    """(T,) index of the word each sub-word token belongs to: pieces glued letter-to-letter or digit-to-
    digit ("pip ##era ##cillin", "e ##3 ##v ##4") form one word."""
    ids = np.zeros(len(offsets), dtype=np.int64)
    for t in range(1, len(offsets)):
        s, prev_end = int(offsets[t, 0]), int(offsets[t - 1, 1])
        glued = s == prev_end and s > 0 and text[s].isalnum() and text[s - 1].isalnum()
        ids[t] = ids[t - 1] + (not glued)
    return ids


def decode(text: str, probs: np.ndarray, offsets: np.ndarray, config: TaggerConfig) -> list[PhiSpan]:
    """Words whose sub-words have a mean P(not O) >= threshold are PHI; consecutive PHI words form a
    span, which ends at a B- label, at a change of category or at a line break. A span's category is the
    one with the most probability mass over its tokens."""
    if len(offsets) == 0:
        return []
    word = _word_ids(text, offsets)
    sizes = np.bincount(word)[:, None].astype(np.float32)

    def word_mean(x: np.ndarray) -> np.ndarray:
        sums = np.zeros((len(sizes), x.shape[1]), dtype=np.float32)
        np.add.at(sums, word, x)
        means: np.ndarray = (sums / sizes)[word]  # (T, K): every sub-word carries its word's mean
        return means

    phi = word_mean(1.0 - probs[:, :1])[:, 0]
    begin, inner = probs[:, 1::2], probs[:, 2::2]  # (T, n_categories)
    per_category = word_mean(begin + inner)
    spans: list[PhiSpan] = []
    group: list[int] = []

    def close() -> None:
        if group:
            s, e = int(offsets[group[0], 0]), int(offsets[group[-1], 1])
            cat = config.categories[int(per_category[group].sum(0).argmax())]
            spans.append(PhiSpan(s, e, cat, text[s:e], probability=float(phi[group].mean())))
            group.clear()

    for t in range(len(phi)):
        if phi[t] < config.threshold or offsets[t, 1] <= offsets[t, 0]:
            close()
            continue
        if group and word[t] != word[group[-1]]:
            prev = group[-1]
            if (
                begin[t].max() > inner[t].max()
                or per_category[t].argmax() != per_category[prev].argmax()
                or "\n" in text[offsets[prev, 1] : offsets[t, 0]]
            ):
                close()
        group.append(t)
    close()
    return spans
