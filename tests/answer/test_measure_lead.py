"""A question asking what is done (何をしている, どうやって) is led by a statement of a
measure, not by a target (answer/measure_lead.py). Real index of the two plans, real
Sudachi, real encoder."""

from __future__ import annotations

import unicodedata

import pytest
from support.asking import ask

from answer.measure_lead import asks_measure, states_measure, states_target


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("研修の受講を増やすために何をしているの？", True),
        ("相談の待ち時間を短くするためにどんな取組をしている？", True),
        ("誤りを防ぐため何に取り組んでいますか？", True),
        ("研修の受講率は何％？", False),
        ("研修の受講率の目標は？", False),
    ],
)
def test_asking_what_is_done_is_read(question, asks):
    assert asks_measure(_nfkc(question)) is asks


@pytest.mark.parametrize(
    ("sentence", "target", "measure"),
    [
        ("令和6年度は受講率を95％に高めることを目指す。", True, False),
        ("待ち時間を20分短縮することを目標とする。", True, False),
        ("全拠点で研修を実施。", False, True),
        ("予約制の拡大に取り組む。", False, True),
        ("点検体制の強化を図る。", False, True),
        ("研修を実施した結果、受講率が向上した。", False, True),  # what was done, then its result
        ("職場を目指すため、拠点で点検を実施。", False, True),  # a purpose, then the measure
        ("受講率は85％となった。", False, False),
    ],
)
def test_a_target_and_a_measure_are_read_from_the_predicate(sentence, target, measure):
    text = _nfkc(sentence)
    assert states_target(text) is target
    assert states_measure(text) is measure


@pytest.mark.parametrize(
    "question",
    [
        "時間外勤務を減らすために何をしているの？",
        "時間外勤務を減らすためにどうやっているの？",
    ],
)
def test_a_question_asking_what_is_done_is_led_by_a_measure(service, question):
    body = ask(service, question)
    assert body.answered
    first = _nfkc(body.answer.splitlines()[0].split("【")[0])
    assert "時間外勤務" in first
    assert states_measure(first)
    assert not states_target(first)
