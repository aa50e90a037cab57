"""Shared helpers for the Dagster tests: settings in a temp dir, in-process runs, a small live news site
on 127.0.0.1 (feed that can gain items, pages that can fail on purpose). No tests in here."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from dagster import AssetSelection, DagsterInstance, materialize

from assets.checks import ALL_CHECKS
from assets.graph import ALL_ASSETS, PARTITIONED_ASSETS
from assets.partitions import partition_key
from assets.resources import ArchiveResource, DatabaseResource, FetcherResource, VaxnewsSettings
from assets.run import QUIET, local_resources
from pipeline.config import Settings, load_settings

TABLES = (
    "articles",
    "dose_counts",
    "center_counts",
    "centers",
    "outages",
    "officials",
    "pages",
    "verifications",
)


def temp_settings(root: Path, **overrides: Any) -> Settings:
    return load_settings(
        db_path=root / "vaxnews.db", archive_dir=root / "archive", extra_text_inputs=[], **overrides
    )


def run_partition(
    settings: Settings | None,
    day: str,
    instance: DagsterInstance,
    *,
    site: str = "sample",
    resources: dict[str, Any] | None = None,
    selection: AssetSelection | None = None,
    run_config: dict[str, Any] | None = None,
    raise_on_error: bool = True,
) -> Any:
    return materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        selection=selection or AssetSelection.assets(*PARTITIONED_ASSETS),
        partition_key=partition_key(day, site),
        resources=resources or local_resources(settings),  # type: ignore[arg-type]
        instance=instance,
        run_config={**QUIET, **(run_config or {})},
        raise_on_error=raise_on_error,
    )


def dump(
    path: Path, tables: tuple[str, ...] = TABLES, skip_columns: tuple[str, ...] = ("extracted_at",)
) -> dict:
    """Every row of the product tables, order-free, without the columns that record wall-clock time."""
    conn = sqlite3.connect(path)
    out = {}
    for table in tables:
        cols = [r[1] for r in conn.execute(f"pragma table_info({table})")]
        keep = [c for c in cols if c not in skip_columns]
        rows = conn.execute(f"select {', '.join(f'[{c}]' for c in keep)} from {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    conn.close()
    return out


def article_urls(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("select url from articles")}
    finally:
        conn.close()


def page_urls(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("select url from pages")}
    finally:
        conn.close()


# -- a small live site on 127.0.0.1 -------------------------------------------------------------------
ARTICLE = """<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>{title}</title>
<script type="application/ld+json">{ld}</script></head><body><article><h1>{title}</h1>
<p>डिजिटल डेस्क जबलपुर। जिला अस्पताल समेत शहर के {centres} केंद्रों पर टीकाकरण किया गया। स्वास्थ्य विभाग के
अनुसार कुल {doses} लोगों को टीका लगाया गया, जिनमें युवाओं की संख्या सबसे अधिक रही।</p>
<p>केंद्रों पर सुबह से ही कतारें लगी रहीं और दोपहर तक अधिकांश केंद्रों पर टीके खत्म हो गए। लोगों से अपील की गई
है कि वे पंजीयन कराकर ही केंद्र पहुंचें।</p></article></body></html>"""


def article_html(title: str, published: str | None, centres: int = 42, doses: int = 3150) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
    if published:
        ld["datePublished"] = published
    return ARTICLE.format(title=title, ld=json.dumps(ld, ensure_ascii=False), centres=centres, doses=doses)


@dataclass
class Item:
    slug: str
    title: str
    published: str | None  # ISO 8601 with offset

    def rss(self, base: str) -> str:
        date = ""
        if self.published:
            from datetime import datetime
            from email.utils import format_datetime

            date = f"<pubDate>{format_datetime(datetime.fromisoformat(self.published))}</pubDate>"
        return f"<item><title>{self.title}</title><link>{base}/news/{self.slug}</link>{date}</item>"


@dataclass
class LiveSite:
    """What the server serves; tests change it between requests (the feed gains an item …)."""

    items: list[Item] = field(default_factory=list)
    fail_next: int = 0  # answer this many feed requests with 503 before serving
    requests: list[str] = field(default_factory=list)
    base: str = ""

    def feed(self) -> str:
        body = "".join(i.rss(self.base) for i in self.items)
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>समाचार</title>{body}</channel></rss>'


@contextmanager
def live_site(site: LiveSite) -> Iterator[LiveSite]:
    """Serve `site` on 127.0.0.1 (a free port) until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: str, ctype: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            site.requests.append(self.path)
            if self.path == "/rss.xml":
                if site.fail_next > 0:
                    site.fail_next -= 1
                    self._send(503, "busy", "text/plain")
                else:
                    self._send(200, site.feed(), "application/rss+xml")
                return
            for item in site.items:
                if self.path == f"/news/{item.slug}":
                    self._send(200, article_html(item.title, item.published), "text/html; charset=utf-8")
                    return
            self._send(404, "not found", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def live_config(path: Path, base: str) -> Path:
    """A settings file whose `sample` site is the live test site (no delay, no fetch retries)."""
    path.write_text(
        "delay_seconds = 0.0\nmax_retries = 0\ntimeout_seconds = 5.0\n"
        f'db_path = "{path.parent / "vaxnews.db"}"\narchive_dir = "{path.parent / "archive"}"\n'
        "[[sites]]\n"
        'name = "sample"\n'
        f'feeds = ["{base}/rss.xml"]\n'
        'article_pattern = "^/news/"\n',
        encoding="utf-8",
    )
    return path


def live_resources(config: Path, *, site_attempts: int = 1, backoff: float = 0.05) -> dict[str, Any]:
    settings = load_settings(config)
    return {
        "settings": VaxnewsSettings(config_path=str(config)),
        "fetcher": FetcherResource(
            transport="live",
            delay_seconds=0.0,
            max_retries=0,
            site_attempts=site_attempts,
            site_backoff_seconds=backoff,
        ),
        "archive": ArchiveResource(root=str(settings.archive_dir)),
        "database": DatabaseResource(path=str(settings.db_path)),
    }
