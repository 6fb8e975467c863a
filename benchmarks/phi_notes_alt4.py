"""A fourth blind PHI note set ("alt4") for the de-identification benchmark.

Written without looking at the scrubber or at the earlier note sets, from the interface alone.
The notes are in English, but the people, places and identifier formats come from locales the
earlier sets did not emphasise: India (Hindi, Tamil, Bengali), China (Mandarin and Cantonese
romanisation, both name orders), Japan, Korea, Viet Nam, the Philippines, Nigeria (Yoruba, Igbo),
Ghana, Ethiopia, the Gulf, Iran (diaspora), Brazil, Mexico, Russia, Ukraine, Greece, Hungary, the
Netherlands, Hawaiʻi and Samoa, Aotearoa (Māori), Indigenous Australia, plus English names that
are also common words (Hope, Faith, King, Rose, Lee, Young, Bird, May, June) and surnames that
are also eponyms (Parkinson, Foley, Graves, Bell, Murphy, Addison, Cushing).

Note kinds (none of them used by the earlier sets): radiology request + addendum, psychiatric
assessment, antenatal booking, well-child visit, oncology MDT summary, dental/maxillofacial
clinic, teledermatology consult, hospice family meeting, ambulance PCR (NEMSIS-like), lab
critical-value call log, clinical-trial screening log, HL7 v2 fragment, clinician e-mail thread,
free-text problem list, ASR dictation transcript (lowercase, spelled-out numbers), occupational
health / custody (forensic) assessment, immunisation record, genetic-counselling pedigree,
CPAP / home-device download report.

Span conventions (gold spans are recorded by the builder when the text is inserted):
  * titles (Dr, Mrs, Prof, Sister, Ato, W/ro, Aunty, Lola, Chief, Father ...), honorific suffixes
    (-san) and degrees (MD, RN, FRCR ...) are outside NAME spans; a name written "FAMILY, Given"
    is one span; HL7 name components (FAMILY^GIVEN^M) are one span each;
  * bare years and ages below 90 are not PHI; for ages over 89 only the number is marked
    (also when spelled out in a dictation: "ninety two");
  * each street line, each locality (suburb, district, ward, city) and the postal code are
    separate spans (ADDRESS ... ZIP); states, provinces, prefectures and countries are not PHI;
    any street address is marked, whoever it belongs to (patient, relative, GP practice, scene);
    P.O. Box lines are ADDRESS, GhanaPost digital addresses (GA-183-8164) are ZIP;
  * every date is DATE whatever its format, partial dates ("March 3", "3/14", "12.03.") and a
    month named alone ("since June") included; a time next to a date stays outside the span,
    except in HL7 timestamps (20240312143200), which are one DATE span; weekdays and relative
    dates ("yesterday", "POD 2") are not PHI;
  * pagers, bleeps and extensions are PHONE; fax numbers are FAX;
  * SSN = national identity / social-security numbers (US SSN, Aadhaar, CPF, CURP, RRN, SIN,
    BSN, SNILS, AMKA, NIN, Ghana Card, Emirates ID ...); HEALTH_PLAN = insurance / health-cover
    numbers (Medicare, Medicaid, OHIP, PhilHealth, CNS, OMS, TAJ, NHIS, ABHA ...); MRN = hospital
    numbers and national patient indexes used as record numbers (NHS number, NZ NHI);
    ACCOUNT = billing / encounter / financial numbers; LICENSE = driving licences and
    professional registrations (GMC, AHPRA, MCNZ, BIG, DEA, CRM, EMS certification);
    OTHER_ID = accession, specimen, sample and family numbers, passport numbers, employee numbers,
    trial screening numbers, incident / PCR numbers, custody records and seal numbers, officers'
    badge numbers, provider NPIs, immunisation-registry IDs, dictation job numbers;
  * ASR dictations: lowercase names (also split by recognition errors, "so kolova"), spelled-out
    dates, record numbers and phone numbers are marked over the words that carry them;
  * not PHI (precision traps): vaccine lot numbers, catalogue (REF) numbers, NCT / EudraCT and
    protocol numbers, site numbers, HL7 message-control IDs, image file numbers, pedigree positions
    (III-2), FDI tooth numbers, HGVS variants, public helplines (988, Lifeline 13 11 14), hospital,
    ward, business and unit names, weekdays, eponyms (Parkinson disease, Foley catheter, Bell palsy,
    Graves disease, Lee-White, Glasgow / Manchester / Edinburgh / Amsterdam scores and criteria)
    and capitalised common words that are also names here ("Hope that helps.", "May be worth").

The patient's record (AltPatient) holds the names as recorded ("Given [Middle] Family", the
natural order, the short form, a nickname), hospital numbers, address pieces, phones, e-mail and
the other identifiers, including those minted in a note (driving licence, plate, VIN, device
serials, passport, employee number).  Run this file to print two notes, the count per category
and the self-checks (spans exact and non-overlapping, the patient's name in >= 40% of notes,
determinism).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# ----------------------------------------------------------------------------- interface


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

# ----------------------------------------------------------------------------- builder

Part = Any  # str (plain text) | tuple[str, str] (PHI text, category) | list of parts


class _Doc:
    """Accumulates text; every PHI piece records its own span when it is inserted."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.spans: list[AltSpan] = []
        self.pos = 0

    def add(self, *parts: Part) -> None:
        for p in parts:
            if isinstance(p, str):
                if p.startswith(".") and self.chunks and self.chunks[-1].endswith("."):
                    p = p[1:]  # "2021. 09. 04." + ". " -> one full stop
                self.chunks.append(p)
                self.pos += len(p)
            elif isinstance(p, tuple):
                text, cat = p
                if cat not in CATEGORIES:
                    raise ValueError(f"unknown category {cat!r}")
                if not text or text != text.strip():
                    raise ValueError(f"bad PHI text {text!r}")
                self.spans.append(AltSpan(self.pos, self.pos + len(text), cat))
                self.chunks.append(text)
                self.pos += len(text)
            else:
                self.add(*p)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


