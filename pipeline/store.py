"""The SQLite database: schema, versioned migrations, idempotent writes, read-only access.

One writer at a time (WAL mode, write transactions taken with BEGIN IMMEDIATE so a second writer waits
instead of failing halfway). Writing an article replaces its facts in a single transaction, so a re-run
leaves identical tables and a killed run leaves either the old or the new facts, never half.

Migrations are numbered steps; a step never changes once released. A new database runs every step
from 1, so a fresh file and an upgraded old file go through the same code. `docs/database.md`
documents the schema; `pipeline/data/datasette_metadata.toml` describes every column.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline import locks
from pipeline.text import fold

SCHEMA_VERSION = 3
# DROP COLUMN (3.35), built-in JSON functions (3.38), FTS5 with the trigram tokenizer (3.34).
MIN_SQLITE = (3, 38, 0)

# The fact types of facts.md: type -> (table, fields). The fields of schema versions 1 and 2; a new
# field means a new migration step that adds the column (the released steps keep their own copy).
_FACTS_V1: dict[str, tuple[str, dict[str, type]]] = {
    "dose_count": (
        "dose_counts",
        {
            "value": int,
            "qualifier": str,
            "measure": str,
            "age_group": str,
            "dose": int,
            "group": str,
            "place": str,
            "date": str,
        },
    ),
    "center_count": (
        "center_counts",
        {"value": int, "qualifier": str, "age_group": str, "dose": int, "place": str, "date": str},
    ),
    "center": ("centers", {"name": str, "organizer": str}),
    "outage": (
        "outages",
        {
            "system": str,
            "duration_minutes": int,
            "qualifier": str,
            "time_of_day": str,
            "resolved_after_minutes": int,
            "impact": str,
        },
    ),
    "official": ("officials", {"name": str, "honorific": str, "designation": str, "role": str}),
}
FACT_TABLES: dict[str, tuple[str, dict[str, type]]] = _FACTS_V1
_EVIDENCE_COLUMNS: dict[str, type] = {"sentence": str, "start": int, "end": int, "quote": str}
_V1_INDEXES = {
    "dose_counts": [["measure"], ["age_group"], ["date"]],
    "center_counts": [["date"]],
    "officials": [["role"], ["name"]],
    "outages": [["system"]],
}
# Schema v2: the fields every fact of a type has (facts.md), enforced NOT NULL; and the indexes for the
# everyday filters (district and date live on `articles`).
_V2_REQUIRED = {
    "dose_counts": ("value", "measure"),
    "center_counts": ("value",),
    "centers": ("name",),
    "outages": ("system",),
    "officials": ("name",),
}
_V2_INDEXES = {
    "dose_counts": [["measure"], ["age_group"], ["date"], ["dose"]],
    "center_counts": [["date"], ["age_group"]],
    "centers": [["name"]],
    "outages": [["system"]],
    "officials": [["role"], ["name"]],
}
VIEWS = ("daily_doses_reported", "outages_by_date", "officials_directory", "fact_evidence")
# The search index: `articles_search` holds the folded title and text of every article (an INTEGER
# primary key, so VACUUM cannot renumber it); `articles_fts` indexes it with FTS5's trigram tokenizer.
SEARCH_TABLE = "articles_search"
FTS_TABLE = "articles_fts"
READ_MMAP_BYTES = 1 << 31


class SchemaError(RuntimeError):
    """The database cannot be used by this vaxnews: newer schema, failed upgrade, or a too old SQLite."""


class EvidenceError(ValueError):
    """A fact whose evidence does not index the article text (facts.md: text[start:end] == quote)."""


def fact_id(article_id: str, fact_type: str, start: int, end: int, extra: str = "") -> str:
    """Stable id of a fact: the article, the type, the evidence span and the field values."""
    key = f"{article_id}|{fact_type}|{start}|{end}|{extra}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------- connecting
@functools.cache
def _sqlite_problem() -> str | None:
    """Why this SQLite library cannot hold a vaxnews database, or None."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        need = ".".join(map(str, MIN_SQLITE))
        return f"SQLite {sqlite3.sqlite_version} is too old: vaxnews needs {need} or newer"
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        conn.execute("SELECT json_object('a', 1)")
        conn.close()
    except sqlite3.Error as exc:
        return f"SQLite {sqlite3.sqlite_version} lacks FTS5 trigram or JSON support ({exc})"
    return None


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (creating or upgrading) the database for writing."""
    problem = _sqlite_problem()
    if problem:
        raise SchemaError(problem)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread off: store_extractions commits a batch from a helper thread while it prepares
    # the next, when SQLite is built serialized (sqlite3.threadsafety == 3; else it commits inline).
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    _enable_wal(conn)
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    # A writer's working set (a batch's rows, the indexes its facts go into, FTS segments being merged)
    # fits in 64 MiB; with SQLite's default 2 MiB a bulk load re-read the same pages from the OS again
    # and again. Checkpoints every 10,000 WAL pages (~40 MB) rather than 1,000 copy a page that several
    # transactions rewrite into the file once instead of each time (bench/storage.py).
    db.execute("PRAGMA cache_size=-65536")
    db.execute("PRAGMA wal_autocheckpoint=10000")
    migrate(db)
    return db


@contextmanager
def writing(path: Path | str) -> Iterator[sqlite_utils.Database]:
    """The database open for writing while this process holds its writer lock (`<db>.writer-lock`), closed
    at the end. SQLite serialises each transaction anyway; the lock keeps a whole writer step (a day's
    articles, a verification pass) from interleaving with another one, whatever started them."""
    path = Path(path)
    with locks.exclusive(path.with_name(path.name + ".writer-lock")):
        db = connect(path)
        try:
            yield db
        finally:
            db.conn.close()


def _enable_wal(conn: sqlite3.Connection, wait: float = 30.0) -> None:
    """Switch to WAL. The switch needs the file to itself, and SQLite answers "database is locked" at once
    (without its busy timeout) when another process is opening the same new file: try again, briefly."""
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def connect_readonly(path: Path | str, *, require_current: bool = False) -> sqlite3.Connection:
    """A connection that cannot write (SQLite enforces it: any write raises 'attempt to write a readonly
    database'). A newer schema is refused; with `require_current`, so is an older one (read-only
    connections cannot upgrade it)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}: run `vaxnews run` first")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA query_only=ON")
    # Read pages through a memory map instead of a read() each: a search reads a few thousand scattered
    # pages (the matches' texts, FTS5's doclists). SQLite caps the map at its build limit (2 GB here).
    conn.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
    conn.set_authorizer(_readonly_authorizer)
    version = _version_of(conn)
    if version > SCHEMA_VERSION:
        conn.close()
        raise SchemaError(_newer_message(path, version))
    if require_current and version < SCHEMA_VERSION:
        conn.close()
        raise SchemaError(
            f"{path} has schema version {version}; this vaxnews needs {SCHEMA_VERSION}. "
            f"Upgrade it once with `vaxnews migrate --db {path}` (or any command that writes)."
        )
    return conn


