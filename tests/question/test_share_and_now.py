"""Figures read by their grammar (question/counters.py, question/latest.py): 割 counts
tenths of a whole and 半分 is half of one, so a share asked in 割 or compared with a bound
(半分以上, 3割を超えた) is answered in a share's unit; a figure asked as it stands now
(今どのくらい, 現在, 最新) is the latest year the plans report. Real Sudachi."""

from __future__ import annotations

import pytest

from answer.figures import asked_figure
from question import analyse
from question.counters import asks_share_bound, counter_units
from question.latest import asks_now, latest_results_year


@pytest.mark.parametrize(
    "question",
    ["厚生年金保険料の口座振替実施率は何割くらい？", "正規職員の何割が全国異動した？"],
)
def test_a_share_asked_in_wari_is_answered_in_percent(question):
    figure = asked_figure(question)
    assert figure is not None
    assert figure.search("口座振替実施率は81.5％") and figure.search("約８割の正規職員")
    assert not figure.search("送付件数は1,234件")  # a count is no share


def test_a_share_asked_in_percent_is_answered_by_wari():
    assert "割" in counter_units("%").split("|")
    figure = asked_figure("全国異動を経験した正規職員は何％？")
    assert figure is not None and figure.search("約８割の正規職員が全国異動")


@pytest.mark.parametrize(
    ("question", "bound"),
    [
        ("最終催告状に係る納付月数は対象月数の半分以上？", True),
        ("職員の3割以上が女性？", True),
        ("全体の半数に達した？", True),
        ("相談件数は半分になった？", False),  # a change by half, no bound of a share
        ("半分の拠点で実施？", False),
        ("納付率が8割を超えたのはいつ？", False),  # a date asked, the bound describes it
    ],
)
def test_a_share_set_as_a_bound_asks_the_share(question, bound):
    assert asks_share_bound(question) is bound
    if bound:
        figure = asked_figure(question)
        assert figure is not None and figure.search("納付率は58.8％となった")
        assert not figure.search("納付月数は97.1万月")


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("窓口予約の利用率は今どのくらい？", True),
        ("現在の職域型年金委員数は何人？", True),
        ("最新の収納率は？", True),
        ("直近の口座振替実施率はどれくらい？", True),
        ("今後どのくらい増やす？", False),  # 今後: another word, the future
        ("今年度の相談件数は？", False),  # 今年度: another word
        ("令和6年4月現在の専門職は何人？", False),  # a date of its own
        ("今どんな取組をしている？", False),  # no figure asked
    ],
)
def test_a_figure_asked_now(question, now):
    assert asks_now(question) is now


def test_a_figure_asked_now_is_the_latest_results_year():
    analysis = analyse("年次有給休暇の平均取得日数は今何日くらい？")
    assert analysis.latest_year == latest_results_year() == "令和5年度"
    assert analysis.fiscal_years == {"令和5年度"}
    assert analysis.wants_results and not analysis.wants_plans


def test_the_current_target_asks_the_plan_not_the_latest_result():
    analysis = analyse("現在の目標は何％？")
    assert analysis.latest_year == ""
    assert analysis.wants_plans and not analysis.fiscal_years
