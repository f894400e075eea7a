"""A follow-up naming another row of a table on the page the last answer cited.

After an answer about a measure, a follow-up may name another item of the same measure and
ask its figure in a counter (じゃあ被扶養者の異動届は何日で…？ after the targets of the
届出 processing days). The results report gives such figures as a table on that page, one
row per item, the item's name first and its figures after it (被扶養者異動届 0.7日 1.2日
2.9日). The search ranks the page's sentences that repeat the question's words above the row,
which says little but the name and the figures, and the answer was declined for lack of a
figure in the asked counter.

So the row of a table passage under the last answer's labels whose name the follow-up
writes, and whose figures are in the counter the follow-up asks, leads the answer. A name
is read as written in a compound or with the possessive の between its nouns (被扶養者の
異動届 is 被扶養者異動届: spoken Japanese joins two nouns with の where a compound drops
it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from answer.extractive import Picked
from answer.sentences import display
from answer.year_columns import TABLE_KIND, figure_cells
from ingest.model import Chunk
from question import QuestionAnalysis
from question.counters import counter_units

MIN_NAME = 3  # a shorter row name (計, 合計) names no item of its own


def _joined(text: str) -> str:
    """``text`` in NFKC without spaces and without the possessive の between nouns."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("の", "")


def row_name(row: str) -> str:
    """The cells of ``row`` before its first figure: the name of the row's item."""
    cells = unicodedata.normalize("NFKC", row).split()
    figures = set(figure_cells(row))
    name: list[str] = []
    for cell in cells:
        if cell in figures:
            break
        name.append(cell)
    return "".join(name)


def in_counter(cell: str, counter: str) -> bool:
    """Whether the figure ``cell`` is stated in ``counter`` (0.7日 in 日, 509万件 in 件: a
    power of ten written before the counter is part of the number)."""
    unit = cell.lstrip("▲△+＋-－0123456789,.").lstrip("十百千万億")
    return re.match(f"(?:{counter_units(counter)})", unit) is not None


def named_rows(analysis: QuestionAnalysis, chunks: Sequence[Chunk]) -> list[Picked]:
    """The rows of the table passages ``chunks`` (those under the last answer's labels)
    that the follow-up names, with figures in the counter it asks."""
    if not analysis.previous_statements or not analysis.counter:
        return []
    asked = _joined(analysis.normalized)
    found: list[Picked] = []
    for chunk in chunks:
        if chunk.kind != TABLE_KIND:
            continue
        for row in chunk.text.split("\n"):
            name = _joined(row_name(row))
            cells = figure_cells(row)
            if len(name) < MIN_NAME or name not in asked or not cells:
                continue
            if all(in_counter(cell, analysis.counter) for cell in cells):
                found.append(Picked(row, " ".join(display(row).split()), chunk, 0.0))
    return found
