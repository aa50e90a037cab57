"""Dagster resources, chosen by ``VAXNEWS_ENV`` (``local`` or ``prod``) as in Dagster's example projects.

- ``settings``: the vaxnews Settings (site registry, politeness defaults, thresholds): defaults < the TOML
  file named by ``VAXNEWS_CONFIG`` < ``VAXNEWS_*`` environment variables.
- ``fetcher``: how pages are fetched: ``replay`` (the recorded sample site, offline, no delay) or ``live``
  (robots.txt, per-host delay, bounded retries), plus the site-level retry budget.
- ``archive``: where raw responses are kept (content-addressed); the fetcher writes into it.
- ``database``: the SQLite file. Only the writer assets (pool ``vaxnews_sqlite``) open it for writing;
  the fan-out assets read it through a read-only connection.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import sqlite_utils
from dagster import ConfigurableResource

from pipeline import store
from pipeline.archive import Archive
from pipeline.config import FIXTURES, Settings, load_settings
from pipeline.fetch import Fetcher
from pipeline.locks import exclusive


class VaxnewsSettings(ConfigurableResource):
    """The Settings every pipeline call takes. `settings_json` (a complete serialised Settings, what
    `vaxnews run` passes) wins over `config_path`."""

    config_path: str | None = None
    settings_json: str | None = None

    def load(self) -> Settings:
        if self.settings_json:
            values = json.loads(self.settings_json)
            nones: dict[str, Any] = {k: None for k, v in values.items() if v is None}
            return replace(load_settings(None, **values), **nones)
        return load_settings(Path(self.config_path) if self.config_path else None)

    @classmethod
    def from_settings(cls, settings: Settings) -> VaxnewsSettings:
        return cls(settings_json=json.dumps(asdict(settings), default=str, ensure_ascii=False))


class DatabaseResource(ConfigurableResource):
    """The facts database. One writer at a time: the `vaxnews_sqlite` pool in dagster.yaml keeps writer steps
    from starting together, and `writing()` holds the database's writer lock, which also covers the CLI and
    Dagster's SQLite-backed pool, whose slot claims can race (docs/dagster.md)."""

    path: str

    @contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        """The database open for writing, held by this process alone until the block ends."""
        with store.writing(self.path) as db:
            yield db

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection, or None while the database does not exist yet."""
        if not Path(self.path).exists():
            yield None
            return
        conn = store.connect_readonly(self.path)
        try:
            yield conn
        finally:
            conn.close()


class ArchiveResource(ConfigurableResource):
    """The raw-response archive the fetcher writes to and the parser reads from."""

    root: str

    def open(self) -> Archive:
        return Archive(self.root)

    @contextmanager
    def host_lock(self, host: str, *, wait: bool = True) -> Iterator[bool]:
        """Hold an exclusive lock for one host while fetching from it; yields whether it was acquired
        (always, when `wait`).

        Runs of different partitions of one site may run at once (a backfill with the multiprocess
        executor, or CLI runs); the lock keeps them to one fetcher per host on this machine, so the
        per-host delay holds across processes. Across machines the per-site run limit in dagster.yaml
        does the same job."""
        name = re.sub(r"[^A-Za-z0-9._-]", "_", host) or "_"
        with exclusive(Path(self.root) / ".locks" / f"{name}.lock", wait=wait) as acquired:
            yield acquired


class FetcherResource(ConfigurableResource):
    """`transport`: "replay" serves a recorded archive (`replay_dir`, default the bundled sample site);
    "live" goes to the network. `delay_seconds`/`max_retries` override the settings' politeness values
    (None keeps them; robots.txt Crawl-delay can only make the delay longer). When every discovery page
    of a site fails, the asset asks Dagster to retry up to `site_attempts` times, waiting
    `site_backoff_seconds` * 2**attempt."""

    transport: str = "replay"
    replay_dir: str | None = None
    delay_seconds: float | None = None
    max_retries: int | None = None
    site_attempts: int = 3
    site_backoff_seconds: float = 60.0

    def _settings(self, settings: Settings, archive_root: str) -> Settings:
        changes: dict[str, Any] = {"archive_dir": Path(archive_root)}
        if self.delay_seconds is not None:
            changes["delay_seconds"] = self.delay_seconds
        if self.max_retries is not None:
            changes["max_retries"] = self.max_retries
        return replace(settings, **changes)

    def _replay_archive(self, settings: Settings) -> Archive:
        return Archive(self.replay_dir or settings.replay_dir or FIXTURES / "site")

    def open(self, settings: Settings, archive: ArchiveResource) -> Fetcher:
        from pipeline.api import replay_fetcher

        settings = self._settings(settings, archive.root)
        if self.transport == "replay":
            fetcher: Fetcher = replay_fetcher(settings, self._replay_archive(settings).root)
            return fetcher
        if self.transport != "live":
            raise ValueError(f"fetcher transport must be 'live' or 'replay', not {self.transport!r}")
        return Fetcher(settings, Archive(settings.archive_dir))

    def covers(self, settings: Settings, url: str) -> bool:
        """Whether a start URL can be fetched: always when live; when replaying, only if recorded (a
        site without a recording is skipped instead of filling `pages` with 'not in the replay archive')."""
        if self.transport != "replay":
            return True
        return self._replay_archive(settings).latest(url) is not None

    def backoff(self, attempt: int) -> float:
        return self.site_backoff_seconds * 2**attempt


def resources_for_env(env: str | None = None) -> dict[str, Any]:
    """local: replay the bundled sample site into data/ (offline, no delay);
    prod: live crawling, polite, with settings from the TOML file named by VAXNEWS_CONFIG."""
    env = env or os.environ.get("VAXNEWS_ENV", "local")
    if env not in ("local", "prod"):
        raise ValueError(f"VAXNEWS_ENV must be 'local' or 'prod', not {env!r}")
    config = VaxnewsSettings(config_path=os.environ.get("VAXNEWS_CONFIG"))
    settings = config.load()
    if env == "prod":
        fetcher = FetcherResource(transport="live", site_attempts=3, site_backoff_seconds=60.0)
    else:
        fetcher = FetcherResource(
            transport="replay",
            replay_dir=str(settings.replay_dir or FIXTURES / "site"),
            delay_seconds=0.0,
            site_attempts=1,
            site_backoff_seconds=1.0,
        )
    return {
        "settings": config,
        "fetcher": fetcher,
        "archive": ArchiveResource(root=str(settings.archive_dir)),
        "database": DatabaseResource(path=str(settings.db_path)),
    }
