"""``planqa serve`` on a port another program holds stops at once with one bilingual line
saying what to do, before it indexes or prints a URL that would lead to the other program."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_port_in_use_stops_serve_before_indexing_with_a_bilingual_line(tmp_path: Path) -> None:
    data = tmp_path / "plans"
    data.mkdir()
    (data / "memo.txt").write_text("窓口の予約は電話で受け付ける。\n", encoding="utf-8")
    var = tmp_path / "var"
    with socket.create_server(("127.0.0.1", 0)) as holder:  # the other program on the port
        port = holder.getsockname()[1]
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PLANQA_PATHS__DATA_DIR": str(data),
            "PLANQA_PATHS__VAR_DIR": str(var),
        }
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode != 0
    assert f"http://127.0.0.1:{port}/" not in done.stdout  # no URL of a server that never ran
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    assert f"ポート {port}" in lines[0] and f"port {port}" in lines[0]
    assert "--port" in lines[0] and "PORT=" in lines[0]  # what to do, for planqa and make
    assert not (var / "index").exists() or not any((var / "index").iterdir())
