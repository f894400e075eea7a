"""A lead put before the selection's sentences because it holds the kind of answer asked.

The readers of a question's kind (answer/event_date.py: a date bound to the event asked;
answer/whole_count.py: the count of all of a noun) each find such a sentence among the
picked ones or in passages; the lead keeps the first-statement score the ranker gave its
own first choice, which the decline model reads (answer/decide.lead_score), and the
sentence is said once.
"""

from __future__ import annotations

from dataclasses import replace

from answer.extractive import Picked
from answer.sentences import display
from ingest.model import Chunk


def statement(sentence: str, chunk: Chunk) -> Picked:
    """``sentence`` of ``chunk`` as a statement the answer can quote."""
    return Picked(sentence, " ".join(display(sentence).split()), chunk, 0.0)


def led_by(lead: Picked, picked: list[Picked]) -> list[Picked]:
    """``picked`` led by ``lead`` with the ranker's first-statement score of ``picked``."""
    first = replace(lead, ranked=picked[0].ranked)
    return [first, *(p for p in picked if p.shown != first.shown)]
