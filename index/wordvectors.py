"""Soft matching with chiVe word vectors made for Sudachi normalized forms.

The ``ja-ginza`` wheel ships chiVe (Works Applications, Apache-2.0): 20,000 rows × 300,
about 480,000 word keys. Loading it through spaCy takes seconds and ~700 MB, so at index
time we read the files directly and keep only a neighbour table over the corpus vocabulary:
for every chiVe row, its nearest corpus terms. At query time a term is hashed, its row
looked up, and the neighbours added to the BM25 query with a lower weight.
"""

from __future__ import annotations

import importlib.util
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import neighbour_build
from index.neighbour_build import NEIGHBOURS

_DIGIT = re.compile(r"[0-9０-９]")


def chive_dir() -> Path | None:
    """The vocab folder of the installed ja-ginza wheel, or None when it is missing.

    Found without importing the package: importing it imports spaCy (3 s).
    """
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(base.glob("ja_ginza-*/vocab"))
    return found[-1] if found else None


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


@dataclass
class ChiveVectors:
    keys: np.ndarray  # sorted uint64 word hashes
    rows: np.ndarray  # int32 row of each key
    vectors: np.ndarray  # float32 rows × 300, L2-normalised

    @classmethod
    def load(cls, directory: Path, cache_dir: Path | None = None) -> ChiveVectors:
        """Read the wheel's files; the key table (a 480,000-entry msgpack map that takes
        seconds to parse) is kept as a numpy cache in ``cache_dir`` after the first time."""
        vectors = np.load(directory / "vectors", mmap_mode="r").astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        keys, rows = _key_table(directory, cache_dir)
        return cls(keys, rows, vectors / norms)

    def row(self, word: str) -> int | None:
        return _lookup(self.keys, self.rows, word)


def _key_table(directory: Path, cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    source = directory / "key2row"
    stamp = f"{source.stat().st_size}-{int(source.stat().st_mtime)}"
    cache = cache_dir / f"chive-keys-{stamp}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            return data["keys"], data["rows"]
    import srsly

    key2row = srsly.msgpack_loads(source.read_bytes())
    keys = np.fromiter(key2row.keys(), dtype=np.uint64, count=len(key2row))
    rows = np.fromiter(key2row.values(), dtype=np.int32, count=len(key2row))
    order = np.argsort(keys)
    keys, rows = keys[order], rows[order]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".tmp.npz")
        np.savez(partial, keys=keys, rows=rows)
        partial.replace(cache)
    return keys, rows


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

    @classmethod
    def build(
        cls,
        chive: ChiveVectors,
        corpus_terms: list[str],
        *,
        min_similarity: float,
        previous: NeighbourTable | None = None,
    ) -> NeighbourTable:
        """The table over ``corpus_terms``; from ``previous`` (an earlier table over the
        same chiVe with the same floor) when that is quicker, with the same result."""
        with_vectors = [(t, chive.row(t)) for t in corpus_terms]
        terms = [t for t, r in with_vectors if r is not None]
        term_rows = np.asarray([r for _, r in with_vectors if r is not None], dtype=np.int64)
        corpus = chive.vectors[term_rows]  # terms × 300
        ranks = neighbour_build.term_ranks(terms)
        found = None
        if previous is not None and previous.fits(chive, min_similarity):
            found = neighbour_build.update(
                chive.vectors,
                corpus,
                terms,
                ranks,
                min_similarity,
                previous.terms,
                previous.neighbour_ids,
                previous.neighbour_sims,
            )
        ids, sims = found or neighbour_build.full(chive.vectors, corpus, ranks, min_similarity)
        return cls(terms, chive.keys, chive.rows, ids, sims, min_similarity)

    def fits(self, chive: ChiveVectors, min_similarity: float) -> bool:
        """Built over these chiVe vectors (same keys and rows) with this floor."""
        return (
            self.min_similarity == min_similarity
            and self.neighbour_ids.shape == (chive.vectors.shape[0], NEIGHBOURS)
            and np.array_equal(self.keys, chive.keys)
            and np.array_equal(self.rows, chive.rows)
        )

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
