"""Verification of reported figures against official CoWIN figures (bundled slice) and against the report
itself: verdicts, the two real Jabalpur cases, bounds, areas, self-checks, the table, and the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.config import FIXTURES, Settings
from pipeline.verify import (
    ReportFact,
    ReportInfo,
    area_of,
    bundled_data,
    classify,
    compare_official,
    fmt_in,
    load_official,
    parts_checks,
    target_checks,
    trend_checks,
    verify_all,
    verify_extraction,
    verify_report,
    vocab,
)

SETTINGS = Settings()
CHECK_REPORT = FIXTURES / "checks" / "jabalpur-2021-04-15.txt"
SITE_REPORT = FIXTURES / "site_src" / "jabalpur-2021-06-04.txt"
VAXNEWS = [str(Path(sys.executable).with_name("vaxnews"))]

JABALPUR = ReportInfo(
    id="art-jbp",
    url="https://example.in/jbp",
    district="Jabalpur",
    state="Madhya Pradesh",
    event_date="2021-06-03",
)


def fact(value: int, **fields: Any) -> ReportFact:
    fields.setdefault("date", None)
    fid = fields.pop("id", f"f{value}-{fields.get('measure', 'administered')}-{fields.get('dose')}")
    return ReportFact(id=fid, type=fields.pop("type", "dose_count"), value=value, **fields)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VAXNEWS, *args], input=stdin, capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------------------- helpers for stored reports
def make_doc(
    sentences: list[str],
    facts: list[tuple[int, str, dict[str, Any]]],
    *,
    url: str,
    district: str | None,
    state: str | None,
    event_date: str | None,
    title: str = "शीर्षक",
    published: str | None = None,
) -> dict[str, Any]:
    """A facts.md document: sentences joined by spaces; facts as (sentence index, quote, fields)."""
    text = title + "\n"
    starts = []
    for s in sentences:
        starts.append(len(text))
        text += s + " "
    out = []
    for n, quote, fields in facts:
        start = starts[n] + sentences[n].index(quote)
        kind = fields.pop("type", "dose_count")
        base: dict[str, Any] = {
            "type": kind,
            "qualifier": "exact",
            "age_group": None,
            "dose": None,
            "place": None,
        }
        if kind == "dose_count":
            base |= {"measure": "administered", "group": None}
        base["date"] = event_date
        evidence = {"sentence": sentences[n], "start": start, "end": start + len(quote), "quote": quote}
        out.append(base | fields | {"evidence": evidence})
    article = {
        "url": url,
        "title": title,
        "published": published,
        "district": district,
        "state": state,
        "event_date": event_date,
        "text": text,
    }
    return {"article": article, "facts": out}


def store_doc(db: Any, doc: dict[str, Any], article_id: str) -> None:
    store.store_extraction(db, doc, {"id": article_id, "extracted_at": "2021-07-01T00:00:00+00:00"})


def jabalpur_april_doc() -> dict[str, Any]:
    sentences = [
        "जिले में बुधवार को 19,051 लोगों को टीका लगा।",
        "इनमें 15,803 को पहली और 3,248 को दूसरी डोज लगी।",
        "अब तक जिले में 3,60,075 टीके लग चुके हैं।",
    ]
    facts = [
        (0, "19,051", {"value": 19051}),
        (1, "15,803", {"value": 15803, "dose": 1}),
        (1, "3,248", {"value": 3248, "dose": 2}),
        (2, "3,60,075", {"value": 360075, "measure": "cumulative"}),
    ]
    return make_doc(
        sentences,
        facts,
        url="https://example.in/jabalpur-0415",
        district="Jabalpur",
        state="Madhya Pradesh",
        event_date="2021-04-14",
        published="2021-04-15T08:00:00+05:30",
    )


def jabalpur_april_later_doc(cumulative: int) -> dict[str, Any]:
    """A later Jabalpur report whose cumulative total may be lower than the earlier one's."""
    sentences = ["जिले में अब तक कुल टीके लग चुके हैं, संख्या है " + fmt_in(cumulative) + "।"]
    return make_doc(
        sentences,
        [(0, fmt_in(cumulative), {"value": cumulative, "measure": "cumulative"})],
        url="https://example.in/jabalpur-0420",
        district="Jabalpur",
        state="Madhya Pradesh",
        event_date="2021-04-19",
        published="2021-04-20T08:00:00+05:30",
    )


