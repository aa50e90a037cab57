"""Hindi text layer: normalisation for matching, sentence splitting, spaCy documents.

`fold` is the canonical *matching key* of a string: two spellings that a Hindi reader treats as the
same word (हज़ार/हजार, केन्द्र/केंद्र, पहुँचे/पहुंचे, २५/25) fold to the same key. It is used for
lookups in the language data (gazetteer, designations, cue words). It never feeds evidence offsets:
those always index the original `article.text`.

`normalize` applies the same transforms to a whole text but keeps an offset map back to the original,
so a phrase found in the normalised text can be quoted exactly as written (`NormText.to_original`).
It keeps line breaks (one "\\n" per break), which `fold` collapses.

`split_sentences` finds sentences on the normalised text (so डाॅ./डॉ., ZWJ and nukta variants are
seen alike) and reports offsets into the original. `get_nlp` is a blank Hindi spaCy pipeline with
our tokenizer exceptions, `LIKE_NUM` from `pipeline.numbers` and `NORM` = `fold`.

indic-nlp-library's normaliser agrees with `normalize` on the transforms both do (nukta letters,
ZWJ/ZWNJ/BOM/soft hyphen, NBSP; checked in the tests) but reports no offsets and its
`do_normalize_chandras` turns डॉ. into डो., so the transforms are done here.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_ANUSVARA = "\u0902"
_CHANDRABINDU = "\u0901"
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\ufeff\u00ad"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS), None)
_DEV_DIGITS = {ord(c): str(i) for i, c in enumerate("०१२३४५६७८९")}
# Nukta letters (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़, and the NFC-composed ऩ ऱ ऴ) map to their base letters for matching.
_NUKTA_LETTERS = {
    "\u0958": "क",
    "\u0959": "ख",
    "\u095a": "ग",
    "\u095b": "ज",
    "\u095c": "ड",
    "\u095d": "ढ",
    "\u095e": "फ",
    "\u095f": "य",
    "\u0929": "न",
    "\u0931": "र",
    "\u0934": "ळ",
}
# A nasal consonant + virama before a consonant of any class is written as anusvara in modern
# spelling (केन्द्र → केंद्र, सम्बन्ध → संबंध); fold both to anusvara.
_NASAL_CLUSTER = re.compile("[ङञणनम]\u094d(?=[क-ह])")
_SPACES = re.compile(r"\s+")
_FOLD_TABLE: dict[int, str | None] = {
    **_ZERO_WIDTH,
    **{ord(k): v for k, v in _NUKTA_LETTERS.items()},
    ord(_NUKTA): None,
    **_DEV_DIGITS,
    0xA0: " ",
}


def fold(text: str) -> str:
    """Return the matching key of `text` (lower-case, nukta-free, anusvara-canonical, ASCII digits)."""
    # One pass drops zero-width characters and nuktas, maps nukta letters to their base letters,
    # Devanagari digits to ASCII and no-break spaces to spaces.
    s = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)
    # Legacy-font sequences: ा + ॅ → ॉ ; आ + ॅ → ऑ
    s = s.replace("\u093e\u0945", "\u0949").replace("\u0906\u0945", "\u0911")
    s = s.replace(_CHANDRABINDU, _ANUSVARA)
    s = _NASAL_CLUSTER.sub(_ANUSVARA, s).lower()
    return _SPACES.sub(" ", s).strip()


# --------------------------------------------------------------------------------------------------
# normalize: the transforms of `fold`, applied stage by stage with an offset map.

# Python's whitespace (str.isspace, = regex \s) split into line breaks (str.splitlines) and the rest.
_LINE_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_HSPACE_CHARS = "\t\x1f \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_DROPPABLE = frozenset(_ZERO_WIDTH_CHARS + _LINE_BREAK_CHARS + _HSPACE_CHARS)

_NUKTA_LETTER_TABLE = str.maketrans(_NUKTA_LETTERS)
_NUKTA_LETTER_RE = re.compile(f"[{''.join(_NUKTA_LETTERS)}]")
_NUKTA_RE = re.compile(_NUKTA)
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_NON_SPACE_RUN = re.compile(r"\S+")
_DOTTED_CAPITAL_I = re.compile("\u0130")  # the only character whose lower() is two characters
# Length-changing edits, in one pass: legacy ाॅ/आॅ, nasal clusters, CRLF, runs of horizontal spaces.
_EDIT_RE = re.compile(f"\u093e\u0945|\u0906\u0945|[ङञणनम]{_VIRAMA}(?=[क-ह])|\r\n|[{_HSPACE_CHARS}]{{2,}}")
_EDIT_FIXED = {"\u093e\u0945": "\u0949", "\u0906\u0945": "\u0911", "\r\n": "\n"}
# One-for-one replacements: chandrabindu, Devanagari digits, odd spaces, odd line breaks. Done with a
# regex, not str.translate: they are sparse, and translate is slow on non-ASCII text.
_ONE_FOR_ONE = {
    _CHANDRABINDU: _ANUSVARA,
    **{chr(k): v for k, v in _DEV_DIGITS.items()},
    **dict.fromkeys(_HSPACE_CHARS.replace(" ", ""), " "),
    **dict.fromkeys(_LINE_BREAK_CHARS.replace("\n", ""), "\n"),
}
_ONE_FOR_ONE_RE = re.compile("[" + "".join(map(re.escape, _ONE_FOR_ONE)) + "]")

# A stage maps a string to (new string, index) where index[i] is the position in the old string of
# new[i] (len(new) + 1 entries, the last one len(old)); None means "unchanged, identity map".
_Stage = Callable[[str], tuple[str, list[int] | None]]


def _edit(
    s: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> tuple[str, list[int] | None]:
    """Replace every match of `pattern`; each replacement character maps to the start of its match."""
    pieces: list[str] = []
    index: list[int] = []
    last = 0
    matched = False
    for m in pattern.finditer(s):
        matched = True
        a, b = m.span()
        r = repl(m)
        pieces.append(s[last:a])
        index.extend(range(last, a))
        pieces.append(r)
        index.extend(itertools.repeat(a, len(r)))
        last = b
    if not matched:
        return s, None
    pieces.append(s[last:])
    index.extend(range(last, len(s) + 1))
    return "".join(pieces), index


def _delete(s: str, pattern: re.Pattern[str]) -> tuple[str, list[int] | None]:
    return _edit(s, pattern, lambda m: "")


def _edit_repl(m: re.Match[str]) -> str:
    t = m.group()
    fixed = _EDIT_FIXED.get(t)
    if fixed is not None:
        return fixed
    return _ANUSVARA if t[-1] == _VIRAMA else " "


def _nfc_chunk(chunk: str) -> tuple[str, list[int]]:
    """NFC of one whitespace-free chunk with a per-character map (rare path: most text is NFC)."""
    target = unicodedata.normalize("NFC", chunk)
    bounds = [k for k in range(1, len(chunk)) if unicodedata.combining(chunk[k]) == 0]
    out: list[str] = []
    offsets: list[int] = []
    for a, b in itertools.pairwise([0, *bounds, len(chunk)]):
        u = unicodedata.normalize("NFC", chunk[a:b])
        out.append(u)
        offsets.extend(range(a, b) if len(u) == b - a else itertools.repeat(a, len(u)))
    if "".join(out) == target:
        return target, offsets
    # A composition across clusters (Hangul jamo, two-part vowels of other scripts): approximate.
    return target, [min(j, len(chunk) - 1) for j in range(len(target))]


def _nfc(s: str) -> tuple[str, list[int] | None]:
    # Canonical reordering and composition never cross whitespace, so chunks can be done one by one
    # (whitespace itself may stay un-NFC'd: every whitespace character becomes " " or "\n" later).
    if unicodedata.is_normalized("NFC", s):
        return s, None
    pieces: list[str] = []
    index: list[int] = []
    last = 0
    for m in _NON_SPACE_RUN.finditer(s):
        chunk = m.group()
        if unicodedata.is_normalized("NFC", chunk):
            continue
        a = m.start()
        pieces.append(s[last:a])
        index.extend(range(last, a))
        out, offsets = _nfc_chunk(chunk)
        pieces.append(out)
        index.extend(a + o for o in offsets)
        last = m.end()
    pieces.append(s[last:])
    index.extend(range(last, len(s) + 1))
    return "".join(pieces), index


def _nukta_letters(s: str) -> str:
    return s.translate(_NUKTA_LETTER_TABLE) if _NUKTA_LETTER_RE.search(s) else s


def _one_for_one(s: str) -> str:
    return _ONE_FOR_ONE_RE.sub(lambda m: _ONE_FOR_ONE[m.group()], s)


def _lower(s: str) -> tuple[str, list[int] | None]:
    low = s.lower()  # whole-string lower(), as fold does (Greek final sigma depends on context)
    if len(low) == len(s):
        return low, None
    expanded, index = _edit(s, _DOTTED_CAPITAL_I, lambda m: "i\u0307")
    return expanded.lower(), index


# The stages in an order equivalent to fold's: nukta removal commutes with NFC and with the
# zero-width removal (the only compositions with a nukta, ऩ ऱ ऴ, are folded to base letters anyway).
_STAGES: tuple[_Stage, ...] = (
    lambda s: _delete(_nukta_letters(s), _NUKTA_RE),
    _nfc,
    lambda s: _delete(s, _ZERO_WIDTH_RE),
    lambda s: _edit(s, _EDIT_RE, _edit_repl),
    lambda s: (_one_for_one(s), None),
    _lower,
)


@dataclass(frozen=True)
class NormText:
    """A text normalised for matching, with the way back to the original.

    `index[i]` is the offset in `original` of the character that became `norm[i]` (for a replaced
    group, of its first character); `index[-1] == len(original)`. The index never decreases.
    """

    original: str
    norm: str
    index: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span `norm[start:end]` to the tight span of `original` that it came from.

        The span includes characters folded into its characters (a nukta, the ॅ of legacy ाॅ, the
        virama of a nasal cluster) but no removed zero-width characters or extra spaces at its ends.
        """
        if not 0 <= start <= end <= len(self.norm):
            raise ValueError(f"span {start}:{end} outside norm of length {len(self.norm)}")
        idx = self.index
        a = idx[start]
        if start == end:
            return a, a
        last = idx[end - 1]
        k = end
        while idx[k] <= last:  # several norm characters may come from one original (İ -> i̇)
            k += 1
        b = idx[k]
        original = self.original
        while b - 1 > last and original[b - 1] in _DROPPABLE:
            b -= 1
        return a, b


