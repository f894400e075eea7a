"""A demonstrative asked with no conversation (それの目標は？) gets a reply asking what it
refers to, never an arbitrary passage: through /ask and /v1/chat/completions on a real
loopback server (the MCP tool: tests/api/test_mcp.py). With a conversation it is answered
from it as before."""

from __future__ import annotations

import httpx
import openai

OPENER = "ねんきんネットを使ってもらうための施策は？"


def _ask(server, question: str, history: list[dict] | None = None) -> dict:
    body = {"question": question, "history": history or []}
    response = httpx.post(f"{server.url}/ask", json=body, timeout=60)
    assert response.status_code == 200
    return response.json()


def test_ask_asks_what_a_demonstrative_with_no_referent_points_at(server):
    for question, word in (
        ("それの目標は？", "それ"),
        ("その件数は？", "その"),
        ("あれは？", "あれ"),
    ):
        body = _ask(server, question)
        assert body["answered"] is False
        assert body["contexts"] == [] and body["citations"] == []
        assert "【" not in body["answer"]
        japanese, english = body["answer"].split("\n")
        assert f"「{word}」が何を指すのか" in japanese
        assert "refers to" in english


def test_ask_answers_the_same_demonstrative_from_the_conversation(server):
    opener = _ask(server, OPENER)
    history = [
        {"role": "user", "content": OPENER},
        {"role": "assistant", "content": opener["answer"]},
    ]
    body = _ask(server, "それの目標は？", history)
    assert body["answered"] is True and "【" in body["answer"]
    assert "何を指すのか" not in body["answer"]


def test_chat_completions_ask_what_it_refers_to(server):
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": "それの目標は？"}]
    )
    content = completion.choices[0].message.content
    assert "「それ」が何を指すのか" in content and "【" not in content
    assert completion.model_extra["planqa"]["answered"] is False
