"""Tests for pipeline.numbers: Hindi number phrases, their kinds, qualifiers and offsets.

All example phrases and sentences are written for these tests (bulletin style); none is copied
from a corpus.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numbers import (
    DATA_FILE,
    NumberMatch,
    find_numbers,
    format_indian,
    format_scale_words,
    number_lexicon,
    parse,
    parse_number,
)
from pipeline.text import fold

NBSP = "\u00a0"
ZWJ = "\u200d"
NUKTA_HAZAR = "हज\u093cार"  # decomposed nukta
PRECOMPOSED_HAZAR = "ह\u095bार"
PRECOMPOSED_KAROD = "करो\u095c"
DEV = str.maketrans("0123456789", "०१२३४५६७८९")


def one(phrase: str) -> NumberMatch:
    m = parse(phrase)
    assert m is not None, f"no single number in {phrase!r}: {find_numbers(phrase)}"
    return m


# ------------------------------------------------------------------------------------------------
# Phrase table: (phrase, value, qualifier, kind)

DIGITS = [
    ("146", 146, "exact", "count"),
    ("03", 3, "exact", "count"),
    ("०३", 3, "exact", "count"),
    ("0", 0, "exact", "count"),
    ("२५३४", 2534, "exact", "count"),
    ("3,60,075", 360075, "exact", "count"),
    ("94,28,490", 9428490, "exact", "count"),
    ("2,48,17,630", 24817630, "exact", "count"),
    ("1,00,000", 100000, "exact", "count"),
    ("86,023", 86023, "exact", "count"),
    ("15,210", 15210, "exact", "count"),
    ("100,000", 100000, "exact", "count"),
    ("1,200", 1200, "exact", "count"),
    ("१२,५००", 12500, "exact", "count"),
    ("22397", 22397, "exact", "count"),
    ("में146 केंद्र", 146, "exact", "count"),
    ("लगभग200", 200, "approx", "count"),
    ("Rs500", 500, "exact", "money"),
    ("12.5", 12.5, "exact", "count"),
]

MULTIPLIERS = [
    ("19.45 लाख", 1945000, "exact", "count"),
    ("१९.४५ लाख", 1945000, "exact", "count"),
    ("15.68 करोड़", 156800000, "exact", "count"),
    (f"15.68 {PRECOMPOSED_KAROD}", 156800000, "exact", "count"),
    ("15.68 करोड", 156800000, "exact", "count"),
    ("1.5 लाख", 150000, "exact", "count"),
    ("2.25 लाख", 225000, "exact", "count"),
    ("0.5 लाख", 50000, "exact", "count"),
    ("27 हजार 200", 27200, "exact", "count"),
    (f"27 {NUKTA_HAZAR} 200", 27200, "exact", "count"),
    (f"27 {PRECOMPOSED_HAZAR} 200", 27200, "exact", "count"),
    ("3 लाख 60 हजार 075", 360075, "exact", "count"),
    ("३ लाख ६० हजार ०७५", 360075, "exact", "count"),
    ("25 सौ", 2500, "exact", "count"),
    ("दो हजार", 2000, "exact", "count"),
    ("नब्बे हजार", 90000, "exact", "count"),
    ("अस्सी हजार", 80000, "exact", "count"),
    ("1 करोड़ 20 लाख", 12000000, "exact", "count"),
    ("दो हजार पांच सौ", 2500, "exact", "count"),
    ("चार हजार दो सौ", 4200, "exact", "count"),
    ("एक हजार", 1000, "exact", "count"),
    ("एक सौ पचास", 150, "exact", "count"),
    ("सौ", 100, "exact", "count"),
    ("सात सौ", 700, "exact", "count"),
    ("पाँच लाख", 500000, "exact", "count"),
    ("बीस हजार", 20000, "exact", "count"),
    ("4 हजार 500", 4500, "exact", "count"),
    ("3 लाख 5", 300005, "exact", "count"),
    ("1 करोड़ 5", 10000005, "exact", "count"),
    ("दो सौ करोड़", 2000000000, "exact", "count"),
    ("1 लाख करोड़", 10**12, "exact", "count"),
    ("12 करोड़ 34 लाख 56 हजार 789", 123456789, "exact", "count"),
    ("2 lakh", 200000, "exact", "count"),
    ("1.2 crore", 12000000, "exact", "count"),
    ("1,200 करोड़", 12000000000, "exact", "count"),
]

FRACTIONS = [
    ("डेढ़ लाख", 150000, "exact", "count"),
    ("डेढ लाख", 150000, "exact", "count"),
    ("ढाई सौ", 250, "exact", "count"),
    ("ढाई हजार", 2500, "exact", "count"),
    ("साढ़े तीन हजार", 3500, "exact", "count"),
    ("साढे तीन हजार", 3500, "exact", "count"),
    ("साढ़े 4 लाख", 450000, "exact", "count"),
    ("सवा लाख", 125000, "exact", "count"),
    ("सवा दो लाख", 225000, "exact", "count"),
    ("सवा सौ", 125, "exact", "count"),
    ("पौने दो लाख", 175000, "exact", "count"),
    ("पौने तीन सौ", 275, "exact", "count"),
    ("डेढ़", 1.5, "exact", "count"),
    ("ढाई", 2.5, "exact", "count"),
    ("साढ़े तीन", 3.5, "exact", "count"),
    ("आधे घंटे", 0.5, "exact", "duration"),
    ("आधा घंटा", 0.5, "exact", "duration"),
    ("करीब आधे घंटे", 0.5, "approx", "duration"),
    ("डेढ़ घंटे", 1.5, "exact", "duration"),
    ("ढाई घंटे", 2.5, "exact", "duration"),
    ("सवा घंटा", 1.25, "exact", "duration"),
    ("पौन घंटे", 0.75, "exact", "duration"),
]

QUALIFIERS = [
    ("करीब 200", 200, "approx", "count"),
    ("करीबन 200", 200, "approx", "count"),
    ("क़रीब 200", 200, "approx", "count"),
    ("लगभग 200", 200, "approx", "count"),
    ("तकरीबन 1 हजार", 1000, "approx", "count"),
    ("अनुमानित 5 हजार", 5000, "approx", "count"),
    ("कोई 200", 200, "approx", "count"),
    ("करीब-करीब 300", 300, "approx", "count"),
    ("करीब करीब 300", 300, "approx", "count"),
    ("200 के करीब", 200, "approx", "count"),
    ("200 के आसपास", 200, "approx", "count"),
    ("19 हजार से ज्यादा", 19000, "at_least", "count"),
    ("19 हजार से ज़्यादा", 19000, "at_least", "count"),
    ("500 से अधिक", 500, "at_least", "count"),
    ("500 से ऊपर", 500, "at_least", "count"),
    ("500 से भी ज्यादा", 500, "at_least", "count"),
    ("1 लाख के पार", 100000, "at_least", "count"),
    ("1 लाख पार", 100000, "at_least", "count"),
    ("कम से कम 50", 50, "at_least", "count"),
    ("200 तक", 200, "at_most", "count"),
    ("100 से कम", 100, "at_most", "count"),
    ("अधिकतम 300", 300, "at_most", "count"),
    ("करीब 19 हजार से ज्यादा", 19000, "at_least", "count"),
    # traps: no qualifier
    ("महज 50", 50, "exact", "count"),
    ("सिर्फ 20", 20, "exact", "count"),
    ("केवल 10", 10, "exact", "count"),
    ("लक्ष्य से ज्यादा 500", 500, "exact", "count"),
    ("सबसे ज्यादा 19 हजार से ज्यादा", 19000, "at_least", "count"),
    ("ज्यादा से ज्यादा 100", 100, "exact", "count"),
    ("5 लाख तक पहुंचा", 500000, "exact", "count"),
    ("आंकड़ा 2 लाख तक पहुँच गया", 200000, "exact", "count"),
    ("कोई एक", 1, "exact", "count"),
]

TIMES = [
    ("5:40 बजे", 5 + 40 / 60, "exact", "time"),
    ("9.30 बजे", 9.5, "exact", "time"),
    ("10:00", 10, "exact", "time"),
    ("10:00 बजे", 10, "exact", "time"),
    ("शाम 4 बजे", 4, "exact", "time"),
    ("सुबह 10 बजे से", 10, "exact", "time"),
    ("शाम 4", 4, "exact", "time"),
    ("शाम करीब 4 बजे", 4, "approx", "time"),
    ("रात 12 बजे", 12, "exact", "time"),
    ("दोपहर 2 बजे तक", 2, "exact", "time"),
    ("प्रातः 9 बजे", 9, "exact", "time"),
    ("साढ़े चार बजे", 4.5, "exact", "time"),
    ("11 am", 11, "exact", "time"),
    ("सुबह आठ बजे", 8, "exact", "time"),
]

DURATIONS = [
    ("1 घंटे", 1, "exact", "duration"),
    ("करीब 1 घंटे तक", 1, "approx", "duration"),
    ("लगभग एक घंटे", 1, "approx", "duration"),
    ("2 घंटे तक", 2, "exact", "duration"),
    ("30 मिनट", 30, "exact", "duration"),
    ("दस मिनट", 10, "exact", "duration"),
    ("दो दिनों", 2, "exact", "duration"),
    ("3 दिन", 3, "exact", "duration"),
    ("दो सप्ताह", 2, "exact", "duration"),
    ("तीन हफ्ते", 3, "exact", "duration"),
    ("छह महीने", 6, "exact", "duration"),
    ("चार माह", 4, "exact", "duration"),
    ("24 घंटे", 24, "exact", "duration"),
    ("2 घंटे से ज्यादा", 2, "at_least", "duration"),
    ("पिछले दो साल", 2, "exact", "duration"),
    ("20 साल पहले", 20, "exact", "duration"),
    ("एक साल तक", 1, "exact", "duration"),
    ("30 सेकंड", 30, "exact", "duration"),
]

DATES = [
    ("3 जून", 3, "exact", "date"),
    ("03 June", 3, "exact", "date"),
    ("एक मई", 1, "exact", "date"),
    ("30 जून तक", 30, "exact", "date"),
    ("दिनांक 3 जून", 3, "exact", "date"),
    ("3जून", 3, "exact", "date"),
    ("12 सितम्बर", 12, "exact", "date"),
    ("12 सितंबर", 12, "exact", "date"),
    ("5 अक्तूबर", 5, "exact", "date"),
    ("03/06/2021", 3, "exact", "date"),
    ("15-05-2021", 15, "exact", "date"),
    ("2021-06-03", 3, "exact", "date"),
    ("15 तारीख", 15, "exact", "date"),
    ("June 3", 3, "exact", "date"),
    ("1st June", 1, "exact", "date"),
    ("दिनांक 05", 5, "exact", "date"),
]

AGES = [
    ("45 वर्ष से अधिक", 45, "at_least", "age"),
    ("45 साल से ज्यादा", 45, "at_least", "age"),
    ("45 से अधिक उम्र", 45, "at_least", "age"),
    ("60 प्लस", 60, "at_least", "age"),
    ("18+", 18, "at_least", "age"),
    ("45+", 45, "at_least", "age"),
    ("18 व उससे अधिक", 18, "at_least", "age"),
    ("18 एवं उससे अधिक", 18, "at_least", "age"),
    ("उम्र 45", 45, "exact", "age"),
    ("आयु 60 वर्ष", 60, "exact", "age"),
    ("60 वर्ष तक", 60, "at_most", "age"),
    ("18 वर्ष से कम", 18, "at_most", "age"),
    ("45 वर्षीय", 45, "exact", "age"),
    ("45 वर्ष", 45, "exact", "age"),
    ("करीब 40 वर्ष", 40, "approx", "age"),
]

PERCENTS = [
    ("80 प्रतिशत", 80, "exact", "percent"),
    ("सौ फीसदी", 100, "exact", "percent"),
    ("50%", 50, "exact", "percent"),
    ("50 %", 50, "exact", "percent"),
    ("12.5 फीसद", 12.5, "exact", "percent"),
    ("10 प्रतिशत से अधिक", 10, "at_least", "percent"),
    ("करीब 70 फीसदी", 70, "approx", "percent"),
    ("तीन प्रतिशत", 3, "exact", "percent"),
    ("आधा प्रतिशत", 0.5, "exact", "percent"),
]

PHONES = [
    ("9876543210", 9876543210, "exact", "phone"),
    ("+91 9876543210", 9876543210, "exact", "phone"),
    ("+91-9876543210", 9876543210, "exact", "phone"),
    ("+91 98765 43210", 9876543210, "exact", "phone"),
    ("0761-2624123", 7612624123, "exact", "phone"),
    ("0522- 2230691", 5222230691, "exact", "phone"),
    ("०७६१-२६२४१२३", 7612624123, "exact", "phone"),
    ("मोबाइल नंबर 9425012345", 9425012345, "exact", "phone"),
    ("हेल्पलाइन नंबर 104", 104, "exact", "phone"),
]

WARDS_PHASES = [
    ("वार्ड नंबर 12", 12, "exact", "ward"),
    ("वार्ड नं. 5", 5, "exact", "ward"),
    ("वार्ड क्रमांक 7", 7, "exact", "ward"),
    ("वार्ड 3", 3, "exact", "ward"),
    ("वार्ड-14", 14, "exact", "ward"),
    ("वार्ड संख्या 21", 21, "exact", "ward"),
    ("तीसरे चरण", 3, "exact", "phase"),
    ("तीसरा चरण", 3, "exact", "phase"),
    ("दूसरे चरण", 2, "exact", "phase"),
    ("पहले चरण", 1, "exact", "phase"),
    ("चरण 3", 3, "exact", "phase"),
    ("चरण-2", 2, "exact", "phase"),
    ("फेज 2", 2, "exact", "phase"),
    ("चौथे दौर", 4, "exact", "phase"),
]

YEARS = [
    ("2021 में", 2021, "exact", "year"),
    ("2021 तक", 2021, "exact", "year"),
    ("जून 2021", 2021, "exact", "year"),
    ("वर्ष 2020", 2020, "exact", "year"),
    ("सन 2019", 2019, "exact", "year"),
    ("2021 लोगों", 2021, "exact", "count"),
    ("2000 में से", 2000, "exact", "count"),
    ("2000 से ज्यादा", 2000, "at_least", "count"),
]

MONEY = [
    ("500 रुपये", 500, "exact", "money"),
    ("250 रुपए", 250, "exact", "money"),
    ("₹500", 500, "exact", "money"),
    ("रु. 500", 500, "exact", "money"),
    ("100 रु.", 100, "exact", "money"),
    ("5 करोड़ रुपये", 50000000, "exact", "money"),
    ("Rs 300", 300, "exact", "money"),
    ("500 रुपये से अधिक", 500, "at_least", "money"),
]

ORDINALS = [
    ("पहली", 1, "exact", "ordinal"),
    ("पहला", 1, "exact", "ordinal"),
    ("प्रथम", 1, "exact", "ordinal"),
    ("पहले दिन", 1, "exact", "ordinal"),
    ("पहली डोज", 1, "exact", "ordinal"),
    ("दूसरी", 2, "exact", "ordinal"),
    ("दूसरा", 2, "exact", "ordinal"),
    ("द्वितीय", 2, "exact", "ordinal"),
    ("सेकंड डोज", 2, "exact", "ordinal"),
    ("सेकेंड", 2, "exact", "ordinal"),
    ("दूसरे डोज", 2, "exact", "ordinal"),
    ("तीसरा", 3, "exact", "ordinal"),
    ("तीसरी", 3, "exact", "ordinal"),
    ("तृतीय", 3, "exact", "ordinal"),
    ("चौथा", 4, "exact", "ordinal"),
    ("पांचवां", 5, "exact", "ordinal"),
    ("पाँचवीं", 5, "exact", "ordinal"),
    ("छठा", 6, "exact", "ordinal"),
    ("सातवें", 7, "exact", "ordinal"),
    ("दसवीं", 10, "exact", "ordinal"),
    ("10वीं", 10, "exact", "ordinal"),
    ("10 वें", 10, "exact", "ordinal"),
    ("2nd", 2, "exact", "ordinal"),
]

DISTRIBUTIVE = [
    ("दो-दो", 2, "exact", "count"),
    ("5-5", 5, "exact", "count"),
    ("तीन-तीन", 3, "exact", "count"),
    ("एक-एक हजार", 1000, "exact", "count"),
]

ALL_PHRASES = (
    DIGITS
    + MULTIPLIERS
    + FRACTIONS
    + QUALIFIERS
    + TIMES
    + DURATIONS
    + DATES
    + AGES
    + PERCENTS
    + PHONES
    + WARDS_PHASES
    + YEARS
    + MONEY
    + ORDINALS
    + DISTRIBUTIVE
)


@pytest.mark.parametrize(("phrase", "value", "qualifier", "kind"), ALL_PHRASES)
def test_phrase(phrase: str, value: float, qualifier: str, kind: str) -> None:
    m = one(phrase)
    assert (m.value, m.qualifier, m.kind) == (pytest.approx(value), qualifier, kind)
    assert type(m.value) is (int if float(value).is_integer() else float)
    assert m.text == phrase[m.start : m.end]
    assert m.span_start <= m.start < m.end <= m.span_end <= len(phrase)


@pytest.mark.parametrize(("phrase", "value", "qualifier", "kind"), DISTRIBUTIVE)
def test_distributive(phrase: str, value: int, qualifier: str, kind: str) -> None:
    m = one(phrase)
    assert m.distributive and not m.is_range and m.text == phrase


def test_qualifier_spans() -> None:
    text = "करीब 200 लोग और 19 हजार से ज्यादा युवा, 45 वर्ष से अधिक, 18+"
    spans = [text[m.span_start : m.span_end] for m in find_numbers(text)]
    assert spans == ["करीब 200", "19 हजार से ज्यादा", "45 वर्ष से अधिक", "18+"]
    texts = [m.text for m in find_numbers(text)]
    assert texts == ["200", "19 हजार", "45", "18"]


# ------------------------------------------------------------------------------------------------
# Hindi number words 0-99: explicit, because they are irregular.

WORDS = [
    ("शून्य", 0),
    ("एक", 1),
    ("दो", 2),
    ("तीन", 3),
    ("चार", 4),
    ("पांच", 5),
    ("पाँच", 5),
    ("छह", 6),
    ("छः", 6),
    ("छ:", 6),
    ("सात", 7),
    ("आठ", 8),
    ("नौ", 9),
    ("दस", 10),
    ("ग्यारह", 11),
    ("बारह", 12),
    ("तेरह", 13),
    ("चौदह", 14),
    ("पंद्रह", 15),
    ("पन्द्रह", 15),
    ("सोलह", 16),
    ("सत्रह", 17),
    ("अठारह", 18),
    ("उन्नीस", 19),
    ("बीस", 20),
    ("इक्कीस", 21),
    ("बाईस", 22),
    ("तेईस", 23),
    ("चौबीस", 24),
    ("पच्चीस", 25),
    ("छब्बीस", 26),
    ("सत्ताईस", 27),
    ("अट्ठाईस", 28),
    ("अठ्ठाईस", 28),
    ("उनतीस", 29),
    ("तीस", 30),
    ("इकतीस", 31),
    ("बत्तीस", 32),
    ("तैंतीस", 33),
    ("चौंतीस", 34),
    ("पैंतीस", 35),
    ("छत्तीस", 36),
    ("सैंतीस", 37),
    ("अड़तीस", 38),
    ("उनतालीस", 39),
    ("चालीस", 40),
    ("इकतालीस", 41),
    ("बयालीस", 42),
    ("तैंतालीस", 43),
    ("चौवालीस", 44),
    ("पैंतालीस", 45),
    ("पैंतालिस", 45),
    ("छियालीस", 46),
    ("सैंतालीस", 47),
    ("अड़तालीस", 48),
    ("उनचास", 49),
    ("पचास", 50),
    ("इक्यावन", 51),
    ("बावन", 52),
    ("तिरेपन", 53),
    ("चौवन", 54),
    ("पचपन", 55),
    ("छप्पन", 56),
    ("सत्तावन", 57),
    ("अट्ठावन", 58),
    ("उनसठ", 59),
    ("साठ", 60),
    ("इकसठ", 61),
    ("बासठ", 62),
    ("तिरेसठ", 63),
    ("चौंसठ", 64),
    ("पैंसठ", 65),
    ("छियासठ", 66),
    ("सड़सठ", 67),
    ("अड़सठ", 68),
    ("उनहत्तर", 69),
    ("सत्तर", 70),
    ("इकहत्तर", 71),
    ("बहत्तर", 72),
    ("तिहत्तर", 73),
    ("चौहत्तर", 74),
    ("पचहत्तर", 75),
    ("छिहत्तर", 76),
    ("सतहत्तर", 77),
    ("अठहत्तर", 78),
    ("उन्यासी", 79),
    ("अस्सी", 80),
    ("इक्यासी", 81),
    ("बयासी", 82),
    ("तिरासी", 83),
    ("चौरासी", 84),
    ("पचासी", 85),
    ("छियासी", 86),
    ("सत्तासी", 87),
    ("अट्ठासी", 88),
    ("नवासी", 89),
    ("नब्बे", 90),
    ("इक्यानवे", 91),
    ("बानवे", 92),
    ("तिरानवे", 93),
    ("चौरानवे", 94),
    ("पंचानवे", 95),
    ("छियानवे", 96),
    ("सत्तानवे", 97),
    ("अट्ठानवे", 98),
    ("निन्यानवे", 99),
    ("निन्यानबे", 99),
]


@pytest.mark.parametrize(("word", "value"), WORDS)
def test_number_word(word: str, value: int) -> None:
    assert parse_number(word) == value
    m = one(f"जिले में {word} केंद्र")
    assert (m.value, m.kind, m.text) == (value, "count", word)


def test_number_words_cover_0_to_99() -> None:
    assert {v for _, v in WORDS} == set(range(100))


# ------------------------------------------------------------------------------------------------
# Ranges

RANGES = [
    ("90 से 95 लोगों", 90, 95, "approx", "count"),
    ("लगभग 90 से 95 लोगों", 90, 95, "approx", "count"),
    ("90-95 लोगों", 90, 95, "approx", "count"),
    ("2 से 3 हजार", 2000, 3000, "approx", "count"),
    ("चार-पांच सौ", 400, 500, "approx", "count"),
    ("डेढ़ से दो लाख", 150000, 200000, "approx", "count"),
    ("5 से 10 हजार", 5000, 10000, "approx", "count"),
    ("200 से 300 तक", 200, 300, "approx", "count"),
    ("दो-तीन दिन", 2, 3, "approx", "duration"),
    ("1 से 2 घंटे", 1, 2, "approx", "duration"),
    ("10 से 15 प्रतिशत", 10, 15, "approx", "percent"),
    ("18 से 44 वर्ष", 18, 44, "exact", "age"),
    ("18-44 साल", 18, 44, "exact", "age"),
    ("18 - 44 वर्ष", 18, 44, "exact", "age"),
    ("18 से 44 आयु वर्ग", 18, 44, "exact", "age"),
    ("18 वर्ष से 44 वर्ष", 18, 44, "exact", "age"),
    ("18-44", 18, 44, "exact", "age"),
    ("45-59", 45, 59, "exact", "age"),
    ("15-18", 15, 18, "exact", "age"),
    ("1 से 3 जून", 1, 3, "exact", "date"),
    ("सुबह 9 से 11 बजे", 9, 11, "exact", "time"),
    ("2021-22", 2021, 2022, "exact", "year"),
    ("2019 से 2021 तक", 2019, 2021, "exact", "year"),
]


@pytest.mark.parametrize(("phrase", "lower", "upper", "qualifier", "kind"), RANGES)
def test_range(phrase: str, lower: int, upper: int, qualifier: str, kind: str) -> None:
    m = one(phrase)
    assert (m.is_range, m.value, m.upper, m.qualifier, m.kind) == (True, lower, upper, qualifier, kind)


def test_range_span_includes_qualifiers() -> None:
    text = "लगभग 90 से 95 लोगों को और 200 से 300 तक टीके"
    first, second = find_numbers(text)
    assert first.text == "90 से 95" and text[first.span_start : first.span_end] == "लगभग 90 से 95"
    assert second.text == "200 से 300" and text[second.span_start : second.span_end] == "200 से 300 तक"


# ------------------------------------------------------------------------------------------------
# Not numbers

NOT_NUMBERS = [
    "",
    "   ",
    "हजारों",
    "सैकड़ों",
    "सैंकड़ों",
    "लाखों",
    "करोड़ों",
    "दर्जनों",
    "हजार",
    "लाख",
    "करोड़",
    "टीका",
    "आधी रात",
    "साढ़े",
    "इससे पहले",
    "दूसरे जिलों",
    "दूसरी ओर",
    "कोविड-19",
    "कोविड 19",
    "COVID-19",
    "N95",
    "covid19",
    "G20 देश",
    "एन-95 मास्क",
    "53 वे लोग",
]


@pytest.mark.parametrize("phrase", NOT_NUMBERS)
def test_not_a_number(phrase: str) -> None:
    assert parse_number(phrase) is None
    if phrase != "53 वे लोग":
        assert find_numbers(phrase) == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("12,15", [12, 15]),
        ("1,2345", [1, 2345]),
        ("3,60,075,12", [360075, 12]),
        ("A 12, B 15", [12, 15]),
        ("86,023", [86023]),
    ],
)
def test_comma_only_inside_valid_grouping(text: str, values: list[int]) -> None:
    assert [m.value for m in find_numbers(text)] == values


def test_53_ve_is_a_count_not_an_ordinal() -> None:
    assert one("53 वे लोग").kind == "count"


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("करीब 200", 200),
        (" 19 हजार से ज्यादा ", 19000),
        ("3 लाख 60 हजार 075", 360075),
        ("२५३४", 2534),
        ("सौ", 100),
        ("करीब 200 लोग", None),
        ("200 और 300", None),
        ("200 लोग", None),
    ],
)
def test_parse_number_is_strict(phrase: str, value: int | None) -> None:
    assert parse_number(phrase) == value


def test_parse_returns_none_for_two_numbers() -> None:
    assert parse("5:40 बजे तक 200") is None
    assert parse("कोई संख्या नहीं") is None


# ------------------------------------------------------------------------------------------------
# Offsets index the exact input (NBSP, ZWJ, nukta, Devanagari digits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"गुरुवार को{NBSP}22{NBSP}हजार{NBSP}397 लोगों को", f"22{NBSP}हजार{NBSP}397"),
        (f"कुल 15.68 करो{ZWJ}ड़ डोज", f"15.68 करो{ZWJ}ड़"),
        (f"कुल 27 {NUKTA_HAZAR} 200 का लक्ष्य", f"27 {NUKTA_HAZAR} 200"),
        (f"कुल 27 {PRECOMPOSED_HAZAR} 200 का लक्ष्य", f"27 {PRECOMPOSED_HAZAR} 200"),
        ("केंद्रों पर ३ लाख ६० हजार ०७५ टीके", "३ लाख ६० हजार ०७५"),
        ("जिले  में   146 केंद्र", "146"),
        ("\ufeffकरीब 200 लोग", "200"),
        ("पाँच लाख लोग", "पाँच लाख"),
    ],
)
def test_offsets_index_the_original_text(text: str, expected: str) -> None:
    (m,) = find_numbers(text)
    assert text[m.start : m.end] == expected == m.text


# ------------------------------------------------------------------------------------------------
# Full sentences: (text, value, kind, qualifier) of every number, in order

SENTENCES: list[tuple[str, list[tuple[str, float, str, str]]]] = [
    (
        "जिले में बुधवार को 146 केंद्रों पर 22 हजार 397 लोगों को टीका लगाया गया।",
        [("146", 146, "count", "exact"), ("22 हजार 397", 22397, "count", "exact")],
    ),
    (
        "गुरुवार को 27 हजार 200 डोज लगाने का लक्ष्य रखा गया था, जिसके मुकाबले 24 हजार 518 टीके लगे।",
        [("27 हजार 200", 27200, "count", "exact"), ("24 हजार 518", 24518, "count", "exact")],
    ),
    (
        "18 से 44 वर्ष आयु वर्ग के 19 हजार से ज्यादा लोगों ने पहली डोज ली।",
        [
            ("18 से 44", 18, "age", "exact"),
            ("19 हजार", 19000, "count", "at_least"),
            ("पहली", 1, "ordinal", "exact"),
        ],
    ),
    (
        "सुबह 10 बजे से सर्वर करीब एक घंटे तक डाउन रहा और आधे घंटे में ठीक हुआ।",
        [("10", 10, "time", "exact"), ("एक", 1, "duration", "approx"), ("आधे", 0.5, "duration", "exact")],
    ),
    (
        "शाम 5:40 बजे तक 3 लाख 60 हजार 075 टीके लग चुके थे।",
        [("5:40", 5 + 40 / 60, "time", "exact"), ("3 लाख 60 हजार 075", 360075, "count", "exact")],
    ),
    (
        "प्रदेश में अब तक 94,28,490 डोज लगाई जा चुकी हैं, जो लक्ष्य का 62 प्रतिशत है।",
        [("94,28,490", 9428490, "count", "exact"), ("62", 62, "percent", "exact")],
    ),
    ("जिले को 15,210 डोज की नई खेप प्राप्त हुई है।", [("15,210", 15210, "count", "exact")]),
    ("करीब 200 लोगों को मॉल में बने केंद्र पर टीका लगाया गया।", [("200", 200, "count", "approx")]),
    (
        "45 वर्ष से अधिक आयु के 8 हजार 112 लोगों को दूसरी डोज दी गई।",
        [
            ("45", 45, "age", "at_least"),
            ("8 हजार 112", 8112, "count", "exact"),
            ("दूसरी", 2, "ordinal", "exact"),
        ],
    ),
    (
        "आज 12 केंद्रों पर 18-44 वर्ष के लोगों का टीकाकरण होगा।",
        [("12", 12, "count", "exact"), ("18-44", 18, "age", "exact")],
    ),
    ("प्रत्येक विकासखंड में दो-दो केंद्र बनाए गए हैं।", [("दो-दो", 2, "count", "exact")]),
    (
        "टीकाकरण का तीसरा चरण 1 मई से शुरू हुआ था।",
        [("तीसरा", 3, "phase", "exact"), ("1", 1, "date", "exact")],
    ),
    (
        "वार्ड नंबर 12 में 90 से 95 लोगों को टीका लगा।",
        [("12", 12, "ward", "exact"), ("90 से 95", 90, "count", "approx")],
    ),
    (
        "जानकारी के लिए 0761-2624123 या 9876543210 पर संपर्क करें।",
        [("0761-2624123", 7612624123, "phone", "exact"), ("9876543210", 9876543210, "phone", "exact")],
    ),
    ("देश में अब तक 15.68 करोड़ डोज लगाई जा चुकी हैं।", [("15.68 करोड़", 156800000, "count", "exact")]),
    (
        "महज 50 लोगों ने ही टीका लगवाया, जबकि लक्ष्य से ज्यादा 500 डोज उपलब्ध थीं।",
        [("50", 50, "count", "exact"), ("500", 500, "count", "exact")],
    ),
    ("सबसे ज्यादा 19 हजार से ज्यादा टीके शहरी क्षेत्र में लगे।", [("19 हजार", 19000, "count", "at_least")]),
    ("ज्यादा से ज्यादा लोग टीका लगवाएं, इसके लिए 30 जून तक अभियान चलेगा।", [("30", 30, "date", "exact")]),
    ("शिविर में सौ फीसदी पात्र लोगों को टीका लग गया।", [("सौ", 100, "percent", "exact")]),
    ("शाम करीब 4 बजे पोर्टल फिर से चालू हो गया।", [("4", 4, "time", "approx")]),
    (
        "60 प्लस और 45+ के लोगों के लिए 25 सौ डोज आरक्षित हैं।",
        [("60", 60, "age", "at_least"), ("45", 45, "age", "at_least"), ("25 सौ", 2500, "count", "exact")],
    ),
    (
        "कोविड-19 टीकाकरण अभियान में 2021 में अब तक २५३४ लोगों को टीका लगा।",
        [("2021", 2021, "year", "exact"), ("२५३४", 2534, "count", "exact")],
    ),
    (
        "जून 2021 में जिले को डेढ़ लाख डोज मिलीं।",
        [("2021", 2021, "year", "exact"), ("डेढ़ लाख", 150000, "count", "exact")],
    ),
    (
        "मोबाइल वैन से ढाई सौ लोगों का टीकाकरण हुआ, किसी से 250 रुपये शुल्क नहीं लिया गया।",
        [("ढाई सौ", 250, "count", "exact"), ("250", 250, "money", "exact")],
    ),
    (
        "एक मई से दो दिनों में साढ़े तीन हजार लोगों ने पंजीयन कराया।",
        [
            ("एक", 1, "date", "exact"),
            ("दो", 2, "duration", "exact"),
            ("साढ़े तीन हजार", 3500, "count", "exact"),
        ],
    ),
    ("टीके के लिए 18 व उससे अधिक उम्र के लोग पात्र हैं।", [("18", 18, "age", "at_least")]),
    (
        "कम से कम 500 और अधिकतम 1 हजार डोज प्रति केंद्र भेजी जाएंगी।",
        [("500", 500, "count", "at_least"), ("1 हजार", 1000, "count", "at_most")],
    ),
    (
        "प्रत्येक केंद्र पर 200 तक टीके लगाए जाएंगे, दोपहर 2 बजे तक 146 लोगों को टीका लग चुका था।",
        [("200", 200, "count", "at_most"), ("2", 2, "time", "exact"), ("146", 146, "count", "exact")],
    ),
    (
        "आंकड़ा 5 लाख तक पहुंचा और 1 लाख के पार 18+ युवा पंजीकृत हुए।",
        [
            ("5 लाख", 500000, "count", "exact"),
            ("1 लाख", 100000, "count", "at_least"),
            ("18", 18, "age", "at_least"),
        ],
    ),
    (
        "12 केंद्र 45 साल से अधिक के लिए और 5-5 टीमें घर-घर सर्वे के लिए लगाई गईं।",
        [("12", 12, "count", "exact"), ("45", 45, "age", "at_least"), ("5-5", 5, "count", "exact")],
    ),
    (
        "दिनांक 03/06/2021 को 10:00 बजे से 4 बजकर 30 मिनट तक 1,200 डोज लगीं।",
        [
            ("03/06/2021", 3, "date", "exact"),
            ("10:00", 10, "time", "exact"),
            ("4", 4, "time", "exact"),
            ("30", 30, "time", "exact"),
            ("1,200", 1200, "count", "exact"),
        ],
    ),
    (
        "केंद्र A पर 12, केंद्र B पर 15 और वार्ड 11, 12 तथा 13 में कुल 40 टीके लगे।",
        [
            ("12", 12, "count", "exact"),
            ("15", 15, "count", "exact"),
            ("11", 11, "ward", "exact"),
            ("12", 12, "ward", "exact"),
            ("13", 13, "ward", "exact"),
            ("40", 40, "count", "exact"),
        ],
    ),
    (
        "3 जून, 2021 को वित्त वर्ष 2021-22 के बजट से 5 करोड़ रुपये मिले।",
        [
            ("3", 3, "date", "exact"),
            ("2021", 2021, "year", "exact"),
            ("2021-22", 2021, "year", "exact"),
            ("5 करोड़", 50000000, "money", "exact"),
        ],
    ),
    (
        "पिछले दो साल से बंद भवन में 4 व 5 जून को नब्बे हजार डोज रखी गईं।",
        [
            ("दो", 2, "duration", "exact"),
            ("4", 4, "date", "exact"),
            ("5", 5, "date", "exact"),
            ("नब्बे हजार", 90000, "count", "exact"),
        ],
    ),
    (
        f"डिजिटल डेस्क जबलपुर।{NBSP}गुरुवार को{NBSP}22{NBSP}हजार{NBSP}397 लोगों को टीका लगा।",
        [(f"22{NBSP}हजार{NBSP}397", 22397, "count", "exact")],
    ),
    (
        "पहले दिन 113 केंद्रों पर, इससे पहले दूसरे जिलों में 3,000 से कम टीके लगे थे।",
        [("पहले", 1, "ordinal", "exact"), ("113", 113, "count", "exact"), ("3,000", 3000, "count", "at_most")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentence(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    found = find_numbers(text)
    got = [(m.text, m.value, m.kind, m.qualifier) for m in found]
    assert got == [(t, pytest.approx(v), k, q) for t, v, k, q in expected]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert 0 <= m.span_start <= m.start < m.end <= m.span_end <= len(text)
    for a, b in itertools.pairwise(found):
        assert a.span_end <= b.span_start


# ------------------------------------------------------------------------------------------------
# Formatting and round trips


@pytest.mark.parametrize(
    ("n", "indian", "words"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (999, "999", "999"),
        (1000, "1,000", "1 हजार"),
        (22397, "22,397", "22 हजार 397"),
        (360075, "3,60,075", "3 लाख 60 हजार 75"),
        (9428490, "94,28,490", "94 लाख 28 हजार 490"),
        (10000005, "1,00,00,005", "1 करोड़ 5"),
        (123456789, "12,34,56,789", "12 करोड़ 34 लाख 56 हजार 789"),
        (1000000000, "1,00,00,00,000", "100 करोड़"),
    ],
)
def test_formatting(n: int, indian: str, words: str) -> None:
    assert format_indian(n) == indian
    assert format_scale_words(n) == words


def test_format_indian_negative() -> None:
    assert format_indian(-360075) == "-3,60,075"
    with pytest.raises(ValueError):
        format_scale_words(-1)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip(n: int) -> None:
    for rendered in (format_indian(n), format_scale_words(n)):
        assert parse_number(rendered) == n
        assert parse_number(rendered.translate(DEV)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip_in_a_sentence(n: int) -> None:
    text = f"जिले में कुल {format_scale_words(n)} लोगों को टीका लगा।"
    (m,) = find_numbers(text)
    assert (m.value, m.kind, m.text) == (n, "count", format_scale_words(n))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_find_numbers_never_raises(text: str) -> None:
    check_invariants(text, find_numbers(text))


FUZZ_TOKENS = [
    *"0123456789०१२३४५६७८९",
    "12",
    "2021",
    "5:40",
    "9.30",
    "3,60,075",
    "12,15",
    "-",
    "+",
    "%",
    ",",
    ".",
    "।",
    ":",
    "/",
    "₹",
    "हजार",
    "लाख",
    "करोड़",
    "सौ",
    "से",
    "तक",
    "ज्यादा",
    "अधिक",
    "करीब",
    "कम",
    "के",
    "पार",
    "वर्ष",
    "बजे",
    "शाम",
    "जून",
    "घंटे",
    "दो",
    "एक",
    "साढ़े",
    "सवा",
    "पौने",
    "डेढ़",
    "आधे",
    "पहले",
    "चरण",
    "वार्ड",
    "नंबर",
    "व",
    "उससे",
    "प्लस",
    "वें",
    "कोविड",
    "लोगों",
    NBSP,
    ZWJ,
    " ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FUZZ_TOKENS), max_size=30).map(lambda ts: " ".join(ts)))
def test_find_numbers_on_number_soup(text: str) -> None:
    check_invariants(text, find_numbers(text))


def check_invariants(text: str, found: list[NumberMatch]) -> None:
    last_end = 0
    for m in found:
        assert last_end <= m.span_start <= m.start < m.end <= m.span_end <= len(text)
        assert text[m.start : m.end] == m.text
        assert isinstance(m.value, int | float)
        assert m.is_range == (m.upper is not None)
        last_end = m.span_end


# ------------------------------------------------------------------------------------------------
# Lexicon and data file shape


def test_number_lexicon() -> None:
    lex = number_lexicon()
    for word in ("हजार", "हज़ार", NUKTA_HAZAR, "अस्सी", "डेढ़", "ढाई", "सौ", "लाख", "करोड़", "करोड", "साढ़े", "सवा"):
        assert word in lex
    for word in ("हजारों", "लाखों", "पहले", "जून", "टीका"):
        assert word not in lex
    assert fold("पाँच") in lex and "पाँच" in lex


def load_data() -> dict:
    with DATA_FILE.open("rb") as fh:
        return tomllib.load(fh)


def test_data_units_cover_0_to_99() -> None:
    units = load_data()["units"]
    assert sorted(int(k) for k in units) == list(range(100))
    assert all(units[k] for k in units)


def test_data_multipliers_are_powers_of_ten() -> None:
    data = load_data()
    mults = data["multipliers"]
    assert all(re.fullmatch(r"10+", k) for k in mults)
    spellings = {fold(s) for v in mults.values() for s in v}
    assert {fold(s) for s in data["multiplier_options"]["standalone"]} <= spellings


def test_data_no_spelling_has_two_values() -> None:
    data = load_data()
    entries: list[tuple[str, str]] = []
    for table in ("units", "multipliers", "ordinals"):
        entries += [(s, f"{table}:{v}") for v, spellings in data[table].items() for s in spellings]
    entries += [(s, f"fraction:{Decimal(f['value'])}") for f in data["fractions"] for s in f["spellings"]]
    entries += [(s, f"prefix:{Decimal(p['add'])}") for p in data["fraction_prefixes"] for s in p["spellings"]]
    seen: dict[str, str] = {}
    for spelling, meaning in entries:
        key = fold(spelling)
        assert seen.setdefault(key, meaning) == meaning, f"{spelling!r} is {seen[key]} and {meaning}"
    months: dict[str, str] = {}
    for v, spellings in data["months"].items():
        for s in spellings:
            assert months.setdefault(fold(s), v) == v
    assert sorted(int(k) for k in data["months"]) == list(range(1, 13))
    assert sorted(int(k) for k in data["ordinals"]) == list(range(1, 11))


def test_data_lists_have_no_duplicates() -> None:
    data = load_data()
    lists: list[list[str]] = [v for v in data["units"].values()]
    lists += [v for v in data["multipliers"].values()] + [v for v in data["ordinals"].values()]
    for section in ("qualifiers", "context", "connectors", "ordinal_options"):
        lists += [v for v in data[section].values() if v and isinstance(v[0], str)]
    for words in lists:
        assert len(words) == len(set(words)), words
        assert all(w.strip() == w and w for w in words)


def test_data_values_in_range() -> None:
    data = load_data()
    for f in data["fractions"]:
        assert 0 < Decimal(f["value"]) < 3
    for p in data["fraction_prefixes"]:
        assert -1 < Decimal(p["add"]) < 1
        if "alone" in p:
            assert 0 < Decimal(p["alone"]) < 2
    for low, high in data["context"]["age_bands"]:
        assert 0 < low < high <= 120
