"""A place asked (どこ) is a kind of answer, as a phone number or an amount is: a question
whose passages name no place or body bound to what it asks is declined, naming it; one whose
passages do is answered (answer/name_binding.place_unstated, the signal type_missing).
Real index of the two plans, real Sudachi."""

from __future__ import annotations

import pytest
from support.asking import assess

from answer.decline_subject import unnamed_subject
from answer.name_binding import asks_place, own_words
from question import analyse


def test_where_an_organisations_headquarters_is_is_declined_naming_it(service):
    body, signals = assess(service, "協会けんぽの本部はどこ？")
    assert signals.type_missing == 1.0
    assert not body.answered and body.citations == []
    assert "本部" in body.answer.splitlines()[0]
    assert any("本部" in note for note in body.notes)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("リスク管理の監査を行う部署はどこ？", "監査部"),
        ("大規模事業所の調査は年金事務所とどこが協働して行う？", "本部"),
    ],
)
def test_a_place_the_passages_name_beside_the_asked_thing_is_answered(service, question, named):
    body, signals = assess(service, question)
    assert signals.type_missing == 0.0
    assert body.answered and named in body.answer


def test_a_list_ending_in_nado_no_asks_no_place():
    # など + の lists examples (…などの国々): it is no どの asking which country.
    assert not asks_place(analyse("東北や北陸などの国々を何と呼ぶ？"))
    assert asks_place(analyse("どの国が最も多い？"))
    assert asks_place(analyse("協会けんぽの本部はどこ？"))


@pytest.mark.parametrize(
    "question",
    [
        # the passages write 日本年金機構本部: the question's own words, no place of it
        "日本年金機構の本部はどこ？",
        # where a thing itself is (どこにある): one named by its ending (…年金事務所) answers
        "年金事務所はどこにありますか？",
    ],
)
def test_a_place_named_only_by_the_questions_own_words_is_no_place_stated(service, question):
    body, signals = assess(service, question)
    assert signals.type_missing == 1.0
    assert not body.answered and body.citations == []


def test_a_name_made_of_the_questions_own_words_repeats_it():
    question = analyse("日本年金機構の本部はどこ？").normalized_without_pages
    assert own_words("日本年金機構本部", question)
    assert not own_words("東京都杉並区", question)


def test_the_note_of_a_place_asked_names_its_location_not_its_name(service):
    body, _ = assess(service, "協会けんぽの本部はどこ？")
    assert not body.answered
    assert any("本部の所在地" in note and "location" in note for note in body.notes)
    assert not any("名称" in note for note in body.notes)


def test_which_one_of_a_class_asked_is_still_named_by_its_name():
    assert unnamed_subject("年金事務所はどこにありますか？", "年金事務所", []) == (
        "ご質問の年金事務所の所在地"
    )
    office = unnamed_subject("相談が最も多い年金事務所はどこ？", "年金事務所", ["相談"])
    assert office == "ご質問の年金事務所の名称"
