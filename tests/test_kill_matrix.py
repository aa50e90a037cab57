"""Kill matrix: SIGKILL real pipeline processes at seeded random points, run the same command again, and
compare with one uninterrupted run.

- `vaxnews crawl` against a local news site (tests/testsite): the server itself kills the crawler at its
  k-th story request, either before answering (the request in flight) or a random moment after answering
  (somewhere in archive -> parse -> extract -> store -> record, or the politeness wait), at the latest
  when the next request arrives.
- The store step: `python -m tests.test_store_support DB` (stores the 75 fixture reports one transaction
  each), killed a random moment after its n-th commit.
- `vaxnews reextract` rebuilding a fresh database from a crawl's archive (parse -> extract -> store with
  no network), killed a random moment after its n-th article.

After each rerun the database equals the uninterrupted run's (a logical dump of every table; for the
crawl and reextract only the wall-clock columns named below may differ, for the store step nothing: its
`iterdump` is byte-identical), no archived record is lost, and every article the killed process had
stored was complete. `pytest -s` prints one line per kill and a total.

The crawl site holds only pages whose outcome is settled by their first answer (stories, a redirect
chain, a 404, an unparseable page, a print duplicate, a PDF): a URL that is retried (429/5xx, network
errors) is, after a kill, asked again by the rerun, which legitimately changes its `pages.attempts` and,
once it failed, its `crawl_frontier.runs` (the count of later runs that retried it). The retry paths are
covered by tests/test_fault_matrix.py and, for a kill between an archived 503 and its retry, below.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.archive import Archive
from pipeline.crawl import crawl, discover
from pipeline.fetch import Fetcher, Job
from tests.test_crawl import test_settings
from tests.test_crawl_modes import ROBOTS_OPEN, story
from tests.test_crawl_resume import NAMES, VAXNEWS, _path, run_cli, site_routes, start_cli
from tests.test_store_crash import consistent, facts_by_article, kill, start_child
from tests.test_store_support import REPORTS, RUN_TIMES, iterdump, logical_dump, reports_db
from tests.testsite.server import Reply, Request, Route, TestServer
from tests.testsite.site import listing_html, sequence

pytestmark = pytest.mark.slow  # real subprocesses, killed and run again

CRAWL_SEEDS = [3, 14, 15, 92]
STORE_SEEDS = [6, 53, 58]
REEXTRACT_SEEDS = [97, 93, 23]

# The only columns left out of the comparison: wall-clock times. The reference ran at another moment,
# so these differ between any two runs, killed or not; every other column must be equal.
#   pages.fetched_at        when the response arrived
#   articles.extracted_at   when the article was extracted and stored
#   crawl_frontier.added_at when the URL was queued (every run queues its start points again)
CRAWL_TIMES: dict[str, set[str]] = {**RUN_TIMES, "pages": {"fetched_at"}}
# `vaxnews reextract` takes fetched_at from the archive: only the extraction time differs.
REEXTRACT_TIMES: dict[str, set[str]] = {"articles": {"extracted_at"}}

LISTING = "/city/jabalpur"
MOVED = "/city/news/purana-pata-teekakaran-samachar-10101"
EXTRA_STORIES = [
    MOVED,  # 301 -> 302 -> the story
    "/city/news/hataya-gaya-teekakaran-samachar-10104",  # 404
    "/city/news/print-jabalpur-teekakaran-samachar-10105",  # rel=canonical: the first story
    "/city/news/khali-panna-teekakaran-samachar-10106",  # no story text: parse failure
    "/city/news/teeka-suchi-teekakaran-samachar-10107",  # a PDF
]
KILLS: Counter[str] = Counter()


def kill_site(base: str) -> dict[str, Any]:
    """The resume tests' 14 stories, plus pages whose first answer settles them."""
    routes = site_routes(base)
    stories = [_path(i) for i in range(len(NAMES))]
    routes[LISTING] = Reply.html(
        listing_html([(p, f"खबर {i}") for i, p in enumerate(stories + EXTRA_STORIES)])
    )
    routes["/robots.txt"] = ROBOTS_OPEN
    hop, final = "/city/news/beech-ka-pata-10102", "/city/news/naya-pata-teekakaran-samachar-10103"
    routes[MOVED] = Reply(301, b"", {"Location": hop})
    routes[hop] = Reply(302, b"", {"Location": base + final})
    routes[final] = story(base, final, "b03")
    print_path = EXTRA_STORIES[2]
    routes[print_path] = story(base, print_path, "b04", canonical=base + stories[0])
    routes[EXTRA_STORIES[3]] = Reply.html("<html><body><p>छोटा पन्ना</p></body></html>")
    routes[EXTRA_STORIES[4]] = Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"})
    return routes


