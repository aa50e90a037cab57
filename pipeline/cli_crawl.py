"""`vaxnews` commands for the crawl stage (registered on pipeline.cli.app): crawl and reextract."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from pipeline.cli import DEFAULT_DB, ConfigOption, DbOption, _fail, app
from pipeline.config import load_settings

ArchiveOption = Annotated[
    Path | None, typer.Option("--archive", help="Archive directory of raw responses (default data/archive).")
]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")]


@app.command()
def crawl(
    start_urls: Annotated[
        list[str] | None,
        typer.Argument(help="Listing pages, feeds or sitemaps (any host; generic mode when unregistered)."),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            help="Registry site whose URL patterns and parser to use; alone: crawl its start points."
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    archive: ArchiveOption = None,
    delay: Annotated[
        float | None, typer.Option(help="Seconds between requests to one host (default 1).")
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option(help="Article pages to fetch in this run; the rest stay queued.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Skip items last modified or published before this date (YYYY-MM-DD).")
    ] = None,
    replay: Annotated[
        Path | None, typer.Option(help="Serve responses from this archive instead of the network (offline).")
    ] = None,
    progress: ProgressOption = True,
    config: ConfigOption = None,
) -> None:
    """Crawl news sites politely: discover, fetch, archive, parse, extract and store. Ctrl-C stops after
    the current request; running the same command again resumes."""
    from pipeline import store
    from pipeline.archive import Archive, ReplayTransport
    from pipeline.crawl import crawl as run_crawl
    from pipeline.fetch import Fetcher

    try:
        settings = load_settings(config, db_path=db, archive_dir=archive, delay_seconds=delay)
        since_day = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    urls = list(start_urls or [])
    if site is not None:
        entry = settings.site(site)
        if entry is None:
            names = ", ".join(s.name for s in settings.sites)
            raise _fail(f"no site named {site!r} in the registry (known: {names})")
        urls = urls or list(entry.discovery_urls)
    if not urls:
        raise _fail("give START_URL(s) (listing pages, feeds, sitemaps) or --site NAME")
    conn = store.connect(settings.db_path)
    stop = threading.Event()
    transport = ReplayTransport(Archive(replay)) if replay else None
    try:
        with (
            Fetcher(settings, Archive(settings.archive_dir), transport=transport, stop=stop) as fetcher,
            _stop_on_signals(stop),
            _progress_bar(progress) as report,
        ):
            summary = run_crawl(
                settings,
                urls,
                conn,
                fetcher,
                since=since_day,
                max_pages=max_pages,
                site=site,
                progress=report,
            )
    except KeyboardInterrupt:  # the second Ctrl-C: the page in hand is dropped, everything before it kept
        typer.echo("aborted: run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    _print_summary(summary, settings.db_path)
    if summary.interrupted:
        typer.echo("interrupted: run the same command again to resume", err=True)
        raise typer.Exit(130)


@app.command()
def reextract(
    db: DbOption = DEFAULT_DB,
    archive: ArchiveOption = None,
    progress: ProgressOption = True,
    config: ConfigOption = None,
) -> None:
    """Parse, extract and store every archived article again, without fetching anything (after the
    parser or an extractor changed). A database without pages is filled from the archive."""
    from pipeline import store
    from pipeline.archive import Archive
    from pipeline.crawl import reextract as run_reextract

    settings = load_settings(config, db_path=db, archive_dir=archive)
    if not Path(settings.archive_dir).exists():
        raise _fail(f"no archive at {settings.archive_dir}")
    conn = store.connect(settings.db_path)
    with _progress_bar(progress) as report:
        summary = run_reextract(settings, conn, Archive(settings.archive_dir), progress=report)
    typer.echo(
        f"re-extracted {summary.fetched} article(s), {summary.skipped} skipped, {summary.failed} failed; "
        f"articles {summary.articles}, facts {summary.facts}"
    )
    for url, reason in summary.failures[:10]:
        typer.echo(f"failed: {url}: {reason}")


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C (or SIGTERM): finish the current request and record it, then stop. Second: abort."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        typer.echo("stopping after the current request (Ctrl-C again to abort) ...", err=True)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[Any, str], None] | None]:
    """A rich progress bar on stderr: pages done of pages known, with the running counts."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]crawl"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)

        def report(summary: Any, url: str) -> None:
            done = summary.fetched + summary.not_modified + summary.skipped + summary.failed
            bar.update(
                task,
                completed=done,
                total=done + getattr(summary, "queued", 0) or None,
                description=f"fetched {summary.fetched} skipped {summary.skipped} failed {summary.failed}"
                f" · {summary.articles} articles",
            )

        yield report


def _print_summary(summary: Any, db_path: Path) -> None:
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(summary.skip_reasons.items()))
    typer.echo(
        f"pages: fetched {summary.fetched}, not modified {summary.not_modified}, "
        f"unchanged {summary.unchanged}, skipped {summary.skipped}{f' ({skipped})' if skipped else ''}, "
        f"failed {summary.failed}; already known {summary.seen}"
    )
    typer.echo(f"articles {summary.articles}, facts {summary.facts}; requests {summary.requests}")
    if summary.pending:
        typer.echo(f"queued for the next run: {summary.pending}")
    for url, reason in summary.failures[:10]:
        typer.echo(f"failed: {url}: {reason}")
    if len(summary.failures) > 10:
        typer.echo(
            f"... and {len(summary.failures) - 10} more (vaxnews query \"select * from pages where state='failed'\")"
        )
    typer.echo(f"database: {db_path}")
