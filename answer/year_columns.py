"""A table of years: the years its header names, one per column, and the cell of a year.

The results report gives a measure's figures over the years as a table: a header row of
fiscal years, left to right (令和元年度 令和２年度 … 令和５年度), over rows of figures, one
per year. A row names no year itself; the header above it says which year each of its
figures is, when the row has one figure per year of the header. That count is the
documents' convention for a table of years, and it is what tells a row of the same table
from a row of another.

This module is the one reader of a table's header of years and of the column of a year:
follow-ups on another year (``answer.other_year``), headers borrowed from the passage
before (``answer.borrowed_header``) and the ranker's ``year_column`` feature
(``answer.year_column``, on its stricter header: ``bare_header_marks``) read headers here
and keep their own decisions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from answer.calendar_years import MONTH, YEAR, fiscal_year_of_month, named_years, year_marks
from ingest.model import Chunk

HEADER_YEARS = 2  # a line naming at least this many fiscal years heads a table of years
TABLE_KIND = "table"
# A cell stating a figure: digits with their separators and unit (77,788事業所, 67.2％,
# ▲0.5pt, ＋3.8％); a row's cells are separated by spaces.
_FIGURE_CELL = re.compile(r"^[▲△+＋\-－]?\d[\d,]*(?:\.\d+)?[^\s\d]{0,6}$")
# A year with no figure: the results report writes a dash in its cell (参加人数 ― ― ―
# 65,712人 82,324人: a count begun in a later year), which keeps the column's place.
_BLANK_CELL = re.compile(r"^[―—‐\-]$")
# A figure anywhere in a line: digits with their grouping and decimals (67.2％, 8,962,327件).
FIGURE = re.compile(r"\d[\d,.]*")


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


def headed_rows(text: str) -> Iterator[tuple[int, list[int], int, str]]:
    """Each non-blank line of ``text`` below a header of years (``header_years``) that is no
    header itself, with the nearest such header above it: the header's offset in ``text``,
    its years, the line's offset, the line (verbatim)."""
    header: tuple[int, list[int]] | None = None
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        years = header_years(line)
        if len(years) >= HEADER_YEARS:
            header = (start, years)
            continue
        if header:
            yield header[0], header[1], start, line


def bare_header_marks(line: str) -> frozenset[str]:
    """The fiscal-year marks (``calendar_years.year_marks``) of ``line`` (NFKC) when it holds
    nothing but years, two or more, and no other figure (年 度 令和元年度 令和２年度 …); empty
    for any other line. Stricter than ``header_years``: a month date or a 第3期合計 column
    holds a figure, so such a line is no bare header."""
    if len(YEAR.findall(line)) < HEADER_YEARS or FIGURE.search(YEAR.sub("", line)):
        return frozenset()
    return frozenset(m for m in year_marks(line) if m.endswith("年度"))


@lru_cache(maxsize=4096)
def bare_header_marks_over(passage: str, row: str) -> frozenset[str]:
    """``bare_header_marks`` of the nearest line above ``row`` in ``passage`` (both NFKC)
    that is a bare header; empty when none is."""
    at = passage.find(row)
    if at < 0:
        return frozenset()
    for line in reversed(passage[:at].splitlines()):
        if marks := bare_header_marks(line):
            return marks
    return frozenset()


def own_header(chunk: Chunk) -> str:
    """The first line of ``chunk`` that heads a table of years ('' when none does)."""
    for line in chunk.text.split("\n"):
        if len(header_years(line)) >= HEADER_YEARS:
            return line
    return ""


def figure_cells(row: str) -> list[str]:
    """The cells of a table row that state a figure, in order (77,788事業所 …)."""
    return [cell for cell in _nfkc(row).split() if _FIGURE_CELL.match(cell)]


def column_cell(row: str, header: str, year: int) -> str:
    """The cell of ``row`` under the column of ``year`` (Western fiscal year) of
    ``header``, when the row has one cell per year of the header; '' otherwise, and when
    the row gives that year no figure (a dash)."""
    years = header_years(header)
    cells = year_cells(row)
    if year not in years or len(cells) != len(years):
        return ""
    cell = cells[years.index(year)]
    return "" if _BLANK_CELL.match(cell) else cell


def rows_under(header: str, chunk: Chunk) -> list[str]:
    """The rows of ``chunk`` (verbatim lines) with one cell per year of ``header``."""
    count = len(header_years(header))
    return [line for line in chunk.text.split("\n") if len(year_cells(line)) == count]


def year_cells(row: str) -> list[str]:
    """The cells of a table row that take a year's column, in order: a figure, or a dash
    for a year with none (``figure_cells`` keeps the figures only)."""
    return [
        cell for cell in _nfkc(row).split() if _FIGURE_CELL.match(cell) or _BLANK_CELL.match(cell)
    ]
