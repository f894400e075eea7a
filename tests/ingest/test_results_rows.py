"""A results slide's second table row gets the kinds of its own columns.

A slide's table may hold a further row for the same 施策, without a name cell of its own. The
extraction gives it column after column like the first row: the plan summary (narrow ○
paragraphs), the main results (wide ○ paragraphs), then the 令和５年度 blocks. Its plan
summary and results were once folded into the first row's 令和５年度の取組実績 block.

The synthetic slides are written in the results format with wording of our own; the last
tests read the bundled document. The rule ships off (``results.SECOND_ROWS``: the answers
and the trace lose with the right labels, also with the kind prior, the sentence ranker and
the admission refitted on them: bench/results/second-rows-ranker.md), so these tests ask
for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import normalize_for_match
from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import results

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "data" / "plans" / "jps-3rd-midterm-fy2023-results.txt"

HEADER = (
    "第３期中期計画の取組及び令和５年度の取組のポイント\n\n施策 第３期中期計画の概要 主な取組実績\n"
)
FOOTER = """
Ⅱ-３．図書館サービスの充実
資料１－３：令和５年度業務実績報告書（案）44ページ～
資料１－４：第３期中期業務実績報告書（案）31ページ～
"""

# Row 1: name, plan summary, results, 令和５年度計画, 令和５年度の取組実績. Row 2 (same 施策):
# a sub-heading, a plan summary cut by a blank line, results around a chart title, then its
# own 令和５年度 blocks. Row 2's last 令和５年度 block closes with a ○ heading that runs into a
# ＜…＞ line without a sentence end: narrow, but no wrapped sentence, so it stays there.
TWO_ROWS = (
    HEADER
    + """
蔵書の
充実

○利用者の求めに応じて蔵書を
計画的に増やし、古い資料を
保存する。

○購入計画を毎年度見直し、利用の多い分野の図書を優先して購入した結果、貸出冊数が増加。

（令和５年度計画）

○利用の多い分野を中心に図書
を購入する。

（令和５年度の取組実績）

○利用統計を分析して購入する分野を決め、児童書と実用書を中心に計画どおり購入した。

［読書の推進］
○子どもが本に親しむ機会を
増やすため、学校と連携した

読み聞かせの取組を広げる。

［読書の推進］
○市内の小学校と連携し、司書が学校を訪れて行う読み聞かせ会を新たに始めた。

【読み聞かせ会の参加者数】

○学校の図書室へ定期的に本を貸し出す仕組みを整え、貸出先の学校数を増やした。

（令和５年度計画）

○読み聞かせ会を全ての小学
校で開く。

（令和５年度の取組実績）

○読み聞かせ会を市内の全ての小学校で開き、参加した児童は前年度より増えた。

○分館の開館時間

＜平日の夜間延長＞
"""
    + FOOTER
)

# A slide that goes on with a 施策 from the slide before holds only the two 令和５年度 columns;
# its second row starts again with the 令和５年度計画 column.
FY_ONLY = (
    HEADER
    + """
蔵書の
充実

（令和５年度計画）

①資料の保存
○傷んだ資料を修理し、貴重な
資料は複製を作る。

（令和５年度の取組実績）

①資料の保存
○傷んだ資料の修理を職員が行う体制を整え、修理した冊数は前年度を上回った。

②資料の電子化
○地域の古い新聞を電子化し、
館内の端末で読めるようにする。

