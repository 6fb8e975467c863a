"""Second held-out set of PHI-seeded clinical notes ("alt2") for measuring a de-identification scrubber.

Written independently of the scrubber's rules and of the other note generators. Every PHI token is inserted
through :class:`_Doc`, which records its exact character span, so the ground truth cannot drift from the text.

Conventions used for the gold spans:

* titles ("Dr.", "Mr", "Prof. Dr. med.") and degrees ("MD", "FRCS") are outside NAME spans;
* a weekday or a clock time next to a date is outside the DATE span ("Tue " + "5/7", "2019-03-12" + " 14:32");
* a bare year ("since 2015") is not PHI; day-month dates without a year ("12 Mar", "the 4th") are;
* for ages over 89 only the number is marked ("94" in "94-year-old"); ages up to 89 are not PHI;
* a US state abbreviation is not PHI; street, city and postal code are (ADDRESS / ADDRESS / ZIP);
* hospital and department names are not PHI (they are generic here).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

CATEGORIES = (
    "NAME",
    "DATE",
    "AGE_OVER_89",
    "PHONE",
    "FAX",
    "EMAIL",
    "SSN",
    "MRN",
    "ACCOUNT",
    "LICENSE",
    "ADDRESS",
    "ZIP",
    "URL",
    "IP",
    "DEVICE_ID",
    "VEHICLE_ID",
    "HEALTH_PLAN",
    "OTHER_ID",
)


@dataclass(frozen=True)
class AltSpan:
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class AltPatient:
    names: tuple[str, ...]
    mrns: tuple[str, ...]
    addresses: tuple[str, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    other: tuple[str, ...]


@dataclass(frozen=True)
class AltNote:
    text: str
    spans: tuple[AltSpan, ...]
    patient: AltPatient


Piece = str | tuple[str, str]


class _Doc:
    """Append-only text builder; tuple pieces ``(value, category)`` become gold spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._spans: list[AltSpan] = []
        self._vals: list[str] = []

    def add(self, *pieces: Piece) -> _Doc:
        for p in pieces:
            if isinstance(p, tuple):
                s, cat = p
                assert cat in CATEGORIES, cat
                assert s and s == s.strip(), repr(s)
                self._spans.append(AltSpan(self._len, self._len + len(s), cat))
                self._vals.append(s)
            else:
                s = p
            self._parts.append(s)
            self._len += len(s)
        return self

    def build(self, patient: AltPatient) -> AltNote:
        text = "".join(self._parts)
        prev = 0
        for sp, val in zip(self._spans, self._vals, strict=True):
            assert sp.end > sp.start >= prev, (sp, val)
            assert text[sp.start : sp.end] == val, (text[sp.start : sp.end], val)
            prev = sp.end
        return AltNote(text=text, spans=tuple(self._spans), patient=patient)


def _nm(s: str) -> Piece:
    return (s, "NAME")


def _dt(s: str) -> Piece:
    return (s, "DATE")


def _ph(s: str) -> Piece:
    return (s, "PHONE")


# ----------------------------------------------------------------------------------------------------------
# Name pools (male given, female given, surnames) by origin
# ----------------------------------------------------------------------------------------------------------

_ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        (
            "James",
            "Robert",
            "William",
            "Michael",
            "David",
            "Richard",
            "Thomas",
            "Christopher",
            "Daniel",
            "Matthew",
            "Mark",
            "Grant",
            "Will",
            "Edward",
            "George",
            "Harold",
            "Arthur",
            "Frank",
            "Walter",
        ),
        (
            "Mary",
            "Patricia",
            "Margaret",
            "Elizabeth",
            "Susan",
            "Dorothy",
            "Rose",
            "May",
            "Hope",
            "Dawn",
            "Joy",
            "Katherine",
            "Eleanor",
            "Judith",
            "Barbara",
            "Helen",
            "Joan",
            "Shirley",
            "Evelyn",
            "Mildred",
        ),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Taylor",
            "Wilson",
            "Moore",
            "Clark",
            "Price",
            "Grant",
            "Hughes",
            "Bell",
            "Walker",
            "Wright",
            "Green",
            "Baker",
            "Hall",
            "Young",
            "King",
            "Cooper",
            "Ward",
            "Parker",
            "Bishop",
            "Fletcher",
            "Marsh",
            "Ashworth-Jones",
        ),
    ),
    "ga": (
        ("Ciaran", "Padraig", "Eoin", "Callum", "Hamish", "Seamus", "Declan", "Ruairi"),
        ("Siobhan", "Niamh", "Aoife", "Fiona", "Moira", "Sinead", "Orla", "Grainne"),
        (
            "O'Neill",
            "O'Brien",
            "MacDonald",
            "McAllister",
            "Fitzgerald",
            "O'Sullivan",
            "MacLeod",
            "McKenzie",
            "Gallagher",
            "Byrne",
            "Ní Bhriain",
        ),
    ),
    "nl": (
        ("Pieter", "Jan", "Willem", "Joost", "Sander", "Bram", "Maarten", "Daan", "Henk", "Kees"),
        (
            "Anneke",
            "Ingrid",
            "Marieke",
            "Femke",
            "Sanne",
            "Lotte",
            "Wilhelmina",
            "Geertruida",
            "Mieke",
            "Els",
        ),
        (
            "van der Berg",
            "de Vries",
            "van Dijk",
            "Bakker",
            "Jansen",
            "Visser",
            "Smit",
            "de Jong",
            "van den Heuvel",
            "Mulder",
            "de Boer",
            "Vermeulen",
            "van Leeuwen",
            "Kuipers",
            "ter Horst",
        ),
    ),
    "fr": (
        ("Jean", "Pierre", "Luc", "François", "Olivier", "Thierry", "Didier", "Étienne", "Mathieu", "Benoît"),
        (
            "Marie",
            "Sophie",
            "Camille",
            "Élodie",
            "Geneviève",
            "Brigitte",
            "Chantal",
            "Isabelle",
            "Margaux",
            "Aurélie",
        ),
        (
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Laurent",
            "Girard",
            "Rousseau",
            "Fontaine",
            "Chevalier",
            "Lambert",
            "Bonnet",
            "Dupont",
            "Leclerc",
            "Mercier",
            "Faure",
            "de la Fontaine",
            "Saint-Martin",
        ),
    ),
    "it": (
        (
            "Giuseppe",
            "Marco",
            "Luca",
            "Alessandro",
            "Giovanni",
            "Francesco",
            "Matteo",
            "Stefano",
            "Salvatore",
            "Lorenzo",
        ),
        (
            "Giulia",
            "Francesca",
            "Chiara",
            "Lucia",
            "Maria",
            "Rosa",
            "Alessandra",
            "Paola",
            "Carla",
            "Giovanna",
        ),
        (
            "Rossi",
            "Russo",
            "Ferrari",
            "Esposito",
            "Bianchi",
            "Romano",
            "Colombo",
            "Ricci",
            "Marino",
            "Greco",
            "Bruno",
            "Gallo",
            "Conti",
            "De Luca",
            "Mancini",
            "Lombardi",
            "Di Stefano",
            "Santoro",
        ),
    ),
    "de": (
        ("Klaus", "Jürgen", "Stefan", "Matthias", "Andreas", "Tobias", "Lukas", "Reto", "Urs", "Heinz"),
        ("Katrin", "Ursula", "Sabine", "Anja", "Petra", "Monika", "Heidi", "Franziska", "Annelies", "Regula"),
        (
            "Huber",
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Hoffmann",
            "Zimmermann",
            "Keller",
            "Brunner",
            "Gerber",
            "Baumgartner",
            "Schäfer",
            "Köhler",
            "von Arx",
        ),
    ),
    "es": (
        ("José", "Juan", "Carlos", "Luis", "Javier", "Miguel", "Alejandro", "Diego", "Rafael", "Andrés"),
        (
            "María José",
            "Carmen",
            "Lucía",
            "Ana",
            "Isabel",
            "Pilar",
            "Dolores",
            "Guadalupe",
            "Marisol",
            "Rocío",
        ),
        (
            "García-López",
            "Martínez",
            "Rodríguez",
            "Fernández",
            "González",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Díaz Ruiz",
            "Hernández",
            "Moreno",
            "Jiménez",
            "Álvarez",
            "Romero-Vidal",
            "de la Cruz",
            "Torres",
        ),
    ),
    "nord": (
        ("Lars", "Erik", "Magnus", "Nils", "Anders", "Sven"),
        ("Ingrid", "Astrid", "Sigrid", "Freya", "Kirsten", "Solveig"),
        ("Johansson", "Lindqvist", "Andersen", "Nilsson", "Halvorsen", "Bergström", "Jørgensen", "Eriksson"),
    ),
    "sa": (
        ("Rajesh", "Arjun", "Sanjay", "Vikram", "Anil", "Rohan"),
        ("Priya", "Ananya", "Sunita", "Lakshmi", "Kavya", "Deepa"),
        ("Patel", "Sharma", "Gupta", "Iyer", "Reddy", "Chaudhary", "Banerjee", "Nair", "Krishnamurthy"),
    ),
    "ea": (
        ("Wei", "Hiroshi", "Jun", "Min-jun", "Takeshi", "Jian"),
        ("Mei", "Yuki", "Ji-woo", "Xiaoling", "Akiko", "Hana"),
        ("Chen", "Wang", "Li", "Zhang", "Tanaka", "Nakamura", "Kim", "Park", "Nguyen", "Tran"),
    ),
    "ar": (
        ("Omar", "Ahmed", "Youssef", "Khalid", "Karim", "Tariq"),
        ("Fatima", "Aisha", "Layla", "Noor", "Yasmin", "Samira"),
        ("Haddad", "Al-Rashid", "El-Amin", "Khalil", "Mansour", "Abdullah", "Nasser", "Ben Ali"),
    ),
}

