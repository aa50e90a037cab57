"""Shared fixtures: paths to the project's fixtures and the optional ../shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

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