def _readonly_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None
) -> int:
    """Refuse what mode=ro does not: ATTACH and VACUUM INTO create files, query_only must stay on, and
    no setting that loosens the schema's checks or points SQLite at other directories may change (they
    could not write this file, but a read-only command has no business accepting them)."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() in _GUARDED_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


_GUARDED_PRAGMAS = frozenset(
    {"query_only", "writable_schema", "trusted_schema", "temp_store_directory", "data_store_directory"}
)


def _newer_message(path: Path | str, version: int) -> str:
    return (
        f"{path} has database schema version {version}, newer than this vaxnews understands "
        f"({SCHEMA_VERSION}); upgrade vaxnews instead of opening it with this version"
    )


def _version_of(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def schema_version(db: sqlite_utils.Database) -> int:
    return _version_of(db.conn)


def file_schema_version(path: Path | str) -> int:
    """The schema version of a database file, read without changing it (0: not a vaxnews database yet)."""
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=30)
    try:
        return _version_of(conn)
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------- migrations
def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> None:
    """Bring the schema to `target` (default: the current version), one numbered step at a time.

    Each step runs in its own IMMEDIATE transaction with foreign keys off (SQLite's procedure for
    rebuilding tables) and is checked with `foreign_key_check` before it commits; a failing step rolls
    back and leaves the file at the previous version, with a SchemaError saying why.
    """
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaError(_newer_message(_db_path(db), version))
    for step in range(version + 1, target + 1):
        _apply_step(db, step)


def _db_path(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else "the database"


def _apply_step(db: sqlite_utils.Database, step: int) -> None:
    conn = db.conn
    conn.execute("PRAGMA foreign_keys=OFF")  # no-op inside a transaction; we are never in one here
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have upgraded the file while we waited for the write lock.
            if schema_version(db) == step - 1:
                _STEPS[step](db)
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SchemaError(f"step {step} would leave dangling references: {broken[:3]}")
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [str(step)],
                )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | SchemaError):
                raise SchemaError(
                    f"cannot upgrade {_db_path(db)} from schema version {step - 1} to {step}: {exc}. "
                    f"The file was left unchanged at version {step - 1}."
                ) from exc
            raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


def _migration_1(db: sqlite_utils.Database) -> None:
    """Version 1 (released): tables, indexes, an FTS5 index over articles, three views."""
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("pages").create(
        {
            "url": str,
            "site": str,
            "state": str,  # fetched | not_modified | skipped | failed
            "status": int,
            "reason": str,
            "fetched_at": str,
            "final_url": str,
            "sha256": str,
            "content_type": str,
            "etag": str,
            "last_modified": str,
        },
        pk="url",
        if_not_exists=True,
    )
    db.table("articles").create(
        {
            "id": str,
            "url": str,
            "canonical_url": str,
            "site": str,
            "title": str,
            "published": str,
            "district": str,
            "state": str,
            "event_date": str,
            "event_date_precision": str,
            "text": str,
            "norm_text": str,
            "parser": str,
            "page_sha256": str,
            "extractor_version": str,
            "extracted_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    for table, columns in _FACTS_V1.values():
        db.table(table).create(
            {"id": str, "article_id": str, **columns, **_EVIDENCE_COLUMNS},
            pk="id",
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        db.table(table).create_index(["article_id"], if_not_exists=True)
        for cols in _V1_INDEXES.get(table, []):
            db.table(table).create_index(cols, if_not_exists=True)
    db.table("articles").create_index(["district", "event_date"], if_not_exists=True)
    db.table("verifications").create(
        {
            "id": str,
            "fact_id": str,
            "article_id": str,
            "fact_type": str,
            "district": str,
            "date": str,
            "comparison": str,
            "reported": int,
            "official": int,
            "difference": int,
            "relative_difference": float,
            "verdict": str,
            "explanation": str,
            "article_url": str,
            "evidence": str,
            "official_source": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        "title, norm_text, content='articles', content_rowid='rowid', tokenize='trigram')"
    )
    for statement in (
        """CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
          INSERT INTO articles_fts(rowid, title, norm_text) VALUES (new.rowid, new.title, new.norm_text);
        END""",
        """CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, norm_text)
          VALUES ('delete', old.rowid, old.title, old.norm_text);
        END""",
        """CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, norm_text)
          VALUES ('delete', old.rowid, old.title, old.norm_text);
          INSERT INTO articles_fts(rowid, title, norm_text) VALUES (new.rowid, new.title, new.norm_text);
        END""",
        """CREATE VIEW IF NOT EXISTS daily_doses_reported AS
          SELECT a.district, a.state, coalesce(d.date, a.event_date) AS date, d.value, d.qualifier,
                 d.age_group, d.dose, d.place, d.quote, a.url, a.id AS article_id
          FROM dose_counts d JOIN articles a ON a.id = d.article_id
          WHERE d.measure = 'administered'""",
        """CREATE VIEW IF NOT EXISTS outages_by_date AS
          SELECT coalesce(a.event_date, substr(a.published, 1, 10)) AS date, a.district, o.system,
                 o.duration_minutes, o.time_of_day, o.resolved_after_minutes, o.quote, a.url
          FROM outages o JOIN articles a ON a.id = o.article_id""",
        """CREATE VIEW IF NOT EXISTS officials_directory AS
          SELECT o.name, o.role, max(o.designation) AS designation, a.district,
                 count(DISTINCT o.article_id) AS reports
          FROM officials o JOIN articles a ON a.id = o.article_id
          GROUP BY o.name, o.role, a.district""",
    ):
        db.execute(statement)


_SQL_TYPE = {int: "INTEGER", str: "TEXT", float: "REAL"}


def _v2_fact_table_sql(table: str, name: str, fields: dict[str, type]) -> str:
    required = set(_V2_REQUIRED[table])
    cols = [
        '"id" TEXT PRIMARY KEY',
        '"article_id" TEXT NOT NULL REFERENCES "articles"("id") ON DELETE CASCADE',
        *(f'"{c}" {_SQL_TYPE[t]}{" NOT NULL" if c in required else ""}' for c, t in fields.items()),
        '"sentence" TEXT NOT NULL',
        '"start" INTEGER NOT NULL CHECK ("start" >= 0)',
        '"end" INTEGER NOT NULL CHECK ("end" >= "start")',
        '"quote" TEXT NOT NULL',
    ]
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(cols) + "\n)"


def _evidence_triggers(table: str) -> list[str]:
    """The database itself refuses a fact whose quote is not articles.text[start:end] (SQLite's substr
    counts code points from 1, as Python's slices count them from 0)."""
    check = (
        'NEW.quote IS NOT (SELECT substr(a.text, NEW.start + 1, NEW."end" - NEW.start) '
        "FROM articles a WHERE a.id = NEW.article_id)"
    )
    message = f"{table}: evidence quote is not articles.text[start:end]"
    return [
        f"CREATE TRIGGER {table}_evidence_insert BEFORE INSERT ON {table} WHEN {check} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f'CREATE TRIGGER {table}_evidence_update BEFORE UPDATE OF article_id, start, "end", quote '
        f"ON {table} WHEN {check} BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


def _fact_evidence_view_sql(facts: dict[str, tuple[str, dict[str, type]]]) -> str:
    parts = []
    for fact_type, (table, fields) in facts.items():
        has_date = "date" in fields
        date = "coalesce(f.date, a.event_date)" if has_date else "a.event_date"
        obj = ", ".join(f"'{c}', f.\"{c}\"" for c in fields)
        parts.append(
            f"SELECT '{fact_type}' AS type, f.id AS fact_id, f.article_id, a.district, a.state, {date} AS date, "
            f'json_object({obj}) AS fields, f.sentence, f.start, f."end", f.quote, a.title, a.url '
            f"FROM {table} f JOIN articles a ON a.id = f.article_id"
        )
    return "CREATE VIEW fact_evidence AS\n  " + "\n  UNION ALL ".join(parts)


def _migration_2(db: sqlite_utils.Database) -> None:
    """Version 2: a search index that survives VACUUM and folds titles too; facts that cannot lose their
    article or contradict its text; more indexes; views that carry fact ids and evidence.

    - v1's FTS index was an external-content index on `articles.rowid`, which VACUUM may renumber
      (articles has a TEXT primary key), and it indexed titles unfolded. It is replaced by
      `articles_search` (INTEGER primary key, folded title and text) + `articles_fts` over it, and the
      redundant `articles.norm_text` column is dropped.
    - Fact tables are rebuilt with NOT NULL evidence and required fields, `ON DELETE CASCADE` to their
      article, and triggers that refuse a quote that is not `articles.text[start:end]`.
    """
    conn = db.conn
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for view in ("daily_doses_reported", "outages_by_date", "officials_directory"):
        conn.execute(f"DROP VIEW IF EXISTS {view}")
    conn.execute("DROP TABLE IF EXISTS articles_fts")
    conn.execute("ALTER TABLE articles DROP COLUMN norm_text")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_articles_event_date ON articles (event_date)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_pages_state ON pages (state)")
    for table, fields in _FACTS_V1.values():
        columns = ", ".join(f'"{c}"' for c in ["id", "article_id", *fields, *_EVIDENCE_COLUMNS])
        conn.execute(_v2_fact_table_sql(table, f"{table}__v2", fields))
        conn.execute(f'INSERT INTO "{table}__v2" ({columns}) SELECT {columns} FROM "{table}" ORDER BY rowid')
        conn.execute(f'DROP TABLE "{table}"')
        conn.execute(f'ALTER TABLE "{table}__v2" RENAME TO "{table}"')
        for statement in _evidence_triggers(table):
            conn.execute(statement)
        # Checked after the copy: a v1 file whose quotes disagree with the text is not upgraded.
        bad = conn.execute(
            f'SELECT f.id FROM "{table}" f JOIN articles a ON a.id = f.article_id '
            f'WHERE f.quote IS NOT substr(a.text, f.start + 1, f."end" - f.start) LIMIT 3'
        ).fetchall()
        if bad:
            raise SchemaError(f"{table} rows {[r[0] for r in bad]} have a quote that is not text[start:end]")
        for cols in [["article_id"], *_V2_INDEXES[table]]:
            name = f"idx_{table}_{'_'.join(cols)}"
            conn.execute(f'CREATE INDEX "{name}" ON "{table}" ({", ".join(cols)})')
    # (After the rebuilds: ALTER TABLE RENAME re-checks every trigger.) Facts must be deleted before their article's text changes (store_extraction does so).
    fact_exists = " OR ".join(
        f"EXISTS (SELECT 1 FROM {t} WHERE article_id = OLD.id)" for t, _ in _FACTS_V1.values()
    )
    conn.execute(
        "CREATE TRIGGER articles_text_guard BEFORE UPDATE OF text ON articles "
        f"WHEN NEW.text IS NOT OLD.text AND ({fact_exists}) "
        "BEGIN SELECT RAISE(ABORT, 'articles: delete the facts of an article before changing its text'); END"
    )
    conn.execute(
        f"CREATE TABLE {SEARCH_TABLE} (rowid INTEGER PRIMARY KEY, "
        'article_id TEXT NOT NULL UNIQUE REFERENCES "articles"("id") ON DELETE CASCADE, '
        "title TEXT, body TEXT)"
    )
    conn.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='{SEARCH_TABLE}', "
        "content_rowid='rowid', tokenize='trigram')"
    )
    for statement in (
        f"""CREATE TRIGGER {SEARCH_TABLE}_ai AFTER INSERT ON {SEARCH_TABLE} BEGIN
          INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.rowid, new.title, new.body);
        END""",
        f"""CREATE TRIGGER {SEARCH_TABLE}_ad AFTER DELETE ON {SEARCH_TABLE} BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
        END""",
        f"""CREATE TRIGGER {SEARCH_TABLE}_au AFTER UPDATE ON {SEARCH_TABLE} BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
          INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.rowid, new.title, new.body);
        END""",
    ):
        conn.execute(statement)
    rows = conn.execute("SELECT id, title, text FROM articles ORDER BY rowid").fetchall()
    conn.executemany(
        f"INSERT INTO {SEARCH_TABLE}(article_id, title, body) VALUES (?, ?, ?)",
        [(aid, _fold_or_none(title), fold(text or "")) for aid, title, text in rows],
    )
    for statement in (
        """CREATE VIEW daily_doses_reported AS
          SELECT a.district, a.state, coalesce(d.date, a.event_date) AS date, d.value, d.qualifier,
                 d.age_group, d.dose, d."group", d.place, d.quote, a.url, a.id AS article_id, d.id AS fact_id
          FROM dose_counts d JOIN articles a ON a.id = d.article_id
          WHERE d.measure = 'administered'""",
        """CREATE VIEW outages_by_date AS
          SELECT coalesce(a.event_date, substr(a.published, 1, 10)) AS date, a.district, a.state, o.system,
                 o.duration_minutes, o.qualifier, o.time_of_day, o.resolved_after_minutes, o.impact, o.quote,
                 a.url, a.id AS article_id, o.id AS fact_id
          FROM outages o JOIN articles a ON a.id = o.article_id""",
        """CREATE VIEW officials_directory AS
          SELECT o.name, o.role, max(o.designation) AS designation, a.district, a.state,
                 count(DISTINCT o.article_id) AS reports,
                 min(coalesce(a.event_date, substr(a.published, 1, 10))) AS first_seen,
                 max(coalesce(a.event_date, substr(a.published, 1, 10))) AS last_seen
          FROM officials o JOIN articles a ON a.id = o.article_id
          GROUP BY o.name, o.role, a.district, a.state""",
        _fact_evidence_view_sql(_FACTS_V1),
    ):
        conn.execute(statement)


def _migration_3(db: sqlite_utils.Database) -> None:
    """Version 3: the store fills the search index itself, once per transaction, instead of triggers
    doing it row by row.

    FTS5 flushes its pending terms into a new segment at every SAVEPOINT; the insert trigger on
    `articles_search` therefore wrote one small segment (and later merges) per article, even when a
    batch stored 500 articles in one transaction (~4.5 s of 13 s for 100k facts, bench/storage.py).
    `store._index` now adds a transaction's new search rows in one statement after its last savepoint,
    and `store._write_article` takes a changed row's old content out of the index. The delete trigger
    stays: a deleted article's search row (ON DELETE CASCADE) must leave the index whoever deletes it.
    The index itself is unchanged by this step.
    """
    conn = db.conn
    conn.execute(f"DROP TRIGGER {SEARCH_TABLE}_ai")
    conn.execute(f"DROP TRIGGER {SEARCH_TABLE}_au")
    # FTS5 collects a transaction's terms in memory and writes a segment whenever they pass `hashsize`
    # bytes (default 1 MB): with 32 MB a batch of 500 articles is one or two segments, fewer merges.
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', 33554432)")
    # A fact's quote is checked against the text in Python before anything is written
    # (prepare_extraction); the per-row trigger repeated it (read the article's text, count code points)
    # at about 12 us a fact. Changing a stored fact's span or quote, or an article's text under its
    # facts, is still refused by the database (the update triggers and articles_text_guard stay).
    for table, _ in _FACTS_V1.values():
        conn.execute(f"DROP TRIGGER {table}_evidence_insert")


_STEPS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migration_1,
    2: _migration_2,
    3: _migration_3,
}


