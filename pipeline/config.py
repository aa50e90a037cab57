"""Settings: defaults, overridden by a TOML file, overridden by environment variables.

One `Settings` object is passed explicitly through the API (CLI, Dagster resources and tests build it
with `load_settings`), so nothing reads the environment behind the caller's back.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT_ROOT / "fixtures"
SHARED = PROJECT_ROOT.parent / "shared"


@dataclass(frozen=True)
class Site:
    """One news site of the registry: where to start discovering and what an article URL looks like."""

    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_pattern: str | None = None  # regex on the URL path; None = generic heuristics
    max_listing_pages: int = 5


@dataclass(frozen=True)
class Settings:
    db_path: Path = PROJECT_ROOT / "data" / "vaxnews.db"
    archive_dir: Path = PROJECT_ROOT / "data" / "archive"
    # The bundled sample site: a recorded crawl replayed by `make run` (offline).
    replay_dir: Path | None = FIXTURES / "site"
    extra_text_inputs: tuple[Path, ...] = ()
    official_csv: Path = FIXTURES / "official" / "mp_district_daily_2021-04_2021-07.csv"
    user_agent: str = "vaxnews/0.1 (+https://github.com/vaxnews/vaxnews; research crawler)"
    delay_seconds: float = 1.0
    timeout_seconds: float = 20.0
    max_retries: int = 4
    max_body_bytes: int = 5_000_000
    max_pages: int = 500
    match_threshold: float = 0.01
    close_threshold: float = 0.05
    sites: tuple[Site, ...] = field(default_factory=tuple)


_ENV_PREFIX = "VAXNEWS_"
_PATH_FIELDS = {"db_path", "archive_dir", "replay_dir", "official_csv"}


def _coerce(name: str, value: Any, current: Any) -> Any:
    if name in _PATH_FIELDS:
        return None if value in (None, "", "none") else Path(value)
    if name == "extra_text_inputs":
        return tuple(Path(v) for v in value)
    if name == "sites":
        return tuple(_site(s) for s in value)
    if isinstance(current, bool):
        return str(value).lower() in {"1", "true", "yes"}
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    return value


def _site(raw: dict[str, Any]) -> Site:
    known = {f.name for f in fields(Site)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown site setting(s): {', '.join(sorted(unknown))}")
    data: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    return Site(**data)


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Defaults < TOML file (`[vaxnews]` table or top level) < VAXNEWS_* env vars < keyword overrides."""
    settings = Settings(sites=default_sites())
    values: dict[str, Any] = {}
    if path is not None:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        values.update(raw.get("vaxnews", raw))
    for f in fields(Settings):
        env = os.environ.get(_ENV_PREFIX + f.name.upper())
        if env is not None and f.name != "sites":
            values[f.name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    coerced = {k: _coerce(k, v, getattr(settings, k)) for k, v in values.items()}
    return replace(settings, **coerced)


def default_sites() -> tuple[Site, ...]:
    """The shipped site registry (pipeline/data/sites.toml)."""
    data_file = Path(__file__).with_name("data") / "sites.toml"
    if not data_file.exists():
        return ()
    with open(data_file, "rb") as fh:
        raw = tomllib.load(fh)
    return tuple(_site(s) for s in raw.get("site", []))
