"""official facts: named people acting in an official or organising role (facts.md §5, phrasing.md §5).

A sentence is read as tokens (a dotted abbreviation such as "डॉ." or "आई." is one token; "डॉ.रत्नेश" is two).
Three kinds of tokens matter:

- designations, matched longest first from `data/officials.toml` ("जिला टीकाकरण अधिकारी", "बरगी विधायक" with
  its town in front, "प्रभारी सीएमएचओ" with a modifier, generic "‹qualifier›… अधिकारी", an unknown acronym
  ending in O: "आरसीएचओ"), with a bracketed qualifier ("अतिरिक्त जिला कलक्टर (प्रशासन)"; "डिप्टी सिविल सर्जन
  (टीकाकरण)" is the DIO) or an ordinal ("सीएमएचओ प्रथम") after them;
- honorifics ("डॉ.", "श्री", "इंजी." …), unless a social title follows a name and no name follows it (the
  surname "पंडित");
- name words: Devanagari words that are not stop words (case markers, conjunctions, verbs, common nouns,
  time words; all data), not designations and not honorifics.

A *run* of 1–4 name words is a candidate name. It is a person when a designation or an honorific stands right
before it (`‹Desig› [‹Place›] [‹Hon›] ‹Name›`), when a designation follows it in brackets or apposition, or when
it is listed ("A, B व C") beside such a person or before a presence cue ("… मौजूद रहे"). A designation before a
list covers its first name only, unless it is plural/-द्वय, the list closes with "सहित अन्य …", or every name
of a two-name list has the same honorific under a shared office ("पार्षद श्री A व श्री B"); a plural office
after "सहित अन्य" names the list before it ("A, B सहित अन्य पार्षदों"). Recipients
("पहला टीका … को"), citizens telling of their own jab, bylines and commemorations are dropped, and the mentions
of one person are merged over the article (a later surname-only mention is the same person).

Matching works on `SentenceView.norm`; names, honorifics and designations are reported as written in the
article through `SentenceView.original`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Any, TypeVar

from extractors.common import vocab
from extractors.context import Document, SentenceView
from pipeline.text import fold

ROLES = (
    "collector",
    "cmho",
    "district_immunization_officer",
    "bmo",
    "civil_surgeon",
    "sdm",
    "tehsildar",
    "ceo_zila_panchayat",
    "mla",
    "mp",
    "minister",
    "mayor",
    "councillor",
    "police",
    "doctor",
    "health_worker",
    "railway_officer",
    "institution_head",
    "other",
)
MAX_NAME_WORDS = 4

_LETTERS = "A-Za-z\u0900-\u0963\u0971-\u097f"
_DIGITS = "0-9\u0966-\u096f"
# A word with an optional abbreviation mark (".", "॰", or the digit zero of "डॉ0"); a number; any other mark.
_TOKEN_RE = re.compile(
    rf"(?P<w>[{_LETTERS}]+)(?P<dot>[.\u0970]|[0\u0966](?![{_DIGITS}]))?"
    rf"|(?P<num>[{_DIGITS}]+(?:[.,:/][{_DIGITS}]+)*)"
    r"|(?P<p>\S)"
)
_LATIN = re.compile(r"[A-Za-z]")
# Independent vowels and consonants: one per akshara, to tell initials ("एस.", "के.") from words.
_AKSHARA = re.compile(r"[\u0904-\u0914\u0915-\u0939\u0958-\u0961\u0972-\u097f]")
_BOUNDARY = re.compile(r"[।॥?!;|]")
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """A name or designation as written, with its inner whitespace (NBSP, double spaces) made one space."""
    return _SPACES.sub(" ", text).strip()


# ---- vocabulary -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Office:
    """One written form of a designation."""

    keys: tuple[str, ...]
    role: str
    plural: bool = False
    contextual: int | None = None  # index of its rule in `[[contextual]]`


@dataclass(frozen=True)
class _ContextRule:
    default: str
    states: frozenset[str]
    states_role: str
    keep_default_cues: tuple[str, ...]
    cues: tuple[str, ...]
    cue_role: str


@dataclass(frozen=True)
class Vocab:
    offices: dict[str, tuple[Office, ...]]  # first key -> offices, longest first
    single_roles: dict[str, str]  # one-token designation -> role (for generic heads)
    rules: tuple[_ContextRule, ...]
    place_before: frozenset[tuple[str, ...]]
    strict: frozenset[tuple[str, ...]]
    titles: frozenset[str]
    place_words: frozenset[str]
    modifiers: frozenset[str]
    deputy_modifiers: frozenset[str]
    deputy_roles: dict[str, str]
    generic_heads: frozenset[str]
    qualifiers: frozenset[str]
    unique_roles: frozenset[str]
    name_like: frozenset[str]
    rail_org: tuple[tuple[str, ...], ...]
    not_rail_org: frozenset[str]
    ordinals: frozenset[str]
    # role -> words in a bracket that give a (deputy) medical office that role
    bracket_roles: dict[str, frozenset[str]]
    place_nouns: frozenset[str]
    dual_suffix: str
    academic: frozenset[str]
    social: frozenset[str]
    idioms: frozenset[str]
    initials: frozenset[str]
    initial_pairs: frozenset[str]
    strip_trailing: frozenset[str]
    non_name_suffixes: tuple[str, ...]
    verb_suffixes: tuple[str, ...]
    after_place: frozenset[str]
    institution_nouns: frozenset[str]
    scheme_nouns: frozenset[str]
    stop: frozenset[str]
    dotted: frozenset[str]  # every dotted token of the vocabulary ("डॉ.", "सी.", "मा.")
    separators: frozenset[str]
    byline_before: frozenset[str]
    citizen_before: frozenset[str]
    cues: dict[str, re.Pattern[str]]

    @cached_property
    def word_tokens(self) -> dict[str, _WordToks]:
        """Memo of `_word_tokens` per word as written (running text repeats its words a lot)."""
        return {}

    @cached_property
    def name_words(self) -> dict[str, bool]:
        """Memo of `_name_word` per folded word."""
        return {}

    @cached_property
    def starters(self) -> frozenset[str]:
        """Keys a designation can start with (besides dual-suffix plurals and acronyms in ओ): most tokens
        are none of these, and `_designation_at` is asked about every token."""
        return (
            frozenset(self.offices)
            | self.modifiers
            | self.deputy_modifiers
            | self.qualifiers
            | self.generic_heads
        )


def _raw_tokens(text: str) -> list[str]:
    """Tokens of a vocabulary entry (already folded), dots kept."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        if m.group("w"):
            out.append(m.group("w") + (m.group("dot") or ""))
        else:
            out.append(m.group())
    return out


