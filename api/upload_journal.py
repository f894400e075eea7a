"""The journal of an upload being committed, and what ``serve`` does with one a kill left.

An upload is moved into the data folder and then indexed (api/uploads.py). A server killed
between the two (``kill -9``, the OOM killer) left the file in the data folder and not in
the index: never answered from, and its retry refused with 409. So before the move, the
upload's staging folder gets ``journal.json`` (name, replace), written durably; the folder
goes once the upload is indexed or rolled back. A journal found at start-up is an upload
cut short: ``serve`` finishes it (re-indexes the data folder, as the upload would have) while
the previous index keeps answering, or, when that fails or an earlier attempt was itself cut
short (the file may be what killed the server), undoes it (the data folder as it was before
the upload). Either way the client, which never got its answer, can send the file again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from index.generations import IndexBusyError
from planqa.durable import fsync_dir

log = logging.getLogger("planqa.uploads")

JOURNAL = "journal.json"
PREVIOUS = "previous"  # the replaced file, kept until the upload is indexed
BUSY_WAIT_SECONDS = 600.0  # a `planqa index` running at start-up is waited for, this long


@dataclass
class UploadJournal:
    """One upload's commit, as recorded in its staging folder."""

    folder: Path  # the upload's staging folder (inside the data folder's ``.uploads``)
    name: str
    replace: bool
    attempts: int = 0  # start-ups that tried to finish it

    @property
    def data_dir(self) -> Path:
        return self.folder.parent.parent

    @property
    def staged(self) -> Path:
        return self.folder / self.name

    @property
    def target(self) -> Path:
        return self.data_dir / self.name

    @property
    def backup(self) -> Path:
        return self.folder / PREVIOUS

    def write(self) -> None:
        """Record the commit durably, before the data folder changes."""
        record = {k: v for k, v in asdict(self).items() if k != "folder"}
        tmp = self.folder / f".{JOURNAL}"
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / JOURNAL)
        fsync_dir(self.folder)

    @classmethod
    def read(cls, folder: Path) -> UploadJournal | None:
        try:
            record = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
            return cls(folder, str(record["name"]), bool(record["replace"]), record["attempts"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def undo(self) -> None:
        """Put the data folder back as it was before the upload, from what is on disk:
        works at any point of the commit, in the request or after a kill."""
        if self.replace:
            if self.staged.exists():  # never moved in: the folder is as it was
                return
            if self.backup.exists():
                os.replace(self.backup, self.target)
            else:
                self.target.unlink(missing_ok=True)
        elif self.staged.exists() and self.target.exists():
            # Linked in (the same file twice) or another file of the same bytes kept.
            if os.path.samefile(self.staged, self.target):
                self.target.unlink()
        fsync_dir(self.data_dir)

    def close(self) -> None:
        """The upload is indexed or undone: its staging folder goes."""
        shutil.rmtree(self.folder, ignore_errors=True)


def journaled(staging: Path) -> bool:
    """Whether a staging folder holds the journal of a commit (never swept as stale)."""
    return (staging / JOURNAL).exists()


def interrupted_uploads(data_dir: Path, staging_dir: str) -> list[UploadJournal]:
    """The uploads a killed server left committed and not known to be indexed."""
    staging = data_dir / staging_dir
    found = []
    for folder in sorted(staging.iterdir()) if staging.is_dir() else ():
        journal = UploadJournal.read(folder) if folder.is_dir() else None
        if journal is not None:
            found.append(journal)
    return found


def _when_free(rebuild: Callable[[], object], pause: float) -> None:
    """``rebuild``, once another build (a `planqa index`) has let go of the index."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    while True:
        try:
            rebuild()
            return
        except IndexBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)


def finish_interrupted_uploads(
    data_dir: Path, staging_dir: str, rebuild: Callable[[], object], busy_pause: float = 2.0
) -> tuple[list[str], list[str]]:
    """Finish the uploads a killed server left (``rebuild``: re-index the data folder, as
    each upload would have, once no other build holds the index); undo those a failed or
    cut-short attempt leaves. Returns the names (finished, undone). Safe while serving:
    ``rebuild`` swaps the index in."""
    journals = interrupted_uploads(data_dir, staging_dir)
    retried = [j for j in journals if j.attempts > 0]
    fresh = [j for j in journals if j.attempts == 0]
    for journal in retried:  # its last attempt died: the file may be what killed it
        log.warning("undoing the upload of %s: finishing it was cut short before", journal.name)
        journal.undo()
        journal.close()
    if not fresh:
        return [], [j.name for j in retried]
    try:
        for journal in fresh:  # recorded first: a start-up killed while finishing undoes
            journal.attempts += 1
            journal.write()
        _when_free(rebuild, busy_pause)
    except Exception as error:
        log.error("undoing the uploads cut short (%s): %s", ", ".join(j.name for j in fresh), error)
        for journal in fresh:
            journal.undo()
            journal.close()
        return [], [j.name for j in journals]
    for journal in fresh:
        log.warning("finished the upload of %s, cut short by a stop of the server", journal.name)
        journal.close()
    return [j.name for j in fresh], [j.name for j in retried]
