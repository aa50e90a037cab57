"""Versioned migrations: a v1 file (written by the v1 code path) and a v2 file (written by the v2 code path)
upgrade to the current version with the same content and search results as a fresh file; an upgrade that cannot be done leaves the file untouched and says why; a newer file is
refused everywhere with a clear message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from typer.testing import CliRunner

from pipeline import query, store
from pipeline.cli import app
from pipeline.text import fold
from tests.test_store_support import content_dump, iterdump, report_documents


def vaxnews(*args: str):
    return CliRunner().invoke(app, list(args))


SAMPLE = slice(0, 12)  # a dozen real extractions: enough of every fact type, fast


def store_v1(db: sqlite_utils.Database, doc: dict, meta: dict) -> None:
    """The released v1 writer (store_extraction of schema version 1), kept verbatim in substance: the
    article row carries `norm_text`, the FTS index is filled by triggers, facts are upserted."""
    art = doc["article"]
    article_id = meta["id"]
    article_row = {
        "id": article_id,
        "url": art.get("url"),
        "canonical_url": meta.get("canonical_url"),
        "site": meta.get("site"),
        "title": art.get("title"),
        "published": art.get("published"),
        "district": art.get("district"),
        "state": art.get("state"),
        "event_date": art.get("event_date"),
        "event_date_precision": meta.get("event_date_precision"),
        "text": art["text"],
        "norm_text": fold(art["text"]),
        "parser": meta.get("parser"),
        "page_sha256": meta.get("page_sha256"),
        "extractor_version": meta.get("extractor_version"),
        "extracted_at": meta["extracted_at"],
    }
    rows: dict[str, list[dict]] = {}
    for fact in doc["facts"]:
        table, columns = store.FACT_TABLES[fact["type"]]
        ev = fact["evidence"]
        row = {"article_id": article_id, **{c: fact.get(c) for c in columns}, **ev}
        extra = json.dumps({c: fact.get(c) for c in columns}, sort_keys=True, ensure_ascii=False)
        row["id"] = store.fact_id(article_id, fact["type"], ev["start"], ev["end"], extra)
        rows.setdefault(table, []).append(row)
    with db.conn:
        for table, _ in store.FACT_TABLES.values():
            db.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
        db.table("articles").upsert(article_row, pk="id")
        for table, table_rows in rows.items():
            db.table(table).upsert_all(table_rows, pk="id")


def store_v2(db: sqlite_utils.Database, doc: dict, meta: dict) -> None:
    """The released v2 writer (store_extraction of schema version 2), kept in substance: the quotes are
    checked by the evidence triggers, the search row is upserted and its triggers fill the FTS index."""
    prepared = store.prepare_extraction(doc, meta)
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    for table, _ in store.FACT_TABLES.values():
        conn.execute(f'DELETE FROM "{table}" WHERE article_id = ?', [prepared.id])
    row = prepared.article
    cols = list(row)
    conn.execute(
        f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols if c != 'id')}",
        [row[c] for c in cols],
    )
    conn.execute(
        "INSERT INTO articles_search(article_id, title, body) VALUES (:article_id, :title, :body) "
        "ON CONFLICT(article_id) DO UPDATE SET title = excluded.title, body = excluded.body "
        "WHERE title IS NOT excluded.title OR body IS NOT excluded.body",
        prepared.search,
    )
    for table, rows in prepared.facts.items():
        for r in rows:
            conn.execute(
                f'INSERT INTO "{table}" ({", ".join(f"[{c}]" for c in r)}) VALUES ({", ".join("?" * len(r))})',
                list(r.values()),
            )
    conn.execute("COMMIT")


def make_v2(path: Path, docs) -> Path:
    """A real v2 file: the released migration steps 1-2, written by the v2 writer; one article stored
    twice with a changed text, so the index has been updated through the v2 triggers too."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    store.migrate(db, target=2)
    first_doc, first_meta = docs[0]
    store_v2(
        db, {"article": {**first_doc["article"], "text": "पुराना अनोखा पाठ: टीकाकरण"}, "facts": []}, first_meta
    )
    for doc, meta in docs:
        store_v2(db, doc, meta)
    assert store.schema_version(db) == 2
    assert {"articles_search_ai", "dose_counts_evidence_insert"} <= {
        r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")
    }
    db.conn.close()
    return path


