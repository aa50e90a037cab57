"""The logic of the asset checks, as plain functions over extraction results and the database.

Kept apart from the Dagster wiring (assets/checks.py, assets/graph.py) so each rule is tested on its own.
Thresholds live in assets/data/checks.toml; the extraction floors in tests/quality_floors.json.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assets.partitions import ist_day
from extractors import ExtractionResult
from pipeline.config import PROJECT_ROOT

DATA = Path(__file__).with_name("data") / "checks.toml"
FLOORS = PROJECT_ROOT / "tests" / "quality_floors.json"
SCOPES = ("district", "state", "national")
MEASURES = ("administered", "cumulative", "target", "available")


@functools.cache
def thresholds() -> dict[str, Any]:
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Issue:
    """One fact that breaks a rule, with enough to find it: the article URL and the quote."""

    article: str
    fact_type: str
    quote: str
    detail: str

    def row(self) -> str:
        quote = self.quote.replace("|", "¦").replace("\n", " ")
        return f"| {self.article} | {self.fact_type} | {quote} | {self.detail} |"


def issues_table(issues: list[Issue], limit: int = 20) -> str:
    head = "| article | type | quote | problem |\n|---|---|---|---|\n"
    more = f"\n\n… and {len(issues) - limit} more" if len(issues) > limit else ""
    return head + "\n".join(i.row() for i in issues[:limit]) + more


def _where(result: ExtractionResult) -> str:
    return result.article.url or result.article.id


# -- evidence ----------------------------------------------------------------------------------------
def quote_mismatches(results: Iterable[ExtractionResult]) -> list[Issue]:
    """Facts whose evidence does not hold: text[start:end] must equal the quote, inside the sentence."""
    out = []
    for r in results:
        text = r.article.text
        for fact in r.facts:
            ev = fact.get("evidence") or {}
            start, end, quote = ev.get("start"), ev.get("end"), ev.get("quote") or ""
            if not isinstance(start, int) or not isinstance(end, int) or not quote:
                out.append(Issue(_where(r), fact["type"], quote, "evidence is missing offsets or a quote"))
            elif text[start:end] != quote:
                out.append(
                    Issue(_where(r), fact["type"], quote, f"text[{start}:{end}] is {text[start:end]!r}")
                )
            elif quote not in (ev.get("sentence") or ""):
                out.append(Issue(_where(r), fact["type"], quote, "quote is not inside its sentence"))
    return out


# -- dose bounds ----------------------------------------------------------------------------------------
def scope_of(place: str | None, district: str | None, state: str | None) -> str:
    """What a dose count is for: its `place` when given (country, state, or narrower than a district),
    else the article's district, else its state, else (unknown) the country: the loosest bound."""
    if place:
        from pipeline.places import Gazetteer

        kinds = {m.kind for m in Gazetteer.load().find_all(place)}
        if "country" in kinds:
            return "national"
        words = set(thresholds()["scope_words"]["state"])
        if "state" in kinds or any(tok in words for tok in place.split()):
            return "state"
        return "district"
    if district:
        return "district"
    return "state" if state else "national"


def dose_bound(scope: str, measure: str | None) -> int:
    bounds: dict[str, int] = thresholds()["dose_bounds"][scope]
    return bounds.get(measure or "", max(bounds.values()))


def implausible_doses(results: Iterable[ExtractionResult]) -> list[Issue]:
    """Dose counts above the sane bound for their scope and measure."""
    out = []
    for r in results:
        for fact in r.facts:
            if fact["type"] != "dose_count" or not isinstance(fact.get("value"), int):
                continue
            scope = scope_of(fact.get("place"), r.district, r.state)
            bound = dose_bound(scope, fact.get("measure"))
            if fact["value"] > bound:
                detail = f"{fact['value']:,} {fact.get('measure')} ({scope}) is above {bound:,}"
                out.append(Issue(_where(r), "dose_count", fact["evidence"]["quote"], detail))
    return out


# -- dates ----------------------------------------------------------------------------------------------
def _iso_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def dates_after_publication(results: Iterable[ExtractionResult]) -> list[Issue]:
    """An event cannot be reported before it happens: event_date (article or fact) <= publication day."""
    out = []
    for r in results:
        if r.article.published is None:
            continue
        published = ist_day(r.article.published)
        if r.event_date is not None and r.event_date > published:
            out.append(Issue(_where(r), "article", "", f"event_date {r.event_date} > published {published}"))
        for fact in r.facts:
            day = _iso_day(fact.get("date"))
            if day is not None and day > published:
                detail = f"date {day} > published {published}"
                out.append(Issue(_where(r), fact["type"], fact["evidence"]["quote"], detail))
    return out


