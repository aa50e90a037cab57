"""`vaxnews` commands for the crawl stage (registered on pipeline.cli.app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import DEFAULT_DB, ConfigOption, DbOption, app
from pipeline.config import load_settings


@app.command()
def crawl(
    start_urls: Annotated[list[str], typer.Argument(help="Listing pages, feeds or sitemaps.")],
    db: DbOption = DEFAULT_DB,
    archive: Annotated[Path | None, typer.Option(help="Archive directory (raw responses).")] = None,
    delay: Annotated[float | None, typer.Option(help="Seconds between requests to one host.")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many fetches.")] = None,
    since: Annotated[str | None, typer.Option(help="Skip items older than this date (YYYY-MM-DD).")] = None,
    config: ConfigOption = None,
) -> None:
    """Crawl news sites: discover, fetch politely, archive, parse, extract and store."""
    from datetime import date

    from pipeline import store
    from pipeline.archive import Archive
    from pipeline.crawl import crawl as run_crawl
    from pipeline.fetch import Fetcher

    settings = load_settings(config, db_path=db, archive_dir=archive, delay_seconds=delay)
    conn = store.connect(settings.db_path)
    with Fetcher(settings, Archive(settings.archive_dir)) as fetcher:
        try:
            summary = run_crawl(
                settings,
                start_urls,
                conn,
                fetcher,
                since=date.fromisoformat(since) if since else None,
                max_pages=max_pages,
            )
        except KeyboardInterrupt:
            typer.echo("interrupted: a re-run resumes where this one stopped", err=True)
            raise typer.Exit(130) from None
    typer.echo(
        f"fetched {summary.fetched}, not modified {summary.not_modified}, skipped {summary.skipped}, "
        f"failed {summary.failed}; articles {summary.articles}, facts {summary.facts}"
    )