# ------------------------------------------------------------------------------------------- kills
class KillSwitch:
    """Kills the crawler from inside the server: at its k-th story request, before answering it
    (`delay` None) or `delay` seconds after, and at the latest when its next story request arrives."""

    def __init__(self, k: int, delay: float | None) -> None:
        self.k, self.delay = k, delay
        self.seen = 0
        self.pid: int | None = None
        self.fired = threading.Event()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def kill(self) -> None:
        with self._lock:
            if self.pid is not None and not self.fired.is_set():
                os.kill(self.pid, signal.SIGKILL)
                self.fired.set()

    def disarm(self) -> None:
        """Before the child is reaped: its pid must never be signalled once it may be reused."""
        with self._lock:
            self.pid = None
        if self._timer is not None:
            self._timer.cancel()

    def wrap(self, route: Route) -> Callable[[Request], Reply]:
        def wrapped(request: Request) -> Reply:
            if request.path.startswith("/city/news/"):
                self.seen += 1
                if self.seen > self.k or (self.seen == self.k and self.delay is None):
                    self.kill()
                elif self.seen == self.k:
                    self._timer = threading.Timer(self.delay or 0.0, self.kill)
                    self._timer.daemon = True
                    self._timer.start()
            return route(request) if callable(route) else route

        return wrapped


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 60.0) -> bool:
    """Wait for `condition` while the child runs; False if the child ended first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            return condition()
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the kill point")
        time.sleep(0.005)
    return True


def kill_after(proc: subprocess.Popen[str], reached: Callable[[], bool], delay: float) -> None:
    """SIGKILL the child `delay` seconds after `reached()` turns true (it must still be running)."""
    try:
        ok = wait_until(reached, proc)
        time.sleep(delay)
        assert ok and proc.poll() is None, "the run finished before it could be killed"
    finally:
        kill(proc)
    assert proc.returncode == -signal.SIGKILL


def committed(proc: subprocess.Popen[str]) -> int:
    """The storing child's next "stored N" line (blocks until it comes; a large N once it has ended)."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return int(line.split()[1]) if line else len(REPORTS) + 1


def article_count(path: Path) -> int:
    """Articles committed so far (0 while the child is still creating the file)."""
    if not path.exists():
        return 0
    try:
        conn = store.connect_readonly(path)
        try:
            return int(conn.execute("select count(*) from articles").fetchone()[0])
        finally:
            conn.close()
    except (sqlite3.Error, store.SchemaError):
        return 0


# ------------------------------------------------------------------------------------------- archive
def record_lines(archive_dir: Path) -> list[str]:
    return [json.dumps(asdict(r), sort_keys=True) for r in Archive(archive_dir).records()]


def check_archive_kept(archive_dir: Path, before_rerun: list[str], db_path: Path) -> None:
    """Everything archived before the kill is still indexed (the index only grows) and reads back; every
    hash the database records names an archived body."""
    archive = Archive(archive_dir)
    assert record_lines(archive_dir)[: len(before_rerun)] == before_rerun
    for rec in archive.records():
        assert archive.has(rec.sha256) and len(archive.body(rec.sha256)) == rec.size
    conn = sqlite3.connect(db_path)
    try:
        for url, sha in conn.execute("select url, sha256 from pages where sha256 is not null"):
            assert archive.has(sha), url
    finally:
        conn.close()


def assert_same_tables(got: Path, want: Path, ignore: dict[str, set[str]], context: str = "") -> None:
    """Logical dumps equal; on failure, name the table and the rows only one side has."""
    mine, theirs = logical_dump(got, ignore), logical_dump(want, ignore)
    assert sorted(mine) == sorted(theirs)
    for table, rows in theirs.items():
        extra = [r for r in mine[table] if r not in rows]
        missing = [r for r in rows if r not in mine[table]]
        assert mine[table] == rows, (
            f"{table}: only after the kill {extra[:3]}; only uninterrupted {missing[:3]}\n{context}"
        )


def responses(archive_dir: Path) -> set[tuple[str, str, int, str]]:
    return {(r.url, r.final_url, r.status, r.sha256) for r in Archive(archive_dir).records()}


