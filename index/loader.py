"""One call from settings to a ready searcher (used by the CLI, the app and the eval)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from index.encoders import Encoder
from index.retriever import HybridSearcher, default_dense_weight
from index.snapshot import open_snapshot
from ingest.model import Chunk
from ingest.sudachi import split_sentences
from planqa.disk_full import disk_full_guard
from planqa.settings import Settings


def load_searcher(settings: Settings, encoder: Encoder) -> HybridSearcher:
    """The live generation, ready to search; ``DiskFullError`` when the disk is too full to
    open it (opening Chroma writes: it replays its log into the vector files)."""
    with disk_full_guard(settings.paths.var_dir, index_kept=False):
        snapshot = open_snapshot(settings, encoder.name)
    weight = settings.retrieval.dense_weight
    if weight is None:
        weight = default_dense_weight(encoder.name)
    searcher = HybridSearcher(snapshot, encoder if weight > 0 else None, settings.retrieval)
    # An answer reads the terms of each candidate passage's sentences and headings: 1,981
    # Sudachi analyses for the bundled plans, 0.8 s, that the first questions after a
    # start or a re-index would otherwise pay (the cache is shared across generations).
    snapshot.lexical.analyzer.warm(_passage_texts(snapshot.chunks))
    _ = snapshot.plain_text  # the plans' text as unknown-term checks read it (0.05 s)
    _ = snapshot.dense_sentences  # the passages' sentence vectors, when stored
    return searcher


def _passage_texts(chunks: Sequence[Chunk]) -> Iterator[str]:
    """The sentences and headings answers read, distinct, in document order."""
    seen: set[str] = set()
    for chunk in chunks:
        for text in (chunk.headings, *split_sentences(chunk.text)):
            if len(text) > 1 and text not in seen:
                seen.add(text)
                yield text
