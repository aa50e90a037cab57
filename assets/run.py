"""Materialise the whole asset graph in process (what `vaxnews run` / `make run` do)."""

from __future__ import annotations

import tempfile

from dagster import DagsterInstance, materialize

from assets.definitions import ALL_ASSETS
from assets.resources import VaxnewsResource
from pipeline import api, store
from pipeline.config import Settings


def materialize_all(settings: Settings) -> api.RunSummary:
    """Run every asset for the bundled sample site in a temporary DAGSTER_HOME; summarise the database."""
    resource = VaxnewsResource(
        db_path=str(settings.db_path),
        archive_dir=str(settings.archive_dir),
        replay=True,
        extra_text_inputs=[str(p) for p in settings.extra_text_inputs],
    )
    with tempfile.TemporaryDirectory(prefix="vaxnews-dagster-") as home:
        instance = DagsterInstance.local_temp(home)
        result = materialize(
            ALL_ASSETS,
            resources={"vaxnews": resource},
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
        if not result.success:
            raise RuntimeError("the Dagster run failed; see the log above")
    return api.summarize(store.connect(settings.db_path), settings.db_path)
