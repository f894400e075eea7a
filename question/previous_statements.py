"""The statements of the last answer, with their labels, that a follow-up asks about.

A follow-up that names no topic of its own (前の年は？ / 増えたの？) asks about what was
just said: the passages that answer quoted are where its answer most likely is. Chat
clients send the answer back as plain text, its labels in 【】 or, reworded, in parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from question.continuation import continues, pointed_exchange
from question.conversation import answered_turns, declined
from question.page_refs import page_references, strip_page_references

# planqa's answers end each statement with its labels: 「…77.6％。【資料1-3 P6・資料1-4 P4】」.
# Chat clients (Open WebUI, LangChain) send the history back as that plain text; a client
# that rewrites the answer (an LLM paraphrasing it) often puts the labels in parentheses,
# 「…99万人でした（資料1-3 P1、資料1-4 P1）。」, which are labels only when nothing but plan
# page labels stands inside them (not （令和6年4月時点）).
_STATEMENT = re.compile(r"([^\n【】]+?)【([^【】\n]+)】")
_PARENTHESES = re.compile(r"[（(]([^（）()\n]+)[)）]")
_SEPARATORS = re.compile(r"[\s、,，・;；]*")


def _bracketed_labels(content: str) -> str:
    """``content`` with each parenthesis that holds only page labels written as 【labels】."""

    def labels(match: re.Match[str]) -> str:
        inside = match.group(1)
        found = [ref.label for ref in page_references(inside)]
        if not found or not _SEPARATORS.fullmatch(strip_page_references(inside)):
            return match.group(0)
        return "【" + "・".join(dict.fromkeys(found)) + "】"

    return _PARENTHESES.sub(labels, content)


def previous_statements(
    question: str, history: Sequence[object]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The statements of the last answer in ``history`` with their labels, when ``question``
    takes its topic from the conversation; () otherwise. An answer sent back without any
    label gives its sentences, each with no label.

    A follow-up that names no topic of its own (前の年は？ / 増えたの？) asks about what was
    just said: the passages that answer quoted are where its answer most likely is."""
    if not continues(question, history):
        return ()
    pointed = pointed_exchange(question, history)
    if pointed is not None:
        # 最初の…: what the answer to that exchange said, not the last answer.
        turns = answered_turns(history)
        history = turns[: pointed + 2]
    for turn in reversed(history):
        if getattr(turn, "role", None) != "assistant":
            continue
        if declined(str(getattr(turn, "content", ""))):
            return ()  # its passages are the nearest ones listed, not what was said
        content = _bracketed_labels(str(getattr(turn, "content", "")))
        if "【" not in content:
            # A client that rewords the answer may drop its labels: its sentences are
            # still what was just said, found again by the figures they state.
            return tuple(
                (sentence.strip(), ())
                for sentence in _SENTENCE_END.split(content)
                if sentence.strip()
            )
        found = (
            (match.group(1).strip().lstrip("。．.、,"), match.group(2))
            for match in _STATEMENT.finditer(content)
        )
        return tuple(
            (statement, tuple(label.strip() for label in labels.split("・")))
            for statement, labels in found
            if statement.strip()
        )
    return ()


_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
