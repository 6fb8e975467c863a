"""Blind PHI test set #5: alternative note kinds, locales and formats.

This module was written BLIND: its author never saw the scrubber under test, its
tests, its docs or any earlier benchmark set.  It only follows the written span
conventions below.  Everything is synthetic; any resemblance to real people,
numbers or addresses is coincidental.

Note kinds (26): nursing shift handover (SBAR), ICU flowsheet free text,
operative note with implant log, anaesthesia record, pharmacy medication
reconciliation (pipe table), prior-authorisation letter to an insurer,
insurance claim-denial appeal, patient-portal message thread (informal spelling,
emoji, ALL CAPS), SMS reminder outbox (in the local language), telephone triage
log, social-work note, home-health visit, physiotherapy / speech-therapy plan,
wound-care photo log, surgical pathology report, blood-bank crossmatch, transplant
coordinator note (with a CSV offer extract), haemodialysis run sheet, sleep-study
report, death-certificate worksheet, medico-legal (court) report, school-nurse
care-plan letter, travel-clinic consultation, zoonosis contact tracing, FHIR JSON
interface-error paste, scanned-fax OCR referral (0/O and 1/l confusions, broken
line wraps).

Locales (32): Germany, France, Italy, Spain, Portugal, Poland, Czechia, Sweden,
Denmark, Finland, Ireland, Scotland, Wales, Turkey, Israel, Egypt, Morocco, Kenya,
South Africa, Pakistan, Bangladesh, Sri Lanka, Indonesia, Malaysia, Thailand,
Canada (Québec), Canada (English), Caribbean (Jamaica / Trinidad / Barbados),
Argentina, Chile, Colombia, Peru -- with each country's formats for phones, postal
codes, national ids, insurance and hospital numbers, local-language dates
("3 mars 2024", "12. März 2024", "5 de mayo de 2023", "12 marca 2024",
"12/3-2024", Buddhist-era years), names with particles, double surnames,
patronymic connectors (bin/binti, a/l), diacritics dropped, ALL CAPS, initials.

Span conventions (HIPAA Safe Harbor, as used by the project):
- Titles (Dr, Mrs, Prof, Sister ...) and degrees (MD, RN ...) are outside NAME
  spans; "FAMILY, Given" is one span.  Any person's name is PHI (patient,
  relatives, clinicians, staff, witnesses, solicitors, vets).
- Every date is DATE in any format, including partial dates ("March 3", "3/14")
  and a month named alone ("since June"); bare years, weekdays and relative dates
  ("yesterday", "POD 2") are not PHI; a time next to a date is outside the span.
- Ages below 90 are not PHI; for ages 90+ only the number is AGE_OVER_89 (also
  spelled out).
- Each street line, each locality and the postal code are separate spans
  (ADDRESS, ADDRESS, ZIP); states, provinces, regions, countries are not PHI.
  Any street address is PHI whoever it belongs to.
- Pagers/bleeps/extensions are PHONE; fax numbers FAX.  SSN = national identity /
  social security numbers of any country.  HEALTH_PLAN = insurance / health-cover
  member numbers.  MRN = hospital / record numbers and national patient indexes
  used as record numbers (CHI, NHS number).  ACCOUNT = billing / encounter /
  financial numbers.  LICENSE = driving licences and professional registrations
  (incl. DEA).  DEVICE_ID = device serials, implant serials, UDI.  VEHICLE_ID =
  plates, VINs.  URL, IP, EMAIL as usual.  OTHER_ID = accession, specimen, sample,
  passport, employee, case/incident numbers, NPIs and any other unique
  identifying number.
- NOT PHI (precision traps): drug names and doses, lab values, lot numbers,
  catalogue/REF numbers, trial registry numbers, ICD/CPT/LOINC/SNOMED/ICD-O codes,
  hospital/ward/clinic/company names (also those named after people), eponyms,
  public phone lines (112, 911, 999, 15, 1669, 811 ...), gene variants, HLA
  alleles, scores, room/bed numbers, version numbers, capitalised common words.

Decisions beyond the list above:
- Encounter-type numbers (Fallnummer, N° séjour, Nosologico, AN, BHT, Protokol
  No, episode numbers, claim numbers) are ACCOUNT; patient-level numbers (Pat-ID,
  IPP/NIP, NHC, HN, docket, folder, CHI, NHS number, chart) are MRN.
- Every e-mail address and every phone number is PHI (EMAIL / PHONE), including
  departmental ones; only public emergency / advice lines are not.
- A name inside an e-mail address or URL is covered by the EMAIL / URL span only
  (no nested NAME span).  Street names after people ("avenue Jean-Jaurès") are
  inside the ADDRESS span.
- Animal names are not PHI; a pet microchip number and a farm holding number
  are OTHER_ID; a veterinary registration is LICENSE.
- Donation (ISBT 128) unit numbers, specimen / sample ids, message/thread ids,
  FHIR resource ids, incident and court case numbers, passport and certificate
  numbers, pupil numbers, benefit claim references are OTHER_ID.
- Travel insurance policy numbers are HEALTH_PLAN.  Asset tags / serials of
  loaned equipment (wheelchairs, pumps, concentrators) are DEVICE_ID.
- In ISO date-times ("2024-03-12T10:22:31Z") only the date part is DATE.
- A UDI string is one DEVICE_ID span even though it embeds lot / expiry parts.
- Localities are ADDRESS even when written as the second half of a district
  ("Kadıköy"); provinces / regions / parishes / states are never marked.

Run ``python benchmarks/phi_notes_alt5.py`` for examples, counts and self-checks.
"""

from __future__ import annotations

import random
import re
import sys
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

NAME, DATE, AGE, PHONE, FAX, EMAIL, SSN, MRN, ACCOUNT, LICENSE = CATEGORIES[:10]
ADDRESS, ZIP, URL, IP, DEVICE, VEHICLE, PLAN, OTHER = CATEGORIES[10:]


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


# --------------------------------------------------------------------------- builder


