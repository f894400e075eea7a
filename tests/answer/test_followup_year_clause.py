"""A follow-up asking the year before, answered over the real index from the sentence the
last answer quoted when that sentence states both years: the clause of the asked year
leads, not the year just given again."""

from __future__ import annotations

import asyncio

from support.asking import ask

from answer import AskRequest, Turn
from answer.other_year import year_clause


def test_the_clause_of_the_asked_year_is_cut_from_a_sentence_of_two_years():
    shown = "令和５年度の相談は120件となり、令和４年度（98件）よりも増えた。"
    assert year_clause(shown, 2022) == "…令和４年度（98件）よりも増えた。"
    assert year_clause(shown, 2021) == shown  # no clause of that year: the whole sentence


def test_the_year_before_is_led_by_its_own_clause_of_the_sentence_just_quoted(service):
    """The caller said 去年度; the answer dated its figures (令和５年度, with 令和４年度
    beside each): 前年度 is 令和４年度, stated in the same sentence, and that clause leads."""
    asked = "事務処理誤りを未然に防いだのは去年度何件？"
    body = ask(service, asked)
    assert body.answered and "244件" in body.answer
    history = [Turn(role="user", content=asked), Turn(role="assistant", content=body.answer)]
    request = AskRequest(question="前年度は何件？", top_k=10, history=history)
    first = asyncio.run(service.answer(request)).answer.split("\n")[0]
    assert "277件" in first and "約171万件" not in first


def test_a_clause_naming_the_year_without_a_figure_is_no_clause_of_its_figure():
    """令和２年度の…により dates an event: the sentence is kept whole."""
    shown = "令和２年度の届出の受付延長により、令和３年度の審査は約40万件に増えた。"
    assert year_clause(shown, 2020) == shown
