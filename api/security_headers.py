"""What a browser may do with planqa's responses, and which host names it answers to.

``SecurityHeaders`` sends on every response a Content-Security-Policy (never framed by
another origin: ``frame-ancestors 'none'``), ``X-Content-Type-Options: nosniff``,
``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store`` (the docs' script bundles: ``no-cache``): answers quote the plans and may quote a question, so no
shared cache or back button keeps them.

The policy of an HTML page allows exactly the inline scripts and styles of that page, by
their SHA-256 hashes, computed as the page leaves (the chat page is one static file, and
/docs and /redoc are rendered by fastapi-offline; no page puts request data into its HTML,
so a hash can never bless an injected script). ReDoc alone needs inline styles (its
styled-components write ``style`` elements at run time) and a ``blob:`` worker (its search):
its policy allows those two, no other page's does.

``TrustedHosts`` refuses a request whose ``Host`` is not an address, a localhost name,
the bound host or one of ``api.allowed_hosts``: a DNS-rebinding page (evil.example resolving
to 127.0.0.1) reaches a loopback server with its own name in ``Host``, and is refused.
An IP address in ``Host`` cannot come from rebinding (the browser's origin is that address).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable
from typing import Any

Scope = dict[str, Any]

CHAT_PAGE_POLICY = (
    "default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SWAGGER_POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# ReDoc's styled-components write style elements at run time, its search runs in a blob: worker.
REDOC_POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; worker-src blob:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
# JSON, event streams and files: nothing in them may run or load anything.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# fastapi-offline's Swagger UI and ReDoc bundles: the same bytes each time, revalidated by ETag.
STATIC_ASSETS = "/static-offline-docs/"
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
}
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# The name Starlette's TestClient sends; no public DNS name can be it (no dot).
TEST_CLIENT_HOST = "testserver"
WRONG_HOST = (
    "このホスト名 '{host}' では受け付けていません。サーバーのアドレス（例 127.0.0.1）で開くか、"
    "管理者が PLANQA_API__ALLOWED_HOSTS に追加してください。 / "
    "The host name '{host}' is not served here: open the server by its address "
    "(e.g. 127.0.0.1) or have the operator add it to PLANQA_API__ALLOWED_HOSTS."
)
INLINE = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
SOURCE_ATTRIBUTE = re.compile(rb"\bsrc\s*=", re.IGNORECASE)


def inline_hashes(html: bytes) -> tuple[list[str], list[str]]:
    """The CSP hash sources of the inline scripts and of the inline styles of a page."""
    scripts: list[str] = []
    styles: list[str] = []
    for match in INLINE.finditer(html):
        tag, attributes, body = match.group(1).lower(), match.group(2), match.group(3)
        if tag == b"script" and SOURCE_ATTRIBUTE.search(attributes):
            continue  # an external script is allowed by its origin ('self'), not a hash
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        (scripts if tag == b"script" else styles).append(f"'sha256-{digest}'")
    return scripts, styles


def policy_for(path: str, html: bytes | None) -> str:
    """The Content-Security-Policy of a response to ``path`` (``html``: its body if HTML)."""
    if html is None:
        return OTHER_POLICY
    scripts, styles = inline_hashes(html)
    if path == "/redoc":
        return REDOC_POLICY.format(scripts=" ".join(scripts))
    if path == "/docs" or path.startswith("/docs/"):
        return SWAGGER_POLICY.format(scripts=" ".join(scripts))
    return CHAT_PAGE_POLICY.format(
        scripts=" ".join(scripts) or "'none'", styles=" ".join(styles) or "'none'"
    )


class SecurityHeaders:
    """Adds the browser security headers to every HTTP response of ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] | None = None
        body: list[bytes] = []

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _is_html(message):
                    start = message  # held until the page is whole: its policy hashes it
                    return
                path = scope["path"]
                await send(_with_headers(message, path, policy_for(path, None)))
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(body)
                path = scope["path"]
                await send(_with_headers(start, path, policy_for(path, html)))
                await send({"type": "http.response.body", "body": html})
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)


class TrustedHosts:
    """Refuses (400, bilingual) a request whose ``Host`` names a host not served here."""

    def __init__(self, app: Any, bound_host: str, allowed: Iterable[str] = ()) -> None:
        self.app = app
        names = {name.strip().lower().rstrip(".") for name in allowed if name.strip()}
        self.any_host = "*" in names
        self.suffixes = tuple(name[1:] for name in names if name.startswith("*."))
        self.names = {n for n in names if not n.startswith("*")} | {
            bound_host.lower().strip("[]"),
            TEST_CLIENT_HOST,
            *LOCAL_NAMES,
        }

    def allows(self, host_header: str) -> bool:
        host = _hostname(host_header)
        if self.any_host or host in self.names or host.endswith(".localhost"):
            return True
        if self.suffixes and host.endswith(self.suffixes):
            return True
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or b"").decode("latin-1")
        if not host or self.allows(host):  # no Host (HTTP/1.0): not a browser, no rebinding
            await self.app(scope, receive, send)
            return
        shown = host[:100].encode("ascii", "replace").decode("ascii")
        body = json.dumps({"detail": WRONG_HOST.format(host=shown)}, ensure_ascii=False)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", b"application/json; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode("utf-8")})


def _hostname(host_header: str) -> str:
    """The host of a ``Host`` header without its port: ``[::1]:8000`` → ``::1``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


def _is_html(start: dict[str, Any]) -> bool:
    for key, value in start.get("headers", ()):
        if key.lower() == b"content-type":
            return value.lower().startswith(b"text/html")
    return False


def _with_headers(start: dict[str, Any], path: str, policy: str) -> dict[str, Any]:
    headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"cache-control"]
    present = {key.lower() for key, _ in headers}
    added = {**HEADERS, b"content-security-policy": policy.encode("ascii")}
    # no-store even where a route said no-cache (the answer stream): no-cache still stores
    cache = b"no-cache" if path.startswith(STATIC_ASSETS) else b"no-store"
    headers += [(key, value) for key, value in added.items() if key not in present]
    return {**start, "headers": [*headers, (b"cache-control", cache)]}


__all__ = ["SecurityHeaders", "TrustedHosts", "inline_hashes", "policy_for"]
