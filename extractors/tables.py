"""Figures from tables that a scraper flattened into lines of text.

District press notes often end in a block-wise table:

    क्र. विकासखंड लक्ष्य उपलब्धि प्रतिशत
    1 अमरपाटन 1800 1412 78.4
    2 मैहर 2100 1688 80.4

A header line names the columns (words in `data/tables.toml`); each following row is a label (the place,
as written) and as many numbers as there are numeric columns. Numbers are matched to columns from the
right, so a leading serial number never shifts them. Each numeric column becomes a dose or centre count
with the column's measure and dose, and the row label as its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from extractors.common import vocab, word_set
from extractors.context import Document, SentenceView
from pipeline.text import fold

# A cell: a figure, or a dash standing for an empty cell ("530 | —").
_CELL = r"(?:\d[\d,]*(?:\.\d+)?|[—–-])"
_ROW = re.compile(
    rf"^\s*(?:\d{{1,3}}[.)]?\s+)?(?P<label>[^\d\n]*?[^\d\s—–-][^\d\n]*?|)\s+(?P<nums>\d[\d,]*(?:\.\d+)?(?:\s+{_CELL})*)\s*$"
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CELLS = re.compile(_CELL)


def _row(line: str) -> re.Match[str] | None:
    """`_ROW.match(line)`, tried only on a line ending in a cell (a digit or a dash): its lazy label makes
    the regex slow to fail on a long sentence, and prose ends in a danda."""
    tail = line.rstrip()
    if not tail or not (tail[-1].isdecimal() or tail[-1] in "—–-"):
        return None
    return _ROW.match(line)


def _line(sv: SentenceView) -> str:
    """The sentence with table rules ("|") as blanks: same length, so offsets still index sv.norm."""
    return sv.norm.replace("|", " ")


@dataclass(frozen=True)
class Column:
    kind: str  # "label" | "serial" | "dose_count" | "center_count" | "skip"
    measure: str | None = None
    dose: int | None = None
    else_label: bool = False  # names the rows when no other column does
    site: bool = False  # a label column of vaccination sites: each row names a centre


@cache
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\u0900-\u0963]){re.escape(word)}(?![\w\u0900-\u0963])")


@cache
def _column_words() -> list[tuple[str, dict[str, Any]]]:
    """The column words, longest first ("प्रथम डोज" before "डोज"); sorted once, as every line is tried."""
    words: dict[str, dict[str, Any]] = vocab("tables")["columns"]
    return sorted(words.items(), key=lambda kv: -len(kv[0]))


@cache
def _any_column_word() -> re.Pattern[str]:
    """Any column word, anywhere (unbounded): a line with none of them is no header, tested in one scan."""
    return re.compile("|".join(re.escape(w) for w, _ in _column_words()))


def _columns(header: str) -> list[Column] | None:
    """The numeric columns a header line names, left to right; None when it is no table header."""
    key = fold(header)
    if not _any_column_word().search(key):
        return None  # most lines: no column word, so no column (the loop below would find none)
    found: list[tuple[int, Column]] = []
    taken: list[tuple[int, int, str]] = []
    for word, spec in _column_words():
        if word not in key:
            continue  # most lines name no column: skip the regex
        for m in _word_re(word).finditer(key):
            if any(m.start() < end and start < m.end() for start, end, _ in taken):
                continue
            taken.append((m.start(), m.end(), word))
            col = Column(
                spec["kind"],
                spec.get("measure"),
                spec.get("dose"),
                spec.get("else_label", False),
                spec.get("site", False),
            )
            found.append((m.start(), col))
    found.sort(key=lambda x: x[0])
    columns = [c for _, c in found if c.kind != "serial"]  # a row's serial number is read by _ROW itself
    if not any(c.kind == "label" for c in columns):
        first = next((n for n, c in enumerate(columns) if c.else_label), None)
        if first is not None:
            columns[first] = Column("label", site=True)
    counted = [c for c in columns if c.kind in ("dose_count", "center_count")]
    if not counted or not any(c.kind == "label" for c in columns) or len(columns) < 2 + (len(counted) < 2):
        return None
    return columns


def _value(raw: str) -> int | None:
    clean = raw.replace(",", "")
    if "." in clean:
        return None  # a percentage or a rate
    return int(clean)


def extract(doc: Document) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    columns: list[Column] | None = None
    lead: dict[str, Any] = {}
    for sv in doc.sentences:
        line = _line(sv)
        row = _row(line)
        if columns is not None and row is not None:
            facts.extend(_row_facts(doc, sv, row, columns, lead))
            continue
        first_digit = _NUMBER.search(line)
        if first_digit is None:
            columns = _columns(line)
            if columns is not None:
                lead = _lead_in(doc, sv)
            continue
        columns = None
        inline = _columns(line[: first_digit.start()])
        if inline is not None:  # "क्र. विकासखंड लक्ष्य उपलब्धि 1 छिंदवाड़ा शहरी 6000 5872 2 …" on one line
            facts.extend(_inline_rows(doc, sv, inline, first_digit.start()))
    return facts


def _lead_in(doc: Document, header: SentenceView) -> dict[str, Any]:
    """The single age group / dose of the sentence that introduces a table ("18 से 44 वर्ष के युवाओं के
    टीकाकरण का ब्योरा इस प्रकार है —"): its rows inherit them where their column says nothing."""
    from extractors.doses import sentence_state

    if header.index == 0:
        return {}
    return sentence_state(doc.sentences[header.index - 1])


def _inline_rows(doc: Document, sv: SentenceView, columns: list[Column], start: int) -> list[dict[str, Any]]:
    k = sum(1 for c in columns if c.kind != "label")
    row = re.compile(
        r"\s*(?:\d{1,3}[.)]?\s+)?(?P<label>[^\d\n]+?)\s+"
        rf"(?P<nums>\d[\d,]*(?:\.\d+)?(?:\s+\d[\d,]*(?:\.\d+)?){{{k - 1}}})(?=\s|$)"
    )
    out: list[dict[str, Any]] = []
    pos = start
    line = _line(sv)
    while (m := row.match(line, pos)) is not None:
        out.extend(_row_facts(doc, sv, m, columns, {}))
        pos = m.end()
    return out


def _row_site(sv: SentenceView, row: re.Match[str]) -> list[dict[str, Any]]:
    """The centre a row of a table of sites names ("2 | सीएचसी मालाखेड़ा | 356 | 94"); mobile teams and
    vans are no centres."""
    start, end = row.span("label")
    text = sv.norm[start:end]
    start += len(text) - len(text.lstrip(" |"))
    end -= len(text) - len(text.rstrip(" |"))
    if start >= end or word_set("tables", "not_sites") & set(fold(sv.norm[start:end]).split()):
        return []
    name = sv.original(start, end)
    return [{"type": "center", "name": name, "organizer": None, "evidence": sv.evidence(start, end)}]


def _stated_elsewhere(doc: Document, sv: SentenceView) -> set[float]:
    return {n.value for x in doc.sentences if x is not sv for n in x.numbers}


def _row_facts(
    doc: Document, sv: SentenceView, row: re.Match[str], columns: list[Column], lead: dict[str, Any]
) -> list[dict[str, Any]]:
    cells = list(_CELLS.finditer(row.string, row.start("nums"), row.end("nums")))  # the row's own line
    numeric = [c for c in columns if c.kind != "label"]
    if len(cells) != len(numeric):
        return []  # a row that does not fit the header is not read
    from extractors.doses import report_frame

    frame = {**report_frame(doc), **lead}
    place: str | None = sv.original(row.start("label"), row.end("label")).strip()
    repeated: set[float] = set()
    out = []
    if not place or fold(place) in word_set("tables", "total_labels"):
        # a totals row: its figures are facts of the whole report, unless its text states them already
        place, repeated = None, _stated_elsewhere(doc, sv)
    elif any(c.kind == "label" and c.site for c in columns):
        out.extend(_row_site(sv, row))
    for m, col in zip(cells, numeric, strict=True):
        value = _value(m.group()) if m.group()[0].isdigit() else None
        if col.kind == "skip" or value is None or value <= 0 or value in repeated:
            continue
        fact: dict[str, Any] = {"type": col.kind, "value": value, "qualifier": "exact"}
        if col.kind == "dose_count":
            # a table is a breakdown: it inherits the report's frame (an "18+ day") where its column says nothing
            fact.update(
                measure=col.measure,
                age_group=frame.get("age_group"),
                dose=col.dose if col.dose is not None else frame.get("dose"),
                group=None,
            )
        else:
            fact.update(age_group=None, dose=col.dose)
        fact.update(
            place=place,
            date=doc.event_date.isoformat() if doc.event_date else None,
            evidence=sv.evidence(m.start(), m.end()),
        )
        out.append(fact)
    return out
