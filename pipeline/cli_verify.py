"""`vaxnews` commands for the verification stage (registered on pipeline.cli.app):
`check`, `verify`, `report` and `official load|sources|slice`."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.cli import DEFAULT_DB, DbOption, _fail, _read_source, app
from pipeline.config import load_settings

official_app = typer.Typer(help="Official CoWIN figures (covid19india files).", no_args_is_help=True)
app.add_typer(official_app, name="official")

# The columns `verify` prints (the verifications table minus its ids and JSON source).
_COLUMNS = (
    "district",
    "date",
    "comparison",
    "reported",
    "official",
    "difference",
    "relative_difference",
    "verdict",
    "explanation",
    "article_url",
    "evidence",
    "official_source",
)


def _pct(rel: float | None) -> str:
    return "" if rel is None else f"{rel * 100:+.2f}%"


def _echo_row(r: dict[str, Any]) -> None:
    from pipeline.verify import fmt_in

    label = "reference" if str(r.get("comparison")).startswith("self:") else "official"
    official = "" if r.get("official") is None else f" {label} {fmt_in(r['official'])}"
    diff = (
        ""
        if r.get("difference") is None
        else f" diff {fmt_in(r['difference'])} ({_pct(r.get('relative_difference'))})"
    )
    typer.echo(
        f"{r.get('district') or '?'} {r.get('date') or '?'} {r['comparison']}: reported {fmt_in(r['reported'])}"
        f"{official}{diff} -> {r['verdict']}"
    )
    if r.get("explanation"):
        typer.echo(f"    {r['explanation']}")


def _parse_day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise _fail(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from exc


@app.command()
def check(
    source: Annotated[str, typer.Argument(help="FILE, URL or - (stdin): one article, HTML or plain text.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the verifications as JSON.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication time when the input lacks one.")] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Take official figures (and earlier reports) from this database, not the bundled slice.",
        ),
    ] = None,
) -> None:
    """Fact-check one article: each figure against the official figure, with difference and verdict."""
    from pipeline import api, official
    from pipeline.parse import ParseError
    from pipeline.verify import COMPARABLE, bundled_data, stored_reports, verify_extraction

    settings = load_settings()
    content, url = _read_source(source)
    try:
        result = api.extract_article(content, url=url, published=api._parse_published(published))
    except ParseError as exc:
        raise _fail(str(exc)) from exc
    history = []
    if db is not None:
        from pipeline.store import connect_readonly

        try:
            conn = connect_readonly(db)
        except FileNotFoundError as exc:
            raise _fail(str(exc)) from exc
        data = official.OfficialData(conn)
        if data.empty:
            raise _fail(
                f"{db} holds no official figures: load them with `vaxnews official load PATH --db {db}`"
            )
        reports, facts = stored_reports(conn)
        history = [(reports[a], f) for a in reports for f in facts.get(a, [])]
    else:
        data = bundled_data()
    rows = verify_extraction(result, data, settings, history=history)
    art = result.to_dict()["article"]
    if as_json:
        meta = {k: v for k, v in art.items() if k != "text"}
        typer.echo(json.dumps({"article": meta, "verifications": rows}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{art['title'] or '(untitled)'}")
    typer.echo(f"{art['district'] or '?'} ({art['state'] or '?'}), event date {art['event_date'] or '?'}")
    compared = [r for r in rows if r["verdict"] in COMPARABLE or r["verdict"] == "no_official_data"]
    others = [r for r in rows if r not in compared]
    if not compared:
        typer.echo("no figure of this report can be compared with official figures")
    for r in compared:
        _echo_row(r)
    if others:
        typer.echo("not comparable:")
        for r in others:
            typer.echo(f"  {r['comparison']} {r['reported']}: {r['explanation']}")


def _filtered(
    rows: list[dict[str, Any]], district: str | None, lo: str | None, hi: str | None
) -> list[dict[str, Any]]:
    from pipeline.official import resolve_district, resolve_state

    wanted = None
    if district:
        hit = resolve_district(district)
        state = resolve_state(district)
        wanted = hit[0] if hit else state[0] if state else None
        if wanted is None:
            raise _fail(
                f"unknown district {district!r} (the gazetteer knows neither a district nor a state by that name)"
            )
    out = []
    for r in rows:
        if wanted is not None and r.get("district") != wanted:
            continue
        day = r.get("date")
        if (lo and (day is None or day < lo)) or (hi and (day is None or day > hi)):
            continue
        out.append(r)
    return out


@app.command()
def verify(
    db: DbOption = DEFAULT_DB,
    district: Annotated[
        str | None, typer.Option(help="Only this district (any spelling: Hindi, English, alias).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last date, YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_csv: Annotated[bool, typer.Option("--csv")] = False,
) -> None:
    """Recompute the verifications table and print it (reported vs official, verdicts, explanations)."""
    from pipeline import store
    from pipeline.verify import verify_all

    lo, hi = _parse_day(date_from, "--from"), _parse_day(date_to, "--to")
    if as_json and as_csv:
        raise _fail("give --json or --csv, not both")
    settings = load_settings(db_path=db)
    conn = store.connect(settings.db_path)
    verify_all(conn, settings)
    rows = _filtered(
        list(conn.table("verifications").rows_where(order_by="district, date, comparison, id")),
        district,
        lo,
        hi,
    )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for r in rows:
            _echo_row(r)
        typer.echo(f"{len(rows)} verifications")


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="Directory for index.html and charts/*.png.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the fact-checker's report: HTML (one section per district) and PNG charts."""
    from pipeline import store
    from pipeline.report import write_report
    from pipeline.verify import verify_all

    if not Path(db).exists():
        raise _fail(f"no database at {db}: run `vaxnews run` first")
    settings = load_settings(db_path=db)
    conn = store.connect(settings.db_path)
    verify_all(conn, settings)
    out = write_report(conn.conn, out_dir, settings=settings)
    typer.echo(
        f"{out.html} ({out.verifications} verifications, {out.sections} sections, {len(out.charts)} charts)"
    )


