"""The crawl: discovery pages -> article pages, each fetched, archived, parsed, extracted and stored.

State lives in the database, so a crawl can be killed at any point and re-run:

* `crawl_frontier` is the work queue: every URL the crawl means to visit (start points, listing pages,
  feeds, sitemaps, articles) with its state, pending or done. A re-run resumes the pending ones.
* `pages` is the seen-table: every URL's final state — fetched, not_modified, skipped (robots, type,
  size, duplicate, --since) or failed with a reason — plus its canonical URL, final URL after
  redirects, content hash (sha256 of the archived body), ETag and Last-Modified.

Order of work for one article: fetch -> archive (fsynced) -> parse/extract/store (one transaction) ->
`pages` row and frontier `done`. A process killed after archiving but before recording finds the
archived response on the next run and uses it instead of fetching again: nothing fetched is lost.

Incremental runs: start points are fetched again with a conditional GET (ETag / Last-Modified);
articles already fetched are not requested again unless a feed or sitemap reports a newer lastmod
(then conditionally: 304 -> not_modified). A response whose body hash is unchanged is not re-processed.
A listing page whose links are all known ends pagination. URLs that failed for a transient reason
(network, 429, 5xx) are retried on up to `retry_failed_runs` later runs.

Hosts are interleaved: while one host waits out its delay another is served, one request at a time.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import sqlite_utils

from pipeline.archive import Archive, Record
from pipeline.config import Settings, Site
from pipeline.fetch import RETRY_STATUSES, Fetcher, FetchResult, Interrupted, Job, State
from pipeline.parse import ParseError, canonical_link, decode_body, parse_tree
from pipeline.sources import (
    Link,
    canonicalize,
    kind_of,
    looks_like_article,
    netloc_of,
    pagination_urls,
    parse_links,
    site_for,
    unpack,
)

FRONTIER = "crawl_frontier"
DISCOVERY_KINDS = frozenset({"start", "listing", "feed", "sitemap"})
# States after which a URL is not requested again (unless a feed/sitemap reports a newer version).
DONE_STATES = frozenset({"fetched", "not_modified"})
MAX_CHILD_SITEMAPS = 20  # newest first, per sitemap index
ProgressFn = Callable[["CrawlSummary", str], None]


@dataclass
class CrawlSummary:
    fetched: int = 0
    not_modified: int = 0
    unchanged: int = 0  # fetched again, same content hash: not re-processed
    skipped: int = 0
    failed: int = 0
    seen: int = 0  # known from an earlier run: not requested
    articles: int = 0
    facts: int = 0
    requests: int = 0
    pending: int = 0  # left in the frontier (max-pages reached or interrupted)
    queued: int = 0  # still in this run's queues (for a progress bar)
    interrupted: bool = False
    skip_reasons: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def count(self, result: FetchResult) -> None:
        setattr(self, result.state, getattr(self, result.state) + 1)
        if result.state == "failed":
            self.failures.append((result.url, result.reason or ""))
        elif result.state == "skipped":
            self.skip_reasons[reason_code(result.reason)] += 1


def reason_code(reason: str | None) -> str:
    """A short code for a skip/failure reason: robots, type, size, duplicate, since, http, timeout,
    connection, redirect, parse, extract, robots-unavailable, slow, replay, other."""
    text = (reason or "").lower()
    for code, needles in (
        ("robots-unavailable", ("robots.txt unavailable",)),
        ("robots", ("robots.txt",)),
        ("type", ("content type", "document link")),
        ("size", ("size limit",)),
        ("duplicate", ("duplicate of",)),
        ("since", ("--since",)),
        ("parse", ("parse:",)),
        ("extract", ("extract:",)),
        ("redirect", ("redirect",)),
        ("timeout", ("timeout",)),
        ("connection", ("connection error",)),
        ("slow", ("too slow",)),
        ("replay", ("replay archive",)),
        ("http", ("http ", "retry-after")),
    ):
        if any(n in text for n in needles):
            return code
    return "other"


def is_transient(state: str | None, status: int | None, reason: str | None) -> bool:
    """A failure a later run may not see again: network trouble, 429, 5xx, an unreadable robots.txt."""
    if state != "failed":
        return False
    return reason_code(reason) in {"timeout", "connection", "slow", "robots-unavailable"} or (
        status is not None and (status == 429 or status >= 500)
    )


@dataclass
class Item:
    url: str
    kind: str
    site: Site | None
    lastmod: str | None = None
    found_on: str | None = None  # for listing pages: the start URL they paginate
    recheck: bool = False
    added_at: str = ""
    job: Job | None = None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    from pipeline.dates import parse_timestamp

    return parse_timestamp(value)


class Crawler:
    """One crawl run over a database, a fetcher and (optionally) the extraction stage."""

    def __init__(
        self,
        settings: Settings,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        *,
        since: date | None = None,
        max_pages: int | None = None,
        site: str | None = None,
        process: bool = True,
        fetch_articles: bool = True,
        progress: ProgressFn | None = None,
        summary: CrawlSummary | None = None,
    ) -> None:
        self.settings, self.db, self.fetcher = settings, db, fetcher
        self.since = since
        self.max_pages = settings.max_pages if max_pages is None else max_pages
        self.forced = settings.site(site) if site else None
        if site and self.forced is None:
            raise ValueError(f"no site named {site!r} in the registry")
        self.process = process
        self.fetch_articles = fetch_articles
        self.progress = progress
        self.summary = summary if summary is not None else CrawlSummary()
        self._forced_hosts: set[str] = set()
        self._queues: dict[str, tuple[deque[Item], deque[Item]]] = {}
        self._known: set[str] = set()  # every URL this run has queued, recorded or decided to leave
        self._in_queue: set[str] = set()
        self._fresh: set[str] = set()  # article URLs this run found that no earlier run had fetched
        self._pending_rows: list[dict[str, Any]] = []
        self._listing_pages: Counter[str] = Counter()
        self._article_starts = 0
        self.discovered: list[Link] = []
        ensure_tables(db)

    # -- sites ------------------------------------------------------------------------------------------
    def site_for(self, url: str) -> Site | None:
        if self.forced is not None and netloc_of(url) in self._forced_hosts:
            return self.forced
        return site_for(url, self.settings.sites)

    @property
    def archive(self) -> Archive:
        return self.fetcher.archive

    # -- the frontier -------------------------------------------------------------------------------------
    def seed(self, start_urls: Iterable[str]) -> None:
        """Queue the start points, the pending work of an interrupted run and transient failures."""
        starts = [canonicalize(u) for u in start_urls if u.strip()]
        if self.forced is not None:
            self._forced_hosts = {netloc_of(u) for u in starts} | {
                netloc_of(u) for u in self.forced.discovery_urls
            }
        for row in self.db.execute(
            f"select url, kind, site, lastmod, found_on, recheck, added_at from [{FRONTIER}] "
            "where state = 'pending' order by rowid"
        ).fetchall():
            url, kind, _site, lastmod, found_on, recheck, added_at = row
            if kind == "article" and not self.fetch_articles:
                continue
            self._enqueue(Item(url, kind, self.site_for(url), lastmod, found_on, bool(recheck), added_at))
        for url in starts:
            site = self.site_for(url)
            kind = "article" if looks_like_article(url, site) and not _is_feedish(url) else "start"
            self._queue(Item(url, kind, site, found_on=url, recheck=True), force=True)
        self._retry_transient()
        self._flush_new()

    def _retry_transient(self) -> None:
        rows = self.db.execute(
            f"select p.url, p.kind, p.state, p.status, p.reason, f.runs from pages p "
            f"left join [{FRONTIER}] f on f.url = p.url where p.state = 'failed'"
        ).fetchall()
        for url, kind, state, status, reason, runs in rows:
            if url in self._known or not is_transient(state, status, reason):
                continue
            if (runs or 0) >= self.settings.retry_failed_runs:
                continue
            kind = kind if kind in ("article", "sitemap", "feed", "listing") else "start"
            if kind == "article" and not self.fetch_articles:
                continue
            if self._queue(Item(url, kind, self.site_for(url), found_on=url, recheck=True), force=True):
                self._pending_rows[-1]["runs"] = (runs or 0) + 1

    def _queue(self, item: Item, *, force: bool = False) -> bool:
        """Add an item to this run's queues and to the persistent frontier (pending)."""
        if (item.url in self._known and not force) or item.url in self._in_queue:
            return False
        item.added_at = _now_iso()
        self._pending_rows.append(
            {
                "url": item.url,
                "kind": item.kind,
                "site": item.site.name if item.site else None,
                "lastmod": item.lastmod,
                "found_on": item.found_on,
                "recheck": int(item.recheck),
                "state": "pending",
                "added_at": item.added_at,
            }
        )
        self._enqueue(item)
        return True

    def _flush_new(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        if rows:
            self.db.table(FRONTIER).upsert_all(rows, pk="url", alter=True)

    def _enqueue(self, item: Item) -> None:
        self._known.add(item.url)
        if item.url in self._in_queue or (item.kind == "article" and not self.fetch_articles):
            return  # discovery-only runs leave articles pending in the frontier
        self._in_queue.add(item.url)
        disc, arts = self._queues.setdefault(netloc_of(item.url), (deque(), deque()))
        (arts if item.kind == "article" else disc).append(item)

    def _push_front(self, item: Item) -> None:
        assert item.job is not None
        self._push_back(item)

    def _push_back(self, item: Item) -> None:
        """Put an item back at the head of its host's queue (a redirect may have moved it to another)."""
        disc, arts = self._queues.setdefault(
            netloc_of(item.job.current if item.job else item.url), (deque(), deque())
        )
        (arts if item.kind == "article" else disc).appendleft(item)

    def _mark_done(self, url: str) -> None:
        self.db.execute(f"update [{FRONTIER}] set state = 'done' where url = ?", [url])

    # -- the loop -------------------------------------------------------------------------------------------
    def _next(self) -> Item | None:
        """The head item of the host that may be asked soonest (discovery before articles)."""
        best: tuple[float, str] | None = None
        for host, (disc, arts) in self._queues.items():
            if not disc and not (arts and self._article_budget_left()):
                continue
            head = disc[0] if disc else arts[0]
            ready = self.fetcher.ready_at(head.job.current if head.job else head.url)
            if best is None or ready < best[0]:
                best = (ready, host)
        if best is None:
            return None
        disc, arts = self._queues[best[1]]
        return disc.popleft() if disc else arts.popleft()

    def _article_budget_left(self) -> bool:
        return self._article_starts < self.max_pages

    def run(self) -> CrawlSummary:
        """Work until the queues are empty, the article budget is spent or the crawl is interrupted."""
        try:
            while (item := self._next()) is not None:
                if self.fetcher.stop.is_set():
                    self._push_back(item)
                    raise Interrupted
                self._step(item)
        except Interrupted:
            self.summary.interrupted = True
        finally:
            self._flush_new()
            self.summary.requests = self.fetcher.requests
            self.summary.pending = self.db.execute(
                f"select count(*) from [{FRONTIER}] where state = 'pending'"
            ).fetchone()[0]
        return self.summary

    def _step(self, item: Item) -> None:
        if item.job is None:
            if item.kind == "article":
                resumed = self._from_archive(item)
                if resumed is not None:
                    self._finish(item, resumed)
                    return
                self._article_starts += 1
            item.job = self._job(item)
        try:
            result = self.fetcher.step(item.job)
        except Interrupted:
            self._push_front(item)
            raise
        if result is None:
            self._push_front(item)
            return
        self._finish(item, result)

    def _job(self, item: Item) -> Job:
        etag = last_modified = None
        if item.recheck:
            row = self._page(item.url)
            if row and row.get("state") in DONE_STATES:
                etag, last_modified = row.get("etag"), row.get("last_modified")
        return Job(item.url, etag, last_modified)

    def _from_archive(self, item: Item) -> FetchResult | None:
        """A response archived for this item by a run that was killed before recording it."""
        rec = self.archive.latest(item.url)
        if rec is None or rec.url != item.url or not item.added_at or rec.fetched_at < item.added_at:
            return None
        if rec.status in RETRY_STATUSES:
            return None  # a 429/5xx the killed run was still retrying: not its final answer, ask again
        if not self.archive.has(rec.sha256):
            return None
        state: State = "fetched" if 200 <= rec.status < 300 else "failed"
        return FetchResult(
            item.url,
            state,
            rec.status,
            None if state == "fetched" else f"HTTP {rec.status}",
            rec.final_url,
            rec,
            # The killed run made these requests (its hops and the answer); recording 0 made a resumed
            # page differ from the same page fetched without a kill.
            len(rec.redirects) + 1,
        )

    def _finish(self, item: Item, result: FetchResult) -> None:
        self._in_queue.discard(item.url)
        self.summary.queued = len(self._in_queue)
        try:
            with self.db.conn:
                if item.kind in DISCOVERY_KINDS:
                    self._discovery_done(item, result)
                else:
                    self._article_done(item, result)
                self._flush_new()
                self._mark_done(item.url)
        except sqlite3.Error:
            raise  # the database itself failing (disk full, locked) ends the run: nothing could be recorded
        except Exception as exc:  # a bug in handling one page must not stop the crawl
            reason = f"internal error: {type(exc).__name__}: {exc}"
            failed = FetchResult(item.url, "failed", result.status, reason, result.final_url, result.record)
            with self.db.conn:
                self._write(self._row(item, failed), failed)
                self._flush_new()
                self._mark_done(item.url)
        if self.progress:
            self.progress(self.summary, item.url)

    # -- discovery pages ---------------------------------------------------------------------------------
    def _discovery_done(self, item: Item, result: FetchResult) -> None:
        row = self._row(item, result)
        self._keep_validators(row, result)
        if result.state == "fetched" and result.record is not None:
            rec = result.record
            body = unpack(self.archive.body(rec.sha256))
            text = decode_body(body, rec.content_type)
            kind = kind_of(text, rec.content_type)
            row["kind"] = {"html": "listing"}.get(kind, kind)
            base = result.final_url or item.url
            links = parse_links(text, base, item.site, rec.content_type)
            self._offer_all(item, links)
        self._write(row, result)

    def _offer_all(self, parent: Item, links: list[Link]) -> None:
        sitemaps = [link for link in links if link.kind == "sitemap"]
        sitemaps.sort(key=lambda lk: _when(lk.lastmod) or datetime.min.replace(tzinfo=UTC), reverse=True)
        for link in sitemaps[:MAX_CHILD_SITEMAPS]:
            self._offer_sitemap(link)
        fresh = 0
        for link in links:
            if link.kind == "article":
                fresh += self._offer_article(link)
            elif link.kind == "document":
                self._record_document(link)
        if fresh == 0:
            return  # every story on this page was fetched before: older pages hold nothing new either
        root = parent.found_on or parent.url
        limit = parent.site.max_listing_pages if parent.site else Site("generic").max_listing_pages
        listings = sorted((lk for lk in links if lk.kind == "listing"), key=lambda lk: lk.title != "next")
        following = [lk.url for lk in listings] + pagination_urls(root, parent.site, limit)
        for url in following:
            if url in self._known or url == root:
                continue
            if self._listing_pages[root] + 1 < limit:
                self._listing_pages[root] += 1
                self._queue(Item(url, "listing", self.site_for(url), found_on=root, recheck=True))
            break  # one page further per page: pagination stops where the news we know begins

    def _offer_article(self, link: Link) -> int:
        """Queue an article link unless an earlier run fetched it; returns 1 when it is news to the
        seen-table (queued now or earlier in this run), else 0."""
        url = link.url
        if url in self._known:
            return int(url in self._fresh)
        if self._older(link.lastmod):
            self._record_skip(url, link, f"older than --since {self.since} (lastmod {link.lastmod})")
            return 0
        row = self._page(url)
        recheck = False
        if row is not None:
            state = row.get("state")
            if state in DONE_STATES or (state in ("failed", "skipped") and not self._retryable(row)):
                fetched, lastmod = _when(row.get("fetched_at")), _when(link.lastmod)
                if not (fetched and lastmod and lastmod > fetched and state in DONE_STATES):
                    self.summary.seen += 1
                    self._known.add(url)
                    return 0
                recheck = True  # a feed or sitemap says the story changed since we fetched it
        else:
            owner = self._owner_of(url, exclude=url)
            if owner is not None:
                self._record_skip(url, link, f"duplicate of {owner}")
                return 0
        self._fresh.add(url)
        self.discovered.append(link)
        self._queue(Item(url, "article", self.site_for(url), link.lastmod, link.found_on, recheck))
        return 1

    def _retryable(self, row: dict[str, Any]) -> bool:
        if row.get("state") == "skipped":
            return reason_code(row.get("reason")) in ("robots", "since")
        return False  # transient failures are re-queued at seed time, a bounded number of runs

    def _offer_sitemap(self, link: Link) -> None:
        if link.url in self._known:
            return
        if self._older(link.lastmod):
            self._record_skip(link.url, link, f"older than --since {self.since} (lastmod {link.lastmod})")
            return
        row = self._page(link.url)
        if row is not None and row.get("state") in DONE_STATES:
            fetched, lastmod = _when(row.get("fetched_at")), _when(link.lastmod)
            if fetched and (lastmod is None or lastmod <= fetched):
                self._known.add(link.url)
                return
        self._queue(Item(link.url, "sitemap", self.site_for(link.url), link.lastmod, link.url, recheck=True))

    def _older(self, lastmod: str | None) -> bool:
        stamp = _when(lastmod) if self.since else None
        return stamp is not None and self.since is not None and stamp.date() < self.since

    def _record_skip(self, url: str, link: Link, reason: str) -> None:
        self._known.add(url)
        row = self._page(url)
        if row is not None and row.get("state") in DONE_STATES:
            return
        site = self.site_for(url)
        self.summary.skipped += 1
        self.summary.skip_reasons[reason_code(reason)] += 1
        self.db.table("pages").upsert(
            {
                "url": url,
                "site": site.name if site else None,
                "state": "skipped",
                "reason": reason,
                "kind": link.kind,
            },
            pk="url",
            alter=True,
        )
        self._mark_done(url)

    def _record_document(self, link: Link) -> None:
        if link.url in self._known:
            return
        if self._page(link.url) is not None:
            self._known.add(link.url)
            return
        self._record_skip(
            link.url,
            link,
            f"document link (.{link.url.rsplit('.', 1)[-1].lower()}) is not HTML, XML or a feed",
        )

    # -- article pages ----------------------------------------------------------------------------------------
    def _article_done(self, item: Item, result: FetchResult) -> None:
        previous = self._page(item.url)
        row = self._row(item, result)
        self._keep_validators(row, result)
        if result.state == "fetched" and result.record is not None:
            rec = result.record
            body = self.archive.body(rec.sha256)
            canon = _canonical_of(body, rec, result.final_url or item.url)
            row["canonical_url"] = canon
            owner = self._duplicate_owner(
                item.url, canonicalize(result.final_url or item.url), canon, rec.sha256
            )
            if owner is not None:
                row.update(state="skipped", reason=f"duplicate of {owner}")
                result = FetchResult(
                    item.url, "skipped", result.status, row["reason"], result.final_url, rec, result.attempts
                )
            elif (
                previous is not None
                and previous.get("state") in DONE_STATES
                and previous.get("sha256") == rec.sha256
                and self.process
            ):
                self.summary.unchanged += 1  # same bytes as last time: the stored article stands
            elif self.process:
                state, reason = self._process(item, rec, body)
                row.update(state=state, reason=reason)
                result = FetchResult(
                    item.url, state, result.status, reason, result.final_url, rec, result.attempts
                )
        self._write(row, result)

    def _process(self, item: Item, rec: Record, body: bytes) -> tuple[State, str | None]:
        """Parse -> extract -> store one archived page: ("fetched", None) or the state and reason."""
        from extractors import extract
        from pipeline.api import load_archived_article, store_result

        site = item.site.name if item.site else None
        try:
            article = load_archived_article(
                body,
                url=rec.url,
                final_url=rec.final_url,
                sha256=rec.sha256,
                site=site,
                content_type=rec.content_type,
                fetched_at=rec.fetched_at,
            )
            if self.since and article.published and article.published.date() < self.since:
                return "skipped", f"published {article.published.date()} before --since {self.since}"
            result = extract(article)
        except ParseError as exc:
            return "failed", f"parse: {exc}"
        except Exception as exc:  # an extractor bug must not stop the crawl; the page is archived
            return "failed", f"extract: {type(exc).__name__}: {exc}"
        store_result(self.db, result)
        self.summary.articles += 1
        self.summary.facts += len(result.facts)
        return "fetched", None

    def _duplicate_owner(self, url: str, final: str, canon: str | None, sha: str) -> str | None:
        for alias in dict.fromkeys(a for a in (final, canon) if a and a != url):
            owner = self._owner_of(alias, exclude=url)
            if owner is not None:
                return owner
        hit = self.db.execute(
            "select url from pages where sha256 = ? and url != ? and state in ('fetched', 'not_modified') "
            "and kind = 'article' limit 1",
            [sha, url],
        ).fetchone()
        return hit[0] if hit else None

    def _owner_of(self, alias: str, *, exclude: str) -> str | None:
        """The article page already stored under `alias` (as its URL, final URL or canonical URL)."""
        hit = self.db.execute(
            "select url from pages where (url = ? or final_url = ? or canonical_url = ?) and url != ? "
            "and state in ('fetched', 'not_modified') and (kind = 'article' or kind is null) limit 1",
            [alias, alias, alias, exclude],
        ).fetchone()
        return hit[0] if hit else None

    # -- rows ---------------------------------------------------------------------------------------------------
    def _keep_validators(self, row: dict[str, Any], result: FetchResult) -> None:
        """A 304 keeps what the last full response recorded (hash, validators, time, kind)."""
        previous = self._page(row["url"]) if result.state == "not_modified" else None
        if previous is None:
            return
        for key in ("fetched_at", "sha256", "content_type", "etag", "last_modified", "canonical_url", "kind"):
            if previous.get(key) is not None:
                row[key] = previous[key]

    def _row(self, item: Item, result: FetchResult) -> dict[str, Any]:
        rec = result.record
        return {
            "url": item.url,
            "site": item.site.name if item.site else None,
            "state": result.state,
            "status": result.status,
            "reason": result.reason,
            "fetched_at": rec.fetched_at if rec else None,
            "final_url": canonicalize(result.final_url) if result.final_url else None,
            "sha256": rec.sha256 if rec else None,
            "content_type": rec.content_type if rec else None,
            "etag": rec.headers.get("etag") if rec else None,
            "last_modified": rec.headers.get("last-modified") if rec else None,
            "kind": item.kind,
            "canonical_url": None,
            "attempts": result.attempts,
        }

    def _write(self, row: dict[str, Any], result: FetchResult) -> None:
        self.summary.count(
            FetchResult(row["url"], row["state"], row.get("status"), row.get("reason"), result.final_url)
        )
        self.db.table("pages").upsert(row, pk="url", alter=True)

    def _page(self, url: str) -> dict[str, Any] | None:
        cur = self.db.execute("select * from pages where url = ?", [url])
        hit = cur.fetchone()
        if hit is None:
            return None
        return dict(zip([d[0] for d in cur.description], hit, strict=True))


def _is_feedish(url: str) -> bool:
    low = url.lower()
    return any(k in low for k in ("rss", "feed", "sitemap", ".xml", "atom"))


def _canonical_of(body: bytes, rec: Record, base: str) -> str | None:
    """<link rel=canonical> of an archived HTML page (canonicalised), or None."""
    if "html" not in rec.content_type.lower() and rec.content_type:
        return None
    try:
        tree = parse_tree(decode_body(body[:400_000], rec.content_type))
    except ParseError:
        return None
    found = canonical_link(tree, base)
    return canonicalize(found) if found and found.startswith(("http://", "https://")) else None


def ensure_tables(db: sqlite_utils.Database) -> None:
    """The crawl's work queue (the `pages` seen-table is part of the store's schema)."""
    db.table(FRONTIER).create(
        {
            "url": str,
            "kind": str,
            "site": str,
            "lastmod": str,
            "found_on": str,
            "recheck": int,
            "state": str,
            "runs": int,
            "added_at": str,
        },
        pk="url",
        if_not_exists=True,
    )
    db.table(FRONTIER).create_index(["state"], if_not_exists=True)
    pages = db.table("pages")
    if pages.exists():
        have = {c.name for c in pages.columns}
        for column, kind in (("kind", str), ("canonical_url", str), ("attempts", int)):
            if column not in have:
                pages.add_column(column, kind)
        for cols in (["final_url"], ["canonical_url"], ["sha256"]):
            pages.create_index(cols, if_not_exists=True)


# ---------------------------------------------------------------------------------------------------- API
def crawl(
    settings: Settings,
    start_urls: list[str],
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    *,
    since: date | None = None,
    max_pages: int | None = None,
    site: str | None = None,
    progress: ProgressFn | None = None,
) -> CrawlSummary:
    """Discover, then fetch -> archive -> parse -> extract -> store one article at a time, so a killed
    crawl loses nothing it finished and a re-run picks up the rest. With `site`, the start URLs are
    crawled with that registry entry's patterns and parser whatever their host."""
    crawler = Crawler(settings, db, fetcher, since=since, max_pages=max_pages, site=site, progress=progress)
    crawler.seed(start_urls)
    return crawler.run()


def discover(
    settings: Settings,
    start_urls: list[str],
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    *,
    since: date | None = None,
    summary: CrawlSummary | None = None,
) -> list[Link]:
    """Fetch the start points (listings, feeds, sitemaps) and what they lead to; return the article
    links that are new or due for a re-check (they are queued in the frontier, not fetched)."""
    crawler = Crawler(settings, db, fetcher, since=since, fetch_articles=False, summary=summary)
    crawler.seed(start_urls)
    crawler.run()
    return crawler.discovered


def fetch_article(
    settings: Settings,
    link: Link,
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    summary: CrawlSummary,
    seen_final: set[str] | None = None,
) -> FetchResult:
    """Fetch one article page (conditionally, when it was fetched before) and record its state; the
    caller parses it (the Dagster `articles` asset). Duplicates are recorded as skipped."""
    crawler = Crawler(settings, db, fetcher, process=False, summary=summary)
    url = canonicalize(link.url)
    previous = crawler._page(url)
    if previous is not None and previous.get("state") in DONE_STATES and not link.lastmod:
        summary.seen += 1
        return FetchResult(url, "seen", previous.get("status"), None, previous.get("final_url"))
    item = Item(
        url, "article", crawler.site_for(url), link.lastmod, link.found_on, recheck=previous is not None
    )
    item.job = crawler._job(item)
    result = fetcher.fetch(url, etag=item.job.etag, last_modified=item.job.last_modified)
    with db.conn:
        crawler._article_done(item, result)
        crawler._mark_done(url)
    row = crawler._page(url) or {}
    if seen_final is not None and result.final_url:
        seen_final.add(canonicalize(result.final_url))
    state: State = row.get("state") or result.state
    if state != result.state:
        return FetchResult(
            url,
            state,
            result.status,
            row.get("reason"),
            result.final_url,
            result.record,
            result.attempts,
        )
    return result


def reextract(
    settings: Settings,
    db: sqlite_utils.Database,
    archive: Archive,
    *,
    progress: ProgressFn | None = None,
) -> CrawlSummary:
    """Parse, extract and store again every archived article page, without fetching anything.

    Pages come from the `pages` table (state fetched, or failed in parsing/extraction). A database
    without pages rows is filled from the archive: the latest response per URL that looks like an
    article, pages that name themselves canonical first, so that a print version or a redirect target
    of a story already stored is recorded as its duplicate.
    """
    ensure_tables(db)
    summary = CrawlSummary()
    with Fetcher(settings, archive, transport=_NoNetwork()) as fetcher:
        crawler = Crawler(settings, db, fetcher, summary=summary)
        latest = archive.latest_by_url()
        known = db.execute(
            "select url, site, sha256 from pages where sha256 is not null and (kind = 'article' or kind is null) "
            "and (state = 'fetched' or reason like 'parse:%' or reason like 'extract:%') order by url"
        ).fetchall()
        resume_rebuild = _rebuild_unfinished(db)
        if (known or db.execute("select 1 from pages limit 1").fetchone()) and not resume_rebuild:
            for url, site_name, sha in known:
                site = settings.site(site_name) if site_name else crawler.site_for(url)
                rec = latest.get(url)
                if rec is None or rec.sha256 != sha:
                    rec = Record(url, url, 200, sha, 0, _now_iso(), {})
                state, reason = _reprocess(crawler, url, site, rec)
                if state is not None:
                    with db.conn:
                        db.table("pages").update(url, {"state": state, "reason": reason})
                _count(summary, url, state, reason, progress)
        else:
            _mark_rebuild(db, running=True)
            for url, rec, site in _archived_articles(crawler, latest):
                final = canonicalize(rec.final_url or url)
                canon = (
                    _canonical_of(archive.body(rec.sha256), rec, rec.final_url or url)
                    if archive.has(rec.sha256)
                    else None
                )
                owner = crawler._duplicate_owner(url, final, canon, rec.sha256)
                if owner is not None:
                    state, reason = "skipped", f"duplicate of {owner}"
                else:
                    state, reason = _reprocess(crawler, url, site, rec)
                with db.conn:
                    db.table("pages").upsert(
                        {
                            **crawler._row(
                                Item(url, "article", site),
                                FetchResult(url, state or "failed", rec.status, reason, rec.final_url, rec),
                            ),
                            "canonical_url": canon,
                        },
                        pk="url",
                        alter=True,
                    )
                _count(summary, url, state, reason, progress)
            _mark_rebuild(db, running=False)
    return summary


# A `meta` key present while reextract rebuilds `pages` from the archive. A rebuild killed halfway has
# left some pages rows; without the mark its rerun took them for a crawled database and re-extracted only
# those, never adding the rest of the archive.
REBUILD_MARK = "reextract_rebuild"


def _rebuild_unfinished(db: sqlite_utils.Database) -> bool:
    return bool(
        db.table("meta").exists()
        and db.execute("select 1 from meta where key = ?", [REBUILD_MARK]).fetchone()
    )


def _mark_rebuild(db: sqlite_utils.Database, *, running: bool) -> None:
    if not db.table("meta").exists():
        return
    with db.conn:
        if running:
            db.execute("insert or replace into meta(key, value) values (?, 'running')", [REBUILD_MARK])
        else:
            db.execute("delete from meta where key = ?", [REBUILD_MARK])


def _archived_articles(crawler: Crawler, latest: dict[str, Record]) -> list[tuple[str, Record, Site | None]]:
    out = []
    for url, rec in latest.items():
        site = crawler.site_for(url)
        html = "html" in (rec.content_type or "text/html").lower()
        if 200 <= rec.status < 300 and html and looks_like_article(url, site):
            canon = (
                _canonical_of(crawler.archive.body(rec.sha256), rec, rec.final_url or url)
                if crawler.archive.has(rec.sha256)
                else None
            )
            out.append((canon not in (None, canonicalize(url)), url, rec, site))
    return [(url, rec, site) for _, url, rec, site in sorted(out, key=lambda t: (t[0], t[1]))]


def _reprocess(crawler: Crawler, url: str, site: Site | None, rec: Record) -> tuple[State | None, str | None]:
    if not crawler.archive.has(rec.sha256):
        return None, "archived body missing"
    return crawler._process(Item(url, "article", site), rec, crawler.archive.body(rec.sha256))


def _count(
    summary: CrawlSummary, url: str, state: State | None, reason: str | None, progress: ProgressFn | None
) -> None:
    summary.count(FetchResult(url, state or "failed", None, reason))
    if progress:
        progress(summary, url)


class _NoNetwork(httpx.BaseTransport):
    """A transport that refuses every request: re-extraction never fetches."""

    offline = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("vaxnews reextract does not fetch")
