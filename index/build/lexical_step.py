"""The lexical half of a generation: chunks.jsonl, the trace, BM25 over the analysed terms
(a measure's with the headings of the results it continues, index/build/continued_field.py),
each passage's own terms, character bigrams, the chiVe neighbour table and the passages'
chiVe sentence vectors (index/build/sentence_step.py). The sentence vectors are made before
the trace: its fitted linker reads each passage's meaning from them
(plantrace/content_signals.py).

The neighbour table starts from the previous generation's when it can
(index/build/neighbour_build.py: the same table, a tenth of the time).
"""

from __future__ import annotations

import json
from pathlib import Path

from index.analyzer import Analyzer
from index.bm25 import Bm25Index
from index.build.analysis_step import ChunkAnalysis
from index.build.chive import ChiveVectors, chive_dir
from index.build.continued_field import with_continued_field
from index.build.neighbour_build import build_neighbour_table
from index.build.sentence_step import embed_sentences
from index.manifest import CHUNKS
from index.ngrams import NAME as NGRAM_NAME
from index.ngrams import build_ngram_index
from index.presence import build_presence, save_presence
from index.records import index_text
from index.wordvectors import NeighbourTable
from ingest.model import Chunk
from planqa.settings import Settings
from plantrace.content_signals import passage_vectors
from plantrace.store import TraceBuild

NEIGHBOURS = "neighbours.npz"
NEIGHBOUR_FLOOR = 0.4


def write_lexical(
    generation: Path,
    chunks: list[Chunk],
    analysis: ChunkAnalysis,
    analyzer: Analyzer,
    trace: TraceBuild,
    settings: Settings,
    previous: Path | None = None,
) -> bool:
    """Write the lexical files; whether a neighbour table was written (chiVe installed and
    word vectors on)."""
    analysis.save(generation)
    write_chunks(generation, chunks)
    chive = _chive(settings)
    sentences = None
    if chive is not None and (settings.retrieval.sentence_vectors or trace.model is not None):
        sentences = embed_sentences(chunks, chive, settings.sudachi.dictionary)
    vectors = passage_vectors(chunks, sentences.vector) if sentences is not None else None
    links = trace.write(
        generation, chunks, analysis.counts, analyzer.terms, analysis.own_terms, vectors
    )
    weight = settings.retrieval.continued_weight
    counts = with_continued_field(analysis.counts, chunks, links, analyzer.cached_terms, weight)
    bm25 = Bm25Index.build(counts)
    bm25.save(generation)
    save_presence(generation, build_presence(analysis.own_terms, bm25.vocabulary))
    build_ngram_index([index_text(c) for c in chunks]).save(generation, NGRAM_NAME)
    if sentences is not None and settings.retrieval.sentence_vectors:
        sentences.save(generation)
    return write_neighbours(generation, bm25, settings, chive, previous)


def write_chunks(generation: Path, chunks: list[Chunk]) -> None:
    with (generation / CHUNKS).open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in chunks)


def _chive(settings: Settings) -> ChiveVectors | None:
    """The chiVe table the neighbours and sentence vectors are made from; None when word
    vectors are off or chiVe is not installed."""
    if not settings.retrieval.word_vectors:
        return None
    directory = chive_dir(settings.retrieval.chive_dir)
    if directory is None:
        return None
    return ChiveVectors.load(directory, cache_dir=settings.paths.var_dir / "cache")


def write_neighbours(
    generation: Path,
    bm25: Bm25Index,
    settings: Settings,
    chive: ChiveVectors | None,
    previous: Path | None = None,
) -> bool:
    if chive is None:
        return False
    # A low floor, so the query-time threshold can be tuned without re-indexing.
    floor = min(NEIGHBOUR_FLOOR, settings.retrieval.min_similarity)
    table = build_neighbour_table(
        chive, list(bm25.vocabulary), min_similarity=floor, previous=_neighbours(previous)
    )
    table.save(generation / NEIGHBOURS)
    return True


def _neighbours(generation: Path | None) -> NeighbourTable | None:
    """The previous generation's table, to start from (None if it has none or it is damaged)."""
    path = generation / NEIGHBOURS if generation is not None else None
    if path is None or not path.exists():
        return None
    try:
        return NeighbourTable.load(path)
    except (OSError, ValueError, KeyError):
        return None
