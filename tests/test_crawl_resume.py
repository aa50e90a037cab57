"""Killing and interrupting `vaxnews crawl` (a real subprocess against a real local server): nothing
fetched is lost and a re-run resumes where the first one stopped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.archive import Archive
from pipeline.crawl import crawl, discover
from pipeline.fetch import Fetcher
from tests.test_crawl import test_settings
from tests.testsite.server import Reply, TestServer
from tests.testsite.site import article_html, listing_html, report

VAXNEWS = str(Path(sys.executable).with_name("vaxnews"))
NAMES = ["a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09", "a10", "a11", "a12", "b01", "b02"]


def _path(i: int) -> str:
    return f"/city/news/jabalpur-teekakaran-samachar-{10001 + i}"


def site_routes(base: str) -> dict[str, Any]:
    routes: dict[str, Any] = {
        "/robots.txt": Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}),
        "/city/jabalpur": Reply.html(listing_html([(_path(i), name) for i, name in enumerate(NAMES)])),
    }
    for i, name in enumerate(NAMES):
        title, paragraphs = report(name)
        routes[_path(i)] = Reply.html(article_html(title, paragraphs, url=base + _path(i)))
    return routes


def article_hits(server: TestServer) -> Counter[str]:
    return Counter(h.path for h in server.hits if h.path.startswith("/city/news/"))


def cli_args(server: TestServer, tmp: Path) -> list[str]:
    args = [VAXNEWS, "crawl", server.url + "/city/jabalpur", "--db", str(tmp / "db.sqlite")]
    return [*args, "--archive", str(tmp / "archive"), "--delay", "0.05", "--no-progress"]


def start_cli(server: TestServer, tmp: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(cli_args(server, tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_cli(server: TestServer, tmp: Path) -> subprocess.CompletedProcess[str]:
    """The same command again, to its end."""
    return subprocess.run(cli_args(server, tmp), capture_output=True, text=True, timeout=120)


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the crawl")
        time.sleep(0.02)


def final_states(tmp: Path) -> dict[str, str]:
    conn = sqlite3.connect(tmp / "db.sqlite")
    return dict(conn.execute("select url, state from pages"))


def pending(tmp: Path) -> int:
    conn = sqlite3.connect(tmp / "db.sqlite")
    return int(conn.execute("select count(*) from crawl_frontier where state = 'pending'").fetchone()[0])


def test_a_killed_crawl_loses_nothing_and_the_rerun_resumes(tmp_path: Path) -> None:
    with TestServer({}) as server:
        server.routes = site_routes(server.url)
        proc = start_cli(server, tmp_path)
        try:
            wait_for(lambda: sum(article_hits(server).values()) >= 5)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        first = article_hits(server)
        assert 5 <= sum(first.values()) < len(NAMES)
        assert pending(tmp_path) > 0  # the queue survived the kill
        done = run_cli(server, tmp_path)
        assert done.returncode == 0, done.stderr
        hits = article_hits(server)
    states = final_states(tmp_path)
    assert all(states[server.url + _path(i)] == "fetched" for i in range(len(NAMES)))
    assert pending(tmp_path) == 0
    # Each story was requested once; at most the one in flight when the process died is asked again.
    assert set(hits) == {_path(i) for i in range(len(NAMES))}
    assert sum(hits.values()) - len(NAMES) <= 1
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    assert conn.execute("select count(*) from articles").fetchone()[0] == len(NAMES)
    assert "articles" in done.stdout and "fetched" in done.stdout


def test_ctrl_c_stops_cleanly_and_the_rerun_fetches_each_page_once(tmp_path: Path) -> None:
    with TestServer({}) as server:
        server.routes = site_routes(server.url)
        proc = start_cli(server, tmp_path)
        wait_for(lambda: sum(article_hits(server).values()) >= 4)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "resume" in err and "queued for the next run" in out
        states = final_states(tmp_path)
        assert set(states.values()) <= {"fetched"}  # only final states, nothing half-written
        again = run_cli(server, tmp_path)
        assert again.returncode == 0, again.stderr
        hits = article_hits(server)
    assert hits == Counter({_path(i): 1 for i in range(len(NAMES))})
    assert pending(tmp_path) == 0


def test_a_response_archived_before_a_kill_is_used_instead_of_fetching_again(tmp_path: Path) -> None:
    """The window between archiving and recording: the body is on disk, the pages row is not."""
    settings = test_settings(tmp_path)
    with TestServer({}) as server:
        server.routes = site_routes(server.url)
        db = store.connect(settings.db_path)
        start = server.url + "/city/jabalpur"
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            links = discover(settings, [start], db, fetcher)  # queues the stories, fetches none
            assert len(links) == len(NAMES)
            fetcher.fetch(links[0].url)  # archived, then the process "died" before recording it
            fetcher.fetch(links[1].url)
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            summary = crawl(settings, [start], db, fetcher)
        hits = article_hits(server)
    assert hits == Counter({_path(i): 1 for i in range(len(NAMES))})
    assert summary.articles == len(NAMES) and summary.fetched >= len(NAMES)


@pytest.mark.parametrize("max_pages", [3, 5])
def test_max_pages_leaves_the_rest_queued_for_the_next_run(tmp_path: Path, max_pages: int) -> None:
    settings = test_settings(tmp_path, delay_seconds=0.0)
    with TestServer({}) as server:
        server.routes = site_routes(server.url)
        db = store.connect(settings.db_path)
        start = server.url + "/city/jabalpur"
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            first = crawl(settings, [start], db, fetcher, max_pages=max_pages)
        assert first.articles == max_pages and first.pending == len(NAMES) - max_pages
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            second = crawl(settings, [start], db, fetcher)
        hits = article_hits(server)
    assert second.articles == len(NAMES) - max_pages and second.pending == 0
    assert set(hits.values()) == {1}
