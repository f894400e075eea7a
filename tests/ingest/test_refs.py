"""Plan-page references: every form written in the plans gives the exact citation labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.refs import (
    extract_refs,
    is_label,
    labels_in_query,
    normalize_label,
    parse_bracket_content,
    strip_bracket_refs,
)


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("[中期P46,年度P47,48]", ("中期P46", "年度P47", "年度P48")),
        ("【中期P40,41,年度P40,41】", ("中期P40", "中期P41", "年度P40", "年度P41")),
        ("[中期P18,61,年度P18,61]", ("中期P18", "中期P61", "年度P18", "年度P61")),
        ("［中期Ｐ４６，年度Ｐ４７］", ("中期P46", "年度P47")),
        ("資料１－３：令和５年度業務実績報告書（案）6ページ～", ("資料1-3 P6",)),
        ("資料１－４：第３期中期業務実績報告書（案）4ページ～", ("資料1-4 P4",)),
    ],
)
def test_written_forms_give_canonical_labels(text: str, labels: tuple[str, ...]):
    assert extract_refs(text) == labels


def test_bracket_refs_with_spaces_give_the_same_labels():
    # README form: spaces around the prefix, the P and the separators.
    assert extract_refs("[ 中期 P46 , 年度 P47 ]") == ("中期P46", "年度P47")


def test_bracket_refs_inside_a_sentence_are_found_in_order():
    text = "●納付率の向上に取り組む。[中期P9,10]併せて若年層に周知する。【年度P9,中期P9】"
    assert extract_refs(text) == ("中期P9", "中期P10", "年度P9")


def test_both_footers_of_a_slide_give_both_material_labels():
    text = (
        "資料１－３：令和５年度業務実績報告書（案）6ページ～\n"
        "資料１－４：第３期中期業務実績報告書（案）4ページ～"
    )
    assert extract_refs(text) == ("資料1-3 P6", "資料1-4 P4")


def test_a_page_range_expands_and_an_absurd_range_does_not():
    assert parse_bracket_content("中期P46~48") == ("中期P46", "中期P47", "中期P48")
    assert parse_bracket_content("中期P46~480") == ("中期P46",)


def test_brackets_without_a_plan_prefix_are_not_refs():
    assert extract_refs("【納付率等の目標の達成】[注1]（令和５年度計画）") == ()


def test_strip_bracket_refs_leaves_the_title():
    assert strip_bracket_refs("●外国人への収納対策 [中期P11]") == "●外国人への収納対策"


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("中期P62には何が書いてある？", ("中期P62",)),
        ("資料1-3 6ページ", ("資料1-3 P6",)),
        ("年度ｐ４７", ("年度P47",)),
        ("資料１－４ P4 と 中期P62", ("資料1-4 P4", "中期P62")),
    ],
)
def test_labels_named_in_a_question(query: str, labels: tuple[str, ...]):
    assert labels_in_query(query) == labels


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("中期p.46", "中期P46"),
        ("中期P.46", "中期P46"),
        ("年度ｐ．４７", "年度P47"),
        ("中期 p. 46", "中期P46"),
        ("資料1-3 p.6", "資料1-3 P6"),
        ("資料１－４ Ｐ．３９", "資料1-4 P39"),
    ],
)
def test_a_page_written_with_a_dot_after_p_names_the_same_label(typed: str, label: str):
    # p.46 is how page numbers are commonly written (and how planqa writes file labels);
    # /ask reads it, so /refs, /trace and the MCP tools must too.
    assert normalize_label(typed) == label
    assert labels_in_query(f"{typed}には何が書いてある？") == (label,)


def test_canonical_labels_are_recognised_and_typed_ones_normalised():
    assert all(is_label(label) for label in ("中期P46", "年度P47", "資料1-3 P6"))
    assert not is_label("中期 P46")
    assert normalize_label("中期ｐ６２") == "中期P62"
    assert normalize_label("中期P1と年度P2") is None


# --- property: any rendering of a list of (prefix, pages) groups gives its labels -----------

_FULL_WIDTH = str.maketrans("0123456789Pp", "０１２３４５６７８９Ｐｐ")
_BRACKETS = [("[", "]"), ("【", "】"), ("［", "］")]
_SEPARATORS = [",", "、", "，"]
_FILLER = ["", "●適用事業所の調査を実施する。", "併せて、収納対策を行う。"]

groups_strategy = st.lists(
    st.tuples(
        st.sampled_from(["中期", "年度"]),
        st.lists(st.integers(min_value=1, max_value=150), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=4,
)


def expected_labels(groups: list[tuple[str, list[int]]]) -> tuple[str, ...]:
    labels = (f"{prefix}P{page}" for prefix, pages in groups for page in pages)
    return tuple(dict.fromkeys(labels))


@st.composite
def rendered_ref(draw: st.DrawFn, *, spaces: bool) -> tuple[str, tuple[str, ...]]:
    """(text with one bracketed reference, the labels it stands for)."""
    groups = draw(groups_strategy)

    def space() -> str:
        return draw(st.sampled_from(["", " ", "\u3000"])) if spaces else ""

    items: list[str] = []
    for prefix, pages in groups:
        for index, page in enumerate(pages):
            letter = draw(st.sampled_from("Pp"))
            if index == 0 or draw(st.booleans()):
                item = f"{prefix}{space()}{letter}{page}"
            else:
                item = str(page)
            items.append(item.translate(_FULL_WIDTH) if draw(st.booleans()) else item)
    separator = draw(st.sampled_from(_SEPARATORS))
    opening, closing = draw(st.sampled_from(_BRACKETS))
    body = f"{space()}{separator}{space()}".join(items)
    text = f"{draw(st.sampled_from(_FILLER))}{opening}{space()}{body}{space()}{closing}"
    return text + draw(st.sampled_from(_FILLER)), expected_labels(groups)


@given(rendered_ref(spaces=False))
def test_any_rendering_of_plan_refs_gives_its_labels_in_order(case: tuple[str, tuple[str, ...]]):
    text, labels = case
    assert extract_refs(text) == labels


@given(rendered_ref(spaces=True))
def test_spaces_inside_a_plan_ref_change_nothing(case: tuple[str, tuple[str, ...]]):
    text, labels = case
    assert extract_refs(text) == labels
