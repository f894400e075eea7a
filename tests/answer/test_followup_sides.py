"""Follow-ups over the real index that turn from a plan's target to what was achieved, with
the history sent both ways a chat client sends it: the answer's plain text with its
【labels】, or the user turns only."""

from __future__ import annotations

import asyncio

import pytest
from support.asking import ask

from answer import AnswerService, AskRequest, Turn


def _history(service: AnswerService, asked: str, with_answer: bool) -> list[Turn]:
    turns = [Turn(role="user", content=asked)]
    if with_answer:
        body = ask(service, asked)
        assert body.answered and "【" in body.answer
        turns.append(Turn(role="assistant", content=body.answer))
    return turns


def _first_line(service: AnswerService, question: str, history: list[Turn]) -> str:
    body = asyncio.run(service.answer(AskRequest(question=question, top_k=10, history=history)))
    assert body.answered
    return body.answer.split("\n")[0]


@pytest.mark.parametrize("with_answer", [True, False], ids=["answer-text", "user-turns"])
def test_a_topic_named_by_a_clause_keeps_it_in_the_follow_up(service, with_answer):
    """The caller describes the waiting time by what happens (窓口に来た人が待つ時間); the
    follow-up asks the result of that, not of the booking the first noun names."""
    history = _history(service, "予約しないで窓口に来た人が待つ時間の目標は？", with_answer)
    first = _first_line(service, "その結果は？", history)
    assert "平均待ち時間" in first and "資料1-3" in first


@pytest.mark.parametrize("with_answer", [True, False], ids=["answer-text", "user-turns"])
def test_a_past_tense_follow_up_on_a_target_is_answered_from_the_results(service, with_answer):
    """After the plan's target, a past verb asks how far it got: the results report's
    figure, not the overview's passage the last answer quoted."""
    history = _history(service, "最終納付率の目標は？", with_answer)
    first = _first_line(service, "実際にはどこまで届いたの？", history)
    assert "83.1" in first and "資料1-3" in first


@pytest.mark.parametrize("with_answer", [True, False], ids=["answer-text", "user-turns"])
def test_a_compound_with_a_verb_stem_is_carried_to_the_results(service, with_answer):
    """待ち時間 (a verb's stem and a counter-like noun) is the topic, carried whole: the
    follow-up in the past asks the report's result on it."""
    history = _history(service, "予約なしの相談の待ち時間の目標は？", with_answer)
    first = _first_line(service, "昨年度はどうでしたか？", history)
    assert "平均待ち時間" in first and "資料1-3" in first
