"""A loaded, read-only index generation: chunks, BM25, neighbours and the Chroma collection.

Loaded once and shared by every request; a re-index builds a new snapshot and the server
swaps its reference, so a request always sees one consistent generation.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy import sparse

from index.analyzer import Analyzer, analyzer_config
from index.bm25 import Bm25Index
from index.chive_missing import sentence_vectors_missing
from index.dense_sentences import DENSE_SENTENCES, DenseSentences
from index.generations import IndexDirectory
from index.glossary import Glossary
from index.lexical import ExpansionConfig, LexicalSearcher
from index.manifest import Manifest, read_chunks, read_manifest
from index.ngrams import NAME as NGRAM_NAME
from index.plain_text import PlainText
from index.presence import build_presence, load_presence
from index.sentence_file import SentenceFileError, notice
from index.sentence_vectors import (
    SENTENCE_VECTORS,
    LazySentenceVectors,
    chive_edition,
    read_sentence_file,
)
from index.store import ChromaStore, http_client, local_client
from index.wordvectors import NeighbourTable
from ingest.model import Chunk, label_prefix
from planqa.settings import Settings
from plantrace.model import Trace
from plantrace.store import load_trace
from question.intent import STATED_PERIOD

# Up to this many chunks the vectors are also held in memory for exact search (~200 MB).
IN_MEMORY_VECTORS = 100_000
log = logging.getLogger("planqa.index")


T = TypeVar("T")


class IndexNotFoundError(Exception):
    """No index has been built yet."""


class EncoderMismatchError(Exception):
    """The index was built with another encoder than the one configured."""


@dataclass
class Snapshot:
    generation: Path
    manifest: Manifest
    chunks: list[Chunk]
    lexical: LexicalSearcher
    store: ChromaStore
    ngram: Bm25Index | None = None
    vectors: np.ndarray | None = None  # chunk order, L2-normalised; None = ask Chroma
    by_id: dict[str, Chunk] = field(default_factory=dict)
    by_label: dict[str, list[int]] = field(default_factory=dict)
    cited_by: dict[str, list[int]] = field(default_factory=dict)  # label → chunks citing it
    own_terms: sparse.csc_matrix | None = None
    position: dict[str, int] = field(default_factory=dict)
    # The settings ask for the dense sentence vectors (or the build stored them): a file
    # that cannot be read is then reported, not passed over.
    dense_wanted: bool = False
    # What this generation serves without and why, in Japanese and English (GET /health).
    notices: list[str] = field(default_factory=list)
    # What query-path readers derive from this generation alone (``derived``).
    _derived: dict[Callable[[Snapshot], Any], Any] = field(
        default_factory=dict, init=False, repr=False
    )

    def derived(self, compute: Callable[[Snapshot], T]) -> T:
        """``compute(self)``, computed on first use and kept with this generation: a reader
        outside index/ (answer/'s table titles) keeps its per-generation tables here, so
        they go when the generation does, as the cached properties below do."""
        if compute not in self._derived:
            self._derived[compute] = compute(self)
        return self._derived[compute]

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.chunks}
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self._kinds = sorted({c.kind for c in self.chunks})
        code = {kind: i for i, kind in enumerate(self._kinds)}
        self._kind_codes = np.fromiter(
            (code[c.kind] for c in self.chunks), dtype=np.intp, count=len(self.chunks)
        )
        for position, chunk in enumerate(self.chunks):
            # Every label an answer can cite opens its passages, a file's own (メモ.txt p.2) too.
            for label in chunk.labels:
                self.by_label.setdefault(label, []).append(position)
            for label in chunk.cites:
                self.cited_by.setdefault(label, []).append(position)

    @cached_property
    def answer_labels(self) -> frozenset[str]:
        """Every label an answer can cite (``Chunk.answer_labels``): the pages passages carry
        and the plan pages an upload cites."""
        return frozenset(self.by_label).union(self.cited_by)

    @cached_property
    def document_names(self) -> frozenset[str]:
        """The names passages are cited by before their own page (overview, メモ.txt): a
        question naming one's page names that page (question/page_refs.py)."""
        return frozenset(c.citation_name for c in self.chunks if not c.refs)

    @cached_property
    def page_documents(self) -> dict[str, str]:
        """Label prefix (中期, 年度, 資料1-3) → the title of the indexed document whose passages
        carry its pages, as citations of those passages name it (one title per document): the
        document a page an upload cites is in."""
        titles: dict[str, str] = {}
        for chunk in self.chunks:
            if not chunk.document_title:
                continue
            for label in chunk.labels:
                prefix = label_prefix(label)
                if prefix:
                    titles.setdefault(prefix, chunk.document_title)
        return titles

    def citing(self, label: str) -> list[Chunk]:
        """Passages of other documents that cite ``label`` (a user's file writing [中期P46]),
        in index order: not the page itself, so they are listed apart from it."""
        return [self.chunks[position] for position in self.cited_by.get(label, ())]

    def kind_factors(self, weights: dict[str, float]) -> np.ndarray:
        """Per-chunk multipliers for the given kind weights (1.0 for other kinds).

        A lookup by precomputed kind codes: this runs on every query.
        """
        table = np.asarray([weights.get(k, 1.0) for k in self._kinds], dtype=np.float32)
        return table[self._kind_codes]

    def text_terms(self) -> sparse.csc_matrix:
        """Chunks × BM25 vocabulary presence of each chunk's own text (index/presence.py);
        built here, once, for an index written before it was saved with the index."""
        if self.own_terms is None:
            analyzer = self.lexical.analyzer
            self.own_terms = build_presence(
                (analyzer.terms(c.text) for c in self.chunks), self.lexical.bm25.vocabulary
            )
        return self.own_terms

    @cached_property
    def states_period(self) -> np.ndarray:
        """Per chunk, whether its text states a period (令和6年4月～令和11年3月)."""
        return np.fromiter(
            (bool(STATED_PERIOD.search(c.text)) for c in self.chunks),
            dtype=bool,
            count=len(self.chunks),
        )

    @cached_property
    def dense_sentences(self) -> DenseSentences | None:
        """The dense encoder's vectors of the passages' sentences, when the build stored
        them (index/dense_sentences.py; read on first use). One that is missing while
        wanted, damaged, or not the generation's encoder's is not read: the ranker's
        feature then reads 0, as with the setting off, and the snapshot says so once."""
        try:
            return DenseSentences.read(
                self.generation,
                str(self.manifest.get("encoder", "")),
                str(self.manifest.get("encoder_revision", "")),
                self.manifest.get("dim"),
            )
        except SentenceFileError as error:
            if self.dense_wanted or (self.generation / DENSE_SENTENCES).exists():
                self.report(
                    notice(
                        DENSE_SENTENCES,
                        ("文の密ベクトル特徴量（dense_uncovered）", "the dense_uncovered feature"),
                        error,
                    )
                )
            return None

    def report(self, text: str) -> None:
        """Note what the generation serves without, in the log (once) and GET /health."""
        if text not in self.notices:
            self.notices.append(text)
            log.warning("%s (%s)", text, self.generation.name)

    @cached_property
    def trace(self) -> Trace:
        """The plan ↔ results links built with this generation (read on first use)."""
        return load_trace(self.generation)

    @cached_property
    def plain_text(self) -> PlainText:
        """Every chunk's text and context, NFKC, whitespace removed: for asking whether the
        plans ever write a phrase (a compound term, two words side by side); each phrase's
        answer kept with this generation (index/plain_text.py)."""
        return PlainText(
            "\n".join(
                "".join(unicodedata.normalize("NFKC", f"{c.context or ''}{c.text}").split())
                for c in self.chunks
            )
        )

    @property
    def encoder_name(self) -> str:
        return str(self.manifest["encoder"])

    def close(self) -> None:
        """Release the generation's Chroma files now rather than when the garbage collector
        finds the snapshot (reference cycles can keep it for a while)."""
        self.store.close()


def open_snapshot(settings: Settings, encoder_name: str) -> Snapshot:
    directory = IndexDirectory(settings.paths.index_dir)
    generation = directory.current()
    if generation is None:
        raise IndexNotFoundError(
            f"no index under {settings.paths.index_dir}: run 'planqa index' first"
        )
    manifest = read_manifest(generation)
    if manifest["encoder"] != encoder_name:
        raise EncoderMismatchError(
            f"the index was built with encoder '{manifest['encoder']}' but '{encoder_name}' "
            "is configured; run 'planqa index' to re-index with it (or set "
            "PLANQA_EMBEDDING__BACKEND back)"
        )
    config = analyzer_config(settings)
    if manifest["analyzer"] != config.key:
        raise EncoderMismatchError(
            f"the index was built with lexical analysis '{manifest['analyzer']}' but "
            f"'{config.key}' is configured; run 'planqa index' to re-index"
        )
    chunks = read_chunks(generation)
    neighbours_path = generation / "neighbours.npz"
    neighbours = (
        NeighbourTable.load(neighbours_path)
        if settings.retrieval.word_vectors and neighbours_path.exists()
        else None
    )
    retrieval = settings.retrieval
    lexical = LexicalSearcher(
        Analyzer(config),
        Bm25Index.load(generation),
        neighbours=neighbours,
        glossary=Glossary.load(settings.paths.glossary, settings.paths.synonyms),
        expansion=ExpansionConfig(
            neighbour_weight=retrieval.neighbour_weight,
            min_similarity=retrieval.min_similarity,
            glossary_weight=retrieval.glossary_weight,
            kanji_similarity=retrieval.kanji_similarity,
            clipped_loanwords=retrieval.clipped_loanwords,
        ),
    )
    notices: list[str] = []
    if neighbours is not None and (
        retrieval.sentence_vectors
        or manifest.get("sentence_vectors")
        or (generation / SENTENCE_VECTORS).exists()
    ):
        try:  # checked now (without chiVe), read at the first similarity asked
            folder = retrieval.chive_dir
            read_sentence_file(generation, settings.sudachi.dictionary, chive=chive_edition(folder))
            lexical.sentence_vectors = LazySentenceVectors(
                generation, settings.paths.var_dir / "cache", settings.sudachi.dictionary, folder
            )
        except SentenceFileError as error:
            notices.append(
                notice(
                    SENTENCE_VECTORS,
                    ("chiVe の文類似度特徴量", "the chiVe sentence features"),
                    error,
                )
            )
            log.warning("%s (%s)", notices[-1], generation.name)
    missing = None if notices else sentence_vectors_missing(settings)
    if missing:  # asked for, but this install cannot make them: the features read 0
        notices.append(missing)
        log.warning("%s (%s)", missing, generation.name)
    if manifest.get("chroma") == "http":
        if not settings.chroma.host:
            raise IndexNotFoundError(
                "the index lives on a Chroma server; set PLANQA_CHROMA_HOST to reach it"
            )
        store = ChromaStore(
            http_client(settings.chroma.host, settings.chroma.port), manifest["collection"]
        )
    else:
        folder = generation / "chroma"
        store = ChromaStore(local_client(folder), manifest["collection"], reader_of=folder)
    ngram = Bm25Index.load(generation, NGRAM_NAME) if manifest.get("ngram") else None
    vectors = _vectors_from(store, chunks) if len(chunks) <= IN_MEMORY_VECTORS else None
    return Snapshot(
        generation,
        manifest,
        chunks,
        lexical,
        store,
        ngram,
        vectors,
        own_terms=load_presence(generation),
        dense_wanted=retrieval.dense_sentences or bool(manifest.get("dense_sentences")),
        notices=notices,
    )


def _vectors_from(store: ChromaStore, chunks: list[Chunk]) -> np.ndarray | None:
    """The chunk vectors as stored in Chroma, in chunk order (None if any is missing)."""
    by_id = store.embeddings()
    if any(c.id not in by_id for c in chunks):
        return None
    matrix = np.asarray([by_id[c.id] for c in chunks], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
