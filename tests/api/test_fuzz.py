"""Schema-driven fuzzing: every route of the OpenAPI document, requests generated from its
schemas (valid and invalid), sent to the real server over loopback; no answer may be a 5xx.

Bounded and deterministic for CI: Hypothesis is derandomized and each operation gets a few
dozen cases (a few hundred in all). The write key is sent, so the write routes are fuzzed
past their key check; ``POST /index`` is left out (it takes no input but the key, and each
case would re-index the whole folder: test_routes.py covers it), and ``POST /documents``
runs on a server of its own with a copy of the plans, with fewer cases since each file it
accepts re-indexes.

Schemathesis checks only that nothing is a 5xx. ``MALFORMED`` below is the hand-written
half: the malformed input people and scripts really send to each endpoint (an empty body,
an array, wrong types, unknown fields, limits passed, negative numbers), each with the
status and the words its message must say.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from planqa.settings import ApiSettings, Settings

API_KEY = "test-key-0123456789abcdef"
KEY = {"Authorization": f"Bearer {API_KEY}"}

CASES_PER_READ_ROUTE = 25
CASES_FOR_UPLOADS = 10
FUZZ = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@pytest.fixture(scope="module")
def writable_url(writable_copy, use_encoder, launch, tmp_path_factory):
    writable = writable_copy(tmp_path_factory.mktemp("fuzz-writes"), max_upload_bytes=50_000)
    yield from (running.url for running in launch(writable, use_encoder))


def _openapi_document() -> dict:
    """The app's OpenAPI document, read at import time as schemathesis needs it. Building
    the document needs no index, so the app is given a placeholder service; every request
    then goes to the real server (``base_url``) over its real index."""
    placeholder_service = object()
    app = create_app(Settings(api=ApiSettings(api_key=API_KEY)), service=placeholder_service)
    return app.openapi()


schema = schemathesis.openapi.from_dict(_openapi_document())
reads = schema.exclude(method="POST", path_regex=r"^/(index|documents)$")
uploads = schema.include(method="POST", path="/documents")


@reads.parametrize()
@settings(max_examples=CASES_PER_READ_ROUTE, **FUZZ)
def test_no_route_answers_a_server_error(case, server):
    response = case.call(base_url=server.url, headers=KEY, timeout=60)
    case.validate_response(response, checks=[not_a_server_error])


@uploads.parametrize()
@settings(max_examples=CASES_FOR_UPLOADS, **FUZZ)
def test_uploads_never_answer_a_server_error(case, writable_url):
    response = case.call(base_url=writable_url, headers=KEY, timeout=180)
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzed_document_is_the_one_the_server_serves(server):
    served = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    assert set(_openapi_document()["paths"]) == set(served)
    assert {"/ask", "/ask/stream", "/search", "/refs/{label}", "/documents"} <= set(served)


# --- malformed input a user or a script plausibly sends, endpoint by endpoint ----------------
# Each: (method, path, request arguments, status, what the Japanese half must say). Every
# answer is a 4xx whose message is Japanese then English, names the field or the body, and
# says what to send: never pydantic's type names (content.str, list[TextPart]) nor the
# catch-all 値が正しくありません.
CHAT = {"model": "planqa", "messages": [{"role": "user", "content": "納付率の目標は？"}]}
TURN = {"role": "user", "content": "納付率"}
MALFORMED = [
    ("POST", "/ask", {"content": b""}, 422, "本文がありません"),
    ("POST", "/ask", {"content": b"[]"}, 422, "JSON オブジェクトではありません"),
    ("POST", "/ask", {"content": b'"question"'}, 422, "JSON オブジェクトではありません"),
    ("POST", "/ask", {"content": b"null"}, 422, "JSON オブジェクトではありません"),
    ("POST", "/ask", {"content": b'{"question": '}, 422, "文字目"),
    # single quotes, as a Windows console's curl -d "{'question': …}" sends them
    ("POST", "/ask", {"content": "{'question': '納付率'}".encode()}, 422, '項目名は " で囲みます'),
    ("POST", "/search", {"content": '{"query": "納付率",}'.encode()}, 422, "最後の項目の後に ,"),
    (
        "POST",
        "/v1/chat/completions",
        {"content": b'{"model": "planqa" "messages": []}'},
        422,
        "項目の間に , がありません",
    ),
    ("POST", "/ask", {"json": {"question": ""}}, 400, "質問を入力してください"),
    ("POST", "/ask", {"json": {"question": 12}}, 422, "question：文字列で"),
    ("POST", "/ask", {"json": {"question": "納付率", "top_k": -1}}, 422, "top_k：1 以上"),
    ("POST", "/ask", {"json": {"question": "納付率", "top_k": 10**30}}, 422, "top_k：50 以下"),
    ("POST", "/ask", {"json": {"question": "納付率", "colour": 1}}, 422, "colour：この項目は"),
    ("POST", "/ask", {"json": {"question": "納付率", "history": ["x"]}}, 422, "history.0："),
    (
        "POST",
        "/ask",
        {"json": {"question": "納付率", "history": [TURN] * 51}},
        422,
        "history：50 個以内",
    ),
    (
        "POST",
        "/ask",
        {"json": {"question": "納付率", "history": [{**TURN, "content": "あ" * 20_001}]}},
        422,
        "history.0.content：20000 文字以内",
    ),
    ("POST", "/ask", {"json": {"question": "納付率", "filters": []}}, 422, "filters：オブジェクト"),
    ("POST", "/ask/stream", {"content": b"[1, 2]"}, 422, "JSON オブジェクトではありません"),
    ("POST", "/search", {"content": b""}, 422, "本文がありません"),
    ("POST", "/search", {"json": {"query": []}}, 422, "query：文字列で"),
    ("POST", "/search", {"json": {"query": "納付率", "top_k": "abc"}}, 422, "top_k：整数で"),
    ("POST", "/v1/chat/completions", {"content": b""}, 422, "本文がありません"),
    ("POST", "/v1/chat/completions", {"content": b"[]"}, 422, "JSON オブジェクトではありません"),
    ("POST", "/v1/chat/completions", {"json": {**CHAT, "model": 5}}, 422, "model：文字列で"),
    ("POST", "/v1/chat/completions", {"json": {**CHAT, "messages": "x"}}, 422, "messages：リスト"),
    ("POST", "/v1/chat/completions", {"json": {**CHAT, "messages": [1]}}, 422, "messages.0："),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {**CHAT, "messages": [{"role": "user", "content": 123}]}},
        422,
        "messages.0.content：文字列か、部品のリスト",
    ),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {**CHAT, "messages": [{"role": "bot", "content": "x"}]}},
        422,
        "messages.0.role：",
    ),
    ("POST", "/v1/chat/completions", {"json": {**CHAT, "tool_choice": 5}}, 422, "tool_choice："),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {**CHAT, "stream_options": "yes"}},
        422,
        "stream_options：オブジェクト",
    ),
    ("POST", "/v1/chat/completions", {"json": {**CHAT, "n": -1}}, 400, "n を 1 にするか外して"),
    ("GET", "/refs/" + "9" * 5000, {}, 404, "書き方"),
    ("GET", "/refs/%00", {}, 404, "書き方"),
    ("GET", "/trace/" + "9" * 5000, {}, 404, "書き方"),
    ("GET", "/chunks/none", {}, 404, "の箇所はありません"),
    ("POST", "/v1/models", {}, 405, "はありません"),
    ("GET", "/v1/models/gpt-4", {}, 404, "'planqa' を指定してください"),
    ("POST", "/index", {"headers": {}}, 401, ""),
]


def _said(response: httpx.Response) -> str:
    body = response.json()
    return body["error"]["message"] if "error" in body else body["detail"]


@pytest.mark.parametrize(
    ("method", "path", "arguments", "status", "japanese"),
    MALFORMED,
    ids=[f"{m} {p[:30]} {i}" for i, (m, p, *_) in enumerate(MALFORMED)],
)
def test_malformed_input_gets_a_4xx_naming_the_field_and_what_to_send(
    server, method, path, arguments, status, japanese
):
    arguments = dict(arguments)
    headers = arguments.pop("headers", KEY)
    if "content" in arguments:
        headers = {**headers, "content-type": "application/json"}
    response = httpx.request(
        method, f"{server.url}{path}", headers=headers, timeout=60, **arguments
    )
    assert response.status_code == status, response.text[:400]
    said = _said(response)
    said_ja, separator, said_en = said.partition(" / ")
    assert separator and said_en.strip(), said
    assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in said_ja), said
    assert japanese in said_ja, said
    assert "値が正しくありません" not in said and "list[" not in said and ".str" not in said


@pytest.mark.parametrize(
    ("params", "files", "japanese"),
    [
        ({"replace": "maybe"}, {"file": ("memo.txt", "メモ".encode(), "text/plain")}, "replace："),
        ({}, {"other": ("memo.txt", "メモ".encode(), "text/plain")}, "file：ファイルを multipart"),
    ],
)
def test_malformed_uploads_get_a_4xx_naming_the_field(writable_url, params, files, japanese):
    response = httpx.post(
        f"{writable_url}/documents", params=params, files=files, headers=KEY, timeout=60
    )
    assert response.status_code == 422, response.text[:400]
    said_ja, separator, said_en = response.json()["detail"].partition(" / ")
    assert separator and said_en and japanese in said_ja, response.text[:400]


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("", "type a question"),
        ("？！…", "ask it in words"),
        ("納" * 2001, "shorten it to 2000 characters or split it"),
    ],
)
def test_a_refused_question_says_what_to_do_in_english_too(server, question, english):
    response = httpx.post(f"{server.url}/ask", json={"question": question}, timeout=60)
    assert 400 <= response.status_code < 500, response.text[:300]
    said_ja, _, said_en = response.json()["detail"].partition(" / ")
    assert "ください" in said_ja and english in said_en, response.text[:300]


def test_a_method_the_url_does_not_take_names_every_method_it_does(server):
    # Starlette named only its first route's: "this URL takes GET" for /documents
    response = httpx.put(f"{server.url}/documents", headers=KEY, timeout=30)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "GET, POST"
    assert "この URL は GET, POST で送って" in response.json()["detail"], response.text
    assert "this URL takes GET, POST" in response.json()["detail"], response.text


def test_deleting_the_document_list_says_how_to_delete_one(server):
    # DELETE /documents/{name} deletes an upload (tests/api/test_document_delete.py); the
    # list itself takes no DELETE: the 405 names the route and the bundled plans' way
    response = httpx.delete(f"{server.url}/documents", headers=KEY, timeout=30)
    assert response.status_code == 405, response.text
    said_ja, _, said_en = response.json()["detail"].partition(" / ")
    assert "DELETE /documents/<ファイル名>" in said_ja and "planqa remove" in said_ja, response.text
    assert "DELETE /documents/NAME" in said_en and "planqa remove NAME" in said_en, response.text
