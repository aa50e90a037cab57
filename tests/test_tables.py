"""Flattened tables and labelled rows (press-note style) — reports written for these tests."""

from __future__ import annotations

from extractors import extract
from pipeline.article import Article
from pipeline.dates import parse_timestamp

PUB = parse_timestamp("2021-06-25T10:00:00+05:30")


def dose_facts(text: str) -> list[tuple]:
    result = extract(Article(text=text, title=text.splitlines()[0], published=PUB))
    out = []
    for f in result.facts:
        if f["type"] == "dose_count":
            assert text[f["evidence"]["start"] : f["evidence"]["end"]] == f["evidence"]["quote"]
            out.append((f["value"], f["measure"], f["dose"], f["place"]))
    return out


def test_columnar_table_gives_target_and_achievement_per_block():
    text = (
        "विकासखंडवार टीकाकरण\n"
        "रीवा। जिले में गुरुवार को 2,900 लोगों को टीका लगाया गया। विकासखंडवार आंकड़े इस प्रकार हैं —\n"
        "क्र. विकासखंड लक्ष्य उपलब्धि प्रतिशत\n"
        "1 सिरमौर 1500 1200 80.0\n"
        "2 मऊगंज 2000 1700 85.0\n"
        "योग 3500 2900 82.8\n"
    )
    facts = dose_facts(text)
    assert (1500, "target", None, "सिरमौर") in facts and (1200, "administered", None, "सिरमौर") in facts
    assert (2000, "target", None, "मऊगंज") in facts and (1700, "administered", None, "मऊगंज") in facts
    assert not any(f[0] == 3500 for f in facts), "the totals row repeats the text"
    assert [f for f in facts if f[0] == 2900] == [(2900, "administered", None, None)]


def test_labelled_rows_keep_their_own_dose():
    text = (
        "केंद्रवार टीकाकरण\n"
        "भिवानी। जिले में 8 केंद्रों पर 1,100 लोगों को टीका लगाया गया। केंद्रवार स्थिति इस प्रकार रही :\n"
        "सामान्य अस्पताल (केवल दूसरी डोज) - 400, अग्रवाल धर्मशाला - 380, सीएचसी तोशाम - 320।\n"
    )
    facts = dose_facts(text)
    assert (400, "administered", 2, None) in facts
    assert (380, "administered", None, None) in facts and (320, "administered", None, None) in facts


def test_bullet_rows_continue_past_the_lead_in():
    blocks = ["सण्डीला", "शाहाबाद", "बिलग्राम", "मल्लावां", "पिहानी", "हरियावां", "सांडी"]
    rows = "\n".join(f"• {name}: {101 + i}" for i, name in enumerate(blocks))
    text = "ब्लॉकवार आंकड़े\nहरदोई। जिले में 728 लोगों को टीका लगा। ब्लॉकवार स्थिति:\n" + rows + "\n"
    values = {f[0] for f in dose_facts(text)}
    assert {101, 102, 103, 104, 105, 106, 107} <= values


def test_table_flattened_onto_one_line_inherits_the_reports_age_frame():
    text = (
        "महाअभियान\n"
        "सतना 22 जून 2021/ जिले में 18 वर्ष एवं उससे अधिक आयु के नागरिकों के लिए महाअभियान में 2,900 लोगों को टीका लगाया गया।\n"
        "विकासखंडवार लक्ष्य एवं उपलब्धि इस प्रकार है-\n"
        "क्र. विकासखंड लक्ष्य उपलब्धि 1 अमरपाटन 1500 1200 2 मैहर 2000 1700 योग 3500 2900\n"
    )
    result = extract(Article(text=text, title="महाअभियान", published=PUB))
    rows = {
        (f["value"], f["measure"], f["age_group"], f["place"])
        for f in result.facts
        if f["type"] == "dose_count"
    }
    assert {
        (1500, "target", "18+", "अमरपाटन"),
        (1200, "administered", "18+", "अमरपाटन"),
        (2000, "target", "18+", "मैहर"),
        (1700, "administered", "18+", "मैहर"),
    } <= rows
    assert not any(r[0] == 3500 for r in rows)
