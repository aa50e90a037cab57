"""Reading the database: full-text search, the everyday fact filters, exports, and Datasette.

Everything here reads through `store.connect_readonly` (SQLite refuses writes) and builds SQL from fixed
fragments; every value a user gives travels as a bound parameter, never inside the SQL text.

Search works on the folded text (`pipeline.text.fold`) that `store` indexes with FTS5's trigram tokenizer,
so हज़ार/हजार and केन्द्र/केंद्र find each other; the query is folded the same way. Terms shorter than three
characters cannot use a trigram index and are matched by a scan of the folded text (`instr`). Snippets are
cut from the original `articles.text`, with match offsets into it (the same string evidence offsets use).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import re
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from pipeline import store
from pipeline.text import fold, normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
METADATA_FILE = DATA_DIR / "datasette_metadata.toml"
PLUGIN_SHIM = "from pipeline.datasette_plugin import prepare_connection  # noqa: F401\n"
TRIGRAM = 3  # FTS5's trigram tokenizer indexes (and can look up) runs of at least 3 characters


class QueryError(ValueError):
    """A query the user should rephrase (unknown district, bad date, option that does not apply)."""


# ---------------------------------------------------------------------------------------- search
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def search_terms(query: str) -> list[str]:
    """The folded terms of a search query: words, or "quoted phrases" kept whole."""
    terms = []
    for m in _TERM.finditer(query):
        term = fold(m.group(1) if m.group(1) is not None else m.group(2))
        if term and term not in terms:
            terms.append(term)
    return terms


def fts_expression(terms: Sequence[str]) -> str | None:
    """The FTS5 MATCH expression for the terms the trigram index can answer (AND of quoted strings)."""
    long = [t for t in terms if len(t) >= TRIGRAM]
    return " ".join('"' + t.replace('"', '""') + '"' for t in long) or None


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str | None
    url: str | None
    district: str | None
    event_date: str | None
    snippet: str
    matches: list[tuple[int, int]] = field(default_factory=list)  # offsets into articles.text


def search(conn: sqlite3.Connection, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Articles whose title or text contains every term of `query` (folded), best first."""
    terms = search_terms(query)
    if not terms:
        raise QueryError("empty search query")
    with _snapshot(conn):  # the ranking and the rows it names read one state of the file
        rowids = _ranked_rowids(conn, terms, limit)
        rows = conn.execute(
            "SELECT a.id, a.title, a.url, a.district, a.event_date, a.text FROM json_each(?) AS j "
            f"JOIN {store.SEARCH_TABLE} s ON s.rowid = j.value JOIN articles a ON a.id = s.article_id "
            "ORDER BY j.key",
            [json.dumps(rowids)],
        ).fetchall()
    hits = []
    for aid, title, url, district, event_date, text in rows:
        snippet, matches = make_snippet(text, terms)
        hits.append(SearchHit(aid, title, url, district, event_date, snippet, matches))
    return hits


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around several statements (unless the caller already holds one)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


RANK_WINDOW = 2000  # matches ranked by relevance: the newest stored