def normalize(text: str) -> NormText:
    """Normalise `text` for matching (the transforms of `fold`, keeping line breaks) with an offset map.

    `fold(t) == normalize(t).norm.strip()` for any `t` without line breaks. Line breaks (CRLF, CR, LS,
    PS, …) become one "\\n" each; runs of other whitespace become one " ".
    """
    s = text
    index: list[int] | None = None
    for stage in _STAGES:
        s, step = stage(s)
        if step is not None:
            index = step if index is None else list(map(index.__getitem__, step))
    return NormText(text, s, tuple(range(len(text) + 1)) if index is None else tuple(index))


# --------------------------------------------------------------------------------------------------
# Sentences


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: `text == original[start:end]`, without leading or trailing whitespace."""

    start: int
    end: int
    text: str


@functools.cache
def _abbreviation_data() -> dict[str, Any]:
    path = Path(__file__).with_name("data") / "abbreviations.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


@functools.cache
def _abbreviations() -> frozenset[str]:
    """Folded words after which "." is no sentence end (honorifics, Devanagari and Latin abbreviations)."""
    data = _abbreviation_data()["abbreviations"]
    return frozenset(fold(w) for key in ("honorifics", "devanagari", "latin") for w in data[key])


@functools.cache
def _honorifics() -> frozenset[str]:
    return frozenset(fold(w) for w in _abbreviation_data()["abbreviations"]["honorifics"])


@functools.cache
def _sentence_final() -> frozenset[str]:
    return frozenset(fold(w) for w in _abbreviation_data()["sentence_final"]["words"])


_DEVANAGARI_LETTERS = frozenset(map(chr, range(0x0900, 0x0964))) | frozenset(map(chr, range(0x0966, 0x0980)))
_WORD_CHARS = (
    _DEVANAGARI_LETTERS
    | frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    | frozenset(map(chr, range(0x00C0, 0x0250)))
)
_WORD_CHAR_RE = re.compile("[0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f]")
_CLOSERS = frozenset("\"'”’»)]}")
_TERMINATOR = re.compile(r"[।॥]+|[?!]+|…+|\.{2,}|\.|\|")
_PROSE_MIN_LENGTH = 250


def _token_before(s: str, i: int, lo: int) -> str:
    j = i
    while j > lo and s[j - 1] in _WORD_CHARS:
        j -= 1
    return s[j:i]


def _token_after(s: str, i: int, hi: int) -> str:
    j = i
    while j < hi and s[j] in _WORD_CHARS:
        j += 1
    return s[i:j]


def _is_initial(word: str) -> bool:
    """A Devanagari token that can be an initial or an abbreviation: listed, or of 1–2 characters
    (एस, के, आई, पी, उ, मा) unless it is a short verb that ends sentences (है, था, की)."""
    if not word or word[0] not in _DEVANAGARI_LETTERS or word in _sentence_final():
        return False
    return len(word) <= 2 or word in _abbreviations()


def _in_initials_chain(s: str, start: int, dot: int, lo: int, hi: int) -> bool:
    """Is the token s[start:dot] one of a run of dotted initials (आई.के., आई. पी. एस.)?"""
    k = start - 1 if start > lo and s[start - 1] == " " else start
    if k > lo and s[k - 1] == "." and _is_initial(_token_before(s, k - 1, lo)):
        return True
    k = dot + 1
    if k < hi and s[k] == " ":
        k += 1
    nxt = _token_after(s, k, hi)
    if nxt in _honorifics():  # "… लगा. इंजी. आनंद": a title opens the next sentence
        return False
    return _is_initial(nxt) and s[k + len(nxt) : k + len(nxt) + 1] == "."


def _dot_ends_sentence(s: str, i: int, lo: int, hi: int, sentence_start: int) -> bool:
    """Decide whether the "." at s[i] (inside the line s[lo:hi]) ends a sentence."""
    prev = s[i - 1] if i > lo else ""
    nxt = s[i + 1] if i + 1 < hi else ""
    if prev.isdigit() and nxt.isdigit():  # 19.45, 5.30, 04.06.2021
        return False
    glued = nxt in _WORD_CHARS if nxt else False
    token = _token_before(s, i, lo)
    if not token:
        return not glued
    if token in _abbreviations():
        return False
    if token.isascii():
        if token.isdigit():
            # "2021. …" ends a sentence; an enumerator "1." opening a sentence does not.
            return not glued and s[sentence_start : i - len(token)].strip(" *-•(") != ""
        return not glued and len(token) > 1  # Latin initials U.P., e.g.
    # Devanagari: 1–2 character tokens are initials (एस. के. उ.मा.) unless they are short verbs
    # (है. था. की.) and not part of a run of initials (आई.के.); longer words end sentences.
    final = token in _sentence_final()
    if final and _in_initials_chain(s, i - len(token), i, lo, hi):
        return False
    if len(token) <= 2 and not final:
        return False
    # glued to the next word: "गया.इसके" (space missing) is an end, "लि.2021" is not
    return not glued or nxt in _DEVANAGARI_LETTERS


def _terminator_ends_sentence(s: str, m: re.Match[str], lo: int, hi: int, sentence_start: int) -> bool:
    t = m.group()
    nxt = s[m.end()] if m.end() < hi else ""
    if t[0] in "।॥|":
        return True
    if t[0] in "?!":  # not inside a URL query (?id=3)
        return not (nxt.isascii() and (nxt.isalnum() or nxt in "=&/_"))
    if len(t) > 1 or t == "…":  # ellipsis: a sentence end unless glued to the next word
        return nxt == "" or nxt == " " or nxt in _CLOSERS
    return _dot_ends_sentence(s, m.start(), lo, hi, sentence_start)


def _is_prose(line: str) -> bool:
    """Lines cut at every sentence end; other lines (headlines, stamps, bullets) are cut only at a
    full stop ".", never at "?", "!", "…" or "|".

    A line is prose when it has a danda, ends with "." or "|" (full stop styles), or is long. A
    headline such as "सर्वर डाउन! लोग परेशान - जबलपुर" is kept as one sentence.
    """
    if "।" in line or "॥" in line or len(line) > _PROSE_MIN_LENGTH:
        return True
    tail = line.rstrip(" " + "".join(_CLOSERS))
    return tail.endswith((".", "|")) and not tail.endswith("..")


def _line_segments(s: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Sentence spans (stripped, in `s` offsets) of the line s[lo:hi]."""
    cuts: list[int] = []
    prose = _is_prose(s[lo:hi])
    start = lo
    for m in _TERMINATOR.finditer(s, lo, hi):
        if m.start() < start or not (prose or m.group() == "."):
            continue
        if _terminator_ends_sentence(s, m, lo, hi, start):
            end = m.end()
            while end < hi and s[end] in _CLOSERS:
                end += 1
            cuts.append(end)
            start = end
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise([lo, *cuts, hi]):
        while a < b and s[a] == " ":
            a += 1
        while b > a and s[b - 1] == " ":
            b -= 1
        if a == b:
            continue
        if spans and not _WORD_CHAR_RE.search(s, a, b):
            spans[-1] = (spans[-1][0], b)  # stray punctuation ("। ।", "?!") joins the sentence before
        else:
            spans.append((a, b))
    return spans


