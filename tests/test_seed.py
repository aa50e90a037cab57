"""The worked example of facts.md: the seed report's facts, every fact and field, with exact evidence."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipeline.api import extract_article
from pipeline.evaluate import names_match


@pytest.fixture(scope="module")
def doc(seed_path):
    return extract_article(seed_path.read_bytes()).to_dict()


def _of(doc, kind):
    return [f for f in doc["facts"] if f["type"] == kind]


def test_article_block(doc):
    art = doc["article"]
    assert art["district"] == "Jabalpur" and art["state"] == "Madhya Pradesh"
    assert art["event_date"] == "2021-06-03"
    assert datetime.fromisoformat(art["published"]) == datetime.fromisoformat("2021-06-04T15:57:00+05:30")
    assert art["url"] is None and art["title"].startswith("एक घंटे तक डाउन रहा सर्वर")


def test_counts(doc):
    assert [(f["value"], f["qualifier"]) for f in _of(doc, "center_count")] == [(146, "exact")]
    doses = {
        (f["value"], f["qualifier"], f["measure"], f["age_group"], f["dose"]): f
        for f in _of(doc, "dose_count")
    }
    assert set(doses) == {
        (27200, "exact", "target", None, None),
        (22397, "exact", "administered", None, None),
        (19000, "at_least", "administered", "18-44", None),
        (200, "approx", "administered", None, None),
        (903, "exact", "administered", None, None),
    }
    assert doses[(200, "approx", "administered", None, None)]["place"] == "साउथ एवेन्यू मॉल"
    railway = doses[(903, "exact", "administered", None, None)]
    assert railway["place"] == "डब्ल्यूएसईसी स्कूल" and "रेल" in railway["group"]
    assert railway["date"] is None  # counted over two days
    assert all(f["place"] is None for k, f in doses.items() if k[0] in (27200, 22397, 19000))


def test_outage(doc):
    (outage,) = _of(doc, "outage")
    assert (outage["system"], outage["duration_minutes"], outage["qualifier"]) == ("server", 60, "approx")
    assert (outage["time_of_day"], outage["resolved_after_minutes"]) == ("morning", 30)


def test_centres(doc):
    expected = {
        "ओरिएंटल ग्रुप ऑफ इंस्टीट्यूट्स": None,
        "डीएन जैन विद्यालय परिसर": "डीएन जैन बोर्डिंग हाउस सोसायटी",
        "साउथ एवेन्यू मॉल": None,
        "डब्ल्यूएसईसी स्कूल": "पश्चिम मध्य रेल जबलपुर मंडल",
    }
    centres = {f["name"]: f["organizer"] for f in _of(doc, "center")}
    assert centres == expected


def test_officials(doc):
    expected = {
        "संजय यादव": (None, "बरगी विधायक", "mla"),
        "तरुण कुमार आनंद": ("इंजी.", "डायरेक्टर", "institution_head"),
        "मुक्ता भटेले": ("डॉ.", "प्राचार्य", "institution_head"),
        "रत्नेश कुररिया": ("डॉ.", "सीएमएचओ", "cmho"),
        "एसएस दाहिया": ("डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer"),
        "हबीब एहसान": (None, "महाप्रबंधक", "other"),
        "नितिन रघुवंशी": (None, None, None),
        "एसके अलबेला": (None, "रेल अधिकारी", "railway_officer"),
        "रश्मि दिवाकर": ("श्रीमती", "रेल अधिकारी", "railway_officer"),
        "अरविंद पांडे": (None, "रेल अधिकारी", "railway_officer"),
    }
    got = {
        f["name"]: (
            f["honorific"],
            " ".join(f["designation"].split()) if f["designation"] else None,
            f["role"],
        )
        for f in _of(doc, "official")
    }
    assert got == expected
    assert not any(names_match(name, "पीसी अग्रवाल") for name in got), "a vaccine recipient is not an official"


def test_every_quote_is_exact_and_inside_its_sentence(doc):
    text = doc["article"]["text"]
    assert len(doc["facts"]) == 1 + 5 + 1 + 4 + 10
    for f in doc["facts"]:
        ev = f["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
        assert ev["quote"] in ev["sentence"] and ev["sentence"] in text
