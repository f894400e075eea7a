"""question/cue_words.py: the comparison cues read as words of the question (real Sudachi)."""

from __future__ import annotations

import pytest

from question.cue_words import has_word
from question.normal import nfkc
from question.rules import rules


@pytest.mark.parametrize(
    ("text", "cue", "found"),
    [
        ("年金額の差は?", "across_sides", True),
        ("誤差は?", "across_sides", False),
        ("達成見込みは?", "target_met", True),  # a stem with its okurigana left off
        ("目標を上回った?", "target_met", True),
        ("以前とは比べものにならない?", "across_sides", False),  # 比べ inside the noun 比べ物
    ],
)
def test_cue_words_end_where_a_unit_ends_or_leave_off_one_kana(text, cue, found):
    assert has_word(getattr(rules(), cue), nfkc(text)) is found


def test_reading_the_cues_as_words_adds_no_sudachi_pass(monkeypatch):
    from collections import Counter

    from ingest.sudachi import analyze
    from question import analyse
    from question import morphemes as morphemes_module
    from question.morphemes import morphemes

    calls: Counter[tuple[str, str]] = Counter()

    def counted(text, mode="C", **options):
        calls[(text, mode)] += 1
        return analyze(text, mode, **options)

    monkeypatch.setattr(morphemes_module, "analyze", counted)
    morphemes.cache_clear()
    # A comparison, both sides named, and two subjects asked each: the side reading's one
    # pass in mode A serves every cue.
    for question in (
        "窓口での相談の受け方は、以前との違いがある？",
        "研修の実績と目標は？",
        "障害年金と遺族年金の審査期間はそれぞれ何日？",
    ):
        analysis = analyse(question)
        assert analysis.wants_both_sides is not None and analysis.parts
        assert [key for key in calls if key[1] == "A"] == [(nfkc(question), "A")]
        calls.clear()
