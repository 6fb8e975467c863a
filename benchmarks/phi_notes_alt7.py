# ruff: noqa: E501, N806, RUF005, E741, B007, RUF059, F841  (a blind set, kept as its author wrote it)
"""Alt-7 blind PHI test set: synthetic clinical-adjacent documents with gold PHI spans.

Written blind: the author did not read the project's source, tests, docs, run results or any other benchmark set,
and never ran the project's scrubber. Everything below comes from the task brief alone. Standard library only;
deterministic for a given (n, seed); note i is generated from random.Random(f"alt7:{seed}:{i}").

Gold spans are recorded by a builder at insertion time (plain text vs (phi_text, category)); nothing is found by
searching afterwards. Kind of note i = KINDS[(i + seed) % 21]; the locale is drawn per note from the kind's list.

Kinds (21): genetic variant report with family cascade table (markdown) | IVF/ICSI cycle log (fixed-width) |
organ-donation family approach record | Mental Health Act 1983 section papers (Form A2/A6, ALL CAPS fields) |
hospital-at-home / virtual-ward daily log | informal complaint letter (typos, lowercase) | GP consultation in SOAP
shorthand | OCR'd referral letter (letter-spaced text, character substitutions, hyphenated line break) | patient
forum thread with quoted replies | research data-management query export (wide CSV) | medical-tourism invoice |
sports concussion (SCAT6) and return-to-sport log | veterans' medical board summary | school absence note with
appointment letter | wheelchair / seating clinic prescription | lab-instrument export (JSON lines or XML
attributes) | pre-operative questionnaire with free-text boxes | clinician chat export (WhatsApp iOS/Android or
Teams) | ward whiteboard photo transcript | advance directive / power of attorney (US notary, UK LPA, CA, AU, IE) |
home-oxygen order (UK HOOF or US CMS-484) with supplier.

Places (15 locales with their own streets, localities, postcodes, phone formats, national ids, health-plan numbers,
plates, licences and date habits): USA, UK, Canada, Australia, Ireland, South Africa, Nigeria, India, Germany,
France, Netherlands, Sweden, Brazil, Mexico, Japan; plus clinic addresses/phones in Istanbul, Bangkok, Budapest,
Seoul and Tijuana. Name pools: Anglo, Irish, Hispanic, Portuguese/Brazilian, German, French, Dutch, Nordic, Slavic,
Arabic, Indian, Nigerian, South African, Chinese, Japanese, Korean, Vietnamese.

Convention decisions (HIPAA Safe Harbor as the brief states it, plus the choices made here):
- NAME: any person (patient, relatives, clinicians, staff, witnesses, police, drivers). Titles and honorifics (Mr,
  Mrs, Ms, Dr, Prof, Herr, Frau, M., Mme, dhr., mevr., Sr., Sra., Shri, Smt., Chief, PC, Rev., Imam, military ranks)
  and degrees/credentials (MD, NP, PhD, FACMG, MBBS, ATC, RGC ...) are outside the span. "FAMILY, Given",
  "Family, Given M." and caret-delimited "FAMILY^GIVEN" are one span each; "FAMILY G" (whiteboard) is one span.
  Initials standing for a person ("JK", "J.K.", trial-subject initials) are NAME. Lowercased names are NAME.
  OCR-garbled names are one span over exactly the garbled text, including letter-spaced forms ("J o h n  S m i t h"),
  digit substitutions ("Sm1th") and a surname hyphenated across a line break. A possessive "'s" is outside.
  Person names inside street names (Victor Hugo, Nelson Mandela, Herbert Macaulay) belong to the ADDRESS span.
  Pseudonymous forum handles without a real name ("spoonie_42") and pet names are not PHI.
- DATE: every day-level date in any format, partial dates ("3/14", "14/3", "16 Aug", "May 23rd"), month+year
  ("March 2019", "10/2021", "Oct 2015"), compact (20240314), Oracle style (14-MAR-2024), 2-digit years, ordinal words
  ("twenty-third of May", "seventh day of July, 2023"), other languages (de/fr/es/pt/nl/sv), Japanese (2024年3月14日)
  and era dates (令和6年3月14日), Hijri ("5 Ramadan 1445 AH") and Thai Buddhist Era ("2 August 2567 BE"); letter-spaced
  OCR dates are one span. Outside the span: a leading "the"/"this", a weekday name, and any time (also ISO
  "T09:12:33Z"). Not PHI: bare years, weekdays alone, relative dates ("yesterday", "2 days ago"), durations and
  shorthand like "x3/7", "r/v 2/52", "OTD in 2/52", "3/12 ago", "day 3/7".
- AGE_OVER_89: only the number of an age >= 90, digits or words ("93", "ninety-three", "one hundred and two");
  "yo", "y", "-year-old", "years old" stay outside. Ages < 90 are never tagged (e.g. "turns 89 today"). Decided
  but not needed by the generator: decades/aggregates ("in her 90s", "90+", "nonagenarian") would not be PHI.
- PHONE / FAX: every phone number whoever owns it (patients, relatives, clinicians, wards, practices, suppliers,
  clinics); bleeps/pagers and extensions are PHONE (digits only, the "bleep"/"ext." label outside); fax FAX.
  Public or internal emergency and helpline numbers (911, 999, 000, 112, 119, 192, 15, 10177, 116 123, 2222) are
  not PHI.
- SSN = national identity numbers: US SSN, UK NHS number and NI number, Canadian SIN, Australian IHI, German
  Steuer-ID, French NIR, Aadhaar/PAN, Dutch BSN, Irish PPSN, Brazilian CPF, Japanese My Number, South African ID,
  Nigerian NIN, Mexican CURP, Swedish personnummer (ids that embed a birth date are one SSN span, no DATE inside).
- HEALTH_PLAN: insurance member/policy numbers incl. Medicare MBI, Australian Medicare number, Canadian provincial
  health cards, German KVNR, Brazilian CNS, IMSS NSS, NHIA, private and travel-insurance policies.
- MRN: hospital / record / patient-id numbers (incl. lab "pid", clinic "patient file"); a prefix that is part of
  the number ("SJH-", "NGH", "RX") is inside, labels ("MRN", "Hosp no", "Ref") are outside.
- ACCOUNT: encounter/FIN/billing accounts, invoice, claim and order/claim numbers, IBANs and bank account numbers.
- LICENSE: driving licences, GMC/HCPC/state medical and other professional registrations, athletic-trainer
  licences, notary commission numbers, accredited-representative numbers.
- OTHER_ID: accession, specimen/sample, cycle, embryo, donor-code and donor numbers, register and coroner refs,
  police collar numbers and incident logs, passports, booking refs, employee/operator ids, student/club ids,
  trial subject ids, veterans' file and service numbers, OPG/LPA references, registered-copy and order refs, NPIs.
- ADDRESS / ZIP: the street line (with flat/unit/house name, or a PO box) is one span; each locality (suburb,
  neighbourhood, Japanese ward, bairro, colonia after the "Col." label, city/town) is its own ADDRESS span; the
  postcode is ZIP ("CEP"/"〒" labels outside). States, provinces, prefectures and countries are not PHI; UK and Irish
  counties are never printed. Any street address is PHI whoever it belongs to (clinics, suppliers, witnesses).
- URL: personal or tokenised URLs (social posts, fundraisers, video rooms, shared handover files, personalised
  questionnaire links) are one URL span each. IP: IPv4 and IPv6.
- DEVICE_ID: serials of home-monitoring kit, wheelchairs, controllers, oxygen concentrators and cylinders, and lab
  analysers. VEHICLE_ID: number plates of many countries (incl. Japanese kana plates) and VINs.
- Unlabelled traps that are NOT PHI: hospital/practice/lab/clinic/supplier/hotel names (even when they contain a
  city), ward names, bed/bay numbers, jersey numbers, ICD-10/CPT/HCPCS/LOINC/VA diagnostic codes, HGVS variants,
  transcript ids, dbSNP/ClinVar ids, NCT/EudraCT ids, EDC query ids, reagent/drug lots, REF/catalogue and package
  codes, embryo storage locations, flight numbers, clinic tax numbers, doses, lab values, scores and measurements.
- Every gold span's text equals its stripped self; spans never overlap.
"""

from __future__ import annotations

import random
import sys
import unicodedata
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


# ------------------------------------------------------------------------------------------------------------------
# builder: gold spans are recorded at insertion time, never searched for afterwards


class _B:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._n = 0
        self.spans: list[AltSpan] = []

    def add(self, *items: object) -> _B:
        for it in items:
            if it is None or it == "":
                continue
            if isinstance(it, tuple):
                s, cat = it
                if cat not in CATEGORIES:
                    raise ValueError(f"unknown category {cat}")
                if not s or s != s.strip():
                    raise ValueError(f"bad span text {s!r}")
                self.spans.append(AltSpan(self._n, self._n + len(s), cat))
                self._parts.append(s)
                self._n += len(s)
            else:
                assert isinstance(it, str), it
                self._parts.append(it)
                self._n += len(it)
        return self

    def text(self) -> str:
        return "".join(self._parts)


def _mk(cat: str):
    def f(s: str) -> tuple[str, str]:
        return (s, cat)

    return f


(_N, _D, _AGE, _PH, _FX, _EM, _SSN, _MRN, _ACC, _LIC, _AD, _ZIP, _URL, _IP, _DEV, _VEH, _HP, _OID) = (
    _mk(c) for c in CATEGORIES
)

# ------------------------------------------------------------------------------------------------------------------
# small random helpers

_LET = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _pat(r: random.Random, p: str) -> str:
    """'#' digit, '%' non-zero digit, '@' capital letter (no I/O/Q), '*' capital or digit; others literal."""
    out = []
    for ch in p:
        if ch == "#":
            out.append(str(r.randint(0, 9)))
        elif ch == "%":
            out.append(str(r.randint(1, 9)))
        elif ch == "@":
            out.append(r.choice(_LET))
        elif ch == "*":
            out.append(r.choice(_LET + "0123456789"))
        else:
            out.append(ch)
    return "".join(out)


def _pool(s: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in s.split())


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return s.replace(" ", "").replace("'", "")


def _luhn_digit(body: str) -> str:
    tot = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return str((10 - tot % 10) % 10)


# ------------------------------------------------------------------------------------------------------------------
# name pools (male given, female given, family); "_" stands for a space inside a name

_CULT = {
    "anglo": (
        _pool(
            "James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew Anthony Mark "
            "Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Gary "
            "Nicholas Eric Jonathan Stephen Justin Scott Brandon Benjamin Samuel Gregory Frank Raymond Patrick Jack "
            "Dennis Tyler Aaron Harold Henry Douglas Peter Arthur Walter Nathan Oliver Harry Alfie Reginald Clifford "
            "Wayne Dean Craig Gareth Rhys Bertram Cyril Stanley"
        ),
        _pool(
            "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret "
            "Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca "
            "Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Brenda Pamela Nicole Emma Samantha Katherine "
            "Christine Rachel Catherine Janet Ruth Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Lauren "
            "Joan Evelyn Judith Megan Cheryl Hannah Martha Gloria Frances Abigail Alice Judy Grace Denise Amber "
            "Doris Marilyn Beverly Charlotte Mildred Edna Gladys Ethel Winifred Maud Beryl Ivy Mabel Phyllis "
            "Becky Kayleigh Chelsea Shannon"
        ),
        _pool(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
            "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker "
            "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris "
            "Rogers Reed Cook Morgan Bell Bailey Cooper Richardson Cox Howard Ward Peterson Gray Watson Brooks "
            "Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes "
            "Butler Simmons Foster Bryant Russell Griffin Hayes Myers Ford Hamilton Graham Sullivan Wallace West "
            "Cole Reynolds Fisher Ellis Harrison Gibson Marshall Owens Wells Holmes Fletcher Whitworth Pennington "
            "Ashdown Thornbury Hargreaves Blackwood Featherstone Crabtree Lockwood Pickering Ramsbottom Haworth "
            "Hope Strong Little Goodchild Bishop Mason Archer Sharp"
        ),
    ),
    "hispanic": (
        _pool(
            "José Juan Carlos Luis Miguel Jorge Alejandro Francisco Javier Manuel Rafael Diego Sergio Andrés "
            "Fernando Ricardo Eduardo Pablo Héctor Raúl Mateo Santiago Emiliano Joaquín Ignacio Jesús"
        ),
        _pool(
            "María Guadalupe Ana Carmen Rosa Lucía Sofía Isabel Elena Valentina Camila Daniela Gabriela Mariana "
            "Paola Alejandra Verónica Ximena Fernanda Beatriz Pilar Consuelo Esperanza Dolores Inés Socorro"
        ),
        _pool(
            "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera "
            "Gómez Díaz Morales Reyes Cruz Ortiz Gutiérrez Chávez Ramos Ruiz Vargas Castillo Jiménez Moreno "
            "Romero Herrera Medina Aguilar Vega Castro Mendoza Guerrero Delgado Navarro Rojas Salazar Núñez "
            "Cabrera De_la_Cruz Del_Río Santos Ibarra Villanueva Quiroga Zamora"
        ),
    ),
    "german": (
        _pool(
            "Lukas Jonas Felix Maximilian Leon Paul Tobias Jan Stefan Andreas Klaus Jürgen Wolfgang Dieter "
            "Matthias Florian Sebastian Uwe Horst Günter Friedrich Ludwig Heinrich Moritz"
        ),
        _pool(
            "Anna Lena Laura Julia Lea Sophie Katharina Sabine Petra Monika Ursula Ingrid Gisela Brigitte Renate "
            "Heike Susanne Claudia Birgit Annegret Hildegard Liselotte Greta Frieda Marlene"
        ),
        _pool(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter "
            "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner "
            "Krause Meier Lehmann Köhler Huber Kaiser Fuchs Vogel Scholz Brandt Winkler Lorenz Baumann von_Arnim "
            "Oberhauser"
        ),
    ),
    "french": (
        _pool(
            "Jean Pierre Michel André Philippe Alain Jacques Bernard Christophe Nicolas Julien Mathieu Antoine "
            "Théo Hugo Louis Gabriel Raphaël Baptiste Étienne Rémi Yannick Gaël Loïc"
        ),
        _pool(
            "Marie Nathalie Isabelle Sylvie Catherine Françoise Monique Valérie Sandrine Céline Aurélie Camille "
            "Chloé Manon Léa Inès Juliette Margaux Élodie Amandine Solène Geneviève Odile Maëlle"
        ),
        _pool(
            "Bernard Dubois Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel David "
            "Bertrand Roux Vincent Fournier Morel Girard Lefèvre Mercier Dupont Lambert Bonnet François Legrand "
            "Garnier Faure Rousseau Blanc Guérin Roussel Perrin Morin Clément Gauthier Dumont Fontaine Chevalier "
            "Le_Goff Le_Berre Delacroix"
        ),
    ),
    "dutch": (
        _pool(
            "Daan Sem Lucas Jesse Thijs Bram Ruben Lars Joris Pieter Maarten Wouter Jeroen Sander Bas Koen "
            "Willem Hendrik Gerrit Cornelis"
        ),
        _pool(
            "Emma Sophie Julia Tess Fenna Sanne Lotte Femke Anouk Eva Marieke Ingrid Annelies Wilhelmina Geertje "
            "Maaike Floor Noor Roos Ilse"
        ),
        _pool(
            "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer Mulder "
            "de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf "
            "van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen Hoekstra"
        ),
    ),
    "indian": (
        _pool(
            "Rahul Amit Arjun Vikram Rajesh Suresh Anil Sanjay Ravi Deepak Arun Karthik Pranav Rohan Aditya "
            "Nikhil Harish Venkatesh Srinivas Manoj Gurpreet Harjit Imran Farhan Abhishek"
        ),
        _pool(
            "Priya Anjali Sunita Kavita Deepika Pooja Lakshmi Meera Divya Ananya Sneha Neha Shreya Aishwarya "
            "Radha Kamala Savitri Parvati Jaspreet Harleen Nazia Ishita Revathi Padma"
        ),
        _pool(
            "Sharma Patel Singh Kumar Gupta Reddy Rao Iyer Nair Menon Das Chatterjee Banerjee Mukherjee Joshi "
            "Desai Mehta Shah Kapoor Malhotra Verma Agarwal Pillai Krishnan Subramanian Venkataraman "
            "Bhattacharya Ghosh Sen Chauhan Gill Sandhu Dhillon Qureshi Khan Naidu Hegde Kulkarni"
        ),
    ),
    "nigerian": (
        _pool(
            "Chinedu Emeka Oluwaseun Adebayo Tunde Ikechukwu Obinna Chukwuemeka Babatunde Olumide Femi Kelechi "
            "Uchenna Segun Yusuf Nnamdi Kayode Ifeanyi Damilola Goodluck"
        ),
        _pool(
            "Ngozi Chiamaka Adaeze Folake Funmilayo Oluwakemi Bisi Nkechi Amaka Yetunde Titilayo Chioma Ifeoma "
            "Zainab Temitope Blessing Precious Omolara Ebele Comfort"
        ),
        _pool(
            "Okafor Adeyemi Okonkwo Eze Nwosu Ogunleye Olawale Balogun Okeke Chukwu Obi Afolabi Bello Abubakar "
            "Oyelaran Nwachukwu Onyekachi Akinola Ogundipe Adewale Uzoma Ekwueme Ogbonna Oyebanji"
        ),
    ),
    "chinese": (
        _pool("Wei Jun Hao Lei Ming Jian Yong Tao Bo Zhiwei Jianguo Haoran Yuxuan Kai Feng Qiang Xin Long"),
        _pool(
            "Na Fang Ying Xiu Mei Jing Hui Yan Ling Xiaoling Yuting Jiayi Xinyi Lan Qing Hua Min Yun Meiling"
        ),
        _pool(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie "
            "Tang Deng Cao Song Wong Chan Lau Cheung Ng Tan Lim Ho"
        ),
    ),
    "japanese": (
        _pool(
            "Hiroshi Takashi Kenji Yuki Daisuke Haruto Sota Ren Kazuo Shigeru Tetsuya Makoto Akira Ryota Satoshi"
        ),
        _pool("Yuko Keiko Naoko Sakura Yui Hana Aoi Emi Haruka Michiko Fumiko Chiyo Kazuko Mai Ayaka"),
        _pool(
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki "
            "Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Abe Ikeda Hashimoto Ishikawa Ogawa Fujita"
        ),
    ),
    "arabic": (
        _pool(
            "Mohammed Ahmed Ali Omar Khalid Youssef Hassan Hussein Tariq Karim Samir Nabil Walid Faisal Mustafa "
            "Bilal Ziad Rami Hamza Adel"
        ),
        _pool(
            "Fatima Aisha Mariam Layla Noor Huda Salma Yasmin Rania Leila Amira Dalia Hana Samira Zeinab Maha "
            "Reem Lina Nadia Dina"
        ),
        _pool(
            "Al-Sayed Haddad Khoury Mansour Nasser Hamdan Saleh Aziz Farah Qasim Darwish Abdullah Al-Rashid Bakr "
            "Jaber Khalil Najjar Said Yousef Abu-Hamdan El-Masri Ibrahim Shaheen Sabbagh Tahan"
        ),
    ),
    "slavic": (
        _pool(
            "Piotr Tomasz Krzysztof Andrzej Marek Paweł Jakub Michał Aleksander Dmitri Sergei Ivan Oleksandr "
            "Mykola Vladimir Yuri Bogdan Milan Dragan Nikola"
        ),
        _pool(
            "Katarzyna Małgorzata Agnieszka Joanna Ewa Magdalena Olga Natalia Tatiana Irina Svetlana Oksana "
            "Yulia Daria Milena Jelena Zofia Halina Wanda"
        ),
        _pool(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
            "Dąbrowski Ivanov Petrov Smirnov Kuznetsov Popov Sokolov Shevchenko Bondarenko Kovalenko Tkachenko "
            "Horvat Novak Jovanović Petrović Nikolić Kovač Babić"
        ),
    ),
    "nordic": (
        _pool(
            "Erik Lars Anders Johan Karl Nils Olof Per Magnus Henrik Mikael Sven Gustav Axel Björn Leif Ole Jens "
            "Søren Mads"
        ),
        _pool(
            "Karin Kristina Lena Astrid Sofia Elin Sigrid Maja Freja Ida Linnea Birgitta Margareta Solveig "
            "Kirsten Mette Ingrid"
        ),
        _pool(
            "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson "
            "Jonsson Lindberg Lindqvist Lundgren Bergström Sandberg Holm Nyström Hansen Jensen Nielsen Pedersen "
            "Christensen Berg Haugen Lindahl Ekström"
        ),
    ),
    "portuguese": (
        _pool(
            "João Pedro Lucas Gabriel Rafael Thiago Bruno Felipe Gustavo Matheus Rodrigo André Marcelo Leandro "
            "Vinícius Caio Otávio Renato Sebastião Raimundo"
        ),
        _pool(
            "Ana Maria Juliana Fernanda Beatriz Larissa Camila Letícia Mariana Patrícia Aline Tatiana Luana "
            "Adriana Gabriela Francisca Conceição Raimunda Lúcia Rita"
        ),
        _pool(
            "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
            "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes "
            "Marques Machado Mendes Freitas Cardoso Teixeira Cavalcanti Araújo"
        ),
    ),
    "korean": (
        _pool("Min-jun Seo-jun Ji-hoon Hyun-woo Dong-hyun Jae-won Sung-min Young-ho Joon-ho Tae-yang"),
        _pool("Ji-woo Seo-yeon Min-seo Ha-eun Soo-jin Eun-ji Hye-jin Yeon-woo Ji-yeon Mi-kyung"),
        _pool("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong"),
    ),
    "vietnamese": (
        _pool("Minh Tuan Hung Duc Quang Thanh Long Hoang Khanh Phuc"),
        _pool("Linh Lan Huong Mai Thao Trang Ngoc Hanh Thu Phuong"),
        _pool("Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ngo Duong Ly"),
    ),
    "irish": (
        _pool(
            "Seán Ciarán Padraig Cillian Oisín Niall Declan Eoin Conor Darragh Fergal Colm Donal Tadhg Ronan"
        ),
        _pool(
            "Siobhán Aoife Niamh Saoirse Caoimhe Orla Róisín Aisling Clodagh Gráinne Eimear Sinéad Bríd Máire "
            "Nuala"
        ),
        _pool(
            "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy Gallagher "
            "O'Doherty Kennedy Lynch Murray Quinn Carroll Connolly Daly Brennan Mac_Giolla_Phádraig Ní_Bhriain"
        ),
    ),
    "southafrican": (
        _pool("Thabo Sipho Bongani Mandla Themba Lwazi Pieter Johan Andile Sibusiso Kagiso Tshepo"),
        _pool("Nomvula Thandiwe Lerato Zanele Naledi Ayanda Palesa Nandi Anneke Elna Busisiwe Mpho"),
        _pool(
            "Nkosi Dlamini Ndlovu Mokoena Khumalo Mthembu van_der_Merwe Botha Pretorius Naidoo Mahlangu Zulu "
            "Mabaso Coetzee Venter Sithole"
        ),
    ),
}
_ALL_CULT = tuple(_CULT)


