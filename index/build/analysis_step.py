"""The analyse phase of a build: Sudachi terms of every chunk, for BM25, coverage and the
trace. Chunks the previous generation analysed the same way keep their terms
(index/build/chunk_terms.py), so an edit analyses only the chunks it changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path

from index.analyzer import Analyzer
from index.build.chunk_terms import analysis_key, chunk_keys, load_terms, save_terms
from index.build.progress import NoProgress, Progress
from index.records import index_parts
from ingest.model import Chunk


def analyse_chunks(
    chunks: Sequence[Chunk], analyzer: Analyzer, advance: Callable[[int], None] | None = None
) -> tuple[list[Counter[str]], list[tuple[str, ...]]]:
    """Term counts of each chunk's indexed text (for BM25) and the terms of its own text
    (for coverage), in one pass: each distinct part (row context, title, text) is analysed
    once, and sibling chunks share their context. Sudachi does not join words across the
    line breaks between parts (632 of the 634 bundled chunks count the same terms as when
    the joined text is analysed; the other two differ by one term)."""
    terms_of = lru_cache(maxsize=4096)(lambda part: tuple(analyzer.terms(part)))
    counts: list[Counter[str]] = []
    own_terms: list[tuple[str, ...]] = []
    for start in range(0, len(chunks), 64):
        part = chunks[start : start + 64]
        counts.extend(Counter(chain.from_iterable(map(terms_of, index_parts(c)))) for c in part)
        # The text was one of the parts just analysed: read while it is still cached (after
        # the loop, past 4,096 chunks, every text was analysed a second time).
        own_terms.extend(terms_of(c.text) for c in part)
        if advance is not None:
            advance(len(part))
    return counts, own_terms


class ChunkAnalysis:
    """Every chunk's term counts and own terms, in chunk order, and how many were analysed
    now (the rest came from the previous generation)."""

    def __init__(self, chunks: Sequence[Chunk], analyzer: Analyzer, previous: Path | None) -> None:
        self.key = analysis_key(analyzer.config)
        self.ids = chunk_keys(chunks)
        self._chunks = chunks
        self._analyzer = analyzer
        self._known = load_terms(previous, self.key, set(self.ids))
        self.counts: list[Counter[str]] = []
        self.own_terms: list[tuple[str, ...]] = []
        self.analysed = 0

    @property
    def todo(self) -> int:
        return sum(1 for i in self.ids if i not in self._known)

    def run(self, progress: Progress | None = None) -> ChunkAnalysis:
        progress = progress or NoProgress()
        new = [c for c, i in zip(self._chunks, self.ids, strict=True) if i not in self._known]
        counts, own_terms = analyse_chunks(new, self._analyzer, progress.advance)
        fresh = iter(zip(counts, own_terms, strict=True))
        for chunk_id in self.ids:
            count, own = self._known.get(chunk_id) or next(fresh)
            self.counts.append(count)
            self.own_terms.append(own)
        self.analysed = len(new)
        return self

    def release(self) -> None:
        """Let the terms go once the lexical files are written: the build then waits on the
        encoder for minutes, and 29 k chunks' term counts were a quarter of its memory."""
        self.counts = []
        self.own_terms = []
        self._known = {}

    def save(self, generation: Path) -> None:
        save_terms(generation, self.key, self.ids, self.counts, self.own_terms)
