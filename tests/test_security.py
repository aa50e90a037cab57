"""Security claims checked against the real thing: the `vaxnews query` and `facts` commands on real SQLite
files, Datasette as `vaxnews serve` starts it, a real archive directory, the crawler against a real HTTP
server on 127.0.0.1, and the HTML report parsed back.

Claims: the query command cannot write (read-only connection) and `facts` filters are bound parameters;
Datasette is served immutable on 127.0.0.1 only; archive paths come from hashes (no URL reaches the file
system); robots.txt is never bypassed (start URLs, redirects, feeds, sitemaps); the report escapes every
text and never makes a hostile URL a live link. tests/test_query.py and tests/test_datasette.py hold the
basic cases; these extend them.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from pipeline import query, store
from pipeline.archive import Archive, ReplayTransport
from pipeline.cli import app
from pipeline.config import Settings
from pipeline.crawl import reason_code
from pipeline.fetch import Fetcher
from pipeline.report import write_report
from pipeline.verify import verify_all
from tests.test_crawl import test_settings
from tests.test_crawl_modes import run as run_crawl
from tests.test_crawl_modes import states
from tests.test_datasette import forget_serve_files, server  # noqa: F401  (the `server` fixture)
from tests.test_store_support import copy_db, pipeline_db, reports_db
from tests.test_verify import make_doc, store_doc
from tests.testsite.server import Hit, Reply, TestServer
from tests.testsite.site import article_html, listing_html, news_sitemap, report, rss


def vaxnews(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(directory: Path) -> dict[str, str]:
    """Every file under `directory` (relative path -> sha256) but SQLite's -shm index: what a command may
    not change. A -wal file must be empty (a reader of a WAL database may leave one, with nothing in it)."""
    found = {str(p.relative_to(directory)): p for p in sorted(directory.rglob("*")) if p.is_file()}
    assert all(p.stat().st_size == 0 for name, p in found.items() if name.endswith("-wal"))
    return {name: sha256(p) for name, p in found.items() if not name.endswith(("-shm", "-wal"))}


@pytest.fixture(scope="module", params=["delete", "wal"])
def db_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample database alone in its directory, in rollback-journal or WAL mode (shared by
    the tests of a module: each checks that the files are unchanged after its own command)."""
    work = tmp_path_factory.mktemp(f"security-{request.param}")
    path = copy_db(pipeline_db(), work / "v.db")
    if request.param == "wal":
        conn = sqlite3.connect(path)
        assert conn.execute("pragma journal_mode=wal").fetchone() == ("wal",)
        conn.close()  # the last connection checkpoints and removes the -wal file
    return path