def make_v1(path: Path, docs) -> Path:
    db = sqlite_utils.Database(sqlite3.connect(path))
    db.execute("PRAGMA journal_mode=WAL")
    store.migrate(db, target=1)
    for doc, meta in docs:
        store_v1(db, doc, meta)
    assert store.schema_version(db) == 1 and "norm_text" in db["articles"].columns_dict
    db.conn.close()
    return path


def make_current(path: Path, docs) -> Path:
    db = store.connect(path)
    for doc, meta in docs:
        store.store_extraction(db, doc, meta)
    db.conn.close()
    return path


def schema(path: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("select type, name, sql from sqlite_master where sql is not null").fetchall()
    conn.close()
    return set(rows)


def table_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = conn.execute(f"select * from [{table}] order by 1").fetchall()
    conn.close()
    return rows


@pytest.fixture(scope="module")
def docs():
    return report_documents()[SAMPLE]


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory, docs):
    tmp = tmp_path_factory.mktemp("migrate")
    old = make_v1(tmp / "old.db", docs)
    store.connect(old).conn.close()
    return old, make_current(tmp / "new.db", docs)


def test_a_v1_file_upgrades_to_the_current_version(upgraded):
    old, _ = upgraded
    assert store.file_schema_version(old) == store.SCHEMA_VERSION == 3
    conn = sqlite3.connect(old)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []


def test_upgraded_and_fresh_files_have_the_same_schema(upgraded):
    old, new = upgraded
    assert schema(old) == schema(new)


UPGRADE_TABLES = (
    "articles",
    "articles_search",
    "dose_counts",
    "center_counts",
    "centers",
    "outages",
    "officials",
)


@pytest.mark.parametrize("table", [*UPGRADE_TABLES, "meta"])
def test_upgraded_and_fresh_files_hold_the_same_rows(upgraded, table):
    old, new = upgraded
    rows = table_rows(old, table)
    assert rows == table_rows(new, table)
    assert rows or table == "outages"


@pytest.mark.parametrize("words", ["टीकाकरण", "हज़ार", "केन्द्र", "सर्वर", "टीका लगाया", "जिले"])
def test_upgraded_file_answers_searches_like_a_fresh_one(upgraded, words):
    old, new = upgraded
    hits = [
        [h.article_id for h in query.search(store.connect_readonly(p), words, limit=50)] for p in (old, new)
    ]
    assert hits[0] == hits[1]


@pytest.fixture(scope="module")
def upgraded_v2(tmp_path_factory, docs):
    tmp = tmp_path_factory.mktemp("migrate-v2")
    old = make_v2(tmp / "v2.db", docs)
    before = {t: table_rows(old, t) for t in UPGRADE_TABLES}
    hits_before = {w: _hits(old, w) for w in SEARCHES}
    store.connect(old).conn.close()
    return old, before, hits_before, make_current(tmp / "new.db", docs)


SEARCHES = (
    "टीकाकरण",
    "हज़ार",
    "केन्द्र",
    "सर्वर",
    "टीका लगाया",
    "जिले",
    "डॉ",
    "18 वर्ष",
    '"दूसरी डोज"',
    '"पुराना अनोखा पाठ"',
)


def _hits(path: Path, words: str) -> list[str]:
    conn = store.connect_readonly(path)
    try:
        return [h.article_id for h in query.search(conn, words, limit=50)]
    finally:
        conn.close()


def test_a_v2_file_upgrades_in_place_keeping_its_rows_and_search_results(upgraded_v2):
    old, before, hits_before, _ = upgraded_v2
    assert store.file_schema_version(old) == store.SCHEMA_VERSION == 3
    assert {t: table_rows(old, t) for t in UPGRADE_TABLES} == before
    assert {w: _hits(old, w) for w in SEARCHES} == hits_before
    assert hits_before["टीकाकरण"] and not hits_before['"पुराना अनोखा पाठ"']  # the replaced text left the index
    conn = sqlite3.connect(old)
    triggers = {r[0] for r in conn.execute("select name from sqlite_master where type = 'trigger'")}
    conn.close()
    assert "articles_search_ai" not in triggers and "dose_counts_evidence_insert" not in triggers
    assert {"articles_search_ad", "dose_counts_evidence_update", "articles_text_guard"} <= triggers


