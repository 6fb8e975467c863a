"""People and places named by their context, which the word rules of `phi.py` miss: iCalendar and
directory fields ("ORGANIZER;CN=…", "LOCATION:…"), a person written as initials and family name ("G. P.
Thapa Magar"), a chat export's speaker, a name followed by who the person is ("Andile (husband)"), staff
initials after "by" / "w/", street words of more languages, post boxes, the street line of a letterhead
and the town before a UK postcode.

Each gives (start, end, category) spans; `phi.py`'s rules add them beside their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGIT = re.compile(r"\d")


# ------------------------------------------------------------------- calendar and directory fields

# iCalendar / LDAP common names: "ORGANIZER;CN=Miloš Nikolić:mailto:…", "CN=Smith\, John,OU=Staff"
_COMMON_NAME = re.compile(r"(?:^|[;:,])CN=\"?(?P<name>(?:[^:;,\n\"\\]|\\,)+)", re.MULTILINE)
# an iCalendar LOCATION: a place name, then the street line(s) and locality after escaped commas
_ICS_LOCATION = re.compile(r"^LOCATION[;:](?:[^:\n]*:)?(?P<value>[^\n]*)$", re.MULTILINE)


def calendar_spans(text: str) -> list[tuple[int, int, str]]:
    """Names in CN= fields, and the address parts of an iCalendar LOCATION after its first (the place)."""
    spans = []
    for m in _COMMON_NAME.finditer(text):
        name = m.group("name").rstrip()
        if any(ch.isalpha() for ch in name) and "@" not in name:
            spans.append((m.start("name"), m.start("name") + len(name), "NAME"))
    for m in _ICS_LOCATION.finditer(text):
        parts = re.split(r"\\,|;", m.group("value"))
        pos = m.start("value")
        for i, part in enumerate(parts):
            body = part.strip()
            if i > 0 and body and any(ch.isalpha() for ch in body):
                start = pos + part.index(body)
                spans.append((start, start + len(body), "ADDRESS"))
            pos += len(part) + 2
    return spans


# -------------------------------------------------------------------------- initials and family name

_UP = "A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ"
_LOW = "a-zß-öø-ÿĀ-ɏḀ-ỿ"
# "G. P. Thapa Magar", "M. Jurić", "H. Colón Figueroa", "S.-l. Wong": one to three initials, then one or
# two capitalised words
_INITIALS_NAME = re.compile(
    rf"(?<![\w./])(?:[{_UP}]\.(?:-?[{_UP}{_LOW}]\.)?[ \t]?){{1,3}}"
    rf"(?P<family>[{_UP}][{_LOW}'’]+(?:-[{_UP}][{_LOW}'’]+)?)(?:[ \t](?P<second>[{_UP}][{_LOW}'’]+))?"
)
# species and eponyms written after an initial: "E. Coli", "S. Aureus", "C. Diff"
_NOT_FAMILY = frozenset(
    "coli aureus pylori difficile diff aeruginosa pneumoniae faecalis faecium epidermidis influenzae cloacae "  # noqa: SIM905
    "baumannii albicans marcescens mirabilis typhi jejuni gonorrhoeae trachomatis vulgaris pyogenes "
    "agalactiae fib flutter braun kimlik".split()
)


def initials_name_spans(text: str, is_common: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """A person written as initials and family name; `is_common` rejects ordinary words ("A. The")."""
    spans = []
    for m in _INITIALS_NAME.finditer(text):
        family, second = m.group("family"), m.group("second")
        if family.lower() in _NOT_FAMILY or is_common(family):
            continue
        end = m.end() if second and not is_common(second) else m.end("family")
        spans.append((m.start(), end, "NAME"))
    return spans


# ------------------------------------------------------------------------------ street lines

# streets named by a word before or after the name in languages phi.py's street words miss: "C/ El Conde 2",
# "Bulevar kralja Aleksandra 4", "Gedimino pr. 3", "Narva mnt 1", "Jhamsikhel Marg", "Rruga e Durrësit 5"
_STREET_WORD = re.compile(
    rf"(?<![\w/])(?:C/|Cl\.|Cra\.|Urb\.|Bulevar|Bul\.|Blvd\.|Ulica|Ul\.|ul\.|Put|Trg|Obala|Rruga|Strada|Str\.|"
    rf"Calea|Aleea|Šoseaua|Prospekt|prosp\.|Jirón|Jr\.|Mahalla|Sokak|Cd\.|Jalan|Jl\.|Lorong|Soi|Thanon|"
    rf"Đường|Phố|Ngõ|Ruta|Camino|Pasaje|Psje\.|Tte\.|Gral\.|Cnel\.)\s"
    rf"(?:[{_UP}{_LOW}][\w'’.-]*\s){{0,4}}\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?\b"
    rf"|(?<![\w-])(?:[{_UP}][\w'’-]+\s){{1,3}}(?:pr\.|prospektas|mnt\.?|maantee|tn\.?|tänav|iela|gatvė|g\.|"
    rf"Marg|Path|Sadak|Chowk|Tole|Nagar|Colony)(?:\s\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?\b|(?=[\s,.\\]|$))"
    rf"|\b(?:House|Plot|Lot|Stand|Erf|Villa|Dar)\s(?:No\.?\s)?\d{{1,5}}[A-Z]?\b",
    re.MULTILINE,
)
# post boxes: "PO Box 888", "P.O. Box 4411-00100", "BP 5819", "B.P. 1234", "Caixa Postal 12", "Postfach 11 02"
_POST_BOX = re.compile(
    r"\b(?:P\.?\s?O\.?\s?Box|Post\sOffice\sBox|Private\sBag|Boîte\spostale|Caixa\sPostal|"
    r"Apartado(?:\sPostal)?|Casilla|Postfach|Postboks|Box)\s\d{1,6}(?:-\d{3,5})?\b"
    # the French "BP 5819", not a blood pressure ("BP 139/89", "BP 140 systolic")
    r"|\bB\.?P\.?\s\d{3,5}\b(?![/.,]?\d|\s?(?:/|mm|over|systolic|sys))"
)
_VITALS = re.compile(r"vital|pressure|pulse|\bHR\b|\bobs\b", re.IGNORECASE)
# a letterhead's street line: the line just above a line that is only "postcode locality"
_POSTCODE_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?\d{4,6}\s[A-ZÀ-Þ][\w .'’-]{1,40}$")


def street_spans(text: str) -> list[tuple[int, int, str]]:
    """Street lines in other languages' patterns, post boxes, the line above a "postcode locality" line."""
    spans = [(m.start(), m.end(), "ADDRESS") for m in _STREET_WORD.finditer(text)]
    for m in _POST_BOX.finditer(text):
        if m.group().startswith("B") and _VITALS.search(text, max(0, m.start() - 30), m.start()):
            continue  # "Vitals: BP 139"
        spans.append((m.start(), m.end(), "ADDRESS"))
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines[:-1]):
        body = line.strip()
        if (
            _POSTCODE_LINE.match(lines[i + 1].strip())
            and 4 <= len(body) <= 60
            and _DIGIT.search(body)
            and sum(ch.isdigit() for ch in body) <= 8
            and not re.search(r"[@:|]|\b(?:tel|fax|phone)\b", body, re.IGNORECASE)
        ):
            start = offset + line.index(body)
            spans.append((start, start + len(body), "ADDRESS"))
        offset += len(line) + 1
    return spans


