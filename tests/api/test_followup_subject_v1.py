"""Follow-ups that keep their subject, through a real loopback server and the
OpenAI-compatible /v1/chat/completions, the history sent back as plain text."""

from __future__ import annotations

import openai
import pytest


@pytest.fixture(scope="module")
def client(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


def _content(client: openai.OpenAI, *turns: str) -> str:
    roles = ["user", "assistant"] * len(turns)
    messages = [{"role": role, "content": text} for role, text in zip(roles, turns, strict=False)]
    completion = client.chat.completions.create(model="planqa", messages=messages)
    return completion.choices[0].message.content


def test_another_year_of_a_table_row_whose_header_is_in_the_passage_before(client):
    content = _content(
        client,
        "情報照会のうち国民年金の届書についての件数は令和5年度いくつ？",
        "国民年金届書関係は3,532万件です（資料1-3 P107）。",
        "令和2年度だと？",
    )
    lines = content.split("\n")
    assert lines[0].startswith("国民年金届書関係") and "4,211万件" in lines[0]
    assert "令和2年度の欄は4,211万件" in lines[1]
