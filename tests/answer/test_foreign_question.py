"""A question in another language (question/language.py, answer/responses.py): asked to be
put in Japanese, in both languages, never declined by naming each foreign word as absent."""

from __future__ import annotations

import pytest
from support.asking import ask

from question import analyse


def test_an_english_question_is_asked_in_japanese_with_the_nearest_passages(service):
    response = ask(service, "How many pension offices will hold evening consultations?", top_k=5)
    assert not response.answered
    first, english = response.answer.split("\n")[:2]
    assert "日本語で質問してください" in first
    assert "ask your question in Japanese" in english
    assert "の記載はありません" not in response.answer
    assert "How" not in response.answer and "offices" not in response.answer
    assert response.contexts and "【" in response.answer  # the nearest passages, labelled


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        ("Which targets does the plan set for online filing?", True),
        ("What about DX?", True),
        ("DXの取組は？", False),
        ("KPI", False),
        ("ねんきんネット", False),
        ("ＡＢＣ ＤＥＦ？", True),  # full-width Latin, read in NFKC
    ],
)
def test_only_a_question_with_no_japanese_and_latin_words_is_another_language(question, foreign):
    assert analyse(question).in_another_language is foreign
