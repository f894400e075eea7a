"""The base a change is counted from (…平成30年度末の受講率から＋4.2ポイントの61.0％)
names neither the year nor the measure the sentence states its figure for
(answer/change_base.py), so the ranker leads with the asked measure's own statement. Real
index of the two plans, real Sudachi, real encoder."""

from __future__ import annotations

import unicodedata

import pytest
from support.asking import ask

from answer.change_base import without_change_bases


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("sentence", "left"),
    [
        ("受講率については令和３年度末の受講率から＋4.2ポイントの61.0％。", "受講率については"),
        ("相談件数は令和元年度から20％増。", "相談件数は"),
        ("利用率は平成29年度の利用率から▲1.5ポイントの30.2％。", "利用率は"),
    ],
)
def test_a_change_base_is_blanked_with_its_measure(sentence, left):
    blanked = without_change_bases(_nfkc(sentence))
    assert len(blanked) == len(_nfkc(sentence))
    assert blanked.startswith(left)
    assert "令和" not in blanked
    assert blanked.count("率") == left.count("率")


@pytest.mark.parametrize(
    "sentence",
    [
        "令和2年度から令和4年度までに延べ3.1万件を処理。",  # a span, not a change's base
        "令和４年度から実施している点検を継続。",  # a start
        "令和５年度の納付率は77.6％。",
    ],
)
def test_a_year_that_is_no_change_base_stays(sentence):
    assert without_change_bases(_nfkc(sentence)) == _nfkc(sentence)


@pytest.mark.parametrize(
    "question",
    [
        "国民年金の最終納付率の2023年度の実績は？",
        "最終納付率の2023年度の実績を教えて",
        "令和5年度の最終納付率はどのくらいだった？",
    ],
)
def test_the_asked_rate_leads_over_a_rate_stated_without_a_base(service, question):
    body = ask(service, question)
    assert body.answered
    first = body.answer.splitlines()[0]
    assert "83.1" in first
    assert "77.6" not in first
