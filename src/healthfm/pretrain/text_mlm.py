"""Continued masked-language-model pretraining of the text encoder on clinical text, scored honestly.

Corpus: the store's clinical notes (train split with training consent; held-out split with evaluation
consent) and the real IU chest X-ray reports (80/20 by a fixed hash of the report id). "Before" is the
original encoder, frozen, under an MLM head trained on the training corpus; "after" starts from that head
and continues pretraining the whole encoder. Both are scored on the same seeded masking of the held-out
texts. The tuning split is not used: nothing is selected on held-out data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import torch
from torch import nn
from torch.utils.data import DataLoader

from healthfm import __version__
from healthfm.configs import config_from_dict
from healthfm.data.text import drop_header_lines, load_tokenizer
from healthfm.datasets.catalog import IU_CXR_REPORTS
from healthfm.datasets.fetch import dataset_path
from healthfm.datasets.loaders import RadiologyReport, load_iu_reports
from healthfm.encoders.hf import resolve_text_model
from healthfm.errors import UsageError
from healthfm.schema import Batch, Modality, ModalityInput, ModelOutput
from healthfm.train.distributed import choose_device
from healthfm.train.loop import EpochRecord, ProgressSink, TrainConfig, train

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from healthfm.store.patient_store import PatientStore

COHORT_NOTES = "cohort_notes"
IU_REPORTS = "iu_reports"
OVERALL = "overall"
STAGES = ("untrained_head", "before", "after")
RESULT_FILE = "text_mlm.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
IU_TRAIN_FRACTION = 0.8
IU_SPLIT_SALT = "healthfm-iu-mlm-v1"  # fixed: the IU split never moves with --seed
IGNORE = -100  # label of a token that is not predicted


@dataclass
class TextMLMConfig:
    model_dir: str | None = None  # the BERT folder to adapt; None = the packaged MiniLM
    max_length: int = 128  # tokens per text, [CLS] and [SEP] included; longer texts are truncated
    mask_prob: float = 0.15  # share of real tokens predicted; of those 80% read [MASK], 10% random, 10% kept
    epochs: int = 1  # whole-encoder epochs ("after")
    head_epochs: int = 10  # head-only epochs ("before"): too few leave it short of its best, far more overfit
    batch_size: int = 32  # texts per batch
    head_batch_tokens: int = 128  # masked tokens per head-only batch
    lr: float = 1e-4  # whole encoder
    head_lr: float = 3e-3  # head only
    warmup_frac: float = 0.06
    weight_decay: float = 0.01
    seed: int = 0
    max_texts: int | None = None  # training texts per source (a seeded sample); None = all
    max_held_out_texts: int | None = None  # held-out texts per source (a seeded sample); None = all
    iu_reports: bool = True  # add the IU chest X-ray reports (when fetched)
    device: str | None = None  # None = CUDA when present, else the CPU

    def __post_init__(self) -> None:
        if self.max_length < 8:
            raise ValueError(f"max_length must be >= 8, got {self.max_length}")
        if not 0 < self.mask_prob < 1:
            raise ValueError(f"mask_prob must be in (0, 1), got {self.mask_prob}")
        for name in ("epochs", "head_epochs", "batch_size", "head_batch_tokens"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        for name in ("lr", "head_lr"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if not 0 <= self.warmup_frac < 1:
            raise ValueError(f"warmup_frac must be in [0, 1), got {self.warmup_frac}")
        for name in ("max_texts", "max_held_out_texts"):
            cap = getattr(self, name)
            if cap is not None and cap < 1:
                raise ValueError(f"{name} must be >= 1 or None, got {cap}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return config_from_dict(cls, data)

    def to_file(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_file(cls, path: Path) -> Self:
        return cls.from_dict(json.loads(Path(path).read_text()))


# ---------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Corpus:
    texts: dict[str, dict[str, list[str]]]  # source -> "train" / "held_out" -> texts
    missing: dict[str, str]  # source -> why it is not used

    def split(self, split: str) -> dict[str, list[str]]:
        return {source: splits[split] for source, splits in self.texts.items() if splits[split]}

    def sizes(self) -> dict[str, dict[str, int]]:
        return {s: {k: len(v) for k, v in splits.items()} for s, splits in self.texts.items()}


def derive_seed(seed: int, *keys: str) -> int:
    """A 63-bit seed for one use of `seed` (a source's sample, a masking), stable across machines."""
    digest = hashlib.blake2b("/".join([str(seed), *keys]).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def cohort_notes(store: PatientStore, split: str, consent_scope: str) -> list[str]:
    """Every note of `split`'s subjects whose consent covers `consent_scope`, header lines dropped."""
    wanted = np.asarray(store.subjects(split, consent_scope=consent_scope), np.int64)
    texts: list[str] = []
    if not len(wanted):
        return texts
    for _, table in store.iter_shards(columns=["subject_id", "modality", "text_value"]):
        keep = pc.and_(
            pc.equal(table.column("modality"), Modality.TEXT.value),
            pc.is_in(table.column("subject_id"), value_set=pa.array(wanted)),
        )
        for text in table.filter(keep).column("text_value").to_pylist():
            cleaned = drop_header_lines(text) if text else ""
            if cleaned:
                texts.append(cleaned)
    return texts


def iu_split(uid: str) -> str:
    """The split of one IU report ("train" or "held_out"), from a fixed hash of its id."""
    digest = hashlib.blake2b(f"{IU_SPLIT_SALT}/{uid}".encode(), digest_size=8).digest()
    return "train" if int.from_bytes(digest, "big") / 2**64 < IU_TRAIN_FRACTION else "held_out"


def iu_report_text(report: RadiologyReport) -> str:
    sections = (
        ("Indication", report.indication),
        ("Comparison", report.comparison),
        ("Findings", report.findings),
        ("Impression", report.impression),
    )
    return "\n".join(f"{name}: {value}" for name, value in sections if value)


def build_corpus(store: PatientStore | None, config: TextMLMConfig) -> Corpus:
    """Training and held-out texts per source, capped by seeded samples; absent sources say why."""
    texts: dict[str, dict[str, list[str]]] = {}
    missing: dict[str, str] = {}
    if store is None:
        missing[COHORT_NOTES] = "no patient store given"
    else:
        texts[COHORT_NOTES] = {
            "train": cohort_notes(store, "train", "training"),
            "held_out": cohort_notes(store, "held_out", "evaluation"),
        }
        if not texts[COHORT_NOTES]["train"]:
            missing[COHORT_NOTES] = (
                f"the store at {store.root} has no notes of consenting train-split patients"
            )
    if not config.iu_reports:
        missing[IU_REPORTS] = "left out (--no-iu)"
    elif not dataset_path(IU_CXR_REPORTS).exists():
        missing[IU_REPORTS] = f"not fetched (healthfm data fetch --dataset {IU_CXR_REPORTS.name})"
    else:
        texts[IU_REPORTS] = {"train": [], "held_out": []}
        for report in load_iu_reports():
            texts[IU_REPORTS][iu_split(report.uid)].append(iu_report_text(report))
    for source, splits in texts.items():
        for split, cap in (("train", config.max_texts), ("held_out", config.max_held_out_texts)):
            rows = splits[split]
            if cap is not None and len(rows) > cap:
                rng = np.random.default_rng(derive_seed(config.seed, source, split))
                splits[split] = [rows[i] for i in np.sort(rng.choice(len(rows), cap, replace=False))]
    return Corpus(texts={s: v for s, v in texts.items() if v["train"]}, missing=missing)


# ---------------------------------------------------------------- masking


def mask_tokens(
    ids: torch.Tensor,
    attention: torch.Tensor,
    special_ids: torch.Tensor,
    *,
    mask_id: int,
    vocab_size: int,
    prob: float,
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's masking of (B, L) ids: `prob` of the real, non-special tokens are predicted (at least one per
    row that has any, so every text counts); of those 80% become [MASK], 10% a random token, 10% stay.
    Returns (inputs, labels); labels are IGNORE where nothing is predicted."""
    candidates = attention.bool() & ~torch.isin(ids, special_ids)
    picked = (torch.rand(ids.shape, generator=generator) < prob) & candidates
    fallback = torch.rand(ids.shape, generator=generator).masked_fill(~candidates, -1.0).argmax(1)  # (B,)
    empty = candidates.any(1) & ~picked.any(1)
    picked[empty, fallback[empty]] = True
    roll = torch.rand(ids.shape, generator=generator)
    random_ids = torch.randint(vocab_size, ids.shape, generator=generator)
    inputs = torch.where(picked & (roll < 0.8), mask_id, ids)
    inputs = torch.where(picked & (roll >= 0.8) & (roll < 0.9), random_ids, inputs)
    return inputs, ids.masked_fill(~picked, IGNORE)


def _pad(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    attention = torch.zeros(len(rows), length, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        attention[i, : len(row)] = 1
    return ids, attention


class _Masking:
    """The tokenizer's ids for `mask_tokens`."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, prob: float) -> None:
        if tokenizer.mask_token_id is None:
            raise UsageError("the text model's tokenizer has no [MASK] token: it cannot do masked-LM")
        self.pad_id = int(tokenizer.pad_token_id or 0)
        self.mask_id = int(tokenizer.mask_token_id)
        self.vocab_size = len(tokenizer)
        self.special_ids = torch.tensor(sorted(tokenizer.all_special_ids), dtype=torch.long)
        self.prob = prob

    def __call__(
        self, rows: Sequence[Sequence[int]], generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(inputs, attention, labels), each (B, longest row)."""
        ids, attention = _pad(rows, self.pad_id)
        inputs, labels = mask_tokens(
            ids,
            attention,
            self.special_ids,
            mask_id=self.mask_id,
            vocab_size=self.vocab_size,
            prob=self.prob,
            generator=generator,
        )
        return inputs, attention, labels


def text_batch(rows: torch.Tensor, labels: torch.Tensor, **values: torch.Tensor) -> Batch:
    """An MLM batch for the one training loop: `subject_ids` holds the corpus rows, `targets` the labels;
    `values` are token ids + attention mask, or the frozen encoder's `states` at the masked tokens."""
    text = ModalityInput(values, torch.ones(len(rows), dtype=torch.bool))
    return Batch(subject_ids=rows, inputs={Modality.TEXT: text}, targets=labels)


class _TextCollator:
    """Fresh (dynamic) masking of each batch of texts, from its own seeded generator."""

    def __init__(self, rows: Sequence[Sequence[int]], masking: _Masking, seed: int) -> None:
        self.rows, self.masking = rows, masking
        self.generator = torch.Generator().manual_seed(seed)

    def __call__(self, index: Sequence[int]) -> Batch:
        inputs, attention, labels = self.masking([self.rows[i] for i in index], self.generator)
        rows = torch.tensor(list(index), dtype=torch.long)
        return text_batch(rows, labels, input_ids=inputs, attention_mask=attention)


class _StatesCollator:
    """Batches of cached (state, label) pairs of masked tokens."""

    def __init__(self, states: torch.Tensor, labels: torch.Tensor) -> None:
        self.states, self.labels = states, labels

    def __call__(self, index: Sequence[int]) -> Batch:
        rows = torch.tensor(list(index), dtype=torch.long)
        return text_batch(rows, self.labels[rows], states=self.states[rows])


@dataclass(frozen=True)
class MaskedTexts:
    """Texts under one fixed masking, longest first (less padding per batch)."""

    inputs: torch.Tensor  # (N, L)
    attention: torch.Tensor  # (N, L)
    labels: torch.Tensor  # (N, L)

    @classmethod
    def fixed(cls, rows: Sequence[Sequence[int]], masking: _Masking, seed: int) -> MaskedTexts:
        """The same masking for the same texts and seed, whatever model it is scored with."""
        inputs, attention, labels = masking(rows, torch.Generator().manual_seed(seed))
        order = attention.sum(1).argsort(descending=True, stable=True)
        return cls(inputs[order], attention[order], labels[order])

    @property
    def masked_tokens(self) -> int:
        return int((self.labels != IGNORE).sum())


# ---------------------------------------------------------------- model


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """No load report: the MLM head is new by design, and the encoder's pooler is unused."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # healthfm shows its own progress
    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)


class MaskedTextModel(nn.Module):
    """A local BERT encoder with a new masked-LM head (transform + LayerNorm; decoder tied to the word
    embeddings). `forward(batch)` predicts only the masked tokens: logits (M, V) and their mean loss."""

    def __init__(self, model_dir: Path) -> None:
        super().__init__()
        from transformers import AutoConfig, BertForMaskedLM

        config = AutoConfig.from_pretrained(str(model_dir), local_files_only=True)
        if config.model_type != "bert":
            raise UsageError(
                f"{model_dir}: masked-LM adaptation needs a BERT model, got {config.model_type!r}"
            )
        with _quiet_transformers():
            self.mlm = BertForMaskedLM.from_pretrained(str(model_dir), local_files_only=True)
        self.model_dir = model_dir
        self.train()

    def set_output_prior(self, token_counts: torch.Tensor) -> None:
        """Start the output bias at the log token frequencies: the untrained head is a unigram model, and
        the head's training spends its steps on context rather than on frequencies."""
        with torch.no_grad():
            prior = token_counts.float() + 0.1
            self.mlm.cls.predictions.bias.copy_(torch.log(prior / prior.sum()))

    def freeze_encoder(self, frozen: bool) -> None:
        """Frozen: only the head's transform and output bias learn (its decoder is the word embeddings)."""
        self.mlm.requires_grad_(not frozen)
        if frozen:
            self.mlm.cls.predictions.transform.requires_grad_(True)
            self.mlm.cls.predictions.bias.requires_grad_(True)
        self.train(self.training)

    def encoder_frozen(self) -> bool:
        return not any(p.requires_grad for p in self.mlm.bert.parameters())

    def train(self, mode: bool = True) -> Self:
        super().train(mode)
        if self.encoder_frozen():  # a frozen encoder never drops out: the head learns its real features
            self.mlm.bert.train(False)
        return self

    def masked_states(
        self, inputs: torch.Tensor, attention: torch.Tensor, labels: torch.Tensor
    ) -> torch.Tensor:
        """The encoder's last states at the masked positions, (M, H)."""
        states = self.mlm.bert(input_ids=inputs, attention_mask=attention).last_hidden_state  # (B, L, H)
        return states[labels != IGNORE]  # type: ignore[no-any-return]

    def head(self, states: torch.Tensor) -> torch.Tensor:
        """(M, H) -> (M, V) logits."""
        return self.mlm.cls(states)  # type: ignore[no-any-return]

    def forward(self, batch: Batch) -> ModelOutput:
        text, labels = batch.inputs[Modality.TEXT], batch.targets
        if labels is None:
            raise UsageError("masked-LM batches carry their labels as targets")
        if "states" in text.values:  # head-only training on the frozen encoder's cached states, (M, H)
            states, targets = text.values["states"], labels
        else:
            ids, attention = text.values["input_ids"], text.values["attention_mask"]
            states, targets = self.masked_states(ids, attention, labels), labels[labels != IGNORE]
        logits = self.head(states)
        return ModelOutput(logits=logits, loss=nn.functional.cross_entropy(logits.float(), targets))

    def save(self, folder: Path) -> None:
        """The weights being trained (a frozen encoder never changes), for the training loop's checkpoints."""
        from safetensors.torch import save_file

        folder.mkdir(parents=True, exist_ok=True)
        weights = {n: p.detach().contiguous() for n, p in self.named_parameters() if p.requires_grad}
        save_file(weights, str(folder / "model.safetensors"))

    def save_encoder(self, out: Path) -> None:
        """`out` as a local Hugging Face folder of the adapted encoder: BertModel weights (safetensors, with
        the source's unused pooler), config and the source's tokenizer files."""
        from transformers import BertModel

        with _quiet_transformers():
            encoder = BertModel.from_pretrained(str(self.model_dir), local_files_only=True)
        missing, unexpected = encoder.load_state_dict(self.mlm.bert.state_dict(), strict=False)
        if unexpected or any(not k.startswith("pooler.") for k in missing):
            raise UsageError(f"the adapted encoder does not fit {self.model_dir}: {missing + unexpected}")
        encoder.save_pretrained(str(out))
        for name in TOKENIZER_FILES:
            if (self.model_dir / name).is_file():
                shutil.copy2(self.model_dir / name, out / name)


# ---------------------------------------------------------------- scoring


def encoder_states(
    model: MaskedTextModel, texts: MaskedTexts, batch_size: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """(M, H) encoder states at the masked positions and their (M,) labels, in eval mode."""
    model.eval()
    states, labels = [], []
    with torch.no_grad():
        for start in range(0, len(texts.inputs), batch_size):
            part = slice(start, start + batch_size)
            n = int(texts.attention[part].sum(1).max())
            inputs, attention, target = (
                t[part, :n].to(device) for t in (texts.inputs, texts.attention, texts.labels)
            )
            states.append(model.masked_states(inputs, attention, target).float().cpu())
            labels.append(target[target != IGNORE].cpu())
    return torch.cat(states), torch.cat(labels)


def _cross_entropy_sum(model: MaskedTextModel, states: torch.Tensor, labels: torch.Tensor) -> float:
    device = next(model.parameters()).device
    total = 0.0
    model.eval()
    with torch.no_grad():
        for start in range(0, len(states), 1024):  # (1024, V) logits at a time
            logits = model.head(states[start : start + 1024].to(device)).float()
            target = labels[start : start + 1024].to(device)
            total += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
    return total


def perplexities(
    model: MaskedTextModel, scored: Mapping[str, tuple[torch.Tensor, torch.Tensor]]
) -> dict[str, float]:
    """exp(mean cross-entropy over the masked tokens) per source and over all of them, from each source's
    `encoder_states`."""
    sums = {source: _cross_entropy_sum(model, *pair) for source, pair in scored.items()}
    counts = {source: len(pair[1]) for source, pair in scored.items()}
    out = {source: math.exp(sums[source] / counts[source]) for source in scored}
    out[OVERALL] = math.exp(sum(sums.values()) / sum(counts.values()))
    return out


# ---------------------------------------------------------------- the run


@dataclass
class TextMLMResult:
    out: Path
    source_model: str
    config: TextMLMConfig
    corpus: dict[str, dict[str, int]]  # source -> split -> texts
    missing: dict[str, str]  # source -> why it was not used
    held_out_seen_in_training: dict[str, int]  # held-out texts whose exact text is also a training text
    head_tokens: int  # masked training tokens the head-only phase learns from
    masked_tokens: dict[str, int]  # held-out tokens scored, per source and overall
    perplexity: dict[str, dict[str, float]]  # "untrained_head" / "before" / "after" -> source -> value
    train_loss: dict[str, list[float]]  # "head" / "encoder" -> per epoch
    throughput: dict[str, float]  # head: masked tokens/s; encoder: texts/s
    seconds: dict[str, float]
    device: str
    healthfm_version: str = field(default=__version__)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["out"] = str(self.out)
        out["config"] = self.config.to_dict()
        return out


class _Phase:
    """Numbers a phase's epochs after the earlier phase's on the caller's progress sink."""

    def __init__(self, sink: ProgressSink, offset: int) -> None:
        self.sink, self.offset = sink, offset

    def start(self, epoch: int, total_batches: int) -> None:
        self.sink.start(epoch + self.offset, total_batches)

    def advance(self, loss: float, samples_per_s: float) -> None:
        self.sink.advance(loss, samples_per_s)

    def end_epoch(self, record: EpochRecord) -> None:
        self.sink.end_epoch(dataclasses.replace(record, epoch=record.epoch + self.offset))


def _check_out(out: Path, source: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the adapted model")
    if out.resolve() == source.resolve():
        raise UsageError(f"--out {out} is the source model's folder; write the adapted model elsewhere")
    if out.is_dir() and any(out.iterdir()) and not (out / RESULT_FILE).is_file():
        raise UsageError(
            f"--out {out} is not empty and holds no earlier pretrain-text output; give a new folder"
        )


def _loader(n: int, batch_size: int, collate: Callable[[Sequence[int]], Batch], seed: int) -> DataLoader[Any]:
    return DataLoader(
        range(n),  # type: ignore[arg-type]  # any sized, indexable sequence serves
        batch_size=batch_size,
        shuffle=True,
        collate_fn=collate,
        generator=torch.Generator().manual_seed(seed),
    )


def _train_config(config: TextMLMConfig, epochs: int, lr: float, batch_size: int) -> TrainConfig:
    return TrainConfig(
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        weight_decay=config.weight_decay,
        warmup_frac=config.warmup_frac,
        patience=epochs,  # no early stopping: nothing here is scored on a tuning split
        seed=config.seed,
        device=config.device,
    )


def adapt_text_encoder(
    store: PatientStore | None,
    out: Path,
    config: TextMLMConfig | None = None,
    *,
    progress: ProgressSink | None = None,
    stage: Callable[[str], None] | None = None,
) -> TextMLMResult:
    """Continue MLM pretraining of `config.model_dir` on the cohort's notes and the IU reports; write the
    adapted encoder to `out` (a folder `TextConfig(model_dir=out)` loads) with `out/text_mlm.json`.

    The head-only phase trains on the frozen encoder's states at one fixed masking of the training texts,
    computed once (kept in memory); the whole-encoder phase masks every batch afresh. `progress` gets one
    bar per epoch, head epochs first; `stage(message)` says what runs and which source is missing.
    """
    config = config or TextMLMConfig()
    say = stage or (lambda _message: None)
    started = time.perf_counter()
    source = resolve_text_model(config.model_dir)
    out = Path(out)
    _check_out(out, source)
    corpus = build_corpus(store, config)
    for name, why in corpus.missing.items():
        say(f"{name}: {why}")
    train_texts, held_texts = corpus.split("train"), corpus.split("held_out")
    if not train_texts:
        reasons = "; ".join(f"{name}: {why}" for name, why in corpus.missing.items())
        raise UsageError(f"no training text for masked-LM pretraining ({reasons})")
    if not held_texts:
        raise UsageError(f"no held-out text to measure perplexity on (sources: {', '.join(train_texts)})")

    tokenizer = load_tokenizer(str(source))
    masking = _Masking(tokenizer, config.mask_prob)

    def encode(texts: list[str]) -> list[list[int]]:
        return [list(r) for r in tokenizer(texts, truncation=True, max_length=config.max_length)["input_ids"]]

    rows = [row for texts in train_texts.values() for row in encode(texts)]
    held = {
        name: MaskedTexts.fixed(encode(texts), masking, derive_seed(config.seed, name, "held_out"))
        for name, texts in held_texts.items()
    }
    seen = {name: len(set(held_texts[name]) & set(train_texts.get(name, []))) for name in held_texts}
    seconds = {"corpus": time.perf_counter() - started}

    torch.manual_seed(config.seed)  # the new head's initialisation
    model = MaskedTextModel(source)
    if config.max_length > model.mlm.config.max_position_embeddings:
        raise UsageError(
            f"max_length {config.max_length} exceeds the model's {model.mlm.config.max_position_embeddings} "
            "positions"
        )
    counts = torch.bincount(torch.tensor([t for row in rows for t in row]), minlength=masking.vocab_size)
    counts[masking.special_ids] = 0
    model.set_output_prior(counts)
    model.freeze_encoder(True)
    device = choose_device(prefer=config.device)
    model.to(device)
    t = time.perf_counter()
    say(f"encoding {sum(map(len, held_texts.values())):,} held-out and {len(rows):,} training texts")
    original = {name: encoder_states(model, texts, config.batch_size, device) for name, texts in held.items()}
    perplexity = {"untrained_head": perplexities(model, original)}
    fixed = MaskedTexts.fixed(rows, masking, derive_seed(config.seed, "head"))
    states, labels = encoder_states(model, fixed, config.batch_size, device)
    seconds["encode_original"] = time.perf_counter() - t

    with tempfile.TemporaryDirectory(prefix="healthfm-text-mlm-") as work:
        say(f"training the MLM head on the frozen encoder: {len(labels):,} masked tokens")
        head = train(
            model,
            _loader(len(labels), config.head_batch_tokens, _StatesCollator(states, labels), config.seed),
            _train_config(config, config.head_epochs, config.head_lr, config.head_batch_tokens),
            out_dir=Path(work) / "head",
            progress=None if progress is None else _Phase(progress, 0),
        )
        del states, labels
        perplexity["before"] = perplexities(model, original)
        say(f"continued pretraining of the whole encoder on {len(rows):,} texts")
        model.freeze_encoder(False)
        collate = _TextCollator(rows, masking, derive_seed(config.seed, "encoder"))
        encoder = train(
            model,
            _loader(len(rows), config.batch_size, collate, config.seed),
            _train_config(config, config.epochs, config.lr, config.batch_size),
            out_dir=Path(work) / "encoder",
            progress=None if progress is None else _Phase(progress, config.head_epochs),
        )
    seconds["head"], seconds["encoder"] = head.seconds, encoder.seconds
    t = time.perf_counter()
    adapted = {name: encoder_states(model, texts, config.batch_size, device) for name, texts in held.items()}
    perplexity["after"] = perplexities(model, adapted)
    seconds["score_adapted"] = time.perf_counter() - t

    masked = {name: texts.masked_tokens for name, texts in held.items()}
    result = TextMLMResult(
        out=out,
        source_model=str(source),
        config=config,
        corpus=corpus.sizes(),
        missing=corpus.missing,
        held_out_seen_in_training=seen,
        head_tokens=fixed.masked_tokens,
        masked_tokens=masked | {OVERALL: sum(masked.values())},
        perplexity=perplexity,
        train_loss={
            "head": [r.train_loss for r in head.history],
            "encoder": [r.train_loss for r in encoder.history],
        },
        throughput={"head_tokens_per_s": head.samples_per_s, "encoder_texts_per_s": encoder.samples_per_s},
        seconds=seconds,
        device=str(device),
    )
    # staged beside `out`, then swapped in: `out` is never a half-written model folder
    t = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}-partial-", dir=out.parent))
    try:
        model.save_encoder(staged)
        seconds["save"] = time.perf_counter() - t
        seconds["total"] = time.perf_counter() - started
        (staged / RESULT_FILE).write_text(json.dumps(result.to_dict(), indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)  # an earlier pretrain-text output: `_check_out` refused anything else
        staged.rename(out)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return result
