"""HTML -> Article: encodings, dates, boilerplate, titles, tags, JSON-LD quirks, per-site layouts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.api import load_article
from pipeline.dates import IST
from pipeline.parse import ParseError, article_from_html, clean_paragraphs, clean_title, decode_body

TITLE = "जबलपुर में 146 केंद्रों पर टीकाकरण, 22 हजार लोगों को लगा टीका"
P1 = "डिजिटल डेस्क जबलपुर। जिले में गुरुवार को 146 केंद्रों पर कोरोना टीकाकरण हुआ और 22 हजार 397 लोगों ने टीका लगवाया।"
P2 = "जिला टीकाकरण अधिकारी ने बताया कि सुबह सर्वर धीमा रहने से कुछ केंद्रों पर एंट्री देर से शुरू हुई, लेकिन दोपहर तक काम सामान्य हो गया।"
P3 = "शुक्रवार को 18 से 44 वर्ष के लोगों के लिए 60 केंद्रों पर दूसरी डोज लगाई जाएगी।"


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return f'<!DOCTYPE html><html lang="hi"><head><meta charset="{charset}"><title>{TITLE} | समाचार</title>{head}</head><body>{body}</body></html>'


PLAIN = page(f"<article><h1>{TITLE}</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>")


# ------------------------------------------------------------------------------------------------ encodings
@pytest.mark.parametrize(
    ("raw", "ctype"),
    [
        (PLAIN.encode("utf-8"), "text/html; charset=utf-8"),
        (PLAIN.encode("utf-8"), "text/html; charset=ISO-8859-1"),  # the classic wrong declaration
        (PLAIN.encode("utf-8"), "text/html; charset=windows-1252"),
        (PLAIN.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8"), None),  # wrong <meta>
        (PLAIN.encode("utf-8"), "text/html"),
        (b"\xef\xbb\xbf" + PLAIN.encode("utf-8"), "text/html; charset=latin-1"),  # BOM wins
        (b"\xff\xfe" + PLAIN.encode("utf-16-le"), "text/html; charset=utf-8"),
        (b"\xfe\xff" + PLAIN.encode("utf-16-be"), None),
    ],
)
def test_hindi_never_comes_out_as_mojibake(raw: bytes, ctype: str | None) -> None:
    text = decode_body(raw, ctype)
    assert TITLE in text and "à¤" not in text


def _double_encoded(text: str) -> str:
    """UTF-8 bytes read as windows-1252 (its five undefined bytes kept as C1 controls), as a bad CMS does."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


def test_double_encoded_pages_are_repaired() -> None:
    mojibake = _double_encoded(PLAIN)
    assert "à¤" in mojibake and TITLE not in mojibake
    assert TITLE in decode_body(mojibake.encode("utf-8"), "text/html; charset=utf-8")
    # One stray mojibake word in a healthy page is left as it is.
    assert decode_body((PLAIN + _double_encoded("टीका")).encode("utf-8")).startswith(PLAIN)


@pytest.mark.parametrize(
    ("raw", "ctype", "want"),
    [
        (
            "<p>Café déjà vu</p>".encode("cp1252"),
            "text/html; charset=utf-8",
            "Café déjà vu",
        ),  # declared wrong
        ("<p>Café</p>".encode("cp1252"), "text/html; charset=windows-1252", "Café"),
        ('<meta charset="windows-1252"><p>naïve</p>'.encode("cp1252"), None, "naïve"),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><rss><p>Zürich</p></rss>'.encode("latin-1"),
            None,
            "Zürich",
        ),
        (b"<p>plain ascii</p>", None, "plain ascii"),
        ("<p>टीका</p>".encode(), "text/html; charset=bogus-charset", "टीका"),
    ],
)
def test_legacy_encodings_are_read_as_declared_when_the_bytes_agree(
    raw: bytes, ctype: str | None, want: str
) -> None:
    assert want in decode_body(raw, ctype)


def test_wrong_charset_page_parses_to_clean_hindi() -> None:
    art = load_article(
        PLAIN.encode("utf-8"),
        url="https://ex.com/news/a-b-c-12345",
        content_type="text/html; charset=iso-8859-1",
    )
    assert art.title == TITLE and art.devanagari_share > 0.95


