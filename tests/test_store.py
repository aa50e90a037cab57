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
        "articles_search",
        "meta",
    } <= names
    assert set(store.VIEWS) <= set(db.view_names())
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


# ---------------------------------------------------------------------------------------------------
# Schema v2 guarantees: evidence, cascades, search alignment, one writer at a time.


def _fact(fact_type, text, phrase, **fields):
    start = text.index(phrase)
    return {
        "type": fact_type,
        **fields,
        "evidence": {"sentence": text, "start": start, "end": start + len(phrase), "quote": phrase},
    }


def _meta(article_id):
    return {**META, "id": article_id}


def test_every_fact_table_has_the_contract_columns(tmp_path):
    db = store.connect(tmp_path / "v.db")
    for table, fields in store.FACT_TABLES.values():
        cols = [c.name for c in db[table].columns]
        assert cols == ["id", "article_id", *fields, "sentence", "start", "end", "quote"]
        fks = {(fk.column, fk.other_table, fk.other_column) for fk in db[table].foreign_keys}
        assert fks == {("article_id", "articles", "id")}
    indexed = {tuple(i.columns) for t in ("dose_counts", "officials") for i in db[t].indexes}
    assert {("measure",), ("age_group",), ("date",), ("role",), ("article_id",)} <= indexed
    assert ("district", "event_date") in {tuple(i.columns) for i in db["articles"].indexes}


@pytest.mark.parametrize(
    "evidence",
    [
        {"start": 0, "end": 5, "quote": "146 क"},  # quote is not text[0:5]
        {"start": 10, "end": 5, "quote": ""},  # end before start
        {"start": 500, "end": 510, "quote": ""},  # outside the text
    ],
)
def test_a_fact_whose_quote_is_not_the_text_is_refused(tmp_path, evidence):
    db = store.connect(tmp_path / "v.db")
    doc = _doc()
    doc["facts"][0]["evidence"] = {"sentence": TEXT, **evidence}
    with pytest.raises(store.EvidenceError, match="not text"):
        store.store_extraction(db, doc, META)
    assert db["articles"].count == 0


def test_the_database_itself_refuses_to_move_stored_evidence(tmp_path):
    """Schema v3 checks a new fact's quote in Python before writing (prepare_extraction, tested above)
    instead of with a per-row insert trigger; changing a stored fact's span, or the text under it, is
    still refused by the database."""
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    with pytest.raises(sqlite3.IntegrityError, match="evidence quote"):
        db.conn.execute("update dose_counts set quote = 'नहीं'")
    with pytest.raises(sqlite3.IntegrityError, match="evidence quote"):
        db.conn.execute("update dose_counts set start = start + 1")
    with pytest.raises(sqlite3.IntegrityError, match="delete the facts"):
        db.conn.execute("update articles set text = 'बदला हुआ पाठ' where id = 'a1'")


