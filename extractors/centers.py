"""center facts: named vaccination centres, camps and sites, with their organizers (facts.md §3).

A name is found in two ways (phrasing.md §3, "Named centres"):

* **Headed names** end in an institution noun (a *head*: स्कूल, अस्पताल, सामुदायिक स्वास्थ्य केंद्र, भवन …,
  `data/centers.toml`). The name runs left from the head over modifier words up to a case marker, verb,
  conjunction, pronoun ("उनके स्कूल" names nothing), time word or punctuation ("गुरुवार को ‹साउथ एवेन्यू मॉल›",
  "‹Org› द्वारा ‹डीएन जैन विद्यालय परिसर›"), and right over a number or a numbered locality ("क्रमांक 2",
  "सिविल अस्पताल ‹सेक्टर-10›"), a place ("सामुदायिक स्वास्थ्य केंद्र ‹दुगड्डा›"), or after a religious site its
  proper name ("गुरुद्वारा ‹श्री गुरु सिंह सभा›"). A head with only generic modifiers ("इस अस्पताल", "मेगा
  सेंटर") names nothing, unless a descriptive prefix makes it specific ("‹Landmark› के पास", "‹Place› स्थित
  गुरुद्वारा", "‹Place› के सीएचसी", "सेक्टर-12 के सामुदायिक भवन"); "जिला मंडी" (a district whose name is a head)
  is a place.
* **Headless names** come only from a site context: "‹X› गांव के टीकाकरण केंद्र", "‹Org› द्वारा ‹X› में … शिविर",
  "‹X› में लगे शिविर", "‹ACRONYM› टीकाकरण केंद्र" ("एसकेएमसीएच"), or a list whose other items are headed
  ("सदर अस्पताल और ‹रिम्स› के टीकाकरण केंद्र").
* **Table rows** — a flattened table "• ‹Site› — ‹N›" under a lead-in line: a headed label under a lead about
  vaccination or sites, a headless one only under a lead that names sites ("केंद्रवार स्थिति …"), never under a
  lead that counts by area ("प्रखंडवार").

A headed name is a centre only where the sentence uses it as a site. Strong frames: "‹Name› के टीकाकरण
केंद्र", "‹Name› को … सेंटर बनाया", "A, B सहित कुल N केंद्रों" / "… सहित 20 सत्र", "केंद्रों में A, B …
शामिल", "टीकाकरण केंद्र ‹Name›". Weak frames — "‹Name› में/पर …", "‹Name› (केंद्र) का निरीक्षण", "‹Name›
पहुंचकर" — need a sentence about vaccination
(a vaccination word; or a camp noun, or the paragraph's vaccination words, when the sentence speaks of no
other purpose such as treatment, testing or quarantine). Items of a list ("A, B व C में") share the frame
of the list. "रीवा मेडिकल कॉलेज का अध्ययन", "‹Org› की ओर से", "‹Locality› के/स्थित ‹Building›" (the locality),
"‹Name› के क्वारंटाइन सेंटर" are no sites; a bare "स्कूल परिसर में शिविर" is the school named before it.
A report that never speaks of vaccination names no centre.

The organizer is the body before "(के) द्वारा" / "की ओर से" / "के तत्वावधान में" next to the site, or the
ने-subject of "… शिविर लगाया / आयोजित किया / सेंटर बढ़ाए" when it is a body (समिति, मंच, क्लब …), also for
an "इन नए केंद्रों में A, B …" list in the next sentences; "के सहयोग से" is help, not organisation.

One fact per distinct centre per article: names are compared folded, without spaces and weak modifiers
(शासकीय …), with long forms abbreviated (सामुदायिक स्वास्थ्य केंद्र = सीएचसी); a name contained in an earlier
one, or a short form of it (3+ of its words in order, same first word and head: "महारानी गर्ल्स स्कूल" =
"महारानी गर्ल्स सीनियर सेकेंडरी स्कूल"), is the same centre, and an organizer found at any mention fills the
first fact.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from extractors.common import Word, alternation, vocab, words
from extractors.context import Document, SentenceView
from extractors.officials import is_acronym
from extractors.officials import load_vocab as officials_vocab
from pipeline.text import fold

_MAX_NAME_TOKENS = 7
_MAX_HEADLESS_TOKENS = 4
_MAX_ORG_TOKENS = 8
# Punctuation that no name crosses (a "." does not: डॉ., उ.मा., initials).
_HARD_GAP = re.compile(r"[,;:()\[\]{}।॥?!|\"'“”‘’*•/…\-–—\n]")
_DIGITS = re.compile(r"\d")


def _hard_gap(text: str, start: int, end: int) -> bool:
    """Punctuation in `text[start:end]`; most gaps between words are one space, answered without a regex."""
    if end - start == 1 and text[start] == " ":
        return False
    return _HARD_GAP.search(text, start, end) is not None


_NOT_WORD = r"(?![\w\u0900-\u0963])"


def _alt(items: list[str] | frozenset[str]) -> str:
    """Alternation of (already folded) words, multi-word entries with flexible spaces, no bounds."""
    body = sorted({w for w in items}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in body)


@dataclass(frozen=True)
class _Vocab:
    """The vocabulary of `data/centers.toml`, folded, with the regexes built from it (loaded once)."""

    heads: dict[str, list[tuple[str, ...]]]  # first token -> head token sequences, longest first
    single_heads: frozenset[str]
    standalone: frozenset[tuple[str, ...]]
    weak_heads: frozenset[str]
    unique: frozenset[tuple[str, ...]]
    need_locality: frozenset[tuple[str, ...]]
    name_after: frozenset[str]
    generic_mods: frozenset[str]
    weak_mods: frozenset[str]
    left_stop: frozenset[str]
    followers: frozenset[str]
    not_locality: frozenset[str]
    number_words: frozenset[str]
    locality_numbers: frozenset[str]
    center_nouns: frozenset[str]
    center_noun_re: re.Pattern[str]
    headless_generic: frozenset[str]
    village_words: frozenset[str]
    org_left_stop: frozenset[str]
    body_nouns: frozenset[str]
    not_bodies: frozenset[str]
    honorifics: frozenset[str]
    markers: tuple[tuple[str, ...], ...]  # longest first
    descriptors: frozenset[str]
    abbreviations: tuple[tuple[str, str], ...]  # (folded long form without spaces, short form)
    stop_lines: frozenset[str]
    conj: frozenset[str]
    at_re: re.Pattern[str]
    of_re: re.Pattern[str]
    visit_re: re.Pattern[str]
    reach_re: re.Pattern[str]
    made_re: re.Pattern[str]
    list_re: re.Pattern[str]
    included_re: re.Pattern[str]
    before_list_re: re.Pattern[str]
    these_re: re.Pattern[str]
    before_appos_re: re.Pattern[str]
    intro_re: re.Pattern[str]
    list_gap_re: re.Pattern[str]
    camp_after_re: re.Pattern[str]
    village_center_re: re.Pattern[str]
    vaccination_re: re.Pattern[str]
    treatment_re: re.Pattern[str]
    not_site_re: re.Pattern[str]
    site_after_re: re.Pattern[str]
    arrange_re: re.Pattern[str]
    help_re: re.Pattern[str]
    acronym_center_re: re.Pattern[str]
    site_lead_re: re.Pattern[str]
    area_lead_re: re.Pattern[str]
    row_re: re.Pattern[str]


def _toks(items: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(w.split()) for w in items)


@functools.cache
def _vocab() -> _Vocab:
    v = vocab("centers")
    heads: dict[str, list[tuple[str, ...]]] = {}
    for h in v["heads"]["words"]:
        seq = tuple(h.split())
        heads.setdefault(seq[0], []).append(seq)
    for seqs in heads.values():
        seqs.sort(key=len, reverse=True)
    c = v["context"]
    fill = _alt(c["fillers"])
    cn = _alt(c["center_nouns"])
    plural = _alt(c["plural_center_nouns"])
    word = r"[^\s,।]+"
    conj = ["और", "व", "एवं", "तथा"]
    return _Vocab(
        heads=heads,
        single_heads=frozenset(h for h in v["heads"]["words"] if " " not in h),
        standalone=_toks(v["heads"]["standalone"]),
        weak_heads=frozenset(v["heads"]["weak"]),
        unique=_toks(v["heads"]["unique"]),
        need_locality=_toks(v["heads"]["need_locality"]),
        name_after=frozenset(v["heads"]["name_after"]),
        generic_mods=frozenset(v["modifiers"]["generic"]),
        weak_mods=frozenset(v["modifiers"]["weak"]),
        left_stop=frozenset(v["boundaries"]["left_stop"]) | frozenset(v["boundaries"]["pronouns"]),
        followers=frozenset(v["boundaries"]["followers"]),
        not_locality=frozenset(v["boundaries"]["not_locality"]),
        number_words=frozenset(v["boundaries"]["number_words"]),
        locality_numbers=frozenset(v["boundaries"]["locality_numbers"]),
        center_nouns=frozenset(w for w in c["center_nouns"] if " " not in w),
        center_noun_re=re.compile(alternation(frozenset(c["center_nouns"]))),
        headless_generic=frozenset(v["headless"]["generic"]),
        village_words=frozenset(v["headless"]["village_words"]),
        org_left_stop=frozenset(v["organizer"]["left_stop"]),
        body_nouns=frozenset(v["organizer"]["body_nouns"]),
        not_bodies=frozenset(v["organizer"]["not_bodies"]),
        honorifics=frozenset(v["organizer"]["honorifics"]),
        markers=tuple(sorted(_toks(v["organizer"]["markers"]), key=len, reverse=True)),
        descriptors=frozenset(v["organizer"]["descriptors"]),
        abbreviations=tuple(
            sorted(((_key(k), _key(a)) for k, a in v["abbreviations"].items()), key=lambda x: -len(x[0]))
        ),
        stop_lines=frozenset(c["stop_lines"]),
        conj=frozenset(conj),
        # "‹Name› में", "‹Name› केंद्र पर", "‹Name› स्थित टीकाकरण केंद्र में", "‹Name› परिसर में"
        at_re=re.compile(
            rf"\s*(?:(?:{fill}){_NOT_WORD}\s*){{0,3}}(?:(?:{cn}){_NOT_WORD}\s*)?(?:में|पर){_NOT_WORD}"
        ),
        # "‹Name› के टीकाकरण केंद्र", "‹Name› के बूथ"
        of_re=re.compile(rf"\s*(?:के|की|का)\s+(?:{word}\s+){{0,2}}?(?:{cn}){_NOT_WORD}"),
        # "‹Name› (केंद्र) का (आकस्मिक) निरीक्षण"
        visit_re=re.compile(
            rf"\s*(?:(?:{fill}){_NOT_WORD}\s*){{0,3}}(?:(?:{cn}){_NOT_WORD}\s*)?(?:का|की|के)\s+(?:{_alt(c['visit_nouns'])})"
        ),
        # "‹Name› (केंद्र) पहुंचकर …": an arrival, a weak frame like a visit
        reach_re=re.compile(
            rf"\s*(?:(?:{fill}){_NOT_WORD}\s*){{0,3}}(?:(?:{cn}){_NOT_WORD}\s*)?(?:{_alt(c['reach_verbs'])}){_NOT_WORD}"
        ),
        # "‹A›, ‹B› और ‹C› को मेगा सेंटर बनाया गया"
        made_re=re.compile(rf"\s*को\s+(?:{word}\s+){{0,3}}?(?:{cn})\s+(?:{_alt(c['made_verbs'])})"),
        # "A, B सहित कुल 86 केंद्रों", "A, B आदि केंद्रों"; a counted noun is plural in sense, whatever its
        # form: "A, B सहित 20 विशेष सत्र"
        list_re=re.compile(
            rf"\s*(?:{_alt(c['list_closers'])})\s+(?:(?:{word}\s+){{0,3}}?(?:{plural})"
            rf"|(?:{word}\s+)?\d[\d,]*\s+(?:{word}\s+){{0,2}}?(?:{cn})){_NOT_WORD}"
        ),
        included_re=re.compile(rf"\s*(?:भी\s+)?(?:{_alt(c['included'])})"),
        # "इन नए केंद्रों में ‹A›, …": the list opens after a plural centre noun + में
        before_list_re=re.compile(rf"(?:{plural})\s+में\s*:?\s*$"),
        # "इनमें (‹Locality› स्थित) ‹A›, ‹B› और ‹C› शामिल हैं", after a sentence about centres
        these_re=re.compile(rf"^\s*(?:{_alt(c['these'])})\s+(?:(?:[^\s,।]+\s+){{0,4}}(?:स्थित|के|की|का)\s+)?$"),
        # "टीकाकरण केंद्र ‹Name›": apposition after the generic lead
        before_appos_re=re.compile(r"(?:टीकाकरण|वैक्सीनेशन)\s+(?:केंद्र|सेंटर)\s*$"),
        # "इन (नए) केंद्रों में ‹A›, …": a list that names centres announced just before
        intro_re=re.compile(
            rf"(?<![\w\u0900-\u0963])(?:इन|इंहीं|इनमें)\s+(?:{word}\s+){{0,2}}?(?:{plural})\s+में\s*:?\s*$"
        ),
        # Between two items of a list: ",", "और", ", व", optionally "‹Locality› स्थित / के (पास)".
        list_gap_re=re.compile(
            rf"\s*(?:,\s*(?:(?:{_alt(conj)})\s+)?|(?:{_alt(conj)})\s+)"
            rf"(?:(?:{word}\s+){{1,3}}(?:स्थित|के\s+पास|के|की|का)\s+)?"
        ),
        # "‹X› में (लगे/आयोजित) (विशेष) (टीकाकरण) शिविर/कैंप"
        camp_after_re=re.compile(
            rf"\s*में\s+(?:(?:{fill}|लगाए|लगाये|लगाया|गए|गये|गया|आयोजित|किए|किये)\s+){{0,4}}(?:{_alt(c['camp_nouns'])})"
            rf"(?!ों|ो){_NOT_WORD}"
        ),
        # "‹X› (गांव) के टीकाकरण केंद्र" (singular: a plural "के केंद्रों" counts a place's centres)
        village_center_re=re.compile(
            rf"(?<![\w\u0900-\u0963])(?:(?:{_alt(v['headless']['village_words'])})\s+)?के\s+(?:टीकाकरण|वैक्सीनेशन)\s+"
            rf"(?:केंद्र|सेंटर){_NOT_WORD}"
        ),
        vaccination_re=re.compile(alternation(frozenset(c["vaccination_cues"]))),
        treatment_re=re.compile(alternation(frozenset(c["not_vaccination_cues"]), prefix=True)),
        not_site_re=re.compile(rf"\s*(?:{word}\s+){{0,2}}?(?:{_alt(c['not_site_after'])}){_NOT_WORD}"),
        # After an organizer marker, the clause goes on to a camp/centre ("… द्वारा ‹X› में ड्राइव-थ्रू केंद्र").
        site_after_re=re.compile(rf"(?:{cn}|{_alt(c['vaccination_cues'])}){_NOT_WORD}"),
        # "‹Org› ने … शिविर लगाया / का आयोजन किया / सेंटर बढ़ाए"
        arrange_re=re.compile(
            rf"(?:{cn}|{plural})\s+(?:का\s+)?(?:{_alt(v['organizer']['arrange_verbs'])}){_NOT_WORD}"
        ),
        help_re=re.compile(rf"(?:{_alt(v['organizer']['not_markers'])})\s*$"),
        # "‹ACRONYM› टीकाकरण केंद्र": the acronym names the site ("एसकेएमसीएच टीकाकरण केंद्र पर")
        acronym_center_re=re.compile(rf"\s*(?:टीकाकरण|वैक्सीनेशन)\s+(?:केंद्र|सेंटर){_NOT_WORD}"),
        site_lead_re=re.compile(
            alternation(frozenset(v["table"]["site_leads"]) | frozenset(c["center_nouns"]), prefix=False)
        ),
        area_lead_re=re.compile(alternation(frozenset(v["table"]["area_leads"]))),
        # One row of a flattened table: "• ‹Label› — ‹N› (डोज)" (the label is checked by the caller).
        # The label and its number are parted by a dash, colon or bar, or only by space in a bulleted row
        # ("• टाउन हॉल 1,302").
        row_re=re.compile(
            r"^\s*(?P<bullet>(?:[•·▪●◦○■□➢➤►*]|-(?=\s)|\d{1,2}[.)](?=\s))\s*)?(?P<label>[^\d\s•].*?)\s*"
            r"(?P<sep>\s[-–—]|[–—:|])?\s*"
            rf"\d[\d,]*(?:\s+(?:{_alt(v['table']['units'])}))?[\s।.]*$"
        ),
    )


@functools.lru_cache(maxsize=16384)
def _place_kind(name: str) -> str | None:
    """Kind of a known place ("district", "town", "state" …) or None (villages are mostly unknown)."""
    from pipeline.places import Gazetteer

    gz = Gazetteer.load()
    if gz.lookup_state(name):
        return "state"
    found = gz.resolve_place(name)
    return found.kind if found else None


@dataclass
class _Name:
    """A name span of a sentence, in token indices [start, end) of `_Sentence.toks`.

    `anchor` is where the sentence mentions the site (for organizers): the name itself, or a later bare
    "स्कूल परिसर" that refers back to it. `intro` marks items of an "इन नए केंद्रों में A, B …" list.
    """

    start: int
    end: int
    headed: bool
    head_start: int = -1
    head_end: int = -1
    organizer: str | None = None
    anchor: tuple[int, int] | None = None
    intro: bool = False

    @property
    def anchor_start(self) -> int:
        return self.anchor[0] if self.anchor else self.start

    @property
    def anchor_end(self) -> int:
        return self.anchor[1] if self.anchor else self.end


@dataclass
class _Sentence:
    sv: SentenceView
    toks: list[Word] = field(init=False)
    keys: list[str] = field(init=False)
    hard: list[bool] = field(init=False)  # hard[i]: punctuation between token i-1 and token i (or i == 0)

    def __post_init__(self) -> None:
        text = self.sv.norm
        self.toks = words(text)
        self.keys = [t.text for t in self.toks]
        self.hard = [
            i == 0 or _hard_gap(text, self.toks[i - 1].end, t.start) for i, t in enumerate(self.toks)
        ]

    @property
    def text(self) -> str:
        return self.sv.norm

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i (i may be len(toks): the sentence's tail)."""
        a = self.toks[i - 1].end if i > 0 else 0
        b = self.toks[i].start if i < len(self.toks) else len(self.text)
        return self.text[a:b]

    def original(self, start: int, end: int) -> str:
        return self.sv.original(self.toks[start].start, self.toks[end - 1].end)

    def after(self, end: int) -> str:
        """The sentence text after token end-1."""
        return self.text[self.toks[end - 1].end :]

    def before(self, start: int) -> str:
        return self.text[: self.toks[start].start]


