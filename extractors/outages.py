"""outage facts: the registration/vaccination IT system failed or was unreachable (facts.md §4).

Every sentence where a system word ("सर्वर", "कोविन पोर्टल", "नेटवर्क") is followed in its clause by a
failure phrase ("डाउन", "ठप", "नहीं खुली") is a *mention*. Mentions are grouped into failures: the headline,
the body and an official's tweet about one crash are one outage; a second failure is told apart by a
different time of day or by "दोबारा / फिर से".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from extractors.common import alternation, clause_bounds, compiled, vocab
from extractors.context import Document, SentenceView
from pipeline.dates import Duration, TimeOfDay, find_durations, times_of_day

_DOWNLOAD = re.compile(r"डाउनलोड|download")
_HARD_FAILURE = re.compile(r"डाउन(?!लोड)|ठप|क्रैश|बैठ गया|बैठ गई")
SYSTEM_ORDER = ("cowin", "server", "portal", "app", "internet", "other")


@dataclass
class Mention:
    sv: SentenceView
    system: str
    start: int  # span of "system … failure" in sv.norm
    end: int
    time_of_day: str | None
    again: bool


@dataclass
class Failure:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def time_of_day(self) -> str | None:
        return next((m.time_of_day for m in self.mentions if m.time_of_day), None)


@cache
def _system_re() -> re.Pattern[str]:
    systems: dict[str, list[str]] = vocab("outages")["systems"]
    parts = [f"(?P<{code}>{alternation(systems[code])})" for code in SYSTEM_ORDER]
    return re.compile("|".join(parts))


def _mentions(sv: SentenceView) -> list[Mention]:
    text = sv.norm
    found = []
    tods: list[tuple[TimeOfDay, int, int]] | None = None  # read only for a sentence that states a failure
    for m in _system_re().finditer(text):
        system = m.lastgroup or "other"
        _, clause_end = clause_bounds(text, m.start())
        # phrases may go on inflecting: "नहीं मिल" → "नहीं मिलने", "ठप" → "ठप्प"
        fail = compiled("outages", "failure", prefix=True).search(text, m.end(), clause_end)
        clause_start, _ = clause_bounds(text, m.start())
        if fail is not None and (
            _DOWNLOAD.match(text, fail.start())
            or (
                compiled("outages", "not_outage", prefix=True).search(text, clause_start, clause_end)
                and not _HARD_FAILURE.search(text, clause_start, clause_end)
            )
        ):
            fail = None  # "प्रमाणपत्र डाउनलोड", "स्लॉट नहीं मिला": trouble, but no system failure
        if fail is None:
            # "… की वजह से पोर्टल ठप": the failure may also precede its system within a few words
            continue
        if tods is None:
            tods = times_of_day(text)
        tod = next((t for t, s, _ in reversed(tods) if clause_start <= s < clause_end), None)
        # "रात 8 बजे स्लॉट खोले गए, लेकिन CoWIN पर OTP नहीं आने से …": the time stated earlier in the sentence
        tod = tod or next((t for t, s, _ in reversed(tods) if s < m.start()), None)
        again = compiled("outages", "again").search(text, 0, fail.end()) is not None
        found.append(Mention(sv, system, m.start(), fail.end(), tod, again))
    return found


def _group(mentions: list[Mention]) -> list[Failure]:
    """Cluster mentions into distinct failures (headline mentions join the first body failure)."""
    failures: list[Failure] = []
    for m in sorted(mentions, key=lambda x: (x.sv.is_headline is False, x.sv.index)):
        current = failures[-1] if failures else None
        distinct_time = (
            current is not None
            and m.time_of_day
            and current.time_of_day
            and m.time_of_day != current.time_of_day
        )
        if current is None or (
            (distinct_time or m.again)
            and not m.sv.is_headline
            and current.mentions[-1].sv.index != m.sv.index
        ):
            failures.append(Failure([m]))
        else:
            current.mentions.append(m)
    # Headline mentions were sorted first; a headline-only "failure" merges into the first body one.
    if len(failures) > 1 and all(x.sv.is_headline for x in failures[0].mentions):
        failures[1].mentions[:0] = failures[0].mentions
        failures.pop(0)
    return failures


def _system(failure: Failure) -> str:
    codes = {m.system for m in failure.mentions}
    return next(c for c in SYSTEM_ORDER if c in codes)


def _durations(doc: Document, failure: Failure) -> tuple[Duration | None, Duration | None]:
    """(outage duration, time to fix): from the failure's own sentences first, then the sentence after the
    last one ("… OTP नहीं आ रहा था। करीब 40 मिनट तक यही हाल रहा।"), then the headline."""
    body = sorted({m.sv.index for m in failure.mentions if not m.sv.is_headline})
    heads = sorted({m.sv.index for m in failure.mentions if m.sv.is_headline})
    nxt = [
        i + 1
        for i in body
        if i + 1 < len(doc.sentences) and i + 1 not in body and not _mentions(doc.sentences[i + 1])
    ]
    duration = resolved = None
    for group in (body, nxt, heads):
        for i in group:
            text = doc.sentences[i].norm
            for d in find_durations(text):
                if d.minutes >= 24 * 60:
                    continue
                after = text[d.end : d.end + 40]
                if re.match(r"\s*में\s+(?:ही\s+)?", after) and compiled("outages", "fixed").search(after):
                    resolved = resolved or d
                elif re.match(r"\s*(?:के\s+)?बाद", after) and compiled(
                    "outages", "recovered", prefix=True
                ).search(after):
                    duration = duration or d  # "करीब 45 मिनट बाद OTP आने लगा": it lasted that long
                elif re.match(r"\s*में\s+ही", after) or re.match(r"\s*(?:के\s+)?बाद", after):
                    continue  # "कुछ मिनटों में ही डाउन": the time until the failure, not its length
                elif duration is None:
                    duration = d
    return duration, resolved


def _impact(failure: Failure) -> str | None:
    for m in failure.mentions:
        text = m.sv.norm
        hit = compiled("outages", "impact").search(text)
        if hit:
            s, e = clause_bounds(text, hit.start())
            return m.sv.original(s, e).strip()[:120] or None
    return None


def extract(doc: Document) -> list[dict[str, Any]]:
    mentions = [m for sv in doc.sentences for m in _mentions(sv)]
    facts = []
    for failure in _group(mentions):
        duration, resolved = _durations(doc, failure)
        first = next((m for m in failure.mentions if not m.sv.is_headline), failure.mentions[0])
        facts.append(
            {
                "type": "outage",
                "system": _system(failure),
                "duration_minutes": duration.minutes if duration else None,
                "qualifier": duration.qualifier if duration else None,
                "time_of_day": failure.time_of_day,
                "resolved_after_minutes": resolved.minutes if resolved else None,
                "impact": _impact(failure),
                "evidence": first.sv.evidence(first.start, first.end),
            }
        )
    return facts
