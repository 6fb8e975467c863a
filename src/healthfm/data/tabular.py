"""Static and last-value features: the input of the tabular encoder (and of the tabular baselines).

Numeric features are the last value before the prediction time of each frequent numeric code, plus the
age at prediction time, quantile-normalised on the training samples. Categorical features are sex, the
presence of frequent diagnosis and medication codes, and the last answer of frequent categorical codes
(an event with a short `text_value` and no number, e.g. an ST-slope "flat").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import torch

from healthfm.data.base import (
    PROCESSORS,
    US_PER_YEAR,
    Arrays,
    BlobSource,
    VisibleRows,
    check_fitted,
    float_list,
    visible_rows,
)
from healthfm.data.events import longest_per_subject
from healthfm.data.quantiles import fit_quantiles, quantile_normal
from healthfm.errors import UsageError
from healthfm.schema import Modality, ModalityInput, PatientTimeline, Sample

MISSING, UNKNOWN, ABSENT, PRESENT = 0, 1, 2, 3
AGE_FEATURE = "age_years"
SEX_FEATURE = "sex"
_MAX_CATEGORY_CHARS = 64


class _Raw:
    """One sample's raw features before normalisation and category lookup."""

    __slots__ = ("answers", "codes", "last_text", "last_value", "sex")

    def __init__(self) -> None:
        self.last_value: dict[str, float] = {}
        self.last_text: dict[str, str] = {}
        self.answers: set[tuple[str, str]] = set()  # every (code, answer), for the category lists
        self.codes: set[str] = set()
        self.sex: str | None = None


def _read(rows: VisibleRows) -> tuple[_Raw, float | None] | None:
    if len(rows) == 0:
        return None
    raw = _Raw()
    events = np.flatnonzero(rows.of(Modality.EVENTS))
    codes, nums, texts = rows.codes[events].tolist(), rows.numeric[events], rows.text[events].tolist()
    finite = np.isfinite(nums).tolist()
    for code, value, has_value, text in zip(codes, nums.tolist(), finite, texts, strict=True):
        raw.codes.add(code)  # rows run oldest → newest: the last assignment is the last value
        if has_value:
            raw.last_value[code] = value
        elif text is not None and 0 < len(text) <= _MAX_CATEGORY_CHARS:
            raw.last_text[code] = text
            raw.answers.add((code, text))
        if code.startswith("GENDER/"):
            raw.sex = code
    age = None if rows.birth_us is None else max(rows.prediction_us - rows.birth_us, 0) / US_PER_YEAR
    return raw, age


