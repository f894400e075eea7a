"""Building an index generation: read → analyse → embed → write (Chroma + BM25).

The files given are added or updated and every other indexed document is kept
(index/document_set.py: what a folder given, ``prune`` and ``remove`` take out). Only texts
never embedded before reach the encoder (index/embedding_step.py), so re-indexing unchanged
files embeds nothing. Everything is written into a fresh generation folder which is then
published atomically; each phase is reported to a ``Progress`` (index/progress.py).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.document_set import DocumentChanges, plan_documents, read_generation
from index.embedding_step import chunk_vectors
from index.encoders import Encoder
from index.generations import IndexDirectory
from index.ngrams import NAME as NGRAM_NAME
from index.ngrams import build_ngram_index
from index.presence import build_presence, save_presence
from index.progress import NoProgress, Progress
from index.records import index_parts, index_text
from index.store import ChromaStore, http_client, local_client
from index.wordvectors import ChiveVectors, NeighbourTable, chive_dir
from ingest.model import Chunk
from ingest.pipeline import FileResult, expand_paths, ingest_paths
from planqa.settings import Settings
from plantrace.overrides import TraceOverrideError
from plantrace.store import TraceBuild

MANIFEST = "manifest.json"
FORMAT_VERSION = 2  # 2: chunks carry their document titles (a rebuild, no re-embedding)
NEIGHBOUR_FLOOR = 0.4
CHROMA_BATCH = 1000  # chunks per Chroma write: one progress step


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
    changes: DocumentChanges = field(default_factory=DocumentChanges)

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
    prune: bool = False,
    remove: Iterable[str] = (),
) -> BuildReport:
    """Add or update the documents under ``paths`` and keep the others; ``prune`` also
    drops documents whose file is gone, ``remove`` the documents of those names."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    directory = IndexDirectory(settings.paths.index_dir)
    remove = list(remove)
    with directory.lock():
        previous = directory.current()
        previous_chunks, previous_paths = read_generation(previous)
        given = [Path(p) for p in paths]
        files, not_found = expand_paths([*given, *_outdated(previous, previous_paths)])
        progress.phase("read", len(files), "files")
        report = ingest_paths(
            files,
            max_chars=settings.chunking.max_chars,
            on_file=lambda _: progress.advance(1),
        )
        report.files[:0] = not_found
        if given and not any(f.chunks and not f.error for f in report.files):
            reasons = "; ".join(f"{f.path}: {f.error}" for f in report.failures) or "no chunks"
            raise IndexBuildError(f"nothing to index ({reasons}); the previous index is kept")
        unknown = sorted(set(remove) - {c.source for c in previous_chunks})
        if unknown:
            raise IndexBuildError(
                f"索引にない文書です: {'、'.join(unknown)} / not in the index: "
                f"{', '.join(unknown)}; the previous index is kept"
            )
        documents = plan_documents(
            previous_chunks,
            previous_paths,
            report.files,
            given,
            fallback_dir=settings.paths.data_dir,
            prune=prune,
            remove=remove,
        )
        chunks = documents.chunks
        if not chunks:
            raise IndexBuildError(
                "索引が空になります / the index would hold no document; the previous index is kept"
            )
        config = analyzer_config(settings)
        try:
            trace = TraceBuild(settings)
        except TraceOverrideError as error:
            raise IndexBuildError(f"{error}; the previous index is kept") from error
        if (
            previous is not None
            and _up_to_date(previous, chunks, encoder.name, config.key)
            and previous_paths == documents.paths
            and trace.is_current(previous)
        ):
            directory.cleanup()
            progress.done()
            return BuildReport(
                generation=previous,
                chunks=len(chunks),
                embedded=0,
                reused=len(chunks),
                removed=0,
                files=report.files,
                seconds=time.perf_counter() - started,
                unchanged=True,
                changes=documents.changes,
            )
        removed = _count_removed(previous, {c.id for c in chunks})

        progress.phase("analyse", len(chunks))
        analyzer = Analyzer(config)
        counts, own_terms = analyse_chunks(chunks, analyzer, progress.advance)

        vectors, embedded = chunk_vectors(
            chunks, encoder, settings.paths.var_dir, previous, progress
        )

        progress.phase("write", len(chunks))
        generation = directory.new_generation()
        _write_chunks(generation, chunks)
        np.save(generation / "embeddings.npy", vectors)
        texts = [index_text(c) for c in chunks]
        trace.write(generation, chunks, counts, analyzer.terms)
        bm25 = Bm25Index.build(counts)
        bm25.save(generation)
        save_presence(generation, build_presence(own_terms, bm25.vocabulary))
        build_ngram_index(texts).save(generation, NGRAM_NAME)
        has_vectors = _write_neighbours(generation, bm25, settings)
        store = _store(settings, generation)
        for start in range(0, len(chunks), CHROMA_BATCH):
            end = start + CHROMA_BATCH
            store.add(chunks[start:end], vectors[start:end], texts[start:end])
            progress.advance(len(chunks[start:end]))
        manifest = {
            "format": FORMAT_VERSION,
            "encoder": encoder.name,
            "document_prefix": getattr(encoder, "document_prefix", ""),
            "dim": int(vectors.shape[1]),
            "analyzer": config.key,
            "chunks": len(chunks),
            "collection": store.collection_name,
            "chroma": "http" if settings.chroma.host else "local",
            "word_vectors": has_vectors,
            "ngram": True,
            "text_terms": True,
            "sources": sorted({c.source for c in chunks}),
            "documents": documents.paths,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (generation / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        directory.publish(generation)
        for stale in directory.cleanup():
            _drop_remote_collection(settings, stale)
        progress.done()
    return BuildReport(
        generation=generation,
        chunks=len(chunks),
        embedded=embedded,
        reused=len(chunks) - embedded,
        removed=removed,
        files=report.files,
        seconds=time.perf_counter() - started,
        changes=documents.changes,
    )


def _outdated(previous: Path | None, paths: dict[str, str]) -> list[Path]:
    """The files of a generation written in an older format, to be read again (a kept
    document must carry what the current format adds to chunks)."""
    if previous is None or not paths:
        return []
    try:
        manifest = json.loads((previous / MANIFEST).read_text())
    except (OSError, ValueError):
        return []
    if manifest.get("format") == FORMAT_VERSION:
        return []
    return [Path(p) for p in paths.values() if Path(p).is_file()]


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
    chunks: Sequence[Chunk], analyzer: Analyzer, advance: Callable[[int], None] | None = None
) -> tuple[list[Counter[str]], list[tuple[str, ...]]]:
    """Term counts of each chunk's indexed text (for BM25) and the terms of its own text
    (for coverage), in one pass: each distinct part (row context, title, text) is analysed
    once, and sibling chunks share their context. Sudachi does not join words across the
    line breaks between parts (632 of the 634 bundled chunks count the same terms as when
    the joined text is analysed; the other two differ by one term)."""
    terms_of = lru_cache(maxsize=4096)(lambda part: tuple(analyzer.terms(part)))
    counts: list[Counter[str]] = []
    for start in range(0, len(chunks), 64):
        part = chunks[start : start + 64]
        counts.extend(Counter(chain.from_iterable(map(terms_of, index_parts(c)))) for c in part)
        if advance is not None:
            advance(len(part))
    return counts, [terms_of(c.text) for c in chunks]


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
