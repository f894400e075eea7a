"""bench/fit_decline.py --signals: fit and cross-validate exactly the named signals, no forward
selection; --write: the fit replaces its own fields of the model file and keeps the others
(the real fitter over a tiny synthetic row set written to a --rows file)."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import fit_decline  # noqa: E402
from decline_features import Row, save  # noqa: E402

from answer.decline import MODEL_PATH, DeclineSignals  # noqa: E402

NAMES = DeclineSignals.names()


def _rows() -> list[Row]:
    """Answerable rows covered well, unanswerable ones poorly; every signal a little noisy."""
    rng = random.Random(7)
    rows = []
    for number in range(48):
        answerable = number % 2
        signals = [rng.random() * 0.2 for _ in NAMES]
        signals[NAMES.index("coverage")] = (0.7 if answerable else 0.2) + rng.random() * 0.2
        signals[NAMES.index("best_compounds")] = (0.6 if answerable else 0.1) + rng.random() * 0.3
        name = "own-dev" if answerable else "own-unanswerable"
        rows.append(Row(f"q{number}", name, f"q{number}", answerable, signals, bool(answerable)))
    return rows


def _weights(out: str) -> dict[str, float]:
    line = next(line for line in out.splitlines() if line.startswith("chosen C="))
    return {name: float(value) for name, value in re.findall(r"(\w+) ([+-]\d+\.\d+)", line)}


def test_signals_fits_exactly_those(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "rows.jsonl"
    save(_rows(), rows)
    argv = ["--rows", str(rows), "--folds", "2", "--repeats", "1", "--without-decisive"]
    fit_decline.main([*argv, "--signals", "best_compounds,coverage"])
    out = capsys.readouterr().out
    assert "| fixed: coverage, best_compounds |" in out
    assert "| + " not in out  # no forward selection over the other signals
    assert "--signals coverage,best_compounds" in out  # the command shown reproduces it
    weights = _weights(out)
    assert weights["coverage"] > 0 and weights["best_compounds"] > 0
    assert all(weights[name] == 0 for name in NAMES if name not in ("coverage", "best_compounds"))


def test_the_command_shown_is_the_one_run_with_the_user_s_folders_written_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows.jsonl"
    save(_rows(), rows)
    argv = ["--rows", str(rows), "--folds", "2", "--repeats", "1", "--without-decisive"]
    fit_decline.main([*argv, "--signals", "coverage"])
    out = capsys.readouterr().out
    command = next(line for line in out.splitlines() if line.startswith("command: "))
    assert command == (
        "command: .venv/bin/python bench/fit_decline.py --rows DATA/rows.jsonl --folds 2 "
        "--repeats 1 --without-decisive --signals coverage"
    )  # no JSQuAD file was given: none is shown
    assert str(tmp_path) not in out


def test_unknown_signal_stops_naming_the_known_ones() -> None:
    with pytest.raises(SystemExit) as raised:
        fit_decline.parse_signals("coverage,coverge", NAMES)
    assert "coverge" in str(raised.value) and "unknown_names" in str(raised.value)
    assert "/" in str(raised.value)  # Japanese / English


def test_write_keeps_the_provenance_blocks_it_does_not_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full refit replaces the weights and its own provenance; the held-weight fits
    (bench/fit_decline_held.py) and notes on signals at weight 0 are another step's record."""
    shipped_text = MODEL_PATH.read_text(encoding="utf-8")
    shipped = json.loads(shipped_text)
    theirs = ("held_weight_fit", "held_weight_fits_before", "signals_added_at_weight_0")
    assert all(key in shipped for key in theirs)  # the copy holds what the test guards
    model = tmp_path / "decline_model.json"
    model.write_text(shipped_text, encoding="utf-8")
    monkeypatch.setattr(fit_decline, "MODEL_PATH", model)
    rows = tmp_path / "rows.jsonl"
    save(_rows(), rows)
    argv = ["--rows", str(rows), "--folds", "2", "--repeats", "1", "--without-decisive"]
    fit_decline.main([*argv, "--signals", "best_compounds,coverage", "--write"])
    assert f"wrote {model}" in capsys.readouterr().out
    written = json.loads(model.read_text(encoding="utf-8"))
    fitted = ("coverage", "best_compounds")  # the fit's own weights replace the shipped ones
    assert all(written["weights"][name] > 0 for name in fitted)
    assert all(w == 0 for name, w in written["weights"].items() if name not in fitted)
    assert set(shipped) <= set(written)
    assert {key: written[key] for key in theirs} == {key: shipped[key] for key in theirs}
    assert MODEL_PATH.read_text(encoding="utf-8") == shipped_text  # the shipped file untouched
