"""Clinical-note PHI scrubber for the 18 HIPAA Safe Harbor kinds: rules, name dictionaries, context
and the patient's own identifiers; replaces PHI with consistent surrogates or category tags."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from healthfm.privacy._phi_names import GIVEN_NAMES, SURNAMES
from healthfm.privacy.phi_context import (
    calendar_spans,
    context_person_spans,
    initials_name_spans,
    street_spans,
)
from healthfm.privacy.phi_dates import date_age_spans, world_date_spans
from healthfm.privacy.phi_layout import (
    numbered_id_spans,
    plate_spans,
    postcode_after,
    spoken_id_spans,
    table_spans,
)

__all__ = [
    "CATEGORIES",
    "PatientIdentifiers",
    "PhiScrubber",
    "PhiSpan",
    "ScrubResult",
    "SpanTagger",
    "union_spans",
]

CATEGORIES = (
    "NAME", "DATE", "AGE_OVER_89", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "ACCOUNT", "LICENSE", "ADDRESS",
    "ZIP", "URL", "IP", "DEVICE_ID", "VEHICLE_ID", "HEALTH_PLAN", "BIOMETRIC", "PHOTO", "OTHER_ID",
)  # fmt: skip


@dataclass(frozen=True)
class PatientIdentifiers:
    """What the structured record knows about the patient; each is scrubbed wherever it appears."""

    names: tuple[str, ...] = ()  # full names as written; given and family parts are matched too
    mrns: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()  # street lines, cities, postal codes
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    other: tuple[str, ...] = ()  # SSN, account numbers …


@dataclass(frozen=True)
class PhiSpan:
    start: int
    end: int
    category: str
    text: str
    probability: float | None = None  # a learned tagger's; None for spans the rules found


class SpanTagger(Protocol):
    """A learned PHI finder (`healthfm.privacy.ner.PhiTagger`) whose spans fill the rules' gaps."""

    def find(self, text: str) -> list[PhiSpan]: ...


@dataclass(frozen=True)
class ScrubResult:
    text: str
    spans: tuple[PhiSpan, ...]


# --- word lists -------------------------------------------------------------------------------------

_GIVEN = frozenset(GIVEN_NAMES)
_SURNAME = frozenset(SURNAMES)
# Names that are also common English or clinical words: they count as names only with context.
_COMMON = frozenset(
    """
    A An And Are As At Be But By Can Do For From Had Has Have He Her His How If In Is It May Me My No Not Of
    On Or Our She So The Their They This To Up Us We Who Will With You Hope Faith Grace Joy Page Bill Mark
    Grant Will Wills Mays Major Minor Young Long Short Little Strong Good Best Love Wise Day Days Moon Rose
    Frost Snow Law Bell Hall House Rice Wood Woods Green Brown White Black Gray Grey Gold Silver Stone Hill
    Hills King Price Cash Bass Fish Fox Bird Lamb Hunter Carter Cook Cooper Baker Butler Walker Turner
    Porter Mason Miller Taylor Parker Singer Gardner Farmer Fuller Potter Painter Barber Weaver Banks Fields
    Waters Rivers Brooks Lane Street Road Way Ward Wells Parks Marsh Lake Ford Bridges Church Chase Case
    Cross Dean Chance Sterling Noble Sharp Bright Swift Rich Free Early Paris London Jordan Israel China
    India Christian Parkinson Parkinsons Graves Crohn Crohns Addison Cushing Hodgkin Wilson Paget Raynaud
    Down Marfan Hashimoto Alzheimer Huntington Kaposi Barrett Bowen Burkitt Cushings Horner Kawasaki Reiter
    Sjogren Tourette Wernicke Korsakoff Meniere Bright Buerger Dupuytren Guillain Barre Osler Weber Wolff
    White Holter Doppler Foley Swan Ganz Bruce Duke Wells Glasgow Apgar Braden Morse Norton Mallory Heimlich
    Valsalva Trendelenburg Babinski Romberg Murphy Kernig Homan Homans Levine Korotkoff Austin Flint Gram
    Pap Coombs Hartmann Whipple Nissen Roux Billroth Colles Smith Jones Fontan Mustard Ross Bentall Normal
    Clear Stable Heart Chest Lung Lungs Left Right Both Mild Severe Acute Chronic Patient Note Date Summary
    Clinic Hospital Medical Center Department Cardiology Report Impression Findings History Plan Assessment
    Diagnosis Diagnoses Exam Care Home Unit Room Bed Floor Service Admission Discharge April June July
    August March January October November December February September Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday Christmas Easter North South East West Central General Saint Sinus Rhythm Rate
    Atrial Aortic Mitral Blood Pain Fever Sugar Salt Ace Beta Alpha Echo Angel Angela Art Amber Autumn
    Summer Winter Spring Dawn Eve Star Sky Ray Rod Rusty Sandy Stormy Sunny Penny Crystal Pearl Ruby Jade
    Iris Ivy Lily Daisy Violet Holly Heather Olive Ginger Honey Candy Cherry Precious Princess Lady Baby
    Tiny Happy Lucky Trinity Genesis Destiny Harmony Unique Patience Prudence Charity Mercy Constance Verity
    Justice Liberty Essence Sincere Royal Marvel Miracle Passion Memory Carol Carols Sue Pat Patty Gene Guy
    Jack Jimmy Bob Dick Don Dot Earl Ernest Frank Frankie Grant Jewel Lance Les Lou Max Mike Nick Norm Pete
    Rob Roy Sam Shelby Sol Tad Ted Tom Tony Val Van Walt Wes Will Al Bo Cy Di Ed El Em Jo Lu Ly Mo Ty Lee
    Lea Le Ma Mac Man Mi Min Na Ng Sung Son Yu Ha Ho Oh Ok Un Ka Kim Park Ali Lin Liu Wang Le Tran Ha Do Go
    Pham Cao Ly Mai Ko Ambulance Emergency Nursing Social Work Vitals Labs Medications Allergies Problems
    Procedures Follow Reason Visit Signed Electronically Provider Attending Admitted Principal Contact Lives
    Social Thanks Thank Regards Cheers Hi Hello Dear Sincerely Yours Please Sorry Yes Okay Sent Subject Re Fwd
    Received Reply Dob Mrn Ssn Sex Age Tel Fax Email Phone Mobile Pager Bleep Ext Consultant Registrar
    """.split()  # noqa: SIM905
)
_MONTHS = """
january february march april may june july august september october november december januar februar märz
maerz april mai juni juli august september oktober november dezember janvier février fevrier mars avril juin
juillet août aout septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto
septiembre octubre noviembre diciembre január február március április május június július augusztus
szeptember október
""".split()  # noqa: SIM905
_MONTH_NUM: dict[str, int] = {}
for _i, _m in enumerate(_MONTHS[:12]):
    _MONTH_NUM[_m] = _MONTH_NUM[_m[:3]] = _i + 1
for _offset in (12, 24, 36, 48):
    for _i, _m in enumerate(_MONTHS[_offset : _offset + 12]):
        _MONTH_NUM.setdefault(_m, _i + 1)
_MONTH_NUM.update({"sept": 9, "mär": 3, "okt": 10, "dez": 12, "mai": 5})
_MONTHS_MORE = """
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre januari
februari maart april mei juni juli augustus september oktober november december janeiro fevereiro março
abril maio junho julho agosto setembro outubro novembro dezembro januari februari mars april maj juni juli
augusti september oktober november december stycznia lutego marca kwietnia maja czerwca lipca sierpnia
września października listopada grudnia ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım
aralık
""".split()  # noqa: SIM905
for _i, _m in enumerate(_MONTHS_MORE):
    _MONTH_NUM.setdefault(_m, _i % 12 + 1)
