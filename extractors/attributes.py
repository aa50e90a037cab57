"""Attributes a count takes from its sentence: scope, age group, dose, group, place.

Hindi is verb-final, so a number's clause runs from the previous separator to the next one, and when that
clause holds no verb (a list item such as "बरगी में 200,") its scope extends to the following clauses until
one does: the list shares the verb that closes it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from extractors.common import (
    AgeMention,
    DoseMention,
    Word,
    alternation,
    clause_bounds,
    compiled,
    find_age_groups,
    find_doses,
    vocab,
    word_set,
    words,
)
from pipeline.numbers import NumberMatch

_SENT_END = re.compile(r"[।?!]")


@cache
def _verb_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return compiled("doses", "grammar", "verb_stems", prefix=True), compiled("doses", "grammar", "verb_forms")


def _verb_search(text: str, start: int = 0, end: int | None = None) -> bool:
    stop = len(text) if end is None else end
    return any(p.search(text, start, stop) is not None for p in _verb_patterns())


def has_verb(text: str) -> bool:
    return _verb_search(text)


# "… का प्रखंडवार ब्योरा इस प्रकार है- सदर में 1,204": a verb that introduces a list joins, not separates
_LIST_INTRO = re.compile(r"(?:है|हैं|रहा|रही|रहे)\s*[-:–—]")


def has_finite_verb(text: str) -> bool:
    """A finite verb or auxiliary (not an infinitive or participle such as "लगवाने वालों")."""
    return compiled("doses", "grammar", "finite_forms").search(_LIST_INTRO.sub(" ", text)) is not None


@lru_cache(maxsize=256)
def scope(text: str, num: NumberMatch) -> tuple[int, int]:
    """The clause of `num`, extended forward over verbless list clauses to the verb that governs it.

    Cached (a document's worth): the candidate filter, each attribute and the centre counts all ask for
    the scope of the same figure."""
    start, end = clause_bounds(text, num.start)
    while not _verb_search(text, num.span_end, end) and end < len(text) and not _SENT_END.match(text, end):
        _, nxt = clause_bounds(text, end + 1)
        if nxt <= end:
            break
        end = nxt
    return start, end


def _owned_by_next(text: str, end: int, numbers: list[NumberMatch]) -> bool:
    """A mention right before another count ("… 264 तथा … में 45 प्लस की 97") qualifies that count."""
    return any(n.kind == "count" and end <= n.start <= end + 25 for n in numbers)


def _counts_between(numbers: list[NumberMatch], a: int, b: int) -> bool:
    return any(n.kind == "count" and a <= n.start < b for n in numbers)


def age_for(
    text: str,
    num: NumberMatch,
    numbers: list[NumberMatch],
    span: tuple[int, int],
    *,
    across_verbs: bool = False,
) -> tuple[bool, str | None]:
    """(found, age_group) for `num`: the age phrases between the previous count and it, else after it.

    Two different groups before one number ("18 वर्ष से अधिक एवं 45 वर्ष से अधिक उम्र के 200") -> (True, None).
    """
    ages = [a for a in find_age_groups(text) if span[0] <= a.start < span[1]]
    before = [
        a
        for a in ages
        if a.end <= num.start
        and not _counts_between(numbers, a.end, num.start)
        and (across_verbs or not has_finite_verb(text[a.end : num.start]))
    ]
    if before:
        groups = {a.group for a in before}
        return True, before[0].group if len(groups) == 1 else None
    after = [a for a in ages if a.start >= num.end and not _counts_between(numbers, num.end, a.start)]
    if after and not _owned_by_next(text, after[0].end, numbers):
        return True, after[0].group
    return False, None


def dose_for(
    text: str, num: NumberMatch, numbers: list[NumberMatch], span: tuple[int, int]
) -> tuple[bool, int | None]:
    """(found, dose) for `num`. "500 को पहली और 300 को दूसरी खुराक": a number followed by को/ने takes the
    ordinal right after it; otherwise the nearest ordinal before it, else after it, with no other count between."""
    doses = [d for d in find_doses(text) if span[0] <= d.start < span[1]]
    if not doses:
        return False, None
    after = [d for d in doses if d.start >= num.end and not _counts_between(numbers, num.end, d.start)]
    if after and re.match(
        r"^\s*(?:(?:[\w\u0900-\u0963]+\s+){0,2}?(?:को|ने|की|के)\s*)?$", text[num.span_end : after[0].start]
    ):
        return True, after[0].dose
    # a mention separated from the number by a verb belongs to an earlier predicate
    before = [
        d
        for d in doses
        if d.end <= num.start
        and not _counts_between(numbers, d.end, num.start)
        and not has_finite_verb(text[d.end : num.start])
    ]
    if before:
        return True, before[-1].dose
    if after:
        return True, after[0].dose
    return False, None


@cache
def _group_re() -> re.Pattern[str]:
    return re.compile(alternation(word_set("doses", "group", "words"), prefix=True))


def group_for(text: str, num: NumberMatch, span: tuple[int, int]) -> tuple[int, int] | None:
    """Span (in `text`) of the special population a count is about, nearest to the number in its scope."""
    best: tuple[int, int] | None = None
    best_gap = 10**9
    for m in _group_re().finditer(text, span[0], span[1]):
        gap = num.start - m.end() if m.end() <= num.start else m.start() - num.end
        if 0 <= gap < best_gap and not re.search(
            r"[,;]", text[min(m.end(), num.end) : max(m.start(), num.start)]
        ):
            best, best_gap = (m.start(), _word_end(text, m.end())), gap
    return best


def _word_end(text: str, pos: int) -> int:
    m = re.match(r"[\w\u0900-\u0963]*", text[pos:])
    return pos + (m.end() if m else 0)


def _place_words(key: str) -> frozenset[str]:
    return word_set("doses", "place", key)


def place_before(text: str, num: NumberMatch, span: tuple[int, int]) -> tuple[int, int] | None:
    """ "‹Block› में ‹N›" / "‹Site› में … के ‹N›": the place phrase written before the number, as a span."""
    head = text[span[0] : num.start]
    m = re.search(r"([\w\u0900-\u0963.\- ]+?)\s+में\s+(?:[^,;]*?\s)?$", head)
    if not m:
        return None
    ws = words(text, span[0] + m.start(1), span[0] + m.end(1))
    picked: list[Word] = []
    for w in reversed(ws):
        if w.text in _place_words("stop") or re.fullmatch(r"[\d.,]+", w.text) or len(picked) == 4:
            break
        picked.append(w)
    if not picked:
        return None
    picked.reverse()
    generic, wide = _place_words("generic"), _place_words("wide")
    if all(w.text in generic for w in picked) and not any(w.text in wide for w in picked):
        return None
    if picked[-1].text in generic and picked[-1].text not in wide:
        return None
    return picked[0].start, picked[-1].end


__all__ = ["AgeMention", "DoseMention", "age_for", "dose_for", "group_for", "place_before", "scope", "vocab"]
