"""Lexical search: Sudachi terms, BM25, and query expansion (glossary, chiVe neighbours).

The words a caller types count fully; glossary equivalents and word-vector neighbours are
added with lower weights, so a paraphrase (電話がつながる割合) can reach the plan's words
(応答率) without drowning an exact match.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.analyzer import Analyzer
from index.bm25 import Bm25Index
from index.glossary import Glossary
from index.wordvectors import NeighbourTable

# Words of the question form itself, not of the topic (normalized forms).
QUESTION_WORDS = frozenset(
    {
        "何",
        "なに",
        "どう",
        "どの",
        "どんな",
        "どれ",
        "いつ",
        "どこ",
        "誰",
        "ある",
        "有る",
        "居る",
        "いる",
        "する",
        "為る",
        "成る",
        "なる",
        "書く",
        "教える",
        "知る",
        "分かる",
        "ください",
        "下さい",
        "くださる",
        "いう",
        "言う",
        "思う",
        "内容",
        "について",
        "こと",
        "事",
        "もの",
        "物",
        "の",
        "か",
        "よう",
        "様",
        "ます",
        "です",
    }
)


@dataclass(frozen=True, slots=True)
class ExpansionConfig:
    neighbour_weight: float = 0.5  # × similarity, for each chiVe neighbour
    min_similarity: float = 0.7
    glossary_weight: float = 0.5
    drop_question_words: bool = True


class LexicalSearcher:
    def __init__(
        self,
        analyzer: Analyzer,
        bm25: Bm25Index,
        *,
        neighbours: NeighbourTable | None = None,
        glossary: Glossary | None = None,
        expansion: ExpansionConfig | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.bm25 = bm25
        self.neighbours = neighbours
        self.glossary = glossary or Glossary()
        self.expansion = expansion or ExpansionConfig()

    def query_weights(self, question: str) -> dict[str, float]:
        config = self.expansion
        typed = [
            t
            for t in self.analyzer.terms(question)
            if not (config.drop_question_words and t in QUESTION_WORDS)
        ]
        weights: dict[str, float] = dict(Counter(typed))
        for phrase in self.glossary.expansions(question, set(typed), self._glossary_terms):
            for term in self.analyzer.terms(phrase):
                if term not in QUESTION_WORDS:
                    weights[term] = max(weights.get(term, 0.0), config.glossary_weight)
        if self.neighbours is not None and config.neighbour_weight > 0:
            for term in dict.fromkeys(typed):
                for neighbour, similarity in self.neighbours.neighbours(term):
                    if similarity < config.min_similarity:
                        continue
                    extra = config.neighbour_weight * similarity
                    weights[neighbour] = max(weights.get(neighbour, 0.0), extra)
        return weights

    def _glossary_terms(self, phrase: str) -> set[str]:
        return {t for t in self.analyzer.terms(phrase) if t not in QUESTION_WORDS}

    def scores(self, question: str) -> np.ndarray:
        return self.bm25.scores(self.query_weights(question))
