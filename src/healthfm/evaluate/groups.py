"""Who each sample is, for the fairness audit: sex, age band, race/ethnicity and site, read back from the
store's static facts and birth events (GENDER/*, MEDS_BIRTH, RACE/*, ETHNICITY/*, SITE/*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.ingest.fhir import OMB_ETHNICITIES, OMB_RACES
from healthfm.schema import BIRTH_CODE, Sample
from healthfm.store.patient_store import PatientStore

AGE_BANDS = ("18-44", "45-64", "65-74", "75-89", "90+")
_BAND_STARTS = (18, 45, 65, 75, 90)  # lower bound of each band, in years
UNDER_18 = "0-17"  # outside the audit's bands: shown as such rather than hidden in one of them
UNKNOWN = "unknown"
HISPANIC = "2135-2"
TWO_OR_MORE = "Two or more races"
COLUMNS = ("sex", "age_band", "race_ethnicity", "site")
_SEX = {"F": "female", "M": "male", "O": "other", "U": UNKNOWN}
# Band edges in microseconds, computed as the privacy gate computes its 90-year cap, so a capped birth
# is exactly 90 years before the patient's last event and lands in "90+".
_EDGES_US = np.array([round(y * 365.2425 * 86400 * 1_000_000) for y in _BAND_STARTS], np.int64)
_FACTS_SCHEMA = pa.schema([("subject_id", pa.int64()), ("time", pa.timestamp("us")), ("code", pa.string())])


def patient_groups(store: PatientStore, samples: Sequence[Sample]) -> pd.DataFrame:
    """One row per sample, in order, indexed by subject_id: `sex`, `age_band` (age at the sample's
    prediction time), `race_ethnicity` (Hispanic or Latino whatever the race, else the OMB race,
    "Two or more races", or "unknown") and `site` (the SITE/ code's value, or "unknown").

    The privacy gate shifts all of a patient's times by one offset, so ages survive it; births capped at
    90 years stay in "90+". Reads only static facts and births, in one pass over the store's shards.
    """
    ids = np.fromiter((s.subject_id for s in samples), np.int64, len(samples))
    facts = _facts(store, np.unique(ids))
    sex: dict[int, str] = {}
    birth: dict[int, int] = {}
    races: dict[int, list[str]] = {}
    ethnicity: dict[int, set[str]] = {}
    site: dict[int, str] = {}
    subjects = facts.column("subject_id").to_pylist()
    times = facts.column("time").cast(pa.int64()).to_pylist()
    for sid, t, code in zip(subjects, times, facts.column("code").to_pylist(), strict=True):
        kind, _, value = code.partition("/")
        if code == BIRTH_CODE:
            if t is not None and (sid not in birth or t < birth[sid]):
                birth[sid] = t
        elif t is not None:
            continue
        elif kind == "GENDER":
            sex.setdefault(sid, _SEX.get(value, UNKNOWN))
        elif kind == "RACE" and value not in races.setdefault(sid, []):
            races[sid].append(value)
        elif kind == "ETHNICITY":
            ethnicity.setdefault(sid, set()).add(value)
        elif kind == "SITE" and value:
            site.setdefault(sid, value)
    rows = [
        (
            sex.get(sid, UNKNOWN),
            _age_band(birth.get(sid), s.prediction_time),
            _race_ethnicity(races.get(sid, []), ethnicity.get(sid, set())),
            site.get(sid, UNKNOWN),
        )
        for sid, s in zip(ids.tolist(), samples, strict=True)
    ]
    index = pd.Index(ids, name="subject_id")
    return pd.DataFrame(rows, index=index, columns=list(COLUMNS), dtype=object)


def _facts(store: PatientStore, subjects: np.ndarray) -> pa.Table:
    """Static facts and births of `subjects`: (subject_id, time, code)."""
    wanted = pa.array(subjects, pa.int64())
    parts = []
    for _, table in store.iter_shards(["subject_id", "time", "code"]):
        code, time = table.column("code"), table.column("time")
        keep = pc.and_(
            pc.is_in(table.column("subject_id"), value_set=wanted),
            pc.or_(pc.is_null(time), pc.fill_null(pc.equal(code, BIRTH_CODE), False)),
        )
        parts.append(table.filter(keep))
    if not parts:
        return _FACTS_SCHEMA.empty_table()
    return pa.concat_tables(parts)


def _age_band(birth_us: int | None, when: dt.datetime) -> str:
    if birth_us is None:
        return UNKNOWN
    if when.tzinfo is not None:  # store times are naive UTC
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    age_us = (when - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1) - birth_us
    band = int(np.searchsorted(_EDGES_US, age_us, side="right")) - 1
    return AGE_BANDS[band] if band >= 0 else UNDER_18


def _race_ethnicity(races: list[str], ethnicity: set[str]) -> str:
    if HISPANIC in ethnicity:
        return OMB_ETHNICITIES[HISPANIC]
    if len(races) > 1:
        return TWO_OR_MORE
    if races:
        return OMB_RACES.get(races[0], races[0])
    return UNKNOWN
