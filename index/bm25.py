"""Okapi BM25 over precomputed term weights in a sparse matrix.

Our own small implementation rather than a library because queries carry weighted terms
(synonyms and word-vector neighbours count for less than the words typed), and scoring is
one sparse column slice and a dot product: well under a millisecond for 25,000 chunks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse


class Bm25Index:
    def __init__(
        self, vocabulary: dict[str, int], weights: sparse.csc_matrix, k1: float, b: float
    ) -> None:
        self.vocabulary = vocabulary
        self.weights = weights  # documents × terms, BM25 weight of each term in each document
        self.k1 = k1
        self.b = b

    @property
    def size(self) -> int:
        return self.weights.shape[0]

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no chunk contains gets the highest value."""
        n_docs = max(self.size, 1)
        column = self.vocabulary.get(term)
        df = (
            0
            if column is None
            else int(self.weights.indptr[column + 1] - self.weights.indptr[column])
        )
        return float(np.log1p((n_docs - df + 0.5) / (df + 0.5)))

    @classmethod
    def build(
        cls, documents: Sequence[Counter[str]], *, k1: float = 1.2, b: float = 0.75
    ) -> Bm25Index:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, counts in enumerate(documents):
            lengths[row] = sum(counts.values())
            for term, tf in counts.items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                tfs.append(tf)
        n_docs = max(len(documents), 1)
        row_idx = np.asarray(rows, dtype=np.int64)
        col_idx = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(tfs, dtype=np.float32)
        df = np.bincount(col_idx, minlength=len(vocabulary)).astype(np.float32)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths[row_idx] / max(avg, 1e-9))
        values = idf[col_idx] * tf * (k1 + 1) / (tf + norm)
        weights = sparse.csc_matrix(
            (values, (row_idx, col_idx)), shape=(len(documents), len(vocabulary)), dtype=np.float32
        )
        return cls(vocabulary, weights, k1, b)

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for weighted query terms (unknown terms ignored)."""
        columns = [self.vocabulary[t] for t in query if t in self.vocabulary]
        if not columns:
            return np.zeros(self.size, dtype=np.float32)
        weights = np.asarray(
            [w for t, w in query.items() if t in self.vocabulary], dtype=np.float32
        )
        return np.asarray(self.weights[:, columns] @ weights).ravel()

    def save(self, directory: Path, name: str = "bm25") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(directory / f"{name}.npz", self.weights.tocsc())
        meta = {"k1": self.k1, "b": self.b, "vocabulary": self.vocabulary}
        (directory / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, directory: Path, name: str = "bm25") -> Bm25Index:
        meta = json.loads((directory / f"{name}.json").read_text("utf-8"))
        weights = sparse.load_npz(directory / f"{name}.npz").tocsc()
        return cls(meta["vocabulary"], weights, meta["k1"], meta["b"])