# ---------------------------------------------------------------------------------------------- heads
def _head_at(s: _Sentence, i: int) -> int:
    """Number of tokens of the longest head starting at token i (0 if none)."""
    v = _vocab()
    key = s.keys[i]
    for seq in v.heads.get(key, ()):
        n = len(seq)
        if tuple(s.keys[i : i + n]) == seq and not any(s.hard[i + k] for k in range(1, n)):
            return n
    if "." in key and key.rsplit(".", 1)[1] in v.single_heads:  # "उ.मा.विद्यालय", "हा.से.स्कूल"
        return 1
    return 0


@functools.lru_cache(maxsize=65536)  # asked of nearly every word, several times per sentence
def _is_name_word(key: str) -> bool:
    return key not in _vocab().left_stop and not _DIGITS.search(key)


_NUMBER = re.compile(r"\d+|[ivxlc]+")


def _numbered_len(s: _Sentence, t: int, lead: frozenset[str]) -> int:
    """Tokens of "‹lead word› ‹N›" or "‹lead word›-‹N›" at token t (0 if none)."""
    if t >= len(s.toks) or s.hard[t]:
        return 0
    key = s.keys[t]
    if "-" in key:
        word, _, num = key.partition("-")
        return 1 if word in lead and _NUMBER.fullmatch(num) else 0
    if key in lead and t + 1 < len(s.toks) and not s.hard[t + 1] and _NUMBER.fullmatch(s.keys[t + 1]):
        return 2
    return 0


