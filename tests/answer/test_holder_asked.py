"""Who holds a post (…長は誰, …長の名前, 講師はどなた) is answered by a person's name, as a
place asked is by a place: a question whose passages name no person beside the post is
declined, naming the post's holder (answer/name_binding.holder_unnamed, the signal
type_missing), not answered by a sentence on the post's office or on a kind of person.
Real index of the two plans, real Sudachi."""

from __future__ import annotations

import pytest
from support.asking import assess

from answer.asked_terms import asked_compounds
from answer.extractive import Picked
from answer.name_binding import asked_post, holder_unnamed, name_kinds, names_in
from ingest.model import Chunk
from question import analyse


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("副理事長の氏名を教えてください", "副理事長の氏名"),
        ("事務センター長の名前は？", "事務センター長の氏名"),
        ("接遇研修の講師はどなたですか？", "講師の氏名"),
    ],
)
def test_a_post_whose_holder_no_passage_names_is_declined_naming_it(service, question, named):
    body, signals = assess(service, question)
    assert signals.type_missing == 1.0
    assert not body.answered and body.citations == []
    assert named in body.answer.splitlines()[0]


def _passage(text: str) -> Chunk:
    return Chunk(id=text[:8], text=text, source="plan.pdf", page=1, kind="measure", context="")


def _unnamed(question: str, attribute: str, text: str) -> bool:
    passage = _passage(text)
    picked = [Picked(quote=text, shown=text, chunk=passage, score=1.0)]
    asked = asked_compounds(question)
    return holder_unnamed(analyse(question), attribute, asked, picked, [passage], lambda _: [])


def test_a_post_s_own_name_asked_is_the_holder_s_not_a_unit_s():
    question = "センター長の名前を教えて"
    assert asked_post(question, "名前") == "センター長"
    office = "センター長を補佐する部署として企画推進室を設置した。"
    assert _unnamed(question, "名前", office)
    assert not _unnamed(question, "名前", "センター長には佐藤花子が就任した。")


def test_a_kind_of_person_is_no_holder_named():
    question = "接遇研修の講師はどなたですか？"
    assert _unnamed(question, "講師", "外部講師による接遇研修を実施した。")
    assert not _unnamed(question, "講師", "接遇研修の講師は鈴木一郎が務めた。")


def test_a_class_of_people_or_a_unit_asked_is_no_post():
    # 作者 names a person by what they do (a class: a body may answer); 本部 is a unit.
    assert asked_post("この冊子の作者は誰？", "作者") is None
    assert asked_post("本部の名前は？", "名前") is None


def test_katakana_common_nouns_joined_by_a_dot_are_no_foreign_name():
    person = next(k for k in name_kinds() if k.id == "person").people_only()
    assert names_in("新たなカリキュラム・テキストを用意した。", person) == []
    assert "ジョン・スミス" in names_in("ジョン・スミスが講義した。", person)


def test_a_family_and_given_name_sudachi_does_not_know_is_a_person_s_name():
    # 板倉 is read as a place and 文久 as an era-like noun: two proper nouns in a row.
    question = "講習の講師は誰ですか？"
    assert not _unnamed(question, "講師", "講習は板倉文久が担当した。")


def test_a_word_misread_as_a_name_on_another_topic_names_no_holder():
    # Sudachi reads マイナ of マイナポータル as a given name; the sentence is not on the post.
    stated = "マイナポータルで申請書を受け付けた。"
    assert _unnamed("センター長の名前を教えて", "名前", stated)
