"""Idempotency and crash safety on real pipeline databases.

- Storing the same articles twice, or running the main job twice, leaves a byte-identical `iterdump`.
- A process SIGKILLed while it stores articles leaves a consistent file (integrity and foreign keys
  hold, every stored article has all its facts), and re-running completes it to exactly the database an
  uninterrupted run writes.
- A process killed inside a write transaction leaves the previous state, untouched.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import store
from pipeline.config import PROJECT_ROOT
from tests.test_store_support import (
    EXTRACTED_AT,
    REPORTS,
    RUN_TIMES,
    copy_db,
    iterdump,
    logical_dump,
    pipeline_db,
    report_documents,
    report_results,
    reports_db,
)

pytestmark = pytest.mark.slow  # real subprocesses, killed


def consistent(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        # The search index agrees with its content table (FTS5's own consistency check).
        conn.execute("insert into articles_fts(articles_fts) values ('integrity-check')")
        n_articles = conn.execute("select count(*) from articles").fetchone()[0]
        assert conn.execute("select count(*) from articles_search").fetchone()[0] == n_articles
    finally:
        conn.close()


def facts_by_article(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    out: dict[str, list[tuple]] = {}
    for table, _ in store.FACT_TABLES.values():
        for row in conn.execute(f"select * from {table} order by id"):
            out.setdefault(row[1], []).append(row)
    conn.close()
    return out


def start_child(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


# ---------------------------------------------------------------------------------------- idempotency
def test_storing_the_reports_twice_leaves_an_identical_dump(tmp_path):
    from pipeline.api import store_result

    path = copy_db(reports_db(), tmp_path / "twice.db")
    before = iterdump(path)
    db = store.connect(path)
    for result in report_results():
        store_result(db, result, extracted_at=EXTRACTED_AT)
    db.conn.close()
    assert iterdump(path) == before
    assert len(before) > 1000


def test_running_the_main_job_twice_leaves_an_identical_dump(tmp_path):
    from pipeline.api import run_main_job
    from pipeline.config import load_settings

    settings = load_settings(
        db_path=tmp_path / "v.db", archive_dir=tmp_path / "archive", extra_text_inputs=[]
    )
    run_main_job(settings)
    first = iterdump(settings.db_path, skip_tables=("crawl_frontier",))
    frontier = logical_dump(settings.db_path, RUN_TIMES)["crawl_frontier"]
    run_main_job(settings)
    assert iterdump(settings.db_path, skip_tables=("crawl_frontier",)) == first
    # The crawl's work queue records when it queued its start points again; nothing else changes.
    assert logical_dump(settings.db_path, RUN_TIMES)["crawl_frontier"] == frontier
    # …and it is the database every other run of the job writes, apart from the run times.
    assert logical_dump(settings.db_path, RUN_TIMES) == logical_dump(pipeline_db(), RUN_TIMES)


def test_reextracting_changed_facts_replaces_them_all_at_once(tmp_path):
    path = copy_db(reports_db(), tmp_path / "re.db")
    doc, meta = report_documents()[0]
    db = store.connect(path)
    shrunk = {**doc, "facts": doc["facts"][:1]}
    store.store_extraction(db, shrunk, meta)
    assert sum(len(v) for k, v in facts_by_article(path).items() if k == meta["id"]) == 1
    store.store_extraction(db, doc, meta)
    db.conn.close()
    assert iterdump(path) != []  # and back to exactly the original content:
    assert logical_dump(path) == logical_dump(reports_db())


# ---------------------------------------------------------------------------------------- crashes
def test_a_run_killed_while_storing_is_completed_by_a_rerun(tmp_path):
    path = tmp_path / "killed.db"
    proc = start_child(["-m", "tests.test_store_support", str(path)])
    stored = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            stored = int(line.split()[1])
            if stored >= 20:
                break
        assert proc.poll() is None, "the run finished before it could be killed"
    finally:
        kill(proc)
    assert proc.returncode == -signal.SIGKILL
    consistent(path)
    partial = facts_by_article(path)
    conn = sqlite3.connect(path)
    done = [r[0] for r in conn.execute("select id from articles")]
    conn.close()
    assert stored <= len(done) < len(REPORTS)
    # The re-run, and beside it the reference: one uninterrupted run by the same code.
    whole = tmp_path / "whole.db"
    runs = [start_child(["-m", "tests.test_store_support", str(p)]) for p in (path, whole)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert iterdump(path) == iterdump(whole)
    reference = facts_by_article(whole)
    for article_id in done:  # each article the killed run stored was complete
        assert partial.get(article_id, []) == reference.get(article_id, [])


def test_a_kill_inside_a_write_transaction_leaves_the_previous_state(tmp_path):
    path = copy_db(reports_db(), tmp_path / "mid.db")
    before = iterdump(path)
    doc, meta = report_documents()[3]
    changed = {**doc, "facts": doc["facts"][:2]}  # a re-extraction that drops facts
    script = (
        "import json, sys, time\n"
        "from pipeline import store\n"
        "doc, meta = json.loads(sys.stdin.read())\n"
        f"db = store.connect({str(path)!r})\n"
        "prepared = store.prepare_extraction(doc, meta)\n"
        "with store.transaction(db):\n"
        "    store.write_prepared(db, prepared)\n"
        "    print('written, not committed', flush=True)\n"
        "    time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        import json

        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps([changed, meta], ensure_ascii=False))
        proc.stdin.close()
        line = proc.stdout.readline()
        assert line.strip() == "written, not committed", proc.stderr.read() if proc.stderr else ""
        # The write lock is held: another writer cannot start, and readers still see the old facts.
        reader = store.connect_readonly(path)
        n = reader.execute("select count(*) from dose_counts where article_id = ?", [meta["id"]]).fetchone()[
            0
        ]
        reader.close()
        assert n == sum(1 for f in doc["facts"] if f["type"] == "dose_count")
    finally:
        kill(proc)
    consistent(path)
    assert iterdump(path) == before


def main_job(root: Path) -> subprocess.Popen[str]:
    """The main job in its own process: crawl, then the 75 reports as extra text inputs, official data,
    verification (the reports make the run long enough to be killed while it stores)."""
    root.mkdir(parents=True, exist_ok=True)
    script = (
        "from pipeline.api import run_main_job\n"
        "from pipeline.config import load_settings\n"
        f"run_main_job(load_settings(db_path={str(root / 'vaxnews.db')!r}, "
        f"archive_dir={str(root / 'archive')!r}, extra_text_inputs={[str(p) for p in REPORTS]!r}))\n"
    )
    return start_child(["-c", script])


def test_a_main_job_killed_mid_run_is_completed_by_a_rerun(tmp_path):
    """SIGKILLed while it stores the reports, then re-run: the same database as one uninterrupted run."""
    killed = tmp_path / "killed" / "vaxnews.db"
    proc = main_job(killed.parent)
    try:
        deadline = time.monotonic() + 120
        articles = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if killed.exists():
                try:
                    conn = store.connect_readonly(killed)
                    articles = conn.execute("select count(*) from articles").fetchone()[0]
                    conn.close()
                except (sqlite3.Error, store.SchemaError):
                    articles = 0  # the file is still being created
            if articles >= 30:
                break
            time.sleep(0.02)
        assert proc.poll() is None and articles >= 30, "the job finished before it could be killed"
    finally:
        kill(proc)
    consistent(killed)
    # The re-run, and beside it the reference: one uninterrupted run by the same code.
    runs = [main_job(killed.parent), main_job(tmp_path / "whole")]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert logical_dump(killed, RUN_TIMES) == logical_dump(tmp_path / "whole" / "vaxnews.db", RUN_TIMES)
