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