# ------------------------------------------------------------------------------------------------ dates
FETCHED = datetime(2021, 6, 5, 12, 0, tzinfo=UTC)


def dated(
    head: str = "", body_extra: str = "", url: str = "https://ex.com/news/teeka-abhiyan-report-12345"
) -> tuple[str, str]:
    return page(f"<article><h1>{TITLE}</h1>{body_extra}<p>{P1}</p><p>{P2}</p></article>", head), url


def ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, **fields}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


@pytest.mark.parametrize(
    ("head", "extra", "url", "want", "source"),
    [
        (ld(datePublished="2021-06-04T15:57:00+05:30"), "", None, "2021-06-04T15:57:00+05:30", "json-ld"),
        (
            ld(datePublished="2021-06-04 15:57:00"),
            "",
            None,
            "2021-06-04T15:57:00+05:30",
            "json-ld",
        ),  # no zone: IST
        (ld(datePublished="2021-06-04T10:27:00Z"), "", None, "2021-06-04T10:27:00+00:00", "json-ld"),
        (
            '<meta property="article:published_time" content="2021-06-03T20:00:00+05:30">',
            "",
            None,
            "2021-06-03T20:00:00+05:30",
            "meta",
        ),
        (
            '<meta name="publish-date" content="04/06/2021">',
            "",
            None,
            "2021-06-04T00:00:00+05:30",
            "meta",
        ),  # DMY
        (
            '<meta itemprop="datePublished" content="2021-06-02">',
            "",
            None,
            "2021-06-02T00:00:00+05:30",
            "meta",
        ),
        ("", "<p>Created On :   4 Jun 2021 3:57 PM IST</p>", None, "2021-06-04T15:57:00+05:30", "text-stamp"),
        (
            "",
            "<div>Publish Date:Fri, 04 Jun 2021 01:34 PM (IST)</div>",
            None,
            "2021-06-04T13:34:00+05:30",
            "text-stamp",
        ),
        ("", "<span>प्रकाशित: 3 जून 2021, 10:30 AM</span>", None, "2021-06-03T10:30:00+05:30", "text-stamp"),
        (
            "",
            "<time class='pubdate' datetime='2021-06-01T08:00:00+05:30'>1 जून</time>",
            None,
            "2021-06-01T08:00:00+05:30",
            "time-tag",
        ),
        ("", "", "https://ex.com/2021/06/03/teeka-abhiyan-report.html", "2021-06-03T00:00:00+05:30", "url"),
        # A stamp after the fetch time is a template or time-zone bug: the next source is used.
        (
            ld(datePublished="2021-06-05T18:00:00+05:30")
            + '<meta property="article:published_time" content="2021-06-04T09:00:00+05:30">',
            "",
            None,
            "2021-06-04T09:00:00+05:30",
            "meta",
        ),
        (ld(datePublished="2031-01-01T00:00:00+05:30"), "", None, None, None),
        ("", "<footer>© 2021 समाचार</footer>", None, None, None),  # a copyright year is no date
        ("", "<p>12 मई 2021 को हुई बैठक में यह तय हुआ था।</p>", None, None, None),  # a date in prose is no stamp
    ],
)
def test_publication_time(
    head: str, extra: str, url: str | None, want: str | None, source: str | None
) -> None:
    html, default_url = dated(head, extra)
    art = article_from_html(html, url=url or default_url, fetched=FETCHED)
    assert (art.published.isoformat() if art.published else None) == want
    assert art.published_source == source
    if art.published is not None:
        assert art.published.tzinfo is not None and art.published <= FETCHED


def test_published_defaults_to_now_as_the_upper_bound() -> None:
    future = (datetime.now(IST) + timedelta(days=3)).isoformat(timespec="seconds")
    html, url = dated(ld(datePublished=future, dateModified=future))
    art = article_from_html(html, url=url)
    assert art.published is None and art.modified is None


