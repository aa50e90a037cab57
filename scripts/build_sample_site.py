"""Build the bundled sample site: a recorded crawl of a small Hindi news site, replayed by `make run`.

The articles are the team's own fixture reports (fixtures/site_src and fixtures/reports), rendered as
pages the way real Hindi news sites serve them: half with JSON-LD NewsArticle, half as plain HTML with
share bars, related stories and "और पढ़ें" clutter; a paginated listing, an RSS feed (one item with
tracking parameters), robots.txt with a disallowed path and a Crawl-delay, and one broken page.
The recording is written to fixtures/site (an Archive). Run: python -m scripts.build_sample_site
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from pipeline.archive import Archive
from pipeline.config import FIXTURES

HOST = "https://samachar.example"
FETCHED_AT = "2021-09-30T06:00:00+00:00"  # after every sample article was published
# (source file, published timestamp, JSON-LD?)
PAGES = [
    ("site_src/jabalpur-2021-06-04.txt", "2021-06-04T15:57:00+05:30", True),
    ("reports/a02.txt", "2021-06-18T19:10:00+05:30", False),
    ("reports/c03.txt", "2021-06-22T18:30:00+05:30", True),
    ("reports/a01.txt", None, False),
    ("reports/b01.txt", None, True),
    ("reports/b09.txt", None, False),
    ("reports/c01.txt", None, True),
    ("reports/a12.txt", None, False),
]
HTML_HEADERS = {"content-type": "text/html; charset=utf-8"}


def _gold_published() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for path in (FIXTURES / "gold").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out[rec["file"]] = rec.get("published")
    return out


def _article_html(title: str, paragraphs: list[str], published: str | None, url: str, json_ld: bool) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    ld = ""
    if json_ld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "url": url,
            "articleBody": "\n".join(paragraphs),
            "keywords": "कोरोना, टीकाकरण, वैक्सीनेशन",
        }
        ld = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
    meta = (
        f'<meta property="article:published_time" content="{published}">' if published and not json_ld else ""
    )
    return f"""<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>{html.escape(title)} | समाचार</title>
<link rel="canonical" href="{url}">{meta}{ld}</head><body>
<header><nav><a href="{HOST}/">होम</a> <a href="{HOST}/city/">शहर</a></nav></header>
<div class="share">Share: Facebook Twitter WhatsApp</div>
<article><h1>{html.escape(title)}</h1>{body}</article>
<aside class="related"><h3>और पढ़ें</h3><ul><li><a href="{HOST}/city/">शहर की और खबरें</a></li></ul></aside>
<footer>© 2021 समाचार डिजिटल</footer></body></html>"""


def build(out: Path = FIXTURES / "site") -> Archive:
    if out.exists():
        shutil.rmtree(out)
    archive = Archive(out)
    gold_published = _gold_published()
    links: list[tuple[str, str]] = []
    for i, (src, published, json_ld) in enumerate(PAGES, 1):
        text = (FIXTURES / src).read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title, paragraphs = lines[0], lines[1:]
        published = published or gold_published.get(src)
        url = f"{HOST}/news/{Path(src).stem}-{1000 + i}"
        archive.put(
            url,
            url,
            200,
            HTML_HEADERS,
            _article_html(title, paragraphs, published, url, json_ld).encode(),
            FETCHED_AT,
        )
        links.append((url, title))
    broken = f"{HOST}/news/broken-page-9999"
    archive.put(broken, broken, 200, HTML_HEADERS, b"\x00\x01\x02 not a page \xff\xfe", FETCHED_AT)
    half = len(links) // 2
    pages = [[*links[:half], (broken, "टूटा पेज"), (f"{HOST}/news/draft-1099", "ड्राफ्ट")], links[half:]]
    for n, chunk in enumerate(pages, 1):
        url = f"{HOST}/city/" if n == 1 else f"{HOST}/city/?page={n}"
        items = "".join(f'<li><a href="{u}">{html.escape(t)}</a></li>' for u, t in chunk)
        nxt = f'<a rel="next" href="{HOST}/city/?page={n + 1}">अगला</a>' if n < len(pages) else ""
        page = f'<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>शहर</title></head><body><ul>{items}</ul>{nxt}</body></html>'
        archive.put(url, url, 200, HTML_HEADERS, page.encode(), FETCHED_AT)
    rss_items = "".join(
        f"<item><title>{html.escape(t)}</title><link>{u}?utm_source=rss&amp;utm_medium=feed</link></item>"
        for u, t in links[:3]
    )
    rss = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>समाचार</title>{rss_items}</channel></rss>'
    archive.put(
        f"{HOST}/rss.xml",
        f"{HOST}/rss.xml",
        200,
        {"content-type": "application/rss+xml"},
        rss.encode(),
        FETCHED_AT,
    )
    robots = "User-agent: *\nDisallow: /news/draft\nCrawl-delay: 1\n"
    archive.put(
        f"{HOST}/robots.txt",
        f"{HOST}/robots.txt",
        200,
        {"content-type": "text/plain"},
        robots.encode(),
        FETCHED_AT,
    )
    return archive


if __name__ == "__main__":
    built = build()
    print(f"sample site written to {built.root}")
