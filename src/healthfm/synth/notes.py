"""Clinical notes (history, symptoms, negations, abbreviations, typos, PHI) and real IU radiology reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from healthfm.datasets.loaders import RadiologyReport
from healthfm.synth.cohort import Encounter, Patient
from healthfm.synth.phi import Identity, TaggedText

CONDITION_WORDS = {
    "hypertension": ("HTN", "hypertension"),
    "diabetes": ("DM2", "type 2 diabetes"),
    "dyslipidemia": ("HLD", "hyperlipidemia"),
    "prior_mi": ("h/o MI", "prior myocardial infarction"),
    "af": ("AFib", "atrial fibrillation"),
    "HFrEF": ("HFrEF", "heart failure with reduced EF"),
    "HFpEF": ("HFpEF", "heart failure with preserved EF"),
    "ckd": ("CKD 3", "chronic kidney disease"),
    "obesity": ("obesity", "obesity"),
}
CP_TEXT = {
    "typical angina": "substernal chest pressure on exertion, relieved by rest within minutes",
    "atypical angina": "intermittent chest discomfort, sometimes at rest, not clearly exertional",
    "non-anginal": "sharp left-sided chest pain, worse with palpation, not related to exertion",
    "asymptomatic": "no chest pain; referred for abnormal screening",
}


def _typos(text: str, rng: np.random.Generator, rate: float = 0.02) -> str:
    """Swap two adjacent letters in a few words, the commonest typing error in notes."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 4 and word.isalpha() and rng.random() < rate:
            j = int(rng.integers(1, len(word) - 2))
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def _date(d: datetime) -> str:
    return d.strftime("%m/%d/%Y")


def clinic_note(
    p: Patient, who: Identity, enc: Encounter, known: Sequence[str], rng: np.random.Generator
) -> TaggedText:
    """A cardiology clinic note for the index visit (or a shorter one for other visits)."""
    lat, u = p.latent, p.uci
    t = TaggedText()
    abbreviate = rng.random() < 0.6

    def say(text: str) -> None:
        t.add(_typos(text, rng))

    t.add("CARDIOLOGY CLINIC NOTE\nPatient: ").phi(who.full_name, "NAME").add("  MRN: ").phi(who.mrn, "MRN")
    t.add("  DOB: ").phi(who.birth_date.strftime("%m/%d/%Y"), "DATE").add("\nDate of service: ")
    t.phi(_date(enc.start), "DATE").add("\nProvider: ").phi(who.physician, "DOCTOR").add("\n\n")
    age_sex = (
        f"{u.age} y/o {'M' if u.male else 'F'}"
        if abbreviate
        else f"{u.age}-year-old {'man' if u.male else 'woman'}"
    )
    hx = [CONDITION_WORDS[c][0 if abbreviate else 1] for c in known if c in CONDITION_WORDS]
    t.add("HPI: ")
    say(f"{age_sex} with {', '.join(hx) if hx else 'no significant PMH'} presents for evaluation. ")
    if enc.index:
        say(f"Reports {CP_TEXT[u.cp]}. ")
        if u.exang:
            say("Pain is brought on by climbing stairs. ")
        negations = [
            "denies syncope",
            "no palpitations" if not lat.atrial_fibrillation else "reports palpitations",
        ]
        if lat.heart_failure == "none":
            negations += ["denies orthopnea", "no PND", "no leg swelling"]
        else:
            say(
                "Reports DOE and 2-pillow orthopnea. "
                if abbreviate
                else "Reports dyspnea on exertion and orthopnea. "
            )
        say(("Pt " if abbreviate else "The patient ") + ", ".join(negations) + ". ")
    else:
        say("Routine follow-up. Feels well, denies chest pain or SOB. ")
    t.add("\nSocial: ")
    say(
        {
            "never": "never smoker.",
            "former": "former smoker, quit years ago.",
            "current": "current smoker, 1 ppd.",
        }[lat.smoker]
    )
    t.add(" Lives at ").phi(f"{who.street}, {who.city}", "ADDRESS").add(". Contact: ").phi(who.phone, "PHONE")
    if rng.random() < 0.4:
        t.add(", ").phi(who.email, "EMAIL")
    t.add("\nVitals: ")
    obs = enc.observations
    vitals = []
    if "sbp" in obs:
        vitals.append(f"BP {obs['sbp']:.0f}/{obs['dbp']:.0f}")
    vitals.append(
        f"HR {obs.get('heart_rate', lat.heart_rate):.0f}{' irreg' if lat.atrial_fibrillation else ''}"
    )
    t.add(", ".join(vitals) + ".\n")
    if enc.index:
        t.add("Exam: ")
        exam = ["RRR" if not lat.atrial_fibrillation else "irregularly irregular rhythm"]
        exam.append("bibasilar crackles" if lat.congestion else "lungs clear")
        exam.append("trace LE edema" if lat.heart_failure != "none" else "no edema")
        say(", ".join(exam) + ".\n")
        t.add("Assessment/Plan: ")
        say(
            f"Chest pain ({u.cp}). Will obtain ECG, labs incl. troponin and NT-proBNP, and refer for "
            "stress testing and coronary angiography. Continue ASA. "
        )
        if lat.ldl > 130:
            say("LDL above goal, intensify statin. ")
    t.add("\nElectronically signed by ").phi(who.physician, "DOCTOR").add(" on ").phi(
        _date(enc.start), "DATE"
    )
    return t


