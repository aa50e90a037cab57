"""outage extraction (facts.md §4) on reports written for these tests."""

from __future__ import annotations

import pytest

from extractors import extract
from pipeline.article import Article
from pipeline.dates import parse_timestamp

PUB = parse_timestamp("2021-06-04T18:00:00+05:30")


def outages(text: str) -> list[dict]:
    result = extract(Article(text=text, title=text.splitlines()[0], published=PUB))
    found = [f for f in result.facts if f["type"] == "outage"]
    for f in found:
        ev = f["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    return found


def brief(f: dict) -> tuple:
    return (f["system"], f["duration_minutes"], f["qualifier"], f["time_of_day"], f["resolved_after_minutes"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "सर्वर डाउन, टीकाकरण में देरी\n\nसागर । गुरुवार सुबह सर्वर डाउन होने से टीकाकरण केंद्रों पर काम रुका। "
            "करीब 1 घंटे तक पोर्टल पर एंट्री नहीं हो सकी। तकनीकी टीम ने लगभग आधे घंटे में खराबी दूर की।",
            [("server", 60, "approx", "morning", 30)],
        ),
        (
            "कोविन पोर्टल ढाई घंटे ठप\n\nरीवा । दोपहर में कोविन पोर्टल ठप हो गया और टीकाकरण की एंट्री रुक गई। "
            "करीब ढाई घंटे तक हितग्राही इंतजार करते रहे।",
            [("cowin", 150, "approx", "afternoon", None)],
        ),
        (
            "टीकाकरण में दो बार बाधा\n\nबिलासपुर । सुबह सर्वर बैठ गया और 40 मिनट तक टीकाकरण की एंट्री नहीं हुई। "
            "शाम को फिर नेटवर्क नहीं मिलने से ग्रामीण केंद्रों पर एंट्री रुक गई।",
            [("server", 40, "exact", "morning", None), ("internet", None, None, "evening", None)],
        ),
        (
            "ओटीपी नहीं आया\n\nवाराणसी । शुक्रवार सुबह कोविन पर ओटीपी नहीं आ रहा था। करीब 20 मिनट तक यही हाल रहा।",
            [("cowin", 20, "approx", "morning", None)],
        ),
    ],
)
def test_outages(text, expected):
    assert [brief(f) for f in outages(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "स्लॉट फुल\n\nइंदौर । टीकाकरण के सभी स्लॉट कुछ ही सेकंड में फुल हो गए, युवाओं को स्लॉट नहीं मिला।",
        "टीके की कमी\n\nभोपाल । वैक्सीन की कमी से कई केंद्रों पर टीकाकरण बंद रहा और लंबी कतारें लगीं।",
        "फर्जी मैसेज\n\nसतना । टीका लगवाए बिना कई लोगों के मोबाइल पर डोज पूरी होने का मैसेज आ गया।",
        "रेलवे का सर्वर डाउन\n\nजबलपुर । रेलवे आरक्षण का सर्वर एक घंटे डाउन रहा।",  # no vaccination in the report
    ],
)
def test_not_outages(text):
    assert outages(text) == []
