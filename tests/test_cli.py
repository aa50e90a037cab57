"""The `vaxnews` command, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VAXNEWS = [str(Path(sys.executable).with_name("vaxnews"))]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VAXNEWS, *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_help_lists_every_command():
    out = run("--help").stdout
    for cmd in ("extract", "run", "eval", "crawl", "query", "verify", "official"):
        assert cmd in out


def test_extract_json_on_the_seed(seed_path):
    proc = run("extract", "--json", str(seed_path))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    art = doc["article"]
    assert (art["district"], art["state"], art["event_date"]) == ("Jabalpur", "Madhya Pradesh", "2021-06-03")
    assert art["published"] == "2021-06-04T15:57:00+05:30"
    facts = doc["facts"]
    assert any(f["type"] == "center_count" and f["value"] == 146 for f in facts)
    doses = {(f["value"], f["measure"]) for f in facts if f["type"] == "dose_count"}
    assert {(27200, "target"), (22397, "administered")} <= doses
    for f in facts:
        ev = f["evidence"]
        assert art["text"][ev["start"] : ev["end"]] == ev["quote"] and ev["quote"] in ev["sentence"]


def test_extract_jsonl_streams_and_reports_bad_lines(tmp_path, fixtures_dir):
    text = (fixtures_dir / "site_src" / "jabalpur-2021-06-04.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps(
            {"id": "ok-1", "text": text, "published": "2021-06-04T15:57:00+05:30"}, ensure_ascii=False
        ),
        "{not json",
        json.dumps({"id": "empty", "text": ""}),
        json.dumps(
            {"id": "ok-2", "html": f"<html><body><h1>शीर्षक</h1><p>{text}</p></body></html>"},
            ensure_ascii=False,
        ),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run("extract", "--jsonl", str(src))
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["id"] for d in out] == ["ok-1", "ok-2"]
    assert out[0]["article"]["event_date"] == "2021-06-03"
    assert "line 2" in proc.stderr and "empty" in proc.stderr
    assert proc.returncode == 1


def test_extract_reports_unusable_input_clearly(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    proc = run("extract", str(empty))
    assert proc.returncode == 2 and "empty document" in proc.stderr
    assert run("extract", str(tmp_path / "missing.txt")).returncode == 2


def test_query_is_read_only(tmp_path):
    from pipeline import store

    db = tmp_path / "q.db"
    store.connect(db)
    ok = run("query", "select count(*) as n from articles", "--json", "--db", str(db))
    assert json.loads(ok.stdout) == [{"n": 0}]
    bad = run("query", "delete from articles", "--db", str(db))
    assert bad.returncode == 2 and "readonly" in bad.stderr
