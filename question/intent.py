"""What a question asks for — a figure or result, or a plan or target — as kind weights.

Both documents hold plans and results side by side (第３期の計画 / 主な取組実績 /
令和５年度の取組実績; the 4th plan's measures). A question that asks how many or how it
went wants results; one that asks for a target or what will be done wants plan text. The
weights multiply lexical scores, so they reorder close candidates and never create a hit.
The cue patterns are data (``data/question/rules.toml``).
"""

from __future__ import annotations

from question.counters import counted_in
from question.normal import nfkc
from question.rules import rules

RESULT_KINDS = frozenset({"fy_result", "result", "table"})
# What a plan says it will do (● measures, their sub-points and aims), as opposed to the
# earlier plans the results document summarises (fy_plan, plan_summary).
MEASURE_KINDS = frozenset({"measure", "sub_measure", "heading", "concept"})
# Passages about the period before this plan: results, and the earlier plans the results
# document restates.
EARLIER_PERIOD_KINDS = RESULT_KINDS | {"fy_plan", "plan_summary"}

STATED_PERIOD = rules().stated_period
PERIOD_QUESTION = rules().period_question


def asks(text: str) -> tuple[bool, bool]:
    """(asks for results, asks for plans) of an NFKC question.

    How many or how much reads as results unless a plan word is also there: 残業は月何時間
    までに抑える目標？ is answered by the plan's 19時間以内."""
    found = rules()
    wants_plans = bool(found.plan_cue.search(text))
    wants_results = bool(found.results_cue.search(text)) or (
        not wants_plans and (bool(found.figure_cue.search(text)) or counted_in(text) is not None)
    )
    return wants_results, wants_plans


def figure_of_side(
    text: str, side: str | None, wants_results: bool, wants_plans: bool
) -> tuple[bool, bool]:
    """``asks``'s reading of an NFKC question, with the grammar's side (question/side.py)
    over its default: a figure asked with no cue of either side reads as results, the
    report's; when the grammar places the question on the plan side (a quantity to be
    moved or bounded in the non-past, どれくらいに増やす, 何時間まで; a year only the plan
    covers), the figure asked is the plan's target."""
    defaulted = wants_results and not wants_plans and not rules().results_cue.search(text)
    if side == "plan" and defaulted:
        return False, True
    return wants_results, wants_plans


def names_fiscal_year(text: str) -> bool:
    return bool(rules().fiscal_year_cue.search(text))


def asks_for_period(question: str) -> bool:
    return bool(PERIOD_QUESTION.search(nfkc(question)))


def retrieval_kind_weights(
    wants_results: bool, wants_plans: bool, fiscal_year: bool, strength: float
) -> dict[str, float]:
    """Kind → multiplier on lexical scores (none when the question gives no cue or both).

    A question on plans pulls this plan's measures, not the earlier plans the results
    document restates. A named fiscal year points at the year blocks (令和５年度計画 /
    取組実績), not at the five-year summaries beside them.
    """
    if strength <= 1.0:
        return {}
    weights: dict[str, float] = {}
    if wants_results != wants_plans:
        weights = dict.fromkeys(RESULT_KINDS if wants_results else MEASURE_KINDS, strength)
    if fiscal_year:
        for kind in ("fy_result", "fy_plan"):
            weights[kind] = weights.get(kind, 1.0) * strength
    return weights


def answer_kind_weights_of(
    wants_results: bool, wants_plans: bool, fiscal_year: bool, strength: float
) -> dict[str, float]:
    """Kind → multiplier for the sentences an answer is built from.

    Retrieval stays neutral on a question without cues; an answer cannot: it quotes one
    passage first. A question that asks how many or how it went is answered from results;
    any other (what will be done, a target, or no tense at all: スマホで払える？) from the
    plan's measures. A question naming a fiscal year with no plan word is about that year's
    report, so it gets no pull.
    """
    if strength <= 1.0:
        return {}
    if wants_results and not wants_plans:
        return dict.fromkeys(RESULT_KINDS, strength)
    if wants_plans and not wants_results:
        return dict.fromkeys(MEASURE_KINDS, strength)
    if not wants_results and not fiscal_year:
        return dict.fromkeys(MEASURE_KINDS, strength)
    return {}


def kind_weights(question: str, strength: float) -> dict[str, float]:
    text = nfkc(question)
    return retrieval_kind_weights(*asks(text), names_fiscal_year(text), strength)


def answer_kind_weights(question: str, strength: float) -> dict[str, float]:
    text = nfkc(question)
    return answer_kind_weights_of(*asks(text), names_fiscal_year(text), strength)
