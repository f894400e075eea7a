"""The Chroma vector store: embedded on disk by default, a Chroma server when configured.

Embeddings are always computed by us (Chroma's default embedding function downloads a
model), and telemetry is off.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from index.chroma_probe import ChromaUnavailableError
from ingest.model import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# Vectors per ``collection.add``. Chroma's Rust bindings hold the GIL for a whole add: in
# the server (a re-index runs in a thread beside the event loop) 1,000 vectors held it for
# ~1 s, and /health stalled 1–1.7 s at each add while a 20 MB upload was written. 200
# hold it ~0.2 s for about the same total time (bench/results/hostile_files.md).
ADD_BATCH = 200
# Vectors per ``collection.get`` when a generation is loaded, for the same reason: one get
# of 20,000 vectors held the GIL 1.1 s; pages of 1,000 hold it ~0.05 s each and take less
# time in all (0.7 s).
GET_PAGE = 1000


def _client_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def local_client(path: Path):
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_client_settings())


_http_clients: dict[tuple[str, int], Any] = {}
_http_lock = threading.Lock()


def http_client(host: str, port: int):
    """One client per server for the whole process: each ``HttpClient`` is a Chroma system
    with its own connection pool that nothing would ever stop, so a client per build or
    per generation leaks sockets across re-indexes."""
    import chromadb

    with _http_lock:
        client = _http_clients.get((host, port))
        if client is None:
            try:
                client = chromadb.HttpClient(host=host, port=port, settings=_client_settings())
            except (ValueError, httpx.HTTPError) as error:  # "Could not connect to a Chroma server"
                raise ChromaUnavailableError(host, port) from error
            _http_clients[(host, port)] = client
        return client


def _server_of(client) -> tuple[str, int] | None:
    for server, shared in _http_clients.items():
        if client is shared:
            return server
    return None


@contextlib.contextmanager
def _reaching(client) -> Iterator[None]:
    """A dropped connection to the Chroma server becomes ``ChromaUnavailableError``."""
    try:
        yield
    except httpx.HTTPError as error:
        server = _server_of(client)
        if server is None:
            raise
        raise ChromaUnavailableError(*server) from error


_readers: Counter[str] = Counter()  # open reading stores per local folder
_readers_lock = threading.Lock()


def _stop_local(client) -> None:
    """Stop a folder's Chroma system even if a client that is not a reader never gave its
    share back (the builder's, alive in some reference cycle until the collector runs)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = client._identifier
    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    system = SharedSystemClient._identifier_to_system.pop(identifier, None)
    if system is not None:
        system.stop()


def _release_reader(client, folder: str) -> None:
    with _readers_lock:
        _readers[folder] -= 1
        last = _readers[folder] <= 0
        if last:
            del _readers[folder]
    _release(client)
    if last:
        _stop_local(client)


def _release(client) -> None:
    """Give back a client's share of its Chroma system; the last share stops it, which
    closes its SQLite and HNSW files (a shared HTTP client stays open)."""
    if _server_of(client) is not None:
        return
    try:
        client.close()
    except Exception:  # already closed, or a system stopped by someone else: nothing held
        return


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Chroma metadata: scalars and string lists only, no None and no empty list."""
    metadata: dict[str, Any] = {"source": chunk.source, "kind": chunk.kind}
    if chunk.page is not None:
        metadata["page"] = chunk.page
    if chunk.section:
        metadata["section"] = chunk.section
    if chunk.title:
        metadata["title"] = chunk.title
    if chunk.refs:
        metadata["refs"] = list(chunk.refs)
    if chunk.answer_labels != chunk.refs:  # its own page, or the plan pages it cites
        metadata["labels"] = list(chunk.answer_labels)
    return metadata


class ChromaStore:
    def __init__(self, client, collection_name: str, *, reader_of: Path | None = None) -> None:
        """``reader_of``: the local folder this store only reads (a loaded generation);
        when its last reader closes, the folder's Chroma system is stopped outright."""
        self.client = client
        self.collection_name = collection_name
        # Released when the store is closed or garbage collected: a replaced generation's
        # folder is deleted by the next build, and an unreleased system keeps its files
        # open (disk and page cache never freed) for the life of the process.
        if reader_of is None:
            self._release = weakref.finalize(self, _release, client)
        else:
            folder = str(reader_of)
            with _readers_lock:
                _readers[folder] += 1
            self._release = weakref.finalize(self, _release_reader, client, folder)
        with _reaching(client):
            self.collection = client.get_or_create_collection(
                collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        self._count: int | None = None  # a published generation never changes

    def add(
        self,
        chunks: Sequence[Chunk],
        embeddings: Sequence[Sequence[float]] | np.ndarray,
        documents: Sequence[str] | None = None,
    ) -> None:
        """Store chunks with their vectors and metadata (``documents``: texts to keep in
        Chroma too; the index keeps none there, see index/build/chroma_write.py)."""
        self._count = None
        vectors = np.asarray(embeddings, dtype=np.float32)
        with _reaching(self.client):
            batch = max(1, min(ADD_BATCH, int(self.client.get_max_batch_size())))
            for start in range(0, len(chunks), batch):
                part = chunks[start : start + batch]
                texts = None if documents is None else list(documents[start : start + batch])
                self.collection.add(
                    ids=[c.id for c in part],
                    embeddings=vectors[start : start + batch].tolist(),
                    documents=texts,
                    metadatas=[chunk_metadata(c) for c in part],
                )

    def delete(self, ids: Sequence[str]) -> None:
        self._count = None
        with _reaching(self.client):
            for start in range(0, len(ids), 1000):
                self.collection.delete(ids=list(ids[start : start + 1000]))

    def count(self) -> int:
        if self._count is None:
            with _reaching(self.client):
                self._count = self.collection.count()
        return self._count

    def query(
        self, embedding: Sequence[float], n_results: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        n_results = max(1, min(n_results, self.count()))
        with _reaching(self.client):
            result = self.collection.query(
                query_embeddings=[list(embedding)],
                n_results=n_results,
                where=where or None,
                include=["distances"],
            )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def embeddings(self) -> dict[str, Any]:
        """Every stored id with its vector, a page at a time (see ``GET_PAGE``)."""
        found: dict[str, Any] = {}
        with _reaching(self.client):
            total = self.collection.count()
            for offset in range(0, total, GET_PAGE):
                got = self.collection.get(include=["embeddings"], limit=GET_PAGE, offset=offset)
                found.update(zip(got["ids"], got["embeddings"], strict=True))
        return found

    def drop(self) -> None:
        with _reaching(self.client):
            self.client.delete_collection(self.collection_name)

    def close(self) -> None:
        """Release the Chroma system now (idempotent); the store is unusable after."""
        self._release()