@dataclass
class _P:
    given: str
    family: str
    sex: str
    middle: str
    culture: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def _initial(s: str) -> str:
    return next((w[0] for w in s.split() if w[0].isupper()), s[0]).upper()


def _nm(p: _P, form: str) -> str:
    g, f, mi = p.given, p.family, p.middle
    if form == "full":
        return f"{g} {f}"
    if form == "mid":
        return f"{g} {mi[0]}. {f}" if mi else f"{g} {f}"
    if form == "midfull":
        return f"{g} {mi} {f}" if mi else f"{g} {f}"
    if form == "rev":
        return f"{f}, {g}"
    if form == "REV":
        return f"{f.upper()}, {g}"
    if form == "REVU":
        return f"{f.upper()}, {g.upper()}"
    if form == "revmi":
        return f"{f}, {g} {mi[0]}." if mi else f"{f}, {g}"
    if form == "init":
        return f"{g[0]}. {f}"
    if form == "initnd":
        return f"{g[0]} {f}"
    if form == "fam":
        return f
    if form == "FAM":
        return f.upper()
    if form == "given":
        return g
    if form == "inits":
        return f"{g[0]}.{_initial(f)}."
    if form == "INITS":
        return f"{g[0]}{_initial(f)}"
    if form == "upper":
        return f"{g} {f}".upper()
    if form == "lower":
        return f"{g} {f}".lower()
    if form == "famg":
        return f"{f.upper()} {g[0]}"
    if form == "caret":
        return f"{f.upper()}^{g.upper()}"
    raise ValueError(form)


