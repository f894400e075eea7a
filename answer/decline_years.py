"""How a decline names the year it found missing, saying the true reason.

A year no indexed passage covers (令和12年度; a result asked of 令和8年度, which the plans
only plan) is named as such: 計画文書には令和12年度についての記載はありません. A year the
plans do cover, whose asked figure no quoted passage states (令和6年度 is the annual plan's
year; 令和5年度 the report's), is not: the decline names the figure asked of that year
(令和6年度の件数), since saying the plans do not cover 令和6年度 is false.
"""

from __future__ import annotations

from collections.abc import Sequence

from answer.calendar_years import ERA_BEFORE_FIRST_YEAR, fiscal_years_covered
from answer.covered_years import results_years
from answer.extractive import Picked
from answer.table_row import headed_row, states_figure
from index.snapshot import Snapshot
from question import QuestionAnalysis, rules

# The kind of figure asked, when the question's grammar names no attribute.
_FIGURE_NOUNS = {"money": "金額", "count": "数値"}
# Ends of a noun that is itself a figure (件数, 納付率, 金額, 割合); another asked noun
# (督促状 of 督促状は何件) is named with the figure asked of it (督促状の数値).
_FIGURE_ENDS = ("数", "率", "額", "量", "割合", "比", "時間", "期間", "年齢", "金", "費")


def year_subject(
    years: list[str], details: dict[str, list[str]], analysis: QuestionAnalysis
) -> str:
    """What a decline names for the missing ``years`` ("" for none): the years no plan
    covers (with 実績 when results are asked), else the figure asked of the covered ones."""
    if not years:
        return ""
    covered = set(details.get("years_covered", []))
    uncovered = [year for year in years if year not in covered]
    if uncovered:
        return "・".join(uncovered) + (
            "の実績について" if results_asked(years, analysis) else "について"
        )
    return f"{'・'.join(years)}の{figure_asked(details, analysis)}"


def figure_asked(details: dict[str, list[str]], analysis: QuestionAnalysis) -> str:
    """The figure the question asks, as the decline names it: its attribute with whose it is
    (年金相談の件数), the attribute alone, else the kind of figure (ご質問の数値)."""
    attribute = details.get("asked_attribute", [])
    owner = details.get("owner", [])
    results = "の実績" if results_asked(details.get("years", []), analysis) else ""
    if attribute:
        named = f"{owner[0]}の{attribute[0]}" if owner else attribute[0]
        if results:
            return f"{named}{results}"
        if not attribute[0].endswith(_FIGURE_ENDS):
            named += "の" + _FIGURE_NOUNS.get(analysis.answer_type or "", "数値")
        return named
    noun = _FIGURE_NOUNS.get(analysis.answer_type or "", "記載内容")
    return f"ご質問の{noun}{results}"


def results_asked(years: list[str], analysis: QuestionAnalysis) -> bool:
    """Whether a decline names the missing ``years`` as results (…の実績): a figure asked
    (何件) reads as results, but a year after the results report's period (令和12年度; the
    report gives 第3期, to 令和5年度) can hold only a plan or a target, so there only the
    question's own words (実績, 結果, a past tense) make it a result asked."""
    if not analysis.wants_results:
        return False
    reported = results_years().fiscal
    last = max(reported, default=0)
    later = [y for y in years if (fiscal := fiscal_years_covered(y)) and min(fiscal) > last]
    if not later:
        return True
    return bool(rules().results_cue.search(analysis.normalized or analysis.question))


def row_years(picked: Sequence[Picked], snapshot: Snapshot | None) -> set[str]:
    """The fiscal years (令和3年度, as the analysis writes them) a quoted table row states a
    figure of: each column of its header of years with a figure under it, a month column
    (令和３年４月) the fiscal year it falls in (``answer.table_row``). A row names no year
    itself; its header says each figure's."""
    first = ERA_BEFORE_FIRST_YEAR["令和"]
    years: set[str] = set()
    for item in picked:
        row = headed_row(item.quote, item.chunk, snapshot)
        if row is None:
            continue
        stated = [y for y, cell in zip(row.years, row.cells, strict=True) if states_figure(cell)]
        years |= {f"令和{y - first}年度" for y in stated if y > first}
    return years
