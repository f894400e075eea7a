"""How a quoted table row is said in an answer: with its header's years, and only when it
is the asked table's.

A row of a table of years quoted bare gives five figures and not which year each is
(``answer.table_row`` reads it under its header): it is said with its columns, the first
statement for the asked year alone (令和３年度の応答率は71.6％). A row with no name of its
own is named by its table's title (``answer.table_titles``). A further statement that is a
row of another table than the one asked, sharing only a name with it (平均取得日数 of
childcare leave when annual leave is asked, and 【年次有給休暇の平均取得日数】 is read),
gives another measure's figures: it is left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from answer.extractive import Picked
from answer.table_row import headed_row, said_for_years
from answer.table_titles import another_tables, name_of_title, title_of
from index.snapshot import Snapshot


def shown_with_headers(
    picked: Sequence[Picked],
    asked_years: Collection[int],
    snapshot: Snapshot,
    compounds: Sequence[str] = (),
    titles: Sequence[str] = (),
) -> list[Picked]:
    """``picked`` with each statement that is a table row under a header of years said with
    its columns (``said_for_years``; a row without a name of its own by its table's title,
    ``answer.table_titles``); quotes and citations unchanged. A statement with a remark of
    its own (``answer.other_year``: the column of the asked year) is left as the remark
    reads it. A further statement that is another table's row than the one asked (a title
    among the passages read, ``titles``, writes more of the question's ``compounds`` than
    the row's title and name) is left out: it gives another measure's figures under a name
    the question shares."""
    shown: list[Picked] = []
    for index, item in enumerate(picked):
        row = None if item.remark else headed_row(item.quote, item.chunk, snapshot)
        if row is None:
            shown.append(item)
            continue
        title = title_of(item.chunk, row, snapshot)
        if index and another_tables(f"{title} {row.label}", compounds, titles):
            continue
        # The first statement says the asked year's column; a further row its whole series
        # (it may be another measure's, whose other years tell it apart).
        said = said_for_years(row, asked_years if not index else (), name_of_title(title))
        shown.append(replace(item, shown=said))
    return shown
