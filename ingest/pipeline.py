"""Files → chunks: expand paths, load, pick a parser, collect results and failures.

A bad file never stops the run: its error is recorded and the other files are ingested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.bounds import MAX_CHUNK_CHARS, bounded
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.model import Chunk
from ingest.parsers import choose_parser
from ingest.titles import with_titles


@dataclass(slots=True)
class FileResult:
    path: str
    format: str | None = None
    pages: int = 0
    chunks: list[Chunk] = field(default_factory=list)
    error: str | None = None

    @property
    def kinds(self) -> Counter[str]:
        return Counter(chunk.kind for chunk in self.chunks)

    @property
    def refs(self) -> set[str]:
        return {ref for chunk in self.chunks for ref in chunk.refs}


@dataclass(slots=True)
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def chunks(self) -> list[Chunk]:
        return [chunk for result in self.files for chunk in result.chunks]

    @property
    def failures(self) -> list[FileResult]:
        return [result for result in self.files if result.error]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Paths and directories → plan files (sorted), plus failures for paths that yield none.

    Files named explicitly are kept whatever their suffix so the loader can say why it
    refuses them; in directories only supported suffixes are taken (README.md excluded).
    """
    files: list[Path] = []
    failures: list[FileResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                supported = " ".join(SUPPORTED_SUFFIXES)
                failures.append(
                    FileResult(str(path), error=f"no plan files ({supported}) in this directory")
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            failures.append(FileResult(str(path), error="no such file or directory"))
    unique = list(dict.fromkeys(files))
    return unique, failures


def ingest_file(
    path: Path, *, max_chars: int = 400, max_chunk_chars: int = MAX_CHUNK_CHARS
) -> FileResult:
    """One file's chunks, none longer than ``max_chunk_chars`` (ingest/bounds.py)."""
    try:
        doc = load_document(path)
    except IngestError as error:
        return FileResult(str(path), error=error.reason)
    parser = choose_parser(doc)
    parsed = parser.parse(doc, max_chars=max_chars)
    chunks = with_titles(bounded(parsed, max(max_chunk_chars, max_chars)), doc)
    if not chunks:
        return FileResult(
            str(path), format=parser.NAME, pages=len(doc.pages), error="no text to index"
        )
    return FileResult(str(path), format=parser.NAME, pages=_page_count(chunks, doc), chunks=chunks)


def _page_count(chunks: list[Chunk], doc) -> int:
    pages = {chunk.page for chunk in chunks if chunk.page is not None}
    return max(len(doc.pages), len(pages))


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    max_chars: int = 400,
    max_chunk_chars: int = MAX_CHUNK_CHARS,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest every plan file under ``paths``; never raises for a bad file."""
    files, failures = expand_paths(paths)
    report = IngestReport(files=list(failures))
    for path in files:
        result = ingest_file(path, max_chars=max_chars, max_chunk_chars=max_chunk_chars)
        report.files.append(result)
        if on_file:
            on_file(result)
    return report
