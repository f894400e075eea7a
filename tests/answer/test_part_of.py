"""A follow-up asking a part of the figure just given (そのうち…), over the real index
(answer/part_of.py)."""

from __future__ import annotations

import asyncio

from answer import AskRequest, Turn
from answer.part_of import asks_part
from question.followup import without_connective

CALLS_ASKED = Turn(role="user", content="令和4年度、コールセンターにかかってきた電話の総数は？")
CALLS_ANSWERED = Turn(role="assistant", content="入電総呼数は8,962,327件でした【資料1-3 P61】。")


def test_sono_uchi_asks_a_part_and_carries_no_content_of_its_own():
    assert asks_part("そのうち何件に応えられた？")
    assert asks_part("じゃあこのうち何人？")
    assert not asks_part("その内容は？")
    assert without_connective("そのうち何件に応えられた？") == "何件に応えられた？"


def test_a_part_is_the_next_row_in_the_unit_of_the_whole_and_below_it(service):
    """応答呼数 is the row under 入電総呼数: counted in 件 as the whole and below it; the
    rate beside them (応答率, in ％) is no part of a count of calls."""
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="そのうち何件に応えられた？",
                top_k=10,
                history=[CALLS_ASKED, CALLS_ANSWERED],
            )
        )
    )
    assert body.answered, body.answer
    first = body.answer.split("\n")[0]
    assert first.startswith("応答呼数 6,540,936件") and "資料1-3 P61" in first
