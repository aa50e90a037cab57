"""`make dev` for real: `dagster dev` on 127.0.0.1 with a temporary DAGSTER_HOME, the asset graph opened in
headless Chromium, the asset names checked in the rendered DOM, a screenshot kept in test-output/."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT
from tests.browser import CHROMIUM_FLAGS

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = PROJECT_ROOT / "test-output"
ASSETS = ["discovered_urls", "raw_pages", "articles", "facts", "vaxnews_db", "official_figures",
          "text_reports", "verifications", "report"]  # fmt: skip
CHROME_FLAGS = [
    *CHROMIUM_FLAGS,
    "--window-size=1600,1000",
    "--virtual-time-budget=30000",
]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dagster dev exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return json.loads(resp.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _graphql(base: str, query: str) -> dict:
    req = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def _chromium(url: str, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), *CHROME_FLAGS, f"--user-data-dir={profile}", *action, url],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "VAXNEWS_ENV": "local",
        "VAXNEWS_DB_PATH": str(home / "vaxnews.db"),
        "VAXNEWS_ARCHIVE_DIR": str(home / "archive"),
    }
    log = open(home / "dagster-dev.log", "wb")  # noqa: SIM115 — closed below
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster")),
            "dev",
            "-m",
            "assets.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # default signal handlers, and one group to stop
    )
    base = f"http://127.0.0.1:{port}"
    (home / "dagster-dev.pid").write_text(str(proc.pid))
    try:
        info = _wait_for(f"{base}/server_info", proc)
        yield base, info, home
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def test_webserver_serves_the_code_location(webserver):
    base, info, _ = webserver
    assert info["dagster_webserver_version"].startswith("1.13")
    data = _graphql(base, "{ assetNodes { assetKey { path } } }")
    assert {n["assetKey"]["path"][0] for n in data["data"]["assetNodes"]} == set(ASSETS)


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make test installs it)"
)
def test_asset_graph_renders_in_headless_chromium(webserver, tmp_path):
    base, _, _ = webserver
    # The UI greets a first visit from 127.0.0.1 with a newsletter dialog over the graph; this is the
    # same call its "Skip" button makes.
    assert _graphql(base, "mutation { setNuxSeen }")["data"]["setNuxSeen"] is True
    url = f"{base}/asset-groups"
    dom = _chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    missing = [name for name in ASSETS if name not in dom.stdout]
    assert not missing, f"asset names missing from the rendered page: {missing}"
    assert "Global asset lineage" in dom.stdout
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "dagster-asset-graph.png"
    shot.unlink(missing_ok=True)
    done = _chromium(url, tmp_path / "profile-shot", f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_one_sigterm_stops_the_process_group(webserver):
    """Runs last: started with default signal handlers in its own session, dagster dev (webserver,
    daemon, code server) stops on one SIGTERM to the group: no process of the group is left and
    nothing listens on the port any more."""
    base, _, home = webserver
    pid = int((home / "dagster-dev.pid").read_text())
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _group_alive(pid):
        time.sleep(0.2)
    assert not _group_alive(pid)
    port = int(base.rsplit(":", 1)[1])
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", port))


def _group_alive(pgid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pgid, os.WNOHANG)  # reap the leader if it has exited
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
