"""Admission of further statements (answer/admission.py): a sentence the hand-set score
admits stays only when the ranker scores it within the fitted margin of the first
statement, a tighter or looser margin when it would cite new pages; the margins are data
with how they were fitted."""

from __future__ import annotations

import json
from pathlib import Path

from answer.admission import DEFAULT_ADMISSION, Admission
from answer.extractive import select
from ingest.model import Chunk
from planqa.settings import AnswerSettings


def _chunk(text: str, page: int) -> Chunk:
    return Chunk.build(
        text=text,
        source="results.txt",
        locator=f"s{page}",
        page=page,
        kind="result",
        refs=(f"資料1-3 P{page}",),
    )


class _Scores:
    """Stands in for a fitted ranker: a fixed score per sentence, by a word it holds."""

    def __init__(self, by_word: dict[str, float]) -> None:
        self.by_word = by_word

    def scores(self, candidates, question: str) -> list[float]:
        return [next((v for k, v in self.by_word.items() if k in c.shown), 0.0) for c in candidates]


class _Even:
    """Every sentence covers the question alike, so the hand-set score admits them all."""

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        return 0.5

    def of_sentence_alone(self, sentence: str) -> float:
        return 0.5

    def together(self, sentences) -> float:
        return 0.1 * len(sentences)


_SAME = _chunk(
    "電話の応答率は72.4％となった。前年度より2.1ポイント上昇した。研修を年4回実施した。", 9
)
_OTHER = _chunk("相談窓口の応答率は目標値を上回った。", 12)
_RANKED = {"72.4": 5.0, "上昇": 3.5, "研修": -1.0, "目標値": 3.0}


def _shown(admission: Admission | None) -> list[str]:
    picked = select(
        [_SAME, _OTHER],
        _Even(),
        figure=None,
        limit=4,
        ranker=_Scores(_RANKED),
        question="電話の応答率は？",
        admission=admission,
    )
    return [p.shown for p in picked]


def test_without_a_fitted_admission_the_hand_set_score_admits_alone():
    assert len(_shown(None)) == 4


def test_a_sentence_the_ranker_scores_far_below_the_lead_is_dropped():
    shown = _shown(Admission(margin=2.0, new_pages_margin=2.0))
    assert shown[0] == "電話の応答率は72.4％となった。"
    assert "前年度より2.1ポイント上昇した。" in shown  # 1.5 below the lead
    assert "研修を年4回実施した。" not in shown  # 6 below
    assert "相談窓口の応答率は目標値を上回った。" in shown  # 2 below


def test_a_sentence_citing_new_pages_must_come_within_its_own_margin():
    shown = _shown(Admission(margin=2.0, new_pages_margin=1.0))
    assert "前年度より2.1ポイント上昇した。" in shown
    assert "相談窓口の応答率は目標値を上回った。" not in shown


def test_without_a_file_there_is_no_fitted_admission(tmp_path: Path):
    assert Admission.load(tmp_path / "none.json") is None
    assert Admission.load(None) is None


def test_the_shipped_margins_say_how_they_were_fitted():
    saved = json.loads(DEFAULT_ADMISSION.read_text(encoding="utf-8"))
    assert "bench/fit_admission.py" in saved["provenance"] and "CV" in saved["provenance"]
    admission = Admission.load(DEFAULT_ADMISSION)
    assert admission is not None and admission.margin >= 0 and admission.new_pages_margin >= 0
    assert AnswerSettings().admission_model == DEFAULT_ADMISSION
