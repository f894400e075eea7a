"""Ingest, index and search figures for the bundled plans and a 50× replicated corpus.

Prints medians over several runs with the machine, and writes bench/results/index_bench.md.
Indexing runs as `planqa index` subprocesses (model load included); search runs in-process
over the gold questions, warm (caches filled) and cold (per-question caches cleared).

    .venv/bin/python bench/index_bench.py [--copies 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eval.gold import load_gold
from index.encoders import build_encoder
from index.loader import load_searcher
from ingest.pipeline import ingest_paths
from planqa.settings import PROJECT_ROOT, PathSettings, Settings

PLANS = PROJECT_ROOT / "data" / "plans"
PLANQA = Path(sys.executable).with_name("planqa")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def timed_index(data: Path, var: Path) -> float:
    env = {**os.environ, "PLANQA_PATHS__DATA_DIR": str(data), "PLANQA_PATHS__VAR_DIR": str(var)}
    started = time.perf_counter()
    subprocess.run([str(PLANQA), "index"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def search_latency(data: Path, var: Path, passes: int = 5) -> tuple[float, float, float, int]:
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=var))
    searcher = load_searcher(settings, build_encoder("use-m3"))
    questions = [q.question for q in load_gold()]
    lexical = searcher.snapshot.lexical
    warm: list[float] = []
    cold: list[float] = []
    for _ in range(passes):
        for question in questions:
            lexical._groups.cache_clear()
            lexical.cached_terms.cache_clear()
            query_cache = getattr(searcher.encoder, "_query", None)
            if query_cache is not None:
                query_cache.cache_clear()
            started = time.perf_counter()
            searcher.search(question, 5)
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            searcher.search(question, 5)
            warm.append((time.perf_counter() - started) * 1000)
    cold.sort()
    return (
        statistics.median(warm),
        statistics.median(cold),
        cold[int(0.95 * len(cold))],
        len(searcher.snapshot.chunks),
    )


def replicate(copies: int, target: Path) -> None:
    target.mkdir(parents=True)
    for copy in range(copies):
        for plan in PLANS.glob("*.txt"):
            shutil.copyfile(plan, target / f"{plan.stem}-{copy:03d}{plan.suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = [
        "# Index benchmark",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Command: `.venv/bin/python bench/index_bench.py --copies {args.copies} --runs {args.runs}`",
        "",
        "| figure | median | runs |",
        "|---|---|---|",
    ]

    def row(name: str, values: list[float], unit: str) -> None:
        shown = " / ".join(f"{v:.2f}" for v in values)
        lines.append(f"| {name} | {statistics.median(values):.2f} {unit} | {shown} |")
        print(lines[-1], flush=True)

    ingest = []
    for _ in range(5):
        started = time.perf_counter()
        report = ingest_paths([PLANS])
        ingest.append(time.perf_counter() - started)
    row(f"ingest of the two plans ({len(report.chunks)} chunks)", ingest, "s")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cache = root / "chive-cache"
        scratch = []
        for run in range(args.runs):
            var = root / f"var-{run}"
            if run:  # the chiVe key cache is built once per machine, like a pip cache
                shutil.copytree(cache, var / "cache")
            scratch.append(timed_index(PLANS, var))
            if not run:
                shutil.copytree(var / "cache", cache)
        row("full index of data/plans from scratch (model load incl.)", scratch, "s")
        unchanged = [timed_index(PLANS, root / "var-0") for _ in range(args.runs)]
        row("`planqa index` again, nothing changed", unchanged, "s")
        warm, cold, cold95, count = search_latency(PLANS, root / "var-0")
        row(f"search, warm, {count} chunks (median)", [warm], "ms")
        row(f"search, new question, {count} chunks (median)", [cold], "ms")
        row(f"search, new question, {count} chunks (p95)", [cold95], "ms")

        if args.copies < 1:
            return _write(lines)
        big = root / "big"
        replicate(args.copies, big)
        var = root / "var-big"
        shutil.copytree(cache, var / "cache")
        row(f"index of {args.copies}× replicated corpus from scratch", [timed_index(big, var)], "s")
        warm, cold, cold95, count = search_latency(big, var, passes=2)
        row(f"search, warm, {count} chunks (median)", [warm], "ms")
        row(f"search, new question, {count} chunks (median)", [cold], "ms")
        row(f"search, new question, {count} chunks (p95)", [cold95], "ms")
    _write(lines)


def _write(lines: list[str]) -> None:
    out = PROJECT_ROOT / "bench" / "results" / "index_bench.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
