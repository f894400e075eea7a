"""The chiVe sentence similarity: paraphrases score high, the vectors live with the
generation, and the sentence ranker reads the similarity as a feature."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from answer.coverage import QuestionCoverage
from answer.extractive import candidates
from answer.ranker import FEATURES, SentenceRanker
from index.build.builder import build_index
from index.chive import ChiveVectors, chive_dir
from index.sentence_vectors import SENTENCE_VECTORS, build_sentence_vectors
from index.snapshot import open_snapshot
from ingest.sudachi import split_sentences
from planqa.settings import PathSettings, RetrievalSettings, Settings

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"


@pytest.fixture(scope="module")
def chive() -> ChiveVectors:
    directory = chive_dir()
    if directory is None:
        pytest.skip("chiVe (the ja-ginza wheel) is not installed")
    return ChiveVectors.load(directory)


def test_a_paraphrase_scores_above_an_unrelated_sentence(chive: ChiveVectors) -> None:
    plan = (PLANS / "jps-4th-midterm-plan-overview.txt").read_text(encoding="utf-8")
    paraphrase = "子どもたちが広場で遊んでいます。"
    unrelated = "理事会は来週の月曜日に開かれる。"
    vectors = build_sentence_vectors([*split_sentences(plan)[:200], paraphrase, unrelated], chive)
    question = "子供が公園で遊んでいる様子は？"
    # No word of the paraphrase is the question's own (子ども/子供, 広場/公園): only the
    # word vectors bring them together.
    assert vectors.similarity(question, paraphrase) > vectors.similarity(question, unrelated) + 0.3


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, use_encoder) -> Settings:
    root = tmp_path_factory.mktemp("sentence-vectors")
    data = root / "plans"
    data.mkdir()
    overview = PLANS / "jps-4th-midterm-plan-overview.txt"
    (data / overview.name).write_bytes(overview.read_bytes())
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=root / "var"),
        retrieval=RetrievalSettings(sentence_vectors=True),
    )
    build_index([data], settings, use_encoder)
    return settings


def test_sentence_vectors_are_stored_with_the_generation_and_read_back(
    indexed: Settings, use_encoder
) -> None:
    snapshot = open_snapshot(indexed, use_encoder.name)
    try:
        assert (snapshot.generation / SENTENCE_VECTORS).exists()
        lazy = snapshot.lexical.sentence_vectors
        assert lazy is not None
        stored = lazy.vectors
        assert stored is not None
        sentences = {s for c in snapshot.chunks for s in split_sentences(c.text) if len(s) > 1}
        assert sentences == set(stored.texts)
        sentence = next(s for s in stored.texts if len(s) > 20)
        # The stored vector is the one the query-time encoder makes (float16 storage).
        at = stored.texts.index(sentence)
        made = stored.encoder.embed(sentence)
        assert np.allclose(stored.vectors[at].astype(np.float32), made, atol=2e-3)
        assert stored.similarity(sentence, sentence) == pytest.approx(1.0, abs=5e-3)
    finally:
        snapshot.close()


def test_the_ranker_reads_the_similarity_of_each_candidate(indexed: Settings, use_encoder) -> None:
    assert "chive_similarity" in FEATURES and "chive_passage" in FEATURES
    snapshot = open_snapshot(indexed, use_encoder.name)
    try:
        lexical = snapshot.lexical
        question = "年金の保険料を納める人を増やす取組は？"
        contexts = snapshot.chunks[:12]
        coverage = QuestionCoverage(question, lexical, {}, wants_similarity=True)
        found = candidates(contexts, coverage, None)
        assert len(found) > 2
        vectors = lexical.sentence_vectors
        for candidate in found:
            assert candidate.similarity == pytest.approx(
                vectors.similarity(question, candidate.quote)
            )
        assert len({round(c.similarity, 4) for c in found}) > 1
        # A ranker weighing only the similarity puts the most similar sentence first.
        ranker = SentenceRanker({"chive_similarity": 1.0})
        assert ranker.uses_similarity
        scores = ranker.scores(found, question)
        best = max(range(len(found)), key=scores.__getitem__)
        assert found[best].similarity == max(c.similarity for c in found)
        # Without the feature weighed, selection computes no similarity at all.
        assert not SentenceRanker({"coverage": 1.0}).uses_similarity
        plain = candidates(contexts, QuestionCoverage(question, lexical, {}), None)
        assert all(c.similarity == 0.0 for c in plain)
    finally:
        snapshot.close()


def test_sentence_vectors_are_off_by_default_and_turning_them_on_rebuilds(
    tmp_path: Path, use_encoder
) -> None:
    data = tmp_path / "plans"
    data.mkdir()
    overview = PLANS / "jps-4th-midterm-plan-overview.txt"
    (data / overview.name).write_bytes(overview.read_bytes())
    paths = PathSettings(data_dir=data, var_dir=tmp_path / "var")
    off = Settings(paths=paths)
    build_index([data], off, use_encoder)
    snapshot = open_snapshot(off, use_encoder.name)
    try:
        assert not (snapshot.generation / SENTENCE_VECTORS).exists()
        assert snapshot.lexical.sentence_vectors is None
    finally:
        snapshot.close()
    on = Settings(paths=paths, retrieval=RetrievalSettings(sentence_vectors=True))
    build_index([data], on, use_encoder)  # the same documents: only the setting changed
    snapshot = open_snapshot(on, use_encoder.name)
    try:
        assert (snapshot.generation / SENTENCE_VECTORS).exists()
    finally:
        snapshot.close()
