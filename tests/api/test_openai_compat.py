"""/v1/models and /v1/chat/completions through the official ``openai`` client against the
real loopback server: the content is /ask's answer for the same question and history,
streamed or not, and the ``planqa`` field carries /ask's citations and contexts."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import openai
import pytest

from api.openai_compat.content import PROMISE
from api.openai_compat.stream import ChunkWriter, completion_chunks
from planqa.settings import ApiSettings

API_KEY = "test-key-0123456789abcdef"
QUESTION = "電話窓口の応答率はどこまで上げる目標？"
OPENER = "ねんきんネットを使ってもらうための施策は？"
FOLLOW_UP = "それの目標は？"


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


# --- what real chat clients send (issue 21 rows 9–13) ----------------------------------------
DECLINED = "年金事務所の駐車場は何台分ありますか？"  # own wording; the plans do not say


def chat_client_tools(count: int = 36) -> list[dict]:
    """Tool definitions the size of Open WebUI's built-in ones (36 tools, ~26 KB)."""
    return [
        {
            "type": "function",
            "function": {
                "name": f"builtin_tool_{n}",
                "description": f"Built-in tool number {n}. " + "It does one thing. " * 30,
                "parameters": {
                    "type": "object",
                    "properties": {"query": {"type": "string", "description": "What to do."}},
                    "required": ["query"],
                },
            },
        }
        for n in range(count)
    ]


def long_chat(server, exchanges: int) -> list[dict[str, str]]:
    """A conversation of ``exchanges`` questions and planqa's answers, ending with OPENER."""
    answer = ask(server, QUESTION)["answer"]
    opener = ask(server, OPENER)["answer"]
    turns: list[dict[str, str]] = []
    for _ in range(exchanges - 1):
        turns += [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": answer}]
    turns[0] = {
        "role": "user",
        "content": "メモ：" + "年金" * 15_000,
    }  # a pasted text, 30,000 chars
    return [*turns, {"role": "user", "content": OPENER}, {"role": "assistant", "content": opener}]


def test_a_long_chat_with_a_client_s_tools_is_answered_from_its_latest_turns(server, client):
    history = long_chat(server, exchanges=60)
    messages = [*history, {"role": "user", "content": FOLLOW_UP}]
    body = {"model": "planqa", "messages": messages, "tools": chat_client_tools()}
    assert len(json.dumps(body, ensure_ascii=False).encode()) > 65_536 * 2
    completion = client.chat.completions.create(
        model="planqa", messages=messages, tools=chat_client_tools()
    )
    expected = ask(server, FOLLOW_UP, history[-10:])  # the latest five exchanges
    assert completion.choices[0].message.content == expected["answer"]
    assert completion.model_extra["planqa"]["question_used"] == expected["question_used"]


def test_the_question_s_own_limit_still_applies_in_a_long_chat(server, client):
    messages = [*long_chat(server, exchanges=3), {"role": "user", "content": "納" * 2001}]
    with pytest.raises(openai.APIStatusError) as raised:
        client.chat.completions.create(model="planqa", messages=messages)
    assert raised.value.status_code == 413 and raised.value.body["param"] == "messages"


@pytest.fixture(scope="module")
def small_chat_limit(indexed_settings, use_encoder, launch):
    settings = indexed_settings.model_copy(update={"api": ApiSettings(max_chat_body_bytes=100_000)})
    yield from launch(settings, use_encoder)


def test_a_chat_over_the_body_limit_is_refused_in_openai_shape_saying_what_to_do(
    small_chat_limit,
) -> None:
    client = openai.OpenAI(base_url=f"{small_chat_limit.url}/v1", api_key="x", max_retries=0)
    messages = [
        {"role": "assistant", "content": "年金" * 30_000},
        {"role": "user", "content": QUESTION},
    ]
    with pytest.raises(openai.APIStatusError) as raised:
        client.chat.completions.create(model="planqa", messages=messages)
    assert raised.value.status_code == 413
    error = raised.value.body
    assert error["code"] == "request_too_large" and error["type"] == "invalid_request_error"
    assert "新しいチャット" in error["message"] and "new chat" in error["message"]
    assert "PLANQA_API__MAX_CHAT_BODY_BYTES" in error["message"]


TOOL = chat_client_tools(1)


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"response_format": {"type": "json_object"}}, "response_format"),
        (
            {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "target", "schema": {"type": "object"}},
                }
            },
            "response_format",
        ),
        ({"tools": TOOL, "tool_choice": "required"}, "tool_choice"),
        (
            {"tools": TOOL, "tool_choice": {"type": "function", "function": {"name": "x"}}},
            "tool_choice",
        ),
        ({"n": 2}, "n"),
        ({"logprobs": True}, "logprobs"),
        ({"logprobs": False, "top_logprobs": 3}, "top_logprobs"),
    ],
)
def test_output_contracts_planqa_cannot_keep_are_refused_naming_the_parameter(
    client, extra, param
) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="planqa", messages=[{"role": "user", "content": QUESTION}], **extra
        )
    error = raised.value.body
    assert error["param"] == param and error["type"] == "invalid_request_error"
    japanese, _, english = error["message"].partition(" / ")
    assert "planqa" in japanese and param in english