# ---------------------------------------------------------------------------- numbers and verdicts
@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (22509, "22,509"),
        (360075, "3,60,075"),
        (1945000, "19,45,000"),
        (224109448, "22,41,09,448"),
        (-112, "-112"),
        (-12204, "-12,204"),
        (None, "–"),
    ],
)
def test_indian_digit_grouping(n: int | None, text: str) -> None:
    assert fmt_in(n) == text


@pytest.mark.parametrize(
    ("reported", "official", "qualifier", "verdict"),
    [
        (22397, 22509, "exact", "match"),  # -0.50 %
        (22509, 22509, "exact", "match"),
        (22734, 22509, "exact", "match"),  # +1.00 %
        (22800, 22509, "exact", "close"),  # +1.29 %
        (21400, 22509, "exact", "close"),  # -4.93 %
        (21300, 22509, "exact", "discrepancy"),  # -5.37 %
        (19051, 13209, "exact", "discrepancy"),
        (22000, 22509, "approx", "match"),  # rounded to 1,000: 509 - 500 left over
        (23000, 22509, "approx", "match"),
        (24000, 22509, "approx", "close"),
        (30000, 22509, "approx", "discrepancy"),
        (19000, 22509, "at_least", "match"),  # a lower bound below the official figure holds
        (22600, 22509, "at_least", "match"),  # 91 short: 0.4 %
        (23500, 22509, "at_least", "close"),
        (30000, 22509, "at_least", "discrepancy"),
        (25000, 22509, "at_most", "match"),
        (22000, 22509, "at_most", "close"),
        (10000, 22509, "at_most", "discrepancy"),
        (0, 0, "exact", "match"),
        (5000, 0, "exact", "discrepancy"),
    ],
)
def test_classify(reported: int, official: int, qualifier: str, verdict: str) -> None:
    v = classify(reported, official, qualifier, SETTINGS)
    assert v.verdict == verdict
    assert v.difference == reported - official
    if official:
        assert v.relative == pytest.approx((reported - official) / official)


def test_thresholds_come_from_settings() -> None:
    strict = replace(SETTINGS, match_threshold=0.001, close_threshold=0.004)
    assert classify(22397, 22509, "exact", strict).verdict == "discrepancy"
    loose = replace(SETTINGS, match_threshold=0.0, close_threshold=0.01)
    assert classify(22397, 22509, "exact", loose).verdict == "close"


# ---------------------------------------------------------------------------- the two real cases
def test_jabalpur_3_june_matches_cowin() -> None:
    row = compare_official(bundled_data(), JABALPUR, fact(22397), SETTINGS)
    assert (row["official"], row["difference"], row["verdict"]) == (22509, -112, "match")
    assert abs(row["relative_difference"]) < 0.005
    assert "21,721 first + 788 second" in row["explanation"]
    source = json.loads(row["official_source"])
    assert source["file"] == "mp_district_daily_2021-04_2021-07.csv" and source["date"] == "2021-06-03"


def test_jabalpur_14_april_report_extracts_to_the_right_day() -> None:
    from pipeline.api import extract_article

    result = extract_article(CHECK_REPORT.read_bytes())
    assert (result.district, str(result.event_date)) == ("Jabalpur", "2021-04-14")
    doses = {(f["value"], f["measure"]) for f in result.facts if f["type"] == "dose_count"}
    assert {(19051, "administered"), (360075, "cumulative")} <= doses


