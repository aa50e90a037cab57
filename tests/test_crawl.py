"""The crawler against a real HTTP server on 127.0.0.1 (tests/testsite): politeness as the server saw it,
and every URL's final state as the database recorded it.

One crawl of a misbehaving site is shared by most tests (module fixture): robots.txt with a disallowed
path and a Crawl-delay, three paginated listing pages, an RSS feed and a Google-News sitemap, articles
with and without JSON-LD, a 429 with Retry-After, a 500 then success, a timeout, a connection reset, a
redirect chain and a redirect loop, duplicates (tracking parameters, rel=canonical, redirect target), a
page declaring the wrong charset, 20 MB bodies, a PDF, malformed HTML and a 404.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.archive import Archive
from pipeline.config import load_settings
from pipeline.crawl import crawl, reason_code, reextract
from pipeline.fetch import Fetcher
from tests.testsite.server import Reply, TestServer, gaps
from tests.testsite.site import article_html, conditional, listing_html, news_sitemap, report, rss, sequence

CRAWL_DELAY = 0.1
BACKOFF = 0.05
EPS = 0.002  # float rounding between two readings of the same monotonic clock
# After a reply the client abandons (timeout, size limit) the server notices the close a moment later
# than the client closed: gaps measured from such a reply get this much slack.
EPS_ABANDONED = 0.04


def test_settings(tmp: Path, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "db_path": tmp / "db.sqlite",
        "archive_dir": tmp / "archive",
        "delay_seconds": 0.05,
        "timeout_seconds": 0.5,
        "max_retries": 2,
        "backoff_seconds": BACKOFF,
        "max_fetch_seconds": 3.0,
        "extra_text_inputs": [],
    }
    values.update(overrides)
    return load_settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]


def rows(db_path: Path) -> dict[str, tuple[str, str | None]]:
    conn = sqlite3.connect(db_path)
    return {
        url: (state, reason) for url, state, reason in conn.execute("select url, state, reason from pages")
    }


# -------------------------------------------------------------------------------------------- the site
class Site:
    """Routes of the misbehaving news site; `base` is known once the server listens."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.base = server.url
        self.extra_page1: list[tuple[str, str]] = []
        self.a12_text = report("a12")
        server.routes = self.routes()

    def u(self, path: str) -> str:
        return self.base + path

    def page(self, name: str, path: str, layout: str = "jsonld", **kw: Any) -> Reply:
        title, paragraphs = report(name)
        return Reply.html(article_html(title, paragraphs, url=self.u(path), layout=layout, **kw))

    def routes(self) -> dict[str, Any]:
        u = self.u
        listing1 = lambda: Reply.html(  # noqa: E731
            listing_html(
                [
                    *self.extra_page1,
                    ("/city/news/report-a01-1001", "सागर की खबर"),
                    ("/city/news/report-a02-1002", "बस्तर की खबर"),
                    ("/private/draft-report-1003", "मसौदा"),
                    ("/city/news/flaky-report-1004", "रतलाम"),
                    ("/city/news/busy-report-1005", "रीवा"),
                ],
                "/city/jabalpur?page=2",
            )
        )
        title_a03, paras_a03 = report("a03")
        latin1 = article_html(
            title_a03, paras_a03, url=u("/city/news/latin1-report-1017"), charset="windows-1252"
        )
        title_b02, paras_b02 = report("b02")
        broken = (
            '<html><head><meta charset="utf-8"><title>टूटा पेज</title></head><body><div class="story"><h1>'
            + title_b02
            + "</h2><p>"
            + "<p>".join(f"{p}<b><i>" for p in paras_b02)
            + "</div></span></td><p>"
        )
        return {
            "/robots.txt": Reply(
                200,
                f"User-agent: *\nDisallow: /private/\nCrawl-delay: {CRAWL_DELAY}\n".encode(),
                {"Content-Type": "text/plain"},
            ),
            "/city/jabalpur": conditional(listing1),
            "/city/jabalpur?page=2": Reply.html(
                listing_html(
                    [
                        ("/city/news/slow-report-1006", "देर"),
                        ("/city/news/reset-report-1007", "रीसेट"),
                        ("/city/news/moved-report-1008", "पुराना पता"),
                        ("/city/news/loop-report-1011", "चक्कर"),
                    ],
                    "/city/jabalpur?page=3",
                )
            ),
            "/city/jabalpur?page=3": Reply.html(
                listing_html(
                    [
                        ("/city/news/huge-report-1013", "बड़ी"),
                        ("/city/news/endless-report-1014", "अंतहीन"),
                        ("/files/teekakaran-suchi.pdf", "सूची (पीडीएफ)"),
                        ("/city/news/teeka-suchi-download-1015", "सूची डाउनलोड"),
                        ("/city/news/print-report-a01-1016", "प्रिंट"),
                        ("/city/news/latin1-report-1017", "लैटिन"),
                        ("/city/news/broken-markup-report-1018", "टूटा"),
                        ("/city/news/missing-report-1019", "गायब"),
                    ]
                )
            ),
            "/rss.xml": Reply(
                200,
                rss(
                    [
                        (
                            u("/city/news/report-a02-1002?utm_source=rss&utm_medium=feed&fbclid=x1"),
                            "बस्तर",
                            None,
                        ),
                        (u("/city/news/feed-only-report-1020"), "फीड", "Fri, 04 Jun 2021 15:57:00 +0530"),
                    ]
                ).encode(),
                {"Content-Type": "application/rss+xml; charset=utf-8"},
            ),
            "/news-sitemap.xml": Reply(
                200,
                news_sitemap(
                    [
                        (u("/city/news/sitemap-report-1022"), "2021-06-04T15:57:00+05:30"),
                        (u("/city/news/moved-final-report-1010"), "2021-06-04T15:57:00+05:30"),
                    ]
                ).encode(),
                {"Content-Type": "application/xml"},
            ),
            "/city/news/report-a01-1001": conditional(
                lambda: self.page("a01", "/city/news/report-a01-1001", layout="plain")
            ),
            "/city/news/report-a02-1002": conditional(lambda: self.page("a02", "/city/news/report-a02-1002")),
            "/private/draft-report-1003": self.page("a04", "/private/draft-report-1003"),
            "/city/news/flaky-report-1004": sequence(
                Reply.html("<h1>500</h1>", 500), self.page("b01", "/city/news/flaky-report-1004")
            ),
            "/city/news/busy-report-1005": sequence(
                Reply(429, b"slow down", {"Retry-After": "1"}),
                self.page("b03", "/city/news/busy-report-1005"),
            ),
            "/city/news/slow-report-1006": Reply(action="hang"),
            "/city/news/reset-report-1007": Reply(action="reset"),
            "/city/news/moved-report-1008": Reply(301, b"", {"Location": "/city/news/moved-hop-1009"}),
            "/city/news/moved-hop-1009": Reply(
                302, b"", {"Location": u("/city/news/moved-final-report-1010")}
            ),
            "/city/news/moved-final-report-1010": self.page("b04", "/city/news/moved-final-report-1010"),
            "/city/news/loop-report-1011": Reply(302, b"", {"Location": "/city/news/loop-back-1012"}),
            "/city/news/loop-back-1012": Reply(302, b"", {"Location": "/city/news/loop-report-1011"}),
            "/city/news/huge-report-1013": Reply(
                200, headers={"Content-Type": "text/html; charset=utf-8"}, action="stream", size=20_000_000
            ),
            "/city/news/endless-report-1014": Reply(
                200,
                headers={"Content-Type": "text/html; charset=utf-8"},
                action="stream",
                size=20_000_000,
                chunked=True,
            ),
            "/files/teekakaran-suchi.pdf": Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}),
            "/city/news/teeka-suchi-download-1015": Reply(
                200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}
            ),
            "/city/news/print-report-a01-1016": self.page(
                "a05", "/city/news/print-report-a01-1016", canonical=u("/city/news/report-a01-1001")
            ),
            "/city/news/latin1-report-1017": Reply(
                200, latin1.encode("utf-8"), {"Content-Type": "text/html; charset=ISO-8859-1"}
            ),
            "/city/news/broken-markup-report-1018": Reply.html(broken),
            "/city/news/feed-only-report-1020": self.page(
                "b05", "/city/news/feed-only-report-1020", layout="plain"
            ),
            "/city/news/sitemap-report-1022": conditional(
                lambda: self.page(self.a12_name, "/city/news/sitemap-report-1022")
            ),
        }

    a12_name = "b06"


