"""Quality gate (like trafilatura's): extraction scores on the bundled gold set may not drop below the
floors stored in tests/quality_floors.json. Raise the floors as the extractor improves; never lower them
silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate
from pipeline.gold import gold_records, predict_gold

FLOORS = json.loads((Path(__file__).with_name("quality_floors.json")).read_text())


@pytest.fixture(scope="module")
def report():
    return evaluate(gold_records(), predict_gold)


def test_gold_set_is_big_enough():
    records = gold_records()
    assert len(records) >= 60
    for rec in records:
        for fact in rec["facts"]:
            assert fact["quote"] in rec["_text"], (rec["id"], fact["quote"])


@pytest.mark.parametrize("fact_type", ["dose_count", "center_count", "center", "outage", "official"])
def test_f1_at_or_above_floor(report, fact_type):
    f1 = report.types[fact_type].f1
    assert f1 >= FLOORS[fact_type], f"{fact_type} F1 {f1:.3f} fell below the floor {FLOORS[fact_type]}"


@pytest.mark.parametrize("field", ["official_role_accuracy", "district_accuracy", "event_date_accuracy"])
def test_accuracy_at_or_above_floor(report, field):
    value = report.summary()[field]
    assert value >= FLOORS[field], f"{field} {value:.3f} fell below the floor {FLOORS[field]}"
