"""Discovery: listing pages, RSS/Atom feeds and (news) sitemaps -> candidate article URLs.

URLs are canonicalised (tracking parameters and fragments dropped, host lower-cased) so that the same
story reached through a feed and a listing page is fetched once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from pipeline.config import Site

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|ref|refsrc|amp|from|src|cmp|ito)$", re.I)
_NON_ARTICLE = re.compile(
    r"/(?:tag|tags|topic|author|category|search|video|videos|photo|photos|gallery|login|signup|about|contact)(?:/|$)"
    r"|\.(?:jpg|jpeg|png|gif|pdf|mp4|mp3|zip|css|js)$",
    re.I,
)


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # "article" | "listing" | "sitemap"
    lastmod: str | None = None


def canonicalize(url: str) -> str:
    parts = urlsplit(url.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def site_for(url: str, sites: tuple[Site, ...]) -> Site | None:
    host = urlsplit(url).netloc.lower()
    for site in sites:
        for start in (*site.start_urls, *site.feeds, *site.sitemaps):
            if urlsplit(start).netloc.lower() == host:
                return site
    return None


def looks_like_article(url: str, site: Site | None) -> bool:
    path = urlsplit(url).path
    if _NON_ARTICLE.search(path):
        return False
    if site and site.article_pattern:
        return re.search(site.article_pattern, path) is not None
    # Generic mode: article slugs are long and hyphenated or end in an id.
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(
        re.search(r"\d{5,}", last) or last.count("-") >= 3 or (re.search(r"\.html?$", last) and "-" in last)
    )


def parse_links(body: str, base_url: str, site: Site | None) -> list[Link]:
    """All links a fetched discovery page offers, by its kind (feed, sitemap or HTML listing)."""
    head = body.lstrip()[:500].lower()
    if "<urlset" in head or "<sitemapindex" in head or ("<?xml" in head and "sitemap" in head):
        return _sitemap_links(body)
    if "<rss" in head or "<feed" in head or ("<?xml" in head and ("<channel" in body[:2000].lower())):
        return _feed_links(body)
    return _html_links(body, base_url, site)


def _xml(body: str) -> etree._Element | None:
    try:
        return etree.fromstring(
            body.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False)
        )
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _sitemap_links(body: str) -> list[Link]:
    root = _xml(body)
    if root is None:
        return []
    is_index = _local(root.tag) == "sitemapindex"
    out = []
    for node in root:
        loc = next((c.text for c in node if _local(c.tag) == "loc" and c.text), None)
        if not loc:
            continue
        lastmod = next(
            (c.text for c in node.iter() if _local(c.tag) in ("lastmod", "publication_date") and c.text), None
        )
        out.append(Link(canonicalize(loc), "sitemap" if is_index else "article", lastmod))
    return out


def _feed_links(body: str) -> list[Link]:
    root = _xml(body)
    if root is None:
        return []
    out = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link = None
        date = None
        for c in item:
            name = _local(c.tag)
            if name == "link":
                link = c.get("href") or (c.text or "").strip() or link
            elif name in ("pubDate", "published", "updated") and c.text:
                date = c.text.strip()
        if link:
            out.append(Link(canonicalize(link), "article", date))
    return out


def _html_links(body: str, base_url: str, site: Site | None) -> list[Link]:
    try:
        tree = lxml_html.fromstring(body)
    except Exception:
        return []
    host = urlsplit(base_url).netloc.lower()
    out: dict[str, Link] = {}
    for a in tree.xpath("//a[@href]"):
        url = canonicalize(urljoin(base_url, a.get("href")))
        if urlsplit(url).netloc.lower() != host or url in out:
            continue
        rel = (a.get("rel") or "").lower()
        if "next" in rel or re.search(r"[?&]page=\d+|/page/\d+/?$", url):
            out[url] = Link(url, "listing")
        elif looks_like_article(url, site):
            out[url] = Link(url, "article")
    return list(out.values())
