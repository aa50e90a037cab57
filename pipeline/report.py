"""The fact-checker's report: one HTML page and PNG charts of reported vs official figures.

`write_report(conn, out_dir)` reads the `verifications` table (and the articles, facts and official tables
beside it) and writes `out_dir/index.html` with one section per district (or state), each listing, day by
day, what the news reported, the official figure, the difference, a verdict badge, the evidence sentence
(the stated figure highlighted), the explanation and, for daily and cumulative figures, CoWIN's
neighbouring days. `out_dir/charts/*.png` draw the official daily doses around the reported days with the
reported figures on top, coloured by verdict, plus one overview scatter of reported vs official.

All text is HTML-escaped. The charts use matplotlib's object API (no pyplot, no global backend state);
their labels are English and the district names Latin, because no installed font renders Devanagari.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.official import COUNTRY, OfficialData, resolve_district, resolve_state
from pipeline.verify import VERDICTS, fmt_in

_COLOURS = {
    "match": "#1a9850",
    "close": "#f0a202",
    "discrepancy": "#d73027",
    "no_official_data": "#7f7f7f",
    "not_comparable": "#b0b0b0",
}
_WINDOW = 7  # days of official data drawn either side of the reported days
_DAILY = re.compile(r"^administered(@state|@country)?$")


@dataclass
class Section:
    key: str  # slug
    label: str  # "Jabalpur (Madhya Pradesh)"
    area: str | None
    state: str | None
    level: str  # district | state | unknown
    rows: list[dict[str, Any]] = field(default_factory=list)
    chart: Path | None = None


@dataclass
class ReportOutput:
    html: Path
    charts: list[Path]
    sections: int
    verifications: int


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}


# ---------------------------------------------------------------------------- grouping
def _section_for(row: dict[str, Any]) -> tuple[str, str, str | None, str | None, str]:
    """(key, label, area, state, level) of a verification row."""
    name = row.get("district")
    comparison = row.get("comparison") or ""
    if not name:
        return "unknown", "Area unknown", None, None, "unknown"
    if comparison.endswith(("@state", "@country")) or name == COUNTRY:
        hit = resolve_state(name)
        state = hit[0] if hit else name
        return _slug(state), state, state, state, "state"
    found = resolve_district(name)
    if found is not None:
        label = f"{found[0]} ({found[1]})"
        return _slug(label), label, found[0], found[1], "district"
    hit = resolve_state(name)
    if hit is not None:
        return _slug(hit[0]), hit[0], hit[0], hit[0], "state"
    return _slug(name), name, name, None, "unknown"


def _comparison_rank(comparison: str) -> tuple[int, str]:
    order = ("administered", "cumulative", "centres_vs_sites", "target", "available", "self:")
    for n, prefix in enumerate(order):
        if comparison.startswith(prefix):
            return n, comparison
    return len(order), comparison


def build_sections(rows: Sequence[dict[str, Any]]) -> list[Section]:
    sections: dict[str, Section] = {}
    for row in rows:
        key, label, area, state, level = _section_for(row)
        sec = sections.setdefault(key, Section(key, label, area, state, level))
        sec.rows.append(row)
    for sec in sections.values():
        sec.rows.sort(
            key=lambda r: (r.get("date") or "", _comparison_rank(r.get("comparison") or ""), r["id"])
        )
    return sorted(sections.values(), key=lambda s: (s.level == "unknown", s.label))


# ---------------------------------------------------------------------------- charts
def _figure(width: float = 9.0, height: float = 4.6) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _thousands(value: float, _pos: int | None = None) -> str:
    return fmt_in(int(value))


def _daily_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Daily whole-area figures that were (or could have been) compared with CoWIN."""
    return [
        r
        for r in rows
        if _DAILY.match(r.get("comparison") or "")
        and r.get("date")
        and r.get("reported") is not None
        and r.get("verdict") != "not_comparable"
    ]


