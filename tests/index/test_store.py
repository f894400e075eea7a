"""The Chroma store over a real on-disk collection."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.store import ADD_BATCH, GET_PAGE, ChromaStore, local_client
from ingest.model import Chunk


def test_vectors_go_to_chroma_in_adds_short_enough_for_the_event_loop(tmp_path: Path):
    """Chroma's Rust bindings hold the GIL for a whole ``collection.add``; the server's
    re-index writes from a thread beside its event loop, so one add must stay small (1,000
    vectors stalled /health for over a second), and every vector must still arrive."""
    store = ChromaStore(local_client(tmp_path / "chroma"), "bounded-adds")
    sizes: list[int] = []
    add = store.collection.add

    def recording(**fields):
        sizes.append(len(fields["ids"]))
        return add(**fields)

    store.collection.add = recording
    chunks = [
        Chunk(id=f"c{i}", text=f"本文{i}", source="memo.txt", page=None, kind="text")
        for i in range(2 * ADD_BATCH + 50)
    ]
    vectors = np.random.default_rng(0).standard_normal((len(chunks), 8)).astype(np.float32)
    store.add(chunks, vectors)
    assert ADD_BATCH <= 250 and max(sizes) <= ADD_BATCH and sum(sizes) == len(chunks)
    assert store.count() == len(chunks)


def test_a_generation_s_vectors_are_read_back_in_pages(tmp_path: Path):
    """Loading a generation reads every vector from Chroma, whose bindings hold the GIL for
    a whole get: in pages, and every vector comes back as it was stored."""
    store = ChromaStore(local_client(tmp_path / "chroma"), "paged-reads")
    chunks = [
        Chunk(id=f"c{i}", text=f"本文{i}", source="memo.txt", page=None, kind="text")
        for i in range(2 * GET_PAGE + 7)
    ]
    vectors = np.random.default_rng(1).standard_normal((len(chunks), 8)).astype(np.float32)
    store.add(chunks, vectors)
    limits: list[int | None] = []
    get = store.collection.get

    def recording(**fields):
        limits.append(fields.get("limit"))
        return get(**fields)

    store.collection.get = recording
    read = store.embeddings()
    assert GET_PAGE <= 2000 and limits and all(limit and limit <= GET_PAGE for limit in limits)
    assert set(read) == {c.id for c in chunks}
    for index in (0, GET_PAGE, len(chunks) - 1):
        assert np.allclose(read[f"c{index}"], vectors[index], atol=1e-6)


def test_a_label_filter_reaches_every_label_an_answer_cites_in_chroma(tmp_path: Path):
    """An index too large for its vectors in memory filters in Chroma's ``where``: a label
    filter there finds a document's own page and a plan page an upload cites, as in memory."""
    from index.filters import Filters

    store = ChromaStore(local_client(tmp_path / "chroma"), "label-filters")
    chunks = [
        Chunk(id="plan", text="計画", source="plan.txt", page=3, kind="measure", refs=("中期P46",)),
        Chunk(id="own", text="振り返り", source="plan.txt", page=2, kind="review"),
        Chunk(id="memo", text="掲示", source="メモ.txt", page=1, kind="text", cites=("中期P46",)),
    ]
    store.add(chunks, np.eye(3, 8, dtype=np.float32))
    by_id = {chunk.id: chunk for chunk in chunks}

    def found(*labels: str) -> set[str]:
        filters = Filters(label=labels)
        hits = {chunk_id for chunk_id, _ in store.query([1.0] * 8, 10, filters.chroma_where())}
        assert hits == {i for i in by_id if filters.accepts(by_id[i])}  # as in memory
        return hits

    assert found("中期P46") == {"plan", "memo"}
    assert found("plan.txt p.2") == {"own"}
    assert found("メモ.txt p.1", "plan.txt p.2") == {"memo", "own"}
