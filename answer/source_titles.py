"""A document named by its title where a filter asks for its file (``source``).

A document has one title (the one it gives itself, ``Chunk.document_title``), shown by
/documents, citations and filter errors; a caller who read it there, or who knows the
report a 資料 label's page belongs to (資料1-3 → 令和5年度業務実績報告書（案）,
``Chunk.document_of``), sends that as ``source``. Both are read as the file that holds the
document, so neither is refused as a value no passage carries. Titles are compared in NFKC
without spaces (令和５年度 is 令和5年度).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Mapping, Sequence
from dataclasses import replace

from index.filters import Filters
from ingest.model import Chunk


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def sources_by_title(chunks: Sequence[Chunk]) -> dict[str, tuple[str, ...]]:
    """Each title key → the files of the documents it names, in first-seen order."""
    named: dict[str, dict[str, None]] = {}
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        for label in chunk.refs or (chunk.citation,):
            title = chunk.document_of(label)
            if title and (title, chunk.source) not in seen:
                seen.add((title, chunk.source))
                named.setdefault(_key(title), {})[chunk.source] = None
    return {key: tuple(sources) for key, sources in named.items()}


def with_titles_as_sources(
    filters: Filters, files: Container[str], titles: Mapping[str, tuple[str, ...]]
) -> Filters:
    """``filters`` with each ``source`` that is no file's name (``files``) but a document's
    title (``titles``: ``sources_by_title``, kept per index generation by the filter
    check, ``filter_match.seen_in``) read as that document's file."""
    if not filters.source:
        return filters
    sources: list[str] = []
    for value in filters.source:
        if value not in files:
            named = titles.get(_key(value))
            if named:
                sources.extend(named)
                continue
        sources.append(value)
    return replace(filters, source=tuple(dict.fromkeys(sources)))