_DIG = "0123456789"
_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VIN = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _pat(rng: random.Random, pattern: str) -> str:
    """# digit, ~ non-zero digit, ^ capital letter, % VIN character; anything else literal."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(rng.choice(_DIG))
        elif ch == "~":
            out.append(rng.choice(_DIG[1:]))
        elif ch == "^":
            out.append(rng.choice(_UP))
        elif ch == "%":
            out.append(rng.choice(_VIN))
        else:
            out.append(ch)
    return "".join(out)


def _sp(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split(",") if x.strip())


def _fold(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D").replace("ʻ", "").replace("'", "")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ----------------------------------------------------------------------------- people


@dataclass(frozen=True)
class _Origin:
    m: tuple[str, ...]
    f: tuple[str, ...]
    fam: tuple[str, ...]  # "Masc|Fem" where the surname is gendered
    homes: tuple[str, ...]  # residence countries, weighted by repetition
    fam_first: float = 0.0  # probability that the natural order is "Family Given"
    call_given: bool = False  # addressed as title + given name (Ato Abebe, Ms Lan)
    keeps_name: bool = False  # a wife keeps her own family name


_ORIG: dict[str, _Origin] = {
    "hi": _Origin(
        _sp("Ravi, Arjun, Vikram, Rahul, Sandeep, Amit, Suresh, Rajesh, Mohit, Anil, Dev, Prem"),
        _sp("Priya, Anjali, Sunita, Kavita, Pooja, Neha, Meera, Asha, Deepa, Rekha, Sita, Kiran"),
        _sp("Sharma, Verma, Gupta, Singh, Yadav, Agarwal, Chauhan, Mishra, Tiwari, Joshi, Saxena"),
        ("IN",) * 6 + ("UK", "UK", "US", "CA", "AU"),
    ),
    "ta": _Origin(
        _sp("Karthik, Senthil, Murugan, Arun, Balaji, Saravanan, Vignesh, Ganesh, Prakash"),
        _sp("Lakshmi, Kavya, Meenakshi, Divya, Revathi, Tamilselvi, Anitha, Selvi, Vani"),
        _sp("Subramanian, Ramasamy, Krishnan, Venkatesan, Natarajan, Pillai, Iyer, Annamalai, Raman"),
        ("IN",) * 5 + ("UK", "US", "AU", "CA"),
    ),
    "bn": _Origin(
        _sp("Arnab, Sourav, Debashis, Abhijit, Subhash, Partha, Anirban, Tapan"),
        _sp("Rupa, Moumita, Sharmila, Tanushree, Ishita, Mou, Rina, Joya"),
        _sp("Chatterjee, Banerjee, Mukherjee, Bose, Ghosh, Das, Sen, Dutta, Chakraborty, Roy"),
        ("IN",) * 5 + ("UK", "UK", "US"),
    ),
    "zh": _Origin(
        _sp("Wei, Jun, Lei, Hao, Zhiwei, Xiaoming, Mingyu, Jianguo, Haoran, Bo"),
        _sp("Xiuying, Fang, Yan, Jing, Li Na, Xiaomei, Yuqing, Meiling, Hui, Lan"),
        _sp("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo, Lin, He"),
        ("CN",) * 5 + ("US", "CA", "AU", "UK"),
        fam_first=0.7,
        keeps_name=True,
    ),
    "yue": _Origin(
        _sp("Tai Man, Ka Ho, Chi Keung, Wing Kin, Siu Ming, Kwok Wai"),
        _sp("Ka Yan, Wing Sze, Mei Ling, Siu Wai, Hoi Yan, Suk Fan"),
        _sp("Chan, Wong, Leung, Cheung, Lau, Ho, Ng, Yip, Tsang, Lam, Chow, Kwok"),
        ("CA", "CA", "UK", "AU", "US", "NZ"),
        fam_first=0.6,
        keeps_name=True,
    ),
    "ja": _Origin(
        _sp("Hiroshi, Takeshi, Kenji, Haruto, Yuto, Daiki, Shota, Kazuo, Akira, Makoto"),
        _sp("Yuki, Sakura, Aiko, Haruka, Yumiko, Keiko, Emi, Hana, Midori, Chiyo"),
        _sp(
            "Tanaka, Suzuki, Takahashi, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Sato, Kato,"
            " Yoshida, Yamada, Sasaki, Matsumoto, Inoue, Kimura, Hayashi, Shimizu, Mori, Ono"
        ),
        ("JP",) * 6 + ("HI", "HI", "US"),
        fam_first=0.4,
    ),
    "ko": _Origin(
        _sp("Min-jun, Ji-hoon, Hyun-woo, Dong-hyun, Jae-won, Young-ho, Sung-min, Joon-ho"),
        _sp("Seo-yeon, Ji-woo, Soo-jin, Eun-ji, Ha-eun, Mi-young, Hye-jin, Young-hee"),
        _sp("Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Oh, Seo, Shin, Kwon, Moon, Yoo"),
        ("KR",) * 5 + ("US", "US", "CA"),
        fam_first=0.75,
        keeps_name=True,
    ),
    "vi": _Origin(
        _sp("Hùng, Dũng, Tuấn, Minh, Long, Huy, Nam, Phúc, Bảo, Quang"),
        _sp("Lan, Hoa, Hương, Linh, Mai, Phương, Thảo, Ngọc, Trang, Hạnh"),
        _sp("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ"),
        ("VN",) * 4 + ("US", "US", "AU", "AU", "CA"),
        fam_first=0.85,
        call_given=True,
        keeps_name=True,
    ),
    "tl": _Origin(
        _sp("Jose, Juan, Mark Anthony, John Paul, Rodrigo, Ramon, Jericho, Emmanuel, Danilo, Rommel"),
        _sp("Maria Luz, Ma. Cristina, Joy, Princess, Lovely, Cherry, Rosalinda, Marivic, Jennylyn, Divina"),
        _sp(
            "Dela Cruz, Santos, Reyes, Bautista, Garcia, Mendoza, Villanueva, Ramos, Aquino, Castillo,"
            " Macaraeg, Dimaculangan, Manalo, Pascual"
        ),
        ("PH",) * 5 + ("US", "HI", "CA", "UK", "AE"),
    ),
    "yo": _Origin(
        _sp("Oluwaseun, Adebayo, Olumide, Babatunde, Ayodele, Femi, Tunde, Kayode, Godswill"),
        _sp("Folasade, Funmilayo, Temitope, Oluwakemi, Yetunde, Bisi, Blessing, Favour, Precious, Comfort"),
        _sp("Adeyemi, Ogunleye, Adebayo, Olawale, Akinola, Ogundipe, Afolabi, Balogun, Oyelaran, Adewale"),
        ("NG",) * 5 + ("UK", "UK", "US"),
    ),
    "ig": _Origin(
        _sp("Chukwuemeka, Obinna, Nnamdi, Uchenna, Ikechukwu, Emeka, Chinedu, Kelechi"),
        _sp("Chiamaka, Ngozi, Ifeoma, Chidinma, Adaeze, Nneka, Amarachi, Ebere, Patience"),
        _sp("Okafor, Eze, Nwosu, Okonkwo, Obi, Nwachukwu, Okeke, Onyeka, Chukwu, Okoro, Anyanwu"),
        ("NG",) * 5 + ("UK", "US", "CA"),
    ),
    "ak": _Origin(
        _sp("Kwame, Kofi, Kwabena, Kwaku, Yaw, Kojo, Kwesi, Kwadwo"),
        _sp("Akosua, Ama, Abena, Afua, Efua, Adwoa, Yaa, Akua, Esi"),
        _sp("Mensah, Owusu, Boateng, Asante, Osei, Agyeman, Appiah, Darko, Amoah, Acheampong, Ofori, Quaye"),
        ("GH",) * 5 + ("UK", "UK", "US", "NL"),
    ),
    "am": _Origin(
        _sp("Abebe, Tesfaye, Dawit, Yohannes, Mulugeta, Girma, Bekele, Haile, Tadesse, Alemu, Kebede"),
        _sp("Tigist, Selamawit, Meseret, Hirut, Almaz, Bethlehem, Tsion, Kidist, Hana, Genet, Mahlet"),
        (),  # the second name is the father's given name
        ("ET",) * 4 + ("US", "US", "CA", "UK"),
        call_given=True,
        keeps_name=True,
    ),
    "ar": _Origin(
        _sp("Ahmed, Mohammed, Omar, Khalid, Abdullah, Faisal, Yousef, Hamza, Tariq, Saeed, Rashid"),
        _sp("Fatima, Aisha, Noura, Maryam, Layla, Huda, Reem, Amal, Salma, Hessa, Mariam"),
        _sp(
            "Al-Harbi, Al-Qahtani, al-Zahrani, Al Mansoori, Haddad, Khoury, Nasser, Al-Otaibi,"
            " El-Sayed, Abu-Zeid, Al Shamsi, Al-Khatib"
        ),
        ("AE", "AE", "AE", "SA", "SA", "SA", "UK", "US", "CA"),
        keeps_name=True,
    ),
    "fa": _Origin(
        _sp("Reza, Ali, Mohammadreza, Amir, Dariush, Babak, Kourosh, Mehdi, Hossein"),
        _sp("Shirin, Maryam, Parisa, Nasrin, Leila, Roya, Golnaz, Azadeh, Mahsa, Nazanin"),
        _sp(
            "Ahmadi, Hosseini, Karimi, Rezaei, Moradi, Mohammadi, Jafari, Tehrani, Kazemi, Rahimi,"
            " Sadeghi, Ghorbani, Esfahani"
        ),
        ("CA", "CA", "US", "US", "UK", "AU", "NL"),
        keeps_name=True,
    ),
    "pt": _Origin(
        _sp("João, José, Lucas, Gabriel, Rafael, Thiago, Francisco, Antônio, João Pedro, Luiz Carlos"),
        _sp("Ana Paula, Maria Eduarda, Fernanda, Juliana, Luana, Beatriz, Camila, Conceição, Aparecida"),
        _sp(
            "da Silva, Santos, Oliveira, Souza, Pereira, Lima, Carvalho, Ferreira, Rodrigues, Almeida,"
            " Nascimento, dos Santos, Costa, Araújo"
        ),
        ("BR",) * 7 + ("US", "UK"),
    ),
    "mx": _Origin(
        _sp("José Luis, Juan Carlos, Miguel Ángel, Jesús, Francisco Javier, Alejandro, Ramón"),
        _sp(
            "María Guadalupe, Ma. del Carmen, Rosa María, Verónica, Alejandra, Leticia, Dolores,"
            " Socorro, Esperanza, Luz"
        ),
        _sp(
            "Hernández, García, Martínez, López, González, Rodríguez, Pérez, Sánchez, Ramírez,"
            " Flores, Cruz, Gómez, Morales, Vázquez, Reyes, Jiménez, Torres, Ruiz"
        ),
        ("MX",) * 4 + ("US", "US", "US"),
        keeps_name=True,
    ),
    "ru": _Origin(
        _sp("Ivan, Dmitry, Sergei, Alexei, Nikolai, Vladimir, Pavel, Mikhail"),
        _sp("Olga, Tatiana, Natalia, Svetlana, Irina, Yulia, Lyudmila, Nadezhda, Vera, Lyubov"),
        _sp(
            "Ivanov|Ivanova, Petrov|Petrova, Smirnov|Smirnova, Kuznetsov|Kuznetsova, Popov|Popova,"
            " Sokolov|Sokolova, Volkov|Volkova, Morozov|Morozova, Belov|Belova"
        ),
        ("RU",) * 5 + ("US", "CA", "NL"),
    ),
    "uk": _Origin(
        _sp("Mykola, Oleksandr, Andriy, Taras, Petro, Bohdan, Yurii, Vasyl"),
        _sp("Olena, Oksana, Nataliia, Iryna, Halyna, Khrystyna, Nadiia, Solomiia"),
        _sp("Shevchenko, Kovalenko, Bondarenko, Tkachenko, Melnyk, Kravchuk, Boyko, Koval, Hnatiuk, Lysenko"),
        ("UA",) * 5 + ("CA", "UK", "NL", "HU"),
    ),
    "el": _Origin(
        _sp("Georgios, Dimitrios, Konstantinos, Ioannis, Nikolaos, Panagiotis, Christos, Vasileios"),
        _sp("Eleni, Maria, Aikaterini, Vasiliki, Sofia, Georgia, Despoina, Angeliki, Eirini"),
        _sp(
            "Papadopoulos|Papadopoulou, Georgiou, Nikolaidis|Nikolaidou, Konstantinidis|Konstantinidou,"
            " Pappas|Pappa, Oikonomou, Vlachos|Vlachou, Karagiannis|Karagianni, Antoniou, Dimitriou"
        ),
        ("GR",) * 6 + ("AU", "AU", "US"),
    ),
    "hu": _Origin(
        _sp("László, István, Zoltán, Gábor, Attila, Péter, Ferenc, Tibor"),
        _sp("Zsófia, Katalin, Erzsébet, Ildikó, Éva, Anna, Eszter, Krisztina, Réka, Ilona"),
        _sp(
            "Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh, Farkas, Balogh, Papp,"
            " Takács, Juhász, Lakatos"
        ),
        ("HU",) * 7 + ("CA", "UK"),
        fam_first=0.7,
    ),
    "nl": _Origin(
        _sp("Jan, Pieter, Daan, Sem, Bram, Joost, Willem, Kees, Henk, Ruud"),
        _sp("Sanne, Femke, Lotte, Anouk, Ingrid, Marieke, Fleur, Joke, Roos, Lieke, Saskia"),
        _sp(
            "de Vries, van der Berg, van Dijk, Bakker, Janssen, Visser, Smit, de Jong, van den Heuvel,"
            " van Leeuwen, de Boer, Mulder, Bos, Vos, van 't Hof, ter Horst, Meijer, de Wit"
        ),
        ("NL",) * 7 + ("CA", "AU", "NZ"),
    ),
    "haw": _Origin(
        _sp("Keoni, Kainoa, Makoa, Kaleo, Kalani, Ikaika, Kekoa, Nohea"),
        _sp("Leilani, Malia, Noelani, Pua, Mele, Kaʻiulani, Healani, Nalani"),
        _sp("Kahananui, Kealoha, Kamakana, Akana, Kalama, Kahale, Kaʻaihue, Keawe, Nāone, Kamaka"),
        ("HI",),
    ),
    "sm": _Origin(
        _sp("Sione, Tavita, Siaosi, Ioane, Fetu, Malu, Tasi, Pita"),
        _sp("Losa, Sina, Lupe, Mele, Salote, Fetu, Talia, Malia"),
        _sp("Faleolo, Tuiasosopo, Leota, Fuimaono, Sapolu, Tauiliili, Aumua, Soliai, Lauina"),
        ("WS", "WS", "WS", "NZ", "NZ", "HI", "AU"),
    ),
    "mi": _Origin(
        _sp("Wiremu, Hemi, Rawiri, Tama, Manaia, Nikau, Kahu, Tipene, Hōhepa"),
        _sp("Aroha, Mere, Hine, Kiri, Ngaio, Awhina, Moana, Tui, Huia, Mereana"),
        _sp(
            "Ngata, Tipene, Te Whata, Parata, Walker, Tamihana, Poutama, Te Rangi, Rewi, Tawhiri,"
            " Horomona, Paki, Waaka, Hohaia"
        ),
        ("NZ",) * 6 + ("AU",),
    ),
    "ai": _Origin(
        _sp("Jarrah, Warrick, Yarran, Bunji, Jimmy, Clinton, Lionel, Djalu"),
        _sp("Kirra, Jedda, Yindi, Marlee, Dawn, Faith, Joy, Hope, Lowanna, Alinta"),
        _sp(
            "Namatjira, Yunupingu, Wanganeen, Mundine, Marika, Gumana, Bird, King, Hope, Young, Rose,"
            " Brown, Bishop, Wunungmurra"
        ),
        ("AU",),
    ),
    "en": _Origin(
        _sp("Will, Robin, Hunter, Art, Bill, Frank, Earl, Miles, Drew, Chase, Ray, Sunny, Jack"),
        _sp("Hope, Faith, Joy, Grace, Rose, Dawn, June, April, May, Ivy, Holly, Mercy, Summer, Sky"),
        _sp(
            "King, Lee, Young, Bird, Rose, Hope, Love, Bishop, Cook, Baker, Brown, Green, White, Black,"
            " Snow, Frost, Wood, Hill, Marsh, Banks, Church, Day, Little, Long, Strong, Wise, Fox,"
            " Lamb, Page, Mason, Bell, Parkinson, Foley, Graves, Murphy, Addison, Cushing"
        ),
        ("US", "US", "UK", "UK", "AU", "CA", "NZ"),
    ),
}

_PATRONYMIC = {
    "Ivan": ("Ivanovich", "Ivanovna"),
    "Dmitry": ("Dmitrievich", "Dmitrievna"),
    "Sergei": ("Sergeyevich", "Sergeyevna"),
    "Alexei": ("Alexeyevich", "Alexeyevna"),
    "Nikolai": ("Nikolayevich", "Nikolayevna"),
    "Vladimir": ("Vladimirovich", "Vladimirovna"),
    "Pavel": ("Pavlovich", "Pavlovna"),
    "Mikhail": ("Mikhailovich", "Mikhailovna"),
    "Mykola": ("Mykolaiovych", "Mykolaivna"),
    "Oleksandr": ("Oleksandrovych", "Oleksandrivna"),
    "Andriy": ("Andriyovych", "Andriivna"),
    "Taras": ("Tarasovych", "Tarasivna"),
    "Petro": ("Petrovych", "Petrivna"),
    "Bohdan": ("Bohdanovych", "Bohdanivna"),
    "Yurii": ("Yuriiovych", "Yuriivna"),
    "Vasyl": ("Vasylovych", "Vasylivna"),
}

_ENGLISH_NICK = _sp("Peter, Grace, Joyce, Kenneth, Winnie, Alan, Joy, Vincent, Rose, Daisy")


@dataclass(frozen=True)
class _Person:
    given: str
    family: str
    sex: str
    origin: str
    fam_raw: str
    middle: str = ""
    fam_first: bool = False
    nick: str = ""

    @property
    def natural(self) -> str:
        parts = (
            (self.family, self.middle, self.given)
            if self.fam_first
            else (self.given, self.middle, self.family)
        )
        return " ".join(x for x in parts if x)

    @property
    def record(self) -> str:
        return " ".join(x for x in (self.given, self.middle, self.family) if x)

    @property
    def short(self) -> str:
        if self.fam_first:
            return f"{self.family} {self.given}"
        return f"{self.given} {self.family}"

    @property
    def call(self) -> str:
        return self.given if _ORIG[self.origin].call_given else self.family

    @property
    def initials(self) -> str:
        toks = [t for t in f"{self.given} {self.family}".replace("-", " ").split() if t[0].isalpha()]
        return "".join(t[0].upper() for t in toks)


def _gendered(fam_raw: str, sex: str) -> str:
    if "|" in fam_raw:
        m, f = fam_raw.split("|")
        return m if sex == "M" else f
    return fam_raw


def _person(rng: random.Random, ok: str, sex: str | None = None, fam_raw: str | None = None) -> _Person:
    o = _ORIG[ok]
    sex = sex or rng.choice("MF")
    given = rng.choice(o.m if sex == "M" else o.f)
    # an Ethiopian's second name is the father's given name
    fam_raw = fam_raw or rng.choice(o.fam or _ORIG["am"].m)
    family = _gendered(fam_raw, sex)
    middle, nick = "", ""
    r = rng.random()
    if ok in ("ru", "uk"):
        father = rng.choice(o.m)
        pm, pf = _PATRONYMIC[father]
        middle = pm if sex == "M" else pf
    elif ok == "vi":
        middle = rng.choice(("Văn", "Đức", "Minh", "Quang") if sex == "M" else ("Thị", "Ngọc", "Thị", "Thu"))
    elif ok == "ar" and r < 0.4:
        middle = ("bin " if sex == "M" else "bint ") + rng.choice(o.m)
    elif ok == "mx" and " " not in family:
        family = f"{family} {rng.choice([x for x in o.fam if x != family])}"
    elif ok == "pt" and r < 0.5 and " " not in family:
        family = f"{rng.choice(('Oliveira', 'Souza', 'Lima', 'Costa', 'Almeida'))} {family}"
    elif ok == "tl":
        if r < 0.4:
            middle = rng.choice(o.fam)
        if rng.random() < 0.3:
            nick = rng.choice(("Bong", "Jun-jun", "Bebeng", "Ging", "Pining", "Dodong", "Neneng"))
    elif ok in ("yo", "ig", "ak") and r < 0.3:
        middle = rng.choice(("Blessing", "Emmanuel", "Grace", "Samuel", "Comfort", "Gift", "Joseph"))
    elif ok == "hi" and r < 0.25:
        middle = "Kumar" if sex == "M" else "Devi"
    elif ok in ("yue", "ko", "zh") and r < 0.3:
        nick = rng.choice(_ENGLISH_NICK)
    if ok == "vi" and rng.random() < 0.35:  # written without diacritics in this record
        given, middle, family, fam_raw = _fold(given), _fold(middle), _fold(family), _fold(fam_raw)
    return _Person(given, family, sex, ok, fam_raw, middle, rng.random() < o.fam_first, nick)


_REL_SEX = {
    "wife": "F",
    "husband": "M",
    "daughter": "F",
    "son": "M",
    "mother": "F",
    "father": "M",
    "sister": "F",
    "brother": "M",
    "granddaughter": "F",
    "grandson": "M",
    "niece": "F",
    "nephew": "M",
    "aunt": "F",
    "uncle": "M",
    "grandmother": "F",
    "grandfather": "M",
}


def _relative(rng: random.Random, p: _Person, rel: str) -> _Person:
    sex = _REL_SEX.get(rel) or rng.choice("MF")
    o = _ORIG[p.origin]
    same = p.fam_raw
    if p.origin == "am":  # second name = father's given name
        if rel == "father":
            return _Person(p.family, rng.choice(o.m), "M", "am", "")
        if rel in ("son", "daughter") and p.sex == "M":
            same = p.given
        elif rel not in ("sister", "brother"):
            same = ""
    elif (rel in ("wife", "husband", "partner", "mother") and (o.keeps_name or rng.random() < 0.2)) or (
        rel in ("grandmother", "grandfather", "aunt", "uncle", "niece", "nephew", "cousin")
        and rng.random() < 0.5
    ):
        same = ""
    if p.origin == "mx" and same:
        same = p.family.split(" ")[0]
    if p.origin == "pt" and same and rel in ("son", "daughter"):
        same = p.family.split(" ")[-1] if " " in p.family else p.family
    for _ in range(6):
        r = _person(rng, p.origin, sex, same or None)
        if r.given != p.given:
            break
    return r


# Clinicians and staff: mostly the site's usual origins, sometimes anyone.
_STAFF = {
    "US": "en en en en mx zh ko vi tl hi ta yo ig fa ar el ru",
    "HI": "haw haw en en ja ja tl tl sm zh ko",
    "UK": "en en en en hi ta bn yo ig ak zh el hu nl ar",
    "AU": "en en en ai el vi zh hi ta tl mi",
    "NZ": "mi mi en en en sm tl hi zh",
    "CA": "en en en fa zh yue ko hi ta tl uk",
    "IN": "hi hi ta ta bn bn",
    "CN": "zh",
    "JP": "ja",
    "KR": "ko",
    "VN": "vi",
    "PH": "tl",
    "NG": "yo yo ig ig",
    "GH": "ak",
    "ET": "am",
    "AE": "ar ar ar hi tl fa en",
    "SA": "ar ar ar tl hi",
    "BR": "pt",
    "MX": "mx",
    "RU": "ru",
    "UA": "uk uk ru",
    "GR": "el",
    "HU": "hu",
    "NL": "nl nl nl en",
    "WS": "sm sm en mi",
}


# ----------------------------------------------------------------------------- places and formats


@dataclass(frozen=True)
class _Country:
    name: str  # written plain (countries are not PHI)
    streets: tuple[str, ...]  # "|" splits a pattern into separate address lines
    places: tuple[tuple[str, str, str, str], ...]  # (localities "|"-separated, city, region, postcode)
    mobile: tuple[str, ...]
    land: tuple[str, ...]
    dates: tuple[str, ...]  # date styles, most usual first
    mrn: tuple[tuple[str, str], ...]  # (label, pattern)
    dl: tuple[tuple[str, str], ...]  # driving licence (label, pattern)
    plates: tuple[str, ...]
    mail: tuple[str, ...]  # personal e-mail domains
    work: tuple[str, ...]  # staff e-mail domains
    zip_first: bool = False
    partial: tuple[str, ...] = ("dMonth", "dm", "ordMonth", "dMon")


_US_DATES = ("mdy/", "mdy/n", "MonthdY", "MondY", "mdy/2", "iso")
_US_PARTIAL = ("Monthd", "Mond", "md")
_GB_DATES = ("dmy/", "dMonY", "dMonthY", "DDMONYYYY", "d-Mon-Y", "ord")

_C: dict[str, _Country] = {
    "US": _Country(
        "USA",
        (
            "#### Bissonnet St",
            "### W 188th St Apt #^",
            "##### Harwin Dr",
            "#### N Kedzie Ave",
            "### Jackson St",
            "#### Garden Grove Blvd Unit ##",
            "## Cedar Ln",
            "#### Telegraph Rd|Apt ###",
        ),
        (
            ("", "Houston", "TX", "770##"),
            ("", "Chicago", "IL", "606##"),
            ("", "Bronx", "NY", "104##"),
            ("", "Garden Grove", "CA", "928##"),
            ("", "Fresno", "CA", "937##-####"),
            ("", "Dearborn", "MI", "481##"),
            ("", "St. Paul", "MN", "551##"),
            ("", "Seattle", "WA", "981##"),
        ),
        ("(~##) ~##-####", "~##-~##-####", "+1 ~## ~## ####", "~##.~##.####"),
        ("(~##) ~##-####", "~##-~##-####"),
        _US_DATES,
        (("MRN", "########"), ("MRN", "E#######"), ("Med Rec #", "##-##-##")),
        (
            ("CA DL", "^#######"),
            ("NY DL", "### ### ###"),
            ("TX DL", "########"),
            ("FL DL", "^###-###-##-###-#"),
            ("IL DL", "^###-####-####"),
            ("WA DL", "WDL^^%%%%%%"),
            ("MI DL", "^ ### ### ### ###"),
        ),
        ("~^^^###", "^^^-####", "^^^ ###"),
        ("gmail.com", "icloud.com", "yahoo.com", "outlook.com"),
        ("northside-health.org", "mercyvalley.org", "uhcs.edu"),
        partial=_US_PARTIAL,
    ),
    "HI": _Country(
        "USA",
        ("94-1040 Waipahu St", "1588 Kalakaua Ave Apt ###", "45-### Mahalani St", "87-#### Farrington Hwy"),
        (
            ("", "Waipahu", "HI", "96797"),
            ("", "Honolulu", "HI", "968##"),
            ("", "Kāneʻohe", "HI", "96744"),
            ("", "Waiʻanae", "HI", "96792"),
            ("", "Hilo", "HI", "96720"),
        ),
        ("(808) ~##-####", "808-~##-####", "+1 808 ~## ####"),
        ("(808) ~##-####",),
        _US_DATES,
        (("MRN", "########"), ("Med Rec #", "H######")),
        (("HI DL", "H00######"),),
        ("^^^ ###", "^^^-###"),
        ("hawaii.rr.com", "gmail.com", "yahoo.com"),
        ("queens-hi.org", "kapiolani-health.org"),
        partial=_US_PARTIAL,
    ),
    "UK": _Country(
        "United Kingdom",
        (
            "## Cheetham Hill Road",
            "Flat #|## Belgrave Road",
            "### Soho Road",
            "## Green Street",
            "# Ladypool Road",
            "Flat ##, Kestrel House|## Whitechapel Road",
            "## Manningham Lane",
        ),
        (
            ("", "Manchester", "", "M8 #^^"),
            ("Belgrave", "Leicester", "", "LE4 #^^"),
            ("Handsworth", "Birmingham", "", "B21 #^^"),
            ("", "Bradford", "West Yorkshire", "BD8 #^^"),
            ("Southall", "London", "", "UB1 #^^"),
            ("", "Luton", "Bedfordshire", "LU1 #^^"),
            ("Whitechapel", "London", "", "E1 #^^"),
        ),
        ("07### ######", "+44 7### ######", "07###-######"),
        ("0161 ### ####", "020 7### ####", "0116 ### ####", "0121 ### ####"),
        _GB_DATES,
        (("NHS No.", "### ### ####"), ("Hospital No.", "K#######"), ("Unit No.", "RM#######")),
        (("DVLA licence", "*"),),
        ("^^## ^^^",),
        ("btinternet.com", "gmail.com", "hotmail.co.uk", "yahoo.co.uk"),
        ("nhs.net",),
    ),
    "AU": _Country(
        "Australia",
        (
            "Unit #/## Todd Street",
            "## John Street",
            "### Hume Highway",
            "## Barkly Street",
            "#/## Railway Parade",
            "Lot ## Stuart Highway",
        ),
        (
            ("", "Alice Springs", "NT", "0870"),
            ("", "Cabramatta", "NSW", "2166"),
            ("", "Footscray", "VIC", "3011"),
            ("", "Darwin", "NT", "0800"),
            ("", "Yirrkala", "NT", "0880"),
            ("", "Mount Druitt", "NSW", "2770"),
            ("", "Logan Central", "QLD", "4114"),
        ),
        ("04## ### ###", "+61 4## ### ###", "04########"),
        ("(08) 89## ####", "(02) 97## ####", "03 9### ####"),
        ("dmy/", "dmy/n", "dMonY", "dMonthY"),
        (("UR No.", "#######"), ("URN", "0#######")),
        (("NSW licence", "########"), ("VIC licence", "#########"), ("NT licence", "######")),
        ("^^##^^", "~^^^###", "^^^ ##^"),
        ("bigpond.com", "gmail.com", "outlook.com.au"),
        ("health.nt.gov.au", "swsahs.health.nsw.gov.au", "wh.org.au"),
    ),
    "NZ": _Country(
        "New Zealand",
        (
            "## Karaka Street",
            "Flat #|## Rata Road",
            "### Great South Road",
            "## Te Atatū Road",
            "### Kaikohe Road|RD #",
        ),
        (
            ("Ōtara", "Auckland", "", "20##"),
            ("", "Porirua", "", "50##"),
            ("", "Kaikohe", "Northland", "0405"),
            ("Flaxmere", "Hastings", "", "4120"),
            ("", "Rotorua", "", "30##"),
            ("", "Gisborne", "", "40##"),
        ),
        ("021 ### ####", "022 ### ####", "+64 21 ### ####", "027 ### ####"),
        ("(09) ### ####", "(07) 3## ####", "06 8## ####"),
        ("dmy/", "dMonY", "dmy/n", "dMonthY"),
        (("NHI", "^^^####"),),
        (("NZ DL", "^^######"),),
        ("^^^###",),
        ("xtra.co.nz", "gmail.com", "outlook.co.nz"),
        ("cmdhb.org.nz", "waikatodhb.health.nz"),
    ),
    "CA": _Country(
        "Canada",
        (
            "~##-### Bloor St W",
            "### Dundas St E",
            "#### Kingsway",
            "## Sheppard Ave W Apt ###",
            "#### No. 3 Road",
        ),
        (
            ("North York", "Toronto", "ON", "M2N #^#"),
            ("", "Vancouver", "BC", "V5R #^#"),
            ("", "Richmond", "BC", "V6X #^#"),
            ("", "Brampton", "ON", "L6T #^#"),
            ("", "Surrey", "BC", "V3W #^#"),
            ("", "Montréal", "QC", "H3S #^#"),
        ),
        ("(~##) ~##-####", "~##-~##-####", "+1 ~## ~## ####"),
        ("(416) ~##-####", "(604) ~##-####"),
        ("iso", "MonthdY", "dMonY", "ymd/"),
        (("MRN", "#######"), ("Chart #", "######")),
        (("ON DL", "^####-#####-#####"), ("BC DL", "#######")),
        ("^^^^ ###", "^^# ##^"),
        ("rogers.com", "gmail.com", "shaw.ca", "sympatico.ca"),
        ("uhn.ca", "vch.ca", "sinaihealth.ca"),
        partial=("Monthd", "Mond", "dMon"),
    ),
    "IN": _Country(
        "India",
        (
            "Flat ###, Sai Krupa Apartments|12th Main Road",
            "No. ##, 3rd Cross|5th Main Road",
            "H.No. ##-#-###/^",
            "Plot ##, 2nd Street",
            "##/# Ballygunge Place",
            "H.No. ###, Sector ##",
        ),
        (
            ("Indiranagar", "Bengaluru", "Karnataka", "5600##"),
            ("Anna Nagar", "Chennai", "Tamil Nadu", "600 0##"),
            ("Salt Lake", "Kolkata", "West Bengal", "7000##"),
            ("Rohini", "New Delhi", "Delhi", "1100##"),
            ("Gomti Nagar", "Lucknow", "Uttar Pradesh", "2260##"),
            ("Kukatpally", "Hyderabad", "Telangana", "5000##"),
        ),
        ("+91 9#### #####", "9#########", "+91-9#########", "098## #####"),
        ("080-2### ####", "044 2### ####", "033 2### ####", "011 4### ####"),
        ("dmy/", "dmy-", "dMonY", "dmy.", "ord"),
        (("UHID", "MH00######"), ("CR No.", "##########"), ("IP No.", "#####/##")),
        (("DL No.", "^^## ###########"),),
        ("^^ ## ^^ ####",),
        ("gmail.com", "yahoo.co.in", "rediffmail.com"),
        ("aiims.edu", "cmcvellore.ac.in", "manipalhospitals.com"),
    ),
    "CN": _Country(
        "China",
        (
            "Room ####, Building #|## Jianguo Road",
            "Apt ###, No. ## Lane ###|Huaihai Road",
            "No. ### Renmin South Road",
        ),
        (
            ("Chaoyang District", "Beijing", "", "1000##"),
            ("Xuhui District", "Shanghai", "", "2000##"),
            ("Tianhe District", "Guangzhou", "Guangdong", "5106##"),
            ("Wuhou District", "Chengdu", "Sichuan", "6100##"),
        ),
        ("+86 13# #### ####", "13#-####-####", "15#########"),
        ("010-6### ####", "021-5### ####", "020-8### ####"),
        ("iso", "ymd/", "ymd."),
        (("Admission No.", "ZY########"), ("Outpatient No.", "##########")),
        (("Driving licence", "*ID"),),
        ("^%####",),
        ("qq.com", "163.com", "126.com"),
        ("pumch.cn", "zs-hospital.sh.cn"),
        partial=("md", "Mond"),
    ),
    "JP": _Country(
        "Japan",
        ("#-##-# Minatomirai", "#-#-## Jingumae", "Kita ## Jo Nishi #-#-##", "Apt ###, #-#-# Honcho"),
        (
            ("Nishi-ku", "Yokohama", "Kanagawa", "220-00##"),
            ("Chuo-ku", "Sapporo", "Hokkaido", "060-00##"),
            ("Aoba-ku", "Sendai", "Miyagi", "980-08##"),
            ("Naka-ku", "Nagoya", "Aichi", "460-00##"),
            ("Kita-ku", "Kobe", "Hyogo", "651-1###"),
        ),
        ("090-####-####", "080-####-####", "+81 90-####-####"),
        ("045-###-####", "011-###-####", "+81 3-####-####", "052-###-####"),
        ("ymd/", "iso", "ymd."),
        (("Patient ID", "########"), ("Karte No.", "##-######")),
        (("Driver's licence", "############"),),
        ("Yokohama 3## ta ##-##", "Sapporo 5## ne ##-##"),
        ("docomo.ne.jp", "yahoo.co.jp", "gmail.com"),
        ("hosp.keio.ac.jp", "kameda.jp"),
        partial=("md", "Mond"),
    ),
    "KR": _Country(
        "Republic of Korea",
        ("###, Teheran-ro", "##, Haeundae-ro ###beon-gil", "Apt ###-####|##, Olympic-ro"),
        (
            ("Gangnam-gu", "Seoul", "", "06###"),
            ("Haeundae-gu", "Busan", "", "48###"),
            ("Suseong-gu", "Daegu", "", "42###"),
            ("Bundang-gu", "Seongnam", "Gyeonggi-do", "13###"),
        ),
        ("010-####-####", "+82 10-####-####", "010 #### ####"),
        ("02-####-####", "051-###-####", "+82 2-####-####"),
        ("ymd.", "iso", "ymd/"),
        (("Reg. No.", "########"),),
        (("Driver licence", "##-##-######-##"),),
        ("##Ga ####", "##Na ####", "###Ma ####"),
        ("naver.com", "daum.net", "gmail.com"),
        ("snuh.org", "amc.seoul.kr", "yuhs.ac"),
        partial=("md", "Mond"),
    ),
    "VN": _Country(
        "Viet Nam",
        ("## Lê Lợi", "### Nguyễn Trãi", "##/# Cách Mạng Tháng Tám", "## Trần Hưng Đạo", "### Le Loi"),
        (
            ("Ward 7|District 3", "Ho Chi Minh City", "", "7000##"),
            ("Bến Nghé Ward|District 1", "Ho Chi Minh City", "", "7000##"),
            ("Hoàn Kiếm", "Hanoi", "", "1000##"),
            ("Hải Châu", "Da Nang", "", "5500##"),
        ),
        ("09## ### ###", "+84 9# ### ####", "0903 ######"),
        ("028 38## ####", "024 39## ####"),
        ("dmy/", "dmy-"),
        (("Patient code", "##########"),),
        (("Driving licence", "############"),),
        ("##^-###.##", "##^#-###.##"),
        ("gmail.com", "yahoo.com.vn"),
        ("choray.vn", "benhvienbachmai.vn"),
        partial=("dm", "dMonth"),
    ),
    "PH": _Country(
        "Philippines",
        (
            "Blk # Lot ## Mabini St.",
            "### P. Burgos St.",
            "Unit ##^, ## Katipunan Ave.",
            "Purok #, Sitio Malinis",
        ),
        (
            ("Brgy. San Isidro", "Quezon City", "Metro Manila", "11##"),
            ("Brgy. Lahug", "Cebu City", "Cebu", "6000"),
            ("Brgy. Poblacion", "Davao City", "Davao del Sur", "8000"),
            ("Brgy. Sto. Niño", "Marikina", "Metro Manila", "1800"),
        ),
        ("0917 ### ####", "+63 917 ### ####", "0998-###-####", "+63 9## ### ####"),
        ("(02) 8### ####", "(032) 2## ####"),
        ("mdy/", "MonthdY", "dMonY"),
        (("Hosp. No.", "######-#"), ("Case No.", "##-######")),
        (("LTO licence", "^##-##-######"),),
        ("^^^ ####",),
        ("gmail.com", "yahoo.com.ph"),
        ("pgh.gov.ph", "stlukes.com.ph"),
        partial=("Monthd", "md"),
    ),
    "NG": _Country(
        "Nigeria",
        (
            "## Adeola Odeku Street",
            "## Allen Avenue",
            "# Ogui Road",
            "Plot ###, Ring Road",
            "## Awolowo Road",
        ),
        (
            ("Victoria Island", "Lagos", "Lagos State", "1012##"),
            ("Ikeja", "Lagos", "Lagos State", "1002##"),
            ("", "Enugu", "Enugu State", "4000##"),
            ("Bodija", "Ibadan", "Oyo State", "2002##"),
            ("Garki", "Abuja", "FCT", "9000##"),
        ),
        ("+234 80# ### ####", "080# ### ####", "0803-###-####", "+234 70# ### ####"),
        ("0809 ### ####", "+234 1 ### ####"),
        ("dmy/", "dMonY", "ord", "dmy-"),
        (("Hosp. No.", "LUTH/##/#####"), ("Folder No.", "######")),
        (("FRSC licence", "^^^#####^^##"),),
        ("^^^ ### ^^",),
        ("yahoo.com", "gmail.com"),
        ("luth.gov.ng", "uch-ibadan.org.ng"),
    ),
    "GH": _Country(
        "Ghana",
        ("House No. ##, Osu Badu Street", "Plot ##, Liberation Road", "H/No. ^/##, Adum Road"),
        (
            ("Airport Residential", "Accra", "Greater Accra", "GA-###-####"),
            ("Adum", "Kumasi", "Ashanti", "AK-###-####"),
            ("", "Tamale", "Northern Region", "NT-####-####"),
            ("", "Cape Coast", "Central Region", "CC-###-####"),
        ),
        ("+233 24 ### ####", "024 ### ####", "020 ### ####", "+233 55 ### ####"),
        ("030 2## ####", "032 2## ####"),
        ("dmy/", "dMonY", "dmy-"),
        (("Folder No.", "^/####/##"), ("Hosp. No.", "KBTH-######")),
        (("DVLA licence", "^##-#####-####"),),
        ("GR ####-##", "AS ####-##"),
        ("gmail.com", "yahoo.com"),
        ("kbth.gov.gh", "kath.gov.gh"),
    ),
    "ET": _Country(
        "Ethiopia",
        ("House No. ###|Kebele ##", "Woreda ##, House No. ####"),
        (
            ("Bole", "Addis Ababa", "", "1000"),
            ("Yeka", "Addis Ababa", "", "1000"),
            ("", "Bahir Dar", "Amhara", ""),
            ("", "Hawassa", "Sidama", ""),
        ),
        ("+251 91 ### ####", "09## ## ## ##", "+251 92 ### ####"),
        ("011 5## ####", "+251 11 6## ####"),
        ("dmy/", "dMonY"),
        (("Card No.", "######"), ("MRN", "TASH-######")),
        (("Driving licence", "AA-######"),),
        ("AA 2-^#####", "3-#####"),
        ("gmail.com", "ethionet.et"),
        ("aau.edu.et", "mcm.org.et"),
    ),
    "AE": _Country(
        "UAE",
        ("Villa ##, Street ##|P.O. Box #####", "Apartment ####, Marina Heights Tower|P.O. Box #####"),
        (
            ("Al Barsha 2", "Dubai", "", ""),
            ("Dubai Marina", "Dubai", "", ""),
            ("Al Nahda 1", "Sharjah", "", ""),
            ("Khalifa City A", "Abu Dhabi", "", ""),
        ),
        ("+971 50 ### ####", "050 ### ####", "+971 55 ### ####"),
        ("+971 4 ### ####", "04 ### ####"),
        ("dmy/", "dMonY", "d-Mon-Y"),
        (("MRN", "########"), ("File No.", "DH-#######")),
        (("UAE licence", "#######"),),
        ("^ #####", "^^ ####"),
        ("emirates.net.ae", "gmail.com", "hotmail.com"),
        ("dha.gov.ae", "ssmc.ae", "mediclinic.ae"),
    ),
    "SA": _Country(
        "Saudi Arabia",
        ("####, Prince Sultan Road|Building ##", "##, King Abdulaziz Road"),
        (("Al Rawdah", "Jeddah", "Makkah Province", "2####"), ("Al Olaya", "Riyadh", "", "12###")),
        ("+966 5# ### ####", "05# ### ####"),
        ("012 6## ####", "011 4## ####"),
        ("dmy/", "dMonY", "iso"),
        (("File No.", "#######"), ("MRN", "KF#######")),
        (("Saudi licence", "##########"),),
        ("#### ^^^",),
        ("gmail.com", "hotmail.com"),
        ("kfshrc.edu.sa", "ngha.med.sa"),
    ),
    "BR": _Country(
        "Brasil",
        (
            "Rua Augusta, ####, apto ##",
            "Av. Paulista, ####",
            "Rua da Aurora, ###",
            "Rua dos Andradas, ####, casa #",
            "Av. Afonso Pena, ####",
        ),
        (
            ("Consolação", "São Paulo", "SP", "01###-###"),
            ("Boa Vista", "Recife", "PE", "50###-###"),
            ("Centro Histórico", "Porto Alegre", "RS", "90###-###"),
            ("Funcionários", "Belo Horizonte", "MG", "30###-###"),
            ("Copacabana", "Rio de Janeiro", "RJ", "22###-###"),
        ),
        ("+55 11 9####-####", "(11) 9####-####", "(81) 9####-####", "(21) 9#### ####"),
        ("(51) 3###-####", "(31) 3###-####"),
        ("dmy/", "dmy/n"),
        (("Prontuário", "######"), ("Registro", "#######-#")),
        (("CNH", "###########"),),
        ("^^^#^##", "^^^-####"),
        ("uol.com.br", "bol.com.br", "gmail.com"),
        ("hc.fm.usp.br", "hcpa.edu.br"),
        partial=("dm", "dMonth"),
    ),
    "MX": _Country(
        "México",
        (
            "Calle Durango ###, int. #",
            "Av. Chapultepec ####",
            "Calle 60 ### x 47 y 49",
            "Blvd. Agua Caliente ####",
        ),
        (
            ("Col. Americana", "Guadalajara", "Jalisco", "44160"),
            ("Col. Centro", "Mérida", "Yucatán", "970##"),
            ("Zona Río", "Tijuana", "Baja California", "22010"),
            ("Col. Obispado", "Monterrey", "Nuevo León", "640##"),
        ),
        ("+52 33 #### ####", "33 #### ####", "(81) ####-####", "+52 1 55 #### ####"),
        ("(33) 3### ####", "(999) 9## ####"),
        ("dmy/", "dmy-", "d-Mon-Y"),
        (("Expediente", "######"), ("No. de registro", "######-##")),
        (("Licencia", "^##########"),),
        ("^^^-###-^", "^^-##-###"),
        ("hotmail.com", "prodigy.net.mx", "gmail.com"),
        ("imss.gob.mx", "hcg.gob.mx"),
        partial=("dm", "dMonth"),
    ),
    "RU": _Country(
        "Russia",
        ("ul. Tverskaya, d. ##, kv. ##", "Nevsky pr., d. ##, kv. ###", "ul. Lenina, d. #, korp. #, kv. ##"),
        (
            ("", "Moscow", "", "1250##"),
            ("", "St Petersburg", "", "1910##"),
            ("", "Kazan", "Republic of Tatarstan", "4200##"),
            ("", "Novosibirsk", "Novosibirsk Oblast", "6300##"),
        ),
        ("+7 9## ###-##-##", "8 (9##) ###-##-##", "+7 (9##) ### ## ##"),
        ("8 (495) ###-##-##", "+7 812 ###-##-##"),
        ("dmy.",),
        (("Medical card No.", "######"), ("Case history", "####/##")),
        (("Driving licence", "## ## ######"),),
        ("^###^^ ###", "^###^^ ##"),
        ("mail.ru", "yandex.ru"),
        ("sechenov.ru", "almazovcentre.ru"),
        partial=("dm.", "dMonth"),
    ),
    "UA": _Country(
        "Ukraine",
        ("vul. Khreshchatyk, ##, kv. ##", "vul. Ivana Franka, #", "prosp. Nauky, ##, kv. ###"),
        (
            ("", "Kyiv", "", "010##"),
            ("", "Lviv", "Lviv Oblast", "790##"),
            ("", "Kharkiv", "Kharkiv Oblast", "610##"),
            ("", "Odesa", "Odesa Oblast", "650##"),
        ),
        ("+380 67 ### ####", "067 ### ## ##", "+380 50 ###-##-##"),
        ("(044) ###-##-##", "(032) ###-##-##"),
        ("dmy.",),
        (("Medical card No.", "#####"), ("eHealth ID", "########-####")),
        (("Driving licence", "^^^ ######"),),
        ("^^ #### ^^",),
        ("ukr.net", "gmail.com", "i.ua"),
        ("okhmatdyt.com.ua", "lviv-hospital.org.ua"),
        partial=("dm.", "dMonth"),
    ),
    "GR": _Country(
        "Greece",
        ("Ermou ##", "Tsimiski ###", "Leoforos Alexandras ###", "Egnatia ###"),
        (
            ("Plaka", "Athina", "Attiki", "105 ##"),
            ("", "Thessaloniki", "", "546 ##"),
            ("", "Patra", "", "262 ##"),
            ("", "Irakleio", "Kriti", "712 ##"),
        ),
        ("+30 69# ### ####", "69########", "694 ### ####"),
        ("210 ### ####", "2310 ######"),
        ("dmy/", "dmy."),
        (("Ar. Mitroou", "######"),),
        (("Driving licence", "#########"),),
        ("^^^-####",),
        ("otenet.gr", "gmail.com", "yahoo.gr"),
        ("attikonhospital.gr", "ahepahosp.gr"),
        partial=("dm", "dMonth"),
    ),
    "HU": _Country(
        "Hungary",
        ("Váci utca ##.", "Piac utca ## #/#.", "Rákóczi út ###.", "Andrássy út ##. #. em. #."),
        (
            ("", "Budapest", "", "10##"),
            ("", "Debrecen", "", "40##"),
            ("", "Szeged", "", "67##"),
            ("", "Pécs", "", "76##"),
        ),
        ("+36 30 ### ####", "06 30 ### ####", "(06-20) ###-####"),
        ("06 1 ### ####", "+36 52 ### ###"),
        ("hu", "ymd.", "iso"),
        (("Törzsszám", "########"),),
        (("Vezetői engedély", "^^######"),),
        ("^^^-###", "^^ ^^-###"),
        ("freemail.hu", "citromail.hu", "gmail.com"),
        ("semmelweis.hu", "med.unideb.hu"),
        zip_first=True,
        partial=("Monthd", "dMonth", "Month_d"),
    ),
    "NL": _Country(
        "Nederland",
        (
            "Keizersgracht ###-II",
            "Oudegracht ###",
            "Witte de Withstraat ##^",
            "Lange Voorhout ##",
            "Damstraat ## huis",
        ),
        (("", "Amsterdam", "", "10## ^^"), ("", "Utrecht", "", "35## ^^"), ("", "Rotterdam", "", "30## ^^")),
        ("06-########", "+31 6 #### ####", "06 ## ## ## ##"),
        ("020-#######", "010 ### ####", "030-#######"),
        ("dmy-", "dmy.", "dMonthY"),
        (("Patiëntnummer", "#######"), ("ZIS-nr", "##########")),
        (("Rijbewijs", "##########"),),
        ("^^-###-^", "##-^^^-#", "^-###-^^"),
        ("ziggo.nl", "kpnmail.nl", "gmail.com"),
        ("amsterdamumc.nl", "umcutrecht.nl", "erasmusmc.nl"),
        zip_first=True,
    ),
    "WS": _Country(
        "Samoa",
        ("Vaitele-uta|P.O. Box ####", "Fugalei", "Lalovaea|P.O. Box ####"),
        (("", "Apia", "", ""),),
        ("+685 7# #####", "7######", "+685 75#####"),
        ("+685 2####",),
        ("dmy/", "dMonY"),
        (("TTM Hosp. No.", "######"),),
        (("Samoa licence", "######"),),
        ("^# ###",),
        ("samoa.ws", "gmail.com"),
        ("ttm.gov.ws",),
    ),
}

_MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = (
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


def _ord(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"


def _fmt_date(d: date, style: str) -> str:
    y, m, day = d.year, d.month, d.day
    mon, month = _MON[m - 1], _MONTH[m - 1]
    table = {
        "iso": f"{y:04d}-{m:02d}-{day:02d}",
        "dmy.": f"{day:02d}.{m:02d}.{y}",
        "dmy/": f"{day:02d}/{m:02d}/{y}",
        "dmy/n": f"{day}/{m}/{y}",
        "mdy/": f"{m:02d}/{day:02d}/{y}",
        "mdy/n": f"{m}/{day}/{y}",
        "mdy/2": f"{m}/{day}/{y % 100:02d}",
        "dmy-": f"{day:02d}-{m:02d}-{y}",
        "dMonY": f"{day} {mon} {y}",
        "d-Mon-Y": f"{day:02d}-{mon}-{y}",
        "DDMONYYYY": f"{day:02d}{mon.upper()}{y}",
        "dMonthY": f"{day} {month} {y}",
        "MonthdY": f"{month} {day}, {y}",
        "MondY": f"{mon} {day}, {y}",
        "ymd/": f"{y}/{m:02d}/{day:02d}",
        "ymd.": f"{y}.{m:02d}.{day:02d}",
        "hu": f"{y}. {m:02d}. {day:02d}.",
        "hl7": f"{y}{m:02d}{day:02d}",
        "ord": f"{_ord(day)} {month} {y}",
        "ordof": f"{_ord(day)} of {month} {y}",
        # partial dates
        "Monthd": f"{month} {day}",
        "Mond": f"{mon} {day}",
        "dMonth": f"{day} {month}",
        "dMon": f"{day} {mon}",
        "md": f"{m}/{day}",
        "dm": f"{day}/{m}",
        "dm.": f"{day:02d}.{m:02d}.",
        "ordMonth": f"{_ord(day)} {month}",
        "hu_md": f"{m:02d}. {day:02d}.",
        "Month_d": f"{month} {day}.",
        "Month": month,
    }
    return table[style]


def _ascii_local(p: _Person) -> tuple[str, str]:
    g = _fold(p.given).lower().replace(" ", "").replace(".", "").replace("-", "")
    f = _fold(p.family).lower().replace(" ", "").replace("-", "")
    return g, f


def _email(rng: random.Random, p: _Person, domain: str, work: bool = False) -> str:
    g, f = _ascii_local(p)
    if domain == "qq.com" and not work:
        return f"{_pat(rng, '~########')}@qq.com"
    if work:  # one address per person, whatever note it appears in
        k = sum(map(ord, g + f))
        form = (f"{g[0]}.{f}", f"{g}.{f}", f"{f}{g[0]}", f"{g}.{f}{k % 7 + 2}")[k % 4]
    else:
        yy = rng.randrange(60, 100) if rng.random() < 0.5 else rng.randrange(1, 24)
        form = rng.choice(
            (f"{g}.{f}{yy:02d}", f"{g}{f[0]}", f"{f}_{g}", f"{g}{rng.randrange(100, 999)}", f"{g}.{f}")
        )
    return f"{form}@{domain}"


def _plate(rng: random.Random, cc: str) -> str:
    return _pat(rng, rng.choice(_C[cc].plates))


def _vin(rng: random.Random) -> str:
    return rng.choice("123459JKLSWZ") + _pat(rng, "%%%%%%%%%%%%%%%%")


def _dl(rng: random.Random, cc: str, p: _Person, dob: date) -> tuple[str, str]:
    label, pat = rng.choice(_C[cc].dl)
    if pat == "*":  # DVLA: surname-derived
        f = _fold(p.family).upper().replace(" ", "").replace("-", "").replace("'", "")[:5].ljust(5, "9")
        mm = dob.month + (50 if p.sex == "F" else 0)
        g = _fold(p.given).upper()[0]
        return label, f"{f}{str(dob.year)[2]}{mm:02d}{dob.day:02d}{str(dob.year)[3]}{g}9{_pat(rng, '#^^')}"
    if pat == "*ID":
        return label, _cn_id(rng, dob)
    return label, _pat(rng, pat)


def _cn_id(rng: random.Random, dob: date) -> str:
    return (
        f"{rng.choice(('110105', '310104', '440106', '510107'))}{dob:%Y%m%d}{_pat(rng, '###')}"
        + rng.choice("0123456789X")
    )


def _curp(rng: random.Random, p: _Person, dob: date) -> str:
    fams = _fold(p.family).upper().replace(".", "").split()
    given = _fold(p.given).upper().replace(".", "").split()
    f1 = fams[0]
    f2 = fams[1] if len(fams) > 1 else "X"
    vowel = next((c for c in f1[1:] if c in "AEIOU"), "X")
    g = given[-1] if given[0] in ("MARIA", "MA", "JOSE") and len(given) > 1 else given[0]
    state = rng.choice(("JC", "YN", "BC", "NL", "DF", "MC"))
    cons = "".join(next((c for c in s[1:] if c not in "AEIOU"), "X") for s in (f1, f2, g))
    sex = "H" if p.sex == "M" else "M"
    return f"{f1[0]}{vowel}{f2[0]}{g[0]}{dob:%y%m%d}{sex}{state}{cons}{_pat(rng, '^#')}"


def _national_ids(rng: random.Random, cc: str, p: _Person, dob: date) -> list[tuple[str, str, str]]:
    """(label, value, category) for the patient's national / insurance / other identifiers."""
    pt = _pat
    out: list[tuple[str, str, str]] = []
    if cc in ("US", "HI"):
        out.append(("SSN", f"{rng.randrange(100, 899)}-{pt(rng, '##')}-{pt(rng, '####')}", "SSN"))
        if cc == "HI":
            out.append(("Med-QUEST ID", pt(rng, "##########"), "HEALTH_PLAN"))
        else:
            out.append(
                rng.choice(
                    (
                        ("Member ID", pt(rng, "^^^#########"), "HEALTH_PLAN"),
                        ("Medicaid ID", pt(rng, "##########"), "HEALTH_PLAN"),
                        ("Medicare MBI", pt(rng, "~^%#-^%#-^^##"), "HEALTH_PLAN"),
                    )
                )
            )
        out.append(("Passport", pt(rng, "5########"), "OTHER_ID"))
    elif cc == "UK":
        out.append(("NI No.", pt(rng, "^^ ## ## ## ") + rng.choice("ABCD"), "SSN"))
        out.append(("Passport", pt(rng, "#########"), "OTHER_ID"))
    elif cc == "AU":
        out.append(("Medicare", pt(rng, "~### ##### #") + f"-{rng.randrange(1, 6)}", "HEALTH_PLAN"))
        out.append(
            ("DVA file no.", pt(rng, "N^######"), "HEALTH_PLAN")
            if rng.random() < 0.3
            else ("Passport", pt(rng, "P#######"), "OTHER_ID")
        )
    elif cc == "NZ":
        out.append(("Community Services Card", pt(rng, "#### #### ####"), "HEALTH_PLAN"))
        out.append(("Passport", pt(rng, "L^######"), "OTHER_ID"))
    elif cc == "CA":
        out.append(("SIN", pt(rng, "~## ### ###"), "SSN"))
        out.append(
            rng.choice(
                (
                    ("OHIP", pt(rng, "####-###-###-^^"), "HEALTH_PLAN"),
                    ("BC PHN", pt(rng, "9### ### ###"), "HEALTH_PLAN"),
                )
            )
        )
    elif cc == "IN":
        out.append(("Aadhaar", pt(rng, "~### #### ####"), "SSN"))
        out.append(("ABHA", pt(rng, "##-####-####-####"), "HEALTH_PLAN"))
        out.append(("PAN", pt(rng, "^^^P^####^"), "OTHER_ID"))
    elif cc == "CN":
        out.append(("Resident ID", _cn_id(rng, dob), "SSN"))
        out.append(("Medical insurance card", pt(rng, "^##########"), "HEALTH_PLAN"))
    elif cc == "JP":
        out.append(("My Number", pt(rng, "#### #### ####"), "SSN"))
        out.append(("Insurer/symbol/no.", pt(rng, "06######/##/###"), "HEALTH_PLAN"))
    elif cc == "KR":
        code = ("1" if p.sex == "M" else "2") if dob.year < 2000 else ("3" if p.sex == "M" else "4")
        out.append(("RRN", f"{dob:%y%m%d}-{code}{pt(rng, '######')}", "SSN"))
        out.append(("NHIS no.", pt(rng, "#-##########"), "HEALTH_PLAN"))
    elif cc == "VN":
        out.append(("CCCD", pt(rng, "0###########"), "SSN"))
        out.append(("BHYT", pt(rng, "^^#############"), "HEALTH_PLAN"))
    elif cc == "PH":
        out.append(("SSS No.", pt(rng, "##-#######-#"), "SSN"))
        out.append(("PhilHealth", pt(rng, "##-#########-#"), "HEALTH_PLAN"))
    elif cc == "NG":
        out.append(("NIN", pt(rng, "~##########"), "SSN"))
        out.append(("NHIA No.", pt(rng, "NHIS/##/######"), "HEALTH_PLAN"))
    elif cc == "GH":
        out.append(("Ghana Card", pt(rng, "GHA-#########-#"), "SSN"))
        out.append(("NHIS", pt(rng, "########"), "HEALTH_PLAN"))
    elif cc == "ET":
        out.append(("Fayda FIN", pt(rng, "#### #### ####"), "SSN"))
        out.append(("CBHI", pt(rng, "CBHI/####/####"), "HEALTH_PLAN"))
    elif cc == "AE":
        out.append(("Emirates ID", f"784-{dob.year}-{pt(rng, '#######')}-{rng.randrange(10)}", "SSN"))
        out.append(("Thiqa/insurance card", pt(rng, "### #### #### ####"), "HEALTH_PLAN"))
    elif cc == "SA":
        out.append(("National ID/Iqama", rng.choice("12") + pt(rng, "#########"), "SSN"))
        out.append(("Insurance member no.", pt(rng, "########"), "HEALTH_PLAN"))
    elif cc == "BR":
        out.append(("CPF", pt(rng, "###.###.###-##"), "SSN"))
        out.append(("CNS", pt(rng, "~## #### #### ####"), "HEALTH_PLAN"))
        out.append(("RG", pt(rng, "##.###.###-#"), "OTHER_ID"))
    elif cc == "MX":
        out.append(("CURP", _curp(rng, p, dob), "SSN"))
        out.append(("NSS", pt(rng, "## ## ## ####-#"), "HEALTH_PLAN"))
    elif cc == "RU":
        out.append(("SNILS", pt(rng, "###-###-### ##"), "SSN"))
        out.append(("OMS policy", pt(rng, "#### #### #### ####"), "HEALTH_PLAN"))
        out.append(("Passport", pt(rng, "## ## ######"), "OTHER_ID"))
    elif cc == "UA":
        out.append(("RNOKPP", pt(rng, "##########"), "SSN"))
        out.append(("Passport", pt(rng, "^^ ######"), "OTHER_ID"))
    elif cc == "GR":
        out.append(("AMKA", f"{dob:%d%m%y}{pt(rng, '#####')}", "SSN"))
        out.append(("ID card", pt(rng, "^^ ######"), "OTHER_ID"))
    elif cc == "HU":
        out.append(("TAJ", pt(rng, "### ### ###"), "HEALTH_PLAN"))
        out.append(("Személyi szám", f"{rng.choice('12')}-{dob:%y%m%d}-{pt(rng, '####')}", "SSN"))
    elif cc == "NL":
        out.append(("BSN", pt(rng, "#########"), "SSN"))
        out.append(("Polisnummer", pt(rng, "#########"), "HEALTH_PLAN"))
    elif cc == "WS":
        out.append(("Passport", pt(rng, "^^######"), "OTHER_ID"))
        out.append(("National ID", pt(rng, "##########"), "SSN"))
    return out


