"""Whether the Chroma server answers, known without waiting for it.

``/health`` must answer in milliseconds even under load, so it never asks the server
itself: a daemon thread asks ``/api/v2/heartbeat`` every second with a short timeout and
keeps the answer. The same check runs once, synchronously, before a re-index, so a build
is refused before it creates a generation folder.
"""

from __future__ import annotations

import threading
import time

import httpx

HEARTBEAT = "/api/v2/heartbeat"


class ChromaUnavailableError(Exception):
    """The configured Chroma server does not answer; the message is bilingual."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"Chroma サーバー（{host}:{port}）に接続できません。サーバーを起動してから"
            f"やり直してください。 / the Chroma server at {host}:{port} is unreachable; "
            "start it (chroma run) and try again"
        )
        self.host = host
        self.port = port


def server_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        return httpx.get(f"http://{host}:{port}{HEARTBEAT}", timeout=timeout).is_success
    except httpx.HTTPError:
        return False


class ChromaProbe:
    """The last known state of one Chroma server, refreshed in the background."""

    def __init__(self, host: str, port: int, interval: float = 1.0, timeout: float = 0.5):
        self.host = host
        self.port = port
        self.interval = interval
        self.timeout = timeout
        self.up = server_answers(host, port, timeout)
        self.checked_at = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chroma-probe", daemon=True)
        self._thread.start()

    def check_now(self) -> bool:
        self.up = server_answers(self.host, self.port, self.timeout)
        self.checked_at = time.monotonic()
        return self.up

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check_now()

    def stop(self) -> None:
        self._stop.set()

    def error(self) -> ChromaUnavailableError:
        return ChromaUnavailableError(self.host, self.port)