_MONTH_RE = "|".join(sorted({re.escape(m) for m in _MONTH_NUM}, key=len, reverse=True))
_EPONYM_NOUNS = (
    r"disease|syndrome|sign|palsy|lymphoma|sarcoma|test|maneuver|manoeuvre|criteria|score|ulcer|tumou?r|"
    r"esophagus|oesophagus|disorder|reflex|triad|fracture|phenomenon|procedure|operation|classification|"
    r"thyroiditis|encephalopathy|contracture|node|sheath|catheter|monitor|law|tract|space|grade|grading|"
    r"scale|coma|index|protocol|rule|stool|stage|staging|system|approach|technique|position|method"
)
_CITIES = frozenset(
    """
    Zürich Zurich Bern Basel Genf Geneva Genève Lausanne Luzern Lucerne Winterthur Lugano Biel Thun Köniz
    Fribourg Schaffhausen Chur Neuchâtel Sion Aarau Baden Olten Solothurn Zug Frauenfeld Wil Uster Emmen
    Vevey Budapest Debrecen Szeged Miskolc Pécs Pecs Győr Gyor Nyíregyháza Kecskemét Székesfehérvár
    Szombathely Eger Berlin Hamburg München Munich Köln Cologne Frankfurt Stuttgart Düsseldorf Dortmund
    Essen Leipzig Bremen Dresden Hannover Nürnberg Freiburg Heidelberg Mannheim Augsburg Bonn Wien Vienna
    Graz Linz Salzburg Innsbruck Madrid Barcelona Valencia Sevilla Seville Zaragoza Málaga Malaga Bilbao
    Lima Bogotá Bogota Quito Santiago Mexico Guadalajara Monterrey Tijuana Puebla Caracas Havana Medellín
    Boston Chicago Houston Phoenix Philadelphia Dallas Austin Jacksonville Columbus Charlotte Indianapolis
    Seattle Denver Nashville Baltimore Milwaukee Albuquerque Tucson Fresno Sacramento Atlanta Miami Oakland
    Minneapolis Cleveland Tampa Pittsburgh Cincinnati Portland Cambridge Brooklyn Oxford Manchester
    London Glasgow Edinburgh Cardiff Leeds Liverpool Birmingham Sheffield Nottingham Leicester Dublin Cork
    Galway Belfast Amsterdam Rotterdam Utrecht Groningen Leiden Haarlem Eindhoven Tilburg Maastricht Nijmegen
    Lyon Marseille Toulouse Nantes Strasbourg Montpellier Bordeaux Lille Rennes Roma Milano Napoli Torino
    Bologna Firenze Genova Palermo Venezia Stockholm Göteborg Malmö Uppsala Oslo Trondheim København
    Copenhagen Aarhus Odense Helsinki Tampere Turku Reykjavík Lisboa Lisbon Porto Coimbra Warszawa Warsaw
    Kraków Krakow Łódź Wrocław Poznań Gdańsk İstanbul Istanbul Ankara İzmir Izmir Bursa Antalya Bruxelles
    Brussels Antwerpen Gent Liège Praha Prague Brno Bratislava Ljubljana Zagreb Paris
    """.split()  # noqa: SIM905
)
_MULTIWORD_CITIES = (
    "New York", "Los Angeles", "San Francisco", "San Diego", "San Jose", "San Antonio", "Long Beach",
    "Las Vegas", "St. Gallen", "St. Louis", "Kansas City", "Salt Lake City", "La Chaux-de-Fonds",
    "Buenos Aires", "Mexico City", "New Orleans", "Fort Worth", "El Paso",
)  # fmt: skip
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)

# --- patterns ---------------------------------------------------------------------------------------

