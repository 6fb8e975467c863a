"""Unlabelled samples for pretraining: every consenting patient of a split, at one or more cut points.

A patient's first sample sees the whole record (prediction time one day after the last event); each
further sample cuts the record at a random event time (seeded), so pretraining also sees the partial
histories that downstream tasks predict from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow.compute as pc

from healthfm.schema import Sample
from healthfm.tasks._labels import to_datetime

if TYPE_CHECKING:
    from healthfm.store.patient_store import PatientStore

US_PER_DAY = 86_400_000_000


def pretraining_samples(
    store: PatientStore,
    split: str,
    *,
    cuts_per_patient: int = 2,
    seed: int = 0,
    consent_scope: str = "training",
    max_subjects: int | None = None,
) -> list[Sample]:
    """Samples with no label, sorted by subject and time; opted-out subjects are left out."""
    if cuts_per_patient < 1:
        raise ValueError(f"cuts_per_patient must be >= 1, got {cuts_per_patient}")
    wanted = np.asarray(store.subjects(split, consent_scope=consent_scope), np.int64)
    if max_subjects is not None:
        wanted = wanted[:max_subjects]
    times: dict[int, np.ndarray] = {}
    for _, table in store.iter_shards(columns=["subject_id", "time"]):
        timed = table.filter(pc.is_valid(table.column("time")))
        ids = np.asarray(timed.column("subject_id").to_numpy(), np.int64)
        us = timed.column("time").cast("int64").to_numpy()
        keep = np.isin(ids, wanted)
        ids, us = ids[keep], us[keep]
        order = np.lexsort((us, ids))
        ids, us = ids[order], us[order]
        bounds = np.flatnonzero(np.diff(ids)) + 1
        for chunk_ids, chunk_us in zip(np.split(ids, bounds), np.split(us, bounds), strict=True):
            if chunk_ids.size:
                times[int(chunk_ids[0])] = np.unique(chunk_us)
    rng = np.random.default_rng(seed)
    samples: list[Sample] = []
    for sid in sorted(times):
        distinct = times[sid]
        cuts = {int(distinct[-1]) + US_PER_DAY}
        candidates = distinct[1:]  # a cut keeps at least the first time point
        extra = min(cuts_per_patient - 1, candidates.size)
        if extra:
            cuts |= {int(c) for c in rng.choice(candidates, extra, replace=False)}
        samples.extend(Sample(sid, to_datetime(us), None, task="pretraining") for us in sorted(cuts))
    return samples
