"""Building an index generation: ingest → reuse or compute embeddings → Chroma + BM25.

Only chunks whose id is new are embedded (an id hashes source, place and text), so
re-indexing unchanged files embeds nothing; chunks of files no longer given disappear.
Everything is written into a fresh generation folder which is then published atomically.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.encoders import Encoder
from index.generations import IndexDirectory
from index.ngrams import NAME as NGRAM_NAME
from index.ngrams import build_ngram_index
from index.presence import build_presence, save_presence
from index.records import embedding_text, index_parts, index_text
from index.store import ChromaStore, http_client, local_client
from index.wordvectors import ChiveVectors, NeighbourTable, chive_dir
from ingest.model import Chunk
from ingest.pipeline import FileResult, ingest_paths
from planqa.settings import Settings

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
NEIGHBOUR_FLOOR = 0.4

Progress = Callable[[int, int], None]


class IndexBuildError(Exception):
    """Nothing could be indexed; the previous index stays live."""


@dataclass
class BuildReport:
    generation: Path
    chunks: int
    embedded: int
    reused: int
    removed: int
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # the live index already held exactly these chunks

    @property
    def failures(self) -> list[FileResult]:
        return [f for f in self.files if f.error]


def analyzer_config(settings: Settings) -> AnalyzerConfig:
    sudachi = settings.sudachi
    return AnalyzerConfig(
        mode=sudachi.split_mode,
        form=sudachi.form,
        drop_stopwords=sudachi.drop_stopwords,
        synonyms=sudachi.synonyms,
        dictionary=sudachi.dictionary,
    )


def collection_name(generation: Path) -> str:
    return "planqa-" + generation.name.removeprefix("gen-")


def build_index(
    paths: Sequence[str | Path],
    settings: Settings,
    encoder: Encoder,
    *,
    progress: Progress | None = None,
) -> BuildReport:
    started = time.perf_counter()
    directory = IndexDirectory(settings.paths.index_dir)
    with directory.lock():
        report = ingest_paths(paths, max_chars=settings.chunking.max_chars)
        chunks = _unique(report.chunks)
        if not chunks:
            reasons = "; ".join(f"{f.path}: {f.error}" for f in report.failures) or "no chunks"
            raise IndexBuildError(f"nothing to index ({reasons}); the previous index is kept")
        previous = directory.current()
        config = analyzer_config(settings)
        if previous is not None and _up_to_date(previous, chunks, encoder.name, config.key):
            directory.cleanup()
            return BuildReport(
                generation=previous,
                chunks=len(chunks),
                embedded=0,
                reused=len(chunks),
                removed=0,
                files=report.files,
                seconds=time.perf_counter() - started,
                unchanged=True,
            )
        cached = _load_embeddings(previous, encoder.name) if previous else {}
        missing = [c for c in chunks if c.id not in cached]
        new_vectors = _embed(encoder, [embedding_text(c) for c in missing], progress)
        cached.update({c.id: v for c, v in zip(missing, new_vectors, strict=True)})
        vectors = np.asarray([cached[c.id] for c in chunks], dtype=np.float32)
        removed = _count_removed(previous, {c.id for c in chunks})

        generation = directory.new_generation()
        _write_chunks(generation, chunks)
        np.save(generation / "embeddings.npy", vectors)
        analyzer = Analyzer(config)
        texts = [index_text(c) for c in chunks]
        counts, own_terms = analyse_chunks(chunks, analyzer)
        bm25 = Bm25Index.build(counts)
        bm25.save(generation)
        save_presence(generation, build_presence(own_terms, bm25.vocabulary))
        build_ngram_index(texts).save(generation, NGRAM_NAME)
        has_vectors = _write_neighbours(generation, bm25, settings)
        store = _store(settings, generation)
        store.add(chunks, vectors, texts)
        manifest = {
            "format": FORMAT_VERSION,
            "encoder": encoder.name,
            "dim": int(vectors.shape[1]),
            "analyzer": config.key,
            "chunks": len(chunks),
            "collection": store.collection_name,
            "chroma": "http" if settings.chroma.host else "local",
            "word_vectors": has_vectors,
            "ngram": True,
            "text_terms": True,
            "sources": sorted({c.source for c in chunks}),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (generation / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        directory.publish(generation)
        for stale in directory.cleanup():
            _drop_remote_collection(settings, stale)
    return BuildReport(
        generation=generation,
        chunks=len(chunks),
        embedded=len(missing),
        reused=len(chunks) - len(missing),
        removed=removed,
        files=report.files,
        seconds=time.perf_counter() - started,
    )


def _up_to_date(generation: Path, chunks: list[Chunk], encoder: str, analyzer: str) -> bool:
    """Same chunks (ids hash text and place), encoder, analysis and format: nothing to do."""
    try:
        manifest = json.loads((generation / MANIFEST).read_text())
        with (generation / "chunks.jsonl").open(encoding="utf-8") as handle:
            ids = [json.loads(line)["id"] for line in handle]
    except (OSError, ValueError, KeyError):
        return False
    return (
        manifest.get("format") == FORMAT_VERSION
        and manifest.get("encoder") == encoder
        and manifest.get("analyzer") == analyzer
        and manifest.get("ngram") is True
        and manifest.get("text_terms") is True
        and ids == [c.id for c in chunks]
    )


def analyse_chunks(
    chunks: Sequence[Chunk], analyzer: Analyzer
) -> tuple[list[Counter[str]], list[tuple[str, ...]]]:
    """Term counts of each chunk's indexed text (for BM25) and the terms of its own text
    (for coverage), in one pass: each distinct part (row context, title, text) is analysed
    once, and sibling chunks share their context. Sudachi does not join words across the
    line breaks between parts (632 of the 634 bundled chunks count the same terms as when
    the joined text is analysed; the other two differ by one term)."""
    terms_of = lru_cache(maxsize=4096)(lambda part: tuple(analyzer.terms(part)))
    counts = [Counter(chain.from_iterable(map(terms_of, index_parts(c)))) for c in chunks]
    return counts, [terms_of(c.text) for c in chunks]


def _unique(chunks: list[Chunk]) -> list[Chunk]:
    """The same file given twice (or copied under another folder) is indexed once."""
    return list({c.id: c for c in chunks}.values())


def _embed(encoder: Encoder, texts: list[str], progress: Progress | None) -> list[np.ndarray]:
    vectors: list[np.ndarray] = []
    batch = 64
    for start in range(0, len(texts), batch):
        part = encoder.embed_documents(texts[start : start + batch])
        vectors.extend(np.asarray(v, dtype=np.float32) for v in part)
        if progress:
            progress(min(start + batch, len(texts)), len(texts))
    return vectors


def _load_embeddings(generation: Path, encoder_name: str) -> dict[str, np.ndarray]:
    try:
        manifest = json.loads((generation / MANIFEST).read_text())
        if manifest.get("encoder") != encoder_name:
            return {}
        ids = [json.loads(line)["id"] for line in (generation / "chunks.jsonl").open()]
        vectors = np.load(generation / "embeddings.npy")
    except (OSError, ValueError, KeyError):
        return {}  # a damaged previous generation: embed everything again
    return dict(zip(ids, vectors, strict=False))


def _count_removed(previous: Path | None, ids: set[str]) -> int:
    if previous is None:
        return 0
    try:
        with (previous / "chunks.jsonl").open() as handle:
            return sum(1 for line in handle if json.loads(line)["id"] not in ids)
    except (OSError, ValueError, KeyError):
        return 0


def _write_chunks(generation: Path, chunks: list[Chunk]) -> None:
    with (generation / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")


def _write_neighbours(generation: Path, bm25: Bm25Index, settings: Settings) -> bool:
    if not settings.retrieval.word_vectors:
        return False
    directory = chive_dir()
    if directory is None:
        return False
    chive = ChiveVectors.load(directory, cache_dir=settings.paths.var_dir / "cache")
    # A low floor, so the query-time threshold can be tuned without re-indexing.
    floor = min(NEIGHBOUR_FLOOR, settings.retrieval.min_similarity)
    table = NeighbourTable.build(chive, list(bm25.vocabulary), min_similarity=floor)
    table.save(generation / "neighbours.npz")
    return True


def _store(settings: Settings, generation: Path) -> ChromaStore:
    name = collection_name(generation)
    if settings.chroma.host:
        return ChromaStore(http_client(settings.chroma.host, settings.chroma.port), name)
    return ChromaStore(local_client(generation / "chroma"), name)


def _drop_remote_collection(settings: Settings, generation: Path) -> None:
    if not settings.chroma.host:
        return
    try:
        http_client(settings.chroma.host, settings.chroma.port).delete_collection(
            collection_name(generation)
        )
    except Exception:  # an already missing collection is fine
        return