class _B:
    """Appends plain text and PHI parts, recording gold offsets as it goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[AltSpan] = []
        self.n = 0

    def add(self, *items: str | tuple[str, str]) -> _B:
        for it in items:
            if isinstance(it, str):
                self.parts.append(it)
                self.n += len(it)
            else:
                s, cat = it
                if cat not in CATEGORIES:
                    raise ValueError(cat)
                if not s or s != s.strip():
                    raise ValueError(f"bad span text {s!r}")
                self.spans.append(AltSpan(self.n, self.n + len(s), cat))
                self.parts.append(s)
                self.n += len(s)
        return self

    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------- helpers

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_VINCH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _pat(r: random.Random, p: str) -> str:
    """'#' -> digit, '@' -> capital letter, anything else literal."""
    out = []
    for ch in p:
        if ch == "#":
            out.append(r.choice(_DIGITS))
        elif ch == "@":
            out.append(r.choice(_LETTERS))
        else:
            out.append(ch)
    return "".join(out)


_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "ı": "i", "đ": "d"}
)


def _fold(s: str) -> str:
    s = s.translate(_FOLD)
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(s).lower())


_NUM_WORDS = {
    90: "ninety",
    91: "ninety-one",
    92: "ninety-two",
    93: "ninety-three",
    94: "ninety-four",
    95: "ninety-five",
    96: "ninety-six",
    97: "ninety-seven",
    98: "ninety-eight",
    99: "ninety-nine",
    100: "one hundred",
    101: "one hundred and one",
    102: "one hundred and two",
    103: "one hundred and three",
}
_WORD_NUMS = {v: k for k, v in _NUM_WORDS.items()}

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pl": (
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia"
    ),
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "fi": (
        "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta "
        "syyskuuta lokakuuta marraskuuta joulukuuta"
    ),
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "ms": "Januari Februari Mac April Mei Jun Julai Ogos September Oktober November Disember",
    "cy": "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr",
}
_MONTHS_L = {k: v.split() for k, v in _MONTHS.items()}
_EN_ABBR = [m[:3] for m in _MONTHS_L["en"]]


def _long_date(d: date, lang: str) -> str:
    m = _MONTHS_L[lang][d.month - 1]
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {m} {d.year}"
    if lang in ("es", "pt"):
        return f"{d.day} de {m} de {d.year}"
    if lang in ("de", "cs", "da", "fi"):
        return f"{d.day}. {m} {d.year}"
    return f"{d.day} {m} {d.year}"


def _num_date(d: date, style: str) -> str:
    if style == "dmy/":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "dmy.":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "fi":
        return f"{d.day}.{d.month}.{d.year}"
    if style == "cs":
        return f"{d.day}. {d.month}. {d.year}"
    if style == "da":
        return f"{d.day}/{d.month}-{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "za":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "th":
        return f"{d.day:02d}/{d.month:02d}/{d.year + 543}"
    if style == "dmy-":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "mdy":
        return f"{d.month}/{d.day}/{d.year}"
    raise ValueError(style)


# --------------------------------------------------------------------------- locales


@dataclass(frozen=True)
class _Loc:
    key: str
    country: str
    lang: str
    nums: tuple[str, ...]  # numeric date styles
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]  # "m|f" for gendered surnames
    nicks: tuple[str, ...]  # 'M:Kalle' / 'F:Uschi'
    streets: tuple[str, ...]  # {n} {m} placeholders
    places: tuple[tuple[str, str, str], ...]  # (locality, postal pattern, region)
    tpl: str  # address template with {street} {city} {zip} {region}
    phones: tuple[str, ...]
    ssn: tuple[str, tuple[str, ...]]
    plan: tuple[str, tuple[str, ...]]
    mrn: tuple[tuple[str, ...], tuple[str, ...]]
    acct: tuple[str, str]
    lic: tuple[str, str]
    plates: tuple[str, ...]
    hospitals: tuple[str, ...]
    web: tuple[str, ...]
    mail: tuple[str, ...]
    emergency: str
    hon: tuple[str, str] = ("Mr", "Mrs")
    double: bool = False
    middle: bool = False
    insurers: tuple[str, ...] = ()


_L = _Loc
LOCALES: tuple[_Loc, ...] = (
    _L(
        "de",
        "Germany",
        "de",
        ("dmy.",),
        ("Lukas", "Jonas", "Matthias", "Jürgen", "Klaus-Dieter", "Friedrich", "Stefan", "Wolfgang"),
        ("Anna", "Katharina", "Sabine", "Ursula", "Marie-Luise", "Jutta", "Birgit", "Hannelore"),
        (
            "Müller",
            "Schmidt",
            "Schneider",
            "von Bülow",
            "Weiß",
            "Groß-Hartmann",
            "Köhler",
            "Becker",
            "Zimmermann",
            "Oßwald",
            "von der Heyde",
        ),
        ("F:Uschi", "M:Kalle", "F:Steffi", "M:Jupp"),
        ("Hauptstraße {n}", "Lindenallee {n}a", "Am Kirchberg {n}", "Schillerstr. {n}", "Goethestraße {n}"),
        (
            ("München", "80###", "Bayern"),
            ("Berlin", "10###", ""),
            ("Köln", "50###", "Nordrhein-Westfalen"),
            ("Leipzig", "04###", "Sachsen"),
            ("Freiburg im Breisgau", "79###", "Baden-Württemberg"),
        ),
        "{street}, {zip} {city}",
        ("+49 89 ########", "0171 #######", "030 #######-##", "(0221) ######", "0151-########"),
        ("Sozialversicherungsnr.", ("## ###### @ ###",)),
        ("KVNR", ("@#########",)),
        (("Pat-ID", "Patientennr.", "PID"), ("########", "PID-#######")),
        ("Fallnummer", "##########"),
        ("LANR", "#########"),
        ("M-@@ ####", "B-@@ ###", "K-@ ####"),
        (
            "Klinikum rechts der Isar",
            "Charité Campus Virchow-Klinikum",
            "Universitätsklinikum Köln",
            "Universitätsklinikum Freiburg",
        ),
        ("mri.tum.de", "charite.de", "uk-koeln.de"),
        ("web.de", "gmx.de", "t-online.de"),
        "112",
        ("Herr", "Frau"),
        insurers=("Techniker Krankenkasse", "AOK Bayern", "Barmer"),
    ),
    _L(
        "fr",
        "France",
        "fr",
        ("dmy/",),
        ("Jean-Pierre", "Mathieu", "Théo", "Benoît", "François", "Loïc", "Hervé", "Jean-Baptiste"),
        ("Marie-Claire", "Élodie", "Chloé", "Amélie", "Françoise", "Anaïs", "Solène", "Geneviève"),
        (
            "Dubois",
            "Lefèvre",
            "de la Fontaine",
            "Moreau",
            "Girard",
            "Rousseau-Bérard",
            "Lemaître",
            "Fournier",
            "Mercier",
            "Chevalier",
            "d'Arnaud",
        ),
        ("M:Jeannot", "F:Mimi", "M:Fanfan", "F:Loulou"),
        (
            "{n} rue de la République",
            "{n} bis avenue Jean-Jaurès",
            "{n} boulevard Voltaire",
            "{n} impasse des Lilas",
            "Bât. C, {n} allée des Tilleuls",
        ),
        (
            ("Paris", "750##", "Île-de-France"),
            ("Lyon", "6900#", "Auvergne-Rhône-Alpes"),
            ("Marseille", "130##", ""),
            ("Lille", "59000", "Hauts-de-France"),
            ("Toulouse", "31###", "Occitanie"),
        ),
        "{street}, {zip} {city}",
        ("06 ## ## ## ##", "+33 1 ## ## ## ##", "07.##.##.##.##", "04 ## ## ## ##"),
        ("NIR", ("# ## ## ## ### ### ##",)),
        ("n° adhérent mutuelle", ("########",)),
        (("IPP", "NIP", "N° dossier"), ("########", "#########")),
        ("N° séjour", "#########"),
        ("RPPS", "###########"),
        ("@@-###-@@",),
        (
            "Hôpital Européen Georges-Pompidou",
            "Hospices Civils de Lyon",
            "CHU de Lille",
            "Hôpital de la Timone",
        ),
        ("aphp.fr", "chu-lille.fr", "chu-lyon.fr"),
        ("orange.fr", "free.fr", "laposte.net", "wanadoo.fr"),
        "15",
        ("M.", "Mme"),
        insurers=("MGEN", "Harmonie Mutuelle", "CPAM du Rhône"),
    ),
    _L(
        "it",
        "Italy",
        "it",
        ("dmy/",),
        ("Giuseppe", "Marco", "Alessandro", "Gianluca", "Salvatore", "Pierluigi"),
        ("Giulia", "Francesca", "Maria Grazia", "Chiara", "Rosaria", "Annalisa"),
        (
            "Rossi",
            "Russo",
            "Esposito",
            "De Luca",
            "Lo Bianco",
            "D'Angelo",
            "Ferrari",
            "Colombo",
            "Di Stefano",
            "Bianchi",
        ),
        ("M:Peppe", "M:Gigi", "F:Franci", "M:Totò"),
        (
            "Via Garibaldi {n}",
            "Viale dei Mille {n}",
            "Piazza Dante {n}",
            "Corso Vittorio Emanuele II {n}",
            "Via dei Serpenti {n}, int. {m}",
        ),
        (
            ("Roma", "001##", "Lazio"),
            ("Milano", "201##", "Lombardia"),
            ("Napoli", "801##", "Campania"),
            ("Bologna", "401##", "Emilia-Romagna"),
            ("Palermo", "901##", "Sicilia"),
        ),
        "{street}, {zip} {city}",
        ("+39 06 #### ####", "347 ### ####", "338 #######", "02 ########"),
        ("Codice fiscale", ("@@@@@@##@##@###@",)),
        ("Tessera sanitaria n.", ("80380000############",)),
        (("N. cartella clinica", "ID paziente"), ("##/######", "RM#######")),
        ("Nosologico", "2024######"),
        ("Iscr. Albo OMCeO n.", "#####"),
        ("@@ ###@@", "@@ ### @@"),
        ("Policlinico Gemelli", "Ospedale Niguarda", "Ospedale Cardarelli", "Policlinico Sant'Orsola"),
        ("policlinicogemelli.it", "ospedaleniguarda.it", "aosp.bo.it"),
        ("libero.it", "virgilio.it", "alice.it"),
        "112",
        ("Sig.", "Sig.ra"),
        insurers=("UniSalute", "Generali Salute"),
    ),
    _L(
        "es",
        "Spain",
        "es",
        ("dmy/",),
        ("José Luis", "Javier", "Álvaro", "Íñigo", "Sergio", "Juan Carlos"),
        ("María José", "Lucía", "Ainhoa", "Montserrat", "Carmen", "Nuria"),
        (
            "García",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez-Vidal",
            "de la Fuente",
            "Iglesias",
            "Ruiz",
            "Etxeberria",
            "Puig",
        ),
        ("M:Pepe", "F:Maite", "M:Paco", "M:Nacho"),
        (
            "Calle Mayor {n}, {m}º B",
            "Avda. de la Constitución {n}",
            "C/ Alcalá {n}, {m}º izq.",
            "Passeig de Gràcia {n}",
        ),
        (
            ("Madrid", "280##", ""),
            ("Barcelona", "080##", "Cataluña"),
            ("Sevilla", "410##", "Andalucía"),
            ("Bilbao", "480##", "País Vasco"),
            ("Valencia", "460##", ""),
        ),
        "{street}, {zip} {city}",
        ("6## ## ## ##", "+34 91 ### ## ##", "93 ### ## ##", "+34 6## ### ###"),
        ("DNI", ("########@", "X#######@")),
        ("CIP/TSI", ("@@@@##########",)),
        (("NHC", "Nº historia"), ("#######", "HC-######")),
        ("Nº episodio", "#########"),
        ("Nº colegiado", "28/#####"),
        ("#### @@@",),
        (
            "Hospital Universitario La Paz",
            "Hospital Clínic de Barcelona",
            "Hospital Virgen del Rocío",
            "Hospital de Cruces",
        ),
        ("salud.madrid.org", "clinicbarcelona.org", "osakidetza.eus"),
        ("telefonica.net", "hotmail.es", "yahoo.es"),
        "112",
        ("Sr.", "Sra."),
        double=True,
        insurers=("Sanitas", "Adeslas", "DKV Seguros"),
    ),
    _L(
        "pt",
        "Portugal",
        "pt",
        ("dmy/", "dmy-"),
        ("João Pedro", "Tiago", "Rui", "António", "Duarte", "Gonçalo"),
        ("Ana Rita", "Inês", "Maria João", "Beatriz", "Conceição", "Leonor"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Gonçalves", "Sousa", "da Cunha", "Magalhães"),
        ("M:Zé", "M:Tó", "F:Bia", "M:Quim"),
        ("Rua Augusta, {n}, {m}.º Esq.", "Avenida da Liberdade, {n}", "Travessa do Carmo, n.º {n}"),
        (
            ("Lisboa", "1###-###", ""),
            ("Porto", "4###-###", ""),
            ("Coimbra", "3000-###", ""),
            ("Braga", "4700-###", ""),
        ),
        "{street}, {zip} {city}",
        ("+351 912 ### ###", "21 ### ####", "96# ### ###", "22 ### ## ##"),
        ("Cartão de Cidadão", ("######## # @@#",)),
        ("Nº utente SNS", ("#########",)),
        (("Processo nº", "N.º processo"), ("#######", "P#######")),
        ("Episódio", "########"),
        ("Cédula profissional OM nº", "#####"),
        ("@@-##-@@", "##-@@-##"),
        (
            "Hospital de Santa Maria",
            "Centro Hospitalar Universitário de São João",
            "Hospitais da Universidade de Coimbra",
        ),
        ("chln.min-saude.pt", "chsj.min-saude.pt"),
        ("sapo.pt", "gmail.com"),
        "112",
        ("Sr.", "Sra. D."),
        double=True,
        insurers=("Médis", "Multicare", "ADSE"),
    ),
    _L(
        "pl",
        "Poland",
        "pl",
        ("dmy.",),
        ("Krzysztof", "Paweł", "Grzegorz", "Łukasz", "Wojciech", "Jan"),
        ("Agnieszka", "Małgorzata", "Katarzyna", "Zofia", "Joanna", "Bożena"),
        (
            "Kowalski|Kowalska",
            "Wiśniewski|Wiśniewska",
            "Nowak",
            "Wójcik",
            "Szczepański|Szczepańska",
            "Zieliński|Zielińska",
            "Mazur",
            "Dąbrowski|Dąbrowska",
            "Brzęczyszczykiewicz",
        ),
        ("F:Kasia", "F:Gosia", "M:Krzysiek", "M:Jasiu"),
        ("ul. Marszałkowska {n}/{m}", "al. Jerozolimskie {n}", "ul. Długa {n} m. {m}", "os. Piastów {n}"),
        (
            ("Warszawa", "0#-###", "mazowieckie"),
            ("Kraków", "3#-###", "małopolskie"),
            ("Gdańsk", "80-###", "pomorskie"),
            ("Wrocław", "5#-###", "dolnośląskie"),
            ("Łódź", "9#-###", "łódzkie"),
        ),
        "{street}, {zip} {city}",
        ("+48 6## ### ###", "22 ### ## ##", "5## ### ###", "+48 12 ### ## ##"),
        ("PESEL", ("###########",)),
        ("Nr karty LUX MED", ("#########",)),
        (("Nr historii choroby", "Nr księgi głównej"), ("####/24", "HC######")),
        ("Nr pobytu", "########"),
        ("PWZ", "#######"),
        ("WA #####", "KR ###@@", "GD ####@"),
        (
            "Szpital Bielański",
            "Uniwersytecki Szpital Kliniczny we Wrocławiu",
            "Szpital Uniwersytecki w Krakowie",
        ),
        ("bielanski.med.pl", "usk.wroc.pl", "su.krakow.pl"),
        ("wp.pl", "onet.pl", "o2.pl", "interia.pl"),
        "112",
        ("Pan", "Pani"),
        insurers=("LUX MED", "Medicover"),
    ),
    _L(
        "cz",
        "Czechia",
        "cs",
        ("cs", "dmy."),
        ("Jiří", "Petr", "Tomáš", "Ondřej", "Václav", "Jan"),
        ("Jana", "Eva", "Lucie", "Kateřina", "Zdeňka", "Markéta"),
        (
            "Novák|Nováková",
            "Svoboda|Svobodová",
            "Dvořák|Dvořáková",
            "Černý|Černá",
            "Procházka|Procházková",
            "Kučera|Kučerová",
            "Horák|Horáková",
        ),
        ("M:Honza", "M:Pepa", "F:Jarka", "F:Verča"),
        ("Vinohradská {n}/{m}", "Na Příkopě {n}", "Husova {n}", "Masarykova {n}"),
        (
            ("Praha 2", "120 00", ""),
            ("Brno", "602 00", "Jihomoravský kraj"),
            ("Ostrava", "702 00", "Moravskoslezský kraj"),
            ("Plzeň", "301 00", "Plzeňský kraj"),
            ("Olomouc", "779 00", ""),
        ),
        "{street}, {zip} {city}",
        ("+420 6## ### ###", "7## ### ###", "+420 2## ### ###"),
        ("rodné číslo", ("######/####",)),
        ("č. pojištěnce", ("##########",)),
        (("Č. chorobopisu", "ID pacienta"), ("#######", "FN######")),
        ("Č. hospitalizace", "########"),
        ("Reg. ČLK", "##########"),
        ("#@# ####",),
        ("Všeobecná fakultní nemocnice v Praze", "Fakultní nemocnice Brno", "Nemocnice Na Homolce"),
        ("vfn.cz", "fnbrno.cz", "homolka.cz"),
        ("seznam.cz", "email.cz", "centrum.cz"),
        "155",
        ("pan", "paní"),
        insurers=("VZP", "ZPMV"),
    ),
    _L(
        "se",
        "Sweden",
        "sv",
        ("iso",),
        ("Erik", "Lars", "Anders", "Björn", "Olof", "Nils"),
        ("Ingrid", "Astrid", "Maja", "Karin", "Linnéa", "Sofia"),
        ("Andersson", "Johansson", "Lindqvist", "Åberg", "Bergström", "Nyström", "Sjöberg", "Håkansson"),
        ("M:Lasse", "M:Bosse", "F:Kajsa", "M:Nisse"),
        ("Storgatan {n}", "Drottninggatan {n}, lgh 1{m}02", "Sveavägen {n}", "Kungsgatan {n}"),
        (
            ("Stockholm", "1## ##", ""),
            ("Göteborg", "41# ##", "Västra Götalands län"),
            ("Malmö", "21# ##", "Skåne län"),
            ("Uppsala", "75# ##", "Uppsala län"),
            ("Umeå", "90# ##", ""),
        ),
        "{street}, {zip} {city}",
        ("070-### ## ##", "+46 8 ### ### ##", "073-### ## ##", "031-## ## ##"),
        ("personnummer", ("19######-####",)),
        ("Skandia försäkringsnr", ("@@#######",)),
        (("Journalnr", "Patientnr"), ("#######", "RN-######")),
        ("Vårdkontakt-ID", "##########"),
        ("Legitimationsnr", "######"),
        ("@@@ ##@", "@@@ ###"),
        (
            "Karolinska Universitetssjukhuset",
            "Sahlgrenska Universitetssjukhuset",
            "Skånes universitetssjukhus",
        ),
        ("karolinska.se", "vgregion.se", "skane.se"),
        ("telia.com", "bredband.net", "gmail.com"),
        "112",
        insurers=("Skandia", "Länsförsäkringar"),
    ),
    _L(
        "dk",
        "Denmark",
        "da",
        ("da", "dmy."),
        ("Søren", "Mads", "Rasmus", "Jørgen", "Niels", "Frederik"),
        ("Mette", "Signe", "Ida", "Birgitte", "Freja", "Kirsten"),
        ("Jensen", "Nielsen", "Sørensen", "Kjærgaard", "Østergaard", "Christiansen", "Møller", "Dahl"),
        ("F:Søs", "M:Frede", "F:Bitten"),
        ("Nørrebrogade {n}, {m}. th.", "Vesterbrogade {n}, st. tv.", "Strandvejen {n}"),
        (
            ("København N", "2200", ""),
            ("Aarhus C", "8000", "Region Midtjylland"),
            ("Odense C", "5000", "Region Syddanmark"),
            ("Aalborg", "9000", ""),
        ),
        "{street}, {zip} {city}",
        ("+45 ## ## ## ##", "## ## ## ##"),
        ("CPR-nr.", ("######-####",)),
        ("Sygeforsikring danmark medl.nr.", ("########",)),
        (("Pt-nr.", "Journalnr."), ("J-#######", "########")),
        ("Kontakt-ID", "#########"),
        ("Autorisations-ID", "@####"),
        ("@@ ## ###",),
        ("Rigshospitalet", "Aarhus Universitetshospital", "Odense Universitetshospital"),
        ("regionh.dk", "auh.dk", "ouh.dk"),
        ("mail.dk", "jubii.dk", "gmail.com"),
        "112",
        insurers=("Sygeforsikring danmark", "Tryg"),
    ),
    _L(
        "fi",
        "Finland",
        "fi",
        ("fi",),
        ("Juha", "Mikko", "Antti", "Timo", "Matti", "Jari"),
        ("Aino", "Liisa", "Päivi", "Tuula", "Sanna", "Hanna-Kaisa"),
        ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Järvinen", "Lehtonen", "Heikkilä"),
        ("M:Jussi", "M:Pate", "F:Tuuli"),
        ("Mannerheimintie {n} A {m}", "Hämeenkatu {n} B {m}", "Aleksanterinkatu {n}"),
        (
            ("Helsinki", "00###", ""),
            ("Tampere", "33###", "Pirkanmaa"),
            ("Turku", "20###", ""),
            ("Oulu", "90###", "Pohjois-Pohjanmaa"),
        ),
        "{street}, {zip} {city}",
        ("040 ### ####", "+358 50 ### ####", "09 ### ####", "044-### ####"),
        ("henkilötunnus", ("######-###@", "######A###@")),
        ("Pohjola vakuutusnro", ("########-#",)),
        (("Potilasnumero",), ("########",)),
        ("Hoitojakso", "##########"),
        ("Terhikki-rekisterinro", "###########"),
        ("@@@-###",),
        ("HUS Meilahden sairaala", "Tampereen yliopistollinen sairaala", "Oulun yliopistollinen sairaala"),
        ("hus.fi", "pirha.fi", "ppshp.fi"),
        ("kolumbus.fi", "suomi24.fi", "gmail.com"),
        "112",
        insurers=("Pohjola Vakuutus", "LähiTapiola"),
    ),
    _L(
        "ie",
        "Ireland",
        "en",
        ("dmy/",),
        ("Seán", "Cathal", "Pádraig", "Oisín", "Declan", "Ciarán"),
        ("Siobhán", "Aoife", "Niamh", "Caoimhe", "Bríd", "Orla"),
        ("O'Sullivan", "Ó Briain", "McCarthy", "Murphy", "Kelly", "O'Connell", "Fitzgerald", "Mac Carthaigh"),
        ("M:Paddy", "M:Shay", "F:Bridie", "M:Dec"),
        ("{n} Clontarf Road", "Apt {m}, {n} Grand Canal Dock", "{n} Main Street", "{n} Bóthar na Trá"),
        (
            ("Dublin 3", "D03 @#@#", "Co. Dublin"),
            ("Galway", "H91 @#@#", "Co. Galway"),
            ("Cork", "T12 @#@#", "Co. Cork"),
            ("Limerick", "V94 @#@#", "Co. Limerick"),
        ),
        "{street}, {city}, {region}, {zip}",
        ("087 ### ####", "+353 1 ### ####", "(091) ######", "086-#######"),
        ("PPSN", ("#######@@", "#######@")),
        ("VHI member no.", ("#########",)),
        (("Hosp no", "MRN", "Chart no."), ("#######", "H######")),
        ("Episode no.", "E########"),
        ("IMC reg. no.", "######"),
        ("###-@-#####", "##-@@-####"),
        (
            "Mater Misericordiae University Hospital",
            "St James's Hospital",
            "Cork University Hospital",
            "University Hospital Galway",
        ),
        ("mater.ie", "stjames.ie", "hse.ie"),
        ("eircom.net", "gmail.com", "iol.ie"),
        "112",
        ("Mr", "Ms"),
        middle=True,
        insurers=("VHI Healthcare", "Laya Healthcare", "Irish Life Health"),
    ),
    _L(
        "sc",
        "Scotland",
        "en",
        ("dmy/",),
        ("Alasdair", "Hamish", "Callum", "Euan", "Fraser", "Iain"),
        ("Morag", "Kirsty", "Eilidh", "Isla", "Fiona", "Catriona"),
        ("MacLeod", "McDonald", "Campbell", "Stewart", "MacKenzie", "Robertson", "Buchanan", "MacIver"),
        ("M:Sandy", "F:Kirst", "M:Ally", "F:Shona"),
        ("{n} Leith Walk", "Flat 2/1, {n} Byres Road", "{n} Great Western Road", "{n} Union Street"),
        (
            ("Edinburgh", "EH## #@@", ""),
            ("Glasgow", "G## #@@", ""),
            ("Aberdeen", "AB## #@@", ""),
            ("Inverness", "IV# #@@", ""),
        ),
        "{street}, {city} {zip}",
        ("0131 ### ####", "07### ######", "0141-### ####", "+44 1224 ######"),
        ("NI no", ("@@ ## ## ## @",)),
        ("Bupa membership no", ("########",)),
        (("CHI", "CHI no"), ("##########", "###### ####")),
        ("Episode", "########"),
        ("GMC", "#######"),
        ("@@## @@@",),
        (
            "Royal Infirmary of Edinburgh",
            "Queen Elizabeth University Hospital",
            "Aberdeen Royal Infirmary",
            "Raigmore Hospital",
        ),
        ("nhslothian.scot", "ggc.scot.nhs.uk", "nhsgrampian.org"),
        ("btinternet.com", "gmail.com", "hotmail.co.uk"),
        "999",
        ("Mr", "Mrs"),
        middle=True,
        insurers=("Bupa", "AXA Health"),
    ),
    _L(
        "wa",
        "Wales",
        "cy",
        ("dmy/",),
        ("Rhys", "Gethin", "Dafydd", "Iwan", "Emyr", "Llŷr"),
        ("Siân", "Angharad", "Ffion", "Carys", "Nia", "Eirlys"),
        ("Jones", "Williams", "ap Gwilym", "Pritchard", "Llewellyn", "Evans", "Prosser", "Bowen-Thomas"),
        ("M:Dai", "F:Gwen", "F:Ffi"),
        ("{n} Heol y Felin", "{n} Ffordd Penrhos", "{n} Cathedral Road", "Bryn Awel, {n} Stryd Fawr"),
        (
            ("Cardiff", "CF## #@@", ""),
            ("Aberystwyth", "SY23 #@@", ""),
            ("Llanelli", "SA1# #@@", ""),
            ("Bangor", "LL57 #@@", ""),
        ),
        "{street}, {city} {zip}",
        ("029 20## ####", "07### ######", "01970 ######"),
        ("NI no", ("@@ ## ## ## @",)),
        ("Simplyhealth member no", ("@########",)),
        (("NHS no", "Hosp no", "Unit No."), ("### ### ####", "@#######")),
        ("Episode", "########"),
        ("GMC", "#######"),
        ("@@## @@@",),
        (
            "University Hospital of Wales",
            "Ysbyty Gwynedd",
            "Bronglais General Hospital",
            "Prince Philip Hospital",
        ),
        ("wales.nhs.uk", "cavuhb.nhs.wales"),
        ("btinternet.com", "sky.com"),
        "999",
        middle=True,
        insurers=("Simplyhealth", "Bupa"),
    ),
    _L(
        "tr",
        "Turkey",
        "tr",
        ("dmy.",),
        ("Mehmet", "Mustafa", "Emre", "Burak", "Hüseyin", "Oğuz"),
        ("Ayşe", "Fatma", "Elif", "Zeynep", "Gülşen", "Şebnem"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Karaca", "Güneş"),
        (),
        (
            "Atatürk Cad. No:{n} D:{m}",
            "Bağdat Caddesi No: {n}/{m}",
            "Gül Sok. No:{n}",
            "Cumhuriyet Mah. {m}. Sok. No:{n}",
        ),
        (
            ("Kadıköy", "347##", ""),
            ("Çankaya", "06###", "Ankara"),
            ("Konak", "35###", "İzmir"),
            ("Nilüfer", "16###", "Bursa"),
        ),
        "{street}, {zip} {city}/{region}",
        ("+90 532 ### ## ##", "0 (216) ### ## ##", "0555 ### ## ##"),
        ("T.C. Kimlik No", ("###########",)),
        ("Allianz poliçe no", ("#########",)),
        (("Hasta No",), ("########",)),
        ("Protokol No", "########"),
        ("Diploma tescil no", "######"),
        ("## @@@ ###", "## @ ####"),
        ("Hacettepe Üniversitesi Hastanesi", "Acıbadem Maslak Hastanesi", "Ege Üniversitesi Hastanesi"),
        ("hacettepe.edu.tr", "acibadem.com.tr"),
        ("hotmail.com", "gmail.com", "yandex.com.tr"),
        "112",
        ("Bay", "Bayan"),
        insurers=("Allianz Sigorta", "Axa Sigorta"),
    ),
    _L(
        "il",
        "Israel",
        "en",
        ("dmy/",),
        ("Yosef", "Avraham", "Noam", "Itai", "Moshe", "Eitan"),
        ("Tamar", "Noa", "Shira", "Yael", "Rivka", "Michal"),
        ("Cohen", "Levi", "Mizrahi", "Peretz", "Ben-David", "Biton", "Friedman", "Haddad"),
        ("M:Yossi", "M:Moshik", "F:Tami"),
        ("Rehov Herzl {n}", "Sderot Rothschild {n}, apt {m}", "HaNevi'im St {n}", "Dizengoff {n}"),
        (
            ("Tel Aviv-Yafo", "6######", ""),
            ("Jerusalem", "9######", ""),
            ("Haifa", "3######", ""),
            ("Be'er Sheva", "84#####", ""),
        ),
        "{street}, {city} {zip}",
        ("052-###-####", "+972 3-###-####", "054-#######", "02-###-####"),
        ("Teudat Zehut", ("#########",)),
        ("Clalit member no.", ("########",)),
        (("MRN",), ("#########",)),
        ("Admission no.", "##-########"),
        ("MOH license", "#####"),
        ("##-###-##", "###-##-###"),
        ("Sheba Medical Center", "Hadassah Ein Kerem", "Rambam Health Care Campus", "Soroka Medical Center"),
        ("sheba.co.il", "hadassah.org.il"),
        ("walla.co.il", "gmail.com", "012.net.il"),
        "101",
        insurers=("Clalit", "Maccabi", "Meuhedet"),
    ),
    _L(
        "eg",
        "Egypt",
        "en",
        ("dmy/",),
        ("Mohamed", "Ahmed", "Mahmoud", "Karim", "Youssef", "Tarek"),
        ("Fatma", "Nour", "Mariam", "Heba", "Yasmin", "Aya"),
        ("Abdel-Rahman", "El-Sayed", "Hassan", "Mansour", "Abou Zeid", "El-Masry", "Farouk", "Gaber"),
        ("M:Hamada", "M:Mido", "F:Nono"),
        ("{n} El-Tahrir St., apt {m}", "{n} Abbas El-Akkad St.", "Villa {n}, Street {m}"),
        (
            ("Nasr City", "11###", ""),
            ("Dokki", "12###", ""),
            ("Smouha", "21###", ""),
            ("Heliopolis", "11###", ""),
        ),
        "{street}, {city}, {zip}",
        ("+20 10 #### ####", "012 #### ####", "02 ########"),
        ("National ID", ("##############",)),
        ("HIO no.", ("##########",)),
        (("MRN", "File no."), ("#######", "K/######")),
        ("Admission no.", "#######"),
        ("Medical Syndicate no.", "######"),
        ("ن ب ج ####", "س ط ####"),
        (
            "Kasr Al Ainy Hospital",
            "Ain Shams University Hospital",
            "Alexandria Main University Hospital",
            "Dar Al Fouad Hospital",
        ),
        ("kasralainy.edu.eg", "asu.edu.eg"),
        ("yahoo.com", "hotmail.com", "gmail.com"),
        "123",
        insurers=("Health Insurance Organization", "AXA Egypt"),
    ),
    _L(
        "ma",
        "Morocco",
        "fr",
        ("dmy/",),
        ("Youssef", "Hicham", "Mehdi", "Abdelilah", "Rachid", "Omar"),
        ("Fatima-Zahra", "Khadija", "Salma", "Imane", "Naima", "Houda"),
        ("El Amrani", "Benjelloun", "Alaoui", "Bennani", "Tazi", "Ouazzani", "El Idrissi", "Berrada"),
        (),
        ("{n}, rue Ibn Batouta", "Résidence Al Manar, Imm. {m}, Appt {n}", "{n} boulevard Zerktouni"),
        (
            ("Casablanca", "20###", ""),
            ("Rabat", "10###", ""),
            ("Marrakech", "40###", ""),
            ("Fès", "30###", ""),
            ("Tanger", "90###", ""),
        ),
        "{street}, {zip} {city}",
        ("+212 6 ## ## ## ##", "06 ## ## ## ##", "05 22 ## ## ##"),
        ("CIN", ("@@######", "@######")),
        ("N° immatriculation CNSS/AMO", ("#########",)),
        (("IP", "N° dossier"), ("######/##",)),
        ("N° admission", "########"),
        ("N° inscription CNOM", "#####"),
        ("#####-أ-##", "#####-ب-#"),
        ("CHU Ibn Rochd", "Hôpital Cheikh Zaid", "CHU Mohammed VI", "Hôpital Ibn Sina"),
        ("chuibnrochd.ma", "chumarrakech.ma"),
        ("menara.ma", "gmail.com", "hotmail.fr"),
        "15",
        ("M.", "Mme"),
        insurers=("CNSS", "Saham Assurance"),
    ),
    _L(
        "ke",
        "Kenya",
        "en",
        ("dmy/",),
        ("Brian", "Kevin", "Samuel", "Dennis", "Joseph", "Peter"),
        ("Wanjiku", "Akinyi", "Faith", "Mercy", "Njeri", "Chebet"),
        ("Mwangi", "Otieno", "Kiprop", "Wambui", "Ochieng", "Mutua", "Kamau", "Njoroge", "Chepkemoi"),
        (),
        ("P.O. Box {n}", "Hse No. {n}, Ngong Road", "Flat {m}, Kileleshwa Court"),
        (
            ("Nairobi", "00100", ""),
            ("Kisumu", "40100", ""),
            ("Eldoret", "30100", ""),
            ("Mombasa", "80100", ""),
            ("Nakuru", "20100", ""),
        ),
        "{street}, {zip} {city}",
        ("+254 7## ### ###", "07## ######", "0722 ######"),
        ("National ID", ("########",)),
        ("SHA/NHIF no.", ("########",)),
        (("IP No.", "OP No.", "Hosp. No"), ("######/##", "KNH/######")),
        ("Invoice no.", "INV-#######"),
        ("KMPDC reg no.", "A####"),
        ("K@@ ###@",),
        (
            "Kenyatta National Hospital",
            "Moi Teaching and Referral Hospital",
            "Aga Khan University Hospital",
            "Coast General Hospital",
        ),
        ("knh.or.ke", "aku.edu"),
        ("gmail.com", "yahoo.com"),
        "999",
        middle=True,
        insurers=("SHA", "Jubilee Health", "AAR Insurance"),
    ),
    _L(
        "za",
        "South Africa",
        "en",
        ("za", "dmy/"),
        ("Sipho", "Thabo", "Pieter", "Johannes", "Sibusiso", "Willem"),
        ("Nomvula", "Thandeka", "Annelie", "Zanele", "Marietjie", "Lerato"),
        (
            "van der Merwe",
            "du Plessis",
            "Botha",
            "Dlamini",
            "Ndlovu",
            "Nkosi",
            "Mokoena",
            "le Roux",
            "Naidoo",
            "van Wyk",
        ),
        ("M:Sbu", "M:Thabs", "M:Piet", "F:Nomi"),
        ("{n} Voortrekker Road", "{n} Vilakazi Street", "Unit {m}, {n} Long Street", "{n} Jan Smuts Avenue"),
        (
            ("Soweto", "18##", ""),
            ("Cape Town", "8001", ""),
            ("Bellville", "7530", ""),
            ("Durban", "4001", ""),
            ("Pretoria", "0002", ""),
        ),
        "{street}, {city}, {zip}",
        ("082 ### ####", "+27 21 ### ####", "071 ### ####", "(011) ### ####"),
        ("SA ID", ("#############",)),
        ("Discovery Health member no.", ("#########",)),
        (("Hosp no", "Folder no."), ("#######", "@#######")),
        ("Account no.", "AC#######"),
        ("HPCSA", "MP#######"),
        ("@@ ###-###", "@@@ ### GP"),
        (
            "Chris Hani Baragwanath Academic Hospital",
            "Groote Schuur Hospital",
            "Tygerberg Hospital",
            "Inkosi Albert Luthuli Central Hospital",
        ),
        ("gsh.co.za", "wits.ac.za"),
        ("mweb.co.za", "telkomsa.net", "gmail.com"),
        "10177",
        insurers=("Discovery Health", "GEMS", "Bonitas"),
    ),
    _L(
        "pk",
        "Pakistan",
        "en",
        ("dmy/", "dmy-"),
        ("Muhammad Imran", "Ali Raza", "Usman", "Bilal", "Hamza", "Faisal"),
        ("Ayesha", "Sana", "Fatima", "Rabia", "Nadia", "Hina"),
        ("Khan", "Qureshi", "Siddiqui", "Butt", "Chaudhry", "Malik", "Shah", "Abbasi"),
        ("M:Mani", "M:Guddu", "F:Pinky"),
        ("House {n}, Street {m}, F-7/2", "{n}-B, Gulberg III", "Flat {m}, Block {n}, Gulshan-e-Iqbal"),
        (
            ("Islamabad", "44000", ""),
            ("Lahore", "54###", ""),
            ("Karachi", "75###", ""),
            ("Peshawar", "25000", ""),
        ),
        "{street}, {city} {zip}",
        ("+92 300 #######", "0321-#######", "(042) ########", "051-#######"),
        ("CNIC", ("#####-#######-#",)),
        ("State Life policy no.", ("########",)),
        (("MR No.", "MR#"), ("###-##-##", "MR-######")),
        ("Bill no.", "B-########"),
        ("PMDC", "#####-P"),
        ("@@@-####", "@@@-##-####"),
        (
            "Aga Khan University Hospital",
            "Shaukat Khanum Memorial Cancer Hospital",
            "Mayo Hospital",
            "Pakistan Institute of Medical Sciences",
        ),
        ("aku.edu", "skm.org.pk"),
        ("gmail.com", "yahoo.com", "hotmail.com"),
        "1122",
        insurers=("State Life", "Jubilee General"),
    ),
    _L(
        "bd",
        "Bangladesh",
        "en",
        ("dmy/", "dmy-"),
        ("Mohammad Rafiqul", "Abdul Karim", "Tanvir", "Shafiqul", "Arif", "Sajid"),
        ("Nasrin", "Taslima", "Farzana", "Sharmin", "Rokeya", "Nusrat"),
        ("Rahman", "Hossain", "Chowdhury", "Islam", "Ahmed", "Begum", "Akter", "Uddin"),
        (),
        ("House {n}, Road {m}, Dhanmondi", "Flat {m}, House {n}, Road 11, Banani", "Holding {n}, Ward {m}"),
        (("Dhaka", "12##", ""), ("Chattogram", "4###", ""), ("Sylhet", "31##", ""), ("Khulna", "9###", "")),
        "{street}, {city} {zip}",
        ("+880 17##-######", "01###-######", "+880 2-#######"),
        ("NID", ("##########", "#################")),
        ("Green Delta policy no.", ("@@-#######",)),
        (("Reg. No.", "Hospital ID"), ("#########", "DMCH-######")),
        ("Bill no.", "########"),
        ("BMDC reg.", "A-#####"),
        ("Dhaka Metro-GA ##-####", "Chatta Metro-HA ##-####"),
        (
            "Dhaka Medical College Hospital",
            "Square Hospital",
            "Chittagong Medical College Hospital",
            "BIRDEM General Hospital",
        ),
        ("squarehospital.com", "birdembd.org"),
        ("gmail.com", "yahoo.com"),
        "999",
        insurers=("Green Delta", "MetLife Bangladesh"),
    ),
    _L(
        "lk",
        "Sri Lanka",
        "en",
        ("dmy/",),
        ("Nuwan", "Chaminda", "Kasun", "Kumaran", "Ramesh", "Dinesh"),
        ("Dilani", "Nilmini", "Chathurika", "Tharshini", "Shalini", "Anoma"),
        (
            "Perera",
            "Fernando",
            "Jayasuriya",
            "Wickramasinghe",
            "de Silva",
            "Bandara",
            "Sivakumar",
            "Gunawardena",
        ),
        (),
        ("No. {n}, Galle Road", "{n}/{m} Kandy Road", "No. {n}, Temple Lane"),
        (
            ("Colombo 03", "00300", ""),
            ("Kandy", "20000", ""),
            ("Galle", "80000", ""),
            ("Jaffna", "40000", ""),
            ("Dehiwala", "10350", ""),
        ),
        "{street}, {city} {zip}",
        ("+94 77 ### ####", "071 ### ####", "011 2######"),
        ("NIC", ("#########V", "############")),
        ("Ceylinco policy no.", ("@@/####/####",)),
        (("Clinic No.", "PHN"), ("####/##", "######")),
        ("BHT No.", "####"),
        ("SLMC reg.", "#####"),
        ("WP @@@-####", "SP @@-####"),
        (
            "National Hospital of Sri Lanka",
            "Lady Ridgeway Hospital for Children",
            "Teaching Hospital Karapitiya",
            "Teaching Hospital Jaffna",
        ),
        ("nhsl.health.gov.lk", "lrh.health.gov.lk"),
        ("gmail.com", "sltnet.lk"),
        "1990",
        insurers=("Ceylinco Life", "AIA Sri Lanka"),
    ),
    _L(
        "id",
        "Indonesia",
        "id",
        ("dmy/",),
        ("Budi", "Agus", "Wahyu", "Dedi", "Joko", "Bambang"),
        ("Siti", "Dewi", "Sri Wahyuni", "Ratna", "Putri", "Ni Made Ayu"),
        ("Santoso", "Wijaya", "Hidayat", "Saputra", "Kusuma", "Nasution", "Siregar", "Gunawan", ""),
        (),
        (
            "Jl. Sudirman No. {n}",
            "Jl. Merdeka Gg. Melati No. {m}",
            "Perum Griya Asri Blok C{m} No. {n}",
            "Jl. Diponegoro No. {n} RT 0{m}/RW 0{m}",
        ),
        (
            ("Menteng", "10310", "DKI Jakarta"),
            ("Coblong", "40132", "Jawa Barat"),
            ("Surabaya", "60###", ""),
            ("Yogyakarta", "55###", ""),
            ("Denpasar", "80###", "Bali"),
            ("Medan", "20###", "Sumatera Utara"),
        ),
        "{street}, {city}, {region} {zip}",
        ("+62 812-####-####", "0813 #### ####", "(021) #######"),
        ("NIK", ("################",)),
        ("No. BPJS Kesehatan", ("0000#########",)),
        (("No. RM", "No. Rekam Medis"), ("##-##-##", "RM-######")),
        ("No. Registrasi", "RJ##########"),
        ("STR", "####################"),
        ("@ #### @@@", "@@ #### @@"),
        ("RSUPN Dr. Cipto Mangunkusumo", "RS Hasan Sadikin", "RSUP Sanglah", "RSUD Dr. Soetomo"),
        ("rscm.co.id", "rshs.or.id"),
        ("yahoo.co.id", "gmail.com"),
        "119",
        ("Bapak", "Ibu"),
        insurers=("BPJS Kesehatan", "Prudential Indonesia"),
    ),
    _L(
        "my",
        "Malaysia",
        "ms",
        ("dmy/",),
        ("Ahmad Faizal", "Muhammad Hafiz", "Mohd Azlan", "Rajesh", "Suresh", "Ganesan"),
        ("Nurul Aisyah", "Siti Hajar", "Nor Azizah", "Kavitha", "Priya", "Thilaga"),
        ("Abdullah", "Ismail", "Yusof", "Hassan", "Subramaniam", "Krishnan", "Muniandy"),
        (),
        ("No. {n}, Jalan SS 2/{m}", "Lot {n}, Jalan Ampang", "{n}-{m}-07, Pangsapuri Seri Maya"),
        (
            ("Petaling Jaya", "47300", "Selangor"),
            ("Kuala Lumpur", "50###", ""),
            ("Johor Bahru", "80###", "Johor"),
            ("George Town", "10###", "Pulau Pinang"),
            ("Kota Bharu", "15###", "Kelantan"),
        ),
        "{street}, {zip} {city}, {region}",
        ("+60 12-### ####", "012-### ####", "03-#### ####", "+60 19-#######"),
        ("MyKad", ("######-##-####",)),
        ("AIA policy no.", ("U#########",)),
        (("RN", "MRN"), ("RN######", "@#######")),
        ("Bill no.", "########"),
        ("MMC", "#####"),
        ("@@@ ####", "W@@ ####"),
        (
            "Hospital Kuala Lumpur",
            "Pusat Perubatan Universiti Malaya",
            "Hospital Sultanah Aminah",
            "Hospital Raja Perempuan Zainab II",
        ),
        ("hkl.gov.my", "ummc.edu.my"),
        ("gmail.com", "yahoo.com.my"),
        "999",
        ("Encik", "Puan"),
        insurers=("AIA Malaysia", "Great Eastern Takaful"),
    ),
    _L(
        "th",
        "Thailand",
        "en",
        ("dmy/", "th"),
        ("Somchai", "Anan", "Prasert", "Wichai", "Thanawat", "Kittisak"),
        ("Siriporn", "Malee", "Ratchanee", "Nattaya", "Kanokwan", "Pimchanok"),
        ("Srisuk", "Wongsawat", "Chaiyaporn", "Rattanakorn", "Sukprasert", "Thongchai", "Boonmee", "Saetang"),
        ("F:Nok", "M:Lek", "F:Noi", "M:Ton", "F:Pui", "F:Bee"),
        ("{n}/{m} Moo 4, Soi Sukhumvit 23", "{n} Thanon Rama IV", "{n}/{m} Soi Lat Phrao 15"),
        (
            ("Khlong Toei", "10110", ""),
            ("Pathum Wan", "10330", ""),
            ("Mueang Chiang Mai", "50000", "Chiang Mai"),
            ("Hat Yai", "90110", "Songkhla"),
            ("Mueang Khon Kaen", "40000", ""),
        ),
        "{street}, {city} {zip}",
        ("+66 81 ### ####", "08#-###-####", "02 ### ####"),
        ("Thai ID", ("#-####-#####-##-#",)),
        ("Muang Thai Life policy no.", ("########",)),
        (("HN",), ("##-######", "HN#######", "######/67")),
        ("AN", "67-#####"),
        ("Medical license no.", "ว.#####"),
        ("กข ####", "#กค ####"),
        (
            "Siriraj Hospital",
            "King Chulalongkorn Memorial Hospital",
            "Maharaj Nakorn Chiang Mai Hospital",
            "Songklanagarind Hospital",
        ),
        ("si.mahidol.ac.th", "chulalongkornhospital.go.th"),
        ("hotmail.com", "gmail.com"),
        "1669",
        ("Khun", "Khun"),
        insurers=("Muang Thai Life", "Bangkok Insurance"),
    ),
    _L(
        "qc",
        "Canada (Québec)",
        "fr",
        ("iso",),
        ("Jean-Philippe", "Marc-André", "Gilles", "Réjean", "Étienne", "Luc"),
        ("Marie-Ève", "Geneviève", "Nathalie", "Josée", "Mélanie", "Sylvie"),
        (
            "Tremblay",
            "Gagnon",
            "Bouchard",
            "Côté",
            "Lévesque",
            "Gauthier-Roy",
            "Bélanger",
            "Ouellet",
            "St-Pierre",
        ),
        ("M:Ti-Jean", "M:JP", "F:Gen"),
        (
            "{n}, rue Sainte-Catherine Est, app. {m}",
            "{n} boul. René-Lévesque O.",
            "{n}, ch. de la Côte-des-Neiges",
            "{n} rue Saint-Denis",
        ),
        (
            ("Montréal", "H#@ #@#", "Québec"),
            ("Québec", "G1@ #@#", "Québec"),
            ("Laval", "H7@ #@#", "Québec"),
            ("Sherbrooke", "J1@ #@#", "Québec"),
            ("Gatineau", "J8@ #@#", "Québec"),
        ),
        "{street}, {city} ({region}) {zip}",
        ("(514) ###-####", "418-###-####", "+1 450 ### ####"),
        ("NAS", ("### ### ###",)),
        ("RAMQ", ("@@@@ #### ####",)),
        (("No de dossier", "Dossier", "chart"), ("#######", "M#######")),
        ("No d'épisode", "########"),
        ("Permis CMQ", "#####"),
        ("@## @@@", "### @@@"),
        ("CHUM", "Hôpital Maisonneuve-Rosemont", "CHU de Québec – Hôtel-Dieu", "Hôpital Charles-LeMoyne"),
        ("chumontreal.qc.ca", "ssss.gouv.qc.ca"),
        ("videotron.ca", "sympatico.ca", "hotmail.com"),
        "911",
        ("M.", "Mme"),
        insurers=("RAMQ", "Desjardins Assurances", "La Capitale"),
    ),
    _L(
        "on",
        "Canada (English)",
        "en",
        ("iso", "dmy/"),
        ("Connor", "Tyler", "Darren", "Graham", "Wesley", "Gurpreet"),
        ("Brittany", "Kayla", "Heather", "Jasmine", "Meaghan", "Harpreet"),
        ("MacDonald", "Campbell", "Singh", "Wilson", "Thompson", "Chen", "O'Neill", "Fitzgerald"),
        ("M:Ty", "F:Kay", "M:Gus"),
        ("{n} Bloor St W, Unit {m}", "{n} Dundas Street East", "{n}-{m} Sheppard Ave"),
        (
            ("Toronto", "M#@ #@#", "ON"),
            ("Ottawa", "K1@ #@#", "ON"),
            ("Hamilton", "L8@ #@#", "ON"),
            ("Winnipeg", "R3@ #@#", "MB"),
            ("Halifax", "B3@ #@#", "NS"),
        ),
        "{street}, {city}, {region} {zip}",
        ("(416) ###-####", "613-###-####", "+1 204 ### ####"),
        ("SIN", ("### ### ###",)),
        ("OHIP", ("####-###-###-@@",)),
        (("MRN", "Chart #"), ("########",)),
        ("Visit #", "V#########"),
        ("CPSO #", "#####"),
        ("@@@@ ###",),
        (
            "Toronto General Hospital",
            "The Ottawa Hospital",
            "Hamilton General Hospital",
            "Health Sciences Centre Winnipeg",
        ),
        ("uhn.ca", "toh.ca"),
        ("rogers.com", "bell.net", "gmail.com"),
        "911",
        ("Mr", "Ms"),
        middle=True,
        insurers=("Sun Life", "Manulife", "Green Shield Canada"),
    ),
    _L(
        "car",
        "Caribbean",
        "en",
        ("dmy/",),
        ("Andre", "Devon", "Kareem", "Rohan", "Dwayne", "Marlon"),
        ("Shanice", "Keisha", "Tamika", "Simone", "Natalie", "Kimberley"),
        ("Brown", "Campbell", "Williams", "Ramdial", "Persad", "Bailey", "Maharaj", "Clarke"),
        ("M:Dre", "F:Kim", "M:Shorty"),
        (
            "{n} Hope Road",
            "Lot {n}, Mona Heights",
            "{n} Eastern Main Road",
            "Apt {m}, {n} Lady Musgrave Road",
        ),
        (
            ("Kingston 6", "", "St. Andrew"),
            ("Montego Bay", "", "St. James"),
            ("San Fernando", "", ""),
            ("Chaguanas", "", ""),
            ("Bridgetown", "BB11###", "St. Michael"),
        ),
        "{street}, {city}, {region} {zip}",
        ("(876) ###-####", "1-868-###-####", "+1 246 ### ####"),
        ("TRN", ("###-###-###",)),
        ("Sagicor member no.", ("########",)),
        (("Docket no.", "Hosp. no"), ("##-####", "UHWI######")),
        ("Account no.", "########"),
        ("MCJ reg.", "####"),
        ("####@@", "P@@ ####"),
        (
            "University Hospital of the West Indies",
            "Kingston Public Hospital",
            "Eric Williams Medical Sciences Complex",
            "Queen Elizabeth Hospital",
        ),
        ("uhwi.gov.jm", "nwrha.co.tt"),
        ("gmail.com", "yahoo.com", "flowja.com"),
        "119",
        ("Mr", "Miss"),
        middle=True,
        insurers=("Sagicor", "Guardian Life", "NHF"),
    ),
    _L(
        "ar",
        "Argentina",
        "es",
        ("dmy/",),
        ("Juan Martín", "Facundo", "Santiago", "Nicolás", "Gustavo", "Rodrigo"),
        ("María Florencia", "Agustina", "Camila", "Silvina", "Romina", "Valeria"),
        ("González", "Rodríguez", "Fernández", "Gómez", "Pérez", "Di Nardo", "Benítez", "Aguirre"),
        ("M:Facu", "M:Nico", "F:Flor", "F:Vale"),
        ("Av. Corrientes {n}, piso {m}, dto. B", "Calle Florida {n}", "Av. Rivadavia {n}"),
        (
            ("CABA", "C14##@@@", ""),
            ("Rosario", "S2000@@@", "Santa Fe"),
            ("Córdoba", "X5000@@@", ""),
            ("La Plata", "B1900@@@", ""),
        ),
        "{street}, {zip} {city}, {region}",
        ("+54 9 11 ####-####", "11 ####-####", "(0341) ###-####"),
        ("DNI", ("##.###.###", "2#-########-#")),
        ("OSDE afiliado n.º", ("## ### ### ## #",)),
        (("HC", "Historia clínica"), ("######", "###.###")),
        ("Internación n.º", "########"),
        ("MN", "######"),
        ("@@ ### @@", "@@@ ###"),
        (
            "Hospital Italiano de Buenos Aires",
            "Hospital de Clínicas José de San Martín",
            "Hospital Garrahan",
            "Sanatorio Güemes",
        ),
        ("hospitalitaliano.org.ar", "garrahan.gov.ar"),
        ("fibertel.com.ar", "gmail.com", "yahoo.com.ar"),
        "107",
        ("Sr.", "Sra."),
        insurers=("OSDE", "Swiss Medical", "PAMI"),
    ),
    _L(
        "cl",
        "Chile",
        "es",
        ("dmy-", "dmy/"),
        ("Matías", "Cristóbal", "Felipe", "Ignacio", "Sebastián", "Rodrigo"),
        ("Constanza", "Javiera", "Catalina", "Francisca", "Macarena", "Paz"),
        ("Muñoz", "Rojas", "Díaz", "Soto", "Contreras", "Silva", "Araya", "Fuentealba"),
        ("F:Coni", "F:Pancha", "M:Nacho"),
        ("Av. Providencia {n}, depto. {m}04", "Pasaje Los Aromos {n}", "Calle Lastarria {n}"),
        (
            ("Providencia", "75#####", ""),
            ("Ñuñoa", "77#####", ""),
            ("Valparaíso", "23#####", ""),
            ("Concepción", "40#####", ""),
            ("Temuco", "478####", ""),
        ),
        "{street}, {city}, {zip}",
        ("+56 9 #### ####", "9 #### ####", "(2) 2### ####"),
        ("RUT", ("##.###.###-#", "#.###.###-K")),
        ("Isapre Colmena afiliado", ("#########",)),
        (("Ficha", "N° ficha clínica"), ("#######", "##-###-###")),
        ("N° cuenta", "########"),
        ("Registro SIS", "######"),
        ("@@@@-##",),
        (
            "Hospital del Salvador",
            "Clínica Alemana",
            "Hospital Clínico Universidad de Chile",
            "Hospital Guillermo Grant Benavente",
        ),
        ("alemana.cl", "redclinica.cl"),
        ("gmail.com", "vtr.net"),
        "131",
        ("Sr.", "Sra."),
        double=True,
        insurers=("Isapre Colmena", "FONASA", "Banmédica"),
    ),
    _L(
        "co",
        "Colombia",
        "es",
        ("dmy/",),
        ("Andrés Felipe", "Juan David", "Carlos Alberto", "Jhon Jairo", "Luis Fernando", "Óscar"),
        ("Luz Marina", "Diana Carolina", "Yuliana", "María Camila", "Leidy Johana", "Paola"),
        ("Restrepo", "Giraldo", "Ospina", "Castaño", "Gutiérrez", "Valencia", "Cárdenas", "Zapata", "Arango"),
        ("M:Pipe", "F:Mafe", "F:Caro"),
        ("Calle {n} # {m}-24", "Carrera 7 # {n}-{m}", "Transversal {m} # {n}-10, apto 502"),
        (
            ("Medellín", "050###", "Antioquia"),
            ("Bogotá D.C.", "110###", ""),
            ("Cali", "760###", "Valle del Cauca"),
            ("Barranquilla", "080###", "Atlántico"),
        ),
        "{street}, {city} {zip}, {region}",
        ("+57 310 ### ####", "(604) ### ####", "3## ### ####"),
        ("CC", ("#.###.###.###", "##.###.###")),
        ("EPS Sura afiliado", ("##########",)),
        (("HC", "Historia"), ("##########", "HC-#######")),
        ("Factura n.º", "FE-########"),
        ("Registro médico", "RM ######"),
        ("@@@-###", "@@@ ##@"),
        (
            "Hospital Pablo Tobón Uribe",
            "Fundación Valle del Lili",
            "Hospital San Vicente Fundación",
            "Hospital Universitario San Ignacio",
        ),
        ("hptu.org.co", "valledellili.org"),
        ("gmail.com", "hotmail.com", "une.net.co"),
        "123",
        ("Sr.", "Sra."),
        double=True,
        insurers=("EPS Sura", "Sanitas EPS", "Nueva EPS"),
    ),
    _L(
        "pe",
        "Peru",
        "es",
        ("dmy/",),
        ("José Carlos", "Luis Alberto", "Wilfredo", "Percy", "Alonso", "Renzo"),
        ("Rosa Elena", "Milagros", "Yesenia", "Luz Angélica", "Fiorella", "Gladys"),
        ("Quispe", "Mamani", "Huamán", "Flores", "Chávez", "Vargas", "Torres", "Ccori", "Condori"),
        ("M:Lucho", "F:Mili", "F:Fio"),
        ("Jr. Ayacucho {n}", "Av. Arequipa {n}, dpto. {m}01", "Mz. C Lt. {m}, Urb. Santa Rosa"),
        (
            ("Miraflores", "15074", ""),
            ("San Juan de Lurigancho", "15###", ""),
            ("Cusco", "08###", ""),
            ("Arequipa", "04###", ""),
            ("Trujillo", "13###", "La Libertad"),
        ),
        "{street}, {city} {zip}, {region}",
        ("+51 9## ### ###", "(01) ###-####", "9## ### ###"),
        ("DNI", ("########",)),
        ("SIS afiliación", ("########",)),
        (("HC", "Historia clínica N.º"), ("######", "###-###")),
        ("Cuenta n.º", "########"),
        ("CMP", "#####"),
        ("@#@-###", "@@@-###"),
        (
            "Hospital Nacional Edgardo Rebagliati Martins",
            "Hospital Nacional Arzobispo Loayza",
            "Hospital Cayetano Heredia",
            "Instituto Nacional de Salud del Niño",
        ),
        ("essalud.gob.pe", "hospitalloayza.gob.pe"),
        ("hotmail.com", "gmail.com"),
        "106",
        ("Sr.", "Sra."),
        double=True,
        insurers=("EsSalud", "Pacífico Seguros", "Rímac Seguros"),
    ),
)
_LOC_BY_KEY = {loc.key: loc for loc in LOCALES}


# ------------------------------------------------------------ non-PHI material (precision traps)

DRUGS = (
    "metoprolol succinate 47.5 mg OD",
    "apixaban 5 mg BID",
    "enoxaparin 40 mg SC daily",
    "paracetamol 1 g QDS",
    "NovoRapid 6 units TDS with meals",
    "amoxicillin-clavulanate 875/125 mg BID",
    "levothyroxine 75 mcg mane",
    "furosemide 40 mg IV",
    "vancomycin 1.25 g q12h",
    "ondansetron 4 mg PRN",
    "Metamizol 500 mg",
    "ramipril 5 mg OD",
    "insulin glargine 18 U nocte",
    "tramadol 50 mg QID PRN",
    "pantoprazole 40 mg",
    "sertraline 50 mg",
    "Keppra (levetiracetam) 500 mg BD",
    "warfarin as per INR",
    "Ventolin 100 mcg 2 puffs PRN",
    "prednisolone 30 mg reducing",
)
LABS = (
    "K+ 3.2 mmol/L",
    "Hb 94 g/L",
    "creatinine 148 µmol/L",
    "INR 2.4",
    "lactate 3.1 mmol/L",
    "CRP 86 mg/L",
    "Na 131 mmol/L",
    "HbA1c 8.2% (66 mmol/mol)",
    "eGFR 38 mL/min/1.73m²",
    "hs-troponin T 52 ng/L",
    "WBC 14.2 x10^9/L",
    "glucose 11.4 mmol/L",
    "procalcitonin 0.8 ng/mL",
    "ferritin 12 µg/L",
    "platelets 88 x10^9/L",
)
EPONYMS = (
    "Parkinson disease",
    "Crohn disease",
    "Hashimoto thyroiditis",
    "Ménière disease",
    "Guillain-Barré syndrome",
    "Down syndrome",
    "Alzheimer dementia",
    "Addison disease",
    "Graves disease",
    "Barrett oesophagus",
    "Cushing syndrome",
    "Wilms tumour (treated in childhood)",
    "Raynaud phenomenon",
    "Sjögren syndrome",
    "Hodgkin lymphoma in remission",
)
CODES = (
    "ICD-10 I48.91",
    "ICD-10 J18.9",
    "ICD-10 E11.65",
    "ICD-10-GM S72.01",
    "CIM-10 K35.8",
    "CPT 99223",
    "CPT 27447",
    "LOINC 2160-0",
    "SNOMED CT 22298006",
    "ICD-10 N18.4",
    "ICD-10 G47.33",
    "OPCS-4 W37.1",
    "DRG F62B",
)
TRIALS = ("NCT04817462", "EudraCT 2021-003518-27", "ISRCTN 43256789", "CTRI/2022/05/042311", "NCT05532851")
GENES = (
    "BRCA2 c.5946delT",
    "EGFR exon 19 deletion",
    "KRAS G12C",
    "HFE C282Y homozygous",
    "JAK2 V617F",
    "CFTR F508del",
    "HLA-B*57:01 negative",
    "FLT3-ITD",
    "TP53 R273H",
)
VERSIONS = ("v4.2.1", "firmware 3.10.2", "software L.01.23", "release 2023.1", "build 7.0.44", "FHIR R4")
COMMON = (
    "Will review after the weekend.",
    "Hope to step down to the ward soon.",
    "Grant application for home adaptations submitted by the council.",
    "Mark as resolved once seen.",
    "Rose from the chair with one assist.",
    "Bill to the insurer after review.",
    "Faith community visits weekly.",
    "Joy at seeing grandchildren noted; mood brighter.",
    "Frank haematuria excluded.",
    "Dawn observations stable.",
    "Sterling effort by the patient in therapy.",
)
WARDS = (
    "Ward 7B",
    "Station 3 Nord",
    "Salle Pasteur",
    "Ward 12",
    "Reparto Medicina 2",
    "Planta 4ª",
    "AMU",
    "CCU",
    "Oddział Kardiologii",
    "Step-down unit",
    "Ward 22 (Elderly Care)",
)


# --------------------------------------------------------------------------- people and context


@dataclass
class _Person:
    given: str
    family: str
    sex: str
    middle: str = ""
    conn: str = ""
    nick: str = ""

    def full(self) -> str:
        return " ".join(x for x in (self.given, self.middle, self.conn, self.family) if x)

    def gf(self) -> str:
        return " ".join(x for x in (self.given, self.conn, self.family) if x)

    def fam(self) -> str:
        return self.family or self.given

    def initials(self) -> str:
        parts = []
        for word in self.given.split():
            parts.append("-".join(p[0] + "." for p in word.split("-")))
        return " ".join(parts)

    def form(self, f: str) -> str:
        if f == "full":
            return self.full()
        if f == "gf":
            return self.gf()
        if f == "fam":
            return self.fam()
        if f == "given":
            return self.given
        if f == "FAM_G":
            return f"{self.fam().upper()}, {self.given}" if self.family else self.given.upper()
        if f == "Fam_G":
            return f"{self.family}, {self.given}" if self.family else self.given
        if f == "init_fam":
            return f"{self.initials()} {self.family}" if self.family else self.given
        if f == "initials":
            words = self.family.split()
            caps = [w for w in words if w[0].isupper()]
            fam = (caps or words or [""])[0]
            return f"{self.initials()} {fam[0]}." if fam else self.initials()
        if f == "caps":
            return self.gf().upper()
        if f == "lower":
            return self.gf().lower()
        if f == "ascii":
            return _fold(self.gf())
        if f == "nick":
            return self.nick or self.given.split()[0]
        raise ValueError(f)


_MY_GROUPS = (
    (
        ("Ahmad Faizal", "Muhammad Hafiz", "Mohd Azlan"),
        ("Nurul Aisyah", "Siti Hajar", "Nor Azizah"),
        ("Abdullah", "Ismail", "Yusof", "Hassan"),
        ("bin", "binti"),
    ),
    (
        ("Rajesh", "Suresh", "Ganesan"),
        ("Kavitha", "Priya", "Thilaga"),
        ("Subramaniam", "Krishnan", "Muniandy"),
        ("a/l", "a/p"),
    ),
)

_HONS_EN = {"M": ("Mr",), "F": ("Mrs", "Ms", "Miss")}


class _Ctx:
    def __init__(self, rng: random.Random, loc: _Loc) -> None:
        self.r = rng
        self.loc = loc
        self.b = _B()
        self.pt = self.person()
        self.adm = date(2019, 1, 1) + timedelta(days=rng.randrange(2150))
        roll = rng.random()
        if roll < 0.2:
            self.age = rng.randint(90, 103)
        elif roll < 0.25:
            self.age = rng.randint(2, 17)
        else:
            self.age = rng.randint(19, 89)
        self.dob = date(self.adm.year - self.age, rng.randint(1, 12), rng.randint(1, 28))
        if self.dob > date(self.adm.year - self.age, self.adm.month, min(self.adm.day, 28)):
            self.dob = self.dob.replace(year=self.dob.year - 1)
        street, city, zp, region = self.new_addr()
        self.street, self.city, self.zip, self.region = street, city, zp, region
        self.mrn = _pat(rng, rng.choice(loc.mrn[1]))
        self.mrn_label = rng.choice(loc.mrn[0])
        self.phone = self.new_phone()
        self.email = self.email_for(self.pt)
        self.ssn = _pat(rng, rng.choice(loc.ssn[1]))
        self.plan = self.new_plan(self.pt)
        self.plate = _pat(rng, rng.choice(loc.plates))
        self.device = _pat(rng, rng.choice(("SN ########", "@@@######@", "##@@#####")))
        self.acct = _pat(rng, loc.acct[1])
        self.named = False
        self.shown: set[str] = set()
        self.num_style = rng.choice(loc.nums)

    # ---- small random helpers
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def time(self) -> str:
        return f"{self.r.randint(0, 23):02d}:{self.r.choice((0, 5, 10, 15, 20, 30, 40, 45, 50)):02d}"

    # ---- people
    def person(self, sex: str | None = None, loc: _Loc | None = None) -> _Person:
        r = self.r
        loc = loc or self.loc
        sex = sex or r.choice("MF")
        if loc.key == "my":
            males, females, fams, conns = r.choice(_MY_GROUPS)
            given = r.choice(males if sex == "M" else females)
            return _Person(given, r.choice(fams), sex, conn=conns[0] if sex == "M" else conns[1])
        given = r.choice(loc.male if sex == "M" else loc.female)

        def surname() -> str:
            s = r.choice(loc.family)
            if "|" in s:
                s = s.split("|")[0 if sex == "M" else 1]
            return s

        fam = surname()
        if loc.double and fam:
            second = surname()
            if second != fam and r.random() < 0.75:
                fam = f"{fam} {second}"
        middle = ""
        if loc.middle and r.random() < 0.35:
            cand = [g for g in (loc.male if sex == "M" else loc.female) if g != given]
            middle = r.choice(cand)
        nicks = [x[2:] for x in loc.nicks if x[0] == sex]
        nick = r.choice(nicks) if nicks and r.random() < 0.5 else ""
        return _Person(given, fam, sex, middle=middle, nick=nick)

    def other(self, sex: str | None = None, loc: _Loc | None = None) -> _Person:
        """Somebody who is not the patient (no shared family name, to keep gold unambiguous)."""
        for _ in range(20):
            p = self.person(sex, loc)
            if p.family != self.pt.family and p.given != self.pt.given:
                return p
        return p

    def staff(self) -> _Person:
        if self.chance(0.2):
            return self.other(loc=self.r.choice(LOCALES))
        return self.other()

    def relative(self, family: bool = False) -> tuple[str, _Person]:
        opts = [
            "sister",
            "brother",
            "niece",
            "nephew",
            "partner",
            "husband" if self.pt.sex == "F" else "wife",
        ]
        if self.age >= 40:
            opts += ["daughter", "son", "daughter", "son"]
        if self.age < 30:
            opts += ["mother", "father", "mother"]
        rel = self.pick(opts)
        sex = "F" if rel in ("daughter", "wife", "niece", "sister", "mother") else "M"
        if rel == "partner":
            sex = self.pick("MF")
        p = self.other(sex)
        same = rel in ("son", "daughter", "sister", "brother", "father")
        if family and same and self.pt.family and self.loc.key not in ("pl", "cz", "my") and self.chance(0.5):
            p = _Person(p.given, self.pt.family, sex)
        return rel, p

    def hon(self, p: _Person, local: float = 0.5) -> str:
        if self.chance(local):
            return self.loc.hon[0 if p.sex == "M" else 1]
        return self.pick(_HONS_EN[p.sex])

    def pn(self, forms: tuple[str, ...] = ("full", "gf", "fam", "FAM_G", "init_fam", "caps", "ascii")) -> str:
        """A form of the patient's own name."""
        self.named = True
        return self.pt.form(self.pick(forms))

    def add_pt(self, b: _B, titled: float = 0.4, forms: tuple[str, ...] | None = None) -> None:
        if self.chance(titled):
            self.named = True
            b.add(self.hon(self.pt) + " ", (self.pt.form(self.pick(("fam", "gf", "full"))), NAME))
        else:
            b.add((self.pn(forms) if forms else self.pn(), NAME))

    def add_doc(self, b: _B, p: _Person | None = None, style: str | None = None) -> _Person:
        p = p or self.staff()
        style = style or self.pick(("dr", "dr", "dr_init", "deg", "prof", "fam_g"))
        if style == "dr":
            title = "Dra. " if p.sex == "F" and self.loc.lang == "es" else self.pick(("Dr ", "Dr. "))
            b.add(title, (p.gf(), NAME))
        elif style == "dr_init":
            b.add("Dr ", (p.form("init_fam"), NAME))
        elif style == "deg":
            b.add((p.gf(), NAME), self.pick((", MD", " MBBS", ", FRCP", " MD PhD", ", MRCS")))
        elif style == "prof":
            b.add(self.pick(("Prof. ", "Prof. Dr. ", "Professor ")), (p.gf(), NAME))
        else:
            b.add((p.form("FAM_G"), NAME), " (consultant)")
        return p

    def add_nurse(self, b: _B, p: _Person | None = None) -> _Person:
        p = p or self.staff()
        style = self.pick(("rn", "sister", "plain", "given"))
        if style == "rn":
            b.add((p.gf(), NAME), self.pick((", RN", " RGN", ", CNS", " (RN)")))
        elif style == "sister":
            b.add(self.pick(("Sister ", "Charge Nurse ", "SN ")), (p.fam(), NAME))
        elif style == "given":
            b.add((p.given, NAME), " (nurse)")
        else:
            b.add((p.form("init_fam"), NAME))
        return p

    # ---- dates
    def day(self, lo: int, hi: int) -> date:
        return self.adm + timedelta(days=self.r.randint(lo, hi))

    def d(self, dt: date, style: str | None = None) -> str:
        loc = self.loc
        style = style or self.pick(("num", "num", "long", "en", "abbr"))
        if style == "num":
            return _num_date(dt, self.num_style if self.chance(0.85) else self.pick(loc.nums))
        if style == "long":
            return _long_date(dt, loc.lang)
        if style == "en":
            return _long_date(dt, "en")
        if style == "us":
            return f"{_MONTHS_L['en'][dt.month - 1]} {dt.day}, {dt.year}"
        if style == "abbr":
            return f"{dt.day:02d}-{_EN_ABBR[dt.month - 1]}-{dt.year}"
        if style == "iso":
            return dt.isoformat()
        if style == "short":
            lang = loc.lang
            opts = [f"{dt.day}/{dt.month}", f"{dt.day} {_EN_ABBR[dt.month - 1]}"]
            if lang in ("fr", "es", "pt", "it", "de", "sv", "da", "tr", "id", "ms", "cy"):
                long = _long_date(dt, lang)
                opts.append(long.rsplit(" ", 1)[0].removesuffix(" de"))
            if "dmy." in loc.nums or "fi" in loc.nums:
                opts.append(f"{dt.day:02d}.{dt.month:02d}.")
            return self.pick(opts)
        if style == "month":
            return _MONTHS_L["en"][dt.month - 1]
        if style == "lmonth":
            lang = loc.lang if loc.lang in ("fr", "es", "pt", "it", "de", "sv", "tr", "id", "ms") else "en"
            return _MONTHS_L[lang][dt.month - 1]
        raise ValueError(style)

    def dob_s(self) -> str:
        return self.d(self.dob, self.pick(("num", "num", "long", "abbr", "iso")))

    # ---- ages
    def add_age(self, b: _B, suffix: str | None = None, plain: bool = False) -> None:
        n = self.age
        form = self.pick(("yo", "yo", "aged", "y", "word")) if n >= 90 else self.pick(("yo", "aged", "y"))
        if plain:
            form = "word" if n >= 90 and self.chance(0.2) else "yo"
        if form == "word" and n in _NUM_WORDS:
            b.add((_NUM_WORDS[n], AGE) if n >= 90 else _NUM_WORDS[n], suffix or "-year-old")
            return
        num: str | tuple[str, str] = (str(n), AGE) if n >= 90 else str(n)
        if form == "aged":
            b.add("aged ", num)
        elif form == "y":
            b.add(num, self.pick((" y/o", "y", " yrs", " años" if self.loc.lang == "es" else " yrs")))
        else:
            b.add(num, suffix or "-year-old")

    # ---- numbers / contacts
    def new_phone(self) -> str:
        return _pat(self.r, self.pick(self.loc.phones))

    def phone_v(self) -> str:
        """The patient's recorded phone, sometimes with different separators."""
        p = self.phone
        roll = self.r.random()
        if roll < 0.25:
            return re.sub(r"[ .\-()]", "", p)
        if roll < 0.45:
            return p.replace(" ", "-").replace("(", "").replace(")", "")
        return p

    def mrn_v(self) -> str:
        m = self.mrn
        roll = self.r.random()
        if roll < 0.2 and re.search(r"[ \-/]", m):
            return re.sub(r"[ \-/]", "", m)
        if roll < 0.35 and "-" in m:
            return m.replace("-", " ")
        if roll < 0.45 and m.isdigit() and len(m) >= 7:
            return f"{m[:3]} {m[3:]}"
        return m

    def bleep(self) -> str:
        return _pat(self.r, self.pick(("####", "#####", "6###", "8###")))

    def new_plan(self, p: _Person) -> str:
        if self.loc.key == "qc" and p.family:
            fam = _fold(p.family).upper().replace(" ", "").replace("-", "")
            return f"{fam[:3]}{_fold(p.given)[0].upper()} {_pat(self.r, '#### ####')}"
        return _pat(self.r, self.pick(self.loc.plan[1]))

    def email_for(self, p: _Person, domain: str | None = None) -> str:
        g = _slug(p.given.split()[0])
        f = _slug(p.fam()) or "x"
        yy = str(self.r.randint(50, 99)) if self.chance(0.5) else str(self.r.randint(1, 999))
        local = self.pick((f"{g}.{f}", f"{g[0]}{f}", f"{f}_{g}{yy}", f"{g}{yy}", f"{g}.{f}{yy}"))
        return f"{local}@{domain or self.pick(self.loc.mail)}"

    def staff_email(self, p: _Person) -> str:
        g = _slug(p.given.split()[0])
        f = _slug(p.fam()) or "x"
        return f"{g}.{f}@{self.pick(self.loc.web)}"

    def new_addr(self) -> tuple[str, str, str, str]:
        r = self.r
        st = (
            self.pick(self.loc.streets)
            .replace("{n}", str(r.randint(1, 240)))
            .replace("{m}", str(r.randint(1, 9)))
        )
        city, zpat, region = self.pick(self.loc.places)
        return st, city, _pat(r, zpat) if zpat else "", region

    def add_addr(self, b: _B, a: tuple[str, str, str, str] | None = None, sep: str = ", ") -> None:
        street, city, zp, region = a or (self.street, self.city, self.zip, self.region)
        vals = {
            "street": (street, ADDRESS),
            "city": (city, ADDRESS),
            "zip": (zp, ZIP),
            "region": (region, ""),
        }
        tokens = re.split(r"(\{[a-z]+\})", self.loc.tpl.replace(", ", sep))
        items: list[str | tuple[str, str]] = []
        pending = ""
        skip_sep = False
        for tok in tokens:
            if tok.startswith("{"):
                val, cat = vals[tok[1:-1]]
                if val:
                    if items:
                        items.append(pending)
                    items.append((val, cat) if cat else val)
                    pending = ""
                else:
                    skip_sep = True
            elif skip_sep:
                skip_sep = False
            else:
                pending += tok
        b.add(*items)

    def hosp(self) -> str:
        return self.pick(self.loc.hospitals)

    def url(self, kind: str) -> str:
        r = self.r
        web = self.pick(self.loc.web)
        tok = "".join(r.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(r.randint(6, 10)))
        if kind == "portal":
            return self.pick((f"https://portal.{web}/msg/{tok}", f"https://mychart.{web}/app/c/{tok}"))
        if kind == "video":
            return self.pick((f"https://meet.{web}/{tok}", f"https://{web}/tele/j/{r.randint(10**8, 10**9)}"))
        if kind == "photo":
            return f"https://imaging.{web}/wound/{r.randint(10**5, 10**6)}/IMG_{r.randint(1000, 9999)}.jpg"
        if kind == "fhir":
            return f"https://fhir.{web}/r4/Patient/{r.randint(10**5, 10**7)}"
        if kind == "short":
            return self.pick((f"https://bit.ly/{tok}", f"{web}/c/{tok}", f"https://rdv.{web}/{tok}"))
        if kind == "social":
            g = _slug(self.pt.given.split()[0])
            f = _slug(self.pt.fam())
            return self.pick(
                (
                    f"https://www.facebook.com/{g}.{f}.{r.randint(1, 99)}",
                    f"https://www.gofundme.com/f/help-{g}-{f}-recover",
                    f"https://instagram.com/{g}_{f}",
                )
            )
        raise ValueError(kind)

    def ip(self) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.4:
            return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        if roll < 0.65:
            return f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        if roll < 0.85:
            return f"{r.randint(31, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return f"2001:db8:{r.randint(0, 65535):x}:{r.randint(0, 65535):x}::{r.randint(1, 65535):x}"

    def vin(self) -> str:
        return "".join(self.r.choice(_VINCH) for _ in range(17))

    def lot(self) -> str:
        return _pat(self.r, self.pick(("Lot ##@##", "LOT @####@", "lot #@@###", "Ch.-B. ######")))

    def ref(self) -> str:
        return _pat(self.r, self.pick(("REF ####-##-###", "Cat. No. @@-####", "REF @####@")))

    def patient(self) -> AltPatient:
        pt = self.pt
        names = [pt.full()]
        if pt.gf() != pt.full():
            names.append(pt.gf())
        if pt.nick:
            names.append(pt.nick)
        addrs = tuple(x for x in (self.street, self.city, self.zip) if x)
        other = (self.ssn, self.plan, self.plate, self.device)
        return AltPatient(tuple(names), (self.mrn,), addrs, (self.phone,), (self.email,), other)

    def add_mrn(self, b: _B, label: str | None = None) -> None:
        b.add((label or self.mrn_label) + self.pick((": ", " ", ": ", " # ")), (self.mrn_v(), MRN))

    def add_ids(self, b: _B) -> None:
        """Typical identification block: name, DOB, hospital number and sometimes more."""
        if self.chance(0.8):
            b.add("Patient: ")
            self.add_pt(b, titled=0.2)
            b.add("   ")
        b.add("DOB: ", (self.dob_s(), DATE), "   ")
        if self.chance(0.5):
            b.add("Age: ")
            self.add_age(b, suffix=self.pick((" y", " years", "")), plain=True)
            b.add("   ")
        self.add_mrn(b)
        b.add("\n")
        extra = []
        for key, p, label, item in (
            ("ssn", 0.35, self.loc.ssn[0], (self.ssn, SSN)),
            ("plan", 0.35, self.loc.plan[0], (self.plan, PLAN)),
            ("acct", 0.35, self.loc.acct[0], (self.acct, ACCOUNT)),
        ):
            if self.chance(p):
                extra.append((label, item))
                self.shown.add(key)
        for i, (label, item) in enumerate(extra):
            b.add("   " if i else "", f"{label}: ", item)
        if extra:
            b.add("\n")


