"""The one Python API of vaxnews. The CLI, the Dagster assets and the tests all call these functions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from extractors import EXTRACTOR_VERSION, ExtractionResult, extract
from pipeline import store
from pipeline.archive import Archive
from pipeline.article import Article
from pipeline.config import FIXTURES, Settings
from pipeline.parse import ParseError, article_from_html, article_from_text, decode_body


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype", "<html")) or "<body" in head or "<div" in head or "<p>" in head


def load_article(
    content: str | bytes,
    *,
    url: str | None = None,
    published: datetime | None = None,
    site: str | None = None,
    content_type: str | None = None,
    fetched: datetime | None = None,
) -> Article:
    """Text or HTML (str or bytes) -> Article. Raises ParseError with a reason for unusable input.

    `content_type` (the HTTP header) helps decoding; `fetched` bounds the publication date."""
    if isinstance(content, bytes):
        if b"\x00" in content[:2000] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM
            raise ParseError("binary document: the input contains NUL bytes")
        content = decode_body(content, content_type)
    if looks_like_html(content):
        return article_from_html(content, url=url, published=published, site=site, fetched=fetched)
    return article_from_text(content, url=url, published=published, fetched=fetched)


def extract_article(
    content: str | bytes, *, url: str | None = None, published: datetime | None = None
) -> ExtractionResult:
    return extract(load_article(content, url=url, published=published))


def _parse_published(value: Any) -> datetime | None:
    if not value:
        return None
    from pipeline.dates import parse_timestamp

    stamp = parse_timestamp(str(value))
    if stamp is None:
        raise ParseError(f"cannot read the publication time {value!r}")
    return stamp


def extract_record(record: dict[str, Any]) -> dict[str, Any]:
    """One `--jsonl` input line {"id", "url"?, "text"?, "html"?, "published"?} -> facts.md document + id."""
    content = record.get("html") or record.get("text")
    if not content:
        raise ParseError("record has neither 'text' nor 'html'")
    result = extract_article(
        content, url=record.get("url"), published=_parse_published(record.get("published"))
    )
    return {"id": record.get("id"), **result.to_dict()}


def iter_jsonl_extractions(lines: Iterable[str]) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    """Stream (document, None) or (None, error message naming the line's id) for each input line."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        rec_id: Any = f"line {lineno}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ParseError("line is not a JSON object")
            rec_id = record.get("id", rec_id)
            yield extract_record(record), None
        except (ValueError, ParseError) as exc:
            yield None, f"{rec_id}: {exc}"


def result_meta(result: ExtractionResult, **extra: Any) -> dict[str, Any]:
    art = result.article
    return {
        "id": art.id,
        "site": art.site,
        "canonical_url": art.canonical_url,
        "parser": art.parser,
        "event_date_precision": result.event_date_precision,
        "extractor_version": EXTRACTOR_VERSION,
        "page_sha256": art.page_sha256,
        **extra,
    }


def store_result(db: sqlite_utils.Database, result: ExtractionResult, **meta: Any) -> str:
    return store.store_extraction(db, result.to_dict(), result_meta(result, **meta))


def store_results(db: sqlite_utils.Database, results: Iterable[ExtractionResult]) -> list[str]:
    """Store many results, 500 articles per transaction (each article still whole or not at all): the
    bulk path for loads and benchmarks; the database ends as after store_result on each, in order."""
    return store.store_extractions(db, ((r.to_dict(), result_meta(r)) for r in results))


def load_archived_article(
    body: bytes,
    *,
    url: str,
    final_url: str | None,
    sha256: str,
    site: str | None,
    content_type: str | None,
    fetched_at: str | None,
) -> Article:
    """An archived response -> Article, the one way the crawler and the Dagster assets both parse it:
    the HTTP content type helps decoding and the fetch time bounds the publication date."""
    from pipeline.dates import parse_timestamp

    fetched = parse_timestamp(fetched_at) if fetched_at else None
    article = load_article(
        body or b"", url=final_url or url, site=site, content_type=content_type, fetched=fetched
    )
    article.page_sha256 = sha256
    return article


@dataclass
class RunSummary:
    db_path: Path
    pages: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)


def sample_start_urls(settings: Settings) -> list[str]:
    site = next((s for s in settings.sites if s.name == "sample"), None)
    return list(site.start_urls + site.feeds) if site else []


def replay_fetcher(settings: Settings, archive_dir: Path | None = None) -> Any:
    """A Fetcher that serves the recorded sample site (no network, no delay), archiving into the
    settings' archive like a live crawl (the recording itself is never written to)."""
    from pipeline.archive import ReplayTransport
    from pipeline.fetch import Fetcher

    replay = Archive(archive_dir or settings.replay_dir or FIXTURES / "site")
    return Fetcher(settings, Archive(settings.archive_dir), transport=ReplayTransport(replay), delay=0.0)


def ingest_text_files(db: sqlite_utils.Database, paths: Iterable[Path]) -> int:
    """Extract and store plain-text reports given as files (e.g. the seed report, when present)."""
    n = 0
    for path in paths:
        if path.exists():
            result = extract(article_from_text(path.read_text(encoding="utf-8"), url=path.resolve().as_uri()))
            store_result(db, result)
            n += 1
    return n


def summarize(db: sqlite_utils.Database, db_path: Path) -> RunSummary:
    summary = RunSummary(db_path=db_path)
    summary.pages = {r[0]: r[1] for r in db.execute("select state, count(*) from pages group by state")}
    summary.articles = db.table("articles").count
    summary.facts = {t: db.table(t).count for t, _ in store.FACT_TABLES.values()}
    summary.verdicts = {
        r[0]: r[1] for r in db.execute("select verdict, count(*) from verifications group by verdict")
    }
    summary.failures = [
        (r[0], r[1]) for r in db.execute("select url, reason from pages where state = 'failed'")
    ]
    return summary


def run_main_job(settings: Settings) -> RunSummary:
    """The main job without Dagster (the Dagster asset graph calls the same steps): crawl the replayed
    sample site, add extra text inputs, load official figures, verify, and summarise."""
    from pipeline.crawl import crawl
    from pipeline.verify import load_official, verify_all

    with store.writing(settings.db_path) as db, replay_fetcher(settings) as fetcher:
        crawl(settings, sample_start_urls(settings), db, fetcher)
        ingest_text_files(db, settings.extra_text_inputs)
        load_official(db, settings.official_csv)
        verify_all(db, settings)
        return summarize(db, settings.db_path)