@pytest.mark.parametrize("tool_choice", ["auto", "none", None])
def test_tools_with_tool_choice_auto_or_none_are_answered_as_without(
    server, client, tool_choice
) -> None:
    extra = {"tool_choice": tool_choice} if tool_choice else {}
    completion = client.chat.completions.create(
        model="planqa",
        messages=[{"role": "user", "content": QUESTION}],
        tools=chat_client_tools(),
        response_format={"type": "text"},
        n=1,
        **extra,
    )
    assert completion.choices[0].message.content == ask(server, QUESTION)["answer"]


def test_langchain_structured_output_is_refused_not_answered_with_none(server) -> None:
    from langchain_openai import ChatOpenAI
    from pydantic import BaseModel

    class Target(BaseModel):
        rate: str

    chat = ChatOpenAI(base_url=f"{server.url}/v1", api_key="unused", model="planqa", max_retries=0)
    for method in ("function_calling", "json_schema", "json_mode"):
        with pytest.raises(openai.BadRequestError):
            chat.with_structured_output(Target, method=method).invoke(QUESTION)


def test_a_continue_request_gets_an_empty_completion(server, client) -> None:
    answer = ask(server, QUESTION)["answer"]
    messages = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": answer},
    ]
    completion = client.chat.completions.create(model="planqa", messages=messages)
    assert completion.choices[0].message.content == ""
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model_extra["planqa"]["answered"] is False
    stream = client.chat.completions.create(model="planqa", messages=messages, stream=True)
    chunks = list(stream)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == ""
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_usage_counts_characters_and_the_stream_sends_it_when_asked(server, client) -> None:
    expected = ask(server, QUESTION)["answer"]
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}]
    )
    usage = completion.usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens) == (len(QUESTION), len(expected))
    assert usage.total_tokens == len(QUESTION) + len(expected)
    stream = client.chat.completions.create(
        model="planqa",
        messages=[{"role": "user", "content": QUESTION}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == len(expected)
    assert all(chunk.usage is None for chunk in chunks[:-1])
    plain = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    assert all(chunk.usage is None for chunk in plain)  # not asked, not sent


def test_the_model_card_is_served_and_an_unknown_one_is_not_found(client) -> None:
    assert client.models.retrieve("planqa").id == "planqa"
    with pytest.raises(openai.NotFoundError) as raised:
        client.models.retrieve("gpt-4o")
    assert raised.value.body["code"] == "model_not_found"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/v1/embeddings", 404),
        ("GET", "/v1/files", 404),
        ("GET", "/v1", 404),
        ("GET", "/v1/chat/completions", 405),
    ],
)
def test_unknown_v1_routes_answer_in_openai_shape(server, method, path, status) -> None:
    response = httpx.request(method, f"{server.url}{path}", timeout=30)
    assert response.status_code == status
    error = response.json()["error"]
    japanese, _, english = error["message"].partition(" / ")
    assert "ありません" in japanese and "/v1/chat/completions" in english