def _cue_re(phrases: Iterable[str], *, anchored: bool = False) -> re.Pattern[str]:
    """A pattern for cue phrases on folded text; `anchored` matches only at the start."""
    body = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    lead = r"^\s*" if anchored else r"(?<![\w\u0900-\u0963])"
    return re.compile(rf"{lead}(?:{body})(?![\w\u0900-\u0963])")


@cache
def load_vocab() -> Vocab:
    """The officials vocabulary, folded and indexed once."""
    data = vocab("officials")
    by_first: dict[str, list[Office]] = {}
    single: dict[str, str] = {}
    seen: dict[tuple[str, ...], Office] = {}

    def add(office: Office) -> None:
        old = seen.get(office.keys)
        if old is not None and not office.plural:
            return
        seen[office.keys] = office
        if old is not None:
            by_first[office.keys[0]].remove(old)
        by_first.setdefault(office.keys[0], []).append(office)
        if len(office.keys) == 1 and not office.plural:
            single.setdefault(office.keys[0], office.role)

    for role, forms in data["roles"].items():
        for form in forms:
            add(Office(tuple(_raw_tokens(form)), role))
    for role, forms in data["plural"].items():
        for form in forms:
            add(Office(tuple(_raw_tokens(form)), role, plural=True))
    rules = []
    for i, rule in enumerate(data["contextual"]):
        rules.append(
            _ContextRule(
                default=rule["default"],
                states=frozenset(rule["states"]),
                states_role=rule["states_role"],
                keep_default_cues=tuple(rule["keep_default_cues"]),
                cues=tuple(rule["cues"]),
                cue_role=rule["cue_role"],
            )
        )
        for form in rule["words"]:
            keys = tuple(_raw_tokens(form))
            office = Office(keys, rule["default"], contextual=i)
            seen[keys] = office
            for lst in by_first.values():
                lst[:] = [o for o in lst if o.keys != keys]
            by_first.setdefault(keys[0], []).append(office)
    offices = {k: tuple(sorted(v, key=lambda o: -len(o.keys))) for k, v in by_first.items()}

    d = data["designation"]
    hon = data["honorifics"]
    names = data["names"]
    stop: set[str] = set()
    for words in data["stop"].values():
        stop.update(words)
    dotted = {
        t
        for forms in [
            *data["roles"].values(),
            *data["plural"].values(),
            hon["academic"],
            hon["social"],
            d["modifiers"],
        ]
        for form in forms
        for t in _raw_tokens(form)
        if t.endswith(".")
    }
    cues = data["cues"]
    exc = data["exclude"]
    patterns = {
        "include_after": _cue_re(cues["include_after"], anchored=True),
        "negation": _cue_re(cues["negations"], anchored=True),
        "distribute_after": _cue_re(cues["distribute_after"], anchored=True),
        "list_closers": _cue_re(cues["list_closers"], anchored=True),
        "presence": _cue_re(cues["presence"]),
        "vaccine": _cue_re(exc["vaccine_nouns"]),
        "give": _cue_re(exc["give_verbs"]),
        "self_jab": _cue_re(exc["self_jab_verbs"]),
        "first_jab": _cue_re(exc["first_jab"]),
        "byline_after": _cue_re(exc["byline_after"], anchored=True),
        "commemoration_after": _cue_re(exc["commemoration_after"], anchored=True),
        "citizen_after": _cue_re(exc["citizen_after"], anchored=True),
        "first_person": _cue_re(exc["first_person"]),
        "recipient_to": re.compile(r"^\s*को(?![\w\u0900-\u0963])"),
        "by_self": re.compile(r"^\s*ने(?:\s+भी)?(?![\w\u0900-\u0963])"),
    }
    return Vocab(
        offices=offices,
        single_roles=single,
        rules=tuple(rules),
        place_before=frozenset(tuple(_raw_tokens(f)) for f in d["place_before"]),
        strict=frozenset(tuple(_raw_tokens(f)) for f in d["strict"]),
        titles=frozenset(d["titles"]),
        place_words=frozenset(d["place_words"]),
        modifiers=frozenset(d["modifiers"]),
        deputy_modifiers=frozenset(d["deputy_modifiers"]),
        deputy_roles=dict(data["deputy_roles"]),
        generic_heads=frozenset(d["generic_heads"]),
        qualifiers=frozenset(d["qualifiers"]),
        unique_roles=frozenset(d["unique_roles"]),
        name_like=frozenset(d["name_like"]),
        rail_org=tuple(tuple(_raw_tokens(f)) for f in d["rail_org"]),
        not_rail_org=frozenset(d["not_rail_org"]),
        ordinals=frozenset(d["ordinals"]),
        bracket_roles={role: frozenset(words) for role, words in data["bracket_roles"].items()},
        place_nouns=frozenset(d["place_nouns"]),
        dual_suffix=d["dual_suffix"],
        academic=frozenset(hon["academic"]),
        social=frozenset(hon["social"]),
        idioms=frozenset(hon["idioms"]),
        initials=frozenset(names["initials"]),
        initial_pairs=frozenset(names["initial_pairs"]),
        strip_trailing=frozenset(names["strip_trailing"]),
        non_name_suffixes=tuple(names["non_name_suffixes"]),
        verb_suffixes=tuple(names["verb_suffixes"]),
        after_place=frozenset(names["after_place"]),
        institution_nouns=frozenset(names["institution_nouns"]),
        scheme_nouns=frozenset(names["scheme_nouns"]),
        stop=frozenset(stop),
        dotted=frozenset(dotted),
        separators=frozenset(cues["list_separators"]),
        byline_before=frozenset(t for p in exc["byline_before"] for t in _raw_tokens(p)),
        citizen_before=frozenset(t for p in exc["citizen_before"] for t in _raw_tokens(p)),
        cues=patterns,
    )


