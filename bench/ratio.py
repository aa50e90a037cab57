"""Extraction cost per page relative to a bare lxml parse of the same bytes (target ≤ 3×).

"Extraction" is the whole per-page work of the pipeline: decode, parse the page into an Article (title,
times, body: JSON-LD, site layout, trafilatura or text density) and run the language core and every
extractor. The pages are the real Hindi news pages in ../shared/corpus/html (when present; big pages
whose story is a small part of the markup) and synthetic pages made from our fixture reports (small
pages that are mostly story). Medians of several repetitions, per page set.
"""

from __future__ import annotations

from typing import Any

from bench.timing import median_seconds
from pipeline.config import SHARED

CORPUS_HTML = SHARED / "corpus" / "html"


def corpus_pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted(CORPUS_HTML.glob("*.html"))] if CORPUS_HTML.exists() else []


def synthetic_page_bytes(n: int = 200) -> list[bytes]:
    from bench.generate import synthetic_pages

    return [page.encode("utf-8") for _, page, _ in synthetic_pages(n, seed=11)]


def _pipeline(pages: list[bytes]) -> None:
    from extractors import extract
    from pipeline.parse import article_from_html

    for page in pages:
        extract(article_from_html(page, url="https://bench.example/news/page", content_type="text/html"))


def _lxml(pages: list[bytes]) -> None:
    from lxml import html

    for page in pages:
        html.document_fromstring(page)


def measure(pages: list[bytes], repeat: int = 5) -> dict[str, Any]:
    _pipeline(pages[:3])  # warm caches and lazy imports
    lxml_s = median_seconds(lambda: _lxml(pages), repeat)
    full_s = median_seconds(lambda: _pipeline(pages), repeat)
    return {
        "pages": len(pages),
        "kb_per_page": round(sum(map(len, pages)) / len(pages) / 1024, 1),
        "lxml_ms_per_page": round(1000 * lxml_s / len(pages), 3),
        "pipeline_ms_per_page": round(1000 * full_s / len(pages), 3),
        "ratio": round(full_s / lxml_s, 1),
    }


def bench_ratio() -> dict[str, Any]:
    out: dict[str, Any] = {"synthetic_pages": measure(synthetic_page_bytes(), repeat=3)}
    real = corpus_pages()
    out["corpus_pages"] = measure(real, repeat=7) if real else {"skipped": "../shared/corpus not present"}
    return out


if __name__ == "__main__":
    print(bench_ratio())
