"""The polite fetcher and the archive, against a real local server and a real archive directory."""

from __future__ import annotations

import email.utils
import gzip
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.archive import Archive, ReplayTransport
from pipeline.crawl import is_transient, reason_code
from pipeline.fetch import Fetcher, _allowed_type, _retry_after_seconds
from tests.test_crawl import EPS, test_settings
from tests.testsite.server import Reply, TestServer, gaps
from tests.testsite.site import conditional

ROBOTS_OPEN = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
PAGE = Reply.html("<html><body><p>टीकाकरण की खबर</p></body></html>")


def fetcher_for(tmp: Path, **overrides: Any) -> Fetcher:
    settings = test_settings(tmp, **overrides)
    return Fetcher(settings, Archive(settings.archive_dir))


# ------------------------------------------------------------------------------------------------ pure helpers
@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: retry now
    ],
)
def test_retry_after_values(value: str | None, seconds: float | None) -> None:
    assert _retry_after_seconds(value) == seconds


def test_retry_after_as_a_future_http_date() -> None:
    when = email.utils.formatdate(time.time() + 90, usegmt=True)
    seconds = _retry_after_seconds(when)
    assert seconds is not None and 85 <= seconds <= 91


@pytest.mark.parametrize(
    ("ctype", "url", "allowed"),
    [
        ("text/html", "https://x/a", True),
        ("application/xhtml+xml", "https://x/a", True),
        ("application/rss+xml", "https://x/feed", True),
        ("application/atom+xml", "https://x/feed", True),
        ("text/xml", "https://x/sitemap.xml", True),
        ("application/xml", "https://x/sitemap.xml", True),
        ("application/x-gzip", "https://x/sitemap.xml.gz", True),
        ("application/x-gzip", "https://x/archive.tar", False),
        ("application/pdf", "https://x/a", False),
        ("image/jpeg", "https://x/a", False),
        ("application/json", "https://x/a", False),
        ("video/mp4", "https://x/a", False),
    ],
)
def test_only_html_xml_and_feeds_are_downloaded(ctype: str, url: str, allowed: bool) -> None:
    assert _allowed_type(ctype, url) is allowed


@pytest.mark.parametrize(
    ("state", "status", "reason", "code", "transient"),
    [
        ("skipped", None, "disallowed by robots.txt", "robots", False),
        ("skipped", 200, "content type application/pdf is not HTML, XML or a feed", "type", False),
        ("skipped", 200, "body of 20000000 bytes is over the size limit of 5000000", "size", False),
        ("skipped", 200, "duplicate of https://x/a", "duplicate", False),
        ("skipped", None, "older than --since 2021-06-01 (lastmod 2021-05-01)", "since", False),
        ("failed", None, "timeout (ReadTimeout) after 3 attempts", "timeout", True),
        ("failed", None, "connection error (ReadError: reset) after 3 attempts", "connection", True),
        ("failed", 503, "HTTP 503 after 5 attempts", "http", True),
        (
            "failed",
            429,
            "HTTP 429 with Retry-After 3600 s, over the limit of 600 s; a later run retries",
            "http",
            True,
        ),
        ("failed", 404, "HTTP 404", "http", False),
        ("failed", None, "redirect loop: a -> b -> a", "redirect", False),
        ("failed", 200, "parse: no article body found", "parse", False),
        (
            "failed",
            None,
            "robots.txt unavailable (HTTP 503 after 5 attempts): the host is treated as disallowed",
            "robots-unavailable",
            True,
        ),
    ],
)
def test_reasons_have_codes_and_transience(
    state: str, status: int | None, reason: str, code: str, transient: bool
) -> None:
    assert reason_code(reason) == code
    assert is_transient(state, status, reason) is transient


# ------------------------------------------------------------------------------------------------ live server
def test_conditional_get_answers_304_as_not_modified(tmp_path: Path) -> None:
    with (
        TestServer({"/robots.txt": ROBOTS_OPEN, "/page": conditional(lambda: PAGE)}) as server,
        fetcher_for(tmp_path) as fetcher,
    ):
        first = fetcher.fetch(server.url + "/page")
        assert first.state == "fetched" and first.record is not None
        etag = first.record.headers["etag"]
        second = fetcher.fetch(server.url + "/page", etag=etag)
        third = fetcher.fetch(server.url + "/page", last_modified=first.record.headers["last-modified"])
        assert (second.state, second.status, third.state) == ("not_modified", 304, "not_modified")
        assert server.seen("/page")[1].headers["if-none-match"] == etag


