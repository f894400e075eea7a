"""bench/results_out.py and the jsquad / levers scripts: an exploratory run never replaces the
tracked bench/results/*.md (it prints, or writes where --out says)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import jsquad_bench  # noqa: E402
import retrieval_levers  # noqa: E402
from results_out import documented_cv, results_path, write_results  # noqa: E402

from planqa.settings import RetrievalSettings  # noqa: E402


def _jsquad_args(**changes: object) -> argparse.Namespace:
    """The parsed arguments of a plain full run, with ``changes`` as if given on the line."""
    return argparse.Namespace(**{"limit": None, "dense_weight": None, "out": None, **changes})


def test_only_the_documented_run_writes_the_tracked_file(tmp_path: Path) -> None:
    tracked = tmp_path / "results" / "jsquad.md"
    assert results_path(tracked, None, documented=True) == tracked
    assert results_path(tracked, None, documented=False) is None
    chosen = tmp_path / "sample.md"
    assert results_path(tracked, chosen, documented=False) == chosen
    assert results_path(tracked, chosen, documented=True) == chosen


def test_an_exploratory_run_prints_and_leaves_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tracked = tmp_path / "jsquad.md"
    tracked.write_text("recorded full run\n", encoding="utf-8")
    write_results("a sample of 600\n", results_path(tracked, None, documented=False))
    assert tracked.read_text(encoding="utf-8") == "recorded full run\n"
    assert "--out" in capsys.readouterr().out


def test_jsquad_full_default_run_is_the_documented_one() -> None:
    defaults = RetrievalSettings()
    assert jsquad_bench.documented_run(_jsquad_args(), defaults, skipped=0)
    assert not jsquad_bench.documented_run(_jsquad_args(limit=600), defaults, skipped=0)
    assert not jsquad_bench.documented_run(_jsquad_args(dense_weight=0.0), defaults, 0)
    assert not jsquad_bench.documented_run(_jsquad_args(), defaults, skipped=3)
    changed = defaults.model_copy(update={"dense_weight": 0.0})
    assert changed.model_dump() != defaults.model_dump()
    assert not jsquad_bench.documented_run(_jsquad_args(), changed, skipped=0)


def test_levers_partial_run_is_not_the_documented_one() -> None:
    full = argparse.Namespace(only="", folds=5, repeats=3, out=None)
    assert retrieval_levers.documented_run(full)
    assert not retrieval_levers.documented_run(argparse.Namespace(**{**vars(full), "only": "rm3"}))
    assert not retrieval_levers.documented_run(argparse.Namespace(**{**vars(full), "folds": 3}))


def test_cross_validation_scripts_write_only_at_5_by_3() -> None:
    """cv_defaults.py, retrieval_fields.py, e5_levers.py: other splits are exploratory."""
    assert documented_cv(argparse.Namespace(folds=5, repeats=3))
    assert documented_cv(argparse.Namespace(folds=5, repeats=3, seed=0))
    assert not documented_cv(argparse.Namespace(folds=5, repeats=1))
    assert not documented_cv(argparse.Namespace(folds=5, repeats=3, seed=4))