@PROCESSORS.register("tabular")
class TabularProcessor:
    """Last values of frequent numeric codes + age; sex, presence flags and categorical answers.

    Parameters:
        min_frac: a code becomes a feature when at least this fraction of training subjects have it.
        max_numeric / max_flags / max_categorical: caps on each feature group (most frequent first).
        max_categories: categories kept per categorical code (most frequent; others → unknown).
        flag_prefixes: code prefixes whose presence becomes a flag (diagnoses, medications).
        n_quantiles: quantiles kept per numeric feature.

    Categorical ids: 0 = missing, 1 = unknown (unseen in training), 2+ = values; presence flags are
    2 = absent, 3 = present.
    """

    name: ClassVar[str] = "tabular"
    modality: ClassVar[Modality] = Modality.TABULAR

    def __init__(
        self,
        min_frac: float = 0.05,
        max_numeric: int = 64,
        max_flags: int = 64,
        max_categorical: int = 16,
        max_categories: int = 16,
        flag_prefixes: Sequence[str] = ("ICD10CM/", "ICD9CM/", "RXNORM/", "ATC/"),
        n_quantiles: int = 32,
    ) -> None:
        if not 0.0 <= min_frac <= 1.0:
            raise UsageError(f"TabularProcessor: min_frac must lie in [0, 1], got {min_frac}")
        if n_quantiles < 2:
            raise UsageError(f"TabularProcessor: n_quantiles must be >= 2, got {n_quantiles}")
        self.min_frac = min_frac
        self.max_numeric = max_numeric
        self.max_flags = max_flags
        self.max_categorical = max_categorical
        self.max_categories = max_categories
        self.flag_prefixes = tuple(flag_prefixes)
        self.n_quantiles = n_quantiles
        self.numeric_codes_: list[str] | None = None
        self.quantiles_: list[np.ndarray[Any, np.dtype[np.float64]]] | None = None
        self.sex_categories_: list[str] | None = None
        self.flag_codes_: list[str] | None = None
        self.categorical_codes_: dict[str, list[str]] | None = None

    def fit(self, items: Iterable[tuple[Sample, PatientTimeline]]) -> Self:
        items = list(items)
        numeric: Counter[str] = Counter()
        flags: Counter[str] = Counter()
        answers: dict[str, Counter[str]] = defaultdict(Counter)
        answered: Counter[str] = Counter()
        sexes: set[str] = set()
        subjects = longest_per_subject(items)
        for rows in subjects:
            read = _read(rows)
            if read is None:
                continue
            raw = read[0]
            numeric.update(raw.last_value.keys())
            flags.update(c for c in raw.codes if c.startswith(self.flag_prefixes))
            answered.update(raw.last_text.keys())
            for code, text in raw.answers:
                answers[code][text] += 1
            if raw.sex is not None:
                sexes.add(raw.sex)
        need = max(1, int(np.ceil(self.min_frac * len(subjects))))

        def top(counts: Counter[str], cap: int) -> list[str]:
            frequent = [c for c, n in counts.items() if n >= need]
            return sorted(frequent, key=lambda c: (-counts[c], c))[:cap]

        self.numeric_codes_ = top(numeric, self.max_numeric)
        self.flag_codes_ = top(flags, self.max_flags)
        self.categorical_codes_ = {
            code: sorted(answers[code], key=lambda a: (-answers[code][a], a))[: self.max_categories]
            for code in top(answered, self.max_categorical)
        }
        self.sex_categories_ = sorted(sexes)
        # quantiles of what the model sees: each training sample's last values
        per_feature: list[list[float]] = [[] for _ in range(len(self.numeric_codes_) + 1)]
        for sample, timeline in items:
            read = _read(visible_rows(sample, timeline))
            if read is None:
                continue
            raw, age = read
            for j, code in enumerate(self.numeric_codes_):
                if code in raw.last_value:
                    per_feature[j].append(raw.last_value[code])
            if age is not None:
                per_feature[-1].append(age)
        self.quantiles_ = [fit_quantiles(np.asarray(v), self.n_quantiles) for v in per_feature]
        return self

    @property
    def feature_names(self) -> dict[str, list[str]]:
        check_fitted(self, "quantiles_")
        assert self.numeric_codes_ is not None and self.flag_codes_ is not None
        assert self.categorical_codes_ is not None
        return {
            "numeric": [*self.numeric_codes_, AGE_FEATURE],
            "categorical": [SEX_FEATURE, *self.flag_codes_, *self.categorical_codes_],
        }

    def categorical_cardinalities(self) -> list[int]:
        """Ids per categorical column, 0 (missing) and 1 (unknown) included."""
        check_fitted(self, "quantiles_")
        assert self.sex_categories_ is not None and self.flag_codes_ is not None
        assert self.categorical_codes_ is not None
        return [
            2 + len(self.sex_categories_),
            *([PRESENT + 1] * len(self.flag_codes_)),
            *(2 + len(cats) for cats in self.categorical_codes_.values()),
        ]

    def transform(
        self, sample: Sample, visible: PatientTimeline, *, blobs: BlobSource | None = None
    ) -> Arrays | None:
        check_fitted(self, "quantiles_")
        assert self.numeric_codes_ is not None and self.quantiles_ is not None
        assert self.sex_categories_ is not None and self.flag_codes_ is not None
        assert self.categorical_codes_ is not None
        read = _read(visible_rows(sample, visible))
        if read is None:
            return None
        raw, age = read
        n_numeric = len(self.numeric_codes_) + 1
        numeric = np.zeros(n_numeric, dtype=np.float32)
        present = np.zeros(n_numeric, dtype=bool)
        values = [raw.last_value.get(code) for code in self.numeric_codes_] + [age]
        for j, value in enumerate(values):
            if value is not None and self.quantiles_[j].size:
                numeric[j] = quantile_normal(np.asarray([value]), self.quantiles_[j])[0]
                present[j] = True
        sex = MISSING if raw.sex is None else _category(raw.sex, self.sex_categories_)
        flags = [PRESENT if code in raw.codes else ABSENT for code in self.flag_codes_]
        answers = [
            MISSING if code not in raw.last_text else _category(raw.last_text[code], cats)
            for code, cats in self.categorical_codes_.items()
        ]
        return {
            "numeric": numeric,
            "numeric_present": present,
            "categorical": np.asarray([sex, *flags, *answers], dtype=np.int64),
        }

    def collate(
        self,
        items: Sequence[Arrays | None],
        *,
        train: bool = False,
        generator: torch.Generator | None = None,
    ) -> ModalityInput:
        names = self.feature_names
        b, f, c = len(items), len(names["numeric"]), len(names["categorical"])
        numeric = np.zeros((b, f), dtype=np.float32)
        present = np.zeros((b, f), dtype=bool)
        categorical = np.zeros((b, c), dtype=np.int64)
        for row, item in enumerate(items):
            if item is not None:
                numeric[row], present[row], categorical[row] = (
                    item["numeric"],
                    item["numeric_present"],
                    item["categorical"],
                )
        return ModalityInput(
            values={
                "numeric": torch.from_numpy(numeric),
                "numeric_present": torch.from_numpy(present),
                "categorical": torch.from_numpy(categorical),
            },
            mask=torch.tensor([it is not None for it in items], dtype=torch.bool),
        )

    def encoder_options(self) -> dict[str, Any]:
        names = self.feature_names
        return {
            "n_numeric": len(names["numeric"]),
            "categorical_cardinalities": self.categorical_cardinalities(),
            "feature_names": names,
        }

    def state(self) -> dict[str, Any]:
        check_fitted(self, "quantiles_")
        assert self.quantiles_ is not None
        return {
            "params": {
                "min_frac": self.min_frac,
                "max_numeric": self.max_numeric,
                "max_flags": self.max_flags,
                "max_categorical": self.max_categorical,
                "max_categories": self.max_categories,
                "flag_prefixes": list(self.flag_prefixes),
                "n_quantiles": self.n_quantiles,
            },
            "numeric_codes": list(self.numeric_codes_ or []),
            "quantiles": [float_list(q) for q in self.quantiles_],
            "sex_categories": list(self.sex_categories_ or []),
            "flag_codes": list(self.flag_codes_ or []),
            "categorical_codes": {k: list(v) for k, v in (self.categorical_codes_ or {}).items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        proc = cls(**state["params"])
        proc.numeric_codes_ = list(state["numeric_codes"])
        proc.quantiles_ = [np.asarray(q, dtype=np.float64) for q in state["quantiles"]]
        proc.sex_categories_ = list(state["sex_categories"])
        proc.flag_codes_ = list(state["flag_codes"])
        proc.categorical_codes_ = {k: list(v) for k, v in state["categorical_codes"].items()}
        return proc


def _category(value: str, categories: list[str]) -> int:
    try:
        return categories.index(value) + 2
    except ValueError:
        return UNKNOWN
