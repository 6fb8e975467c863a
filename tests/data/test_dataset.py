"""SampleDataset, collate and make_loader: typed batches, masks, problems, no leakage, targets."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
import torch
from torch.utils.data import DistributedSampler

from healthfm.data import (
    Item,
    Processor,
    SampleDataset,
    build_processors,
    collate,
    fit_processors,
    make_loader,
)
from healthfm.errors import DataError, StoreError, UsageError
from healthfm.schema import Batch, Modality, PatientTimeline, Sample
from healthfm.store.blobs import BlobMeta
from healthfm.store.patient_store import PatientStore
from tests.data.conftest import FakeStore, at, ecg_meta, ev, first_code_samples, timeline

# (key, dtype, shape after the batch axis: ints are fixed, "L" the batch's token count)
CONTRACT: dict[Modality, list[tuple[str, torch.dtype]]] = {
    Modality.EVENTS: [
        ("codes", torch.int64),
        ("values", torch.float32),
        ("has_value", torch.bool),
        ("delta_days", torch.float32),
        ("age_years", torch.float32),
        ("token_mask", torch.bool),
    ],
    Modality.TABULAR: [
        ("numeric", torch.float32),
        ("numeric_present", torch.bool),
        ("categorical", torch.int64),
    ],
    Modality.TEXT: [("input_ids", torch.int64), ("attention_mask", torch.int64)],
    Modality.IMAGE: [("pixels", torch.float32)],
    Modality.SIGNAL: [("signal", torch.float32), ("lead_mask", torch.bool)],
}


def _check_contract(batch: Batch, processors: dict[Modality, Processor]) -> None:
    b = batch.size
    assert set(batch.inputs) == set(processors)
    for modality, inp in batch.inputs.items():
        assert inp.mask.dtype == torch.bool and tuple(inp.mask.shape) == (b,)
        assert sorted(inp.values) == sorted(k for k, _ in CONTRACT[modality])
        for key, dtype in CONTRACT[modality]:
            value = inp.values[key]
            assert value.dtype == dtype, (modality, key)
            assert value.shape[0] == b
            if dtype.is_floating_point:
                assert torch.isfinite(value).all(), (modality, key)
            absent = ~inp.mask
            assert not value[absent].any(), f"{modality}/{key}: absent rows must be zeros"
    opts = {m: p.encoder_options() for m, p in processors.items()}
    ev_in, tab, sig = (
        batch.inputs[Modality.EVENTS],
        batch.inputs[Modality.TABULAR],
        batch.inputs[Modality.SIGNAL],
    )
    assert ev_in.values["codes"].shape[1] <= opts[Modality.EVENTS]["max_len"]
    assert int(ev_in.values["codes"].max()) < opts[Modality.EVENTS]["vocab_size"]
    assert (ev_in.values["delta_days"] >= 0).all()
    assert tuple(tab.values["numeric"].shape) == (b, opts[Modality.TABULAR]["n_numeric"])
    assert tab.values["categorical"].shape[1] == len(opts[Modality.TABULAR]["categorical_cardinalities"])
    assert tuple(batch.inputs[Modality.TEXT].values["input_ids"].shape) == (
        b,
        opts[Modality.TEXT]["max_length"],
    )
    assert tuple(batch.inputs[Modality.IMAGE].values["pixels"].shape) == (
        b,
        1,
        *opts[Modality.IMAGE]["img_size"],
    )
    n_leads, n = opts[Modality.SIGNAL]["n_leads"], opts[Modality.SIGNAL]["n_samples"]
    assert tuple(sig.values["signal"].shape) == (b, n_leads, n) and tuple(sig.values["lead_mask"].shape) == (
        b,
        n_leads,
    )


def test_every_batch_follows_the_encoder_contract(
    cohort_store: PatientStore, all_samples: list[Sample], fitted: dict[Modality, Processor]
) -> None:
    ds = SampleDataset(cohort_store, all_samples, fitted)
    seen: list[int] = []
    ds.materialize(progress=lambda done, total: seen.append(done))
    assert seen == list(range(1, len(all_samples) + 1))
    assert ds.problems == []
    coverage = ds.coverage()
    assert coverage[Modality.EVENTS] == coverage[Modality.TEXT] == len(ds)
    assert 0 < coverage[Modality.IMAGE] < len(ds)  # some patients never had a radiograph
    present = {m: 0 for m in fitted}
    for batch in make_loader(ds, fitted, "binary", batch_size=16, train=True, shuffle=True, seed=1):
        _check_contract(batch, fitted)
        assert batch.targets is not None and batch.targets.dtype == torch.float32
        for m, inp in batch.inputs.items():
            present[m] += int(inp.mask.sum())
    assert present == coverage
    assert ds[0] is ds[0]  # cached


def test_absent_modalities_are_masked_at_an_early_prediction_time(
    cohort_store: PatientStore, fitted: dict[Modality, Processor]
) -> None:
    samples = first_code_samples(cohort_store, cohort_store.subjects()[:30], "SNOMED/33367005")
    ds = SampleDataset(cohort_store, samples, fitted)
    batch = collate([ds[i] for i in range(len(ds))], fitted, "binary")
    _check_contract(batch, fitted)
    for m, inp in batch.inputs.items():
        assert inp.mask.tolist() == [ds[i].inputs[m] is not None for i in range(len(ds))]
    assert not batch.inputs[Modality.IMAGE].mask.all()


class _DamagedBlobs:
    """The store's blobs, with one missing and one cut to the wrong shape."""

    def __init__(self, inner: Any, missing: str, cut: str) -> None:
        self.inner, self.missing, self.cut = inner, missing, cut

    def get(self, uri: str, *, mmap: bool = False) -> tuple[np.ndarray, BlobMeta]:
        if uri == self.missing:
            raise StoreError(f"blob {uri} is not in the blob store")
        array, meta = self.inner.get(uri)
        return (array[:1, :1] if uri == self.cut else array), meta


