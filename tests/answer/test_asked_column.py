"""An earlier year's figure the results report gives only in a table leads with that year's
column (answer/asked_column.py), over the real index; the decline reads a quoted row's
header as stating each column's year (answer/decline_years.row_years)."""

from __future__ import annotations

from support.asking import ask

from answer import AnswerService
from answer.asked_column import asked_year, named_row, states_year
from answer.decline_years import row_years
from answer.extractive import Picked
from answer.table_titles import page_tables
from ingest.model import Chunk


def _first_line(service: AnswerService, question: str) -> str:
    body = ask(service, question)
    assert body.answered, body.answer
    return body.answer.split("\n")[0]


def test_an_earlier_year_stated_only_in_a_row_is_answered_from_its_column(service):
    """The 情報照会 table's rows give 令和元年度 to 令和５年度; the prose gives 令和５年度's
    figures only. Asked of 令和3年度, the row's column answers (it was declined)."""
    first = _first_line(service, "令和3年度の国民年金保険料免除勧奨の実績は？")
    assert first.startswith("令和３年度の国民年金保険料免除勧奨は3,990万件"), first
    assert "資料1-3 P107" in first


def test_only_an_earlier_fiscal_year_asks_for_a_column():
    """令和５年度 is the report's own year, stated in its prose; a month date (令和6年4月時点)
    is a point the prose dates; two years ask a comparison."""
    assert asked_year("令和3年度の審議件数は？") == 2021
    assert asked_year("令和5年度の審議件数は？") is None
    assert asked_year("令和6年4月時点の配置人数は？") is None
    assert asked_year("令和2年度と令和3年度の審議件数は？") is None


def test_a_month_column_is_a_point_in_its_fiscal_year(service):
    """A header of 4月 dates (平成31年４月 … 令和６年４月): 令和３年４月 opens 令和3年度, so
    a figure asked of 令和3年度 is read from that column (it was declined)."""
    first = _first_line(service, "令和3年度のシステム専門職の実績は？")
    assert first.startswith("令和３年４月のシステム専門職は55人"), first
    # The next April's count closes the year, as the report dates a year's end.
    assert "（令和４年４月は52人）" in first, first


def test_the_tables_printed_on_a_statement_s_page_are_read(service):
    """The report prints a page's tables after its text: the passage stating the
    specialists' total has the table of their numbers by 4月 on its page."""
    snapshot = service.snapshot()
    prose = next(c for c in snapshot.chunks if "合計496人を配置" in c.text)
    tables = page_tables(prose, snapshot)
    assert any("システム専門職 48人 53人 55人" in t.text for t in tables)
    assert all((t.source, t.page) == (prose.source, prose.page) for t in tables)


def test_a_row_without_a_name_is_named_by_its_table_s_title(service):
    """The 業務経費 page's rows of 億円 have no name; their table's title names them."""
    first = _first_line(service, "令和2年度の一般管理費はいくら？")
    assert first.startswith("令和２年度の一般管理費は87.2億円"), first


def test_a_quoted_row_states_each_column_s_fiscal_year():
    header = "平成31年４月 令和２年４月 令和３年４月"
    chunk = Chunk(
        id="t", text=f"{header}\n配置人数 10人 11人 －", source="t.txt", page=1, kind="table"
    )
    row = "配置人数 10人 11人 －"
    # 令和３年４月 has no figure: that year is not stated.
    assert row_years([Picked(row, row, chunk, 0.0)], None) == {"令和1年度", "令和2年度"}


def test_a_row_of_another_name_gives_way_to_the_row_the_question_names(service):
    """A first statement that is a row of another name states another measure's figure of
    the year; and a name the question writes only inside a longer one (対面型の回数 within
    非対面型の回数) is not the row it names."""
    snapshot = service.snapshot()
    text = "年度 令和元年度 令和２年度\n対面型の回数 5回 6回\n非対面型の回数 － 7回\n地域型の人数 8人 9人"
    chunk = Chunk(id="synthetic", text=text, source="t.txt", page=1, kind="table")
    other = Picked("地域型の人数 8人 9人", "地域型の人数 8人 9人", chunk, 1.0)
    assert not states_year(other, 2019, snapshot, "令和元年度の対面型の回数は？")
    assert states_year(other, 2019, snapshot, "令和元年度の地域型の人数は？")
    assert named_row("令和元年度の非対面型の回数は？", [chunk], 2019, snapshot) is None
    found = named_row("令和2年度の非対面型の回数は？", [chunk], 2020, snapshot)
    assert found is not None and found[0].label == "非対面型の回数"