@lru_cache(maxsize=4096)
def is_place(word: str) -> bool:
    """A district, town, block or state of the gazetteer ("जबलपुर", "बरगी", "मध्यप्रदेश")."""
    from pipeline.places import Gazetteer

    gz = Gazetteer.load()
    return gz.lookup(word) is not None or gz.lookup_state(word) is not None


@lru_cache(maxsize=16384)
def _is_initials(key: str) -> bool:
    """Whether a token is letter names only: "एस", "एसएस", "आई.के.", "पीसी"."""
    s = key.replace(".", "")
    if not s:
        return False
    initials = load_vocab().initials
    ok = [True] + [False] * len(s)
    for i in range(len(s)):
        if ok[i]:
            for ini in initials:
                if s.startswith(ini, i):
                    ok[i + len(ini)] = True
    return ok[len(s)]


@lru_cache(maxsize=16384)  # the centre extractor asks about every word of every sentence
def is_acronym(key: str) -> bool:
    """A folded word spelt of two or more letter names ("एसकेएमसीएच", "बीआरडी") that is no designation (डीएम,
    सीएमओ): the name of a body or institution. Used by the centre extractor as well."""
    v = load_vocab()
    bare = key.replace(".", "")
    if bare in v.initials or not _is_initials(bare):
        return False
    return not any(
        o.keys == (key,) or o.keys == (bare,) for o in v.offices.get(key, ()) + v.offices.get(bare, ())
    )


# ---- tokens ---------------------------------------------------------------------------------------
# Normalised text is folded already; the cache makes the fold of its tokens nearly free.
_fold = lru_cache(maxsize=65536)(fold)


@dataclass(slots=True)  # built for every token of every sentence
class Tok:
    text: str
    key: str
    start: int  # offsets into the normalised sentence
    end: int
    kind: str  # "w" (Devanagari word), "latin", "num", "p"
    hon: bool = False
    word: bool = False  # may be part of a name
    taken: bool = False  # part of a designation (or its place)


def tokenize(text: str, v: Vocab) -> list[Tok]:
    """Tokens of a normalised sentence; text inside a bracket of Latin only (an English gloss) is dropped."""
    toks: list[Tok] = []
    memo = v.word_tokens
    for m in _TOKEN_RE.finditer(text):
        if m.group("w"):
            whole, at = m.group(), m.start()
            parts = memo.get(whole)
            if parts is None:
                parts = _remember(memo, whole, _word_tokens(m.group("w"), m.group("dot") or "", v))
            for t, key, a, b, kind in parts:
                toks.append(Tok(t, key, at + a, at + b, kind))
        elif m.group("num"):
            toks.append(Tok(m.group(), m.group(), m.start(), m.end(), "num"))
        else:
            toks.append(Tok(m.group(), m.group(), m.start(), m.end(), "p"))
    return _drop_glosses(toks)


_WORD_MEMO_SIZE = 1 << 16
_T = TypeVar("_T")


def _remember(memo: dict[str, _T], word: str, value: _T) -> _T:
    """Keep `value` for `word` in one of the vocabulary's per-word memos, which start over when full."""
    if len(memo) > _WORD_MEMO_SIZE:
        memo.clear()
    memo[word] = value
    return value


_WordToks = tuple[tuple[str, str, int, int, str], ...]  # (text, key, start, end, kind), offsets in the word


def _word_tokens(w: str, mark: str, v: Vocab) -> _WordToks:
    """The token(s) of one word and the "." / "0" glued to it: the word with its mark, or the word and the
    mark apart. A function of the word alone, so `tokenize` keeps it per word (`Vocab.word_tokens`)."""
    kind = "latin" if _LATIN.search(w) else "w"
    stem = _fold(w)
    key = stem + ("." if mark in (".", "\u0970") else "0") if mark else stem
    if mark and not _keeps_mark(stem, key, v):
        n = len(w)
        return ((w, stem, 0, n, kind), (mark, _fold(mark), n, n + len(mark), "p" if mark == "." else "num"))
    return ((w + mark, key, 0, len(w) + len(mark), kind),)


def _keeps_mark(stem: str, key: str, v: Vocab) -> bool:
    """Whether the "." / "0" after a word belongs to it (an abbreviation or an initial), not to the sentence."""
    if key in v.academic or key in v.social or key in v.dotted:
        return True
    if key.endswith("0"):
        return False
    return stem in v.initials or (len(_AKSHARA.findall(stem)) <= 2 and stem not in v.stop)


def _drop_glosses(toks: list[Tok]) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        if toks[i].text == "(":
            j = i + 1
            while (
                j < len(toks) and toks[j].text != ")" and toks[j].kind in ("latin", "num", "p") and j - i < 12
            ):
                j += 1
            if j < len(toks) and toks[j].text == ")" and any(t.kind == "latin" for t in toks[i + 1 : j]):
                i = j + 1
                continue
        out.append(toks[i])
        i += 1
    return out


def _classify(toks: list[Tok], v: Vocab) -> None:
    for t in toks:
        t.hon = t.key in v.academic or t.key in v.social
        t.word = t.kind == "w" and not t.hon and _name_word(t.key, v)
    # "नवीन पंडित, …": a social title after a name word and before no name word is a surname, not a title.
    for i, t in enumerate(toks):
        if t.hon and t.key in v.social and not t.key.endswith(".") and i > 0:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if toks[i - 1].word and not (nxt is not None and (nxt.word or nxt.hon)):
                t.hon, t.word = False, True
    # "डॉ. एमपी सिंह": a state's short form between an honorific and a name word is two initials
    for i, t in enumerate(toks[1:-1], 1):
        if t.key in v.initial_pairs and toks[i - 1].hon and toks[i + 1].word:
            t.word = True
    # "डॉ. के के शर्मा", "एस के शर्मा": a bare "के" after an honorific or a one-letter initial, before a name
    # word, is an initial too.
    for i, t in enumerate(toks):
        if t.key == "के" and i > 0 and i + 1 < len(toks):
            prev, nxt = toks[i - 1], toks[i + 1]
            initial = prev.word and prev.key.rstrip(".") in v.initials
            if (prev.hon or initial or prev.key == "के") and (nxt.word or nxt.key == "के"):
                t.word = True


