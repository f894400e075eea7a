"""The passages' sentence vectors (index/sentence_vectors.py), saved with the generation.

Every sentence of every passage, as the reader splits them (``ingest.sudachi
.split_sentences``), embedded once here so a question pays only for its own vector. The
word shares and the common component come from these sentences: the similarity weighs the
words of the indexed documents as common or rare.
"""

from __future__ import annotations

from index.chive import ChiveVectors
from index.sentence_vectors import PARAMETERS, SentenceVectors, build_sentence_vectors
from ingest.model import Chunk
from ingest.sudachi import split_sentences


def embed_sentences(
    chunks: list[Chunk], chive: ChiveVectors, edition: str = "core"
) -> SentenceVectors:
    """Embed the passages' sentences (the trace reads them before they are saved)."""
    sentences = [s for chunk in chunks for s in split_sentences(chunk.text) if len(s) > 1]
    return build_sentence_vectors(sentences, chive, PARAMETERS, edition)
