"""Writing a generation's Chroma collection, rewriting only what changed when it can.

An embedded (on-disk) collection is read by the server, and reading writes: Chroma replays
its log into the HNSW files when a client opens them. So a build never copies the live
``chroma`` folder (a reader may be rewriting it); it leaves beside it a spare copy,
``chroma-base``, made right after writing and never opened by a reader. The next build
copies that spare into its own generation and applies only the deletes and adds, so each
generation stays complete and the previous one is never touched. Without a usable spare
(the first build, another encoder, a Chroma server, a spare that does not hold what its
manifest says, or once half the collection has been replaced since its last full write,
to keep deleted HNSW entries from piling up) the collection is written whole.

The chunk texts are not stored in Chroma: nothing reads them there (the text is in
``chunks.jsonl``), and Chroma's full-text index of them was two thirds of the write.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.manifest import Manifest
from index.records import embedding_text
from index.store import ChromaStore, chunk_metadata, http_client, local_client
from ingest.model import Chunk
from planqa.disk_full import DiskFullError, disk_full_cause
from planqa.settings import Settings

BASE = "chroma-base"
BATCH = 1000  # chunks per Chroma write: one progress step


def collection_name(generation: Path) -> str:
    return "planqa-" + generation.name.removeprefix("gen-")


def _signature(chunk: Chunk) -> tuple:
    """What the collection holds of a chunk besides its id: metadata and the embedded text."""
    return chunk_metadata(chunk), embedding_text(chunk)


class CollectionWriter:
    """One build's collection: ``open`` (import Chroma, take the spare, delete what went),
    ``add`` (the vectors of what is new, in any number of parts), ``close`` (and leave the
    next spare)."""

    def __init__(
        self,
        settings: Settings,
        generation: Path,
        chunks: Sequence[Chunk],
        *,
        previous: Path | None = None,
        previous_manifest: Manifest | None = None,
        previous_chunks: Sequence[Chunk] = (),
    ) -> None:
        self.settings = settings
        self.generation = generation
        self.chunks = chunks
        self.remote = bool(settings.chroma.host)
        self.store: ChromaStore | None = None
        self.collection_name = collection_name(generation)
        self.incremental = False
        self.churn = 0  # chunks replaced since the collection was last written whole
        self._to_add = list(range(len(chunks)))
        self._added: set[int] = set()
        self._to_delete: list[str] = []
        manifest = previous_manifest or {}
        base = previous / BASE if previous is not None else None
        if self.remote or base is None or not base.is_dir() or not manifest.get("collection"):
            return
        old = {c.id: _signature(c) for c in previous_chunks}
        if len(old) != manifest.get("chunks"):
            return
        kept = {c.id for c in chunks if old.get(c.id) == _signature(c)}
        churn = int(manifest.get("chroma_churn", 0)) + len(old) - len(kept)
        if churn * 2 > len(chunks):
            return
        self.incremental = True
        self.churn = churn
        self._base = base
        self._name = str(manifest["collection"])
        self._expected = len(old)
        self._to_add = [i for i, c in enumerate(chunks) if c.id not in kept]
        self._to_delete = [i for i in old if i not in kept]

    def open(self) -> None:
        """Import Chroma and make the collection ready for ``add`` (the slow part of a small
        build: call it while the encoder works)."""
        if self.incremental:
            self.store = self._open_spare()
            if self.store is not None:
                self.collection_name = self._name
                return
            self.incremental = False
            self.churn = 0
            self._to_add = list(range(len(self.chunks)))
        if self.remote:
            client = http_client(self.settings.chroma.host, self.settings.chroma.port)
        else:
            client = local_client(self.generation / "chroma")
        self.store = ChromaStore(client, self.collection_name)

    def _open_spare(self) -> ChromaStore | None:
        folder = self.generation / "chroma"
        try:
            shutil.copytree(self._base, folder)
            store = ChromaStore(local_client(folder), self._name)
            if store.count() != self._expected:
                store.close()
                raise ValueError("the spare collection does not hold its generation")
            if self._to_delete:
                store.delete(self._to_delete)
        except Exception as error:  # a damaged or unreadable spare: write the collection whole
            full = disk_full_cause(error, self.generation)  # unless the disk is full
            shutil.rmtree(folder, ignore_errors=True)
            if full is not None:
                raise DiskFullError(self.settings.paths.var_dir, full) from error
            return None
        return store

    @property
    def to_add(self) -> list[int]:
        """Positions (in chunk order) of the chunks whose vectors the collection lacks;
        final once ``open`` has run."""
        return list(self._to_add)

    @property
    def missing(self) -> list[int]:
        """``to_add`` less what ``add`` has stored."""
        return [row for row in self._to_add if row not in self._added]

    def add(self, rows: Sequence[int], vectors: np.ndarray) -> int:
        """Store the vectors of chunks at ``rows`` (one vector each, in that order) that
        the collection lacks and has not been given yet; how many were stored."""
        assert self.store is not None, "open() first"
        wanted = set(self._to_add) - self._added
        chosen = [n for n, row in enumerate(rows) if row in wanted]
        for start in range(0, len(chosen), BATCH):
            part = chosen[start : start + BATCH]
            self.store.add([self.chunks[rows[n]] for n in part], vectors[part])
        self._added.update(rows[n] for n in chosen)
        return len(chosen)

    def close(self) -> None:
        """Release the collection; an embedded one is then copied to the spare."""
        if self.store is None:
            return
        self.store.close()
        self.store = None
        if not self.remote:
            shutil.copytree(self.generation / "chroma", self.generation / BASE)

    def abandon(self) -> None:
        """Release the collection after a failed build (its folder goes with the build)."""
        if self.store is not None:
            self.store.close()
            self.store = None

    def manifest(self) -> dict:
        return {
            "collection": self.collection_name,
            "chroma": "http" if self.remote else "local",
            "chroma_churn": self.churn,
        }
