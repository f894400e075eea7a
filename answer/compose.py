"""Compose and cite: the extractive response from the picked sentences.

Each statement is quoted verbatim with the labels of the passage it came from; a question
asking to compare the plan with what was achieved gets the other side from the trace
(answer/trace_sides.py) when retrieval brought one side only.
"""

from __future__ import annotations

from answer.extractive import Picked, compose
from answer.responses import citations_for
from answer.retrieve import Retrieval
from answer.schemas import AskResponse, Context
from answer.topic_heading import name_topic
from answer.trace_sides import complete_sides


def extractive_response(
    retrieval: Retrieval,
    picked: list[Picked],
    contexts: list[Context],
    notes: list[str],
    *,
    latest_result: bool,
    topic_share: float = 2.0,
) -> AskResponse:
    snapshot = retrieval.searcher.snapshot
    if picked and picked[0].alone:  # the statements after it were read by the decline
        picked = picked[:1]
    picked = name_topic(retrieval.analysis.normalized, picked, topic_share)
    picked = complete_sides(
        retrieval.analysis,
        picked,
        snapshot.trace,
        snapshot.by_id,
        latest_result=latest_result,
    )
    return AskResponse(
        answer=compose(picked),
        answered=True,
        citations=citations_for(picked),
        contexts=contexts,
        mode="extractive",
        question_used=retrieval.analysis.search_text,
        notes=notes,
    )