@pytest.fixture
def db_copy(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`db_file`, with its directory as the working directory (where a relative ATTACH or VACUUM INTO
    would create a file)."""
    monkeypatch.chdir(db_file.parent)
    return db_file


# ---------------------------------------------------------------------------------------- vaxnews query
WRITES = [
    # CTE writes, upserts, RETURNING
    "with x as (select 1) delete from articles",
    "with x(k) as (select 'injected') insert into meta select k, k from x",
    "with x as (select 1) update articles set title = 'x'",
    "replace into meta values ('schema_version', '0')",
    "insert into meta values ('schema_version', '9') on conflict(key) do update set value = '9'",
    "delete from dose_counts returning *",
    # schema and file-header changes
    "create temp table scratch (x)",
    "create view v2 as select 1",
    "create trigger t after insert on meta begin delete from articles; end",
    "create index i on articles(title)",
    "alter table articles rename to a2",
    "drop view fact_evidence",
    "update sqlite_master set sql = 'x' where name = 'meta'",
    "pragma user_version = 7",
    "pragma schema_version = 99",
    "pragma application_id = 7",
    "pragma journal_mode = wal",
    "pragma incremental_vacuum",
    "analyze",
    "reindex",
    "vacuum",
    "begin immediate",
    # the FTS index's own commands are writes too
    "insert into articles_fts(articles_fts) values ('delete-all')",
    "insert into articles_fts(articles_fts) values ('rebuild')",
    # files elsewhere
    "attach database 'other.db' as other",
    "attach database 'file:other.db?mode=rwc' as other",
    "attach database ':memory:' as mem",
    "vacuum into 'copy.db'",
    "vacuum into '/tmp/vaxnews-security-copy.db'",
    "select load_extension('./evil')",
    # switching the guard off
    "pragma query_only = 0",
    "pragma main.query_only = false",
    "pragma writable_schema = on",
    "pragma writable_schema = reset",
    "pragma trusted_schema = on",
    "pragma temp_store_directory = '.'",
]


@pytest.mark.parametrize("sql", WRITES)
def test_query_refuses_every_kind_of_write(db_copy: Path, sql: str) -> None:
    before = files_in(db_copy.parent)
    out = vaxnews("query", sql, "--db", str(db_copy))
    if sql == "pragma journal_mode = wal" and db_copy.read_bytes()[18] == 2:  # already WAL: a no-op
        assert out.exit_code == 0 and out.stdout.split() == ["journal_mode", "wal"]
    else:
        assert out.exit_code == 2, out.stdout
        assert out.stderr.startswith("error:")
        assert "read-only" in out.stderr or "may not be modified" in out.stderr
    assert files_in(db_copy.parent) == before
    assert not Path("/tmp/vaxnews-security-copy.db").exists()


# Connection settings: refused or not, they change nothing in the file (the next statement is a new connection).
SETTINGS_ONLY = [
    "pragma journal_mode = truncate",
    "pragma journal_mode = off",
    "pragma journal_mode = memory",
    "pragma locking_mode = exclusive",
    "pragma synchronous = off",
    "pragma cache_size = -1000000",
    "savepoint s",
    "begin deferred",
]


@pytest.mark.parametrize("sql", SETTINGS_ONLY)
def test_connection_settings_change_nothing(db_copy: Path, sql: str) -> None:
    before = files_in(db_copy.parent)
    assert vaxnews("query", sql, "--db", str(db_copy)).exit_code in (0, 2)
    assert files_in(db_copy.parent) == before


def test_several_statements_in_one_query_are_refused(db_copy: Path) -> None:
    before = sha256(db_copy)
    out = vaxnews("query", "select 1; delete from articles", "--db", str(db_copy))
    assert out.exit_code == 2 and "one statement" in out.stderr
    assert sha256(db_copy) == before


def test_a_writable_schema_cannot_be_used_to_write(db_copy: Path) -> None:
    """PRAGMA writable_schema is refused; had it been set on the connection (by a SQLite without the
    guard), every write after it would still be refused."""
    before = sha256(db_copy)
    assert vaxnews("query", "pragma writable_schema = on", "--db", str(db_copy)).exit_code == 2
    conn = store.connect_readonly(db_copy)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("pragma writable_schema = on")
        conn.set_authorizer(None)
        conn.execute("pragma writable_schema = on")
        conn.set_authorizer(store._readonly_authorizer)
        for sql in (
            "update sqlite_master set sql = 'CREATE TABLE meta (x)' where name = 'meta'",
            "delete from sqlite_master where name = 'articles'",
            "pragma query_only = off",
        ):
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(sql)
    finally:
        conn.close()
    assert sha256(db_copy) == before


def test_reads_still_work_on_the_read_only_connection(db_copy: Path) -> None:
    out = vaxnews(
        "query", "with n as (select count(*) c from articles) select c from n", "--json", "--db", str(db_copy)
    )
    assert out.exit_code == 0 and json.loads(out.stdout) == [{"c": 8}]


# ---------------------------------------------------------------------------------------- facts filters
INJECTIONS = [
    "' OR '1'='1",
    "x' OR 1=1 --",
    "x'); DELETE FROM dose_counts; --",
    '" OR ""="',
    "1 OR 1=1",
    "administered' UNION SELECT * FROM meta --",
    "%' OR quote LIKE '%",
    "\x00",
    "' || (SELECT group_concat(text) FROM articles) || '",
]


@pytest.mark.parametrize("option", ["--to", "--from", "--measure", "--system", "--dose", "--limit", "--type"])
def test_injection_through_validated_options_is_a_clear_error(db_copy: Path, option: str) -> None:
    before = sha256(db_copy)
    for attack in INJECTIONS:
        out = vaxnews("facts", option, attack, "--json", "--db", str(db_copy))
        assert out.exit_code == 2 and out.stdout == "", attack  # refused before any SQL runs
        assert sha256(db_copy) == before


@pytest.mark.parametrize("option", ["--age-group", "--role"])
def test_injection_through_free_text_options_matches_nothing(db_copy: Path, option: str) -> None:
    before = sha256(db_copy)
    for attack in INJECTIONS:
        out = vaxnews("facts", option, attack, "--json", "--db", str(db_copy))
        assert out.exit_code == 0 and json.loads(out.stdout) == [], attack
        assert sha256(db_copy) == before


FIELDS = [  # FactFilter field -> a value that matches rows of the sample database
    ("district", "Lucknow"),
    ("state", "Uttar Pradesh"),
    ("age_group", "18-44"),
    ("measure", "administered"),
    ("role", "cmho"),
    ("system", "server"),
]


@pytest.mark.parametrize(("field", "good"), FIELDS)
def test_every_filter_is_a_bound_parameter(field: str, good: str) -> None:
    """Through the Python API (no validation in front): a real value finds rows, the same value with SQL
    appended finds none, and every row of the real value has it."""
    conn = store.connect_readonly(reports_db(), require_current=True)

    def find(**kw: Any) -> list[dict[str, Any]]:
        return query.find_facts(conn, query.FactFilter(**kw))

    try:
        rows = find(**{field: good})
        assert rows and all(r[field] == good for r in rows)
        for attack in ("' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE articles; --"):
            if field in ("measure", "system"):  # validated: refused with a message
                with pytest.raises(query.QueryError):
                    find(**{field: good + attack})
            else:
                assert find(**{field: good + attack}) == []
        # A date with SQL appended is compared as the string it is: no row before it comes back.
        dates = sorted(r["date"] for r in rows if r["date"])
        day = dates[len(dates) // 2] + "' OR '1'='1"  # the median date, with SQL appended
        assert any(r["date"] is None or r["date"] < day for r in rows)  # rows the attack would add
        got = find(**{field: good, "date_from": day})
        assert sorted(r["fact_id"] for r in got) == sorted(
            r["fact_id"] for r in rows if r["date"] is not None and r["date"] >= day
        )
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------- Datasette
def test_serve_command_plans_an_immutable_server_on_localhost_only(db_copy: Path) -> None:
    out = vaxnews("serve", "--db", str(db_copy), "--print-command")
    try:
        assert out.exit_code == 0, out.stderr
        cmd = out.stdout.split()
        served = cmd[cmd.index("-i") + 1]
        assert Path(served).name == "v.db"
        assert cmd.count(served) == 1  # only as -i: never also as a mutable positional database
        assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
        for risky in ("--cors", "--root", "--load-extension", "--crossdb", "--reload", "-h", "0.0.0.0"):
            assert risky not in cmd
        assert "allow_sql" not in out.stdout and "--secret" not in cmd
    finally:
        forget_serve_files(db_copy)


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port` (Linux /proc/net/tcp*, hex as the kernel writes)."""
    found: set[str] = set()
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.slow
def test_the_running_datasette_is_immutable_and_local(server: str, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "vaxnews.db"  # the file the `server` fixture serves
    before = sha256(db)
    databases = httpx.get(server + "/-/databases.json", timeout=10).json()
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("vaxnews", False)]
    for sql in ("delete from articles", "pragma user_version = 3", "attach database 'x.db' as x"):
        r = httpx.get(server + "/vaxnews.json", params={"sql": sql}, timeout=10)
        assert r.status_code == 400 or not r.json().get("ok", True), (sql, r.text[:200])
    for path in ("/vaxnews/articles/-/insert", "/vaxnews/-/create", "/vaxnews/articles/-/drop"):
        # Datasette 0.65 has no write API (with this rich version its 404 handler fails: a 500).
        r = httpx.post(server + path, json={"row": {"id": "x"}}, timeout=10)
        assert r.status_code >= 400, (path, r.status_code)
    assert sha256(db) == before
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read the listening address from")
    port = urlsplit(server).port
    assert port is not None
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only: not 0.0.0.0, not ::


# ---------------------------------------------------------------------------------------- archive paths
HOSTILE_URLS = [
    "../../etc/passwd",
    "http://ex.example/../../etc/passwd",
    "http://ex.example/%2e%2e/%2e%2e/etc/passwd",
    "http://ex.example/..%2f..%2fetc%2fpasswd",
    "/etc/passwd",
    "file:///etc/passwd",
    "C:\\Windows\\system32\\config",
    "http://ex.example/a\x00b",
    "http://ex.example/" + "x" * 20_000,
    "http://ex.example/टीका/../../समाचार",
    "objects/00/../../responses.jsonl",
]
SHA_PATTERN = re.compile(r"objects/([0-9a-f]{2})/\1[0-9a-f]{62}")


def check_archive_layout(root: Path) -> None:
    for p in root.rglob("*"):
        rel = p.relative_to(root).as_posix()
        assert p.is_dir() or rel == "responses.jsonl" or SHA_PATTERN.fullmatch(rel), rel


def test_archive_paths_come_from_hashes_only(tmp_path: Path) -> None:
    root = tmp_path / "archive" / "inner"
    archive = Archive(root)
    for n, url in enumerate(HOSTILE_URLS):
        body = f"body {n} of {url!r}".encode("utf-8", "surrogatepass")
        rec = archive.put(url, url, 200, {"Content-Type": "text/html", "X-Evil": "../../x"}, body)
        assert rec.sha256 == hashlib.sha256(body).hexdigest()
        assert archive.body(rec.sha256) == body
    check_archive_layout(root)
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()} <= {
        "archive/inner/" + p.relative_to(root).as_posix() for p in root.rglob("*")
    }
    assert [r.url for r in archive.records()] == HOSTILE_URLS  # the URLs are data, kept exactly


