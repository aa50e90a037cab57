"""Backfill a range of days from the command line.

    python -m assets.backfill 2021-06-01 2021-06-30 --site sample          # run them here, one by one
    python -m assets.backfill 2021-06-01 2021-06-30 --site sample --keys   # print the partition keys

The first form materialises every (day, site) partition in this process against the instance in
DAGSTER_HOME (the runs appear in `make dev`'s UI), with the resources of VAXNEWS_ENV. The second prints
the keys for `dagster job backfill -m assets.definitions -j vaxnews_daily --partitions "$(…)"`, which
queues the runs for the daemon (per-site run limits apply). In the UI: Lineage -> Materialize all ->
pick the date range and sites.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from dagster import AssetSelection, DagsterInstance, MultiPartitionKey, materialize

from assets.partitions import is_partition_day, partition_key, site_names


def keys_for(start: date, end: date, sites: list[str]) -> list[MultiPartitionKey]:
    """Every (day, site) key from `start` to `end` inclusive, day by day."""
    if end < start:
        raise ValueError(f"{end} is before {start}")
    unknown = sorted(set(sites) - set(site_names()))
    if unknown:
        raise ValueError(f"not in the site registry: {', '.join(unknown)}")
    out = []
    day = start
    while day <= end:
        if not is_partition_day(day):
            raise ValueError(f"{day} is not a partition day")
        out += [partition_key(day, site) for site in sites]
        day += timedelta(days=1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assets.backfill", description=__doc__.split("\n\n")[0])
    parser.add_argument("start", type=date.fromisoformat)
    parser.add_argument("end", type=date.fromisoformat)
    parser.add_argument("--site", action="append", dest="sites", help="a site (repeatable); default: all")
    parser.add_argument("--keys", action="store_true", help="print the partition keys and exit")
    args = parser.parse_args(argv)
    try:
        keys = keys_for(args.start, args.end, args.sites or site_names())
    except ValueError as exc:
        parser.error(str(exc))
    if args.keys:
        print(",".join(str(k) for k in keys))
        return 0
    from assets.checks import ALL_CHECKS
    from assets.definitions import ALL_ASSETS, PARTITIONED_ASSETS, WHOLE_DB_ASSETS, defs

    resources = dict(defs.resources or {})
    every = [*ALL_ASSETS, *ALL_CHECKS]
    with DagsterInstance.get() as instance:
        for key in keys:
            result = materialize(
                every,
                selection=AssetSelection.assets(*PARTITIONED_ASSETS),
                partition_key=key,
                resources=resources,
                instance=instance,
                raise_on_error=False,
            )
            print(f"{key}: {'ok' if result.success else 'FAILED'}", flush=True)
            if not result.success:
                return 1
        whole = materialize(
            every, selection=AssetSelection.assets(*WHOLE_DB_ASSETS), resources=resources, instance=instance
        )
        print(f"verifications and report: {'ok' if whole.success else 'FAILED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
