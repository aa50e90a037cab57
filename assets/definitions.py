"""The vaxnews asset graph: discovered_urls -> raw_pages -> articles -> facts -> vaxnews_db -> verifications
-> report, with the official figures as their own asset. Each asset is a call into pipeline.api."""

from typing import Any

from dagster import AssetExecutionContext, Definitions, MaterializeResult, MetadataValue, asset

from assets.resources import VaxnewsResource, resource_for_env
from pipeline import api, store
from pipeline.article import Article
from pipeline.crawl import CrawlSummary, discover, fetch_article
from pipeline.parse import ParseError
from pipeline.sources import Link, site_for


@asset(description="Article URLs found on the sites' listing pages, feeds and sitemaps.")
def discovered_urls(context: AssetExecutionContext, vaxnews: VaxnewsResource) -> list[Link]:
    settings = vaxnews.settings()
    summary = CrawlSummary()
    with vaxnews.fetcher() as fetcher:
        links = discover(
            settings,
            api.sample_start_urls(settings)
            if vaxnews.replay
            else [u for s in settings.sites for u in (*s.start_urls, *s.feeds, *s.sitemaps)],
            vaxnews.db(),
            fetcher,
            summary=summary,
        )
    context.add_output_metadata({"urls": len(links), "discovery_pages_failed": summary.failed})
    return links


@asset(description="Every article page fetched and archived (content-addressed) with its final state.")
def raw_pages(
    context: AssetExecutionContext, vaxnews: VaxnewsResource, discovered_urls: list[Link]
) -> list[dict[str, Any]]:
    settings, db = vaxnews.settings(), vaxnews.db()
    summary = CrawlSummary()
    pages = []
    seen: set[str] = set()
    with vaxnews.fetcher() as fetcher:
        for link in discovered_urls:
            result = fetch_article(settings, link, db, fetcher, summary, seen)
            if result.state == "fetched" and result.record is not None:
                site = site_for(link.url, settings.sites)
                pages.append(
                    {
                        "url": link.url,
                        "final_url": result.final_url,
                        "sha256": result.record.sha256,
                        "site": site.name if site else None,
                        "archive": str(fetcher.archive.root),
                    }
                )
    context.add_output_metadata(
        {"fetched": summary.fetched, "failed": summary.failed, "skipped": summary.skipped}
    )
    return pages


@asset(description="Pages parsed into Articles; unparseable pages are recorded as failed with the reason.")
def articles(
    context: AssetExecutionContext, vaxnews: VaxnewsResource, raw_pages: list[dict[str, Any]]
) -> list[Article]:
    from pipeline.archive import Archive

    db = vaxnews.db()
    out = []
    for page in raw_pages:
        body = Archive(page["archive"]).body(page["sha256"])
        try:
            article = api.load_article(body, url=page["final_url"] or page["url"], site=page["site"])
            article.page_sha256 = page["sha256"]
            out.append(article)
        except ParseError as exc:
            db.table("pages").update(page["url"], {"state": "failed", "reason": f"parse: {exc}"})
    settings = vaxnews.settings()
    for path in settings.extra_text_inputs:
        if path.exists():
            out.append(api.load_article(path.read_text(encoding="utf-8"), url=path.resolve().as_uri()))
    context.add_output_metadata(
        {"articles": len(out), "parse_failures": len(raw_pages) - len(out) + len(settings.extra_text_inputs)}
    )
    return out


@asset(description="Facts extracted from every article (facts.md documents).")
def facts(context: AssetExecutionContext, articles: list[Article]) -> list[Any]:
    from extractors import extract

    results = [extract(a) for a in articles]
    per_type: dict[str, int] = {}
    for r in results:
        for f in r.facts:
            per_type[f["type"]] = per_type.get(f["type"], 0) + 1
    preview = "\n".join(
        f"| {r.article.title} | {f['type']} | {f.get('value', f.get('name', f.get('system')))} | {f['evidence']['quote']} |"
        for r in results[:5]
        for f in r.facts[:6]
    )
    context.add_output_metadata(
        {
            **{f"facts_{k}": v for k, v in per_type.items()},
            "preview": MetadataValue.md("| title | type | value | quote |\n|---|---|---|---|\n" + preview),
        }
    )
    return results


@asset(
    description="Articles and facts written to the SQLite database (idempotent, one transaction per article)."
)
def vaxnews_db(vaxnews: VaxnewsResource, facts: list[Any]) -> MaterializeResult:
    db = vaxnews.db()
    for result in facts:
        api.store_result(db, result)
    return MaterializeResult(
        metadata={k: v for k, v in store.counts(db).items()} | {"path": str(vaxnews.settings().db_path)}
    )


@asset(description="Official CoWIN district figures (covid19india) loaded into official_district_daily.")
def official_figures(vaxnews: VaxnewsResource) -> MaterializeResult:
    from pipeline.verify import load_official

    settings = vaxnews.settings()
    n = load_official(vaxnews.db(), settings.official_csv)
    return MaterializeResult(metadata={"rows": n, "file": str(settings.official_csv)})


@asset(
    deps=[vaxnews_db, official_figures],
    description="Every reported dose count checked against official figures.",
)
def verifications(vaxnews: VaxnewsResource) -> MaterializeResult:
    from pipeline.verify import verify_all

    db = vaxnews.db()
    n = verify_all(db, vaxnews.settings())
    verdicts = {
        r[0]: r[1] for r in db.execute("select verdict, count(*) from verifications group by verdict")
    }
    return MaterializeResult(metadata={"checked": n, **{f"verdict_{k}": v for k, v in verdicts.items()}})


@asset(deps=[verifications], description="A run summary: articles, facts per type, verdicts.")
def report(vaxnews: VaxnewsResource) -> MaterializeResult:
    settings = vaxnews.settings()
    summary = api.summarize(vaxnews.db(), settings.db_path)
    text = (
        f"articles: {summary.articles}\n\nfacts: {summary.facts}\n\nverdicts: {summary.verdicts}\n\n"
        f"pages: {summary.pages}"
    )
    return MaterializeResult(metadata={"summary": MetadataValue.md(text)})


ALL_ASSETS = [
    discovered_urls,
    raw_pages,
    articles,
    facts,
    vaxnews_db,
    official_figures,
    verifications,
    report,
]

defs = Definitions(assets=ALL_ASSETS, resources={"vaxnews": resource_for_env()})
