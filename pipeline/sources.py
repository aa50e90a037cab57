"""Discovery: listing pages, RSS/Atom feeds and (news) sitemaps -> candidate article URLs.

URLs are canonicalised (tracking parameters and fragments dropped, scheme and host lower-cased, default
ports and percent-escapes normalised, query parameters sorted) so that the same story reached through a
feed, a sitemap and a listing page is one URL, fetched once.

Sites come from the registry (data/sites.toml): their article URL pattern decides what is an article.
Hosts that are not registered are crawled in generic mode: same-host links that look like articles
(a long hyphenated slug or a numeric id), pagination by rel=next, "next" texts or ?page=N forms.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from pipeline.config import Site, registry_data

# Characters left as they are in a canonical path/query ("%" keeps existing escapes).
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Sitemaps may legally be 50 MB uncompressed; a gzip bomb must not get further.
MAX_DECOMPRESSED = 60_000_000


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # "article" | "listing" | "feed" | "sitemap" | "document" | "start"
    lastmod: str | None = None
    title: str | None = None
    found_on: str | None = None


# ---------------------------------------------------------------------------------------- vocabulary
@cache
def _urls_vocab() -> dict[str, Any]:
    return dict(registry_data().get("urls", {}))


@cache
def _discovery_vocab() -> dict[str, Any]:
    return dict(registry_data().get("discovery", {}))


@cache
def _tracking() -> tuple[frozenset[str], tuple[str, ...]]:
    vocab = _urls_vocab()
    names = frozenset(p.lower() for p in vocab.get("tracking_params", []))
    return names, tuple(p.lower() for p in vocab.get("tracking_prefixes", []))


@cache
def _non_article_re() -> re.Pattern[str]:
    segments = "|".join(re.escape(s) for s in _discovery_vocab().get("non_article_segments", []))
    return re.compile(rf"/(?:{segments})(?:/|$)", re.I)


@cache
def _extensions(kind: str) -> frozenset[str]:
    return frozenset(e.lower() for e in _discovery_vocab().get(kind, []))


@cache
def _next_texts() -> frozenset[str]:
    return frozenset(t.strip().lower() for t in _discovery_vocab().get("next_texts", []))


@cache
def _page_path_re() -> re.Pattern[str]:
    return re.compile(_discovery_vocab().get("page_path", r"/page/\d+/?$"), re.I)


@cache
def _page_params() -> frozenset[str]:
    return frozenset(_discovery_vocab().get("page_params", ["page"]))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# ---------------------------------------------------------------------------------------- URLs
def _is_tracking(name: str) -> bool:
    names, prefixes = _tracking()
    low = name.lower()
    return low in names or low.startswith(prefixes)


def canonicalize(url: str) -> str:
    """The canonical form of a URL: what the seen-table and the frontier key on.

    >>> canonicalize("HTTPS://Example.COM:443/a b/?utm_source=x&b=2&a=1#top")
    'https://example.com/a%20b/?a=1&b=2'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _normalise_escapes(quote(parts.path or "/", safe=_SAFE_PATH))
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(pairs), quote_via=quote, safe=_SAFE_QUERY.replace("&", "").replace("=", ""))
    return urlunsplit((scheme, netloc, path, query, ""))