②資料の電子化
○地域の古い新聞の電子化を進め、館内の端末で閲覧できる範囲を広げた。
"""
    + FOOTER
)


def _parse(tmp_path: Path, text: str) -> list[Chunk]:
    path = tmp_path / "results-like.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    assert results.detect(doc)
    return results.parse(doc, second_rows=True)


def _kind_of(chunks: list[Chunk], needle: str) -> str:
    [chunk] = [c for c in chunks if normalize_for_match(needle) in normalize_for_match(c.text)]
    return chunk.kind


@pytest.fixture()
def two_rows(tmp_path: Path) -> list[Chunk]:
    return _parse(tmp_path, TWO_ROWS)


def test_the_first_rows_columns_keep_their_kinds(two_rows):
    assert _kind_of(two_rows, "古い資料を保存する。") == "plan_summary"
    assert _kind_of(two_rows, "利用の多い分野の図書を優先して購入") == "result"
    assert _kind_of(two_rows, "分野を中心に図書を購入する。") == "fy_plan"
    assert _kind_of(two_rows, "児童書と実用書を中心に計画どおり購入した") == "fy_result"


def test_the_second_rows_columns_get_their_own_kinds(two_rows):
    assert _kind_of(two_rows, "学校と連携した読み聞かせの取組を広げる。") == "plan_summary"
    assert _kind_of(two_rows, "司書が学校を訪れて行う読み聞かせ会を新たに始めた") == "result"
    assert _kind_of(two_rows, "貸出先の学校数を増やした") == "result"
    assert _kind_of(two_rows, "読み聞かせ会を全ての小学校で開く。") == "fy_plan"
    assert _kind_of(two_rows, "参加した児童は前年度より増えた") == "fy_result"


def test_the_second_rows_sub_heading_opens_its_plan_summary(two_rows):
    [summary] = [c for c in two_rows if "読み聞かせの取組を広げる" in c.text]
    assert summary.text.startswith("［読書の推進］\n○子どもが本に親しむ機会を")
    [first_result] = [c for c in two_rows if "計画どおり購入した" in c.text]
    assert "読書の推進" not in first_result.text


def test_the_second_row_keeps_the_slides_labels(two_rows):
    for chunk in two_rows:
        assert chunk.title == "蔵書の充実"
        assert chunk.refs == ("資料1-3 P44", "資料1-4 P31")
        assert chunk.section == "Ⅱ-３．図書館サービスの充実"
    [summary] = [c for c in two_rows if "読み聞かせの取組を広げる" in c.text]
    assert summary.heading_path[-1] == "第３期中期計画の概要"


def test_a_narrow_heading_without_a_sentence_end_stays_in_the_fy_results(two_rows):
    assert _kind_of(two_rows, "分館の開館時間") == "fy_result"


def test_a_slide_of_the_two_fy_columns_starts_its_second_row_with_the_fy_plan(tmp_path):
    chunks = _parse(tmp_path, FY_ONLY)
    assert _kind_of(chunks, "貴重な資料は複製を作る。") == "fy_plan"
    assert _kind_of(chunks, "修理した冊数は前年度を上回った") == "fy_result"
    assert _kind_of(chunks, "館内の端末で読めるようにする。") == "fy_plan"
    assert _kind_of(chunks, "閲覧できる範囲を広げた") == "fy_result"
    [plan] = [c for c in chunks if "館内の端末で読める" in c.text]
    assert plan.text.startswith("②資料の電子化\n")


@pytest.fixture(scope="module")
def bundled() -> list[Chunk]:
    return results.parse(load_document(RESULTS), second_rows=True)


# 資料1-3 P159 (人事): the slide's second rows. Each needle is one column's wording; the
# 令和５年度 wording of the same result stays fy_result.
P159_COLUMNS = [
    ("高い専門性が求められる分野の業務を担う職員を安定的に確保・育成する人事体系", "plan_summary"),
    ("導入した専門職を安定的に確保するとともに、専門職から上席専門職に登用", "result"),
    ("早期に専門性向上を図れるよう、ジョブローテーションを見直し", "result"),
    ("早期に専門性向上を図ることが可能となるよう、ジョブローテーションの方法", "fy_result"),
    ("仕事と生活（育児や介護等）の両立が出来る働きやすい環境整備に取り組む。", "plan_summary"),
    ("子育て支援として、子育てのための「短時間勤務」", "result"),
    ("60歳を超える職員の能力・経験を活用のため、定年を65歳に段階的に引き上げる", "plan_summary"),
]


@pytest.mark.parametrize(("needle", "kind"), P159_COLUMNS)
def test_the_bundled_second_rows_on_p159_carry_their_columns_kind(bundled, needle, kind):
    target = normalize_for_match(needle)
    holding = [c for c in bundled if target in normalize_for_match(c.text)]
    assert holding, needle
    assert {c.kind for c in holding} == {kind}
    assert all("資料1-3 P159" in c.refs for c in holding)


def test_the_shipped_default_keeps_the_bundled_passages_as_they_were(bundled):
    shipped = results.parse(load_document(RESULTS))
    assert not results.SECOND_ROWS
    # The rule only splits blocks and relabels: the same text, in more passages.
    assert len(bundled) > len(shipped)
    assert "".join(c.text for c in bundled).replace("\n", "") == "".join(
        c.text for c in shipped
    ).replace("\n", "")
