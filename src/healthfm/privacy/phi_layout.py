"""PHI cues the word rules of `phi.py` miss, from a note's layout and phrasing: the cells of a pasted table
under a header that names an identifying column ("Patient | MRN | Called to | Ext"), identifiers and
telephone numbers dictated digit by digit ("medical record number seven one one eight eight", "plus, three
eight five, nine one, …"), the postcode closing a street line, numbered identifiers ("incident no INC-…"),
plates after the vehicle, calendar (iCalendar) and directory fields ("ORGANIZER;CN=…", "LOCATION:…"), a
person named by initials and family name ("G. P. Thapa Magar") and the street line of a letterhead.
Dates and ages are in `phi_dates.py`.

Each gives (start, end, category) spans; `phi.py`'s rules add them beside their own. They mark only what
the layout says is identifying: a "Result" or "Test" column, a run of two spelled digits, a lot or room
number is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# ---------------------------------------------------------------------------------------------- tables

# header words → the category of the column's cells, first match wins ("patient id" before "patient")
_HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern, re.IGNORECASE))
    for category, pattern in (
        (
            "MRN",
            r"\b(?:mrn|mr\s?#|urn?|hosp(?:ital)?\.?\s?(?:no|num|number|nr|#|id)|unit\s?(?:no|number)|"
            r"(?:medical\s)?record\s?(?:no|number|#|id)|chart|nhs|nhi|chi|pat(?:ient)?[\s-]?(?:id|no|nr|number|#)|"
            r"patientn(?:r|ummer)|ipp|nip|nhc|hn|folder)\b",
        ),
        (
            "ACCOUNT",
            r"\b(?:account|acct|encounter|episode|visit\s?(?:no|id|#)|fin|fall(?:nummer|-?nr)|billing)\b",
        ),
        (
            "OTHER_ID",
            r"\b(?:specimen|accession|sample|lab\s?(?:no|id|#)|barcode|case\s?(?:no|id|#)|passport|participant|"
            r"subject\s?(?:no|id)|study\s?id|booking|referral\s?(?:no|id))\b",
        ),
        ("SSN", r"\b(?:ssn|social\ssecurity|national\s(?:id|number)|id\scard|identity)\b"),
        (
            "HEALTH_PLAN",
            r"\b(?:insurance|insurer\sno|member|policy|medicare|medicaid|plan\sid|health\splan)\b",
        ),
        ("FAX", r"\bfax\b"),
        (
            "PHONE",
            r"\b(?:phone|tel|telephone|mobile|cell|ext|extn|extension|bleep|pager|contact\s(?:no|number))\b",
        ),
        ("EMAIL", r"\be-?mail\b"),
        ("DATE", r"\b(?:date|dob|d\.o\.b|born|birth|admitted|discharged|collected|received)\b"),
        ("ZIP", r"\b(?:post\s?code|zip|postal\scode|plz)\b"),
        ("ADDRESS", r"\b(?:address|street)\b"),
        (
            "NAME",
            r"\b(?:patient|name|surname|given|forename|called\sto|caller|by|reported\sto|informed|clinician|"
            r"doctor|physician|nurse|consultant|surgeon|gp|requester|contact|relative|next\sof\skin|nok|donor|"
            r"recipient|staff|initials|witness|who|midwife|carer|parent|mother|father|guardian|cons|responder|"
            r"logged\sby|raised\sby|answered\sby)\b",
        ),
    )
)
# a header naming a thing, not a person: "Test name", "Drug name", "Ward", "Site" …
_THING = re.compile(
    r"\b(?:test|drug|medication|medicine|product|item|device|vaccine|brand|hospital|ward|unit|site|facility|"
    r"organi[sz]ation|practice|clinic|department|service|team|procedure|file|image|study|code|result|type)\b",
    re.IGNORECASE,
)
_PLACEHOLDER = frozenset(
    [
        "-",
        "--",
        "---",
        "—",
        "n/a",
        "na",
        "n.a.",
        "none",
        "nil",
        "yes",
        "no",
        "y",
        "n",
        "?",
        "unknown",
        "unk",
        "tbc",
        "tba",
        "pending",
        "self",
        "same",
        "ok",
        "done",
        "x",
        "✓",
        "✗",
    ]
)
_TITLE = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Miss|Mx|Sr|Sister|Nurse|Pr|Dott|Dra|Sra|Herr|Frau)\.?\s+)+")
_CREDENTIAL = re.compile(
    r",?\s+(?:RN|RM|MD|DO|NP|PA|RPh|PharmD|MBBS|FRCP|FRCR|FRANZCR|PhD|MSc|BSc|CNS|ANP|RGN|EN|HCA|CNM|DNP|MRCP)"
    r"\.?\s*$"
)
_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-zé]*\.?(?=\s|$|\d|,)", re.IGNORECASE
)
_SEPARATOR_ROW = re.compile(r"^[\s|:+-]*$")


def _cells(line: str, offset: int, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's stripped text, in text coordinates."""
    out = []
    pos = 0
    for part in line.split(sep):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        out.append((offset + pos + lead, offset + pos + lead + len(body)))
        pos += len(part) + len(sep)
    return out


