"""A real planqa server over loopback: real index (both plans, USE-m3, Chroma on disk),
real uvicorn in a background thread, a free port. Shared by the API and browser tests."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from api.app import build_service, create_app
from planqa.settings import ApiSettings, PathSettings, Settings


@dataclass
class Server:
    url: str
    settings: Settings
    app: object


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(settings: Settings, encoder) -> Iterator[Server]:
    app = create_app(settings, build_service(settings, encoder))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the test server did not start")
    try:
        yield Server(url, settings, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(indexed_settings: Settings, use_encoder) -> Iterator[Server]:
    """The real server over loopback, shared by the session's API and browser tests."""
    yield from start_server(indexed_settings, use_encoder)


@pytest.fixture(scope="module")
def client(server: Server) -> openai.OpenAI:
    """The openai SDK on the session's server, as a chat client connects to ``/v1``.
    OpenAI clients always send some key; a server without keyed reads ignores it."""
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


@pytest.fixture(scope="module")
def chat_content(client: openai.OpenAI) -> Callable[..., str]:
    """Asks ``/v1/chat/completions`` with ``turns`` alternating user and assistant (the
    history as a chat client sends it, plain text; the last turn the question) and gives
    the completion's content."""

    def content(*turns: str) -> str:
        roles = ["user", "assistant"] * len(turns)
        messages = [
            {"role": role, "content": text} for role, text in zip(roles, turns, strict=False)
        ]
        completion = client.chat.completions.create(model="planqa", messages=messages)
        return completion.choices[0].message.content

    return content


@pytest.fixture(scope="session")
def launch():
    """Start another server (a generator: iterate or ``yield from`` it to stop it after)."""
    return start_server


@pytest.fixture(scope="session")
def writable_copy(indexed_settings: Settings):
    """A function: the indexed plans and their index copied under ``root``, as settings with
    the write key and any other API settings given (``max_upload_bytes=…``), for a server
    whose data and index a test may change."""

    def copy(root: Path, **api: object) -> Settings:
        data, var = root / "plans", root / "var"
        shutil.copytree(indexed_settings.paths.data_dir, data)
        shutil.copytree(indexed_settings.paths.var_dir, var)
        return indexed_settings.model_copy(
            update={
                "paths": PathSettings(data_dir=data, var_dir=var),
                "api": ApiSettings(api_key=indexed_settings.api.api_key, **api),
            }
        )

    return copy


@pytest.fixture(scope="session")
def port_factory():
    """A function that returns a free loopback port."""
    return free_port


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium (never a browser downloaded by playwright), launched once per test
    module: launching it is the slow part. Module scope, not session: sync playwright keeps
    an event loop running in this thread until it stops, and later tests call asyncio.run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: "
            "install it with 'apt-get update && apt-get install -y chromium' "
            "(not 'playwright install', which downloads a browser)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def open_chat(browser: Browser) -> Callable[..., Iterator[Page]]:
    """Opens a server's chat page in a fresh browser context (Japanese locale) once its
    status line says ok: ``for page in open_chat(url, viewport, **context_options)``; the
    context closes when the loop ends. ``timeout_ms`` is each step's default wait."""

    def opened(
        url: str, viewport: dict[str, int] = DESKTOP, timeout_ms: int = 20_000, **options
    ) -> Iterator[Page]:
        context = browser.new_context(viewport=viewport, locale="ja-JP", **options)
        context.set_default_timeout(timeout_ms)
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#health")).to_have_attribute("data-state", "ok")
        yield page
        context.close()

    return opened
