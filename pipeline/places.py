"""District gazetteer and place detection for Hindi (and Latin) news text.

The gazetteer maps every spelling of a place that Hindi reports use (district names and their old names,
LGD spellings, HQ and tehsil towns, blocks, nicknames, states and their abbreviations) onto the district as
the official covid19india data spells it (`shared/official`), so that extracted facts can be joined with the
official figures. All names live in `pipeline/data/{districts,places,states}.csv`; this module only indexes
them.

Matching works on word tokens, each reduced to its `pipeline.text.fold` key (nukta, केन्द्र/केंद्र and
chandrabindu variants compare equal). A second, *loose* key also merges the vowel-length, sibilant and
ण/न swaps that Hindi spellings of place names often show (सिवनी/सिवनि, बालासोर/बालाशोर); a loose key is used
only when it points to a single place and the exact key does not exist.

A few names are ordinary words as well (गया "went", कोटा "quota", पन्ना "page", धार "edge"). The data
marks them `context_only`: in running text they count only next to a place cue (जिले, जनपद, तहसील …) or
next to another place mention ("सागर, दमोह, पन्ना और छतरपुर").

Some names belong to districts of two states (Bilaspur CG/HP, Aurangabad BR/MH, रायगढ़ CG/MH). `find_all`
resolves them by the states that the rest of the text points to; without such evidence, and in `lookup`
without a `state`, the state with the lower `priority` in `states.csv` wins (Hindi-belt states first).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

MentionKind = Literal["district", "town", "block", "nickname", "state", "country"]

# Word characters: Devanagari letters, matras, virama, nukta and digits (not danda ।॥ or the
# abbreviation sign ॰), Latin letters, ASCII digits, and the joiners that sit inside Hindi words.
_WORD = re.compile("[\u0900-\u0963\u0966-\u096f\u0971-\u097fA-Za-z0-9\u200c\u200d]+")
_LATIN = re.compile("[A-Za-z]")
# What may stand between two tokens of one multi-word name: spaces, hyphens, the dots of "म.प्र.".
_JOINABLE_GAP = re.compile(r"[ \t\u00a0\-–.&]{0,3}")


def _joinable(text: str, start: int, end: int) -> bool:
    """Whether the gap `text[start:end]` may sit inside a name; the usual one space needs no regex."""
    if end - start == 1 and text[start] == " ":
        return True
    return _JOINABLE_GAP.fullmatch(text, start, end) is not None


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Grammar around place names (a handful of function words, not a lexicon): cue words that make a
# `context_only` name a place ("गया जिले", "जिला पन्ना"), and the words that `lookup` strips.
_POST_CUES = _folded("जिले जिला जिलें जनपद शहर नगर कस्बे कस्बा तहसील ब्लॉक विकासखंड संभाग कलेक्टर मुख्यालय")
_PRE_CUES = _folded("जिला जनपद ग्राम तहसील कस्बा कस्बे विकासखंड ब्लॉक")
_STRIP_WORDS = _folded("जिला जिले जनपद district राज्य state")
# Between two names of a list: "सागर, दमोह, पन्ना और छतरपुर".
_LIST_GAP = re.compile(r"\s*(?:,|/|और|व|एवं|तथा|,\s*(?:और|व|एवं|तथा))\s*")

_KIND_RANK = {"district": 0, "state": 1, "town": 2, "block": 3, "nickname": 4, "country": 5}
_PLACE_KINDS: dict[str, MentionKind] = {
    "hq_town": "town",
    "town": "town",
    "block": "block",
    "nickname": "nickname",
}


@dataclass(frozen=True)
class District:
    name: str  # covid19india spelling ("Jabalpur")
    state: str  # "Madhya Pradesh"
    state_code: str  # "MP"
    hindi: str  # "जबलपुर"


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    district: District | None
    state: str | None
    kind: MentionKind


@dataclass(frozen=True)
class Dateline:
    place: str
    start: int
    end: int
    date_text: str | None


@dataclass(frozen=True)
class _Entry:
    """One meaning of one name key."""

    kind: MentionKind
    district: District | None
    state: str | None
    priority: int
    context_only: bool


@dataclass(frozen=True)
class _State:
    name: str
    code: str
    kind: str  # state | ut | country
    hindi: str
    capitals: tuple[str, ...]
    priority: int


@dataclass(frozen=True)
class _Candidate:
    first: int  # token index
    last: int  # token index after the match
    entries: tuple[_Entry, ...]


# Loose key: merge the spelling swaps that place names show in Hindi print.
_LOOSE_TABLE = str.maketrans(
    {
        "ी": "ि",
        "ई": "इ",
        "ू": "ु",
        "ऊ": "उ",
        "ष": "स",
        "श": "स",
        "ण": "न",
        "ै": "े",
        "ौ": "ो",
        "ऐ": "ए",
        "औ": "ओ",
        "ॉ": "ा",
        "ं": None,
    }
)
_DOUBLE_LATIN = re.compile(r"([a-z])\1+")


@functools.lru_cache(maxsize=65536)
def _loose(token: str) -> str:
    """Loose matching key of an already folded token."""
    if _LATIN.match(token):
        return _DOUBLE_LATIN.sub(r"\1", token.replace("ee", "i").replace("oo", "u"))
    return token.translate(_LOOSE_TABLE)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _same_phrase(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two adjacent tokens separated by blanks only (no danda, comma or line break)."""
    return not text[left.end() : right.start()].strip(" \t\u00a0")