_NICK = {
    "Robert": "Bob", "William": "Bill", "Margaret": "Peggy", "Elizabeth": "Liz", "Katherine": "Kate",
    "James": "Jim", "Giuseppe": "Beppe", "Wilhelmina": "Mien", "Alessandro": "Sandro", "Christopher": "Chris",
    "Dorothy": "Dot", "Francesca": "Franci", "Geertruida": "Truus", "Matthias": "Hias", "Edward": "Ted",
}  # fmt: skip

_SETTING_ORIGINS = {
    "US": ("en", "en", "en", "es", "sa", "ea", "ar", "it", "ga"),
    "UK": ("en", "en", "ga", "ga", "sa", "nl", "fr", "it", "ar"),
    "NL": ("nl", "nl", "nl", "de", "ar", "fr", "en"),
    "DE": ("de", "de", "de", "nl", "it", "nord", "ar"),
    "CH": ("de", "de", "fr", "it", "it", "es", "nord"),
    "FR": ("fr", "fr", "fr", "ar", "es", "it", "nl"),
    "IT": ("it", "it", "it", "fr", "de", "es"),
}

_CITIES = {
    "US": (("Boston", "MA", "021"), ("Cambridge", "MA", "021"), ("Worcester", "MA", "016"),
           ("Springfield", "IL", "627"), ("Madison", "WI", "537"), ("Austin", "TX", "787"),
           ("Portland", "OR", "972"), ("Columbus", "OH", "432")),
    "UK": (("London", "", "SW"), ("Leeds", "", "LS"), ("Manchester", "", "M"), ("Bristol", "", "BS"),
           ("Glasgow", "", "G"), ("Edinburgh", "", "EH"), ("Cardiff", "", "CF"), ("Reading", "", "RG")),
    "NL": (("Amsterdam", "", ""), ("Utrecht", "", ""), ("Rotterdam", "", ""), ("Leiden", "", ""),
           ("Haarlem", "", ""), ("Groningen", "", ""), ("'s-Hertogenbosch", "", "")),
    "DE": (("Berlin", "", "1"), ("München", "", "8"), ("Hamburg", "", "2"), ("Köln", "", "5"),
           ("Freiburg im Breisgau", "", "7"), ("Leipzig", "", "0")),
    "CH": (("Zürich", "", "8"), ("Bern", "", "3"), ("Basel", "", "4"), ("Luzern", "", "6"),
           ("Winterthur", "", "8"), ("St. Gallen", "", "9")),
    "FR": (("Paris", "", "75"), ("Lyon", "", "69"), ("Marseille", "", "13"), ("Toulouse", "", "31"),
           ("Lille", "", "59"), ("Nantes", "", "44")),
    "IT": (("Roma", "", "00"), ("Milano", "", "20"), ("Torino", "", "10"), ("Bologna", "", "40"),
           ("Firenze", "", "50"), ("Napoli", "", "80")),
}  # fmt: skip

_STREETS = {
    "US": ("Elm", "Maple", "Washington", "Lincoln", "Cedar", "Oak Hill", "Pleasant", "Highland", "Prospect",
           "Beacon"),
    "UK": ("Victoria", "Church", "Mill", "Station", "Queen's", "Albert", "Park", "Kingsley", "Rosebery",
           "Grove"),
    "NL": ("Keizersgracht", "Prinsengracht", "Oudegracht", "Lange Voorhout", "Wilhelminastraat",
           "Dorpsstraat", "Julianalaan", "Bloemstraat"),
    "DE": ("Bahnhofstraße", "Goethestraße", "Hauptstraße", "Lindenweg", "Schillerplatz", "Am Markt",
           "Kastanienallee"),
    "CH": ("Bahnhofstrasse", "Seefeldstrasse", "Rämistrasse", "Dorfstrasse", "Kirchweg", "Lindenhofweg"),
    "FR": ("rue des Lilas", "avenue Victor Hugo", "boulevard Voltaire", "rue de la République",
           "impasse des Roses", "place Bellecour"),
    "IT": ("Via Garibaldi", "Via Roma", "Via Dante Alighieri", "Via dei Mille", "Corso Vittorio Emanuele II",
           "Piazza Cavour"),
}  # fmt: skip

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_MONTHS_FOREIGN = {
    "NL": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "DE": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "FR": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "IT": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}  # fmt: skip
_MONTHS_FOREIGN["CH"] = _MONTHS_FOREIGN["DE"]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_DISTRACTORS = (
    "Will repeat U&E in the morning.",
    "May need dose reduction if eGFR falls below 30 mL/min/1.73m2.",
    "Hope is to get home with a package of care.",
    "Bill as extended consultation (level 5).",
    "Mark site confirmed with the patient before transfer.",
    "Grant of attendance allowance still pending.",
    "Price of apixaban discussed; generic not yet available.",
    "Troponin rose from 12 to 48 ng/L over 3 h.",
    "Symptoms are worst at dawn and ease by midday.",
    "Expressed joy at seeing the grandchildren at the weekend.",
    "Babinski sign negative bilaterally.",
    "Known Parkinson's disease since 2015, on co-careldopa 25/100 mg TDS.",
    "A 24-hour Holter monitor has been requested.",
    "Glasgow Coma Scale 14 (E4 V4 M6).",
    "Swan-Ganz catheter wedge pressure 18 mmHg.",
    "Hb 11.2 g/dL, K+ 4.1 mmol/L, creatinine 112 µmol/L, CRP 36 mg/L.",
    "BP 135/85 mmHg, HR 72 bpm, SpO2 97% on air.",
    "Functional class NYHA III; CCS angina class II.",
    "Ex-smoker since 2008 (30 pack-years).",
    "Hodgkin lymphoma in 1998, treated with ABVD.",
    "Crohn's disease, quiescent on azathioprine 100 mg OD.",
    "Bell's palsy on the left in 2011, fully resolved.",
    "Austin Flint murmur not heard.",
    "Murphy's sign negative; Homans' sign negative.",
    "Graves' disease, post radioiodine, on levothyroxine 100 micrograms.",
    "CHA2DS2-VASc 4, HAS-BLED 2.",
    "Wells score 1; D-dimer 0.4 mg/L FEU.",
    "Foley catheter removed; passed urine.",
    "Mallampati II, ASA 3.",
    "Alzheimer's dementia, MMSE 19/30.",
    "Metformin 500 mg BD, ramipril 5 mg OD, atorvastatin 40 mg nocte.",
    "Addison's disease on hydrocortisone 10/5/5 mg.",
    "Reviewed in the Whipple follow-up list in 2021.",
    "Cushing's reflex not present.",
    "INR 2.6 on warfarin 5 mg; target 2-3.",
)


