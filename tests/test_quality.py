"""Quality gate (like trafilatura's): extraction scores may not drop below the floors stored in
tests/quality_floors.json — on the tuning set (fixtures/gold) and on all hand-made sets together
(fixtures/gold + the held-out sets D–G, which were used to find general rules after their first,
blind measurement). Raise the floors as the extractor improves; never lower them silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import FIXTURES
from pipeline.evaluate import evaluate
from pipeline.gold import gold_files, gold_records, predict_gold

FLOORS = json.loads((Path(__file__).with_name("quality_floors.json")).read_text())
ALL_SETS = gold_files() + sorted(FIXTURES.glob("heldout*/gold/*.jsonl"))
SETS = {"tuning": gold_files(), "all_sets": ALL_SETS}


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request):
    return request.param, evaluate(gold_records(SETS[request.param]), predict_gold)


def test_gold_sets_are_big_enough_and_quotes_exact():
    records = gold_records(ALL_SETS)
    assert len(gold_records(gold_files())) >= 60 and len(records) >= 150
    for rec in records:
        for fact in rec["facts"]:
            assert fact["quote"] in rec["_text"], (rec["id"], fact["quote"])


def test_scores_at_or_above_floors(scored):
    name, report = scored
    summary = report.summary()
    failures = []
    for key, floor in FLOORS[name].items():
        value = summary[key]["f1"] if isinstance(summary[key], dict) else summary[key]
        if value < floor:
            failures.append(f"{key}: {value:.3f} < floor {floor}")
    assert not failures, f"{name}: " + "; ".join(failures)
