"""Real in-process materialisations: each asset for one partition with the replay transport, a 3-day
backfill, the fetch-day bucket, the sensor (replay and a live 127.0.0.1 feed), retries when a site is
down, and the asset checks passing and failing."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from dagster import (
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterInstance,
    build_sensor_context,
)

from assets.automation import new_feed_items
from assets.daywork import DayArticles, DayFacts, Discovery, Pages
from assets.graph import PARTITIONED_ASSETS
from assets.partitions import ist_day, partition_key
from assets.run import local_resources, materialize_partitions
from pipeline.archive import Archive
from pipeline.config import FIXTURES
from tests.test_dagster_support import (
    Item,
    LiveSite,
    article_html,
    article_urls,
    live_config,
    live_resources,
    live_site,
    page_urls,
    run_partition,
    temp_settings,
)

JABALPUR = "https://samachar.example/news/jabalpur-2021-06-04-1001"
SAGAR = "https://samachar.example/news/a01-1004"  # published 2021-06-17
BASTAR = "https://samachar.example/news/a02-1002"  # published 2021-06-18
BROKEN = "https://samachar.example/news/broken-page-9999"
DRAFT = "https://samachar.example/news/draft-1099"
DISCOVERY = {
    "https://samachar.example/city/",
    "https://samachar.example/city/?page=2",
    "https://samachar.example/rss.xml",
}


def _metadata(result, asset: str) -> dict:
    mats = [
        e.event_specific_data.materialization
        for e in result.all_events
        if e.event_type == DagsterEventType.ASSET_MATERIALIZATION
        and e.event_specific_data.materialization.asset_key == AssetKey(asset)
    ]
    assert len(mats) == 1, asset
    return {k: v.value for k, v in mats[0].metadata.items()}


def _checks(result) -> dict[str, tuple[bool, str]]:
    out = {}
    for e in result.all_events:
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            ev = e.event_specific_data
            out[ev.check_name] = (ev.passed, ev.severity.value)
    return out


# -- one partition, every asset ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def one_day(tmp_path_factory):
    root = tmp_path_factory.mktemp("one_day")
    settings = temp_settings(root)
    with DagsterInstance.ephemeral(tempdir=str(root / "home")) as instance:
        result = run_partition(settings, "2021-06-04", instance, selection=AssetSelection.all())
        yield settings, result, instance


def test_one_partition_run_succeeds(one_day):
    _, result, _ = one_day
    assert result.success
    done = {e.step_key for e in result.all_events if e.event_type == DagsterEventType.STEP_SUCCESS}
    assert {a.key.path[0] for a in PARTITIONED_ASSETS} <= done


def test_discovered_urls_for_one_day(one_day):
    _, result, _ = one_day
    out: Discovery = result.output_for_node("discovered_urls")
    assert (out.day, out.site) == ("2021-06-04", "sample")
    assert {link.url for link in out.links} >= {JABALPUR, SAGAR, BASTAR, BROKEN}
    assert {row["url"] for row in out.page_rows} == DISCOVERY
    meta = _metadata(result, "discovered_urls")
    assert meta["discovery_pages_fetched"] == 3 and meta["discovery_pages_failed"] == 0


def test_raw_pages_are_archived_with_their_states(one_day):
    settings, result, _ = one_day
    out: Pages = result.output_for_node("raw_pages")
    archive = Archive(settings.archive_dir)
    assert {p.url for p in out.pages} >= {JABALPUR, BROKEN}
    assert all(archive.has(p.sha256) for p in out.pages)
    states = {row["url"]: row["state"] for row in out.page_rows}
    assert states[DRAFT] == "skipped"  # robots.txt
    meta = _metadata(result, "raw_pages")
    assert meta["pages_fetched"] >= 9 and meta["pages_failed"] == 0


def test_articles_keep_only_the_day(one_day):
    _, result, _ = one_day
    out: DayArticles = result.output_for_node("articles")
    assert [a.url for a in out.articles] == [JABALPUR]
    assert out.other_days == 7 and out.parse_failures == 1
    rows = {row["url"]: row for row in out.page_rows}
    assert rows[BROKEN]["state"] == "failed" and rows[BROKEN]["reason"].startswith("parse:")
    assert SAGAR not in rows  # another day's page is left to its own partition


def test_facts_carry_metadata_and_a_preview(one_day):
    _, result, _ = one_day
    out: DayFacts = result.output_for_node("facts")
    kinds = Counter(f["type"] for r in out.results for f in r.facts)
    assert kinds["dose_count"] >= 3 and kinds["outage"] >= 1
    meta = _metadata(result, "facts")
    assert meta["facts_dose_count"] == kinds["dose_count"]
    assert "22397" in meta["preview"] and meta["preview"].startswith("| article |")


def test_checks_pass_on_the_sample_day(one_day):
    _, result, _ = one_day
    checks = _checks(result)
    for name in (
        "evidence_quotes_match_text",
        "dose_counts_within_bounds",
        "no_event_date_after_publication",
        "extraction_f1_at_or_above_floors",
        "failed_page_share_per_site",
    ):
        assert checks[name][0], name


def test_vaxnews_db_and_the_whole_database_assets(one_day):
    settings, result, _ = one_day
    assert article_urls(settings.db_path) == {JABALPUR}
    assert page_urls(settings.db_path) == DISCOVERY | {JABALPUR, BROKEN, DRAFT}
    meta = _metadata(result, "vaxnews_db")
    assert meta["articles_written"] == 1 and meta["db_articles"] == 1
    verdicts = _metadata(result, "verifications")
    assert verdicts["verdict_match"] >= 1  # Jabalpur, 3 June: 22397 reported vs 22509 official
    assert _metadata(result, "official_figures")["rows"] > 1000
    report = _metadata(result, "report")
    assert report["articles"] == 1 and "1 articles" in report["summary"]


def test_one_asset_can_be_rerun_alone(one_day):
    """Re-running a bad day's extraction reads the upstream outputs of the partition from storage."""
    settings, _, instance = one_day
    result = run_partition(settings, "2021-06-04", instance, selection=AssetSelection.assets("facts"))
    assert result.success
    assert [r.article.url for r in result.output_for_node("facts").results] == [JABALPUR]