def test_the_sdk_sees_an_unknown_route_as_not_found(client) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        client.embeddings.create(model="planqa", input="年金")
    assert raised.value.body["code"] == "unknown_url"


def test_a_decline_lists_the_nearby_passages_it_announces(server, client) -> None:
    expected = ask(server, DECLINED)
    assert expected["answered"] is False and expected["contexts"]
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": DECLINED}]
    )
    content = completion.choices[0].message.content
    first = expected["contexts"][0]
    assert content.startswith(expected["answer"])
    assert f"【{first['labels'][0]}】" in content
    listed = content.split(PROMISE, 1)[1].strip().split("\n")
    assert 1 <= len(listed) <= 3 and all(line.startswith("・") for line in listed)
    shown = [re.findall(r"【([^】]+)】", line) for line in listed]
    assert all(len(labels) == 1 for labels in shown), listed
    # each passage once: /ask's decline already lists them, /v1 must not list them again
    # (two passages of one page may both be listed: a passage is its line, not its label)
    assert len(set(listed)) == len(listed), listed
    assert content.count(listed[0]) == 1
    stream = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": DECLINED}], stream=True
    )
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream) == content


def test_a_decline_with_no_passage_to_show_does_not_announce_one() -> None:
    from answer.responses import DECLINE_TEXT
    from answer.schemas import AskResponse
    from api.openai_compat.content import PROMISE, message_content

    assert PROMISE in DECLINE_TEXT  # the sentence the content completes
    response = AskResponse(answer=DECLINE_TEXT, answered=False, citations=[], contexts=[])
    assert message_content(response) == DECLINE_TEXT.replace(PROMISE, "")


def task_prompt(instructions: str, output: str) -> str:
    """A prompt built like Open WebUI's task templates (its structure, our own wording)."""
    return (
        f"### Task:\n{instructions}\n### Guidelines:\n- Keep it short.\n### Output:\n{output}\n"
        f"### Chat History:\n<chat_history>\nUSER: {QUESTION}\nASSISTANT: 目標は…\n"
        "</chat_history>"
    )


@pytest.mark.parametrize(
    ("prompt", "content"),
    [
        (
            task_prompt("Suggest next questions.", 'JSON format: { "follow_ups": ["Q1?"] }'),
            '{"follow_ups": []}',
        ),
        (
            task_prompt("Tag the chat by topic.", 'JSON format: { "tags": ["tag1"] }'),
            '{"tags": []}',
        ),
        (task_prompt("Title the chat.", "Return only the title text."), ""),
        (task_prompt("Suggest next questions.", "JSON list.") + "年金" * 5_000, ""),  # long history
    ],
)
def test_open_webui_task_prompts_get_a_neutral_completion(client, prompt, content) -> None:
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": prompt}]
    )
    assert completion.choices[0].message.content == content
    assert completion.model_extra["planqa"]["answered"] is False
    assert completion.model_extra["planqa"]["contexts"] == []


def test_a_question_that_only_mentions_a_task_header_is_answered(server, client) -> None:
    question = f"### Task: {QUESTION}"
    completion = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": question}]
    )
    expected = ask(server, question)
    assert completion.choices[0].message.content.startswith(expected["answer"])
    assert completion.model_extra["planqa"]["contexts"] == expected["contexts"] != []


