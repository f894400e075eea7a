"""The readers of a question share one Sudachi pass per split mode (real Sudachi)."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.sudachi import analyze
from question import morphemes as morphemes_module
from question.morphemes import morphemes
from question.topic_words import topic_words
from question.unknown_terms import unknown_compounds


@pytest.fixture
def calls(monkeypatch) -> Counter[tuple[str, str]]:
    """Sudachi analyses counted by (text, mode), the shared cache emptied first."""
    counted_calls: Counter[tuple[str, str]] = Counter()

    def counted(text, mode="C", **options):
        counted_calls[(text, mode)] += 1
        return analyze(text, mode, **options)

    monkeypatch.setattr(morphemes_module, "analyze", counted)
    morphemes.cache_clear()
    return counted_calls


def test_a_question_read_by_several_readers_is_analysed_once_per_mode(calls):
    question = "ねんきん定期便の送付先住所を変更したいのですが、窓口はどこですか"
    for _ in range(2):  # the service reads a question more than once
        topic_words(question)
        unknown_compounds(question, "", lambda word: [])
    assert calls[(question, "A")] == 1 and calls[(question, "C")] == 1
    assert max(calls.values()) == 1  # each long unit's short units read once too
    assert [t.surface for t in morphemes(question, "C")] == [
        t.surface for t in analyze(question, "C")
    ]


def test_a_question_as_typed_and_in_nfkc_is_analysed_once(calls):
    typed = "窓口は全国で何ヶ所ありますか？（２０２３年度）"
    normal = "窓口は全国で何ヶ所ありますか?(2023年度)"
    assert morphemes(typed, "C") == morphemes(normal, "C")
    assert sum(calls.values()) == 1
