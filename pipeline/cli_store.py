"""`vaxnews` commands for the storage and query stage (registered on pipeline.cli.app):
`query`, `search`, `facts`, `export`, `serve` and `migrate`."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.cli import DEFAULT_DB, DbOption, _fail, app

CsvOption = Annotated[bool, typer.Option("--csv", help="CSV on stdout.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]


def _readonly(db: Path, *, require_current: bool = False) -> sqlite3.Connection:
    from pipeline.store import SchemaError, connect_readonly

    try:
        return connect_readonly(db, require_current=require_current)
    except (FileNotFoundError, SchemaError, sqlite3.Error) as exc:
        raise _fail(str(exc)) from exc


def _emit(columns: Sequence[str], rows: Sequence[Sequence[Any]], as_csv: bool, as_json: bool) -> None:
    from pipeline.query import write_csv

    if as_json:
        objs = [dict(zip(columns, r, strict=True)) for r in rows]
        typer.echo(json.dumps(objs, ensure_ascii=False, indent=2))
    elif as_csv:
        write_csv(sys.stdout, columns, rows)
    else:
        typer.echo("\t".join(columns))
        for r in rows:
            typer.echo("\t".join("" if v is None else str(v) for v in r))


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run on a read-only connection.")],
    db: DbOption = DEFAULT_DB,
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
) -> None:
    """Run SQL against the database, read-only (writes are refused by SQLite)."""
    conn = _readonly(db)
    try:
        cur = conn.execute(sql)
        rows = cur.fetchall()
    except sqlite3.Error as exc:
        message = str(exc)
        if any(k in message for k in ("readonly", "read-only", "not authorized", "authorization denied")):
            message += ": `vaxnews query` opens the database read-only; it cannot change data or attach files"
        raise _fail(message) from exc
    _emit([d[0] for d in cur.description or []], rows, as_csv, as_json)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help='Words to find (all of them); "quotes" keep a phrase.')],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Most hits to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search of article titles and texts, with snippets (spelling variants are folded)."""
    from pipeline.query import QueryError, hits_as_json
    from pipeline.query import search as run_search

    conn = _readonly(db, require_current=True)
    try:
        hits = run_search(conn, text, limit=limit)
    except QueryError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(list(hits_as_json(hits)), ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no matches")
    for h in hits:
        typer.echo(
            f"{h.title or '(untitled)'}\n  {h.district or '?'} {h.event_date or '?'}  {h.url or h.article_id}"
        )
        typer.echo(f"  {h.snippet}")


@app.command()
def facts(
    db: DbOption = DEFAULT_DB,
    district: Annotated[
        str | None, typer.Option(help="District, in Hindi or English (जबलपुर, Jabalpur).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last date, YYYY-MM-DD.")] = None,
    fact_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="dose_count, center_count, center, outage, official (repeatable)."),
    ] = None,
    measure: Annotated[str | None, typer.Option(help="administered, target, cumulative, available.")] = None,
    age_group: Annotated[str | None, typer.Option(help='Age group, e.g. "18-44" or "45+".')] = None,
    dose: Annotated[int | None, typer.Option(help="Dose number (1, 2, 3).")] = None,
    role: Annotated[str | None, typer.Option(help="Official role code (cmho, collector, mla …).")] = None,
    system: Annotated[str | None, typer.Option(help="Outage system (cowin, portal, server …).")] = None,
    limit: Annotated[int | None, typer.Option(help="Most facts to show.")] = None,
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
) -> None:
    """Facts by district, date range, type and fields, each with its quote and article URL."""
    from pipeline.query import FactFilter, QueryError, fact_columns, fact_summary, find_facts, parse_day
    from pipeline.query import resolve_district as resolve

    try:
        flt = FactFilter(
            types=list(fact_type or []),
            date_from=parse_day(date_from, "--from"),
            date_to=parse_day(date_to, "--to"),
            measure=measure,
            age_group=age_group,
            dose=dose,
            role=role,
            system=system,
            limit=limit,
        )
        if district is not None:
            flt.district, flt.state = resolve(district)
        conn = _readonly(db, require_current=True)
        rows = find_facts(conn, flt)
    except QueryError as exc:
        raise _fail(str(exc)) from exc
    if as_json or as_csv:
        cols = fact_columns(rows)
        _emit(cols, [[r.get(c) for c in cols] for r in rows], as_csv, as_json)
        return
    for r in rows:
        typer.echo(f"{r['date'] or '?'} {r['district'] or '?'} {r['type']}: {fact_summary(r)}")
        typer.echo(f"    «{r['quote']}»  {r['url'] or r['article_id']}")
    typer.echo(f"{len(rows)} facts", err=True)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write NAME.csv and NAME.json into.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write CSV and JSON for every table and view, and a manifest.json listing them."""
    from pipeline.query import export as run_export

    conn = _readonly(db)
    entries = run_export(conn, out_dir)
    for e in entries:
        typer.echo(f"{e['kind']:<5} {e['name']:<28} {e['rows']:>8} rows")
    typer.echo(f"wrote {2 * len(entries)} files and manifest.json to {out_dir}")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Interface to bind (keep 127.0.0.1 unless you mean it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8001,
    print_command: Annotated[
        bool, typer.Option("--print-command", help="Prepare, print the datasette command, do not start it.")
    ] = False,
) -> None:
    """Browse the database in Datasette: immutable (read-only), with metadata and canned queries."""
    import os

    from pipeline.query import plan_serve
    from pipeline.store import SchemaError

    if not db.exists():
        raise _fail(f"no database at {db}: run `vaxnews run` first")
    try:
        plan = plan_serve(db, host=host, port=port)
    except (SchemaError, sqlite3.Error) as exc:
        raise _fail(str(exc)) from exc
    if plan.snapshot:
        typer.echo(f"note: {db} is being written; serving a snapshot ({plan.db_path})", err=True)
    if print_command:
        typer.echo(" ".join(plan.command))
        return
    typer.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(plan.command[0], plan.command)  # the server replaces this process: signals reach it directly


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Upgrade the database to this vaxnews's schema version (or say why it cannot)."""
    from pipeline.store import SCHEMA_VERSION, SchemaError, connect, file_schema_version

    try:
        before = file_schema_version(db) if db.exists() else None
        connect(db).conn.close()
    except (SchemaError, sqlite3.Error) as exc:
        raise _fail(str(exc)) from exc
    was = "a new file" if before is None else f"version {before}"
    typer.echo(f"{db}: schema {was} -> version {SCHEMA_VERSION}")
