"""Cross-check reported figures against official CoWIN figures, and reports against themselves.

Every dose count and centre count of a report becomes one row of `verifications`:

- an **official comparison** (`comparison` = `administered`, `cumulative`, `centres_vs_sites`, with
  `:dose1`/`:dose2`, `:age=A-B` and `@state`/`@country` when they apply): the official value for the same
  area and date, the difference (reported − official), the relative difference and a verdict — `match`
  (|rel| ≤ `Settings.match_threshold`), `close` (≤ `close_threshold`), `discrepancy`, `no_official_data`
  or `not_comparable` (targets, stock, a place narrower than a district, an age group or population group
  that district data does not break down, an unknown district or date);
- **self-checks** of the report (`self:parts_vs_total`, `self:part_vs_total`, `self:administered_vs_target`)
  and across reports of the same area (`self:cumulative_trend`): for these `official` holds the reference
  figure the report(s) themselves give, and `official_source` says which.

Areas are the gazetteer's districts and states (`pipeline.places`), never raw strings. A daily figure is
compared with delta_vaccinated1 + delta_vaccinated2 of the event date; a cumulative one with
total_vaccinated1 + total_vaccinated2. CoWIN snapshots miss late uploads that district press notes include,
so every daily or cumulative comparison shows the neighbouring days, and a report that is higher than CoWIN
is checked for the day on which CoWIN's cumulative catches up with it.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from pipeline.config import Settings
from pipeline.numbers import age_interval
from pipeline.official import (
    BUNDLED_DIR,
    COUNTRY,
    OfficialData,
    Point,
    Series,
    resolve_district,
    resolve_state,
)
from pipeline.official import (
    load_official as _load_official,
)
from pipeline.text import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "verification.toml"
VERDICTS = ("match", "close", "discrepancy", "no_official_data", "not_comparable")
COMPARABLE = ("match", "close", "discrepancy")


def load_official(db: sqlite_utils.Database, path: Path, *, source: str | None = None) -> int:
    """Load official figures (a covid19india CSV, a directory of them, or the bundled slice); rows loaded."""
    return _load_official(db, path, source=source)


@functools.cache
def vocab() -> dict[str, Any]:
    """pipeline/data/verification.toml (place words, target margin, age-group columns, look-ahead)."""
    with open(DATA_FILE, "rb") as fh:
        return tomllib.load(fh)


def _word_set(key: str) -> frozenset[str]:
    return frozenset(fold(w) for w in vocab()["place"][key])


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ReportInfo:
    """What verification needs of an article."""

    id: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    district: str | None = None
    state: str | None = None
    event_date: str | None = None


@dataclass(frozen=True)
class ReportFact:
    """A dose count or a centre count (`measure` = "centres"), from the database or from an extraction."""

    id: str
    type: str
    value: int
    qualifier: str = "exact"
    measure: str = "administered"
    age_group: str | None = None
    dose: int | None = None
    group: str | None = None
    place: str | None = None
    date: str | None = None
    sentence: str = ""
    quote: str = ""
    start: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any], fact_type: str) -> ReportFact:
        """A `dose_counts` / `center_counts` row."""
        return cls(
            id=row["id"],
            type=fact_type,
            value=int(row["value"]),
            qualifier=row.get("qualifier") or "exact",
            measure="centres" if fact_type == "center_count" else row.get("measure") or "",
            age_group=row.get("age_group"),
            dose=row.get("dose"),
            group=row.get("group"),
            place=row.get("place"),
            date=row.get("date"),
            sentence=row.get("sentence") or "",
            quote=row.get("quote") or "",
            start=int(row.get("start") or 0),
        )

    @classmethod
    def from_fact(cls, fact: dict[str, Any], article_id: str) -> ReportFact | None:
        """A facts.md fact of an extraction (None for the fact types that carry no figure)."""
        from pipeline import store

        if fact["type"] not in ("dose_count", "center_count"):
            return None
        _, columns = store.FACT_TABLES[fact["type"]]
        ev = fact["evidence"]
        extra = json.dumps({c: fact.get(c) for c in columns}, sort_keys=True, ensure_ascii=False)
        row = {
            **{c: fact.get(c) for c in columns},
            "id": store.fact_id(article_id, fact["type"], ev["start"], ev["end"], extra),
            **ev,
        }
        return cls.from_row(row, fact["type"])

    @property
    def day(self) -> str | None:
        return self.date

    @property
    def whole(self) -> bool:
        """No dose, age group, population group or place: a figure for the report's whole area."""
        return not (self.dose or self.age_group or self.group or self.place)


