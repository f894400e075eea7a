"""The header of years over a table passage that lost its own: borrowed from the passage before.

When the results report's layout breaks a table of years (a row label written down a
merged cell, 指摘／事業／所数, reads as a heading of its own), the rows after the break
become a passage without the header: 報酬関係 77,788事業所 … 75,125事業所 names no year,
and a question on one of its years was declined as not covered, or answered with no year
told.

Those rows still belong to the header above them on the page: the last header of years in
a table before them, with nothing but tables and headings between (a new sentence starts
other content). The header itself is read by ``answer.year_columns``.

A table whose cells the layout wrote one per line can be taken for text: 新規適用事業所数
146,533事業所(91,342事業所), then 120,898事業所(99,682事業所) … one line per year, with no
sentence among them, lands in a results passage after the header's own table passage. Such a
passage of figure lines is read as the table's rows it is: a table states, a sentence of
the report ends with 。.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from answer.sentences import is_heading
from answer.year_columns import FIGURE, HEADER_YEARS, TABLE_KIND, own_header
from index.snapshot import Snapshot
from ingest.model import Chunk

# A line of a table's rows without a figure is a row's label (新規適用被保険者数): short.
ROW_LABEL_CHARS = 20


def holds_rows(chunk: Chunk) -> bool:
    """Whether ``chunk`` is a table's rows: a table passage, or a passage of lines each a
    figure row or a short row label, with no sentence (。) and at least as many figure
    lines as a header of years has columns (``HEADER_YEARS``)."""
    if chunk.kind == TABLE_KIND:
        return True
    lines = [line.strip() for line in chunk.text.split("\n") if line.strip()]
    if any("。" in line for line in lines):
        return False
    figured = [line for line in lines if FIGURE.search(line)]
    return len(figured) >= HEADER_YEARS and all(
        line in figured or len(line) <= ROW_LABEL_CHARS for line in lines
    )


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
    if not holds_rows(chunk) or own_header(chunk):
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
    if position is None or not holds_rows(chunk):
        return ""
    return borrowed_header(chunk, (snapshot.chunks[i] for i in range(position - 1, -1, -1)))
