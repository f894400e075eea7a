"""Atomic index generations: build in a new folder, then swap one pointer file.

``var/index/CURRENT`` names the live generation. A build writes everything into a fresh
``gen-…`` folder and only then replaces CURRENT with ``os.replace`` (atomic on POSIX), so a
reader never sees a half-built index, and a build killed at any point leaves the previous
generation live. One build at a time: an exclusive ``flock`` on ``var/index/.lock``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from planqa.durable import fsync_dir

POINTER = "CURRENT"
HISTORY = "HISTORY"  # published generations, oldest first
_held: set[int] = set()  # descriptors of the locks this process holds


def _forget_locks() -> None:
    """In a forked child: close its copies of the held locks' descriptors. An ``flock``
    lasts while any copy is open, so a child outliving its build (the encoder's workers,
    the Chroma writer) would otherwise keep the index locked."""
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks)


def _append_line(path: Path, line: str) -> None:
    """Append a whole line or nothing: a write cut short (a full disk) is taken back, so the
    next line does not run on from half a name. (An unpublished name here is skipped: its
    folder is gone.)"""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        end = os.fstat(descriptor).st_size
        data = f"{line}\n".encode()
        try:
            if os.write(descriptor, data) < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        except OSError:
            os.ftruncate(descriptor, end)
            raise
    finally:
        os.close(descriptor)


class IndexBusyError(Exception):
    """Another ``planqa index`` is running on the same folder."""


class IndexDirectory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._unpublished: list[Path] = []  # made under the lock, not published yet

    def current(self) -> Path | None:
        pointer = self.root / POINTER
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        path = self.root / name
        return path if name and path.is_dir() else None

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        path = self.root / name
        path.mkdir()
        self._unpublished.append(path)
        return path

    def publish(self, generation: Path) -> None:
        """Make ``generation`` the live one. Every write that can fail (a full disk) comes
        before the pointer is replaced: a failed publish leaves the previous one live."""
        _append_line(self.root / HISTORY, generation.name)
        tmp = self.root / f".{POINTER}.{uuid.uuid4().hex[:6]}"
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                handle.write(generation.name + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.root / POINTER)
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(self.root)
        self._unpublished = [p for p in self._unpublished if p != generation]

    def previous(self) -> Path | None:
        """The generation published before the live one, if it still exists."""
        history = self.root / HISTORY
        if not history.exists():
            return None
        names = [n for n in history.read_text(encoding="utf-8").split() if n]
        live = self.current()
        earlier = [n for n in names if live is None or n != live.name]
        for name in reversed(earlier):
            if (self.root / name).is_dir():
                return self.root / name
        return None

    def cleanup(self) -> list[Path]:
        """Remove every generation but the live one and the one before it (a reader may
        still hold it). Call it under the lock: folders of a killed build go too."""
        keep = {p for p in (self.current(), self.previous()) if p is not None}
        removed = []
        for path in self.root.glob("gen-*"):
            if path.is_dir() and path not in keep:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        return removed

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise IndexBusyError(
                    f"another 'planqa index' is running on {self.root}; wait for it to finish"
                ) from error
            _held.add(handle.fileno())
            try:
                yield
            except BaseException:
                # A build that fails (a Chroma server gone, a full disk) leaves no folder.
                for path in self._unpublished:
                    shutil.rmtree(path, ignore_errors=True)
                self._unpublished = []
                raise
            finally:
                _held.discard(handle.fileno())
                fcntl.flock(handle, fcntl.LOCK_UN)
