"""The overview-table parser on the real 第4期中期計画 overview file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.clean import normalize_for_match
from ingest.errors import IngestError
from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import overview
from ingest.refs import extract_refs

ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = ROOT / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"
RESULTS = ROOT / "data" / "plans" / "jps-3rd-midterm-fy2023-results.txt"

HTML_MARKS = ("<p", "</p>", "<ul", "</ul", "<li", "data-bbox", "style=")
# A bullet item of the raw file: from its bullet to the next bullet, tag, cell or line end.
# ・ counts as a bullet only after whitespace (適用・徴収 is a middle dot).
_ITEM_END = r"(?=\s+・|[●○<\t\n]|$)"


@pytest.fixture(scope="module")
def raw_text() -> str:
    return OVERVIEW.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    return overview.parse(load_document(OVERVIEW))


def _raw_items(raw_text: str, bullet: str) -> list[str]:
    pattern = (
        rf"(?:^|\s){bullet}(.*?){_ITEM_END}" if bullet == "・" else rf"{bullet}(.*?){_ITEM_END}"
    )
    return [normalize_for_match(item) for item in re.findall(pattern, raw_text, flags=re.M)]


def _holding(chunks: list[Chunk], needle: str) -> list[Chunk]:
    target = normalize_for_match(needle)
    return [chunk for chunk in chunks if target in normalize_for_match(chunk.text)]


def _of_kind(chunks: list[Chunk], kind: str) -> list[Chunk]:
    return [chunk for chunk in chunks if chunk.kind == kind]


def test_detects_overview_format_and_nothing_else(tmp_path: Path):
    markdown = tmp_path / "notes.md"
    markdown.write_text(
        "# 施策\n\n| 課題 | 主な施策内容 |\n|---|---|\n| ○ | ● |\n", encoding="utf-8"
    )
    paragraph = tmp_path / "plain.txt"
    paragraph.write_text(
        "主な施策内容は次のとおり。\n電子申請の利用拡大を図る。\n", encoding="utf-8"
    )
    assert overview.detect(load_document(OVERVIEW))
    assert not overview.detect(load_document(RESULTS))
    assert not overview.detect(load_document(markdown))
    assert not overview.detect(load_document(paragraph))


def test_every_bullet_measure_is_in_exactly_one_measure_chunk(raw_text: str, chunks: list[Chunk]):
    measures = _of_kind(chunks, "measure")
    items = _raw_items(raw_text, "●")
    assert len(measures) == raw_text.count("●") == len(items)
    for item in items:
        assert len(_holding(measures, item)) == 1, item
    assert all(chunk.text.startswith("●") for chunk in measures)


def test_every_review_question_is_in_exactly_one_review_chunk(raw_text: str, chunks: list[Chunk]):
    reviews = _of_kind(chunks, "review")
    items = _raw_items(raw_text, "○")
    assert len(reviews) == raw_text.count("○") == len(items)
    for item in items:
        assert len(_holding(reviews, item)) == 1, item
    assert all(chunk.refs == () and chunk.title for chunk in reviews)


def test_every_sub_point_is_in_exactly_one_chunk(raw_text: str, chunks: list[Chunk]):
    points = _raw_items(raw_text, "・")
    assert len(points) == len(re.findall(r"\s・", raw_text)) > 0
    for point in points:
        assert len(_holding(chunks, point)) == 1, point


def test_sub_point_with_own_ref_becomes_its_own_chunk(chunks: list[Chunk]):
    (parent,) = _holding(_of_kind(chunks, "measure"), "番号法の改正項目（個人番号の利用範囲の拡大")
    assert parent.refs == ("中期P62", "中期P63", "中期P64")
    point = "個人番号の利用範囲の拡大（外国人の在留資格に係る許可に関する事務等"
    (sub,) = _holding(chunks, point)
    assert sub.kind == "sub_measure"
    assert sub.refs == ("年度P62",)
    assert sub.title == parent.title
    assert sub.locator.startswith(parent.locator + "/")
    assert normalize_for_match(parent.text.split("\n")[0]) in normalize_for_match(sub.context)
    assert "年度P62" not in parent.text


def test_page_lists_expand_to_exact_labels(chunks: list[Chunk]):
    (measure,) = _holding(chunks, "ねんきんダイヤルの応答率は70%以上を確保する")
    assert measure.kind == "measure"
    assert measure.refs == ("中期P46", "年度P47", "年度P48")


def test_every_chunk_carries_exactly_the_labels_written_in_its_text(
    raw_text: str, chunks: list[Chunk]
):
    for chunk in chunks:
        assert chunk.refs == extract_refs(chunk.text), chunk.locator
    for chunk in _of_kind(chunks, "measure") + _of_kind(chunks, "sub_measure"):
        assert chunk.refs, chunk.locator
    assert {ref for chunk in chunks for ref in chunk.refs} == set(extract_refs(raw_text))


def test_refs_after_a_short_title_cover_the_details_that_follow(chunks: list[Chunk]):
    (measure,) = _holding(chunks, "電子申請の一層の利用拡大")
    assert measure.kind == "measure"
    assert measure.title == "電子申請の一層の利用拡大"
    assert measure.refs == ("中期P84", "年度P85")
    assert "\n・厚生年金資格取得届等の電子申請について" in measure.text
    assert "<事業所向けサービス>" in measure.heading_path


def test_text_after_refs_stays_with_its_measure(chunks: list[Chunk]):
    (measure,) = _holding(chunks, "リスク管理の三線防御体制（※）の確立に向け")
    assert measure.refs == ("中期P96", "中期P111", "年度P111")
    assert "（※）機構においては" in measure.text
    assert "第一線：リスクオーナーとして" in measure.text


def test_group_label_with_refs_becomes_one_sub_measure(chunks: list[Chunk]):
    (group,) = [chunk for chunk in chunks if chunk.text.startswith("<本部>")]
    assert group.kind == "sub_measure"
    assert group.title == "<本部>"
    assert group.refs == ("中期P65", "中期P72", "年度P65", "年度P72")
    assert group.text.count("\n・") == 3
    assert "複雑な年金制度を実務として運用する組織" in group.context


def test_angle_bracket_labels_survive_and_no_html_tag_does(chunks: list[Chunk]):
    assert any("<本部>" in chunk.text for chunk in chunks)
    assert any("<年金事務所>" in chunk.text for chunk in chunks)
    for chunk in chunks:
        for field in (chunk.text, chunk.title or "", chunk.section or "", chunk.context):
            assert not any(mark in field for mark in HTML_MARKS), chunk.locator
        assert not any(mark in part for part in chunk.heading_path for mark in HTML_MARKS)


def test_items_are_one_per_line_with_their_bullets(chunks: list[Chunk]):
    for chunk in _of_kind(chunks, "measure") + _of_kind(chunks, "review"):
        lines = chunk.text.split("\n")
        assert lines[0][0] in "●○", chunk.locator
        assert all(line.count("●") + line.count("○") <= 1 for line in lines)


def test_concept_page_gives_one_chunk_per_paragraph_under_its_heading(chunks: list[Chunk]):
    concepts = _of_kind(chunks, "concept")
    assert [chunk.page for chunk in concepts] == [1, 1]
    assert concepts[0].title == "<第3期中期計画に基づく取組の総括（平成31年4月～令和6年3月）>"
    assert concepts[1].title.startswith("<第4期中期計画（案）の考え方")
    heading, paragraph = concepts[0].text.split("\n")
    assert heading == concepts[0].title  # shown: it carries the period
    assert paragraph.startswith("第3期中期目標期間においては")
    assert all(chunk.section == "第4期中期計画（案）のコンセプト" for chunk in concepts)
    assert chunks[:2] == concepts


def test_pages_count_up_at_each_table_header_row(raw_text: str, chunks: list[Chunk]):
    headers = [line for line in raw_text.split("\n") if "\t主な施策内容" in line]
    assert {chunk.page for chunk in chunks} == set(range(1, len(headers) + 2))
    assert [chunk.page for chunk in chunks] == sorted(chunk.page for chunk in chunks)
    (first_row,) = _holding(chunks, "J-LISから提供される住民基本台帳情報")
    (last,) = _holding(chunks, "多様な働き方（フレックスタイム制等）について")
    assert (first_row.page, last.page) == (2, len(headers) + 1)


def test_measures_carry_area_and_heading_path(chunks: list[Chunk]):
    for chunk in _of_kind(chunks, "measure") + _of_kind(chunks, "sub_measure"):
        assert chunk.section and chunk.heading_path and chunk.title, chunk.locator
        assert chunk.heading_path[0][0] in "ⅠⅡⅢ", chunk.locator
        assert len(chunk.title) <= overview.TITLE_CHARS + 1
    (measure,) = _holding(chunks, "20歳到達者及び海外からの転入者")
    assert measure.section == "国民年金の適用促進対策 保険料収納対策"
    assert measure.heading_path == (
        "Ⅰ 提供するサービスその他の業務の質の向上に関する事項",
        "国民年金の適用促進対策 保険料収納対策",
        "国民年金保険料の現年度納付率80%台前半、最終納付率80%台後半を目指す",
    )
    assert "最終納付率は80%台に到達したが" in measure.context


def test_empty_chapter_cells_repeat_the_row_above(chunks: list[Chunk]):
    (measure,) = _holding(chunks, "年金セミナー、年金制度説明会の実施について")
    assert measure.heading_path[0] == "Ⅰ 提供するサービスその他の業務の質の向上に関する事項"
    assert measure.section == "分かりやすい情報提供及びサービス改善の促進"
    chapters = Counter(chunk.heading_path[0] for chunk in _of_kind(chunks, "measure"))
    assert len(chapters) == 3


def test_ids_are_unique_and_stable_across_parses(chunks: list[Chunk]):
    again = overview.parse(load_document(OVERVIEW))
    assert len({chunk.id for chunk in chunks}) == len(chunks)
    assert len({chunk.locator for chunk in chunks}) == len(chunks)
    assert [chunk.id for chunk in again] == [chunk.id for chunk in chunks]


def test_a_row_it_cannot_read_is_refused_with_its_page_and_row(tmp_path: Path):
    broken = tmp_path / "overview.txt"
    header = "\t第3期中期計画等の振返り(今後の課題)\t主な施策内容"
    row = "<p>I 提供するサービスその他の業務の質の向上に関する事項</p>\t\t<ul> ・見出しだけの施策"
    broken.write_text(f"表紙\n{header}\n{row}\n", encoding="utf-8")
    doc = load_document(broken)
    assert overview.detect(doc)
    with pytest.raises(IngestError, match=r"table page 2, row 1: text outside any ●"):
        overview.parse(doc)