ARTICLES = {  # url path -> expected (state, reason code or None)
    "/city/jabalpur": ("fetched", None),
    "/city/jabalpur?page=2": ("fetched", None),
    "/city/jabalpur?page=3": ("fetched", None),
    "/rss.xml": ("fetched", None),
    "/news-sitemap.xml": ("fetched", None),
    "/city/news/report-a01-1001": ("fetched", None),
    "/city/news/report-a02-1002": ("fetched", None),
    "/private/draft-report-1003": ("skipped", "robots"),
    "/city/news/flaky-report-1004": ("fetched", None),
    "/city/news/busy-report-1005": ("fetched", None),
    "/city/news/slow-report-1006": ("failed", "timeout"),
    "/city/news/reset-report-1007": ("failed", "connection"),
    "/city/news/loop-report-1011": ("failed", "redirect"),
    "/city/news/huge-report-1013": ("skipped", "size"),
    "/city/news/endless-report-1014": ("skipped", "size"),
    "/files/teekakaran-suchi.pdf": ("skipped", "type"),
    "/city/news/teeka-suchi-download-1015": ("skipped", "type"),
    "/city/news/print-report-a01-1016": ("skipped", "duplicate"),
    "/city/news/latin1-report-1017": ("fetched", None),
    "/city/news/broken-markup-report-1018": ("fetched", None),
    "/city/news/missing-report-1019": ("failed", "http"),
    "/city/news/feed-only-report-1020": ("fetched", None),
    "/city/news/sitemap-report-1022": ("fetched", None),
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("crawl")
    with TestServer({}) as server:
        site = Site(server)
        settings = test_settings(tmp)
        db = store.connect(settings.db_path)
        starts = [site.u("/city/jabalpur"), site.u("/rss.xml"), site.u("/news-sitemap.xml")]
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            summary = crawl(settings, starts, db, fetcher)
        first_hits = list(server.hits)
        yield {
            "server": server,
            "site": site,
            "settings": settings,
            "summary": summary,
            "hits": first_hits,
            "db": db,
            "starts": starts,
        }


def test_every_url_ends_in_its_expected_recorded_state(crawled: Any) -> None:
    site, settings = crawled["site"], crawled["settings"]
    states = rows(settings.db_path)
    for path, (state, code) in ARTICLES.items():
        got = states.get(site.u(path))
        assert got is not None, f"no pages row for {path}"
        assert got[0] == state, (path, got)
        if code is not None:
            assert reason_code(got[1]) == code, (path, got)
    # The redirect target is one story under two URLs: one fetched, the other a duplicate of it.
    pair = [
        states[site.u("/city/news/moved-report-1008")],
        states[site.u("/city/news/moved-final-report-1010")],
    ]
    assert sorted(s for s, _ in pair) == ["fetched", "skipped"]
    assert any((r or "").startswith("duplicate of") for _, r in pair)
    assert all(state in ("fetched", "not_modified", "skipped", "failed") for state, _ in states.values())
    assert not any("utm_" in url or "fbclid" in url for url in states)


def test_robots_txt_is_read_first_and_obeyed(crawled: Any) -> None:
    hits = crawled["hits"]
    assert hits[0].path == "/robots.txt"
    assert sum(1 for h in hits if h.path == "/robots.txt") == 1
    assert not [h for h in hits if h.path.startswith("/private/")]


def test_crawl_delay_is_kept_between_every_two_requests(crawled: Any) -> None:
    spacing = gaps(crawled["hits"])
    assert len(spacing) > 30
    for previous, gap in spacing:
        slack = EPS_ABANDONED if previous.action in ("hang", "stream") else EPS
        assert gap >= CRAWL_DELAY - slack, (previous.target, gap)


def test_one_request_and_one_connection_at_a_time(crawled: Any) -> None:
    server = crawled["server"]
    assert server.max_inflight == 1
    assert server.max_open_connections == 1


def test_user_agent_names_the_project_and_a_contact_url(crawled: Any) -> None:
    settings = crawled["settings"]
    agents = {h.headers.get("user-agent") for h in crawled["hits"]}
    assert agents == {settings.agent}
    assert "vaxnews" in settings.agent and settings.contact_url in settings.agent


def _hits(crawled: Any, path: str) -> list[Any]:
    return [h for h in crawled["hits"] if h.target == path]


def test_500_is_retried_after_a_backoff_then_succeeds(crawled: Any) -> None:
    hits = _hits(crawled, "/city/news/flaky-report-1004")
    assert [h.status for h in hits] == [500, 200]
    assert hits[1].start - hits[0].end >= max(CRAWL_DELAY, BACKOFF) - EPS


def test_429_waits_for_retry_after(crawled: Any) -> None:
    hits = _hits(crawled, "/city/news/busy-report-1005")
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].start - hits[0].end >= 1.0 - EPS


