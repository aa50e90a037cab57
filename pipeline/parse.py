"""HTML or plain text -> Article.

Each field of an HTML page comes from the first source that has it, in this order:

1. JSON-LD NewsArticle (headline, datePublished, dateModified, articleBody, keywords, url);
2. the per-site parser of a registered site (XPaths in data/site_parsers.toml, read with lxml);
3. page metadata (og:, article:published_time, <link rel=canonical>, <time>, visible stamps such as
   "Created On : 4 Jun 2021 3:57 PM IST") and trafilatura for the body; when trafilatura finds
   nothing, the block of the page with the most text.

Boilerplate that real pages carry is stripped from the body: repeated headlines, "Created On" and
"Updated" stamps, "Tags", "और पढ़ें"/"कम पढ़ें", "Next Story" (and the next story after it), share bars,
related-story lists, ads and app promotions (data/site_parsers.toml [generic]).

A publication date is accepted only from a source we can name (JSON-LD, the site's stamp, a meta tag,
a <time> element, a labelled stamp in the page, the URL path) — never from a "© 2021" footer — and
never when it lies after the time the page was fetched. Stamps without a zone are IST; numeric dates
are day-month (pipeline.dates.parse_timestamp).

Bytes are decoded from the BOM, the HTTP charset, the <meta>/XML declaration, UTF-8 and charset
detection, in an order that never turns Hindi UTF-8 into mojibake (see `decode_body`).
"""

from __future__ import annotations

import ast
import copy
import html as html_lib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from pipeline.article import Article, devanagari_share
from pipeline.dates import IST, date_from_url, parse_timestamp

# Lines that scraped plain-text reports carry around the story (article_from_text keeps them: its text
# is the exact input; this pattern is kept for callers that filter lines).
_JUNK_LINE = re.compile(
    r"^\s*(?:Tags|Next Story|Share:?|Comments|Post a Comment|logo-image|और पढ़ें\s*(?:कम पढ़ें)?|"
    r"Join WhatsApp Group.*|Created On\s*:.*|Updated on\s*:.*|Follow us.*|Also Read.*|यह भी पढ़ें.*)\s*$",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr"}
    | {"td", "th", "section", "article", "header", "footer", "pre", "dd", "dt", "dl", "hr", "tbody"}
    | {"thead", "main", "address", "center"}
)
# A publication stamp more than this far after the fetch time is a wrong stamp (clock skew allowance).
_FUTURE_SLACK = timedelta(minutes=5)
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_LD_BODY_MIN = 200  # characters: shorter JSON-LD bodies are summaries, not the story
_SITE_BODY_MIN = 80
_MIN_LETTERS = 40  # a story has at least a sentence; a page with less is a menu or an error page


class ParseError(ValueError):
    """The input cannot become an Article (empty, binary, no text). The message says why."""


# ---------------------------------------------------------------------------------------- data
@cache
def _data() -> dict[str, Any]:
    with open(Path(__file__).with_name("data") / "site_parsers.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def _generic() -> dict[str, Any]:
    return dict(_data()["generic"])


@cache
def _line_res(key: str) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + "|".join(_generic()[key]) + r")\s*$", re.I)


def is_junk_line(line: str) -> bool:
    """A line of page furniture ("ये भी पढ़ें: …", share bars, "Updated: …"): never story text. Lines that
    end the story ("Next Story", "Tags") are not junk: readers of the text stop at them."""
    return _line_res("junk_lines").match(line) is not None and _line_res("stop_lines").match(line) is None


@cache
def _boilerplate_attr_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _generic()["boilerplate_attrs"]))


@cache
def _site_names() -> frozenset[str]:
    return frozenset(_norm(n) for n in _generic()["site_names"])


@cache
def _label_re(key: str) -> re.Pattern[str]:
    labels = sorted(_generic()[key], key=len, reverse=True)
    alternation = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in labels)
    return re.compile(
        rf"(?<![\w\u0900-\u097f])(?:{alternation})(?![\w\u0900-\u097f])\s*(?:on|at)?\s*[:：|\-–—]*", re.I
    )


@dataclass(frozen=True)
class SiteParser:
    """XPaths of one site's article layout (data/site_parsers.toml [site.NAME])."""

    name: str
    title: tuple[etree.XPath, ...] = ()
    body: tuple[etree.XPath, ...] = ()
    published: tuple[etree.XPath, ...] = ()
    modified: tuple[etree.XPath, ...] = ()
    tags: tuple[etree.XPath, ...] = ()
    drop: tuple[etree.XPath, ...] = ()


