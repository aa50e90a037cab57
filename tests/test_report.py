"""The fact-checker's report: HTML with verdicts and escaped evidence, PNG charts drawn from real figures."""

from __future__ import annotations

import html
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline import store
from pipeline.config import Settings
from pipeline.report import ReportOutput, build_sections, write_report
from pipeline.verify import load_official, verify_all
from tests.test_verify import jabalpur_april_doc, jabalpur_april_later_doc, make_doc, store_doc

VAXNEWS = [str(Path(sys.executable).with_name("vaxnews"))]
SETTINGS = Settings()
HOSTILE = 'जिले में <script>alert("x")</script> & "उत्सव" में 22,397 लोगों को टीका लगा।'


def hostile_doc() -> dict[str, Any]:
    """Jabalpur, 3 June: the real figure, in a sentence full of HTML metacharacters."""
    return make_doc(
        [HOSTILE, "18 से 44 वर्ष के 19 हजार से अधिक युवाओं को टीका लगा।", "बरगी में 900 लोगों को टीका लगा।"],
        [
            (0, "22,397", {"value": 22397}),
            (1, "19 हजार", {"value": 19000, "qualifier": "at_least", "age_group": "18-44"}),
            (2, "900", {"value": 900, "place": "बरगी"}),
        ],
        url='https://example.in/jabalpur?a=1&b="2"',
        district="Jabalpur",
        state="Madhya Pradesh",
        event_date="2021-06-03",
        title="जबलपुर <b>टीकाकरण</b>",
    )


def bastar_doc() -> dict[str, Any]:
    return make_doc(
        ["बस्तर जिले में सोमवार को 2,390 लोगों को टीका लगा।"],
        [(0, "2,390", {"value": 2390})],
        url="https://example.in/bastar",
        district="Bastar",
        state="Chhattisgarh",
        event_date="2021-06-21",
    )


def varanasi_doc() -> dict[str, Any]:
    return make_doc(
        ["जनपद में बुधवार को 20,172 लोगों को टीका लगा।"],
        [(0, "20,172", {"value": 20172})],
        url="https://example.in/varanasi",
        district="Varanasi",
        state="Uttar Pradesh",
        event_date="2021-07-14",
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportOutput, Path]:
    tmp = tmp_path_factory.mktemp("report")
    db = store.connect(tmp / "r.db")
    load_official(db, SETTINGS.official_csv)
    for n, doc in enumerate(
        [hostile_doc(), jabalpur_april_doc(), jabalpur_april_later_doc(350000), bastar_doc(), varanasi_doc()]
    ):
        store_doc(db, doc, f"art-{n}")
    verify_all(db, SETTINGS)
    out = write_report(db.conn, tmp / "out", settings=SETTINGS)
    return out, tmp / "r.db"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_html_has_one_section_per_area_with_verdicts(report: tuple[ReportOutput, Path]) -> None:
    out, _ = report
    page = out.html.read_text(encoding="utf-8")
    assert out.sections == 3
    for key, label in (
        ("jabalpur-madhya-pradesh", "Jabalpur (Madhya Pradesh)"),
        ("bastar-chhattisgarh", "Bastar (Chhattisgarh)"),
        ("varanasi-uttar-pradesh", "Varanasi (Uttar Pradesh)"),
    ):
        assert f'<section id="{key}"><h2>{label}</h2>' in page
    for verdict in ("match", "close", "discrepancy", "no_official_data", "not_comparable"):
        assert f'<span class="badge v-{verdict}">{verdict}</span>' in page
    jabalpur = page[page.index('id="jabalpur-madhya-pradesh"') : page.index('id="varanasi-uttar-pradesh"')]
    for day in ("2021-04-14", "2021-04-19", "2021-06-03"):
        assert f"<h3>{day}</h3>" in jabalpur
    assert "13,209" in jabalpur and "22,509" in jabalpur and "3,60,075 on 2021-04-16" in jabalpur
    assert "<caption" in jabalpur and '<tr class="event"><td>2021-04-14</td>' in jabalpur  # neighbouring days
    assert "self:cumulative_trend" in jabalpur and "fell from 3,60,075" in jabalpur
    assert "Official sources" in page and "CC BY" in page and "mp_district_daily_2021-04_2021-07.csv" in page