class _Wrapped:
    def __init__(self, store: PatientStore, blobs: Any) -> None:
        self.store, self.blobs = store, blobs

    def timeline(self, subject_id: int) -> PatientTimeline:
        return self.store.timeline(subject_id)

    def subjects(self, split: str | None = None, *, consent_scope: str | None = None) -> np.ndarray:
        return self.store.subjects(split)


def test_a_corrupt_blob_masks_the_modality_and_is_recorded(
    cohort_store: PatientStore, all_samples: list[Sample], fitted: dict[Modality, Processor]
) -> None:
    ecgs: list[tuple[int, str]] = []
    for i, s in enumerate(all_samples):
        table = cohort_store.timeline(s.subject_id).table
        blobs = [
            b
            for m, b in zip(
                table.column("modality").to_pylist(), table.column("blob").to_pylist(), strict=True
            )
            if m == "signal"
        ]
        if blobs:
            ecgs.append((i, blobs[-1]))
    (i_missing, missing), (i_cut, cut), (i_ok, _) = ecgs[:3]
    store = _Wrapped(cohort_store, _DamagedBlobs(cohort_store.blobs, missing, cut))
    ds = SampleDataset(store, all_samples, fitted, cache=False)
    for i in (i_missing, i_cut, i_missing):  # without the cache items are rebuilt; problems recorded once
        item = ds[i]
        assert item.inputs[Modality.SIGNAL] is None and item.inputs[Modality.EVENTS] is not None
    assert ds[i_ok].inputs[Modality.SIGNAL] is not None
    assert [(p.index, p.modality) for p in ds.problems] == [
        (i_missing, Modality.SIGNAL),
        (i_cut, Modality.SIGNAL),
    ]
    for problem, uri, why in zip(
        ds.problems, (missing, cut), ("unreadable", "not leads × samples"), strict=True
    ):
        assert problem.subject_id == all_samples[problem.index].subject_id
        assert problem.prediction_time == all_samples[problem.index].prediction_time
        assert f"subject {problem.subject_id}, event 'ECG/12LEAD', blob '{uri}'" in problem.reason
        assert why in problem.reason
    batch = collate([ds[i_missing], ds[i_ok]], fitted, None)
    assert batch.inputs[Modality.SIGNAL].mask.tolist() == [False, True] and batch.targets is None
    s = all_samples[i_missing]
    with pytest.raises(DataError, match=missing):
        fitted[Modality.SIGNAL].transform(s, store.timeline(s.subject_id), blobs=store.blobs)


