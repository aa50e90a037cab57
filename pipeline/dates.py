"""Hindi date/time layer: publication stamps, date mentions, event dates, durations, times of day.

Design notes
------------
* Matching runs on a *keyed* copy of the input: the same normalisation as `text.fold` (nukta-free,
  anusvara-canonical, lower-case, ASCII digits, zero-width characters dropped) but built character
  by character with a map back to the original offsets, so every span returned indexes the exact
  string given (NBSP, ZWJ, nukta spellings and Devanagari digits included). Whitespace is not
  collapsed in the key; patterns use ``\\s+`` instead.
* All vocabulary (months, weekdays, relative words, tense cues, stamp labels, duration words, times
  of day) lives in ``data/calendar.toml``; spellings there are folded with `text.fold`.
* Resolution follows the gold practice of the project (see ``shared/spec/phrasing.md`` §6): a
  weekday or कल needs a publication date; past tense never yields a date after publication.
* No dateparser: it reads कल only as "tomorrow" and finds false dates in "18 से 44 वर्ष".
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from pipeline.text import fold

__all__ = [
    "IST",
    "DateMention",
    "Duration",
    "date_from_url",
    "event_date",
    "find_dates",
    "find_durations",
    "find_timestamp",
    "parse_duration",
    "parse_timestamp",
    "resolve_weekday",
    "tense_of",
    "times_of_day",
]

IST = _dt.timezone(_dt.timedelta(hours=5, minutes=30))

Tense = Literal["past", "future", "present"]
Precision = Literal["day", "month", "unresolved"]
Kind = Literal["explicit", "weekday", "relative"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
TimeOfDay = Literal["morning", "afternoon", "evening", "night"]

# Years a bare "3 जून" may belong to when there is no publication date but a weekday to agree with.
_DEFAULT_YEARS = (2021, 2022)

# ---------------------------------------------------------------------------------------------
# Keyed text: fold-equivalent normalisation with an offset map


_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_ANUSVARA = "\u0902"
_CHANDRABINDU = "\u0901"
_DROPPED = frozenset("\u200b\u200c\u200d\ufeff\u00ad" + _NUKTA)
_DEV_DIGITS = {c: str(i) for i, c in enumerate("०१२३४५६७८९")}
_NASALS = frozenset("ङञणनम")


@dataclass(frozen=True)
class _Keyed:
    """A folded copy of `text` whose character i came from ``text[starts[i]:ends[i]]``."""

    text: str
    key: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, kstart: int, kend: int) -> tuple[int, int]:
        """Map a key span to the original string."""
        if kend <= kstart:
            pos = self.starts[kstart] if kstart < len(self.starts) else len(self.text)
            return pos, pos
        return self.starts[kstart], self.ends[kend - 1]


def _key_chars(ch: str) -> str:
    if "\u0900" <= ch <= "\u097f":
        out = unicodedata.normalize("NFD", ch).replace(_NUKTA, "")
        return _DEV_DIGITS.get(out, out).replace(_CHANDRABINDU, _ANUSVARA)
    if ch.isspace():
        # Line breaks survive (datelines and stamp lines are line-based); other spaces become " ".
        return "\n" if ch in "\n\u2028\u2029\x85" else " "
    return ch.lower()


@lru_cache(maxsize=1024)
def _keyed(text: str) -> _Keyed:
    """Build the keyed copy with pipeline.text.normalize (regex passes, ~10 MB/s) when it agrees with the
    character-level definition below, which stays the reference. Cached: several functions scan one text."""
    from pipeline.text import normalize

    nt = normalize(text)
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text and "\x85" not in text:
        return _Keyed(text=text, key=nt.norm, starts=nt.index[:-1], ends=nt.index[1:])
    return _keyed_slow(text)


def _keyed_slow(text: str) -> _Keyed:
    items: list[list[Any]] = []  # [char, start, end]
    for i, ch in enumerate(text):
        if ch in _DROPPED:
            # Combining/invisible characters belong to the preceding letter, so a span ending on
            # that letter still covers them ("डेढ़" written with a separate nukta).
            if items:
                items[-1][2] = i + 1
            continue
        for out in _key_chars(ch):
            if out == _NUKTA:
                if items:
                    items[-1][2] = i + 1
                continue
            if out == "\u0945" and items and items[-1][0] in ("\u093e", "\u0906"):
                # legacy fonts: ा + ॅ → ॉ, आ + ॅ → ऑ
                items[-1][0] = "\u0949" if items[-1][0] == "\u093e" else "\u0911"
                items[-1][2] = i + 1
                continue
            items.append([out, i, i + 1])
    merged: list[list[Any]] = []
    j = 0
    while j < len(items):
        if (
            items[j][0] in _NASALS
            and j + 2 < len(items)
            and items[j + 1][0] == _VIRAMA
            and "क" <= items[j + 2][0] <= "ह"
        ):
            merged.append([_ANUSVARA, items[j][1], items[j + 1][2]])
            j += 2
            continue
        merged.append(items[j])
        j += 1
    return _Keyed(
        text=text,
        key="".join(m[0] for m in merged),
        starts=tuple(m[1] for m in merged),
        ends=tuple(m[2] for m in merged),
    )


# A "letter" for word boundaries: Python's \w misses Devanagari vowel signs, so add them.
_L = r"(?:[^\W\d_]|[\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963])"
_NB = rf"(?<!{_L})"  # no letter before
_NA = rf"(?!{_L})"  # no letter after


def _pattern(spelling: str) -> str:
    """Regex source for one folded spelling; inner spaces match any whitespace run."""
    return r"\s+".join(re.escape(part) for part in fold(spelling).split(" "))


def _alternation(spellings: Iterable[str]) -> str:
    keys = sorted({_pattern(s) for s in spellings}, key=len, reverse=True)
    return "(?:" + "|".join(keys) + ")"


# ---------------------------------------------------------------------------------------------
# Data


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("pipeline").joinpath("data/calendar.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@cache
def _months() -> dict[str, int]:
    return {fold(n): int(m["number"]) for m in _data()["months"] for n in m["names"]}


@cache
def _weekdays() -> dict[str, int]:
    return {fold(n): int(w["number"]) for w in _data()["weekdays"] for n in w["names"]}


@cache
def _fold_set(*path: str) -> frozenset[str]:
    node: Any = _data()
    for part in path:
        node = node[part]
    return frozenset(fold(s) for s in node)


@cache
def _fold_map(*path: str) -> dict[str, Any]:
    node: Any = _data()
    for part in path:
        node = node[part]
    return {fold(k): v for k, v in node.items()}


def _norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------------------------------------
# Small date helpers


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _shift(d: _dt.date, days: int) -> _dt.date | None:
    try:
        return d + _dt.timedelta(days=days)
    except OverflowError:
        return None


def _pub_date(published: _dt.datetime | _dt.date | None) -> _dt.date | None:
    """The publication day in IST (a naive datetime is taken to be IST already)."""
    if published is None:
        return None
    if isinstance(published, _dt.datetime):
        if published.tzinfo is not None:
            try:
                return published.astimezone(IST).date()
            except (OverflowError, ValueError):
                return published.date()
        return published.date()
    return published


def resolve_weekday(weekday: int, published: _dt.date, *, future: bool = False) -> _dt.date:
    """The date of `weekday` (0 = Monday) relative to the publication day.

    Past or unknown tense: the latest such weekday on or before publication (the same day counts:
    a Thursday article saying "गुरुवार को" means that day). Future: the next one on or after.
    """
    if isinstance(published, _dt.datetime):
        published = published.date()
    if future:
        delta = (weekday - published.weekday()) % 7
        return published + _dt.timedelta(days=delta)
    delta = (published.weekday() - weekday) % 7
    return published - _dt.timedelta(days=delta)


def _resolve_weekday_safe(weekday: int, pub: _dt.date, future: bool) -> _dt.date | None:
    try:
        return resolve_weekday(weekday, pub, future=future)
    except OverflowError:
        return None


# ---------------------------------------------------------------------------------------------
# Timestamps

_AMPM = r"(?P<ampm>a\.?m\.?|p\.?m\.?)"
_TIME = rf"(?P<h>[0-9]{{1,2}})[:.](?P<mi>[0-9]{{2}})(?:[:.](?P<s>[0-9]{{2}})(?:\.[0-9]+)?)?(?:\s*{_AMPM})?"
_ZONE = r"\(?(?P<z>ist|gmt|utc|z|[+-][0-9]{2}:?[0-9]{2})\)?(?![a-z0-9])"


@cache
def _date_source() -> str:
    month = _alternation(_months())
    return (
        r"(?:"
        r"(?P<iy>[0-9]{4})-(?P<im>[0-9]{1,2})-(?P<id>[0-9]{1,2})(?![0-9])"
        r"|(?P<ny>[0-9]{4})[/.](?P<nm>[0-9]{1,2})[/.](?P<nd>[0-9]{1,2})(?![0-9])"
        r"|(?P<dd>[0-9]{1,2})(?P<sep>[/.\-])(?P<dm>[0-9]{1,2})(?P=sep)(?P<dy>[0-9]{4}|[0-9]{2})(?![0-9])"
        rf"|(?P<td>[0-9]{{1,2}})(?:st|nd|rd|th)?[\s\-./,]*(?P<tm>{month}){_NA}\.?[\s\-.,/]*(?P<ty>[0-9]{{4}})(?![0-9])"
        rf"|(?P<um>{month}){_NA}\.?\s+(?P<ud>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<uy>[0-9]{{4}})(?![0-9])"
        r")"
    )


@cache
def _stamp_re() -> re.Pattern[str]:
    """Date first, then optional time and zone; or time (and zone) first, then the date."""
    date_part = _date_source()
    date_first = rf"(?<![0-9]){date_part}(?:(?:t|\s*[,|@]?\s*(?:at\s+)?){_TIME})?(?:\s*{_ZONE})?"
    time_first = (
        _TIME.replace("?P<", "?P<x")
        + r"(?:\s*"
        + _ZONE.replace("?P<", "?P<x")
        + r")?\s*[,|]?\s*"
        + date_part.replace("?P<", "?P<y").replace("(?P=sep)", "(?P=ysep)")
    )
    return re.compile(rf"(?:{date_first})|(?:(?<![0-9]){time_first})")


def _group(m: re.Match[str], name: str) -> str | None:
    d = m.groupdict()
    return d.get(name) or d.get("y" + name) or d.get("x" + name)


def _year(s: str) -> int:
    y = int(s)
    return y + 2000 if len(s) == 2 else y


def _stamp_date(m: re.Match[str]) -> _dt.date | None:
    def g(name: str) -> str | None:
        return _group(m, name)

    if g("iy"):
        return _safe_date(int(g("iy") or 0), int(g("im") or 0), int(g("id") or 0))
    if g("ny"):
        return _safe_date(int(g("ny") or 0), int(g("nm") or 0), int(g("nd") or 0))
    if g("dd"):
        day, month, year = int(g("dd") or 0), int(g("dm") or 0), _year(g("dy") or "0")
        # Indian order is DAY/MONTH; fall back to MONTH/DAY only when that is the sole valid reading.
        return _safe_date(year, month, day) or (_safe_date(year, day, month) if month > 12 else None)
    if g("td"):
        return _safe_date(int(g("ty") or 0), _months()[_norm_ws(g("tm") or "")], int(g("td") or 0))
    if g("um"):
        return _safe_date(int(g("uy") or 0), _months()[_norm_ws(g("um") or "")], int(g("ud") or 0))
    return None


def _stamp_datetime(m: re.Match[str]) -> _dt.datetime | None:
    day = _stamp_date(m)
    if day is None:
        return None
    hour = minute = second = 0
    if _group(m, "h") is not None:
        hour, minute, second = int(_group(m, "h") or 0), int(_group(m, "mi") or 0), int(_group(m, "s") or 0)
        ampm = (_group(m, "ampm") or "").replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    zone = _group(m, "z")
    tz: _dt.tzinfo = IST
    if zone in ("gmt", "utc", "z"):
        tz = _dt.UTC
    elif zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        try:
            tz = _dt.timezone(-offset if zone[0] == "-" else offset)
        except ValueError:
            return None
    try:
        return _dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


def _iter_stamps(
    keyed: _Keyed, pos: int = 0, *, anchored: bool = False
) -> Iterator[tuple[_dt.datetime, int, int]]:
    rx = _stamp_re()
    if anchored:
        m = rx.match(keyed.key, pos)
        if m:
            dt = _stamp_datetime(m)
            if dt is not None:
                yield dt, m.start(), m.end()
        return
    for m in rx.finditer(keyed.key, pos):
        dt = _stamp_datetime(m)
        if dt is not None:
            yield dt, m.start(), m.end()


def parse_timestamp(s: str) -> _dt.datetime | None:
    """Parse a site's publication stamp; always timezone-aware.

    Accepts "4 Jun 2021 3:57 PM IST", "10-May-2021 8:43 PM", "Updated on: …", "04/06/2021"
    (DAY/MONTH), "4 जून 2021", "जून 4, 2021", "दिनांक 4 जून, 2021", ISO 8601, RFC 2822. A string
    that says IST or gives no zone is IST; an explicit offset, Z, GMT or UTC is kept as given.
    Without a time the result is midnight. Returns None when no valid date is found.
    """
    for dt, _start, _end in _iter_stamps(_keyed(s)):
        return dt
    return None


@cache
def _label_re() -> re.Pattern[str]:
    stamps = _data()["stamps"]
    pub = _alternation(stamps["published"])
    upd = _alternation(stamps["updated"])
    return re.compile(
        rf"{_NB}(?:(?P<pub>{pub})|(?P<upd>{upd})){_NA}\s*(?:on|at)?\s*[:：|\-–—]*\s*",
    )


def _labelled_stamps(keyed: _Keyed) -> list[tuple[bool, _dt.datetime, int, int]]:
    """(is_published_label, dt, key_start, key_end) for every labelled stamp."""
    found = []
    for lab in _label_re().finditer(keyed.key):
        for dt, _s, end in _iter_stamps(keyed, lab.end(), anchored=True):
            found.append((lab.group("pub") is not None, dt, lab.start(), end))
    return found


def _bare_stamp_lines(keyed: _Keyed) -> list[tuple[_dt.datetime, int, int]]:
    """Lines that hold nothing but a date with a clock time ("4 Jun 2021 3:57 PM IST")."""
    found = []
    for line in re.finditer(r"[^\n]+", keyed.key):
        start = line.start() + len(line.group()) - len(line.group().lstrip())
        for dt, s, e in _iter_stamps(keyed, start, anchored=True):
            if (
                s == start
                and not keyed.key[e : line.end()].strip()
                and re.search(r"[0-9][:.][0-9]{2}", keyed.key[s:e])
            ):
                found.append((dt, s, e))
    return found


def find_timestamp(text: str) -> tuple[_dt.datetime, int, int] | None:
    """A publication stamp inside article text -> (datetime, start, end), label included in the span.

    Labelled stamps ("Created On : …", "Published: …", "प्रकाशित: …") win over "Updated on: …";
    the first of each kind counts. Failing both, a line holding only a date and a clock time is
    taken. Offsets index `text`.
    """
    keyed = _keyed(text)
    labelled = _labelled_stamps(keyed)
    for want_pub in (True, False):
        for is_pub, dt, s, e in labelled:
            if is_pub == want_pub:
                return (dt, *keyed.span(s, e))
    for dt, s, e in _bare_stamp_lines(keyed):
        return (dt, *keyed.span(s, e))
    return None


def _stamp_key_spans(keyed: _Keyed) -> list[tuple[int, int]]:
    spans = [(s, e) for _p, _dt_, s, e in _labelled_stamps(keyed)]
    spans += [(s, e) for _dt_, s, e in _bare_stamp_lines(keyed)]
    return spans


# ---------------------------------------------------------------------------------------------
# Tense


@cache
def _tense_sets() -> dict[str, frozenset[str]]:
    t = _data()["tense"]
    return {k: frozenset(fold(w) for w in t[k]) for k in t if k not in ("future_endings", "future_phrases")}


@cache
def _future_endings() -> tuple[str, ...]:
    return tuple(sorted({fold(e) for e in _data()["tense"]["future_endings"]}, key=len, reverse=True))


@cache
def _future_phrase_re() -> re.Pattern[str]:
    return re.compile(_NB + _alternation(_data()["tense"]["future_phrases"]) + _NA)


def _word_class(word: str) -> str | None:
    sets = _tense_sets()
    if word in sets["future_not"]:
        return None
    if word in sets["future"] or (len(word) > 3 and word.endswith(_future_endings())):
        return "future"
    for name in ("past_aux", "progressive", "present", "past", "aux"):
        if word in sets[name]:
            return name
    return None


_TOKEN = re.compile(r"[\u0900-\u0963\u0971-\u097f]+|[a-z]+|[0-9]+")


def _verb_groups(key: str) -> list[list[str]]:
    """Runs of adjacent verb/auxiliary words (separated by spaces only), each as its classes."""
    groups: list[list[str]] = []
    current: list[str] = []
    last_end = -1
    for tok in _TOKEN.finditer(key):
        cls = _word_class(tok.group())
        adjacent = last_end >= 0 and not key[last_end : tok.start()].strip()
        if cls is None:
            if current:
                groups.append(current)
            current = []
            last_end = -1
            continue
        if current and not adjacent:
            groups.append(current)
            current = []
        if current or cls != "aux":
            current.append(cls)
        last_end = tok.end()
    if current:
        groups.append(current)
    return [g for g in groups if any(c != "aux" for c in g)]


def _group_tense(classes: list[str]) -> Tense | None:
    has = set(classes)
    if "future" in has:
        return "future"
    if "past_aux" in has:
        return "past"
    if "progressive" in has and "present" in has:
        return "present"
    if "past" in has:
        return "past"  # also the present perfect "लगाए गए हैं": the event is done
    if "present" in has:
        return "present"
    if "progressive" in has:
        return "past"  # "डाउन रहा सर्वर", "करते रहे इंतजार"
    return None


def _tense_of_key(key: str) -> Tense | None:
    if _future_phrase_re().search(key):
        return "future"
    groups = _verb_groups(key)
    # Hindi is verb-final: the clause's last verb group is its main verb.
    for classes in reversed(groups):
        tense = _group_tense(classes)
        if tense is not None:
            return tense
    return None


def tense_of(clause: str) -> Tense | None:
    """Tense of a Hindi clause from its (clause-final) verb group, or None when no verb is found.

    past: perfective participles and auxiliaries (लगाए गए, हुआ, था, लगवाए, "रहा … था", रखा गया);
    future: …गा/…गी/…गे forms (जाएगा, जायेगा, होगा, लगेगी, लगाए जाएंगे), subjunctive जाएं and
    "… जाना है"/"होने वाला"; present: है/हैं with a progressive (लगाया जा रहा है) or alone.
    Cue words are in calendar.toml [tense].
    """
    return _tense_of_key(_keyed(clause).key)


# Clause and sentence boundaries inside the key.
_SENTENCE_END = re.compile(r"[।॥|!?\n]")
_CLAUSE_END = re.compile(
    r"[।॥|!?;,\n]|\.(?=\s)|(?<!\S)(?:जबकि|लेकिन|परंतु|किंतु|वहीं|और|तथा|एवं|व|कि)(?!\S)",
)


def _sentence_bounds(key: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(key, 0, pos):
        start = m.end()
    m2 = _SENTENCE_END.search(key, pos)
    return start, (m2.start() if m2 else len(key))


def _tense_at(key: str, start: int, end: int) -> Tense | None:
    """Tense governing a mention at key[start:end]: its own clause, then its sentence."""
    s_start, s_end = _sentence_bounds(key, start)
    s_end = max(s_end, end)
    clause_end = _CLAUSE_END.search(key, end, s_end)
    candidates = [
        key[start : clause_end.start() if clause_end else s_end],
        key[start:s_end],
        key[s_start:s_end],
    ]
    for cand in candidates:
        tense = _tense_of_key(cand)
        if tense is not None:
            return tense
    return None


# ---------------------------------------------------------------------------------------------
# Date mentions


@dataclass(frozen=True)
class DateMention:
    """A date expression in text. `date` is None when it cannot be resolved (precision "unresolved")."""

    start: int
    end: int
    text: str
    date: _dt.date | None
    precision: Precision
    kind: Kind


@dataclass
class _Atom:
    kind: str  # explicit | month | weekday | relative
    start: int  # key offsets
    end: int
    day: int = 0
    month: int = 0
    year: int | None = None
    weekday: int = -1
    direction: str | None = None  # weekday prefix: past | future | recurring
    rel_fixed: int | None = None
    rel_tensed: int | None = None
    list_member: bool = False  # "4" of "4 एवं 5 जून"


_ORD = r"(?:st|nd|rd|th)?"
_LIST_SEP = r"(?:,|-|–|—|एवं|एव|व|और|तथा|से|or|and|to)"


@cache
def _explicit_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    month = _alternation(_months())
    numeric = re.compile(
        r"(?<![0-9./:\-])(?:(?P<y>20[0-9]{2})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
        r"|(?P<dd>[0-9]{1,2})(?P<sep>[/.\-])(?P<dm>[0-9]{1,2})(?P=sep)(?P<dy>20[0-9]{2}|[0-9]{2}))"
        r"(?![0-9]|[/.\-][0-9])"
    )
    month_first = re.compile(
        rf"{_NB}(?P<m>{month}){_NA}\.?\s+(?P<d>[0-9]{{1,2}}){_ORD},?\s+(?P<y>(?:19|20)[0-9]{{2}})(?![0-9])"
    )
    day_month = re.compile(
        rf"(?P<pre>(?:(?<![0-9.:])(?<![0-9][/.])[0-9]{{1,2}}{_ORD}\s*{_LIST_SEP}\s*)*)"
        rf"(?<![0-9.:])(?<![0-9][/.])(?P<d>[0-9]{{1,2}}){_ORD}(?:\s*[-./]\s*|\s*)(?P<m>{month}){_NA}\.?"
        rf"(?:\s*[,\-/.]?\s*(?P<y>20[12][0-9])(?![0-9]))?"
    )
    month_year = re.compile(rf"{_NB}(?P<m>{month}){_NA}\.?\s*,?\s*(?P<y>(?:19|20)[0-9]{{2}})(?![0-9])")
    return numeric, month_first, day_month, month_year


@cache
def _weekday_re() -> re.Pattern[str]:
    p = _data()["weekday_prefixes"]
    return re.compile(
        rf"(?:{_NB}(?:(?P<past>{_alternation(p['past'])})|(?P<future>{_alternation(p['future'])})"
        rf"|(?P<rec>{_alternation(p['recurring'])}))\s+)?{_NB}(?P<w>{_alternation(_weekdays())}){_NA}"
    )


@cache
def _relative_re() -> re.Pattern[str]:
    rel = _data()["relative"]
    words = list(rel["fixed"]) + list(rel["tensed"])
    return re.compile(rf"{_NB}(?P<r>{_alternation(words)}){_NA}")


@cache
def _relative_not_before() -> dict[str, re.Pattern[str]]:
    return {
        fold(word): re.compile(r"[\s\-–]*" + _alternation(after))
        for word, after in _data()["relative"]["not_before"].items()
    }


def _overlaps(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < te and ts < e for ts, te in taken)


def _explicit_atoms(key: str) -> list[_Atom]:
    numeric, month_first, day_month, month_year = _explicit_res()
    atoms: list[_Atom] = []
    taken: list[tuple[int, int]] = []

    def add(atom: _Atom) -> None:
        atoms.append(atom)
        taken.append((atom.start, atom.end))

    for m in numeric.finditer(key):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, d = _year(m.group("dy")), int(m.group("dm")), int(m.group("dd"))
        if _safe_date(y, mo, d):
            add(_Atom("explicit", m.start(), m.end(), d, mo, y))
    for m in month_first.finditer(key):
        mo = _months()[_norm_ws(m.group("m"))]
        y, d = int(m.group("y")), int(m.group("d"))
        if _safe_date(y, mo, d) and not _overlaps(taken, m.start(), m.end()):
            add(_Atom("explicit", m.start(), m.end(), d, mo, y))
    for m in day_month.finditer(key):
        mo = _months()[_norm_ws(m.group("m"))]
        d = int(m.group("d"))
        year: int | None = int(m.group("y")) if m.group("y") else None
        if not 1 <= d <= 31 or _overlaps(taken, m.start("d"), m.end()):
            continue
        if year is not None and _safe_date(year, mo, d) is None:
            continue
        pre = [
            (int(n.group()), n.start() + m.start("pre"), n.end() + m.start("pre"))
            for n in re.finditer(r"[0-9]{1,2}", m.group("pre"))
        ]
        days = [n for n, _s, _e in pre] + [d]
        if pre and all(1 <= a < b <= 31 for a, b in itertools.pairwise(days)):
            for n, s, e in pre:
                add(_Atom("explicit", s, e, n, mo, year, list_member=True))
        add(_Atom("explicit", m.start("d"), m.end(), d, mo, year))
    for m in month_year.finditer(key):
        if not _overlaps(taken, m.start(), m.end()):
            add(_Atom("month", m.start(), m.end(), 1, _months()[_norm_ws(m.group("m"))], int(m.group("y"))))
    return atoms


def _other_atoms(key: str, taken: list[tuple[int, int]]) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _weekday_re().finditer(key):
        if _overlaps(taken, m.start(), m.end()):
            continue
        direction = (
            "past"
            if m.group("past")
            else "future"
            if m.group("future")
            else "recurring"
            if m.group("rec")
            else None
        )
        atoms.append(
            _Atom(
                "weekday",
                m.start(),
                m.end(),
                weekday=_weekdays()[_norm_ws(m.group("w"))],
                direction=direction,
            )
        )
    fixed = _fold_map("relative", "fixed")
    tensed = _fold_map("relative", "tensed")
    blockers = _relative_not_before()
    skip_until = -1
    for m in _relative_re().finditer(key):
        word = _norm_ws(m.group("r"))
        if m.start() < skip_until or _overlaps(taken, m.start(), m.end()):
            continue
        block = blockers.get(word)
        if block is not None:
            bm = block.match(key, m.end())
            if bm:
                skip_until = bm.end()
                continue
        atoms.append(
            _Atom("relative", m.start(), m.end(), rel_fixed=fixed.get(word), rel_tensed=tensed.get(word))
        )
    return atoms


@cache
def _glue_re() -> re.Pattern[str]:
    glue = _alternation(_data()["glue"]["words"])
    sep = r"(?:[^\S\n]|[,:()\[\]–—\-])*"
    return re.compile(rf"{sep}(?:{glue}{sep})?")


def _group_atoms(key: str, atoms: list[_Atom]) -> list[list[_Atom]]:
    """Merge adjacent atoms of different kinds: "कल गुरुवार", "गुरुवार (3 जून)", "आज यानी 4 जून"."""
    groups: list[list[_Atom]] = []
    glue = _glue_re()
    for atom in sorted(atoms, key=lambda a: a.start):
        if groups:
            last = groups[-1]
            gap = key[last[-1].end : atom.start]
            kinds = {a.kind for a in last}
            mergeable = (
                atom.kind != "month"
                and "month" not in kinds
                and atom.kind not in kinds
                and not atom.list_member
                and glue.fullmatch(gap) is not None
            )
            if mergeable:
                last.append(atom)
                continue
        groups.append([atom])
    return groups


def _nearest(cands: Iterable[_dt.date], pub: _dt.date, tense: Tense | None) -> _dt.date | None:
    """Pick among candidate dates: past -> latest on/before pub; future -> earliest on/after;
    present/unknown -> nearest either way (ties go to the earlier date)."""
    cs = list(cands)
    if tense == "past":
        before = [c for c in cs if c <= pub]
        return max(before) if before else None
    if tense == "future":
        after = [c for c in cs if c >= pub]
        return min(after) if after else None
    return min(cs, key=lambda c: (abs((c - pub).days), c)) if cs else None


def _relative_candidates(
    atom: _Atom, pub: _dt.date, tense: Tense | None
) -> tuple[list[_dt.date], _dt.date | None]:
    """(all plausible dates, the date chosen from tense alone)."""
    if atom.rel_fixed is not None:
        d = _shift(pub, atom.rel_fixed)
        return ([d] if d else []), d
    n = atom.rel_tensed or 0
    both = [d for d in (_shift(pub, -n), _shift(pub, n)) if d]
    if tense == "past":
        return both, _shift(pub, -n)
    if tense in ("future", "present"):  # "कल … हो रहा है" is tomorrow
        return both, _shift(pub, n)
    return both, None


def _resolve_group(group: list[_Atom], pub: _dt.date | None, tense_fn: Any) -> tuple[_dt.date | None, Kind]:
    by_kind = {a.kind: a for a in group}
    exp, wd, rel, mon = (
        by_kind.get("explicit"),
        by_kind.get("weekday"),
        by_kind.get("relative"),
        by_kind.get("month"),
    )
    if mon is not None:
        return _safe_date(mon.year or 0, mon.month, 1), "explicit"
    if exp is not None:
        return _resolve_explicit(exp, wd, rel, pub, tense_fn), "explicit"
    if rel is not None:
        if pub is None:
            return None, "relative"
        tense = tense_fn()
        cands, chosen = _relative_candidates(rel, pub, tense)
        if wd is not None:
            agree = [c for c in cands if c.weekday() == wd.weekday]
            if len(agree) == 1:
                return agree[0], "relative"
            if not agree:  # the words disagree: the weekday is the more specific one
                return _resolve_weekday_atom(wd, pub, tense), "relative"
        return chosen, "relative"
    if wd is not None:
        if pub is None:
            return None, "weekday"
        return _resolve_weekday_atom(wd, pub, tense_fn()), "weekday"
    return None, "explicit"


def _resolve_weekday_atom(wd: _Atom, pub: _dt.date, tense: Tense | None) -> _dt.date | None:
    if wd.direction == "recurring":
        return None
    future = wd.direction == "future" or (wd.direction is None and tense == "future")
    return _resolve_weekday_safe(wd.weekday, pub, future)


def _resolve_explicit(
    exp: _Atom, wd: _Atom | None, rel: _Atom | None, pub: _dt.date | None, tense_fn: Any
) -> _dt.date | None:
    if exp.year is not None:
        return _safe_date(exp.year, exp.month, exp.day)
    years = (pub.year - 1, pub.year, pub.year + 1) if pub else _DEFAULT_YEARS
    cands = [d for y in years if (d := _safe_date(y, exp.month, exp.day))]
    if wd is not None:
        agree = [c for c in cands if c.weekday() == wd.weekday]
        if len(agree) == 1:
            return agree[0]  # the year where day, month and weekday agree, whatever the tense
        if agree:
            cands = agree
    if pub is None:
        return None
    if rel is not None:
        rel_cands, _ = _relative_candidates(rel, pub, None)
        agree = [c for c in cands if c in rel_cands]
        if agree:
            return agree[0]
    return _nearest(cands, pub, tense_fn())


def _find_dates_keyed(keyed: _Keyed, pub: _dt.date | None) -> list[tuple[DateMention, list[_Atom]]]:
    key = keyed.key
    explicit = _explicit_atoms(key)
    atoms = explicit + _other_atoms(key, [(a.start, a.end) for a in explicit])
    out: list[tuple[DateMention, list[_Atom]]] = []
    for group in _group_atoms(key, atoms):
        kstart, kend = group[0].start, group[-1].end
        gap = key[group[0].start : kend]
        if gap.count("(") > gap.count(")") and key[kend : kend + 1] == ")":
            kend += 1

        def tense_fn(ks: int = kstart, ke: int = kend) -> Tense | None:
            return _tense_at(key, ks, ke)

        day, kind = _resolve_group(group, pub, tense_fn)
        precision: Precision = "unresolved" if day is None else "month" if group[0].kind == "month" else "day"
        start, end = keyed.span(kstart, kend)
        out.append((DateMention(start, end, keyed.text[start:end], day, precision, kind), group))
    return out


def find_dates(text: str, published: _dt.datetime | None = None) -> list[DateMention]:
    """All date expressions in `text`, in order, resolved against the publication date.

    Explicit dates ("3 जून", "3 जून 2021", "दिनांक 3 जून, 2021", glued "3जून", "03/06/2021",
    "जून 4, 2021", "जून 2021" with month precision); "4 एवं 5 जून" and "1 से 3 जून" give one
    mention per day. Weekdays (with optional गत/आगामी/हर before them), relative words (आज, कल,
    परसों, बीते दिन, गत दिवस, बीते रोज). Adjacent parts form one mention: "आज यानी 4 जून",
    "गुरुवार (3 जून)", "कल गुरुवार".

    Resolution: weekday/relative need `published`. कल/परसों take their sign from the tense of
    their clause (`tense_of`; present counts as future: "कल … हो रहा है"; no verb -> unresolved).
    Day+month without a year: the agreeing year when a weekday is attached (2021/2022 without a
    publication date), else the year nearest to publication on/before it (past), on/after
    (future) or either side (unknown tense); without a publication date -> unresolved.
    """
    return [m for m, _g in _find_dates_keyed(_keyed(text), _pub_date(published))]


# ---------------------------------------------------------------------------------------------
# Event date


# A dateline sits near the top (after at most a few headline lines).
_DATELINE_WINDOW = 1000
_DATELINE_LEAD = re.compile(
    r"[^\S\n]*(?:[^\s0-9।॥|,/:\-–—]+[^\S\n]*){1,4}[,/:\-–—]?[^\S\n]*(?:(?:दिनांक|दि\.)[^\S\n]*[:\-]?[^\S\n]*)?"
)
_DATELINE_END = re.compile(
    r"[^\S\n]*[,]?[^\S\n]*(?:\([^()\n]{1,20}\)[^\S\n]*)?(?:[।॥|/:\-–—]|\n)"
)  # "करनाल, 29 जुलाई (निस)"


def _year_from_weekday(found: list[tuple[DateMention, list[_Atom]]], dl_index: int) -> _dt.date | None:
    atom = found[dl_index][1][0]
    weekdays = {g[0].weekday for i, (_m, g) in enumerate(found) if i != dl_index and g[0].kind == "weekday"}
    if not weekdays or not atom.day or not atom.month:
        return None
    for year in _YEARS_WITHOUT_STAMP:
        try:
            day = _dt.date(year, atom.month, atom.day)
        except ValueError:
            continue
        if day.weekday() in weekdays or (day - _dt.timedelta(days=1)).weekday() in weekdays:
            return day
    return None


# Vaccination reports of interest are from 2021 and 2022 (the drives); a dateline day without a year is
# placed in the first of these whose calendar agrees with the report's weekday.
_YEARS_WITHOUT_STAMP = (2021, 2022)


def _dateline_mention(key: str, found: list[tuple[DateMention, list[_Atom]]]) -> int | None:
    """Index in `found` of a dateline date: "जगदलपुर, 10 मई।", "भोपाल/4 जून, 2021/"."""
    for i, (_m, group) in enumerate(found):
        atom = group[0]
        line_start = key.rfind("\n", 0, atom.start) + 1
        if line_start > _DATELINE_WINDOW:
            break
        if atom.kind != "explicit" or atom.list_member or len(group) != 1:
            continue
        if any(line_start <= g[0].start < atom.start for _m2, g in found):
            continue  # "गुरुवार को 3 जून।" is a sentence, not a dateline
        lead = _DATELINE_LEAD.fullmatch(key, line_start, atom.start)
        if lead is not None and _DATELINE_END.match(key, atom.end):
            return i
    return None


def _is_anchor(key: str, group: list[_Atom]) -> bool:
    """An explicit date followed by तक (deadline) or by से (since) in a non-future clause."""
    atom = group[-1]
    if atom.kind != "explicit" or group[0].list_member:
        return False
    after = key[group[-1].end : group[-1].end + 40].lstrip(" ,")
    m = re.match(r"[^\s।,]+", after)
    word = m.group() if m else ""
    if word in _fold_set("event", "deadline_after"):
        return True
    if word in _fold_set("event", "since_after"):
        return _tense_at(key, group[0].start, group[-1].end) != "future"
    return False


def _has_cue(sentence: str) -> bool:
    return any(c in sentence for c in _fold_set("event", "cues"))


def event_date(
    text: str, published: _dt.datetime | None, *, title: str | None = None
) -> tuple[_dt.date | None, Literal["day", "unresolved"]]:
    """The day the reported vaccination happened (article level).

    Deterministic tiers, first hit wins (mentions inside "Created On"/"Updated on" stamps, the
    dateline's own date, unresolved and month-only mentions, and anchors such as "30 जून तक" or
    "16 जनवरी से शुरू हुए" are skipped in tiers 1-3):

    1. the first resolved date in the first body sentence (in reading order) that names the drive
       (टीका, वैक्सीन, केंद्र, सर्वर … see calendar.toml [event]); a multi-day drive "4 एवं 5 जून"
       gives its first day; a planned drive its planned day (future tense);
    2. the title (`title`, whose copies in `text` are not body) when it names the drive;
    3. the first resolved date in the first two body sentences;
    4. the dateline date ("जगदलपुर, 10 मई।", "भोपाल/4 जून, 2021/");
    5. the publication day when `published` is known ("day"); else (None, "unresolved").

    Without `published`, a dateline date with a year serves as the reference for weekdays and कल.
    """
    keyed = _keyed(text)
    key = keyed.key
    pub = _pub_date(published)
    found = _find_dates_keyed(keyed, pub)
    dl_index = _dateline_mention(key, found)
    dateline = found[dl_index][0].date if dl_index is not None else None
    if pub is None and dl_index is not None and found[dl_index][1][0].year is not None and dateline:
        found = _find_dates_keyed(keyed, dateline)
    elif pub is None and dl_index is not None and dateline is None:
        # "हजारीबाग, 24 जून। जिले में गुरुवार को …": no year anywhere, but the dateline day and the body's
        # weekday agree in one year only (the report's day, or the day after it).
        dateline = _year_from_weekday(found, dl_index)
        if dateline is not None:
            found = _find_dates_keyed(keyed, dateline)
    stamps = _stamp_key_spans(keyed)
    title_key = _norm_ws(fold(title)) if title else None

    def is_title_line(pos: int) -> bool:
        if not title_key:
            return False
        ls = key.rfind("\n", 0, pos) + 1
        le = key.find("\n", pos)
        return _norm_ws(key[ls : le if le >= 0 else len(key)]) == title_key

    usable: list[tuple[int, int, _dt.date]] = []  # (key_start, key_end, date)
    for i, (mention, group) in enumerate(found):
        s, e = group[0].start, group[-1].end
        if i == dl_index or mention.date is None or mention.precision != "day":
            continue
        if _overlaps(stamps, s, e) or is_title_line(s) or _is_anchor(key, group):
            continue
        usable.append((s, e, mention.date))

    sentences = _body_sentences(key, is_title_line)
    for s_start, s_end in sentences:
        if _has_cue(key[s_start:s_end]):
            # "मंगलवार के स्लॉट सोमवार रात खोले गए": a date used as a modifier (के/की/का) is not the event's
            hits = [(d, _GENITIVE.match(key, e) is not None) for s, e, d in usable if s_start <= s < s_end]
            hit = next((d for d, genitive in hits if not genitive), hits[0][0] if hits else None)
            if hit is not None:
                return hit, "day"
    if title:
        t_keyed = _keyed(title)
        if _has_cue(t_keyed.key):
            for mention, group in _find_dates_keyed(t_keyed, pub or dateline):
                if mention.date and mention.precision == "day" and not _is_anchor(t_keyed.key, group):
                    return mention.date, "day"
    for s_start, s_end in sentences[:2]:
        hit = next((d for s, _e, d in usable if s_start <= s < s_end), None)
        if hit is not None:
            return hit, "day"
    if dateline is not None:
        return dateline, "day"
    if pub is not None:
        return pub, "day"
    return None, "unresolved"


_GENITIVE = re.compile(r"[^\S\n]+(?:के|की|का)(?![^\W\d_]|[\u0900-\u0963])")


def _body_sentences(key: str, is_title_line: Any) -> list[tuple[int, int]]:
    """Key spans of non-empty sentences outside title lines."""
    spans = []
    start = 0
    for m in [*_SENTENCE_END.finditer(key), None]:
        end = m.start() if m else len(key)
        chunk = key[start:end]
        if chunk.strip() and not is_title_line(start + len(chunk) - len(chunk.lstrip())):
            spans.append((start, end))
        start = m.end() if m else len(key)
    return spans


# ---------------------------------------------------------------------------------------------
# URLs

_URL_YMD = re.compile(r"/(?P<y>(?:19|20)[0-9]{2})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?=/|$)")
_URL_DMY = re.compile(r"/(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>(?:19|20)[0-9]{2})(?=/|$)")
_URL_ISO = re.compile(r"/(?P<y>(?:19|20)[0-9]{2})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?=/|$)")
_URL_YM = re.compile(r"/(?P<y>(?:19|20)[0-9]{2})/(?P<m>[0-9]{1,2})(?=/|$)")


def date_from_url(url: str) -> tuple[_dt.date | None, Literal["day", "month", "unresolved"]]:
    """Publication date from a URL path.

    ``/YYYY/MM/DD/``, ``/DD/MM/YYYY/`` and ``/YYYY-MM-DD/`` -> day; ``/YYYY/MM/`` -> month (first
    of the month). Only whole path segments count, so a ``_NN`` or ``-NN`` slug suffix is no day.
    Upload and listing paths (/wp-content/uploads/, /archive, /page/ …) -> no date.
    """
    path = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://[^/]*", "", url).split("?", 1)[0].split("#", 1)[0]
    low = path.lower()
    if any(marker in low for marker in _data()["urls"]["no_date_markers"]):
        return None, "unresolved"
    for rx in (_URL_YMD, _URL_DMY, _URL_ISO):
        for m in rx.finditer(path):
            d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if d is not None:
                return d, "day"
    for m in _URL_YM.finditer(path):
        d = _safe_date(int(m.group("y")), int(m.group("m")), 1)
        if d is not None:
            return d, "month"
    return None, "unresolved"


# ---------------------------------------------------------------------------------------------
# Durations


# A century: no stated outage or wait is longer, and the minutes stay a small, storable int.
_MAX_MINUTES = 100 * 366 * 24 * 60


@dataclass(frozen=True)
class Duration:
    """A stated length of time, in minutes; offsets index the input string."""

    minutes: int
    qualifier: Qualifier
    start: int
    end: int
    text: str


@cache
def _duration_re() -> re.Pattern[str]:
    d = _data()["durations"]
    q = d["qualifiers"]
    num_word = _alternation(d["numbers"])
    digits = r"[0-9]+(?:\.[0-9]+)?"
    modifier = _alternation(d["modifiers"])
    fraction = _alternation(d["fractions"])
    number = (
        rf"(?:(?<![0-9.:/]){digits}(?![0-9])|{_NB}{modifier}\s+(?:{digits}|{num_word}){_NA}"
        rf"|{_NB}{fraction}{_NA}|{_NB}{num_word}{_NA})"
    )
    unit = _alternation(d["units"])
    joiner = _alternation(q["range_joiners"])
    before = (
        rf"(?:{_NB}(?:(?P<approx>{_alternation(q['approx_before'])})"
        rf"|(?P<least_b>{_alternation(q['at_least_before'])})"
        rf"|(?P<most_b>{_alternation(q['at_most_before'])})){_NA}[\s\-]+)?"
    )
    after = (
        rf"(?:\s*(?P<least_a>{_alternation(q['at_least_after'])}){_NA}"
        rf"|\s*(?P<most_a>{_alternation(q['at_most_after'])}){_NA})?"
        rf"(?:\s*(?P<neutral>{_alternation(q['neutral_after'])}){_NA})?"
    )
    extra = rf"(?:\s*(?:और|व|,)?\s*(?P<n3>{number})\s*(?P<u3>{_alternation(['मिनट', 'मिनटों', 'minutes', 'mins'])}){_NA})?"
    return re.compile(
        rf"{before}(?P<n1>{number})(?:\s*{joiner}\s*(?P<n2>{number}))?\s*(?P<u>{unit}){_NA}{extra}{after}"
    )


def _number_value(phrase: str) -> float | None:
    d = _data()["durations"]
    p = _norm_ws(phrase)
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", p):
        return float(p)
    words = _fold_map("durations", "numbers")
    if p in words:
        return float(words[p])
    fractions = _fold_map("durations", "fractions")
    if p in fractions:
        return float(fractions[p])
    parts = p.split(" ")
    if len(parts) == 2:
        mods = {fold(k): v for k, v in d["modifiers"].items()}
        base = _number_value(parts[1])
        if parts[0] in mods and base is not None:
            return base + float(mods[parts[0]])
    return None


def find_durations(text: str) -> list[Duration]:
    """Durations: "1 घंटे", "एक घंटे तक", "करीब 1 घंटे तक", "आधे घंटे", "डेढ़ घंटे", "साढ़े तीन घंटे",
    "30 मिनट", "1 घंटा 30 मिनट", "दो दिनों" (2880), ranges "2-3 घंटे" (lower bound, approx).

    Qualifier: करीब/लगभग… -> approx; "से ज्यादा/अधिक", "कम से कम" -> at_least; "से कम",
    "अधिकतम" -> at_most (a qualifier after the number wins over one before it). A trailing
    "तक" is kept in the span but does not make the duration at_most.
    """
    keyed = _keyed(text)
    units = _fold_map("durations", "units")
    out: list[Duration] = []
    for m in _duration_re().finditer(keyed.key):
        value = _number_value(m.group("n1"))
        unit = units.get(_norm_ws(m.group("u")))
        if value is None or unit is None:
            continue
        minutes = value * unit
        if not minutes <= _MAX_MINUTES:  # "999…9 घंटे" (inf once read as a float) states no duration
            continue
        kend = m.end()
        if m.group("n3") and unit == 60:
            minutes += _number_value(m.group("n3")) or 0
        elif m.group("n3"):  # "2 दिन 30 मिनट": keep the first part only
            kend = m.end("u")
        qualifier: Qualifier = "exact"
        if m.group("approx") or m.group("n2"):
            qualifier = "approx"
        if m.group("least_b"):
            qualifier = "at_least"
        if m.group("most_b"):
            qualifier = "at_most"
        if m.group("least_a") and kend == m.end():
            qualifier = "at_least"
        if m.group("most_a") and kend == m.end():
            qualifier = "at_most"
        start, end = keyed.span(m.start(), kend)
        out.append(Duration(round(minutes), qualifier, start, end, text[start:end]))
    return out


def parse_duration(phrase: str) -> int | None:
    """Minutes of the first duration in `phrase` ("डेढ़ घंटे" -> 90), else None."""
    found = find_durations(phrase)
    return found[0].minutes if found else None


# ---------------------------------------------------------------------------------------------
# Times of day


@cache
def _time_of_day_re() -> tuple[re.Pattern[str], dict[str, TimeOfDay], frozenset[str], re.Pattern[str]]:
    tod = _data()["times_of_day"]
    labels: dict[str, TimeOfDay] = {fold(w): label for label, words in tod.items() for w in words}
    ctx = _data()["times_of_day_context"]
    rx = re.compile(rf"{_NB}(?P<w>{_alternation(labels)}){_NA}")
    after = re.compile(rf"\s*(?:[0-9]|{_alternation(ctx['after'])}{_NA})")
    return rx, labels, frozenset(fold(w) for w in ctx["required"]), after


def times_of_day(text: str) -> list[tuple[TimeOfDay, int, int]]:
    """(label, start, end) for each time-of-day word; the word decides, never the clock.

    सुबह/प्रातः/सवेरे -> morning, दोपहर -> afternoon, शाम/सायं/संध्या -> evening, रात/रात्रि -> night.
    संध्या is also a given name, so it counts only before को/में/समय/बजे/a number.
    """
    keyed = _keyed(text)
    rx, labels, needs_context, after = _time_of_day_re()
    out: list[tuple[TimeOfDay, int, int]] = []
    for m in rx.finditer(keyed.key):
        word = _norm_ws(m.group("w"))
        if word in needs_context and not after.match(keyed.key, m.end()):
            continue
        start, end = keyed.span(m.start(), m.end())
        out.append((labels[word], start, end))
    return out