def _ranked_rowids(conn: sqlite3.Connection, terms: Sequence[str], limit: int) -> list[int]:
    """The search rows of the best `limit` matches, best first.

    With terms the trigram index can look up: the newest RANK_WINDOW matches (FTS5 walks its doclists
    newest first and stops, so a word in most articles costs what a rare one does), ordered by FTS5's
    bm25 with the title weighted 5x, ties broken by the search row's id (stable, like the ranking).
    Dense windows of long phrases (`_dense`) are scored by `_bm25` here, whose count of each phrase's
    rows stops where its IDF is clamped; the others by FTS5's bm25(). Same scores, so the same order.
    With short terms only: a scan, newest stored first, that stops at `limit` hits (ordering by
    publication time made it read every article first)."""
    fts, search_table = store.FTS_TABLE, store.SEARCH_TABLE
    phrases = [t for t in terms if len(t) >= TRIGRAM]
    where: list[str] = []
    params: list[Any] = []
    for term in (t for t in terms if len(t) < TRIGRAM):
        where.append("(instr(coalesce(s.title, ''), ?) > 0 OR instr(s.body, ?) > 0)")
        params += [term, term]
    if not phrases:
        sql = (
            f"SELECT s.rowid FROM {search_table} s WHERE {' AND '.join(where)} ORDER BY s.rowid DESC LIMIT ?"
        )
        return [r[0] for r in conn.execute(sql, [*params, limit])]
    join = f" JOIN {search_table} s ON s.rowid = {fts}.rowid" if where else ""
    condition = " AND ".join([f"{fts} MATCH ?", *where])
    params = [fts_expression(phrases), *params]
    newest = f"SELECT {fts}.rowid FROM {fts}{join} WHERE {condition} ORDER BY {fts}.rowid DESC LIMIT "
    if not _dense(conn, newest, params, phrases):
        ranked = conn.execute(
            f"SELECT rowid FROM (SELECT {fts}.rowid AS rowid, bm25({fts}, 5.0, 1.0) AS score "
            f"FROM {fts}{join} WHERE {condition} ORDER BY {fts}.rowid DESC LIMIT {RANK_WINDOW}) "
            "ORDER BY score, rowid LIMIT ?",
            [*params, limit],
        )
        return [r[0] for r in ranked]
    window = [r[0] for r in conn.execute(newest + str(RANK_WINDOW), params)]
    n_rows, avgdl = _fts_totals(conn)
    idf = [_idf(_phrase_rows(conn, phrase, n_rows), n_rows) for phrase in phrases]
    scored = _bm25(conn, phrases, idf, avgdl, window)
    return [rowid for _, rowid in sorted(scored)[:limit]]


def _dense(conn: sqlite3.Connection, newest: str, params: list[Any], phrases: Sequence[str]) -> bool:
    """Whether the matches fill at least DENSE of the newest rows (judged on the newest DENSE_PROBE of
    them) and the phrases are long enough for `_bm25` to be the faster way to their scores."""
    if sum(len(p) - TRIGRAM + 1 for p in phrases) < DENSE_TRIGRAMS:
        return False
    probe = [r[0] for r in conn.execute(newest + str(min(DENSE_PROBE, RANK_WINDOW)), params)]
    if len(probe) < min(DENSE_PROBE, RANK_WINDOW):
        return False  # few matches in all
    return len(probe) >= DENSE * (probe[0] - probe[-1] + 1)


# When the matches fill at least this share of the newest rows, every phrase is likely to be in half
# of all rows, where its IDF is clamped and `_phrase_rows` stops counting: `_bm25` ranks such a window
# faster than FTS5's bm25() (which counts on to the end). Rarer matches are ranked by bm25() itself
# (its counts are short, and reading the window's texts would cost more). The order is the same.
DENSE = 0.5
DENSE_TRIGRAMS = 5  # ...and when the phrases are long: FTS5 counts a 1-2 trigram phrase fast itself
DENSE_PROBE = 200


# FTS5's bm25 (ext/fts5/fts5_aux.c): its constants, and the column weights the search gives it.
_BM25_K1, _BM25_B = 1.2, 0.75
_COLUMN_WEIGHTS = (5.0, 1.0)  # title, body