# --------------------------------------------------------------------------- note kinds


def _k_sbar(c: _Ctx) -> None:
    b = c.b
    b.add(f"NURSING HANDOVER (SBAR) - {c.hosp()}, {c.pick(WARDS)}\n")
    b.add(
        "Date: ",
        (c.d(c.day(1, 6)), DATE),
        f"   Shift: {c.pick(('night 19:30-07:30', 'late 13:00-21:30', 'early 07:00-15:30'))}\n",
    )
    b.add("Handed over by ")
    c.add_nurse(b)
    b.add(" to ")
    c.add_nurse(b)
    b.add(" (ext. ", (c.bleep(), PHONE), ")\n\n")
    b.add("S: ")
    c.add_pt(b, titled=0.5)
    b.add(", ")
    c.add_age(b)
    b.add(f", bed {c.r.randint(1, 30)}, ")
    c.add_mrn(b)
    b.add(
        ". Admitted ",
        (c.d(c.adm), DATE),
        f" with {c.pick(('urosepsis', 'fall + NOF', 'CAP', 'AKI', 'NSTEMI'))}.\n",
    )
    b.add(f"B: PMH {c.pick(EPONYMS)}, T2DM; {c.pick(CODES)}. Lives ")
    if c.chance(0.6):
        word, rel = c.relative(family=True)
        b.add(f"with {word} ", (rel.gf(), NAME), " at ")
        c.add_addr(b)
        b.add(". NOK mobile ", (c.new_phone(), PHONE), ".\n")
    else:
        b.add("alone at ")
        c.add_addr(b)
        b.add(". Home phone ", (c.phone_v(), PHONE), ".\n")
    b.add(f"A: HR {c.r.randint(60, 120)}, BP {c.r.randint(90, 160)}/{c.r.randint(50, 95)}, SpO2 93% on 2 L, ")
    b.add(
        f"NEWS2 {c.r.randint(1, 7)}. {c.pick(LABS)}; {c.pick(DRUGS)} "
        f"given at {c.time()}. Foley catheter in situ, "
    )
    b.add(f"Braden score {c.r.randint(10, 20)}.\n")
    b.add("R: ", c.pick(COMMON), " ")
    b.add("Dr ", (c.staff().gf(), NAME), " (bleep ", (c.bleep(), PHONE), ") aware. ")
    b.add("Family meeting ", (c.d(c.day(3, 9), "short"), DATE), f" at {c.time()}.")
    if c.chance(0.4):
        b.add(" Daughter asked that updates go to ", (c.email_for(c.other()), EMAIL), ".")
    b.add("\n")