# ------------------------------------------------------------------------------------------------------------------
# dates, times, number words

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
_MON = tuple(m[:3] for m in _MONTHS)
_WDAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LANG_M = {
    "de": (
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
    ),
    "fr": (
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
    ),
    "es": (
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
    ),
    "pt": (
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
    ),
    "nl": (
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
    ),
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
}
_HIJRI_M = (
    "Muharram",
    "Safar",
    "Rabi al-Awwal",
    "Rabi al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Sha'ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qadah",
    "Dhu al-Hijjah",
)
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDW = [
    "_",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + ("-" + _ONES[o] if o else "")
    if n < 200:
        rest = n - 100
        return "one hundred" + (" and " + _words(rest) if rest else "")
    raise ValueError(n)


def _ordwords(n: int) -> str:
    if n <= 20:
        return _ORDW[n]
    t, o = divmod(n, 10)
    if o == 0:
        return _TENS[t][:-1] + "ieth"
    return _TENS[t] + "-" + _ORDW[o]


def _suf(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _hijri(d: date) -> tuple[int, int, int]:
    jd = d.toordinal() + 1721425
    ll = jd - 1948440 + 10632
    n = (ll - 1) // 10631
    ll = ll - 10631 * n + 354
    j = ((10985 - ll) // 5316) * ((50 * ll) // 17719) + (ll // 5670) * ((43 * ll) // 15238)
    ll = ll - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    m = (24 * ll) // 709
    dd = ll - (709 * m) // 24
    y = 30 * n + j - 30
    return y, m, dd


def _fd(d: date, st: str) -> str:
    y, m, dd = d.year, d.month, d.day
    mm, mo, s = _MONTHS[m - 1], _MON[m - 1], _suf(dd)
    table = {
        "iso": f"{y:04d}-{m:02d}-{dd:02d}",
        "isoslash": f"{y}/{m:02d}/{dd:02d}",
        "dmy": f"{dd:02d}/{m:02d}/{y}",
        "dmy1": f"{dd}/{m}/{y}",
        "mdy": f"{m:02d}/{dd:02d}/{y}",
        "mdy1": f"{m}/{dd}/{y}",
        "dmy2": f"{dd:02d}/{m:02d}/{y % 100:02d}",
        "mdy2": f"{m}/{dd}/{y % 100:02d}",
        "dot": f"{dd:02d}.{m:02d}.{y}",
        "dot2": f"{dd}.{m}.{y % 100:02d}",
        "dash": f"{dd:02d}-{m:02d}-{y}",
        "mdash": f"{m:02d}-{dd:02d}-{y}",
        "d_mon_y": f"{dd} {mo} {y}",
        "d_month_y": f"{dd} {mm} {y}",
        "month_d_y": f"{mm} {dd}, {y}",
        "mon_d_y": f"{mo} {dd}, {y}",
        "ord_month_y": f"{dd}{s} {mm} {y}",
        "ord_of": f"{dd}{s} of {mm} {y}",
        "ord_apos": f"{dd}{s} {mo} '{y % 100:02d}",
        "month_ord": f"{mm} {dd}{s}",
        "d_month": f"{dd} {mm}",
        "d_mon": f"{dd} {mo}",
        "mon_d": f"{mo} {dd}",
        "md": f"{m}/{dd}",
        "dm": f"{dd}/{m}",
        "dmz": f"{dd:02d}/{m:02d}",
        "compact": f"{y}{m:02d}{dd:02d}",
        "oracle": f"{dd:02d}-{mo.upper()}-{y}",
        "oracle2": f"{dd:02d}{mo.upper()}{y % 100:02d}",
        "words": f"{_ordwords(dd)} of {mm}",
        "words_y": f"{_ordwords(dd)} of {mm}, {y}",
        "legal": f"{_ordwords(dd)} day of {mm}, {y}",
        "month_y": f"{mm} {y}",
        "mon_y": f"{mo} {y}",
        "mm_yyyy": f"{m:02d}/{y}",
        "d_mon_y2": f"{dd}-{mo}-{y % 100:02d}",
        "de": f"{dd}. {_LANG_M['de'][m - 1]} {y}",
        "fr": f"{'1er' if dd == 1 else dd} {_LANG_M['fr'][m - 1]} {y}",
        "es": f"{dd} de {_LANG_M['es'][m - 1]} de {y}",
        "pt": f"{dd} de {_LANG_M['pt'][m - 1]} de {y}",
        "nl": f"{dd} {_LANG_M['nl'][m - 1]} {y}",
        "sv": f"{dd} {_LANG_M['sv'][m - 1]} {y}",
        "ja": f"{y}年{m}月{dd}日",
        "be": f"{dd} {mm} {y + 543} BE",
        "lower": f"{dd} {mo.lower()} {y}",
        "upper": f"{dd} {mm.upper()} {y}",
    }
    if st in table:
        return table[st]
    if st == "reiwa":
        if d >= date(2019, 5, 1):
            return f"令和{y - 2018}年{m}月{dd}日"
        if d >= date(1989, 1, 8):
            return f"平成{y - 1988}年{m}月{dd}日"
        if d >= date(1926, 12, 25):
            return f"昭和{y - 1925}年{m}月{dd}日"
        return f"{y}年{m}月{dd}日"
    if st == "hijri":
        hy, hm, hd = _hijri(d)
        return f"{hd} {_HIJRI_M[hm - 1]} {hy} AH"
    raise ValueError(st)


_ISO_LIKE = ("iso", "dmy", "mdy", "dot", "d_mon_y", "month_d_y", "dmy2", "compact")
_ANY_STYLES = (
    "iso",
    "dmy",
    "mdy",
    "dot",
    "d_mon_y",
    "d_month_y",
    "month_d_y",
    "mon_d_y",
    "ord_month_y",
    "ord_apos",
    "month_ord",
    "dmy2",
    "mdy2",
    "oracle",
    "compact",
    "dash",
    "isoslash",
    "d_mon_y2",
)


def _time(r: random.Random, style: str | None = None) -> str:
    h, mi, sec = r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)
    st = style or r.choice(("24", "24", "24s", "ampm", "h", "hh"))
    if st == "24":
        return f"{h:02d}:{mi:02d}"
    if st == "24s":
        return f"{h:02d}:{mi:02d}:{sec:02d}"
    if st == "ampm":
        return f"{(h % 12) or 12}:{mi:02d} {'am' if h < 12 else 'pm'}"
    if st == "AMPM":
        return f"{(h % 12) or 12}:{mi:02d} {'AM' if h < 12 else 'PM'}"
    if st == "h":
        return f"{h:02d}{mi:02d}h"
    return f"{h:02d}h{mi:02d}"


# ------------------------------------------------------------------------------------------------------------------
# identifiers


def _mrn(r: random.Random) -> str:
    return _pat(
        r,
        r.choice(
            (
                "########",
                "#######",
                "M%######",
                "H%#######",
                "@@######",
                "###-###-###",
                "00######",
                "K%#####",
                "RX%######",
                "##-##-###",
                "SJH-%######",
                "%#####@",
                "MR%#######",
                "%######",
                "A%#######",
                "NGH%######",
                "%##-####",
            )
        ),
    )


def _acct(r: random.Random) -> str:
    return _pat(
        r,
        r.choice(
            (
                "%#########",
                "E%########",
                "V%#######",
                "ENC-%########",
                "FIN %#######",
                "HAR%#######",
                "%####-#####",
                "B%#######",
                "PV%########",
            )
        ),
    )


def _claim(r: random.Random) -> str:
    return _pat(r, r.choice(("CLM-####-%#####", "%##########-##", "C%#########", "%#@#####@##")))


def _npi(r: random.Random) -> str:
    body = r.choice("12") + _pat(r, "########")
    return body + _luhn_digit("80840" + body)


def _passport(r: random.Random, code: str) -> str:
    p = {
        "US": "%########",
        "UK": "%########",
        "DE": "C@*******",
        "FR": "##@@#####",
        "IN": "@%######",
        "NL": "@@*******",
        "IE": "@@%######",
        "BR": "@@%#####",
        "JP": "@@%######",
        "ZA": "A%#######",
        "NG": "A%#######",
        "MX": "G%#######",
        "SE": "%#######",
        "CA": "@@%#####",
        "AU": "P%######",
    }[code]
    return _pat(r, p)


def _ipv4(r: random.Random) -> str:
    k = r.random()
    if k < 0.35:
        return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
    if k < 0.55:
        return f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
    if k < 0.65:
        return f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
    return (
        f"{r.choice((81, 86, 92, 109, 145, 185, 203, 41, 62, 77))}.{r.randint(0, 255)}.{r.randint(0, 255)}."
        f"{r.randint(1, 254)}"
    )


def _ipv6(r: random.Random) -> str:
    return (
        "2001:db8:"
        + ":".join(f"{r.randint(0, 65535):x}" for _ in range(r.randint(2, 4)))
        + "::"
        + f"{r.randint(1, 65535):x}"
    )


def _vin(r: random.Random) -> str:
    al = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return r.choice(("1", "2", "3", "J", "K", "W", "V", "S", "Y", "5")) + "".join(
        r.choice(al) for _ in range(16)
    )


_MAILDOM = _pool(
    "gmail.com yahoo.com outlook.com hotmail.com icloud.com proton.me btinternet.com yahoo.co.uk "
    "bigpond.com gmx.de web.de orange.fr free.fr rediffmail.com uol.com.br yahoo.co.jp eircom.net "
    "telkomsa.net hotmail.fr xs4all.nl live.se aol.com comcast.net optusnet.com.au"
)


def _email(r: random.Random, p: _P, dom: str | None = None) -> str:
    g, f = _ascii(p.given).lower(), _ascii(p.family).lower().replace("-", "")
    local = r.choice(
        (
            f"{g}.{f}",
            f"{g[0]}{f}",
            f"{f}.{g}",
            f"{g}{f}{r.randint(1, 99)}",
            f"{g}_{f}",
            f"{g}.{f}{r.randint(50, 99)}",
            f"{f}{g[0]}{r.randint(1, 9)}",
            f"{g[0]}.{f}",
        )
    )
    return f"{local}@{dom or r.choice(_MAILDOM)}"


def _work_email(r: random.Random, p: _P, dom: str) -> str:
    g, f = _ascii(p.given).lower(), _ascii(p.family).lower().replace("-", "")
    return (
        r.choice((f"{g}.{f}@{dom}", f"{g[0]}.{f}@{dom}", f"{f}{g[0]}@{dom}"))
        if r.random() < 0.9
        else f"{g}.{f}{r.randint(1, 9)}@{dom}"
    )


# ------------------------------------------------------------------------------------------------------------------
# locales: streets, localities, postcodes, phones, national ids, health-plan numbers, plates, licences


@dataclass
class _Addr:
    street: str
    sub: str | None
    city: str
    region: str
    zip: str
    country: str
    code: str


class _Loc:
    def __init__(self, **kw: object) -> None:
        self.__dict__.update(kw)


def _ph_nanp(r: random.Random) -> str:
    a = f"{r.randint(2, 9)}{r.randint(0, 8)}{r.randint(0, 9)}"
    e = f"{r.randint(2, 9)}{r.randint(0, 9)}{r.randint(0, 9)}"
    s = f"{r.randint(0, 9999):04d}"
    return r.choice(
        (
            f"({a}) {e}-{s}",
            f"{a}-{e}-{s}",
            f"{a}.{e}.{s}",
            f"+1 {a} {e} {s}",
            f"1-{a}-{e}-{s}",
            f"+1 ({a}) {e}-{s}",
            f"({a}) {e}-{s}",
            f"{a}-{e}-{s}",
        )
    )


def _ph_uk(r: random.Random) -> str:
    k = r.random()
    if k < 0.35:
        return f"07{r.randint(300, 999)} {_pat(r, '######')}"
    if k < 0.5:
        return f"+44 7{r.randint(300, 999)} {_pat(r, '######')}"
    if k < 0.65:
        return (
            f"0{r.choice(('113', '114', '115', '116', '117', '118', '121', '131', '141', '151', '161', '191'))} "
            f"{_pat(r, '%## ####')}"
        )
    if k < 0.8:
        return f"020 {r.choice('378')}{_pat(r, '### ####')}"
    if k < 0.9:
        return f"(01{_pat(r, '%##')}) {_pat(r, '%#####')}"
    return f"+44 (0){r.choice(('1423', '1539', '1872', '1865', '1392'))} {_pat(r, '%#####')}"


def _ph_au(r: random.Random) -> str:
    return r.choice(
        (
            f"(0{r.choice('2378')}) {_pat(r, '%### ####')}",
            f"04{_pat(r, '## ### ###')}",
            f"+61 4{_pat(r, '## ### ###')}",
            f"0{r.choice('2378')} {_pat(r, '%### ####')}",
            f"+61 {r.choice('2378')} {_pat(r, '%### ####')}",
        )
    )


def _ph_de(r: random.Random) -> str:
    return r.choice(
        (
            f"+49 {r.choice(('30', '89', '221', '40', '761', '341'))} {_pat(r, '%######')}",
            f"0{r.choice(('30', '89', '221', '40'))} {_pat(r, '%######')}",
            f"01{r.choice(('51', '52', '60', '70', '71', '76'))} {_pat(r, '%######')}",
            f"+49 (0){r.choice(('89', '30'))} {_pat(r, '%####-##')}",
            f"0{r.choice(('221', '761', '341'))}/{_pat(r, '%######')}",
        )
    )


def _ph_fr(r: random.Random) -> str:
    g = [f"{r.randint(0, 99):02d}" for _ in range(4)]
    lead = r.choice("1234567")
    return r.choice(
        (
            f"0{lead} {' '.join(g)}",
            f"+33 {lead} {' '.join(g)}",
            f"0{lead}.{'.'.join(g)}",
            f"+33 (0){lead} {' '.join(g)}",
        )
    )


def _ph_in(r: random.Random) -> str:
    m = f"{r.choice('6789')}{_pat(r, '####')} {_pat(r, '#####')}"
    return r.choice(
        (
            f"+91 {m}",
            f"0{m}",
            f"+91-{r.choice(('80', '44', '22', '40'))}-{_pat(r, '%#######')}",
            f"0{r.choice(('80', '44', '22'))}-{_pat(r, '%### ####')}",
            m.replace(" ", ""),
        )
    )


def _ph_nl(r: random.Random) -> str:
    return r.choice(
        (
            f"+31 {r.choice(('20', '30', '10', '50', '71'))} {_pat(r, '%## ####')}",
            f"06-{_pat(r, '%#######')}",
            f"0{r.choice(('20', '30', '71'))}-{_pat(r, '%######')}",
            f"+31 (0)6 {_pat(r, '%### ####')}",
            f"06 {_pat(r, '%# ## ## ##')}",
        )
    )


def _ph_ie(r: random.Random) -> str:
    return r.choice(
        (
            f"+353 8{r.choice('3567')} {_pat(r, '%## ####')}",
            f"(0{r.choice(('21', '91', '61'))}) {_pat(r, '%## ####')}",
            f"08{r.choice('3567')} {_pat(r, '%## ####')}",
            f"01 {_pat(r, '%## ####')}",
            f"+353 (0)1 {_pat(r, '%## ####')}",
        )
    )


def _ph_br(r: random.Random) -> str:
    ddd = r.choice(("11", "21", "31", "81", "51", "71", "41"))
    return r.choice(
        (
            f"+55 {ddd} 9{_pat(r, '####-####')}",
            f"({ddd}) {_pat(r, '%###-####')}",
            f"({ddd}) 9{_pat(r, '####-####')}",
            f"+55 ({ddd}) 9{_pat(r, '#### ####')}",
        )
    )


def _ph_jp(r: random.Random) -> str:
    return r.choice(
        (
            f"+81 22-{_pat(r, '%##-####')}",
            f"0{r.choice('789')}0-{_pat(r, '####-####')}",
            f"0{r.choice(('3', '6', '52', '92', '75'))}-{_pat(r, '%###-####')}",
            f"+81 {r.choice('3669')}-{_pat(r, '%###-####')}",
        )
    )


def _ph_za(r: random.Random) -> str:
    return r.choice(
        (
            f"+27 {r.choice(('21', '11', '31', '12'))} {_pat(r, '%## ####')}",
            f"0{r.choice(('82', '83', '72', '73', '61'))} {_pat(r, '### ####')}",
            f"0{r.choice(('21', '11', '31'))} {_pat(r, '%## ####')}",
            f"+27 8{r.choice('234')} {_pat(r, '### ####')}",
        )
    )


def _ph_ng(r: random.Random) -> str:
    p = r.choice(("803", "806", "813", "816", "703", "706", "805", "807", "810", "905"))
    return r.choice(
        (
            f"+234 {p} {_pat(r, '### ####')}",
            f"0{p} {_pat(r, '### ####')}",
            f"0{p}{_pat(r, '#######')}",
            f"+234 (0){p} {_pat(r, '### ####')}",
        )
    )


def _ph_mx(r: random.Random) -> str:
    return r.choice(
        (
            f"+52 55 {_pat(r, '%### ####')}",
            f"55 {_pat(r, '%### ####')}",
            f"({r.choice(('33', '81', '999'))}) {_pat(r, '%##-####')}",
            f"+52 1 55 {_pat(r, '%###-####')}",
        )
    )


def _ph_se(r: random.Random) -> str:
    return r.choice(
        (
            f"+46 8 {_pat(r, '%## ### ##')}",
            f"07{r.choice('0236')}-{_pat(r, '### ## ##')}",
            f"08-{_pat(r, '%## ### ##')}",
            f"+46 7{r.choice('0236')} {_pat(r, '### ## ##')}",
            f"031-{_pat(r, '%## ## ##')}",
        )
    )


# --- streets -------------------------------------------------------------------------------------------------------

_US_ST = _pool(
    "Maple Oak Cedar Pine Elm Walnut Chestnut Hickory Birch Willow Magnolia Juniper Sycamore Washington "
    "Lincoln Jefferson Madison Franklin Jackson Monroe Park Lake Hillcrest Sunset Ridge Meadow Spring "
    "River Highland Valley Forest Prospect Pleasant Church Mill Center Main Market Union Grant Cherry "
    "Locust Dogwood Laurel Martin_Luther_King_Jr Old_Mill Fox_Run Deer_Creek Harbor Bayview"
)
_US_SUF = _pool("St Street Ave Avenue Rd Road Blvd Dr Drive Ln Lane Ct Court Way Pl Terrace Pkwy Circle")


def _st_us(r: random.Random) -> str:
    if r.random() < 0.07:
        return r.choice(("PO Box ", "P.O. Box ", "POB ")) + str(r.randint(10, 99999))
    s = f"{r.randint(1, 19999)} "
    if r.random() < 0.2:
        s += r.choice("NSEW") + " "
    s += f"{r.choice(_US_ST)} {r.choice(_US_SUF)}"
    k = r.random()
    if k < 0.15:
        s += f" Apt {r.randint(1, 40)}{r.choice('ABCD')}"
    elif k < 0.25:
        s += f", Unit {r.randint(100, 999)}"
    elif k < 0.3:
        s += f" #{r.randint(2, 30)}"
    return s


_UK_ST = _pool(
    "Victoria Station Church Mill Queens Albert Cromwell Beech Hawthorn Meadow Tennyson Whitley Ashgrove "
    "Cardigan Otley Woodhouse Grosvenor Belle_Vue Cavendish Granville Rosemont Spencer Windsor Clarendon "
    "Lonsdale Heathfield Burley Moorland Elmfield Primrose"
)
_UK_SUF = _pool("Road Street Lane Close Avenue Crescent Gardens Terrace Way Drive Grove Mews Place Rise")


def _st_uk(r: random.Random) -> str:
    k = r.random()
    core = f"{r.randint(1, 240)}{r.choice(('', '', '', 'a', 'b'))} {r.choice(_UK_ST)} {r.choice(_UK_SUF)}"
    if k < 0.15:
        return f"Flat {r.randint(1, 24)}, {core}"
    if k < 0.22:
        return (
            f"{r.choice(('Rose Cottage', 'The Old Forge', 'Ivy House', 'Fernlea'))}, {r.choice(_UK_ST)} "
            f"{r.choice(_UK_SUF)}"
        )
    if k < 0.27:
        return f"PO Box {r.randint(10, 999)}"
    return core


def _st_ca(r: random.Random) -> str:
    if r.random() < 0.3:
        return f"{r.randint(10, 9999)}, rue " + r.choice(
            ("Saint-Denis", "Sherbrooke Est", "Laurier", "Wellington", "des Érables", "King Ouest")
        )
    s = f"{r.randint(1, 9999)} {r.choice(_US_ST)} {r.choice(('St', 'Ave', 'Crescent', 'Drive', 'Road'))}"
    s += r.choice(("", "", " W", " E", " N"))
    if r.random() < 0.25:
        s = f"{r.randint(101, 2404)}-{s}"
    return s


_AU_ST = _pool(
    "Banksia Wattle Jacaranda Acacia Waratah Bottlebrush Kurrajong Pacific Beach Ocean Bay Hunter George "
    "Elizabeth Macquarie Flinders Swanston Lygon Brunswick Stirling Hay Murray Grevillea"
)


def _st_au(r: random.Random) -> str:
    core = (
        f"{r.randint(1, 400)} {r.choice(_AU_ST)} {r.choice(_pool('St Street Rd Avenue Cres Pde Hwy Tce Cl'))}"
    )
    k = r.random()
    if k < 0.2:
        return f"Unit {r.randint(1, 30)}/{core}"
    if k < 0.3:
        return f"{r.randint(1, 30)}/{core}"
    if k < 0.35:
        return f"PO Box {r.randint(10, 9999)}"
    return core


def _st_de(r: random.Random) -> str:
    stem = r.choice(
        _pool(
            "Linden Birken Goethe Schiller Bahnhof Haupt Kirch Schul Garten Rosen Uhland Lessing "
            "Friedrich-Ebert- Kant Bismarck Ahorn Eichen Mozart Herder"
        )
    )
    k = r.random()
    if k < 0.15:
        return f"Am {r.choice(('Mühlbach', 'Sonnenhang', 'Kirchberg', 'Lindenhof'))} {r.randint(1, 60)}"
    suf = r.choice(("straße", "str.", "weg", "allee", "ring", "platz"))
    if stem.endswith("-"):
        suf = suf.capitalize()
    return f"{stem}{suf} {r.randint(1, 180)}{r.choice(('', '', '', 'a', 'b'))}"


_FR_ST = _pool(
    "des_Lilas Victor_Hugo Jean_Jaurès de_la_République du_Moulin des_Écoles Pasteur Gambetta de_la_Gare "
    "Émile_Zola du_Général_de_Gaulle des_Acacias Saint-Michel de_Verdun Voltaire"
)
_BR_ST = _pool(
    "Augusta Paulista das_Flores Sete_de_Setembro Voluntários_da_Pátria Barão_de_Mesquita Dom_Pedro_II "
    "Santos_Dumont Tiradentes XV_de_Novembro Marechal_Deodoro Oscar_Freire"
)
_JP_ST = _pool(
    "Kitayama Hongo Kamisugi Higashi Minami-Aoyama Sakuragaoka Nishiki Tenjin Motomachi Shirakawa Nakano "
    "Takada"
)


def _st_fr(r: random.Random) -> str:
    return (
        f"{r.randint(1, 180)}{r.choice(('', '', '', ' bis', ' ter'))} "
        f"{r.choice(('rue', 'avenue', 'boulevard', 'place', 'allée', 'chemin', 'impasse'))} "
        f"{r.choice(_FR_ST)}"
    )


def _st_in(r: random.Random) -> str:
    k = r.random()
    if k < 0.3:
        return (
            f"No. {r.randint(1, 400)}, {r.randint(1, 18)}{_suf(r.randint(1, 9))} "
            f"{r.choice(('Main', 'Cross'))} Road"
        )
    if k < 0.55:
        return (
            f"Flat {r.randint(1, 12)}0{r.randint(1, 9)}, "
            f"{r.choice(('Prestige', 'Sobha', 'Lakeview', 'Sai Krupa', 'Green Park', 'Shanti Niketan'))} "
            f"Apartments, {r.choice(('Gandhi', 'Nehru', 'MG', 'Station', 'Temple', 'Lake', 'Ring'))} Road"
        )
    if k < 0.8:
        return (
            f"{r.randint(1, 99)}/{r.randint(1, 40)} "
            f"{r.choice(('Gandhi', 'Tagore', 'Church', 'Anna', 'Kamaraj'))} Street"
        )
    return f"H.No. {r.randint(1, 16)}-{r.randint(1, 12)}-{r.randint(1, 400)}"


def _st_nl(r: random.Random) -> str:
    stem = r.choice(
        _pool(
            "Prinsen Keizers Heren Lange Korte Oude Nieuwe Kerk Molen Vondel Rembrandt Bloem Linden "
            "Wilhelmina Juliana Beatrix"
        )
    )
    suf = r.choice(("straat", "laan", "gracht", "weg", "plein", "kade"))
    return f"{stem}{suf} {r.randint(1, 400)}{r.choice(('', '', '', '-hs', '-II', ' A'))}"


def _st_ie(r: random.Random) -> str:
    nm = r.choice(
        _pool(
            "Griffith Clonliffe Iona Whitworth Beaumont Collins Grace_Park Carrigaline Maryborough "
            "Ardmore Glenview Oakpark Castle Abbey Bridge Cherry_Orchard"
        )
    )
    k = r.random()
    if k < 0.2:
        return (
            f"Apt {r.randint(1, 60)}, {r.choice(('Liffey', 'Hazel', 'Marina', 'Abbey'))} House, {nm} Street"
        )
    if k < 0.3:
        return f"{r.choice(('Knockaun', 'Ballyvolane', 'Cloonagh', 'Derrynane'))}, {nm} Road"
    return f"{r.randint(1, 200)} {nm} " + r.choice(
        ("Avenue", "Road", "Park", "Terrace", "Drive", "Lawn", "Grove", "Heights")
    )


def _st_br(r: random.Random) -> str:
    s = (
        f"{r.choice(('Rua', 'Avenida', 'Av.', 'Travessa', 'Alameda'))} "
        f"{r.choice(_BR_ST)}, {r.randint(1, 3999)}"
    )
    return s + r.choice(
        (
            "",
            "",
            f", apto {r.randint(11, 1804)}",
            f" - casa {r.randint(1, 9)}",
            f", bloco B, apto {r.randint(11, 99)}",
        )
    )


def _st_jp(r: random.Random) -> str:
    s = f"{r.randint(1, 9)}-{r.randint(1, 30)}-{r.randint(1, 20)} {r.choice(_JP_ST)}"
    if r.random() < 0.3:
        s += (
            f" {r.choice(('Maison Aoba', 'Sunhills', 'Park Heights', 'Grand Maison'))} "
            f"{r.randint(1, 12)}0{r.randint(1, 9)}"
        )
    return s


def _st_za(r: random.Random) -> str:
    nm = r.choice(
        _pool(
            "Jacaranda Protea Main Long Kloof Voortrekker Church Buitenkant Jan_Smuts Nelson_Mandela "
            "Beach Marine Loop Vilakazi"
        )
    )
    if r.random() < 0.2:
        return (
            f"Unit {r.randint(1, 40)}, {r.choice(('Sunset', 'Palm', 'Oak'))} "
            f"{r.choice(('Court', 'Mansions'))}, {r.randint(1, 200)} {nm} Road"
        )
    return f"{r.randint(1, 9999)} {nm} {r.choice(('Street', 'Road', 'Avenue', 'Drive', 'Crescent', 'Close'))}"


def _st_ng(r: random.Random) -> str:
    nm = r.choice(
        _pool(
            "Adeola_Odeku Awolowo Allen Herbert_Macaulay Bode_Thomas Ahmadu_Bello Ogunlana "
            "Adetokunbo_Ademola Isaac_John Opebi Aminu_Kano"
        )
    )
    k = r.random()
    if k < 0.3:
        return f"Plot {r.randint(1, 999)}, {nm} Street"
    if k < 0.45:
        return f"Block {r.randint(1, 40)}, Flat {r.randint(1, 12)}, {r.choice(('Dolphin', 'Jakande', 'Abesan'))} Estate"
    return f"{r.randint(1, 120)} {nm} {r.choice(('Street', 'Road', 'Close', 'Crescent', 'Avenue', 'Way'))}"


def _st_mx(r: random.Random) -> str:
    nm = r.choice(
        _pool(
            "Insurgentes_Sur Reforma Juárez Hidalgo Morelos Benito_Juárez 5_de_Mayo 16_de_Septiembre "
            "Madero Revolución Álvaro_Obregón Independencia Allende"
        )
    )
    s = f"{r.choice(('Calle', 'Av.', 'Avenida', 'Privada', 'Blvd.'))} {nm} {r.randint(1, 2999)}"
    return s + r.choice(("", "", f", Int. {r.randint(1, 40)}", f", Depto. {r.randint(101, 904)}"))


def _st_se(r: random.Random) -> str:
    stem = r.choice(_pool("Stor Kungs Drottning Skol Kyrko Ring Björk Ek Lind Hamn Strand Tegnér Linné Odin"))
    s = f"{stem}{r.choice(('gatan', 'vägen', 'gränd', 'backen'))} {r.randint(1, 120)}"
    return s + r.choice(("", "", f" lgh {r.randint(10, 16)}0{r.randint(1, 9)}", f" {r.choice('ABC')}"))


# --- postcodes -----------------------------------------------------------------------------------------------------


def _zip_us(r, zp):
    z = zp + _pat(r, "##")
    return z + (f"-{_pat(r, '####')}" if r.random() < 0.2 else "")


def _zip_uk(r, zp):
    return (
        f"{zp}{r.randint(1, 19)} {r.randint(0, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def _zip_ca(r, zp):
    return f"{zp}{r.choice('ABCEGHJKLMNPRSTVXY')} {r.randint(0, 9)}{r.choice('ABCEGHJKLMNPRSTVWXYZ')}{r.randint(0, 9)}"


def _zip_pad(n: int):
    def f(r, zp):
        return zp + _pat(r, "#" * (n - len(zp)))

    return f


def _zip_nl(r, zp):
    return f"{zp}{_pat(r, '##')} {r.choice('BCDEGHJKLMNPRTVWXZ')}{r.choice('BCDEGHJKLMNPRTVWXZ')}"


def _zip_ie(r, zp):
    al = "ACDEFHKNPRTVWXY0123456789"
    return f"{zp} {r.choice('ACDEFHKNPRTVWXY')}{''.join(r.choice(al) for _ in range(3))}"


def _zip_br(r, zp):
    return f"{zp}{_pat(r, '###-###')}"


def _zip_jp(r, zp):
    return f"{zp}{_pat(r, '#-####')}"


def _zip_se(r, zp):
    return f"{zp}{_pat(r, '# ##')}"


def _zip_fixed(r, zp):
    return zp


# --- national ids / health plans (return (label, value)) -------------------------------------------------------------


def _nhs(r: random.Random) -> str:
    while True:
        d = [r.randint(0, 9) for _ in range(9)]
        d[0] = r.randint(4, 9)
        chk = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        if chk == 11:
            chk = 0
        if chk != 10:
            s = "".join(map(str, d)) + str(chk)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def _bsn(r: random.Random) -> str:
    while True:
        d = [r.randint(0, 9) for _ in range(8)]
        d[0] = r.randint(1, 6)
        t = sum(x * (9 - i) for i, x in enumerate(d)) % 11
        if t != 10:
            return "".join(map(str, d)) + str(t)


def _nat_us(r, c):
    s = f"{r.randint(100, 665)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}"
    return ("SSN", s if r.random() < 0.8 else s.replace("-", r.choice(("", " "))))


def _plan_us(r, c):
    return (
        r.choice(("Member ID", "Subscriber ID", "Medicare MBI", "Medicaid ID", "Policy #")),
        _pat(r, r.choice(("@@@%########", "%@@%-@*%-@@##", "W%########", "%#######@", "@@@#########"))),
    )


def _nat_uk(r, c):
    if r.random() < 0.6:
        return ("NHS No", _nhs(r))
    return (
        "NI No",
        f"{r.choice('ABCEGHJKLMNPRSTWYZ')}{r.choice('ABCEGHJKLMNPRSTWYZ')} {_pat(r, '## ## ##')} "
        f"{r.choice('ABCD')}",
    )


def _plan_uk(r, c):
    return (
        r.choice(("Bupa membership no", "AXA PPP policy", "Vitality member no")),
        _pat(r, r.choice(("%#######", "@%#######", "%##-###-###"))),
    )


def _nat_ca(r, c):
    body = _pat(r, "%#######")
    s = body + _luhn_digit(body)
    return ("SIN", f"{s[:3]} {s[3:6]} {s[6:]}")


def _plan_ca(r, c):
    return (
        r.choice(("OHIP", "Health card", "RAMQ", "MSP", "PHN")),
        _pat(r, r.choice(("####-###-###-@@", "@@@@ #### ####", "#### ### ###", "%#########"))),
    )


def _nat_au(r, c):
    return ("IHI", f"8003 60{_pat(r, '## #### ####')}")


def _plan_au(r, c):
    return (
        "Medicare No",
        f"{r.randint(2, 6)}{_pat(r, '### #####')} {r.randint(1, 9)}" + r.choice(("", "", "/1", "-2")),
    )


def _nat_de(r, c):
    return ("Steuer-ID", _pat(r, "%# ### ### ###"))


def _plan_de(r, c):
    return ("KVNR", _pat(r, "@%########"))


def _nat_fr(r, c):
    d = c.dob
    return (
        "NIR",
        f"{1 if c.pt.sex == 'M' else 2} {d.year % 100:02d} {d.month:02d} {r.randint(1, 95):02d} "
        f"{_pat(r, '### ### ##')}",
    )


def _plan_fr(r, c):
    return ("N° adhérent mutuelle", _pat(r, "%########"))


def _nat_in(r, c):
    if r.random() < 0.75:
        return ("Aadhaar", f"{r.randint(2, 9)}{_pat(r, '### #### ####')}")
    return ("PAN", _pat(r, "@@@P@####@"))


def _plan_in(r, c):
    return ("Policy No", _pat(r, r.choice(("%#/####/#####", "P%##########", "@@@-%#######"))))


def _nat_nl(r, c):
    return ("BSN", _bsn(r))


def _plan_nl(r, c):
    return ("Polisnummer", _pat(r, "%########"))


def _nat_ie(r, c):
    return ("PPSN", _pat(r, "%######@") + r.choice(("", "", "A", "W")))


def _plan_ie(r, c):
    return (
        r.choice(("Medical Card No", "VHI member no", "Laya policy")),
        _pat(r, r.choice(("%######@", "%########"))),
    )


def _nat_br(r, c):
    return ("CPF", _pat(r, "%##.###.###-##"))


def _plan_br(r, c):
    return ("CNS", _pat(r, "%## #### #### ####"))


def _nat_jp(r, c):
    return ("My Number", _pat(r, "%### #### ####"))


def _plan_jp(r, c):
    return ("保険者番号/記号番号", _pat(r, "%#######"))


def _nat_za(r, c):
    d = c.dob
    body = (
        f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{r.randint(0, 4999) + (5000 if c.pt.sex == 'M' else 0):04d}0"
        f"{r.randint(8, 9)}"
    )
    return ("ID No", body + _luhn_digit(body))


def _plan_za(r, c):
    return ("Medical aid no", _pat(r, r.choice(("%########", "@@%######"))))


def _nat_ng(r, c):
    return ("NIN", _pat(r, "%##########"))


def _plan_ng(r, c):
    return ("NHIA No", _pat(r, r.choice(("NHIA/%##/####", "%#########"))))


def _nat_mx(r, c):
    d = c.dob
    v = "AEIOU"
    return (
        "CURP",
        f"{r.choice(_LET)}{r.choice(v)}{r.choice(_LET)}{r.choice(_LET)}{d.year % 100:02d}{d.month:02d}"
        f"{d.day:02d}{'H' if c.pt.sex == 'M' else 'M'}{r.choice(('DF', 'JC', 'NL', 'PL', 'YN'))}"
        f"{_pat(r, '@@@*#')}",
    )


def _plan_mx(r, c):
    return ("NSS (IMSS)", _pat(r, "%# ## ## #### #"))


def _nat_se(r, c):
    d = c.dob
    s = f"{d.year:04d}{d.month:02d}{d.day:02d}-{_pat(r, '####')}"
    return ("Personnummer", s if r.random() < 0.6 else s[2:])


def _plan_se(r, c):
    return ("Försäkringsnr", _pat(r, "%#######"))


# --- plates and driving licences ----------------------------------------------------------------------------------

_PLATES = {
    "US": ("%@@@###", "@@@-####", "@@@ ###", "###-@@@", "%@@@%##"),
    "CA": ("@@@@ ###", "@@@ ###"),
    "UK": ("@@%# @@@",),
    "AU": ("@@@%#@", "%@@%@@", "@@@-###"),
    "DE": ("B-@@ %###", "M @@ %##", "HH-@ %###", "K-@@ %##", "FR-@ %###"),
    "FR": ("@@-%##-@@",),
    "IN": ("KA %# @@ %###", "MH %# @@ %###", "TN %# @ %###", "DL %@@ %###"),
    "NL": ("@@-%##-@", "%-@@@-##", "@@-@@-%#"),
    "IE": ("%%%-D-%####", "%%-C-%###", "%%%-G-%###", "%%-KY-%##"),
    "BR": ("@@@%@%#", "@@@-%###"),
    "JP": ("品川 %## あ %#-##", "仙台 %## さ %#-##", "なにわ %## ふ %#-##"),
    "ZA": ("CA %##-###", "@@ %# @@ GP", "ND %##-###"),
    "NG": ("@@@ %## @@", "LSD %##@@"),
    "MX": ("@@@-%##-@",),
    "SE": ("@@@ %##", "@@@ %#@"),
}


def _plate(r: random.Random, code: str) -> str:
    s = _pat(r, r.choice(_PLATES[code]))
    if code == "UK":
        s = s[:2] + f"{r.choice((17, 18, 19, 20, 21, 22, 23, 67, 68, 69, 70, 71, 72, 73))}" + s[4:]
    return s


def _dl(r: random.Random, code: str, p: _P | None = None, dob: date | None = None) -> str:
    if code == "UK" and p is not None and dob is not None:
        sur = (_ascii(p.family).upper().replace("-", "") + "99999")[:5]
        mm = dob.month + (50 if p.sex == "F" else 0)
        return (
            f"{sur}{str(dob.year)[2]}{mm:02d}{dob.day:02d}{str(dob.year)[3]}{_ascii(p.given)[0].upper()}"
            f"{'9'}{_pat(r, '#@@')}"
        )
    pats = {
        "US": ("@###-####-####", "@%#######", "%########", "@@######", "S###-###-##-###-#"),
        "CA": ("@####-#####-#####", "%######"),
        "AU": ("%#######", "%##-###-###"),
        "DE": ("B0%#@@@%*##",),
        "FR": ("##@@%####",),
        "IN": ("KA%# %##########", "MH-%#-####-#######"),
        "NL": ("%#########",),
        "IE": ("%#######",),
        "BR": ("%##########",),
        "JP": ("%###########",),
        "ZA": ("%###0000%###",),
        "NG": ("@@@%####@@##",),
        "MX": ("@%#######",),
        "SE": ("%#######",),
        "UK": ("@@@@@%#####@@9@@",),
    }
    return _pat(r, r.choice(pats[code]))


# --- the locale table -------------------------------------------------------------------------------------------------
# cities: (locality, region (not PHI), sub-localities (PHI), postcode seed)

_LOCS: dict[str, _Loc] = {}


def _loc(code: str, **kw: object) -> None:
    _LOCS[code] = _Loc(code=code, **kw)


_loc(
    "US",
    country="USA",
    cultures=("anglo",) * 6
    + ("hispanic",) * 3
    + ("chinese", "korean", "vietnamese", "indian", "arabic", "nigerian", "slavic"),
    cities=(
        ("Columbus", "OH", (), "432"),
        ("Dayton", "OH", (), "454"),
        ("Akron", "OH", (), "443"),
        ("Tucson", "AZ", (), "857"),
        ("Mesa", "AZ", (), "852"),
        ("Boise", "ID", (), "837"),
        ("Duluth", "MN", (), "558"),
        ("Rochester", "MN", (), "559"),
        ("Fresno", "CA", (), "937"),
        ("Oakland", "CA", (), "946"),
        ("Tacoma", "WA", (), "984"),
        ("Spokane", "WA", (), "992"),
        ("Plano", "TX", (), "750"),
        ("El Paso", "TX", (), "799"),
        ("Macon", "GA", (), "312"),
        ("Savannah", "GA", (), "314"),
        ("Eugene", "OR", (), "974"),
        ("Springfield", "IL", (), "627"),
        ("Peoria", "IL", (), "616"),
        ("Burlington", "VT", (), "054"),
        ("Lowell", "MA", (), "018"),
        ("Worcester", "MA", (), "016"),
        ("Albany", "NY", (), "122"),
        ("Buffalo", "NY", (), "142"),
        ("Camden", "NJ", (), "081"),
        ("Allentown", "PA", (), "181"),
        ("Durham", "NC", (), "277"),
        ("Asheville", "NC", (), "288"),
        ("Knoxville", "TN", (), "379"),
        ("Baton Rouge", "LA", (), "708"),
        ("Tulsa", "OK", (), "741"),
        ("Omaha", "NE", (), "681"),
        ("Wichita", "KS", (), "672"),
        ("Madison", "WI", (), "537"),
        ("Green Bay", "WI", (), "543"),
        ("Ann Arbor", "MI", (), "481"),
        ("Flint", "MI", (), "485"),
        ("Reno", "NV", (), "895"),
        ("Santa Fe", "NM", (), "875"),
    ),
    street=_st_us,
    zipc=_zip_us,
    phone=_ph_nanp,
    natid=_nat_us,
    plan=_plan_us,
    dstyles=("mdy", "mdy1", "mdy2", "month_d_y", "mon_d_y", "iso", "month_ord", "md", "mdash"),
    titles={"M": ("Mr.", "Mr"), "F": ("Mrs.", "Ms.", "Ms", "Miss")},
    maildom="healthsystem.org",
)
_loc(
    "UK",
    country="United Kingdom",
    cultures=("anglo",) * 6 + ("indian", "nigerian", "irish", "arabic", "slavic", "chinese"),
    cities=(
        ("Leeds", "West Yorkshire", ("Headingley", "Chapel Allerton", "Roundhay", "Armley"), "LS"),
        ("Manchester", "Greater Manchester", ("Didsbury", "Chorlton", "Levenshulme"), "M"),
        ("Harrogate", "North Yorkshire", (), "HG"),
        ("Stockport", "Cheshire", ("Bramhall", "Heaton Moor"), "SK"),
        ("Cardiff", "South Glamorgan", ("Roath", "Canton", "Llandaff"), "CF"),
        ("Bristol", "Avon", ("Clifton", "Bedminster", "Bishopston"), "BS"),
        ("Newcastle upon Tyne", "Tyne and Wear", ("Jesmond", "Heaton", "Gosforth"), "NE"),
        ("Truro", "Cornwall", (), "TR"),
        ("Kendal", "Cumbria", (), "LA"),
        ("Sheffield", "South Yorkshire", ("Crookes", "Hillsborough"), "S"),
        ("Nottingham", "Nottinghamshire", ("Beeston", "Sherwood"), "NG"),
        ("Edinburgh", "Midlothian", ("Leith", "Morningside", "Portobello"), "EH"),
        ("Glasgow", "Lanarkshire", ("Partick", "Govan", "Dennistoun"), "G"),
        ("Oxford", "Oxfordshire", ("Headington", "Jericho", "Cowley"), "OX"),
        ("Norwich", "Norfolk", (), "NR"),
        ("Exeter", "Devon", (), "EX"),
        ("Hexham", "Northumberland", (), "NE"),
        ("Sidcup", "Kent", (), "DA"),
        ("York", "North Yorkshire", (), "YO"),
        ("Swansea", "West Glamorgan", ("Sketty", "Mumbles"), "SA"),
    ),
    street=_st_uk,
    zipc=_zip_uk,
    phone=_ph_uk,
    natid=_nat_uk,
    plan=_plan_uk,
    dstyles=(
        "dmy",
        "dmy1",
        "dmy2",
        "d_mon_y",
        "d_month_y",
        "ord_month_y",
        "ord_apos",
        "d_month",
        "dm",
        "oracle",
    ),
    titles={"M": ("Mr", "Mr."), "F": ("Mrs", "Ms", "Miss")},
    maildom="nhs.net",
)
_loc(
    "CA",
    country="Canada",
    cultures=("anglo",) * 4 + ("french",) * 2 + ("chinese", "indian", "hispanic", "arabic", "korean"),
    cities=(
        ("Ottawa", "ON", (), "K1"),
        ("Toronto", "ON", ("Scarborough", "Etobicoke"), "M4"),
        ("Montréal", "QC", ("Verdun", "Outremont"), "H2"),
        ("Sherbrooke", "QC", (), "J1"),
        ("Halifax", "NS", (), "B3"),
        ("Kelowna", "BC", (), "V1"),
        ("Vancouver", "BC", ("Kitsilano",), "V6"),
        ("Calgary", "AB", (), "T2"),
        ("Winnipeg", "MB", (), "R3"),
        ("Saskatoon", "SK", (), "S7"),
        ("St. John's", "NL", (), "A1"),
    ),
    street=_st_ca,
    zipc=_zip_ca,
    phone=_ph_nanp,
    natid=_nat_ca,
    plan=_plan_ca,
    dstyles=("iso", "d_mon_y", "month_d_y", "dmy", "mdy", "isoslash"),
    titles={"M": ("Mr.", "M."), "F": ("Mrs.", "Ms.", "Mme")},
    maildom="lhsc.on.ca",
)
_loc(
    "AU",
    country="Australia",
    cultures=("anglo",) * 5 + ("chinese", "vietnamese", "indian", "irish", "arabic"),
    cities=(
        ("Parramatta", "NSW", (), "2150"),
        ("Newtown", "NSW", (), "2042"),
        ("Kiama", "NSW", (), "2533"),
        ("Fremantle", "WA", (), "6160"),
        ("Subiaco", "WA", (), "6008"),
        ("Toowong", "QLD", (), "4066"),
        ("Cairns", "QLD", (), "4870"),
        ("Brunswick", "VIC", (), "3056"),
        ("Ballarat", "VIC", (), "3350"),
        ("Glenelg", "SA", (), "5045"),
        ("Hobart", "TAS", (), "7000"),
        ("Launceston", "TAS", (), "7250"),
        ("Palmerston", "NT", (), "0830"),
        ("Belconnen", "ACT", (), "2617"),
    ),
    street=_st_au,
    zipc=_zip_fixed,
    phone=_ph_au,
    natid=_nat_au,
    plan=_plan_au,
    dstyles=("dmy", "dmy1", "d_mon_y", "d_month_y", "dmy2", "ord_month_y", "dm"),
    titles={"M": ("Mr",), "F": ("Mrs", "Ms")},
    maildom="health.nsw.gov.au",
)
_loc(
    "DE",
    country="Deutschland",
    cultures=("german",) * 5 + ("slavic", "arabic"),
    cities=(
        ("Berlin", "", ("Kreuzberg", "Pankow"), "10"),
        ("München", "", ("Schwabing",), "80"),
        ("Köln", "", ("Ehrenfeld",), "50"),
        ("Freiburg im Breisgau", "", (), "79"),
        ("Leipzig", "", (), "04"),
        ("Münster", "", (), "48"),
        ("Hamburg", "", ("Altona", "Eimsbüttel"), "2"),
        ("Heidelberg", "", (), "69"),
        ("Rostock", "", (), "18"),
        ("Kassel", "", (), "34"),
    ),
    street=_st_de,
    zipc=_zip_pad(5),
    phone=_ph_de,
    natid=_nat_de,
    plan=_plan_de,
    dstyles=("dot", "dot2", "de", "iso", "dot"),
    titles={"M": ("Herr",), "F": ("Frau",)},
    maildom="klinikum-nord.de",
)
_loc(
    "FR",
    country="France",
    cultures=("french",) * 5 + ("arabic", "portuguese"),
    cities=(
        ("Paris", "", (), "750"),
        ("Lyon", "", (), "6900"),
        ("Nantes", "", (), "44"),
        ("Lille", "", (), "59"),
        ("Rennes", "", (), "35"),
        ("Toulouse", "", (), "31"),
        ("Marseille", "", (), "13"),
        ("Bordeaux", "", (), "33"),
        ("Strasbourg", "", (), "67"),
        ("Montpellier", "", (), "34"),
    ),
    street=_st_fr,
    zipc=_zip_pad(5),
    phone=_ph_fr,
    natid=_nat_fr,
    plan=_plan_fr,
    dstyles=("dmy", "fr", "iso", "dmy"),
    titles={"M": ("M.",), "F": ("Mme",)},
    maildom="chu-rennes.fr",
)
_loc(
    "IN",
    country="India",
    cultures=("indian",),
    cities=(
        ("Bengaluru", "Karnataka", ("Jayanagar", "Indiranagar", "Koramangala", "Malleshwaram"), "560"),
        ("Chennai", "Tamil Nadu", ("Adyar", "Mylapore", "T. Nagar"), "600"),
        ("Mumbai", "Maharashtra", ("Andheri West", "Dadar", "Bandra"), "400"),
        ("Pune", "Maharashtra", ("Kothrud", "Aundh"), "411"),
        ("Kochi", "Kerala", ("Edappally", "Kakkanad"), "682"),
        ("Hyderabad", "Telangana", ("Banjara Hills", "Kukatpally"), "500"),
        ("Ludhiana", "Punjab", ("Model Town",), "141"),
        ("Kolkata", "West Bengal", ("Salt Lake", "Ballygunge"), "700"),
        ("Jaipur", "Rajasthan", ("Malviya Nagar", "Vaishali Nagar"), "302"),
    ),
    street=_st_in,
    zipc=_zip_pad(6),
    phone=_ph_in,
    natid=_nat_in,
    plan=_plan_in,
    dstyles=("dmy", "dash", "d_mon_y", "dmy2", "ord_month_y"),
    titles={"M": ("Mr.", "Shri"), "F": ("Mrs.", "Smt.", "Ms.")},
    maildom="apollohospitals.in",
)
_loc(
    "NL",
    country="Nederland",
    cultures=("dutch",) * 5 + ("arabic",),
    cities=(
        ("Amsterdam", "", (), "10"),
        ("Utrecht", "", (), "35"),
        ("Haarlem", "", (), "20"),
        ("Zwolle", "", (), "80"),
        ("Delft", "", (), "26"),
        ("Groningen", "", (), "97"),
        ("Eindhoven", "", (), "56"),
        ("Leiden", "", (), "23"),
        ("Nijmegen", "", (), "65"),
    ),
    street=_st_nl,
    zipc=_zip_nl,
    phone=_ph_nl,
    natid=_nat_nl,
    plan=_plan_nl,
    dstyles=("dash", "nl", "dmy", "iso"),
    titles={"M": ("dhr.",), "F": ("mevr.",)},
    maildom="umcutrecht.nl",
)
_loc(
    "IE",
    country="Ireland",
    cultures=("irish",) * 4 + ("anglo", "slavic", "nigerian"),
    cities=(
        ("Drumcondra", "Co. Dublin", (), "D09"),
        ("Rathmines", "Co. Dublin", (), "D06"),
        ("Ballincollig", "Co. Cork", (), "P31"),
        ("Douglas", "Co. Cork", (), "T12"),
        ("Salthill", "Co. Galway", (), "H91"),
        ("Ennis", "Co. Clare", (), "V95"),
        ("Dundalk", "Co. Louth", (), "A91"),
        ("Tralee", "Co. Kerry", (), "V92"),
        ("Athlone", "Co. Westmeath", (), "N37"),
        ("Letterkenny", "Co. Donegal", (), "F92"),
    ),
    street=_st_ie,
    zipc=_zip_ie,
    phone=_ph_ie,
    natid=_nat_ie,
    plan=_plan_ie,
    dstyles=("dmy", "d_mon_y", "ord_month_y", "dmy2", "d_month_y"),
    titles={"M": ("Mr",), "F": ("Mrs", "Ms")},
    maildom="hse.ie",
)
_loc(
    "BR",
    country="Brasil",
    cultures=("portuguese",) * 5 + ("japanese",),
    cities=(
        ("São Paulo", "SP", ("Consolação", "Pinheiros", "Mooca", "Vila Mariana"), "01"),
        ("Rio de Janeiro", "RJ", ("Copacabana", "Tijuca", "Botafogo"), "22"),
        ("Belo Horizonte", "MG", ("Savassi", "Pampulha"), "30"),
        ("Recife", "PE", ("Boa Viagem",), "51"),
        ("Porto Alegre", "RS", ("Moinhos de Vento",), "90"),
        ("Salvador", "BA", ("Barra", "Pituba"), "40"),
        ("Curitiba", "PR", ("Batel",), "80"),
    ),
    street=_st_br,
    zipc=_zip_br,
    phone=_ph_br,
    natid=_nat_br,
    plan=_plan_br,
    dstyles=("dmy", "pt", "iso", "dmy"),
    titles={"M": ("Sr.",), "F": ("Sra.",)},
    maildom="hc.fm.usp.br",
)
_loc(
    "JP",
    country="Japan",
    cultures=("japanese",),
    cities=(
        ("Sendai", "Miyagi", ("Aoba-ku", "Izumi-ku"), "98"),
        ("Yokohama", "Kanagawa", ("Kohoku-ku", "Naka-ku"), "22"),
        ("Osaka", "Osaka", ("Kita-ku", "Tennoji-ku"), "53"),
        ("Nagoya", "Aichi", ("Chikusa-ku", "Showa-ku"), "46"),
        ("Sapporo", "Hokkaido", ("Chuo-ku", "Kita-ku"), "06"),
        ("Fukuoka", "Fukuoka", ("Hakata-ku",), "81"),
        ("Kyoto", "Kyoto", ("Sakyo-ku", "Fushimi-ku"), "60"),
    ),
    street=_st_jp,
    zipc=_zip_jp,
    phone=_ph_jp,
    natid=_nat_jp,
    plan=_plan_jp,
    dstyles=("isoslash", "ja", "reiwa", "iso"),
    titles={"M": ("Mr.",), "F": ("Ms.", "Mrs.")},
    maildom="tohoku-hp.jp",
)
_loc(
    "ZA",
    country="South Africa",
    cultures=("southafrican",) * 4 + ("anglo", "indian"),
    cities=(
        ("Cape Town", "Western Cape", ("Rondebosch", "Observatory", "Sea Point", "Khayelitsha"), "7"),
        ("Johannesburg", "Gauteng", ("Soweto", "Melville", "Randburg"), "2"),
        ("Durban", "KwaZulu-Natal", ("Umlazi", "Berea", "Morningside"), "4"),
        ("Pretoria", "Gauteng", ("Hatfield", "Arcadia"), "0"),
        ("Gqeberha", "Eastern Cape", ("Walmer",), "6"),
        ("Bloemfontein", "Free State", (), "9"),
    ),
    street=_st_za,
    zipc=_zip_pad(4),
    phone=_ph_za,
    natid=_nat_za,
    plan=_plan_za,
    dstyles=("dmy", "iso", "d_mon_y", "isoslash"),
    titles={"M": ("Mr",), "F": ("Mrs", "Ms")},
    maildom="westerncape.gov.za",
)
_loc(
    "NG",
    country="Nigeria",
    cultures=("nigerian",),
    cities=(
        ("Lagos", "", ("Victoria Island", "Ikeja", "Surulere", "Yaba", "Lekki"), "10"),
        ("Abuja", "FCT", ("Garki", "Wuse", "Maitama"), "90"),
        ("Ibadan", "Oyo State", ("Bodija", "Mokola"), "20"),
        ("Enugu", "Enugu State", ("Independence Layout",), "40"),
        ("Port Harcourt", "Rivers State", ("GRA Phase 2",), "50"),
        ("Kano", "Kano State", ("Nassarawa",), "70"),
    ),
    street=_st_ng,
    zipc=_zip_pad(6),
    phone=_ph_ng,
    natid=_nat_ng,
    plan=_plan_ng,
    dstyles=("dmy", "ord_month_y", "d_mon_y", "dmy2"),
    titles={"M": ("Mr", "Chief"), "F": ("Mrs", "Miss")},
    maildom="luth.gov.ng",
)
_loc(
    "MX",
    country="México",
    cultures=("hispanic",),
    cities=(
        ("Ciudad de México", "CDMX", ("Del Valle", "Roma Norte", "Coyoacán", "Narvarte"), "0"),
        ("Guadalajara", "Jal.", ("Providencia", "Chapalita"), "44"),
        ("Monterrey", "N.L.", ("Obispado",), "64"),
        ("Puebla", "Pue.", ("La Paz",), "72"),
        ("Mérida", "Yuc.", ("García Ginerés",), "97"),
        ("Oaxaca de Juárez", "Oax.", ("Reforma",), "68"),
    ),
    street=_st_mx,
    zipc=_zip_pad(5),
    phone=_ph_mx,
    natid=_nat_mx,
    plan=_plan_mx,
    dstyles=("dmy", "es", "iso"),
    titles={"M": ("Sr.",), "F": ("Sra.", "Srita.")},
    maildom="imss.gob.mx",
)
_loc(
    "SE",
    country="Sverige",
    cultures=("nordic",) * 4 + ("arabic", "slavic"),
    cities=(
        ("Stockholm", "", ("Södermalm", "Vasastan"), "11"),
        ("Göteborg", "", ("Majorna", "Hisingen"), "41"),
        ("Malmö", "", ("Limhamn",), "21"),
        ("Uppsala", "", (), "75"),
        ("Umeå", "", (), "90"),
        ("Lund", "", (), "22"),
        ("Linköping", "", (), "58"),
    ),
    street=_st_se,
    zipc=_zip_se,
    phone=_ph_se,
    natid=_nat_se,
    plan=_plan_se,
    dstyles=("iso", "sv", "compact", "iso"),
    titles={"M": ("Mr",), "F": ("Ms",)},
    maildom="regionstockholm.se",
)

_ENGLISH = ("US", "UK", "CA", "AU", "IE", "ZA", "NG", "IN")
_ALL_LOCS = tuple(_LOCS)

_HOSPITALS = {
    "US": (
        "Mercy Regional Medical Center",
        "St. Luke's Hospital",
        "Riverside General Hospital",
        "Lakeview Medical Center",
        "University Hospital",
    ),
    "UK": (
        "Northgate University Hospital",
        "St James's Infirmary",
        "Royal Albert Hospital",
        "Leeds General Infirmary",
        "Harrogate District Hospital",
    ),
    "CA": (
        "Ottawa Civic Hospital",
        "Hôpital Sainte-Justine",
        "Lakeshore General",
        "Foothills Medical Centre",
    ),
    "AU": ("Westmead Hospital", "Royal Hobart Hospital", "Fremantle Hospital", "St Vincent's Hospital"),
    "DE": ("Klinikum Nord", "Universitätsklinikum", "St. Elisabeth-Krankenhaus", "Charité"),
    "FR": ("CHU de Rennes", "Hôpital Saint-Louis", "Hôpital Pasteur", "Clinique des Lilas"),
    "IN": ("Apollo Hospitals", "Manipal Hospital", "Christian Medical College", "Amrita Institute"),
    "NL": ("UMC Utrecht", "Spaarne Gasthuis", "Isala Zwolle", "LUMC"),
    "IE": (
        "Mater Misericordiae University Hospital",
        "Cork University Hospital",
        "St Vincent's University Hospital",
        "University Hospital Galway",
    ),
    "BR": ("Hospital das Clínicas", "Hospital Sírio-Libanês", "Santa Casa de Misericórdia"),
    "JP": ("Tohoku University Hospital", "Kyoto University Hospital", "St. Luke's International Hospital"),
    "ZA": (
        "Groote Schuur Hospital",
        "Chris Hani Baragwanath Hospital",
        "Inkosi Albert Luthuli Central Hospital",
    ),
    "NG": (
        "Lagos University Teaching Hospital",
        "University College Hospital Ibadan",
        "National Hospital Abuja",
    ),
    "MX": ("Hospital General de México", "Instituto Nacional de Cardiología", "Hospital Ángeles"),
    "SE": (
        "Karolinska Universitetssjukhuset",
        "Sahlgrenska Universitetssjukhuset",
        "Skånes universitetssjukhus",
    ),
}


# ------------------------------------------------------------------------------------------------------------------
# per-note context: the patient and helpers that write PHI into the builder


class _Ctx:
    def __init__(self, r: random.Random, code: str, ages: tuple[int, int, float]) -> None:
        self.r = r
        self.code = code
        self.L = _LOCS[code]
        self.today = date(2018, 1, 1) + timedelta(days=r.randint(0, 2737))
        lo, hi, old = ages
        self.age = r.randint(90, 104) if r.random() < old else r.randint(lo, hi)
        self.dob = self.today - timedelta(days=int(self.age * 365.25) + r.randint(1, 360))
        self.pt = self.person()
        self.a = self.address()
        self.phone = self.L.phone(r)
        self.mobile = self.L.phone(r)
        self.email = _email(r, self.pt)
        self.mrn = _mrn(r)
        self.natid_label, self.natid = self.L.natid(r, self)
        self.plan_label, self.plan = self.L.plan(r, self)
        self.x_mrns: list[str] = []
        self.x_phones: list[str] = []
        self.x_other: list[str] = []
        self.hosp = r.choice(_HOSPITALS[code])
        self.house = r.choice(self.L.dstyles)

    # --- people -------------------------------------------------------------------------------------------------
    def person(self, culture: str | None = None, sex: str | None = None, family: str | None = None) -> _P:
        r = self.r
        if culture is None:
            culture = r.choice(self.L.cultures) if r.random() < 0.8 else r.choice(_ALL_CULT)
        sex = sex or r.choice("MF")
        males, females, fams = _CULT[culture]
        given = r.choice(males if sex == "M" else females)
        middle = ""
        if r.random() < 0.35:
            middle = r.choice(males if sex == "M" else females)
            if middle == given:
                middle = ""
        return _P(given, family or r.choice(fams), sex, middle, culture)

    def force_sex(self, sex: str) -> None:
        if self.pt.sex != sex:
            self.pt = self.person(self.pt.culture, sex, self.pt.family)
            self.email = _email(self.r, self.pt)

    def relative(self, sex: str | None = None, same_family: bool = True) -> _P:
        return self.person(self.pt.culture, sex, self.pt.family if same_family else None)

    def title(self, p: _P) -> str:
        return self.r.choice(self.L.titles[p.sex])

    def name(
        self,
        b: _B,
        p: _P,
        form: str | None = None,
        title: str | bool | None = None,
        degree: str | None = None,
    ) -> None:
        """Write a person's name; titles and degrees stay outside the NAME span."""
        form = form or self.r.choice(("full", "full", "full", "mid", "init", "rev"))
        if title is True:
            title = self.title(p)
        if title:
            b.add(title + " ")
        b.add(_N(_nm(p, form)))
        if degree:
            b.add(degree)

    def doc(self, b: _B, p: _P | None = None, form: str | None = None) -> _P:
        p = p or self.person()
        r = self.r
        if r.random() < 0.6:
            self.name(
                b,
                p,
                form or r.choice(("full", "init", "full", "fam", "mid")),
                title=r.choice(("Dr", "Dr.", "Dr")),
            )
        else:
            deg = {
                "US": (", MD", ", DO", " MD", ", NP"),
                "UK": (" MBBS", ", FRCP", " MRCP", " FRCS"),
                "AU": (" FRACP", " MBBS"),
            }.get(self.code, (", MD", " MD"))
            self.name(b, p, form or r.choice(("full", "mid")), degree=r.choice(deg))
        return p

    # --- places -------------------------------------------------------------------------------------------------
    def address(self, code: str | None = None) -> _Addr:
        r = self.r
        L = _LOCS[code or self.code]
        city, region, subs, zp = r.choice(L.cities)
        sub = (
            r.choice(subs)
            if subs and (L.code in ("IN", "BR", "JP", "NG", "MX", "ZA") or r.random() < 0.3)
            else None
        )
        return _Addr(L.street(r), sub, city, region, L.zipc(r, zp), L.country, L.code)

    def addr(
        self,
        b: _B,
        a: _Addr | None = None,
        ml: bool = False,
        country: bool = False,
        upper: bool = False,
        street_only: bool = False,
    ) -> None:
        """Street line, each locality and the postcode are separate spans; regions and countries are not PHI."""
        a = a or self.a
        U = (lambda s: s.upper()) if upper else (lambda s: s)
        sep = "\n" if ml else ", "
        b.add(_AD(U(a.street)))
        if street_only:
            return
        c = a.code
        if c in ("US", "CA"):
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)), f", {U(a.region)}" + ("  " if c == "CA" else " "), _ZIP(a.zip))
        elif c == "UK":
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)), sep if ml else " ", _ZIP(a.zip))
        elif c == "AU":
            b.add(sep, _AD(U(a.city)), f" {a.region} ", _ZIP(a.zip))
        elif c in ("DE", "NL", "FR", "SE"):
            if a.sub and c != "FR":
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _ZIP(a.zip), "  " if c == "NL" else " ", _AD(U(a.city)))
        elif c == "MX":
            b.add(
                sep + "Col. ", _AD(U(a.sub or a.city)), sep, _ZIP(a.zip), " ", _AD(U(a.city)), f", {a.region}"
            )
        elif c == "IE":
            b.add(sep, _AD(U(a.city)), sep, _ZIP(a.zip))
        elif c == "BR":
            b.add(
                " - " if not ml else sep,
                _AD(U(a.sub or a.city)),
                sep,
                _AD(U(a.city)),
                f" - {a.region}",
                sep,
                "CEP " if self.r.random() < 0.5 else "",
                _ZIP(a.zip),
            )
        elif c == "JP":
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)))
            b.add(
                f", {U(a.region)} " if a.region != a.city else " ",
                "〒" if self.r.random() < 0.3 else "",
                _ZIP(a.zip),
            )
        elif c == "IN":
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)), f", {a.region} " if self.r.random() < 0.6 else " - ", _ZIP(a.zip))
        elif c == "ZA":
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)), sep, _ZIP(a.zip))
        elif c == "NG":
            if a.sub:
                b.add(sep, _AD(U(a.sub)))
            b.add(sep, _AD(U(a.city)))
            if a.region:
                b.add(f", {a.region}")
            b.add(" ", _ZIP(a.zip))
        else:
            raise ValueError(c)
        if country:
            b.add(sep + U(a.country))

    # --- dates --------------------------------------------------------------------------------------------------
    def dstyle(self) -> str:
        k = self.r.random()
        if self.pt.culture == "arabic" and k < 0.06:
            return "hijri"
        if k < 0.6:
            return self.house
        return self.r.choice(self.L.dstyles) if k < 0.85 else self.r.choice(_ANY_STYLES)

    def days(self, lo: int, hi: int) -> date:
        """A date lo..hi days after the note's anchor date (negative = before)."""
        return self.today + timedelta(days=self.r.randint(lo, hi))

    def dt(self, b: _B, d: date, style: str | tuple[str, ...] | None = None, wd: bool = False) -> None:
        """Write a date; 'the', 'this' and weekday names stay outside the DATE span."""
        st = style if isinstance(style, str) else (self.r.choice(style) if style else self.dstyle())
        if st in ("words", "words_y", "legal"):
            b.add("the ")
        if wd:
            b.add(_WDAY[d.weekday()] + self.r.choice((" ", ", ")))
        b.add(_D(_fd(d, st)))

    def dtt(
        self,
        b: _B,
        d: date,
        style: str | tuple[str, ...] | None = None,
        tstyle: str | None = None,
        sep: str | None = None,
    ) -> None:
        """Date followed by a time; the time is outside the DATE span (ISO 'T' times included)."""
        self.dt(b, d, style)
        b.add(
            sep if sep is not None else self.r.choice((" ", " ", ", ", " at ", " @ ")), _time(self.r, tstyle)
        )

    # --- ages ---------------------------------------------------------------------------------------------------
    def age_txt(self, b: _B, age: int, style: str | None = None) -> None:
        """Only the number of an age >= 90 is AGE_OVER_89 (digits or words); younger ages are plain text."""
        r = self.r
        st = style or r.choice(
            ("yo", "y/o", "year-old", "aged", "years old", "yrs", "age", "words", "words-yo", "paren")
        )
        num = _words(age) if st in ("words", "words-yo", "Words") else str(age)
        if st == "Words":
            num = num.capitalize()
        pre, post = {
            "yo": ("", "yo"),
            "y/o": ("", " y/o"),
            "year-old": ("", "-year-old"),
            "aged": ("aged ", ""),
            "years old": ("", " years old"),
            "yrs": ("", " yrs"),
            "age": ("age ", ""),
            "words": ("", " years old"),
            "words-yo": ("", "-year-old"),
            "Words": ("", " years of age"),
            "paren": ("(", ")"),
            "bare": ("", ""),
            "y": ("", "y"),
            "Age:": ("Age: ", ""),
        }[st]
        b.add(pre, _AGE(num) if age >= 90 else num, post)

    # --- numbers ------------------------------------------------------------------------------------------------
    def ph(self, code: str | None = None) -> str:
        return _LOCS[code or self.code].phone(self.r)

    def record(self) -> AltPatient:
        p = self.pt
        return AltPatient(
            names=(f"{p.given} {p.family}", f"{p.family.upper()}, {p.given}"),
            mrns=tuple(dict.fromkeys([self.mrn] + self.x_mrns)),
            addresses=(self.a.street,),
            phones=tuple(dict.fromkeys([self.phone, self.mobile] + self.x_phones)),
            emails=(self.email,),
            other=tuple(dict.fromkeys([self.natid, self.plan] + self.x_other)),
        )


