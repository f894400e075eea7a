"""Measure the HTTP server as a user meets it: start-up, /ask latency, throughput, memory.

Each run starts ``planqa serve`` as a subprocess on a free loopback port and measures:
cold start (process start → first successful /ask answer), sequential warm /ask latency
over the gold questions, throughput of concurrent clients for a fixed time, and the
server's resident memory afterwards (and whether torch got loaded into it). Tables go to
stdout and to bench/results/api_bench.md; nothing is asserted.

By default the index is built first with ``planqa index`` into a fresh temporary var
directory (``PLANQA_PATHS__VAR_DIR``), so start-up never includes indexing and the
repository's var/ is left alone; ``--var-dir var`` measures an existing index instead.

    .venv/bin/python bench/api_bench.py [--runs 3] [--requests 200] [--clients 16] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from results_out import add_out_option, documented_defaults, results_path, write_results

from eval.answers import percentile
from eval.gold import load_gold
from planqa.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"
PLANQA = Path(sys.executable).with_name("planqa")
HOST = "127.0.0.1"
START_TIMEOUT = 180.0  # seconds before a server that never answers counts as failed
REQUEST_TIMEOUT = 30.0


@dataclass
class Run:
    cold_start_s: float
    median_ms: float
    p95_ms: float
    new_median_ms: float  # questions this server had not been asked yet
    repeat_median_ms: float  # questions asked before (the warm-up's and the cycle's second turn)
    requests_per_s: float
    load_median_ms: float
    load_requests: int
    load_errors: int
    rss_mb: float
    hwm_mb: float
    torch_loaded: bool


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message carries its log tail."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(var_dir: Path) -> dict[str, str]:
    """The caller's environment, pointed at ``var_dir``, offline and without telemetry."""
    env = dict(os.environ)
    env["PLANQA_PATHS__VAR_DIR"] = str(var_dir)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("ANONYMIZED_TELEMETRY", "False")
    return env


def build_index(var_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(PLANQA), "index"], env=server_env(var_dir), check=True, timeout=900)
    return time.perf_counter() - started


