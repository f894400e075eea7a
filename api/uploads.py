"""Uploads: a plan file sent to ``POST /documents`` → a safe name in the data folder, written
atomically, indexed, or refused with a Japanese and English reason.

Why the care: the index reads the data folder through ``ingest.pipeline.expand_paths``, which
skips hidden files (``.notes.txt``) and ``README.md``; a name stored as sent could be accepted
with 200 and never indexed. So a name is first made safe (``safe_name``) and reported back as
``stored_as``; then the bytes go to a staging folder inside the data folder (hidden, so never
indexed, and on the same file system, so the final ``os.replace`` / ``os.link`` is atomic).
A ``kill -9`` at any point leaves either the old folder or the complete new file, never half
a file the next index would read, and a journal that the next ``serve`` finishes or undoes
(api/upload_journal.py). When the re-index fails, the folder is put back as it was. A full
disk is ``DiskFullError`` (507 at the API edge). Sending the same bytes under a name that
holds them is a retry, not a conflict: it is indexed and answered as a success.
"""

from __future__ import annotations

import contextlib
import filecmp
import logging
import os
import shutil
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from api.upload_journal import UploadJournal, journaled
from index.build.builder import BuildReport
from ingest.errors import reason_en, reason_ja
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import ingest_file
from planqa.disk_full import disk_full_guard
from planqa.durable import fsync_dir
from planqa.settings import Settings

log = logging.getLogger("planqa.uploads")

STAGING_DIR = ".uploads"  # hidden: expand_paths never indexes what is being written
STALE_SECONDS = 3600  # staging left by a killed server is swept on the next upload
MAX_NAME_BYTES = 200  # under ext4's 255, with room for a suffix a copy tool might add
READ_BLOCK = 1 << 20
# Boundaries and part headers around the file in a multipart body: the body limit is the
# file limit plus this, so the file's own limit decides (with its clearer message).
MULTIPART_FRAMING_BYTES = 64 * 1024

# Names Windows reserves for devices (CON.txt cannot be created there), and the data
# folder's own description, which the index skips.
_RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(1, 10)]
    + [f"LPT{n}" for n in range(1, 10)]
)
_SKIPPED_NAMES = frozenset(["readme.md"])
# Characters Windows refuses in names; replaced so the data folder can be copied anywhere.
_UNPORTABLE = frozenset('<>:"|?*')


def _refuse(code: int, japanese: str, english: str) -> HTTPException:
    return HTTPException(code, f"{japanese} / {english}")


def _unsupported(name: str, suffix: str) -> HTTPException:
    supported = " ".join(SUPPORTED_SUFFIXES)
    return _refuse(
        status.HTTP_400_BAD_REQUEST,
        f"ファイル形式 '{suffix or '（なし）'}' は読めません（読める形式: {supported}）。"
        "そのいずれかの形式で保存して送り直してください",
        f"unsupported file type '{suffix or '(none)'}' in '{name}': planqa reads {supported}; "
        "save the file as one of them and upload it again",
    )


