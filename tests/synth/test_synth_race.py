"""Race and ethnicity: US Core extensions at the US sites only, census shares, and no effect on anything
else the generator writes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import binomtest

from healthfm.synth import writer
from healthfm.synth.copula import SITES
from healthfm.synth.race import (
    CDC_RACE_ETHNICITY,
    ETHNICITY_URL,
    HISPANIC,
    MARGINALS,
    MULTIRACIAL,
    NAMES,
    OTHER_RACE,
    RACE_URL,
    WHITE,
    draw_race_ethnicity,
)
from healthfm.synth.writer import SynthConfig, synthesize
from tests.synth.conftest import N_PATIENTS, SEED

OMB_RACES = {"1002-5", "2028-9", "2054-5", "2076-8", "2106-3"}


def _patients(root: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (root / "fhir" / "Patient.ndjson").read_text().splitlines()]


def test_race_and_ethnicity_only_at_us_sites_and_a_site_code_everywhere(cohort: Path) -> None:
    sites = set()
    for patient in _patients(cohort):
        org = patient["managingOrganization"]
        assert org["display"]  # the institution name stays, for people
        assert org["identifier"]["system"] == "urn:healthfm:synth:site"
        site = org["identifier"]["value"]
        assert site in {s.replace(" ", "_") for s in SITES}
        sites.add(site)
        extensions = {e["url"]: e["extension"] for e in patient.get("extension", [])}
        if patient["address"][0]["country"] != "US":
            assert extensions == {}  # GDPR Art. 9: European sites record no race
            continue
        assert set(extensions) == {RACE_URL, ETHNICITY_URL}
        race = extensions[RACE_URL]
        omb = [p["valueCoding"]["code"] for p in race if p["url"] == "ombCategory"]
        detailed = [p["valueCoding"]["code"] for p in race if p["url"] == "detailed"]
        assert set(omb) <= OMB_RACES and set(detailed) <= {OTHER_RACE} and len(omb) + len(detailed) >= 1
        assert all(p["valueCoding"]["system"] == CDC_RACE_ETHNICITY for p in race if "valueCoding" in p)
        assert [p["valueString"] for p in race if p["url"] == "text"] == [
            ", ".join(NAMES[c] for c in omb + detailed)
        ]
        (ethnicity,) = (
            p["valueCoding"]["code"] for p in extensions[ETHNICITY_URL] if p["url"] == "ombCategory"
        )
        assert ethnicity in {"2135-2", "2186-5"}
    assert {"Cleveland", "VA_Long_Beach"} & sites and {"Hungary", "Switzerland"} & sites


def test_european_sites_draw_nothing() -> None:
    assert draw_race_ethnicity(0, 1, "Hungary") is None
    assert draw_race_ethnicity(0, 1, "Switzerland") is None


@pytest.mark.parametrize("site", sorted(MARGINALS))
def test_draws_follow_the_declared_census_shares(site: str) -> None:
    n = 4000
    draws = [draw_race_ethnicity(3, i, site) for i in range(n)]
    assert all(d is not None for d in draws)
    marginals = MARGINALS[site]
    hispanic = [d for d in draws if d is not None and d.ethnicity == HISPANIC]
    # exact binomial tests (the smallest shares are well under 1 %), each at a strict level
    assert binomtest(len(hispanic), n, marginals.hispanic / 100).pvalue > 1e-4
    for group, table in ((True, marginals.race_if_hispanic), (False, marginals.race_if_not)):
        members = [d for d in draws if d is not None and (d.ethnicity == HISPANIC) == group]
        counts = Counter(d.races[0] if len(d.races) == 1 else MULTIRACIAL for d in members)
        total = sum(table.values())
        for race, weight in table.items():
            assert binomtest(counts[race], len(members), weight / total).pvalue > 1e-4, (site, group, race)
    multi = [d for d in draws if d is not None and len(d.races) > 1]
    assert multi and all(d.races[0] == WHITE and d.races[1] in OMB_RACES - {WHITE} for d in multi)


def test_drawing_race_changes_nothing_else(
    cohort: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Race has its own random stream: without it, every other file and field is byte-identical."""
    monkeypatch.setattr(writer, "draw_race_ethnicity", lambda seed, index, site: None)
    without = tmp_path / "without-race"
    synthesize(SynthConfig(patients=N_PATIENTS, seed=SEED, out=without, workers=1))
    files = sorted(str(p.relative_to(cohort)) for p in cohort.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(without)) for p in without.rglob("*") if p.is_file())
    changed = [f for f in files if (cohort / f).read_bytes() != (without / f).read_bytes()]
    assert changed == ["fhir/Patient.ndjson"]
    with_race = _patients(cohort)
    assert any("extension" in p for p in with_race)
    assert [{k: v for k, v in p.items() if k != "extension"} for p in with_race] == _patients(without)
