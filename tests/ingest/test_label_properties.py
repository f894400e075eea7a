"""Label parsing on arbitrary Unicode: the parsers read what users and files write, so no
text may make them raise, and what they return is canonical.

Covers ``ingest/refs.py`` (labels in questions and in plan text, file labels) and
``question/page_refs.py`` (pages named in natural forms). The strategies mix the characters
that broke parsers before: lone surrogates, control and bidi marks, full-width digits and
page numbers of thousands of digits (Python refuses ``int()`` past 4,300 digits).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.refs import (
    LABEL_SEPARATORS,
    document_label,
    extract_refs,
    is_label,
    label_spans,
    labels_in_query,
    normalize_label,
    parse_bracket_content,
)
from question.page_refs import page_references, strip_page_references

HOSTILE_CHARS = (
    "\ud800\udfff\x00\x1b\n\r\t\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff"
    "・･、,，【】[]［］P Pｐ中期年度資料ページ頁以降〜～-－ー0123456789０１２３４５６７８９"
)
fragments = st.one_of(
    st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=12),
    st.text(max_size=8),  # any code point, surrogates included
    st.sampled_from(["中期P", "年度P", "資料1-3 P", "資料１－４の", "中期計画の", "年度計画"]),
    st.integers(min_value=0, max_value=10_000).map(lambda n: "9" * n),
    st.integers(min_value=0, max_value=10_000).map(lambda n: "９" * n),
)
texts = st.lists(fragments, max_size=6).map("".join)
LONG_PAGE = "中期P" + "9" * 10_000
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(texts)
@example(LONG_PAGE)
@example("資料1-3 P" + "1" * 10_000)
@example("[中期P" + "4" * 10_000 + "]")
@example("資料１－３：令和５年度業務実績報告書（案）" + "6" * 10_000 + "ページ～")
@example("\ud800中期P62\u202e")
def test_label_parsers_never_raise(text: str):
    label_spans(text)
    labels_in_query(text)
    normalize_label(text)
    is_label(text)
    extract_refs(text)
    parse_bracket_content(text)
    page_references(text)
    strip_page_references(text)


@PROFILE
@given(texts)
@example("中期ｐ６２")
@example("資料１－３ Ｐ０６")
@example("中期P0062")
def test_a_normalized_label_is_canonical_and_normalizes_to_itself(text: str):
    label = normalize_label(text)
    if label is not None:
        assert is_label(label), label
        assert normalize_label(label) == label


@PROFILE
@given(texts)
def test_every_label_found_in_a_question_is_canonical_and_lies_in_its_span(text: str):
    for span in label_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        assert all(is_label(label) for label in span.labels)
        # The written reference alone names the same label.
        assert labels_in_query(text[span.start : span.end]) == span.labels


@PROFILE
@given(st.sampled_from(["中期", "年度"]), st.integers(min_value=0, max_value=9999))
def test_a_plan_label_round_trips(prefix: str, page: int):
    label = f"{prefix}P{page}"
    assert is_label(label)
    assert normalize_label(label) == label == normalize_label(f"{prefix} p {page}")
    full_width = label.translate(str.maketrans("0123456789P", "０１２３４５６７８９Ｐ"))
    assert normalize_label(full_width) == label


@PROFILE
@given(
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=0, max_value=9999),
)
def test_a_material_label_round_trips(volume: int, part: int, page: int):
    label = f"資料{volume}-{part} P{page}"
    assert is_label(label)
    assert normalize_label(label) == label


@PROFILE
@given(
    st.sampled_from(["中期P", "年度P", "資料1-3 P", "資料01-3 P", "中期P0", "年度 P"]),
    st.text(alphabet="0123456789０１２３４５６７８９٦", max_size=6),
)
@example("中期P", "062")
@example("中期P", "٦٢")  # Arabic-Indic digits: a decimal to int(), no canonical page
@example("中期P", "12345")
def test_only_canonical_labels_are_labels(prefix: str, digits: str):
    text = prefix + digits
    assert is_label(text) == (normalize_label(text) == text)


@PROFILE
@given(texts)
def test_page_references_give_canonical_labels_inside_the_question(text: str):
    for reference in page_references(text):
        assert is_label(reference.label), reference
        assert 0 <= reference.start < reference.end <= len(text)


@PROFILE
@given(st.text(max_size=300), st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)))
@example("年金・相談メモ.txt", 1)
@example("【議事録】a,b、c，d･e.txt", 3)
@example("a\nb\x00c\u202e.txt", None)
def test_a_file_label_holds_no_separator_and_no_line_break(name: str, page: int | None):
    label = document_label(name, page)
    assert label and not any(mark in label for mark in LABEL_SEPARATORS)
    assert "\n" not in label and "\r" not in label and "/" not in label
    assert label == label.strip()
    assert label.encode("utf-8")  # no lone surrogate
    assert page is None or not is_label(label)
    assert document_label(label, None) == label  # made safe once, it stays as it is


def test_a_passage_of_a_file_named_with_a_separator_is_cited_by_one_label():
    from ingest.model import Chunk

    chunk = Chunk.build(
        text="巡回相談の記録。", source="年金・相談メモ.txt", locator="p1", page=1, kind="text"
    )
    assert chunk.labels == ("年金_相談メモ.txt p.1",)
    bundled = Chunk.build(
        text="x",
        source="jps-3rd-midterm-fy2023-results.txt",
        locator="p14",
        page=14,
        kind="text",
    )
    assert bundled.labels == ("results p.14",)  # the bundled documents' labels are unchanged