@dataclass(frozen=True)
class _Addr:
    lines: tuple[str, ...]
    locs: tuple[str, ...]
    city: str
    region: str
    zip: str
    cc: str

    @property
    def pieces(self) -> tuple[str, ...]:
        return tuple(x for x in (*self.lines, *self.locs, self.city, self.zip) if x)


def _address(rng: random.Random, cc: str) -> _Addr:
    c = _C[cc]
    lines = tuple(_pat(rng, re.sub(r"(?<![#~])#", "~", s)) for s in rng.choice(c.streets).split("|"))
    local, city, region, zp = rng.choice(c.places)
    locs = tuple(x for x in local.split("|") if x)
    return _Addr(lines, locs, city, region, _pat(rng, zp) if zp else "", cc)


def _addr_parts(rng: random.Random, a: _Addr, block: bool = False, country: bool = False) -> list[Part]:
    """Street lines, locality, city as ADDRESS spans, postcode as ZIP; region and country plain."""
    c = _C[a.cc]
    sep = "\n" if block else ", "
    out: list[Part] = []
    for ln in a.lines:
        out += [(ln, "ADDRESS"), sep]
    for loc in a.locs:
        out += [(loc, "ADDRESS"), sep]
    if c.zip_first and a.zip:
        out += [(a.zip, "ZIP"), " ", (a.city, "ADDRESS")]
        if a.region:
            out += [", ", a.region]
    else:
        out.append((a.city, "ADDRESS"))
        if a.region and a.zip:
            out += [" " if a.cc == "AU" else ", ", a.region, " ", (a.zip, "ZIP")]
        elif a.region:
            out += [", ", a.region]
        elif a.zip:
            out += [" " if a.cc in ("UK", "AU", "NZ", "JP", "GR") else ", ", (a.zip, "ZIP")]
    if country:
        out += [sep, c.name]
    return out


