"""Pure parts of answering: citation checks, follow-ups, sentence display, answer types."""

from __future__ import annotations

import pytest

from api.answer_type import expected_answer, fiscal_years, provides, unknown_names, years
from api.extractive import compose, display, sentences_of, wants_figure
from api.followup import standalone
from api.llm import check_citations
from api.schemas import Turn
from ingest.model import Chunk

ALLOWED = {"中期P46", "年度P47", "資料1-3 P61", "results p.14"}


def test_citation_check_keeps_known_labels_in_any_written_form():
    checked = check_citations("目標は70%。【中期Ｐ４６・年度 p47】次。【資料１－３ P61】", ALLOWED)
    assert checked.labels == ["中期P46", "年度P47", "資料1-3 P61"]
    assert checked.text == "目標は70%。【中期P46・年度P47】次。【資料1-3 P61】"
    assert checked.removed == []


def test_citation_check_removes_invented_labels_and_empty_tags():
    checked = check_citations("A。【中期P46・中期P999】B。【年度P1】", ALLOWED)
    assert checked.text == "A。【中期P46】B。"
    assert checked.removed == ["中期P999", "年度P1"]


def test_citation_check_leaves_quoted_titles_and_own_page_citations():
    checked = check_citations("【コールセンターにおける応答率】は上昇。【results p.14】", ALLOWED)
    assert checked.text.startswith("【コールセンターにおける応答率】")
    assert checked.labels == ["results p.14"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("それの目標は？", "コールセンターの応答率は？ 目標は？"),
        ("令和5年度の実績は？", "コールセンターの応答率は？ 令和5年度の実績は？"),
        (
            "国民年金保険料の最終納付率の令和5年度の実績は？",
            "国民年金保険料の最終納付率の令和5年度の実績は？",
        ),
    ],
)
def test_follow_ups_lean_on_the_previous_user_question(question: str, expected: str):
    history = [
        Turn(role="user", content="コールセンターの応答率は？"),
        Turn(role="assistant", content="…"),
    ]
    assert standalone(question, history) == expected
    assert standalone(question, []) == question


def test_sentences_are_verbatim_and_display_drops_bullets_and_refs():
    chunk = Chunk.build(
        text="●応答率は70%以上を確保する。[中期P46,年度P47,48]\n・予約率90%以上を維持する。",
        source="x.txt",
        locator="a",
        page=1,
        kind="measure",
        refs=("中期P46",),
    )
    sentences = sentences_of(chunk)
    assert all(s in chunk.text for s in sentences)
    assert display(sentences[0]) == "応答率は70%以上を確保する。"


def test_compose_puts_the_labels_after_each_statement():
    chunk = Chunk.build(text="応答率は70%以上。", source="x.txt", locator="a", page=3, kind="text")
    from api.extractive import Picked

    answer = compose([Picked("応答率は70%以上。", "応答率は70%以上。", chunk, 1.0)])
    assert answer == "応答率は70%以上。【x.txt p.3】"


def test_answer_types_and_years():
    assert expected_answer("ねんきんダイヤルの電話番号は？") == "phone"
    assert expected_answer("窓口は何時まで？") == "clock"
    assert expected_answer("保険料は月額いくら？") == "money"
    assert expected_answer("応答率の目標は？") is None
    assert provides("money", ["業務経費 2,137.2億円"]) and not provides("money", ["予算を確保"])
    assert provides(None, [])
    assert years("令和５年度と令和元年") == {"令和5", "令和1"}
    assert fiscal_years("令和６年４月、令和５年度") == {"令和5年度"}
    assert unknown_names("iDeCoとJ-LISの違いは？", {"j-lis"}) == ["iDeCo"]
    assert wants_figure("何件あった？") and not wants_figure("どう対応する？")
