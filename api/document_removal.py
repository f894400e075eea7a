"""Deleting an uploaded document (``DELETE /documents/{name}``): its file leaves the data
folder and its passages leave the live index, or the request is refused in Japanese and
English with what to do instead.

Why the bundled plans are refused: they are the product's corpus, shipped in the repository's
``data/plans/``; one HTTP call with the write key should not be able to empty the service of
the plans every answer cites. Changing that set is an operator's act on the server
(``planqa remove NAME --delete-file``), as ``planqa remove`` is the one path that drops a
document today; this route reuses its build (``remove=``) rather than a second way.

The file is moved into the hidden staging folder first (the index never reads it) and put
back if the re-index fails, so a failed delete leaves the folder and the index as they were.
A file indexed from outside the data folder is dropped from the index and left on disk, as
``planqa remove`` without ``--delete-file`` leaves it: the server deletes only what lies in
its own data folder.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import HTTPException, status

from api.uploads import STAGING_DIR, _staging_folder
from index.build.builder import BuildReport
from ingest.model import SHORT_NAMES

# The plans shipped with planqa, named as ``planqa index`` names them: the documents with
# their own parsers (``ingest.model.SHORT_NAMES``). Not whatever the data folder holds: under
# ``make run`` the server serves the repository's data/plans/, where uploads are stored too,
# and an upload is its uploader's to delete.
BUNDLED = frozenset(SHORT_NAMES)


def bundled_names() -> frozenset[str]:
    """The file names of the bundled plans."""
    return BUNDLED


def _unknown(name: str) -> HTTPException:
    return HTTPException(
        status.HTTP_404_NOT_FOUND,
        f"'{name}' という文書は索引にありません。GET /documents で文書の名前（source）を確かめて"
        f"から、その名前で送ってください / no indexed document is named '{name}': "
        "GET /documents lists the names (its 'source' field); send one of them",
    )


def _bundled(name: str) -> HTTPException:
    return HTTPException(
        status.HTTP_403_FORBIDDEN,
        f"'{name}' は同梱の計画文書なので HTTP では削除できません。同梱の文書を変えるには、"
        f"サーバーで planqa remove '{name}' --delete-file を実行してください / '{name}' is "
        "one of the bundled plans and cannot be deleted over HTTP; to change the bundled set, "
        f"run 'planqa remove \"{name}\" --delete-file' on the server",
    )


async def delete_document(
    name: str,
    data_dir: Path,
    indexed_sources: set[str],
    rebuild: Callable[[list[str]], Awaitable[BuildReport]],
    bundled: frozenset[str] | None = None,
) -> BuildReport:
    """Drop the document ``name`` (a ``source`` of ``GET /documents``) from the index and
    delete its file from the data folder; the build report.

    Raises a bilingual 404 for a name the index does not hold and 403 for a bundled plan.
    ``rebuild(remove)`` re-indexes the data folder without those documents; when it
    raises, the file is put back and the error re-raised."""
    if name not in indexed_sources:
        raise _unknown(name)
    if name in (bundled_names() if bundled is None else bundled):
        raise _bundled(name)
    path = data_dir / name
    if Path(name).name != name or name.startswith(".") or name == STAGING_DIR:
        path = None  # never a path outside the folder nor the staging folder itself
    if path is None or not path.is_file():
        return await rebuild([name])
    with _staging_folder(data_dir) as folder:
        aside = folder / name
        os.replace(path, aside)
        try:
            report = await rebuild([name])
        except BaseException:
            with contextlib.suppress(OSError):
                os.replace(aside, path)
            raise
    return report