@pytest.mark.parametrize(
    "sha",
    [
        "../../etc/passwd",
        "../" * 21 + "x",
        "A" * 64,
        "g" * 64,
        "0" * 63,
        "0" * 65,
        "",
        "00/../" + "0" * 58,
        "/" + "0" * 63,
    ],
)
def test_no_object_path_outside_the_archive(tmp_path: Path, sha: str) -> None:
    archive = Archive(tmp_path / "archive")
    with pytest.raises(ValueError, match="not a sha256"):
        archive.body(sha)
    with pytest.raises(ValueError, match="not a sha256"):
        archive.has(sha)


def test_a_tampered_index_cannot_make_replay_read_other_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the crawler", encoding="utf-8")
    root = tmp_path / "archive"
    root.mkdir()
    line = {
        "url": "https://ex.example/a",
        "final_url": "https://ex.example/a",
        "status": 200,
        "sha256": "../secret.txt",
        "size": 19,
        "fetched_at": "2021-06-04T10:00:00+00:00",
        "headers": {},
    }
    (root / "responses.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    transport = ReplayTransport(Archive(root))
    with pytest.raises(ValueError, match="not a sha256"):
        transport.handle_request(httpx.Request("GET", "https://ex.example/a"))


def test_fetched_hostile_urls_are_archived_by_hash(tmp_path: Path) -> None:
    """The real fetcher and archive against a real server: whatever the path, the files are hashes."""
    settings = test_settings(tmp_path, delay_seconds=0.0)
    robots = Reply(200, b"User-agent: *\nAllow: /\n")
    with (
        TestServer({"/robots.txt": robots}) as srv,
        Fetcher(settings, Archive(settings.archive_dir)) as fetcher,
    ):
        for path in (
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fx",
            "/a%00b",
            "/" + "y" * 6000,
        ):
            fetcher.fetch(srv.url + path)  # 404 pages with a body: archived like any response
    check_archive_layout(settings.archive_dir)
    assert len(list(settings.archive_dir.glob("objects/*/*"))) >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive"]


def test_export_of_a_crafted_database_stays_in_its_directory(tmp_path: Path) -> None:
    """Table names become file names: a database with hostile table names cannot write elsewhere."""
    db = copy_db(pipeline_db(), tmp_path / "db" / "crafted.db")
    hostile = ["../../escape", "/tmp/vaxnews-security-abs", "a/b", "..", ".hidden", "x\\y", "टीका"]
    conn = sqlite3.connect(db)
    for name in hostile:
        quoted = name.replace('"', '""')
        conn.execute(f'CREATE TABLE "{quoted}" (x)')
        conn.execute(f'INSERT INTO "{quoted}" VALUES (?)', [name])
    conn.commit()
    conn.close()
    out_dir = tmp_path / "out" / "inner"
    result = vaxnews("export", str(out_dir), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all((w.startswith("out/inner/") and w.count("/") == 2) or w.startswith("db/") for w in written), (
        written
    )
    assert not Path("/tmp/vaxnews-security-abs.csv").exists()
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    files = {e["name"]: e for e in manifest["files"]}
    for name in hostile:  # every table is still exported, under a safe name
        rows = json.loads((out_dir / files[name]["json"]).read_text(encoding="utf-8"))
        assert rows == [{"x": name}]


# ---------------------------------------------------------------------------------------- robots.txt
ROBOTS = b"User-agent: *\nDisallow: /private/\nDisallow: /hidden-sitemap.xml\n"


def story(base: str, path: str, name: str = "a01") -> Reply:
    title, paragraphs = report(name)
    return Reply.html(article_html(title, paragraphs, url=base + path))


def sitemap_index(locs: list[str]) -> Reply:
    body = '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    body += "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs) + "</sitemapindex>"
    return Reply(200, body.encode(), {"Content-Type": "application/xml"})


def normalised_path(target: str) -> str:
    """The path a real server resolves a request target to: %-escapes decoded, dot segments removed."""
    path = unquote(urlsplit(target).path)
    resolved = posixpath.normpath(path) if path else "/"
    return resolved + ("/" if path.endswith("/") and resolved != "/" else "")


def private_hits(hits: list[Hit]) -> list[str]:
    return [h.target for h in hits if normalised_path(h.target).startswith(("/private/", "/hidden-sitemap"))]


def test_robots_txt_is_obeyed_for_start_urls_redirects_feeds_and_sitemaps(tmp_path: Path) -> None:
    with TestServer({}) as srv:
        b = srv.url
        srv.routes = {
            "/robots.txt": Reply(200, ROBOTS, {"Content-Type": "text/plain"}),
            "/private/start-report-30001": story(b, "/private/start-report-30001"),
            "/private/city": Reply.html(listing_html([("/city/news/behind-private-30002", "छिपी")])),
            "/hidden-sitemap.xml": Reply(
                200, news_sitemap([(b + "/city/news/hidden-30003", "2021-06-04")]).encode()
            ),
            "/city": Reply.html(
                listing_html(
                    [("/city/news/moved-30004", "पता बदला"), ("/city/news/open-report-30005", "खुली")]
                )
            ),
            "/city/news/moved-30004": Reply(302, b"", {"Location": "/private/moved-target-30006"}),
            "/private/moved-target-30006": story(b, "/private/moved-target-30006", "a02"),
            "/city/news/open-report-30005": story(b, "/city/news/open-report-30005", "a03"),
            "/rss.xml": Reply(
                200,
                rss(
                    [
                        (b + "/private/feed-report-30007", "फीड", None),
                        (b + "/city/news/feed-open-30008", "फीड", None),
                    ]
                ).encode(),
                {"Content-Type": "application/rss+xml"},
            ),
            "/city/news/feed-open-30008": story(b, "/city/news/feed-open-30008", "a04"),
            "/private/feed-report-30007": story(b, "/private/feed-report-30007", "a05"),
            "/sitemap-index.xml": sitemap_index([b + "/private/child-sitemap.xml", b + "/news-sitemap.xml"]),
            "/private/child-sitemap.xml": Reply(
                200, news_sitemap([(b + "/city/news/via-private-30009", "2021-06-04")]).encode()
            ),
            "/news-sitemap.xml": Reply(
                200,
                news_sitemap(
                    [
                        (b + "/private/sitemap-report-30010", "2021-06-04"),
                        (b + "/city/news/sitemap-open-30011", "2021-06-04"),
                    ]
                ).encode(),
                {"Content-Type": "application/xml"},
            ),
            "/private/sitemap-report-30010": story(b, "/private/sitemap-report-30010", "b01"),
            "/city/news/sitemap-open-30011": story(b, "/city/news/sitemap-open-30011", "b02"),
        }
        settings = test_settings(tmp_path, delay_seconds=0.0)
        starts = [
            "/private/start-report-30001",
            "/private/city",
            "/hidden-sitemap.xml",
            "/city",
            "/rss.xml",
            "/sitemap-index.xml",
        ]
        run_crawl(settings, [b + s for s in starts])
        hits = list(srv.hits)
    assert hits[0].path == "/robots.txt"
    assert private_hits(hits) == []
    got = states(settings)
    for path in (
        "/private/start-report-30001",
        "/private/city",
        "/hidden-sitemap.xml",
        "/city/news/moved-30004",  # its redirect leads into /private/
        "/private/feed-report-30007",
        "/private/sitemap-report-30010",
    ):
        state, reason = got[b + path]
        assert (state, reason_code(reason)) == ("skipped", "robots"), (path, state, reason)
    for path in (
        "/city/news/behind-private-30002",
        "/city/news/hidden-30003",
        "/city/news/via-private-30009",
    ):
        assert b + path not in got  # found only through a disallowed page: never discovered
    for path in (
        "/city/news/open-report-30005",
        "/city/news/feed-open-30008",
        "/city/news/sitemap-open-30011",
    ):
        assert got[b + path][0] == "fetched", path  # the crawl itself worked


def test_dot_segments_and_encoded_dots_do_not_bypass_robots_txt(tmp_path: Path) -> None:
    with TestServer({}) as srv:
        b = srv.url
        srv.routes = {
            "/robots.txt": Reply(200, ROBOTS, {"Content-Type": "text/plain"}),
            "/city": Reply.html(listing_html([(b + "/city/../private/dot-30012", "बिंदु")])),
            "/news-sitemap.xml": Reply(
                200, news_sitemap([(b + "/city/%2e%2e/private/dot-30013", "2021-06-04")]).encode()
            ),
            "/private/dot-30012": story(b, "/private/dot-30012"),
            "/private/dot-30014": story(b, "/private/dot-30014", "a02"),
        }
        settings = test_settings(tmp_path, delay_seconds=0.0)
        run_crawl(
            settings,
            [
                b + "/open/../private/dot-30014",
                b + "/./private/dot-30014",
                b + "/city",
                b + "/news-sitemap.xml",
            ],
        )
        hits = list(srv.hits)
    assert private_hits(hits) == []


# ---------------------------------------------------------------------------------------- the report
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"\' onmouseover="alert(2)" x=\''
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]
SAFE_HREF = re.compile(r"(?:https?|file)://\S*|#[a-z0-9-]*")


def hostile_docs() -> list[dict[str, Any]]:
    docs = []
    urls = [*BAD_URLS, 'https://example.in/a?b="><script>alert(3)</script>', "https://example.in/ok"]
    for n, url in enumerate(urls):
        sentence = f"जिले में {SCRIPT} {BREAKOUT} &amp; 1{n},397 लोगों को टीका लगा।"
        docs.append(
            make_doc(
                [sentence, "बरगी में <img src=x onerror=alert(4)> 900 लोगों को टीका लगा।"],
                [
                    (0, f"1{n},397", {"value": 10397 + n * 1000}),
                    (1, "900", {"value": 900, "place": "<b>बरगी</b>"}),
                ],
                url=url,
                district="Jabalpur",
                state="Madhya Pradesh",
                event_date=f"2021-06-{n + 1:02d}",
                title=f"जबलपुर {SCRIPT} {BREAKOUT}",
            )
        )
    return docs


def tampered_rows() -> list[dict[str, Any]]:
    """Verification rows as a tampered (or badly written) database could hold them: every text hostile."""
    rows = []
    for n, url in enumerate(BAD_URLS):
        rows.append(
            {
                "id": f"evil-{n}",
                "fact_id": f"evil-fact-{n}",
                "article_id": "evil-article",
                "fact_type": "dose_count",
                "district": ["Jabalpur", f"{SCRIPT}", f"Bastar{BREAKOUT}", None][n % 4],
                "date": [f"2021-06-{n + 1:02d}", f"<i>{n}</i>", None][n % 3],
                "comparison": ["administered", f"administered{SCRIPT}", "self:<b>x</b>"][n % 3],
                "reported": 1000 + n,
                "official": 900,
                "difference": 100 + n,
                "relative_difference": 0.1,
                "verdict": ["discrepancy", f"match{BREAKOUT}", SCRIPT][n % 3],
                "explanation": f"{SCRIPT} explained {BREAKOUT}",
                "article_url": url,
                "evidence": f"वाक्य {SCRIPT} {BREAKOUT}",
                "official_source": json.dumps(
                    {
                        "series": SCRIPT,
                        "file": BREAKOUT,
                        "neighbours": [{"date": SCRIPT, "daily": 5, "cumulative": 9}, {"date": BREAKOUT}],
                    }
                ),
            }
        )
    return rows


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    tmp = tmp_path_factory.mktemp("hostile-report")
    db = store.connect(tmp / "r.db")
    for n, doc in enumerate(hostile_docs()):
        store_doc(db, doc, f"hostile-{n}")
    verify_all(db, Settings())
    db.table("verifications").insert_all(tampered_rows(), pk="id")
    out = write_report(db.conn, tmp / "out", title=f"रिपोर्ट {SCRIPT}")
    page = out.html.read_text(encoding="utf-8")
    return page, lxml_html.document_fromstring(page)


def test_report_has_no_live_markup_from_the_data(hostile_report: tuple[str, Any]) -> None:
    page, tree = hostile_report
    assert tree.xpath("//script") == [] and tree.xpath("//img[@onerror]") == []
    assert not [
        (el.tag, name)
        for el in tree.iter()
        if isinstance(el.tag, str)
        for name in el.attrib
        if name.startswith("on")
    ]
    assert {el.tag for el in tree.iter() if isinstance(el.tag, str)} <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "nav", "a", "img", "section",
        "table", "tr", "th", "td", "caption", "span", "br", "mark", "code", "tbody",
    }  # fmt: skip
    assert len(tree.xpath("//style")) == 1  # the report's own stylesheet only
    assert "<script" not in page.lower() and "<img src=x" not in page