def _k_icu(c: _Ctx) -> None:
    b = c.b
    b.add(f"ICU FLOWSHEET - NURSING FREE TEXT | {c.hosp()} ICU bed {c.r.randint(1, 20)}\n")
    b.add("Pt: ", (c.pt.form(c.pick(("FAM_G", "Fam_G", "caps"))), NAME), "  ")
    c.named = True
    c.add_mrn(b)
    b.add("  DOB ", (c.dob_s(), DATE), "  Day ", str(c.r.randint(2, 14)), " of stay\n")
    day = c.day(1, 10)
    b.add("Date ", (c.d(day, "num"), DATE), "\n")
    b.add("time  | MAP | norad mcg/kg/min | RASS | note\n")
    for tm in sorted(c.time() for _ in range(c.r.randint(3, 5))):
        b.add(f"{tm} | {c.r.randint(55, 90)}  | {c.r.choice(('0.04', '0.08', '0.12', 'off'))} | ")
        b.add(
            f"{c.r.choice(('-2', '-1', '0', '+1'))}  | "
            f"{c.pick(('turned', 'suctioned', 'ABG sent', 'GCS E3V4M6'))}\n"
        )
    b.add(
        "Devices: infusion pump (Alaris GP, ", c.pick(VERSIONS), ") s/n ", (_pat(c.r, "800#######"), DEVICE)
    )
    b.add("; ventilator Hamilton C6 s/n ", (_pat(c.r, "C6-#####"), DEVICE))
    b.add("; bedside monitor IntelliVue MX800 at ", (c.ip(), IP), ".\n")
    b.add("Art line re-sited by ")
    c.add_doc(b, style="dr")
    b.add(f" at {c.time()}. Blood cultures x2, lab accession ", (_pat(c.r, "M##-######"), OTHER))
    b.add(". CAM-ICU negative; Glasgow Coma Scale 13.\n")
    word, rel = c.relative()
    b.add(f"{word.capitalize()} ", (rel.gf(), NAME))
    b.add(f" phoned at {c.time()} from ", (c.new_phone(), PHONE), "; updated, plans to visit ")
    b.add((c.d(day + timedelta(days=1), "short"), DATE), ". ")
    b.add(f"{c.pick(LABS)}. {c.pick(COMMON)}\n")


