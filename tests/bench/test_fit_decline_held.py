"""bench/fit_decline_held.py: one added signal's weight chosen with the shipped weights held,
within the false-decline limits (the real fitter's criterion over tiny synthetic rows)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import fit_decline_held  # noqa: E402
from common.decline_fit import Data  # noqa: E402
from decline_features import Row  # noqa: E402

from answer.decline import DeclineSignals  # noqa: E402

NAMES = DeclineSignals.names()
ADDED = NAMES.index("value_unbound")


def _row(number: int, name: str, answerable: int, fires: bool) -> Row:
    signals = [0.0] * len(NAMES)
    signals[ADDED] = float(fires)
    return Row(f"{name}{number}", name, f"{name}{number}", answerable, signals, True)


def _data(answerable_firing: int) -> tuple[Data, np.ndarray]:
    """40 answerable own-dev rows, ``answerable_firing`` of them firing; 10 unanswerable
    rows, all firing; every row answered by the held model with a margin of 1."""
    rows = [_row(i, "own-dev", 1, i < answerable_firing) for i in range(40)]
    rows += [_row(i, "own-unanswerable", 0, True) for i in range(10)]
    data = Data(rows)
    return data, np.ones(len(rows))


def test_a_weight_declining_only_unanswerable_rows_is_chosen():
    data, base = _data(answerable_firing=0)
    weight = fit_decline_held.pick(data, base, ADDED)
    assert weight < -1  # past the margin of 1: the unanswerable rows are declined
    assert weight == -1.25  # the smallest in size that does it


def test_no_weight_is_chosen_when_it_would_decline_answerable_rows_over_the_limit():
    # 4 of 40 answerable rows fire (0.10 > 0.05): any weight declining the unanswerable
    # rows declines them too.
    data, base = _data(answerable_firing=4)
    assert fit_decline_held.pick(data, base, ADDED) == 0.0
