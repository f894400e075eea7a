"""A figure asked as it stands now: the latest year the plans report for it.

今どのくらい, 現在の…は何人, 最新の…は: the plans report what was achieved up to the year
of the results report (令和5年度, the calendar's ``results_fiscal_year``) and set targets for
the years after it, so the latest figure they hold is that year's result, not a target. A
figure asked "now" is read as asked of that year: the year joins the searched text, so the
answer leads with that year's figure and says the year (a table row's column is said with
its year, ``answer.table_row.said_for_years``; a count taken each April adds the April that
closes the year).

The word must stand as a word of its own (Sudachi's units: 今後, 今年度 and 今回 are other
words), the question must ask a figure, and name neither a year nor a date of its own
(令和6年4月現在 dates the figure) nor ask the plan (現在の目標は: the current plan's).
"""

from __future__ import annotations

from question.counters import counted_in
from question.morphemes import morphemes
from question.normal import nfkc
from question.rules import rules
from question.stoplist import ASKING_PREFIXES

# Words of the present (Sudachi units, surface or normalized form).
NOW_WORDS = frozenset({"今", "いま", "現在", "最新", "直近", "現時点", "現状"})


def asks_now(question: str) -> bool:
    """Whether ``question`` (as typed) asks a figure as it stands now (see the module): a
    word of ``NOW_WORDS`` as a unit of its own, a figure asked, no year or date named."""
    text = nfkc(question)
    if not rules().figure_question.search(text) and counted_in(text) is None:
        return False
    units = list(morphemes(text, "C"))
    if any(
        unit.pos[:2] == ("名詞", "数詞") and not unit.surface.startswith(ASKING_PREFIXES)
        for unit in units
    ):
        return False  # a year or a date of its own (令和6年4月現在, 2023年度), not 何人
    return any(unit.surface in NOW_WORDS or unit.normalized in NOW_WORDS for unit in units)


def latest_results_year() -> str:
    """The latest fiscal year the plans report results for, as the analyzer writes it."""
    return f"令和{rules().results_fiscal_year}年度"


__all__ = ["NOW_WORDS", "asks_now", "latest_results_year"]
