"""A full disk, recognised wherever a write meets it and reported as one error.

A build or an upload that runs out of space fails in many places: Python's ``OSError``
(``[Errno 28]``), ``sqlite3``'s "database or disk is full" or "disk I/O error" (the
embedding cache), Chroma's own SQLite and file copies (a list of ``[Errno 28]`` strings in
a ``shutil.Error``), in this process or in the forked Chroma writer. Each of those became a
500 or a 70-line traceback. ``disk_full_guard`` turns them into ``DiskFullError``, which the
API answers with 507 and the command line with one ``Error:`` line; the callers have already
left the previous index live and the data folder as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# Messages that name a full disk whatever the exception's type (SQLite, Rust, strings).
_FULL_MESSAGES = ("no space left on device", "disk quota exceeded", "database or disk is full")
# SQLite's SQLITE_IOERR and a short write with no errno (numpy's ``tofile``: "325120
# requested and 152544 written") are what a full disk often gives, but a failing disk gives
# them too: they count as a full disk only when the folder has less than this left.
_AMBIGUOUS = re.compile(r"disk i/o error|\d+ requested and \d+ written")
NEARLY_FULL_BYTES = 64 * 1024 * 1024


class DiskFullError(Exception):
    """The disk holding ``folder`` has no space left; nothing was changed."""

    def __init__(self, folder: Path, cause: str = "", *, index_kept: bool = True) -> None:
        self.folder = folder
        self.cause = cause
        because = f" ({cause})" if cause else ""
        kept_ja, kept_en = ("（前の索引で答え続けます）", " and the previous index keeps answering")
        if not index_kept:  # nothing was loaded (a start-up): there is no previous index
            kept_ja, kept_en = "", ""
        super().__init__(
            f"ディスクの空き容量がありません（{folder}）。空きを作ってからもう一度お試しください。"
            f"何も書き換えていません{kept_ja} / the disk holding {folder} is full{because}: "
            f"free some space and try again; nothing was changed{kept_en}"
        )


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def free_bytes(folder: Path) -> int | None:
    """Bytes an unprivileged writer can still use on ``folder``'s file system (its nearest
    existing parent's); ``None`` when it cannot be read."""
    for candidate in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            stats = os.statvfs(candidate)
            return stats.f_bavail * stats.f_frsize
    return None


def disk_full_cause(error: BaseException, folder: Path | None = None) -> str | None:
    """What in ``error`` (or what caused it) says a write was refused for lack of space
    (``No space left on device``, ``database or disk is full``), else ``None``. An
    ambiguous "disk I/O error" counts only when ``folder``'s disk is nearly full."""
    for link in _chain(error):
        if isinstance(link, DiskFullError):
            return link.cause or "disk full"
        if isinstance(link, OSError) and link.errno in _FULL_ERRNOS:
            return os.strerror(link.errno)
        message = str(link).lower()
        for text in _FULL_MESSAGES:
            if text in message:
                return text
        if folder is not None and (ambiguous := _AMBIGUOUS.search(message)):
            free = free_bytes(folder)
            if free is not None and free < NEARLY_FULL_BYTES:
                return f"{ambiguous.group()} with {free // 1024} KiB left"
    return None


@contextlib.contextmanager
def disk_full_guard(folder: Path, *, index_kept: bool = True) -> Iterator[None]:
    """Raise ``DiskFullError(folder)`` for a write refused for lack of space inside the
    block. Enter it inside any clean-up that frees space (a build's folder removed), so
    the check of an ambiguous error sees the disk as the write left it. ``index_kept``:
    whether a previous index goes on answering (not when loading one is what failed)."""
    try:
        yield
    except DiskFullError:
        raise
    except Exception as error:
        cause = disk_full_cause(error, folder)
        if cause is not None:
            raise DiskFullError(folder, cause, index_kept=index_kept) from error
        raise
