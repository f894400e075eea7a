"""A fiscal year a passage writes beside a figure: the result it quotes for that year."""

from __future__ import annotations

import unicodedata

import pytest

from question.answer_type import fiscal_years_beside_figures


def _read(text: str) -> set[str]:
    return fiscal_years_beside_figures(unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # A result dated in brackets after its figure, wherever the documents quote it.
        ("受付件数の増加（12.3%（令和３年度））を図る", {"令和3年度"}),
        # The year first, its figure after a colon in the same brackets.
        ("担当者を配置（令和２年度：17か所）", {"令和2年度"}),
        # A base year a figure is measured against: 元年 is year 1.
        ("経費を令和元年度比８億円削減（令和３年度）", {"令和1年度", "令和3年度"}),
    ],
)
def test_a_year_beside_a_figure_is_read(text: str, years: set[str]):
    assert _read(text) == years


@pytest.mark.parametrize(
    "text",
    [
        "令和７年度までに90％とする",  # a target set for the year
        "比率を高め、令和８年度末に25％の達成を目指す",  # a target named after its figure
        "令和４年６月に開始した",  # a date, no figure
        "令和３年度に導入した。また、15件を処理",  # the figure is in another sentence
        "年度 令和元年度 令和２年度 令和３年度",  # years only
    ],
)
def test_a_year_without_a_figure_of_its_own_is_not(text: str):
    assert _read(text) == set()


def test_a_zennen_beside_a_figure_names_the_year_before():
    """Japanese 前年 is the year before, as 前年度 is: a 令和5年度 passage's 前年 figure is
    令和4年度's."""
    from question.answer_type import fiscal_years

    assert fiscal_years("令和5年度の研修は全国で1,234名（前年987名）が受講") == {
        "令和5年度",
        "令和4年度",
    }
