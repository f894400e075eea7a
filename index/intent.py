"""What a question asks for — a figure or result, or a plan or target — as kind weights.

Both documents hold plans and results side by side (第３期の計画 / 主な取組実績 /
令和５年度の取組実績; the 4th plan's measures). A question that asks how many or how it
went wants results; one that asks for a target or what will be done wants plan text. The
weights multiply lexical scores, so they reorder close candidates and never create a hit.
"""

from __future__ import annotations

import re
import unicodedata

RESULT_KINDS = frozenset({"fy_result", "result", "table"})
# What a plan says it will do (● measures, their sub-points and aims), as opposed to the
# earlier plans the results document summarises (fy_plan, plan_summary).
MEASURE_KINDS = frozenset({"measure", "sub_measure", "heading", "concept"})
# Passages about the period before this plan: results, and the earlier plans the results
# document restates.
EARLIER_PERIOD_KINDS = RESULT_KINDS | {"fy_plan", "plan_summary"}

# A count noun closing the question (利用事業所数は？, 被保険者数) asks for a figure.
COUNT_NOUN = r"(?<=\w)数(?=$|[はをが\s?？])"
# What happened, or the period before this plan (第3期): results, whatever else is asked.
_EVENT_CUES = re.compile(
    r"実績|実際|第3期|どうだった|どうなった|結果|達成した|進んだ|増えた|減った|向上した|推移|"
    r"できた|した\?|された|"
    # Past events (支払われた, 増えていた？).
    r"れた|った\?|いた\?"
)
# How many or how much: results, unless the question names a plan too (残業は月何時間
# までに抑える目標？ is answered by the plan's 19時間以内; 育休取得率はどうする方針？).
_FIGURE_CUES = re.compile(
    r"何件|何人|何%|何回|何日|何時間|何社|件数|人数|どれ(?:くらい|ぐらい)|どの(?:くらい|ぐらい)|"
    r"くらい|ぐらい|いくら|割合は|率は|" + COUNT_NOUN
)
_PLAN_CUES = re.compile(
    r"目標|目指|方針|予定|計画|今後|これから|取り組む|取組む|どうする|する\?|するの|していく|"
    r"第4期|令和6年度|次の|新しい"
)


def _asks(text: str) -> tuple[bool, bool]:
    """(asks for results, asks for plans) of an NFKC question."""
    wants_plans = bool(_PLAN_CUES.search(text))
    wants_results = bool(_EVENT_CUES.search(text)) or (
        not wants_plans and bool(_FIGURE_CUES.search(text))
    )
    return wants_results, wants_plans


# From when to when (いつからいつまで, 計画の期間は？): answered by a stated period, which
# the plans often give only in a heading (<第4期中期計画（案）の考え方（令和6年4月～令和11年3月）>).
# いつから alone asks when something starts; 保存期間 or 育児期間 name a kind of period.
PERIOD_QUESTION = re.compile(
    r"いつから.{0,4}いつまで|何年間|(?:計画|(?<![一-龥]))期間(?:は|って|を|[?？]|$)"
)
STATED_PERIOD = re.compile(
    r"(?:令和|平成)\s*(?:[0-9０-９]+|元)\s*年(?:\s*[0-9０-９]+\s*月)?\s*[～~〜－-]\s*"
    r"(?:令和|平成)?\s*[0-9０-９]+\s*年"
)


def asks_for_period(question: str) -> bool:
    return bool(PERIOD_QUESTION.search(unicodedata.normalize("NFKC", question)))


_FISCAL_YEAR_CUES = re.compile(r"令和\s*\d+\s*年度|今年度|昨年度|単年度")


def kind_weights(question: str, strength: float) -> dict[str, float]:
    """Kind → multiplier (1.0 when the question gives no cue or both).

    A question on plans pulls this plan's measures, not the earlier plans the results
    document restates: 全国異動の方針はどう変わる？ is answered by the 4th plan's 年度P124,
    not by 令和５年度計画. Measured on the gold set's dev split: recall@10 0.934 → 0.951,
    MRR@10 0.748 → 0.751.
    """
    if strength <= 1.0:
        return {}
    text = unicodedata.normalize("NFKC", question)
    wants_results, wants_plans = _asks(text)
    weights: dict[str, float] = {}
    if wants_results != wants_plans:
        weights = dict.fromkeys(RESULT_KINDS if wants_results else MEASURE_KINDS, strength)
    if _FISCAL_YEAR_CUES.search(text):
        # A named fiscal year points at the year blocks (令和５年度計画 / 取組実績), not at
        # the five-year summaries beside them.
        for kind in ("fy_result", "fy_plan"):
            weights[kind] = weights.get(kind, 1.0) * strength
    return weights


def answer_kind_weights(question: str, strength: float) -> dict[str, float]:
    """Kind → multiplier for the sentences an answer is built from.

    Retrieval stays neutral on a question without cues; an answer cannot: it quotes one
    passage first. A question that asks how many or how it went is answered from results;
    any other (what will be done, a target, or no tense at all: スマホで払える？) from the
    plan's measures, not from the earlier plans the results document restates. A question
    naming a fiscal year with no plan word is about that year's report, so it gets no pull.
    Measured on the gold set's dev split, strength 2: fact coverage 0.738 → 0.770, citation
    recall 0.822 → 0.877, precision 0.687 → 0.743 (bench/results/answers.md).
    """
    if strength <= 1.0:
        return {}
    text = unicodedata.normalize("NFKC", question)
    wants_results, wants_plans = _asks(text)
    if wants_results and not wants_plans:
        return dict.fromkeys(RESULT_KINDS, strength)
    if wants_plans and not wants_results:
        return dict.fromkeys(MEASURE_KINDS, strength)
    if not wants_results and not _FISCAL_YEAR_CUES.search(text):
        return dict.fromkeys(MEASURE_KINDS, strength)
    return {}