# ---------------------------------------------------------------------------- numbers
def fmt_in(n: int | float | None) -> str:
    """Indian digit grouping, as the reports write it: 360075 -> "3,60,075"."""
    if n is None:
        return "–"
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}"
    value = int(n)
    sign, digits = ("-" if value < 0 else ""), str(abs(value))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail])


def _pct(rel: float | None) -> str:
    return "–" if rel is None else f"{rel * 100:+.2f} %"


def _rounding_unit(value: int) -> int:
    """10^k for the k trailing zeros of an approximate figure ("करीब 22 हजार" = 22000 -> 1000)."""
    unit = 1
    while value and value % (unit * 10) == 0 and unit * 10 <= value:
        unit *= 10
    return unit


@dataclass(frozen=True)
class Verdict:
    verdict: str
    official: int | None
    difference: int | None
    relative: float | None
    explanation: str


def _grade(deviation: float, settings: Settings) -> str:
    if deviation <= settings.match_threshold:
        return "match"
    if deviation <= settings.close_threshold:
        return "close"
    return "discrepancy"


def classify(reported: int, official: int, qualifier: str, settings: Settings) -> Verdict:
    """Verdict of a reported figure against an official one, honouring the qualifier.

    exact: |reported − official| / official against the thresholds. approx: the same, after allowing half
    the figure's rounding unit. at_least / at_most: a bound; only the amount by which the official figure
    falls outside the bound counts.
    """
    diff = reported - official
    rel = diff / official if official else None
    note = ""
    if qualifier == "at_least":
        outside = max(0, reported - official)
        note = f"reported as a lower bound ({fmt_in(reported)}+): the official figure " + (
            "is within the bound" if outside == 0 else f"falls short of it by {fmt_in(outside)}"
        )
    elif qualifier == "at_most":
        outside = max(0, official - reported)
        note = f"reported as an upper bound (up to {fmt_in(reported)}): the official figure " + (
            "is within the bound" if outside == 0 else f"exceeds it by {fmt_in(outside)}"
        )
    elif qualifier == "approx":
        unit = _rounding_unit(reported)
        outside = max(0, abs(diff) - unit // 2)
        if unit > 1:
            note = f"reported as approximate (rounded to {fmt_in(unit)}), so ±{fmt_in(unit // 2)} is allowed"
        else:
            note = "reported as approximate"
    else:
        outside = abs(diff)
    if official <= 0:
        kind = "match" if outside == 0 else "discrepancy"
        return Verdict(
            kind, official, diff, None, "; ".join(x for x in (note, "the official figure is 0") if x)
        )
    return Verdict(_grade(outside / official, settings), official, diff, rel, note)


# ---------------------------------------------------------------------------- areas
@dataclass(frozen=True)
class Area:
    level: Literal["district", "state"]
    name: str  # district, state, or "India"
    state: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.state})" if self.level == "district" else self.name

    @property
    def suffix(self) -> str:
        if self.level == "district":
            return ""
        return "@country" if self.name == COUNTRY else "@state"


def _state_area(name: str | None) -> Area | None:
    hit = resolve_state(name) if name else None
    return Area("state", hit[0], hit[0]) if hit else None


