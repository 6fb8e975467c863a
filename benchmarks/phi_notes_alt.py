"""A second PHI-seeded note set, written independently of the virtual cohort's notes.

Other document kinds (discharge summaries, referral letters, nursing notes, telephone encounters, lists),
other phrasing, European date styles, names in ALL CAPS or "Family, Given", other phone formats and inline
addresses. Every PHI span is recorded with its category, so `phi_bench.py` can score a scrubber on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

GIVEN = (
    "Reto", "Urs", "Beat", "Heidi", "Vreni", "Madeleine", "Lukas", "Jonas", "Nadine", "Corinne",
    "Zsofia", "Laszlo", "Gyorgy", "Eszter", "Agnes", "Bence", "Csilla", "Tamas", "Dora", "Imre",
    "Guadalupe", "Alejandro", "Ximena", "Joaquin", "Lucia", "Esperanza", "Rodrigo", "Camila", "Mateo", "Ines",
    "Dennis", "Tracy", "Brandon", "Shirley", "Gregory", "Kayla", "Harold", "Megan", "Wayne", "Theresa",
    "Wolfgang", "Hannelore", "Dieter", "Ingrid", "Jürgen", "Sabine", "Claudia", "Matthias", "Marco", "Andrea",
)  # fmt: skip
FAMILY = (
    "Brändli", "Zurbriggen", "Gerber", "Imhof", "Bachmann", "Schnyder", "Egli", "Baumgartner", "Frei", "Wyss",
    "Bárány", "Horvath", "Szabo", "Farkas", "Toth", "Molnar", "Varga", "Kovacs", "Balogh", "Papp",
    "Quispe", "Gutierrez", "Mendoza", "Castillo", "Ramos", "Vargas", "Delgado", "Ortega", "Navarro", "Fuentes",  # noqa: E501
    "Whitfield", "Pruitt", "Hargrove", "Donnelly", "McAllister", "O'Brien", "Kowalski", "Lindqvist", "Nguyen", "Okafor",  # noqa: E501
    "Hoffmann", "Schröder", "Neumann", "Zimmermann", "Krüger", "Wagner", "Becker", "Keller", "Vogel", "Hartmann",  # noqa: E501
)  # fmt: skip
CLINICIAN_FAMILY = (
    "Stauffacher", "Kellenberger", "Meszaros", "Halvorsen", "Abernathy", "Villanueva", "Rothenbühler",
    "Pfister", "Hegedus", "Calloway", "Iturbe", "Moser", "Lang", "Fischer", "Grant", "Price",
)  # fmt: skip
STREETS = (
    "Bahnhofstrasse", "Seestrasse", "Dorfstrasse", "Hauptstrasse", "Rákóczi út", "Andrássy út",
    "Calle Mayor", "Avenida del Sol", "Maple Avenue", "Lakeview Drive", "Birchwood Lane", "Old Mill Road",
)  # fmt: skip
CITIES = (
    ("8004", "Zürich"), ("3011", "Bern"), ("4051", "Basel"), ("1003", "Lausanne"), ("9000", "St. Gallen"),
    ("1051", "Budapest"), ("6720", "Szeged"), ("28013", "Madrid"), ("10115", "Berlin"), ("80331", "München"),
    ("02139", "Cambridge, MA"), ("60614", "Chicago, IL"), ("97205", "Portland, OR"), ("33101", "Miami, FL"),
)  # fmt: skip
HOSPITALS = (
    "Kantonsspital Aarau", "Inselspital Bern", "Semmelweis University Hospital", "Hospital Clínico San Carlos",  # noqa: E501
    "Mercy General Hospital", "Lakeside Community Clinic", "Klinik Hirslanden", "Charité Berlin",
)  # fmt: skip
MAIL_DOMAINS = ("bluewin.ch", "gmx.de", "freemail.hu", "yahoo.com")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember")  # fmt: skip


@dataclass
class AltNote:
    """One note, its PHI spans as (start, end, category) and what the structured record knows."""

    kind: str
    text: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    patient: dict[str, list[str]] = field(default_factory=dict)

    def add(self, text: str) -> AltNote:
        self.text += text
        return self

    def phi(self, text: str, category: str) -> AltNote:
        self.spans.append((len(self.text), len(self.text) + len(text), category))
        self.text += text
        return self


@dataclass
class _Person:
    given: str
    family: str
    mrn: str
    birth: date
    street: str
    postal: str
    city: str
    phone: str
    email: str
    ssn: str


def _phone(r: random.Random) -> str:
    style = r.randrange(7)

    def d(n: int) -> str:
        return "".join(str(r.randrange(10)) for _ in range(n))

    if style == 0:
        return f"+41 {r.choice(['44', '31', '61', '79', '78'])} {d(3)} {d(2)} {d(2)}"
    if style == 1:
        return f"0{r.choice(['44', '79', '76'])} {d(3)} {d(2)} {d(2)}"
    if style == 2:
        return f"+36 {r.choice(['1', '30', '20'])} {d(3)} {d(4)}"
    if style == 3:
        return f"({r.randrange(201, 989)}) {d(3)}-{d(4)}"
    if style == 4:
        return f"{r.randrange(201, 989)}.{d(3)}.{d(4)}"
    if style == 5:
        return f"+1-{r.randrange(201, 989)}-{d(3)}-{d(4)}"
    return f"+34 {d(3)} {d(3)} {d(3)}"


def _person(r: random.Random, i: int) -> _Person:
    given, family = r.choice(GIVEN), r.choice(FAMILY)
    postal, city = r.choice(CITIES)
    birth = date(1925, 1, 1) + timedelta(days=r.randrange(0, 365 * 80))
    mrn = r.choice([f"{r.randrange(10**7, 10**8)}", f"P-{r.randrange(10**5, 10**6)}", f"KSA{i:06d}"])
    return _Person(
        given=given,
        family=family,
        mrn=mrn,
        birth=birth,
        street=f"{r.choice(STREETS)} {r.randrange(1, 220)}"
        if r.random() < 0.5
        else f"{r.randrange(1, 9999)} {r.choice(STREETS)}",
        postal=postal,
        city=city,
        phone=_phone(r),
        email=f"{given[0].lower()}{family.lower().replace(chr(39), '')}@{r.choice(MAIL_DOMAINS)}",
        ssn=f"{r.randrange(100, 899)}-{r.randrange(10, 99)}-{r.randrange(1000, 9999)}",
    )


def _date_text(r: random.Random, d: date) -> str:
    style = r.randrange(8)
    if style == 0:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == 1:
        return f"{d.day}.{d.month}.{d.year % 100:02d}"
    if style == 2:
        return f"{d.day}. {GERMAN_MONTHS[d.month - 1]} {d.year}"
    if style == 3:
        return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"
    if style == 4:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == 5:
        return d.isoformat()
    if style == 6:
        return f"{d.month}/{d.day}/{d.year}"
    return f"{d.day}-{MONTHS[d.month - 1][:3].upper()}-{d.year}"


def _clinician(r: random.Random) -> str:
    return f"{r.choice(GIVEN)} {r.choice(CLINICIAN_FAMILY)}"


def _discharge(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("discharge")
    n.add("AUSTRITTSBERICHT / DISCHARGE SUMMARY\n\nName: ").phi(
        f"{p.family.upper()}, {p.given.upper()}", "NAME"
    )
    n.add("\nPID ").phi(p.mrn, "MRN").add("   Geb. ").phi(_date_text(r, p.birth), "DATE")
    n.add("\nEintritt: ").phi(_date_text(r, today - timedelta(days=6)), "DATE")
    n.add("   Austritt: ").phi(_date_text(r, today), "DATE").add("\n\n")
    n.add("Diagnosen:\n1. Acute on chronic heart failure (HFrEF, EF 30%)\n2. Parkinson's disease\n")
    n.add("3. Status post CABG\n\nVerlauf: The patient was admitted via the emergency department of ")
    n.phi(r.choice(HOSPITALS), "ADDRESS").add(". Diuresis with furosemide 40 mg IV bid; weight down 4 kg. ")
    n.add("Mr. " if r.random() < 0.5 else "Ms. ").phi(p.family, "NAME")
    n.add(" was mobilised with physiotherapy. Hope for further recovery at home is realistic.\n")
    n.add("Follow-up: GP Dr. med. ").phi(_clinician(r), "NAME").add(", ")
    n.phi(f"{p.street}, {p.postal} {p.city}", "ADDRESS").add(", Tel. ").phi(_phone(r), "PHONE")
    n.add(", Fax ").phi(_phone(r), "FAX").add("\n\nMit freundlichen Grüssen\n\n").phi(_clinician(r), "NAME")
    n.add(", Oberarzt Kardiologie\n")
    return n


def _referral(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("referral")
    doc = _clinician(r)
    n.phi(r.choice(HOSPITALS), "ADDRESS").add("\nDepartment of Cardiology\n").phi(
        _date_text(r, today), "DATE"
    )
    n.add("\n\nDear Dr. ").phi(doc.split()[1], "NAME").add(",\n\nThank you for seeing ")
    n.phi(f"{p.given} {p.family}", "NAME").add(" (DOB ").phi(_date_text(r, p.birth), "DATE").add(
        "; hospital no. "
    )
    n.phi(p.mrn, "MRN").add("), who lives at ").phi(f"{p.street}, {p.city} {p.postal}", "ADDRESS")
    n.add(". ").phi(p.given, "NAME").add(" has had exertional angina since ").phi(
        f"{MONTHS[(today.month + 5) % 12]} {today.year - 1}", "DATE"
    )
    n.add(". An exercise test on ").phi(f"{today.month}/{today.day}", "DATE").add(" was positive at 6 METs. ")
    n.add("Her sister ").phi(f"{r.choice(GIVEN)} {r.choice(FAMILY)}", "NAME").add(" can be reached on ")
    n.phi(_phone(r), "PHONE").add(". Insurance: member ID ").phi(
        f"XKZ{r.randrange(10**8, 10**9)}", "HEALTH_PLAN"
    )
    n.add(".\n\nKind regards,\n").phi(_clinician(r), "NAME").add(", MD\nLicence no. ").phi(
        f"GLN 76010{r.randrange(10**7, 10**8)}", "LICENSE"
    )
    n.add("\n")
    return n


def _nursing(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("nursing")
    n.add("Nursing note ").phi(_date_text(r, today), "DATE").add(" ").add(f"{r.randrange(6, 22):02d}:00")
    n.add("\nPt: ").phi(f"{p.family}, {p.given}", "NAME").add(" / Bed 4B\n")
    n.add("Pt resting comfortably, pain 2/10. Vitals stable, BP 128/76, SpO2 95% RA. ")
    n.add("Daughter ").phi(r.choice(GIVEN), "NAME").add(" visited, asked to be called at ").phi(
        _phone(r), "PHONE"
    )
    n.add(". Telemetry box ").phi(f"TX-{r.randrange(1000, 9999)}", "DEVICE_ID").add(" reattached. ")
    n.add("Will reassess at 1800. Fall risk: Morse 45.\n— ").phi(
        f"{r.choice(GIVEN)} {r.choice(FAMILY)}", "NAME"
    )
    n.add(", RN\n")
    return n


def _phone_call(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("telephone")
    n.add("TELEPHONE ENCOUNTER\nCaller: ").phi(f"{p.given.upper()} {p.family.upper()}", "NAME")
    n.add(" (patient)  Callback: ").phi(p.phone, "PHONE").add("\nDate: ").phi(_date_text(r, today), "DATE")
    n.add("\n").phi(p.given, "NAME").add(" called about ankle swelling since ").phi(
        f"{GERMAN_MONTHS[today.month - 1]} {today.year}" if r.random() < 0.5 else MONTHS[today.month - 1],
        "DATE",
    )
    n.add(". Weight up 2 kg. Advised to take an extra furosemide 20 mg and to send daily weights to ")
    n.phi("heartfailure@" + r.choice(["ksa.ch", "mercy.org"]), "EMAIL").add(" or upload them at ")
    n.phi(f"https://portal.{r.choice(['ksa.ch', 'mercyhealth.org'])}/u/{r.randrange(10**5, 10**6)}", "URL")
    n.add(". Pt verbalised understanding. Patient email on file: ").phi(p.email, "EMAIL").add(".\n")
    n.add("Documented by ").phi(_clinician(r), "NAME").add(" (RN)\n")
    return n


def _list_note(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("list")
    n.add("PATIENT SUMMARY\n- Name: ").phi(f"{p.given} {p.family}", "NAME")
    n.add("\n- Medical record: ").phi(p.mrn, "MRN").add("\n- SSN: ").phi(p.ssn, "SSN")
    n.add("\n- Account #: ").phi(f"{r.randrange(10**9, 10**10)}", "ACCOUNT")
    n.add("\n- Address: ").phi(f"{p.street}", "ADDRESS").add(", ").phi(p.postal, "ZIP").add(" ")
    n.phi(p.city, "ADDRESS").add("\n- Phone: ").phi(p.phone, "PHONE").add("\n- E-mail: ").phi(
        p.email, "EMAIL"
    )
    age = today.year - p.birth.year
    n.add("\n- Age: ")
    if age > 89:
        n.phi(str(age), "AGE_OVER_89")
    else:
        n.add(str(age))
    n.add(" years\n- Pacemaker serial: ").phi(f"PJN{r.randrange(10**6, 10**7)}", "DEVICE_ID")
    n.add("\n- Vehicle (transport): plate ").phi(f"ZH {r.randrange(10**5, 10**6)}", "VEHICLE_ID")
    n.add("\n- Last device check from IP ").phi(
        f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}", "IP"
    )
    n.add(
        "\n- Allergies: penicillin (rash)\n- Problems: Graves' disease, Crohn's disease, AF on apixaban 5 mg bid\n"  # noqa: E501
    )
    return n


def _elderly(r: random.Random, p: _Person, today: date) -> AltNote:
    n = AltNote("consult")
    age = r.randrange(90, 104)
    n.add("Geriatric consult for " + ("Mrs. " if r.random() < 0.5 else "")).phi(p.family, "NAME")
    n.add(", a ").phi(str(age), "AGE_OVER_89").add("-year-old woman seen on ").phi(
        _date_text(r, today), "DATE"
    )
    n.add(" at the request of Dr ").phi(_clinician(r).split()[1], "NAME").add(". She is ")
    n.phi(str(age), "AGE_OVER_89").add(" and lives alone in ").phi(p.city, "ADDRESS")
    n.add(". Mini-Cog 3/5. Her son ").phi(f"{r.choice(GIVEN)}", "NAME").add(" will help with medication. ")
    n.add("May benefit from home care. Mark the visit as urgent. Faith-based support declined.\n")
    n.phi(p.family, "NAME").add("'s advance directive (case ").phi(
        f"#{r.randrange(10**5, 10**6)}", "OTHER_ID"
    )
    n.add(") is on file.\n")
    return n


KINDS = (_discharge, _referral, _nursing, _phone_call, _list_note, _elderly)


def generate(n_notes: int = 300, seed: int = 11) -> list[AltNote]:
    """`n_notes` notes, each with its PHI spans and the patient's structured identifiers."""
    r = random.Random(seed)
    notes = []
    for i in range(n_notes):
        p = _person(r, i)
        today = date(2015, 1, 1) + timedelta(days=r.randrange(0, 3000))
        note = KINDS[i % len(KINDS)](r, p, today)
        note.patient = {
            "names": [f"{p.given} {p.family}"],
            "mrns": [p.mrn],
            "addresses": [p.street, p.city, p.postal],
            "phones": [p.phone],
            "emails": [p.email],
            "other": [p.ssn],
        }
        notes.append(note)
    return notes


if __name__ == "__main__":
    for note in generate(6):
        print(note.text)
        print([note.text[s:e] + f"/{c}" for s, e, c in note.spans])
        print("-" * 60)
