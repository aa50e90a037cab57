"""The crawl: discovery pages -> article pages, each fetched, archived, parsed, extracted and stored.

Every URL ends in a recorded state in the `pages` table (fetched, not_modified, skipped, failed with a
reason); one bad page never stops the crawl. A re-run resumes: pages already fetched are asked for with a
conditional GET and only what changed is processed again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from pipeline.config import Settings
from pipeline.fetch import Fetcher, FetchResult
from pipeline.parse import decode_body
from pipeline.sources import Link, canonicalize, parse_links, site_for


@dataclass
class CrawlSummary:
    fetched: int = 0
    not_modified: int = 0
    skipped: int = 0
    failed: int = 0
    articles: int = 0
    facts: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def count(self, result: FetchResult) -> None:
        setattr(self, result.state, getattr(self, result.state) + 1)
        if result.state == "failed":
            self.failures.append((result.url, result.reason or ""))


def _page_row(result: FetchResult, site: str | None) -> dict[str, object]:
    rec = result.record
    return {
        "url": result.url,
        "site": site,
        "state": result.state,
        "status": result.status,
        "reason": result.reason,
        "fetched_at": rec.fetched_at if rec else None,
        "final_url": result.final_url,
        "sha256": rec.sha256 if rec else None,
        "content_type": rec.content_type if rec else None,
        "etag": rec.headers.get("etag") if rec else None,
        "last_modified": rec.headers.get("last-modified") if rec else None,
    }


def _older_than(lastmod: str | None, since: date | None) -> bool:
    if since is None or not lastmod:
        return False
    from pipeline.dates import parse_timestamp

    stamp = parse_timestamp(lastmod)
    return stamp is not None and stamp.date() < since


def _record(db: sqlite_utils.Database, summary: CrawlSummary, result: FetchResult, site: str | None) -> None:
    summary.count(result)
    db.table("pages").upsert(_page_row(result, site), pk="url", alter=True)


def discover(
    settings: Settings,
    start_urls: list[str],
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    *,
    since: date | None = None,
    summary: CrawlSummary | None = None,
) -> list[Link]:
    """Fetch the start points (listings, feeds, sitemaps) and what they lead to; return article links."""
    summary = summary if summary is not None else CrawlSummary()
    queue: deque[Link] = deque(Link(canonicalize(u), "start") for u in start_urls)
    seen: set[str] = {link.url for link in queue}
    articles: list[Link] = []
    listing_pages: dict[str, int] = {}
    while queue:
        link = queue.popleft()
        site = site_for(link.url, settings.sites)
        result = fetcher.fetch(link.url)
        _record(db, summary, result, site.name if site else None)
        if result.state != "fetched" or result.record is None:
            continue
        text = decode_body(fetcher.archive.body(result.record.sha256), result.record.content_type)
        for found in parse_links(text, result.final_url or link.url, site):
            if found.url in seen:
                continue
            seen.add(found.url)
            if found.kind == "article":
                if _older_than(found.lastmod, since):
                    db.table("pages").upsert(
                        {"url": found.url, "state": "skipped", "reason": "older than --since"}, pk="url"
                    )
                    summary.skipped += 1
                else:
                    articles.append(found)
                continue
            key = site.name if site else link.url
            listing_pages[key] = listing_pages.get(key, 0) + 1
            if listing_pages[key] <= (site.max_listing_pages if site else 5):
                queue.append(found)
    return articles


def fetch_article(
    settings: Settings,
    link: Link,
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    summary: CrawlSummary,
    seen_final: set[str],
) -> FetchResult:
    """Fetch one article page (conditionally, when it was fetched before) and record its state."""
    site = site_for(link.url, settings.sites)
    previous = db.table("pages").get(link.url) if _has_page(db, link.url) else None
    result = fetcher.fetch(
        link.url,
        etag=previous.get("etag") if previous else None,
        last_modified=previous.get("last_modified") if previous else None,
    )
    if result.state == "fetched" and result.final_url:
        final = canonicalize(result.final_url)
        if final != link.url and final in seen_final:
            result = FetchResult(
                link.url, "skipped", result.status, f"duplicate of {final}", final, result.record
            )
        seen_final.add(final)
    _record(db, summary, result, site.name if site else None)
    return result


def crawl(
    settings: Settings,
    start_urls: list[str],
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    *,
    since: date | None = None,
    max_pages: int | None = None,
    progress: Callable[[CrawlSummary, str], None] | None = None,
) -> CrawlSummary:
    """Discover, then fetch -> archive -> parse -> extract -> store one article at a time, so a killed
    crawl loses nothing it finished and a re-run picks up the rest."""
    from pipeline.api import process_page

    summary = CrawlSummary()
    links = discover(settings, start_urls, db, fetcher, since=since, summary=summary)
    seen_final: set[str] = set()
    for link in links[: max_pages or settings.max_pages]:
        result = fetch_article(settings, link, db, fetcher, summary, seen_final)
        if result.state == "fetched" and result.record is not None:
            site = site_for(link.url, settings.sites)
            body = fetcher.archive.body(result.record.sha256)
            n = process_page(settings, db, result.record, body, site=site.name if site else None, since=since)
            if n is not None:
                summary.articles += 1
                summary.facts += n
        if progress:
            progress(summary, link.url)
    return summary


def _has_page(db: sqlite_utils.Database, url: str) -> bool:
    return (
        db.execute(
            "select 1 from pages where url = ? and state in ('fetched','not_modified')", [url]
        ).fetchone()
        is not None
    )
