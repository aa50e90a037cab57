"""dose_count facts: how many doses were given, planned, given so far, or in stock (facts.md §1).

A number is a dose count when the words after it name doses or vaccinated people in a sentence about
vaccination ("22 हजार 397 हितग्राहियों ने टीके लगवाए"), when an ordinal stands in for the elided noun
("4,594 को पहली और 1,346 को दूसरी डोज"), when it is the drive's goal ("30 हजार का लक्ष्य"), or when it
is an item of a breakdown list whose closing item is one ("बरगी में 200, पाटन में 300 लोगों को").
Its measure comes from the cues and the tense of its own segment of the sentence (attributes.scope).

Age group and dose come, in order, from the number's own clause; from the list item before it; from a
sentence that points back ("इनमें", "इस कैटेगरी में"); or from the report's frame — when the whole report
speaks of one age group or one dose (an 18-44 day), its breakdown figures inherit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from extractors.attributes import age_for, dose_for, group_for, place_before, scope
from extractors.common import (
    alternation,
    clause_bounds,
    compiled,
    find_age_groups,
    find_doses,
    vocab,
    word_set,
    words,
)
from extractors.context import Document, SentenceView
from pipeline.dates import find_durations
from pipeline.numbers import NumberMatch, age_interval

_LIST_TAIL = re.compile(r"^\s*(?:,|व\s|और\s|एवं\s|तथा\s|;)")
_INHERIT = re.compile(
    r"(?<![\w\u0900-\u0963])(?:इनमें|इनमे|इसमें|इसमे|उक्त|इस\s*(?:कैटेगरी|कैटेगिरी|श्रेणी|वर्ग|आयु\s*वर्ग|चरण|अभियान)\s*में)"
    r"(?![\w\u0900-\u0963])"
)
_INHERIT_OF = re.compile(
    r"(?<![\w\u0900-\u0963])इस\s*(?:कैटेगरी|कैटेगिरी|श्रेणी|आयु\s*वर्ग)\s*के(?![\w\u0900-\u0963])"
)
_CRORE = 10_000_000
_CROSSED = re.compile(r"\s*के\s+पार(?![\w\u0900-\u0963])")
_LEAD_IN = re.compile(
    r"(?:इस\s*प्रकार|निम्नानुसार|निम्न\s*प्रकार|निम्नलिखित)\s*(?:है|हैं|रहा|रही|रहे)?\s*[:—–-]?\s*$|[:—–]\s*$"
)
_GOAL_BEFORE = re.compile(r"(?:लक्ष्य|टारगेट)\s*(?:भी\s*)?$")
_CUTOFF = re.compile(r"\d+(?:[:.]\d+)?\s*बजे\s*तक")
_TOTAL_BEFORE = re.compile(r"(?:कुल|कुल मिलाकर|सभी)\s*$")


@dataclass
class _Candidate:
    num: NumberMatch
    kind: str  # "dose" | "people" | "goal" | "center" | "block" | ""
    list_item: bool = False
    label: bool = False  # a table row or labelled figure ("सीएचसी तोशाम - 298"): its attributes are its own
    attrs: dict[str, Any] = field(default_factory=dict)
    fact: dict[str, Any] = field(default_factory=dict)
    noun: str | None = None  # the people noun it counts, if any


@cache
def _ordinal_after() -> re.Pattern[str]:
    """ "4,594 को पहली …": a figure followed (after को/ने) by a dose ordinal counts doses."""
    return re.compile(r"^\s*(?:(?:को|ने|की|के)\s+)?" + alternation(word_set("doses", "dose", "after_figure")))


def _noun_kind(text: str, num: NumberMatch, next_start: int) -> str:
    """Classify a count by what follows it (stopping at the next number)."""
    stop = min(next_start, num.span_end + 80)
    if _ordinal_after().match(text[num.span_end : stop]):
        return "dose"
    if (
        _GOAL_BEFORE.search(text, 0, num.start)
        or compiled("doses", "goal_after").match(text, num.span_end)
        or re.match(r"\s*(?:का|के)\s+(?:लक्ष्य|टारगेट)", text[num.span_end : stop])
    ):
        return "goal"
    kind = ""
    clause_end = re.search(r"[,;।]|\s(?:व|और|एवं|तथा|जबकि|वहीं)\s", text[num.span_end : stop])
    if clause_end:
        stop = num.span_end + clause_end.start()
    for w in words(text, num.span_end, stop)[:5]:
        if w.text in word_set("doses", "center", "nouns"):
            return kind or "center"
        if w.text in word_set("doses", "blocking_nouns"):
            return "block"  # also overrides a dose noun used as a modifier ("टीका एक्सप्रेस वाहन")
        if kind:
            return kind
        if w.text in word_set("doses", "dose_nouns"):
            kind = "dose"
        elif w.text in word_set("doses", "people_nouns"):
            kind = "people"
    return kind


def _people_noun(text: str, num: NumberMatch) -> str | None:
    """The people noun a count names ("4,118 किशोरों को" → किशोरों), within its next three words."""
    nouns = word_set("doses", "people_nouns")
    for w in words(text, num.span_end, min(len(text), num.span_end + 60))[:3]:
        if w.text in nouns:
            return w.text
    return None


def _names_a_day(text: str) -> bool:
    """A date, weekday or "आज/कल" (the date resolver's), or a per-day phrase ("एक दिन में", "रोजाना")."""
    from pipeline.dates import find_dates

    return bool(find_dates(text)) or compiled("doses", "measure", "per_day").search(text) is not None


def _overlap(a: str, b: str) -> bool:
    """Two age groups share more than a boundary year."""
    x, y = age_interval(a), age_interval(b)
    return x is not None and y is not None and max(x[0], y[0]) < min(x[1], y[1])


def implied_age(doc: Document, noun: str | None) -> str | None:
    """The age group a people noun implies in this report (data: doses.toml [age_nouns])."""
    if noun is None:
        return None
    stated = report_ages(doc)
    table: dict[str, dict[str, list[str]]] = vocab("doses")["age_nouns"]
    for group, nouns in table["implied"].items():
        if noun in nouns and (group in stated or not any(_overlap(group, g) for g in stated)):
            return group
    for group, nouns in table["if_stated"].items():
        if noun in nouns and group in stated:
            return group
    minors = [g for g in stated if (span := age_interval(g)) is not None and span[1] <= 18]
    if noun in table["minor"]["minor"] and len(minors) == 1:
        return minors[0]
    return None


def report_ages(doc: Document) -> frozenset[str]:
    """Every age group the report's vaccination sentences state."""
    return frozenset(g for g in _stated_ages(doc) if g)


def _stated_ages(doc: Document) -> frozenset[str | None]:
    """The age-group phrases of the report's vaccination sentences (None: a phrase naming two groups)."""
    cached: frozenset[str | None] | None = doc.notes.get("stated_ages")
    if cached is None:
        cached = frozenset(
            a.group for sv in doc.sentences if _is_vaccination(sv.norm) for a in find_age_groups(sv.norm)
        )
        doc.notes["stated_ages"] = cached
    return cached


_LATIN = re.compile(r"[A-Za-z]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")


@lru_cache(maxsize=4096)
def _latin_share(text: str) -> float:
    latin = len(_LATIN.findall(text))
    total = latin + len(_DEVANAGARI.findall(text))
    return latin / total if total else 0.0


@lru_cache(maxsize=4096)  # asked of each sentence and again for each of its next three
def _is_vaccination(text: str) -> bool:
    return compiled("doses", "vaccination_cues").search(text) is not None


_CONTRAST = re.compile(r"(?<![\w\u0900-\u0963])(?:जबकि|वहीं|लेकिन|परंतु|किंतु)(?![\w\u0900-\u0963])")
_DOSE_LABEL = re.compile(r"(?:डोज|खुराक|टीके|टीकाकरण|वैक्सीनेशन)\s*[:–—-]?\s*$")
_DASH_LABEL = re.compile(r"[^\d\s]\s*[—–:]\s*$|[^\d\s]\s+-\s*$|\)\s*-\s*$")
_PART_TAIL = re.compile(r"\s*(?:,|व\s|और\s|एवं\s|तथा\s|शामिल|भी\s+शामिल)")
_DASH_OR_LABEL = re.compile(r"[—–:-]")
_ITEM_END = re.compile(r"\s*(?:[,;।|]|$|\s(?:व|और|एवं|तथा)\s)")
_NOUN_GOAL = re.compile(r"\s*(?:[\w\u0900-\u0963]+\s+){0,2}?(?:का|के|की)\s+(?:लक्ष्य|टारगेट)")
_PARTITIVE_AT = re.compile(r"(?:जिनमें|जिसमें|इनमें|इसमें|जिनमे|इनमे|इसमे)(?:\s+से)?\s*$")
_GOAL_THAT = re.compile(r"(?:लक्ष्य|टारगेट|योजना)[^,;।]{0,20}?(?:है|था|रखा गया|रखा है)\s+कि\s*$")
_BREAKDOWN_LEAD = re.compile(r"(?:जिसमें|जिनमें|इनमें|इसमें|जिसमे|जिनमे)(?![\w\u0900-\u0963])")
_ENUMERATOR = re.compile(r"^\s*\d{1,2}\s*[.\-)]")


def _plausible(sv: SentenceView, c: _Candidate, points_back: bool) -> bool:
    """Precision guards: the count must sit in a vaccination clause, and not be a vaccine being made."""
    text, num = sv.norm, c.num
    if num.text.strip() in ("एक", "1") and c.kind != "goal":
        return False  # "एक वैक्सीन", "एक खुराक दवा": an article, not a count
    if num.start == 0 and _ENUMERATOR.match(text):
        return False  # "8- जल्द आने वाली है वैक्सीन": a list enumerator
    span = scope(text, num)
    seg = text[_segment_start(text, num, [], span) : span[1]]
    if compiled("doses", "production_cues").search(seg):
        return False
    if c.kind == "people":
        # a breakdown of a total in the same sentence: "… टीका लगाया गया, जिसमें 312 हेल्थ वर्कर … शामिल हैं"
        part_of_total = _is_vaccination(text) and (
            _BREAKDOWN_LEAD.search(text, max(0, span[0] - 12), num.start) is not None or "शामिल" in seg
        )
        return points_back or c.list_item or part_of_total or _is_vaccination(seg)
    if c.kind == "dose" and num.value < 1000:
        noun = next(
            (
                w.text
                for w in words(text, num.span_end, num.span_end + 60)
                if w.text in word_set("doses", "dose_nouns")
            ),
            "",
        )
        if noun in word_set("doses", "vaccine_nouns"):
            return compiled("doses", "administering").search(seg) is not None
    return True


def _state_in_brackets(text: str, num: NumberMatch) -> bool:
    """ "महाराष्ट्र (9.39 करोड़)": a state's or the country's figure in brackets after its name."""
    from pipeline.places import Gazetteer

    opening = text.rfind("(", 0, num.start)
    if (
        opening == -1
        or text[opening + 1 : num.start].strip()
        or not re.match(r"\s*(?:डोज)?\s*\)", text[num.span_end :])
    ):
        return False
    before = text[max(0, opening - 40) : opening].rstrip()
    places = Gazetteer.load().find_all(before)
    return bool(places) and places[-1].end == len(before) and places[-1].kind in ("state", "country")


def _candidates(sv: SentenceView) -> list[_Candidate]:
    counts = [n for n in sv.numbers if n.kind == "count" and n.value > 0 and not n.distributive]
    out = []
    for i, n in enumerate(counts):
        nxt = counts[i + 1].start if i + 1 < len(counts) else len(sv.norm)
        kind = _noun_kind(sv.norm, n, nxt)
        before = sv.norm[max(0, n.start - 40) : n.start]
        label = False
        if kind in ("", "center") and n.value >= 100_000 and _state_in_brackets(sv.norm, n):
            # "इसके बाद महाराष्ट्र (9.39 करोड़), … मध्य प्रदेश (6.78 करोड़) का स्थान है": a ranking of states
            # beside a vaccination figure
            kind, label = "people", True
        if not kind and compiled("doses", "count_of").search(before):
            kind = "people"
        elif not kind and _CROSSED.match(sv.norm, n.span_end):
            kind = "people"  # "एक दिन में 30 हजार के पार": a figure passed, in a sentence about jabs
        elif not kind and _DOSE_LABEL.search(before):
            kind, label = "dose", True  # "प्रथम डोज 1,204, द्वितीय डोज 1,939", "कुल टीकाकरण – 5,756"
        elif not kind and _DASH_LABEL.search(before) and _ITEM_END.match(sv.norm, n.span_end):
            kind, label = "people", True  # a flattened table: "टाउन हॉल — 1,302; सेक्टर-4 — 714"
        out.append(_Candidate(n, kind, list_item=label, label=label, noun=_people_noun(sv.norm, n)))
    # "इनमें 45 से 59 वर्ष के 9 हजार 410, … फ्रंट लाइन वर्कर्स 937 शामिल हैं": the parts of a total
    if _INHERIT.search(sv.norm, 0, counts[0].start if counts else 0) or _BREAKDOWN_LEAD.search(sv.norm):
        for c in out:
            if c.kind == "" and _PART_TAIL.match(sv.norm, c.num.span_end):
                c.kind, c.list_item = "people", True
    # Breakdown items "X में 200," take the kind of the item that closes the list.
    for i, c in enumerate(out):
        if c.kind == "" and _LIST_TAIL.match(sv.norm[c.num.span_end :]):
            closing = next((d.kind for d in out[i + 1 :] if d.kind), "")
            if closing in ("dose", "people"):
                c.kind, c.list_item = closing, True
    return out


def _segment_start(text: str, num: NumberMatch, numbers: list[NumberMatch], span: tuple[int, int]) -> int:
    prev = [n.span_end for n in numbers if n.kind == "count" and span[0] <= n.span_end <= num.start]
    return max([span[0], *prev])


def _segment_end(text: str, num: NumberMatch, numbers: list[NumberMatch], span: tuple[int, int]) -> int:
    """Up to the next count when a verb closes this number's part first ("… लग चुकी हैं और … 40 हजार")."""
    from extractors.attributes import has_verb

    nxt = [n.start for n in numbers if n.kind == "count" and num.span_end <= n.start < span[1]]
    if nxt and has_verb(text[num.span_end : nxt[0]]):
        return nxt[0]
    return span[1]


def _measure(
    text: str, num: NumberMatch, numbers: list[NumberMatch], span: tuple[int, int], kind: str
) -> str:
    """The measure from cues in the number's own stretch (up to the next count), else in the wider stretch
    its list shares ("बरगी में 200, पाटन में 300 लोगों को टीका लगाया जाएगा")."""
    start = _segment_start(text, num, numbers, span)
    end = _segment_end(text, num, numbers, span)
    if _GOAL_THAT.search(text, 0, span[0]):
        return "target"  # "हमारा लक्ष्य था कि एक हजार व्यापारियों को टीका लगे"
    nxt = [n.start for n in numbers if n.kind == "count" and num.span_end <= n.start < end]
    for stop in ([nxt[0]] if nxt else []) + [end]:
        found = _measure_cues(text, num, start, stop, kind)
        if found:
            return found
    return "administered"


def _measure_cues(text: str, num: NumberMatch, start: int, end: int, kind: str) -> str | None:
    from pipeline.dates import tense_of

    seg = text[start:end]
    after_noun = text[num.span_end : min(end, num.span_end + 40)]
    # "30 हजार टीके का लक्ष्य मिला था": a goal named right after the figure's noun
    if _NOUN_GOAL.match(after_noun):
        return "target"
    # "जिले को 12 हजार डोज मिलीं" is stock; "4,330 लोगों को बूस्टर खुराक मिली" is jabs
    if compiled("doses", "measure", "available").search(seg) or (
        kind == "dose"
        and compiled("doses", "measure", "available_after_noun", prefix=True).search(after_noun)
    ):
        return "available"
    cleaned = compiled("doses", "measure", "target_comparisons").sub(" ", seg)
    if compiled("doses", "measure", "target").search(cleaned):
        return "target"
    if tense_of(text[num.span_end : end]) == "future":
        return "target"
    if _CUTOFF.search(seg):
        return "administered"  # "दोपहर 2 बजे तक 6 हजार … लग चुका था": a partial day, not a running total
    if compiled("doses", "measure", "cumulative").search(seg):
        return "cumulative"
    return None


def _own_attributes(
    doc: Document, sv: SentenceView, c: _Candidate, counted: list[NumberMatch]
) -> dict[str, Any]:
    """Measure, age group, dose, group and place from the number's own clause. `counted` are the
    sentence's dose-count numbers: a centre count between an age phrase and a figure does not cut them apart."""
    text, num = sv.norm, c.num
    span = scope(text, num)
    if c.list_item and c.kind in ("dose", "people") and _DASH_OR_LABEL.search(text, 0, num.start):
        span = (text.rfind("\n", 0, num.start) + 1, span[1])  # "• 18 से 44 आयु वर्ग – प्रथम डोज 1,204"
    found_age, age = age_for(text, num, counted, span)
    partitive = _PARTITIVE_AT.search(text, 0, span[0])
    if not found_age and partitive:
        # "… 60 वर्ष से ज्यादा उम्र के 1.9 लाख बुजुर्ग हैं, जिनमें से 1,42,350 को पहली डोज": a part of a
        # group stated in the clause before takes that group's age
        back = len(text[: partitive.start()].rstrip(" ,;"))
        antecedent = (clause_bounds(text, max(0, back - 1))[0], span[1])
        found_age, age = age_for(text, num, counted, antecedent, across_verbs=True)
    if not found_age:
        age = implied_age(doc, c.noun)
        found_age = age is not None
    found_dose, dose = dose_for(text, num, counted, span)
    attrs: dict[str, Any] = {
        "measure": "goal" if c.kind == "goal" else _measure(text, num, sv.numbers, span, c.kind)
    }
    if attrs["measure"] == "goal":
        attrs["measure"] = "target"
    if attrs["measure"] == "administered" and num.value >= _CRORE and not _names_a_day(text):
        attrs["measure"] = "cumulative"  # crores of doses with no day named: a state's or the country's total
    if found_age:
        attrs["age_group"] = age
    if found_dose:
        attrs["dose"] = dose
    group = group_for(text, num, span)
    place = place_before(text, num, span)
    attrs["group"] = sv.original(*group) if group else None
    attrs["place"] = sv.original(*place) if place else None
    # "दो दिनों के भीतर 903 …": a count over several days has no single date
    attrs["multi_day"] = any(d.minutes >= 2 * 1440 for d in find_durations(text[span[0] : span[1]]))
    return attrs


def report_frame(doc: Document) -> dict[str, Any]:
    """The report's single age group / single dose, when its headline or lead frames it (an "18-44 day")
    and no other group or dose appears anywhere in it."""
    cached: dict[str, Any] | None = doc.notes.get("report_frame")
    if cached is not None:
        return cached  # read by the dose extractor and once per table row
    doc.notes["report_frame"] = frame = _compute_frame(doc)
    return frame


def _compute_frame(doc: Document) -> dict[str, Any]:
    ages = _stated_ages(doc)
    doses = {d.dose for sv in doc.sentences if _is_vaccination(sv.norm) for d in find_doses(sv.norm)}
    lead: list[SentenceView] = [sv for sv in doc.sentences if sv.is_headline]
    lead += [sv for sv in doc.sentences if not sv.is_headline and _is_vaccination(sv.norm)][:1]
    lead_ages = {a.group for sv in lead for a in find_age_groups(sv.norm)}
    lead_doses = {d.dose for sv in lead for d in find_doses(sv.norm)}
    frame: dict[str, Any] = {}
    if len(ages) == 1 and None not in ages and ages == lead_ages:
        frame["age_group"] = next(iter(ages))
    if len(doses) == 1 and None not in doses and lead_doses == doses:
        frame["dose"] = next(iter(doses))
    return frame


_COORDINATED = re.compile(
    r"\s*(?:[\w\u0900-\u0963-]+\s+){0,3}?(?:[\w\u0900-\u0963-]+)?\s*(?:,|और|व|एवं|तथा)\s*$"
)


def _share_coordinated_dose(text: str, chosen: list[_Candidate]) -> None:
    """ "412 बुजुर्गों, 380 स्वास्थ्य कर्मियों और 296 फ्रंटलाइन वर्करों को प्रिकॉशन डोज दी गई": groups
    coordinated in one list share the dose their closing item states (each keeps its own age group)."""
    for i in range(len(chosen) - 1, 0, -1):
        last = chosen[i]
        if "dose" not in last.attrs.get("_own", set()) or last.attrs.get("dose") is None:
            continue
        j = i
        while j > 0 and _COORDINATED.fullmatch(text, chosen[j - 1].num.span_end, chosen[j].num.start):
            j -= 1
            c = chosen[j]
            if c.attrs.get("dose") is None and c.attrs["measure"] == last.attrs["measure"]:
                c.attrs["dose"] = c.fact["dose"] = last.attrs["dose"]


def _share_closing_item(chosen: list[_Candidate]) -> None:
    """ "बीडीके अस्पताल में 1,240, … मंड्रेला रोड पर 655 लोगों को दूसरा टीका लगा": list items take the age
    group / dose that the item closing their list states."""
    for i, c in enumerate(chosen):
        if not c.list_item:
            continue
        closing = next((d for d in chosen[i + 1 :] if not d.list_item), None)
        if closing is None:
            continue
        for key in ("age_group", "dose"):
            if c.attrs.get(key) is None and closing.attrs.get(key) is not None:
                c.attrs[key] = closing.attrs[key]
                c.fact[key] = closing.attrs[key]


def _shared_state(chosen: list[_Candidate]) -> dict[str, Any]:
    """What a following "इनमें …" sentence or breakdown inherits: the age group / dose / measure that all
    the figures of this sentence share ("18 से 44 आयु वर्ग के 7,724 लोगों को पहली डोज")."""
    state: dict[str, Any] = {}
    if any(c.attrs.get("place") for c in chosen):
        return state  # a figure for one site or block leads nothing in ("… पिठोरिया में 185 को पहली डोज")
    for key in ("age_group", "dose", "measure"):
        values = {c.attrs.get(key) for c in chosen}
        if len(values) == 1 and None not in values:
            state[key] = values.pop()
    if state.get("measure") != "cumulative":
        state.pop("measure", None)
    return state


def sentence_state(sv: SentenceView) -> dict[str, Any]:
    """What a following "इनमें …" sentence inherits: the single age group/dose this one states."""
    ages = {a.group for a in find_age_groups(sv.norm)}
    doses = {d.dose for d in find_doses(sv.norm)}
    state: dict[str, Any] = {}
    if len(ages) == 1:
        state["age_group"] = next(iter(ages))
    if len(doses) == 1:
        state["dose"] = next(iter(doses))
    return state


def _is_district(place: str, doc: Document) -> bool:
    from pipeline.places import Gazetteer

    found = Gazetteer.load().lookup(place)
    return found is not None and doc.district is not None and found.name == doc.district.name


def extract(doc: Document) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    frame = report_frame(doc)
    previous: dict[str, Any] | None = None  # state of the last vaccination sentence
    table_rows_before = False
    for sv in doc.sentences:
        if _latin_share(sv.norm) > 0.5:
            continue  # an English translation line repeats the headline; its figures are not the report's
        first_num = sv.numbers[0].start if sv.numbers else len(sv.norm)
        near = doc.sentences[max(0, sv.index - 3) : sv.index + 1]
        # a table block goes on as long as its rows do: "• सण्डीला: 612" … "• मल्लावां: 455"
        table_context = any(_is_vaccination(x.norm) for x in near) or table_rows_before
        table_rows_before = False
        points_back = previous is not None and _INHERIT.search(sv.norm, 0, first_num) is not None
        # "इस आयु वर्ग के 2,500 बच्चों": the group carries over, but the figure must be a jab count itself
        of_that = previous is not None and _INHERIT_OF.search(sv.norm, 0, first_num) is not None
        inherited = previous if (points_back or of_that) and previous else {}
        vaccination = _is_vaccination(sv.norm)
        prior: _Candidate | None = None
        chosen = [
            c
            for c in _candidates(sv)
            if (
                c.kind in ("dose", "goal")
                or (c.kind == "people" and (vaccination or points_back or (c.list_item and table_context)))
            )
            and not _not_doses(sv.norm, c.num)
            and _plausible(sv, c, points_back)
        ]
        counted = [c.num for c in chosen]
        for c in chosen:
            c.attrs = attrs = _own_attributes(doc, sv, c, counted)
            breakdown = c.list_item or attrs.get("place") is not None
            # Attributes stated between two list items belong to their item alone; those of the list's
            # lead (before its first item) or inherited ones carry on to the next items.
            own = {k for k in ("age_group", "dose") if k in attrs}
            c.attrs["_own"] = own
            c.attrs["_chain"] = own if prior is None else set()
            chain = (
                prior is not None
                and not c.label
                and not prior.label
                and not _TOTAL_BEFORE.search(sv.norm[: c.num.start])
                and not _CONTRAST.search(sv.norm, prior.num.span_end, c.num.start)
            )
            for key in ("age_group", "dose"):
                if key in attrs:
                    continue
                if attrs["measure"] == "available":
                    continue  # stock is not kept by age group or dose
                if key == "age_group" and c.noun in word_set("doses", "group", "ageless_nouns"):
                    continue  # health and frontline workers are counted without an age group
                # a dose split of one group ("45+ के 1,996 को पहली और 762 को दूसरी") shares the group;
                # items placed apart ("अस्पताल A में 45+ के 198 और अस्पताल B में 87") do not
                same_place = (
                    attrs.get("place") is None and prior is not None and prior.attrs.get("place") is None
                )
                if (
                    chain
                    and prior is not None
                    and key in prior.attrs
                    and (key in prior.attrs["_chain"] or same_place)
                ):
                    attrs[key] = prior.attrs[key]
                    attrs["_chain"].add(key)
                elif key in inherited:
                    attrs[key] = inherited[key]
                elif breakdown and previous and key in previous:
                    attrs[key] = previous[key]  # a breakdown list inherits its lead-in's group/dose
                elif (
                    key in frame
                    and not sv.is_headline
                    and attrs["measure"] in ("administered", "target", "cumulative")
                ):
                    attrs[key] = frame[key]
            if inherited.get("measure") == "cumulative" and attrs["measure"] == "administered":
                attrs["measure"] = "cumulative"
            if (
                prior is not None
                and prior.attrs.get("measure") == "cumulative"
                and attrs["measure"] == "administered"
                and _PARTITIVE_AT.search(sv.norm, 0, scope(sv.norm, c.num)[0])
            ):
                attrs["measure"] = "cumulative"  # "अब तक 11 लाख … लगाए जा चुके हैं, इसमें 9 लाख प्रथम डोज …"
            prior = c
            c.fact = _fact(doc, sv, c)
            facts.append(c.fact)
        _share_coordinated_dose(sv.norm, chosen)
        _share_closing_item(chosen)
        table_rows_before = any(c.list_item and c.kind == "people" for c in chosen)
        if chosen:
            previous = _shared_state(chosen)
        elif vaccination and (previous is None or _LEAD_IN.search(sv.norm)):
            previous = sentence_state(sv)  # a lead-in ("… इस प्रकार रहा :") frames the list after it
    return dedupe(facts, doc)


def _fact(doc: Document, sv: SentenceView, c: _Candidate) -> dict[str, Any]:
    a = c.attrs
    place = a.get("place")
    if place and _is_district(place, doc):
        place = None
    return {
        "type": "dose_count",
        "value": int(c.num.value),
        "qualifier": c.num.qualifier,
        "measure": a["measure"],
        "age_group": a.get("age_group"),
        "dose": a.get("dose"),
        "group": a.get("group"),
        "place": place,
        "date": None if a.get("multi_day") or not doc.event_date else doc.event_date.isoformat(),
        "evidence": sv.evidence(c.num.span_start, c.num.span_end),
        "_candidate": c,
    }


_OUT_OF = re.compile(r"\s*(?:[\w\u0900-\u0963]+\s+){0,2}?में\s*से(?![\w\u0900-\u0963])")


def _not_doses(text: str, num: NumberMatch) -> bool:
    """ "500 लोगों ने रजिस्ट्रेशन कराया", "23 हजार लोग … पात्र हैं": a people-count that is no count of jabs.

    Also the base of a share ("7.52 लाख लोगों में से … 6.8 लाख को पहली डोज"), a small figure of doses per
    person ("दो डोज लेने के छह महीने बाद") and people counted among the infected ("संक्रमितों में 61 …")."""
    start, end = scope(text, num)
    tail = text[num.span_end : end]
    out_of = _OUT_OF.match(tail)
    if out_of and not (set(out_of.group().split()) & word_set("doses", "dose_nouns")):
        return True  # a population; "40 हजार डोज में से 6 हजार …" is a stock being shared out
    if num.value <= 3:
        return True
    if compiled("doses", "non_dose_partitive").search(text, start, num.start):
        return True
    if not compiled("doses", "non_dose_clause_cues").search(tail):
        return False
    return not re.search(r"(?:लगा|लगवा|लगी|लगे|दी गई|दिए गए|ली|लिया|टीकाकरण (?:किया|हुआ))", tail)


def dedupe(facts: list[dict[str, Any]], doc: Document) -> list[dict[str, Any]]:
    """A headline figure repeated in the body is one fact (the body's, which carries the context).

    Headlines drop qualifiers ("19 हजार युवाओं को टीका"), so the same value is the same figure; a rounded
    headline figure beside the exact body figure has another value and stays a fact of its own."""
    headline = {sv.sentence.text for sv in doc.sentences if sv.is_headline}
    body_values = {f["value"] for f in facts if f["evidence"]["sentence"] not in headline}
    out, seen = [], set()
    stated: set[tuple[Any, ...]] = set()
    for f in facts:
        f.pop("_candidate", None)
        if f["evidence"]["sentence"] in headline:
            if f["value"] in body_values or f["value"] in seen:
                continue
            seen.add(f["value"])
        else:
            # a summary ("सार") or a later paragraph restating a figure with all its attributes: one fact
            key = tuple(f.get(k) for k in ("type", "value", "measure", "age_group", "dose", "group", "place"))
            if key in stated:
                continue
            stated.add(key)
        out.append(f)
    return out
