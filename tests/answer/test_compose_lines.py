"""Composing the answer (answer/compose.compose): a statement that continues its
passage's line verbatim joins it under one label group; any other keeps its own line."""

from __future__ import annotations

from answer.compose import compose
from answer.extractive import Picked
from answer.rank import parts_answered
from ingest.model import Chunk

_TEXT = "● 窓口の予約枠を拡大する。\n予約率は8割を超えた。また、待ち時間は短縮した。\n職員研修を実施する。"


def _chunk() -> Chunk:
    return Chunk.build(
        text=_TEXT, source="plan.txt", locator="p12", page=12, kind="measure", refs=("中期P12",)
    )


def _picked(chunk: Chunk, sentence: str) -> Picked:
    return Picked(sentence, sentence, chunk, 1.0)


def test_a_statement_continuing_its_passage_joins_the_line_under_one_label_group():
    chunk = _chunk()
    answer = compose(
        [_picked(chunk, "予約率は8割を超えた。"), _picked(chunk, "また、待ち時間は短縮した。")]
    )
    assert answer == "予約率は8割を超えた。また、待ち時間は短縮した。【中期P12】"


def test_statements_apart_in_their_passage_keep_their_own_lines():
    chunk = _chunk()
    answer = compose(
        [_picked(chunk, "予約率は8割を超えた。"), _picked(chunk, "職員研修を実施する。")]
    )
    assert answer.splitlines() == [
        "予約率は8割を超えた。【中期P12】",
        "職員研修を実施する。【中期P12】",
    ]


def test_statements_of_other_passages_keep_their_own_lines():
    first, other = (
        _chunk(),
        Chunk.build(
            text="待ち時間は短縮した。", source="results.txt", locator="s3", page=3, kind="result"
        ),
    )
    answer = compose(
        [_picked(first, "予約率は8割を超えた。"), _picked(other, "待ち時間は短縮した。")]
    )
    assert len(answer.splitlines()) == 2


def test_a_statement_reading_the_same_as_a_shown_line_is_shown_once_with_both_labels():
    first = _chunk()
    other = Chunk.build(
        text="予約率は８割を超えた 。",
        source="results.txt",
        locator="s3",
        page=3,
        kind="result",
        refs=("資料1-3 P6",),
    )
    answer = compose(
        [_picked(first, "予約率は8割を超えた。"), _picked(other, "予約率は８割を超えた 。")]
    )
    assert answer == "予約率は8割を超えた。【中期P12・資料1-3 P6】"


def test_the_lead_of_a_later_part_citing_the_same_pages_joins_the_first_line():
    chunk = _chunk()
    first = Picked("予約率は8割を超えた。", "予約率は8割を超えた。", chunk, 1.0, part=0)
    second = Picked("職員研修を実施する。", "職員研修を実施する。", chunk, 1.0, part=1)
    assert compose([first, second]) == "予約率は8割を超えた。職員研修を実施する。【中期P12】"


def test_a_further_statement_of_the_same_part_keeps_its_own_line():
    chunk = _chunk()
    answer = compose(
        [_picked(chunk, "予約率は8割を超えた。"), _picked(chunk, "職員研修を実施する。")]
    )
    assert len(answer.splitlines()) == 2  # one part: the first line is its lead alone


def test_the_lead_of_a_later_part_citing_other_pages_keeps_its_own_line():
    other = Chunk.build(
        text="待ち時間は短縮した。", source="results.txt", locator="s3", page=3, kind="result"
    )
    first = Picked("予約率は8割を超えた。", "予約率は8割を超えた。", _chunk(), 1.0, part=0)
    second = Picked("待ち時間は短縮した。", "待ち時間は短縮した。", other, 1.0, part=1)
    assert compose([first, second]).splitlines() == [
        "予約率は8割を超えた。【中期P12】",
        "待ち時間は短縮した。【results.txt p.3】",
    ]


def test_a_part_led_by_the_first_statement_leaves_its_further_statements_on_their_lines():
    """Both parts chose the same lead: the first line answers both, and the second part's
    further statement is a further statement, not a lead to join to it."""
    chunk = _chunk()
    lead, further = _picked(chunk, "予約率は8割を超えた。"), _picked(chunk, "職員研修を実施する。")
    picked = parts_answered([[lead], [lead, further]])
    assert [item.part for item in picked] == [0, 0]
    assert compose(picked).splitlines() == [
        "予約率は8割を超えた。【中期P12】",
        "職員研修を実施する。【中期P12】",
    ]


def test_a_later_parts_lead_said_further_by_an_earlier_part_stays_that_parts_lead():
    chunk = _chunk()
    lead, second = _picked(chunk, "予約率は8割を超えた。"), _picked(chunk, "職員研修を実施する。")
    picked = parts_answered([[lead, second], [second]])
    assert [item.part for item in picked] == [0, 1]
    assert compose(picked) == "予約率は8割を超えた。職員研修を実施する。【中期P12】"