def test_materialisations_are_recorded_per_partition(one_day):
    _, _, instance = one_day
    done = instance.get_materialized_partitions(AssetKey("vaxnews_db"))
    assert done == {partition_key("2021-06-04", "sample")}


# -- a 3-day backfill ---------------------------------------------------------------------------------------
def test_three_day_backfill(tmp_path):
    settings = temp_settings(tmp_path)
    days = ["2021-06-17", "2021-06-18", "2021-06-19"]
    keys = [partition_key(d, "sample") for d in days]
    with DagsterInstance.ephemeral(tempdir=str(tmp_path / "home")) as instance:
        materialize_partitions(settings, keys, instance)
        assert instance.get_materialized_partitions(AssetKey("vaxnews_db")) == set(keys)
        records = instance.fetch_materializations(AssetKey("articles"), limit=10).records
        per_day = {r.partition_key: r.asset_materialization.metadata["articles"].value for r in records}
        assert per_day == {keys[0]: 1, keys[1]: 1, keys[2]: 0}
    assert article_urls(settings.db_path) == {SAGAR, BASTAR}
    conn = sqlite3.connect(settings.db_path)
    published = {r[0] for r in conn.execute("select substr(published, 1, 10) from articles")}
    assert published == {"2021-06-17", "2021-06-18"}
    assert page_urls(settings.db_path) == DISCOVERY | {SAGAR, BASTAR, BROKEN, DRAFT}
    # re-running one day leaves the database as it was
    before = conn.execute("select id, url, published, page_sha256 from articles order by id").fetchall()
    with DagsterInstance.ephemeral(tempdir=str(tmp_path / "home2")) as instance:
        materialize_partitions(settings, [keys[1]], instance)
    assert (
        conn.execute("select id, url, published, page_sha256 from articles order by id").fetchall() == before
    )


