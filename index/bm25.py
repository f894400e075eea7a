"""Okapi BM25 over precomputed term weights in a sparse matrix.

Our own small implementation rather than a library because queries carry weighted terms
(synonyms and word-vector neighbours count for less than the words typed), and scoring is
one sparse column slice and a dot product: well under a millisecond for 25,000 chunks.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from scipy import sparse

from index.csc import stored_positions


class Bm25Index:
    def __init__(
        self, vocabulary: dict[str, int], weights: sparse.csc_matrix, k1: float, b: float
    ) -> None:
        self.vocabulary = vocabulary
        self.weights = weights  # documents × terms, BM25 weight of each term in each document
        self.k1 = k1
        self.b = b
        # Per column, once: every question reads the idf of each of its terms and their
        # equivalents (~200 reads), and scores a few dozen columns (index/csc.py).
        n_docs = max(self.size, 1)
        df = np.diff(weights.indptr).astype(np.float64)
        self._idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).tolist()
        self._unknown_idf = float(np.log1p((n_docs + 0.5) / 0.5))
        self._indptr = weights.indptr
        self._rows = weights.indices
        self._values = weights.data

    @property
    def size(self) -> int:
        return self.weights.shape[0]

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no chunk contains gets the highest value."""
        column = self.vocabulary.get(term)
        return self._unknown_idf if column is None else self._idf[column]

    @classmethod
    def build(
        cls, documents: Iterable[Counter[str]], *, k1: float = 1.2, b: float = 0.75
    ) -> Bm25Index:
        """The index of ``documents`` (term counts), read once, in order: a generator keeps
        only one document's counts alive, and the coordinates go to typed arrays (8 bytes an
        entry, not a Python int or float object each): a 20 MB file's character bigrams
        took 0.5 GB as lists."""
        vocabulary: dict[str, int] = {}
        indptr = array("q", [0])
        cols = array("q")
        tfs = array("f")
        sizes = array("d")
        for counts in documents:
            sizes.append(sum(counts.values()))
            for term, tf in counts.items():
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                tfs.append(tf)
            indptr.append(len(cols))
        lengths = np.asarray(sizes, dtype=np.float32)
        documents = range(len(lengths))  # only their number is read below
        n_docs = max(len(documents), 1)
        starts = np.frombuffer(indptr, dtype=np.int64)
        row_idx = np.repeat(np.arange(len(lengths), dtype=np.int64), np.diff(starts))
        col_idx = np.frombuffer(cols, dtype=np.int64)
        tf = np.frombuffer(tfs, dtype=np.float32)
        df = np.bincount(col_idx, minlength=len(vocabulary)).astype(np.float32)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths[row_idx] / max(avg, 1e-9))
        values = idf[col_idx] * tf * (k1 + 1) / (tf + norm)
        del row_idx
        # Rows come in order with distinct terms each: the CSR arrays are the coordinates
        # themselves (no COO copy and sort), converted once to columns.
        weights = sparse.csr_matrix(
            (values.astype(np.float32, copy=False), col_idx, starts),
            shape=(len(documents), len(vocabulary)),
        ).tocsc()
        return cls(vocabulary, weights, k1, b)

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for weighted query terms (unknown terms ignored)."""
        scores = np.zeros(self.size, dtype=np.float32)
        known = [
            (column, weight)
            for t, weight in query.items()
            if (column := self.vocabulary.get(t)) is not None
        ]
        if not known:
            return scores
        stored, lengths = stored_positions(self._indptr, [column for column, _ in known])
        # Each stored value times its term's weight, added column after column in float32,
        # as a sparse product would.
        weights = np.repeat(np.asarray([w for _, w in known], dtype=np.float32), lengths)
        np.add.at(scores, self._rows[stored], self._values[stored] * weights)
        return scores

    def column(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(documents, BM25 weights) where ``term`` occurs, read straight from the CSC
        arrays; None for a term no document has."""
        column = self.vocabulary.get(term)
        if column is None:
            return None
        start, end = self._indptr[column], self._indptr[column + 1]
        return self._rows[start:end], self._values[start:end]

    def save(self, directory: Path, name: str = "bm25") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        # Uncompressed: zlib took ~0.6 s per matrix at 10,000 chunks, to save disk space
        # nobody lacks; loading skips inflating too.
        sparse.save_npz(directory / f"{name}.npz", self.weights.tocsc(), compressed=False)
        meta = {"k1": self.k1, "b": self.b, "vocabulary": self.vocabulary}
        (directory / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, directory: Path, name: str = "bm25") -> Bm25Index:
        meta = json.loads((directory / f"{name}.json").read_text("utf-8"))
        weights = sparse.load_npz(directory / f"{name}.npz").tocsc()
        return cls(meta["vocabulary"], weights, meta["k1"], meta["b"])