def _k_operative(c: _Ctx) -> None:
    b = c.b
    b.add(f"OPERATION NOTE - {c.hosp()}, theatre {c.r.randint(1, 12)}\n")
    op_day = c.day(0, 3)
    b.add("Date of operation: ", (c.d(op_day), DATE), f"   Knife to skin {c.time()}\n")
    c.add_ids(b)
    b.add("Surgeon: ", c.pick(("Mr ", "Ms ", "Dr ")), (c.staff().gf(), NAME), "   Assistant: ")
    c.add_doc(b)
    b.add("\nAnaesthetist: ")
    c.add_doc(b, style="dr")
    b.add("   Scrub: ")
    c.add_nurse(b)
    kind = c.pick(("pacemaker", "hip", "knee", "ICD"))
    if kind in ("pacemaker", "ICD"):
        b.add(
            f"\nProcedure: {'Dual-chamber pacemaker' if kind == 'pacemaker' else 'Single-chamber ICD'} "
            "implantation "
        )
        b.add(f"(CPT {c.pick(('33208', '33249'))}), indication complete heart block / Mobitz II.\n")
        b.add(
            "Implants:\n - Generator Medtronic Azure XT DR MRI SureScan, SN ",
            (_pat(c.r, "RNB######@"), DEVICE),
            "\n",
        )
        b.add(" - RA lead 5076-52 cm, SN ", (_pat(c.r, "PJN#######"), DEVICE), f", {c.lot()}\n")
        b.add(
            " - RV lead 5076-58 cm, UDI ",
            (_pat(c.r, "(01)00643169######(17)27####(21)PJN#######"), DEVICE),
            "\n",
        )
        b.add(
            "Thresholds RA 0.8 V @ 0.4 ms, RV 0.6 V; R wave 11 mV. Seldinger technique via cephalic vein.\n"
        )
    else:
        joint = "hip" if kind == "hip" else "knee"
        b.add(f"\nProcedure: {c.pick(('Right', 'Left'))} total {joint} arthroplasty ")
        b.add(f"({c.pick(('OPCS-4 W37.1', 'CPT 27447', 'CPT 27130'))}).\n")
        b.add(f"Implants: cup Pinnacle 54 mm {c.ref()} {c.lot()}; stem Corail size 12 {c.ref()}; ")
        b.add("ceramic head 36 mm, implant serial ", (_pat(c.r, "##########"), DEVICE))
        b.add("; UDI ", (_pat(c.r, "(01)10603295######(17)28####(10)@####(21)########"), DEVICE), "\n")
        b.add("Approach: posterior (Kocher-Langenbeck). Tranexamic acid 1 g IV. EBL 350 mL.\n")
    b.add("Antibiotic prophylaxis cefazolin 2 g. WHO checklist completed. Consent signed ")
    b.add((c.d(op_day - timedelta(days=c.r.randint(1, 20))), DATE), ", witnessed by ")
    b.add((c.staff().form(c.pick(("gf", "init_fam"))), NAME), ".\n")
    b.add("Plan: check X-ray POD 1, clips out at day 10-14, clinic review ")
    b.add((c.d(op_day + timedelta(days=42), c.pick(("short", "num", "month"))), DATE), ".\n")
    if c.chance(0.5):
        b.add("Implant registry entry (NJR) submitted; patient registry consent recorded.\n")


