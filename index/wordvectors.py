"""Soft matching with chiVe word vectors made for Sudachi normalized forms.

The ``ja-ginza`` wheel ships chiVe (Works Applications, Apache-2.0): 20,000 rows × 300,
about 480,000 word keys. Loading it through spaCy takes seconds and ~700 MB, so at index
time the build reads the files directly (index/build/chive.py) and keeps only a neighbour
table over the corpus vocabulary (index/build/neighbour_build.py): for every chiVe row, its
nearest corpus terms. At query time a term is hashed, its row looked up, and the neighbours
added to the BM25 query with a lower weight.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_DIGIT = re.compile(r"[0-9０-９]")


_M = 0xC6A4A7935BD1E995
_MASK = 0xFFFFFFFFFFFFFFFF


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy uses for its string keys (``hash_string``)."""
    length = len(data)
    h = (seed ^ (length * _M)) & _MASK
    blocks = length // 8
    for (k,) in struct.iter_unpack("<Q", data[: blocks * 8]):
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[blocks * 8 :]
    for index in range(len(tail) - 1, -1, -1):
        h ^= tail[index] << (8 * index)
    if tail:
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def word_key(word: str) -> int:
    return murmurhash64a(word.encode("utf-8"))


def _lookup(keys: np.ndarray, rows: np.ndarray, word: str) -> int | None:
    key = np.uint64(word_key(word))
    at = int(np.searchsorted(keys, key))
    if at < len(keys) and keys[at] == key:
        return int(rows[at])
    return None


@dataclass
class NeighbourTable:
    """For each chiVe row, its nearest corpus terms (index into ``terms``) and similarities."""

    terms: list[str]
    keys: np.ndarray
    rows: np.ndarray
    neighbour_ids: np.ndarray  # rows × NEIGHBOURS int32, -1 where none
    neighbour_sims: np.ndarray  # rows × NEIGHBOURS float32
    min_similarity: float | None = None  # the floor it was built with (None: not recorded)

    def neighbours(self, word: str) -> list[tuple[str, float]]:
        """Corpus terms near ``word`` (never ``word`` itself), best first.

        Nothing for a term with a digit, and no neighbour with one: a number names one
        thing. chiVe puts 3 beside 4 and 第3期 beside 第4期, so 第3期中期計画の期間は？ was
        read as a question on the 4th plan too.
        """
        if _DIGIT.search(word):
            return []
        row = _lookup(self.keys, self.rows, word)
        if row is None:
            return []
        return [
            (self.terms[i], float(s))
            for i, s in zip(self.neighbour_ids[row], self.neighbour_sims[row], strict=True)
            if i >= 0 and self.terms[i] != word and not _DIGIT.search(self.terms[i])
        ]

    def save(self, path: Path) -> None:
        floor = {} if self.min_similarity is None else {"min_similarity": self.min_similarity}
        np.savez(
            path,
            terms=np.asarray(self.terms, dtype=object),
            keys=self.keys,
            rows=self.rows,
            neighbour_ids=self.neighbour_ids,
            neighbour_sims=self.neighbour_sims,
            **floor,
        )

    @classmethod
    def load(cls, path: Path) -> NeighbourTable:
        data = np.load(path, allow_pickle=True)
        floor = float(data["min_similarity"]) if "min_similarity" in data.files else None
        return cls(
            [str(t) for t in data["terms"]],
            data["keys"],
            data["rows"],
            data["neighbour_ids"],
            data["neighbour_sims"],
            floor,
        )