def _name_word(key: str, v: Vocab) -> bool:
    """Whether a word may be part of a name: a function of the word, kept per word on the vocabulary."""
    found = v.name_words.get(key)
    return _remember(v.name_words, key, _is_name_word(key, v)) if found is None else found


def _is_name_word(key: str, v: Vocab) -> bool:
    stem = key[:-1] if key.endswith(".") else key
    if key.endswith(".") and (stem in v.initials or len(_AKSHARA.findall(stem)) <= 2):
        return True
    if stem in v.stop or stem in v.institution_nouns or stem in v.scheme_nouns or stem in v.place_nouns:
        return False
    if stem.endswith(v.verb_suffixes) and len(_AKSHARA.findall(stem)) >= 3:
        return False
    return not stem.endswith(v.non_name_suffixes)


# ---- designations ---------------------------------------------------------------------------------
@dataclass
class Desig:
    start: int  # token index where the designation phrase starts (its place/modifiers included)
    end: int  # token index after it
    role: str
    plural: bool
    contextual: int | None
    deputy: bool = False
    text_end: int = -1  # token index after the designation as written (a place after it included)


def _match_office(toks: list[Tok], i: int, v: Vocab) -> tuple[int, Office] | None:
    """The longest written designation starting at token i: (end index, office)."""
    t = toks[i]
    if t.kind not in ("w", "latin"):
        return None
    for office in v.offices.get(t.key, ()):
        n = len(office.keys)
        if i + n <= len(toks) and all(toks[i + k].key == office.keys[k] for k in range(n)):
            return i + n, office
    if t.key.endswith(v.dual_suffix) and len(t.key) > len(v.dual_suffix):
        stem = t.key[: -len(v.dual_suffix)]
        role = v.single_roles.get(stem)
        if role:
            return i + 1, Office((t.key,), role, plural=True)
    return None


def _generic(toks: list[Tok], i: int, v: Vocab) -> tuple[int, Office] | None:
    """A generic office `[‹qualifier›…] ‹head›`: "जिला खाद्य अधिकारी", "केंद्र प्रभारी", "ग्राम पंचायत सचिव"."""
    j = i
    while j < len(toks) and toks[j].key in v.qualifiers and j - i < 4:
        j += 1
    if j >= len(toks) or toks[j].key not in v.generic_heads:
        return None
    head = toks[j].key
    return j + 1, Office(tuple(t.key for t in toks[i : j + 1]), v.single_roles.get(head, "other"))


def _designation_at(toks: list[Tok], i: int, v: Vocab, depth: int = 0) -> Desig | None:
    """The designation starting at token i, with modifiers ("प्रभारी", "पूर्व", "अपर") folded in."""
    key = toks[i].key
    if not _may_start_designation(key, v):
        return None
    if i > 0 and toks[i - 1].hon and _reads_as_name(toks, i, v):
        return None
    found: list[tuple[int, Office, bool]] = []
    exact = _match_office(toks, i, v)
    if exact:
        found.append((*exact, False))
    if depth < 2 and (key in v.modifiers or key in v.deputy_modifiers) and i + 1 < len(toks):
        inner = _designation_at(toks, i + 1, v, depth + 1)
        if inner:
            office = Office((key,), inner.role, inner.plural, inner.contextual)
            found.append((inner.end, office, key in v.deputy_modifiers or inner.deputy))
    generic = _generic(toks, i, v)
    if generic:
        found.append((*generic, False))
    if not found:
        return _officer_acronym(toks, i, v)
    # longest; in a tie the exact match wins, then a known office with a modifier ("उप ‹मुख्य चिकित्सा
    # अधिकारी›" is a deputy CMO), then a generic office
    end, office, deputy = max(found, key=lambda f: f[0])
    role = v.deputy_roles.get(office.role, office.role) if deputy else office.role
    return Desig(i, end, role, office.plural, office.contextual, deputy, end)


def _officer_acronym(toks: list[Tok], i: int, v: Vocab) -> Desig | None:
    """An unknown acronym ending in the letter O (officer) before a name is an office: "आरसीएचओ डॉ. …" (RCH
    officer), as सीएमएचओ, बीएमओ, डीपीओ are. Its role is not known: other."""
    key = toks[i].key
    if toks[i].kind != "w" or "." in key or not key.endswith("ओ") or key in v.initials or key in v.stop:
        return None  # known acronyms of bodies (डब्ल्यूएचओ, एनजीओ) are stop words
    if not _is_initials(key):
        return None
    if i + 1 >= len(toks) or not (toks[i + 1].hon or toks[i + 1].word):
        return None
    return Desig(i, i + 1, "other", False, None, False, i + 1)


def _bracket_after(toks: list[Tok], d: Desig) -> int | None:
    """The end of a bracketed qualifier right after a designation and before a name: "अतिरिक्त जिला कलक्टर
    (प्रशासन) ओ.पी. …", "अनुविभागीय अधिकारी (रा.) श्री …", "मुख्य चिकित्सा अधिकारी (सीएमओ) डॉ0 …"."""
    k = d.end
    if k >= len(toks) or toks[k].text != "(":
        return None
    close = next((j for j in range(k + 1, min(len(toks), k + 8)) if toks[j].text in ("(", ")")), None)
    if close is None or toks[close].text != ")" or close == k + 1:
        return None
    inside = toks[k + 1 : close]
    if any(t.kind == "num" or t.hon for t in inside):
        return None
    nxt = close + 1
    return close + 1 if nxt < len(toks) and (toks[nxt].hon or toks[nxt].word) else None


def _bracket_role(toks: list[Tok], d: Desig, close: int, v: Vocab) -> str:
    """The role of a designation with a bracket: "डिप्टी सिविल सर्जन (टीकाकरण)", "एसीएमओ (टीकाकरण)" — a
    (deputy) medical office in charge of immunization — is the district immunization officer."""
    if d.role != "doctor":
        return d.role
    keys = {t.key for t in toks[d.end + 1 : close - 1]}
    return next((role for role, words in v.bracket_roles.items() if keys & words), d.role)


