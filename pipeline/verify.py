"""Cross-check reported figures against official CoWIN district figures (covid19india CSV format).

Official rows are matched by the district *name the gazetteer resolved*, never by the raw string in
the news text. A daily administered figure is compared with delta_vaccinated1 + delta_vaccinated2 of the
event date; a cumulative figure with total_vaccinated1 + total_vaccinated2. The explanation shows the
neighbouring days, because CoWIN snapshots miss late uploads that district press notes include.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.config import Settings

OFFICIAL_SOURCE = "covid19india.org (CoWIN public dashboard), via incovid19/data-staging; CC BY (attribution)"
_INT_COLUMNS = ("total_vaccinated1", "total_vaccinated2", "delta_vaccinated1", "delta_vaccinated2")


def load_official(db: sqlite_utils.Database, path: Path, *, source: str | None = None) -> int:
    """Load a covid19india v4 district CSV into `official_district_daily` (idempotent upsert)."""
    if not Path(path).exists():
        raise FileNotFoundError(f"official data file not found: {path}")
    rows = []
    with open(path, encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"date", "state", "district", *_INT_COLUMNS} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: not a covid19india district file, missing columns {sorted(missing)}")
        for row in reader:
            rows.append(
                {
                    "district": row["district"],
                    "state": row["state"],
                    "date": row["date"],
                    **{c: int(float(row[c])) if row[c] else 0 for c in _INT_COLUMNS},
                    "source_file": Path(path).name,
                }
            )
    db.table("official_district_daily").upsert_all(rows, pk=("district", "state", "date"), batch_size=5000)
    db.table("official_sources").upsert(
        {"file": Path(path).name, "source": source or OFFICIAL_SOURCE, "rows": len(rows)}, pk="file"
    )
    return len(rows)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    official: int | None
    difference: int | None
    relative: float | None
    explanation: str


def classify(reported: int, official: int, qualifier: str, settings: Settings) -> Verdict:
    diff = reported - official
    rel = diff / official if official else None
    if qualifier == "at_least":
        ok = official >= reported
        return Verdict("match" if ok else "discrepancy", official, diff, rel, "reported as a lower bound")
    if qualifier == "at_most":
        ok = official <= reported
        return Verdict("match" if ok else "discrepancy", official, diff, rel, "reported as an upper bound")
    if rel is None:
        return Verdict("discrepancy" if reported else "match", official, diff, None, "official value is 0")
    size = abs(rel)
    if size <= settings.match_threshold:
        kind = "match"
    elif size <= settings.close_threshold:
        kind = "close"
    else:
        kind = "discrepancy"
    return Verdict(kind, official, diff, rel, "")


def _official_row(
    db: sqlite_utils.Database, district: str, state: str | None, day: str
) -> dict[str, Any] | None:
    rows = list(
        db.table("official_district_daily").rows_where("district = ? and date = ?", [district, day], limit=1)
    )
    return rows[0] if rows else None


def _neighbours(db: sqlite_utils.Database, district: str, day: date, measure: str) -> str:
    parts = []
    for offset in (-1, 1, 2):
        d = (day + timedelta(days=offset)).isoformat()
        row = _official_row(db, district, None, d)
        if row:
            value = _official_value(row, measure)
            parts.append(f"{d}: {value:,}")
    return "; ".join(parts)


def _official_value(row: dict[str, Any], measure: str) -> int:
    if measure == "cumulative":
        return int(row["total_vaccinated1"] + row["total_vaccinated2"])
    return int(row["delta_vaccinated1"] + row["delta_vaccinated2"])


def verify_fact(
    db: sqlite_utils.Database, fact: dict[str, Any], article: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """One reported dose count -> one `verifications` row."""
    district = article.get("district")
    day = fact.get("date") or article.get("event_date")
    measure = fact["measure"]
    base = {
        "id": hashlib.sha256(f"{fact['id']}|doses".encode()).hexdigest()[:16],
        "fact_id": fact["id"],
        "article_id": article["id"],
        "fact_type": "dose_count",
        "district": district,
        "date": day,
        "comparison": f"{measure} doses" + (f", dose {fact['dose']}" if fact.get("dose") else ""),
        "reported": fact["value"],
        "article_url": article.get("url"),
        "evidence": fact["sentence"],
        "official_source": None,
        "official": None,
        "difference": None,
        "relative_difference": None,
    }
    reason = None
    if measure not in ("administered", "cumulative"):
        reason = f"a {measure} figure has no official counterpart"
    elif fact.get("place"):
        reason = f"the figure is for {fact['place']}, not the whole district"
    elif fact.get("age_group") or fact.get("group"):
        reason = "official district data has no age-group or population breakdown"
    elif not district or not day:
        reason = "the report's district or date is unknown"
    if reason or not district or not day:
        return {**base, "verdict": "not_comparable", "explanation": reason}
    row = _official_row(db, district, article.get("state"), day)
    if row is None:
        return {
            **base,
            "verdict": "no_official_data",
            "explanation": f"no official row for {district} on {day}",
        }
    official = _official_value(row, measure)
    if fact.get("dose") in (1, 2):
        key = ("total_vaccinated" if measure == "cumulative" else "delta_vaccinated") + str(fact["dose"])
        official = int(row[key])
    v = classify(fact["value"], official, fact["qualifier"], settings)
    neighbours = _neighbours(db, district, date.fromisoformat(day), measure)
    explanation = "; ".join(
        x for x in (v.explanation, f"official neighbouring days: {neighbours}" if neighbours else "") if x
    )
    return {
        **base,
        "official": v.official,
        "difference": v.difference,
        "relative_difference": round(v.relative, 5) if v.relative is not None else None,
        "verdict": v.verdict,
        "explanation": explanation,
        "official_source": json.dumps({"file": row.get("source_file"), "date": day}),
    }


def verify_all(db: sqlite_utils.Database, settings: Settings) -> int:
    """Recompute the `verifications` table for every stored dose count."""
    facts = list(
        db.query(
            "select d.*, a.id as a_id, a.district, a.state, a.event_date, a.url from dose_counts d "
            "join articles a on a.id = d.article_id"
        )
    )
    rows = []
    for f in facts:
        article = {
            "id": f["a_id"],
            "district": f["district"],
            "state": f["state"],
            "event_date": f["event_date"],
            "url": f["url"],
        }
        rows.append(verify_fact(db, f, article, settings))
    with db.conn:
        db.execute("delete from verifications")
        if rows:
            db.table("verifications").insert_all(rows, pk="id")
    return len(rows)
