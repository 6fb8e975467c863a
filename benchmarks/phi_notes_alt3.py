"""Third held-out set of PHI-seeded clinical notes for measuring a de-identification scrubber.

Written independently of the scrubber and of the other note generators. Notes imitate hospital
documentation written in English in Canada, Australia, Ireland, Scandinavia, Spain/Portugal, Poland,
Turkey and the US. Every piece of PHI is inserted through a builder that records its span at insertion
time, so gold spans are exact by construction.

    python benchmarks/phi_notes_alt3.py

Conventions: titles (Dr, Mrs, Pani, Hanım) and degrees (MD, FRACP) stay outside NAME spans; bare years
and ages below 90 are not PHI; for ages over 89 only the number is marked; street + number, city and
postal code are separate spans (ADDRESS, ADDRESS, ZIP); states/provinces and countries are not PHI;
pagers and extensions are PHONE.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass


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

# --------------------------------------------------------------------------------------------------
# builder


class _Builder:
    """Appends plain text and PHI pieces; PHI pieces are ``(text, category)`` tuples."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[AltSpan] = []
        self._inserted: list[str] = []
        self._pos = 0

    def add(self, *pieces: object) -> None:
        for piece in pieces:
            if isinstance(piece, list):
                self.add(*piece)
                continue
            if isinstance(piece, tuple):
                text, category = piece
                assert isinstance(text, str) and text, piece
                assert category in CATEGORIES, category
                self._spans.append(AltSpan(self._pos, self._pos + len(text), category))
                self._inserted.append(text)
            else:
                assert isinstance(piece, str), piece
                text = piece
            self._parts.append(text)
            self._pos += len(text)

    def line(self, *pieces: object) -> None:
        self.add(*pieces, "\n")

    def build(self, patient: AltPatient) -> AltNote:
        text = "".join(self._parts)
        assert len(text) == self._pos
        prev_end = 0
        for span, inserted in zip(self._spans, self._inserted, strict=True):
            assert span.end > span.start, span
            assert text[span.start : span.end] == inserted, (span, inserted)
            assert span.start >= prev_end, ("overlap", span)
            prev_end = span.end
        return AltNote(text=text, spans=tuple(self._spans), patient=patient)


def _p(text: str, category: str) -> tuple[str, str]:
    return (text, category)


# --------------------------------------------------------------------------------------------------
# name pools (written for this file)

_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "us": (
        ("James", "DeShawn", "Tyler", "Kevin", "Marcus", "Bradley", "Hector", "Dwayne"),
        ("Jennifer", "Latoya", "Megan", "Brittany", "Kimberly", "Tamika", "Courtney", "Rosalind"),
        ("Johnson", "Washington", "Nguyen", "Rodriguez", "O'Brien", "Price", "Hawkins", "Delgado"),
    ),
    "ca": (
        ("Étienne", "Mathieu", "Liam", "Raj", "Gaétan", "Tavish", "Jean-François", "Nolan"),
        ("Gabrielle", "Chloé", "Kateri", "Geneviève", "Priya", "Mackenzie", "Josée", "Ainsley"),
        ("Tremblay", "Gagnon", "Bouchard", "MacDonald", "Côté", "Lavoie", "Singh", "Bélanger"),
    ),
    "au": (
        ("Lachlan", "Brodie", "Jarrah", "Hamish", "Darcy", "Kieran", "Tane", "Callum"),
        ("Kirra", "Matilda", "Isla", "Shannon", "Tayla", "Bronwyn", "Jacinta", "Mereana"),
        ("Papadopoulos", "Fitzgerald", "Walker", "Grant", "Tran", "Nikolaidis", "McKenzie", "Waititi"),
    ),
    "ie": (
        ("Pádraig", "Oisín", "Cian", "Seán", "Ciarán", "Donncha", "Eoghan", "Tadhg"),
        ("Siobhán", "Aoife", "Niamh", "Róisín", "Gráinne", "Caoimhe", "Sorcha", "Máire"),
        (
            "Ó Súilleabháin",
            "O'Sullivan",
            "Ní Bhriain",
            "Kavanagh",
            "McGrath",
            "Ó Dónaill",
            "Byrne",
            "Mac Cárthaigh",
        ),
    ),
    "nordic": (
        ("Søren", "Björn", "Mikael", "Jørgen", "Øystein", "Lars", "Åke", "Henrik"),
        ("Åsa", "Ingrid", "Sigrid", "Astrid", "Kjersti", "Mette", "Märta", "Solveig"),
        ("Lindqvist", "Åkerlund", "Sørensen", "Bjørnstad", "Ødegård", "Nyström", "Halvorsen", "Mikkelsen"),
    ),
    "iberian": (
        ("João", "Gonçalo", "Ignacio", "Íñigo", "Sebastião", "Jordi", "Álvaro", "Rui"),
        ("Inês", "María José", "Begoña", "Conceição", "Nuria", "Leonor", "Ainhoa", "Maria João"),
        ("Muñoz", "García-Peñalver", "Fernández", "Gonçalves", "Magalhães", "Ibáñez", "Peña", "Sousa"),
    ),
    "pl": (
        ("Łukasz", "Wojciech", "Grzegorz", "Jędrzej", "Krzysztof", "Paweł", "Zbigniew", "Michał"),
        ("Małgorzata", "Agnieszka", "Zofia", "Jadwiga", "Bożena", "Katarzyna", "Grażyna", "Urszula"),
        ("Wiśniewski", "Kowalczyk", "Brzęczek", "Nowak", "Grabowski", "Ślęzak", "Żuk", "Dąbrowski"),
    ),
    "tr": (
        ("Şükrü", "Çağrı", "İsmail", "Mehmet", "Oğuz", "Hüseyin", "Ertuğrul", "Barış"),
        ("Ayşe", "Gülşen", "Öznur", "Büşra", "Şebnem", "Gönül", "Elif", "Nurcan"),
        ("Yılmaz", "Öztürk", "Şahin", "Çelik", "Doğan", "Kılıç", "Aydın", "Güneş"),
    ),
}

_LOC_ORIGIN = {
    "US": "us",
    "CA": "ca",
    "AU": "au",
    "IE": "ie",
    "SE": "nordic",
    "NO": "nordic",
    "DK": "nordic",
    "ES": "iberian",
    "PT": "iberian",
    "PL": "pl",
    "TR": "tr",
}
_LOCALES = tuple(_LOC_ORIGIN)

_HOSPITALS = {
    "US": ("Mercy Lakeshore Medical Center", "St. Vincent's Regional Hospital", "Northgate General Hospital"),
    "CA": ("Riverside Heart Centre", "Hôpital du Sacré-Cœur", "Prairie Lakes Health Sciences Centre"),
    "AU": ("Eastern Bays Hospital", "St Columba's Private Hospital", "Southern Cross Health"),
    "IE": ("St Brendan's University Hospital", "Mater Misericordiae Hospital", "Western Regional Hospital"),
    "SE": ("Akademiska sjukhuset", "Norrlands universitetssjukhus", "Skånes vårdcentral Väster"),
    "NO": ("Sentralsykehuset", "Diakonhjemmet-klinikken", "Nordfjord sjukehus"),
    "DK": ("Regionshospitalet Vest", "Bispebjerg Klinik", "Sygehus Nordjylland"),
    "ES": ("Hospital Universitario La Princesa", "Hospital de la Santa Creu", "Clínica Virgen del Rocío"),
    "PT": ("Hospital de Santa Maria", "Centro Hospitalar do Alto Ave", "Hospital da Luz Norte"),
    "PL": (
        "Szpital Kliniczny im. Heliodora",
        "Wojewódzki Szpital Specjalistyczny",
        "Centrum Medyczne Ochota",
    ),
    "TR": ("Ankara Şehir Hastanesi", "Acıbadem Kadıköy Hastanesi", "Ege Üniversitesi Hastanesi"),
}
_DOMAINS = {
    "US": ("mercylakeshore.org", "northgatehealth.org"),
    "CA": ("riversideheart.ca", "prairielakes.mb.ca"),
    "AU": ("easternbays.health.vic.gov.au", "scbhealth.com.au"),
    "IE": ("stbrendans.ie", "hse-west.ie"),
    "SE": ("akademiska.se", "regionvasterbotten.se"),
    "NO": ("sentralsykehuset.no", "helse-fjord.no"),
    "DK": ("rm.dk", "regionh.dk"),
    "ES": ("salud.madrid.org", "santacreu.cat"),
    "PT": ("chln.min-saude.pt", "hospitaldaluz.pt"),
    "PL": ("szpital-heliodor.pl", "cmochota.pl"),
    "TR": ("saglik.gov.tr", "acibadem.com.tr"),
}

