"""What the plan ↔ results trace costs: GET /trace/{label} over loopback (warm), and the
trace's share of index time.

    python bench/trace_bench.py [--requests 300] [--runs 3]

Serves the current index (PLANQA_PATHS__VAR_DIR, default var/) with uvicorn on a free
loopback port. The index share compares building the trace from the analysed chunks with
a whole `planqa index` from scratch into a temporary folder (median of --runs each).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from api.app import create_app  # noqa: E402
from index.analyzer import Analyzer, analyzer_config  # noqa: E402
from index.build.analysis_step import analyse_chunks  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from planqa.settings import Settings  # noqa: E402
from plantrace import Overrides, build_trace  # noqa: E402
from plantrace.store import link_parameters  # noqa: E402

LABELS = ("中期P46", "中期P28", "年度P47", "資料1-3 P61", "資料1-4 P90", "中期P114")


def serve(settings: Settings) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    return url, server, thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()

    url, server, thread = serve(settings)
    timings: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for label in LABELS:  # warm
            assert client.get(f"/trace/{label}").status_code == 200, label
        for i in range(args.requests):
            started = time.perf_counter()
            response = client.get(f"/trace/{LABELS[i % len(LABELS)]}")
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
    server.should_exit = True
    thread.join(timeout=10)
    timings.sort()
    median = statistics.median(timings) * 1000
    p95 = timings[int(0.95 * (len(timings) - 1))] * 1000
    print(
        f"GET /trace/{{label}} warm over loopback: median {median:.2f} ms, p95 {p95:.2f} ms "
        f"({args.requests} requests over {len(LABELS)} labels)"
    )

    chunks = ingest_paths([settings.paths.data_dir]).chunks
    analyzer = Analyzer(analyzer_config(settings))
    counts, own_terms = analyse_chunks(chunks, analyzer)
    parameters = link_parameters(settings)
    overrides = Overrides.load(settings.trace.overrides)
    trace_seconds, index_seconds = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        build_trace(chunks, counts, analyzer.terms, overrides, parameters, own_terms)
        trace_seconds.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "PLANQA_PATHS__VAR_DIR": var}
            started = time.perf_counter()
            subprocess.run(
                [str(Path(sys.executable).parent / "planqa"), "index"],
                env=env,
                check=True,
                capture_output=True,
            )
            index_seconds.append(time.perf_counter() - started)
    trace_median, index_median = statistics.median(trace_seconds), statistics.median(index_seconds)
    print(
        f"trace build {trace_median:.3f} s; `planqa index` from scratch {index_median:.2f} s "
        f"(process start included): the trace is {100 * trace_median / index_median:.1f}% "
        f"of index time (medians of {args.runs})"
    )


if __name__ == "__main__":
    main()