# -- the fetch-day bucket -------------------------------------------------------------------------------------
def test_undated_articles_go_to_the_fetch_day(tmp_path):
    """A recording with one undated and one dated story: the undated one lands on its fetch day."""
    rec = Archive(tmp_path / "recording")
    fetched = "2021-06-10T04:00:00+00:00"  # 09:30 IST, 10 June
    html = "text/html; charset=utf-8"
    listing = (
        '<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>शहर</title></head><body><ul>'
        '<li><a href="https://samachar.example/news/undated-2001">टीकाकरण केंद्रों पर भीड़</a></li>'
        '<li><a href="https://samachar.example/news/dated-2002">टीकाकरण का नया रिकॉर्ड</a></li>'
        "</ul></body></html>"
    )
    rec.put(
        "https://samachar.example/city/",
        "https://samachar.example/city/",
        200,
        {"content-type": html},
        listing.encode(),
        fetched,
    )
    rec.put(
        "https://samachar.example/robots.txt",
        "https://samachar.example/robots.txt",
        200,
        {"content-type": "text/plain"},
        b"User-agent: *\n",
        fetched,
    )
    for slug, title, published in (
        ("undated-2001", "टीकाकरण केंद्रों पर भीड़", None),
        ("dated-2002", "टीकाकरण का नया रिकॉर्ड", "2021-06-09T18:30:00+05:30"),
    ):
        url = f"https://samachar.example/news/{slug}"
        rec.put(url, url, 200, {"content-type": html}, article_html(title, published).encode(), fetched)
    settings = temp_settings(tmp_path, replay_dir=tmp_path / "recording")
    with DagsterInstance.ephemeral(tempdir=str(tmp_path / "home")) as instance:
        tenth = run_partition(settings, "2021-06-10", instance)
        ninth = run_partition(settings, "2021-06-09", instance)
    a10: DayArticles = tenth.output_for_node("articles")
    a09: DayArticles = ninth.output_for_node("articles")
    assert [a.url for a in a10.articles] == [
        "https://samachar.example/news/undated-2001"
    ] and a10.bucketed == 1
    assert [a.url for a in a09.articles] == ["https://samachar.example/news/dated-2002"] and a09.bucketed == 0
    assert article_urls(settings.db_path) == {
        "https://samachar.example/news/undated-2001",
        "https://samachar.example/news/dated-2002",
    }


# -- the sensor ------------------------------------------------------------------------------------------------
def test_sensor_on_the_replayed_feed(tmp_path):
    settings = temp_settings(tmp_path)
    resources = local_resources(settings)
    first = new_feed_items(build_sensor_context(resources=resources))
    feed = Archive(FIXTURES / "site").latest("https://samachar.example/rss.xml")
    assert feed is not None
    fetch_day = ist_day(feed.fetched_at)  # the feed gives no dates: its items go to the fetch day
    assert [r.partition_key for r in first.run_requests] == [f"{fetch_day}|sample"]
    assert first.run_requests[0].tags["vaxnews/trigger"] == "feed"
    cursor = json.loads(first.cursor)
    assert set(cursor["sample"]) == {
        "https://samachar.example/news/jabalpur-2021-06-04-1001",
        "https://samachar.example/news/a02-1002",
        "https://samachar.example/news/c03-1003",
    }
    again = new_feed_items(build_sensor_context(cursor=first.cursor, resources=resources))
    assert again.run_requests == [] and again.skip_reason is not None
    assert json.loads(again.cursor) == cursor


def test_sensor_leaves_a_site_alone_while_it_is_being_crawled(tmp_path):
    resources = local_resources(temp_settings(tmp_path))
    with resources["archive"].host_lock("samachar.example") as held:
        assert held
        busy = new_feed_items(build_sensor_context(resources=resources))
    assert busy.run_requests == [] and json.loads(busy.cursor) == {}
    free = new_feed_items(build_sensor_context(cursor=busy.cursor, resources=resources))
    assert len(free.run_requests) == 1


