"""A demonstrative whose referent is nowhere (question/referent.py), read with real Sudachi."""

from __future__ import annotations

import pytest

from question import analyse
from question.referent import demonstrative_without_referent, page_without_document

HISTORY = [
    {"role": "user", "content": "ねんきんネットを使ってもらうための施策は？"},
    {"role": "assistant", "content": "ねんきんネットの機能を充実させる。【中期P62】"},
]


class Turn:
    def __init__(self, role: str, content: str) -> None:
        self.role, self.content = role, content


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("それの目標は？", "それ"),
        ("その件数は？", "その"),
        ("あれは？", "あれ"),
        ("ここの実績は？", "ここ"),
    ],
)
def test_a_demonstrative_with_no_conversation_and_no_topic_points_at_nothing(question, word):
    assert demonstrative_without_referent(question, []) == word
    assert analyse(question).unresolved_reference == word


@pytest.mark.parametrize(
    "question",
    [
        "ねんきんネットのその目標は？",  # a topic of its own
        "中期P46のそれは？",  # a plan page of its own
        "これまでの実績は？",  # これまで: an adverbial of time
        "それから目標は？",  # それから: a connective
        "その後どうなった？",  # その後: a noun that works as an adverb
        "この計画の目標は？",  # この計画: the documents themselves
        "目標は？",  # no demonstrative
    ],
)
def test_a_demonstrative_with_a_referent_or_no_demonstrative_is_read_as_before(question):
    assert demonstrative_without_referent(question, []) == ""


def test_with_a_conversation_the_demonstrative_leans_on_it():
    history = [Turn(t["role"], t["content"]) for t in HISTORY]
    assert demonstrative_without_referent("それの目標は？", history) == ""
    analysis = analyse("それの目標は？", history)
    assert analysis.unresolved_reference == "" and analysis.carried_topic


@pytest.mark.parametrize("question", ["46ページの内容を教えて", "p.46には何が書いてある？", "46頁"])
def test_a_page_named_with_no_document_and_nothing_else_asks_which_document(question):
    assert page_without_document(question, []) == (46,)


@pytest.mark.parametrize(
    "question",
    [
        "中期計画の46ページの内容を教えて",  # a document named: its page
        "46ページの応答率の目標は？",  # a topic of its own: searched by it
        "1,046ページ",  # a number with a thousands separator is no page 46
    ],
)
def test_a_page_of_a_named_document_or_with_a_topic_is_no_question_back(question):
    assert page_without_document(question, []) == ()


def test_a_page_named_after_a_conversation_is_read_with_it():
    history = [{"role": "user", "content": "中期計画のコールセンターの目標は？"}]
    assert page_without_document("46ページは？", history) == ()
