"""The Chroma vector store: embedded on disk by default, a Chroma server when configured.

Embeddings are always computed by us (Chroma's default embedding function downloads a
model), and telemetry is off.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.model import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _client_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def local_client(path: Path):
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_client_settings())


def http_client(host: str, port: int):
    import chromadb

    return chromadb.HttpClient(host=host, port=port, settings=_client_settings())


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
    return metadata


class ChromaStore:
    def __init__(self, client, collection_name: str) -> None:
        self.client = client
        self.collection_name = collection_name
        self.collection = client.get_or_create_collection(
            collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self._count: int | None = None  # a published generation never changes

    def add(
        self,
        chunks: Sequence[Chunk],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
    ) -> None:
        self._count = None
        batch = max(1, min(1000, int(self.client.get_max_batch_size())))
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            self.collection.add(
                ids=[c.id for c in part],
                embeddings=[list(map(float, e)) for e in embeddings[start : start + batch]],
                documents=list(documents[start : start + batch]),
                metadatas=[chunk_metadata(c) for c in part],
            )

    def count(self) -> int:
        if self._count is None:
            self._count = self.collection.count()
        return self._count

    def query(
        self, embedding: Sequence[float], n_results: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        n_results = max(1, min(n_results, self.count()))
        result = self.collection.query(
            query_embeddings=[list(embedding)],
            n_results=n_results,
            where=where or None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def drop(self) -> None:
        self.client.delete_collection(self.collection_name)