def _normalise_escapes(s: str) -> str:
    """Upper-case hex in %-escapes (RFC 3986 equivalence)."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group().upper(), s)


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without a leading "www." (www.x.com and x.com are one site)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def netloc_of(url: str) -> str:
    """host[:port] as politeness keys it: every netloc is its own host for robots.txt and delays."""
    return urlsplit(url).netloc.lower()


def same_host(a: str, b: str) -> bool:
    return host_of(a) == host_of(b) and (urlsplit(a).port == urlsplit(b).port)


def _path_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def site_for(url: str, sites: tuple[Site, ...]) -> Site | None:
    """The registered site a URL belongs to (its host or a subdomain of it), or None (generic mode)."""
    host = (urlsplit(url).hostname or "").lower()
    for site in sites:
        for name in site.host_names:
            if name and (host == name or host.endswith("." + name)):
                return site
    return None


def extension(url: str) -> str:
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def is_document(url: str) -> bool:
    """A link to a PDF/office document: never fetched, recorded as skipped (type)."""
    return extension(url) in _extensions("document_extensions")


def _ignored(url: str) -> bool:
    return extension(url) in _extensions("ignored_extensions")


def looks_like_article(url: str, site: Site | None) -> bool:
    """Does the URL look like one story (not a section, tag, media or account page)?"""
    pq = _path_query(url)
    if _ignored(url) or is_document(url):
        return False
    if site and site.exclude_pattern and _compiled(site.exclude_pattern).search(pq):
        return False
    if site and site.article_pattern:
        return _compiled(site.article_pattern).search(pq) is not None
    path = urlsplit(url).path
    if _non_article_re().search(path) or is_listing_like(url):
        return False
    # Generic mode: article slugs are long and hyphenated or carry a numeric id.
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.(?:html?|php|aspx?|cms)$", "", last, flags=re.I)
    return bool(
        re.search(r"\d{5,}", stem)
        or stem.count("-") >= 3
        or (stem.count("-") >= 2 and re.search(r"-\d{4,}$", stem))
        or (re.search(r"\.(?:html?|cms)$", last, re.I) and "-" in stem)
        or any(
            k in _page_params() | {"id", "autono", "storyid", "newsid"} and v.isdigit() and len(v) >= 4
            for k, v in parse_qsl(urlsplit(url).query)
        )
    )


def is_listing_like(url: str) -> bool:
    """A paginated listing URL (?page=2, /page/2, -page2.html)."""
    parts = urlsplit(url)
    if any(k in _page_params() and v.isdigit() for k, v in parse_qsl(parts.query)):
        return True
    return bool(re.search(r"(?:/page/\d+/?|[-_/]page-?\d+(?:\.html?)?)$", parts.path, re.I))


def _strip_page(url: str) -> str:
    """The listing a page of it belongs to: ?page=N and /page/N forms removed."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in _page_params()])
    path = _page_path_re().sub("", parts.path) or "/"
    path = re.sub(r"\.html?$", "", path).rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, query, ""))


def same_listing(candidate: str, current: str) -> bool:
    """Is `candidate` another page of the listing `current` (page 2 of /city/, /news/page/3 …)?"""
    return (
        candidate != current
        and _strip_page(candidate) == _strip_page(current)
        and (is_listing_like(candidate) or is_listing_like(current))
    )


def pagination_urls(start_url: str, site: Site | None, upto: int) -> list[str]:
    """Listing pages 2..upto of a start URL built from the site's `pagination` template."""
    if site is None or not site.pagination:
        return []
    stem = re.sub(r"\.html?$", "", start_url)
    return [canonicalize(site.pagination.format(url=start_url, stem=stem, n=n)) for n in range(2, upto + 1)]


# ---------------------------------------------------------------------------------------- bodies
def kind_of(body: str, content_type: str | None = None) -> str:
    """ "sitemap", "feed" or "html": what a fetched discovery page is, by its content."""
    head = re.sub(r"<!--.*?-->", "", body.lstrip("\ufeff \t\r\n")[:3000], flags=re.S).lstrip().lower()
    if re.search(r"<(?:\w+:)?(?:urlset|sitemapindex)\b", head):
        return "sitemap"
    if re.search(r"<(?:rss|feed|rdf:rdf)\b", head) or ("<?xml" in head[:100] and "<channel" in head):
        return "feed"
    ctype = (content_type or "").lower()
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    return "html"