# letters beyond Latin-1 (Latin Extended-A/B, Vietnamese): Vyšniauskas, Dvořák, Łukasz, Nguyễn
_XL = "Ā-ɏḀ-ỿ"
_W = (
    rf"[A-ZÀ-ÖØ-Þ{_XL}][A-Za-zÀ-ÖØ-öø-ÿ{_XL}'’-]*"  # a capitalised word (also ALL CAPS, O'Brien, Müller-Graf)
)
# name particles ("de Boer", "van der Meer", "Di Stefano", "Ben Ali", "ter Horst") and initials ("S. Nilsson")
_PARTICLE = (
    r"(?:[Vv]an|[Vv]on|[Dd]e|[Dd]er|[Dd]en|[Dd]ella|[Dd]el|[Dd]os|[Dd]as|[Dd]u|[Dd]i|[Dd]a|[Tt]er|[Tt]en|[Ll]e|"
    r"[Ll]a|[Zz]u|[Vv]om|[Bb]en|[Bb]in|[Aa]l|[Ee]l|VAN|VON|DE|DER|DEN|DI|DA|DU|DEL|TER|TEN|LE|LA|BEN|AL|EL)"
)
_INITIAL = rf"[A-ZÀ-ÖØ-Þ{_XL}]\.(?:-?[A-ZÀ-ÖØ-Þ{_XL}]\.)?"
_NAME_PART = rf"(?:{_INITIAL}[ \t]?)?(?:{_PARTICLE}[ \t])*{_W}"
_NAME_SEQ = rf"{_NAME_PART}(?:[ \t]{_NAME_PART}){{0,2}}(?:[ \t][A-Za-z]\.(?!\w))?"
_FLAGS = re.UNICODE

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _FLAGS)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_IP = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b756\.\d{4}\.\d{4}\.\d{2}\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}[\s.-]?(?:\(0\)\s?)?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}"  # +41 44 123 45 67, +1-555-…
    r"|\(\d{3}\)\s?\d{3}[\s.-]?\d{4}"  # (555) 123-4567
    r"|\(0\d{1,4}\)\s?\d{3,4}[\s.-]?\d{3,4}"  # (030) 1381181, (020) 8449 4377
    r"|\d{3}[.-]\d{3}[.-]\d{4}"  # 555-123-4567, 555.123.4567
    r"|\d{3}\s\d{3}\s\d{4}"  # 555 123 4567
    r"|0\d{1,2}[\s/]\d{3}\s?\d{2}\s?\d{2}"  # 044 123 45 67
    r"|06[\s-]?\d{1,2}[\s-]\d{3}[\s-]?\d{3,4}"  # 06 30 123 4567 (HU)
    r"|(?<![/.:])0\d{1,4}(?:[\s.-]|/\s?)\d{2,8}(?:[\s.-]\d{2,4}){0,3}"  # 07700 868412, 020-9635623
    r")(?!\w)(?![:/]\d)",
    _FLAGS,
)
_FAX_CONTEXT = re.compile(r"fax\W{0,4}(?:n(?:o|r)\.?|number|#)?\W{0,3}$", re.IGNORECASE)
_DATE_PATTERNS = (
    r"\b(?:19|20)\d{2}-[01]?\d-[0-3]?\d(?:T\d{2}:\d{2}(?::\d{2})?)?\b",  # ISO
    r"\b[0-3]?\d/[0-3]?\d/(?:\d{4}|\d{2})\b",  # 12/03/2019
    r"\b[0-3]?\d\.\s?[01]?\d\.\s?(?:\d{4}|\d{2})\b(?!\.\d)",  # 03.12.2019, 3.12.19
    r"\b[0-3]?\d-[01]?\d-\d{4}\b",  # 03-12-2019
    rf"\b[0-3]?\d(?:st|nd|rd|th)?\.?[\s-]*(?:of\s+)?(?:{_MONTH_RE})\.?,?[\s-]*(?:\d{{4}}|'?\d{{2}})\b",
    rf"\b(?:{_MONTH_RE})\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+\d{{4}}\b",  # December 3, 2019
    rf"\b(?:{_MONTH_RE})\.?,?\s+(?:19|20)\d{{2}}\b",  # December 2019
    r"\b(?:19|20)\d{2}/[01]?\d/[0-3]?\d\b",
)
_DATE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)
# "13 Sep", "31 May", "the 5th of June": a day and a capitalised month name without a year
_DAY_MONTH = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>(?:{_MONTH_RE})\.?)(?![\w-])(?!\s*\d)",
    re.IGNORECASE,
)
# "on the 2nd", "until the 23rd.": an ordinal day of the month standing for a date
_ORDINAL_DAY = re.compile(
    r"\b(?:on|by|from|until|till|since|before|after|over|around|about|as of|the night of|le|am)\s+the\s+"
    r"(?P<d>[0-3]?\d(?:st|nd|rd|th))\b"
    r"(?=\s*(?:[.,;:!?)\n]|$|(?:at|and|or|if|when|for|in|to|with|as|but|so|then|until)\b))",
    re.IGNORECASE,
)
_WEEKDAY_DATE = re.compile(
    r"\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|rsday|urday|sday)?\.?,?\s+"
    r"(?P<d>[0-3]?\d[/.][0-3]?\d(?:[/.]\d{2,4})?)(?![\d/])",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH_RE})\.?\s+[0-3]?\d(?:st|nd|rd|th)?\b(?!\s*(?:mg|%|/|\.\d))", re.IGNORECASE
)
_SHORT_DATE = re.compile(
    r"\b(?:on|since|from|until|till|to|dated|by|seit|vom|am|bis|ab|last|next|of)\s+([01]?\d/[0-3]?\d|[0-3]?\d\.[01]?\d\.)"
    r"(?![\d/])",
    re.IGNORECASE,
)
_BARE_MONTH = re.compile(
    r"\b(?:January|February|April|June|July|September|October|November|December|Januar|Februar|März|Juni|"
    r"Juli|Oktober|Dezember)\b"
    r"|\b(?:in|since|last|during|until|early|late|mid|seit|im|of)\s(?P<m>May|March|August|Mai)\b",
    _FLAGS,
)
_AGE = re.compile(
    r"\b(9\d|1[01]\d)(?=\s?-?\s?(?:years?|yrs?|y/?o\b|yo\b|y\.o\.|jährige?r?|Jahre|ans|éves|años|anni|jaar|"
    r"år|lat|yaşında|year-old|-year))"
    r"|\b(?:aged|age|Alter|âge|edad|età|leeftijd)\b\.?:?\s?(9\d|1[01]\d)(?=[MFmfWw]?\b|\s?(?:yo|y)\b)"
    r"|\b(?:he|she|patient|pt|who)(?: is|'s| was)(?: now| still)? (9\d|1[01]\d)\b(?!\s*(?:%|/|\.\d|mm|bpm|kg|mg))",  # noqa: E501
    re.IGNORECASE,
)
_ID_CONTEXT = re.compile(
    r"\b(?P<ctx>MRN|MR#|UR|URN|medical record(?: number| no\.?| #)?|PID|patient (?:id|number)|hospital (?:no\.?|number)|"  # noqa: E501
    r"chart(?: no\.?| number)?|Fall-?Nr\.?|accession(?: no\.?| number| #)?|acc\.?|account(?: no\.?| number)?|acct\.?|"  # noqa: E501
    r"member(?: id)?|Medicare(?: MBI| no\.?| number)?|MBI|Medicaid(?: id| no\.?)?|group(?: no\.?| number| id)?|policy(?: no\.?| number)?|insurance(?: no\.?| number| id)?|health plan(?: id)?|"  # noqa: E501
    r"Versicherten-?Nr\.?|AHV|licen[cs]e(?: no\.?| number)?|GLN|NPI|DEA|serial(?: no\.?| number)?|S/N|SN|"
    r"device(?: id)?|plate|VIN|case|ref(?:erence)?(?: no\.?)?|order(?: no\.?)?|specimen(?: no\.?)?|"
    r"encounter(?: no\.?| id)?|visit(?: no\.?| id)?|ID)\b"
    r"[\s:#.]*(?:(?:no|nr|number|id)\b\.?)?[\s:#]*"
    r"(?P<id>#?(?=[A-Z0-9/-]*(?:[ -]\d)?\d)[A-Z0-9][A-Z0-9/.-]*[A-Z0-9](?:[ -]\d{3,})?)",
    re.IGNORECASE,
)
_GENERIC_ID = re.compile(
    r"\b(?:[A-Z]{1,4}-?\d{4,}[A-Z0-9]*(?:-\d{1,4}\b)?|[A-Z]{1,3}\d{2,4}[-/]\d{3,}|\d{7,})\b"
    r"|\b[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]\b"  # Italian codice fiscale
)
# national identifiers written in groups after their name: NIR, NHS, BSN, CPR, PESEL, personnummer …
_NATIONAL_ID = re.compile(
    r"\b(?:NIR|NISS|INSEE|BSN|NHS(?: No\.?| number)?|CPR|PESEL|personnummer|TC Kimlik(?: No)?|AVS|SVNR|"
    r"NIF|NIE|"
    r"DNI|NIS|Sozialversicherungs-?(?:nummer|nr\.?))\W{0,4}(\d[\d -]{5,24}\d)\b",
    re.IGNORECASE,
)
# postcodes by shape: UK "RG16 2BW", Dutch "4917 HS"
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s\d[A-Z]{2}\b")
_NL_POSTCODE = re.compile(r"\b(\d{4} ?[A-Z]{2})[ \t]+((?:'s-)?[A-Z][\w'’-]+)")
# extensions, pagers and bleeps: short internal numbers after their context word
_EXTENSION = re.compile(
    r"\b(?:ext|extn|extension|x|pager|pgr|page|bleep|bleeper|beep|Durchwahl|intern|poste|interno|toestel|"
    r"Sucher|bip)\b\.?(?:\s*(?:no\.?|#|:))?\s*(\d(?:[\d-]{1,8}\d))\b(?![.:/]\d)",
    re.IGNORECASE,
)
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:{1,2}){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")
_VEHICLE = re.compile(
    r"\b(?:reg(?:istration)?|plates?|number plate|licen[cs]e plate|Kennzeichen|immatriculation|"
    r"plaque|targa|kenteken|matrícula|matricula|rejestracja|plaka)\b\.?(?:\s*(?:no\.?|number|nr\.?|#))?"
    r"[\s:#(]*(?P<id>[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,6}){0,3})\b",
    _FLAGS,
)
_STREET_TYPES = (
    r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Way|Court|Ct\.?|Place|"
    r"Pl\.?|Terrace|Circle|Parkway|Pkwy|Highway|Hwy|Square|Sq\.?|Trail|Alley|Row"
)
_STREET = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_W}\s+){{0,3}}(?:{_STREET_TYPES})\b"
    rf"|\b(?:{_W}\s+){{0,2}}(?:{_STREET_TYPES})\s+\d{{1,5}}[a-z]?\b"
    r"|\b[A-ZÄÖÜ][\wäöüßéè-]*(?:strasse|straße|str\.|gasse|weg|platz|allee|ring|rain|halde|matte|straat|laan|"
    r"gracht|plein|kade|singel|dijk|steeg|gatan|vägen|vejen|vej|gaden|gade|veien|gata|katu|tie|ulica|sokak|"
    r"caddesi|stræde|straede|torv|plads|gränd|torget|kuja)"
    r"\s*\d{1,4}[a-z]?(?:-I{1,3}\b|\s(?:hs|bis|ter)\b)?"
    r"|\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Crescent|Gardens|Close|Grove|Mews|Walk|Rise|Parade|"
    r"Green|Hill|View|Gate|Park|Heights|Wynd|Brae)\b"
    r"|\b(?:Flat|Apt\.?|Apartment|Unit|Suite|Wohnung|Whg\.)\s*\d{1,4}[A-Z]?\b"
    rf"|\b{_W}\s(?:út|utca|tér|körút|u\.)\s*\d{{1,4}}\b"
    rf"|(?:\b\d{{1,4}}(?:\s(?:bis|ter))?,?\s)?\b(?:Calle|Avenida|Av\.|Carrera|Paseo|Plaza|[Rr]ue|Via|Viale|[Cc]hemin|Route|"
    rf"[Ii]mpasse|[Aa]llée|[Bb]oulevard|[Qq]uai|[Aa]venue|Largo|Praça|Rua|Travessa|Piazza|Corso)\s+"
    rf"(?:(?:de|del|la|las|los|da|di|des|dei|degli|della|delle|du|le|do|dos|das|l['’])\s*)*"
    rf"(?:{_W}\s*){{1,3}}\d{{0,4}}\b",
    _FLAGS,
)
_PLACE_TAIL = re.compile(
    rf",?[ \t](?:\d{{4,5}}[ \t])?{_W}(?:[ \t]{_W}){{0,2}}(?:,[ \t](?:{_US_STATES}))?"
    rf"(?:[ \t]\d{{5}}(?:-\d{{4}})?|[ \t]\d{{4}}\b)?",
    _FLAGS,
)
_POSTAL_CITY = re.compile(
    r"\b(?:CH-|D-|A-|H-)?(\d{4,5})\s+([A-ZÄÖÜ][a-zäöüéèáíóúő]+(?:\s(?:am|an|bei)\s\w+)?)\b"
)
_CITY_STATE_ZIP = re.compile(rf"\b({_W}(?:\s{_W})?),\s(?:{_US_STATES})\b(?:\s(\d{{5}}(?:-\d{{4}})?))?")
_ZIP_CONTEXT = re.compile(r"\b(?:ZIP|PLZ|postal code|postcode)\W{0,3}(\d{4,5}(?:-\d{4})?)\b", re.IGNORECASE)
_LIVES = re.compile(
    rf"\b(?:lives|living|resides|resident|residing|wohnhaft|wohnt|moved|from|lakik)\b(?:\s\w+){{0,2}}?\s(?:in|at|to|near|from)\s"
    rf"(?P<place>{_W}(?:[\s-]{_W}){{0,2}})",
    _FLAGS,
)
_INSTITUTION = re.compile(
    rf"\b(?:{_W}[ \t]+){{0,4}}?(?:Hospital|Medical Center|Medical Centre|Health Center|Infirmary|Clinic|Klinik|Institute|Institut|"  # noqa: E501
    rf"Spital|Kantonsspital|Universitätsspital|Inselspital|Kórház|Klinikum|Clínica|Hospice|Nursing Home|"
    rf"Pflegeheim|Altersheim)\b(?:[ \t]+(?:of[ \t]+|de[ \t]+|del[ \t]+)?{_W}){{0,3}}"
    rf"|\b[A-Z][a-zäöü]+(?:spital|klinik|klinikum)\b(?:[ \t]+{_W})?",
    _FLAGS,
)
_TITLE = re.compile(
    rf"\b(?:Dr|Doctor|Drs|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Herr|Frau|Fr|Hr|Sr|Sra|Srta|Dña|Don|Dott)\b\.?"
    rf"(?:\s+(?:med|phil|dent|h\.c|Dr|Prof|PD)\.?)*\s+(?P<name>{_NAME_SEQ})",
    _FLAGS,
)
_LABEL = re.compile(
    rf"(?:^|\b)(?P<label>Patient(?:in)?|Pt|Patient name|Name|Caller|Provider|Attending|Physician|Referring|Referred by|"  # noqa: E501
    rf"Surgeon|Nurse|RN|GP|PCP|Hausarzt|Cc|CC|To|From|Contact|Emergency contact|Next of kin|NOK|Guardian|"
    rf"Interpreter|Dictated by|Transcribed by|Signed by|Author|Verfasser|Arzt|Ärztin|Beteiligte|Secretary|"
    rf"Pharmacist|Prescriber|Assistant|An(?:a)?esthetist|Sonographer|Radiographer|Technician|Technologist|"
    rf"Therapist|Physiotherapist|Dietitian|Midwife|Consultant|Registrar|Resident|Fellow|Triage RN|"
    rf"Assigned MD|Assigned RN|Submitting physician|Ordering physician|Ordering provider|"
    rf"Requesting physician|Reviewed by|"
    rf"Reported by|Performed by|Requested by|Verified by|Approved by|Member|Subscriber|Insured|Policyholder|"
    rf"Signed|Electronically signed|Witness|Carer|Social worker|Case manager|Chaplain|Scribe|Operator|"
    rf"Supervisor|Student|Doctor|Clinician|Practitioner|Reporter|Recipient|Sender|Patientin|Médecin|Medico|"
    rf"Médico|Paciente|Huisarts|Behandelaar|Lekarz|Hasta|Doktor|Infirmière|Infirmier|Pflege)\s*:[ \t]*"
    rf"(?P<name>{_W},[ \t]*{_W}(?:[ \t]{_W})?|{_NAME_SEQ})",
    _FLAGS,
)
_VERB_CONTEXT = re.compile(
    rf"\b(?P<ctx>seen by|signed by|dictated by|documented by|reviewed by|examined by|referred by|"
    rf"discussed with|handed over by|handed over to|handover to|handover from|hand over to|over by|"
    rf"visiting with|visited by|"
    rf"visit from|followed up with|follow up with|catch up with|reply from|message from|reported by|"
    rf"performed by|requested by|ordered by|approved by|verified by|covered by|co-signed by|cosigned by|"
    rf"accompanied by|escorted by|phoned|called|rang|texted|emailed|paged|bleeped|contacted|informed|"
    rf"hi|hello|dear|thanks,|thanks|thank you|many thanks,|regards,|cheers,|love,|this is|it's|uncle|aunt|"
    rf"cousin|grandmother|grandfather|grandma|grandpa|stepson|stepdaughter|fiancée|fiancé|fiance|spouse|carer|"
    rf"son-in-law|daughter-in-law|"
    rf"spoke with|spoke to|called by|per|cc|attending|resident|fellow|wife|husband|daughter|son|sister|brother|"  # noqa: E501
    rf"mother|father|partner|niece|nephew|grandson|granddaughter|friend|neighbour|neighbor|caregiver|"
    rf"patient|pt|Mrs?|named|Tochter|Sohn|Ehefrau|Ehemann|Schwester|Bruder),?\s+(?P<name>(?-i:{_NAME_SEQ}))",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    rf"(?P<name>{_W}(?:\s+(?:[A-Z]\.\s+)?{_W}){{1,2}}),?\s+(?:MD|M\.D\.|DO|RN|NP|PA-C|PA|PhD|MSc|FACC|FMH|"
    rf"APRN|CNS|LPN|BSN|MBBS|FRCP|FRCS|MRCP|MBChB|LCSW|LICSW|MSW|PharmD|RPh|DPT|CNM|DNP|RD|RGN|RMN|Dr\.\s?med\.?|Oberarzt|Oberärztin|Assistenzarzt|Chefarzt)\b",
    _FLAGS,
)
_CREDENTIAL = re.compile(
    r"MD|DO|RN|NP|PA|PhD|MSc|FACC|FMH|APRN|CNS|LPN|BSN|MBBS|FRCP|FRCS|MRCP|MBChB|LCSW|LICSW|MSW|PharmD|RPh|DPT|"
    r"CNM|DNP|RD|RGN|RMN|FRCR|FRCPath|FRACP|MRCS|MRCGP|FRCA|BSc|MA|MPH|MBA|DPhil|FESC|FHRS|FSCAI|FASE"
)
_SURNAME_GIVEN = re.compile(
    rf"(?<![\w-])(?P<pre>(?:(?:{_PARTICLE}|[A-Z]{{2,}})[ \t]){{0,3}})(?P<family>{_W}),[ \t]?(?P<given>{_W})\b",  # noqa: E501
    _FLAGS,
)
_CAP_TOKEN = re.compile(rf"{_W}", _FLAGS)
_SEQ_TOKEN = re.compile(
    rf"(?P<init>(?<!\w)[A-Za-zÀ-ÖØ-Þ{_XL}]\.(?:-?[A-ZÀ-ÖØ-Þ{_XL}]\.)?)|(?P<part>(?<!\w){_PARTICLE}(?=[ \t]))|{_W}|(?P<low>[^\W\d_][\w'’-]*)",  # noqa: E501
    _FLAGS,
)
# words shaped like roles, verbs or nouns rather than names ("Assigned", "Radiologist", "Management")
_NOT_NAME_SHAPE = re.compile(r"(?:ed|ing|ist|ists|ologist|ician|ment|tion|sion|ology|ness)$")
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|')$")