def test_all_text_is_escaped(report: tuple[ReportOutput, Path]) -> None:
    out, _ = report
    page = out.html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>टीकाकरण</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;उत्सव&quot;" in page
    assert "<mark>22,397</mark>" in page  # the stated figure is marked inside the escaped sentence
    assert 'href="https://example.in/jabalpur?a=1&amp;b=&quot;2&quot;"' in page
    assert "जबलपुर &lt;b&gt;टीकाकरण&lt;/b&gt;" in page
    # every tag in the page is one the report writes itself
    tags = set(re.findall(r"<([a-z0-9]+)[\s>]", page))
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "nav",
        "a",
        "img",
        "section",
        "table",
        "caption",
        "tr",
        "th",
        "td",
        "span",
        "br",
        "mark",
        "code",
    }
    assert tags <= allowed, tags - allowed


def test_charts_are_png_files_drawn_from_real_data(report: tuple[ReportOutput, Path]) -> None:
    from matplotlib import image

    out, _ = report
    names = sorted(p.name for p in out.charts)
    # Varanasi has no official figures in the bundled slice: no chart, and the page says so.
    assert names == ["bastar-chhattisgarh.png", "jabalpur-madhya-pradesh.png", "overview.png"]
    page = out.html.read_text(encoding="utf-8")
    assert 'src="charts/jabalpur-madhya-pradesh.png"' in page and 'src="charts/overview.png"' in page
    assert "No chart: no official daily figures" in page
    for path in out.charts:
        width, height = png_size(path)
        assert width >= 700 and height >= 450, (path.name, width, height)
        assert path.stat().st_size > 20_000, path.name
        pixels = image.imread(path)
        assert pixels.shape[:2] == (height, width)
        assert pixels[..., :3].std() > 0.05, f"{path.name} is nearly blank"
        # many distinct colours: lines, markers, text (not a blank canvas with a caption)
        assert len({tuple(p) for p in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}) > 50


def test_the_chart_follows_the_official_series(tmp_path: Path) -> None:
    """Two districts with different official series give different pictures."""
    from matplotlib import image

    db = store.connect(tmp_path / "two.db")
    load_official(db, SETTINGS.official_csv)
    store_doc(db, bastar_doc(), "b")
    other = bastar_doc()
    other["article"] |= {"district": "Raipur", "url": "https://example.in/raipur"}
    store_doc(db, other, "r")
    verify_all(db, SETTINGS)
    out = write_report(db.conn, tmp_path / "out")
    a = image.imread(tmp_path / "out" / "charts" / "bastar-chhattisgarh.png")
    b = image.imread(tmp_path / "out" / "charts" / "raipur-chhattisgarh.png")
    assert a.shape == b.shape and abs(a - b).mean() > 0.005
    assert len(out.charts) == 3


def test_sections_group_by_area_and_sort_by_day() -> None:
    rows = [
        {
            "id": "1",
            "district": "Jabalpur",
            "date": "2021-06-03",
            "comparison": "administered",
            "verdict": "match",
        },
        {
            "id": "2",
            "district": "जबलपुर",
            "date": "2021-04-14",
            "comparison": "cumulative",
            "verdict": "close",
        },
        {
            "id": "3",
            "district": "Madhya Pradesh",
            "date": "2021-06-03",
            "comparison": "administered@state",
            "verdict": "match",
        },
        {"id": "4", "district": None, "date": None, "comparison": "target", "verdict": "not_comparable"},
    ]
    sections = build_sections(rows)
    assert [s.label for s in sections] == ["Jabalpur (Madhya Pradesh)", "Madhya Pradesh", "Area unknown"]
    assert [r["id"] for r in sections[0].rows] == ["2", "1"]
    assert sections[1].level == "state"


def test_report_command(report: tuple[ReportOutput, Path], tmp_path: Path) -> None:
    _, db = report
    proc = subprocess.run(
        [*VAXNEWS, "report", str(tmp_path / "cli"), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "3 sections, 3 charts" in proc.stdout
    page = (tmp_path / "cli" / "index.html").read_text(encoding="utf-8")
    assert html.escape("<script>") in page and (tmp_path / "cli" / "charts" / "overview.png").exists()
    missing = subprocess.run(
        [*VAXNEWS, "report", str(tmp_path / "x"), "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "no database" in missing.stderr
