"""Fault matrix: a news site of 24 stories on a real local server (tests/testsite), with faults dealt to
the stories by `random.Random(seed)`, crawled twice per seed.

Fault classes (each appears at least once per seed, the rest of the pages are dealt at random):
hang (timeout), connection reset, a burst of 429s with Retry-After then the page, a burst of 5xx then the
page, a permanent 5xx, a body dripping past `max_fetch_seconds`, a body trickling slowly but in time, a
redirect loop, a redirect chain, a chain longer than `max_redirects`, a body cut short under its
Content-Length, a chunked body cut inside a chunk (each either permanent or once-then-fine), a 404, and
healthy pages.

For every seed: the crawl returns; every story has one final recorded state, the one its fault calls
for (fetched / failed with a reason naming the fault / failed-and-retried-later); every response the
server sent completely is in the archive and reads back byte for byte, and nothing the server cut short
is; a second run keeps every archived record, asks only for what failed transiently and ends in the
same states. `pytest -s` prints one line per seed with the faults injected and a total at the end.
"""

from __future__ import annotations

import email.utils
import hashlib
import itertools
import json
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline.archive import Archive
from pipeline.crawl import is_transient, reason_code
from tests.test_crawl import test_settings
from tests.test_crawl_modes import ROBOTS_OPEN, run
from tests.testsite.server import Hit, Reply, Request, TestServer
from tests.testsite.site import article_html, listing_html, report

pytestmark = pytest.mark.slow  # about 5 s per seed: hangs and drips cost real seconds, in both runs

SEEDS = [11, 23, 37, 41, 59]
N_PAGES = 24
STORIES = [f"{s}{i:02d}" for s in "abc" for i in range(1, 26)]
LISTING = "/city/jabalpur"
TIMEOUT = 0.25  # per read: a hang costs 1 + MAX_RETRIES of these
MAX_FETCH = 0.5  # a drip fails after this long; a trickle ends well before it
MAX_RETRIES = 2
MAX_REDIRECTS = 3
FINAL_STATES = {"fetched", "not_modified", "skipped", "failed"}


def fault_settings(tmp: Path) -> Any:
    return test_settings(
        tmp,
        delay_seconds=0.01,
        timeout_seconds=TIMEOUT,
        max_retries=MAX_RETRIES,
        backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        max_fetch_seconds=MAX_FETCH,
        max_redirects=MAX_REDIRECTS,
    )


# ------------------------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    """One story: its fault, the replies it gets (the n-th request the n-th reply, the last repeating),
    which of them are faults, and what the crawl must record for it."""

    fault: str
    path: str
    replies: list[Reply]
    faulty: list[bool]
    state: str  # fetched | failed
    code: str | None = None  # crawl.reason_code of the failure
    transient: bool = False  # a later run retries it
    needle: str = ""  # a piece of the recorded reason that names the fault
    final_path: str | None = None  # where a redirect chain ends
    extra: dict[str, Reply] = field(default_factory=dict)  # redirect hops
    served: int = 0  # faulty responses the server gave

    def route(self, request: Request) -> Reply:
        i = min(request.n, len(self.replies)) - 1
        self.served += self.faulty[i]
        return self.replies[i]

    def hop(self, reply: Reply) -> Callable[[Request], Reply]:
        """The route of a redirect hop (a fault served) or of a chain's final page (not one)."""

        def route(_request: Request) -> Reply:
            self.served += 300 <= reply.status < 400
            return reply

        return route


@dataclass
class Page:
    """What a builder gets: the story's path, its healthy reply and the seeded generator."""

    rng: random.Random
    base: str
    path: str
    name: str

    def html(self, path: str | None = None) -> Reply:
        title, paragraphs = report(self.name)
        return Reply.html(article_html(title, paragraphs, url=self.base + (path or self.path)))


def _healthy(p: Page) -> Plan:
    return Plan("healthy", p.path, [p.html()], [False], "fetched")


def _hang(p: Page) -> Plan:
    return Plan("hang", p.path, [Reply(action="hang")], [True], "failed", "timeout", True, "ReadTimeout")


def _reset(p: Page) -> Plan:
    return Plan("reset", p.path, [Reply(action="reset")], [True], "failed", "connection", True)


