"""FHIR R4 in: a Bundle, NDJSON files, or a Bulk Data `$export` folder, walked as plain dicts.

Resources are parsed with `json` and mapped by hand (no model classes): ten times faster than
validating them into `fhir.resources` models, and a bad record is quarantined, never raised.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import orjson

from healthfm.ingest.base import IngestSink, Reader, SourceEvent
from healthfm.ingest.units import converter
from healthfm.schema import BIRTH_CODE, DEATH_CODE, Modality

Resource = dict[str, Any]

HEALTHFM_SYSTEM = "https://healthfm.example.org/fhir/CodeSystem/healthfm"  # codes kept verbatim
STATIC_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/static-fact"
MODALITY_EXTENSION = "https://healthfm.example.org/fhir/StructureDefinition/modality"
BIRTH_TIME_EXTENSION = "http://hl7.org/fhir/StructureDefinition/patient-birthTime"
VOCABULARIES: dict[str, str] = {
    "http://loinc.org": "LOINC",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD10CM",
    "http://hl7.org/fhir/sid/icd-10": "ICD10",
    "http://hl7.org/fhir/sid/icd-9-cm": "ICD9CM",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RXNORM",
    "http://snomed.info/sct": "SNOMED",
    "http://hl7.org/fhir/sid/cvx": "CVX",
    "http://hl7.org/fhir/sid/ndc": "NDC",
    "http://www.ama-assn.org/go/cpt": "CPT4",
    "http://dicom.nema.org/resources/ontology/DCM": "DCM",
    "http://unitsofmeasure.org": "UCUM",
    "http://www.whocc.no/atc": "ATC",
}
SYSTEMS: dict[str, str] = {v: k for k, v in VOCABULARIES.items()}
GENDERS = {"male": "M", "female": "F", "other": "O", "unknown": "U"}
US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
CDC_RACE_ETHNICITY = "urn:oid:2.16.840.1.113883.6.238"  # CDC Race & Ethnicity code set
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"  # UNK / ASKU: not known, declined
# The OMB categories US Core allows in `ombCategory`, read as static RACE/<code> and ETHNICITY/<code>.
OMB_RACES = {
    "1002-5": "American Indian or Alaska Native",
    "2028-9": "Asian",
    "2054-5": "Black or African American",
    "2076-8": "Native Hawaiian or Other Pacific Islander",
    "2106-3": "White",
}
OMB_ETHNICITIES = {"2135-2": "Hispanic or Latino", "2186-5": "Not Hispanic or Latino"}
_US_CORE = {US_CORE_RACE: ("RACE/", OMB_RACES), US_CORE_ETHNICITY: ("ETHNICITY/", OMB_ETHNICITIES)}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_UTC = dt.UTC
_T = TypeVar("_T")
_EPOCH_FIX = {4: "-01-01", 7: "-01"}  # partial dates → first day


class BadRecordError(ValueError):
    """A resource that cannot be used; its message is the quarantine reason."""


def vocabulary(system: str) -> str:
    """`LOINC` for `http://loinc.org`; an unknown system is named by its last path segment."""
    name = VOCABULARIES.get(system)
    if name is None:
        name = system.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "UNKNOWN"
    return name


def system_of(vocab: str) -> str:
    """The inverse of `vocabulary` (used by FHIR out)."""
    return SYSTEMS.get(vocab) or f"https://healthfm.example.org/fhir/CodeSystem/{vocab}"


def code_of(concept: Any, prefer: tuple[str, ...] = ()) -> str:
    """`VOCAB/code` from a CodeableConcept: a preferred vocabulary first, else the first coding."""
    if not isinstance(concept, dict):
        raise BadRecordError("code is not a CodeableConcept")
    codings: Any = concept.get("coding") or ()
    if len(codings) == 1:  # the common case, memoised
        c = codings[0]
        key = (c.get("system"), c.get("code"))
        found = _CODES.get(key)
        if found is not None:
            return found
    best: str | None = None
    for coding in codings:
        code = coding.get("code")
        if not code:
            continue
        system = coding.get("system") or ""
        if system == HEALTHFM_SYSTEM:
            return str(code)
        vocab = vocabulary(system) if system else "UNKNOWN"
        if vocab in prefer:
            return f"{vocab}/{code}"
        if best is None:
            best = f"{vocab}/{code}"
    if best is None:
        raise BadRecordError("no coded value (coding with a code)")
    if len(codings) == 1 and isinstance(key[1], str) and len(_CODES) < 100_000:
        _CODES[key] = best
    return best


_CODES: dict[tuple[Any, Any], str] = {}


_TIMES: dict[str, dt.datetime] = {}  # parsed values: a file repeats its timestamps (encounter times)


def parse_time(value: Any) -> dt.datetime:
    """A FHIR date/dateTime/instant as naive UTC; partial dates go to their first day, midnight."""
    t = _TIMES.get(value) if isinstance(value, str) else None
    if t is None:
        t = _parse_time(value)
        if len(_TIMES) >= 100_000:
            _TIMES.clear()
        _TIMES[value] = t
    return t


def _parse_time(value: Any) -> dt.datetime:
    if not isinstance(value, str) or len(value) < 4:
        raise BadRecordError(f"invalid date {value!r}")
    s = value
    n = len(s)
    if n in _EPOCH_FIX:
        s += _EPOCH_FIX[n]
    elif n > 10 and s[10] != "T":
        raise BadRecordError(f"invalid date {value!r}")
    if len(s) < 10 or s[4] != "-" or s[7] != "-":
        raise BadRecordError(f"invalid date {value!r}")
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError:
        raise BadRecordError(f"invalid date {value!r}") from None
    if t.tzinfo is not None:
        t = t.astimezone(_UTC).replace(tzinfo=None)
    return t


def _first_time(res: Resource, *fields: str) -> dt.datetime | None:
    """The first present of `fields` (a `xPeriod` field gives its start)."""
    for f in fields:
        v = res.get(f)
        if v is None:
            continue
        if f.endswith("Period"):
            if not isinstance(v, dict):
                raise BadRecordError(f"{f} is not a Period")
            v = v.get("start")
            if v is None:
                continue
        return parse_time(v)
    return None


def _decode(attachment: Any, base: Path | None = None) -> str | None:
    """Text of a text attachment: inline base64 `data`, or a file `url` relative to the source folder."""
    if not isinstance(attachment, dict):
        return None
    kind = attachment.get("contentType") or "text/plain"
    if not kind.startswith("text/"):
        return None
    data = attachment.get("data")
    url = attachment.get("url")
    if data is None and isinstance(url, str) and base is not None and ":" not in url:
        file = (base / url).resolve()
        if not file.is_relative_to(base.resolve()) or not file.is_file():
            raise BadRecordError(f"attachment url {url!r} is not a file beside the source")
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadRecordError(f"attachment {url!r} unreadable: {exc}") from None
    if data is not None:
        try:
            raw = base64.b64decode("".join(str(data).split()), validate=True)  # (some wrap at 76)
        except (binascii.Error, ValueError):
            raise BadRecordError("attachment data is not valid base64") from None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRecordError("attachment text is not UTF-8") from None
    return None


class _Context:
    """State of one `read`: ids seen, resolvable resources, deferred references, counters."""

    def __init__(self, sink: IngestSink) -> None:
        self.sink = sink
        self.seen: set[tuple[str, Any]] = set()
        self.full_urls: dict[str, Resource] = {}  # Bundle fullUrl -> resource
        self.medications: dict[str, str] = {}  # "Medication/<id>" or fullUrl -> code
        self.pending: list[tuple[str, str, str, Resource, str]] = []  # unresolved medication refs
        self.counts: Counter[str] = Counter()
        self.read: Counter[str] = Counter()  # by resource type
        self.ingested: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()

    def flush_counts(self) -> None:
        for prefix, counter in (
            ("read:", self.read),
            ("ingested:", self.ingested),
            ("skipped:", self.skipped),
        ):
            for rtype, n in counter.items():
                self.counts[prefix + rtype] += n

    def quarantine(self, source: str, location: str, reason: str, excerpt: str, rtype: str) -> None:
        self.sink.quarantine(source, location, reason, excerpt)
        self.counts[f"quarantined:{rtype}"] += 1


class FhirReader(Reader):
    """FHIR R4 JSON: `*.ndjson` (optionally gzipped), Bundles, single resources, `$export` folders."""

    name: ClassVar[str] = "fhir"

    def claims(self, path: Path) -> bool:
        if path.is_dir():
            return (path / "manifest.json").is_file()
        name = path.name.lower()
        if name.endswith((".ndjson", ".ndjson.gz")):
            return True
        if name.endswith(".json") and name != "manifest.json":
            try:
                with path.open("rb") as fh:
                    head = fh.read(4096)
            except OSError:
                return False
            return b'"resourceType"' in head
        return False

    def read(self, path: Path, sink: IngestSink) -> None:
        ctx = _Context(sink)
        try:
            if path.is_dir():
                self._read_export(path, ctx)
            elif path.name.lower().endswith((".ndjson", ".ndjson.gz")):
                self._read_ndjson(path, ctx)
            else:
                self._read_json(path, ctx)
            self._resolve_pending(ctx)
        finally:
            ctx.flush_counts()
            for key, n in ctx.counts.items():
                sink.count(key, n)

    # ------------------------------------------------------------------ containers

    def _read_export(self, folder: Path, ctx: _Context) -> None:
        manifest_path = folder / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            outputs = [(str(o["type"]), str(o["url"])) for o in manifest.get("output", [])]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            ctx.quarantine(str(manifest_path), "whole file", f"unreadable manifest: {exc}", "", "manifest")
            return
        # Patients first so their links exist, Medications next so references resolve.
        ordered = sorted(enumerate(outputs), key=lambda it: (_RANK.get(it[1][0], 2), it[0]))
        for i, (_rtype, url) in ordered:
            file = folder / url.rsplit("/", 1)[-1]
            if not file.is_file():
                ctx.quarantine(
                    str(manifest_path), f"output[{i}]", f"listed file {file.name} is missing", url, "manifest"
                )
                continue
            self._read_ndjson(file, ctx)

    def _read_ndjson(self, path: Path, ctx: _Context) -> None:
        source = str(path)
        try:
            if path.name.endswith(".gz"):
                with gzip.open(path, "rb") as gz:
                    self._read_lines(gz, source, ctx)
            else:
                with path.open("rb") as fh:
                    self._read_lines(fh, source, ctx)
        except (OSError, EOFError) as exc:
            ctx.quarantine(source, "whole file", f"unreadable file: {exc}", "", "FHIR")

    def _read_lines(self, fh: Iterable[bytes], source: str, ctx: _Context) -> None:
        handle = self._handle
        lineno = 0
        # orjson parses a line about 4x faster than the standard library; it rejects invalid UTF-8
        # and malformed JSON with a ValueError, as json does.
        loads = orjson.loads
        for raw in fh:
            lineno += 1
            if raw.isspace():
                continue
            try:
                res = loads(raw)
            except ValueError as exc:
                truncated = not raw.endswith(b"\n")  # only the last line can lack one
                reason = "truncated final line" if truncated else f"malformed JSON: {exc}"
                ctx.quarantine(source, f"line {lineno}", reason, _text(raw), "FHIR")
                continue
            handle(res, source, lineno, raw, ctx)

    def _read_json(self, path: Path, ctx: _Context) -> None:
        source = str(path)
        try:
            with path.open("rb") as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as exc:
            ctx.quarantine(source, "whole file", f"unreadable JSON: {exc}", "", "FHIR")
            return
        if not isinstance(doc, dict) or doc.get("resourceType") != "Bundle":
            self._handle(doc, source, "resource", None, ctx)
            return
        entries = doc.get("entry") or []
        items: list[tuple[int, Any]] = []
        for i, entry in enumerate(entries):
            res = entry.get("resource") if isinstance(entry, dict) else None
            if res is None:
                ctx.quarantine(source, f"entry[{i}]", "Bundle entry without a resource", _dump(entry), "FHIR")
                continue
            url = entry.get("fullUrl")
            if isinstance(url, str) and isinstance(res, dict):
                ctx.full_urls[url] = res
                if "id" not in res and url.startswith("urn:uuid:"):
                    res["id"] = url[9:]  # transaction bundles reference entries by fullUrl only
            items.append((i, res))
        items.sort(key=lambda it: (_rank(it[1]), it[0]))
        for i, res in items:
            self._handle(res, source, f"entry[{i}]", None, ctx)

    # ------------------------------------------------------------------ one resource

    def _handle(self, res: Any, source: str, where: str | int, raw: bytes | None, ctx: _Context) -> None:
        """Map one resource; `where` is its location, an int meaning a line number."""
        if not isinstance(res, dict):
            location = _location(where)
            ctx.quarantine(source, location, "not a JSON object", _excerpt(res, raw), "FHIR")
            return
        rtype = res.get("resourceType")
        if not isinstance(rtype, str) or not rtype:
            location = _location(where)
            ctx.quarantine(source, location, "resource without resourceType", _excerpt(res, raw), "FHIR")
            return
        ctx.read[rtype] += 1
        mapper = _MAPPERS.get(rtype)
        if mapper is None:
            ctx.skipped[rtype] += 1
            return
        rid = res.get("id")
        if rid is not None:
            if not isinstance(rid, str):
                ctx.quarantine(
                    source, _location(where), f"{rtype}: id is not a string", _excerpt(res, raw), rtype
                )
                return
            key = (rtype, rid)
            if key in ctx.seen:
                reason = f"duplicated id {rtype}/{rid}"
                ctx.quarantine(source, _location(where), reason, _excerpt(res, raw), rtype)
                return
            ctx.seen.add(key)
        if res.get("status") == "entered-in-error":
            ctx.skipped[rtype] += 1
            return
        try:
            events = mapper(res, ctx, source, where)
        except BadRecordError as exc:
            ctx.quarantine(source, _location(where), f"{rtype}: {exc}", _excerpt(res, raw), rtype)
            return
        except (AttributeError, TypeError, KeyError, ValueError, IndexError) as exc:  # wrong JSON shapes
            reason = f"{rtype}: invalid structure ({type(exc).__name__}: {exc})"
            ctx.quarantine(source, _location(where), reason, _excerpt(res, raw), rtype)
            return
        if events is not None:
            emit = ctx.sink.emit
            for event in events:
                emit(event)
            ctx.ingested[rtype] += 1

    def _resolve_pending(self, ctx: _Context) -> None:
        for source, location, subject, res, ref in ctx.pending:
            rtype = str(res["resourceType"])
            code = ctx.medications.get(ref)
            if code is None:
                ctx.quarantine(source, location, f"{rtype}: unresolved medication {ref}", _dump(res), rtype)
                continue
            try:
                t = _medication_time(res)
            except BadRecordError as exc:
                ctx.quarantine(source, location, f"{rtype}: {exc}", _dump(res), rtype)
                continue
            ctx.sink.emit(SourceEvent(subject, t, code))
            ctx.ingested[rtype] += 1


# ---------------------------------------------------------------------- references


_PATIENT_KEYS: dict[str, str] = {}  # "Patient/<id>" (relative or absolute) -> source key


def _subject(res: Resource, ctx: _Context, field: str = "subject") -> str:
    """The source key of the patient a resource is about."""
    ref = res.get(field)
    if ref is None and field == "subject":
        ref = res.get("patient")
    if not isinstance(ref, dict):
        raise BadRecordError("no patient (subject) reference")
    target = ref.get("reference")
    if isinstance(target, str):
        key = _PATIENT_KEYS.get(target)
        if key is not None:
            return key
        if target.startswith("urn:"):
            found = ctx.full_urls.get(target)
            if found is None or found.get("resourceType") != "Patient":
                raise BadRecordError(f"unresolved patient reference {target}")
            return "fhir:Patient/" + str(found["id"])
        parts = target.split("/_history", 1)[0].rsplit("/", 2)
        if len(parts) >= 2 and parts[-2] == "Patient" and parts[-1]:
            if len(_PATIENT_KEYS) >= 100_000:
                _PATIENT_KEYS.clear()
            key = _PATIENT_KEYS[target] = "fhir:Patient/" + parts[-1]
            return key
        raise BadRecordError(f"subject {target!r} is not a Patient")
    ident = ref.get("identifier")
    if isinstance(ident, dict) and ident.get("value"):
        return f"mrn:{ident.get('system', '')}|{ident['value']}"
    raise BadRecordError("no patient (subject) reference")


def _mrn(patient: Resource) -> str | None:
    idents = patient.get("identifier") or []
    chosen = None
    for ident in idents:
        for coding in (ident.get("type") or {}).get("coding") or ():
            if coding.get("code") == "MR":
                chosen = ident
                break
        if chosen is not None:
            break
    if chosen is None:
        chosen = next((i for i in idents if not i.get("type") and i.get("value")), None)
    if chosen is None or not chosen.get("value"):
        return None
    return f"mrn:{chosen.get('system', '')}|{chosen['value']}"


# ---------------------------------------------------------------------- mappers


def _patient(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    rid = res.get("id")
    mrn = _mrn(res)
    if mrn is None and rid is None:
        raise BadRecordError("Patient without id or identifier")
    key = mrn or f"fhir:Patient/{rid}"
    out: list[SourceEvent] = []
    gender = res.get("gender")
    if gender is not None:
        if gender not in GENDERS:
            raise BadRecordError(f"unknown gender {gender!r}")
        out.append(SourceEvent(key, None, "GENDER/" + GENDERS[gender]))
    birth = res.get("birthDate")
    if birth is not None:
        t = parse_time(birth)
        for ext in (res.get("_birthDate") or {}).get("extension") or ():
            if ext.get("url") == BIRTH_TIME_EXTENSION:
                t = parse_time(ext["valueDateTime"])
        out.append(SourceEvent(key, t, BIRTH_CODE))
    if "deceasedDateTime" in res:
        out.append(SourceEvent(key, parse_time(res["deceasedDateTime"]), DEATH_CODE))
    elif res.get("deceasedBoolean") is True:
        out.append(SourceEvent(key, None, DEATH_CODE))
    for i, ext in enumerate(res.get("extension") or ()):
        url = ext.get("url") if isinstance(ext, dict) else None
        if url in _US_CORE:
            prefix, allowed = _US_CORE[url]
            codes = _part(ctx, source, where, f"extension[{i}]", ext, partial(_omb, allowed=allowed))
            out += [SourceEvent(key, None, prefix + c) for c in codes or ()]
    if "managingOrganization" in res:
        site = _part(ctx, source, where, "managingOrganization", res["managingOrganization"], _site)
        if site:
            out.append(SourceEvent(key, None, "SITE/" + site))
    if mrn is not None and rid is not None:
        ctx.sink.link(f"fhir:Patient/{rid}", mrn)
    _identify(res, key, ctx)
    return out


def _part(
    ctx: _Context, source: str, where: str | int, path: str, value: Any, read: Callable[[Any], _T]
) -> _T | None:
    """Read an optional part of a Patient; a malformed one is quarantined alone (reason and excerpt
    under the kind `Patient.<part>`) and the Patient is kept: a bad race code must not cost the
    patient's identity link and demographics."""
    try:
        return read(value)
    except (BadRecordError, AttributeError, TypeError) as exc:
        kind = "Patient." + path.split("[", 1)[0]
        ctx.quarantine(source, f"{_location(where)} {path}", f"{kind}: {exc}", _dump(value), kind)
        return None


