"""Querying real pipeline databases: full-text search, the `facts` filters, read-only SQL and exports,
through the Python API and the `vaxnews` commands."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3

import pytest
from typer.testing import CliRunner

from pipeline import query, store
from pipeline.cli import app
from pipeline.text import fold
from tests.test_store_support import copy_db, iterdump, pipeline_db, reports_db


def vaxnews(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def reports():
    conn = store.connect_readonly(reports_db(), require_current=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def sample():
    conn = store.connect_readonly(pipeline_db(), require_current=True)
    yield conn
    conn.close()


def article_text(conn: sqlite3.Connection, article_id: str) -> str:
    return conn.execute("select text from articles where id = ?", [article_id]).fetchone()[0]


# ---------------------------------------------------------------------------------------- search
@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("हज़ार", "हजार"),  # nukta
        ("केन्द्र", "केंद्र"),  # nasal cluster vs anusvara
        ("केन्द्रों", "केंद्रों"),
        ("पहुँचे", "पहुंचे"),  # chandrabindu
        ("ज़िले", "जिले"),
        ("२१", "21"),  # Devanagari digits
        ("सर्वर", "सर्वर"),
        ("CoWIN", "cowin"),  # Latin case
    ],
)
def test_spelling_variants_find_the_same_articles(reports, one, other):
    a = [h.article_id for h in query.search(reports, one, limit=100)]
    b = [h.article_id for h in query.search(reports, other, limit=100)]
    assert a and a == b


@pytest.mark.parametrize("words", ["हजार", "केंद्र", "टीकाकरण सर्वर", "कोविन पोर्टल", "पहली डोज", '"टीका लगाया"'])
def test_every_hit_contains_every_term_and_marks_it(reports, words):
    hits = query.search(reports, words, limit=100)
    assert hits, words
    terms = query.search_terms(words)
    for h in hits:
        text = article_text(reports, h.article_id)
        folded = fold(text)
        assert all(t in folded for t in terms)
        assert "«" in h.snippet and "»" in h.snippet
        for start, end in h.matches:  # offsets into the original text, as evidence offsets are
            assert fold(text[start:end]) in terms


def test_search_finds_the_jabalpur_server_outage(sample):
    hits = query.search(sample, "टीकाकरण सर्वर")
    jabalpur = [h for h in hits if h.district == "Jabalpur"]
    assert jabalpur and jabalpur[0].url == "https://samachar.example/news/jabalpur-2021-06-04-1001"
    assert "«सर्वर»" in jabalpur[0].snippet


def test_a_phrase_in_quotes_is_kept_whole(reports):
    phrase = {h.article_id for h in query.search(reports, '"टीका लगाया"', limit=100)}
    words = {h.article_id for h in query.search(reports, "टीका लगाया", limit=100)}
    assert phrase and phrase <= words


@pytest.mark.parametrize("short", ["टी", "18", "डॉ"])
def test_terms_shorter_than_a_trigram_are_matched_by_a_scan(reports, short):
    hits = query.search(reports, short, limit=100)
    assert hits
    for h in hits:
        assert fold(short) in fold(article_text(reports, h.article_id))


def test_short_and_long_terms_combine(reports):
    both = {h.article_id for h in query.search(reports, "सर्वर 18", limit=100)}
    long_only = {h.article_id for h in query.search(reports, "सर्वर", limit=100)}
    assert both and both <= long_only


# ---------------------------------------------------------------------------------------- ranking
# What the search ranked by before it computed bm25 itself (schema v2): FTS5's bm25() over the newest
# RANK_WINDOW matches, ties by rowid. The order must not change.
def reference_order(conn: sqlite3.Connection, text: str, limit: int) -> list[str]:
    fts, search_table = store.FTS_TABLE, store.SEARCH_TABLE
    terms = query.search_terms(text)
    where, params = [f"{fts} MATCH ?"], [query.fts_expression(terms)]
    for term in (t for t in terms if len(t) < query.TRIGRAM):
        where.append("(instr(coalesce(s.title, ''), ?) > 0 OR instr(s.body, ?) > 0)")
        params += [term, term]
    sql = (
        f"SELECT s.article_id FROM (SELECT {fts}.rowid AS rowid, bm25({fts}, 5.0, 1.0) AS score FROM {fts} "
        f"JOIN {search_table} s ON s.rowid = {fts}.rowid WHERE {' AND '.join(where)} "
        f"ORDER BY {fts}.rowid DESC LIMIT {query.RANK_WINDOW}) w JOIN {search_table} s ON s.rowid = w.rowid "
        "ORDER BY w.score, w.rowid LIMIT ?"
    )
    return [r[0] for r in conn.execute(sql, [*params, limit])]


RANKED = [
    "टीकाकरण",
    "टीका",
    "हज़ार",
    "केन्द्र",
    "टीकाकरण केंद्र",
    "सर्वर पोर्टल",
    '"टीका लगाया"',
    '"दूसरी डोज"',
    "जिले में",
    "18 वर्ष",
    "डॉ सिंह",
    "कोविशील्ड",
    "cowin",
    "टीकाकरण सर्वर पोर्टल केंद्र",
]
# Both ways of scoring a window: always FTS5's bm25(), always _bm25 (the choice is only about speed).
PATHS = {"bm25()": {"DENSE": 2.0}, "_bm25": {"DENSE": 0.0, "DENSE_TRIGRAMS": 0, "DENSE_PROBE": 1}}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("words", RANKED)
def test_the_ranking_is_fts5_bm25_over_the_newest_matches(reports, monkeypatch, path, words):
    for name, value in PATHS[path].items():
        monkeypatch.setattr(query, name, value)
    want = reference_order(reports, words, 1000)
    assert want or words == "डॉ सिंह"
    assert [h.article_id for h in query.search(reports, words, limit=1000)] == want
    assert [h.article_id for h in query.search(reports, words, limit=5)] == want[:5]
    monkeypatch.setattr(query, "RANK_WINDOW", 7)  # a window that cuts the matches
    assert [h.article_id for h in query.search(reports, words, limit=1000)] == reference_order(
        reports, words, 1000
    )


@pytest.mark.parametrize("words", [w for w in RANKED if all(len(t) >= 3 for t in query.search_terms(w))])
def test_computed_scores_are_bm25s_to_the_last_bit(reports, words):
    assert_scores_are_bm25s(reports, words)


def assert_scores_are_bm25s(conn: sqlite3.Connection, words: str) -> None:
    reports = conn
    phrases = query.search_terms(words)
    fts = store.FTS_TABLE
    want = dict(
        reports.execute(
            f"SELECT rowid, bm25({fts}, 5.0, 1.0) FROM {fts} WHERE {fts} MATCH ?",
            [query.fts_expression(phrases)],
        )
    )
    n_rows, avgdl = query._fts_totals(reports)
    idf = [query._idf(query._phrase_rows(reports, p, n_rows), n_rows) for p in phrases]
    got = {rowid: score for score, rowid in query._bm25(reports, phrases, idf, avgdl, list(want))}
    assert got == want


def test_counting_a_phrase_stops_at_half_the_rows_where_its_idf_is_clamped(reports):
    n_rows, _ = query._fts_totals(reports)
    assert n_rows == reports.execute("select count(*) from articles_search").fetchone()[0]
    counted = query._phrase_rows(reports, "टीका", n_rows)
    assert counted == (n_rows + 1) // 2  # in (nearly) every report
    assert query._idf(counted, n_rows) == 1e-6
    rare = query._phrase_rows(reports, "सर्वर", n_rows)
    assert 0 < rare < n_rows // 2
    assert query._idf(rare, n_rows) == pytest.approx(math.log((n_rows - rare + 0.5) / (rare + 0.5)))


ODD_TEXTS = [  # (title, text): repeated and overlapping phrases, a NUL, Latin case, long and short rows
    ("ननन", "नननन नननननन टीका टीका टीका"),
    ("टीका", "टीका\x00 नननन टीका टीका"),
    ("CoWIN ननन", "cowin CoWIN COWIN टीका लगाया"),
    (None, "टीका " * 40),
    ("ननननन", "टीका"),
    ("x", "नन न न ननन टीकाकरण"),
]


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    path = tmp_path_factory.mktemp("odd") / "odd.db"
    db = store.connect(path)
    for i, (title, text) in enumerate(ODD_TEXTS * 3):
        doc = {"article": {"text": text, "title": title, "url": f"https://odd.example/{i}"}, "facts": []}
        store.store_extraction(db, doc, {"id": f"odd{i:02d}", "extracted_at": "2021-07-01T00:00:00+00:00"})
    db.conn.close()
    conn = store.connect_readonly(path)
    yield conn
    conn.close()


@pytest.mark.parametrize("words", ["ननन", "नननन", "टीका", "cowin", "ननन टीका", '"टीका टीका"'])
def test_computed_scores_count_overlapping_and_cut_phrases_as_fts5_does(odd, words):
    assert_scores_are_bm25s(odd, words)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("words", ["ननन", "नननन", "टीका", "cowin", "ननन टीका", '"टीका टीका"', "न टीका"])
def test_overlapping_repeated_and_cut_phrases_rank_as_bm25_does(odd, monkeypatch, path, words):
    for name, value in PATHS[path].items():
        monkeypatch.setattr(query, name, value)
    want = reference_order(odd, words, 100)
    assert want
    assert [h.article_id for h in query.search(odd, words, limit=100)] == want


@pytest.mark.parametrize("nothing", ["", "   ", '""'])
def test_an_empty_query_is_an_error(reports, nothing):
    with pytest.raises(query.QueryError):
        query.search(reports, nothing)


def test_fts_syntax_in_a_query_is_taken_literally(reports):
    for text in ['टीका" OR "x', "NEAR(टीका)", "title:टीका", "*", "टीका AND NOT"]:
        query.search(reports, text)  # no FTS5 syntax error reaches the user


def test_search_command_prints_snippets_and_json():
    db = str(pipeline_db())
    out = vaxnews("search", "टीकाकरण सर्वर", "--db", db)
    assert out.exit_code == 0 and "«सर्वर»" in out.stdout and "Jabalpur" in out.stdout
    hits = json.loads(vaxnews("search", "हज़ार", "--json", "--db", db).stdout)
    assert hits and all({"article_id", "url", "snippet", "matches"} <= set(h) for h in hits)


# ---------------------------------------------------------------------------------------- facts
@pytest.mark.parametrize("name", ["जबलपुर", "Jabalpur", "jabalpur", "जबलपुर जिला", "संस्कारधानी"])
def test_district_names_in_hindi_or_english_give_the_same_facts(sample, name):
    district, state = query.resolve_district(name)
    rows = query.find_facts(sample, query.FactFilter(district=district, state=state))
    assert (district, state) == ("Jabalpur", "Madhya Pradesh")
    assert {r["district"] for r in rows} == {"Jabalpur"}
    assert {r["type"] for r in rows} == set(query.FACT_TYPES)


def test_the_everyday_question_jabalpur_doses_from_june(sample):
    flt = query.FactFilter(
        types=["dose_count"], district="Jabalpur", state="Madhya Pradesh", date_from="2021-06-01"
    )
    rows = query.find_facts(sample, flt)
    values = {(r["value"], r["measure"]) for r in rows}
    assert {(22397, "administered"), (27200, "target")} <= values
    for r in rows:
        text = article_text(sample, r["article_id"])
        assert text[r["start"] : r["end"]] == r["quote"] and r["quote"] in r["sentence"]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("2021-06-01", None), (None, "2021-06-16"), ("2021-06-12", "2021-06-17"), ("2021-06-21", "2021-06-21")],
)
def test_date_ranges_bound_every_fact(sample, date_from, date_to):
    rows = query.find_facts(sample, query.FactFilter(date_from=date_from, date_to=date_to))
    assert rows
    for r in rows:
        assert r["date"] is not None
        assert date_from is None or r["date"] >= date_from
        assert date_to is None or r["date"] <= date_to


@pytest.mark.parametrize(
    ("flt", "column", "value"),
    [
        (query.FactFilter(measure="administered"), "measure", "administered"),
        (query.FactFilter(age_group="18-44"), "age_group", "18-44"),
        (query.FactFilter(role="cmho"), "role", "cmho"),
        (query.FactFilter(system="server"), "system", "server"),
        (query.FactFilter(types=["center"]), "type", "center"),
        (query.FactFilter(types=["outage", "official"], district="Bastar"), "district", "Bastar"),
    ],
)
def test_field_filters(reports, flt, column, value):
    rows = query.find_facts(reports, flt)
    assert rows and all(r[column] == value for r in rows)


def test_filters_that_do_not_apply_are_errors(reports):
    with pytest.raises(query.QueryError, match="--measure does not apply to official"):
        query.find_facts(reports, query.FactFilter(types=["official"], measure="target"))
    with pytest.raises(query.QueryError, match="unknown measure"):
        query.find_facts(reports, query.FactFilter(measure="given"))
    with pytest.raises(query.QueryError, match="unknown fact type"):
        query.find_facts(reports, query.FactFilter(types=["rumour"]))
    with pytest.raises(query.QueryError, match="unknown district"):
        query.resolve_district("अटलांटिस")


@pytest.mark.parametrize(
    "args",
    [
        ["--district", "Jabalpur' OR '1'='1"],
        ["--district", "जबलपुर'; DROP TABLE articles; --"],
        ["--age-group", "18-44' OR '1'='1"],
        ["--age-group", "x'); DELETE FROM dose_counts; --"],
        ["--role", "cmho' OR role IS NOT NULL OR '"],
        ["--from", "2021-06-01' OR '1'='1"],
        ["--type", "dose_count; DROP TABLE dose_counts"],
    ],
)
def test_injection_attempts_have_no_effect(tmp_path, args):
    path = copy_db(pipeline_db(), tmp_path / "v.db")
    before = iterdump(path)
    out = vaxnews("facts", *args, "--json", "--db", str(path))
    if out.exit_code == 0:
        assert json.loads(out.stdout) == []  # the attempt was a literal value that matches nothing
    else:
        assert out.exit_code == 2 and out.stderr.startswith("error:")
    assert iterdump(path) == before


def test_facts_command_outputs(tmp_path):
    db = str(pipeline_db())
    base = ["facts", "--district", "जबलपुर", "--from", "2021-06-01", "--type", "dose_count", "--db", db]
    rows = json.loads(vaxnews(*base, "--json").stdout)
    assert {r["value"] for r in rows} >= {22397, 27200}
    table = list(csv.DictReader(io.StringIO(vaxnews(*base, "--csv").stdout)))
    assert [r["fact_id"] for r in table] == [r["fact_id"] for r in rows]
    text = vaxnews(*base, "--measure", "administered")
    assert text.exit_code == 0 and "«22 हजार 397»" in text.stdout and "27200" not in text.stdout
    mixed = json.loads(vaxnews("facts", "--district", "Jabalpur", "--json", "--db", db).stdout)
    assert {r["type"] for r in mixed} == set(query.FACT_TYPES)


# ---------------------------------------------------------------------------------------- query
@pytest.mark.parametrize(
    "sql",
    [
        "delete from articles",
        "insert into meta values ('x', 'y')",
        "update dose_counts set value = 0",
        "drop table officials",
        "create table notes (x)",
        "attach database 'elsewhere.db' as other",
        "vacuum into 'copy.db'",
        "pragma query_only = 0",
    ],
)
def test_query_refuses_writes_with_a_clear_error(tmp_path, sql, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = copy_db(pipeline_db(), tmp_path / "v.db")
    before = iterdump(path)
    out = vaxnews("query", sql, "--db", str(path))
    assert out.exit_code == 2 and "read-only" in out.stderr
    assert iterdump(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["v.db"]


def test_query_outputs_csv_and_json():
    db = str(pipeline_db())
    sql = "select district, value from daily_doses_reported where district = 'Jabalpur' order by value"
    rows = json.loads(vaxnews("query", sql, "--json", "--db", db).stdout)
    assert {"district": "Jabalpur", "value": 22397} in rows
    table = list(csv.reader(io.StringIO(vaxnews("query", sql, "--csv", "--db", db).stdout)))
    assert table[0] == ["district", "value"] and ["Jabalpur", "22397"] in table
    assert vaxnews("query", "select nonsense from nowhere", "--db", db).exit_code == 2


# ---------------------------------------------------------------------------------------- export
@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = vaxnews("export", str(out), "--db", str(pipeline_db()))
    assert result.exit_code == 0, result.stderr
    return out


def test_export_writes_every_table_and_view(exported, sample):
    names = {n for n, _ in store.exportable(sample)}
    assert set(store.VIEWS) | {"articles", "dose_counts", "pages", "verifications"} <= names
    for name in names:
        assert (exported / f"{name}.csv").exists() and (exported / f"{name}.json").exists()
    assert not any(p.name.startswith("articles_fts") for p in exported.iterdir())


def test_exported_files_hold_the_rows(exported, sample):
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert (
        manifest["schema_version"] == store.SCHEMA_VERSION and "CC BY" in manifest["official_data"]["license"]
    )
    for entry in manifest["files"]:
        name = entry["name"]
        n = sample.execute(f'select count(*) from "{name}"').fetchone()[0]
        with open(exported / entry["csv"], encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        objs = json.loads((exported / entry["json"]).read_text(encoding="utf-8"))
        assert entry["rows"] == n == len(rows) == len(objs), name
        if objs:
            assert list(objs[0]) == entry["columns"] == list(rows[0])


def test_exported_text_is_exact(exported, sample):
    objs = json.loads((exported / "articles.json").read_text(encoding="utf-8"))
    texts = dict(sample.execute("select id, text from articles"))
    assert {o["id"]: o["text"] for o in objs} == texts
    doses = json.loads((exported / "dose_counts.json").read_text(encoding="utf-8"))
    assert all(texts[d["article_id"]][d["start"] : d["end"]] == d["quote"] for d in doses)


def test_a_word_in_many_articles_is_ranked_within_the_newest_matches(reports, monkeypatch):
    everywhere = query.search(reports, "टीकाकरण", limit=1000)
    assert len(everywhere) > 10
    newest = {
        r[0]
        for r in reports.execute(
            f"select s.article_id from {store.FTS_TABLE} f join {store.SEARCH_TABLE} s on s.rowid = f.rowid "
            f"where {store.FTS_TABLE} match ? order by f.rowid desc limit 5",
            [query.fts_expression(["टीकाकरण"])],
        )
    }
    monkeypatch.setattr(query, "RANK_WINDOW", 5)
    windowed = query.search(reports, "टीकाकरण", limit=1000)
    assert {h.article_id for h in windowed} == newest
