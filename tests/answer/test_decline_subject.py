"""answer/decline_subject.py: what a decline names as absent, only what is true of the plans."""

from __future__ import annotations

from answer.decline_subject import missing_subject
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


def test_the_asked_attribute_is_named_when_every_other_compound_is_written():
    analysis = analyse("年金事務所の職員の平均年齢は？")
    details = _details(
        lacking=["平均年齢"],
        attribute=["平均年齢"],
        owner=["職員"],
        attribute_unwritten=["1"],
        topic=["職員"],
    )
    assert missing_subject("coverage", details, analysis) == "平均年齢"
    # Written of something else in the plans: named with whose it is asked.
    details = _details(lacking=["平均年齢"], attribute=["平均年齢"], owner=["職員"], topic=["職員"])
    assert missing_subject("coverage", details, analysis) == "職員の平均年齢"
    details = _details(lacking=["平均年齢"], attribute=["平均年齢"], topic=["職員"])
    assert missing_subject("coverage", details, analysis) == "ご質問の平均年齢"


def test_a_topic_the_plans_never_write_is_named_before_the_attribute():
    analysis = analyse("年金事務所の駐輪場の台数は？")
    details = _details(unwritten=["駐輪場"], attribute=["台数"], attribute_unwritten=["1"])
    assert missing_subject("coverage", details, analysis) == "駐輪場"


def test_a_term_never_written_that_is_part_of_the_asked_attribute_names_the_attribute():
    # 回収 is unwritten, and it is part of what is asked (回収率): the attribute is named.
    analysis = analyse("アンケートの回収率は？")
    details = _details(
        terms=["回収"], attribute=["回収率"], attribute_unwritten=["1"], topic=["アンケート"]
    )
    assert missing_subject("type_missing", details, analysis) == "回収率"


def test_an_attribute_is_not_named_for_a_topic_the_plans_do_not_cover():
    # Nothing else asked is in the best sentence: the term the plans never write is named.
    analysis = analyse("オランダ革命は何年？")
    details = _details(terms=["オランダ"], attribute=["オランダ革命"], attribute_unwritten=["1"])
    assert missing_subject("coverage", details, analysis) == "オランダ"


def test_a_decline_for_an_unbound_figure_names_the_attribute_and_whose_it_is():
    analysis = analyse("特別対策室の職員は何人ですか？")
    details = _details(unbound=["職員"], owner=["特別対策室"])
    assert missing_subject("value_unbound", details, analysis) == "特別対策室の職員の数値"
    assert missing_subject("value_unbound", _details(unbound=["職員"]), analysis) == "職員の数値"


def test_a_span_asked_is_named_a_period_not_a_count():
    # 何日で届く asks how long it takes, answered in any unit of time: a decline names the
    # period asked (ご質問の期間), not a count of days.
    analysis = analyse("申請してから通知は何日で届く？")
    assert missing_subject("type_missing", _details(), analysis) == "ご質問の期間"


def test_a_scope_signal_names_what_the_plans_never_state():
    analysis = analyse("国民年金の納付率がいちばん高い都道府県はどこ？")
    assert missing_subject("ranking_unstated", _details(), analysis) == "ご質問の順位"
    assert missing_subject("others_compared", _details(), analysis) == "他の機関や国との比較"
    assert missing_subject("benefit_amount", _details(), analysis).startswith("年金制度が定める")
