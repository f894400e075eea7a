"""A follow-up naming another row of a table on the page the last answer cited
(answer/named_row.py), over the real index."""

from __future__ import annotations

import asyncio

from answer import AskRequest, Turn
from answer.named_row import in_counter, row_name

TARGET_ASKED = Turn(role="user", content="届出の標準的な処理期間って、紙で出した場合の目標は？")
TARGET_ANSWERED = Turn(
    role="assistant", content="紙媒体は４営業日以内が目標でした（資料1-3 P21）。"
)


def test_a_row_is_named_by_its_cells_before_the_figures():
    assert row_name("その他（継続免除 等） 124万件 559万件") == "その他(継続免除等)"  # in NFKC
    assert in_counter("509万件", "件") and in_counter("0.7日", "日")
    assert not in_counter("3.3日", "件")


def test_another_item_of_the_measure_is_its_row_on_the_page_just_cited(service):
    """資格取得届 is a row of the table of processing days on the page the targets were
    cited from: its figures in days answer, where the search's sentences give none."""
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="では資格取得届は、実際は何日で処理できた？",
                top_k=10,
                history=[TARGET_ASKED, TARGET_ANSWERED],
            )
        )
    )
    assert body.answered, body.answer
    first = body.answer.split("\n")[0]
    assert first.startswith("資格取得届 0.5日 0.9日 2.9日") and "資料1-3 P21" in first


def test_a_name_spoken_with_the_possessive_no_is_the_compound(service):
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="では被扶養者の異動届は、実際は何日で処理できた？",
                top_k=10,
                history=[TARGET_ASKED, TARGET_ANSWERED],
            )
        )
    )
    assert body.answered, body.answer
    assert body.answer.split("\n")[0].startswith("被扶養者異動届 0.7日")
