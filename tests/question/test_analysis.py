"""question/analysis.py: one question analysed once, with real Sudachi and the shipped rules."""

from __future__ import annotations

import dataclasses

import pytest

from answer.schemas import Turn
from question import QuestionAnalysis, QuestionPart, analyse


def _history(*questions: str) -> list[Turn]:
    """User turns, each followed by an assistant answer, as /ask receives them."""
    turns: list[Turn] = []
    for question in questions:
        turns.append(Turn(role="user", content=question))
        turns.append(Turn(role="assistant", content="計画には次のとおりあります。【中期P10】"))
    return turns


def test_a_standalone_question_is_searched_as_typed_with_no_carried_topic():
    question = "国民年金の口座振替の利用率はどうなっている？"
    analysis = analyse(f"  {question} ")
    assert analysis.question == question
    assert analysis.search_text == question
    assert analysis.carried_topic == ""
    assert analysis.is_followup is False
    assert analysis.page_refs == ()
    assert analysis.labels == ()
    assert analysis.parts == (QuestionPart(question),)


@pytest.mark.parametrize(
    ("question", "labels", "without_pages"),
    [
        ("中期計画の46ページには何が書いてある？", ("中期P46",), " には何が書いてある？"),
        (
            "年度計画の33ページと中期計画の46ページを比べて",
            ("年度P33", "中期P46"),
            " と を比べて",
        ),
        ("資料１－３の２１ページの事業所数", ("資料1-3 P21",), " の事業所数"),
    ],
)
def test_pages_named_in_natural_forms_become_labels_and_are_blanked(
    question: str, labels: tuple[str, ...], without_pages: str
):
    analysis = analyse(question)
    assert analysis.labels == labels
    assert analysis.text_without_pages == without_pages
    # A question naming pages is answered as one part, not split at its ？ or あと、.
    assert analysis.parts == (QuestionPart(question),)


def test_a_page_named_twice_gives_its_label_once():
    analysis = analyse("中期P46と中期計画の46ページは同じ？")
    assert analysis.labels == ("中期P46",)
    assert len(analysis.page_refs) == 2


@pytest.mark.parametrize(
    ("question", "answer_type", "counter"),
    [
        ("第4期の計画期間はいつからいつまで？", "period", None),
        ("ねんきんダイヤルの電話番号は？", "phone", None),
        ("年金事務所は何時まで開いている？", "clock", None),
        ("年金セミナーの費用はいくら？", "money", None),
        ("年金の振込日は何日に？", "day", None),
        ("年金セミナーに何人参加した？", "count", "人"),
        ("電子申請の件数は何件？", "count", "件"),
        ("口座振替を広げる取組を教えて", None, None),
    ],
)
def test_the_kind_of_answer_and_its_counter_come_from_the_question_words(
    question: str, answer_type: str | None, counter: str | None
):
    analysis = analyse(question)
    assert analysis.answer_type == answer_type
    assert analysis.counter == counter


def test_a_period_question_is_flagged_as_one():
    assert analyse("第4期の計画期間はいつからいつまで？").asks_for_period is True
    assert analyse("年金事務所は何時まで開いている？").asks_for_period is False


@pytest.mark.parametrize(
    ("question", "wants_results", "wants_plans"),
    [
        ("令和５年度の納付率の実績は？", True, False),
        ("未統合記録の解明は進んだ？", True, False),
        ("年金セミナーに何人参加した？", True, False),
        ("コールセンターでの応答率の目標は？", False, True),
        ("未統合記録の解明はどう進める予定？", False, True),
        # A figure asked for under a plan word is the plan's figure.
        ("電子申請の件数は何件を目指す？", False, True),
        ("ねんきんネットとは？", False, False),
    ],
)
def test_results_and_plan_intent_follow_the_cues(
    question: str, wants_results: bool, wants_plans: bool
):
    analysis = analyse(question)
    assert (analysis.wants_results, analysis.wants_plans) == (wants_results, wants_plans)


def test_a_fiscal_year_is_named_in_half_width_digits():
    analysis = analyse("令和５年度の納付率の実績は？")
    assert analysis.years == frozenset({"令和5"})
    assert analysis.fiscal_years == frozenset({"令和5年度"})
    assert analysis.names_fiscal_year is True


