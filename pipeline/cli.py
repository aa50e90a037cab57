"""`vaxnews` command line. Every command is a thin shell over pipeline.api."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_settings

app = typer.Typer(
    help="vaxnews: Hindi news reports -> verified, queryable COVID-19 vaccination facts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DB = Path("data/vaxnews.db")
DbOption = Annotated[Path, typer.Option("--db", help="SQLite database path.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Settings TOML file.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _read_source(source: str) -> tuple[str | bytes, str | None]:
    """FILE, URL or '-' -> (content, url)."""
    if source == "-":
        return sys.stdin.buffer.read(), None
    if source.startswith(("http://", "https://")):
        from pipeline.archive import Archive
        from pipeline.fetch import Fetcher

        settings = load_settings()
        with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
            result = fetcher.fetch(source)
            if result.state != "fetched" or result.record is None:
                raise _fail(f"could not fetch {source}: {result.state} ({result.reason})")
            return fetcher.archive.body(result.record.sha256), result.final_url
    path = Path(source)
    if not path.exists():
        raise _fail(f"no such file: {source}")
    return path.read_bytes(), None


@app.command()
def extract(
    source: Annotated[
        str | None, typer.Argument(help="FILE, URL or - (stdin): one article, HTML or plain text.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts.md JSON document.")] = False,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="Batch: a JSONL file of {id, url?, text?, html?, published?}."),
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication time when the input lacks one.")] = None,
) -> None:
    """Extract vaccination facts from one article (or a JSONL batch)."""
    from pipeline import api
    from pipeline.parse import ParseError

    if jsonl is not None:
        failed = 0
        with open(jsonl, encoding="utf-8") if str(jsonl) != "-" else sys.stdin as fh:
            for doc, error in api.iter_jsonl_extractions(fh):
                if error:
                    failed += 1
                    typer.echo(f"error: {error}", err=True)
                else:
                    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        raise typer.Exit(1 if failed else 0)
    if source is None:
        raise _fail("give a FILE, URL or -, or --jsonl FILE")
    content, url = _read_source(source)
    try:
        stamp = api._parse_published(published)
        result = api.extract_article(content, url=url, published=stamp)
    except ParseError as exc:
        raise _fail(str(exc)) from exc
    doc = result.to_dict()
    if as_json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    art = doc["article"]
    typer.echo(
        f"{art['title']}\n{art['district']} ({art['state']}), event {art['event_date']}, published {art['published']}"
    )
    for fact in doc["facts"]:
        brief = {k: v for k, v in fact.items() if k not in ("type", "evidence") and v is not None}
        typer.echo(f"  {fact['type']:<13} {brief}  «{fact['evidence']['quote']}»")


@app.command()
def run(
    config: ConfigOption = None,
    db: Annotated[Path | None, typer.Option("--db", help="SQLite database path.")] = None,
    dagster: Annotated[
        bool, typer.Option(help="Materialise the Dagster asset graph (default) or call the API directly.")
    ] = True,
) -> None:
    """Run the main job on the bundled sample site: crawl (replayed) -> parse -> extract -> store -> verify."""
    from pipeline.config import SHARED

    seed = SHARED / "seed" / "bhaskarhindi-jabalpur-2021-06-04.txt"
    settings = load_settings(config, db_path=db, extra_text_inputs=[seed] if seed.exists() else None)
    if dagster:
        from assets.run import materialize_all

        summary = materialize_all(settings)
    else:
        from pipeline.api import run_main_job

        summary = run_main_job(settings)
    typer.echo(f"articles: {summary.articles}")
    typer.echo("pages: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.pages.items())))
    typer.echo("facts: " + ", ".join(f"{k} {v}" for k, v in summary.facts.items()))
    typer.echo("verdicts: " + (", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items())) or "none"))
    for url, reason in summary.failures[:10]:
        typer.echo(f"failed: {url}: {reason}")
    typer.echo(f"database: {summary.db_path.resolve()}")


@app.command("eval")
def eval_cmd(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL file(s) (fixtures/gold/*.jsonl).")],
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred", help="Predictions JSONL (facts.md documents with id); default: run the extractor."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    show: Annotated[int, typer.Option(help="How many misses / false positives to list.")] = 20,
) -> None:
    """Score extraction against gold facts (precision/recall/F1 per type, role, district, event_date)."""
    from pipeline import evaluate
    from pipeline.gold import gold_records, predict_gold

    golds = gold_records(gold)
    if pred is not None:
        preds = {r["id"]: r for r in evaluate.read_jsonl(pred)}
        report = evaluate.evaluate(golds, lambda g: preds.get(g["id"], {"article": {}, "facts": []}))
    else:
        report = evaluate.evaluate(golds, predict_gold)
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(evaluate.format_table(report))
    for title, items in (("misses", report.misses), ("false positives", report.false_positives)):
        typer.echo(f"\n{title} ({len(items)}):")
        for item in items[:show]:
            typer.echo("  " + json.dumps(item, ensure_ascii=False))
    if report.article_errors:
        typer.echo(f"\narticle-level errors ({len(report.article_errors)}):")
        for item in report.article_errors[:show]:
            typer.echo("  " + json.dumps(item, ensure_ascii=False))


# Commands of the other stages register themselves on `app` (one module per area, in data-flow order).
from pipeline import cli_crawl, cli_store, cli_verify  # noqa: E402, F401

if __name__ == "__main__":
    app()