def _leaky_store() -> tuple[FakeStore, Sample]:
    rows = [
        ev(None, "GENDER/F"),
        ev(-20000, "MEDS_BIRTH"),
        ev(1, "LOINC/8480-6", 120.0),
        ev(1, "ICD10CM/I10"),
        ev(2, "LOINC/11488-4", text="past consult note", modality="text"),
        ev(3, "DICOM/DX", modality="image", blob="img://past"),
        ev(3, "ECG/12LEAD", modality="signal", blob="ecg://past"),
        ev(3, "cardiology-local/st-slope", text="up"),
        # everything below happens at or after the prediction time (day 5)
        ev(5, "LOINC/8480-6", 190.0),
        ev(5, "ICD10CM/I21.4"),
        ev(6, "LOINC/11488-4", text="future note infarction", modality="text"),
        ev(6, "DICOM/DX", modality="image", blob="img://future"),
        ev(6, "ECG/12LEAD", modality="signal", blob="ecg://future"),
        ev(6, "cardiology-local/st-slope", text="down"),
        ev(7, "RXNORM/FUTURE"),
    ]
    store = FakeStore([timeline(1, rows), timeline(2, [*rows[:8]])])
    rng = np.random.default_rng(0)
    for name in ("past", "future"):
        store.blobs.add(f"img://{name}", rng.normal(size=(64, 64)).astype(np.float32), BlobMeta(kind="image"))
        store.blobs.add(f"ecg://{name}", rng.normal(size=(12, 5000)).astype(np.float32), ecg_meta())
    return store, Sample(1, at(5), 1)


def test_nothing_at_or_after_the_prediction_time_enters_any_modality() -> None:
    store, sample = _leaky_store()
    options = {
        Modality.EVENTS: {"min_count": 1},
        Modality.TABULAR: {"min_frac": 0.0},
        Modality.IMAGE: {"size": 32},
    }
    # fitted on whole timelines, so the future codes are in the vocabulary and the feature lists
    everything = Sample(1, at(100), 1)
    processors = fit_processors(store, [everything], build_processors(list(Modality), options))
    leaky = SampleDataset(store, [sample], processors, visible=lambda tl, s: tl)  # a buggy task
    honest = SampleDataset(store, [sample], processors)
    a, b = leaky[0], honest[0]
    for m in processors:
        x, y = a.inputs[m], b.inputs[m]
        assert x is not None and y is not None, m
        for key in x:
            np.testing.assert_array_equal(x[key], y[key], err_msg=f"{m}/{key}")
    events = processors[Modality.EVENTS]
    codes = set(a.inputs[Modality.EVENTS]["codes"].tolist())  # type: ignore[index]
    for future in ("ICD10CM/I21.4", "RXNORM/FUTURE"):
        assert events.code_id(future) > 1 and events.code_id(future) not in codes  # type: ignore[attr-defined]
    tokenizer = processors[Modality.TEXT].tokenizer  # type: ignore[attr-defined]
    assert "future" not in tokenizer.decode(a.inputs[Modality.TEXT]["input_ids"].tolist())  # type: ignore[index]
    past_image = processors[Modality.IMAGE].prepare(store.blobs.get("img://past")[0])  # type: ignore[attr-defined]
    np.testing.assert_array_equal(a.inputs[Modality.IMAGE]["pixels"], past_image)  # type: ignore[index]
    past_ecg, _ = processors[Modality.SIGNAL].prepare(store.blobs.get("ecg://past")[0], 500.0, None)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(a.inputs[Modality.SIGNAL]["signal"], past_ecg)  # type: ignore[index]
    names = processors[Modality.TABULAR].feature_names  # type: ignore[attr-defined]
    answer = a.inputs[Modality.TABULAR]["categorical"][
        names["categorical"].index("cardiology-local/st-slope")
    ]  # type: ignore[index]
    assert answer == 2 + processors[Modality.TABULAR].categorical_codes_["cardiology-local/st-slope"].index(
        "up"
    )  # type: ignore[attr-defined]


def _items(labels: list[Any], **extra: Any) -> list[Item]:
    return [Item(i, at(i), {}, label, **extra) for i, label in enumerate(labels)]


