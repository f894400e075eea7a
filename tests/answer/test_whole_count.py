"""How many of a thing there are (…は何か所, …の数はいくつ) is answered by a figure counting
all of it (answer/whole_count.py), not by the figure of a part; a question naming the part
is answered by the part's. Real index of the two plans, real Sudachi."""

from __future__ import annotations

import pytest
from support.asking import ask

from answer import AnswerService
from answer.whole_count import counted_asked, states_whole_count
from question.counters import counter_units
from question.normal import nfkc


def _lead(service: AnswerService, question: str) -> str:
    body = ask(service, question)
    assert body.answered
    return body.answer.splitlines()[0]


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("年金事務所の数はいくつ？", "年金事務所"),
        ("年金事務所は全国に何か所ある？", "年金事務所"),
        ("事務センターは何か所？", "事務センター"),
        ("相談窓口が何か所ありますか？", "相談窓口"),
    ],
)
def test_the_noun_marked_before_the_question_word_is_counted(question, noun):
    assert counted_asked(nfkc(question)) == noun


@pytest.mark.parametrize(
    "question",
    [
        "利用の多い相談窓口は何か所？",  # a part named: the part's figure answers
        "本部の職員は何人？",
        "目標はいくつ？",  # a level, not a count
        "応答率は何％？",
    ],
)
def test_a_part_a_value_or_a_measure_asked_counts_no_whole(question):
    assert counted_asked(nfkc(question)) is None


_PLACES = counter_units("か所")


@pytest.mark.parametrize(
    ("sentence", "noun", "whole"),
    [
        ("全拠点（30事務所、5センター）に対し検査を実施。", "事務所", True),
        ("全国の相談窓口（120か所）で受付。", "相談窓口", True),
        ("利用の多い相談窓口（20か所）を拡充。", "相談窓口", False),
        ("事務所のうち20か所で試行。", "事務所", False),
        ("全拠点配置（12拠点は複数名配置）。", "拠点", False),
    ],
)
def test_only_a_figure_said_to_count_all_counts_the_whole(sentence, noun, whole):
    assert states_whole_count(nfkc(sentence), noun, _PLACES) is whole


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("年金事務所の数はいくつ？", "312年金事務所"),
        ("年金事務所は全国に何か所ある？", "312年金事務所"),
        ("年金事務所は全部でいくつある？", "312年金事務所"),
    ],
)
def test_a_count_of_all_leads_and_the_part_s_figure_does_not_follow(service, question, count):
    body = ask(service, question)
    assert count in body.answer.splitlines()[0]
    assert "20か所" not in body.answer


def test_a_part_asked_is_answered_by_the_part_s_figure(service):
    assert "20か所" in _lead(service, "納付率の低い大都市圏の年金事務所は何か所？")
