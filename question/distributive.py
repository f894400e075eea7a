"""Two subjects that each get the asked attribute: AとBはそれぞれ何％？

A distributive word (それぞれ, 各々: each; ともに: both, when a value is asked after it)
after a coordination (AとB, AやB, A及びB) asks the same thing of each conjunct: 管理職と
一般職でそれぞれ何時間 asks the hours of the one and of the other. Answered as one
question, the sentence with more of the question's words takes every slot, and it often
states one conjunct's figure only. Read as two parts, each conjunct is answered on its own.

The words are data (``data/question/rules.toml`` [connectives]). The conjuncts are read
from Sudachi's short units (the question's one pass, shared):

- the coordinator is the last と / や / 及び / 並びに before the distributive word with a
  noun right before it and the second conjunct right after it (a verb after と makes it
  comitative or quotative: 前年度と比べて, 団体と連携する);
- when the second conjunct holds a verb before the topic は (or before the distributive
  word), the conjuncts are clauses (…勧めた人数と、実際に追納した人数は): the second runs to
  the noun its last verb qualifies, the first back to the previous 、, は or the start;
- otherwise they are the nouns on either side of the coordinator (管理職と一般職で,
  厚生年金保険料と協会けんぽの保険料の収納率): what qualifies them before (令和5年度末の) and
  what they qualify after (の保険料の収納率は) is shared by both parts. A head noun written
  again after the second (Pの事業所とQの事業所) makes each conjunct its own 〜の事業所.

Each part is the question with the other conjunct and the distributive word left out,
and carries the compounds that name its own subject (those of its conjunct the other does
not hold): a statement naming both subjects answers both parts at once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.sudachi import Token
from question.cue_words import word_spans
from question.morphemes import morphemes
from question.rules import rules

_NOUNISH = frozenset({"名詞", "接頭辞", "接尾辞"})
MIN_SUBJECT_CHARS = 2  # a one-character noun (人, 後) names no subject of its own


class Conjunct(NamedTuple):
    question: str  # the question asked of this subject alone
    subject: tuple[str, ...]  # compounds naming this subject and not the other


def distributed(text: str) -> tuple[Conjunct, Conjunct] | None:
    """The two questions ``text`` (NFKC) asks when two conjuncts each get what is asked,
    each without the other conjunct and the distributive word; None when it asks no such
    thing."""
    span = _distributive_span(text)
    if span is None:
        return None
    tokens = morphemes(text, "A")
    starts = _starts(tokens)
    if "".join(t.surface for t in tokens) != text or span[0] not in starts:
        return None
    d = starts.index(span[0])
    found = _conjuncts(tokens, d)
    if found is None:
        return None
    (x0, x1), (y0, y1) = found
    at = [*starts, len(text)]
    prefix = text[: at[x0]]
    rest = text[at[y1] : span[0]] + text[span[1] :]
    rest = re.sub(r"^の(?=の)|(?<=の)の", "", rest, count=1)  # AとBの(それぞれ)の目標
    first, second = text[at[x0] : at[x1]], text[at[y0] : at[y1]]
    x_names, y_names = _compounds(tokens[x0:x1]), _compounds(tokens[y0:y1])
    return (
        Conjunct(f"{prefix}{first}{rest}", tuple(n for n in x_names if n not in y_names)),
        Conjunct(f"{prefix}{second}{rest}", tuple(n for n in y_names if n not in x_names)),
    )


def _compounds(tokens: tuple[Token, ...]) -> list[str]:
    """The runs of nouns in ``tokens``, as written, of two characters or more."""
    runs: list[str] = []
    current = ""
    for token in (*tokens, None):
        if token is not None and _nounish(token):
            current += token.surface
            continue
        if len(current) >= MIN_SUBJECT_CHARS:
            runs.append(current)
        current = ""
    return runs


def _distributive_span(text: str) -> tuple[int, int] | None:
    found = rules()
    each = next(word_spans(found.each, text), None)
    if each is not None:
        return each
    both = next(word_spans(found.both, text), None)
    if both is not None and found.value_asked.search(text, both[1]):
        return both
    return None


def _starts(tokens: tuple[Token, ...]) -> list[int]:
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token.surface)
    return starts


def _conjuncts(tokens: tuple[Token, ...], d: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The token ranges [start, end) of the two conjuncts before the distributive word at
    ``d``; None when no coordination stands before it."""
    coordinators = rules().coordinators
    for c in range(d - 1, 0, -1):
        if tokens[c].surface not in coordinators or not _nounish(tokens[c - 1]):
            continue
        y0 = c + 1
        while y0 < d and tokens[y0].pos[1] == "読点":
            y0 += 1
        if y0 >= d:
            continue
        stretch_end = next(
            (i for i in range(y0, d) if tokens[i].surface == "は" and tokens[i].pos[1] == "係助詞"),
            d,
        )
        verbs = [i for i in range(y0, stretch_end) if tokens[i].pos[0] == "動詞"]
        if verbs:
            return _clauses(tokens, c, y0, verbs[-1], stretch_end)
        if not _nounish(tokens[y0]):
            return None  # と before an adverb or a particle: no coordination of nouns
        y1 = _noun_run_end(tokens, y0, d)
        x0 = _noun_run_start(tokens, c)
        # A head written again (Pの事業所とQの事業所): each conjunct is its own 〜の事業所.
        head = [t.surface for t in tokens[x0:c]]
        again = y1 + 1 + len(head)
        if (
            x0 >= 2
            and tokens[x0 - 1].surface == "の"
            and [t.surface for t in tokens[y1:again]] == ["の", *head]
        ):
            x0, y1 = _noun_run_start(tokens, x0 - 1), again
        return (x0, c), (y0, y1)
    return None


def _clauses(
    tokens: tuple[Token, ...], c: int, y0: int, last_verb: int, stretch_end: int
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Clause conjuncts: the second runs to the end of the noun after its last verb, the
    first back from the coordinator to the previous 、, は or the start."""
    head = next((i for i in range(last_verb + 1, stretch_end) if _nounish(tokens[i])), None)
    if head is None:
        return None
    y1 = _noun_run_end(tokens, head, stretch_end)
    x0 = c
    while x0 > 0 and not (
        tokens[x0 - 1].pos[1] in {"読点", "句点"}
        or (tokens[x0 - 1].surface == "は" and tokens[x0 - 1].pos[1] == "係助詞")
    ):
        x0 -= 1
    return ((x0, c), (y0, y1)) if x0 < c else None


def _noun_run_start(tokens: tuple[Token, ...], end: int) -> int:
    start = end
    while start > 0 and _nounish(tokens[start - 1]):
        start -= 1
    return start


def _noun_run_end(tokens: tuple[Token, ...], start: int, limit: int) -> int:
    end = start
    while end < limit and _nounish(tokens[end]):
        end += 1
    return end


def _nounish(token: Token) -> bool:
    return token.pos[0] in _NOUNISH


__all__ = ["Conjunct", "distributed"]