_CITIES = {
    "US": (("Boston", "MA"), ("Cleveland", "OH"), ("Austin", "TX"), ("Seattle", "WA"), ("Chicago", "IL")),
    "CA": (("Toronto", "ON"), ("Winnipeg", "MB"), ("Halifax", "NS"), ("Vancouver", "BC"), ("Montréal", "QC")),
    "AU": (
        ("Parkville", "VIC"),
        ("Randwick", "NSW"),
        ("Herston", "QLD"),
        ("Nedlands", "WA"),
        ("Hobart", "TAS"),
    ),
    "IE": (("Dublin", "Co. Dublin"), ("Cork", "Co. Cork"), ("Galway", "Co. Galway"), ("Sligo", "Co. Sligo")),
    "SE": (("Uppsala", ""), ("Göteborg", ""), ("Malmö", ""), ("Umeå", "")),
    "NO": (("Oslo", ""), ("Bergen", ""), ("Tromsø", ""), ("Trondheim", "")),
    "DK": (("Aarhus C", ""), ("København Ø", ""), ("Odense", ""), ("Aalborg", "")),
    "ES": (("Madrid", ""), ("Barcelona", ""), ("Sevilla", ""), ("A Coruña", "")),
    "PT": (("Lisboa", ""), ("Porto", ""), ("Coimbra", ""), ("Braga", "")),
    "PL": (("Warszawa", ""), ("Kraków", ""), ("Gdańsk", ""), ("Łódź", "")),
    "TR": (("İstanbul", ""), ("Ankara", ""), ("İzmir", ""), ("Bursa", "")),
}

_MONTHS = (
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
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UPPER = "ABCDEFGHJKLMNPRSTVWXYZ"


def _dg(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _nz(rng: random.Random, n: int) -> str:
    return rng.choice("123456789") + _dg(rng, n - 1)


def _up(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_UPPER) for _ in range(n))


def _an(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_UPPER + "0123456789") for _ in range(n))


_ASCII_FIX = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "æ": "ae", "ß": "ss", "'": ""})


def _ascii(text: str) -> str:
    text = text.translate(_ASCII_FIX)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "").lower()


# --------------------------------------------------------------------------------------------------
# locale-specific identifiers


def _phone(rng: random.Random, loc: str, mobile: bool = False) -> str:
    r = rng.random()
    if loc in ("US", "CA"):
        area = rng.choice(
            ("617", "216", "512", "206") if loc == "US" else ("416", "604", "204", "902", "514")
        )
        mid, end = _nz(rng, 3), _dg(rng, 4)
        if r < 0.35:
            return f"({area}) {mid}-{end}"
        if r < 0.65:
            return f"{area}-{mid}-{end}"
        if r < 0.8:
            return f"{area}.{mid}.{end}"
        return f"+1 {area} {mid} {end}"
    if loc == "AU":
        if mobile:
            return (
                f"04{_dg(rng, 2)} {_dg(rng, 3)} {_dg(rng, 3)}"
                if r < 0.7
                else f"+61 4{_dg(rng, 2)} {_dg(rng, 3)} {_dg(rng, 3)}"
            )
        area = rng.choice(("02", "03", "07", "08"))
        return (
            f"({area}) {_nz(rng, 4)} {_dg(rng, 4)}"
            if r < 0.7
            else f"+61 {area[1]} {_nz(rng, 4)} {_dg(rng, 4)}"
        )
    if loc == "IE":
        if mobile:
            pre = rng.choice(("083", "085", "086", "087"))
            return (
                f"{pre} {_dg(rng, 3)} {_dg(rng, 4)}"
                if r < 0.7
                else f"+353 {pre[1:]} {_dg(rng, 3)} {_dg(rng, 4)}"
            )
        pre = rng.choice(("01", "021", "091", "071"))
        return (
            f"({pre}) {_nz(rng, 3)} {_dg(rng, 4)}"
            if r < 0.7
            else f"+353 {pre[1:]} {_nz(rng, 3)} {_dg(rng, 4)}"
        )
    if loc == "SE":
        if mobile:
            return (
                f"07{rng.choice('0236')}-{_dg(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
                if r < 0.7
                else (f"+46 7{rng.choice('0236')} {_dg(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}")
            )
        pre = rng.choice(("08", "018", "031", "040"))
        return (
            f"{pre}-{_nz(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
            if r < 0.7
            else f"+46 {pre[1:]} {_nz(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
        )
    if loc in ("NO", "DK"):
        cc = "+47" if loc == "NO" else "+45"
        first = rng.choice("49") if (mobile and loc == "NO") else rng.choice("2345678")
        body = f"{first}{_dg(rng, 1)} {_dg(rng, 2)} {_dg(rng, 2)} {_dg(rng, 2)}"
        return body if r < 0.6 else f"{cc} {body}"
    if loc == "ES":
        body = (
            f"6{_dg(rng, 2)} {_dg(rng, 2)} {_dg(rng, 2)} {_dg(rng, 2)}"
            if mobile
            else f"91{_dg(rng, 1)} {_dg(rng, 3)} {_dg(rng, 3)}"
        )
        return body if r < 0.6 else f"+34 {body}"
    if loc == "PT":
        body = (
            f"9{rng.choice('1236')}{_dg(rng, 1)} {_dg(rng, 3)} {_dg(rng, 3)}"
            if mobile
            else f"2{rng.choice('12')} {_nz(rng, 3)} {_dg(rng, 4)}"
        )
        return body if r < 0.6 else f"+351 {body}"
    if loc == "PL":
        body = (
            f"{rng.choice('5678')}{_dg(rng, 2)} {_dg(rng, 3)} {_dg(rng, 3)}"
            if mobile
            else f"{rng.choice(('22', '12', '58'))} {_nz(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
        )
        return body if r < 0.6 else f"+48 {body}"
    # TR
    if mobile:
        body = f"5{rng.choice('0345')}{_dg(rng, 1)} {_dg(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
    else:
        body = f"{rng.choice(('212', '216', '312', '232'))} {_nz(rng, 3)} {_dg(rng, 2)} {_dg(rng, 2)}"
    return f"0{body}" if r < 0.5 else f"+90 {body}"


def _postal(rng: random.Random, loc: str) -> str:
    if loc == "US":
        z = _dg(rng, 5)
        return z if rng.random() < 0.7 else f"{z}-{_dg(rng, 4)}"
    if loc == "CA":
        lt = "ABCEGHJKLMNPRSTVXY"
        return f"{rng.choice(lt)}{_dg(rng, 1)}{rng.choice(lt)} {_dg(rng, 1)}{rng.choice(lt)}{_dg(rng, 1)}"
    if loc in ("AU", "NO", "DK"):
        return _nz(rng, 4)
    if loc == "IE":
        return (
            rng.choice(("D08", "D6W", "T12", "H91", "F91", "D15"))
            + f" {rng.choice('ACDEFHKNPRTVWXY')}{_an(rng, 3)}"
        )
    if loc == "SE":
        return f"{_nz(rng, 3)} {_dg(rng, 2)}"
    if loc == "PT":
        return f"{_nz(rng, 4)}-{_dg(rng, 3)}"
    if loc == "PL":
        return f"{_dg(rng, 2)}-{_dg(rng, 3)}"
    return _nz(rng, 5)  # ES, TR


def _street(rng: random.Random, loc: str) -> str:
    n = rng.randint(1, 240)
    if loc == "US":
        s = f"{rng.randint(10, 9899)} {rng.choice(('Maple', 'Sycamore', 'Lincoln', 'Hawthorne', 'Juniper'))} "
        s += rng.choice(("Street", "Avenue", "Drive", "Ln", "Ct"))
        return s + (f" Apt {rng.randint(1, 12)}{rng.choice('ABCD')}" if rng.random() < 0.3 else "")
    if loc == "CA":
        if rng.random() < 0.3:
            return f"{rng.randint(100, 4999)} rue {rng.choice(('Saint-Denis', 'Sherbrooke Est', 'Beaubien'))}"
        return f"{rng.randint(10, 2999)} " + rng.choice(
            ("Gerrard Street East", "Portage Avenue", "Spring Garden Road")
        )
    if loc == "AU":
        s = f"{n} {rng.choice(('Wattle', 'Banksia', 'Jacaranda', 'Kookaburra'))} " + rng.choice(
            ("Crescent", "Parade", "Street", "Road")
        )
        return f"Unit {rng.randint(1, 20)}/{s}" if rng.random() < 0.3 else s
    if loc == "IE":
        return f"{n} {rng.choice(('Larkfield', 'Ashgrove', 'Cnoc na Sí', 'Ballinteer'))} " + rng.choice(
            ("Grove", "Park", "Avenue", "Close")
        )
    if loc == "SE":
        return f"{rng.choice(('Storgatan', 'Kungsgatan', 'Vasavägen', 'Östra Ågatan'))} {n}" + (
            f", lgh {rng.randint(1001, 1404)}" if rng.random() < 0.4 else ""
        )
    if loc == "NO":
        return (
            rng.choice(("Thereses gate", "Møllergata", "Kirkeveien", "Søndre gate"))
            + f" {n}{rng.choice(('', 'B', 'C'))}"
        )
    if loc == "DK":
        return rng.choice(("Nørrebrogade", "Åboulevarden", "Vesterbrogade")) + (
            f" {n}, {rng.randint(1, 5)}. {rng.choice(('th.', 'tv.'))}"
        )
    if loc == "ES":
        return rng.choice(
            ("Calle de Alcalá", "Calle de Toledo", "Avda. de la Constitución", "Carrer de Sants")
        ) + (f" {n}, {rng.randint(1, 9)}º {rng.choice('ABCD')}")
    if loc == "PT":
        return (
            "Rua "
            + rng.choice(("Augusta", "de Santa Catarina", "do Almada", "Padre António Vieira"))
            + (f" {n}, {rng.randint(1, 6)}º {rng.choice(('Esq.', 'Dto.'))}")
        )
    if loc == "PL":
        return (
            "ul. "
            + rng.choice(("Marszałkowska", "Długa", "Piotrkowska", "Grunwaldzka"))
            + f" {n} m. {rng.randint(1, 80)}"
        )
    return (
        rng.choice(("Atatürk Cad.", "Bağdat Cad.", "İnönü Bulvarı", "Gül Sok."))
        + f" No: {n} D: {rng.randint(1, 30)}"
    )


