"""question/numerals.py: a figure written another way gives the plans' terms."""

from __future__ import annotations

import pytest

from question.numerals import era_fiscal_year, era_fiscal_years, kanji_number, numeral_word_terms


@pytest.mark.parametrize(
    ("text", "era"),
    [
        ("2023年度の実績は？", ["令和5年度"]),
        ("２０２０年度と2018年度", ["令和2年度", "平成30年度"]),
        ("2019年度", ["令和1年度"]),  # the analyzer's form of 令和元年度
    ],
)
def test_a_western_fiscal_year_is_also_the_era_year(text: str, era: list[str]):
    assert era_fiscal_years(text) == era


@pytest.mark.parametrize("text", ["2024年4月の時点", "12023年度", "1,2023年度", "令和5年度"])
def test_a_calendar_date_or_a_longer_number_gives_no_era_year(text: str):
    assert era_fiscal_years(text) == []


def test_a_year_before_showa_has_no_era_form():
    assert era_fiscal_year(1900) == ""


@pytest.mark.parametrize(
    ("numerals", "value"), [("二十", 20), ("百二", 102), ("二〇", 20), ("千三百", 1300), ("十", 10)]
)
def test_kanji_numerals_read_as_their_value(numerals: str, value: int):
    assert kanji_number(numerals) == value


def test_an_age_kept_as_one_word_gives_its_digits_and_counter():
    assert numeral_word_terms("二十歳") == ["20", "歳"]
    assert numeral_word_terms("一人") == []  # Sudachi reads 1人 as 一人 already
    assert numeral_word_terms("年度") == []
