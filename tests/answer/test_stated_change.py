"""answer/stated_change.py: a sentence stating two points of a figure."""

from __future__ import annotations

import pytest

from answer.stated_change import states_change, states_two_points


@pytest.mark.parametrize(
    "sentence",
    [
        "受付件数は1,204件（令和4年度：1,150件）となった。",  # the year before beside it
        "加入率は81.0%（前年度比＋1.2%）となった。",  # the change
        "加入率は平成30年度末の60.2%から令和4年度末で72.4%まで上昇。",  # a start and an end
        "加入率は平成30年度末における60.2%は、令和5年度末で72.4%まで上昇。",
        "受付件数 980件 1,020件 1,150件 1,204件",  # a series' row
    ],
)
def test_a_change_a_previous_figure_a_span_or_a_series_states_two_points(sentence: str):
    assert states_two_points(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "令和5年度の受付件数は1,204件となった。",  # one level
        "令和元年度 令和2年度 令和3年度 令和4年度",  # a header of years: no figure
        "受付の多い12拠点で窓口を増設。",
    ],
)
def test_one_level_or_a_header_of_years_states_one_point(sentence: str):
    assert not states_two_points(sentence)


def test_a_change_against_the_year_before_is_not_that_years_own_figure():
    assert states_change("加入率は81.0%（対前年度比+1.2%）。")
    assert not states_change("加入率は81.0%（前年度実績79.8%）。")
