"""Layout and dictation cues of the PHI scrubber: table columns under identifying headers, identifiers
dictated digit by digit, dictated and year-first dates, ages after a person, the postcode closing an
address."""

from __future__ import annotations

from healthfm.privacy.phi import PhiScrubber
from healthfm.privacy.phi_dates import date_age_spans, world_date_spans
from healthfm.privacy.phi_layout import postcode_after, spoken_id_spans, table_spans


def _texts(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(text[s:e], c) for s, e, c in spans]


def test_table_cells_under_identifying_headers_are_marked_and_others_are_not() -> None:
    text = (
        "CALL LOG\n"
        "Date | Patient | Hosp no | Test name | Result | Called to | Ext | Read-back\n"
        "---|---|---|---|---|---|---|---\n"
        "3 Jan 2023 | OKONKWO, Chidi | LUTH/36/89359 | Potassium | 6.9 mmol/L | Dr F. Adeyemi, RN | 48822 "
        "| yes\n"
        "4 Jan 2023 | Ama Mensah | n/a | Sodium | 118 | - | 207 | Y\n"
        "a row | that does not | line up\n"
    )
    found = _texts(text, table_spans(text))
    assert ("3 Jan 2023", "DATE") in found and ("OKONKWO, Chidi", "NAME") in found
    assert ("LUTH/36/89359", "MRN") in found and ("F. Adeyemi", "NAME") in found  # no title, no credential
    assert ("48822", "PHONE") in found and ("207", "PHONE") in found and ("Ama Mensah", "NAME") in found
    marked = {t for t, _ in found}
    assert not marked & {"Potassium", "Sodium", "6.9 mmol/L", "118", "yes", "Y", "n/a", "-", "line up"}


def test_a_table_without_a_header_row_or_identifying_columns_is_left_alone() -> None:
    assert table_spans("Drug | Dose | Route\nRamipril | 5 mg | PO\nBisoprolol | 2.5 mg | PO\n") == []
    assert table_spans("2023 | 12 | 4\nJohn | 5 | 6\n") == []  # the first row has digits: not a header
    tabbed = "Name\tMRN\tWard\nLi Wei\t0042137\tB4\n"
    assert _texts(tabbed, table_spans(tabbed)) == [("Li Wei", "NAME"), ("0042137", "MRN")]


def test_identifiers_dictated_digit_by_digit() -> None:
    text = (
        "date of birth august first medical record number seven one one eight eight period "
        "call her on oh seven seven oh nine one two three four five six. "
        "a one two three four reference; reference z v a one two seven one; one or two tablets"
    )
    found = _texts(text, spoken_id_spans(text))
    assert ("seven one one eight eight", "MRN") in found
    assert ("oh seven seven oh nine one two three four five six", "PHONE") in found
    assert ("one two three four", "OTHER_ID") in found  # the article "a" is not part of it
    assert ("z v a one two seven one", "OTHER_ID") in found  # spelled letters are
    assert not any("tablets" in t or t == "one" for t, _ in found)


def test_dictated_and_year_first_dates_and_ages_over_89() -> None:
    text = (
        "seen on august twenty seventh nineteen seventy two and the third of march two thousand and one; "
        "DOB: 1981. 01. 07. Booking date 2020.09.04, version 2.1.3; "
        "the patient is a ninety four year old; Mr Walker, 103, and his sister, alive, 91; "
        "Mrs Smith, 92 mg; aged 45"
    )
    found = _texts(text, date_age_spans(text))
    assert ("august twenty seventh nineteen seventy two", "DATE") in found
    assert ("third of march two thousand and one", "DATE") in found
    assert ("1981. 01. 07.", "DATE") in found and ("2020.09.04", "DATE") in found
    assert ("ninety four", "AGE_OVER_89") in found and ("103", "AGE_OVER_89") in found
    assert ("91", "AGE_OVER_89") in found
    assert not any(t in {"2.1.3", "92", "45"} for t, _ in found)


