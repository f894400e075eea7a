"""Cleaning extracted text: HTML leftovers go, Japanese angle labels and line structure stay."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.clean import join_broken_lines, normalize_for_match, strip_html


@pytest.mark.parametrize(
    "tag",
    ['<p data-bbox="1 2 3 4">', "</p>", "</ul>", '<ul style="list-style-type: none">', "<li>"],
)
def test_strip_html_removes_tags_and_attributes(tag: str):
    assert strip_html(f"{tag}最終納付率{tag}").strip() == "最終納付率"


def test_strip_html_keeps_the_text_of_a_real_table_cell():
    cell = (
        '<p>【納付率等の目標の達成】</p> <ul style="list-style-type: none"> '
        "<li>○最終納付率は80%台に到達した。</li></ul>"
    )
    lines = [line.strip() for line in strip_html(cell).split("\n") if line.strip()]
    assert lines == ["【納付率等の目標の達成】", "○最終納付率は80%台に到達した。"]


@pytest.mark.parametrize(
    "label",
    [
        "<本部>",
        "<年金事務所>",
        "<事業所向けサービス>",
        "<第3期中期計画に基づく取組の総括（平成31年4月～令和6年3月）>",
    ],
)
def test_strip_html_keeps_japanese_labels_in_angle_brackets(label: str):
    assert strip_html(f"<p>{label}の取組</p>").strip() == f"{label}の取組"


def test_strip_html_decodes_entities():
    assert strip_html("A&amp;B &lt;本部&gt;") == "A&B <本部>"


def test_join_broken_lines_joins_a_word_broken_by_the_extraction():
    assert join_broken_lines(["○最終納", "付率は80%台に到達した。"]) == [
        "○最終納付率は80%台に到達した。"
    ]


@pytest.mark.parametrize("mark", ["○", "●", "・"])
def test_join_broken_lines_keeps_the_break_before_a_bullet(mark: str):
    lines = ["適用事業所の調査を実", "施する。", f"{mark}加入指導を行う。"]
    assert join_broken_lines(lines) == ["適用事業所の調査を実施する。", f"{mark}加入指導を行う。"]


def test_join_broken_lines_keeps_the_break_at_a_blank_line():
    assert join_broken_lines(["前の段落", "", "次の段落"]) == ["前の段落", "次の段落"]


def test_join_broken_lines_keeps_a_space_only_between_latin_words():
    assert join_broken_lines(["e-Gov", "service の利用"]) == ["e-Gov service の利用"]
    assert join_broken_lines(["ねんきん", "ネット"]) == ["ねんきんネット"]


def test_normalize_for_match_is_nfkc_without_whitespace():
    text = "最終納付率　８０％\n台 （令和５年度）\t<p>ＡＢＣ</p>"
    normalized = normalize_for_match(text)
    assert normalized == "最終納付率80%台(令和5年度)ABC"
    assert normalized == unicodedata.normalize("NFKC", normalized)
    assert not any(char.isspace() for char in normalized)
