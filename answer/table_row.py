"""A table row read as the report means it: its figures under its header's years, with a name.

The results report gives a measure's figures over the years as a table: a header line of
years (年 度 令和元年度 令和２年度 … 令和５年度, or month dates 平成31年４月 … 令和６年４月)
above rows of a name and one figure per year (応答率 67.2％ 70.6％ 71.6％ 73.0％ 76.8％). Quoted
bare, a row says five figures and not which year each is. Read with its header, each cell is
that column's year's figure (``HeadedRow``), and the row is said so: 応答率：令和元年度
67.2％、…、令和５年度 76.8％; for one asked year, that column: 令和３年度の応答率は71.6％.

A cell with no figure (データなし, －) still fills its column: the report writes a year
without data so rather than leave the cell out.

The header itself is read by ``answer.year_columns`` (the one reader of a header of years);
a passage whose header is in the passage before borrows it (``answer.borrowed_header``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from answer.borrowed_header import header_in_index
from answer.calendar_years import MONTH, YEAR
from answer.year_columns import HEADER_YEARS, header_years
from index.snapshot import Snapshot
from ingest.model import Chunk

# A cell stating a figure: digits with separators, decimals and a unit (20,590件, 67.2％,
# ▲0.5pt), or a duration of two units (22時間53分).
_VALUE = re.compile(r"^[▲△+\-]?\d[\d,]*(?:\.\d+)?[^\s\d]{0,6}(?:\d+[^\s\d]{1,3})?$")
# A cell the report writes for a year without a figure.
_NO_VALUE = re.compile(r"^(?:データなし|なし|-|―|ー|—|…)$")


@dataclass(frozen=True)
class HeadedRow:
    """A table row with one cell per column of the header of years above it."""

    line: str  # the row as the passage writes it
    header: str  # the header line of years above it (its own passage's or borrowed)
    header_at: int  # that header's line number in the passage; -1 when borrowed
    label: str  # the row's name (its cells before the figures, unspaced); may be ""
    columns: tuple[str, ...]  # each column as the header writes it (令和元年度, 令和６年４月)
    years: tuple[int, ...]  # each column's fiscal year (Western)
    cells: tuple[str, ...]  # the row's cell under each column, as written

    def cell_of(self, year: int) -> str:
        """The cell of the column of fiscal ``year`` ('' when no column is that year's)."""
        return self.cells[self.years.index(year)] if year in self.years else ""

    def column_of(self, year: int) -> str:
        return self.columns[self.years.index(year)] if year in self.years else ""


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def states_figure(cell: str) -> bool:
    """Whether a cell states a figure (not データなし, －, nor an empty column)."""
    return bool(cell) and _VALUE.match(_nfkc(cell)) is not None


def header_columns(header: str) -> list[str]:
    """Each column of a header of years as it writes it: a year with its 度 or its month
    and a 末 after them (令和２年度, 令和５年度末, 令和６年４月), unspaced."""
    columns = []
    for match in YEAR.finditer(header):
        month = None if match["fy"] or match["wfy"] else MONTH.match(header, match.end())
        end = month.end() if month else match.end()
        end += header.startswith("末", end)  # 令和５年度末: the year's end, as written
        columns.append("".join(header[match.start() : end].split()))
    return columns


def read_row(line: str, header: str, header_at: int = -1) -> HeadedRow | None:
    """``line`` read under ``header`` when it has a name (or none) and then one cell per
    column, each a figure or a no-figure mark, and at least one figure; None otherwise."""
    years = header_years(header)
    columns = header_columns(header)
    if len(years) < HEADER_YEARS or len(columns) != len(years) or YEAR.search(line):
        return None
    cells = line.split()  # as written; read in NFKC
    if len(cells) < len(years):
        return None
    name, values = cells[: len(cells) - len(years)], cells[len(cells) - len(years) :]
    if any(_VALUE.match(_nfkc(cell)) for cell in name):
        return None
    if not all(_VALUE.match(_nfkc(cell)) or _NO_VALUE.match(_nfkc(cell)) for cell in values):
        return None
    if not any(_VALUE.match(_nfkc(cell)) for cell in values):
        return None
    return HeadedRow(
        line, header, header_at, "".join(name), tuple(columns), tuple(years), tuple(values)
    )


def rows_of(chunk: Chunk, snapshot: Snapshot | None = None) -> tuple[HeadedRow, ...]:
    """The rows of ``chunk`` under a header of years: the nearest header line above each in
    the passage, else (a table passage with none of its own) the one it borrows from the
    passage before in ``snapshot``. A passage of the snapshot is read once per generation
    and kept with it (``Snapshot.derived``): the row statements, the asked column and the
    decline's years read the same quoted passages' rows, question after question."""
    if snapshot is None:
        return _read_rows(chunk, "")
    if snapshot.by_id.get(chunk.id) is not chunk:  # not this generation's passage as indexed
        return _read_rows(chunk, header_in_index(chunk, snapshot))
    kept = snapshot.derived(_rows_read)
    rows = kept.get(chunk.id)
    if rows is None:
        rows = kept[chunk.id] = _read_rows(chunk, header_in_index(chunk, snapshot))
    return rows


def _rows_read(_: Snapshot) -> dict[str, tuple[HeadedRow, ...]]:
    """The rows of each passage read so far, by chunk id (filled by ``rows_of``)."""
    return {}


def _read_rows(chunk: Chunk, header: str) -> tuple[HeadedRow, ...]:
    header_at = -1
    found: list[HeadedRow] = []
    for number, line in enumerate(chunk.text.split("\n")):
        if not line.strip():
            continue
        if len(header_years(line)) >= HEADER_YEARS:
            header, header_at = line, number
            continue
        row = read_row(line, header, header_at) if header else None
        if row is not None:
            found.append(row)
    return tuple(found)


def headed_row(quote: str, chunk: Chunk, snapshot: Snapshot | None = None) -> HeadedRow | None:
    """The row ``quote`` is, when it is one row of ``chunk`` under a header of years."""
    plain = "".join(quote.split())
    for row in rows_of(chunk, snapshot):
        if "".join(row.line.split()) == plain:
            return row
    return None


def said_with_header(row: HeadedRow, name: str = "") -> str:
    """The row said with its columns: 応答率：令和元年度 67.2％、…、令和５年度 76.8％ (the
    row's name, else ``name``, else the columns alone)."""
    cells = "、".join(
        f"{column} {cell}" for column, cell in zip(row.columns, row.cells, strict=True)
    )
    named = row.label or name
    return f"{named}：{cells}" if named else cells


def said_for_years(row: HeadedRow, years: Collection[int], name: str = "") -> str:
    """The row's cells of the asked years: one year as 令和３年度の応答率は71.6％ (the row's
    name, else ``name``; with neither, the column: 表の令和４年４月の欄は15.3％), more as
    the row said with those columns only; the whole row when it has none of them."""
    asked = [year for year in row.years if year in years]
    if not asked:
        return said_with_header(row, name)
    named = row.label or name
    if len(asked) == 1:
        column, cell = row.column_of(asked[0]), row.cell_of(asked[0])
        said = f"{column}の{named}は{cell}" if named else f"表の{column}の欄は{cell}"
        after = asked[0] + 1
        if column.endswith("月") and states_figure(row.cell_of(after)):
            # A count taken each April opens the fiscal year and the next April's closes it
            # (the report dates a year's end so: 令和６年４月時点 for 令和５年度末).
            said += f"（{row.column_of(after)}は{row.cell_of(after)}）"
        return said
    cells = "、".join(f"{row.column_of(year)} {row.cell_of(year)}" for year in asked)
    return f"{named}：{cells}" if named else cells
