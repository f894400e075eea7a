"""Browser security headers on every response and the Host check against DNS rebinding, over
the real loopback server (the browser side, a CSP with no violation, is in test_browser)."""

from __future__ import annotations

import re
import socket

import httpx
import pytest

from api.security_headers import inline_hashes
from planqa.settings import ApiSettings, Settings

QUESTION = "電話がつながる割合の目標は？"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def requests_of(url: str) -> dict[str, httpx.Response]:
    """One response of each kind the server sends: pages, JSON, a stream, errors, assets."""
    with httpx.Client(base_url=url, timeout=60) as client:
        return {
            "chat page": client.get("/"),
            "docs": client.get("/docs"),
            "redoc": client.get("/redoc"),
            "docs asset": client.get("/static-offline-docs/swagger-ui.css"),
            "health": client.get("/health"),
            "answer": client.post("/ask", json={"question": QUESTION}),
            "answer stream": client.post("/ask/stream", json={"question": QUESTION}),
            "openai": client.post(
                "/v1/chat/completions",
                json={"model": "planqa", "messages": [{"role": "user", "content": QUESTION}]},
            ),
            "not found": client.get("/no-such-page"),
            "too large": client.post("/ask", content=b"{" + b" " * 70_000, headers=JSON),
            "refused write": client.post("/index"),
        }


JSON = {"content-type": "application/json"}


def test_every_response_carries_the_browser_security_headers(server) -> None:
    for kind, response in requests_of(server.url).items():
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", kind
        assert headers.get("x-frame-options") == "DENY", kind
        assert headers.get("referrer-policy") == "no-referrer", kind
        policy = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, kind
        assert "default-src 'none'" in policy, kind
        expected_cache = "no-cache" if kind == "docs asset" else "no-store"
        assert headers.get("cache-control") == expected_cache, kind


def test_the_chat_page_policy_allows_its_own_inline_script_and_style_only(server) -> None:
    page = httpx.get(f"{server.url}/", timeout=10)
    policy = page.headers["content-security-policy"]
    scripts, styles = inline_hashes(page.content)
    assert scripts and styles
    assert f"script-src {' '.join(scripts)};" in policy
    assert f"style-src {' '.join(styles)};" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "connect-src 'self'" in policy


def test_a_host_name_the_server_does_not_serve_is_refused_in_both_languages(server) -> None:
    """A DNS-rebinding page: evil.example resolved to 127.0.0.1, its name in Host."""
    port = server.url.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io", "localhost.evil"):
        refused = httpx.get(f"{server.url}/health", headers={"Host": host}, timeout=10)
        assert refused.status_code == 400, host
        detail = refused.json()["detail"]
        japanese, english = detail.split(" / ", 1)
        assert JAPANESE.search(japanese) and "PLANQA_API__ALLOWED_HOSTS" in english
        assert refused.headers["x-frame-options"] == "DENY"
        answer = httpx.post(
            f"{server.url}/ask", json={"question": QUESTION}, headers={"Host": host}, timeout=10
        )
        assert answer.status_code == 400 and "answer" not in answer.json()


def test_addresses_and_localhost_names_are_served(server) -> None:
    port = server.url.rsplit(":", 1)[1]
    for host in (
        "127.0.0.1",
        f"127.0.0.1:{port}",
        f"localhost:{port}",
        "[::1]:8000",
        "app.localhost",
    ):
        response = httpx.get(f"{server.url}/health", headers={"Host": host}, timeout=10)
        assert response.status_code == 200, host


def test_a_request_without_a_host_header_is_served(server) -> None:
    """HTTP/1.0 clients may send no Host; a browser always does, so rebinding cannot."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /health HTTP/1.0\r\n\r\n")
        reply = connection.recv(200)
    assert reply.startswith(b"HTTP/1.1 200"), reply


def test_a_body_too_large_is_refused_by_size_whatever_host_it_names(server) -> None:
    body = b"{" + b" " * 70_000
    for host in ("evil.example", "127.0.0.1"):
        refused = httpx.post(
            f"{server.url}/ask", content=body, headers={**JSON, "Host": host}, timeout=10
        )
        assert refused.status_code == 413, host


@pytest.fixture(scope="module")
def behind_a_name(indexed_settings: Settings, use_encoder, launch):
    api = ApiSettings(
        api_key=indexed_settings.api.api_key,
        allowed_hosts=["planqa.example.org", "*.intra.example"],
    )
    yield from launch(indexed_settings.model_copy(update={"api": api}), use_encoder)


def test_allowed_hosts_adds_the_operators_names(behind_a_name) -> None:
    def status(host: str) -> int:
        return httpx.get(
            f"{behind_a_name.url}/health", headers={"Host": host}, timeout=10
        ).status_code

    assert status("planqa.example.org") == 200
    assert status("qa.intra.example:8443") == 200
    assert status("127.0.0.1") == 200
    assert status("example.org") == 400
    assert status("intra.example.evil") == 400


def test_allowed_hosts_reads_a_comma_separated_variable(monkeypatch) -> None:
    monkeypatch.setenv("PLANQA_API__ALLOWED_HOSTS", "planqa.example.org, *.intra.example")
    assert Settings().api.allowed_hosts == ["planqa.example.org", "*.intra.example"]
