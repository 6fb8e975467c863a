"""Blind PHI test set #6: synthetic clinical-adjacent documents from under-represented places.

Written blind: the author of this file never saw the scrubber under test, its tests, its docs or
earlier results.  Every gold span is recorded while the text is being built (a builder appends plain
text and (phi_text, category) parts and records offsets); nothing is found by searching afterwards.

Note kinds (18+): bed-management / patient-flow board export (tab separated), infection-control
outbreak line list (semicolon CSV), incident (Datix-style) report, pharmacy controlled-drug register,
mortuary release form, chaplaincy / spiritual-care visit, interpreter booking log, audiology report
(audiogram table + hearing-aid serials), ophthalmology clinic (visual-acuity table, IOL implant),
prescription (Rx) text with prescriber block, refugee health screening, detention / prison reception
health screen, aviation & diving medical certificate, research biobank consent log, voicemail
transcripts (numbers spoken as words), chatbot symptom-checker log, wearable / telemetry alarm export,
calendar (ICS-like) appointment export, CDA-like XML fragment, letter with address block / envelope
label, care-home admission checklist (odd key-value labels), insurance medical examination,
clinical-coding query, discharge medication labels, NICU transfer note, paediatric safeguarding
referral, orthotics / podiatry fitting (markdown headers and bullets).

Places: Austria, Switzerland (de/fr/it), Belgium, Luxembourg, Iceland, Estonia, Lithuania, Romania,
Bulgaria, Croatia, Serbia, Bosnia and Herzegovina, Albania, Georgia, Armenia, Kazakhstan, Uzbekistan,
Mongolia, Nepal, Myanmar, Cambodia, Taiwan, Hong Kong, Singapore, Papua New Guinea, Fiji, Tonga,
Saudi Arabia, Jordan, Lebanon, Iraq, Sudan, Somalia, Tanzania, Uganda, Rwanda, DR Congo, Cameroon,
Senegal, Côte d'Ivoire, Madagascar, Zimbabwe, Zambia, Mozambique, Angola, Cuba, Dominican Republic,
Haiti, Puerto Rico, Venezuela, Ecuador, Bolivia, Paraguay, Uruguay, Guatemala, Honduras, Navajo
Nation (US tribal), Alaska, Greenland.

Span conventions (project / HIPAA Safe Harbor):
- Titles (Dr, Mrs, Prof, Sister, Ratu, Daw, U, Sheikh ...) and degrees (MD, RN ...) are outside NAME
  spans; "FAMILY, Given" is one span.  Any person's name is PHI (patient, relatives, clinicians,
  staff, witnesses, interpreters, chaplains, funeral directors).
- Every date is DATE in any format, including partial dates, a month named alone, compact dates
  (20240314), ROC / Buddhist-era / Bikram-Sambat / Hijri dates and drug expiry dates; bare years,
  weekdays and relative dates are not PHI; a time next to a date is outside the span.
- Ages below 90 are not PHI; for ages 90+ only the number is AGE_OVER_89 (also spelled out).
- Each street line, each locality and the postal code are separate spans (ADDRESS, ADDRESS, ZIP);
  states, provinces, cantons, regions, countries are not PHI.  Any street address is PHI whoever it
  belongs to (hospital letterheads included).  A PO box / "BP 1234" line counts as the street line.
- Pagers / bleeps / extensions are PHONE; fax numbers FAX.  SSN = national identity numbers of any
  country.  HEALTH_PLAN = insurance / health-cover member numbers.  MRN = hospital / record numbers.
  ACCOUNT = billing / encounter / case ("Fallzahl") / claim numbers.  LICENSE = driving licences and
  professional registrations (incl. DEA, GLN, INAMI, pilot licences).  DEVICE_ID = device / implant
  serials and whole UDI strings.  VEHICLE_ID = plates and VINs.  OTHER_ID = accession, specimen,
  sample, passport, employee, service, inmate, UNHCR case, incident, booking and prescription
  numbers, NPIs.
Decisions of this file beyond the list:
- Calendar-era markers ("AH", "BE", "BS", "民國") stay outside the DATE span; the date itself is in.
- A telephone number spoken as words in a voicemail is one PHONE span from its first word ("plus" or
  a digit word) to its last digit word.
- Interpreter / appointment booking references and prescription (Rx) numbers are OTHER_ID;
  encounter, billing, dispensing-claim and case numbers are ACCOUNT.
- Hospital names containing a city ("Landeskrankenhaus Innsbruck") are not PHI; a locality is only
  written where it is part of an address or a place of residence and then it is ADDRESS.
- Public numbers (112, 144, 911, 988, poison lines), lot / REF / catalogue numbers, registry ids
  (NCT, ISRCTN), ICD / CPT / LOINC / SNOMED codes, firmware versions and ward names are not PHI.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

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


class Builder:
    """Appends plain text and PHI parts, recording exact offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[AltSpan] = []
        self.pos = 0

    def t(self, s: str) -> Builder:
        self.parts.append(s)
        self.pos += len(s)
        return self

    def p(self, s: str, cat: str) -> Builder:
        if cat not in CATEGORIES:
            raise ValueError(cat)
        if not s or s != s.strip():
            raise ValueError(f"bad span text {s!r}")
        self.spans.append(AltSpan(self.pos, self.pos + len(s), cat))
        return self.t(s)

    def text(self) -> str:
        return "".join(self.parts)