# ----------------------------------------------------------------------------------------------------------
# Generators for identifiers
# ----------------------------------------------------------------------------------------------------------


def _digits(rng: random.Random, k: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(k))


def _letters(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(k))


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in s.lower() if c.isalnum())


def _phone(rng: random.Random, setting: str) -> str:
    r = rng.randrange(4)
    if setting == "US":
        a = rng.choice(("617", "508", "217", "608", "512", "503", "614", "857"))
        b, c = f"{rng.randint(200, 999)}", _digits(rng, 4)
        return (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}")[r]
    if setting == "UK":
        return (
            f"+44 20 {rng.randint(7000, 8999)} {_digits(rng, 4)}",
            f"020 {rng.randint(7000, 8999)} {_digits(rng, 4)}",
            f"07700 {_digits(rng, 6)}",
            f"0113 {_digits(rng, 3)} {_digits(rng, 4)}",
        )[r]
    if setting == "NL":
        return (
            f"06-{_digits(rng, 8)}",
            f"+31 6 {_digits(rng, 4)} {_digits(rng, 4)}",
            f"020-{_digits(rng, 7)}",
            f"+31 (0)71 {_digits(rng, 3)} {_digits(rng, 4)}",
        )[r]
    if setting == "DE":
        return (
            f"(030) {_digits(rng, 7)}",
            f"+49 30 {_digits(rng, 8)}",
            f"0176 {_digits(rng, 8)}",
            f"089/{_digits(rng, 7)}",
        )[r]
    if setting == "CH":
        return (
            f"079 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"+41 44 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"044 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"+41 (0)31 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
        )[r]
    if setting == "FR":
        pairs = [_digits(rng, 2) for _ in range(4)]
        return (
            "01 " + " ".join(pairs),
            "+33 6 " + " ".join(pairs),
            "06." + ".".join(pairs),
            "04 72 " + " ".join(pairs[:3]),
        )[r]
    return (
        f"+39 06 {_digits(rng, 4)} {_digits(rng, 4)}",
        f"333 {_digits(rng, 3)} {_digits(rng, 4)}",
        f"02 {_digits(rng, 4)} {_digits(rng, 4)}",
        f"+39 338 {_digits(rng, 7)}",
    )[r]


def _postal(rng: random.Random, setting: str, prefix: str) -> str:
    if setting == "US":
        return prefix + _digits(rng, 2)
    if setting == "UK":
        return f"{prefix}{rng.randint(1, 20)} {rng.randint(1, 9)}{_letters(rng, 2)}"
    if setting == "NL":
        return f"{rng.randint(1000, 9999)} {_letters(rng, 2)}"
    if setting == "DE":
        return prefix + _digits(rng, 4)
    if setting == "CH":
        return prefix + _digits(rng, 3)
    if setting == "FR":
        return prefix + "0" + _digits(rng, 2)
    return prefix + "1" + _digits(rng, 2)


def _street(rng: random.Random, setting: str) -> str:
    name = rng.choice(_STREETS[setting])
    if setting == "US":
        s = f"{rng.randint(2, 980)} {name} {rng.choice(('St', 'Street', 'Ave', 'Road', 'Lane', 'Drive'))}"
        return s + (f", Apt {rng.randint(1, 9)}{rng.choice('ABCD')}" if rng.random() < 0.25 else "")
    if setting == "UK":
        s = f"{rng.randint(2, 180)} {name} {rng.choice(('Road', 'Street', 'Close', 'Crescent', 'Gardens'))}"
        return (f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.25 else "") + s
    if setting == "NL":
        return f"{name} {rng.randint(1, 400)}{rng.choice(('', '', 'a', '-II', ' hs'))}"
    if setting in ("DE", "CH"):
        return f"{name} {rng.randint(1, 120)}{rng.choice(('', '', 'a', 'b'))}"
    if setting == "FR":
        return f"{rng.randint(1, 140)}{rng.choice(('', '', ' bis'))} {name}"
    return f"{name} {rng.randint(1, 200)}"


def _mrn(rng: random.Random) -> tuple[str, str]:
    """(label, value)"""
    r = rng.randrange(6)
    if r == 0:
        return "Hospital No:", f"{_digits(rng, 4)}-{_digits(rng, 4)}"
    if r == 1:
        return "MRN#", "A" + _digits(rng, 7)
    if r == 2:
        return "MRN:", _digits(rng, 8)
    if r == 3:
        return "UR", f"{_digits(rng, 3)}-{_digits(rng, 3)}"
    if r == 4:
        return "Patient ID:", f"P-{_digits(rng, 5)}-{rng.randint(0, 9)}"
    return "PID", "K" + _digits(rng, 9)


def _natid(rng: random.Random, setting: str) -> tuple[str, str, str]:
    """(label, value, category) of the national person identifier."""
    if setting == "US":
        return "SSN", f"{rng.randint(101, 665)}-{rng.randint(10, 99)}-{_digits(rng, 4)}", "SSN"
    if setting == "UK":
        return "NHS No", f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 4)}", "OTHER_ID"
    if setting == "NL":
        return "BSN", _digits(rng, 9), "OTHER_ID"
    if setting == "DE":
        return "Ausweis-Nr.", _letters(rng, 1) + _digits(rng, 8), "OTHER_ID"
    if setting == "CH":
        return "AHV-Nr.", f"756.{_digits(rng, 4)}.{_digits(rng, 4)}.{_digits(rng, 2)}", "SSN"
    if setting == "FR":
        v = f"{rng.randint(1, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 3)} "
        return "NIR", v + f"{_digits(rng, 3)} {_digits(rng, 2)}", "SSN"
    return (
        "C.F.",
        _letters(rng, 6)
        + _digits(rng, 2)
        + _letters(rng, 1)
        + _digits(rng, 2)
        + _letters(rng, 1)
        + (_digits(rng, 3) + _letters(rng, 1)),
        "OTHER_ID",
    )


def _plan(rng: random.Random, setting: str) -> tuple[str, str]:
    """(insurer + label, member number)"""
    if setting == "US":
        return rng.choice(
            (
                ("BlueCross member ID", _letters(rng, 3) + _digits(rng, 9)),
                ("Medicare MBI", f"{rng.randint(1, 9)}{_letters(rng, 2)}{rng.randint(1, 9)}-"
                 f"{_letters(rng, 2)}{rng.randint(1, 9)}-{_letters(rng, 2)}{_digits(rng, 2)}"),
                ("Aetna ID", "W" + _digits(rng, 9)),
            )
        )  # fmt: skip
    if setting == "UK":
        return "Bupa membership no.", _digits(rng, 8)
    if setting == "NL":
        return rng.choice(("Zilveren Kruis polisnr.", "CZ relatienr.", "VGZ polisnummer")), _digits(rng, 9)
    if setting == "DE":
        return rng.choice(("AOK Versichertennr.", "TK Versichertennr.")), _letters(rng, 1) + _digits(rng, 9)
    if setting == "CH":
        return rng.choice(("CSS Versichertenkarte", "Helsana Vers.-Nr.")), (
            f"80756{_digits(rng, 5)} {_digits(rng, 10)}"
        )
    if setting == "FR":
        return "mutuelle MGEN adhérent n°", _digits(rng, 10)
    return "tessera sanitaria n.", "80380" + _digits(rng, 15)


def _plate(rng: random.Random, setting: str) -> str:
    if setting == "UK":
        return f"{_letters(rng, 2)}{_digits(rng, 2)} {_letters(rng, 3)}"
    if setting == "US":
        return rng.choice(
            (
                f"{rng.randint(1, 9)}{_letters(rng, 3)}{_digits(rng, 3)}",
                f"{_letters(rng, 3)}-{_digits(rng, 4)}",
            )
        )
    if setting == "NL":
        return f"{_letters(rng, 2)}-{_digits(rng, 3)}-{_letters(rng, 1)}"
    if setting in ("DE", "CH"):
        return rng.choice((f"M-{_letters(rng, 2)} {_digits(rng, 4)}", f"ZH {_digits(rng, 6)}"))
    return f"{_letters(rng, 2)}-{_digits(rng, 3)}-{_letters(rng, 2)}"


