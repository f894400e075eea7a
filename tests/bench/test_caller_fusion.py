"""bench/caller_fusion.py: the miss categories, the pool scoring, and a traced search that is
the shipped search (so its levers are measured against what the service does)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from caller_fusion import TracingSearcher, category, scored_ranks  # noqa: E402

from index.loader import load_searcher  # noqa: E402


def test_a_miss_counts_in_the_first_place_that_holds_it():
    shipped = {"after": 3, "before": 9, "lexical": 1, "ngram": None, "dense": 2}
    assert category(shipped) == "top 5"
    assert category({**shipped, "after": 7}) == "fused 6-10"
    assert category({"after": None, "before": 4, "lexical": 1}) == "lost by the coverage rescale"
    lost = {"after": 12, "before": 8, "lexical": 30, "ngram": None, "dense": 4}
    assert category(lost) == "dense top 5, lost in fusion"
    assert category({**lost, "dense": 9}) == "dense top 6-10 only"
    assert category({**lost, "dense": None, "lexical": 11}) == "in no channel's top 10"


def test_pool_scores_order_the_pool_and_find_its_first_evidence():
    labels = np.array([False, False, True, False, False, False, True])
    assert scored_ranks(np.array([7, 6, 5, 4, 3, 2, 1.0]), labels) == (1.0, 1 / 3)
    assert scored_ranks(np.array([7, 6, 0, 4, 3, 2, 1.0]), labels) == (0.0, 1 / 6)
    assert scored_ranks(np.zeros(7), np.zeros(7, dtype=bool)) == (0.0, 0.0)


def test_the_traced_search_is_the_shipped_search(indexed_settings, use_encoder):
    shipped = load_searcher(indexed_settings, use_encoder)
    traced = TracingSearcher(shipped.snapshot, use_encoder, indexed_settings.retrieval)
    traced.sentences = np.eye(1, 512, dtype=np.float32)
    traced.owners = np.zeros(1, dtype=np.int64)
    question = "電話がつながりやすくなるように何をしていますか"
    expected = [(h.chunk.id, h.score) for h in shipped.search(question, 10)]
    assert [(h.chunk.id, h.score) for h in traced.search(question, 10)] == expected
    trace = traced.trace
    assert [c for c, _ in trace.after[:10]] == [c for c, _ in expected]
    assert set(trace.rankings) == {"lexical", "ngram", "dense"}
    assert 0.0 < trace.top_cover <= 1.0
    assert set(trace.cover) == set(trace.sentence) == {c for c, _ in trace.after[:30]}
