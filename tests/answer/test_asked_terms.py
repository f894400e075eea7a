"""answer/asked_terms.py over real Sudachi and the real index of the bundled plans."""

from __future__ import annotations

import pytest

from answer.asked_terms import absent_share, asked_compounds, compounds_missing
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


def test_a_compound_the_best_sentence_lacks_is_named_and_an_equivalent_counts():
    sentence = "年金事務所において相談を実施する。"
    assert compounds_missing(["年金事務所", "建物"], sentence, lambda c: []) == ["建物"]
    assert compounds_missing(["窓口"], sentence, lambda c: ["相談"]) == []


def test_words_no_passage_holds_are_absent_and_plan_words_are_not(lexical: LexicalSearcher):
    assert absent_share("パーキングは？", lexical, 0.6) == 1.0
    assert absent_share("電子申請割合の目標は？", lexical, 0.6) == 0.0