def draw_area_chart(data: OfficialData, sec: Section, path: Path) -> Path | None:
    """Official daily doses around the reported days, with the reported daily figures on top.

    None when the section has no daily figure or no official figures for its days (nothing to compare).
    """
    from matplotlib import dates as mdates
    from matplotlib.ticker import FuncFormatter

    reported = _daily_rows(sec.rows)
    if not reported or sec.area is None or sec.state is None or sec.level == "unknown":
        return None
    days = sorted(date.fromisoformat(r["date"]) for r in reported)
    lo, hi = days[0] - timedelta(days=_WINDOW), days[-1] + timedelta(days=_WINDOW)

    def in_window(series: Any) -> list[tuple[date, int]]:
        return [
            (date.fromisoformat(d), p.daily)
            for d, p in sorted(series.points.items())
            if p.daily is not None and lo <= date.fromisoformat(d) <= hi
        ]

    total = in_window(data.doses(sec.area, sec.state, level=sec.level, dose=None))
    if not total:
        return None
    first = in_window(data.doses(sec.area, sec.state, level=sec.level, dose=1))
    fig = _figure()
    ax = fig.subplots()
    ax.plot(
        [d for d, _ in total],
        [v for _, v in total],
        color="#2b6cb0",
        linewidth=2,
        marker="o",
        markersize=3,
        label="CoWIN daily doses (first + second)",
    )
    ax.plot(
        [d for d, _ in first],
        [v for _, v in first],
        color="#90cdf4",
        linewidth=1.2,
        linestyle="--",
        label="CoWIN first doses",
    )
    seen: set[str] = set()
    for r in reported:
        verdict = r["verdict"]
        label = f"reported in the news: {verdict}"
        d = date.fromisoformat(r["date"])
        ax.scatter(
            [d],
            [r["reported"]],
            s=90,
            color=_COLOURS.get(verdict, "#444444"),
            edgecolor="black",
            zorder=5,
            marker="D",
            label=None if label in seen else label,
        )
        seen.add(label)
        ax.annotate(
            fmt_in(r["reported"]),
            (mdates.date2num(d), r["reported"]),
            textcoords="offset points",
            xytext=(7, 6),
            fontsize=8,
            fontweight="bold",
        )
        if r.get("official") is not None:
            ax.annotate(
                fmt_in(r["official"]),
                (mdates.date2num(d), r["official"]),
                textcoords="offset points",
                xytext=(7, -12),
                fontsize=8,
                color="#2b6cb0",
            )
    ax.set_title(f"{sec.label}: daily vaccine doses, news reports vs CoWIN", fontsize=11)
    ax.set_xlabel(f"vaccination date ({lo.year}); official figures: covid19india.org (CoWIN), CC BY")
    ax.set_ylabel("doses per day")
    ax.set_xlim(lo - timedelta(days=1), hi + timedelta(days=1))
    ax.set_ylim(bottom=0, top=max(v for _, v in [*total, *((0, r["reported"]) for r in reported)]) * 1.15)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def draw_overview(rows: Sequence[dict[str, Any]], path: Path, *, close: float = 0.05) -> Path | None:
    """Every daily figure compared with CoWIN: reported vs official, log scales, the `close` band."""
    from matplotlib.ticker import FuncFormatter

    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        if _DAILY.match(r.get("comparison") or "") and (r.get("official") or 0) > 0 and r["reported"] > 0:
            unique.setdefault((r.get("district"), r.get("date"), r["reported"], r["official"]), r)
    points = list(unique.values())
    if not points:
        return None
    fig = _figure(7.0, 6.0)
    ax = fig.subplots()
    values = [v for r in points for v in (r["reported"], r["official"])]
    lo, hi = min(values) * 0.7, max(values) * 1.4
    ax.plot([lo, hi], [lo, hi], color="black", linewidth=1, label="reported = official")
    ax.fill_between(
        [lo, hi],
        [lo * (1 - close), hi * (1 - close)],
        [lo * (1 + close), hi * (1 + close)],
        color="#1a9850",
        alpha=0.12,
        label=f"within {close:.0%}",
    )
    seen: set[str] = set()
    for r in points:
        label = r["verdict"]
        ax.scatter(
            [r["official"]],
            [r["reported"]],
            s=60,
            color=_COLOURS.get(label, "#444444"),
            edgecolor="black",
            zorder=5,
            label=None if label in seen else label,
        )
        seen.add(label)
        ax.annotate(
            f"{r.get('district') or '?'} {r.get('date') or ''}",
            (r["official"], r["reported"]),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=7,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_xlabel("official daily doses (CoWIN via covid19india)")
    ax.set_ylabel("daily doses reported in the news")
    ax.set_title("All reports: reported vs official daily doses", fontsize=11)
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(loc="upper left", fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


# ---------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,'Noto Sans Devanagari','Mangal',sans-serif;margin:2rem auto;max-width:78rem;padding:0 1rem;color:#1a202c}
h1{font-size:1.6rem}h2{border-bottom:2px solid #cbd5e0;padding-bottom:.2rem;margin-top:2.5rem}h3{margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}th,td{border:1px solid #e2e8f0;padding:.3rem .45rem;vertical-align:top;font-size:.9rem}
th{background:#f7fafc;text-align:left}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:.8rem;font-weight:600;color:#fff;white-space:nowrap}
.v-match{background:#1a9850}.v-close{background:#c98a00}.v-discrepancy{background:#d73027}
.v-no_official_data{background:#7f7f7f}.v-not_comparable{background:#a0aec0}
.evidence{font-size:1rem;line-height:1.5;min-width:16rem;width:28%}mark{background:#fefcbf}
.explanation{color:#2d3748;font-size:.85rem}.neighbours td,.neighbours th{font-size:.8rem;padding:.1rem .35rem}
tr.event td{font-weight:700;background:#ebf8ff}img.chart{max-width:100%;border:1px solid #e2e8f0}
nav a{margin-right:.8rem}.muted{color:#718096;font-size:.85rem}
"""


def _badge(verdict: str | None) -> str:
    v = verdict or "unknown"
    return f'<span class="badge v-{_e(_slug(v).replace("-", "_"))}">{_e(v)}</span>'


def _evidence(sentence: str | None, quote: str | None) -> str:
    """The sentence, escaped, with the quoted figure marked."""
    text = sentence or ""
    if quote and quote in text:
        i = text.index(quote)
        return _e(text[:i]) + "<mark>" + _e(quote) + "</mark>" + _e(text[i + len(quote) :])
    return _e(text)


def _link(url: str | None, title: str | None) -> str:
    label = _e(title or url or "")
    if url and url.startswith(("http://", "https://", "file://")):
        return f'<a href="{_e(url)}">{label or _e(url)}</a>'
    return label


def _neighbours_table(row: dict[str, Any]) -> str:
    try:
        source = json.loads(row.get("official_source") or "{}")
    except ValueError:
        return ""
    neighbours = source.get("neighbours") or []
    if not neighbours:
        return ""
    body = "".join(
        f'<tr class="{"event" if n["date"] == row.get("date") else ""}"><td>{_e(n["date"])}</td>'
        f'<td class="num">{_e(fmt_in(n.get("daily")))}</td><td class="num">{_e(fmt_in(n.get("cumulative")))}</td></tr>'
        for n in neighbours
    )
    return (
        f'<table class="neighbours"><caption class="muted">{_e(source.get("series"))}, day by day '
        f"({_e(source.get('file'))})</caption><tr><th>date</th><th>daily</th><th>cumulative</th></tr>{body}</table>"
    )


def _row_html(row: dict[str, Any], quotes: dict[str, str], articles: dict[str, dict[str, Any]]) -> str:
    art = articles.get(row.get("article_id") or "", {})
    rel = row.get("relative_difference")
    rel_text = "" if rel is None else f"{rel * 100:+.2f} %"
    return (
        "<tr>"
        f"<td>{_e(row.get('comparison'))}</td>"
        f'<td class="num">{_e(fmt_in(row.get("reported")))}</td>'
        f'<td class="num">{_e(fmt_in(row.get("official")))}</td>'
        f'<td class="num">{_e(fmt_in(row.get("difference")))}<br><span class="muted">{_e(rel_text)}</span></td>'
        f"<td>{_badge(row.get('verdict'))}</td>"
        f'<td class="evidence" lang="hi">{_evidence(row.get("evidence"), quotes.get(row.get("fact_id") or ""))}'
        f'<br><span class="muted">{_link(row.get("article_url"), art.get("title"))}</span></td>'
        f'<td class="explanation">{_e(row.get("explanation"))}{_neighbours_table(row)}</td>'
        "</tr>"
    )


def _section_html(
    sec: Section, out_dir: Path, quotes: dict[str, str], articles: dict[str, dict[str, Any]]
) -> str:
    counts = Counter(r["verdict"] for r in sec.rows)
    badges = " ".join(f"{_badge(v)} {counts[v]}" for v in VERDICTS if counts[v])
    parts = [f'<section id="{_e(sec.key)}"><h2>{_e(sec.label)}</h2><p>{badges}</p>']
    if sec.chart is not None:
        rel = sec.chart.relative_to(out_dir).as_posix()
        parts.append(
            f'<img class="chart" src="{_e(rel)}" alt="{_e(sec.label)}: reported vs official daily doses">'
        )
    elif _daily_rows(sec.rows):
        parts.append('<p class="muted">No chart: no official daily figures are loaded for these days.</p>')
    by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sec.rows:
        by_day[r.get("date") or "date unknown"].append(r)
    head = (
        "<tr><th>figure</th><th>reported</th><th>official / reference</th><th>difference</th><th>verdict</th>"
        "<th>evidence (the news report)</th><th>explanation</th></tr>"
    )
    for day in sorted(by_day):
        rows = "".join(_row_html(r, quotes, articles) for r in by_day[day])
        parts.append(f"<h3>{_e(day)}</h3><table>{head}{rows}</table>")
    parts.append("</section>")
    return "".join(parts)


def _sources_html(data: OfficialData) -> str:
    sources = data.sources()
    if not sources:
        return "<p>No official figures were loaded.</p>"
    rows = "".join(
        f"<tr><td>{_e(s.get('file'))}</td><td>{_e(s.get('format'))}</td><td class='num'>{_e(fmt_in(s.get('rows')))}</td>"
        f"<td>{_e(s.get('date_from'))} – {_e(s.get('date_to'))}</td><td>{_e(s.get('source'))}</td>"
        f"<td>{_e(s.get('licence'))}</td></tr>"
        for s in sources
    )
    return (
        "<table><tr><th>file</th><th>format</th><th>rows</th><th>dates</th><th>source</th><th>licence</th></tr>"
        f"{rows}</table>"
    )


def write_report(
    conn: sqlite3.Connection, out_dir: Path, *, settings: Settings | None = None, title: str | None = None
) -> ReportOutput:
    """Write `out_dir/index.html` and `out_dir/charts/*.png` from the verifications in `conn`."""
    out_dir = Path(out_dir)
    charts_dir = out_dir / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    tables = _tables(conn)
    rows = _rows(conn, "select * from verifications") if "verifications" in tables else []
    articles = (
        {a["id"]: a for a in _rows(conn, "select id, url, title, published from articles")}
        if "articles" in tables
        else {}
    )
    quotes: dict[str, str] = {}
    for table in ("dose_counts", "center_counts"):
        if table in tables:
            quotes.update((r["id"], r["quote"]) for r in _rows(conn, f"select id, quote from [{table}]"))
    data = OfficialData(conn)
    sections = build_sections(rows)
    charts: list[Path] = []
    settings = settings or Settings()
    overview = draw_overview(rows, charts_dir / "overview.png", close=settings.close_threshold)
    if overview is not None:
        charts.append(overview)
    for sec in sections:
        sec.chart = draw_area_chart(data, sec, charts_dir / f"{sec.key}.png")
        if sec.chart is not None:
            charts.append(sec.chart)
    counts = Counter(r["verdict"] for r in rows)
    summary = " ".join(f"{_badge(v)} {counts[v]}" for v in VERDICTS if counts[v]) or "no verifications"
    nav = " ".join(f'<a href="#{_e(s.key)}">{_e(s.label)}</a>' for s in sections)
    overview_html = (
        '<img class="chart" src="charts/overview.png" alt="reported vs official daily doses, all reports">'
        if overview is not None
        else ""
    )
    page_title = title or "Vaccination figures in the news vs official CoWIN figures"
    body = "".join(_section_html(s, out_dir, quotes, articles) for s in sections)
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(page_title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(page_title)}</h1>"
        f"<p>{len(rows)} verifications in {len(sections)} areas: {summary}</p>"
        f'<p class="muted">difference = reported − official; verdicts: match ≤ {settings.match_threshold:.1%}, '
        f"close ≤ {settings.close_threshold:.1%}, else discrepancy (relative to the official figure). Rows named "
        "<code>self:…</code> check a report against itself or against earlier reports: their reference figure "
        "comes from the news, not from CoWIN.</p>"
        f"<nav>{nav}</nav>{overview_html}{body}"
        f"<h2>Official sources</h2>{_sources_html(data)}"
        "</body></html>\n"
    )
    path = out_dir / "index.html"
    path.write_text(document, encoding="utf-8")
    return ReportOutput(html=path, charts=charts, sections=len(sections), verifications=len(rows))
