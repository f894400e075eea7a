"""answer/signals.py: what a decline names as absent, only what is true of the plans."""

from __future__ import annotations

from answer.signals import missing_subject
from question import analyse


def _details(**given: list[str]) -> dict[str, list[str]]:
    return {"years": [], "terms": [], "lacking": [], "unwritten": [], **given}


def test_a_compound_no_passage_writes_is_named_and_one_written_elsewhere_is_not():
    analysis = analyse("年金事務所の最寄り駅は何番出口ですか？")
    details = _details(lacking=["年金事務所", "最寄り駅"], unwritten=["最寄り駅"])
    assert missing_subject("type_missing", details, analysis) == "最寄り駅"


def test_without_an_unwritten_compound_the_asked_kind_of_answer_is_named():
    analysis = analyse("年金は毎月何日に振り込まれますか？")
    details = _details(lacking=["年金"])
    assert missing_subject("type_missing", details, analysis) == "ご質問の日付"


def test_a_missing_year_is_named_once_and_as_results_when_results_are_asked():
    analysis = analyse("令和7年度の納付率の実績は？")
    details = _details(years=["令和7", "令和7年度"])
    assert missing_subject("years_missing", details, analysis) == "令和7年度の実績について"


def test_a_term_the_plans_never_use_comes_first():
    details = _details(terms=["国民年金基金"], years=["令和9年度"], unwritten=["加入手続"])
    assert missing_subject("unknown_compounds", details, analyse("国民年金基金とは？")) == (
        "国民年金基金"
    )
