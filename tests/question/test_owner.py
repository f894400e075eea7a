"""Whose attribute a question asks for (question/owner.py): …AのB？ asks B of A.

The examples are written here from the grammar and the documents' topics (年金請求,
ねんきん定期便, 事業所調査); none comes from an evaluation set.
"""

from __future__ import annotations

import pytest

from answer.ranker import QuestionText
from question.owner import asked_owner


@pytest.mark.parametrize(
    ("question", "owner", "attribute"),
    [
        ("年金請求の所要日数は何日でしたか？", "年金請求", "所要日数"),
        ("ねんきん定期便の電子版の送付件数は？", "電子版", "送付件数"),
        ("研修と事業所調査の実施件数を教えて", "事業所調査", "実施件数"),
    ],
)
def test_the_compound_before_no_owns_the_asked_attribute(question, owner, attribute):
    asked = QuestionText.of(question)
    assert (asked.owner, asked.attribute) == (owner, attribute)


@pytest.mark.parametrize(
    "question",
    [
        "令和5年度の送付件数は？",  # a year says when, not whose
        "今年度の送付件数は？",
        "上期の送付件数は？",
        "送付件数は何件ですか？",  # no の before the attribute
        "被保険者何人以上の事業所が対象ですか",  # the asked figure itself
    ],
)
def test_a_time_or_an_asked_figure_before_no_is_no_owner(question):
    assert QuestionText.of(question).owner is None


def test_no_attribute_no_owner():
    assert asked_owner("年金請求の", None) is None


@pytest.mark.parametrize(
    ("question", "owners", "attribute"),
    [
        # AのBとC: の qualifies the coordinated phrase, so C is A's too.
        ("事業所調査の実施件数と対象件数は？", ("事業所調査",), "対象件数"),
        # AとBのC: C of each of A and B.
        ("年金請求と事業所調査の実施件数は？", ("年金請求", "事業所調査"), "実施件数"),
    ],
)
def test_the_owner_named_without_no_before_the_attribute(question, owners, attribute):
    asked = QuestionText.of(question)
    assert (asked.owners, asked.attribute) == (owners, attribute)
