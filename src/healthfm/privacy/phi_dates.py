"""Dates and ages over 89 written in ways the word rules of `phi.py` miss: dictated dates ("the third of
march two thousand and one"), year-first dotted dates ("2021. 09. 04."), dates with the month names of many
languages ("10. února 2022", "27 de agosto de 1941", "19. júlí 2020"), a month alone after a preposition
("since fevereiro"), Danish "2/6-2021", ages over 89 spelled out or written right after a person.

Each function gives (start, end, category) spans; `phi.py`'s rules add them beside their own.
"""

from __future__ import annotations

import re

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)
_YEAR_WORDS = (
    rf"(?:(?:nineteen|twenty)\s(?:oh\s(?:{_UNITS})|(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:{_UNITS}))?|"
    rf"hundred)|two\sthousand(?:\s(?:and\s)?(?:{_UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen|twenty(?:[\s-](?:{_UNITS}))?))?)"
)
# dictated and legal dates: "august twenty seventh nineteen seventy two", "the third of march two thousand and
# one", "the twenty-eighth day of March, 2020"
_SPOKEN_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\s(?:the\s)?{_ORDINAL_WORD}|{_ORDINAL_WORD}\s(?:day\s)?of\s(?:{_MONTHS}))"
    rf"(?:,?\s(?:{_YEAR_WORDS}|(?:1[89]|20)\d\d\b))?\b",
    re.IGNORECASE,
)
# year first with dots (Hungarian, Korean, Chinese usage): "2021. 09. 04.", "1977.02.20"
_DOTTED_YMD = re.compile(r"\b(?:18|19|20)\d\d\.\s?(?:0?[1-9]|1[0-2])\.\s?(?:0?[1-9]|[12]\d|3[01])\b\.?")
# an age over 89 spelled out before "year(s) old" / "-year-old"
_SPOKEN_AGE = re.compile(
    rf"\b(ninety(?:[\s-](?:{_UNITS}))?|one\shundred(?:\s(?:and\s)?(?:{_UNITS}|ten|eleven|twelve|"
    rf"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)(?=[\s-]+years?\b|[\s-]+yo\b)",
    re.IGNORECASE,
)
_AGE_WORDS = (
    rf"(?:ninety(?:[\s-](?:{_UNITS}))?|(?:one|a)\shundred(?:\s(?:and\s)?(?:{_UNITS}|ten|eleven|twelve|"
    rf"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)"
)
# an age over 89 spelled out after the word "aged" or an "Age:" label: "aged ninety-eight", "Age: one hundred"
_AGED_WORDS = re.compile(rf"\b(?:aged|age\s?[:=-]|age of)\s*(?P<age>{_AGE_WORDS})\b", re.IGNORECASE)
# "Mr Walker, 103," / "grandmother: Divina Villanueva, alive, 94": an age right after a person
_AGE_AFTER_PERSON = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Mister|Missus)\.?\s+[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?"
    r"|\b(?:alive|alive and well|deceased|died|d\.)(?:\s(?:at|aged))?),?\s"
    r"(?P<age>9\d|1[01]\d)\b(?![.,]\d|\s*(?:%|mg|kg|mm|cm|bpm|/|x\b))"
)


def date_age_spans(text: str) -> list[tuple[int, int, str]]:
    """Dictated dates, year-first dotted dates and ages over 89 written in ways the main rules miss."""
    spans = [(m.start(), m.end(), "DATE") for m in _SPOKEN_DATE.finditer(text)]
    spans += [(m.start(), m.end(), "DATE") for m in _DOTTED_YMD.finditer(text)]
    spans += [(m.start(1), m.end(1), "AGE_OVER_89") for m in _SPOKEN_AGE.finditer(text)]
    spans += [(m.start("age"), m.end("age"), "AGE_OVER_89") for m in _AGE_AFTER_PERSON.finditer(text)]
    spans += [(m.start("age"), m.end("age"), "AGE_OVER_89") for m in _AGED_WORDS.finditer(text)]
    return spans


