"""A table row is said with its header's years (answer/table_row.py), over the real index:
a row quoted bare gives five figures and not which year each is."""

from __future__ import annotations

from support.asking import ask

from answer import AnswerService
from answer.table_row import read_row, rows_of, said_for_years, said_with_header
from index.snapshot import Snapshot
from ingest.model import Chunk

HEADER = "年度 令和元年度 令和２年度 令和３年度 令和４年度 令和５年度"


def _ask(service: AnswerService, question: str) -> str:
    body = ask(service, question)
    assert body.answered, body.answer
    return body.answer


def test_a_row_is_read_under_its_header_cell_by_cell():
    row = read_row("審議件数 45件 32件 16件 11件 48件", HEADER)
    assert row is not None
    assert row.label == "審議件数" and row.cell_of(2020) == "32件"
    assert said_with_header(row).startswith("審議件数：令和元年度 45件、令和２年度 32件、")
    assert said_for_years(row, [2021]) == "令和３年度の審議件数は16件"
    # A year without data still fills its column.
    gap = read_row("延べ人数 データなし 12人 13人 14人 15人", HEADER)
    assert gap is not None and gap.cell_of(2019) == "データなし"
    # A row with a figure too many (a change column) is no row of this header.
    assert read_row("審議件数 45件 32件 16件 11件 48件 ＋37件", HEADER) is None
    # A year-end header keeps its 末.
    ends = read_row("累計 1人 2人", "令和元年度末 令和２年度末")
    assert ends is not None and ends.columns == ("令和元年度末", "令和２年度末")


def _generation(folder, text: str) -> Snapshot:
    """A generation of one table passage (the rows' readers see its passages only)."""
    chunk = Chunk(
        id="t1", text=text, source="report.txt", page=3, kind="table", refs=("資料1-4 P3",)
    )
    return Snapshot(folder, {}, [chunk], lexical=None, store=None)  # type: ignore[arg-type]


def test_a_new_generation_reads_its_own_rows_not_the_last_ones(tmp_path):
    # The rows read are kept with the generation: a re-index that changes a passage (same
    # id, same folder name) reads the new text, and the old generation keeps its rows.
    old = _generation(tmp_path / "g", f"{HEADER}\n審議件数 45件 32件 16件 11件 48件")
    new = _generation(tmp_path / "g", f"{HEADER}\n審議件数 45件 32件 16件 11件 50件")
    assert rows_of(old.chunks[0], old)[0].cell_of(2023) == "48件"
    assert rows_of(new.chunks[0], new)[0].cell_of(2023) == "50件"
    assert rows_of(old.chunks[0], old)[0].cell_of(2023) == "48件"
    # A passage not of the generation as indexed (an edited copy) is read as it is.
    edited = Chunk(
        id="t1",
        text=f"{HEADER}\n審議件数 1件 2件 3件 4件 5件",
        source="report.txt",
        page=3,
        kind="table",
    )
    assert rows_of(edited, old)[0].cell_of(2023) == "5件"


def test_a_quoted_row_says_which_year_each_figure_is(service):
    first = _ask(service, "業務改善の審議件数はいくつ？").split("\n")[0]
    assert first.startswith("審議件数：令和元年度 45件、令和２年度 32件、"), first
    assert "令和５年度 48件" in first and "資料1-3 P87" in first


def test_a_row_asked_for_one_year_leads_with_that_column(service):
    first = _ask(service, "令和2年度の業務改善の審議件数は？").split("\n")[0]
    assert first.startswith("令和２年度の審議件数は32件"), first