def discharge_note(p: Patient, who: Identity, enc: Encounter, rng: np.random.Generator) -> TaggedText:
    reason = {
        "I50.9": "acute decompensated heart failure",
        "I21.4": "NSTEMI",
        "I63.9": "acute ischemic stroke",
    }
    t = TaggedText()
    t.add("DISCHARGE SUMMARY\nPatient: ").phi(who.full_name, "NAME").add("  MRN: ").phi(who.mrn, "MRN")
    t.add("\nAdmitted: ").phi(_date(enc.start), "DATE").add(" to ").phi(who.place.institution, "INSTITUTION")
    t.add("\n")
    t.add(_typos(f"Principal diagnosis: {reason.get(enc.reason, enc.reason)}. LOS {enc.days} days. ", rng))
    t.add(_typos("Pt tolerated treatment, no complications. Follow up in cardiology clinic in 2 wks.", rng))
    t.add("\nAttending: ").phi(who.physician, "DOCTOR")
    return t


FINDING_TAGS = {
    "cardiomegaly": ("Cardiomegaly",),
    "effusion": ("Pleural Effusion",),
    "congestion": ("Pulmonary Congestion", "Pulmonary Edema"),
}


def report_category(mesh: Sequence[str]) -> str | None:
    """The image-finding category a report's MeSH tags describe, or None for other findings."""
    if any(m == "normal" for m in mesh):
        return "normal"
    found = sorted(k for k, tags in FINDING_TAGS.items() if any(m.startswith(tags) for m in mesh))
    return "+".join(found) if found else None


def index_reports(reports: Sequence[RadiologyReport]) -> dict[str, list[int]]:
    """Report positions grouped by finding category."""
    groups: dict[str, list[int]] = {}
    for i, report in enumerate(reports):
        category = report_category(report.mesh)
        if category is not None:
            groups.setdefault(category, []).append(i)
    return groups


def image_category(cardiomegaly: bool, congestion: bool, effusion: bool) -> str:
    found = [
        n
        for n, on in (("cardiomegaly", cardiomegaly), ("congestion", congestion), ("effusion", effusion))
        if on
    ]
    return "+".join(sorted(found)) if found else "normal"


def pick_report(groups: dict[str, list[int]], category: str, rng: np.random.Generator) -> tuple[int, str]:
    """A real report matching `category`, falling back to the closest category that exists."""
    wanted = category
    while wanted not in groups or not groups[wanted]:
        parts = wanted.split("+")
        wanted = "+".join(parts[:-1]) if len(parts) > 1 else "normal"
    pool = groups[wanted]
    return pool[int(rng.integers(len(pool)))], wanted


def radiology_report(report: RadiologyReport, who: Identity, when: datetime, accession: str) -> TaggedText:
    t = TaggedText()
    t.add("CHEST RADIOGRAPH PA/LAT\nPatient: ").phi(who.full_name, "NAME").add("  MRN: ").phi(who.mrn, "MRN")
    t.add("  Accession: ").phi(accession, "ACCESSION").add("\nExam date: ").phi(_date(when), "DATE").add("\n")
    t.add(f"INDICATION: {report.indication or 'Chest pain.'}\nCOMPARISON: {report.comparison or 'None.'}\n")
    t.add(f"FINDINGS: {report.findings}\nIMPRESSION: {report.impression}\n")
    return t
