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

_ROW = re.compile(
    r"^\s*(?:\d{1,3}[.)]?\s+)?(?P<label>[^\d\n]+?)\s+(?P<nums>\d[\d,]*(?:\.\d+)?(?:\s+\d[\d,]*(?:\.\d+)?)*)\s*$"
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Column:
    kind: str  # "label" | "dose_count" | "center_count" | "skip"
    measure: str | None = None
    dose: int | None = None


@cache
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\u0900-\u0963]){re.escape(word)}(?![\w\u0900-\u0963])")


def _columns(header: str) -> list[Column] | None:
    """The numeric columns a header line names, left to right; None when it is no table header."""
    words: dict[str, dict[str, Any]] = vocab("tables")["columns"]
    key = fold(header)
    found: list[tuple[int, Column]] = []
    taken: list[tuple[int, int, str]] = []
    for word, spec in sorted(words.items(), key=lambda kv: -len(kv[0])):  # "प्रथम डोज" before "डोज"
        if word not in key:
            continue  # most lines name no column: skip the regex
        for m in _word_re(word).finditer(key):
            if any(m.start() < end and start < m.end() for start, end, _ in taken):
                continue
            taken.append((m.start(), m.end(), word))
            found.append((m.start(), Column(spec["kind"], spec.get("measure"), spec.get("dose"))))
    found.sort(key=lambda x: x[0])
    columns = [c for _, c in found]
    counted = [c for c in columns if c.kind in ("dose_count", "center_count")]
    if not counted or not any(c.kind == "label" for c in columns) or len(columns) < 3:
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
    for sv in doc.sentences:
        row = _ROW.match(sv.norm)
        if columns is not None and row is not None:
            facts.extend(_row_facts(doc, sv, row, columns))
            continue
        first_digit = _NUMBER.search(sv.norm)
        if first_digit is None:
            columns = _columns(sv.norm)
            continue
        columns = None
        inline = _columns(sv.norm[: first_digit.start()])
        if inline is not None:  # "क्र. विकासखंड लक्ष्य उपलब्धि 1 छिंदवाड़ा शहरी 6000 5872 2 …" on one line
            facts.extend(_inline_rows(doc, sv, inline, first_digit.start()))
    return facts


def _inline_rows(doc: Document, sv: SentenceView, columns: list[Column], start: int) -> list[dict[str, Any]]:
    k = sum(1 for c in columns if c.kind != "label")
    row = re.compile(
        r"\s*(?:\d{1,3}[.)]?\s+)?(?P<label>[^\d\n]+?)\s+"
        rf"(?P<nums>\d[\d,]*(?:\.\d+)?(?:\s+\d[\d,]*(?:\.\d+)?){{{k - 1}}})(?=\s|$)"
    )
    out: list[dict[str, Any]] = []
    pos = start
    while (m := row.match(sv.norm, pos)) is not None:
        out.extend(_row_facts(doc, sv, m, columns))
        pos = m.end()
    return out


def _row_facts(
    doc: Document, sv: SentenceView, row: re.Match[str], columns: list[Column]
) -> list[dict[str, Any]]:
    numbers = list(_NUMBER.finditer(sv.norm, row.start("nums"), row.end("nums")))
    numeric = [c for c in columns if c.kind != "label"]
    if len(numbers) != len(numeric):
        return []  # a row that does not fit the header is not read
    from extractors.doses import report_frame

    frame = report_frame(doc)
    place = sv.original(row.start("label"), row.end("label")).strip()
    if fold(place) in word_set("tables", "total_labels"):
        return []  # the totals row repeats the figures the report states in its text
    out = []
    for m, col in zip(numbers, numeric, strict=True):
        value = _value(m.group())
        if col.kind == "skip" or value is None or value <= 0:
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