def _mrn(rng: random.Random, loc: str) -> tuple[str, str]:
    table = {
        "US": (("MRN", lambda: _dg(rng, 8)), ("MRN", lambda: f"E{_dg(rng, 7)}")),
        "CA": (
            ("MRN", lambda: f"{_dg(rng, 3)}-{_dg(rng, 3)}-{_dg(rng, 3)}"),
            ("Chart #", lambda: _dg(rng, 7)),
        ),
        "AU": (("UR No.", lambda: _dg(rng, 7)), ("URN", lambda: _nz(rng, 6))),
        "IE": (("MRN", lambda: _dg(rng, 7)), ("Hosp. No.", lambda: f"H{_dg(rng, 6)}")),
        "SE": (("Journal no.", lambda: f"J{_dg(rng, 7)}"),),
        "NO": (("Pas.nr.", lambda: f"{_dg(rng, 2)}-{_dg(rng, 6)}"),),
        "DK": (("Journal no.", lambda: f"RH{_dg(rng, 8)}"),),
        "ES": (("NHC", lambda: _nz(rng, 7)),),
        "PT": (("Processo nº", lambda: _nz(rng, 8)),),
        "PL": (
            ("Patient ID", lambda: _dg(rng, 10)),
            ("Case no.", lambda: f"{_dg(rng, 5)}/{rng.randint(2018, 2024)}"),
        ),
        "TR": (("Protokol No", lambda: _nz(rng, 9)),),
    }
    label, fn = rng.choice(table[loc])
    return label, fn()


def _national_id(rng: random.Random, loc: str, dob: dt.date) -> tuple[str, str] | None:
    if loc == "US":
        return "SSN", f"{rng.randint(101, 665)}-{_nz(rng, 2)}-{_nz(rng, 4)}"
    if loc == "CA":
        return "SIN", f"{_nz(rng, 3)} {_dg(rng, 3)} {_dg(rng, 3)}"
    if loc == "IE":
        return "PPSN", f"{_dg(rng, 7)}{rng.choice('ABCDEFGHJKLMNPTW')}{rng.choice(('', 'A', 'W'))}"
    if loc == "SE":
        return (
            "personnummer",
            f"{dob:%Y%m%d}-{_dg(rng, 4)}" if rng.random() < 0.5 else f"{dob:%y%m%d}-{_dg(rng, 4)}",
        )
    if loc == "NO":
        return "fødselsnr.", f"{dob:%d%m%y}{_dg(rng, 5)}"
    if loc == "DK":
        return "CPR", f"{dob:%d%m%y}-{_dg(rng, 4)}"
    if loc == "ES":
        return "DNI", f"{_dg(rng, 8)}{rng.choice('TRWAGMYFPDXBNJZSQVHLCKE')}"
    if loc == "PT":
        return "NIF", _nz(rng, 9)
    if loc == "PL":
        month = dob.month + (20 if dob.year >= 2000 else 0)
        return "PESEL", f"{dob:%y}{month:02d}{dob:%d}{_dg(rng, 5)}"
    if loc == "TR":
        return "T.C. Kimlik No", _nz(rng, 11)
    return None  # AU: no national id in clinical records


def _health_plan(rng: random.Random, loc: str) -> tuple[str, str]:
    if loc == "US":
        if rng.random() < 0.5:
            return (
                "Medicare MBI",
                (
                    f"{_nz(rng, 1)}{_up(rng, 1)}{_an(rng, 1)}{_dg(rng, 1)}-"
                    f"{_up(rng, 1)}{_an(rng, 1)}{_dg(rng, 1)}-{_up(rng, 2)}{_dg(rng, 2)}"
                ),
            )
        return "Member ID", f"{_up(rng, 3)}{_dg(rng, 9)}"
    if loc == "CA":
        return rng.choice(
            (
                ("OHIP", f"{_dg(rng, 4)}-{_dg(rng, 3)}-{_dg(rng, 3)}-{_up(rng, 2)}"),
                ("PHN", f"9{_dg(rng, 3)} {_dg(rng, 3)} {_dg(rng, 3)}"),
                ("MHSC", _dg(rng, 9)),
            )
        )
    if loc == "AU":
        return "Medicare", f"{_nz(rng, 4)} {_dg(rng, 5)} {_nz(rng, 1)}"
    if loc == "IE":
        return rng.choice((("GMS no.", f"{_dg(rng, 6)}{_up(rng, 1)}"), ("VHI member no.", _dg(rng, 9))))
    if loc in ("SE", "NO", "DK"):
        return "EHIC", f"80{rng.choice(('752', '578', '208'))}{_dg(rng, 15)}"
    if loc == "ES":
        return "CIP", f"{_up(rng, 4)}{_dg(rng, 6)}{_dg(rng, 4)}"
    if loc == "PT":
        return "Nº Utente SNS", f"{_nz(rng, 3)} {_dg(rng, 3)} {_dg(rng, 3)}"
    if loc == "PL":
        return "Policy no.", f"LX{_dg(rng, 8)}"
    return "SGK sicil no", _nz(rng, 13)


def _plate(rng: random.Random, loc: str) -> str:
    if loc == "US":
        return f"{_nz(rng, 1)}{_up(rng, 3)}{_dg(rng, 3)}"
    if loc == "CA":
        return f"{_up(rng, 4)} {_dg(rng, 3)}"
    if loc == "AU":
        return f"{_nz(rng, 1)}{_up(rng, 2)} {_dg(rng, 1)}{_up(rng, 2)}"
    if loc == "IE":
        return (
            f"{rng.randint(12, 24)}{rng.choice(('1', '2', ''))}-"
            f"{rng.choice(('D', 'C', 'G', 'SO'))}-{_nz(rng, rng.randint(3, 5))}"
        )
    if loc == "SE":
        return f"{_up(rng, 3)} {_dg(rng, 2)}{_an(rng, 1)}"
    if loc == "NO":
        return f"{rng.choice(('EL', 'EK', 'DN', 'VH'))} {_nz(rng, 5)}"
    if loc == "DK":
        return f"{_up(rng, 2)} {_dg(rng, 2)} {_dg(rng, 3)}"
    if loc == "ES":
        return f"{_dg(rng, 4)} {rng.choice('BCDFGHJKLMNPRSTVWXYZ')}{_up(rng, 2)}"
    if loc == "PT":
        return f"{_up(rng, 2)}-{_dg(rng, 2)}-{_up(rng, 2)}"
    if loc == "PL":
        return f"{rng.choice(('WA', 'KR', 'GD', 'EL'))} {_nz(rng, 5)}"
    return (
        f"{rng.choice(('34', '06', '35', '16'))} {_up(rng, rng.randint(1, 3))} {_nz(rng, rng.randint(2, 4))}"
    )


def _clin_licence(rng: random.Random, loc: str) -> tuple[str, str]:
    return {
        "US": lambda: ("DEA", f"{rng.choice('ABFM')}{_up(rng, 1)}{_dg(rng, 7)}"),
        "CA": lambda: ("CPSO #", _nz(rng, 5)),
        "AU": lambda: ("AHPRA", f"MED000{_nz(rng, 7)}"),
        "IE": lambda: ("IMC Reg. No.", _nz(rng, 6)),
        "SE": lambda: ("HOSP-ID", _nz(rng, 7)),
        "NO": lambda: ("HPR-nr.", _nz(rng, 7)),
        "DK": lambda: ("autorisations-ID", f"{_up(rng, 1)}{_an(rng, 4)}"),
        "ES": lambda: ("Nº Colegiado", f"28/{_dg(rng, 2)}/{_nz(rng, 5)}"),
        "PT": lambda: ("Cédula OM", _nz(rng, 5)),
        "PL": lambda: ("PWZ", _nz(rng, 7)),
        "TR": lambda: ("Diploma tescil no", _nz(rng, 6)),
    }[loc]()