def fill(r: random.Random, pat: str) -> str:
    """'#' -> digit, '@' -> capital letter, '%' -> digit 1-9, '&' -> letter or digit, '~' -> '#'."""
    out = []
    for ch in pat:
        if ch == "#":
            out.append(str(r.randrange(10)))
        elif ch == "%":
            out.append(str(r.randrange(1, 10)))
        elif ch == "@":
            out.append(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
        elif ch == "~":
            out.append("#")
        elif ch == "&":
            out.append(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
        else:
            out.append(ch)
    return "".join(out)


def strip_accents(s: str) -> str:
    s = s.replace("ð", "d").replace("Ð", "D").replace("þ", "th").replace("Þ", "Th").replace("đ", "d")
    s = s.replace("Đ", "D").replace("ø", "o").replace("æ", "ae").replace("ł", "l").replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def norm(s: str) -> str:
    return strip_accents(s).lower()


EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS = {
    "de_at": [
        "Jänner",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "is": [
        "janúar",
        "febrúar",
        "mars",
        "apríl",
        "maí",
        "júní",
        "júlí",
        "ágúst",
        "september",
        "október",
        "nóvember",
        "desember",
    ],
    "et": [
        "jaanuar",
        "veebruar",
        "märts",
        "aprill",
        "mai",
        "juuni",
        "juuli",
        "august",
        "september",
        "oktoober",
        "november",
        "detsember",
    ],
    "lt": [
        "sausio",
        "vasario",
        "kovo",
        "balandžio",
        "gegužės",
        "birželio",
        "liepos",
        "rugpjūčio",
        "rugsėjo",
        "spalio",
        "lapkričio",
        "gruodžio",
    ],
    "ro": [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
    "hr": [
        "siječnja",
        "veljače",
        "ožujka",
        "travnja",
        "svibnja",
        "lipnja",
        "srpnja",
        "kolovoza",
        "rujna",
        "listopada",
        "studenoga",
        "prosinca",
    ],
    "sr": [
        "januar",
        "februar",
        "mart",
        "april",
        "maj",
        "jun",
        "jul",
        "avgust",
        "septembar",
        "oktobar",
        "novembar",
        "decembar",
    ],
    "sq": [
        "janar",
        "shkurt",
        "mars",
        "prill",
        "maj",
        "qershor",
        "korrik",
        "gusht",
        "shtator",
        "tetor",
        "nëntor",
        "dhjetor",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    "da": [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "sw": [
        "Januari",
        "Februari",
        "Machi",
        "Aprili",
        "Mei",
        "Juni",
        "Julai",
        "Agosti",
        "Septemba",
        "Oktoba",
        "Novemba",
        "Desemba",
    ],
    "mg": [
        "Janoary",
        "Febroary",
        "Martsa",
        "Aprily",
        "Mey",
        "Jona",
        "Jolay",
        "Aogositra",
        "Septambra",
        "Oktobra",
        "Novambra",
        "Desambra",
    ],
    "ht": [
        "janvye",
        "fevriye",
        "mas",
        "avril",
        "me",
        "jen",
        "jiyè",
        "out",
        "septanm",
        "oktòb",
        "novanm",
        "desanm",
    ],
}
HIJRI_MONTHS = (
    "Muharram",
    "Safar",
    "Rabi' al-Awwal",
    "Rabi' al-Thani",
    "Jumada al-Awwal",
    "Jumada al-Thani",
    "Rajab",
    "Sha'ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qi'dah",
    "Dhu al-Hijjah",
)
NEPALI_MONTHS = [
    "Baishakh",
    "Jestha",
    "Asar",
    "Shrawan",
    "Bhadra",
    "Asoj",
    "Kartik",
    "Mangsir",
    "Poush",
    "Magh",
    "Falgun",
    "Chaitra",
]


def to_hijri(d: dt.date) -> tuple[int, int, int]:
    """Tabular Islamic calendar (integer algorithm); good to a day or two."""
    jd = d.toordinal() + 1721425
    ll = jd - 1948440 + 10632
    n = (ll - 1) // 10631
    ll = ll - 10631 * n + 354
    j = ((10985 - ll) // 5316) * ((50 * ll) // 17719) + (ll // 5670) * ((43 * ll) // 15238)
    ll = ll - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    m = (24 * ll) // 709
    day = ll - (709 * m) // 24
    y = 30 * n + j - 30
    return y, m, day


def to_bs(d: dt.date) -> tuple[int, int, int]:
    """Approximate Bikram Sambat date (new year ~14 April)."""
    start = dt.date(d.year, 4, 14)
    if d >= start:
        y, delta = d.year + 57, (d - start).days
    else:
        y, delta = d.year + 56, (d - dt.date(d.year - 1, 4, 14)).days
    m = min(12, int(delta // 30.5) + 1)
    day = min(32, int(delta - (m - 1) * 30.5) + 1)
    return y, m, day


UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
NINETIES = ["ninety"] + [f"ninety-{u}" for u in UNITS[1:]]


def age_words(n: int) -> str:
    if 90 <= n < 100:
        return NINETIES[n - 90]
    if n == 100:
        return "one hundred"
    return "one hundred and " + UNITS[n - 100] if n < 110 else str(n)


DIGIT_WORDS = {
    "0": ("zero", "oh"),
    "1": ("one",),
    "2": ("two",),
    "3": ("three",),
    "4": ("four",),
    "5": ("five",),
    "6": ("six",),
    "7": ("seven",),
    "8": ("eight",),
    "9": ("nine",),
}


def spoken_number(r: random.Random, num: str) -> str:
    groups = [g for g in num.replace("+", " plus ").replace("-", " ").replace("(", " ").split() if g]
    out = []
    for g in groups:
        if g == "plus":
            out.append("plus")
            continue
        g = g.replace(")", "")
        words = []
        i = 0
        while i < len(g):
            if i + 1 < len(g) and g[i] == g[i + 1] and r.random() < 0.3:
                words.append("double " + DIGIT_WORDS[g[i]][0])
                i += 2
                continue
            words.append(r.choice(DIGIT_WORDS[g[i]]) if g[i] in DIGIT_WORDS else g[i])
            i += 1
        out.append(" ".join(words))
    return ", ".join(out)


@dataclass(frozen=True)
class Locale:
    key: str
    country: str
    regions: tuple[str, ...]
    style: str
    gm: tuple[str, ...]
    gf: tuple[str, ...]
    sur: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[str, ...]
    postal: str
    phones: tuple[str, ...]
    nid: tuple[str, str]
    hp: tuple[str, str]
    mrn: tuple[tuple[str, str], ...]
    plates: tuple[str, ...]
    dl: tuple[str, str]
    reg: tuple[str, str]
    hosp: tuple[str, ...]
    months: str = "en"
    order: str = "dmy"
    sep: str = "/"
    cal: str = ""
    doms: tuple[str, ...] = ("gmail.com", "yahoo.com", "outlook.com")
    titles: tuple[str, str] = ("Mr", "Mrs")
    dob_lbl: str = "DOB"
    postal_after: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _s(x: str) -> tuple[str, ...]:
    sep = ";" if ";" in x else ","
    return tuple(v.strip() for v in x.split(sep) if v.strip())


LOCALES: tuple[Locale, ...] = (
    Locale(
        "at",
        "Austria",
        _s("Tirol, Steiermark, Wien, Kärnten, Oberösterreich"),
        "west",
        _s("Lukas, Florian, Johann, Maximilian, Wolfgang, Andreas, Jakob"),
        _s("Anna, Theresia, Hannelore, Lena, Magdalena, Sophie, Ursula"),
        _s("Gruber, Huber, Bauer, Wagner, Pichler, Moser, Hofer, Steiner, Leitner, Egger"),
        _s("Mariahilfer Straße #, Anichstraße #, Herrengasse #/#, Linzer Gasse #, Kaiserfeldgasse #"),
        _s("Wien, Innsbruck, Graz, Villach, Wels, Kufstein, Hallein"),
        "%###",
        _s("+43 1 ### ## ##, 0664 ### ## ##, 0512/### ###, +43 660 #######, 0316 ### ###"),
        ("SVNR", "#### {ddmmyy}"),
        ("Zusatzversicherung Polizzen-Nr.", "###-######-#"),
        (("PID", "########"), ("Pat.-Nr.", "%#######")),
        _s("W-#####@, I-###@@, G-##@@@, KU-###@"),
        ("Führerschein-Nr.", "########"),
        ("ÖÄK-Arztnummer", "#####-##"),
        _s(
            "Landeskrankenhaus Innsbruck, Klinik Favoriten, LKH-Univ. Klinikum Graz, "
            "Klinikum Wels-Grieskirchen"
        ),
        months="de_at",
        sep=".",
        doms=_s("gmx.at, aon.at, a1.net"),
        titles=("Herr", "Frau"),
        dob_lbl="Geb.-Dat.",
    ),
    Locale(
        "ch",
        "Switzerland",
        _s("Kanton Zürich, Canton de Vaud, Cantone Ticino, Kanton Bern"),
        "west",
        _s("Reto, Beat, Urs, Luca, Jean-Luc, Matteo, Dario"),
        _s("Vreni, Ursula, Chiara, Élodie, Mirjam, Giulia, Nadine"),
        _s("Müller, Meier, Brunner, Bianchi, Favre, Rochat, Keller, Fässler, Zbinden"),
        _s("Bahnhofstrasse #, Avenue de la Gare #, Via Nassa #, Seefeldstrasse #, Chemin des Vignes #"),
        _s("Zürich, Lausanne, Lugano, Winterthur, Bellinzona, Thun, Yverdon-les-Bains"),
        "%###",
        _s("+41 44 ### ## ##, 079 ### ## ##, 021 ### ## ##, +41 91 ### ## ##"),
        ("AHV-Nr.", "756.####.####.##"),
        ("Versichertenkarte", "80756 ##########"),
        (("Patienten-Nr.", "%#######"), ("N° dossier", "%######-#"), ("Nr. paziente", "%#######")),
        _s("ZH ######, VD #####, TI ######, BE ######"),
        ("Führerausweis", "########"),
        ("GLN", "7601000######"),
        _s("Universitätsspital Zürich, CHUV, Ospedale Regionale di Lugano, Inselspital"),
        months="de",
        sep=".",
        doms=_s("bluewin.ch, sunrise.ch, gmx.ch"),
        titles=("Herr", "Frau"),
        dob_lbl="Geburtsdatum / date de naissance",
    ),
    Locale(
        "be",
        "Belgium",
        _s("Vlaanderen, Wallonie, Bruxelles-Capitale"),
        "west",
        _s("Pieter, Wouter, Jean-Marc, Lucas, Thibault, Koen"),
        _s("Lies, Marie-Claire, Annelies, Nathalie, Griet, Sofie"),
        _s("Peeters, Janssens, Maes, Dubois, Lambert, Van den Broeck, De Smet, Claes"),
        _s("Rue de la Loi #, Meir #, Chaussée de Waterloo #, Kerkstraat #, Rue Haute #"),
        _s("Bruxelles, Antwerpen, Liège, Gent, Namur, Leuven, Charleroi"),
        "%###",
        _s("+32 2 ### ## ##, 0475 ## ## ##, 04 ### ## ##, +32 486 ## ## ##"),
        ("NISS / INSZ", "{yy}.{mm}.{dd}-###.##"),
        ("Mutualité n° affiliation", "###-#######-##"),
        (("N° patient", "%########"), ("Patiëntnummer", "%#######")),
        _s("1-@@@-###, 2-@@@-###"),
        ("Permis de conduire", "##########"),
        ("INAMI/RIZIV", "1-#####-##-###"),
        _s("Cliniques universitaires Saint-Luc, UZ Leuven, CHU de Liège, AZ Sint-Jan"),
        months="fr",
        doms=_s("skynet.be, telenet.be, proximus.be"),
        titles=("M.", "Mme"),
        dob_lbl="Date de naissance",
    ),
    Locale(
        "lu",
        "Luxembourg",
        _s("Canton d'Esch-sur-Alzette, Canton de Luxembourg"),
        "west",
        _s("Gilles, Marc, Tom, Jos, Ben"),
        _s("Claudine, Anne, Martine, Lis, Jill"),
        _s("Schmit, Muller, Weber, Hoffmann, Wagner, Thill, Reuter"),
        _s("#, rue de Hollerich; #, route d'Arlon; #, Grand-Rue"),
        _s("Luxembourg, Esch-sur-Alzette, Differdange, Ettelbruck"),
        "L-%###",
        _s("+352 ## ## ## ##, +352 621 ### ###, 691 ### ###"),
        ("Matricule", "{yyyymmdd}#####"),
        ("CNS n°", "{yyyymmdd}#####"),
        (("N° patient CHL", "%#######"),),
        _s("@@ ####, ####"),
        ("Permis", "######"),
        ("Code médecin", "#######-##"),
        _s("Centre Hospitalier de Luxembourg, CHEM, Hôpitaux Robert Schuman"),
        months="fr",
        sep="/",
        doms=_s("pt.lu, internet.lu"),
        titles=("M.", "Mme"),
        dob_lbl="Date de naissance",
        postal_after=False,
    ),
    Locale(
        "is",
        "Iceland",
        _s("Höfuðborgarsvæðið, Norðurland eystra"),
        "patronym_is",
        _s("Jón, Guðmundur, Sigurður, Einar, Ólafur, Kári"),
        _s("Guðrún, Sigríður, Kristín, Helga, Katrín, Þórdís"),
        _s("Jóns, Guðmundar, Sigurðar, Einars, Ólafs, Péturs, Magnúsar"),
        _s("Laugavegur #, Hringbraut #, Skólavörðustígur #, Þingholtsstræti #"),
        _s("Reykjavík, Akureyri, Kópavogur, Hafnarfjörður, Selfoss"),
        "%##",
        _s("+354 ### ####, ### ####, 8## ####"),
        ("Kennitala", "{ddmmyy}-####"),
        ("Sjúkratryggingar nr.", "{ddmmyy}-####"),
        (("Sjúkraskrárnr.", "%######"),),
        _s("@@ ###, @@@##"),
        ("Ökuskírteini", "########"),
        ("Starfsleyfi", "L-####"),
        _s("Landspítali, Sjúkrahúsið á Akureyri"),
        months="is",
        sep=".",
        doms=_s("simnet.is, visir.is"),
        titles=("", ""),
        dob_lbl="Fæðingardagur",
    ),
    Locale(
        "ee",
        "Estonia",
        _s("Harju maakond, Tartu maakond"),
        "west",
        _s("Jaan, Rein, Andres, Tõnu, Märt, Kalev"),
        _s("Kadri, Liis, Triin, Mari-Liis, Ülle, Kersti"),
        _s("Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves, Pärn"),
        _s("Narva mnt #, Pärnu mnt #, Tartu mnt #-#, Riia #"),
        _s("Tallinn, Tartu, Pärnu, Narva, Viljandi"),
        "#####",
        _s("+372 5### ####, 5### ####, +372 6## ####"),
        ("Isikukood", "%{yymmdd}####"),
        ("Haigekassa kindlustus", "EE####-#####"),
        (("Haigusloo nr", "%#######"),),
        _s("### @@@"),
        ("Juhiluba", "@@######"),
        ("Tervishoiutöötaja reg", "D#####"),
        _s("Tartu Ülikooli Kliinikum, Põhja-Eesti Regionaalhaigla"),
        months="et",
        sep=".",
        doms=_s("mail.ee, hot.ee"),
        titles=("hr", "pr"),
        dob_lbl="Sünniaeg",
    ),
    Locale(
        "lt",
        "Lithuania",
        _s("Vilniaus apskritis, Kauno apskritis"),
        "west",
        _s("Jonas, Mindaugas, Tomas, Darius, Vytautas"),
        _s("Rūta, Eglė, Ieva, Aušra, Gintarė"),
        _s(
            "Kazlauskas/Kazlauskienė, Petrauskas/Petrauskienė, Jankauskas/Jankauskaitė, "
            "Žukauskas/Žukauskienė, Vasiliauskas/Vasiliauskaitė"
        ),
        _s("Gedimino pr. #, Laisvės al. #, Savanorių pr. #-#"),
        _s("Vilnius, Kaunas, Klaipėda, Šiauliai, Panevėžys"),
        "LT-#####",
        _s("+370 6## #####, 8 6## #####, (8 5) ### ####"),
        ("Asmens kodas", "%{yymmdd}####"),
        ("PSD draudimo Nr.", "LT########"),
        (("Ligos istorijos Nr.", "%######/##"),),
        _s("@@@ ###"),
        ("Vairuotojo pažymėjimas", "########"),
        ("Licencijos Nr.", "MPL-#####"),
        _s("Vilniaus universiteto ligoninė Santaros klinikos, Kauno klinikos"),
        months="lt",
        order="ymd",
        sep="-",
        doms=_s("gmail.com, one.lt"),
        titles=("p.", "p."),
        dob_lbl="Gimimo data",
    ),
    Locale(
        "ro",
        "Romania",
        _s("jud. Cluj, jud. Iași, București, jud. Timiș"),
        "west",
        _s("Andrei, Ion, Mihai, Bogdan, Gheorghe, Radu"),
        _s("Ioana, Elena, Maria, Andreea, Mihaela, Florica"),
        _s("Popescu, Ionescu, Popa, Dumitrescu, Stan, Munteanu, Țurcanu, Constantinescu"),
        _s("Str. Mihai Eminescu nr. #; Bd. Unirii nr. #, bl. #, ap. ##; Calea Victoriei nr. #"),
        _s("Cluj-Napoca, Iași, București, Timișoara, Brașov, Oradea"),
        "%#####",
        _s("+40 7## ### ###, 07## ### ###, 021 ### ####, 0264 ### ###"),
        ("CNP", "%{yymmdd}######"),
        ("Nr. asigurat CNAS", "{cnp}"),
        (("FO nr.", "%#####/####"), ("Cod pacient", "%#######")),
        _s("B ### @@@, CJ ## @@@, IS ## @@@"),
        ("Permis conducere", "#########"),
        ("Cod parafă", "%#####"),
        _s("Spitalul Clinic Județean de Urgență Cluj, Institutul Regional de Oncologie Iași"),
        months="ro",
        sep=".",
        doms=_s("yahoo.ro, gmail.com"),
        titles=("dl.", "dna."),
        dob_lbl="Data nașterii",
    ),
    Locale(
        "bg",
        "Bulgaria",
        _s("Sofia-grad, Plovdiv oblast, Varna oblast"),
        "west",
        _s("Ivan, Georgi, Dimitar, Stoyan, Hristo"),
        _s("Maria, Elena, Desislava, Tsvetanka, Radka"),
        _s("Ivanov/Ivanova, Georgiev/Georgieva, Dimitrov/Dimitrova, Petrov/Petrova, Stoyanov/Stoyanova"),
        _s("ul. Vitosha #; bul. Tsar Osvoboditel #; zh.k. Mladost #, bl. ###; ul. Rakovski #"),
        _s("Sofia, Plovdiv, Varna, Burgas, Ruse"),
        "%###",
        _s("+359 88 ### ####, 0888 ### ###, 02 ### ####"),
        ("EGN", "{yymmdd}####"),
        ("NZOK", "{egn}"),
        (("IZ No", "%####/####"),),
        _s("CA #### @@, PB #### @@, B #### @@"),
        ("Shofyorska knizhka", "#########"),
        ("UIN", "##########"),
        _s("UMBAL Aleksandrovska, UMBAL Sveti Georgi"),
        sep=".",
        doms=_s("abv.bg, mail.bg"),
        dob_lbl="Data na razhdane",
    ),
    Locale(
        "hr",
        "Croatia",
        _s("Grad Zagreb, Splitsko-dalmatinska županija"),
        "west",
        _s("Ivan, Luka, Marko, Tomislav, Krešimir, Đuro"),
        _s("Ana, Ivana, Mirjana, Snježana, Željka"),
        _s("Horvat, Kovačević, Babić, Marić, Jurić, Šimić, Knežević, Đurić"),
        _s("Ilica #, Vukovarska ulica #, Ulica kralja Zvonimira #, Put Firula #"),
        _s("Zagreb, Split, Rijeka, Osijek, Zadar"),
        "%####",
        _s("+385 91 ### ####, 091 ### ####, 01 ### ####, +385 21 ### ###"),
        ("OIB", "%##########"),
        ("MBO HZZO", "#########"),
        (("Matični broj", "%######"),),
        _s("ZG ####-@@, ST ###-@, RI ####-@@"),
        ("Vozačka dozvola", "########"),
        ("Licenca HLK", "######"),
        _s("KBC Zagreb, KBC Split, KB Dubrava"),
        months="hr",
        sep=".",
        doms=_s("net.hr, gmail.com, t-com.hr"),
        dob_lbl="Datum rođenja",
    ),
    Locale(
        "rs",
        "Serbia",
        _s("Beograd, Vojvodina"),
        "west",
        _s("Nikola, Stefan, Milan, Dragan, Miloš"),
        _s("Jelena, Milica, Dragana, Snežana, Jovana"),
        _s("Jovanović, Petrović, Nikolić, Đorđević, Ilić, Stojanović, Marković"),
        _s("Bulevar kralja Aleksandra #, Knez Mihailova #, Ulica Nemanjina #"),
        _s("Beograd, Novi Sad, Niš, Kragujevac, Zemun"),
        "%####",
        _s("+381 64 ### ####, 064 ### ####, 011 ###-####"),
        ("JMBG", "{ddmm}{yyy}7#####"),
        ("LBO", "###########"),
        (("Br. istorije bolesti", "%#####/##"),),
        _s("BG ###-@@, NS ###-@@"),
        ("Vozačka dozvola", "#########"),
        ("Licenca LKS", "######"),
        _s("Univerzitetski klinički centar Srbije, KC Vojvodine"),
        months="sr",
        sep=".",
        doms=_s("gmail.com, eunet.rs"),
        dob_lbl="Datum rođenja",
    ),
    Locale(
        "ba",
        "Bosnia and Herzegovina",
        _s("Kanton Sarajevo, Republika Srpska"),
        "west",
        _s("Emir, Adnan, Haris, Mirza, Dženan"),
        _s("Amra, Lejla, Azra, Selma, Emina"),
        _s("Hodžić, Hadžić, Begović, Delić, Kovač, Mehmedović, Softić"),
        _s("Ferhadija #, Titova #, Zmaja od Bosne #, Maršala Tita #"),
        _s("Sarajevo, Tuzla, Mostar, Zenica, Banja Luka"),
        "7####",
        _s("+387 61 ### ###, 061 ### ###, 033 ### ###"),
        ("JMBG", "{ddmm}{yyy}17####"),
        ("Broj zdravstvenog osiguranja", "##########"),
        (("Matični br.", "%#####"),),
        _s("@##-@-###"),
        ("Vozačka dozvola", "%########"),
        ("Licenca", "######"),
        _s("KCUS Sarajevo, UKC Tuzla, SKB Mostar"),
        months="sr",
        sep=".",
        doms=_s("bih.net.ba, gmail.com"),
        dob_lbl="Datum rođenja",
    ),
    Locale(
        "al",
        "Albania",
        _s("Qarku i Tiranës, Qarku i Shkodrës"),
        "west",
        _s("Arben, Ilir, Gentian, Besnik, Dritan"),
        _s("Elira, Blerta, Mirela, Drita, Anisa"),
        _s("Hoxha, Shehu, Leka, Gjoka, Dervishi, Krasniqi, Çela"),
        _s("Rruga e Durrësit, Nr. #; Bulevardi Zogu I, Nr. #; Rruga Myslym Shyri #"),
        _s("Tiranë, Shkodër, Durrës, Vlorë, Korçë"),
        "%###",
        _s("+355 69 ### ####, 069 ### ####, 04 ### ####"),
        ("Nr. personal", "@########@"),
        ("Nr. sigurimi FSDKSH", "@########@"),
        (("Nr. kartele", "%####/##"),),
        _s("AA ###@@, TR ####@"),
        ("Leje drejtimi", "@#######@"),
        ("Licenca e Urdhrit të Mjekëve", "####"),
        _s("QSUT Nënë Tereza, Spitali Rajonal Shkodër"),
        months="sq",
        sep=".",
        doms=_s("gmail.com, yahoo.com"),
        dob_lbl="Datëlindja",
    ),
    Locale(
        "ge",
        "Georgia",
        _s("Imereti, Kakheti, Adjara"),
        "west",
        _s("Giorgi, Levan, Davit, Irakli, Zurab"),
        _s("Nino, Tamar, Ketevan, Mariam, Eka"),
        _s("Beridze, Kapanadze, Gelashvili, Maisuradze, Tsiklauri, Lomidze, Japaridze"),
        _s("Rustaveli Ave. #, Chavchavadze Ave. #, Pekini St. #, Tamar Mepe St. #"),
        _s("Tbilisi, Kutaisi, Batumi, Rustavi, Telavi"),
        "%###",
        _s("+995 5## ## ## ##, 5## ### ###, (032) 2 ## ## ##"),
        ("Personal No.", "%##########"),
        ("Universal Healthcare ID", "{nid}"),
        (("Case history No.", "%####-##"),),
        _s("@@-###-@@"),
        ("Driving licence", "%########"),
        ("State licence No.", "##-######"),
        _s("Tbilisi State Medical University First University Clinic, Batumi Republican Hospital"),
        doms=_s("gmail.com, mail.ru"),
        dob_lbl="Date of birth",
    ),
    Locale(
        "am",
        "Armenia",
        _s("Kotayk, Lori, Shirak"),
        "west",
        _s("Armen, Tigran, Gevorg, Aram, Hayk"),
        _s("Anahit, Lusine, Gayane, Mariam, Siranush"),
        _s("Petrosyan, Hovhannisyan, Sargsyan, Grigoryan, Harutyunyan, Ter-Petrosyan"),
        _s("Mashtots Ave. #, Abovyan St. #, Komitas Ave. #, Tigran Mets Ave. #"),
        _s("Yerevan, Gyumri, Vanadzor, Abovyan"),
        "%###",
        _s("+374 ## ######, 0## ## ## ##, +374 10 ## ## ##"),
        ("Social card No.", "##########"),
        ("Health insurance policy", "AM-########"),
        (("Medical record No.", "%#####"),),
        _s("##@@###"),
        ("Driving licence", "@@######"),
        ("Licence No.", "MD-#####"),
        _s("Erebouni Medical Center, Izmirlian Medical Center"),
        sep=".",
        doms=_s("mail.ru, gmail.com"),
    ),
    Locale(
        "kz",
        "Kazakhstan",
        _s("Almaty region, Karaganda region, Turkistan region"),
        "patronym_ru",
        _s("Nursultan, Yerlan, Daulet, Askar, Serik"),
        _s("Aigerim, Dana, Gulnara, Saule, Zhanna"),
        _s(
            "Akhmetov/Akhmetova, Nurlanov/Nurlanova, Seitkali/Seitkali, Zhaksybekov/Zhaksybekova, "
            "Omarov/Omarova"
        ),
        _s("Abay Ave. #, kv. ##; Dostyk St. #; mkr. Samal-#, d. ##; Tole Bi St. #"),
        _s("Almaty, Astana, Shymkent, Karaganda, Aktobe"),
        "%#####",
        _s("+7 701 ### ####, 8 (727) ###-##-##, 8 777 ### ## ##"),
        ("IIN", "{yymmdd}######"),
        ("OSMS policy", "{iin}"),
        (("Istoriya bolezni No.", "%####-##"),),
        _s("### @@@ ##"),
        ("Driver licence", "@@ ######"),
        ("Licence", "KZ##VEG########"),
        _s("City Clinical Hospital No. 7 Almaty, National Scientific Medical Center Astana"),
        sep=".",
        doms=_s("mail.ru, mail.kz, yandex.kz"),
        dob_lbl="Data rozhdeniya",
    ),
    Locale(
        "uz",
        "Uzbekistan",
        _s("Tashkent region, Samarkand region, Fergana region"),
        "patronym_ru",
        _s("Rustam, Bekzod, Sardor, Jasur, Otabek"),
        _s("Dilnoza, Gulnora, Nodira, Malika, Shahnoza"),
        _s("Karimov/Karimova, Rahimov/Rahimova, Yusupov/Yusupova, Tursunov/Tursunova"),
        _s("Amir Temur ko'chasi #; Navoiy ko'chasi #; Chilonzor #-kvartal, ##-uy"),
        _s("Tashkent, Samarkand, Bukhara, Namangan, Fergana"),
        "1#####",
        _s("+998 90 ### ## ##, +998 71 ### ## ##, 93 ### ## ##"),
        ("PINFL", "%{ddmmyy}########"),
        ("Insurance policy", "UZ-######"),
        (("Case No.", "%####"),),
        _s("01 @ ### @@, 30 ### @@@"),
        ("Haydovchilik guvohnomasi", "@@ #######"),
        ("Licence", "######"),
        _s("Republican Specialized Scientific-Practical Medical Center, Tashkent Medical Academy Clinic"),
        sep=".",
        doms=_s("mail.ru, gmail.com"),
        dob_lbl="Tug'ilgan sana",
    ),
    Locale(
        "mn",
        "Mongolia",
        _s("Töv aimag, Darkhan-Uul, Khövsgöl"),
        "mongol",
        _s("Batbayar, Ganbold, Temuulen, Erdene, Bat-Erdene"),
        _s("Enkhjargal, Oyunchimeg, Tsetsegmaa, Solongo, Nomin"),
        _s("Dorj, Bold, Sükh, Tömör, Ganzorig, Batsaikhan"),
        _s("Peace Avenue #; Seoul Street #; ##th khoroo, building ##; Chinggis Avenue #"),
        _s("Ulaanbaatar, Darkhan, Erdenet, Mörön, Khovd"),
        "1####",
        _s("+976 99## ####, 88## ####, 7011-####"),
        ("Register No.", "УБ{yymmdd}##"),
        ("Health insurance book", "ЭМД ######"),
        (("Ögch No.", "%#####"),),
        _s("####УБ@"),
        ("Driver licence", "@@######"),
        ("Licence", "MN-######"),
        _s("First Central Hospital of Mongolia, Shastin Central Hospital"),
        order="ymd",
        sep=".",
        doms=_s("gmail.com, yahoo.com"),
    ),
    Locale(
        "np",
        "Nepal",
        _s("Bagmati Province, Gandaki Province, Koshi Province"),
        "west",
        _s("Ram Bahadur, Bishnu, Pasang, Suman, Dil Bahadur"),
        _s("Sita Kumari, Gita, Sabina, Pemba, Laxmi"),
        _s("Shrestha, Gurung, Tamang, Sherpa, Rai, Thapa Magar, KC"),
        _s("Ward No. #, Baneshwor; Tole #, Lakeside; House ###, Jhamsikhel Marg"),
        _s("Kathmandu, Pokhara, Lalitpur, Bhaktapur, Dharan"),
        "44###",
        _s("+977 98########, 98########, 01-4######, 061-#####"),
        ("Citizenship No.", "##-##-##-#####"),
        ("HIB insurance No.", "%#########"),
        (("Hospital No.", "%#####"), ("Reg. No.", "##-%####")),
        _s("Ba # Pa ####, Ga # Cha ####"),
        ("Driving licence", "##-##-########"),
        ("NMC No.", "%####"),
        _s("Tribhuvan University Teaching Hospital, Manipal Teaching Hospital, Dhulikhel Hospital"),
        order="ymd",
        sep="-",
        cal="bs",
        doms=_s("gmail.com, wlink.com.np"),
    ),
    Locale(
        "mm",
        "Myanmar",
        _s("Yangon Region, Mandalay Region, Shan State"),
        "mononym",
        _s("Aung Kyaw Moe, Zaw Min Htut, Kyaw Zin, Thant Zin, Htet Aung"),
        _s("Aye Aye Thant, Thiri Khin, Su Myat Noe, Khin Mar Win, Nilar"),
        _s(""),
        _s("No. ##, Bogyoke Road; No. ###, Pyay Road; No. #, ##th Street"),
        _s("Yangon, Mandalay, Taunggyi, Mawlamyine, Bago"),
        "1####",
        _s("+95 9 ### ### ###, 09 #########, 01 ######"),
        ("NRC", "12/LaMaNa(N)######"),
        ("SSB card No.", "######"),
        (("Reg. No.", "%#####"),),
        _s("#@/####, YGN #@-####"),
        ("Driving licence", "@/#####/##"),
        ("SaMa No.", "#####"),
        _s("Yangon General Hospital, Mandalay General Hospital"),
        doms=_s("gmail.com"),
        titles=("U", "Daw"),
    ),
    Locale(
        "kh",
        "Cambodia",
        _s("Phnom Penh, Siem Reap Province, Battambang Province"),
        "east_asian",
        _s("Dara, Sovann, Vuthy, Rithy, Sokha"),
        _s("Sreymom, Chanthy, Sophea, Bopha, Kanha"),
        _s("Sok, Chan, Keo, Meas, Heng, Pich, Srey"),
        _s("House ##@, St. ###; #, Preah Norodom Blvd; No. ##, Street ###"),
        _s("Phnom Penh, Siem Reap, Battambang, Kampot"),
        "12####",
        _s("+855 12 ### ###, 012 ### ###, +855 97 ### ####"),
        ("ID card No.", "#########"),
        ("NSSF member No.", "##########"),
        (("Patient code", "%#######"),),
        _s("#@-####, PP #@-####"),
        ("Driving licence", "##########"),
        ("CMC No.", "#####"),
        _s("Calmette Hospital, Angkor Hospital for Children, Khmer-Soviet Friendship Hospital"),
        cal="be",
        doms=_s("gmail.com"),
        titles=("Lok", "Lok Srey"),
    ),
    Locale(
        "tw",
        "Taiwan",
        _s("New Taipei, Taichung, Kaohsiung"),
        "east_asian",
        _s("Chih-Wei, Chia-Hao, Yu-Ting, Cheng-Han"),
        _s("Mei-Hua, Shu-Fen, Yi-Chen, Hsiao-Ling"),
        _s("Lin, Chen, Huang, Chang, Wang, Tsai, Hsu"),
        _s("No. ##, Ln. ##, Sec. #, Zhongxiao E. Rd.; No. ###, Minsheng Rd.; ##F, No. #, Wenhua Rd."),
        _s("Daan Dist., Xinyi Dist., Banqiao Dist., Zuoying Dist."),
        "###",
        _s("+886 2 ####-####, 09##-###-###, (07) ###-####"),
        ("National ID", "@%########"),
        ("NHI card No.", "0000 #### ####"),
        (("Chart No.", "%#######"), ("病歷號", "%#######")),
        _s("@@@-####, ###-@@"),
        ("Driver licence", "@%########"),
        ("Physician cert.", "###醫字第######號"),
        _s(
            "National Taiwan University Hospital, Taipei Veterans General Hospital, "
            "Chang Gung Memorial Hospital"
        ),
        order="ymd",
        cal="roc",
        doms=_s("gmail.com, yahoo.com.tw, hinet.net"),
        titles=("Mr", "Ms"),
        postal_after=False,
    ),
    Locale(
        "hk",
        "Hong Kong",
        _s("Kowloon, New Territories, Hong Kong Island"),
        "hk",
        _s("Tai-man, Ka-ho, Chi-keung, Wing-kit"),
        _s("Siu-ling, Mei-yee, Wai-man, Ka-yan"),
        _s("Chan, Wong, Leung, Cheung, Lau, Ho, Yip"),
        _s("Flat #@, ##/F, Block #, Tai Hing Gardens; Rm ###, ##/F, ### Nathan Road"),
        _s("Mong Kok, Sha Tin, Tuen Mun, Causeway Bay, Kwun Tong"),
        "",
        _s("+852 #### ####, 9### ####, 2### ####"),
        ("HKID", "@######(#)"),
        ("Insurance member No.", "HK########"),
        (("HN", "HN########%"), ("Episode No.", "HN########%")),
        _s("@@ ####, @@ ###"),
        ("Driving licence", "@######(#)"),
        ("MCHK reg.", "M#####"),
        _s("Queen Mary Hospital, Prince of Wales Hospital, Queen Elizabeth Hospital"),
        doms=_s("netvigator.com, yahoo.com.hk, gmail.com"),
    ),
    Locale(
        "sg",
        "Singapore",
        _s(""),
        "sg",
        _s("Wei Jie, Muhammad Hafiz, Arjun, Jun Hao, Rizwan"),
        _s("Xin Yi, Nur Aisyah, Priya, Hui Min, Siti"),
        _s("Tan, Lim, Ng, Rahman, Ramasamy, Goh, Ismail"),
        _s("Blk ### Tampines St ##, ~0#-###; ## Jalan Bukit Merah; Blk ### Ang Mo Kio Ave #, ~1#-##"),
        _s("Singapore"),
        "######",
        _s("+65 9### ####, 8### ####, 6### ####"),
        ("NRIC", "S%######@"),
        ("MediShield Life / IP member No.", "IP-########"),
        (("Case No.", "%#######@"), ("MRN", "%########")),
        _s("S@@####@, SG@####@"),
        ("Driving licence", "S%######@"),
        ("MCR", "M#####@"),
        _s("Singapore General Hospital, Tan Tock Seng Hospital, KK Women's and Children's Hospital"),
        doms=_s("singnet.com.sg, gmail.com"),
        titles=("Mr", "Mdm"),
        postal_after=True,
    ),
    Locale(
        "pg",
        "Papua New Guinea",
        _s("National Capital District, Morobe Province, Eastern Highlands"),
        "west",
        _s("Kila, Peter, Michael, Timothy, Boas"),
        _s("Grace, Mary, Rose, Kapi, Hope"),
        _s("Waigani, Kapi, Tau, Siune, Kila, Namaliu, Toua"),
        _s("Section ##, Allotment ##; PO Box ###; Lot ##, Sec ##, Gerehu Stage #"),
        _s("Port Moresby, Lae, Goroka, Mount Hagen"),
        "###",
        _s("+675 7### ####, 7### ####, 325 ####"),
        ("NID No.", "##########"),
        ("Nasfund member No.", "#######"),
        (("Hosp. No.", "%#####"),),
        _s("@@@ ###, P@@ ###"),
        ("Driver licence", "#######"),
        ("PNGMC reg.", "####"),
        _s("Port Moresby General Hospital, Angau Memorial Hospital"),
        doms=_s("gmail.com, digicelpacific.com"),
    ),
    Locale(
        "fj",
        "Fiji",
        _s("Central Division, Western Division"),
        "west",
        _s("Epeli, Josaia, Ravinesh, Sitiveni, Jone"),
        _s("Litia, Mereoni, Anjali, Salote, Unaisi"),
        _s("Naivalu, Tuilagi, Ratuvou, Prasad, Vakaloloma, Qaranivalu"),
        _s("Lot ##, Waimanu Road; ## Ratu Sukuna Road; Nadera Stage #, Lot ##"),
        _s("Suva, Nadi, Lautoka, Labasa, Nausori"),
        "",
        _s("+679 9## ####, 7## ####, 331 ####"),
        ("FNPF No.", "#######"),
        ("BSP Life member No.", "FJ######"),
        (("CWM Hosp No.", "%#####"),),
        _s("@@ ###, @@@ ###"),
        ("Driving licence", "#######"),
        ("FMDC reg.", "FMDC-####"),
        _s("Colonial War Memorial Hospital, Lautoka Hospital"),
        doms=_s("connect.com.fj, gmail.com"),
        titles=("Ratu", "Adi"),
    ),
    Locale(
        "to",
        "Tonga",
        _s("Tongatapu, Vava'u, Ha'apai"),
        "west",
        _s("Sione, Tevita, Viliami, Sione 'Ulu, Siaosi"),
        _s("Mele, 'Ana, 'Ofa, Losaline, Seini"),
        _s("Tupou, Fifita, Taufa, Lātū, Kioa, Fonua, Vaipulu"),
        _s("Taufa'ahau Road, Vuna Road, Lot ##"),
        _s("Nuku'alofa, Neiafu, Kolonga, Ha'ateiho"),
        "",
        _s("+676 ## ###, 77#-####, 84#-####"),
        ("National ID", "TO#######"),
        ("Health card", "MOH-#####"),
        (("Vaiola Hosp No.", "%#####"),),
        _s("@ ####, @@ ###"),
        ("Driver licence", "DL#####"),
        ("TMC reg.", "###"),
        _s("Vaiola Hospital, Prince Ngu Hospital"),
        doms=_s("gmail.com, kalianet.to"),
    ),
    Locale(
        "sa",
        "Saudi Arabia",
        _s("Riyadh Province, Makkah Province, Eastern Province"),
        "arabic",
        _s("Abdullah, Mohammed, Fahd, Saad, Khalid, Turki"),
        _s("Nora, Reem, Hessa, Lama, Aisha, Maha"),
        _s("Al-Qahtani, Al-Otaibi, Al-Dosari, Al-Ghamdi, Al-Harbi, Al-Shehri"),
        _s("King Fahd Road, Bldg ####; Prince Sultan St, Unit ##; #### Al Olaya Dist."),
        _s("Riyadh, Jeddah, Dammam, Al Khobar, Abha"),
        "%####",
        _s("+966 5# ### ####, 05# ### ####, 011 ### ####, 920######"),
        ("National ID", "1#########"),
        ("Bupa Arabia member No.", "########"),
        (("MRN", "%######"), ("رقم الملف", "%######")),
        _s("@@@ ####, #### @@@"),
        ("Driving licence", "1#########"),
        ("SCFHS reg.", "##-@-@-#####"),
        _s("King Faisal Specialist Hospital, King Abdulaziz Medical City, King Fahad Medical City"),
        cal="hijri",
        doms=_s("hotmail.com, gmail.com"),
        titles=("Mr", "Ms"),
    ),
    Locale(
        "jo",
        "Jordan",
        _s("Amman Governorate, Irbid Governorate, Zarqa Governorate"),
        "west",
        _s("Omar, Khaled, Yousef, Tareq, Mohammad"),
        _s("Rania, Dana, Haneen, Lina, Salma"),
        _s("Al-Zoubi, Haddad, Al-Khatib, Obeidat, Al-Masri, Nsour"),
        _s("Mecca St., Bldg ##; Wasfi Al-Tal St. ##; Rainbow St. #"),
        _s("Amman, Irbid, Zarqa, Salt, Aqaba"),
        "1####",
        _s("+962 7# ### ####, 07# ### ####, 06 ### ####"),
        ("National No.", "9%########"),
        ("Civil Insurance No.", "CI-#######"),
        (("File No.", "%######"),),
        _s("##-#####"),
        ("Driving licence", "########"),
        ("JMA No.", "#####"),
        _s("Jordan University Hospital, King Hussein Cancer Center, Al-Bashir Hospital"),
        doms=_s("gmail.com, yahoo.com"),
    ),
    Locale(
        "lb",
        "Lebanon",
        _s("Mount Lebanon, North Governorate, Beirut"),
        "west",
        _s("Georges, Elie, Karim, Rami, Hassan, Charbel"),
        _s("Rita, Maya, Nour, Joëlle, Zeina"),
        _s("Haddad, Khoury, Nasrallah, Abi Saab, El Hage, Frangieh"),
        _s("Rue Hamra, Imm. ##; Rue Monot, Bldg ##; Rue Gouraud ##"),
        _s("Beyrouth, Jounieh, Tripoli, Zahlé, Saïda"),
        "#### ####",
        _s("+961 3 ### ###, 03 ### ###, 01 ### ###, 71 ### ###"),
        ("Registry (sijil) No.", "###/%##"),
        ("NSSF No.", "#########"),
        (("N° dossier", "%######"),),
        _s("@ ######"),
        ("Permis", "#######"),
        ("OMB reg.", "####"),
        _s("AUBMC, Hôtel-Dieu de France, LAU Medical Center-Rizk Hospital"),
        months="fr",
        doms=_s("hotmail.com, idm.net.lb"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "iq",
        "Iraq",
        _s("Baghdad Governorate, Basra Governorate, Erbil Governorate"),
        "arabic3",
        _s("Ali, Hussein, Mustafa, Haider, Ahmed, Kadhim"),
        _s("Zainab, Fatima, Noor, Maryam, Sura"),
        _s("al-Tamimi, al-Jubouri, al-Rubaie, al-Saadi, al-Obaidi"),
        _s("Mahalla ###, Zuqaq ##, Dar ##; Al-Mansour St. ###; Karrada, Mahalla ###"),
        _s("Baghdad, Basra, Erbil, Mosul, Najaf"),
        "%####",
        _s("+964 7## ### ####, 07## ### ####"),
        ("National card No.", "############"),
        ("Insurance No.", "IQ-######"),
        (("File No.", "%#####/####"),),
        _s("Baghdad ##### @, ###### @@"),
        ("Driving licence", "########"),
        ("Iraqi Medical Association No.", "#####"),
        _s("Medical City Baghdad, Basra Teaching Hospital, Rizgary Teaching Hospital"),
        cal="hijri",
        doms=_s("gmail.com, yahoo.com"),
    ),
    Locale(
        "sd",
        "Sudan",
        _s("Khartoum State, Gezira State, River Nile"),
        "arabic3",
        _s("Mohamed, Osman, Abdelrahman, Elfatih, Mustafa"),
        _s("Amna, Khadija, Suad, Hawa, Rayan"),
        _s("Elamin, Abdalla, Ibrahim, Elhassan, Babiker"),
        _s("Block ##, House ###; Street ##, Amarat; House ##, Riyadh Block ##"),
        _s("Khartoum, Omdurman, Wad Madani, Port Sudan, Atbara"),
        "1####",
        _s("+249 9## ### ###, 09## ### ###, +249 1## ### ###"),
        ("National No.", "###-####-####"),
        ("NHIF card No.", "%#########"),
        (("Hospital No.", "%#####"),),
        _s("@ ## ####"),
        ("Driving licence", "#######"),
        ("SMC No.", "#####"),
        _s("Soba University Hospital, Ibn Sina Hospital Khartoum, Wad Madani Teaching Hospital"),
        cal="hijri",
        doms=_s("gmail.com, hotmail.com"),
    ),
    Locale(
        "so",
        "Somalia",
        _s("Banaadir, Woqooyi Galbeed, Puntland"),
        "somali",
        _s("Maxamed, Cabdi, Xasan, Cali, Axmed, Yuusuf"),
        _s("Faadumo, Xaliimo, Sahra, Hodan, Ayaan"),
        _s("Maxamed, Cabdi, Xasan, Cali, Warsame, Jaamac, Nuur"),
        _s("Wadada Maka Al-Mukarama, Guriga ##; Degmada Hodan, Tuulo ##; Jidka ##"),
        _s("Muqdisho, Hargeysa, Garoowe, Kismaayo, Baydhabo"),
        "",
        _s("+252 61 #######, 061 #######, +252 63 #######"),
        ("National ID", "SO-##########"),
        ("Takaful policy", "TK-######"),
        (("File No.", "%#####"),),
        _s("@@ ####, SL ####"),
        ("Driving licence", "######"),
        ("SMDC No.", "####"),
        _s("Banadir Hospital, Hargeisa Group Hospital, Erdogan Hospital Mogadishu"),
        doms=_s("gmail.com, hotmail.com"),
    ),
    Locale(
        "tz",
        "Tanzania",
        _s("Dar es Salaam Region, Arusha Region, Mwanza Region"),
        "west",
        _s("Goodluck, Baraka, Juma, Emmanuel, Innocent"),
        _s("Neema, Rehema, Precious, Mwanaidi, Happiness"),
        _s("Mwakyusa, Massawe, Kimaro, Mushi, Mrema, Lyimo"),
        _s("Plot ##, Block @, Mikocheni; Mtaa wa Samora ##; House No. ##, Sinza Mori"),
        _s("Dar es Salaam, Arusha, Mwanza, Moshi, Dodoma"),
        "1####",
        _s("+255 7## ### ###, 07## ### ###, 022 ### ####"),
        ("NIDA", "{yyyymmdd}-#####-#####-##"),
        ("NHIF card No.", "##########"),
        (("Reg. No.", "%###-##-##"),),
        _s("T ### @@@, MC ### @@@"),
        ("Driving licence", "%#########"),
        ("MCT reg.", "#####"),
        _s("Muhimbili National Hospital, KCMC, Bugando Medical Centre"),
        months="sw",
        doms=_s("gmail.com, yahoo.com"),
        titles=("Bw.", "Bi."),
    ),
    Locale(
        "ug",
        "Uganda",
        _s("Central Region, Western Region, Northern Region"),
        "west",
        _s("Okello, Mugisha, Ssemwanga, Opio, Blessing"),
        _s("Nakato, Babirye, Akello, Precious, Mercy"),
        _s("Okello, Mugisha, Ssemwanga, Nakato, Atim, Byaruhanga, Kato"),
        _s("Plot ##, Kampala Road; Plot ###, Ntinda; Kira Road, Plot ##"),
        _s("Kampala, Gulu, Mbarara, Jinja, Entebbe"),
        "",
        _s("+256 7## ######, 07## ######, 0414 ######"),
        ("NIN", "C@##########@@"),
        ("Jubilee Health member No.", "UG-#######"),
        (("IP No.", "%####/##"),),
        _s("U@@ ###@, UA ###@@"),
        ("Driving permit", "##########"),
        ("UMDPC reg.", "#####"),
        _s("Mulago National Referral Hospital, Lacor Hospital, Mbarara Regional Referral Hospital"),
        doms=_s("gmail.com, yahoo.co.uk"),
    ),
    Locale(
        "rw",
        "Rwanda",
        _s("Kigali, Northern Province, Southern Province"),
        "west",
        _s("Jean Bosco, Eric, Emmanuel, Innocent, Olivier"),
        _s("Uwase, Claudine, Alice, Diane, Grace"),
        _s("Uwimana, Niyonzima, Mukamana, Habimana, Nshimiyimana, Uwase"),
        _s("KG ### St, House ##; KN ### Ave, No. ##; KK ## St"),
        _s("Kigali, Huye, Musanze, Rubavu"),
        "",
        _s("+250 78# ### ###, 078# ### ###, 072# ### ###"),
        ("ID No.", "1 {yyyy} # ####### # ##"),
        ("Mutuelle / RSSB No.", "RAMA-########"),
        (("Patient No.", "%######"),),
        _s("R@@ ###@"),
        ("Driving licence", "##########"),
        ("RMDC No.", "####"),
        _s("CHUK, King Faisal Hospital Kigali, CHUB"),
        months="fr",
        doms=_s("gmail.com"),
    ),
    Locale(
        "cd",
        "DR Congo",
        _s("Kinshasa, Nord-Kivu, Haut-Katanga"),
        "west",
        _s("Jean-Pierre, Patient, Dieudonné, Christian, Fiston"),
        _s("Bénédicte, Chantal, Grâce, Nathalie, Espérance"),
        _s("Mbuyi Kabasele, Kalala Mutombo, Ilunga Kasongo, Mukendi Tshibangu, Lukusa Nkongolo"),
        _s("Av. Kasa-Vubu n° ##; ## av. de la Justice; Q. Matonge, av. ## n° ##"),
        _s("Kinshasa, Lubumbashi, Goma, Bukavu, Kisangani"),
        "",
        _s("+243 81 ### ####, 081 ### ####, 099 ### ####"),
        ("N° électeur", "#########"),
        ("Mutuelle n°", "MS-#####"),
        (("N° dossier", "%#####/##"),),
        _s("####@@##, CGO ####"),
        ("Permis", "########"),
        ("CNOM n°", "#####"),
        _s("Cliniques universitaires de Kinshasa, Hôpital du Cinquantenaire, HEAL Africa"),
        months="fr",
        doms=_s("gmail.com, yahoo.fr"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "cm",
        "Cameroon",
        _s("Région du Centre, Littoral, Nord-Ouest"),
        "west",
        _s("Emmanuel, Paul, Blaise, Joseph, Samuel"),
        _s("Ngozi, Berthe, Marceline, Comfort, Clarisse"),
        _s("Mbarga, Fotso, Nkemelu, Ndjock, Atangana, Tchakounte"),
        _s("BP ####; Rue ####, Bastos; Carrefour Mvog-Mbi, rue ###"),
        _s("Yaoundé, Douala, Bamenda, Bafoussam, Garoua"),
        "",
        _s("+237 6 ## ## ## ##, 6## ### ###, 222 ## ## ##"),
        ("CNI n°", "#########"),
        ("CNPS n°", "###-#######-#"),
        (("N° dossier", "%#####"),),
        _s("CE ### @@, LT ### @@"),
        ("Permis", "CE-######"),
        ("ONMC n°", "####"),
        _s("Hôpital Central de Yaoundé, Hôpital Laquintinie, Hôpital Général de Douala"),
        months="fr",
        doms=_s("yahoo.fr, gmail.com"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "sn",
        "Senegal",
        _s("Dakar, Thiès, Saint-Louis"),
        "west",
        _s("Mamadou, Cheikh, Ousmane, Ibrahima, Moussa"),
        _s("Fatou, Aminata, Awa, Khady, Mariama"),
        _s("Diop, Ndiaye, Fall, Sow, Ba, Mbaye, Gueye"),
        _s("Villa n° ##, Sicap Liberté #; Cité Keur Gorgui, lot ##; Rue ## x ##, Médina"),
        _s("Dakar, Thiès, Saint-Louis, Ziguinchor, Touba"),
        "1####",
        _s("+221 77 ### ## ##, 78 ### ## ##, 33 8## ## ##"),
        ("CNI n°", "1 ### #### #####"),
        ("IPM n°", "IPM-######"),
        (("N° dossier", "%#####"),),
        _s("DK-####-@@, TH-####-@"),
        ("Permis", "###########"),
        ("ONMS n°", "####"),
        _s("CHNU de Fann, Hôpital Principal de Dakar, Hôpital Aristide Le Dantec"),
        months="fr",
        doms=_s("orange.sn, gmail.com"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "ci",
        "Côte d'Ivoire",
        _s("District d'Abidjan, Région du Gbêkê"),
        "west",
        _s("Kouadio, Yao, Konan, Koffi, Serge"),
        _s("Aya, Adjoua, Affoué, Akissi, Mariam"),
        _s("Kouassi, Koné, Traoré, N'Guessan, Yao, Ouattara, Bamba"),
        _s("## BP ####; Cocody, rue des Jardins, villa ##; Yopougon, Sicogi, bât. ##"),
        _s("Abidjan, Bouaké, Yamoussoukro, San-Pédro, Korhogo"),
        "",
        _s("+225 07 ## ## ## ##, 05 ## ## ## ##, 27 22 ## ## ##"),
        ("CNI n°", "C ###-####-####"),
        ("CMU n°", "CMU-#########"),
        (("N° dossier", "%#####"),),
        _s("#### @@ ##"),
        ("Permis", "##########"),
        ("CNOM n°", "####"),
        _s("CHU de Cocody, CHU de Treichville, CHU de Bouaké"),
        months="fr",
        doms=_s("gmail.com, yahoo.fr"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "mg",
        "Madagascar",
        _s("Analamanga, Vakinankaratra, Atsinanana"),
        "west",
        _s("Andry, Hery, Tojo, Fanomezantsoa, Rivo"),
        _s("Voahangy, Lalao, Hanitra, Fara, Mialy"),
        _s("Rakotomalala, Randriamampionona, Rasoanaivo, Andrianarivelo, Razafindrakoto"),
        _s("Lot II M ## Bis; Lot IVG ## Antanimena; Lot ### @ Ankadifotsy"),
        _s("Antananarivo, Toamasina, Antsirabe, Fianarantsoa, Mahajanga"),
        "1##",
        _s("+261 34 ## ### ##, 032 ## ### ##, 020 22 ### ##"),
        ("CIN", "1## ### ### ###"),
        ("OSTIE n°", "######"),
        (("N° dossier", "%####/##"),),
        _s("#### T@@, #### @@"),
        ("Permis", "#########"),
        ("ONM n°", "####"),
        _s("CHU Joseph Ravoahangy Andrianavalona, CHU Befelatanana"),
        months="mg",
        doms=_s("moov.mg, gmail.com"),
        titles=("Andriamatoa", "Ramatoa"),
    ),
    Locale(
        "zw",
        "Zimbabwe",
        _s("Harare Province, Bulawayo Province, Manicaland"),
        "west",
        _s("Tendai, Tatenda, Farai, Blessing, Tinashe"),
        _s("Rutendo, Chipo, Nyasha, Precious, Memory"),
        _s("Moyo, Ncube, Sibanda, Dube, Chikwanha, Mutasa, Makoni"),
        _s("## Samora Machel Ave; #### Glen View #; ## Jason Moyo St"),
        _s("Harare, Bulawayo, Mutare, Gweru, Masvingo"),
        "",
        _s("+263 77 ### ####, 077# ### ###, 024 2 ######"),
        ("National ID", "##-######@##"),
        ("CIMAS member No.", "#########"),
        (("Hosp. No.", "P%#####"),),
        _s("@@@ ####"),
        ("Driver's licence", "######@@"),
        ("MDPCZ reg.", "@####"),
        _s("Parirenyatwa Group of Hospitals, Mpilo Central Hospital"),
        doms=_s("gmail.com, zol.co.zw"),
    ),
    Locale(
        "zm",
        "Zambia",
        _s("Lusaka Province, Copperbelt, Southern Province"),
        "west",
        _s("Mwila, Chanda, Bwalya, Mulenga, Lubinda"),
        _s("Mutinta, Natasha, Chileshe, Mwape, Mercy"),
        _s("Banda, Phiri, Mwale, Tembo, Zulu, Lungu, Chileshe"),
        _s("Plot ####, Great East Road; House ##, Kabulonga; ## Independence Ave"),
        _s("Lusaka, Kitwe, Ndola, Livingstone, Kabwe"),
        "1####",
        _s("+260 97 #######, 097 #######, 0211 ######"),
        ("NRC", "######/##/#"),
        ("NHIMA member No.", "##########"),
        (("UTH No.", "%######"),),
        _s("@@@ ####"),
        ("Driving licence", "#######"),
        ("HPCZ reg.", "@@ ####"),
        _s("University Teaching Hospital Lusaka, Ndola Teaching Hospital"),
        doms=_s("gmail.com"),
    ),
    Locale(
        "mz",
        "Mozambique",
        _s("Província de Maputo, Sofala, Nampula"),
        "west",
        _s("Armando, Celso, Edson, Fernando, Abílio"),
        _s("Graça, Luísa, Ancha, Esperança, Telma"),
        _s("Macuácua, Cossa, Machava, Nhantumbo, Mondlane, Sitoe"),
        _s("Av. Eduardo Mondlane n.º ###; Rua da Resistência ###, flat #; Bairro Maxaquene, Q. ##, casa ##"),
        _s("Maputo, Beira, Nampula, Matola, Quelimane"),
        "11##",
        _s("+258 84 ### ####, 82 ### ####, 21 ## ## ##"),
        ("BI n.º", "############@"),
        ("INSS n.º", "#########"),
        (("NID", "%#####"),),
        _s("@@@-###-@@"),
        ("Carta de condução", "######"),
        ("OrMM n.º", "####"),
        _s("Hospital Central de Maputo, Hospital Central da Beira"),
        months="pt",
        doms=_s("gmail.com, tdm.co.mz"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "ao",
        "Angola",
        _s("Luanda, Benguela, Huíla"),
        "west",
        _s("Manuel, Domingos, Adão, Isaías, Kiala"),
        _s("Luzia, Madalena, Ngueza, Teresa, Esperança"),
        _s("dos Santos, Kiala, Neto, Cassoma, da Silva, Lourenço"),
        _s("Rua Rainha Ginga n.º ##; Bairro Maianga, casa ##; Rua ##, Talatona"),
        _s("Luanda, Benguela, Lubango, Huambo"),
        "",
        _s("+244 92# ### ###, 923 ### ###, 222 ### ###"),
        ("BI n.º", "#########@@###"),
        ("Seguro n.º", "ENSA-######"),
        (("Processo n.º", "%#####"),),
        _s("LD-##-##-@@"),
        ("Carta de condução", "LD-#######"),
        ("OMA n.º", "####"),
        _s("Hospital Américo Boavida, Clínica Girassol, Hospital Josina Machel"),
        months="pt",
        doms=_s("gmail.com, netcabo.co.ao"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "cu",
        "Cuba",
        _s("La Habana, Santiago de Cuba, Camagüey"),
        "spanish",
        _s("Yoandri, Yunior, Osmany, Reinier, Lázaro"),
        _s("Yaneisy, Yusimí, Dayana, Mayelín, Odalys"),
        _s("Rodríguez, Pérez, González, Hernández, Fonseca, Bárzaga, Leyva"),
        _s("Calle ## #### e/ ## y ##, apto #; Ave. de los Presidentes ###; San Lázaro ###, piso #"),
        _s("Vedado, Centro Habana, Playa, Santiago de Cuba, Camagüey"),
        "1####",
        _s("+53 5 ### ####, 5### ####, 7 8## ####"),
        ("CI", "{yymmdd}#####"),
        ("Carné de salud n.º", "CS-######"),
        (("HC", "%#####"),),
        _s("P######, @######"),
        ("Licencia de conducción", "########"),
        ("Reg. profesional", "######"),
        _s("Hospital Hermanos Ameijeiras, Hospital Calixto García"),
        months="es",
        doms=_s("nauta.cu, infomed.sld.cu"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "do",
        "Dominican Republic",
        _s("Distrito Nacional, Santiago, La Altagracia"),
        "spanish",
        _s("Juan Carlos, Rafael, Yeison, Ramón, Wilkin"),
        _s("Yokasta, Altagracia, Marisol, Yahaira, Mercedes"),
        _s("Martínez, Peña, Almonte, Tavárez, De la Cruz, Féliz, Santana"),
        _s("C/ El Conde #, Zona Colonial; Av. 27 de Febrero ###; C/ #, Res. Los Prados, apto #@"),
        _s("Santo Domingo, Santiago de los Caballeros, La Romana, Punta Cana"),
        "%####",
        _s("+1 809 ###-####, (829) ###-####, 849-###-####"),
        ("Cédula", "###-#######-#"),
        ("ARS Senasa afiliado", "#########"),
        (("Récord", "%#####"),),
        _s("@######, G######"),
        ("Licencia", "###-#######-#"),
        ("Exequátur", "###-##"),
        _s("Hospital Dr. Darío Contreras, Centro Médico UCE, Hospital General Plaza de la Salud"),
        months="es",
        doms=_s("hotmail.com, claro.net.do"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "ht",
        "Haiti",
        _s("Ouest, Nord, Artibonite"),
        "west",
        _s("Jean-Robert, Wilner, Jacquelin, Frantz, Dieuseul"),
        _s("Marie-Carmel, Nadège, Guerline, Rose-Berthe, Lovely"),
        _s("Pierre, Joseph, Jean-Baptiste, Desrosiers, Dorvil, Charles, Louis-Jeune"),
        _s("## Rue Capois; Delmas ##, #; Ruelle Nazon ##; ## Route de Frères"),
        _s("Port-au-Prince, Pétion-Ville, Cap-Haïtien, Les Cayes, Jacmel"),
        "HT####",
        _s("+509 ## ## ####, 3# ## ####, 4# ## ####"),
        ("NIF", "###-###-###-#"),
        ("OFATMA n°", "######"),
        (("N° dossier", "%#####"),),
        _s("AA-#####, TP-#####"),
        ("Permis", "###-###-###-#"),
        ("MSPP licence", "####"),
        _s("Hôpital Universitaire d'État d'Haïti, Hôpital Universitaire de Mirebalais"),
        months="ht",
        doms=_s("gmail.com, hotmail.com"),
        titles=("M.", "Mme"),
    ),
    Locale(
        "pr",
        "Puerto Rico",
        _s("Puerto Rico"),
        "spanish",
        _s("José Luis, Ángel, Luis, Héctor, Carlos"),
        _s("Carmen, Zoraida, Nilda, Wanda, Ivelisse"),
        _s("Rivera, Colón, Ortiz, Vázquez, Figueroa, Rosario, Santiago"),
        _s("Calle Loíza ####; Urb. Villa Carolina, Calle ### Bloque ## #; ### Ave. Ponce de León, Apt. ###"),
        _s("San Juan, Bayamón, Carolina, Ponce, Mayagüez, Caguas"),
        "00###",
        _s("(787) ###-####, 939-###-####, +1 787 ### ####"),
        ("SSN", "###-##-####"),
        ("Plan Vital / MCO ID", "#########"),
        (("MRN", "%#######"), ("Récord médico", "%######")),
        _s("@@@-###"),
        ("Licencia de conducir", "#######"),
        ("DEA", "@@#######"),
        _s("Centro Médico de Río Piedras, Hospital Auxilio Mutuo, HIMA San Pablo"),
        months="es",
        order="mdy",
        doms=_s("gmail.com, yahoo.com"),
        titles=("Sr.", "Sra."),
        postal_after=True,
        extra={"zip_prefix": "PR"},
    ),
    Locale(
        "ve",
        "Venezuela",
        _s("Distrito Capital, Zulia, Carabobo"),
        "spanish",
        _s("Luis Alberto, Jhonny, Freddy, Yorman, Edgar"),
        _s("Yuleidy, Marbelys, Oriana, Daniela, Génesis"),
        _s("Briceño, Chacón, Quintero, Pacheco, Ramírez, Urdaneta"),
        _s("Av. Urdaneta, Edif. ##, piso #; Calle ##, Qta. ##; Urb. La Trinidad, calle ##"),
        _s("Caracas, Maracaibo, Valencia, Barquisimeto, Mérida"),
        "1###",
        _s("+58 412 ### ####, 0414-###.##.##, 0212 ### ####"),
        ("C.I.", "V-##.###.###"),
        ("Póliza n.º", "###-######"),
        (("Historia n.º", "%#####"),),
        _s("@@#@##@"),
        ("Licencia", "V-########"),
        ("MPPS", "#####"),
        _s("Hospital Universitario de Caracas, Hospital Central de Maracaibo"),
        months="es",
        doms=_s("gmail.com, cantv.net"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "ec",
        "Ecuador",
        _s("Pichincha, Guayas, Azuay"),
        "spanish",
        _s("Washington, Segundo, Byron, Diego, Wilson"),
        _s("Mayra, Gissela, Jessenia, Carmen, Tatiana"),
        _s("Quishpe, Guamán, Chiluisa, Mendoza, Andrade, Zambrano"),
        _s("Av. Amazonas N##-##; Calle Bolívar ##-##; Cdla. Kennedy Norte, Mz. ###, villa ##"),
        _s("Quito, Guayaquil, Cuenca, Ambato, Loja"),
        "17####",
        _s("+593 9# ### ####, 09# ### ####, (02) ### ####"),
        ("Cédula", "17########"),
        ("IESS afiliación", "##########"),
        (("HC", "%######"),),
        _s("@@@-####"),
        ("Licencia", "17########"),
        ("Reg. SENESCYT", "####-##-######"),
        _s("Hospital Carlos Andrade Marín, Hospital Eugenio Espejo, Hospital Luis Vernaza"),
        months="es",
        doms=_s("hotmail.com, gmail.com"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "bo",
        "Bolivia",
        _s("La Paz, Cochabamba, Santa Cruz"),
        "spanish",
        _s("Evo, Wilfredo, Limbert, Freddy, René"),
        _s("Nélida, Wara, Sonia, Maribel, Inés"),
        _s("Mamani, Quispe, Condori, Choque, Flores, Apaza"),
        _s("Calle ##, Zona Sur, n.º ###; Av. Ballivián ###; Zona Villa Fátima, Calle ##"),
        _s("La Paz, El Alto, Cochabamba, Santa Cruz de la Sierra, Sucre"),
        "",
        _s("+591 7#######, 7### ####, 2 2## ####"),
        ("C.I.", "#######"),
        ("CNS matrícula", "##-####-@@@"),
        (("HC", "%#####"),),
        _s("####-@@@"),
        ("Licencia", "#######"),
        ("Matrícula prof.", "@-####"),
        _s("Hospital de Clínicas La Paz, Hospital Japonés, Hospital Viedma"),
        months="es",
        doms=_s("gmail.com, entelnet.bo"),
        titles=("Sr.", "Sra."),
        extra={"ci_suffix": "LP"},
    ),
    Locale(
        "py",
        "Paraguay",
        _s("Central, Alto Paraná, Itapúa"),
        "spanish",
        _s("Derlis, Osvaldo, Nelson, Rubén, Édgar"),
        _s("Perla, Nilda, Liz, Mirna, Lourdes"),
        _s("Benítez, Giménez, Ayala, Ortiz, Villalba, Duarte, Cáceres"),
        _s("Mcal. López ####; Tte. Fariña ###; Avda. España c/ Brasil ###"),
        _s("Asunción, Ciudad del Este, Encarnación, Luque, San Lorenzo"),
        "1###",
        _s("+595 981 ######, 0981 ### ###, 021 ### ###"),
        ("C.I. n.º", "#.###.###"),
        ("IPS asegurado n.º", "#######"),
        (("HC", "%#####"),),
        _s("@@@ ###"),
        ("Registro de conducir", "#######"),
        ("Reg. prof.", "#####"),
        _s("Hospital de Clínicas San Lorenzo, Hospital Central IPS"),
        months="es",
        doms=_s("gmail.com, tigo.com.py"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "uy",
        "Uruguay",
        _s("Montevideo, Canelones, Maldonado"),
        "spanish",
        _s("Martín, Gonzalo, Sebastián, Washington, Nicolás"),
        _s("Valentina, Florencia, Lucía, Cecilia, Rosario"),
        _s("Rodríguez, Fernández, Pereira, Suárez, Cardozo, Olivera"),
        _s("Bvar. Artigas ####; 18 de Julio ####, apto ###; Av. Italia ####"),
        _s("Montevideo, Canelones, Maldonado, Salto, Paysandú"),
        "11###",
        _s("+598 9# ### ###, 09# ### ###, 2### ####"),
        ("C.I.", "#.###.###-#"),
        ("Afiliado mutualista n.º", "######"),
        (("HC", "%######"),),
        _s("S@@ ####"),
        ("Libreta de conducir", "#######"),
        ("CJP", "#####"),
        _s("Hospital de Clínicas Dr. Manuel Quintela, Hospital Maciel, Hospital Pereira Rossell"),
        months="es",
        doms=_s("adinet.com.uy, gmail.com"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "gt",
        "Guatemala",
        _s("Guatemala, Quetzaltenango, Alta Verapaz"),
        "spanish",
        _s("Byron, Edwin, Mynor, Selvin, Baltazar"),
        _s("Heidy, Ixchel, Sandra, Rosa Amalia, Lesbia"),
        _s("Ixcot, Xicará, Coy, Chávez, López, Tzul, Ajanel"),
        _s("# Calle ##-##, Zona #; # Avenida #-## Zona #; Lote ##, Sector @"),
        _s("Ciudad de Guatemala, Quetzaltenango, Cobán, Antigua Guatemala, Mixco"),
        "0####",
        _s("+502 5### ####, 4### ####, 2### ####"),
        ("DPI", "#### ##### ####"),
        ("IGSS afiliación", "###########"),
        (("Registro", "%#####"),),
        _s("P-###@@@, M-###@@@"),
        ("Licencia", "#### ##### ####"),
        ("Colegiado", "#####"),
        _s("Hospital Roosevelt, Hospital General San Juan de Dios, Hospital Regional de Cobán"),
        months="es",
        doms=_s("gmail.com, yahoo.com"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "hn",
        "Honduras",
        _s("Francisco Morazán, Cortés, Atlántida"),
        "spanish",
        _s("Elvin, Kevin, Marvin, Josué, Darwin"),
        _s("Dunia, Karla, Yessenia, Iris, Lesly"),
        _s("Zelaya, Mejía, Banegas, Paz, Ávila, Funes"),
        _s("Col. Kennedy, bloque ##, casa ###; Bo. El Centro, # calle; Res. Las Uvas, casa ##"),
        _s("Tegucigalpa, San Pedro Sula, La Ceiba, Choluteca, Comayagüela"),
        "1####",
        _s("+504 9###-####, 3###-####, 2###-####"),
        ("DNI", "0801-{yyyy}-#####"),
        ("IHSS afiliación", "############"),
        (("Expediente", "%#####"),),
        _s("P@@ ####, H@@ ####"),
        ("Licencia", "0801-{yyyy}-#####"),
        ("CMH", "#####"),
        _s("Hospital Escuela, Hospital Mario Catarino Rivas"),
        months="es",
        doms=_s("gmail.com, yahoo.com"),
        titles=("Sr.", "Sra."),
    ),
    Locale(
        "nn",
        "United States (Navajo Nation)",
        _s("Arizona, New Mexico, Utah"),
        "west",
        _s("Darrell, Wilson, Lorenzo, Kee, Tully"),
        _s("Darlene, Loretta, Shandiin, Ahiga, Kayenta"),
        _s("Begay, Yazzie, Tsosie, Benally, Nez, Etsitty, Manygoats"),
        _s("HC 61 Box ####; PO Box ###; BIA Route ##, Mile Marker ##; ## N Hwy 191"),
        _s("Chinle, Kayenta, Shiprock, Tuba City, Window Rock, Crownpoint"),
        "865##",
        _s("(928) ###-####, 505-###-####, +1 928 ### ####"),
        ("SSN", "###-##-####"),
        ("AHCCCS ID", "@########"),
        (("IHS chart #", "%#####"), ("HRN", "%#####")),
        _s("NN ####, ###-@@@"),
        ("Navajo Nation driver license", "N########"),
        ("DEA", "@@#######"),
        _s(
            "Chinle Comprehensive Health Care Facility, Tuba City Regional Health Care, "
            "Northern Navajo Medical Center"
        ),
        order="mdy",
        doms=_s("gmail.com, frontiernet.net"),
        postal_after=True,
        extra={"state": "AZ"},
    ),
    Locale(
        "ak",
        "United States (Alaska)",
        _s("Alaska"),
        "west",
        _s("Nanuq, Wassillie, Evan, Moses, Carl"),
        _s("Agnes, Qaiyaan, Marie, Lucy, Ellen"),
        _s("Kanayurak, Oozeva, Nanouk, Active, John, Andrew, Ayagalria"),
        _s("PO Box ###; ### Front St; #### Tudor Rd Apt ###"),
        _s("Bethel, Utqiagvik, Nome, Kotzebue, Dillingham, Anchorage"),
        "99###",
        _s("(907) ###-####, 907-543-####, +1 907 ### ####"),
        ("SSN", "###-##-####"),
        ("Denali KidCare / Medicaid ID", "#########"),
        (("YKHC MRN", "%######"), ("ANMC MRN", "%#######")),
        _s("@@@ ###, ### @@@"),
        ("Alaska DL", "#######"),
        ("DEA", "@@#######"),
        _s("Yukon-Kuskokwim Delta Regional Hospital, Alaska Native Medical Center, Maniilaq Health Center"),
        order="mdy",
        doms=_s("gci.net, alaska.net, gmail.com"),
        postal_after=True,
        extra={"state": "AK"},
    ),
    Locale(
        "gl",
        "Greenland",
        _s("Sermersooq, Avannaata, Qeqqata"),
        "west",
        _s("Nuka, Malik, Hans, Aqqaluk, Kunuk"),
        _s("Aviaja, Naja, Paninnguaq, Ivalu, Nivi"),
        _s("Lyberth, Kleist, Olsen, Petersen, Heilmann, Lynge"),
        _s("Aqqusinersuaq ##; Qajaasat ##, lejl. #; B-####; Issortarfimmut ##"),
        _s("Nuuk, Sisimiut, Ilulissat, Qaqortoq, Tasiilaq"),
        "39##",
        _s("+299 ## ## ##, ## ## ##, +299 5# ## ##"),
        ("CPR-nr.", "{ddmmyy}-####"),
        ("Sygesikring nr.", "{ddmmyy}-####"),
        (("Journal nr.", "%######"),),
        _s("GR ####, GR #####"),
        ("Kørekort nr.", "########"),
        ("Autorisations-ID", "@@@##"),
        _s("Dronning Ingrids Hospital, Sana, Sisimiut Sundhedscenter"),
        months="da",
        sep=".",
        doms=_s("greennet.gl, gmail.com"),
        titles=("hr.", "fru"),
    ),
)
LOC_BY_KEY = {loc.key: loc for loc in LOCALES}

NICKS = {
    "Maximilian": "Maxi",
    "Johann": "Hansi",
    "Theresia": "Resi",
    "Magdalena": "Leni",
    "Guðrún": "Gunna",
    "Sigríður": "Sigga",
    "Kristín": "Stína",
    "Jón": "Nonni",
    "Giorgi": "Gio",
    "Ketevan": "Keti",
    "Aigerim": "Aika",
    "Abdullah": "Abdu",
    "Jean-Pierre": "JP",
    "Jean Bosco": "Bosco",
    "Marie-Carmel": "Carmel",
    "José Luis": "Pepe",
    "Lázaro": "Lachy",
    "Altagracia": "Tata",
    "Viliami": "Vili",
    "Losaline": "Lose",
    "Sione": "Sio",
    "Tevita": "Vita",
    "Aviaja": "Avi",
    "Tatenda": "Tate",
    "Happiness": "Happy",
    "Fanomezantsoa": "Fano",
    "Andreea": "Deea",
    "Mihaela": "Miha",
    "Desislava": "Desi",
    "Tsvetanka": "Tseti",
    "Krešimir": "Krešo",
    "Snježana": "Sneška",
    "Dilnoza": "Dila",
    "Enkhjargal": "Jagaa",
    "Oyunchimeg": "Oyuka",
    "Tsetsegmaa": "Tsetseg",
    "Rustam": "Rusik",
    "Mohammed": "Hamoudi",
    "Kouadio": "Kouad",
    "Wassillie": "Wass",
    "Paninnguaq": "Pani",
    "Yoandri": "Yoyo",
    "Juan Carlos": "Juanca",
    "Sebastián": "Seba",
    "Valentina": "Vale",
    "Washington": "Washo",
    "Gheorghe": "Gigel",
    "Dieudonné": "Dido",
    "Espérance": "Espé",
}
TRANSLIT = {
    "Mohammed": "Muhammad",
    "Mohamed": "Mohammed",
    "Mohammad": "Mohamad",
    "Muhammad": "Mohamed",
    "Abdullah": "Abdallah",
    "Hussein": "Husayn",
    "Ahmed": "Ahmad",
    "Khaled": "Khalid",
    "Khalid": "Khaled",
    "Yousef": "Youssef",
    "Yusuf": "Yousuf",
    "Maxamed": "Mohamed",
    "Cabdi": "Abdi",
    "Xasan": "Hassan",
    "Cali": "Ali",
    "Axmed": "Ahmed",
    "Yuusuf": "Yusuf",
    "Faadumo": "Fadumo",
    "Xaliimo": "Halima",
    "Jaamac": "Jama",
    "Nuur": "Nur",
    "Enkhjargal": "Enkh-Jargal",
    "Batbayar": "Bat-Bayar",
    "Tsetsegmaa": "Tsetsegma",
    "Nursultan": "Nur-Sultan",
    "Giorgi": "Georgi",
    "Ketevan": "Ketewan",
    "Hovhannisyan": "Oganesyan",
    "Petrosyan": "Petrosian",
    "Harutyunyan": "Arutyunyan",
    "Zhaksybekov": "Jaksybekov",
    "Zhaksybekova": "Jaksybekova",
    "Yerlan": "Erlan",
    "Hristo": "Christo",
    "Tsvetanka": "Cvetanka",
    "Elfatih": "El-Fatih",
    "Abdelrahman": "Abdul Rahman",
    "Osman": "Othman",
    "Sovann": "Sovan",
    "Sreymom": "Srey Mom",
}
SG_POOLS = {
    "cn": (
        ("Wei Jie", "Jun Hao", "Kok Leong"),
        ("Xin Yi", "Hui Min", "Mei Ling"),
        ("Tan", "Lim", "Ng", "Goh"),
    ),
    "ml": (
        ("Muhammad Hafiz", "Rizwan", "Azlan"),
        ("Nur Aisyah", "Siti Nurhaliza", "Farah"),
        ("Rahman", "Ismail"),
    ),
    "in": (("Arjun", "Ravi", "Suresh"), ("Priya", "Kavitha", "Lakshmi"), ("Ramasamy", "Krishnan", "Pillai")),
}
HK_ENGLISH = ("Peter", "Kelvin", "Winnie", "Fanny", "Ivan", "Cherry", "Ricky", "Mandy")


@dataclass(frozen=True)
class Person:
    given: str
    middle: str
    family: str
    natural: str
    record: str
    short: str
    nick: str
    sex: str
    fam_first: bool = False


def _gendered(s: str, sex: str) -> str:
    if "/" in s:
        m, f = s.split("/")
        return m if sex == "M" else f
    return s


def make_person(r: random.Random, loc: Locale, sex: str | None = None) -> Person:
    sex = sex or r.choice("MF")
    pool = loc.gm if sex == "M" else loc.gf
    given = r.choice(pool)
    st = loc.style
    nick = NICKS.get(given, "")
    if st == "patronym_is":
        family = r.choice(loc.sur) + ("son" if sex == "M" else "dóttir")
        middle = r.choice(pool) if r.random() < 0.2 else ""
        nat = " ".join(x for x in (given, middle, family) if x)
        return Person(given, middle, family, nat, nat, f"{given} {family}", nick, sex)
    if st == "patronym_ru":
        father = r.choice(loc.gm)
        middle = father + ("ovich" if sex == "M" else "ovna")
        if loc.key == "kz" and r.random() < 0.4:
            middle = father + (" uly" if sex == "M" else " kyzy")
        family = _gendered(r.choice(loc.sur), sex)
        nat = f"{given} {middle} {family}"
        return Person(given, middle, family, nat, nat, f"{given} {family}", nick, sex)
    if st == "mongol":
        father = r.choice(loc.gm)
        nat = f"{father} {given}"
        return Person(given, "", father, nat, f"{given} {father}", f"{father[0]}. {given}", nick, sex, True)
    if st == "mononym":
        words = given.split()
        return Person(given, "", words[-1], given, given, given, "", sex)
    if st in ("east_asian", "hk"):
        family = r.choice(loc.sur)
        nat = f"{family} {given}"
        if st == "hk":
            nick = r.choice(HK_ENGLISH) if r.random() < 0.6 else ""
        return Person(given, "", family, nat, f"{given} {family}", nat, nick, sex, True)
    if st == "sg":
        kind = r.choice(("cn", "ml", "in"))
        gm, gf, fams = SG_POOLS[kind]
        given = r.choice(gm if sex == "M" else gf)
        fam = r.choice(fams)
        if kind == "cn":
            nat = f"{fam} {given}"
            return Person(given, "", fam, nat, f"{given} {fam}", nat, "", sex, True)
        link = ("bin" if sex == "M" else "binte") if kind == "ml" else ("s/o" if sex == "M" else "d/o")
        nat = f"{given} {link} {fam}"
        return Person(given, link, fam, nat, nat, f"{given} {fam}", "", sex)
    if st in ("arabic", "arabic3", "somali"):
        father = r.choice([g for g in loc.gm if g != given] or loc.gm)
        grand = r.choice(loc.gm)
        if st == "arabic":
            link = "bin" if sex == "M" else "bint"
            family = r.choice(loc.sur)
            middle = f"{link} {father} bin {grand}" if r.random() < 0.5 else f"{link} {father}"
        elif st == "arabic3":
            family = r.choice(loc.sur)
            middle = father if r.random() < 0.5 else f"{father} {grand}"
        else:
            family = r.choice([s for s in loc.sur if s != father] or loc.sur)
            middle = father
        nat = f"{given} {middle} {family}"
        return Person(given, middle, family, nat, nat, f"{given} {family}", nick, sex)
    if st == "spanish":
        pat, mat = r.sample(loc.sur, 2)
        family = f"{pat} {mat}"
        nat = f"{given} {family}"
        return Person(given, "", family, nat, nat, f"{given} {pat}", nick, sex)
    family = _gendered(r.choice(loc.sur), sex)
    middle = ""
    if r.random() < 0.25:
        middle = r.choice([g for g in pool if g != given] or pool)
    nat = " ".join(x for x in (given, middle, family) if x)
    return Person(given, middle, family, nat, nat, f"{given} {family}", nick, sex)


def initials(s: str) -> str:
    out = []
    for w in s.split():
        if "-" in w:
            out.append("-".join(p[0] + "." for p in w.split("-") if p))
        elif w[0].isalpha():
            out.append(w[0] + ".")
        elif len(w) > 1:
            out.append(w[:2] + ".")
    return " ".join(out)


def translit(s: str) -> str:
    words = s.split()
    changed = [TRANSLIT.get(w, w) for w in words]
    if changed == words:
        changed = [w.replace("-", "") if "-" in w and w[0].isupper() else w for w in words]
    out = " ".join(changed)
    return out if out != s else strip_accents(s)


def name_form(r: random.Random, p: Person, form: str | None = None) -> str:
    forms = ["natural", "natural", "short", "family_given", "initial_family", "upper", "noacc", "translit"]
    if p.nick:
        forms.append("nick")
    form = form or r.choice(forms)
    if form == "natural":
        return p.natural
    if form == "record":
        return p.record
    if form == "short":
        return p.short
    if form == "family_given":
        fam = p.family.upper() if r.random() < 0.5 else p.family
        return f"{fam}, {p.given}"
    if form == "initial_family":
        if p.fam_first:
            return f"{p.family} {initials(p.given)}"
        if p.middle and r.random() < 0.5:
            return f"{initials(p.given + ' ' + p.middle)} {p.family}"
        return f"{initials(p.given)} {p.family}"
    if form == "initials":
        return initials(p.natural)
    if form == "upper":
        return p.natural.upper()
    if form == "lower":
        return p.natural.lower()
    if form == "noacc":
        return strip_accents(p.natural)
    if form == "translit":
        return translit(p.natural)
    if form == "nick":
        return p.nick or p.given
    if form == "given":
        return p.given
    if form == "family":
        return p.family
    return p.natural


@dataclass
class PatientRec:
    person: Person
    dob: dt.date
    mrn_label: str
    mrn: str
    street: str
    town: str
    postal: str
    phone: str
    email: str
    nid: str
    hp: str
    plate: str
    dl: str
    extra_ids: list[str] = field(default_factory=list)
    extra_phones: list[str] = field(default_factory=list)

    def to_alt(self) -> AltPatient:
        p = self.person
        names = [p.record]
        for n in (p.natural, p.short, p.nick):
            if n and n not in names:
                names.append(n)
        addr = tuple(x for x in (self.street, self.town, self.postal) if x)
        others = tuple(x for x in (self.nid, self.hp, self.plate, self.dl, *self.extra_ids) if x)
        return AltPatient(
            names=tuple(names),
            mrns=(self.mrn,),
            addresses=addr,
            phones=(self.phone, *self.extra_phones),
            emails=(self.email,) if self.email else (),
            other=others,
        )


def dob_fill(r: random.Random, pat: str, dob: dt.date, ctx: dict[str, str] | None = None) -> str:
    s = fill(r, pat)
    keys = {
        "yymmdd": dob.strftime("%y%m%d"),
        "ddmmyy": dob.strftime("%d%m%y"),
        "yyyymmdd": dob.strftime("%Y%m%d"),
        "ddmm": dob.strftime("%d%m"),
        "yyy": f"{dob.year:04d}"[1:],
        "yyyy": f"{dob.year:04d}",
        "yy": dob.strftime("%y"),
        "mm": dob.strftime("%m"),
        "dd": dob.strftime("%d"),
    }
    if ctx:
        keys.update(ctx)
    for k, v in keys.items():
        s = s.replace("{" + k + "}", v)
    return s


def email_for(r: random.Random, p: Person, doms: tuple[str, ...]) -> str:
    g = strip_accents(p.given).lower().replace(" ", "").replace("'", "")
    f = strip_accents(p.family).lower().replace(" ", "").replace("'", "").replace("-", "")
    pat = r.choice(("{g}.{f}", "{g}{f}{n}", "{gi}{f}", "{f}.{g}{n}", "{g}_{f}"))
    local = pat.format(g=g, f=f, gi=g[:1], n=r.randrange(1, 99))
    return f"{local}@{r.choice(doms)}"


EMERGENCY = {
    "at": "144",
    "ch": "144",
    "be": "112",
    "lu": "112",
    "is": "112",
    "hk": "999",
    "sg": "995",
    "nn": "911",
    "ak": "911",
    "pr": "911",
}
TRAPS = (
    "Metformin 500 mg PO BD, atorvastatin 40 mg nocte.",
    "Hb 112 g/L, CRP 48 mg/L, eGFR 54 mL/min/1.73m2, K+ 4.1 mmol/L.",
    "Enoxaparin 40 mg SC daily (lot {lot}, REF 7102-45).",
    "Coded as ICD-10 J18.9 and SNOMED CT 233604007; CPT 99223.",
    "GCS 15, NEWS2 score 3, Waterlow 14, Braden 16.",
    "Background: Parkinson disease, Hashimoto thyroiditis, Barrett oesophagus.",
    "Foley catheter removed; Hickman line in situ.",
    "Genotype: CYP2C19*2 heterozygous; HLA-B*58:01 negative.",
    "Will review after MDT. Hope to step down to oral therapy.",
    "Grant application for the equipment fund submitted by the ward manager.",
    "Eligible for protocol NCT0{nct} (not enrolled).",
    "LOINC 2160-0 creatinine 142 umol/L.",
    "Amoxicillin 1 g TDS x 5/7; paracetamol 1 g QDS PRN.",
    "Firmware v{ver}; ward PC on Windows 10 build 19045.",
    "Temp 37.9 C, HR 104, BP 132/78, SpO2 95% on room air.",
    "Precious little oral intake; Ensure Plus 200 mL BD.",
    "Poison information line called for advice (public line, 24 h).",
)


class Ctx:
    def __init__(self, r: random.Random, loc: Locale, pat: PatientRec, d0: dt.date) -> None:
        self.r = r
        self.loc = loc
        self.pat = pat
        self.d0 = d0
        self.b = Builder()

    # -- primitives
    def t(self, s: str) -> Ctx:
        self.b.t(s)
        return self

    def p(self, s: str, cat: str) -> Ctx:
        self.b.p(s, cat)
        return self

    def ch(self, x: float) -> bool:
        return self.r.random() < x

    def pick(self, seq: Sequence[T]) -> T:
        return self.r.choice(seq)

    def fill(self, pat: str) -> str:
        return dob_fill(self.r, pat, self.pat.dob)

    def trap(self) -> Ctx:
        s = self.pick(TRAPS).format(
            lot=fill(self.r, "@@####"), nct=fill(self.r, "#######"), ver=fill(self.r, "%.#.#")
        )
        return self.t(s)

    def by_lang(self, de: Sequence[str], fr: Sequence[str], es: Sequence[str], other: Sequence[str]) -> str:
        lang = self.loc.months
        pool = (
            de
            if lang.startswith("de")
            else fr
            if lang in ("fr", "ht")
            else es
            if lang in ("es", "pt")
            else other
        )
        return self.pick(pool)

    def emergency(self) -> str:
        return EMERGENCY.get(self.loc.key, "112")

    # -- names
    def person(self, sex: str | None = None, other_loc: bool = False) -> Person:
        loc = self.pick(LOCALES) if other_loc else self.loc
        return make_person(self.r, loc, sex)

    def pname(self, form: str | None = None) -> Ctx:
        return self.p(name_form(self.r, self.pat.person, form), "NAME")

    def name(self, person: Person | None = None, form: str | None = None, title: str = "") -> Ctx:
        person = person or self.person()
        if title:
            self.t(title + " ")
        if form is None:
            form = self.pick(("natural", "natural", "short", "family_given", "initial_family", "upper"))
        return self.p(name_form(self.r, person, form), "NAME")

    def doc(self, degree: bool = True, title: str = "Dr") -> Ctx:
        person = self.person(other_loc=self.ch(0.15))
        self.t(f"{title} " if title else "")
        self.p(name_form(self.r, person, self.pick(("natural", "short", "initial_family"))), "NAME")
        if degree:
            self.t(self.pick((", MD", " MBBS", ", FRACS", " (consultant)", ", Dr med", "")))
        return self

    def staff(self, role: str = "RN") -> Ctx:
        person = self.person()
        self.p(name_form(self.r, person, self.pick(("natural", "initial_family", "short", "given"))), "NAME")
        return self.t(f" {role}" if role else "")

    # -- dates
    def rdate(self, lo: int = -30, hi: int = 0) -> dt.date:
        return self.d0 + dt.timedelta(days=self.r.randint(lo, hi))

    def date_str(self, d: dt.date, style: str | None = None) -> tuple[str, str, str]:
        loc = self.loc
        r = self.r
        style = style or r.choice(("num", "num", "num", "long", "long", "iso", "dmon", "cal"))
        months = MONTHS.get(loc.months, EN_MONTHS)
        if style == "cal" and not loc.cal:
            style = "num"
        if style == "num":
            sep = loc.sep
            dd, mm = (f"{d.day:02d}", f"{d.month:02d}") if r.random() < 0.7 else (str(d.day), str(d.month))
            yy = str(d.year) if r.random() < 0.8 else f"{d.year % 100:02d}"
            if loc.order == "mdy":
                return "", f"{mm}{sep}{dd}{sep}{yy}", ""
            if loc.order == "ymd":
                return "", f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}", ""
            return "", f"{dd}{sep}{mm}{sep}{yy}", ""
        if style == "iso":
            return "", d.isoformat(), ""
        if style == "compact":
            return "", d.strftime("%Y%m%d"), ""
        if style == "dmon":
            return "", f"{d.day:02d}-{EN_MONTHS[d.month - 1][:3].upper()}-{d.year}", ""
        if style == "short":
            if loc.order == "mdy":
                return "", f"{d.month}/{d.day}", ""
            return "", f"{d.day} {months[d.month - 1][:3]}", ""
        if style == "monthyear":
            return "", f"{months[d.month - 1]} {d.year}", ""
        if style == "month":
            return "", months[d.month - 1], ""
        if style == "cal":
            if loc.cal == "hijri":
                y, m, day = to_hijri(d)
                if r.random() < 0.5:
                    return "", f"{day} {HIJRI_MONTHS[m - 1]} {y}", " AH"
                return "", f"{day:02d}/{m:02d}/{y}", " H"
            if loc.cal == "be":
                return "", f"{d.day:02d}/{d.month:02d}/{d.year + 544}", " BE"
            if loc.cal == "roc":
                if r.random() < 0.5:
                    return "民國", f"{d.year - 1911}年{d.month}月{d.day}日", ""
                return "ROC ", f"{d.year - 1911}/{d.month:02d}/{d.day:02d}", ""
            y, m, day = to_bs(d)
            if r.random() < 0.5:
                return "", f"{NEPALI_MONTHS[m - 1]} {day}, {y}", " BS"
            return "", f"{y}/{m:02d}/{day:02d}", " BS"
        # long
        mn = months[d.month - 1]
        lang = loc.months
        if loc.order == "mdy" and lang == "en":
            return "", f"{mn} {d.day}, {d.year}", ""
        if lang in ("es", "pt"):
            return "", f"{d.day} de {mn} de {d.year}", ""
        if lang in ("de", "de_at", "is", "hr", "da", "sr", "et"):
            return "", f"{d.day}. {mn} {d.year}", ""
        if lang == "lt":
            return "", f"{d.year} m. {mn} {d.day} d.", ""
        return "", f"{d.day} {mn} {d.year}", ""

    def date(self, d: dt.date | None = None, style: str | None = None, time: bool = False) -> Ctx:
        d = d or self.d0
        pre, s, post = self.date_str(d, style)
        self.t(pre).p(s, "DATE").t(post)
        if time:
            self.t(f" {self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}")
        return self

    def dob(self, style: str | None = None) -> Ctx:
        return self.date(self.pat.dob, style)

    def age(self, n: int | None = None, bare: bool = False) -> Ctx:
        n = self.age_of() if n is None else n
        if bare:
            if n < 90:
                return self.t(str(n))
            return self.p(str(n), "AGE_OVER_89") if self.ch(0.6) else self.p(age_words(n), "AGE_OVER_89")
        if n < 90:
            return self.t(self.pick((f"{n}-year-old", f"aged {n}", f"{n} y/o", f"{n}y")))
        form = self.r.randrange(5)
        if form == 0:
            return self.p(str(n), "AGE_OVER_89").t("-year-old")
        if form == 1:
            return self.t("aged ").p(age_words(n), "AGE_OVER_89")
        if form == 2:
            return self.p(str(n), "AGE_OVER_89").t(" y/o")
        if form == 3:
            return self.p(str(n), "AGE_OVER_89").t(" years")
        return self.t("age ").p(str(n), "AGE_OVER_89")

    def age_of(self, d: dt.date | None = None) -> int:
        d = d or self.d0
        b = self.pat.dob
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))

    # -- contact
    def new_phone(self) -> str:
        return fill(self.r, self.pick(self.loc.phones))

    def phone(self, num: str | None = None, cat: str = "PHONE") -> Ctx:
        return self.p(num or self.new_phone(), cat)

    def pphone(self) -> Ctx:
        num = self.pat.phone
        if self.ch(0.35):
            num = variant(self.r, num)
        return self.p(num, "PHONE")

    def email(self, person: Person | None = None, dom: str | None = None) -> Ctx:
        person = person or self.person()
        return self.p(email_for(self.r, person, (dom,) if dom else self.loc.doms), "EMAIL")

    def pemail(self) -> Ctx:
        e = self.pat.email
        return self.p(e.upper() if self.ch(0.1) else e, "EMAIL")

    def staff_email(self, person: Person, hosp_dom: str) -> str:
        g = strip_accents(person.given).lower().split()[0].replace("'", "")
        f = strip_accents(person.family).lower().replace(" ", "").replace("'", "")
        return f"{g}.{f}@{hosp_dom}"

    def hosp(self) -> str:
        return self.pick(self.loc.hosp)

    def hosp_dom(self) -> str:
        h = strip_accents(self.hosp()).lower()
        words = [w for w in h.replace("-", " ").replace(".", " ").replace("'", " ").split() if len(w) > 2]
        return "".join(w[0] for w in words[:4]) + self.pick((".org", ".health", ".gov", ".med", ".net"))

    def url(self, dom: str | None = None) -> Ctx:
        dom = dom or self.hosp_dom()
        path = self.pick(("portal/patient/{n}", "p/{n}", "video/join/{a}", "rec?id={n}", "share/{a}"))
        u = f"https://{self.pick(('', 'www.', 'portal.', 'meet.'))}{dom}/" + path.format(
            n=fill(self.r, "%######"), a=fill(self.r, "&&&&-&&&&-&&&&").lower()
        )
        return self.p(u, "URL")

    def ip(self) -> Ctx:
        r = self.r
        k = r.randrange(5)
        if k == 0:
            s = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif k == 1:
            s = f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif k == 2:
            s = f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif k == 3:
            s = f"{r.randint(41, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        else:
            s = (
                "2001:db8:"
                + ":".join(f"{r.randrange(65536):x}" for _ in range(3))
                + "::"
                + f"{r.randrange(4096):x}"
            )
        return self.p(s, "IP")

    # -- addresses
    def street(self) -> str:
        return fill(self.r, self.pick(self.loc.streets))

    def town(self) -> str:
        return self.pick(self.loc.towns)

    def postal(self) -> str:
        return fill(self.r, self.loc.postal) if self.loc.postal else ""

    def addr(
        self, street: str | None = None, town: str | None = None, postal: str | None = None, sep: str = ", "
    ) -> Ctx:
        if street is None:
            street, town, postal = self.street(), self.town(), self.postal()
        town = town or self.town()
        self.p(street, "ADDRESS").t(sep)
        if postal and not self.loc.postal_after:
            self.p(postal, "ZIP").t(" ").p(town, "ADDRESS")
        elif postal:
            self.p(town, "ADDRESS")
            st = self.loc.extra.get("state") or self.loc.extra.get("zip_prefix")
            self.t(f", {st} " if st else " ").p(postal, "ZIP")
        else:
            self.p(town, "ADDRESS")
        if self.ch(0.5):
            region = self.pick(self.loc.regions) if self.loc.regions else ""
            if region and region not in (town, "Singapore"):
                self.t(f", {region}")
            self.t(f", {self.loc.country}")
        return self

    def paddr(self, sep: str = ", ") -> Ctx:
        pat = self.pat
        street = pat.street
        if self.ch(0.2):
            street = street.replace(", ", " ").replace("No. ", "No ")
        return self.addr(street, pat.town, pat.postal, sep)

    # -- identifiers
    def mrn(self, label: bool = True) -> Ctx:
        pat = self.pat
        if label:
            self.t(f"{pat.mrn_label} ")
        num = variant(self.r, pat.mrn) if self.ch(0.3) else pat.mrn
        return self.p(num, "MRN")

    def other_mrn(self) -> str:
        return fill(self.r, self.pick(self.loc.mrn)[1])

    def nid(self, label: bool = True) -> Ctx:
        if label:
            self.t(f"{self.loc.nid[0]}: ")
        return self.p(self.pat.nid, "SSN")

    def hp(self, label: bool = True) -> Ctx:
        if label:
            self.t(f"{self.loc.hp[0]}: ")
        return self.p(self.pat.hp, "HEALTH_PLAN")

    def other_nid(self) -> str:
        d = self.d0 - dt.timedelta(days=self.r.randint(7000, 30000))
        return dob_fill(self.r, self.loc.nid[1], d)

    def plate(self) -> str:
        return fill(self.r, self.pick(self.loc.plates))

    def lic(self) -> Ctx:
        self.t(f"{self.loc.reg[0]} ")
        return self.p(fill(self.r, self.loc.reg[1]), "LICENSE")

    def serial(self) -> str:
        return fill(
            self.r,
            self.pick(("@@#######", "SN########", "####@####", "@#@-######", "%########@", "@@@-####-##")),
        )

    def udi(self) -> str:
        exp = self.d0 + dt.timedelta(days=self.r.randint(200, 900))
        return (
            fill(self.r, "(01)0#############(17)")
            + exp.strftime("%y%m%d")
            + fill(self.r, "(10)@####(21)&&&&&&&")
        )

    def vin(self) -> str:
        chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        return "".join(self.r.choice(chars) for _ in range(17))


def variant(r: random.Random, s: str) -> str:
    """Same identifier with different spacing / dashes."""
    digits = "".join(ch for ch in s if ch.isalnum())
    opts = []
    if " " in s:
        opts += [s.replace(" ", ""), s.replace(" ", "-")]
    if "-" in s:
        opts += [s.replace("-", " "), s.replace("-", "")]
    if "." in s and not s.replace(".", "").isalpha():
        opts.append(s.replace(".", " "))
    if not opts and len(digits) >= 6:
        k = len(digits) // 2
        opts += [digits[:k] + " " + digits[k:], digits[:k] + "-" + digits[k:]]
    opts = [o.strip() for o in opts if o.strip() and o.strip() != s]
    return r.choice(opts) if opts else s


# ---------------------------------------------------------------- note kinds


def k_bed_board(c: Ctx) -> None:
    c.t(f"PATIENT FLOW BOARD | {c.hosp()} | export ").date(style="iso", time=True).t("\n")
    c.t("Bed\tPatient\tHosp no\tAge\tAdmitted\tConsultant\tEDD\tStatus\tBleep\n")
    rows = c.r.randint(3, 6)
    me = c.r.randrange(rows)
    for i in range(rows):
        c.t(f"{c.pick('ABCDEF')}{c.r.randint(1, 28):02d}\t")
        if i == me:
            c.pname(c.pick(("family_given", "upper", "natural", "initial_family"))).t("\t").mrn(False).t("\t")
            c.age().t("\t")
        else:
            c.name(form=c.pick(("family_given", "upper"))).t("\t").p(c.other_mrn(), "MRN").t("\t")
            c.age(c.r.choice((34, 57, 71, 82, 88, 91, 93, 96, 101))).t("\t")
        c.date(c.rdate(-12, 0), c.pick(("short", "num"))).t("\t")
        c.name(form="family", title="Dr").t("\t")
        c.date(c.rdate(1, 6), c.pick(("short", "num"))).t("\t")
        c.t(
            c.pick(
                ("MFFD", "Awaiting OT", "Hold - Norovirus bay", "Needs POC", "Will review PM", "TTO ready")
            )
        )
        c.t("\t").p(fill(c.r, c.pick(("####", "#-####", "x####"))), "PHONE").t("\n")
    c.t("Site manager on call: ").staff("").t(", bleep ").phone(fill(c.r, "###")).t(". ")
    if c.ch(0.5):
        c.t("Encounter for flagged bed: ").p(fill(c.r, "E%#########"), "ACCOUNT").t(". ")
    c.t("Escalation OPEL 3. ").trap().t("\n")


def k_outbreak(c: Ctx) -> None:
    org = c.pick(
        ("Norovirus GII.4", "Influenza A(H3N2)", "CPE (OXA-48)", "C. difficile ribotype 027", "COVID-19")
    )
    c.t(f"Infection Prevention & Control line list — {org} — {c.hosp()}, Ward {c.r.randint(1, 9)}B\n")
    c.t("Outbreak declared ").date(c.rdate(-10, -5)).t("; IPC lead ").staff("").t(" ext ").phone(
        fill(c.r, "####")
    )
    c.t("\ncase_id;name;dob;onset;specimen;result;contact\n")
    n = c.r.randint(3, 6)
    me = c.r.randrange(n)
    for i in range(n):
        c.p(fill(c.r, "OB##-###"), "OTHER_ID").t(";")
        if i == me:
            c.pname(c.pick(("family_given", "natural", "noacc"))).t(";").dob("num").t(";")
        else:
            c.name(form=c.pick(("family_given", "natural"))).t(";").date(
                c.d0 - dt.timedelta(days=c.r.randint(20000, 33000)), "num"
            ).t(";")
        c.date(c.rdate(-9, 0), c.pick(("num", "iso", "short"))).t(";").p(fill(c.r, "M##@######"), "OTHER_ID")
        c.t(";" + c.pick(("PCR pos Ct 23.4", "PCR neg", "toxin EIA pos", "OXA-48 detected", "pending")) + ";")
        if c.ch(0.6):
            c.phone()
        c.t("\n")
    c.t("Staff cases: ").staff("HCA").t(", ").staff("RN").t(" (excluded 48 h). Bay closed; ").trap().t("\n")


def k_incident(c: Ctx) -> None:
    c.t("INCIDENT REPORT (Datix-style)\nRef: ").p(
        fill(c.r, c.pick(("W###### ", "INC-####-#####", "DX/##/####"))).strip(), "OTHER_ID"
    )
    c.t("\nDate/time of incident: ").date(c.rdate(-3, 0), time=True).t("\nLocation: ")
    c.t(
        c.pick(
            ("Ward 7 corridor", "multi-storey car park level 2", "Radiology waiting area", "Pharmacy hatch")
        )
    )
    c.t("\nReporter: ").staff(c.pick(("RN", "Porter", "Staff Nurse", "HCA"))).t(", employee no. ")
    c.p(fill(c.r, "%######"), "OTHER_ID").t(", ext ").phone(fill(c.r, "####")).t("\nPerson affected: ")
    c.pname().t(" (").mrn().t(")\n\nDescription: ")
    k = c.r.randrange(3)
    if k == 0:
        c.t("Patient found on the floor beside the vehicle ").p(
            c.plate() if c.ch(0.7) else c.vin(), "VEHICLE_ID"
        )
        c.t(" belonging to visitor ").name().t(". The driver's licence was noted as ").p(
            fill(c.r, c.loc.dl[1]), "LICENSE"
        )
        c.t(". Witness ").name().t(" (tel ").phone().t(") called the ward. Not the public ")
        c.t(c.emergency()).t(" line. ")
    elif k == 1:
        c.t("Discharge letter containing the patient's details was e-mailed in error from workstation ").ip()
        c.t(" to ").email().t(". Recall requested; access log at ").url().t(". ")
    else:
        c.t("Wrong-strength morphine sulfate 10 mg/mL given instead of 1 mg/mL (lot ")
        c.t(fill(c.r, "@@####") + "); naloxone 400 micrograms IV given with good effect. ")
        c.t("Second checker ").staff("RN").t(". ")
    c.t("\nHarm: ").t(c.pick(("no harm", "low", "moderate"))).t(". Handler: ").staff("").t(" — reviewed ")
    c.date(c.rdate(1, 5)).t(". ").trap().t("\n")


def k_cd_register(c: Ctx) -> None:
    drug = c.pick(
        (
            "Morphine sulfate 10 mg/1 mL inj",
            "Oxycodone 5 mg caps",
            "Fentanyl 25 mcg/h patch",
            "Methadone 1 mg/mL oral soln",
        )
    )
    c.t(f"CONTROLLED DRUG REGISTER — {c.hosp()} outpatient pharmacy\nDrug: {drug} (catalogue REF ")
    c.t(fill(c.r, "####-##") + ")\n")
    c.t("Date | Patient / supplier | Address | Prescriber | Reg no. | Qty | Balance | Witness\n")
    bal = c.r.randint(40, 90)
    rows = c.r.randint(2, 4)
    me = c.r.randrange(rows)
    for i in range(rows):
        qty = c.r.choice((5, 10, 14, 28))
        bal -= qty
        c.date(c.rdate(-20, 0), "num").t(" | ")
        if i == me:
            c.pname(c.pick(("natural", "family_given", "upper"))).t(" | ").paddr(" ").t(" | ")
        else:
            c.name().t(" | ").addr(sep=" ").t(" | ")
        c.doc(False, "").t(" | ").p(fill(c.r, c.loc.reg[1]), "LICENSE").t(f" | {qty} | {bal} | ").staff("").t(
            "\n"
        )
    c.t("Collected by ").name(form="natural").t(" (relative); ID seen: ")
    if c.ch(0.5):
        c.t("driving licence ").p(fill(c.r, c.loc.dl[1]), "LICENSE")
    else:
        c.t("passport ").p(fill(c.r, "@@#######"), "OTHER_ID")
    c.t(". Batch " + fill(c.r, "@####@") + ", balance check by ").staff("Pharm").t(".\n")


def k_mortuary(c: Ctx) -> None:
    c.t(f"MORTUARY RELEASE FORM — {c.hosp()}\nMortuary register no.: ").p(fill(c.r, "M/####/###"), "OTHER_ID")
    c.t("\nDeceased: ").pname(c.pick(("upper", "natural", "family_given"))).t("   ").mrn().t("\n")
    c.t(f"{c.loc.dob_lbl}: ").dob().t("   Age: ").age(bare=True).t("\nDate of death: ").date(
        c.rdate(-4, -1), time=True
    )
    if c.ch(0.4):
        c.t("\nCoroner / medico-legal case no.: ").p(fill(c.r, "####-####-@"), "OTHER_ID")
    c.t("\nIdentified by: ").name().t(
        f" ({c.pick(('son', 'daughter', 'niece', 'husband', 'wife', 'grandson'))}), "
    )
    if c.ch(0.5):
        c.t("ID: ").p(fill(c.r, c.loc.nid[1].replace("{", "").replace("}", "")), "SSN")
    else:
        c.t("passport no. ").p(fill(c.r, "@#######"), "OTHER_ID")
    funeral = c.by_lang(
        ("Bestattung Himmelblau",),
        ("Pompes Funèbres Lumière",),
        ("Funeraria La Paz", "Funerária Esperança"),
        ("Pax Funeral Services", "Eternal Rest Funeral Home"),
    )
    c.t("\nReleased to: ").t(funeral)
    c.t(", director ").name().t("\n  ").addr().t("\n  Tel ").phone().t("  Fax ").phone(cat="FAX")
    c.t("\n  Vehicle reg.: ").p(c.plate() if c.ch(0.8) else c.vin(), "VEHICLE_ID")
    c.t(f"\nProperty: 1 x yellow metal ring, 1 x watch (bag {fill(c.r, '##')}). Pacemaker ")
    if c.ch(0.6):
        c.t("explanted, serial ").p(c.serial(), "DEVICE_ID").t(".")
    else:
        c.t("none.")
    c.t("\nReleased by: ").staff("APT").t(" on ").date(c.rdate(0, 2)).t("\n")


def k_chaplaincy(c: Ctx) -> None:
    faith = c.pick(
        ("Catholic", "Orthodox", "Muslim", "Buddhist", "Methodist", "Seventh-day Adventist", "no faith")
    )
    c.t("Spiritual care visit — ").date(time=True).t("\n")
    c.t("Visited ").pname(c.pick(("natural", "nick", "short", "translit"))).t(", ").age()
    c.t(f", on ward at the family's request ({faith}). ")
    kids = [c.person() for _ in range(c.r.randint(1, 3))]
    c.t("Present: ")
    for i, kid in enumerate(kids):
        c.name(kid, form=c.pick(("natural", "given"))).t(", " if i < len(kids) - 1 else ". ")
    common = c.pick(("Hope", "Blessing", "Precious", "Goodluck", "Mercy", "Gift"))
    c.t("Granddaughter ").p(common, "NAME").t(
        f" read a psalm. {common} is also what the family asked us to pray for. "
    )
    male = c.pat.person.sex == "M"
    c.t("Patient spoke of " + ("his late wife " if male else "her late husband "))
    c.name(c.person(sex="F" if male else "M"), form="given").t(", who died in ")
    c.date(c.rdate(-2000, -400), c.pick(("monthyear", "month", "long")))
    role, title = {
        "Catholic": ("parish priest", "Father"),
        "Orthodox": ("priest", "Fr"),
        "Muslim": ("imam", "Sheikh"),
        "Buddhist": ("monk", "Ven."),
    }.get(faith, ("pastor", "Rev."))
    c.t(f". Requested the {role}, ").name(title=title).t(", tel ").phone().t(". ")
    c.t("Will review Friday. Hope is important to the family. Anointing of the sick offered.\n— ").staff(
        "Chaplain"
    ).t("\n")


def k_interpreter(c: Ctx) -> None:
    lang = c.pick(
        (
            "Somali",
            "Tongan",
            "Kinyarwanda",
            "Mongolian",
            "Haitian Creole",
            "Albanian",
            "Armenian",
            "Nepali",
            "Burmese",
            "K'iche'",
        )
    )
    c.t(f"INTERPRETER BOOKING LOG — {c.hosp()} Language Services\n")
    for i in range(c.r.randint(2, 4)):
        c.t("Booking ").p(fill(c.r, "IB-######"), "OTHER_ID").t(" | ").date(c.rdate(0, 14), time=True)
        c.t(f" | {lang} | ")
        if i == 0:
            c.pname(c.pick(("natural", "family_given", "noacc"))).t(" | ").mrn()
        else:
            c.name().t(" | ").t(c.pick(self_mrn_labels(c))).p(c.other_mrn(), "MRN")
        c.t(" | interpreter ").name().t(" (badge ").p(fill(c.r, "INT-####"), "OTHER_ID").t(") | ")
        mode = c.r.randrange(3)
        if mode == 0:
            c.t("video: ").url()
            if c.ch(0.5):
                c.t(" (endpoint ").ip().t(")")
        elif mode == 1:
            c.t("phone: ").phone()
        else:
            c.t("face to face, clinic " + c.pick(("3A", "Audiology", "Eye clinic")))
        c.t(" | requested by ").email(dom=c.hosp_dom()).t("\n")
    c.t("Note: family member not to interpret. Will review after the clinic. ").trap().t("\n")


def self_mrn_labels(c: Ctx) -> tuple[str, ...]:
    return tuple(f"{lab} " for lab, _ in c.loc.mrn)


def k_audiology(c: Ctx) -> None:
    c.t(f"AUDIOLOGY REPORT — {c.hosp()}\nName: ").pname(c.pick(("natural", "family_given", "upper")))
    c.t(f"   {c.loc.dob_lbl}: ").dob().t("   ").mrn().t("\nTested: ").date().t(" by ").staff("Audiologist")
    c.t(" (").lic().t(")\n\nPure-tone audiometry (dB HL)\nHz     250  500  1k   2k   4k   8k\n")
    for ear in ("R AC", "L AC"):
        vals = "  ".join(f"{c.r.choice((15, 20, 25, 35, 40, 55, 60, 70)):>3}" for _ in range(6))
        c.t(f"{ear}  {vals}\n")
    c.t("Tympanometry type A bilaterally; speech recognition 84% at 65 dB.\n")
    c.t("Impression: bilateral sensorineural loss, presbycusis pattern; ").age().t(".\n\n")
    c.t("Devices fitted ").date(c.rdate(-400, -5), c.pick(("long", "num", "month"))).t(":\n")
    for ear in ("Right", "Left"):
        model = c.pick(("Phonak Audéo P90-R", "Oticon More 1 miniRITE", "Signia Pure 7X", "ReSound ONE 9"))
        c.t(f"- {ear}: {model}, serial ").p(c.serial(), "DEVICE_ID").t(", receiver size 2M (REF ")
        c.t(fill(c.r, "###-####")).t(")\n")
    if c.ch(0.3):
        c.t("- Cochlear implant processor Nucleus 8, S/N ").p(c.serial(), "DEVICE_ID").t("\n")
    c.t("Remote fine-tuning app paired; clinic portal ").url().t("\n")
    c.t("Grant application to the hearing-aid bank approved. Will review in 6 weeks; ")
    c.t("text reminders to ").pphone().t(".\n")


def k_ophthalmology(c: Ctx) -> None:
    c.t(f"{c.hosp()} — Eye Clinic\n").pname(c.pick(("upper", "family_given", "natural")))
    c.t(" | ").mrn().t(" | ").dob("num").t(" (").age().t(") | seen ").date().t("\n\n")
    c.t("        VA unaided  pinhole  LogMAR  IOP (mmHg)\n")
    for eye in ("RE", "LE"):
        va = c.pick(("6/9", "6/12", "6/18", "6/60", "CF", "20/40", "20/70"))
        c.t(f"{eye}      {va:<10}  6/9      0.{c.r.randint(1, 9)}     {c.r.randint(11, 28)}\n")
    c.t("\nPhaco + IOL right eye on ").date(c.rdate(-60, -20)).t(". Lens: ")
    c.t(
        c.pick(("Alcon AcrySof SN60WF", "J&J Tecnis ZCB00", "Zeiss CT Lucia 611P"))
        + f" +{c.r.randint(15, 25)}.5 D"
    )
    c.t(", serial ").p(fill(c.r, "########.###"), "DEVICE_ID")
    if c.ch(0.5):
        c.t(", UDI ").p(c.udi(), "DEVICE_ID")
    c.t(".\nOCT macula accession ").p(fill(c.r, "OCT-@@######"), "OTHER_ID")
    c.t(": dry AMD, no fluid. Diabetic retinopathy grade R1M0P0. Latanoprost 0.005% nocte.\n")
    if c.ch(0.6):
        c.t("Driving: meets standard; licence ").p(fill(c.r, c.loc.dl[1]), "LICENSE").t(" checked.\n")
    c.t("Surgeon: ").doc().t(". Next: ").date(c.rdate(30, 120), c.pick(("long", "month", "monthyear"))).t(
        ".\n"
    )


def k_rx(c: Ctx) -> None:
    c.t("℞ PRESCRIPTION\n").doc().t("\n").addr(sep="\n").t("\nTel ").phone().t("  Fax ").phone(cat="FAX").t(
        "\n"
    )
    c.lic().t("\n")
    if c.loc.key in ("nn", "ak", "pr"):
        c.t("DEA ").p(fill(c.r, "@@#######"), "LICENSE").t("  NPI ").p(fill(c.r, "1#########"), "OTHER_ID").t(
            "\n"
        )
    c.t("\nPatient: ").pname().t("   " + c.loc.dob_lbl + ": ").dob().t("\n").paddr().t("\n")
    c.hp().t("   ").nid().t("\nRx no. ").p(fill(c.r, "RX-#######"), "OTHER_ID").t("   Date: ").date().t(
        "\n\n"
    )
    for _ in range(c.r.randint(2, 4)):
        c.t(
            "- "
            + c.pick(
                (
                    "Apixaban 5 mg tab, 1 BD, #60",
                    "Levothyroxine 75 mcg, 1 mane, #28",
                    "Salbutamol 100 mcg MDI, 2 puffs PRN",
                    "Insulin glargine 100 U/mL, 18 U nocte",
                    "Artemether/lumefantrine 20/120 mg, 4 tabs BD x3 days",
                    "Isoniazid 300 mg + pyridoxine 25 mg daily",
                )
            )
            + "\n"
        )
    c.t("Repeats: 0. Not valid after ").date(c.rdate(28, 90)).t(".\n")
    if c.ch(0.4):
        c.t("e-Rx token: ").url().t("\n")


def k_refugee(c: Ctx) -> None:
    c.t("REFUGEE / MIGRANT HEALTH SCREENING\nUNHCR case no.: ").p(fill(c.r, "###-##C#####"), "OTHER_ID")
    c.t("   Individual no.: ").p(fill(c.r, "###-########"), "OTHER_ID").t("\nIOM medical ID: ")
    c.p(fill(c.r, "IOM-@@-######"), "OTHER_ID").t("\nName: ").pname(c.pick(("record", "upper")))
    alt = name_form(c.r, c.pat.person, c.pick(("translit", "noacc", "short", "family_given")))
    if alt != c.pat.person.record:
        c.t(" (also written ").p(alt, "NAME").t(")")
    c.t("\n")
    c.t("DOB: ").dob().t(" (declared; documents lost)")
    if c.loc.cal:
        c.t(" = ").dob("cal")
    c.t("\nArrived ").date(c.rdate(-60, -1)).t("; travel document ").p(fill(c.r, "@@#######"), "OTHER_ID")
    c.t("\nShelter: ").addr().t("\nContact: ").pphone().t(" (WhatsApp); brother ").name().t(" ").phone().t(
        "\n"
    )
    c.t("Screening: IGRA positive, CXR clear -> LTBI, 3HP offered. HBsAg neg, HIV Ag/Ab neg, ")
    c.t("Strongyloides serology pos -> ivermectin 200 mcg/kg x2. MMR lot " + fill(c.r, "@@###") + ".\n")
    c.t("Screened by ").doc().t("; interpreter ").name().t(".\n")


def k_detention(c: Ctx) -> None:
    c.t(
        "RECEPTION HEALTH SCREEN — "
        + c.pick(("Remand Centre", "Immigration Removal Centre", "Correctional Facility"))
        + "\n"
    )
    c.t("Prisoner no.: ").p(fill(c.r, c.pick(("@#####@@", "####-####", "IRC/##/####"))), "OTHER_ID")
    c.t("   Name: ").pname(c.pick(("family_given", "upper", "natural"))).t("   ").dob("num").t("\n")
    c.t("Received ").date(time=True).t(" from court; escort officer ").name().t(" (collar ")
    c.p(fill(c.r, "####"), "OTHER_ID").t(")\nPrior hospital no.: ").mrn(False).t("\n")
    c.t("Last address given: ").paddr().t("\nNext of kin: ").name().t(", ").phone().t("\n")
    c.t(
        "Q1 thoughts of self-harm: no. Q2 alcohol: AUDIT-C 9. "
        "Opiate withdrawal COWS 7 -> buprenorphine 8 mg.\n"
    )
    if c.ch(0.6):
        c.t("National ID on warrant: ").nid(False).t(". ")
    if c.ch(0.5):
        c.t("Own vehicle ").p(c.plate(), "VEHICLE_ID").t(" impounded at arrest. ")
    c.t("Solicitor ").name().t(" tel ").phone().t("; next court date ").date(
        c.rdate(7, 28), c.pick(("long", "short"))
    ).t(".\n")
    c.t("Screened by ").staff("RMN").t(". Emergency number on wing: ").t(c.emergency()).t(
        " not applicable; use code blue.\n"
    )


def k_aviation(c: Ctx) -> None:
    if c.ch(0.6):
        c.t("MEDICAL CERTIFICATE — Class " + c.pick(("1", "2", "LAPL")) + " (Part-MED, EASA Form 160)\n")
        c.t("Holder: ").pname(c.pick(("upper", "record", "natural"))).t("\nLicence no.: ")
        c.p(fill(c.r, c.pick(("@@.FCL.#####", "@@@.PPL.####", "@@-####-@@@"))), "LICENSE")
        c.t("\nDate of birth: ").dob().t("   Nationality: ").t(c.loc.country).t("\n")
    else:
        c.t("FITNESS-TO-DIVE CERTIFICATE (recreational, RSTC medical)\nDiver: ").pname().t(
            "\nCMAS/diver ID: "
        )
        c.p(fill(c.r, "@@@/##/#####"), "OTHER_ID").t("\nDOB: ").dob().t("\nDive centre: ").addr().t("\n")
    c.t("Examined: ").date().t("   Valid until: ").date(c.rdate(365, 730)).t("\n")
    c.t(
        "Limitations: VML (corrective lenses). ECG sinus rhythm 64 bpm, QTc 412 ms; "
        "spirometry FEV1/FVC 0.78.\n"
    )
    c.t("AME/examiner: ").doc().t(", AME no. ").p(fill(c.r, "@@.AME.####"), "LICENSE").t("\n")
    c.t("Tel ").phone().t("  e-mail ").email(dom=c.hosp_dom()).t("\n")
    if c.ch(0.5):
        c.t("Own aircraft registration noted for insurance: ").p(fill(c.r, "@-@@@@"), "VEHICLE_ID").t("\n")


def k_biobank(c: Ctx) -> None:
    c.t("BIOBANK CONSENT LOG (ISRCTN" + fill(c.r, "########") + ", protocol v4.1)\n")
    c.t("participant_id\tname\tmrn\tconsent_date\tsamples\te-consent\n")
    for i in range(c.r.randint(2, 4)):
        c.p(fill(c.r, "BB-####-@"), "OTHER_ID").t("\t")
        if i == 0:
            c.pname(c.pick(("family_given", "natural", "lower"))).t("\t").mrn(False).t("\t")
        else:
            c.name().t("\t").p(c.other_mrn(), "MRN").t("\t")
        c.date(c.rdate(-90, 0), c.pick(("iso", "num"))).t("\t")
        c.p(fill(c.r, "S##-######"), "OTHER_ID").t(", ").p(fill(c.r, "S##-######"), "OTHER_ID").t("\t").url()
        if c.ch(0.5):
            c.t(" from ").ip()
        c.t("\n")
    c.t("Consent taken by ").staff("Research Nurse").t(" (").email(dom=c.hosp_dom()).t("). ")
    c.t("Witness ").name().t(". BRCA2 c.5946delT cascade testing declined. ")
    if c.ch(0.4):
        c.t("Withdrawal received ").date(c.rdate(1, 30), "long").t(". ")
    c.t("Freezer rack 4, -80 C. Tier 2 data sharing only.\n")


def k_voicemail(c: Ctx) -> None:
    c.t(f"Clinic voicemail transcripts (auto-transcribed) — {c.hosp()}\n")
    for i in range(c.r.randint(2, 3)):
        c.t(f"[{i + 1}] received ").date(c.rdate(-2, 0), time=True).t(" from ")
        num = c.pat.phone if i == 0 else c.new_phone()
        c.phone(num).t('\n"hi um this is ')
        if i == 0:
            c.pname(c.pick(("natural", "nick", "given", "lower")))
            c.t(" calling about my appointment on ").date(c.rdate(1, 10), c.pick(("short", "long", "month")))
        else:
            who = c.person()
            c.name(who, form=c.pick(("natural", "given"))).t(" calling for my ")
            c.t(c.pick(("mum", "dad", "grandmother", "husband"))).t(" ")
            c.pname(c.pick(("natural", "short", "family", "nick")))
            c.t(" her hospital number is ").mrn(False)
        c.t(" could somebody please ring me back on ").p(spoken_number(c.r, num), "PHONE")
        c.t(' thanks bye"\n')
    c.t("Callback done by ").staff("").t("; will ring again. Did not leave details on the 988/crisis line.\n")


def k_chatbot(c: Ctx) -> None:
    c.t("SYMPTOM-CHECKER SESSION EXPORT\nsession: ").url(
        c.pick(("symptomcheck.health", "askdoc.app", "triage.bot"))
    )
    c.t("\nclient_ip: ").ip().t("   ua: Mozilla/5.0 (Android 14) Chrome/124.0.6367.91\nstarted: ").date(
        style="iso", time=True
    )
    c.t("\n\nBOT: Hello, who am I talking to?\nUSER: ").pname(c.pick(("lower", "given", "natural", "nick")))
    c.t("\nBOT: Date of birth?\nUSER: ").dob(c.pick(("num", "long")))
    c.t("\nBOT: What brings you here today?\nUSER: ")
    c.t(
        c.pick(
            (
                "chest tightness since this morning",
                "fever 39.2 and rash on legs",
                "my baby not feeding well",
                "headache worst ever",
            )
        )
    )
    c.t("\nBOT: If this is an emergency call " + c.emergency() + ". Can we contact you?\nUSER: ").pemail()
    if c.ch(0.5):
        c.t(" or ").pphone()
    c.t("\nBOT: Do you have a health insurance number?\nUSER: ").p(variant(c.r, c.pat.hp), "HEALTH_PLAN")
    c.t("\nBOT: Thank you. Disposition: urgent care within 4 h. Summary sent to ").email(dom=c.hosp_dom())
    c.t("\n[handoff] nurse ").staff("RN").t(" joined from ").ip().t("\n")


def k_telemetry(c: Ctx) -> None:
    dev = c.pick(("Zio AT patch", "BioButton", "Apple Watch ECG", "Masimo Radius PPG", "Dexcom G7 CGM"))
    c.t(f"REMOTE MONITORING ALARM EXPORT — {dev}\nDevice S/N: ").p(c.serial(), "DEVICE_ID")
    c.t("   gateway: ").ip().t("   fw v" + fill(c.r, "%.#.##") + "\nPatient: ").pname(
        c.pick(("upper", "family_given", "natural"))
    )
    c.t(" (").age().t(")   ").mrn().t("\nDashboard: ").url().t("\n\ntimestamp | alarm | value | ack\n")
    for _ in range(c.r.randint(3, 6)):
        c.date(c.rdate(-3, 0), c.pick(("iso", "iso", "num"))).t(
            f" {c.r.randint(0, 23):02d}:{c.r.randint(0, 59):02d}:{c.r.randint(0, 59):02d} | "
        )
        c.t(
            c.pick(
                (
                    "HR HIGH | 142 bpm",
                    "SpO2 LOW | 86 %",
                    "GLU LOW | 3.1 mmol/L",
                    "AF burden | 12 %",
                    "LEAD OFF | -",
                )
            )
        )
        c.t(" | ")
        if c.ch(0.6):
            c.staff("")
        else:
            c.t("unack")
        c.t("\n")
    c.t("Escalated to on-call cardiology, pager ").phone(fill(c.r, "####")).t(". Replacement sensor S/N ")
    c.p(c.serial(), "DEVICE_ID").t(" posted ").date(c.rdate(0, 2), "short").t(".\n")


def k_ics(c: Ctx) -> None:
    d = c.rdate(1, 40)
    org = c.person()
    dom = c.hosp_dom()
    c.t("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Clinic Scheduler//v5.12//EN\nBEGIN:VEVENT\nDTSTAMP:")
    c.p(c.d0.strftime("%Y%m%d"), "DATE").t("T080000Z\nDTSTART:").p(d.strftime("%Y%m%d"), "DATE")
    c.t(f"T{c.r.randint(8, 16):02d}{c.pick(('00', '15', '30', '45'))}00\nSUMMARY:")
    c.t(c.pick(("Audiology review", "Orthotics fitting", "Eye clinic", "Podiatry", "Memory clinic"))).t(" - ")
    c.pname(c.pick(("family_given", "natural", "initial_family"))).t("\nLOCATION:").t(c.hosp()).t("\\, ")
    c.p(c.street().replace(",", "\\,"), "ADDRESS").t("\\, ").p(c.town(), "ADDRESS").t("\nORGANIZER;CN=")
    c.name(org, form="natural").t(":mailto:").p(c.staff_email(org, dom), "EMAIL")
    c.t("\nATTENDEE;CN=").pname("natural").t(";RSVP=TRUE:mailto:").pemail()
    c.t("\nDESCRIPTION:").t(c.pat.mrn_label).t(" ").p(c.pat.mrn, "MRN").t(" - call ").pphone()
    c.t(" if running late. Bring hearing aids.\nURL:").url(dom).t("\nEND:VEVENT\nEND:VCALENDAR\n")


def k_cda(c: Ctx) -> None:
    p = c.pat.person
    c.t('<ClinicalDocument xmlns="urn:hl7-org:v3">\n  <templateId root="2.16.840.1.113883.10.20.22.1.1"/>\n')
    c.t('  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1" displayName="Summary of episode note"/>\n')
    c.t('  <effectiveTime value="').p(c.d0.strftime("%Y%m%d"), "DATE").t(
        f'{c.r.randint(8, 18):02d}3000+0000"/>\n'
    )
    c.t('  <recordTarget><patientRole>\n    <id root="1.2.3.4.5.99" extension="').p(c.pat.mrn, "MRN").t(
        '"/>\n'
    )
    c.t('    <id root="2.16.840.1.113883.4.1" extension="').p(c.pat.nid, "SSN").t(
        '"/>\n    <addr use="HP">\n'
    )
    c.t("      <streetAddressLine>").p(c.pat.street, "ADDRESS").t("</streetAddressLine>\n      <city>")
    c.p(c.pat.town, "ADDRESS").t("</city>\n")
    if c.pat.postal:
        c.t("      <postalCode>").p(c.pat.postal, "ZIP").t("</postalCode>\n")
    c.t(f"      <country>{c.loc.country}</country>\n    </addr>\n")
    c.t('    <telecom use="MC" value="tel:').p(c.pat.phone.replace(" ", ""), "PHONE").t('"/>\n')
    if c.pat.email:
        c.t('    <telecom value="mailto:').p(c.pat.email, "EMAIL").t('"/>\n')
    c.t("    <patient><name><given>").p(p.given, "NAME").t("</given>")
    if p.middle and " " not in p.middle:
        c.t("<given>").p(p.middle, "NAME").t("</given>")
    c.t("<family>").p(p.family, "NAME").t("</family></name>\n")
    c.t(f'      <administrativeGenderCode code="{p.sex}"/><birthTime value="').p(
        c.pat.dob.strftime("%Y%m%d"), "DATE"
    )
    c.t('"/>\n    </patient></patientRole></recordTarget>\n  <participant typeCode="HLD"><associatedEntity>')
    c.t('<id root="2.16.840.1.113883.3.88" extension="').p(c.pat.hp, "HEALTH_PLAN").t(
        '"/></associatedEntity></participant>\n'
    )
    c.t('  <componentOf><encompassingEncounter><id extension="').p(fill(c.r, "V%########"), "ACCOUNT").t(
        '"/>\n'
    )
    c.t("    <responsibleParty><assignedEntity><assignedPerson><name><prefix>Dr</prefix>")
    doc = c.person()
    c.t("<given>").p(doc.given, "NAME").t("</given><family>").p(doc.family, "NAME").t("</family>")
    c.t(
        "</name></assignedPerson></assignedEntity></responsibleParty>\n"
        "  </encompassingEncounter></componentOf>\n"
    )
    c.t(
        '  <component><section><code code="10160-0"/>'
        "<text>Metformin 1 g BD; HbA1c 58 mmol/mol (7.5 %).</text>"
    )
    c.t("</section></component>\n</ClinicalDocument>\n")


def k_letter(c: Ctx) -> None:
    if c.ch(0.35):
        c.t(c.pick(("PRIORITAIRE", "PRIORITY", "EINSCHREIBEN", "CORREO CERTIFICADO", "PAR AVION")) + "\n")
        c.pname(c.pick(("upper", "natural"))).t("\n").paddr("\n").t("\n")
        c.t(f"{c.loc.country.upper()}\n\nReturn address: {c.hosp()}, ").addr().t("\n\n---\n")
    c.t(f"{c.hosp()}\n").addr(sep="\n").t("\nTel ").phone().t(" | Fax ").phone(cat="FAX").t("\n\n")
    title = c.loc.titles[0 if c.pat.person.sex == "M" else 1]
    if title:
        c.t(title + " ")
    c.pname(c.pick(("natural", "short", "record"))).t("\n").paddr("\n").t("\n\n")
    c.t("Our ref: ").mrn(False).t("     Date: ").date(style=c.pick(("long", "num"))).t("\n\n")
    c.t("Dear " + (title + " " if title else "")).pname(c.pick(("family", "natural"))).t(",\n\n")
    c.t("Your appointment at the ").t(c.pick(("orthotics", "podiatry", "audiology", "eye", "memory")))
    c.t(" clinic is on ").t(c.pick(("Monday", "Tuesday", "Thursday")) + " ").date(c.rdate(7, 60), "long")
    c.t(" at 10:30. If you cannot attend, please phone ").phone().t(" or e-mail ").email(dom=c.hosp_dom())
    c.t(". Please bring your ").t(c.loc.hp[0]).t(" card (").hp(False).t(").\n")
    if c.ch(0.35):
        c.t("A parking permit has been issued for vehicle ").p(c.plate(), "VEHICLE_ID").t(". ")
    c.t(
        "Parking is limited; the Grant Street entrance is closed. "
        "Will you please arrive 15 minutes early.\n\n"
    )
    c.t("Yours sincerely,\n").doc().t("\nc.c. GP ").doc(False).t(", fax ").phone(cat="FAX").t("\n")


def k_care_home(c: Ctx) -> None:
    c.t(
        "CARE HOME ADMISSION CHECKLIST — "
        + c.by_lang(
            ("Residenz Abendsonne",),
            ("Maison de repos Les Tilleuls",),
            ("Hogar San José",),
            ("Evergreen Lodge",),
        )
        + "\n"
    )
    c.t("Resident ........ ").pname(c.pick(("record", "family_given", "upper"))).t("\nKnown as ........ ")
    c.pname("nick" if c.pat.person.nick else "given").t("\nBorn ............ ").dob().t(" (").age().t(")\n")
    c.t("Came from ....... ").paddr().t("\nID card ......... ").nid(False).t("\nHealth cover .... ").hp(False)
    c.t("\nHosp. no. ....... ").mrn(False).t("\nKin (1) ......... ").name().t(", ").phone()
    c.t("\nKin (2) ......... ").name().t(", ").email().t("\nGP .............. ").doc(False).t(", fax ")
    c.phone(cat="FAX").t("\nVisitor car reg (parking permit) ").p(c.plate(), "VEHICLE_ID")
    c.t("\nHearing aids .... L ").p(c.serial(), "DEVICE_ID").t(" / R ").p(c.serial(), "DEVICE_ID")
    c.t("\nPension ref ..... ").p(fill(c.r, "P-########"), "OTHER_ID")
    c.t("\nDNACPR form ..... signed ").date(c.rdate(-100, -1)).t(
        "\nMobility ........ Zimmer frame; Waterlow 18; MUST 1"
    )
    c.t("\nFuneral wishes .. ").t(c.pick(("burial", "cremation", "not discussed"))).t("\n")


def k_insurance(c: Ctx) -> None:
    c.t("INSURANCE MEDICAL EXAMINATION (paramedical)\nApplication/policy no.: ").p(
        fill(c.r, "LP-########"), "ACCOUNT"
    )
    c.t("\nApplicant: ").pname().t("   ").nid().t("\nDOB: ").dob().t("   Age: ").age(bare=True)
    c.t("\nAddress: ").paddr().t("\nPhone: ").pphone().t("   E-mail: ").pemail()
    c.t("\nCurrent health cover: ").hp(False).t("\nID verified: driving licence ").p(c.pat.dl, "LICENSE")
    if c.ch(0.5):
        c.t("\nOccupation: taxi driver, vehicle ").p(c.plate() if c.ch(0.6) else c.vin(), "VEHICLE_ID")
    c.t("\n\nHt 172 cm, Wt 84 kg, BMI 28.4; BP 138/86, 134/84; pulse 72 reg.\n")
    c.t("Urine: cotinine neg, protein trace. Blood: HbA1c 41 mmol/mol, cholesterol 5.6 mmol/L.\n")
    c.t("Family history: father MI at 58. Applicant reports no hazardous pursuits (diving: yes, 30 m).\n")
    c.t("Examiner: ").staff("RN").t(" ").lic().t("   Date: ").date().t("\nLab requisition: ")
    c.p(fill(c.r, "LQ########"), "OTHER_ID").t("; billing ref ").p(fill(c.r, "INV-#####-##"), "ACCOUNT").t(
        "\n"
    )


def k_coding(c: Ctx) -> None:
    coder = c.person()
    dom = c.hosp_dom()
    c.t("CLINICAL CODING QUERY\nTo: ").doc(False).t("   From: ").name(coder, form="natural").t(
        ", Clinical Coder ("
    )
    c.p(c.staff_email(coder, dom), "EMAIL").t(", ext ").phone(fill(c.r, "####")).t(")\n")
    c.t("Patient: ").pname(c.pick(("family_given", "initial_family", "upper"))).t(", ").age().t("   ").mrn()
    c.t("\nEncounter/FIN: ").p(fill(c.r, c.pick(("########", "FIN ########", "@##########"))), "ACCOUNT")
    c.t("\nAdmitted ").date(c.rdate(-20, -8)).t(", discharged ").date(c.rdate(-7, -1)).t("\n\n")
    c.t("The discharge summary lists 'urosepsis' and 'AKI'. Please confirm the organism and whether the ")
    c.t("AKI (KDIGO stage 2) was present on admission. Provisional codes: A41.51, N17.9, N39.0; DRG L63B.\n")
    c.t("Reply by ").date(c.rdate(1, 5), c.pick(("short", "num"))).t(" — fax ").phone(cat="FAX")
    c.t(" or secure portal ").url(dom).t(".")
    if c.ch(0.5):
        c.t(" Query raised from workstation ").ip().t(".")
    c.t("\n")


def k_labels(c: Ctx) -> None:
    pharm = c.by_lang(
        ("Apotheke zum Löwen",),
        ("Pharmacie Centrale",),
        ("Farmacia San Rafael", "Farmácia Popular"),
        ("Guardian Pharmacy", "Unity Chemist"),
    )
    for _ in range(c.r.randint(2, 3)):
        c.t(f"+------------------------------------------+\n| {pharm} — ")
        c.p(c.street(), "ADDRESS").t(" — Tel ").phone().t("\n| Rx ").p(fill(c.r, "#######"), "OTHER_ID").t(
            "   "
        )
        c.pname(c.pick(("upper", "family_given", "initial_family"))).t("\n| ")
        c.t(
            c.pick(
                (
                    "FUROSEMIDE 40 MG TABLETS",
                    "BISOPROLOL 2.5 MG TABS",
                    "SERTRALINE 50 MG TABLETS",
                    "PREDNISOLONE 5 MG EC",
                )
            )
        )
        c.t("\n| Take ONE tablet each morning. Qty 28. Lot " + fill(c.r, "@@####@") + "\n| Disp ")
        c.date(c.rdate(-1, 0), "num").t("  Discard after ").date(
            c.rdate(120, 400), c.pick(("monthyear", "num"))
        ).t("\n| Dr ")
        c.name(form=c.pick(("family", "initial_family"))).t("   Claim ").p(
            fill(c.r, "CL#########"), "ACCOUNT"
        ).t("\n")
    c.t("+------------------------------------------+\n")


def k_nicu(c: Ctx) -> None:
    mum = c.pat.person
    c.t("NICU TRANSFER NOTE\nBaby of ").pname(c.pick(("natural", "family_given", "upper")))
    c.t(f" (twin {c.pick(('I', 'II'))})   Baby hosp. no. ").p(c.other_mrn(), "MRN").t("   Mother ").mrn()
    c.t("\nBorn ").date(c.rdate(-1, 0), time=True).t(
        " at 29+3 weeks, BW 1240 g, Apgar 5 and 8, cord pH 7.21.\n"
    )
    c.t("Surfactant (poractant alfa 200 mg/kg) via LISA; CPAP 6 cmH2O, FiO2 0.30.\n")
    c.t("Transfer to ").t(c.hosp()).t(" NICU; accepting neonatologist ").doc().t(", unit tel ").phone().t(
        "\n"
    )
    c.t("Transport incubator S/N ").p(c.serial(), "DEVICE_ID").t("; team ").staff("ANNP").t(", ").staff(
        "RN"
    ).t("\n")
    c.t("Father ").name(c.person(sex="M"), form="natural").t(", mobile ").phone()
    if c.ch(0.7):
        c.t("; car ").p(c.plate(), "VEHICLE_ID").t(" (parking exemption)")
    c.t(".\nHome: ").paddr().t(". Mother's mobile ").pphone()
    if c.ch(0.4):
        c.t(", mother's ID ").nid(False)
    c.t(". Mother's name spelled ")
    c.p(name_form(c.r, mum, "upper"), "NAME").t(" on the band.\n")


def k_safeguarding(c: Ctx) -> None:
    child = c.person()
    c.t("PAEDIATRIC SAFEGUARDING REFERRAL\nChild: ").name(child, form="natural").t(", DOB ")
    c.date(c.d0 - dt.timedelta(days=c.r.randint(400, 4000))).t("\nParent/carer: ").pname().t(" (mother), ")
    c.pphone().t("\nAddress: ").paddr().t("\nSiblings: ").name(form="given").t(", ").name(form="given").t(
        "\n"
    )
    c.t("Concern: bruising to ear and buttocks, inconsistent history; skeletal survey requested.\n")
    c.t("Mother's partner ").name().t(" drives ").p(c.plate(), "VEHICLE_ID").t("; police incident no. ")
    c.p(fill(c.r, c.pick(("CAD ####-##/##", "PI-####-######", "#####/##"))), "OTHER_ID").t(".\n")
    c.t("Referred to children's services duty worker ").name().t(" (").email(dom="council.gov").t(", tel ")
    c.phone().t(") on ").date(time=True).t(". Child's ").t(c.loc.mrn[0][0]).t(" ").p(c.other_mrn(), "MRN").t(
        ".\n"
    )
    c.t("Referrer: ").doc().t(". Strategy meeting ").date(c.rdate(1, 3), "short").t(".\n")


def k_orthotics(c: Ctx) -> None:
    c.t(
        "# "
        + c.pick(("Orthotics fitting", "Podiatry review", "Wheelchair & seating"))
        + f" — {c.hosp()}\n\n## Patient\n"
    )
    c.t("- **Name:** ").pname().t("\n- **").t(c.pat.mrn_label).t(":** ").p(c.pat.mrn, "MRN").t(
        "\n- **DOB:** "
    ).dob()
    c.t("\n- **Phone:** ").pphone().t("\n\n## Device\n- Item: ")
    c.t(
        c.pick(
            (
                "carbon AFO left",
                "custom foot orthoses (EVA 45 shore)",
                "KAFO right",
                "Küschall K-Series wheelchair",
            )
        )
    )
    c.t("\n- Serial: `").p(c.serial(), "DEVICE_ID").t("`\n")
    if c.ch(0.4):
        c.t("- UDI: ").p(c.udi(), "DEVICE_ID").t("\n")
    c.t("- Catalogue REF " + fill(c.r, "###-##-@") + ", size 42 EU\n\n## Findings\n")
    c.t(
        "- Charcot foot, Eichenholtz stage 2; monofilament 4/10; ABPI 0.92\n"
        "- Hallux valgus (Morton neuroma excluded)\n\n"
    )
    c.t("## Follow-up\n- Review ").date(c.rdate(14, 60), c.pick(("long", "short", "num"))).t(" with ").staff(
        "Orthotist"
    )
    c.t("\n- Patient leaflet: ").url().t("\n")


KINDS: tuple[tuple[str, Callable[[Ctx], None], float], ...] = (
    ("bed_board", k_bed_board, 0.3),
    ("outbreak_line_list", k_outbreak, 0.2),
    ("incident_report", k_incident, 0.1),
    ("cd_register", k_cd_register, 0.1),
    ("mortuary_release", k_mortuary, 0.7),
    ("chaplaincy", k_chaplaincy, 0.6),
    ("interpreter_booking", k_interpreter, 0.05),
    ("audiology", k_audiology, 0.5),
    ("ophthalmology", k_ophthalmology, 0.55),
    ("prescription", k_rx, 0.05),
    ("refugee_screening", k_refugee, 0.0),
    ("detention_health", k_detention, 0.0),
    ("aviation_diving_medical", k_aviation, 0.0),
    ("biobank_consent_log", k_biobank, 0.05),
    ("voicemail", k_voicemail, 0.05),
    ("chatbot_log", k_chatbot, 0.0),
    ("telemetry_export", k_telemetry, 0.25),
    ("calendar_ics", k_ics, 0.1),
    ("cda_xml", k_cda, 0.05),
    ("letter_envelope", k_letter, 0.15),
    ("care_home_admission", k_care_home, 0.75),
    ("insurance_exam", k_insurance, 0.0),
    ("coding_query", k_coding, 0.25),
    ("medication_labels", k_labels, 0.2),
    ("nicu_transfer", k_nicu, 0.0),
    ("safeguarding_referral", k_safeguarding, 0.0),
    ("orthotics_markdown", k_orthotics, 0.15),
)
REFUGEE_ORIGINS = ("so", "sd", "iq", "cd", "mm", "ht", "ve", "ug", "am", "ge")
YOUNG_KINDS = ("nicu_transfer", "safeguarding_referral", "aviation_diving_medical", "detention_health")


def make_patient(
    r: random.Random, loc: Locale, d0: dt.date, old: bool, young: bool, sex: str | None = None
) -> PatientRec:
    if old:
        age = r.randint(91, 104)
    elif young:
        age = r.randint(19, 44)
    else:
        age = r.randint(18, 88)
    dob = d0 - dt.timedelta(days=int(age * 365.25) + r.randint(0, 300))
    person = make_person(r, loc, sex)
    mrn_label, mrn_pat = r.choice(loc.mrn)
    nid = dob_fill(r, loc.nid[1], dob)
    hp = dob_fill(r, loc.hp[1], dob, {"nid": nid, "cnp": nid, "egn": nid, "iin": nid})
    return PatientRec(
        person=person,
        dob=dob,
        mrn_label=mrn_label,
        mrn=fill(r, mrn_pat),
        street=fill(r, r.choice(loc.streets)),
        town=r.choice(loc.towns),
        postal=fill(r, loc.postal) if loc.postal else "",
        phone=fill(r, r.choice(loc.phones)),
        email=email_for(r, person, loc.doms),
        nid=nid,
        hp=hp,
        plate=fill(r, r.choice(loc.plates)),
        dl=dob_fill(r, loc.dl[1], dob),
    )


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    """n notes, deterministic given (n, seed)."""
    order = list(KINDS)
    random.Random(f"alt6-order:{seed}").shuffle(order)
    notes = []
    for i in range(n):
        r = random.Random(f"alt6:{seed}:{i}")
        name, fn, old_p = order[i % len(order)]
        loc = LOC_BY_KEY[r.choice(REFUGEE_ORIGINS)] if name == "refugee_screening" else r.choice(LOCALES)
        d0 = dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 2370))
        sex = "F" if name in ("nicu_transfer", "safeguarding_referral") else None
        pat = make_patient(r, loc, d0, r.random() < old_p, name in YOUNG_KINDS, sex)
        c = Ctx(r, loc, pat, d0)
        fn(c)
        notes.append(AltNote(text=c.b.text(), spans=tuple(c.b.spans), patient=pat.to_alt()))
    return notes


# ---------------------------------------------------------------- self-checks


def _tokens(s: str) -> set[str]:
    out = set()
    for w in norm(s).replace(",", " ").replace("-", " ").replace("'", " ").split():
        w = w.strip(".")
        if len(w) >= 3 and w not in ("bin", "bint", "binte"):
            out.add(w)
    return out


def mentions_patient(note: AltNote) -> bool:
    toks: set[str] = set()
    for nm in note.patient.names:
        toks |= _tokens(nm)
    return any(sp.category == "NAME" and _tokens(note.text[sp.start : sp.end]) & toks for sp in note.spans)


def check(notes: list[AltNote]) -> dict[str, int]:
    counts = dict.fromkeys(CATEGORIES, 0)
    for k, note in enumerate(notes):
        prev = 0
        for sp in note.spans:
            frag = note.text[sp.start : sp.end]
            assert frag and frag == frag.strip(), (k, sp, frag)
            assert sp.category in CATEGORIES, (k, sp)
            assert sp.start >= prev, (k, sp, "overlap")
            prev = sp.end
            counts[sp.category] += 1
            if sp.category == "AGE_OVER_89":
                val = int(frag) if frag.isdigit() else 90 + NINETIES.index(frag) if frag in NINETIES else 100
                assert val >= 90, (k, frag)
    named = sum(mentions_patient(nt) for nt in notes)
    assert named >= 0.4 * len(notes), (named, len(notes))
    assert generate(20, 3) == generate(20, 3)
    return counts


def _show(note: AltNote) -> None:
    print(note.text)
    for sp in note.spans:
        print(f"  [{sp.start:5d}:{sp.end:5d}] {sp.category:<12} {note.text[sp.start : sp.end]!r}")
    print("  patient:", note.patient)
    print("-" * 78)


def main() -> int:
    notes = generate()
    _show(notes[0])
    _show(notes[7])
    counts = check(notes)
    total = sum(counts.values())
    chars = sum(len(nt.text) for nt in notes)
    named = sum(mentions_patient(nt) for nt in notes)
    print(f"notes={len(notes)} spans={total} chars={chars} patient-named={named / len(notes):.0%}")
    for cat in CATEGORIES:
        print(f"  {cat:<12} {counts[cat]}")
    print("self-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