def test_a_streamed_answer_sends_its_citations_as_open_webui_source_events(server, client) -> None:
    """Open WebUI turns a stream chunk's ``event`` of type ``source`` into a source card
    (open_webui/utils/middleware.py); other clients see an empty delta and go on."""
    expected = ask(server, QUESTION)
    body = {"model": "planqa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60)
    chunks = [
        json.loads(block.removeprefix("data: "))
        for block in response.text.split("\n\n")
        if block.startswith("data: {")
    ]
    sources = [c["event"]["data"] for c in chunks if c.get("event", {}).get("type") == "source"]
    cited = list(dict.fromkeys(c["label"] for c in expected["citations"]))
    assert [s["source"]["id"] for s in sources] == cited and cited
    first = sources[0]
    assert first["source"]["url"] == f"{server.url}/refs/{quote(cited[0])}"
    assert httpx.get(first["source"]["url"], timeout=30).status_code == 200
    assert first["document"][0] in {c["quote"] for c in expected["citations"]}
    assert first["metadata"][0]["source"] == cited[0]
    # The openai client reads the same content as before, source chunks included.
    streamed = client.chat.completions.create(
        model="planqa", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == expected["answer"]


def test_a_follow_up_after_a_paraphrased_answer_reads_the_passage_it_quoted(server, client):
    """An LLM-backed client sends the last answer back in its own words, labels in
    parentheses and digits full-width: the passage it quoted still leads the contexts."""
    opener = "令和5年度に起きた事務処理のミスは何件？"
    quoted = {c["chunk_id"] for c in ask(server, opener)["citations"]}
    messages = [
        {"role": "user", "content": opener},
        {"role": "assistant", "content": "ミスは全部で３２４件だったようです（資料1-3 P123）。"},
        {"role": "user", "content": "前の年は？"},
    ]
    completion = client.chat.completions.create(model="planqa", messages=messages)
    assert completion.model_extra["planqa"]["contexts"][0]["chunk_id"] in quoted


def test_a_malformed_request_names_each_wrong_field_in_both_languages(server) -> None:
    """A /v1 422 said only "invalid request: body.messages"; it now says, as /ask's does,
    what is wrong with each field and what to send, in OpenAI's error shape."""
    body = {"model": "planqa", "messages": "not a list", "temperature": "hot"}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "messages：リストで指定してください" in error["message"]
    assert "invalid request (messages:" in error["message"]
    assert "not a list" not in error["message"] and "hot" not in error["message"]


def test_a_body_that_is_not_utf8_is_refused_in_openai_shape_saying_what_to_send(server) -> None:
    """FastAPI's 400 for a body it cannot decode (Shift_JIS JSON) is Starlette's exception,
    which the /v1 routes did not reshape: an OpenAI client got planqa's {"detail": …}."""
    body = json.dumps(
        {"model": "planqa", "messages": [{"role": "user", "content": "窓口の予約率は？"}]},
        ensure_ascii=False,
    ).encode("shift_jis")
    response = httpx.post(
        f"{server.url}/v1/chat/completions",
        content=body,
        headers={"content-type": "application/json; charset=shift_jis"},
        timeout=30,
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "UTF-8 の JSON にして送り直してください" in error["message"]
    assert "send it again as JSON encoded in UTF-8" in error["message"]


def test_json_that_breaks_off_names_the_character_and_no_parameter(server) -> None:
    response = httpx.post(
        f"{server.url}/v1/chat/completions",
        content=b'{"model": "planqa"',
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "本文の 18 文字目：JSON として読めません" in error["message"]
    assert error["param"] is None


def test_an_image_alone_is_refused_saying_planqa_reads_text_not_that_nothing_was_sent(
    server,
) -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    for stream in (False, True):
        body = {
            "model": "planqa",
            "stream": stream,
            "messages": [{"role": "user", "content": [image]}],
        }
        response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30)
        assert response.status_code == 400, response.text
        message = response.json()["error"]["message"]
        assert "質問を文字で送ってください" in message and "reads text only" in message
        assert "質問が空です" not in message
    # text beside an image is the question
    body = {
        "model": "planqa",
        "messages": [
            {
                "role": "user",
                "content": [image, {"type": "text", "text": "来所相談の予約率の目標は？"}],
            }
        ],
    }
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60)
    assert (
        response.status_code == 200 and "【" in response.json()["choices"][0]["message"]["content"]
    )


def test_a_yes_no_field_given_otherwise_says_to_send_true_or_false(server) -> None:
    # bool errors fell to the generic 値が正しくありません, which says nothing to do
    body = {"model": "planqa", "stream": "maybe", "messages": [{"role": "user", "content": "x"}]}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30)
    assert response.status_code == 422, response.text
    assert "stream：true か false で指定してください" in response.json()["error"]["message"]
