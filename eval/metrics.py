"""Retrieval metrics over evidence strings: pure functions.

A chunk is relevant to a question when its normalised text (NFKC, tags stripped, whitespace
removed) contains one of the question's normalised evidence strings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ingest.clean import normalize_for_match


def covered_evidence(evidence: Sequence[str], text: str) -> set[int]:
    normalized = normalize_for_match(text)
    return {i for i, e in enumerate(evidence) if normalize_for_match(e) in normalized}


def relevance(evidence: Sequence[str], texts: Sequence[str]) -> list[set[int]]:
    """For each ranked text, which evidence strings it contains."""
    return [covered_evidence(evidence, text) for text in texts]


def hit_at(rel: Sequence[set[int]], k: int) -> float:
    """1 when some evidence string lies in the top ``k``, else 0: the outside set's recall@k
    (../shared/eval/README.md)."""
    return 1.0 if any(rel[:k]) else 0.0


def recall_at(rel: Sequence[set[int]], n_evidence: int, k: int) -> float:
    """Share of the evidence strings found in the top ``k`` (all parts of a multi question)."""
    if n_evidence == 0:
        return 0.0
    found = set().union(*rel[:k]) if rel[:k] else set()
    return len(found) / n_evidence


def reciprocal_rank(rel: Sequence[set[int]], k: int = 10) -> float:
    for rank, hit in enumerate(rel[:k], start=1):
        if hit:
            return 1.0 / rank
    return 0.0


def ndcg_at(rel: Sequence[set[int]], k: int = 10, n_relevant: int | None = None) -> float:
    """Binary nDCG; the ideal ranking puts every relevant chunk first."""
    gains = [1.0 if hit else 0.0 for hit in rel[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal_count = min(k, n_relevant if n_relevant is not None else int(sum(gains)))
    if ideal_count == 0:
        return 0.0
    idcg = sum(1.0 / math.log2(i + 2) for i in range(ideal_count))
    return dcg / idcg
