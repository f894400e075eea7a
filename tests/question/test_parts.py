"""question/parts.py: a message asking two things, or both sides of a comparison (real Sudachi)."""

from __future__ import annotations

import pytest

from question.parts import QuestionPart, question_parts, sides, split_parts


@pytest.mark.parametrize(
    ("question", "written"),
    [
        (
            "口座振替の利用率はどうなった？あと、クレジットカード納付はどう増やす？",
            ["口座振替の利用率はどうなった", "クレジットカード納付はどう増やす"],
        ),
        (
            "電子申請の利用状況を教えて。それと、ねんきんネットの登録者数は？",
            ["電子申請の利用状況を教えて。", "ねんきんネットの登録者数は"],
        ),
        (
            "年金事務所の予約相談は増えた？未統合記録は何件残っている？",
            ["年金事務所の予約相談は増えた", "未統合記録は何件残っている"],
        ),
    ],
)
def test_two_questions_in_one_message_are_split(question: str, written: list[str]):
    assert split_parts(question) == written
    assert question_parts(question) == tuple(QuestionPart(text) for text in written)


def test_a_part_without_its_own_topic_shares_the_previous_parts_topic():
    parts = question_parts("コールセンターでの応答率はどう推移した？あと、目標は？")
    assert parts == (
        QuestionPart("コールセンターでの応答率はどう推移した"),
        QuestionPart("コールセンター 応答率 目標は"),
    )


def test_a_trailing_interjection_is_not_a_part():
    question = "コールセンターでの応答率は？ね"
    assert split_parts(question) == [question]
    assert question_parts(question) == (QuestionPart(question),)


def test_a_one_thing_question_stays_one_part():
    question = "電子申請の利用率を上げるために何をする？"
    assert split_parts(question) == [question]
    assert question_parts(question) == (QuestionPart(question),)
    assert sides(question) == ()


def test_a_question_naming_both_periods_gets_a_results_side_and_a_plan_side():
    parts = question_parts("第3期の電子申請の実績、そして第4期の目標")
    assert parts == (
        QuestionPart("第3期の電子申請の実績、そして の ", "results"),
        QuestionPart(" の電子申請の 、そして第4期の目標", "plan"),
    )
    results, plan = parts
    assert "目標" not in results.text and "第4期" not in results.text
    assert "実績" not in plan.text and "第3期" not in plan.text


def test_results_and_target_of_one_topic_get_two_sides():
    parts = question_parts("コールセンターでの応答率の実績と目標は？")
    assert [p.side for p in parts] == ["results", "plan"]
    assert parts[0].text == "コールセンターでの応答率の実績と は?"
    assert parts[1].text == "コールセンターでの応答率の と目標は?"


def test_a_question_naming_one_side_has_no_sides():
    assert sides("第3期の電子申請の実績は？") == ()
    assert sides("第4期の電子申請の目標は？") == ()
    assert question_parts("第4期の電子申請の目標は？") == (
        QuestionPart("第4期の電子申請の目標は？"),
    )


def test_side_words_inside_an_adjective_of_manner_name_no_side():
    # 結果的に (as it turned out) is no result: the question names the plan side only.
    assert sides("研修の目標は結果的にどこまで上がる？") == ()
    # 実績 and 目標 as words: both sides, each without the other's words.
    assert [p.text for p in sides("研修の実績と目標は?")] == [
        "研修の実績と は?",
        "研修の と目標は?",
    ]


@pytest.mark.parametrize(
    ("question", "written"),
    [
        # Nouns coordinated: what qualifies them and what they qualify is shared.
        (
            "ねんきんネットとマイナポータルの登録件数はそれぞれ何件？",
            ["ねんきんネットの登録件数は何件?", "マイナポータルの登録件数は何件?"],
        ),
        # Clauses coordinated: each runs to the noun its verb qualifies.
        (
            "窓口で相談を受けた人数と、電話で相談を受けた人数はそれぞれ何人？",
            ["窓口で相談を受けた人数は何人?", "電話で相談を受けた人数は何人?"],
        ),
        # A head written again: each conjunct is its own 〜の事務センター.
        (
            "東日本の事務センターと西日本の事務センターでは各々何人が働く？",
            ["東日本の事務センターでは何人が働く?", "西日本の事務センターでは何人が働く?"],
        ),
        # ともに asked with a value.
        (
            "障害年金と遺族年金の審査期間はともに何日？",
            ["障害年金の審査期間は何日?", "遺族年金の審査期間は何日?"],
        ),
    ],
)
def test_two_subjects_that_each_get_the_asked_attribute_are_two_parts(question, written):
    parts = question_parts(question)
    assert [p.text for p in parts] == written
    assert all(p.side is None and p.subject for p in parts)


def test_each_part_of_two_subjects_names_its_own_subject_only():
    first, second = question_parts(
        "窓口で相談を受けた人数と、電話で相談を受けた人数はそれぞれ何人？"
    )
    assert "窓口" in first.subject and "電話" not in first.subject
    assert "電話" in second.subject and "窓口" not in second.subject


@pytest.mark.parametrize(
    "question",
    [
        "障害年金と遺族年金の審査期間はともに短くなった？",  # ともに states, asks no value
        "前年度と比べてそれぞれ何%増えた？",  # と before a verb: no coordination
        "各事務センターはそれぞれ何を担当する？",  # それぞれ with one subject
    ],
)
def test_no_two_subjects_no_split(question):
    assert question_parts(question) == (QuestionPart(question),)


@pytest.mark.parametrize(
    "question",
    [
        "制度改正のあと、窓口の相談件数はどう変わった？",
        "システムを刷新したあと、処理の日数は何日になった？",
        "研修が済んだあと、何を見直した？",
        "事務センターを集約した後で、入力の誤りは減った？",
        "研修を実施してから、何を見直した？",
    ],
)
def test_an_opening_time_clause_is_no_part_of_its_own(question: str):
    # A time clause (…のあと、 …した後で、 …してから、) dates the main clause that asks;
    # answered on its own, it led the answer with a passage about the earlier event.
    assert split_parts(question) == [question]
    assert question_parts(question) == (QuestionPart(question),)
