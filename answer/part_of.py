"""A follow-up asking for a part of the figure just given: そのうち…は？

Japanese そのうち (その内) asks for a part of what was just said: after a total of calls
(入電総呼数 8,634,029件), そのうち出られたのは？ asks how many of those calls were answered.
The results report states such a part right after its whole, in the same passage: the next
row of the table (応答呼数 under 入電総呼数), in the column of the figure just given, or a
later sentence of the paragraph. A part is counted in the same unit as its whole and is
smaller than it, which tells it from the other figures there (a rate, another year's total).
The follow-up's own words rarely name the part as the plans do (出られた for 応答), so the
search ranks other sentences of the page above it.

So, for such a follow-up, the first statement after the one stating the figure just given,
in a passage the last answer quoted, that states a figure in the same unit below it leads
the answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from answer.extractive import Picked
from answer.figures import figures_with_units
from answer.sentences import display, is_heading, sentences_of
from answer.year_columns import figure_cells
from ingest.model import Chunk
from question import QuestionAnalysis
from question.rules import rules

# その内 / このうち / うち at the start of the follow-up (after a connective: じゃあそのうち…).
_PART = re.compile(r"^(?:その|この)?(?:うち|内)(?!容|訳|部)")
_VALUE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(\D*)")


def asks_part(question: str) -> bool:
    """Whether ``question`` opens by asking a part of what was just said (そのうち…), after
    a connective too (じゃあそのうち…)."""
    text = unicodedata.normalize("NFKC", question).strip()
    opening = rules().follow_on.match(text)
    text = text[opening.end() :] if opening else text
    return bool(_PART.match(text.lstrip("、, ")))


def _value(figure: str) -> tuple[float, str] | None:
    """A figure's value and unit (8,634,029件 → (8634029.0, 件))."""
    match = _VALUE.fullmatch(unicodedata.normalize("NFKC", figure))
    if not match:
        return None
    return float(match[1].replace(",", "")), match[2]


def _parts_in(statement: str, whole: tuple[float, str], column: int | None) -> bool:
    """Whether ``statement`` states a figure in the unit of ``whole`` below it (in the
    ``column`` of a table row, when the whole was read from one)."""
    cells = figure_cells(statement)
    if column is not None and len(cells) > column:
        figures = [cells[column]]
    else:
        figures = sorted(figures_with_units(unicodedata.normalize("NFKC", statement)))
    for figure in figures:
        value = _value(figure)
        if value and value[1] == whole[1] and value[0] < whole[0]:
            return True
    return False


def part_statements(analysis: QuestionAnalysis, chunks: Sequence[Chunk]) -> list[Picked]:
    """For a follow-up asking a part (そのうち…), the statements of ``chunks`` (the passages
    the last answer quoted) after the figure just given that state a smaller figure in its
    unit, nearest first."""
    if not analysis.previous_statements or not asks_part(analysis.question):
        return []
    said = unicodedata.normalize("NFKC", " ".join(s for s, _ in analysis.previous_statements))
    wholes = [(f, v) for f in sorted(figures_with_units(said)) if (v := _value(f))]
    found: list[Picked] = []
    for chunk in chunks:
        statements = [s for s in sentences_of(chunk) if not is_heading(s)]
        for figure, whole in wholes:
            at = next(
                (
                    i
                    for i, s in enumerate(statements)
                    if figure in figure_cells(s)
                    or figure in unicodedata.normalize("NFKC", "".join(s.split()))
                ),
                None,
            )
            if at is None:
                continue
            cells = figure_cells(statements[at])
            column = cells.index(figure) if figure in cells else None
            for statement in statements[at + 1 :]:
                if _parts_in(statement, whole, column):
                    shown = " ".join(display(statement).split())
                    found.append(Picked(statement, shown, chunk, 0.0))
                    break
    return found
