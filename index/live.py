"""The index the server answers from, swappable while requests are running.

A request takes a lease on the live generation (``with live.lease() as searcher``) and
answers from that one object, so a re-index (which builds a new generation and then
replaces the reference) never shows it a half-built state. A replaced generation is closed
(its Chroma system stopped, its files released) as soon as the last lease on it ends:
without that, every re-index kept the old generation's deleted files open and its memory
held for the life of the process.

A generation another process publishes (``planqa index`` run beside ``planqa serve``, as
the README's indexing steps say) is loaded too: ``follow_published`` checks the pointer
file in the background. Before, the server answered from the generation it had loaded
until a restart or ``POST /index``, and a second ``planqa index`` deleted that folder
under it (a build keeps only the live generation and the one before).
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import gc
import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.chroma_probe import ChromaProbe
from index.encoders import Encoder
from index.generations import IndexDirectory
from index.loader import load_searcher
from index.retriever import HybridSearcher
from planqa.settings import Settings

if TYPE_CHECKING:
    from index.build.builder import BuildReport

log = logging.getLogger("planqa.index")
FOLLOW_SECONDS = 2.0  # how often the server looks for a generation another process published
# s: how long a request for a deleted generation waits for a load already under way (the
# background poll may be loading the very generation that replaces it); past it, 503.
DELETED_LOAD_WAIT = 30.0


def _close(generation: _Generation) -> None:
    """Stop the generation's Chroma system, then collect: the SQLite handle lives in a Rust
    object that a reference cycle can keep (with its file open) until the next collection."""
    generation.searcher.snapshot.close()
    gc.collect()


def _return_freed_memory() -> None:
    """Free the replaced generation now and hand the memory back to the OS: its lexical
    index sits in a reference cycle (per-instance lru caches) that only a full collection
    frees, and glibc keeps freed pages of its per-thread arenas (the server's RSS grew
    ~5 MB per re-index without this)."""
    gc.collect()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class _Generation:
    searcher: HybridSearcher
    leases: int = 0
    retired: bool = False
    closed: bool = False


class LiveIndex:
    def __init__(self, settings: Settings, encoder: Encoder) -> None:
        self.settings = settings
        self.encoder = encoder
        self._lock = threading.Lock()  # one re-index at a time
        self._leases_lock = threading.Lock()
        self._current: _Generation | None = None
        self._open: list[_Generation] = []  # loaded and not closed yet, oldest first
        self._leased: contextvars.ContextVar[_Generation | None] = contextvars.ContextVar(
            f"planqa-lease-{id(self)}", default=None
        )
        chroma = settings.chroma
        self.probe = ChromaProbe(chroma.host, chroma.port) if chroma.host else None
        self._follow_stop = threading.Event()
        self._follower: threading.Thread | None = None
        self._unloadable: str | None = None  # a published generation that failed to load

    @property
    def searcher(self) -> HybridSearcher | None:
        """The searcher of the caller's lease, else the live one (not leased: a caller that
        searches with it may see it closed by a re-index; use ``lease()``)."""
        held = self._leased.get() or self._current
        return held.searcher if held is not None else None

    @contextlib.contextmanager
    def lease(self) -> Iterator[HybridSearcher | None]:
        """Hold the live generation open for the duration of one request (first switching
        to the published one if the served generation was deleted: ``follow_deleted``)."""
        if self._leased.get() is None:
            self.follow_deleted()
        with self._leases_lock:
            held = self._leased.get() or self._current
            if held is not None:
                held.leases += 1
        token = self._leased.set(held)
        try:
            yield held.searcher if held is not None else None
        finally:
            self._leased.reset(token)
            if held is not None:
                with self._leases_lock:
                    held.leases -= 1
                    closing = held.retired and held.leases == 0 and not held.closed
                    if closing:
                        self._mark_closed(held)
                if closing:
                    _close(held)

    def open_generations(self) -> int:
        """Generations whose Chroma files are still open (the live one and any replaced
        one a request still holds)."""
        with self._leases_lock:
            return len(self._open)

    def _mark_closed(self, generation: _Generation) -> None:
        generation.closed = True
        self._open = [g for g in self._open if g is not generation]

    @property
    def dense_up(self) -> bool:
        """Whether the vector store answers: the last heartbeat of the Chroma server
        (never waits); the embedded store is part of the process."""
        return self.probe is None or self.probe.up

    def deleted(self) -> Path | None:
        """The served generation's folder when it is gone from disk (a ``planqa index`` run
        elsewhere keeps only the live generation and the one before it; a person may remove
        ``var/index``): what the server answers from then no longer exists, and the trace,
        read on first use, could not be read. One ``stat``."""
        current = self._current
        if current is None:
            return None
        folder = current.searcher.snapshot.generation
        return None if folder.is_dir() else folder

    def published(self) -> Path | None:
        """The generation ``var/index/CURRENT`` names, if its folder exists."""
        return IndexDirectory(self.settings.paths.index_dir).current()

    def follow_deleted(self) -> None:
        """When the served generation was deleted, load the published one, if there is
        another (a re-index of this process, holding the lock, swaps one in itself). A
        generation that cannot be loaded is logged and the deleted one stays reported; it is
        tried again at the next request (``load_published`` with ``deleted``)."""
        gone = self.deleted()
        if gone is None:
            return
        try:
            self.load_published(deleted=gone)
        except Exception:  # a pointer file unreadable: the deletion stays reported, no crash
            log.exception("the index %s was deleted and none could be loaded", gone.name)

    def load(self) -> HybridSearcher:
        searcher = load_searcher(self.settings, self.encoder)
        self._swap(_Generation(searcher))
        return searcher

    def _swap(self, fresh: _Generation | None) -> None:
        with self._leases_lock:
            old, self._current = self._current, fresh
            if fresh is not None:
                self._open.append(fresh)
            closing = old is not None and old.leases == 0 and not old.closed
            if old is not None:
                old.retired = True
                if closing:
                    self._mark_closed(old)
        if closing:
            _close(old)

    def _loaded_name(self) -> str | None:
        current = self._current
        return current.searcher.snapshot.generation.name if current is not None else None

    def load_published(self, deleted: Path | None = None) -> bool:
        """Load the generation the pointer file names when it is not the loaded one (another
        process published it). False when it is, when none is published, or while this
        process re-indexes (its re-index loads what it publishes).

        The one loading path of a generation published elsewhere: the background poll
        (``follow_published``) calls it as it is, and marks a generation that fails to load
        so it is not tried again; ``follow_deleted`` passes the served generation's
        ``deleted`` folder, and then it loads only while that is still the one served, waits
        up to ``DELETED_LOAD_WAIT`` for a load or re-index under way, and tries again at
        every call (nothing else can answer)."""
        published = self.published()
        if published is None or published.name == self._loaded_name():
            return False
        if deleted is None and published.name == self._unloadable:
            return False
        # The served generation deleted: nothing else can answer, so wait for a load under
        # way (the poll may be loading this very generation) instead of refusing meanwhile.
        if deleted is not None:
            acquired = self._lock.acquire(timeout=DELETED_LOAD_WAIT)
        else:
            acquired = self._lock.acquire(blocking=False)
        if not acquired:
            return False
        try:
            if self._follow_stop.is_set():
                return False  # closed (``close`` sets it first): nothing may load after it
            published = self.published()
            if published is None or published.name == self._loaded_name():
                return False
            if deleted is not None:
                if self.deleted() != deleted:
                    return False
                log.warning(
                    "the index %s was deleted from disk: loading %s", deleted.name, published.name
                )
            try:
                self.load()
            except Exception as error:  # noqa: BLE001 - the loaded generation keeps answering
                if deleted is not None:
                    log.exception(
                        "the index %s was deleted and %s could not be loaded",
                        deleted.name,
                        published,
                    )
                    return False
                self._unloadable = published.name
                log.warning(
                    "索引 %s を読み込めません（今の索引で答え続けます）: %s / cannot load the "
                    "index generation %s published by another process; the loaded one keeps "
                    "answering",
                    published.name,
                    error,
                    published.name,
                )
                return False
            if deleted is None:
                log.info(
                    "loaded the index generation %s published by another process", published.name
                )
            _return_freed_memory()
            return True
        finally:
            self._lock.release()

    def follow_published(self, interval: float = FOLLOW_SECONDS) -> None:
        """Check for a generation another process published every ``interval`` seconds, in
        a background thread (the server's; stopped by ``close``)."""
        if self._follower is not None:
            return

        def follow() -> None:
            while not self._follow_stop.wait(interval):
                try:
                    self.load_published()
                except Exception:  # noqa: BLE001 - a pointer file being replaced, a full disk
                    log.debug("index pointer check failed", exc_info=True)

        self._follower = threading.Thread(target=follow, name="index-follow", daemon=True)
        self._follower.start()

    def rebuild(
        self, paths: Sequence[str | Path] | None = None, remove: Sequence[str] = ()
    ) -> BuildReport:
        """Re-index (default: the data folder) and swap the new generation in; ``remove``
        drops the documents of those names (``DELETE /documents/{name}``).

        With a Chroma server that does not answer, nothing is built
        (``ChromaUnavailableError``, also raised if it stops half-way: the build's folder
        is then removed, see ``IndexDirectory.lock``). The build half is imported here, when
        a re-index runs: answering from the index never loads it.
        """
        from index.build.builder import build_index

        with self._lock:
            if self.probe is not None and not self.probe.check_now():
                raise self.probe.error()
            report = build_index(
                list(paths or [self.settings.paths.data_dir]),
                self.settings,
                self.encoder,
                remove=remove,
            )
            current = self._current
            if current is None or current.searcher.snapshot.generation != report.generation:
                self.load()  # an unchanged index keeps the loaded generation
                _return_freed_memory()
            return report

    def close(self) -> None:
        """Stop the heartbeat and close the live generation (at shutdown)."""
        if self.probe is not None:
            self.probe.stop()
        self._follow_stop.set()
        with self._lock:  # a load the follower started ends before the generation closes
            self._swap(None)