def test_a_previous_fiscal_year_beside_one_named_year_names_the_year_before():
    analysis = analyse("令和5年度の納付率は前年度と比べてどう変わった？")
    assert analysis.fiscal_years == frozenset({"令和5年度", "令和4年度"})
    assert analysis.years == frozenset({"令和5", "令和4"})


def test_a_previous_fiscal_year_beside_two_named_years_adds_none():
    analysis = analyse("令和4年度と令和5年度の納付率は前年度よりどうなった？")
    assert analysis.fiscal_years == frozenset({"令和4年度", "令和5年度"})


def test_a_year_without_a_fiscal_year_is_a_year_only():
    analysis = analyse("令和6年4月から何が変わる？")
    assert analysis.years == frozenset({"令和6"})
    assert analysis.fiscal_years == frozenset()


def test_the_analysis_is_frozen():
    analysis = analyse("コールセンターでの応答率の目標は？")
    assert isinstance(analysis, QuestionAnalysis)
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.search_text = "別の質問"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.wants_results = True  # type: ignore[misc]


def test_a_followup_naming_no_aspect_keeps_the_previous_turns_intent():
    history = _history("コールセンターでの応答率はどう推移した？")
    analysis = analyse("じゃあ令和4年度は？", history)
    assert analysis.carried_topic == "コールセンター 応答率"
    assert (analysis.wants_results, analysis.wants_plans) == (True, False)
    planned = analyse("じゃあ令和7年度は？", _history("コールセンターでの応答率の目標は？"))
    assert (planned.wants_results, planned.wants_plans) == (False, True)


def test_a_followup_naming_its_own_aspect_replaces_the_previous_intent():
    history = _history("コールセンターでの応答率はどう推移した？")
    analysis = analyse("それの目標は？", history)
    assert analysis.search_text == "コールセンター 応答率 目標は？"
    assert (analysis.wants_results, analysis.wants_plans) == (False, True)


def test_a_chain_of_followups_keeps_the_intent_of_the_turn_that_set_it():
    # 前の年は？ names no aspect and so asks for results, like the turn before it; the
    # turn after it must not lose that intent because 前の年は？ holds no cue itself.
    history = _history("コールセンターでの応答率はどう推移した？", "前の年は？")
    analysis = analyse("じゃあ令和3年度は？", history)
    assert analysis.carried_topic == "コールセンター 応答率"
    assert (analysis.wants_results, analysis.wants_plans) == (True, False)


def test_a_followup_is_searched_with_its_topic_and_its_resolved_year():
    history = _history("令和5年度の口座振替の実績は？")
    analysis = analyse("前の年は？", history)
    assert analysis.search_text == "口座振替 令和4年度は？"
    assert analysis.carried_topic == "口座振替"
    assert analysis.is_followup is True
    assert analysis.fiscal_years == frozenset({"令和4年度"})
    assert (analysis.wants_results, analysis.wants_plans) == (True, False)


def test_a_previous_fiscal_year_resolved_from_the_conversation_is_not_counted_twice():
    # 前年度 after 令和5年度 is 令和4年度; the resolved 令和4年度 must not turn the same
    # 前年度 into one more year back (令和3年度), which the passages never need to name.
    history = _history("令和5年度の国民年金保険料の納付率は？")
    analysis = analyse("前年度は？", history)
    assert analysis.fiscal_years == frozenset({"令和4年度"})
    assert analysis.years == frozenset({"令和4"})


def test_the_previous_period_of_the_fourth_plan_asks_for_the_results_report():
    # 第3期 typed asks for results (the results report covers it); resolved from 前の期
    # it must ask the same, not inherit the plan intent of the 第4期 turn.
    typed = analyse("第3期の電子申請は？")
    assert (typed.wants_results, typed.wants_plans) == (True, False)
    history = _history("第4期の電子申請の目標は？")
    analysis = analyse("前の期は？", history)
    assert analysis.search_text == "電子申請 第3期は？"
    assert (analysis.wants_results, analysis.wants_plans) == (True, False)


