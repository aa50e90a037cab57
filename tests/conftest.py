"""Shared fixtures: paths to the project's fixtures and the optional ../shared material."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from pipeline.config import FIXTURES, SHARED

SEED = SHARED / "seed" / "bhaskarhindi-jabalpur-2021-06-04.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seed is not present")
    return SEED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# ---------------------------------------------------------------------------------------- fuzzing
# tests/test_fuzz.py runs every property with VAXNEWS_FUZZ_EXAMPLES examples (default: a few dozen, so that
# `make test` stays quick and, derandomized without an example database, gives the same inputs every
# run). `make fuzz` sets it high: then the inputs are random each night and failures are kept in
# .hypothesis/ for replay. The number of inputs actually tried is printed at the end of the session.
FUZZ_ENV = "VAXNEWS_FUZZ_EXAMPLES"
FUZZ_DEFAULT_EXAMPLES = 60
FUZZ_INPUTS: Counter[str] = Counter()  # property name -> inputs tried (tests/test_fuzz.py counts)


def fuzz_examples() -> int:
    raw = os.environ.get(FUZZ_ENV, "").strip()
    return max(1, int(raw)) if raw else FUZZ_DEFAULT_EXAMPLES


def fuzz_profile() -> str:
    """The hypothesis profile: random inputs when VAXNEWS_FUZZ_EXAMPLES is set (nightly), else fixed ones."""
    return "vaxnews-fuzz" if os.environ.get(FUZZ_ENV, "").strip() else "vaxnews-ci"


_FUZZ_COMMON: dict[str, Any] = {
    "max_examples": fuzz_examples(),
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
# CI: the same inputs every run, no example database; nightly: new random inputs each run.
hypothesis_settings.register_profile("vaxnews-ci", derandomize=True, database=None, **_FUZZ_COMMON)
hypothesis_settings.register_profile("vaxnews-fuzz", derandomize=False, **_FUZZ_COMMON)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FUZZ_INPUTS:
        return
    total = sum(FUZZ_INPUTS.values())
    terminalreporter.write_sep("-", f"fuzz: {total:,} inputs tried ({fuzz_profile()} profile)")
    for name, n in sorted(FUZZ_INPUTS.items()):
        terminalreporter.write_line(f"  {n:>9,}  {name}")