@cache
def site_parser(name: str | None) -> SiteParser | None:
    """The per-site parser for a site name of the registry (its `parser` entry, else its name)."""
    if not name:
        return None
    from pipeline.config import default_sites

    site = next((s for s in default_sites() if s.name == name), None)
    key = (site.parser if site and site.parser else name) if site else name
    raw = _data().get("site", {}).get(key)
    if raw is None:
        return None
    compiled = {
        k: tuple(etree.XPath(x) for x in raw.get(k, []))
        for k in ("title", "body", "published", "modified", "tags", "drop")
    }
    return SiteParser(name=key, **compiled)


# ---------------------------------------------------------------------------------------- decoding
_MOJIBAKE = re.compile("à¤|à¥|Ã |Ã¤|â€")


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a page so that Hindi never comes out as mojibake.

    Order: a BOM (UTF-8/UTF-16/UTF-32) wins; then UTF-8 when the bytes are valid UTF-8 and not plain
    ASCII (a declaration of ISO-8859-1/windows-1252 on a UTF-8 Hindi page is the classic mistake, and
    legacy-encoded text practically never forms valid multi-byte UTF-8); then the charset of the HTTP
    header, then the <meta>/XML declaration, each only if the bytes decode cleanly with it; then
    charset detection; UTF-8 with replacement characters as the last resort. Text that was encoded
    twice (UTF-8 read as windows-1252 and saved again) is repaired.
    """
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if body.startswith(bom):
            return _repair(body[len(bom) :].decode(enc, errors="replace"))
    if not body.isascii():
        try:
            return _repair(body.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    for enc in _declared_charsets(body, content_type):
        try:
            return _repair(body.decode(enc))
        except (UnicodeDecodeError, LookupError):
            continue
    if body.isascii():
        return body.decode("ascii")
    try:  # the web's default for undeclared Western pages (WHATWG); it cannot hold Indic scripts
        return body.decode("cp1252")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return _repair(body.decode(best.encoding, errors="replace"))
    except (ImportError, LookupError):
        pass
    return body.decode("utf-8", errors="replace")


def _declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    found: list[str] = []
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
        if m:
            found.append(m.group(1))
    head = body[:4096]
    for rx in (
        rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)",
        rb"<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)",
    ):
        m2 = rx and re.search(rx, head, re.I)
        if m2:
            found.append(m2.group(1).decode("ascii", "ignore"))
    out = []
    for enc in found:
        enc = enc.strip().lower()
        # ISO-8859-1 is read as windows-1252, as browsers do (WHATWG Encoding).
        enc = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}.get(
            enc, enc
        )
        if enc not in out:
            out.append(enc)
    return out


def _repair(text: str) -> str:
    """Undo double encoding ("à¤•à¥‹à¤°à¥‹à¤¨à¤¾" -> "कोरोना": UTF-8 bytes read as windows-1252, the five
    bytes it leaves undefined kept as C1 controls, and saved again) when the page is full of it."""
    if len(_MOJIBAKE.findall(text[:20_000])) < 5:
        return text
    raw = bytearray()
    for ch in text:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return text  # a character no single byte made: not double encoding
            raw.append(ord(ch))
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text
    return fixed if devanagari_share(fixed) > devanagari_share(text) else text


# ---------------------------------------------------------------------------------------- text input
def article_from_text(
    text: str, *, url: str | None = None, published: datetime | None = None, fetched: datetime | None = None
) -> Article:
    """A plain-text report: the first non-empty line is the headline; the text is kept verbatim.

    As for HTML, a stamp or URL date after `fetched` (default: now) or before 1995 is no publication time."""
    if not text.strip():
        raise ParseError("empty document: no text to extract from")
    if "\x00" in text[:2000]:
        raise ParseError("binary document: the input contains NUL bytes")
    _refuse_surrogates(text)
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    art = Article(text=text, url=url, title=title, parser="text", devanagari_share=devanagari_share(text))
    _set_published_from_text(art, published, text, (fetched or datetime.now(UTC)) + _FUTURE_SLACK)
    return art


def _refuse_surrogates(text: str) -> None:
    """A str with lone surrogates (from JSON "\\ud800" or surrogateescape) is no text: it cannot be
    tokenised, stored in SQLite or written as UTF-8, so it is refused here rather than deep inside."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError(f"not valid Unicode: a lone surrogate at character {exc.start}") from exc


