"""Fakes for what sentence selection (answer/extractive.py ``select``) reads: the fitted
ranker's scores and the hand-set coverage score, fixed so a test states the ranking it
needs instead of depending on the shipped model's weights."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.model import Chunk


class FakeRanker:
    """Stands in for a fitted ranker: a fixed score per sentence, by a word it holds."""

    def __init__(self, by_word: dict[str, float]) -> None:
        self.by_word = by_word

    def scores(self, candidates, question: str) -> list[float]:
        return [next((v for k, v in self.by_word.items() if k in c.shown), 0.0) for c in candidates]


class FakeEvenCoverage:
    """Every sentence covers the question alike, so the hand-set score admits them all."""

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        return 0.5

    def of_sentence_alone(self, sentence: str) -> float:
        return 0.5

    def together(self, sentences: Sequence[str]) -> float:
        return 0.1 * len(sentences)
