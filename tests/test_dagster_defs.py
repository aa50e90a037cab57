"""The Dagster code location: definitions load and validate, partitions, schedule, resources by
environment, the shipped instance configs, and the rules behind the asset checks."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from dagster import (
    AssetKey,
    DagsterInstance,
    DagsterInvalidConfigError,
    build_schedule_context,
    validate_run_config,
)

from assets import definitions, quality
from assets.automation import morning_crawl, new_items
from assets.daywork import hand_on, lastmod_day, select_links
from assets.partitions import (
    FIRST_DAY,
    article_day,
    is_partition_day,
    partition_key,
    site_days,
    site_names,
    split_key,
)
from assets.resources import FetcherResource, VaxnewsSettings, resources_for_env
from extractors import ExtractionResult
from pipeline.article import Article
from pipeline.config import PROJECT_ROOT, load_settings
from pipeline.sources import Link

IST = timezone(timedelta(hours=5, minutes=30))
ROOT = PROJECT_ROOT
ASSETS = ["discovered_urls", "raw_pages", "articles", "facts", "vaxnews_db", "official_figures",
          "text_reports", "verifications", "report"]  # fmt: skip


# -- definitions ---------------------------------------------------------------------------------------
def test_definitions_hold_the_whole_graph():
    repo = definitions.defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert keys == set(ASSETS)
    graph = repo.asset_graph
    chain = ["discovered_urls", "raw_pages", "articles", "facts", "vaxnews_db", "verifications", "report"]
    for up, down in itertools.pairwise(chain):
        assert AssetKey(up) in graph.get(AssetKey(down)).parent_keys, (up, down)
    assert AssetKey("official_figures") in graph.get(AssetKey("verifications")).parent_keys


@pytest.mark.parametrize(
    ("asset", "partitioned", "pool"),
    [
        ("discovered_urls", True, None),
        ("raw_pages", True, None),
        ("articles", True, None),
        ("facts", True, None),
        ("vaxnews_db", True, "vaxnews_sqlite"),
        ("official_figures", False, "vaxnews_sqlite"),
        ("text_reports", False, "vaxnews_sqlite"),
        ("verifications", False, "vaxnews_sqlite"),
        ("report", False, None),
    ],
)
def test_partitions_and_the_single_writer_pool(asset, partitioned, pool):
    node = definitions.defs.get_repository_def().asset_graph.get(AssetKey(asset))
    assert (node.partitions_def == site_days) is partitioned
    assert node.pools == ({pool} if pool else set())


@pytest.mark.parametrize("asset", ["discovered_urls", "raw_pages"])
def test_network_assets_retry_with_backoff(asset):
    from dagster import Backoff

    assets_def = next(a for a in definitions.ALL_ASSETS if a.key == AssetKey(asset))
    policy = assets_def.op.retry_policy
    assert policy is not None and policy.max_retries >= 2 and policy.backoff == Backoff.EXPONENTIAL


def test_checks_are_defined_and_the_quality_gate_blocks():
    checks = {k.name: k for k in definitions.defs.get_repository_def().asset_graph.asset_check_keys}
    assert set(checks) == {
        "evidence_quotes_match_text",
        "dose_counts_within_bounds",
        "no_event_date_after_publication",
        "extraction_f1_at_or_above_floors",
        "failed_page_share_per_site",
    }
    assert checks["extraction_f1_at_or_above_floors"].asset_key == AssetKey("facts")
    specs = {s.name: s for c in definitions.ALL_CHECKS for s in c.check_specs}
    assert specs["extraction_f1_at_or_above_floors"].blocking
    fact_specs = {
        s.name: s for s in next(a for a in definitions.ALL_ASSETS if a.key == AssetKey("facts")).check_specs
    }
    assert fact_specs["evidence_quotes_match_text"].blocking


@pytest.mark.slow
def test_dagster_definitions_validate_in_a_subprocess(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "VAXNEWS_ENV": "local"}
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("dagster")),
            "definitions",
            "validate",
            "-m",
            "assets.definitions",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation successful" in proc.stdout + proc.stderr


# -- partitions ------------------------------------------------------------------------------------------
def test_site_dimension_is_the_registry_and_days_start_with_the_drive():
    assert "sample" in site_names()
    dims = {d.name: d.partitions_def for d in site_days.partitions_defs}
    assert dims["site"].get_partition_keys() == site_names()
    assert dims["date"].get_first_partition_window().start.date() == date.fromisoformat(FIRST_DAY)
    assert dims["date"].timezone == "Asia/Kolkata"


@pytest.mark.parametrize(
    ("key", "day", "site"),
    [("2021-06-04|sample", date(2021, 6, 4), "sample"), ("2021-01-16|patrika", date(2021, 1, 16), "patrika")],
)
def test_partition_keys_round_trip(key, day, site):
    assert split_key(key) == (day, site)
    assert split_key(partition_key(day, site)) == (day, site)
    assert str(partition_key(day, site)) == key


@pytest.mark.parametrize(
    ("published", "fetched_at", "expected"),
    [
        (datetime(2021, 6, 4, 15, 57, tzinfo=IST), "2021-07-01T06:00:00+00:00", (date(2021, 6, 4), False)),
        # 00:30 IST is still the previous day in UTC: the partition follows the papers' clock
        (datetime(2021, 6, 3, 19, 0, tzinfo=UTC), None, (date(2021, 6, 4), False)),
        (datetime(2021, 6, 4, 23, 59, tzinfo=IST), None, (date(2021, 6, 4), False)),
        (None, "2021-07-01T06:00:00+00:00", (date(2021, 7, 1), True)),
        (None, "2021-06-30T20:00:00+00:00", (date(2021, 7, 1), True)),  # fetch-day bucket, in IST too
        (None, None, (None, True)),
    ],
)
def test_article_day_and_the_fetch_day_bucket(published, fetched_at, expected):
    assert article_day(published, fetched_at) == expected


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(2021, 1, 15), False),
        (date(2021, 1, 16), True),
        (date(2021, 6, 4), True),
        (date(2031, 1, 1), False),
    ],
)
def test_partition_day_range(day, ok):
    assert is_partition_day(day, now=datetime(2026, 1, 1, tzinfo=IST)) is ok


# -- choosing a day's links ------------------------------------------------------------------------------
D = date(2021, 6, 10)


@pytest.mark.parametrize(
    ("link", "known", "kept", "why"),
    [
        (Link("https://x.example/news/a-1", "article"), {}, True, None),
        (Link("https://x.example/news/a-1", "article"), {"https://x.example/news/a-1": D}, True, None),
        (Link("https://x.example/news/a-1", "article"), {"https://x.example/news/a-1": date(2021, 6, 9)}, False, "known_other_day"),
        (Link("https://x.example/news/a-1", "article", "Wed, 09 Jun 2021 18:00:00 +0530"), {}, False, "modified_before_day"),
        (Link("https://x.example/news/a-1", "article", "Thu, 10 Jun 2021 01:00:00 +0530"), {}, True, None),
        # modified later than the day: it may still have been published on it
        (Link("https://x.example/news/a-1", "article", "2021-06-12T10:00:00+05:30"), {}, True, None),
        (Link("https://x.example/news/a-1", "article", "not a date"), {}, True, None),
    ],
)  # fmt: skip
def test_select_links(link, known, kept, why):
    chosen, reasons = select_links([link], D, known, max_pages=100)
    assert (link in chosen) is kept
    if why:
        assert reasons[why] == 1


def test_select_links_adds_stored_pages_of_the_day_and_caps():
    known = {"https://x.example/news/old-7": D, "https://x.example/news/other-8": date(2021, 6, 1)}
    chosen, why = select_links([], D, known, max_pages=100)
    assert [link.url for link in chosen] == ["https://x.example/news/old-7"] and why["stored_for_day"] == 1
    many = [Link(f"https://x.example/news/n-{i}", "article") for i in range(12)]
    chosen, why = select_links(many, D, {}, max_pages=5)
    assert len(chosen) == 5 and why["over_max_pages"] == 7


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("Fri, 04 Jun 2021 15:57:00 +0530", date(2021, 6, 4)),
        ("2021-06-03T20:00:00Z", date(2021, 6, 4)),
        ("2021-06-04", date(2021, 6, 4)),
        (None, None),
        ("", None),
    ],
)
def test_lastmod_day(value, day):
    assert lastmod_day(value) == day


def test_hand_on_drops_other_days_and_applies_updates():
    rows = [
        {"url": "a", "state": "fetched"},
        {"url": "b", "state": "fetched"},
        {"url": "c", "state": "fetched"},
    ]
    out = hand_on(
        rows, drop={"b"}, updates={"c": {"state": "failed", "reason": "parse: x"}, "d": {"state": "failed"}}
    )
    assert out == [
        {"url": "a", "state": "fetched"},
        {"url": "c", "state": "failed", "reason": "parse: x"},
        {"url": "d", "state": "failed"},
    ]


# -- schedule and sensor logic ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2021, 6, 5, 7, 30, tzinfo=IST), "2021-06-04"),
        (datetime(2021, 6, 5, 2, 0, tzinfo=UTC), "2021-06-04"),  # 07:30 IST
        (datetime(2021, 7, 1, 7, 30, tzinfo=IST), "2021-06-30"),
    ],
)
def test_morning_schedule_runs_yesterday_for_every_site(now, day):
    assert morning_crawl.cron_schedule == "30 7 * * *"
    assert morning_crawl.execution_timezone == "Asia/Kolkata"
    repo = definitions.defs.get_repository_def()
    result = morning_crawl.evaluate_tick(
        build_schedule_context(scheduled_execution_time=now, repository_def=repo)
    )
    requests = result.run_requests or []
    assert {r.partition_key for r in requests} == {f"{day}|{s}" for s in site_names()}
    assert all(r.tags["vaxnews/trigger"] == "schedule" for r in requests)


def test_new_items_compares_with_the_cursor():
    seen = {"u1": "", "u2": "Fri, 04 Jun 2021 10:00:00 +0530"}
    links = [("u1", None), ("u2", "Sat, 05 Jun 2021 10:00:00 +0530"), ("u3", None)]
    by_day, now_seen = new_items(seen, links, date(2021, 6, 6))
    assert by_day == {date(2021, 6, 5): ["u2"], date(2021, 6, 6): ["u3"]}
    assert now_seen == {"u1": "", "u2": "Sat, 05 Jun 2021 10:00:00 +0530", "u3": ""}
    assert new_items(now_seen, links, date(2021, 6, 6))[0] == {}


# -- resources ------------------------------------------------------------------------------------------------
def test_resources_follow_vaxnews_env(monkeypatch):
    monkeypatch.delenv("VAXNEWS_CONFIG", raising=False)
    local = resources_for_env("local")
    assert local["fetcher"].transport == "replay" and local["fetcher"].delay_seconds == 0.0
    prod = resources_for_env("prod")
    assert prod["fetcher"].transport == "live" and prod["fetcher"].delay_seconds is None
    assert set(local) == set(prod) == {"settings", "fetcher", "archive", "database"}
    with pytest.raises(ValueError, match="VAXNEWS_ENV"):
        resources_for_env("staging")


def test_prod_reads_its_settings_file(tmp_path, monkeypatch):
    config = tmp_path / "prod.toml"
    config.write_text(f'db_path = "{tmp_path / "prod.db"}"\ndelay_seconds = 3.0\n', encoding="utf-8")
    monkeypatch.setenv("VAXNEWS_CONFIG", str(config))
    prod = resources_for_env("prod")
    assert prod["database"].path == str(tmp_path / "prod.db")
    assert prod["settings"].load().delay_seconds == 3.0


def test_settings_resource_round_trips_a_settings_object(tmp_path):
    settings = load_settings(
        db_path=tmp_path / "x.db", replay_dir="none", extra_text_inputs=[tmp_path / "r.txt"]
    )
    assert VaxnewsSettings.from_settings(settings).load() == settings


def test_replay_fetcher_covers_only_recorded_urls():
    fetcher = FetcherResource(transport="replay")
    settings = load_settings()
    assert fetcher.covers(settings, "https://samachar.example/city/")
    assert not fetcher.covers(settings, "https://www.patrika.com/jabalpur-news/")
    assert FetcherResource(transport="live").covers(settings, "https://www.patrika.com/jabalpur-news/")


# -- shipped instance configuration ----------------------------------------------------------------------------
def test_shipped_dagster_yaml_limits_runs_per_site_and_keeps_one_writer(tmp_path):
    (tmp_path / "dagster.yaml").write_text(
        (ROOT / "dagster.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        config = instance.get_concurrency_config()
        limits = {lim["key"]: lim for lim in config.run_queue_config.tag_concurrency_limits}
        assert limits["dagster/partition/site"]["limit"] == 1
        assert limits["dagster/partition/site"]["value"] == {"applyLimitPerUniqueValue": True}
        assert config.pool_config.default_pool_limit == 1
        assert config.pool_config.pool_granularity.value == "op"


def test_deploy_config_uses_postgres_from_the_environment():
    config = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text(encoding="utf-8"))
    pg = config["storage"]["postgres"]["postgres_db"]
    assert pg.pop("scheme") == "postgresql+psycopg2"
    assert all(isinstance(v, dict) and set(v) == {"env"} for v in pg.values())  # no secret in the file
    assert config["concurrency"]["pools"]["default_limit"] == 1
    run_config = yaml.safe_load((ROOT / "deploy" / "multiprocess.yaml").read_text(encoding="utf-8"))
    job = definitions.defs.resolve_job_def("vaxnews_daily")
    assert job.executor_def.name == "vaxnews_multiprocess"
    resolved = validate_run_config(job, run_config)["execution"]["vaxnews_multiprocess"]
    assert resolved["max_concurrent"] == 4 and "forkserver" in resolved["start_method"]
    with pytest.raises(DagsterInvalidConfigError):
        validate_run_config(job, {"execution": {"config": {"max_concurrent": "many"}}})


# -- the rules behind the checks -------------------------------------------------------------------------------
def test_checks_data_file_shape():
    with open(quality.DATA, "rb") as fh:
        data = tomllib.load(fh)
    assert set(data["dose_bounds"]) == set(quality.SCOPES)
    for scope in quality.SCOPES:
        bounds = data["dose_bounds"][scope]
        assert set(bounds) == set(quality.MEASURES)
        assert all(isinstance(v, int) and v > 0 for v in bounds.values())
    for measure in quality.MEASURES:  # wider scopes allow more
        values = [data["dose_bounds"][s][measure] for s in quality.SCOPES]
        assert values == sorted(values), measure
    words = data["scope_words"]["state"]
    assert len(words) == len(set(words)) and all(w.strip() == w and w for w in words)
    assert 0 < data["failed_pages"]["max_share"] < 1 and data["failed_pages"]["min_pages"] >= 1


def _result(facts, *, text="", published=None, district="Jabalpur", state="Madhya Pradesh", event_date=None):
    article = Article(text=text, url="https://x.example/news/t-1", published=published)
    return ExtractionResult(article, district, state, event_date, "day", facts)


def _fact(kind, quote, text, **fields):
    start = text.index(quote)
    return {
        "type": kind,
        **fields,
        "evidence": {"sentence": text, "start": start, "end": start + len(quote), "quote": quote},
    }


TEXT = "जिले में गुरुवार को 22397 लोगों को टीका लगाया गया। प्रदेश में 9 लाख टीके लगे।"


def test_quote_check_finds_broken_evidence():
    good = _fact("dose_count", "22397 लोगों", TEXT, value=22397, measure="administered")
    shifted = {
        **good,
        "evidence": {
            **good["evidence"],
            "start": good["evidence"]["start"] + 1,
            "end": good["evidence"]["end"] + 1,
        },
    }
    outside = {**good, "evidence": {**good["evidence"], "sentence": "कुछ और"}}
    assert quality.quote_mismatches([_result([good], text=TEXT)]) == []
    issues = quality.quote_mismatches([_result([good, shifted, outside], text=TEXT)])
    assert len(issues) == 2 and "text[" in issues[0].detail and "sentence" in issues[1].detail


@pytest.mark.parametrize(
    ("place", "district", "state", "scope"),
    [
        (None, "Jabalpur", "Madhya Pradesh", "district"),
        (None, None, "Madhya Pradesh", "state"),
        (None, None, None, "national"),
        ("पीएचसी चोलापुर", "Varanasi", "Uttar Pradesh", "district"),
        ("साउथ एवेन्यू मॉल", "Jabalpur", "Madhya Pradesh", "district"),
        ("मध्यप्रदेश", "Jabalpur", "Madhya Pradesh", "state"),
        ("छत्तीसगढ़ राज्य", "Bastar", "Chhattisgarh", "state"),
        ("प्रदेश", "Jabalpur", "Madhya Pradesh", "state"),
        ("देश", "Jabalpur", "Madhya Pradesh", "national"),
        ("भारत", None, None, "national"),
    ],
)
def test_scope_of_a_dose_count(place, district, state, scope):
    assert quality.scope_of(place, district, state) == scope


@pytest.mark.parametrize(
    ("value", "measure", "place", "district", "flagged"),
    [
        (22397, "administered", None, "Jabalpur", False),
        (500_000, "administered", None, "Jabalpur", False),
        (600_000, "administered", None, "Jabalpur", True),  # > 5 lakh in a district in a day
        (600_000, "administered", "प्रदेश", "Jabalpur", False),  # a state-wide figure
        (6_000_000, "administered", "मध्यप्रदेश", "Jabalpur", True),
        (25_000_000, "administered", "देश", "Jabalpur", False),  # 17 Sep 2021 was ~2.5 crore
        (2_000_000_000, "cumulative", "भारत", None, False),
        (600_000, "cumulative", None, "Jabalpur", False),
        (9_876_543_210, "administered", None, "Jabalpur", True),  # a phone number read as doses
        (600_000, None, None, "Jabalpur", False),  # unknown measure: the scope's loosest bound
    ],
)
def test_dose_bounds(value, measure, place, district, flagged):
    quote = "22397 लोगों"
    fact = _fact("dose_count", quote, TEXT, value=value, measure=measure, place=place)
    issues = quality.implausible_doses([_result([fact], text=TEXT, district=district)])
    assert bool(issues) is flagged


@pytest.mark.parametrize(
    ("event_date", "fact_date", "flagged"),
    [
        (date(2021, 6, 3), "2021-06-03", False),
        (date(2021, 6, 4), "2021-06-04", False),  # same day as publication
        (date(2021, 6, 5), None, True),
        (None, "2021-06-05", True),
        (None, None, False),
    ],
)
def test_event_dates_not_after_publication(event_date, fact_date, flagged):
    fact = _fact("dose_count", "22397 लोगों", TEXT, value=22397, date=fact_date)
    published = datetime(2021, 6, 4, 23, 30, tzinfo=IST)
    result = _result([fact], text=TEXT, published=published, event_date=event_date)
    assert bool(quality.dates_after_publication([result])) is flagged
    undated = _result([fact], text=TEXT, published=None, event_date=event_date)
    assert quality.dates_after_publication([undated]) == []


def test_gold_quality_against_floors(tmp_path):
    floors = ROOT / "tests" / "quality_floors.json"
    quality_now = quality.gold_quality(floors)
    assert quality_now.passed, quality_now.below
    assert set(quality_now.scores) == {"tuning", "all_sets"}
    impossible = tmp_path / "floors.json"
    impossible.write_text(floors.read_text().replace("0.", "1.0"), encoding="utf-8")
    result = quality.gold_quality(impossible)
    assert not result.passed and "tuning:dose_count" in result.below


def test_floors_file_formats(tmp_path):
    flat = tmp_path / "flat.json"
    flat.write_text('{"dose_count": 0.9, "district_accuracy": 0.95}', encoding="utf-8")
    assert quality.read_floors(flat) == {"tuning": {"dose_count": 0.9, "district_accuracy": 0.95}}
    nested = tmp_path / "nested.json"
    nested.write_text('{"tuning": {"outage": 0.9}, "all_sets": {"outage": 0.8}}', encoding="utf-8")
    assert quality.read_floors(nested) == {"tuning": {"outage": 0.9}, "all_sets": {"outage": 0.8}}
    shipped = quality.read_floors(ROOT / "tests" / "quality_floors.json")
    assert set(shipped) <= set(quality.gold_sets())


def test_failed_share_per_site(tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "p.db")
    conn.execute("create table pages (url text primary key, site text, state text)")
    rows = [(f"a{i}", "alpha", "failed" if i < 3 else "fetched") for i in range(10)]
    rows += [(f"b{i}", "beta", "failed" if i < 1 else "fetched") for i in range(10)]
    rows += [("c0", "gamma", "failed"), ("c1", "gamma", "failed")]  # too few pages to judge
    conn.executemany("insert into pages values (?, ?, ?)", rows)
    shares = {s.site: s for s in quality.failed_shares(conn)}
    assert shares["alpha"].share == pytest.approx(0.3) and shares["beta"].share == pytest.approx(0.1)
    assert [s.site for s in quality.sites_over_threshold(shares.values())] == ["alpha"]


# -- the backfill helper ------------------------------------------------------------------------------------------
def test_backfill_keys_cover_days_times_sites(capsys):
    from assets.backfill import keys_for, main

    keys = keys_for(date(2021, 6, 1), date(2021, 6, 30), ["sample", "patrika"])
    assert len(keys) == 60 and str(keys[0]) == "2021-06-01|sample" and str(keys[-1]) == "2021-06-30|patrika"
    assert main(["2021-06-17", "2021-06-19", "--site", "sample", "--keys"]) == 0
    assert capsys.readouterr().out.strip() == "2021-06-17|sample,2021-06-18|sample,2021-06-19|sample"


@pytest.mark.parametrize(
    ("start", "end", "sites", "message"),
    [
        (date(2021, 6, 2), date(2021, 6, 1), ["sample"], "before"),
        (date(2021, 6, 1), date(2021, 6, 2), ["nosuchsite"], "registry"),
        (date(2020, 12, 30), date(2021, 1, 2), ["sample"], "not a partition day"),
    ],
)
def test_backfill_keys_refuse_bad_ranges(start, end, sites, message):
    from assets.backfill import keys_for

    with pytest.raises(ValueError, match=message):
        keys_for(start, end, sites)


def test_gold_scores_are_cached_by_code_fingerprint(tmp_path):
    import json

    scores = quality.gold_scores(tmp_path)
    files = list(tmp_path.glob("gold-*.json"))
    assert [f.name for f in files] == [f"gold-{quality.code_fingerprint()[:24]}.json"]
    scores["tuning"]["dose_count"] = 0.0
    files[0].write_text(json.dumps(scores), encoding="utf-8")
    assert quality.gold_scores(tmp_path)["tuning"]["dose_count"] == 0.0  # read back, not scored again
    # editing a result never edits the in-process memo that a later cache (another DAGSTER_HOME) is built from
    assert quality.gold_scores(tmp_path / "other")["tuning"]["dose_count"] > 0.9
