"""The sentence-proximity signal (index/proximity.py): a passage stating the question's
terms in one sentence beats one naming them in different sentences, in the rescaled head
of retrieval."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build.builder import build_index
from index.loader import load_searcher
from index.proximity import best_sentence_coverage
from index.retriever import HybridSearcher
from ingest.model import Chunk
from planqa.settings import PathSettings, Settings

QUESTION = "職員の育成で審査体制を構築するのは？"


@pytest.fixture()
def searcher(corpus: Path, tmp_path: Path, use_encoder):
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    build_index([corpus], settings, use_encoder)
    return load_searcher(settings, use_encoder), settings


def _passage(text: str, title: str = "") -> Chunk:
    return Chunk.build(
        text=text, source="memo.txt", locator="1", page=None, kind="text", title=title
    )


def test_the_best_sentence_holds_the_terms_a_passage_states_together(searcher):
    lexical = searcher[0].snapshot.lexical
    together = _passage("職員の育成により審査体制を構築する。予算は別に定める。")
    apart = _passage("職員の育成を進める。審査の体制は別に構築する。")
    # The passages hold the same terms, so passage coverage cannot tell them apart.
    assert lexical.coverage(QUESTION, together.text) == pytest.approx(
        lexical.coverage(QUESTION, apart.text), abs=0.05
    )
    stated = best_sentence_coverage(lexical, QUESTION, together, 0.5)
    split = best_sentence_coverage(lexical, QUESTION, apart, 0.5)
    assert stated > 0.9 and split < 0.75
    assert best_sentence_coverage(lexical, QUESTION, _passage(""), 0.5) == 0.0


def test_a_term_only_in_the_title_counts_at_the_heading_weight(searcher):
    lexical = searcher[0].snapshot.lexical
    titled = _passage("審査体制を構築する。", title="職員の育成")
    untitled = _passage("審査体制を構築する。")
    with_title = best_sentence_coverage(lexical, QUESTION, titled, 0.5)
    assert with_title > best_sentence_coverage(lexical, QUESTION, untitled, 0.5)
    assert with_title > best_sentence_coverage(lexical, QUESTION, titled, 0.0)


def test_a_sentence_weight_multiplies_each_rescaled_score_by_the_best_sentence(
    searcher, use_encoder
):
    searched, settings = searcher
    assert settings.retrieval.sentence_weight == 0.0  # off by default: it lost end to end
    question = "窓口体制と審査体制を構築するのは？"
    weight = 0.5
    off = settings.retrieval.model_copy(update={"sentence_weight": 0.0})
    on = settings.retrieval.model_copy(update={"sentence_weight": weight})
    plain = HybridSearcher(searched.snapshot, use_encoder, off).search(question, 10)
    with_sentence = {
        h.chunk.id: h
        for h in HybridSearcher(searched.snapshot, use_encoder, on).search(question, 30)
    }
    lexical = searched.snapshot.lexical
    heading_weight = settings.retrieval.coverage_heading_weight
    compared = 0
    for hit in plain:
        if hit.chunk.id not in with_sentence:
            continue
        best = best_sentence_coverage(lexical, question, hit.chunk, heading_weight)
        assert with_sentence[hit.chunk.id].score == pytest.approx(hit.score * (1 + weight * best))
        compared += 1
    assert compared >= 5
