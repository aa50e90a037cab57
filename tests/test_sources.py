"""Discovery: URL canonicalisation, the site registry, article/listing recognition, feeds and sitemaps."""

from __future__ import annotations

import gzip
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pipeline.config import Site, default_sites, load_settings
from pipeline.sources import (
    canonicalize,
    is_document,
    kind_of,
    looks_like_article,
    pagination_urls,
    parse_links,
    same_listing,
    site_for,
    unpack,
)

SITES = {s.name: s for s in default_sites()}
DATA = Path(__file__).resolve().parents[1] / "pipeline" / "data"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://WWW.Example.COM/a", "https://www.example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?fbclid=IwAR0&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?UTM_Campaign=x&page=2", "https://example.com/a?page=2"),
        ("https://example.com/a?ref=home&src=twitter&from=app", "https://example.com/a"),
        (
            "https://example.com/समाचार/टीका",
            "https://example.com/%E0%A4%B8%E0%A4%AE%E0%A4%BE%E0%A4%9A%E0%A4%BE%E0%A4%B0/%E0%A4%9F%E0%A5%80%E0%A4%95%E0%A4%BE",
        ),
        ("https://example.com/%e0%a4%9f", "https://example.com/%E0%A4%9F"),
        ("https://example.com/a%20b", "https://example.com/a%20b"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("  https://example.com/a  ", "https://example.com/a"),
        (
            "https://hindi.business-standard.com//storypage.php?autono=172475",
            "https://hindi.business-standard.com//storypage.php?autono=172475",
        ),
        (
            "https://www.amarujala.com/uttar-pradesh/varanasi/gahu-city-news-vns5205298178?utm_source=rssfeed&utm_medium=Referral&utm_campaign=rssfeed",
            "https://www.amarujala.com/uttar-pradesh/varanasi/gahu-city-news-vns5205298178",
        ),
        (
            "https://example.com/search?q=टीका केंद्र",
            "https://example.com/search?q=%E0%A4%9F%E0%A5%80%E0%A4%95%E0%A4%BE%20%E0%A4%95%E0%A5%87%E0%A4%82%E0%A4%A6%E0%A5%8D%E0%A4%B0",
        ),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical
    assert canonicalize(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.bhaskarhindi.com/city/news/x-1", "bhaskarhindi"),
        ("https://bhaskarhindi.com/city/jabalpur", "bhaskarhindi"),
        ("https://m.bhaskarhindi.com/city/jabalpur", "bhaskarhindi"),
        ("https://www.patrika.com/jabalpur-news/", "patrika"),
        ("https://www.amarujala.com/uttar-pradesh", "amarujala"),
        ("https://www.jagran.com/x.html", "jagran"),
        ("https://hindi.business-standard.com//storypage.php?autono=1", "business-standard-hindi"),
        ("https://www.business-standard.com/article/x", None),
        ("https://notbhaskarhindi.com/city/x", None),
        ("https://example.com/", None),
    ],
)
def test_site_for_matches_hosts_and_subdomains(url: str, site: str | None) -> None:
    found = site_for(url, default_sites())
    assert (found.name if found else None) == site


