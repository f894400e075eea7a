"""answer/value_binding.py: a figure answers the asked attribute only in its clause and unit."""

from __future__ import annotations

from answer.extractive import Picked
from answer.value_binding import (
    counted_pattern,
    figure_pattern,
    states_bound_value,
    states_value,
    value_unbound,
)
from ingest.model import Chunk
from question import analyse


def _none(phrase: str) -> list[str]:
    return []


def _bound(sentence: str, attribute: str, counter: str | None, kind: str | None = "count"):
    figures = figure_pattern(attribute, counter, kind)
    assert figures is not None
    return states_bound_value(sentence, attribute, figures, _none)


def test_a_figure_after_its_attribute_in_one_clause_is_bound():
    assert _bound("相談窓口の接続率は、72.6％となった。", "接続率", "%")


def test_a_figure_of_another_subject_is_not_the_asked_attributes():
    sentence = (
        "被保険者10,000人以上の大規模事業所の調査について、"
        "特別法人対策部と年金事務所で連携して取組を実施。"
    )
    assert not _bound(sentence, "職員", "人")


def test_a_figure_in_the_clause_after_a_predicate_belongs_to_that_clause():
    assert not _bound("相談員を配置し、来訪者は1,200人となった。", "相談員", "人")
    assert _bound("相談員を120人配置し、来訪者の相談に応じた。", "相談員", "人")


def test_an_amount_is_given_in_money_not_in_percent():
    assert not _bound("令和５年度分保険料 77.6％。", "保険料", None, "money")
    assert _bound("保険料は月額16,980円である。", "保険料", None, "money")


def test_a_rate_asked_takes_a_percentage_and_another_rate_is_not_it():
    # 保険料率 is not written: 収納率 of 厚生年金保険料 is another rate.
    assert not _bound("厚生年金保険料の収納率は98.7％となった。", "保険料率", None)
    assert _bound("厚生年金保険料の収納率は98.7％となった。", "収納率", None)


def test_a_count_of_a_noun_is_stated_by_the_noun_with_its_counter():
    assert _bound("登録者は、令和５年９月末で512万人となり、目標を超えた。", "登録者数", "人")


def test_a_year_is_no_figure_of_the_asked_count():
    assert not _bound("相談員の配置は令和6年度に見直す。", "相談員", None)


def test_a_figure_qualifying_the_attribute_through_no_is_bound():
    assert _bound("全国で1,688ブースの相談窓口を設けた。", "相談窓口", None)


def test_values_listed_by_contrastive_topics_stay_in_the_attributes_clause():
    sentence = "文書の保存期間を、資格取得届等は150年、年金請求書は100年に見直す。"
    assert _bound(sentence, "保存期間", None)


def test_an_attribute_naming_only_a_kind_of_value_is_bound_by_any_figure_in_its_unit():
    assert _bound("窓口の接続率は80％を上回った。", "割合", None)
    assert not _bound("窓口の入電数は500万件となった。", "割合", None)


def test_an_equivalent_of_the_attribute_binds_as_the_attribute_does():
    figures = figure_pattern("受付時間", None, "count")
    assert figures is not None
    sentence = "窓口時間は8時間30分とする。"
    assert states_bound_value(sentence, "受付時間", figures, lambda p: ["窓口時間"])
    assert not states_bound_value(sentence, "受付時間", figures, _none)


def test_a_question_asking_no_figure_has_no_figure_pattern():
    assert figure_pattern("窓口", None, None) is None
    assert figure_pattern("窓口", None, "phone") is None


def test_a_noun_of_money_asked_by_degree_may_be_answered_by_a_share():
    # どのくらい of 保険料 may ask how much of it is paid: the head fixes no unit; いくら
    # (the answer type money) asks an amount.
    assert _bound("国民年金の保険料は、現年度分の80％が納められた。", "保険料", None, "count")
    assert not _bound("国民年金の保険料は、現年度分の80％が納められた。", "保険料", None, "money")


def test_a_figure_written_in_the_counted_noun_counts_it():
    pattern = counted_pattern(["会社", "事業所"])
    assert pattern is not None
    assert states_value("5,152事業所に対し、調査を実施した。", pattern)
    assert not states_value("被保険者10,000人以上の調査を実施した。", pattern)
    assert counted_pattern([]) is None


# value_unbound: no sentence of the answer nor top passage states the asked figure bound to
# the attribute (the decline signal of that name).


def _passage(text: str, headings: str = "") -> Chunk:
    return Chunk(
        id=text[:8], text=text, source="plan.pdf", page=1, kind="measure", context=headings
    )


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