def _reads_as_name(toks: list[Tok], i: int, v: Vocab) -> bool:
    """After an honorific, "आशा" or "एसपी" before a name word is part of the name ("डॉ. एसपी सिंह")."""
    t = toks[i]
    if i + 1 >= len(toks) or not toks[i + 1].word:
        return False
    return t.key in v.name_like or _is_initials(t.key)


def _may_start_designation(key: str, v: Vocab) -> bool:
    """Whether an office, modifier, generic office or officer acronym can start with this word."""
    return key in v.starters or key.endswith(v.dual_suffix) or key.endswith("ओ")


def find_designations(toks: list[Tok], v: Vocab) -> list[Desig]:
    """Designations of a sentence, left to right, each with its place in front when it has one."""
    out: list[Desig] = []
    i = 0
    while i < len(toks):
        if not _may_start_designation(toks[i].key, v):
            i += 1  # most words: no designation starts here, and none is looked for
            continue
        d = _designation_at(toks, i, v)
        if d is None or _surname_not_office(toks, d, v):
            i += 1
            continue
        if out and out[-1].end == d.start and d.end - d.start == 1 and toks[d.start].key in v.titles:
            toks[d.start].hon, toks[d.start].word = True, False  # "सचिव डॉक्टर …": a title, not an office
            i += 1
            continue
        _take_place_before(toks, d, v)
        if _is_strict(toks, d, v):
            i += 1
            continue
        close = _bracket_after(toks, d)
        if close is not None:  # the bracket belongs to the designation (and no office inside it is another)
            d.role = _bracket_role(toks, d, close, v)
            d.end = d.text_end = close
        for t in toks[d.start : d.end]:
            t.taken = True
        # "जिलाधिकारी के विजयेंद्र पांडियन ने": "के" between a singular office and a two- or three-word
        # subject is the initial K.
        k = d.end
        if not d.plural and k + 3 < len(toks) and toks[k].key == "के":
            j = k + 1
            while j < len(toks) and toks[j].word and j - k <= 3:
                j += 1
            if 2 <= j - k - 1 <= 3 and j < len(toks) and toks[j].key == "ने":
                toks[k].word = True
        out.append(d)
        i = d.end
    return out


def _surname_not_office(toks: list[Tok], d: Desig, v: Vocab) -> bool:
    """A name-like designation word closing a run of name words is a surname ("डॉ. अनिल पटवारी ने")."""
    if d.end - d.start != 1 or toks[d.start].key not in v.name_like:
        return False
    prev_word = d.start > 0 and toks[d.start - 1].word and not toks[d.start - 1].taken
    next_word = d.end < len(toks) and toks[d.end].word
    return bool(prev_word) and not next_word


def _is_strict(toks: list[Tok], d: Desig, v: Vocab) -> bool:
    """A strict form ("‹Place› तहसील ‹Name›") without its place in front or full name after is no designation."""
    keys = tuple(t.key for t in toks[d.end - 1 : d.end])
    if keys not in v.strict:
        return False
    has_place = d.start < d.end - 1
    after = 0
    j = d.end
    while j < len(toks) and toks[j].word:
        after += 1
        j += 1
    return not (has_place and after >= 2)


def _take_place_before(toks: list[Tok], d: Desig, v: Vocab) -> None:
    """The place in front belongs to the designation: "बरगी विधायक", "जबलपुर पूर्व विधायक", "दिल्ली सीएम"."""
    keys = tuple(t.key for t in toks[d.start : d.end])
    core = keys
    while core and (core[0] in v.modifiers or core[0] in v.deputy_modifiers):
        core = core[1:]
    allowed = core in v.place_before
    p = d.start
    if allowed:
        while p > 0 and toks[p - 1].key in v.place_words and not toks[p - 1].taken:
            p -= 1
    if p > 0:
        prev = toks[p - 1]
        before = toks[p - 2] if p >= 2 else None
        lone = before is None or not (before.word or before.hon or before.taken)
        free = prev.word and not prev.taken and (before is None or not before.hon)
        if free and lone and (allowed or is_place(prev.key)):
            p -= 1
    d.start = p


# ---- runs of name words ---------------------------------------------------------------------------
@dataclass
class Member:
    s: int  # first name token
    e: int  # after the last name token
    hons: list[int] = field(default_factory=list)
    desig: Desig | None = None
    desig_text: tuple[int, int] | None = None  # token span of the designation as written
    ev_start: int = -1  # token index where the evidence starts
    ev_end: int = -1  # token index after the evidence
    inherited: bool = False
    qualifier: bool = False  # the place of a designation ("सीएमओ कांगड़ा डॉ. …"), not a name
    combined: Desig | None = None  # "‹Desig1› तथा ‹Desig2› ‹Name›": the first designation


def find_runs(toks: list[Tok], v: Vocab) -> list[Member]:
    runs: list[Member] = []
    i = 0
    while i < len(toks):
        if toks[i].word and not toks[i].taken:
            j = i
            while j < len(toks) and toks[j].word and not toks[j].taken:
                j += 1
            runs.append(Member(i, j))
            i = j
        else:
            i += 1
    for r in runs:
        h = r.s
        while h > 0 and toks[h - 1].hon:
            h -= 1
        r.hons = list(range(h, r.s))
        r.ev_start, r.ev_end = h, r.e
    return runs


# ---- one sentence ---------------------------------------------------------------------------------
@dataclass
class Mention:
    name: str
    words: tuple[str, ...]  # folded name words
    honorific: str | None
    designation: str | None
    role: str | None
    evidence: dict[str, Any]
    strong: bool  # single-word names without an honorific only join a known person
    excluded: bool
    order: tuple[int, int]


