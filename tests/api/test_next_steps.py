"""Every refusal says what to do next in both languages (the house rule), over a real
uvicorn on loopback: the Japanese half asks for something (…ください), the English half
names an action after the fault, not only the fault (「The question is empty.」 was not)."""

from __future__ import annotations

import re

import httpx
import pytest

from answer.errors import QuestionError, checked_question

ACTION = re.compile(
    r"\b(send|type|ask|shorten|split|save|fix|give|run|use|add|rename|restart|raise|drop|"
    r"correct|check|wait|read|choose|paste|upload|try)\b",
    re.IGNORECASE,
)


def says_what_to_do(message: str) -> bool:
    japanese, separator, english = message.partition(" / ")
    return bool(separator) and "ください" in japanese and bool(ACTION.search(english))


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/ask", {"question": "   "}, 400),
        ("POST", "/ask", {"question": "年" * 2500}, 413),
        ("POST", "/search", {"query": "？！"}, 400),
        ("GET", "/chunks/no-such-id", None, 404),
        ("POST", "/index", None, 401),
        ("POST", "/ask", {"question": "年" * 70_000}, 413),  # over the body limit
    ],
)
def test_refusals_over_http_say_what_to_do_in_both_languages(server, method, path, body, status):
    response = httpx.request(method, f"{server.url}{path}", json=body, timeout=60)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert says_what_to_do(detail), detail


@pytest.mark.parametrize("question", ["", "\ud800 ", "★★", "あ" * 30])
def test_each_question_refusal_says_what_to_do(question):
    with pytest.raises(QuestionError) as refused:
        checked_question(question, limit=20)
    assert says_what_to_do(str(refused.value)), refused.value