def _place_area(place: str, report: ReportInfo) -> Area | str:
    """The area a fact's `place` names: a district, a state or the country; else why it is not comparable."""
    words = [fold(w) for w in place.replace("-", " ").split()]
    filler, state_words, country_words = _word_set("filler"), _word_set("state"), _word_set("country")
    core = [w for w in words if w not in filler]
    if core and all(w in country_words for w in core):
        return Area("state", COUNTRY, COUNTRY)
    if (core and all(w in state_words for w in core)) or (not core and words):
        area = _state_area(report.state)
        return area or f"the figure is for the whole state ({place}), but the report's state is unknown"
    name = " ".join(core)
    state = _state_area(name)
    if state is not None:
        return state
    from pipeline.places import Gazetteer

    mention = Gazetteer.load().resolve_place(name)
    if mention is not None and mention.district is not None and mention.kind == "district":
        return Area("district", mention.district.name, mention.district.state)
    return f"the figure is for {place}, narrower than a district"


def area_of(fact: ReportFact, report: ReportInfo) -> Area | str:
    """The district or state a figure is for (through the gazetteer), or the reason it has none."""
    if fact.place:
        return _place_area(fact.place, report)
    if report.district:
        hit = resolve_district(report.district, report.state)
        if hit is None:
            return f"the district {report.district!r} is not in the gazetteer"
        return Area("district", hit[0], hit[1])
    area = _state_area(report.state)
    return area or "the report's district and state are unknown"


# ---------------------------------------------------------------------------- rows
def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _row(
    report: ReportInfo,
    fact: ReportFact,
    *,
    comparison: str,
    area: str | None,
    day: str | None,
    verdict: str,
    explanation: str,
    official: int | None = None,
    difference: int | None = None,
    relative: float | None = None,
    source: dict[str, Any] | None = None,
    key: str = "",
) -> dict[str, Any]:
    return {
        "id": _hash(fact.id, comparison, key),
        "fact_id": fact.id,
        "article_id": report.id,
        "fact_type": fact.type,
        "district": area,
        "date": day,
        "comparison": comparison,
        "reported": fact.value,
        "official": official,
        "difference": difference,
        "relative_difference": round(relative, 5) if relative is not None else None,
        "verdict": verdict,
        "explanation": explanation,
        "article_url": report.url,
        "evidence": fact.sentence,
        "official_source": json.dumps(source, ensure_ascii=False, sort_keys=True) if source else None,
    }


def _comparison_name(fact: ReportFact) -> str:
    base = "centres_vs_sites" if fact.type == "center_count" else fact.measure or "unknown"
    if fact.dose:
        base += f":dose{fact.dose}"
    if fact.age_group:
        base += f":age={fact.age_group}"
    return base


# ---------------------------------------------------------------------------- official comparisons
_NOT_OFFICIAL = {
    "target": "a target has no official counterpart (it is checked against the administered figure instead)",
    "available": "doses in stock or received are not in the official data",
}


def _series_for(data: OfficialData, fact: ReportFact, area: Area) -> Series | str:
    if fact.type == "center_count":
        if fact.dose or fact.age_group:
            return "official site counts have no dose or age-group breakdown"
        return data.sites(area.name, area.state, level=area.level)
    if fact.age_group:
        if area.level == "district":
            return "official district data has no age groups"
        columns = vocab()["age_groups"].get(fact.age_group)
        if not columns:
            return f"official state data has no age group {fact.age_group}"
        if fact.dose == 2:
            return "official state data has no second doses by age group"
        return data.age_doses(area.name, tuple(columns), individuals=fact.dose == 1)
    return data.doses(area.name, area.state, level=area.level, dose=fact.dose)


def _neighbours(series: Series, day: date) -> list[dict[str, Any]]:
    out = []
    for offset in sorted({0, *vocab()["late_uploads"]["neighbours"]}):
        d = day + timedelta(days=offset)
        p = series.at(d)
        if p is not None:
            out.append({"date": d.isoformat(), "daily": p.daily, "cumulative": p.cumulative})
    return out


def _days_text(k: int) -> str:
    if k == 0:
        return "the same day"
    return f"{k} day{'s' if k != 1 else ''} later"