# ------------------------------------------------------------------------------------------------------------------
# note kinds (registered in order; note i gets kind (i + seed) mod number-of-kinds)

_KINDS: list[tuple[str, object, tuple[str, ...], tuple[int, int, float]]] = []


def _kind(name: str, locs: tuple[str, ...] = _ALL_LOCS, ages: tuple[int, int, float] = (20, 89, 0.1)):
    def deco(fn):
        _KINDS.append((name, fn, locs, ages))
        return fn

    return deco


_REL = (
    ("Mother", "F", False),
    ("Father", "M", True),
    ("Sister", "F", True),
    ("Brother", "M", True),
    ("Son", "M", True),
    ("Daughter", "F", True),
    ("Maternal aunt", "F", False),
    ("Paternal uncle", "M", True),
    ("Half-brother", "M", False),
    ("First cousin", "F", False),
)


_REL_OFF = {
    "Mother": (-15000, -6500),
    "Father": (-16000, -6500),
    "Son": (6500, 14000),
    "Daughter": (6500, 14000),
    "Maternal aunt": (-17000, -5000),
    "Paternal uncle": (-17000, -5000),
}


@_kind("genetic_report", ages=(1, 75, 0.0))
def _k_genetic(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    lab = r.choice(
        (
            "Northern Genomics Laboratory",
            "Regional Molecular Genetics Service",
            "Helix Clinical Genomics",
            "Institute of Medical Genetics",
        )
    )
    b.add(
        f"{lab.upper()}\nGERMLINE VARIANT REPORT - {r.choice(('FINAL', 'FINAL', 'AMENDED'))}",
        " " * 10,
        "Page 1 of 3\n\n",
    )
    b.add("Patient: ")
    c.name(b, pt, r.choice(("REV", "REVU", "revmi", "full")))
    b.add("      DOB: ")
    c.dt(b, c.dob)
    b.add(
        f"      Sex: {pt.sex}\n",
        r.choice(("MRN: ", "Hospital no: ", "Patient ID: ")),
        _MRN(c.mrn),
        "      Accession: ",
        _OID(_pat(r, r.choice(("##-GN-%#####", "G%#-######", "MG%########")))),
        "\n",
    )
    coll = c.days(-40, -20)
    b.add("Specimen: ", _OID(_pat(r, "SP%#######")), " (EDTA whole blood, 4 mL), collected ")
    c.dt(b, coll)
    b.add(", received ")
    c.dt(b, coll + timedelta(days=r.randint(1, 4)))
    b.add("\nReferring clinician: ")
    doc = c.doc(b)
    b.add(f", {c.hosp}")
    if c.code == "US" or r.random() < 0.2:
        b.add("   NPI ", _OID(_npi(r)))
    b.add("\nCopy to: ", _EM(_work_email(r, doc, c.L.maildom)), " | Fax ", _FX(c.ph()), "\n\n")
    ind = r.choice(
        (
            "personal history of breast cancer at 38",
            "family history of colorectal cancer",
            "hypertrophic cardiomyopathy, septal thickness 21 mm",
            "developmental delay, microcephaly",
        )
    )
    b.add(f"Indication: {ind}\nTest: multigene panel (84 genes) by NGS + MLPA; CPT 81432; LOINC 81247-9\n\n")
    gene, tx, var, prot = r.choice(
        (
            ("BRCA2", "NM_000059.4", "c.5946delT", "p.(Ser1982Argfs*22)"),
            ("MLH1", "NM_000249.4", "c.1852_1854del", "p.(Lys618del)"),
            ("MYBPC3", "NM_000256.3", "c.1504C>T", "p.(Arg502Trp)"),
            ("PTEN", "NM_000314.8", "c.388C>T", "p.(Arg130*)"),
        )
    )
    b.add(
        "RESULT: ONE PATHOGENIC VARIANT DETECTED\n\n| Gene | Transcript | Variant | Protein | Zygosity | Class |\n"
        f"|---|---|---|---|---|---|\n| {gene} | {tx} | {var} | {prot} | Het | Pathogenic (PVS1, PM2) |\n\n"
        f"dbSNP rs{r.randint(10000, 99999999)}; ClinVar VCV{_pat(r, '0000#####')}; reagent lot "
        f"{_pat(r, '24##-@##')}; allele fraction 0.48, depth 412x.\n\n"
    )
    b.add(
        "FAMILY MEMBERS RECOMMENDED FOR CASCADE TESTING\n| Relationship | Name | DOB / age | Status | Contact |\n"
        "|---|---|---|---|---|\n"
    )
    rels = r.sample(_REL, r.randint(2, 3))
    if r.random() < 0.7:
        rels.append(("Maternal grandmother", "F", False))
    for rel, sex, same in rels:
        rp = c.relative(sex, same)
        b.add(f"| {rel} | ")
        c.name(b, rp, r.choice(("full", "full", "mid", "REV")))
        b.add(" | ")
        if rel == "Maternal grandmother":
            c.age_txt(b, r.randint(86, 101), r.choice(("bare", "y", "yrs", "Age:", "aged")))
            b.add(" | alive, not tested | via proband |\n")
            continue
        if r.random() < 0.25:
            b.add(f"d. {r.randint(1995, 2016)} (aged {r.randint(40, 79)}) | deceased | - |\n")
            continue
        lo, hi = _REL_OFF.get(rel, (-4000, 4000))
        rd = c.dob + timedelta(days=r.randint(lo, hi))
        c.dt(b, rd if rd < c.today else c.dob + timedelta(days=r.randint(-4000, -400)))
        b.add(" | ", r.choice(("not tested", "offered", "declined", "appointment booked")), " | ")
        k = r.random()
        if k < 0.5:
            b.add(_PH(c.ph()))
        elif k < 0.8:
            b.add(_EM(_email(r, rp)))
        else:
            b.add("via proband")
        b.add(" |\n")
    gc = c.person()
    b.add("\nGenetic counsellor: ")
    c.name(b, gc, "full", degree=r.choice((", MS, CGC", ", MSc", ", RGC")))
    b.add(" - ", _EM(_work_email(r, gc, c.L.maildom)), ", ext. ", _PH(_pat(r, "%###")), "\n")
    b.add("Electronically signed by ")
    c.name(b, c.person(), r.choice(("full", "mid")), degree=", PhD, FACMG")
    b.add(" (Laboratory Director) on ")
    c.dtt(b, c.today, ("iso", "mdy", "dmy", "d_mon_y"), sep=" ")
    b.add("\nThis report is confidential; variant nomenclature per HGVS v21.0.\n")


@_kind("ivf_cycle_log", ages=(27, 45, 0.0))
def _k_ivf(c: _Ctx, b: _B) -> None:
    r = c.r
    c.force_sex("F")
    pt = c.pt
    b.add(
        f"{c.hosp} - ASSISTED CONCEPTION UNIT\n",
        "IVF/ICSI CYCLE RECORD".ljust(44),
        "Cycle no: ",
        _OID(_pat(r, r.choice(("IVF-%####/##", "C##-%###", "ICSI%#####")))),
        "\n\n",
    )
    b.add("Female partner : ")
    c.name(b, pt, r.choice(("REV", "full", "revmi")))
    b.add("   DOB ")
    c.dt(b, c.dob)
    b.add("   Hosp no ", _MRN(c.mrn), "\n")
    if r.random() < 0.7:
        part = c.person(pt.culture, "M") if r.random() < 0.8 else c.person(pt.culture, "F")
        m2 = _mrn(r)
        b.add("Partner        : ")
        c.name(b, part, r.choice(("REV", "full")))
        b.add("   DOB ")
        c.dt(b, c.dob + timedelta(days=r.randint(-3000, 2000)))
        b.add("   Hosp no ", _MRN(m2), "\n")
    else:
        b.add(
            "Donor sperm    : donor code ",
            _OID(_pat(r, r.choice(("DN%####", "@@#-%###", "ESB-%####")))),
            " (bank batch 7/22, 0.5 mL straws)\n",
        )
    b.add("Consultant     : ")
    c.doc(b, form="full")
    b.add("      Nurse coordinator: ")
    c.name(b, c.person(), "full")
    b.add(" (bleep ", _PH(_pat(r, "%###")), ")\n")
    b.add(
        f"Protocol: short antagonist; FSH {r.choice((150, 225, 300))} IU sc od from D2; cetrorelix 0.25 mg from D6 "
        f"(lot {_pat(r, '@##%##')}); AMH {r.randint(30, 400) / 10} pmol/L, AFC {r.randint(4, 24)}\n\n"
    )
    b.add("Day  Date     E2(pmol/L)  LH    P4    Follicles >=10 mm (R / L)   Dose     By\n")
    start = c.days(-60, -30)
    st = r.choice(("dm", "dmz", "md", "d_mon"))
    staff = [c.person() for _ in range(3)]
    for dday in r.choice(((2, 5, 8, 10), (2, 6, 8, 11), (2, 5, 7, 9))):
        d = start + timedelta(days=dday - 2)
        e2 = r.randint(150, 900) * (dday - 1)
        fol = "-" if dday < 5 else f"{r.randint(2, 9)} / {r.randint(1, 9)}"
        b.add(f"D{dday:<3} ")
        ds = _fd(d, st)
        b.add(
            _D(ds),
            " " * max(1, 9 - len(ds)),
            f"{e2:<12}{r.randint(10, 90) / 10:<6}{r.randint(1, 15) / 10:<6}"
            f"{fol:<28}{r.choice((150, 225, 300))} IU   ",
        )
        b.add(_N(_nm(r.choice(staff), r.choice(("INITS", "inits")))) if r.random() < 0.6 else "-", "\n")
    trig = start + timedelta(days=r.randint(10, 12))
    b.add("\nTrigger: choriogonadotropin alfa 250 mcg sc at 21:30 on ")
    c.dt(b, trig)
    b.add("\nOocyte retrieval: ")
    c.dt(b, trig + timedelta(days=2))
    n = r.randint(5, 18)
    b.add(
        f" - {n} oocytes, {max(1, n - r.randint(1, 4))} MII, {max(1, n - r.randint(3, 7))} 2PN\nEmbryologist: "
    )
    c.name(b, c.person(), r.choice(("full", "init")))
    b.add("\n")
    for k in range(r.randint(2, 3)):
        b.add(
            "  Embryo ",
            _OID(_pat(r, "EMB-%#####-0") + str(k + 1)),
            f"  D5 {r.choice(('4AA', '3BB', '4AB', '5BA'))}  ",
        )
        if k == 0:
            b.add("-> fresh single embryo transfer ")
            c.dt(b, trig + timedelta(days=7))
            b.add("\n")
        else:
            b.add(
                f"-> vitrified, straw {_pat(r, '@##')}, tank {r.randint(1, 6)} canister {r.choice('ABCD')}\n"
            )
    b.add("Pregnancy test: ", r.choice(("OTD in 2/52", "serum bhCG due ")))
    if b.text().endswith("due "):
        c.dt(b, trig + timedelta(days=18))
    b.add("\nConsents (WT, MT, PP) signed ")
    c.dt(b, start - timedelta(days=r.randint(10, 40)))
    b.add(", witnessed by ")
    c.name(b, c.person(), "full")
    b.add(".\nContact: ", _PH(c.mobile), " / ", _EM(c.email), "\n")


@_kind("organ_donor_family", locs=("UK", "US", "AU", "IE", "CA", "ZA", "NL", "SE"), ages=(18, 78, 0.0))
def _k_donor(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    b.add("SPECIALIST NURSE - ORGAN DONATION\nFAMILY APPROACH AND CONSENT RECORD\n\nPotential donor: ")
    c.name(b, pt, r.choice(("full", "midfull", "REV")))
    b.add("    Age: ")
    c.age_txt(b, c.age, "bare")
    b.add(f"    Sex: {pt.sex}\nHospital no: ", _MRN(c.mrn), f"    {c.natid_label}: ", _SSN(c.natid), "\n")
    b.add(
        "Donor no: ",
        _OID(_pat(r, r.choice(("%######", "@@@@%##", "DN-%#####")))),
        f"    Unit: ICU bed {r.randint(1, 24)}, {c.hosp}\n",
    )
    if r.random() < 0.35:
        b.add("Donor register: opt-in recorded ")
        c.dt(b, c.days(-4000, -400), ("d_mon_y", "iso", "month_y", "dmy"))
        b.add(" (register ref ", _OID(_pat(r, "%#########")), ")\n")
    b.add("\nApproach: ")
    c.dtt(b, c.today, ("words", "d_month_y", "ord_of", "dmy"), "24", " at ")
    b.add(", relatives' room.\nPresent: ")
    fam = []
    for rel, sex in r.sample(
        (
            ("wife", "F"),
            ("husband", "M"),
            ("son", "M"),
            ("daughter", "F"),
            ("brother", "M"),
            ("sister", "F"),
            ("mother", "F"),
        ),
        r.randint(2, 4),
    ):
        p = c.relative(sex, rel not in ("wife", "husband", "mother") or r.random() < 0.5)
        fam.append((rel, p))
        b.add(f"{rel} ")
        c.name(b, p, r.choice(("full", "given")))
        b.add(", ")
    b.add("ICU consultant ")
    cons = c.doc(b, form="full")
    b.add(", SN-OD ")
    c.name(b, c.person(), "full")
    if r.random() < 0.4:
        b.add(", chaplain ", r.choice(("Rev. ", "Imam ", "Father ", "Rabbi ")))
        c.name(b, c.person(), "full")
    b.add(".\n\n")
    rel0, p0 = fam[0]
    b.add("Summary: Dr ")
    c.name(b, cons, "fam")
    b.add(" explained the brainstem test results. The family described ")
    c.name(b, pt, "given")
    b.add(" as 'the one who always helped everyone'. ")
    c.name(b, p0, "given")
    b.add(
        f" ({rel0}) said {'he' if pt.sex == 'M' else 'she'} had talked about donation after a cousin's transplant "
        "in 2009. Questions re funeral timing answered. No objection raised by any family member.\n"
    )
    b.add(
        "Consent: kidneys, liver, pancreas, corneas; NOT heart. Tissue declined. Consent approx. 70 min after "
        "approach.\n\n"
    )
    b.add(r.choice(("Coroner", "Medical examiner", "Procurator fiscal")), " referral ")
    c.dt(b, c.today, ("dmy", "iso", "d_mon"))
    b.add(": officer ")
    c.name(b, c.person(), r.choice(("full", "init")))
    b.add(
        ", ref ",
        _OID(_pat(r, r.choice(("%###/##", "CR-%#####", "ME%######")))),
        ", tel ",
        _PH(c.ph()),
        " - no objection to retrieval.\n\nNOK contact: ",
    )
    c.name(b, p0, "full")
    b.add(f" ({rel0}), ", _PH(c.mobile), "\n")
    c.addr(b, ml=True)
    b.add(
        "\nFollow-up letter to NOK in 6-8 weeks; family asked for recipient updates by e-mail to ",
        _EM(_email(r, p0)),
        ".\n",
    )


@_kind("mha_section_papers", locs=("UK",), ages=(18, 89, 0.04))
def _k_mha(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    amhp, nr = c.person(), c.relative(r.choice("MF"), r.random() < 0.6)
    form = r.choice(("A2", "A6"))
    sect = "2" if form == "A2" else "3"
    b.add(
        f"MENTAL HEALTH ACT 1983\nFORM {form}\nRegulation 4(1)(a)(ii)\n"
        f"Section {sect} - application by an approved mental health professional for admission for "
        f"{'assessment' if sect == '2' else 'treatment'}\n\nTO THE MANAGERS OF {c.hosp.upper()}\n\nI "
    )
    c.name(b, amhp, "upper")
    b.add("\n(PRINT your full name and address)\nOF ")
    if r.random() < 0.4:
        c.addr(b, c.address(), upper=True)
    else:
        b.add(f"{r.choice(('NORTH', 'EAST', 'CENTRAL'))} LOCALITY AMHP HUB, CIVIC CENTRE")
    b.add("\napply for the admission of ")
    c.name(b, pt, r.choice(("upper", "full")))
    b.add("\n(PRINT full name and address of patient)\nOF ")
    c.addr(b, upper=True)
    b.add(
        f"\nfor {'assessment' if sect == '2' else 'treatment'} in accordance with Part 2 of the Mental Health Act "
        "1983.\n\n"
        "Complete the following where consultation with the nearest relative has taken place:\n(a) I consulted "
    )
    c.name(b, nr, "upper")
    b.add("\nOF ")
    if r.random() < 0.5:
        b.add("the same address as the patient")
    else:
        c.addr(b, c.address(), upper=True)
    nrel = (
        r.choice(("mother", "spouse", "eldest child", "sister"))
        if nr.sex == "F"
        else r.choice(("father", "spouse", "civil partner", "eldest child", "brother"))
    )
    b.add(f"\nwho to the best of my knowledge and belief is the patient's nearest relative ({nrel}).\n\n")
    seen = c.days(-2, 0)
    b.add("I last saw the patient on ")
    c.dt(b, seen, ("dmy", "d_month_y", "ord_month_y"))
    b.add(
        f" at {_time(r, '24')}, which was within the period of 14 days ending on the day this application is "
        "completed.\n\nMedical recommendations: "
    )
    for i in range(2):
        b.add("Dr ")
        c.name(b, c.person(), r.choice(("full", "upper")))
        b.add(" (GMC No. ", _LIC(_pat(r, "%######")), f"{', s.12 approved' if i == 0 else ', GP'}) examined ")
        c.dt(b, seen - timedelta(days=r.randint(0, 1)), ("dmy", "dmy2"))
        b.add("; " if i == 0 else ".\n")
    if r.random() < 0.6:
        b.add(
            "Patient was brought to the place of safety under s.136 by PC ",
            _OID(str(r.randint(1000, 9999))),
            " ",
        )
        c.name(b, c.person(), r.choice(("full", "fam")))
        b.add(" (incident log ", _OID(_pat(r, "%##-##########")), ").\n")
    b.add("\nSigned ...........................  Date ")
    c.dt(b, seen, ("dmy", "dmy2"))
    b.add(
        "\nAMHP contact: ",
        _PH(c.ph()),
        " / ",
        _EM(_work_email(r, amhp, "nhs.net")),
        "\nHospital no (on admission): ",
        _MRN(c.mrn),
        f"   {c.natid_label}: ",
        _SSN(c.natid),
        "\nRights read (s.132) - leaflet given; IMHA referral made. Crisis line 116 123 advised to family.\n",
    )


_EMERG = {
    "US": "911",
    "CA": "911",
    "MX": "911",
    "UK": "999",
    "AU": "000",
    "IE": "112",
    "ZA": "10177",
    "NG": "112",
    "IN": "112",
    "DE": "112",
    "FR": "15",
    "NL": "112",
    "BR": "192",
    "JP": "119",
    "SE": "112",
}


def _serial(r: random.Random, kind: str) -> str:
    pats = {
        "hub": ("HUB-%#@####", "TH%########", "VW-##-%#####"),
        "bp": ("A&D%#######", "SN%########", "BP-%######"),
        "ox": ("NX%######", "OX-%#####-@"),
        "imei": ("35%#############",),
        "wc": ("QK%#####-##", "WC%########"),
        "pump": ("NG%#######H", "PX-%###-####"),
        "conc": ("EV%#######", "INV%########", "OC-##-%#####"),
        "cyl": ("CY%#####", "%######@"),
        "pm": ("PJN%#####S", "RNB%######", "ADDR%#####"),
        "an": ("%#####-####", "C503-%#####", "AU%######"),
        "cgm": ("8@@@@@", "%@@@@@"),
    }
    return _pat(r, r.choice(pats[kind]))


def _dtime(r: random.Random) -> str:
    return f"{r.randint(8, 18):02d}:{r.randint(0, 59):02d}"


def _relword(r: random.Random, p: _P) -> str:
    return (
        r.choice(("daughter", "wife", "niece", "sister", "neighbour"))
        if p.sex == "F"
        else r.choice(("son", "husband", "nephew", "brother", "neighbour"))
    )


@_kind("hospital_at_home", ages=(55, 89, 0.3))
def _k_hah(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    b.add(f"{c.hosp} - HOSPITAL AT HOME (VIRTUAL WARD)\nDaily review log\n\nPatient: ")
    c.name(b, pt, r.choice(("REV", "full", "REVU")))
    b.add(", ")
    c.age_txt(b, c.age, r.choice(("y", "yo", "y/o", "year-old")))
    dx = r.choice(("cellulitis", "CAP", "pyelonephritis", "HF exacerbation"))
    b.add(
        f" {pt.sex} | MRN ",
        _MRN(c.mrn),
        f" | admitted from ED with {dx} | encounter ",
        _ACC(_acct(r)),
        "\nHome: ",
    )
    c.addr(b)
    b.add("\nAccess: key safe by back door (code held by coordinator, not recorded here). Dog on premises.\n")
    b.add(
        "Kit issued: tablet hub ",
        _DEV(_serial(r, "hub")),
        ", BP cuff ",
        _DEV(_serial(r, "bp")),
        ", oximeter ",
        _DEV(_serial(r, "ox")),
        "\n",
    )
    if r.random() < 0.6:
        b.add(
            "Hub last check-in from ",
            _IP(_ipv4(r)),
            "; video visit link ",
            _URL(
                f"https://vv.{r.choice(('attendanywhere', 'carelink', 'hah-video'))}.net/room/{_pat(r, '*******')}"
            ),
            "\n",
        )
    b.add("\n")
    nurses = [c.person() for _ in range(2)]
    start = c.today
    for k in range(r.randint(2, 3)):
        d = start + timedelta(days=k)
        b.add(f"Day {k + 1} - ")
        c.dt(b, d, wd=r.random() < 0.3)
        b.add(f" | visit {_dtime(r)} by ")
        c.name(b, nurses[k % 2], r.choice(("given", "full", "init")))
        if r.random() < 0.35:
            b.add(" (pool car ", _VEH(_plate(r, c.code)), ")")
        b.add(
            f"\n  NEWS2 {r.randint(0, 5)}, BP {r.randint(100, 160)}/{r.randint(55, 95)}, HR {r.randint(58, 110)}, "
            f"SpO2 {r.randint(92, 98)}% on air, T {r.randint(364, 382) / 10}. "
            f"IV ceftriaxone 2 g od given (batch {_pat(r, '@##%##@')}). "
            f"{r.choice(('Eating well.', 'Mobilising with frame.', 'Some confusion overnight per family.'))}\n"
        )
    nok = c.relative(r.choice("MF"), r.random() < 0.6)
    b.add("\nNOK: ")
    c.name(b, nok, r.choice(("full", "given")))
    b.add(f" ({_relword(r, nok)}) ", _PH(c.ph()), "\n")
    b.add(
        "Escalation: NEWS2 >= 5 -> HaH registrar ",
        _PH(c.ph()),
        f"; if collapse/chest pain dial {_EMERG[c.code]}.\n",
    )
    b.add("Plan: step down to community nursing from ")
    c.dt(b, start + timedelta(days=r.randint(3, 6)))
    b.add(". Kit collection booked.\n")


def _typo(r: random.Random, s: str) -> str:
    for a, t in (
        ("receive", "recieve"),
        ("writing", "writting"),
        ("because", "becuase"),
        ("absolutely", "absolutley"),
        ("definitely", "definately"),
        ("their", "thier"),
        ("I'm", "im"),
        ("don't", "dont"),
    ):
        if r.random() < 0.6:
            s = s.replace(a, t)
    return s


@_kind("complaint_letter", locs=("UK", "US", "AU", "IE", "CA", "ZA"), ages=(35, 89, 0.4))
def _k_complaint(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    self_ = r.random() < 0.35
    w = pt if self_ else c.relative(r.choice("MF"), r.random() < 0.7)
    low = r.random() < 0.5
    L = (lambda s: s.lower()) if low else (lambda s: s)
    c.name(b, w, "full")
    b.add("\n")
    c.addr(b, c.a if self_ or r.random() < 0.3 else c.address(), ml=True)
    b.add("\n", _PH(c.mobile if self_ else c.ph()), "\n")
    if r.random() < 0.7:
        b.add(_EM(c.email if self_ else _email(r, w)), "\n")
    b.add("\n")
    c.dt(b, c.today, ("d_month_y", "month_d_y", "dmy", "ord_month_y"))
    b.add(f"\n\nTo the Complaints Team, {c.hosp}\n\n")
    who = (
        "myself"
        if self_
        else r.choice(
            ("my mum", "my mother", "my nan", "my wife")
            if pt.sex == "F"
            else ("my dad", "my father", "my grandad", "my husband")
        )
    )
    b.add(f"Re: complaint about the care of {who} - ")
    c.name(b, pt, r.choice(("full", "REV", "upper")))
    b.add(", DOB ")
    c.dt(b, c.dob)
    b.add(", hospital number ", _MRN(c.mrn), "\n\n")
    adm = c.days(-40, -10)
    body = L("To whom it may concern,\n\nI am writing because I am absolutely disgusted with the way ")
    b.add(_typo(r, body), "I was" if self_ else L(f"{who} was"), L(" treated on ward 9 between the "))
    c.dt(b, adm, ("d_month", "month_ord", "dm", "md"))
    b.add(L(" and the "))
    c.dt(b, adm + timedelta(days=r.randint(3, 9)), ("ord_month_y", "d_month_y", "dmy"))
    b.add(". ")
    if not self_:
        b.add(L("She" if pt.sex == "F" else "He"), L(" is "))
        c.age_txt(b, c.age, r.choice(("bare", "years old", "words")))
        b.add(L(" and was left on a trolley in A&E for 14 hours with no water. "))
    b.add(_typo(r, L("A nurse, I think her name was ")))
    b.add(_N(_nm(c.person(sex="F"), r.choice(("given", "lower")) if low else "given")))
    b.add(_typo(r, L(", told me they don't have time to help everyone. When I finally saw a doctor, Dr ")))
    doc = c.person()
    b.add(_N(doc.family.lower() if low else doc.family))
    b.add(_typo(r, L(" said the results were fine and then two days later said the opposite. ")))
    if r.random() < 0.6:
        b.add(
            L("On top of that my car (reg "),
            _VEH(_plate(r, c.code)),
            L(") got a parking charge even though I had paid at the machine. "),
        )
    b.add(L("I rang the ward on "), _PH(c.ph()), L(" six times and nobody answered. "))
    if r.random() < 0.6:
        b.add(
            L("I have put the whole story on facebook here "),
            _URL(
                f"https://www.facebook.com/{_ascii(w.given).lower()}.{_ascii(w.family).lower()}"
                f".{r.randint(10, 999)}/posts/{_pat(r, '%###############')}"
            ),
            L(" and "),
        )
    b.add(
        _typo(
            r,
            L(
                "I will definitely be contacting my MP. I want a full written response within 20 working "
                "days.\n\n"
            ),
        )
    )
    b.add(r.choice(("Yours sincerely,", "Regards", "yours (not very) sincerely", "Thanks")), "\n")
    c.name(b, w, r.choice(("given", "full", "lower")) if low else r.choice(("given", "full")))
    b.add("\n")


_GP_S = (
    "c/o SOB x3/7, worse on exertion, 2-pillow orthopnoea. No CP. ",
    "c/o productive cough x10/7, green sputum. ",
    "c/o dysuria + freq x2/7, no haematuria, no loin pain. ",
    "L knee pain x6/52 after fall, locking ++. ",
    "low mood since bereavement 3/12 ago, poor sleep, PHQ-9 16. ",
    "f/u BP, home readings avg 152/94. ",
)
_GP_P = (
    "FBC U&E LFT TFT NT-proBNP. incr furosemide 40mg od -> 80mg od. ECG. r/v 1/52, SN'd. ",
    "doxy 200mg stat then 100mg od 5/7. CXR if not settling. r/v 2/52 prn. ",
    "MSU sent. nitrofurantoin 100mg MR bd 3/7. SN given. ",
    "ref MSK physio. naproxen 500mg bd + PPI. r/v 6/52. ",
    "sertraline 50mg od, SE discussed. talking therapies self-ref. r/v 2/52 or sooner. ",
    "amlodipine 5mg od started. U&E 2/52. HBPM 7/7 then r/v. ",
)


@_kind("gp_soap_shorthand", locs=("UK", "AU", "IE", "ZA", "UK", "NG"), ages=(18, 89, 0.1))
def _k_gp(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    b.add("Pt: ")
    c.name(b, pt, r.choice(("REV", "REVU", "revmi")))
    b.add(f" ({c.title(pt)})  DOB ")
    c.dt(b, c.dob, ("dmy", "dmy1", "dmy2"))
    b.add(f"  {c.natid_label} ", _SSN(c.natid), "  Mob ", _PH(c.mobile), "\n", "-" * 78, "\n")
    gps = [c.person() for _ in range(2)]
    d = c.days(-90, -20)
    for k in range(r.randint(2, 3)):
        d += timedelta(days=r.randint(2, 30))
        c.dt(b, d, ("dmy2", "dmy", "dm"))
        b.add(f" {r.randint(8, 17):02d}:{r.randint(0, 59):02d}  ")
        if k == 2:
            b.add("PN ")
            c.name(b, c.person(), r.choice(("given", "full")))
            b.add(
                f"  [tel]\n  BP {r.randint(118, 160)}/{r.randint(70, 96)}. INR {r.randint(18, 34) / 10}. "
                "Dose unchanged, next INR 4/52. Pt aware.\n"
            )
            continue
        b.add("Dr ")
        c.name(b, gps[k % 2], r.choice(("init", "initnd", "fam")))
        b.add(f" (GP)  [{r.choice(('F2F', 'tel', 'video'))}]\n  S: ")
        c.age_txt(b, c.age, r.choice(("bare", "yo", "y")))
        i = r.randrange(len(_GP_S))
        b.add(f"{pt.sex} {_GP_S[i]}PMHx T2DM, HTN, AF on apix 5mg bd. SH: lives w/ ")
        rel = c.relative(r.choice("MF"), True)
        c.name(b, rel, "given")
        b.add(f" ({'wife' if rel.sex == 'F' else 'husband'}), ex-smoker 30PY, 14u/wk.\n")
        b.add(
            f"  O: BP {r.randint(118, 170)}/{r.randint(70, 100)} HR {r.randint(55, 110)} "
            f"{r.choice(('reg', 'irreg'))}, SpO2 {r.randint(92, 99)}% RA, T {r.randint(362, 384) / 10}. "
            f"{r.choice(('bibasal creps, ank oedema ++', 'chest clear', 'abdo SNT', 'eff +, ROM reduced'))}.\n"
        )
        b.add(
            f"  A: {('?decomp HF', 'LRTI', 'simple UTI', '?meniscal tear', 'mod dep episode', 'HTN st 2')[i]}\n"
        )
        b.add(f"  P: {_GP_P[i]}")
        if r.random() < 0.5:
            b.add("Letter to Dr ")
            c.name(b, c.person(), r.choice(("full", "init", "fam")))
            b.add(f" ({r.choice(('cardiology', 'resp', 'ortho', 'CMHT'))}, {c.hosp}). ")
        b.add("\n")
    b.add("Next appt ")
    c.dt(b, d + timedelta(days=r.randint(7, 28)), ("dm", "dmz", "d_mon"))
    b.add(" w/ ")
    c.name(b, gps[0], "INITS")
    b.add(". NOK/carer: ")
    c.name(b, c.relative(r.choice("MF"), False), "full")
    b.add(" ", _PH(c.ph()), "\n")


def _spaced(s: str) -> str:
    return "  ".join(" ".join(w) for w in s.split(" "))


def _ocrsub(r: random.Random, s: str, rate: float = 0.12) -> str:
    subs = {
        "o": "0",
        "O": "0",
        "l": "1",
        "I": "l",
        "1": "l",
        "0": "O",
        "e": "c",
        "S": "5",
        "B": "8",
        "m": "rn",
        "5": "S",
        "8": "B",
        "i": "í",
    }
    return "".join(subs[ch] if ch in subs and r.random() < rate else ch for ch in s)


@_kind("ocr_referral_letter", ages=(18, 89, 0.15))
def _k_ocr(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    O = lambda s: _ocrsub(r, s)  # noqa: E731
    practice = r.choice(
        ("R1VERSIDE MEDICAL PRACTlCE", "THE HEALTH CENTRE", "0AKLANDS SURGERY", "PARK V1EW CLINIC")
    )
    b.add(f"[OCR page 1/2 - mean confidence {r.randint(58, 84)}%]\n\n{practice}\n")
    pa = c.address()
    b.add(_AD(O(pa.street)), " , ", _AD(O(pa.city)), "   ", _ZIP(O(pa.zip)), "\n")
    b.add("T e l :  ", _PH(_spaced(c.ph())), "     Fax: ", _FX(O(c.ph())), "\n\n")
    b.add(
        "D a t e :  ",
        _D(
            _spaced(_fd(c.today, r.choice(("dmy", "mdy", "d_mon_y"))))
            if r.random() < 0.5
            else O(_fd(c.today, c.dstyle()))
        ),
        "\n\n",
    )
    doc = c.person()
    b.add("Dear Dr ", _N(O(doc.family)), ",\n\n")
    b.add(
        "R e :  ",
        _N(_spaced(_nm(pt, r.choice(("full", "upper")))) if r.random() < 0.6 else O(_nm(pt, "upper"))),
        "   D.O.B. ",
        _D(O(_fd(c.dob, r.choice(("dmy", "mdy", "dot")))).replace(" ", "")),
        "\n",
    )
    b.add("       ", _AD(O(c.a.street)), ",  ", _AD(O(c.a.city)), "  ", _ZIP(O(c.a.zip)), "\n")
    b.add(
        f"       {c.natid_label.replace(' ', '  ')}:  ",
        _SSN(_spaced(c.natid.replace(" ", ""))) if r.random() < 0.5 else _SSN(O(c.natid)),
        "      Hosp no ",
        _MRN(O(c.mrn)),
        "\n\n",
    )
    b.add("Thank you for seeing this ")
    c.age_txt(b, c.age, r.choice(("year-old", "years old", "yo")))
    b.add(
        O(
            f" {'man' if pt.sex == 'M' else 'lady'} with a 3 month history of weight loss (6 kg) and iron "
            f"deficiency anaemia, Hb 9{r.randint(1, 9)} g/L, ferritin {r.randint(4, 14)}. "
        )
    )
    b.add(O("No PR bleeding. FIT 240 ug/g. Lives with "))
    rel = c.relative(r.choice("MF"), r.random() < 0.7)
    b.add(_N(O(rel.given)), O(" who can be contacted on "), _PH(O(c.ph())), O(". Previous colonoscopy "))
    c.dt(b, c.days(-3000, -700), ("month_y", "mm_yyyy", "mon_y"))
    b.add(
        O(
            " was normal.\n\nCurrent meds: ramipril 5 mg od, atorvastatin 40 mg on, ferrous fumarate 322 mg bd\n\n"
        )
    )
    b.add("Y o u r s  s i n c e r e l y\n\n")
    gp = c.person()
    fam = gp.family
    if len(fam) > 6 and " " not in fam and r.random() < 0.6:
        cut = r.randint(3, len(fam) - 3)
        b.add("Dr ", _N(f"{gp.given[0]}. {fam[:cut]}-\n{fam[cut:]}"), "\n")
    else:
        b.add("D r  ", _N(_spaced(f"{gp.given[0]} {fam}")), "\n")
    b.add("GMC ", _LIC(O(_pat(r, "%######"))), "\n[OCR page 2/2 - blank]\n")


_HANDLES = (
    "spoonie_42",
    "tiredmum3",
    "hopefulheart",
    "knee_warrior",
    "brightside88",
    "quietstorm",
    "daisychain_",
    "runner_no_more",
    "cuppa_tea",
    "mountaingoat",
    "nightowl_77",
    "lemonsherbet",
)
_FORUM_COND = ("fibromyalgia", "endometriosis", "ME/CFS", "Crohn's", "long COVID", "thyroid", "chronic pain")


@_kind("forum_post", locs=_ENGLISH, ages=(19, 52, 0.0))
def _k_forum(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    cond = r.choice(_FORUM_COND)
    h1, h2, h3 = r.sample(_HANDLES, 3)
    b.add(f"{cond.title()} Support Community > Treatment & Clinics\n\n")
    b.add(f"Thread: has anyone seen the {cond} team at {c.hosp}??\n")
    b.add(f"Posted by {h1} » ")
    c.dt(b, c.today, ("mon_d_y", "month_d_y", "d_mon_y", "iso"), wd=r.random() < 0.5)
    b.add(f" {_time(r, 'ampm')}\n\n")
    b.add("hi all, long time lurker, first post. my name's ")
    c.name(b, pt, r.choice(("given", "given", "full")))
    b.add(f" and i'm {c.age}, diagnosed 2019. finally got a referral and my first appt is on ")
    c.dt(b, c.days(10, 60), ("month_ord", "ord_of", "words", "md", "dm"))
    b.add(" with Dr ")
    doc = c.person()
    c.name(b, doc, r.choice(("fam", "full")))
    b.add(". ")
    if r.random() < 0.6:
        b.add("my nan (who practically raised me, she's ")
        c.age_txt(b, r.randint(88, 99), r.choice(("bare", "words")))
        b.add(" now!) says i should write everything down first. ")
    b.add("any tips?? also is parking awful there lol\n\n")
    if r.random() < 0.5:
        b.add(
            "(we've set up a fundraiser for private treatment if anyone can share: ",
            _URL(
                f"https://www.gofundme.com/f/help-{_ascii(pt.given).lower()}-{_ascii(pt.family).lower()}-"
                f"{r.choice(('get-treatment', 'recover', 'walk-again'))}"
            ),
            " )\n\n",
        )
    b.add(f"Reply from {h2} » ")
    b.add(r.choice(("2 days ago", "yesterday", "3 weeks ago", "last Tuesday")), "\n")
    b.add("> my first appt is on ... with Dr ", _N(doc.family), "\n")
    b.add("i saw Dr ")
    c.name(b, doc, "fam")
    b.add(" in 2021, she's lovely but always runs 40 mins late. ask for the specialist nurse ")
    c.name(b, c.person(sex="F"), r.choice(("given", "full")))
    b.add(
        ", she's the one who actually gets things done. pm me or email ",
        _EM(_email(r, c.person())),
        " if you want my list of questions x\n\n",
    )
    b.add(f"Reply from {h3} (Moderator) » ")
    c.dt(b, c.today + timedelta(days=r.randint(1, 3)), ("mon_d_y", "d_mon_y", "iso"))
    b.add(
        "\nPlease remember not to post phone numbers - I've removed one from the first post. "
        f"If you're struggling, Samaritans are on 116 123 (UK) / call {_EMERG[c.code]} in an emergency.\n\n"
    )
    b.add(
        "[moderator view] first post IP ",
        _IP(_ipv4(r) if r.random() < 0.8 else _ipv6(r)),
        "  edit reason: PII\n",
    )


_DM_ROWS = (
    ("VS", "weight_kg", "212", "Value outside expected range (35-180). Please verify."),
    ("DM", "dob", "", "DOB differs from screening log. Please reconcile."),
    ("LB", "creat_umol", "1840", "Implausible value vs previous visit (88). Unit error?"),
    ("AE", "ae_end_date", "", "End date precedes start date."),
    ("CM", "cm_dose", "5000", "Dose 5000 mg atorvastatin? Please confirm units."),
    ("DM", "age_consent", None, "Age at consent outside protocol limits (18-85)."),
    ("VS", "sbp", "40", "SBP 40 mmHg while DBP 80 mmHg - transcription error?"),
)


@_kind("research_dm_query", ages=(40, 89, 0.2))
def _k_dm(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    site = r.randint(1, 60)
    sid = _pat(r, f"{site:03d}-%###")
    proto = r.choice(("CARDIO-HF-301", "ONC-BR-2207", "NEURO-PD-118", "RESP-COPD-45"))
    b.add(
        f"# EDC query export | protocol {proto} (NCT0{_pat(r, '%######')}; EudraCT 20{r.randint(10, 23)}-"
        f"{_pat(r, '00####-##')}) | site {site:03d} | exported "
    )
    c.dt(b, c.today, "iso")
    b.add(f"T{_time(r, '24s')}Z\n# CONFIDENTIAL - source identifiers included for site reconciliation only\n")
    b.add(
        "query_id,site,subject_id,mrn,initials,dob,visit,visit_date,crf,field,entered_value,query_text,raised_by,"
        "status,site_response,responder\n"
    )
    dm = c.person()
    crc = c.person()
    ini = _nm(pt, r.choice(("INITS", "inits")))
    dob_st = r.choice(("iso", "dmy", "oracle", "d_mon_y2"))
    rows = r.sample(_DM_ROWS, 3)
    if c.age >= 90 and all(x[1] != "age_consent" for x in rows):
        rows[0] = _DM_ROWS[5]
    for k, (crf, field, val, q) in enumerate(rows):
        vd = c.days(-300, -5)
        b.add(f"Q{r.randint(10000, 99999)},{site:03d},", _OID(sid), ",", _MRN(c.mrn), ",", _N(ini), ",")
        b.add(_D(_fd(c.dob, dob_st)), f",V{r.randint(1, 9)},", _D(_fd(vd, "iso")), f",{crf},{field},")
        if val is None:
            c.age_txt(b, c.age, "bare")
        elif field.endswith("date"):
            b.add(_D(_fd(vd - timedelta(days=r.randint(1, 20)), "iso")))
        elif field == "dob":
            b.add(_D(_fd(c.dob + timedelta(days=r.randint(-400, 400)), "iso")))
        else:
            b.add(val)
        b.add(f',"{q}",')
        c.name(b, dm, r.choice(("full", "init")))
        status = r.choice(("Open", "Answered", "Closed"))
        b.add(f",{status},")
        if status == "Open":
            b.add('"",\n')
            continue
        b.add('"')
        kk = r.random()
        if kk < 0.4:
            b.add("Confirmed with pt (")
            c.name(b, pt, "given")
            b.add(") at visit and source re-checked. Value corrected.")
        elif kk < 0.7:
            b.add("Transcription error; source note dated ")
            c.dt(b, vd, ("dmy", "mdy", "d_mon_y"))
            b.add(" re-checked.")
        else:
            b.add("As per source. No change.")
        b.add('",')
        c.name(b, crc, r.choice(("full", "INITS")))
        b.add("\n")


_DEST = {
    "TR": (
        "Istanbul",
        "Şişli",
        "34371",
        "Türkiye",
        ("Halaskargazi Cad. No:%##", "Abide-i Hürriyet Cad. No:%#"),
    ),
    "TH": ("Bangkok", "Khlong Toei", "10110", "Thailand", ("%# Sukhumvit Soi %#", "%##/# Rama IV Road")),
    "HU": ("Budapest", "XIII. kerület", "1138", "Hungary", ("Váci út %#", "Szent István krt. %#")),
    "KR": ("Seoul", "Gangnam-gu", "06%##", "Republic of Korea", ("%## Gangnam-daero", "%# Apgujeong-ro")),
    "MX": (
        "Tijuana",
        "Zona Río",
        "22010",
        "México",
        ("Paseo de los Héroes %###", "Blvd. Agua Caliente %###"),
    ),
}
_DEST_PH = {
    "TR": ("+90 212 %## ## ##", "+90 5%# %## ## ##"),
    "TH": ("+66 2 %## ####", "+66 8# %## ####"),
    "HU": ("+36 1 %## ####", "+36 30 %## ####"),
    "KR": ("+82 2-%##-####", "+82 10-%###-####"),
    "MX": ("+52 664 %## ####", "+52 1 664 %## ####"),
}
_IBAN = {
    "UK": "GB%# @@@@ #### #### #### ##",
    "DE": "DE%# #### #### #### #### ##",
    "FR": "FR76 #### #### #### #### ###",
    "NL": "NL%# @@@@ #### #### ##",
    "IE": "IE%# @@@@ #### #### #### ##",
    "SE": "SE%# #### #### #### #### ####",
}


@_kind("medical_tourism_invoice", ages=(25, 75, 0.0))
def _k_tour(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    dk = r.choice(tuple(_DEST))
    city, dist, zp, country, streets = _DEST[dk]
    clinic = r.choice(
        (
            "Vita Aesthetic Clinic",
            "Smile Design Centre",
            "Bosphorus Health Group",
            "Lotus Medical Hub",
            "Danube Dental",
        )
    )
    b.add(
        f"{clinic.upper()}\n",
        _AD(_pat(r, r.choice(streets))),
        ", ",
        _AD(dist),
        ", ",
        _AD(city),
        " ",
        _ZIP(_pat(r, zp)),
        f", {country}\nTel ",
        _PH(_pat(r, _DEST_PH[dk][0])),
        f" | Tax No {_pat(r, '%#########')} (clinic)\n\n",
    )
    b.add(
        "INVOICE No: ", _ACC(_pat(r, r.choice(("INV-####-%####", "%#####/24", "MT-%######")))), "    Date: "
    )
    arr = c.days(-30, -5)
    inv = arr + timedelta(days=r.randint(1, 3))
    c.dt(b, inv, "be" if dk == "TH" else ("dmy", "dot", "d_mon_y", "iso"))
    if pt.culture == "arabic" or r.random() < 0.1:
        b.add(" (")
        c.dt(b, inv, "hijri")
        b.add(")")
    b.add(
        "    Booking ref: ",
        _OID(_pat(r, r.choice(("@@@%##", "BK-%#######", "@%@%@%")))),
        "\nPatient file: ",
        _MRN(_mrn(r)),
        "\n\nBILL TO: ",
    )
    c.name(b, pt, r.choice(("full", "upper", "REV")))
    b.add("\n         ")
    c.addr(b, country=True)
    b.add(
        "\nPassport: ",
        _OID(_passport(r, c.code)),
        f" ({c.L.country})   Phone: ",
        _PH(c.mobile),
        "   E-mail: ",
        _EM(c.email),
        "\n",
    )
    if r.random() < 0.6:
        pol = _pat(r, r.choice(("TMI-%#######", "%##-####-####", "@@%######")))
        b.add("Travel medical insurance: policy ", _HP(pol), "\n")
    nights = r.randint(3, 7)
    hotel = r.choice(("Grand Palace Hotel", "Riverside Suites", "Hotel Central", "Park Residence"))
    b.add("\n| # | Item | Code | Qty | Unit EUR | Amount |\n|---|---|---|---|---|---|\n")
    item, price = r.choice(
        (
            ("FUE hair transplant 3,500 grafts", 2150),
            ("20 zirconia crowns + 6 implants", 6900),
            ("Sleeve gastrectomy package", 3900),
            ("Rhinoplasty (open)", 2800),
        )
    )
    b.add(f"| 1 | {item} | PKG-{r.randint(100, 999)} | 1 | {price:,}.00 | {price:,}.00 |\n")
    b.add(f"| 2 | {hotel}, {nights} nights (")
    c.dt(b, arr, ("d_mon", "dmz", "md"))
    b.add(" - ")
    c.dt(b, arr + timedelta(days=nights), ("d_mon_y", "dmy", "mdy"))
    plate = _pat(r, r.choice(("34 @@ %##", "%@@ %###", "@@@-%##", "%## @ ####")))
    b.add(
        f") | HTL-{nights}N | {nights} | 0.00 | incl. |\n| 3 | VIP transfer airport-hotel-clinic, vehicle ",
        _VEH(plate),
        " | TRF-01 | 2 | 40.00 | 80.00 |\n",
    )
    b.add(
        f"| 4 | Post-op medication pack (amoxicillin 500 mg, paracetamol 1 g) | MED-07 | 1 | 35.00 | 35.00 |\n\n"
        f"Total: EUR {price + 115:,}.00 (VAT exempt, medical services)\n\n"
    )
    b.add(f"Arrival flight {r.choice(('TK', 'TG', 'W6', 'OZ', 'AM'))}{r.randint(100, 1999)} on ")
    c.dt(b, arr, ("d_month", "month_d_y", "dmy"))
    b.add(". Driver: ")
    c.name(b, c.person(r.choice(_ALL_CULT)), r.choice(("full", "given")))
    b.add(" (", _PH(_pat(r, _DEST_PH[dk][1])), ")\nPatient coordinator: ")
    c.name(b, c.person(r.choice(_ALL_CULT)), "full")
    b.add(", WhatsApp via clinic line\n")
    if c.code in _IBAN:
        b.add("Payment received by bank transfer from IBAN ", _ACC(_pat(r, _IBAN[c.code])), " on ")
    else:
        b.add("Payment received from account no. ", _ACC(_pat(r, "%#######" + "#" * r.randint(0, 4))), " on ")
    c.dt(b, arr - timedelta(days=r.randint(5, 40)), ("dmy", "iso", "d_mon_y"))
    b.add(". Deposit non-refundable.\n")


@_kind("sports_concussion", locs=("US", "CA", "AU", "UK", "IE", "ZA"), ages=(12, 24, 0.0))
def _k_concussion(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    sport = r.choice(
        ("rugby union", "ice hockey", "soccer", "Australian rules football", "lacrosse", "hurling")
    )
    team = r.choice(("Northside Hawks", "Valley Rovers", "St Columba's", "Eastwood Tigers", "Harbour United"))
    b.add("SPORT CONCUSSION ASSESSMENT (SCAT6) - SUMMARY & RETURN-TO-SPORT LOG\n\nAthlete: ")
    c.name(b, pt, r.choice(("full", "REV", "upper")))
    b.add("   DOB ")
    c.dt(b, c.dob)
    b.add(
        f"   Age {c.age}   Sex {pt.sex}\nTeam: {team} U{c.age + 1 if c.age < 19 else 'nder-23'} ({sport})   "
        f"Jersey #{r.randint(1, 40)}   Club ID ",
        _OID(_pat(r, r.choice(("%#####", "CL-%####", "@@%####")))),
        "\n",
    )
    if r.random() < 0.6:
        b.add("Insurance: ", r.choice(("member ID ", "policy ", "plan no. ")), _HP(c.plan), "\n")
    inj = c.days(-30, -14)
    b.add("\nInjury: ")
    c.dt(b, inj, wd=r.random() < 0.4)
    b.add(
        f" at {_dtime(r)}, {r.choice(('Memorial Park', 'Riverside Oval', 'the school field', 'Civic Arena'))}, "
    )
    va = c.address()
    b.add(_AD(va.street), ", ", _AD(va.city), "\n")
    b.add(
        "Mechanism: head-to-head collision in tackle; no LOC; tonic posturing not observed.\nRemoved from play by "
    )
    c.name(b, c.person(), "full", degree=r.choice((", ATC", " (physio)", ", MSc")))
    if c.code in ("US", "CA"):
        b.add(" (licence no. ", _LIC(_pat(r, r.choice(("AT%####", "%#####")))), ")")
    b.add("; witnessed by coach ")
    c.name(b, c.person(sex="M"), r.choice(("full", "fam")))
    b.add(
        f".\nImmediate: GCS 15, Maddocks {r.randint(2, 5)}/5, symptoms {r.randint(6, 20)}/22, severity "
        f"{r.randint(12, 70)}/132, SAC {r.randint(18, 29)}/30, mBESS {r.randint(2, 12)} errors.\n"
    )
    par = c.relative(r.choice("MF"), r.random() < 0.8)
    b.add("Parent/guardian: ")
    c.name(b, par, "full")
    b.add(" ", _PH(c.mobile), " ", _EM(_email(r, par)), "\n")
    if r.random() < 0.5:
        b.add(
            "Left venue with parent as passenger in vehicle ",
            _VEH(_plate(r, c.code)),
            " - advised no driving.\n",
        )
    b.add("\nRTS stage | date | outcome\n")
    d = inj
    rst = r.choice(("dmz", "md", "d_mon", "iso"))
    for st in range(1, r.randint(4, 6) + 1):
        d += timedelta(days=r.randint(1, 3))
        b.add(f"{st} | ")
        c.dt(b, d, rst)
        b.add(f" | {r.choice(('asymptomatic', 'mild headache after 20 min, repeat stage', 'completed'))}\n")
    b.add("\nMedically cleared for contact by Dr ")
    c.name(b, c.person(), r.choice(("full", "fam")))
    b.add(" on ")
    c.dt(b, d + timedelta(days=r.randint(1, 4)))
    b.add(". Next baseline test due pre-season.\n")


_RANKS = {
    "US": ("Col.", "Lt. Col.", "Maj.", "Capt.", "CDR"),
    "UK": ("Surg Cdr", "Lt Col", "Maj", "Wg Cdr"),
    "AU": ("COL", "LTCOL", "MAJ"),
    "CA": ("LCol", "Maj", "Capt(N)"),
}


@_kind("veterans_medical_board", locs=("US", "US", "AU", "CA", "UK"), ages=(40, 89, 0.4))
def _k_vets(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    hdr = {
        "US": "DEPARTMENT OF VETERANS AFFAIRS - COMPENSATION & PENSION MEDICAL BOARD SUMMARY",
        "AU": "DEPARTMENT OF VETERANS' AFFAIRS - MEDICAL IMPAIRMENT ASSESSMENT (GARP M)",
        "CA": "VETERANS AFFAIRS CANADA - DISABILITY BENEFITS MEDICAL BOARD",
        "UK": "VETERANS UK - WAR PENSIONS SCHEME MEDICAL BOARD",
    }[c.code]
    b.add(hdr, "\n\nVeteran: ")
    c.name(b, pt, r.choice(("REVU", "revmi", "REV")))
    b.add(
        f"\n{c.natid_label if c.code != 'AU' else c.plan_label}: ",
        _SSN(c.natid) if c.code != "AU" else _HP(c.plan),
        "   File no: ",
        _OID(_pat(r, {"US": "C %#######", "AU": "@X%#####", "CA": "%#######", "UK": "WP/%#####"}[c.code])),
        "   Service no: ",
        _OID(_pat(r, {"US": "%#######", "AU": "%#####", "CA": "@%#####", "UK": "%#######"}[c.code])),
        "\nDOB: ",
    )
    c.dt(b, c.dob)
    b.add(" (age ")
    c.age_txt(b, c.age, "bare")
    b.add(
        f")   Branch: {r.choice(('Army', 'Navy', 'Air Force', 'Marine Corps' if c.code == 'US' else 'Army'))}\n"
    )
    enl = date(c.dob.year + r.randint(17, 21), r.randint(1, 12), r.randint(1, 28))
    b.add("Service: ")
    c.dt(b, enl, ("month_y", "mm_yyyy", "d_mon_y", "mdy"))
    b.add(" to ")
    c.dt(
        b,
        date(enl.year + r.randint(2, 22), r.randint(1, 12), r.randint(1, 28)),
        ("month_y", "mm_yyyy", "d_mon_y"),
    )
    war = (
        "Korea"
        if c.dob.year < 1935
        else ("Vietnam" if c.dob.year < 1955 else r.choice(("Gulf", "Afghanistan", "Iraq", "Balkans")))
    )
    b.add(f" ({war})\nAddress: ")
    c.addr(b)
    b.add("   Tel ", _PH(c.phone), "\n\nBoard convened ")
    c.dt(b, c.today)
    b.add(f" at the regional medical centre.\nPresident: {r.choice(_RANKS[c.code])} ")
    c.name(b, c.person(), "full")
    b.add(f"; member: {r.choice(_RANKS[c.code])} ")
    c.name(b, c.person(), r.choice(("full", "init")), degree=r.choice((", MD", " MBBS", "")))
    b.add("; psychologist ")
    c.name(b, c.person(), "full", degree=", PhD")
    b.add("\nRepresentative: ")
    c.name(b, c.person(), "full")
    b.add(" (accredited representative no. ", _LIC(_pat(r, "%#####")), ")\n\n")
    b.add(
        "Claimed conditions: tinnitus (H93.13, DC 6260); bilateral SNHL (H90.3); PTSD (F43.10, DC 9411); "
        "lumbar DDD (M51.36).\nAudiometry: PTA R 58 dB, L 61 dB; Maryland CNC 72%/68%.\n"
    )
    b.add(
        f"Findings: service connection conceded for tinnitus (10%) and hearing loss; PTSD "
        f"{r.choice(('30%', '50%', '70%'))}. Combined rating per table.\n"
    )
    if r.random() < 0.5:
        b.add(
            "Automobile/adaptive equipment grant approved for vehicle VIN ",
            _VEH(_vin(r)),
            " (hand controls).\n",
        )
    b.add("Re-examination: ")
    c.dt(b, c.today + timedelta(days=r.randint(300, 800)), ("month_y", "d_mon_y", "mdy"))
    b.add(". Copy to veteran and representative.\n")


@_kind("school_absence_note", locs=("UK", "US", "AU", "IE", "CA", "ZA", "NG", "IN"), ages=(5, 16, 0.0))
def _k_school(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    par = c.relative(r.choice("FFM"), r.random() < 0.8)
    teacher = c.person()
    he = "he" if pt.sex == "M" else "she"
    b.add("[scanned handwritten note]\n\n")
    c.dt(b, c.today, ("dmy1", "mdy1", "d_month", "dm", "md"))
    b.add(f"\n\ndear {c.title(teacher).lower()} ")
    b.add(_N(teacher.family.lower() if r.random() < 0.4 else teacher.family))
    b.add(",\nplease can ")
    c.name(b, pt, r.choice(("given", "given", "full")))
    appt = c.today + timedelta(days=r.randint(1, 12))
    b.add(" be excused on ")
    c.dt(b, appt, ("month_ord", "d_month", "dm", "md"))
    b.add(f" (all day) as {he} has an appointment at {c.hosp} with dr ")
    b.add(_N(c.person().family.lower() if r.random() < 0.5 else c.person().family))
    b.add(f" (ent) about {'his' if he == 'he' else 'her'} ears again. ")
    b.add(
        f"{he} is in {r.choice(('year 4', 'yr 7', 'grade 3', 'class 5B', 'form 2'))}, student no ",
        _OID(_pat(r, r.choice(("%#####", "S%######", "%###-####")))),
        ". ",
    )
    b.add(
        "if u need me my number is ",
        _PH(c.mobile),
        " or ring my work ",
        _PH(c.ph()),
        " ext ",
        _PH(_pat(r, "%##")),
        ".\nthanks\n",
    )
    c.name(b, par, r.choice(("full", "given", "init")))
    b.add(f" ({'mum' if par.sex == 'F' else 'dad'})\n\n--- school office ---\nLogged by ")
    c.name(b, c.person(), r.choice(("full", "INITS")))
    b.add(" on ")
    c.dt(b, c.today + timedelta(days=r.randint(0, 2)), ("dmy", "mdy", "iso"))
    b.add(". Code M (medical) - authorised. Appointment letter seen:\n")
    b.add("  > Dear Parent/Guardian of ")
    c.name(b, pt, r.choice(("upper", "full", "REV")))
    b.add(", DOB ")
    c.dt(b, c.dob)
    if c.code in ("UK", "AU", "CA", "IE", "US"):
        lab, val = (c.plan_label, c.plan) if c.code in ("AU", "CA", "US") else (c.natid_label, c.natid)
        b.add(f", {lab} ", _HP(val) if c.code in ("AU", "CA", "US") else _SSN(val))
    b.add("\n  > Your child has an appointment on ")
    c.dt(b, appt, ("d_month_y", "month_d_y", "dmy"), wd=True)
    b.add(f" at 10:40, Paediatric ENT Clinic {r.randint(1, 9)}, level 2. Hospital no ", _MRN(c.mrn), ".\n")


@_kind("seating_clinic", ages=(8, 89, 0.12))
def _k_seating(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    b.add("WHEELCHAIR & POSTURAL SEATING SERVICE\nAssessment and prescription\n\n")
    b.add("Client: ")
    c.name(b, pt, r.choice(("full", "REV", "mid")))
    b.add("    DOB ")
    c.dt(b, c.dob)
    b.add("    Ref ", _MRN(c.mrn), "\nFunding: ", f"{c.plan_label} ", _HP(c.plan), "\nDelivery address: ")
    c.addr(b)
    b.add(" (ground floor, step-free)  Contact ", _PH(c.phone), "\n")
    b.add("Referrer: ")
    c.name(b, c.person(), "full")
    b.add(", community OT (", "HCPC " if c.code == "UK" else "reg. ", _LIC(_pat(r, "OT%####")), ")\n")
    dx = r.choice(("MS, EDSS 7.5", "cerebral palsy, GMFCS IV", "SCI T6 AIS A", "MND (ALS), ALSFRS-R 22"))
    b.add(f"Diagnosis: {dx}; weight {r.randint(38, 110)} kg; pressure risk Waterlow {r.randint(12, 24)}\n\n")
    b.add(
        f"Current chair: {r.choice(('Quickie Argon2', 'Invacare Action 3', 'Kuschall K-Series', 'Permobil M3'))} "
        "issued "
    )
    c.dt(b, c.days(-2500, -400), ("month_y", "dmy", "d_mon_y", "mm_yyyy"))
    b.add(
        ", frame serial ",
        _DEV(_serial(r, "wc")),
        f"; cushion Jay J3 (REF {_pat(r, '#####')}, lot {_pat(r, '@##%###')})\n",
    )
    b.add(
        f"Measurements (cm): hip width {r.randint(32, 48)}, thigh length L {r.randint(38, 50)} / R "
        f"{r.randint(38, 50)}, lower leg {r.randint(36, 48)}, sitting shoulder height {r.randint(48, 62)}; "
        f"pelvic obliquity {r.randint(0, 15)} deg\n\n"
    )
    b.add(
        "Prescription: powered chair with 30 deg tilt-in-space and elevating legrests; existing controller "
        "(serial ",
        _DEV(_serial(r, "pump").replace("H", "C")),
        ") to be transferred.\n",
    )
    if r.random() < 0.7:
        b.add(
            "Transport: travels seated in chair in a wheelchair-accessible vehicle, reg ",
            _VEH(_plate(r, c.code)),
            "; tie-downs ISO 7176-19 compliant.\n",
        )
    b.add("\nAssessed by ")
    c.name(b, c.person(), "full")
    b.add(" (clinical scientist, rehab engineering")
    if c.code in ("UK", "IE", "AU", "CA", "US"):
        b.add(", reg. ", _LIC(_pat(r, r.choice(("CS%####", "PHY%#########", "%######")))))
    b.add(") with ")
    c.name(b, c.person(), r.choice(("full", "given")))
    b.add(" (physio).\nReview: ")
    c.dt(b, c.today + timedelta(days=r.randint(60, 200)))
    b.add(". Repairs: approved repairer helpline ", _PH(c.ph()), ".\n")


@_kind("lab_instrument_export", ages=(0, 89, 0.12))
def _k_lab(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    host, sn = _ipv4(r), _serial(r, "an")
    an = r.choice(("cobas c 503", "Alinity ci", "Atellica CH 930", "DxC 700 AU", "Sysmex XN-1000"))
    tests = r.sample(
        (
            ("GLU", "2345-7", "mmol/L", 4.0, 11.0),
            ("K", "2823-3", "mmol/L", 3.2, 6.4),
            ("CREA", "2160-0", "umol/L", 50, 400),
            ("HGB", "718-7", "g/L", 70, 160),
            ("CRP", "1988-5", "mg/L", 1, 250),
            ("TSH", "3016-3", "mIU/L", 0.1, 9.0),
        ),
        r.randint(2, 3),
    )
    sid = _pat(r, r.choice(("%#########", "@%########", "%#-###-####")))
    ops = [_pat(r, r.choice(("E%####", "OP%###", "%#####"))) for _ in range(2)]
    t0 = c.today
    if r.random() < 0.5:
        b.add(f"# middleware export  analyzer={an!r} sn=", _DEV(sn), " host=", _IP(host), "  generated ")
        c.dt(b, t0, "iso")
        b.add(f"T{_time(r, '24s')}Z\n")
        b.add(
            '{"type":"PAT","pid":"',
            _MRN(c.mrn),
            '","name":"',
            _N(_nm(pt, r.choice(("caret", "REVU")))),
            '","dob":"',
            _D(_fd(c.dob, r.choice(("compact", "iso")))),
            f'","sex":"{pt.sex}","enc":"',
            _ACC(_acct(r)),
            f'","loc":"{r.choice(("ED", "AMU-3", "ICU", "OPD-12"))}"}}\n',
        )
        h0 = r.randint(0, 20)
        for k, (code, loinc, unit, lo, hi) in enumerate(tests):
            val = round(r.uniform(lo, hi), 1)
            ts = f"T{h0:02d}:{r.randint(10 * k, 10 * k + 9):02d}:{r.randint(0, 59):02d}Z"
            b.add(
                '{"type":"RES","ts":"',
                _D(_fd(t0, "iso")),
                f'{ts}","sid":"',
                _OID(sid),
                f'","test":"{code}","loinc":"{loinc}","value":{val},"unit":"{unit}",'
                f'"reagent_lot":"{_pat(r, "%####@")}","operator":"',
                _OID(ops[k % 2]),
                '","flag":"',
                "H" if val > hi * 0.8 else "N",
                '"}\n',
            )
    else:
        b.add(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Run Analyzer="{an}" Serial="',
            _DEV(sn),
            '" Host="',
            _IP(host),
            '" Date="',
            _D(_fd(t0, r.choice(("iso", "dmy", "mdy")))),
            '">\n  <Patient ID="',
            _MRN(c.mrn),
            '" Name="',
            _N(_nm(pt, r.choice(("REVU", "caret", "upper")))),
            '" DOB="',
            _D(_fd(c.dob, r.choice(("iso", "compact", "dmy")))),
            f'" Sex="{pt.sex}" Account="',
            _ACC(_acct(r)),
            '"/>\n',
        )
        for k, (code, loinc, unit, lo, hi) in enumerate(tests):
            val = round(r.uniform(lo, hi), 1)
            b.add(
                '  <Result SampleID="',
                _OID(sid),
                f'" Test="{code}" LOINC="{loinc}" Value="{val}" Unit="{unit}" '
                f'Lot="{_pat(r, "%####@")}" Time="{_time(r, "24s")}" Operator="',
                _OID(ops[k % 2]),
                '"/>\n',
            )
        b.add("  <Comment>Repeat K+ on new sample; phoned to ")
        c.name(b, c.person(), r.choice(("init", "full")))
        b.add(f" at {_time(r, '24')}, read back OK.</Comment>\n</Run>\n")


@_kind("health_questionnaire", ages=(20, 89, 0.12))
def _k_quest(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    up = r.random() < 0.6
    U = (lambda s: s.upper()) if up else (lambda s: s)
    b.add(f"{c.hosp.upper()}\nPRE-OPERATIVE HEALTH QUESTIONNAIRE (please complete in BLOCK CAPITALS)\n\n")
    b.add(
        "1. Surname  [ ",
        _N(U(pt.family)),
        " ]    Forename(s)  [ ",
        _N(U(f"{pt.given} {pt.middle}" if pt.middle else pt.given)),
        " ]\n",
    )
    b.add("2. Date of birth  [ ")
    if r.random() < 0.5:
        d = _fd(c.dob, r.choice(("dmy", "mdy")))
        b.add(_D(" ".join(d) if r.random() < 0.4 else d.replace("/", " / ")))
    else:
        c.dt(b, c.dob)
    b.add(
        " ]\n3. Address  [ ",
        _AD(U(c.a.street)),
        " ]  Town  [ ",
        _AD(U(c.a.city)),
        " ]  Postcode  [ ",
        _ZIP(c.a.zip),
        " ]\n4. Telephone  home [ ",
        _PH(c.phone),
        " ]  mobile [ ",
        _PH(c.mobile),
        " ]\n5. Email  [ ",
        _EM(c.email),
        " ]\n",
    )
    nok = c.relative(r.choice("MF"), r.random() < 0.7)
    b.add("6. Next of kin (name, relationship, phone)  [ ")
    b.add(_N(U(_nm(nok, r.choice(("given", "full"))))), U(f", {_relword(r, nok)}, "), _PH(c.ph()), " ]\n")
    b.add(f"7. {c.plan_label} / insurer number  [ ", _HP(c.plan), " ]\n")
    b.add("8. Do you look after anyone?  [x] Yes  [ ] No   If yes, who:  [ ")
    if r.random() < 0.6:
        b.add(U("my mother, she is "))
        c.age_txt(b, r.randint(86, 101), r.choice(("bare", "words")))
        b.add(U(" and lives with us"), " ]\n")
    else:
        b.add(U("my grandson "), _N(U(c.relative("M", r.random() < 0.5).given)), U(" after school"), " ]\n")
    b.add("9. Previous operations (with dates)  [ ", U("knee replacement "))
    c.dt(b, c.days(-3000, -400), ("month_y", "mon_y", "mm_yyyy"))
    b.add(U(f"; gallbladder {r.randint(1985, 2012)}; tonsils as a child"), " ]\n")
    b.add("10. Allergies  [ ", U(r.choice(("penicillin - rash", "none known", "codeine - vomiting"))), " ]\n")
    b.add(
        "11. Current medicines  [ ",
        U(f"metformin 500mg twice a day, ramipril {r.choice((2.5, 5, 10))}mg, inhaler 2 puffs"),
        " ]\n",
    )
    b.add(
        f"12. Height {r.randint(150, 190)} cm   Weight {r.randint(48, 120)} kg   Smoker [ ] Ex [x] Never [ ]\n"
    )
    b.add(
        "13. Anything else we should know?\n[ ",
        U("i get very anxious about needles. please could someone ring "),
    )
    b.add(
        _N(U(_nm(nok, "given"))),
        U(" the day before. my last op was at "),
        U(c.hosp),
        U(" and dr "),
        _N(U(c.person().family)),
        U(" said my heart was fine"),
        " ]\n\n",
    )
    b.add("Signed: ____________   Date: ")
    c.dt(b, c.today, ("dmy", "mdy", "d_mon_y"))
    b.add(
        "\n-- office use -- received by ",
        _N(_nm(c.person(), "INITS")),
        "  billing acct ",
        _ACC(_acct(r)),
        "\n",
    )
    if r.random() < 0.5:
        b.add(
            "Reminder sent with personal link ",
            _URL(
                f"https://preop.{r.choice(('myhealth', 'pac-online', 'preassess'))}.org/q/{_pat(r, '*' * 10)}"
            ),
            " (expires 14 days)\n",
        )


@_kind("clinician_chat_export", ages=(20, 89, 0.2))
def _k_chat(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    crew = [c.person() for _ in range(r.randint(3, 4))]
    handles = [
        _nm(p, r.choice(("full", "full", "given", "init"))) + r.choice(("", "", " (reg)", " SHO", " CNS"))
        for p in crew
    ]
    d = c.today
    wa = r.random() < 0.55
    if not wa:
        grp = r.choice(("Gen Med on call", "Surgical take", "Ward 7 docs", "Night team"))
        b.add(f'Teams chat export - "{grp}"\n')
        c.dt(b, d, ("d_month_y", "month_d_y", "d_mon_y"), wd=True)
        b.add("\n")
    msgs = []
    tt = f"{r.choice(('Mr', 'Mrs', 'Ms')) if r.random() < 0.7 else ''}"
    msgs.append(
        lambda: (
            b.add(f"morning all. bed {r.randint(1, 30)} {tt + ' ' if tt else ''}"),
            c.name(b, pt, r.choice(("fam", "full", "FAM"))),
            b.add(" (", _MRN(c.mrn), f") K {r.randint(55, 68) / 10} on repeat, ECG done, for insulin-dex"),
        )
    )
    msgs.append(
        lambda: (
            b.add("can someone ring the daughter "),
            c.name(b, c.relative("F", r.random() < 0.6), "given"),
            b.add(" on "),
            b.add(_PH(c.ph())),
            b.add(" re DNACPR discussion? she's expecting a call"),
        )
    )
    msgs.append(
        lambda: (
            b.add("I'm on bleep "),
            b.add(_PH(_pat(r, "%###"))),
            b.add(f" till {r.randint(5, 9)}pm, "),
            c.name(b, crew[-1], r.choice(("given", "full"))),
            b.add(" covering after that"),
        )
    )
    msgs.append(
        lambda: (
            b.add("FYI "),
            c.name(b, pt, "fam"),
            b.add(" is "),
            c.age_txt(b, c.age, "bare"),
            b.add(" today - ward got a cake. family visiting 2-4pm"),
        )
    )
    msgs.append(
        lambda: (
            b.add("CT head booked 14:30, radiographer "),
            c.name(b, c.person(), "given"),
            b.add(" says bring the drug chart"),
        )
    )
    msgs.append(
        lambda: (
            b.add("VPN keeps rejecting me - 'access denied from "),
            b.add(_IP(_ipv4(r))),
            b.add("' - IT ticket raised"),
        )
    )
    msgs.append(
        lambda: (
            b.add("updated handover list: "),
            b.add(
                _URL(
                    f"https://{r.choice(('nhs', 'trust', 'hospital'))}.sharepoint.com/:x:/r/sites/"
                    f"{r.choice(('genmed', 'surgery', 'ward7'))}/handover.xlsx?d=w"
                    f"{_pat(r, '*' * 16)}"
                )
            ),
        )
    )
    msgs.append(lambda: b.add("thanks 👍"))
    order = [0] + r.sample(range(1, len(msgs)), r.randint(3, 5))
    t = r.randint(7 * 3600, 9 * 3600)
    ios = r.random() < 0.5
    wst = r.choice(("dmy", "mdy1", "dmy2") if ios else ("dmy", "dmy2", "mdy2"))
    for k in order:
        t += r.randint(60, 3000)
        hh, mm, ss = t // 3600, (t // 60) % 60, t % 60
        who = handles[r.randrange(len(handles))]
        if wa:
            b.add("[" if ios else "")
            c.dt(b, d, wst)
            b.add(
                f", {hh:02d}:{mm:02d}:{ss:02d}] " if ios else f", {hh:02d}:{mm:02d} - ",
                _N(who.split(" (")[0].replace(" SHO", "").replace(" CNS", "")),
                ": ",
            )
        else:
            b.add(
                f"[{hh:02d}:{mm:02d}] ", _N(who.split(" (")[0].replace(" SHO", "").replace(" CNS", "")), ": "
            )
        msgs[k]()
        b.add("\n")


_BOARD_NOTES = (
    "NBM from 00:00 ?lap chole",
    "K+ 3.1 - replace",
    "side room - C.diff",
    "DNACPR in notes",
    "OT home visit Thurs",
    "falls risk - bed rails",
    "TTO ready, await transport",
    "NEWS 4 - r/v 2h",
    "IV abx day 3/7",
    "awaiting MRI",
    "POC - care package restart",
)


@_kind("whiteboard_photo", locs=("UK", "IE", "AU", "ZA", "NG", "UK"), ages=(45, 89, 0.3))
def _k_board(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    ward = r.choice(("Ward 7 (Acute Medicine)", "Harvey Ward", "Ward 22", "Jubilee Unit", "Nightingale Ward"))
    b.add(f"[Photo transcript - ward whiteboard, {ward}; image taken ")
    c.dt(b, c.today, ("dmy", "d_mon_y", "iso"))
    b.add(f" {_time(r, '24')} by ")
    c.name(b, c.person(), r.choice(("full", "given")))
    b.add("; '~' = illegible]\n\nBED | PATIENT | CONS | NURSE | EDD | NOTES\n")
    nurses = [c.person(sex=r.choice("FFM")) for _ in range(2)]
    cons = [c.person() for _ in range(3)]
    rows = r.randint(3, 5)
    prow = r.randrange(rows)
    bay = r.choice("ABCD")
    ptitle = c.title(pt)
    for k in range(rows):
        b.add(f"{bay}{k + 1} | ")
        if k != prow and r.random() < 0.25:
            b.add("~~~~ | ~ | ~ | ? | ~~~\n")
            continue
        p = pt if k == prow else c.person()
        if r.random() < 0.4:
            b.add((ptitle if p is pt else c.title(p)) + " ")
            b.add(_N(_nm(p, r.choice(("fam", "FAM")))))
        else:
            b.add(_N(_nm(p, r.choice(("famg", "FAM", "fam")))))
        b.add(" | ", _N(_nm(r.choice(cons), "INITS")), " | ", _N(r.choice(nurses).given), " | ")
        if r.random() < 0.7:
            c.dt(b, c.today + timedelta(days=r.randint(0, 6)), ("dm", "dmz", "d_mon"))
        else:
            b.add(r.choice(("TBC", "?", "MFFD")))
        b.add(f" | {r.choice(_BOARD_NOTES)}")
        if k == prow and c.age >= 85:
            b.add(" - turns ")
            c.age_txt(b, c.age, "bare")
            b.add(" today!! cake @ 3")
        b.add("\n")
    b.add("\nDR ON CALL: Dr ")
    c.name(b, c.person(), r.choice(("fam", "full")))
    b.add(" bleep ", _PH(_pat(r, "%###")), "\nPHONE MSGS: ")
    rel = c.relative(r.choice("MF"), r.random() < 0.6)
    b.add(
        f"{ptitle} ",
        _N(pt.family),
        f"'s {_relword(r, rel)} ",
        _N(rel.given),
        " ",
        _PH(c.ph()),
        " - pls call back re discharge\n",
    )
    b.add("Cardiac arrest / fire: 2222.  Infection control ext. ", _PH(_pat(r, "%###")), ".\n")


@_kind("advance_directive", locs=("US", "US", "UK", "CA", "AU", "IE"), ages=(55, 89, 0.35))
def _k_ad(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    us = c.code == "US"
    title = {
        "US": "ADVANCE HEALTH CARE DIRECTIVE AND DURABLE POWER OF ATTORNEY FOR HEALTH CARE",
        "UK": "ADVANCE DECISION TO REFUSE TREATMENT with LASTING POWER OF ATTORNEY (HEALTH AND WELFARE) DETAILS",
        "CA": "PERSONAL DIRECTIVE / POWER OF ATTORNEY FOR PERSONAL CARE",
        "AU": "ADVANCE CARE DIRECTIVE AND APPOINTMENT OF SUBSTITUTE DECISION-MAKER",
        "IE": "ADVANCE HEALTHCARE DIRECTIVE AND DESIGNATED HEALTHCARE REPRESENTATIVE",
    }[c.code]
    b.add(title, "\n\nI, ")
    c.name(b, pt, r.choice(("upper", "midfull", "full")))
    b.add(", born ")
    c.dt(b, c.dob, ("month_d_y", "d_month_y", "ord_of", "dmy"))
    if c.age >= 90 or r.random() < 0.3:
        b.add(" and now ")
        c.age_txt(b, c.age, r.choice(("years old", "words")))
    b.add(", of ")
    c.addr(b)
    b.add(", being of sound mind, make this directive voluntarily.\n\nPART 1 - AGENT / ATTORNEY\n  Name: ")
    ag = c.relative(r.choice("MF"), r.random() < 0.6)
    c.name(b, ag, "full")
    b.add(f"     Relationship: {_relword(r, ag)}\n  Address: ")
    c.addr(b, c.address() if r.random() < 0.7 else c.a)
    b.add("\n  Telephone: ", _PH(c.ph()), "     Email: ", _EM(_email(r, ag)), "\n  Alternate: ")
    alt = c.relative(r.choice("MF"), r.random() < 0.5)
    c.name(b, alt, "full")
    b.add(
        " (contact via agent)\n\nPART 2 - INSTRUCTIONS\n  [x] I do not want CPR if my heart stops.\n"
        "  [x] Trial of artificial nutrition for no more than 2 weeks.\n  [ ] I want all treatment to prolong life.\n"
        "  Other wishes: I would like to die at home if possible, with my dog Biscuit and my "
    )
    gsex = r.choice("MF")
    b.add("grandson " if gsex == "M" else "granddaughter ")
    c.name(b, c.relative(gsex, r.random() < 0.5), "given")
    b.add(
        " present.\n\nPART 3 - ORGAN DONATION: [x] any needed organs or tissue.\n\nPART 4 - PRIMARY PHYSICIAN\n  "
    )
    doc = c.doc(b, form="full")
    b.add(", ")
    c.addr(b, c.address(), street_only=True)
    b.add(
        ", tel ",
        _PH(c.ph()),
        ", licence ",
        _LIC(_pat(r, r.choice(("A%#####", "G%#####", "MED%#########")))),
        "\n\nSigned ",
    )
    c.dt(b, c.today, ("legal", "legal", "month_d_y", "ord_of"))
    b.add(" at ", _AD(c.a.city), ".    ______________________\n\nWITNESSES\n")
    for k in range(2):
        b.add(f"  {k + 1}. ")
        c.name(b, c.person(), "full")
        b.add(", ")
        b.add(_AD(c.address().street) if r.random() < 0.5 else "(address on file)", "\n")
    if us:
        b.add("\nNOTARY ACKNOWLEDGMENT\nState of ", c.a.region, "\nOn ")
        c.dt(b, c.today, ("month_d_y", "mdy"))
        b.add(" before me, ")
        c.name(b, c.person(), "full")
        b.add(", Notary Public, personally appeared ")
        c.name(b, pt, "full")
        b.add(
            ", proved to me on the basis of satisfactory evidence (driver license ",
            _LIC(_dl(r, "US")),
            ").\nCommission No. ",
            _LIC(_pat(r, "%######")),
            "   My commission expires ",
        )
        c.dt(b, c.today + timedelta(days=r.randint(200, 1400)), ("mdy", "month_d_y"))
        b.add(".\n")
    elif c.code == "UK":
        b.add(
            "\nLPA registered with the Office of the Public Guardian, ref ",
            _OID(_pat(r, "7000-####-####")),
            ", registered ",
        )
        c.dt(b, c.days(-900, -60), ("d_month_y", "dmy"))
        b.add("; certificate provider ")
        c.name(b, c.person(), "full")
        b.add(".\n")
    else:
        b.add("\nCopy held by GP and by the agent. Registered copy no. ", _OID(_pat(r, "AD-%######")), ".\n")


_SUPPLIERS = (
    "Air Liquide Healthcare",
    "BOC Healthcare",
    "Dolby Vivisol",
    "Apria",
    "Lincare",
    "Linde Homecare",
)


@_kind("home_oxygen_order", locs=("UK", "UK", "US", "US", "IE", "AU"), ages=(50, 89, 0.25))
def _k_oxygen(c: _Ctx, b: _B) -> None:
    r, pt = c.r, c.pt
    sup = r.choice(_SUPPLIERS)
    if c.code == "US":
        b.add(
            "CERTIFICATE OF MEDICAL NECESSITY  CMS-484 - OXYGEN\nSECTION A   Certification type: INITIAL   "
            "Initial date: "
        )
        c.dt(b, c.today, ("mdy", "mdy1"))
        b.add("\nPATIENT NAME, ADDRESS, TELEPHONE and MBI:\n  ")
        c.name(b, pt, r.choice(("REVU", "upper", "full")))
        b.add("\n  ")
        c.addr(b, upper=r.random() < 0.5)
        b.add("\n  ", _PH(c.phone), "   MBI ", _HP(_pat(r, "%@@%-@@%-@@##")), "\n")
        b.add(f"SUPPLIER NAME, ADDRESS, TELEPHONE and NPI:\n  {sup}, ")
        c.addr(b, c.address())
        b.add(", ", _PH(c.ph()), ", NPI ", _OID(_npi(r)), "\n")
        b.add("PLACE OF SERVICE: 12   HCPCS: E1390, E0431   PT DOB ")
        c.dt(b, c.dob, ("mdy", "mdy1"))
        b.add(f"   Sex {pt.sex}   HT {r.randint(58, 76)} in   WT {r.randint(110, 260)} lbs\n")
        b.add("PHYSICIAN NAME, ADDRESS, TELEPHONE and NPI:\n  ")
        doc = c.doc(b, form="full")
        b.add(", ")
        c.addr(b, c.address())
        b.add(", ", _PH(c.ph()), ", NPI ", _OID(_npi(r)), "\n")
        b.add(
            f"SECTION B\n 1a) arterial PO2 {r.randint(48, 55)} mmHg / SpO2 {r.randint(84, 88)}%   1b) test date "
        )
        c.dt(b, c.today - timedelta(days=r.randint(1, 20)), ("mdy", "mdy2"))
        b.add(
            f"\n 3) LPM {r.choice((1, 2, 3))}   4) portable: Y   5) test at rest on room air\n"
            "SECTION D  Physician signature ______  Date "
        )
        c.dt(b, c.today, ("mdy", "mdy1"))
        b.add(
            "\nOrder/claim no. ",
            _ACC(_claim(r)),
            "; concentrator serial ",
            _DEV(_serial(r, "conc")),
            " delivered and set up.\n",
        )
        return
    b.add(
        "HOME OXYGEN ORDER FORM (HOOF) - PART B      Order ref ",
        _OID(_pat(r, "HOOF-%######")),
        f"\nSupplier: {sup}   Supplier fax: ",
        _FX(c.ph()),
        "\n\nPATIENT\n  Surname: ",
        _N(pt.family.upper()),
        "   Forename: ",
        _N(pt.given),
        f"   Title: {c.title(pt)}\n  DOB: ",
    )
    c.dt(b, c.dob)
    b.add(f"   {c.natid_label}: ", _SSN(c.natid), "\n  Address: ")
    c.addr(b)
    b.add("\n  Tel: ", _PH(c.phone), "   Mobile: ", _PH(c.mobile), "\n  Key contact / carer: ")
    car = c.relative(r.choice("MF"), r.random() < 0.6)
    c.name(b, car, "full")
    b.add(f" ({_relword(r, car)}) ", _PH(c.ph()), "\n  GP: ")
    c.doc(b, form=r.choice(("full", "init")))
    b.add(", practice tel ", _PH(c.ph()) if r.random() < 0.5 else "on file", "\n\nCLINICAL\n")
    b.add(
        f"  Diagnosis: COPD (J44.9); resting SpO2 {r.randint(85, 88)}% on air; PaO2 {r.randint(60, 73) / 10} kPa\n"
        f"  LTOT {r.choice((1, 2, 3))} L/min >= 15 h/day via nasal cannula; ambulatory {r.choice((2, 4))} L/min "
        "portable cylinders (CD)\n  Smoker in household: No. E-cigarettes: No.\n  Home fire safety check: consent "
        "given to share details with fire and rescue service (form signed "
    )
    c.dt(b, c.today, ("dmy", "dmy2"))
    b.add(
        ").\n\nEQUIPMENT\n  Concentrator serial ",
        _DEV(_serial(r, "conc")),
        "; backup cylinder ",
        _DEV(_serial(r, "cyl")),
        "\n  Delivery: standard (3 working days) - by ",
    )
    c.dt(b, c.today + timedelta(days=r.randint(2, 5)), ("dmy", "d_mon", "dm"))
    b.add("\n\nPRESCRIBER\n  ")
    doc = c.doc(b, form="full")
    b.add(
        f", respiratory physician, {c.hosp}\n  ",
        "GMC " if c.code == "UK" else "Reg. no. ",
        _LIC(_pat(r, "%######" if c.code != "AU" else "MED%##########")),
        "   Tel ",
        _PH(c.ph()),
        "   Fax ",
        _FX(c.ph()),
        "\n  Email ",
        _EM(_work_email(r, doc, c.L.maildom)),
        "\n  Signature ______  Date ",
    )
    c.dt(b, c.today, ("dmy", "dmy2"))
    b.add("\n")


# ---- end of note kinds ----


# ------------------------------------------------------------------------------------------------------------------
# public API, self-check, demo


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    notes = []
    for i in range(n):
        r = random.Random(f"alt7:{seed}:{i}")
        name, fn, locs, ages = _KINDS[(i + seed) % len(_KINDS)]
        c = _Ctx(r, r.choice(locs), ages)
        b = _B()
        fn(c, b)  # type: ignore[operator]
        notes.append(AltNote(b.text(), tuple(b.spans), c.record()))
    return notes


def _age_value(s: str) -> int:
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    for n in range(90, 130):
        if _words(n) == s:
            return n
    raise ValueError(s)


def _norm(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def _mentions_patient(nt: AltNote) -> bool:
    given, family = nt.patient.names[0].split(" ", 1)
    keys = {_norm(family), _norm(given)}
    for sp in nt.spans:
        if sp.category == "NAME":
            t = _norm(nt.text[sp.start : sp.end])
            if any(k and len(k) >= 2 and k in t for k in keys):
                return True
    return False


def check(notes: list[AltNote]) -> None:
    assert notes, "no notes"
    named = 0
    for k, nt in enumerate(notes):
        prev = -1
        for sp in sorted(nt.spans, key=lambda s: (s.start, s.end)):
            assert sp.category in CATEGORIES, (k, sp)
            assert 0 <= sp.start < sp.end <= len(nt.text), (k, sp)
            assert sp.start >= prev, f"overlap in note {k}: {sp}"
            prev = sp.end
            s = nt.text[sp.start : sp.end]
            assert s == s.strip() and s, (k, s)
            if sp.category == "AGE_OVER_89":
                assert _age_value(s) >= 90, (k, s)
        assert nt.patient.names and nt.patient.mrns and nt.patient.addresses
        named += _mentions_patient(nt)
    assert named >= 0.4 * len(notes), f"only {named}/{len(notes)} notes name the patient"
    assert generate(20, 3) == generate(20, 3), "not deterministic"


def main() -> int:
    notes = generate()
    for nt in notes[:2]:
        print(nt.text)
        print("--- spans:")
        for sp in nt.spans:
            print(f"  {sp.category:12} {nt.text[sp.start : sp.end]!r}")
        print("=" * 100)
    counts = {c: 0 for c in CATEGORIES}
    for nt in notes:
        for sp in nt.spans:
            counts[sp.category] += 1
    print(f"{len(notes)} notes, {sum(counts.values())} spans")
    for c in CATEGORIES:
        print(f"  {c:12} {counts[c]}")
    check(notes)
    print("self-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