# ---------------------------------------------------------------------------------------- writing
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fold_or_none(value: str | None) -> str | None:
    return fold(value) if value else None


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction, taken IMMEDIATE: the write lock is held from the start, so two writers
    queue (busy timeout) instead of one failing when it upgrades a read lock. Nested use joins the
    outer transaction."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def record_page(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    db.table("pages").upsert(row, pk="url", alter=True)


@dataclass(frozen=True)
class PreparedArticle:
    """Everything one article writes: its row, its search row and its fact rows by table."""

    article: dict[str, Any]
    search: dict[str, Any]
    facts: dict[str, list[dict[str, Any]]]

    @property
    def id(self) -> str:
        return str(self.article["id"])


# What json.dumps(values, sort_keys=True, ensure_ascii=False) builds per call, built once (fact ids).
_FIELDS_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def prepare_extraction(doc: dict[str, Any], meta: dict[str, Any]) -> PreparedArticle:
    """A facts.md document + meta -> the rows to write. Raises EvidenceError for a fact whose quote is
    not `text[start:end]` (nothing is written then) and KeyError for an unknown fact type."""
    art = doc["article"]
    article_id = meta["id"]
    text = art["text"]
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
        "text": text,
        "parser": meta.get("parser"),
        "page_sha256": meta.get("page_sha256"),
        "extractor_version": meta.get("extractor_version"),
        "extracted_at": meta.get("extracted_at") or _now(),
    }
    facts: dict[str, dict[str, dict[str, Any]]] = {table: {} for table, _ in FACT_TABLES.values()}
    n = len(text)
    for fact in doc["facts"]:
        fact_type = fact["type"]
        table, columns = FACT_TABLES[fact_type]
        ev = fact["evidence"]
        start, end, quote = ev["start"], ev["end"], ev["quote"]
        if not 0 <= start <= end <= n or text[start:end] != quote:
            raise EvidenceError(
                f"article {article_id}: {fact_type} quote {quote!r} is not text[{start}:{end}] "
                f"({text[start:end]!r})"
            )
        values = {c: fact.get(c) for c in columns}
        fid = fact_id(article_id, fact_type, start, end, _FIELDS_JSON.encode(values))
        # (the column order of the fact tables: id, article_id, fields, evidence)
        row = {"id": fid, "article_id": article_id, **values}
        row["sentence"], row["start"], row["end"], row["quote"] = ev.get("sentence"), start, end, quote
        facts[table][fid] = row  # the same fact twice in one document is stored once
    search = {"article_id": article_id, "title": _fold_or_none(art.get("title")), "body": fold(text)}
    return PreparedArticle(article_row, search, {t: list(rows.values()) for t, rows in facts.items()})