def _set_published_from_text(art: Article, published: datetime | None, raw: str, upper: datetime) -> None:
    from pipeline.dates import find_timestamp

    if published is not None:
        art.published = published
        art.published_source = art.published_source or "input"
        return
    found = find_timestamp(raw)
    if found is not None and _EARLIEST <= found[0] <= upper:
        art.published, art.published_source = found[0], "text-stamp"
        return
    if art.url:
        day, precision = date_from_url(art.url)
        stamp = datetime(day.year, day.month, day.day, tzinfo=IST) if day is not None else None
        if stamp is not None and precision == "day" and _EARLIEST <= stamp <= upper:
            art.published = stamp
            art.published_source = "url"


# ---------------------------------------------------------------------------------------- HTML input
# Characters XML cannot hold (C0 controls but tab and line breaks, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_tree(html: str) -> Any:
    """lxml tree of a page; malformed HTML is repaired the way browsers do (lxml's recovering parser)."""
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    html = _NOT_XML.sub("", html)  # invisible junk that lxml refuses to set as text later (_drop_keep_tail)
    if not html.strip():
        raise ParseError("empty document")
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"not parseable as HTML: {exc}") from exc
    # Comments are invisible; their tails are text ("a<!-- x -->b" reads "ab").
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return tree


def canonical_link(tree: Any, base_url: str | None) -> str | None:
    """<link rel=canonical>, else og:url: the URL the page says it lives at (absolute)."""
    for xpath in (
        "//link[@rel='canonical']/@href",
        "//link[contains(@rel,'canonical')]/@href",
        "//meta[@property='og:url']/@content",
    ):
        for href in tree.xpath(xpath):
            href = str(href).strip()
            if href and not href.startswith(("#", "javascript:")):
                return urljoin(base_url or "", href)
    return None


def article_from_html(
    page: str | bytes,
    *,
    url: str | None = None,
    published: datetime | None = None,
    site: str | None = None,
    content_type: str | None = None,
    fetched: datetime | None = None,
) -> Article:
    """Parse one news page. Raises ParseError with a reason when no article text can be found.

    `site` is a registry name (its per-site parser is used); `fetched` bounds the publication date
    (a page cannot be published after it was fetched; default: now).
    """
    html = decode_body(page, content_type) if isinstance(page, bytes) else page
    _refuse_surrogates(html)
    tree = parse_tree(html)
    ld = _json_ld_article(tree)
    meta = _meta(tree)
    parser = site_parser(site)
    titles = _title_candidates(tree, ld, meta, parser)
    title = titles[0] if titles else ""
    paragraphs, source = _body(tree, url, ld, parser)
    paragraphs = clean_paragraphs(paragraphs, titles + _h1_texts(tree))
    letters = sum(1 for p in paragraphs for c in p if c.isalpha())
    if letters < _MIN_LETTERS:
        raise ParseError(
            "no article body found (no JSON-LD articleBody, no site layout match, no main text"
            + (f"; only {letters} letters of text)" if paragraphs else ")")
        )
    text = (title + "\n\n" if title else "") + "\n".join(paragraphs)
    upper = (fetched or datetime.now(UTC)) + _FUTURE_SLACK
    art = Article(
        text=text,
        url=url,
        canonical_url=_canonical(tree, ld, url),
        title=title or None,
        paragraphs=paragraphs,
        tags=_tags(tree, ld, meta, parser),
        site=site or _hostname(url),
        parser=source,
        devanagari_share=devanagari_share(text),
    )
    # the visible text is needed only when no JSON-LD or meta stamp gives the times, and then once
    visible: Callable[[], str] = cache(lambda: _visible_text(tree))
    if published is not None:
        art.published, art.published_source = published, "input"
    else:
        found = _first_stamp(_published_candidates(tree, ld, meta, parser, visible, url), upper)
        if found is not None:
            art.published, art.published_source = found
    modified = _first_stamp(_modified_candidates(tree, ld, meta, parser, visible), upper)
    if modified is not None and (art.published is None or modified[0] >= art.published):
        art.modified = modified[0]
    art.dateline = _dateline(paragraphs)
    return art


