"""The manifest of a generation: what the build records and the reader checks.

A generation folder (index/generations.py) holds ``manifest.json`` beside the files it
describes. The build writes it last (index/build/builder.py); the reader opens a generation
only when its encoder and lexical analysis are the configured ones (index/snapshot.py), and
the next build reuses what an unchanged manifest says is still valid (vectors, the Chroma
collection, parsed files). Both halves name the file, its keys and the chunk and vector files
through this module, so the reader never imports the build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, TypedDict

from ingest.model import Chunk

MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"  # one chunk per line (Chunk.to_dict), in index order
EMBEDDINGS = "embeddings.npy"  # the chunks' vectors, same order
FORMAT_VERSION = 3  # 2: chunks carry their document titles; 3: Chroma metadata carries every
# label a passage is cited by, uploads split at page-number lines (each a rebuild, no re-embedding)


class Manifest(TypedDict, total=False):
    """The keys of ``manifest.json``; an older generation may lack the later ones."""

    format: int  # FORMAT_VERSION it was written with; another is rebuilt
    encoder: str  # the encoder's name: a reader configured with another refuses it
    document_prefix: str  # with the revision: whether its vectors can be reused
    encoder_revision: str
    dim: int
    analyzer: str  # AnalyzerConfig.key: a reader analysing otherwise refuses it
    chunks: int
    collection: str  # the Chroma collection holding the vectors
    chroma: Literal["local", "http"]  # in the generation's folder, or on a Chroma server
    chroma_churn: int  # chunks replaced since the collection was last written whole
    word_vectors: bool  # a chiVe neighbour table was written
    chive: str  # the chiVe it was made from (sentence_vectors.chive_edition); absent = the wheel's
    ngram: bool  # a character-bigram index was written
    text_terms: bool  # each chunk's own terms were saved (index/presence.py)
    continued_weight: float  # of a measure's continued-results field in BM25 (a rebuild)
    sentence_vectors: bool  # chiVe sentence vectors were asked for (a rebuild when changed)
    dense_sentences: bool  # the dense encoder's sentence vectors were (a rebuild when changed)
    sources: list[str]  # document names
    documents: dict[str, str]  # document name → the file it was read from
    files: dict[str, dict]  # document name → what the next build needs to skip its parsing
    created: str


def write_manifest(generation: Path, manifest: Manifest) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (generation / MANIFEST).write_text(text, encoding="utf-8")


def read_manifest(generation: Path) -> Manifest:
    """The generation's manifest; ``OSError`` or ``ValueError`` when it is missing or
    damaged."""
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))


def manifest_or_empty(generation: Path | None) -> Manifest:
    """The manifest of a previous generation, empty when there is none or it cannot be
    read (the build then starts from nothing)."""
    if generation is None:
        return {}
    try:
        return read_manifest(generation)
    except (OSError, ValueError):
        return {}


def read_chunks(generation: Path) -> list[Chunk]:
    with (generation / CHUNKS).open(encoding="utf-8") as handle:
        return [Chunk.from_dict(json.loads(line)) for line in handle]