def _number_len(s: _Sentence, t: int) -> int:
    """Tokens of a number designator or a numbered locality at token t: "क्रमांक 2", "नं. 5", "क्रमांक-1",
    "सेक्टर-10" (0 if none)."""
    v = _vocab()
    return _numbered_len(s, t, v.number_words) or _numbered_len(s, t, v.locality_numbers)


def _in_numbered_locality(s: _Sentence, t: int) -> bool:
    """Is token t (part of) a numbered locality ("सेक्टर-12", "सेक्टर 12")? Its digits are no count."""
    lead = _vocab().locality_numbers
    word, dash, num = s.keys[t].partition("-")
    if dash:
        return word in lead and _NUMBER.fullmatch(num) is not None
    if s.keys[t] in lead:
        return t + 1 < len(s.toks) and not s.hard[t + 1] and _NUMBER.fullmatch(s.keys[t + 1]) is not None
    return t > 0 and not s.hard[t] and s.keys[t - 1] in lead and _NUMBER.fullmatch(s.keys[t]) is not None


def _place_word(s: _Sentence, t: int) -> bool:
    """Could token t be (part of) a place name after a head?"""
    v = _vocab()
    if t >= len(s.toks) or s.hard[t]:
        return False
    key = s.keys[t]
    if (
        key in v.left_stop
        or key in v.not_locality
        or key in v.center_nouns
        or key in v.headless_generic
        or key in v.generic_mods
        or _DIGITS.search(key)
    ):
        return False
    return not _head_at(s, t) or _place_kind(key) is not None  # "डीएवी स्कूल पुरानी ‹मंडी›" (a district)


