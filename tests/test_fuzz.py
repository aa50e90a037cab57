"""Hostile input for the parsers and the extractors (hypothesis property tests).

Inputs mix Devanagari and Latin letters, ASCII and Devanagari digits, nukta, zero-width joiners, dandas,
control characters, lone surrogates, number phrases ("27 हजार 200", "1,23,45,678", "ढाई", digit runs of
thousands of digits), date phrases with impossible days and years, and for the HTML parser raw bytes:
binary, truncated tags, wrong and unknown charsets, BOMs that lie, enormous attributes, deep nesting,
broken JSON-LD. The properties: nothing raises except the documented `ParseError`; every span indexes
its input exactly; numbers are finite, non-negative and fit SQLite's INTEGER; dates lie in a sane range;
every extracted fact's evidence satisfies `article.text[start:end] == quote`.

VAXNEWS_FUZZ_EXAMPLES sets the examples per property, a quarter of it for the costly ones (whole pages,
every extractor). See tests/conftest.py: a small derandomized run in `make test`, a random one of more than
100,000 inputs in `make fuzz`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from extractors import extract
from pipeline.api import load_article
from pipeline.article import Article
from pipeline.dates import (
    IST,
    date_from_url,
    event_date,
    find_dates,
    find_durations,
    find_timestamp,
    parse_duration,
    parse_timestamp,
    times_of_day,
)
from pipeline.numbers import find_numbers, format_indian, parse_number
from pipeline.parse import ParseError, article_from_html, article_from_text, decode_body
from pipeline.text import fold, normalize, split_sentences
from tests.conftest import FUZZ_INPUTS, fuzz_profile

FUZZ = hypothesis_settings.get_profile(fuzz_profile())
# Properties that parse whole pages or run every extractor cost ~10x more per input: a quarter of the examples.
COSTLY = hypothesis_settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 4))
INT64_MAX = 2**63 - 1  # what SQLite's INTEGER holds: a stored fact value must fit
FETCHED = dt.datetime(2021, 6, 5, 12, 0, tzinfo=IST)
F = TypeVar("F", bound=Callable[..., Any])


def counted(fn: F) -> F:
    """Count the inputs a property is run on (printed at the end of the session)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        FUZZ_INPUTS[fn.__name__] += 1
        return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------------ characters
NUKTA, ZWJ, ZWNJ, NBSP = "\u093c", "\u200d", "\u200c", "\u00a0"
DEV_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
ODD_CHARS = [
    NUKTA,
    ZWJ,
    ZWNJ,
    NBSP,
    "\ufeff",  # BOM inside text
    "\u00ad",  # soft hyphen
    "\u2060",  # word joiner
    "।",
    "॥",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "\x0b",
    "\x0c",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\u202e",  # right-to-left override
    "\u0130",  # İ: lower() gives two characters
    "ß",
    "ﬁ",
    "\U0001f489",
    "\ufffd",
    "\uffff",
    "\U0010ffff",
    "\u0301",  # a combining mark on anything
    "\u094d",  # virama
    "\u0902",
    "\u0901",
    "\u0945",
    "०",
    "९",
    "٣",  # Arabic-Indic digit
    "১",  # Bengali digit
]
CHARS = st.one_of(
    st.characters(min_codepoint=0x0900, max_codepoint=0x097F),  # Devanagari letters, signs, digits, dandas
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(categories=["Cc"]),  # control characters
    st.characters(categories=["Cs"]),  # lone surrogates
    st.characters(categories=["Zs", "Zl", "Zp", "Cf", "Mn", "Nd"]),
    st.sampled_from(ODD_CHARS),
)
ODD_PIECES = [
    "।।",
    "\r\n",
    "ा\u0945",
    "हज" + NUKTA + "ार",
    "डॉ" + ZWJ + ".",
    "क" + NUKTA + NUKTA,
    "\ud800\udc00",
]
NOISE = st.lists(st.one_of(CHARS, st.sampled_from(ODD_PIECES)), max_size=8).map("".join)

