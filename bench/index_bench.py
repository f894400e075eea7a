"""Index build figures (issue 16 item 6): the bundled plans from scratch with an empty and a
warm embedding cache, one file edited, nothing changed, a synthetic 10,000-chunk corpus;
one file edited and re-indexed through a running server (`POST /index`); the encoder alone
in-process (1 and 2 BLAS threads) and over worker processes; search.

Every build but the server's is a `planqa index` subprocess (interpreter start and model
load included). Prints medians over several runs with the CPU seconds they used (children
included) and the load average (other processes share the machine), and writes
bench/results/index_bench.md.

    .venv/bin/python bench/index_bench.py [--runs 3] [--big-chunks 10000] [--big-runs 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx
from results_out import add_out_option, documented_defaults, results_path, write_results

from eval.gold import load_gold
from index.build import embed_worker
from index.encoders import UseM3Encoder, build_encoder
from index.loader import load_searcher
from index.records import embedding_text
from ingest.pipeline import ingest_paths
from planqa.settings import PROJECT_ROOT, PathSettings, Settings

PLANS = PROJECT_ROOT / "data" / "plans"
PHASE_END = re.compile(r"index (\w+): (\d+) (\w+) done in ([\d.]+) s")
EDITED = "jps-4th-midterm-plan-overview.txt"
API_KEY = "index-bench-key-0123456789"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Build:
    """One `planqa index` run: wall and CPU seconds, and its phase times from the log."""

    def __init__(self, data: Path, var: Path, *args: str, workers: int | None = None) -> None:
        env = bench_env(data, var)
        if workers is not None:
            env["PLANQA_EMBEDDING__WORKERS"] = str(workers)
        cpu = children_cpu()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "api.cli", "index", *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
        self.seconds = time.perf_counter() - started
        self.cpu = children_cpu() - cpu
        self.phases = {m[1]: (int(m[2]), float(m[4])) for m in PHASE_END.finditer(result.stdout)}


def bench_env(data: Path, var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(data),
        "PLANQA_PATHS__VAR_DIR": str(var),
    }


def edit(data: Path, run: int, label: str = "ベンチマーク変更") -> None:
    """Append one measure to the edited file: one new chunk, one changed."""
    with (data / EDITED).open("a", encoding="utf-8") as handle:
        handle.write(f"\n●窓口の受付時間を見直す（{label}{run}）。\n")


def process_cpu(pid: int) -> float:
    """User + system seconds of a running process (its own threads, not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_edits(data: Path, var: Path, runs: int) -> tuple[list[float], list[float], list[int]]:
    """One file edited, then `POST /index` to a running `planqa serve` (model loaded, Chroma
    imported): wall seconds of each request (the build and the swap to the new
    generation), the server's CPU seconds for it, and the texts it embedded."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**bench_env(data, var), "PLANQA_API__API_KEY": API_KEY}
    log = var / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    walls: list[float] = []
    cpus: list[float] = []
    embedded: list[int] = []
    try:
        with httpx.Client(timeout=300) as client:
            deadline = time.monotonic() + 180
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"planqa serve did not start:\n{log.read_text()[-2000:]}")
                try:
                    if client.post(f"{url}/ask", json={"question": "応答率の目標"}).is_success:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            headers = {"Authorization": f"Bearer {API_KEY}"}
            for run in range(runs):
                edit(data, run, "サーバー変更")
                cpu = process_cpu(server.pid)
                started = time.perf_counter()
                response = client.post(f"{url}/index", headers=headers)
                walls.append(time.perf_counter() - started)
                cpus.append(process_cpu(server.pid) - cpu)
                response.raise_for_status()
                embedded.append(int(response.json()["embedded"]))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return walls, cpus, embedded


def with_machine_caches(var: Path, cache: Path | None) -> Path:
    """A fresh var folder holding only the per-machine caches, built once like a pip cache
    (the chiVe key table, USE-m3's unpacked weights); not the embedding cache."""
    if cache is not None:
        (var / "cache").mkdir(parents=True)
        for item in cache.iterdir():
            if item.name != "embeddings.sqlite" and not item.name.startswith("embeddings.sqlite"):
                target = var / "cache" / item.name
                (shutil.copytree if item.is_dir() else shutil.copyfile)(item, target)
    return var


def synthetic_corpus(target: Path, chunks: int, seed: int = 0) -> int:
    """Plan passages repeated with a perturbation each (a case number, one sentence
    dropped or two swapped), so every text is new to the encoder; one heading per
    paragraph, 100 paragraphs per file. Returns the chunk count."""
    rng = random.Random(seed)
    passages = [c.text for c in ingest_paths([PLANS]).chunks if 20 <= len(c.text) <= 380]
    target.mkdir(parents=True)
    written = 0
    file_no = 0
    while True:
        lines = [f"# 合成計画 {file_no:04d}", ""]
        for _ in range(100):
            text = rng.choice(passages)
            sentences = [s for s in re.split(r"(?<=。)", text) if s.strip()]
            if len(sentences) > 2 and rng.random() < 0.5:
                sentences.pop(rng.randrange(len(sentences)))
            elif len(sentences) > 1:
                i = rng.randrange(len(sentences) - 1)
                sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
            body = "".join(sentences).replace("\n", "")
            lines += [f"## 事例{written:05d}", "", f"{body}（事例{written:05d}）", ""]
            written += 1
        (target / f"synthetic-{file_no:04d}.md").write_text("\n".join(lines), encoding="utf-8")
        file_no += 1
        count = len(ingest_paths([target]).chunks)
        if count >= chunks:
            return count


def encoder_alone(texts: list[str], runs: int, cache_dir: Path) -> dict[str, list[float]]:
    """The bundled texts through USE-m3 as the index runs it (index/use_model.py): in-process
    with 1 and 2 BLAS threads, and over one single-threaded worker process per core (start
    and model load included)."""
    from index.use_model import UseModel

    figures: dict[str, list[float]] = {}
    model = UseModel(threads=1, cache_dir=cache_dir)
    model.encode(texts[:4])  # load the weights outside the timing
    for threads in (1, 2):
        model._model.threads = threads
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            model.encode(texts)
            times.append(time.perf_counter() - started)
        figures[f"in-process, {threads} BLAS thread(s)"] = times
    batches = [texts[i : i + 32] for i in range(0, len(texts), 32)]
    cores = len(os.sched_getaffinity(0))
    encoder = UseM3Encoder(workers=cores, cache_dir=cache_dir)
    encoder._model.encode(texts[:4])
    for name, context in (("forked", "fork"), ("spawned", "spawn")):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            if context == "fork":  # what `planqa index` does: model loaded, then fork
                list(encoder.map_documents(batches))
            else:  # what the server's re-index does (a threaded process)
                spawn = multiprocessing.get_context("spawn")
                with ProcessPoolExecutor(
                    cores, mp_context=spawn, initializer=embed_worker.start, initargs=(cache_dir,)
                ) as pool:
                    list(pool.map(embed_worker.encode, batches))
            times.append(time.perf_counter() - started)
        figures[f"{cores} {name} worker processes × 1 BLAS thread (incl. start)"] = times
    return figures


def search_latency(data: Path, var: Path, passes: int = 3) -> tuple[float, float, int]:
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=var))
    searcher = load_searcher(settings, build_encoder("use-m3"))
    questions = [q.question for q in load_gold()]
    warm: list[float] = []
    for _ in range(passes):
        for question in questions:
            searcher.search(question, 5)
            started = time.perf_counter()
            searcher.search(question, 5)
            warm.append((time.perf_counter() - started) * 1000)
    warm.sort()
    return statistics.median(warm), warm[int(0.95 * len(warm))], len(searcher.snapshot.chunks)


