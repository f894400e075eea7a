"""何人以上 asks a threshold (answer/threshold.py): the lead states a figure in the asked
counter with a word of bound (30人以上, 20人超), from a sentence naming the question's
subject; a count of the same counter that bounds nothing (2.5万人が加入) does not lead.
Real Sudachi."""

from __future__ import annotations

import pytest

from answer.extractive import Picked
from answer.threshold import asked_bound, threshold_lead
from ingest.model import Chunk
from question.normal import nfkc


def _picked(text: str) -> Picked:
    chunk = Chunk.build(
        text=text, source="results.txt", locator=text[:8], page=1, kind="result", refs=()
    )
    return Picked(text, text, chunk, 0.0, ranked=1.5)


@pytest.mark.parametrize(
    "question",
    ["対象は被保険者何人以上の事業所？", "何人超の企業が対象？", "何件未満の事業所？"],
)
def test_a_figure_question_word_with_a_bound_asks_a_threshold(question):
    assert asked_bound(nfkc(question)) is not None


@pytest.mark.parametrize("question", ["職員は何人？", "研修には何人が参加した？"])
def test_a_count_asked_is_no_threshold(question):
    assert asked_bound(nfkc(question)) is None


def test_the_sentence_stating_the_bound_leads_with_the_first_statement_score():
    question = nfkc("勧奨の対象は被保険者何人以上の事業所？")
    count = _picked("勧奨の結果、2.5万人が新たに加入した。")
    bound = _picked("令和元年度からは被保険者30人以上の事業所を勧奨の対象とした。")
    led = threshold_lead(question, [count, bound], [])
    assert led[0].shown == bound.shown and led[0].ranked == 1.5
    assert [p.shown for p in led[1:]] == [count.shown]


def test_a_bound_of_another_subject_does_not_lead():
    question = nfkc("勧奨の対象は被保険者何人以上の事業所？")
    count = _picked("勧奨の結果、2.5万人が新たに加入した。")
    other = _picked("大規模な法人の調査は従業員1万人以上の法人に限る。")
    assert threshold_lead(question, [count, other], []) == [count, other]


def test_a_lead_stating_the_bound_is_kept():
    question = nfkc("対象は被保険者何人以上の事業所？")
    lead = _picked("被保険者30人以上の事業所を対象とした。")
    later = _picked("被保険者101人以上の事業所から開始した。")
    assert threshold_lead(question, [lead, later], []) == [lead, later]