# contexts whose name spans have always begun with the title ("Attending: Dr. Helen Garcia"); for the
# others the title is left in the text and only the name is PHI
_TITLED_CONTEXTS = frozenset(
    """
    patient patientin pt name caller provider attending physician referring surgeon nurse rn gp pcp hausarzt
    cc to from contact guardian interpreter author verfasser arzt ärztin beteiligte per resident fellow
    wife husband daughter son sister brother mother father partner niece nephew grandson granddaughter friend
    neighbour neighbor caregiver mr mrs named tochter sohn ehefrau ehemann schwester bruder
    """.split()  # noqa: SIM905
) | {
    "patient name", "referred by", "emergency contact", "next of kin", "nok", "dictated by", "transcribed by",
    "signed by", "seen by", "documented by", "reviewed by", "examined by", "discussed with", "spoke with",
    "spoke to", "called by",
}  # fmt: skip
_TITLE_WORDS = frozenset(
    {
        "dr",
        "doctor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "herr",
        "frau",
        "sr",
        "sra",
        "dott",
    }
)


def _key(token: str) -> str:
    token = _POSSESSIVE.sub("", token)
    return token[:1].upper() + token[1:].lower() if token.isupper() or token[1:].islower() else token


def _is_common(token: str) -> bool:
    return _key(token) in _COMMON


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    category: str
    priority: int


