"""The vaxnews asset graph, each asset a thin wrapper over the pipeline API.

    discovered_urls -> raw_pages -> articles -> facts -> vaxnews_db ─┐
                                               official_figures ──┼─> verifications -> report
                                                   text_reports ──┘

The first five are partitioned by (publication day in IST, site) (assets/partitions.py); the rest are
whole-database assets. Only the writer assets (`vaxnews_db`, `official_figures`, `text_reports`,
`verifications`, pool `vaxnews_sqlite`) open the SQLite database for writing; the fan-out assets keep
their page states in an in-memory scratch database and hand them on, so any number of partitions can
fetch, parse and extract at once while one writer step at a time writes (docs/dagster.md).
"""

import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    MetadataValue,
    Output,
    RetryPolicy,
    RetryRequested,
    asset,
)

from assets.daywork import (
    DayArticles,
    DayFacts,
    Discovery,
    Pages,
    Snapshot,
    belongs,
    hand_on,
    known_days,
    page_ref,
    parse_page,
    select_links,
)
from assets.partitions import site_days, split_key
from assets.quality import dates_after_publication, implausible_doses, issues_table, quote_mismatches
from assets.resources import ArchiveResource, DatabaseResource, FetcherResource, VaxnewsSettings
from extractors import ExtractionResult, extract
from pipeline import api, store
from pipeline.config import Site
from pipeline.crawl import CrawlSummary, discover, fetch_article
from pipeline.parse import ParseError

