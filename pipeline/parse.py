"""HTML or plain text -> Article.

Order for HTML: JSON-LD NewsArticle -> page metadata (og:, article:published_time, canonical) ->
trafilatura for the body when JSON-LD has none. A publication date is accepted only from a source we can
name (JSON-LD, a meta tag, a stamp in the text, the URL path) — never from a "© 2021" footer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

from pipeline.article import Article, devanagari_share
from pipeline.dates import date_from_url, parse_timestamp

# Lines that scraped pages carry around the story and that never state a fact.
_JUNK_LINE = re.compile(
    r"^\s*(?:Tags|Next Story|Share:?|Comments|Post a Comment|logo-image|और पढ़ें\s*(?:कम पढ़ें)?|"
    r"Join WhatsApp Group.*|Created On\s*:.*|Updated on\s*:.*|Follow us.*|Also Read.*|यह भी पढ़ें.*)\s*$",
    re.IGNORECASE,
)


class ParseError(ValueError):
    """The input cannot become an Article (empty, binary, no text). The message says why."""


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a page: BOM, HTTP charset, <meta charset>, then UTF-8, then cp1252 as the last resort.

    A declared charset is trusted only if the bytes decode cleanly with it: Hindi pages that declare
    ISO-8859-1 but send UTF-8 would otherwise come out as mojibake.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    candidates: list[str] = []
    if content_type:
        m = re.search(r"charset=([\w-]+)", content_type, re.I)
        if m:
            candidates.append(m.group(1))
    m2 = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    if m2:
        candidates.append(m2.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for enc in [
        c for c in candidates if c.lower().replace("_", "-") not in {"iso-8859-1", "latin-1", "ascii"}
    ]:
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("cp1252", errors="replace")


def article_from_text(text: str, *, url: str | None = None, published: datetime | None = None) -> Article:
    """A plain-text report: the first non-empty line is the headline; the text is kept verbatim."""
    if not text.strip():
        raise ParseError("empty document: no text to extract from")
    if "\x00" in text[:2000]:
        raise ParseError("binary document: the input contains NUL bytes")
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    art = Article(text=text, url=url, title=title, parser="text", devanagari_share=devanagari_share(text))
    _set_published(art, published, text)
    return art


def article_from_html(
    page: str | bytes, *, url: str | None = None, published: datetime | None = None, site: str | None = None
) -> Article:
    """Parse one news page. Raises ParseError with a reason when no article text can be found."""
    html = decode_body(page) if isinstance(page, bytes) else page
    if not html.strip():
        raise ParseError("empty document")
    try:
        tree = lxml_html.fromstring(html)
    except Exception as exc:  # lxml raises several types on garbage; all mean "not HTML"
        raise ParseError(f"not parseable as HTML: {exc}") from exc
    ld = _json_ld_article(tree)
    meta = _meta(tree)
    title = _clean(ld.get("headline") or meta.get("og:title") or _first_text(tree, "//h1") or "")
    title = title or _clean(_first_text(tree, "//title") or "")
    paragraphs = _paragraphs_from_ld(ld) or _paragraphs_from_html(html, url)
    paragraphs = [p for p in paragraphs if not _JUNK_LINE.match(p) and p != title]
    if not paragraphs:
        raise ParseError("no article body found (no JSON-LD articleBody and no main text)")
    text = (title + "\n\n" if title else "") + "\n".join(paragraphs)
    canonical = meta.get("canonical") or ld.get("url") or url
    art = Article(
        text=text,
        url=url,
        canonical_url=canonical,
        title=title or None,
        paragraphs=paragraphs,
        tags=_tags(ld, meta),
        site=site or (urlsplit(url).hostname if url else None),
        parser="json-ld" if ld.get("articleBody") else "trafilatura",
        devanagari_share=devanagari_share(text),
    )
    stamp = ld.get("datePublished") or meta.get("article:published_time")
    if published is None and stamp:
        published = parse_timestamp(str(stamp))
        art.published_source = "json-ld" if ld.get("datePublished") else "meta"
    modified = ld.get("dateModified") or meta.get("article:modified_time")
    art.modified = parse_timestamp(str(modified)) if modified else None
    _set_published(art, published, html)
    return art


def _set_published(art: Article, published: datetime | None, raw: str) -> None:
    from pipeline.dates import find_timestamp

    if published is not None:
        art.published = published
        art.published_source = art.published_source or "input"
        return
    found = find_timestamp(raw)
    if found is not None:
        art.published, art.published_source = found[0], "text-stamp"
        return
    if art.url:
        day, precision = date_from_url(art.url)
        if day is not None and precision == "day":
            from pipeline.dates import IST

            art.published = datetime(day.year, day.month, day.day, tzinfo=IST)
            art.published_source = "url"


def _iter_ld(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, list):
        for item in obj:
            yield from _iter_ld(item)
    elif isinstance(obj, dict):
        yield obj
        if "@graph" in obj:
            yield from _iter_ld(obj["@graph"])


def _json_ld_article(tree: Any) -> dict[str, Any]:
    for node in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(node, strict=False)
        except ValueError:
            continue
        for item in _iter_ld(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"} for k in kinds):
                return item
    return {}


def _meta(tree: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key and key not in out:
            out[key] = el.get("content")
    for el in tree.xpath('//link[@rel="canonical"][@href]'):
        out.setdefault("canonical", el.get("href"))
    return out


def _first_text(tree: Any, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return found[0].text_content() if found else None


def _clean(s: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", s).strip()


def _paragraphs_from_ld(ld: dict[str, Any]) -> list[str]:
    body = ld.get("articleBody")
    if not isinstance(body, str):
        return []
    return [_clean(p) for p in re.split(r"\n+", body) if _clean(p)]


def _paragraphs_from_html(html: str, url: str | None) -> list[str]:
    import trafilatura

    extracted = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, deduplicate=True
    )
    if not extracted:
        return []
    return [_clean(p) for p in extracted.splitlines() if _clean(p)]


def _tags(ld: dict[str, Any], meta: dict[str, str]) -> list[str]:
    raw = ld.get("keywords") or meta.get("keywords") or meta.get("news_keywords") or ""
    if isinstance(raw, list):
        return [str(t).strip() for t in raw if str(t).strip()]
    return [t.strip() for t in str(raw).split(",") if t.strip()]