def _closes(s: _Sentence, t: int) -> bool:
    """Does a name end before token t (end of sentence, punctuation, or a follower word)?"""
    return t >= len(s.toks) or s.hard[t] or s.keys[t] in _vocab().followers


def _locality_len(s: _Sentence, t: int) -> int:
    """Tokens of the place that belongs to the name before token t ("सिविल अस्पताल ‹बीना› में",
    "उ.मा. विद्यालय ‹अलवर गेट› में"); 0 if none."""
    if not _place_word(s, t):
        return 0
    if _closes(s, t + 1):
        return 1
    if _place_word(s, t + 1) and (_closes(s, t + 2) or _place_kind(s.keys[t + 1]) is not None):
        return 2
    return 1 if _place_kind(s.keys[t]) is not None else 0


_CODE = re.compile(
    r"(?:[\u0900-\u0963]{1,4}|[a-z]{1,3})-\d{1,4}"
)  # a building's code: "सी-21 मॉल", "डी-4 ब्लॉक"


def _modifier_word(s: _Sentence, t: int) -> bool:
    """Can token t stand in a name before its head? Name words, a numbered locality ("सेक्टर-5 सामुदायिक
    भवन") and a short code ("सी-21 मॉल"); not "कोविड-19" or a bare number."""
    key = s.keys[t]
    return _is_name_word(key) or _in_numbered_locality(s, t) or _CODE.fullmatch(key) is not None


def _headed_names(s: _Sentence) -> list[tuple[_Name, bool]]:
    """Every head phrase of the sentence with its name span, and whether the span really names a place."""
    v = _vocab()
    out: list[tuple[_Name, bool]] = []
    n = len(s.toks)
    i = 0
    while i < n:
        length = _head_at(s, i)
        if not length:
            i += 1
            continue
        j = i + length
        while j < n and not s.hard[j] and (more := _head_at(s, j)):  # "मेडिकल कॉलेज अस्पताल", "कॉलेज परिसर"
            j += more
        head = tuple(s.keys[i:j])
        first_head = tuple(s.keys[i : i + length])
        # left: modifiers up to a boundary word or punctuation
        k = i
        while k > 0 and not s.hard[k] and j - (k - 1) <= _MAX_NAME_TOKENS and _modifier_word(s, k - 1):
            k -= 1
        while k < i and s.keys[k] in v.generic_mods:
            k += 1
        mods = [w for w in s.keys[k:i] if w not in v.generic_mods]
        naming = [w for w in mods if w not in v.weak_mods]
        # right: "क्रमांक 2", then a place; a proper name after "गुरुद्वारा", "मंदिर"
        end = j + _number_len(s, j)
        locality = max(
            _locality_len(s, end), _proper_name_len(s, end) if s.keys[j - 1] in v.name_after else 0
        )
        end += locality
        if first_head in v.need_locality or head in v.need_locality:
            named = locality > 0
        elif _is_place_phrase(s, k, i, j) and end == j:
            named = False  # "जिला मंडी": the district Mandi, not a market yard
        else:
            named = bool(
                naming
                or end > j
                or head in v.standalone
                or first_head in v.standalone
                or (mods and (head in v.unique or first_head in v.unique))
            )
        start = k
        # "पाटन के सीएचसी", "रांझी के शासकीय अस्पताल", "बरगी के सामुदायिक स्वास्थ्य केंद्र"
        specific = length > 1 or first_head in v.unique or head in v.unique or bool(mods)
        weak = all(w in v.weak_heads for w in head)
        landmark = _landmark_before(s, k, bare=not named, specific=specific, weak=weak)
        if landmark is not None:
            start = landmark
            named = True
        out.append((_Name(start, end, True, i, j), named))
        i = j
    return out


def _proper_name_len(s: _Sentence, t: int) -> int:
    """Tokens of a proper name after a head that takes one ("गुरुद्वारा ‹श्री गुरु सिंह सभा› में"): up to five
    name words ("गुरुद्वारा श्री गुरु तेग बहादुर साहिब"), no head or committee among them, that end where a name
    closes; 0 if none."""
    v = _vocab()
    k = t
    while k < len(s.toks) and k - t < 5 and not s.hard[k] and _is_name_word(s.keys[k]) and not _head_at(s, k):
        if s.keys[k] in v.not_locality or s.keys[k] in v.headless_generic:
            return 0  # "मंदिर समिति के …": the temple's committee, no name of the temple
        k += 1
    return k - t if k > t and _closes(s, k) else 0


def _is_place_phrase(s: _Sentence, k: int, i: int, j: int) -> bool:
    """Is the head phrase s[i:j] with modifiers s[k:i] an administrative place ("जिला मंडी", "शहर मंडी"): a
    one-word head that is itself a district or town, with only administrative nouns before it?"""
    v = _vocab()
    if j - i != 1 or _place_kind(s.keys[i]) is None:
        return False
    return all(w in v.headless_generic for w in s.keys[k:i])


def _landmark_before(s: _Sentence, k: int, *, bare: bool, specific: bool, weak: bool) -> int | None:
    """First token of a descriptive prefix of the name starting at token k: "‹Landmark› के पास ‹Building›"
    (always kept); for a bare head "‹Place› स्थित ‹Head›" ("स्टेशन रोड स्थित गुरुद्वारा", also a building:
    "‹स्टेडियम› स्थित सामुदायिक भवन", but not before a weak head: "मेडिकल कॉलेज स्थित सेंटर" is the college),
    and for a bare specific type "‹Place› के ‹Type›" ("पनागर के सामुदायिक स्वास्थ्य केंद्र"): a bare head needs
    it to name anything."""
    if k == 0 or s.hard[k]:
        return None
    marker = s.keys[k - 1]
    if marker == "पास" and k >= 3 and s.keys[k - 2] == "के" and not s.hard[k - 1]:
        return _headless_left(s, k - 2, 3, allow_heads=True, allow_places=True)
    if bare and k >= 2 and marker == "स्थित":  # the place may be a building: "‹स्टेडियम› स्थित सामुदायिक भवन"
        return _headless_left(s, k - 1, 3, allow_heads=not weak, allow_places=True)
    if bare and k >= 2 and marker == "के" and specific:
        return _headless_left(s, k - 1, 2, allow_places=True)
    return None


# ------------------------------------------------------------------------------------------- headless
def _headless_left(
    s: _Sentence,
    end: int,
    limit: int = _MAX_HEADLESS_TOKENS,
    *,
    allow_heads: bool = False,
    allow_places: bool = False,
) -> int | None:
    """First token of a headless name ending before token `end`: a run of name words after a boundary."""
    k = end
    while (
        k > 0
        and (k == end or not s.hard[k])
        and (_is_name_word(s.keys[k - 1]) or (allow_places and _in_numbered_locality(s, k - 1)))
    ):
        if end - (k - 1) > limit:
            return None  # no boundary within reach: a clause, not a name
        k -= 1
    while k < end - 1 and s.keys[k] in _vocab().village_words:  # "ग्राम ‹बिलहरी› के आंगनवाड़ी केंद्र"
        k += 1
    if k == end or not _headless_ok(s, k, end, allow_heads=allow_heads, allow_places=allow_places):
        return None
    return k


