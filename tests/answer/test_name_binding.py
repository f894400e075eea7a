"""A question asking a name is unbound when no passage names one of its kind about it."""

from __future__ import annotations

from answer.decline_subject import missing_subject, unnamed_subject
from answer.extractive import Picked
from answer.name_binding import asked_name_kind, identifies, name_unbound, names_in
from ingest.model import Chunk
from question import analyse


def _passage(text: str, headings: str = "") -> Chunk:
    return Chunk(
        id=text[:8], text=text, source="plan.pdf", page=1, kind="measure", context=headings
    )


def _picked(passage: Chunk) -> Picked:
    return Picked(quote=passage.text, shown=passage.text, chunk=passage, score=1.0)


def _none(phrase: str) -> list[str]:
    return []


def _unbound(question: str, attribute: str | None, asked: list[str], text: str) -> bool:
    passage = _passage(text)
    return name_unbound(analyse(question), attribute, asked, [_picked(passage)], [passage], _none)


def test_question_words_ask_a_person_a_place_or_body_or_what_a_thing_is_called():
    kinds = {
        "監査役は誰ですか？": "person",
        "どなたが委員長を務めますか？": "person",
        "研修の会場はどこでしたか？": "place",
        "どの機関と情報を共有しますか？": "place",
        "新しい相談の仕組みは何という制度？": "name",
        "冊子の名称を教えて": "name",
    }
    for question, kind in kinds.items():
        found = asked_name_kind(question)
        assert found is not None and found.id == kind, question


def test_a_degree_an_embedded_question_or_a_kind_of_thing_asks_no_name():
    for question in (
        "応答率はどこまで上がりましたか？",
        "誰のものか分からない記録は何件？",
        "どんな課題がありますか？",
    ):
        assert asked_name_kind(question) is None, question


def test_names_come_from_proper_nouns_quotes_and_the_documents_endings_not_eras():
    kind = asked_name_kind("何という制度？")
    assert kind is not None
    found = names_in("令和6年度から「年金ほっとライン」を経営推進部内で運用する。", kind)
    assert "年金ほっとライン" in found
    assert "経営推進部" in found
    assert "令和" not in found


def test_a_person_asked_of_a_post_the_passages_name_no_one_for_is_unbound():
    question = "機構の監査役は誰ですか？"
    asked = ["機構", "監査役"]
    assert _unbound(question, "監査役", asked, "監査役は、業務の適正を確保するため監査を行う。")
    assert not _unbound(question, "監査役", asked, "監査役には山田太郎が就任した。")


def test_which_office_is_answered_only_by_a_name_of_an_office_not_the_word_itself():
    question = "相談が最も多い年金事務所はどこですか？"
    asked = ["相談", "年金事務所"]
    words_only = "年金事務所の相談体制を強化し、本部が支援する。"
    assert _unbound(question, "年金事務所", asked, words_only)
    named = "相談が集中した港北年金事務所に職員を増員した。"
    assert not _unbound(question, "年金事務所", asked, named)


def test_where_a_thing_was_set_up_is_bound_by_a_body_beside_the_question_s_words():
    question = "企画室はどこに設置されましたか？"
    stated = "組織全体の課題に対応するため、経営推進部内に企画室を設置した。"
    assert not _unbound(question, "企画室", ["企画室", "設置"], stated)


def test_a_decline_for_an_unnamed_person_names_whose_name_was_asked():
    question = "機構の監査役は誰ですか？"
    assert unnamed_subject(question, None, ["機構", "監査役"]) == "監査役の氏名"
    assert unnamed_subject(question, "監査役", ["機構", "監査役"]) == "監査役の氏名"
    assert unnamed_subject("本部の所在地はどこ？", "所在地", ["本部", "所在地"]) == "所在地"
    # The plans name offices, not the one asked: the decline says so of the one asked.
    office = unnamed_subject("相談が最も多い年金事務所はどこ？", "年金事務所", ["相談"])
    assert office == "ご質問の年金事務所の名称"
    details = {"unnamed": ["監査役の氏名"], "terms": [], "years": []}
    assert missing_subject("name_unbound", details, analyse(question)) == "監査役の氏名"


def test_a_cleft_asks_who_did_it_bound_by_the_question_s_words_not_its_last_noun():
    # …したのは誰 asks the subject of the clause, as 誰が…した does.
    question = "港北の事務所で相談を受け付けたのは誰ですか？"
    stated = "港北の事務所では、相談を業務推進部が受け付けた。"
    assert not _unbound(question, "相談", ["港北", "事務所", "相談"], stated)


def test_a_person_named_by_what_they_do_is_the_class_asked_not_what_a_name_is_of():
    # 設計者 is the person asked (…者: one who designs), not a post the sentence must write.
    question = "北港ホールの設計者は誰ですか？"
    stated = "北港ホールは、山田太郎の設計により建てられた。"
    assert not _unbound(question, "設計者", ["北港ホール", "設計者"], stated)


def test_a_person_the_title_names_answers_a_sentence_that_leaves_its_subject_unwritten():
    # An article titled with a person's name says 北港で生まれた, not who was born there.
    question = "北港の商人の家に末っ子として生まれた人物は誰ですか？"
    asked = ["北港", "商人", "末っ子", "人物"]
    text = "北港の商人の家に末っ子として生まれた。"
    untitled = _passage(text)
    titled = Chunk(
        id="t", text=text, source="a.txt", page=1, kind="measure", title="ヨハネス・グーテンベルク"
    )
    unbound = [
        name_unbound(analyse(question), "人物", asked, [_picked(p)], [p], _none)
        for p in (untitled, titled)
    ]
    assert unbound == [True, False]


def test_a_title_s_compound_or_quote_names_a_topic_not_who_was_asked():
    question = "北港の相談を受け付けたのは誰ですか？"
    text = "北港の相談を受け付けた。"
    titled = Chunk(
        id="t", text=text, source="a.txt", page=1, kind="measure", title="「相談窓口」と業務推進部"
    )
    assert name_unbound(
        analyse(question), "相談", ["北港", "相談"], [_picked(titled)], [titled], _none
    )


def test_a_cleft_asking_two_bodies_asks_who_did_it_as_one_does():
    # …のはどことどこ asks two bodies that did it, as …のはどこ asks one.
    kind = asked_name_kind("切り替えたのはどことどこ？")
    assert kind is not None
    assert not identifies("情報の授受を切り替えたのはどことどこ？", kind)
    assert not identifies("情報の授受を切り替えたのはどこ？", kind)
    assert identifies("研修の会場はどこ？", kind)


def test_who_does_the_work_is_answered_by_a_role_the_plans_name_no_individual():
    question = "出張相談には誰が行っているの？"
    asked = ["出張", "相談"]
    stated = "出張相談は、職員や委託社会保険労務士を派遣して実施した。"
    assert not _unbound(question, None, asked, stated)
    assert _unbound(question, None, asked, "出張相談を延べ23万件実施した。")
