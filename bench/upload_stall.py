"""How long ``/health`` waits while a large upload is received and parsed (issue 21 row 5).

Starts a planqa server in a subprocess (no index, an empty data folder: the upload is
refused after it is received, parsed and checked, so what is measured is the receiving,
not an index build), then sends 20 MB uploads while another client polls ``/health``
every 10 ms. Prints, per upload kind, the upload's own time and the /health latencies
during it (median, p99, max). Nothing is asserted.

    .venv/bin/python bench/upload_stall.py [--megabytes 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

API_KEY = "bench-key-0123456789abcdef"
POLL_SECONDS = 0.01


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(root: Path, port: int) -> None:
    """The server process: planqa's app over an empty data folder, as ``serve`` runs it."""
    import uvicorn

    from api.app import create_app
    from planqa.settings import ApiSettings, PathSettings, Settings

    settings = Settings(
        paths=PathSettings(data_dir=root / "plans", var_dir=root / "var"),
        api=ApiSettings(api_key=API_KEY),
    )
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def poll_health(url: str, stop: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get(f"{url}/health")
            latencies.append(time.perf_counter() - started)
            time.sleep(POLL_SECONDS)


def measure(url: str, name: str, content: bytes) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    stop = threading.Event()
    poller = threading.Thread(target=poll_health, args=(url, stop, latencies))
    poller.start()
    time.sleep(0.3)  # a few polls before the upload starts
    latencies.clear()
    started = time.perf_counter()
    response = httpx.post(
        f"{url}/documents",
        files={"file": (name, content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=300,
    )
    upload_seconds = time.perf_counter() - started
    stop.set()
    poller.join()
    return response.status_code, upload_seconds, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve), args.port)
        return
    size = args.megabytes * 1_000_000 - 70_000  # under max_upload_bytes with the framing
    uploads = {
        # refused by its type once received: receiving and parsing only
        "unsupported type (.bin)": ("plan.bin", os.urandom(size)),
        # refused by the loader's check: receiving, parsing, staging, the text check
        "binary .txt": ("plan.txt", b"\x00" * size),
        # a text export with short CRLF lines, refused by its type: the multipart parser
        # looks at every line end for the boundary
        "CRLF lines (.csv)": ("plan.csv", (b"1,\xe5\xb9\xb4\xe9\x87\x91\r\n" * size)[:size]),
    }
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "plans").mkdir()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        command = [sys.executable, __file__, "--serve", root, "--port", str(port)]
        server = subprocess.Popen(command, env=env)
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"{url}/health", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(f"# /health during a {args.megabytes} MB upload ({platform.node()}, ")
            print(f"# {os.cpu_count()} cores, Python {platform.python_version()})")
            print(f"# command: python bench/upload_stall.py --megabytes {args.megabytes}\n")
            print("| upload | status | upload s | /health polls | median ms | p99 ms | max ms |")
            print("|---|---|---|---|---|---|---|")
            for kind, (name, content) in uploads.items():
                for _ in range(args.runs):
                    status, seconds, latencies = measure(url, name, content)
                    ms = sorted(1000 * value for value in latencies)
                    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
                    print(
                        f"| {kind} | {status} | {seconds:.2f} | {len(ms)} | "
                        f"{statistics.median(ms):.1f} | {p99:.1f} | {ms[-1]:.1f} |"
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