def _headless_right(s: _Sentence, start: int) -> int | None:
    """End of a headless name starting at token `start` (up to a boundary word or punctuation)."""
    n = len(s.toks)
    k = start
    while k < n and _is_name_word(s.keys[k]) and (k == start or not s.hard[k]):
        if k - start + 1 > _MAX_HEADLESS_TOKENS:
            return None
        k += 1
    if k == start or not _headless_ok(s, start, k):
        return None
    return k


def _headless_ok(
    s: _Sentence, start: int, end: int, *, allow_heads: bool = False, allow_places: bool = False
) -> bool:
    """A headless span may name a site: no generic words, no heads, not a district/town/state name."""
    v = _vocab()
    keys = s.keys[start:end]
    if any(
        _DIGITS.search(s.keys[t]) and not (allow_places and _in_numbered_locality(s, t))
        for t in range(start, end)
    ):
        return False
    # a generic word may end a locality name ("विजय नगर", "गांधी चौक"), never open one ("शहर", "नगर")
    generic = [k in v.headless_generic or k in v.generic_mods for k in keys]
    if generic[0] or (any(generic) and not allow_places):
        return False
    if not allow_heads and any(_head_at(s, t) for t in range(start, end)):
        return False
    return allow_places or _place_kind(" ".join(keys)) is None


# -------------------------------------------------------------------------------------------- context
@dataclass
class _Cues:
    """What a sentence speaks of, outside its names: vaccination words (टीका, डोज …), centre/camp nouns
    (शिविर, केंद्र …), and other purposes (treatment, testing, quarantine, meetings …)."""

    vaccination: bool
    camp: bool
    treatment: bool
    paragraph_vaccination: bool = False
    after_centres: bool = False  # the sentence before speaks of centres or camps ("24 केंद्र बनाए गए हैं")

    @property
    def about_vaccination(self) -> bool:
        """A vaccination word in the sentence; else a camp noun or the paragraph, unless the sentence
        speaks of another purpose ("कैंसर स्क्रीनिंग शिविर", "जांच केंद्र", "मरीज भर्ती")."""
        return self.vaccination or ((self.camp or self.paragraph_vaccination) and not self.treatment)


def _masked(s: _Sentence, names: list[_Name]) -> str:
    """The sentence with the name spans blanked (a head "स्वास्थ्य केंद्र" is no vaccination cue)."""
    text = s.text
    parts, last = [], 0
    for nm in sorted(names, key=lambda x: x.start):
        a, b = s.toks[nm.start].start, s.toks[nm.end - 1].end
        if a < last:
            continue
        parts.append(text[last:a])
        parts.append(" " * (b - a))
        last = b
    parts.append(text[last:])
    return "".join(parts)


_NO, _WEAK, _STRONG = 0, 1, 2
_AFTER_NOISE = re.compile(r"^[\s\"'’”»]*(?:\([^()]{0,40}\))?[\s\"'’”»]*")
_CLAUSE_REACH = 80  # characters after a name that belong to its clause


def _site_context(s: _Sentence, first: _Name, last: _Name, cues: _Cues) -> int:
    """How surely the sentence uses the list first..last (or one name) as a vaccination site: _STRONG for
    a centre noun or list frame around it, _WEAK for "‹Name› में/पर …" or a visit in a sentence about
    vaccination, _NO otherwise."""
    v = _vocab()
    after = _AFTER_NOISE.sub("", s.after(last.end), count=1)  # "‘आशा सदन’ में", "जिला अस्पताल (विक्टोरिया) में"
    before = s.before(first.start)
    if v.before_appos_re.search(before) or v.before_list_re.search(before):
        return _STRONG
    frame = v.of_re.match(after) or v.made_re.match(after) or v.list_re.match(after)
    if frame is not None:
        # "‹Name› के क्वारंटाइन सेंटर", "‹Name› समेत बड़े कोविड देखभाल केंद्रों": another kind of centre
        return _NO if v.treatment_re.search(frame.group()) else _STRONG
    if v.included_re.match(after):
        these = cues.after_centres and v.these_re.match(before) is not None
        return _STRONG if these or v.before_list_re.search(before) else _NO
    at = v.at_re.match(after)
    if at is not None and v.not_site_re.match(after, at.end()):
        return _NO
    if at is not None or v.visit_re.match(after) or v.reach_re.match(after):
        clause = after[:_CLAUSE_REACH]
        if v.treatment_re.search(clause) and not v.vaccination_re.search(clause):
            return _NO
        return _WEAK if cues.about_vaccination else _NO
    return _NO


def _after_alias(s: _Sentence, pos: int) -> tuple[int, str]:
    """(token, gap before it) once past a bracketed alias of 1-3 words right after a list item
    ("‹शासकीय वैद्यकीय महाविद्यालय› (मेयो) और …"); `pos` and its gap when there is none."""
    gap = s.gap(pos).strip()
    if gap != "(":
        return pos, gap
    for k in range(1, 4):
        if pos + k > len(s.toks):
            break
        inner = s.gap(pos + k).strip()
        if inner.startswith(")"):
            return pos + k, inner[1:].strip()
        if inner:
            break
    return pos, gap


def _separator_end(s: _Sentence, pos: int) -> int | None:
    """Token after a list separator found at token `pos` ("," before it, or a conjunction), else None."""
    v = _vocab()
    pos, gap = _after_alias(s, pos)
    if pos < len(s.toks) and s.keys[pos] in v.conj and gap in ("", ","):
        return pos + 1
    if gap == ",":
        return pos
    return None


def _is_locality_phrase(tail: list[str]) -> bool:
    """ "‹Place› स्थित", "‹Place› के", "‹Landmark› के पास" (1-3 words and the marker)."""
    if tail[-2:] == ["के", "पास"]:
        return 3 <= len(tail) <= 5
    return 2 <= len(tail) <= 4 and tail[-1] in ("स्थित", "के", "की", "का")


def _list_items_between(s: _Sentence, a: _Name, b: _Name) -> list[_Name] | None:
    """The headless items between two list items a and b ("सदर अस्पताल, ‹रिम्स› और नामकुम सीएचसी"), or None
    when a and b are not items of one list. A locality of b ("तथा ‹प्रेमनगर के› उप जिला चिकित्सालय") may
    stand between."""
    if b.start < a.end:
        return None
    items: list[_Name] = []
    q = _separator_end(s, a.end)
    while q is not None and q < b.start:
        if _is_locality_phrase(s.keys[q : b.start]) and not any(s.hard[t] for t in range(q + 1, b.start)):
            return items
        end = _headless_right(s, q)
        if end is None or end >= b.start:
            return None
        items.append(_Name(q, end, False))
        q = _separator_end(s, end)
    return items if q == b.start else None


def _sibling_before(s: _Sentence, first: _Name) -> _Name | None:
    """A headless list item before `first`: "‹आईजीएमसी›, दीन दयाल उपाध्याय अस्पताल और …", also across a
    locality of `first` ("‹एम्स› और सिविल लाइंस स्थित जिला अस्पताल")."""
    p = first.start
    starts = [p] + [
        p - size
        for size in range(2, 6)
        if p - size > 0
        and _is_locality_phrase(s.keys[p - size : p])
        and not any(s.hard[t] for t in range(p - size + 1, p + 1))
    ]
    for q in filter(None, (_item_end_before(s, x) for x in starts)):
        start = _headless_left(s, q)
        return None if start is None else _Name(start, q, False)
    return None


