"""Tests for pipeline/dates.py and pipeline/data/calendar.toml (all examples written for these tests)."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    IST,
    date_from_url,
    event_date,
    find_dates,
    find_durations,
    find_timestamp,
    parse_duration,
    parse_timestamp,
    resolve_weekday,
    tense_of,
    times_of_day,
)
from pipeline.text import fold

UTC = dt.UTC
D = dt.date
# Friday 4 June 2021, 3:57 PM IST: the seed report's publication time.
FRI = dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)
CALENDAR = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "calendar.toml"


def ist(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=IST)


# ---------------------------------------------------------------------------------------------
# parse_timestamp

TIMESTAMPS = [
    ("4 Jun 2021 3:57 PM IST", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("10-May-2021 8:43 PM", dt.datetime(2021, 5, 10, 20, 43, tzinfo=IST)),
    ("Updated on: 10-May-2021 08:43 PM", dt.datetime(2021, 5, 10, 20, 43, tzinfo=IST)),
    ("Created On :   4 Jun 2021 3:57 PM IST", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("Created On :\u00a0 4 Jun 2021 3:57 PM IST", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("04/06/2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("04-06-2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("04.06.2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("4 जून 2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("जून 4, 2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("दिनांक 4 जून, 2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("४ जून २०२१", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("3 सितम्बर 2021", dt.datetime(2021, 9, 3, tzinfo=IST)),
    ("2021-06-04T15:57:00+05:30", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("2021-06-04T10:27:00Z", dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC)),
    ("2021-06-04T10:27:00.000Z", dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC)),
    ("2021-06-04T15:57:00", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("2021-06-04", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("Fri, 04 Jun 2021 10:27:00 GMT", dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC)),
    ("Fri, 04 Jun 2021 10:27:00 +0000", dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC)),
    ("Fri, 04 Jun 2021 15:57:00 +0530", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("Jun 04, 2021 15:57 IST", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("June 4, 2021", dt.datetime(2021, 6, 4, tzinfo=IST)),
    ("4th June 2021, 11:05 AM", dt.datetime(2021, 6, 4, 11, 5, tzinfo=IST)),
    ("Sept 15, 2021 12:30 AM", dt.datetime(2021, 9, 15, 0, 30, tzinfo=IST)),
    ("12:05 PM, 5 Jun 2021", dt.datetime(2021, 6, 5, 12, 5, tzinfo=IST)),
    ("Published: 5 June 2022 10:00 AM", dt.datetime(2022, 6, 5, 10, 0, tzinfo=IST)),
    ("प्रकाशित: 4 जून 2021, 3:57 PM", dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)),
    ("06/24/2021", dt.datetime(2021, 6, 24, tzinfo=IST)),  # only valid as MONTH/DAY
]


@pytest.mark.parametrize(("stamp", "expected"), TIMESTAMPS)
def test_parse_timestamp(stamp: str, expected: dt.datetime) -> None:
    got = parse_timestamp(stamp)
    assert got == expected
    assert got is not None and got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "stamp", ["", "no date here", "31/02/2021", "Updated on:", "18 से 44 वर्ष", "10:30 बजे"]
)
def test_parse_timestamp_rejects(stamp: str) -> None:
    assert parse_timestamp(stamp) is None


def test_parse_timestamp_always_aware() -> None:
    for stamp, _ in TIMESTAMPS:
        got = parse_timestamp(stamp)
        assert got is not None and got.tzinfo is not None


# ---------------------------------------------------------------------------------------------
# find_timestamp


def test_find_timestamp_created_on_at_end() -> None:
    text = "जिले में टीके लगे।\n\nCreated On :\u00a0\u00a04 Jun 2021 3:57 PM IST\n\nTags"
    found = find_timestamp(text)
    assert found is not None
    stamp, start, end = found
    assert stamp == dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)
    assert text[start:end] == "Created On :\u00a0\u00a04 Jun 2021 3:57 PM IST"


def test_find_timestamp_prefers_published_over_updated() -> None:
    text = "Updated on: 10-May-2021 08:43 PM\nखबर का पाठ।\nPublished: 9-May-2021 06:10 PM"
    found = find_timestamp(text)
    assert found is not None
    assert found[0] == dt.datetime(2021, 5, 9, 18, 10, tzinfo=IST)
    assert text[found[1] : found[2]] == "Published: 9-May-2021 06:10 PM"


def test_find_timestamp_hindi_label() -> None:
    text = "शीर्षक\nप्रकाशित: ४ जून २०२१, 3:57 PM\nखबर"
    found = find_timestamp(text)
    assert found is not None
    assert found[0] == dt.datetime(2021, 6, 4, 15, 57, tzinfo=IST)
    assert text[found[1] : found[2]] == "प्रकाशित: ४ जून २०२१, 3:57 PM"


def test_find_timestamp_updated_only() -> None:
    found = find_timestamp("पाठ\nUpdated on: 10-May-2021 08:43 PM")
    assert found is not None and found[0] == dt.datetime(2021, 5, 10, 20, 43, tzinfo=IST)


def test_find_timestamp_bare_line() -> None:
    text = "खबर का पाठ।\n4 Jun 2021 3:57 PM IST\n"
    found = find_timestamp(text)
    assert found is not None and text[found[1] : found[2]] == "4 Jun 2021 3:57 PM IST"


@pytest.mark.parametrize(
    "text", ["भोपाल/4 जून, 2021/ टीके लगे।", "प्रकाशित किया गया लेख", "गुरुवार को 146 केंद्रों पर टीके लगे।"]
)
def test_find_timestamp_none(text: str) -> None:
    assert find_timestamp(text) is None


# ---------------------------------------------------------------------------------------------
# find_dates: explicit dates

EXPLICIT = [
    # (text, published, expected mention texts, expected dates)
    ("3 जून 2021 को टीके लगे", None, ["3 जून 2021"], [D(2021, 6, 3)]),
    ("दिनांक 3 जून, 2021 को शिविर", None, ["3 जून, 2021"], [D(2021, 6, 3)]),
    ("3जून को शिविर लगा", FRI, ["3जून"], [D(2021, 6, 3)]),
    ("दिनांक 03/06/2021 को", None, ["03/06/2021"], [D(2021, 6, 3)]),
    ("दिनांक 03.06.2021 को", None, ["03.06.2021"], [D(2021, 6, 3)]),
    ("2021-06-03 को", None, ["2021-06-03"], [D(2021, 6, 3)]),
    ("4 एवं 5 जून को शिविर लगेगा", ist(2021, 6, 1), ["4", "5 जून"], [D(2021, 6, 4), D(2021, 6, 5)]),
    ("3, 4 और 5 जून 2021 को", None, ["3", "4", "5 जून 2021"], [D(2021, 6, 3), D(2021, 6, 4), D(2021, 6, 5)]),
    ("1 से 3 जून तक अभियान", ist(2021, 5, 30), ["1", "3 जून"], [D(2021, 6, 1), D(2021, 6, 3)]),
    ("30 मई से 5 जून तक", ist(2021, 5, 29), ["30 मई", "5 जून"], [D(2021, 5, 30), D(2021, 6, 5)]),
    ("जून 4, 2021 को", None, ["जून 4, 2021"], [D(2021, 6, 4)]),
    ("on June 4, 2021 the drive", None, ["June 4, 2021"], [D(2021, 6, 4)]),
    ("4th June 2021", None, ["4th June 2021"], [D(2021, 6, 4)]),
    ("10-May-2021 को", None, ["10-May-2021"], [D(2021, 5, 10)]),
    (
        "15 सितंबर 2021 और 2 अक्तूबर 2021",
        None,
        ["15 सितंबर 2021", "2 अक्तूबर 2021"],
        [D(2021, 9, 15), D(2021, 10, 2)],
    ),
    ("12 फ़रवरी 2022 को", None, ["12 फ़रवरी 2022"], [D(2022, 2, 12)]),
    ("5 अप्रेल 2021 से", None, ["5 अप्रेल 2021"], [D(2021, 4, 5)]),
    ("25 दिसम्बर 2021", None, ["25 दिसम्बर 2021"], [D(2021, 12, 25)]),
    ("४ जून २०२१ को", None, ["४ जून २०२१"], [D(2021, 6, 4)]),
    # day + month, no year: tense and publication choose the year
    ("10 मई को टीके लगाए गए", FRI, ["10 मई"], [D(2021, 5, 10)]),
    ("10 जून को शिविर लगेगा", FRI, ["10 जून"], [D(2021, 6, 10)]),
    ("10 जून को शिविर", FRI, ["10 जून"], [D(2021, 6, 10)]),  # no verb: nearest
    ("6 जून को टीके लगाए गए", FRI, ["6 जून"], [D(2020, 6, 6)]),  # past: never after publication
    ("25 दिसंबर को टीके लगे", ist(2022, 1, 5), ["25 दिसंबर"], [D(2021, 12, 25)]),
    ("5 जनवरी को शिविर लगेगा", ist(2021, 12, 28), ["5 जनवरी"], [D(2022, 1, 5)]),
]


@pytest.mark.parametrize(("text", "published", "texts", "dates"), EXPLICIT)
def test_find_dates_explicit(
    text: str, published: dt.datetime | None, texts: list[str], dates: list[D]
) -> None:
    found = find_dates(text, published)
    assert [m.text for m in found] == texts
    assert [m.date for m in found] == dates
    assert all(m.kind == "explicit" and m.precision == "day" for m in found)
    assert all(text[m.start : m.end] == m.text for m in found)


def test_day_month_without_year_or_publication_is_unresolved() -> None:
    [m] = find_dates("3 जून को शिविर लगा")
    assert (m.date, m.precision, m.kind) == (None, "unresolved", "explicit")


def test_month_year_has_month_precision() -> None:
    [m] = find_dates("जून 2021 में 5 लाख टीके लगे")
    assert (m.text, m.date, m.precision) == ("जून 2021", D(2021, 6, 1), "month")


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("गुरुवार (3 जून) को शिविर लगा", None, D(2021, 6, 3)),
        ("शुक्रवार, 3 जून को शिविर लगा", None, D(2022, 6, 3)),
        ("3 जून (गुरुवार) को शिविर लगा", None, D(2021, 6, 3)),
        ("गुरुवार 3 जून को टीके लगे", ist(2022, 6, 10), D(2021, 6, 3)),  # weekday agreement beats nearness
        ("आज यानी 4 जून को शिविर", FRI, D(2021, 6, 4)),
        ("कल यानि 3 जून को टीके लगे", FRI, D(2021, 6, 3)),
    ],
)
def test_explicit_glued_to_weekday_or_relative(text: str, published: dt.datetime | None, expected: D) -> None:
    [m] = find_dates(text, published)
    assert m.date == expected and m.kind == "explicit" and m.precision == "day"
    assert text[m.start : m.end] == m.text
    assert m.text.startswith(("गुरुवार", "शुक्रवार", "3", "आज", "कल"))


def test_weekday_paren_mention_span_includes_closing_paren() -> None:
    [m] = find_dates("गुरुवार (3 जून) को", None)
    assert m.text == "गुरुवार (3 जून)"


@pytest.mark.parametrize(
    "text",
    [
        "18 से 44 वर्ष के 200 लोगों को टीका",
        "45+ आयु वर्ग के 1200 लोगों",
        "सुबह 10:30 बजे से",
        "9.30 बजे तक 500 टीके",
        "कुल 27 हजार 200 का लक्ष्य",
        "वार्ड नंबर 12 में 146 केंद्र",
        "आजकल लोग जागरूक हैं",
        "आज कल टीके की मांग है",
        "कल-कारखाने बंद रहे",
        "बीते दिनों में संक्रमण घटा",
        "कलेक्टर ने निरीक्षण किया",
    ],
)
def test_find_dates_no_false_dates(text: str) -> None:
    assert find_dates(text, FRI) == []


# ---------------------------------------------------------------------------------------------
# Weekdays


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("गुरुवार को 146 केंद्रों पर टीके लगाए गए", FRI, D(2021, 6, 3)),
        ("शुक्रवार को टीके लगाए गए", FRI, D(2021, 6, 4)),  # the same day counts
        ("शनिवार को 500 टीके लगाए गए", FRI, D(2021, 5, 29)),
        ("शनिवार को 500 टीके लगाए जाएंगे", FRI, D(2021, 6, 5)),
        ("शुक्रवार को टीके लगेंगे", FRI, D(2021, 6, 4)),
        ("सोमवार को शिविर लगेगा", FRI, D(2021, 6, 7)),
        ("बृहस्पतिवार को शिविर", FRI, D(2021, 6, 3)),  # unknown tense: on/before
        ("वीरवार को टीकाकरण हुआ", FRI, D(2021, 6, 3)),
        ("रविवार को शिविर लगा", FRI, D(2021, 5, 30)),
        ("मंगलवार को टीका लगवाया", FRI, D(2021, 6, 1)),
        ("बुधवार को टीके लगे", FRI, D(2021, 6, 2)),
        ("बीते सोमवार को टीके", FRI, D(2021, 5, 31)),
        ("आगामी सोमवार को टीके", FRI, D(2021, 6, 7)),
        ("गुरुवार को टीके लगे", dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC), D(2021, 6, 3)),
        ("गुरुवार को टीके लगे", dt.datetime(2021, 6, 3, 20, 0, tzinfo=UTC), D(2021, 6, 3)),  # Fri 01:30 IST
    ],
)
def test_weekday_resolution(text: str, published: dt.datetime, expected: D) -> None:
    found = find_dates(text, published)
    assert len(found) == 1
    assert found[0].date == expected and found[0].kind == "weekday" and found[0].precision == "day"


def test_weekday_without_publication_is_unresolved() -> None:
    [m] = find_dates("गुरुवार को टीके लगे")
    assert (m.text, m.date, m.precision, m.kind) == ("गुरुवार", None, "unresolved", "weekday")


def test_recurring_weekday_is_unresolved() -> None:
    [m] = find_dates("हर गुरुवार को टीकाकरण होता है", FRI)
    assert m.date is None and m.precision == "unresolved"


@pytest.mark.parametrize(
    ("weekday", "published", "future", "expected"),
    [
        (3, D(2021, 6, 4), False, D(2021, 6, 3)),
        (4, D(2021, 6, 4), False, D(2021, 6, 4)),
        (4, D(2021, 6, 4), True, D(2021, 6, 4)),
        (0, D(2021, 6, 4), True, D(2021, 6, 7)),
        (5, D(2021, 6, 4), False, D(2021, 5, 29)),
        (6, D(2021, 12, 31), True, D(2022, 1, 2)),
    ],
)
def test_resolve_weekday(weekday: int, published: D, future: bool, expected: D) -> None:
    assert resolve_weekday(weekday, published, future=future) == expected


# ---------------------------------------------------------------------------------------------
# Relative words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("आज 500 टीके लगाए गए", D(2021, 6, 4)),
        ("आज 100 केंद्रों पर टीकाकरण होगा", D(2021, 6, 4)),
        ("कल 500 टीके लगाए गए", D(2021, 6, 3)),
        ("कल 500 टीके लगाए जाएंगे", D(2021, 6, 5)),
        ("कल जिले में 3200 लोगों ने वैक्सीन लगवाई", D(2021, 6, 3)),
        ("कल से टीकाकरण शुरू हो रहा है", D(2021, 6, 5)),
        ("कल 18 व 45 वर्ष के लोगों को टीके लगेंगे", D(2021, 6, 5)),
        ("कल 500 टीके लगे और आज 600 लगेंगे", D(2021, 6, 3)),
        ("परसों टीकाकरण होगा", D(2021, 6, 6)),
        ("परसों टीकाकरण हुआ था", D(2021, 6, 2)),
        ("बीते दिन 300 लोगों को टीका लगा", D(2021, 6, 3)),
        ("गत दिवस 300 लोगों को टीका लगा", D(2021, 6, 3)),
        ("बीते रोज 300 टीके लगे", D(2021, 6, 3)),
        ("बीते रोज़ 300 टीके लगे", D(2021, 6, 3)),
        ("कल गुरुवार को टीके लगे", D(2021, 6, 3)),
        ("कल शनिवार को टीके लगेंगे", D(2021, 6, 5)),
        ("कल गुरुवार को टीके लगेंगे", D(2021, 6, 3)),  # disagreeing verb: the weekday decides
    ],
)
def test_relative_resolution(text: str, expected: D) -> None:
    found = find_dates(text, FRI)
    assert found[0].date == expected
    assert found[0].kind == "relative"


def test_relative_without_verb_is_unresolved() -> None:
    [m] = find_dates("कल 200 केंद्रों पर टीकाकरण", FRI)
    assert (m.text, m.date, m.precision) == ("कल", None, "unresolved")


def test_relative_without_publication_is_unresolved() -> None:
    [m] = find_dates("आज 500 टीके लगाए गए")
    assert m.date is None and m.precision == "unresolved"


def test_past_tense_never_after_publication() -> None:
    published = ist(2021, 6, 2)
    texts = ["गुरुवार को टीके लगाए गए", "3 जून को टीके लगाए गए", "कल 500 टीके लगाए गए", "शुक्रवार को शिविर लगा"]
    for text in texts:
        for m in find_dates(text, published):
            assert m.date is not None and m.date <= published.date()


# ---------------------------------------------------------------------------------------------
# Offsets on messy input


def test_offsets_with_nbsp_zwj_nukta_and_devanagari_digits() -> None:
    text = "भोपाल।\u00a0गुरुवार\u200d को\u00a0४\u00a0जून को डेढ\u093c घंटे तक सर्वर ठप रहा, सुबह\u00a0९ बजे"
    dates = find_dates(text, FRI)
    assert [text[m.start : m.end] for m in dates] == [m.text for m in dates]
    assert [m.text for m in dates] == ["गुरुवार\u200d", "४\u00a0जून"]
    [dur] = find_durations(text)
    assert dur.text == "डेढ\u093c घंटे तक" and dur.minutes == 90
    assert [(label, text[s:e]) for label, s, e in times_of_day(text)] == [("morning", "सुबह")]


def test_every_month_spelling_is_recognised() -> None:
    data = tomllib.loads(CALENDAR.read_text(encoding="utf-8"))
    for month in data["months"]:
        for name in month["names"]:
            [m] = find_dates(f"दिनांक 9 {name} 2021 को")
            assert m.date == D(2021, month["number"], 9), name


def test_every_weekday_spelling_is_recognised() -> None:
    data = tomllib.loads(CALENDAR.read_text(encoding="utf-8"))
    for weekday in data["weekdays"]:
        for name in weekday["names"]:
            [m] = find_dates(f"{name} को टीके लगे", FRI)
            assert m.date is not None and m.date.weekday() == weekday["number"], name


# ---------------------------------------------------------------------------------------------
# tense_of


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("146 केंद्रों पर टीके लगाए गए", "past"),
        ("लक्ष्य रखा गया", "past"),
        ("22 हजार हितग्राहियों ने टीके लगवाए", "past"),
        ("टीकाकरण हुआ", "past"),
        ("सर्वर एक घंटे तक डाउन रहा", "past"),
        ("टीके लगाए जा रहे थे", "past"),
        ("अब तक 2 लाख टीके लग चुके हैं", "past"),
        ("टीके लगाए गए हैं", "past"),
        ("टीका लगाया जाएगा", "future"),
        ("टीका लगाया जायेगा", "future"),
        ("खुराक दी जाएगी", "future"),
        ("100 केंद्रों पर टीकाकरण होगा", "future"),
        ("लोगों को टीका लगेगी", "future"),
        ("टीके लगाए जाएंगे", "future"),
        ("स्वास्थ्य कर्मी घर-घर जाकर टीके लगाएंगे", "future"),
        ("शिविर आयोजित किया जाना है", "future"),
        ("टीका लगाया जा रहा है", "present"),
        ("टीकाकरण जारी है", "present"),
        ("मेगा कैंप में टीकाकरण", None),
        ("146 केंद्रों पर टीकाकरण", None),
        ("", None),
    ],
)
def test_tense_of(clause: str, expected: str | None) -> None:
    assert tense_of(clause) == expected


# ---------------------------------------------------------------------------------------------
# date_from_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/news/2021/06/04/teekakaran-news", (D(2021, 6, 4), "day")),
        ("https://example.com/2021/6/4/teekakaran", (D(2021, 6, 4), "day")),
        ("https://example.com/city/04/06/2021/teekakaran", (D(2021, 6, 4), "day")),
        ("https://example.com/city/2021-06-04/teekakaran", (D(2021, 6, 4), "day")),
        ("https://example.com/2021/06/teekakaran-shivir", (D(2021, 6, 1), "month")),
        ("https://example.com/2021/06/teekakaran_04", (D(2021, 6, 1), "month")),
        ("https://example.com/city/news/server-down-in-jabalpur-251234", (None, "unresolved")),
        ("https://example.com/wp-content/uploads/2021/06/photo.jpg", (None, "unresolved")),
        ("https://example.com/archive/2021/06/04/", (None, "unresolved")),
        ("https://example.com/2021/13/04/x", (None, "unresolved")),
        ("https://example.com/story?date=2021/06/04", (None, "unresolved")),
        ("not a url", (None, "unresolved")),
    ],
)
def test_date_from_url(url: str, expected: tuple[D | None, str]) -> None:
    assert date_from_url(url) == expected


# ---------------------------------------------------------------------------------------------
# event_date on short bulletins


EVENTS = [
    ("डिजिटल डेस्क जबलपुर । गुरुवार को 146 केंद्रों पर 22 हजार लोगों को टीका लगाया गया।", FRI, None, D(2021, 6, 3)),
    (
        "डिजिटल डेस्क जबलपुर । गुरुवार को 146 केंद्रों पर टीके लगे।",
        dt.datetime(2021, 6, 4, 10, 27, tzinfo=UTC),
        None,
        D(2021, 6, 3),
    ),
    ("जगदलपुर, 10 मई। जिले में टीकाकरण अभियान जारी है।", ist(2021, 5, 11), None, D(2021, 5, 10)),
    ("भोपाल/4 जून, 2021/ प्रदेश में महाअभियान के तहत टीके लगाए गए।", None, None, D(2021, 6, 4)),
    ("भोपाल/4 जून, 2021/ गुरुवार को जिले में 5 हजार टीके लगाए गए।", None, None, D(2021, 6, 3)),
    ("जबलपुर 10 मई 2021/ जिले में 300 लोगों को टीका लगा।", None, None, D(2021, 5, 10)),
    ("रायपुर। जिले में 4 एवं 5 जून को विशेष टीकाकरण शिविर लगाए जाएंगे।", ist(2021, 6, 2), None, D(2021, 6, 4)),
    ("इंदौर। 1 से 3 जून तक 50 केंद्रों पर टीकाकरण किया जाएगा।", ist(2021, 5, 31), None, D(2021, 6, 1)),
    ("सागर। शनिवार को 80 केंद्रों पर टीके लगाए जाएंगे।", FRI, None, D(2021, 6, 5)),
    ("कटनी। कल जिले में 3200 लोगों ने वैक्सीन लगवाई।", FRI, None, D(2021, 6, 3)),
    ("आज 100 केंद्रों पर टीकाकरण होगा।", FRI, None, D(2021, 6, 4)),
    ("जिले में टीकाकरण जारी है।", FRI, None, D(2021, 6, 4)),
    ("16 जनवरी से शुरू हुए टीकाकरण अभियान में मंगलवार को 4 हजार टीके लगे।", FRI, None, D(2021, 6, 1)),
    ("30 जून तक सभी को टीका लगाने का लक्ष्य है। बुधवार को 2 हजार टीके लगे।", FRI, None, D(2021, 6, 2)),
    ("गुरुवार को 146 केंद्रों पर टीके लगे। 21 जून से सभी को मुफ्त टीका लगेगा।", FRI, None, D(2021, 6, 3)),
    ("शिविर गुरुवार, 3 जून को आयोजित किया गया जिसमें 300 टीके लगे।", None, None, D(2021, 6, 3)),
    ("सोमवार को हुई बैठक के बाद निर्णय हुआ। बुधवार को 900 टीके लगाए गए।", FRI, None, D(2021, 6, 2)),
    (
        "बुधवार को 5 हजार लोगों को लगा टीका\nजिले में अभियान जारी रहा।",
        FRI,
        "बुधवार को 5 हजार लोगों को लगा टीका",
        D(2021, 6, 2),
    ),
    ("जिले में अभियान जारी रहा।", FRI, "मंगलवार को 5 हजार लोगों को लगा टीका", D(2021, 6, 1)),
    (
        "जिले में टीकाकरण जारी रहा।\n\nCreated On :   5 Jun 2021 3:57 PM IST",
        FRI,
        None,
        D(2021, 6, 4),
    ),
]


@pytest.mark.parametrize(("text", "published", "title", "expected"), EVENTS)
def test_event_date(text: str, published: dt.datetime | None, title: str | None, expected: D) -> None:
    assert event_date(text, published, title=title) == (expected, "day")


@pytest.mark.parametrize(
    "text",
    [
        "जिले में टीकाकरण जारी है।",
        "गुरुवार को 146 केंद्रों पर टीके लगे।",
        "जिले में टीकाकरण जारी रहा।\nUpdated on: 10-May-2021 08:43 PM",
    ],
)
def test_event_date_unresolved_without_publication(text: str) -> None:
    assert event_date(text, None) == (None, "unresolved")


# ---------------------------------------------------------------------------------------------
# Durations

DURATIONS = [
    ("1 घंटे", 60, "exact", "1 घंटे"),
    ("सर्वर एक घंटे तक डाउन रहा", 60, "exact", "एक घंटे तक"),
    ("करीब 1 घंटे तक सर्वर बंद रहा", 60, "approx", "करीब 1 घंटे तक"),
    ("आधे घंटे में ठीक हुआ", 30, "exact", "आधे घंटे"),
    ("करीब आधे घंटे बाद", 30, "approx", "करीब आधे घंटे"),
    ("डेढ़ घंटे", 90, "exact", "डेढ़ घंटे"),
    ("डेढ\u093c घंटा", 90, "exact", "डेढ\u093c घंटा"),
    ("दो घंटे तक इंतजार", 120, "exact", "दो घंटे तक"),
    ("तीन घंटे", 180, "exact", "तीन घंटे"),
    ("30 मिनट", 30, "exact", "30 मिनट"),
    ("30 मिनट तक", 30, "exact", "30 मिनट तक"),
    ("ढाई घंटे", 150, "exact", "ढाई घंटे"),
    ("साढ़े तीन घंटे", 210, "exact", "साढ़े तीन घंटे"),
    ("साढ़े 3 घंटे", 210, "exact", "साढ़े 3 घंटे"),
    ("सवा घंटा", 75, "exact", "सवा घंटा"),
    ("सवा दो घंटे", 135, "exact", "सवा दो घंटे"),
    ("पौने दो घंटे", 105, "exact", "पौने दो घंटे"),
    ("2 घंटे से ज्यादा", 120, "at_least", "2 घंटे से ज्यादा"),
    ("ढाई घंटे से अधिक समय", 150, "at_least", "ढाई घंटे से अधिक"),
    ("कम से कम 2 घंटे", 120, "at_least", "कम से कम 2 घंटे"),
    ("करीब 1 घंटे से ज्यादा", 60, "at_least", "करीब 1 घंटे से ज्यादा"),
    ("आधे घंटे से कम", 30, "at_most", "आधे घंटे से कम"),
    ("अधिकतम 15 मिनट", 15, "at_most", "अधिकतम 15 मिनट"),
    ("लगभग 45 मिनट", 45, "approx", "लगभग 45 मिनट"),
    ("तकरीबन 20 मिनट", 20, "approx", "तकरीबन 20 मिनट"),
    ("दो से तीन घंटे", 120, "approx", "दो से तीन घंटे"),
    ("2-3 घंटे", 120, "approx", "2-3 घंटे"),
    ("1.5 घंटे", 90, "exact", "1.5 घंटे"),
    ("२ घंटे", 120, "exact", "२ घंटे"),
    ("1 घंटा 30 मिनट", 90, "exact", "1 घंटा 30 मिनट"),
    ("24 घंटे", 1440, "exact", "24 घंटे"),
    ("दो दिनों के भीतर", 2880, "exact", "दो दिनों"),
    ("एक सप्ताह", 10080, "exact", "एक सप्ताह"),
    ("पांच मिनट", 5, "exact", "पांच मिनट"),
    ("पाँच मिनट", 5, "exact", "पाँच मिनट"),
]


@pytest.mark.parametrize(("text", "minutes", "qualifier", "span"), DURATIONS)
def test_find_durations(text: str, minutes: int, qualifier: str, span: str) -> None:
    [d] = find_durations(text)
    assert (d.minutes, d.qualifier, d.text) == (minutes, qualifier, span)
    assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    "text",
    [
        "घंटों इंतजार करना पड़ा",
        "कुछ मिनटों में ही सर्वर डाउन",
        "18 से 44 वर्ष",
        "5:40 बजे",
        "10 बजे तक 500 टीके",
        "146 केंद्रों पर",
        "एकदम घंटे",
    ],
)
def test_find_durations_none(text: str) -> None:
    assert find_durations(text) == []


def test_durations_in_a_sentence() -> None:
    text = "सुबह करीब 1 घंटे तक सर्वर डाउन रहा, जिसे आधे घंटे में ठीक कराया गया।"
    found = find_durations(text)
    assert [(d.minutes, d.qualifier) for d in found] == [(60, "approx"), (30, "exact")]
    assert [text[d.start : d.end] for d in found] == ["करीब 1 घंटे तक", "आधे घंटे"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("डेढ़ घंटे", 90), ("आधे घंटे", 30), ("करीब 2 घंटे", 120), ("कोई अवधि नहीं", None), ("", None)],
)
def test_parse_duration(phrase: str, expected: int | None) -> None:
    assert parse_duration(phrase) == expected


# ---------------------------------------------------------------------------------------------
# Times of day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("सुबह 10 बजे सर्वर डाउन हुआ", [("morning", "सुबह")]),
        ("प्रातः 9 बजे से टीकाकरण", [("morning", "प्रातः")]),
        ("सवेरे से कतार लगी", [("morning", "सवेरे")]),
        ("दोपहर 4 बजे सर्वर बैठ गया", [("afternoon", "दोपहर")]),
        ("शाम 4 बजे सर्वर बैठ गया", [("evening", "शाम")]),  # the word decides, not the clock
        ("सायं 6 बजे तक", [("evening", "सायं")]),
        ("संध्या 6 बजे तक", [("evening", "संध्या")]),
        ("संध्या शर्मा ने बताया", []),
        ("रात 10 बजे तक", [("night", "रात")]),
        ("रात्रि में पोर्टल बंद रहा", [("night", "रात्रि")]),
        ("सुबह-शाम टीकाकरण", [("morning", "सुबह"), ("evening", "शाम")]),
        ("शामिल हुए, रातभर, सुबहानी", []),
        ("केंद्र पर टीके लगे", []),
    ],
)
def test_times_of_day(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(label, text[s:e]) for label, s, e in times_of_day(text)] == expected


# ---------------------------------------------------------------------------------------------
# calendar.toml shape


def _calendar() -> dict:
    return tomllib.loads(CALENDAR.read_text(encoding="utf-8"))


def _check_unique(mapping_pairs: Sequence[tuple[str, object]]) -> None:
    """No raw spelling listed twice; no folded spelling mapped to two values."""
    raw = [s for s, _ in mapping_pairs]
    assert len(raw) == len(set(raw)), sorted({s for s in raw if raw.count(s) > 1})
    seen: dict[str, object] = {}
    for spelling, value in mapping_pairs:
        key = fold(spelling)
        assert key, spelling
        assert seen.setdefault(key, value) == value, (spelling, seen[key], value)


def test_calendar_months_and_weekdays_shape() -> None:
    data = _calendar()
    assert sorted(m["number"] for m in data["months"]) == list(range(1, 13))
    assert sorted(w["number"] for w in data["weekdays"]) == list(range(7))
    for entry in data["months"] + data["weekdays"]:
        assert any("\u0900" <= ch <= "\u097f" for ch in entry["names"][0]), entry
        assert any(name.isascii() for name in entry["names"]), entry
    pairs = [(n, ("month", m["number"])) for m in data["months"] for n in m["names"]]
    pairs += [(n, ("weekday", w["number"])) for w in data["weekdays"] for n in w["names"]]
    _check_unique(pairs)


def test_calendar_relative_and_cue_lists_shape() -> None:
    data = _calendar()
    rel = data["relative"]
    _check_unique(
        [(k, ("fixed", v)) for k, v in rel["fixed"].items()] + [(k, "tensed") for k in rel["tensed"]]
    )
    assert all(-7 <= v <= 0 for v in rel["fixed"].values())
    assert all(1 <= v <= 2 for v in rel["tensed"].values())
    tense = data["tense"]
    word_lists = ["past", "past_aux", "progressive", "present", "aux", "future", "future_not"]
    _check_unique([(w, name) for name in word_lists for w in tense[name]])
    _check_unique([(w, name) for name, words in data["weekday_prefixes"].items() for w in words])
    _check_unique([(w, kind) for kind, words in data["stamps"].items() for w in words])
    _check_unique([(w, label) for label, words in data["times_of_day"].items() for w in words])
    assert set(data["times_of_day"]) == {"morning", "afternoon", "evening", "night"}
    assert set(data["times_of_day_context"]["required"]) <= set(data["times_of_day"]["evening"])


def test_calendar_duration_tables_shape() -> None:
    dur = _calendar()["durations"]
    _check_unique(list(dur["units"].items()))
    assert set(dur["units"].values()) <= {1, 60, 1440, 10080}
    _check_unique(list(dur["numbers"].items()))
    assert all(isinstance(v, int) and 0 < v < 100 for v in dur["numbers"].values())
    _check_unique(list(dur["fractions"].items()))
    assert all(0 < v < 3 for v in dur["fractions"].values())
    _check_unique(list(dur["modifiers"].items()))
    assert all(-1 < v < 1 for v in dur["modifiers"].values())
    q = dur["qualifiers"]
    lists = [name for name in q if name != "range_joiners"]
    _check_unique([(w, name) for name in lists for w in q[name]])


# ---------------------------------------------------------------------------------------------
# Robustness

_HINDI_WORDS = (
    "जून मई कल आज गुरुवार को घंटे मिनट से तक एवं यानी आधे साढ़े सवा करीब लगाए गए जाएंगे 2021 PM IST सुबह संध्या बीते हर जबलपुर"
)
_HINDI_BITS = [
    *"०१२३४५६७८९0123456789 /-.:,।()\n\u00a0\u200d\u093c",
    *_HINDI_WORDS.split(),
    "Created On :",
    "Updated on:",
]
_texts = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(_HINDI_BITS), max_size=30).map("".join))
_published = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(IST)),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2023, 1, 1)),
)


@settings(max_examples=300, deadline=None)
@given(text=_texts, published=_published)
def test_never_raises_and_offsets_hold(text: str, published: dt.datetime | None) -> None:
    for m in find_dates(text, published):
        assert text[m.start : m.end] == m.text
        assert (m.date is None) == (m.precision == "unresolved")
    for d in find_durations(text):
        assert text[d.start : d.end] == d.text and d.minutes >= 0
    for _label, s, e in times_of_day(text):
        assert 0 <= s < e <= len(text)
    stamp = parse_timestamp(text)
    assert stamp is None or stamp.tzinfo is not None
    found = find_timestamp(text)
    assert found is None or 0 <= found[1] < found[2] <= len(text)
    day, precision = event_date(text, published)
    assert (day is None) == (precision == "unresolved")
    tense_of(text)


_FOLD_BITS = [
    *"कखगजडढफयनमा\u093c\u0901\u0902\u094d\u0945आ\u200d\u200c\u00ad",
    "क़",
    "ज़",
    "ड़",
    "ढ़",
    "फ़",
    "न्द",
    "म्ब",
    "ं",
    "२",
    "५",
    "A",
    "b",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_FOLD_BITS), max_size=20).map("".join))
def test_keyed_text_matches_fold(text: str) -> None:
    """The offset-mapped key used for matching is `text.fold` up to whitespace runs."""
    from pipeline.dates import _keyed

    keyed = _keyed(text)
    assert " ".join(keyed.key.split()) == fold(text)
    assert len(keyed.starts) == len(keyed.key) == len(keyed.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(keyed.starts, keyed.ends, strict=True))
