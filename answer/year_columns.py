"""The year of each column of a table of years, when its header is in another passage.

The results report gives a measure's figures over the years as a table: a header row of
fiscal years, left to right (令和元年度 令和２年度 … 令和５年度), over rows of figures, one
per year. When the report's layout breaks a table (a row label written down a merged cell,
指摘／事業／所数, reads as a heading of its own), the rows after the break become a passage
without the header: 報酬関係 77,788事業所 … 75,125事業所 names no year, and a question on
one of its years was declined as not covered, or answered with no year told.

Those rows still belong to the header above them on the page: the last header of years in
a table before them, with nothing but tables and headings between (a new sentence starts
other content), when the row has one figure per year of the header. That count is the
documents' convention for a table of years, and it is what tells a row of the same table
from a row of another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from answer.calendar_years import MONTH, YEAR, fiscal_year_of_month, named_years
from answer.extractive import is_heading
from index.snapshot import Snapshot
from ingest.model import Chunk

HEADER_YEARS = 2  # a line naming at least this many fiscal years heads a table of years
TABLE_KIND = "table"
# A cell stating a figure: digits with their separators and unit (77,788事業所, 67.2％,
# ▲0.5pt, ＋3.8％); a row's cells are separated by spaces.
_FIGURE_CELL = re.compile(r"^[▲△+＋\-－]?\d[\d,]*(?:\.\d+)?[^\s\d]{0,6}$")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fiscal_years_of(text: str) -> list[int]:
    """The fiscal years ``text`` names (令和２年度, 平成30年度, 2019年度), as Western years;
    a month's year (令和5年4月) is a date, not a column of years."""
    return [year for year, written in named_years(_nfkc(text)).items() if written.endswith("度")]


HEADER_REST = 6  # at most this many characters beside a month header's dates (年月, 末)


def month_years_of(text: str) -> list[int]:
    """The fiscal years of the month dates ``text`` names (令和6年3月 → 2023: January to
    March close the fiscal year before), in order, each once."""
    normalized = _nfkc(text)
    years: list[int] = []
    for match in YEAR.finditer(normalized):
        month = MONTH.match(normalized, match.end())
        if match["fy"] or match["wfy"] or not month:
            continue
        for year in named_years(match.group(0)):
            years.append(fiscal_year_of_month(year, int(month[1])))
    return list(dict.fromkeys(years))


def header_years(line: str) -> list[int]:
    """The years a table's header ``line`` names, one per column: fiscal years (令和元年度
    令和２年度 …), or month dates (平成31年3月 令和2年3月 …), each read as the fiscal year
    it falls in, when the line holds little but those dates (a sentence naming two months
    is no header)."""
    years = fiscal_years_of(line)
    if len(years) >= HEADER_YEARS:
        return years
    months = month_years_of(line)
    rest = MONTH.sub("", YEAR.sub("", _nfkc(line)))
    if len(months) >= HEADER_YEARS and len("".join(rest.split()).strip("末")) <= HEADER_REST:
        return months
    return years


def own_header(chunk: Chunk) -> str:
    """The first line of ``chunk`` that heads a table of years ('' when none does)."""
    for line in chunk.text.split("\n"):
        if len(header_years(line)) >= HEADER_YEARS:
            return line
    return ""


def figure_cells(row: str) -> list[str]:
    """The cells of a table row that state a figure, in order (77,788事業所 …)."""
    return [cell for cell in _nfkc(row).split() if _FIGURE_CELL.match(cell)]


def _continues_table(chunk: Chunk) -> bool:
    """Whether ``chunk`` may sit between a table's header and its further rows: another
    table passage, or a heading alone (a row label written down a merged cell)."""
    if chunk.kind == TABLE_KIND:
        return True
    lines = [line for line in chunk.text.split("\n") if line.strip()]
    return bool(lines) and all(is_heading(line) for line in lines)


def borrowed_header(chunk: Chunk, before: Iterable[Chunk]) -> str:
    """The header of years over ``chunk``'s rows when ``chunk`` is a table passage without
    one of its own: the last header of a table passage among ``before`` (the passages
    before it in the document, nearest first) on the same page, with only tables and
    headings between; '' when there is none."""
    if chunk.kind != TABLE_KIND or own_header(chunk):
        return ""
    for previous in before:
        if (previous.source, previous.page) != (chunk.source, chunk.page):
            return ""
        if not _continues_table(previous):
            return ""
        if previous.kind == TABLE_KIND and (header := own_header(previous)):
            return header
    return ""


def header_in_order(chunk: Chunk, in_order: Sequence[Chunk]) -> str:
    """``borrowed_header`` of ``chunk`` among ``in_order`` (passages in document order that
    hold it); '' when ``chunk`` is not among them."""
    ids = [c.id for c in in_order]
    if chunk.id not in ids:
        return ""
    return borrowed_header(chunk, reversed(in_order[: ids.index(chunk.id)]))


def header_in_index(chunk: Chunk, snapshot: Snapshot) -> str:
    """``borrowed_header`` of ``chunk`` among the index generation's passages."""
    position = snapshot.position.get(chunk.id)
    if position is None or chunk.kind != TABLE_KIND:
        return ""
    return borrowed_header(chunk, (snapshot.chunks[i] for i in range(position - 1, -1, -1)))


def column_cell(row: str, header: str, year: int) -> str:
    """The cell of ``row`` under the column of ``year`` (Western fiscal year) of
    ``header``, when the row has one figure per year of the header; '' otherwise."""
    years = header_years(header)
    cells = figure_cells(row)
    if year not in years or len(cells) != len(years):
        return ""
    return cells[years.index(year)]


def rows_under(header: str, chunk: Chunk) -> list[str]:
    """The rows of ``chunk`` (verbatim lines) with one figure per year of ``header``."""
    count = len(header_years(header))
    return [line for line in chunk.text.split("\n") if len(figure_cells(line)) == count]