def _item_end_before(s: _Sentence, p: int) -> int | None:
    """Where a list item before token p ends, when a separator ("," or a conjunction) stands right before p."""
    v = _vocab()
    if p == 0:
        return None
    if s.keys[p - 1] in v.conj and not s.hard[p]:
        q = p - 1
        if s.gap(q).strip() not in ("", ","):
            return None
    elif s.gap(p).strip() == ",":
        q = p
    else:
        return None
    if q == 0 or s.keys[q - 1] in v.conj:
        return None
    return q


def _sibling_after(s: _Sentence, last: _Name) -> _Name | None:
    """A headless last list item: "सदर अस्पताल और ‹रिम्स› के टीकाकरण केंद्र"."""
    v = _vocab()
    q = _separator_end(s, last.end)
    n = len(s.toks)
    if q is None or q >= n or (q > last.end and s.hard[q]):
        return None
    end = _headless_right(s, q)
    if end is None or end >= n or s.hard[end] or s.keys[end] in v.conj:
        return None
    return _Name(q, end, False)


# ------------------------------------------------------------------------------------------ sentences
def _groups(s: _Sentence, named: list[_Name]) -> list[list[_Name]]:
    """Named head phrases grouped into lists, with the headless items between and around them."""
    groups: list[list[_Name]] = []
    i = 0
    while i < len(named):
        group = [named[i]]
        while i + 1 < len(named) and (between := _list_items_between(s, group[-1], named[i + 1])) is not None:
            group.extend(between)
            i += 1
            group.append(named[i])
        i += 1
        while (sib := _sibling_before(s, group[0])) is not None:
            group.insert(0, sib)
        while (sib := _sibling_after(s, group[-1])) is not None:
            group.append(sib)
        groups.append(group)
    return groups


def _sentence_names(s: _Sentence, para_vaccination: bool, after_centres: bool = False) -> list[_Name]:
    """The site names of one sentence, in order, with organizers where the sentence states them."""
    v = _vocab()
    if not s.toks:
        return []
    found = _headed_names(s)
    every = [nm for nm, _ in found]
    masked = _masked(s, every)
    cues = _Cues(
        vaccination=v.vaccination_re.search(masked) is not None,
        camp=v.center_noun_re.search(masked) is not None,
        treatment=v.treatment_re.search(masked) is not None,
        paragraph_vaccination=para_vaccination,
        after_centres=after_centres,
    )
    named = [nm for nm, ok in found if ok and not _locality_of_next(s, nm, found)]
    sites: list[_Name] = []
    for group in _groups(s, named):
        accepted = _accepted(s, group, cues)
        intro = bool(accepted) and v.intro_re.search(s.before(accepted[0].start)) is not None
        for nm in accepted:
            nm.intro = intro
        sites.extend(accepted)
    sites.extend(_anaphoric_sites(s, found, sites, cues))
    if cues.vaccination or not cues.treatment:  # "आजाद मैदान में जांच के लिए शिविर": no
        sites.extend(_headless_sites(s, every, sites, cues))
    sites.sort(key=lambda x: x.start)
    return sites


def _locality_of_next(s: _Sentence, nm: _Name, found: list[tuple[_Name, bool]]) -> bool:
    """Is the head phrase `nm` the locality of the next one: "‹Locality› के ‹Building›" (a head phrase right
    before "के/की/का ‹another head phrase›"), "‹झील परिसर› स्थित नगर भवन" (before "स्थित ‹named site›")?"""
    if nm.end >= len(s.toks):
        return False
    marker, nxt = s.keys[nm.end], nm.end + 1
    if marker in ("के", "की", "का"):
        return any(o.start == nxt for o, _ in found)
    if marker == "स्थित":
        return any(ok and o is not nm and o.start <= nxt <= o.head_start for o, ok in found)
    return False


def _is_weak(s: _Sentence, nm: _Name) -> bool:
    """A name whose head phrase is only weak heads ("कलाम सेंटर"; not "हेल्थ एंड वेलनेस सेंटर")."""
    weak = _vocab().weak_heads
    return nm.headed and all(k in weak for k in s.keys[nm.head_start : nm.head_end])


def _accepted(s: _Sentence, group: list[_Name], cues: _Cues) -> list[_Name]:
    """The items of a list that the sentence uses as sites. A weak head ("… सेंटर") needs a strong context
    or a list with other heads; headless items need the whole list to be in a site context."""
    strength = _site_context(s, group[0], group[-1], cues)
    if strength == _NO and any(not g.headed for g in group):  # judge the headed items alone
        group = [g for g in group if g.headed]
        strength = _site_context(s, group[0], group[-1], cues) if group else _NO
    if strength == _NO:
        return []
    if strength == _WEAK and all(_is_weak(s, g) for g in group if g.headed):
        return []
    return group


def _anaphoric_sites(
    s: _Sentence, found: list[tuple[_Name, bool]], sites: list[_Name], cues: _Cues
) -> list[_Name]:
    """A bare "स्कूल परिसर में शिविर" refers to the named school just before it in the sentence
    ("संत कैरेंस स्कूल प्रबंधन द्वारा स्कूल परिसर में शिविर")."""
    out: list[_Name] = []
    for n, (bare, ok) in enumerate(found):
        if ok or _is_weak(s, bare) or not _site_context(s, bare, bare, cues):
            continue
        head = s.keys[bare.head_start]
        for prev, prev_ok in reversed(found[:n]):
            if prev_ok and head in s.keys[prev.head_start : prev.head_end]:
                if not _overlaps(prev, sites) and not _overlaps(prev, out):
                    out.append(
                        _Name(
                            prev.start,
                            prev.end,
                            True,
                            prev.head_start,
                            prev.head_end,
                            anchor=(bare.start, bare.end),
                        )
                    )
                break
    return out


def _overlaps(a: _Name, others: list[_Name]) -> bool:
    return any(a.start < o.end and o.start < a.end for o in others)


