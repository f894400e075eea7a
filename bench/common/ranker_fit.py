"""The sentence ranker fitted on recorded groups (common/ranker_groups.py) and scored.

The model is a conditional logit: for each group, softmax over its candidates' linear
scores, maximising the probability of the positives, with an L2 penalty. ``fit`` refits
every weight; ``fit_held`` fits a few directions with every other weight held at the
shipped ones (a full refit moved the score scale the admission margin and the decline
model were fitted to, and lost end to end: bench/results/ranker-train.md). Both are scored
under grouped k-fold cross-validation (common/folds.py, folds by question): a plan question
is always scored by a model that never saw it. Shared by bench/fit_ranker.py,
ranker_feature_cv.py, side_features.py and fit_held_feature.py.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import minimize

from answer.ranker import DEFAULT_MODEL
from common.folds import folds
from common.ranker_groups import Group


def machine_line() -> str:
    """The opening of the ranker benches' results: machine, cores, Python, when."""
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')} UTC."
    )


def _loss(weights: np.ndarray, groups: Sequence[Group], penalty: float) -> tuple[float, np.ndarray]:
    total = penalty * float(weights @ weights)
    grad = 2 * penalty * weights
    mass = sum(group.weight for group in groups)
    for group in groups:
        s = group.x @ weights
        s -= s.max()
        p = np.exp(s)
        p /= p.sum()
        pos = p[group.positive].sum()
        total -= group.weight * np.log(max(pos, 1e-12)) / mass
        q = np.where(group.positive, p, 0.0) / max(pos, 1e-12)
        grad -= group.weight * (group.x.T @ (q - p)) / mass
    return total, grad


def fit(groups: Sequence[Group], penalty: float, scale: np.ndarray) -> np.ndarray:
    scaled = [
        Group(g.question_id, g.source, g.x / scale, g.positive, g.hand, g.weight) for g in groups
    ]
    start = np.zeros(groups[0].x.shape[1])
    result = minimize(_loss, start, args=(scaled, penalty), jac=True, method="L-BFGS-B")
    return result.x / scale


def scale_of(groups: Sequence[Group]) -> np.ndarray:
    stacked = np.vstack([g.x for g in groups])
    return np.maximum(np.abs(stacked).max(axis=0), 1e-6)


def weighted(groups: Sequence[Group], weight: float) -> list[Group]:
    """``groups`` with ``weight`` in the loss (the plan groups beside public data)."""
    return [Group(g.question_id, g.source, g.x, g.positive, g.hand, weight) for g in groups]


