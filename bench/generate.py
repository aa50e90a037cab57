"""Synthetic articles for the scaling, storage and Dagster benchmarks, made from the team's fixture reports.

Each synthetic article is one fixture report (the templates) with its figures replaced by seeded random
numbers of the same width and its district names swapped for other districts' Hindi names: the text stays
realistic Hindi news (same sentence shapes, same fact density) while no two articles are alike, so
caches cannot flatter the numbers and the full-text index sees a realistic vocabulary.

Everything is a generator: the 100k-article run never holds more than one article in memory.
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from pipeline.article import Article
from pipeline.config import FIXTURES
from pipeline.places import DATA_DIR

_DIGITS = re.compile(r"\d+")
_START = date(2021, 4, 1)


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    body: str
    districts: tuple[str, ...]  # Hindi district names the text mentions (swapped per article)


@cache
def hindi_districts() -> tuple[str, ...]:
    """Every district's Hindi name from the gazetteer data (single-word ones keep the text natural)."""
    with (DATA_DIR / "districts.csv").open(encoding="utf-8", newline="") as fh:
        names = {row["hindi"].strip() for row in csv.DictReader(fh)}
    return tuple(sorted(n for n in names if n and " " not in n))


@cache
def templates() -> tuple[Template, ...]:
    """The fixture reports as templates, each with the district names it mentions."""
    known = set(hindi_districts())
    out = []
    for path in sorted(FIXTURES.glob("**/reports/*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        words = set(re.findall(r"[\u0900-\u097f]+", text))
        out.append(Template(path.stem, title, body, tuple(sorted(words & known, key=lambda w: (-len(w), w)))))
    return tuple(out)


def _renumber(text: str, rng: random.Random) -> str:
    """Each run of digits becomes a random number of the same width (no leading zero unless width 1)."""

    def repl(m: re.Match[str]) -> str:
        width = len(m.group())
        if width == 1:
            return str(rng.randint(1, 9))
        if width == 2:  # days of the month, hours, ages: keep them plausible
            return str(rng.randint(10, 28))
        return str(rng.randint(10 ** (width - 1), 10**width - 1))

    return _DIGITS.sub(repl, text)


def _swap_districts(text: str, names: tuple[str, ...], rng: random.Random) -> str:
    pool = hindi_districts()
    for name in names:
        text = text.replace(name, rng.choice(pool))
    return text


def synthetic_text(i: int, seed: int = 0) -> tuple[str, str]:
    """(title, text) of synthetic article number i: deterministic for (i, seed)."""
    tpls = templates()
    tpl = tpls[i % len(tpls)]
    rng = random.Random(seed * 1_000_003 + i)
    body = _swap_districts(_renumber(tpl.body, rng), tpl.districts, rng)
    title = _swap_districts(_renumber(tpl.title, rng), tpl.districts, rng)
    return title, title + "\n" + body


def synthetic_articles(n: int, seed: int = 0) -> Iterator[Article]:
    """n synthetic Articles, one at a time, each with a unique URL and a publication day in 2021."""
    for i in range(n):
        title, text = synthetic_text(i, seed)
        yield Article(text=text, title=title, url=f"https://bench.example/news/{seed}-{i}")


def page_html(title: str, text: str, url: str, published: str) -> str:
    """A news page as Hindi sites serve them: JSON-LD-free, story paragraphs among page furniture."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines()[1:] if p.strip())
    meta = json.dumps(published)[1:-1]
    return (
        f'<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<link rel="canonical" href="{url}"><meta property="article:published_time" content="{meta}">'
        '</head><body><header><nav><a href="/">होम</a> <a href="/city/">शहर</a></nav></header>'
        '<div class="share">Share: Facebook Twitter WhatsApp</div>'
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
        '<aside class="related"><h3>और पढ़ें</h3><ul><li><a href="/city/">शहर की और खबरें</a></li></ul>'
        "</aside><footer>© 2021 समाचार डिजिटल</footer></body></html>"
    )


def synthetic_pages(n: int, seed: int = 0, day: date | None = None) -> Iterator[tuple[str, str, str]]:
    """(url, html, published ISO time) of n synthetic pages; all on `day` when given, else spread over
    2021 from April."""
    for i in range(n):
        title, text = synthetic_text(i, seed)
        when = day or _START + timedelta(days=i % 240)
        published = f"{when.isoformat()}T{8 + i % 12:02d}:{i % 60:02d}:00+05:30"
        url = f"https://bench.example/news/{when.isoformat()}/{seed}-{i}"
        yield url, page_html(title, text, url, published), published


def template_count() -> int:
    return len(templates())


def _main() -> None:  # pragma: no cover - a look at what the generator makes
    for title, text in (synthetic_text(i) for i in range(2)):
        print(title, "\n", text[:400], "\n---")


if __name__ == "__main__":
    _main()
