"""Partitions: one partition per (publication day in IST, site).

A data team backfills a range of days for a site and re-runs one bad day; a run for one site carries the
tag ``dagster/partition/site``, which the shipped ``dagster.yaml`` uses to run one crawl per site at a time.

Which day an article belongs to is only known once its page is parsed: the day of its publication time
in India (IST, the papers' own clock). An article whose page gives no publication time goes to the
**fetch-day bucket**: the IST day its page was (first) archived. Feeds and sitemaps without dates are
treated the same way by the sensor.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dagster import (
    DailyPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
)

from pipeline.config import default_sites

IST = ZoneInfo("Asia/Kolkata")
TIMEZONE = "Asia/Kolkata"
# India's vaccination drive began on 16 January 2021: no report about it can be older.
FIRST_DAY = "2021-01-16"

# `end_offset=1` makes today's (still running) day a partition too, so the sensor can crawl today's
# new items; the morning schedule runs yesterday's partition, which is complete by then.
days = DailyPartitionsDefinition(start_date=FIRST_DAY, timezone=TIMEZONE, end_offset=1)


def site_names() -> list[str]:
    """The site dimension: the shipped site registry (pipeline/data/sites.toml). Partition keys must not
    change with the environment, so a site is added to the registry (code), not only to a prod TOML."""
    return [s.name for s in default_sites()]


sites = StaticPartitionsDefinition(site_names())
site_days = MultiPartitionsDefinition({"date": days, "site": sites})


def partition_key(day: date | str, site: str) -> MultiPartitionKey:
    return MultiPartitionKey({"date": str(day), "site": site})


def split_key(key: str | MultiPartitionKey) -> tuple[date, str]:
    """'2021-06-04|sample' (or a MultiPartitionKey) -> (date(2021, 6, 4), 'sample')."""
    if isinstance(key, MultiPartitionKey):
        by_dim = key.keys_by_dimension
        return date.fromisoformat(by_dim["date"]), by_dim["site"]
    day, site = str(key).split("|", 1)
    return date.fromisoformat(day), site


def ist_day(stamp: datetime | str) -> date:
    """The IST calendar day of an aware timestamp (naive ones are taken as IST, as the papers write)."""
    if isinstance(stamp, str):
        stamp = datetime.fromisoformat(stamp)
    if stamp.tzinfo is None:
        return stamp.date()
    return stamp.astimezone(IST).date()


def article_day(published: datetime | None, fetched_at: str | None) -> tuple[date | None, bool]:
    """(partition day, bucketed): the publication day, else the fetch-day bucket (bucketed=True)."""
    if published is not None:
        return ist_day(published), False
    if fetched_at:
        return ist_day(fetched_at), True
    return None, True


def is_partition_day(day: date, now: datetime | None = None) -> bool:
    """Whether `day` is a key of the date dimension: not before FIRST_DAY, not after today in IST."""
    today = (now or datetime.now(IST)).astimezone(IST).date()
    return date.fromisoformat(FIRST_DAY) <= day <= today
