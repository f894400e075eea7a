"""Another year's figure: which sentence states the figure for the year a follow-up asks."""

from __future__ import annotations

from answer.other_year import named_year_sentences, table_rows
from ingest.model import Chunk


def _passage(text: str) -> Chunk:
    return Chunk(id=text[:8], text=text, source="plan.pdf", page=1, kind="measure")


def test_a_year_marked_as_a_span_bound_is_not_the_year_of_the_figure():
    """令和3年度から / 令和8年度まで bound a span: the sentence gives no figure of that year."""
    passage = _passage(
        "口座振替の利用率は令和3年度から毎年85％以上を維持する。"
        "令和8年度までに利用率を90％とする。"
        "令和3年度の利用率は85.4％であった。"
    )
    figures = {"85.4", "85", "90"}
    assert named_year_sentences(passage, 2021, figures) == ["令和3年度の利用率は85.4％であった。"]
    assert named_year_sentences(passage, 2026, figures) == []


def test_a_year_followed_by_its_figure_and_a_bound_is_still_that_year():
    """In 令和元年度60.2％から the から follows the figure: 令和元年度 is that figure's year."""
    passage = _passage("利用率は令和元年度61.3％から令和5年度66.1％まで上昇した。")
    assert named_year_sentences(passage, 2019, {"66.1"}) == [passage.text]


def test_a_header_of_month_dates_names_the_fiscal_years_they_fall_in():
    """令和2年2月 falls in 令和元年度 (2019), 令和5年2月 in 令和4年度 (2022): January to March
    close the fiscal year that began the April before."""
    table = _passage(
        "令和2年2月 令和3年2月 令和4年2月 令和5年2月\n\n窓口の数 312か所 305か所 298か所 291か所"
    )
    assert table_rows(table, 2019, {"291"}) == [table.text]
    assert table_rows(table, 2023, {"291"}) == []


def test_a_sentence_naming_two_months_does_not_head_a_table():
    text = "窓口を312か所（令和2年2月）から291か所（令和5年2月）に集約した。\n窓口の数 291か所"
    assert table_rows(_passage(text), 2019, {"291"}) == []
