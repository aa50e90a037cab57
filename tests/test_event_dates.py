"""Article-level event dates in report shapes added after the first date tests (phrasing.md §6)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import event_date, parse_timestamp


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a yearless dateline day whose weekday agrees with the body in 2021
        (
            "टीकाकरण\nहजारीबाग, 24 जून। जिले में गुरुवार को 10682 लोगों को टीका लगाया गया।",
            None,
            dt.date(2021, 6, 24),
        ),
        (
            "शिविर\nहिसार, 2 अक्तूबर। शनिवार को रेडक्रॉस के शिविर में 425 लोगों ने टीका लगवाया।",
            None,
            dt.date(2021, 10, 2),
        ),
        # an agency code after the dateline date
        (
            "टीकाकरण\nकरनाल, 29 जुलाई (निस)\nजिले में बृहस्पतिवार को 8745 लोगों को वैक्सीन लगाई गई।",
            None,
            dt.date(2021, 7, 29),
        ),
        # a press note's dateline with दिनांक
        (
            "प्रगति\nप्रेस नोट\nभीलवाड़ा, दिनांक 10 मई, 2021\nआज जिले में 5,756 लोगों का टीकाकरण किया गया।",
            None,
            dt.date(2021, 5, 10),
        ),
        # a weekday used as a modifier is not the day of the event
        (
            "ओटीपी नहीं आया\nरांची: मंगलवार के स्लॉट सोमवार रात 8 बजे खोले गए, लेकिन कोविन पर ओटीपी नहीं आया।",
            "2021-05-11T08:20:00+05:30",
            dt.date(2021, 5, 10),
        ),
    ],
)
def test_event_dates(text, published, expected):
    stamp = parse_timestamp(published) if published else None
    assert event_date(text, stamp)[0] == expected
