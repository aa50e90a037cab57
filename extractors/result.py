"""The extraction entry point and its result, in the JSON form of facts.md."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.context import Document, build_document
from pipeline.article import Article

EXTRACTOR_VERSION = "0.1.0"

FactList = list[dict[str, Any]]


@dataclass
class ExtractionResult:
    article: Article
    district: str | None
    state: str | None
    event_date: date | None
    event_date_precision: str
    facts: FactList = field(default_factory=list)
    version: str = EXTRACTOR_VERSION

    def article_block(self) -> dict[str, Any]:
        a = self.article
        return {
            "url": a.url,
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "district": self.district,
            "state": self.state,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "text": a.text,
        }

    def to_dict(self) -> dict[str, Any]:
        """Exactly the facts.md document: {"article": {...}, "facts": [...]}."""
        return {"article": self.article_block(), "facts": self.facts}


def _extractors(doc: Document) -> list[Callable[[Document], FactList]]:
    """The extractors to run. Centres, outages and officials are facts *of a vaccination report*: an
    article that never speaks of vaccination (a 2020 outbreak story, a railway server crash) has none."""
    # Imported here so that a broken extractor module names itself in the traceback of extract().
    from extractors import center_counts, centers, doses, officials, outages, tables
    from extractors.common import compiled

    if not any(compiled("doses", "vaccination_cues").search(sv.norm) for sv in doc.sentences):
        # Dose and centre counts need a vaccination word in their sentence or report too: skipping
        # the number parsing of a report without one is most of the cost of unrelated news.
        return []
    return [
        center_counts.extract,
        doses.extract,
        tables.extract,
        centers.extract,
        outages.extract,
        officials.extract,
    ]


_EVENT_TYPES = frozenset({"dose_count", "center_count", "center", "outage"})
_SITE_ANAPHORA = re.compile(r"(?:कैंप|शिविर|केंद्र|केन्द्र|सेंटर)\s+(?:में|पर)|यहां|यहाँ|इस\s+(?:शिविर|कैंप|केंद्र)")


def link_places(facts: FactList, doc: Document) -> None:
    """A count stated at "the camp" ("कैंप में … 200 हितग्राहियों को टीका") is for the centre named just
    before it (within two sentences): give it that place."""
    starts = [sv.sentence.start for sv in doc.sentences]
    centers = [f for f in facts if f["type"] == "center"]

    def sentence_index(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    for fact in facts:
        if fact["type"] not in ("dose_count", "center_count") or fact.get("place"):
            continue
        if not _SITE_ANAPHORA.search(fact["evidence"]["sentence"]):
            continue
        here = sentence_index(fact["evidence"]["start"])
        before = [
            c
            for c in centers
            if c["evidence"]["start"] < fact["evidence"]["start"]
            and here - sentence_index(c["evidence"]["start"]) <= 2
        ]
        if before:
            fact["place"] = before[-1]["name"]


def extract(article: Article) -> ExtractionResult:
    """Run every fact extractor over one article."""
    from extractors.centers import merge_centres

    doc = build_document(article)
    facts: FactList = []
    for run in _extractors(doc):
        new = run(doc)
        spans = {(f["type"], f["evidence"]["start"]) for f in facts}
        facts.extend(f for f in new if (f["type"], f["evidence"]["start"]) not in spans)
    facts = merge_centres(facts)  # a centre named in a table and again in the text is one
    link_places(facts, doc)
    event_date: date | None = None
    precision = "unresolved"  # no vaccination happened in this report: no event day
    if any(f["type"] in _EVENT_TYPES for f in facts):
        event_date, precision = doc.event_date, doc.event_date_precision
    return ExtractionResult(
        article=article,
        district=doc.district.name if doc.district else None,
        state=doc.state,
        event_date=event_date,
        event_date_precision=precision,
        facts=facts,
    )