def test_hostile_urls_never_become_live_links(hostile_report: tuple[str, Any]) -> None:
    _page, tree = hostile_report
    hrefs = tree.xpath("//a/@href")
    assert hrefs and all(SAFE_HREF.fullmatch(h) for h in hrefs), [
        h for h in hrefs if not SAFE_HREF.fullmatch(h)
    ]
    assert all(re.fullmatch(r"charts/[a-z0-9-]+\.png", s) for s in tree.xpath("//img/@src"))
    # A safe URL full of metacharacters is a link, with its value intact (escaped in the markup).
    assert 'https://example.in/a?b="><script>alert(3)</script>' in hrefs


def test_hostile_text_is_shown_as_text(hostile_report: tuple[str, Any]) -> None:
    _page, tree = hostile_report
    text = tree.text_content()
    assert f"जबलपुर {SCRIPT} {BREAKOUT}" in text  # the headline, as written
    assert f"वाक्य {SCRIPT} {BREAKOUT}" in text and "<img src=x onerror=alert(4)>" in text
    assert tree.xpath("//title")[0].text_content() == f"रिपोर्ट {SCRIPT}"
    badges = tree.xpath("//span[contains(@class, 'badge')]/@class")
    assert all(re.fullmatch(r"badge v-[a-z0-9_]+", c) for c in badges)
