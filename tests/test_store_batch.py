"""`store.store_extractions`: many articles per transaction, the same database as one call per article.

Each case stores the same (document, meta) pairs twice, once through `store_extraction` one by one and
once through the batch API with small batches (so batch boundaries fall inside the data), and compares
the SQL dumps of the two files, with the FTS index as the entries it holds (`content_dump`: a batch
indexes its articles in one go, so FTS5 lays out its segments differently than one commit per article).
"""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from tests.test_store_support import content_dump, iterdump, report_documents, reports_db

Pair = tuple[dict[str, Any], dict[str, Any]]


def _one_by_one(path: Path, pairs: list[Pair]) -> BaseException | None:
    """Store pairs with store_extraction until one raises (as a loop over articles does); the error."""
    db = store.connect(path)
    try:
        for doc, meta in pairs:
            store.store_extraction(db, doc, meta)
    except (store.EvidenceError, KeyError, sqlite3.Error) as exc:
        return exc
    finally:
        db.conn.close()
    return None


def _batched(path: Path, pairs: list[Pair], batch_size: int) -> BaseException | None:
    db = store.connect(path)
    try:
        store.store_extractions(db, pairs, batch_size=batch_size)
    except (store.EvidenceError, KeyError, sqlite3.Error) as exc:
        return exc
    finally:
        db.conn.close()
    return None


def _fact_count(pair: Pair) -> int:
    return len(pair[0]["facts"])


@pytest.mark.parametrize("batch_size", [1, 7, 500])
def test_batches_store_the_reports_exactly_as_one_by_one(tmp_path, batch_size):
    path = tmp_path / "batched.db"
    db = store.connect(path)
    ids = store.store_extractions(db, report_documents(), batch_size=batch_size)
    db.conn.close()
    assert ids == [meta["id"] for _, meta in report_documents()]
    dump = content_dump(path)
    assert dump == content_dump(reports_db())
    assert sum(line.startswith('INSERT INTO "dose_counts"') for line in dump) > 50


def test_restoring_unchanged_articles_in_batches_writes_nothing(tmp_path):
    path = store.snapshot(reports_db(), tmp_path / "again.db")
    before = iterdump(path)
    db = store.connect(path)
    store.store_extractions(db, report_documents(), batch_size=10)
    db.conn.close()
    assert iterdump(path) == before


def _with_changed_facts(pairs: list[Pair], index: int) -> Pair:
    doc, meta = copy.deepcopy(pairs[index])
    doc["facts"] = doc["facts"][:1]
    return doc, meta


def test_one_article_twice_in_a_batch_ends_as_the_last_version(tmp_path):
    pairs = report_documents()[:12]
    pairs = [*pairs[:5], _with_changed_facts(pairs, 2), *pairs[5:], pairs[2]]
    assert _one_by_one(tmp_path / "a.db", pairs) is None
    assert _batched(tmp_path / "b.db", pairs, 4) is None
    assert content_dump(tmp_path / "a.db") == content_dump(tmp_path / "b.db")


def _bad_quote(pair: Pair) -> Pair:
    doc, meta = copy.deepcopy(pair)
    fact = next(f for f in doc["facts"] if f["evidence"]["end"] > f["evidence"]["start"])
    fact["evidence"]["quote"] = "x" + fact["evidence"]["quote"][1:]
    return doc, meta


def _unknown_type(pair: Pair) -> Pair:
    doc, meta = copy.deepcopy(pair)
    doc["facts"].append({"type": "no_such_type", "evidence": {}})
    return doc, meta


def _missing_required_value(pair: Pair) -> Pair:
    """Passes the Python checks; the database refuses it (dose_counts.value is NOT NULL)."""
    doc, meta = copy.deepcopy(pair)
    fact = next(f for f in doc["facts"] if f["type"] == "dose_count")
    fact["value"] = None
    return doc, meta


@pytest.mark.parametrize(
    ("spoil", "error"),
    [
        (_bad_quote, store.EvidenceError),
        (_unknown_type, KeyError),
        (_missing_required_value, sqlite3.IntegrityError),
    ],
)
@pytest.mark.parametrize("position", [0, 5, 9])
def test_a_refused_article_stops_the_batch_where_one_by_one_stops(tmp_path, spoil, error, position):
    pairs = [p for p in report_documents() if any(f["type"] == "dose_count" for f in p[0]["facts"])][:12]
    # The spoilt article was stored before with other facts: it must keep exactly those.
    earlier = [_with_changed_facts(pairs, position)]
    pairs = [*pairs[:position], spoil(pairs[position]), *pairs[position + 1 :]]
    for name in ("a.db", "b.db"):
        assert _one_by_one(tmp_path / name, earlier) is None
    one = _one_by_one(tmp_path / "a.db", pairs)
    batched = _batched(tmp_path / "b.db", pairs, 4)
    assert isinstance(one, error) and isinstance(batched, error)
    assert content_dump(tmp_path / "a.db") == content_dump(tmp_path / "b.db")
    db = store.connect(tmp_path / "b.db")
    stored = {r[0] for r in db.execute("select id from articles")}
    assert stored == {m["id"] for _, m in pairs[:position]} | {earlier[0][1]["id"]}
    spoilt = pairs[position][1]["id"]
    kept = sum(
        db.execute(f'select count(*) from "{t}" where article_id = ?', [spoilt]).fetchone()[0]
        for t, _ in store.FACT_TABLES.values()
    )
    assert kept == _fact_count(earlier[0])
    db.conn.close()


def test_batch_size_must_be_positive(tmp_path):
    db = store.connect(tmp_path / "v.db")
    with pytest.raises(ValueError, match="batch_size"):
        store.store_extractions(db, report_documents()[:1], batch_size=0)
    assert db.table("articles").count == 0


def test_items_that_fail_midway_leave_the_ones_before_stored(tmp_path):
    """A source that breaks after some documents (a reader, a generator) keeps what it had handed over."""

    def source():
        yield from report_documents()[:6]
        raise RuntimeError("the source broke")

    db = store.connect(tmp_path / "v.db")
    with pytest.raises(RuntimeError, match="source broke"):
        store.store_extractions(db, source(), batch_size=4)
    stored = {r[0] for r in db.execute("select id from articles")}
    db.conn.close()
    assert stored == {m["id"] for _, m in report_documents()[:6]}
