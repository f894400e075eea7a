"""How much of a sentence a question already says, and whether the question asks something.

A question that asks something (an interrogative, or a noun left open: …した球団は？) is
often written from the passage's own words: it restates the clause around the answer and
leaves out the one thing it asks. The share of a sentence's character 4-grams
(index/phrase.py) the question holds says how much of it the question restates: 1.0 for a
sentence the question holds whole, 0 for one it shares no phrase with. A short plan question
(…の目標は？) holds little of any plan sentence, so the share stays low there.

Measured as sentence ranker features (this share of the sentence, of the one before and of
the one after) they gained nothing under grouped CV and were taken out
(bench/results/held-restated_share+before_restated_share+after_restated_share.md); the
share and ``asks_open`` serve answer/topic_heading.py.
"""

from __future__ import annotations

import re

from index import phrase

# A question left open on a noun (…した球団は？, …の目標は): it asks what the noun is.
_OPEN_TOPIC = re.compile(r"は\s*[?？。]?\s*$")


def asks_open(question: str, *, interrogative: bool) -> bool:
    """Whether the question (NFKC) asks for something it does not say: it holds an
    interrogative (``interrogative``, read by the caller) or ends on a noun left open
    (…は？). A yes/no question (…を導入したか？) is answered by the sentence it restates."""
    return interrogative or bool(_OPEN_TOPIC.search(question))


def restated_share(question: frozenset[str], text: str) -> float:
    """The share of ``text``'s 4-grams the question holds (0 for a text under 4 characters)."""
    own = phrase.passage_grams(text)
    return len(own & question) / len(own) if own else 0.0
