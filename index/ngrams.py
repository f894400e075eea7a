"""A second lexical channel: BM25 over character bigrams of the NFKC text.

Word terms miss what Sudachi splits differently in question and plan (compounds, a verb's
stem inside a noun, a katakana variant). Character bigrams catch those, and fused at a
lower weight with the word ranking they raised recall@5 on both gold splits
(bench/results/retrieval_tuning_use-m3.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from index.bm25 import Bm25Index

NAME = "ngram"
_DROP = re.compile(r"[\s\W_]+")


def char_bigrams(text: str) -> Counter[str]:
    return normalized_bigrams(unicodedata.normalize("NFKC", text))


def normalized_bigrams(normalized: str) -> Counter[str]:
    """``char_bigrams`` of a text already in NFKC (a question's analysed form)."""
    compact = _DROP.sub("", normalized).lower()
    return Counter(compact[i : i + 2] for i in range(len(compact) - 1))


def build_ngram_index(texts: list[str]) -> Bm25Index:
    return Bm25Index.build(char_bigrams(t) for t in texts)