def test_deleting_an_article_cascades_to_its_facts_and_search_row(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    store.store_extraction(db, _doc(), _meta("a2"))
    with db.conn:
        db.conn.execute("delete from articles where id = 'a1'")
    assert [r[0] for r in db.execute("select distinct article_id from dose_counts")] == ["a2"]
    assert [r[0] for r in db.execute("select article_id from articles_search")] == ["a2"]
    assert (
        db.execute("select count(*) from articles_fts where articles_fts match '\"हजार\"'").fetchone()[0] == 1
    )


def test_search_stays_aligned_after_vacuum(tmp_path):
    """v1 indexed articles.rowid, which VACUUM may renumber; v2 indexes articles_search's INTEGER key."""
    path = tmp_path / "v.db"
    db = store.connect(path)
    for i, word in enumerate(["पहला", "दूसरा", "तीसरा", "चौथा"]):
        store.store_extraction(db, _doc(facts=[], text=f"{word} लेख {TEXT}", title=word), _meta(f"a{i}"))
    with db.conn:
        db.conn.execute("delete from articles where id in ('a0', 'a2')")
    db.conn.execute("VACUUM")
    found = db.execute(
        "select s.article_id from articles_fts join articles_search s on s.rowid = articles_fts.rowid "
        "where articles_fts match ?",
        ['"चौथा"'],
    ).fetchall()
    assert found == [("a3",)]


def test_titles_are_folded_for_search(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(facts=[], text="पाठ", title="हज़ार केन्द्र"), META)
    hits = db.execute("select rowid from articles_fts where articles_fts match 'title: \"हजार केंद्र\"'")
    assert len(hits.fetchall()) == 1


def test_a_changed_sentence_alone_rewrites_the_facts(tmp_path):
    db = store.connect(tmp_path / "v.db")
    store.store_extraction(db, _doc(), META)
    doc = _doc()
    for fact in doc["facts"]:
        fact["evidence"]["sentence"] = TEXT[: TEXT.index("लोगों")]
    store.store_extraction(db, doc, META)
    assert {r[0] for r in db.execute("select sentence from dose_counts")} == {TEXT[: TEXT.index("लोगों")]}


def test_the_same_fact_twice_in_one_document_is_stored_once(tmp_path):
    db = store.connect(tmp_path / "v.db")
    doc = _doc()
    doc["facts"].append(doc["facts"][1])
    store.store_extraction(db, doc, META)
    assert db["dose_counts"].count == 1


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    """Two connections writing at once (two threads, as two processes would): every write lands."""
    import threading

    path = tmp_path / "v.db"
    store.connect(path).conn.close()
    errors: list[BaseException] = []

    def writer(prefix):
        try:
            db = store.connect(path)
            for i in range(25):
                store.store_extraction(db, _doc(), _meta(f"{prefix}{i}"))
            db.conn.close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    db = store.connect(path)
    assert db["articles"].count == 50 and db["dose_counts"].count == 50 and db["articles_search"].count == 50
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_unknown_fact_type_writes_nothing(tmp_path):
    db = store.connect(tmp_path / "v.db")
    doc = _doc()
    doc["facts"].append({"type": "rumour", "evidence": {"start": 0, "end": 0, "quote": "", "sentence": ""}})
    with pytest.raises(KeyError):
        store.store_extraction(db, doc, META)
    assert db["articles"].count == 0


# Why the index uses the trigram tokenizer on folded text (docs/database.md has the measurements).
_MARKS = "".join(
    chr(c) for c in [*range(0x900, 0x904), *range(0x93A, 0x950), *range(0x951, 0x958), 0x962, 0x963]
)
_TOKENIZERS = {
    "unicode61": "unicode61",
    "tokenchars": f"unicode61 tokenchars '{_MARKS}'",
    "trigram": "trigram",
}


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        # unicode61 splits at every vowel sign, so टेक and टाका "match" टीका.
        ("टेक", "टीका लगा", {"unicode61": True, "tokenchars": False, "trigram": False}),
        ("टाका", "टीका लगा", {"unicode61": True, "tokenchars": False, "trigram": False}),
        # Whole-word tokens miss inflected and compound forms; trigram substrings find them.
        ("केंद्र", "146 केन्द्रों पर", {"unicode61": True, "tokenchars": False, "trigram": True}),
        ("टीका", "टीकाकरण जारी", {"unicode61": True, "tokenchars": False, "trigram": True}),
        # On folded text every tokenizer unifies the spelling variants.
        ("टीका", "टीका लगा", {"unicode61": True, "tokenchars": True, "trigram": True}),
        ("हजार", "27 हज़ार", {"unicode61": True, "tokenchars": True, "trigram": True}),
    ],
)
def test_tokenizer_choice(query, text, expected):
    from pipeline.text import fold

    conn = sqlite3.connect(":memory:")
    got = {}
    for name, tokenizer in _TOKENIZERS.items():
        conn.execute(f'create virtual table {name} using fts5(body, tokenize="{tokenizer}")')
        conn.execute(f"insert into {name} values (?)", [fold(text)])
        hit = conn.execute(f"select 1 from {name} where {name} match ?", [f'"{fold(query)}"']).fetchone()
        got[name] = hit is not None
    assert got == expected


def test_one_writer_at_a_time(tmp_path):
    """store.writing holds the database's writer lock for its whole block and closes its connection."""
    import threading

    from pipeline import locks

    path = tmp_path / "db" / "vaxnews.db"
    lock = path.with_name("vaxnews.db.writer-lock")
    with store.writing(path) as db:
        db["notes"].insert({"n": 1})
        seen: list[bool] = []

        def other_writer() -> None:
            with locks.exclusive(lock, wait=False) as acquired:
                seen.append(acquired)

        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join()
        assert seen == [False]
    with locks.exclusive(lock, wait=False) as acquired:
        assert acquired
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute("select 1")
    assert store.connect_readonly(path).execute("select n from notes").fetchall() == [(1,)]