@official_app.command("load")
def official_load(
    path: Annotated[
        Path, typer.Argument(help="A covid19india CSV (format detected) or a directory of them.")
    ],
    db: DbOption = DEFAULT_DB,
    source: Annotated[
        str | None, typer.Option(help="Where the figures come from (recorded in official_sources).")
    ] = None,
    licence: Annotated[str | None, typer.Option(help="Their licence (recorded in official_sources).")] = None,
) -> None:
    """Load official figures into the database: v4 district/state daily, CoWIN districtwise, statewise."""
    from pipeline import store
    from pipeline.official import load_path

    try:
        results = load_path(store.connect(db), path, source=source, licence=licence)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    for r in results:
        typer.echo(
            f"loaded {r.rows} rows of {r.format} from {r.file} into {r.table} ({r.date_from} to {r.date_to})"
        )
        if r.unmatched:
            typer.echo(
                f"  names the gazetteer does not know (rows skipped): {', '.join(r.unmatched)}", err=True
            )


@official_app.command("sources")
def official_sources(db: DbOption = DEFAULT_DB) -> None:
    """List the loaded official files with their source and licence."""
    from pipeline.official import OfficialData
    from pipeline.store import connect_readonly

    try:
        data = OfficialData(connect_readonly(db))
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from exc
    for s in data.sources():
        typer.echo(
            f"{s['file']}\t{s.get('format')}\t{s['rows']} rows\t{s.get('date_from')}..{s.get('date_to')}"
        )
        typer.echo(f"    source: {s['source']}\n    licence: {s.get('licence')}")


@official_app.command("slice")
def official_slice(
    src_dir: Annotated[
        Path, typer.Argument(help="Directory with the full covid19india files (../shared/official).")
    ],
    out_dir: Annotated[Path, typer.Argument(help="Where to write the slice (fixtures/official).")],
) -> None:
    """Regenerate the bundled slice that fixtures/official/manifest.toml describes."""
    from pipeline.official import write_slice

    try:
        for path in write_slice(src_dir, out_dir):
            typer.echo(str(path))
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from exc