def _ip(rng: random.Random) -> str:
    r = rng.randrange(4)
    if r == 0:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r == 1:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r == 2:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return "fe80::" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(4))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(rng: random.Random, d: date, setting: str, style: str | None = None, full: bool = False) -> str:
    if style is None:
        pools = {
            "US": ("mdy", "mdy_short", "month_day_year", "iso", "dd_mon_yyyy", "month_ord"),
            "UK": ("dmy_slash", "d_month_y", "ord_of", "iso", "dd_mon_yyyy", "d_mon"),
        }
        pool = pools.get(setting, ("dmy_dot", "dmy_dot_short", "iso", "foreign", "dmy_slash"))
        style = rng.choice([st for st in pool if not (full and st in ("month_ord", "d_mon"))])
    m = _MONTHS[d.month - 1]
    if style == "iso":
        return d.isoformat()
    if style == "mdy":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "mdy_short":
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == "month_day_year":
        return f"{m} {d.day}, {d.year}"
    if style == "month_ord":
        return f"{m} {_ordinal(d.day)}"
    if style == "dd_mon_yyyy":
        return f"{d.day:02d}-{m[:3]}-{d.year}"
    if style == "dmy_slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "d_month_y":
        return f"{d.day} {m} {d.year}"
    if style == "ord_of":
        return f"{_ordinal(d.day)} of {m} {d.year}"
    if style == "d_mon":
        return f"{d.day} {m[:3]}"
    if style == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dmy_dot_short":
        return f"{d.day}.{d.month}.{d.year % 100:02d}"
    if style == "foreign":
        return f"{d.day} {_MONTHS_FOREIGN[setting][d.month - 1]} {d.year}"
    raise ValueError(style)


def _time(rng: random.Random, us: bool = False) -> str:
    h, mi = rng.randint(0, 23), rng.choice((0, 5, 12, 15, 20, 30, 41, 45, 52))
    if us and rng.random() < 0.6:
        return f"{(h - 1) % 12 + 1}:{mi:02d} {'AM' if h < 12 else 'PM'}"
    return rng.choice((f"{h:02d}:{mi:02d}", f"{h:02d}{mi:02d}h", f"{h:02d}:{mi:02d}"))


# ----------------------------------------------------------------------------------------------------------
# Patient / clinician context
# ----------------------------------------------------------------------------------------------------------


@dataclass
class _Person:
    given: str
    family: str
    sex: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def _person(rng: random.Random, origin: str, sex: str | None = None) -> _Person:
    male, female, fam = _ORIGINS[origin]
    sex = sex or rng.choice("MF")
    return _Person(rng.choice(male if sex == "M" else female), rng.choice(fam), sex)


@dataclass
class _Pt:
    p: _Person
    setting: str
    dob: date
    visit: date
    mrn_label: str
    mrn: str
    street: str
    city: str
    state: str
    postal: str
    phone: str
    phone2: str
    email: str
    natid: tuple[str, str, str]
    plan: tuple[str, str]
    origin: str

    @property
    def age(self) -> int:
        v, b = self.visit, self.dob
        return v.year - b.year - ((v.month, v.day) < (b.month, b.day))

    @property
    def he(self) -> str:
        return "he" if self.p.sex == "M" else "she"

    @property
    def his(self) -> str:
        return "his" if self.p.sex == "M" else "her"

    @property
    def title(self) -> str:
        return "Mr" if self.p.sex == "M" else "Mrs"

    @property
    def nick(self) -> str:
        return _NICK.get(self.p.given, self.p.given)

    def record(self) -> AltPatient:
        _, nat, _ = self.natid
        return AltPatient(
            names=(self.p.full,),
            mrns=(self.mrn,),
            addresses=(self.street, self.city, self.postal),
            phones=(self.phone, self.phone2),
            emails=(self.email,),
            other=(nat, self.plan[1]),
        )


def _make_pt(rng: random.Random) -> _Pt:
    setting = rng.choice(tuple(_SETTING_ORIGINS))
    origin = rng.choice(_SETTING_ORIGINS[setting])
    p = _person(rng, origin)
    visit = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    age = rng.randint(90, 103) if rng.random() < 0.25 else rng.randint(24, 89)
    dob = visit - timedelta(days=int(age * 365.25) + rng.randrange(360))
    city, state, prefix = rng.choice(_CITIES[setting])
    label, mrn = _mrn(rng)
    dom = rng.choice(("gmail.com", "outlook.com", "yahoo.com", "web.de", "orange.fr", "ziggo.nl", "libero.it",
                      "btinternet.com", "bluewin.ch", "icloud.com"))  # fmt: skip
    local = rng.choice(
        (
            f"{_ascii(p.given)}.{_ascii(p.family)}",
            f"{_ascii(p.given)[0]}{_ascii(p.family)}{rng.randint(1, 99)}",
            f"{_ascii(p.family)}_{rng.randint(1940, 1999)}",
        )
    )
    return _Pt(
        p=p,
        setting=setting,
        dob=dob,
        visit=visit,
        mrn_label=label,
        mrn=mrn,
        street=_street(rng, setting),
        city=city,
        state=state,
        postal=_postal(rng, setting, prefix),
        phone=_phone(rng, setting),
        phone2=_phone(rng, setting),
        email=f"{local}@{dom}",
        natid=_natid(rng, setting),
        plan=_plan(rng, setting),
        origin=origin,
    )


def _clin(rng: random.Random, pt: _Pt) -> _Person:
    return _person(rng, rng.choice(_SETTING_ORIGINS[pt.setting]))


def _cref(rng: random.Random, c: _Person, style: int | None = None) -> list[Piece]:
    """Reference to a clinician (title outside the span)."""
    style = rng.randrange(7) if style is None else style
    if style == 0:
        return ["Dr. ", _nm(f"{c.given[0]}. {c.family}")]
    if style == 1:
        return ["Dr ", _nm(c.full)]
    if style == 2:
        return [_nm(c.full), ", MD"]
    if style == 3:
        return [_nm(f"{c.family.upper()}, {c.given}")]
    if style == 4:
        return ["Prof. Dr. med. ", _nm(c.family)]
    if style == 5:
        return ["Dr ", _nm(c.family)]
    return [_nm(f"{c.given[0]}. {c.family}")]


def _pref(rng: random.Random, pt: _Pt, style: int | None = None) -> list[Piece]:
    """Reference to the patient."""
    style = rng.randrange(6) if style is None else style
    p = pt.p
    if style == 0:
        return [_nm(p.full)]
    if style == 1:
        return [_nm(f"{p.family.upper()}, {p.given}")]
    if style == 2:
        return [_nm(f"{p.given[0]}. {p.family}")]
    if style == 3:
        return [f"{pt.title} ", _nm(p.family)]
    if style == 4:
        return [_nm(f"{p.family}, {p.given}")]
    return [_nm(p.given)]


def _age(pt: _Pt) -> Piece:
    return (str(pt.age), "AGE_OVER_89") if pt.age > 89 else str(pt.age)


def _mrn_piece(pt: _Pt) -> list[Piece]:
    return [pt.mrn_label + " ", (pt.mrn, "MRN")]


def _distract(rng: random.Random, k: int) -> str:
    return " ".join(rng.sample(_DISTRACTORS, k))


def _relative(rng: random.Random, pt: _Pt) -> tuple[str, _Person]:
    spouse = "wife" if pt.p.sex == "M" else "husband"
    rel = rng.choice(("daughter", "son", spouse, spouse, "niece", "granddaughter", "brother", "sister"))
    sex = "F" if rel in ("daughter", "wife", "niece", "granddaughter", "sister") else "M"
    other = _person(rng, pt.origin, sex)
    if rel in ("son", "brother") or (rel in ("daughter", "sister") and rng.random() < 0.5):
        other.family = pt.p.family
    if rel in ("wife", "husband") and rng.random() < 0.7:
        other.family = pt.p.family
    return rel, other


