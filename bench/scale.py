"""Scaling: per-article extraction cost and peak memory at 1k, 10k and 100k synthetic articles.

Each size runs in its own child process (`python -m bench.scale N`), so that its peak RSS is its own:
the articles are generated, extracted and dropped one at a time (bench.generate is a generator), and a
pipeline that held the corpus, or grew an unbounded cache, would show it here. The parent reports the
100k/1k per-article cost ratio (target ≤ 1.15) and each peak RSS (target ≤ 600 MB).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

DEFAULT_SIZES = (1_000, 10_000, 100_000)


def sizes() -> tuple[int, ...]:
    """BENCH_SCALE="1000,10000" overrides the sizes (a quicker run while developing)."""
    raw = os.environ.get("BENCH_SCALE")
    return tuple(int(x) for x in raw.split(",")) if raw else DEFAULT_SIZES


def run_size(n: int, seed: int = 7) -> dict[str, Any]:
    """Extract n synthetic articles in this process; the cost counts extraction only (not generation)."""
    from bench.generate import synthetic_articles
    from extractors import extract

    for article in synthetic_articles(20, seed=seed + 1):  # warm caches and lazy imports
        extract(article)
    spent = 0.0
    facts = 0
    for article in synthetic_articles(n, seed=seed):
        t = time.perf_counter()
        facts += len(extract(article).facts)
        spent += time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": n,
        "facts": facts,
        "ms_per_article": round(1000 * spent / n, 3),
        "articles_per_s": round(n / spent, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def bench_scaling(targets: tuple[int, ...] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in targets or sizes():
        child = subprocess.run(
            [sys.executable, "-m", "bench.scale", str(n)], capture_output=True, text=True, check=True
        )
        out[str(n)] = json.loads(child.stdout.strip().splitlines()[-1])
    runs = list(out.values())
    if len(runs) >= 2:
        out["cost_ratio_largest_to_smallest"] = round(
            runs[-1]["ms_per_article"] / runs[0]["ms_per_article"], 3
        )
        out["peak_rss_mb_max"] = max(r["peak_rss_mb"] for r in runs)
    return out


if __name__ == "__main__":
    print(json.dumps(run_size(int(sys.argv[1]))))
