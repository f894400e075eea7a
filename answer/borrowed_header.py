"""The header of years over a table passage that lost its own: borrowed from the passage before.

When the results report's layout breaks a table of years (a row label written down a
merged cell, 指摘／事業／所数, reads as a heading of its own), the rows after the break
become a passage without the header: 報酬関係 77,788事業所 … 75,125事業所 names no year,
and a question on one of its years was declined as not covered, or answered with no year
told.

Those rows still belong to the header above them on the page: the last header of years in
a table before them, with nothing but tables and headings between (a new sentence starts
other content). The header itself is read by ``answer.year_columns``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from answer.sentences import is_heading
from answer.year_columns import TABLE_KIND, own_header
from index.snapshot import Snapshot
from ingest.model import Chunk


def _continues_table(chunk: Chunk) -> bool:
    """Whether ``chunk`` may sit between a table's header and its further rows: another
    table passage, or a heading alone (a row label written down a merged cell)."""
    if chunk.kind == TABLE_KIND:
        return True
    lines = [line for line in chunk.text.split("\n") if line.strip()]
    return bool(lines) and all(is_heading(line) for line in lines)


def borrowed_header(chunk: Chunk, before: Iterable[Chunk]) -> str:
    """The header of years over ``chunk``'s rows when ``chunk`` is a table passage without
    one of its own: the last header of a table passage among ``before`` (the passages
    before it in the document, nearest first) on the same page, with only tables and
    headings between; '' when there is none."""
    if chunk.kind != TABLE_KIND or own_header(chunk):
        return ""
    for previous in before:
        if (previous.source, previous.page) != (chunk.source, chunk.page):
            return ""
        if not _continues_table(previous):
            return ""
        if previous.kind == TABLE_KIND and (header := own_header(previous)):
            return header
    return ""


def header_in_order(chunk: Chunk, in_order: Sequence[Chunk]) -> str:
    """``borrowed_header`` of ``chunk`` among ``in_order`` (passages in document order that
    hold it); '' when ``chunk`` is not among them."""
    ids = [c.id for c in in_order]
    if chunk.id not in ids:
        return ""
    return borrowed_header(chunk, reversed(in_order[: ids.index(chunk.id)]))


def header_in_index(chunk: Chunk, snapshot: Snapshot) -> str:
    """``borrowed_header`` of ``chunk`` among the index generation's passages."""
    position = snapshot.position.get(chunk.id)
    if position is None or chunk.kind != TABLE_KIND:
        return ""
    return borrowed_header(chunk, (snapshot.chunks[i] for i in range(position - 1, -1, -1)))
