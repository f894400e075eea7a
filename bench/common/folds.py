"""Grouped k-fold splits, and a setting chosen on the folds without each question.

A question's rows stay in one fold (grouped by a key such as ``set:id``, or a
conversation), so a setting is never chosen on the question it is scored on. The answer
fitters (bench/fit_admission.py, fit_clause.py, fit_new_pages.py, fit_sure_lead.py,
admission_variants.py, fit_followup_prior.py) use ``FOLDS`` folds over each of ``SEEDS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import numpy as np

FOLDS = 5
SEEDS = (0, 1, 2)

T = TypeVar("T")
R = TypeVar("R")


def folds(groups: Sequence[str], seed: int) -> list[tuple[list[int], list[int]]]:
    """(train, test) indices of ``groups`` for each of ``FOLDS`` folds grouped by value."""
    order = sorted(set(groups))
    random.Random(seed).shuffle(order)
    fold_of = {g: i % FOLDS for i, g in enumerate(order)}
    return [
        (
            [i for i, g in enumerate(groups) if fold_of[g] != fold],
            [i for i, g in enumerate(groups) if fold_of[g] == fold],
        )
        for fold in range(FOLDS)
    ]


def cross_validate(
    table: dict[T, list[R]],
    groups: Sequence[str],
    choose: Callable[[dict[T, list[R]]], T],
) -> tuple[list[tuple[int, R]], list[T]]:
    """Each question, by its index in ``groups``, at the setting ``choose`` picks on the
    folds without it (folds grouped by question, over every seed), and the settings picked."""
    held: list[tuple[int, R]] = []
    chosen: list[T] = []
    for seed in SEEDS:
        for train, test in folds(groups, seed):
            setting = choose({k: [rows[i] for i in train] for k, rows in table.items()})
            chosen.append(setting)
            held.extend((i, table[setting][i]) for i in test)
    return held, chosen


def stratified_folds(
    strata: np.ndarray, n_folds: int, repeats: int, seed: int = 0
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(repeat, train, test) positions of ``strata`` in a stratified k-fold split repeated
    ``repeats`` times (repeat r shuffled with seed ``seed + r``): the retrieval fitters'
    folds (bench/cv_defaults.py, retrieval_fields.py, caller_fusion.py, ...)."""
    from sklearn.model_selection import StratifiedKFold

    for repeat in range(repeats):
        splitter = StratifiedKFold(n_folds, shuffle=True, random_state=seed + repeat)
        for train, test in splitter.split(strata, strata):
            yield repeat, train, test