def test_every_response_is_archived_before_it_is_returned(tmp_path: Path) -> None:
    routes: dict[str, Any] = {
        "/robots.txt": ROBOTS_OPEN,
        "/page": PAGE,
        "/gone": Reply.html("<p>नहीं मिला</p>", 404),
    }
    with TestServer(routes) as server, fetcher_for(tmp_path) as fetcher:
        ok, gone = fetcher.fetch(server.url + "/page"), fetcher.fetch(server.url + "/gone")
    archive = Archive(tmp_path / "archive")
    assert ok.record is not None and archive.body(ok.record.sha256) == PAGE.body
    assert gone.state == "failed" and gone.record is not None and archive.has(gone.record.sha256)
    lines = [json.loads(line) for line in archive.index_path.read_text(encoding="utf-8").splitlines()]
    assert [(r["url"].rsplit("/", 1)[-1], r["status"]) for r in lines] == [("page", 200), ("gone", 404)]
    assert all(r["fetched_at"].endswith("+00:00") and r["headers"]["content-type"] for r in lines)


def test_gzip_content_encoding_and_gzipped_sitemap_files(tmp_path: Path) -> None:
    packed = gzip.compress(b"<urlset><url><loc>https://x/a</loc></url></urlset>")
    routes = {
        "/robots.txt": ROBOTS_OPEN,
        "/encoded": Reply(
            200, gzip.compress(PAGE.body), {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        ),
        "/sitemap.xml.gz": Reply(200, packed, {"Content-Type": "application/x-gzip"}),
    }
    with TestServer(routes) as server, fetcher_for(tmp_path) as fetcher:
        encoded = fetcher.fetch(server.url + "/encoded")
        sitemap = fetcher.fetch(server.url + "/sitemap.xml.gz")
    assert encoded.record is not None and fetcher.archive.body(encoded.record.sha256) == PAGE.body
    assert sitemap.state == "fetched" and sitemap.record is not None and sitemap.record.size == len(packed)


def test_redirect_limit_relative_locations_and_other_schemes(tmp_path: Path) -> None:
    routes: dict[str, Any] = {"/robots.txt": ROBOTS_OPEN, "/final": PAGE}
    for i in range(8):
        routes[f"/hop{i}"] = Reply(302, b"", {"Location": f"hop{i + 1}" if i < 7 else "/final"})
    routes["/short"] = Reply(301, b"", {"Location": "/hop5"})
    routes["/ftp"] = Reply(301, b"", {"Location": "ftp://files.example/list.txt"})
    with TestServer(routes) as server, fetcher_for(tmp_path, max_redirects=5) as fetcher:
        long_chain = fetcher.fetch(server.url + "/hop0")
        short = fetcher.fetch(server.url + "/short")
        ftp = fetcher.fetch(server.url + "/ftp")
    assert long_chain.state == "failed" and "too many redirects" in (long_chain.reason or "")
    assert short.state == "fetched" and short.final_url == server.url + "/final" and short.attempts == 5
    assert short.record is not None and short.record.redirects[0] == server.url + "/short"
    assert (ftp.state, ftp.reason) == ("skipped", "not an http(s) URL")


def test_crawl_delay_and_the_configured_delay_whichever_is_longer(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": Reply(
            200, b"User-agent: vaxnews\nCrawl-delay: 0.2\n\nUser-agent: *\nCrawl-delay: 9\n"
        ),
        "/a": PAGE,
        "/b": PAGE,
        "/c": PAGE,
    }
    with TestServer(routes) as server, fetcher_for(tmp_path, delay_seconds=0.05) as fetcher:
        for path in ("/a", "/b", "/c"):
            assert fetcher.fetch(server.url + path).state == "fetched"
        spacing = [gap for _, gap in gaps(server.hits)]
    assert min(spacing) >= 0.2 - EPS  # our own group's Crawl-delay, not the default group's 9 s
    assert max(spacing) < 5


def test_robots_agent_groups_are_matched_by_product_token(tmp_path: Path) -> None:
    robots = b"User-agent: *\nDisallow:\n\nUser-agent: vaxnews\nDisallow: /hindi/\n"
    routes = {"/robots.txt": Reply(200, robots), "/hindi/a": PAGE, "/english/a": PAGE}
    with TestServer(routes) as server, fetcher_for(tmp_path) as fetcher:
        blocked = fetcher.fetch(server.url + "/hindi/a")
        allowed = fetcher.fetch(server.url + "/english/a")
        assert not fetcher.allowed(server.url + "/hindi/b") and fetcher.allowed(server.url + "/x")
    assert (blocked.state, blocked.reason, allowed.state) == (
        "skipped",
        "disallowed by robots.txt",
        "fetched",
    )
    assert not server.seen("/hindi/a")


