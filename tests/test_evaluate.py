"""The scorer follows facts.md's rules: what counts as the same fact, per type."""

from pipeline.evaluate import Report, dice, names_match, score_article


def _doc(facts, district="Jabalpur", event_date="2021-06-03"):
    return {"id": "x", "article": {"district": district, "event_date": event_date}, "facts": facts}


def dose(value, measure="administered", age=None, dose_no=None, **kw):
    return {"type": "dose_count", "value": value, "measure": measure, "age_group": age, "dose": dose_no, **kw}


def test_dose_match_needs_value_measure_age_and_dose():
    report = Report()
    gold = _doc([dose(22397), dose(19000, age="18-44"), dose(27200, "target")])
    pred = _doc([dose(22397, qualifier="approx"), dose(19000), dose(27200, "administered")])
    score_article(report, gold, pred)
    s = report.types["dose_count"]
    assert (s.tp, s.fp, s.fn) == (1, 2, 2)
    assert len(report.misses) == 2 and len(report.false_positives) == 2


def test_matching_is_one_to_one():
    report = Report()
    score_article(report, _doc([dose(500)]), _doc([dose(500), dose(500)]))
    s = report.types["dose_count"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_center_names_match_by_containment_or_bigram_dice():
    assert names_match("डीएन जैन विद्यालय परिसर", "डीएन जैन विद्यालय")
    assert names_match("साउथ एवेन्यू मॉल", "साउथ  एवेन्यू  मॉल")
    assert names_match("सामुदायिक स्वास्थ्य केन्द्र दुगड्डा", "सामुदायिक स्वास्थ्य केंद्र दुगड्डा")
    assert not names_match("साउथ एवेन्यू मॉल", "डब्ल्यूएसईसी स्कूल")
    assert dice("abcd", "abcd") == 1.0


def test_outage_duration_must_agree_only_when_gold_has_one():
    report = Report()
    gold = _doc([{"type": "outage", "duration_minutes": 60}, {"type": "outage", "duration_minutes": None}])
    pred = _doc([{"type": "outage", "duration_minutes": 30}, {"type": "outage", "duration_minutes": 60}])
    score_article(report, gold, pred)
    s = report.types["outage"]
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)


def test_official_role_accuracy_and_article_fields():
    report = Report()
    gold = _doc(
        [
            {"type": "official", "name": "रत्नेश कुररिया", "role": "cmho"},
            {"type": "official", "name": "संजय यादव", "role": "mla"},
        ]
    )
    pred = _doc(
        [
            {"type": "official", "name": "रत्नेश कुररिया", "role": "cmho"},
            {"type": "official", "name": "संजय यादव", "role": "mp"},
        ],
        event_date="2021-06-04",
    )
    score_article(report, gold, pred)
    assert report.role_correct == 1 and report.role_total == 2
    assert report.district_accuracy == 1.0 and report.event_date_accuracy == 0.0
    assert report.types["official"].f1 == 1.0


def test_empty_gold_and_prediction_scores_perfectly():
    report = Report()
    score_article(report, _doc([]), _doc([]))
    assert all(s.f1 == 1.0 for s in report.types.values())
