"""A ceiling on every chunk's size, whatever a file holds.

Parsers keep a sentence whole, and the overview parser keeps a ● item whole: right for the
plans, where both are a few hundred characters. A user file of run-on text (a title
repeated, a CSV export with no 。) is one "sentence" of millions of characters, and one
chunk of that size made the encoder ask for a 20 GB array (issue 21, row 1). So after
parsing, any chunk longer than ``max_chunk_chars`` is cut into pieces that are each a
verbatim substring of it: at a sentence end where there is one, else at a line break, a
comma or a space, else between two characters. Each piece keeps the chunk's page, heading
path and plan-page labels, so it is cited like the chunk it came from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from ingest.model import Chunk, chunk_id

# Break points, best first: after a sentence end (with the closing brackets after it), after
# a line break, after a Japanese or Latin comma, before a space.
_BREAKS = (
    re.compile(r"[。！？!?][」』）)\]】]*"),
    re.compile(r"\n"),
    re.compile(r"[、，,;；]"),
    re.compile(r"[ \u3000\t]"),
)
# A cut never falls inside a bracketed plan reference ([中期P46], 【資料1-3 P6】).
_LONGEST_REF = 42
_BRACKET_RE = re.compile(r"\[[^\[\]\n]{1,40}\]|【[^【】\n]{1,40}】")
# A break point before this share of the window would make a needlessly short piece.
_MIN_SHARE = 0.5
MAX_CHUNK_CHARS = 1000  # the default of settings.chunking.max_chunk_chars


def bounded(chunks: Iterable[Chunk], max_chunk_chars: int) -> list[Chunk]:
    """The chunks with every one longer than ``max_chunk_chars`` cut into pieces."""
    out: list[Chunk] = []
    for chunk in chunks:
        if len(chunk.text) <= max_chunk_chars:
            out.append(chunk)
            continue
        for number, text in enumerate(pieces(chunk.text, max_chunk_chars), start=1):
            locator = f"{chunk.locator}/part{number}"
            out.append(
                dataclasses.replace(
                    chunk,
                    id=chunk_id(chunk.source, locator, text),
                    text=text,
                    locator=locator,
                )
            )
    return out


def pieces(text: str, limit: int) -> Iterator[str]:
    """Verbatim pieces of ``text``, each at most ``limit`` characters, blank ones dropped."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    start = 0
    while start < len(text):
        end = start + limit if len(text) - start > limit else len(text)
        if end < len(text):
            end = _break_before(text, start, end)
        piece = text[start:end].strip()
        if piece:
            yield piece
        start = end


def _break_before(text: str, start: int, end: int) -> int:
    """The best cut in ``text[start:end]``: the last break point of the best kind found in its
    second half, outside a bracketed reference; ``end`` itself when there is none."""
    floor = start + max(1, int((end - start) * _MIN_SHARE))
    window = text[start:end]
    nearby = text[start : end + _LONGEST_REF]  # a reference may run past the window's end
    protected = [(m.start() + start, m.end() + start) for m in _BRACKET_RE.finditer(nearby)]
    for pattern in _BREAKS:
        for match in reversed(list(pattern.finditer(window))):
            cut = match.end() + start if pattern is not _BREAKS[-1] else match.start() + start
            if cut < floor:
                break
            if not any(low < cut < high for low, high in protected):
                return cut
    # No break point: cut between characters, but not inside a reference that starts early
    # enough to move before it.
    for low, high in protected:
        if low < end < high and low > floor:
            return low
    return end