def test_an_upgraded_v2_file_holds_what_a_fresh_file_holds(upgraded_v2):
    """Rows, schema, and the search index's entries (FTS5's integrity check included)."""
    old, _, _, new = upgraded_v2
    assert schema(old) == schema(new)
    assert content_dump(old) == content_dump(new)


def test_an_upgraded_v2_file_takes_new_writes_like_a_fresh_one(upgraded_v2, docs, tmp_path):
    old, _, _, new = upgraded_v2
    changed = []
    for doc, meta in docs[:4]:  # re-extractions with changed texts and fewer facts
        text = doc["article"]["text"] + "\nनया अनुच्छेद: सर्वर फिर बंद।"
        changed.append(({"article": {**doc["article"], "text": text}, "facts": doc["facts"][:1]}, meta))
    copies = [store.snapshot(p, tmp_path / p.name) for p in (old, new)]
    for path in copies:
        db = store.connect(path)
        store.store_extractions(db, changed, batch_size=3)
        db.conn.close()
    assert content_dump(copies[0]) == content_dump(copies[1])
    found = _hits(copies[0], '"सर्वर फिर बंद"')
    assert sorted(found) == sorted(m["id"] for _, m in changed) and found == _hits(copies[1], '"सर्वर फिर बंद"')


def test_an_upgrade_that_cannot_be_done_leaves_the_file_unchanged(tmp_path, docs):
    path = make_v1(tmp_path / "bad.db", docs[:3])
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "update dose_counts set quote = quote || 'x' where rowid = (select min(rowid) from dose_counts)"
        )
    conn.close()
    before = iterdump(path)
    with pytest.raises(store.SchemaError) as info:
        store.connect(path)
    message = str(info.value)
    assert "from schema version 1 to 2" in message and "text[start:end]" in message
    assert "left unchanged at version 1" in message
    assert store.file_schema_version(path) == 1 and iterdump(path) == before


def test_a_newer_file_is_refused_by_every_entry_point(tmp_path):
    path = tmp_path / "future.db"
    db = store.connect(path)
    db["meta"].upsert({"key": "schema_version", "value": "9"}, pk="key")
    db.conn.close()
    with pytest.raises(store.SchemaError, match=r"version 9, newer than this vaxnews understands \(3\)"):
        store.connect(path)
    with pytest.raises(store.SchemaError, match="upgrade vaxnews"):
        store.connect_readonly(path)
    for args in (
        ["query", "select 1"],
        ["search", "टीका"],
        ["facts"],
        ["migrate"],
        ["serve", "--print-command"],
    ):
        result = vaxnews(*args, "--db", str(path))
        assert result.exit_code == 2 and "newer than this vaxnews" in result.stderr, (args, result.stderr)


def test_read_only_commands_explain_how_to_upgrade_an_old_file(tmp_path, docs):
    path = make_v1(tmp_path / "old.db", docs[:2])
    with pytest.raises(store.SchemaError, match="vaxnews migrate --db"):
        store.connect_readonly(path, require_current=True)
    result = vaxnews("search", "टीका", "--db", str(path))
    assert result.exit_code == 2 and "vaxnews migrate" in result.stderr
    result = vaxnews("migrate", "--db", str(path))
    assert result.exit_code == 0 and "version 1 -> version 3" in result.stdout
    assert store.file_schema_version(path) == 3


def test_two_processes_opening_a_new_file_migrate_it_once(tmp_path):
    """Each step re-reads the version under the write lock, so concurrent openers do not collide."""
    import threading

    path = tmp_path / "race.db"
    errors: list[BaseException] = []

    def opener():
        try:
            store.connect(path).conn.close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and store.file_schema_version(path) == store.SCHEMA_VERSION
