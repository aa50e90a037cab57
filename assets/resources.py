"""Dagster resources: the settings, the fetcher (live or replay) and the database, chosen by VAXNEWS_ENV."""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils
from dagster import ConfigurableResource

from pipeline import store
from pipeline.api import replay_fetcher
from pipeline.archive import Archive
from pipeline.config import Settings, load_settings
from pipeline.fetch import Fetcher


class VaxnewsResource(ConfigurableResource):
    """Where things live and how pages are fetched. `replay` serves the recorded sample site."""

    config_path: str | None = None
    db_path: str | None = None
    archive_dir: str | None = None
    replay: bool = True
    extra_text_inputs: list[str] = []  # noqa: RUF012 — pydantic copies field defaults

    def settings(self) -> Settings:
        return load_settings(
            Path(self.config_path) if self.config_path else None,
            db_path=self.db_path,
            archive_dir=self.archive_dir,
            extra_text_inputs=self.extra_text_inputs or None,
        )

    def fetcher(self) -> Fetcher:
        settings = self.settings()
        if self.replay:
            return replay_fetcher(settings)
        return Fetcher(settings, Archive(settings.archive_dir))

    def db(self) -> sqlite_utils.Database:
        return store.connect(self.settings().db_path)


def resource_for_env(env: str | None = None) -> VaxnewsResource:
    """local: replay the bundled sample site into data/; prod: live crawling with settings from VAXNEWS_CONFIG."""
    env = env or os.environ.get("VAXNEWS_ENV", "local")
    if env == "prod":
        return VaxnewsResource(config_path=os.environ.get("VAXNEWS_CONFIG"), replay=False)
    if env != "local":
        raise ValueError(f"VAXNEWS_ENV must be 'local' or 'prod', not {env!r}")
    return VaxnewsResource(replay=True)
