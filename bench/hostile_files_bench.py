"""Memory of a build that meets a huge file (issue 21, row 1): figures, never assertions.

Two files just under the upload limit (20 MB) are made here, never committed:

- **run-on**: a title repeated with no sentence end, as a CSV export or a pasted list is;
  before the chunk ceiling this was one chunk of 6.6 M characters and the server was killed
  at 22 GB.
- **normal**: numbered headings and paragraphs of ordinary sentences.

Each is uploaded with ``POST /documents`` to a real ``planqa serve`` (bundled plans
already indexed, in a temporary folder), while a monitor samples the RSS of the server and
all its children (the encoder workers and the Chroma writer) every 50 ms and asks
``/health`` every 200 ms. Printed: the upload's status and time, the peak RSS of the
process tree (the sum over processes at each sample), the largest chunk's characters, the
chunk count and the slowest ``/health``. Also ``planqa index`` from scratch over the same
folder, peak RSS of its tree.

    .venv/bin/python bench/hostile_files_bench.py [--runs 3] [--mb 19.9]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fault_load import AUTH, PLANQA, RESULTS, Server, env_for, plans_in  # noqa: E402

TITLE = "日本年金機構第4期中期計画における年金記録問題への対応状況一覧 "
WORDS = (
    "年金 記録 相談 窓口 電子申請 事務 処理 適正化 推進 取組 計画 目標 実施 確保 向上 "
    "国民年金 厚生年金 保険料 収納 対策 職員 研修 体制 整備"
).split()


def run_on_text(size: int) -> str:
    return (TITLE * (size // len(TITLE.encode()) + 1)).encode()[:size].decode(errors="ignore")


def normal_text(size: int, seed: int = 0) -> str:
    pick = random.Random(seed).choice
    parts, total, section = [], 0, 0
    while total < size:
        section += 1
        lines = [f"{section}．{pick(WORDS)}{pick(WORDS)}の{pick(WORDS)}", ""]
        for _ in range(5):
            sentences = (
                "".join(pick(WORDS) for _ in range(10)) + "を" + pick(WORDS) + "する。"
                for _ in range(3)
            )
            lines += ["".join(sentences), ""]
        block = "\n".join(lines) + "\n"
        parts.append(block)
        total += len(block.encode())
    return "".join(parts).encode()[:size].decode(errors="ignore")


class Monitor:
    """Peak RSS of a process and its children, and /health latencies, in a thread."""

    def __init__(self, pid: int, health_url: str | None = None) -> None:
        self.process = psutil.Process(pid)
        self.health_url = health_url
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self.health_ms: list[float] = []
        self.health_errors = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._sample_rss, daemon=True)]
        if health_url:
            self._threads.append(threading.Thread(target=self._ask_health, daemon=True))

    def __enter__(self) -> Monitor:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _sample_rss(self) -> None:
        """RSS summed over the tree counts the pages forked children share with the parent
        (the encoder model, the index so far) once per process; PSS divides each shared page
        among its sharers, so its sum is what the tree holds. Both peaks are kept."""
        while not self._stop.wait(0.1):
            rss = pss = 0
            try:
                for process in [self.process, *self.process.children(recursive=True)]:
                    full = process.memory_full_info()
                    rss += full.rss
                    pss += full.pss
            except psutil.Error:
                continue
            self.peak_mb = max(self.peak_mb, rss / 2**20)
            self.peak_pss_mb = max(self.peak_pss_mb, pss / 2**20)

    def _ask_health(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.wait(0.2):
                started = time.perf_counter()
                try:
                    ok = client.get(self.health_url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.health_ms.append((time.perf_counter() - started) * 1000)
                self.health_errors += not ok


def largest_chunk(root: Path, name: str) -> tuple[int, int]:
    """(chunks, largest chunk's characters) of ``name`` in the newest generation."""
    generations = sorted((root / "var" / "index").glob("gen-*"))
    chunks = [
        json.loads(line)
        for line in (generations[-1] / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    mine = [c for c in chunks if c["source"].endswith(name)]
    return len(mine), max((len(c["text"]) for c in mine), default=0)


def upload_once(kind: str, text: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        plans_in(root)
        subprocess.run([str(PLANQA), "index"], env=env_for(root), check=True, capture_output=True)
        server = Server(root)
        name = f"bench-{kind}.txt"
        try:
            with Monitor(server.process.pid, f"{server.url}/health") as monitor:
                started = time.perf_counter()
                response = httpx.post(
                    f"{server.url}/documents",
                    files={"file": (name, text.encode(), "text/plain")},
                    headers=AUTH,
                    timeout=3600,  # a loaded 2-core machine: minutes, not a hang
                )
                seconds = time.perf_counter() - started
        finally:
            server.process.terminate()
            server.process.wait(120)
        chunks, largest = largest_chunk(root, name) if response.status_code == 200 else (0, 0)
        return {
            "status": response.status_code,
            "seconds": seconds,
            "peak_mb": monitor.peak_mb,
            "peak_pss_mb": monitor.peak_pss_mb,
            "chunks": chunks,
            "largest_chars": largest,
            "health_max_ms": max(monitor.health_ms, default=0.0),
            "health_p95_ms": _p95(monitor.health_ms),
            "health_errors": monitor.health_errors,
        }


def index_once(kind: str, text: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = plans_in(root)
        (data / f"bench-{kind}.txt").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(PLANQA), "index"], env=env_for(root), stdout=subprocess.DEVNULL
        )
        with Monitor(process.pid) as monitor:
            code = process.wait()
        return {
            "status": code,
            "seconds": time.perf_counter() - started,
            "peak_mb": monitor.peak_mb,
            "peak_pss_mb": monitor.peak_pss_mb,
        }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=19.9, help="size of each file in MB")
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    files = {"run-on": run_on_text(size), "normal": normal_text(size)}
    lines = [
        "# Huge files: memory of the build (bench/hostile_files_bench.py)",
        "",
        f"Machine: {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average {' / '.join(f'{x:.2f}' for x in psutil.getloadavg())} at start. "
        f"Files of {size:,} bytes; medians of {args.runs} runs (each figure's runs in brackets).",
        "",
        "| file | path | status | seconds | peak PSS of the tree (MB) | peak RSS summed over "
        "the tree (MB) | chunks | largest chunk (chars) | /health max / p95 (ms) | /health errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, text in files.items():
        uploads = [upload_once(kind, text) for _ in range(args.runs)]
        indexes = [index_once(kind, text) for _ in range(args.runs)]
        lines.append(
            f"| {kind} | POST /documents | {uploads[0]['status']} | {_med(uploads, 'seconds')} "
            f"| {_med(uploads, 'peak_pss_mb', 0)} | {_med(uploads, 'peak_mb', 0)} | "
            f"{uploads[0]['chunks']} | "
            f"{uploads[0]['largest_chars']} | {_med(uploads, 'health_max_ms')} / "
            f"{_med(uploads, 'health_p95_ms')} | {sum(u['health_errors'] for u in uploads)} |"
        )
        lines.append(
            f"| {kind} | planqa index (scratch) | {indexes[0]['status']} | "
            f"{_med(indexes, 'seconds')} | {_med(indexes, 'peak_pss_mb', 0)} | "
            f"{_med(indexes, 'peak_mb', 0)} | | | | |"
        )
        print(lines[-2], lines[-1], sep="\n", flush=True)
    lines += ["", f"Command: `.venv/bin/python bench/hostile_files_bench.py --runs {args.runs}`"]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hostile_files.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _med(runs: list[dict], key: str, digits: int = 1) -> str:
    values = [run[key] for run in runs]
    median = statistics.median(values)
    shown = ", ".join(f"{v:.{digits}f}" for v in values)
    return f"{median:.{digits}f} ({shown})"


if __name__ == "__main__":
    main()