# ----------------------------------------------------------------------------- note context

_FACILITY = (
    "St Luke's Hospital",
    "Victoria Hospital",
    "King Edward Memorial Hospital",
    "Queen Elizabeth Hospital",
    "Princess Margaret Hospital",
    "the University Hospital",
    "the District General Hospital",
    "Central Teaching Hospital",
    "Mission Hospital",
    "Riverside Community Health Centre",
)
_FACILITY_LOCAL = (
    "the City Clinical Hospital",
    "the Regional Hospital",
    "the University Clinic",
    "the Central District Hospital",
    "the Teaching Hospital",
    "the General Hospital",
)
_ENGLISH_SITES = ("US", "HI", "UK", "AU", "NZ", "CA")
_WARDS = (
    "Ward 4B",
    "Acute Medical Unit",
    "Emergency Department",
    "Coronary Care Unit",
    "Maternity Assessment Unit",
    "Ward 12 (Respiratory)",
    "Day Surgery Unit",
    "Outpatients, Clinic 3",
    "Stroke Unit",
    "Older Persons' Assessment Unit",
)
_HOSP_LANG = {
    "hi": "Hindi",
    "ta": "Tamil",
    "bn": "Bengali",
    "zh": "Mandarin",
    "yue": "Cantonese",
    "ja": "Japanese",
    "ko": "Korean",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "yo": "Yoruba",
    "ig": "Igbo",
    "ak": "Twi",
    "am": "Amharic",
    "ar": "Arabic",
    "fa": "Farsi",
    "pt": "Portuguese",
    "mx": "Spanish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "hu": "Hungarian",
    "nl": "Dutch",
    "sm": "Samoan",
    "mi": "te reo Māori",
    "ai": "Pitjantjatjara",
}
_REG = {
    "UK": ("GMC", "#######"),
    "AU": ("AHPRA", "MED000#######"),
    "NZ": ("MCNZ", "#####"),
    "CA": ("CPSO", "#####"),
    "US": ("DEA", "^^#######"),
    "HI": ("HI Lic. MD-", "#####"),
    "IN": ("MCI Reg.", "#####"),
    "NG": ("MDCN", "^#####"),
    "GH": ("MDC Reg.", "MDC/RN/#####"),
    "BR": ("CRM-SP", "######"),
    "MX": ("Céd. Prof.", "#######"),
    "HU": ("Pecsétszám", "#####"),
    "NL": ("BIG", "###########"),
    "PH": ("PRC Lic.", "#######"),
    "AE": ("DHA Lic.", "DHA-P-#######"),
    "SA": ("SCFHS", "##^^####"),
    "KR": ("License No.", "#####"),
    "JP": ("Reg. No.", "######"),
}
_DEGREES_DR = ("MD", "MBBS", "MBChB", "FRACP", "FRCP", "FRCPC", "DM", "MRCP", "FCPS", "PhD")


