"""A when-question after an answer (それはいつまでに？, いつから始まった？): the date of that measure.

A follow-up that asks only when, naming nothing of its own, asks about the measure just
given: its answer is the period or date that measure's passage states (令和６年６月開始予定,
令和８年度までに), a start bound to a date first when it asks いつから (answer/start_date.py).
Another measure's date, found by a search for the dates near the carried topic, does not
answer it. When the passage states no date, the answer says so plainly (計画文書にはその時期の
記載がありません) after the measure itself, rather than quoting another measure's date or
repeating the last answer as if it answered; asked by when (いつまでに) of a passage that
states only a start, it says that the end is not stated (計画文書にはその期限の記載がありません).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from answer.extractive import Picked
from answer.retrieve import quoted_before
from answer.sentences import display, is_heading, is_statement, sentences_of
from answer.start_date import asks_end, asks_start, asks_when, is_dated, states_end, states_start
from ingest.model import Chunk
from question import QuestionAnalysis
from question.followup import without_connective
from question.normal import nfkc
from question.topic_words import topic_words

NO_DATE = "計画文書にはその時期の記載がありません。"
NO_END = "計画文書にはその期限の記載がありません。"


def asks_when_only(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks only when (いつまでに？, 何年度から？) about what was just said:
    it carries the topic and names none of its own."""
    question = nfkc(analysis.question)
    return (
        bool(analysis.carried_topic)
        and bool(analysis.previous_statements)
        and asks_when(question)
        and not topic_words(without_connective(question))
    )


def when_statements(analysis: QuestionAnalysis, chunks: Sequence[Chunk]) -> list[Picked]:
    """The statements of a date in the passage of the measure the last answer quoted first
    (``chunks[0]``: a measure's passage holds that measure alone), the statement it gave
    first, then a start bound to a date for いつから (an end for いつまで); else the measure's first statement with the remark that no date is
    stated. [] when no passage was found again."""
    if not chunks:
        return []
    chunks = chunks[:1]
    question = nfkc(analysis.question)
    start, end = asks_start(question), asks_end(question)
    dated: list[tuple[tuple[bool, bool], Picked]] = []
    for chunk in chunks:
        for sentence in sentences_of(chunk):
            text = nfkc(sentence)
            if is_heading(sentence) or not is_statement(sentence) or not is_dated(text):
                continue
            shown = " ".join(display(sentence).split())
            bound = (start and states_start(text)) or (end and states_end(text))
            # The statement the last answer gave is the one asked about: its own date first,
            # then a start (or end) bound to a date.
            order = (not quoted_before(analysis, shown), not bound)
            dated.append((order, Picked(sentence, shown, chunk, 0.0)))
    if dated:
        ordered = [picked for _, picked in sorted(dated, key=lambda item: item[0])]
        if end and not any(states_end(nfkc(p.quote)) for p in ordered):
            # The dates stated are not an end (令和6年10月…以後): said, with that the end is not.
            ordered[0] = replace(ordered[0], remark=NO_END)
        return ordered
    first = chunks[0]
    sentence = next((s for s in sentences_of(first) if is_statement(s)), None)
    if sentence is None:
        return []
    shown = " ".join(display(sentence).split())
    return [Picked(sentence, shown, first, 0.0, remark=NO_DATE)]
