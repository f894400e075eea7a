"""Follow-up questions in a chat: what a question takes from the turns before it, resolved once.

Whether it goes on from the conversation is question/continuation.py; the topic it carries,
question/carried_topic.py; its relative years written out, question/relative_year.py. What
is searched is the question resolved, with the topic carried in place of an opening
demonstrative or connective (``without_connective``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from question.carried_topic import carried_topic
from question.continuation import changes_topic
from question.relative_year import resolve_relative_year
from question.rules import rules

_PART_OF = re.compile(r"^(?:うち|内)(?![容訳部])[、,\s]*")
_AFTER_POINTING = re.compile(r"^(?:って|の|は|で|に|が|を|も)?[、,\s]*")


def without_connective(question: str) -> str:
    """``question`` without an opening connective (じゃあ, では, あと) or demonstrative (それの,
    その): once the topic they stand for is written beside it, they carry no content."""
    text = question.lstrip()
    found = rules()
    for pattern in (found.follow_on, found.pointing):
        match = pattern.match(text)
        # Only a demonstrative (こ・そ・あ words) stands for the topic; 前の, 同じ keep meaning.
        if match and (pattern is found.follow_on or match.group(0)[:1] in "こそあ"):
            text = text[match.end() :]
            if pattern is found.pointing:
                # その内 / このうち ("of it") is one demonstrative phrase: a part of the topic.
                part = _PART_OF.match(text) if match.group(0)[:1] in "こそ" else None
                text = text[part.end() :] if part else text
                text = text[_AFTER_POINTING.match(text).end() :]
            text = text.lstrip("、, ")
    return text or question


class Followup(NamedTuple):
    topic: str  # carried from the conversation; '' for a question that stands alone
    resolved: str  # the question with its relative years and periods written out
    search_text: str  # resolved, with the topic in place of a demonstrative or connective


def followup(question: str, history: Sequence[object]) -> Followup:
    """What ``question`` takes from ``history``, resolved once."""
    if not history:
        return Followup("", question, question)
    if changes_topic(question):
        return Followup("", question, question)  # a new topic announced: it stands alone
    resolved = resolve_relative_year(question, history)
    topic = carried_topic(question, history)
    searched = f"{topic} {without_connective(resolved)}".strip() if topic else resolved
    return Followup(topic, resolved, searched)


def standalone(question: str, history: Sequence[object]) -> str:
    """The text searched for ``question`` after ``history`` (``QuestionAnalysis.search_text``)."""
    return followup(question, history).search_text