def test_sensor_launches_a_run_when_the_feed_gains_an_item(tmp_path):
    site = LiveSite(
        items=[
            Item("tika-3001", "जबलपुर में टीकाकरण", "2021-06-20T19:00:00+05:30"),
            Item("tika-3002", "सागर में टीकाकरण", "2021-06-21T18:00:00+05:30"),
        ]
    )
    with live_site(site):
        resources = live_resources(live_config(tmp_path / "live.toml", site.base))
        first = new_feed_items(build_sensor_context(resources=resources))
        # the first look records the feed and crawls its newest day only
        assert [r.partition_key for r in first.run_requests] == ["2021-06-21|sample"]
        quiet = new_feed_items(build_sensor_context(cursor=first.cursor, resources=resources))
        assert quiet.run_requests == []
        site.items.append(Item("tika-3003", "बस्तर में टीकाकरण", "2021-06-22T08:00:00+05:30"))
        gained = new_feed_items(build_sensor_context(cursor=quiet.cursor, resources=resources))
        assert [r.partition_key for r in gained.run_requests] == ["2021-06-22|sample"]
        assert gained.run_requests[0].tags["vaxnews/new_items"] == "1"
        site.items[0].published = "2021-06-20T21:00:00+05:30"  # an updated story: a new lastmod
        updated = new_feed_items(build_sensor_context(cursor=gained.cursor, resources=resources))
        assert [r.partition_key for r in updated.run_requests] == ["2021-06-20|sample"]
        assert (
            len({r.run_key for r in [*first.run_requests, *gained.run_requests, *updated.run_requests]}) == 3
        )
    assert site.requests.count("/rss.xml") == 4


# -- retries when a site is down -------------------------------------------------------------------------------
def test_discovery_retries_with_backoff_when_the_site_is_down(tmp_path):
    site = LiveSite(items=[Item("tika-3001", "जबलपुर में टीकाकरण", "2021-06-20T19:00:00+05:30")], fail_next=2)
    with live_site(site), DagsterInstance.ephemeral(tempdir=str(tmp_path / "home")) as instance:
        resources = live_resources(
            live_config(tmp_path / "live.toml", site.base), site_attempts=3, backoff=0.05
        )
        result = run_partition(None, "2021-06-20", instance, resources=resources)
    assert result.success
    retries = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_UP_FOR_RETRY]
    assert [e.step_key for e in retries] == ["discovered_urls", "discovered_urls"]
    out: DayArticles = result.output_for_node("articles")
    assert [a.url for a in out.articles] == [f"{site.base}/news/tika-3001"]


def test_discovery_gives_up_after_its_attempts(tmp_path):
    site = LiveSite(items=[], fail_next=10)
    with live_site(site), DagsterInstance.ephemeral(tempdir=str(tmp_path / "home")) as instance:
        resources = live_resources(
            live_config(tmp_path / "live.toml", site.base), site_attempts=2, backoff=0.05
        )
        result = run_partition(None, "2021-06-20", instance, resources=resources, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    assert failure.step_key == "discovered_urls"
    assert "discovery pages of sample failed" in str(failure.event_specific_data.error)


# -- a failing quality gate blocks the writer -------------------------------------------------------------------
def test_failing_f1_floors_block_the_database_write(tmp_path):
    settings = temp_settings(tmp_path)
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"dose_count": 1.01}), encoding="utf-8")
    config = {"ops": {"facts_extraction_f1_at_or_above_floors": {"config": {"floors_path": str(floors)}}}}
    with DagsterInstance.ephemeral(tempdir=str(tmp_path / "home")) as instance:
        result = run_partition(settings, "2021-06-04", instance, run_config=config, raise_on_error=False)
        assert not result.success
        assert _checks(result)["extraction_f1_at_or_above_floors"] == (False, "ERROR")
        assert instance.get_materialized_partitions(AssetKey("vaxnews_db")) == set()
        assert instance.get_materialized_partitions(AssetKey("facts")) == {
            partition_key("2021-06-04", "sample")
        }
    assert not settings.db_path.exists() or article_urls(settings.db_path) == set()


def test_recording_is_never_written(one_day):
    lines = (FIXTURES / "site" / "responses.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 13
