"""Crawl modes against real local servers: --since, generic mode, a registered site's parser (--site),
several hosts at once, robots.txt that cannot be read, Retry-After beyond the limit, a dripping body,
a cross-host redirect; and the `vaxnews crawl` / `vaxnews reextract` commands offline (--replay)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.archive import Archive
from pipeline.crawl import crawl, reason_code
from pipeline.fetch import Fetcher
from tests.test_crawl import EPS, test_settings
from tests.testsite.server import Reply, TestServer, gaps
from tests.testsite.site import article_html, listing_html, news_sitemap, report, rss

VAXNEWS = str(Path(sys.executable).with_name("vaxnews"))
ROBOTS_OPEN = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})


def run(settings: Any, starts: list[str], **kw: Any) -> Any:
    db = store.connect(settings.db_path)
    with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
        return crawl(settings, starts, db, fetcher, **kw)


def states(settings: Any) -> dict[str, tuple[str, str | None]]:
    conn = sqlite3.connect(settings.db_path)
    return {u: (s, r) for u, s, r in conn.execute("select url, state, reason from pages")}


def story(base: str, path: str, name: str, **kw: Any) -> Reply:
    title, paragraphs = report(name)
    return Reply.html(article_html(title, paragraphs, url=base + path, **kw))


# ------------------------------------------------------------------------------------------------ --since
def test_since_skips_old_feed_items_unfetched_and_old_stories_after_parsing(tmp_path: Path) -> None:
    with TestServer({}) as server:
        b = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/rss.xml": Reply(
                200,
                rss(
                    [
                        (b + "/news/naya-teekakaran-samachar-20001", "नई", "Thu, 10 Jun 2021 10:00:00 +0530"),
                        (
                            b + "/news/purana-teekakaran-samachar-20002",
                            "पुरानी",
                            "Sat, 01 May 2021 10:00:00 +0530",
                        ),
                        (b + "/news/bina-tithi-teekakaran-samachar-20003", "बिना तिथि", None),
                    ]
                ).encode(),
                {"Content-Type": "application/rss+xml"},
            ),
            "/news/naya-teekakaran-samachar-20001": story(
                b, "/news/naya-teekakaran-samachar-20001", "a01", published="2021-06-10T10:00:00+05:30"
            ),
            "/news/purana-teekakaran-samachar-20002": story(
                b, "/news/purana-teekakaran-samachar-20002", "a02", published="2021-05-01T10:00:00+05:30"
            ),
            "/news/bina-tithi-teekakaran-samachar-20003": story(
                b, "/news/bina-tithi-teekakaran-samachar-20003", "a03", published="2021-05-20T09:00:00+05:30"
            ),
        }
        settings = test_settings(tmp_path)
        summary = run(settings, [b + "/rss.xml"], since=date(2021, 6, 1))
        seen = {h.path for h in server.hits}
    got = states(settings)
    assert "/news/purana-teekakaran-samachar-20002" not in seen  # lastmod says old: never requested
    assert reason_code(got[b + "/news/purana-teekakaran-samachar-20002"][1]) == "since"
    assert got[b + "/news/naya-teekakaran-samachar-20001"] == ("fetched", None)
    late = got[b + "/news/bina-tithi-teekakaran-samachar-20003"]  # no lastmod: fetched, then its date read
    assert late[0] == "skipped" and late[1] == "published 2021-05-20 before --since 2021-06-01"
    assert summary.articles == 1 and summary.skip_reasons["since"] == 2


def test_since_skips_child_sitemaps_last_modified_before_it(tmp_path: Path) -> None:
    with TestServer({}) as server:
        b = server.url
        index = (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{b}/sitemap-2021-06.xml</loc><lastmod>2021-06-30</lastmod></sitemap>"
            f"<sitemap><loc>{b}/sitemap-2021-04.xml</loc><lastmod>2021-04-30</lastmod></sitemap></sitemapindex>"
        )
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/sitemap.xml": Reply(200, index.encode(), {"Content-Type": "application/xml"}),
            "/sitemap-2021-06.xml": Reply(
                200,
                news_sitemap(
                    [(b + "/news/june-teekakaran-report-30001", "2021-06-12T10:00:00+05:30")]
                ).encode(),
                {"Content-Type": "text/xml"},
            ),
            "/news/june-teekakaran-report-30001": story(
                b, "/news/june-teekakaran-report-30001", "b01", published="2021-06-12T10:00:00+05:30"
            ),
        }
        settings = test_settings(tmp_path)
        summary = run(settings, [b + "/sitemap.xml"], since=date(2021, 6, 1))
        seen = [h.path for h in server.hits]
    assert "/sitemap-2021-04.xml" not in seen
    assert seen.count("/news/june-teekakaran-report-30001") == 1
    assert summary.articles == 1


# ------------------------------------------------------------------------------------------------ generic mode
def test_generic_mode_follows_only_same_host_links_that_look_like_stories(tmp_path: Path) -> None:
    links = [
        ("/", "होम"),
        ("/tag/corona", "कोरोना"),
        ("/author/city-desk", "डेस्क"),
        ("/category/city", "शहर"),
        ("/photos/teekakaran-camp-gallery-123456", "फोटो"),
        ("/videos/teeka-video-2345678", "वीडियो"),
        ("/about-us", "हमारे बारे में"),
        ("/static/logo.png", "लोगो"),
        ("http://other.example/news/teekakaran-abhiyan-ki-shuruaat-4567", "बाहरी"),
        ("/news/teekakaran-abhiyan-ki-shuruaat-jabalpur", "खबर 1"),
        ("/story/98765432", "खबर 2"),
        ("/2021/06/04/sagar-mein-teeka-utsav.html", "खबर 3"),
    ]
    with TestServer({}) as server:
        b = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/": Reply.html(listing_html(links)),
            "/news/teekakaran-abhiyan-ki-shuruaat-jabalpur": story(
                b, "/news/teekakaran-abhiyan-ki-shuruaat-jabalpur", "a06"
            ),
            "/story/98765432": story(b, "/story/98765432", "a07"),
            "/2021/06/04/sagar-mein-teeka-utsav.html": story(
                b, "/2021/06/04/sagar-mein-teeka-utsav.html", "a08", layout="plain", published=None
            ),
        }
        settings = test_settings(tmp_path)
        summary = run(settings, [b + "/city/"])
        seen = sorted(h.path for h in server.hits)
    assert seen == sorted(
        [
            "/robots.txt",
            "/city/",
            "/news/teekakaran-abhiyan-ki-shuruaat-jabalpur",
            "/story/98765432",
            "/2021/06/04/sagar-mein-teeka-utsav.html",
        ]
    )
    assert summary.articles == 3
    conn = sqlite3.connect(settings.db_path)
    published = conn.execute("select published from articles where url like '%sagar-mein%'").fetchone()[0]
    assert published.startswith("2021-06-04T15:57")  # the "Created On" stamp of the page, IST


# ------------------------------------------------------------------------------------------------ --site
def test_a_registered_sites_parser_is_used_with_site(tmp_path: Path) -> None:
    """The bhaskarhindi city-page layout served locally, crawled with --site bhaskarhindi."""
    with TestServer({}) as server:
        b = server.url
        title, paragraphs = report("a03")
        page = article_html(
            title, paragraphs, url=b + "/city/news/gorakhpur-vaccination-report-262385", layout="bhaskarhindi"
        )
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/jabalpur": Reply.html(
                listing_html([("/city/news/gorakhpur-vaccination-report-262385", title)])
            ),
            "/city/jabalpur?page=2": Reply.html(
                listing_html([("/city/news/bhopal-vaccination-report-262300", "भोपाल")])
            ),
            "/city/news/gorakhpur-vaccination-report-262385": Reply.html(page),
            "/city/news/bhopal-vaccination-report-262300": story(
                b, "/city/news/bhopal-vaccination-report-262300", "a09", layout="bhaskarhindi"
            ),
        }
        settings = test_settings(tmp_path)
        summary = run(settings, [b + "/city/jabalpur"], site="bhaskarhindi")
        seen = [h.target for h in server.hits]
    assert "/city/jabalpur?page=2" in seen  # the site's pagination template
    assert summary.articles == 2
    conn = sqlite3.connect(settings.db_path)
    row = conn.execute(
        "select parser, title, published, text, site from articles where url like '%262385'"
    ).fetchone()
    parser, got_title, published, text, site = row
    assert (parser, got_title, site) == ("site:bhaskarhindi", title, "bhaskarhindi")
    assert published == "2021-06-04T15:57:00+05:30"
    assert text.count(title) == 1  # the headline repeated at the top of the story is dropped
    for furniture in (
        "Vaccination drive report",
        "Created On",
        "Tags",
        "और पढ़ें",
        "Next Story",
        "दूसरी खबर",
        "Facebook",
    ):
        assert furniture not in text
    assert all(" ".join(p.split()) in text for p in paragraphs)  # whitespace runs collapse


# ------------------------------------------------------------------------------------------------ several hosts
def test_hosts_are_interleaved_each_at_its_own_pace(tmp_path: Path) -> None:
    servers = [TestServer({}).start(), TestServer({}).start()]
    try:
        names = [["a10", "a11", "b07"], ["b08", "b09", "b10"]]
        for server, group in zip(servers, names, strict=True):
            b = server.url
            paths = [f"/news/teekakaran-report-{name}-40001" for name in group]
            server.routes = {
                "/robots.txt": Reply(
                    200, b"User-agent: *\nCrawl-delay: 0.15\n", {"Content-Type": "text/plain"}
                ),
                "/city/": Reply.html(listing_html([(p, n) for p, n in zip(paths, group, strict=True)])),
                **{p: story(b, p, n) for p, n in zip(paths, group, strict=True)},
            }
        settings = test_settings(tmp_path)
        summary = run(settings, [s.url + "/city/" for s in servers])
    finally:
        for server in servers:
            server.stop()
    assert summary.articles == 6
    for server in servers:
        assert server.max_inflight == 1 and server.max_open_connections == 1
        assert all(gap >= 0.15 - EPS for _, gap in gaps(server.hits))
    first, second = servers
    # While one host waits out its Crawl-delay, the other is served.
    assert second.hits[1].start < first.hits[-1].start and first.hits[1].start < second.hits[-1].start


# ------------------------------------------------------------------------------------------------ misbehaviour
@pytest.mark.parametrize(
    ("robots", "state", "code", "requests"),
    [
        (Reply(503, b"down"), "failed", "robots-unavailable", 3),  # RFC 9309: unreachable -> disallow all
        (Reply(404, b"none"), "fetched", None, 2),  # no robots.txt: everything allowed
        (Reply(403, b"no"), "fetched", None, 2),  # 4xx counts as no robots.txt
        (Reply(action="reset"), "failed", "robots-unavailable", 3),
    ],
)
def test_robots_txt_that_cannot_be_read(
    tmp_path: Path, robots: Reply, state: str, code: str | None, requests: int
) -> None:
    with TestServer({}) as server:
        server.routes = {"/robots.txt": robots, "/city/": Reply.html(listing_html([]))}
        settings = test_settings(tmp_path)
        run(settings, [server.url + "/city/"])
        hits = list(server.hits)
    got = states(settings)[server.url + "/city/"]
    assert got[0] == state and (code is None or reason_code(got[1]) == code)
    assert len(hits) == requests


def test_retry_after_beyond_the_limit_pauses_the_host(tmp_path: Path) -> None:
    with TestServer({}) as server:
        b = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/": Reply.html(
                listing_html([("/news/busy-teeka-report-50001", "1"), ("/news/next-teeka-report-50002", "2")])
            ),
            "/news/busy-teeka-report-50001": Reply(503, b"maintenance", {"Retry-After": "3600"}),
            "/news/next-teeka-report-50002": story(b, "/news/next-teeka-report-50002", "a01"),
        }
        settings = test_settings(tmp_path)
        run(settings, [b + "/city/"])
        seen = [h.path for h in server.hits]
    got = states(settings)
    assert seen.count("/news/busy-teeka-report-50001") == 1  # not retried within the run
    assert "/news/next-teeka-report-50002" not in seen  # the host asked for an hour's pause
    assert "Retry-After 3600" in (got[b + "/news/busy-teeka-report-50001"][1] or "")
    assert got[b + "/news/next-teeka-report-50002"][0] == "failed"


def test_a_dripping_body_fails_as_too_slow_without_retries(tmp_path: Path) -> None:
    with TestServer({}) as server:
        b = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/": Reply.html(listing_html([("/news/drip-teeka-report-60001", "1")])),
            "/news/drip-teeka-report-60001": Reply(
                200, headers={"Content-Type": "text/html"}, action="drip", interval=0.05
            ),
        }
        settings = test_settings(tmp_path, max_fetch_seconds=0.4)
        run(settings, [b + "/city/"])
        seen = [h.path for h in server.hits]
    assert seen.count("/news/drip-teeka-report-60001") == 1
    assert reason_code(states(settings)[b + "/news/drip-teeka-report-60001"][1]) == "slow"


def test_a_cross_host_redirect_reads_the_other_hosts_robots_first(tmp_path: Path) -> None:
    with TestServer({}) as old, TestServer({}) as new:
        target = new.url + "/news/naya-pata-teeka-report-70001"
        old.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/": Reply.html(listing_html([("/news/purana-pata-teeka-report-70001", "1")])),
            "/news/purana-pata-teeka-report-70001": Reply(301, b"", {"Location": target}),
        }
        new.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/news/naya-pata-teeka-report-70001": story(new.url, "/news/naya-pata-teeka-report-70001", "a02"),
        }
        settings = test_settings(tmp_path)
        summary = run(settings, [old.url + "/city/"])
        new_seen = [h.path for h in new.hits]
    assert new_seen == ["/robots.txt", "/news/naya-pata-teeka-report-70001"]
    assert summary.articles == 1
    conn = sqlite3.connect(settings.db_path)
    final = conn.execute("select final_url from pages where url like '%purana-pata%'").fetchone()[0]
    assert final == target


# ------------------------------------------------------------------------------------------------ the CLI
def test_cli_crawl_replays_the_sample_site_and_reextract_rebuilds_it(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    db, archive = tmp_path / "db.sqlite", tmp_path / "archive"
    crawl_run = subprocess.run(
        [
            VAXNEWS,
            "crawl",
            "https://samachar.example/city/",
            "--replay",
            str(fixtures_dir / "site"),
            "--db",
            str(db),
            "--archive",
            str(archive),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crawl_run.returncode == 0, crawl_run.stderr
    assert "articles 8" in crawl_run.stdout and "skipped 1 (robots 1)" in crawl_run.stdout
    fresh = tmp_path / "fresh.sqlite"
    again = subprocess.run(
        [VAXNEWS, "reextract", "--db", str(fresh), "--archive", str(archive), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "articles 8" in again.stdout
    a, b = sqlite3.connect(db), sqlite3.connect(fresh)
    query = "select id, title, published from articles order by id"
    assert a.execute(query).fetchall() == b.execute(query).fetchall()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give START_URL"),
        (["--site", "no-such-site"], "no site named 'no-such-site'"),
        (["https://x.example/", "--since", "4 June"], "Invalid isoformat"),
    ],
)
def test_cli_crawl_refuses_bad_arguments(args: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["crawl", *args])
    assert result.exit_code == 2 and message in result.output


def test_transient_failures_are_retried_on_a_bounded_number_of_later_runs(tmp_path: Path) -> None:
    with TestServer({}) as server:
        b = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            "/city/": Reply.html(
                listing_html(
                    [("/news/reset-teeka-report-80001", "1"), ("/news/gone-teeka-report-80002", "2")]
                )
            ),
            "/news/reset-teeka-report-80001": Reply(action="reset"),
            "/news/gone-teeka-report-80002": Reply.html("<p>नहीं</p>", 404),
        }
        settings = test_settings(tmp_path, max_retries=0, retry_failed_runs=2)
        for _ in range(4):
            run(settings, [b + "/city/"])
        seen = [h.path for h in server.hits]
    assert seen.count("/news/reset-teeka-report-80001") == 3  # the first run and two more
    assert seen.count("/news/gone-teeka-report-80002") == 1  # a 404 is not transient
    assert seen.count("/city/") == 4
