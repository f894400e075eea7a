"""A noun written right after a figure is that figure's unit, not what a count counts
(question/answer_type.counted_nouns): read without compiling a pattern per noun, it must
find exactly what ``\\d\\s*noun`` finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from question.answer_type import _after_figure, counted_nouns

PIECES = st.sampled_from(["1", "２", "٣", " ", "\u3000", "\t", "年", "度", "末", "職", "員", "a"])


@given(st.lists(PIECES, max_size=10).map("".join), st.lists(PIECES, max_size=3).map("".join))
def test_a_noun_after_a_figure_is_found_as_the_pattern_finds_it(text, noun):
    assert _after_figure(noun, text) == bool(re.search(rf"\d\s*{re.escape(noun)}", text))


def test_a_unit_after_a_figure_is_not_counted_and_the_counted_noun_is():
    question = "2023年度末の職員は何人？ 5 年間で窓口は何か所増えた？"
    assert counted_nouns(question, ["年度末", "職員", "年間", "窓口"]) == ["職員", "窓口"]
