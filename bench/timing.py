"""The one timing rule of `make bench`: the median wall time of several repetitions."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall-clock seconds of `repeat` calls of `fn` (the median shrugs off a stray slow run)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
