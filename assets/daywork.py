"""The work of one (day, site) partition, as plain functions the partitioned assets call.

The fan-out steps (discover, fetch, parse, extract) never write the SQLite database. Each one runs the
pipeline's crawl functions against a `Snapshot`: an in-memory copy of the database's `pages` table
(what the crawl reads to resume, skip known pages and spot duplicates). The page states the step
changes are handed on, with its articles and facts, to the single writer (`vaxnews_db`).

A page belongs to a partition when its article was published that day (IST), or, without a
publication time, when it was fetched that day (the fetch-day bucket). A page whose article belongs to
another day is fetched and archived but its state is *not* handed on: for the crawl it stays new, so
the partition of its own day fetches (or re-reads) it and stores its article.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlite_utils

from assets.partitions import article_day, ist_day
from assets.resources import DatabaseResource
from extractors import ExtractionResult
from pipeline import store
from pipeline.archive import Archive, Record
from pipeline.article import Article
from pipeline.sources import Link

PageRow = dict[str, Any]


@dataclass
class Discovery:
    """Article links to fetch for one (day, site), and the states of the discovery pages."""

    day: str
    site: str
    links: list[Link] = field(default_factory=list)
    page_rows: list[PageRow] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True)
class PageRef:
    """An archived article page; its body is in the archive under `sha256`."""

    url: str
    final_url: str
    sha256: str
    fetched_at: str | None
    content_type: str | None
    site: str
    state: str


@dataclass
class Pages:
    day: str
    site: str
    pages: list[PageRef] = field(default_factory=list)
    page_rows: list[PageRow] = field(default_factory=list)


@dataclass
class DayArticles:
    day: str
    site: str
    articles: list[Article] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the page URL of each article
    page_rows: list[PageRow] = field(default_factory=list)
    other_days: int = 0
    bucketed: int = 0
    parse_failures: int = 0


@dataclass
class DayFacts:
    """What the writer stores for one partition: page states, then one extraction result per article."""

    day: str
    site: str
    results: list[ExtractionResult] = field(default_factory=list)
    page_rows: list[PageRow] = field(default_factory=list)
    extract_failures: int = 0


# -- the database, read-only -----------------------------------------------------------------------------
def _rows(conn: sqlite3.Connection, sql: str, params: list[Any] | None = None) -> list[PageRow]:
    cur = conn.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _meaningful(row: PageRow) -> PageRow:
    return {k: v for k, v in row.items() if v is not None}


class Snapshot:
    """An in-memory copy of the database's page states (empty while there is no database).

    The crawl functions read and write it as they would the real database; `changed()` lists the rows
    they added or altered, for the writer."""

    def __init__(self, database: DatabaseResource) -> None:
        self.db = sqlite_utils.Database(memory=True)
        store.migrate(self.db)
        with database.reader() as conn:
            rows = _rows(conn, "select * from pages") if conn is not None else []
        if rows:
            self.db.table("pages").upsert_all(rows, pk="url", alter=True)
        self.before = {r["url"]: _meaningful(r) for r in rows}

    def row(self, url: str) -> PageRow | None:
        return next(iter(self.db.table("pages").rows_where("url = ?", [url])), None)

    def changed(self) -> list[PageRow]:
        return [r for r in self.db.table("pages").rows if self.before.get(r["url"]) != _meaningful(r)]


def known_days(database: DatabaseResource, site: str) -> dict[str, date]:
    """URL -> partition day for every page of `site` whose article is stored."""
    with database.reader() as conn:
        if conn is None:
            return {}
        rows = conn.execute(
            "select p.url, a.published, p.fetched_at from pages p join articles a on a.page_sha256 = p.sha256"
            " where p.site = ?",
            [site],
        ).fetchall()
    out: dict[str, date] = {}
    for url, published, fetched_at in rows:
        day = article_day(datetime.fromisoformat(published) if published else None, fetched_at)[0]
        if day is not None:
            out[url] = day
    return out


# -- choosing links -----------------------------------------------------------------------------------------
def lastmod_day(value: str | None) -> date | None:
    """The IST day of a feed/sitemap date (RFC 822, ISO 8601 …), or None."""
    if not value:
        return None
    from pipeline.dates import parse_timestamp

    stamp = parse_timestamp(value)
    return ist_day(stamp) if stamp is not None else None


def select_links(
    links: list[Link], day: date, known: dict[str, date], max_pages: int
) -> tuple[list[Link], Counter[str]]:
    """The links partition `day` fetches: discovered links not known to belong to another day and not
    last modified before `day` (an article cannot be published after its last change), plus the stored
    pages of `day` that discovery no longer shows: a re-run of an old day re-reads them."""
    why: Counter[str] = Counter()
    kept: list[Link] = []
    for link in links:
        known_day = known.get(link.url)
        modified = lastmod_day(link.lastmod)
        if known_day is not None and known_day != day:
            why["known_other_day"] += 1
        elif known_day is None and modified is not None and modified < day:
            why["modified_before_day"] += 1
        else:
            kept.append(link)
    found = {link.url for link in links}
    for url in sorted(u for u, d in known.items() if d == day and u not in found):
        kept.append(Link(url, "article"))
        why["stored_for_day"] += 1
    if len(kept) > max_pages:
        why["over_max_pages"] += len(kept) - max_pages
        kept = kept[:max_pages]
    return kept, why


# -- pages and articles ------------------------------------------------------------------------------------
ARCHIVED_STATES = ("fetched", "not_modified", "seen")


def page_ref(
    url: str, state: str, record: Record | None, row: PageRow | None, site: str, archive: Archive
) -> PageRef | None:
    """The archived copy to parse for a fetch outcome: the new record when fetched, else (unchanged, or
    known from an earlier run) the archived response the `pages` row points at."""
    if state not in ARCHIVED_STATES:
        return None
    if record is None or state != "fetched":
        sha = (row or {}).get("sha256")
        latest = archive.latest(url)
        if latest is not None and latest.sha256 == sha:
            record = latest
        elif sha and archive.has(sha):
            final = (row or {}).get("final_url") or url
            return PageRef(
                url, final, sha, (row or {}).get("fetched_at"), (row or {}).get("content_type"), site, state
            )
        else:
            return None
    return PageRef(
        url, record.final_url or url, record.sha256, record.fetched_at, record.content_type, site, state
    )


def parse_page(archive: Archive, page: PageRef) -> Article:
    """Archived page -> Article, exactly as the crawl parses it. Raises ParseError."""
    from pipeline.api import load_archived_article

    return load_archived_article(
        archive.body(page.sha256),
        url=page.url,
        final_url=page.final_url,
        sha256=page.sha256,
        site=page.site,
        content_type=page.content_type,
        fetched_at=page.fetched_at,
    )


def belongs(article: Article, page: PageRef, day: date) -> tuple[bool, bool]:
    """(the article belongs to `day`, it was put there by the fetch-day bucket)."""
    article_date, bucketed = article_day(article.published, page.fetched_at)
    return article_date == day, bucketed


def hand_on(rows: list[PageRow], *, drop: set[str], updates: dict[str, dict[str, Any]]) -> list[PageRow]:
    """Page rows for the writer: without the pages of other days, with state changes applied."""
    out = []
    for row in rows:
        if row["url"] in drop:
            continue
        out.append({**row, **updates.get(row["url"], {})})
    have = {r["url"] for r in out}
    out += [{"url": url, **change} for url, change in updates.items() if url not in have and url not in drop]
    return out