def _addr(pt: _Pt, sep: str = ", ") -> list[Piece]:
    out: list[Piece] = [(pt.street, "ADDRESS"), sep]
    if pt.setting in ("US",):
        out += [(pt.city, "ADDRESS"), f", {pt.state} ", (pt.postal, "ZIP")]
    elif pt.setting == "UK":
        out += [(pt.city, "ADDRESS"), sep, (pt.postal, "ZIP")]
    elif pt.setting == "CH" and pt.street.endswith("a"):
        out += ["CH-", (pt.postal, "ZIP"), " ", (pt.city, "ADDRESS")]
    else:
        out += [(pt.postal, "ZIP"), " ", (pt.city, "ADDRESS")]
    return out


# ----------------------------------------------------------------------------------------------------------
# Note kinds
# ----------------------------------------------------------------------------------------------------------


def _ed_triage(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    us = pt.setting == "US"
    nurse, doc = _clin(rng, pt), _clin(rng, pt)
    rel, r = _relative(rng, pt)
    mech = rng.choice(
        ("MVC, restrained driver", "fall at home", "collapse in supermarket", "cycling accident")
    )
    d.add("EMERGENCY DEPARTMENT - TRIAGE\nArrival: ", _dt(_date(rng, pt.visit, pt.setting, "iso")), " ")
    d.add(_time(rng), "   Mode: ambulance\n")
    d.add(
        "Pt: ",
        *_pref(rng, pt, 1),
        "   DOB ",
        _dt(_date(rng, pt.dob, pt.setting, full=True)),
        "   ",
        *_mrn_piece(pt),
        "\n",
    )
    d.add("Age: ", _age(pt), pt.p.sex, "   Triage cat: ", rng.choice(("2", "3", "ESI 2", "ESI 3")), "\n")
    d.add(f"CC: {rng.choice(('chest pain', 'SOB', 'head injury', 'hip pain after fall', 'confusion'))}\n")
    d.add("HPI: ", _age(pt), f"yo {'M' if pt.p.sex == 'M' else 'F'} BIB EMS after {mech}. ")
    if mech.startswith("MVC"):
        d.add("Vehicle reg ", (_plate(rng, pt.setting), "VEHICLE_ID"), " per police at scene. ")
    d.add(_distract(rng, 2), "\n")
    d.add("Vitals: BP ", f"{rng.randint(95, 175)}/{rng.randint(50, 100)}", f", HR {rng.randint(55, 130)}, ")
    d.add(f"RR {rng.randint(12, 28)}, T {rng.randint(360, 391) / 10} C, GCS {rng.randint(12, 15)}\n")
    d.add(f"Collateral from {rel} ", _nm(r.given), " on ", _ph(pt.phone2), f" - {pt.he} lives at ")
    d.add(*_addr(pt), ".\n")
    d.add("Triage RN: ", _nm(f"{nurse.given} {nurse.family[0]}."), "   Assigned MD: ", *_cref(rng, doc))
    d.add(" (pager ", _ph(f"{rng.randint(2, 8)}-{_digits(rng, 4)}"), ")\n")
    if us:
        d.add(pt.plan[0], ": ", (pt.plan[1], "HEALTH_PLAN"), "\n")
    return d


def _operative(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    surg, asst, anaes = _clin(rng, pt), _clin(rng, pt), _clin(rng, pt)
    proc, implant = rng.choice(
        (
            ("Right total hip arthroplasty", "femoral stem"),
            ("Dual-chamber pacemaker implantation", "pulse generator"),
            ("Laparoscopic cholecystectomy", None),
            ("Open reduction internal fixation left distal radius", "volar locking plate"),
            ("Aortic valve replacement (bioprosthetic)", "bioprosthesis"),
        )
    )
    d.add("OPERATION NOTE\n\n")
    d.add("Name: ", *_pref(rng, pt, 0), "    Hospital No: ", (pt.mrn, "MRN"), "    Account: ")
    d.add((f"{_digits(rng, 4)}-{_digits(rng, 2)}-{_digits(rng, 3)}", "ACCOUNT"), "\n")
    d.add("Date of operation: ", _dt(_date(rng, pt.visit, pt.setting, "ord_of")), "\n")
    d.add("Surgeon: Mr ", _nm(surg.full), " FRCS   Assistant: ", *_cref(rng, asst, 0))
    d.add("   Anaesthetist: ", *_cref(rng, anaes, 5), "\n")
    d.add(f"Procedure: {proc}\nAnaesthesia: GA + regional block. Patient positioned supine; ")
    d.add("Swan-Ganz catheter placed by anaesthesia. " if "valve" in proc else "WHO checklist completed. ")
    d.add("\nFindings: ", _distract(rng, 1), " Estimated blood loss 250 mL.\n")
    if implant:
        ser = rng.choice((f"{_letters(rng, 3)}{_digits(rng, 6)}{_letters(rng, 1)}", f"SN {_digits(rng, 8)}"))
        d.add(f"Implant: {implant}, serial ", (ser, "DEVICE_ID"), f", lot {rng.randint(1000, 9999)}")
        d.add(" (lot numbers are batch-level, not patient identifiers).\n")
    d.add("Post-op: ", _distract(rng, 1), " Will be reviewed on the ward round on the ")
    d.add(_dt(_ordinal((pt.visit + timedelta(days=1)).day)), ".\n")
    d.add("Dictated ", _dt(_date(rng, pt.visit, pt.setting)), " ", _time(rng), " by ", _nm(surg.family))
    d.add("; typed ", _dt(_date(rng, pt.visit + timedelta(days=2), pt.setting)), ".\n")
    return d


def _pathology(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    sub, path = _clin(rng, pt), _clin(rng, pt)
    yy = pt.visit.year % 100
    acc = f"S{yy:02d}-{_digits(rng, 5)}"
    d.add("SURGICAL PATHOLOGY REPORT                Accession: ", (acc, "OTHER_ID"), "\n")
    d.add(
        "Name: ",
        *_pref(rng, pt, 1),
        "   ",
        *_mrn_piece(pt),
        "   DOB: ",
        _dt(_date(rng, pt.dob, pt.setting, full=True)),
    )
    d.add(f"   Sex: {pt.p.sex}\n")
    d.add("Collected: ", _dt(_date(rng, pt.visit, pt.setting, "dmy_dot")), "   Received: ")
    d.add(_dt(_date(rng, pt.visit + timedelta(days=1), pt.setting, "dmy_dot_short")), "\n")
    d.add("Submitting physician: ", *_cref(rng, sub, 0), "\n\n")
    spec = rng.choice(("prostate core biopsies (12)", "sigmoid colon resection", "skin ellipse, left forearm",
                       "left breast wide local excision"))  # fmt: skip
    d.add(f"Clinical history: {spec}. ", _distract(rng, 1), "\n")
    d.add('Gross: Received in formalin in a container labelled "', _nm(pt.p.full), '" and "', (pt.mrn, "MRN"))
    d.add(f'". Specimen measures {rng.randint(5, 90)} x {rng.randint(5, 40)} x {rng.randint(2, 20)} mm.\n')
    micro = (
        "Acinar adenocarcinoma, Gleason score 3+4=7 (Grade Group 2).",
        "Moderately differentiated adenocarcinoma, pT3 N0 (0/14).",
        "Superficial spreading melanoma, Breslow 0.6 mm, Clark level II.",
        "Invasive ductal carcinoma, Nottingham grade 2, ER 8/8, HER2 1+.",
    )
    d.add("Microscopy: ", rng.choice(micro))
    d.add(f" Ki-67 approx. {rng.randint(5, 40)}%.\n")
    d.add(
        "Comment: case shown at MDT; previous biopsy ",
        (f"S{(yy - 2) % 100:02d}-{_digits(rng, 5)}", "OTHER_ID"),
    )
    d.add(" reviewed.\nElectronically signed: ", *_cref(rng, path, 2), " ")
    d.add(_dt(_date(rng, pt.visit + timedelta(days=4), pt.setting, "iso")), " ", _time(rng), "\n")
    return d


def _echo(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    ref, son, rep = _clin(rng, pt), _clin(rng, pt), _clin(rng, pt)
    ef = rng.randint(20, 65)
    d.add("TRANSTHORACIC ECHOCARDIOGRAM\n")
    d.add("Patient ID: ", (pt.mrn, "MRN"), " | ", *_pref(rng, pt, 4), " | age ", _age(pt), " | ")
    d.add(_dt(_date(rng, pt.visit, pt.setting)), "\n")
    d.add("Referring: ", *_cref(rng, ref, 6), "; Sonographer: ", _nm(f"{son.given[0]}{son.family[0]}"), " (")
    d.add(_nm(son.full), ")\n")
    d.add(f"Height {rng.randint(150, 195)} cm, weight {rng.randint(45, 120)} kg, BSA 1.9 m2, BP ")
    d.add(f"{rng.randint(100, 160)}/{rng.randint(60, 95)} mmHg, rhythm: sinus.\n")
    d.add(f"LV: EF {ef}% (Simpson biplane), GLS -{rng.randint(8, 21)}%. LVIDd {rng.randint(42, 68)} mm.\n")
    d.add(f"Valves: AV Vmax {rng.randint(15, 45) / 10} m/s; mild MR. TAPSE {rng.randint(12, 26)} mm.\n")
    d.add("Conclusion: ", "Severely impaired LV function. " if ef < 35 else "Preserved LV function. ")
    d.add(_distract(rng, 1), "\n")
    host = rng.choice(("echo.cardio-net.org", "pacs.university-hospital.org", "imaging.regionalhealth.net"))
    d.add("Images: ", (f"https://{host}/viewer?patientId={pt.mrn}&study={_digits(rng, 7)}", "URL"), "\n")
    d.add("Reported by ", *_cref(rng, rep, 1), " on ", _dt(_date(rng, pt.visit, pt.setting)), "\n")
    return d


def _uk_letter(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    gp, cons = _clin(rng, pt), _clin(rng, pt)
    rel, r = _relative(rng, pt)
    s = pt.setting
    d.add("Department of Cardiology - Outpatient Clinic\n")
    d.add("Dictated: ", _dt(_date(rng, pt.visit, s, "ord_of" if s == "UK" else None)), "   Typed: ")
    d.add(
        _dt(_date(rng, pt.visit + timedelta(days=rng.randint(2, 9)), s, "d_mon" if s == "UK" else None)),
        "\n\n",
    )
    d.add("Dear Dr ", _nm(gp.family), ",\n\n")
    d.add("Re: ", f"{pt.title} ", _nm(f"{pt.p.given} {pt.p.family.upper()}"), ", DOB ")
    d.add(_dt(_date(rng, pt.dob, s, "dmy_slash")), ", ", *_mrn_piece(pt), ", ")
    nat_label, nat, nat_cat = pt.natid
    d.add(nat_label, " ", (nat, nat_cat), "\n", *_addr(pt), "\n\n")
    d.add("Diagnoses:\n1. Heart failure with reduced ejection fraction, NYHA II-III\n2. Paroxysmal AF\n\n")
    d.add("I saw ", f"{pt.title} ", _nm(pt.p.family), f" in clinic today, accompanied by {pt.his} {rel} ")
    d.add(_nm(r.given), ". ", _distract(rng, 2), " ")
    d.add(f"{pt.he.capitalize()} is now ", _age(pt), " and remains fairly independent. ")
    d.add("I would be grateful if you could re-check renal function in a fortnight. ")
    d.add("Hope this is helpful; I will see ", _nm(pt.p.given if rng.random() < 0.5 else pt.p.family))
    d.add(
        " again in the Heart Failure clinic on ", _dt(_date(rng, pt.visit + timedelta(days=84), s)), ".\n\n"
    )
    d.add("Yours sincerely,\n\n\n", *_cref(rng, cons, 1), "\nConsultant Cardiologist\n")
    d.add(
        "Secretary: ",
        _nm(_person(rng, "en").full),
        ", Tel ",
        _ph(_phone(rng, s)),
        " ext. ",
        _ph(_digits(rng, 4)),
    )
    d.add("   Fax ", (_phone(rng, s), "FAX"), "\nEmail: ")
    dom = {"UK": "nhs.net", "US": "mgh.harvard.example.org", "NL": "umcutrecht.example.nl"}.get(
        s, "hospital.eu"
    )
    d.add((f"{_ascii(cons.given)}.{_ascii(cons.family)}@{dom}", "EMAIL"), "\n")
    d.add("cc: ", _nm(pt.p.full), ", ", (pt.street, "ADDRESS"), "\n")
    return d


def _pharmacy(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    ph, presc = _clin(rng, pt), _clin(rng, pt)
    us = pt.setting == "US"
    d.add("PHARMACY - MEDICATION RECONCILIATION (admission)\n")
    d.add("Patient: ", *_pref(rng, pt, 2), " (", (pt.mrn, "MRN"), ")   Allergies: penicillin (rash)\n")
    d.add(pt.plan[0], " ", (pt.plan[1], "HEALTH_PLAN"), "\n")
    d.add("Sources: patient, ", rng.choice(("community pharmacy", "GP summary", "pill organiser")))
    d.add(
        ". Spoke with ",
        _nm(pt.nick if rng.random() < 0.5 else pt.p.given),
        f" about {pt.his} meds by phone (",
    )
    d.add(_ph(pt.phone), ") on ", _WEEKDAYS[pt.visit.weekday()], " ")
    d.add(_dt(f"{pt.visit.month}/{pt.visit.day}" if us else f"{pt.visit.day}/{pt.visit.month}"), ".\n\n")
    meds = rng.sample(
        ("apixaban 5 mg BD", "bisoprolol 2.5 mg OD", "furosemide 40 mg mane", "levothyroxine 75 mcg OD",
         "sertraline 50 mg OD", "insulin glargine 18 units nocte", "amlodipine 10 mg OD",
         "tamsulosin 400 mcg ON", "omeprazole 20 mg OD", "paracetamol 1 g QDS PRN", "digoxin 62.5 mcg OD"),
        5,
    )  # fmt: skip
    for m in meds:
        d.add(
            f"  - {m}: {rng.choice(('continue', 'held', 'dose changed', 'continue - patient own supply'))}\n"
        )
    d.add("\nNotes: ", _distract(rng, 2), " ")
    d.add("Daughter-in-law collects prescriptions. " if rng.random() < 0.5 else "Uses blister packs. ")
    d.add("Community pharmacy fax ", (_phone(rng, pt.setting), "FAX"), ".\n")
    d.add("Prescriber: ", *_cref(rng, presc, 0))
    if us:
        d.add(
            ", DEA ",
            (f"{_letters(rng, 2)}{_digits(rng, 7)}", "LICENSE"),
            ", NPI ",
            (_digits(rng, 10), "OTHER_ID"),
        )
    else:
        d.add(", GMC " if pt.setting == "UK" else ", licence no. ", (_digits(rng, 7), "LICENSE"))
    d.add("\nPharmacist: ", _nm(ph.full), ", PharmD  bleep ", _ph(_digits(rng, 4)), "\n")
    return d


def _social_work(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    sw = _clin(rng, pt)
    rel, r = _relative(rng, pt)
    rel2, r2 = _relative(rng, pt)
    s = pt.setting
    d.add("Social Work Note - ", _dt(_date(rng, pt.visit, s)), "\n\n")
    d.add("Referred for discharge planning. Pt is a ", _age(pt), "-year-old ")
    d.add("widow" if pt.p.sex == "F" else "widower", " who lives alone at ", (pt.street, "ADDRESS"), " in ")
    d.add((pt.city, "ADDRESS"), f" (first-floor flat, {rng.randint(8, 20)} steps). ")
    d.add(f"{rel.capitalize()} ", _nm(r.full), " (", _ph(_phone(rng, s)), ") is health care proxy; ")
    d.add(f"{rel2} ", _nm(r2.given), " lives abroad and calls weekly. ")
    d.add(f"Met with {'him' if pt.p.sex == 'M' else 'her'} and ", _nm(r.given), " at bedside. ")
    d.add(_distract(rng, 1), "\n")
    d.add(f"Driving: {pt.his} licence ", (f"{_letters(rng, 1)}{_digits(rng, 7)}", "LICENSE"))
    d.add(" was surrendered; family plan to sell the car (plate ", (_plate(rng, s), "VEHICLE_ID"), ").\n")
    nat_label, nat, nat_cat = pt.natid
    d.add(f"Benefits: {nat_label} ", (nat, nat_cat), " verified for the application; ")
    d.add(pt.plan[0], " ", (pt.plan[1], "HEALTH_PLAN"), ".\n")
    d.add(
        "Mood: tearful at times but expressed joy about going home. Bill for home care to go to the council. "
    )
    d.add(
        "Will follow up with ", _nm(r.given), " re: respite options; pt prefers email (", (pt.email, "EMAIL")
    )
    d.add(").\n")
    d.add("-- ", _nm(sw.full), ", LCSW, ext. ", _ph(_digits(rng, 4)), "\n")
    return d


def _radiology_addendum(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    rad, ref = _clin(rng, pt), _clin(rng, pt)
    s = pt.setting
    study = rng.choice(("CT chest with contrast", "MRI brain", "CT abdomen/pelvis", "CT pulmonary angiogram"))
    d.add(f"ADDENDUM to {study} of ", _dt(_date(rng, pt.visit, s)), "   Accession ")
    d.add((f"{_letters(rng, 2)}{_digits(rng, 8)}", "OTHER_ID"), "\n")
    d.add("Patient: ", *_pref(rng, pt, 4), "   ", *_mrn_piece(pt), "   Age: ", _age(pt), "\n\n")
    d.add("Addendum ", _dt(_date(rng, pt.visit + timedelta(days=1), s, "iso")), " ", _time(rng), ": ")
    d.add(
        "Comparison made with outside study dated ", _dt(_date(rng, pt.visit - timedelta(days=400), s)), ", "
    )
    d.add(
        "retrieved from ",
        (f"https://imagesharing.example-health.org/studies/{pt.mrn}/{_digits(rng, 6)}", "URL"),
    )
    d.add(". The 6 mm nodule in the right upper lobe is unchanged since then; no further follow-up required ")
    d.add("per Fleischner criteria. ", _distract(rng, 1), "\n")
    d.add("Findings discussed with ", *_cref(rng, ref), " (bleep ", _ph(_digits(rng, 4)), ") at ", _time(rng))
    d.add(". Key images pushed to workstation ", (_ip(rng), "IP"), ".\n")
    d.add("Signed: ", *_cref(rng, rad, 3), ", Consultant Radiologist\n")
    return d


def _death_summary(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    dr = _clin(rng, pt)
    rel, r = _relative(rng, pt)
    s = pt.setting
    adm = pt.visit - timedelta(days=rng.randint(2, 20))
    d.add("DEATH SUMMARY\n\nDeceased: ", *_pref(rng, pt, 0), ", aged ", _age(pt), ", ", *_mrn_piece(pt), "\n")
    d.add("Address: ", *_addr(pt), "\n")
    d.add(
        "Admitted: ", _dt(_date(rng, adm, s)), "   Died: ", _dt(_date(rng, pt.visit, s)), " at ", _time(rng)
    )
    d.add("\nCause of death: 1a ", rng.choice(("aspiration pneumonia", "cardiogenic shock", "sepsis")))
    d.add(", 1b ", rng.choice(("Parkinson's disease", "ischaemic cardiomyopathy", "urinary tract infection")))
    d.add("\n\nSummary: ", _distract(rng, 2), " Ceiling of care agreed with the family on ")
    d.add(_dt(_date(rng, adm + timedelta(days=1), s, "month_ord" if s == "US" else "d_mon")), ". ")
    d.add(f"{pt.his.capitalize()} {rel}, ", _nm(r.full), ", was present and was informed by telephone (")
    d.add(_ph(pt.phone2), ") of the death.\n")
    if rng.random() < 0.6:
        dev = f"{_letters(rng, 3)}{_digits(rng, 6)}{_letters(rng, 1)}"
        d.add(
            "Implanted device: pacemaker, serial ", (dev, "DEVICE_ID"), " - to be removed before cremation.\n"
        )
    d.add("Certified by ", *_cref(rng, dr, 1), f" (licence {rng.choice(('no.', '#'))} ")
    d.add((f"{_digits(rng, 7)}", "LICENSE"), "). Coroner referral not required.\n")
    return d


def _portal(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    dr, rn = _clin(rng, pt), _clin(rng, pt)
    us = pt.setting == "US"
    sent = pt.visit
    d.add(
        "From: ", _nm(pt.p.full), " <", (pt.email, "EMAIL"), ">\nTo: Care team of ", *_cref(rng, dr, 1), "\n"
    )
    d.add("Sent: ", _WEEKDAYS[sent.weekday()], " ")
    d.add(_dt(_date(rng, sent, pt.setting, "mdy_short" if us else "dmy_slash")), " ", _time(rng, us), "\n")
    d.add("Subject: question about my water tablet\n\n")
    d.add("Hi Dr. ", _nm(dr.family), ", this is ", _nm(pt.nick), ". ")
    d.add(f"My blood pressure was {rng.randint(140, 175)}/{rng.randint(80, 100)} this morning and my ankles ")
    d.add(
        "are swollen again. May I take an extra furosemide 40 mg? My ",
        "wife" if pt.p.sex == "M" else "husband",
    )
    _, rel = _relative(rng, pt)
    d.add(" ", _nm(rel.given), " can drive me in on ", _WEEKDAYS[(sent.weekday() + 2) % 7], " ")
    d2 = sent + timedelta(days=2)
    d.add(_dt(f"{d2.month}/{d2.day}" if us else f"{d2.day}/{d2.month}"), " if needed. ")
    d.add("My new cell number is ", _ph(pt.phone), ".\nThanks, ", _nm(pt.nick), "\n\n")
    d.add("---- Reply from ", _nm(f"{rn.given} {rn.family}"), ", RN ----\n")
    d.add("Hi ", _nm(pt.nick), ", yes, take one extra tablet today and weigh yourself daily. ")
    d.add("Dr. ", _nm(dr.family), " will see you on the ", _dt(_ordinal(d2.day)), ". ")
    d.add(
        "Your latest results are at ", (f"https://myhealth.portal-example.com/pt/{pt.mrn}/labs", "URL"), ". "
    )
    d.add("Mark your weights in the diary. Call ", _ph(_phone(rng, pt.setting)), " if short of breath.\n")
    return d


def _device_clinic(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    tech = _clin(rng, pt)
    s = pt.setting
    maker = rng.choice(("Medtronic", "Boston Scientific", "Abbott", "Biotronik"))
    d.add("DEVICE CLINIC - ICD INTERROGATION   ", _dt(_date(rng, pt.visit, s)), "\n")
    d.add(*_pref(rng, pt, 0), " | DOB ", _dt(_date(rng, pt.dob, s, "iso")), " | ", *_mrn_piece(pt), "\n")
    d.add(f"Device: {maker} dual-chamber ICD, serial ")
    d.add((f"{_letters(rng, 3)}{_digits(rng, 6)}{rng.choice('SHRG')}", "DEVICE_ID"), "; implanted ")
    d.add(_dt(_date(rng, pt.visit - timedelta(days=rng.randint(300, 2500)), s)), "\n")
    d.add("Leads: RA serial ", (f"{_letters(rng, 3)}{_digits(rng, 7)}V", "DEVICE_ID"), ", RV serial ")
    d.add((f"{_letters(rng, 3)}{_digits(rng, 7)}V", "DEVICE_ID"), "\n")
    d.add(f"Battery {rng.randint(4, 11)} years. RV threshold {rng.randint(5, 15) / 10} V @ 0.4 ms, ")
    d.add(f"sensing {rng.randint(6, 20)} mV, impedance {rng.randint(380, 900)} ohm.\n")
    d.add("Remote monitor: home transmitter SN ", (_digits(rng, 10), "DEVICE_ID"), ", last transmission ")
    d.add(
        _dt(_date(rng, pt.visit - timedelta(days=3), s, "iso")),
        " ",
        _time(rng),
        " from ",
        (_ip(rng), "IP"),
        ".\n",
    )
    d.add("Events: 1 episode of NSVT, no therapies. ", _distract(rng, 1), "\n")
    d.add("Seen by ", _nm(tech.full), " (cardiac physiologist). Next remote check in 3 months.\n")
    return d


def _prior_auth(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    dr = _clin(rng, pt)
    s = pt.setting
    nat_label, nat, nat_cat = pt.natid
    d.add("PRIOR AUTHORIZATION REQUEST\nTo: Utilization Review, fax ", (_phone(rng, s), "FAX"), "\n")
    d.add("Date: ", _dt(_date(rng, pt.visit, s)), "\n\n")
    d.add("Member: ", *_pref(rng, pt, 1), "   DOB: ", _dt(_date(rng, pt.dob, s, full=True)), "\n")
    d.add(pt.plan[0], ": ", (pt.plan[1], "HEALTH_PLAN"), "   Group: ", (_digits(rng, 6), "HEALTH_PLAN"), "\n")
    d.add(f"{nat_label}: ", (nat, nat_cat), "   Patient account no.: ", (_digits(rng, 12), "ACCOUNT"), "\n")
    d.add("Address: ", *_addr(pt), "   Phone: ", _ph(pt.phone), "\n\n")
    d.add("Requesting provider: ", *_cref(rng, dr, 2), ", state licence ")
    d.add((f"MD{_digits(rng, 6)}", "LICENSE"), ", NPI ", (_digits(rng, 10), "OTHER_ID"), "\n")
    d.add("Service: sacubitril/valsartan 49/51 mg BD; ")
    d.add("Holter monitor; cardiac MRI.\nJustification: LVEF 30% despite 3 months of maximal tolerated ")
    d.add("GDMT. ", _distract(rng, 2), "\n")
    d.add("Price quoted by specialty pharmacy attached. Please reply to ", _ph(_phone(rng, s)), " ext. ")
    d.add(_ph(_digits(rng, 4)), ".\n")
    return d


def _nursing_handover(rng: random.Random, pt: _Pt) -> _Doc:
    d = _Doc()
    n1, n2, dr = _clin(rng, pt), _clin(rng, pt), _clin(rng, pt)
    rel, r = _relative(rng, pt)
    s = pt.setting
    d.add("SBAR handover, ward 7B, night -> day, ", _dt(_date(rng, pt.visit, s, "dmy_dot_short")), "\n")
    d.add("S: ", _nm(pt.p.given), " ", _nm(pt.p.family), f", bed {rng.randint(1, 28)}, ")
    d.add(
        _age(pt),
        " y/o, ",
        *_mrn_piece(pt),
        f", admitted with {rng.choice(('CAP', 'UTI', 'NSTEMI', 'delirium'))}.\n",
    )
    d.add("B: ", _distract(rng, 2), "\n")
    d.add(f"A: restless overnight, pulled out cannula at 03:00. NEWS2 {rng.randint(1, 7)}. ")
    d.add("Reviewed by ", *_cref(rng, dr, 6), " who will review bloods at 10:00.\n")
    d.add(f"R: {rel} ", _nm(r.given), " would like a call after the ward round - number ", _ph(pt.phone2))
    d.add(". Visiting with ", _nm(r.given), " again on the ")
    d.add(
        _dt(_ordinal((pt.visit + timedelta(days=3)).day)), ". Rose and fell twice overnight (bed alarm on).\n"
    )
    d.add("Handed over by ", _nm(n1.given), " to ", _nm(f"{n2.given} {n2.family}"), ".\n")
    return d


def _ed_discharge_fr(rng: random.Random, pt: _Pt) -> _Doc:
    """Discharge letter to the family doctor in mixed European style."""
    d = _Doc()
    dr, gp = _clin(rng, pt), _clin(rng, pt)
    s = pt.setting
    d.add("Lettre de sortie / Discharge letter\n\n")
    d.add("Cher confrère, Dr ", _nm(gp.family), ",\n\n")
    d.add(
        "Votre patient",
        "" if pt.p.sex == "M" else "e",
        " ",
        *_pref(rng, pt, 0),
        ", né",
        "" if pt.p.sex == "M" else "e",
    )
    d.add(" le ", _dt(_date(rng, pt.dob, s, "foreign" if s in _MONTHS_FOREIGN else "d_month_y")), " (")
    d.add(_age(pt), " ans), ", *_mrn_piece(pt), ", domicilié", "" if pt.p.sex == "M" else "e", " ")
    d.add(*_addr(pt), ", tél. ", _ph(pt.phone), ",\n")
    d.add(
        "a été hospitalisé", "" if pt.p.sex == "M" else "e", " du ", _dt(_date(rng, pt.visit, s, "dmy_slash"))
    )
    d.add(" au ", _dt(_date(rng, pt.visit + timedelta(days=rng.randint(2, 12)), s, "dmy_slash")), ".\n\n")
    d.add("Diagnostic: decompensated heart failure. ", _distract(rng, 2), "\n")
    d.add("Traitement de sortie: furosémide 40 mg, bisoprolol 5 mg, spironolactone 25 mg.\n")
    d.add(
        "Contrôle avec ", *_cref(rng, dr, 0), " le ", _dt(_date(rng, pt.visit + timedelta(days=30), s)), ".\n"
    )
    d.add("Cordialement,\n", *_cref(rng, dr, 1), "\nSecrétariat: ", _ph(_phone(rng, s)), ", fax ")
    d.add((_phone(rng, s), "FAX"), "\n")
    return d


_KINDS = {
    "ed_triage": _ed_triage,
    "operative_report": _operative,
    "pathology_report": _pathology,
    "echo_report": _echo,
    "cardiology_letter": _uk_letter,
    "pharmacy_reconciliation": _pharmacy,
    "social_work": _social_work,
    "radiology_addendum": _radiology_addendum,
    "death_summary": _death_summary,
    "portal_message": _portal,
    "device_clinic": _device_clinic,
    "prior_authorization": _prior_auth,
    "nursing_handover": _nursing_handover,
    "discharge_letter_eu": _ed_discharge_fr,
}


def _check(note: AltNote) -> None:
    """Every span is non-empty; no full identifier from the record occurs in the text outside a span."""
    covered = [False] * len(note.text)
    for sp in note.spans:
        assert note.text[sp.start : sp.end].strip(), sp
        covered[sp.start : sp.end] = [True] * (sp.end - sp.start)
    p = note.patient
    # the city is exempt: it may legitimately occur as an ordinary word ("Austin Flint murmur")
    street, _city, postal = p.addresses
    for value in (*p.names, *p.mrns, street, postal, *p.phones, *p.emails, *p.other):
        for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", note.text):
            hit = zip(covered[m.start() :], value, strict=False)
            assert all(c or ch.isspace() for c, ch in hit), (value, note.text)


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    """``n`` notes with exact PHI spans; deterministic in ``seed``. Note kinds cycle in a shuffled order."""
    rng = random.Random(seed)
    kinds = list(_KINDS.values())
    notes: list[AltNote] = []
    order: list[int] = []
    for _ in range(n):
        if not order:
            order = list(range(len(kinds)))
            rng.shuffle(order)
        pt = _make_pt(rng)
        note = kinds[order.pop()](rng, pt).build(pt.record())
        _check(note)
        notes.append(note)
    return notes


def category_counts(notes: list[AltNote]) -> Counter[str]:
    return Counter(sp.category for note in notes for sp in note.spans)


if __name__ == "__main__":
    _notes = generate(300, 0)
    for _note in _notes[:3]:
        print(_note.text)
        print("  spans:", [(_note.text[s.start : s.end], s.category) for s in _note.spans])
        print("-" * 100)
    _counts = category_counts(_notes)
    for _cat in CATEGORIES:
        print(f"{_cat:12s} {_counts.get(_cat, 0)}")
    print("total spans", sum(_counts.values()), "notes", len(_notes))
