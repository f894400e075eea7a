"""A table row answers for the year its column header names.

The results report gives a figure's five years as a table: a header line of fiscal years
(令和元年度 令和２年度 … 令和５年度) above rows of one figure per year (応答率 67.2％ 70.6％ …).
The row names no year itself, so a question asking one of those years (令和2年度の応答率)
found no year in it, while a sentence about the latest year (…令和５年度は76.8％) names
one and the context-rank prior carried it. ``answers_asked_year`` reads the header
(``answer.year_columns``, the one reader of a table's header of years): a row of figures
under a header naming a year the question asks states that year's figure.
"""

from __future__ import annotations

from answer.calendar_years import ERA_BEFORE_FIRST_YEAR, YEAR, year_marks
from answer.year_columns import FIGURE, bare_header_marks_over
from question.rules import rules

# Enough figures for a row of columns: one figure is a sentence's, not a row's.
MIN_ROW_FIGURES = 2


def answers_asked_year(passage: str, row: str, asked: frozenset[str]) -> bool:
    """Whether ``row`` (NFKC) is a row of figures, naming no year, under a header line of
    ``passage`` whose years include one of the question's fiscal-year marks ``asked``
    (``calendar_years.year_marks``); the header is the nearest line above holding nothing
    but years (``year_columns.bare_header_marks``)."""
    if not asked or YEAR.search(row) or len(FIGURE.findall(row)) < MIN_ROW_FIGURES:
        return False
    return bool(bare_header_marks_over(passage, row) & asked)


def column_years(question: str) -> frozenset[str]:
    """The fiscal years ``question`` (NFKC) asks whose figures the results report states
    only in its tables: every year but the one it reports. The report states its own
    year's figure in prose (令和５年度の…は…件) and gives the years before only as a
    series' columns, so for its own year the prose sentence, which names the year, is
    the statement (and a five-figure row is the wrong one to lead with)."""
    own = f"{ERA_BEFORE_FIRST_YEAR['令和'] + rules().results_fiscal_year}年度"
    return frozenset(m for m in year_marks(question) if m.endswith("年度") and m != own)
