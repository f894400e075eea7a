"""Choosing each chiVe row's nearest corpus terms: the arithmetic of ``NeighbourTable``.

A full build compares all 20,000 chiVe rows with every corpus term (0.6 s for the bundled
plans). A build after an edit has nearly the same terms, so ``update`` starts from the
previous generation's choice: a row whose neighbours are all still in the corpus keeps them
and meets only the terms that are new; a row that lost one is compared with every term
again. Both give the same table (tests/index/test_neighbour_build.py) because

- ties are broken by the term itself, not by its place in the vocabulary (which moves
  between builds), so a kept choice is the one a full build makes;
- a similarity is computed as a full build computes it: BLAS ``gemm`` gives each
  row-by-term product bit for bit whatever the shape of the call, but a single row or term
  goes to ``gemv``, which sums in another order, so such calls are padded to two.
"""

from __future__ import annotations

import numpy as np

from index.build.chive import ChiveVectors
from index.wordvectors import NeighbourTable

NEIGHBOURS = 3
# Similarities computed per product, in float32 cells: 4 Mi cells (16 MB, with the
# partition's copy and the mask ~36 MB). A fixed number of chiVe rows per product made the
# transient grow with the vocabulary: 4096 rows × the 9,200 chiVe-known terms of a 20 MB
# upload held ~0.4 GB for a moment, the build's peak.
BLOCK_CELLS = 4 * 1024 * 1024


def block_rows(n_terms: int) -> int:
    """chiVe rows per product, so a block of similarities stays within ``BLOCK_CELLS``
    (at least two rows: one would go to ``gemv``, see the module docstring)."""
    return max(2, BLOCK_CELLS // max(n_terms, 1))


def term_ranks(terms: list[str]) -> np.ndarray:
    """Each term's place in sorted order: the tie-break between equal similarities."""
    ranks = np.empty(len(terms), dtype=np.int64)
    ranks[sorted(range(len(terms)), key=terms.__getitem__)] = np.arange(len(terms))
    return ranks


def similarities(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``rows @ columns.T``, never through ``gemv`` (see the module docstring)."""
    pad_rows, pad_columns = len(rows) == 1, len(columns) == 1
    if pad_rows:
        rows = np.vstack([rows, rows])
    if pad_columns:
        columns = np.vstack([columns, columns])
    product = rows @ columns.T
    return product[: 1 if pad_rows else None, : 1 if pad_columns else None]


def _select(
    row: np.ndarray, term: np.ndarray, sim: np.ndarray, ranks: np.ndarray, n_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """From candidate (row, term, similarity) triples, each row's best ``NEIGHBOURS``:
    highest similarity first, equal ones in term order; -1 / 0 where a row has fewer."""
    ids = np.full((n_rows, NEIGHBOURS), -1, dtype=np.int32)
    sims = np.zeros((n_rows, NEIGHBOURS), dtype=np.float32)
    if not len(row):
        return ids, sims
    order = np.lexsort((ranks[term], -sim, row))
    row, term, sim = row[order], term[order], sim[order]
    place = np.arange(len(row)) - np.searchsorted(row, row, side="left")
    keep = place < NEIGHBOURS
    ids[row[keep], place[keep]] = term[keep]
    sims[row[keep], place[keep]] = sim[keep]
    return ids, sims


def _candidates(
    vectors: np.ndarray, corpus: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row, term, similarity) at or above both the floor and the row's
    ``NEIGHBOURS``-th highest similarity (more than that many only on ties)."""
    rows, terms, sims = [], [], []
    n_terms = corpus.shape[0]
    step = block_rows(n_terms)
    for start in range(0, len(vectors), step):
        block = similarities(vectors[start : start + step], corpus)
        if n_terms > NEIGHBOURS:
            kth = np.partition(block, n_terms - NEIGHBOURS, axis=1)[:, n_terms - NEIGHBOURS]
            limit = np.maximum(kth, np.float32(floor))
        else:
            limit = np.full(len(block), floor, dtype=np.float32)
        row, term = np.nonzero(block >= limit[:, None])
        rows.append(row + start)
        terms.append(term)
        sims.append(block[row, term])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(terms), np.concatenate(sims)


def full(
    vectors: np.ndarray, corpus: np.ndarray, ranks: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour ids and similarities of every row of ``vectors`` among ``corpus`` rows."""
    return _select(*_candidates(vectors, corpus, floor), ranks, len(vectors))


def update(
    vectors: np.ndarray,
    corpus: np.ndarray,
    terms: list[str],
    ranks: np.ndarray,
    floor: float,
    previous_terms: list[str],
    previous_ids: np.ndarray,
    previous_sims: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """``full`` computed from a previous table over ``previous_terms`` with the same
    vectors and floor; None when too much changed for that to pay."""
    position = {t: i for i, t in enumerate(terms)}
    remap = np.asarray([position.get(t, -1) for t in previous_terms] + [-1], dtype=np.int64)
    mapped = remap[previous_ids]  # -1 stays -1 (the extra last entry)
    dirty = ((previous_ids >= 0) & (mapped < 0)).any(axis=1)
    known = set(previous_terms)
    added = np.asarray([i for i, t in enumerate(terms) if t not in known], dtype=np.int64)
    if dirty.sum() > len(vectors) // 4 or len(added) > len(terms) // 4:
        return None
    kept = (mapped >= 0) & ~dirty[:, None]
    row_parts = [np.nonzero(kept)[0]]
    term_parts = [mapped[kept]]
    sim_parts = [previous_sims[kept]]
    if len(added):
        step = block_rows(len(added))
        for start in range(0, len(vectors), step):
            block = similarities(vectors[start : start + step], corpus[added])
            row, column = np.nonzero(block >= np.float32(floor))
            clean = ~dirty[row + start]
            row_parts.append(row[clean] + start)
            term_parts.append(added[column[clean]])
            sim_parts.append(block[row[clean], column[clean]])
    redo = np.nonzero(dirty)[0]
    if len(redo):
        row, term, sim = _candidates(vectors[redo], corpus, floor)
        row_parts.append(redo[row])
        term_parts.append(term)
        sim_parts.append(sim)
    return _select(
        np.concatenate(row_parts),
        np.concatenate(term_parts).astype(np.int64),
        np.concatenate(sim_parts).astype(np.float32),
        ranks,
        len(vectors),
    )


def build_neighbour_table(
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
    ranks = term_ranks(terms)
    found = None
    if previous is not None and table_fits(previous, chive, min_similarity):
        found = update(
            chive.vectors,
            corpus,
            terms,
            ranks,
            min_similarity,
            previous.terms,
            previous.neighbour_ids,
            previous.neighbour_sims,
        )
    ids, sims = found or full(chive.vectors, corpus, ranks, min_similarity)
    return NeighbourTable(terms, chive.keys, chive.rows, ids, sims, min_similarity)


def table_fits(table: NeighbourTable, chive: ChiveVectors, min_similarity: float) -> bool:
    """Built over these chiVe vectors (same keys and rows) with this floor."""
    return (
        table.min_similarity == min_similarity
        and table.neighbour_ids.shape == (chive.vectors.shape[0], NEIGHBOURS)
        and np.array_equal(table.keys, chive.keys)
        and np.array_equal(table.rows, chive.rows)
    )
