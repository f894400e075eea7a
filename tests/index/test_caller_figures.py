"""A figure or loanword a caller writes otherwise than the plans: a Western fiscal year, an
age written in kanji or as ハタチ, a clipped loanword (real Sudachi, a BM25 index over short
plan-like texts, and the bundled plans' index for the search)."""

from __future__ import annotations

import pytest

from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.lexical import ExpansionConfig, LexicalSearcher, clipped_front
from index.loader import load_searcher


def _scores(texts: list[str], question: str, *, clipped: bool = True) -> list[float]:
    analyzer = Analyzer(AnalyzerConfig(mode="C+A"))
    bm25 = Bm25Index.build([analyzer.counts(text) for text in texts])
    expansion = ExpansionConfig(glossary_weight=0.6, clipped_loanwords=clipped)
    return list(LexicalSearcher(analyzer, bm25, expansion=expansion).scores(question))


def test_a_western_fiscal_year_finds_the_passage_dated_by_the_era():
    asked, other = _scores(
        ["令和5年度の収納率は98.7％となった。", "令和4年度の収納率は98.3％となった。"],
        "2023年度の収納率は？",
    )
    assert asked > other


@pytest.mark.parametrize("question", ["二十歳の納付率は？", "ハタチの学生の納付率は？"])
def test_an_age_in_kanji_or_its_everyday_word_finds_the_age_in_digits(question: str):
    asked, other = _scores(["20歳到達者の納付率", "60歳到達者の納付率"], question)
    assert asked > other


def test_a_clipped_loanword_finds_the_whole_loanword():
    texts = ["リスクアセスメントを実施する。", "時間外勤務を縮減する。"]
    asked, other = _scores(texts, "アセスはしてる？")
    assert asked > other == 0
    assert _scores(texts, "アセスはしてる？", clipped=False)[0] == 0


@pytest.mark.parametrize(
    ("short", "word", "clipped"),
    [
        ("アセス", "アセスメント", True),
        ("テレワ", "テレワーク", True),
        ("プロ", "プロセス", False),  # less than half: another word as often as a clipping
        ("ワーク", "ワーク", False),
        ("ネット", "インターネット", False),  # the back, not the front
    ],
)
def test_a_clipping_keeps_the_front_and_at_least_half(short: str, word: str, clipped: bool):
    assert clipped_front(short, word) is clipped


@pytest.fixture(scope="module")
def searcher(indexed_settings, use_encoder):
    return load_searcher(indexed_settings, use_encoder)


def test_a_clipped_loanword_finds_the_plans_passage_first(searcher):
    hits = searcher.search("アセスをしてる？", 5)
    assert "アセスメント" in hits[0].chunk.text