# month names (and the genitive forms dates use) of languages the word lists of phi.py do not cover in full
_WORLD_MONTHS = (  # noqa: SIM905
    "january february march april may june july august september october november december "
    "januar februar märz maerz mai juni juli oktober dezember marts maj desember augusti januari februari "
    "janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre maart mei augustus "
    "ledna února unora března brezna dubna května kvetna června cervna července cervence srpna září zari "
    "října rijna listopadu prosince stycznia lutego marca kwietnia maja czerwca lipca sierpnia września "
    "października listopada grudnia ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım "
    "aralık január február március április május június július augusztus szeptember október "
    "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta "
    "lokakuuta marraskuuta joulukuuta ionawr chwefror mawrth ebrill mehefin gorffennaf awst medi hydref "
    "tachwedd rhagfyr "
    # Estonian, Icelandic, Serbian / Bosnian / Croatian (with the genitives dates use), Slovene, Romanian,
    # Albanian, Lithuanian and Latvian genitives, Indonesian / Malay, Tagalog, Swahili
    "jaanuar veebruar märts aprill juuni juuli oktoober detsember janúar febrúar apríl maí júní júlí ágúst "
    "október nóvember desember avgust septembar oktobar novembar decembar siječnja sijecnja veljače veljace "
    "ožujka ozujka travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga studenog prosinca "
    "siječanj veljača ožujak travanj svibanj lipanj srpanj kolovoz rujan listopad studeni prosinac "
    "ianuarie februarie martie aprilie iunie iulie septembrie octombrie noiembrie decembrie janar shkurt "
    "prill qershor korrik gusht shtator tetor nëntor dhjetor sausio vasario kovo balandžio gegužės birželio "
    "liepos rugpjūčio rugsėjo spalio lapkričio gruodžio janvāra februāra marta aprīļa maija jūnija jūlija "
    "augusta septembra oktobra novembra decembra maret agustus desember pebrero marso hunyo hulyo setyembre "
    "oktubre nobyembre disyembre machi aprili julai agosti septemba oktoba novemba desemba "
    # Russian, Ukrainian and Bulgarian / Serbian Cyrillic (genitive and nominative)
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря січня лютого "
    "березня квітня травня червня липня серпня вересня жовтня листопада грудня януари февруари март април "
    "май юни юли август септември октомври ноември декември јануар фебруар јун јул септембар октобар "
    "новембар децембар"
).split()
_MONTH_ALT = "|".join(sorted(set(_WORLD_MONTHS), key=len, reverse=True))
_DAY_WORLD_MONTH = re.compile(
    rf"\b[0-3]?\d\.?\s(?:de\s)?(?:{_MONTH_ALT})\b\.?(?:,?\s(?:de\s)?(?:1[89]|20)\d\d\b)?", re.IGNORECASE
)
_SINCE_MONTH = re.compile(
    rf"\b(?:since|desde|depuis|seit|sinds|em|en|in|od|från|siden|fra|dal|dès|ab|vom|im|until|till|hasta|"
    rf"até|jusqu'en)\s(?P<m>{_MONTH_ALT})\b(?:\s(?:de\s)?(?:1[89]|20)\d\d\b)?",
    re.IGNORECASE,
)
# a day with a month abbreviated in any case and language: "14 sep", "2 ene", "12 gen", "18 ágú" (not "set",
# "out", "des", "may": "1 set of", "1 out of", "2 des patients", "2 may be")
_DAY_ABBREVIATED_MONTH = re.compile(
    r"\b(?P<d>[0-3]?\d)\.?\s(?:jan|janv|ene|gen|fév|fev|feb|febr|mär|mar|avr|abr|apr|mai|maí|mei|jun|juin|"
    r"jul|juil|aoû|aou|ago|agu|aug|ags|ágú|sep|sept|okt|oct|ott|nov|nóv|déc|dec|dez|dic|dets|sty|lut|kwi|"
    r"cze|lip|sie|wrz|paź|lis|gru|tam|hel|huh|tou|kes|hei|elo|syy|lok)\b\.?(?:\s(?:1[89]|20)\d\d\b)?(?![-/]\d)",
    re.IGNORECASE,
)
# a compact date that begins a timestamp: iCalendar "DTSTART:20200211T153000", "20240314T0815"
_COMPACT_STAMP = re.compile(r"\b(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?=T\d{4})")
# a month of another language named alone ("fitted abril", "depuis juillet", "in svibnja"): names that are
# no English word, and long enough not to be an abbreviation or a common given name
_FOREIGN_ALONE = frozenset(
    m
    for m in _WORLD_MONTHS
    if len(m) >= 5
    and m
    not in {
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "marco", "julio", "mayo", "maret", "marts", "marta", "maija", "augusta", "mawrth",
    }
)  # fmt: skip
_FOREIGN_MONTH = re.compile(
    rf"(?<![\w-])(?P<m>{'|'.join(sorted(_FOREIGN_ALONE, key=len, reverse=True))})(?![\w-])", re.IGNORECASE
)
_DANISH_DATE = re.compile(r"\b[0-3]?\d/[01]?\d-(?:1[89]|20)\d\d\b")  # 2/6-2021


def world_date_spans(text: str) -> list[tuple[int, int, str]]:
    """Dates with a month name of another language ("25 augusti", "10. února 2022", "27 de agosto de
    1941", "7 Ebrill 2023"), a day with an abbreviated month in any case ("14 sep"), a month alone after a
    preposition ("since fevereiro") or of another language anywhere ("fitted abril"), Danish 2/6-2021, the
    date that begins a compact timestamp (20200211T153000)."""
    spans = [(m.start(), m.end(), "DATE") for m in _DAY_WORLD_MONTH.finditer(text) if " may" not in m.group()]
    spans += [(m.start("m"), m.end(), "DATE") for m in _SINCE_MONTH.finditer(text)]
    spans += [(m.start(), m.end(), "DATE") for m in _DANISH_DATE.finditer(text)]
    spans += [(m.start(), m.end(), "DATE") for m in _COMPACT_STAMP.finditer(text)]
    for m in _DAY_ABBREVIATED_MONTH.finditer(text):
        if 1 <= int(m.group("d")) <= 31:
            spans.append((m.start(), m.end(), "DATE"))
    for m in _FOREIGN_MONTH.finditer(text):  # alone: not inside a date found above
        if not any(s <= m.start() and m.end() <= e for s, e, _ in spans):
            spans.append((m.start(), m.end(), "DATE"))
    return sorted(spans)
