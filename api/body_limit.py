"""A ceiling on JSON request bodies, enforced while they are read.

A 100 MB ``/ask`` body used to be read whole before validation refused it (+278 MB RSS).
This ASGI middleware answers 413 as soon as the declared length or the bytes received pass
the limit, so no request can make the server hold more than the limit. Uploads (multipart)
get their own limit (``api.max_upload_bytes`` plus room for the form's framing), enforced the
same way, so a 10 GB upload is refused before it is spooled to disk.
"""

from __future__ import annotations

import json
from typing import Any

Scope = dict[str, Any]
TOO_LARGE = "リクエストが大きすぎます（上限 {limit} バイト）。 / The request body is too large (limit {limit} bytes)."


class _TooLarge(Exception):
    pass


class JsonBodyLimit:
    """``limit`` for JSON bodies; ``upload_limit``, when given, for multipart uploads (the
    form parser would otherwise spool a whole upload to disk before the route sees it)."""

    def __init__(self, app: Any, limit: int, upload_limit: int | None = None) -> None:
        self.app = app
        self.json_limit = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        limit = self._limit_for(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        await self._limited(limit, scope, receive, send)

    def _limit_for(self, scope: Scope) -> int | None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            return None
        return self.json_limit if _is_json(scope) else self.upload_limit

    async def _limited(self, limit: int, scope: Scope, receive: Any, send: Any) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, limit)
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
                    await self._refuse(send, limit)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Any, limit: int) -> None:
        body = json.dumps({"detail": TOO_LARGE.format(limit=limit)}, ensure_ascii=False)
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
    return not content_type.startswith(b"multipart/")


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    try:
        return int(raw) if raw is not None and len(raw) <= 20 else None
    except ValueError:
        return None
