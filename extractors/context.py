"""The analysed document every extractor reads: sentences, their normalised text and numbers, dates, place.

Extractors match on `SentenceView.norm` (normalised for matching: nukta folded, digits ASCII, spaces
collapsed) and report evidence through `SentenceView.evidence`, which maps a span of the normalised
sentence back to exact offsets in `article.text` — so `article.text[start:end] == quote` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from spacy.tokens import Doc

from pipeline.article import Article
from pipeline.numbers import NumberMatch, find_numbers
from pipeline.places import District
from pipeline.text import NormText, Sentence, make_doc, normalize, split_sentences


@dataclass
class SentenceView:
    index: int
    sentence: Sentence  # offsets into article.text
    article_text: str
    is_headline: bool = False

    @cached_property
    def normtext(self) -> NormText:
        return normalize(self.sentence.text)

    @property
    def norm(self) -> str:
        return self.normtext.norm

    @cached_property
    def doc(self) -> Doc:
        """spaCy blank("hi") tokens of `norm` (token.idx are offsets into `norm`)."""
        return make_doc(self.norm)

    @cached_property
    def numbers(self) -> list[NumberMatch]:
        """Number phrases of the normalised sentence (offsets into `norm`)."""
        return find_numbers(self.norm)

    def to_article(self, start: int, end: int) -> tuple[int, int]:
        """A span of `norm` -> the same span in article.text."""
        s, e = self.normtext.to_original(start, end)
        return self.sentence.start + s, self.sentence.start + e

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        """Evidence for the `norm[start:end]` phrase, in facts.md form."""
        a, b = self.to_article(start, end)
        return {"sentence": self.sentence.text, "start": a, "end": b, "quote": self.article_text[a:b]}

    def original(self, start: int, end: int) -> str:
        """The article's own spelling of `norm[start:end]` (names are reported as written)."""
        a, b = self.to_article(start, end)
        return self.article_text[a:b]


@dataclass
class Document:
    article: Article
    sentences: list[SentenceView]
    district: District | None = None
    state: str | None = None
    # Free-form memory the extractors share while walking the document (e.g. the last lead-in age group).
    notes: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def _event(self) -> tuple[date | None, str]:
        """Resolved on first use, not when the document is built: a report that states no vaccination
        event (most unrelated news) never needs its event date, and resolving it is a whole-text scan."""
        from pipeline.dates import event_date

        a = self.article
        return event_date(a.text, a.published, title=a.title)

    @property
    def event_date(self) -> date | None:
        return self._event[0]

    @property
    def event_date_precision(self) -> str:
        return self._event[1]

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def published(self) -> datetime | None:
        return self.article.published


def _headline_flags(text: str, sentences: list[Sentence], title: str | None) -> list[bool]:
    """Sentences of the headline block (the title, its repeats, an English translation line) above the body.

    The body starts at the first sentence that ends with a danda or contains a dateline separator; every
    earlier line is headline noise. Later exact repeats of the title are headlines too.
    """
    from pipeline.text import fold

    key = fold(title) if title else None
    title_len = len(title) if title else 0
    flags = []
    in_head = True
    for s in sentences:
        line_end = text.find("\n", s.start)
        whole_line = text[s.start : (line_end if line_end != -1 else len(text))].strip() == s.text
        if in_head and (not whole_line or s.text.endswith(("।", "।।")) or len(s.text) > 200):
            in_head = False
        # fold only what could be a repeat of the title (the folded form is never longer than the text)
        repeat = (
            key is not None
            and len(s.text) >= len(key)
            and abs(len(s.text) - title_len) < 20
            and fold(s.text) == key
        )
        flags.append(in_head or repeat)
    return flags


def _on_junk_line(text: str, s: Sentence) -> bool:
    """Sentences of a "ये भी पढ़ें: …" or "Tags: …" line are page furniture a scraper kept: no facts there."""
    from pipeline.parse import is_junk_line

    start = text.rfind("\n", 0, s.start) + 1
    end = text.find("\n", s.end)
    return is_junk_line(text[start : end if end != -1 else len(text)])


def build_document(article: Article) -> Document:
    """Split, normalise and locate an article once, for all extractors."""
    from pipeline.places import detect_district

    text = article.text
    sentences = [s for s in split_sentences(text) if not _on_junk_line(text, s)]
    flags = _headline_flags(text, sentences, article.title)
    views = [
        SentenceView(i, s, text, is_headline=f) for i, (s, f) in enumerate(zip(sentences, flags, strict=True))
    ]
    district, state = detect_district(text, title=article.title)
    return Document(
        article=article,
        sentences=views,
        district=district,
        state=state or (district.state if district else None),
    )
