"""Index tests share a data folder holding a copy of the plan overview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

OVERVIEW = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"
)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A data folder with the plan overview alone (tests edit, add and delete files in it)."""
    data = tmp_path / "plans"
    data.mkdir()
    shutil.copy(OVERVIEW, data / OVERVIEW.name)
    return data
