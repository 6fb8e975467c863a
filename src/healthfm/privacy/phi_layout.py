"""PHI cues the word rules of `phi.py` miss, from a note's layout and phrasing: the cells of a pasted table
under a header that names an identifying column ("Patient | MRN | Called to | Ext"), identifiers and
telephone numbers dictated digit by digit ("medical record number seven one one eight eight", "plus, three
eight five, nine one, …"), the postcode closing a street line, numbered identifiers ("incident no INC-…")
and plates after the vehicle. Dates and ages are in `phi_dates.py`; people and places named by their
context (calendar fields, initials, chat speakers, street lines) in `phi_context.py`.

Each gives (start, end, category) spans; `phi.py`'s rules add them beside their own. They mark only what
the layout says is identifying: a "Result" or "Test" column, a run of two spelled digits, a lot or room
number is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