def store_extraction(db: sqlite_utils.Database, doc: dict[str, Any], meta: dict[str, Any]) -> str:
    """Write one article and its facts (a facts.md document) atomically; returns the article id.

    `meta` carries what the document does not: id, site, canonical_url, parser, page_sha256,
    event_date_precision, extractor_version (and optionally extracted_at). An article whose row and
    facts are already stored exactly so is not written at all (the file stays byte-identical).
    """
    prepared = prepare_extraction(doc, meta)
    stored = _stored(db.conn, prepared.id)
    if _unchanged(db.conn, prepared, stored):
        return prepared.id
    with transaction(db):
        _write_one(db.conn, prepared, stored)
    return prepared.id


def write_prepared(db: sqlite_utils.Database, prepared: PreparedArticle) -> None:
    """The writes of one article, its search index entry included; call inside `transaction(db)`
    (store_extraction does)."""
    _write_one(db.conn, prepared, _stored(db.conn, prepared.id))


def _write_one(conn: sqlite3.Connection, prepared: PreparedArticle, stored: _Stored) -> None:
    pending: set[int] = set()
    _write_rows(conn, prepared, stored, pending)
    _insert_facts(conn, prepared.facts)
    _index(conn, pending)


BATCH_SIZE = 500  # articles per transaction in store_extractions


