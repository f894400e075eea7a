"""Which terms each chunk's own text holds: the passage without its headings.

BM25 indexes a chunk with its headings and row context; the coverage that rescales
retrieval candidates also asks what the passage itself says. Built with the index over the
BM25 vocabulary and saved beside it, so a query reads a few columns instead of running
Sudachi over its candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from scipy import sparse

NAME = "text_terms.npz"


def build_presence(
    documents: Iterable[Iterable[str]], vocabulary: Mapping[str, int]
) -> sparse.csc_matrix:
    """Documents × vocabulary matrix of 1 where the document holds the term (terms outside
    the vocabulary are left out)."""
    rows: list[int] = []
    cols: list[int] = []
    count = 0
    for row, terms in enumerate(documents):
        count = row + 1
        for column in {vocabulary[t] for t in terms if t in vocabulary}:
            rows.append(row)
            cols.append(column)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csc_matrix((data, (rows, cols)), shape=(count, len(vocabulary)))


def save_presence(directory: Path, matrix: sparse.csc_matrix) -> None:
    sparse.save_npz(directory / NAME, matrix.tocsc(), compressed=False)  # as index/bm25.py


def load_presence(directory: Path) -> sparse.csc_matrix | None:
    path = directory / NAME
    return sparse.load_npz(path).tocsc() if path.exists() else None
