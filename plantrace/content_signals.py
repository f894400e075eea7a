"""What a measure shares with a results section beyond the area both are filed under.

The structure prior (the plan area names the section) finds a measure's home section; a
measure also continues sections of other areas when its content is their subject: an
electronic application planned under 年金給付 is reported under ICT化の推進, a manual for
the benefit staff under 業務の合理化. Five signals read that content, each as a share of the
measure's best section (a long measure shares more words with every section than a short
one; what tells the sections apart is how each compares with the best):

- ``coverage``: how much of the measure's words (IDF-weighted presence) the section's own
  text holds anywhere;
- ``recurrence``: the same over the section's two closest passages, so a scheme the section
  reports on twice (plan and result) outweighs words scattered over its slides;
- ``title``: the rarest word of the measure that one of the section's headings names (a
  subsection's or a table's title): a scheme or system named in a heading is that part's
  subject;
- ``meaning``: the chiVe similarity of the measure with the section's three closest
  passages (the mean of their sentences' SIF vectors), for the same thing in other words;
- ``subsection_coverage``: ``coverage`` over the section's best subsection (its passages
  under one heading below the section's: 事務センター, 業務の合理化) instead of the whole
  section: a continuation is often one subsection of another area's section (the manual of
  業務の合理化, the outsourcing of 事務センター), and a large section holds every word of
  a measure somewhere. A section with no subsection headings is its own one part.

The fitted linker (plantrace/link_model.py) weighs them with the structure prior.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ingest.model import Chunk
from ingest.sudachi import split_sentences
from plantrace.model import Section

SIGNALS = ("coverage", "recurrence", "title", "meaning", "subsection_coverage")
_RECURRING = 2  # passages whose shares make the recurrence
_CLOSEST = 3  # passages whose chiVe similarities make the meaning
_UNTITLED = "図表"  # a chart's placeholder heading, not a title


class SectionContent:
    """The sections' words, headings and passage vectors, read once for every measure."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        sections: Sequence[Section],
        own_sets: Sequence[frozenset[str]],
        idf: dict[str, float],
        terms: Callable[[str], list[str]],
        vectors: np.ndarray,
    ) -> None:
        position = {chunk.id: i for i, chunk in enumerate(chunks)}
        self.own_sets = own_sets
        self.idf = idf
        self.vectors = vectors
        self.rows = [[position[cid] for cid in s.chunk_ids] for s in sections]
        self.words = [frozenset().union(*(own_sets[r] for r in rows)) for rows in self.rows]
        self.subsection_words = [
            [frozenset().union(*(own_sets[r] for r in part)) for part in _subsections(chunks, rows)]
            for rows in self.rows
        ]
        self.titles = [
            [frozenset(terms(title)) for title in _titles([chunks[r] for r in rows])]
            for rows in self.rows
        ]

    def signals(self, measure_row: int) -> np.ndarray:
        """Sections × SIGNALS for one measure (by its chunk row), each column relative to
        its best section."""
        words = self.own_sets[measure_row]
        weight = sum(self.idf.get(t, 0.0) for t in words) or 1.0
        table = np.zeros((len(self.rows), len(SIGNALS)))
        for k, rows in enumerate(self.rows):
            table[k, 0] = self._weight(words & self.words[k]) / weight
            shares = sorted(self._weight(words & self.own_sets[r]) / weight for r in rows)
            table[k, 1] = float(np.mean(shares[-_RECURRING:]))
            table[k, 2] = max(
                (
                    max(self.idf.get(t, 0.0) for t in shared)
                    for h in self.titles[k]
                    if (shared := words & h)
                ),
                default=0.0,
            )
            similarities = np.sort(self.vectors[rows] @ self.vectors[measure_row])
            table[k, 3] = float(similarities[-_CLOSEST:].mean())
            parts = self.subsection_words[k]
            table[k, 4] = max(self._weight(words & part) for part in parts) / weight
        best = table.max(axis=0)
        best[best <= 0] = 1.0
        return table / best

    def _weight(self, words: frozenset[str]) -> float:
        return sum(self.idf.get(t, 0.0) for t in words)


def passage_vectors(chunks: Sequence[Chunk], vector_of: Callable[[str], np.ndarray]) -> np.ndarray:
    """One unit vector per chunk: the mean of its sentences' vectors (``vector_of`` gives a
    sentence's; the index build passes the stored sentence vectors', so nothing is embedded
    twice). A chunk with no known word is a zero row."""
    rows = []
    for chunk in chunks:
        found = [vector_of(s) for s in split_sentences(chunk.text) if len(s) > 1]
        mean = np.mean(found, axis=0) if found else None
        norm = float(np.linalg.norm(mean)) if mean is not None else 0.0
        rows.append(mean / norm if norm > 0 else None)
    width = next((len(row) for row in rows if row is not None), 1)
    return np.vstack([row if row is not None else np.zeros(width) for row in rows])


def _subsections(chunks: Sequence[Chunk], rows: list[int]) -> list[list[int]]:
    """A section's rows grouped by the subsection heading they sit under (the heading below
    the section's, when a heading follows it: a slide kind such as 主な取組実績 directly
    under the section is no subsection); rows under none form one more part."""
    parts: dict[str, list[int]] = {}
    for row in rows:
        path = chunks[row].heading_path
        parts.setdefault(path[1] if len(path) > 2 else "", []).append(row)
    return list(parts.values())


def _titles(passages: Sequence[Chunk]) -> list[str]:
    """A section's subsection headings and its tables' titles, each once."""
    found: dict[str, None] = {}
    for chunk in passages:
        if len(chunk.heading_path) > 1:
            found[chunk.heading_path[1]] = None
        if chunk.kind == "table" and len(chunk.heading_path) > 2:
            if chunk.heading_path[2] != _UNTITLED:
                found[chunk.heading_path[2]] = None
    return list(found)
