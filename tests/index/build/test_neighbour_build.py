"""The chiVe neighbour table updated from the previous generation's equals a full build."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from index.analyzer import Analyzer, analyzer_config
from index.bm25 import Bm25Index
from index.build.analysis_step import analyse_chunks
from index.build.chive import ChiveVectors, chive_dir
from index.build.neighbour_build import build_neighbour_table, table_fits
from index.wordvectors import NeighbourTable
from ingest.pipeline import ingest_paths
from planqa.settings import Settings

PLANS = Path(__file__).resolve().parents[3] / "data" / "plans"


@pytest.fixture(scope="module")
def chive() -> ChiveVectors:
    return ChiveVectors.load(chive_dir())


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    chunks = ingest_paths([PLANS]).chunks
    counts, _ = analyse_chunks(chunks, Analyzer(analyzer_config(Settings())))
    return list(Bm25Index.build(counts).vocabulary)


def _same(left: NeighbourTable, right: NeighbourTable) -> bool:
    return (
        left.terms == right.terms
        and np.array_equal(left.neighbour_ids, right.neighbour_ids)
        and np.array_equal(left.neighbour_sims, right.neighbour_sims)
    )


def test_an_updated_table_is_the_full_build_of_the_new_vocabulary(chive, vocabulary):
    rng = random.Random(7)
    words = vocabulary[:]
    rng.shuffle(words)
    before = words[:-40]
    edits = {
        "terms removed and added, order moved": list(reversed(words[20:])),
        "one term added": [*before, "携帯"] if "携帯" not in before else [*before, "奥さん"],
        "one term removed": before[:-1],
        "nothing changed": before,
    }
    previous = build_neighbour_table(chive, before, min_similarity=0.4)
    # Variant wordings share one chiVe vector: ties must be broken the same way both times.
    tied = (previous.neighbour_sims[:, 0] == previous.neighbour_sims[:, 1]) & (
        previous.neighbour_ids[:, 1] >= 0
    )
    assert tied.sum() > 100
    for name, after in edits.items():
        updated = build_neighbour_table(chive, after, min_similarity=0.4, previous=previous)
        assert _same(updated, build_neighbour_table(chive, after, min_similarity=0.4)), name


def test_a_saved_table_is_reused_only_with_its_floor(chive, vocabulary, tmp_path: Path):
    table = build_neighbour_table(chive, vocabulary[:500], min_similarity=0.4)
    table.save(tmp_path / "neighbours.npz")
    loaded = NeighbourTable.load(tmp_path / "neighbours.npz")
    assert loaded.min_similarity == 0.4 and _same(loaded, table)
    assert table_fits(loaded, chive, 0.4) and not table_fits(loaded, chive, 0.5)
    higher = build_neighbour_table(chive, vocabulary[:500], min_similarity=0.5, previous=loaded)
    assert _same(higher, build_neighbour_table(chive, vocabulary[:500], min_similarity=0.5))
    assert (higher.neighbour_sims[higher.neighbour_ids >= 0] >= 0.5).all()


def test_the_table_does_not_depend_on_how_many_rows_a_product_takes(chive, vocabulary, monkeypatch):
    """Products are sized by cells, not rows, so a large vocabulary never holds a
    rows × terms block bigger than ``BLOCK_CELLS`` (the build's memory peak); the table
    must come out the same whatever the block, a last block of one row included."""
    from index.build import neighbour_build

    whole = build_neighbour_table(chive, vocabulary, min_similarity=0.4)
    assert neighbour_build.block_rows(len(vocabulary)) * len(vocabulary) <= (
        neighbour_build.BLOCK_CELLS
    )
    for rows in (7, 4096):  # 20,000 rows = 2,857 × 7 + 1
        monkeypatch.setattr(neighbour_build, "BLOCK_CELLS", rows * len(vocabulary))
        assert neighbour_build.block_rows(len(vocabulary)) == rows
        assert _same(build_neighbour_table(chive, vocabulary, min_similarity=0.4), whole), rows
