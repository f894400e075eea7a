"""answer/start_date.py: a date bound to a start, and a date that is only the baseline of a
comparison (…年度から20％増, …年度より減少, …年度比, …年度と比べて), which starts nothing."""

from __future__ import annotations

import unicodedata

import pytest

from answer.ranker import FEATURES, Candidate, QuestionText, features
from answer.start_date import states_start
from ingest.model import Chunk


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    "sentence",
    [
        "問い合わせの件数は３万件（令和元年度から１５％増）。",
        "未加入の割合は４．２％となり令和２年度より減少。",
        "訪問件数は令和元年度から2.5ポイント上昇した。",
        "令和元年度比で電子申請の導入事業所は倍増した。",
        "令和２年度と比べて導入事業所が増えた。",
        "平成３０年度に比べて開始件数は１割多い。",
    ],
)
def test_the_baseline_of_a_comparison_is_no_start(sentence):
    assert not states_start(_nfkc(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "電話予約は令和２年１０月から全国で実施。",
        "令和５年度より開発に着手した。",
        "平成３０年度に予約制を導入した。",
        "令和３年度から２０件の研修を開始。",
        "件数は令和元年度から１５％増えたが、令和４年度からは新たな方式で実施。",
    ],
)
def test_a_date_bound_to_a_start_still_is_one(sentence):
    assert states_start(_nfkc(sentence))


def _candidate(shown: str) -> Candidate:
    chunk = Chunk.build(
        text=shown, source="results.txt", locator=shown[:8], page=9, kind="result", refs=()
    )
    return Candidate(
        quote=shown,
        shown=shown,
        chunk=chunk,
        rank=0,
        position=0,
        coverage=0.5,
        own_coverage=0.5,
        asked_figure=False,
        figure_bonus=0.0,
    )


def test_the_ranker_marks_no_start_for_a_since_when_question_on_a_baseline():
    asked = QuestionText.of("問い合わせ窓口はいつから始めたの？")
    baseline = _candidate("問い合わせの件数は３万件（令和元年度から１５％増）。")
    begun = _candidate("問い合わせ窓口は令和２年１０月から開設。")
    named = [dict(zip(FEATURES, features(c, asked), strict=True)) for c in (baseline, begun)]
    assert named[0]["start_date"] == 0.0 and named[1]["start_date"] == 1.0
