"""Score extraction against hand-made gold facts, by the rules of facts.md ("How extraction is scored").

Per fact type: precision / recall / F1 with one-to-one matching inside each article; role accuracy over
matched officials; district and event_date accuracy over articles. Misses and false positives are listed
so that a failing quality gate says *what* broke.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.text import fold

FACT_TYPES = ("dose_count", "center_count", "center", "outage", "official")


def name_key(name: str) -> str:
    """NFC + nukta folding + whitespace folding, as facts.md prescribes for name matching."""
    return fold(unicodedata.normalize("NFC", name)).replace(" ", "")


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)] or [s]


def dice(a: str, b: str) -> float:
    ba, bb = _bigrams(a), _bigrams(b)
    pool = list(bb)
    hits = 0
    for g in ba:
        if g in pool:
            pool.remove(g)
            hits += 1
    return 2 * hits / (len(ba) + len(bb))


def names_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    ka, kb = name_key(a), name_key(b)
    return ka in kb or kb in ka or dice(ka, kb) >= 0.6


def _same(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    kind = gold["type"]
    if kind == "dose_count":
        return all(gold.get(k) == pred.get(k) for k in ("value", "measure", "age_group", "dose"))
    if kind == "center_count":
        return bool(gold.get("value") == pred.get("value"))
    if kind in ("center", "official"):
        return names_match(gold.get("name"), pred.get("name"))
    if kind == "outage":
        return gold.get("duration_minutes") is None or gold.get("duration_minutes") == pred.get(
            "duration_minutes"
        )
    raise ValueError(f"unknown fact type {kind!r}")


def _pair(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching; for names, the most similar pairs first."""
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if _same(g, p):
                score = (
                    dice(name_key(g["name"]), name_key(p["name"])) if "name" in g and p.get("name") else 1.0
                )
                candidates.append((-score, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


@dataclass
class TypeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    types: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in FACT_TYPES})
    role_correct: int = 0
    role_total: int = 0
    district_correct: int = 0
    event_date_correct: int = 0
    articles: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    article_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def role_accuracy(self) -> float:
        return self.role_correct / self.role_total if self.role_total else 1.0

    @property
    def district_accuracy(self) -> float:
        return self.district_correct / self.articles if self.articles else 1.0

    @property
    def event_date_accuracy(self) -> float:
        return self.event_date_correct / self.articles if self.articles else 1.0

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            t: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }
            for t, s in self.types.items()
        }
        out["official_role_accuracy"] = round(self.role_accuracy, 4)
        out["district_accuracy"] = round(self.district_accuracy, 4)
        out["event_date_accuracy"] = round(self.event_date_accuracy, 4)
        out["articles"] = self.articles
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "scores": self.summary(),
            "misses": self.misses,
            "false_positives": self.false_positives,
            "article_errors": self.article_errors,
        }


def score_article(report: Report, gold: dict[str, Any], pred: dict[str, Any]) -> None:
    """Add one article's comparison to `report`."""
    report.articles += 1
    g_art, p_art = gold.get("article", {}), pred.get("article", {})
    for key, attr in (("district", "district_correct"), ("event_date", "event_date_correct")):
        if g_art.get(key) == p_art.get(key):
            setattr(report, attr, getattr(report, attr) + 1)
        else:
            report.article_errors.append(
                {"id": gold["id"], "field": key, "gold": g_art.get(key), "pred": p_art.get(key)}
            )
    for kind in FACT_TYPES:
        golds = [f for f in gold.get("facts", []) if f["type"] == kind]
        preds = [f for f in pred.get("facts", []) if f["type"] == kind]
        pairs = _pair(golds, preds)
        score = report.types[kind]
        score.tp += len(pairs)
        score.fn += len(golds) - len(pairs)
        score.fp += len(preds) - len(pairs)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        report.misses += [{"id": gold["id"], **_brief(g)} for i, g in enumerate(golds) if i not in matched_g]
        report.false_positives += [
            {"id": gold["id"], **_brief(p)} for i, p in enumerate(preds) if i not in matched_p
        ]
        if kind == "official":
            for gi, pi in pairs:
                report.role_total += 1
                report.role_correct += golds[gi].get("role") == preds[pi].get("role")
                if golds[gi].get("role") != preds[pi].get("role"):
                    report.article_errors.append(
                        {
                            "id": gold["id"],
                            "field": "role:" + str(golds[gi].get("name")),
                            "gold": golds[gi].get("role"),
                            "pred": preds[pi].get("role"),
                        }
                    )


def _brief(fact: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fact.items() if k != "evidence"}
    ev = fact.get("evidence")
    if ev:
        out["quote"] = ev.get("quote")
    return out


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def evaluate(golds: Iterable[dict[str, Any]], predict: Callable[[dict[str, Any]], dict[str, Any]]) -> Report:
    """Score `predict(gold_record)` (a facts.md document) against every gold record."""
    report = Report()
    for gold in golds:
        score_article(report, gold, predict(gold))
    return report


def format_table(report: Report) -> str:
    lines = [f"{'type':<14}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for kind, s in report.types.items():
        lines.append(f"{kind:<14}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    lines.append(
        f"official role accuracy {report.role_accuracy:.3f} ({report.role_correct}/{report.role_total})"
    )
    lines.append(
        f"district accuracy      {report.district_accuracy:.3f} ({report.district_correct}/{report.articles})"
    )
    lines.append(
        f"event_date accuracy    {report.event_date_accuracy:.3f} ({report.event_date_correct}/{report.articles})"
    )
    return "\n".join(lines)