def test_jabalpur_14_april_is_a_discrepancy_explained_by_late_uploads() -> None:
    from pipeline.api import extract_article

    rows = verify_extraction(extract_article(CHECK_REPORT.read_bytes()), bundled_data(), SETTINGS)
    daily = next(r for r in rows if r["comparison"] == "administered" and r["reported"] == 19051)
    assert (daily["official"], daily["verdict"], daily["date"]) == (13209, "discrepancy", "2021-04-14")
    text = daily["explanation"]
    for neighbour in ("2021-04-13: 10,310", "2021-04-15: 8,580", "2021-04-16: 4,274"):
        assert neighbour in text
    assert "3,60,075 on 2021-04-16" in text and "2 days later" in text and "late" in text
    late = json.loads(daily["official_source"])["late_uploads"]["reported"]
    assert late == {"target": 360075, "date": "2021-04-16", "cumulative": 360725, "days_later": 2}
    cumulative = next(r for r in rows if r["comparison"] == "cumulative")
    assert (cumulative["official"], cumulative["verdict"]) == (347871, "close")
    assert "3,60,075 on 2021-04-16" in cumulative["explanation"]


# ---------------------------------------------------------------------------- official comparisons
@pytest.mark.parametrize(
    ("figure", "comparison", "official", "verdict"),
    [
        (fact(21721, dose=1), "administered:dose1", 21721, "match"),
        (fact(788, dose=2), "administered:dose2", 788, "match"),
        (fact(668359, measure="cumulative"), "cumulative", 668359, "match"),
        (fact(556371, measure="cumulative", dose=1), "cumulative:dose1", 556371, "match"),
        (fact(111988, measure="cumulative", dose=2), "cumulative:dose2", 111988, "match"),
        (fact(20000, qualifier="at_least"), "administered", 22509, "match"),
        (fact(22000, qualifier="approx"), "administered", 22509, "match"),
        (fact(22397, place="जबलपुर जिले"), "administered", 22509, "match"),
        (fact(52423, place="इंदौर"), "administered", 52423, "match"),  # another district named in the report
        (fact(50000, place="इंदौर जिले", qualifier="at_least"), "administered", 52423, "match"),
        (fact(374280, place="पूरे प्रदेश"), "administered@state", 374280, "match"),
        (fact(374280, place="प्रदेश"), "administered@state", 374280, "match"),
        (fact(374280, place="मध्यप्रदेश"), "administered@state", 374280, "match"),
        (fact(3065755, place="देश"), "administered@country", 3065755, "match"),
        (
            fact(331517, place="प्रदेश", age_group="18-44", dose=1),
            "administered:dose1:age=18-44@state",
            331517,
            "match",
        ),
        (
            fact(209, type="center_count", measure="centres", date="2021-04-14"),
            "centres_vs_sites",
            209,
            "match",
        ),
        (
            fact(180, type="center_count", measure="centres", date="2021-04-14"),
            "centres_vs_sites",
            209,
            "discrepancy",
        ),
        (
            fact(3064, type="center_count", measure="centres", place="प्रदेश"),
            "centres_vs_sites@state",
            3064,
            "match",
        ),
        (fact(13209, date="2021-04-14"), "administered", 13209, "match"),  # the fact's own date wins
    ],
)
def test_official_comparisons(figure: ReportFact, comparison: str, official: int, verdict: str) -> None:
    row = compare_official(bundled_data(), JABALPUR, figure, SETTINGS)
    assert (row["comparison"], row["official"], row["verdict"]) == (comparison, official, verdict)
    assert row["difference"] == figure.value - official


