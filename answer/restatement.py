"""How much of a sentence, and of its neighbours, a question already says: the sentence
ranker's restatement features (answer/ranker.py).

A question that asks something (an interrogative, or a noun left open: …した球団は？) is
often written from the passage's own words: it restates the clause around the answer and
leaves out the one thing it asks. The sentence it restates most is then seldom the one that
answers: the answer sits in the sentence next to it (the question restates 「…が公開された」
and asks the count the next sentence gives), or the restated sentence answers with a word the
question does not hold. ``restated`` (answer/ranker.py) reads only a sentence the question
holds whole; these read the share, so a question restating most of a sentence, with a word
of its own, still counts.

Each share is that of the sentence's character 4-grams (index/phrase.py) the question holds:
1.0 for a sentence the question holds whole, 0 for one it shares no phrase with. A short
plan question (…の目標は？) holds little of any plan sentence, so the shares stay low there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index import phrase

# A question left open on a noun (…した球団は？, …の目標は): it asks what the noun is.
_OPEN_TOPIC = re.compile(r"は\s*[?？。]?\s*$")
# The plans and general text end a sentence with 。 or a line break (a list item).
_SENTENCE_END = re.compile(r"(?<=[。\n])")


def asks_open(question: str, *, interrogative: bool) -> bool:
    """Whether the question (NFKC) asks for something it does not say: it holds an
    interrogative (``interrogative``, answer/ranker.py reads it) or ends on a noun left open
    (…は？). A yes/no question (…を導入したか？) is answered by the sentence it restates."""
    return interrogative or bool(_OPEN_TOPIC.search(question))


def restated_share(question: frozenset[str], text: str) -> float:
    """The share of ``text``'s 4-grams the question holds (0 for a text under 4 characters)."""
    own = phrase.passage_grams(text)
    return len(own & question) / len(own) if own else 0.0


@lru_cache(maxsize=8192)
def neighbours(passage: str, quote: str) -> tuple[str, str]:
    """The sentences just before and just after ``quote`` in ``passage`` ("" at either end,
    or when the quote is not found), as written."""
    at = passage.find(quote)
    if at < 0:
        return "", ""
    before = [s for s in _SENTENCE_END.split(passage[:at]) if s.strip()]
    after = [s for s in _SENTENCE_END.split(passage[at + len(quote) :]) if s.strip("。\n \u3000")]
    return (before[-1] if before else ""), (after[0] if after else "")


def neighbour_shares(question: frozenset[str], passage: str, quote: str) -> tuple[float, float]:
    """``restated_share`` of the sentence before ``quote`` and of the one after it."""
    before, after = neighbours(passage, quote)
    return restated_share(question, _nfkc(before)), restated_share(question, _nfkc(after))


@lru_cache(maxsize=8192)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
