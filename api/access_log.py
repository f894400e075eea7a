"""One line per request for the operator: who asked, what, with what result, how fast,
how much.

``planqa serve`` ran uvicorn with its access log below the log level, so a 413, a burst of
requests from one client or a slow route left no trace (issue 21 row 15). This ASGI
middleware, the outermost, writes to the ``planqa.access`` logger::

    127.0.0.1 "POST /ask" 200 41.2ms in=58 out=2311 "python-httpx/0.28.1"

client address, method, path, status, duration, request and response body bytes, user
agent. Never the query string or a body, so no question text; control characters in the
path or user agent are escaped, so a request cannot forge a line. A refusal by the body
limit is logged like any answer (the limit sits inside this middleware), and a streamed
answer when its last byte is sent.
"""

from __future__ import annotations

import logging
import time
from typing import Any

log = logging.getLogger("planqa.access")
USER_AGENT_CHARS = 120


class AccessLog:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        received = sent = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
            return message

        async def counting_send(message: dict[str, Any]) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        except BaseException:
            status = status or 500
            raise
        finally:
            log.info(
                "%s",
                access_line(scope, status, time.perf_counter() - started, received, sent),
            )


def access_line(
    scope: dict[str, Any], status: int, seconds: float, received: int, sent: int
) -> str:
    client = scope.get("client") or ("-", 0)
    agent = next(
        (value for key, value in scope.get("headers", ()) if key.lower() == b"user-agent"), b"-"
    )
    agent_text = _printable(agent.decode("latin-1")[:USER_AGENT_CHARS])
    return (
        f'{client[0]} "{scope.get("method", "-")} {_printable(scope.get("path", ""))}" {status} '
        f'{seconds * 1000:.1f}ms in={received} out={sent} "{agent_text}"'
    )


def _printable(text: str) -> str:
    escaped = []
    for char in text:
        if char == '"':
            escaped.append('\\"')
        elif char.isprintable():
            escaped.append(char)
        else:
            escaped.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(escaped)


def log_to_stderr() -> None:
    """Show the access lines on stderr, each with its time (``planqa serve``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
