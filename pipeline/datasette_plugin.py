"""Datasette plugin: the SQL functions the canned queries use. `vaxnews serve` loads it through a one-line
shim in a plugins directory (`query.plan_serve`), so it ships inside the `pipeline` package.

- `vaxnews_fold(text)`: the matching key of `pipeline.text.fold` (the form the search index holds).
- `vaxnews_fts_query(text)`: a search box text -> an FTS5 MATCH expression over the folded index
  (`""`, which matches nothing, for an empty query or one with only words shorter than 3 characters).
- `vaxnews_district(name)`: a district name in Hindi or English -> its official spelling (Jabalpur),
  or the name unchanged when the gazetteer does not know it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from pipeline.query import fts_expression, search_terms
from pipeline.text import fold


def _fold(text: str | None) -> str | None:
    return None if text is None else fold(text)


def _fts_query(text: str | None) -> str:
    return fts_expression(search_terms(text or "")) or '""'


def _district(name: str | None) -> str | None:
    if not name:
        return name
    from pipeline.places import Gazetteer

    found = Gazetteer.load().lookup(name)
    return found.name if found else name


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    conn.create_function("vaxnews_fold", 1, _fold, deterministic=True)
    conn.create_function("vaxnews_fts_query", 1, _fts_query, deterministic=True)
    conn.create_function("vaxnews_district", 1, _district, deterministic=True)