def _omb(ext: Any, allowed: dict[str, str]) -> list[str]:
    """The `ombCategory` codes of a US Core race or ethnicity extension (`detailed` codes are not
    read: they would need the CDC hierarchy to roll up; `text` is free text)."""
    codes: list[str] = []
    parts = ext.get("extension")
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise BadRecordError("no list of sub-extensions (ombCategory / detailed / text)")
    for part in parts:
        if part.get("url") != "ombCategory":
            continue
        coding = part.get("valueCoding")
        if not isinstance(coding, dict):
            raise BadRecordError("ombCategory without a valueCoding")
        system, code = coding.get("system"), coding.get("code")
        if system == NULL_FLAVOR and code in ("UNK", "ASKU"):
            continue  # recorded as unknown or declined: no event, the audit sees "unknown"
        if system != CDC_RACE_ETHNICITY or code not in allowed:
            raise BadRecordError(f"ombCategory {system}|{code} is not an OMB category")
        if code not in codes:
            codes.append(code)
    return codes


def _site(org: Any) -> str | None:
    """A code for the site from `managingOrganization.identifier.value`, made safe (runs of other
    characters → `_`, so `VA Long Beach` → `VA_Long_Beach`, as the demo spells its SITE/ codes).
    A display name alone gives none: it may be an institution name, which the privacy rules treat as
    potentially identifying, and names are not stable codes."""
    if not isinstance(org, dict):
        raise BadRecordError("not a Reference")
    ident = org.get("identifier")
    if ident is None:
        return None
    value = ident.get("value") if isinstance(ident, dict) else None
    if not isinstance(value, str):
        raise BadRecordError("identifier is not an Identifier with a string value")
    return _UNSAFE.sub("_", value.strip()).strip("_")[:64] or None