def _k_anaesthesia(c: _Ctx) -> None:
    b = c.b
    b.add(f"ANAESTHESIA RECORD - {c.hosp()}\n")
    c.add_ids(b)
    b.add("Date: ", (c.d(c.day(0, 5), "num"), DATE), "   ")
    b.add("Anaesthetist: ")
    doc = c.add_doc(b, style="dr")
    b.add(" (", c.loc.lic[0], " ", (_pat(c.r, c.loc.lic[1]), LICENSE), ")\n")
    b.add("Pre-op: ")
    c.add_age(b)
    b.add(f", ASA {c.pick(('II', 'III', 'IV'))}, weight {c.r.randint(45, 110)} kg, fasted since {c.time()}. ")
    b.add(
        f"Mallampati {c.pick(('I', 'II', 'III'))}, mouth opening "
        f"3 FB. Allergy: penicillin (rash). {c.pick(EPONYMS)}.\n"
    )
    b.add(
        "Induction: propofol 150 mg, fentanyl 100 mcg, rocuronium "
        "50 mg. ETT 7.5 cuffed, Cormack-Lehane grade 2.\n"
    )
    b.add(
        "Maintenance: sevoflurane MAC 0.9. Monitoring AAGBI "
        "standard. Anaesthesia workstation Dräger Perseus A500, "
    )
    b.add(c.pick(VERSIONS), ", s/n ", (_pat(c.r, "ASFK-####"), DEVICE), ".\n")
    b.add(f"Intra-op: {c.pick(LABS)}; phenylephrine boluses x3. Hartmann's solution 1000 mL.\n")
    if c.chance(0.5):
        b.add("Difficult airway alert issued; letter to GP ")
        c.add_doc(b, style="dr")
        b.add(" and to patient at ")
        c.add_addr(b)
        b.add(".\n")
    b.add("Signed ", (doc.form(c.pick(("init_fam", "gf", "fam"))), NAME), f" {c.time()}\n")


def _k_medrec(c: _Ctx) -> None:
    b = c.b
    b.add(f"PHARMACY MEDICATION RECONCILIATION - {c.hosp()}\n")
    c.add_ids(b)
    if "plan" not in c.shown:
        b.add(c.loc.plan[0], ": ", (c.plan, PLAN), f" ({c.pick(c.loc.insurers)})\n")
    b.add("Sources: patient, GP summary, community pharmacy (Tel ", (c.new_phone(), PHONE))
    b.add(" / Fax ", (c.new_phone(), FAX), ")\n")
    b.add("GP: ")
    c.add_doc(b, style=c.pick(("dr", "dr_init")))
    b.add(", ")
    c.add_addr(b, c.new_addr())
    b.add("\n\n| Medicine | Dose | Source | Action |\n|---|---|---|---|\n")
    for drug in c.r.sample(DRUGS, c.r.randint(4, 6)):
        b.add(f"| {drug} | as listed | {c.pick(('GP', 'patient', 'blister pack'))} | ")
        b.add(f"{c.pick(('continue', 'withhold', 'dose changed', 'stop'))} |\n")
    b.add(f"\nInsulin pen {c.lot()}, exp 2026. Blister pack supplied weekly.\n")
    b.add("Discussed with ")
    word, rel = c.relative()
    b.add((rel.gf(), NAME), f" ({word}) on ", (c.new_phone(), PHONE), ". ")
    b.add("Prescriber for warfarin: ")
    c.add_doc(b, style="dr")
    b.add(", ", c.loc.lic[0], " ", (_pat(c.r, c.loc.lic[1]), LICENSE))
    if c.chance(0.4):
        b.add(", DEA ", (_pat(c.r, "@@#######"), LICENSE))
    b.add(".\nPharmacist: ")
    ph = c.staff()
    b.add((ph.gf(), NAME), ", MPharm - ", (c.staff_email(ph), EMAIL), "  ", (c.d(c.day(0, 3)), DATE), "\n")


def _k_prior_auth(c: _Ctx) -> None:
    b = c.b
    ins = c.pick(c.loc.insurers)
    b.add(
        f"PRIOR AUTHORISATION REQUEST\nTo: {ins} - Utilisation Management\nFax: ", (c.new_phone(), FAX), "\n"
    )
    b.add("From: ")
    doc = c.add_doc(b, style="dr")
    b.add(f", {c.hosp()}\nDate: ", (c.d(c.day(0, 20)), DATE), "\n\n")
    b.add("Re: ")
    c.add_pt(b, titled=0.3, forms=("full", "FAM_G", "gf"))
    b.add("   DOB ", (c.dob_s(), DATE), "\nMember ID: ", (c.plan, PLAN))
    if c.chance(0.5):
        b.add("   Subscriber: ", (c.other().gf(), NAME))
    b.add("\n")
    c.add_mrn(b)
    b.add("\n\n")
    drug = c.pick(
        (
            "dupilumab 300 mg SC q2w",
            "adalimumab 40 mg q2w",
            "semaglutide 1 mg weekly",
            "MRI brain with contrast (CPT 70553)",
            "continuous glucose monitor (Dexcom G7)",
        )
    )
    b.add(f"I am requesting authorisation for {drug}. Diagnosis {c.pick(CODES)}. ")
    b.add(
        "Previous therapy since ",
        (c.d(c.adm - timedelta(days=200), c.pick(("month", "lmonth", "short"))), DATE),
    )
    b.add(f" with {c.pick(DRUGS)} failed. The patient is not eligible for trial {c.pick(TRIALS)}.\n")
    b.add(
        "NPI ", (_pat(c.r, "1#########"), OTHER), "; ", c.loc.lic[0], " ", (_pat(c.r, c.loc.lic[1]), LICENSE)
    )
    if c.chance(0.5):
        b.add("; DEA ", (_pat(c.r, "@@#######"), LICENSE))
    b.add(
        ".\nPlease reply to my office at ", (c.new_phone(), PHONE), " or ", (c.staff_email(doc), EMAIL), ".\n"
    )
    b.add("Your reference: ", (_pat(c.r, "PA-####-######"), OTHER), "\n")


def _k_appeal(c: _Ctx) -> None:
    b = c.b
    ins = c.pick(c.loc.insurers)
    b.add(f"FIRST-LEVEL APPEAL OF CLAIM DENIAL\n{ins}, Appeals Unit\nFax ", (c.new_phone(), FAX), "\n\n")
    b.add(
        "Claim no.: ", (_pat(c.r, "CLM########"), ACCOUNT), "    Patient account: ", (c.acct, ACCOUNT), "\n"
    )
    b.add("Member: ")
    c.add_pt(b, titled=0.0, forms=("full", "FAM_G"))
    b.add("   Member ID ", (c.plan, PLAN), "\nDate of service: ", (c.d(c.adm), DATE))
    b.add("   Denial letter dated ", (c.d(c.day(30, 60)), DATE), "\n")
    b.add("Denial reason: CARC CO-50 (not medically necessary); CPT 99285, 71046; ")
    b.add(f"{c.pick(CODES)}.\n\n")
    rel, writer = c.relative(family=True)
    b.add("To whom it may concern,\nI, ", (writer.gf(), NAME), f", am the patient's {rel}. ")
    b.add(f"{'She' if c.pt.sex == 'F' else 'He'} is ")
    c.add_age(b, suffix=" years old")
    b.add(" and was taken by ambulance after a fall. The attending physician, ")
    c.add_doc(b, style="deg")
    b.add(f", documented {c.pick(LABS)} and a Glasgow Coma Scale of 14.\n")
    b.add("Please send correspondence to ")
    c.add_addr(b)
    b.add(" or e-mail ", (c.email_for(writer), EMAIL), ". Phone ", (c.new_phone(), PHONE), ".\n")
    b.add("Sincerely,\n", (writer.form(c.pick(("gf", "full"))), NAME), "\n")
    b.add("Enclosed: discharge summary, ED record, signed HIPAA authorisation ")
    b.add((c.d(c.day(35, 70), "num"), DATE), ".\n")


_PORTAL_OPEN = (
    "hi dr {doc} its me again 😩 ",
    "HELLO DR {doc}!!! ",
    "hiya, quick q for dr {doc} ",
    "Dear Dr {doc}, sorry 2 bother u ",
)


def _k_portal(c: _Ctx) -> None:
    b = c.b
    doc = c.staff()
    b.add("PATIENT PORTAL - message thread ", (_pat(c.r, "MSG-########"), OTHER), "\n")
    sent = c.day(0, 30)
    b.add(
        "From: ",
        (c.pt.form(c.pick(("lower", "nick", "gf", "caps"))), NAME),
        " <",
        (c.email, EMAIL),
        ">  Sent: ",
    )
    c.named = True
    b.add((c.d(sent, c.pick(("num", "us", "abbr"))), DATE), f" {c.time()}\n")
    opener = c.pick(_PORTAL_OPEN)
    pre, post = opener.split("{doc}")
    b.add(pre, (doc.fam().lower() if c.chance(0.5) else doc.fam(), NAME), post)
    b.add("the rash is WORSE since monday and now its on my arms too 😭😭 ")
    b.add(f"still taking the {c.pick(('prednisolone', 'cetirizine', 'doxycycline'))} like u said. ")
    if c.chance(0.6):
        b.add("btw my number changed its ", (c.phone_v(), PHONE), " now. ")
    if c.chance(0.5):
        b.add("also can u send the letter to my new place ")
        c.add_addr(b, c.new_addr())
        b.add(" ?? ")
    b.add("thx 🙏\n\n")
    nurse = c.staff()
    b.add(
        "Reply from: ",
        (nurse.gf(), NAME),
        ", RN (Dermatology)  ",
        (c.d(sent + timedelta(days=1), "num"), DATE),
        "\n",
    )
    b.add(
        "Hi ", (c.pt.form("nick"), NAME), ", thanks for the update. Please upload a photo through the app. "
    )
    b.add(f"If you have any swelling of the lips or trouble breathing call {c.loc.emergency} immediately. ")
    b.add("Dr ", (doc.fam(), NAME), " will review. Your video appointment is on ")
    b.add(
        (c.d(sent + timedelta(days=c.r.randint(2, 9)), c.pick(("long", "en", "short"))), DATE), " at 10:40: "
    )
    b.add((c.url("video"), URL), "\n\n")
    b.add("From: ", (c.pt.form("lower"), NAME), "\n")
    b.add("OK!!! THANK YOU SO MUCH 🥰 MY HUSBAND ", (c.other(sex="M").form("caps"), NAME), " WILL DRIVE ME")
    if c.chance(0.7):
        b.add(", our car is the blue one reg ", (c.plate, VEHICLE), " if parking asks 😅")
    b.add("\n\n[audit] login from IP ", (c.ip(), IP), ", iPhone 14 (iOS 17.2), app ", c.pick(VERSIONS), "\n")


_SMS = {
    "fr": (
        "Bonjour {name}, rappel : RDV le {date} à 10h30 avec {title}{doc}, {hosp}. Pour annuler : {url}",
        "Réponse de {phone} : ok merci, ma fille {rel} m'accompagnera",
    ),
    "de": (
        "Guten Tag {name}, Erinnerung: Termin am {date} um 10:30 Uhr bei {title}{doc}, {hosp}. Absage: {url}",
        "Antwort von {phone}: Komme mit meiner Tochter {rel}, danke",
    ),
    "es": (
        "Hola {name}, le recordamos su cita el {date} a las 10:30 con {title}{doc}, {hosp}. Cancelar: {url}",
        "Respuesta de {phone}: si confirmo, va mi hija {rel} conmigo",
    ),
    "pt": (
        "Olá {name}, lembrete: consulta a {date} às 10h30 com {title}{doc}, {hosp}. Desmarcar: {url}",
        "Resposta de {phone}: ok obrigado, vai a minha filha {rel}",
    ),
    "it": (
        "Gentile {name}, promemoria: visita il {date} alle 10:30 con {title}{doc}, {hosp}. Disdetta: {url}",
        "Risposta da {phone}: ok grazie, viene mia figlia {rel}",
    ),
    "en": (
        "Hi {name}, reminder of your appointment on {date} at "
        "10:30 with {title}{doc}, {hosp}. Reply Y to confirm "
        "or manage it here: {url}",
        "Reply from {phone}: cant make it, my daughter {rel} will call to rebook",
    ),
}


def _fill(b: _B, template: str, values: dict[str, tuple[str, str] | str]) -> None:
    for tok in re.split(r"(\{[a-z]+\})", template):
        if tok.startswith("{"):
            b.add(values[tok[1:-1]])
        elif tok:
            b.add(tok)


def _k_sms(c: _Ctx) -> None:
    b = c.b
    lang = c.loc.lang if c.loc.lang in _SMS else "en"
    hosp = c.hosp()
    b.add(f"SMS OUTBOX - {hosp} appointment reminders (gateway {c.pick(VERSIONS)})\n")
    doc = c.staff()
    title = {"fr": "Dr ", "de": "Dr. ", "es": "Dra. " if doc.sex == "F" else "Dr. "}.get(lang, "Dr ")
    for i in range(c.r.randint(2, 3)):
        when = c.day(-10 + 5 * i, -8 + 5 * i)
        appt = when + timedelta(days=c.r.randint(2, 7))
        b.add("[", (c.d(when, "num"), DATE), f" {c.time()}] To ", (c.phone_v(), PHONE), ": ")
        name = c.pt.form(c.pick(("given", "gf", "nick")))
        c.named = True
        vals: dict[str, tuple[str, str] | str] = {
            "name": (name, NAME),
            "date": (c.d(appt, c.pick(("long", "num", "short"))), DATE),
            "title": title,
            "doc": (doc.fam(), NAME),
            "hosp": hosp,
            "url": (c.url("short"), URL),
        }
        _fill(b, _SMS[lang][0], vals)
        b.add("\n")
    b.add("[", (c.d(c.day(-1, 0), "num"), DATE), f" {c.time()}] ")
    _fill(b, _SMS[lang][1], {"phone": (c.phone_v(), PHONE), "rel": (c.other(sex="F").given, NAME)})
    b.add("\n[status] delivered; opt-out list checked; template v3 approved by ")
    b.add((c.staff().form("init_fam"), NAME), ".\n")


def _k_triage(c: _Ctx) -> None:
    b = c.b
    b.add(f"TELEPHONE TRIAGE LOG - out-of-hours service ({c.pick(VERSIONS)})\n")
    call = c.day(0, 10)
    b.add(
        "Call received ",
        (c.d(call, "num"), DATE),
        f" {c.time()}   Call ID ",
        (_pat(c.r, "OOH-#######"), OTHER),
        "\n",
    )
    word, caller = c.relative()
    b.add("Caller: ", (caller.gf(), NAME), f" ({word}) from ")
    b.add((c.new_phone(), PHONE), "; callback number ", (c.phone_v(), PHONE), "\n")
    b.add("Patient: ")
    c.add_pt(b, titled=0.3)
    b.add(", ")
    c.add_age(b)
    b.add(", ")
    c.add_mrn(b)
    b.add("\n")
    complaint = c.pick(("chest tightness", "fever and confusion", "fall, hip pain", "overdose of tablets"))
    b.add(f"Complaint: {complaint}")
    b.add(f" since {c.time()}. Protocol: Schmitt-Thompson adult {c.pick(('chest pain', 'fever', 'falls'))}, ")
    b.add(f"{c.pick(VERSIONS)}. Meds: {c.pick(DRUGS)}.\n")
    b.add(f"Disposition: ambulance via {c.loc.emergency}; poison information line advised where relevant. ")
    b.add("Crew dispatched to ")
    c.add_addr(b)
    b.add(", incident no ", (_pat(c.r, "INC-##-######"), OTHER), ".\n")
    if c.chance(0.45):
        b.add(
            "Caller will follow in own car, registration ", (_pat(c.r, c.pick(c.loc.plates)), VEHICLE), ".\n"
        )
    b.add("Triage nurse: ")
    c.add_nurse(b)
    b.add(f"  {c.pick(COMMON)}\n")


