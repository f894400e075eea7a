"""The embed phase of a build: a vector for every chunk, computing only texts never seen.

A chunk's vector comes, in order, from the embedding cache (any earlier build with the same
encoder, prefix and revision, index/build/embedding_cache.py), from the previous generation (an
index built before the cache existed), or from the encoder; each distinct text is encoded
once even when several chunks carry it. New vectors go into the cache before the generation
is written, so a build killed later still leaves them for the next one.

The work is split in two so a build can analyse, and import Chroma, while worker processes
embed: ``start_vectors`` looks the texts up and hands the missing ones to the encoder, which
may start on them at once; ``PendingVectors.finish`` waits for them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from index.build.embedding_cache import EmbeddingCache, cache_path, encoder_key, revision_of
from index.build.progress import NoProgress, Progress
from index.encoders import Encoder
from index.manifest import CHUNKS, EMBEDDINGS, Manifest, read_manifest
from index.records import embedding_text
from ingest.model import Chunk

BATCH = 64  # most texts per encoder call (one progress step)
STEPS = 20  # a build shows at least about this many steps when it has that many texts


class PendingVectors:
    """The chunks' vectors, some known and the rest being (or about to be) encoded."""

    def __init__(
        self,
        texts: list[str],
        known: dict[str, np.ndarray],
        batches: list[list[str]],
        results: Iterator[np.ndarray],
        cache: EmbeddingCache,
    ) -> None:
        self.texts = texts
        self.missing = sum(map(len, batches))
        # Worker processes are encoding already: the caller can do other work meanwhile.
        self.in_background = bool(getattr(results, "background", False))
        self._known = known
        self._batches = batches
        self._results = results
        self._cache = cache
        self._forwarder: threading.Thread | None = None
        self._received: list[np.ndarray] = []
        self._failure: BaseException | None = None

    def stream(self, send: Callable[[list[int], np.ndarray], None]) -> None:
        """When the encoder's workers run in the background, call ``send(chunk rows, their
        vectors)`` from a thread: first with the vectors known already, then with each batch
        as the workers return it (a Chroma writer in another process adds them meanwhile).
        Otherwise nothing: the vectors come all at once from ``finish``."""
        if not self.in_background or self._forwarder is not None:
            return
        rows_of: dict[str, list[int]] = {}
        for row, text in enumerate(self.texts):
            rows_of.setdefault(text, []).append(row)

        def forward(texts: Sequence[str], vectors: Sequence[np.ndarray]) -> None:
            by_text = dict(zip(texts, vectors, strict=True))
            rows = [row for text in by_text for row in rows_of[text]]
            send(rows, np.asarray([by_text[self.texts[row]] for row in rows], np.float32))

        def run() -> None:
            try:
                if self._known:
                    known = list(self._known)
                    forward(known, [self._known[t] for t in known])
                for batch, vectors in zip(self._batches, self._results, strict=True):
                    self._received.append(vectors)
                    forward(batch, vectors)
            except BaseException as error:  # raised again by ``finish``
                self._failure = error

        self._forwarder = threading.Thread(target=run, name="planqa-vectors", daemon=True)
        self._forwarder.start()

    def finish(self, progress: Progress | None = None) -> tuple[np.ndarray, int]:
        """The vectors in chunk order (new ones stored in the cache first), and how many
        chunks needed the encoder."""
        progress = progress or NoProgress()
        progress.phase("embed", self.missing, "texts")
        fresh: dict[str, np.ndarray] = {}
        try:
            if self._forwarder is not None:
                self._forwarder.join()
                if self._failure is not None:
                    raise self._failure
                results: Iterator[np.ndarray] = iter(self._received)
            else:
                results = self._results
            for batch, vectors in zip(self._batches, results, strict=True):
                fresh.update(zip(batch, vectors, strict=True))
                progress.advance(len(batch))
            self._cache.put_many(fresh.items())
        finally:
            self.close()
        known = {**self._known, **fresh}
        matrix = np.asarray([known[t] for t in self.texts], dtype=np.float32)
        return matrix.reshape(len(self.texts), -1), sum(1 for t in self.texts if t in fresh)

    def close(self) -> None:
        """Stop encoding (worker processes included) and close the cache; idempotent."""
        close = getattr(self._results, "close", None)
        if close is not None:
            close()
        self._cache.close()