def test_targets_per_task_kind() -> None:
    b = collate(_items([1, 0, 1]), {}, "binary")
    assert (
        b.targets is not None and b.targets.dtype == torch.float32 and b.targets.tolist() == [1.0, 0.0, 1.0]
    )
    b = collate(_items([2, 0, 1]), {}, "multiclass")
    assert b.targets is not None and b.targets.dtype == torch.int64 and b.targets.tolist() == [2, 0, 1]
    b = collate(_items([(1.0, 0.0), (0.0, 0.0), (1.0, 1.0)]), {}, "multilabel")
    assert b.targets is not None and b.targets.dtype == torch.float32 and tuple(b.targets.shape) == (3, 2)
    b = collate(_items([1.5, -2.0, 0.25]), {}, "regression")
    assert b.targets is not None and b.targets.tolist() == [1.5, -2.0, 0.25] and b.event_observed is None
    surv = [
        Item(i, at(i), {}, None, event_time_days=t, event_observed=o)
        for i, (t, o) in enumerate([(3.0, True), (9.0, False)])
    ]
    b = collate(surv, {}, "survival")
    assert b.targets is not None and b.targets.dtype == torch.float32 and b.targets.tolist() == [3.0, 9.0]
    assert (
        b.event_observed is not None
        and b.event_observed.dtype == torch.bool
        and b.event_observed.tolist() == [True, False]
    )
    assert collate(_items([None, None]), {}, "binary").targets is None
    assert b.subject_ids.dtype == torch.int64
    with pytest.raises(UsageError, match="unknown task kind"):
        collate(_items([1]), {}, "ranking")
    with pytest.raises(UsageError, match="mixes labelled and unlabelled"):
        collate(_items([1, None]), {}, "binary")
    with pytest.raises(UsageError, match="event_time_days"):
        collate(_items([1]), {}, "survival")
    with pytest.raises(UsageError, match="do not fit"):
        collate(_items([(1.0, 0.0), (1.0,)]), {}, "multilabel")


def test_loader_with_distributed_sampler_and_seeded_augmentation(
    cohort_store: PatientStore, all_samples: list[Sample], fitted: dict[Modality, Processor]
) -> None:
    ds = SampleDataset(cohort_store, all_samples[:20], fitted)
    seen: list[int] = []
    for rank in (0, 1):
        sampler = DistributedSampler(ds, num_replicas=2, rank=rank, shuffle=True, seed=3)
        for batch in make_loader(ds, fitted, "binary", batch_size=4, train=True, sampler=sampler, seed=rank):
            seen += batch.subject_ids.tolist()
    assert sorted(seen) == sorted(s.subject_id for s in all_samples[:20])

    def pixels(seed: int) -> torch.Tensor:
        loader = make_loader(ds, fitted, "binary", batch_size=20, shuffle=True, train=True, seed=seed)
        return next(iter(loader)).inputs[Modality.IMAGE].values["pixels"]

    assert torch.equal(pixels(7), pixels(7)) and not torch.equal(pixels(7), pixels(8))
    with pytest.raises(UsageError, match="batch_size"):
        make_loader(ds, fitted, "binary", batch_size=0)


def test_loader_with_worker_processes() -> None:
    store, sample = _leaky_store()
    processors = fit_processors(store, [sample], build_processors([Modality.EVENTS, Modality.SIGNAL]))
    samples = [dataclasses.replace(sample, prediction_time=at(d)) for d in (4, 5, 6, 8)]
    ds = SampleDataset(store, samples, processors)
    ds.materialize()
    loader = make_loader(ds, processors, "binary", batch_size=2, train=True, num_workers=1, seed=0)
    batches = list(loader)
    assert [b.size for b in batches] == [2, 2]
    assert all(b.inputs[Modality.SIGNAL].mask.all() for b in batches)


def test_fit_refuses_subjects_outside_the_train_split(
    cohort_store: PatientStore, all_samples: list[Sample]
) -> None:
    held_out = set(cohort_store.subjects("held_out").tolist())
    outside = [s for s in all_samples if s.subject_id in held_out]
    with pytest.raises(UsageError, match="outside the train split"):
        fit_processors(cohort_store, outside, build_processors([Modality.EVENTS]))
    procs = fit_processors(
        cohort_store, outside, build_processors([Modality.EVENTS]), require_train_split=False
    )
    assert procs[Modality.EVENTS].encoder_options()["vocab_size"] > 2
