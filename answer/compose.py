"""Compose and cite: the extractive response from the picked sentences.

Each statement is quoted verbatim with the labels of the passage it came from (an upload's
own page, then the plan pages it cites: ``Chunk.answer_labels``), one line per
statement (``compose``, pure over the picked sentences); a question asking to compare the
plan with what was achieved gets the other side from the trace (answer/trace_sides.py) when
retrieval brought one side only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from answer.asked_terms import asked_compounds
from answer.extractive import Picked
from answer.responses import citations_for
from answer.retrieve import Retrieval
from answer.row_statements import shown_with_headers
from answer.schemas import AskResponse, Context
from answer.table_titles import titles_in
from answer.topic_heading import name_topic
from answer.trace_sides import complete_sides
from answer.year_columns import fiscal_years_of
from ingest.model import Chunk


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
    # A table row says which year each figure is (answer/table_row.py): its own name, so
    # no heading is put before it; another table's row is no further statement
    # (answer/row_statements.py).
    asked = retrieval.analysis.normalized_without_pages
    titles = titles_in(h.chunk for h in retrieval.hits)
    # A figure asked as it stands now is asked of the latest year (question/latest.py).
    years = fiscal_years_of(asked) or fiscal_years_of(retrieval.analysis.latest_year)
    picked = shown_with_headers(picked, years, snapshot, asked_compounds(asked), titles)
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
        citations=citations_for(picked, snapshot.page_documents),
        contexts=contexts,
        mode="extractive",
        question_used=retrieval.analysis.search_text,
        notes=notes,
    )


def label_tag(labels: Sequence[str]) -> str:
    return "【" + "・".join(labels) + "】"


def compose(picked: Sequence[Picked]) -> str:
    """One line per statement, each followed by the labels of the chunk it came from; a
    statement that continues the line of its passage (the two read as one run of the
    passage's text) joins that line, so the line an agent reads out says what the passage
    says in one quote, cited once. A statement that reads the same as a line already shown
    (two passages cut to the same words) is not repeated: its labels join that line's, so
    the reader sees the words once and both pages that say them.

    A question in several parts (それぞれ何人, …と…は) is answered by its parts' leads
    together: the statement leading a later part joins the first line when it cites the
    same pages, so the line an agent reads out answers the whole question under one
    citation instead of its first part only (a lead citing other pages keeps its own line:
    a line's labels are the pages of everything it says)."""
    lines: list[tuple[str, Chunk | None]] = []
    extra: dict[int, list[str]] = {}  # a line's labels from the passages that repeat it
    parts_led = {picked[0].part} if picked else set()
    for item in picked:
        text = item.shown
        if not text.endswith(("。", "）", "」", ")", "…")):  # … marks a cut (answer/clause.py)
            text += "。"
        leads_part = item.part not in parts_led
        parts_led.add(item.part)
        same = _same_line(lines, text)
        if same is not None:
            extra.setdefault(same, []).extend(item.chunk.answer_labels)
        elif leads_part and _cites_as_first(lines, item.chunk):
            lines[0] = (lines[0][0] + text, lines[0][1])
        else:
            joined = _continuing(lines, text, item.chunk)
            if joined is None:
                lines.append((text, item.chunk))
            else:
                lines[joined] = (lines[joined][0] + text, item.chunk)
        if item.remark:
            lines.append((item.remark, None))  # the service's note: no page says it
    return "\n".join(
        f"{text}{label_tag(_merged(chunk.answer_labels, extra.get(index, [])))}"
        if chunk is not None
        else text
        for index, (text, chunk) in enumerate(lines)
    )


def _cites_as_first(lines: Sequence[tuple[str, Chunk | None]], chunk: Chunk) -> bool:
    """Whether the first line quotes a passage cited by the same labels as ``chunk``."""
    first = lines[0][1] if lines else None
    return first is not None and list(first.answer_labels) == list(chunk.answer_labels)


def _same_line(lines: Sequence[tuple[str, Chunk | None]], text: str) -> int | None:
    """The quoted line that reads as ``text`` (width and spacing aside), if any."""
    key = _reading(text)
    for index, (line, owner) in enumerate(lines):
        if owner is not None and _reading(line) == key:
            return index
    return None


def _reading(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _merged(labels: Sequence[str], more: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*labels, *more]))


def _continuing(lines: Sequence[tuple[str, Chunk | None]], text: str, chunk: Chunk) -> int | None:
    """The line of ``chunk`` that ``text`` continues verbatim, if any."""
    for index, (line, owner) in enumerate(lines):
        if owner is not None and owner.id == chunk.id and _runs_on(line + text, chunk.text):
            return index
    return None


def _runs_on(text: str, passage: str) -> bool:
    """Whether ``text`` is a verbatim run of ``passage``, line breaks aside."""
    return "".join(text.split()) in "".join(passage.split())
