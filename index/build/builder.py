"""Building an index generation: read → analyse → embed → write (Chroma + BM25).

The files given are added or updated and every other indexed document is kept
(index/build/document_set.py: what a folder given, ``prune`` and ``remove`` take out). Only texts
never embedded before reach the encoder (index/build/embedding_step.py), so re-indexing unchanged
files embeds nothing. Everything is written into a fresh generation folder which is then
published atomically; each phase is reported to a ``Progress`` (index/build/progress.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.analyzer import Analyzer, analyzer_config
from index.build.analysis_step import ChunkAnalysis
from index.build.chroma_process import ChromaJob, ChromaWriteError
from index.build.chroma_write import CollectionWriter, collection_name
from index.build.dense_sentence_step import PendingSentences
from index.build.document_set import DocumentChanges, plan_documents, read_generation
from index.build.embedding_cache import revision_of
from index.build.embedding_step import PendingVectors, same_vectors, start_vectors
from index.build.lexical_step import write_lexical
from index.build.parsed_files import ParsedFiles
from index.build.progress import NoProgress, Progress
from index.build.rebuild_reason import rebuild_reason
from index.encoders import Encoder
from index.generations import IndexDirectory
from index.manifest import (
    EMBEDDINGS,
    FORMAT_VERSION,
    Manifest,
    manifest_or_empty,
    write_manifest,
)
from index.records import embedding_text
from index.sentence_vectors import chive_edition
from index.store import http_client
from ingest.model import Chunk
from ingest.pipeline import FileResult, IngestReport, expand_paths
from planqa.disk_full import disk_full_guard
from planqa.settings import Settings
from plantrace.link_model import LinkModelError
from plantrace.overrides import TraceOverrideError
from plantrace.store import TraceBuild

__all__ = ["BuildReport", "IndexBuildError", "build_index"]


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
    reason: str = ""  # why it was rebuilt (index/build/rebuild_reason.py), both languages
    changes: DocumentChanges = field(default_factory=DocumentChanges)

    @property
    def failures(self) -> list[FileResult]:
        return [f for f in self.files if f.error]


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
    drops documents whose file is gone, ``remove`` the documents of those names.

    A full disk raises ``DiskFullError`` (planqa/disk_full.py) with the previous index live
    and no folder of this build left."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    directory = IndexDirectory(settings.paths.index_dir)
    remove = list(remove)
    # The guard inside the lock: it sees the disk before the failed build's folder goes.
    with directory.lock(), disk_full_guard(settings.paths.var_dir):
        previous = directory.current()
        previous_chunks, previous_paths = read_generation(previous)
        previous_manifest = manifest_or_empty(previous)
        current_format = previous_manifest.get("format") == FORMAT_VERSION
        given = [Path(p) for p in paths]
        outdated = [] if current_format else [Path(p) for p in previous_paths.values()]
        files, not_found = expand_paths([*given, *(p for p in outdated if p.is_file())])
        progress.phase("read", len(files), "files")
        parsed = ParsedFiles(
            previous_manifest.get("files") if current_format else {},
            previous_chunks,
            settings.chunking.max_chars,
            settings.chunking.max_chunk_chars,
        )
        report = IngestReport(files=list(not_found))
        for path in files:
            report.files.append(parsed.read(path))
            progress.advance(1)
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
        except (TraceOverrideError, LinkModelError) as error:
            raise IndexBuildError(f"{error}; the previous index is kept") from error
        reason = rebuild_reason(
            previous,
            previous_manifest,
            previous_chunks,
            previous_paths,
            chunks,
            documents.paths,
            encoder,
            config,
            trace,
            settings,
        )
        if reason is None and previous is not None:
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
        ids = {c.id for c in chunks}
        removed = len({c.id for c in previous_chunks if c.id not in ids})
        chive_now = chive_edition(settings.retrieval.chive_dir)
        # The neighbour table grows from the previous one only when both read the same chiVe.
        grow_from = (
            previous if previous_manifest.get("chive", chive_edition()) == chive_now else None
        )

        generation = directory.new_generation()
        # Chroma is imported and its collection prepared in a forked process, and many new
        # texts are embedded by worker processes, while this one analyses and writes the
        # lexical index (index/build/chroma_process.py, index/encoders.py).
        chroma = ChromaJob(
            CollectionWriter(
                settings,
                generation,
                chunks,
                **_chroma_base(previous, previous_manifest, previous_chunks, encoder),
            )
        )
        pending = None
        sentences: PendingSentences | None = None
        try:
            pending = start_vectors(chunks, encoder, settings.paths.var_dir, previous)
            if settings.retrieval.dense_sentences:  # before any thread: the workers fork
                sentences = PendingSentences(chunks, encoder, settings.paths.var_dir)
            if chroma.forked:  # it adds vectors as the encoder's workers return them
                pending.stream(chroma.stream)
            analyzer = Analyzer(config)
            analysis = ChunkAnalysis(chunks, analyzer, previous)
            progress.phase("analyse", analysis.todo)
            analysis.run(progress)
            if pending.in_background:  # the workers embed while the lexical index is written
                has_vectors = write_lexical(
                    generation, chunks, analysis, analyzer, trace, settings, grow_from
                )
                analysis.release()
                vectors, embedded = _vectors(pending, generation, chroma, progress)
                progress.phase("write", len(chunks))
            else:  # a few texts, embedded here: Chroma adds them while the index is written
                vectors, embedded = _vectors(pending, generation, chroma, progress)
                progress.phase("write", len(chunks))
                has_vectors = write_lexical(
                    generation, chunks, analysis, analyzer, trace, settings, grow_from
                )
            if sentences is not None:
                texts = (embedding_text(c) for c in chunks)
                sentences.finish(generation, dict(zip(texts, vectors, strict=True)))
            chroma_fields = chroma.wait()
            progress.advance(len(chunks))
        except BaseException as error:
            if pending is not None:
                pending.close()
            if sentences is not None:
                sentences.close()
            chroma.abandon()
            if isinstance(error, ChromaWriteError):
                raise IndexBuildError(f"{error}; the previous index is kept") from error
            raise
        manifest: Manifest = {
            "format": FORMAT_VERSION,
            "encoder": encoder.name,
            "document_prefix": getattr(encoder, "document_prefix", ""),
            "encoder_revision": revision_of(encoder),
            "dim": int(vectors.shape[1]),
            "analyzer": config.key,
            "chunks": len(chunks),
            **chroma_fields,
            "word_vectors": has_vectors,
            "chive": chive_now if has_vectors else "",
            "ngram": True,
            "text_terms": True,
            "continued_weight": settings.retrieval.continued_weight,
            "sentence_vectors": settings.retrieval.sentence_vectors,
            "dense_sentences": settings.retrieval.dense_sentences,
            "sources": sorted({c.source for c in chunks}),
            "documents": documents.paths,
            "files": parsed.record(list(documents.paths)),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        write_manifest(generation, manifest)
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
        reason=str(reason),
    )


def _vectors(
    pending: PendingVectors, generation: Path, chroma: ChromaJob, progress: Progress
) -> tuple[np.ndarray, int]:
    """Wait for the vectors, save them with the generation and hand them to Chroma."""
    chroma.open()
    vectors, embedded = pending.finish(progress)
    np.save(generation / EMBEDDINGS, vectors)
    chroma.send(generation / EMBEDDINGS, vectors)
    return vectors, embedded


def _chroma_base(
    previous: Path | None, manifest: Manifest, chunks: Sequence[Chunk], encoder: Encoder
) -> dict:
    """The previous generation's collection as the starting point of this one's, when it
    holds vectors this encoder would make now."""
    if previous is None or manifest.get("chroma") != "local" or not same_vectors(manifest, encoder):
        return {}
    return {"previous": previous, "previous_manifest": manifest, "previous_chunks": chunks}


def _drop_remote_collection(settings: Settings, generation: Path) -> None:
    if not settings.chroma.host:
        return
    try:
        http_client(settings.chroma.host, settings.chroma.port).delete_collection(
            collection_name(generation)
        )
    except Exception:  # an already missing collection is fine
        return