# ------------------------------------------------------------------------------ people by context

# a chat export's speaker: "[07:46] Chiyo: …", "12/28/23, 07:32 - Marcelo: …", "[3/4/24, 09:05:11] B. Ward: …"
_CHAT_SPEAKER = re.compile(
    r"^\[?(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4},?\s)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\]?\s(?:-\s)?"
    rf"(?P<name>[{_UP}][\w'’.-]*(?:\s[{_UP}][\w'’.-]*){{0,3}}):\s",
    re.MULTILINE,
)
# a person named just before who they are: "Andile (husband)", "Rémi (physio)", "Wayne (dad)"
_NAME_THEN_ROLE = re.compile(
    rf"(?<![\w.])(?P<name>[{_UP}][{_LOW}'’-]+(?:\s[{_UP}][{_LOW}'’-]+)?)\s\((?:husband|wife|partner|son|daughter|"
    r"mother|father|mum|mom|dad|brother|sister|aunt|uncle|niece|nephew|cousin|grandson|granddaughter|"
    r"grandmother|grandfather|friend|neighbour|neighbor|carer|caregiver|guardian|physio|physiotherapist|nurse|"
    r"midwife|interpreter|social worker|key worker|OT|SLT|GP|pharmacist|dietitian|consultant|registrar)\)"
)
# staff initials after "by" / "w/": "received by VL", "Logged by ST", "next appt w/ FH"
_BY_INITIALS = re.compile(r"\b(?:by|w/)\s(?P<ini>[A-Z]{2,3})\b(?![-/.]?\w)")
# two or three capitals that are clinical, not a person: "by GP", "w/ ECG", "by CT"
_NOT_INITIALS = frozenset(
    "GP ED AE ER OT PT SLT ICU ITU HDU CCU MDT CT MRI ECG EEG EMG USS US PET IV IM SC PO PR NG NGT PEG OR "  # noqa: SIM905
    "AM PM NHS UK USA EU WHO CDC ENT GI GU OB ICD DNA RNA HIV HBV HCV TB MRSA COPD CKD AKI MI AF DVT PE "
    "BP HR RR SPO INR CRP FBC LFT UE ABG VBG CXR AXR KUB OPD IPD DN CNS ANP HCA RN RGN LPN NP PA MD DO "
    "ANY ALL THE AND FOR NOT NO YES TBC TBA NA NOK SMS FAX TEL TXT CAB BUS CAR VAN".split()
)
# a locality just before a UK postcode: "CLIFTON, BRISTOL BS15 2LY", "Heaton, Newcastle upon Tyne NE15 5RH"
_TOWN_POSTCODE = re.compile(
    rf"(?P<town>[{_UP}][\w'’-]+(?:\s(?:upon|on|under|le|en|[{_UP}][\w'’-]+)){{0,3}}),?\s+"
    r"(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b"
)


def context_person_spans(text: str) -> list[tuple[int, int, str]]:
    """Chat speakers, a name followed by who the person is, staff initials after "by" / "w/", and the
    locality before a UK postcode."""
    spans = [(m.start("name"), m.end("name"), "NAME") for m in _CHAT_SPEAKER.finditer(text)]
    spans += [(m.start("name"), m.end("name"), "NAME") for m in _NAME_THEN_ROLE.finditer(text)]
    spans += [
        (m.start("ini"), m.end("ini"), "NAME")
        for m in _BY_INITIALS.finditer(text)
        if m.group("ini") not in _NOT_INITIALS
    ]
    spans += [(m.start("town"), m.end("town"), "ADDRESS") for m in _TOWN_POSTCODE.finditer(text)]
    return spans