def unpack(body: bytes) -> bytes:
    """A gzipped sitemap (sitemap.xml.gz served as a file) -> its bytes, bounded against gzip bombs."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    out = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = out.decompress(body, MAX_DECOMPRESSED)
    except zlib.error:
        try:
            return gzip.decompress(body)[:MAX_DECOMPRESSED]
        except (OSError, EOFError):
            return body
    return data


def parse_links(body: str, base_url: str, site: Site | None, content_type: str | None = None) -> list[Link]:
    """All links a fetched discovery page offers, by its kind (feed, sitemap or HTML listing)."""
    kind = kind_of(body, content_type)
    if kind == "sitemap":
        return _sitemap_links(body, base_url, site)
    if kind == "feed":
        return _feed_links(body, base_url, site)
    return _html_links(body, base_url, site)


def _xml(body: str) -> Any:
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", body.lstrip("\ufeff"))
    try:
        return etree.fromstring(
            body.encode("utf-8"),
            parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False),
        )
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _child_text(node: Any, *names: str) -> str | None:
    for child in node.iter():
        if child is not node and _local(child.tag) in names and child.text and child.text.strip():
            return str(child.text.strip())
    return None


def _accept_article(url: str, base_url: str, site: Site | None) -> bool:
    """A link from a feed/sitemap is an article when it is http(s), not media, and (for a registered
    site) matches its article pattern. Sitemaps may only list URLs of their own host."""
    if urlsplit(url).scheme not in ("http", "https") or _ignored(url) or is_document(url):
        return False
    if site is not None and (same_host(url, base_url) or site_for(url, (site,)) is site):
        return looks_like_article(url, site)
    return True


def _sitemap_links(body: str, base_url: str, site: Site | None) -> list[Link]:
    root = _xml(body)
    if root is None:
        return []
    is_index = _local(root.tag) == "sitemapindex"
    out: dict[str, Link] = {}
    for node in root:
        if not isinstance(node.tag, str) or _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = next((c.text.strip() for c in node if _local(c.tag) == "loc" and c.text), None)
        if not loc:
            continue
        url = canonicalize(urljoin(base_url, loc))
        if not same_host(url, base_url) or url in out:
            continue  # the sitemaps protocol: a sitemap lists URLs of its own host only
        lastmod = _child_text(node, "publication_date", "lastmod")
        if is_index:
            out[url] = Link(url, "sitemap", lastmod, None, base_url)
        elif _accept_article(url, base_url, site):
            out[url] = Link(url, "article", lastmod, _child_text(node, "title"), base_url)
    return list(out.values())


def _feed_links(body: str, base_url: str, site: Site | None) -> list[Link]:
    root = _xml(body)
    if root is None:
        return []
    out: dict[str, Link] = {}
    for item in root.iter():
        if not isinstance(item.tag, str) or _local(item.tag) not in ("item", "entry"):
            continue
        link = None
        for c in item:
            if not isinstance(c.tag, str) or _local(c.tag) != "link":
                continue
            rel = (c.get("rel") or "alternate").lower()
            href = c.get("href") or (c.text or "").strip()
            if href and rel == "alternate":
                link = href
                break
        if link is None:
            guid = next((c for c in item if isinstance(c.tag, str) and _local(c.tag) in ("guid", "id")), None)
            permalink = guid is not None and (guid.get("isPermaLink") or "true").lower() == "true"
            if permalink and guid is not None and (guid.text or "").strip().startswith("http"):
                link = (guid.text or "").strip()
        if not link:
            continue
        url = canonicalize(urljoin(base_url, link))
        if url in out or not _accept_article(url, base_url, site):
            continue
        stamp = _child_text(item, "pubdate", "published", "date", "updated", "issued", "modified")
        out[url] = Link(url, "article", stamp, _child_text(item, "title"), base_url)
    return list(out.values())


def _anchor_is_next(a: Any) -> bool:
    rel = (a.get("rel") or "").lower().split()
    if "next" in rel:
        return True
    text = " ".join((a.text_content() or "").split()).lower()
    label = (a.get("aria-label") or a.get("title") or "").strip().lower()
    return bool(text and text in _next_texts()) or bool(label and label in _next_texts())


def _html_links(body: str, base_url: str, site: Site | None) -> list[Link]:
    try:
        tree = lxml_html.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", body) or "<html/>")
    except (etree.ParserError, ValueError):
        return []
    base = next(iter(tree.xpath("//base/@href")), None)
    base_url_eff = urljoin(base_url, str(base)) if base else base_url
    out: dict[str, Link] = {}
    current = canonicalize(base_url)
    candidates = [(el, el.get("href")) for el in tree.xpath("//a[@href] | //link[@rel='next'][@href]")]
    for el, href in candidates:
        href = (href or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")):
            continue
        url = canonicalize(urljoin(base_url_eff, href))
        if url == current or url in out or urlsplit(url).scheme not in ("http", "https"):
            continue
        if not same_host(url, base_url):
            continue
        if is_document(url):
            out[url] = Link(url, "document", None, _title(el), base_url)
        elif _ignored(url):
            continue
        elif _is_pagination(el, url, current, site):
            out[url] = Link(url, "listing", None, "next" if _anchor_is_next(el) else None, base_url)
        elif looks_like_article(url, site):
            out[url] = Link(url, "article", None, _title(el), base_url)
    return list(out.values())


def _is_pagination(el: Any, url: str, current: str, site: Site | None) -> bool:
    if site and site.listing_pattern and not _compiled(site.listing_pattern).search(_path_query(url)):
        return False
    if site and site.article_pattern and looks_like_article(url, site):
        return False
    return _anchor_is_next(el) or same_listing(url, current)


def _title(el: Any) -> str | None:
    text = " ".join((el.text_content() or "").split()) if hasattr(el, "text_content") else ""
    return text[:300] or None
