"""The phrase signal (index/phrase.py): a passage stating the question's phrase beats one
naming its words apart in retrieval (the rescaled head); a sentence the question restates
whole is told apart for the sentence ranker (tests/answer/test_ranker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import phrase
from index.build.builder import build_index
from index.loader import load_searcher
from index.retriever import HybridSearcher
from planqa.settings import PathSettings, Settings


def test_the_share_counts_the_questions_four_grams_the_text_holds():
    asked = phrase.grams("窓口の予約制を全国で導入したのは？")
    stated = phrase.shared_share(asked, "機構は窓口の予約制を全国で導入した。")
    apart = phrase.shared_share(asked, "予約は窓口で受ける。全国への導入は議論された。")
    assert stated > 0.6 > 0.1 > apart
    assert phrase.shared_share(frozenset(), "医師") == 0.0
    # NFKC and punctuation do not split a phrase: ＡＢＣＤ is abcd.
    assert phrase.shared_share(phrase.grams("ＡＢＣＤ"), "ab、cd") == 1.0


def test_a_sentence_is_restated_when_the_question_holds_each_of_its_four_grams():
    asked = phrase.grams("事務センターを集約した。その後の体制とは何か")
    assert phrase.restates(asked, "事務センターを集約した。")
    assert not phrase.restates(asked, "その後の体制は二拠点であった。")
    assert not phrase.restates(asked, "制度")  # under 4 characters: nothing to restate


@pytest.fixture()
def searcher(corpus: Path, tmp_path: Path, use_encoder):
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    build_index([corpus], settings, use_encoder)
    return load_searcher(settings, use_encoder), settings


def test_a_phrase_weight_multiplies_each_rescaled_score_by_the_phrase_share(searcher, use_encoder):
    searched, settings = searcher
    assert settings.retrieval.phrase_weight == 0.0  # off by default: it lost end to end
    question = "倉庫保管文書の保管方法の検討を実施するのは？"
    weight = 0.25
    on = settings.retrieval.model_copy(update={"phrase_weight": weight})
    plain = searched.search(question, 10)
    with_phrase = {
        h.chunk.id: h
        for h in HybridSearcher(searched.snapshot, use_encoder, on).search(question, 30)
    }
    asked = phrase.grams(question)
    compared = 0
    for hit in plain:
        if hit.chunk.id not in with_phrase:
            continue
        share = phrase.shared_share(asked, hit.chunk.text)
        assert with_phrase[hit.chunk.id].score == pytest.approx(hit.score * (1 + weight * share))
        compared += 1
    assert compared >= 5
