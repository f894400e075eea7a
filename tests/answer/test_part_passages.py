"""A part of a two-part question led by a statement the other part chose reads its own
search's best passages too, over the real index: the merged list reads the whole question's
passages first and the parts' in turn, so a part whose best passages ranked below the other
part's was answered by a passage the other part brought, which named its subject but not
what it asked."""

from __future__ import annotations

import asyncio

from answer import AnswerService, AskRequest


def _answer(service: AnswerService, question: str) -> str:
    body = asyncio.run(service.answer(AskRequest(question=question, top_k=10)))
    assert body.answered, body.answer
    return body.answer


def test_each_part_is_answered_from_its_own_best_passages(service):
    """The second part's plan measures (中期P55・P56, 年度P56: ねんきん定期便's move to the
    electronic version) rank below the first part's passages in the merged list; read from
    its own search, one of them answers that part, not the first part's line that names
    ねんきん定期便 among the means of finding a record's owner (its lead before)."""
    question = (
        "持ち主のわからない年金記録を調べる方法はある？あと、ねんきん定期便は電子化されるの？"
    )
    lines = _answer(service, question).split("\n")
    assert any("持ち主不明記録検索" in line for line in lines)
    electronic = [line for line in lines if "ねんきん定期便" in line and "電子" in line]
    assert electronic and any(p in electronic[0] for p in ("中期P55", "年度P56"))
