"""The access log of ``planqa serve``: one line per request with method, path, status and
duration, the 413s included, and never the question text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.access_log import access_line

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "電話窓口の応答率はどこまで上げる目標？"
LINE = re.compile(r'^\S+ \S+ (\S+) "(\S+) (\S+)" (\d{3}) (\d+\.\d)ms in=(\d+) out=(\d+) "(.*)"$')


def test_serve_logs_one_line_per_request_without_the_question(indexed_settings, port_factory):
    port = port_factory()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLANQA_PATHS__DATA_DIR": str(indexed_settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(indexed_settings.paths.var_dir),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("planqa serve did not start")
        headers = {"user-agent": "access-log-test"}
        assert httpx.post(f"{url}/ask", json={"question": QUESTION}, headers=headers).is_success
        big = json.dumps({"question": QUESTION * 10_000}).encode()
        too_large = httpx.post(
            f"{url}/ask", content=big, headers={"content-type": "application/json", **headers}
        )
        assert too_large.status_code == 413
        assert httpx.get(f"{url}/nowhere?q={QUESTION}", headers=headers).status_code == 404
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    lines = [LINE.match(line) for line in stderr.splitlines()]
    logged = [(m[2], m[3], m[4]) for m in lines if m and m[8] == "access-log-test"]
    assert logged == [("POST", "/ask", "200"), ("POST", "/ask", "413"), ("GET", "/nowhere", "404")]
    first = next(m for m in lines if m and m[8] == "access-log-test")
    assert first[1] == "127.0.0.1" and int(first[6]) > 0 and int(first[7]) > 0
    assert "応答率" not in stderr  # neither the body nor the query string


def test_a_path_or_user_agent_cannot_forge_a_line():
    scope = {
        "client": ("127.0.0.1", 5),
        "method": "GET",
        "path": '/x\n127.0.0.1 "GET /admin" 200',
        "headers": [(b"user-agent", b'a"\r\nb')],
    }
    line = access_line(scope, 404, 0.001, 0, 10)
    assert "\n" not in line and "\r" not in line
    assert line == (
        '127.0.0.1 "GET /x\\n127.0.0.1 \\"GET /admin\\" 200" 404 1.0ms in=0 out=10 "a\\"\\r\\nb"'
    )
