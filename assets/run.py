"""Materialise the whole asset graph in process (what `vaxnews run` / `make run` do).

Every (day, site) partition the replayed recording covers is materialised, one run each, in a temporary
DAGSTER_HOME; then the whole-database assets once. The instance keeps its run and event
records in memory (its artifacts, the IO manager's files, go to the temporary directory): nine runs
against an on-disk SQLite event log spend most of their time in fsync. The database ends up as `pipeline.api.run_main_job`
leaves it (tests/test_run.py checks table by table).
"""

from __future__ import annotations

import tempfile
from datetime import date
from typing import Any

from dagster import AssetSelection, DagsterInstance, MultiPartitionKey, materialize

from assets.checks import ALL_CHECKS
from assets.daywork import PageRef, parse_page
from assets.graph import ALL_ASSETS, PARTITIONED_ASSETS, WHOLE_DB_ASSETS
from assets.partitions import article_day, partition_key
from assets.resources import ArchiveResource, DatabaseResource, FetcherResource, VaxnewsSettings
from pipeline import api, store
from pipeline.archive import Archive
from pipeline.config import FIXTURES, Settings
from pipeline.parse import ParseError
from pipeline.sources import site_for

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def local_resources(settings: Settings) -> dict[str, Any]:
    """Resources that replay the recording in `settings.replay_dir` into the settings' paths."""
    return {
        "settings": VaxnewsSettings.from_settings(settings),
        "fetcher": FetcherResource(
            transport="replay",
            replay_dir=str(settings.replay_dir or FIXTURES / "site"),
            delay_seconds=0.0,
            site_attempts=1,
        ),
        "archive": ArchiveResource(root=str(settings.archive_dir)),
        "database": DatabaseResource(path=str(settings.db_path)),
    }


def recorded_days(settings: Settings, site: str = "sample") -> list[date]:
    """The partition days a recorded site covers: every page's fetch day (the bucket of pages without a
    publication time) and the publication day of every page that parses as an article."""
    replay = Archive(settings.replay_dir or FIXTURES / "site")
    found: set[date] = set()
    for rec in replay.records():
        owner = site_for(rec.url, settings.sites)
        if owner is None or owner.name != site:
            continue
        page = PageRef(
            rec.url, rec.final_url or rec.url, rec.sha256, rec.fetched_at, rec.content_type, site, "fetched"
        )
        try:
            published = parse_page(replay, page).published
        except ParseError:
            published = None
        for day in (article_day(published, rec.fetched_at)[0], article_day(None, rec.fetched_at)[0]):
            if day is not None:
                found.add(day)
    return sorted(found)


def materialize_partitions(
    settings: Settings, keys: list[MultiPartitionKey], instance: DagsterInstance, *, whole_db: bool = True
) -> None:
    """One in-process run per partition key (fan-out assets + the writer), then the whole-database assets."""
    resources = local_resources(settings)
    day_assets = AssetSelection.assets(*PARTITIONED_ASSETS)
    for key in keys:
        result = materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            selection=day_assets,
            partition_key=key,
            resources=resources,
            instance=instance,
            run_config=QUIET,
        )
        if not result.success:
            raise RuntimeError(f"the Dagster run for partition {key} failed; see the log above")
    if whole_db:
        result = materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            selection=AssetSelection.assets(*WHOLE_DB_ASSETS),
            resources=resources,
            instance=instance,
            run_config=QUIET,
        )
        if not result.success:
            raise RuntimeError("the Dagster run of the whole-database assets failed; see the log above")


def materialize_all(settings: Settings) -> api.RunSummary:
    """Run every asset for the bundled sample site in a temporary DAGSTER_HOME; summarise the database."""
    keys = [partition_key(day, "sample") for day in recorded_days(settings, "sample")]
    with (
        tempfile.TemporaryDirectory(prefix="vaxnews-dagster-") as home,
        DagsterInstance.ephemeral(tempdir=home) as instance,
    ):
        materialize_partitions(settings, keys, instance)
    return api.summarize(store.connect(settings.db_path), settings.db_path)
