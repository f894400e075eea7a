"""A prose item inside a chart's region of a results slide is a passage of its own.

Written in the results format with wording of our own: the 令和５年度 column of one slide has
a chart whose 【title】 stands before a ○ paragraph and the chart's rows after it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import results

SLIDE = """第３期中期計画の取組及び令和５年度の取組のポイント

施策 第３期中期計画の概要 主な取組実績

窓口の案内

○来訪されたお客様を待たせない
よう、窓口の体制を整える。

○予約制の窓口を全ての事務所で運用し、お客様の待ち時間を短くした。

（令和５年度計画）

○予約枠を増やし、混み合う時期
に備える。

（令和５年度の取組実績）

○予約の受付を電話とインターネットの両方で行い、予約枠を前年度より広げた。

【窓口の平均待ち時間】

○移動相談車による出張相談について、令和５年度の実施は1,234回と
なり、前年度より増えた。

年 度 令和４年度 令和５年度

平均待ち時間 15分 11分

Ⅰ-９．窓口サービスの改善
資料１－３：令和５年度業務実績報告書（案）70ページ～
資料１－４：第３期中期業務実績報告書（案）50ページ～
"""


@pytest.fixture()
def chunks(tmp_path: Path) -> list[Chunk]:
    path = tmp_path / "results-like.txt"
    path.write_text(SLIDE, encoding="utf-8")
    doc = load_document(path)
    assert results.detect(doc)
    return results.parse(doc)


def _holding(chunks: list[Chunk], needle: str) -> list[Chunk]:
    return [chunk for chunk in chunks if needle in chunk.text]


def test_the_prose_item_after_a_chart_title_is_a_passage_with_the_slides_labels(chunks):
    [prose] = _holding(chunks, "移動相談車による出張相談について、令和５年度の実施は1,234回")
    [other] = _holding(chunks, "予約の受付を電話とインターネットの両方で行い")
    assert prose.kind == other.kind == "fy_result"
    assert prose.refs == other.refs == ("資料1-3 P70", "資料1-4 P50")
    assert prose.heading_path == other.heading_path
    assert prose.heading_path[-1] == "令和５年度の取組実績"
    assert prose.title == "窓口の案内"
    assert prose.section == "Ⅰ-９．窓口サービスの改善"


def test_the_chart_rows_stay_a_table_passage_without_the_prose(chunks):
    [rows] = _holding(chunks, "平均待ち時間 15分 11分")
    assert rows.kind == "table"
    assert "移動相談車" not in rows.text
    assert rows.refs == ("資料1-3 P70", "資料1-4 P50")
