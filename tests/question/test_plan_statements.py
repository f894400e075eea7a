"""A plan's statement recalled in the past is a plan question, and 何回か is no question word.

Japanese recalls what a text said in the past tense: the copula's past (方針だった？) and
a quoted intention (…とする → …としていた？, …とされた) report what the plan stated, not
an event; the results report restates the annual plan of the year it reports
（令和５年度計画） beside that year's results, so such a question asks for that block. A
counter followed by か (何回か, 何人か) means "several": an indefinite, not a question
word, unless the か itself asks (何件かな). Examples written here from the documents'
topics.
"""

from __future__ import annotations

import pytest

from question import analyse
from question.answer_type import asked_counter, expected_answer
from question.intent import asks

RECALLED_PLANS = [
    "窓口の予約について、年度の計画ではどういう扱いだった？",
    "相談の体制は、計画ではどんな目標だった？",
    "電子申請の推進は、計画上どう進めるとしていた？",
    "障害年金の審査では、何を重点に取り組むとされたのか",
    "事業所調査は、どの事業所から着手するとされていた？",
]
EVENTS = [
    "電子申請はどう伸びた？",
    "研修は何回開いた？",
    "予約はどうだった？",
    "相談件数は減った？",
]


@pytest.mark.parametrize("question", RECALLED_PLANS)
def test_a_plan_statement_recalled_in_the_past_asks_for_no_result(question: str) -> None:
    wants_results, _ = asks(question)
    assert not wants_results


@pytest.mark.parametrize("question", EVENTS)
def test_a_past_event_still_asks_for_results(question: str) -> None:
    assert asks(question)[0]


FIGURES_ASKED_IN_THE_PAST = [
    "令和6年度の口座振替の利用率は何％でしたか？",
    "令和6年度の出張相談の件数はどのくらいだったでしょうか",
    "第4期に入ってからの免除の承認件数は何件だった？",
]
TARGETS_RECALLED = [
    "令和6年度の目標の利用率は何％でしたか？",
    "令和6年度の利用率の目標は何％でしたか？",
    "計画で目指すとしていた利用率は何％だった？",
    "相談件数の見込は何件でしたか",
]


@pytest.mark.parametrize("question", FIGURES_ASKED_IN_THE_PAST)
def test_the_copula_past_asked_of_a_figure_asks_for_a_result(question: str) -> None:
    # A year of the plan (令和6年度, 第4期) is a plan cue: without a result cue the figure
    # asked was read as the plan's, and a year the results do not cover went unnoticed.
    # (A copula past with no figure noun, どうでしたか, stays neutral here: question/side.py
    # reads its grammar.)
    assert asks(question)[0]


@pytest.mark.parametrize("question", TARGETS_RECALLED)
def test_a_target_figure_recalled_in_the_past_asks_for_no_result(question: str) -> None:
    assert not asks(question)[0]


def test_the_results_years_plan_pulls_the_plan_the_results_report_restates() -> None:
    analysis = analyse("文書の管理について、令和5年度の計画ではどういう方針だった？")
    assert analysis.asks_results_year_plan
    assert analysis.answer_kind_weights(1.5) == {"fy_plan": 1.5}
    # Another year's plan, or no plan named, keeps the weights it had.
    assert not analyse("令和6年度計画では文書の管理をどうする？").asks_results_year_plan
    assert not analyse("令和5年度の文書管理の実績は？").asks_results_year_plan


@pytest.mark.parametrize(
    "question",
    ["研修の手順は何回か見直されたが、最初はいつ？", "担当者が何人か替わったのはなぜ？"],
)
def test_a_counter_followed_by_ka_is_an_indefinite(question: str) -> None:
    assert asked_counter(question) is None
    assert expected_answer(question) != "count"


@pytest.mark.parametrize(
    ("question", "counter"),
    [
        ("研修は何回開いた？", "回"),
        ("苦情は何件かな？", "件"),
        ("職員は何人か？", "人"),
        ("その町の人口は何人か。", "人"),
    ],
)
def test_a_counter_asked_stays_asked(question: str, counter: str) -> None:
    assert asked_counter(question) == counter
    assert expected_answer(question) == "count"


def test_the_review_column_is_named_in_either_writing() -> None:
    assert analyse("人材育成の振り返りで何が課題？").names_review
    assert analyse("人材育成の振返りで何が課題？").names_review


def test_the_review_column_is_named_by_its_other_word() -> None:
    # The overview heads it 第３期中期計画等の振り返り（今後の課題）: the issues it raises
    # are what a question on 課題 asks, not the measures beside them.
    assert analyse("人材育成の課題は？").names_review
    assert analyse("研修について今後の課題とされていることは？").names_review
    assert not analyse("人材育成の研修は？").names_review


def test_a_follow_up_after_a_question_on_the_review_does_not_name_it_again() -> None:
    history = [
        {"role": "user", "content": "人材育成の振り返りで何が課題？"},
        {"role": "assistant", "content": "研修の体系をどう整えるかが課題です。【overview p.10】"},
    ]

    class Turn:
        def __init__(self, role: str, content: str) -> None:
            self.role, self.content = role, content

    analysis = analyse("その研修は誰が受けるの？", [Turn(**t) for t in history])
    assert not analysis.names_review