def _ipv4(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.7:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"{rng.choice(('203.0.113', '198.51.100', '81.214.37', '89.64.12'))}.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    h = lambda: f"{rng.randint(1, 0xFFFF):x}"  # noqa: E731
    if rng.random() < 0.5:
        return f"2001:db8:{h()}:{h()}::{h()}"
    return f"fe80::{h()}:{h()}:{h()}:{h()}"


def _device_serial(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        (
            ("pacemaker SN", f"PJN{_dg(rng, 6)}S"),
            ("ICD serial", f"RLA {_dg(rng, 6)}H"),
            ("insulin pump SN", f"NG{_dg(rng, 7)}H"),
            ("CGM transmitter ID", _an(rng, 6)),
            ("CPAP serial no.", f"{_dg(rng, 5)}{_up(rng, 1)}{_dg(rng, 5)}"),
            ("hearing aid SN", f"{_dg(rng, 2)}-{_dg(rng, 6)}"),
            ("Holter recorder #", f"H3-{_dg(rng, 5)}"),
        )
    )


# --------------------------------------------------------------------------------------------------
# people and dates


@dataclass(frozen=True)
class _Person:
    given: str
    family: str
    sex: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    def any_form(self, rng: random.Random) -> list[object]:
        """A name reference in a free-text sentence (title outside the span)."""
        r = rng.random()
        if r < 0.4:
            return [_p(self.full, "NAME")]
        if r < 0.6:
            return [_p(f"{self.given[0]}. {self.family}", "NAME")]
        if r < 0.8:
            return [f"{self.title()} ", _p(self.family, "NAME")]
        return [_p(self.given, "NAME")]

    def title(self) -> str:
        return "Mr" if self.sex == "M" else "Mrs"

    def listed(self) -> list[object]:
        return [_p(f"{self.family}, {self.given}", "NAME")]

    def caps(self, rng: random.Random) -> list[object]:
        forms = (
            f"{self.family.upper()}, {self.given}",
            f"{self.family.upper()}, {self.given.upper()}",
            f"{self.given.upper()} {self.family.upper()}",
        )
        return [_p(rng.choice(forms), "NAME")]


def _person(rng: random.Random, origin: str, sex: str | None = None) -> _Person:
    male, female, family = _NAMES[origin]
    sex = sex or rng.choice("MF")
    return _Person(rng.choice(male if sex == "M" else female), rng.choice(family), sex)


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


_DATE_STYLES = {
    "US": ("us_slash", "us_slash", "us_long", "abbr", "iso", "abbr_y", "us_short"),
    "CA": ("iso", "iso", "us_long", "long", "abbr_y", "abbr"),
    "AU": ("eu_slash", "eu_slash", "long_ord", "long", "d_mon", "abbr_y", "eu_short"),
    "IE": ("eu_slash", "long_ord", "long", "d_mon", "abbr_y", "ord_of"),
    "SE": ("iso", "iso", "dot", "dm_dot", "long"),
    "NO": ("dot", "dot", "iso", "dm_dot", "long"),
    "DK": ("dot", "eu_dash", "iso", "dm_dot", "long"),
    "ES": ("eu_slash", "eu_dash", "long", "eu_slash0"),
    "PT": ("eu_slash0", "eu_dash", "iso", "long"),
    "PL": ("dot", "dot", "eu_dash", "dm_dot", "iso"),
    "TR": ("dot", "eu_slash0", "long", "dm_dot"),
}
_ALL_STYLES = tuple(sorted({s for v in _DATE_STYLES.values() for s in v}))


def _fmt_date(d: dt.date, style: str) -> str:
    mon = _MONTHS[d.month - 1]
    return {
        "iso": f"{d:%Y-%m-%d}",
        "us_slash": f"{d.month}/{d.day}/{d.year}",
        "us_short": f"{d.month}/{d.day}/{d:%y}",
        "eu_slash": f"{d.day}/{d.month}/{d.year}",
        "eu_slash0": f"{d:%d/%m/%Y}",
        "eu_short": f"{d.day}/{d.month}/{d:%y}",
        "eu_dash": f"{d:%d-%m-%Y}",
        "dot": f"{d:%d.%m.%Y}",
        "dm_dot": f"{d:%d.%m.}",
        "long": f"{d.day} {mon} {d.year}",
        "long_ord": f"{d.day}{_ordinal(d.day)} {mon} {d.year}",
        "ord_of": f"{d.day}{_ordinal(d.day)} of {mon}",
        "us_long": f"{mon} {d.day}, {d.year}",
        "abbr": f"{mon[:3]} {d.day}",
        "abbr_y": f"{d:%d}-{mon[:3]}-{d.year}",
        "d_mon": f"{d.day} {mon[:3]}",
        "dm_slash": f"{d.day}/{d.month}",
    }[style]


# --------------------------------------------------------------------------------------------------
# distractors (no PHI)

_DISTRACTORS = (
    "Will review in clinic once the Holter results are back.",
    "May need up-titration of bisoprolol 2.5 mg mane if HR stays above 90.",
    "Hope is to mobilise with a wheeled frame by the weekend.",
    "Bill for the ambulance transfer goes to the insurer, not to the patient.",
    "Mark the operative site before transfer to theatre (done, left knee).",
    "Grant of disability parking permit supported by OT.",
    "Price of the rivaroxaban co-payment discussed; apixaban 5 mg BD is the cheaper option.",
    "Rose spots absent; typhoid considered unlikely.",
    "Dawn phenomenon suspected: fasting glucose 9.8 mmol/L vs bedtime 6.1 mmol/L.",
    "Joy in activities returning per family; PHQ-9 down from 14 to 6.",
    "Sunny disposition today, engaging well with therapy.",
    "Faith community visits weekly; chaplaincy offered and declined.",
    "Known Parkinson's disease on co-careldopa 25/100 mg TDS since 2016.",
    "Addison's disease on hydrocortisone 10/5/5 mg; sick-day rules reinforced.",
    "No Austin Flint murmur; soft ejection systolic murmur 2/6 at the LUSE.",
    "Wells score 1, DVT unlikely; D-dimer 0.31 mg/L FEU.",
    "Bruce protocol exercise test in 2018: 9 min, no ischaemic changes.",
    "Venous Doppler of both lower limbs: no DVT.",
    "Glasgow Coma Scale 15/15, pupils equal and reactive.",
    "Hodgkin lymphoma treated in 2004 (ABVD), in remission.",
    "Murphy's sign negative; no rebound tenderness.",
    "Barthel index 85/100; Timed Up and Go 14 s.",
    "Epley manoeuvre performed for right posterior canal BPPV.",
    "Foley catheter removed at 06:00, voiding spontaneously.",
    "Trendelenburg sign positive on the right.",
    "Child-Pugh A, MELD 9.",
    "Hb 112 g/L, WCC 7.8, plt 214, CRP 14 mg/L, eGFR 58 mL/min/1.73m2.",
    "BP 132/84 mmHg, HR 78 reg, SpO2 96% on room air, T 36.8 °C.",
    "Na 136, K 4.9, creatinine 104 µmol/L, HbA1c 58 mmol/mol (7.5%).",
    "Cockcroft-Gault CrCl approx. 42 mL/min; dose adjusted.",
    "Graves' disease in 1998, treated with radioiodine.",
    "Meniere's-like vertigo; Dix-Hallpike negative.",
    "Her sister had breast cancer at age 52; father died of MI at 67.",
    "Smoked 20 pack-years, quit in 2012. Alcohol 6 units/week.",
    "INR 2.4 on warfarin 5 mg; target 2-3.",
    "Mallampati II, thyromental distance > 6 cm, full dentures.",
)


# --------------------------------------------------------------------------------------------------
# per-note context


class _Ctx:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.loc = rng.choice(_LOCALES)
        self.origin = _LOC_ORIGIN[self.loc]
        self.b = _Builder()
        pt_origin = self.origin if rng.random() < 0.75 else rng.choice(tuple(_NAMES))
        self.pt = _person(rng, pt_origin)
        self.today = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 6 * 365))
        self.age = rng.randint(90, 104) if rng.random() < 0.3 else rng.randint(19, 89)
        self.dob = self.today - dt.timedelta(days=round(self.age * 365.25) + rng.randint(1, 360))
        self.age = self.today.year - self.dob.year
        self.age -= (self.today.month, self.today.day) < (self.dob.month, self.dob.day)
        self.hospital = rng.choice(_HOSPITALS[self.loc])
        self.domain = rng.choice(_DOMAINS[self.loc])
        self.mrn_label, self.mrn = _mrn(rng, self.loc)
        self.street = _street(rng, self.loc)
        self.city, self.region = rng.choice(_CITIES[self.loc])
        self.postal = _postal(rng, self.loc)
        self.home_phone = _phone(rng, self.loc)
        self.mobile = _phone(rng, self.loc, mobile=True)
        provider = {
            "US": ("gmail.com", "yahoo.com", "comcast.net"),
            "CA": ("gmail.com", "videotron.ca", "shaw.ca"),
            "AU": ("bigpond.com", "gmail.com", "optusnet.com.au"),
            "IE": ("eircom.net", "gmail.com", "hotmail.com"),
            "SE": ("telia.com", "gmail.com", "hotmail.se"),
            "NO": ("online.no", "gmail.com"),
            "DK": ("mail.dk", "gmail.com"),
            "ES": ("yahoo.es", "gmail.com", "telefonica.net"),
            "PT": ("sapo.pt", "gmail.com"),
            "PL": ("wp.pl", "o2.pl", "gmail.com"),
            "TR": ("hotmail.com", "gmail.com", "yandex.com.tr"),
        }[self.loc]
        g, f = _ascii(self.pt.given), _ascii(self.pt.family)
        local = rng.choice(
            (f"{g}.{f}", f"{g[0]}{f}{rng.randint(1, 99)}", f"{f}.{g}{self.dob:%y}", f"{g}_{f[:4]}")
        )
        self.email = f"{local}@{rng.choice(provider)}"
        self.natid = _national_id(rng, self.loc, self.dob)
        self.plan_label, self.plan = _health_plan(rng, self.loc)
        self.account = _nz(rng, rng.choice((8, 10, 11)))
        self.used_other: list[str] = []
        self.extra_phones: list[str] = []

    # -- small helpers ----------------------------------------------------------------------------
    def add(self, *pieces: object) -> None:
        self.b.add(*pieces)

    def line(self, *pieces: object) -> None:
        self.b.line(*pieces)

    def person(self, sex: str | None = None, local: bool = True) -> _Person:
        origin = self.origin if local or self.rng.random() < 0.6 else self.rng.choice(tuple(_NAMES))
        return _person(self.rng, origin, sex)

    def clinician(self) -> _Person:
        while True:
            p = self.person(local=False)
            if p.family != self.pt.family:
                return p

    def relative(self, same_family: bool = True) -> _Person:
        p = self.person()
        return _Person(p.given, self.pt.family, p.sex) if same_family else p

    def date(self, d: dt.date, style: str | None = None) -> list[object]:
        rng = self.rng
        if style is None:
            style = rng.choice(_DATE_STYLES[self.loc]) if rng.random() < 0.85 else rng.choice(_ALL_STYLES)
        return [_p(_fmt_date(d, style), "DATE")]

    def rel_date(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def weekday_date(self, d: dt.date) -> list[object]:
        """'Tuesday 5/11' / 'Tue 05.11.' style - weekday outside the span."""
        style = "dm_slash" if self.loc in ("US", "CA", "AU", "IE", "ES", "PT") else "dm_dot"
        if self.loc in ("US", "CA") and self.rng.random() < 0.6:
            text = f"{d.month}/{d.day}"
        else:
            text = _fmt_date(d, style)
        wd = _WEEKDAYS[d.weekday()]
        return [f"{wd if self.rng.random() < 0.5 else wd[:3]} ", _p(text, "DATE")]

    def age_text(self) -> list[object]:
        rng = self.rng
        a = str(self.age)
        if self.age >= 90:
            return rng.choice(
                (
                    [_p(a, "AGE_OVER_89"), "-year-old"],
                    ["a ", _p(a, "AGE_OVER_89"), "-year-old"],
                    [_p(a, "AGE_OVER_89"), " yo"],
                    [_p(a, "AGE_OVER_89"), "yo"],
                    [_p(a, "AGE_OVER_89"), " y/o"],
                    [_p(a, "AGE_OVER_89"), " years old"],
                    ["aged ", _p(a, "AGE_OVER_89")],
                    [_p(a, "AGE_OVER_89"), "-yr-old"],
                )
            )
        return [rng.choice((f"{a}-year-old", f"{a} yo", f"{a} y/o", f"aged {a}", f"a {a}-year-old"))]

    def age_short(self) -> list[object]:
        a = str(self.age)
        if self.age >= 90:
            return self.rng.choice(
                ([_p(a, "AGE_OVER_89"), "y"], [_p(a, "AGE_OVER_89"), " yrs"], ["Age: ", _p(a, "AGE_OVER_89")])
            )
        return [self.rng.choice((f"{a}y", f"{a} yrs", f"Age: {a}"))]

    def address_pieces(self, one_line: bool = True) -> list[object]:
        sep = ", " if one_line else "\n"
        out: list[object] = [_p(self.street, "ADDRESS"), sep]
        if self.loc in ("US", "CA", "AU"):
            out += [_p(self.city, "ADDRESS"), f" {self.region} " if self.loc == "AU" else f", {self.region} "]
            out += [_p(self.postal, "ZIP")]
        elif self.loc == "IE":
            out += [_p(self.city, "ADDRESS"), ", ", _p(self.postal, "ZIP")]
        else:
            out += [_p(self.postal, "ZIP"), " ", _p(self.city, "ADDRESS")]
        return out

    def phone(self, value: str, category: str = "PHONE") -> list[object]:
        self.extra_phones.append(value)
        return [_p(value, category)]

    def ext(self) -> list[object]:
        return [self.rng.choice((" ext. ", " x", " (ext ", " anl. ")), _p(_nz(self.rng, 4), "PHONE")]

    def pager(self) -> list[object]:
        return [
            self.rng.choice(("pager ", "bleep ", "page #", "sökare ", "pager no. ")),
            _p(_nz(self.rng, 4), "PHONE"),
        ]

    def clin_sig(self, p: _Person, degree: str = "") -> list[object]:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            out: list[object] = ["Dr ", _p(p.full, "NAME")]
        elif r < 0.6:
            out = ["Dr. ", _p(p.family, "NAME")]
        elif r < 0.8:
            out = [_p(f"{p.given[0]}. {p.family}", "NAME")]
        else:
            out = [_p(p.full, "NAME")]
        if degree:
            out.append(f", {degree}")
        return out

    def natid_line(self) -> list[object]:
        if self.natid is None:
            return [f"{self.plan_label}: ", _p(self.plan, "HEALTH_PLAN")]
        return [f"{self.natid[0]}: ", _p(self.natid[1], "SSN")]

    def distract(self, k: int = 1) -> None:
        for s in self.rng.sample(_DISTRACTORS, k):
            self.line(s)

    def other_id(self, value: str) -> tuple[str, str]:
        self.used_other.append(value)
        return _p(value, "OTHER_ID")

    def patient_record(self) -> AltPatient:
        other = [self.plan, self.account, *self.used_other]
        if self.natid:
            other.insert(0, self.natid[1])
        return AltPatient(
            names=(self.pt.full,),
            mrns=(self.mrn,),
            addresses=(self.street, self.city, self.postal),
            phones=(self.home_phone, self.mobile),
            emails=(self.email,),
            other=tuple(other),
        )


# --------------------------------------------------------------------------------------------------
# note kinds


def _cath_report(c: _Ctx) -> None:
    rng = c.rng
    op, ref, nurse = c.clinician(), c.clinician(), c.person()
    c.line("CARDIAC CATHETERISATION REPORT" if c.loc != "US" else "CARDIAC CATHETERIZATION REPORT")
    c.line(f"{c.hospital} - Cardiac Catheter Laboratory")
    c.line(
        "Patient: ",
        c.pt.caps(c.rng),
        "    ",
        f"{c.mrn_label}: ",
        _p(c.mrn, "MRN"),
        "    DOB: ",
        c.date(c.dob),
    )
    c.line("Procedure date: ", c.date(c.today), "    Acct #: ", _p(c.account, "ACCOUNT"))
    c.line("Operator: ", c.clin_sig(op, "MD"), "    Scrub nurse: ", _p(nurse.full, "NAME"), ", RN")
    fax = _phone(rng, c.loc)
    c.line(
        "Referring physician: Dr. ",
        _p(f"{ref.given[0]}. {ref.family}", "NAME"),
        " (fax ",
        c.phone(fax, "FAX"),
        ")",
    )
    c.line()
    c.add("Indication: ", c.age_text(), f" {'man' if c.pt.sex == 'M' else 'woman'} with exertional angina; ")
    c.line(
        "positive Bruce protocol at 6 min. Seen by Dr. ",
        _p(ref.family, "NAME"),
        " on ",
        c.date(c.rel_date(-rng.randint(10, 60))),
        ".",
    )
    c.line("Access: right radial 6F, Seldinger technique. Heparin 5000 units IV, verapamil 2.5 mg IA.")
    c.line(
        f"Findings: LM normal. LAD {rng.choice((70, 80, 90))}% proximal stenosis. LCx minor irregularities. "
        "RCA dominant, patent."
    )
    c.line(f"LVEDP {rng.randint(8, 24)} mmHg. Ao {rng.randint(105, 150)}/{rng.randint(55, 90)} mmHg.")
    stent_lot = f"{_dg(rng, 10)}"
    c.line(
        f"Intervention: DES 3.0 x {rng.choice((18, 24, 28))} mm to proximal LAD (lot ",
        _p(stent_lot, "DEVICE_ID"),
        "), TIMI 3 flow.",
    )
    c.line("Haemostasis: TR Band, 12 mL air. Images archived to PACS node ", _p(_ipv4(rng), "IP"), ".")
    c.distract(1)
    c.line("Plan: aspirin 81 mg daily + ticagrelor 90 mg BD for 12 months. Atorvastatin 80 mg nocte.")
    c.line(
        "Will follow up with Dr. ",
        _p(ref.family, "NAME"),
        " in 4-6 weeks. Questions to cath lab ",
        c.phone(_phone(rng, c.loc)),
        c.ext(),
        ".",
    )
    c.line("Electronically signed: ", _p(op.full, "NAME"), ", MD  ", c.date(c.today), " 16:42")


_REL_F = ("daughter", "wife", "partner")
_REL_M = ("son", "husband", "partner")


def _anaesthesia_preop(c: _Ctx) -> None:
    rng = c.rng
    anaes, surgeon, nok = c.clinician(), c.clinician(), c.relative(same_family=rng.random() < 0.7)
    c.line("PRE-ANAESTHETIC ASSESSMENT")
    c.line(
        f"{c.mrn_label} ",
        _p(c.mrn, "MRN"),
        "   Name: ",
        c.pt.caps(c.rng),
        "   DOB ",
        c.date(c.dob),
        "   ",
        c.age_short(),
    )
    c.line(f"{c.plan_label}: ", _p(c.plan, "HEALTH_PLAN"))
    op_date = c.rel_date(rng.randint(3, 21))
    c.line(
        "Planned procedure: right total knee replacement, list of ",
        rng.choice(("Mr ", "Ms ", "Dr ")),
        _p(surgeon.family, "NAME"),
        ", ",
        c.weekday_date(op_date),
        ".",
    )
    c.line("Anaesthetist: ", c.clin_sig(anaes, rng.choice(("FANZCA", "FCAI", "FRCA"))), " (", c.pager(), ")")
    c.line()
    c.line("History: T2DM on metformin 1 g BD and gliclazide MR 60 mg; HTN on perindopril 5 mg.")
    c.line(
        f"OSA on CPAP at 11 cmH2O ({rng.choice(('ResMed', 'Philips'))} ",
        "serial no. ",
        _p(f"{_dg(rng, 5)}{_up(rng, 1)}{_dg(rng, 5)}", "DEVICE_ID"),
        ").",
    )
    c.line("Previous GA in 2011 for laparoscopic cholecystectomy, PONV ++.")
    c.distract(2)
    c.line("Airway: Mallampati II, mouth opening 3 FB, full range of neck movement.")
    c.line(f"Functional capacity: > 4 METs, climbs two flights. ASA {rng.choice(('II', 'III'))}.")
    c.line("Plan: spinal + sedation, adductor canal block. Fast from 02:00, clear fluids until 06:00.")
    c.line(
        "NOK: ",
        _p(nok.full, "NAME"),
        f" ({rng.choice(_REL_F if nok.sex == 'F' else _REL_M)}) ",
        c.phone(_phone(rng, c.loc, mobile=True)),
        ". Patient mobile ",
        c.phone(c.mobile),
        ".",
    )
    c.line("Reviewed by ", _p(f"{anaes.given[0]}.{anaes.family}", "NAME"), " on ", c.date(c.today), ".")


def _physio_progress(c: _Ctx) -> None:
    rng = c.rng
    physio = c.person()
    c.line(f"Physiotherapy progress note - {c.hospital}")
    c.line(c.date(c.today), "  Pat: ", _p(c.pt.full, "NAME"), ", ", c.natid_line())
    c.line(
        "S: ",
        _p(c.pt.given, "NAME"),
        " reports less pain on stairs, NRS 3/10 (was 6/10 on ",
        c.date(c.rel_date(-7)),
        ").",
    )
    c.line(
        "   Walked to the shop with her daughter "
        if c.pt.sex == "F"
        else "   Walked to the shop with his daughter ",
        _p(c.person("F").given, "NAME"),
        " yesterday.",
    )
    c.line(
        f"O: Berg Balance Scale {rng.randint(38, 52)}/56. TUG {rng.randint(9, 19)} s. "
        f"Knee flexion {rng.randint(85, 120)} deg, extension lag 5 deg."
    )
    c.line("   Trendelenburg gait reduced. Quads 4/5 bilaterally.")
    c.distract(1)
    c.line("A: Progressing as expected post TKR. Hope to discharge from outpatient physio in 3 weeks.")
    c.line(
        "P: Continue home programme (step-ups, sit-to-stand x 10). Next session ",
        c.weekday_date(c.rel_date(rng.randint(2, 9))),
        " 10:15.",
    )
    c.line("   Questions: call physio dept ", c.phone(_phone(rng, c.loc)), " or ", c.pager(), ".")
    lic_label, lic = _clin_licence(rng, c.loc)
    c.line(
        "Signed ",
        _p(f"{physio.given[0]}. {physio.family}", "NAME"),
        f", leg. physiotherapist, {lic_label} ",
        _p(lic, "LICENSE"),
    )


def _dietitian(c: _Ctx) -> None:
    rng = c.rng
    diet, ref = c.person(), c.clinician()
    wt = rng.randint(48, 96)
    c.line("NUTRITION AND DIETETICS - INITIAL ASSESSMENT")
    c.line(f"{c.mrn_label}: ", _p(c.mrn, "MRN"), " | ", c.pt.listed(), " | ", c.natid_line())
    c.line(
        "Referred by Dr. ",
        _p(ref.family, "NAME"),
        " on ",
        c.date(c.rel_date(-rng.randint(1, 5))),
        " for weight loss in a ",
        c.age_text(),
        " patient.",
    )
    c.line(
        f"Anthropometry: weight {wt} kg, height 1.{rng.randint(50, 85)} m, 8% weight loss since ",
        c.date(c.rel_date(-rng.randint(60, 120))),
        ".",
    )
    c.line(f"MUST score 2. Handgrip {rng.randint(12, 30)} kg (dominant).")
    c.line(
        "Diet history: poor appetite, skips breakfast; lives with ",
        _p(c.relative().given, "NAME"),
        " who does the cooking.",
    )
    c.distract(2)
    c.line(
        "Plan: oral nutritional supplement 2 x 200 mL/day (2.4 kcal/mL); "
        f"protein target {round(wt * 1.2)} g/day."
    )
    c.line("Dawn snack if early waking. Review weight weekly. Will liaise with the community dietitian.")
    c.line("Patient email for meal plans: ", _p(c.email, "EMAIL"))
    c.line(_p(diet.full, "NAME"), ", dietitian, ", c.phone(_phone(rng, c.loc)), c.ext())


def _icu_soap(c: _Ctx) -> None:
    rng = c.rng
    cons, resident = c.clinician(), c.clinician()
    sp_sex = "F" if c.pt.sex == "M" else "M"
    spouse = _Person(c.person(sp_sex).given, c.pt.family, sp_sex)
    word, pron = ("wife", "she") if sp_sex == "F" else ("husband", "he")
    day = rng.randint(2, 14)
    c.line(f"ICU DAILY PROGRESS NOTE - DAY {day}  ", c.date(c.today))
    c.line(c.pt.caps(c.rng), "  ", c.age_short(), "  ", f"{c.mrn_label} ", _p(c.mrn, "MRN"), "  Bed 7")
    if c.natid is not None:
        c.line(f"{c.natid[0]} ", _p(c.natid[1], "SSN"))
    c.line("S: Sedation hold this morning; followed commands briefly. Overnight events: AF with RVR")
    c.line(
        "   yesterday (",
        _p(_fmt_date(c.rel_date(-1), "dm_dot"), "DATE"),
        ") at 23:10, amiodarone 300 mg IV load.",
    )
    c.line(f"O: T 37.9, HR 96 AF, MAP 68 on noradrenaline 0.{rng.randint(5, 25):02d} mcg/kg/min.")
    c.line(
        f"   Vent: VC-AC, FiO2 0.{rng.randint(30, 60)}, PEEP {rng.randint(5, 12)}, Vt 420 mL. Ventilator SN ",
        _p(f"{_up(rng, 2)}{_dg(rng, 8)}", "DEVICE_ID"),
        ".",
    )
    c.line(
        f"   ABG pH 7.3{rng.randint(0, 9)}, pCO2 {rng.randint(38, 55)} mmHg, "
        f"PaO2 {rng.randint(65, 110)} mmHg, lactate 1.{rng.randint(0, 9)}."
    )
    c.line(
        "   Swan-Ganz: CI 2.3 L/min/m2, PCWP 14. Infusion pump asset ",
        _p(f"BME-{_dg(rng, 5)}", "DEVICE_ID"),
        " replaced.",
    )
    c.distract(1)
    c.line("A: Septic shock, improving. Ventilator-associated pneumonia ruled out (BAL negative).")
    c.line("P: Wean noradrenaline. SBT tomorrow if FiO2 <= 0.4. Continue piperacillin-tazobactam 4.5 g q6h.")
    c.line(
        f"   Family meeting with {word} ",
        _p(spouse.given, "NAME"),
        " on ",
        c.weekday_date(c.rel_date(1)),
        f" 14:00; {pron} can be reached on ",
        c.phone(_phone(rng, c.loc, mobile=True)),
        ".",
    )
    c.line("Consultant: ", c.clin_sig(cons), "   Resident: ", _p(resident.full, "NAME"), ", ", c.pager())


def _home_care(c: _Ctx) -> None:
    rng = c.rng
    nurse, son, gp = c.person(), c.relative(), c.clinician()
    c.line("HOME CARE NURSING VISIT NOTE")
    c.line("Client: ", _p(c.pt.full, "NAME"), f"   {c.plan_label}: ", _p(c.plan, "HEALTH_PLAN"))
    c.line("Address: ", c.address_pieces())
    c.line("Phone: ", c.phone(c.home_phone), "   Visit date: ", c.date(c.today), "  09:30-10:20")
    c.line("Client is a ", c.age_text(), " living alone; son ", _p(son.full, "NAME"), " visits daily.")
    c.line(
        "Wound: L lateral malleolus venous ulcer 3.1 x 2.4 cm, sloughy base, moderate exudate. "
        "Doppler ABPI 0.92."
    )
    c.line(
        "Dressing: silver alginate + 2-layer compression. Next dressing change ", c.date(c.rel_date(2)), "."
    )
    c.distract(2)
    c.line(
        "Meds checked against blister pack: furosemide 40 mg mane, apixaban 2.5 mg BD, "
        "paracetamol 1 g QID PRN."
    )
    c.line(
        "Keysafe by front door; son's car (",
        _p(_plate(rng, c.loc), "VEHICLE_ID"),
        ") was blocking the driveway - parked on street.",
    )
    c.line("GP ", c.clin_sig(gp), " updated by phone ", c.phone(_phone(rng, c.loc)), ".")
    c.line(
        "Visit by: ", _p(f"{nurse.family}, {nurse.given}", "NAME"), " RN, employee #", c.other_id(_nz(rng, 6))
    )


def _telemedicine(c: _Ctx) -> None:
    rng = c.rng
    doc, interp = c.clinician(), c.person()
    room = f"{_ascii(c.pt.family)[:6]}-{_dg(rng, 4)}"
    c.line("TELEMEDICINE CONSULTATION - Endocrinology")
    c.line(f"{c.hospital}   Date: ", c.date(c.today), "   Time: 11:05-11:32")
    c.line(
        "Patient: ", _p(c.pt.full, "NAME"), "   DOB: ", c.date(c.dob), f"   {c.mrn_label}: ", _p(c.mrn, "MRN")
    )
    c.line(
        "Link: ",
        _p(f"https://telehealth.{c.domain}/v/{room}", "URL"),
        "  (patient joined from ",
        _p(_ipv6(rng) if rng.random() < 0.4 else _ipv4(rng), "IP"),
        ")",
    )
    dev_label, dev = _device_serial(rng)
    c.line(
        f"Device data uploaded ({dev_label} ", _p(dev, "DEVICE_ID"), "): time in range 61%, 9% < 3.9 mmol/L."
    )
    c.line("Interpreter: ", _p(interp.full, "NAME"), " (by phone) - consent to video consult given verbally.")
    c.line(
        "Hx: ", c.age_text(), " with T1DM since 1987. Dawn phenomenon on CGM. Hypos mostly after exercise."
    )
    c.distract(2)
    c.line(
        "Plan: reduce basal glargine 24 -> 22 units; carb ratio 1:10 at lunch. Bill as video consult item."
    )
    c.line(
        "Follow-up video visit ",
        c.weekday_date(c.rel_date(rng.randint(14, 42))),
        " - invite to ",
        _p(c.email, "EMAIL"),
        ".",
    )
    c.line(
        c.clin_sig(doc),
        ", endocrinologist - ",
        _p(f"{_ascii(doc.given)[0]}.{_ascii(doc.family)}@{c.domain}", "EMAIL"),
    )


def _gp_med_review(c: _Ctx) -> None:
    rng = c.rng
    gp, pharm = c.clinician(), c.person()
    c.line("OUTPATIENT MEDICATION REVIEW (GP)")
    c.line(c.pt.listed(), "  DOB ", c.date(c.dob), "  ", c.natid_line())
    c.line("Address: ", c.address_pieces())
    c.line("Reason: annual polypharmacy review, ", c.age_text(), f", {rng.randint(9, 14)} regular medicines.")
    c.line("Current: bisoprolol 2.5 mg OD, ramipril 5 mg OD, atorvastatin 40 mg nocte, metformin 500 mg BD,")
    c.line(
        "         omeprazole 20 mg OD, alendronate 70 mg weekly, calcium/vit D 600 mg/400 IU BD, "
        "zopiclone 7.5 mg PRN."
    )
    c.distract(2)
    c.line(
        "Changes: stop omeprazole (no ongoing indication), taper zopiclone over 4 weeks. "
        "May restart PPI if dyspepsia recurs."
    )
    c.line(f"STOPP/START reviewed. eGFR {rng.randint(35, 75)} - metformin dose OK.")
    c.line(
        "Pharmacist ",
        _p(pharm.full, "NAME"),
        " at the community pharmacy (",
        c.phone(_phone(rng, c.loc)),
        ") will do blister packs.",
    )
    c.line(
        "Patient's daughter ",
        _p(c.relative(same_family=False).full, "NAME"),
        " (",
        c.phone(_phone(rng, c.loc, mobile=True)),
        ") helps with medicines.",
    )
    lic_label, lic = _clin_licence(rng, c.loc)
    c.line("Reviewed: ", c.clin_sig(gp), f" ({lic_label} ", _p(lic, "LICENSE"), ") ", c.date(c.today))


def _discharge_instructions(c: _Ctx) -> None:
    rng = c.rng
    doc, fu = c.clinician(), c.clinician()
    c.line("DISCHARGE INSTRUCTIONS")
    c.line("Dear ", f"{c.pt.title()} ", _p(c.pt.family, "NAME"), ",")
    c.line(
        "You were in ",
        c.hospital,
        " from ",
        c.date(c.rel_date(-rng.randint(2, 9))),
        " to ",
        c.date(c.today),
        " with pneumonia.",
    )
    c.line("Your hospital number is ", _p(c.mrn, "MRN"), ". Please bring this letter to every appointment.")
    c.line()
    c.line("Your medicines:")
    c.line(" - amoxicillin/clavulanate 875/125 mg twice a day for 5 more days")
    c.line(" - paracetamol 1 g up to four times a day if needed")
    c.line(
        "Will I need a check-up? Yes: chest X-ray in 6 weeks and see Dr. ",
        _p(fu.family, "NAME"),
        " on ",
        c.date(c.rel_date(rng.randint(7, 30))),
        " at 10:40.",
    )
    c.line(
        "Call us on ",
        c.phone(_phone(rng, c.loc)),
        " or the after-hours nurse line ",
        c.phone(_phone(rng, c.loc)),
        c.ext(),
        " if you:",
    )
    c.line(" - have a temperature over 38 °C, chest pain, or are more short of breath.")
    c.line(
        "Your results and letters are on the patient portal: ",
        _p(f"https://myhealth.{c.domain}/p/{_an(rng, 10).lower()}", "URL"),
    )
    c.distract(1)
    c.line(
        "Discharging doctor: ",
        c.clin_sig(doc, "MD"),
        ". Your GP has been sent a copy by fax to ",
        c.phone(_phone(rng, c.loc), "FAX"),
        ".",
    )


def _incident_report(c: _Ctx) -> None:
    rng = c.rng
    reporter, witness, manager = c.person(), c.person(), c.person()
    ref = f"IR-{c.today.year}-{_dg(rng, 5)}"
    c.line("CLINICAL INCIDENT REPORT   Ref: ", c.other_id(ref))
    c.line(
        "Date/time of incident: ", c.date(c.rel_date(-1)), " 03:15   Reported: ", c.date(c.today), " 07:50"
    )
    c.line("Location: Ward 6B, bed 14")
    c.line("Person affected: ", c.pt.caps(c.rng), f", {c.mrn_label} ", _p(c.mrn, "MRN"), ", ", c.age_short())
    c.line("Type: fall (unwitnessed). Severity: minor harm.")
    c.line(
        "Description: Patient found on floor beside bed by ",
        _p(f"{reporter.given} {reporter.family}", "NAME"),
        " (RN).",
    )
    c.line(
        "Bed alarm not activated; bed sensor pad asset no. ",
        _p(f"SP{_dg(rng, 6)}", "DEVICE_ID"),
        " found disconnected.",
    )
    c.line(
        f"Obs after fall: BP 14{rng.randint(0, 9)}/82, GCS 15, small haematoma R forehead. "
        "CT brain: no bleed."
    )
    c.line(
        "Witness statement from HCA ",
        _p(witness.given, "NAME"),
        "; staff ID ",
        c.other_id(f"{_up(rng, 1)}{_dg(rng, 5)}"),
        ".",
    )
    c.line("Family informed: ", _p(c.relative().full, "NAME"), " at 08:10 on ", c.phone(c.home_phone), ".")
    c.distract(1)
    c.line("Open disclosure completed. Falls risk reassessed (Morse 65). Hip protectors offered.")
    c.line(
        "Manager: ",
        _p(f"{manager.family}, {manager.given}", "NAME"),
        "  ",
        _p(f"{_ascii(manager.given)}.{_ascii(manager.family)}@{c.domain}", "EMAIL"),
    )


def _reminder(c: _Ctx) -> None:
    rng = c.rng
    doc = c.clinician()
    appt = c.rel_date(rng.randint(2, 20))
    if rng.random() < 0.5:
        c.line("SMS to ", c.phone(c.mobile), " sent ", c.date(c.today), " 17:02")
        c.line(
            "Hi ",
            _p(c.pt.given, "NAME"),
            ", reminder: appt with Dr ",
            _p(doc.family, "NAME"),
            " on ",
            c.weekday_date(appt),
            f" at {rng.randint(8, 16)}:{rng.choice(('00', '15', '30', '45'))}, {c.hospital} clinic 3.",
        )
        c.line(
            "Reply Y to confirm or call ",
            c.phone(_phone(rng, c.loc)),
            " to change. Ref ",
            c.other_id(_an(rng, 8)),
            ".",
        )
        c.line("Manage: ", _p(f"https://{c.domain}/a/{_an(rng, 7)}", "URL"))
    else:
        c.line("From: ", _p(f"appointments@{c.domain}", "EMAIL"))
        c.line("To: ", _p(c.email, "EMAIL"))
        c.line("Subject: Appointment reminder - ", c.date(appt))
        c.line()
        c.line("Dear ", _p(c.pt.full, "NAME"), ",")
        c.line(
            "This is a reminder of your appointment at the Heart Failure Clinic with ",
            c.clin_sig(doc),
            " on ",
            c.date(appt),
            " at 09:40.",
        )
        c.line(
            "Please bring your medication list and your Holter monitor (device ",
            _p(f"H3-{_dg(rng, 5)}", "DEVICE_ID"),
            ").",
        )
        c.line(
            f"Your reference: {c.mrn_label} ",
            _p(c.mrn, "MRN"),
            ". Parking is limited - the Austin Street car park is free for patients.",
        )
        c.line(
            "To reschedule: ",
            c.phone(_phone(rng, c.loc)),
            " or ",
            _p(f"https://{c.domain}/reschedule?ref={_an(rng, 9)}", "URL"),
        )
        c.line("Please do not reply to this email.")


def _insurance_letter(c: _Ctx) -> None:
    rng = c.rng
    doc, officer = c.clinician(), c.person()
    claim = f"CLM{_dg(rng, 9)}"
    c.line(c.hospital, " - Patient Accounts")
    c.line(c.date(c.today))
    c.line()
    c.line("Claims Department")
    c.line(
        rng.choice(
            (
                "Blue Harbour Health Insurance",
                "Laya Healthcare",
                "Medibank Private",
                "Sun Life Group Benefits",
                "Allianz Partners",
            )
        )
    )
    c.line()
    c.line("Re: ", _p(c.pt.full, "NAME"), ", DOB ", c.date(c.dob))
    c.line(f"    {c.plan_label} ", _p(c.plan, "HEALTH_PLAN"), "  Group no. ", _p(_dg(rng, 6), "HEALTH_PLAN"))
    c.line("    Claim no. ", c.other_id(claim), "   Patient account ", _p(c.account, "ACCOUNT"))
    c.line()
    c.line("Dear ", rng.choice(("Ms ", "Mr ")), _p(officer.family, "NAME"), ",")
    c.line(
        "We write to appeal the denial of pre-authorisation dated ",
        c.date(c.rel_date(-rng.randint(10, 40))),
        " for cardiac MRI.",
    )
    c.line(
        "The policy holder, ",
        _p(c.relative(same_family=False).full, "NAME"),
        ", has confirmed cover under the family plan.",
    )
    c.line(
        "Clinical summary: suspected cardiac amyloidosis; Holter and echo (GLS -11%) are supportive. "
        "MRI is the"
    )
    c.line("appropriate next test; price quoted: 1,450.00 (excl. contrast).")
    c.distract(1)
    iban_cc = {
        "IE": "IE",
        "ES": "ES",
        "PT": "PT",
        "PL": "PL",
        "TR": "TR",
        "SE": "SE",
        "NO": "NO",
        "DK": "DK",
    }.get(c.loc)
    if iban_cc:
        c.line(
            "Refunds to IBAN ",
            _p(f"{iban_cc}{_dg(rng, 2)} {_up(rng, 4)} {_dg(rng, 4)} {_dg(rng, 4)} {_dg(rng, 4)}", "ACCOUNT"),
            ".",
        )
    c.line("Patient address on file: ", c.address_pieces())
    c.line("Yours sincerely,")
    c.line(c.clin_sig(doc, "MD"), "  NPI/Provider no. ", c.other_id(_nz(rng, 10)))
    c.line("Tel ", c.phone(_phone(rng, c.loc)), "  Fax ", c.phone(_phone(rng, c.loc), "FAX"))


def _device_clinic(c: _Ctx) -> None:
    rng = c.rng
    tech, ep = c.person(), c.clinician()
    c.line("PACING AND DEVICE CLINIC - REMOTE INTERROGATION")
    c.line(c.pt.caps(c.rng), "   ", c.age_short(), f"   {c.mrn_label}: ", _p(c.mrn, "MRN"))
    c.line(
        "Device: dual-chamber pacemaker, implanted ",
        c.date(c.rel_date(-rng.randint(400, 3000))),
        ", SN ",
        _p(f"PJN{_dg(rng, 6)}S", "DEVICE_ID"),
    )
    c.line(
        "RA lead SN ",
        _p(f"BBL{_dg(rng, 6)}V", "DEVICE_ID"),
        ", RV lead SN ",
        _p(f"BBL{_dg(rng, 6)}V", "DEVICE_ID"),
    )
    c.line(
        "Home monitor ",
        _p(f"{_an(rng, 3)}-{_dg(rng, 6)}", "DEVICE_ID"),
        " last transmission from ",
        _p(_ipv4(rng), "IP"),
        " on ",
        c.date(c.rel_date(-1)),
        ".",
    )
    c.line(f"Battery 8.{rng.randint(0, 9)} years. RA 1.8 V @ 0.4 ms, RV 0.75 V @ 0.4 ms. Pacing 34% A, 2% V.")
    c.line(
        "AHRE: 3 episodes, longest 4 min (on ",
        c.weekday_date(c.rel_date(-rng.randint(2, 12))),
        "). CHA2DS2-VASc 4.",
    )
    c.distract(2)
    c.line(
        "Plan: no reprogramming. Will discuss anticoagulation with Dr. ",
        _p(ep.family, "NAME"),
        ". Next remote check in 3 months.",
    )
    c.line(
        "Checked by ",
        _p(f"{tech.given[0]}. {tech.family}", "NAME"),
        ", cardiac physiologist, ",
        c.phone(_phone(rng, c.loc)),
        c.ext(),
    )


def _ed_triage(c: _Ctx) -> None:
    rng = c.rng
    para, triage = c.person(), c.person()
    c.line("EMERGENCY DEPARTMENT - TRIAGE / AMBULANCE HANDOVER")
    c.line(
        "Arrival ",
        c.date(c.today),
        f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} by ambulance, unit ",
        c.other_id(f"{_up(rng, 1)}{_dg(rng, 3)}"),
    )
    c.line("Name: ", c.pt.caps(c.rng), "   DOB ", c.date(c.dob), "   ", c.natid_line())
    c.line("Address: ", c.address_pieces())
    c.line(
        "Presenting complaint: ",
        c.age_text(),
        " found confused at home by neighbour ",
        _p(c.person().full, "NAME"),
        ".",
    )
    c.line(
        "ISBAR from paramedic ",
        _p(para.given, "NAME"),
        ": GCS 13 (E3V4M6), BGL 2.1 -> 6.8 after 15 g glucose IV.",
    )
    c.line(
        "Patient's car (reg ", _p(_plate(rng, c.loc), "VEHICLE_ID"), ") left at home; keys with neighbour."
    )
    c.line(
        "Driving licence no. ",
        _p(f"{_up(rng, 1)}{_dg(rng, 7)}", "LICENSE"),
        " noted - advised not to drive pending review.",
    )
    c.distract(2)
    c.line(
        f"Triage category {rng.randint(2, 3)}. Triage RN: ",
        _p(f"{triage.family}, {triage.given}", "NAME"),
        ".",
    )


