"""The asked year's column of a table row leads when no sentence states that year.

The results report states its own year's figure in prose (…全体の件数は、1,234件となり…)
and the years before only in a table of years under it: a header of fiscal years over rows
of a name and one figure per year (``answer.table_row``). A question asking an earlier
year's figure of a measure (令和2年度の…は？) found the prose sentence first, which repeats
more of its words, and the answer either gave the report's year's figure for the asked year
or was declined as stating no figure of that year, though the row under the header states
it.

So when the question asks one year before the report's own, the first statement states
no figure of that year,
and a top passage holds a row under a header with that year's column whose name the
question writes (the name of a row is the measure it gives: 審議件数, 応答率; spoken
Japanese joins nouns with の where a compound drops it), that column leads: 令和２年度の審議
件数は32件. A first statement already giving the row's figure of that year keeps its place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from answer.asked_terms import asked_compounds
from answer.calendar_years import ERA_BEFORE_FIRST_YEAR
from answer.extractive import Picked
from answer.other_year import figure_years_of, stated_figures
from answer.table_row import HeadedRow, headed_row, rows_of, said_for_years, states_figure
from answer.table_titles import (
    another_tables,
    name_of_title,
    page_tables,
    title_of,
    titles_in,
)
from answer.year_columns import fiscal_years_of, month_years_of
from index.snapshot import Snapshot
from ingest.model import Chunk
from question.rules import rules

MIN_NAME = 3  # a shorter row name (計, 件数, 一般) names no measure of its own


def _joined(text: str) -> str:
    """``text`` in NFKC without spaces and without the possessive の between nouns."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("の", "")


def asked_year(question: str) -> int | None:
    """The one fiscal year ``question`` (NFKC) asks (令和2年度), when it is not the year the
    results report reports: the report states its own year's figure in prose, which names
    the year or is the report's by its place (…の応答率も72.6％となった), so only the years
    before are its tables' alone (``answer.year_column.column_years``, the same reading).
    None for none, several, or a month date (令和6年4月時点: a point the prose dates)."""
    years = set(fiscal_years_of(question))
    own = ERA_BEFORE_FIRST_YEAR["令和"] + rules().results_fiscal_year
    return next(iter(years)) if len(years) == 1 and own not in years else None


def states_year(lead: Picked, year: int, snapshot: Snapshot, question: str = "") -> bool:
    """Whether the first statement gives a figure of fiscal ``year``: names it as a
    figure's year (not as a span's bound), dates it within it, or is a row with its column
    whose name the question (NFKC) writes, when it writes a name: a row of another name
    gives another measure's figure (地域型 for a question on 対面型)."""
    if year in figure_years_of(lead.quote) or year in month_years_of(lead.quote):
        return True
    row = headed_row(lead.quote, lead.chunk, snapshot)
    if row is None or not row.cell_of(year):
        return False
    return not question or _joined(row.label) in _joined(question)


def named_row(
    question: str, chunks: Sequence[Chunk], year: int, snapshot: Snapshot
) -> tuple[HeadedRow, str, Chunk] | None:
    """The row of ``chunks`` (in their order) with a figure in the column of ``year`` whose
    name (its own, else its table's title, ``answer.table_titles``) the question writes,
    the longest name first, with that name; None when none is. Another table's row of the
    same name (a title read writes more of the question) is not the asked one."""
    asked = _joined(question)
    compounds = asked_compounds(question)
    titles = titles_in(chunks)
    best: tuple[int, HeadedRow, str, Chunk] | None = None
    for chunk in chunks:
        rows = rows_of(chunk, snapshot)
        # A name the question writes only within a longer row name it writes (対面型 in
        # 非対面型) is not the one it names.
        longer = [_joined(r.label) for r in rows if _joined(r.label) in asked]
        for row in rows:
            if not states_figure(row.cell_of(year)):
                continue
            label = _joined(row.label)
            if label and any(label in other and other != label for other in longer):
                continue
            title = title_of(chunk, row, snapshot)
            name = row.label or name_of_title(title)
            if len(_joined(name)) < MIN_NAME or _joined(name) not in asked:
                continue
            if another_tables(f"{title} {row.label}", compounds, titles):
                continue
            if best is None or len(_joined(name)) > best[0]:
                best = (len(_joined(name)), row, name, chunk)
    return None if best is None else best[1:]


def asked_column(
    question: str, picked: Sequence[Picked], chunks: Sequence[Chunk], snapshot: Snapshot
) -> Picked | None:
    """The asked year's column of a row the question names, to lead before ``picked`` (see
    the module); None when the question asks no one year, the first statement gives that
    year's figure, or no top passage (``chunks``) has such a row."""
    year = asked_year(question)
    if year is None or not picked or states_year(picked[0], year, snapshot, question):
        return None
    # The passages retrieved, then the tables on the first statement's page (the report
    # puts a measure's series of years on the page discussing it).
    read = list(chunks)
    read += [c for c in page_tables(picked[0].chunk, snapshot) if c not in read]
    found = named_row(question, read, year, snapshot)
    if found is None:
        return None
    row, name, chunk = found
    if stated_figures([row.cell_of(year)]) & stated_figures([picked[0].quote]):
        return None  # the first statement gives that figure already
    shown = said_for_years(row, [year], name)
    return Picked(row.line, shown, chunk, 0.0, ranked=picked[0].ranked)
