"""dose_count facts: how many doses were given, planned, given so far, or in stock (facts.md §1).

A number is a dose count when the words after it name doses or vaccinated people in a sentence about
vaccination, or when it is an item of a breakdown list whose closing item does ("बरगी में 200, पाटन में
300 लोगों को टीका लगा"). Its measure comes from the cues and the tense of its scope (attributes.scope).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.attributes import age_for, dose_for, group_for, place_before, scope
from extractors.common import compiled, word_set, words
from extractors.context import Document, SentenceView
from pipeline.numbers import NumberMatch

Kind = str  # "dose" | "people" | "center" | "block" | ""

_LIST_TAIL = re.compile(r"^\s*(?:,|व\s|और\s|एवं\s|तथा\s|;)")
_INHERIT = re.compile(r"^(?:इस|इसी|इन|इनमें|इसमें|उक्त)\s*(?:कैटेगरी|वर्ग|आयु\s*वर्ग|चरण|श्रेणी|प्रकार|तरह|में)?")


def _noun_kind(text: str, num: NumberMatch, next_start: int) -> Kind:
    """Classify the count by the first telling word in the five words after it (stopping at the next number)."""
    for w in words(text, num.span_end, min(next_start, num.span_end + 80))[:5]:
        if w.text in word_set("doses", "center", "nouns"):
            return "center"
        if w.text in word_set("doses", "blocking_nouns"):
            return "block"
        if w.text in word_set("doses", "dose_nouns"):
            return "dose"
        if w.text in word_set("doses", "people_nouns"):
            return "people"
    return ""


def _is_vaccination(text: str) -> bool:
    return compiled("doses", "vaccination_cues").search(text) is not None


@dataclass
class _Candidate:
    num: NumberMatch
    kind: Kind


def _candidates(sv: SentenceView) -> list[_Candidate]:
    counts = [n for n in sv.numbers if n.kind == "count" and n.value > 0 and not n.distributive]
    out = []
    for i, n in enumerate(counts):
        nxt = counts[i + 1].start if i + 1 < len(counts) else len(sv.norm)
        out.append(_Candidate(n, _noun_kind(sv.norm, n, nxt)))
    # Breakdown items "X में 200," take the kind of the item that closes the list.
    for i, c in enumerate(out):
        if c.kind == "" and _LIST_TAIL.match(sv.norm[c.num.span_end :]):
            closing = next((d.kind for d in out[i + 1 :] if d.kind), "")
            if closing in ("dose", "people"):
                c.kind = closing
    return out


def _measure(text: str, num: NumberMatch, span: tuple[int, int]) -> str:
    from pipeline.dates import tense_of

    clause = text[span[0] : span[1]]
    after_noun = text[num.span_end : min(span[1], num.span_end + 40)]
    if compiled("doses", "measure", "available").search(clause) or compiled(
        "doses", "measure", "available_after_noun"
    ).search(after_noun):
        return "available"
    cleaned = compiled("doses", "measure", "target_comparisons").sub(" ", clause)
    if compiled("doses", "measure", "target").search(cleaned):
        return "target"
    if compiled("doses", "measure", "cumulative").search(clause):
        return "cumulative"
    if tense_of(text[num.span_end : span[1]]) == "future":
        return "target"
    return "administered"


def _fact(doc: Document, sv: SentenceView, c: _Candidate, inherited: dict[str, Any]) -> dict[str, Any]:
    text, num = sv.norm, c.num
    span = scope(text, num)
    found_age, age = age_for(text, num, sv.numbers, span)
    found_dose, dose = dose_for(text, num, sv.numbers, span)
    if not found_age:
        age = inherited.get("age_group")
    if not found_dose:
        dose = inherited.get("dose")
    group = group_for(text, num, span)
    place = place_before(text, num, span)
    place_text = sv.original(*place) if place else None
    if place_text and doc.district and _is_district(place_text, doc):
        place_text = None
    return {
        "type": "dose_count",
        "value": int(num.value),
        "qualifier": num.qualifier,
        "measure": _measure(text, num, span),
        "age_group": age,
        "dose": dose,
        "group": sv.original(*group) if group else None,
        "place": place_text,
        "date": doc.event_date.isoformat() if doc.event_date else None,
        "evidence": sv.evidence(num.span_start, num.span_end),
    }


def _is_district(place: str, doc: Document) -> bool:
    from pipeline.places import Gazetteer

    found = Gazetteer.load().lookup(place)
    return found is not None and doc.district is not None and found.name == doc.district.name


def _sentence_frame(sv: SentenceView, facts: list[dict[str, Any]]) -> dict[str, Any]:
    """What a following "इस कैटेगरी में …" sentence inherits: the single age group/dose this one states."""
    from extractors.common import find_age_groups, find_doses

    ages = {a.group for a in find_age_groups(sv.norm)}
    doses = {d.dose for d in find_doses(sv.norm)}
    frame: dict[str, Any] = {}
    if len(ages) == 1:
        frame["age_group"] = next(iter(ages))
    if len(doses) == 1:
        frame["dose"] = next(iter(doses))
    return frame


def extract(doc: Document) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    frame: dict[str, Any] = {}
    for sv in doc.sentences:
        inherited = frame if _INHERIT.match(sv.norm) else {}
        vaccination = _is_vaccination(sv.norm)
        produced = []
        for c in _candidates(sv):
            if c.kind == "dose" or (c.kind == "people" and (vaccination or inherited)):
                if c.kind == "people" and _registration_only(sv.norm, c.num):
                    continue
                produced.append(_fact(doc, sv, c, inherited))
        facts.extend(produced)
        if vaccination:
            frame = _sentence_frame(sv, produced) or frame
    return dedupe(facts, doc)


def _registration_only(text: str, num: NumberMatch) -> bool:
    """"500 लोगों ने रजिस्ट्रेशन कराया": a people-count whose own clause speaks of registration, not jabs."""
    _, end = scope(text, num)
    tail = text[num.span_end : end]
    return bool(compiled("doses", "non_dose_clause_cues").search(tail)) and not _is_vaccination(tail)


def dedupe(facts: list[dict[str, Any]], doc: Document) -> list[dict[str, Any]]:
    """A headline figure repeated in the body is one fact (the body's, which carries the context).

    Headlines drop qualifiers ("19 हजार युवाओं को टीका"), so the same value is the same figure; a rounded
    headline figure beside the exact body figure has another value and stays a fact of its own."""
    headline_idx = {sv.sentence.start for sv in doc.sentences if sv.is_headline}

    def key(f: dict[str, Any]) -> Any:
        return f["value"]

    body_keys = {key(f) for f in facts if _sentence_start(f, doc) not in headline_idx}
    out, seen = [], set()
    for f in facts:
        k = key(f)
        in_headline = _sentence_start(f, doc) in headline_idx
        if in_headline and (k in body_keys or k in seen):
            continue
        if in_headline:
            seen.add(k)
        out.append(f)
    return out


def _sentence_start(fact: dict[str, Any], doc: Document) -> int:
    start = fact["evidence"]["start"]
    return next((sv.sentence.start for sv in doc.sentences if sv.sentence.start <= start < sv.sentence.end), -1)
