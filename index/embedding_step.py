"""The embed phase of a build: a vector for every chunk, computing only texts never seen.

A chunk's vector comes, in order, from the embedding cache (any earlier build with the same
encoder and prefix, index/embedding_cache.py), from the previous generation (an index built
before the cache existed), or from the encoder; each distinct text is encoded once even
when several chunks carry it. New vectors go into the cache before the generation is
written, so a build killed later still leaves them for the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from index.embedding_cache import EmbeddingCache, cache_path, model_key
from index.encoders import Encoder
from index.progress import NoProgress, Progress
from index.records import embedding_text
from ingest.model import Chunk

BATCH = 64  # most texts per encoder call (one progress step)
STEPS = 20  # a build shows at least about this many steps when it has that many texts


def chunk_vectors(
    chunks: Sequence[Chunk],
    encoder: Encoder,
    var_dir: Path,
    previous: Path | None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, int]:
    """The chunks' vectors in chunk order, and how many chunks needed the encoder."""
    progress = progress or NoProgress()
    texts = [embedding_text(c) for c in chunks]
    prefix = getattr(encoder, "document_prefix", "")
    with EmbeddingCache(cache_path(var_dir), model_key(encoder.name, prefix)) as cache:
        known = cache.get_many(texts)
        if len(known) < len(set(texts)) and previous is not None:
            earlier = previous_vectors(previous, encoder.name, prefix)
            recovered = {
                t: earlier[c.id] for c, t in zip(chunks, texts, strict=True) if c.id in earlier
            }
            recovered = {t: v for t, v in recovered.items() if t not in known}
            cache.put_many(recovered.items())
            known.update(recovered)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        progress.phase("embed", len(missing), "texts")
        fresh: dict[str, np.ndarray] = {}
        batches = list(_batches(missing))
        for batch, vectors in zip(batches, embed_batches(encoder, batches), strict=True):
            fresh.update(zip(batch, vectors, strict=True))
            progress.advance(len(batch))
        cache.put_many(fresh.items())
    known.update(fresh)
    matrix = np.asarray([known[t] for t in texts], dtype=np.float32)
    return matrix.reshape(len(texts), -1), sum(1 for t in texts if t in fresh)


def _batches(texts: list[str]) -> Iterator[list[str]]:
    """Batches small enough for a progress line per 10 % on a small build, at most
    ``BATCH`` (the encoder batches by tokens inside: the size barely changes its speed)."""
    size = max(1, min(BATCH, -(-len(texts) // STEPS)))
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def embed_batches(encoder: Encoder, batches: list[list[str]]) -> Iterator[np.ndarray]:
    """Each batch's vectors, in order; an encoder that can spread batches over the cores
    (``map_documents``) does so."""
    spread = getattr(encoder, "map_documents", None)
    if spread is not None:
        yield from spread(batches)
        return
    for batch in batches:
        yield np.asarray(encoder.embed_documents(batch), dtype=np.float32)


def previous_vectors(
    generation: Path, encoder_name: str, document_prefix: str = ""
) -> dict[str, np.ndarray]:
    """Chunk id → vector of a published generation built with this encoder and prefix."""
    try:
        manifest = json.loads((generation / "manifest.json").read_text())
        if (manifest.get("encoder"), manifest.get("document_prefix", "")) != (
            encoder_name,
            document_prefix,
        ):
            return {}
        with (generation / "chunks.jsonl").open(encoding="utf-8") as handle:
            ids = [json.loads(line)["id"] for line in handle]
        vectors = np.load(generation / "embeddings.npy")
    except (OSError, ValueError, KeyError):
        return {}  # a damaged previous generation: embed again
    return dict(zip(ids, vectors, strict=False))