@pytest.mark.parametrize(
    ("url", "site", "article"),
    [
        (
            "https://www.bhaskarhindi.com/city/news/server-was-down-for-one-hour-vaccination-delayed-262385",
            "bhaskarhindi",
            True,
        ),
        (
            "https://www.bhaskarhindi.com/city/jabalpur/jabalpur-vaccination-camp-report-262390",
            "bhaskarhindi",
            True,
        ),
        ("https://www.bhaskarhindi.com/city/jabalpur", "bhaskarhindi", False),
        ("https://www.bhaskarhindi.com/city/jabalpur?page=2", "bhaskarhindi", False),
        ("https://www.bhaskarhindi.com/national/news/some-national-story-262391", "bhaskarhindi", False),
        ("https://www.patrika.com/jabalpur-news/vaccination-centres-list-6887654/", "patrika", True),
        ("https://www.patrika.com/jabalpur-news/", "patrika", False),
        (
            "https://www.naidunia.com/madhya-pradesh/jabalpur-vaccination-drive-in-jabalpur-7123456",
            "naidunia",
            True,
        ),
        ("https://www.naidunia.com/madhya-pradesh/jabalpur", "naidunia", False),
        ("https://www.amarujala.com/uttar-pradesh/varanasi/gahu-city-news-vns5205298178", "amarujala", True),
        ("https://www.amarujala.com/uttar-pradesh/varanasi", "amarujala", False),
        (
            "https://www.amarujala.com/photo-gallery/uttar-pradesh/varanasi/x-city-news-vns5205298178",
            "amarujala",
            False,
        ),
        (
            "https://www.jagran.com/uttar-pradesh/allahabad-city-aam-aadmi-party-workers-will-agitate-21109565.html",
            "jagran",
            True,
        ),
        ("https://www.jagran.com/uttar-pradesh/allahabad-city-news-hindi.html", "jagran", False),
        (
            "https://www.livehindustan.com/uttar-pradesh/lucknow/story-vaccination-centres-in-lucknow-4123456.html",
            "livehindustan",
            True,
        ),
        ("https://www.livehindustan.com/uttar-pradesh/lucknow/news", "livehindustan", False),
        (
            "https://www.bhaskar.com/local/mp/jabalpur/news/vaccination-in-jabalpur-128546789.html",
            "bhaskar",
            True,
        ),
        ("https://hindi.business-standard.com//storypage.php?autono=172475", "business-standard-hindi", True),
        ("https://hindi.business-standard.com/section_news.php?id=1", "business-standard-hindi", False),
        # generic mode
        ("https://example.com/news/teekakaran-abhiyan-ki-shuruaat-jabalpur", None, True),
        ("https://example.com/story/98765432", None, True),
        ("https://example.com/city/vaccine-camp-report-1001", None, True),
        ("https://example.com/2021/06/04/teeka-utsav.html", None, True),
        ("https://example.com/article.php?id=45678", None, True),
        ("https://example.com/tag/corona-vaccine-news-today", None, False),
        ("https://example.com/author/city-desk-reporter-name", None, False),
        ("https://example.com/photos/teekakaran-camp-gallery-123456", None, False),
        ("https://example.com/city/", None, False),
        ("https://example.com/news/page/2", None, False),
        ("https://example.com/news?page=3", None, False),
        ("https://example.com/uploads/list-of-centres-2021.pdf", None, False),
        ("https://example.com/images/teeka-camp-photo-12345.jpg", None, False),
        ("https://example.com/about-us", None, False),
    ],
)
def test_looks_like_article(url: str, site: str | None, article: bool) -> None:
    assert looks_like_article(url, SITES[site] if site else None) is article


@pytest.mark.parametrize(
    ("candidate", "current", "same"),
    [
        ("https://x.com/city/?page=2", "https://x.com/city/", True),
        ("https://x.com/city/?page=3", "https://x.com/city/?page=2", True),
        ("https://x.com/news/page/2", "https://x.com/news/", True),
        (
            "https://x.com/a/allahabad-city-news-hindi-page2.html",
            "https://x.com/a/allahabad-city-news-hindi.html",
            True,
        ),
        ("https://x.com/sports/?page=2", "https://x.com/city/", False),
        ("https://x.com/city/", "https://x.com/city/", False),
        ("https://x.com/city/other", "https://x.com/city/", False),
    ],
)
def test_same_listing(candidate: str, current: str, same: bool) -> None:
    assert same_listing(candidate, current) is same


def test_pagination_templates_of_the_registry() -> None:
    assert pagination_urls("https://www.bhaskarhindi.com/city/jabalpur", SITES["bhaskarhindi"], 3) == [
        "https://www.bhaskarhindi.com/city/jabalpur?page=2",
        "https://www.bhaskarhindi.com/city/jabalpur?page=3",
    ]
    assert pagination_urls(
        "https://www.jagran.com/up/allahabad-city-news-hindi.html", SITES["jagran"], 2
    ) == ["https://www.jagran.com/up/allahabad-city-news-hindi-page2.html"]
    assert pagination_urls("https://example.com/city/", None, 5) == []


@pytest.mark.parametrize(
    ("url", "document"),
    [
        ("https://x.com/a.pdf", True),
        ("https://x.com/A.PDF", True),
        ("https://x.com/list.xlsx", True),
        ("https://x.com/a.html", False),
        ("https://x.com/pdf-news-12345", False),
    ],
)
def test_document_links(url: str, document: bool) -> None:
    assert is_document(url) is document


