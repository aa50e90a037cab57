"""`vaxnews` commands for the storage and query stage (registered on pipeline.cli.app)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from pipeline.cli import DEFAULT_DB, DbOption, _fail, app


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run on a read-only connection.")],
    db: DbOption = DEFAULT_DB,
    as_csv: Annotated[bool, typer.Option("--csv")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run SQL against the database, read-only."""
    import csv
    import sqlite3

    from pipeline.store import connect_readonly

    try:
        conn = connect_readonly(db)
        cur = conn.execute(sql)
    except (sqlite3.Error, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc
    cols = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    if as_json:
        typer.echo(json.dumps([dict(zip(cols, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(cols)
        writer.writerows(rows)
    else:
        typer.echo("\t".join(cols))
        for r in rows:
            typer.echo("\t".join("" if v is None else str(v) for v in r))
