"""施策 names on the results slides (``named_rows``, off in what ships: see
``results.NAMED_ROWS``): a name followed by a numbered sub-heading is a name, and a slide
that goes on with the 施策 of the slide before reads its columns as after a name.

Written in the results format with wording of our own: the first slide holds two 施策, the
second opening its row with a ① sub-heading; the second slide goes on with that 施策 and
repeats no name cell.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import results

SLIDES = """第３期中期計画の取組及び令和５年度の取組のポイント

施策 第３期中期計画の概要 主な取組実績

窓口の案内

○来訪されたお客様を待たせない
よう、窓口の体制を整える。

○予約制の窓口を全ての事務所で運用し、お客様の待ち時間を短くした。

相談体制
の充実

①出張相談の拡充

○移動相談車による出張相談を
広げ、遠方のお客様に応える。

①出張相談の拡充

○移動相談車を二台増やし、山間部での出張相談を月に一度行った。

Ⅰ-９．窓口サービスの改善
資料１－３：令和５年度業務実績報告書（案）70ページ～
資料１－４：第３期中期業務実績報告書（案）50ページ～

施策 第３期中期計画の概要 主な取組実績

○電話による相談の受付時間を
延ばし、夜間の相談に応える。

○電話相談の受付を平日の午後七時まで延ばし、夜間の相談を受け付けた。

Ⅰ-９．窓口サービスの改善
資料１－３：令和５年度業務実績報告書（案）70ページ～
資料１－４：第３期中期業務実績報告書（案）50ページ～
"""


# The second 施策 of the first slide left out: the second slide goes on with 窓口の案内.
SECOND_MEASURE = SLIDES[SLIDES.index("相談体制") : SLIDES.index("Ⅰ-９")]
GOING_ON = SLIDES.replace(SECOND_MEASURE, "", 1)


def _parse(tmp_path: Path, text: str) -> list[Chunk]:
    path = tmp_path / "results-like.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    assert results.detect(doc)
    return results.parse(doc, named_rows=True)


@pytest.fixture()
def chunks(tmp_path: Path) -> list[Chunk]:
    return _parse(tmp_path, SLIDES)


def _holding(chunks: list[Chunk], needle: str) -> Chunk:
    [chunk] = [chunk for chunk in chunks if needle in chunk.text]
    return chunk


def test_a_name_followed_by_a_numbered_sub_heading_is_the_name_of_what_follows(chunks):
    summary = _holding(chunks, "移動相談車による出張相談を広げ")
    result = _holding(chunks, "移動相談車を二台増やし")
    assert summary.title == result.title == "相談体制の充実"
    assert (summary.kind, result.kind) == ("plan_summary", "result")
    # The sub-heading stays under the name, and the name is no passage text.
    assert {c.title for c in chunks if "①出張相談の拡充" in c.text} == {"相談体制の充実"}
    assert not any("相談体制" in chunk.text for chunk in chunks)
    assert _holding(chunks, "予約制の窓口を全ての事務所で運用").title == "窓口の案内"


def test_a_slide_going_on_with_the_same_measure_starts_with_its_first_column(tmp_path: Path):
    chunks = _parse(tmp_path, GOING_ON)
    summary = _holding(chunks, "電話による相談の受付時間を延ばし")
    result = _holding(chunks, "電話相談の受付を平日の午後七時まで延ばし")
    assert summary.title == result.title == "窓口の案内"
    assert (summary.kind, result.kind) == ("plan_summary", "result")