@pytest.mark.parametrize(
    ("figure", "report", "verdict", "reason"),
    [
        (fact(27200, measure="target"), JABALPUR, "not_comparable", "target"),
        (fact(8600, measure="available"), JABALPUR, "not_comparable", "stock"),
        (fact(200, place="साउथ एवेन्यू मॉल"), JABALPUR, "not_comparable", "narrower than a district"),
        (fact(900, place="बरगी"), JABALPUR, "not_comparable", "narrower than a district"),
        (fact(900, place="महू"), JABALPUR, "not_comparable", "narrower than a district"),
        (fact(900, place="भोपाल शहर"), JABALPUR, "not_comparable", "narrower than a district"),
        (fact(19000, age_group="18-44", qualifier="at_least"), JABALPUR, "not_comparable", "age groups"),
        (fact(903, group="रेल कर्मी"), JABALPUR, "not_comparable", "population group"),
        (
            fact(5000, dose=2, age_group="18-44", place="प्रदेश"),
            JABALPUR,
            "not_comparable",
            "second doses by age",
        ),
        (
            fact(30, type="center_count", measure="centres", age_group="18-44"),
            JABALPUR,
            "not_comparable",
            "breakdown",
        ),
        (fact(5000), replace(JABALPUR, district=None, state=None), "not_comparable", "unknown"),
        (fact(5000), replace(JABALPUR, event_date=None), "not_comparable", "date"),
        (
            fact(20172),
            replace(JABALPUR, district="Varanasi", state="Uttar Pradesh"),
            "no_official_data",
            "Varanasi",
        ),
        (fact(5000), replace(JABALPUR, event_date="2021-09-01"), "no_official_data", "2021-07-31"),
        (fact(146, type="center_count", measure="centres"), JABALPUR, "no_official_data", "2021-04-26"),
        (
            fact(3000),
            replace(JABALPUR, district="Ratlam", event_date="2021-06-11"),
            "no_official_data",
            "correction",
        ),
    ],
)
def test_figures_without_an_official_counterpart(
    figure: ReportFact, report: ReportInfo, verdict: str, reason: str
) -> None:
    row = compare_official(bundled_data(), report, figure, SETTINGS)
    assert row["verdict"] == verdict
    assert reason in row["explanation"]
    assert row["official"] is None and row["difference"] is None


@pytest.mark.parametrize(
    ("district", "state", "expected"),
    [
        ("Jabalpur", "Madhya Pradesh", ("district", "Jabalpur", "Madhya Pradesh")),
        ("जबलपुर", None, ("district", "Jabalpur", "Madhya Pradesh")),
        ("जबलपुर", "मध्यप्रदेश", ("district", "Jabalpur", "Madhya Pradesh")),
        ("Bilaspur", "Chhattisgarh", ("district", "Bilaspur", "Chhattisgarh")),
        ("Bilaspur", "Himachal Pradesh", ("district", "Bilaspur", "Himachal Pradesh")),
        ("कांकेर", "Chhattisgarh", ("district", "Uttar Bastar Kanker", "Chhattisgarh")),
        (None, "Madhya Pradesh", ("state", "Madhya Pradesh", "Madhya Pradesh")),
        (None, "मप्र", ("state", "Madhya Pradesh", "Madhya Pradesh")),
    ],
)
def test_areas_are_resolved_through_the_gazetteer(
    district: str | None, state: str | None, expected: tuple[str, str, str]
) -> None:
    area = area_of(fact(1), ReportInfo(id="x", district=district, state=state))
    assert not isinstance(area, str)
    assert (area.level, area.name, area.state) == expected


def test_a_hindi_district_name_meets_the_official_rows() -> None:
    report = replace(JABALPUR, district="जबलपुर", state="मध्य प्रदेश")
    row = compare_official(bundled_data(), report, fact(22397), SETTINGS)
    assert (row["district"], row["official"], row["verdict"]) == ("Jabalpur", 22509, "match")


def test_a_statewide_report_is_compared_with_the_state() -> None:
    report = ReportInfo(id="mp", district=None, state="Madhya Pradesh", event_date="2021-06-03")
    row = compare_official(bundled_data(), report, fact(374000, qualifier="approx"), SETTINGS)
    assert (row["comparison"], row["official"], row["verdict"]) == ("administered@state", 374280, "match")


def test_a_figure_dated_a_day_off_is_pointed_out() -> None:
    # 18,798 is CoWIN's figure for 2 June; reported for 3 June it is a discrepancy with a hint.
    row = compare_official(bundled_data(), JABALPUR, fact(18798), SETTINGS)
    assert row["verdict"] == "discrepancy"
    assert "matches CoWIN's 2021-06-02" in row["explanation"]


def test_catching_up_too_late_is_not_called_late_uploads() -> None:
    report = replace(JABALPUR, district="Bastar", state="Chhattisgarh", event_date="2021-06-17")
    row = compare_official(bundled_data(), report, fact(1473), SETTINGS)
    assert row["verdict"] == "discrepancy"
    assert "4 days later" in row["explanation"] and "too late" in row["explanation"]