def store_extractions(
    db: sqlite_utils.Database,
    items: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    *,
    batch_size: int = BATCH_SIZE,
) -> list[str]:
    """Write many (facts.md document, meta) pairs, `batch_size` articles per transaction; returns the
    article ids in order.

    The database ends up holding exactly what one `store_extraction` per pair, in order, leaves: every
    article is written whole or not at all, and an article already stored exactly so is not written. A
    document that fails validation (EvidenceError, KeyError), or an article the database refuses,
    raises after every article before it has been committed; nothing of it or of the items after it is
    written. What changes is only the unit of durability: a process killed mid-batch loses the
    uncommitted batch (each of those articles keeps its previous state, whole).

    Why batches: a commit per article costs more than the article's writes (WAL frames, and a new FTS5
    segment per transaction, then segment merges). A batch writes its fact rows with one statement per
    table and indexes its search rows in one statement at the end, so FTS5 writes a segment or two per
    batch instead of one per article (its b-tree pages differ from one-by-one storing; the entries it
    holds do not). That last statement and the COMMIT run in a thread (`_Finish`) while the next batch
    is prepared: SQLite releases the GIL while it works, so folding texts and hashing facts in Python
    overlap them. bench/storage.py measures both paths.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ids: list[str] = []
    batch: list[PreparedArticle] = []
    finish = _Finish(db)
    try:
        for doc, meta in items:
            batch.append(prepare_extraction(doc, meta))
            ids.append(batch[-1].id)
            if len(batch) >= batch_size:
                full, batch = batch, []
                finish.wait()
                _write_batch(db, full, finish)
    except BaseException:
        finish.wait()  # (an earlier batch's failure, if any, is raised first: it came first)
        _write_batch(db, batch)  # the articles before the failing one are stored, as one by one
        raise
    finish.wait()
    _write_batch(db, batch)
    return ids


class _Finish:
    """The end of one batch's transaction (`_index`, COMMIT) running in a thread. Each is a single
    SQLite step, which releases the GIL; the connection is not touched by anyone else until `wait`.
    Inline (no thread) when the SQLite library is not built serialized."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.thread: threading.Thread | None = None
        self.batch: list[PreparedArticle] = []
        self.error: BaseException | None = None

    def start(self, batch: list[PreparedArticle], pending: set[int]) -> None:
        conn = self.db.conn

        def run() -> None:
            try:
                _index(conn, pending)
                conn.execute("COMMIT")
            except BaseException as exc:  # handed to wait(), in the caller's thread
                self.error = exc

        self.batch, self.error = batch, None
        self.thread = threading.Thread(target=run, name="vaxnews-store-commit", daemon=True)
        if sqlite3.threadsafety == 3:
            self.thread.start()
        else:
            run()

    def wait(self) -> None:
        """Until the batch is committed. If it failed, its transaction is rolled back and, for an error
        of the database, the batch written again article by article (as `_write_batch` does)."""
        if self.thread is None:
            return
        if self.thread.ident is not None:
            self.thread.join()
        self.thread = None
        error, self.error = self.error, None
        if error is not None:
            _recover(self.db, self.batch, error)