# ------------------------------------------------------------------------------------------------ bodies
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>खबरें</title>
<item><title>टीकाकरण</title><link>https://ex.com/news/teeka-abhiyan-shuru-hua-12345?utm_source=rss</link>
<pubDate>Fri, 04 Jun 2021 15:57:00 +0530</pubDate></item>
<item><title>बिना लिंक</title><guid isPermaLink="true">https://ex.com/news/guid-only-story-23456</guid></item>
<item><title>गैर-पर्मालिंक</title><guid isPermaLink="false">tag:ex.com,2021:1</guid></item>
<item><title>चित्र</title><link>https://ex.com/img/photo.jpg</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>खबरें</title>
<entry><title>एक</title><link rel="alternate" href="https://ex.com/news/atom-story-one-34567"/>
<link rel="enclosure" href="https://ex.com/a.mp3"/><published>2021-06-05T10:00:00+05:30</published></entry>
<entry><title>दो</title><link href="https://ex.com/news/atom-story-two-45678"/><updated>2021-06-06T10:00:00Z</updated></entry>
</feed>"""

RDF = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<item rdf:about="https://ex.com/news/rdf-story-56789"><title>तीन</title><link>https://ex.com/news/rdf-story-56789</link><dc:date>2021-06-07</dc:date></item>
</rdf:RDF>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ex.com/sitemap-2021-06.xml</loc><lastmod>2021-06-30</lastmod></sitemap>
<sitemap><loc>https://other.example/sitemap.xml</loc></sitemap></sitemapindex>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ex.com/news/sitemap-story-one-67890</loc><news:news><news:publication><news:name>Ex</news:name>
<news:language>hi</news:language></news:publication><news:publication_date>2021-06-04T15:57:00+05:30</news:publication_date>
<news:title>टीका</news:title></news:news></url>
<url><loc>https://ex.com/news/sitemap-story-two-78901</loc><lastmod>2021-06-03</lastmod></url>
<url><loc>https://elsewhere.example/news/not-our-host-89012</loc></url>
</urlset>"""


def test_rss_items_links_guids_and_dates() -> None:
    links = parse_links(RSS, "https://ex.com/rss.xml", None, "application/rss+xml")
    assert [(lk.url, lk.kind, lk.lastmod) for lk in links] == [
        ("https://ex.com/news/teeka-abhiyan-shuru-hua-12345", "article", "Fri, 04 Jun 2021 15:57:00 +0530"),
        ("https://ex.com/news/guid-only-story-23456", "article", None),
    ]
    assert links[0].title == "टीकाकरण"


def test_atom_and_rdf_feeds() -> None:
    atom = parse_links(ATOM, "https://ex.com/atom.xml", None)
    assert [(lk.url, lk.lastmod) for lk in atom] == [
        ("https://ex.com/news/atom-story-one-34567", "2021-06-05T10:00:00+05:30"),
        ("https://ex.com/news/atom-story-two-45678", "2021-06-06T10:00:00Z"),
    ]
    rdf = parse_links(RDF, "https://ex.com/rdf", None)
    assert [(lk.url, lk.lastmod) for lk in rdf] == [("https://ex.com/news/rdf-story-56789", "2021-06-07")]


def test_sitemap_index_and_news_sitemap() -> None:
    index = parse_links(SITEMAP_INDEX, "https://ex.com/sitemap.xml", None)
    assert [(lk.url, lk.kind, lk.lastmod) for lk in index] == [
        ("https://ex.com/sitemap-2021-06.xml", "sitemap", "2021-06-30")
    ]
    news = parse_links(NEWS_SITEMAP, "https://ex.com/news-sitemap.xml", None)
    assert [(lk.url, lk.lastmod, lk.title) for lk in news] == [
        ("https://ex.com/news/sitemap-story-one-67890", "2021-06-04T15:57:00+05:30", "टीका"),
        ("https://ex.com/news/sitemap-story-two-78901", "2021-06-03", None),
    ]


def test_a_registered_sites_pattern_filters_its_sitemap() -> None:
    body = NEWS_SITEMAP.replace("https://ex.com/news/", "https://www.jagran.com/uttar-pradesh/").replace(
        "-67890", "-21109565.html"
    )
    links = parse_links(body, "https://www.jagran.com/news-sitemap.xml", SITES["jagran"])
    assert [lk.url for lk in links] == [
        "https://www.jagran.com/uttar-pradesh/sitemap-story-one-21109565.html"
    ]


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (RSS, None, "feed"),
        (ATOM, None, "feed"),
        (RDF, None, "feed"),
        (SITEMAP_INDEX, None, "sitemap"),
        (NEWS_SITEMAP, "text/xml", "sitemap"),
        ("\ufeff  <!-- generated --><urlset></urlset>", None, "sitemap"),
        ("<html><body><a href='/x'>x</a></body></html>", "text/html", "html"),
        ("<?xml version='1.0'?><channel><item/></channel>", None, "feed"),
        ("not xml at all", "application/atom+xml", "feed"),
    ],
)
def test_kind_of(body: str, ctype: str | None, kind: str) -> None:
    assert kind_of(body, ctype) == kind


def test_gzipped_sitemaps_are_unpacked() -> None:
    packed = gzip.compress(NEWS_SITEMAP.encode())
    assert unpack(packed).decode() == NEWS_SITEMAP
    assert unpack(b"<urlset/>") == b"<urlset/>"