@pytest.mark.parametrize(
    ("head", "extra", "want"),
    [
        (
            ld(datePublished="2021-06-04T10:00:00+05:30", dateModified="2021-06-04T18:00:00+05:30"),
            "",
            "2021-06-04T18:00:00+05:30",
        ),
        (
            ld(datePublished="2021-06-04T10:00:00+05:30", dateModified="2021-06-03T18:00:00+05:30"),
            "",
            None,
        ),  # before publication
        (
            '<meta property="article:modified_time" content="2021-06-04T21:00:00+05:30">',
            "",
            "2021-06-04T21:00:00+05:30",
        ),
        ("", "<p>Updated on: 04-Jun-2021 11:35 PM</p>", "2021-06-04T23:35:00+05:30"),
    ],
)
def test_modification_time(head: str, extra: str, want: str | None) -> None:
    html, url = dated(head, extra)
    art = article_from_html(html, url=url, fetched=FETCHED)
    assert (art.modified.isoformat() if art.modified else None) == want


# ------------------------------------------------------------------------------------------------ boilerplate
@pytest.mark.parametrize(
    "line",
    [
        "और पढ़ें",
        "और पढ़ेंकम पढ़ें",
        "कम पढ़ें",
        "Share: Facebook Twitter WhatsApp",
        "Facebook | Twitter | Email",
        "Created On :   4 Jun 2021 3:57 PM IST",
        "Updated on: 18-Jun-2021 12:35 AM",
        "Publish Date:Sat, 28 Nov 2020 01:34 PM (IST)",
        "यह भी पढ़ें: जिले में नए केंद्र खुले",
        "ये भी पढ़ें- टीकाकरण के लिए पंजीयन शुरू",
        "विज्ञापन",
        "Advertisement",
        "डाउनलोड करें जागरण एप और न्यूज़ जगत की सभी खबरों के साथ",
        "Join WhatsApp Group for latest news",
        "Apr 02, 2020, 04:11 AM IST",
        "समाचार",
        "अमर उजाला",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    assert clean_paragraphs([P1, line, P2]) == [P1, P2]


def test_repeated_headlines_translations_and_what_follows_next_story_are_dropped() -> None:
    lines = [
        TITLE,
        "Vaccination at 146 centres in Jabalpur",
        TITLE,
        P1,
        P2,
        P1,
        "Tags",
        "कोरोना",
        "टीकाकरण",
        "Next Story",
        "अगली खबर का पहला वाक्य यहां है।",
    ]
    assert clean_paragraphs(lines, [TITLE]) == [P1, P2]


def test_tags_before_the_story_starts_do_not_end_it() -> None:
    assert clean_paragraphs(["Tags", "कोरोना", P1, P2]) == ["कोरोना", P1, P2]


def test_english_story_keeps_its_english_lines() -> None:
    english = [
        "Vaccination resumed at 146 centres on Thursday across the district.",
        "The portal was slow in the morning.",
    ]
    assert clean_paragraphs(english) == english


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"{TITLE} | समाचार", TITLE),
        (f"{TITLE} - Amar Ujala", TITLE),
        (f"बिजनेस स्टैंडर्ड - {TITLE}", TITLE),
        (f"बिजनेस स्टैंडर्ड {TITLE}", TITLE),
        (f"{TITLE} | Jabalpur News | Dainik Bhaskar", f"{TITLE} | Jabalpur News"),
        (f"  {TITLE}\u00a0 ", TITLE),
        ("पत्रिका", "पत्रिका"),  # a title that is only a site name is left alone
        ("टीका &amp; जांच", "टीका & जांच"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_share_bars_related_lists_and_ads_are_cut_from_the_body() -> None:
    html = page(
        f"""<article><h1>{TITLE}</h1>
        <div class="social-share"><a>Facebook</a><a>Twitter</a></div>
        <p>{P1}</p><div class="ad-slot">विज्ञापन देखें और जीतें इनाम</div><p>{P2}</p>
        <div class="related-stories"><h3>संबंधित खबरें</h3><a href="/x">दूसरे शहर में भारी बारिश से जनजीवन अस्त-व्यस्त हो गया</a></div>
        <p>{P3}</p><div class="tags"><a>कोरोना</a><a>वैक्सीन</a></div></article>"""
    )
    art = article_from_html(html, url="https://ex.com/news/x-y-z-12345")
    assert art.paragraphs == [P1, P2, P3]


# ------------------------------------------------------------------------------------------------ structure
def test_malformed_html_is_repaired() -> None:
    html = f"<html><head><title>{TITLE}</title><body><div><h1>{TITLE}</h2><p>{P1}<b><i>{P2}</b></i><p>{P3}</div></span></td>"
    art = article_from_html(html, url="https://ex.com/news/x-y-z-12345")
    assert art.title == TITLE
    assert "".join(art.paragraphs).replace(" ", "") == (P1 + P2 + P3).replace(" ", "")


@pytest.mark.parametrize(
    "script",
    [
        json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "name": "x"},
                    {"@type": "NewsArticle", "headline": TITLE, "articleBody": f"{P1}\n{P2}\n{P3}"},
                ],
            },
            ensure_ascii=False,
        ),
        json.dumps(
            [
                {"@type": "BreadcrumbList"},
                {"@type": ["NewsArticle"], "headline": TITLE, "articleBody": f"{P1}\n{P2}\n{P3}"},
            ],
            ensure_ascii=False,
        ),
        '{"@type": "NewsArticle", "headline": "'
        + TITLE
        + '", "articleBody": "'
        + P1
        + "\n"
        + P2
        + "\n"
        + P3
        + '",}',  # raw newlines, trailing comma
        json.dumps(
            {"@type": "NewsArticle", "headline": TITLE, "articleBody": f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"},
            ensure_ascii=False,
        ),
    ],
)
def test_json_ld_as_sites_write_it(script: str) -> None:
    html = page(f'<script type="application/ld+json">{script}</script><div>{P1}</div>')
    art = article_from_html(html, url="https://ex.com/news/x-y-z-12345")
    assert art.parser == "json-ld" and art.paragraphs == [P1, P2, P3] and art.title == TITLE