def arguments() -> argparse.ArgumentParser:
    """The command line; its defaults are the documented run (bench/results_out.py)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-chunks", type=int, default=10_000)
    parser.add_argument("--big-runs", type=int, default=1)
    add_out_option(parser)
    return parser


def main() -> None:
    parser = arguments()
    args = parser.parse_args()
    started_load = load()
    lines = [
        "# Index benchmark",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"shared with other agents' work: load average (1/5/15 min) {started_load} at the start.",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python bench/index_bench.py --runs {args.runs} "
        f"--big-chunks {args.big_chunks} --big-runs {args.big_runs}`",
        "",
        "Wall seconds of `planqa index` subprocesses (interpreter start and model load "
        "included); CPU = user + system seconds of the process and its workers (the Chroma "
        "writer and the encoder's); phases from its log lines (medians). The phases overlap: "
        "a forked process imports Chroma and writes the collection throughout, and with 256 "
        "new texts or more the encoder's workers embed while the build analyses, so *embed* "
        "is the wait for the last vectors after the lexical index is written and *write* the "
        "wait for Chroma to finish; fewer new texts are embedded in the build's own process "
        "after the analysis, and *write* then also holds the lexical index.",
        "",
        "| figure | median wall | runs (wall) | median CPU | phases: read / analyse / embed / write |",
        "|---|---|---|---|---|",
    ]

    def row(name: str, builds: list[Build]) -> None:
        walls = [b.seconds for b in builds]
        shown = " / ".join(f"{v:.2f}" for v in walls)
        phases = " / ".join(
            f"{statistics.median(b.phases.get(p, (0, 0.0))[1] for b in builds):.2f}"
            for p in ("read", "analyse", "embed", "write")
        )
        embedded = builds[0].phases.get("embed", (0, 0))[0]
        lines.append(
            f"| {name} (embedded {embedded} texts) | {statistics.median(walls):.2f} s | {shown} "
            f"| {statistics.median(b.cpu for b in builds):.2f} s | {phases} |"
        )
        print(lines[-1], flush=True)

    with tempfile.TemporaryDirectory(prefix="index-bench-") as tmp:
        root = Path(tmp)
        seed_var = root / "seed"
        Build(PLANS, seed_var)  # builds the chiVe key and USE-m3 weight caches once
        caches = seed_var / "cache"
        row(
            "bundled plans, from scratch, empty cache",
            [
                Build(PLANS, with_machine_caches(root / f"empty-{i}", caches))
                for i in range(args.runs)
            ],
        )
        row(
            "bundled plans, from scratch, empty cache, in-process (workers=1)",
            [
                Build(PLANS, with_machine_caches(root / f"inproc-{i}", caches), workers=1)
                for i in range(args.runs)
            ],
        )
        warm = []
        for _ in range(args.runs):
            shutil.rmtree(seed_var / "index")
            warm.append(Build(PLANS, seed_var))
        row("bundled plans, from scratch, warm cache", warm)
        data = root / "plans"
        shutil.copytree(PLANS, data)
        var = with_machine_caches(root / "edit", caches)
        Build(data, var)
        edited = []
        for i in range(args.runs):
            edit(data, i)
            edited.append(Build(data, var))
        row("bundled plans, one file edited", edited)
        row("bundled plans, nothing changed", [Build(data, var) for _ in range(args.runs)])
        walls, cpus, embedded = server_edits(data, var, args.runs)
        shown = " / ".join(f"{v:.2f}" for v in walls)
        lines.append(
            f"| bundled plans, one file edited, `POST /index` to a running server "
            f"(embedded {embedded[0]} texts) | {statistics.median(walls):.2f} s | {shown} "
            f"| {statistics.median(cpus):.2f} s | (server: no phase lines) |"
        )
        print(lines[-1], flush=True)

        big = root / "big"
        count = synthetic_corpus(big, args.big_chunks)
        row(
            f"synthetic corpus, {count} chunks, from scratch, empty cache",
            [
                Build(big, with_machine_caches(root / f"big-{i}", caches))
                for i in range(args.big_runs)
            ],
        )

        texts = list(dict.fromkeys(embedding_text(c) for c in ingest_paths([PLANS]).chunks))
        lines += [
            "",
            f"Encoder alone, the {len(texts)} distinct bundled texts (seconds, each run):",
            "",
        ]
        for name, times in encoder_alone(texts, args.runs, caches).items():
            shown = " / ".join(f"{t:.2f}" for t in times)
            lines.append(f"- {name}: median {statistics.median(times):.2f} s ({shown})")
            print(lines[-1], flush=True)
        # last: the Chroma client starts threads (the encoder above must fork from none)
        median, p95, count = search_latency(PLANS, seed_var)
        lines.append(f"- search, warm, {count} chunks: median {median:.2f} ms, p95 {p95:.2f} ms")
        print(lines[-1], flush=True)
    lines += ["", f"Load average at the end: {load()}."]
    tracked = PROJECT_ROOT / "bench" / "results" / "index_bench.md"
    documented = documented_defaults(parser, args)
    write_results("\n".join(lines) + "\n", results_path(tracked, args.out, documented))


if __name__ == "__main__":
    main()
