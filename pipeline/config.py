"""Settings: defaults, overridden by a TOML file, overridden by environment variables.

One `Settings` object is passed explicitly through the API (CLI, Dagster resources and tests build it
with `load_settings`), so nothing reads the environment behind the caller's back.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT_ROOT / "fixtures"
SHARED = PROJECT_ROOT.parent / "shared"


@dataclass(frozen=True)
class Site:
    """One news site of the registry: where to start discovering and what an article URL looks like.

    `hosts` are matched with their subdomains (www., m.); when empty, the hosts of the start points are
    used. `article_pattern` and `listing_pattern` are regexes searched in the URL path (plus "?query"
    when there is one); `pagination` is a template ("{url}?page={n}") for listing pages 2..N;
    `parser` names an entry of data/site_parsers.toml (default: the site's name).
    """

    name: str
    hosts: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    article_pattern: str | None = None  # regex on the URL path; None = generic heuristics
    exclude_pattern: str | None = None  # regex on the URL path of links never to treat as articles
    listing_pattern: str | None = None  # regex on the URL path of listing pages to follow (pagination)
    pagination: str | None = None  # template for listing page n of a start URL: "{url}?page={n}"
    parser: str | None = None
    language: str = "hi"
    max_listing_pages: int = 5

    @property
    def discovery_urls(self) -> tuple[str, ...]:
        return (*self.start_urls, *self.feeds, *self.sitemaps, *self.news_sitemaps)

    @property
    def host_names(self) -> tuple[str, ...]:
        from urllib.parse import urlsplit

        if self.hosts:
            return tuple(h.lower() for h in self.hosts)
        return tuple(dict.fromkeys((urlsplit(u).hostname or "").lower() for u in self.discovery_urls))


@dataclass(frozen=True)
class Settings:
    db_path: Path = PROJECT_ROOT / "data" / "vaxnews.db"
    archive_dir: Path = PROJECT_ROOT / "data" / "archive"
    # The bundled sample site: a recorded crawl replayed by `make run` (offline).
    replay_dir: Path | None = FIXTURES / "site"
    extra_text_inputs: tuple[Path, ...] = ()
    official_csv: Path = FIXTURES / "official" / "mp_district_daily_2021-04_2021-07.csv"
    # The User-Agent names the project and where to reach its operators ({contact_url} is filled in).
    contact_url: str = "https://github.com/vaxnews/vaxnews"
    user_agent: str = "vaxnews/0.1 (+{contact_url}; research crawler)"
    delay_seconds: float = 1.0  # between two requests to one host (robots.txt Crawl-delay can raise it)
    timeout_seconds: float = 20.0  # connect / read timeout of one request
    max_fetch_seconds: float = 60.0  # a whole response, however slowly it drips
    max_retries: int = 4  # per URL, on 429/5xx/timeouts/connection errors
    backoff_seconds: float = 2.0  # first retry wait; doubles per attempt
    max_backoff_seconds: float = 120.0
    max_retry_after_seconds: float = 600.0  # a longer Retry-After fails the URL (a later run retries it)
    max_redirects: int = 5
    max_body_bytes: int = 5_000_000
    max_pages: int = 500  # article pages fetched per crawl run; the rest stay queued for the next run
    retry_failed_runs: int = 3  # later runs that retry a URL which failed transiently (network, 429, 5xx)
    match_threshold: float = 0.01
    close_threshold: float = 0.05
    sites: tuple[Site, ...] = field(default_factory=tuple)

    @property
    def agent(self) -> str:
        """The User-Agent header: the template with the contact URL filled in."""
        return self.user_agent.replace("{contact_url}", self.contact_url)

    def site(self, name: str) -> Site | None:
        return next((s for s in self.sites if s.name == name), None)


_ENV_PREFIX = "VAXNEWS_"
_PATH_FIELDS = {"db_path", "archive_dir", "replay_dir", "official_csv"}


def _coerce(name: str, value: Any, current: Any) -> Any:
    if name in _PATH_FIELDS:
        return None if value in (None, "", "none") else Path(value)
    if name == "extra_text_inputs":
        return tuple(Path(v) for v in value)
    if name == "sites":
        # A settings file adds sites to the shipped registry, or replaces the ones it names.
        given = [s if isinstance(s, Site) else _site(s) for s in value]
        names = {s.name for s in given}
        return tuple(s for s in current if s.name not in names) + tuple(given)
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


@cache
def registry_data() -> dict[str, Any]:
    """pipeline/data/sites.toml as loaded (the crawl vocabulary tables and the [[site]] entries)."""
    data_file = Path(__file__).with_name("data") / "sites.toml"
    if not data_file.exists():
        return {}
    with open(data_file, "rb") as fh:
        return tomllib.load(fh)


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
    result = replace(settings, **coerced)
    _check(result)
    return result


def _check(settings: Settings) -> None:
    """Refuse settings a polite crawler must not run with."""
    if not settings.contact_url.startswith(("http://", "https://", "mailto:")):
        raise ValueError("contact_url must be an http(s) or mailto: URL: the User-Agent names a contact")
    if "vaxnews" not in settings.agent.lower():
        raise ValueError("user_agent must name the project (vaxnews)")
    for name in ("delay_seconds", "timeout_seconds", "max_fetch_seconds", "backoff_seconds"):
        if getattr(settings, name) < 0:
            raise ValueError(f"{name} must not be negative")
    if settings.max_redirects < 0 or settings.max_retries < 0 or settings.max_body_bytes <= 0:
        raise ValueError("max_redirects and max_retries must be >= 0 and max_body_bytes > 0")


def default_sites() -> tuple[Site, ...]:
    """The shipped site registry (pipeline/data/sites.toml)."""
    return tuple(_site(s) for s in registry_data().get("site", []))
