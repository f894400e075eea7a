"""The target a result was measured against: what a follow-up asking only for 目標 wants.

After an answer that gave a result (令和6年4月の比率は17.4％), a follow-up that asks only
for the target (目標は？ / 目標に対しては？) asks what that result was held against. The
results report states it in the same sentence as the result, 目標 with its figure right
after it (当初の目標（令和５年度末15.5％）を上回った, 年度目標である70％を超える, 目標を8.0万
事業所とし…約7.0万事業所を適用): that statement is the one the result was judged by, so it
leads before the plan's target for a later year, which the search finds by the word 目標
alone. A sentence whose target figure the last answer already gave adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from answer.extractive import Picked
from answer.other_year import fiscal_years_of, stated_figures, undated
from answer.sentences import display, is_heading, sentences_of
from ingest.model import Chunk
from question import QuestionAnalysis
from question.followup import without_connective
from question.normal import nfkc
from question.topic_words import topic_words

_TARGET = "目標"
# 目標 with its figure within the same clause (no 、 or 。 between), dates aside: the
# figure the target names.
_TARGET_FIGURE = re.compile(r"目標[^。、]{0,30}?(?<![\d.,])(\d[\d,]*(?:\.\d+)?)")


def target_figures(sentence: str) -> set[str]:
    """The figures ``sentence`` gives as a target (目標…15.5％ → 15.5), dates aside."""
    return set(_TARGET_FIGURE.findall(undated(sentence)))


def asks_only_for_target(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks for the target alone: it names 目標, no year and no topic of
    its own (目標は？ takes its topic from the conversation)."""
    question = nfkc(analysis.question)
    return (
        bool(analysis.carried_topic)
        and _TARGET in question
        and not fiscal_years_of(question)
        and not topic_words(without_connective(question))
    )


def stated_target_statements(analysis: QuestionAnalysis, chunks: Sequence[Chunk]) -> list[Picked]:
    """The sentences of ``chunks`` (the passages the last answer quoted) that state a target
    beside a figure the last answer gave, for a follow-up that asks only for the target."""
    if not analysis.previous_statements or not asks_only_for_target(analysis):
        return []
    figures = stated_figures(statement for statement, _ in analysis.previous_statements)
    if not figures:
        return []
    found: list[Picked] = []
    for chunk in chunks:
        for sentence in sentences_of(chunk):
            if is_heading(sentence):
                continue
            if not stated_figures([sentence]) & figures:
                continue
            if not target_figures(sentence) - figures:
                continue
            found.append(Picked(sentence, " ".join(display(sentence).split()), chunk, 0.0))
    return found
