"""Synthetic identities (the PHI real exports carry) and text that remembers where each PHI span sits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

FIRST_F = (
    "Mary",
    "Patricia",
    "Linda",
    "Barbara",
    "Elizabeth",
    "Jennifer",
    "Maria",
    "Susan",
    "Margaret",
    "Dorothy",
    "Lisa",
    "Nancy",
    "Karen",
    "Betty",
    "Helen",
    "Sandra",
    "Donna",
    "Carol",
    "Ruth",
    "Sharon",
    "Katalin",
    "Erzsebet",
    "Ursula",
    "Verena",
    "Ilona",
    "Anna",
    "Gisela",
    "Judit",
    "Rosa",
    "Elena",
)
FIRST_M = (
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Richard",
    "Charles",
    "Joseph",
    "Thomas",
    "Daniel",
    "Paul",
    "Mark",
    "Donald",
    "George",
    "Kenneth",
    "Steven",
    "Edward",
    "Brian",
    "Ronald",
    "Laszlo",
    "Istvan",
    "Ferenc",
    "Hans",
    "Peter",
    "Urs",
    "Beat",
    "Jozsef",
    "Andras",
    "Walter",
)
LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Garcia",
    "Rodriguez",
    "Wilson",
    "Martinez",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Nagy",
    "Kovacs",
    "Toth",
    "Szabo",
    "Horvath",
    "Muller",
    "Meier",
    "Schmid",
    "Keller",
    "Weber",
    "Huber",
    "Fischer",
    "Baumann",
    "Varga",
    "Kiss",
    "Molnar",
    "Nguyen",
    "Harris",
    "Clark",
    "Lewis",
)
STREETS = ("Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park", "Main", "Church", "Mill", "River")


@dataclass(frozen=True)
class Place:
    institution: str
    city: str
    state: str
    postal_prefix: str
    country: str
    phone_prefix: str
    mrn_prefix: str


PLACES = {
    "Cleveland": Place("Cleveland Clinic Foundation", "Cleveland", "OH", "441", "US", "+1 216", "CCF"),
    "Hungary": Place("Hungarian Institute of Cardiology", "Budapest", "", "1", "HU", "+36 1", "HIC"),
    "Switzerland": Place("University Hospital Zurich", "Zurich", "ZH", "80", "CH", "+41 44", "USZ"),
    "VA Long Beach": Place("VA Medical Center Long Beach", "Long Beach", "CA", "908", "US", "+1 562", "VAL"),
}

# Standard-time UTC offset of each site; FHIR times carry it, DICOM (TimezoneOffsetFromUTC) and WFDB
# (a `utc_offset:` header comment) too, so every modality's clock agrees after ingestion.
UTC_OFFSETS = {"Cleveland": "-05:00", "Hungary": "+01:00", "Switzerland": "+01:00", "VA Long Beach": "-08:00"}


def utc_offset(place: Place) -> str:
    """The site's offset as `+HH:MM`."""
    for site, known in PLACES.items():
        if known == place:
            return UTC_OFFSETS[site]
    raise KeyError(f"unknown site {place.institution!r}")


@dataclass(frozen=True)
class Identity:
    """Who the patient is, as the hospital's systems know them."""

    given: str
    family: str
    mrn: str
    ssn: str | None
    birth_date: date
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    phone: str
    email: str
    place: Place
    physician: str

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"


def make_identity(index: int, site: str, male: bool, birth_date: date, rng: np.random.Generator) -> Identity:
    place = PLACES[site]
    given = str(rng.choice(FIRST_M if male else FIRST_F))
    family = str(rng.choice(LAST))
    digits = "".join(str(d) for d in rng.integers(0, 10, size=7))
    us = place.country == "US"
    ssn = (
        f"{rng.integers(100, 899):03d}-{rng.integers(10, 99):02d}-{rng.integers(1000, 9999):04d}"
        if us
        else None
    )
    postal = place.postal_prefix + "".join(
        str(d) for d in rng.integers(0, 10, size=5 - len(place.postal_prefix))
    )
    if place.country == "HU":
        postal = postal[:4]
    phone = f"{place.phone_prefix} {rng.integers(200, 999)} {rng.integers(1000, 9999)}"
    doctor = f"{rng.choice(FIRST_F + FIRST_M)} {rng.choice(LAST)}"
    return Identity(
        given=given,
        family=family,
        mrn=f"{place.mrn_prefix}{index:05d}{digits[:3]}",
        ssn=ssn,
        birth_date=birth_date,
        street=f"{rng.integers(1, 9999)} {rng.choice(STREETS)} Street",
        city=place.city,
        state=place.state,
        postal_code=postal,
        country=place.country,
        phone=phone,
        email=f"{given.lower()}.{family.lower()}{rng.integers(1, 99)}@example.com",
        place=place,
        physician=f"Dr. {doctor}",
    )


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str  # NAME / MRN / DATE / ADDRESS / PHONE / EMAIL / SSN / DOCTOR / INSTITUTION
    text: str


@dataclass
class TaggedText:
    """Text built piece by piece; PHI pieces are recorded with their character offsets."""

    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> TaggedText:
        self.parts.append(text)
        self.length += len(text)
        return self

    def phi(self, text: str, tag: str) -> TaggedText:
        self.spans.append(Span(self.length, self.length + len(text), tag, text))
        return self.add(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)