def test_timeouts_are_retried_with_growing_waits_and_the_host_stays_slowed(crawled: Any) -> None:
    hits = _hits(crawled, "/city/news/slow-report-1006")
    assert len(hits) == 3  # 1 + max_retries
    waits = [b.start - a.end for a, b in itertools.pairwise(hits)]
    assert waits[0] >= max(CRAWL_DELAY, BACKOFF) - EPS_ABANDONED
    assert waits[1] >= max(CRAWL_DELAY, 2 * BACKOFF) - EPS_ABANDONED
    assert waits[1] >= waits[0] - EPS_ABANDONED  # never faster while the host errs
    after = next(h for h in crawled["hits"] if h.start > hits[-1].end)
    # The erring host's delay outlives the URL: the next request waits the grown backoff too.
    assert after.start - hits[-1].end >= 4 * BACKOFF - EPS_ABANDONED


def test_connection_resets_are_retried_then_recorded(crawled: Any) -> None:
    assert len(_hits(crawled, "/city/news/reset-report-1007")) == 3


def test_redirect_chain_is_followed_hop_by_hop_and_the_loop_detected(crawled: Any) -> None:
    site, settings = crawled["site"], crawled["settings"]
    chain = [
        "/city/news/moved-report-1008",
        "/city/news/moved-hop-1009",
        "/city/news/moved-final-report-1010",
    ]
    assert all(_hits(crawled, p) for p in chain)
    conn = sqlite3.connect(settings.db_path)
    final = conn.execute("select final_url from pages where url = ?", [site.u(chain[0])]).fetchone()[0]
    assert final == site.u(chain[-1])
    reason = rows(settings.db_path)[site.u("/city/news/loop-report-1011")][1] or ""
    assert reason.startswith("redirect loop:") and "loop-back-1012" in reason
    assert len(_hits(crawled, "/city/news/loop-report-1011")) == 1  # a loop is not retried


