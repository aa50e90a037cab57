"""Hindi number phrases: find them in running text, say what they count, and how exactly.

Reports write numbers as digits (ASCII or Devanagari, Indian or Western grouping), as words
(0-99 are irregular in Hindi), with multipliers (`3 लाख 60 हजार 075`, `19.45 लाख`, `ढाई सौ`) and
with qualifiers (`करीब 200`, `19 हजार से ज्यादा`). Most numbers in a report are *not* dose counts:
times, dates, ages, durations, percentages, phone numbers, wards, phases. `find_numbers` therefore
labels each number with the `kind` its immediate context gives it, so that extractors can skip
everything that is not a count without re-deriving the context.

Design: the text is split once into tokens (a run of Devanagari letters, a run of Latin letters,
a digit literal, or one punctuation character), each word token carrying its `fold` key. All
vocabulary (pipeline/data/numbers.toml) is compiled into token-sequence tables, so spelling
variants (हज़ार/हजार, पाँच/पांच) match without normalising the text, and every offset indexes the
exact input string. Values are computed with `Decimal` ("19.45 लाख" is exactly 1945000).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from pipeline.text import fold

__all__ = [
    "Kind",
    "NumberMatch",
    "Qualifier",
    "find_numbers",
    "format_indian",
    "format_scale_words",
    "number_lexicon",
    "parse",
    "parse_number",
]

Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Kind = Literal[
    "count",
    "percent",
    "time",
    "date",
    "age",
    "phone",
    "ordinal",
    "ward",
    "phase",
    "duration",
    "year",
    "money",
]

DATA_FILE = Path(__file__).parent / "data" / "numbers.toml"


@dataclass(frozen=True)
class NumberMatch:
    """One number phrase found in a text.

    `start`/`end` span the number itself (digits, words, multipliers; both ends of a range; the
    suffix of `10वीं`); `span_start`/`span_end` widen it to the qualifier words that were attached
    (`करीब 200`, `19 हजार से ज्यादा`, `45 वर्ष से अधिक`, `18+`). `text` is `input[start:end]`.
    """

    value: int | float
    start: int
    end: int
    qualifier: Qualifier
    span_start: int
    span_end: int
    kind: Kind
    is_range: bool = False
    upper: int | float | None = None
    distributive: bool = False
    text: str = ""


# ------------------------------------------------------------------------------------------------
# Tokens

_WORD, _NUM, _PUNCT, _PHONE, _DATE, _CLOCK = range(6)

_D = "[0-9\u0966-\u096f]"
_ND = "(?![0-9\u0966-\u096f])"
_NB = "(?<![0-9\u0966-\u096f])"
_LETTERS = "\u0900-\u0963\u0970-\u097f"
_CORE_ALTS = rf"""
 (?P<word>[{_LETTERS}][{_LETTERS}\u200c\u200d]*|[A-Za-z]+)
|(?P<num>{_D}+(?:,{_D}+)*(?:\.{_D}+)?)
|(?P<punct>[^\s\u200b\u200c\u200d\u2060\ufeff])
"""
_LITERAL_ALTS = rf"""
 (?P<date>{_NB}{_D}{{1,2}}(?P<sep>[/.\-]){_D}{{1,2}}(?P=sep)(?:{_D}{{4}}|{_D}{{2}}){_ND}
         |{_NB}{_D}{{4}}-{_D}{{1,2}}-{_D}{{1,2}}{_ND})
|(?P<phone>\+\s?91[\s-]?[0०]?[6-9६-९]{_D}{{9}}{_ND}
          |\+\s?91[\s-]?[6-9६-९]{_D}{{4}}[\s-]{_D}{{5}}{_ND}
          |{_NB}[0०]?[6-9६-९]{_D}{{9}}{_ND}
          |{_NB}[0०]{_D}{{2,4}}[ ]?-[ ]?{_D}{{6,8}}{_ND})
