"""Coded events → token ids, normalised values and times: the input of the events encoder.

Every visible event becomes one token: its code (a vocabulary id), its numeric value (quantile-normalised
per code), the days before the prediction time and the subject's age at the event. Notes, images and
waveforms enter as plain code tokens (their payloads belong to their own encoders).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import torch

from healthfm.data.base import (
    PROCESSORS,
    US_PER_DAY,
    US_PER_YEAR,
    Arrays,
    BlobSource,
    VisibleRows,
    check_fitted,
    float_list,
    visible_rows,
)
from healthfm.data.quantiles import fit_quantiles, quantile_normal
from healthfm.errors import UsageError
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample

PAD_ID = 0
UNKNOWN_ID = 1
_KEYS: dict[str, type[np.generic]] = {
    "codes": np.int64,
    "values": np.float32,
    "has_value": np.bool_,
    "delta_days": np.float32,
    "age_years": np.float32,
    "token_mask": np.bool_,
}


def longest_per_subject(items: Iterable[tuple[Sample, PatientTimeline]]) -> list[VisibleRows]:
    """Each training subject once, through its longest visible timeline.

    A subject with several samples must not weigh more in the vocabulary or the value distributions.
    """
    best: dict[int, VisibleRows] = {}
    for sample, timeline in items:
        rows = visible_rows(sample, timeline)
        kept = best.get(sample.subject_id)
        if kept is None or len(rows) > len(kept):
            best[sample.subject_id] = rows
    return [best[k] for k in sorted(best)]


@PROCESSORS.register("events")
class EventsProcessor:
    """Code vocabulary with a frequency cut-off, per-code quantile normalisation, times and ages.

    Parameters:
        max_len: tokens per sample; static facts first, then the `max_len - n_static` MOST RECENT events.
        min_count: a code enters the vocabulary when at least this many training subjects have it;
            rarer codes (and codes never seen in training) map to the unknown id 1.
        n_quantiles: quantiles kept per numeric code.
        max_vocab: keep at most this many codes (the most frequent); None = no cap.
        include_other_modalities: notes, images and waveforms add their code as a token.

    Output per sample (L = number of tokens <= max_len; collate pads to the batch's longest row):
    codes int64, values float32 (standard normal score of the value within its code's training
    distribution, 0 where none), has_value bool (the event carries a value the normaliser knows),
    delta_days float32 (days before the prediction time; 0 for static facts, which hold at prediction
    time), age_years float32 (age at the event; static facts: age at prediction time; 0 when the birth
    date is unknown), token_mask bool.
    """

    name: ClassVar[str] = "events"
    modality: ClassVar[Modality] = Modality.EVENTS

    def __init__(
        self,
        max_len: int = 256,
        min_count: int = 3,
        n_quantiles: int = 32,
        max_vocab: int | None = None,
        include_other_modalities: bool = True,
    ) -> None:
        if max_len < 1:
            raise UsageError(f"EventsProcessor: max_len must be >= 1, got {max_len}")
        if min_count < 1:
            raise UsageError(f"EventsProcessor: min_count must be >= 1, got {min_count}")
        if n_quantiles < 2:
            raise UsageError(f"EventsProcessor: n_quantiles must be >= 2, got {n_quantiles}")
        self.max_len = max_len
        self.min_count = min_count
        self.n_quantiles = n_quantiles
        self.max_vocab = max_vocab
        self.include_other_modalities = include_other_modalities
        self.vocab_: list[str] | None = None  # index i + 2 is the id of vocab_[i]
        self.quantiles_: dict[str, np.ndarray[Any, np.dtype[np.float64]]] | None = None
        self._ids: dict[str, int] = {}

    # -- fitting -------------------------------------------------------------------------------------

    def _kept(self, rows: VisibleRows) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Indices of the rows that become tokens (in time order)."""
        if self.include_other_modalities:
            return np.arange(len(rows))
        return np.flatnonzero(rows.of(Modality.EVENTS))

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Self:
        subjects: Counter[str] = Counter()
        values: dict[str, list[np.ndarray[Any, Any]]] = defaultdict(list)
        for rows in longest_per_subject(items):
            kept = self._kept(rows)
            codes, nums = rows.codes[kept], rows.numeric[kept]
            subjects.update(set(codes.tolist()))
            finite = np.isfinite(nums)
            for code in set(codes[finite].tolist()):
                values[code].append(nums[finite & (codes == code)])
        ranked = sorted(
            (c for c, n in subjects.items() if n >= self.min_count), key=lambda c: (-subjects[c], c)
        )
        if self.max_vocab is not None:
            ranked = ranked[: self.max_vocab]
        self.vocab_ = sorted(ranked)
        self.quantiles_ = {
            code: fit_quantiles(np.concatenate(values[code]), self.n_quantiles)
            for code in self.vocab_
            if code in values
        }
        self._ids = {code: i + 2 for i, code in enumerate(self.vocab_)}
        return self

    @property
    def vocab_size(self) -> int:
        check_fitted(self, "vocab_")
        return len(self._ids) + 2

    def code_id(self, code: str) -> int:
        return self._ids.get(code, UNKNOWN_ID)

    # -- transform -----------------------------------------------------------------------------------

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None:
        check_fitted(self, "vocab_")
        assert self.quantiles_ is not None
        rows = visible_rows(sample, visible)
        kept = self._kept(rows)
        if kept.size == 0:
            return None
        # rows are sorted static facts first: keep those, then the most recent events
        n_static = int(rows.static[kept].sum())
        head = kept[: min(n_static, self.max_len)]
        room = self.max_len - head.size
        keep = np.concatenate([head, kept[max(kept.size - room, n_static) :] if room > 0 else kept[:0]])

        codes = rows.codes[keep]
        ids = np.fromiter((self._ids.get(c, UNKNOWN_ID) for c in codes), dtype=np.int64, count=keep.size)
        nums = rows.numeric[keep]
        values = np.zeros(keep.size, dtype=np.float32)
        has_value = np.zeros(keep.size, dtype=bool)
        finite = np.isfinite(nums)
        for code in set(codes[finite].tolist()):
            q = self.quantiles_.get(code)
            if q is None:
                continue
            hit = finite & (codes == code)
            values[hit] = quantile_normal(nums[hit], q)
            has_value[hit] = True

        t = rows.time_us[keep]  # static facts hold the prediction time
        delta_days = (rows.prediction_us - t).astype(np.float64) / US_PER_DAY
        age = (
            np.zeros(keep.size)
            if rows.birth_us is None
            else np.maximum(t - rows.birth_us, 0).astype(np.float64) / US_PER_YEAR
        )
        return {
            "codes": ids,
            "values": values,
            "has_value": has_value,
            "delta_days": delta_days.astype(np.float32),
            "age_years": age.astype(np.float32),
            "token_mask": np.ones(keep.size, dtype=bool),
        }

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput:
        length = max([1, *(int(it["codes"].shape[0]) for it in items if it is not None)])
        out: Arrays = {key: np.zeros((len(items), length), dtype=dtype) for key, dtype in _KEYS.items()}
        for row, item in enumerate(items):
            if item is None:
                continue
            n = int(item["codes"].shape[0])
            for key in _KEYS:
                out[key][row, :n] = item[key]
        present = torch.tensor([it is not None for it in items], dtype=torch.bool)
        return ModalityInput(values={k: torch.from_numpy(v) for k, v in out.items()}, mask=present)

    # -- saving --------------------------------------------------------------------------------------

    def encoder_options(self) -> dict[str, Any]:
        return {"vocab_size": self.vocab_size, "max_len": self.max_len}

    def state(self) -> dict[str, Any]:
        check_fitted(self, "vocab_")
        assert self.quantiles_ is not None
        return {
            "params": {
                "max_len": self.max_len,
                "min_count": self.min_count,
                "n_quantiles": self.n_quantiles,
                "max_vocab": self.max_vocab,
                "include_other_modalities": self.include_other_modalities,
            },
            "vocab": list(self.vocab_ or []),
            "quantiles": {code: float_list(q) for code, q in sorted(self.quantiles_.items())},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        proc = cls(**state["params"])
        proc.vocab_ = list(state["vocab"])
        proc.quantiles_ = {code: np.asarray(q, dtype=np.float64) for code, q in state["quantiles"].items()}
        proc._ids = {code: i + 2 for i, code in enumerate(proc.vocab_)}
        return proc
