"""bench/results_out.py and the jsquad / levers scripts: an exploratory run never replaces the
tracked bench/results/*.md (it prints, or writes where --out says)."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import jsquad_bench  # noqa: E402
import retrieval_levers  # noqa: E402
from results_out import (  # noqa: E402
    add_out_option,
    documented_cv,
    documented_defaults,
    results_path,
    settings_overrides,
    write_results,
)

from planqa.settings import RetrievalSettings  # noqa: E402


def _jsquad_args(**changes: object) -> argparse.Namespace:
    """The parsed arguments of a plain full run, with ``changes`` as if given on the line."""
    plain = {"dataset": Path("DATA/valid-v1.3.json"), "limit": None, "dense_weight": None}
    return argparse.Namespace(**{**plain, "out": None, **changes})


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


def test_jsquad_full_default_run_is_the_documented_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in settings_overrides():  # the test reads the environment it sets, no other
        monkeypatch.delenv(name)
    defaults = RetrievalSettings()
    assert jsquad_bench.documented_run(_jsquad_args(), defaults, skipped=0)
    assert not jsquad_bench.documented_run(_jsquad_args(limit=600), defaults, skipped=0)
    test_split = _jsquad_args(dataset=Path("DATA/test-v1.3.json"))  # the file records valid
    assert not jsquad_bench.documented_run(test_split, defaults, skipped=0)
    assert not jsquad_bench.documented_run(_jsquad_args(dense_weight=0.0), defaults, 0)
    assert not jsquad_bench.documented_run(_jsquad_args(), defaults, skipped=3)
    monkeypatch.setenv("PLANQA_ANSWER__DECLINE_MODEL", "/tmp/other.json")
    assert not jsquad_bench.documented_run(_jsquad_args(), defaults, skipped=0)
    monkeypatch.delenv("PLANQA_ANSWER__DECLINE_MODEL")
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


SPEED_BENCHES = ["answer_cpu", "api_bench", "openai_bench", "index_bench", "retrieval_tuning"]


def test_documented_defaults_reads_every_option_and_the_settings() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--var-dir", type=Path, default=None)
    add_out_option(parser)
    quiet: dict[str, str] = {}
    assert documented_defaults(parser, parser.parse_args([]), environ=quiet)
    assert documented_defaults(parser, parser.parse_args(["--out", "x.md"]), environ=quiet)
    assert not documented_defaults(parser, parser.parse_args(["--runs", "1"]), environ=quiet)
    assert not documented_defaults(parser, parser.parse_args(["--var-dir", "v"]), environ=quiet)
    assert documented_defaults(parser, parser.parse_args(["--runs", "1"]), ("runs",), quiet)
    changed = {"PLANQA_RETRIEVAL__DENSE_WEIGHT": "0", "HOME": "/root"}
    assert settings_overrides(changed) == ["PLANQA_RETRIEVAL__DENSE_WEIGHT"]
    assert not documented_defaults(parser, parser.parse_args([]), environ=changed)


@pytest.mark.parametrize("name", SPEED_BENCHES)
def test_a_speed_bench_records_only_its_default_run(name: str) -> None:
    """answer_cpu, api_bench, openai_bench, index_bench and retrieval_tuning overwrote their
    results file on every run: one run with --runs 1 replaced a median of three."""
    script = importlib.import_module(name)
    parser = script.arguments()
    assert documented_defaults(parser, parser.parse_args([]), environ={})
    assert "out" in vars(parser.parse_args([]))
    for option in (a for a in parser._actions if a.dest not in {*FREE[name], "help"}):
        changed = parser.parse_args([option.option_strings[0], _other_value(option)])
        assert not documented_defaults(parser, changed, FREE[name], environ={}), option.dest
    overridden = {"PLANQA_RETRIEVAL__TOP_K": "3"}
    assert not documented_defaults(parser, parser.parse_args([]), FREE[name], overridden)
    source = (BENCH / f"{name}.py").read_text(encoding="utf-8")
    # the one place it writes: the tracked file only for the documented run
    assert "write_results(" in source and "documented_defaults(parser, args" in source


FREE = {
    "answer_cpu": ("out", "profile"),
    "api_bench": ("out",),
    "openai_bench": ("out",),
    "index_bench": ("out",),
    "retrieval_tuning": ("out", "encoder"),
}


def _other_value(option: argparse.Action) -> str:
    """A value for ``option`` that differs from its default."""
    if option.default is None:
        return "elsewhere"
    if isinstance(option.default, int | float):
        return str(option.default + 1)
    return f"{option.default}-other"


FITTERS = [
    "fit_admission",
    "fit_clause",
    "fit_held_feature",
    "fit_new_pages",
    "fit_ranker",
    "fit_sure_lead",
    "side_features",
    "fit_chive_similarity",
]

# The shared code a fitter hands its command line or its report to, by the call that does.
DELEGATES = {
    "fitter_options(": BENCH / "common" / "options.py",
    "GridFit(": BENCH / "common" / "grid_fit.py",
}


def _source_of(name: str) -> str:
    """A fitter's source, and that of the shared code it delegates to (and that delegates to)."""
    source = (BENCH / f"{name}.py").read_text(encoding="utf-8")
    read: set[Path] = set()
    while unread := [p for call, p in DELEGATES.items() if call in source and p not in read]:
        read.update(unread)
        source = "\n".join([source, *(path.read_text(encoding="utf-8") for path in unread)])
    return source


@pytest.mark.parametrize("name", FITTERS)
def test_a_fitter_writes_its_results_file_only_with_the_data_it_documents(name: str) -> None:
    """A fitter's results file says how the shipped weights were fitted: an exploratory run
    (a sample, another feature, no --write) used to replace it while the data stayed."""
    source = _source_of(name)
    assert "add_out_option(parser)" in source and "write_results(" in source
    assert "RESULTS.write_text(" not in source and "results.write_text(" not in source
    if name != "fit_chive_similarity":  # it writes no data: its documented run is the default
        assert "results_path(RESULTS, args.out, args.write)" in source.replace(
            "results_path(results,", "results_path(RESULTS,"
        ).replace("results_path(self.results,", "results_path(RESULTS,")