@pytest.fixture(scope="module", autouse=True)
def kills_performed() -> Iterator[None]:
    yield
    if KILLS:
        kinds = ", ".join(f"{k} {v}" for k, v in KILLS.items())
        print(f"\nkill matrix total: {sum(KILLS.values())} kills ({kinds}), each rerun verified: 0 rows lost")


# ------------------------------------------------------------------------------------------- crawl
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One server for the whole module (URLs, hence article ids, are the same in every run) and the
    reference: one uninterrupted `vaxnews crawl`."""
    ref = tmp_path_factory.mktemp("reference")
    with TestServer({}) as server:
        server.routes = kill_site(server.url)
        done = run_cli(server, ref)
        assert done.returncode == 0, done.stderr
        requests = sum(1 for h in server.hits if h.path.startswith("/city/news/"))
        yield {"server": server, "ref": ref, "requests": requests}


def test_the_reference_crawl_records_every_kind_of_page(site: dict[str, Any]) -> None:
    base, ref = site["server"].url, site["ref"]
    conn = sqlite3.connect(ref / "db.sqlite")
    states = dict(conn.execute("select url, coalesce(reason, state) from pages"))
    assert all(states[base + _path(i)] == "fetched" for i in range(len(NAMES)))
    assert states[base + MOVED] == "fetched"
    assert states[base + EXTRA_STORIES[1]] == "HTTP 404"
    assert states[base + EXTRA_STORIES[2]] == f"duplicate of {base + _path(0)}"
    assert states[base + EXTRA_STORIES[3]].startswith("parse:")
    assert "not HTML" in states[base + EXTRA_STORIES[4]]
    assert conn.execute("select count(*) from articles").fetchone()[0] == len(NAMES) + 1


@pytest.mark.parametrize("seed", CRAWL_SEEDS)
def test_a_crawl_killed_at_a_random_point_reruns_to_the_uninterrupted_database(
    site: dict[str, Any], tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    server = site["server"]
    k = rng.randint(1, site["requests"] - 1)
    delay = None if rng.random() < 0.3 else round(rng.uniform(0.0, 0.15), 3)
    switch = KillSwitch(k, delay)
    plain = kill_site(server.url)
    server.routes = {path: switch.wrap(route) for path, route in plain.items()}
    proc = start_cli(server, tmp_path)
    switch.pid = proc.pid
    try:
        killed = wait_until(switch.fired.is_set, proc)
    finally:
        switch.disarm()
        server.routes = plain
        if not switch.fired.is_set() and proc.poll() is None:
            proc.kill()  # the test failed before its kill point: do not leave the child running
        proc.wait(timeout=30)
    assert killed and proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    db_path = tmp_path / "db.sqlite"
    consistent(db_path)
    archived = record_lines(tmp_path / "archive")

    done = run_cli(server, tmp_path)
    assert done.returncode == 0, done.stderr
    check_archive_kept(tmp_path / "archive", archived, db_path)
    assert responses(tmp_path / "archive") >= responses(site["ref"] / "archive")
    context = (
        f"k={k} delay={delay}\nkilled run: {proc.stdout.read() if proc.stdout else ''}\nrerun: {done.stdout}"
    )
    assert_same_tables(db_path, site["ref"] / "db.sqlite", CRAWL_TIMES, context)
    KILLS["crawl"] += 1
    when = "in flight" if delay is None else f"{delay:.3f} s after answering"
    print(
        f"\nkill matrix crawl seed {seed}: SIGKILL at story request {k} ({when}); {len(archived)} records kept"
    )


# ------------------------------------------------------------------------------------------- store
@pytest.mark.parametrize("seed", STORE_SEEDS)
def test_the_store_step_killed_at_a_random_point_reruns_to_the_uninterrupted_database(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    after, delay = rng.randint(1, len(REPORTS) - 10), round(rng.uniform(0.0, 0.05), 3)
    path = tmp_path / "killed.db"
    proc = start_child(["-m", "tests.test_store_support", str(path)])
    kill_after(proc, lambda: committed(proc) >= after, delay)
    stored_before_rerun = check_partial(path, reports_db())
    assert after <= len(stored_before_rerun) < len(REPORTS)

    rerun = start_child(["-m", "tests.test_store_support", str(path)])
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    # extracted_at is fixed by the storing child: the whole file must be the same, byte for byte.
    assert_same_tables(path, reports_db(), {})
    assert iterdump(path) == iterdump(reports_db())
    KILLS["store"] += 1
    print(
        f"\nkill matrix store seed {seed}: SIGKILL {delay:.3f} s after commit {after}; "
        f"{len(stored_before_rerun)} articles kept"
    )


def check_partial(path: Path, reference: Path) -> list[str]:
    """The killed file is consistent and each article in it has exactly the reference's facts."""
    consistent(path)
    partial, whole = facts_by_article(path), facts_by_article(reference)
    conn = sqlite3.connect(path)
    try:
        done = [r[0] for r in conn.execute("select id from articles")]
    finally:
        conn.close()
    for article_id in done:
        assert partial.get(article_id, []) == whole.get(article_id, []), article_id
    return done