def test_a_short_json_ld_summary_does_not_replace_the_story() -> None:
    html = page(
        ld(articleBody="टीकाकरण की खबर।")
        + f"<article><h1>{TITLE}</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"
    )
    art = article_from_html(html, url="https://ex.com/news/x-y-z-12345")
    assert art.parser != "json-ld" and P2 in art.paragraphs


@pytest.mark.parametrize(
    ("keywords", "tags"),
    [
        ("कोरोना, टीकाकरण , वैक्सीन", ["कोरोना", "टीकाकरण", "वैक्सीन"]),
        (["कोरोना", "टीका"], ["कोरोना", "टीका"]),
        ("['civic animities']", ["civic animities"]),
        ("export, import, textiles,", ["export", "import", "textiles"]),
        ("a; b | c", ["a", "b", "c"]),
    ],
)
def test_tags(keywords: object, tags: list[str]) -> None:
    html = page(ld(keywords=keywords, articleBody=f"{P1}\n{P2}\n{P3}"))
    assert article_from_html(html, url="https://ex.com/news/x-y-z-12345").tags == tags


def test_canonical_url_dateline_language_and_site() -> None:
    html = page(
        f"<article><h1>{TITLE}</h1><p>{P1}</p><p>{P2}</p></article>",
        '<link rel="canonical" href="/news/teeka-report-12345?utm_source=amp">',
    )
    art = article_from_html(html, url="https://www.ex.com/amp/news/teeka-report-12345", site=None)
    assert art.canonical_url == "https://www.ex.com/news/teeka-report-12345"
    assert art.dateline == "जबलपुर" and art.devanagari_share > 0.95 and art.site == "www.ex.com"


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("<html><body><nav><a href='/'>होम</a></nav></body></html>", "no article body"),
    ],
)
def test_pages_without_a_story_raise_with_a_reason(html: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        article_from_html(html, url="https://ex.com/")


# ------------------------------------------------------------------------------------------------ per-site layouts
FURNITURE = "दूसरे शहर में भारी बारिश से जनजीवन अस्त-व्यस्त हो गया और कई सड़कें बंद रहीं"
LAYOUTS = {
    "bhaskarhindi": f"""<h1 class="story-title">{TITLE}</h1><h2 class="english">Vaccination at 146 centres</h2>
        <div class="created-on">Created On : 4 Jun 2021 3:57 PM IST</div>
        <div class="story-content">{TITLE}<br>{P1}<br>{P2}<br>{P3}
        <div class="related-news"><a href="/x">{FURNITURE}</a></div></div>
        <div class="tags">Tags <a>कोरोना</a></div><a class="read-more">और पढ़ेंकम पढ़ें</a>""",
    "patrika": f"""<h1 class="title">{TITLE}</h1><div class="publish">Published: 04 Jun 2021, 03:57:00 PM</div>
        <div class="complete-story"><p>{P1}</p><div class="also-read"><a>{FURNITURE}</a></div><p>{P2}</p><p>{P3}</p></div>""",
    "naidunia": f"""<h1 class="title">{TITLE}</h1><div class="dateInfo">Publish Date: Fri, 04 Jun 2021 03:57 PM (IST)</div>
        <div class="articleBody"><p>{P1}</p><p>{P2}</p><div class="readAlso">{FURNITURE}</div><p>{P3}</p></div>""",
    "amarujala": f"""<section class="article-detail"><h1>{TITLE}</h1>
        <div class="auther-time"><span>जबलपुर ब्यूरो</span> Updated Fri, 04 Jun 2021 03:57 PM IST</div>
        <div class="article-desc ul_styling">{P1}<div class="ad-dt"></div><div class="ad-mb-app"><center class="vigyapan">विज्ञापन</center></div>{P2} <br>{P3}</div></section>""",
    "jagran": f"""<div class="articleHd"><h1>{TITLE}</h1></div><div class="dateInfo">Publish Date:Fri, 04 Jun 2021 03:57 PM (IST)Author: डेस्क</div>
        <div class="articleBody"><p><strong>{P1[:14]}</strong>{P1[14:]}</p><p></p><p>{P2}</p>
        <div class="relativeNews"><a>{FURNITURE}</a><a class="nextRead">यह भी पढ़ें</a></div><p>{P3}</p>
        <p><a href="https://bit.ly/x">डाउनलोड करें जागरण एप और न्यूज़ जगत की सभी खबरों के साथ पाएं जॉब अलर्ट</a></p></div>""",
    "livehindustan": f"""<h1 class="storyHead">{TITLE}</h1><div class="time-dt">Fri, 04 Jun 2021 03:57 PM</div>
        <div class="stry-txt"><p>{P1}</p><p>{P2}</p><div class="alsoRead">{FURNITURE}</div><p>{P3}</p></div>""",
    "bhaskar": f"""<h1>{TITLE}</h1><div class="db_storycontent"><div class="db_storyheader">{FURNITURE}</div><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
        <meta property="article:published_time" content="2021-06-04T15:57:00+05:30">""",
    "business-standard-hindi": f"""<table><tr><td colspan=2 width='600'><p><p><table width='100%'><tr><td><h1>{TITLE}</h1></td></tr>
        <tr><td>संवाददाता / जबलपुर&nbsp;June  04, 2021</td></tr></table><div class="addthis_inline_share_toolbox">{FURNITURE}</div>
        <p align="justify"><font size="3">{P1}</font><p><p align="justify"><font size="3">{P2}</font><p><p align="justify"><font size="3">{P3}</font></td></tr>
        <tr><td><span class='ctxtblue'>Keyword:&nbsp;</span><a class='ctxtRelated'>टीका</a>,<a class='ctxtRelated'>कोरोना</a></td></tr></table>""",
}


@pytest.mark.parametrize("site", sorted(LAYOUTS))
def test_per_site_layouts(site: str) -> None:
    html = f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><nav><a href="/">होम</a></nav>{LAYOUTS[site]}<footer>© 2021</footer></body></html>'
    art = article_from_html(html, url="https://ex.com/news/x-y-z-12345", site=site, fetched=FETCHED)
    assert art.parser.startswith("site:"), art.parser
    assert art.title == TITLE
    assert art.paragraphs == [P1, P2, P3]
    assert FURNITURE not in art.text
    assert art.published is not None and art.published.date().isoformat() == "2021-06-04"


def test_an_unmatched_site_layout_falls_back_to_trafilatura() -> None:
    art = article_from_html(PLAIN, url="https://ex.com/news/x-y-z-12345", site="jagran")
    assert art.parser == "trafilatura" and art.paragraphs == [P1, P2, P3]
