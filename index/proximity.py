"""How close together a passage states the question's terms: the question coverage of its
best sentence.

Passage coverage (``LexicalSearcher.coverages``) counts a question term wherever the passage
holds it, so a long passage naming each term in a different sentence ties with the one
whose single sentence states them together; a question is mostly a rewording of one
sentence (the one that answers it), so the sentence is the proximity window. Headings
count at the heading weight, as they do for the passage: a sentence leaves its subject to
the title it stands under.
"""

from __future__ import annotations

from functools import lru_cache

from index.lexical import LexicalSearcher
from ingest.model import Chunk
from ingest.sudachi import split_sentences


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[str, ...]:
    """A passage's sentences, kept per text: the same passages are candidates question
    after question."""
    return tuple(s for s in split_sentences(text) if s.strip())


def best_sentence_coverage(
    lexical: LexicalSearcher, query: str, chunk: Chunk, heading_weight: float
) -> float:
    """The highest question coverage of one sentence of ``chunk`` (its headings nearby)."""
    terms = lexical.cached_terms
    headings = set(terms(chunk.headings)) if heading_weight > 0 else set()
    return max(
        (
            lexical.coverage_of(query, set(terms(s)), nearby=headings, nearby_weight=heading_weight)
            for s in _sentences(chunk.text)
        ),
        default=0.0,
    )