# ------------------------------------------------------------------------------------------- reextract
def reextract_args(db: Path, archive: Path) -> list[str]:
    """`vaxnews reextract` as arguments of start_child (which runs the console script with Python)."""
    return [VAXNEWS, "reextract", "--db", str(db), "--archive", str(archive), "--no-progress"]


@pytest.fixture(scope="module")
def reextracted(site: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the crawl's archive re-extracted into a fresh database, uninterrupted."""
    path = tmp_path_factory.mktemp("reextract") / "whole.db"
    child = start_child(reextract_args(path, site["ref"] / "archive"))
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return path


@pytest.mark.parametrize("seed", REEXTRACT_SEEDS)
def test_reextract_killed_at_a_random_point_reruns_to_the_uninterrupted_database(
    site: dict[str, Any], reextracted: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    archive = site["ref"] / "archive"
    before = record_lines(archive)
    total = article_count(reextracted)
    after, delay = rng.randint(1, total - 3), round(rng.uniform(0.0, 0.05), 3)
    path = tmp_path / "killed.db"
    proc = start_child(reextract_args(path, archive))
    kill_after(proc, lambda: article_count(path) >= after, delay)
    kept = check_partial(path, reextracted)
    assert after <= len(kept) < total

    rerun = start_child(reextract_args(path, archive))
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert_same_tables(path, reextracted, REEXTRACT_TIMES)
    assert record_lines(archive) == before  # re-extraction never writes the archive
    KILLS["reextract"] += 1
    print(
        f"\nkill matrix reextract seed {seed}: SIGKILL {delay:.3f} s after article {after}; "
        f"{len(kept)} articles kept"
    )


# ------------------------------------------------------------------------------------------- windows
def test_a_503_archived_before_a_kill_is_asked_again_not_taken_as_final(tmp_path: Path) -> None:
    """The kill lands between a 503 (archived) and its retry: the rerun must not mistake the archived
    503 for the page's final answer."""
    settings = test_settings(tmp_path, delay_seconds=0.0)
    path = "/city/news/vyast-server-teekakaran-samachar-10201"
    with TestServer({}) as server:
        base = server.url
        server.routes = {
            "/robots.txt": ROBOTS_OPEN,
            LISTING: Reply.html(listing_html([(path, "व्यस्त")])),
            path: sequence(Reply.html("<h1>503</h1>", 503), story(base, path, "b05")),
        }
        db = store.connect(settings.db_path)
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            [link] = discover(settings, [base + LISTING], db, fetcher)
            assert fetcher.step(Job(link.url)) is None  # the 503: archived, a retry due; then "killed"
        assert [r.status for r in Archive(settings.archive_dir).records() if r.url == base + path] == [503]
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            summary = crawl(settings, [base + LISTING], db, fetcher)
        hits = [h.status for h in server.hits if h.path == path]
    assert hits == [503, 200]
    assert summary.articles == 1
    row = db.execute("select state, status, attempts from pages where url = ?", [base + path]).fetchone()
    assert row == ("fetched", 200, 1)


def test_a_record_appended_after_a_torn_index_line_is_kept(tmp_path: Path) -> None:
    """A process killed while appending to responses.jsonl leaves a line without its newline; the next
    run's records must start on a line of their own, or they are lost with the torn one."""
    archive = Archive(tmp_path)
    first = archive.put("https://x.example/a-1", "https://x.example/a-1", 200, {}, b"<p>one</p>")
    line = json.dumps(asdict(first), ensure_ascii=False, sort_keys=True)
    with open(archive.index_path, "a", encoding="utf-8") as fh:
        fh.write(line[: len(line) // 2])  # what a killed writer leaves behind
    second = Archive(tmp_path).put("https://x.example/b-2", "https://x.example/b-2", 200, {}, b"<p>two</p>")
    assert list(Archive(tmp_path).records()) == [first, second]
