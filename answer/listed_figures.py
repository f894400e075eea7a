"""A first statement continued by the short list of figures it introduces.

The plans sometimes state a target in a sentence and give its figures right after it as a
list of short labelled items, under a bracketed heading naming the target (a sentence on a
processing-time standard, then ＜the standard's name＞ and one ・item：Nヶ月 line per kind of
claim). Each item is too short to be quoted alone (``sentences.MIN_CHARS``: chart labels),
so a question asking that figure found the sentence without it and was declined for a kind
of answer no quote states. When the first statement lacks the asked figure and the lines
right after it in its passage are such a list (an optional bracketed heading, then items
marked ・ too short to be statements) stating it, the quote runs on to the list's end: still
one verbatim run of the passage, cited as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from answer.extractive import Picked
from answer.figures import AskedFigure
from answer.sentences import display, is_heading, is_statement, sentences_of

_ITEM = re.compile(r"^\s*・")
_SPACE = re.compile(r"\s+")


def continued(picked: Sequence[Picked], figure: AskedFigure | None) -> list[Picked]:
    """``picked`` with its first statement run on through the list of figures it
    introduces, when it lacks the asked figure and the list states it."""
    picked = list(picked)
    if not picked or figure is None or figure.search(picked[0].quote):
        return picked
    lead = picked[0]
    sentences = sentences_of(lead.chunk)
    if lead.quote not in sentences:
        return picked
    after = sentences[sentences.index(lead.quote) + 1 :]
    if after and is_heading(after[0]) and not _ITEM.match(after[0]):
        after = after[1:]  # the bracketed ＜…＞ line: the list's name
    items = []
    for sentence in after:
        if not _ITEM.match(sentence) or is_statement(sentence):
            break
        items.append(sentence)
    if not any(figure.search(item) for item in items):
        return picked
    text = lead.chunk.text
    start = text.find(lead.quote)
    end = text.find(items[-1], start) + len(items[-1]) if start >= 0 else -1
    if start < 0 or end < start + len(lead.quote):
        return picked
    quote = text[start:end]
    shown = _SPACE.sub(" ", display(quote))
    picked[0] = replace(lead, quote=quote, shown=shown)
    return picked
