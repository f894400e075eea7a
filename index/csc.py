"""Reading a few columns of a CSC matrix straight from its arrays.

Every question reads a few dozen columns of the BM25 and presence matrices. Through
scipy's indexing each read cost ~0.1-0.2 ms of Python overhead, and a loop over the
columns as much again: more than the arithmetic. One gather does them all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def stored_positions(indptr: np.ndarray, columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(positions in ``indices``/``data`` of every stored value of ``columns``, column after
    column; how many each column has)."""
    wanted = np.asarray(columns, dtype=np.int64)
    starts = indptr[wanted].astype(np.int64)
    lengths = indptr[wanted + 1].astype(np.int64) - starts
    first = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return first + np.arange(int(lengths.sum())), lengths