@functools.lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    """`fold` of one word, cached: running text repeats its words a lot."""
    return fold(token)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _name_keys(name: str) -> list[tuple[str, ...]]:
    """Token keys under which a name is indexed: as written, and with its words run together."""
    toks = tuple(fold(m.group()) for m in _WORD.finditer(name))
    if not toks:
        return []
    keys = [toks]
    if len(toks) > 1:
        keys.append(("".join(toks),))
    return keys


def _is_latin(key: tuple[str, ...]) -> bool:
    return all(_LATIN.match(t) for t in key)


class Gazetteer:
    """All place names, indexed once. Use `Gazetteer.load()`; it is cached."""

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}
        self._state_keys: dict[tuple[str, ...], str] = {}
        self._districts: list[District] = []
        self._by_state: dict[str, list[District]] = defaultdict(list)
        self._district_by_name: dict[tuple[str, str], District] = {}
        self._exact: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        self._loose: dict[tuple[str, ...], list[_Entry]] = {}
        # Loose keys that running text may use: district names only, never a context-only word.
        self._scan_loose: dict[tuple[str, ...], list[_Entry]] = {}
        self._first_exact: set[str] = set()
        self._first_loose: set[str] = set()
        self._max_tokens = 1

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer built from the CSVs in `pipeline/data` (read once per process)."""
        return _load_gazetteer()

    @classmethod
    def _build(cls) -> Gazetteer:
        gz = cls()
        gz._load_states(_read_csv("states.csv"))
        gz._load_districts(_read_csv("districts.csv"))
        gz._load_places(_read_csv("places.csv"))
        gz._build_loose()
        return gz

    def _add(self, name: str, entry: _Entry) -> None:
        for key in _name_keys(name):
            if entry not in self._exact[key]:
                self._exact[key].append(entry)
                self._max_tokens = max(self._max_tokens, len(key))

    def _load_states(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            st = _State(
                name=r["state"],
                code=r["state_code"],
                kind=r["kind"],
                hindi=r["hindi"],
                capitals=tuple(_split(r["capital"])),
                priority=int(r["priority"]),
            )
            self._states[st.name] = st
            is_country = st.kind == "country"
            entry = _Entry(
                kind="country" if is_country else "state",
                district=None,
                state=None if is_country else st.name,
                priority=st.priority,
                context_only=False,
            )
            names = [st.name, st.hindi, *_split(r["aliases"])]
            for name in names:
                self._add(name, entry)
            if not is_country:
                for name in [*names, st.code]:
                    for key in _name_keys(name):
                        self._state_keys.setdefault(key, st.name)

    def _load_districts(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            d = District(name=r["district"], state=r["state"], state_code=r["state_code"], hindi=r["hindi"])
            self._districts.append(d)
            self._by_state[d.state].append(d)
            self._district_by_name[(d.state_code, d.name)] = d
            context = {fold(n) for n in _split(r["context_only"])}
            priority = self._states[d.state].priority
            for name in [d.name, d.hindi, *_split(r["aliases"])]:
                if name:
                    self._add(name, _Entry("district", d, d.state, priority, fold(name) in context))

    def _load_places(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            d = self._district_by_name[(r["state_code"], r["district"])]
            kind = _PLACE_KINDS[r["kind"]]
            priority = self._states[d.state].priority
            self._add(r["place"], _Entry(kind, d, d.state, priority, r["context_only"] == "1"))

    def _build_loose(self) -> None:
        loose: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        for key, entries in self._exact.items():
            lkey = tuple(_loose(t) for t in key)
            if len("".join(lkey)) < 4:
                continue
            for e in entries:
                if e not in loose[lkey]:
                    loose[lkey].append(e)
        for lkey, entries in loose.items():
            targets = {(e.district, e.state, e.kind == "country") for e in entries}
            if len(targets) == 1 and lkey not in self._exact:
                self._loose[lkey] = entries
                scan = [e for e in entries if e.kind == "district" and not e.context_only]
                if scan and len("".join(lkey)) >= 5:
                    self._scan_loose[lkey] = scan
        self._first_exact = {key[0] for key in self._exact}
        self._first_loose = {key[0] for key in self._scan_loose}

    # ------------------------------------------------------------------ lookups
    def _entries_for(self, key: tuple[str, ...]) -> list[_Entry]:
        found = self._exact.get(key)
        if found:
            return found
        return self._loose.get(tuple(_loose(t) for t in key), [])

    def _choose(self, entries: Sequence[_Entry], hints: Counter[str] | None = None) -> _Entry:
        """Pick one meaning: the state the text points to, else the state priority, else the kind."""

        def rank(e: _Entry) -> tuple[int, int, int]:
            hint = hints[e.state] if hints is not None and e.state else 0
            return (-hint, e.priority, _KIND_RANK[e.kind])

        return min(entries, key=rank)

    def lookup(self, name: str, state: str | None = None) -> District | None:
        """District for a Hindi or English name, alias, town or nickname ("जबलपुर जिला" works too).

        `state` (any spelling) restricts the answer to that state; without it a name shared by
        districts of two states goes to the state with the lower priority in `states.csv`.
        """
        toks = [fold(m.group()) for m in _WORD.finditer(name)]
        while len(toks) > 1 and toks[-1] in _STRIP_WORDS:
            toks.pop()
        while len(toks) > 1 and toks[0] in _STRIP_WORDS:
            toks.pop(0)
        if not toks:
            return None
        entries = [e for e in self._entries_for(tuple(toks)) if e.district is not None]
        if not entries and len(toks) > 1:
            entries = [e for e in self._entries_for(("".join(toks),)) if e.district is not None]
        if state is not None:
            wanted = self.lookup_state(state)
            entries = [e for e in entries if e.state == wanted]
        if not entries:
            return None
        return self._choose(entries).district

    def lookup_state(self, name: str) -> str | None:
        """Official state name for "मध्यप्रदेश", "मप्र", "म.प्र.", "MP", "Madhya Pradesh" …"""
        toks = [fold(m.group()) for m in _WORD.finditer(name)]
        while len(toks) > 1 and toks[-1] in _STRIP_WORDS:
            toks.pop()
        if not toks:
            return None
        return self._state_keys.get(tuple(toks)) or self._state_keys.get(("".join(toks),))

    def districts_of(self, state: str) -> list[District]:
        """All districts of a state (any spelling of the state), in official order."""
        name = self.lookup_state(state)
        return list(self._by_state.get(name, [])) if name else []

    def capital_states(self, district: District) -> list[str]:
        """States whose capital city lies in `district` (Chandigarh serves three)."""
        return [s.name for s in self._states.values() if district.name in s.capitals and s.kind != "country"]

    @property
    def districts(self) -> list[District]:
        return list(self._districts)

    # ------------------------------------------------------------------ scanning
    def _match_at(
        self,
        toks: Sequence[re.Match[str]],
        keys: Sequence[str],
        loose: Sequence[str],
        joinable: Sequence[bool],
        i: int,
        text: str,
    ) -> _Candidate | None:
        """Longest name that starts at token i."""
        exact_ok = keys[i] in self._first_exact
        loose_ok = loose[i] in self._first_loose
        if not (exact_ok or loose_ok):
            return None
        longest = 1
        while longest < self._max_tokens and i + longest < len(toks) and joinable[i + longest - 1]:
            longest += 1
        for n in range(longest, 0, -1):
            key = tuple(keys[i : i + n])
            if _is_latin(key) and (not text[toks[i].start()].isupper() or len("".join(key)) < 4):
                continue  # Latin names count only capitalised and 4+ letters long ("MP", "Una": lookup only)
            entries = self._exact.get(key) if exact_ok else None
            if not entries and loose_ok:
                entries = self._scan_loose.get(tuple(loose[i : i + n]))
            if entries:
                return _Candidate(i, i + n, tuple(entries))
        return None

    def _candidates(self, text: str) -> tuple[list[re.Match[str]], list[str], list[_Candidate]]:
        toks = _tokens(text)
        keys = [_fold_token(t.group()) for t in toks]
        loose = [_loose(k) for k in keys]
        joinable = [_joinable(text, toks[k].end(), toks[k + 1].start()) for k in range(len(toks) - 1)]
        cands: list[_Candidate] = []
        first_exact, first_loose = self._first_exact, self._first_loose
        i = 0
        while i < len(toks):
            if keys[i] not in first_exact and loose[i] not in first_loose:
                i += 1  # no name starts with this word (most words): skip the call
                continue
            cand = self._match_at(toks, keys, loose, joinable, i, text)
            if cand is None:
                i += 1
                continue
            cands.append(cand)
            i = cand.last
        return toks, keys, cands

    @staticmethod
    def _hints(cands: Sequence[_Candidate]) -> Counter[str]:
        """States that the unambiguous, non-context-only mentions of a text point to."""
        hints: Counter[str] = Counter()
        for c in cands:
            states = {e.state for e in c.entries}
            if len(states) == 1 and not any(e.context_only for e in c.entries):
                state = next(iter(states))
                if state:
                    hints[state] += 1
        return hints

    def find_all(self, text: str) -> list[PlaceMention]:
        """Every place name in `text`, longest match first, with offsets into `text`."""
        toks, keys, cands = self._candidates(text)
        hints = self._hints(cands)
        chosen = [self._choose(c.entries, hints) for c in cands]
        accepted = [
            not e.context_only and not self._foreign(c, hints) for c, e in zip(cands, chosen, strict=True)
        ]
        for n, e in enumerate(chosen):
            if e.context_only:
                accepted[n] = self._has_context(text, toks, keys, cands, chosen, n)
        out = []
        for c, e, ok in zip(cands, chosen, accepted, strict=True):
            if not ok:
                continue
            start, end = toks[c.first].start(), toks[c.last - 1].end()
            out.append(PlaceMention(start, end, text[start:end], e.district, e.state, e.kind))
        return out

    @staticmethod
    def _foreign(cand: _Candidate, hints: Counter[str]) -> bool:
        """A name shared by several districts, in a text that points only to other states (पाटन in a
        Jharkhand report is neither Jabalpur's nor Gujarat's)."""
        districts = {e.district for e in cand.entries if e.district is not None}
        if len(districts) < 2 or not hints:
            return False
        return not any(hints[d.state] for d in districts)

    @staticmethod
    def _has_context(
        text: str,
        toks: Sequence[re.Match[str]],
        keys: Sequence[str],
        cands: Sequence[_Candidate],
        chosen: Sequence[_Entry],
        n: int,
    ) -> bool:
        """A context-only name is a place next to a place cue or inside a list of other places."""
        c = cands[n]
        after, before = c.last, c.first - 1
        if (
            after < len(keys)
            and keys[after] in _POST_CUES
            and _same_phrase(text, toks[after - 1], toks[after])
        ):
            return True
        if before >= 0 and keys[before] in _PRE_CUES and _same_phrase(text, toks[before], toks[before + 1]):
            return True
        for m in (n - 1, n + 1):
            if not 0 <= m < len(cands) or chosen[m].context_only or chosen[m].district is None:
                continue
            if m < n:
                gap = text[toks[cands[m].last - 1].end() : toks[c.first].start()]
            else:
                gap = text[toks[c.last - 1].end() : toks[cands[m].first].start()]
            if _LIST_GAP.fullmatch(gap):
                return True
        return False

    def resolve_place(self, name: str) -> PlaceMention | None:
        """The single place `name` denotes (a district, town, block or nickname; not a state)."""
        toks = [fold(m.group()) for m in _WORD.finditer(name)]
        if not toks:
            return None
        entries = [e for e in self._entries_for(tuple(toks)) if e.district is not None]
        if not entries:
            return None
        e = self._choose(entries)
        return PlaceMention(0, len(name), name, e.district, e.state, e.kind)


@functools.cache
def _load_gazetteer() -> Gazetteer:
    return Gazetteer._build()


# ---------------------------------------------------------------------- datelines
_PREFIX = re.compile(r"\s*[\"'“‘(]?\s*(?:डिजिटल\s+डेस्क|डिजिटल\s+डेस्‍क)\s*[,:।\-–]?\s*")
_AGENCY = re.compile(r"\s*\([^()\n]{1,40}\)")
_DELIM = re.compile(r"\s*(?:।।|॥|।|\||:|[-–—](?=\s))")
_BUREAU = re.compile(r"\s*/\s*(?:ब्यूरो|संवाददाता|प्रतिनिधि|निप्र|नप्र)")
_DIGIT = "[0-9०-९]"
_DATE = (
    rf"{_DIGIT}{{1,2}}\s*[\u0900-\u0963\u0971-\u097f]+\.?(?:\s*,?\s*{_DIGIT}{{4}})?"
    rf"|{_DIGIT}{{1,2}}[./-]{_DIGIT}{{1,2}}[./-]{_DIGIT}{{2,4}}"
)
# "‹City›, ‹D› ‹Month›।" / "‹City›/‹D› ‹Month›, ‹YYYY›/" / "‹City› ‹DD› ‹Month› ‹YYYY›/"
_DATE_AFTER_SEP = re.compile(rf"\s*[,/]\s*(?P<date>{_DATE})\s*(?:[/।,:|\-–—]|$)")
_DATE_WITH_YEAR = re.compile(
    rf"\s+(?P<date>{_DIGIT}{{1,2}}\s*[\u0900-\u0963\u0971-\u097f]+\.?\s*,?\s*{_DIGIT}{{4}})\s*(?:[/।,:|\-–—]|$)"
)
_COMMA = re.compile(r"\s*,\s*")
_SLASH = re.compile(r"\s*/\s*")
_DANDA = re.compile(r"\s*(?:।।|॥|।)")
# After "‹City›,": a short agency / paper / state tag that closes the dateline ("जेएनएन ।", "नवभारत ब्यूरो।").
_SHORT_TAIL = re.compile(r"[^,।|:\n0-9०-९]{1,30}?\s*(?:।|:|\||-|–)")
# A body paragraph after "‹Word› ।": a dateline of a town the gazetteer does not know.
_BODY_AFTER = re.compile(r"\s*\S.{40}")
_VISARGA_COLON = re.compile("\u0903(?=\\s)")
_PAPER = re.compile(r"\s*(?P<paper>[^,।|:\n0-9०-९]{2,40}?)\s*,\s*")
_REST_EMPTY = re.compile(r"[\s।|:.\-–—]*$")
_MAX_DATELINE_LINES = 8
_MAX_DATELINE_OFFSET = 700


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _is_english(line: str) -> bool:
    latin = len(_LATIN.findall(line))
    deva = len(re.findall("[\u0900-\u097f]", line))
    return latin > deva


def _place_at(gz: Gazetteer, line: str, pos: int) -> tuple[int, int, bool] | None:
    """Longest known place name starting at `pos`: (start, end, True); else the first word, unknown."""
    toks = [m for m in _WORD.finditer(line, pos, min(len(line), pos + 80))]
    if not toks or line[pos : toks[0].start()].strip():
        return None
    keys = [_fold_token(t.group()) for t in toks]
    for n in range(min(4, len(toks)), 0, -1):
        if n > 1 and not all(
            _JOINABLE_GAP.fullmatch(line, toks[k].end(), toks[k + 1].start()) for k in range(n - 1)
        ):
            continue
        entries = [e for e in gz._entries_for(tuple(keys[:n])) if e.district is not None]
        if entries and not (_is_latin(tuple(keys[:n])) and not line[toks[0].start()].isupper()):
            return toks[0].start(), toks[n - 1].end(), True
    if _LATIN.match(toks[0].group()) or toks[0].group().isdigit():
        return None
    return toks[0].start(), toks[0].end(), False


def _skip_agency(line: str, pos: int) -> int:
    agency = _AGENCY.match(line, pos)
    return agency.end() if agency else pos


def _dateline_in_line(gz: Gazetteer, line: str) -> tuple[int, int, str | None] | None:
    """(place start, place end, date text) when the line opens with a dateline.

    Forms: "डिजिटल डेस्क ‹City› ।"; "‹City›" + "।", "।।", ":", "-", "–", "/ब्यूरो"; "‹City›, ‹D› ‹Month›।";
    "‹City›/‹D› ‹Month›, ‹YYYY›/"; "‹City› ‹DD› ‹Month› ‹YYYY›/"; "‹City›, ‹Agency or Paper…›।" (the
    first city); "‹Paper›, ‹City›।" (the city after the comma); a known city alone on its line.
    A place the gazetteer does not know counts only in the unmistakable forms (after "डिजिटल डेस्क",
    before "/ब्यूरो", a date, or "।" followed by a body paragraph).
    """
    line = _VISARGA_COLON.sub(":", line)  # "गोरखपुरः" = "गोरखपुर:" (same length, offsets unchanged)
    prefix = _PREFIX.match(line)
    pos = prefix.end() if prefix else len(line) - len(line.lstrip())
    found = _place_at(gz, line, pos)
    if found is not None:
        start, end, known = found
        rest = _skip_agency(line, end)
        m = _DATE_AFTER_SEP.match(line, rest) or _DATE_WITH_YEAR.match(line, rest)
        if m:
            return start, end, m.group("date")
        if _BUREAU.match(line, rest):
            return start, end, None
        if (known or prefix is not None) and _DELIM.match(line, rest):
            return start, end, None
        danda = _DANDA.match(line, rest)
        if danda and _BODY_AFTER.match(line, danda.end()):
            return start, end, None  # "‹Unknown town› । ‹body paragraph›"
        if known and _REST_EMPTY.fullmatch(line, rest):
            return start, end, None  # a city alone on its line
        comma = _COMMA.match(line, rest) or _SLASH.match(line, rest)
        if comma:
            second = _place_after_comma(gz, line, comma.end())
            if second is not None:
                return second  # "‹Paper with a city›, ‹City›।"
            if known and _SHORT_TAIL.match(line, comma.end()):
                return start, end, None  # "‹City›, जेएनएन ।", "‹District›,‹Paper› ब्यूरो।"
    paper = _PAPER.match(line, pos)
    if paper:
        return _place_after_comma(gz, line, paper.end())
    return None


def _place_after_comma(gz: Gazetteer, line: str, pos: int) -> tuple[int, int, str | None] | None:
    """A known place that ends the dateline after a comma: "नवभारत न्यूज, कटनी।"."""
    after = _place_at(gz, line, pos)
    if after is None or not after[2]:
        return None
    start, end, _ = after
    rest = _skip_agency(line, end)
    if _DELIM.match(line, rest) or _REST_EMPTY.fullmatch(line, rest):
        return start, end, None
    return None


def find_dateline(text: str) -> Dateline | None:
    """The dateline of a report: the place (and date) that opens its body.

    Looks at the first few Devanagari lines (English lines and repeated headline lines are skipped and
    not counted) that start within the first ~700 characters; a headline does not normally open with
    "‹Place› ।", so the title line may stay in `text`.
    """
    gz = Gazetteer.load()
    seen: set[str] = set()
    counted = 0
    for offset, line in _lines(text):
        if offset > _MAX_DATELINE_OFFSET or counted >= _MAX_DATELINE_LINES:
            break
        stripped = line.strip()
        if not stripped or _is_english(stripped) or stripped in seen:
            continue
        seen.add(stripped)
        counted += 1
        hit = _dateline_in_line(gz, line)
        if hit is not None:
            start, end, date_text = hit
            return Dateline(line[start:end], offset + start, offset + end, date_text)
    return None


# ---------------------------------------------------------------------- district of a report
_DISTRICT_CUE = re.compile("\\s*(?:(?:ज|\u095b)\u093c?िल(?:े|ा)ं?|जनपद)(?![\u0900-\u0963])")
_STATEWIDE_STRONG = re.compile(
    r"(?:प्रदेश|राज्य)\s*भर|(?:प्रदेश|राज्य)\s+के\s+(?:सभी|समस्त|[0-9०-९]+)\s+जिल|सभी\s+जिलों|समस्त\s+जिलों"
)
_STATEWIDE_WEAK = re.compile(r"(?:प्रदेश|राज्य)\s+में")


def _explicit_districts(text: str, mentions: Sequence[PlaceMention]) -> Counter[District]:
    """Districts named with "जिले/जिला/जनपद" right after them ("सागर जिले", "बलिया जनपद")."""
    out: Counter[District] = Counter()
    for m in mentions:
        if m.district is not None and m.kind == "district" and _DISTRICT_CUE.match(text, m.end):
            out[m.district] += 1
    return out


def _top(counter: Counter[District], order: Sequence[PlaceMention]) -> District | None:
    """Most frequent district; ties go to the one mentioned first."""
    if not counter:
        return None
    first: dict[District, int] = {}
    for n, m in enumerate(order):
        if m.district is not None:
            first.setdefault(m.district, n)
    return max(counter, key=lambda d: (counter[d], -first.get(d, 10**9)))


_CAPITAL_CITY = re.compile(r"राजधानी|दिल्लीवासि|दिल्ली वासि")


def detect_district(text: str, title: str | None = None) -> tuple[District | None, str | None]:
    """(district, state) a report is about.

    A deliberately simple heuristic, in this order:
    1. National report: a Delhi dateline and at least as many "देश/भारत/देशभर" mentions as Delhi
       mentions in the body -> (None, None).
    2. Statewide report: the dateline is a state capital and the text says "प्रदेश भर / राज्य के सभी
       जिलों / सभी जिलों", or says "प्रदेश में/राज्य में" more often than it names the capital ->
       (None, state).
    3. Tehsil dateline: "‹X› जिले/जनपद के ‹dateline town›" -> X.
    4. Dateline unknown to the gazetteer (a small town): the district most often named with
       "जिले/जिला/जनपद" after it.
    5. Known dateline (district, HQ town, block, nickname) -> its district, unless another district is
       named with "जिले" at least twice and the dateline's district never is.
    6. No dateline: the district named with "जिले/जनपद", else the district (or town) named most often in
       title and text; a text that names the country at least twice and more often than any district
       is national -> (None, None).
    7. Otherwise the state named most often, with no district.
    """
    gz = Gazetteer.load()
    mentions = gz.find_all(text)
    dateline = find_dateline(text)
    dl = _dateline_place(gz, dateline, mentions)
    body = [m for m in mentions if not (dateline and m.start == dateline.start)]
    country = sum(1 for m in body if m.kind == "country")

    if dl is not None:
        delhi_local = sum(1 for m in body if m.district == dl)
        if dl.name == "Delhi" and country >= delhi_local and not _CAPITAL_CITY.search(text):
            # a national desk's story: the body speaks of the country at least as often as of Delhi (a
            # Delhi story names Delhi again, or "राजधानी")
            return None, None
        statewide = _statewide_state(gz, text, dl, body)
        if statewide is not None:
            return None, statewide

    explicit = _explicit_districts(text, mentions)
    if dateline is not None:
        parent = _tehsil_parent(text, dateline, mentions)
        if parent is not None:
            return parent, parent.state
    top_explicit = _top(explicit, mentions)
    if dl is not None:
        if (
            top_explicit is not None
            and top_explicit != dl
            and explicit[top_explicit] >= 2
            and dl not in explicit
        ):
            return top_explicit, top_explicit.state
        return dl, dl.state
    if top_explicit is not None:
        return top_explicit, top_explicit.state

    title_mentions = gz.find_all(title) if title else []
    named = [*title_mentions, *mentions]
    counts: Counter[District] = Counter(m.district for m in named if m.district is not None)
    if dateline is None and country >= 2 and country > max(counts.values(), default=0):
        return None, None
    top = _top(counts, named)
    if top is not None:
        return top, top.state
    states = Counter(m.state for m in named if m.kind == "state" and m.state)
    if states:
        return None, states.most_common(1)[0][0]
    return None, None


def _dateline_place(
    gz: Gazetteer, dateline: Dateline | None, mentions: Sequence[PlaceMention]
) -> District | None:
    """District of the dateline; the scan's reading first, as it resolved shared names by context."""
    if dateline is None:
        return None
    for m in mentions:
        if m.start == dateline.start and m.district is not None:
            return m.district
    place = gz.resolve_place(dateline.place)
    return place.district if place else None


