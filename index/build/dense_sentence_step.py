"""The passages' sentences embedded by the dense encoder (index/dense_sentences.py).

Started beside the chunk vectors, before anything else runs in a thread, so a use-m3 build
spreads both over its worker processes while this process analyses; finished after them.
The sentences go through the embedding cache the chunk vectors use, under the same key (the
encoder's name, its document prefix and revision, and the SHA-256 of the text): a rebuild
of unchanged documents encodes none of them. A sentence that is a whole chunk's text takes
that chunk's vector: encoded apart, in another batch, its vector would differ in the last
bits and, written to the cache after the chunk's, change the chunk's vector at the next
build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from index.build.embedding_cache import encoder_key, revision_of
from index.build.embedding_step import PendingVectors, start_text_vectors
from index.dense_sentences import DenseSentences, passage_sentences
from index.encoders import Encoder
from index.records import embedding_text
from ingest.model import Chunk


class PendingSentences:
    """The sentence vectors being encoded; ``finish`` saves them with the generation."""

    def __init__(self, chunks: Sequence[Chunk], encoder: Encoder, var_dir: Path) -> None:
        self.texts = passage_sentences(chunks)
        self.encoder = encoder_key(encoder)
        self._name, self._revision = encoder.name, revision_of(encoder)
        self._dim = encoder.dim
        chunk_texts = {embedding_text(c) for c in chunks}
        self._own = [t for t in self.texts if t not in chunk_texts]
        self._pending: PendingVectors | None = (
            start_text_vectors(self._own, encoder, var_dir) if self._own else None
        )

    @property
    def missing(self) -> int:
        """How many sentences the encoder is asked for (the rest were in the cache)."""
        return self._pending.missing if self._pending is not None else 0

    def finish(self, generation: Path, chunk_vectors: Mapping[str, np.ndarray]) -> int:
        """Wait for the vectors, save them (a chunk's own text with ``chunk_vectors``, its
        vector by text); how many sentences needed the encoder."""
        if self._pending is None:
            own, embedded = np.zeros((0, self._dim), dtype=np.float32), 0
        else:
            own, embedded = self._pending.finish()
        by_text = dict(zip(self._own, own, strict=True))
        vectors = np.asarray(
            [by_text[t] if t in by_text else chunk_vectors[t] for t in self.texts],
            dtype=np.float32,
        ).reshape(len(self.texts), self._dim)
        stored = DenseSentences(self.texts, vectors, self.encoder, self._name, self._revision)
        stored.save(generation)
        return embedded

    def close(self) -> None:
        if self._pending is not None:
            self._pending.close()
