"""The turns of a chat history a follow-up may lean on: declined exchanges left out.

A question the plans could not answer (an English one, one off their subject) named no
topic the conversation goes on with; its exchange is dropped before anything is carried
from the history. The last user turn, the answer after a turn and the last exchange are
read here, once for every part of the follow-up reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def user_turns(history: Sequence[object]) -> list[str]:
    """The texts of the user turns, declined exchanges left out (``answered_turns``)."""
    return [
        str(getattr(turn, "content", ""))
        for turn in answered_turns(history)
        if getattr(turn, "role", None) == "user" and str(getattr(turn, "content", "")).strip()
    ]


# planqa's decline says it found nothing that answers (…記載が見当たりませんでした), before
# the nearest passages it lists; so does a client's LLM that keeps the wording
# (answer/llm.py reads the same mark).
_DECLINE_MARK = "見当たりません"


def declined(answer: str) -> bool:
    """Whether ``answer`` (an assistant turn's text) is a decline: the question before it
    was not answered, so it named no topic the conversation goes on with, and the passages
    it lists are the nearest ones, not what was said."""
    first = next((line for line in answer.split("\n") if line.strip()), "")
    return _DECLINE_MARK in first


def answered_turns(history: Sequence[object]) -> list[object]:
    """``history`` without its declined exchanges (a user turn whose answer is a decline,
    and that answer): a question the plans could not answer (an English one, one off
    their subject) gives a follow-up no topic, no year and no passages."""
    turns = list(history)
    kept: list[object] = []
    for place, turn in enumerate(turns):
        role = getattr(turn, "role", None)
        if role == "assistant" and declined(str(getattr(turn, "content", ""))):
            continue
        if role == "user" and declined(answer_after(turns, place)):
            continue
        kept.append(turn)
    return kept


def answer_after(turns: Sequence[object], place: int) -> str:
    """The assistant turn right after the user turn at ``place`` ('' when none follows)."""
    following = turns[place + 1] if place + 1 < len(turns) else None
    if following is None or getattr(following, "role", None) != "assistant":
        return ""
    return str(getattr(following, "content", ""))


def last_exchange(history: Sequence[object]) -> list[str]:
    """The last user turn and the answers after it, a declined exchange left out
    (``answered_turns``)."""
    turns: list[str] = []
    for turn in reversed(answered_turns(history)):
        content = str(getattr(turn, "content", ""))
        turns.append(content)
        if getattr(turn, "role", None) == "user" and content.strip():
            break
    return turns


def previous_context(history: Sequence[object]) -> str:
    """The last user turn ('' when there is none)."""
    turns = user_turns(history)
    return turns[-1] if turns else ""


# The labels an answer's statement ends with (【資料1-3 P6】) or a client's rewording puts in
# parentheses: what a statement says is read without them.
ANSWER_LABELS = re.compile(r"【[^】]*】|[（(][^）)]*[）)]")
