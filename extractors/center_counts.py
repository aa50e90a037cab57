"""center_count facts: how many vaccination centres, sites or sessions (facts.md §2).

A count followed (through at most three filler words such as "टीकाकरण", "नए") by a centre noun, in a
sentence about vaccination. "केंद्र सरकार" is the central government; a distributive "दो-दो केंद्र" is a
count per unit ("प्रत्येक वार्ड पर दो-दो केंद्र" -> 2, place = the unit).
"""

from __future__ import annotations

import re
from typing import Any

from extractors.attributes import age_for, dose_for, place_before, scope
from extractors.common import compiled, word_set, words
from extractors.context import Document, SentenceView
from extractors.doses import dedupe
from pipeline.numbers import NumberMatch

_PER_UNIT = re.compile(r"(?:प्रत्येक|हर|सभी)\s+([\w\u0900-\u0963]+(?:\s+[\w\u0900-\u0963]+)?)\s+(?:पर|में)\s*$")


def _center_noun_end(text: str, num: NumberMatch) -> int | None:
    """End of the centre noun that this number counts, or None."""
    fillers = word_set("doses", "center", "fillers")
    for i, w in enumerate(words(text, num.span_end, num.span_end + 60)[:4]):
        if w.text in word_set("doses", "center", "nouns"):
            after = words(text, w.end, w.end + 30)[:1]
            if after and after[0].text in word_set("doses", "center", "not_center_after"):
                return None
            return w.end
        if w.text not in fillers or i == 3:
            return None
    return None


def _is_vaccination_context(doc: Document, sv: SentenceView) -> bool:
    cues = compiled("doses", "vaccination_cues")
    if cues.search(sv.norm):
        return True
    prev = doc.sentences[sv.index - 1] if sv.index > 0 else None
    return prev is not None and cues.search(prev.norm) is not None


def extract(doc: Document) -> list[dict[str, Any]]:
    facts = []
    for sv in doc.sentences:
        text = sv.norm
        for num in sv.numbers:
            if num.kind != "count" or num.value <= 0:
                continue
            end = _center_noun_end(text, num)
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