# --- detection --------------------------------------------------------------------------------------


class _Finder:
    """Collects candidate spans for one text; `spans` merges overlaps into PHI spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[_Candidate] = []
        self.lower_words = frozenset(re.findall(r"\b[a-zäöüéáóúő]+\b", text))

    def add(self, start: int, end: int, category: str, priority: int = 10) -> None:
        text = self.text
        while end > start and text[end - 1] in " \t\n.,;:-":
            end -= 1
        while start < end and text[start] in " \t\n,;:":
            start += 1
        if end > start:
            self.found.append(_Candidate(start, end, category, priority))

    def add_name_seq(
        self,
        start: int,
        seq: str,
        priority: int,
        strict: bool,
        allow_common_given: bool = False,
        keep_title: bool = False,
    ) -> None:
        """Add the tokens of a name-shaped sequence, stopping at the first non-name word; initials and
        particles ("S. Nilsson", "de Boer", "Pieter K.") are kept when they belong to a name."""
        last_end = None
        first = start
        pending = None  # start of initials / particles waiting for the name they introduce
        after_given = False
        tokens = list(_SEQ_TOKEN.finditer(seq))
        for i, m in enumerate(tokens):
            token = m.group()
            if m.group("low"):
                break
            is_title = _key(token).lower() in _TITLE_WORDS
            if is_title and not keep_title and pending is None and last_end is None:
                continue  # "Prescriber: Dr. F. Marino": the title is not part of the name
            if m.group("init") or m.group("part"):
                if m.group("init") and last_end is not None and i == len(tokens) - 1:
                    last_end = start + m.end()  # a trailing initial: "Pieter K."
                    break
                if pending is None:
                    pending = start + m.start()
                continue
            key = _key(token)
            nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            known = key in _GIVEN or key in _SURNAME
            if not known and _NOT_NAME_SHAPE.search(key):
                break
            # "Jonas Grant, MD": a common word straight after a given name is that person's surname
            common = _is_common(token) or key.lower() in self.lower_words
            given_ok = allow_common_given and last_end is None and key in _GIVEN and not token.isupper()
            if key.lower() in _MONTH_NUM:
                # "Dr May Young": a month name with a name after it, after a title, is a given name
                if (
                    (strict and not allow_common_given)
                    or last_end is not None
                    or not nxt[:1].isupper()
                    or _key(nxt).lower() in _MONTH_NUM
                ):
                    break
            elif (
                strict
                and common
                and not (after_given and key in _SURNAME)
                and not given_ok
                and (pending is None or key not in _SURNAME)
            ):
                break
            after_given = key in _GIVEN
            if strict and token.isupper() and len(token) <= 3 and pending is None:
                break
            if (
                token.isupper()
                and len(token) > 1
                and (_CREDENTIAL.fullmatch(token) or (strict and not known))
            ):
                break
            if last_end is None:
                first = pending if pending is not None else start + m.start()
            pending = None
            last_end = start + m.end()
        if last_end is not None:
            end = last_end
            possessive = _POSSESSIVE.search(self.text[first:end])
            if possessive:
                end -= len(possessive.group())
            self.add(first, end, "NAME", priority)

    def spans(self) -> list[tuple[int, int, str]]:
        merged: list[list[int | str]] = []
        best: list[int] = []
        for c in sorted(self.found, key=lambda c: (c.start, -c.end)):
            if merged and c.start < int(merged[-1][1]):
                merged[-1][1] = max(int(merged[-1][1]), c.end)
                if c.priority > best[-1]:
                    merged[-1][2], best[-1] = c.category, c.priority
            else:
                merged.append([c.start, c.end, c.category])
                best.append(c.priority)
        return [(int(s), int(e), str(cat)) for s, e, cat in merged]


def _eponym(text: str, end: int) -> bool:
    return (
        re.match(rf"(?:'s|’s|s'|')?\s+(?:{_EPONYM_NOUNS})\b", text[end : end + 24], re.IGNORECASE) is not None
    )


def _rules(f: _Finder) -> None:
    text = f.text
    for m in _EMAIL.finditer(text):
        f.add(m.start(), m.end(), "EMAIL", 50)
    for m in _URL.finditer(text):
        f.add(m.start(), m.end(), "URL", 45)
    for m in _IP.finditer(text):
        f.add(m.start(), m.end(), "IP", 40)
    for m in _IPV6.finditer(text):
        if "::" in m.group() or m.group().count(":") >= 5:
            f.add(m.start(), m.end(), "IP", 40)
    for m in _SSN.finditer(text):
        f.add(m.start(), m.end(), "SSN", 40)
    for m in _DATE.finditer(text):
        f.add(m.start(), m.end(), "DATE", 30)
    for m in _MONTH_DAY.finditer(text):
        f.add(m.start(), m.end(), "DATE", 25)
    for m in _DAY_MONTH.finditer(text):
        mon = m.group("mon")
        if (
            mon[:1].isupper()
            and 1 <= int(m.group("d")) <= 31
            and (len(mon.rstrip(".")) > 3 or mon.lower() != "mar")
        ):
            f.add(m.start(), m.end(), "DATE", 25)
    for m in _ORDINAL_DAY.finditer(text):
        if 1 <= int(m.group("d")[:-2]) <= 31:
            f.add(m.start("d"), m.end("d"), "DATE", 25)
    for m in _WEEKDAY_DATE.finditer(text):
        parts = [int(x) for x in re.split(r"[/.]", m.group("d"))[:2]]
        if min(parts) >= 1 and max(parts) <= 31 and min(parts) <= 12:
            f.add(m.start("d"), m.end("d"), "DATE", 25)
    for m in _SHORT_DATE.finditer(text):
        month_day = re.split(r"[/.]", m.group(1))
        if 1 <= int(month_day[0]) <= 31 and 1 <= int(month_day[1]) <= 31:
            f.add(m.start(1), m.end(1), "DATE", 25)
    for m in _BARE_MONTH.finditer(text):
        group = "m" if m.group("m") else 0
        f.add(m.start(group), m.end(group), "DATE", 5)
    for m in _PHONE.finditer(text):
        if sum(ch.isdigit() for ch in m.group()) >= 7 and not _DATE.search(m.group()):
            fax = _FAX_CONTEXT.search(text[max(0, m.start() - 16) : m.start()])
            f.add(m.start(), m.end(), "FAX" if fax else "PHONE", 35)
    for m in _EXTENSION.finditer(text):
        fax = _FAX_CONTEXT.search(text[max(0, m.start() - 16) : m.start()])
        f.add(m.start(1), m.end(1), "FAX" if fax else "PHONE", 30)
    for m in _VEHICLE.finditer(text):
        plate = m.group("id")
        if not (any(ch.isdigit() for ch in plate) and any(ch.isalpha() for ch in plate)):
            continue
        f.add(m.start("id"), m.end("id"), "VEHICLE_ID", 30)
    for m in _AGE.finditer(text):
        group = next(i for i in (1, 2, 3) if m.group(i))
        f.add(m.start(group), m.end(group), "AGE_OVER_89", 35)
    for m in _ID_CONTEXT.finditer(text):
        ident = m.group("id")
        if _DATE.fullmatch(ident) or not any(ch.isdigit() for ch in ident) or len(ident) < 3:
            continue
        f.add(m.start("id"), m.end("id"), _id_category(m.group("ctx")), 20)
    for m in _GENERIC_ID.finditer(text):
        f.add(m.start(), m.end(), "OTHER_ID", 8)
    for m in _NATIONAL_ID.finditer(text):
        if sum(ch.isdigit() for ch in m.group(1)) >= 8:
            f.add(m.start(1), m.end(1), "SSN", 20)
    for start, end, category in table_spans(text) + spoken_id_spans(text) + date_age_spans(text):
        f.add(start, end, category, 22)  # layout and dictation cues
    for start, end, category in world_date_spans(text) + plate_spans(text) + numbered_id_spans(text):
        f.add(start, end, category, 9)
    for start, end, category in calendar_spans(text) + initials_name_spans(text, _is_common):
        f.add(start, end, category, 22)
    for start, end, category in context_person_spans(text):
        f.add(start, end, category, 20)
    for start, end, category in street_spans(text):
        f.add(start, end, category, 15)
    _places(f)
    _names(f)


def _id_category(context: str) -> str:
    c = context.lower()
    if c.startswith(("mrn", "mr#", "ur", "medical", "pid", "patient", "hospital", "chart", "fall")):
        return "MRN"
    if c.startswith(("account", "acct")):
        return "ACCOUNT"
    if c.startswith(
        ("member", "medica", "mbi", "group", "policy", "insurance", "health plan", "versicherten", "ahv")
    ):
        return "HEALTH_PLAN"
    if c.startswith(("licen", "gln", "npi", "dea")):
        return "LICENSE"
    if c.startswith(("serial", "s/n", "sn", "device")):
        return "DEVICE_ID"
    if c.startswith(("plate", "vin")):
        return "VEHICLE_ID"
    return "OTHER_ID"


def _places(f: _Finder) -> None:
    text = f.text
    for m in _STREET.finditer(text):
        end = m.end()
        tail = _PLACE_TAIL.match(text, end)
        if tail and not any(
            _is_common(t) and _key(t) not in _CITIES for t in _CAP_TOKEN.findall(tail.group())
        ):
            end = tail.end()
        f.add(m.start(), end, "ADDRESS", 15)
        code = postcode_after(text, end)
        if code is not None:
            f.add(*code, "ZIP", 14)
    for m in _POSTAL_CITY.finditer(text):
        if (not _is_common(m.group(2)) or m.group(2) in _CITIES) and m.group(2).lower() not in _MONTH_NUM:
            f.add(m.start(1), m.end(1), "ZIP", 14)
            f.add(m.start(2), m.end(2), "ADDRESS", 15)
    for m in _CITY_STATE_ZIP.finditer(text):
        f.add(m.start(), m.end(), "ADDRESS", 15)
        if m.group(2):
            f.add(m.start(2), m.end(2), "ZIP", 14)
    for m in _UK_POSTCODE.finditer(text):
        f.add(m.start(), m.end(), "ZIP", 14)
    for m in _NL_POSTCODE.finditer(text):
        if not _is_common(m.group(2)) or m.group(2) in _CITIES:
            f.add(m.start(1), m.end(1), "ZIP", 14)
            f.add(m.start(2), m.end(2), "ADDRESS", 12)
    for m in _ZIP_CONTEXT.finditer(text):
        f.add(m.start(1), m.end(1), "ZIP", 14)
    for m in _LIVES.finditer(text):
        if not _is_common(m.group("place").split()[0]) or m.group("place") in _CITIES:
            f.add(m.start("place"), m.end("place"), "ADDRESS", 12)
    for m in _INSTITUTION.finditer(text):
        head = m.group().split()[0]
        if m.group().isupper() or (head.isupper() and len(head) > 3):
            continue
        f.add(m.start(), m.end(), "ADDRESS", 12)
    for m in _CAP_TOKEN.finditer(text):
        if m.group() in _CITIES and not _eponym(text, m.end()):
            f.add(m.start(), m.end(), "ADDRESS", 10)
    for city in _MULTIWORD_CITIES:
        for m in re.finditer(rf"\b{re.escape(city)}\b", text):
            f.add(m.start(), m.end(), "ADDRESS", 10)


def _names(f: _Finder) -> None:
    text = f.text
    for m in _TITLE.finditer(text):
        f.add_name_seq(m.start("name"), m.group("name"), 60, strict=False)
    for m in _LABEL.finditer(text):
        keep = m.group("label").lower() in _TITLED_CONTEXTS
        f.add_name_seq(m.start("name"), m.group("name"), 55, strict=False, keep_title=keep)
    for m in _SIGNATURE.finditer(text):
        f.add_name_seq(m.start("name"), m.group("name"), 55, strict=True)
    for m in _VERB_CONTEXT.finditer(text):
        name = m.group("name")
        if name[:1].isupper() or (name[:1].islower() and re.match(_PARTICLE, name)):
            kin = m.group().split()[0].lower() not in ("per", "patient", "pt", "cc", "attending", "resident")
            keep = m.group("ctx").lower() in _TITLED_CONTEXTS
            f.add_name_seq(m.start("name"), name, 50, strict=True, allow_common_given=kin, keep_title=keep)
    for m in _SURNAME_GIVEN.finditer(text):
        pre, family, given = m.group("pre"), m.group("family"), m.group("given")
        fk, gk = _key(family), _key(given)
        if family.isupper() and len(family) > 1 and given[1:].islower():
            ok = ((gk in _GIVEN or fk in _SURNAME) and not _is_common(family)) or (
                gk in _GIVEN and fk in _SURNAME
            )
            ok = ok and gk.lower() not in _MONTH_NUM
        else:
            ok = gk in _GIVEN and not _is_common(family) and (not _is_common(given) or fk in _SURNAME)
            pre = pre if re.fullmatch(rf"(?:{_PARTICLE}[ \t])*", pre) else ""
        if ok:
            f.add(m.end() - len(m.group()) + (len(m.group("pre")) - len(pre)), m.end(), "NAME", 45)
    tokens = list(_CAP_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        token = m.group()
        key = _key(token)
        if (
            len(key) < 2
            or _is_common(token)
            or key.lower() in f.lower_words
            or (key.lower() in _MONTH_NUM and not _month_given(text, tokens, i))
            or _eponym(text, m.end())
        ):
            continue
        particles = re.search(
            rf"(?<![\w-])(?:{_PARTICLE}[ \u00a0])+$", text[max(0, m.start() - 12) : m.start()]
        )
        if key in _GIVEN:
            start, end = m.start() - (len(particles.group()) if particles else 0), m.end()
            if i + 1 < len(tokens):  # extend over a family name that follows ("Peter Kiss", "Kees ter Horst")
                nxt = tokens[i + 1]
                gap = text[end : nxt.start()]
                family = nxt.group()
                if (
                    re.fullmatch(rf"[ \u00a0](?:{_PARTICLE}[ \u00a0])*", gap)
                    and family[:1].isupper()
                    and (not _is_common(family) or (_key(family) in _SURNAME and not _is_common(token)))
                    and not _eponym(text, nxt.end())
                ):
                    end = nxt.end()
            f.add(start, end, "NAME", 30)
        elif key in _SURNAME and not token.isupper():
            f.add(m.start() - (len(particles.group()) if particles else 0), m.end(), "NAME", 25)


# text spaced out letter by letter, as OCR reads some letterheads and forms: single characters one space
# apart, words two spaces apart ("D a t e :  1  A p r  2 0 2 2")
_LETTER_SPACED = re.compile(r"(?<![^\s])[^\s](?:(?: |  )[^\s](?![^\s])){4,}")


def _collapse(run: str, offset: int) -> tuple[str, list[int]]:
    """The run with its letter spacing removed (two spaces → one), and each character's offset in the note."""
    kept = list(re.finditer(r"[^ ]|  ", run))  # a lone space between letters is dropped
    return "".join(m.group()[0] for m in kept), [offset + m.start() for m in kept]


