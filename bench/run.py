"""`make bench`: throughput of the language core and the extractors, and the distractor precision rate.

Prints a table and writes bench/results.json. Medians of several repetitions. Real corpus material is
read from ../shared/corpus when present (never copied into the project); the benchmark skips those rows
cleanly when it is absent.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.timing import median_seconds
from pipeline.config import FIXTURES, SHARED

RESULTS = Path(__file__).with_name("results.json")
SEGMENTS = SHARED / "corpus" / "ryd1e_hindi_covid_news_2020_segments.jsonl"


def fixture_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "reports").glob("*.txt"))]


def corpus_segments() -> list[dict[str, Any]]:
    if not SEGMENTS.exists():
        return []
    with open(SEGMENTS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bench_numbers(texts: list[str]) -> dict[str, Any]:
    from pipeline.numbers import find_numbers
    from pipeline.text import split_sentences

    sentences = [s.text for t in texts for s in split_sentences(t)]
    secs = median_seconds(lambda: [find_numbers(s) for s in sentences])
    return {"sentences": len(sentences), "sentences_per_s": round(len(sentences) / secs)}


def bench_splitter(texts: list[str]) -> dict[str, Any]:
    from pipeline.text import split_sentences

    size = sum(len(t.encode("utf-8")) for t in texts)
    secs = median_seconds(lambda: [split_sentences(t) for t in texts])
    return {
        "bytes": size,
        "mb_per_s": round(size / secs / 1e6, 2),
        "articles_per_s": round(len(texts) / secs),
    }


def _extract_all(texts: Iterable[tuple[str, str | None]]) -> int:
    from extractors import extract
    from pipeline.article import Article

    n = 0
    for text, title in texts:
        extract(Article(text=text, title=title))
        n += 1
    return n


def bench_extraction(texts: list[str], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """Articles per second through `extract`: the fixture reports (median of three passes over the same
    texts, so text-keyed caches answer part of the later passes; see docs/extraction.md) and the 2020
    corpus segments (one pass; mostly unrelated news, which stops at the vaccination-word test)."""
    out: dict[str, Any] = {}
    fixtures = [(t, t.splitlines()[0]) for t in texts]
    _extract_all(fixtures[:5])  # warm caches (gazetteer, spaCy, regexes)
    secs = median_seconds(lambda: _extract_all(fixtures), repeat=3)
    out["fixtures_articles_per_s"] = round(len(fixtures) / secs, 1)
    if segments:
        pairs = [((s.get("title") or "") + "\n" + s["text"], s.get("title")) for s in segments]
        secs = median_seconds(lambda: _extract_all(pairs), repeat=1)
        out["corpus_segments"] = len(pairs)
        out["corpus_articles_per_s"] = round(len(pairs) / secs, 1)
    return out


def distractor_rate(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """dose_count facts found per 1,000 COVID-news segments from 2020, before any vaccination drive."""
    from extractors import extract
    from pipeline.article import Article

    if not segments:
        return {"skipped": "../shared/corpus not present"}
    found = 0
    for s in segments:
        result = extract(Article(text=(s.get("title") or "") + "\n" + s["text"], title=s.get("title")))
        found += sum(1 for f in result.facts if f["type"] == "dose_count")
    return {
        "segments": len(segments),
        "dose_counts": found,
        "per_1000": round(1000 * found / len(segments), 2),
    }


def _sections(texts: list[str], segments: list[dict[str, Any]]) -> dict[str, Callable[[], dict[str, Any]]]:
    """Every benchmark of `make bench`, by name, in the order the table prints them."""
    from bench.dagster_overhead import bench_dagster_overhead
    from bench.ratio import bench_ratio
    from bench.scale import bench_scaling
    from bench.storage import bench_fts, bench_storage

    return {
        "number_parser": lambda: bench_numbers(texts * 5),
        "sentence_splitter": lambda: bench_splitter(texts * 5),
        "extraction": lambda: bench_extraction(texts, segments),
        "distractor_dose_counts": lambda: distractor_rate(segments),
        "lxml_ratio": bench_ratio,
        "scaling": bench_scaling,
        "storage_100k_facts": bench_storage,
        "fts_100k_articles": bench_fts,
        "dagster_overhead": bench_dagster_overhead,
    }


def _flat(values: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for k, v in values.items():
        if isinstance(v, dict):
            out.extend(_flat(v, f"{prefix}{k}."))
        else:
            out.append(f"{prefix}{k}={v}")
    return out


def main() -> None:
    """Run every benchmark (BENCH_ONLY="scaling,lxml_ratio" picks some) and write bench/results.json."""
    texts = fixture_texts()
    segments = corpus_segments()
    sections = _sections(texts, segments)
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    unknown = set(only) - set(sections)
    if unknown:
        raise SystemExit(f"BENCH_ONLY names unknown benchmarks: {sorted(unknown)}; known: {sorted(sections)}")
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if only and RESULTS.exists() else {}
    results: dict[str, Any] = dict(previous)
    for name, run in sections.items():
        if only and name not in only:
            continue
        t = time.perf_counter()
        results[name] = run()
        print(
            f"{name:<24}" + "  ".join(_flat(results[name])) + f"  ({time.perf_counter() - t:.0f} s)",
            flush=True,
        )
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
