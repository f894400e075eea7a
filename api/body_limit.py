"""A ceiling on request bodies, enforced while they are read, chosen by route.

A 100 MB ``/ask`` body used to be read whole before validation refused it (+278 MB RSS).
This ASGI middleware answers 413 as soon as the declared length or the bytes received pass
the limit, so no request can make the server hold more than the limit. The limit belongs
to the route, never to the content type the client declares: a JSON body sent as
``multipart/form-data`` used to get the upload limit (issue 21 row 5). The upload route
(``POST /documents``) has ``api.max_upload_bytes`` plus room for the form's framing, so a
10 GB upload is refused before it is spooled to disk; ``POST /v1/chat/completions`` has
``api.max_chat_body_bytes`` (chat clients send the whole conversation and their tool list
with every message); every other route ``api.max_json_bytes``. Under ``/v1`` the refusal is
in OpenAI's error shape, which those clients show.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Scope = dict[str, Any]
TOO_LARGE = (
    "リクエストが大きすぎます（上限 {limit} バイト）。送る内容を減らして送り直してください。 / The "
    "request body is too large (limit {limit} bytes): send less (a shorter question or "
    "history) and try again."
)
OPENAI_PREFIX = "/v1/"
CHAT_TOO_LARGE = (
    "会話が長すぎます（上限 {limit} バイト）。新しいチャットで質問してください。 / The "
    "conversation is too long (limit {limit} bytes): ask in a new chat, or raise "
    "PLANQA_API__MAX_CHAT_BODY_BYTES on the server."
)


class _TooLarge(Exception):
    pass


class JsonBodyLimit:
    """``limit`` for every body but those of ``route_limits``, keyed by (method, path)."""

    def __init__(
        self, app: Any, limit: int, route_limits: Mapping[tuple[str, str], int] | None = None
    ) -> None:
        self.app = app
        self.json_limit = limit
        self.route_limits = dict(route_limits or {})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        limit = self._limit_for(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        await self._limited(limit, scope, receive, send)

    def _limit_for(self, scope: Scope) -> int | None:
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("POST", "PUT", "PATCH"):
            return None
        path = scope.get("path", "").rstrip("/") or "/"
        return self.route_limits.get((method, path), self.json_limit)

    async def _limited(self, limit: int, scope: Scope, receive: Any, send: Any) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, send, limit)
            return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            # The framework turns a failed body read into its own 400; past the limit the
            # answer is 413, whatever the app would have said.
            nonlocal started
            if exceeded:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(scope, send, limit)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Any, limit: int) -> None:
        if scope.get("path", "").startswith(OPENAI_PREFIX):
            message = CHAT_TOO_LARGE.format(limit=limit)
            error = {"message": message, "type": "invalid_request_error", "param": "messages"}
            payload: dict[str, Any] = {"error": {**error, "code": "request_too_large"}}
        else:
            payload = {"detail": TOO_LARGE.format(limit=limit)}
        body = json.dumps(payload, ensure_ascii=False)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode("utf-8")})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    try:
        return int(raw) if raw is not None and len(raw) <= 20 else None
    except ValueError:
        return None
