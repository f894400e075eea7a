"""A question in two parts over the real index: when both parts are answered from one
passage, the line read out first answers both (answer/rank.py marks each part's lead,
answer/compose.py joins a later part's lead citing the same pages to the first line)."""

from __future__ import annotations

import asyncio

import pytest

from answer import AskRequest


@pytest.mark.parametrize(
    "question",
    [
        "任意加入を案内されて加入し納付した人は何人？あと、追納を案内されて追納した人は何人？",
        # The first part's selection also admits the second part's sentence as a further
        # statement: that must not keep it from leading its own part.
        "任意加入を勧めて実際に加入し納付した人と、追納を勧めた後に追納した人は令和5年度それぞれ何人？",
    ],
)
def test_two_parts_answered_by_one_passage_are_said_on_the_first_line(service, question):
    # Each part's figure is in its own sentence of the same passage.
    body = asyncio.run(service.answer(AskRequest(question=question, top_k=10)))
    first_line = body.answer.splitlines()[0]
    assert "699人" in first_line and "19.7万人" in first_line, body.answer
    assert first_line.count("【") == 1  # one passage, cited once
