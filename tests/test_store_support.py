"""Shared by the storage, query and Datasette tests: real databases built by the pipeline from the bundled
fixtures, once per test process (no tests here).

- `pipeline_db()`: `run_main_job` on the recorded sample site (crawl -> parse -> extract -> store ->
  official figures -> verify), as `make run` does without the seed.
- `reports_db()`: the 75 fixture reports (fixtures/reports/*.txt) extracted and stored with
  `api.store_result`, with a fixed `extracted_at` so that two builds are byte-identical.

Run as `python -m tests.test_store_support DB [START]` it stores the reports into DB (from the START-th
on), printing "stored N" after each commit: the crash tests kill that process.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.config import FIXTURES

REPORTS = sorted((FIXTURES / "reports").glob("*.txt"))
EXTRACTED_AT = "2021-07-01T00:00:00+00:00"
# Columns that record when a run happened rather than what it found: the extraction time of an article
# written by that run, and when the crawl (re)queued a URL (start points are queued again every run).
RUN_TIMES = {"articles": {"extracted_at"}, "crawl_frontier": {"added_at"}}


@functools.cache
def scratch() -> Path:
    path = Path(tempfile.mkdtemp(prefix="vaxnews-store-tests-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def report_url(path: Path) -> str:
    return f"https://reports.example/{path.stem}"


@functools.cache
def report_results() -> tuple[Any, ...]:
    """ExtractionResult of every fixture report (extracted once per process)."""
    from extractors import extract
    from pipeline.parse import article_from_text

    return tuple(
        extract(article_from_text(p.read_text(encoding="utf-8"), url=report_url(p))) for p in REPORTS
    )


def report_documents() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(facts.md document, meta) of every fixture report, as `api.store_result` would store them."""
    from pipeline.api import result_meta

    return [(r.to_dict(), result_meta(r, extracted_at=EXTRACTED_AT)) for r in report_results()]


def store_reports(path: Path, start: int = 0, *, progress: bool = False) -> None:
    """Extract and store the fixture reports one by one (what a crawl does per article)."""
    from extractors import extract
    from pipeline import store
    from pipeline.api import store_result
    from pipeline.parse import article_from_text

    db = store.connect(path)
    for n, p in enumerate(REPORTS[start:], start + 1):
        result = extract(article_from_text(p.read_text(encoding="utf-8"), url=report_url(p)))
        store_result(db, result, extracted_at=EXTRACTED_AT)
        if progress:
            print(f"stored {n}", flush=True)
    db.conn.close()


@functools.cache
def reports_db() -> Path:
    from pipeline import store
    from pipeline.api import store_result

    path = scratch() / "reports" / "reports.db"
    db = store.connect(path)
    for result in report_results():
        store_result(db, result, extracted_at=EXTRACTED_AT)
    db.conn.close()
    return path


@functools.cache
def pipeline_db() -> Path:
    """The sample-site main job's database (also run a second time: `pipeline_dumps` holds both dumps)."""
    from pipeline.api import run_main_job
    from pipeline.config import load_settings

    root = scratch() / "pipeline"
    settings = load_settings(db_path=root / "vaxnews.db", archive_dir=root / "archive", extra_text_inputs=[])
    run_main_job(settings)
    return settings.db_path


def copy_db(src: Path, dest: Path) -> Path:
    """A consistent copy (SQLite backup API) that the test may change."""
    from pipeline import store

    return store.snapshot(src, dest)


def iterdump(path: Path, *, skip_tables: tuple[str, ...] = ()) -> list[str]:
    """The SQL dump of the file (all tables, FTS shadow tables included), minus `skip_tables`' rows."""
    conn = sqlite3.connect(path)
    try:
        skip = tuple(f'INSERT INTO "{t}" ' for t in skip_tables)
        return [line for line in conn.iterdump() if not (skip and line.startswith(skip))]
    finally:
        conn.close()


# The FTS5 index's b-tree (its segments): how its entries are laid out depends on how many were written
# per transaction, not only on what they are.
FTS_LAYOUT_TABLES = ("articles_fts_data", "articles_fts_idx")


def content_dump(path: Path) -> list[str]:
    """`iterdump` with the search index as the (term, row, column, offset) entries it holds instead of
    its segment pages: equal for two files that hold the same rows and index them alike, whether they
    were written one article per transaction or in batches."""
    conn = sqlite3.connect(path)
    try:
        # (FTS5's own check first: its index agrees with the rows it indexes.)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        conn.execute("CREATE VIRTUAL TABLE temp.fts_entries USING fts5vocab(main, articles_fts, instance)")
        entries = [repr(r) for r in conn.execute("SELECT * FROM temp.fts_entries ORDER BY 1, 2, 3, 4")]
    finally:
        conn.close()
    return [*iterdump(path, skip_tables=FTS_LAYOUT_TABLES), *entries]


def logical_dump(path: Path, ignore: dict[str, set[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every exportable table's rows (sorted), minus the `ignore`d columns (e.g. articles.extracted_at)."""
    from pipeline import store

    ignore = ignore or {}
    conn = sqlite3.connect(path)
    try:
        out = {}
        for name, kind in store.exportable(conn):
            if kind != "table":
                continue
            cur = conn.execute(f'SELECT * FROM "{name}"')
            keep = [i for i, d in enumerate(cur.description) if d[0] not in ignore.get(name, set())]
            out[name] = sorted((tuple(r[i] for i in keep) for r in cur.fetchall()), key=repr)
        return out
    finally:
        conn.close()


if __name__ == "__main__":
    store_reports(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0, progress=True)
