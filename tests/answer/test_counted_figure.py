"""The asked figure read by its noun (answer/counted_figure.py): a count asked with いくつ or
何個 is answered by the number of the thing counted (12の州, 12州) or in a generic counter
(3つ, 5個); a question asking where, who or what asks no figure (real Sudachi)."""

from __future__ import annotations

import pytest

from answer.counted_figure import asks_other_than_figure, counted_figure, counted_noun


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("全国に事務所はいくつありますか", "事務所"),
        ("いくつの拠点を設けているか", "拠点"),
        ("相談窓口は何個ありますか", "相談窓口"),
        ("何個の相談窓口がありますか", "相談窓口"),
    ],
)
def test_the_noun_counted_is_read_from_the_question(question: str, noun: str):
    assert counted_noun(question) == noun
    pattern = counted_figure(question)
    assert pattern is not None
    assert pattern.search(f"全国に312の{noun}がある。")
    assert pattern.search(f"全国に312{noun}がある。")
    assert pattern.search("全国に3つある。")
    assert not pattern.search("全国に312件の相談があった。")


@pytest.mark.parametrize(
    "question", ["応答率は何％ですか", "届書の受付は何件あったか", "事務所はどこにありますか"]
)
def test_a_question_counting_in_another_counter_reads_no_noun_count(question: str):
    assert counted_figure(question) is None


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("事務所はどこにありますか", True),
        ("理事長は誰ですか", True),
        ("この制度の目的は何ですか", True),
        ("どこの事務所の応答率が何％か", True),
        ("届書の受付は何件あったか", False),
        ("研修は何年に始まりましたか", False),
        ("事務所はいくつありますか", False),
        ("応答率の目標は？", False),
    ],
)
def test_where_who_and_what_ask_no_figure(question: str, other: bool):
    assert asks_other_than_figure(question) is other