def _retry_after(rng: random.Random) -> str:
    """Retry-After as delta-seconds or as an HTTP date (one already past: retry at once)."""
    if rng.random() < 0.5:
        return "0"
    return email.utils.formatdate(time.time() - 2, usegmt=True)


def _burst_429(p: Page) -> Plan:
    k = p.rng.randint(1, MAX_RETRIES)
    busy = [Reply(429, b"<h1>Too Many Requests</h1>", {"Retry-After": _retry_after(p.rng)}) for _ in range(k)]
    return Plan("burst_429", p.path, [*busy, p.html()], [True] * k + [False], "fetched")


def _error_page(status: int) -> Reply:
    return Reply.html(f"<html><body><h1>{status}</h1><p>सर्वर में त्रुटि</p></body></html>", status)


def _burst_5xx(p: Page) -> Plan:
    k = p.rng.randint(1, MAX_RETRIES)
    errors = [_error_page(p.rng.choice([500, 502, 503, 504])) for _ in range(k)]
    return Plan("burst_5xx", p.path, [*errors, p.html()], [True] * k + [False], "fetched")


def _permanent_5xx(p: Page) -> Plan:
    status = p.rng.choice([500, 502, 503, 504])
    return Plan(
        "permanent_5xx", p.path, [_error_page(status)], [True], "failed", "http", True, f"HTTP {status}"
    )


def _drip(p: Page) -> Plan:
    drip = Reply(200, headers={"Content-Type": "text/html"}, action="drip", interval=0.05)
    return Plan("drip", p.path, [drip], [True], "failed", "slow", True, "too slow")