def _k_social(c: _Ctx) -> None:
    b = c.b
    b.add(f"SOCIAL WORK NOTE - {c.hosp()}\n")
    b.add("Date: ", (c.d(c.day(1, 15)), DATE), "   Referred by: ")
    c.add_doc(b)
    b.add("\n")
    c.add_ids(b)
    b.add("Seen with ")
    word, rel = c.relative(family=True)
    b.add(f"{word} ", (rel.gf(), NAME), " (mobile ", (c.new_phone(), PHONE))
    b.add("), who lives at ")
    c.add_addr(b, c.new_addr())
    b.add(".\n")
    b.add("Patient lives at ")
    c.add_addr(b)
    b.add(f"; landlord {c.pick(('Mr', 'Ms'))} ", (c.other().fam(), NAME), " has served notice dated ")
    b.add((c.d(c.adm - timedelta(days=30), c.pick(("long", "num"))), DATE), ".\n")
    if c.chance(0.5):
        b.add(
            "Has been sleeping in a car (",
            c.pick(("silver Toyota Corolla", "white van", "red Fiat")),
            ", plate ",
        )
        b.add((c.plate, VEHICLE), ", VIN ", (c.vin(), VEHICLE), ") since ")
        b.add((c.d(c.adm - timedelta(days=60), c.pick(("month", "lmonth"))), DATE), ".\n")
    b.add("Benefits: claim reference ", (_pat(c.r, "@@######@"), OTHER), "; national ID ", c.loc.ssn[0], " ")
    b.add((c.ssn, SSN), " confirmed.\n")
    b.add("Safeguarding referral ", (_pat(c.r, "SG/####/####"), OTHER), " discussed with ")
    b.add((c.staff().gf(), NAME), " (adult services, ", (c.new_phone(), PHONE), ").\n")
    if 50 <= c.age < 75 and c.chance(0.6):
        b.add(
            "Also the main carer for a parent, aged ",
            (str(c.r.randint(90, 104)), AGE),
            ", who lives with them.\n",
        )
    b.add(c.pick(COMMON), " Grant from local charity for white goods pending. Capacity assessed (MCA).\n")
    sw = c.staff()
    b.add("Social worker: ", (sw.gf(), NAME), ", MSW - ", (c.staff_email(sw), EMAIL), "\n")


def _k_home(c: _Ctx) -> None:
    b = c.b
    visit = c.day(3, 40)
    b.add("HOME HEALTH VISIT RECORD\nVisit date: ", (c.d(visit), DATE), f"  arrival {c.time()}\n")
    b.add("Address: ")
    c.add_addr(b, sep="\n" if c.chance(0.3) else ", ")
    b.add("\nPatient: ")
    c.add_pt(b, titled=0.6)
    b.add("  Tel ", (c.phone_v(), PHONE), "\n")
    b.add("Nurse: ")
    c.add_nurse(b)
    b.add(" (car ", (_pat(c.r, c.pick(c.loc.plates)), VEHICLE), " parked on driveway)\n\n")
    b.add(f"Obs: BP {c.r.randint(100, 170)}/{c.r.randint(55, 95)}, SpO2 {c.r.randint(86, 98)}% on 2 L via ")
    b.add("concentrator (Philips EverFlo, s/n ", (_pat(c.r, "EF#######"), DEVICE), "). Waterlow 16.\n")
    b.add(f"{c.pick(LABS)} on POC. Medicines in dosette: {c.pick(DRUGS)}, {c.pick(DRUGS)}.\n")
    b.add("Disabled parking permit no ", (_pat(c.r, "BB-######"), OTHER), " expires ")
    b.add((c.d(visit + timedelta(days=200), c.pick(("month", "num", "lmonth"))), DATE), ".\n")
    if c.chance(0.5):
        b.add("Key safe installed; neighbour ", (c.other().gf(), NAME), " at ")
        c.add_addr(b, (c.new_addr()[0], "", "", ""))
        b.add(" holds spare key.\n")
    b.add(f"{c.pick(COMMON)} Next visit ", (c.d(visit + timedelta(days=7), "short"), DATE), ".\n")


def _k_rehab(c: _Ctx) -> None:
    b = c.b
    slp = c.chance(0.4)
    b.add(f"{'SPEECH AND LANGUAGE THERAPY' if slp else 'PHYSIOTHERAPY'} PLAN - {c.hosp()}\n")
    c.add_ids(b)
    b.add("Therapist: ")
    t = c.staff()
    b.add(
        (t.gf(), NAME),
        f", {'SLT' if slp else 'MCSP'} (HCPC ",
        (_pat(c.r, c.pick(("SL#####", "PH######"))), LICENSE),
    )
    b.add(")   Assessment date ", (c.d(c.day(1, 10)), DATE), "\n")
    if slp:
        b.add(
            "Findings: moderate oropharyngeal dysphagia; FOIS "
            f"level {c.r.randint(2, 5)}; IDDSI level 2 fluids. "
        )
        b.add("Passy-Muir valve trial tolerated 20 min. Boston Naming Test 38/60.\n")
    else:
        b.add(
            f"Findings: Berg Balance Scale {c.r.randint(20, 50)}/56, "
            f"Timed Up and Go {c.r.randint(12, 40)} s, "
        )
        b.add(f"Barthel index {c.r.randint(30, 90)}. {c.pick(EPONYMS)}.\n")
    b.add("Equipment loaned: wheelchair asset no ", (_pat(c.r, "WC-#####"), DEVICE), ", Zimmer frame. ")
    b.add("Goals agreed with ")
    c.add_pt(b, titled=0.5, forms=("given", "nick", "gf"))
    b.add(" and ")
    word, rel = c.relative()
    b.add(f"{word} ", (rel.given, NAME), ".\n")
    b.add(f"{c.pick(COMMON)} Review ", (c.d(c.day(14, 30), c.pick(("short", "num", "long"))), DATE), ".\n")
    b.add("Home exercise video: ", (c.url("portal"), URL), "\n")


def _k_wound(c: _Ctx) -> None:
    b = c.b
    b.add(f"WOUND CARE PHOTO LOG - tissue viability, {c.hosp()}\n")
    c.add_ids(b)
    b.add("Consent for clinical photography signed ", (c.d(c.day(0, 2), "num"), DATE), "\n")
    b.add(
        "Camera: Canon G7X (s/n ",
        (_pat(c.r, "############"), DEVICE),
        "), upload station ",
        (c.ip(), IP),
        "\n\n",
    )
    b.add("| # | date | site | size (cm) | PUSH | file |\n|---|---|---|---|---|---|\n")
    start = c.day(1, 5)
    for i in range(c.r.randint(3, 4)):
        dt = start + timedelta(days=7 * i)
        b.add(
            f"| {i + 1} | ", (c.d(dt, "num"), DATE), f" | sacrum | {c.r.randint(2, 6)}.{c.r.randint(0, 9)} x "
        )
        b.add(
            f"{c.r.randint(1, 4)}.{c.r.randint(0, 9)} | {c.r.randint(6, 14)} | ",
            (c.url("photo"), URL),
            " |\n",
        )
    b.add("\nPhotographer: ")
    c.add_nurse(b)
    b.add(f". Dressing: Mepilex Border {c.ref()}, {c.lot()}. Braden 12. {c.pick(COMMON)}\n")


def _k_path(c: _Ctx) -> None:
    b = c.b
    b.add(f"SURGICAL PATHOLOGY REPORT - Department of Pathology, {c.hosp()}\n")
    acc = _pat(c.r, c.pick(("S24-#####", "H/24/######", "P##-####")))
    b.add("Accession: ", (acc, OTHER), "    Specimen ID ", (_pat(c.r, "SP########"), OTHER), "\n")
    c.add_ids(b)
    col = c.day(0, 5)
    b.add("Collected ", (c.d(col, "num"), DATE), f" {c.time()}   Received ", (c.d(col, "num"), DATE))
    b.add("   Reported ", (c.d(col + timedelta(days=c.r.randint(2, 9)), "num"), DATE), "\n")
    b.add("Requesting clinician: ")
    c.add_doc(b)
    b.add("\n\nMacroscopy: A. right hemicolectomy 24 cm; blocks A1-A12.\n")
    b.add("Microscopy/diagnosis: adenocarcinoma, ICD-O 8140/3, pT3 N1b (2/19) L1 V0, Dukes C; ")
    b.add(f"Ki-67 30%; MMR proficient; {c.pick(GENES)}.\n")
    b.add(
        f"Block A7 sent for NGS ({c.pick(('Oncomine v3', 'TSO500'))}), referral lab ID ",
        (_pat(c.r, "NGS-##-####"), OTHER),
    )
    b.add(".\nReported by ")
    c.add_doc(b, style=c.pick(("deg", "dr")))
    b.add(", FRCPath.  Copy to ")
    c.add_doc(b, style="dr")
    b.add(" - fax ", (c.new_phone(), FAX), "\n")


def _k_bloodbank(c: _Ctx) -> None:
    b = c.b
    b.add(f"BLOOD BANK - CROSSMATCH REPORT, {c.hosp()} Transfusion Laboratory\n")
    c.add_ids(b)
    b.add("Sample ID ", (_pat(c.r, "BB##-######"), OTHER), " collected ", (c.d(c.day(0, 3)), DATE))
    b.add(f" {c.time()} by ", (c.staff().form(c.pick(("gf", "init_fam"))), NAME), "\n")
    b.add(
        f"Group {c.pick(('O RhD pos', 'A RhD neg', 'B RhD pos', 'AB RhD pos'))}; antibody screen POSITIVE - "
    )
    b.add(f"anti-{c.pick(('K (Kell)', 'Fya (Duffy)', 'Jka (Kidd)', 'E'))}. DAT negative.\n\n")
    b.add("| Unit (DIN) | Product | Group | XM | Expiry |\n|---|---|---|---|---|\n")
    for _ in range(c.r.randint(2, 3)):
        din = _pat(c.r, "@#### ## ###### @")
        b.add(
            "| ", (din, OTHER), f" | E0291V00 red cells | O neg | compatible | {c.r.randint(3, 30)} days |\n"
        )
    b.add("\nIssued by ")
    b.add((c.staff().gf(), NAME), " (BMS, HCPC ", (_pat(c.r, "BS#####"), LICENSE), ") to porter ")
    b.add((c.staff().given, NAME), f" at {c.time()}. Two-person bedside check. {c.pick(LABS)}.\n")
    b.add("Lab phone ", (c.new_phone(), PHONE), "; out-of-hours bleep ", (c.bleep(), PHONE), ".\n")


def _k_transplant(c: _Ctx) -> None:
    b = c.b
    b.add(f"TRANSPLANT COORDINATOR NOTE - {c.hosp()} Renal Transplant Unit\n")
    b.add("Recipient: ")
    c.add_pt(b, titled=0.2)
    b.add("   ")
    c.add_mrn(b)
    b.add("   Waiting-list ID ", (_pat(c.r, c.pick(("ET-######", "TX#######", "UNOS @@@####"))), OTHER), "\n")
    b.add(
        f"Blood group {c.pick(('O', 'A', 'B'))}; cPRA "
        f"{c.r.randint(0, 99)}%; HLA A*02:01, B*44:02, DRB1*04:01. "
    )
    b.add(f"Dialysis since {c.r.randint(2012, 2022)}.\n")
    b.add(
        "Offer received ",
        (c.d(c.day(0, 30)), DATE),
        f" {c.time()}: donor ID ",
        (_pat(c.r, "D##-#####"), OTHER),
    )
    b.add(", DBD, CMV D+/R-, cold ischaemia est. 11 h.\n")
    b.add("Offer extract (CSV):\noffer_id,donor_id,organ,date,decision\n")
    for _ in range(c.r.randint(2, 3)):
        b.add(
            (_pat(c.r, "OF#####"), OTHER), ",", (_pat(c.r, "D##-#####"), OTHER), f",{c.pick(('LK', 'RK'))},"
        )
        b.add(
            (c.d(c.day(-60, 0), "iso"), DATE), f",{c.pick(('declined-size', 'declined-HLA', 'accepted'))}\n"
        )
    b.add("Recipient contacted on ", (c.phone_v(), PHONE), "; partner ")
    b.add((c.other().gf(), NAME), " will drive from ")
    c.add_addr(b, (c.street, c.city, "", ""))
    b.add(".\nSurgeon on call: ")
    c.add_doc(b, style=c.pick(("dr", "prof")))
    b.add("; coordinator ")
    co = c.staff()
    b.add((co.gf(), NAME), " (", (c.staff_email(co), EMAIL), ", pager ", (c.bleep(), PHONE), ")\n")
    b.add(f"Tacrolimus per protocol; basiliximab 20 mg. {c.pick(COMMON)}\n")


def _k_dialysis(c: _Ctx) -> None:
    b = c.b
    sess = c.day(0, 20)
    b.add(f"HAEMODIALYSIS RUN SHEET - {c.hosp()} satellite unit, station {c.r.randint(1, 24)}\n")
    b.add("Name: ", (c.pt.form(c.pick(("FAM_G", "caps", "full"))), NAME), "   ")
    c.named = True
    c.add_mrn(b)
    b.add("   Session date ", (c.d(sess, "num"), DATE), "\n")
    b.add("Machine Fresenius 5008S s/n ", (_pat(c.r, "8BS@####"), DEVICE), f" ({c.pick(VERSIONS)}), ")
    b.add("network ", (c.ip(), IP), f"; dialyser FX80 {c.lot()}\n")
    b.add("Access: left radiocephalic AVF (Brescia-Cimino), 15G needles. Dry weight 72.5 kg.\n\n")
    b.add("| time | BP | QB | UF vol | venous P |\n|---|---|---|---|---|\n")
    for tm in sorted(c.time() for _ in range(c.r.randint(3, 5))):
        b.add(f"| {tm} | {c.r.randint(95, 170)}/{c.r.randint(50, 95)} | {c.r.choice((300, 320, 350))} | ")
        b.add(f"{c.r.randint(200, 2800)} | {c.r.randint(120, 220)} |\n")
    b.add(f"\nKt/V 1.3, URR 71%. {c.pick(LABS)}. Heparin 2000 IU bolus.\n")
    b.add("Nurses: ")
    c.add_nurse(b)
    b.add(" / ")
    c.add_nurse(b)
    b.add(".\nTransport: ", c.pick(("Taxi Meier", "Patient Transport Service", "City Cabs")), ", vehicle ")
    b.add((_pat(c.r, c.pick(c.loc.plates)), VEHICLE), ", pick-up from ")
    c.add_addr(b, (c.street, c.city, "", ""))
    b.add(". Next session ", (c.d(sess + timedelta(days=2), c.pick(("short", "num"))), DATE), ".\n")


def _k_sleep(c: _Ctx) -> None:
    b = c.b
    b.add(f"SLEEP STUDY REPORT (home polygraphy) - {c.hosp()} Sleep Centre\n")
    c.add_ids(b)
    night = c.day(0, 20)
    b.add(
        "Study night ", (c.d(night), DATE), "; recorder Nox T3 s/n ", (_pat(c.r, "90#######"), DEVICE), "\n"
    )
    b.add(f"Results: AHI {c.r.randint(16, 60)}/h, ODI {c.r.randint(10, 50)}/h, T90 {c.r.randint(2, 30)}%. ")
    b.add(f"Epworth Sleepiness Scale {c.r.randint(8, 20)}. BMI 34. {c.pick(CODES)}.\n")
    b.add(
        "CPAP: ResMed AirSense 10 AutoSet, s/n ",
        (_pat(c.r, "23##########"), DEVICE),
        ", modem data via AirView ",
    )
    b.add("from ", (c.ip(), IP), ".\n")
    if c.chance(0.7):
        b.add(f"Occupation: {c.pick(('HGV driver', 'taxi driver', 'bus driver'))}. Driving licence no. ")
        b.add((_pat(c.r, c.pick(("@@@@@######@@#@@", "B######", "#########"))), LICENSE))
        b.add("; vehicle ", (c.plate, VEHICLE), ". Advised not to drive until treated; regulator informed.\n")
    b.add("Reported by ")
    c.add_doc(b)
    b.add(". Follow-up ", (c.d(night + timedelta(days=60), c.pick(("month", "lmonth", "short"))), DATE))
    b.add(". Data portal: ", (c.url("portal"), URL), "\n")


def _k_death(c: _Ctx) -> None:
    b = c.b
    if c.age < 75:
        c.age = c.r.randint(90, 101)
        c.dob = date(c.adm.year - c.age, c.dob.month, c.dob.day)
    b.add("DEATH CERTIFICATE WORKSHEET (for registrar - draft)\n")
    b.add("Deceased: ", (c.pt.form(c.pick(("FAM_G", "full", "caps"))), NAME))
    c.named = True
    b.add("   Sex: ", c.pt.sex, "   DOB ", (c.dob_s(), DATE), "\n")
    death = c.day(1, 20)
    b.add("Date of death: ", (c.d(death), DATE), f"   time {c.time()}   Age: ")
    c.add_age(b, suffix=" years")
    b.add("\n", c.loc.ssn[0], ": ", (c.ssn, SSN), "   ")
    c.add_mrn(b)
    b.add("\nPlace of death: ")
    if c.chance(0.5):
        b.add("usual residence, ")
        c.add_addr(b)
    else:
        b.add(f"{c.hosp()}, {c.pick(WARDS)}")
    b.add("\nCause: Ia ", c.pick(("aspiration pneumonia", "intracranial haemorrhage", "septic shock")))
    b.add(f"; Ib {c.pick(EPONYMS)}; II {c.pick(('CKD stage 4', 'atrial fibrillation', 'COPD'))}.\n")
    if c.chance(0.35):
        b.add(
            "Road traffic collision: vehicle VIN ",
            (c.vin(), VEHICLE),
            ", reg ",
            (_pat(c.r, c.pick(c.loc.plates)), VEHICLE),
        )
        b.add("; police incident ", (_pat(c.r, "PI/##/#####"), OTHER), "; referred to coroner, case ")
        b.add((_pat(c.r, "COR-####-###"), OTHER), ".\n")
    word, inf = c.relative(family=True)
    b.add("Informant: ", (inf.gf(), NAME), f" ({word}), ")
    c.add_addr(b, c.new_addr())
    b.add(", tel ", (c.new_phone(), PHONE), "\n")
    b.add(
        "Funeral director: ",
        c.pick(("Co-op Funeralcare", "Pompes Funèbres Générales", "Bestattungen Huber")),
        ", ",
    )
    c.add_addr(b, c.new_addr())
    b.add("\nCertifier: ")
    c.add_doc(b, style="deg")
    b.add(", ", c.loc.lic[0], " ", (_pat(c.r, c.loc.lic[1]), LICENSE), ". Last seen alive by certifier ")
    b.add((c.d(death - timedelta(days=c.r.randint(1, 10)), "short"), DATE), ".\n")


