"""How a decline names the year it found missing, saying the true reason.

A year no indexed passage covers (令和12年度; a result asked of 令和8年度, which the plans
only plan) is named as such: 計画文書には令和12年度についての記載はありません. A year the
plans do cover, whose asked figure no quoted passage states (令和6年度 is the annual plan's
year; 令和5年度 the report's), is not: the decline names the figure asked of that year
(令和6年度の件数), since saying the plans do not cover 令和6年度 is false.
"""

from __future__ import annotations

from question import QuestionAnalysis

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
        return "・".join(uncovered) + ("の実績について" if analysis.wants_results else "について")
    return f"{'・'.join(years)}の{figure_asked(details, analysis)}"


def figure_asked(details: dict[str, list[str]], analysis: QuestionAnalysis) -> str:
    """The figure the question asks, as the decline names it: its attribute with whose it is
    (年金相談の件数), the attribute alone, else the kind of figure (ご質問の数値)."""
    attribute = details.get("asked_attribute", [])
    owner = details.get("owner", [])
    results = "の実績" if analysis.wants_results else ""
    if attribute:
        named = f"{owner[0]}の{attribute[0]}" if owner else attribute[0]
        if results:
            return f"{named}{results}"
        if not attribute[0].endswith(_FIGURE_ENDS):
            named += "の" + _FIGURE_NOUNS.get(analysis.answer_type or "", "数値")
        return named
    noun = _FIGURE_NOUNS.get(analysis.answer_type or "", "記載内容")
    return f"ご質問の{noun}{results}"
