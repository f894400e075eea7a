"""bench/fit_admission.py: the recording admission stands where a fitted one does in
selection, records every further statement as a row of the admission's features, and
admits exactly those stating a gold fact the statements before them do not; writing the
fitted admission keeps the fields fitted after it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from fit_admission import Recorder, write_admission  # noqa: E402
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


def test_writing_the_admission_keeps_the_fields_fitted_after_it(tmp_path: Path):
    """What a statement citing new pages must add and how sure a lead shown alone must be
    are fitted given the admission (bench/fit_new_pages.py, fit_sure_lead.py): a refit of
    the admission replaces its own fields and leaves theirs; the earlier format's
    ``new_pages_margin`` goes with the margin it repeated."""
    path = tmp_path / "admission.json"
    later = {
        "new_pages_gain": 0.05,
        "new_pages_provenance": "fit_new_pages",
        "sure_lead": 0.8,
        "sure_lead_provenance": "fit_sure_lead",
    }
    earlier = {"margin": 4.0, "new_pages_margin": 4.0, "provenance": "old fit"}
    path.write_text(json.dumps(earlier | later), encoding="utf-8")
    fitted = {"weights": {}, "bias": 0.0, "threshold": 0.0, "margin": 3.0, "provenance": "new"}
    write_admission(fitted, path)
    assert json.loads(path.read_text(encoding="utf-8")) == fitted | later