def _k_legal(c: _Ctx) -> None:
    b = c.b
    b.add("MEDICO-LEGAL REPORT (CPR Part 35 / expert witness)\n")
    sol = c.other()
    b.add(
        "Prepared for: ",
        (sol.gf(), NAME),
        f", Solicitor, {c.pick(('Irwin Mitchell LLP', 'Cabinet Lefort', 'Bufete Garrigues'))}, ",
    )
    c.add_addr(b, c.new_addr())
    b.add(
        "\nYour ref: ",
        (_pat(c.r, "@@/####/##"), OTHER),
        "   Court case no. ",
        (_pat(c.r, "@#@@####"), OTHER),
        "\n",
    )
    b.add("Claimant: ")
    c.add_pt(b, titled=0.3, forms=("full", "FAM_G", "gf"))
    b.add("   DOB ", (c.dob_s(), DATE), "   ", c.loc.ssn[0], " ", (c.ssn, SSN), "\n")
    acc = c.adm - timedelta(days=c.r.randint(100, 400))
    b.add(
        "Date of accident: ",
        (c.d(acc, c.pick(("long", "en", "num"))), DATE),
        "; examined ",
        (c.d(c.adm), DATE),
        " at ",
    )
    c.add_addr(b, c.new_addr())
    b.add(".\n\nHistory: rear-end collision; the claimant's vehicle (")
    b.add(
        (c.plate, VEHICLE), ") was struck by a van, registration ", (_pat(c.r, c.pick(c.loc.plates)), VEHICLE)
    )
    b.add(". Police incident number ", (_pat(c.r, "####-##-####"), OTHER), ". Driver of the van, ")
    b.add((c.other().gf(), NAME), ", was cautioned.\n")
    b.add(f"Treated at {c.hosp()} (", c.mrn_label, " ")
    b.add((c.mrn_v(), MRN), "); GP ")
    c.add_doc(b, style="dr")
    b.add(f" records reviewed. Whiplash-associated disorder grade II (Quebec Task Force). {c.pick(LABS)}.\n")
    b.add(
        "Prognosis: symptoms expected to resolve by ",
        (c.d(acc + timedelta(days=540), c.pick(("month", "long"))), DATE),
    )
    b.add(
        ".\nStatement of truth: I confirm that I have made clear which facts are within my own knowledge.\n"
    )
    b.add("Signed ")
    c.add_doc(b, style="deg")
    b.add(", GMC ", (_pat(c.r, "#######"), LICENSE), "  ", (c.d(c.day(1, 30), "en"), DATE), "\n")


def _k_school(c: _Ctx) -> None:
    b = c.b
    if c.age >= 18:
        c.age = c.r.randint(5, 16)
        c.dob = date(c.adm.year - c.age, c.dob.month, c.dob.day)
    school = c.pick(
        (
            "Hope Valley Primary School",
            "St Brigid's National School",
            "Lycée Victor-Hugo",
            "Grundschule am Park",
            "Colegio San Patricio",
            "Grant Park Middle School",
        )
    )
    b.add(f"SCHOOL NURSE - INDIVIDUAL HEALTH CARE PLAN\n{school}\n")
    b.add("Pupil: ", (c.pt.form(c.pick(("gf", "full", "FAM_G"))), NAME))
    c.named = True
    b.add(
        f"   Year {c.r.randint(1, 11)}   DOB ",
        (c.dob_s(), DATE),
        "   Pupil no. ",
        (_pat(c.r, "UPN @##########"), OTHER),
    )
    b.add(
        "\nCondition: type 1 diabetes (", c.pick(CODES), "), on insulin pump Omnipod 5, pod/controller s/n "
    )
    b.add((_pat(c.r, "PDM-#######"), DEVICE), "; CGM Dexcom G7 (", c.pick(VERSIONS), "), transmitter ")
    b.add((_pat(c.r, "8@####"), DEVICE), ".\n")
    b.add(
        "Hypo treatment: 15 g glucose tablets, recheck in 15 min; "
        "glucagon 1 mg (Ogluo) in office. Target 4-10 mmol/L.\n"
    )
    b.add("Parents: ")
    m = c.other(sex="F")
    f = c.other(sex="M")
    b.add((m.gf(), NAME), " (", (c.new_phone(), PHONE), ", ", (c.email_for(m), EMAIL), ") and ")
    b.add((f.gf(), NAME), " (", (c.new_phone(), PHONE), ")\nHome: ")
    c.add_addr(b)
    b.add("\nDiabetes nurse: ")
    c.add_nurse(b)
    b.add(", ", c.hosp(), ", ", (c.new_phone(), PHONE), "\n")
    b.add(
        "Plan agreed ",
        (c.d(c.day(0, 10)), DATE),
        "; review ",
        (c.d(c.day(150, 200), c.pick(("month", "lmonth"))), DATE),
    )
    b.add(". Will be reviewed sooner if the regimen changes.\n")


def _k_travel(c: _Ctx) -> None:
    b = c.b
    b.add(f"TRAVEL HEALTH CLINIC - {c.hosp()} travel clinic\n")
    c.add_ids(b)
    dep = c.day(10, 40)
    b.add("Passport no. ", (_pat(c.r, c.pick(("@########", "##@@#####", "@@#######"))), OTHER), "   ")
    b.add(
        "Travelling to "
        f"{c.pick(('Tanzania and Zanzibar', 'Peru and Bolivia', 'Nepal', 'Ghana', 'Vietnam and Laos'))} "
    )
    b.add(
        "from ",
        (c.d(dep, c.pick(("long", "en", "num"))), DATE),
        " to ",
        (c.d(dep + timedelta(days=21)), DATE),
        "\n",
    )
    if c.chance(0.6):
        b.add("Travelling with partner ", (c.other().gf(), NAME), ".\n")
    b.add(f"Vaccines given: yellow fever (Stamaril {c.lot()}), typhoid Vi ({c.lot()}), hepatitis A booster. ")
    b.add("ICVP certificate no. ", (_pat(c.r, "YF########"), OTHER), ".\n")
    b.add("Malaria prophylaxis: atovaquone-proguanil 250/100 mg daily. ")
    b.add(f"{c.pick(TRIALS)} information leaflet declined.\n")
    b.add("Travel insurance: ", c.pick(c.loc.insurers), " policy ", (_pat(c.r, "TRV-########"), PLAN))
    b.add("; emergency assistance line printed on card.\nSeen by ")
    c.add_nurse(b)
    b.add("; prescription signed by ")
    c.add_doc(b, style="dr_init")
    b.add(".\n")


def _k_zoonosis(c: _Ctx) -> None:
    b = c.b
    kind = c.pick(("rabies", "psittacosis", "brucellosis", "Q fever"))
    b.add(
        f"ZOONOSIS CONTACT TRACING - public health, {kind}\nCase no. ",
        (_pat(c.r, "PH-####-#####"), OTHER),
        "\n",
    )
    exp = c.day(-20, -3)
    b.add("Index human case: ")
    c.add_pt(b, titled=0.3)
    b.add(", ")
    c.add_age(b)
    b.add(", ")
    c.add_addr(b)
    b.add(", tel ", (c.phone_v(), PHONE), "\n")
    pet = c.pick(("Bruno", "Luna", "Rocky", "Kiwi", "Max", "Bella"))
    species = "parrot" if kind == "psittacosis" else c.pick(("dog", "goat", "calf"))
    b.add(f"Animal: {species} '{pet}'")
    if species in ("dog", "goat"):
        b.add(", microchip ", (_pat(c.r, "985############"), OTHER))
    b.add("; farm holding no. ", (_pat(c.r, "##/###/####"), OTHER), "\n")
    b.add("Veterinarian: ")
    vet = c.staff()
    b.add(
        (vet.gf(), NAME),
        ", MRCVS (reg. ",
        (_pat(c.r, "#######"), LICENSE),
        "), ",
        (c.new_phone(), PHONE),
        "\n\n",
    )
    b.add("Contacts:\nname | relation | exposure | PEP start\n")
    for _ in range(c.r.randint(2, 4)):
        p = c.other()
        b.add(
            (p.form(c.pick(("gf", "FAM_G", "init_fam"))), NAME),
            f" | {c.pick(('household', 'farm worker', 'neighbour'))} | ",
        )
        b.add((c.d(exp + timedelta(days=c.r.randint(0, 3)), "short"), DATE), " | ")
        if c.chance(0.6):
            b.add((c.d(exp + timedelta(days=c.r.randint(3, 6)), "num"), DATE), "\n")
        else:
            b.add("not indicated\n")
    pep = {
        "rabies": "Rabies immunoglobulin 20 IU/kg + vaccine days 0/3/7/14",
        "psittacosis": "Doxycycline 100 mg BD for symptomatic contacts",
        "brucellosis": "Doxycycline 100 mg BD + rifampicin 600 mg OD for 3 weeks",
        "Q fever": "Doxycycline 100 mg BD if febrile; Coxiella burnetii serology",
    }[kind]
    b.add(f"{pep}, {c.lot()}. {c.pick(COMMON)}\n")
    off = c.staff()
    b.add("Officer: ", (off.gf(), NAME), " - ", (c.staff_email(off), EMAIL), "\n")


def _k_fhir(c: _Ctx) -> None:
    b = c.b
    b.add(
        "INTERFACE ERROR - ticket ",
        (_pat(c.r, "INC#######"), OTHER),
        f" (integration engine {c.pick(VERSIONS)})\n",
    )
    b.add("FHIR R4 Patient resource rejected by ", (c.url("fhir"), URL), ": duplicate identifier.\n")
    b.add("Client IP ", (c.ip(), IP), "; payload pasted below.\n\n")
    pt = c.pt
    c.named = True
    given_parts = [pt.given, pt.middle] if pt.middle else [pt.given]
    b.add('{\n  "resourceType": "Patient",\n  "id": "', (_pat(c.r, "pat-#######"), OTHER), '",\n')
    b.add('  "meta": {"lastUpdated": "', (c.d(c.day(0, 5), "iso"), DATE), f'T{c.time()}:31Z"', "},\n")
    b.add('  "identifier": [{"system": "urn:oid:1.2.276.0.76.4.8", "value": "', (c.mrn, MRN), '"}')
    if c.chance(0.6):
        b.add(', {"system": "urn:national-id", "value": "', (c.ssn, SSN), '"}')
    b.add("],\n")
    b.add('  "name": [{"use": "official", "family": "', (pt.family or pt.given, NAME), '", "given": [')
    for i, g in enumerate(given_parts):
        b.add(", " if i else "", '"', (g, NAME), '"')
    b.add("]}],\n")
    b.add(
        '  "telecom": [{"system": "phone", "value": "', (c.phone, PHONE), '"}, {"system": "email", "value": "'
    )
    b.add((c.email, EMAIL), '"}],\n')
    b.add(
        f'  "gender": "{"male" if pt.sex == "M" else "female"}",\n  "birthDate": "',
        (c.dob.isoformat(), DATE),
        '",\n',
    )
    b.add('  "address": [{"line": ["', (c.street, ADDRESS), '"], "city": "', (c.city, ADDRESS), '"')
    if c.zip:
        b.add(', "postalCode": "', (c.zip, ZIP), '"')
    b.add(f', "country": "{c.loc.country}"' + "}],\n")
    b.add('  "generalPractitioner": [{"display": "Dr ', (c.staff().gf(), NAME), '"}]\n}\n\n')
    b.add("Resolution: merged with existing record ", (_pat(c.r, c.pick(c.loc.mrn[1])), MRN), " by ")
    an = c.staff()
    b.add((an.gf(), NAME), " (", (c.staff_email(an), EMAIL), "). LOINC 2160-0 mapping unaffected.\n")


_OCR = str.maketrans({"O": "0", "l": "1", "I": "l", "o": "0", "S": "5", "B": "8"})


def _ocr(r: random.Random, s: str, rate: float = 0.12) -> str:
    out = []
    for ch in s:
        if ch in "OlIoSB" and r.random() < rate:
            out.append(ch.translate(_OCR))
        elif ch == "i" and r.random() < rate / 2:
            out.append("l")
        else:
            out.append(ch)
    return "".join(out)


def _k_ocr(c: _Ctx) -> None:
    b = c.b
    r = c.r

    def t(s: str) -> str:
        noisy = _ocr(r, s)
        if len(noisy) > 30 and r.random() < 0.4:
            k = r.randint(10, len(noisy) - 10)
            if noisy[k - 1] != " " and noisy[k] != " ":
                noisy = noisy[:k] + "-\n" + noisy[k:]
        return noisy

    def p(s: str, cat: str, rate: float = 0.08) -> tuple[str, str]:
        return (_ocr(r, s, rate).strip(), cat)

    sent = c.day(-5, 0)
    b.add(
        t("FAX  FR0M: "),
        c.pick(("Riverside Medical Practice", "Cabinet médical des Tilleuls", "Praxis am Markt")),
    )
    b.add("  FAX ", p(c.new_phone(), FAX), "  T0: ", p(c.new_phone(), FAX), "  ")
    b.add(p(c.d(sent, "num"), DATE), f" {c.time()}  P.1/{r.randint(2, 4)}\n")
    b.add("=" * 40, "\n")
    b.add(t("URGENT REFERRAL - suspected cancer pathway\n"))
    b.add(
        t("Re: Patlent "),
        p(c.pt.form(c.pick(("caps", "FAM_G", "full"))), NAME),
        t("   D0B: "),
        p(c.dob_s(), DATE),
        "\n",
    )
    c.named = True
    b.add(t(c.mrn_label + ": "), p(c.mrn_v(), MRN), t("   Tel: "), p(c.phone_v(), PHONE), "\n")
    b.add(t("Address: "))
    street, city, zp = (_ocr(r, c.street, 0.08).strip(), c.city, c.zip)
    c.add_addr(b, (street, city, zp, c.region))
    b.add("\n\n")
    problem = c.pick(("a breast lump", "haemoptysis", "iron deficiency anaemia", "a changing naevus"))
    b.add(t(f"Dear colleague, I would be grateful if you could see this patient with {problem} "))
    b.add(t("first noticed in "), p(c.d(sent - timedelta(days=40), "month"), DATE), t(f". {c.pick(LABS)}; "))
    b.add(t(f"{c.pick(DRUGS)}. Past history: {c.pick(EPONYMS)}.\n"))
    b.add(t("Lives with "), p(c.other().gf(), NAME), t(". Prefers contact via "), (c.email, EMAIL), ".\n")
    b.add(t("Yours sincerely\n"), "Dr ", p(c.staff().gf(), NAME, 0.05), "\n")
    b.add(t("GP practice code "), _pat(r, "@#####"), t(" | practice phone "), p(c.new_phone(), PHONE), "\n")
    b.add(t("This fax is confidential. If received in error please telephone the sender.\n"))


KINDS = (
    ("sbar_handover", _k_sbar),
    ("icu_flowsheet", _k_icu),
    ("operative_note", _k_operative),
    ("anaesthesia_record", _k_anaesthesia),
    ("medication_reconciliation", _k_medrec),
    ("prior_authorisation", _k_prior_auth),
    ("claim_denial_appeal", _k_appeal),
    ("portal_messages", _k_portal),
    ("sms_reminders", _k_sms),
    ("telephone_triage", _k_triage),
    ("social_work", _k_social),
    ("home_health_visit", _k_home),
    ("rehab_plan", _k_rehab),
    ("wound_photo_log", _k_wound),
    ("pathology_report", _k_path),
    ("blood_bank_crossmatch", _k_bloodbank),
    ("transplant_coordinator", _k_transplant),
    ("dialysis_run_sheet", _k_dialysis),
    ("sleep_study", _k_sleep),
    ("death_certificate_worksheet", _k_death),
    ("medico_legal_report", _k_legal),
    ("school_nurse_plan", _k_school),
    ("travel_clinic", _k_travel),
    ("zoonosis_contact_tracing", _k_zoonosis),
    ("fhir_interface_error", _k_fhir),
    ("ocr_fax_referral", _k_ocr),
)


def _make(i: int, seed: int) -> AltNote:
    rng = random.Random(f"phi-alt5:{seed}:{i}")
    loc = LOCALES[(i * 7 + seed * 3 + rng.randrange(3)) % len(LOCALES)]
    _name, fn = KINDS[(i + seed) % len(KINDS)]
    c = _Ctx(rng, loc)
    fn(c)
    return AltNote(c.b.text(), tuple(c.b.spans), c.patient())


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    """n notes, deterministic given (n, seed)."""
    return [_make(i, seed) for i in range(n)]


# --------------------------------------------------------------------------- self-checks


def _age_value(s: str) -> int:
    return int(s) if s.isdigit() else _WORD_NUMS[s.lower()]


def _mentions_patient(note: AltNote) -> bool:
    tokens = set()
    for nm in note.patient.names:
        for tok in re.split(r"[\s,]+", _fold(nm).lower()):
            if len(tok) >= 3 and tok not in ("bin", "binti"):
                tokens.add(tok)
    for s in note.spans:
        if s.category != NAME:
            continue
        words = set(re.split(r"[\s,.\-']+", _fold(note.text[s.start : s.end]).lower()))
        if tokens & words:
            return True
    return False


def _check(notes: list[AltNote]) -> Counter[str]:
    counts: Counter[str] = Counter()
    named = 0
    for k, note in enumerate(notes):
        prev_end = -1
        for s in note.spans:
            frag = note.text[s.start : s.end]
            assert frag and frag == frag.strip(), (k, s, frag)
            assert s.category in CATEGORIES, (k, s)
            assert s.start >= prev_end, (k, s, "overlap")
            prev_end = s.end
            if s.category == AGE:
                assert _age_value(frag) >= 90, (k, frag)
            counts[s.category] += 1
        named += _mentions_patient(note)
    share = named / max(1, len(notes))
    assert share >= 0.4, share
    assert generate(20, 3) == generate(20, 3)
    print(f"patient's own name present in {named}/{len(notes)} notes ({share:.0%})")
    return counts


def _show(note: AltNote, idx: int) -> None:
    print(f"===== note {idx} ({len(note.text)} chars, {len(note.spans)} spans) =====")
    print(note.text)
    print("--- spans ---")
    for s in note.spans:
        print(f"  {s.start:5d}-{s.end:5d} {s.category:12s} {note.text[s.start : s.end]!r}")
    print(f"--- patient record: {note.patient}")


def main() -> int:
    notes = generate()
    _show(notes[0], 0)
    _show(notes[7], 7)
    counts = _check(notes)
    total = sum(counts.values())
    chars = sum(len(n.text) for n in notes)
    print(f"\n{len(notes)} notes, {total} spans, {chars} characters")
    for cat in CATEGORIES:
        print(f"  {cat:12s} {counts[cat]:5d}")
    print("self-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