def _scan(text: str, patient: PatientIdentifiers | None) -> _Finder:
    """Every rule's candidate spans in `text`, the patient's own identifiers included when given."""
    finder = _Finder(text)
    _rules(finder)
    if patient is not None:
        _patient_rules(finder, patient)
    return finder


def _month_given(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """A month-like given name directly followed by a family name ("Jan Smit", "May Rahman")."""
    if _key(tokens[i].group()) not in _GIVEN or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    gap = text[tokens[i].end() : nxt.start()]
    family = _key(nxt.group())
    if re.fullmatch(rf" (?:{_PARTICLE} )+", gap):
        return True
    return gap == " " and family in _SURNAME and not _is_common(family) and family.lower() not in _MONTH_NUM


def _loose(value: str) -> str:
    """A pattern for `value` that accepts any run of whitespace where it has one."""
    return r"\s+".join(re.escape(part) for part in value.split())


def _patient_rules(f: _Finder, patient: PatientIdentifiers) -> None:
    text = f.text
    parts: set[str] = set()
    for name in patient.names:
        parts.add(name.strip())
        parts.update(p for p in re.split(r"[\s,]+", name) if len(p.strip(".")) >= 2)
    for part in sorted(parts, key=len, reverse=True):
        if not part:
            continue
        pattern = re.compile(rf"(?<!\w){_loose(part)}(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            if m.group().islower() and _is_common(part):
                continue
            f.add(m.start(), m.end(), "NAME", 90)
    exact = (
        [(v, "MRN") for v in patient.mrns]
        + [(v, "EMAIL") for v in patient.emails]
        + [(v, "ZIP" if v.strip().isdigit() else "ADDRESS") for v in patient.addresses]
        + [(v, "SSN" if _SSN.fullmatch(v) else "OTHER_ID") for v in patient.other]
    )
    for value, category in exact:
        value = value.strip()
        if len(value) < 3:
            continue
        pattern = re.compile(rf"(?<!\w){_loose(value)}(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            f.add(m.start(), m.end(), category, 90)
    for phone in patient.phones:
        digits = re.sub(r"\D", "", phone)
        if len(digits) < 6:
            continue
        # the same number however it is punctuated, with or without its country code
        tail = digits[-9:]
        body = r"[\s().\-/]{0,3}".join(tail)
        for m in re.finditer(rf"(?<![\w+])(?:\+?\d{{1,3}}[\s.-]?)?(?:\(0\)\s?|0)?{body}(?!\d)", text):
            f.add(m.start(), m.end(), "PHONE", 90)


# --- surrogates -------------------------------------------------------------------------------------

_GIVEN_LIST = tuple(sorted(_GIVEN - _COMMON))
_SURNAME_LIST = tuple(sorted(_SURNAME - _COMMON))
_PLACE_WORDS = (
    "Oakridge", "Birchfield", "Millbrook", "Fairview", "Lindenhof", "Rosenau", "Seefeld", "Hillcrest",
    "Kastanien", "Elmwood", "Brookside", "Sonnenberg", "Riverside", "Weidenau", "Ashford", "Greenvale",
)  # fmt: skip
_KEEP_WORDS = re.compile(
    rf"^(?:{_STREET_TYPES}|{_US_STATES}|Hospital|Medical|Center|Centre|Clinic|Klinik|Spital|of|de|del|la|út|utca)$"
)


class _Surrogates:
    """Same-shaped fake values derived from HMAC(secret, key + original)."""

    def __init__(self, secret: bytes, key: str) -> None:
        self.secret, self.key = secret, key

    def _stream(self, label: str, text: str) -> Iterator[int]:
        counter = 0
        while True:
            msg = f"{self.key}\x1f{label}\x1f{text}\x1f{counter}".encode()
            yield from hmac.new(self.secret, msg, hashlib.sha256).digest()
            counter += 1

    def pick(self, label: str, text: str, choices: tuple[str, ...]) -> str:
        stream = self._stream(label, text)
        return choices[(next(stream) << 16 | next(stream) << 8 | next(stream)) % len(choices)]

    def shaped(self, label: str, text: str, keep_prefix: int = 0) -> str:
        stream = self._stream(label, text.lower())
        out = []
        for i, ch in enumerate(text):
            if i < keep_prefix or not ch.isalnum() or not ch.isascii():
                out.append(ch)
            elif ch.isdigit():
                out.append(str(next(stream) % 10))
            else:
                letter = chr(ord("a") + next(stream) % 26)
                out.append(letter.upper() if ch.isupper() else letter)
        return "".join(out)

    def name(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            token = m.group()
            key = _key(token)
            if key.lower() in _TITLE_WORDS:
                return token  # "Dr. Salter" → "Dr. Moser": a title is kept, only the name changes
            pool = _GIVEN_LIST if key in _GIVEN and key not in _SURNAME else _SURNAME_LIST
            fake = self.pick("name", key.lower(), pool)
            return fake.upper() if token.isupper() and len(token) > 1 else fake

        return re.sub(rf"[A-Za-zÀ-ÖØ-öø-ÿ{_XL}]{{2,}}(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ{_XL}]+)*", swap, text)

    def place(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            token = m.group()
            if _KEEP_WORDS.match(token) or not token[:1].isupper():
                return token
            fake = self.pick("place", token.lower(), _PLACE_WORDS)
            return fake.upper() if token.isupper() and len(token) > 1 else fake

        return self.shaped("digits", re.sub(r"[^\W\d_]+", swap, text))

    def email(self, text: str) -> str:
        local = text.split("@", 1)[0]
        return f"{self.shaped('email', local)}@example.org"

    def url(self, text: str) -> str:
        return f"https://example.org/{self.shaped('url', text)[-8:].strip('/') or 'x'}"

    def ip(self, text: str) -> str:
        stream = self._stream("ip", text)
        return f"10.{next(stream)}.{next(stream)}.{next(stream) % 254 + 1}"


def _shift_date(text: str, shift: datetime.timedelta) -> str | None:
    """`text` moved by `shift`, written the way it was written; None if it cannot be read."""
    for pattern, render in _DATE_FORMS:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        try:
            return render(m, shift)
        except ValueError:
            return None
    return None


def _year(y: str) -> int:
    y = y.lstrip("'")
    return int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))


def _fmt_year(year: int, written: str) -> str:
    if len(written.lstrip("'")) != 2:
        return str(year)
    return ("'" if written.startswith("'") else "") + f"{year % 100:02d}"


def _width(value: int, written: str) -> str:
    return f"{value:0{len(written)}d}" if written.startswith("0") else str(value)


def _month_word(month: int, written: str) -> str:
    base = written.rstrip(".").lower()
    family = next((i for i in range(0, len(_MONTHS), 12) if base in _MONTHS[i : i + 12]), 0)
    full = _MONTHS[family + month - 1]
    word = full[: len(base)] if len(base) <= 4 and base != full else full
    if written.isupper():
        word = word.upper()
    elif written[:1].isupper():
        word = word[:1].upper() + word[1:]
    return word + ("." if written.endswith(".") and not word.endswith(".") else "")


def _numeric(order: str) -> Callable[[re.Match[str], datetime.timedelta], str]:
    def render(m: re.Match[str], shift: datetime.timedelta) -> str:
        parts = dict(zip(order, (m.group("a"), m.group("b"), m.group("c")), strict=True))
        d = datetime.date(_year(parts["y"]), int(parts["m"]), int(parts["d"])) + shift
        pad = "00" if len(parts["m"]) == len(parts["d"]) == 2 else ""  # 12/24/2019 is MM/DD/YYYY
        new = {
            "y": _fmt_year(d.year, parts["y"]),
            "m": _width(d.month, pad or parts["m"]),
            "d": _width(d.day, pad or parts["d"]),
        }
        seps = (m.group("s1"), m.group("s2"))
        return f"{new[order[0]]}{seps[0]}{new[order[1]]}{seps[1]}{new[order[2]]}{m.group('rest') or ''}"

    return render


def _day_month_year(m: re.Match[str], shift: datetime.timedelta) -> str:
    month = _MONTH_NUM[m.group("mon").rstrip(".").lower()]
    d = datetime.date(_year(m.group("y")), month, int(m.group("d"))) + shift
    return (
        f"{_width(d.day, m.group('d'))}{m.group('s1')}{_month_word(d.month, m.group('mon'))}"
        f"{m.group('s2')}{_fmt_year(d.year, m.group('y'))}"
    )


def _month_day_year(m: re.Match[str], shift: datetime.timedelta) -> str:
    month = _MONTH_NUM[m.group("mon").rstrip(".").lower()]
    d = datetime.date(_year(m.group("y")), month, int(m.group("d"))) + shift
    return (
        f"{_month_word(d.month, m.group('mon'))}{m.group('s1')}{_width(d.day, m.group('d'))}{m.group('suf') or ''}"  # noqa: E501
        f"{m.group('s2')}{_fmt_year(d.year, m.group('y'))}"
    )


def _month_year(m: re.Match[str], shift: datetime.timedelta) -> str:
    month = _MONTH_NUM[m.group("mon").rstrip(".").lower()]
    d = datetime.date(_year(m.group("y")), month, 15) + shift
    return f"{_month_word(d.month, m.group('mon'))}{m.group('s1')}{_fmt_year(d.year, m.group('y'))}"


def _month_day(m: re.Match[str], shift: datetime.timedelta) -> str:
    month = _MONTH_NUM[m.group("mon").rstrip(".").lower()]
    d = datetime.date(2000, month, int(m.group("d"))) + shift  # a leap year accepts 29 February
    return f"{_month_word(d.month, m.group('mon'))}{m.group('s1')}{_width(d.day, m.group('d'))}{m.group('suf') or ''}"  # noqa: E501


def _day_month(m: re.Match[str], shift: datetime.timedelta) -> str:
    month = _MONTH_NUM[m.group("mon").rstrip(".").lower()]
    d = datetime.date(2000, month, int(m.group("d"))) + shift  # a leap year accepts 29 February
    day = _width(d.day, m.group("d"))
    return f"{day}{m.group('suf') or ''}{m.group('s1')}{_month_word(d.month, m.group('mon'))}"


def _short(order: str) -> Callable[[re.Match[str], datetime.timedelta], str]:
    def render(m: re.Match[str], shift: datetime.timedelta) -> str:
        parts = dict(zip(order, (m.group("a"), m.group("b")), strict=True))
        d = datetime.date(2000, int(parts["m"]), int(parts["d"])) + shift
        new = {"m": _width(d.month, parts["m"]), "d": _width(d.day, parts["d"])}
        return f"{new[order[0]]}{m.group('s1')}{new[order[1]]}{m.group('s2') or ''}"

    return render


_MON = rf"(?P<mon>(?:{_MONTH_RE})\.?)"
_DATE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], datetime.timedelta], str]], ...] = (
    (re.compile(r"(?P<a>\d{4})(?P<s1>[-/])(?P<b>\d{1,2})(?P<s2>[-/])(?P<c>\d{1,2})(?P<rest>T[\d:]+)?"), _numeric("ymd")),  # noqa: E501
    (re.compile(r"(?P<a>\d{1,2})(?P<s1>/)(?P<b>\d{1,2})(?P<s2>/)(?P<c>\d{2}|\d{4})(?P<rest>)"), _numeric("mdy")),  # noqa: E501
    (re.compile(r"(?P<a>\d{1,2})(?P<s1>\.\s?|-)(?P<b>\d{1,2})(?P<s2>\.\s?|-)(?P<c>\d{2}|\d{4})(?P<rest>)"), _numeric("dmy")),  # noqa: E501
    (
        re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?P<s1>\.?[\s-]*(?:of\s+)?){_MON}(?P<s2>,?[\s-]*)(?P<y>\d{{4}}|'?\d{{2}})", re.I),  # noqa: E501
        _day_month_year,
    ),
    (
        re.compile(rf"{_MON}(?P<s1>\s+)(?P<d>\d{{1,2}})(?P<suf>st|nd|rd|th)?(?P<s2>,?\s+)(?P<y>\d{{4}})", re.I),  # noqa: E501
        _month_day_year,
    ),
    (re.compile(rf"{_MON}(?P<s1>,?\s+)(?P<y>\d{{4}})", re.I), _month_year),
    (re.compile(rf"{_MON}(?P<s1>\s+)(?P<d>\d{{1,2}})(?P<suf>st|nd|rd|th)?", re.I), _month_day),
    (re.compile(rf"(?P<d>\d{{1,2}})(?P<suf>st|nd|rd|th)?(?P<s1>\.?\s+(?:of\s+)?){_MON}", re.I), _day_month),
    (re.compile(r"(?P<a>\d{1,2})(?P<s1>/)(?P<b>\d{1,2})(?P<s2>)"), _short("md")),
    (re.compile(r"(?P<a>\d{1,2})(?P<s1>\.)(?P<b>\d{1,2})(?P<s2>\.)"), _short("dm")),
)  # fmt: skip