def _headless_sites(s: _Sentence, every: list[_Name], sites: list[_Name], cues: _Cues) -> list[_Name]:
    """Headless sites from their contexts: village centres, camps, acronyms, and sites after an organizer."""
    v = _vocab()
    out: list[_Name] = []
    token_at: dict[int, int] | None = None  # built only for a sentence with a village centre phrase

    def add(start: int | None, end: int) -> None:
        if start is None:
            return
        nm = _Name(start, end, False)
        if not _overlaps(nm, every) and not _overlaps(nm, sites) and not _overlaps(nm, out):
            out.append(nm)

    # "‹X› (गांव) के टीकाकरण केंद्र"
    for m in v.village_center_re.finditer(s.text):
        if token_at is None:
            token_at = {t.start: i for i, t in enumerate(s.toks)}
        t = token_at.get(m.start())
        if t:
            add(_headless_left(s, t, 3), t)
    # "‹X› में (लगे) (विशेष) टीकाकरण शिविर/कैंप"
    for i, key in enumerate(s.keys):
        if key == "में" and i > 0 and not s.hard[i] and v.camp_after_re.match(s.text, s.toks[i - 1].end):
            add(_headless_left(s, i, 3), i)
    # "‹ACRONYM› टीकाकरण केंद्र" ("एसकेएमसीएच टीकाकरण केंद्र पर"): the acronym alone, after a boundary; also
    # "‹ACRONYM› में/पर …" in a body sentence that itself speaks of jabs ("जीएमसी में 300 लोगों को टीका
    # लगा"), unless the acronym is a known non-site (यूपी, ओपीडी, आईसीयू: the officials' stop words) or a place
    for t, key in enumerate(s.keys):
        if not (t == 0 or s.hard[t] or not _is_name_word(s.keys[t - 1])) or not is_acronym(key):
            continue
        if v.acronym_center_re.match(s.text, s.toks[t].end):
            add(t, t + 1)
        elif (
            cues.vaccination
            and not cues.treatment  # "पीजीआई में … वैक्सीन … ट्रायल": a lone acronym needs a plain jab sentence
            and not s.sv.is_headline  # "पीजीआई में … वैक्सीन का पहला फेज सफल": a telegraphic headline
            and key not in officials_vocab().stop
            and _place_kind(key) is None
        ):
            nm = _Name(t, t + 1, False)
            if _site_context(s, nm, nm, cues) != _NO:
                add(t, t + 1)
    # "‹Org› द्वारा ‹X› में … केंद्र/शिविर"
    for _, q in _marker_matches(s):
        end = q
        while end < len(s.toks) and end - q < _MAX_HEADLESS_TOKENS and s.keys[end] != "में":
            if (s.hard[end] and end > q) or not _is_name_word(s.keys[end]):
                break
            end += 1
        if q < end < len(s.toks) and s.keys[end] == "में" and not s.hard[end]:
            rest = s.text[s.toks[end].end : s.toks[end].end + 60]
            if v.site_after_re.search(rest) and _headless_ok(s, q, end):
                add(q, end)
    return out


# ----------------------------------------------------------------------------------------------- tables
# Rows end at ";" or at a comma right after a row's number ("… - 412, अग्रवाल धर्मशाला - 367, …"); a comma
# inside a number ("1,302") is no row end.
_ROW_SPLIT = re.compile(r"(?:[^;,]|,(?!\s)|(?<!\d),)+")


def _table_rows(s: _Sentence) -> tuple[list[tuple[int, int]], str] | None:
    """The label token spans of a sentence made of flattened table rows ("• टाउन हॉल — 1,302",
    "टाउन हॉल — 1,302; नेहरू भवन — 800") and the lead-in written before the first row ("केंद्रवार: …", or
    ""), or None when the sentence is not (only) rows."""
    v = _vocab()
    rows: list[tuple[int, int]] = []
    lead = ""
    for seg in _ROW_SPLIT.finditer(s.text):
        if not seg.group().strip():
            continue
        m = v.row_re.match(seg.group())
        if m is None or not (m.group("bullet") or m.group("sep")):
            return None
        a, b = seg.start() + m.start("label"), seg.start() + m.end("label")
        paren = s.text.find("(", a, b)
        if paren > a:  # "अग्रवाल धर्मशाला (हनुमान गेट) - 367": a bracketed gloss is not part of the name
            b = len(s.text[:paren].rstrip())
        colon = s.text.find(":", a, b)
        if not rows and colon != -1:  # "केंद्रवार टीकाकरण: टाउन हॉल — 1,302"
            lead, a = s.text[a:colon], colon + 1
        inside = [i for i, w in enumerate(s.toks) if a <= w.start and w.end <= b]
        if not inside:
            return None
        rows.append((inside[0], inside[-1] + 1))
    return (rows, lead) if rows else None


_SITE_TABLE, _VACCINATION_TABLE = "site", "vaccination"


def _lead_kind(lead: str, context: str) -> str | None:
    """What a table's lead-in line announces: sites ("केंद्रवार स्थिति …", "… केंद्रों पर"), or only
    vaccination (with `context`, the line before it); None for another table (blocks, patients …)."""
    v = _vocab()
    if v.treatment_re.search(lead) and not v.vaccination_re.search(lead):
        return None
    if v.site_lead_re.search(lead) and not v.area_lead_re.search(lead):
        return _SITE_TABLE
    if v.site_lead_re.search(lead) or v.vaccination_re.search(lead) or v.vaccination_re.search(context):
        return _VACCINATION_TABLE
    return None


def _row_sites(s: _Sentence, rows: list[tuple[int, int]], kind: str | None) -> list[_Name]:
    """The sites of table rows: a label that is a named head phrase (with a locality after a comma:
    "सेंट्रल अकादमी स्कूल, सेक्टर-4") under a vaccination lead; a headless label only under a site lead."""
    if kind is None:
        return []
    found = [nm for nm, ok in _headed_names(s) if ok]
    out: list[_Name] = []
    for a, b in rows:
        nm = next((x for x in found if x.start == a and x.end <= b), None)
        if nm is not None:
            tail = range(nm.end, b)
            if len(tail) <= 2 and all(_is_name_word(s.keys[t]) or _in_numbered_locality(s, t) for t in tail):
                out.append(_Name(a, b, True, nm.head_start, nm.head_end))
        elif (
            kind == _SITE_TABLE
            and b - a <= _MAX_HEADLESS_TOKENS
            and all(_is_name_word(k) for k in s.keys[a:b])
            and not any(s.hard[t] for t in range(a + 1, b))
            and _headless_ok(s, a, b)
        ):
            out.append(_Name(a, b, False))
    return out


# ----------------------------------------------------------------------------------------- organizers
def _marker_matches(s: _Sentence) -> list[tuple[int, int]]:
    """Organizer markers ("द्वारा", "के द्वारा", "की ओर से") as token spans, longest first at each token."""
    markers = _vocab().markers
    firsts = {m[0] for m in markers}
    out = []
    i = 0
    while i < len(s.keys):
        if s.keys[i] not in firsts:  # cheap test first: most tokens start no marker
            i += 1
            continue
        seq = next((m for m in markers if tuple(s.keys[i : i + len(m)]) == m), None)
        if seq is None:
            i += 1
            continue
        out.append((i, i + len(seq)))
        i += len(seq)
    return out


def _organizer_before(s: _Sentence, end: int) -> tuple[int, int] | None:
    """The body named before token `end` ("डीएन जैन बोर्डिंग हाउस सोसायटी" द्वारा), as a token span."""
    v = _vocab()
    if end <= 0 or v.help_re.search(s.before(end)):
        return None
    k = end
    while (
        k > 0
        and end - (k - 1) <= _MAX_ORG_TOKENS
        and s.keys[k - 1] not in v.org_left_stop
        and not _DIGITS.search(s.keys[k - 1])
        and (k == end or not s.hard[k])
    ):
        k -= 1
    while k < end and s.keys[end - 1] in ("के", "की", "का"):
        end -= 1
    cut = max((t for t in range(k, end - 2) if s.keys[t] in v.descriptors), default=None)
    if cut is not None:  # "(टेक्सटाइल) कंपनी ‹सूर्या स्पिनर्स लिमिटेड›"
        k = cut + 1
    if k >= end or s.keys[k] in v.not_bodies or s.keys[k] in v.generic_mods:
        return None
    if s.keys[k] in v.honorifics and not any(w in v.body_nouns for w in s.keys[k:end]):
        return None  # "श्री ‹Person› द्वारा": a person, not a body
    return k, end


