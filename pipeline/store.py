"""The SQLite database: schema, versioned migrations, idempotent writes, read-only access.

One writer at a time (WAL mode). Writing an article replaces its facts in a single transaction, so a
re-run leaves identical tables and a killed run leaves either the old or the new facts, never half.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.text import fold

SCHEMA_VERSION = 1

FACT_TABLES: dict[str, tuple[str, dict[str, type]]] = {
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
_EVIDENCE_COLUMNS: dict[str, type] = {"sentence": str, "start": int, "end": int, "quote": str}
_INDEXES = {
    "dose_counts": [["measure"], ["age_group"], ["date"]],
    "center_counts": [["date"]],
    "officials": [["role"], ["name"]],
    "outages": [["system"]],
}


class SchemaError(RuntimeError):
    """The database was written by an incompatible (newer) version of vaxnews."""


def fact_id(article_id: str, fact_type: str, start: int, end: int, extra: str = "") -> str:
    """Stable id of a fact: the article, the type and the evidence span."""
    key = f"{article_id}|{fact_type}|{start}|{end}|{extra}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (creating or upgrading) the database for writing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    migrate(db)
    return db


def connect_readonly(path: Path | str) -> sqlite3.Connection:
    """A connection that cannot write (SQLite enforces it: any write raises 'attempt to write a readonly database')."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}: run `vaxnews run` first")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only=ON")
    return conn


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema to SCHEMA_VERSION, one numbered step at a time."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {version} is newer than this vaxnews ({SCHEMA_VERSION}); upgrade vaxnews"
        )
    steps = {1: _migration_1}
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with db.conn:
            steps[target](db)
            db.table("meta").upsert({"key": "schema_version", "value": str(target)}, pk="key")


def _migration_1(db: sqlite_utils.Database) -> None:
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
    for table, columns in FACT_TABLES.values():
        db.table(table).create(
            {"id": str, "article_id": str, **columns, **_EVIDENCE_COLUMNS},
            pk="id",
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        db.table(table).create_index(["article_id"], if_not_exists=True)
        for cols in _INDEXES.get(table, []):
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
    _create_fts(db)
    _create_views(db)


def _create_fts(db: sqlite_utils.Database) -> None:
    # FTS5's unicode61 tokenizer splits Devanagari at every vowel sign; the trigram tokenizer does not,
    # and it indexes the folded text so हज़ार/हजार and केन्द्र/केंद्र find each other.
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        "title, norm_text, content='articles', content_rowid='rowid', tokenize='trigram')"
    )
    db.executescript(
        """
        CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
          INSERT INTO articles_fts(rowid, title, norm_text) VALUES (new.rowid, new.title, new.norm_text);
        END;
        CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, norm_text)
          VALUES ('delete', old.rowid, old.title, old.norm_text);
        END;
        CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, norm_text)
          VALUES ('delete', old.rowid, old.title, old.norm_text);
          INSERT INTO articles_fts(rowid, title, norm_text) VALUES (new.rowid, new.title, new.norm_text);
        END;
        """
    )


def _create_views(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE VIEW IF NOT EXISTS daily_doses_reported AS
          SELECT a.district, a.state, coalesce(d.date, a.event_date) AS date, d.value, d.qualifier,
                 d.age_group, d.dose, d.place, d.quote, a.url, a.id AS article_id
          FROM dose_counts d JOIN articles a ON a.id = d.article_id
          WHERE d.measure = 'administered';
        CREATE VIEW IF NOT EXISTS outages_by_date AS
          SELECT coalesce(a.event_date, substr(a.published, 1, 10)) AS date, a.district, o.system,
                 o.duration_minutes, o.time_of_day, o.resolved_after_minutes, o.quote, a.url
          FROM outages o JOIN articles a ON a.id = o.article_id;
        CREATE VIEW IF NOT EXISTS officials_directory AS
          SELECT o.name, o.role, max(o.designation) AS designation, a.district,
                 count(DISTINCT o.article_id) AS reports
          FROM officials o JOIN articles a ON a.id = o.article_id
          GROUP BY o.name, o.role, a.district;
        """
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    with db.conn:
        yield


def record_page(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    db.table("pages").upsert(row, pk="url", alter=True)


def store_extraction(db: sqlite_utils.Database, doc: dict[str, Any], meta: dict[str, Any]) -> str:
    """Write one article and its facts (a facts.md document) atomically; returns the article id.

    `meta` carries what the document does not: id, site, canonical_url, parser, page_sha256,
    event_date_precision, extractor_version.
    """
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
        "extracted_at": meta.get("extracted_at") or _now(),
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for fact in doc["facts"]:
        table, columns = FACT_TABLES[fact["type"]]
        ev = fact["evidence"]
        row = {"article_id": article_id, **{c: fact.get(c) for c in columns}, **ev}
        extra = json.dumps({c: fact.get(c) for c in columns}, sort_keys=True, ensure_ascii=False)
        row["id"] = fact_id(article_id, fact["type"], ev["start"], ev["end"], extra)
        rows.setdefault(table, []).append(row)
    if _unchanged(db, article_row, rows):
        return article_id  # a re-run of the same article writes nothing: the database stays byte-identical
    with transaction(db):
        for table, _ in FACT_TABLES.values():
            db.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
        db.table("articles").upsert(article_row, pk="id")
        for table, table_rows in rows.items():
            db.table(table).upsert_all(table_rows, pk="id")
    return article_id


def _unchanged(
    db: sqlite_utils.Database, article_row: dict[str, Any], rows: dict[str, list[dict[str, Any]]]
) -> bool:
    old = db.execute("select * from articles where id = ?", [article_row["id"]]).fetchone()
    if old is None:
        return False
    cols = [c.name for c in db.table("articles").columns]
    old_row = dict(zip(cols, old, strict=True))
    if any(old_row.get(k) != v for k, v in article_row.items() if k != "extracted_at"):
        return False
    for table, _ in FACT_TABLES.values():
        have = {
            r[0] for r in db.execute(f"select id from [{table}] where article_id = ?", [article_row["id"]])
        }
        if have != {r["id"] for r in rows.get(table, [])}:
            return False
    return True


def iter_articles(db: sqlite_utils.Database) -> Iterable[dict[str, Any]]:
    yield from db.table("articles").rows_where(order_by="id")


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    names = ["pages", "articles", *[t for t, _ in FACT_TABLES.values()], "verifications"]
    return {n: db.table(n).count for n in names if n in db.table_names()}