def test_a_connection_reset_then_success(tmp_path: Path) -> None:
    from tests.testsite.site import sequence

    routes: dict[str, Any] = {"/robots.txt": ROBOTS_OPEN, "/flaky": sequence(Reply(action="reset"), PAGE)}
    with TestServer(routes) as server, fetcher_for(tmp_path) as fetcher:
        result = fetcher.fetch(server.url + "/flaky")
    assert (result.state, result.attempts) == ("fetched", 2)
    assert [h.action for h in server.seen("/flaky")] == ["reset", "send"]


def test_stop_interrupts_a_wait_without_a_request(tmp_path: Path) -> None:
    import threading

    from pipeline.fetch import Interrupted

    with (
        TestServer({"/robots.txt": ROBOTS_OPEN, "/a": PAGE}) as server,
        fetcher_for(tmp_path, delay_seconds=30) as fetcher,
    ):
        threading.Timer(0.3, fetcher.stop.set).start()  # Ctrl-C while the host's 30 s delay runs
        started = time.monotonic()
        with pytest.raises(Interrupted):
            fetcher.fetch(server.url + "/a")  # robots.txt first, then a 30 s wait for /a
        assert time.monotonic() - started < 5
        assert [h.path for h in server.hits] == ["/robots.txt"]


# ------------------------------------------------------------------------------------------------ replay and archive
def test_replay_serves_recordings_redirects_and_conditional_requests(tmp_path: Path) -> None:
    recording = Archive(tmp_path / "rec")
    recording.put(
        "https://r.example/robots.txt",
        "https://r.example/robots.txt",
        200,
        {"content-type": "text/plain"},
        b"User-agent: *\nDisallow: /x\n",
    )
    recording.put(
        "https://r.example/old",
        "https://r.example/new",
        200,
        {"content-type": "text/html", "etag": '"v1"'},
        PAGE.body,
    )
    settings = test_settings(tmp_path)
    with Fetcher(settings, Archive(tmp_path / "copy"), transport=ReplayTransport(recording)) as fetcher:
        moved = fetcher.fetch("https://r.example/old")
        same = fetcher.fetch("https://r.example/new", etag='"v1"')
        missing = fetcher.fetch("https://r.example/never-recorded")
        blocked = fetcher.fetch("https://r.example/x/1")
    assert (moved.state, moved.final_url) == ("fetched", "https://r.example/new")
    assert same.state == "not_modified"
    assert (missing.state, missing.reason) == ("failed", "not in the replay archive")
    assert blocked.reason == "disallowed by robots.txt"
    assert fetcher.delay == 0.0  # nobody to be polite to


def test_archive_survives_torn_lines_and_newer_fields(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    rec = archive.put("https://x/a", "https://x/a", 200, {"Content-Type": "text/html"}, b"<p>a</p>")
    with open(archive.index_path, "a", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {
                    **json.loads(archive.index_path.read_text().splitlines()[0]),
                    "url": "https://x/b",
                    "final_url": "https://x/b",
                    "future_field": 1,
                }
            )
            + "\n"
        )
        fh.write('{"url": "https://x/c", "final_u')  # the process died mid-line
    again = Archive(tmp_path)
    assert [r.url for r in again.records()] == ["https://x/a", "https://x/b"]
    assert again.latest("https://x/a") == rec and again.body(rec.sha256) == b"<p>a</p>"
    assert set(again.latest_by_url()) == {"https://x/a", "https://x/b"}
    assert not list(tmp_path.rglob("*.tmp"))
    with pytest.raises(ValueError):
        archive.body("../../etc/passwd")


def test_live_client_sends_no_cookies_and_an_honest_agent(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": ROBOTS_OPEN,
        "/set": Reply(200, PAGE.body, {"Content-Type": "text/html", "Set-Cookie": "id=1"}),
        "/next": PAGE,
    }
    with TestServer(routes) as server, fetcher_for(tmp_path) as fetcher:
        fetcher.fetch(server.url + "/set")
        fetcher.fetch(server.url + "/next")
        headers = server.seen("/next")[0].headers
    assert headers["user-agent"].startswith("vaxnews/") and "+https://" in headers["user-agent"]
    assert "cookie" not in headers  # no sessions: every page is fetched as a stranger would
    assert isinstance(fetcher.client, httpx.Client)