def _identify(res: Resource, key: str, ctx: _Context) -> None:
    """Hand the patient's identifiers to the privacy gate, which scrubs them from their notes."""

    def strings(values: Any) -> tuple[str, ...]:
        return tuple(v for v in values if isinstance(v, str) and v.strip())

    names: list[Any] = []
    for name in res.get("name") or ():
        if isinstance(name, dict):
            given = [g for g in name.get("given") or () if isinstance(g, str)]
            family = name.get("family")
            names.append(name.get("text") or " ".join([*given, family if isinstance(family, str) else ""]))
    identifiers = [i.get("value") for i in res.get("identifier") or () if isinstance(i, dict)]
    addresses: list[Any] = []
    for addr in res.get("address") or ():
        if isinstance(addr, dict):
            addresses += [*(addr.get("line") or ()), addr.get("city"), addr.get("postalCode")]
    telecom = [t for t in res.get("telecom") or () if isinstance(t, dict)]
    ctx.sink.identify(
        key,
        names=strings(names),
        mrns=strings(identifiers),
        addresses=strings(addresses),
        phones=strings(t.get("value") for t in telecom if t.get("system") in ("phone", "fax", "sms")),
        emails=strings(t.get("value") for t in telecom if t.get("system") == "email"),
    )


def _encounter(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    cls = res.get("class")
    code = (cls.get("code") if isinstance(cls, dict) else None) or "UNKNOWN"
    period = res.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if start is None and end is None:
        raise BadRecordError("no period")
    out: list[SourceEvent] = []
    if start is not None:
        out.append(SourceEvent(subject, parse_time(start), "ENCOUNTER/" + code))
    if end is not None:
        out.append(SourceEvent(subject, parse_time(end), "ENCOUNTER_END/" + code))
    return out


_OBS_TIME = ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued")


def _observation(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    static, modality = _flags(res, Modality.EVENTS) if "extension" in res else (False, Modality.EVENTS)
    when = res.get("effectiveDateTime")
    if when is not None and not static:
        t: dt.datetime | None = parse_time(when)
    else:
        t = None if static else _first_time(res, *_OBS_TIME)
        if t is None and not static:
            raise BadRecordError("no effective time")
    code = code_of(res["code"], ("LOINC",))
    out: list[SourceEvent] = []
    components = res.get("component")
    if components is None or any(k.startswith("value") for k in res):  # a panel may have both
        out.append(_valued(subject, t, code, res, modality))
    for comp in components or ():
        out.append(_valued(subject, t, code_of(comp["code"], ("LOINC",)), comp, modality))
    return out


def _flags(res: Resource, modality: Modality) -> tuple[bool, Modality]:
    """healthfm's own extensions (written by FHIR out): a static fact, and the event's modality."""
    static = False
    for ext in res.get("extension") or ():
        url = ext.get("url")
        if url == STATIC_EXTENSION:
            static = ext.get("valueBoolean") is True
        elif url == MODALITY_EXTENSION:
            try:
                modality = Modality(ext.get("valueCode"))
            except ValueError:
                raise BadRecordError(f"unknown modality {ext.get('valueCode')!r}") from None
    return static, modality


def _valued(
    subject: str, t: dt.datetime | None, code: str, holder: Resource, modality: Modality
) -> SourceEvent:
    """An event for an Observation (or component) and its value[x]."""
    q = holder.get("valueQuantity")
    if q is not None:
        value = q.get("value")
        if value is None:
            return SourceEvent(subject, t, code, None, q.get("comparator"), modality)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRecordError(f"non-numeric quantity {value!r}")
        conv = converter(
            code,
            q.get("code")
            if q.get("system") == "http://unitsofmeasure.org"
            else q.get("unit") or q.get("code"),
        )
        if isinstance(conv, str):
            raise BadRecordError(conv)
        return SourceEvent(subject, t, code, value * conv[0] + conv[1], q.get("comparator"), modality)
    cc = holder.get("valueCodeableConcept")
    if cc is not None:
        try:
            return SourceEvent(subject, t, code + "/" + code_of(cc).split("/", 1)[-1], None, None, modality)
        except BadRecordError:
            if cc.get("text"):
                return SourceEvent(subject, t, code, None, str(cc["text"]), modality)
            raise
    if "valueString" in holder:
        return SourceEvent(subject, t, code, None, str(holder["valueString"]), modality)
    if "valueBoolean" in holder:
        return SourceEvent(subject, t, code, 1.0 if holder["valueBoolean"] else 0.0, None, modality)
    if "valueInteger" in holder:
        return SourceEvent(subject, t, code, float(holder["valueInteger"]), None, modality)
    for key in ("valueDateTime", "valueTime"):
        if key in holder:
            return SourceEvent(subject, t, code, None, str(holder[key]), modality)
    return SourceEvent(subject, t, code, None, None, modality)  # no value (dataAbsentReason) or a range


def _condition(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    t = _first_time(res, "onsetDateTime", "onsetPeriod", "recordedDate")
    if t is None:
        raise BadRecordError("no onset or recorded date")
    return [SourceEvent(subject, t, code_of(res["code"], ("ICD10CM", "ICD10", "SNOMED")))]


def _medication(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    """Remember a Medication's code so that references to it resolve."""
    code = code_of(res["code"], ("RXNORM",))
    rid = res.get("id")
    if rid is not None:
        ctx.medications[f"Medication/{rid}"] = code
    return []


def _medication_time(res: Resource) -> dt.datetime:
    t = _first_time(res, "authoredOn", "effectiveDateTime", "effectivePeriod", "dateAsserted")
    if t is None:
        raise BadRecordError("no time (authoredOn / effective[x] / dateAsserted)")
    return t


def _medication_use(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent] | None:
    subject = _subject(res, ctx)
    t = _medication_time(res)
    concept = res.get("medicationCodeableConcept")
    if concept is not None:
        return [SourceEvent(subject, t, code_of(concept, ("RXNORM",)))]
    ref = (res.get("medicationReference") or {}).get("reference")
    if not isinstance(ref, str):
        raise BadRecordError("no medication[x]")
    if ref.startswith("#"):
        for contained in res.get("contained") or ():
            if contained.get("id") == ref[1:] and contained.get("resourceType") == "Medication":
                return [SourceEvent(subject, t, code_of(contained["code"], ("RXNORM",)))]
        raise BadRecordError(f"contained medication {ref} not found")
    if ref.startswith("urn:"):
        found = ctx.full_urls.get(ref)
        if found is not None and found.get("resourceType") == "Medication":
            ref = "Medication/" + str(found.get("id"))
    else:
        ref = "Medication/" + ref.rsplit("/", 1)[-1]
    code = ctx.medications.get(ref)
    if code is None:  # may come later in the file: resolved at the end of the read
        ctx.pending.append((source, _location(where), subject, res, ref))
        return None
    return [SourceEvent(subject, t, code)]


def _coded(
    fields: tuple[str, ...], code_field: str, prefix: str = "", prefer: tuple[str, ...] = ()
) -> _Mapper:
    def mapper(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
        subject = _subject(res, ctx)
        t = _first_time(res, *fields)
        if t is None:
            raise BadRecordError(f"no time ({' / '.join(fields)})")
        return [SourceEvent(subject, t, prefix + code_of(res[code_field], prefer))]

    return mapper


def _diagnostic_report(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    t = _first_time(res, "effectiveDateTime", "effectivePeriod", "issued")
    if t is None:
        raise BadRecordError("no effective time or issued")
    code = code_of(res["code"], ("LOINC",))
    texts = [x for x in map(_decode, res.get("presentedForm") or ()) if x is not None]
    if texts:
        return [SourceEvent(subject, t, code, None, "\n\n".join(texts), Modality.TEXT)]
    conclusion = res.get("conclusion")
    if conclusion:
        return [SourceEvent(subject, t, code, None, str(conclusion), Modality.TEXT)]
    return [SourceEvent(subject, t, code)]


def _document(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    static, modality = _flags(res, Modality.TEXT)
    t = None if static else _first_time(res, "date")
    if t is None and not static:
        t = _first_time(res.get("context") or {}, "period")
        if t is None:
            raise BadRecordError("no date or context.period")
    code = code_of(res["type"], ("LOINC",)) if res.get("type") else "DOCUMENT/note"
    texts = []
    base = Path(source).parent
    for content in res.get("content") or ():
        text = _decode(content.get("attachment"), base)
        if text is not None:
            texts.append(text)
    if not texts:
        raise BadRecordError("no text attachment (inline data or a file url)")
    return [SourceEvent(subject, t, code, None, "\n\n".join(texts), modality)]


def _imaging_study(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    t = _first_time(res, "started")
    if t is None:
        raise BadRecordError("no started time")
    uid = None
    for ident in res.get("identifier") or ():
        if ident.get("system") == "urn:dicom:uid":
            uid = str(ident["value"]).removeprefix("urn:oid:")
    mods = res.get("modality") or [{}]
    mod = mods[0].get("code") or "OT"
    return [SourceEvent(subject, t, "IMAGING_STUDY/" + mod, None, uid, Modality.IMAGE)]


def _media(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx)
    static, modality = _flags(res, Modality.IMAGE)
    t = None if static else _first_time(res, "createdDateTime", "createdPeriod", "issued")
    if t is None and not static:
        raise BadRecordError("no created time")
    content = res.get("content") or {}
    url = content.get("url")
    if not url:
        raise BadRecordError("no content.url")
    code = code_of(res["modality"]) if res.get("modality") else "MEDIA/" + modality.value
    return [SourceEvent(subject, t, code, None, content.get("title"), modality, str(url))]


def _consent(res: Resource, ctx: _Context, source: str, where: str | int) -> list[SourceEvent]:
    subject = _subject(res, ctx, "patient")
    if res.get("status", "active") != "active":
        return []
    t = _first_time(res, "dateTime")
    scope_codes = [c.get("code") for c in (res.get("scope") or {}).get("coding") or () if c.get("code")]
    scope = scope_codes[0] if scope_codes else "unspecified"
    decision = (res.get("provision") or {}).get("type")
    if decision is None:
        rules = {c.get("code") for c in (res.get("policyRule") or {}).get("coding") or ()}
        decision = "deny" if "OPTOUT" in rules else "permit" if "OPTIN" in rules else None
    if decision not in ("permit", "deny"):
        raise BadRecordError("no provision.type (permit / deny) and no OPTIN / OPTOUT policy rule")
    return [SourceEvent(subject, t, f"CONSENT/{scope}/{decision}")]


# A mapper returns the resource's events, or None when it is deferred to the end of the read.
_Mapper = Callable[[Resource, _Context, str, str | int], list[SourceEvent] | None]
_MAPPERS: dict[str, _Mapper] = {
    "Patient": _patient,
    "Encounter": _encounter,
    "Observation": _observation,
    "Condition": _condition,
    "Medication": _medication,
    "MedicationRequest": _medication_use,
    "MedicationStatement": _medication_use,
    "MedicationAdministration": _medication_use,
    "Procedure": _coded(("performedDateTime", "performedPeriod"), "code", prefer=("SNOMED",)),
    "DiagnosticReport": _diagnostic_report,
    "DocumentReference": _document,
    "ImagingStudy": _imaging_study,
    "Media": _media,
    "AllergyIntolerance": _coded(("onsetDateTime", "onsetPeriod", "recordedDate"), "code", "ALLERGY/"),
    "Immunization": _coded(("occurrenceDateTime", "recorded"), "vaccineCode", prefer=("CVX",)),
    "Consent": _consent,
}


# ---------------------------------------------------------------------- helpers


_RANK = {"Patient": 0, "Medication": 1}  # read first: links exist and medication references resolve


def _rank(res: Any) -> int:
    return _RANK.get(str(res.get("resourceType")), 2) if isinstance(res, dict) else 2


def _location(where: str | int) -> str:
    return f"line {where}" if isinstance(where, int) else where


def _text(raw: bytes) -> str:
    return raw[:2000].decode("utf-8", "replace")


def _dump(obj: Any) -> str:
    try:
        return json.dumps(obj)[:2000]
    except (TypeError, ValueError):
        return repr(obj)[:2000]


def _excerpt(res: Any, raw: bytes | None) -> str:
    return _text(raw) if raw is not None else _dump(res)
