"""answer/asked_terms.py over real Sudachi and the real index of the bundled plans."""

from __future__ import annotations

import pytest

from answer.asked_terms import (
    absent_share,
    asked_compounds,
    compounds_missing,
    proper_nouns,
    share_held_together,
    unwritten_share,
)
from api.app import build_service
from index.lexical import LexicalSearcher
from planqa.settings import Settings


@pytest.fixture(scope="module")
def lexical(indexed_settings: Settings, use_encoder) -> LexicalSearcher:
    return build_service(indexed_settings, use_encoder).snapshot().lexical


def test_the_asked_compounds_leave_out_question_words_and_the_asked_figure():
    assert asked_compounds("年金事務所の建物は何階建てですか？") == ["年金事務所", "建物"]
    assert "利用者" in asked_compounds("電子申請の利用者は何人？")
    assert not any(c.startswith("何") for c in asked_compounds("電子申請の利用者は何人？"))


def test_formal_nouns_of_intent_and_a_request_to_confirm_are_not_asked():
    # つもり, はず, わけ shape the question like こと or よう; 本当 asks to confirm.
    assert asked_compounds("通知書に点字を付けるつもりですか？") == ["通知書", "点字"]
    assert asked_compounds("納付書は届くはずだよね、本当？") == ["納付書"]
    assert asked_compounds("窓口が混むのはそういうわけ？") == ["窓口"]


def test_a_compound_the_best_sentence_lacks_is_named_and_an_equivalent_counts():
    sentence = "年金事務所において相談を実施する。"
    assert compounds_missing(["年金事務所", "建物"], sentence, lambda c: []) == ["建物"]
    assert compounds_missing(["窓口"], sentence, lambda c: ["相談"]) == []


def test_words_no_passage_holds_are_absent_and_plan_words_are_not(lexical: LexicalSearcher):
    assert absent_share("パーキングは？", lexical, 0.6) == 1.0
    assert absent_share("電子申請割合の目標は？", lexical, 0.6) == 0.0


def test_the_proper_nouns_are_the_places_people_and_organisations_named():
    assert proper_nouns("ブラジルの首都はどこですか？") == ["ブラジル"]
    assert proper_nouns("電子申請の利用者は何人？") == []


def test_compounds_held_together_is_the_best_single_passage_share():
    passages = ["年金事務所の窓口で相談を受け付ける。", "建物の耐震化を進める。"]
    # Each compound is in one passage or the other, never both together.
    assert share_held_together(["年金事務所", "建物"], passages, lambda c: []) == 0.5
    assert share_held_together(["窓口", "相談"], passages, lambda c: []) == 1.0
    assert share_held_together([], passages, lambda c: []) == 1.0


def test_compounds_the_plans_never_write_nor_an_equivalent_are_unwritten():
    plain = "年金事務所において相談を実施する。"
    assert unwritten_share(["年金事務所", "首都"], plain, lambda c: []) == 0.5
    assert unwritten_share(["窓口"], plain, lambda c: ["相談"]) == 0.0
    assert unwritten_share([], plain, lambda c: []) == 0.0


def test_the_counter_of_the_asked_figure_and_a_superlative_are_no_compounds_asked():
    # ヶ国 of 何ヶ国 is the unit of the answer; 一番 of 一番多い says which figure is asked.
    assert asked_compounds("相談の通訳は何ヶ国に対応している？") == ["相談", "通訳", "対応"]
    assert asked_compounds("督促状の件数が一番多い年度は？") == ["督促状", "件数", "年度"]
    # A time noun before a verb (毎年行う) stays asked.
    assert "毎年" in asked_compounds("毎年行う研修の名前は？")


def test_a_compound_written_in_another_spelling_is_held():
    # One word in another script or with other okurigana (はがき for ハガキ, 見込額 for
    # 見込み額, 申込 for 申し込み) is held; its parts apart, or with a particle between, are not.
    sentence = "希望者には年金見込額をはがきで通知し、申込を受け付ける。"
    asked = ["ハガキ", "見込み額", "申し込み"]
    assert compounds_missing(asked, sentence, lambda c: []) == asked
    assert compounds_missing(asked, sentence, lambda c: [], spellings=True) == []
    apart = "国民年金の保険料を納める。"
    assert compounds_missing(["国民年金保険料"], apart, lambda c: [], spellings=True) == [
        "国民年金保険料"
    ]
    # A word of one character once normalized (とき: 時) is not held by 指導時.
    assert compounds_missing(["とき"], "巡回指導時に確認する。", lambda c: [], spellings=True) == [
        "とき"
    ]


def test_the_unit_of_a_figure_the_question_states_stays_asked():
    # 500トン is given by the question, not asked: トン is a word the passage must hold.
    assert "トン" in asked_compounds("500トンの貨物は何に使われた？")