class _Sentence:
    """The reading of one sentence: tokens, designations, runs, lists, and the mentions they make."""

    def __init__(self, doc: Document, sv: SentenceView, v: Vocab) -> None:
        self.doc, self.sv, self.v = doc, sv, v
        self.text = sv.norm
        self.toks = tokenize(self.text, v)
        _classify(self.toks, v)
        self.desigs = find_designations(self.toks, v)
        self.runs = find_runs(self.toks, v)
        self.run_at = {r.s: r for r in self.runs}

    # -- attaching designations ------------------------------------------------------------------
    def attach(self) -> None:
        attached: set[int] = set()
        for n, d in enumerate(self.desigs):
            r = self._run_after(d)
            if r is None or r.desig is not None:
                continue
            r.desig = d
            r.ev_start = d.start
            if r.desig_text is None:
                r.desig_text = (d.start, d.text_end)
            attached.add(n)
            prev = self.desigs[n - 1] if n > 0 else None
            if prev is not None and n - 1 not in attached and self._joined(prev, d):
                r.combined = prev
                r.ev_start = prev.start
                r.desig_text = (prev.start, r.desig_text[1])
        for r in self.runs:
            if r.desig is None:
                self._designation_after(r)

    def _joined(self, a: Desig, b: Desig) -> bool:
        """Two designations of one person: "‹Desig1› तथा ‹Desig2› ‹Name›", "प्रमुख सचिव स्वास्थ्य …"."""
        if a.end == b.start:
            return True
        sep = self.toks[a.end].key
        return a.end + 1 == b.start and sep in self.v.separators and sep != ","

    def _run_after(self, d: Desig) -> Member | None:
        """The run a designation names: `‹Desig› [‹Place› [संभाग]] [‹Hon›…] ‹Name›`."""
        toks, k = self.toks, d.end
        r = self.run_at.get(k)
        if r is not None and r.e - r.s <= 2:
            m = r.e
            while m < len(toks) and (toks[m].key in self.v.place_nouns or toks[m].key in self.v.ordinals):
                m += 1
            follows = m < len(toks) and (toks[m].hon or m in self.run_at)
            text = " ".join(t.key for t in toks[r.s : r.e])
            if follows and (m > r.e or toks[m].hon or is_place(text)):
                r.qualifier = True
                d.text_end = m
                k = m
        elif k < len(toks) and toks[k].key in self.v.place_nouns:
            m = k
            while m < len(toks) and toks[m].key in self.v.place_nouns:
                m += 1
            if m < len(toks) and (toks[m].hon or m in self.run_at):
                d.text_end = m
                k = m
        if k < len(toks) and toks[k].key in self.v.ordinals:  # "सीएमएचओ (जयपुर) प्रथम डॉ. …": CMHO I
            while k < len(toks) and toks[k].key in self.v.ordinals:
                k += 1
            d.text_end = k
        while k < len(toks) and toks[k].hon:
            k += 1
        r = self.run_at.get(k)
        if r is None:
            return None
        # "कलेक्टर जबलपुर कर्मवीर शर्मा": a district in front of a full name is the designation's place.
        if r.s == d.end and r.e - r.s >= 3 and is_place(toks[r.s].key):
            del self.run_at[r.s]
            r.s += 1
            self.run_at[r.s] = r
            d.text_end = r.s
        return r

    def _designation_after(self, r: Member) -> None:
        """`‹Hon› ‹Name› (‹Desig›)`, `‹Name›, ‹Desig›, …` (apposition not followed by another name) and
        `‹Hon› ‹Name› ‹Desig› ने` (a designation after an honorific name, naming nobody after it)."""
        toks, e = self.toks, r.e
        if r.hons and e < len(toks) and toks[e].taken:
            d = next((d for d in self.desigs if d.start == e), None)
            if d is not None and not self._names_someone(d):
                r.desig, r.desig_text, r.ev_end = d, (d.start, d.end), d.end
            return
        if e + 1 >= len(toks) or toks[e].text not in ("(", ","):
            return
        d = next((d for d in self.desigs if d.start == e + 1), None)
        if d is None:
            return
        if toks[e].text == "(":
            close = d.end
            while close < len(toks) and close - d.end < 3 and toks[close].text != ")":
                close += 1
            if close < len(toks) and toks[close].text == ")":
                r.desig, r.desig_text, r.ev_end = d, (d.start, close), close + 1
            return
        if self._names_someone(d):
            return
        r.desig, r.desig_text, r.ev_end = d, (d.start, d.end), d.end

    def _names_someone(self, d: Desig) -> bool:
        """Whether a name (or an honorific) follows the designation."""
        nxt = d.end
        return nxt < len(self.toks) and (self.toks[nxt].hon or nxt in self.run_at)

    # -- lists ------------------------------------------------------------------------------------
    def lists(self) -> list[list[Member]]:
        """Runs chained by separators ("A, B व C", "डॉ. A एवं डॉ. B")."""
        groups: list[list[Member]] = []
        for r in self.runs:
            if r.qualifier:
                continue
            if groups and self._continues(groups[-1][-1], r):
                groups[-1].append(r)
            else:
                groups.append([r])
        return groups

    def _continues(self, a: Member, b: Member) -> bool:
        if b.desig is not None and b.ev_start < b.s - len(b.hons):
            return False  # b has its own designation in front: a new item, not a list member
        between = self.toks[a.ev_end : b.s - len(b.hons)]
        return 1 <= len(between) <= 2 and all(t.key in self.v.separators for t in between)

    def distributes(self, group: list[Member]) -> bool:
        head = group[0].desig
        if head is None or len(group) < 2:
            return False
        if head.plural:
            return True
        after = self.text[self.toks[group[-1].ev_end - 1].end :]
        if self.v.cues["distribute_after"].search(after):
            return True
        commas = sum(1 for t in self.toks[group[0].ev_end : group[-1].s] if t.text == ",")
        shared = head.role not in self.v.unique_roles
        return shared and ((len(group) >= 3 and commas >= 1) or self._parallel(group))

    def _parallel(self, group: list[Member]) -> bool:
        """ "पार्षद श्री A व श्री B": every name carries the same honorific and only the first a designation, an
        office many hold at once (not "other", too vague to share: "महाप्रबंधक श्री A व श्री B")."""
        head = group[0].desig
        if head is None or head.role == "other" or not group[0].hons:
            return False
        title = self.toks[group[0].hons[-1]].key
        return all(r.hons and self.toks[r.hons[-1]].key == title and r.desig is None for r in group[1:])

    # -- mentions ---------------------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        self.attach()
        out: list[Mention] = []
        for group in self.lists():
            dist = self.distributes(group)
            if dist:
                for r in group[1:]:
                    if r.desig is None:
                        r.desig, r.desig_text, r.inherited = group[0].desig, group[0].desig_text, True
            elif (closing := self._closing_designation(group)) is not None:
                for r in group:
                    if r.desig is None:
                        r.desig, r.desig_text, r.inherited = closing, (closing.start, closing.text_end), True
            anchored = any(r.desig is not None or r.hons for r in group)
            after_list = self.text[self.toks[group[-1].ev_end - 1].end :]
            cue = self._presence_after(after_list) or bool(
                self.v.cues["list_closers"].search(after_list) and self.v.cues["presence"].search(self.text)
            )
            excluded_all = self._group_excluded(group, after_list)
            for r in group:
                m = self._mention(r, anchored, cue, excluded_all)
                if m is not None:
                    out.append(m)
        return out

    def _closing_designation(self, group: list[Member]) -> Desig | None:
        """ "A, B व C सहित अन्य पार्षदों ने …": a plural office after "सहित/समेत अन्य" names the whole list."""
        toks, k = self.toks, group[-1].ev_end
        if k + 2 >= len(toks) or toks[k].key not in ("सहित", "समेत") or toks[k + 1].key != _fold("अन्य"):
            return None
        return next((d for d in self.desigs if d.start == k + 2 and d.plural), None)

    def _presence_after(self, after: str) -> bool:
        """A presence cue right after the names: "… मौजूद रहे", "… के नेतृत्व में" (not "… मौजूद नहीं")."""
        m = self.v.cues["include_after"].search(after)
        return m is not None and not self.v.cues["negation"].search(after[m.end() :])

    def _group_excluded(self, group: list[Member], after: str) -> str | None:
        """Why the whole list is no set of officials: "recipient", "self_jab", or None."""
        c = self.v.cues
        clause = after[: next((m.start() for m in _BOUNDARY.finditer(after)), len(after))][:90]
        if c["recipient_to"].search(clause) and self._jab_given(group, clause):
            return "recipient"
        if c["by_self"].search(clause) and c["vaccine"].search(clause) and c["self_jab"].search(clause):
            return "self_jab"
        return None

    def _jab_given(self, group: list[Member], clause: str) -> bool:
        """A jab given to the list: "पहला टीका" before it, or a vaccine and a giving verb in its clause (read
        only once a "को" after the list makes its members possible recipients)."""
        c = self.v.cues
        start = self.toks[group[0].ev_start].start
        before = self.text[max(0, start - 40) : start]
        cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
        before = before[cut:]
        return bool(
            c["first_jab"].search(before) or (c["vaccine"].search(clause) and c["give"].search(clause))
        )

    def _mention(self, r: Member, anchored: bool, cue: bool, excluded_all: str | None) -> Mention | None:
        toks, sv = self.toks, self.sv
        span = self._name_span(r)
        if span is None:
            return None
        s, e = span
        n = e - s
        has_desig = r.desig is not None
        # A bare name (no designation, no honorific) is listed beside an official or stands before a presence
        # cue; never right before an office ("हृदय रोग विशेषज्ञ डॉ. …": words in front of an office).
        bare = not has_desig and not r.hons
        if bare and ((n < 2 and not anchored) or not (anchored or cue) or (e < len(toks) and toks[e].taken)):
            return None
        if not self._plausible(r, s, e):
            return None
        excluded = self._excluded(r, s, e, has_desig, excluded_all)
        role = self._role(r) if r.desig else None
        hon_text = self._honorific(r)
        desig_text = None
        if r.desig_text is not None:
            a, b = r.desig_text
            desig_text = _clean(sv.original(toks[a].start, toks[b - 1].end)) if b > a else None
        if r.inherited:
            ev_a, ev_b = (r.hons[0] if r.hons else s), e
        else:
            ev_a, ev_b = r.ev_start, max(r.ev_end, e)
        name = _clean(sv.original(toks[s].start, toks[e - 1].end))
        keys = tuple(t.key for t in toks[s:e])
        return Mention(
            name=name,
            words=keys,
            honorific=hon_text,
            designation=desig_text,
            role=role,
            evidence=sv.evidence(toks[ev_a].start, toks[ev_b - 1].end),
            strong=n >= 2 or bool(r.hons),
            excluded=excluded,
            order=(sv.index, toks[s].start),
        )

    def _name_span(self, r: Member) -> tuple[int, int] | None:
        """The name words of a run: 1–4 words, a trailing "जी" and a town of destination cut off."""
        toks, v = self.toks, self.v
        s, e = r.s, r.e
        while e - s > 1 and toks[e - 1].key in v.strip_trailing:
            e -= 1
        # "कलेक्टर वेद प्रकाश करेली पहुंचे": a town closing a long run before a motion verb is where he went.
        if e - s >= 3 and e < len(toks) and toks[e].key in v.after_place and is_place(toks[e - 1].key):
            e -= 1
        return (s, e) if 0 < e - s <= MAX_NAME_WORDS else None

    def _plausible(self, r: Member, s: int, e: int) -> bool:
        """Not initials only, not a place, not an idiom ("श्री गणेश"), not a building or scheme."""
        toks, v = self.toks, self.v
        keys = tuple(t.key for t in toks[s:e])
        if all(_is_initials(k) for k in keys):
            return False
        if len(keys) == 1:
            hon_keys = [toks[h].key for h in r.hons]
            if is_place(keys[0]) or any(f"{h} {keys[0]}" in v.idioms for h in hon_keys):
                return False
        if len(keys) == 2 and is_place(" ".join(keys)):
            return False
        return not self._institution_after(e, r.desig is not None)

    def _institution_after(self, e: int, has_desig: bool) -> bool:
        """Whether the run names a building, a body or a scheme, not a person: "श्री राम मंदिर", "डॉ. अंबेडकर
        भवन", "प्रधानमंत्री आवास योजना". After a designation only a scheme counts ("कलेक्टर … अस्पताल पहुंचे")."""
        toks = self.toks
        for t in toks[e : e + 2]:
            if t.key in self.v.scheme_nouns or (t.key in self.v.institution_nouns and not has_desig):
                return True
            if t.kind != "w" or t.key in self.v.separators or t.word:
                return False
            if t.key in ("ने", "को", "के", "की", "का", "से", "में", "पर", "द्वारा"):
                return False
        return False

    def _excluded(self, r: Member, s: int, e: int, has_desig: bool, excluded_all: str | None) -> bool:
        c, toks = self.v.cues, self.toks
        if excluded_all == "recipient" or (excluded_all == "self_jab" and not has_desig):
            return True
        after = self.text[toks[e - 1].end :]
        if c["byline_after"].search(after) or c["commemoration_after"].search(after):
            return True
        lead = r.hons[0] if r.hons else r.ev_start
        before = [t.key for t in toks[max(0, lead - 3) : lead] if t.kind != "p"]
        if any(k in self.v.byline_before for k in before[-2:]):
            return True
        if has_desig:
            return False
        if any(k in self.v.citizen_before for k in before[-2:]):
            return True
        if c["citizen_after"].search(after) or re.match(r"^\s*\(\s*\d", after):
            return True
        return bool(c["first_person"].search(self.text))

    def _honorific(self, r: Member) -> str | None:
        """The title as written; an academic one outranks a social one before it ("श्री डॉ." ⇒ डॉ.)."""
        if not r.hons:
            return None
        academic = [h for h in r.hons if self.toks[h].key in self.v.academic]
        h = academic[-1] if academic else r.hons[-1]
        t = self.toks[h]
        return self.sv.original(t.start, t.end)

    def _role(self, r: Member) -> str | None:
        d = r.desig
        assert d is not None
        role = self._contextual_role(d, r) if d.contextual is not None else d.role
        if r.combined is not None:
            first = (
                self._contextual_role(r.combined, r) if r.combined.contextual is not None else r.combined.role
            )
            # "सीएमएचओ तथा डीआईओ …": the first office named; adjacent "… ‹Desig1› ‹Desig2›": the nearer one;
            # "उप सिविल सर्जन एवं जिला टीकाकरण अधिकारी": a deputy's role yields to the full office held with it
            adjacent = r.combined.end == d.start
            deputy_first = r.combined.deputy and not d.deputy and role != "other"
            if first != "other" and (not adjacent or role == "other") and not deputy_first:
                role = first
        if role == "other" and self._rail_org(d):
            role = "railway_officer"
        return role

    def _contextual_role(self, d: Desig, r: Member) -> str:
        rule = self.v.rules[d.contextual or 0]
        text = self.text
        if rule.cues and any(cue in text for cue in rule.cues):
            return rule.cue_role
        state = self.doc.state or (self.doc.district.state if self.doc.district else None)
        if state and fold(state) in rule.states:
            hon_keys = {self.toks[h].key for h in r.hons}
            words = {t.key for t in self.toks}
            if any(c in hon_keys or c in words for c in rule.keep_default_cues):
                return rule.default
            return rule.states_role
        return rule.default

    def _rail_org(self, d: Desig) -> bool:
        """Whether the designation belongs to the railways: "पश्चिम मध्य रेल के महाप्रबंधक" (not "व्यापार मंडल के
        महामंत्री": the railway words are matched whole; not "रेलवे मजदूर संघ के सचिव": a union is no railway)."""
        i = d.start
        if i < 2 or self.toks[i - 1].key not in ("के", "की"):
            return False
        org = [t.key for t in self.toks[max(0, i - 6) : i - 1]]
        if any(k in self.v.not_rail_org for k in org):
            return False
        return any(
            tuple(org[j : j + len(seq)]) == seq
            for seq in self.v.rail_org
            for j in range(len(org) - len(seq) + 1)
        )