def _write_batch(
    db: sqlite_utils.Database, batch: list[PreparedArticle], finish: _Finish | None = None
) -> None:
    """One transaction for the batch. First all of it in bulk; if the database refuses a row, that
    transaction is rolled back and the batch written again article by article (`_write_by_article`),
    which stops at the refused article after storing those before it, as store_extraction would.
    With `finish`, the index statement and the COMMIT are left running in its thread."""
    if not batch:
        return
    conn = db.conn
    if conn.in_transaction:  # joined to a caller's transaction: nothing of ours to roll back
        _write_by_article(db, batch)
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = _write_bulk(conn, batch)
        if finish is None:
            _index(conn, pending)
            conn.execute("COMMIT")
    except BaseException as exc:
        _recover(db, batch, exc)
        return
    if finish is not None:
        finish.start(batch, pending)


def _recover(db: sqlite_utils.Database, batch: list[PreparedArticle], error: BaseException) -> None:
    """After a batch's bulk transaction failed: roll it back, then write the batch again article by
    article when the database refused something (stopping at the refused article); else re-raise."""
    if db.conn.in_transaction:
        db.conn.execute("ROLLBACK")
    if not isinstance(error, sqlite3.Error):
        raise error
    _write_by_article(db, batch)


def _write_bulk(conn: sqlite3.Connection, batch: list[PreparedArticle]) -> set[int]:
    """The batch's rows article by article, then its facts one statement per table; returns the search
    rows to index. The unchanged-check reads the database as the articles before left it (an article
    seen again in the batch first gets the facts collected so far written)."""
    pending: set[int] = set()
    facts: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for prepared in batch:
        if prepared.id in seen:
            _insert_facts(conn, facts)
            facts, seen = {}, set()
        seen.add(prepared.id)
        stored = _stored(conn, prepared.id)
        if _unchanged(conn, prepared, stored):
            continue
        _write_rows(conn, prepared, stored, pending)
        for table, rows in prepared.facts.items():
            facts.setdefault(table, []).extend(rows)
    _insert_facts(conn, facts)
    return pending