# ---------------------------------------------------------------------------- self-checks
REPORT = ReportInfo(id="r1", url="u1", district="Jabalpur", state="Madhya Pradesh", event_date="2021-04-14")


@pytest.mark.parametrize(
    ("figures", "comparison", "reported", "reference", "verdict"),
    [
        (
            [fact(19051), fact(15803, dose=1), fact(3248, dose=2)],
            "self:parts_vs_total",
            19051,
            19051,
            "match",
        ),
        (
            [fact(19051), fact(17803, dose=1), fact(3248, dose=2)],
            "self:parts_vs_total",
            21051,
            19051,
            "discrepancy",
        ),
        (
            [fact(19051), fact(15803, dose=1), fact(3400, dose=2)],
            "self:parts_vs_total",
            19203,
            19051,
            "match",
        ),
        ([fact(10000), fact(10300, dose=1), fact(100, dose=2)], "self:parts_vs_total", 10400, 10000, "close"),
        (
            [fact(22397), fact(19000, age_group="18-44"), fact(4000, age_group="45+")],
            "self:parts_vs_total",
            23000,
            22397,
            "close",
        ),
        (
            [
                fact(22397),
                fact(9000, age_group="18-44"),
                fact(9000, age_group="45-60"),
                fact(9000, age_group="60+"),
            ],
            "self:parts_vs_total",
            27000,
            22397,
            "discrepancy",
        ),
        ([fact(900), fact(1140, place="रेलवे अस्पताल")], "self:part_vs_total", 1140, 900, "discrepancy"),
        ([fact(9412), fact(96, place="रेलवे अस्पताल")], "self:part_vs_total", 96, 9412, "match"),
        (
            [fact(360075, measure="cumulative"), fact(400000, measure="cumulative", dose=1)],
            "self:parts_vs_total",
            400000,
            360075,
            "discrepancy",
        ),
    ],
)
def test_parts_against_the_total(
    figures: list[ReportFact], comparison: str, reported: int, reference: int, verdict: str
) -> None:
    rows = [r for r in parts_checks(REPORT, figures, SETTINGS) if r["comparison"] == comparison]
    assert len(rows) == 1
    assert (rows[0]["reported"], rows[0]["official"], rows[0]["verdict"]) == (reported, reference, verdict)
    assert json.loads(rows[0]["official_source"])["kind"] == "self"


def test_overlapping_age_groups_are_not_summed() -> None:
    figures = [fact(22397), fact(15000, age_group="45+"), fact(9000, age_group="60+")]
    assert not [
        r for r in parts_checks(REPORT, figures, SETTINGS) if r["comparison"] == "self:parts_vs_total"
    ]


def test_a_restated_part_counts_once() -> None:
    figures = [
        fact(19051),
        fact(15803, dose=1, id="a"),
        fact(15803, dose=1, id="b", start=50),
        fact(3248, dose=2),
    ]
    (row,) = parts_checks(REPORT, figures, SETTINGS)
    assert (row["reported"], row["verdict"]) == (19051, "match")


@pytest.mark.parametrize(
    ("administered", "target", "verdict"),
    [
        (19051, 20000, "match"),
        (22397, 27200, "match"),
        (29000, 20000, "match"),
        (31000, 20000, "discrepancy"),
        (95000, 9500, "discrepancy"),
    ],
)
def test_administered_against_target(administered: int, target: int, verdict: str) -> None:
    assert vocab()["target"]["margin"] == 0.5
    rows = target_checks(REPORT, [fact(administered), fact(target, measure="target")], SETTINGS)
    assert [(r["reported"], r["official"], r["verdict"]) for r in rows] == [(administered, target, verdict)]
    assert rows[0]["comparison"] == "self:administered_vs_target"


def test_a_target_for_another_scope_is_not_used() -> None:
    rows = target_checks(REPORT, [fact(30000), fact(5000, measure="target", age_group="18-44")], SETTINGS)
    assert rows == []