_CLAUSE_GAP = re.compile(r"[,;।॥?!|]|\s[-–—]\s")


def _clear_between(s: _Sentence, a: int, b: int) -> bool:
    """No clause break (comma, danda …; brackets are fine) between token a-1 and token b."""
    return not any(_CLAUSE_GAP.search(s.gap(t)) for t in range(a, min(b, len(s.toks) - 1) + 1))


def _assign_organizers(s: _Sentence, sites: list[_Name]) -> str | None:
    """Fill the organizers this sentence states; return a ने-organizer whose sites are listed later
    ("‹Org› ने … चार नए टीकाकरण केंद्र शुरू किए। … इन नए केंद्रों में A, B …")."""
    v = _vocab()
    for m_start, m_end in _marker_matches(s):
        org = _organizer_before(s, m_start)
        if org is None:
            continue
        a, b = org
        # "‹Site› में ‹Org› द्वारा": the site just before
        target = next((x for x in sites if 0 < a - x.anchor_end <= 2 and s.keys[x.anchor_end] == "में"), None)
        if target is None:  # "‹Org› द्वारा (शनिवार को) (‹Place› स्थित) ‹Site›"
            target = next(
                (
                    x
                    for x in sites
                    if 0 <= x.anchor_start - m_end <= 10 and _clear_between(s, m_end, x.anchor_start)
                ),
                None,
            )
        if target is not None and target.organizer is None:
            target.organizer = s.original(a, b)
    # "‹Org› ने ‹Site› में शिविर लगाया", headline "‹Org› ने … सेंटर बढ़ाए": every site after ने
    for i, key in enumerate(s.keys):
        if key != "ने" or not v.arrange_re.search(s.text, s.toks[i].end):
            continue
        org = _organizer_before(s, i)
        if org is None or not any(w in v.body_nouns for w in s.keys[org[0] : org[1]]):
            continue
        later = [x for x in sites if x.start > i]
        for x in later:
            if x.organizer is None:
                x.organizer = s.original(*org)
        if not later:
            return s.original(*org)
    return None


# ------------------------------------------------------------------------------------------- document
def _key(name: str) -> str:
    return fold(name).replace(" ", "")


def _same_tokens(name: str) -> list[str]:
    """Folded words of a name without weak modifiers, "‹Place› के ‹Type›" turned to "‹Type› ‹Place›"."""
    v = _vocab()
    tokens = [w for w in re.split(r"[\s,]+", fold(name)) if w and w not in v.weak_mods]
    if "के" in tokens and "पास" not in tokens:  # "पाटन के सीएचसी" = "सीएचसी पाटन"
        cut = tokens.index("के")
        tokens = tokens[cut + 1 :] + tokens[:cut]
    return tokens


def _same_key(name: str) -> str:
    """Dedup key: folded, spaceless, without weak modifiers, with long forms abbreviated
    ("शासकीय … सामुदायिक स्वास्थ्य केंद्र" -> "…सीएचसी"; "वल्लभ राजकीय कॉलेज" = "वल्लभ कॉलेज")."""
    key = "".join(_same_tokens(name))
    for long, short in _vocab().abbreviations:
        key = key.replace(long, short)
    return key


def _short_form(short: list[str], long: list[str]) -> bool:
    """Is `short` a short form of `long`: three or more of its words, in order, with the same first word and
    the same head ("महारानी गर्ल्स स्कूल" = "महारानी गर्ल्स सीनियर सेकेंडरी स्कूल"; not "जिला अस्पताल" =
    "जिला महिला अस्पताल": two words say too little)."""
    if not 3 <= len(short) < len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long)
    return all(w in rest for w in short)


def _same_centre(a: tuple[str, list[str]], b: tuple[str, list[str]]) -> bool:
    """Two mentions (dedup key, words) of one centre: one key contains the other, or one is a short form."""
    return a[0] in b[0] or b[0] in a[0] or _short_form(a[1], b[1]) or _short_form(b[1], a[1])


def _paragraph_cues(doc: Document, lines: list[int]) -> dict[int, bool]:
    """Line number -> does any sentence on that line (paragraph) speak of vaccination."""
    v = _vocab()
    out: dict[int, bool] = {}
    for sv, line in zip(doc.sentences, lines, strict=True):
        out[line] = out.get(line, False) or v.vaccination_re.search(sv.norm) is not None
    return out


_INTRO_REACH = 2  # sentences an "‹Org› ने … केंद्र शुरू किए" reaches forward to an "इन केंद्रों में" list


def extract(doc: Document) -> list[dict[str, Any]]:
    v = _vocab()
    breaks = [i for i, ch in enumerate(doc.text) if ch == "\n"]
    lines = [bisect.bisect_right(breaks, sv.sentence.start) for sv in doc.sentences]
    para = _paragraph_cues(doc, lines)
    if not any(para.values()):
        return []  # a report that never speaks of vaccination names no vaccination centre
    facts: list[dict[str, Any]] = []
    pending: tuple[str, int] | None = None
    table: str | None = None  # what the lead-in of the table being read announces
    in_table = False
    for sv, line in zip(doc.sentences, lines, strict=True):
        if sv.norm.strip() in v.stop_lines:
            break
        s = _Sentence(sv)
        found_rows = _table_rows(s)
        if found_rows is not None:
            rows, lead = found_rows
            if lead:
                table = _lead_kind(lead, lead)
            elif not in_table:  # the first row: the line before leads the table in
                before = doc.sentences[max(0, sv.index - 2) : sv.index]
                table = _lead_kind(before[-1].norm, before[0].norm) if before else None
            in_table = True
            sites, arranger = _row_sites(s, rows, table), None
        else:
            in_table = False
            previous = doc.sentences[sv.index - 1].norm if sv.index else ""
            after_centres = v.center_noun_re.search(previous) is not None
            sites = _sentence_names(s, para.get(line, False), after_centres)
            arranger = _assign_organizers(s, sites)
        if pending is not None and sv.index - pending[1] <= _INTRO_REACH:
            for nm in sites:
                if nm.intro and nm.organizer is None:
                    nm.organizer = pending[0]
        if arranger is not None:
            pending = (arranger, sv.index)
        facts += [
            {
                "type": "center",
                "name": s.original(nm.start, nm.end),
                "organizer": nm.organizer,
                "evidence": sv.evidence(s.toks[nm.start].start, s.toks[nm.end - 1].end),
            }
            for nm in sites
        ]
    return merge_centres(facts)


def merge_centres(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One fact per centre, the first mention's (facts of other types pass through): a later mention of
    the same centre (same key, or a short form of it) only adds an organizer the first one lacked."""
    out: list[dict[str, Any]] = []
    seen: list[tuple[tuple[str, list[str]], dict[str, Any]]] = []
    for f in facts:
        if f["type"] != "center":
            out.append(f)
            continue
        key = (_same_key(f["name"]), _same_tokens(f["name"]))
        first = next((g for k, g in seen if _same_centre(k, key)), None)
        if first is None:
            seen.append((key, f))
            out.append(f)
        elif first["organizer"] is None and f["organizer"]:
            first["organizer"] = f["organizer"]
    return out