def test_the_postcode_closing_an_address_line() -> None:
    text = "Address: 2181 Kingsway, Surrey, BC V3W 0A6\nPhone 604 555 0100"
    end = text.index(",")
    assert postcode_after(text, end) == (text.index("V3W"), text.index("V3W") + 7)
    assert postcode_after("12 Allen Avenue, Garki, Abuja, FCT 900001 | 5 mg", 15) is not None
    assert postcode_after("12 Allen Avenue\n900001", 15) is None  # not on the same line


def test_the_scrubber_uses_the_cues() -> None:
    text = "Patient | MRN\nJonas Vyšniauskas | 55-20-19\n\nmedical record number four four two one nine"
    tagged = PhiScrubber().scrub(text).text
    assert "Vyšniauskas" not in tagged and "55-20-19" not in tagged and "four two one" not in tagged


def test_other_languages_months_numbered_ids_and_plates() -> None:
    from healthfm.privacy.phi_layout import numbered_id_spans, plate_spans

    text = (
        "seen 25 augusti, notice dated 10. února 2022, DOB 27 de agosto de 1941, 7 Ebrill 2023; "
        "therapy since fevereiro; consent 2/6-2021; 5 mg twice"
    )
    dates = [t for t, _ in _texts(text, world_date_spans(text))]
    assert dates == [
        "25 augusti",
        "10. února 2022",
        "27 de agosto de 1941",
        "7 Ebrill 2023",
        "fevereiro",
        "2/6-2021",
    ]
    text = "incident no INC-72-818496; holding no. 53/208/5056; lot no 4471203; room no 1234; bed no 12"
    assert [t for t, _ in _texts(text, numbered_id_spans(text))] == ["INC-72-818496", "53/208/5056"]
    text = "(car KTS 542A), vehicle WSL 0462 ARRIVED, registration 28-149-53, car park, van 3, Car seat"
    assert [t for t, _ in _texts(text, plate_spans(text))] == ["KTS 542A", "WSL 0462", "28-149-53"]


def test_round_seven_dates_and_ages() -> None:
    text = (
        "Examined: 11. jaanuar 2024, valid until 10. detsember 2025; withdrawn 19. júlí 2020; "
        "received 31. prosinca 2018; 5 марта 2021; seen 14 sep and 2 ene; DTSTART:20200211T153000; "
        "hearing aids fitted abril; 1 set of notes, 1 out of 3, 2 may be; "
        "aged ninety-eight, Age: one hundred and one, aged 45"
    )
    found = _texts(text, world_date_spans(text) + date_age_spans(text))
    dates = [t for t, c in found if c == "DATE"]
    assert dates == [
        "11. jaanuar 2024",
        "10. detsember 2025",
        "19. júlí 2020",
        "31. prosinca 2018",
        "5 марта 2021",
        "14 sep",
        "2 ene",
        "20200211",
        "abril",
    ]
    assert [t for t, c in found if c == "AGE_OVER_89"] == ["ninety-eight", "one hundred and one"]


def test_telephone_numbers_read_out_in_groups() -> None:
    text = (
        "please ring me back on plus, three eight five, nine one, seven oh four, eight one three six thanks. "
        "Or oh double one, nine seven, five zero, five seven. Grades one, two, three and four."
    )
    found = _texts(text, spoken_id_spans(text))
    assert found == [
        ("plus, three eight five, nine one, seven oh four, eight one three six", "PHONE"),
        ("oh double one, nine seven, five zero, five seven", "PHONE"),
    ]


