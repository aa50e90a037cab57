"""The parser on real Hindi (and two Gujarati) news pages from ../shared/corpus/html, checked against the
publication dates in its index.jsonl. Skipped when ../shared is absent; the pages are read in place,
never copied into the project.

Both ways a page can be parsed are measured: with its site's parser (the registry knows the host) and in
generic mode (no site: JSON-LD, metadata, trafilatura, the densest block).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import SHARED, default_sites
from pipeline.parse import article_from_html
from pipeline.sources import site_for

CORPUS = SHARED / "corpus" / "html"
INDEX = CORPUS / "index.jsonl"
pytestmark = pytest.mark.shared


def _entries() -> list[dict[str, Any]]:
    if not INDEX.exists():
        return []
    return [json.loads(line) for line in INDEX.read_text(encoding="utf-8").splitlines() if line.strip()]


ENTRIES = _entries()
SCRIPT = {"hi": ("\u0900", "\u097f"), "gu": ("\u0a80", "\u0aff")}


def _parse(entry: dict[str, Any], generic: bool) -> Any:
    site = None if generic else site_for(entry["url"], default_sites())
    body = (CORPUS / entry["file"]).read_bytes()
    return article_from_html(body, url=entry["url"], site=site.name if site else None)


def _share(text: str, language: str) -> float:
    lo, hi = SCRIPT[language]
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if lo <= c <= hi) / max(1, len(letters))


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    if not ENTRIES:
        pytest.skip("../shared/corpus/html is not present")
    return ENTRIES


@pytest.mark.parametrize("generic", [False, True], ids=["site-parser", "generic"])
@pytest.mark.parametrize(
    "entry",
    [pytest.param(e, id=e["file"][:40]) for e in ENTRIES]
    or [
        pytest.param(
            {}, id="no-corpus", marks=pytest.mark.skip(reason="../shared/corpus/html is not present")
        )
    ],
)
def test_real_page(entry: dict[str, Any], generic: bool, corpus: list[dict[str, Any]]) -> None:
    art = _parse(entry, generic)
    assert art.published is not None and art.published.date().isoformat() == entry["gold_published_date"]
    assert art.published.utcoffset() is not None
    assert art.title and len(art.title) >= 10
    for name in ("बिजनेस स्टैंडर्ड", "अमर उजाला", "| ", "Business Standard"):
        assert name not in art.title
    body = "\n".join(art.paragraphs)
    assert len(body) >= 500
    assert _share(body, entry["language"]) >= 0.8
    assert art.canonical_url and art.canonical_url.startswith("https://")
    for furniture in (
        "Advertisement",
        "विज्ञापन",
        "डाउनलोड करें",
        "यह भी पढ़ें",
        "Keyword:",
        "information contained",
    ):
        assert furniture not in body
    if not generic:
        assert art.parser.startswith(("json-ld", "site:")), art.parser


def test_quality_report(corpus: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    """The numbers quoted in docs/crawling.md (run with -s to see the table)."""
    lines = [f"{'page':<44} {'mode':<8} {'date':<5} {'parser':<24} {'chars':>6} {'paras':>5} dateline"]
    dates_ok = {False: 0, True: 0}
    for entry in corpus:
        for generic in (False, True):
            art = _parse(entry, generic)
            ok = (
                art.published is not None and art.published.date().isoformat() == entry["gold_published_date"]
            )
            dates_ok[generic] += ok
            lines.append(
                f"{entry['file'][:44]:<44} {'generic' if generic else 'site':<8} {'ok' if ok else 'MISS':<5} "
                f"{art.parser:<24} {sum(len(p) for p in art.paragraphs):>6} {len(art.paragraphs):>5} {art.dateline or '-'}"
            )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert dates_ok == {False: len(corpus), True: len(corpus)}


def test_corpus_is_read_in_place() -> None:
    project = Path(__file__).resolve().parents[1]
    copies = [p for p in project.rglob("htmldate_*.html") if ".venv" not in p.parts]
    assert copies == []
