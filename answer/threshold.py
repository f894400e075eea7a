"""何人以上 (何人以上の事業所, 何人超の企業) asks a threshold: a figure bounding a class.

Japanese asks the bound of a class by a figure question word with the bound after it
(何人以上, 何件未満, 何人超), and states one the same way (被保険者30人以上の事業所,
20人を超える法人, 従業員3人以上): the figure in the asked counter with a word of bound
after it. A figure of the same counter that is no bound (2.5万人を新たに適用: how many
there were) answers how many, not from how many; and the selection's figure bonus skips
bounds on purpose (answer/figures.py: for a question asking how many, a bound says which
ones are meant), so the lead of a threshold question is read here: from the picked
sentences, then the top passages' statements, the first stating a bound in the asked
counter and naming a compound of the question (a passage holds several measures); the answer is
left as selection made it when none does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from answer.asked_terms import asked_compounds
from answer.extractive import Picked
from answer.kind_lead import led_by, statement
from answer.sentences import is_statement, sentences_of
from ingest.model import Chunk
from question.counters import counted_in, counter_units
from question.normal import nfkc

# A word of bound after a figure (以上, 以下, 未満, 超, を超える).
_BOUND = r"(?:以上|以下|未満|超|を超え)"
_ASKS = re.compile(rf"何\s*[^\s何、。?？]{{1,3}}?\s*{_BOUND}")
_NUMBER = r"\d[\d,.]*\s*(?:[万千百]\s*)?"


def asked_bound(question: str) -> re.Pattern[str] | None:
    """The figures that answer ``question`` (NFKC) when it asks a threshold (何人以上): a
    figure in its counter's units with a word of bound; None when it asks none."""
    if not _ASKS.search(question):
        return None
    counter = counted_in(question)
    if counter is None:
        return None
    return re.compile(rf"{_NUMBER}(?:{counter_units(counter)})\s*{_BOUND}")


def threshold_lead(question: str, picked: list[Picked], passages: Sequence[Chunk]) -> list[Picked]:
    """``picked`` led by the first sentence stating a bound in the asked counter and naming
    a compound of the question, from the passages of ``picked`` then ``passages`` (the
    ranker's first-statement score kept on the lead);
    as it is when no threshold is asked, the lead states one, or no sentence does."""
    bound = asked_bound(question)
    if bound is None or not picked or bound.search(nfkc(picked[0].quote)):
        return picked
    named = [nfkc(c) for c in asked_compounds(question) if not re.fullmatch(_BOUND, c)]
    found = _stated(bound, [p.chunk for p in picked[1:]], named)
    found = found or _stated(bound, passages, named)
    if found is None:
        return picked
    return led_by(found, picked)


def _stated(
    bound: re.Pattern[str], passages: Sequence[Chunk], compounds: list[str]
) -> Picked | None:
    """The first statement of ``passages`` stating a figure ``bound`` matches and naming
    one of the question's ``compounds``: a passage holds several measures, and another's
    bound (a class of large employers for a question on small ones) is not the one asked."""
    for chunk in passages:
        for sentence in sentences_of(chunk):
            text = nfkc(sentence)
            if not is_statement(sentence) or not bound.search(text):
                continue
            if any(c in text for c in compounds):
                return statement(sentence, chunk)
    return None
