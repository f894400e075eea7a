"""A ceiling on JSON request bodies, enforced while they are read.

A 100 MB ``/ask`` body used to be read whole before validation refused it (+278 MB RSS).
This ASGI middleware answers 413 as soon as the declared length or the bytes received pass
the limit, so no request can make the server hold more than the limit. Uploads (multipart)
have their own limit (``api.max_upload_bytes``) and pass through.
"""

from __future__ import annotations

import json
from typing import Any

Scope = dict[str, Any]
TOO_LARGE = "リクエストが大きすぎます（上限 {limit} バイト）。 / The request body is too large (limit {limit} bytes)."


class _TooLarge(Exception):
    pass


class JsonBodyLimit:
    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(send)
            return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
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
                    await self._refuse(send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
        body = json.dumps({"detail": TOO_LARGE.format(limit=self.limit)}, ensure_ascii=False)
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


def _is_json(scope: Scope) -> bool:
    content_type = (_header(scope, b"content-type") or b"").lower()
    return scope.get("method") in ("POST", "PUT", "PATCH") and not content_type.startswith(
        b"multipart/"
    )


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    try:
        return int(raw) if raw is not None and len(raw) <= 20 else None
    except ValueError:
        return None