def _late_upload_notes(
    series: Series,
    day: date,
    fact: ReportFact,
    official: int,
    reported_cumulative: int | None,
    cumulative: bool,
) -> tuple[list[str], dict[str, Any]]:
    """When the report is above CoWIN: on which day CoWIN's cumulative catches up with the report."""
    notes: list[str] = []
    found: dict[str, Any] = {}
    days = int(vocab()["late_uploads"]["lookahead_days"])
    if cumulative:
        targets = [("reported", fact.value)]
    else:
        before = series.at(day - timedelta(days=1))
        targets = []
        if before is not None and before.cumulative is not None:
            targets.append(("implied", before.cumulative + fact.value))
        if reported_cumulative is not None:
            targets.append(("reported", reported_cumulative))
    for kind, target in targets:
        hit = series.first_reaching(target, day, days)
        if kind == "implied":
            what = f"the cumulative the report implies ({fmt_in(target)} = CoWIN's previous day + {fmt_in(fact.value)})"
        else:
            what = f"the report's cumulative {fmt_in(target)}"
        if hit is None:
            notes.append(f"CoWIN's cumulative does not reach {what} within {days} days")
            continue
        k = (date.fromisoformat(hit[0]) - day).days
        found[kind] = {"target": target, "date": hit[0], "cumulative": hit[1], "days_later": k}
        if 0 < k <= int(vocab()["late_uploads"]["plausible_days"]):
            notes.append(
                f"CoWIN's cumulative reaches {what} on {hit[0]} ({fmt_in(hit[1])}), {_days_text(k)}: "
                "consistent with doses uploaded to CoWIN late"
            )
        elif k > 0:
            notes.append(
                f"CoWIN's cumulative reaches {what} only on {hit[0]} ({fmt_in(hit[1])}), {_days_text(k)}: "
                "too late to be explained by late uploads alone"
            )
    return notes, found


def _date_shift_note(series: Series, day: date, fact: ReportFact, settings: Settings) -> str | None:
    """A figure that matches a neighbouring day's official figure: the report may date it a day off."""
    for offset in (-1, 1):
        p = series.at(day + timedelta(days=offset))
        if p is None or not p.daily or p.daily <= 0:
            continue
        if abs(fact.value - p.daily) / p.daily <= settings.match_threshold:
            d = (day + timedelta(days=offset)).isoformat()
            return f"the figure matches CoWIN's {d} ({fmt_in(p.daily)}): the report may date it a day off"
    return None


def _official_phrase(series: Series, point: Point, day: str, cumulative: bool, fact: ReportFact) -> str:
    value = point.cumulative if cumulative else point.daily
    text = f"{series.label} on {day}: {fmt_in(value)}"
    if fact.type == "dose_count" and not cumulative and len(point.parts) == 2:
        text += f" ({fmt_in(point.parts[0])} first + {fmt_in(point.parts[1])} second)"
    return text