# ---- the article ----------------------------------------------------------------------------------
@dataclass
class _Person:
    mentions: list[Mention]

    @property
    def first(self) -> tuple[int, int]:
        return min(m.order for m in self.mentions if not m.excluded)

    def full_words(self) -> tuple[str, ...]:
        return max((m.words for m in self.mentions), key=len)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two multi-word names of one person: equal up to dots/spacing of initials, or same first and last word."""
    if "".join(a).replace(".", "") == "".join(b).replace(".", ""):
        return True
    return len(a) >= 2 and len(b) >= 2 and a[0] == b[0] and a[-1] == b[-1]


def merge(mentions: list[Mention]) -> list[_Person]:
    """Group mentions by person; a one-word name joins the person whose surname (or given name) it is."""
    people: list[_Person] = []
    singles = []
    for m in sorted(mentions, key=lambda m: m.order):
        if len(m.words) == 1:
            singles.append(m)
            continue
        for p in people:
            if any(_same_person(m.words, o.words) for o in p.mentions):
                p.mentions.append(m)
                break
        else:
            people.append(_Person([m]))
    for m in singles:
        matches = [p for p in people if p.full_words()[-1] == m.words[0] or p.full_words() == m.words]
        if not matches:
            matches = [p for p in people if len(p.full_words()) > 1 and p.full_words()[0] == m.words[0]]
        if matches:
            same_role = [p for p in matches if any(o.role and o.role == m.role for o in p.mentions)]
            (same_role or matches)[0].mentions.append(m)
        elif m.strong:
            people.append(_Person([m]))
    return [p for p in people if any(not m.excluded for m in p.mentions)]


def _fact(p: _Person) -> dict[str, Any]:
    """The person's fact: the fullest name, the richest designation, evidence of the mention stating both."""
    live = sorted((m for m in p.mentions if not m.excluded), key=lambda m: m.order)
    named = max(live, key=lambda m: len(m.words))
    richest = max(live, key=lambda m: (m.role is not None, len(m.designation or "")))
    best = richest if len(richest.words) == len(named.words) else named
    honorific = best.honorific or next((m.honorific for m in live if m.honorific), None)
    return {
        "type": "official",
        "name": named.name,
        "honorific": honorific,
        "designation": richest.designation,
        "role": richest.role,
        "evidence": best.evidence,
    }


def sentence_mentions(doc: Document, sv: SentenceView) -> list[Mention]:
    """Every candidate mention of a person in one sentence, excluded ones flagged."""
    return _Sentence(doc, sv, load_vocab()).mentions()


def extract(doc: Document) -> list[dict[str, Any]]:
    mentions: list[Mention] = []
    for sv in doc.sentences:
        mentions.extend(sentence_mentions(doc, sv))
    people = sorted(merge(mentions), key=lambda p: p.first)
    return [_fact(p) for p in people]