# --- the scrubber -----------------------------------------------------------------------------------


_CUT_EDGE = frozenset(" \t\r\n,;:")  # trimmed from a learned span's pieces


def union_spans(text: str, rules: list[PhiSpan], learned: list[PhiSpan]) -> list[PhiSpan]:
    """`rules` unchanged (sorted, non-overlapping), plus each piece of a `learned` span that lies outside
    every rule span and holds a letter or digit (trimmed of spaces and separators); pieces keep the
    learned category and probability."""
    covered = bytearray(len(text))
    for s in rules:
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
    extra: list[PhiSpan] = []
    for span in learned:
        pos = span.start
        while pos < span.end:
            while pos < span.end and covered[pos]:
                pos += 1
            end = pos
            while end < span.end and not covered[end]:
                end += 1
            start, stop = pos, end
            while start < stop and text[start] in _CUT_EDGE:
                start += 1
            while stop > start and text[stop - 1] in _CUT_EDGE:
                stop -= 1
            if any(ch.isalnum() for ch in text[start:stop]):
                covered[start:stop] = b"\x01" * (stop - start)
                extra.append(PhiSpan(start, stop, span.category, text[start:stop], span.probability))
            pos = end
    return sorted([*rules, *extra], key=lambda s: s.start)


class PhiScrubber:
    """Finds PHI in clinical text and replaces it with consistent surrogates or `[CATEGORY]` tags."""

    def __init__(
        self,
        *,
        mode: Literal["surrogate", "tag"] = "surrogate",
        secret: bytes = b"healthfm",
        tagger: SpanTagger | None = None,
    ) -> None:
        if mode not in ("surrogate", "tag"):
            raise ValueError(f"mode must be 'surrogate' or 'tag', not {mode!r}")
        self.mode = mode
        self.secret = secret
        self.tagger = tagger

    def find(self, text: str, patient: PatientIdentifiers | None = None) -> list[PhiSpan]:
        """PHI spans in `text`, sorted and non-overlapping: the rules' spans, and with a tagger, the
        parts of its spans that no rule span covers."""
        finder = _scan(text, patient)
        for run in _LETTER_SPACED.finditer(text):  # OCR'd "R e :  K A T A R Z Y N A  W I Ś N I E W S K I"
            word, index = _collapse(run.group(), run.start())
            for start, end, category in _scan(word, patient).spans():
                finder.add(index[start], index[end - 1] + 1, category, 20)
        spans = [PhiSpan(s, e, cat, text[s:e]) for s, e, cat in finder.spans()]
        if self.tagger is not None:
            spans = union_spans(text, spans, self.tagger.find(text))
        return spans

    def scrub(
        self,
        text: str,
        patient: PatientIdentifiers | None = None,
        *,
        date_shift: datetime.timedelta = datetime.timedelta(0),
        surrogate_key: str = "",
    ) -> ScrubResult:
        """`text` with every PHI span replaced; dates move by `date_shift` in surrogate mode."""
        spans = self.find(text, patient)
        fakes = _Surrogates(self.secret, surrogate_key)
        out, pos = [], 0
        for span in spans:
            out.append(text[pos : span.start])
            out.append(self._replace(span, fakes, date_shift))
            pos = span.end
        out.append(text[pos:])
        return ScrubResult("".join(out), tuple(spans))

    def _replace(self, span: PhiSpan, fakes: _Surrogates, shift: datetime.timedelta) -> str:
        if self.mode == "tag":
            return f"[{span.category}]"
        cat, text = span.category, span.text
        if cat == "NAME":
            return fakes.name(text)
        if cat == "DATE":
            shifted = _shift_date(text, shift)
            return shifted if shifted is not None else "[DATE]"
        if cat == "AGE_OVER_89":
            return "90+"
        if cat == "EMAIL":
            return fakes.email(text)
        if cat == "URL":
            return fakes.url(text)
        if cat == "IP":
            return fakes.ip(text)
        if cat == "ADDRESS":
            return fakes.place(text)
        if cat in ("PHONE", "FAX"):
            country = re.match(r"\+\d{1,3}", text)
            return fakes.shaped(cat, text, keep_prefix=country.end() if country else 0)
        return fakes.shaped(cat, text)