def test_tracking_parameters_do_not_cause_a_second_fetch(crawled: Any) -> None:
    assert len(_hits(crawled, "/city/news/report-a02-1002")) == 1
    assert not [h for h in crawled["hits"] if "utm_" in h.target]


def test_big_bodies_pdfs_and_404s_cost_one_request_each(crawled: Any) -> None:
    for path in (
        "/city/news/huge-report-1013",
        "/city/news/endless-report-1014",
        "/city/news/teeka-suchi-download-1015",
        "/city/news/missing-report-1019",
    ):
        assert len(_hits(crawled, path)) == 1, path
    assert not _hits(crawled, "/files/teekakaran-suchi.pdf")  # a document link is never requested


def test_articles_are_stored_clean_with_their_parser(crawled: Any) -> None:
    conn = sqlite3.connect(crawled["settings"].db_path)
    arts = {
        url: (title, text, parser)
        for url, title, text, parser in conn.execute("select url, title, text, parser from articles")
    }
    site = crawled["site"]
    assert crawled["summary"].articles == len(arts) == 9
    plain = arts[site.u("/city/news/report-a01-1001")]
    assert plain[2] == "trafilatura" and plain[0] == report("a01")[0]
    for title, text, _ in arts.values():
        for furniture in ("और पढ़ें", "Next Story", "Created On", "Share:", "Tags", "मंडी में आवक"):
            assert furniture not in text, (title, furniture)
    assert arts[site.u("/city/news/report-a02-1002")][2] == "json-ld"
    latin1 = arts[site.u("/city/news/latin1-report-1017")]
    assert latin1[0] == report("a03")[0] and "à¤" not in latin1[1]
    broken = arts[site.u("/city/news/broken-markup-report-1018")]
    assert broken[0] == report("b02")[0]
    assert all(p in broken[1] for p in report("b02")[1])