@pytest.mark.parametrize(
    ("first", "second", "verdict"),
    [(360075, 390000, "match"), (360075, 350000, "discrepancy"), (360075, 360075, "match")],
)
def test_cumulative_totals_must_not_go_down(first: int, second: int, verdict: str) -> None:
    early = replace(REPORT, id="early", url="https://a", published="2021-04-15T08:00:00+05:30")
    late = replace(
        REPORT, id="late", url="https://b", event_date="2021-04-19", published="2021-04-20T08:00:00+05:30"
    )
    items = [
        (late, fact(second, measure="cumulative", id="f-late")),
        (early, fact(first, measure="cumulative", id="f-early")),
    ]
    (row,) = trend_checks(items, SETTINGS)
    assert (row["comparison"], row["reported"], row["official"], row["verdict"]) == (
        "self:cumulative_trend",
        second,
        first,
        verdict,
    )
    assert row["fact_id"] == "f-late" and row["article_id"] == "late" and "https://a" in row["explanation"]


def test_a_total_is_compared_with_the_highest_earlier_total() -> None:
    reports = [replace(REPORT, id=f"r{n}", event_date=f"2021-04-{day}") for n, day in enumerate((10, 12, 14))]
    values = (330000, 365000, 360075)  # the middle report overstated, or the last one went down
    items = [
        (r, fact(v, measure="cumulative", id=f"f{n}"))
        for n, (r, v) in enumerate(zip(reports, values, strict=True))
    ]
    rows = {r["fact_id"]: r for r in trend_checks(items, SETTINGS)}
    assert set(rows) == {"f1", "f2"}
    assert (rows["f1"]["verdict"], rows["f2"]["official"], rows["f2"]["verdict"]) == (
        "match",
        365000,
        "discrepancy",
    )
    assert "fell from 3,65,000 (2021-04-12) to 3,60,075 (2021-04-14)" in rows["f2"]["explanation"]


def test_two_reports_of_the_same_day_are_not_a_trend() -> None:
    a, b = replace(REPORT, id="a"), replace(REPORT, id="b")
    items = [(a, fact(360075, measure="cumulative", id="x")), (b, fact(350000, measure="cumulative", id="y"))]
    assert trend_checks(items, SETTINGS) == []


def test_verify_report_gives_every_figure_one_official_row() -> None:
    figures = [fact(19051), fact(15803, dose=1), fact(3248, dose=2), fact(20000, measure="target")]
    rows = verify_report(bundled_data(), REPORT, figures, SETTINGS)
    official = [r for r in rows if not r["comparison"].startswith("self:")]
    assert sorted(r["fact_id"] for r in official) == sorted(f.id for f in figures)
    assert len({r["id"] for r in rows}) == len(rows)


# ---------------------------------------------------------------------------- the verifications table
@pytest.fixture()
def verified_db(tmp_path: Path) -> Any:
    db = store.connect(tmp_path / "v.db")
    load_official(db, SETTINGS.official_csv)
    store_doc(db, jabalpur_april_doc(), "a-0415")
    store_doc(db, jabalpur_april_later_doc(350000), "a-0420")
    verify_all(db, SETTINGS)
    return db


def test_verify_all_fills_the_table_with_both_sources(verified_db: Any) -> None:
    rows = {(r["comparison"], r["reported"]): r for r in verified_db.table("verifications").rows}
    daily = rows[("administered", 19051)]
    assert (daily["official"], daily["verdict"], daily["district"]) == (13209, "discrepancy", "Jabalpur")
    assert daily["article_url"] == "https://example.in/jabalpur-0415"
    assert daily["evidence"] == "जिले में बुधवार को 19,051 लोगों को टीका लगा।"
    assert json.loads(daily["official_source"])["file"] == "mp_district_daily_2021-04_2021-07.csv"
    assert rows[("administered:dose1", 15803)]["official"] == 11736
    assert rows[("self:parts_vs_total", 19051)]["verdict"] == "match"
    trend = rows[("self:cumulative_trend", 350000)]
    assert (trend["official"], trend["verdict"], trend["date"]) == (360075, "discrepancy", "2021-04-19")