# -- extraction quality on the gold set ---------------------------------------------------------------
def gold_sets() -> dict[str, list[Path]]:
    """The scored sets, as tests/test_quality.py defines them: the tuning set (fixtures/gold) and all
    hand-made sets together (plus the held-out sets fixtures/heldout*/gold)."""
    from pipeline.config import FIXTURES
    from pipeline.gold import gold_files

    return {"tuning": gold_files(), "all_sets": gold_files() + sorted(FIXTURES.glob("heldout*/gold/*.jsonl"))}


def read_floors(path: Path) -> dict[str, dict[str, float]]:
    """{set: {measure: floor}}; a flat file (the older format) holds the tuning set's floors."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if all(isinstance(v, int | float) for v in raw.values()):
        raw = {"tuning": raw}
    return {name: {k: float(v) for k, v in floors.items()} for name, floors in raw.items()}


@dataclass(frozen=True)
class GoldQuality:
    scores: dict[str, dict[str, float]]  # set -> measure -> score
    floors: dict[str, dict[str, float]]

    @property
    def below(self) -> dict[str, tuple[float, float]]:
        """'set:measure' -> (score, floor) for every score under its floor."""
        out = {}
        for name, floors in self.floors.items():
            for key, floor in floors.items():
                score = self.scores.get(name, {}).get(key, 0.0)
                if score < floor:
                    out[f"{name}:{key}"] = (score, floor)
        return out

    @property
    def passed(self) -> bool:
        return not self.below


_SOURCES = ("extractors", "pipeline", "fixtures")
_SOURCE_SUFFIXES = {".py", ".toml", ".csv", ".json", ".jsonl", ".txt"}
_NOT_SOURCES = {"__pycache__", "site", "site_src", "official"}


def code_fingerprint() -> str:
    """A hash of everything the gold scores depend on: the extractor and pipeline code, their data, the
    gold sets and their reports. Any edit changes it."""
    digest = hashlib.sha256()
    for top in _SOURCES:
        for path in sorted((PROJECT_ROOT / top).rglob("*")):
            if path.suffix not in _SOURCE_SUFFIXES or _NOT_SOURCES & set(path.parts) or not path.is_file():
                continue
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_dir() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or tempfile.gettempdir()) / "vaxnews-cache"


def gold_scores(cache_dir: Path | None = None) -> dict[str, dict[str, float]]:
    """F1 per fact type and the accuracies on each gold set, cached on disk (in DAGSTER_HOME) by code
    fingerprint: every step process of every partition run checks the same gate, and scoring the gold
    sets takes seconds while hashing the code takes milliseconds."""
    path = (cache_dir or _cache_dir()) / f"gold-{code_fingerprint()[:24]}.json"
    if path.exists():
        try:
            cached: dict[str, dict[str, float]] = json.loads(path.read_text(encoding="utf-8"))
            return cached
        except ValueError:
            pass  # a torn write: score again
    # copies: a caller that edits the result must not edit _score's memo (and through it the disk cache)
    scores = {name: dict(_score(tuple(paths))) for name, paths in gold_sets().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(scores, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return scores


@functools.cache
def _score(paths: tuple[Path, ...]) -> dict[str, float]:
    from pipeline.evaluate import evaluate
    from pipeline.gold import gold_records, predict_gold

    summary = evaluate(gold_records(list(paths)), predict_gold).summary()
    scores = {}
    for key, value in summary.items():
        if isinstance(value, dict) and "f1" in value:
            scores[key] = round(float(value["f1"]), 4)
        elif key.endswith("_accuracy") and isinstance(value, int | float):
            scores[key] = round(float(value), 4)
    return scores


def gold_quality(floors_path: Path = FLOORS) -> GoldQuality:
    return GoldQuality(scores=gold_scores(), floors=read_floors(floors_path))


# -- failed pages per site ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteShare:
    site: str
    failed: int
    total: int

    @property
    def share(self) -> float:
        return self.failed / self.total if self.total else 0.0


def failed_shares(conn: sqlite3.Connection) -> list[SiteShare]:
    rows = conn.execute(
        "select coalesce(site, '?'), sum(state = 'failed'), count(*) from pages group by 1 order by 1"
    ).fetchall()
    return [SiteShare(site, int(failed or 0), int(total)) for site, failed, total in rows]


def sites_over_threshold(shares: Iterable[SiteShare]) -> list[SiteShare]:
    limits = thresholds()["failed_pages"]
    return [s for s in shares if s.total >= limits["min_pages"] and s.share > limits["max_share"]]
