"""bench/fit_admission.py: the recording admission stands where a fitted one does in
selection, records every further statement as a row of the admission's features, and
admits exactly those stating a gold fact the statements before them do not."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from fit_admission import Recorder  # noqa: E402
from support.selection import FakeEvenCoverage, FakeRanker  # noqa: E402

from answer.extractive import select  # noqa: E402
from answer.further import FEATURES  # noqa: E402
from ingest.model import Chunk  # noqa: E402


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
        FakeEvenCoverage(),
        figure=None,
        limit=4,
        ranker=FakeRanker({"12分": 5.0, "3,456": 3.0, "研修": 1.0}),
        question="窓口の待ち時間と予約の件数は？",
        admission=recorder,
    )
    assert [p.shown for p in picked] == [
        "窓口の待ち時間は平均12分となった。",
        "予約の件数は3,456件であった。",
    ]
    assert [label for _, _, label in recorder.rows] == [1, 0]
    assert all(len(values) == len(FEATURES) for _, values, _ in recorder.rows)
