"""The bundled gold set: hand-written reports (fixtures/reports) and their facts (fixtures/gold/*.jsonl)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.config import FIXTURES
from pipeline.evaluate import read_jsonl

GOLD_DIR = FIXTURES / "gold"


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.jsonl"))


def gold_records(paths: Iterable[Path] | None = None) -> list[dict[str, Any]]:
    """Gold records with the report text attached (`_text`), resolved relative to fixtures/."""
    out = []
    for path in paths or gold_files():
        for rec in read_jsonl(Path(path)):
            report = Path(path).resolve().parent.parent / rec["file"]
            rec["_text"] = report.read_text(encoding="utf-8")
            out.append(rec)
    return out


def predict_gold(record: dict[str, Any]) -> dict[str, Any]:
    """Run the extractor on a gold record's report, with the metadata a crawler would have had."""
    from pipeline.api import _parse_published, extract_article

    result = extract_article(
        record["_text"], url=record.get("url"), published=_parse_published(record.get("published"))
    )
    return result.to_dict()