def compare_official(
    data: OfficialData,
    report: ReportInfo,
    fact: ReportFact,
    settings: Settings,
    *,
    reported_cumulative: int | None = None,
) -> dict[str, Any]:
    """One figure against the official figure for the same area and date."""
    comparison = _comparison_name(fact)
    day = fact.date or report.event_date
    area = area_of(fact, report)
    area_name = area.name if isinstance(area, Area) else report.district
    common: dict[str, Any] = {"area": area_name, "day": day}

    def not_comparable(reason: str, verdict: str = "not_comparable") -> dict[str, Any]:
        return _row(report, fact, comparison=comparison, verdict=verdict, explanation=reason, **common)

    if fact.type == "dose_count" and fact.measure not in ("administered", "cumulative"):
        return not_comparable(
            _NOT_OFFICIAL.get(fact.measure, f"a {fact.measure} figure has no official counterpart")
        )
    if fact.group:
        return not_comparable(f"official data has no breakdown by population group ({fact.group})")
    if isinstance(area, str):
        return not_comparable(area)
    comparison += area.suffix
    if day is None:
        return not_comparable("the date of the figure is unknown")
    series = _series_for(data, fact, area)
    if isinstance(series, str):
        return not_comparable(series)
    if not series.points:
        hint = " (the bundled slice covers Madhya Pradesh and Chhattisgarh; load more with `vaxnews official load`)"
        return not_comparable(
            f"no official {series.label} for {area.label} in the loaded data{hint}", "no_official_data"
        )
    cumulative = fact.measure == "cumulative"
    point = series.at(day)
    value = None if point is None else (point.cumulative if cumulative else point.daily)
    if point is None or value is None:
        return not_comparable(
            f"no official {series.label} for {area.label} on {day} (the series covers {series.first} to {series.last})",
            "no_official_data",
        )
    if value < 0:
        return not_comparable(
            f"the official daily figure for {day} is {fmt_in(value)}: a correction in the source, not a day's doses",
            "no_official_data",
        )
    v = classify(fact.value, value, fact.qualifier, settings)
    today = date.fromisoformat(day)
    neighbours = _neighbours(series, today) if fact.type == "dose_count" else []
    notes = [
        _official_phrase(series, point, day, cumulative, fact)
        + f"; difference {fmt_in(v.difference)} ({_pct(v.relative)})"
    ]
    if v.explanation:
        notes.append(v.explanation)
    shown = [n for n in neighbours if n["date"] != day]
    if shown:
        key = "cumulative" if cumulative else "daily"
        notes.append("neighbouring days: " + "; ".join(f"{n['date']}: {fmt_in(n[key])}" for n in shown))
    found: dict[str, Any] = {}
    if fact.type == "dose_count" and v.verdict != "match" and (v.difference or 0) > 0:
        more, found = _late_upload_notes(series, today, fact, value, reported_cumulative, cumulative)
        notes.extend(more)
    if fact.type == "dose_count" and not cumulative and v.verdict != "match":
        shift = _date_shift_note(series, today, fact, settings)
        if shift:
            notes.append(shift)
    source = {
        "kind": "official",
        "table": series.table,
        "series": series.label,
        "file": point.file,
        "date": day,
        "area": area.label,
        "neighbours": neighbours,
        **({"late_uploads": found} if found else {}),
    }
    return _row(
        report,
        fact,
        comparison=comparison,
        official=v.official,
        difference=v.difference,
        relative=v.relative,
        verdict=v.verdict,
        explanation="; ".join(notes),
        source=source,
        **common,
    )


# ---------------------------------------------------------------------------- self-checks
def _disjoint(groups: Sequence[str]) -> bool:
    spans = sorted(s for s in (age_interval(g) for g in groups) if s is not None)
    if len(spans) != len(groups):
        return False
    return all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # "45-60" and "60+" meet at 60


def _self_grade(excess: int, reference: int, settings: Settings) -> str:
    if excess <= 0:
        return "match"
    return _grade(excess / reference, settings) if reference > 0 else "discrepancy"


def _first_per_key(facts: Iterable[ReportFact], key: Any) -> list[ReportFact]:
    """One fact per key (a figure restated in headline and body counts once; exact before approx)."""
    chosen: dict[Any, ReportFact] = {}
    for f in sorted(facts, key=lambda f: (f.qualifier != "exact", f.start)):
        chosen.setdefault(key(f), f)
    return sorted(chosen.values(), key=lambda f: f.start)


def _self_source(report: ReportInfo, *facts: ReportFact) -> dict[str, Any]:
    return {
        "kind": "self",
        "article_id": report.id,
        "facts": [f.id for f in facts],
        "quotes": [f.quote for f in facts],
    }