def test_html_listing_links() -> None:
    html = """<html><head><base href="https://ex.com/city/"></head><body>
    <a href="/">होम</a><a href="jabalpur-teekakaran-camp-report-12345">खबर</a>
    <a href="https://ex.com/news/another-story-here-today?utm_source=home#top">दूसरी</a>
    <a href="/files/centres.pdf">सूची</a><a href="/img/a.png">चित्र</a>
    <a href="javascript:void(0)">x</a><a href="mailto:desk@ex.com">मेल</a>
    <a href="https://other.example/news/foreign-story-here-now-1">बाहर</a>
    <a href="/city/?page=2">2</a><a href="/older" rel="next">आगे</a><a href="/city/archive">अगला</a>
    </body></html>"""
    links = {lk.url: lk for lk in parse_links(html, "https://ex.com/city/", None)}
    assert links["https://ex.com/city/jabalpur-teekakaran-camp-report-12345"].kind == "article"
    assert links["https://ex.com/news/another-story-here-today"].kind == "article"
    assert links["https://ex.com/files/centres.pdf"].kind == "document"
    assert links["https://ex.com/city/?page=2"].kind == "listing"
    assert links["https://ex.com/older"].title == "next" and links["https://ex.com/older"].kind == "listing"
    assert links["https://ex.com/city/archive"].kind == "listing"  # "अगला" = next
    assert not any(
        "other.example" in u or "png" in u or (u.endswith("/") and u.count("/") == 3) for u in links
    )


# ------------------------------------------------------------------------------------------------ the registry
def test_sites_toml_shape() -> None:
    raw = tomllib.loads((DATA / "sites.toml").read_text(encoding="utf-8"))
    sites = raw["site"]
    names = [s["name"] for s in sites]
    assert len(names) == len(set(names))
    hindi_outlets = {"bhaskarhindi", "patrika", "naidunia", "amarujala", "jagran", "livehindustan", "bhaskar"}
    assert hindi_outlets <= set(names)
    parsers = tomllib.loads((DATA / "site_parsers.toml").read_text(encoding="utf-8"))["site"]
    hosts: list[str] = []
    for s in sites:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in s.items()}
        site = Site(**fields)
        assert site.discovery_urls, s["name"]
        for url in site.discovery_urls:
            assert url.startswith("https://"), url
            assert site_for(url, (site,)) is site, url
        for pattern in (site.article_pattern, site.exclude_pattern, site.listing_pattern):
            if pattern:
                re.compile(pattern)
        if site.pagination:
            assert "{n}" in site.pagination
        if s["name"] != "sample":
            assert (site.parser or site.name) in parsers, s["name"]
        assert 1 <= site.max_listing_pages <= 50
        hosts.extend(site.host_names)
    assert len(hosts) == len(set(hosts))
    for key in ("tracking_params", "tracking_prefixes"):
        values = raw["urls"][key]
        assert len(values) == len(set(values)) and all(v == v.lower() for v in values)
    disc = raw["discovery"]
    for key in (
        "non_article_segments",
        "document_extensions",
        "ignored_extensions",
        "next_texts",
        "page_params",
    ):
        assert len(disc[key]) == len(set(disc[key])), key
    assert not set(disc["document_extensions"]) & set(disc["ignored_extensions"])
    re.compile(disc["page_path"])


def test_site_parsers_toml_shape() -> None:
    raw = tomllib.loads((DATA / "site_parsers.toml").read_text(encoding="utf-8"))
    generic = raw["generic"]
    for key in ("junk_lines", "stop_lines", "boilerplate_attrs"):
        for pattern in generic[key]:
            re.compile(pattern)
        assert len(generic[key]) == len(set(generic[key])), key
    for key in (
        "drop_tags",
        "published_labels",
        "modified_labels",
        "published_meta",
        "modified_meta",
        "site_names",
        "title_separators",
        "article_types",
    ):
        assert generic[key] and len(generic[key]) == len(set(generic[key])), key
    assert all(m == m.lower() for m in generic["published_meta"] + generic["modified_meta"])
    for name, spec in raw["site"].items():
        assert spec.get("body") and spec.get("title"), name
        assert set(spec) <= {"title", "body", "published", "modified", "tags", "drop"}, name
        for xpaths in spec.values():
            for xpath in xpaths:
                etree.XPath(xpath)


def test_settings_files_add_sites_and_keep_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "vaxnews.toml"
    path.write_text(
        '[vaxnews]\ncontact_url = "mailto:data-team@example.org"\n'
        '[[vaxnews.sites]]\nname = "local-paper"\nstart_urls = ["https://local.example/city/"]\narticle_pattern = "^/news/"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.site("local-paper") is not None and settings.site("bhaskarhindi") is not None
    assert "mailto:data-team@example.org" in settings.agent
    with pytest.raises(ValueError, match="contact_url"):
        load_settings(contact_url="nobody")
