"""Whether a candidate's passage is of the side the question asks about (question/side.py).

Two ranker features (answer/ranker.py): a question asking what happened (増えましたか)
should lead with the results report, one asking what will be done with the plan; the
ranker's ``result_kind`` weight alone pulls every question towards the plan. Their one
weight (asked = -other) is fitted with the other weights held (bench/side_features.py,
bench/results/side-features.md). The passage's side is its kind: the results report's figures and achievements are results; the plan's measures,
headings and concept pages, and the earlier plans the report restates (fy_plan,
plan_summary), are plans; the overview's review of the 3rd period (review) reports what
happened.
"""

from __future__ import annotations

from ingest.model import Chunk
from question.side import Side

RESULT_KINDS = frozenset({"result", "fy_result", "table", "review"})
PLAN_KINDS = frozenset({"measure", "sub_measure", "heading", "concept", "fy_plan", "plan_summary"})
SIDE_FEATURES = ("asked_side", "other_side")


def passage_side(chunk: Chunk) -> Side | None:
    if chunk.kind in RESULT_KINDS:
        return "results"
    if chunk.kind in PLAN_KINDS:
        return "plan"
    return None


def side_features(chunk: Chunk, asked: Side | None) -> list[float]:
    """(the passage is of the asked side, of the other side); both 0 when the question
    asks for both sides or neither, or the passage has no side."""
    side = passage_side(chunk)
    if asked not in ("plan", "results") or side is None:
        return [0.0, 0.0]
    return [float(side == asked), float(side != asked)]
