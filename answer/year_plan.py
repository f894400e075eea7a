"""The plan of the year just discussed: what 「その年度の計画の目標は？」 asks for.

After an exchange about one fiscal year (令和5年度の結果は…), a follow-up that asks for the
plan or its target, naming no topic of its own, asks for the plan *of that year*. The
documents state each year's plan in one place, by their own convention:

- the results report restates, beside the results of the year it reports, that year's
  annual plan under （令和５年度計画） (passages of kind ``fy_plan``), and the mid-term plan
  of its period (第3期, 平成31年4月～令和6年3月) as 第３期中期計画の概要 (``plan_summary``);
- the overview gives the 4th mid-term plan (中期P…) and, beside it, the annual plan of its
  first year (令和6年度計画, the passages labelled 年度P…).

So the year selects the passages: its annual plan where the documents hold one, else the
mid-term plan whose period contains it. The search alone finds the 4th plan's target,
whose words (計画, 目標) the question shares with every plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from answer.calendar_years import ERA_BEFORE_FIRST_YEAR
from answer.other_year import figure_years_of, fiscal_years_of, month_years_of
from ingest.model import Chunk
from question import QuestionAnalysis
from question.followup import without_connective
from question.intent import MEASURE_KINDS
from question.normal import nfkc
from question.rules import rules
from question.topic_words import topic_words

# The words that ask for a plan or what it aims at (the documents' own: 計画, 目標, 目指す).
_PLAN_WORDS = ("計画", "目標", "目指")
RESULTS_PLAN_KIND = "fy_plan"  # the results report's （令和５年度計画）
RESULTS_PERIOD_PLAN_KIND = "plan_summary"  # its 第３期中期計画の概要
ANNUAL_PLAN_PREFIX = "年度P"  # the overview's annual plan (令和6年度計画)
MID_TERM_PLAN_PREFIX = "中期P"  # the overview's 4th mid-term plan


def asks_for_the_plan(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks for the plan or its target and names no topic of its own
    (その年度の計画の目標は？ / 計画ではどうするはずだった？)."""
    question = nfkc(analysis.question)
    return (
        bool(analysis.carried_topic)
        and any(word in question for word in _PLAN_WORDS)
        and not topic_words(without_connective(question))
    )


def names_the_plan(analysis: QuestionAnalysis) -> bool:
    """Whether the follow-up asks for the plan by name (その年度の計画の目標は？): the plan's
    statement answers before the target a results report states beside a result, which
    answers 目標は？ alone (answer/stated_target.py)."""
    return asks_for_the_plan(analysis) and "計画" in nfkc(analysis.question)


def discussed_year(analysis: QuestionAnalysis) -> int | None:
    """The one fiscal year (Western) the follow-up is about: the year it names, else the
    year the last exchange named (its question, else its answer); None when none or more
    than one."""
    for text in (
        analysis.normalized,
        analysis.previous_question,
        " ".join(statement for statement, _ in analysis.previous_statements),
    ):
        years = set(figure_years_of(text)) | set(month_years_of(text))
        if len(years) == 1:
            return years.pop()
        if years:
            return None
    return None


def _fiscal_year(written: str) -> int:
    """The fiscal year a calendar bound falls in (令和6年3月 → 2023: April starts a year)."""
    return (month_years_of(written) or fiscal_years_of(written))[0]


def plan_of_year(year: int, chunk: Chunk) -> bool:
    """Whether ``chunk`` states the plan of fiscal ``year`` (Western): the annual plan the
    documents hold for it, else the mid-term plan of the period containing it."""
    calendar = rules()
    if year == ERA_BEFORE_FIRST_YEAR["令和"] + calendar.results_fiscal_year:
        return chunk.kind == RESULTS_PLAN_KIND
    if year == ERA_BEFORE_FIRST_YEAR["令和"] + calendar.plan_fiscal_year:
        return chunk.kind in MEASURE_KINDS and any(
            label.startswith(ANNUAL_PLAN_PREFIX) for label in chunk.refs
        )
    for period in calendar.periods:
        if not _fiscal_year(period.start) <= year <= _fiscal_year(period.end):
            continue
        if period.kind == "results":
            return chunk.kind == RESULTS_PERIOD_PLAN_KIND
        return chunk.kind in MEASURE_KINDS and any(
            label.startswith(MID_TERM_PLAN_PREFIX) for label in chunk.refs
        )
    return False


def year_plan_passages(analysis: QuestionAnalysis, read: Sequence[Chunk]) -> list[Chunk]:
    """Of the passages a follow-up reads (``read``, nearest the last answer first), those
    stating the plan of the year it asks about; [] when it does not ask for the plan of
    one year. In the results report a year's plan is the block right before that year's
    results on the same measure (（令和５年度計画） then （令和５年度の取組実績）), so there
    the nearest one is the plan of the measure just discussed, and it alone is read; the
    period's plan (第３期中期計画の概要) stands on pages of its own, and is chosen among."""
    if not asks_for_the_plan(analysis):
        return []
    year = discussed_year(analysis)
    if year is None:
        return []
    found = [chunk for chunk in read if plan_of_year(year, chunk)]
    return found[:1] if found and found[0].kind == RESULTS_PLAN_KIND else found
