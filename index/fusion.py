"""Fusing ranked lists from the lexical and dense retrievers: pure functions over scores.

Plain RRF of BM25 and USE-m3 lowered recall here, so each list has a weight chosen per
encoder by measurement on the gold set (eval/), and a weight of 0 drops a list entirely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60


def weighted_rrf(
    rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], *, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion: score(d) = Σ w_list / (k + rank_list(d))."""
    scores: dict[str, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 1.0)
        if weight <= 0:
            continue
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def weighted_scores(
    scored: Mapping[str, Mapping[str, float]], weights: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Convex combination of max-normalised scores (a missing item scores 0 in that list)."""
    combined: dict[str, float] = {}
    for name, scores in scored.items():
        weight = weights.get(name, 1.0)
        if weight <= 0 or not scores:
            continue
        top = max(scores.values())
        low = min(scores.values())
        span = (top - low) or 1.0
        for item, score in scores.items():
            combined[item] = combined.get(item, 0.0) + weight * (score - low) / span
    return sorted(combined.items(), key=lambda pair: (-pair[1], pair[0]))
