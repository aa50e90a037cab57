"""One materialisation against real PostgreSQL instance storage, configured by deploy/dagster.yaml.

Needs the `dagster-postgres` package and PostgreSQL server binaries (Debian: `apt-get install -y
postgresql`, tried here when missing and running as root). Skipped with the reason otherwise. The
server runs from a temporary data directory on a free 127.0.0.1 port and is stopped afterwards.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance

from assets.partitions import partition_key
from pipeline.config import PROJECT_ROOT
from tests.test_dagster_support import article_urls, run_partition, temp_settings

pytestmark = pytest.mark.slow


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _install_postgres() -> Path | None:
    if _pg_bin() is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "postgresql"], env=env, capture_output=True, timeout=600
        )
    return _pg_bin()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def postgres():
    if importlib.util.find_spec("dagster_postgres") is None:
        pytest.skip(
            "dagster-postgres is not installed: the package index has it only for dagster <= 1.13.27 and the "
            "lock pins 1.13.28 (deploy/README.md)"
        )
    pg = _install_postgres()
    if pg is None:
        pytest.skip("PostgreSQL server binaries are not installed and apt-get could not install them")
    # Not under pytest's tmp dir: that is private to root, and the server runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="vaxnews-pg-"))
    data, sockets = root / "data", root / "sockets"
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    port = _free_port()

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)

    try:
        sockets.mkdir()
        if prefix:  # the server refuses to run as root: run it as the package's user
            shutil.chown(root, "postgres")
            shutil.chown(sockets, "postgres")
        steps = [
            [str(pg / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            [str(pg / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
             "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1", "start"],
            [str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "dagster"],
        ]  # fmt: skip
        for step in steps:
            done = run(*step)
            assert done.returncode == 0, done.stdout + done.stderr
        yield port
    finally:
        if (data / "postmaster.pid").exists():
            run(str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_materialise_with_postgres_instance_storage(postgres, tmp_path, monkeypatch):
    for name, value in {
        "VAXNEWS_PG_HOST": "127.0.0.1",
        "VAXNEWS_PG_PORT": str(postgres),
        "VAXNEWS_PG_USER": "postgres",
        "VAXNEWS_PG_PASSWORD": "",
        "VAXNEWS_PG_DB": "dagster",
        "VAXNEWS_DAGSTER_LOGS": str(tmp_path / "logs"),
    }.items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    settings = temp_settings(tmp_path)
    with DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = run_partition(settings, "2021-06-04", instance)
        assert result.success
        assert instance.get_materialized_partitions(AssetKey("vaxnews_db")) == {
            partition_key("2021-06-04", "sample")
        }
        assert len(instance.get_runs()) == 1
    assert article_urls(settings.db_path) == {"https://samachar.example/news/jabalpur-2021-06-04-1001"}
