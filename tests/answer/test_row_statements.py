"""A further statement that is another table's row is left out (answer/row_statements.py),
over the real index: the results report prints two tables of 件数 under one page's text,
one under 【各年度末時点の事務処理誤り件数】, one under 【各年度末時点の重点三事案件数】; a
row of the second is no statement about the first, though both rows are named 件数."""

from __future__ import annotations

from answer import AnswerService
from answer.asked_terms import asked_compounds
from answer.extractive import Picked
from answer.row_statements import shown_with_headers
from answer.table_row import rows_of
from answer.table_titles import title_of, titles_in
from ingest.model import Chunk

QUESTION = "事務処理誤りは毎年度末に何件ありましたか"


def _two_tables(service: AnswerService) -> tuple[Chunk, list]:
    snapshot = service.snapshot()
    for chunk in snapshot.chunks:
        rows = [row for row in rows_of(chunk, snapshot) if row.label == "件数"]
        if len(rows) == 2:
            return chunk, rows
    raise AssertionError("no passage holds the two 件数 tables")


def test_each_table_of_a_page_has_its_title(service):
    snapshot = service.snapshot()
    chunk, (first, second) = _two_tables(service)
    assert title_of(chunk, first, snapshot) == "各年度末時点の事務処理誤り件数"
    assert title_of(chunk, second, snapshot) == "各年度末時点の重点三事案件数"


def test_a_row_of_another_table_is_no_further_statement(service):
    snapshot = service.snapshot()
    chunk, (first, second) = _two_tables(service)
    page = [c for c in snapshot.chunks if (c.source, c.page) == (chunk.source, chunk.page)]
    lead = Picked("事務処理誤りの件数。", "事務処理誤りの件数。", chunk, 1.0)
    picked = [lead] + [Picked(row.line, row.line, chunk, 0.5) for row in (second, first)]
    shown = shown_with_headers(picked, [], snapshot, asked_compounds(QUESTION), titles_in(page))
    said = [item.shown for item in shown]
    assert len(said) == 2, said
    assert said[1].startswith("件数：令和元年度 710件、"), said  # the asked table's row
    assert not any("122件" in line for line in said), said  # 重点三事案's is left out
