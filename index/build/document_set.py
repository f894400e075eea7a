"""Which documents the next index generation holds: the given files added or updated, every
other indexed document kept, and removals only when asked for.

``planqa index one.txt`` used to mirror its arguments, so indexing one extra file dropped
every other document. Now a file given is added or updated; a folder given is the authority
for what lies under it (a file deleted from the data folder leaves the index, as before);
documents from anywhere else stay until ``--prune`` (their file is gone) or
``planqa remove NAME`` drops them. A document is named by its file name (``Chunk.source``,
what citations show), and the manifest records the path it was read from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.manifest import read_chunks, read_manifest
from ingest.model import Chunk
from ingest.pipeline import FileResult


@dataclass
class DocumentChanges:
    """Document names by what the build did to them."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # read again, same chunks
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not among the paths given, left as is


@dataclass
class DocumentSet:
    chunks: list[Chunk]
    paths: dict[str, str]  # document name → the file it was read from
    changes: DocumentChanges


def read_generation(generation: Path | None) -> tuple[list[Chunk], dict[str, str]]:
    """A published generation's chunks and document paths (an index written before paths
    were recorded gives no paths; a damaged one gives nothing, so everything is re-read)."""
    if generation is None:
        return [], {}
    try:
        manifest = read_manifest(generation)
        chunks = read_chunks(generation)
    except (OSError, ValueError, KeyError, TypeError):
        return [], {}
    paths = manifest.get("documents")
    return chunks, dict(paths) if isinstance(paths, dict) else {}


def _under(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def plan_documents(
    previous_chunks: Sequence[Chunk],
    previous_paths: dict[str, str],
    results: Sequence[FileResult],
    given: Sequence[Path],
    *,
    fallback_dir: Path,
    prune: bool = False,
    remove: Iterable[str] = (),
) -> DocumentSet:
    """The next generation's documents from the previous one and the files just read.

    ``fallback_dir`` is where a document of an index without recorded paths is taken to
    live (the data folder: such an index was built from it)."""
    remove = set(remove)
    folders = [p.resolve() for p in given if p.is_dir()]
    read_now = {Path(r.path).resolve() for r in results}
    fresh: dict[str, tuple[str, list[Chunk]]] = {}
    for result in results:
        if result.chunks and not result.error:
            source = result.chunks[0].source
            fresh[source] = (str(Path(result.path).resolve()), list(result.chunks))

    old: dict[str, list[Chunk]] = {}
    for chunk in previous_chunks:
        old.setdefault(chunk.source, []).append(chunk)

    changes = DocumentChanges()
    documents: dict[str, tuple[str, list[Chunk]]] = {}
    for source, chunks in old.items():
        path = Path(previous_paths.get(source) or fallback_dir / source).resolve()
        if source in remove:
            changes.removed.append(source)
        elif source in fresh:
            continue
        elif _under(path, folders) and path not in read_now:
            changes.removed.append(source)  # gone from a folder that was given
        elif prune and not path.exists():
            changes.removed.append(source)
        else:
            documents[source] = (str(path), chunks)
            changes.kept.append(source)
    for source, (path, chunks) in fresh.items():
        documents[source] = (path, chunks)
        if source not in old:
            changes.added.append(source)
        elif [c.id for c in chunks] == [c.id for c in old[source]]:
            changes.unchanged.append(source)
        else:
            changes.updated.append(source)

    ordered = sorted(documents.items(), key=lambda item: (item[1][0], item[0]))
    chunks = _unique(c for _, (_, doc_chunks) in ordered for c in doc_chunks)
    return DocumentSet(chunks, {source: path for source, (path, _) in ordered}, changes)


def _unique(chunks: Iterable[Chunk]) -> list[Chunk]:
    """A chunk id hashes source, place and text: the same passage twice is indexed once."""
    return list({c.id: c for c in chunks}.values())
