"""Whose attribute a question asks for (question/owner.py): …AのB？ asks B of A.

The examples are written here from the grammar and the documents' topics (年金請求,
ねんきん定期便, 事業所調査); none comes from an evaluation set.
"""

from __future__ import annotations

import random
import re

import pytest

from answer.ranker import QuestionText
from question.owner import _AND, _COMPOUND, asked_owner


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


def _written(text: str, attribute: str) -> list[tuple[int, int, str]]:
    """The matches of the pattern with the attribute written into it (as it was)."""
    pattern = rf"({_COMPOUND})の(?:{_COMPOUND}{_AND})*{re.escape(attribute)}"
    return [(m.start(), m.end(), m.group(1)) for m in re.finditer(pattern, text)]


def test_the_owners_are_those_of_the_pattern_with_the_attribute_written_in():
    from question.owner import _owned

    # Random texts of compounds, の and the coordination words (often), other characters
    # and NULs, each with one of a few attributes (each written pattern compiled once).
    words = "年金 請求 事業所 調査 電子版 定期便 ID ビズ ねんきん は ？ 5".split()
    joints = ["の", "の", "の", "と", "・", "及び", "並びに", "や", " ", "\x00"]
    attributes = ["件数", "請求", "定期便", "調査件数", "電子版", "ビズID", "年金請求", "・件数"]
    draw = random.Random(7)
    for _ in range(5000):
        attribute = draw.choice(attributes)
        pieces = [*words, *joints, *joints, attribute, attribute, attribute]
        text = "".join(draw.choices(pieces, k=draw.randint(1, 20)))
        found = [(m.start(), m.end(), m.group(1)) for m in _owned(text, attribute)]
        assert found == _written(text, attribute), (text, attribute)


def test_an_attribute_not_asked_before_compiles_no_pattern(monkeypatch):
    # Compiling a pattern per attribute cost 1.8 ms for each question with a new one.
    compiled = []
    original = re._compiler.compile
    monkeypatch.setattr(re._compiler, "compile", lambda *a: compiled.append(a[0]) or original(*a))
    assert asked_owner("年金請求と事業所調査の照会対応日数は？", "照会対応日数") == "事業所調査"
    assert compiled == []
