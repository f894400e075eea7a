"""The passages' sentence vectors (index/sentence_vectors.py), written with the generation.

Every sentence of every passage, as the reader splits them (``ingest.sudachi
.split_sentences``), embedded once here so a question pays only for its own vector. The
word shares and the common component come from these sentences: the similarity weighs the
words of the indexed documents as common or rare.
"""

from __future__ import annotations

from pathlib import Path

from index.chive import ChiveVectors
from index.sentence_vectors import PARAMETERS, build_sentence_vectors
from ingest.model import Chunk
from ingest.sudachi import split_sentences


def write_sentence_vectors(
    generation: Path, chunks: list[Chunk], chive: ChiveVectors, edition: str = "core"
) -> int:
    """Embed and save the passages' sentences; how many were embedded."""
    sentences = [s for chunk in chunks for s in split_sentences(chunk.text) if len(s) > 1]
    vectors = build_sentence_vectors(sentences, chive, PARAMETERS, edition)
    vectors.save(generation)
    return len(vectors.texts)
