"""bench/common/grid_fit.py: the one-grid fitters' shared run chooses the setting with the
most facts on every set but the fresh test split, reports it beside the setting it must
beat, and replaces the tracked results file only on a writing run (synthetic answers)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from common import grid_fit  # noqa: E402
from common.answer_runs import Scored, header  # noqa: E402

SETS = {
    name: [SimpleNamespace(id=f"{name}-{i}") for i in range(10)]
    for name in ("own dev", "fresh test", "outside")
}


def _answers(service, sets, settings, apply, name):
    """Setting 2 states every fact, the others half of them; ``apply`` sees each setting."""
    table = {}
    for setting in settings:
        apply(setting)
        facts = 1.0 if setting == 2 else 0.5
        for set_name, questions in sets.items():
            rows = [Scored(facts, facts, 1.0, 1.0, 100, True, True) for _ in questions]
            table.setdefault(set_name, {})[setting] = rows
    return table


def _fit(results: Path) -> grid_fit.GridFit[int]:
    return grid_fit.GridFit(
        script="fit_example.py",
        results=results,
        title="# Example",
        about="about.",
        head=header("setting"),
        settings=(0, 1, 2),
        name=lambda s: "off" if s == 0 else f"at {s}",
        off=0,
        noun="setting",
        plural="Settings",
    )


@pytest.mark.parametrize("write", [False, True])
def test_the_setting_with_the_most_facts_is_chosen_and_written_only_with_write(
    write: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(grid_fit, "answer_at_each", _answers)
    results = tmp_path / "example.md"
    applied: list[int] = []
    args = argparse.Namespace(out=None, write=write)
    chosen = _fit(results).run(args, None, SETS, applied.append)
    assert applied == [0, 1, 2]
    assert chosen.setting == 2 and chosen.fitted == ("own dev", "outside")
    out = capsys.readouterr().out
    assert "Chosen on own dev, outside together: **at 2**." in out
    assert "| outside, CV | 1.000 |" in out and "| outside, off | 0.500 |" in out
    assert "Command: `.venv/bin/python bench/fit_example.py --write`" in out
    assert results.is_file() == write