_LINE = re.compile(r"[^\n]+")


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; offsets index `text` itself.

    Ends: । ।। ॥ ? ! … | and "." except after abbreviations, initials (एस.के., उ.मा.), in decimals
    and times (19.45, 9.30 बजे). Every line break ends a sentence. A line without danda that does not
    end with "." (a headline, a "Created On : …" stamp, a bullet) is cut only at full stops, never at
    "-", ":", "?", "!", "…". An unterminated last sentence is returned too.
    """
    nt = normalize(text)
    s = nt.norm
    out: list[Sentence] = []
    last = 0
    for line in _LINE.finditer(s):
        for a, b in _line_segments(s, line.start(), line.end()):
            start, end = nt.to_original(a, b)
            # A cut inside one original character that NFC expanded ("!" + U+0344 -> 3 characters) maps
            # back into the previous sentence: the sentences must not overlap.
            start = max(start, last)
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                out.append(Sentence(start, end, text[start:end]))
                last = end
    return out


# --------------------------------------------------------------------------------------------------
# spaCy


@functools.cache
def _number_words() -> frozenset[str]:
    from pipeline.numbers import number_lexicon  # imported late: numbers may itself use this module

    return frozenset(fold(w) for w in number_lexicon())


_NUMERAL = re.compile(r"[0-9०-९]+(?:[.,][0-9०-९]+)*")


def like_num(text: str) -> bool:
    """spaCy LIKE_NUM: digits (ASCII or Devanagari, grouping commas, decimals, a/b) or a number word."""
    t = text[1:] if text[:1] in "+-±~" and len(text) > 1 else text
    if _NUMERAL.fullmatch(t):
        return True
    num, slash, den = t.partition("/")
    if slash and num.isdigit() and den.isdigit():
        return True
    return fold(text) in _number_words()


def _norm_attr(text: str) -> str:
    return fold(text) or text  # whitespace tokens keep their text


def _legacy_spellings(word: str) -> set[str]:
    """The word as written with legacy-font sequences too (डॉ → डाॅ)."""
    return {word, word.replace("\u0949", "\u093e\u0945").replace("\u0911", "\u0906\u0945")}


def _special_forms() -> tuple[list[str], list[str]]:
    """(special cases, glued prefixes): honorifics with dot or zero, and colon-visarga words."""
    data = _abbreviation_data()
    dotted: set[str] = set()
    for word in data["abbreviations"]["honorifics"]:
        for spelling in _legacy_spellings(word):
            dotted.update(spelling + mark for mark in (".", "0", "०", "॰"))
    colon_words = {w for word in data["tokens"]["colon_words"] for w in _legacy_spellings(word)}
    specials = sorted(dotted | colon_words)
    prefixes = sorted(dotted, key=lambda w: (-len(w), w))
    return specials, prefixes


@functools.cache
def get_nlp() -> Language:
    """The shared blank Hindi pipeline (no model: nothing is ever downloaded)."""
    import spacy
    from spacy.attrs import LIKE_NUM, NORM, ORTH
    from spacy.util import compile_prefix_regex

    nlp = spacy.blank("hi")
    vocab = nlp.vocab
    # A copy, so spaCy's shared Hindi defaults (and other blank("hi") pipelines) stay untouched.
    vocab.lex_attr_getters = {**vocab.lex_attr_getters, NORM: _norm_attr, LIKE_NUM: like_num}  # type: ignore[attr-defined]
    for lex in vocab:  # lexemes made before the getters were replaced
        lex.norm_ = _norm_attr(lex.orth_)
        lex.like_num = like_num(lex.orth_)
    tokenizer = cast("Tokenizer", nlp.tokenizer)
    specials, prefixes = _special_forms()
    for form in specials:
        tokenizer.add_special_case(form, [{ORTH: form, NORM: _norm_attr(form)}])
    # "डॉ.मुक्ता": the honorific is split off the glued name as a prefix.
    tokenizer.prefix_search = compile_prefix_regex(
        [re.escape(p) for p in prefixes] + list(nlp.Defaults.prefixes or [])
    ).search
    return nlp


def make_doc(text: str) -> Doc:
    """Tokenise `text` (usually `normalize(text).norm`) with the shared pipeline."""
    return get_nlp().make_doc(text)


def phrase_matcher(terms: Iterable[str], label: str, nlp: Language | None = None) -> PhraseMatcher:
    """A PhraseMatcher on NORM (folded text) for `terms`, so every spelling variant matches."""
    from spacy.matcher import PhraseMatcher

    nlp = nlp or get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    keys = sorted({k for k in map(fold, terms) if k})
    if keys:
        matcher.add(label, list(cast("Tokenizer", nlp.tokenizer).pipe(keys)))
    return matcher