# ------------------------------------------------------------------------------------------------ words
WORDS = [
    "टीका",
    "टीके",
    "टीकाकरण",
    "वैक्सीन",
    "वैक्सीनेशन",
    "कोविशील्ड",
    "डोज",
    "डोज़",
    "खुराक",
    "पहली",
    "दूसरी",
    "केंद्र",
    "केन्द्र",
    "केंद्रों",
    "सेंटर",
    "शिविर",
    "कैंप",
    "लोगों",
    "हितग्राहियों",
    "युवाओं",
    "को",
    "में",
    "पर",
    "से",
    "के",
    "की",
    "ने",
    "और",
    "व",
    "एवं",
    "तथा",
    "लगाया",
    "लगाए",
    "गया",
    "गए",
    "जाएगा",
    "लगेगा",
    "हुआ",
    "रहा",
    "चुके",
    "हैं",
    "था",
    "कुल",
    "अब तक",
    "लक्ष्य",
    "करीब",
    "लगभग",
    "से ज्यादा",
    "से अधिक",
    "से कम",
    "तक",
    "पार",
    "वर्ष",
    "साल",
    "उम्र",
    "18 से 44",
    "45+",
    "18+",
    "सर्वर",
    "कोविन",
    "पोर्टल",
    "ऐप",
    "इंटरनेट",
    "ठप",
    "डाउन",
    "बंद",
    "घंटे",
    "घंटा",
    "मिनट",
    "दिन",
    "सुबह",
    "दोपहर",
    "शाम",
    "रात",
    "संध्या",
    "बजे",
    "जबलपुर",
    "जबलपुर जिले",
    "बस्तर",
    "रायपुर",
    "बरगी",
    "जिला",
    "जिले",
    "कलेक्टर",
    "सीएमएचओ",
    "जिला टीकाकरण अधिकारी",
    "विधायक",
    "डॉ.",
    "डाॅ.",
    "श्री",
    "श्रीमती",
    "नगर निगम",
    "विद्यालय परिसर",
    "सामुदायिक भवन",
    "CoWIN",
    "Co-WIN",
    "vaccine",
    "Dr.",
    "server down",
    "COVID-19",
    "कोविड-19",
    "N95",
    "वार्ड 12",
    "चरण 3",
    "फोन 9425012345",
    "+91 94250 12345",
    "₹500",
    "50%",
    "प्रतिशत",
    "फीसदी",
]
NUMBER_WORDS = [
    "हजार",
    "हज़ार",
    "हज" + NUKTA + "ार",
    "लाख",
    "करोड़",
    "करोड़",
    "करोड",
    "सौ",
    "सवा",
    "ढाई",
    "अढ़ाई",
    "डेढ़",
    "डेढ",
    "साढ़े",
    "पौने",
    "आधा",
    "आधे",
    "एक",
    "दो",
    "तीन",
    "पांच",
    "पाँच",
    "छः",
    "दस",
    "बीस",
    "पचास",
    "निन्यानवे",
    "शून्य",
    "thousand",
    "lakh",
    "crore",
    "hundred",
    "वें",
    "वीं",
    "th",
    "पहले",
]
DIGIT_RUNS = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(0, 10**12).map(format_indian),  # 1,23,45,678
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),  # 123,456,789
    st.integers(0, 10**9).map(lambda n: str(n).translate(DEV_DIGITS)),
    st.integers(0, 10**9).map(lambda n: format_indian(n).translate(DEV_DIGITS)),
    st.integers(1, 6000).map(lambda k: "9" * k),  # enormous numbers
    st.integers(1, 400).map(lambda k: "1" * k + "." + "5" * k),
    st.text("0123456789,.:-/", min_size=1, max_size=24),  # odd grouping, decimals, clocks, dates
    st.sampled_from(
        ["1e308", "0.000", "00000", "3.5.6", ",,,", "1,2,3", "12,15", "१,२३,४५,६७८", "5:40", "24:60"]
    ),
)
SEPARATORS = st.sampled_from(
    [" ", " ", "", NBSP, ZWJ, ZWNJ, "-", "–", ",", ".", "।", "\n", "/", ":", " से ", " व "]
)