def _write_by_article(db: sqlite_utils.Database, batch: list[PreparedArticle]) -> None:
    """One transaction, one savepoint per article: an article the database refuses is rolled back
    alone, the ones before it are committed, and its error raised after the commit."""
    conn = db.conn
    failure: sqlite3.Error | None = None
    with transaction(db):
        pending: set[int] = set()
        for prepared in batch:
            stored = _stored(conn, prepared.id)
            if _unchanged(conn, prepared, stored):
                continue
            conn.execute("SAVEPOINT vaxnews_article")
            mine: set[int] = set()
            try:
                _write_rows(conn, prepared, stored, mine, indexed_later=pending)
                _insert_facts(conn, prepared.facts)
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK TO vaxnews_article")
                conn.execute("RELEASE vaxnews_article")
                failure = exc
                break
            conn.execute("RELEASE vaxnews_article")
            pending.update(mine)  # only once the article is written whole
        _index(conn, pending)
    if failure is not None:  # raised after the commit: the articles before it stay stored
        raise failure


@dataclass(frozen=True)
class _Stored:
    """What the database holds of one article before it is written (None: nothing)."""

    article: dict[str, Any] | None
    search: tuple[int, str | None, str] | None  # rowid, folded title, folded text


def _stored(conn: sqlite3.Connection, article_id: str) -> _Stored:
    cur = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id])
    row = cur.fetchone()
    if row is None:  # (a search row cannot outlive its article: ON DELETE CASCADE)
        return _Stored(None, None)
    article = dict(zip([d[0] for d in cur.description], row, strict=True))
    search = conn.execute(
        f"SELECT rowid, title, body FROM {SEARCH_TABLE} WHERE article_id = ?", [article_id]
    ).fetchone()
    return _Stored(article, search)


