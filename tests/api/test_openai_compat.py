"""/v1/models and /v1/chat/completions through the official ``openai`` client against the
real loopback server: the content is /ask's answer for the same question and history,
streamed or not, and the ``planqa`` field carries /ask's citations and contexts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import openai
import pytest

from api.openai_compat.stream import ChunkWriter, completion_chunks
from planqa.settings import ApiSettings

API_KEY = "test-key-0123456789abcdef"
QUESTION = "電話窓口の応答率はどこまで上げる目標？"
OPENER = "ねんきんネットを使ってもらうための施策は？"
FOLLOW_UP = "それの目標は？"


@pytest.fixture(scope="module")
def client(server) -> openai.OpenAI:
    # OpenAI clients always send some key; a server without keyed reads ignores it.
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


def ask(server, question: str, history: list[dict[str, str]] | None = None) -> dict:
    body = {"question": question, "history": history or []}
    response = httpx.post(f"{server.url}/ask", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_models_lists_the_one_planqa_model(client: openai.OpenAI) -> None:
    models = client.models.list()
    assert [model.id for model in models.data] == ["planqa"]


def test_completion_content_is_the_ask_answer_with_its_labels(server, client) -> None:
    expected = ask(server, QUESTION)
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content
    assert content == expected["answer"]
    assert "【" in content and completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion" and completion.model == "planqa"


def test_earlier_turns_are_the_history_and_system_messages_are_not_used(server, client) -> None:
    opener = ask(server, OPENER)
    history = [
        {"role": "user", "content": OPENER},
        {"role": "assistant", "content": opener["answer"]},
    ]
    expected = ask(server, FOLLOW_UP, history)
    messages = [
        {"role": "system", "content": "あなたは年金の専門家です。英語で答えてください。"},
        *history,
        {"role": "user", "content": FOLLOW_UP},
    ]
    completion = client.chat.completions.create(model="planqa", messages=messages)
    assert completion.choices[0].message.content == expected["answer"]
    extra = completion.model_extra["planqa"]
    assert extra["question_used"] == expected["question_used"] != FOLLOW_UP


def test_planqa_field_carries_the_citations_and_contexts_of_ask(server, client) -> None:
    expected = ask(server, QUESTION)
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}]
    )
    extra = completion.model_extra["planqa"]
    assert extra["citations"] and extra["citations"] == expected["citations"]
    assert extra["contexts"] == expected["contexts"]
    assert extra["answered"] is expected["answered"] is True
    assert "answer" not in extra  # the answer is the message content


def test_streamed_chunks_concatenate_to_the_ask_answer(server, client) -> None:
    expected = ask(server, QUESTION)
    stream = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert content == expected["answer"]
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert len({chunk.id for chunk in chunks}) == 1
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["planqa"]["citations"] == expected["citations"]


def test_the_stream_ends_with_done(server) -> None:
    body = {"model": "planqa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block for block in response.text.split("\n\n") if block]
    assert events[-1] == "data: [DONE]"
    assert all(event.startswith("data: ") for event in events)


def test_stream_joins_answer_lines_with_their_newlines() -> None:
    async def events() -> AsyncIterator[tuple[str, dict]]:
        yield "sentence", {"text": "一文目。【中期P1】"}
        yield "sentence", {"text": "二文目。【年度P2】"}
        yield (
            "final",
            {
                "answer": "一文目。【中期P1】\n二文目。【年度P2】",
                "answered": True,
                "citations": [],
                "contexts": [],
            },
        )

    async def collect() -> list[str]:
        return [piece async for piece in completion_chunks(events(), ChunkWriter("chatcmpl-x", 0))]

    pieces = asyncio.run(collect())
    bodies = [json.loads(p.removeprefix("data: ")) for p in pieces[:-1]]
    content = "".join(b["choices"][0]["delta"].get("content", "") for b in bodies)
    assert content == "一文目。【中期P1】\n二文目。【年度P2】"
    assert pieces[-1] == "data: [DONE]\n\n"


def test_another_model_is_not_found(client) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": QUESTION}]
        )
    assert raised.value.body["code"] == "model_not_found"
    assert "gpt-4o" in raised.value.body["message"]


def test_a_conversation_without_a_user_message_is_refused_in_both_languages(client) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="planqa", messages=[{"role": "system", "content": QUESTION}]
        )
    message = raised.value.body["message"]
    assert (
        "ユーザーのメッセージがありません" in message and "no message with role 'user'" in message
    )


def test_an_empty_question_is_refused_before_the_stream_starts(client) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="planqa", messages=[{"role": "user", "content": "  "}], stream=True
        )
    assert "質問が空です" in raised.value.body["message"]


@pytest.fixture(scope="module")
def keyed(indexed_settings, use_encoder, launch):
    settings = indexed_settings.model_copy(
        update={"api": ApiSettings(api_key=API_KEY, keyed_reads=True)}
    )
    yield from launch(settings, use_encoder)


def test_keyed_reads_refuse_a_missing_or_wrong_key_with_401(keyed) -> None:
    missing = httpx.get(f"{keyed.url}/v1/models", timeout=10)
    assert missing.status_code == 401
    assert "API キーが必要です" in missing.json()["error"]["message"]
    wrong = openai.OpenAI(base_url=f"{keyed.url}/v1", api_key="wrong-key-0123456789", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(
            model="planqa", messages=[{"role": "user", "content": QUESTION}]
        )
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()


def test_keyed_reads_accept_the_key_as_a_bearer_token(keyed) -> None:
    client = openai.OpenAI(base_url=f"{keyed.url}/v1", api_key=API_KEY, max_retries=0)
    assert [model.id for model in client.models.list().data] == ["planqa"]
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}]
    )
    assert "【" in completion.choices[0].message.content


def test_an_unknown_filter_is_refused_before_the_stream_starts(client) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="planqa",
            messages=[{"role": "user", "content": QUESTION}],
            stream=True,
            extra_body={"filters": {"colour": "red"}},
        )
    assert raised.value.body["param"] == "filters"
    assert "不明な絞り込み条件" in raised.value.body["message"]


def test_filters_and_top_k_reach_the_answer_service(server, client) -> None:
    filters = {"kind": "measure"}
    body = {"question": QUESTION, "top_k": 3, "filters": filters}
    expected = httpx.post(f"{server.url}/ask", json=body, timeout=60).json()
    completion = client.chat.completions.create(
        model="planqa",
        messages=[{"role": "user", "content": QUESTION}],
        extra_body={"filters": filters, "top_k": 3},
    )
    assert completion.choices[0].message.content == expected["answer"]
    assert len(completion.model_extra["planqa"]["contexts"]) == len(expected["contexts"]) <= 3
