"""`vaxnews` commands for the verification stage (registered on pipeline.cli.app)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import DEFAULT_DB, DbOption, _fail, app
from pipeline.config import load_settings

official_app = typer.Typer(help="Official CoWIN district figures.", no_args_is_help=True)
app.add_typer(official_app, name="official")


@app.command()
def verify(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recompute and print verdicts of reported figures against official figures."""
    from pipeline import store
    from pipeline.verify import verify_all

    settings = load_settings(db_path=db)
    conn = store.connect(settings.db_path)
    verify_all(conn, settings)
    rows = list(conn.table("verifications").rows_where(order_by="district, date"))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['district']} {r['date']} {r['comparison']}: reported {r['reported']} official {r['official']} "
            f"-> {r['verdict']} {r['explanation'] or ''}"
        )


@official_app.command("load")
def official_load(
    path: Annotated[Path, typer.Argument(help="covid19india v4 district CSV")], db: DbOption = DEFAULT_DB
) -> None:
    """Load official district figures into the database."""
    from pipeline import store
    from pipeline.verify import load_official

    try:
        n = load_official(store.connect(db), path)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"loaded {n} official rows from {path}")
