"""question/change.py: a question asking whether a figure rose or fell."""

from __future__ import annotations

import pytest

from question.change import asks_change


@pytest.mark.parametrize(
    "question",
    [
        "窓口の待ち時間は短くなった？それとも長くなった？ 前年度より伸びたの？",
        "電子申請の件数は増えたんですか？",
        "未納の件数は減ってきてるの？",
        "加入率は前の年と比べてどう？",
        "利用者はどのくらい伸びたの？",
    ],
)
def test_a_verb_of_rising_or_falling_or_the_year_before_asks_a_change(question: str):
    assert asks_change(question)


@pytest.mark.parametrize(
    "question",
    [
        "残業はどうやって減らしたんですか？",  # a means, not how the figure moved
        "調達額を何%減らす目標？",  # a target
        "電子申請の件数は何件？",
    ],
)
def test_a_transitive_verb_or_a_plain_figure_asks_no_change(question: str):
    assert not asks_change(question)
