"""Another document's figure: when the lead states the asked figure, a document it is not
from may state its own.

Each plan document states its figures for its own scope: the national plans for the whole
organisation, a branch's plan or a memo for that branch. The hand-set score reads how much
of the question a sentence writes, and a document written in the question's own words
(電話相談の応答率は80%以上を目標とする) leaves every other document's sentence below the
share a further statement needs, so its figure alone is said, as if it were the only one.
A reader asking a figure then cannot tell it is one document's among others. So when the
lead comes from a document whose title scopes it to one office (``scoped_title``: it names
a branch, a centre, an office the question does not write) and states a figure of the asked
kind bound to the asked attribute (answer/bound_value.py), the statement the ranker scores
best among those of another document stating one too with a number the answer does not
state joins, each citing its own pages: the office's figure and the other's are both said.
A statement of a kind the question answers only as a near tie (a results passage for a
question on the plan's measures, ``tie_only_kinds``) is not one of them.

Why only a scoped lead: documents of one scope restate each other's figures (the plan
restates the results report's: 電子申請割合 64.6%（令和4年度）), so over every document
the rule added the other document's restatement of another figure and lost citation
precision on own dev and the outside set; a document titled for one office speaks for that
office only, and its figure is not the organisation's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from answer.bound_value import asked_value, value_bound
from answer.further import numbers_in
from answer.ranker import Candidate

# An office of an organisation as a title names it (南浜分室, 北浦支所, 中央年金事務所):
# a proper name, then what kind of office it is.
_OFFICE = re.compile(
    r"[\u4e00-\u9fff\u30a0-\u30ffー々]{1,12}?(?:分室|支所|支部|支店|出張所|事務所|営業所|センター|分館)"
)


def scoped_title(title: str | None, question: str) -> bool:
    """Whether ``title`` scopes its document to an office the question does not name."""
    if not title:
        return False
    return any(m.group(0) not in question for m in _OFFICE.finditer(title))


def other_documents(
    found: Sequence[Candidate],
    raw: Sequence[float],
    picked: Sequence[Candidate],
    question: str,
    tie_only_kinds: Collection[str] = frozenset(),
) -> list[Candidate]:
    """Per document no ``picked`` statement is from, its best statement by the ranker
    (``raw``) stating the asked figure bound to the asked attribute with a number the
    answer does not state; none when the lead (``picked[0]``) states no such figure."""
    # The title first: one regex over it, and false for every answer whose lead is from a
    # document titled for no office (the bundled plans), before the question is read.
    if not picked or not scoped_title(picked[0].chunk.document_title, question):
        return []
    asked = asked_value(question)
    if asked is None:
        return []
    if not value_bound(unicodedata.normalize("NFKC", picked[0].shown), asked):
        return []
    sources = {c.chunk.source for c in picked}
    stated = {n for c in picked for n in numbers_in(c.shown)}
    best: dict[str, int] = {}
    for i, c in enumerate(found):
        if c.chunk.source in sources or c.chunk.kind in tie_only_kinds:
            continue
        if not numbers_in(c.shown) - stated:
            continue
        if not value_bound(unicodedata.normalize("NFKC", c.shown), asked):
            continue
        if c.chunk.source not in best or raw[i] > raw[best[c.chunk.source]]:
            best[c.chunk.source] = i
    return [found[i] for i in sorted(best.values(), key=lambda i: -raw[i])]