def _write_rows(
    conn: sqlite3.Connection,
    prepared: PreparedArticle,
    stored: _Stored,
    pending: set[int],
    *,
    indexed_later: set[int] | None = None,
) -> None:
    """An article's row and search row, its old facts deleted (the new ones are the caller's). The
    search row's rowid goes into `pending`, for `_index`; a changed row's old content leaves the
    FTS index at once, unless the row is still waiting to be indexed itself (in `pending`, or in
    `indexed_later`: written earlier in this transaction)."""
    article_id = prepared.id
    if stored.article is not None:  # a new article has no facts yet (foreign keys)
        for table, _ in FACT_TABLES.values():
            conn.execute(f'DELETE FROM "{table}" WHERE article_id = ?', [article_id])
    row = prepared.article
    cols = list(row)
    conn.execute(
        f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols if c != 'id')}",
        [row[c] for c in cols],
    )
    title, body = prepared.search["title"], prepared.search["body"]
    if stored.search is None:
        cur = conn.execute(
            f"INSERT INTO {SEARCH_TABLE}(article_id, title, body) VALUES (?, ?, ?)", [article_id, title, body]
        )
        assert cur.lastrowid is not None
        pending.add(cur.lastrowid)
    elif stored.search[1:] != (title, body):
        rowid, old_title, old_body = stored.search
        if rowid not in pending and rowid not in (indexed_later or set()):
            conn.execute(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                [rowid, old_title, old_body],
            )
        conn.execute(f"UPDATE {SEARCH_TABLE} SET title = ?, body = ? WHERE rowid = ?", [title, body, rowid])
        pending.add(rowid)


def _insert_facts(conn: sqlite3.Connection, facts: dict[str, list[dict[str, Any]]]) -> None:
    """Fact rows by table, one statement per table (every row of a table has the same keys)."""
    for table, rows in facts.items():
        if not rows:
            continue
        cols = list(rows[0])
        conn.executemany(
            f'INSERT INTO "{table}" ({", ".join(f"[{c}]" for c in cols)}) VALUES ({", ".join("?" * len(cols))})',
            map(operator.itemgetter(*cols), rows),
        )


def _index(conn: sqlite3.Connection, pending: set[int]) -> None:
    """Add the search rows written in this transaction (their rowids) to the FTS index, in one
    statement after the last savepoint: FTS5 flushes its pending terms into a new segment at every
    savepoint, so indexing row by row inside per-article savepoints made one small segment (and its
    merges) per article. Ascending rowids: a smaller rowid than the last would make FTS5 flush too."""
    if not pending:
        return
    conn.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, title, body) SELECT rowid, title, body FROM {SEARCH_TABLE} "
        "WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        [json.dumps(sorted(pending))],
    )


def _unchanged(conn: sqlite3.Connection, prepared: PreparedArticle, stored: _Stored) -> bool:
    """True when the stored article, its search row and every stored fact equal what would be written."""
    if stored.article is None:
        return False
    if any(stored.article.get(k) != v for k, v in prepared.article.items() if k != "extracted_at"):
        return False
    if stored.search is None or stored.search[1:] != (prepared.search["title"], prepared.search["body"]):
        return False
    for table, _ in FACT_TABLES.values():
        cur = conn.execute(f'SELECT * FROM "{table}" WHERE article_id = ?', [prepared.id])
        names = [d[0] for d in cur.description]
        have = {tuple(sorted(zip(names, r, strict=True))) for r in cur.fetchall()}
        want = {tuple(sorted(r.items())) for r in prepared.facts[table]}
        if have != want:
            return False
    return True


# ---------------------------------------------------------------------------------------- reading
def iter_articles(db: sqlite_utils.Database) -> Iterable[dict[str, Any]]:
    yield from db.table("articles").rows_where(order_by="id")


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    names = ["pages", "articles", *[t for t, _ in FACT_TABLES.values()], "verifications"]
    return {n: db.table(n).count for n in names if n in db.table_names()}


def exportable(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every table and view a researcher may want, in schema order:
    everything except SQLite's own tables and the FTS index (virtual and shadow tables)."""
    rows = conn.execute(
        "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY type, name"
    ).fetchall()
    virtual = {name for name, _, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")}
    out = []
    for name, kind, _ in rows:
        if name.startswith("sqlite_") or name in virtual:
            continue
        if any(name.startswith(v + "_") for v in virtual):  # FTS shadow tables
            continue
        out.append((name, kind))
    return out


# ---------------------------------------------------------------------------------------- serving
def checkpoint(path: Path | str, *, timeout: float = 5.0) -> bool:
    """Copy the WAL into the database file and truncate it, so that a reader that ignores the WAL (an
    `immutable=1` connection, as Datasette's `-i` uses) sees every commit. False when a concurrent
    reader or writer kept the checkpoint from completing."""
    conn = sqlite3.connect(Path(path), timeout=timeout)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    wal = Path(f"{path}-wal")
    return busy == 0 and (not wal.exists() or wal.stat().st_size == 0)


def snapshot(path: Path | str, dest: Path | str) -> Path:
    """A consistent copy of the database (SQLite's backup API: safe while another process writes)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=30)
    out = sqlite3.connect(dest)
    try:
        src.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        out.close()
        src.close()
    return dest
