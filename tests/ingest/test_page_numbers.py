"""Printed page-number lines in text and Markdown uploads (ingest/page_numbers.py): a chain
rising by one from the first page breaks pages and leaves the text; a lone one is prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.page_numbers import page_number, split_numbered_pages
from ingest.pipeline import ingest_file


def _pages(path: Path, text: str) -> list[tuple[int | None, str]]:
    path.write_text(text, encoding="utf-8")
    result = ingest_file(path, max_chars=400)
    assert result.error is None, result.error
    return [(chunk.page, chunk.text) for chunk in result.chunks]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize(
    ("one", "two"),
    [("- 1 -", "- 2 -"), ("— 1 —", "— 2 —"), ("－１－", "－２－"), ("1 / 3", "2 / 3")],
)
def test_page_number_footers_break_pages_and_leave_the_text(tmp_path, suffix, one, two):
    text = (
        f"窓口の受付時間を延長する。\n\n{one}\n\n"
        f"出張相談を年四回開く。\n\n{two}\n\n"
        "相談記録を電子化する。\n"
    )
    assert _pages(tmp_path / f"memo{suffix}", text) == [
        (1, "窓口の受付時間を延長する。"),
        (2, "出張相談を年四回開く。"),
        (3, "相談記録を電子化する。"),
    ]


def test_page_number_headers_open_the_page_they_number(tmp_path):
    text = "- 1 -\n窓口の受付時間を延長する。\n- 2 -\n出張相談を年四回開く。\n"
    assert _pages(tmp_path / "headers.txt", text) == [
        (1, "窓口の受付時間を延長する。"),
        (2, "出張相談を年四回開く。"),
    ]


def test_a_lone_dashed_number_in_prose_is_text_not_a_page_break(tmp_path):
    text = "手順は次のとおり。\n\n- 2 -\n\n書類を確認する。\n"
    pages = _pages(tmp_path / "list.txt", text)
    assert {page for page, _ in pages} == {1}
    assert any("- 2 -" in body for _, body in pages), pages


def test_a_number_that_does_not_rise_by_one_ends_no_page():
    text = "一頁目。\n- 1 -\n二頁目。\n- 3 -\n続き。"
    assert split_numbered_pages(text) == [(1, "一頁目。"), (2, "二頁目。\n- 3 -\n続き。")]


def test_form_feed_pages_drop_their_own_number_line(tmp_path):
    text = "窓口の受付時間を延長する。\n- 1 -\n\f出張相談を年四回開く。\n- 2 -\n"
    assert _pages(tmp_path / "ff.txt", text) == [
        (1, "窓口の受付時間を延長する。"),
        (2, "出張相談を年四回開く。"),
    ]


def test_only_whole_page_number_lines_are_read_as_numbers():
    assert page_number(" － ２ － ") == 2
    assert page_number("3 / 10") == 3
    assert page_number("12 / 10") is None
    assert page_number("- 2 - を参照") is None
    assert page_number("2025/12") is None
