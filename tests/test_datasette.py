"""`vaxnews serve`: Datasette metadata (descriptions, licences, canned queries) checked against real
pipeline databases, and the server itself driven by headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from pipeline import query, store
from pipeline.config import PROJECT_ROOT
from tests.browser import CHROMIUM_FLAGS, free_port
from tests.test_store_support import copy_db, pipeline_db, reports_db

TEST_OUTPUT = PROJECT_ROOT / "test-output"  # gitignored
# Tables whose columns pipeline/store.py defines: every column must be described.
STORE_TABLES = (
    "meta",
    "articles",
    "articles_search",
    *(t for t, _ in store.FACT_TABLES.values()),
    *store.VIEWS,
)
V1_PAGES_COLUMNS = ("url", "site", "state", "status", "reason", "fetched_at", "final_url", "sha256")


def forget_serve_files(db_path: Path) -> None:
    """Remove the metadata, plugin shim and snapshot that `plan_serve` keeps in the temp directory."""
    shutil.rmtree(query._work_dir(db_path), ignore_errors=True)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'pragma table_info("{table}")')]


@pytest.fixture(scope="module", params=["pipeline", "reports"])
def conn(request):
    path = pipeline_db() if request.param == "pipeline" else reports_db()
    c = store.connect_readonly(path, require_current=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def sample():
    c = store.connect_readonly(pipeline_db(), require_current=True)
    from pipeline.datasette_plugin import prepare_connection

    prepare_connection(c, "vaxnews", None)  # the SQL functions Datasette gets from the plugin
    yield c
    c.close()


# ---------------------------------------------------------------------------------------- metadata
def test_metadata_file_shape():
    with open(query.METADATA_FILE, "rb") as fh:
        cfg = tomllib.load(fh)
    assert {"title", "description_html", "source", "official_data", "tables", "queries"} <= set(cfg)
    for name, spec in cfg["tables"].items():
        assert spec["description"].strip(), name
        assert all(isinstance(v, str) and v.strip() for v in spec.get("columns", {}).values()), name
    for name, q in cfg["queries"].items():
        assert q["title"] and q["sql"].lstrip().lower().startswith("select"), name


def test_every_column_of_the_store_tables_is_described(conn):
    tables = query.metadata_config()["tables"]
    for table in STORE_TABLES:
        described = tables[table]["columns"]
        assert set(columns(conn, table)) == set(described), table
    assert set(V1_PAGES_COLUMNS) <= set(tables["pages"]["columns"])


def test_every_table_and_view_has_a_description(conn):
    meta = query.datasette_metadata("vaxnews", [n for n, _ in store.exportable(conn)])
    tables = meta["databases"]["vaxnews"]["tables"]
    for name, _ in store.exportable(conn):
        assert tables[name]["description"], name


def test_no_description_names_a_column_the_full_run_lacks(sample):
    meta = query.datasette_metadata("vaxnews", [n for n, _ in store.exportable(sample)])
    for name, spec in meta["databases"]["vaxnews"]["tables"].items():
        unknown = set(spec["columns"]) - set(columns(sample, name))
        assert not unknown, f"{name}: descriptions of missing columns {unknown}"


def test_official_tables_carry_the_covid19india_licence(sample):
    meta = query.datasette_metadata("vaxnews", [n for n, _ in store.exportable(sample)])
    tables = meta["databases"]["vaxnews"]["tables"]
    official = [n for n in tables if n.startswith("official_")]
    assert "official_district_daily" in official
    for name in official:
        assert tables[name]["license"].startswith("CC BY") and "covid19india.org" in tables[name]["source"]
    assert "covid19india.org" in meta["databases"]["vaxnews"]["description_html"]
    assert meta["title"].startswith("vaxnews")


@pytest.mark.parametrize("name", list(query.metadata_config()["queries"]))
def test_every_canned_query_runs_with_blank_parameters(sample, name):
    sql = query.metadata_config()["queries"][name]["sql"]
    cur = sample.execute(
        sql, dict.fromkeys(("district", "date_from", "date_to", "role", "fact_id", "type", "q"), "")
    )
    rows = cur.fetchall()
    assert name == "search" or rows, name  # an empty search finds nothing; the others list everything


@pytest.mark.parametrize("district", ["जबलपुर", "Jabalpur"])
def test_canned_doses_by_district_and_date(sample, district):
    sql = query.metadata_config()["queries"]["doses_by_district_and_date"]["sql"]
    params = {"district": district, "date_from": "2021-06-01", "date_to": "2021-06-30"}
    rows = sample.execute(sql, params).fetchall()
    assert {r[0] for r in rows} == {"Jabalpur"} and 22397 in {r[3] for r in rows}


def test_canned_fact_with_evidence(sample):
    sql = query.metadata_config()["queries"]["fact_with_evidence"]["sql"]
    fid, quote_, sentence = sample.execute(
        "select id, quote, sentence from dose_counts where value = 22397"
    ).fetchone()
    rows = sample.execute(sql, {"fact_id": fid, "type": "", "district": ""}).fetchall()
    assert len(rows) == 1
    kind, got_id, district, _, fields, got_quote, got_sentence, _, url = rows[0]
    assert (kind, got_id, district, got_quote, got_sentence) == (
        "dose_count",
        fid,
        "Jabalpur",
        quote_,
        sentence,
    )
    assert '"value":22397' in fields and url == "https://samachar.example/news/jabalpur-2021-06-04-1001"


@pytest.mark.parametrize("words", ["हज़ार", "हजार", "केन्द्र", "टीकाकरण सर्वर"])
def test_canned_search_folds_the_query(sample, words):
    sql = query.metadata_config()["queries"]["search"]["sql"]
    titles = {r[0] for r in sample.execute(sql, {"q": words})}
    assert titles == {h.title for h in query.search(sample, words, limit=100)}


# ---------------------------------------------------------------------------------------- serving
def test_serve_plan_is_immutable_on_localhost(tmp_path):
    path = copy_db(pipeline_db(), tmp_path / "vaxnews.db")
    plan = query.plan_serve(path, port=8123)
    cmd = plan.command
    assert cmd[cmd.index("-i") + 1] == str(path) and not plan.snapshot
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    assert "vaxnews" in plan.metadata_path.read_text(encoding="utf-8")
    # An immutable reader ignores the WAL: everything must be in the main file.
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    imm = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    assert imm.execute("select count(*) from articles").fetchone()[0] == 8
    imm.close()
    forget_serve_files(path)


def test_a_busy_database_is_served_from_a_snapshot(tmp_path):
    path = copy_db(reports_db(), tmp_path / "busy.db")
    db = store.connect(path)
    db.execute("update pages set reason = 'x' where 0")
    with db.conn:
        db.conn.execute("insert into meta values ('note', 'written while served')")
    reader = sqlite3.connect(path)
    reader.execute("begin")
    reader.execute("select count(*) from articles").fetchone()  # holds a snapshot: no WAL reset
    try:
        plan = query.plan_serve(path, checkpoint_timeout=0.1)
    finally:
        reader.rollback()
        reader.close()
    assert plan.snapshot and plan.db_path != path and plan.db_path.name == "busy.db"
    snap = sqlite3.connect(f"file:{plan.db_path}?immutable=1", uri=True)
    assert snap.execute("select value from meta where key = 'note'").fetchone() == ("written while served",)
    assert snap.execute("select count(*) from articles").fetchone()[0] == 75
    snap.close()
    forget_serve_files(path)


# ---------------------------------------------------------------------------------------- browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        *args,
        url,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def server(tmp_path):
    """`vaxnews serve` as a real subprocess on a free 127.0.0.1 port; always stopped afterwards."""
    path = copy_db(pipeline_db(), tmp_path / "vaxnews.db")
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from pipeline.cli import app; app()",
                "serve",
                "--db",
                str(path),
                "--port",
                str(port),
            ],
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"serve exited: {log_path.read_text(encoding='utf-8')}"
            assert time.monotonic() < deadline, "Datasette did not start within 60 s"
            try:
                if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        forget_serve_files(path)


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (scripts/ensure_chromium.sh installs it)"
)
def test_datasette_pages_render_real_rows_in_chromium(server, tmp_path):
    TEST_OUTPUT.mkdir(exist_ok=True)
    home = chromium(server + "/", tmp_path / "p1", "--dump-dom")
    assert home.returncode == 0, home.stderr[-2000:]
    assert "vaxnews: COVID-19 vaccination facts from Hindi news" in home.stdout
    assert ">verifications</a>" in home.stdout and "covid19india.org" in home.stdout  # tables, source
    database = httpx.get(server + "/vaxnews", timeout=30).text
    for name in ("dose_counts", "articles", "daily_doses_reported", *query.metadata_config()["queries"]):
        assert f'href="/vaxnews/{name}"' in database, name

    doses = (
        f"{server}/vaxnews/doses_by_district_and_date?district={quote('जबलपुर')}&date_from=2021-06-01&date_to="
    )
    page = chromium(doses, tmp_path / "p2", "--dump-dom")
    assert page.returncode == 0, page.stderr[-2000:]
    assert '<td class="col-district">Jabalpur</td>' in page.stdout
    assert '<td class="col-value">22397</td>' in page.stdout

    # Server-rendered pages that need no browser: the evidence query links the article; table pages
    # show the column descriptions.
    evidence = httpx.get(
        f"{server}/vaxnews/fact_with_evidence", params={"type": "outage", "district": "जबलपुर"}, timeout=30
    ).text
    assert 'href="https://samachar.example/news/jabalpur-2021-06-04-1001"' in evidence and "सर्वर" in evidence
    table = httpx.get(f"{server}/vaxnews/dose_counts", timeout=30).text
    assert "The number (27 हजार 200 -&gt; 27200)." in table
    conn = store.connect_readonly(pipeline_db())
    pages = [name for name, _ in store.exportable(conn)] + list(query.metadata_config()["queries"])
    conn.close()
    for name in pages:  # every table, view and canned query page renders
        assert httpx.get(f"{server}/vaxnews/{name}", timeout=30).status_code == 200, name

    shot = TEST_OUTPUT / "datasette.png"
    shot.unlink(missing_ok=True)
    done = chromium(
        doses, tmp_path / "p5", f"--screenshot={shot}", "--window-size=1400,1000", "--hide-scrollbars"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_docs_describe_every_store_table_and_view():
    doc = (PROJECT_ROOT / "docs" / "database.md").read_text(encoding="utf-8")
    for name in (*STORE_TABLES, "pages", "verifications", "articles_fts"):
        assert f"`{name}`" in doc, name
    for command in ("query", "search", "facts", "export", "serve", "migrate"):
        assert f"vaxnews {command}" in doc, command
