"""When runs start: a morning schedule for yesterday's partitions, and a sensor on the sites' feeds and
sitemaps. Both target the partitioned job, one run per (day, site)."""

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlite_utils
from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from assets.daywork import lastmod_day
from assets.graph import PARTITIONED, site_host
from assets.partitions import IST, TIMEZONE, is_partition_day, ist_day, partition_key, site_names
from assets.resources import ArchiveResource, FetcherResource, VaxnewsSettings
from pipeline import store
from pipeline.crawl import CrawlSummary, discover

daily_job = define_asset_job(
    PARTITIONED,
    selection=AssetSelection.all(),
    description="Crawl, parse, extract and store one site's articles of one day (IST), then re-verify "
    "and summarise the whole database.",
)

# 07:30 IST: the papers' online editions have published the previous day's district reports by then.
MORNING = "30 7 * * *"


@schedule(
    cron_schedule=MORNING,
    execution_timezone=TIMEZONE,
    job=daily_job,
    default_status=DefaultScheduleStatus.STOPPED,
    description="Every morning at 07:30 IST: yesterday's partition of every site.",
)
def morning_crawl(context: ScheduleEvaluationContext) -> list[RunRequest]:
    now = context.scheduled_execution_time or datetime.now(IST)
    yesterday = now.astimezone(IST).date() - timedelta(days=1)
    return [
        RunRequest(
            run_key=f"{yesterday}|{site}",
            partition_key=partition_key(yesterday, site),
            tags={"vaxnews/trigger": "schedule"},
        )
        for site in site_names()
    ]


def new_items(
    seen: dict[str, str], links: list[tuple[str, str | None]], default_day: date
) -> tuple[dict[date, list[str]], dict[str, str]]:
    """Items (url, lastmod) not seen before, or seen with another lastmod, grouped by their day (the
    lastmod's IST day, else `default_day`: the day the feed was fetched). Returns (by day, new seen map:
    only what the feed shows now, so the cursor stays as small as the feed)."""
    by_day: dict[date, list[str]] = defaultdict(list)
    now_seen: dict[str, str] = {}
    for url, lastmod in links:
        stamp = lastmod or ""
        now_seen[url] = stamp
        if seen.get(url) == stamp:
            continue
        by_day[lastmod_day(lastmod) or default_day].append(url)
    return dict(by_day), now_seen


def feed_db() -> sqlite_utils.Database:
    """An empty in-memory database: the sensor reads feeds as if for the first time (its memory is the
    cursor), and never writes the real database."""
    db = sqlite_utils.Database(memory=True)
    store.migrate(db)
    return db


def _run_key(site: str, day: date, urls: list[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(urls)).encode()).hexdigest()[:12]
    return f"{site}|{day}|{digest}"


@sensor(
    job=daily_job,
    minimum_interval_seconds=900,
    default_status=DefaultSensorStatus.STOPPED,
    description="Reads every site's feeds and sitemaps; when they show items not seen before (or with a "
    "new lastmod) it launches a run for that day's partition of the site. The first look at a site only "
    "records what it shows and crawls its newest day. Cursor: {site: {item url: lastmod}}.",
)
def new_feed_items(
    context: SensorEvaluationContext,
    settings: VaxnewsSettings,
    fetcher: FetcherResource,
    archive: ArchiveResource,
) -> SensorResult:
    cursor: dict[str, dict[str, str]] = json.loads(context.cursor) if context.cursor else {}
    s = settings.load()
    known_sites = set(site_names())
    requests: list[RunRequest] = []
    looked: list[str] = []
    for site in s.sites:
        sources = [u for u in (*site.feeds, *site.sitemaps, *site.news_sitemaps) if fetcher.covers(s, u)]
        if site.name not in known_sites or not sources:
            continue
        looked.append(site.name)
        db, summary = feed_db(), CrawlSummary()
        with archive.host_lock(site_host(site), wait=False) as free:
            if not free:  # a run is crawling the site right now and will see what is new
                context.log.info(f"{site.name}: being crawled; looking again next time")
                continue
            with fetcher.open(s, archive) as f:
                links = discover(s, sources, db, f, summary=summary)
        fetched = [ist_day(r["fetched_at"]) for r in db.table("pages").rows if r.get("fetched_at")]
        default_day = max(fetched) if fetched else datetime.now(IST).date()
        first_look = site.name not in cursor
        by_day, now_seen = new_items(
            cursor.get(site.name, {}), [(x.url, x.lastmod) for x in links], default_day
        )
        if summary.failed and not summary.fetched:
            context.log.warning(f"{site.name}: no feed or sitemap could be read; keeping its cursor")
            continue
        cursor[site.name] = now_seen
        days = sorted(d for d in by_day if is_partition_day(d))
        if first_look:
            days = days[-1:]
        for day in days:
            requests.append(
                RunRequest(
                    run_key=_run_key(site.name, day, by_day[day]),
                    partition_key=partition_key(day, site.name),
                    tags={"vaxnews/trigger": "feed", "vaxnews/new_items": str(len(by_day[day]))},
                )
            )
    skip = None if requests else SkipReason(f"no new items on {', '.join(looked) or 'any site'}")
    return SensorResult(run_requests=requests, cursor=json.dumps(cursor, sort_keys=True), skip_reason=skip)
