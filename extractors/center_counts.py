"""center_count facts: how many vaccination centres, sites or sessions (facts.md §2).

A count followed (through at most three filler words such as "टीकाकरण", "नए") by a centre noun, in a
sentence about vaccination. "केंद्र सरकार" is the central government; a distributive "दो-दो केंद्र" is a
count per unit ("प्रत्येक वार्ड पर दो-दो केंद्र" -> 2, place = the unit).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from spacy.matcher import Matcher

from extractors.attributes import age_for, dose_for, place_before, scope
from extractors.common import compiled, word_set
from extractors.context import Document, SentenceView
from extractors.doses import dedupe
from pipeline.numbers import NumberMatch
from pipeline.text import get_nlp

_PER_UNIT = re.compile(r"(?:प्रत्येक|हर|सभी)\s+([\w\u0900-\u0963]+(?:\s+[\w\u0900-\u0963]+)?)\s+(?:पर|में)\s*$")


@cache
def _matcher() -> Matcher:
    """spaCy token pattern: a number token, at most three filler words, a centre noun (on folded NORM,
    so केन्द्रों/केंद्रों and सेन्टर/सेंटर are one word)."""
    matcher = Matcher(get_nlp().vocab)
    matcher.add(
        "CENTER_COUNT",
        [
            [
                {"LIKE_NUM": True},
                {"NORM": {"IN": ["से", "के"]}, "OP": "?"},  # "पांच सौ से अधिक केंद्र"
                {"NORM": {"IN": ["अधिक", "ज्यादा", "ऊपर", "पार"]}, "OP": "?"},
                {"NORM": {"IN": sorted(word_set("doses", "center", "fillers"))}, "OP": "{0,3}"},
                {"NORM": {"IN": sorted(word_set("doses", "center", "nouns"))}},
                {"NORM": {"NOT_IN": sorted(word_set("doses", "center", "not_center_after"))}, "OP": "?"},
            ]
        ],
        greedy="LONGEST",
    )
    return matcher


def _noun_ends(sv: SentenceView) -> dict[int, int]:
    """Number end offset (in `norm`) -> end of the centre noun it counts, from the Matcher's spans."""
    doc = sv.doc
    out: dict[int, int] = {}
    for _, start, end in _matcher()(doc):
        span = doc[start:end]
        last = span[-1]
        if last.norm_ not in word_set("doses", "center", "nouns"):
            last = span[-2]  # the optional token after the noun only guards against "केंद्र सरकार"
        elif end < len(doc) and doc[end].norm_ in word_set("doses", "center", "not_center_after"):
            continue
        out[span[0].idx + len(span[0].text)] = last.idx + len(last.text)
    return out


def _center_noun_end(ends: dict[int, int], num: NumberMatch) -> int | None:
    return ends.get(num.end)


_SERIAL_BEFORE = re.compile(r"(?:क्रमांक|नंबर|नं\.?|संख्या\s*-)\s*$")
_LIST_TAIL = re.compile(r"^\s*(?:,|व\s|और\s|एवं\s|तथा\s)")


def _is_vaccination_context(doc: Document, sv: SentenceView) -> bool:
    """The sentence (or the one before) speaks of vaccination, or — in a report that does — it sets up
    sites ("412 सत्र आयोजित किए गए", "12 केंद्र बनाए गए हैं")."""
    cues = compiled("doses", "vaccination_cues")
    if cues.search(sv.norm):
        return True
    prev = doc.sentences[sv.index - 1] if sv.index > 0 else None
    if prev is not None and cues.search(prev.norm) is not None:
        return True
    setup = compiled("doses", "grammar", "setup_verbs", prefix=True)
    return setup.search(sv.norm) is not None and any(cues.search(x.norm) for x in doc.sentences)


def extract(doc: Document) -> list[dict[str, Any]]:
    facts = []
    nouns = compiled("doses", "center", "nouns")
    for sv in doc.sentences:
        text = sv.norm
        if not nouns.search(text):
            continue  # no centre noun: no spaCy pass needed
        counts = [n for n in sv.numbers if n.kind == "count" and n.value > 0]
        if not counts:
            continue  # nothing to count: no spaCy pass either
        noun_ends = _noun_ends(sv)
        ends = [_center_noun_end(noun_ends, n) for n in counts]
        for i, num in enumerate(counts):
            if num.text.strip() == "एक" or _SERIAL_BEFORE.search(text, 0, num.start):
                continue  # "किसी एक केंद्र पर", "उमावि क्रमांक 1 केंद्र": no count of centres
            end = ends[i]
            if end is None and _LIST_TAIL.match(text[num.span_end :]):
                # "18-44 के लिए 96 तथा 45+ के लिए 143 सत्र": a list item shares the closing item's noun
                closing = next(
                    (e for n, e in zip(counts[i + 1 :], ends[i + 1 :], strict=True) if e is not None), None
                )
                end = num.span_end if closing is not None else None
            if end is None or not _is_vaccination_context(doc, sv):
                continue
            span = scope(text, num)
            found_age, age = age_for(text, num, sv.numbers, span)
            _, dose = dose_for(text, num, sv.numbers, span)
            place_text = None
            unit = _PER_UNIT.search(text[span[0] : num.start]) if num.distributive else None
            if unit:
                place_text = sv.original(span[0] + unit.start(1), span[0] + unit.end(1))
            else:
                place = place_before(text, num, span)
                place_text = sv.original(*place) if place else None
            facts.append(
                {
                    "type": "center_count",
                    "value": int(num.value),
                    "qualifier": num.qualifier,
                    "age_group": age if found_age else None,
                    "dose": dose,
                    "place": place_text,
                    "date": doc.event_date.isoformat() if doc.event_date else None,
                    "evidence": sv.evidence(num.span_start, end),
                }
            )
    return dedupe(facts, doc)
