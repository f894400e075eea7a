"""Sudachi tokenisation with the real dictionary: forms, long inputs, sentences, threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sudachipy import Dictionary

from ingest.sudachi import analyze, split_sentences, tokenize

SUDACHI_LIMIT_BYTES = 49_149


def test_tokenize_returns_normalized_forms():
    assert tokenize("シュミレーションを行いました") == ["シミュレーション", "行う"]
    assert tokenize("附属の書類") == ["付属", "書類"]
    assert "USBメモリー" in tokenize("ＵＳＢメモリーで打ち込む")


def test_tokenize_surface_form_keeps_the_text_as_written():
    tokens = tokenize("ＵＳＢメモリーで打ち込む", form="surface", drop_stopwords=False)
    assert "".join(tokens) == "ＵＳＢメモリーで打ち込む"


def test_tokenize_drops_particles_only_when_asked():
    text = "国民年金保険料の納付率が向上した"
    kept = tokenize(text, drop_stopwords=False)
    dropped = tokenize(text)
    assert {"の", "が"} <= set(kept)
    assert not {"の", "が", "た"} & set(dropped)
    assert {"国民年金保険料", "納付", "向上"} <= set(dropped)


def test_split_mode_a_is_finer_than_c():
    assert tokenize("国民年金保険料", mode="C") == ["国民年金保険料"]
    assert tokenize("国民年金保険料", mode="A") == ["国民", "年金", "保険", "料"]


def test_sudachi_itself_refuses_long_input():
    # Why analyze must cut: the raw tokenizer fails above its byte limit.
    with pytest.raises(Exception, match="too long"):
        Dictionary(dict="core").create().tokenize("年金記録" * 5_000)


@pytest.mark.parametrize(
    "text",
    [
        "国民年金の保険料を納付する。年金事務所の窓口で相談を受ける！\n" * 800,
        "年金記録" * 8_000,  # one line with no sentence end at all
    ],
    ids=["sentences", "one-long-line"],
)
def test_analyze_cuts_texts_over_60kb_without_losing_a_character(text: str):
    assert len(text.encode("utf-8")) > 60_000 > SUDACHI_LIMIT_BYTES
    tokens = analyze(text)
    assert "".join(token.surface for token in tokens) == text


def test_split_sentences_keeps_a_quoted_sentence_together():
    text = "理事長は「制度を実務に。」と述べた。次に進む。"
    assert split_sentences(text) == ["理事長は「制度を実務に。」と述べた。", "次に進む。"]


def test_split_sentences_splits_after_each_sentence_end():
    text = "納付率が向上した。本当か？目標を達成した！"
    assert split_sentences(text) == ["納付率が向上した。", "本当か？", "目標を達成した！"]


def test_an_exclamation_mark_inside_a_latin_name_ends_no_sentence():
    """A service named with ! (Yahoo!) was cut after its name: the answer quoted
    「は、1994年に…設立された。」 without its subject."""
    text = "Yahoo!は1994年に設立された。Yahoo!の検索を使う。値は? 不明だ。"
    assert split_sentences(text) == [
        "Yahoo!は1994年に設立された。",
        "Yahoo!の検索を使う。",
        "値は?",
        "不明だ。",
    ]
    assert split_sentences("使ったのはYahoo!") == ["使ったのはYahoo!"]


def test_a_plan_ref_after_a_space_stays_with_its_sentence_verbatim():
    # Regression: the space before the ref was dropped, so no sentence of a ● measure was
    # a substring of its text and answers could not quote a single overview measure.
    text = "●催告状等送付に係る事務処理の効率化に資する施策を実施する。 [中期P12]\n・次の施策。[年度P6]"
    sentences = split_sentences(text)
    assert sentences == [
        "●催告状等送付に係る事務処理の効率化に資する施策を実施する。 [中期P12]",
        "・次の施策。[年度P6]",
    ]
    assert all(sentence in text for sentence in sentences)


def test_split_sentences_splits_at_line_breaks_and_drops_blanks():
    assert split_sentences("●適用の促進\n\n・調査の実施 ") == ["●適用の促進", "・調査の実施"]


def test_tokenize_from_four_threads_matches_single_thread():
    texts = [
        f"第{n}期中期計画では、年金事務所の窓口で保険料の納付を案内し、相談に応じる。" * 20
        for n in range(1, 41)
    ]
    expected = [tokenize(text) for text in texts]
    start_together = threading.Barrier(4)

    def tokenize_all(_: int) -> list[list[str]]:
        start_together.wait()
        return [tokenize(text) for text in texts]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(tokenize_all, range(4)))
    assert results == [expected] * 4
