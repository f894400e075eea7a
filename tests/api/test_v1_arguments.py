"""/v1/chat/completions takes every argument OpenAI's chat API documents and refuses any other
with a 400 in OpenAI's shape naming it, as OpenAI does: the official ``openai`` client and
LangChain's ChatOpenAI against the real loopback server."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai.types.chat.completion_create_params import CompletionCreateParamsBase

from api.openai_compat.parameters import DOCUMENTED

QUESTION = "電話窓口の応答率はどこまで上げる目標？"
MESSAGES = [{"role": "user", "content": QUESTION}]
# what LangChain, Open WebUI and scripts send to tune a model that samples
SAMPLING = {
    "temperature": 0.2,
    "top_p": 0.9,
    "seed": 7,
    "stop": ["\n\n"],
    "user": "staff-17",
    "max_tokens": 400,
    "max_completion_tokens": 400,
    "frequency_penalty": 0.1,
    "presence_penalty": 0.1,
    "logit_bias": {"1234": -5},
    "metadata": {"case": "counter"},
    "store": False,
    "parallel_tool_calls": False,
    "service_tier": "auto",
    "reasoning_effort": "low",
    "verbosity": "low",
    "prompt_cache_key": "planqa",
    "safety_identifier": "staff-17",
    "modalities": ["text"],
}


def asked(server) -> str:
    response = httpx.post(f"{server.url}/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["answer"]


def test_every_argument_the_installed_sdk_documents_is_known() -> None:
    sdk_arguments = set(CompletionCreateParamsBase.__annotations__) | {"stream"}
    assert sdk_arguments - DOCUMENTED == set(), "add them to api/openai_compat/parameters.py"
    assert DOCUMENTED - sdk_arguments == set()


def test_openai_s_sampling_parameters_are_accepted_and_answered_as_without(server, client):
    completion = client.chat.completions.create(model="planqa", messages=MESSAGES, **SAMPLING)
    assert completion.choices[0].message.content == asked(server)


@pytest.mark.parametrize("stream", [False, True])
def test_an_unknown_argument_is_refused_naming_it_and_the_name_it_resembles(client, stream) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="planqa",
            messages=MESSAGES,
            stream=stream,
            extra_body={"max_token": 100, "colour": "blue", "top_k": 3},
        )
    error = raised.value.body
    assert error["param"] == "max_token" and error["code"] == "unknown_parameter"
    assert error["type"] == "invalid_request_error"
    japanese, _, english = error["message"].partition(" / ")
    assert "Unrecognized request argument supplied: max_token, colour" in english
    assert "top_k," not in english.split(";")[0]  # planqa's own argument is known
    assert "max_tokens のことですか" in japanese and "did you mean max_tokens?" in english


def test_an_unknown_argument_sent_as_null_is_refused_too(server) -> None:
    body = {"model": "planqa", "messages": MESSAGES, "topk": None}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == "topk"
    assert "top_k" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"function_call": {"name": "lookup"}}, "function_call"),
        ({"modalities": ["text", "audio"]}, "modalities"),
        ({"audio": {"voice": "alloy", "format": "wav"}}, "audio"),
    ],
)
def test_audio_and_a_forced_function_call_are_refused_naming_the_parameter(
    client, extra, param
) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="planqa", messages=MESSAGES, **extra)
    error = raised.value.body
    assert error["param"] == param and error["code"] == "unsupported_parameter"
    assert param in error["message"].partition(" / ")[2]


def langchain_chat(server, **options):
    """LangChain's ChatOpenAI on the server's /v1, with ``options`` as a user sets them."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=f"{server.url}/v1", api_key="unused", model="planqa", max_retries=0, **options
    )


def test_langchain_with_its_sampling_settings_gets_the_ask_answer(server) -> None:
    chat = langchain_chat(
        server,
        temperature=0,
        top_p=0.5,
        max_tokens=300,
        seed=1,
        stop=["。。"],
        model_kwargs={"user": "staff-17"},
    )
    assert chat.invoke(QUESTION).content == asked(server)


def test_langchain_with_an_argument_openai_does_not_define_is_refused(server) -> None:
    chat = langchain_chat(server, extra_body={"min_p": 0.05})  # local servers' knob, not OpenAI's
    with pytest.raises(openai.BadRequestError) as raised:
        chat.invoke(QUESTION)
    assert raised.value.body["param"] == "min_p"


def test_the_published_schema_lists_the_accepted_arguments_and_no_others(server) -> None:
    schema = httpx.get(f"{server.url}/openapi.json").json()
    request = schema["components"]["schemas"]["ChatCompletionRequest"]
    assert request["additionalProperties"] is False
    assert set(request["properties"]) == DOCUMENTED | {"top_k", "filters"}