_KINDS = (
    ("cardiac catheterisation report", _cath_report),
    ("anaesthesia pre-op assessment", _anaesthesia_preop),
    ("physiotherapy progress note", _physio_progress),
    ("dietitian note", _dietitian),
    ("ICU daily progress note (SOAP)", _icu_soap),
    ("home-care visit note", _home_care),
    ("telemedicine consult", _telemedicine),
    ("GP outpatient medication review", _gp_med_review),
    ("discharge instructions to patient", _discharge_instructions),
    ("incident report", _incident_report),
    ("appointment reminder SMS/email", _reminder),
    ("insurance correspondence", _insurance_letter),
    ("pacing/device clinic remote check", _device_clinic),
    ("ED triage / ambulance handover", _ed_triage),
)
KIND_NAMES = tuple(k for k, _ in _KINDS)


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    notes: list[AltNote] = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        ctx = _Ctx(rng)
        _, fn = _KINDS[(i + seed) % len(_KINDS)] if rng.random() < 0.5 else rng.choice(_KINDS)
        fn(ctx)
        notes.append(ctx.b.build(ctx.patient_record()))
    return notes


if __name__ == "__main__":
    sample = generate(300, 0)
    for note in sample[:2]:
        print(note.text)
        print("spans:", [(note.text[s.start : s.end], s.category) for s in note.spans])
        print("-" * 100)
    counts = Counter(s.category for note in sample for s in note.spans)
    for cat in CATEGORIES:
        print(f"{cat:12s} {counts.get(cat, 0)}")
    print("total", sum(counts.values()))