def start_vectors(
    chunks: Sequence[Chunk], encoder: Encoder, var_dir: Path, previous: Path | None
) -> PendingVectors:
    """Look every chunk's text up and start encoding the ones never embedded."""
    texts = [embedding_text(c) for c in chunks]
    cache = EmbeddingCache(cache_path(var_dir), encoder_key(encoder))
    try:
        known = cache.get_many(texts)
        if len(known) < len(set(texts)) and previous is not None:
            earlier = previous_vectors(previous, encoder)
            recovered = {
                t: earlier[c.id] for c, t in zip(chunks, texts, strict=True) if c.id in earlier
            }
            recovered = {t: v for t, v in recovered.items() if t not in known}
            cache.put_many(recovered.items())
            known.update(recovered)
        return _encode_missing(texts, known, encoder, cache)
    except BaseException:
        cache.close()
        raise


def start_text_vectors(texts: Sequence[str], encoder: Encoder, var_dir: Path) -> PendingVectors:
    """Look ``texts`` up in the embedding cache (the chunk vectors' cache, under the same
    key: encoder, document prefix, revision, and the text's hash) and start encoding the
    ones never embedded: the passages' sentences (index/build/dense_sentence_step.py)."""
    cache = EmbeddingCache(cache_path(var_dir), encoder_key(encoder))
    try:
        return _encode_missing(list(texts), cache.get_many(texts), encoder, cache)
    except BaseException:
        cache.close()
        raise


def _encode_missing(
    texts: list[str], known: dict[str, np.ndarray], encoder: Encoder, cache: EmbeddingCache
) -> PendingVectors:
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    batches = list(_batches(missing))
    return PendingVectors(texts, known, batches, embed_batches(encoder, batches), cache)


def chunk_vectors(
    chunks: Sequence[Chunk],
    encoder: Encoder,
    var_dir: Path,
    previous: Path | None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, int]:
    """The chunks' vectors in chunk order, and how many chunks needed the encoder."""
    return start_vectors(chunks, encoder, var_dir, previous).finish(progress)


def _batches(texts: list[str]) -> Iterator[list[str]]:
    """Batches small enough for a progress line per 10 % on a small build, at most
    ``BATCH`` (the encoder batches by tokens inside: the size barely changes its speed)."""
    size = max(1, min(BATCH, -(-len(texts) // STEPS)))
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def embed_batches(encoder: Encoder, batches: list[list[str]]) -> Iterator[np.ndarray]:
    """Each batch's vectors, in order; an encoder that can spread batches over the cores
    (``map_documents``) may start on them before the first is asked for."""
    spread = getattr(encoder, "map_documents", None)
    if spread is not None:
        return iter(spread(batches))
    return (np.asarray(encoder.embed_documents(batch), dtype=np.float32) for batch in batches)


def previous_vectors(generation: Path, encoder: Encoder) -> dict[str, np.ndarray]:
    """Chunk id → vector of a published generation built with this encoder, prefix and
    revision."""
    try:
        manifest = read_manifest(generation)
        if not same_vectors(manifest, encoder):
            return {}
        with (generation / CHUNKS).open(encoding="utf-8") as handle:
            ids = [json.loads(line)["id"] for line in handle]
        vectors = np.load(generation / EMBEDDINGS)
    except (OSError, ValueError, KeyError):
        return {}  # a damaged previous generation: embed again
    return dict(zip(ids, vectors, strict=False))


def same_vectors(manifest: Manifest, encoder: Encoder) -> bool:
    """Whether a generation's vectors are what this encoder would make now."""
    return (
        manifest.get("encoder"),
        manifest.get("document_prefix", ""),
        manifest.get("encoder_revision", ""),
    ) == (encoder.name, getattr(encoder, "document_prefix", ""), revision_of(encoder))
