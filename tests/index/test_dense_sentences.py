"""The dense encoder's sentence vectors: every passage sentence stored with the generation
through the embedding cache, and read by the ranker's dense features with no sentence
encoded at query time (the question's own vector is the one its search encoded)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import numpy as np
import pytest

from answer import AskRequest
from answer.coverage import QuestionCoverage
from answer.extractive import candidates
from answer.rank import SentenceSelection
from answer.ranker import SentenceRanker
from answer.retrieve import retrieve
from api.app import build_service
from index.build.builder import build_index
from index.build.embedding_cache import EmbeddingCache, cache_path, encoder_key
from index.dense_sentences import DENSE_SENTENCES, DenseSentences
from index.filters import Filters
from index.loader import load_searcher
from index.manifest import read_chunks
from index.records import embedding_text
from ingest.sudachi import split_sentences
from planqa.settings import PathSettings, RetrievalSettings, Settings
from question import analyse


class Counting:
    """The real USE-m3 encoder (same name, prefix and revision: the same cache key), noting
    every text it is asked to encode."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.document_prefix = encoder.document_prefix
        self.revision = encoder.revision
        self.documents: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents.extend(texts)
        return self._encoder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self._encoder.embed_query(text)


def _sentences(generation: Path) -> set[str]:
    return {s for c in read_chunks(generation) for s in split_sentences(c.text) if len(s) > 1}


def test_every_passage_sentence_is_stored_and_a_rebuild_takes_them_from_the_cache(
    corpus: Path, tmp_path: Path, use_encoder
) -> None:
    settings = Settings(
        paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"),
        retrieval=RetrievalSettings(dense_sentences=True),
    )
    counting = Counting(use_encoder)
    first = build_index([corpus], settings, counting)
    stored = DenseSentences.load(first.generation)
    assert stored is not None
    sentences = _sentences(first.generation)
    assert len(sentences) > 100
    assert set(stored.texts) == sentences and len(stored) == len(sentences)
    assert sentences <= set(counting.documents)
    # Each stored vector is the encoder's own (float16 storage), a unit vector.
    sample = sorted(sentences, key=len)[len(sentences) // 2]
    made = np.asarray(use_encoder.embed_documents([sample])[0], dtype=np.float32)
    stored_vector = stored.vectors[stored.texts.index(sample)].astype(np.float32)
    assert np.allclose(stored_vector, made, atol=2e-3)
    # The cache holds them under the chunk vectors' key: encoder, prefix, revision, text.
    with EmbeddingCache(cache_path(settings.paths.var_dir), encoder_key(use_encoder)) as cache:
        assert set(cache.get_many(sorted(sentences))) == sentences

    shutil.rmtree(settings.paths.index_dir)  # from scratch: no previous generation
    counting.documents.clear()
    again = build_index([corpus], settings, counting)
    assert counting.documents == []  # chunks and sentences all from the cache
    rebuilt = DenseSentences.load(again.generation)
    assert rebuilt is not None and rebuilt.texts == stored.texts
    assert np.array_equal(rebuilt.vectors, stored.vectors)


def test_without_the_setting_no_sentence_vectors_are_built(
    corpus: Path, tmp_path: Path, use_encoder
) -> None:
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    counting = Counting(use_encoder)
    report = build_index([corpus], settings, counting)
    assert not (report.generation / DENSE_SENTENCES).exists()
    chunk_texts = {embedding_text(c) for c in read_chunks(report.generation)}
    assert set(counting.documents) <= chunk_texts  # the chunks' texts alone


QUESTION = "保険料を払うのが難しい人への案内は？"


@pytest.fixture(scope="module")
def dense_indexed(
    tmp_path_factory: pytest.TempPathFactory, use_encoder, bundled_plans_copier
) -> Settings:
    """The bundled plans indexed with their sentence vectors (off by default)."""
    data, var = bundled_plans_copier(tmp_path_factory.mktemp("dense-sentences"))
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=var),
        retrieval=RetrievalSettings(dense_sentences=True),
    )
    build_index([data], settings, use_encoder)
    return settings


def test_the_dense_features_read_stored_vectors_and_encode_only_the_question(
    dense_indexed: Settings, use_encoder
) -> None:
    counting = Counting(use_encoder)
    searcher = load_searcher(dense_indexed, counting)
    stored = searcher.snapshot.dense_sentences
    assert stored is not None and len(stored) > 1000
    analysis = analyse(QUESTION)
    retrieval = retrieve(searcher, analysis, 10, Filters())
    ranker = SentenceRanker({"dense_similarity": 1.0})
    assert ranker.uses_dense
    picked = SentenceSelection(dense_indexed.answer, ranker).picked(retrieval)
    assert picked
    # One encoding, the search's; the ranker read the same vector and no sentence was encoded.
    assert counting.queries == [analysis.search_text]
    assert counting.documents == []

    query = searcher.query_vector(analysis.search_text)
    assert query is not None and counting.queries == [analysis.search_text]
    lexical = searcher.snapshot.lexical
    contexts = [hit.chunk for hit in retrieval.hits]
    found = candidates(
        contexts, QuestionCoverage(QUESTION, lexical, {}, dense=(query, stored)), None
    )
    assert len(found) > 3
    for candidate in found[:5]:  # the stored vector's cosine is the encoder's own
        made = np.asarray(use_encoder.embed_documents([candidate.quote])[0], dtype=np.float32)
        assert candidate.dense == pytest.approx(float(made @ query), abs=3e-3)
    assert len({round(c.dense, 3) for c in found}) > 1
    assert all(0.0 <= c.uncovered <= 1.0 for c in found)
    # A ranker weighing only the similarity leads with the most similar sentence.
    assert picked[0].quote == max(found, key=lambda c: c.dense).quote
    # A ranker that does not weigh it reads nothing: the candidates carry 0.
    assert not SentenceRanker({"coverage": 1.0}).uses_dense
    plain = candidates(contexts, QuestionCoverage(QUESTION, lexical, {}), None)
    assert all(c.dense == 0.0 and c.uncovered == 0.0 for c in plain)


def test_a_reworded_question_on_exemption_is_answered_about_exemption(
    dense_indexed: Settings, use_encoder
) -> None:
    """Its words match a list heading on another measure (若年者への督励) and the exemption
    sentences equally little; the shipped weight of dense_uncovered lets the meaning
    decide the first statement."""
    service = build_service(dense_indexed, use_encoder)
    question = "払えない人への免除の手続きは簡単になった？"
    answer = asyncio.run(service.answer(AskRequest(question=question, top_k=10)))
    first = answer.answer.split("\n")[0]
    assert "免除" in first
    assert "若年者に対する" not in first
