"""A build's Chroma writes in a forked process, beside the build's own work.

Importing chromadb takes about 0.9 s, more than everything else a one-file re-index does
once the encoder is loaded, and adding 10,000 vectors takes 4 s. ``planqa index`` is
single-threaded, so it forks a process that imports Chroma and prepares the collection
(index/build/chroma_write.py) on the second core while this one analyses, writes the lexical index
and embeds. The vectors reach it as they are made (``stream``: each batch the encoder's
workers return) or at the end, read from the generation's ``embeddings.npy`` (``send``).
From a threaded process (the server's re-index) forking is unsafe, a process that has
imported Chroma already gains nothing from it, and a Chroma server is written over HTTP:
those write in this process, at the end.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from index.build.chroma_write import BATCH, CollectionWriter
from index.build.forked import die_with_parent
from planqa.disk_full import DiskFullError, disk_full_cause


class ChromaWriteError(Exception):
    """The process writing the collection failed; the message says how."""


def _serve(writer: CollectionWriter, conn: Connection, parent: int) -> None:
    """The forked side: open, add vectors as they come (``rows`` messages, gathered into
    writes of ``BATCH``: Chroma spends more per write on small ones), then the rest from the
    file the ``file`` message names; close, report."""
    die_with_parent(parent)
    try:
        writer.open()
        rows: list[int] = []
        parts: list[np.ndarray] = []
        while True:
            kind, *payload = conn.recv()
            if kind == "rows":
                rows.extend(payload[0])
                parts.append(payload[1])
                if len(rows) < BATCH:
                    continue
            if rows:
                writer.add(rows, np.concatenate(parts))
                rows, parts = [], []
            if kind == "file":
                missing = writer.missing
                if missing:
                    vectors = np.load(payload[0], mmap_mode="r")
                    writer.add(missing, np.asarray(vectors[missing]))
                break
        writer.close()
        conn.send(("done", writer.manifest()))
    except (EOFError, BrokenPipeError):  # the build stopped: its folder goes with it
        writer.abandon()
    except Exception as error:
        # Checked before anything is released: a full disk must cross back as one.
        full = disk_full_cause(error, writer.generation)
        writer.abandon()
        with contextlib.suppress(OSError):
            if full is not None:
                conn.send(("disk-full", full))
            else:
                conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


class ChromaJob:
    """``CollectionWriter`` calls, run in a forked process when that is safe."""

    def __init__(self, writer: CollectionWriter) -> None:
        self.writer = writer
        self._conn: Connection | None = None
        self._process = None
        self._manifest: dict | None = None
        self._send_lock = threading.Lock()
        if writer.remote or threading.active_count() > 1 or "chromadb" in sys.modules:
            return  # (a process that has Chroma imported already writes quicker itself)
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(writer, child, os.getpid()), daemon=True
        )
        self._process.start()
        child.close()

    @property
    def forked(self) -> bool:
        return self._process is not None

    def open(self) -> None:
        """In this process: import Chroma and prepare the collection (a forked one has
        started on that already)."""
        if self._process is None:
            self.writer.open()

    def stream(self, rows: Sequence[int], vectors: np.ndarray) -> None:
        """Vectors of the chunks at ``rows``, for the forked writer to add while the build
        goes on (callable from another thread); nothing in this process."""
        if self._process is None:
            return
        assert self._conn is not None
        with self._send_lock, contextlib.suppress(BrokenPipeError, ConnectionResetError):
            # A writer that stopped has sent why: ``wait`` raises it.
            self._conn.send(("rows", list(rows), np.ascontiguousarray(vectors)))

    def send(self, path: Path, vectors: np.ndarray) -> None:
        """All the vectors (chunk order; ``path`` is where they are saved): written here at
        once, or by the forked writer while this process goes on (the ones it was not
        streamed, read from ``path``)."""
        if self._process is None:
            rows = self.writer.missing
            self.writer.add(rows, vectors[rows])
            self.writer.close()
            self._manifest = self.writer.manifest()
            return
        assert self._conn is not None
        # A short message: never blocks on a busy writer. One that stopped has sent why
        # (``wait`` raises it): a broken pipe here would end `planqa index` with no word,
        # as click takes EPIPE for its own output closed.
        with self._send_lock, contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._conn.send(("file", str(path)))

    def wait(self) -> dict:
        """The manifest's Chroma fields, once the collection is written and closed."""
        if self._manifest is None:
            assert self._conn is not None and self._process is not None
            try:
                kind, payload = self._conn.recv()
            except EOFError:
                kind, payload = "error", "the process writing Chroma stopped"
            if kind == "disk-full":
                raise DiskFullError(self.writer.settings.paths.var_dir, payload)
            if kind != "done":
                raise ChromaWriteError(f"writing the Chroma collection failed: {payload}")
            self._process.join()
            self._manifest = payload
        return self._manifest

    def abandon(self) -> None:
        """Stop after a failed build (the generation folder is removed by the caller)."""
        if self._process is None:
            self.writer.abandon()
            return
        assert self._conn is not None
        self._conn.close()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