def parts_checks(report: ReportInfo, facts: Sequence[ReportFact], settings: Settings) -> list[dict[str, Any]]:
    """Parts of a figure (by dose, by age group; any single place or group) against the report's total."""
    rows: list[dict[str, Any]] = []
    doses = [f for f in facts if f.type == "dose_count" and f.measure in ("administered", "cumulative")]
    by_scope: dict[tuple[str, str | None], list[ReportFact]] = defaultdict(list)
    for f in doses:
        by_scope[(f.measure, f.date or report.event_date)].append(f)
    area = report.district or report.state
    for (measure, day), group in sorted(by_scope.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        totals = [f for f in group if f.whole and f.qualifier in ("exact", "approx")]
        if not totals:
            continue
        total = max(totals, key=lambda f: (f.value, -f.start))
        dims: list[tuple[str, list[ReportFact], bool]] = []
        by_dose = _first_per_key(
            (f for f in group if f.dose and not (f.age_group or f.group or f.place)), lambda f: f.dose
        )
        if by_dose:
            dims.append(("dose", by_dose, True))
        by_age = _first_per_key(
            (f for f in group if f.age_group and not (f.dose or f.group or f.place)), lambda f: f.age_group
        )
        if by_age and _disjoint([f.age_group or "" for f in by_age]):
            dims.append(("age group", by_age, True))
        singles = [f for f in group if (f.place or f.group) and not (f.dose or f.age_group)]
        if singles:
            dims.append(("place or group", [max(singles, key=lambda f: f.value)], False))
        for dim, parts, summed in dims:
            value = sum(p.value for p in parts)
            excess = value - total.value
            verdict = _self_grade(excess, total.value, settings)
            listed = " + ".join(f"{_part_label(p)} {fmt_in(p.value)}" for p in parts)
            relation = (
                f"exceed the report's total {fmt_in(total.value)} by {fmt_in(excess)}"
                if excess > 0
                else f"= {fmt_in(value)}, within the report's total {fmt_in(total.value)}"
            )
            what = "parts" if summed else "the largest part"
            explanation = f"{measure} by {dim}: {what} ({listed}) {relation}"
            part_fact = parts[0] if not summed else total
            kind = "self:parts_vs_total" if summed else "self:part_vs_total"
            rows.append(
                _row(
                    report,
                    part_fact,
                    comparison=kind,
                    area=area,
                    day=day,
                    official=total.value,
                    difference=excess,
                    relative=excess / total.value if total.value else None,
                    verdict=verdict,
                    explanation=explanation,
                    source=_self_source(report, total, *parts),
                    key=f"{measure}|{day}|{dim}",
                )
                | {"reported": value}
            )
    return rows


def _part_label(f: ReportFact) -> str:
    if f.dose:
        return f"dose {f.dose}"
    if f.age_group:
        return f"age {f.age_group}"
    return f.place or f.group or "part"


def target_checks(
    report: ReportInfo, facts: Sequence[ReportFact], settings: Settings
) -> list[dict[str, Any]]:
    """Administered against a target of the same scope and day: more than target × (1 + margin) is implausible."""
    margin = float(getattr(settings, "target_margin", vocab()["target"]["margin"]))
    doses = [f for f in facts if f.type == "dose_count"]

    def scope(f: ReportFact) -> tuple[Any, ...]:
        return (f.date or report.event_date, f.age_group, f.dose, f.group, f.place)

    targets: dict[tuple[Any, ...], ReportFact] = {}
    for f in doses:
        if f.measure == "target" and (scope(f) not in targets or f.value > targets[scope(f)].value):
            targets[scope(f)] = f
    rows = []
    area = report.district or report.state
    for f in _first_per_key((f for f in doses if f.measure == "administered"), lambda f: (scope(f), f.value)):
        target = targets.get(scope(f))
        if target is None or target.value <= 0:
            continue
        limit = int(target.value * (1 + margin))
        excess = f.value - limit
        share = f.value / target.value
        if excess > 0:
            verdict = "discrepancy"
            text = (
                f"administered {fmt_in(f.value)} is {share:.0%} of the stated target {fmt_in(target.value)}: "
                f"more than {1 + margin:.0%} of a target is implausible"
            )
        else:
            verdict = "match"
            text = (
                f"administered {fmt_in(f.value)} is {share:.0%} of the stated target {fmt_in(target.value)}"
            )
        rows.append(
            _row(
                report,
                f,
                comparison="self:administered_vs_target",
                area=area,
                day=scope(f)[0],
                official=target.value,
                difference=f.value - target.value,
                relative=(f.value - target.value) / target.value,
                verdict=verdict,
                explanation=text,
                source=_self_source(report, target, f),
                key=target.id,
            )
        )
    return rows


def trend_checks(items: Sequence[tuple[ReportInfo, ReportFact]], settings: Settings) -> list[dict[str, Any]]:
    """Cumulative totals of the same area and dose, report after report: a total must not go down.

    Each cumulative figure is compared with the highest cumulative figure that any report gave for an
    earlier date (figures of the same date are not a trend).
    """
    series: dict[tuple[str, int | None], list[tuple[str, ReportInfo, ReportFact]]] = defaultdict(list)
    for report, fact in items:
        if fact.type != "dose_count" or fact.measure != "cumulative" or fact.age_group or fact.group:
            continue
        if fact.qualifier not in ("exact", "approx"):
            continue
        area = area_of(fact, report)
        day = fact.date or report.event_date
        if isinstance(area, str) or day is None:
            continue
        series[(area.label, fact.dose)].append((day, report, fact))
    rows = []
    for (label, dose), entries in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        entries.sort(key=lambda e: (e[0], e[2].value, e[2].id))
        for d1, r1, f1 in entries:
            earlier = [e for e in entries if e[0] < d1]
            if not earlier:
                continue
            d0, r0, f0 = max(earlier, key=lambda e: (e[2].value, e[0], e[2].id))
            rows.append(_trend_row(label, dose, (d0, r0, f0), (d1, r1, f1), settings))
    return rows


def _trend_row(
    label: str,
    dose: int | None,
    before: tuple[str, ReportInfo, ReportFact],
    after: tuple[str, ReportInfo, ReportFact],
    settings: Settings,
) -> dict[str, Any]:
    (d0, r0, f0), (d1, r1, f1) = before, after
    drop = f0.value - f1.value
    if drop > 0:
        approx = "approx" in (f0.qualifier, f1.qualifier)
        verdict = "close" if approx and drop / f0.value <= settings.close_threshold else "discrepancy"
        text = f"the cumulative total fell from {fmt_in(f0.value)} ({d0}) to {fmt_in(f1.value)} ({d1})"
    else:
        verdict = "match"
        text = f"the cumulative total rose from {fmt_in(f0.value)} ({d0}) to {fmt_in(f1.value)} ({d1})"
    which = f" (dose {dose})" if dose else ""
    return _row(
        r1,
        f1,
        comparison="self:cumulative_trend" + (f":dose{dose}" if dose else ""),
        area=label.split(" (")[0],
        day=d1,
        official=f0.value,
        difference=f1.value - f0.value,
        relative=(f1.value - f0.value) / f0.value if f0.value else None,
        verdict=verdict,
        explanation=f"{label}{which}: {text}; earlier report {r0.url or r0.id}",
        source={
            "kind": "self",
            "article_id": r0.id,
            "facts": [f0.id, f1.id],
            "quotes": [f0.quote, f1.quote],
            "earlier_url": r0.url,
        },
        key=f0.id,
    )


# ---------------------------------------------------------------------------- one report, all reports
def _reported_cumulatives(
    report: ReportInfo, facts: Sequence[ReportFact]
) -> dict[tuple[str | None, int | None], int]:
    """(date, dose) -> the report's whole-area cumulative figure, for the late-upload check."""
    out: dict[tuple[str | None, int | None], int] = {}
    for f in facts:
        if (
            f.measure == "cumulative"
            and not (f.age_group or f.group or f.place)
            and f.qualifier in ("exact", "approx")
        ):
            out.setdefault((f.date or report.event_date, f.dose), f.value)
    return out


def verify_report(
    data: OfficialData, report: ReportInfo, facts: Sequence[ReportFact], settings: Settings
) -> list[dict[str, Any]]:
    """Every figure of one report against official figures, then the report against itself."""
    facts = sorted(facts, key=lambda f: (f.start, f.id))
    cumulatives = _reported_cumulatives(report, facts)
    rows = []
    for f in facts:
        reported_cumulative = None
        if f.measure == "administered" and not (f.age_group or f.group or f.place):
            reported_cumulative = cumulatives.get((f.date or report.event_date, f.dose))
        rows.append(compare_official(data, report, f, settings, reported_cumulative=reported_cumulative))
    rows.extend(parts_checks(report, facts, settings))
    rows.extend(target_checks(report, facts, settings))
    return rows


def report_info(result: Any) -> ReportInfo:
    """ReportInfo of an `extractors.ExtractionResult`."""
    art = result.article
    return ReportInfo(
        id=art.id,
        url=art.url,
        title=art.title,
        published=art.published.isoformat() if art.published else None,
        district=result.district,
        state=result.state,
        event_date=result.event_date.isoformat() if result.event_date else None,
    )


def verify_extraction(
    result: Any,
    data: OfficialData,
    settings: Settings,
    *,
    history: Sequence[tuple[ReportInfo, ReportFact]] = (),
) -> list[dict[str, Any]]:
    """Verifications of one extracted article (`vaxnews check`); `history` adds stored reports' cumulatives."""
    report = report_info(result)
    facts = [f for f in (ReportFact.from_fact(x, report.id) for x in result.facts) if f is not None]
    rows = verify_report(data, report, facts, settings)
    if history:
        mine = {f.id for f in facts}
        trend = trend_checks(
            [*[(r, f) for r, f in history if r.id != report.id], *[(report, f) for f in facts]], settings
        )
        rows.extend(r for r in trend if r["fact_id"] in mine)
    return rows


def stored_reports(conn: Any) -> tuple[dict[str, ReportInfo], dict[str, list[ReportFact]]]:
    """Reports and their figures from a database (a sqlite3 connection or sqlite_utils Database)."""
    from pipeline import store

    raw = conn.conn if isinstance(conn, sqlite_utils.Database) else conn
    tables = {r[0] for r in raw.execute("select name from sqlite_master where type = 'table'")}
    reports: dict[str, ReportInfo] = {}
    facts: dict[str, list[ReportFact]] = defaultdict(list)
    if "articles" not in tables:
        return reports, facts
    cur = raw.execute(
        "select id, url, title, published, district, state, event_date from articles order by id"
    )
    for r in cur.fetchall():
        reports[r[0]] = ReportInfo(*r)
    for fact_type in ("dose_count", "center_count"):
        table, _ = store.FACT_TABLES[fact_type]
        if table not in tables:
            continue
        cur = raw.execute(f"select * from [{table}] order by article_id, start, id")
        cols = [d[0] for d in cur.description]
        for values in cur.fetchall():
            row = dict(zip(cols, values, strict=True))
            if row["article_id"] in reports:
                facts[row["article_id"]].append(ReportFact.from_row(row, fact_type))
    return reports, facts


def verify_all(db: sqlite_utils.Database, settings: Settings) -> int:
    """Recompute the `verifications` table: every stored figure, every report's self-checks, the trends."""
    data = OfficialData(db.conn)
    reports, facts = stored_reports(db)
    rows: dict[str, dict[str, Any]] = {}
    for aid, report in reports.items():
        for row in verify_report(data, report, facts.get(aid, []), settings):
            rows.setdefault(row["id"], row)
    history = [(reports[aid], f) for aid in reports for f in facts.get(aid, [])]
    for row in trend_checks(history, settings):
        rows.setdefault(row["id"], row)
    with db.conn:
        db.execute("delete from verifications")
        if rows:
            db.table("verifications").insert_all(list(rows.values()), pk="id")
    return len(rows)


def bundled_data() -> OfficialData:
    """Official figures of the bundled slice (`fixtures/official`), in memory."""
    from pipeline.official import bundled_database

    return OfficialData(bundled_database())


__all__ = [
    "BUNDLED_DIR",
    "COMPARABLE",
    "VERDICTS",
    "Area",
    "ReportFact",
    "ReportInfo",
    "Verdict",
    "area_of",
    "bundled_data",
    "classify",
    "compare_official",
    "fmt_in",
    "load_official",
    "parts_checks",
    "target_checks",
    "trend_checks",
    "verify_all",
    "verify_extraction",
    "verify_report",
]