def _years(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _render(rng: random.Random, p: _Person, style: str) -> str:
    if style == "natural":
        return p.natural
    if style == "record":
        return p.record
    if style == "short":
        return p.short
    if style == "fam_comma":
        fam = p.family.upper() if rng.random() < 0.5 else p.family
        mid = f" {p.middle}" if p.middle and rng.random() < 0.5 else ""
        return f"{fam}, {p.given}{mid}"
    if style == "caps":
        return p.natural.upper()
    if style == "lower":
        return p.short.lower()
    if style == "initial":
        return f"{p.given[0]}. {p.family}"
    if style == "fam_init":
        return f"{p.family} {p.given[0]}"
    if style == "initials":
        return p.initials if rng.random() < 0.5 else ".".join(p.initials) + "."
    if style == "given":
        return p.given
    if style == "nick":
        return p.nick or p.given
    if style == "call":
        return p.call
    if style == "ta":
        return f"{p.family[0]}. {p.given}"
    raise ValueError(style)


def _art(n: int) -> str:
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def _age_parts(rng: random.Random, age: int, form: str | None = None) -> list[Part]:
    form = form or rng.choice(
        ("{}-year-old", "{} y/o", "{}yo", "aged {}", "{} years old", "age {}", "{}y", "{} yrs", "{}-yr-old")
    )
    pre, post = form.split("{}")
    out: list[Part] = []
    if pre:
        out.append(pre)
    out.append((str(age), "AGE_OVER_89") if age >= 90 else str(age))
    if post:
        out.append(post)
    return out


class _Ctx:
    def __init__(
        self, rng: random.Random, origin: str, res: str, site: str, age: int, sex: str | None
    ) -> None:
        self.rng = rng
        self.d = _Doc()
        self.origin, self.res, self.site = origin, res, site
        self.pt = _person(rng, origin, sex)
        self.today = date(2019, 1, 1) + timedelta(days=rng.randrange(2300))
        self.dob = self.today - timedelta(days=int(age * 365.25) + rng.randrange(1, 360))
        self.age = _years(self.dob, self.today)
        self.addr = _address(rng, res)
        self.mobile = _pat(rng, rng.choice(_C[res].mobile))
        self.home = _pat(rng, rng.choice(_C[res].land))
        self.email = _email(rng, self.pt, rng.choice(_C[res].mail))
        label, patt = rng.choice(_C[site].mrn)
        self.mrn_label, self.mrn = label, _pat(rng, patt)
        self.mrns = [self.mrn]
        self.ids = _national_ids(rng, res, self.pt, self.dob)
        self.dstyle = _C[site].dates[0] if rng.random() < 0.5 else rng.choice(_C[site].dates)
        self.extra: list[str] = []  # the patient's identifiers minted while writing the note
        self.facility = rng.choice(_FACILITY if site in _ENGLISH_SITES else _FACILITY_LOCAL)

    # --- text -------------------------------------------------------------------------
    def add(self, *parts: Part) -> None:
        self.d.add(*parts)

    def pick(self, *options: Any) -> Any:
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # --- dates and times ------------------------------------------------------------
    def day(self, lo: int, hi: int) -> date:
        return self.today + timedelta(days=self.rng.randint(lo, hi))

    def dt(self, d: date | None = None, style: str | None = None) -> tuple[str, str]:
        d = d or self.today
        if style is None:
            style = self.dstyle if self.rng.random() < 0.75 else self.rng.choice(_C[self.site].dates)
        return (_fmt_date(d, style), "DATE")

    def pdt(self, d: date | None = None) -> tuple[str, str]:
        return (_fmt_date(d or self.today, self.rng.choice(_C[self.site].partial)), "DATE")

    def tm(self) -> str:
        h, m = self.rng.randrange(24), self.rng.randrange(60)
        if self.site in ("US", "HI", "PH") and self.rng.random() < 0.5:
            return f"{(h % 12) or 12}:{m:02d} {'am' if h < 12 else 'pm'}"
        return self.rng.choice(
            (f"{h:02d}:{m:02d}", f"{h:02d}{m:02d}", f"{h:02d}:{m:02d}", f"{h:02d}.{m:02d}")
        )

    def dtt(self, d: date | None = None) -> list[Part]:
        return [self.dt(d), self.pick(" ", " at ", ", ", " @ "), self.tm()]

    # --- people -----------------------------------------------------------------------
    def staff(self, sex: str | None = None, origin: str | None = None) -> _Person:
        if origin is None:
            if self.rng.random() < 0.15:
                origin = self.rng.choice(list(_ORIG))
            else:
                origin = self.rng.choice(_STAFF[self.site].split())
        return _person(self.rng, origin, sex)

    def rel(self, kind: str) -> _Person:
        return _relative(self.rng, self.pt, kind)

    def honorific(self, p: _Person, older: bool = True) -> tuple[str, str]:
        rng, o, male = self.rng, p.origin, p.sex == "M"
        r = rng.random()
        if o == "am":
            return ("Ato " if male else "W/ro "), ""
        if o == "ja" and r < 0.4:
            return "", "-san"
        if o in ("haw", "sm") and older and r < 0.5:
            return ("Uncle " if male else "Aunty "), ""
        if o == "mi" and older and r < 0.4:
            return ("Matua " if male else "Whaea "), ""
        if o == "tl" and older and r < 0.4:
            return ("Lolo " if male else "Lola "), ""
        if o == "yo" and older and r < 0.2:
            return ("Chief " if male else "Alhaja "), ""
        if o in ("pt", "mx") and r < 0.3:
            return ("Sr. " if male else ("Dona " if o == "pt" else "Sra. ")), ""
        if male:
            return rng.choice(("Mr ", "Mr. ", "Mr ")), ""
        return rng.choice(("Mrs ", "Ms ", "Ms. ", "Miss ", "Mrs. ")), ""

    def nm(self, p: _Person, style: str) -> tuple[str, str]:
        if p.origin == "ta" and style in ("natural", "short") and self.rng.random() < 0.35:
            style = "ta"
        return (_render(self.rng, p, style), "NAME")

    def who(self, p: _Person, style: str | None = None, older: bool = True) -> list[Part]:
        """A lay person (patient, relative): with or without an honorific."""
        style = style or self.pick("titled", "titled", "short", "natural", "given", "titled_full")
        if style == "titled":
            pre, suf = self.honorific(p, older)
            return [pre, self.nm(p, "call"), suf] if pre else [self.nm(p, "call"), suf]
        if style == "titled_full":
            pre, suf = self.honorific(p, older)
            return [pre, self.nm(p, "short"), suf] if pre else [self.nm(p, "short"), suf]
        return [self.nm(p, style)]

    def doc(self, p: _Person, form: str | None = None, deg: str | None = None) -> list[Part]:
        """A clinician: Dr Call / Dr Given Family / Given Family, MD / FAMILY, Given (MD)."""
        form = form or self.pick("dr", "dr", "drfull", "deg", "drinit", "comma")
        deg = deg or self.pick(*_DEGREES_DR)
        title = self.pick("Dr ", "Dr ", "Dr. ", "Prof ") if p.origin != "ja" or self.chance(0.7) else "Dr "
        if form == "dr":
            return [title, self.nm(p, "call" if _ORIG[p.origin].call_given is False else "short")]
        if form == "drfull":
            return [title, self.nm(p, "short")]
        if form == "drinit":
            return [title, self.nm(p, "initial")]
        if form == "comma":
            return [self.nm(p, "fam_comma"), f" ({deg})"]
        return [self.nm(p, "short"), f", {deg}"]

    def nurse(self, p: _Person, cred: str | None = None) -> list[Part]:
        cred = cred or self.pick("RN", "RN", "RM", "EN", "CNS", "NP", "RGN")
        form = self.pick("cred", "cred", "title", "short")
        if form == "cred":
            return [self.nm(p, self.pick("short", "initial", "natural")), f", {cred}"]
        if form == "title":
            return [self.pick("Sister ", "Nurse ", "RN ", "Charge Nurse "), self.nm(p, "call")]
        return [self.nm(p, "short")]

    def ptname(
        self, styles: tuple[str, ...] = ("record", "record", "natural", "short", "fam_comma", "caps")
    ) -> tuple[str, str]:
        return self.nm(self.pt, self.rng.choice(styles))

    def agep(self, form: str | None = None, age: int | None = None) -> list[Part]:
        return _age_parts(self.rng, self.age if age is None else age, form)

    # --- numbers ----------------------------------------------------------------------
    def phone(self, cc: str | None = None, land: bool = False) -> str:
        c = _C[cc or self.site]
        return _pat(self.rng, self.rng.choice(c.land if land else c.mobile))

    def own(self, value: str, cat: str) -> tuple[str, str]:
        """A PHI piece that identifies the patient (licence, plate, device): also goes into the record."""
        self.extra.append(value)
        return (value, cat)

    def reg(self) -> list[Part]:
        """A clinician's registration / licence number, labelled the site's way."""
        label, patt = _REG.get(self.site, ("Reg. No.", "######"))
        return [label if label.endswith("-") else label + " ", (_pat(self.rng, patt), "LICENSE")]

    def ext(self) -> tuple[str, str]:
        return (_pat(self.rng, self.pick("####", "#####", "##-####", "###")), "PHONE")

    def work_email(self, p: _Person) -> tuple[str, str]:
        return (_email(self.rng, p, self.rng.choice(_C[self.site].work), work=True), "EMAIL")

    def idv(self, cat: str) -> tuple[str, str] | None:
        """The patient's (label, value) of a category among national / plan / other IDs."""
        for label, value, c in self.ids:
            if c == cat:
                return label, value
        return None

    def id_line(
        self, cats: tuple[str, ...] = ("SSN", "HEALTH_PLAN", "OTHER_ID"), sep: str = "   "
    ) -> list[Part]:
        out: list[Part] = []
        for label, value, c in self.ids:
            if c in cats:
                out += [f"{label}: ", (value, c), sep]
        return out[:-1] if out else []

    def addrp(self, block: bool = False, country: bool = False, a: _Addr | None = None) -> list[Part]:
        return _addr_parts(self.rng, a or self.addr, block, country)

    def other_addr(self, cc: str | None = None) -> _Addr:
        return _address(self.rng, cc or self.site)

    def account(self) -> list[Part]:
        label = self.pick("Account #", "FIN", "Encounter No.", "Visit No.", "HAR", "Billing acct")
        value = _pat(self.rng, self.pick("########", "V#########", "##-#######-##", "4########", "ENC######"))
        return [f"{label}: ", (value, "ACCOUNT")]

    def patient(self) -> AltPatient:
        p = self.pt
        names = tuple(dict.fromkeys(x for x in (p.record, p.natural, p.short, p.nick) if x))
        return AltPatient(
            names=names,
            mrns=tuple(dict.fromkeys(self.mrns)),
            addresses=self.addr.pieces,
            phones=(self.mobile, self.home),
            emails=(self.email,),
            other=tuple(dict.fromkeys([*(v for _, v, _ in self.ids), *self.extra])),
        )


# ----------------------------------------------------------------------------- note kinds

_RAD = (
    (
        "CT pulmonary angiogram",
        "?PE. Wells score 6, D-dimer 3.1 mg/L FEU.",
        "Filling defects in the right lower lobe segmental arteries. RV/LV ratio 0.9.",
        "Acute segmental pulmonary emboli without right heart strain.",
    ),
    (
        "MRI lumbar spine",
        "?cauda equina: saddle anaesthesia, retention of 700 mL on bladder scan.",
        "Large L4/5 disc extrusion compressing the cauda equina. Conus ends at L1.",
        "Cauda equina compression at L4/5.",
    ),
    (
        "CT head (non-contrast)",
        "Fall on warfarin, INR 3.4, GCS 14 (E4 V4 M6).",
        "Acute subdural haematoma over the left convexity, 8 mm thick, 3 mm midline shift.",
        "Acute left subdural haematoma.",
    ),
    (
        "US abdomen",
        "RUQ pain, Murphy sign positive, ALP 310 U/L, bilirubin 41 umol/L.",
        "Distended gallbladder, wall 5 mm, pericholecystic fluid, stone impacted in the neck.",
        "Acute calculous cholecystitis. CBD 6 mm.",
    ),
    (
        "MR prostate (multiparametric)",
        "PSA 9.8 ng/mL, PSA density 0.21, family history of prostate cancer.",
        "14 mm lesion in the left peripheral zone with restricted diffusion.",
        "PI-RADS 4; targeted biopsy advised.",
    ),
    (
        "CT chest/abdomen/pelvis with contrast",
        "Weight loss of 8 kg, iron-deficiency anaemia (Hb 84 g/L).",
        "Irregular mural thickening of the sigmoid colon over 6 cm; two liver lesions, largest 23 mm.",
        "Sigmoid tumour with liver metastases, radiological T3 N1 M1a.",
    ),
    (
        "Mammogram and breast ultrasound",
        "Palpable lump, left breast at 2 o'clock, present for 6 weeks.",
        "Spiculated mass 18 mm at 2 o'clock, 4 cm from the nipple; one thickened axillary node.",
        "BI-RADS 5. US-guided 14G core biopsy performed (3 cores).",
    ),
    (
        "DEXA scan",
        "Prednisolone 10 mg for 14 months; FRAX major osteoporotic risk 18%.",
        "L1-L4 T-score -2.7; left femoral neck T-score -2.1.",
        "Osteoporosis at the lumbar spine; osteopenia at the hip.",
    ),
    (
        "Chest X-ray (PA)",
        "Fever 38.9, productive cough, CURB-65 score 2.",
        "Right lower zone consolidation with a small effusion. Heart size normal.",
        "Right lower lobe pneumonia.",
    ),
    (
        "Venous Doppler, left leg",
        "Swollen left calf after a long-haul flight, D-dimer 2.4.",
        "Non-compressible left popliteal and femoral veins with echogenic thrombus.",
        "Acute DVT of the left popliteal and femoral veins.",
    ),
)
_PACER = (
    ("Medtronic Azure XT DR MRI", "RNB######S"),
    ("Boston Scientific Accolade MRI", "######"),
    ("Abbott Assurity MRI", "#######"),
    ("Biotronik Edora 8 DR-T", "########"),
    ("Cochlear Nucleus CI612 implant", "#######"),
    ("Medtronic Reveal LINQ loop recorder", "RLA######G"),
)


def _k_radiology(c: _Ctx) -> None:
    rng = c.rng
    mod, question, finding, impression = c.pick(*_RAD)
    req, rad = c.staff(), c.staff()
    acc = _pat(rng, c.pick("RAD##-#######", "A########", "CT########", "ACC ^#######", "XR#######"))
    c.add(
        c.pick("RADIOLOGY REQUEST", "Imaging Request Form", "REQUEST FOR IMAGING EXAMINATION"),
        ": ",
        mod,
        "\n",
    )
    c.add(
        "Accession: ",
        (acc, "OTHER_ID"),
        "    Priority: ",
        c.pick("Urgent", "Routine", "Same day", "2WW"),
        "\n",
    )
    c.add("Patient: ", c.ptname(("fam_comma", "record", "caps", "natural")), "   DOB: ", c.dt(c.dob))
    c.add("   ", c.mrn_label, ": ", (c.mrn, "MRN"), "\n")
    if c.chance(0.5):
        c.add("Address: ", c.addrp(), "\n")
    if c.chance(0.45):
        c.add("Contact no.: ", (c.mobile, "PHONE"))
        if c.chance(0.5):
            c.add("   E-mail: ", (c.email, "EMAIL"))
        c.add("\n")
    if c.chance(0.4):
        c.add(c.account(), "\n")
    c.add("Location: ", c.pick(*_WARDS), ", ", c.facility, "\n")
    c.add(
        "Requesting clinician: ", c.doc(req), "   ", c.pick("Bleep", "Pager", "Ext.", "Vocera"), " ", c.ext()
    )
    if c.chance(0.7):
        c.add("   Fax report to: ", (c.phone(land=True), "FAX"))
    c.add(
        "\n\nClinical details: ", c.agep(), " ", "man" if c.pt.sex == "M" else "woman", ". ", question, "\n"
    )
    c.add(
        c.pick(
            "eGFR 58 mL/min/1.73m2. Metformin withheld for 48 h. No previous contrast reaction.\n",
            "Allergy: iodinated contrast (urticaria): prednisolone 50 mg 13, 7 and 1 h before.\n",
            "Creatinine 92 umol/L. Not pregnant (postmenopausal). Weight 71 kg.\n",
            "Claustrophobic: lorazepam 1 mg PO 30 min before the scan.\n",
        )
    )
    if c.chance(0.3):
        model, sn = c.pick(*_PACER)
        c.add("Implanted device: ", model, ", serial ", c.own(_pat(rng, sn), "DEVICE_ID"))
        c.add(". MR Conditional; cardiac physiologist to reprogramme before and after the scan.\n")
    if c.chance(0.45):
        c.add("Previous imaging: ", c.pick("CT", "US", "X-ray", "MRI"), " ", c.dt(c.day(-400, -20)))
        c.add(" at ", c.pick(*_FACILITY), " (images requested via the image exchange).\n")
    c.add("\nVetted by ", c.doc(rad, form=c.pick("dr", "drinit")), " ", c.dtt(), ". Protocol: ")
    c.add(c.pick("as requested", "add delayed phase", "non-contrast first", "low-dose"), ".\n")
    c.add("\nREPORT\n", finding, "\nIMPRESSION: ", impression, "\n")
    c.add(
        "Reported by ", c.doc(rad, form=c.pick("deg", "comma"), deg=c.pick("FRCR", "FRANZCR", "MD", "DMRD"))
    )
    c.add(" on ", c.dt(), ".")
    if c.chance(0.3):
        c.add(" ", c.reg())
    c.add("\n")
    if c.chance(0.75):
        c.add("\nADDENDUM (", c.dtt(c.day(0, 2)), "): ")
        form = rng.randrange(4)
        if form == 0:
            c.add("Critical result phoned to ", c.doc(req, form="dr"), " (ext ", c.ext(), ") at ", c.tm())
            c.add("; read back and acknowledged.\n")
        elif form == 1:
            c.add("Compared with the outside study of ", c.dt(c.day(-700, -30)), " (report by ")
            c.add(c.doc(c.staff(), form="drinit"), "). Appearances unchanged; no further action.\n")
        elif form == 2:
            c.add("Discussed at the radiology-surgical meeting with ", c.doc(c.staff()), " and ")
            c.add(
                c.doc(c.staff()),
                "; recommendation unchanged. Patient informed by ",
                c.doc(req, form="dr"),
                ".\n",
            )
        else:
            c.add("Correction: LEFT, not right, as dictated. ", c.doc(req, form="dr"), " informed on ")
            c.add((c.phone(land=True), "PHONE"), " at ", c.tm(), ".\n")
        c.add("   - ", c.nm(rad, c.pick("short", "initial", "initials")), "\n")


_HELPLINES = {
    "US": "988 Suicide & Crisis Lifeline",
    "HI": "988 Suicide & Crisis Lifeline",
    "UK": "NHS 111 (option 2) or Samaritans on 116 123",
    "AU": "Lifeline 13 11 14",
    "NZ": "Need to talk? free call or text 1737",
    "CA": "9-8-8",
}


def _k_psychiatry(c: _Ctx) -> None:
    pt = c.pt
    she = "she" if pt.sex == "F" else "he"
    her = "her" if pt.sex == "F" else "his"
    a, b = c.staff(), c.staff()
    c.add(
        c.pick(
            "LIAISON PSYCHIATRY ASSESSMENT",
            "Mental Health Assessment - Crisis Team",
            "PSYCHIATRIC ASSESSMENT",
        )
    )
    c.add("\n")
    c.add("Name: ", c.ptname(), "   DOB: ", c.dt(c.dob), "   ", c.mrn_label, " ", (c.mrn, "MRN"), "\n")
    if c.chance(0.6):
        c.add("Address: ", c.addrp(), "   Tel: ", (c.mobile, "PHONE"))
        if c.chance(0.35):
            c.add(" / ", (c.email, "EMAIL"))
        c.add("\n")
    if c.chance(0.3):
        c.add(c.id_line(("SSN", "HEALTH_PLAN")), "\n")
    gp = c.staff()
    if c.chance(0.65):
        c.add("GP: ", c.doc(gp, form=c.pick("dr", "drfull")), ", ", c.addrp(a=c.other_addr()), "  Tel ")
        c.add((c.phone(land=True), "PHONE"), "  Fax ", (c.phone(land=True), "FAX"), "\n")
    c.add("Seen: ", c.dtt(), " in ", c.pick("ED cubicle 6", "the section 136 suite", "the home", "Ward 4B"))
    c.add(" by ", c.doc(a, form="drfull"), " (ST5) and ", c.nurse(b, "CPN"), ".\n")
    abroad = c.site not in _ORIG[c.origin].homes[:1] and not (c.origin == "haw" and c.site == "HI")
    if c.origin in _HOSP_LANG and abroad and c.chance(0.6):
        interp = c.staff(origin=c.origin)
        c.add("Interpreter: ", _HOSP_LANG[c.origin], ", ", c.nm(interp, "short"), " (booking ref ")
        c.add((_pat(c.rng, "INT-######"), "OTHER_ID"), "), by telephone.\n")
    rel_kind = c.pick(
        "sister", "daughter", "son", "brother", "mother", "husband" if pt.sex == "F" else "wife"
    )
    rel = c.rel(rel_kind)
    c.add(
        "\nHistory: ",
        c.who(pt, "titled"),
        f" is {_art(c.age)} ",
        c.agep(c.pick("{}-year-old", "{} year old")),
        " ",
    )
    c.add(
        c.pick("retired teacher", "taxi driver", "student", "care worker", "shop owner", "nurse", "engineer")
    )
    c.add(" living with ", her, " ", rel_kind, " ", c.who(rel, c.pick("short", "given")), ". ")
    c.add(
        "Low mood since ",
        c.pdt(c.day(-120, -20)) if c.chance(0.5) else (_MONTH[c.day(-200, -40).month - 1], "DATE"),
        ", ",
    )
    c.add(c.pick("early waking at 4 am", "poor appetite (weight down 6 kg)", "withdrawn from friends"), ". ")
    if c.chance(0.5):
        spouse = c.rel("husband" if pt.sex == "F" else "wife")
        c.add("Bereaved: ", "husband " if pt.sex == "F" else "wife ", c.nm(spouse, "short"), " died on ")
        c.add(c.dt(c.day(-400, -60)), ". ")
    c.add(
        c.pick(
            "Hope is something " + she + " says " + she + " has lost. ",
            "Faith community (church) has been supportive. ",
            "Will not say whether " + she + " has made plans. ",
            "May have stopped sertraline two weeks ago. ",
        )
    )
    c.add("\nPast history: ")
    c.add(
        c.pick(
            "admitted under Section 2 of the Mental Health Act 1983 in 2016",
            "overdose of paracetamol 32 x 500 mg in 2021",
            "no previous admissions",
        ),
        "; ",
    )
    c.add(
        c.pick("Parkinson disease", "hypothyroidism (Hashimoto)", "type 2 diabetes", "Crohn disease"), ".\n"
    )
    c.add("Medication: sertraline 100 mg OD, quetiapine (Seroquel) 25 mg nocte, levothyroxine 75 mcg.\n")
    c.add("\nCollateral: telephoned ", rel_kind, " ", c.who(rel, "titled"), " on ")
    c.add((c.phone(c.res), "PHONE"), c.pick(" (mobile)", "", " - left voicemail, called back"), "; ")
    c.add(
        c.pick(
            "confirms two weeks of deterioration",
            "worried about money since the job ended",
            "no weapons at home",
        )
    )
    if c.chance(0.5):
        c.add("; ", c.nm(rel, "given"), "'s main worry is ", c.pick("sleep", "money", "safety at night"))
    c.add(
        ".\n\nMSE: ",
        c.pick("Kempt", "Dishevelled", "Appropriately dressed"),
        ", good rapport. Speech slow. Mood ",
    )
    c.add('"', c.pick("empty", "tired of everything", "numb", "okay I suppose"), '", affect restricted. ')
    c.add("No formal thought disorder; ")
    c.add(
        c.pick("passive death wish, no plan", "no suicidal ideation", "thoughts of overdose, no plan"), ". "
    )
    c.add("No hallucinations. Orientated; MoCA 27/30. Insight partial.\n")
    c.add(
        f"Scales: PHQ-9 {c.rng.randint(9, 26)}, GAD-7 {c.rng.randint(3, 20)}, AUDIT-C {c.rng.randint(0, 9)}."
    )
    c.add(" Columbia (C-SSRS) screen: ", c.pick("low", "moderate", "high"), " risk.\n")
    c.add(
        "\nPlan: Home Treatment Team ",
        c.pick("daily visits", "twice-daily visits", "telephone review"),
        "; review",
    )
    c.add(" with ", c.doc(a, form="dr"), " on ", c.pdt(c.day(2, 10)), ". ")
    if c.site in _HELPLINES:
        c.add("Crisis numbers given: ", _HELPLINES[c.site], ". ")
    c.add("Team duty line ", (c.phone(land=True), "PHONE"), ".\n")
    c.add(c.nm(a, c.pick("short", "initial")), ", ", c.pick("ST5 Psychiatry", "Specialty Doctor", "CT3"))
    if c.chance(0.5):
        c.add("  ", c.reg())
    c.add("\n")


def _k_antenatal(c: _Ctx) -> None:
    rng = c.rng
    mw, cons = c.staff("F"), c.staff()
    lmp = c.day(-95, -56)
    edd = lmp + timedelta(days=280)
    scan = lmp + timedelta(days=rng.randint(77, 94))
    partner = c.rel("husband" if c.chance(0.7) else "partner")
    c.add(
        c.pick("ANTENATAL BOOKING", "Maternity booking appointment", "FIRST ANTENATAL VISIT"),
        " - ",
        c.facility,
    )
    c.add("\nWoman: ", c.ptname(("record", "natural", "fam_comma")), "   ", c.mrn_label, ": ", (c.mrn, "MRN"))
    c.add("   DOB: ", c.dt(c.dob), " (", c.agep("{}"), ")\n")
    if c.chance(0.5):
        c.add(c.id_line(("HEALTH_PLAN", "SSN")), "\n")
    c.add("Address: ", c.addrp(), "\nMobile: ", (c.mobile, "PHONE"))
    if c.chance(0.5):
        c.add("   Email: ", (c.email, "EMAIL"))
    c.add("\nPartner: ", c.nm(partner, c.pick("short", "natural")), ", ", (c.phone(c.res), "PHONE"), "\n")
    c.add(
        "Midwife: ",
        c.nurse(mw, "RM"),
        "   Named consultant: ",
        c.doc(cons, form=c.pick("dr", "drfull")),
        "\n",
    )
    c.add("Booking date: ", c.dt(), "\n\n")
    g = rng.randint(1, 4)
    c.add(f"Obstetric history: G{g} P{g - 1}. ")
    if g > 1:
        c.add(
            c.pick(
                "2019: SVD at 39+2, girl 3.2 kg. ",
                "2021: emergency LSCS (Pfannenstiel), failure to progress. ",
            )
        )
        c.add("Previous baby born at ", c.pick(*_FACILITY), ". ")
    c.add("\nLMP: ", c.dt(lmp), "   EDD by dates: ", c.dt(edd), " (Naegele rule)\n")
    c.add("Dating scan ", c.dt(scan), ": CRL ", str(rng.randint(45, 80)), " mm, EDD confirmed as ")
    c.add(c.dt(edd + timedelta(days=rng.randint(-4, 4))), ". ")
    c.add("Combined screening for Down syndrome, Edwards and Patau syndromes: lower chance (1 in ")
    c.add(f"{rng.choice((2300, 4500, 9800, 12000))}).\n")
    c.add(
        f"Booking bloods: Hb {rng.randint(102, 135)} g/L, ",
        c.pick("O RhD negative", "A RhD positive", "B RhD pos"),
    )
    c.add(", rubella immune, HIV/syphilis/HBV negative. BMI ", str(rng.randint(19, 38)), ".\n")
    c.add(
        "Plan: aspirin 150 mg nocte from 12 weeks; GTT at 24-28 weeks; anti-D at 28 weeks if RhD negative; "
    )
    c.add("Bishop score to be assessed at term if induction discussed.\n")
    c.add("Social: ", c.pick("works as a pharmacist", "student", "works nights in a warehouse", "homemaker"))
    c.add("; Edinburgh Postnatal Depression Scale ", str(rng.randint(2, 14)), "; ")
    if c.chance(0.4):
        gm = c.rel("mother")
        c.add(
            "own mother ",
            c.who(gm, "titled"),
            " (",
            (c.phone(c.res), "PHONE"),
            ") will help after the birth. ",
        )
    c.add("\nNext: 16-week appointment on ", c.pdt(lmp + timedelta(days=112)), " with ")
    c.add(
        c.nm(mw, c.pick("given", "short")),
        " at ",
        c.tm(),
        ". Maternity triage ",
        (c.phone(land=True), "PHONE"),
    )
    c.add(".\n")


def _k_wellchild(c: _Ctx) -> None:
    rng = c.rng
    months = max(1, (c.today - c.dob).days // 30)
    mum, dad = c.rel("mother"), c.rel("father")
    doc = c.staff()
    title = (
        "Well Child / Tamariki Ora check"
        if c.site == "NZ"
        else c.pick("WELL-CHILD VISIT", "Child health review")
    )
    c.add(title, f" - {months} months\n" if months < 36 else f" - {months // 12} years\n")
    c.add("Child: ", c.ptname(("record", "natural", "fam_comma")), "   DOB: ", c.dt(c.dob))
    c.add("   ", c.mrn_label, ": ", (c.mrn, "MRN"), "\n")
    if c.chance(0.5):
        c.add(c.id_line(("HEALTH_PLAN",)), "\n")
    c.add("Parents: ", c.nm(mum, c.pick("short", "natural")), " (mother), ")
    c.add(c.nm(dad, c.pick("short", "natural")), " (father); attends with ")
    c.add(c.pick("mother", "both parents", "father", "grandmother"))
    if c.chance(0.3):
        gg = c.rel("grandmother")
        c.add(
            "; great-grandmother ",
            c.nm(gg, "short"),
            ", ",
            c.agep(c.pick("{}", "aged {}"), rng.randint(86, 99)),
        )
        c.add(", also present")
    c.add("\nAddress: ", c.addrp(), "\nParent phone: ", (c.mobile, "PHONE"))
    if c.chance(0.5):
        c.add(" / ", (c.email, "EMAIL"))
    c.add("\n\nBirth: term, SVD, Apgar 8 and 9, birth weight ", f"{rng.uniform(2.6, 4.1):.2f}", " kg; ")
    c.add(
        "newborn bloodspot screen normal; hearing screen passed on ", c.dt(c.dob + timedelta(days=2)), ".\n"
    )
    weight = min(22.0, 3.4 + 0.55 * months if months < 12 else 9.5 + 0.2 * (months - 12)) * rng.uniform(
        0.85, 1.15
    )
    length = min(118.0, 50 + 2.2 * months if months < 12 else 76 + 0.75 * (months - 12)) * rng.uniform(
        0.95, 1.05
    )
    c.add(f"Growth: weight {weight:.1f} kg ({_ord(rng.choice((9, 25, 50, 75, 91)))} centile), ")
    head = 35 + months // 2 if months < 18 else 44 + months // 12
    c.add(f"length {length:.0f} cm, head circumference {head} cm.\n")
    if months < 6:
        dev = "social smile, head control, follows past midline"
    elif months < 18:
        dev = c.pick("pincer grasp, cruising, 3 words", "sits unsupported, babbles, stranger anxiety")
    elif months < 36:
        dev = c.pick("walks alone, 20 words, 2-word phrases", "runs, kicks a ball, points to body parts")
    else:
        dev = c.pick("hops on one foot, copies a cross, knows colours", "dresses self, 4-word sentences")
    c.add("Development: ", dev)
    c.add("; Denver II normal; Moro reflex ", "present" if months < 5 else "absent (age appropriate)", ".\n")
    if months < 12:
        vac = "DTaP-IPV-Hib-HepB (Infanrix hexa, lot A21CC389A), PCV13 (Prevenar 13, lot GN4122), left thigh"
    elif months < 36:
        vac = "MMR #1 (lot U7281AA), varicella (Varivax, lot T015522), left thigh"
    else:
        vac = "DTaP-IPV booster (Quadracel, lot C5871AA), MMR #2 (lot U7281AA), left deltoid"
    c.add("Immunisations today: ", vac, ". Next due: ", c.pdt(c.day(60, 120)), ".\n")
    c.add(
        c.pick(
            "Safety: rear-facing car seat, pool fence, no smokers at home.\n",
            "Sleep: safe sleep advice; sleeps in own cot. Vitamin D 400 IU daily.\n",
            "Feeding: breastfed plus solids; iron-rich foods discussed.\n",
        )
    )
    if c.chance(0.3):
        c.add("Home apnoea monitor returned (serial ", c.own(_pat(rng, "AM-######"), "DEVICE_ID"), ").\n")
    if c.chance(0.3):
        url = f"https://myhealth.{_C[c.site].work[0]}/children/{_pat(rng, '#######')}/growth"
        c.add("Growth chart shared on the portal: ", (url, "URL"), "\n")
    c.add("Next visit: ", c.dt(c.day(60, 180)), ". ", c.doc(doc), "\n")


_MDT = (
    (
        "Urology",
        "Adenocarcinoma of the prostate, Gleason 4+3=7 (ISUP Grade Group 3), 6/12 cores",
        "mpMRI PI-RADS 5, cT3a N0 M0 on PSMA PET",
        "Radical prostatectomy vs radiotherapy with 6 months ADT; patient to meet both.",
    ),
    (
        "Breast",
        "Invasive ductal carcinoma, grade 2, ER 8/8, PR 6/8, HER2 negative (IHC 1+)",
        "cT2 N1 M0; one abnormal axillary node, FNA positive",
        "Neoadjuvant chemotherapy then surgery; consider CDK4/6 inhibitor adjuvantly.",
    ),
    (
        "Skin",
        "Superficial spreading melanoma, Breslow 1.4 mm, Clark level IV, ulceration absent, mitoses 2/mm2",
        "pT2a; CT staging clear",
        "Wide local excision 1-2 cm margins and sentinel lymph node biopsy.",
    ),
    (
        "Haematology",
        "Classical Hodgkin lymphoma, nodular sclerosis",
        "PET-CT: stage IIA, bulky mediastinal disease",
        "ABVD x 4 then interim PET; fertility preservation discussed.",
    ),
    (
        "Upper GI",
        "Moderately differentiated adenocarcinoma of the pancreatic head",
        "CT: 28 mm mass, no arterial involvement, resectable",
        "Whipple procedure (pancreaticoduodenectomy); pre-op biliary stent placed.",
    ),
    (
        "Lung",
        "Non-small cell lung cancer, adenocarcinoma, EGFR exon 19 deletion, PD-L1 60%",
        "cT2b N2 M0, stage IIIA; EBUS positive station 7",
        "Concurrent chemoradiotherapy; osimertinib to be considered.",
    ),
)


def _k_mdt(c: _Ctx) -> None:
    rng = c.rng
    tumour, histo, stage, outcome = c.pick(*_MDT)
    chair, onc, radl, path, cns, surg = (c.staff() for _ in range(6))
    gp = c.staff()
    c.add(f"{tumour.upper()} MULTIDISCIPLINARY TEAM MEETING - OUTCOME\n")
    c.add("Meeting date: ", c.dt(), "   Chair: ", c.doc(chair, form="drfull"), "\n")
    c.add("Present: ")
    team = [(onc, "oncology"), (radl, "radiology"), (path, "pathology"), (surg, "surgery")]
    if c.chance(0.5):
        team.pop(rng.randrange(1, 4))
    for i, (p, role) in enumerate(team):
        if i:
            c.add("; ")
        c.add(c.doc(p, form=c.pick("dr", "drfull", "drinit")), f" ({role})")
    c.add("; ", c.nurse(cns, "CNS"), " (key worker)\n\n")
    c.add("Patient: ", c.ptname(), "   ", c.mrn_label, " ", (c.mrn, "MRN"), "   DOB ", c.dt(c.dob))
    c.add("   Age ", c.agep("{}"), "\n")
    if c.chance(0.3):
        c.add("Contact: ", (c.mobile, "PHONE"), ", ", (c.email, "EMAIL"), " (prefers e-mail)\n")
    if c.chance(0.35):
        c.add(c.id_line(("HEALTH_PLAN",)), "\n")
    c.add(
        "Referral: ", c.pick("2-week-wait referral", "urgent suspected cancer referral", "incidental finding")
    )
    c.add(" from ", c.doc(gp, form=c.pick("dr", "drfull")), " on ", c.dt(c.day(-60, -20)), ".\n")
    c.add(
        "Histology (", (_pat(rng, c.pick("H##-#####", "S##-######", "PA-######")), "OTHER_ID"), ", reported "
    )
    c.add(c.dt(c.day(-20, -3)), "): ", histo, ".\n")
    c.add("Imaging: ", stage, ".\n")
    c.add(f"Performance status: ECOG {rng.randint(0, 2)}. Comorbidities: ")
    c.add(
        c.pick("Parkinson disease", "CKD stage 3", "COPD (FEV1 62%)", "none significant", "Graves disease"),
        ".\n",
    )
    c.add("\nOUTCOME: ", outcome, "\n")
    if c.chance(0.4):
        c.add("Trial: potentially eligible for ", _pat(rng, "NCT0#######"), "; research nurse to approach.\n")
    c.add(
        "Next MDT: ",
        c.pdt(c.day(14, 42)),
        ". Clinic with ",
        c.doc(onc, form="dr"),
        " on ",
        c.dt(c.day(3, 14)),
    )
    c.add(".\nKey worker: ", c.nm(cns, c.pick("short", "given")), ", tel ", (c.phone(land=True), "PHONE"))
    if c.chance(0.6):
        c.add(" ext ", c.ext())
    c.add(", ", c.work_email(cns), "\n")
    c.add("Copy to GP: ", c.doc(gp, form="drfull"), ", ", c.addrp(a=c.other_addr()))
    if c.chance(0.5):
        c.add("   Fax ", (c.phone(land=True), "FAX"))
    c.add("\n")


def _k_dental(c: _Ctx) -> None:
    rng = c.rng
    gdp, omfs, dn = c.staff(), c.staff(), c.staff("F")
    c.add(
        c.pick(
            "ORAL & MAXILLOFACIAL SURGERY CLINIC", "Dental Hospital - New Patient", "OMFS referral response"
        )
    )
    c.add(
        "\n", "Patient: ", c.ptname(), " (DOB ", c.dt(c.dob), ")   ", c.mrn_label, ": ", (c.mrn, "MRN"), "\n"
    )
    if c.chance(0.6):
        dent = c.pick("Delta Dental member ID", "Dental plan no.", "Bupa Dental policy", "HICAPS card")
        c.add(dent, ": ", (_pat(rng, c.pick("^^^#########", "########-##", "#### #### ####")), "HEALTH_PLAN"))
        c.add("   ", c.account(), "\n")
    c.add(
        "Referred by: ", c.doc(gdp, form=c.pick("dr", "drfull", "deg"), deg=c.pick("BDS", "DDS", "DMD")), ", "
    )
    c.add(c.addrp(a=c.other_addr()), "  Tel ", (c.phone(land=True), "PHONE"))
    if c.chance(0.5):
        c.add("  Fax ", (c.phone(land=True), "FAX"))
    c.add("\nDate: ", c.dt(), "\n\n")
    c.add(
        "Complaint: ",
        c.pick("recurrent pericoronitis LR8 (48)", "swelling left mandible after XLA 36 on ", "pain UL6"),
    )
    if c.d.chunks[-1].endswith("on "):
        c.add(c.pdt(c.day(-20, -5)))
    c.add(".\n")
    c.add("Examination: FDI 36 MOD amalgam; 47 root-filled; 18, 28, 38 and 48 partially erupted. ")
    c.add("Mouth opening 32 mm. No lymphadenopathy. Facial nerve intact (no Bell palsy).\n")
    c.add("OPG ", c.dt(c.day(-30, 0)), ": 38 and 48 mesioangular (Winter), Pell and Gregory class II B; ")
    c.add("inferior alveolar canal closely related to 48. Incidental Stafne bone cavity left.\n")
    c.add("Plan: XLA 38, 48 under LA (lidocaine 2% with adrenaline 1:80,000, 4 x 2.2 mL); coronectomy 48 if ")
    c.add(
        "roots grooved. Chlorhexidine 0.2% mouthwash. Consent signed; witnessed by ",
        c.nurse(dn, "RDN"),
        ".\n",
    )
    if c.chance(0.35):
        c.add("Previous implant 46: Straumann BLT 4.1 x 10 mm (REF 021.5510, lot 7K42Q), ")
        c.add(
            "placed ",
            c.dt(c.day(-900, -200)),
            "; implant card serial ",
            (_pat(rng, "IMP-#######"), "DEVICE_ID"),
            ".\n",
        )
    if c.chance(0.3):
        c.add("Le Fort I osteotomy discussed previously by ", c.doc(c.staff(), form="dr"), " - declined.\n")
    c.add("Appointment: ", c.pdt(c.day(7, 30)), " at ", c.tm(), ". Contact ", (c.mobile, "PHONE"))
    if c.chance(0.4):
        c.add(", reminders to ", (c.email, "EMAIL"))
    c.add(".\n")
    c.add(c.doc(omfs, form=c.pick("deg", "comma"), deg=c.pick("BDS FDS", "DDS", "MBBS BDS FRCS(OMFS)")), "\n")


def _ip4(rng: random.Random) -> str:
    return rng.choice(
        (
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"{rng.randrange(11, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        )
    )


def _ip6(rng: random.Random) -> str:
    h = [f"{rng.randrange(65536):x}" for _ in range(5)]
    return rng.choice(
        (f"2001:db8:{h[0]}:{h[1]}::{h[2]}", f"fe80::{h[0]}:{h[1]}:{h[2]}:{h[3]}", ":".join(h) + "::1")
    )


def _mac(rng: random.Random) -> str:
    sep = rng.choice(":-")
    return sep.join(f"{rng.randrange(256):02X}" for _ in range(6))


def _k_telederm(c: _Ctx) -> None:
    rng = c.rng
    gp, derm = c.staff(), c.staff()
    case = _pat(rng, c.pick("TD-####-#####", "eDerm ######", "CASE-^^####"))
    host = c.pick("teledermatology", "ederm", "skinreferral", "consult")
    dom = c.pick(*_C[c.site].work)
    c.add(c.pick("TELEDERMATOLOGY CONSULT (store-and-forward)", "e-Dermatology referral and response"), "\n")
    c.add("Case: ", (case, "OTHER_ID"), "\n")
    if c.chance(0.8):
        c.add("Link: ", (f"https://{host}.{dom}/cases/{_pat(rng, '#######')}/view", "URL"), "\n")
    c.add(
        "Submitted: ",
        c.dtt(c.day(-6, -1)),
        " by ",
        c.doc(gp, form=c.pick("dr", "drfull")),
        " (",
        c.work_email(gp),
    )
    c.add(")\nUpload from ", (_ip4(rng) if c.chance(0.7) else _ip6(rng), "IP"), " using ")
    scope, sn = c.pick(
        ("DermLite DL5", "DL5-######"),
        ("Heine Delta 30", "H########"),
        ("FotoFinder handyscope", "FF^#####"),
        ("MoleScope II", "MS2-####-####"),
    )
    c.add(scope, " S/N ", (_pat(rng, sn), "DEVICE_ID"), "\n")
    c.add("Patient: ", c.ptname(), ", ", c.agep(c.pick("{}", "{}y", "{} y/o")), ", ")
    c.add("M" if c.pt.sex == "M" else "F", ". ", c.mrn_label, " ", (c.mrn, "MRN"), ". Fitzpatrick type ")
    c.add(c.pick("II", "III", "IV", "V", "VI"), ".\n")
    if c.chance(0.45):
        c.add("Patient contact (for results): ", (c.mobile, "PHONE"))
        if c.chance(0.5):
            c.add(", ", (c.email, "EMAIL"))
        c.add("\n")
    noticed = c.rel(c.pick("daughter", "son", "wife" if c.pt.sex == "M" else "husband", "granddaughter"))
    c.add(
        "\nHistory: lesion on the ",
        c.pick("left calf", "upper back", "right cheek", "scalp", "sole of the foot"),
    )
    c.add(" first noticed by ", c.nm(noticed, c.pick("given", "short")))
    if c.chance(0.5):
        c.add(" in ", (_MONTH[c.day(-150, -30).month - 1], "DATE"))
    else:
        c.add(" on ", c.pdt(c.day(-150, -30)))
    c.add("; ", c.pick("growing and itchy", "bled once", "changed colour", "no change per the patient"), ". ")
    c.add(
        c.pick("Previous BCC excised 2018.", "No personal history of skin cancer.", "Renal transplant 2012.")
    )
    c.add("\nImages: 3 macroscopic, 2 dermoscopic (IMG_0412-0416), ruler in view.\n")
    c.add("\nRESPONSE (", c.dt(), "):\n")
    c.add(
        c.pick(
            "Dermoscopy: atypical network, blue-white veil, irregular dots; 7-point checklist 5. "
            "Suspicious for melanoma. Spitz naevus less likely. Kaposi sarcoma not favoured.",
            "Dermoscopy: arborising vessels and blue-grey ovoid nests: nodular BCC.",
            "Dermoscopy: milky-red areas, keratin: keratoacanthoma vs SCC.",
            "Dermoscopy: reticular pattern, symmetric: benign Clark naevus. Reassure.",
        )
    )
    c.add(
        "\nRecommendation: ", c.pick("urgent excision (2WW)", "routine excision", "review in 3 months"), ". "
    )
    c.add("Reviewed by ", c.doc(derm, form=c.pick("dr", "deg", "comma"), deg=c.pick("FACD", "FRCP", "MD")))
    if c.chance(0.5):
        c.add(" (", c.work_email(derm), ")")
    c.add(".\n")
    if c.chance(0.4):
        c.add("Audit: opened ", c.dtt(), " from ", (_ip4(rng), "IP"), " by ", c.nm(derm, "initials"), ".\n")


def _k_palliative(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    dau, son = c.rel("daughter"), c.rel("son")
    doc, rn = c.staff(), c.staff()
    chap = c.staff()
    chap_title = {
        "ar": "Imam ",
        "fa": "Imam ",
        "el": "Father ",
        "ru": "Father ",
        "uk": "Father ",
        "haw": "Kahu ",
        "mi": "Minita ",
        "tl": "Father ",
        "mx": "Padre ",
        "pt": "Padre ",
    }.get(c.origin) or c.pick("Pastor ", "Chaplain ", "Rev. ", "Sister ")
    dx = c.pick(
        "metastatic lung cancer",
        "end-stage heart failure (NYHA IV)",
        "advanced Alzheimer dementia",
        "motor neurone disease",
        "end-stage renal failure, dialysis withdrawn",
        "frailty with recurrent aspiration",
    )
    c.add(
        c.pick(
            "HOSPICE - FAMILY MEETING", "Palliative Care Team: family conference", "Hospice admission note"
        ),
        "\n",
    )
    c.add("Patient: ", c.ptname(), "   ", c.mrn_label, ": ", (c.mrn, "MRN"), "   DOB ", c.dt(c.dob))
    c.add("   (", c.agep(c.pick("{}", "{} years", "age {}")), ")\n")
    c.add("Date: ", c.dtt(), "   Diagnosis: ", dx, "\n")
    c.add(
        "Present: daughter ",
        c.nm(dau, c.pick("short", "natural")),
        "; son ",
        c.nm(son, c.pick("short", "given")),
    )
    if c.chance(0.6):
        far = c.other_addr(c.pick(c.res, c.site, "UK", "AU", "US"))
        c.add(" (by video from ", (far.city, "ADDRESS"), ")")
    c.add("; ", chap_title, c.nm(chap, "call"), " (spiritual care); ", c.doc(doc, form="dr"), "; ")
    c.add(c.nurse(rn), "\n\n")
    c.add(
        "Summary: ",
        c.who(pt, "titled"),
        ", ",
        c.agep(c.pick("aged {}", "{} years old", "{}y")),
        ", with ",
        dx,
    )
    c.add(", now bed-bound, eating sips only, ", c.pick("PPS 30%", "PPS 20%", "AKPS 30"), ". ")
    c.add(
        c.pick(
            "Rose from chair with two carers yesterday.",
            "Joy at seeing the grandchildren.",
            "Grace said first.",
        )
    )
    c.add(" Family understand that time is likely short (days to weeks).\n")
    c.add("Decisions: DNACPR / ReSPECT form signed ", c.dt(c.day(-30, 0)), ". Preferred place of death: ")
    if c.chance(0.6):
        c.add("home, ", c.addrp(), ".\n")
    else:
        c.add("hospice.\n")
    c.add("Medicines: syringe driver (", c.pick("CME T34", "BD BodyGuard T", "Niki T34"), " S/N ")
    c.add((_pat(rng, c.pick("##########", "T34-######", "BG#######")), "DEVICE_ID"))
    c.add(
        ") morphine 10 mg + midazolam 10 mg / 24 h; glycopyrronium PRN for secretions. "
        "Foley catheter in situ.\n"
    )
    if c.chance(0.45):
        c.add(
            "Parking permit for family car, registration ",
            (_plate(rng, c.site if c.site != "HI" else "US"), "VEHICLE_ID"),
        )
        c.add(", valid until ", c.pdt(c.day(7, 21)), ".\n")
    if c.chance(0.3):
        slug = (
            "-".join(_ascii_local(pt)) if c.chance(0.5) else f"{_ascii_local(pt)[0]}{c.rng.randrange(10, 99)}"
        )
        c.add("Family has set up a page for updates: ", (f"www.caringbridge.org/visit/{slug}", "URL"), "\n")
    if c.chance(0.35):
        c.add(
            "\nVerification of death: died peacefully at ",
            c.tm(),
            " on ",
            c.dt(c.day(1, 9)),
            ". Verified by ",
        )
        c.add(c.nurse(rn), ". Family present. Pacemaker: ")
        c.add(
            c.pick("none", "deactivated"),
            ". Funeral director: ",
            c.pick("Smith & Sons", "Harbourside Funerals"),
        )
        c.add(" (", (c.phone(land=True), "PHONE"), ").\n")
    c.add("Bereavement follow-up: ", c.nm(dau, "given"), " on ", (c.phone(c.res), "PHONE"), " in 6 weeks.\n")
    c.add(c.doc(doc, form=c.pick("deg", "drfull")), ", Palliative Medicine\n")


def _k_ambulance(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    p1, p2, rn = c.staff(), c.staff(), c.staff()
    cc = c.site if c.site != "HI" else "US"
    mvc = c.chance(0.55)
    c.add(
        c.pick(
            "PATIENT CARE REPORT (ePCR extract)", "EMS PCR - NEMSIS v3 fields", "Ambulance Patient Record"
        ),
        "\n",
    )
    c.add(
        "eRecord.01 PCR No: ",
        (_pat(rng, c.pick("PCR-########", "########-##", "^^########")), "OTHER_ID"),
        "\n",
    )
    c.add(
        "eResponse.03 Incident No: ", (_pat(rng, c.pick("##-######", "INC########", "E##-#####")), "OTHER_ID")
    )
    c.add("   eResponse.14 Unit: ", c.pick("Medic 14", "Rescue 3", "Ambulance 27", "ALS 5"), "\n")
    d = c.today
    c.add("eTimes.03 Notified: ", c.dt(d, "iso"), " ", c.tm(), "   eTimes.07 At patient: ", c.tm())
    c.add("   eTimes.12 At destination: ", c.tm(), "\n")
    c.add("ePatient.02-04 Name: ", c.nm(pt, c.pick("fam_comma", "caps", "record")), "\n")
    c.add("ePatient.13 Sex: ", "Male" if pt.sex == "M" else "Female", "   ePatient.15 Age: ")
    c.add(c.agep(c.pick("{} Years", "{}", "{} yrs")), "   ePatient.17 DOB: ", c.dt(c.dob, "iso"), "\n")
    c.add("ePatient.05-09 Home address: ", c.addrp(), "\n")
    if c.chance(0.6):
        c.add("ePatient.18 Phone: ", (c.mobile, "PHONE"), "\n")
    if c.chance(0.5):
        lab, dl = _dl(rng, c.res, pt, c.dob)
        c.add("ePatient.21 Driver's licence: ", c.own(dl, "LICENSE"), f" ({lab})\n")
    if c.chance(0.4):
        c.add(c.id_line(("SSN", "HEALTH_PLAN")), "\n")
    scene = c.other_addr(c.site)
    c.add(
        "eScene.15-19 Incident location: ",
        c.pick("roadway", "private residence", "nursing home", "shop"),
        ", ",
    )
    c.add(c.addrp(a=scene), "\n")
    if mvc:
        c.add(
            "eSituation: MVC, restrained driver, frontal impact ~50 km/h, airbags deployed, "
            "self-extricated.\n"
        )
        c.add("Vehicle: patient's car, plate ", c.own(_plate(rng, cc), "VEHICLE_ID"))
        if c.chance(0.6):
            c.add(", VIN ", c.own(_vin(rng), "VEHICLE_ID"))
        c.add(
            ". Other vehicle plate ",
            (_plate(rng, cc), "VEHICLE_ID"),
            " (driver uninjured, police attending).\n",
        )
    else:
        c.add(
            c.pick(
                "eSituation: fall from standing at home, long lie ~6 h, on apixaban.\n",
                "eSituation: chest pain 8/10 radiating to the left arm; STEMI on 12-lead (inferior).\n",
                "eSituation: found drowsy; BGL 2.1 mmol/L; insulin pump in situ.\n",
                "eSituation: sudden left-sided weakness, FAST positive, last known well 40 min ago.\n",
            )
        )
    c.add(f"eVitals: BP {rng.randint(85, 190)}/{rng.randint(45, 110)}, HR {rng.randint(48, 140)}, RR ")
    c.add(f"{rng.randint(12, 30)}, SpO2 {rng.randint(86, 100)}%, GCS {rng.randint(9, 15)}, BGL ")
    c.add(f"{rng.uniform(2.0, 14.0):.1f} mmol/L, pain {rng.randint(0, 10)}/10.\n")
    c.add(
        "Treatment: ", c.pick("aspirin 300 mg PO, GTN 400 mcg SL", "methoxyflurane 3 mL", "glucagon 1 mg IM")
    )
    c.add(
        ", IV access 18G L ACF, ",
        c.pick("cervical collar", "scoop and vacuum mattress", "oxygen 2 L/min"),
        ".\n",
    )
    if c.chance(0.4):
        nok = c.rel(c.pick("wife", "husband", "daughter", "son", "sister"))
        c.add("Next of kin: ", c.nm(nok, c.pick("short", "natural")), ", ", (c.phone(c.res), "PHONE"), "\n")
    c.add("eCrew: ", c.nm(p1, c.pick("short", "fam_comma")), ", ", c.pick("Paramedic", "NRP", "EMT-P", "ICP"))
    c.add(
        " (cert ", (_pat(rng, c.pick("P#######", "PAR##########", "NRP-######", "#####")), "LICENSE"), "); "
    )
    c.add(c.nm(p2, c.pick("short", "initial")), ", ", c.pick("EMT", "EMT-B", "ACA"), " (cert ")
    c.add((_pat(rng, c.pick("E######", "######", "B##-####")), "LICENSE"), ")\n")
    c.add(
        "eDisposition: transported to ",
        c.facility,
        " ",
        c.pick("ED", "resus bay 2", "cath lab"),
        "; handover to ",
    )
    c.add(c.nurse(rn), " at ", c.tm(), ".\n")


_CRIT = (
    ("Potassium", "6.9 mmol/L", "3.5-5.1"),
    ("Sodium", "118 mmol/L", "135-145"),
    ("Glucose", "1.9 mmol/L", "3.9-7.8"),
    ("Haemoglobin", "58 g/L", "115-165"),
    ("Platelets", "9 x10^9/L", "150-400"),
    ("INR", "8.4", "0.9-1.2"),
    ("Troponin T (hs)", "1240 ng/L", "<14"),
    ("Lactate", "6.2 mmol/L", "0.5-2.2"),
    ("Blood culture", "Gram-positive cocci in clusters, 14 h", "no growth"),
    ("CSF Gram stain", "Gram-negative diplococci", "none seen"),
    ("Calcium (adj.)", "3.71 mmol/L", "2.20-2.60"),
    ("Neutrophils", "0.2 x10^9/L", "2.0-7.5"),
)


def _k_critlog(c: _Ctx) -> None:
    rng = c.rng
    mls = c.staff()
    c.add(
        c.pick(
            "CRITICAL RESULT NOTIFICATION LOG", "Laboratory critical value call log", "PHONED RESULTS LOG"
        ),
        " - ",
    )
    c.add(c.pick("Clinical Chemistry", "Haematology", "Microbiology", "Core Laboratory"), "\n")
    c.add("Date | Time | Patient | MRN | Test | Result (ref) | Called to | Ext/Bleep | Read-back | By\n")
    rows = rng.randint(3, 4)
    focus = rng.randrange(rows)
    for i in range(rows):
        if i == focus:
            name, mrn = c.nm(c.pt, c.pick("fam_comma", "caps", "record")), (c.mrn, "MRN")
        else:
            other = c.staff()
            name = c.nm(other, c.pick("fam_comma", "caps", "record"))
            mrn = (_pat(rng, c.pick(*_C[c.site].mrn)[1]), "MRN")
        test, val, ref = c.pick(*_CRIT)
        to = c.staff()
        who = c.doc(to, form=c.pick("dr", "drinit")) if c.chance(0.6) else c.nurse(to)
        c.add(
            c.dt(c.day(0, 1)),
            " | ",
            c.tm(),
            " | ",
            name,
            " | ",
            mrn,
            " | ",
            test,
            " | ",
            val,
            " (",
            ref,
            ") | ",
        )
        c.add(
            who,
            " | ",
            c.ext(),
            " | ",
            c.pick("Y", "Y", "yes", "N - repeated"),
            " | ",
            c.nm(mls, "initials"),
            "\n",
        )
    c.add("\nNotes: ")
    c.add("Specimen ", (_pat(rng, c.pick("C##-#######", "24^######", "H#########", "M##-#####")), "OTHER_ID"))
    c.add(" (", c.nm(c.pt, c.pick("short", "fam_init")), ") - ")
    c.add(
        c.pick("haemolysed? no, repeat confirmed", "sample not haemolysed", "Lee-White not applicable"), ". "
    )
    c.add(
        "Unable to reach ", c.doc(c.staff(), form="dr"), " on pager ", c.ext(), " after 15 min; escalated to "
    )
    c.add(
        c.pick("the site manager", "the on-call registrar", "the medical SpR"), " ", c.nm(c.staff(), "short")
    )
    c.add(" via switchboard ", (c.phone(land=True), "PHONE"), ".\n")
    c.add(
        "Logged by ", c.nm(mls, c.pick("short", "natural")), ", ", c.pick("MLS(ASCP)", "BMS", "HCPC BMS"), " "
    )
    if c.chance(0.5):
        c.add("(reg. ", (_pat(rng, c.pick("BS######", "#######")), "LICENSE"), ") ")
    c.add("on ", c.dt(), ".\n")


def _k_trial(c: _Ctx) -> None:
    rng = c.rng
    pi, cra, rn = c.staff(), c.staff(), c.staff()
    site = f"{rng.randint(1, 60):03d}"
    c.add("SCREENING & ENROLMENT LOG\nProtocol ", _pat(rng, c.pick("^^^-####-###", "^^#####-###")), " (")
    c.add(_pat(rng, "NCT0#######"), _pat(rng, c.pick(")", f"; EudraCT {rng.randint(2018, 2023)}-00####-##)")))
    c.add("  Site ", site)
    c.add("\nPrincipal investigator: ", c.doc(pi, form="drfull"), "\n\n")
    c.add("Screening No. | Initials | Year of birth | Consent date | Eligible | Reason / comment\n")
    rows = rng.randint(3, 5)
    focus = rng.randrange(rows)
    focus_sid = ""
    for i in range(rows):
        sid = _pat(rng, f"{site}-####")
        if i == focus:
            p, yob, focus_sid = c.pt, c.dob.year, sid
        else:
            p, yob = c.staff(), rng.randint(1940, 1995)
        c.add((sid, "OTHER_ID"), " | ", c.nm(p, "initials"), " | ", str(yob), " | ")
        c.add(c.dt(c.day(-90, 0)), " | ")
        ok = c.chance(0.5)
        c.add("Y" if ok else "N", " | ")
        c.add(
            "randomised"
            if ok
            else c.pick(
                "eGFR 38 (< 45)",
                "ECOG 2",
                "prior anti-PD-1",
                "HbA1c 10.2%",
                "withdrew consent",
                "QTcF 482 ms",
            ),
            "\n",
        )
    c.add("\nSource note for ", (focus_sid, "OTHER_ID"), " -> ")
    c.add(c.ptname(("record", "natural")), ", ", c.mrn_label, " ", (c.mrn, "MRN"), ", DOB ", c.dt(c.dob))
    c.add(": consent v3.1 signed ", c.dt(c.day(-40, -10)), " in the presence of ", c.nurse(rn), "; ")
    c.add("copy given. Inclusion met: age ", c.agep("{}"), " (18-80), histology confirmed.\n")
    if c.chance(0.4):
        c.add(
            "Participant contact for visit reminders: ", (c.mobile, "PHONE"), " / ", (c.email, "EMAIL"), "\n"
        )
    c.add("CRA: ", c.nm(cra, c.pick("short", "natural")), " (", c.work_email(cra), "), monitoring visit ")
    c.add(c.pdt(c.day(10, 40)), ".\n")


def _hl7_name(c: _Ctx, p: _Person) -> list[Part]:
    out: list[Part] = [(_fold(p.family).upper(), "NAME"), "^", (_fold(p.given).upper(), "NAME")]
    if p.middle:
        out += ["^", (_fold(p.middle).upper()[0], "NAME")]
    return out


def _k_hl7(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    ts = f"{_fmt_date(c.today, 'hl7')}{rng.randrange(24):02d}{rng.randrange(60):02d}{rng.randrange(60):02d}"
    fac = c.pick("NSH", "MVMC", "RIH", "KEMH", "UH")
    c.add(
        c.pick("--- ADT feed capture ---\n", "Interface engine log (inbound ORU):\n", "HL7 v2.5.1 message\n")
    )
    if c.chance(0.6):
        c.add(
            "[",
            c.tm(),
            "] MLLP connection accepted from ",
            (_ip4(rng), "IP"),
            f":{rng.choice((2575, 6661, 5000))}\n",
        )
    typ = c.pick("ADT^A01", "ADT^A08", "ORU^R01", "ADT^A03")
    c.add(f"MSH|^~\\&|EPIC|{fac}|LAB|{fac}|", (ts, "DATE"), f"||{typ}|MSG{_pat(rng, '########')}|P|2.5.1\r\n")
    c.add("EVN|", typ.split("^")[1], "|", (ts, "DATE"), "\r\n")
    c.add("PID|1||", (c.mrn, "MRN"), f"^^^{fac}^MR")
    ssn = c.idv("SSN")
    if ssn:
        c.add("~", (ssn[1], "SSN"), "^^^", ssn[0].split()[0].upper(), "^SS")
    c.add("||", _hl7_name(c, pt), "||", (_fmt_date(c.dob, "hl7"), "DATE"), "|", pt.sex, "|||")
    a = c.addr
    c.add((a.lines[0], "ADDRESS"), "^")
    if len(a.lines) > 1:
        c.add((a.lines[1], "ADDRESS"))
    c.add("^", (a.city, "ADDRESS"), "^", a.region, "^")
    if a.zip:
        c.add((a.zip, "ZIP"))
    c.add("^", _C[a.cc].name[:3].upper(), "||", (c.mobile, "PHONE"), "^PRN^CP")
    if c.chance(0.5):
        c.add("~^NET^Internet^", (c.email, "EMAIL"))
    c.add("|||||", (_pat(rng, "A########"), "ACCOUNT"), "|")
    if c.age >= 17 and c.chance(0.5):
        lab, dl = _dl(rng, c.res, pt, c.dob)
        c.add(c.own(dl, "LICENSE"), "^", lab.split()[0])
    c.add("\r\n")
    if c.chance(0.6):
        kind, code = c.pick(
            ("wife" if pt.sex == "M" else "husband", "SPO^Spouse"),
            ("daughter", "CHD^Child"),
            ("son", "CHD^Child"),
            ("mother", "MTH^Mother"),
        )
        nok = c.rel(kind)
        c.add("NK1|1|", _hl7_name(c, nok), "|", code, "|")
        if c.chance(0.5):
            na = c.other_addr(c.res)
            c.add((na.lines[0], "ADDRESS"), "^^", (na.city, "ADDRESS"), "^", na.region, "^")
            if na.zip:
                c.add((na.zip, "ZIP"))
        c.add("|", (c.phone(c.res), "PHONE"), "\r\n")
    att = c.staff()
    c.add("PV1|1|", c.pick("I", "E", "O"), "|", c.pick("4W^412^B", "ED^RESUS^2", "CCU^03^A"), "||||")
    c.add((_pat(rng, "1#########"), "OTHER_ID"), "^", _hl7_name(c, att), "^^^DR|||||||||||")
    c.add((_pat(rng, "V#########"), "ACCOUNT"), "\r\n")
    if c.chance(0.6):
        plan = c.idv("HEALTH_PLAN")
        val = plan[1] if plan else _pat(rng, "^^^#########")
        c.add(
            "IN1|1|",
            c.pick("BCBS01", "MEDICAID", "AETNA", "NHIF"),
            "|||||||||||||||||||||||||||||||||||||||||||",
        )
        c.add((val, "HEALTH_PLAN"), "\r\n")
    if typ == "ORU^R01" or c.chance(0.4):
        test, val, ref = c.pick(*_CRIT[:8])
        c.add(
            f"OBX|1|NM|{test}||{val.split()[0]}|{' '.join(val.split()[1:]) or '1'}|{ref}|HH|||F|||",
            (ts, "DATE"),
        )
        c.add("\r\n")
        if c.chance(0.5):
            c.add(
                "NTE|1||Called to ", c.nm(c.staff(), "short"), " ", c.dt(c.today, "dmy/"), " ", c.tm(), "\r\n"
            )
    c.add(c.pick("ACK AA\n", "--- end ---\n", ""))


def _k_email(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    a, b, cc = c.staff(), c.staff(), c.staff()
    subj = c.pick(
        "transfer?", "results", "clinic slot", "urgent - please review", "follow-up after discharge"
    )
    ref_parts: list[Part] = [c.nm(pt, c.pick("short", "fam_comma", "caps", "record"))]
    if c.chance(0.7):
        ref_parts += [" - ", c.mrn_label, " ", (c.mrn, "MRN")]

    def header(frm: _Person, to: _Person, d: date, re: str) -> None:
        c.add("From: ", c.nm(frm, c.pick("fam_comma", "short")), " <", c.work_email(frm), ">\n")
        c.add(
            c.pick("Sent: ", "Date: "),
            c.dt(d, c.pick("dMonthY", "dMonY", "MonthdY", "iso")),
            " ",
            c.tm(),
            "\n",
        )
        c.add("To: ", c.nm(to, c.pick("short", "fam_comma")), " <", c.work_email(to), ">\n")
        if c.chance(0.4):
            c.add("Cc: ", c.work_email(cc), "\n")
        c.add("Subject: ", re, ref_parts, " - ", subj, "\n")

    if c.chance(0.3):
        c.add("Received: from mail", str(rng.randint(1, 9)), ".", c.pick(*_C[c.site].work), " ([")
        c.add((_ip4(rng), "IP"), "]) by mx.", c.pick(*_C[c.site].work), "\n")
    d2 = c.today
    d1 = d2 - timedelta(days=rng.randint(1, 4))
    header(b, a, d2, "RE: ")
    c.add("\n", c.pick("Hi ", "Dear ", "Thanks "), c.nm(a, c.pick("given", "call")), ",\n")
    c.add(
        c.pick(
            "Happy to take over. We have a bed on Ward 4B tomorrow; please send the Parkinson disease "
            "medication chart as timing is critical (Madopar 62.5 mg at 06:00, 10:00, 14:00, 18:00).\n",
            "Reviewed the CT. Agree with conservative management; repeat bloods (INR 2.3, Hb 104) "
            "on Monday.\n",
            "May be worth a Holter first. Will see in the rapid access clinic.\n",
            "Hope that helps. Grace period for the referral is two weeks so no rush.\n",
        )
    )
    if c.chance(0.5):
        c.add("Patient can be reached on ", (c.mobile, "PHONE"))
        if c.chance(0.5):
            c.add(" or by e-mail at ", (c.email, "EMAIL"))
        c.add(" - ", c.pick("prefers mornings", "son interprets", "please text first"), ".\n")
    c.add(
        "\nBest wishes,\n",
        c.nm(b, c.pick("short", "natural")),
        " | ",
        c.pick("Consultant", "Registrar", "Fellow"),
    )
    c.add(" | Tel ", (c.phone(land=True), "PHONE"), " | Fax ", (c.phone(land=True), "FAX"))
    if c.chance(0.5):
        c.add(" | Bleep ", c.ext())
    if c.chance(0.3):
        c.add(" | ", c.reg())
    c.add("\n\n-----Original Message-----\n")
    header(a, b, d1, "")
    c.add("\n> Dear ", c.doc(b, form="dr"), ",\n> I would be grateful if you could see ", c.who(pt, "titled"))
    c.add(" (DOB ", c.dt(c.dob), f"), {_art(c.age)} ", c.agep(c.pick("{}-year-old", "{} yo")), " ")
    c.add(
        c.pick("with new AF and a fall", "with a Foley catheter and recurrent UTIs", "with a raised PSA"),
        ".\n",
    )
    c.add(
        "> Discharged from ", c.facility, " on ", c.dt(c.day(-20, -2)), "; GP is ", c.doc(c.staff(), "drfull")
    )
    if c.chance(0.4):
        c.add(" (", c.addrp(a=c.other_addr()), ")")
    c.add(".\n")
    if c.chance(0.3):
        url = f"https://portal.{c.pick(*_C[c.site].work)}/patient/{_pat(rng, '#######')}/documents"
        c.add("> Letters are on the portal: ", (url, "URL"), "\n")
    c.add("> Many thanks, ", c.nm(a, c.pick("given", "initials", "short")), "\n")
    c.add("\nThis e-mail is confidential and intended for the addressee only.\n")


def _k_problems(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    gp = c.staff()
    c.add(c.pick("PROBLEM LIST (active)", "Active Problems / PMHx", "Summary care record - problems"), "\n")
    c.add(c.ptname(), " | ", c.mrn_label, " ", (c.mrn, "MRN"), " | DOB ", c.dt(c.dob), " | ")
    c.add(
        c.agep(c.pick("{}y", "{} yrs", "{}")),
        " ",
        pt.sex,
        "\nUpdated ",
        c.dt(),
        " by ",
        c.nm(gp, "initials"),
        "\n\n",
    )
    items: list[list[Part]] = [
        ["T2DM dx 2015 - metformin 1 g BD + Jardiance 10 mg; HbA1c 8.2% (", c.pdt(c.day(-60, -5)), ")"],
        ["HTN - amlodipine 10 mg, ramipril 5 mg; BP 142/88"],
        ["CKD G3a/A2, eGFR 52 (was 61 in 2021)"],
        ["CAD s/p CABG x3 2019 (", c.doc(c.staff(), form="dr"), ", ", c.pick(*_FACILITY), ")"],
        ["Hx Graves disease s/p RAI 2004, now on levothyroxine 100 mcg"],
        [
            "OSA on CPAP (ResMed AirSense 10, SN ",
            c.own(_pat(rng, "2316#######"), "DEVICE_ID"),
            "), AHI 4 on treatment",
        ],
        ["Osteoporosis - Prolia 60 mg q6mo, last dose ", c.dt(c.day(-170, -10))],
        ["AF - CHA2DS2-VASc 4, apixaban 5 mg BD"],
        ["Depression - PHQ-9 7, sertraline 50 mg"],
        ["Gout - allopurinol 300 mg; last flare ", c.pdt(c.day(-200, -20))],
        ["BPH - tamsulosin; PSA 3.1"] if pt.sex == "M" else ["Stress incontinence - pelvic floor physio"],
        ["L TKR ", c.dt(c.day(-1500, -300)), " (", c.doc(c.staff(), form="drinit"), ")"],
        ["Hodgkin lymphoma 1998 - ABVD + mantle RT; in remission"],
        ["COPD GOLD 2, FEV1 61%, ex-smoker 30 pack-years"],
    ]
    rng.shuffle(items)
    for i, it in enumerate(items[: rng.randint(6, 10)], 1):
        c.add(f"{i}. ", it, "\n")
    c.add("\nAllergies: penicillin (rash), ", c.pick("codeine (vomiting)", "NKDA otherwise", "latex"), "\n")
    kind = c.pick("daughter", "son", "wife" if pt.sex == "M" else "husband", "niece")
    carer = c.rel(kind)
    c.add("Social: lives ", c.pick("alone", "with spouse", "with family"), "; NOK/HCP ", c.nm(carer, "short"))
    c.add(" (", kind, ") ", (c.phone(c.res), "PHONE"))
    if c.chance(0.4):
        c.add(", ", c.addrp(a=c.other_addr(c.res)))
    c.add("\nAdvance directive on file ", c.dt(c.day(-800, -30)), "; ")
    c.add(c.pick("DNR", "full code", "no ICU, ward-based care"), ".\n")
    if c.chance(0.45):
        c.add("Pt home: ", c.addrp(), "; tel ", (c.home, "PHONE"))
        if c.chance(0.5):
            c.add("; ", (c.email, "EMAIL"))
        c.add("\n")
    if c.chance(0.3):
        c.add(c.id_line(("HEALTH_PLAN", "SSN")), "\n")
    c.add("GP: ", c.doc(gp, form=c.pick("drfull", "deg")), "\n")


_ONES = (
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
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDW = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"}


def _num_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    t, o = divmod(n, 10)
    return _TENS[t] + (f" {_ONES[o]}" if o else "")


def _ord_words(n: int) -> str:
    if n in _ORDW:
        return _ORDW[n]
    if n < 20:
        return _ONES[n] + "th"
    t, o = divmod(n, 10)
    if o == 0:
        return _TENS[t][:-1] + "ieth"
    return f"{_TENS[t]} {_ord_words(o)}"


def _year_words(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + (f" and {_ONES[y - 2000]}" if y > 2000 else "")
    hi, lo = divmod(y, 100)
    return f"{_num_words(hi)} " + (
        f"oh {_ONES[lo]}" if 0 < lo < 10 else ("hundred" if lo == 0 else _num_words(lo))
    )


def _spell(rng: random.Random, s: str) -> str:
    out = []
    for ch in s:
        if ch.isdigit():
            out.append("oh" if ch == "0" and rng.random() < 0.5 else _ONES[int(ch)])
        elif ch.isalpha():
            out.append(ch.lower())
    return " ".join(out)


def _k_dictation(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    dr = c.staff()
    c.add(
        c.pick(
            "[ASR transcript - unedited]\n",
            "Dictation job (speech recognition draft)\n",
            "[auto-transcribed]\n",
        )
    )
    c.add("this is ", c.pick("doctor ", "dr "), c.nm(dr, "lower"), " dictating a ")
    c.add(c.pick("clinic letter", "discharge summary", "ward round note", "consult note"), " for ")
    name = pt.short.lower()
    if len(pt.family) >= 5 and " " not in pt.family and c.chance(0.35):
        fam = pt.family.lower()
        mangled = f"{fam[:1]} {fam[1:]}" if fam[0] in "aeiou" and len(fam) > 3 else f"{fam[:2]} {fam[2:]}"
        name = f"{pt.given.lower()} {mangled}"
    c.add(c.pick("patient ", "mister " if pt.sex == "M" else "missus ", ""), (name, "NAME"), " ")
    dob = c.dob
    c.add(
        "date of birth ",
        (f"{_MONTH[dob.month - 1].lower()} {_ord_words(dob.day)} {_year_words(dob.year)}", "DATE"),
    )
    c.add(" medical record number ", (_spell(rng, c.mrn), "MRN"), " period new paragraph ")
    t = c.today
    c.add("date of service ", (f"{_MONTH[t.month - 1].lower()} {_ord_words(t.day)}", "DATE"), " comma ")
    c.add(f"the patient is {_art(c.age)} ")
    if c.age >= 100:
        c.add((f"one hundred and {_num_words(c.age - 100)}" if c.age > 100 else "one hundred", "AGE_OVER_89"))
    elif c.age >= 90:
        c.add((_num_words(c.age), "AGE_OVER_89"))
    else:
        c.add(_num_words(c.age))
    c.add(" year old ")
    c.add("man " if pt.sex == "M" else "woman ", "with a history of ")
    c.add(
        c.pick(
            "hyper tension and a fib on a pick son",
            "see oh pee dee and type two die a beaties on met forming",
            "parkinson's disease on sinemet",
            "chronic heart failure on lay six forty milligrams",
        )
    )
    c.add(" period ")
    kind = c.pick("daughter", "son", "wife" if pt.sex == "M" else "husband")
    rel = c.rel(kind)
    c.add("she " if pt.sex == "F" else "he ", "came in with ", "her " if pt.sex == "F" else "his ")
    c.add(kind, " ", (rel.given.lower(), "NAME"), " who says ")
    c.add(
        c.pick("things got worse since ", "the falls started around "),
        (f"{_MONTH[c.day(-90, -20).month - 1].lower()}", "DATE"),
    )
    c.add(
        " period new paragraph examination blood pressure one forty over eighty two heart rate eighty eight "
    )
    c.add("irregular comma chest clear period plan increase bisoprolol to five milligrams period ")
    if c.chance(0.5):
        c.add("please copy to ", c.pick("doctor ", "dr "), (c.staff().family.lower(), "NAME"), " at the ")
        c.add(c.pick("health centre", "practice", "nursing home"), " period ")
    if c.chance(0.5):
        c.add("the family can be reached on ", (_spell(rng, c.phone(c.res)), "PHONE"), " period ")
    c.add("end of dictation job number ", (_pat(rng, "#######"), "OTHER_ID"), "\n")
    if c.chance(0.5):
        c.add("[Recognised ", c.dt(), " ", c.tm(), "; ", c.pick("pending", "awaiting"), " correction by ")
        c.add(c.nm(c.staff(), c.pick("short", "initial")), "]\n")


def _k_occ(c: _Ctx) -> None:
    rng, pt = c.rng, c.pt
    cc = c.site if c.site != "HI" else "US"
    if c.chance(0.55):
        mro = c.staff()
        c.add(
            c.pick(
                "OCCUPATIONAL HEALTH - FITNESS FOR WORK", "Pre-placement health assessment", "DOT-style exam"
            )
        )
        c.add(
            "\nEmployee: ",
            c.ptname(),
            "   Employee no.: ",
            c.own(_pat(rng, c.pick("E#####", "######", "EMP-####")), "OTHER_ID"),
        )
        employer, role = c.pick(
            ("Harbour Freight Logistics", "HGV driver"),
            ("City Transit", "bus driver"),
            ("Sunrise Care Homes", "night-shift carer"),
            ("BuildCo", "scaffolder"),
            ("Port Services", "forklift operator"),
        )
        c.add("\nEmployer: ", employer, " - ", role, "\n")
        c.add("DOB ", c.dt(c.dob), "   Address: ", c.addrp(), "   Tel ", (c.mobile, "PHONE"))
        if c.chance(0.5):
            c.add("   E-mail ", (c.email, "EMAIL"))
        c.add("\n")
        if c.chance(0.5):
            c.add(c.id_line(("SSN",)), "\n")
        lab, dl = _dl(rng, c.res, pt, c.dob)
        c.add("Driving licence: ", c.own(dl, "LICENSE"), f" ({lab}), expires ", c.dt(c.day(200, 2000)), "\n")
        if c.chance(0.6):
            c.add("Fleet vehicle assigned: ", c.own(_plate(rng, cc), "VEHICLE_ID"))
            if c.chance(0.5):
                c.add(" (VIN ", c.own(_vin(rng), "VEHICLE_ID"), ")")
            c.add("\n")
        c.add("\nVision: Snellen 6/6 R, 6/9 L; Ishihara 15/15. Audiometry: 4 kHz notch bilaterally. ")
        c.add(f"Spirometry FEV1 {rng.randint(70, 105)}% predicted. BMI {rng.randint(21, 41)}. BP 138/86.\n")
        c.add(
            "Epworth Sleepiness Scale ",
            str(rng.randint(2, 17)),
            "; STOP-BANG ",
            str(rng.randint(1, 6)),
            ".\n",
        )
        c.add("Drug and alcohol screen: chain-of-custody form ", (_pat(rng, "CCF#########"), "OTHER_ID"))
        c.add(", collected ", c.dtt(), "; MRO ", c.doc(mro, form="drfull"), ": negative.\n")
        c.add(
            "Outcome: ",
            c.pick("fit", "fit with adjustments (no nights)", "temporarily unfit pending sleep study"),
        )
        c.add(". Review ", c.dt(c.day(90, 365)), ".\n")
        c.add(
            c.nurse(c.staff(), c.pick("OHN", "RN COHN")),
            " / ",
            c.doc(c.staff(), form="deg", deg="FFOM"),
            "\n",
        )
    else:
        fp, officer = c.staff(), c.staff()
        c.add(
            c.pick("CUSTODY HEALTHCARE - FORENSIC PHYSICIAN ASSESSMENT", "Police custody: healthcare record"),
            "\n",
        )
        c.add("Detainee: ", c.ptname(("fam_comma", "caps", "record")), "   DOB ", c.dt(c.dob), "\n")
        c.add(
            "Custody record: ",
            (_pat(rng, c.pick("##/#####/##", "CR-########", "^^-######")), "OTHER_ID"),
            "\n",
        )
        c.add("Arrested ", c.dtt(c.day(-1, 0)), " at ", c.addrp(a=c.other_addr(c.site)), "\n")
        rank = (
            c.pick("PC ", "DC ", "Sgt ")
            if c.site in ("UK", "AU", "NZ")
            else c.pick("Officer ", "Det. ", "Cst. ")
        )
        c.add("Officer in case: ", rank, c.nm(officer, "call"), " ")
        c.add(
            c.pick("badge ", "collar no. ", "shoulder no. "),
            (_pat(rng, c.pick("####", "^^####", "#####")), "OTHER_ID"),
        )
        c.add("\nHome address given: ", c.addrp(), "\n")
        c.add("\nAssessment ", c.dtt(), ": alert, GCS 15, CIWA-Ar ", str(rng.randint(0, 14)), ". ")
        c.add("Injuries: 3 cm linear abrasion left forearm; 2 x 1 cm bruise right cheek (body map). ")
        c.add(
            c.pick("Last drink ~10 h ago.", "Heroin use, last 6 h ago; COWS 9.", "No drug use reported."),
            "\n",
        )
        c.add(
            "Fit to be detained: yes. Fit for interview: ",
            c.pick("yes", "yes, with appropriate adult"),
            ".\n",
        )
        if c.chance(0.5):
            aa = c.rel(c.pick("mother", "father", "aunt", "brother"))
            c.add("Appropriate adult: ", c.nm(aa, "short"), ", ", (c.phone(c.res), "PHONE"), "\n")
        c.add("Samples: blood for toxicology, seal no. ", (_pat(rng, "^^#######"), "OTHER_ID"), "\n")
        c.add(c.doc(fp, form=c.pick("drfull", "deg"), deg="MFFLM"), "  ", c.reg(), "\n")


_VACCINES = (
    ("Comirnaty (Pfizer-BioNTech) booster", "FK5618"),
    ("Spikevax (Moderna)", "3003452"),
    ("Shingrix dose 1", "J7G5A"),
    ("Fluad Quad (influenza)", "P100812"),
    ("Boostrix (Tdap)", "AC37B381AC"),
    ("MMR II", "U7281AA"),
    ("Hep B (Engerix-B)", "AHBVC874BB"),
    ("Typhim Vi", "X1E371V"),
    ("Yellow fever (Stamaril)", "T3C922V"),
    ("BCG", "1096532"),
    ("Prevenar 20", "HH1029"),
)


def _k_immunisation(c: _Ctx) -> None:
    rng = c.rng
    c.add(
        c.pick("IMMUNISATION RECORD", "Vaccination history (registry extract)", "Travel clinic - vaccines"),
        "\n",
    )
    c.add("Name: ", c.ptname(), "   DOB: ", c.dt(c.dob), "   ", c.mrn_label, ": ", (c.mrn, "MRN"), "\n")
    if c.chance(0.6):
        c.add(c.id_line(("HEALTH_PLAN", "SSN")), "\n")
    reg = c.pick("AIR", "NCIR", "State IIS", "NIMS", "eVaccination registry")
    c.add(reg, " ID: ", (_pat(rng, c.pick("##########", "^^#######", "IIS-########")), "OTHER_ID"), "\n\n")
    c.add("Date | Vaccine | Lot | Site | Given by\n")
    for _ in range(rng.randint(3, 4)):
        vac, lot = c.pick(*_VACCINES)
        who = c.staff()
        c.add(
            c.dt(c.day(-2500, 0)),
            " | ",
            vac,
            " | ",
            lot,
            " | ",
            c.pick("L deltoid", "R deltoid", "L thigh"),
            " | ",
        )
        c.add(c.nurse(who) if c.chance(0.7) else c.nm(who, "initials"), "\n")
    if c.chance(0.5):
        c.add(
            "\nTravel: to ",
            c.pick("Ghana", "Peru", "India", "Kenya"),
            " departing ",
            c.pdt(c.day(10, 40)),
            "; ",
        )
        c.add(
            "passport ",
            c.own(_pat(rng, c.pick("^#######", "#########", "^^#######")), "OTHER_ID"),
            "; ICVP certificate ",
        )
        c.add((_pat(rng, "YF-######"), "OTHER_ID"), " issued.\n")
    if c.age >= 65 or c.chance(0.2):
        c.add("Age ", c.agep("{}"), ": eligible for RSV and pneumococcal vaccines. ")
    c.add(
        c.pick("No adverse events. Observed 15 min.", "Mild sore arm after Shingrix.", "Guillain-Barre: no."),
        "\n",
    )
    c.add("Reminders to ", (c.mobile, "PHONE") if c.chance(0.6) else (c.email, "EMAIL"), "\n")


def _k_pedigree(c: _Ctx) -> None:
    rng = c.rng
    gc = c.staff()
    gene = c.pick(
        "BRCA2 c.5946delT (p.Ser1982fs)", "MLH1 c.1852_1854del", "BRCA1 c.68_69delAG", "TP53 c.743G>A"
    )
    c.add(c.pick("CANCER GENETICS - PRE-TEST COUNSELLING", "Genetic counselling: pedigree and risk"), "\n")
    c.add(
        "Proband: ", c.ptname(), " (III-2)   DOB ", c.dt(c.dob), "   ", c.mrn_label, " ", (c.mrn, "MRN"), "\n"
    )
    c.add(
        "Family ID: ",
        (_pat(rng, c.pick("FAM-#####", "GEN######", "F##-####")), "OTHER_ID"),
        "   Seen ",
        c.dt(),
    )
    c.add("\n\nPedigree (maternal and paternal):\n")
    a = c.age
    gp_alive = a + rng.randint(44, 58)
    par = a + rng.randint(22, 34)
    rels = [
        ("I-1", "grandfather", "paternal grandfather", rng.randint(60, 85), "d.", "gastric cancer"),
        (
            "I-2",
            "grandmother",
            "paternal grandmother",
            min(gp_alive, 101),
            "alive" if gp_alive <= 101 else "d.",
            "well",
        ),
        ("I-3", "grandfather", "maternal grandfather", rng.randint(70, 96), "d.", "stroke"),
        ("I-4", "grandmother", "maternal grandmother", rng.randint(80, 99), "d.", "breast cancer at 51"),
        (
            "II-1",
            "father",
            "father",
            par + rng.randint(0, 6),
            "alive" if par < 88 else "d.",
            "colon cancer at 48",
        ),
        ("II-2", "mother", "mother", par, "alive" if par < 95 else "d.", "ovarian cancer at 57"),
        ("II-3", "aunt", "maternal aunt", par - rng.randint(2, 12), "d.", "breast cancer at 39"),
        ("III-1", "sister", "sister", a + rng.randint(-8, 8), "alive", "tested: carrier"),
        ("III-3", "brother", "brother", a + rng.randint(-10, 10), "alive", "untested"),
        ("IV-1", "niece", "niece", max(1, a - rng.randint(22, 32)), "alive", "well"),
    ]
    for pos, kind, label, age, status, note in rels:
        if c.chance(0.35):
            continue
        r = c.rel(kind)
        c.add(f" {pos} {label}: ", c.nm(r, c.pick("short", "natural", "given")), ", ")
        if status == "d.":
            now = max(age, c.age + (50 if pos.startswith("I-") else 25))  # age they would have now
            at_death = rng.randint(max(30, min(age, now) - 10), min(age, now))
            died = c.today - timedelta(days=int((now - at_death) * 365.25) + rng.randrange(300))
            c.add("died aged ", c.agep("{}", at_death))
            if c.chance(0.5):
                c.add(" on ", c.dt(died))
            else:
                c.add(f" in {died.year}")
        else:
            c.add("alive, ", c.agep("{}", age))
        c.add(f"; {note}\n")
    c.add(
        "\nConsanguinity: ",
        c.pick("none reported", "parents are first cousins", "unknown (adopted father)"),
        ".\n",
    )
    c.add(
        "Criteria: Manchester score ",
        str(rng.randint(12, 28)),
        "; Amsterdam II ",
        c.pick("met", "not met"),
        "; ",
    )
    c.add(
        c.pick("Lynch syndrome", "hereditary breast/ovarian cancer", "Li-Fraumeni syndrome"), " suspected.\n"
    )
    c.add("Familial variant: ", gene, " (in sister, report ", (_pat(rng, "GL##-#####"), "OTHER_ID"), ").\n")
    c.add(
        "Sample ",
        (_pat(rng, c.pick("DNA##-#####", "SMP########")), "OTHER_ID"),
        " sent ",
        c.dt(),
        "; results ",
    )
    c.add("expected in 4 weeks. Cascade testing letters for relatives given.\n")
    c.add(c.nm(gc, c.pick("short", "natural")), ", ", c.pick("CGC", "Genetic Counsellor", "MS, CGC"), " - ")
    c.add(c.work_email(gc), ", ", (c.phone(land=True), "PHONE"), "\n")


def _k_cpap(c: _Ctx) -> None:
    rng = c.rng
    tech, sleep_dr = c.staff(), c.staff()
    dev = c.pick(
        "ResMed AirSense 10 AutoSet", "ResMed AirSense 11", "Philips DreamStation 2", "Lowenstein prisma20A"
    )
    c.add(
        c.pick(
            "CPAP COMPLIANCE DOWNLOAD", "Home ventilation / PAP therapy report", "Sleep service device review"
        )
    )
    c.add("\nPatient: ", c.ptname(), "   DOB ", c.dt(c.dob), "   ", c.mrn_label, " ", (c.mrn, "MRN"), "\n")
    c.add(
        "Device: ",
        dev,
        "   SN ",
        c.own(_pat(rng, c.pick("2316#######", "J#########", "^^##########")), "DEVICE_ID"),
    )
    if c.chance(0.5):
        c.add("\nModem IMEI ", c.own(_pat(rng, "35 ###### ###### #"), "DEVICE_ID"))
    else:
        c.add("\nModem MAC ", c.own(_mac(rng), "DEVICE_ID"))
    if c.chance(0.6):
        c.add("   last upload from ", (_ip4(rng) if c.chance(0.7) else _ip6(rng), "IP"))
    host = c.pick("airview.resmed.com", "caresolutions.philips.com", "sleepcloud.example-sleep.org")
    c.add("\nCloud record: ", (f"https://{host}/patients/{_pat(rng, '########')}", "URL"))
    c.add("\nPeriod: ", c.dt(c.day(-90, -30)), " to ", c.dt(), "\n\n")
    use = rng.randint(40, 99)
    c.add(f"Usage: {use}% of nights >= 4 h; mean {rng.uniform(3.1, 8.2):.1f} h/night. ")
    c.add(f"Pressure 95th centile {rng.uniform(7.5, 15.0):.1f} cmH2O. Leak 95th {rng.randint(4, 40)} L/min. ")
    c.add(f"Residual AHI {rng.uniform(0.8, 12.0):.1f}/h.\n")
    c.add("Mask: ", c.pick("AirFit F30 (M)", "full face, size L", "nasal pillows"), "; ")
    c.add(c.pick("dry mouth - humidity up to 5", "mask marks on nasal bridge", "no problems"), ".\n")
    c.add("Epworth ", str(rng.randint(2, 16)), "/24 (baseline 15). ")
    if c.age >= 75:
        c.add("Age ", c.agep("{}"), "; carer helps with the mask. ")
    c.add(
        "Driving: ", c.pick("DVLA informed", "no commercial licence", "advised not to drive until compliant")
    )
    c.add(".\nPlan: ", c.pick("continue", "change to full face mask", "titrate to 10 cmH2O"), "; review ")
    c.add(c.pdt(c.day(90, 200)), ". Sleep physiologist ", c.nm(tech, c.pick("short", "initial")), " ")
    c.add(
        (c.phone(land=True), "PHONE"), c.pick(" ext ", " x"), c.ext(), "; consultant ", c.doc(sleep_dr), "\n"
    )
    if c.chance(0.4):
        c.add("Patient prefers e-mail: ", (c.email, "EMAIL"), "\n")


# ----------------------------------------------------------------------------- generate

_KINDS: tuple[tuple[Any, int, int, str | None], ...] = (
    (_k_radiology, 18, 99, None),
    (_k_psychiatry, 16, 85, None),
    (_k_antenatal, 18, 44, "F"),
    (_k_wellchild, 0, 5, None),
    (_k_mdt, 35, 95, None),
    (_k_dental, 8, 92, None),
    (_k_telederm, 18, 97, None),
    (_k_palliative, 60, 104, None),
    (_k_ambulance, 16, 100, None),
    (_k_critlog, 1, 99, None),
    (_k_trial, 30, 79, None),
    (_k_hl7, 1, 99, None),
    (_k_email, 18, 99, None),
    (_k_problems, 40, 101, None),
    (_k_dictation, 20, 100, None),
    (_k_occ, 19, 66, None),
    (_k_immunisation, 1, 99, None),
    (_k_pedigree, 20, 70, None),
    (_k_cpap, 30, 97, None),
)
_SITES_ABROAD = ("US", "UK", "AE", "NL", "AU", "CA")


def _note(rng: random.Random, kind_index: int) -> AltNote:
    fn, lo, hi, sex = _KINDS[kind_index]
    origin = rng.choice(list(_ORIG))
    res = rng.choice(_ORIG[origin].homes)
    site = res if rng.random() < 0.85 else rng.choice([s for s in _SITES_ABROAD if s != res])
    if fn is _k_palliative and rng.random() < 0.6:
        age = rng.randint(90, 104)
    elif hi >= 90 and rng.random() < 0.12:
        age = rng.randint(90, hi)
    else:
        age = rng.randint(lo, min(hi, 89))
    c = _Ctx(rng, origin, res, site, age, sex)
    fn(c)
    return AltNote(text=c.d.text, spans=tuple(c.d.spans), patient=c.patient())


def generate(n: int = 300, seed: int = 0) -> list[AltNote]:
    """n notes, deterministic given (n, seed); kinds rotate so every kind appears."""
    notes = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i * 7919 + 17)
        notes.append(_note(rng, (i + seed) % len(_KINDS)))
    return notes


# ----------------------------------------------------------------------------- self-check


def _check(notes: list[AltNote]) -> dict[str, float]:
    with_name = 0
    for note in notes:
        prev_end = -1
        for s in sorted(note.spans, key=lambda s: s.start):
            piece = note.text[s.start : s.end]
            assert piece and piece == piece.strip(), (piece, note.text[:80])
            assert s.start >= prev_end, f"overlap at {s.start}: {note.text[:80]!r}"
            assert s.category in CATEGORIES
            if s.category == "AGE_OVER_89":
                assert not piece.isdigit() or int(piece) >= 90, piece
            prev_end = s.end
        if any(name in note.text for name in note.patient.names):
            with_name += 1
    return {"patient_name_share": with_name / max(1, len(notes))}


def _show(note: AltNote) -> None:
    print(note.text)
    print("spans:")
    for s in note.spans:
        print(f"  {s.start:5d}-{s.end:<5d} {s.category:<12} {note.text[s.start : s.end]!r}")
    print("patient:", note.patient)
    print("-" * 100)


if __name__ == "__main__":
    notes = generate()
    for note in notes[:2]:
        _show(note)
    counts = Counter(s.category for note in notes for s in note.spans)
    total = sum(counts.values())
    print(f"{len(notes)} notes, {total} spans, {sum(len(n.text) for n in notes)} characters")
    for cat in CATEGORIES:
        print(f"  {cat:<12} {counts.get(cat, 0):5d}")
    stats = _check(notes)
    print(f"patient's own name (as recorded) in {stats['patient_name_share']:.0%} of notes")
    assert stats["patient_name_share"] >= 0.4
    assert generate(20, 3) == generate(20, 3), "not deterministic"
