"""The database: schema, idempotent atomic writes, read-only queries, Devanagari full-text search."""

import sqlite3

import pytest

from pipeline import store

TEXT = "जबलपुर में 146 केन्द्रों पर 27 हज़ार 200 लोगों को टीका लगाने का लक्ष्य था।"


def _doc(facts=None, text=TEXT, title="टीकाकरण"):
    return {
        "article": {
            "url": "https://x.example/a-1",
            "title": title,
            "published": "2021-06-04T15:57:00+05:30",
            "district": "Jabalpur",
            "state": "Madhya Pradesh",
            "event_date": "2021-06-03",
            "text": text,
        },
        "facts": facts
        if facts is not None
        else [
            {
                "type": "center_count",
                "value": 146,
                "qualifier": "exact",
                "age_group": None,
                "dose": None,
                "place": None,
                "date": "2021-06-03",
                "evidence": {
                    "sentence": text,
                    "start": text.index("146"),
                    "end": text.index("146") + 14,
                    "quote": text[text.index("146") : text.index("146") + 14],
                },
            },
            {
                "type": "dose_count",
                "value": 27200,
                "qualifier": "exact",
                "measure": "target",
                "age_group": None,
                "dose": None,
                "group": None,
                "place": None,
                "date": "2021-06-03",
                "evidence": {
                    "sentence": text,
                    "start": text.index("27"),
                    "end": text.index("27") + 12,
                    "quote": text[text.index("27") : text.index("27") + 12],
                },
            },
        ],
    }


META = {
    "id": "a1",
    "site": "x",
    "parser": "text",
    "extractor_version": "t",
    "extracted_at": "2021-06-05T00:00:00",
}


def _dump(path):
    conn = sqlite3.connect(path)
    return [line for line in conn.iterdump() if "sqlite_sequence" not in line]


def test_schema_has_every_table_view_and_version(tmp_path):
    db = store.connect(tmp_path / "v.db")
    names = set(db.table_names())
    assert {
        "pages",
        "articles",
        "dose_counts",
        "center_counts",
        "centers",
        "outages",
        "officials",
        "verifications",
        "articles_fts",
        "meta",
    } <= names
    assert {"daily_doses_reported", "outages_by_date", "officials_directory"} <= set(db.view_names())
    assert store.schema_version(db) == store.SCHEMA_VERSION


def test_writes_are_idempotent(tmp_path):
    path = tmp_path / "v.db"
    db = store.connect(path)
    store.store_extraction(db, _doc(), META)
    first = _dump(path)
    store.store_extraction(db, _doc(), META)
    assert _dump(path) == first
    assert db["dose_counts"].count == 1 and db["center_counts"].count == 1


def test_reextraction_replaces_facts(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    store.store_extraction(db, _doc(facts=[]), META)
    assert db["dose_counts"].count == 0 and db["articles"].count == 1


def test_failed_write_leaves_previous_facts(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    bad = _doc()
    bad["facts"].append({"type": "no_such_type", "evidence": {}})
    with pytest.raises(KeyError):
        store.store_extraction(db, bad, META)
    assert db["dose_counts"].count == 1 and db["center_counts"].count == 1


def test_quotes_match_stored_text(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    row = next(
        db.query(
            "select a.text, d.start, d.end, d.quote from dose_counts d join articles a on a.id = d.article_id"
        )
    )
    assert row["text"][row["start"] : row["end"]] == row["quote"] == "27 हज़ार 200"


def test_readonly_connection_refuses_writes(tmp_path):
    path = tmp_path / "v.db"
    store.store_extraction(store.connect(path), _doc(), META)
    conn = store.connect_readonly(path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
        conn.execute("delete from articles")


def test_newer_schema_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "v.db"
    db = store.connect(path)
    db["meta"].upsert({"key": "schema_version", "value": "999"}, pk="key")
    with pytest.raises(store.SchemaError, match="newer"):
        store.connect(path)


@pytest.mark.parametrize("query", ["हजार", "हज़ार", "केंद्रों", "केन्द्रों"])
def test_full_text_search_folds_spelling_variants(tmp_path, query):
    from pipeline.text import fold

    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    hits = db.execute(
        "select rowid from articles_fts where articles_fts match ?", [f'"{fold(query)}"']
    ).fetchall()
    assert len(hits) == 1
    none = db.execute("select rowid from articles_fts where articles_fts match ?", ['"टेक"']).fetchall()
    assert none == []
