"""The results-slide parser on the real 第３期 results file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.clean import normalize_for_match
from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import results
from ingest.parsers.slides import split_slides

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "data" / "plans" / "jps-3rd-midterm-fy2023-results.txt"
OVERVIEW = ROOT / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"


@pytest.fixture(scope="module")
def raw_text() -> str:
    return RESULTS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    return results.parse(load_document(RESULTS))


def _containing(chunks: list[Chunk], needle: str) -> list[Chunk]:
    target = normalize_for_match(needle)
    return [c for c in chunks if target in normalize_for_match(c.text)]


def test_detects_results_format_and_nothing_else():
    assert results.detect(load_document(RESULTS))
    assert not results.detect(load_document(OVERVIEW))


def test_slide_numbers_agree_with_every_printed_number(raw_text: str):
    lines = raw_text.split("\n")
    first_table = next(i for i, line in enumerate(lines) if "主な取組実績" in line)
    slides = split_slides(lines[first_table:], first_number=4)
    printed = [s for s in slides if s.printed is not None]
    printed_in_file = [int(x) for x in re.findall(r"^(\d{1,2})$", raw_text, flags=re.M)]
    assert sorted(s.printed for s in printed) == sorted(printed_in_file)
    assert len(printed) >= 7
    assert all(s.printed == s.number for s in printed)


def test_chunks_near_a_printed_number_carry_that_page(chunks: list[Chunk]):
    # Text that stands just before the printed slide numbers 14, 36 and 53.
    assert {c.page for c in _containing(chunks, "244件（令和４年度：277件）")} == {14}
    assert {
        c.page for c in _containing(chunks, "必要なパッチ適用の管理等を効率的かつ確実に実施")
    } == {36}
    assert {c.page for c in _containing(chunks, "合計 349人 409人 428人")} == {53}


# (evidence, section, 資料 labels, kind, 施策) across chapters Ⅰ, Ⅱ and Ⅲ.
SPOT_CHECKS = [
    (
        "全ての20歳到達者について、職権による適用を速やかに実施",
        "Ⅰ-１．国民年金の適用促進対策",
        ("資料1-3 P1", "資料1-4 P1"),
        "result",
        "確実な適用の実施",
    ),
    (
        "任意加入し納付した人は699人",
        "Ⅰ-１．国民年金の適用促進対策",
        ("資料1-3 P1", "資料1-4 P1"),
        "fy_result",
        "無年金者低年金者への対応",
    ),
    (
        "前年度納付率＋1.6ポイントの77.6％",
        "Ⅰ-２．国民年金の保険料収納対策",
        ("資料1-3 P6", "資料1-4 P4"),
        "fy_result",
        "納付率等の目標",
    ),
    (
        "中期目標期間中に70％台前半を目指す",
        "Ⅰ-２．国民年金の保険料収納対策",
        ("資料1-3 P6", "資料1-4 P4"),
        "plan_summary",
        "納付率等の目標",
    ),
    (
        "控除後所得300万円以上かつ７月以上滞納している未納者を強制徴収対象者と位置付け",
        "Ⅰ-２．国民年金の保険料収納対策",
        ("資料1-3 P6", "資料1-4 P4"),
        "fy_plan",
        "強制徴収",
    ),
    (
        "適用調査対象事業所の効率的かつ的確な把握に努める",
        "Ⅰ-３．厚生年金保険・健康保険等の適用促進対策",
        ("資料1-3 P21", "資料1-4 P11"),
        "plan_summary",
        "適用促進対策",
    ),
    ("応答率 73.0％ 76.8％", "Ⅰ-７．年金相談", ("資料1-3 P61", "資料1-4 P39"), "table", None),
    ("事務処理誤りを未然に防止", "Ⅰ-５．年金給付", ("資料1-3 P39", "資料1-4 P23"), None, None),
    ("国庫納付", "Ⅳ．予算、収支計画及び資金計画", (), None, None),
    (
        "隔月の市区町村向け情報誌「かけはし」の発行",
        "Ⅰ-１．国民年金の適用促進対策",
        ("資料1-3 P1", "資料1-4 P1"),
        "result",
        "関係機関との連携",
    ),
    (
        "外部委託管理ルールに基づく調達の実施",
        "Ⅱ-２．外部委託の活用と管理の適正化",
        ("資料1-3 P98", "資料1-4 P80"),
        "plan_summary",
        "年金個人情報を扱う外部委託の管理",
    ),
    ("電子申請", "Ⅱ-４．ICT化の推進", ("資料1-3 P107", "資料1-4 P90"), None, None),
    (
        "令和５年度の発生件数は82件となった",
        "Ⅲ-１．内部統制システムの有効性確保",
        ("資料1-3 P123", "資料1-4 P104"),
        None,
        "事務処理の正確性の確保",
    ),
    (
        "ハラスメント防止ハンドブックを作成・配布",
        "Ⅲ-４．人事及び人材の育成",
        ("資料1-3 P159", "資料1-4 P130"),
        "result",
        "働きやすい職場環境の確立",
    ),
]


@pytest.mark.parametrize(("evidence", "section", "refs", "kind", "measure"), SPOT_CHECKS)
def test_measure_blocks_carry_section_and_material_labels(
    chunks: list[Chunk], evidence: str, section: str, refs: tuple[str, ...], kind, measure
):
    found = [c for c in _containing(chunks, evidence) if c.section == section]
    assert found, f"no chunk of {section} contains {evidence!r}"
    chunk = found[0]
    assert chunk.refs == refs
    if kind:
        assert chunk.kind == kind
    if measure:
        assert chunk.title == measure


def test_every_table_slide_block_has_a_section_and_labels(chunks: list[Chunk]):
    table_part = [c for c in chunks if c.page is not None and c.page >= 4]
    assert all(c.section for c in table_part)
    # Every slide but the last (Ⅳ-Ⅵ, which has no footer) cites both reports or 資料1-3.
    assert all(c.refs for c in table_part if not c.section.startswith(("Ⅳ", "Ⅴ", "Ⅵ")))
    sections = {c.section.split("．")[0] for c in table_part}
    assert {"Ⅰ-１", "Ⅰ-９", "Ⅱ-１", "Ⅱ-４", "Ⅲ-１", "Ⅲ-４"} <= sections


def test_every_block_kind_is_present(chunks: list[Chunk]):
    kinds = Counter(c.kind for c in chunks)
    for kind in ("plan_summary", "result", "fy_plan", "fy_result", "table"):
        assert kinds[kind] >= 40, kinds


@pytest.mark.parametrize(
    ("marker", "kind"),
    [("（令和５年度計画）", "fy_plan"), ("（令和５年度の取組実績）", "fy_result")],
)
def test_every_fy_marker_opens_one_block_of_its_kind(
    chunks: list[Chunk], raw_text: str, marker: str, kind: str
):
    in_file = len(re.findall(rf"^\s*{re.escape(marker)}", raw_text, flags=re.M))
    opened = [c for c in chunks if c.text.startswith(marker)]
    assert len(opened) == in_file
    assert {c.kind for c in opened} == {kind}


@pytest.mark.parametrize("word", ["最終納付率", "中期目標期間", "年金事務所", "電子申請"])
def test_words_broken_across_lines_are_rejoined(chunks: list[Chunk], raw_text: str, word: str):
    broken = re.compile("\n?".join(word))
    occurrences = [m.group(0) for m in broken.finditer(raw_text) if "\n" in m.group(0)]
    assert occurrences, "the raw file breaks this word somewhere"
    assert any(word in c.text for c in chunks)
    for chunk in chunks:
        if chunk.kind != "table":
            for fragment in occurrences:
                assert fragment not in chunk.text


def test_prose_lines_end_at_a_sentence_or_item_boundary(chunks: list[Chunk]):
    for chunk in chunks:
        if chunk.kind == "table":
            continue
        lines = chunk.text.split("\n")
        for line, following in zip(lines, lines[1:], strict=False):
            ends = re.search(r"[。）)」】］]$", line) or line.startswith("（令和")
            starts = re.match(r"^[○〇◯●・①-⑳（［【※→]", following)
            assert ends or starts, (chunk.page, line[-20:], following[:20])


def test_no_chunk_has_html_footer_or_printed_number(chunks: list[Chunk]):
    for chunk in chunks:
        assert not re.search(r"</?[a-zA-Z]", chunk.text)
        assert "資料１－３" not in chunk.text and "資料１－４" not in chunk.text
        assert not re.search(r"^\d{1,2}$", chunk.text, flags=re.M)
        assert "施策 第３期中期計画の概要" not in chunk.text


def test_ids_are_unique_and_stable(chunks: list[Chunk]):
    again = results.parse(load_document(RESULTS))
    assert [c.id for c in chunks] == [c.id for c in again]
    assert len({c.id for c in chunks}) == len(chunks)


def test_chunks_stay_under_the_budget_unless_one_item_is_longer(chunks: list[Chunk]):
    for chunk in chunks:
        if len(chunk.text) > 400:
            assert chunk.text.count("\n○") == 0, (chunk.page, len(chunk.text))