def _bm25(
    conn: sqlite3.Connection,
    phrases: Sequence[str],
    idf: Sequence[float],
    avgdl: float,
    rowids: Sequence[int],
) -> list[tuple[float, int]]:
    """(score, rowid) of each row: exactly what `bm25(articles_fts, 5.0, 1.0)` returns for the MATCH of
    `phrases`, computed with the same double operations in the same order.

    Why not FTS5's own: before its first score, bm25() counts the rows that contain each phrase by
    reading the phrase's whole doclist (its IDF), position lists included. For a word found in 90k of
    100k articles that is most of the search's time (~30 ms of a 33 ms search; two such words ~50 ms),
    although an IDF only depends on the count while it is below half the rows: from there on FTS5
    clamps it to 1e-6, and `_phrase_rows` stops counting there. The rest is cheap: a row's phrase
    frequency is the number of places its folded title and text hold the phrase (a trigram phrase
    matches at every position where its characters appear in a row), its length is in FTS5's docsize
    table, and the index totals are in its averages record. tests/test_query.py checks the scores
    against bm25()."""
    fts, search_table = store.FTS_TABLE, store.SEARCH_TABLE
    # The texts as UTF-8 bytes: decoding 2,000 texts into str took longer than the rest of the ranking,
    # and a UTF-8 string occurs in another exactly where its characters do.
    rows = conn.execute(
        f"SELECT s.rowid, CAST(s.title AS BLOB), CAST(s.body AS BLOB), d.sz FROM json_each(?) AS j "
        f"JOIN {search_table} s ON s.rowid = j.value JOIN {fts}_docsize d ON d.id = s.rowid",
        [json.dumps(list(rowids))],
    )
    needles = [
        (phrase.encode(), _overlaps_itself(phrase.encode()), phrase_idf)
        for phrase, phrase_idf in zip(phrases, idf, strict=True)
    ]
    k1, b = _BM25_K1, _BM25_B
    k1_plus_1 = k1 + 1.0
    w_title, w_body = _COLUMN_WEIGHTS
    lengths: dict[bytes, float] = {}  # docsize record -> k1 * (1 - b + b * D / avgdl); few distinct ones
    out = []
    for rowid, title, body, size in rows:
        norm = lengths.get(size)
        if norm is None:
            norm = lengths[size] = k1 * (1 - b + b * float(_row_tokens(size)) / avgdl)
        title, body = title or b"", body or b""
        if b"\0" in body or b"\0" in title:
            title, body = _tokenized(title), _tokenized(body)
        score = 0.0
        for needle, overlaps, phrase_idf in needles:
            if overlaps:
                freq = w_title * _overlapping_count(title, needle) + w_body * _overlapping_count(body, needle)
            else:
                freq = w_title * title.count(needle) + w_body * body.count(needle)
            score += phrase_idf * ((freq * k1_plus_1) / (freq + norm))
        out.append((-1.0 * score, rowid))
    return out


def _phrase_rows(conn: sqlite3.Connection, phrase: str, n_rows: int) -> int:
    """How many rows hold the phrase, counted up to half the rows (from there its IDF is clamped)."""
    fts = store.FTS_TABLE
    (n,) = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ? LIMIT ?)",
        [fts_expression([phrase]), (n_rows + 1) // 2],
    ).fetchone()
    return int(n)


def _idf(n: int, n_rows: int) -> float:
    """FTS5 bm25's IDF of a phrase held by n of n_rows rows: log((N - n + 0.5) / (n + 0.5)), 1e-6 when
    that is not positive, which it is not as soon as n >= N / 2 (so n may be counted up to there)."""
    idf = math.log((n_rows - n + 0.5) / (n + 0.5))
    return idf if idf > 0.0 else 1e-6


def _fts_totals(conn: sqlite3.Connection) -> tuple[int, float]:
    """(rows, average row length in tokens) as FTS5 keeps them: its averages record (id 1 of the data
    table) holds the row count, then the token count of each column."""
    (block,) = conn.execute(f"SELECT block FROM {store.FTS_TABLE}_data WHERE id = 1").fetchone()
    n_rows, *column_tokens = _varints(block)
    return n_rows, float(sum(column_tokens)) / float(n_rows)