|(?P<clock>{_NB}{_D}{{1,2}}:{_D}{{2}}(?::{_D}{{2}})?{_ND})
"""
# The look-ahead lets letters and spaces skip the literal alternatives at once.
_TOKEN_RE = re.compile(rf"(?=[+0-9\u0966-\u096f])(?:{_LITERAL_ALTS})|{_CORE_ALTS}", re.VERBOSE)
_SIMPLE_RE = re.compile(_CORE_ALTS, re.VERBOSE)
_DEV_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DASHES = str.maketrans("\u2010\u2011\u2012\u2013\u2014\u2212", "------")
_WESTERN = re.compile(r"\d{1,3}(?:,\d{3})+")
_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}")


# A token is (kind, start, end, key); key = fold key (words), normalised char (punct) or the
# ASCII literal (digit tokens). Plain tuples: tokenising is the hot loop.
_Tok = tuple[int, int, int, str]


class _Tokens(NamedTuple):
    kinds: list[int]
    starts: list[int]
    ends: list[int]
    keys: list[str]


_key = lru_cache(maxsize=1 << 16)(fold)


def _grouping_ok(digits: str) -> bool:
    """A comma may sit between digits only where Indian or Western grouping puts one."""
    whole = digits.split(".", 1)[0]
    return _WESTERN.fullmatch(whole) is not None or _INDIAN.fullmatch(whole) is not None


def _num_tokens(lit: str, start: int) -> Iterator[_Tok]:
    """Digit literal -> tokens; an invalidly grouped literal ("12,15") is a list of numbers."""
    if "," not in lit or _grouping_ok(lit):
        yield (_NUM, start, start + len(lit), lit)
        return
    parts = lit.split(",")
    k = len(parts) - 1
    while k > 1 and not _grouping_ok(",".join(parts[:k])):
        k -= 1
    head = ",".join(parts[:k])
    yield (_NUM, start, start + len(head), head)
    yield (_PUNCT, start + len(head), start + len(head) + 1, ",")
    yield from _num_tokens(",".join(parts[k:]), start + len(head) + 1)


def _simple_tokens(text: str, pos: int, endpos: int) -> Iterator[_Tok]:
    for m in _SIMPLE_RE.finditer(text, pos, endpos):
        yield from _one_token(m)


def _one_token(m: re.Match[str]) -> Iterator[_Tok]:
    group = m.lastgroup
    s, e = m.start(), m.end()
    raw = m.group()
    if group == "word":
        k = _key(raw)
        if k:
            yield (_WORD, s, e, k)
    elif group == "num":
        yield from _num_tokens(raw.translate(_DEV_DIGITS), s)
    elif group == "punct":
        yield (_PUNCT, s, e, raw.translate(_DASHES))
    else:
        lit = raw.translate(_DEV_DIGITS)
        if group == "date" and _date_ok(lit):
            yield (_DATE, s, e, lit)
        elif group == "clock" and _clock_ok(lit):
            yield (_CLOCK, s, e, lit)
        elif group == "phone":
            yield (_PHONE, s, e, lit)
        else:
            yield from _simple_tokens(m.string, s, e)


def _date_ok(lit: str) -> bool:
    parts = [int(p) for p in re.split(r"[/.\-]", lit)]
    day, month = (parts[2], parts[1]) if lit[:4].isdigit() else (parts[0], parts[1])
    return 1 <= day <= 31 and 1 <= month <= 12


def _clock_ok(lit: str) -> bool:
    h, m = (int(p) for p in lit.split(":")[:2])
    return h <= 24 and m < 60


def _tokenize(text: str) -> _Tokens:
    kinds: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []
    key = _key
    for m in _TOKEN_RE.finditer(text):
        group = m.lastgroup
        if group == "word":  # inlined fast paths: most tokens are words or punctuation
            k = key(m.group())
            if not k:
                continue
            kinds.append(_WORD)
        elif group == "punct":
            k = m.group().translate(_DASHES)
            kinds.append(_PUNCT)
        else:
            for kind, s, e, k in _one_token(m):
                kinds.append(kind)
                starts.append(s)
                ends.append(e)
                keys.append(k)
            continue
        starts.append(m.start())
        ends.append(m.end())
        keys.append(k)
    return _Tokens(kinds, starts, ends, keys)


# ------------------------------------------------------------------------------------------------
# Vocabulary tables

V = TypeVar("V")


class _Phrases(Generic[V]):
    """Token-sequence phrases -> value, matched forwards from a token or backwards up to one."""

    def __init__(self, entries: Iterable[tuple[str, V]], name: str = "") -> None:
        self.values: dict[tuple[str, ...], V] = {}
        for spelling, value in entries:
            keys = tuple(_tokenize(spelling).keys)
            if not keys:
                raise ValueError(f"{name}: empty spelling {spelling!r}")
            old = self.values.get(keys, value)
            if old != value:
                raise ValueError(f"{name}: {spelling!r} means both {old!r} and {value!r}")
            self.values[keys] = value
        fwd: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        bwd: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for keys, value in sorted(self.values.items(), key=lambda kv: -len(kv[0])):
            fwd.setdefault(keys[0], []).append((keys, value))
            bwd.setdefault(keys[-1], []).append((keys, value))
        self._fwd = fwd
        self._bwd = bwd

    def match(self, keys: Sequence[str], j: int) -> tuple[V, int] | None:
        """Longest phrase starting at token j -> (value, token index after it)."""
        if j >= len(keys):
            return None
        for phrase, value in self._fwd.get(keys[j], ()):
            n = len(phrase)
            if tuple(keys[j : j + n]) == phrase:
                return value, j + n
        return None

    def match_back(self, keys: Sequence[str], end: int, floor: int = 0) -> tuple[V, int] | None:
        """Longest phrase ending just before token `end`, starting at or after `floor`."""
        if end <= floor or end > len(keys):
            return None
        for phrase, value in self._bwd.get(keys[end - 1], ()):
            s = end - len(phrase)
            if s >= floor and tuple(keys[s:end]) == phrase:
                return value, s
        return None

    def first_keys(self) -> frozenset[str]:
        return frozenset(self._fwd)


@dataclass(frozen=True)
class _Lexicon:
    units: _Phrases[int]
    mults: _Phrases[int]
    mult_standalone: _Phrases[int]
    fractions: _Phrases[tuple[Decimal, bool]]
    prefixes: _Phrases[tuple[Decimal, Decimal | None]]
    ordinals: _Phrases[int]
    ordinal_guarded: frozenset[str]
    ordinal_guard_nouns: frozenset[str]
    ordinal_suffixes: _Phrases[bool]
    ordinal_spaced_suffixes: frozenset[str]
    ordinal_not_before: frozenset[str]
    months: _Phrases[int]
    quals_before: _Phrases[str]
    approx_weak: _Phrases[bool]
    quals_after: _Phrases[str]
    upto: _Phrases[bool]
    reached_stems: tuple[str, ...]
    reached_words: frozenset[str]
    range_conn: _Phrases[bool]
    list_conn: _Phrases[bool]
    ctx: dict[str, _Phrases[bool]]
    age_duration_words: frozenset[str]
    age_bands: frozenset[tuple[int, int]]
    known_latin: frozenset[str]
    spellings: frozenset[str]
    starters: frozenset[str]  # first keys of every phrase that can begin a number


def _load_toml() -> dict[str, Any]:
    with DATA_FILE.open("rb") as fh:
        return tomllib.load(fh)


def _valued(table: dict[str, list[str]]) -> list[tuple[str, int]]:
    return [(s, int(v)) for v, spellings in table.items() for s in spellings]


def _flags(words: Iterable[str]) -> list[tuple[str, bool]]:
    return [(w, True) for w in words]


@cache
def _lexicon() -> _Lexicon:
    data = _load_toml()
    q = data["qualifiers"]
    ctx_data: dict[str, Any] = data["context"]
    ctx = {
        name: _Phrases(_flags(words), name)
        for name, words in ctx_data.items()
        if name not in ("age_bands", "age_duration_words")
    }
    quals_before = (
        [(w, "approx") for w in q["approx_before"]]
        + [(w, "at_least") for w in q["at_least_before"]]
        + [(w, "at_most") for w in q["at_most_before"]]
    )
    quals_after = (
        [(w, "approx") for w in q["approx_after"]]
        + [(w, "at_least") for w in q["at_least_after"]]
        + [(w, "at_most") for w in q["at_most_after"]]
    )
    fractions = [
        (s, (Decimal(f["value"]), bool(f.get("needs_unit", False))))
        for f in data["fractions"]
        for s in f["spellings"]
    ]
    prefixes = [
        (s, (Decimal(p["add"]), Decimal(p["alone"]) if "alone" in p else None))
        for p in data["fraction_prefixes"]
        for s in p["spellings"]
    ]
    mults = _valued(data["multipliers"])
    standalone = {_key(s) for s in data["multiplier_options"]["standalone"]}
    opts = data["ordinal_options"]
    spellings: set[str] = set()
    for s, _ in _valued(data["units"]) + mults + fractions + prefixes:
        spellings.update((s, _key(s)))
    all_text: list[str] = [s for s, _ in _valued(data["units"]) + mults + _valued(data["months"])]
    all_text += [s for s, _ in fractions + prefixes + _valued(data["ordinals"])]
    all_text += opts["suffixes"] + [w for words in ctx_data.values() for w in words if isinstance(w, str)]
    known_latin = frozenset(k for s in all_text for k in _tokenize(s).keys if k.isascii() and k.isalpha())
    units = _Phrases(_valued(data["units"]), "units")
    mult_standalone = _Phrases([(s, v) for s, v in mults if _key(s) in standalone], "standalone")
    fraction_table = _Phrases(fractions, "fractions")
    prefix_table = _Phrases(prefixes, "fraction_prefixes")
    ordinals = _Phrases(_valued(data["ordinals"]), "ordinals")
    starters = frozenset().union(
        *(t.first_keys() for t in (units, mult_standalone, fraction_table, prefix_table, ordinals))
    )
    return _Lexicon(
        units=units,
        mults=_Phrases(mults, "multipliers"),
        mult_standalone=mult_standalone,
        fractions=fraction_table,
        prefixes=prefix_table,
        ordinals=ordinals,
        ordinal_guarded=frozenset(_key(s) for s in opts["guarded"]),
        ordinal_guard_nouns=frozenset(_key(s) for s in opts["guard_nouns"]),
        ordinal_suffixes=_Phrases(_flags(opts["suffixes"]), "suffixes"),
        ordinal_spaced_suffixes=frozenset(_key(s) for s in opts["spaced_suffixes"]),
        ordinal_not_before=frozenset(_key(s) for s in opts["not_before"]),
        months=_Phrases(_valued(data["months"]), "months"),
        quals_before=_Phrases(quals_before, "qualifiers before"),
        approx_weak=_Phrases(_flags(q["approx_before_weak"]), "approx_before_weak"),
        quals_after=_Phrases(quals_after, "qualifiers after"),
        upto=_Phrases(_flags(q["upto_after"]), "upto_after"),
        reached_stems=tuple(_key(s) for s in q["reached_stems"]),
        reached_words=frozenset(_key(s) for s in q["reached_words"]),
        range_conn=_Phrases(_flags(data["connectors"]["range"]), "range"),
        list_conn=_Phrases(_flags(data["connectors"]["list"]), "list"),
        ctx=ctx,
        age_duration_words=frozenset(_key(s) for s in ctx_data["age_duration_words"]),
        age_bands=frozenset((int(a), int(b)) for a, b in ctx_data["age_bands"]),
        known_latin=known_latin,
        spellings=frozenset(spellings),
        starters=starters,
    )


def number_lexicon() -> frozenset[str]:
    """Every cardinal word, multiplier, fraction and fraction-prefix spelling, as written and folded.

    Meant for spaCy's `like_num` (whose Hindi list misses हजार, डेढ़, ढाई and अस्सी).
    Ordinals are not included (पहले/दूसरे are mostly "before"/"other").
    """
    return _lexicon().spellings


# ------------------------------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True)
class _Core:
    """A cardinal number phrase occupying tokens [i, j)."""

    value: Decimal
    i: int
    j: int
    has_mult: bool
    lead_base: Decimal  # the base of the first segment ("3" in "3 लाख 60 हजार")
    lead_scale: int  # the multiplier of the first segment (1 when none)
    distributive: bool
    digits: bool  # the first number is written in digits


_UNQUALIFIED_KINDS = frozenset({"time", "date", "year", "ward", "phase", "phone", "ordinal"})
# No report states a figure of 10^15 or more (and SQLite's INTEGER ends at 2^63): a longer digit run is
# an identifier or garbage, and a phrase worth more ("10^14 करोड़") is no number either. Bounding the
# digits also keeps Decimal arithmetic far from its exponent limit (a million-digit run overflowed it).
_MAX_DIGITS = 15
_MAX_VALUE = 10**15
_RANGE_APPROX_KINDS = frozenset({"count", "percent", "money", "duration"})


def _out(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _plain_year(lit: str) -> bool:
    return len(lit) == 4 and lit.isdigit() and 1900 <= int(lit) <= 2100


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.kinds, self.starts, self.ends, self.keys = _tokenize(text)
        self._prev_kind: str = ""  # kind of the previous match and the token after it
        self._prev_end = -1
        self.lex = _lexicon()

    # -- helpers -----------------------------------------------------------------------------------
    def _kind_at(self, j: int) -> int:
        return self.kinds[j] if 0 <= j < len(self.kinds) else -1

    def _ctx(self, name: str, j: int) -> int | None:
        """Token index after context phrase `name` starting at j, else None."""
        m = self.lex.ctx[name].match(self.keys, j)
        return m[1] if m else None

    def _ctx_back(self, name: str, end: int) -> bool:
        return self.lex.ctx[name].match_back(self.keys, end) is not None

    def _adjacent(self, a: int, b: int) -> bool:
        return 0 <= a < b < len(self.kinds) and self.ends[a] == self.starts[b]

    def _month_after(self, j: int) -> int | None:
        """Token index after a month name at j (also "-May-", "3.June")."""
        m = self.lex.months.match(self.keys, j)
        if m:
            return m[1]
        if self._kind_at(j) == _PUNCT and self.keys[j] in ("-", ".") and self._adjacent(j - 1, j):
            m = self.lex.months.match(self.keys, j + 1)
            if m and self._adjacent(j, j + 1):
                return m[1]
        return None

    def _starts_number(self, j: int) -> bool:
        k = self._kind_at(j)
        if k == _NUM:
            return True
        if k != _WORD:
            return False
        lex = self.lex
        return any(
            t.match(self.keys, j) is not None
            for t in (lex.units, lex.fractions, lex.prefixes, lex.mult_standalone)
        )

    # -- cardinal core -------------------------------------------------------------------------
    def _unit_follows(self, j: int) -> bool:
        """A multiplier, duration unit or percent word at j (licenses आधा / सवा alone)."""
        return (
            self.lex.mults.match(self.keys, j) is not None
            or self._ctx("duration_after", j) is not None
            or self._ctx("percent_after", j) is not None
        )

    def _plain_base(self, j: int) -> tuple[Decimal, int, bool] | None:
        t = self._kind_at(j)
        if t == _NUM:
            lit = self.keys[j].replace(",", "")
            whole, _, frac = lit.partition(".")
            if len(whole) > _MAX_DIGITS or len(frac) > _MAX_DIGITS:
                return None
            return Decimal(lit), j + 1, True
        if t == _WORD:
            u = self.lex.units.match(self.keys, j)
            if u:
                return Decimal(u[0]), u[1], False
        return None

    def _base(self, j: int) -> tuple[Decimal, int, bool] | None:
        """(value, next token, written in digits) of a multiplier-less number at j."""
        if self._kind_at(j) != _WORD:
            return self._plain_base(j)
        lex = self.lex
        p = lex.prefixes.match(self.keys, j)
        if p:
            (add, alone), k = p
            nb = self._plain_base(k)
            if nb and nb[0] >= 1:
                return nb[0] + add, nb[1], nb[2]
            if alone is not None and self._unit_follows(k):
                return alone, k, False
            return None
        f = lex.fractions.match(self.keys, j)
        if f:
            (value, needs_unit), k = f
            if needs_unit and not self._unit_follows(k):
                return None
            return value, k, False
        return self._plain_base(j)

    def _mults(self, j: int) -> tuple[int, int]:
        """Product of the multipliers starting at j ("सौ करोड़" = 10^9) and the token after them."""
        scale = 1
        while True:
            m = self.lex.mults.match(self.keys, j)
            if not m or m[0] <= scale:
                return scale, j
            scale *= m[0]
            j = m[1]

    def _claimed(self, j: int) -> bool:
        """Does the context at j make the number before it something other than trailing units?"""
        for name in (
            "percent_after",
            "time_after",
            "duration_after",
            "age_after",
            "age_plus_after",
            "date_after",
        ):
            if self._ctx(name, j) is not None:
                return True
        if self._month_after(j) is not None or self.lex.ordinal_suffixes.match(self.keys, j):
            return True
        conn = self.lex.range_conn.match(self.keys, j)
        return conn is not None and self._starts_number(conn[1])

    def _core(self, i: int) -> _Core | None:
        lex = self.lex
        b = self._base(i)
        if b is None:
            if lex.mult_standalone.match(self.keys, i) is None:
                return None
            b = (Decimal(1), i, False)
        value, j, digits = b
        first_digits = digits
        distributive = False
        if self.keys[j : j + 1] == ["-"] and self._adjacent(j - 1, j) and self._adjacent(j, j + 1):
            b2 = self._base(j + 1)
            if b2 is not None and b2[0] == value:
                distributive, j = True, b2[1]
        scale, k = self._mults(j)
        if scale == 1:
            return _Core(value, i, j, False, value, 1, distributive, digits)
        lead_base, lead_scale = value, scale
        total, last_scale, j = value * scale, scale, k
        while True:
            b = self._base(j)
            if b is None:
                break
            v2, j2, digits2 = b
            scale2, k2 = self._mults(j2)
            if scale2 > 1:
                if scale2 >= last_scale or v2 * scale2 >= last_scale:
                    break
                total += v2 * scale2
                last_scale, j, digits = scale2, k2, digits2
                continue
            if (
                digits2 == digits
                and v2 == v2.to_integral_value()
                and v2 < last_scale
                and not self._claimed(j2)
            ):
                total += v2
                j = j2
            break
        return _Core(total, i, j, True, lead_base, lead_scale, distributive, first_digits)

    # -- qualifiers -----------------------------------------------------------------------------
    def _prefix(self, i: int, floor: int, value: Decimal) -> tuple[str, int] | None:
        m = self.lex.quals_before.match_back(self.keys, i, floor)
        if m:
            return m
        w = self.lex.approx_weak.match_back(self.keys, i, floor)
        if w and value >= 10:
            return "approx", w[1]
        return None

    def _trailing(self, j: int, allow_upto: bool) -> tuple[str, int] | None:
        m = self.lex.quals_after.match(self.keys, j)
        if m:
            return m
        if allow_upto:
            u = self.lex.upto.match(self.keys, j)
            if u:
                nxt = self.keys[u[1]] if u[1] < len(self.keys) else ""
                if not nxt.startswith(self.lex.reached_stems) and nxt not in self.lex.reached_words:
                    return "at_most", u[1]  # "200 तक टीके"; but "5 लाख तक पहुंचा" = reached, exact
        return None

    # -- context --------------------------------------------------------------------------------
    def _after_kind(
        self, j: int, value: Decimal, has_mult: bool, i: int, lookahead: bool = True
    ) -> tuple[str, int] | None:
        """Kind given by the words after the number at j -> (kind, token after the unit word)."""
        for kind, name in (("percent", "percent_after"), ("money", "money_after")):
            e = self._ctx(name, j)
            if e is not None:
                return kind, e
        if self._ctx("time_after", j) is not None:
            return "time", j
        integral = value == value.to_integral_value()
        small = not has_mult and integral and 1 <= value <= 31
        if small and (self._month_after(j) is not None or self._ctx("date_after", j) is not None):
            return "date", j
        e = self._ctx("duration_after", j)
        if e is not None:
            return "duration", e
        e = self._ctx("age_after", j)
        if e is not None:
            return self._age_or_duration(j, e, value, i), e
        if lookahead and not has_mult:  # "4 व 5 जून", "45 और 60 वर्ष", "10 या 12 दिन"
            c = self.lex.list_conn.match(self.keys, j)
            nb = self._plain_base(c[1]) if c else None
            if c and nb:
                nxt = self._after_kind(nb[1], nb[0], False, c[1], lookahead=False)
                if nxt and (
                    (nxt[0] == "date" and small)
                    or (nxt[0] == "age" and value <= 120)
                    or (nxt[0] == "percent" and value <= 100)
                    or (nxt[0] == "time" and value <= 24)
                    or nxt[0] == "duration"
                ):
                    return nxt[0], j
        return None

    def _age_or_duration(self, j: int, e: int, value: Decimal, i: int) -> str:
        """ "45 वर्ष" is an age; "पिछले दो साल", "20 साल पहले", "एक साल तक" are durations."""
        if self.keys[j] not in self.lex.age_duration_words:
            return "age"
        if self._ctx_back("age_duration_before", i) or self._ctx("age_duration_after", e) is not None:
            return "duration"
        if (
            value < 12
            and self._ctx("age_duration_after_small", e) is not None
            and self._trailing(e, allow_upto=False) is None
        ):
            return "duration"
        return "age"

    def _before_kind(self, b: int, core: _Core) -> str | None:
        """Kind given by the words before token b (the number or its prefix qualifier)."""
        ends = [b]
        if self._kind_at(b - 1) == _PUNCT and self.keys[b - 1] in ("-", ":", ".") and b - 2 >= 0:
            ends.append(b - 1)
        v = core.value
        integral = v == v.to_integral_value()
        lit = self.keys[core.i] if core.j == core.i + 1 and self._kind_at(core.i) == _NUM else ""
        for e in ends:
            if self._ctx_back("time_before_strong", e):
                return "time"
            for kind in ("ward", "phase", "phone", "money"):
                if self._ctx_back(f"{kind}_before", e):
                    return kind
            if integral and 1 <= v <= 31 and not core.has_mult and self._ctx_back("date_before", e):
                return "date"
            if v <= 120 and not core.has_mult and self._ctx_back("age_before", e):
                return "age"
            month = self.lex.months.match_back(self.keys, e)
            if month:
                if _plain_year(lit):
                    return "year"
                if self.keys[e - 1].isascii() and integral and 1 <= v <= 31 and not core.has_mult:
                    return "date"
            if _plain_year(lit) and self._ctx_back("year_before", e):
                return "year"
        if not core.has_mult and v <= 24 and (core.digits or v >= 2) and self._ctx_back("time_before", b):
            return "time"
        # "3 जून, 2021", "June 3, 2021"
        comma_year = _plain_year(lit) and self.keys[b - 1 : b] == [","]
        if comma_year and (
            self.lex.months.match_back(self.keys, b - 1)
            or (self._kind_at(b - 2) == _NUM and self.lex.months.match_back(self.keys, b - 2))
        ):
            return "year"
        return None

    # -- one match ------------------------------------------------------------------------------
    def _make(
        self,
        value: Decimal | int | float,
        i: int,
        j: int,
        kind: str,
        qualifier: str = "exact",
        span: tuple[int, int] | None = None,
        upper: Decimal | None = None,
        distributive: bool = False,
    ) -> NumberMatch:
        start, end = self.starts[i], self.ends[j - 1]
        s0, s1 = (self.starts[span[0]], self.ends[span[1] - 1]) if span else (start, end)
        return NumberMatch(
            value=_out(value) if isinstance(value, Decimal) else value,
            start=start,
            end=end,
            qualifier=qualifier,  # type: ignore[arg-type]
            span_start=min(s0, start),
            span_end=max(s1, end),
            kind=kind,  # type: ignore[arg-type]
            is_range=upper is not None,
            upper=_out(upper) if upper is not None else None,
            distributive=distributive,
            text=self.text[start:end],
        )

    def _literal(self, i: int, floor: int) -> tuple[NumberMatch, int] | None:
        kind, lit = self.kinds[i], self.keys[i]
        if kind == _PHONE:
            digits = re.sub(r"\D", "", lit)
            if digits.startswith("91") and len(digits) > 10:
                digits = digits[2:]
            return self._make(int(digits), i, i + 1, "phone"), i + 1
        if kind == _DATE:
            parts = re.split(r"[/.\-]", lit)
            day = int(parts[2] if len(parts[0]) == 4 else parts[0])
            return self._make(day, i, i + 1, "date"), i + 1
        h, m = (int(p) for p in lit.split(":")[:2])
        value = Decimal(h) + Decimal(m) / 60
        pq = self._prefix(i, floor, Decimal(100))
        if pq and pq[0] == "approx":
            return self._make(value, i, i + 1, "time", "approx", (pq[1], i + 1)), i + 1
        return self._make(value, i, i + 1, "time"), i + 1

    def _ordinal(self, i: int) -> tuple[NumberMatch, int] | None:
        lex = self.lex
        o = lex.ordinals.match(self.keys, i)
        if not o:
            return None
        value, j = o
        key = self.keys[i]
        if key in lex.ordinal_guarded and (
            j >= len(self.keys) or self.keys[j] not in lex.ordinal_guard_nouns
        ):
            return None
        if j < len(self.keys) and self.keys[j] in lex.ordinal_not_before:
            return None
        prev = i - 1
        if self.lex.ctx["duration_after"].match(self.keys, i) and prev >= 0 and self._starts_number(prev):
            return None  # "30 सेकंड" is a duration unit, not "second"
        kind = "phase" if self._ctx("phase_after", j) is not None else "ordinal"
        return self._make(value, i, j, kind), j

    def _glued(self, i: int) -> bool:
        """A digit token that is part of a name (कोविड-19, N95, covid19, एन-95), not a number.

        A Devanagari word glued straight onto digits ("में146") is a typo and keeps its number;
        a word joined by a hyphen, or any Latin word, makes an identifier unless the word is
        a known context word (वार्ड-12, चरण-3, May-2021, Rs500).
        """
        lex = self.lex
        prev = i - 1
        hyphen = self._kind_at(prev) == _PUNCT and self.keys[prev] == "-"
        if hyphen:
            prev -= 1
        if self._kind_at(prev) == _WORD and lex.ctx["identifier_before"].match(self.keys, prev):
            return True
        glued = self._kind_at(prev) == _WORD and self._adjacent(prev, prev + 1) and self._adjacent(i - 1, i)
        if glued and (hyphen or self.keys[prev].isascii()) and not self._context_word(prev):
            return True
        nxt = i + 1
        return (
            self._kind_at(nxt) == _WORD
            and self._adjacent(i, nxt)
            and self.keys[nxt].isascii()
            and self.keys[nxt] not in lex.known_latin
        )

    def _context_word(self, j: int) -> bool:
        """Is the word at j a month or the end of a ward/phase/date/money/age phrase?"""
        lex = self.lex
        if lex.months.match_back(self.keys, j + 1):
            return True
        names = ("ward_before", "phase_before", "date_before", "money_before", "age_before")
        return any(lex.ctx[n].match_back(self.keys, j + 1) is not None for n in names)

    def at(self, i: int, floor: int) -> tuple[NumberMatch, int] | None:
        kind0 = self.kinds[i]
        if kind0 in (_PHONE, _DATE, _CLOCK):
            return self._literal(i, floor)
        if kind0 == _WORD:
            if self.keys[i] not in self.lex.starters:
                return None
            o = self._ordinal(i)
            if o:
                return o
        elif kind0 == _NUM:
            if self._glued(i):
                return None
        else:
            return None
        core = self._core(i)
        if core is None:
            return None
        return self._finish(core, floor)

    def _finish(self, core: _Core, floor: int) -> tuple[NumberMatch, int]:
        """Turn a cardinal core into a match: range, kind, qualifier and spans."""
        done = self._digit_ordinal(core) or self._year_range(core)
        if done:
            return done
        i = core.i
        lower, upper, end, upper_lit = self._range(core)
        pq = self._prefix(i, floor, lower)
        kind, unit_end = self._kind(core, lower, upper, end, upper_lit, pq)
        if kind == "age" and upper is None and unit_end != end:  # "18 वर्ष से 44 वर्ष"
            r = self._unit_range(unit_end, lower)
            if r:
                upper, end, unit_end = r
        value = lower
        lit = self.keys[i] if core.j == i + 1 and self._kind_at(i) == _NUM else ""
        if kind == "time" and "." in lit:  # "9.30 बजे" = 9:30
            h, frac = lit.split(".")
            if len(frac) == 2 and int(frac) < 60:
                value = Decimal(int(h)) + Decimal(int(frac)) / 60
        kind, qualifier, span_lo, span_hi = self._qualify(kind, i, end, unit_end, upper is not None, pq)
        match = self._make(value, i, end, kind, qualifier, (span_lo, span_hi), upper, core.distributive)
        return match, max(span_hi, end)

    def _digit_ordinal(self, core: _Core) -> tuple[NumberMatch, int] | None:
        """10वीं, 3 वें, 2nd (and "1st June" = a date, "3rd phase" = a phase)."""
        i, j = core.i, core.j
        if not (j == i + 1 and self._kind_at(i) == _NUM and self.keys[i].isdigit()):
            return None
        suf = self.lex.ordinal_suffixes.match(self.keys, j)
        if not suf or not (self._adjacent(i, j) or self.keys[j] in self.lex.ordinal_spaced_suffixes):
            return None
        e = suf[1]
        kind = "phase" if self._ctx("phase_after", e) is not None else "ordinal"
        if self._month_after(e) is not None:
            kind = "date"
        return self._make(core.value, i, e, kind), e

    def _year_range(self, core: _Core) -> tuple[NumberMatch, int] | None:
        """Financial/session years: "2020-21" -> 2020..2021."""
        i, j = core.i, core.j
        lit = self.keys[i]
        k = j + 1
        if not (
            j == i + 1
            and _plain_year(lit)
            and self.keys[j : j + 1] == ["-"]
            and self._kind_at(k) == _NUM
            and len(self.keys[k]) == 2
            and self.keys[k].isdigit()
            and int(self.keys[k]) == (int(lit) + 1) % 100
        ):
            return None
        up = Decimal(int(lit) // 100 * 100 + int(self.keys[k]))
        if up < int(lit):
            up += 100
        return self._make(core.value, i, k + 1, "year", upper=up), k + 1

    def _range(self, core: _Core) -> tuple[Decimal, Decimal | None, int, str]:
        """(lower, upper or None, token after the phrase, upper's digit literal) for "90 से 95",
        "18-44", "डेढ़ से दो लाख" (lower scaled by the upper's multiplier: 150000..200000)."""
        none = (core.value, None, core.j, "")
        if core.distributive:
            return none
        conn = self.lex.range_conn.match(self.keys, core.j)
        if not conn or self._kind_at(conn[1]) not in (_NUM, _WORD):
            return none
        k = conn[1]
        c2 = None if self._kind_at(k) == _NUM and self._glued(k) else self._core(k)
        if c2 is None or c2.distributive:
            return none
        lo = core.value
        if not core.has_mult and c2.has_mult and lo < c2.lead_base:
            lo = lo * c2.lead_scale
        if c2.value <= lo:
            return none
        spaced = not (self._adjacent(core.j - 1, core.j) and self._adjacent(core.j, k))
        if self.keys[core.j] == "-" and spaced and c2.value > 10 * lo:
            return none  # "कोरिया - 61 - 7755" is a table row, not a range
        upper_lit = self.keys[k] if c2.j == k + 1 and self._kind_at(k) == _NUM else ""
        return lo, c2.value, c2.j, upper_lit

    def _unit_range(self, j: int, lower: Decimal) -> tuple[Decimal, int, int] | None:
        """ "18 वर्ष से 44 वर्ष": (upper, token after 44, token after its unit)."""
        conn = self.lex.range_conn.match(self.keys, j)
        if not conn or self.keys[j] == "-":
            return None
        c2 = self._core(conn[1]) if self._kind_at(conn[1]) in (_NUM, _WORD) else None
        if c2 is None or c2.has_mult or c2.value <= lower:
            return None
        e = self._ctx("age_after", c2.j)
        return (c2.value, c2.j, e) if e is not None else None

    def _kind(
        self,
        core: _Core,
        lower: Decimal,
        upper: Decimal | None,
        end: int,
        upper_lit: str,
        pq: tuple[str, int] | None,
    ) -> tuple[str, int]:
        """(kind, token after the unit word) from the words after the number, then before it."""
        i = core.i
        lit = self.keys[i] if core.j == i + 1 and self._kind_at(i) == _NUM else ""
        if self._ctx_back("time_before_strong", i):  # "4 बजकर 30 मिनट": the 30 is part of the time
            return "time", end
        after = self._after_kind(end, upper if upper is not None else core.value, core.has_mult, i)
        if after:
            return after
        b = pq[1] if pq else i
        before = self._before_kind(b, core) or (self._before_kind(i, core) if b != i else None)
        if before:
            return before, end
        if self._ctx("age_plus_after", end) is not None:
            return "age", end
        if upper is not None:
            if (_out(lower), _out(upper)) in self.lex.age_bands:
                return "age", end
            if _plain_year(lit) and _plain_year(upper_lit) and (int(lit) % 100 or int(upper_lit) % 100):
                return "year", end  # "2019 से 2021 तक"
        elif (
            _plain_year(lit)
            and int(lit) % 100
            and self._ctx("year_after", end) is not None
            and self._trailing(end, allow_upto=False) is None
        ):
            return "year", end  # "2021 में", "2021 तक"
        if self._prev_kind == "ward" and self._joined_to_prev(b):
            return "ward", end  # "वार्ड 11, 12 तथा 13"
        return "count", end

    def _joined_to_prev(self, b: int) -> bool:
        """Is the previous match separated from token b by exactly one list connector?"""
        c = self.lex.list_conn.match(self.keys, self._prev_end)
        return c is not None and c[1] == b

    def _qualify(
        self, kind: str, i: int, end: int, unit_end: int, is_range: bool, pq: tuple[str, int] | None
    ) -> tuple[str, str, int, int]:
        """(kind, qualifier, span start token, span end token) once the kind is known."""
        lex = self.lex
        qualifier, span_lo, span_hi = "exact", i, end
        if pq and (
            kind in ("count", "percent", "money", "duration", "age") or (kind, pq[0]) == ("time", "approx")
        ):
            qualifier, span_lo = pq
        if is_range:
            # A count range "90 से 95 लोगों" is approximate (its lower bound is reported).
            if kind in _RANGE_APPROX_KINDS:
                qualifier = "approx"
                u = lex.upto.match(self.keys, end)
                if u:
                    span_hi = u[1]
            elif kind != "time":
                qualifier = "exact"
            return kind, qualifier, span_lo, span_hi
        if kind in _UNQUALIFIED_KINDS:
            return kind, qualifier, span_lo, span_hi
        plus = self._ctx("age_plus_after", unit_end) if kind in ("age", "count") else None
        if plus is not None:
            return "age", "at_least", span_lo, plus
        t = self._trailing(unit_end, allow_upto=kind != "duration")
        if t is None and unit_end != end and kind != "duration":
            t = self._trailing(end, allow_upto=True)
        if t is not None:
            qualifier, span_hi = t
            if kind == "count" and self._ctx("age_after", span_hi) is not None:
                kind = "age"  # "45 से अधिक उम्र"
        return kind, qualifier, span_lo, span_hi

    def run(self) -> list[NumberMatch]:
        out: list[NumberMatch] = []
        i, floor, n = 0, 0, len(self.kinds)
        kinds, keys, starters = self.kinds, self.keys, self.lex.starters
        while i < n:
            kind = kinds[i]
            if kind == _PUNCT or (kind == _WORD and keys[i] not in starters):
                i += 1  # what `at` rejects first, without the call: most tokens start no number
                continue
            r = self.at(i, floor)
            if r is None:
                i += 1
                continue
            match, nxt = r
            if match.value < _MAX_VALUE and (match.upper is None or match.upper < _MAX_VALUE):
                out.append(match)
            i = floor = max(nxt, i + 1)
            self._prev_kind, self._prev_end = match.kind, i
        return out


# ------------------------------------------------------------------------------------------------
# Public API


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number phrase in `text`, in order, non-overlapping, with offsets into `text`."""
    return list(_find_numbers(text))


@lru_cache(maxsize=512)
def _find_numbers(text: str) -> tuple[NumberMatch, ...]:
    """Cached for the span of a document or so: a sentence's numbers (`SentenceView.numbers`) and its age
    groups (`find_age_groups`, which keys on the text alone) parse the same sentence."""
    if not text:
        return ()
    return tuple(_Parser(text).run())


def age_interval(group: str) -> tuple[int, int] | None:
    """The years an age group spans ("18-44" -> (18, 44), "60+" -> (60, 200)); None if it is no group.
    Neighbouring groups meet at their boundary ("45-60" and "60+" share only 60)."""
    try:
        if group.endswith("+"):
            return int(group[:-1]), 200
        lo, hi = group.split("-")
        return int(lo), int(hi)
    except ValueError:
        return None


def parse(phrase: str) -> NumberMatch | None:
    """The one number in a short phrase ("करीब 200", "5:40 बजे", "18 से 44 वर्ष"), else None.

    Context words around the number are allowed (they decide `kind`); a phrase with no number or
    with two numbers gives None. Offsets index `phrase`.
    """
    found = find_numbers(phrase)
    return found[0] if len(found) == 1 else None


def parse_number(phrase: str) -> int | float | None:
    """The value of `phrase` when the whole stripped phrase is one number (qualifiers allowed)."""
    stripped = phrase.strip()
    if not stripped:
        return None
    lead = len(phrase) - len(phrase.lstrip())
    m = parse(phrase)
    if m is None or m.span_start != lead or m.span_end != lead + len(stripped):
        return None
    return m.value


def format_indian(n: int) -> str:
    """Digits with Indian grouping: 360075 -> "3,60,075", 9428490 -> "94,28,490"."""
    sign, s = ("-", str(-n)) if n < 0 else ("", str(n))
    if len(s) <= 3:
        return sign + s
    head, tail = s[:-3], s[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    groups.insert(0, head)
    return sign + ",".join([*groups, tail])


_SCALES = ((10**7, "करोड़"), (10**5, "लाख"), (10**3, "हजार"))


def format_scale_words(n: int) -> str:
    """Bulletin style: 123456789 -> "12 करोड़ 34 लाख 56 हजार 789" (zero parts omitted)."""
    if n < 0:
        raise ValueError("format_scale_words needs a non-negative integer")
    if n == 0:
        return "0"
    parts: list[str] = []
    rest = n
    for scale, word in _SCALES:
        q, rest = divmod(rest, scale)
        if q:
            parts.append(f"{q} {word}")
    if rest:
        parts.append(str(rest))
    return " ".join(parts)
