"""A JSON route's body that is not a JSON object, said with what to send instead: the
content type, the shape and the curl line, in Japanese and English.

FastAPI reads a body as JSON only when it comes as ``application/json`` (or ``…+json``).
``curl -d`` without ``-H`` sends ``application/x-www-form-urlencoded``, and a browser's
``fetch`` with a string body sends ``text/plain``. Reading those as JSON anyway would let any
web page a user opens post to the planqa on their own machine without the browser asking
first (a "simple" cross-origin request has no CORS preflight): FastAPI refuses them for
that reason (``strict_content_type``), and so does planqa. Pydantic then says only "body:
Input should be a valid dictionary", which sends a user looking at their JSON; this says
415 with the type received and the curl form. An empty body and a body that is JSON but
not an object (an array, a string, null) get a 422 with the shape to send.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

# The smallest body each JSON route takes, shown in the message and its curl line.
EXAMPLES = {
    "/ask": '{"question": "…"}',
    "/ask/stream": '{"question": "…"}',
    "/search": '{"query": "…"}',
    "/v1/chat/completions": '{"model": "planqa", "messages": [{"role": "user", "content": "…"}]}',
}
_ANY_OBJECT = '{"…": …}'


@dataclass(frozen=True)
class BodyProblem:
    status_code: int
    message: str  # 日本語 / English


def body_problem(
    url: str, path: str, content_type: str | None, errors: Iterable[Mapping[str, Any]]
) -> BodyProblem | None:
    """What is wrong with the body as a whole (not one of its fields), or None: sent as
    another content type (415), empty, or JSON that is not an object (422)."""
    whole = [e for e in errors if tuple(e.get("loc", ())) == ("body",)]
    if not whole:
        return None
    example = EXAMPLES.get(path, _ANY_OBJECT)
    curl = f"curl -H 'Content-Type: application/json' -d '{example}' {url}"
    if whole[0].get("type") == "missing":
        return BodyProblem(
            422,
            f"本文がありません。JSON オブジェクト（{example}）を Content-Type: application/json "
            f"で送ってください（curl なら {curl}） / the request has no body: send a JSON object "
            f"({example}) with Content-Type: application/json (with curl: {curl})",
        )
    if not is_json(content_type):
        said = _shown(content_type)
        return BodyProblem(
            415,
            f"本文は JSON で、Content-Type: application/json を付けて送ってください（このリクエスト"
            f"の Content-Type は {said or 'ありません'}）。curl なら -H 'Content-Type: "
            f"application/json' を付けます: {curl} / the body must be JSON sent with "
            f"Content-Type: application/json (this request's Content-Type is "
            f"{said or 'missing'}); with curl, add -H 'Content-Type: application/json': {curl}",
        )
    return BodyProblem(
        422,
        f"本文が JSON オブジェクトではありません（配列、文字列、数値、null は使えません）。"
        f"{example} の形で送ってください / the body is JSON but not an object (an array, a "
        f"string, a number or null): send an object such as {example}",
    )


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this content type as JSON (its own test)."""
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _shown(content_type: str | None) -> str:
    """The header as received, printable ASCII only and cut short: it is the caller's."""
    printable = "".join(c for c in (content_type or "") if " " <= c <= "~").strip()
    return printable[:80]
