"""The Article: what every later stage works on.

`text` is the exact string that evidence offsets index (facts.md `article.text`): title + body as the
extractor saw them. It is stored verbatim in the database so that `text[start:end] == quote` can be
checked forever after.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Article:
    text: str
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    published_source: str | None = None  # where `published` came from (json-ld, meta, text stamp, url, input)
    dateline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    site: str | None = None
    parser: str = "text"
    devanagari_share: float = 0.0
    page_sha256: str | None = None  # the archived response this article was parsed from

    @property
    def id(self) -> str:
        """Stable id: from the canonical URL when there is one, else from the text itself."""
        key = self.canonical_url or self.url or ("text:" + self.text)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def devanagari_share(text: str) -> float:
    """Share of letters that are Devanagari: a cheap language check for scraped pages."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0900" <= c <= "\u097f") / len(letters)
