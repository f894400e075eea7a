"""The trace completion adds the other side only when the question asks for both
(answer/trace_sides.py), over the real bundled plans and their real trace."""

from __future__ import annotations

import pytest

from answer.extractive import Picked
from answer.sentences import display, sentences_of
from answer.trace_sides import complete_sides
from question import analyse


@pytest.fixture(scope="module")
def corpus(analysed_plans, bundled_trace):
    _, chunks, _, _ = analysed_plans
    return bundled_trace, {c.id: c for c in chunks}


def _result_line(chunks, label: str, word: str) -> Picked:
    """The results report's sentence on ``label`` stating ``word``."""
    for chunk in chunks.values():
        if label in chunk.refs and chunk.kind in {"result", "fy_result"}:
            for sentence in sentences_of(chunk):
                if word in sentence:
                    return Picked(sentence, display(sentence), chunk, 1.0)
    raise AssertionError(f"no results sentence on {label} with {word}")


def _added(corpus, question: str) -> list[Picked]:
    trace, chunks = corpus
    picked = [_result_line(chunks, "資料1-3 P61", "応答率")]
    return complete_sides(analyse(question), picked, trace, chunks, latest_result=False)[1:]


@pytest.mark.parametrize(
    "question",
    [
        "前年度と比べて、電話の応答率はどう変わった？",  # a change over the year before
        "電話窓口の応答率の推移は？",  # a trend: the report's own figures
    ],
)
def test_a_question_about_the_results_alone_gets_no_plan_line(corpus, question):
    assert _added(corpus, question) == []


@pytest.mark.parametrize(
    "question",
    [
        "応答率、第3期に上げた実績と次期に掲げる目標を教えて",  # both sides named
        "電話窓口のつながり具合は以前と比べてどうなる？",  # a comparison naming no side
    ],
)
def test_a_question_comparing_the_two_gets_the_plan_line(corpus, question):
    added = _added(corpus, question)
    assert added and all(
        label.startswith(("中期", "年度")) for p in added for label in p.chunk.refs
    )
