"""What a request that is not what a route takes gets back, over a real uvicorn on loopback:
a body sent as another content type, whole numbers sent as true or a fraction, null for an
optional field. Each refusal names the field or the content type and what to send, in
Japanese and English; nothing is silently read as something else.
"""

from __future__ import annotations

import json

import httpx
import pytest

QUESTION = "国民年金の納付率の目標は？"
KEY = {"Authorization": "Bearer test-key-0123456789abcdef"}
CHAT = {"model": "planqa", "messages": [{"role": "user", "content": QUESTION}]}
JSON_ROUTES = [
    ("/ask", {"question": QUESTION}),
    ("/ask/stream", {"question": QUESTION}),
    ("/search", {"query": QUESTION}),
    ("/v1/chat/completions", CHAT),
]


def detail_of(response: httpx.Response) -> str:
    """planqa's ``detail``, or the message of OpenAI's error shape under /v1."""
    body = response.json()
    return body["error"]["message"] if "error" in body else body["detail"]


def is_bilingual(detail: str) -> bool:
    japanese, separator, english = detail.partition(" / ")
    kana_or_kanji = any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in japanese)
    return bool(separator) and kana_or_kanji and any(c.isascii() and c.isalpha() for c in english)


def post_json(server, path: str, body: object) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", json=body, headers=KEY, timeout=60)


# --- row 1: the content type ---------------------------------------------------------------
@pytest.mark.parametrize(("path", "body"), JSON_ROUTES)
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", None],
    ids=["text-plain", "curl-d-without-H", "no-content-type"],
)
def test_json_sent_as_another_content_type_is_415_naming_it_with_the_curl_form(
    server, path, body, content_type
):
    headers = {**KEY, **({"content-type": content_type} if content_type else {})}
    response = httpx.post(
        f"{server.url}{path}", content=json.dumps(body).encode(), headers=headers, timeout=60
    )
    assert response.status_code == 415, response.text
    detail = detail_of(response)
    assert is_bilingual(detail), detail
    assert "application/json" in detail and "-H 'Content-Type: application/json'" in detail
    assert (content_type or "ありません") in detail.partition(" / ")[0], detail
    assert (content_type or "missing") in detail.partition(" / ")[2], detail
    assert f"{server.url}{path}" in detail  # the curl line to copy names this URL


@pytest.mark.parametrize(("path", "body"), JSON_ROUTES)
def test_json_with_a_charset_is_still_json(server, path, body):
    headers = {**KEY, "content-type": "application/json; charset=utf-8"}
    response = httpx.post(
        f"{server.url}{path}", content=json.dumps(body).encode(), headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text


def test_an_upload_sent_as_raw_bytes_or_json_is_422_saying_to_use_the_form_field(server):
    for content_type, content in (("text/plain", "計画メモ".encode()), ("application/json", b"{}")):
        response = httpx.post(
            f"{server.url}/documents",
            content=content,
            headers={**KEY, "content-type": content_type},
            timeout=60,
        )
        assert response.status_code == 422, response.text  # as a form without a file part
        detail = response.json()["detail"]
        assert is_bilingual(detail) and "multipart/form-data" in detail, detail
        assert content_type in detail and "-F 'file=@" in detail, detail


# --- row 2: whole numbers and switches are not coerced ---------------------------------------
@pytest.mark.parametrize(
    ("path", "body"), [*JSON_ROUTES[:1], JSON_ROUTES[2], JSON_ROUTES[3]], ids=lambda v: str(v)
)
@pytest.mark.parametrize("top_k", [True, False, 2.5, "many", 1e300])
def test_top_k_as_a_boolean_or_fraction_is_422_naming_the_field_and_its_range(
    server, path, body, top_k
):
    response = post_json(server, path, {**body, "top_k": top_k})
    assert response.status_code == 422, response.text
    japanese, _, english = detail_of(response).partition(" / ")
    assert "top_k：整数で指定してください（1 から 50 まで" in japanese, japanese
    assert "top_k: Input should be a whole number from 1 to 50" in english, english


@pytest.mark.parametrize("top_k", ["5", 5.0])
def test_top_k_as_a_numeric_string_or_whole_float_says_the_same_number(server, top_k):
    response = post_json(server, "/search", {"query": QUESTION, "top_k": top_k})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize(
    ("field", "value", "japanese"),
    [
        ("n", True, "n：整数で指定してください"),
        ("top_logprobs", False, "top_logprobs：整数で指定してください"),
        ("stream", "yes", "stream：true か false で指定してください"),
        ("stream", 1, "stream：true か false で指定してください"),
        ("logprobs", "false", "logprobs：true か false で指定してください"),
        ("stream_options", {"include_usage": 1}, "stream_options.include_usage：true か false"),
    ],
)
def test_chat_numbers_and_switches_of_another_type_are_422_naming_the_field(
    server, field, value, japanese
):
    response = post_json(server, "/v1/chat/completions", {**CHAT, field: value})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert japanese in error["message"] and is_bilingual(error["message"]), error
    assert error["param"] == field.split(".")[0] or error["param"].startswith(field), error


# --- row 3: null for an optional field is its default ----------------------------------------
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/ask", {"question": QUESTION, "filters": None, "history": None, "top_k": None}),
        ("/ask/stream", {"question": QUESTION, "filters": None, "history": None}),
        ("/search", {"query": QUESTION, "filters": None, "top_k": None}),
        ("/v1/chat/completions", {**CHAT, "filters": None, "top_k": None, "stream": None}),
        ("/v1/chat/completions", {**CHAT, "n": None, "stream_options": None, "tools": None}),
    ],
)
def test_null_for_an_optional_field_is_its_default(server, path, body):
    with_nulls = post_json(server, path, body)
    assert with_nulls.status_code == 200, with_nulls.text
    without = post_json(server, path, {k: v for k, v in body.items() if v is not None})
    if path == "/search":
        assert with_nulls.json() == without.json()
    if path == "/ask":
        assert with_nulls.json()["answer"] == without.json()["answer"]
        assert len(with_nulls.json()["contexts"]) == 5


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/ask", {"question": None}, "question"),
        ("/search", {"query": None}, "query"),
        ("/v1/chat/completions", {**CHAT, "messages": None}, "messages"),
    ],
)
def test_null_for_a_required_field_is_still_422_naming_it(server, path, body, field):
    response = post_json(server, path, body)
    assert response.status_code == 422, response.text
    assert f"{field}：" in detail_of(response), response.text