# --- one server ---------------------------------------------------------------------------
class Server:
    """``planqa serve`` on a free port; ``stop()`` ends that one process."""

    def __init__(self, var_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = log
        self.started = time.perf_counter()
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [str(PLANQA), "serve", "--host", HOST, "--port", str(self.port)],
                env=server_env(var_dir),
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    def wait_first_answer(self, question: str) -> float:
        """Seconds from process start to the first 200 from /ask."""
        deadline = self.started + START_TIMEOUT
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise ServerFailed(f"planqa serve exited:\n{self.log_tail()}")
                try:
                    response = client.post(f"{self.url}/ask", json={"question": question})
                    if response.status_code == 200:
                        return time.perf_counter() - self.started
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise ServerFailed(f"no answer within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def memory(self) -> tuple[float, float, bool]:
        """(VmRSS MB, VmHWM MB, torch mapped) of the server process, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)

        def megabytes(name: str) -> float:
            return int(fields[name].split()[0]) / 1024  # reported in kB

        maps = Path(f"/proc/{self.process.pid}/maps").read_text()
        torch = "libtorch" in maps or "/torch/" in maps
        return megabytes("VmRSS"), megabytes("VmHWM"), torch

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


# --- measurements ---------------------------------------------------------------------------
def sequential(url: str, questions: list[str], requests: int) -> list[float]:
    """Milliseconds of ``requests`` /ask calls one after another, cycling the questions."""
    latencies: list[float] = []
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        for question in itertools.islice(itertools.cycle(questions), requests):
            started = time.perf_counter()
            response = client.post(f"{url}/ask", json={"question": question})
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return latencies


async def load(
    url: str, questions: list[str], clients: int, seconds: float
) -> tuple[list[float], int]:
    """(milliseconds of each answered request, errors) of ``clients`` concurrent loops
    for ``seconds``."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient, offset: int) -> None:
        nonlocal errors
        for question in itertools.cycle(questions[offset:] + questions[:offset]):
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                response = await client.post("/ask", json={"question": question})
            except httpx.HTTPError:
                errors += 1
                continue
            if response.status_code == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        step = max(1, len(questions) // clients)
        await asyncio.gather(*(client_loop(client, i * step) for i in range(clients)))
    return latencies, errors


def one_run(var_dir: Path, log: Path, questions: list[str], args: argparse.Namespace) -> Run:
    server = Server(var_dir, log)
    try:
        cold = server.wait_first_answer(questions[0])
        sequential(server.url, questions, 10)  # warm-up, not timed
        timed = sequential(server.url, questions, args.requests)
        asked = set(questions[:10]) | {questions[0]}
        new, repeated = [], []
        for question, latency in zip(
            itertools.cycle(questions), timed, strict=False
        ):  # the same cycle sequential() asked
            (repeated if question in asked else new).append(latency)
            asked.add(question)
        latencies = sorted(timed)
        started = time.perf_counter()
        answered, errors = asyncio.run(load(server.url, questions, args.clients, args.seconds))
        elapsed = time.perf_counter() - started
        rss, hwm, torch = server.memory()
    finally:
        server.stop()
    return Run(
        cold_start_s=cold,
        median_ms=statistics.median(latencies),
        p95_ms=percentile(latencies, 0.95),
        new_median_ms=statistics.median(new) if new else math.nan,
        repeat_median_ms=statistics.median(repeated) if repeated else math.nan,
        requests_per_s=len(answered) / elapsed,
        load_median_ms=statistics.median(answered) if answered else math.nan,
        load_requests=len(answered),
        load_errors=errors,
        rss_mb=rss,
        hwm_mb=hwm,
        torch_loaded=torch,
    )


# --- report ---------------------------------------------------------------------------------
def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown CPU",
    )
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, nproc {usable}, {platform.machine()}, Python {platform.python_version()}"


ROWS = (
    ("cold start to first answer (s)", "cold_start_s", "{:.2f}"),
    ("/ask sequential median (ms)", "median_ms", "{:.1f}"),
    ("/ask sequential p95 (ms)", "p95_ms", "{:.1f}"),
    ("/ask sequential median, questions new to the server (ms)", "new_median_ms", "{:.1f}"),
    ("/ask sequential median, questions asked before (ms)", "repeat_median_ms", "{:.1f}"),
    ("throughput (requests/s)", "requests_per_s", "{:.1f}"),
    ("/ask median under load (ms)", "load_median_ms", "{:.1f}"),
    ("requests answered under load", "load_requests", "{:.0f}"),
    ("errors under load", "load_errors", "{:.0f}"),
    ("server VmRSS after load (MB)", "rss_mb", "{:.0f}"),
    ("server VmHWM (MB)", "hwm_mb", "{:.0f}"),
)


def table(runs: list[Run]) -> list[str]:
    header = "| figure | median | " + " | ".join(f"run {i}" for i in range(1, len(runs) + 1))
    lines = [header + " |", "|---" * (len(runs) + 2) + "|"]
    for title, name, fmt in ROWS:
        values = [getattr(run, name) for run in runs]
        cells = " | ".join(fmt.format(v) for v in values)
        lines.append(f"| {title} | {fmt.format(statistics.median(values))} | {cells} |")
    torch = ["yes" if run.torch_loaded else "no" for run in runs]
    lines.append(f"| torch loaded in the server | {torch[-1]} | " + " | ".join(torch) + " |")
    return lines


def arguments() -> argparse.ArgumentParser:
    """The command line; its defaults are the documented run (bench/results_out.py)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="server starts (default 3)")
    parser.add_argument("--requests", type=int, default=200, help="sequential /ask calls")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the load")
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=None,
        help="use the index under this var dir (default: build one in a temporary dir)",
    )
    add_out_option(parser)
    return parser


def main() -> None:
    parser = arguments()
    args = parser.parse_args()
    load_at_start = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    questions = list(dict.fromkeys(q.question for q in load_gold()))
    scratch = Path(tempfile.mkdtemp(prefix="planqa-bench-"))
    try:
        index_note = f"existing index under {args.var_dir}"
        var_dir = args.var_dir
        if var_dir is None:
            var_dir = scratch / "var"
            seconds = build_index(var_dir)
            index_note = f"fresh index in a temporary var dir (`planqa index`: {seconds:.1f} s)"
        runs = []
        for number in range(1, args.runs + 1):
            runs.append(one_run(var_dir, scratch / f"serve-{number}.log", questions, args))
            run = runs[-1]
            print(
                f"run {number}/{args.runs}: cold start {run.cold_start_s:.2f} s, "
                f"median {run.median_ms:.1f} ms, {run.requests_per_s:.1f} requests/s, "
                f"{run.load_errors} errors, VmRSS {run.rss_mb:.0f} MB",
                flush=True,
            )
    except ServerFailed as error:
        sys.exit(f"api_bench: {error}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    command = " ".join([".venv/bin/python", "bench/api_bench.py", *sys.argv[1:]])
    lines = [
        "# API benchmark — planqa serve over loopback",
        "",
        f"Machine: {machine()}; load average (1/5/15 min) {load_at_start} at the start, "
        f"{' / '.join(f'{v:.1f}' for v in os.getloadavg())} at the end.",
        f"Command: `{command}`",
        f"Index: {index_note}. {len(questions)} gold questions cycled; "
        f"{args.requests} sequential requests after 10 warm-up ones; {args.clients} concurrent "
        f"clients for {args.seconds:.0f} s; the clients run on the same machine. "
        f"Medians over {len(runs)} server starts.",
        "",
        *table(runs),
        "",
    ]
    print("\n".join(lines))
    documented = documented_defaults(parser, args)
    write_results("\n".join(lines), results_path(RESULTS / "api_bench.md", args.out, documented))


if __name__ == "__main__":
    main()
