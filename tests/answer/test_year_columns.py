"""Rows of a table of years whose header is in the passage before (answer/borrowed_header.py;
the header and its columns read by answer/year_columns.py), over the real index: a year
asked of such a row is read from the header's column, both for the answer and for the
check that the passages cover the year asked."""

from __future__ import annotations

import asyncio

from answer import AskRequest, Turn
from answer.borrowed_header import borrowed_header, holds_rows
from answer.year_columns import column_cell, figure_cells
from ingest.model import Chunk

HEADER = "令和元年度 令和２年度 令和３年度 令和４年度 令和５年度"
QUERIES_ASKED = Turn(
    role="user", content="情報照会のうち国民年金の届書についての件数は令和5年度いくつ？"
)
QUERIES_ANSWERED = Turn(
    role="assistant", content="国民年金届書関係は3,532万件です。【資料1-3 P107】"
)


def test_a_row_s_cell_is_the_column_of_the_asked_year():
    row = "報告件数 1,811万件 4,211万件 3,862万件 3,951万件 3,532万件"
    assert figure_cells(row)[0] == "1,811万件"
    assert column_cell(row, HEADER, 2021) == "3,862万件"  # 令和３年度
    # A row with another number of figures is not a row of this table.
    assert column_cell("計 1,811万件 4,211万件", HEADER, 2021) == ""


def test_a_dash_keeps_the_column_of_a_year_with_no_figure():
    # The report writes ― for a year a count was not yet taken; the columns after it stay
    # those of their own years, and the dashed year gives no figure.
    row = "受講者数 ― ― 1,204人 2,310人 2,875人"
    assert column_cell(row, HEADER, 2022) == "2,310人"  # 令和４年度
    assert column_cell(row, HEADER, 2019) == ""  # 令和元年度: ―
    assert figure_cells(row) == ["1,204人", "2,310人", "2,875人"]


def test_another_year_of_a_row_below_a_broken_header(service):
    """The row 国民年金届書関係 sits in a passage of its own (the row label 情報照会 is
    written down a merged cell); its years are the header's of the table passage before."""
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="令和3年度は？", top_k=10, history=[QUERIES_ASKED, QUERIES_ANSWERED]
            )
        )
    )
    assert body.answered, body.answer
    lines = body.answer.split("\n")
    assert lines[0].startswith("国民年金届書関係 1,811万件") and "資料1-3 P107" in lines[0]
    assert "令和3年度の欄は3,862万件" in lines[1]


def test_a_passage_of_figure_lines_borrows_the_header_above_it():
    """A table whose cells the layout wrote one per line, with no sentence among them, is a
    table's rows though not indexed as a table: it reads the header of the table passage
    before it on the page; a passage with a sentence does not."""
    header = Chunk(id="h", text=HEADER, source="r.txt", page=9, kind="table")
    rows = Chunk(
        id="r",
        text="新規適用事業所数146,533事業所(91,342事業所)\n120,898事業所(99,682事業所)\n"
        "133,305事業所(104,225事業所)\n134,726事業所(96,120事業所)\n"
        "153,857事業所(94,548事業所)\n新規適用被保険者数",
        source="r.txt",
        page=9,
        kind="fy_result",
    )
    prose = Chunk(
        id="p",
        text="加入指導の結果、約9.5万事業所を適用。\n153,857事業所(94,548事業所)",
        source="r.txt",
        page=9,
        kind="fy_result",
    )
    assert holds_rows(rows) and not holds_rows(prose)
    assert borrowed_header(rows, [header]) == HEADER
    assert borrowed_header(prose, [header]) == ""
