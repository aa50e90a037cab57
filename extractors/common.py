"""Shared machinery of the extractors: vocabularies, words, clauses, age groups and dose ordinals.

Everything here works on *normalised* sentence text (`SentenceView.norm`): folded spellings, ASCII digits,
single spaces. Vocabulary entries are folded when loaded, so data files need one spelling per word.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.text import fold

DATA = Path(__file__).with_name("data")

# Devanagari letters, signs and digits (not the dandas U+0964/U+0965) plus word characters and inner hyphens.
WORD_RE = re.compile(r"[\w\u0900-\u0963\u0966-\u097f]+(?:[-.][\w\u0900-\u0963\u0966-\u097f]+)*")
# Where a clause ends inside a sentence.
_CLAUSE_SPLIT = re.compile(
    r"[,;:()\[\]।?!|]|\s-\s|\s–\s|(?<![\w\u0900-\u0963])"
    r"(?:जिसके|जिनके|जिसमें|जिनमें|जबकि|वहीं|लेकिन|परंतु|किंतु|इसके अलावा|इसके साथ ही|कि)(?![\w\u0900-\u0963])"
)


def _fold_tree(obj: Any) -> Any:
    if isinstance(obj, str):
        return fold(obj)
    if isinstance(obj, list):
        return [_fold_tree(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _fold_tree(v) for k, v in obj.items()}
    return obj


@cache
def vocab(name: str) -> dict[str, Any]:
    """Load `extractors/data/<name>.toml` with every string folded for matching."""
    with open(DATA / f"{name}.toml", "rb") as fh:
        return dict(_fold_tree(tomllib.load(fh)))


@cache
def word_set(name: str, *keys: str) -> frozenset[str]:
    node: Any = vocab(name)
    for k in keys:
        node = node[k]
    return frozenset(node)


def alternation(words: frozenset[str] | list[str], *, prefix: bool = False) -> str:
    """A regex alternation, longest first, bounded so that "टीका" does not match inside "टीकाकरण".

    With `prefix`, a word may go on after the match ("वर्कर" matches "वर्कर्स")."""
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    tail = "" if prefix else r"(?![\w\u0900-\u0963])"
    return rf"(?<![\w\u0900-\u0963])(?:{body}){tail}"


class Word(NamedTuple):
    """A word of a sentence. A named tuple, not a dataclass: sentences are split into words again and
    again, and a tuple is several times cheaper to build."""

    text: str
    start: int
    end: int


_new_tuple = tuple.__new__


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    # Word(...) goes through the named tuple's Python-level __new__; building the tuple directly is the
    # same object at half the cost, and sentences are split into words again and again.
    return [
        _new_tuple(Word, (m.group(), *m.span()))
        for m in WORD_RE.finditer(text, start, len(text) if end is None else end)
    ]


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`: between the nearest clause separators on either side."""
    start, end = 0, len(text)
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def contains_any(text: str, vocab_words: frozenset[str]) -> bool:
    return re.search(alternation(vocab_words), text) is not None


@cache
def compiled(name: str, *keys: str, prefix: bool = False) -> re.Pattern[str]:
    """The vocabulary list at `keys` as one regex (see `alternation`)."""
    return re.compile(alternation(word_set(name, *keys), prefix=prefix))


# ---- age groups -----------------------------------------------------------------------------------
_AGE_NOUN = r"(?:वर्ष|वर्षों|साल|सालों|आयु|उम्र|years?|yrs?|आयुवर्ग|एज)"
_MORE = r"(?:अधिक|ज्यादा|ऊपर|उपर|उपर|अधिक\s+आयु|प्लस|\+)"
_AGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "18 और 45 वर्ष से अधिक" -> two groups for one number (null)
    (
        re.compile(
            rf"\b(\d{{1,2}})\s*(?:और|एवं|व|तथा|,)\s*(\d{{1,2}})\s*(?:{_AGE_NOUN})\s*(?:या\s+)?(?:से|के)\s*{_MORE}"
        ),
        "multi",
    ),
    # "18 से 44 वर्ष", "18-44 साल", "18 से 44 आयु वर्ग", "45 से 60 साल की उम्र"
    (re.compile(rf"\b(\d{{1,2}})\s*(?:से|-|–|to|—)\s*(\d{{1,3}})\s*(?:{_AGE_NOUN})"), "range"),
    # "18 से 44 के बीच", "15-18 आयुवर्ग" already above; "आयु 18 से 44"
    (re.compile(rf"(?:{_AGE_NOUN})\s*(?:वर्ग\s*)?(?:के\s*)?(\d{{1,2}})\s*(?:से|-|–)\s*(\d{{1,3}})\b"), "range"),
    # "45 वर्ष से अधिक", "60 साल से ऊपर", "45 वर्ष या उससे अधिक"
    (re.compile(rf"\b(\d{{1,2}})\s*(?:{_AGE_NOUN})\s*(?:या|व|एवं|और)?\s*(?:उससे|इससे|से)\s*{_MORE}"), "plus"),
    # "45 व उससे अधिक", "18 प्लस", "60+"
    (re.compile(rf"\b(\d{{1,2}})\s*(?:(?:या|व|एवं|और)\s*(?:उससे|इससे)\s*{_MORE}|\s*प्लस|\+)"), "plus"),
    # "45 से ऊपर के 1,136", "60 से अधिक वाले": a two-digit bound before के/की/वाले and a count is an age
    (re.compile(r"\b(\d{2})\s*से\s*(?:अधिक|ज्यादा|ऊपर|उपर)\s*(?=(?:के|की|वाले|वालों|आयु|उम्र)\s)"), "plus"),
    # "18-44 के 861": a range right before के and a number
    (re.compile(r"\b(\d{2})\s*-\s*(\d{2})\s*(?=(?:के|की|वाले|वालों)\s+\d)"), "range"),
]