def safe_name(filename: str) -> str:
    """The name an upload is stored and cited under; raises a 400 for a name with nothing
    usable left (only dots, no name before the type) or an unsupported type.

    A path (``..\\..\\y.txt``, ``C:\\Users\\x\\plan.txt``) keeps its last part; control and
    invisible characters (NUL, line breaks, bidi marks that disguise a type) and characters
    Windows refuses become ``_`` or go; leading dots (hidden files the index skips) and
    trailing dots and spaces go; device names (``CON.txt``) and ``README.md`` get a ``_``;
    a very long name is cut before its type. The result is NFC (macOS sends NFD names).
    """
    shown = filename[:100]
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").split("/")[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in _UNPORTABLE or category == "Cc":
            kept.append(" " if char.isspace() else "_")
        elif category in ("Cf", "Cs", "Cn"):
            continue
        else:
            kept.append(char)
    name = " ".join("".join(kept).split()).rstrip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        if not name.strip("._ "):
            raise _no_name(shown)
        raise _unsupported(shown, "")
    suffix = f".{extension}"
    if suffix.lower() not in SUPPORTED_SUFFIXES:
        raise _unsupported(shown, suffix)
    stem = stem.strip(" .")
    if not stem.strip("_ "):
        raise _no_name(shown)
    first, dot, rest = stem.partition(".")
    if first.upper() in _RESERVED_STEMS or f"{stem}{suffix}".lower() in _SKIPPED_NAMES:
        stem = f"{first}_{dot}{rest}"  # Windows reserves LPT1.backup.txt as well
    budget = MAX_NAME_BYTES - len(suffix.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    return f"{stem.rstrip(' .')}{suffix}"


def _no_name(shown: str) -> HTTPException:
    return _refuse(
        status.HTTP_400_BAD_REQUEST,
        f"ファイル名 '{shown}' には名前の部分がありません。名前を付けて送ってください",
        f"the file name '{shown}' has no name to store it under; rename the file and upload it again",
    )


@dataclass
class StagedUpload:
    """An upload written and checked in the staging folder, not yet in the data folder."""

    name: str
    data_dir: Path
    folder: Path  # this upload's own staging folder
    replace: bool = False
    kept: bool = False  # the name already held these bytes: nothing was moved in

    @property
    def staged(self) -> Path:
        return self.folder / self.name

    @property
    def target(self) -> Path:
        return self.data_dir / self.name

    @property
    def journal(self) -> UploadJournal:
        return UploadJournal(self.folder, self.name, self.replace)

    def commit(self, replace: bool) -> Path | None:
        """Move the file into the data folder atomically; the previous file's backup, if any.

        Without ``replace`` a hard link creates the name only if it is free, so two uploads
        of one name cannot both succeed; a name holding the same bytes is kept as it is (a
        retry). The journal is written first, so a kill after it is finished or undone by
        the next ``serve``.
        """
        self.replace = replace
        journal = self.journal
        fsync_dir(self.staged)
        backup = None
        if replace:
            if self.target.exists():
                backup = journal.backup
                os.link(self.target, backup)
            journal.write()
            os.replace(self.staged, self.target)
        else:
            journal.write()
            try:
                os.link(self.staged, self.target)  # the staged name stays: undo compares them
            except FileExistsError:
                if not filecmp.cmp(self.staged, self.target, shallow=False):
                    raise _exists(self.name) from None
                self.kept = True
        fsync_dir(self.data_dir)
        return backup

    def roll_back(self, backup: Path | None = None) -> None:
        """Put the data folder back as it was before ``commit`` (a kept file stays)."""
        self.journal.undo()


def _exists(name: str) -> HTTPException:
    return _refuse(
        status.HTTP_409_CONFLICT,
        f"'{name}' は既にあります。上書きするには ?replace=true を付けてください",
        f"'{name}' exists; add ?replace=true to overwrite it",
    )


def _sweep_stale(staging: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for leftover in staging.iterdir() if staging.is_dir() else ():
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff and not journaled(leftover):
                shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _staging_folder(data_dir: Path) -> Iterator[Path]:
    staging = data_dir / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    _sweep_stale(staging)
    folder = staging / uuid.uuid4().hex
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def add_document(
    file: UploadFile,
    settings: Settings,
    replace: bool,
    rebuild: Callable[[], Awaitable[BuildReport]],
    indexed_sources: Callable[[], set[str]],
) -> tuple[str, BuildReport]:
    """Store an uploaded plan file under a safe name and re-index; (stored name, report).

    Every refusal is an ``HTTPException`` with a Japanese and English message. A failed
    re-index (``rebuild`` raises) puts the data folder back and re-raises.
    """
    name = safe_name(file.filename or "")
    data_dir = settings.paths.data_dir
    if not replace and _holds_other_bytes(data_dir / name, file.size):
        raise _exists(name)
    # The guard first: creating the staging folder can meet a full disk too.
    with disk_full_guard(data_dir), _staging_folder(data_dir) as folder:
        upload = StagedUpload(name, data_dir, folder)
        await _receive(file, upload.staged, settings.api.max_upload_bytes)
        await _check_readable(upload.staged, name, settings)
        backup = upload.commit(replace)
        try:
            report = await rebuild()
        except BaseException:
            upload.roll_back(backup)
            raise
        if name not in indexed_sources():
            # A name the index skips would be answered "200" and never found: refuse it.
            upload.roll_back(backup)
            raise _refuse(
                status.HTTP_400_BAD_REQUEST,
                f"'{name}' は索引に入らない名前です。ファイル名を変えて送ってください",
                f"'{name}' is a name the index skips; rename the file and upload it again",
            )
    return name, report


def _holds_other_bytes(target: Path, size: int | None) -> bool:
    """Whether ``target`` exists with another size than the upload's (a sure conflict,
    known before reading the upload); same size is compared byte for byte at the commit."""
    try:
        return size is not None and target.stat().st_size != size
    except FileNotFoundError:
        return False


async def _receive(file: UploadFile, staged: Path, limit: int) -> None:
    size = 0
    with staged.open("wb") as handle:
        while block := await file.read(READ_BLOCK):
            size += len(block)
            if size > limit:
                raise _refuse(
                    status.HTTP_413_CONTENT_TOO_LARGE,
                    f"'{staged.name}' は大きすぎます（上限 {limit} バイト）。ファイルを分けて"
                    "送るか、サーバーの PLANQA_API__MAX_UPLOAD_BYTES を上げてください",
                    f"'{staged.name}' is larger than {limit} bytes: split the file and upload "
                    "the parts, or raise PLANQA_API__MAX_UPLOAD_BYTES on the server",
                )
            handle.write(block)


async def _check_readable(staged: Path, name: str, settings: Settings) -> None:
    try:
        checked = await run_in_threadpool(
            ingest_file,
            staged,
            max_chars=settings.chunking.max_chars,
            max_chunk_chars=settings.chunking.max_chunk_chars,
        )
    except Exception as error:  # a parser bug must not become a 500 nor a half-indexed file
        log.exception("parsing the upload %s failed", name)
        raise _refuse(
            status.HTTP_400_BAD_REQUEST,
            f"'{name}' を解析できませんでした。テキスト（.txt）で保存し直して送ってください",
            f"{name}: the file could not be parsed ({type(error).__name__}); save it as "
            "plain text (.txt) and upload it again",
        ) from error
    if checked.error:
        raise _refuse(
            status.HTTP_400_BAD_REQUEST,
            f"'{name}' を読み込めません: {reason_ja(checked.error)}",
            f"{name}: {reason_en(checked.error)}",  # both halves say what to do
        )
