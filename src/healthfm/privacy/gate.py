"""The privacy gate on the ingestion path: keyed pseudonyms, one date shift per patient, ages over
89 grouped, notes scrubbed of PHI.

The key is a secret kept away from the data (a file or an environment variable). Without it nobody can
turn a source identifier into its pseudonym, nor undo a date shift. Rotating the key means
re-ingesting from source into a new store: pseudonyms and shifts all change, so old and new stores
cannot be joined (that is the point); the old key is then destroyed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthfm.errors import UsageError
from healthfm.ingest.base import merge_identifiers
from healthfm.schema import BIRTH_CODE, Modality

if TYPE_CHECKING:
    from healthfm.privacy.phi import PhiScrubber

KEY_ENV = "HEALTHFM_PSEUDONYM_KEY"
KEY_FILE_ENV = "HEALTHFM_PSEUDONYM_KEY_FILE"
MAX_SHIFT_WEEKS = 52  # shifts are whole weeks (weekday patterns survive), ±1 to ±52 weeks
AGE_CAP_YEARS = 90  # HIPAA Safe Harbor: ages over 89 are reported as 90 or older


def generate_key(path: Path) -> Path:
    """Write a new random 256-bit key (hex) readable by its owner only; refuse to overwrite."""
    if path.exists():
        raise UsageError(f"{path} exists; a key is never overwritten (rotate by writing a new file)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path


def load_key(key_file: Path | None = None) -> bytes:
    """The key: `key_file`, else $HEALTHFM_PSEUDONYM_KEY_FILE, else $HEALTHFM_PSEUDONYM_KEY."""
    path = key_file or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
    if path is not None:
        try:
            text = path.read_text().strip()
        except OSError as exc:
            raise UsageError(f"cannot read the pseudonymisation key {path}: {exc.strerror}") from None
    else:
        text = os.environ.get(KEY_ENV, "").strip()
    if not text:
        raise UsageError(
            "no pseudonymisation key: create one outside the store with `healthfm privacy keygen FILE` and "
            f"set {KEY_FILE_ENV}=FILE (or pass --key-file); use --no-deid only for data already de-identified"
        )
    if len(text) < 32:
        raise UsageError("the pseudonymisation key is too short: use at least 128 bits (32 hex characters)")
    return text.encode()


class PrivacyGate:
    """Pseudonyms, date shifts and note scrubbing, all derived from one secret key."""

    def __init__(self, key: bytes, *, scrub_mode: str = "surrogate", ner_model: Path | None = None) -> None:
        """`ner_model`: a PHI tagger folder (`healthfm deid train-ner`) whose spans the note scrubber adds
        to the rules'; None = rules and dictionaries only."""
        self._key = key
        from healthfm.privacy.phi import PhiScrubber

        self._scrub_mode = scrub_mode
        self._ner_model = ner_model
        self._scrubber: PhiScrubber | None = None
        self.scrubber  # noqa: B018  # built now: a missing or damaged tagger folder fails before any work
        self.identifiers: dict[int, dict[str, tuple[str, ...]]] = {}
        self._tagger = PhiScrubber(mode="tag")

    @property
    def scrubber(self) -> PhiScrubber:
        """The note scrubber (with the tagger when one was given); rebuilt on first use after pickling."""
        if self._scrubber is None:
            from healthfm.privacy.phi import PhiScrubber

            tagger = None
            if self._ner_model is not None:
                from healthfm.privacy.ner import PhiTagger

                tagger = PhiTagger.load(self._ner_model)
            secret = self.derived_secret("surrogates")
            self._scrubber = PhiScrubber(mode=self._scrub_mode, secret=secret, tagger=tagger)  # type: ignore[arg-type]
        return self._scrubber

    def __getstate__(self) -> dict[str, Any]:
        # reader processes get the gate for pseudonyms and redaction only: no model in every pickle
        return {**self.__dict__, "_scrubber": None}

    def redact(self, message: str) -> str:
        """A message (a quarantine reason, an error) with values quoted in it, and any PHI the
        scrubber finds, replaced: readers quote the offending value (`invalid date '1931-02-30'`),
        and behind the gate that value may be an identifier. File and line still locate the record."""
        return self._tagger.scrub(_QUOTED.sub("'…'", message)).text

    def derived_secret(self, purpose: str) -> bytes:
        """A secret for one purpose (surrogates, DICOM UIDs) derived from the key; the key stays here."""
        return hmac.new(self._key, f"derive:{purpose}".encode(), hashlib.sha256).digest()

    def _mac(self, purpose: str, value: str) -> bytes:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()

    def subject_id(self, canonical_key: str) -> int:
        """The pseudonym: HMAC-SHA256 of the source identifier, as a positive 60-bit integer."""
        return int.from_bytes(self._mac("subject", canonical_key)[:8], "big") >> 4

    def key_hash(self, canonical_key: str) -> str:
        """A keyed hash of a source identifier, safe to store (for identity links)."""
        return self._mac("link", canonical_key).hex()

    def date_shift(self, subject_id: int) -> dt.timedelta:
        """The patient's shift: ±1 to ±52 whole weeks, the same for every modality and every run."""
        raw = int.from_bytes(self._mac("shift", str(subject_id))[:4], "big")
        weeks = raw % MAX_SHIFT_WEEKS + 1
        return dt.timedelta(weeks=weeks if raw & (1 << 31) else -weeks)

    def remap_uid(self, uid: str) -> str:
        """A DICOM UID replaced consistently (PS3.15 action U): the same study keeps one new UID."""
        uid = uid.removeprefix("urn:oid:").strip("\x00 ")
        # The same mapping as `healthfm deid dicom` (DicomDeidentifier.new_uid with this secret), so
        # de-identified DICOM files and the store's events name a study by the same UID.
        digest = hmac.new(self.derived_secret("dicom-uids"), uid.encode("ascii", "replace"), hashlib.sha256)
        return "2.25." + str(int.from_bytes(digest.digest()[:16], "big"))

    def remember(self, subject_id: int, identifiers: Mapping[str, tuple[str, ...]]) -> None:
        """Keep a patient's identifiers in memory for scrubbing their notes (never written)."""
        merge_identifiers(self.identifiers.setdefault(subject_id, {}), identifiers)

    def apply(self, events: pa.Table) -> pa.Table:
        """Shift every time by its patient's offset, cap ages at 90, scrub notes."""
        if events.num_rows == 0:
            return events
        ids = events.column("subject_id")
        uniq = pc.unique(ids)
        shifts_us = pa.array(
            [self.date_shift(int(s)) // dt.timedelta(microseconds=1) for s in uniq.to_pylist()], pa.int64()
        )
        per_row = pc.take(shifts_us, pc.index_in(ids, value_set=uniq))
        time_us = pc.cast(events.column("time"), pa.int64())
        shifted = pc.cast(pc.add(time_us, per_row), pa.timestamp("us"))
        events = events.set_column(events.schema.get_field_index("time"), "time", shifted)
        events = self._cap_age(events)
        events = self._remap_uids(events)
        return self._scrub_notes(events)

    def _remap_uids(self, events: pa.Table) -> pa.Table:
        code = events.column("code")
        is_uid = pc.fill_null(
            pc.or_(pc.equal(code, _UID_CODE), pc.starts_with(code, _UID_CODE_PREFIX)), False
        )
        if not pc.any(is_uid).as_py():
            return events
        text = events.column("text_value").to_pylist()
        for r in np.flatnonzero(np.asarray(is_uid.to_numpy(zero_copy_only=False))).tolist():
            if text[r]:
                text[r] = self.remap_uid(text[r])
        idx = events.schema.get_field_index("text_value")
        return events.set_column(idx, "text_value", pa.array(text, pa.large_string()))

    def _cap_age(self, events: pa.Table) -> pa.Table:
        """Move a birth more than 89 years before the patient's latest event to exactly 90 years before."""
        code = events.column("code")
        is_birth = pc.fill_null(pc.equal(code, BIRTH_CODE), False)
        if not pc.any(is_birth).as_py():
            return events
        latest = events.group_by("subject_id").aggregate([("time", "max")])
        ids, last = latest.column(0), latest.column(1)
        last_per_row = pc.take(last, pc.index_in(events.column("subject_id"), value_set=ids))
        cap = pc.subtract(pc.cast(last_per_row, pa.int64()), pa.scalar(_years_us(AGE_CAP_YEARS), pa.int64()))
        birth_us = pc.cast(events.column("time"), pa.int64())
        too_old = pc.fill_null(pc.and_(is_birth, pc.less(birth_us, cap)), False)
        if not pc.any(too_old).as_py():
            return events
        new_time = pc.if_else(too_old, pc.cast(cap, pa.timestamp("us")), events.column("time"))
        return events.set_column(events.schema.get_field_index("time"), "time", new_time)

    def _scrub_notes(self, events: pa.Table) -> pa.Table:
        text = events.column("text_value")
        rows = np.flatnonzero(
            np.asarray(pc.fill_null(pc.is_valid(text), False).to_numpy(zero_copy_only=False))
        )
        if len(rows) == 0:
            return events
        from healthfm.privacy.phi import PatientIdentifiers

        values: list[Any] = text.to_pylist()
        subjects = events.column("subject_id").to_pylist()
        modality = events.column("modality").to_pylist()
        codes = events.column("code").to_pylist()
        for r in rows.tolist():
            if codes[r] == _UID_CODE or codes[r].startswith(_UID_CODE_PREFIX):
                continue  # remapped above
            if modality[r] != Modality.TEXT.value and len(values[r]) < 40:
                continue  # short coded values (units, comparators) carry no free text
            sid = subjects[r]
            known = self.identifiers.get(sid, {})
            patient = PatientIdentifiers(**{k: v for k, v in known.items() if k in _IDENTIFIER_FIELDS})
            values[r] = self.scrubber.scrub(
                values[r], patient, date_shift=self.date_shift(sid), surrogate_key=str(sid)
            ).text
        idx = events.schema.get_field_index("text_value")
        return events.set_column(idx, "text_value", pa.array(values, pa.large_string()))


# Events whose text_value is a DICOM study UID (from DICOM files and from FHIR ImagingStudy).
_UID_CODE = "DICOM/StudyInstanceUID"
_UID_CODE_PREFIX = "IMAGING_STUDY/"
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_IDENTIFIER_FIELDS = ("names", "mrns", "addresses", "phones", "emails", "other")


def _years_us(years: int) -> int:
    return round(years * 365.2425 * 86400 * 1_000_000)