WRITER_POOL = "vaxnews_sqlite"
# Unexpected errors in the network-facing steps are retried with exponential backoff and jitter; a
# whole site being unreachable is retried by the assets themselves with the fetcher resource's budget
# (RetryRequested), so the wait follows the politeness settings of the environment.
NETWORK_RETRY = RetryPolicy(max_retries=3, delay=10, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
PARTITIONED = "vaxnews_daily"


def site_host(site: Site) -> str:
    return (site.host_names or (site.name,))[0] or site.name


def _site_down(context: AssetExecutionContext, fetcher: FetcherResource, what: str) -> None:
    attempts = max(1, fetcher.site_attempts)
    if context.retry_number + 1 < attempts:
        wait = fetcher.backoff(context.retry_number)
        context.log.warning(f"{what}; retrying in {wait:.1f} s")
        raise RetryRequested(max_retries=attempts - 1, seconds_to_wait=wait)
    raise Failure(description=f"{what} ({attempts} attempt(s))", allow_retries=False)


# -- partitioned assets (fan out) ---------------------------------------------------------------------
@asset(
    partitions_def=site_days,
    retry_policy=NETWORK_RETRY,
    kinds={"python"},
    group_name="vaxnews",
    description="Article links of one site from its listing pages, feeds and sitemaps, narrowed to the "
    "partition's day (links known to belong to another day are left to that day).",
)
def discovered_urls(
    context: AssetExecutionContext,
    settings: VaxnewsSettings,
    fetcher: FetcherResource,
    archive: ArchiveResource,
    database: DatabaseResource,
) -> Output[Discovery]:
    day, site_name = split_key(context.partition_key)
    s = settings.load()
    out = Discovery(str(day), site_name)
    site = s.site(site_name)
    starts = [u for u in site.discovery_urls if fetcher.covers(s, u)] if site else []
    if site is None:
        out.note = f"site {site_name!r} is not in the settings' site registry"
    elif not starts:
        out.note = f"no discovery page of {site_name!r} is in the replay recording"
    else:
        snap, summary = Snapshot(database), CrawlSummary()
        with archive.host_lock(site_host(site)), fetcher.open(s, archive) as f:
            links = discover(s, starts, snap.db, f, summary=summary)
        out.page_rows = snap.changed()
        if summary.failed and not (summary.fetched or summary.not_modified):
            _site_down(context, fetcher, f"all {summary.failed} discovery pages of {site_name} failed")
        out.links, why = select_links(links, day, known_days(database, site_name), s.max_pages)
        context.add_output_metadata(
            {
                "discovery_pages_fetched": summary.fetched,
                "discovery_pages_failed": summary.failed,
                "links_found": len(links),
                **{f"links_{k}": v for k, v in sorted(why.items())},
            }
        )
    return Output(out, metadata={"links_to_fetch": len(out.links), "note": out.note or ""})


@asset(
    partitions_def=site_days,
    retry_policy=NETWORK_RETRY,
    kinds={"python"},
    group_name="vaxnews",
    description="The partition's article pages fetched (conditionally when seen before) and archived, "
    "content-addressed; every URL ends in a recorded state.",
)
def raw_pages(
    context: AssetExecutionContext,
    discovered_urls: Discovery,
    settings: VaxnewsSettings,
    fetcher: FetcherResource,
    archive: ArchiveResource,
    database: DatabaseResource,
) -> Output[Pages]:
    s = settings.load()
    out = Pages(discovered_urls.day, discovered_urls.site, page_rows=list(discovered_urls.page_rows))
    links = discovered_urls.links
    site = s.site(discovered_urls.site)
    summary = CrawlSummary()
    if links and site is not None:
        snap = Snapshot(database)
        seen_final: set[str] = set()
        with archive.host_lock(site_host(site)), fetcher.open(s, archive) as f:
            for link in links:
                result = fetch_article(s, link, snap.db, f, summary, seen_final)
                ref = page_ref(
                    result.url, result.state, result.record, snap.row(result.url), site.name, f.archive
                )
                if ref is not None:
                    out.pages.append(ref)
        out.page_rows += snap.changed()
        if summary.failed == len(links) and len(links) >= 3:
            _site_down(context, fetcher, f"all {len(links)} article pages of {site.name} failed")
    failures = "\n".join(f"- {url}: {reason}" for url, reason in summary.failures[:20])
    return Output(
        out,
        metadata={
            "pages_fetched": summary.fetched,
            "pages_not_modified": summary.not_modified,
            "pages_known": summary.seen,
            "pages_skipped": summary.skipped,
            "pages_failed": summary.failed,
            "failures": MetadataValue.md(failures or "none"),
        },
    )


@asset(
    partitions_def=site_days,
    kinds={"python"},
    group_name="vaxnews",
    description="Pages parsed into Articles; kept when published on the partition's day (IST). Pages "
    "without a publication time go to the day they were fetched (the fetch-day bucket); unparseable "
    "pages are recorded as failed with the reason.",
)
def articles(raw_pages: Pages, archive: ArchiveResource) -> Output[DayArticles]:
    day = date.fromisoformat(raw_pages.day)
    out = DayArticles(raw_pages.day, raw_pages.site)
    arch = archive.open()
    other: set[str] = set()
    updates: dict[str, dict[str, Any]] = {}
    for page in raw_pages.pages:
        try:
            article = parse_page(arch, page)
        except ParseError as exc:
            updates[page.url] = {"state": "failed", "reason": f"parse: {exc}"}
            out.parse_failures += 1
            continue
        mine, bucketed = belongs(article, page, day)
        if not mine:
            other.add(page.url)
            continue
        out.bucketed += bucketed
        out.articles.append(article)
        out.sources.append(page.url)
    out.other_days = len(other)
    out.page_rows = hand_on(raw_pages.page_rows, drop=other, updates=updates)
    return Output(
        out,
        metadata={
            "articles": len(out.articles),
            "articles_of_other_days": out.other_days,
            "fetch_day_bucket": out.bucketed,
            "parse_failures": out.parse_failures,
            "titles": MetadataValue.md("\n".join(f"- {a.title}" for a in out.articles) or "none"),
        },
    )


FACT_CHECKS = [
    AssetCheckSpec(
        "evidence_quotes_match_text",
        asset="facts",
        blocking=True,
        description="Every fact's quote is text[start:end] of its article and lies inside its sentence; "
        "blocking, so no fact with broken evidence reaches the database.",
    ),
    AssetCheckSpec(
        "dose_counts_within_bounds",
        asset="facts",
        description="No dose count above the sane bound for its scope and measure (assets/data/checks.toml).",
    ),
    AssetCheckSpec(
        "no_event_date_after_publication",
        asset="facts",
        description="No event date (article or fact) later than the article's publication day.",
    ),
]


def _preview(results: list[ExtractionResult], limit: int = 30) -> str:
    lines = ["| article | type | value | quote |", "|---|---|---|---|"]
    for r in results:
        for f in r.facts:
            value = f.get("value", f.get("name", f.get("system", f.get("duration_minutes"))))
            quote = f["evidence"]["quote"].replace("|", "¦")
            lines.append(f"| {(r.article.title or r.article.id)[:40]} | {f['type']} | {value} | {quote} |")
    shown = lines[: limit + 2]
    if len(lines) > limit + 2:
        shown.append(f"\n… {len(lines) - limit - 2} more facts")
    return "\n".join(shown)


@asset(
    partitions_def=site_days,
    check_specs=FACT_CHECKS,
    kinds={"python"},
    group_name="vaxnews",
    description="Facts (facts.md) extracted from the day's articles, each with its evidence.",
)
def facts(articles: DayArticles) -> Any:
    out = DayFacts(articles.day, articles.site)
    updates: dict[str, dict[str, Any]] = {}
    for article, page in zip(articles.articles, articles.sources, strict=True):
        try:
            out.results.append(extract(article))
        except Exception as exc:  # an extractor bug fails one page, as in the crawl, not the partition
            updates[page] = {"state": "failed", "reason": f"extract: {type(exc).__name__}: {exc}"}
            out.extract_failures += 1
    out.page_rows = hand_on(articles.page_rows, drop=set(), updates=updates)
    results = out.results
    per_type = Counter(f["type"] for r in results for f in r.facts)
    yield Output(
        out,
        metadata={
            "facts": sum(per_type.values()),
            **{f"facts_{t}": n for t, n in sorted(per_type.items())},
            "extract_failures": out.extract_failures,
            "preview": MetadataValue.md(_preview(results) if results else "no facts for this day"),
        },
    )
    checks = [
        ("evidence_quotes_match_text", quote_mismatches(results), AssetCheckSeverity.ERROR),
        ("dose_counts_within_bounds", implausible_doses(results), AssetCheckSeverity.WARN),
        ("no_event_date_after_publication", dates_after_publication(results), AssetCheckSeverity.WARN),
    ]
    for name, issues, severity in checks:
        yield AssetCheckResult(
            check_name=name,
            passed=not issues,
            severity=severity,
            metadata={
                "facts_checked": sum(len(r.facts) for r in results),
                "issues": len(issues),
                **({"details": MetadataValue.md(issues_table(issues))} if issues else {}),
            },
        )


@asset(
    partitions_def=site_days,
    pool=WRITER_POOL,
    kinds={"sqlite"},
    group_name="vaxnews",
    description="The day's page states, articles and facts written to the SQLite database (idempotent; "
    "batched, each article whole or not at all). The single writer: pool `vaxnews_sqlite`, limit 1.",
)
def vaxnews_db(facts: DayFacts, database: DatabaseResource) -> MaterializeResult:
    with database.writing() as db:
        started = time.time()
        for row in facts.page_rows:
            store.record_page(db, row)
        api.store_results(db, facts.results)
        counts = store.counts(db)
        finished = time.time()
    return MaterializeResult(
        metadata={
            "pages_written": len(facts.page_rows),
            "articles_written": len(facts.results),
            "facts_written": sum(len(r.facts) for r in facts.results),
            **{f"db_{k}": v for k, v in counts.items()},
            "path": MetadataValue.path(database.path),
            # the span this step held the writer lock: when it wrote, for anyone tracing a slow backfill
            "write_started": MetadataValue.timestamp(started),
            "write_finished": MetadataValue.timestamp(finished),
        }
    )


# -- whole-database assets (single writer) ------------------------------------------------------------
@asset(
    pool=WRITER_POOL,
    kinds={"sqlite"},
    group_name="vaxnews",
    description="Official CoWIN district figures (covid19india) loaded into official_district_daily.",
)
def official_figures(settings: VaxnewsSettings, database: DatabaseResource) -> MaterializeResult:
    from pipeline.verify import load_official

    s = settings.load()
    with database.writing() as db:
        rows = load_official(db, s.official_csv)
    return MaterializeResult(metadata={"rows": rows, "file": MetadataValue.path(str(s.official_csv))})


@asset(
    pool=WRITER_POOL,
    kinds={"sqlite"},
    group_name="vaxnews",
    description="Plain-text reports given as files (settings.extra_text_inputs; `make run` adds the seed "
    "report when ../shared is present): extracted and stored. Not partitioned: they have no site.",
)
def text_reports(settings: VaxnewsSettings, database: DatabaseResource) -> MaterializeResult:
    paths = settings.load().extra_text_inputs
    with database.writing() as db:
        n = api.ingest_text_files(db, paths)
    return MaterializeResult(metadata={"reports": n, "files": ", ".join(str(p) for p in paths) or "none"})


@asset(
    deps=[vaxnews_db, official_figures, text_reports],
    pool=WRITER_POOL,
    kinds={"sqlite"},
    group_name="vaxnews",
    description="Every stored dose count checked against the official figures (recomputed as a whole).",
)
def verifications(settings: VaxnewsSettings, database: DatabaseResource) -> MaterializeResult:
    from pipeline.verify import verify_all

    with database.writing() as db:
        n = verify_all(db, settings.load())
        verdicts = dict(db.execute("select verdict, count(*) from verifications group by verdict").fetchall())
    table = "| verdict | count |\n|---|---|\n" + "\n".join(
        f"| {k} | {v} |" for k, v in sorted(verdicts.items())
    )
    return MaterializeResult(
        metadata={
            "checked": n,
            **{f"verdict_{k}": v for k, v in sorted(verdicts.items())},
            "verdicts": MetadataValue.md(table),
        }
    )


@asset(
    deps=[verifications],
    kinds={"sqlite"},
    group_name="vaxnews",
    description="A summary of the database: pages by state, articles, facts per type, verdicts.",
)
def report(database: DatabaseResource) -> MaterializeResult:
    with database.reader() as conn:
        if conn is None:
            raise Failure(description=f"no database at {database.path}")
        summary = api.summarize(sqlite_utils.Database(conn), Path(database.path))
        text = "\n".join(
            [
                f"**{summary.articles} articles** in `{database.path}`",
                "",
                "| table | rows |",
                "|---|---|",
                *(f"| {k} | {v} |" for k, v in summary.facts.items()),
                "",
                "pages: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.pages.items())),
                "",
                "verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items())),
            ]
        )
    return MaterializeResult(
        metadata={
            "articles": summary.articles,
            **{f"facts_{k}": v for k, v in summary.facts.items()},
            **{f"verdict_{k}": v for k, v in summary.verdicts.items()},
            "failed_pages": len(summary.failures),
            "summary": MetadataValue.md(text),
        }
    )


PARTITIONED_ASSETS = [discovered_urls, raw_pages, articles, facts, vaxnews_db]
WHOLE_DB_ASSETS = [official_figures, text_reports, verifications, report]
ALL_ASSETS = [*PARTITIONED_ASSETS, *WHOLE_DB_ASSETS]
