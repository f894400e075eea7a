"""bench/fit_admission.py: the recording admission stands where a fitted one does in
selection, records every further statement as a row of the admission's features, and
admits exactly those stating a gold fact the statements before them do not."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from fit_admission import Recorder  # noqa: E402

from answer.extractive import select  # noqa: E402
from answer.further import FEATURES  # noqa: E402
from ingest.model import Chunk  # noqa: E402


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


def test_the_recorder_admits_the_statements_adding_a_fact_and_records_each():
    chunk = Chunk.build(
        text="窓口の待ち時間は平均12分となった。予約の件数は3,456件であった。研修を年4回実施した。",
        source="results.txt",
        locator="s9",
        page=9,
        kind="result",
        refs=("資料1-3 P9",),
    )
    recorder = Recorder()
    recorder.facts, recorder.group = ("3,456件",), "own dev:x"
    picked = select(
        [chunk],
        _Even(),
        figure=None,
        limit=4,
        ranker=_Scores({"12分": 5.0, "3,456": 3.0, "研修": 1.0}),
        question="窓口の待ち時間と予約の件数は？",
        admission=recorder,
    )
    assert [p.shown for p in picked] == [
        "窓口の待ち時間は平均12分となった。",
        "予約の件数は3,456件であった。",
    ]
    assert [label for _, _, label in recorder.rows] == [1, 0]
    assert all(len(values) == len(FEATURES) for _, values, _ in recorder.rows)