_ANY_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class AgeMention:
    start: int
    end: int
    group: str | None  # "18-44", "45+"; None when one phrase names two groups


@lru_cache(maxsize=4096)  # the frame, the inheritance and each figure ask about the same sentences
def find_age_groups(text: str) -> tuple[AgeMention, ...]:
    """Age-group phrases of a normalised sentence, non-overlapping, in order: the phrase patterns here,
    then the age-kind numbers of pipeline.numbers ("45 से अधिक उम्र के" -> "45+")."""
    from pipeline.numbers import find_numbers

    found: list[AgeMention] = []
    taken: list[tuple[int, int]] = []
    # every phrase pattern needs a digit: a sentence without one skips all seven scans
    for pattern, kind in _AGE_PATTERNS if _ANY_DIGIT.search(text) else ():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            a = int(m.group(1))
            if kind == "multi":
                group = None
            elif kind == "range":
                b = int(m.group(2))
                if not (0 < a < b <= 120):
                    continue
                group = f"{a}-{b}"
            else:
                group = f"{a}+"
            if kind != "multi" and not 5 <= a <= 100:
                continue
            taken.append((m.start(), m.end()))
            found.append(AgeMention(m.start(), m.end(), group))
    for n in find_numbers(text):
        if n.kind != "age" or any(n.span_start < e and s < n.span_end for s, e in taken):
            continue
        if n.is_range and n.upper is not None and 0 < n.value < n.upper <= 120:
            found.append(AgeMention(n.span_start, n.span_end, f"{int(n.value)}-{int(n.upper)}"))
        elif n.qualifier == "at_least" and 5 <= n.value <= 100:
            found.append(AgeMention(n.span_start, n.span_end, f"{int(n.value)}+"))
    return tuple(sorted(found, key=lambda x: x.start))


# ---- dose ordinals ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DoseMention:
    start: int
    end: int
    dose: int | None  # None for "दोनों डोज" / "प्रथम व द्वितीय"


@cache
def _ordinal_re() -> re.Pattern[str]:
    d = vocab("doses")["dose"]
    groups = {"1": d["first"], "2": d["second"], "3": d["third"], "0": d["both"]}
    alt = "|".join(
        f"(?P<d{k}>{'|'.join(re.escape(w) for w in sorted(v, key=len, reverse=True))})"
        for k, v in groups.items()
    )
    return re.compile(rf"(?<![\w\u0900-\u0963])(?:{alt})(?![\w\u0900-\u0963])")


@cache
def _dose_noun_re() -> re.Pattern[str]:
    return re.compile(r"\s*(?:[\w\u0900-\u0963]+\s+)?" + alternation(word_set("doses", "dose", "dose_words")))


_CONJ = re.compile(r"\s*(?:व|और|एवं|तथा|/|,|या)\s*$")


def find_doses(text: str) -> list[DoseMention]:
    """See `_find_doses` (cached: asked again and again about the same sentences)."""
    return list(_find_doses(text))


@lru_cache(maxsize=4096)
def _find_doses(text: str) -> tuple[DoseMention, ...]:
    """Dose ordinals that qualify doses: "पहली डोज", "द्वितीय खुराक", "बूस्टर", and elided coordinations
    ("500 को पहली और 300 को दूसरी खुराक": the noun after the last ordinal serves both).
    Two ordinals joined only by a conjunction ("प्रथम व द्वितीय डोज") or "दोनों डोज" name no single dose."""
    ords = []
    for m in _ordinal_re().finditer(text):
        dose = next(int(k[1:]) for k in ("d1", "d2", "d3", "d0") if m.group(k))
        noun = _dose_noun_re().match(text, m.end())
        ords.append((m, dose, noun is not None))
    out: list[DoseMention] = []
    i = 0
    while i < len(ords):
        m, dose, has_noun = ords[i]
        # "प्रथम व द्वितीय डोज": adjacent ordinals joined by a conjunction -> both doses
        if i + 1 < len(ords) and _CONJ.match(text[m.end() : ords[i + 1][0].start()]) and ords[i + 1][2]:
            out.append(DoseMention(m.start(), ords[i + 1][0].end(), None))
            i += 2
            continue
        booster = dose == 3 and m.group(0) not in ("तीसरी", "तीसरा")
        later_noun = any(o[2] for o in ords[i + 1 : i + 3] if o[0].start() - m.end() < 40)
        if has_noun or booster or later_noun:
            out.append(DoseMention(m.start(), m.end(), None if dose == 0 else dose))
        i += 1
    return tuple(out)
