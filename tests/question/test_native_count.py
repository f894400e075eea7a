"""いくつ asking how many of a thing there are (question/counters.NATIVE): the decline's
count reading. The thing counted is the noun marked before いくつ (or after いくつの); a
lead that counts another thing by its own name (40ブース for 会議室) does not give it."""

from __future__ import annotations

import pytest

from question.answer_type import provides
from question.counters import NATIVE, asks_native_count, counts_a_thing, natively_counted


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("研修センターは全国にいくつありますか？", "研修センター"),
        ("会議室を備えた庁舎はいくつある？", "庁舎"),  # not 会議室, a noun of the clause
        ("いくつの支部が参加した？", "支部"),
    ],
)
def test_iku_tsu_asks_how_many_of_the_noun_it_is_said_of(question, counted):
    assert asks_native_count(question)
    assert natively_counted(question) == counted


def test_iku_tsu_of_a_value_asks_no_count_of_things():
    # 目標はいくつ asks a level (70%), not how many targets exist.
    assert not asks_native_count("応答率の目標はいくつ？")


def test_a_figure_named_by_a_thing_counts_that_thing_not_one_by_a_counter():
    assert counts_a_thing("会議室を40ブース設けた。")
    assert not counts_a_thing("職員を20名配置した。")
    assert not counts_a_thing("令和5年10月に開始した。")


def test_a_count_of_another_thing_does_not_answer_how_many_of_the_asked_one():
    other = ["各庁舎に相談ブースを合計40ブース設けた。"]
    assert not provides("count", other, NATIVE, ["庁舎"])
    assert provides("count", ["全国に15庁舎を置く。"], NATIVE, ["庁舎"])
    assert provides("count", ["庁舎は全国に15か所。"], NATIVE, ["庁舎"])
    # The counted compound's head counts it too (相談ブース → 40ブース).
    assert provides("count", other, NATIVE, ["相談ブース"])
