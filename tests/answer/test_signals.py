"""answer/signals.py: what a decline names as absent, only what is true of the plans."""

from __future__ import annotations

from answer.extractive import Picked
from answer.signals import attribute_missing, missing_subject, rarity, value_unbound
from ingest.model import Chunk
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


def _passage(text: str, headings: str = "") -> Chunk:
    return Chunk(
        id=text[:8], text=text, source="plan.pdf", page=1, kind="measure", context=headings
    )


def _equivalents(phrase: str) -> list[str]:
    # A glossary of one line, as the lexical index gives equivalents (受付時間 = 窓口時間).
    return {"受付時間": ["窓口時間"]}.get(phrase, [])


PLANS = "年金事務所の窓口時間を延長する。職員の研修を実施する。"


def test_the_asked_attribute_in_the_best_sentence_is_not_missing():
    best = "年金事務所の窓口時間は17時までとする。"
    where = attribute_missing("受付時間", best, [_passage(best)], PLANS, _equivalents)
    assert where == ""  # found through its equivalent


def test_the_asked_attribute_only_in_another_top_passage_is_missing_from_the_best():
    passages = [_passage("年金事務所を全国に置く。"), _passage("窓口時間を延長する。")]
    where = attribute_missing("受付時間", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "best"


def test_the_asked_attribute_written_elsewhere_in_the_plans_is_missing_from_the_passages():
    passages = [_passage("年金事務所を全国に置く。")]
    where = attribute_missing("研修", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "passages"


def test_the_asked_attribute_the_plans_never_write_is_unwritten():
    passages = [_passage("年金事務所を全国に置く。")]
    where = attribute_missing("平均年齢", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "plans"


def test_no_attribute_read_is_nothing_missing():
    assert attribute_missing(None, "", [], PLANS, _equivalents) == ""


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


def test_an_attribute_written_everywhere_weighs_less_missing_than_one_never_written():
    plans = "件数は10件。件数は20件。件数は30件。"
    assert rarity("平均年齢", plans, _equivalents) == 1.0
    assert rarity("件数", plans, _equivalents) < rarity("平均年齢", plans, _equivalents)
    # An equivalent the plans write counts as the attribute written.
    assert rarity("受付時間", "窓口時間を延長する。", _equivalents) < 1.0


def _picked(quote: str, passage: Chunk) -> Picked:
    return Picked(quote=quote, shown=quote, chunk=passage, score=1.0)


STAFF_QUESTION = "特別対策室の職員は何人ですか？"
OTHER_FIGURE = "被保険者10,000人以上の事業所の調査について、特別対策室と年金事務所で連携して実施。"


def test_a_figure_of_another_subject_leaves_the_asked_value_unbound():
    analysis = analyse(STAFF_QUESTION)
    passage = _passage(OTHER_FIGURE)
    unbound = value_unbound(
        "職員", analysis, ["特別対策室", "職員"], [_picked(OTHER_FIGURE, passage)], [passage], _none
    )
    assert unbound


def test_a_top_passage_stating_the_asked_value_is_no_value_the_plans_lack():
    # Selection picked the other figure; a top passage gives the staff: a selection miss.
    analysis = analyse(STAFF_QUESTION)
    picked = [_picked(OTHER_FIGURE, _passage(OTHER_FIGURE))]
    staffed = _passage("特別対策室には職員を45人配置した。")
    asked = ["特別対策室", "職員"]
    assert not value_unbound("職員", analysis, asked, picked, [staffed], _none)


def test_a_heading_naming_the_attribute_binds_its_passages_figures():
    analysis = analyse("相談窓口の応答率は何％ですか？")
    passage = _passage("第一窓口 72.6％ 70.1％", headings="応答率の推移")
    picked = [_picked(passage.text, passage)]
    assert not value_unbound("応答率", analysis, ["相談窓口", "応答率"], picked, [], _none)


def test_a_question_asking_no_figure_is_never_unbound():
    analysis = analyse("特別対策室はどんな調査をしましたか？")
    passage = _passage(OTHER_FIGURE)
    picked = [_picked(OTHER_FIGURE, passage)]
    assert not value_unbound("調査", analysis, ["特別対策室", "調査"], picked, [passage], _none)


def test_a_year_asked_is_a_point_in_time_not_a_value_of_the_attribute():
    """西暦何年 / 何年度から asks when the predicate happened: the year answers the event,
    not the noun asked about, and a date is never read as a figure, so it could bind to
    nothing and every such question read as unbound (JSQuAD questions were declined)."""
    stated = "相談センターは1998年に開設され、全国に広がった。"
    passage = _passage(stated)
    picked = [_picked(stated, passage)]
    for question in ("相談センターが開設されたのは西暦何年？", "相談センターは何年度から？"):
        analysis = analyse(question)
        asked = ["相談センター", "開設"]
        assert not value_unbound("相談センター", analysis, asked, picked, [passage], _none)


def _none(phrase: str) -> list[str]:
    return []


def test_a_figure_in_an_equivalent_of_the_counted_noun_gives_the_count():
    # 何社 counts 会社; the plans count employers as 事業所 (the glossary's equivalent).
    analysis = analyse("職員が訪ねた会社は何社ですか？")
    text = "5,152事業所に対し、事業所調査を実施。"
    passage = _passage(text)
    picked = [_picked(text, passage)]

    def equivalents(phrase: str) -> list[str]:
        return {"会社": ["事業所"]}.get(phrase, [])

    asked = ["職員", "会社"]
    assert not value_unbound("職員", analysis, asked, picked, [passage], equivalents)
    assert value_unbound("職員", analysis, asked, picked, [passage], _none)


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