def test_verify_all_is_idempotent(verified_db: Any) -> None:
    before = sorted(map(repr, verified_db.execute("select * from verifications").fetchall()))
    verify_all(verified_db, SETTINGS)
    assert sorted(map(repr, verified_db.execute("select * from verifications").fetchall())) == before


def test_verify_all_without_official_figures_says_so(tmp_path: Path) -> None:
    db = store.connect(tmp_path / "empty.db")
    store_doc(db, jabalpur_april_doc(), "a-0415")
    verify_all(db, SETTINGS)
    verdicts = {
        r["verdict"] for r in db.table("verifications").rows if not r["comparison"].startswith("self:")
    }
    assert verdicts == {"no_official_data"}


# ---------------------------------------------------------------------------- the command line
def test_check_prints_each_figure_with_official_value_and_verdict() -> None:
    proc = run_cli("check", str(CHECK_REPORT))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Jabalpur (Madhya Pradesh), event date 2021-04-14" in out
    assert "administered: reported 19,051 official 13,209 diff 5,842 (+44.23%) -> discrepancy" in out
    assert "centres_vs_sites: reported 209 official 209" in out
    assert "not comparable:" in out and "target 20000" in out


def test_check_json_from_stdin_with_a_publication_time() -> None:
    text = SITE_REPORT.read_text(encoding="utf-8")
    proc = run_cli("check", "-", "--json", "--published", "2021-06-04T15:57:00+05:30", stdin=text)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["article"]["event_date"] == "2021-06-03" and "text" not in doc["article"]
    row = next(
        r for r in doc["verifications"] if r["reported"] == 22397 and r["comparison"] == "administered"
    )
    assert (row["official"], row["verdict"]) == (22509, "match")


def test_check_with_a_database_uses_its_figures_and_earlier_reports(verified_db: Any, tmp_path: Path) -> None:
    path = verified_db.execute("pragma database_list").fetchone()[2]
    later = (
        "जबलपुर में टीकाकरण की रफ्तार धीमी\nजबलपुर, 20 अप्रैल 2021। जिले में सोमवार को 4,210 लोगों को टीका लगाया "
        "गया। स्वास्थ्य विभाग के मुताबिक 16 जनवरी से अब तक जिले में कुल 3,55,000 टीके लगाए जा चुके हैं।\n"
    )
    proc = run_cli("check", "-", "--json", "--db", path, stdin=later)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["verifications"]
    trend = [r for r in rows if r["comparison"] == "self:cumulative_trend"]
    assert trend and trend[0]["official"] == 360075 and trend[0]["verdict"] == "discrepancy"


def test_check_refuses_a_database_without_official_figures(tmp_path: Path) -> None:
    store.connect(tmp_path / "bare.db")
    proc = run_cli("check", str(CHECK_REPORT), "--db", str(tmp_path / "bare.db"))
    assert proc.returncode == 2 and "official load" in proc.stderr


def test_verify_command_filters_and_formats(verified_db: Any) -> None:
    path = verified_db.execute("pragma database_list").fetchone()[2]
    as_json = json.loads(run_cli("verify", "--db", path, "--district", "जबलपुर", "--json").stdout)
    assert as_json and {r["district"] for r in as_json} == {"Jabalpur"}
    only_19 = json.loads(
        run_cli("verify", "--db", path, "--from", "2021-04-19", "--to", "2021-04-30", "--json").stdout
    )
    assert {r["date"] for r in only_19} == {"2021-04-19"}
    as_csv = list(csv.DictReader(io.StringIO(run_cli("verify", "--db", path, "--csv").stdout)))
    assert any(r["comparison"] == "administered" and r["verdict"] == "discrepancy" for r in as_csv)
    text = run_cli("verify", "--db", path, "--district", "Bastar").stdout
    assert text.strip() == "0 verifications"
    bad = run_cli("verify", "--db", path, "--district", "Atlantis")
    assert bad.returncode == 2 and "unknown district" in bad.stderr
    assert run_cli("verify", "--db", path, "--from", "14-04-2021").returncode == 2