def test_calendar_fields_initials_streets_post_boxes_and_plates() -> None:
    from healthfm.privacy.phi import _is_common
    from healthfm.privacy.phi_context import calendar_spans, initials_name_spans, street_spans
    from healthfm.privacy.phi_layout import plate_spans

    text = (
        "ORGANIZER;CN=Nilda Ayala Cáceres:mailto:nilda@hci.example\n"
        "LOCATION:Hospital Central IPS\\, Tte. Fariña 835\\, Luque\n"
    )
    assert _texts(text, calendar_spans(text)) == [
        ("Nilda Ayala Cáceres", "NAME"),
        ("Tte. Fariña 835", "ADDRESS"),
        ("Luque", "ADDRESS"),
    ]
    text = "Rx 2023334   G. P. Thapa Magar; M. Jurić; E. Coli grown; grade A. The patient; K 3.2 mmol/L.\nLab"
    assert [t for t, _ in _texts(text, initials_name_spans(text, _is_common))] == [
        "G. P. Thapa Magar",
        "M. Jurić",
    ]
    text = (
        "Dr Mercedes Almonte\nC/ El Conde 5, Zona Colonial\n15845 Santo Domingo\n"
        "Dive centre: Gedimino pr. 3, LT-95371 Vilnius; Narva mnt 1; PO Box 888; Pharmacie — BP 6976 —\n"
        "Vitals: BP 139/89, HR 72; BP 140 systolic\n"
    )
    streets = [t for t, _ in _texts(text, street_spans(text))]
    assert {"C/ El Conde 5", "Gedimino pr. 3", "Narva mnt 1", "PO Box 888", "BP 6976"} <= set(streets)
    assert "C/ El Conde 5, Zona Colonial" in streets  # the line above "postcode locality"
    assert not any("139" in t or "140" in t for t in streets)
    text = "Visitor car reg (parking permit) CGO 0856; partner drives SDR 5139; drives to work; permit 12"
    assert [t for t, _ in _texts(text, plate_spans(text))] == ["CGO 0856", "SDR 5139"]


def test_semicolon_exports_with_an_identifying_header() -> None:
    text = (
        "case_id;name;dob;onset;specimen\n"
        "OB06-281;Aye Aye Thant;12/08/1946;20 Dec;M16L051990;\n"
        "OB07-307;Mulenga Lungu;30/7/1949;2021-08-12;M65V1679;\n"
    )
    found = _texts(text, table_spans(text))
    assert ("Aye Aye Thant", "NAME") in found and ("M65V1679", "OTHER_ID") in found
    assert ("30/7/1949", "DATE") in found
    assert table_spans("dose;route;frequency;notes\n5 mg;PO;bd;with food\n") == []


def test_chat_speakers_named_roles_staff_initials_and_towns_before_a_postcode() -> None:
    from healthfm.privacy.phi_context import context_person_spans

    text = (
        "[07:46] Chiyo: morning all\n"
        "12/28/23, 07:32 - Marcelo Rojas: bed 4 for CT\n"
        "SH: lives w/ Andile (husband); reviewed with Rémi (physio).\n"
        "Next appt 25/11 w/ FH. Received by VL. Seen by GP, w/ ECG, 61 y/o with HTN.\n"
        "OF 151 SPENCER LANE, CLIFTON, BRISTOL BS15 2LY\n"
    )
    assert _texts(text, context_person_spans(text)) == [
        ("Chiyo", "NAME"),
        ("Marcelo Rojas", "NAME"),
        ("Andile", "NAME"),
        ("Rémi", "NAME"),
        ("FH", "NAME"),
        ("VL", "NAME"),
        ("BRISTOL", "ADDRESS"),
    ]
    text = "Signed the twenty-eighth day of March, 2020 at the office"
    assert _texts(text, date_age_spans(text)) == [("twenty-eighth day of March, 2020", "DATE")]


def test_letter_spaced_ocr_text_is_read_as_words() -> None:
    text = (
        "R e :  K A T A R Z Y N A  W I Ś N I E W S K I   D.O.B. 07/22/1943\n"
        "T e l :  0 2 0  3 4 5 6  7 8 9 0\n"
        "grade A B C D; ratio 5 x 5\n"
    )
    found = {(s.text, s.category) for s in PhiScrubber(mode="tag").find(text)}
    assert ("K A T A R Z Y N A  W I Ś N I E W S K I", "NAME") in found
    assert ("0 2 0  3 4 5 6  7 8 9 0", "PHONE") in found
    assert not any("A B C" in t or "5 x 5" in t for t, _ in found)
