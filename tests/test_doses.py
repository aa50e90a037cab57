"""dose_count and center_count extraction on sentences written for these tests (phrasing.md §1-§3)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from extractors import extract
from pipeline.article import Article
from pipeline.dates import parse_timestamp

PUB = parse_timestamp("2021-06-04T18:00:00+05:30")


def facts(body: str, kind: str = "dose_count") -> list[dict]:
    text = "टीकाकरण समाचार\n\nडिजिटल डेस्क जबलपुर । " + body
    result = extract(Article(text=text, title="टीकाकरण समाचार", published=PUB))
    found = [f for f in result.facts if f["type"] == kind]
    for f in found:
        ev = f["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    return found


def doses(body: str) -> set[tuple]:
    return {(f["value"], f["qualifier"], f["measure"], f["age_group"], f["dose"]) for f in facts(body)}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("गुरुवार को 22 हजार 397 लोगों को टीका लगाया गया।", {(22397, "exact", "administered", None, None)}),
        (
            "बुधवार को जिले में करीब 1,500 हितग्राहियों ने वैक्सीन लगवाई।",
            {(1500, "approx", "administered", None, None)},
        ),
        (
            "18 से 44 वर्ष के 19 हजार से ज्यादा युवाओं को टीके लगे।",
            {(19000, "at_least", "administered", "18-44", None)},
        ),
        (
            "45 वर्ष से अधिक आयु के 3 लाख 60 हजार 075 लोगों को अब तक टीका लग चुका है।",
            {(360075, "exact", "cumulative", "45+", None)},
        ),
        ("शुक्रवार को 30 हजार लोगों को टीका लगाया जाएगा।", {(30000, "exact", "target", None, None)}),
        (
            "विभाग ने 27 हजार 200 डोज का लक्ष्य रखा था, जिसके मुकाबले 21 हजार 50 टीके लगे।",
            {(27200, "exact", "target", None, None), (21050, "exact", "administered", None, None)},
        ),
        ("जिले को 12 हजार डोज प्राप्त हुए हैं।", {(12000, "exact", "available", None, None)}),
        (
            "इनमें 4,594 को पहली और 1,346 को दूसरी डोज दी गई।",
            {(4594, "exact", "administered", None, 1), (1346, "exact", "administered", None, 2)},
        ),
        ("दोपहर 2 बजे तक 6 हजार लोगों को टीका लग चुका था।", {(6000, "exact", "administered", None, None)}),
        ("जिले में २,५३४ लोगों को टीके लगाए गए।", {(2534, "exact", "administered", None, None)}),
        ("लगभग 90 से 95 लोगों को टीका लगाया गया।", {(90, "approx", "administered", None, None)}),
        ("60 प्लस के 412 बुजुर्गों को प्रिकॉशन डोज लगाई गई।", {(412, "exact", "administered", "60+", 3)}),
        (
            "बरगी में 200, पाटन में 300 और सिहोरा में 150 लोगों को टीका लगा।",
            {
                (200, "exact", "administered", None, None),
                (300, "exact", "administered", None, None),
                (150, "exact", "administered", None, None),
            },
        ),
        ("लक्ष्य से ज्यादा 1,250 लोगों ने टीका लगवाया।", {(1250, "exact", "administered", None, None)}),
    ],
)
def test_dose_counts(body, expected):
    assert doses(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "सुबह 10 बजे से शाम 5 बजे तक टीकाकरण हुआ।",  # times
        "18 से 44 वर्ष के लोगों का टीकाकरण शुरू हुआ।",  # ages only
        "जिले में 500 लोगों ने टीके के लिए रजिस्ट्रेशन कराया।",  # registrations
        "45 वर्ष से अधिक की 68 प्रतिशत आबादी को पहला डोज लग चुका है।",  # a percentage
        "वार्ड नंबर 14 में टीकाकरण शिविर लगा।",  # a ward number
        "टीकाकरण के तीसरे चरण की शुरुआत 1 मई से होगी।",  # a phase and a date
        "दुनिया भर में 100 से ज्यादा वैक्सीन पर काम चल रहा है।",  # vaccine candidates, not doses
        "जिले में 45 नए संक्रमित मिले, 3 लोगों की मौत हुई।",  # infections and deaths
        "टीकाकरण की जानकारी के लिए 0761-2624052 पर फोन करें।",  # a phone number
        "जिले में 23 हजार लोग प्रिकॉशन डोज के पात्र हैं।",  # eligible, not vaccinated
        "टीके के लिए आए 20 पहले ही स्वस्थ होकर घर लौट चुके थे।",  # पहले after a figure means "earlier"
    ],
)
def test_not_dose_counts(body):
    assert doses(body) == set()


def test_headline_repeat_is_one_fact_and_rounded_headline_two():
    text = "जिले में 5 हजार 210 लोगों को लगा टीका\n\nसागर । बुधवार को जिले में 5 हजार 210 लोगों को टीका लगाया गया।"
    result = extract(Article(text=text, title=text.splitlines()[0], published=PUB))
    assert [f["value"] for f in result.facts if f["type"] == "dose_count"] == [5210]
    text2 = "जिले में 5 हजार से ज्यादा लोगों को लगा टीका\n\nसागर । बुधवार को 5 हजार 210 लोगों को टीका लगाया गया।"
    result2 = extract(Article(text=text2, title=text2.splitlines()[0], published=PUB))
    assert sorted(f["value"] for f in result2.facts if f["type"] == "dose_count") == [5000, 5210]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("गुरुवार को 146 केंद्रों पर टीकाकरण हुआ।", [146]),
        ("जिले में 211 टीकाकरण केंद्र बनाए गए।", [211]),
        ("18 से 44 के लिए 96 तथा 45 से अधिक के लिए 143 सत्र आयोजित किए गए।", [96, 143]),
        ("प्रत्येक पंचायत में दो-दो केंद्र बनाए गए।", [2]),
        ("केंद्र सरकार ने 10 लाख डोज भेजीं।", []),
        ("जिले में 3 मोबाइल टीमें टीका लगा रही हैं।", []),
    ],
)
def test_center_counts(body, expected):
    assert [f["value"] for f in facts(body, "center_count")] == expected


def test_distributive_centre_count_takes_the_unit_as_place():
    (fact,) = facts("प्रत्येक पंचायत में दो-दो केंद्र बनाए गए।", "center_count")
    assert fact["place"] == "पंचायत"


@pytest.mark.parametrize("name", ["doses", "outages"])
def test_vocabulary_files_have_the_expected_shape(name):
    data = tomllib.loads(
        (Path(__file__).parents[1] / "extractors" / "data" / f"{name}.toml").read_text("utf-8")
    )

    def lists(node, path=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from lists(v, f"{path}.{k}")
        else:
            yield path, node

    for path, words in lists(data):
        assert isinstance(words, list) and words, path
        assert all(isinstance(w, str) and w.strip() == w and w for w in words), path
        assert len(words) == len(set(words)), f"duplicates in {path}"


def _ages(body: str) -> dict[int, tuple[str | None, int | None]]:
    return {f["value"]: (f["age_group"], f["dose"]) for f in facts(body)}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the noun names the age group, and nothing in the report contradicts it
        ("सोमवार को 4,118 किशोरों को कोवैक्सीन की पहली डोज लगाई गई।", {4118: ("15-18", 1)}),
        ("जिले में 60 प्लस के लोगों को बूस्टर डोज दी जा रही है। मंगलवार को 301 बुजुर्गों को डोज लगी।", {301: ("60+", 3)}),
        # a 45+ report's बुजुर्ग are not 60+ (the stated group overlaps): they take the report's frame
        (
            "45 वर्ष से अधिक आयु के लोगों का टीकाकरण जारी है। बुधवार को 512 बुजुर्गों ने टीका लगवाया।",
            {512: ("45+", None)},
        ),
        # युवा are 18-44 only where the report states that group
        ("रविवार को 2,904 युवाओं ने पहली डोज ली।", {2904: (None, 1)}),
        (
            "18 से 44 आयु वर्ग का टीकाकरण शुरू हुआ। पहले दिन 2,904 युवाओं ने पहली डोज ली।",
            {2904: ("18-44", 1)},
        ),
        # working groups never take the list's age group
        (
            "मंगलवार को 60 वर्ष से अधिक आयु के 412 बुजुर्गों, 380 स्वास्थ्य कर्मियों और 296 फ्रंटलाइन वर्करों "
            "को प्रिकॉशन डोज दी गई।",
            {412: ("60+", 3), 380: (None, 3), 296: (None, 3)},
        ),
    ],
)
def test_age_groups_implied_by_the_counted_noun(body, expected):
    assert _ages(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "18 वर्ष से अधिक आयु के 7.52 लाख लोगों में से अब तक 6 लाख 84 हजार 213 को पहली डोज लग चुकी है।",
        "अध्ययन के अनुसार दो डोज लेने के छह महीने बाद एंटीबॉडी घट जाती हैं।",
        "संक्रमितों में 61 ऐसे लोग हैं जिन्होंने दोनों डोज लगवा रखी थीं।",
    ],
)
def test_populations_schedules_and_patients_are_not_dose_counts(body):
    values = {f["value"] for f in facts(body)}
    assert not values & {752000, 2, 61}


def test_a_list_after_a_lead_in_takes_its_dose_and_age_group():
    body = (
        "जिले में बुधवार को 5,100 डोज लगीं।\n"
        "प्रखंडवार 12 से 14 वर्ष के बच्चों की पहली डोज का आंकड़ा इस प्रकार रहा :\n"
        "सदर : 642\nबरही : 407\n"
    )
    got = {f["value"]: (f["age_group"], f["dose"]) for f in facts(body)}
    assert got[642] == ("12-14", 1) and got[407] == ("12-14", 1)


def test_read_more_lines_are_not_part_of_the_report():
    body = "जिले में 3,412 बच्चों को टीका लगा।\nये भी पढ़ें: प्रदेश में 8 लाख बच्चों को लगेगा टीका\n"
    assert {f["value"] for f in facts(body)} == {3412}


def test_a_figure_restated_in_a_summary_is_one_fact():
    body = (
        "सार\nपहले दिन जिले ने 45 हजार के लक्ष्य के मुकाबले 52,310 लोगों को टीका लगाया।\nविस्तार\n"
        "महाअभियान में लोगों में उत्साह दिखा। 45 हजार के लक्ष्य के मुकाबले 52,310 लोगों को टीका लगाया गया।"
    )
    assert sorted(f["value"] for f in facts(body)) == [45000, 52310]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("पहली बार एक दिन में 30 हजार के पार टीके लगे।", (30000, "at_least", "administered")),
        ("जिले में टीकाकरण का आंकड़ा 12.40 लाख के पार पहुंच गया।", (1240000, "at_least", "cumulative")),
    ],
)
def test_a_figure_passed_counts_doses(body, expected):
    assert expected in {(f["value"], f["qualifier"], f["measure"]) for f in facts(body)}


def test_no_dose_count_for_a_figure_passed_in_other_news():
    assert facts("जिले में संक्रमितों की संख्या 500 के पार पहुंच गई।") == []


def test_state_totals_in_a_national_report_are_cumulative():
    body = (
        "राज्यों में उत्तर प्रदेश 12.32 करोड़ से अधिक डोज के साथ सबसे आगे है। "
        "इसके बाद महाराष्ट्र (9.39 करोड़) और गुजरात (6.80 करोड़) का स्थान है।"
    )
    got = {(f["value"], f["measure"]) for f in facts(body)}
    assert got == {(123200000, "cumulative"), (93900000, "cumulative"), (68000000, "cumulative")}


def test_crores_on_a_named_day_are_that_days_doses():
    got = {(f["value"], f["measure"]) for f in facts("देश में शुक्रवार को 2.5 करोड़ डोज लगाई गईं।")}
    assert got == {(25000000, "administered")}


def test_groups_in_one_list_share_the_closing_dose_but_not_the_age_group():
    body = (
        "जिले में मंगलवार को 6 हजार 240 किशोरों को कोवैक्सीन की पहली डोज लगाई गई। डॉ. जैन ने बताया कि मंगलवार "
        "को 60 वर्ष से अधिक आयु के 412 बुजुर्गों, 380 स्वास्थ्य कर्मियों और 296 फ्रंटलाइन वर्करों को प्रिकॉशन डोज दी गई।"
    )
    assert _ages(body) == {6240: ("15-18", 1), 412: ("60+", 3), 380: (None, 3), 296: (None, 3)}
