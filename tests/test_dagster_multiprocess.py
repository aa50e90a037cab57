"""Fan-out for real: three partitions materialised at once by three `dagster asset materialize` processes
with the multiprocess executor, on one DAGSTER_HOME with the shipped dagster.yaml. The database must be
the same as a sequential in-process run of the same partitions, and the writer steps (pool
`vaxnews_sqlite`, limit 1, and the database's writer lock) must never have written at the same time."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance

from assets import quality
from pipeline.config import PROJECT_ROOT
from tests.test_dagster_support import TABLES, article_urls, dump, run_partition, temp_settings

DAYS = ["2021-06-12", "2021-06-17", "2021-06-21"]
FAN_OUT = "discovered_urls,raw_pages,articles,facts,vaxnews_db"

pytestmark = pytest.mark.slow


def test_parallel_partitions_give_the_sequential_database(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    with DagsterInstance.from_config(str(home)) as instance:  # create the storage once, before the race
        instance.get_runs()
    # The blocking gold-set check runs in every run, but this test is about fan-out, not about the
    # extractor's quality (tests/test_quality.py): give it no floors. Its scores come from DAGSTER_HOME's
    # cache (keyed by a hash of the code); fill it once instead of scoring in three runs at once.
    assert quality.gold_scores(home / "vaxnews-cache")
    no_floors = tmp_path / "no-floors.json"
    no_floors.write_text("{}", encoding="utf-8")
    check_config = {
        "ops": {"facts_extraction_f1_at_or_above_floors": {"config": {"floors_path": str(no_floors)}}}
    }
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "VAXNEWS_ENV": "local",
        "VAXNEWS_DB_PATH": str(tmp_path / "parallel" / "vaxnews.db"),
        "VAXNEWS_ARCHIVE_DIR": str(tmp_path / "parallel" / "archive"),
    }
    dagster = str(Path(sys.executable).with_name("dagster"))
    procs = []
    for day in DAYS:
        log = open(tmp_path / f"{day}.log", "wb")  # noqa: SIM115 — closed below
        cmd = [dagster, "asset", "materialize", "-m", "assets.definitions", "--select", FAN_OUT]
        cmd += ["--partition", f"{day}|sample", "--config-json", json.dumps(check_config)]
        procs.append(
            (subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log)
        )
    for proc, log in procs:
        proc.wait(timeout=600)
        log.close()
    for (proc, _), day in zip(procs, DAYS, strict=True):
        assert proc.returncode == 0, (tmp_path / f"{day}.log").read_text()[-3000:]

    sequential = temp_settings(tmp_path / "sequential")
    with DagsterInstance.ephemeral(tempdir=str(tmp_path / "seq-home")) as instance:
        for day in DAYS:  # one after another, in this process
            assert run_partition(sequential, day, instance, run_config=check_config).success
    parallel_db = tmp_path / "parallel" / "vaxnews.db"
    tables = tuple(t for t in TABLES if t != "verifications")
    parallel, serial = dump(parallel_db, tables), dump(sequential.db_path, tables)
    for table in tables:
        extra = [r for r in parallel[table] if r not in serial[table]][:3]
        missing = [r for r in serial[table] if r not in parallel[table]][:3]
        assert not extra and not missing, (table, "only parallel:", extra, "only sequential:", missing)
    assert len(article_urls(parallel_db)) == 4  # 12 June: 1, 17 June: 1, 21 June: 2

    with DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 3 and all(r.is_success for r in runs)
        assert {r.tags["dagster/partition/site"] for r in runs} == {"sample"}
        # Each writer step reports the span it held the database's writer lock. Dagster's step events
        # cannot show this: its SQLite-backed pool claims a slot by select-then-update, which can race
        # when runs start together, and its event timestamps are taken when an event is logged.
        spans = []
        for record in instance.fetch_materializations(AssetKey("vaxnews_db"), limit=1000).records:
            meta = record.asset_materialization.metadata
            spans.append((meta["write_started"].value, meta["write_finished"].value))
        spans.sort()
        assert len(spans) == 3 and all(start <= end for start, end in spans)
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, "two writer steps wrote at the same time"
        assert instance.event_log_storage.get_concurrency_info("vaxnews_sqlite").slot_count == 1