def _separator(line: str) -> str | None:
    if "|" in line:
        return "|"
    if line.count("\t") >= 2:
        return "\t"
    if line.count(";") >= 3:
        return ";"  # a CSV export with semicolons ("case_id;name;dob;onset")
    return None


def _blocks(text: str) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Runs of consecutive lines with the same separator (pipes or tabs), at least a header and a row."""
    block: list[tuple[str, int]] = []
    sep: str | None = None
    offset = 0
    for line in [*text.split("\n"), ""]:
        this = _separator(line)
        if this is not None and (sep is None or this == sep):
            sep = this
            block.append((line, offset))
        else:
            if sep is not None and len(block) >= 2:
                yield sep, block
            block, sep = ([(line, offset)], this) if this is not None else ([], None)
        offset += len(line) + 1


def _column_category(header: str) -> str | None:
    header = header.replace("_", " ")  # "case_id", "participant_id"
    for category, pattern in _HEADERS:
        if pattern.search(header):
            if category == "NAME" and _THING.search(header):
                return None
            return category
    return None


def _name_cell(text: str, start: int, end: int) -> tuple[int, int] | None:
    cell = text[start:end]
    title = _TITLE.match(cell)
    if title:
        start += title.end()
    credential = _CREDENTIAL.search(text[start:end])
    if credential:
        end = start + credential.start()
    cell = text[start:end]
    if not any(ch.isalpha() for ch in cell) or len(cell.split()) > 6:
        return None
    return start, end


def table_spans(text: str) -> list[tuple[int, int, str]]:
    """Cells of pipe or tab tables whose header names an identifying column."""
    spans: list[tuple[int, int, str]] = []
    for sep, block in _blocks(text):
        header_line, header_offset = block[0]
        header = _cells(header_line, header_offset, sep)
        if any(_DIGIT.search(text[s:e]) for s, e in header):
            continue  # not a header row
        categories = [_column_category(text[s:e]) for s, e in header]
        if not any(categories):
            continue
        for line, offset in block[1:]:
            if _SEPARATOR_ROW.match(line):
                continue
            cells = _cells(line, offset, sep)
            if len(cells) == len(header) + 1 and cells[-1][0] == cells[-1][1]:
                cells.pop()  # a trailing separator ("…;M16L051990;")
            if len(cells) != len(header):
                continue  # the columns do not line up: no guess
            for (start, end), category in zip(cells, categories, strict=True):
                cell = text[start:end]
                if category is None or end <= start or cell.lower() in _PLACEHOLDER:
                    continue
                digits = len(_DIGIT.findall(cell))
                if category == "NAME":
                    if digits:  # a "Patient" column holding a number holds the record number
                        if digits >= 4 and len(cell.split()) <= 2:
                            spans.append((start, end, "MRN"))
                        continue
                    named = _name_cell(text, start, end)
                    if named:
                        spans.append((*named, "NAME"))
                elif category == "EMAIL":
                    if "@" in cell:
                        spans.append((start, end, category))
                elif category == "DATE":
                    if (digits or _MONTH_WORD.search(cell)) and len(cell.split()) <= 5:
                        spans.append((start, end, category))
                elif category in ("ADDRESS", "ZIP") or (digits >= 3 and len(cell.split()) <= 4):
                    spans.append((start, end, category))
    return spans


# ------------------------------------------------------------------------------------- spoken digits

_DIGIT_WORDS = frozenset(
    [
        "zero",
        "oh",
        "o",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "niner",
        "double",
        "triple",
    ]
)
_WORD = re.compile(r"[A-Za-z]+")
_PHONE_CONTEXT = re.compile(
    r"\b(?:phone|telephone|tel|mobile|cell|call(?:ed)?|ring|reach|contact|number is|on)\s*$", re.IGNORECASE
)
_SPOKEN_PLUS = re.compile(r"\bplus,?\s*$", re.IGNORECASE)
_RECORD_CONTEXT = re.compile(
    r"\b(?:medical record|record|mrn|hospital|unit|chart|patient)\s+(?:number|no|id)?\s*$", re.IGNORECASE
)


def spoken_id_spans(text: str, min_digits: int = 4) -> list[tuple[int, int, str]]:
    """Runs of single digits dictated as words ("seven one one eight eight", also with letters spelled
    out, "l u t h two five six"): at least `min_digits` digit words, which no dose or count reads like.
    Digit groups read out with commas between them ("plus, three eight five, nine one, …") make one run
    when they add up to a telephone number's seven digits or more; a leading "plus" belongs to it.
    PHONE or MRN from the words just before the run, else OTHER_ID."""
    spans: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []
    grouped = False  # the run joins digit groups across commas

    def close() -> None:
        nonlocal grouped
        while run and run[-1].group().lower() not in _DIGIT_WORDS:
            run.pop()  # a run ends on a digit
        need = 7 if grouped else min_digits
        if sum(m.group().lower() in _DIGIT_WORDS for m in run) >= need:
            while run and len(run[0].group()) == 1 and run[0].group().lower() in "ai" and len(run) > 1:
                if len(run[1].group()) == 1 and run[1].group().lower() not in _DIGIT_WORDS:
                    break  # "z v a one …": the letter belongs to the spelled id
                run.pop(0)  # the article "a" before the digits
            start, end = run[0].start(), run[-1].end()
            plus = _SPOKEN_PLUS.search(text, max(0, start - 8), start)
            start = plus.start() if plus else start
            before = text[max(0, start - 40) : start]
            category = (
                "MRN"
                if _RECORD_CONTEXT.search(before)
                else "PHONE"
                if plus or grouped or _PHONE_CONTEXT.search(before)
                else "OTHER_ID"
            )
            spans.append((start, end, category))
        run.clear()
        grouped = False

    last_end = 0
    for m in _WORD.finditer(text):
        word = m.group().lower()
        gap = text[last_end : m.start()].strip()
        spelled = word in _DIGIT_WORDS or (len(word) == 1 and word.isalpha())
        comma = gap == "," and bool(run) and run[-1].group().lower() in _DIGIT_WORDS and word in _DIGIT_WORDS
        joined = not run or gap in ("", "-") or comma
        if not (spelled and joined):
            close()
        if spelled:
            grouped = grouped or comma
            run.append(m)
        last_end = m.end()
    close()
    return spans


# ------------------------------------------------------------------------------------------- postcodes

# a postcode closing an address: digits (optionally dashed), Canadian "V5R 4C7", Ghanaian "AK-398-7043"
_TAIL_CODE = re.compile(
    r"(?:^|[\s,^(])(?P<code>\d{4,6}(?:-\d{3,4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{2}-\d{3}-\d{4})(?=$|[\s,^)|;.])"
)


def postcode_after(text: str, end: int, limit: int = 90) -> tuple[int, int] | None:
    """The postcode that closes the address whose street line ends at `end`: the last code-shaped
    token on the same line (or HL7 field), within `limit` characters."""
    stop = end + limit
    for ch in "\n|":
        at = text.find(ch, end, stop)
        if at != -1:
            stop = at
    found = None
    for m in _TAIL_CODE.finditer(text, end, stop):
        found = (m.start("code"), m.end("code"))
    return found


# ------------------------------------------------------------------------------------ numbered ids, plates

# "<what> no. ID": a number introduced by "no"/"nr"/"number" is an identifier unless what it numbers is
# a thing (a lot, a catalogue entry, a room, a version …)
_NUMBERED = re.compile(
    r"\b(?P<what>[\w-]+)\s(?:no|nr|number|num|#)\b\.?:?\s?"
    r"(?P<id>(?:[A-Z]{1,5}[ -])?[A-Z0-9][A-Z0-9/.-]*[A-Z0-9](?:[ -][A-Z0-9]{1,8}){0,2})",
)
_NOT_AN_ID = frozenset(
    "lot batch catalogue catalog cat ref reference protocol version model part room bed ward step page table "  # noqa: SIM905
    "figure fig item line cycle dose session visit week day gate platform bus route flight seat box "
    "chapter section slide tooth channel lead".split()
)


def numbered_id_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _NUMBERED.finditer(text):
        ident = m.group("id")
        while " " in ident and not any(ch.isdigit() for ch in ident.rsplit(" ", 1)[1]):
            ident = ident.rsplit(" ", 1)[0]  # a trailing word is not part of the number
        if m.group("what").lower() in _NOT_AN_ID or sum(ch.isdigit() for ch in ident) < 4:
            continue
        spans.append((m.start("id"), m.start("id") + len(ident), "OTHER_ID"))
    return spans


# a plate after the vehicle it belongs to: "(car KTS 542A)", "vehicle WSL 0462", "registration 28-149-53"
_PLATE = re.compile(
    r"\b(?:(?:car|vehicle|van|taxi|cab|lorry|truck|motorbike)(?:\sreg(?:istration)?\.?)?|registration|reg\.?|"
    r"drives|driving|drove|permit)"
    r"\s(?:\([^)\n]{1,30}\)\s)?(?:no\.?\s|number\s)?"
    r"(?P<id>[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,8}){0,2})\b",
    re.IGNORECASE,
)


def plate_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _PLATE.finditer(text):
        ident = m.group("id")
        while " " in ident and ident.rsplit(" ", 1)[1].isalpha() and len(ident.rsplit(" ", 1)[1]) >= 4:
            ident = ident.rsplit(" ", 1)[0]  # "WSL 0462 ARRIVED": the word is not part of the plate
        if ident != ident.upper() or not any(ch.isdigit() for ch in ident) or len(ident.replace(" ", "")) < 4:
            continue
        spans.append((m.start("id"), m.start("id") + len(ident), "VEHICLE_ID"))
    return spans


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
