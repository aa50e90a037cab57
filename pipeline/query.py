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
import re
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Sequence
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
    sql, params = _search_sql(terms, limit)
    hits = []
    for aid, title, url, district, event_date, text in conn.execute(sql, params):
        snippet, matches = make_snippet(text, terms)
        hits.append(SearchHit(aid, title, url, district, event_date, snippet, matches))
    return hits


RANK_WINDOW = 2000  # matches ranked by relevance: the newest stored


def _search_sql(terms: Sequence[str], limit: int) -> tuple[str, list[Any]]:
    """The search in two steps: rank the matching rows by key and score alone and keep `limit`, then
    read those articles. (One step made SQLite's sorter carry every match's full text: on 100k
    articles a common word took ~0.5-1 s instead of ~0.15 s; bench/storage.py.) Ties in score are
    broken by the search row's id, which is stable, like the ranking itself."""
    fts, search_table = store.FTS_TABLE, store.SEARCH_TABLE
    short = [t for t in terms if len(t) < TRIGRAM]
    expression = fts_expression(terms)
    params: list[Any] = []
    where = []
    if expression:
        where.append(f"{fts} MATCH ?")
        params.append(expression)
    for term in short:
        where.append("(instr(coalesce(s.title, ''), ?) > 0 OR instr(s.body, ?) > 0)")
        params += [term, term]
    condition = " WHERE " + " AND ".join(where)
    if expression:
        join = f" JOIN {search_table} s ON s.rowid = {fts}.rowid" if short else ""
        # Rank within the newest RANK_WINDOW matches: FTS5 walks its doclists newest first and stops,
        # so a word in most articles costs what a rare one does (a relevance order over 90k articles
        # that all contain "टीकाकरण" says nothing anyway; bench/storage.py measures it).
        window = (
            f"SELECT {fts}.rowid AS rowid, bm25({fts}, 5.0, 1.0) AS score FROM {fts}{join}{condition} "
            f"ORDER BY {fts}.rowid DESC LIMIT {RANK_WINDOW}"
        )
        order: tuple[str, ...] = ("score", "rowid")
        ranked = f"SELECT rowid, score FROM ({window}) ORDER BY score, rowid LIMIT ?"
    else:
        # Terms below trigram length only: a scan, newest stored first, that stops at `limit` hits
        # (ordering by publication time made it read every article first).
        order = ("rowid DESC",)
        ranked = f"SELECT s.rowid AS rowid FROM {search_table} s{condition} ORDER BY s.rowid DESC LIMIT ?"
    params.append(limit)
    sql = (
        f"WITH hits AS ({ranked}) "
        "SELECT a.id, a.title, a.url, a.district, a.event_date, a.text FROM hits "
        f"JOIN {search_table} s ON s.rowid = hits.rowid JOIN articles a ON a.id = s.article_id "
        f"ORDER BY {', '.join('hits.' + o for o in order)}"
    )
    return sql, params


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