def _tehsil_parent(text: str, dateline: Dateline, mentions: Sequence[PlaceMention]) -> District | None:
    """X in "‹X› जिले के ‹dateline town›" (the report says which district its dateline town is in)."""
    for m in mentions:
        if m.district is None or m.kind != "district" or m.start == dateline.start:
            continue
        cue = _DISTRICT_CUE.match(text, m.end)
        if cue and _place_after_re(dateline.place).match(text, cue.end()):
            return m.district
    return None


@functools.lru_cache(maxsize=1024)
def _place_after_re(place: str) -> re.Pattern[str]:
    """ "[के|की|का|में] ‹place›" right after a district cue; compiled once per dateline town (compiling it
    per report was a visible share of reading the report's place)."""
    return re.compile(r"\s+(?:के|की|का|में)?\s*" + re.escape(place) + r"(?![\u0900-\u0963])")


def _statewide_state(gz: Gazetteer, text: str, capital: District, body: Sequence[PlaceMention]) -> str | None:
    """The state, when a report datelined from its capital is about the whole state."""
    states = [s for s in gz.capital_states(capital) if len(gz.districts_of(s)) > 1]
    if not states:
        return None
    strong = _STATEWIDE_STRONG.search(text) is not None
    weak = len(_STATEWIDE_WEAK.findall(text))
    local = sum(1 for m in body if m.district == capital)
    if not strong and weak <= local:
        return None
    if len(states) == 1:
        return states[0]
    named = Counter(m.state for m in body if m.kind == "state" and m.state in states)
    return named.most_common(1)[0][0] if named else None
