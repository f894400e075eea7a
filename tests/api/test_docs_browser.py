"""The API docs work without internet: /docs (Swagger UI) and /redoc load their scripts
from the server itself, and render in Debian's chromium with every request that does not
go to the loopback server blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def assets_of(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_reference_only_the_server_itself(server, path: str) -> None:
    response = httpx.get(f"{server.url}{path}", timeout=10)
    assert response.status_code == 200
    assert not re.search(r"https?://", response.text), "the page loads something from outside"
    scripts = [url for url in assets_of(response.text) if url.endswith(".js")]
    assert scripts, "no script found in the page"
    for url in assets_of(response.text):
        assert url.startswith("/"), url
        asset = httpx.get(f"{server.url}{url}", timeout=10)
        assert asset.status_code == 200, url
    for url in scripts:
        asset = httpx.get(f"{server.url}{url}", timeout=10)
        assert "javascript" in asset.headers["content-type"]
        assert len(asset.content) > 100_000  # the whole bundle, not a stub


@pytest.fixture
def offline(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests anywhere but 127.0.0.1 are aborted, and the list of them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    blocked: list[str] = []

    def only_loopback(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    yield context.new_page(), blocked
    context.close()


def test_swagger_ui_renders_the_operations_offline(server, offline) -> None:
    page, blocked = offline
    page.goto(f"{server.url}/docs")
    ask = page.locator('.opblock .opblock-summary-path[data-path="/ask"]')
    expect(ask).to_be_visible()
    expect(page.locator('.opblock-summary-path[data-path="/v1/chat/completions"]')).to_be_visible()
    assert page.locator(".opblock").count() >= 10
    assert blocked == []


def test_redoc_renders_the_operations_offline(server, offline) -> None:
    page, blocked = offline
    page.goto(f"{server.url}/redoc")
    expect(page.locator("h1").first).to_contain_text("planqa")
    expect(page.get_by_text("/ask/stream").first).to_be_attached()
    expect(page.locator("[data-section-id]").first).to_be_attached()
    # ReDoc's bundle links its "powered by" logo from its CDN; blocked, the footer shows
    # no logo and nothing else changes.
    assert [url for url in blocked if not url.endswith("/redoc/logo-mini.svg")] == []


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_render_under_their_security_policy_without_a_violation(
    server, offline, path: str
) -> None:
    page, _ = offline
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(f"{server.url}{path}")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    if path == "/docs":
        expect(page.locator('.opblock-summary-path[data-path="/ask"]')).to_be_visible()
        page.locator('.opblock-summary-path[data-path="/ask"]').click()
        expect(page.locator(".opblock-body").first).to_be_visible()
    else:
        expect(page.locator("[data-section-id]").first).to_be_attached()
        page.get_by_placeholder("Search").fill("ask")
        page.wait_for_timeout(500)
    violations = page.evaluate("window.__violations")
    # ReDoc links its "powered by" logo from its CDN: blocked, as offline (above)
    assert [v for v in violations if not v.endswith("/redoc/logo-mini.svg")] == []
