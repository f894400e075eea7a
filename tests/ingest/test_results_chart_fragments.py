"""A chart's stray lines in a 令和５年度 column are the chart's (``chart_fragments``, off in
what ships: see ``results.CHART_FRAGMENTS``).

Written in the results format with wording of our own: the 令和５年度の取組実績 column holds
a chart whose rows the extraction interleaves with one-line labels and bracketed counts.
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

（令和５年度の取組実績）

○予約の受付を電話とインターネットの両方で行い、予約枠を前年度より広げた。

【予約相談の利用状況】

年 度 令和４年度 令和５年度

予約相談件数 12,345件 13,456件

(10,234人)

うち出張相談

(11,345人)

※人数は延べ人数である。

○出張相談の日程を事務所の掲示板で知らせ、利用者を前年度より増やした。

Ⅰ-９．窓口サービスの改善
資料１－３：令和５年度業務実績報告書（案）70ページ～
資料１－４：第３期中期業務実績報告書（案）50ページ～
"""

FRAGMENTS = ["(10,234人)", "うち出張相談", "(11,345人)", "※人数は延べ人数である。"]


def _parse(tmp_path: Path, **options: bool) -> list[Chunk]:
    path = tmp_path / "results-like.txt"
    path.write_text(SLIDE, encoding="utf-8")
    doc = load_document(path)
    assert results.detect(doc)
    return results.parse(doc, **options)


@pytest.fixture()
def chunks(tmp_path: Path) -> list[Chunk]:
    return _parse(tmp_path, chart_fragments=True)


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_a_charts_stray_line_is_the_charts_under_its_title(chunks, fragment: str):
    [holder] = [chunk for chunk in chunks if fragment in chunk.text]
    assert holder.kind == "table"
    assert holder.heading_path[-1] == "【予約相談の利用状況】"
    assert holder.title == "窓口の案内"
    assert holder.refs == ("資料1-3 P70", "資料1-4 P50")


def test_the_prose_around_the_chart_keeps_its_column(chunks):
    for needle in ("予約の受付を電話とインターネット", "出張相談の日程を事務所の掲示板"):
        [prose] = [chunk for chunk in chunks if needle in chunk.text]
        assert prose.kind == "fy_result"


def test_no_text_is_lost_either_way(tmp_path: Path):
    # Every line of the table's body (the name is the passages' title, the footer their labels).
    body = SLIDE[SLIDE.index("○来訪") : SLIDE.index("Ⅰ-９")]
    for options in ({}, {"chart_fragments": True}):
        text = "".join("".join(chunk.text.split()) for chunk in _parse(tmp_path, **options))
        assert [line for line in body.split("\n") if "".join(line.split()) not in text] == []
