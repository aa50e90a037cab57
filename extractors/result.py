"""The extraction entry point and its result, in the JSON form of facts.md."""

from __future__ import annotations

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


def _extractors() -> list[Callable[[Document], FactList]]:
    # Imported here so that a broken extractor module names itself in the traceback of extract().
    from extractors import center_counts, centers, doses, officials, outages

    return [center_counts.extract, doses.extract, centers.extract, outages.extract, officials.extract]


def extract(article: Article) -> ExtractionResult:
    """Run every fact extractor over one article."""
    doc = build_document(article)
    facts: FactList = []
    for run in _extractors():
        facts.extend(run(doc))
    return ExtractionResult(
        article=article,
        district=doc.district.name if doc.district else None,
        state=doc.state,
        event_date=doc.event_date,
        event_date_precision=doc.event_date_precision,
        facts=facts,
    )
