"""The vaxnews Dagster code location (`dagster dev -m assets.definitions`).

Assets (assets/graph.py), partitions by (IST day, site) (assets/partitions.py), asset checks
(assets/checks.py and the `facts` asset), the morning schedule and the feed sensor (assets/automation.py),
and resources chosen by VAXNEWS_ENV=local|prod (assets/resources.py). See docs/dagster.md.
"""

from typing import Any

from dagster import Definitions, Field, configured, multiprocess_executor

from assets.automation import daily_job, morning_crawl, new_feed_items
from assets.checks import ALL_CHECKS
from assets.graph import ALL_ASSETS, PARTITIONED_ASSETS, WHOLE_DB_ASSETS
from assets.resources import resources_for_env

__all__ = ["ALL_ASSETS", "PARTITIONED_ASSETS", "WHOLE_DB_ASSETS", "defs"]

PRELOAD = {"forkserver": {"preload_modules": ["assets.definitions"]}}


@configured(
    multiprocess_executor, config_schema={"max_concurrent": Field(int, is_required=False, default_value=0)}
)
def vaxnews_multiprocess(config: dict[str, Any]) -> dict[str, Any]:
    """The multiprocess executor, each step forked from a server that has imported this code location
    once (a spawned step would pay ~2-3 s of imports: dagster, spaCy, the extractors). Run config:
    `execution: {config: {max_concurrent: N}}` (0: one per CPU)."""
    return {"max_concurrent": config["max_concurrent"], "start_method": PRELOAD}


defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[daily_job],
    schedules=[morning_crawl],
    sensors=[new_feed_items],
    resources=resources_for_env(),
    executor=vaxnews_multiprocess,
)
