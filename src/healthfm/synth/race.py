"""Race and ethnicity per patient, as US Core extensions: drawn from each US site's census shares, from a
random stream of their own, so that they are independent of every clinical variable and outcome.

Sources (shares in percent of the whole county population; `docs/cohort.md` has the table):

- Cleveland: Cuyahoga County, Ohio; VA Long Beach: Los Angeles County, California. U.S. Census Bureau
  counts by Hispanic origin and race as tabulated by the Statistical Atlas (county reference values on
  its "Race and Ethnicity" pages, e.g. statisticalatlas.com/block-group/Ohio/Cuyahoga-County/108400-2/
  Race-and-Ethnicity and .../California/Los-Angeles-County/123420-1/Race-and-Ethnicity): the
  non-Hispanic groups as shares of everyone, the races of Hispanic residents as shares of them.
- Its non-Hispanic "other" group (American Indian or Alaska Native, Native Hawaiian or Other Pacific
  Islander, some other race) is split equally between the first two (assumption; not given separately).
- "Two or more races" is White plus one other OMB race, drawn in proportion to that group's single-race
  shares (assumption: most multiracial people in the census report White as one of their races).
- "Some other race" (mostly Hispanic respondents) has no OMB category: it is written as the CDC code
  2131-1 Other Race under US Core's `detailed`, with no `ombCategory`, as EHR exports do.

Hungary and Switzerland record none: European hospitals do not routinely collect race or ethnic origin
(a special category of personal data, GDPR Art. 9), so those patients carry no extension at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

RACE_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
ETHNICITY_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
CDC_RACE_ETHNICITY = "urn:oid:2.16.840.1.113883.6.238"  # CDC Race & Ethnicity code set
RACE_STREAM = 0x52414345  # "RACE": the third word of each patient's own seed, [seed, index, RACE_STREAM]

WHITE, BLACK, ASIAN, AIAN, NHPI = "2106-3", "2054-5", "2028-9", "1002-5", "2076-8"
OTHER_RACE = "2131-1"  # a CDC race code outside the five OMB categories
MULTIRACIAL = "two or more"  # a row of the tables below, not a code
HISPANIC, NOT_HISPANIC = "2135-2", "2186-5"
NAMES = {
    WHITE: "White",
    BLACK: "Black or African American",
    ASIAN: "Asian",
    AIAN: "American Indian or Alaska Native",
    NHPI: "Native Hawaiian or Other Pacific Islander",
    OTHER_RACE: "Other Race",
    HISPANIC: "Hispanic or Latino",
    NOT_HISPANIC: "Not Hispanic or Latino",
}


@dataclass(frozen=True)
class Marginals:
    """One site's shares: Hispanic (percent of all), and race within each ethnicity (any scale)."""

    source: str
    hispanic: float
    race_if_hispanic: dict[str, float]
    race_if_not: dict[str, float]


MARGINALS: dict[str, Marginals] = {
    "Cleveland": Marginals(
        "Cuyahoga County, OH (U.S. Census Bureau via Statistical Atlas)",
        hispanic=5.05,
        race_if_hispanic={
            WHITE: 59.99,
            BLACK: 6.41,
            AIAN: 1.77,
            ASIAN: 0.29,
            NHPI: 0.07,
            OTHER_RACE: 21.44,
            MULTIRACIAL: 10.03,
        },
        # percent of everyone: White 59.98, Black 29.74, Asian 2.79, two or more 2.10, other 0.33
        race_if_not={WHITE: 59.98, BLACK: 29.74, ASIAN: 2.79, MULTIRACIAL: 2.10, AIAN: 0.165, NHPI: 0.165},
    ),
    "VA Long Beach": Marginals(
        "Los Angeles County, CA (U.S. Census Bureau via Statistical Atlas)",
        hispanic=47.86,
        race_if_hispanic={
            WHITE: 53.39,
            BLACK: 0.62,
            AIAN: 0.90,
            ASIAN: 0.38,
            NHPI: 0.05,
            OTHER_RACE: 41.15,
            MULTIRACIAL: 3.51,
        },
        # percent of everyone: White 26.73, Black 8.27, Asian 14.23, two or more 2.20, other 0.72
        race_if_not={WHITE: 26.73, BLACK: 8.27, ASIAN: 14.23, MULTIRACIAL: 2.20, AIAN: 0.36, NHPI: 0.36},
    ),
}


@dataclass(frozen=True)
class RaceEthnicity:
    """What the hospital recorded: race codes (OMB categories, or OTHER_RACE) and the ethnicity code."""

    races: tuple[str, ...]
    ethnicity: str

    def extensions(self) -> list[dict[str, Any]]:
        """The US Core race and ethnicity extensions of the Patient resource."""
        race_parts: list[dict[str, Any]] = [
            {"url": "detailed" if code == OTHER_RACE else "ombCategory", "valueCoding": _coding(code)}
            for code in self.races
        ]
        race_parts.append({"url": "text", "valueString": ", ".join(NAMES[c] for c in self.races)})
        ethnicity_parts = [
            {"url": "ombCategory", "valueCoding": _coding(self.ethnicity)},
            {"url": "text", "valueString": NAMES[self.ethnicity]},
        ]
        return [
            {"url": RACE_URL, "extension": race_parts},
            {"url": ETHNICITY_URL, "extension": ethnicity_parts},
        ]


def _coding(code: str) -> dict[str, str]:
    return {"system": CDC_RACE_ETHNICITY, "code": code, "display": NAMES[code]}


def draw_race_ethnicity(seed: int, index: int, site: str) -> RaceEthnicity | None:
    """Patient `index`'s race and ethnicity, or None where the site records none.

    Only the seed, the patient index and the site enter: never a clinical variable or an outcome.
    The stream is the patient's own `[seed, index, RACE_STREAM]`, so adding (or removing) this draw
    leaves every other generated value unchanged.
    """
    marginals = MARGINALS.get(site)
    if marginals is None:
        return None
    rng = np.random.default_rng([seed, index, RACE_STREAM])
    hispanic = bool(rng.random() < marginals.hispanic / 100)
    table = marginals.race_if_hispanic if hispanic else marginals.race_if_not
    race = _choose(rng, table)
    if race == MULTIRACIAL:
        others = {c: w for c, w in table.items() if c not in (WHITE, OTHER_RACE, MULTIRACIAL)}
        races: tuple[str, ...] = (WHITE, _choose(rng, others))
    else:
        races = (race,)
    return RaceEthnicity(races, HISPANIC if hispanic else NOT_HISPANIC)


def _choose(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]
