"""A share asked (…の割合は？, …の比率, 納付率) is answered by a figure in a ratio's unit
(％, ポイント, 割, 倍), not by any figure: a count beside it (1,688ブース, 1,234件) is not
the asked one. Real Sudachi; the answer over the real index of both plans."""

from __future__ import annotations

import asyncio

import pytest

from answer import AskRequest
from answer.figures import asked_figure
from question.attribute import asked_attribute
from question.counters import asks_ratio


@pytest.mark.parametrize("question", ["窓口予約の利用割合は？", "女性職員の比率は？", "納付率は？"])
def test_a_share_asked_takes_a_ratios_unit_and_no_count(question):
    figure = asked_figure(question)
    assert figure is not None
    assert figure.search("利用は20.4％となった") and figure.search("約3割")
    assert not figure.search("1,688ブースに増設") and not figure.search("相談は1,234件")


def test_a_share_coordinated_with_an_amount_asks_both():
    question = "計画額からの削減額と削減率は？"
    assert not asks_ratio(question, asked_attribute(question))
    figure = asked_figure(question)
    assert figure is not None and figure.search("削減額は1,234百万円")


def test_a_share_is_answered_without_a_count_taken_for_it(service):
    request = AskRequest(question="年金相談の窓口に正規職員等を配置している割合は？", top_k=10)
    body = asyncio.run(service.answer(request))
    lines = body.answer.split("\n")
    assert body.answered and "95.1％" in lines[0]
    assert not any("1,688ブース" in line for line in lines)  # a count of booths, no share


def test_a_share_asked_by_its_noun_alone_needs_a_figure_bound_in_a_ratios_unit(service):
    # As 「…の保険料率は何％？」 is: the plans state collection rates (収納率98.7％), no
    # premium rate, so a share asked without 何％ is declined naming what was asked too.
    body = asyncio.run(service.answer(AskRequest(question="健康保険の保険料率は？", top_k=10)))
    assert not body.answered
    assert body.answer.startswith("計画文書には保険料率の記載")
