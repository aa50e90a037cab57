"""Pages of a small Hindi news site for the crawler tests, rendered the way real sites serve them.

Story texts are the team's own fixture reports (fixtures/reports/*.txt). Layouts: JSON-LD NewsArticle;
plain HTML with a share bar, a "Created On" stamp, a tag list, "और पढ़ेंकम पढ़ें" and a "Next Story"
teaser; and the bhaskarhindi city-page layout (per-site parser). Listing pages paginate with rel=next,
feeds are RSS 2.0, sitemaps are Google-News sitemaps. `conditional()` adds ETag / Last-Modified and
answers If-None-Match / If-Modified-Since with 304 the way a well-configured server does.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from pathlib import Path

from tests.testsite.server import Reply, Request

REPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "reports"
LAST_MODIFIED = "Fri, 04 Jun 2021 10:27:00 GMT"


def report(name: str) -> tuple[str, list[str]]:
    """(headline, paragraphs) of fixtures/reports/<name>.txt, stamp lines left out."""
    lines = [ln.strip() for ln in (REPORTS / f"{name}.txt").read_text(encoding="utf-8").splitlines()]
    lines = [
        ln for ln in lines if ln and not ln.lower().startswith(("updated on", "created on", "published"))
    ]
    return lines[0], lines[1:]


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    url: str,
    published: str | None = "2021-06-04T15:57:00+05:30",
    layout: str = "jsonld",
    canonical: str | None = None,
    charset: str = "utf-8",
    english_title: str = "Vaccination drive report from the district",
) -> str:
    """One article page. layout: jsonld | plain | bhaskarhindi."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    canonical_tag = f'<link rel="canonical" href="{canonical or url}">'
    head = f'<meta charset="{charset}"><title>{html.escape(title)} | समाचार</title>{canonical_tag}'
    if layout == "jsonld":
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "url": canonical or url,
            "articleBody": "\n".join(paragraphs),
            "keywords": "कोरोना, टीकाकरण, वैक्सीनेशन",
        }
        head += f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        story = f"<article><h1>{html.escape(title)}</h1>{body}</article>"
    elif layout == "plain":
        if published:
            head += f'<meta property="article:published_time" content="{published}">'
        story = f"""<article><h1>{html.escape(title)}</h1>
<div class="share-bar">Share: Facebook Twitter WhatsApp</div>
{body}
<p>Created On :   4 Jun 2021 3:57 PM IST</p>
<div>Tags</div><ul class="tag-list"><li><a href="/tag/corona">कोरोना</a></li></ul>
<p>और पढ़ेंकम पढ़ें</p>
<p>Next Story</p>
<p>दूसरे जिले में बारिश के कारण मंडी में आवक घटी, व्यापारी परेशान रहे और भाव बढ़ गए।</p></article>"""
    elif layout == "bhaskarhindi":
        story = f"""<div class="container"><h1 class="story-title">{html.escape(title)}</h1>
<h2 class="english">{html.escape(english_title)}</h2>
<div class="created-on">Created On :   4 Jun 2021 3:57 PM IST</div>
<div class="social-share"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
<div class="story-content">{html.escape(title)}<br>{"<br>".join(html.escape(p) for p in paragraphs)}
<div class="related-news"><h3>यह भी पढ़ें</h3><a href="/city/news/other-story-77777">दूसरी खबर का शीर्षक यहां है</a></div>
</div>
<div class="tags"><span>Tags</span><a href="/tags/vaccine">वैक्सीन</a></div>
<a class="read-more" href="#">और पढ़ेंकम पढ़ें</a>
<div class="next-story">Next Story</div></div>"""
    else:
        raise ValueError(layout)
    return f"""<!DOCTYPE html><html lang="hi"><head>{head}</head><body>
<header><nav><a href="/">होम</a> <a href="/city/jabalpur">जबलपुर</a> <a href="/tag/corona">कोरोना</a></nav></header>
{story}
<aside class="related"><h3>और पढ़ें</h3><ul><li><a href="/city/jabalpur">शहर की और खबरें</a></li></ul></aside>
<footer>© 2021 समाचार डिजिटल</footer></body></html>"""


def listing_html(links: list[tuple[str, str]], next_url: str | None = None, extra: str = "") -> str:
    items = "".join(f'<li><a href="{u}">{html.escape(t)}</a></li>' for u, t in links)
    nxt = f'<a rel="next" href="{next_url}">अगला</a>' if next_url else ""
    return (
        '<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>शहर की खबरें</title></head><body>'
        f'<nav><a href="/">होम</a> <a href="/tag/vaccine">टैग</a> <a href="/author/desk">डेस्क</a></nav>'
        f"<ul>{items}</ul>{extra}{nxt}</body></html>"
    )


def rss(items: list[tuple[str, str, str | None]]) -> str:
    """items: (link, title, pubDate RFC 822 or None)."""
    out = []
    for link, title, date in items:
        pub = f"<pubDate>{date}</pubDate>" if date else ""
        out.append(f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>{pub}</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>समाचार</title>'
        f"{''.join(out)}</channel></rss>"
    )


def news_sitemap(entries: list[tuple[str, str]]) -> str:
    """entries: (loc, publication date ISO 8601)."""
    urls = "".join(
        f"<url><loc>{html.escape(loc)}</loc><news:news><news:publication><news:name>समाचार</news:name>"
        f"<news:language>hi</news:language></news:publication><news:publication_date>{date}"
        f"</news:publication_date><news:title>खबर</news:title></news:news></url>"
        for loc, date in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def conditional(make: Callable[[], Reply]) -> Callable[[Request], Reply]:
    """A route with validators: ETag (a hash of the body) and Last-Modified; 304 when they match."""

    def route(request: Request) -> Reply:
        reply = make()
        etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
        reply.headers = {**reply.headers, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("if-none-match") == etag or (
            "if-none-match" not in request.headers
            and request.headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return Reply(304, b"", {"ETag": etag})
        return reply

    return route


def sequence(*replies: Reply) -> Callable[[Request], Reply]:
    """The n-th request gets the n-th reply (the last one repeats): "500, then 200"."""

    def route(request: Request) -> Reply:
        return replies[min(request.n, len(replies)) - 1]

    return route
