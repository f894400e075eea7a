"""answer/calendar_years.py: years in any writing compared on the Western calendar."""

from __future__ import annotations

from answer.calendar_years import fiscal_years_covered, named_years, years_not_named


def test_eras_and_western_years_become_one_calendar():
    assert named_years("平成25年度と令和元年、2030年度") == {
        2013: "平成25年度",
        2019: "令和元年",
        2030: "2030年度",
    }


def test_a_western_year_is_not_read_in_a_word_that_starts_with_year():
    assert named_years("2000年金額") == {}


def test_a_year_the_passages_write_in_another_era_is_not_missing():
    # 2024年度 is 令和6年度, 平成31年 is 令和元年: the plans date by 令和.
    assert years_not_named("2024年度の目標は？", "令和6年度の目標") == []
    assert years_not_named("平成31年の体制は？", "令和元年5月に整備") == []


def test_a_year_no_passage_names_is_given_as_the_question_writes_it():
    assert years_not_named("平成22年度の相談件数は？", "令和5年度の相談件数") == ["平成22年度"]
    assert years_not_named("1990年の出来事は？", "令和5年度") == ["1990年"]


def test_reiwa_years_are_left_to_the_question_analysis():
    assert years_not_named("令和9年度の目標は？", "令和6年度") == []


def test_a_month_date_falls_in_the_fiscal_year_from_april_to_march():
    # 令和6年3月末 closes 令和5年度 (2023); 令和6年4月 opens 令和6年度 (2024).
    assert fiscal_years_covered("令和6年3月末の残高") == {2023}
    assert fiscal_years_covered("令和6年4月から") == {2024}
    assert fiscal_years_covered("令和7年1月に着手") == {2024}
    assert fiscal_years_covered("令和6年度の計画") == {2024}
    assert fiscal_years_covered("令和6年に") == {2024}


def test_a_figure_asked_of_a_western_fiscal_year_needs_a_passage_of_that_year():
    # 令和6年3月 closes 令和5年度: a 令和5年度 count beside it is no figure of 2024年度.
    passages = "令和5年度の相談件数は100件(令和6年3月31日現在)"
    assert years_not_named("2024年度の相談件数は何件？", passages, figure_asked=True) == [
        "2024年度"
    ]
    assert years_not_named("2023年度の相談件数は何件？", passages, figure_asked=True) == []
    # Asked of no figure, a passage naming the year in any writing still covers it.
    assert years_not_named("2024年度の体制は？", passages) == []
