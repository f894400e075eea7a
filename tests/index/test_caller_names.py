"""Everyday names a caller uses for what the plans name officially (the glossary's
organisation and payment lines): real Sudachi, the shipped glossary and synonyms, and a real
index of the bundled plans for the searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.glossary import Glossary
from index.lexical import LexicalSearcher
from index.loader import load_searcher

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "data" / "glossary.txt"
SYNONYMS = ROOT / "data" / "synonyms" / "synonyms.txt"


def _added(question: str) -> set[str]:
    """Terms the shipped glossary searches ``question`` with beyond its own (a phrase's
    Sudachi words: 受取機関 → 受け取り, 機関)."""
    analyzer = Analyzer(AnalyzerConfig(mode="C+A"))
    bm25 = Bm25Index.build([analyzer.counts("年金受取機関の地域部と審査グループ")])
    lexical = LexicalSearcher(analyzer, bm25, glossary=Glossary.load(GLOSSARY, SYNONYMS))
    groups = lexical.term_groups(question)
    return {term for group in groups.values() for term in group} - set(groups)


@pytest.mark.parametrize(
    ("question", "official"),
    [
        ("年金の振込先を変えたい", {"受け取り", "機関"}),  # the form is 年金受取機関変更届
        ("決定内容を確かめる班はある？", {"グループ"}),  # the units are グループ
        ("ブロック本部は今いくつ？", {"地域", "部"}),  # the regional headquarters are 地域部
    ],
)
def test_an_everyday_name_is_searched_with_the_plans_name(question: str, official: set[str]):
    assert official <= _added(question)


@pytest.fixture(scope="module")
def searcher(indexed_settings, use_encoder):
    return load_searcher(indexed_settings, use_encoder)


def _rank(searcher, question: str, evidence: str) -> int | None:
    hits = searcher.search(question, 10)
    return next((i for i, h in enumerate(hits, 1) if evidence in h.chunk.text), None)


def test_a_question_on_changing_the_payee_account_finds_the_form_in_the_top_five(searcher):
    rank = _rank(
        searcher, "年金の振込先を変える届出は、ネットで出せるようになる？", "年金受取機関変更届"
    )
    assert rank is not None and rank <= 5


def test_a_question_on_the_checking_team_finds_its_group_first(searcher):
    question = "年金の決定内容をチェックする班は、いつどこに置かれた？"
    assert _rank(searcher, question, "給付審査検証グループ") == 1


@pytest.mark.parametrize(
    ("question", "native", "compound"),
    [
        ("年金の記録を自分で確かめるには？", "確かめる", "確認"),
        ("加入が難しい事業所への対応は？", "難しい", "困難"),
    ],
)
def test_a_native_word_is_searched_with_the_compound_written_with_its_kanji(
    searcher, question: str, native: str, compound: str
):
    """chiVe puts 確かめる and 確認 below the neighbour floor; sharing the kanji, they count."""
    assert compound in searcher.snapshot.lexical.term_groups(question)[native]


def test_two_compounds_sharing_a_kanji_are_not_made_equivalents(searcher):
    groups = searcher.snapshot.lexical.term_groups("国民年金の保険料は誰が払う？")
    assert "国家" not in groups["国民"]