# ---------------------------------------------------------------------------------------- JSON-LD
def _iter_ld(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, list):
        for item in obj:
            yield from _iter_ld(item)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in obj:
                yield from _iter_ld(obj[key])


def _load_json(text: str) -> Any:
    """JSON-LD as sites write it: control characters in strings, trailing commas, HTML comments."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
    except ValueError:
        return None


def _json_ld_article(tree: Any) -> dict[str, Any]:
    """The page's NewsArticle (or Article) node; a WebPage only when nothing better exists."""
    kinds = _generic()["article_types"]
    best: dict[str, Any] = {}
    for node in tree.xpath("//script[contains(@type,'ld+json')]/text()"):
        data = _load_json(str(node))
        for item in _iter_ld(data):
            kind = item.get("@type")
            types = kind if isinstance(kind, list) else [kind]
            rank = min((kinds.index(k) for k in types if k in kinds), default=None)
            if rank is None or (rank == kinds.index("WebPage") and "headline" not in item):
                continue
            if not best or rank < best["_rank"]:
                best = {**item, "_rank": rank}
    return best


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return _clean(html_lib.unescape(str(value))) if value else ""


# ---------------------------------------------------------------------------------------- metadata
def _meta(tree: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        if key and key.lower() not in out and el.get("content", "").strip():
            out[key.lower()] = el.get("content").strip()
    return out


def _hostname(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:  # "http://[::1": no host to name
        return None


def _canonical(tree: Any, ld: dict[str, Any], url: str | None) -> str | None:
    from pipeline.sources import canonicalize

    try:
        found = canonical_link(tree, url)
        if not found:
            entity = ld.get("mainEntityOfPage")
            found = (entity.get("@id") if isinstance(entity, dict) else entity) or ld.get("url")
            found = urljoin(url or "", str(found)) if isinstance(found, str) and found.strip() else None
        if found and urlsplit(found).scheme in ("http", "https"):
            return canonicalize(found)
    except ValueError:  # the page names a malformed URL ("http://[x"): it says nothing usable
        pass
    return url


def _xpath_texts(tree: Any, xpaths: Iterable[etree.XPath]) -> Iterator[str]:
    for xp in xpaths:
        try:
            results = xp(tree)
        except etree.XPathError:
            continue
        for r in results if isinstance(results, list) else [results]:
            text = r.text_content() if hasattr(r, "text_content") else str(r)
            text = _clean(text)
            if text:
                yield text


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold().strip(" .|-–—:")


# A lone surrogate can only come from a JSON "\ud800" escape (JSON-LD): shown as U+FFFD, as browsers do.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(s: str) -> str:
    return _SURROGATE.sub("\ufffd", re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+", " ", s)).strip()


def clean_title(title: str) -> str:
    """A headline without the site name around it ("… | अमर उजाला", "बिजनेस स्टैंडर्ड - …")."""
    title = _clean(html_lib.unescape(title))
    names = _site_names()
    for sep in _generic()["title_separators"]:
        if sep in title:
            parts = [p for p in title.split(sep) if _norm(p) not in names and p.strip()]
            title = sep.join(parts) if parts else title
    for name in sorted(_generic()["site_names"], key=len, reverse=True):
        if title.casefold().startswith(name.casefold() + " ") and len(title.split()) - len(name.split()) >= 3:
            title = title[len(name) :].strip(" -|:")
            break
    return title.strip()


def _h1_texts(tree: Any) -> list[str]:
    return [t for t in (_clean(h.text_content()) for h in tree.xpath("//h1")) if t]


def _title_candidates(
    tree: Any, ld: dict[str, Any], meta: dict[str, str], parser: SiteParser | None
) -> list[str]:
    raw: list[str] = [_ld_text(ld.get("headline") or ld.get("name"))]
    if parser:
        raw.extend(_xpath_texts(tree, parser.title))
    raw.extend([meta.get("og:title", ""), meta.get("twitter:title", "")])
    raw.extend(_h1_texts(tree))
    raw.extend(_clean(t.text_content()) for t in tree.xpath("//title"))
    out: list[str] = []
    for candidate in raw:
        cleaned = clean_title(candidate) if candidate else ""
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


def _tags(tree: Any, ld: dict[str, Any], meta: dict[str, str], parser: SiteParser | None) -> list[str]:
    raws: list[Any] = [ld.get("keywords")]
    if parser:
        raws.extend(_xpath_texts(tree, parser.tags))
    raws.extend([meta.get("news_keywords"), meta.get("keywords")])
    raws.extend(tree.xpath("//meta[@property='article:tag']/@content"))
    out: list[str] = []
    for raw in raws:
        for tag in _split_tags(raw):
            if tag.casefold() not in {t.casefold() for t in out}:
                out.append(tag)
    return out[:50]


def _split_tags(raw: Any) -> list[str]:
    if not raw:
        return []
    if isinstance(raw, list):
        return [t for item in raw for t in _split_tags(item)]
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        try:  # "['civic animities']": a Python list printed into the page
            value = ast.literal_eval(text)
            if isinstance(value, list):
                return _split_tags([str(v) for v in value])
        except (ValueError, SyntaxError):
            text = text.strip("[]")
    return [t for t in (_clean(p).strip("'\"") for p in re.split(r"[,;|]", text)) if t]


# ---------------------------------------------------------------------------------------- dates
def _published_candidates(
    tree: Any,
    ld: dict[str, Any],
    meta: dict[str, str],
    parser: SiteParser | None,
    visible: Callable[[], str],
    url: str | None,
) -> Iterator[tuple[str, str]]:
    if ld.get("datePublished"):
        yield "json-ld", _ld_text(ld["datePublished"])
    if parser:
        for text in _xpath_texts(tree, parser.published):
            yield "site", _after_label(text, "published_labels")
    for key in _generic()["published_meta"]:
        if meta.get(key):
            yield "meta", meta[key]
    for value in tree.xpath(
        "//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"
    ):
        yield "meta", str(value)
    for value in tree.xpath("//time[@datetime][contains(@class,'pub') or @pubdate]/@datetime"):
        yield "time-tag", str(value)
    for stamp in _labelled(visible(), "published_labels"):
        yield "text-stamp", stamp
    if url:
        day, precision = date_from_url(url)
        if day is not None and precision == "day":
            yield "url", day.isoformat()


def _modified_candidates(
    tree: Any, ld: dict[str, Any], meta: dict[str, str], parser: SiteParser | None, visible: Callable[[], str]
) -> Iterator[tuple[str, str]]:
    if ld.get("dateModified"):
        yield "json-ld", _ld_text(ld["dateModified"])
    if parser:
        for text in _xpath_texts(tree, parser.modified):
            yield "site", _after_label(text, "modified_labels")
    for key in _generic()["modified_meta"]:
        if meta.get(key):
            yield "meta", meta[key]
    for stamp in _labelled(visible(), "modified_labels"):
        yield "text-stamp", stamp


def _after_label(text: str, key: str) -> str:
    m = _label_re(key).search(text)
    return text[m.end() :] if m else text


def _labelled(text: str, key: str) -> Iterator[str]:
    """The text after each label ("Created On :", "Publish Date:", "प्रकाशित:") — up to 80 characters."""
    for m in _label_re(key).finditer(text):
        yield text[m.end() : m.end() + 80]


def _first_stamp(candidates: Iterable[tuple[str, str]], upper: datetime) -> tuple[datetime, str] | None:
    """The first candidate that reads as a time no later than `upper` (a page cannot predate its own
    publication, and a stamp in the future is a site's time-zone or template bug)."""
    for source, raw in candidates:
        stamp = parse_timestamp(raw) if raw else None
        if stamp is not None and _EARLIEST <= stamp <= upper:
            return stamp, source
    return None


# ---------------------------------------------------------------------------------------- body
def _body(tree: Any, url: str | None, ld: dict[str, Any], parser: SiteParser | None) -> tuple[list[str], str]:
    """(paragraphs, parser name) from the first source that has a story."""
    ld_paragraphs = _paragraphs_from_ld(ld)
    if sum(len(p) for p in ld_paragraphs) >= _LD_BODY_MIN:
        return ld_paragraphs, "json-ld"
    if parser:
        for xp in parser.body:
            found = xp(tree)
            for el in found if isinstance(found, list) else []:
                if not hasattr(el, "tag"):
                    continue
                paragraphs = block_paragraphs(el, parser.drop)
                if sum(len(p) for p in paragraphs) >= _SITE_BODY_MIN:
                    return paragraphs, f"site:{parser.name}"
    paragraphs = _paragraphs_from_trafilatura(tree, url)
    if paragraphs:
        return paragraphs, "trafilatura"
    paragraphs = _densest_block(tree)
    if paragraphs:
        return paragraphs, "density"
    return ld_paragraphs, "json-ld"


def _paragraphs_from_ld(ld: dict[str, Any]) -> list[str]:
    body = ld.get("articleBody")
    if isinstance(body, list):
        body = "\n".join(str(b) for b in body)
    if not isinstance(body, str) or not body.strip():
        return []
    if re.search(r"<(?:p|br|div)\b", body, re.I):
        try:
            fragment = lxml_html.fragment_fromstring(body, create_parent="div")
            return block_paragraphs(fragment)
        except (etree.ParserError, ValueError):
            body = re.sub(r"<[^>]+>", "\n", body)
    body = html_lib.unescape(body)
    return [_clean(p) for p in re.split(r"\n+", body) if _clean(p)]


def _is_boilerplate(el: Any) -> bool:
    attrs = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
    if attrs and _boilerplate_attr_re().search(attrs):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None or el.get("aria-hidden") == "true"


def _strip(el: Any, drops: Iterable[etree.XPath] = ()) -> Any:
    """A copy of `el` without scripts, ads, share bars, related lists and the site's `drop` elements.

    A class-matched element that holds most of the text is kept: a story container named
    "story-share-wrapper" is still the story."""
    root = copy.deepcopy(el)
    total = len(root.text_content() or "") or 1
    doomed: list[Any] = []
    drop_tags = set(_generic()["drop_tags"])
    for node in root.iter():
        if not isinstance(node.tag, str):
            if isinstance(node, etree._Comment):
                doomed.append(node)
            continue
        if node is root:
            continue
        boilerplate = _is_boilerplate(node) and len(node.text_content() or "") < 0.6 * total
        if node.tag.lower() in drop_tags or boilerplate:
            doomed.append(node)
    for xp in drops:
        try:
            doomed.extend(n for n in xp(root) if hasattr(n, "tag") and n is not root)
        except etree.XPathError:
            continue
    for node in doomed:
        if node.getparent() is not None:
            _drop_keep_tail(node)
    return root


def _drop_keep_tail(node: Any) -> None:
    parent = node.getparent()
    tail = node.tail
    if isinstance(node.tag, str) and node.tag.lower() in _BLOCK_TAGS:
        tail = _BREAK + (tail or "")  # text on either side of a removed block stays apart
    if tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def block_paragraphs(el: Any, drops: Iterable[etree.XPath] = ()) -> list[str]:
    """The text of an element as paragraphs: split at block elements and <br>, whitespace collapsed
    (a line break in the HTML source is only whitespace)."""
    lines = (_clean(" ".join(line.split())) for line in _walk_text(_strip(el, drops)).split(_BREAK))
    return [line for line in lines if line]


# Marks a block boundary in walked text; source newlines are plain whitespace.
_BREAK = "\u2029"


def _walk_text(root: Any, skip: frozenset[str] = frozenset()) -> str:
    """Text of `root` in document order with _BREAK at every block boundary and <br>; `skip` tags (and
    everything inside them) contribute nothing but their tails. Iterative: deep, broken markup is fine."""
    parts: list[str] = []
    skipping = 0
    for event, node in etree.iterwalk(root, events=("start", "end")):
        is_element = isinstance(node.tag, str)
        tag = node.tag.lower() if is_element else ""
        if event == "start":
            if tag in skip:
                skipping += 1
            if skipping:
                continue
            if tag in _BLOCK_TAGS:
                parts.append(_BREAK)
            if is_element and node.text:
                parts.append(node.text)
            continue
        if tag in skip:
            skipping -= 1
        if skipping:
            continue
        if tag in _BLOCK_TAGS:
            parts.append(_BREAK)
        if node is not root and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _paragraphs_from_trafilatura(tree: Any, url: str | None) -> list[str]:
    """Trafilatura's main text of the page, given a copy of our parsed tree (no second parse).

    Fast mode first (trafilatura's own extractor only, about half the cost); its slower fallbacks
    (readability, jusText) run only when fast mode finds nothing — on the real pages we measured,
    fast mode's text is identical whenever it finds one."""
    import trafilatura

    for fast in (True, False):
        try:
            extracted = trafilatura.extract(
                copy.deepcopy(tree),  # trafilatura prunes the tree it is given
                url=url,
                include_comments=False,
                include_tables=False,
                favor_precision=True,
                deduplicate=False,
                fast=fast,
            )
        except Exception:  # trafilatura raises assorted errors on hostile markup; the next source decides
            return []
        if extracted:
            return [_clean(p) for p in extracted.splitlines() if _clean(p)]
    return []


_LEAF_TAGS = ("p", "div", "td", "li", "blockquote", "dd")


def _script_block(text: str) -> int | None:
    """The Unicode block (code point // 128) of the page's main Indic script, or None (Latin pages)."""
    blocks = Counter(ord(c) // 128 for c in text if c.isalpha())
    indic = {b: n for b, n in blocks.items() if 0x0900 // 128 <= b <= 0x0DFF // 128}
    if not indic:
        return None
    block, count = max(indic.items(), key=lambda kv: kv[1])
    return block if count >= 0.3 * sum(blocks.values()) else None


def _densest_block(tree: Any) -> list[str]:
    """The story as the parent element whose text blocks hold the most letters of the page's script
    (old table layouts trafilatura does not understand); English disclaimers do not compete."""
    root = _strip(tree.find("body") if tree.find("body") is not None else tree)
    script = _script_block(root.text_content() or "")

    def letters(text: str) -> int:
        return sum(1 for c in text if c.isalpha() and (script is None or ord(c) // 128 == script))

    scores: Counter[Any] = Counter()
    leaves: dict[Any, list[Any]] = {}
    for node in root.iter(*_LEAF_TAGS):
        if any(True for _ in node.iterdescendants(*_LEAF_TAGS, "table")):
            continue
        n = letters(node.text_content() or "")
        if n < 40:
            continue
        parent = node.getparent()
        scores[parent] += n
        leaves.setdefault(parent, []).append(node)
    if not scores:
        return []
    best = max(scores, key=lambda p: scores[p])
    out: list[str] = []
    for leaf in leaves[best]:
        out.extend(block_paragraphs(leaf))
    return out


def _visible_text(tree: Any) -> str:
    """The page's text without scripts and styles (for visible stamps such as "Created On : …")."""
    body = tree.find("body")
    text = _walk_text(
        body if body is not None else tree, frozenset({"script", "style", "noscript", "template"})
    )
    return "\n".join(line for line in (_clean(" ".join(x.split())) for x in text.split(_BREAK)) if line)


# ---------------------------------------------------------------------------------------- cleaning
def clean_paragraphs(paragraphs: list[str], titles: Iterable[str] = ()) -> list[str]:
    """Drop page furniture from a story's lines.

    Removed: junk lines (share bars, "और पढ़ें", "Created On …", "यह भी पढ़ें …"), lines that repeat a
    headline, site names, lines holding only a date stamp, English lines before a Hindi story starts
    (headline translations), repeated paragraphs; and everything from "Tags"/"Next Story" on once the
    story has started.
    """
    junk, stop = _line_res("junk_lines"), _line_res("stop_lines")
    title_keys = {_norm(t) for t in titles if t}
    names = _site_names()
    script_story = _story_is_indic(paragraphs)
    out: list[str] = []
    seen: set[str] = set()
    started = False
    for para in paragraphs:
        key = _norm(para)
        if not key:
            continue
        if stop.match(para) and started:
            break
        if junk.match(para) or key in title_keys or key in names or key in seen or _stamp_only(para):
            continue
        if script_story and not started and _is_latin(para) and len(para) < 300:
            continue  # an English translation of the headline above a Hindi story
        seen.add(key)
        out.append(para)
        started = started or len(para) >= 100
    return out


def _story_is_indic(paragraphs: list[str]) -> bool:
    text = " ".join(paragraphs)[:5000]
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c > "\u08ff") > 0.5 * len(letters)


def _is_latin(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters)


def _stamp_only(line: str) -> bool:
    """A line that is nothing but a date/time stamp ("Apr 02, 2020, 04:11 AM IST")."""
    if len(line) > 60 or not re.search(r"\d", line):
        return False
    from pipeline.dates import find_timestamp

    found = find_timestamp(line)
    if found is None:
        return False
    _, start, end = found
    rest = line[:start] + line[end:]
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 4


def _dateline(paragraphs: list[str]) -> str | None:
    from pipeline.places import find_dateline

    found = find_dateline("\n".join(paragraphs[:3]))
    return found.place if found else None