def test_the_summary_counts_what_happened(crawled: Any) -> None:
    summary = crawled["summary"]
    assert summary.failed == 4 and summary.skip_reasons == Counter(
        {"robots": 1, "size": 2, "type": 2, "duplicate": 2}
    )
    assert summary.requests == len(crawled["hits"])
    assert summary.pending == 0 and not summary.interrupted


def test_a_rerun_fetches_only_what_is_new_or_changed(crawled: Any) -> None:
    server, site, settings, db = crawled["server"], crawled["site"], crawled["settings"], crawled["db"]
    before = len(server.hits)
    site.extra_page1 = [("/city/news/new-report-1030", "नई खबर")]
    server.routes["/city/news/new-report-1030"] = site.page("c02", "/city/news/new-report-1030")
    site.a12_name = "c04"  # the sitemap story changed; the sitemap says so with a newer lastmod
    server.routes["/news-sitemap.xml"] = Reply(
        200,
        news_sitemap([(site.u("/city/news/sitemap-report-1022"), "2099-01-01T00:00:00+05:30")]).encode(),
        {"Content-Type": "application/xml"},
    )
    with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
        summary = crawl(settings, crawled["starts"], db, fetcher)
    hits = server.hits[before:]
    targets = Counter(h.target for h in hits)
    # Start points again (conditionally), the new story, the changed one; transient failures retried.
    assert targets["/city/news/new-report-1030"] == 1
    assert targets["/city/news/report-a01-1001"] == 0 and targets["/city/news/report-a02-1002"] == 0
    listing = next(h for h in hits if h.target == "/city/jabalpur")
    assert listing.headers.get("if-none-match")  # conditional GET with the stored ETag
    changed = next(h for h in hits if h.target == "/city/news/sitemap-report-1022")
    assert changed.headers.get("if-none-match") and changed.status == 200
    # Page 1 had one new story, so page 2 is checked; it holds only known news: pagination stops.
    assert targets["/city/jabalpur?page=2"] == 1 and targets["/city/jabalpur?page=3"] == 0
    assert targets["/city/news/slow-report-1006"] == 3  # transient failures get another run
    assert targets["/city/news/missing-report-1019"] == 0  # a 404 does not
    states = rows(settings.db_path)
    assert states[site.u("/city/news/new-report-1030")][0] == "fetched"
    assert summary.articles == 2 and summary.seen > 0
    conn = sqlite3.connect(settings.db_path)
    title = conn.execute(
        "select title from articles where url = ?", [site.u("/city/news/sitemap-report-1022")]
    ).fetchone()[0]
    assert title == report("c04")[0]
    # A third run with nothing new: the listing answers 304 and nothing else is fetched.
    mark = len(server.hits)
    with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
        crawl(settings, [site.u("/city/jabalpur")], db, fetcher)
    third = [h for h in server.hits[mark:] if h.path != "/robots.txt"]
    assert [
        (h.target, h.status)
        for h in third
        if not h.target.startswith(("/city/news/slow", "/city/news/reset"))
    ] == [("/city/jabalpur", 304)]
    assert rows(settings.db_path)[site.u("/city/jabalpur")][0] == "not_modified"


def test_reextract_rebuilds_articles_from_the_archive_without_the_network(
    crawled: Any, tmp_path: Path
) -> None:
    settings = crawled["settings"]
    server = crawled["server"]
    before = len(server.hits)
    fresh = store.connect(tmp_path / "fresh.db")
    summary = reextract(settings, fresh, Archive(settings.archive_dir))
    assert len(server.hits) == before
    original = sqlite3.connect(settings.db_path)
    want = {r[0] for r in original.execute("select canonical_url from articles")}
    got = {r[0] for r in fresh.execute("select canonical_url from articles")}
    assert got == want and summary.articles == len(want)
