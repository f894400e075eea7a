"""How well the first statement answers, by the sentence ranker's own score.

The ranker (answer/ranker.py) chooses the first statement by a linear score over what the
sentence holds of the question: its coverage, the asked kind of figure, the question's
compounds whole, its character overlap. Which sentence wins is all selection needs; the
height of the winner's score says more: a sentence that only shares a topic word or two
with the question (a general-knowledge question asked of the plans, an attribute they do
not give) wins with a low score. The decline model reads that height as a signal.
"""

from __future__ import annotations

from collections.abc import Sequence

from answer.coverage import QuestionCoverage
from answer.extractive import Picked, Ranker, asked_figure, sentences_of
from answer.ranker import Candidate
from index.lexical import LexicalSearcher
from ingest.model import Chunk
from question import QuestionAnalysis

# What the signal reads with no ranker or no sentence: none of the answerable questions'
# first statements scores this low (bench/results/decline_model.md).
NO_SCORE = -5.0


def first_statement_score(
    ranker: Ranker | None,
    analysis: QuestionAnalysis,
    picked: Sequence[Picked],
    contexts: Sequence[Chunk],
    lexical: LexicalSearcher,
    kind_weight: float,
) -> float:
    """The ranker's score of the first picked sentence, read as selection read it (rank
    among ``contexts``, position in its passage, coverage with the question's kind
    weights); ``NO_SCORE`` without a ranker or a sentence."""
    if ranker is None or not picked:
        return NO_SCORE
    first = picked[0]
    question = analysis.search_text
    coverage = QuestionCoverage(
        question,
        lexical,
        analysis.answer_kind_weights(kind_weight),
        getattr(ranker, "uses_similarity", False),
    )
    figure = asked_figure(question)
    rank = next((i for i, c in enumerate(contexts) if c.id == first.chunk.id), len(contexts))
    sentences = sentences_of(first.chunk)
    candidate = Candidate(
        quote=first.quote,
        shown=first.shown,
        chunk=first.chunk,
        rank=rank,
        position=sentences.index(first.quote) if first.quote in sentences else len(sentences),
        coverage=coverage.of_sentence(first.quote, first.chunk),
        own_coverage=coverage.of_sentence_alone(first.quote),
        asked_figure=figure is not None and bool(figure.search(first.quote)),
        figure_bonus=figure.bonus if figure is not None else 0.0,
        similarity=coverage.similarity(first.quote) if coverage.wants_similarity else 0.0,
        passage_similarity=max(map(coverage.similarity, sentences), default=0.0)
        if coverage.wants_similarity
        else 0.0,
        alignment=coverage.alignment(first.quote) if coverage.wants_similarity else 0.0,
    )
    return ranker.scores([candidate], question)[0]