def joined(parts: st.SearchStrategy[str], max_size: int = 16) -> st.SearchStrategy[str]:
    """Fragments glued by separators (or by nothing)."""
    return st.lists(st.tuples(parts, SEPARATORS), max_size=max_size).map(
        lambda pairs: "".join(p + s for p, s in pairs)
    )


NUMBERISH = joined(
    st.one_of(DIGIT_RUNS, st.sampled_from(NUMBER_WORDS), st.sampled_from(WORDS), NOISE), max_size=12
)

MONTHS = ["जून", "जुलाई", "मई", "अप्रैल", "अप्रेल", "जनवरी", "फरवरी", "फ़रवरी", "June", "Jun", "jun.", "May", "Sept"]
WEEKDAYS = ["सोमवार", "मंगलवार", "गुरुवार", "शुक्रवार", "रविवार", "Thursday", "Fri"]
RELATIVE = ["आज", "कल", "परसों", "बीते दिन", "गत दिवस", "बीती रात", "आज यानी", "गत", "आगामी", "हर"]
LABELS = ["Created On :", "Updated on:", "Published:", "प्रकाशित:", "अपडेट:", "दिनांक", "दि."]
DAYS = st.one_of(st.integers(0, 40).map(str), st.integers(1, 31).map(lambda n: str(n).translate(DEV_DIGITS)))
YEARS = st.one_of(
    st.sampled_from(["2021", "2022", "2020", "21", "99", "0000", "0001", "1899", "1999", "2099", "9999"]),
    st.integers(0, 9999).map(lambda y: f"{y:04d}"),
    st.just("२०२१"),
)
CLOCKS = st.sampled_from(
    ["3:57 PM", "15:57", "00:00", "23:59:59", "12:00 am", "9.30", "25:61", "3:57 PM IST"]
)
ZONES = st.sampled_from(["IST", "GMT", "UTC", "Z", "+05:30", "-23:59", "+99:99", "(IST)", ""])
DATEISH = joined(
    st.one_of(
        DAYS,
        YEARS,
        CLOCKS,
        ZONES,
        st.sampled_from(MONTHS + WEEKDAYS + RELATIVE + LABELS),
        st.sampled_from(["st", "nd", "th", "को", "तक", "से", "शुरू", "हुआ", "होगा", "(", ")", "T", "2021-06-03"]),
        NOISE,
    ),
    max_size=14,
)
HOSTILE_TEXT = joined(
    st.one_of(st.sampled_from(WORDS), NUMBERISH, DATEISH, NOISE, st.text(CHARS, max_size=40)), max_size=20
)
PUBLISHED = st.one_of(
    st.none(),
    st.datetimes(
        min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2023, 12, 31), timezones=st.just(IST)
    ),
    st.datetimes(timezones=st.sampled_from([IST, dt.UTC])),  # year 1 … 9999, near the ends too
    st.datetimes(),  # naive
)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A Hindi-looking sentence that mentions vaccination: fragments, numbers, dates, noise."""
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(WORDS), NUMBERISH, DATEISH, NOISE, st.sampled_from(NUMBER_WORDS)),
            min_size=1,
            max_size=14,
        )
    )
    parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(["टीका", "वैक्सीन", "टीकाकरण"])))
    end = draw(st.sampled_from(["।", "।।", "॥", ".", "?", "!", "", " |", "…"]))
    return draw(st.sampled_from([" ", NBSP, " " + ZWJ])).join(parts) + end


ARTICLE_TEXT = st.builds(
    lambda title, body, sep: title + sep + " ".join(body),
    st.one_of(st.sampled_from(["जबलपुर में टीकाकरण", "सर्वर डाउन", ""]), NOISE),
    st.lists(sentences(), min_size=1, max_size=8),
    st.sampled_from(["\n", "\n\n", "\r\n", " ", "\u2029"]),
)


def check_spans(text: str, spans: list[tuple[int, int, str]]) -> None:
    for start, end, quote in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
        assert text[start:end] == quote


# ------------------------------------------------------------------------------------------------ numbers
def check_number(value: int | float | None) -> None:
    """A returned number is finite, non-negative and storable in SQLite."""
    if value is None:
        return
    assert isinstance(value, int | float) and not isinstance(value, bool)
    assert (isinstance(value, int) or math.isfinite(value)) and 0 <= value <= INT64_MAX, value


@FUZZ
@given(st.one_of(NUMBERISH, HOSTILE_TEXT))
@example("9" * 1_000_001 + " करोड़ लोगों")  # overflowed Decimal before numbers._MAX_DIGITS
@example("9223372036854775808 लोगों")  # one past SQLite's INTEGER
@example("1" * 500 + ".5 लाख")  # was a float inf
@example("99 लाख करोड़ " + "9" * 15 + " सौ हजार लाख करोड़")
@counted
def test_numbers_are_finite_and_index_their_input(text: str) -> None:
    last_end = 0
    for m in find_numbers(text):
        assert last_end <= m.span_start <= m.start < m.end <= m.span_end <= len(text)
        assert text[m.start : m.end] == m.text
        check_number(m.value)
        check_number(m.upper)
        assert m.is_range == (m.upper is not None)
        assert m.upper is None or m.upper > m.value
        last_end = m.span_end
    check_number(parse_number(text))


# ------------------------------------------------------------------------------------------------ dates
def sane_year(day: dt.date, published: dt.datetime | None) -> bool:
    """Years a parser may produce: a written one (the patterns take 19xx/20xx or two digits), or one
    next to the publication year (a day and month without a year)."""
    pub = published.date() if published else None
    return 1900 <= day.year <= 2099 or (pub is not None and abs(day.year - pub.year) <= 1)


@FUZZ
@given(st.one_of(DATEISH, HOSTILE_TEXT), PUBLISHED)
@counted
def test_dates_are_valid_and_index_their_input(text: str, published: dt.datetime | None) -> None:
    mentions = find_dates(text, published)
    check_spans(text, [(m.start, m.end, m.text) for m in mentions])
    pub = published.date() if published else None
    for m in mentions:
        assert (m.date is None) == (m.precision == "unresolved")
        if m.date is None:
            continue
        assert isinstance(m.date, dt.date) and sane_year(m.date, published), (m, published)
        if m.kind in ("weekday", "relative"):  # resolved against the publication day: within a week of it
            assert pub is not None and abs((m.date - pub).days) <= 7, (m, published)
    day, precision = event_date(text, published, title=text.split("\n", 1)[0])
    assert (day is None) == (precision == "unresolved")
    if day is not None:
        assert sane_year(day, published) or (pub is not None and abs((day - pub).days) <= 7), (day, published)


@FUZZ
@given(st.one_of(DATEISH, HOSTILE_TEXT))
@counted
def test_timestamps_come_from_the_input(text: str) -> None:
    stamp = parse_timestamp(text)
    if stamp is not None:
        assert stamp.tzinfo is not None and stamp.utcoffset() is not None
        digits = fold(text)  # Devanagari digits read as ASCII ones
        assert f"{stamp.year:04d}" in digits or f"{stamp.year % 100:02d}" in digits, (stamp, text)
    found = find_timestamp(text)
    if found is not None:
        when, start, end = found
        assert 0 <= start < end <= len(text) and when.tzinfo is not None


@FUZZ
@given(st.one_of(NUMBERISH, DATEISH, HOSTILE_TEXT))
@example("9" * 400 + " घंटे")  # float inf minutes: round() raised OverflowError
@example("9" * 300 + ".5 दिन तक सर्वर बंद")
@counted
def test_durations_and_times_of_day_index_their_input(text: str) -> None:
    durations = find_durations(text)
    check_spans(text, [(d.start, d.end, d.text) for d in durations])
    for d in durations:
        assert isinstance(d.minutes, int) and 0 <= d.minutes <= INT64_MAX, d
    check_number(parse_duration(text))
    for _label, start, end in times_of_day(text):
        assert 0 <= start < end <= len(text)


URLS = st.one_of(
    st.builds(
        lambda y, m, d, slug: f"https://ex.example/{y}/{m}/{d}/{slug}",
        YEARS,
        st.integers(0, 99).map(str),
        st.integers(0, 99).map(str),
        NOISE,
    ),
    st.builds(lambda s: f"https://ex.example/news/{s}", st.text(CHARS, max_size=60)),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "http://[::1",
            "http://h:99999/2021/06/04/x",
            "/2021-06-04/",
            "https://ex.example/wp-content/uploads/2021/06/04/a.jpg",
            "https://ex.example/" + "2021/06/" * 2000,
            "",
        ]
    ),
)


@FUZZ
@given(URLS)
@counted
def test_dates_from_urls_are_valid(url: str) -> None:
    day, precision = date_from_url(url)
    assert (day is None) == (precision == "unresolved")
    if day is not None:
        assert 1900 <= day.year <= 2099 and (precision == "day" or day.day == 1)


# ------------------------------------------------------------------------------------------------ text
@FUZZ
@given(st.one_of(HOSTILE_TEXT, st.text(CHARS, max_size=200)))
@example("!\u0344" + "0.")  # NFC makes 3 characters of 2: the sentences overlapped (pipeline/text.py)
@counted
def test_normalisation_and_sentences_index_their_input(text: str) -> None:
    nt = normalize(text)
    assert len(nt.index) == len(nt.norm) + 1 and nt.index[-1] == len(text)
    assert all(a <= b for a, b in zip(nt.index, nt.index[1:], strict=False))
    for start in range(0, len(nt.norm) + 1, max(1, len(nt.norm) // 7)):
        a, b = nt.to_original(start, len(nt.norm))
        assert 0 <= a <= b <= len(text)
    last = 0
    for s in split_sentences(text):
        assert last <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text
        last = s.end
    assert isinstance(fold(text), str)


# ------------------------------------------------------------------------------------------------ HTML
BOMS = [b"", b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
CODECS = [
    "utf-8",
    "utf-8",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "shift_jis",
    "koi8-r",
]
CHARSETS = ["utf-8", "UTF8", "windows-1252", "iso-8859-1", "shift_jis", "utf-16", "utf-7", "x-user-defined"]
CHARSETS += ["bogus", "", "'\"><", "utf-8\x00", "us-ascii", "gb2312", "hz", "idna", "rot13", "base64"]
CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(CHARSETS).map(lambda c: f"text/html; charset={c}"),
    st.sampled_from(["text/html", "application/octet-stream", 'text/plain; charset="utf-16"', "charset="]),
)
ATTRS = st.one_of(
    st.sampled_from(
        ['class="story-content"', 'id="main"', "hidden", 'style="display:none"', 'aria-hidden="true"']
    ),
    st.integers(1, 200_000).map(lambda n: 'data-x="' + "क" * n + '"'),  # enormous attributes
    st.text(CHARS, max_size=30).map(lambda s: f'title="{s}"'),
)
TAGS = st.sampled_from(
    ["p", "div", "span", "article", "section", "td", "li", "h1", "b", "br", "x-custom", "svg"]
)


@st.composite
def elements(draw: st.DrawFn, body: str) -> str:
    """One piece of a hostile page around the story text `body`."""
    tag = draw(TAGS)
    kind = draw(st.integers(0, 14))
    if kind == 0:
        depth = draw(st.integers(1, 3000))
        return f"<{tag}>" * depth + body + f"</{tag}>" * draw(st.integers(0, depth))  # deep, maybe unclosed
    if kind == 1:
        return f"<{tag} {draw(ATTRS)}>{body}</{tag}>"
    if kind == 2:
        return draw(
            st.sampled_from(["<p", "<div class=", "<!--", "<![CDATA[", "<script>", "</", "<", "&#", "<?"])
        )
    if kind == 3:  # JSON-LD as sites (mis)write it
        value = draw(
            st.one_of(
                st.just(json.dumps({"@type": "NewsArticle", "headline": body[:80], "articleBody": body})),
                st.just('{"@type": "NewsArticle", "articleBody": 5, "datePublished": {"@value": [1]}}'),
                st.just('{"@graph": ' + "[" * 500 + "]" * 500 + "}"),
                st.just(
                    '{"@type": ["NewsArticle"], "headline": 1e999, "keywords": [[["x"]]], "url": "http://[::1"}'
                ),
                st.just(
                    '{"@type": "NewsArticle", "mainEntityOfPage": {"@id": "http://[x"}, "articleBody": "<p>a'
                ),
                st.text(CHARS, max_size=80),
            )
        )
        return f'<script type="application/ld+json">{value}</script>'
    if kind == 4:
        name = draw(
            st.sampled_from(["og:title", "article:published_time", "keywords", "og:url", "description"])
        )
        return f'<meta property="{name}" content="{draw(st.one_of(DATEISH, NOISE, URLS))}">'
    if kind == 5:
        return f'<link rel="canonical" href="{draw(URLS)}">'
    if kind == 6:
        return draw(
            st.sampled_from(["&#0;", "&#xD800;", "&#x110000;", "&#99999999999;", "&nbsp;", "&amp", "&bogus;"])
        )
    if kind == 7:
        return f'<time datetime="{draw(DATEISH)}" pubdate>{draw(DATEISH)}</time>'
    if kind == 8:
        return f"<p>Created On : {draw(DATEISH)}</p>"
    if kind == 9:
        return draw(st.sampled_from(["<script>", "<style>", "<noscript>", "<template>", "<textarea>"])) + body
    if kind == 10:
        return f'<a href="{draw(URLS)}">{draw(NOISE)}</a>'
    return f"<{tag}>{body}</{tag}>"


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    body = draw(ARTICLE_TEXT)
    head = draw(st.lists(elements(body), max_size=3))
    parts = draw(st.lists(elements(body), min_size=1, max_size=6))
    charset = draw(st.sampled_from(CHARSETS))
    prefix = draw(
        st.sampled_from(["", "<!doctype html>", f"<?xml version='1.0' encoding='{charset}'?>", "<html>"])
    )
    page = (
        f'{prefix}<html><head><meta charset="{charset}"><title>{draw(NOISE)}</title>{"".join(head)}</head>'
        f"<body>{''.join(parts)}</body></html>"
    )
    codec = draw(st.sampled_from(CODECS))
    raw = draw(st.sampled_from(BOMS)) + page.encode(
        codec, errors=draw(st.sampled_from(["replace", "ignore"]))
    )
    cut = draw(st.one_of(st.none(), st.integers(0, len(raw))))
    return raw if cut is None else raw[:cut]  # truncated mid-tag, mid-character


# A plain page with a story, for the explicit examples above the properties.
PAGE = (
    "<html><head><meta charset='utf-8'><title>टीकाकरण</title></head><body><article><p>"
    + "जबलपुर जिले में गुरुवार को 22 हजार 397 लोगों को कोरोना का टीका लगाया गया। " * 3
    + "</p></article></body></html>"
).encode("utf-8")


def check_article(art: Article) -> None:
    assert isinstance(art.text, str) and art.text.strip()
    if art.title is not None:  # the headline opens an HTML article's text; a text's first line is it
        assert art.text.startswith(art.title) if art.parser != "text" else art.title in art.text
    assert 0.0 <= art.devanagari_share <= 1.0
    if art.published is not None:  # never after the fetch, never from before the web
        assert art.published.tzinfo is not None
        assert dt.datetime(1995, 1, 1, tzinfo=dt.UTC) <= art.published <= FETCHED + dt.timedelta(minutes=5)


@COSTLY
@given(
    st.one_of(html_pages(), st.binary(max_size=4000), st.binary(max_size=200).map(lambda b: b"<html>" + b)),
    CONTENT_TYPES,
    st.one_of(st.none(), URLS),
)
@example(b"", None, None)
@example(b"\x00" * 64, None, None)
@example(b"\xef\xbb\xbf", "text/html; charset=utf-8", None)
@example(b"\xff\xfe<\x00h\x00", None, None)  # UTF-16 BOM, truncated
@example(b"<html>" + b"<div>" * 100_000 + b"</html>", None, None)
@example(PAGE.replace(b"<head>", b"<head><link rel='canonical' href='http://[x'>"), None, "http://[::1")
@example(PAGE.replace(b"<article>", b"<article><span hidden>x</span>\x02\x1c"), None, None)  # lxml: not XML
@example(PAGE, None, "https://ex.example/2099/01/01/x")  # a URL date after the fetch
@counted
def test_html_parser_returns_an_article_or_a_parse_error(
    raw: bytes, content_type: str | None, url: str | None
) -> None:
    text = decode_body(raw, content_type)
    assert isinstance(text, str)
    try:
        art = load_article(raw, url=url, content_type=content_type, fetched=FETCHED)
    except ParseError as exc:
        assert str(exc)  # a reason, not an empty message
        return
    check_article(art)


@COSTLY
@given(st.one_of(html_pages().map(lambda b: b.decode("utf-8", "replace")), st.text(CHARS, max_size=300)))
@counted
def test_html_parser_on_str_input(page: str) -> None:
    try:
        art = article_from_html(page, url="https://ex.example/news/x", fetched=FETCHED)
    except ParseError as exc:
        assert str(exc)
        return
    check_article(art)


@COSTLY
@given(st.one_of(ARTICLE_TEXT, HOSTILE_TEXT, st.text(CHARS, max_size=100)))
@counted
def test_text_input_is_kept_verbatim_or_refused(text: str) -> None:
    try:
        art = article_from_text(text)
    except ParseError as exc:
        surrogate = any("\ud800" <= c <= "\udfff" for c in text)
        reasons = (not text.strip(), "\x00" in text[:2000], surrogate)
        assert any(reasons), exc  # empty, binary, or not valid Unicode
        return
    assert art.text == text and (art.title is None or art.title in text)


# ------------------------------------------------------------------------------------------------ extractors
def check_facts(art: Article) -> None:
    result = extract(art)
    text = result.article.text
    assert text == art.text
    for fact in result.facts:
        ev = fact["evidence"]
        assert 0 <= ev["start"] < ev["end"] <= len(text), fact
        assert text[ev["start"] : ev["end"]] == ev["quote"], fact
        assert ev["quote"] in ev["sentence"], fact
        assert fact["type"] in ("dose_count", "center_count", "center", "outage", "official")
        for key in ("value", "duration_minutes", "resolved_after_minutes"):
            value = fact.get(key)
            if value is not None:
                assert isinstance(value, int) and 0 <= value <= INT64_MAX, fact
    json.dumps(result.to_dict(), ensure_ascii=False)  # the facts.md document serialises
    if result.event_date is not None:
        assert 1900 <= result.event_date.year <= 2099 or art.published is not None


@COSTLY
@given(st.one_of(ARTICLE_TEXT, HOSTILE_TEXT), PUBLISHED)
@example(
    "जबलपुर में टीकाकरण\n\nजिले में गुरुवार को " + "9" * 40 + " लोगों को टीका लगाया गया। 12 केंद्रों पर टीके लगे।", None
)  # a 40-digit count could not be stored (SQLite INTEGER)
@example("टीका केंद्र \ud800 ", None)  # a lone surrogate reached spaCy
@counted
def test_extract_evidence_indexes_the_article_text(text: str, published: dt.datetime | None) -> None:
    try:
        art = load_article(text, published=published)
    except ParseError:
        return
    check_facts(art)


@COSTLY
@given(html_pages())
@example(
    PAGE.replace(
        b"<body>",
        b'<body><script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "'
        + b"\\u091f\\u0940\\u0915\\u093e \\ud800 \\u0932\\u0917\\u093e\\u0964 " * 20
        + b'"}</script>',
    )
)
@counted
def test_extract_from_hostile_html(raw: bytes) -> None:
    try:
        art = load_article(raw, url="https://ex.example/2021/06/04/teeka", fetched=FETCHED)
    except ParseError:
        return
    check_facts(art)