def held_parts(
    groups: Sequence[Group], held: np.ndarray, directions: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per group (held score, fitted columns, positives) for ``fit_held``: the weights are
    ``held`` (with 0 wherever a direction moves them) plus ``directions @ w``."""
    moved = np.abs(directions).sum(axis=1) > 0
    base = np.where(moved, 0.0, held)
    return [(g.x @ base, g.x @ directions, g.positive) for g in groups]


def fit_held(
    groups: Sequence[Group], held: np.ndarray, directions: np.ndarray, penalty: float
) -> np.ndarray:
    """The weights w of new features fitted with every other weight held at ``held``.

    ``directions`` (features × k) says what each fitted weight moves: a column with one 1
    fits one feature's weight; asked_side − other_side fits the pair as one. The held
    weights keep the ranker's score scale, which the admission margin and the decline
    model were fitted to (a full refit moved it and lost end to end:
    bench/results/ranker-train.md); L2 ``penalty`` on w only, a conditional logit over
    each group's candidates as ``fit``."""
    parts = held_parts(groups, held, directions)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total = penalty * float(w @ w)
        grad = 2 * penalty * w
        for offset, z, positive in parts:
            s = offset + z @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            pos = p[positive].sum()
            total -= np.log(max(pos, 1e-12)) / len(parts)
            q = np.where(positive, p, 0.0) / max(pos, 1e-12)
            grad -= (z.T @ (q - p)) / len(parts)
        return total, grad

    start = np.zeros(directions.shape[1])
    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def first_right(groups: Sequence[Group], weights: np.ndarray | None) -> float:
    """The share of ``groups`` whose first-ranked candidate (by ``weights``; None: the
    hand-set score) is positive."""
    hits = []
    for group in groups:
        scores = group.hand if weights is None else group.x @ weights
        hits.append(bool(group.positive[int(np.argmax(scores))]))
    return float(np.mean(hits)) if hits else float("nan")


def _question_folds(groups: Sequence[Group], seed: int) -> list[tuple[list[int], list[int]]]:
    return folds([g.question_id for g in groups], seed)


def cross_validate(
    groups: list[Group],
    penalty: float,
    seeds: int = 3,
    extra: Sequence[Group] = (),
    plan_weight: float = 1.0,
) -> dict[str, float]:
    """Per source, the first-ranked accuracy of models that never saw the question; each
    fold's model also learns from ``extra`` (public data), the plan groups weighted."""
    by_source: dict[str, list[bool]] = {}
    for seed in range(seeds):
        for kept, fold in _question_folds(groups, seed):
            train = [*extra, *weighted([groups[i] for i in kept], plan_weight)]
            weights = fit(train, penalty, scale_of(train))
            for i in fold:
                g = groups[i]
                by_source.setdefault(g.source, []).append(
                    bool(g.positive[int(np.argmax(g.x @ weights))])
                )
    return {source: float(np.mean(hits)) for source, hits in by_source.items()}


def cross_validate_held(
    groups: list[Group],
    held: np.ndarray,
    directions: np.ndarray,
    penalty: float,
    seeds: int = 3,
    train_on: Sequence[str] | None = None,
) -> tuple[dict[str, float], list[np.ndarray]]:
    """``cross_validate`` for ``fit_held``: per source, the first-ranked accuracy of held
    weights plus new ones fitted on the other folds (of the sources ``train_on`` only, when
    given: the sets the saved weight learns from); also the new weights of each fold."""
    moved = np.abs(directions).sum(axis=1) > 0
    base = np.where(moved, 0.0, held)
    by_source: dict[str, list[bool]] = {}
    chosen = []
    for seed in range(seeds):
        for kept, fold in _question_folds(groups, seed):
            train = [groups[i] for i in kept if train_on is None or groups[i].source in train_on]
            w = fit_held(train, held, directions, penalty)
            chosen.append(w)
            weights = base + directions @ w
            for i in fold:
                g = groups[i]
                by_source.setdefault(g.source, []).append(
                    bool(g.positive[int(np.argmax(g.x @ weights))])
                )
    return {source: float(np.mean(hits)) for source, hits in by_source.items()}, chosen


def cell(values: Mapping[str, float], sources: Sequence[str]) -> str:
    """A table cell: each source's share, then their mean in brackets."""
    return " / ".join(f"{values[s]:.3f}" for s in sources) + (
        f" ({statistics.mean(values[s] for s in sources):.3f})"
    )


def provenance_with(provenance: str, note: str, replaces: str) -> str:
    """``provenance`` (its fit notes joined by "; ") without the earlier note of the same
    weights (the one starting with ``replaces``) and with ``note`` at the end. Only that
    note goes: cutting at ``replaces`` dropped every note recorded after it."""
    earlier = replaces.removeprefix("; ")
    kept = [part for part in provenance.split("; ") if not part.startswith(earlier)]
    return "; ".join(kept) + note


def save_weights(weights: Mapping[str, float], note: str, replaces: str) -> None:
    """Set ``weights`` in data/answer/ranker.json, the others kept; its provenance loses
    the note of an earlier fit of the same weights (``replaces``) and gains ``note``."""
    saved = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    saved["weights"].update(weights)
    saved["provenance"] = provenance_with(saved["provenance"], note, replaces)
    DEFAULT_MODEL.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {DEFAULT_MODEL}")