def test_a_part_narrows_the_analysis_to_its_side():
    analysis = analyse("第3期の電子申請の実績、そして第4期の目標")
    results, plan = analysis.parts
    narrowed = analysis.part(results)
    assert narrowed.search_text == results.text
    assert (narrowed.wants_results, narrowed.wants_plans) == (True, False)
    assert narrowed.parts == (results,)
    narrowed = analysis.part(plan)
    assert (narrowed.wants_results, narrowed.wants_plans) == (False, True)
    # The analysis itself is unchanged.
    assert (analysis.wants_results, analysis.wants_plans) == (True, True)
    assert len(analysis.parts) == 2


@pytest.mark.parametrize(
    ("question", "both"),
    [
        ("障害年金の審査体制、前の期の結果と新しい目標を並べて", True),  # both sides named
        ("窓口の待ち時間は以前と比べてどうなる？", True),  # a comparison
        ("保険料の納め方はどう変わりますか", True),  # a change
        # A trend or a change the grammar places on one side asks about that side alone:
        # the results report states the years' figures (question/side.py).
        ("ねんきん定期便の電子化の推移を知りたい", False),
        ("前の年と比べて電子化はどれだけ進みましたか", False),
        ("事業所調査の目標は達成できた？", True),  # whether a target was met
        # … in a year the results report covers: its own target and result answer it.
        ("令和5年度、事業所調査は計画どおり達成できた？", False),
        ("事業所調査は何件行う予定？", False),
        ("年金委員の活動を支援する取組は？", False),
    ],
)
def test_a_comparison_change_or_trend_asks_for_both_sides(question, both):
    assert analyse(question).wants_both_sides is both


@pytest.mark.parametrize(
    "question",
    [
        "お知らせの内容に間違いが見つかったら、どこへ問い合わせればいいの？",  # 違い in 間違い
        "保険料の計算で勘違いしやすいのはどんな点？",  # 違い in 勘違い
        "地域による格差はどこまで縮めるの？",  # 差 in 格差
        "比較的早く終わる手続にはどんなものがある？",  # 比較 in 比較的
    ],
)
def test_a_cue_inside_another_word_is_not_a_comparison(question: str):
    assert analyse(question).wants_both_sides is False


@pytest.mark.parametrize(
    "question",
    [
        "窓口での相談の受け方は、以前との違いがある？",  # 違い as a word
        "前の期と比べて審査の体制はどう変わる？",  # 比べ, どう変わ: stems of verbs
        "未納者への対応は以前と比較してどうなる？",  # 比較 as a word
    ],
)
def test_a_cue_standing_as_a_word_still_asks_for_both_sides(question: str):
    assert analyse(question).wants_both_sides is True


def test_the_results_of_a_page_asked_as_a_followup_ask_for_both_sides_of_that_page():
    history = [
        Turn(role="user", content="中期P46の内容を教えて"),
        Turn(role="assistant", content="…"),
    ]
    analysis = analyse("それの実績は？", history)
    assert analysis.labels == ("中期P46",)
    assert analysis.wants_results and analysis.wants_both_sides
    assert analysis.text_without_pages.split() == ["実績は？"]


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        # A figure asked with no side cue reads as the report's figure...
        ("窓口の待ち時間はどのくらい？", (True, False)),
        # ...unless the grammar asks how far it is to be moved or where it is bounded.
        ("窓口の待ち時間はどのくらいに縮めるの？", (False, True)),
        ("督促の件数は何件以内に抑えるんですか", (False, True)),
        # A change asked in the past stays the report's.
        ("窓口の待ち時間はどのくらい縮まった？", (True, False)),
    ],
)
def test_a_figure_the_grammar_places_on_the_plan_side_is_the_plans(question, wants):
    analysis = analyse(question)
    assert (analysis.wants_results, analysis.wants_plans) == wants


def test_a_page_of_a_users_file_is_a_named_page_when_the_index_holds_the_file():
    question = "支所だより.txt p.1の要点を教えて"
    analysis = analyse(question, documents=frozenset({"支所だより.txt"}))
    assert analysis.labels == ("支所だより.txt p.1",)
    assert "支所だより" not in analysis.text_without_pages
    assert analyse(question).labels == ()  # a file the index does not hold names no page