def _varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers, one after another (FTS5's records are made of them)."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for k in range(9):
            byte = blob[i]
            i += 1
            if k == 8:  # the ninth byte gives all its 8 bits
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out


def _row_tokens(docsize: bytes) -> int:
    """A row's length in tokens, all columns: the sum of the varints of its docsize record (each below
    2^32, so the 9-byte form never occurs)."""
    total = value = 0
    for byte in docsize:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total += value
            value = 0
    return total


def _tokenized(text: bytes | None) -> bytes:
    """The part of a column the trigram tokenizer reads: up to the first NUL."""
    if not text:
        return b""
    return text.split(b"\0", 1)[0] if b"\0" in text else text


def _overlaps_itself(needle: bytes) -> bool:
    """Whether two occurrences of `needle` can overlap (a proper prefix of it is also a suffix). If not,
    bytes.count, which counts without overlaps, counts every place it starts."""
    return any(needle[:k] == needle[-k:] for k in range(1, len(needle)))


def _overlapping_count(text: bytes, needle: bytes) -> int:
    """Places `needle` starts in `text`, overlapping ones included (as FTS5's phrase positions are)."""
    n, i = 0, text.find(needle)
    while i >= 0:
        n += 1
        i = text.find(needle, i + 1)
    return n


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every occurrence of the folded terms, as offsets into `text`."""
    norm = normalize(text)
    found = []
    for i, term in enumerate(terms):
        pattern = re.compile(r"\s+".join(re.escape(w) for w in term.split(" ")))
        for m in pattern.finditer(norm.norm):
            start, end = norm.to_original(m.start(), m.end())
            found.append((start, end, i))
    return sorted(found)


def make_snippet(
    text: str, terms: Sequence[str], *, width: int = 70, mark: tuple[str, str] = ("«", "»")
) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt of the original text around the place where most terms occur close together,
    with the matches marked; and the offsets of every match in `text`."""
    found = find_terms(text, terms)
    if not found:
        return _one_line(text[: 2 * width]), []

    def terms_near(anchor: int) -> int:
        return len({i for s, _, i in found if anchor - width <= s <= anchor + width})

    best = max(found, key=lambda f: (terms_near(f[0]), -f[0]))[0]
    lo, hi = max(0, best - width), min(len(text), best + width)
    while lo > 0 and not text[lo - 1].isspace():  # do not cut words
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    parts, pos = [], lo
    for s, e, _ in found:
        if s >= pos and e <= hi:
            parts += [text[pos:s], mark[0], text[s:e], mark[1]]
            pos = e
    parts.append(text[pos:hi])
    snippet = ("…" if lo > 0 else "") + _one_line("".join(parts)) + ("…" if hi < len(text) else "")
    return snippet, [(s, e) for s, e, _ in found]


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------- facts
FACT_TYPES = {t: table for t, (table, _) in store.FACT_TABLES.items()}
MEASURES = ("administered", "target", "cumulative", "available")
OUTAGE_SYSTEMS = ("cowin", "portal", "server", "internet", "app", "other")
# Filter option -> the fact types that have the column.
_FILTER_COLUMNS = {
    "measure": ("dose_count",),
    "age_group": ("dose_count", "center_count"),
    "dose": ("dose_count", "center_count"),
    "role": ("official",),
    "system": ("outage",),
}


@dataclass
class FactFilter:
    """The everyday questions: which facts, where, when. None means "any"."""

    types: list[str] = field(default_factory=list)  # empty: every type the other filters allow
    district: str | None = None  # official English name (resolve_district turns any spelling into it)
    state: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    measure: str | None = None
    age_group: str | None = None
    dose: int | None = None
    role: str | None = None
    system: str | None = None
    limit: int | None = None


def resolve_district(name: str) -> tuple[str, str]:
    """(district, state) as the official data spells them, for a Hindi or English name or alias."""
    from pipeline.places import Gazetteer

    found = Gazetteer.load().lookup(name)
    if found is None:
        raise QueryError(f"unknown district {name!r}: give a district name in Hindi or English")
    return found.name, found.state


def parse_day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise QueryError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from exc


def _types_for(flt: FactFilter) -> list[str]:
    for t in flt.types:
        if t not in FACT_TYPES:
            raise QueryError(f"unknown fact type {t!r}; choose from {', '.join(FACT_TYPES)}")
    if flt.measure is not None and flt.measure not in MEASURES:
        raise QueryError(f"unknown measure {flt.measure!r}; choose from {', '.join(MEASURES)}")
    if flt.system is not None and flt.system not in OUTAGE_SYSTEMS:
        raise QueryError(f"unknown outage system {flt.system!r}; choose from {', '.join(OUTAGE_SYSTEMS)}")
    types = list(flt.types or FACT_TYPES)
    for option, allowed in _FILTER_COLUMNS.items():
        if getattr(flt, option) is None:
            continue
        if flt.types and not set(flt.types) <= set(allowed):
            bad = sorted(set(flt.types) - set(allowed))
            raise QueryError(f"--{option.replace('_', '-')} does not apply to {', '.join(bad)}")
        types = [t for t in types if t in allowed]
    return types


def fact_sql(fact_type: str, flt: FactFilter) -> tuple[str, list[Any]]:
    """SELECT for one fact type under the filter: fixed SQL text, every value a parameter."""
    table, fields = store.FACT_TABLES[fact_type]
    date_expr = "coalesce(f.date, a.event_date)" if "date" in fields else "a.event_date"
    field_cols = ", ".join(f'f."{c}"' for c in fields if c != "date")
    sql = (
        f"SELECT '{fact_type}' AS type, f.id AS fact_id, a.district, a.state, {date_expr} AS date, "
        f'{field_cols}, f.sentence, f.start, f."end", f.quote, a.title, a.url, a.id AS article_id '
        f"FROM {table} f JOIN articles a ON a.id = f.article_id"
    )
    where: list[str] = []
    params: list[Any] = []
    if flt.district is not None:
        where.append("a.district = ?")
        params.append(flt.district)
    if flt.state is not None:
        where.append("a.state = ?")
        params.append(flt.state)
    if flt.date_from is not None:
        where.append(f"{date_expr} >= ?")
        params.append(flt.date_from)
    if flt.date_to is not None:
        where.append(f"{date_expr} <= ?")
        params.append(flt.date_to)
    for option in _FILTER_COLUMNS:
        value = getattr(flt, option)
        if value is not None:
            where.append(f'f."{option}" = ?')
            params.append(value)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def find_facts(conn: sqlite3.Connection, flt: FactFilter) -> list[dict[str, Any]]:
    """Facts matching the filter, by date, district, article and position in the text."""
    rows: list[dict[str, Any]] = []
    for fact_type in _types_for(flt):
        sql, params = fact_sql(fact_type, flt)
        cur = conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        rows += [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    rows.sort(key=lambda r: (r["date"] or "", r["district"] or "", r["article_id"], r["start"], r["type"]))
    return rows[: flt.limit] if flt.limit is not None else rows


def fact_columns(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Union of the columns of rows of several fact types, in first-seen order."""
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def fact_summary(row: dict[str, Any]) -> str:
    """The fields of a fact that are set, as `key=value` (for terminal output)."""
    skip = {"type", "fact_id", "district", "state", "date", "sentence", "start", "end", "quote"}
    skip |= {"title", "url", "article_id"}
    return " ".join(f"{k}={v}" for k, v in row.items() if k not in skip and v is not None)


# ---------------------------------------------------------------------------------------- output
def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for r in rows:
        writer.writerow(["" if v is None else _plain(v) for v in r])
        n += 1
    return n


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def write_json_array(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """A JSON array of objects, one per line, written as it streams (exports can be large)."""
    out.write("[")
    n = 0
    for r in rows:
        obj = {c: _plain(v) for c, v in zip(columns, r, strict=True)}
        out.write(("\n" if n == 0 else ",\n") + json.dumps(obj, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _order_by(conn: sqlite3.Connection, name: str, kind: str) -> str:
    """Primary-key order for a table, so that exports of equal databases are equal files."""
    if kind != "table":
        return ""
    info = conn.execute(f'PRAGMA table_info("{_ident(name)}")').fetchall()
    pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
    return " ORDER BY " + ", ".join(f'"{_ident(c)}"' for c in pk) if pk else " ORDER BY rowid"


def _ident(name: str) -> str:
    return name.replace('"', '""')


def _file_stem(name: str) -> str:
    """The file name of a table's export: its name when that is a plain file name, else one made from its
    hash, so that a crafted database ('CREATE TABLE "../../x"') cannot write outside the export directory."""
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", name) and ".." not in name:
        return name
    return "table-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def export(conn: sqlite3.Connection, out_dir: Path) -> list[dict[str, Any]]:
    """Write NAME.csv and NAME.json for every table and view (`store.exportable`) and a manifest.json
    listing them with their row counts; returns the manifest entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    descriptions = metadata_config().get("tables", {})
    entries = []
    for name, kind in store.exportable(conn):
        select = f'SELECT * FROM "{_ident(name)}"' + _order_by(conn, name, kind)
        cur = conn.execute(select)
        columns = [d[0] for d in cur.description]
        stem = _file_stem(name)
        with open(out_dir / f"{stem}.csv", "w", encoding="utf-8", newline="") as fh:
            rows = write_csv(fh, columns, cur)
        with open(out_dir / f"{stem}.json", "w", encoding="utf-8") as fh:
            write_json_array(fh, columns, conn.execute(select))
        entries.append(
            {
                "name": name,
                "kind": kind,
                "rows": rows,
                "columns": columns,
                "csv": f"{stem}.csv",
                "json": f"{stem}.json",
                "description": descriptions.get(name, {}).get("description"),
            }
        )
    manifest = {
        "schema_version": _schema_version(conn),
        "source": metadata_config()["source"],
        "official_data": metadata_config()["official_data"],
        "files": entries,
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return entries


def _schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


# ---------------------------------------------------------------------------------------- Datasette
@functools.cache
def metadata_config() -> dict[str, Any]:
    """pipeline/data/datasette_metadata.toml: titles, licences, table and column descriptions, canned
    queries (read once)."""
    with open(METADATA_FILE, "rb") as fh:
        return tomllib.load(fh)


def datasette_metadata(db_name: str, tables: Iterable[str] = ()) -> dict[str, Any]:
    """Datasette metadata for the database served as `db_name`; `tables` (present in the file) limits
    the table entries to those that exist, so Datasette shows no description of a missing table."""
    cfg = metadata_config()
    present = set(tables)
    official = cfg["official_data"]
    table_meta: dict[str, Any] = {}
    for name, spec in cfg["tables"].items():
        if present and name not in present:
            continue
        entry: dict[str, Any] = {"description": spec["description"], "columns": dict(spec.get("columns", {}))}
        for key in ("facets", "sort", "sort_desc", "label_column", "hidden", "size"):
            if key in spec:
                entry[key] = spec[key]
        if spec.get("official"):
            entry.update(
                source=official["source"],
                source_url=official["source_url"],
                license=official["license"],
                license_url=official["license_url"],
            )
        table_meta[name] = entry
    queries = {
        name: {k: q[k] for k in ("title", "description", "sql") if k in q}
        for name, q in cfg["queries"].items()
    }
    return {
        "title": cfg["title"],
        "description_html": cfg["description_html"],
        "source": cfg["source"],
        "source_url": cfg["source_url"],
        "databases": {
            db_name: {
                "description_html": cfg["database_description_html"],
                "tables": table_meta,
                "queries": queries,
            }
        },
    }


def _work_dir(db_path: Path) -> Path:
    """A per-database directory for the serve files (metadata, snapshot); stable, so nothing piles up."""
    key = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / "vaxnews-datasette" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class ServePlan:
    db_path: Path  # the file Datasette opens (the database itself, or a snapshot of it)
    metadata_path: Path
    command: list[str]
    snapshot: bool


def plan_serve(
    db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, checkpoint_timeout: float = 5.0
) -> ServePlan:
    """Prepare a database for `datasette serve -i` and return the command.

    The file is first upgraded to the current schema; then its WAL is checkpointed into the main file,
    because an immutable connection does not read the WAL. When a concurrent writer keeps the checkpoint
    from completing, Datasette serves a consistent snapshot copy instead.
    """
    store.connect(db_path).conn.close()
    served, snap = db_path, False
    if not store.checkpoint(db_path, timeout=checkpoint_timeout):
        served, snap = store.snapshot(db_path, _work_dir(db_path) / db_path.name), True
    conn = store.connect_readonly(served, require_current=True)
    try:
        tables = [name for name, _ in store.exportable(conn)]
    finally:
        conn.close()
    metadata = datasette_metadata(served.stem, tables)
    metadata_path = _work_dir(db_path) / "metadata.json"
    metadata_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    plugins_dir = _work_dir(db_path) / "plugins"
    plugins_dir.mkdir(exist_ok=True)
    (plugins_dir / "vaxnews_sql.py").write_text(PLUGIN_SHIM, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(served),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(plugins_dir),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "default_page_size",
        "50",
    ]
    return ServePlan(served, metadata_path, command, snap)


def hits_as_json(hits: Iterable[SearchHit]) -> Iterator[dict[str, Any]]:
    for h in hits:
        d = asdict(h)
        d["matches"] = [list(m) for m in h.matches]
        yield d
