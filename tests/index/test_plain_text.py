"""The plans' plain text answers ``phrase in text`` as a str does, each phrase once."""

from __future__ import annotations

import pytest

import index.plain_text as plain_text_module
from index.plain_text import PlainText

TEXT = "日本年金機構は年金事務所で来所相談を受け付ける。\n国民年金保険料の納付書を送付する。"


@pytest.mark.parametrize("phrase", ["年金事務所", "納付書", "保険料率", "", "。\n国", "x"])
def test_a_phrase_is_found_as_in_the_str_and_kept(phrase):
    text = PlainText(TEXT)
    assert (phrase in text) is (phrase in TEXT)
    assert (phrase in text) is (phrase in TEXT)  # the kept answer
    assert text._held == {phrase: phrase in TEXT}
    assert text == TEXT and isinstance(text, str)


def test_a_non_str_is_refused_as_by_a_str():
    with pytest.raises(TypeError):
        1 in PlainText(TEXT)  # noqa: B015


def test_the_kept_answers_start_again_past_the_limit(monkeypatch):
    monkeypatch.setattr(plain_text_module, "REMEMBERED", 2)
    text = PlainText(TEXT)
    for phrase in ("年金", "機構", "相談"):
        assert phrase in text
    assert text._held == {"相談": True}


def test_the_passages_are_the_lines_the_text_joins_split_once():
    text = PlainText(TEXT)
    cut = TEXT.index("\n")
    assert text.passages == (TEXT[:cut], TEXT[cut + 1 :])
    assert text.passages is text.passages
