"""bench/fit_held_feature.py fits several ranker weights jointly with the rest held: a new
feature beside the shipped weight it may stand in for."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from common.ranker_fit import fit_held, provenance_with  # noqa: E402
from common.ranker_groups import Group  # noqa: E402
from fit_held_feature import joint_directions  # noqa: E402

FEATURES = ("rank", "share", "other")


def _groups() -> list[Group]:
    """Candidate pairs where the first context (rank 1) is wrong and the second, whose
    retrieval score is as good (share 1), is right."""
    x = np.array([[1.0, 1.0, 0.0], [0.5, 1.0, 0.0]])
    return [Group(f"q{i}", "own dev", x, np.array([False, True]), np.zeros(2)) for i in range(8)]


def test_each_named_weight_gets_its_own_column():
    directions = joint_directions(["share", "rank"], FEATURES)
    assert directions.shape == (3, 2)
    assert directions[:, 0].tolist() == [0.0, 1.0, 0.0]
    assert directions[:, 1].tolist() == [1.0, 0.0, 0.0]


def test_a_joint_fit_frees_the_held_weight_the_new_one_stands_beside():
    held = np.array([2.0, 0.0, 0.5])  # the shipped rank weight favours the wrong context
    alone = fit_held(_groups(), held, joint_directions(["share"], FEATURES), 0.01)
    jointly = fit_held(_groups(), held, joint_directions(["share", "rank"], FEATURES), 0.01)
    # The share is the same for both candidates: alone it cannot move the choice, and the
    # held rank weight keeps the wrong one first; fitted jointly the rank weight turns.
    assert alone.shape == (1,)
    assert jointly.shape == (2,) and jointly[1] < 0
    scores = _groups()[0].x @ (
        held * [0, 1, 1] + joint_directions(["share", "rank"], FEATURES) @ jointly
    )
    assert scores[1] > scores[0]


def test_a_refit_replaces_only_its_own_note_in_the_provenance():
    saved = "fit on own dev; asked_side = -other_side fitted 1; two_points fitted 2; x fitted 3"
    refit = provenance_with(saved, "; asked_side = -other_side fitted 4", "; asked_side")
    assert (
        refit
        == "fit on own dev; two_points fitted 2; x fitted 3; asked_side = -other_side fitted 4"
    )
    again = provenance_with(saved, "; two_points fitted 5", "; two_points fitted")
    assert (
        again
        == "fit on own dev; asked_side = -other_side fitted 1; x fitted 3; two_points fitted 5"
    )
