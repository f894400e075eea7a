"""How much of a question's wording a passage repeats as written: the share of the
question's character 4-grams found in the passage.

Word coverage and BM25 count words one by one, so a passage naming each of the question's
words somewhere (a long paragraph of the same article, another measure on the same page)
ties with, or beats, the one that states the question's phrase itself (医師による調剤を禁止).
A 4-gram spans a word and its particle or two short words, so a shared run of them is a
shared phrase, which the bag of bigrams (index/ngrams.py) cannot tell from scattered words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

N = 4
_DROP = re.compile(r"[\s\W_]+")


def grams(text: str) -> frozenset[str]:
    """The character 4-grams of a text in NFKC, spaces and punctuation dropped, lower case."""
    return normalized_grams(unicodedata.normalize("NFKC", text))


def normalized_grams(normalized: str) -> frozenset[str]:
    """``grams`` of a text already in NFKC (a question's analysed form: no second pass)."""
    compact = _DROP.sub("", normalized).lower()
    return frozenset(compact[i : i + N] for i in range(len(compact) - N + 1))


@lru_cache(maxsize=8192)
def passage_grams(text: str) -> frozenset[str]:
    """``grams`` of a passage, kept: the same passages are candidates question after question."""
    return grams(text)


def shared_share(question: frozenset[str], text: str) -> float:
    """The share of the question's 4-grams ``text`` holds (0 for a question under 4 characters)."""
    return len(question & passage_grams(text)) / len(question) if question else 0.0


def restates(question: frozenset[str], text: str) -> bool:
    """Whether the question holds every 4-gram of ``text`` (a text of 4 characters or more):
    the question restates it whole, so it says nothing the asker did not already say."""
    own = passage_grams(text)
    return bool(own) and own <= question