def _trickle(p: Page) -> Plan:
    page = p.html()
    slow = Reply(200, page.body, page.headers, action="trickle", size=len(page.body) // 4 + 1, interval=0.03)
    return Plan("trickle", p.path, [slow], [True], "fetched")


def _redirect(status: int, target: str) -> Reply:
    return Reply(status, b"", {"Location": target})


def _redirect_loop(p: Page) -> Plan:
    hops = [f"{p.path}-loop-{i}" for i in range(1, p.rng.randint(1, 2) + 1)]
    chain = [p.path, *hops]
    extra = {
        src: _redirect(p.rng.choice([301, 302, 307]), dst)
        for src, dst in zip(hops, [*hops[1:], p.path], strict=True)
    }
    plan = Plan("redirect_loop", p.path, [_redirect(302, chain[1])], [True], "failed", "redirect")
    plan.needle, plan.extra = "redirect loop: " + " -> ".join(p.base + c for c in [*chain, p.path]), extra
    return plan


def _chain(p: Page, n_hops: int) -> tuple[list[str], dict[str, Reply]]:
    """path -> hop 1 -> ... -> hop n: the hops' redirects, relative and absolute Locations mixed."""
    hops = [f"{p.path}-hop-{i}" for i in range(1, n_hops + 1)]
    extra = {}
    for src, dst in itertools.pairwise(hops):
        location = dst if p.rng.random() < 0.5 else p.base + dst
        extra[src] = _redirect(p.rng.choice([301, 302, 303, 307, 308]), location)
    return hops, extra


def _redirect_chain(p: Page) -> Plan:
    hops, extra = _chain(p, p.rng.randint(1, MAX_REDIRECTS))
    final = hops[-1]
    extra[final] = p.html(final)
    plan = Plan("redirect_chain", p.path, [_redirect(301, hops[0])], [True], "fetched", final_path=final)
    plan.extra = extra
    return plan


def _too_many_redirects(p: Page) -> Plan:
    hops, extra = _chain(p, MAX_REDIRECTS + 1)
    extra[hops[-1]] = p.html(hops[-1])  # never reached
    plan = Plan("too_many_redirects", p.path, [_redirect(302, hops[0])], [True], "failed", "redirect")
    plan.needle, plan.extra = "too many redirects", extra
    return plan


def _cut(p: Page, action: str) -> Plan:
    page = p.html()
    missing = p.rng.randint(1, 2000)
    cut = Reply(200, page.body[: p.rng.randint(0, len(page.body))], page.headers, action, size=missing)
    if action == "chunk_cut":
        cut = Reply(200, page.body, page.headers, action, size=p.rng.randint(200, 3000))
    if p.rng.random() < 0.5:  # cut every time: the URL fails, and a later run tries again
        return Plan(action, p.path, [cut], [True], "failed", "connection", True, "RemoteProtocolError")
    return Plan(action, p.path, [cut, page], [True, False], "fetched")  # cut once, then whole


def _truncate(p: Page) -> Plan:
    return _cut(p, "truncate")


def _chunk_cut(p: Page) -> Plan:
    return _cut(p, "chunk_cut")


def _gone(p: Page) -> Plan:
    gone = Reply.html("<html><body><h1>404</h1><p>खबर हटा दी गई</p></body></html>", 404)
    return Plan("gone", p.path, [gone], [True], "failed", "http", False, "HTTP 404")


# fault -> (builder, weight in the deal). A hang and a drip cost real seconds (the read timeout times the
# attempts, `max_fetch_seconds`) in both runs, so each seed gets exactly one of each.
BUILDERS: dict[str, tuple[Callable[[Page], Plan], int]] = {
    "healthy": (_healthy, 6),
    "hang": (_hang, 0),
    "reset": (_reset, 2),
    "burst_429": (_burst_429, 2),
    "burst_5xx": (_burst_5xx, 2),
    "permanent_5xx": (_permanent_5xx, 2),
    "drip": (_drip, 0),
    "trickle": (_trickle, 2),
    "redirect_loop": (_redirect_loop, 2),
    "redirect_chain": (_redirect_chain, 2),
    "too_many_redirects": (_too_many_redirects, 1),
    "truncate": (_truncate, 2),
    "chunk_cut": (_chunk_cut, 2),
    "gone": (_gone, 1),
}


def deal(seed: int, base: str) -> list[Plan]:
    """Every fault class once, the other pages drawn by weight; shuffled over the stories."""
    rng = random.Random(seed)
    names = list(BUILDERS)
    faults = names + rng.choices(names, weights=[w for _, w in BUILDERS.values()], k=N_PAGES - len(names))
    rng.shuffle(faults)
    stories = rng.sample(STORIES, N_PAGES)
    return [
        BUILDERS[fault][0](Page(rng, base, f"/city/news/teekakaran-samachar-{seed}{i:03d}", stories[i]))
        for i, fault in enumerate(faults)
    ]


def site_routes(plans: list[Plan]) -> dict[str, Any]:
    routes: dict[str, Any] = {
        "/robots.txt": ROBOTS_OPEN,
        LISTING: Reply.html(listing_html([(p.path, f"खबर {i}") for i, p in enumerate(plans)])),
    }
    for plan in plans:
        routes[plan.path] = plan.route
        routes.update({path: plan.hop(reply) for path, reply in plan.extra.items()})
    return routes


# ------------------------------------------------------------------------------------------- reading
def pages(db_path: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return {r["url"]: dict(r) for r in conn.execute("select * from pages")}
    finally:
        conn.close()


def scalar(db_path: Path, sql: str) -> Any:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def record_lines(archive: Archive) -> list[str]:
    return [json.dumps(asdict(r), sort_keys=True) for r in archive.records()]


def delivered(hits: list[Hit]) -> Iterator[tuple[Hit, bytes]]:
    """Responses the server sent to the end, with a body (robots.txt aside: the fetcher's politeness
    layer reads it and does not archive it)."""
    for hit in hits:
        if hit.delivered is not None and hit.path != "/robots.txt":
            yield hit, hit.delivered


def check_archive(archive: Archive, base: str, hits: list[Hit]) -> None:
    """Every completely sent response is archived and reads back; nothing else is archived."""
    records = list(archive.records())
    kept = {(r.final_url, r.status, r.sha256) for r in records}
    sent = set()
    for hit, body in delivered(hits):
        sha = hashlib.sha256(body).hexdigest()
        sent.add((base + hit.target, hit.status, sha))
        assert (base + hit.target, hit.status, sha) in kept, f"{hit.target} ({hit.status}) not archived"
        assert archive.body(sha) == body
    cut_short = kept - sent
    assert not cut_short, f"archived but never sent whole: {sorted(cut_short)}"
    for rec in records:
        assert hashlib.sha256(archive.body(rec.sha256)).hexdigest() == rec.sha256
        assert rec.size == len(archive.body(rec.sha256))


def check_states(plans: list[Plan], base: str, db_path: Path) -> dict[str, tuple[Any, ...]]:
    rows = pages(db_path)
    articles = {p.path for p in plans}
    assert {u for u, r in rows.items() if r["kind"] == "article"} == {base + p for p in articles}
    assert all(r["state"] in FINAL_STATES for r in rows.values())
    assert scalar(db_path, "select count(*) from crawl_frontier where state != 'done'") == 0
    for plan in plans:
        row = rows[base + plan.path]
        what = (plan.fault, plan.path, row["state"], row["reason"])
        assert row["state"] == plan.state, what
        assert reason_code(row["reason"]) == (plan.code or "other"), what
        assert is_transient(row["state"], row["status"], row["reason"]) == plan.transient, what
        assert plan.needle in (row["reason"] or ""), what
        if plan.state == "fetched":
            final = base + (plan.final_path or plan.path)
            assert row["final_url"] == final and row["sha256"], what
    fetched = sum(p.state == "fetched" for p in plans)
    assert scalar(db_path, "select count(*) from articles") == fetched
    for url, row in rows.items():  # every recorded hash names an archived body
        if row["sha256"]:
            assert Archive(db_path.parent / "archive").has(row["sha256"]), url
    return {u: (r["state"], r["status"], reason_code(r["reason"]), r["final_url"]) for u, r in rows.items()}


# ------------------------------------------------------------------------------------------- the tests
TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def faults_injected() -> Iterator[None]:
    yield
    if TALLY:
        print(
            f"\nfault matrix total: {TALLY['seeds']} seeds, {TALLY['pages']} pages, "
            f"{TALLY['faulty pages']} with faults, {TALLY['served']} faulty responses served"
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_every_page_ends_in_the_state_its_fault_calls_for_and_nothing_is_lost(
    tmp_path: Path, seed: int
) -> None:
    settings = fault_settings(tmp_path)
    archive = Archive(settings.archive_dir)
    with TestServer({}, hang_limit=5.0) as server:
        base = server.url
        plans = deal(seed, base)
        server.routes = site_routes(plans)
        first = run(settings, [base + LISTING])
        assert not first.interrupted and first.pending == 0
        first_hits = list(server.hits)
        before = check_states(plans, base, settings.db_path)
        check_archive(archive, base, first_hits)
        kept = record_lines(archive)
        served_first = sum(p.served for p in plans)

        second = run(settings, [base + LISTING])
        second_hits = server.hits[len(first_hits) :]
    assert not second.interrupted and second.pending == 0
    # Nothing archived is lost: the index only grows, every body still reads back.
    assert record_lines(Archive(settings.archive_dir))[: len(kept)] == kept
    check_archive(Archive(settings.archive_dir), base, [*first_hits, *second_hits])
    # The second run asks again only for what failed for a transient reason; completed pages not at all.
    retried = {p.path for p in plans if p.transient}
    asked = {h.path for h in second_hits if h.path.startswith("/city/news/")}
    assert asked == retried
    assert check_states(plans, base, settings.db_path) == before

    counts = Counter(p.fault for p in plans if p.fault != "healthy")
    served = sum(p.served for p in plans)
    TALLY.update({"seeds": 1, "pages": len(plans), "faulty pages": sum(counts.values()), "served": served})
    print(
        f"\nfault matrix seed {seed}: {len(plans)} pages, {sum(counts.values())} with faults "
        f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); faulty responses served {served} "
        f"(run 1: {served_first}, run 2: {served - served_first}); requests {len(first_hits)} + "
        f"{len(second_hits)}"
    )


def test_the_deal_is_seeded_and_covers_every_fault_class() -> None:
    one, two = deal(SEEDS[0], "http://h"), deal(SEEDS[0], "http://h")
    assert [(p.fault, p.path, p.state) for p in one] == [(p.fault, p.path, p.state) for p in two]
    for seed in SEEDS:
        plans = deal(seed, "http://h")
        assert len(plans) == N_PAGES and set(BUILDERS) <= {p.fault for p in plans}
        assert len({p.path for p in plans}) == N_PAGES
    assert len({tuple(p.fault for p in deal(s, "http://h")) for s in SEEDS}) == len(SEEDS)
