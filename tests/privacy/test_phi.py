"""The clinical-note PHI scrubber: every category, the patient's own identifiers, surrogates, recall."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from healthfm.datasets import fetch
from healthfm.privacy.phi import PatientIdentifiers, PhiScrubber
from healthfm.synth.writer import SynthConfig, synthesize

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from phi_bench import load_synth, score

PATIENT = PatientIdentifiers(
    names=("Beat Martinez",),
    mrns=("KSB0012345",),
    addresses=("Seestrasse 12", "Thalwil", "8800"),
    phones=("+41 44 123 45 67",),
    emails=("beat.martinez@example.ch",),
    other=("123-45-6789",),
)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch()
    out = tmp_path_factory.mktemp("phi-cohort")
    synthesize(SynthConfig(patients=20, seed=7, out=out, workers=1), force=True)
    return out


@pytest.fixture(scope="module")
def tagger() -> PhiScrubber:
    return PhiScrubber(mode="tag")


def categories(text: str, patient: PatientIdentifiers | None = None) -> dict[str, str]:
    return {s.text: s.category for s in PhiScrubber().find(text, patient)}


@pytest.mark.parametrize(
    ("text", "phi", "category"),
    [
        ("Seen by Dr. Anna Keller today.", "Anna Keller", "NAME"),
        ("Admitted on 2019-12-03 for chest pain.", "2019-12-03", "DATE"),
        ("Admitted 12/03/2019.", "12/03/2019", "DATE"),
        ("Admitted 3 Dec 2019.", "3 Dec 2019", "DATE"),
        ("Admitted December 3, 2019.", "December 3, 2019", "DATE"),
        ("Eintritt 03.12.2019.", "03.12.2019", "DATE"),
        ("Stress test on 12/3 was positive.", "12/3", "DATE"),
        ("A 93-year-old woman.", "93", "AGE_OVER_89"),
        ("Call +41 79 555 12 34 tomorrow.", "+41 79 555 12 34", "PHONE"),
        ("Call +36 30 123 4567 tomorrow.", "+36 30 123 4567", "PHONE"),
        ("Call (617) 555-0134 tomorrow.", "(617) 555-0134", "PHONE"),
        ("Fax: 044 555 12 34", "044 555 12 34", "FAX"),
        ("Write to a.b@hospital.org please.", "a.b@hospital.org", "EMAIL"),
        ("SSN 078-05-1120 on file.", "078-05-1120", "SSN"),
        ("MRN: A1234567 on file.", "A1234567", "MRN"),
        ("Account no. 99887766 closed.", "99887766", "ACCOUNT"),
        ("Licence no. BE-77812 valid.", "BE-77812", "LICENSE"),
        ("Lives at 42 Oak Street, Springfield.", "42 Oak Street, Springfield", "ADDRESS"),
        ("PLZ 8001, Kanton Zürich.", "8001", "ZIP"),
        ("See https://portal.example.org/x?id=3 for results.", "https://portal.example.org/x?id=3", "URL"),
        ("Upload from 192.168.10.4 failed.", "192.168.10.4", "IP"),
        ("Pacemaker serial no. PX883311 checked.", "PX883311", "DEVICE_ID"),
        ("Insurance member ID QZ12345678 verified.", "QZ12345678", "HEALTH_PLAN"),
    ],
)
def test_each_category_is_found(text: str, phi: str, category: str) -> None:
    assert categories(text).get(phi) == category


def test_patient_identifiers_scrubbed_everywhere(tagger: PhiScrubber) -> None:
    text = (
        "BEAT MARTINEZ, KSB0012345. Beat reports dyspnoea. Martinez's wife called from +41 44 123 45 67; "
        "mail beat.martinez@example.ch. Lives at Seestrasse 12, 8800 Thalwil. SSN 123-45-6789."
    )
    out = tagger.scrub(text, PATIENT).text
    for secret in (
        "BEAT",
        "Beat",
        "Martinez",
        "KSB0012345",
        "123 45 67",
        "Seestrasse",
        "Thalwil",
        "8800",
        "6789",
    ):
        assert secret not in out, out
    assert "[NAME]'s wife" in out


def test_surrogates_consistent_within_patient_and_differ_across() -> None:
    scrubber = PhiScrubber(secret=b"k")
    text = "Patient: Beat Martinez. Beat Martinez was seen again."
    a = scrubber.scrub(text, PATIENT, surrogate_key="p1").text
    b = scrubber.scrub(text, PATIENT, surrogate_key="p2").text
    first, second = (a.split(": ", 1)[1].split(".")[0], a.split(". ", 1)[1].split(" was")[0])
    assert first == second and "Martinez" not in a
    assert a != b


def test_dates_shift_keep_format_and_interval() -> None:
    text = "Admitted 03.12.2019, discharged 2019-12-10; next visit January 5, 2020 and 12/24/2019."
    out = PhiScrubber().scrub(text, date_shift=timedelta(days=10)).text
    assert out == "Admitted 13.12.2019, discharged 2019-12-20; next visit January 15, 2020 and 01/03/2020."


def test_ages_over_89_grouped() -> None:
    out = PhiScrubber().scrub("A 94-year-old man, aged 101. A 67 y/o woman.").text
    assert out == "A 90+-year-old man, aged 90+. A 67 y/o woman."


@pytest.mark.parametrize(
    "text",
    [
        "History of Parkinson's disease and Graves' disease; Crohn disease in remission.",
        "Hope to discharge tomorrow. Will review. Mark the site. May need a Holter.",
        "Faith in the plan is good. Bill sent to insurance. Page the resident.",
        "BP 128/76, pain 2/10, EF 35%, furosemide 40 mg.",
    ],
)
def test_eponyms_and_common_words_kept(text: str) -> None:
    assert PhiScrubber().find(text) == []


def test_tag_mode(tagger: PhiScrubber) -> None:
    out = tagger.scrub("Dr. Anna Keller saw the patient on 2020-01-02, phone (617) 555-0134.").text
    assert out == "Dr. [NAME] saw the patient on [DATE], phone [PHONE]."


def test_mode_is_checked() -> None:
    with pytest.raises(ValueError, match="mode"):
        PhiScrubber(mode="mask")  # type: ignore[arg-type]


def test_recall_on_small_synth_cohort(cohort: Path) -> None:
    result = score(load_synth(cohort), PhiScrubber(mode="tag"))
    assert result["recall"] >= 0.99
    assert result["recall_direct"] >= 0.995
